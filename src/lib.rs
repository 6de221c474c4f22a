//! Spaces Ship: explore every Hugging Face Space in the browser.
//!
//! Imports run one way, down this list (`node scripts/imports.mjs` checks):
//! - `ui`: Leptos components, one per file (wasm only);
//! - `state`: the app state they share, and loading (wasm only);
//! - `worker`: the engine's side of its Web Worker: fetch, cache and
//!   decode off the page's thread (wasm only);
//! - `browser`: fetch, cache, timing marks, the page URL, the worker's
//!   handle (wasm only);
//! - `protocol`: the messages between the page and the worker;
//! - `query`: the engine's answers about a loaded table (matches, facets,
//!   result rows, overview aggregates, CSV), computed where the table is;
//! - `export`: the matching Spaces as CSV;
//! - `overview`: aggregates, the card registry, chart options;
//! - `url`: the view state a link holds, its codec, data sources, Hub links;
//! - `search`: filters, text and facet indexes, facet counts, result order;
//! - `data`: Parquet bytes to a columnar table, field access, ranking;
//! - `format`: numbers and text shortened for people.
//!
//! Everything but `ui`, `state`, `worker` and `browser` is plain Rust with no browser imports,
//! so it builds and is tested natively. `synth` writes the generated and
//! hostile Parquet files that tests, benchmarks and fixtures use.

#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod data;
pub mod export;
pub mod format;
pub mod overview;
pub mod protocol;
pub mod query;
pub mod search;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(not(target_arch = "wasm32"))]
pub mod synth;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod url;
#[cfg(target_arch = "wasm32")]
pub mod worker;
