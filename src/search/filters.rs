//! A view's filters as plain values: OR within a field, AND across fields.

use crate::data::Field;

use super::text_index::query_terms;

/// Every filter of a view. Empty means "everything".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    pub q: String,
    /// Selected values per field. Fields keep the order of [`Field::ALL`]
    /// (so equal filters compare equal however they were built, and a link
    /// reads back as the same state); values keep the order they were added.
    pub facets: Vec<(Field, Vec<String>)>,
    pub likes_min: Option<i64>,
    /// Created between these UTC milliseconds (inclusive start, exclusive end).
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub dev_mode: Option<bool>,
}

impl Filters {
    pub fn values(&self, field: Field) -> &[String] {
        self.facets
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    pub fn is_empty(&self) -> bool {
        query_terms(&self.q).is_empty()
            && self.facets.iter().all(|(_, v)| v.is_empty())
            && self.likes_min.is_none()
            && self.created_from.is_none()
            && self.created_to.is_none()
            && self.dev_mode.is_none()
    }

    /// Adds `value` to `field` (no duplicates).
    pub fn add(&mut self, field: Field, value: &str) {
        match self.facets.iter_mut().find(|(f, _)| *f == field) {
            Some((_, values)) => {
                if !values.iter().any(|v| v == value) {
                    values.push(value.to_string());
                }
            }
            None => {
                let rank = |f: &Field| Field::ALL.iter().position(|g| g == f);
                let at = self.facets.partition_point(|(f, _)| rank(f) < rank(&field));
                self.facets.insert(at, (field, vec![value.to_string()]));
            }
        }
    }

    pub fn remove(&mut self, field: Field, value: &str) {
        for (f, values) in &mut self.facets {
            if *f == field {
                values.retain(|v| v != value);
            }
        }
        self.facets.retain(|(_, v)| !v.is_empty());
    }

    pub fn toggle(&mut self, field: Field, value: &str) {
        if self.values(field).iter().any(|v| v == value) {
            self.remove(field, value);
        } else {
            self.add(field, value);
        }
    }
}
