//! The lower-cased ids the text query runs over. Most Hub ids are already
//! lower case (87% of the upstream sample's), so those are read from the
//! table's own id text, and only the others are kept lowered: a second copy
//! of every id was the largest part of the search index.

use memchr::memmem::Finder;

use crate::data::TextColumn;

use super::bitmap::Bitmap;
use super::haystack::{item_holding, Haystack};

/// Every method takes the id column the index was built from.
pub(super) struct LoweredIds {
    /// Rows whose id lowers to other text, ascending.
    changed_rows: Vec<u32>,
    /// Those ids lowered, in the same order.
    changed: Haystack,
    /// The same rows as a bitmap, for the scan of the table's text.
    is_changed: Bitmap,
}

impl LoweredIds {
    pub(super) fn build(ids: &TextColumn) -> LoweredIds {
        let rows = ids.len();
        let mut is_changed = Bitmap::empty(rows);
        let changed_rows: Vec<u32> = (0..rows)
            .filter(|&row| lowering_changes(ids.get(row)))
            .map(|row| {
                is_changed.insert(row);
                row as u32
            })
            .collect();
        let changed = Haystack::lowered(changed_rows.iter().map(|&row| ids.get(row as usize)));
        LoweredIds {
            changed_rows,
            changed,
            is_changed,
        }
    }

    /// Each row's lowered id, in row order.
    pub(super) fn for_each(&self, ids: &TextColumn, mut visit: impl FnMut(&[u8])) {
        let mut next_changed = 0;
        for row in 0..ids.len() {
            if self.changed_rows.get(next_changed) == Some(&(row as u32)) {
                visit(self.changed.item(next_changed));
                next_changed += 1;
            } else {
                visit(ids.get(row).as_bytes());
            }
        }
    }

    /// The lowered id of `row`.
    pub(super) fn get<'a>(&'a self, ids: &'a TextColumn, row: usize) -> &'a [u8] {
        if self.is_changed.contains(row) {
            let at = self.changed_rows.partition_point(|&r| (r as usize) < row);
            self.changed.item(at)
        } else {
            ids.get(row).as_bytes()
        }
    }

    /// Rows whose lowered id contains the needle of `finder`, each once.
    pub(super) fn each_match(&self, ids: &TextColumn, finder: &Finder, mut hit: impl FnMut(usize)) {
        self.changed
            .each_match(finder, |at| hit(self.changed_rows[at] as usize));
        // The ids as they are, but for the changed rows just searched. The
        // text has no separators: a hit running into the next id is none.
        let (offsets, text) = ids.parts();
        let text = text.as_bytes();
        let needle = finder.needle().len();
        let (mut from, mut row) = (0usize, 0usize);
        while let Some(found) = finder.find(&text[from..]) {
            let at = from + found;
            row = item_holding(offsets, row, at);
            let end = offsets[row + 1] as usize;
            if at + needle <= end && !self.is_changed.contains(row) {
                hit(row);
            }
            // Any later hit in this id is the same row, or runs past it.
            from = end;
            if from >= text.len() {
                break;
            }
        }
    }
}

/// Whether lower-casing `id` gives other text.
fn lowering_changes(id: &str) -> bool {
    if id.is_ascii() {
        id.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        id.chars().flat_map(char::to_lowercase).ne(id.chars())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn column(ids: &[&str]) -> TextColumn {
        let mut column = TextColumn::new();
        for id in ids {
            column.push(Some(id));
        }
        column
    }

    /// Rows whose lower-cased id contains `needle`, one by one.
    fn naive(ids: &[&str], needle: &str) -> Vec<usize> {
        (0..ids.len())
            .filter(|&row| ids[row].to_lowercase().contains(needle))
            .collect()
    }

    fn found(lowered: &LoweredIds, column: &TextColumn, needle: &str) -> Vec<usize> {
        let mut rows = Vec::new();
        lowered.each_match(column, &Finder::new(needle), |row| rows.push(row));
        rows.sort_unstable();
        rows
    }

    fn agrees(ids: &[&str], needles: &[&str]) {
        let column = column(ids);
        let lowered = LoweredIds::build(&column);
        let mut visited = Vec::new();
        lowered.for_each(&column, |text| visited.push(text.to_vec()));
        for (row, id) in ids.iter().enumerate() {
            let expected = id.to_lowercase().into_bytes();
            assert_eq!(lowered.get(&column, row), expected, "row {row}");
            assert_eq!(visited[row], expected, "visit of row {row}");
        }
        for needle in needles {
            assert_eq!(
                found(&lowered, &column, needle),
                naive(ids, needle),
                "{needle:?}"
            );
        }
    }

    #[test]
    fn only_ids_that_lowering_changes_are_copied() {
        let ids = ["gradio/hello", "Qwen/Qwen2.5", "a/b", "ÜBER/straße"];
        let lowered = LoweredIds::build(&column(&ids));
        assert_eq!(lowered.changed_rows, [1, 3]);
        agrees(&ids, &["qwen", "/", "über", "straße", "hello", "a/b"]);
    }

    #[test]
    fn a_match_running_from_one_id_into_the_next_is_none() {
        // "ab" then "cd": the table's text reads "abcd".
        agrees(
            &["ab", "cd", "", "x", "bc"],
            &["bc", "abc", "dx", "cdx", "b"],
        );
        agrees(&["ab", "cd"], &["bc"]);
        agrees(&["", "", "ab"], &["ab", "a"]);
    }

    proptest! {
        #[test]
        fn matches_agree_with_lowering_each_id(
            ids in proptest::collection::vec("[aAbB/éÉΣß-]{0,6}", 0..40),
            needles in proptest::collection::vec("[abé/σß-]{1,3}", 1..6),
        ) {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
            agrees(&ids, &needles);
        }
    }
}
