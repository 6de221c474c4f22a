//! Ordering matches for the results list.

use std::cmp::Ordering;

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

/// The rows of `order` (every row, sorted once) that are in `selected`:
/// linear in the table instead of a sort per filter change.
pub fn order_selection(order: &[u32], selected: &[u32], table_rows: usize) -> Vec<u32> {
    if selected.len() == table_rows {
        return order.to_vec();
    }
    let mut member = vec![false; table_rows];
    for &row in selected {
        member[row as usize] = true;
    }
    order
        .iter()
        .copied()
        .filter(|&r| member[r as usize])
        .collect()
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
                let via_cache =
                    order_selection(&cache.order(&table, Sort { key, descending }), &subset, 500);
                assert_eq!(
                    via_cache,
                    sort_rows(&table, &subset, Sort { key, descending })
                );
            }
        }
    }
}
