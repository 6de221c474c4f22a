//! A card's data table: the readable twin of its chart.

use leptos::prelude::*;

use crate::overview::cards::TableRow;

/// The readable twin of a chart: first cell the label, last the number.
/// Values are always text nodes, never markup.
#[component]
pub fn DataTable(
    test_id: String,
    headers: &'static [&'static str],
    #[prop(into)] rows: Signal<Vec<TableRow>>,
    /// When set, each row gets a button that filters by its label.
    #[prop(optional_no_strip)]
    on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    view! {
        <table class="data-table" data-testid=test_id>
            <thead>
                <tr>
                    {headers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let class = if i > 0 { "num" } else { "" };
                            view! { <th scope="col" class=class>{*h}</th> }
                        })
                        .collect_view()}
                    {on_pick.map(|_| view! { <th scope="col"><span class="sr-only">"Filter"</span></th> })}
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows.get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, row)| {
                            let pick = on_pick.map(|pick| {
                                let label = format!("Filter by {}", row.label);
                                view! {
                                    <td class="pick">
                                        <button type="button" class="row-filter" title=label.clone() aria-label=label on:click=move |_| pick.run(index)>
                                            "+"
                                        </button>
                                    </td>
                                }
                            });
                            let label = match row.href {
                                Some(href) => view! {
                                    <a href=href target="_blank" rel="noopener noreferrer">{row.label}</a>
                                }
                                .into_any(),
                                None => view! { <span>{row.label}</span> }.into_any(),
                            };
                            view! {
                                <tr>
                                    <td>{label}</td>
                                    {pick}
                                    {row.extra.map(|n| view! { <td class="num">{crate::format::count(n)}</td> })}
                                    <td class="num" data-value=row.value.to_string()>{crate::format::count(row.value)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
