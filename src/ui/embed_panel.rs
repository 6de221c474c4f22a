//! The Embed button and its panel of iframe snippets.

use leptos::ev;
use leptos::prelude::*;

use super::copy_button::CopyButton;
use crate::browser::page;
use crate::overview::{Card, CARDS};
use crate::url::links;
use crate::url::view_state::View;

/// The Embed button and its panel: an iframe snippet for what is on screen
/// (the Search view, or a chosen Overview card), kept in step with the
/// filters, with a Copy button. The panel floats below the toolbar, so
/// opening it moves nothing; the button or Esc closes it.
#[component]
pub fn EmbedPanel(
    #[prop(into)] view_kind: Signal<View>,
    /// The current view's query string, without `embed`.
    #[prop(into)]
    query: Signal<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let card = RwSignal::new("chart-sdk");
    let toggle = NodeRef::<leptos::html::Button>::new();
    let target = move || match view_kind.get() {
        View::Search => "search",
        View::Overview => card.get(),
    };
    let snippet = Signal::derive(move || {
        let id = target();
        // Attribute-safe: the query is percent-encoded and the id comes
        // from a fixed list; a quote in the page address is encoded too.
        let src = links::with_embed(&format!("{}?{}", page::page_base(), query.get()), id)
            .replace('"', "%22");
        let height = match id {
            "search" => 720,
            id if id.starts_with("table-") => 640,
            _ => 460,
        };
        format!(
            "<iframe src=\"{src}\" width=\"100%\" height=\"{height}\" style=\"border:0\" loading=\"lazy\" title=\"Spaces Ship\"></iframe>"
        )
    });
    let close = move || {
        open.set(false);
        if let Some(button) = toggle.get_untracked() {
            let _ = button.focus();
        }
    };
    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" && open.get_untracked() {
            close();
        }
    });
    on_cleanup(move || escape.remove());
    view! {
        <span class="embed">
            <button
                type="button"
                class="button secondary"
                node_ref=toggle
                aria-expanded=move || open.get().to_string()
                aria-controls="embed-panel"
                data-testid="embed-toggle"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Embed"
            </button>
            <Show when=move || open.get()>
                <div class="embed-panel popover" id="embed-panel" role="dialog" aria-label="Embed this view" data-testid="embed-panel">
                    <div class="embed-head">
                        <strong>"Embed this view"</strong>
                        <button type="button" class="icon-button" aria-label="Close" on:click=move |_| close()>"×"</button>
                    </div>
                    {move || match view_kind.get() {
                        View::Search => view! {
                            <p class="hint">"The Search view with the current filters."</p>
                        }
                        .into_any(),
                        View::Overview => view! {
                            <label class="embed-card">
                                "Card to embed, with the current filters: "
                                <select
                                    data-testid="embed-card"
                                    on:change=move |ev| {
                                        let chosen = event_target_value(&ev);
                                        if let Some(chosen) = Card::find(&chosen) {
                                            card.set(chosen.id);
                                        }
                                    }
                                >
                                    {CARDS
                                        .iter()
                                        .map(|c| view! { <option value=c.id selected=move || card.get() == c.id>{c.title}</option> })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                        .into_any(),
                    }}
                    <textarea readonly rows="4" aria-label="Embed code" data-testid="embed-snippet" prop:value=move || snippet.get()></textarea>
                    <CopyButton text=snippet label="Copy code" test_id="copy-embed" />
                </div>
            </Show>
        </span>
    }
}
