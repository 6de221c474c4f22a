use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::filter_bar::FilterBar;
use super::load_state::{LoadInfo, LoadState, Loaded};
use super::load_status::LoadStatus;
use super::loader::load;
use super::overview::Overview;
use super::search::Search;
use super::source_panel::SourcePanel;
use super::tabs::Tabs;
use crate::aggregate::Overview as OverviewData;
use crate::browser::{fetch::Progress, page, perf};
use crate::data::format_date;
use crate::facets::FacetCounts;
use crate::filter::{select, Filters};
use crate::results::sort_rows;
use crate::source::DataSource;
use crate::view_state::{View, ViewState};

#[component]
pub fn App() -> impl IntoView {
    let (initial, mut notes) = ViewState::from_query(&page::query_string());
    let source = match DataSource::from_param(initial.data.as_deref()) {
        Ok(source) => source,
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
    let base_state = StoredValue::new(initial);
    let source = StoredValue::new(source);

    Effect::new(move |_| {
        attempt.track();
        spawn_local(load(source.get_value(), state, loaded, info));
    });

    // The address bar always reproduces the view.
    Effect::new(move |previous: Option<()>| {
        let current = filters.get();
        let (kind, order) = (view_kind.get(), sort.get());
        if previous.is_some() {
            let mut view = base_state.get_value();
            view.filters = current;
            view.view = kind;
            view.sort = order;
            page::replace_query(&view.to_query());
        }
    });

    let selection = Memo::new(move |_| {
        let current = filters.get();
        loaded.with(|l| {
            l.as_ref().map(|l| {
                perf::start("spaces:filter");
                let rows = if current == Filters::default() {
                    (0..l.table.len() as u32).collect()
                } else {
                    select(&l.table, &l.index, &current)
                };
                perf::end("spaces:filter");
                Arc::new(rows)
            })
        })
    });
    let overview = Memo::new(move |_| {
        selection.with(|rows| {
            let rows = rows.as_ref()?;
            loaded.with(|l| {
                l.as_ref().map(|l| {
                    perf::start("spaces:overview");
                    let computed = OverviewData::compute(&l.table, rows);
                    perf::end("spaces:overview");
                    Arc::new(computed)
                })
            })
        })
    });
    // Facets and the sorted results cost a pass each: only for Search.
    let facets = Memo::new(move |_| {
        if view_kind.get() != View::Search {
            return None;
        }
        let current = filters.get();
        loaded.with(|l| {
            l.as_ref()
                .map(|l| Arc::new(FacetCounts::compute(&l.table, &l.index, &current)))
        })
    });
    let order = Memo::new(move |_| {
        if view_kind.get() != View::Search {
            return None;
        }
        let by = sort.get();
        selection.with(|rows| {
            let rows = rows.as_ref()?;
            loaded.with(|l| l.as_ref().map(|l| Arc::new(sort_rows(&l.table, rows, by))))
        })
    });
    let matches = Signal::derive(move || selection.with(|s| s.as_ref().map_or(0, |s| s.len())));
    let snapshot = Signal::derive(move || {
        loaded.with(|l| {
            l.as_ref()
                .and_then(|l| l.table.snapshot_time())
                .map(format_date)
                .unwrap_or_else(|| "unknown".into())
        })
    });

    view! {
        <header class="masthead">
            <div class="brand">
                <span class="logo" aria-hidden="true">"🚀"</span>
                <div>
                    <h1>"Spaces Ship"</h1>
                    <p class="tagline">"Every Hugging Face Space, explored in your browser."</p>
                </div>
            </div>
        </header>
        <main class="page">
            {(!notes.is_empty()).then(|| view! {
                <ul class="notice" role="note">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            })}
            <SourcePanel source=source.get_value() info=info table=loaded matches=matches />
            <LoadStatus state=state on_retry=Callback::new(move |_| attempt.update(|n| *n += 1)) />
            <Show when=move || loaded.with(Option::is_some)>
                <Tabs view=view_kind />
                <FilterBar filters=filters />
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
