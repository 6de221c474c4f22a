//! What the visitor reads when the app's code stops: a panic or a trap on
//! the page (`ui::panic_screen`) or in the engine's worker (the loader).

/// A panic's message as the visitor reads it: what happened, then what to do.
pub fn describe(detail: &str, decoding: bool) -> String {
    let what = if detail.contains("memory allocation") || detail.contains("out of memory") {
        "The app ran out of memory and stopped"
    } else if detail.contains("capacity overflow") || detail.contains("overflow") {
        "The data held a value too large for the app, and it stopped"
    } else if decoding {
        "The dataset could not be loaded: the Parquet reader stopped on damaged data in the file, and the app stopped with it"
    } else {
        "Something went wrong inside the app and it stopped"
    };
    format!("{what}. Reload the page to try again, or load the bundled sample. ({detail})")
}

/// A trap's message: a page near the 4 GB a wasm page may hold ran out of
/// memory; otherwise the app hit something it could not handle.
pub fn describe_trap(detail: &str, memory: f64, decoding: bool) -> String {
    const NEAR_THE_LIMIT: f64 = 1.5e9;
    if memory >= NEAR_THE_LIMIT {
        format!(
            "The app ran out of memory ({:.1} GB in use) and stopped. Reload the page to try again, or load the bundled sample. ({detail})",
            memory / 1e9
        )
    } else {
        describe(detail, decoding)
    }
}
