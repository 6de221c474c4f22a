//! The address bar: the percent codec, the view state a query string
//! holds, the data source a `data=` value names (an address, or a short
//! name from the deployment's source list), links to Hub pages, and
//! the notes about what a link held that the app could not use. Depends
//! on `search` (filters, sort), `data` and `format`.

pub mod codec;
pub mod links;
pub mod notes;
pub mod source;
pub mod sources;
pub mod space;
pub mod view_state;
