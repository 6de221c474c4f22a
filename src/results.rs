//! Ordering matches for the results list.

use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

use crate::bitmap::Bitmap;
use crate::data::SpacesTable;
use crate::view_state::{Sort, SortKey};

/// `rows` ordered by `sort`; ties fall back to the id so the order is the
/// same on every run. Missing dates sort last either way.
pub fn sort_rows(table: &SpacesTable, rows: &[u32], sort: Sort) -> Vec<u32> {
    let mut out = rows.to_vec();
    let by_id = |a: &u32, b: &u32| table.id(*a as usize).cmp(table.id(*b as usize));
    let directed = |o: Ordering| if sort.descending { o.reverse() } else { o };
    match sort.key {
        SortKey::Likes => out.sort_unstable_by(|a, b| {
            directed(table.likes[*a as usize].cmp(&table.likes[*b as usize]))
                .then_with(|| by_id(a, b))
        }),
        SortKey::Created | SortKey::Modified => {
            let times = if sort.key == SortKey::Created {
                &table.created_at
            } else {
                &table.last_modified
            };
            out.sort_unstable_by(|a, b| {
                let (x, y) = (times[*a as usize], times[*b as usize]);
                let missing = |t: i64| t == crate::data::NULL_TIME;
                match (missing(x), missing(y)) {
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    _ => directed(x.cmp(&y)),
                }
                .then_with(|| by_id(a, b))
            })
        }
        SortKey::Id => out.sort_unstable_by(|a, b| directed(by_id(a, b))),
    }
    out
}

/// The matches in a whole-table order, picked out of that order only as
/// far as someone has looked: the first page of a filter change costs a
/// few dozen checks instead of a pass over every row, and scrolling down
/// extends what has been picked.
#[derive(Debug)]
pub struct OrderedMatches {
    order: Arc<Vec<u32>>,
    matched: Arc<Bitmap>,
    len: usize,
    /// The matches picked so far, and how far into `order` that went.
    picked: Mutex<(Vec<u32>, usize)>,
}

impl OrderedMatches {
    pub fn new(order: Arc<Vec<u32>>, matched: Arc<Bitmap>) -> OrderedMatches {
        let len = matched.count();
        OrderedMatches {
            order,
            matched,
            len,
            picked: Mutex::new((Vec::new(), 0)),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Matches `start..start + count` in order (fewer past the end).
    pub fn page(&self, start: usize, count: usize) -> Vec<u32> {
        let end = start.saturating_add(count).min(self.len);
        if start >= end {
            return Vec::new();
        }
        if self.len == self.order.len() {
            return self.order[start..end].to_vec();
        }
        let mut picked = self.picked.lock().unwrap_or_else(|e| e.into_inner());
        let (rows, scanned) = &mut *picked;
        while rows.len() < end && *scanned < self.order.len() {
            let row = self.order[*scanned];
            if self.matched.contains(row as usize) {
                rows.push(row);
            }
            *scanned += 1;
        }
        rows[start..end.min(rows.len())].to_vec()
    }
}

impl PartialEq for OrderedMatches {
    /// The same order over the same matches (as shared, not by contents).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.order, &other.order) && Arc::ptr_eq(&self.matched, &other.matched)
    }
}

/// Whole-table orders, computed once per sort the visitor uses.
#[derive(Debug, Default)]
pub struct SortCache {
    orders: std::sync::Mutex<Vec<(Sort, std::sync::Arc<Vec<u32>>)>>,
}

impl SortCache {
    pub fn order(&self, table: &SpacesTable, sort: Sort) -> std::sync::Arc<Vec<u32>> {
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, order)) = orders.iter().find(|(s, _)| *s == sort) {
            return std::sync::Arc::clone(order);
        }
        let all: Vec<u32> = (0..table.len() as u32).collect();
        let order = std::sync::Arc::new(sort_rows(table, &all, sort));
        orders.push((sort, std::sync::Arc::clone(&order)));
        order
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    #[test]
    fn orders_by_each_key_with_id_ties() {
        let rows = generate_spaces(500, 9);
        let (table, _) = crate::data::decode_spaces(bytes::Bytes::from(write_parquet(
            &rows,
            &WriteOptions::default(),
        )))
        .unwrap();
        let all: Vec<u32> = (0..500).collect();
        for key in [
            SortKey::Likes,
            SortKey::Created,
            SortKey::Modified,
            SortKey::Id,
        ] {
            for descending in [false, true] {
                let sorted = sort_rows(&table, &all, Sort { key, descending });
                let mut naive: Vec<&crate::synth::SpaceRow> = rows.iter().collect();
                naive.sort_by(|a, b| {
                    let o = match key {
                        SortKey::Likes => a.likes.cmp(&b.likes),
                        SortKey::Created => a.created_at.cmp(&b.created_at),
                        SortKey::Modified => a.last_modified.cmp(&b.last_modified),
                        SortKey::Id => a.id.cmp(&b.id),
                    };
                    (if descending { o.reverse() } else { o }).then_with(|| a.id.cmp(&b.id))
                });
                let ours: Vec<&str> = sorted.iter().map(|&r| table.id(r as usize)).collect();
                let want: Vec<&str> = naive.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(ours, want, "{key:?} descending={descending}");
                // Filtering the cached whole-table order equals sorting the subset.
                let subset: Vec<u32> = all.iter().copied().filter(|r| r % 3 == 1).collect();
                let cache = SortCache::default();
                let matched = Arc::new(Bitmap::from_fn(500, |r| r % 3 == 1));
                let order = cache.order(&table, Sort { key, descending });
                let ordered = OrderedMatches::new(order, matched);
                let want = sort_rows(&table, &subset, Sort { key, descending });
                assert_eq!(ordered.len(), want.len());
                // Pages in any order, past the end too, as scrolling asks.
                for (start, count) in [(40, 10), (0, 25), (160, 30), (500, 5), (3, 0)] {
                    let end = (start + count).min(want.len()).max(start.min(want.len()));
                    assert_eq!(ordered.page(start, count), want[start.min(want.len())..end]);
                }
                let all_rows = OrderedMatches::new(
                    cache.order(&table, Sort { key, descending }),
                    Arc::new(Bitmap::full(500)),
                );
                assert_eq!(all_rows.page(10, 5), sorted[10..15]);
            }
        }
    }
}
