//! The Overview: aggregates of the matching Spaces, the registry of its
//! cards, and the chart options drawn from them. Depends on `data`, `url`
//! (the links a card's table builds) and `format`.

pub mod aggregate;
pub mod cards;
pub mod charts;

pub use aggregate::Overview;
pub use cards::{Card, CardBody, CARDS};
