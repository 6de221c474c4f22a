//! The only code that talks to the browser besides the UI components:
//! fetching bytes (and small text files such as `sources.json`), timing
//! marks, the page URL, yielding to the event loop, and when an element
//! comes near the screen.

pub mod cache;
pub mod echarts;
pub mod engine;
pub mod fetch;
pub mod global;
pub mod js_bytes;
pub mod opfs;
pub mod page;
pub mod perf;
pub mod spawner;
pub mod text;
pub mod visibility;
