//! The data-source panel: which file, how big, how fresh, how it came,
//! and the other sources this site offers.

use leptos::prelude::*;

use super::prose_summary::ProseSummary;
use super::source_choice::SourceChoice;
use crate::state::AppState;

use crate::browser::fetch::Transfer;
use crate::browser::perf;
use crate::format;
use crate::state::load::LoadInfo;
use crate::url::source::DataSource;
use crate::url::sources::SourceList;

/// Which data is shown, how big it is, how fresh, and how long it took;
/// the sources to switch to, and a note when the site's list of them was
/// not used.
#[component]
pub fn SourcePanel(
    /// What is loaded (`None` while the site's list decides).
    source: Signal<Option<DataSource>>,
    list: Signal<Option<SourceList>>,
    /// Why the site's `sources.json` was not used, when it was there.
    list_note: Signal<Option<String>>,
) -> impl IntoView {
    let app = AppState::get();
    let (info, table, matches) = (app.info, app.table, app.matches());
    let is_sample = move || source.with(|s| s.as_ref().is_some_and(DataSource::is_sample));
    let label = move || source.with(|s| s.as_ref().map_or_else(|| "…".into(), DataSource::label));
    let total = move || table.with(|t| t.as_ref().map_or(0, |t| t.rows));
    // Until the table is in, counts are unknown, not zero.
    let loaded = move || table.with(Option::is_some);
    // Wasm memory grows as the indexes are built and never shrinks: the
    // page's is read now and then, the engine's comes with its answers, so
    // the figure is the peak so far.
    let page_memory = RwSignal::new(perf::wasm_memory_bytes());
    if let Ok(poll) = set_interval_with_handle(
        move || page_memory.set(perf::wasm_memory_bytes()),
        std::time::Duration::from_millis(1_000),
    ) {
        on_cleanup(move || poll.clear());
    }
    let engine_memory = app.engine_memory;
    let memory = move || page_memory.get() + engine_memory.get();
    view! {
        <section class="source-panel" aria-label="Data source">
            <div class="source-head">
                <div class="source-line">
                    <span class="source-label">"Data: "</span>
                    <span class="source-name">{label}</span>
                    {move || is_sample().then(|| view! { <span class="badge">"Sample"</span> })}
                </div>
                <SourceChoice source=source list=list />
            </div>
            {move || list_note.get().map(|note| view! {
                <p class="notice sources-note" role="note" data-testid="sources-note">{note}</p>
            })}
            <div class="stats">
                <div class="stat">
                    <span class="stat-value" data-testid="total-count" data-value=move || loaded().then(|| total().to_string())>
                        {move || if loaded() { format::count(total() as u64) } else { "…".into() }}
                    </span>
                    <span class="stat-label">"Spaces in the dataset"</span>
                </div>
                <div class="stat">
                    // As wide as the total from the start: the count (never
                    // more) then comes without moving the stats beside it,
                    // nor the page below when they wrap.
                    // No value until the engine has counted: a "0" read
                    // at the load's end would be a count nobody made.
                    <span class="stat-value" data-testid="match-count" data-value=move || matches.get().map(|n| n.to_string())
                        style:min-width=move || loaded().then(|| format!("{}ch", format::count(total() as u64).len()))>
                        {move || matches.get().map_or_else(|| "…".into(), |n| format::count(n as u64))}
                    </span>
                    <span class="stat-label">"match the filters"</span>
                </div>
                <div class="stat">
                    <span class="stat-value">{move || app.snapshot.get().unwrap_or_else(|| "…".into())}</span>
                    <span class="stat-label">"Snapshot (newest change in the file)"</span>
                </div>
                {move || info.get().map(|info| view! {
                    <div class="stat" data-testid="transfer" data-transferred=info.transferred.to_string() data-file-size=info.file_size.to_string()>
                        <span class="stat-value">{format::bytes(info.transferred)}</span>
                        <span class="stat-label">{describe_transfer(&info)}</span>
                    </div>
                })}
            </div>
            {move || info.get().map(|info| view! {
                <p class="load-summary" data-testid="load-summary" data-restored=info.restored.to_string()>
                    {format!(
                        "Loaded {} Spaces in {} (download {}, {} {}). ",
                        format::count(total() as u64),
                        format::millis(info.fetch_ms + info.decode_ms),
                        format::millis(info.fetch_ms),
                        if info.restored {
                            "decoded columns restored from this browser's saved copy in"
                        } else {
                            "decode"
                        },
                        format::millis(info.decode_ms)
                    )}
                    <span data-testid="memory" data-bytes=move || memory().to_string()>
                        {move || format!("The app holds {} of memory.", format::bytes(memory()))}
                    </span>
                    " "
                    <span data-testid="engine-memory" data-bytes=move || engine_memory.get().to_string()>
                        {move || match info.engines {
                            2 => format!(
                                "The file was read in two background workers, side by side, which used {} together; the first holds it and answers the page.",
                                format::bytes(engine_memory.get()),
                            ),
                            _ => format!(
                                "The file was read in a background worker, which used {}; it holds it and answers the page.",
                                format::bytes(engine_memory.get()),
                            ),
                        }}
                    </span>
                </p>
            })}
            <ProseSummary />
            {move || (table.with(|t| t.as_ref().is_some_and(|t| t.rows == 0))).then(|| view! {
                <p class="empty-note">"This file is a valid Parquet table of Spaces but holds no Spaces: the charts and results below are empty."</p>
            })}
            {move || info.get().map(|info| view! {
                <ul class="warnings">
                    {info.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// How the bytes arrived, in a sentence.
fn describe_transfer(info: &LoadInfo) -> String {
    let whole = format::bytes(info.file_size);
    match &info.transfer {
        Transfer::Ranges { requests } if info.transferred < info.file_size => format!(
            "downloaded of the {whole} file ({}%): only the columns the app uses, in {requests} range requests",
            info.transferred * 100 / info.file_size
        ),
        Transfer::Ranges { requests } => format!(
            "downloaded: the whole file, in {requests} range requests (the columns the app uses span all of it)"
        ),
        Transfer::Whole { reason } => format!("downloaded: the whole file, because {reason}"),
        Transfer::Cached { checked: true } => format!(
            "downloaded: the {whole} file came from this browser's cache, and the server confirmed it is unchanged"
        ),
        Transfer::Cached { checked: false } => format!(
            "downloaded: the {whole} file came from this browser's cache; the server could not be reached to check for a newer one"
        ),
    }
}
