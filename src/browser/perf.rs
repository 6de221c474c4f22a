//! `performance.mark` / `performance.measure` under the names in the README's "Timing marks" list.

use wasm_bindgen::JsCast;

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Milliseconds since navigation start.
pub fn now() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

/// Marks the start of a span named `name`.
pub fn start(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// Ends the span `name` begun with [`start`]: records `performance.measure`
/// and returns its duration in milliseconds.
pub fn end(name: &str) -> Option<f64> {
    let p = performance()?;
    let start_mark = format!("{name}:start");
    p.measure_with_start_mark(name, &start_mark).ok()?;
    p.clear_marks_with_mark_name(&start_mark);
    let entries = p.get_entries_by_name_with_entry_type(name, "measure");
    let latest: web_sys::PerformanceEntry = entries
        .get(entries.length().checked_sub(1)?)
        .dyn_into()
        .ok()?;
    Some(latest.duration())
}
