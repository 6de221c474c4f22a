use charming::Chart;
use leptos::prelude::*;

use super::data_table::DataTable;
use super::echart::EChart;

/// A chart with its title, a sentence of context and its data table, under
/// the DOM id tests and embedders use.
#[component]
pub fn ChartCard(
    id: &'static str,
    title: &'static str,
    #[prop(into)] note: Signal<String>,
    #[prop(into)] option: Signal<Chart>,
    #[prop(into)] rows: Signal<Vec<(String, u64)>>,
    label_header: &'static str,
    value_header: &'static str,
    dark: bool,
) -> impl IntoView {
    view! {
        <section class="card" id=id data-testid=id>
            <h2>{title}</h2>
            <p class="note">{note}</p>
            <EChart option=option label=title.to_string() dark=dark />
            <details class="data">
                <summary>"Show the data"</summary>
                <DataTable
                    test_id=format!("{id}-data")
                    label_header=label_header
                    value_header=value_header
                    rows=rows
                />
            </details>
        </section>
    }
}
