//! Parquet bytes to a columnar, dictionary-coded table of Spaces.

pub mod budget;
mod column;
mod decode;
mod error;
mod lossy;
pub mod repair;
pub mod sparse;
mod table;
mod time;

pub use column::{CategoryColumn, MultiColumn, TextColumn, NULL_CODE};
pub use decode::{decode_spaces, DecodeReport, SpacesDecoder, DECODE_BATCH_ROWS};
pub use error::{DecodeError, DecodeResult};
pub use table::{SpacesTable, KNOWN_COLUMNS, NULL_BOOL, NULL_TIME};
pub use time::{days_from_civil, format_date, format_year_month, parse_date, year_month, DAY_MS};
