//! Search over a decoded table: filters as values, compiled into a row
//! predicate; the text index and the facet index that make updates
//! instant; facet counts; result order and pages; and the words that
//! describe a filter to people. Depends on `data` and `format`.

pub mod bitmap;
pub mod date_input;
pub mod emoji_names;
mod facet_index;
pub mod facets;
mod filters;
mod haystack;
pub mod likes_scale;
mod lowered_ids;
mod predicate;
mod radix;
pub mod results;
mod text_index;
pub mod wording;

pub use bitmap::Bitmap;
pub use filters::Filters;
pub use predicate::{select, RowPredicate};
pub use results::{Sort, SortKey};
pub use text_index::{query_terms, SearchIndex, TextSteps};
