//! Facet counts: for each field, how many matching Spaces hold each value
//! when every filter but that field's own applies (so a user can widen a
//! selection within a field). One pass over the rows serves all fields.

use crate::aggregate::top_codes;
use crate::data::{SpacesTable, NULL_CODE};
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
    /// same single pass, so a Search update reads the table once.
    pub fn compute_with_selection(
        table: &SpacesTable,
        index: &SearchIndex,
        filters: &Filters,
    ) -> (FacetCounts, Vec<u32>) {
        let mut selection = Vec::new();
        // Which fields have a facet filter, and the predicate of the others
        // (text, likes, dates, dev mode) that every count shares.
        let others = Filters {
            facets: Vec::new(),
            ..filters.clone()
        };
        let shared = RowPredicate::new(table, index, &others, None);
        let constrained: Vec<(Field, FieldColumn, Vec<bool>)> = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let values = filters.values(field);
                (!values.is_empty()).then(|| {
                    let column = FieldColumn::of(table, field);
                    let mask = column
                        .dictionary()
                        .iter()
                        .map(|d| values.iter().any(|v| **v == **d))
                        .collect();
                    (field, column, mask)
                })
            })
            .collect();
        let mut counts: Vec<(Field, FieldColumn, Vec<u64>)> = Field::ALL
            .into_iter()
            .map(|field| {
                let column = FieldColumn::of(table, field);
                let n = column.dictionary().len();
                (field, column, vec![0u64; n])
            })
            .collect();
        let mut seen: Vec<u32> = Vec::new();
        for row in 0..table.len() {
            if !shared.matches(row) {
                continue;
            }
            // Bit i set: the row fails the i-th constrained field.
            let mut failing = 0u32;
            for (i, (_, column, mask)) in constrained.iter().enumerate() {
                if !column.row_matches(row, mask) {
                    failing |= 1 << i;
                }
            }
            if failing.count_ones() > 1 {
                continue;
            }
            if failing == 0 {
                selection.push(row as u32);
            }
            for (field, column, field_counts) in &mut counts {
                // Counted for `field` when every other constrained field holds.
                let own = constrained.iter().position(|(f, _, _)| f == field);
                let others_fail = match own {
                    Some(i) => failing & !(1 << i) != 0,
                    None => failing != 0,
                };
                if others_fail {
                    continue;
                }
                match column {
                    FieldColumn::Single(c) => {
                        let code = c.codes[row];
                        if code != NULL_CODE {
                            field_counts[code as usize] += 1;
                        }
                    }
                    FieldColumn::Multi(c) => {
                        // A Space counts once per value, even if listed twice.
                        seen.clear();
                        for &code in c.row_codes(row) {
                            if !seen.contains(&code) {
                                seen.push(code);
                                field_counts[code as usize] += 1;
                            }
                        }
                    }
                }
            }
        }
        let counts = FacetCounts {
            fields: counts.into_iter().map(|(f, _, c)| (f, c)).collect(),
        };
        (counts, selection)
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
        let dictionary = FieldColumn::of(table, field).dictionary();
        let counts = self.counts(field);
        let selected = filters.values(field);
        let needle = prefix.trim().to_lowercase();
        let codes: Vec<usize> = (0..counts.len())
            .filter(|&c| counts[c] > 0 || selected.iter().any(|s| **s == *dictionary[c]))
            .filter(|&c| needle.is_empty() || dictionary[c].to_lowercase().contains(&needle))
            .collect();
        let codes = top_codes(codes, dictionary, counts, limit);
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
                let count = dictionary
                    .iter()
                    .position(|d| **d == **value)
                    .map_or(0, |c| counts[c]);
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
