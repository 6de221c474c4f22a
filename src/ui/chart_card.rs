//! A card with a chart, its sentence of context and its data table.

use leptos::prelude::*;

use super::data_table::DataTable;
use super::echart::EChart;
use crate::overview::cards::TableRow;
use crate::overview::charts::ChartOption;

/// A chart with its title, a sentence of context and its data table, under
/// the DOM id tests and embedders use.
#[component]
pub fn ChartCard(
    id: &'static str,
    title: &'static str,
    #[prop(into)] note: Signal<String>,
    #[prop(into)] option: Signal<ChartOption>,
    /// Why there is nothing to draw, when there is nothing: the chart says
    /// so instead of showing bare axes.
    #[prop(into)]
    empty: Signal<Option<&'static str>>,
    #[prop(into)] rows: Signal<Vec<TableRow>>,
    headers: &'static [&'static str],
    dark: bool,
    #[prop(optional_no_strip)] on_pick: Option<Callback<usize>>,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    view! {
        <section class="card" class:wide=wide id=id data-testid=id>
            <h2>{title}</h2>
            <p class="note">{note}</p>
            <div class="chart-frame">
                <EChart option=option label=title.to_string() dark=dark on_pick=on_pick />
                {move || empty.get().map(|why| view! { <p class="chart-empty" data-testid="chart-empty">{why}</p> })}
            </div>
            <details class="data">
                <summary>"Show the data"</summary>
                <DataTable test_id=format!("{id}-data") headers=headers rows=rows on_pick=on_pick />
            </details>
        </section>
    }
}
