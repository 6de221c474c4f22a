//! Facet counts: for each field, how many matching Spaces hold each value
//! when every filter but that field's own applies (so a user can widen a
//! selection within a field).

use crate::aggregate::top_few;
use crate::bitmap::Bitmap;
use crate::data::SpacesTable;
use crate::filter::{Field, FieldColumn, Filters, RowPredicate, SearchIndex};

/// One value of a facet and how many Spaces would match with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    pub selected: bool,
}

/// Counts per dictionary code of every field, for the current filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    pub fields: Vec<(Field, Vec<u64>)>,
}

impl FacetCounts {
    pub fn compute(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> FacetCounts {
        Self::compute_with_selection(table, index, filters).0
    }

    /// The counts and the matching rows (those failing no filter) from the
    /// same pass, so a Search update reads the table once.
    ///
    /// In sets of rows: the rows passing the shared filters (text, likes,
    /// dates, dev mode), and per constrained field the rows holding one of
    /// its selected values (from the facet index). Their intersection is
    /// the selection; leaving one field's set out gives the rows its counts
    /// come from.
    pub fn compute_with_selection(
        table: &SpacesTable,
        index: &SearchIndex,
        filters: &Filters,
    ) -> (FacetCounts, Bitmap) {
        let facet_index = index.facets();
        let shared = shared_rows(table, index, filters);
        let passing: Vec<(Field, Bitmap)> = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let values = filters.values(field);
                (!values.is_empty()).then(|| {
                    let column = FieldColumn::of(table, field);
                    let codes: Vec<u32> = values.iter().filter_map(|v| column.code_of(v)).collect();
                    (field, facet_index.rows_holding(table, field, &codes))
                })
            })
            .collect();
        let sets: Vec<&Bitmap> = passing.iter().map(|(_, b)| b).collect();
        let all = shared.and_all(&sets);
        let counts = Field::ALL
            .into_iter()
            .map(|field| {
                let kept = passing.iter().position(|(f, _)| *f == field).map(|own| {
                    let rest: Vec<&Bitmap> = (0..sets.len())
                        .filter(|&j| j != own)
                        .map(|j| sets[j])
                        .collect();
                    shared.and_all(&rest)
                });
                (
                    field,
                    facet_index.count(table, field, kept.as_ref().unwrap_or(&all)),
                )
            })
            .collect();
        (FacetCounts { fields: counts }, all)
    }

    pub fn counts(&self, field: Field) -> &[u64] {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, c)| c.as_slice())
    }

    /// The `limit` most frequent values of `field`, plus every selected one,
    /// most first; `prefix` (case-insensitive) narrows them (type-ahead).
    pub fn top(
        &self,
        table: &SpacesTable,
        filters: &Filters,
        field: Field,
        prefix: &str,
        limit: usize,
    ) -> Vec<FacetValue> {
        let column = FieldColumn::of(table, field);
        let dictionary = column.dictionary();
        let counts = self.counts(field);
        let selected = filters.values(field);
        let needle = prefix.trim().to_lowercase();
        let candidates = (0..counts.len())
            .filter(|&c| counts[c] > 0 || selected.iter().any(|s| **s == *dictionary[c]))
            .filter(|&c| needle.is_empty() || dictionary[c].to_lowercase().contains(&needle));
        let codes = top_few(candidates, dictionary, counts, limit);
        let mut out: Vec<FacetValue> = codes
            .iter()
            .map(|&c| FacetValue {
                value: dictionary[c].to_string(),
                count: counts[c],
                selected: selected.iter().any(|s| **s == *dictionary[c]),
            })
            .collect();
        for value in selected {
            if !out.iter().any(|v| v.value == *value) {
                let count = column.code_of(value).map_or(0, |c| counts[c as usize]);
                out.push(FacetValue {
                    value: value.clone(),
                    count,
                    selected: true,
                });
            }
        }
        out
    }
}

/// Rows passing every filter that is not a facet: the text query, likes,
/// dates and dev mode.
fn shared_rows(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> Bitmap {
    let others = Filters {
        facets: Vec::new(),
        ..filters.clone()
    };
    if others.is_empty() {
        return Bitmap::full(table.len());
    }
    let only_text = Filters {
        q: others.q.clone(),
        ..Filters::default()
    };
    if others == only_text {
        return (*index.query_rows(table, &others.q)).clone();
    }
    let predicate = RowPredicate::new(table, index, &others, None);
    Bitmap::from_fn(table.len(), |row| predicate.matches(row))
}
