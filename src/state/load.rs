//! Where loading stands, what it produced, and what the panel reports.

use crate::browser::fetch::{Progress, Transfer};

/// Where the titles and short descriptions stand. A range-read file with
/// them in chunks of their own loads without them: they are the largest
/// columns and only Search shows or searches them.
#[derive(Debug, Clone, PartialEq)]
pub enum ProseState {
    /// In the table, or the file has none; `fetched` is what a later
    /// fetch downloaded (0 from this browser's cache).
    Ready {
        fetched: Option<u64>,
    },
    /// Left for when Search first needs them.
    Deferred,
    Fetching,
    Failed(String),
}

/// Where loading the dataset stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    /// A shared link names a data host that is not Hugging Face: nothing is
    /// downloaded until the visitor agrees.
    AwaitingConsent {
        host: String,
        /// Set when the page is framed by a site other than the Hub: no
        /// consent button (it could be clickjacked), only this link to
        /// open the same address as a page of its own.
        direct_link: Option<String>,
    },
    Fetching(Progress),
    Decoding {
        done: usize,
        total: usize,
    },
    Ready,
    Failed(String),
}

impl LoadState {
    /// The `data-state` value of the `load-status` hook.
    pub fn hook_value(&self) -> &'static str {
        match self {
            LoadState::AwaitingConsent { .. }
            | LoadState::Fetching(_)
            | LoadState::Decoding { .. } => "loading",
            LoadState::Ready => "ready",
            LoadState::Failed(_) => "error",
        }
    }

    /// Bytes are arriving over the network, or being decoded: a load of
    /// hundreds of milliseconds at least. A revisit reads its saved table
    /// instead, and reports neither.
    pub fn is_downloading(&self) -> bool {
        match self {
            LoadState::Fetching(p) => p.received > 0 && p.total.is_none_or(|t| p.received < t),
            LoadState::Decoding { .. } => true,
            _ => false,
        }
    }

    /// The data is on its way (not waiting for consent, done or failed).
    pub fn is_loading(&self) -> bool {
        matches!(self, LoadState::Fetching(_) | LoadState::Decoding { .. })
    }
}

/// What the data-source panel reports once a load succeeds.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadInfo {
    /// Bytes downloaded for this load, and the size of the whole file.
    pub transferred: u64,
    pub file_size: u64,
    pub transfer: Transfer,
    pub fetch_ms: f64,
    pub decode_ms: f64,
    /// The table came from this browser's saved copy, not a decode.
    pub restored: bool,
    pub last_modified: Option<String>,
    pub warnings: Vec<String>,
    /// The engine worker's WebAssembly memory at the end of the load.
    pub engine_memory: u64,
    /// The workers that read the file (a second decodes a front matter of
    /// JSON text).
    pub engines: u8,
    /// The size of the titles and descriptions left for Search, when the
    /// load left them.
    pub prose_bytes: Option<u64>,
}
