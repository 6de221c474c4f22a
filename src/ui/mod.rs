//! Leptos components: one per file, each small. They read the data core's
//! results and never compute aggregates themselves.

mod app;
mod chart_card;
mod data_table;
mod date_range;
mod echart;
mod facet_list;
mod filter_bar;
mod likes_control;
mod load_state;
mod load_status;
mod loader;
mod overview;
mod panic_screen;
mod result_row;
mod results_list;
mod search;
mod share_bar;
mod skip_link;
mod source_panel;
mod table_card;
mod tabs;

pub use app::App;

/// Entry point called by `main`.
pub fn start() {
    panic_screen::install();
    leptos::mount::mount_to_body(App);
}
