//! The root component: reads the address, provides the app state, loads the
//! data and lays out the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_use_event_listener::use_event_listener;
use leptos_use_preferences::use_preferred_dark;

use super::chart_warm_up::ChartWarmUp;
use super::empty_state::EmptyState;
use super::filter_bar::FilterBar;
use super::later::Later;
use super::load_status::LoadStatus;
use super::overview::Overview;
use super::search::Search;
use super::share_bar::ShareBar;
use super::skip_link::SkipLink;
use super::source_panel::SourcePanel;
use super::tabs::Tabs;
use super::url_notes::UrlNotes;
use crate::browser::{page, spawner};
use crate::overview::aggregate::Parts;
use crate::overview::{Card, CARDS};
use crate::state::load::LoadState;
use crate::state::{asking, loader, sources, AppState};
use crate::url::sources::{DataParam, SourceList};
use crate::url::view_state::{quote, View, ViewState};

/// What `?embed=` may show alone: the Search view or one overview card.
fn embeddable(id: &str) -> bool {
    id == "search" || Card::find(id).is_some()
}

#[component]
pub fn App() -> impl IntoView {
    let (initial, mut notes) = ViewState::from_query(&page::query_string());
    let page_url = page::current_url();
    let (param, note) = DataParam::read(initial.data.as_deref(), &page_url);
    notes.extend(note);
    let app = AppState::provide(&initial, use_preferred_dark());
    asking::fetch_prose_when_needed(app);
    let AppState {
        filters,
        view: view_kind,
        sort,
        query: current_query,
        load: state,
        table,
        ..
    } = app;
    let embed = initial.embed.clone().filter(|e| embeddable(e));
    if let Some(asked) = initial.embed.as_deref().filter(|e| !embeddable(e)) {
        notes.push(format!(
            "Ignored embed {}: use search or a chart id such as chart-sdk.",
            quote(asked)
        ));
    }
    if embed.as_deref() == Some("search") {
        view_kind.set(View::Search);
    }
    let notes = RwSignal::new(notes);
    let chrome = embed.is_none();

    // The sample and an address load at once; no `data` or a short name
    // waits for the site's source list (`sources.json`, a short deadline).
    // The list is fetched either way for the panel's drop-down, except in
    // an embed, which has no panel and needs no list.
    let source = RwSignal::new(match &param {
        DataParam::Source(source) => Some(source.clone()),
        _ => None,
    });
    let list = RwSignal::new(None::<SourceList>);
    let list_note = RwSignal::new(None::<String>);
    if chrome || param.needs_list() {
        let page_url = page_url.clone();
        // At once, not after the mount (see `spawner`): a load may wait on it.
        spawner::start_at_once(|| {
            spawn_local(async move {
                let (settled, note) = sources::load_list(&page_url).await;
                if param.needs_list() {
                    let (chosen, note) = settled.resolve(&param);
                    if let Some(note) = note {
                        // What loads instead matters more than unknown parameters.
                        notes.update(|n| n.push_first(note));
                    }
                    source.set(Some(chosen));
                }
                list_note.set(note);
                list.set(Some(settled));
            });
        });
    }
    let initial_filters = StoredValue::new(initial.filters.clone());
    let base_state = StoredValue::new(initial);
    // Set while Back/Forward restores a view, so restoring adds no entry.
    let restoring = StoredValue::new(false);
    let _ = use_event_listener(window(), leptos::ev::popstate, move |_| {
        let (state, _) = ViewState::from_query(&page::query_string());
        page::forget_waiting_address();
        restoring.set_value(true);
        filters.set(state.filters);
        view_kind.set(state.view);
        sort.set(state.sort);
    });
    // Framed by a site other than the Hub: no button, a link to open directly.
    let direct_link = (!page::may_ask_consent()).then_some(page_url);
    let consented = RwSignal::new(false);
    let attempt = RwSignal::new(0u32);
    let hub_href = {
        let mut without_data = base_state.get_value();
        without_data.data = None;
        format!("?{}", without_data.to_query())
    };
    let policy_added = StoredValue::new(false);

    // Loads once the source is known, on consent and on every retry; a
    // retry makes the load still running stale (see `state::loader`).
    // At once, not after the mount: the load or the consent screen comes
    // before the mounted page's first paint.
    spawner::start_at_once(|| {
        Effect::new(move |_| {
            attempt.track();
            let Some(current) = source.get() else {
                return;
            };
            if let Some(host) = current.host_needing_consent() {
                if !consented.get() {
                    let direct_link = direct_link.clone();
                    state.set(LoadState::AwaitingConsent { host, direct_link });
                    return;
                }
            }
            if !policy_added.get_value() {
                // Before the first request: from here on the page can reach only
                // its own origin, Hugging Face and the approved data host.
                page::add_policy(&current.connect_policy());
                policy_added.set_value(true);
            }
            loader::start(app, current);
        });
    });

    // The address bar always reproduces the view.
    Effect::new(move |previous: Option<ViewState>| {
        let mut view = base_state.get_value();
        view.filters = filters.get();
        view.view = view_kind.get();
        view.sort = sort.get();
        let query = view.to_query();
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
            page::set_query(query.clone(), push);
        }
        current_query.set(query);
        view
    });
    let matches = app.matches();

    let search_embed = embed.as_deref() == Some("search");
    let only_card = embed.as_deref().and_then(Card::find);
    // The top card is always near the screen when the Overview opens: its
    // part is wanted from the start, so the engine's first answer already
    // draws it (before, the first answer waited on the cards to mount and
    // report themselves, a second round trip).
    let top_card = only_card.unwrap_or(&CARDS[0]);
    let warm_up_charts = top_card.is_chart();
    // Set from the first bytes downloaded until the load ends. Not on a
    // revisit: its saved table is in within about 130 ms at 1M, and a
    // warm-up then only competed with reading it (first chart 30 ms later).
    let downloaded = Memo::new(move |before: Option<&bool>| {
        state.with(|s| s.is_downloading() || (before == Some(&true) && s.is_loading()))
    });
    let dark = app.dark;
    app.wanted
        .update_untracked(|wanted| *wanted = wanted.union(Parts::of(top_card.part)));
    view! {
        // The keyboard's first stop on Search: straight to the results.
        <Show when=move || view_kind.get() == View::Search && table.with(Option::is_some)>
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
                <SourcePanel source=source.into() list=list.into() list_note=list_note.into() />
            </Show>
            // ECharts' code compiles while the data downloads, when the
            // view will draw charts.
            <Show when=move || {
                warm_up_charts && downloaded.get() && table.with(Option::is_none)
                    && view_kind.get() == View::Overview
            }>
                <ChartWarmUp dark=dark.get_untracked() />
            </Show>
            // In a task after the mount's (see `Later`); below what the
            // mount shows, so nothing moves when it comes.
            <Later>
                <LoadStatus
                    state=state
                    counted=Signal::derive(move || matches.with(Option::is_some))
                    on_retry=Callback::new(move |_| attempt.update(|n| *n += 1))
                    on_consent=Callback::new(move |_| consented.set(true))
                    hub_href=hub_href.clone()
                />
            </Later>
            <Show when=move || table.with(Option::is_some)>
                <Show when=move || chrome>
                    <div class="toolbar">
                        <Tabs />
                        <ShareBar />
                    </div>
                </Show>
                <Show when=move || chrome || search_embed>
                    <FilterBar
                        on_search_focus=Callback::new(move |_| {
                            // A query is likely: the engine builds its text
                            // index now, while the visitor types.
                            asking::want_prose(app, true);
                            asking::prepare_text();
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
                <Show when=move || view_kind.get() == View::Overview && matches.get() == Some(0)>
                    <EmptyState test_id="empty-state" clear_test_id="overview-clear" />
                </Show>
                {move || match view_kind.get() {
                    View::Overview => view! { <Overview only=only_card /> }.into_any(),
                    View::Search => view! { <Search /> }.into_any(),
                }}
            </Show>
        </main>
    }
}
