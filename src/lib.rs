//! Spaces Ship: explore every Hugging Face Space in the browser.
//!
//! The data core (`data`, `aggregate`, `charts`) is plain Rust with no browser
//! imports, so it builds and is tested natively. The browser layer (`ui`,
//! `fetch`) only compiles for wasm32.

pub mod aggregate;
#[cfg(not(target_arch = "wasm32"))]
pub mod bad_inputs;
pub mod bitmap;
pub mod charts;
pub mod data;
pub mod date_input;
pub mod emoji_names;
pub mod export;
pub mod facet_index;
pub mod facets;
pub mod filter;
pub mod format;
pub mod likes_scale;
pub mod links;
pub mod notes;
pub mod query;
pub mod results;
pub mod source;
#[cfg(not(target_arch = "wasm32"))]
pub mod synth;
pub mod view_state;
pub mod wording;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;
