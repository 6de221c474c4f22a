//! Leptos components: one per file, each small. They read the app state
//! (`crate::state`) from context and the core's results, and never compute
//! aggregates themselves.

mod app;
mod chart_card;
mod chart_warm_up;
mod copy_button;
mod data_table;
mod date_range;
mod echart;
mod embed_panel;
mod empty_state;
mod facet_list;
mod filter_bar;
mod later;
mod likes_control;
mod load_status;
mod near;
mod overview;
mod overview_card;
mod panic_screen;
mod prose_status;
mod prose_summary;
mod result_row;
mod results_list;
mod search;
mod share_bar;
mod skip_link;
mod source_choice;
mod source_panel;
mod table_card;
mod tabs;
mod url_notes;

pub use app::App;
pub use later::Later;

use crate::browser::{page, perf, spawner};

/// Entry point called by `main`.
pub fn start() {
    panic_screen::install();
    spawner::install();
    // The data's request goes out first; the app mounts in a task of its
    // own (instantiating the WebAssembly and mounting held the page for
    // 55-110 ms together on a busy two-core machine).
    crate::state::loader::send_early(&page::query_string(), &page::current_url());
    page::in_own_task(|| {
        // The static loading screen of index.html gives way to the app.
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        // The mount's effects run in the task after it (see `spawner`).
        // Its measure lets a benchmark find its task (bench/task_cpu.mjs).
        perf::start("spaces:mount");
        spawner::mount_then_spawn(|| leptos::mount::mount_to_body(App));
        perf::end("spaces:mount");
    });
}
