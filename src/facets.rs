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
    /// same pass, so a Search update reads the table once.
    ///
    /// Column at a time: one bitmap of rows passing the shared filters
    /// (text, likes, dates, dev mode), one of rows failing each constrained
    /// field; word-wide ORs then give, per field, the rows every *other*
    /// filter keeps, and the counting loops touch only those rows.
    pub fn compute_with_selection(
        table: &SpacesTable,
        index: &SearchIndex,
        filters: &Filters,
    ) -> (FacetCounts, Vec<u32>) {
        let rows = table.len();
        let others = Filters {
            facets: Vec::new(),
            ..filters.clone()
        };
        let shared = if others.is_empty() {
            Bitmap::full(rows)
        } else {
            let predicate = RowPredicate::new(table, index, &others, None);
            Bitmap::from_fn(rows, |row| predicate.matches(row))
        };
        let constrained: Vec<(Field, Bitmap)> = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let values = filters.values(field);
                (!values.is_empty()).then(|| {
                    let column = FieldColumn::of(table, field);
                    let allowed: Vec<bool> = column
                        .dictionary()
                        .iter()
                        .map(|d| values.iter().any(|v| **v == **d))
                        .collect();
                    let fails = Bitmap::from_fn(rows, |row| !column.row_matches(row, &allowed));
                    (field, fails)
                })
            })
            .collect();
        // Rows passing every filter, and per constrained field the rows
        // passing every filter but that field's own.
        let fails: Vec<&Bitmap> = constrained.iter().map(|(_, b)| b).collect();
        let all = shared.and_not_any(&fails);
        let selection = all.rows();
        let counts = Field::ALL
            .into_iter()
            .map(|field| {
                let column = FieldColumn::of(table, field);
                let mut field_counts = vec![0u64; column.dictionary().len()];
                let own = constrained.iter().position(|(f, _)| *f == field);
                let kept = match own {
                    None => None,
                    Some(i) => {
                        let rest: Vec<&Bitmap> = fails
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .map(|(_, b)| *b)
                            .collect();
                        Some(shared.and_not_any(&rest))
                    }
                };
                count_into(&mut field_counts, &column, kept.as_ref().unwrap_or(&all));
                (field, field_counts)
            })
            .collect();
        (FacetCounts { fields: counts }, selection)
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

/// Adds one per Space in `rows` to the count of each value it holds (once
/// per value, even when a list repeats it).
fn count_into(counts: &mut [u64], column: &FieldColumn, rows: &Bitmap) {
    match column {
        FieldColumn::Single(c) => rows.for_each(|row| {
            let code = c.codes[row];
            if code != NULL_CODE {
                counts[code as usize] += 1;
            }
        }),
        FieldColumn::Multi(c) => rows.for_each(|row| match c.row_codes(row) {
            [] => {}
            [one] => counts[*one as usize] += 1,
            [a, b] => {
                counts[*a as usize] += 1;
                if a != b {
                    counts[*b as usize] += 1;
                }
            }
            codes => {
                for (i, &code) in codes.iter().enumerate() {
                    if !codes[..i].contains(&code) {
                        counts[code as usize] += 1;
                    }
                }
            }
        }),
    }
}

/// One bit per row.
struct Bitmap {
    words: Vec<u64>,
    rows: usize,
}

impl Bitmap {
    fn full(rows: usize) -> Bitmap {
        let mut words = vec![u64::MAX; rows.div_ceil(64)];
        if !rows.is_multiple_of(64) {
            if let Some(last) = words.last_mut() {
                *last = (1u64 << (rows % 64)) - 1;
            }
        }
        Bitmap { words, rows }
    }

    fn from_fn(rows: usize, mut test: impl FnMut(usize) -> bool) -> Bitmap {
        let mut words = vec![0u64; rows.div_ceil(64)];
        for (w, word) in words.iter_mut().enumerate() {
            let base = w * 64;
            let mut bits = 0u64;
            for bit in 0..64.min(rows - base) {
                bits |= u64::from(test(base + bit)) << bit;
            }
            *word = bits;
        }
        Bitmap { words, rows }
    }

    /// `self` without the rows set in any of `others`.
    fn and_not_any(&self, others: &[&Bitmap]) -> Bitmap {
        let words = self
            .words
            .iter()
            .enumerate()
            .map(|(w, &word)| others.iter().fold(word, |acc, o| acc & !o.words[w]))
            .collect();
        Bitmap {
            words,
            rows: self.rows,
        }
    }

    fn for_each(&self, mut visit: impl FnMut(usize)) {
        for (w, &word) in self.words.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                visit(w * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
    }

    fn rows(&self) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each(|row| out.push(row as u32));
        out
    }
}
