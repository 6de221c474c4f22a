//! The notes about what a link held that the app could not use.

use leptos::prelude::*;

use crate::format;
use crate::url::notes::Notes;

/// What the link's parameters did not do, as plain sentences; at most a
/// handful, then "+N more"; the visitor can dismiss the list. `notes` can
/// grow after the first paint (a short name is judged once the
/// deployment's source list arrives): a note added after a dismissal
/// shows the list again.
#[component]
pub fn UrlNotes(#[prop(into)] notes: Signal<Notes>) -> impl IntoView {
    // How many notes there were when the visitor dismissed them.
    let dismissed = RwSignal::new(0usize);
    let open = move || notes.with(Notes::len) > dismissed.get();
    view! {
        <Show when=open>
            <div class="notice url-notes" role="note" data-testid="url-notes">
                <ul>
                    {move || notes.with(|n| n.shown().iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view())}
                    {move || {
                        let more = notes.with(Notes::more);
                        (more > 0).then(|| view! {
                            <li class="more" data-testid="url-notes-more" data-value=more.to_string()>
                                {format!("+{} more", format::count(more as u64))}
                            </li>
                        })
                    }}
                </ul>
                <button
                    type="button"
                    class="dismiss"
                    aria-label="Dismiss these notes"
                    title="Dismiss"
                    on:click=move |_| dismissed.set(notes.with_untracked(Notes::len))
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}
