//! A card with a chart, its sentence of context and its data table.

use leptos::prelude::*;

use super::data_table::DataTable;
use super::echart::EChart;
use super::near::use_near;
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
    /// Whether its aggregates are computed: until then the card waits,
    /// blank, and no chart is created.
    #[prop(into)]
    ready: Signal<bool>,
    /// Called when the card first comes near the screen.
    on_near: Callback<()>,
) -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    use_near(section, on_near);
    view! {
        <section class="card" class:wide=wide id=id data-testid=id node_ref=section
            data-ready=move || ready.get().to_string() aria-busy=move || (!ready.get()).then_some("true")>
            <h2>{title}</h2>
            <p class="note">{note}</p>
            <div class="chart-frame">
                {move || if ready.get() {
                    view! { <EChart option=option label=title.to_string() dark=dark on_pick=on_pick /> }.into_any()
                } else {
                    view! { <div class="echart chart-pending" aria-hidden="true"></div> }.into_any()
                }}
                {move || empty.get().map(|why| view! { <p class="chart-empty" data-testid="chart-empty">{why}</p> })}
            </div>
            <details class="data">
                <summary>"Show the data"</summary>
                <DataTable test_id=format!("{id}-data") headers=headers rows=rows on_pick=on_pick />
            </details>
        </section>
    }
}
