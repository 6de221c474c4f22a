//! Row sets of every facet value, built once per table, so that a filter
//! change selects and counts with word-wide ANDs and popcounts instead of
//! visiting every row of every field.
//!
//! Common values (SDKs, stages, the big tags) keep a bitmap: one popcount
//! pass counts one under any filter. Rare values (most authors, models,
//! datasets) keep a list of their rows; counting them visits only the rows
//! that hold a rare value and pass the filters.

use std::sync::OnceLock;

use crate::data::{Field, FieldColumn};
use crate::data::{SpacesTable, NULL_CODE};
use crate::search::bitmap::Bitmap;

/// A value is common when at least one row in this many holds it.
const COMMON_SHARE: usize = 64;
/// Bitmaps per field at most: bounds memory at 16 × rows / 8 bytes a field.
const MAX_COMMON: usize = 16;
/// Rough costs, in ANDed-and-popcounted bitmap words, from native and
/// in-browser timings of the counting loops: visiting one row of a
/// single-valued column (a gather and an increment), one row of a list
/// column (two more scattered reads), and one streamed (row, value) pair.
const SINGLE_ROW_COST: u64 = 4;
const LIST_ROW_COST: u64 = 24;
const PAIR_COST: u64 = 1;
const NOT_COMMON: u32 = u32::MAX;

/// Each field's part is built the first time it is needed, or ahead of
/// time by [`FacetIndex::prepare`] (the page does that in idle moments, a
/// field per task, so opening Search does not wait for it).
#[derive(Default)]
pub struct FacetIndex {
    fields: [OnceLock<FieldIndex>; Field::ALL.len()],
}

struct FieldIndex {
    /// Common codes and the rows holding each.
    common: Vec<(u32, Bitmap)>,
    /// Per code: its place in `common`, or NOT_COMMON.
    common_slot: Vec<u32>,
    /// Rows holding at least one rare value, and how many there are.
    rare_rows: Bitmap,
    rare_row_count: usize,
    /// Rows of rare code `c`: `postings[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    postings: Vec<u32>,
    /// List columns only: every (row, rare value) pair in row order, read
    /// straight through instead of chasing each row's list.
    rare_pairs: Option<Vec<(u32, u32)>>,
}

impl FacetIndex {
    /// An index with every field built now (tests and benchmarks).
    pub fn build(table: &SpacesTable) -> FacetIndex {
        let index = FacetIndex::default();
        for field in Field::ALL {
            index.prepare(table, field);
        }
        index
    }

    /// Builds `field`'s part if it is not built yet.
    pub fn prepare(&self, table: &SpacesTable, field: Field) {
        self.field(table, field);
    }

    fn field(&self, table: &SpacesTable, field: Field) -> &FieldIndex {
        let slot = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
        self.fields[slot]
            .get_or_init(|| FieldIndex::build(&FieldColumn::of(table, field), table.len()))
    }

    /// The rows holding any of `codes` in `field`.
    pub fn rows_holding(&self, table: &SpacesTable, field: Field, codes: &[u32]) -> Bitmap {
        let index = self.field(table, field);
        let mut out = Bitmap::empty(table.len());
        for &code in codes {
            match index.common_slot.get(code as usize) {
                None => {}
                Some(&NOT_COMMON) => {
                    let (start, end) =
                        (index.starts[code as usize], index.starts[code as usize + 1]);
                    for &row in &index.postings[start as usize..end as usize] {
                        out.insert(row as usize);
                    }
                }
                Some(&slot) => out.union_with(&index.common[slot as usize].1),
            }
        }
        out
    }

    /// Per code of `field`, how many rows of `kept` hold it (once per row,
    /// even when a list repeats it).
    pub fn count(&self, table: &SpacesTable, field: Field, kept: &Bitmap) -> Vec<u64> {
        let column = FieldColumn::of(table, field);
        let index = self.field(table, field);
        let rows = table.len();
        // u32 halves the array the increments land in (an author facet has
        // hundreds of thousands of values): fewer cache misses.
        let mut counts = vec![0u32; column.dictionary().len()];
        // Estimated work of each way, in bitmap words (u64: a row count
        // times a row count overflows the browser's 32-bit usize).
        let row_cost = match column {
            FieldColumn::Single(_) => SINGLE_ROW_COST,
            FieldColumn::Multi(_) => LIST_ROW_COST,
        };
        let kept_rows = kept.count() as u64;
        let words = rows.div_ceil(64) as u64;
        let bitmaps = index.common.len() as u64 * words;
        let row_by_row = kept_rows * row_cost;
        let rare_kept = kept_rows * index.rare_row_count as u64 / rows.max(1) as u64;
        let rare_by_row = bitmaps + rare_kept * row_cost;
        let rare_streamed = index
            .rare_pairs
            .as_ref()
            .map_or(u64::MAX, |pairs| bitmaps + pairs.len() as u64 * PAIR_COST);
        if kept_rows == rows as u64 {
            // The whole table (no filter, or only this field's own): the
            // index already holds each value's rows.
            for (code, count) in counts.iter_mut().enumerate() {
                *count = index.starts[code + 1] - index.starts[code];
            }
            for (code, holders) in &index.common {
                counts[*code as usize] = holders.count() as u32;
            }
        } else if row_by_row <= rare_by_row.min(rare_streamed) {
            let count = |row| for_each_value(&column, row, |code| counts[code as usize] += 1);
            match listed_words(&column) {
                Some(words) => kept.for_each_and_words(words, count),
                None => kept.for_each(count),
            }
        } else {
            for (code, rows) in &index.common {
                counts[*code as usize] = kept.count_and(rows) as u32;
            }
            match &index.rare_pairs {
                Some(pairs) if rare_streamed < rare_by_row => {
                    for &(row, code) in pairs {
                        counts[code as usize] += u32::from(kept.contains(row as usize));
                    }
                }
                _ => kept.for_each_and(&index.rare_rows, |row| {
                    for_each_value(&column, row, |code| {
                        if index.common_slot[code as usize] == NOT_COMMON {
                            counts[code as usize] += 1;
                        }
                    })
                }),
            }
        }
        counts.into_iter().map(u64::from).collect()
    }
}

impl FieldIndex {
    fn build(column: &FieldColumn, rows: usize) -> FieldIndex {
        let size = column.dictionary().len();
        let mut holders = vec![0u32; size];
        each_row_holding(column, rows, |row| {
            for_each_value(column, row, |code| holders[code as usize] += 1)
        });
        let mut by_frequency: Vec<u32> = (0..size as u32)
            .filter(|&c| holders[c as usize] as usize * COMMON_SHARE >= rows.max(1))
            .collect();
        by_frequency.sort_unstable_by_key(|&c| std::cmp::Reverse(holders[c as usize]));
        by_frequency.truncate(MAX_COMMON);
        let mut common_slot = vec![NOT_COMMON; size];
        for (slot, &code) in by_frequency.iter().enumerate() {
            common_slot[code as usize] = slot as u32;
        }
        let mut starts = Vec::with_capacity(size + 1);
        let mut total = 0u32;
        starts.push(0);
        for code in 0..size {
            if common_slot[code] == NOT_COMMON {
                total += holders[code];
            }
            starts.push(total);
        }
        let mut common: Vec<(u32, Bitmap)> = by_frequency
            .iter()
            .map(|&code| (code, Bitmap::empty(rows)))
            .collect();
        let mut rare_rows = Bitmap::empty(rows);
        let mut postings = vec![0u32; total as usize];
        let mut next = starts.clone();
        let mut rare_pairs = match column {
            FieldColumn::Single(_) => None,
            FieldColumn::Multi(_) => Some(Vec::new()),
        };
        each_row_holding(column, rows, |row| {
            for_each_value(column, row, |code| match common_slot[code as usize] {
                NOT_COMMON => {
                    rare_rows.insert(row);
                    postings[next[code as usize] as usize] = row as u32;
                    next[code as usize] += 1;
                    if let Some(pairs) = rare_pairs.as_mut() {
                        pairs.push((row as u32, code));
                    }
                }
                slot => common[slot as usize].1.insert(row),
            });
        });
        let rare_row_count = rare_rows.count();
        FieldIndex {
            common,
            common_slot,
            rare_rows,
            rare_row_count,
            starts,
            postings,
            rare_pairs,
        }
    }
}

/// The rows of a list column that hold any value, when it keeps them apart.
fn listed_words<'t>(column: &FieldColumn<'t>) -> Option<&'t [u64]> {
    match column {
        FieldColumn::Multi(c) => c.listed_words(),
        FieldColumn::Single(_) => None,
    }
}

/// Calls `visit` with every row of `rows` that may hold a value: all of
/// them, or only the listed rows of a sparse list column.
fn each_row_holding(column: &FieldColumn, rows: usize, mut visit: impl FnMut(usize)) {
    match listed_words(column) {
        Some(words) => super::bitmap::each_bit(words.iter().copied(), visit),
        None => (0..rows).for_each(&mut visit),
    }
}

/// Calls `visit` once for each distinct value `row` holds.
pub fn for_each_value(column: &FieldColumn, row: usize, mut visit: impl FnMut(u32)) {
    match column {
        FieldColumn::Single(c) => {
            let code = c.code(row);
            if code != NULL_CODE {
                visit(code);
            }
        }
        FieldColumn::Multi(c) => match c.row_codes(row) {
            [] => {}
            [one] => visit(*one),
            [a, b] => {
                visit(*a);
                if a != b {
                    visit(*b);
                }
            }
            codes => {
                for (i, &code) in codes.iter().enumerate() {
                    if !codes[..i].contains(&code) {
                        visit(code);
                    }
                }
            }
        },
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    #[test]
    fn rows_and_counts_agree_with_row_loops_for_common_and_rare_values() {
        let rows = generate_spaces(3_000, 5);
        let bytes = write_parquet(&rows, &WriteOptions::default());
        let (table, _) = crate::data::decode_spaces(bytes::Bytes::from(bytes)).unwrap();
        let index = FacetIndex::build(&table);
        let n = table.len();
        // Dense and sparse selections take different counting paths.
        let kept_sets = [
            Bitmap::full(n),
            Bitmap::from_fn(n, |r| r % 3 != 0),
            Bitmap::from_fn(n, |r| r % 97 == 0),
            Bitmap::empty(n),
        ];
        for field in Field::ALL {
            let column = FieldColumn::of(&table, field);
            let size = column.dictionary().len();
            assert!(size > 1, "{field:?} has values in the sample");
            for kept in &kept_sets {
                let mut naive = vec![0u64; size];
                for row in (0..n).filter(|&r| kept.contains(r)) {
                    let mut seen = Vec::new();
                    for_each_value(&column, row, |c| seen.push(c));
                    let mut distinct = seen.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    assert_eq!(distinct.len(), seen.len(), "each value visited once");
                    for c in seen {
                        naive[c as usize] += 1;
                    }
                }
                assert_eq!(index.count(&table, field, kept), naive, "{field:?}");
            }
            // Some common and some rare values, selected together.
            let codes: Vec<u32> = [0u32, 1, size as u32 - 1, size as u32 + 5].to_vec();
            let holding = index.rows_holding(&table, field, &codes);
            let want = Bitmap::from_fn(n, |r| {
                let mut hit = false;
                for_each_value(&column, r, |c| hit |= codes.contains(&c));
                hit
            });
            assert_eq!(holding, want, "{field:?}");
        }
        let tags = index.field(&table, Field::Tag);
        assert!(!tags.common.is_empty() && tags.rare_row_count < n);
        let authors = index.field(&table, Field::Author);
        assert!(authors.rare_row_count > n / 2, "most authors are rare");
    }
}
