//! The results list's order: the sort a link names, matches sorted that
//! way, and pages of them picked without sorting everything first.

use std::cmp::Ordering;
use std::sync::{Arc, Mutex, OnceLock};

use crate::data::rank::best_few;
use crate::data::{SpacesTable, NULL_TIME};

use super::bitmap::Bitmap;
use super::radix::RadixSort;

/// What the results are ordered by (the `sort` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Likes,
    Created,
    Modified,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Likes,
            descending: true,
        }
    }
}

/// `rows` ordered by `sort`; ties fall back to the id so the order is the
/// same on every run. Missing dates sort last either way.
pub fn sort_rows(table: &SpacesTable, rows: &[u32], sort: Sort) -> Vec<u32> {
    let mut out = rows.to_vec();
    out.sort_unstable_by(|&a, &b| compare_rows(table, sort, a, b));
    out
}

/// The order of [`sort_rows`], for two rows.
fn compare_rows(table: &SpacesTable, sort: Sort, a: u32, b: u32) -> Ordering {
    let (a, b) = (a as usize, b as usize);
    let by_id = || table.id(a).cmp(table.id(b));
    let directed = |o: Ordering| if sort.descending { o.reverse() } else { o };
    match sort.key {
        SortKey::Likes => directed(table.likes[a].cmp(&table.likes[b])).then_with(by_id),
        SortKey::Created | SortKey::Modified => {
            let times = if sort.key == SortKey::Created {
                &table.created_at
            } else {
                &table.last_modified
            };
            let (x, y) = (times[a], times[b]);
            let missing = |t: i64| t == crate::data::NULL_TIME;
            match (missing(x), missing(y)) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => directed(x.cmp(&y)),
            }
            .then_with(by_id)
        }
        SortKey::Id => directed(by_id()),
    }
}

/// The first `limit` rows of `matched` in `sort` order, without sorting the
/// table: one pass that keeps the best few (most rows lose on the sorted
/// value alone).
pub fn top_matches(table: &SpacesTable, matched: &Bitmap, sort: Sort, limit: usize) -> Vec<u32> {
    best_few(matched.rows_iter(), limit, |a, b| {
        compare_rows(table, sort, a, b) == Ordering::Less
    })
}

/// Builds a whole-table order when first needed.
type OrderSource = Box<dyn Fn() -> Arc<Vec<u32>> + Send + Sync>;

/// The matches in a whole-table order, picked out of that order only as
/// far as someone has looked: the first page of a filter change costs a
/// few dozen checks instead of a pass over every row, and scrolling down
/// extends what has been picked. Before the table has been sorted that way
/// (the first visit to Search), the first page comes from a bounded pass
/// over the matches and the sort waits until someone scrolls past it.
pub struct OrderedMatches {
    order: OnceLock<Arc<Vec<u32>>>,
    source: OrderSource,
    /// The leading matches, when found without the order.
    first: Vec<u32>,
    matched: Arc<Bitmap>,
    len: usize,
    /// The matches picked so far, and how far into the order that went.
    picked: Mutex<(Vec<u32>, usize)>,
}

impl OrderedMatches {
    pub fn new(order: Arc<Vec<u32>>, matched: Arc<Bitmap>) -> OrderedMatches {
        OrderedMatches::deferred(Vec::new(), matched, move || Arc::clone(&order))
    }

    /// `first` holds the leading matches; `source` gives the whole order
    /// for anything past them.
    pub fn deferred(
        first: Vec<u32>,
        matched: Arc<Bitmap>,
        source: impl Fn() -> Arc<Vec<u32>> + Send + Sync + 'static,
    ) -> OrderedMatches {
        let len = matched.count();
        OrderedMatches {
            order: OnceLock::new(),
            source: Box::new(source),
            first,
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

    fn order(&self) -> &[u32] {
        self.order.get_or_init(&self.source)
    }

    /// Matches `start..start + count` in order (fewer past the end).
    pub fn page(&self, start: usize, count: usize) -> Vec<u32> {
        let end = start.saturating_add(count).min(self.len);
        if start >= end {
            return Vec::new();
        }
        if end <= self.first.len() {
            return self.first[start..end].to_vec();
        }
        let order = self.order();
        if self.len == order.len() {
            return order[start..end].to_vec();
        }
        let mut picked = self.picked.lock().unwrap_or_else(|e| e.into_inner());
        let (rows, scanned) = &mut *picked;
        while rows.len() < end && *scanned < order.len() {
            let row = order[*scanned];
            if self.matched.contains(row as usize) {
                rows.push(row);
            }
            *scanned += 1;
        }
        rows[start..end.min(rows.len())].to_vec()
    }
}

impl PartialEq for OrderedMatches {
    /// Each is a result of its own (memos compare the shared pointer).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Whole-table orders, computed once per sort the visitor uses, and the
/// rows in id order, which every one of them starts from (so ties stay in
/// id order).
#[derive(Debug, Default)]
pub struct SortCache {
    orders: Mutex<Vec<(Sort, Arc<Vec<u32>>)>>,
    id_order: OnceLock<Vec<u32>>,
}

/// Sixteen bytes of `row`'s id from byte `from`, big-endian and
/// zero-padded: where they differ they order like the text, and sorting
/// plain integers beats comparing a million strings.
fn id_head(table: &SpacesTable, row: u32, from: usize) -> u128 {
    let id = table.id(row as usize).as_bytes();
    let mut bytes = [0u8; 16];
    let tail = id.get(from..).unwrap_or_default();
    let len = tail.len().min(16);
    bytes[..len].copy_from_slice(&tail[..len]);
    u128::from_be_bytes(bytes)
}

/// The id order, built a part per step: a radix sort by the ids' first
/// sixteen bytes, then the runs that share them, re-keyed by the next
/// sixteen (ids often share "author/word-"); short or deep runs compare
/// whole ids.
enum IdSteps {
    Sorting(RadixSort),
    Refining {
        rows: Vec<u32>,
        /// `(start, end, from)`: rows that share their ids' bytes before
        /// `from`.
        runs: Vec<(usize, usize, usize)>,
    },
}

/// Rows re-keyed per step while refining runs (a few tens of ms).
const REFINE_BUDGET: usize = 200_000;

impl IdSteps {
    fn new(table: &SpacesTable) -> IdSteps {
        IdSteps::Sorting(RadixSort::new((0..table.len() as u32).collect()))
    }

    /// The next part; the order once all is done.
    fn step(&mut self, table: &SpacesTable) -> Option<Vec<u32>> {
        match self {
            IdSteps::Sorting(sort) => {
                if !sort.step(|row| id_head(table, row, 0)) {
                    let sorted = std::mem::replace(sort, RadixSort::new(Vec::new()));
                    let (rows, heads) = sorted.into_rows_and_keys();
                    let mut runs = Vec::new();
                    push_equal_runs(&heads, 0, 16, &mut runs);
                    *self = IdSteps::Refining { rows, runs };
                }
                None
            }
            IdSteps::Refining { rows, runs } => {
                let mut done = 0;
                while let Some((start, end, from)) = runs.pop() {
                    let run = &mut rows[start..end];
                    done += run.len();
                    if run.len() <= 16 || from >= 64 {
                        run.sort_unstable_by(|a, b| {
                            table.id(*a as usize).cmp(table.id(*b as usize))
                        });
                    } else {
                        let mut keyed: Vec<(u128, u32)> = run
                            .iter()
                            .map(|&row| (id_head(table, row, from), row))
                            .collect();
                        keyed.sort_unstable();
                        for (slot, (_, row)) in run.iter_mut().zip(&keyed) {
                            *slot = *row;
                        }
                        let heads: Vec<u128> = keyed.iter().map(|(head, _)| *head).collect();
                        push_equal_runs(&heads, start, from + 16, runs);
                    }
                    if done >= REFINE_BUDGET {
                        return None;
                    }
                }
                Some(std::mem::take(rows))
            }
        }
    }
}

/// Adds each run of two or more equal keys in `sorted` (whose first row
/// is at `offset`) to `runs`, to be refined from byte `from`.
fn push_equal_runs(
    sorted: &[u128],
    offset: usize,
    from: usize,
    runs: &mut Vec<(usize, usize, usize)>,
) {
    let mut at = 0;
    while at < sorted.len() {
        let len = sorted[at..].partition_point(|&k| k == sorted[at]);
        if len > 1 {
            runs.push((offset + at, offset + at + len, from));
        }
        at += len;
    }
}

/// A whole-table order being built a part per step ([`SortCache::order_step`]).
#[derive(Default)]
pub struct OrderSteps {
    ids: Option<IdSteps>,
    values: Option<RadixSort>,
}

impl SortCache {
    /// The order for `sort`, if the table has been sorted that way.
    pub fn cached(&self, sort: Sort) -> Option<Arc<Vec<u32>>> {
        let orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        orders
            .iter()
            .find(|(s, _)| *s == sort)
            .map(|(_, o)| Arc::clone(o))
    }

    /// Every row in `sort` order: the same order as [`sort_rows`].
    pub fn order(&self, table: &SpacesTable, sort: Sort) -> Arc<Vec<u32>> {
        let mut steps = OrderSteps::default();
        while self.order_step(table, sort, &mut steps) {}
        self.cached(sort)
            .expect("order_step ends only once the order is cached")
    }

    /// Builds the next part of `sort`'s order (the page yields between
    /// parts); `false` once it is cached.
    pub fn order_step(&self, table: &SpacesTable, sort: Sort, steps: &mut OrderSteps) -> bool {
        if self.cached(sort).is_some() {
            return false;
        }
        let Some(ids) = self.id_order.get() else {
            let building = steps.ids.get_or_insert_with(|| IdSteps::new(table));
            if let Some(order) = building.step(table) {
                steps.ids = None;
                let _ = self.id_order.set(order);
            }
            return true;
        };
        let rows = match sort.key {
            SortKey::Id => {
                let mut rows = ids.clone();
                if sort.descending {
                    rows.reverse();
                }
                rows
            }
            SortKey::Likes | SortKey::Created | SortKey::Modified => {
                let values = steps
                    .values
                    .get_or_insert_with(|| RadixSort::new(ids.clone()));
                // One plain integer per row: missing dates last, whichever
                // the direction, then the value (order-preserving, flipped
                // when descending). The rows start in id order and the
                // sort is stable: ties stay in id order.
                let directed = |value: i64| {
                    let ascending = (value as u64) ^ (1 << 63);
                    if sort.descending {
                        !ascending
                    } else {
                        ascending
                    }
                };
                let key = |row: u32| {
                    let r = row as usize;
                    let (value, missing) = match sort.key {
                        SortKey::Likes => (table.likes[r], false),
                        SortKey::Created => (table.created_at[r], table.created_at[r] == NULL_TIME),
                        _ => (table.last_modified[r], table.last_modified[r] == NULL_TIME),
                    };
                    (u128::from(missing) << 64) | u128::from(directed(value))
                };
                if values.step(key) {
                    return true;
                }
                steps
                    .values
                    .take()
                    .map(RadixSort::into_rows)
                    .unwrap_or_default()
            }
        };
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        orders.push((sort, Arc::new(rows)));
        false
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    fn every_sort() -> Vec<Sort> {
        [
            SortKey::Likes,
            SortKey::Created,
            SortKey::Modified,
            SortKey::Id,
        ]
        .into_iter()
        .flat_map(|key| [false, true].map(|descending| Sort { key, descending }))
        .collect()
    }

    #[test]
    fn orders_by_each_key_with_id_ties() {
        let rows = generate_spaces(500, 9);
        let (table, _) = crate::data::decode_spaces(bytes::Bytes::from(write_parquet(
            &rows,
            &WriteOptions::default(),
        )))
        .unwrap();
        let all: Vec<u32> = (0..500).collect();
        for Sort { key, descending } in every_sort() {
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
            let ordered = OrderedMatches::new(Arc::clone(&order), Arc::clone(&matched));
            let want = sort_rows(&table, &subset, Sort { key, descending });
            assert_eq!(ordered.len(), want.len());
            // Before the table is sorted: the first page from a bounded
            // pass, the rest once the order is asked for.
            let first = top_matches(&table, &matched, Sort { key, descending }, 12);
            assert_eq!(first, want[..12]);
            let deferred = OrderedMatches::deferred(first, Arc::clone(&matched), {
                let order = Arc::clone(&order);
                move || Arc::clone(&order)
            });
            // Pages in any order, past the end too, as scrolling asks.
            for (start, count) in [(2, 10), (40, 10), (0, 25), (160, 30), (500, 5), (3, 0)] {
                let end = (start + count).min(want.len()).max(start.min(want.len()));
                assert_eq!(ordered.page(start, count), want[start.min(want.len())..end]);
                assert_eq!(
                    deferred.page(start, count),
                    want[start.min(want.len())..end]
                );
            }
            let all_rows = OrderedMatches::new(
                cache.order(&table, Sort { key, descending }),
                Arc::new(Bitmap::full(500)),
            );
            assert_eq!(all_rows.page(10, 5), sorted[10..15]);
            assert_eq!(*cache.order(&table, Sort { key, descending }), sorted);
        }
    }

    #[test]
    fn cached_orders_equal_the_reference_with_short_ids_shared_prefixes_and_missing_dates() {
        let mut rows = generate_spaces(120, 4);
        let long = "someone/a-long-shared-name-prefix-that-runs-past-sixty-four-bytes-";
        let ids = [
            "a",
            "a/b",
            "ab",
            "user0000/x",
            "user0000/y",
            "user0000",
            "Z",
            "é/1",
            "a/b ",
            long,
            "someone/a-long-shared-name-prefix-that-runs-past-sixty-four-bytes",
        ];
        // Runs longer than sixteen that share 16, 32, 48 and 64+ bytes.
        for k in 0..90 {
            let cut = [16, 32, 48, long.len()][k % 4];
            rows[20 + k].id = format!("{}{}", &long[..cut], (k * 7919) % 1000);
        }
        for (i, id) in ids.iter().enumerate() {
            rows[i].id = id.to_string();
            rows[i].likes = (i % 2) as i64;
            rows[i + 20].created_at = None;
            rows[i + 30].last_modified = None;
        }
        let (table, _) = crate::data::decode_spaces(bytes::Bytes::from(write_parquet(
            &rows,
            &WriteOptions::default(),
        )))
        .unwrap();
        let all: Vec<u32> = (0..120).collect();
        let cache = SortCache::default();
        for sort in every_sort() {
            assert_eq!(
                *cache.order(&table, sort),
                sort_rows(&table, &all, sort),
                "{sort:?}"
            );
        }
        // Built a step at a time (as the page does, yielding between),
        // each order is the same, and takes several steps.
        for sort in every_sort() {
            let stepped = SortCache::default();
            let mut steps = OrderSteps::default();
            let mut calls = 1;
            while stepped.order_step(&table, sort, &mut steps) {
                calls += 1;
            }
            assert!(calls > 3, "{sort:?} in {calls} steps");
            assert_eq!(
                stepped.cached(sort).as_deref(),
                Some(&sort_rows(&table, &all, sort)),
                "{sort:?}"
            );
        }
    }
}
