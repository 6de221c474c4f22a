//! Overview aggregates over a selection of rows: the numbers behind every
//! chart and table, computed the way the original pandas app did.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::data::rank::{rank, ranking_order, top_codes, Ranked};
use crate::data::{year_month, CategoryColumn, Codes, Field, MultiColumn, SpacesTable, DAY_MS};

/// How many entries the top lists keep, as in the original app.
pub const TOP_N: usize = 20;

/// One point of the authors scatter: Spaces and likes of one author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorPoint {
    pub author: String,
    pub spaces: u64,
    pub likes: u64,
}

/// One emoji of the emoji-vs-likes scatter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiPoint {
    pub emoji: String,
    pub spaces: u64,
    pub likes: u64,
}

/// Everything the Overview shows, for one selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub rows: u64,
    pub likes_total: u64,
    /// `(YYYY-MM, Spaces created that month)`, oldest first, gaps filled with 0.
    pub created_per_month: Vec<(String, u64)>,
    pub sdk: Ranked,
    pub emoji: Ranked,
    pub hardware: Ranked,
    pub stage: Ranked,
    pub license: Ranked,
    pub top_models: Ranked,
    pub top_model_authors: Ranked,
    pub top_datasets: Ranked,
    pub top_dataset_authors: Ranked,
    pub most_duplicated: Ranked,
    pub most_liked: Ranked,
    pub authors_by_spaces: Ranked,
    pub authors_by_likes: Ranked,
    pub emoji_likes: Vec<EmojiPoint>,
    pub author_points: Vec<AuthorPoint>,
    /// Authors in the selection (the scatter may show fewer).
    pub author_count: u64,
    /// Fields whose charts show their context (see [`Overview::show_context`])
    /// and how many Spaces that context holds.
    #[serde(skip)]
    pub contexts: Vec<(Field, u64)>,
    /// The parts computed (the others are empty, not zero).
    #[serde(skip)]
    pub parts: Parts,
    /// Which computation each part came from: a card redraws when its own
    /// part is recomputed, not when another part is added beside it.
    #[serde(skip)]
    pub stamps: Stamps,
}

/// Most months the growth chart spans: the decoder's date window
/// (`data::repair`, 1970 to 2099) holds 1,560.
pub const MAX_MONTHS: i32 = 1_560;

/// Emoji shown in the emoji bar chart.
pub const EMOJI_TOP: usize = 10;
/// Most authors the scatter plots: the rest are the long tail of
/// one-Space, no-like authors that sit on one point anyway.
pub const AUTHOR_POINTS_MAX: usize = 5_000;

impl Overview {
    /// ```
    /// use spaces_ship::data::decode_spaces;
    /// use spaces_ship::overview::Overview;
    ///
    /// let bytes = std::fs::read("tests/fixtures/spaces-5k-pandas.parquet").unwrap();
    /// let (table, _) = decode_spaces(bytes.into()).unwrap();
    /// let every_row: Vec<u32> = (0..table.len() as u32).collect();
    /// let overview = Overview::compute(&table, &every_row);
    /// assert_eq!(overview.sdk[0], ("gradio".to_string(), 3_089)); // as pandas
    /// ```
    pub fn compute(table: &SpacesTable, rows: &[u32]) -> Overview {
        Overview::compute_parts(table, rows, Parts::ALL)
    }

    /// The aggregates of `parts` only (the rest stay empty): the Overview
    /// computes what the cards on screen draw, and the others when they
    /// come near.
    pub fn compute_parts(table: &SpacesTable, rows: &[u32], parts: Parts) -> Overview {
        let mut o = Overview {
            rows: rows.len() as u64,
            likes_total: rows
                .iter()
                .map(|&r| likes_of(table, r))
                .fold(0, u64::saturating_add),
            parts,
            ..Overview::default()
        };
        let all = usize::MAX;
        if parts.contains(Part::Growth) {
            o.created_per_month = created_per_month(&table.created_at, rows);
        }
        if parts.contains(Part::Sdk) {
            o.sdk = rank_categories(&table.sdk, rows, all);
        }
        if parts.contains(Part::Emoji) {
            let spaces = count_categories(&table.emoji, rows);
            let likes = sum_likes_by(&table.emoji, &table.likes, rows);
            o.emoji = rank(&table.emoji.dictionary, &spaces, EMOJI_TOP);
            o.emoji_likes = emoji_points(&table.emoji.dictionary, &spaces, &likes);
        }
        if parts.contains(Part::Hardware) {
            o.hardware = rank_categories(&table.hardware, rows, all);
        }
        if parts.contains(Part::Models) {
            let uses = count_multi(&table.models, rows);
            o.top_models = rank(&table.models.dictionary, &uses, TOP_N);
            o.top_model_authors = rank_by_prefix(&table.models.dictionary, &uses, TOP_N);
        }
        if parts.contains(Part::Datasets) {
            let uses = count_multi(&table.datasets, rows);
            o.top_datasets = rank(&table.datasets.dictionary, &uses, TOP_N);
            o.top_dataset_authors = rank_by_prefix(&table.datasets.dictionary, &uses, TOP_N);
        }
        if parts.contains(Part::Duplicated) {
            o.most_duplicated = rank_categories(&table.duplicated_from, rows, TOP_N);
        }
        if parts.contains(Part::Liked) {
            o.most_liked = most_liked(table, rows, TOP_N);
        }
        if parts.contains(Part::Authors) {
            let spaces = count_categories(&table.author, rows);
            let likes = sum_likes_by(&table.author, &table.likes, rows);
            o.authors_by_spaces = rank(&table.author.dictionary, &spaces, TOP_N);
            o.authors_by_likes = rank(&table.author.dictionary, &likes, TOP_N);
            o.author_count = spaces.iter().filter(|&&n| n > 0).count() as u64;
            o.author_points = author_points(&table.author.dictionary, &spaces, &likes);
        }
        if parts.contains(Part::Facts) {
            o.stage = rank_categories(&table.stage, rows, all);
            o.license = rank(
                &table.license.dictionary,
                &count_multi(&table.license, rows),
                all,
            );
        }
        o
    }

    /// Takes the parts `other` computed (for the same selection) that this
    /// overview lacks, with their contexts.
    pub fn absorb(&mut self, other: Overview) {
        let new = other.parts.without(self.parts);
        if new.contains(Part::Growth) {
            self.created_per_month = other.created_per_month;
        }
        if new.contains(Part::Sdk) {
            self.sdk = other.sdk;
        }
        if new.contains(Part::Emoji) {
            self.emoji = other.emoji;
            self.emoji_likes = other.emoji_likes;
        }
        if new.contains(Part::Hardware) {
            self.hardware = other.hardware;
        }
        if new.contains(Part::Models) {
            self.top_models = other.top_models;
            self.top_model_authors = other.top_model_authors;
        }
        if new.contains(Part::Datasets) {
            self.top_datasets = other.top_datasets;
            self.top_dataset_authors = other.top_dataset_authors;
        }
        if new.contains(Part::Duplicated) {
            self.most_duplicated = other.most_duplicated;
        }
        if new.contains(Part::Liked) {
            self.most_liked = other.most_liked;
        }
        if new.contains(Part::Authors) {
            self.authors_by_spaces = other.authors_by_spaces;
            self.authors_by_likes = other.authors_by_likes;
            self.author_count = other.author_count;
            self.author_points = other.author_points;
        }
        if new.contains(Part::Facts) {
            self.stage = other.stage;
            self.license = other.license;
        }
        for part in new.iter() {
            self.stamps.mark(Parts::of(part), other.stamps.of(part));
        }
        for (field, rows) in other.contexts {
            if new.contains(Part::of_field(field)) {
                self.contexts.push((field, rows));
            }
        }
        self.parts = self.parts.union(new);
    }
}

/// A group of aggregates computed together (they share their counts):
/// each card draws from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Growth,
    Sdk,
    /// The emoji bars and the emoji scatter.
    Emoji,
    Hardware,
    /// Top models and their owners.
    Models,
    /// Top datasets and their owners.
    Datasets,
    Duplicated,
    Liked,
    /// Authors by Spaces and by likes, and the scatter.
    Authors,
    /// Stage and license counts, which no card draws (tests and the
    /// reference figures use them).
    Facts,
}

impl Part {
    const EVERY: [Part; 10] = [
        Part::Growth,
        Part::Sdk,
        Part::Emoji,
        Part::Hardware,
        Part::Models,
        Part::Datasets,
        Part::Duplicated,
        Part::Liked,
        Part::Authors,
        Part::Facts,
    ];

    /// The part whose charts show `field`'s context while it is filtered.
    pub fn of_field(field: Field) -> Part {
        match field {
            Field::Sdk => Part::Sdk,
            Field::Emoji => Part::Emoji,
            Field::Hardware => Part::Hardware,
            Field::Model => Part::Models,
            Field::Dataset => Part::Datasets,
            Field::Author => Part::Authors,
            _ => Part::Facts,
        }
    }

    /// Its name in the Overview's `data-computed` hook.
    pub fn name(self) -> &'static str {
        match self {
            Part::Growth => "growth",
            Part::Sdk => "sdk",
            Part::Emoji => "emoji",
            Part::Hardware => "hardware",
            Part::Models => "models",
            Part::Datasets => "datasets",
            Part::Duplicated => "duplicated",
            Part::Liked => "liked",
            Part::Authors => "authors",
            Part::Facts => "facts",
        }
    }

    fn index(self) -> usize {
        Part::EVERY
            .iter()
            .position(|p| *p == self)
            .expect("every part is listed")
    }

    fn bit(self) -> u16 {
        1 << self.index()
    }
}

/// A number per part naming the computation it came from (0: none). The
/// caller numbers its computations; [`Overview::absorb`] keeps each
/// part's number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamps([u64; Part::EVERY.len()]);

impl Stamps {
    pub fn of(&self, part: Part) -> u64 {
        self.0[part.index()]
    }

    /// Numbers each of `parts` `stamp`.
    pub fn mark(&mut self, parts: Parts, stamp: u64) {
        for part in parts.iter() {
            self.0[part.index()] = stamp;
        }
    }
}

/// A set of [`Part`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parts(u16);

impl Parts {
    pub const NONE: Parts = Parts(0);
    pub const ALL: Parts = Parts((1 << Part::EVERY.len()) - 1);

    pub fn of(part: Part) -> Parts {
        Parts(part.bit())
    }

    pub fn contains(self, part: Part) -> bool {
        self.0 & part.bit() != 0
    }

    pub fn union(self, other: Parts) -> Parts {
        Parts(self.0 | other.0)
    }

    /// The parts of `self` that `other` lacks.
    pub fn without(self, other: Parts) -> Parts {
        Parts(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Each part in the set.
    pub fn iter(self) -> impl Iterator<Item = Part> {
        Part::EVERY.into_iter().filter(move |p| self.contains(*p))
    }
}

fn rank_categories(column: &CategoryColumn, rows: &[u32], limit: usize) -> Ranked {
    rank(&column.dictionary, &count_categories(column, rows), limit)
}

/// The overview fields whose charts a click filters by.
pub const PICKABLE: [Field; 6] = [
    Field::Sdk,
    Field::Emoji,
    Field::Hardware,
    Field::Model,
    Field::Dataset,
    Field::Author,
];

impl Overview {
    /// While `field` is filtered, its charts show `context` (the overview
    /// of the rows matching every filter but that field's) instead of the
    /// selection, so the selected values stand among the others rather
    /// than filling their chart alone. A selected value that the context's
    /// top list leaves out is added with its count: every row holding a
    /// selected value passes the field's filter, so the selection counts
    /// it exactly as the context does.
    pub fn show_context(&mut self, field: Field, context: &Overview, selected: &[String]) {
        /// `context`'s list, plus each selected value it leaves out, as
        /// the selection counts it.
        fn merge<T: Clone>(
            own: &mut Vec<T>,
            context: &[T],
            selected: &[String],
            label: fn(&T) -> &str,
        ) {
            let mut merged = context.to_vec();
            for value in selected {
                if !merged.iter().any(|item| label(item) == value) {
                    if let Some(found) = own.iter().find(|item| label(item) == value) {
                        merged.push(found.clone());
                    }
                }
            }
            *own = merged;
        }
        let ranked: fn(&(String, u64)) -> &str = |(label, _)| label;
        match field {
            Field::Sdk => merge(&mut self.sdk, &context.sdk, selected, ranked),
            Field::Hardware => merge(&mut self.hardware, &context.hardware, selected, ranked),
            Field::Model => merge(&mut self.top_models, &context.top_models, selected, ranked),
            Field::Dataset => merge(
                &mut self.top_datasets,
                &context.top_datasets,
                selected,
                ranked,
            ),
            Field::Emoji => {
                merge(&mut self.emoji, &context.emoji, selected, ranked);
                merge(&mut self.emoji_likes, &context.emoji_likes, selected, |p| {
                    &p.emoji
                });
            }
            Field::Author => {
                merge(
                    &mut self.author_points,
                    &context.author_points,
                    selected,
                    |p| &p.author,
                );
                self.author_count = context.author_count;
            }
            _ => return,
        }
        self.contexts.push((field, context.rows));
    }

    /// How many Spaces the charts of `field` count: the context's when
    /// they show one, else the selection's.
    pub fn rows_behind(&self, field: Field) -> u64 {
        self.contexts
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(self.rows, |(_, rows)| *rows)
    }
}

fn likes_of(table: &SpacesTable, row: u32) -> u64 {
    // The decoder keeps likes in 0..=MAX_LIKES; clamp here too rather than
    // wrap, for tables built some other way.
    table.likes.get(row as usize).copied().unwrap_or(0).max(0) as u64
}

/// Spaces per code of a single-valued column (nulls not counted).
pub fn count_categories(column: &CategoryColumn, rows: &[u32]) -> Vec<u64> {
    if let Codes::Byte(codes) = &column.codes {
        return count_bytes(codes, rows, column.dictionary.len());
    }
    let mut counts = vec![0u64; column.dictionary.len()];
    column
        .codes
        .each_held(rows, |_, code| counts[code as usize] += 1);
    counts
}

/// [`count_categories`] for codes a byte wide (the SDK, hardware, stage:
/// a handful of values, so most rows add to the same few counters). Four
/// sets of counters, one per row of every four, so that an increment does
/// not wait on the one before it.
fn count_bytes(codes: &[u8], rows: &[u32], values: usize) -> Vec<u64> {
    // Rows are distinct u32 indices: no counter passes u32::MAX. The
    // null code, u8::MAX, has a counter that is never read.
    let mut lanes = [[0u32; 256]; 4];
    let mut quads = rows.chunks_exact(4);
    for quad in &mut quads {
        for (lane, &row) in lanes.iter_mut().zip(quad) {
            lane[codes[row as usize] as usize] += 1;
        }
    }
    for &row in quads.remainder() {
        lanes[0][codes[row as usize] as usize] += 1;
    }
    (0..values)
        .map(|code| match code < usize::from(u8::MAX) {
            true => lanes.iter().map(|lane| u64::from(lane[code])).sum(),
            false => 0,
        })
        .collect()
}

/// Uses per code of a list column: every list element counts, as pandas'
/// `explode().value_counts()` does.
pub fn count_multi(column: &MultiColumn, rows: &[u32]) -> Vec<u64> {
    let mut counts = vec![0u64; column.dictionary.len()];
    for &row in rows {
        for &code in column.row_codes(row as usize) {
            counts[code as usize] += 1;
        }
    }
    counts
}

fn sum_likes_by(column: &CategoryColumn, likes: &[i64], rows: &[u32]) -> Vec<u64> {
    let mut sums = vec![0u64; column.dictionary.len()];
    column.codes.each_held(rows, |row, code| {
        let sum = &mut sums[code as usize];
        *sum = sum.saturating_add(likes[row as usize].max(0) as u64);
    });
    sums
}

/// The owner part of a Hub id: the text before the first `/`, or the whole
/// id when it has none (canonical datasets such as `mnist`).
pub fn hub_owner(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

fn rank_by_prefix(dictionary: &[Box<str>], counts: &[u64], limit: usize) -> Ranked {
    let mut by_owner: FxHashMap<&str, u64> = FxHashMap::default();
    for (code, &count) in counts.iter().enumerate() {
        if count > 0 {
            let sum = by_owner.entry(hub_owner(&dictionary[code])).or_default();
            *sum = sum.saturating_add(count);
        }
    }
    let mut ranked: Ranked = by_owner
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    ranked.sort_unstable_by(ranking_order);
    ranked.truncate(limit);
    ranked
}

fn most_liked(table: &SpacesTable, rows: &[u32], limit: usize) -> Ranked {
    let mut order: Vec<u32> = rows.to_vec();
    let by_likes = |a: &u32, b: &u32| {
        likes_of(table, *b)
            .cmp(&likes_of(table, *a))
            .then_with(|| table.id(*a as usize).cmp(table.id(*b as usize)))
    };
    if order.len() > limit {
        order.select_nth_unstable_by(limit, by_likes);
        order.truncate(limit);
    }
    order.sort_unstable_by(by_likes);
    order
        .into_iter()
        .map(|r| (table.id(r as usize).to_string(), likes_of(table, r)))
        .collect()
}

/// Days from 1970 to 2100, the dates the decoder keeps: counted in an
/// array, a day a slot.
const DAYS_COUNTED: usize = 47_482;

fn created_per_month(created_at: &[i64], rows: &[u32]) -> Vec<(String, u64)> {
    // A division a row into a day's slot, then the calendar once a day:
    // the calendar and a hash a row were most of the growth chart's time.
    let mut per_day = vec![0u32; DAYS_COUNTED];
    let mut by_month: FxHashMap<i32, u64> = FxHashMap::default();
    for &row in rows {
        let t = created_at[row as usize];
        if t == crate::data::NULL_TIME {
            continue;
        }
        let slot = usize::try_from(t.div_euclid(DAY_MS))
            .ok()
            .and_then(|day| per_day.get_mut(day));
        match slot {
            Some(count) => *count += 1,
            // A table built otherwise than by the decoder.
            None => *by_month.entry(year_month(t)).or_default() += 1,
        }
    }
    for (day, &count) in per_day.iter().enumerate() {
        if count > 0 {
            *by_month.entry(year_month(day as i64 * DAY_MS)).or_default() += u64::from(count);
        }
    }
    let (Some(&first), Some(&last)) = (by_month.keys().min(), by_month.keys().max()) else {
        return Vec::new();
    };
    // The decoder clamps dates to 1970..2100 (1,560 months); a table built
    // otherwise still gets a bounded chart, ending at its last month.
    let first = first.max(last.saturating_sub(MAX_MONTHS));
    (first..=last)
        .map(|ym| {
            (
                crate::data::format_year_month(ym),
                by_month.get(&ym).copied().unwrap_or(0),
            )
        })
        .collect()
}

fn emoji_points(dictionary: &[Box<str>], spaces: &[u64], likes: &[u64]) -> Vec<EmojiPoint> {
    let codes = (0..likes.len()).filter(|&c| likes[c] > 0).collect();
    top_codes(codes, dictionary, likes, TOP_N)
        .into_iter()
        .map(|c| EmojiPoint {
            emoji: dictionary[c].to_string(),
            spaces: spaces[c],
            likes: likes[c],
        })
        .collect()
}

fn author_points(dictionary: &[Box<str>], spaces: &[u64], likes: &[u64]) -> Vec<AuthorPoint> {
    // Keep the authors that stand out on either axis; the tail is thousands of
    // identical (1, 0) points that add nothing visible but cost render time.
    let weight: Vec<u64> = spaces
        .iter()
        .zip(likes)
        .map(|(s, l)| s.saturating_add(*l))
        .collect();
    let authors = (0..spaces.len()).filter(|&c| spaces[c] > 0).collect();
    let mut codes = top_codes(authors, dictionary, &weight, AUTHOR_POINTS_MAX);
    codes.sort_unstable_by(|a, b| dictionary[*a].cmp(&dictionary[*b]));
    codes
        .into_iter()
        .map(|c| AuthorPoint {
            author: dictionary[c].to_string(),
            spaces: spaces[c],
            likes: likes[c],
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::{decode_spaces, NULL_CODE};
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    fn table() -> SpacesTable {
        let bytes = write_parquet(&generate_spaces(3_000, 11), &WriteOptions::default());
        decode_spaces(bytes::Bytes::from(bytes)).unwrap().0
    }

    /// Parts computed one at a time and absorbed, in any order, make the
    /// whole overview; a part alone fills its fields and nothing else.
    #[test]
    fn parts_computed_apart_make_the_whole() {
        let table = table();
        // Every other row: a selection, not the whole table.
        let rows: Vec<u32> = (0..table.len() as u32).step_by(2).collect();
        let whole = Overview::compute(&table, &rows);
        assert_eq!(whole.parts, Parts::ALL);
        for order in [
            Part::EVERY.to_vec(),
            Part::EVERY.iter().rev().copied().collect(),
        ] {
            let mut built = Overview::compute_parts(&table, &rows, Parts::NONE);
            assert_eq!(built.rows, whole.rows);
            assert_eq!(built.likes_total, whole.likes_total);
            for part in order {
                let alone = Overview::compute_parts(&table, &rows, Parts::of(part));
                let mut blank = Overview::compute_parts(&table, &rows, Parts::NONE);
                blank.absorb(alone.clone());
                // Nothing outside the part was computed.
                assert_eq!(blank, alone, "{part:?}");
                built.absorb(alone);
            }
            assert_eq!(built, whole);
        }
        let sdk_only = Overview::compute_parts(&table, &rows, Parts::of(Part::Sdk));
        assert_eq!(sdk_only.sdk, whole.sdk);
        assert!(sdk_only.top_models.is_empty() && sdk_only.author_points.is_empty());
        // A part absorbed twice is taken once.
        let mut twice = sdk_only.clone();
        twice.absorb(sdk_only.clone());
        assert_eq!(twice, sdk_only);
    }

    /// A part keeps the number of the computation it came from when others
    /// are absorbed beside it, and takes its own when it is absorbed.
    #[test]
    fn absorbed_parts_keep_their_stamps() {
        let table = table();
        let rows: Vec<u32> = (0..table.len() as u32).collect();
        let mut first = Overview::compute_parts(&table, &rows, Parts::of(Part::Sdk));
        first.stamps.mark(first.parts, 1);
        let mut later = Overview::compute_parts(&table, &rows, Parts::of(Part::Emoji));
        later.stamps.mark(later.parts, 2);
        // `later` also claims Sdk (as a recomputation would): the Sdk kept
        // is the first's, with its number.
        later.stamps.mark(Parts::of(Part::Sdk), 3);
        first.absorb(later);
        assert_eq!(first.stamps.of(Part::Sdk), 1);
        assert_eq!(first.stamps.of(Part::Emoji), 2);
        assert_eq!(first.stamps.of(Part::Models), 0, "never computed");
        assert_eq!(
            first.parts,
            Parts::of(Part::Sdk).union(Parts::of(Part::Emoji))
        );
    }

    /// The counting shortcuts (a day's slot, a width matched once, four
    /// sets of byte counters) count what a row-by-row count does, for any
    /// selection: dates out of the counted days, nulls, every code width,
    /// and row counts that are not a multiple of four.
    #[test]
    fn counts_match_a_count_row_by_row() {
        let day = crate::data::DAY_MS;
        let created_at: Vec<i64> = (0..5_003i64)
            .map(|i| match i % 97 {
                0 => crate::data::NULL_TIME,
                // Before 1970 and after 2100, outside the counted days.
                1 => -(i * day) - 1,
                2 => 4_200_000 * day + i,
                _ => (i * 7_919 % 20_000) * day + i * 1_000,
            })
            .collect();
        let naive_months = |rows: &[u32]| {
            let mut by_month = std::collections::BTreeMap::new();
            for &r in rows {
                let t = created_at[r as usize];
                if t != crate::data::NULL_TIME {
                    *by_month.entry(year_month(t)).or_insert(0u64) += 1;
                }
            }
            by_month
        };
        let selections: [Vec<u32>; 4] = [
            (0..5_003).collect(),
            (0..5_003).step_by(3).collect(),
            (17..30).rev().collect(),
            // Before 1970 and in the counted days, none after 2100.
            (0..5_003).filter(|i| i % 97 != 2).collect(),
        ];
        for rows in &selections {
            let naive = naive_months(rows);
            // Every month from the first (at most MAX_MONTHS before the
            // last) to the last, empty ones too.
            let last = *naive.keys().max().unwrap();
            let first = (*naive.keys().min().unwrap()).max(last - MAX_MONTHS);
            let expected: Vec<(String, u64)> = (first..=last)
                .map(|m| {
                    (
                        crate::data::format_year_month(m),
                        naive.get(&m).copied().unwrap_or(0),
                    )
                })
                .collect();
            assert_eq!(created_per_month(&created_at, rows), expected);
        }
        for values in [5usize, 300, 70_000] {
            let codes: Vec<u32> = (0..5_003u32)
                .map(|i| {
                    if i % 11 == 0 {
                        NULL_CODE
                    } else {
                        i * 31 % values as u32
                    }
                })
                .collect();
            let column = CategoryColumn {
                codes: Codes::from_words(codes.clone()),
                dictionary: (0..values).map(|v| v.to_string().into()).collect(),
            };
            let likes: Vec<i64> = (0..5_003).map(|i| (i % 13) - 2).collect();
            for rows in &selections {
                let mut counts = vec![0u64; values];
                let mut sums = vec![0u64; values];
                for &r in rows {
                    let code = codes[r as usize];
                    if code != NULL_CODE {
                        counts[code as usize] += 1;
                        sums[code as usize] += likes[r as usize].max(0) as u64;
                    }
                }
                assert_eq!(count_categories(&column, rows), counts, "{values}");
                assert_eq!(sum_likes_by(&column, &likes, rows), sums, "{values}");
            }
        }
    }
}
