//! A Copy button that says "Copied" only when the clipboard took the text.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::page;

/// Where a copy stands: only a copy the browser confirmed says "Copied".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopyStatus {
    Idle,
    Copied,
    Refused,
}

/// How long "Copied" stays on the button.
const CONFIRMATION: Duration = Duration::from_secs(2);

/// A button that copies `text`. When the browser refuses (an iframe
/// without clipboard permission, say), the text appears selected in a
/// read-only field with the keys that copy it.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    label: &'static str,
    test_id: &'static str,
) -> impl IntoView {
    let status = RwSignal::new(CopyStatus::Idle);
    let field = NodeRef::<leptos::html::Input>::new();
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let copied = page::copy_text(&value).await;
            let now = if copied {
                CopyStatus::Copied
            } else {
                CopyStatus::Refused
            };
            if status.try_set(now).is_none() && copied {
                set_timeout(
                    move || {
                        status.try_update(|s| {
                            if *s == CopyStatus::Copied {
                                *s = CopyStatus::Idle;
                            }
                        });
                    },
                    CONFIRMATION,
                );
            }
        });
    };
    // The fallback field takes focus with its text selected: one key press
    // copies it.
    Effect::new(move |_| {
        if status.get() == CopyStatus::Refused && field.get().is_some() {
            // After the field has its value: selecting an empty field
            // selects nothing.
            request_animation_frame(move || {
                if let Some(input) = field.get_untracked() {
                    let _ = input.focus();
                    input.select();
                }
            });
        }
    });
    view! {
        <span class="copy">
            <button type="button" class="button secondary" data-testid=test_id data-copy-status=move || format!("{:?}", status.get()).to_lowercase() on:click=copy>
                {move || if status.get() == CopyStatus::Copied { "Copied ✓" } else { label }}
            </button>
            <span class="sr-only" role="status">
                {move || match status.get() {
                    CopyStatus::Copied => "Copied to the clipboard.",
                    CopyStatus::Refused => "The browser did not allow copying: press Ctrl+C or ⌘C.",
                    CopyStatus::Idle => "",
                }}
            </span>
            <Show when=move || status.get() == CopyStatus::Refused>
                <span class="copy-fallback popover" data-testid=format!("{test_id}-fallback")>
                    <input
                        type="text"
                        readonly
                        node_ref=field
                        prop:value=move || text.get()
                        aria-label="Text to copy"
                        on:focus=move |_| {
                            if let Some(input) = field.get_untracked() {
                                input.select();
                            }
                        }
                    />
                    <span class="hint">"Press Ctrl+C / ⌘C to copy"</span>
                    <button type="button" class="icon-button" aria-label="Close" on:click=move |_| status.set(CopyStatus::Idle)>"×"</button>
                </span>
            </Show>
        </span>
    }
}
