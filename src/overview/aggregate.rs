//! Overview aggregates over a selection of rows: the numbers behind every
//! chart and table, computed the way the original pandas app did.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::data::rank::{rank, ranking_order, top_codes, Ranked};
use crate::data::{year_month, CategoryColumn, Field, MultiColumn, SpacesTable, NULL_CODE};

/// How many entries the top lists keep, as in the original app.
pub const TOP_N: usize = 20;

/// One point of the authors scatter: Spaces and likes of one author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorPoint {
    pub author: String,
    pub spaces: u64,
    pub likes: u64,
}

/// One emoji of the emoji-vs-likes scatter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmojiPoint {
    pub emoji: String,
    pub spaces: u64,
    pub likes: u64,
}

/// Everything the Overview shows, for one selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
        let author_spaces = count_categories(&table.author, rows);
        let author_likes = sum_likes_by(&table.author, &table.likes, rows);
        let emoji_spaces = count_categories(&table.emoji, rows);
        let emoji_likes = sum_likes_by(&table.emoji, &table.likes, rows);
        let model_uses = count_multi(&table.models, rows);
        let dataset_uses = count_multi(&table.datasets, rows);
        Overview {
            rows: rows.len() as u64,
            likes_total: rows
                .iter()
                .map(|&r| likes_of(table, r))
                .fold(0, u64::saturating_add),
            created_per_month: created_per_month(&table.created_at, rows),
            sdk: rank(
                &table.sdk.dictionary,
                &count_categories(&table.sdk, rows),
                usize::MAX,
            ),
            emoji: rank(&table.emoji.dictionary, &emoji_spaces, EMOJI_TOP),
            hardware: rank(
                &table.hardware.dictionary,
                &count_categories(&table.hardware, rows),
                usize::MAX,
            ),
            stage: rank(
                &table.stage.dictionary,
                &count_categories(&table.stage, rows),
                usize::MAX,
            ),
            license: rank(
                &table.license.dictionary,
                &count_multi(&table.license, rows),
                usize::MAX,
            ),
            top_models: rank(&table.models.dictionary, &model_uses, TOP_N),
            top_model_authors: rank_by_prefix(&table.models.dictionary, &model_uses, TOP_N),
            top_datasets: rank(&table.datasets.dictionary, &dataset_uses, TOP_N),
            top_dataset_authors: rank_by_prefix(&table.datasets.dictionary, &dataset_uses, TOP_N),
            most_duplicated: rank(
                &table.duplicated_from.dictionary,
                &count_categories(&table.duplicated_from, rows),
                TOP_N,
            ),
            most_liked: most_liked(table, rows, TOP_N),
            authors_by_spaces: rank(&table.author.dictionary, &author_spaces, TOP_N),
            authors_by_likes: rank(&table.author.dictionary, &author_likes, TOP_N),
            emoji_likes: emoji_points(&table.emoji.dictionary, &emoji_spaces, &emoji_likes),
            author_count: author_spaces.iter().filter(|&&n| n > 0).count() as u64,
            author_points: author_points(&table.author.dictionary, &author_spaces, &author_likes),
            contexts: Vec::new(),
        }
    }
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
    let mut counts = vec![0u64; column.dictionary.len()];
    for &row in rows {
        let code = column.codes[row as usize];
        if code != NULL_CODE {
            counts[code as usize] += 1;
        }
    }
    counts
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
    for &row in rows {
        let code = column.codes[row as usize];
        if code != NULL_CODE {
            let sum = &mut sums[code as usize];
            *sum = sum.saturating_add(likes[row as usize].max(0) as u64);
        }
    }
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

fn created_per_month(created_at: &[i64], rows: &[u32]) -> Vec<(String, u64)> {
    let mut by_month: FxHashMap<i32, u64> = FxHashMap::default();
    for &row in rows {
        let t = created_at[row as usize];
        if t != crate::data::NULL_TIME {
            *by_month.entry(year_month(t)).or_default() += 1;
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
