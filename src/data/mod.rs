//! Parquet bytes to a columnar, dictionary-coded table of Spaces: the
//! footer and its sanity checks, the range plan of a sparse fetch, the
//! decode itself, the columns and the table they form (and its saved
//! copy), and field access and ranking over them. Depends on nothing in the crate but `format`.

pub mod budget;
mod column;
mod decode;
mod error;
mod field;
mod footer;
mod json;
mod lossy;
pub mod rank;
mod record;
pub mod repair;
pub mod saved;
pub mod shape;
#[cfg(not(target_arch = "wasm32"))]
pub mod slim;
pub mod sparse;
mod strings;
mod table;
mod time;

pub use column::{CategoryColumn, Codes, MultiColumn, TextColumn, NULL_CODE};
pub use decode::{
    decode_apart, decode_apart_handing_on_prose, decode_beside_apart, decode_prose, decode_spaces,
    decode_whole_beside_apart, decodes_apart, put_apart, DecodeReport, FooterFacts, SpacesDecoder,
    APART_MIN_ROWS, DECODE_BATCH_ROWS, PROSE_PART_BYTES,
};
pub use error::{DecodeError, DecodeResult};
pub use field::{Field, FieldColumn};
pub use table::{
    ApartColumns, Prose, ProseSize, SpacesTable, KNOWN_COLUMNS, NULL_BOOL, NULL_TIME, PROSE_COLUMNS,
};
pub use time::{days_from_civil, format_date, format_year_month, parse_date, year_month, DAY_MS};
