use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::empty_state::EmptyState;
use super::filter_bar::FilterBar;
use super::load_state::{LoadInfo, LoadState, Loaded};
use super::load_status::LoadStatus;
use super::loader::load;
use super::overview::{Overview, CARDS};
use super::results_list::FIRST_PAGE;
use super::search::Search;
use super::share_bar::ShareBar;
use super::skip_link::SkipLink;
use super::source_panel::SourcePanel;
use super::tabs::Tabs;
use super::url_notes::UrlNotes;
use crate::overview::aggregate::{Overview as OverviewData, PICKABLE};
use crate::browser::{fetch::Progress, page, perf};
use crate::data::format_date;
use crate::search::facets::FacetCounts;
use crate::search::select;
use crate::search::results::{top_matches, OrderedMatches};
use crate::url::source::DataSource;
use crate::url::view_state::{View, ViewState};

/// What `?embed=` may show alone: the Search view or one overview card.
fn embeddable(id: &str) -> bool {
    id == "search" || CARDS.iter().any(|(card, _)| *card == id)
}

#[component]
pub fn App() -> impl IntoView {
    let (initial, mut notes) = ViewState::from_query(&page::query_string());
    let page_url = page::current_url();
    let source = match DataSource::from_param(initial.data.as_deref(), &page_url) {
        Ok((source, note)) => {
            notes.extend(note);
            source
        }
        Err(note) => {
            notes.push(note);
            DataSource::Hub
        }
    };
    let dark = RwSignal::new(page::prefers_dark());
    page::watch_dark(move |now_dark| dark.set(now_dark));
    let state = RwSignal::new(LoadState::Fetching(Progress::default()));
    let loaded: RwSignal<Option<Arc<Loaded>>> = RwSignal::new(None);
    let info: RwSignal<Option<LoadInfo>> = RwSignal::new(None);
    let attempt = RwSignal::new(0u32);
    let filters = RwSignal::new(initial.filters.clone());
    let view_kind = RwSignal::new(initial.view);
    let sort = RwSignal::new(initial.sort);
    let embed = initial.embed.clone().filter(|e| embeddable(e));
    if let Some(asked) = initial.embed.as_deref().filter(|e| !embeddable(e)) {
        notes.push(format!(
            "Ignored embed {}: use search or a chart id such as chart-sdk.",
            crate::url::view_state::quote(asked)
        ));
    }
    if embed.as_deref() == Some("search") {
        view_kind.set(View::Search);
    }
    let initial_filters = StoredValue::new(initial.filters.clone());
    let current_query = RwSignal::new(initial.to_query());
    let base_state = StoredValue::new(initial);
    // Set while Back/Forward restores a view, so restoring adds no entry.
    let restoring = StoredValue::new(false);
    page::on_history_change(move |query| {
        let (state, _) = ViewState::from_query(&query);
        restoring.set_value(true);
        filters.set(state.filters);
        view_kind.set(state.view);
        sort.set(state.sort);
    });
    let consent_host = source.host_needing_consent();
    // Framed by a site other than the Hub: no button, a link to open directly.
    let direct_link = (!page::may_ask_consent()).then_some(page_url);
    let consented = RwSignal::new(consent_host.is_none());
    let hub_href = {
        let mut without_data = base_state.get_value();
        without_data.data = None;
        format!("?{}", without_data.to_query())
    };
    let source = StoredValue::new(source);
    let policy_added = StoredValue::new(false);

    Effect::new(move |_| {
        attempt.track();
        if !consented.get() {
            let host = consent_host.clone().unwrap_or_default();
            let direct_link = direct_link.clone();
            state.set(LoadState::AwaitingConsent { host, direct_link });
            return;
        }
        if !policy_added.get_value() {
            // Before the first request: from here on the page can reach only
            // its own origin, Hugging Face and the approved data host.
            page::add_policy(&source.get_value().connect_policy());
            policy_added.set_value(true);
        }
        spawn_local(load(source.get_value(), state, loaded, info));
    });

    // The address bar always reproduces the view.
    Effect::new(move |previous: Option<ViewState>| {
        let mut view = base_state.get_value();
        view.filters = filters.get();
        view.view = view_kind.get();
        view.sort = sort.get();
        if let Some(previous) = previous {
            // Typing in the search box rewrites the entry; every other
            // change is a step Back can undo.
            let only_text = {
                let mut a = previous.clone();
                a.filters.q = view.filters.q.clone();
                a == view
            };
            let push = !only_text && !restoring.get_value();
            restoring.set_value(false);
            page::set_query(&view.to_query(), push);
        }
        current_query.set(view.to_query());
        view
    });

    // One pass gives the matches and, in Search, every facet's counts.
    let pass = Memo::new_with_compare(
        move |_| {
            let current = filters.get();
            let search = view_kind.get() == View::Search;
            loaded.with(|l| {
                l.as_ref().map(|l| {
                    perf::start("spaces:filter");
                    let (rows, facets, matched) = if search {
                        let (facets, matched) =
                            FacetCounts::compute_with_selection(&l.table, &l.index, &current);
                        (
                            matched.rows(),
                            Some(Arc::new(facets)),
                            Some(Arc::new(matched)),
                        )
                    } else {
                        (select(&l.table, &l.index, &current), None, None)
                    };
                    perf::end("spaces:filter");
                    (Arc::new(rows), facets, matched)
                })
            })
        },
        // Every pass is a new result: comparing contents would cost as much.
        |_, _| true,
    );
    let selection = Memo::new_with_compare(
        move |_| pass.with(|p| p.as_ref().map(|p| Arc::clone(&p.0))),
        new_result,
    );
    let overview = Memo::new(move |_| {
        let current = filters.get();
        selection.with(|rows| {
            let rows = rows.as_ref()?;
            loaded.with(|l| {
                l.as_ref().map(|l| {
                    perf::start("spaces:overview");
                    let mut computed = OverviewData::compute(&l.table, rows);
                    // A filtered field's charts show the values around the
                    // selected ones (see `show_context`).
                    for field in PICKABLE {
                        let selected = current.values(field);
                        if selected.is_empty() {
                            continue;
                        }
                        let mut others = current.clone();
                        others.facets.retain(|(f, _)| *f != field);
                        let context =
                            OverviewData::compute(&l.table, &select(&l.table, &l.index, &others));
                        computed.show_context(field, &context, selected);
                    }
                    perf::end("spaces:overview");
                    Arc::new(computed)
                })
            })
        })
    });
    // The sorted results cost a pass: only for Search.
    let facets = Memo::new_with_compare(
        move |_| pass.with(|p| p.as_ref().and_then(|p| p.1.clone())),
        new_result,
    );
    let order = Memo::new_with_compare(
        move |_| {
            if view_kind.get() != View::Search {
                return None;
            }
            let by = sort.get();
            pass.with(|p| {
                let matched = p.as_ref()?.2.clone()?;
                loaded.with(|l| {
                    l.as_ref().map(|l| {
                        perf::start("spaces:results");
                        let ordered = match l.orders.cached(by) {
                            Some(order) => OrderedMatches::new(order, matched),
                            // Not sorted this way yet (a few hundred ms on a
                            // million rows): the first page now, the sort
                            // when the list scrolls past it.
                            None => {
                                let first = top_matches(&l.table, &matched, by, FIRST_PAGE);
                                // Sort a moment later, once the view is up,
                                // so later updates pick pages from the order
                                // instead of a pass over every match.
                                let later = Arc::clone(l);
                                set_timeout(
                                    move || {
                                        later.orders.order(&later.table, by);
                                    },
                                    std::time::Duration::from_millis(1500),
                                );
                                let l = Arc::clone(l);
                                OrderedMatches::deferred(first, matched, move || {
                                    l.orders.order(&l.table, by)
                                })
                            }
                        };
                        // The list shows the first page at once: pick it here.
                        ordered.page(0, FIRST_PAGE);
                        perf::end("spaces:results");
                        Arc::new(ordered)
                    })
                })
            })
        },
        new_result,
    );
    let matches = Signal::derive(move || selection.with(|s| s.as_ref().map_or(0, |s| s.len())));
    let snapshot = Signal::derive(move || {
        loaded.with(|l| {
            l.as_ref()
                .and_then(|l| l.table.snapshot_time())
                .map(format_date)
                .unwrap_or_else(|| "unknown".into())
        })
    });

    let chrome = embed.is_none();
    let search_embed = embed.as_deref() == Some("search");
    let embed_style = embed
        .clone()
        .filter(|e| e.starts_with("chart-") || e.starts_with("table-"))
        // The id comes from a fixed list, never from free text.
        .map(|id| format!(".overview > section:not(#{id}) {{ display: none; }} .overview {{ grid-template-columns: 1fr; }}"));
    view! {
        {embed_style.map(|css| view! { <style>{css}</style> })}
        // The keyboard's first stop on Search: straight to the results.
        <Show when=move || view_kind.get() == View::Search && loaded.with(Option::is_some)>
            <SkipLink />
        </Show>
        <Show when=move || chrome>
        <header class="masthead">
            <div class="brand">
                <span class="logo" aria-hidden="true">"🚀"</span>
                <div>
                    <h1>"Spaces Ship"</h1>
                    <p class="tagline">"Every Hugging Face Space, explored in your browser."</p>
                </div>
            </div>
        </header>
        </Show>
        <main class="page" class:embedded=!chrome>
            <UrlNotes notes=notes />
            <Show when=move || chrome>
                <SourcePanel source=source.get_value() info=info table=loaded matches=matches />
            </Show>
            <LoadStatus
                state=state
                on_retry=Callback::new(move |_| attempt.update(|n| *n += 1))
                on_consent=Callback::new(move |_| consented.set(true))
                hub_href=hub_href
            />
            <Show when=move || loaded.with(Option::is_some)>
                <Show when=move || chrome>
                    <div class="toolbar">
                        <Tabs view=view_kind />
                        <ShareBar loaded=loaded selection=selection view_kind=view_kind query=current_query filters=filters sort=sort />
                    </div>
                </Show>
                <Show when=move || chrome || search_embed>
                    <FilterBar
                        filters=filters
                        on_search_focus=Callback::new(move |_| {
                            // In a task of its own, after the focus paints.
                            spawn_local(async move {
                                page::yield_to_browser().await;
                                if let Some(l) = loaded.get_untracked() {
                                    l.index.prepare_text(&l.table);
                                }
                            });
                        })
                    />
                </Show>
                // An embed someone filtered by a click can go back to what
                // its page chose.
                <Show when=move || !chrome && filters.with(|f| initial_filters.with_value(|i| f != i))>
                    <button type="button" class="button secondary embed-reset" data-testid="embed-reset" on:click=move |_| filters.set(initial_filters.get_value())>
                        "↺ Reset filters"
                    </button>
                </Show>
                <Show when=move || view_kind.get() == View::Overview && matches.get() == 0>
                    <EmptyState filters=filters test_id="empty-state" clear_test_id="overview-clear" />
                </Show>
                // Charts take their theme at creation: re-create them only
                // when the system theme flips.
                {move || match view_kind.get() {
                    View::Overview => {
                        let dark = dark.get();
                        view! { <Overview overview=overview filters=filters snapshot=snapshot dark=dark /> }
                            .into_any()
                    }
                    View::Search => view! {
                        <Search loaded=loaded filters=filters facets=facets order=order sort=sort />
                    }
                    .into_any(),
                }}
            </Show>
        </main>
    }
}

/// Memo comparator for shared results: a recomputed result is a new value.
/// Comparing a million-row selection by contents would cost as much as
/// computing it.
fn new_result<T>(old: Option<&Option<Arc<T>>>, new: Option<&Option<Arc<T>>>) -> bool {
    !matches!((old, new), (Some(Some(a)), Some(Some(b))) if Arc::ptr_eq(a, b))
}
