//! Loading progress, errors with a way out, and the consent prompt.

use leptos::prelude::*;

use crate::format;
use crate::state::load::LoadState;
use crate::url::source::SAMPLE_PATH;

/// The `load-status` hook: progress while loading, the reason and a way out
/// on failure.
#[component]
pub fn LoadStatus(
    state: RwSignal<LoadState>,
    /// The engine has counted the matches for the loaded table.
    counted: Signal<bool>,
    on_retry: Callback<()>,
    on_consent: Callback<()>,
    /// The current view without `data=`: the Hub dataset instead.
    hub_href: String,
) -> impl IntoView {
    let sample_href = format!("?data={}", SAMPLE_PATH.trim_end_matches(".parquet"));
    // "ready" once the page can say what the data holds: a reader of the
    // hooks (a test, an embedder) then finds the match count, not a gap.
    // Then it stays, while a later count is on its way, until a new load.
    let hook_value =
        Memo::new(
            move |previous: Option<&&'static str>| match state.with(LoadState::hook_value) {
                "ready" if previous == Some(&"ready") || counted.get() => "ready",
                "ready" => "loading",
                value => value,
            },
        );
    let body = move || {
        match state.get() {
        LoadState::AwaitingConsent { host, direct_link } => {
            // Framed by another site, a consent button could be clickjacked:
            // only a link that opens the same address as a page of its own.
            let (test_id, before, after) = match direct_link {
                Some(_) => (
                    "open-directly",
                    "Open this link directly to load data from ",
                    ". Inside another site's page, this app does not offer to load it.",
                ),
                None => (
                    "consent",
                    "It asks your browser to download a file from ",
                    ", which is not Hugging Face. That site will see your IP address. Continue only if you trust it.",
                ),
            };
            let action = match direct_link {
                Some(href) => view! {
                    <a class="button" href=href target="_blank" rel="noopener noreferrer">
                        "Open this link directly"
                    </a>
                }
                .into_any(),
                None => view! {
                    <button type="button" on:click=move |_| on_consent.run(())>
                        {format!("Load data from {host}")}
                    </button>
                }
                .into_any(),
            };
            view! {
                <div class="consent" data-testid=test_id data-host=host.clone()>
                    <p class="error-title">"This link loads its data from another website."</p>
                    <p>{before}<strong class="host">{host.clone()}</strong>{after}</p>
                    <div class="actions">
                        {action}
                        <a class="button secondary" href=hub_href.clone()>"Use the Hub dataset instead"</a>
                        <a class="button secondary" href=sample_href.clone()>"Use the bundled sample"</a>
                    </div>
                </div>
            }
            .into_any()
        }
        LoadState::Fetching(progress) => {
            // Never "1.1 GB of 3.1 MB": past its total, only the count shows.
            let (value, max, text) = match progress.total.filter(|&t| progress.received <= t) {
                Some(total) => (
                    progress.received as f64,
                    total as f64,
                    format!(
                        "Downloading the dataset: {} of {} ({}%)",
                        format::bytes(progress.received),
                        format::bytes(total),
                        (progress.received * 100 / total.max(1)).min(100)
                    ),
                ),
                None => (
                    0.0,
                    0.0,
                    format!("Downloading the dataset: {} received", format::bytes(progress.received)),
                ),
            };
            view! {
                <p>{text}</p>
                {(max > 0.0).then(|| view! { <progress max=max value=value></progress> })}
            }
            .into_any()
        }
        LoadState::Decoding { done, total } => view! {
            <p>{format!("Decoding in WebAssembly: {} of {} Spaces", format::count(done as u64), format::count(total as u64))}</p>
            <progress max=total.max(1) as f64 value=done as f64></progress>
        }
        .into_any(),
        LoadState::Ready => view! { <p class="sr-only">"Dataset loaded."</p> }.into_any(),
        LoadState::Failed(message) => view! {
            <p class="error-title">"The dataset could not be loaded."</p>
            <p class="error-message">{message}</p>
            <div class="actions">
                <button type="button" on:click=move |_| on_retry.run(())>"Try again"</button>
                <a class="button secondary" href=sample_href.clone()>
                    "Load the bundled sample instead"
                </a>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <div
            class="load-status"
            data-testid="load-status"
            data-state=hook_value
            role="status"
            aria-live="polite"
        >
            {body}
        </div>
    }
}
