//! Why a file could not be read, worded for the visitor.

use thiserror::Error;

/// Why a file could not be turned into a table. Messages are written for the
/// person looking at the page, not for a log.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("The file is empty (0 bytes).")]
    Empty,
    #[error("This is not a Parquet file: {0}")]
    NotParquet(String),
    #[error(
        "This file is compressed with {0}, which this app does not decode in the browser; it reads snappy (what pandas and pyarrow write), gzip, zstd and uncompressed files."
    )]
    UnsupportedCodec(String),
    #[error("The Parquet file is damaged or truncated: {0}")]
    Corrupt(String),
    /// A budget of `super::budget` would be exceeded: the file was refused
    /// before the work (and the memory) it asks for.
    #[error("This file is too big to decode safely in the browser: {0}. Nothing was decoded.")]
    TooLarge(String),
    #[error(
        "This Parquet file is not a table of Hugging Face Spaces (it has: {found}). Expected `id` and at least one Space column: sdk, stage, hardware, emoji or devMode."
    )]
    WrongSchema { found: String },
}

pub type DecodeResult<T> = Result<T, DecodeError>;
