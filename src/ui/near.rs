//! A hook: run a callback once when a card first comes near the screen.

use leptos::prelude::*;

use crate::browser::visibility::{when_near, NearWatch};

/// Calls `on_near` once, when the section behind `node` first comes within
/// a screen of the viewport.
pub fn use_near(node: NodeRef<leptos::html::Section>, on_near: Callback<()>) {
    let watch = StoredValue::new_local(None::<NearWatch>);
    Effect::new(move |_| {
        let Some(section) = node.get() else { return };
        if watch.with_value(Option::is_none) {
            watch.set_value(Some(when_near(&section, move || on_near.run(()))));
        }
    });
    // Stops watching with the card.
    on_cleanup(move || {
        watch.try_update_value(|w| w.take());
    });
}
