//! A card that is a table only.

use leptos::prelude::*;

use super::data_table::DataTable;
use crate::overview::cards::TableRow;

/// A ranked table (most liked, most duplicated, …) shown open.
#[component]
pub fn TableCard(
    id: &'static str,
    title: &'static str,
    #[prop(into)] note: Signal<String>,
    #[prop(into)] rows: Signal<Vec<TableRow>>,
    headers: &'static [&'static str],
    #[prop(optional_no_strip)] on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    view! {
        <section class="card table-card" id=id data-testid=id>
            <h2>{title}</h2>
            <p class="note">{note}</p>
            <DataTable test_id=format!("{id}-data") headers=headers rows=rows on_pick=on_pick />
        </section>
    }
}
