use leptos::prelude::*;

/// The readable twin of a chart: first cell the label, last the number.
/// Values are always text nodes, never markup.
#[component]
pub fn DataTable(
    test_id: String,
    label_header: &'static str,
    value_header: &'static str,
    #[prop(into)] rows: Signal<Vec<(String, u64)>>,
) -> impl IntoView {
    view! {
        <table class="data-table" data-testid=test_id>
            <thead>
                <tr>
                    <th scope="col">{label_header}</th>
                    <th scope="col" class="num">{value_header}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|(label, value)| view! {
                            <tr>
                                <td>{label}</td>
                                <td class="num" data-value=value.to_string()>{crate::format::count(value)}</td>
                            </tr>
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
