//! A card that is a table only.

use leptos::prelude::*;

use super::data_table::DataTable;
use super::near::use_near;
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
    /// Whether its aggregates are computed (until then the table is empty).
    #[prop(into)]
    ready: Signal<bool>,
    /// Called when the card first comes near the screen.
    on_near: Callback<()>,
) -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    use_near(section, on_near);
    view! {
        <section class="card table-card" id=id data-testid=id node_ref=section
            data-ready=move || ready.get().to_string() aria-busy=move || (!ready.get()).then_some("true")>
            <h2>{title}</h2>
            <p class="note">{note}</p>
            <DataTable test_id=format!("{id}-data") headers=headers rows=rows on_pick=on_pick />
        </section>
    }
}
