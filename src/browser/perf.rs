//! `performance.mark` / `performance.measure` under the names in the
//! README's "Timing marks" list, and the count of charts still to draw
//! (the first render ends when it reaches zero).

use std::cell::Cell;

use wasm_bindgen::JsCast;

fn performance() -> Option<web_sys::Performance> {
    super::global::global()?.performance()
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

/// Milliseconds since the Unix epoch, on a clock the page and the worker
/// share (each has its own `performance.now()` origin).
pub fn epoch_now() -> f64 {
    performance().map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
}

/// Records a span measured elsewhere (the worker) on this timeline:
/// `performance.measure(name)` from `start_epoch_ms`, lasting `duration_ms`
/// or, without one, until now. Returns its duration.
pub fn measure_from(name: &str, start_epoch_ms: f64, duration_ms: Option<f64>) -> Option<f64> {
    let p = performance()?;
    let start = start_epoch_ms - p.time_origin();
    let duration = duration_ms.unwrap_or_else(|| (p.now() - start).max(0.0));
    // `measure(name, { start, duration })`: web-sys has the options only
    // as an unstable API.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"start".into(), &start.into()).ok()?;
    js_sys::Reflect::set(&options, &"duration".into(), &duration.into()).ok()?;
    let measure: js_sys::Function = js_sys::Reflect::get(&p, &"measure".into())
        .ok()?
        .dyn_into()
        .ok()?;
    measure.call2(&p, &name.into(), &options).ok()?;
    Some(duration)
}

thread_local! {
    static DRAWS_PENDING: Cell<usize> = const { Cell::new(0) };
    static PARTS_PENDING: Cell<usize> = const { Cell::new(0) };
    /// Set when a table is in and no chart has drawn from it yet.
    static FIRST_CHART_PENDING: Cell<bool> = const { Cell::new(false) };
}

/// A table is in: `spaces:first-chart` runs until a chart has drawn it.
pub fn await_first_chart() {
    FIRST_CHART_PENDING.with(|p| p.set(true));
    start("spaces:first-chart");
}

/// The first render ended with no chart: `spaces:first-chart` is not
/// measured for this load.
pub fn forget_first_chart() {
    FIRST_CHART_PENDING.with(|p| p.set(false));
}

/// A chart will draw for the first time in a task of its own.
pub fn draw_started() {
    DRAWS_PENDING.with(|p| p.set(p.get() + 1));
}

/// A chart was painted for the first time (or was dropped before it was).
pub fn draw_finished(drew: bool) {
    DRAWS_PENDING.with(|p| p.set(p.get().saturating_sub(1)));
    if drew && FIRST_CHART_PENDING.with(|p| p.replace(false)) {
        end("spaces:first-chart");
    }
}

/// A card asked for its aggregates, to be computed in a task of their own.
pub fn part_queued() {
    PARTS_PENDING.with(|p| p.set(p.get() + 1));
}

/// Those aggregates are computed (or their card is gone).
pub fn part_done() {
    PARTS_PENDING.with(|p| p.set(p.get().saturating_sub(1)));
}

/// How many cards' aggregates are asked for and not computed yet.
pub fn parts_pending() -> usize {
    PARTS_PENDING.with(Cell::get)
}

/// How many charts have not drawn yet.
pub fn draws_pending() -> usize {
    DRAWS_PENDING.with(Cell::get)
}

/// Bytes of WebAssembly memory the page holds. Wasm memory only grows, so
/// this is also the peak so far.
pub fn wasm_memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .map(|m| m.buffer())
        .and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |b| u64::from(b.byte_length()))
}
