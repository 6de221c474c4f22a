//! The notes about what a link held that the app could not use.

use leptos::prelude::*;

use crate::format;
use crate::url::notes::Notes;

/// What the link's parameters did not do, as plain sentences; at most a
/// handful, then "+N more"; the visitor can dismiss the list.
#[component]
pub fn UrlNotes(notes: Notes) -> impl IntoView {
    let open = RwSignal::new(!notes.is_empty());
    let more = notes.more();
    let shown = notes.shown().to_vec();
    view! {
        <Show when=move || open.get()>
            <div class="notice url-notes" role="note" data-testid="url-notes">
                <ul>
                    {shown.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    {(more > 0).then(|| view! {
                        <li class="more" data-testid="url-notes-more" data-value=more.to_string()>
                            {format!("+{} more", format::count(more as u64))}
                        </li>
                    })}
                </ul>
                <button
                    type="button"
                    class="dismiss"
                    aria-label="Dismiss these notes"
                    title="Dismiss"
                    on:click=move |_| open.set(false)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}
