//! The decoded table of Spaces: one column per field.

use super::column::{CategoryColumn, MultiColumn, TextColumn};

/// The columns the app reads, by upstream's names (the slim file's too):
/// where each lives in other shapes is [`super::shape`]'s business.
pub const KNOWN_COLUMNS: &[&str] = &[
    "id",
    "author",
    "created_at",
    "last_modified",
    "likes",
    "sdk",
    "tags",
    "license",
    "duplicated_from",
    "models",
    "datasets",
    "emoji",
    "stage",
    "hardware",
    "devMode",
    "pinned",
    "custom_domains",
    "title",
    "short_description",
];

/// How the app keeps one of [`KNOWN_COLUMNS`]: the decoder's sinks, the
/// reader's dictionary hints and the slim file's types all follow this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A text per row (ids, titles).
    Text,
    /// One dictionary-coded value per row.
    Category,
    /// A list of dictionary-coded values per row.
    Multi,
    /// UTC milliseconds.
    Time,
    Likes,
    Flag,
}

/// The kind of a known column; `None` for any other name.
pub fn column_kind(name: &str) -> Option<ColumnKind> {
    Some(match name {
        "id" | "title" | "short_description" => ColumnKind::Text,
        "created_at" | "last_modified" => ColumnKind::Time,
        "likes" => ColumnKind::Likes,
        "devMode" | "pinned" => ColumnKind::Flag,
        "tags" | "license" | "models" | "datasets" | "custom_domains" => ColumnKind::Multi,
        "author" | "sdk" | "duplicated_from" | "emoji" | "stage" | "hardware" => {
            ColumnKind::Category
        }
        _ => return None,
    })
}

/// Every Space as columns. Row `r` of each column is the same Space.
///
/// Timestamps are UTC milliseconds with `i64::MIN` for null; booleans are
/// `0`/`1` with `2` for null. Categorical text is dictionary-coded so that
/// filters and counts work on small integers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpacesTable {
    pub ids: TextColumn,
    pub author: CategoryColumn,
    pub created_at: Vec<i64>,
    pub last_modified: Vec<i64>,
    pub likes: Vec<i64>,
    pub sdk: CategoryColumn,
    pub tags: MultiColumn,
    pub license: MultiColumn,
    pub duplicated_from: CategoryColumn,
    pub models: MultiColumn,
    pub datasets: MultiColumn,
    pub emoji: CategoryColumn,
    pub stage: CategoryColumn,
    pub hardware: CategoryColumn,
    pub dev_mode: Vec<u8>,
    pub pinned: Vec<u8>,
    pub custom_domains: MultiColumn,
    /// The README's title and short description (the Hub API record and
    /// the slim file have them; upstream's file does not).
    pub title: TextColumn,
    pub short_description: TextColumn,
}

/// Value of a null timestamp.
pub const NULL_TIME: i64 = i64::MIN;
/// Value of a null boolean.
pub const NULL_BOOL: u8 = 2;

impl SpacesTable {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether any Space has a short description (the results list then
    /// gives each row a line for it).
    pub fn has_descriptions(&self) -> bool {
        (0..self.short_description.len()).any(|row| !self.short_description.get(row).is_empty())
    }

    pub fn id(&self, row: usize) -> &str {
        self.ids.get(row)
    }

    pub fn created(&self, row: usize) -> Option<i64> {
        Some(self.created_at[row]).filter(|&t| t != NULL_TIME)
    }

    pub fn modified(&self, row: usize) -> Option<i64> {
        Some(self.last_modified[row]).filter(|&t| t != NULL_TIME)
    }

    pub fn dev_mode(&self, row: usize) -> Option<bool> {
        decode_bool(self.dev_mode[row])
    }

    /// Newest `last_modified` (else `created_at`) in the data: the snapshot
    /// moment the UI names.
    pub fn snapshot_time(&self) -> Option<i64> {
        let newest = |v: &[i64]| v.iter().copied().filter(|&t| t != NULL_TIME).max();
        newest(&self.last_modified).or_else(|| newest(&self.created_at))
    }

    /// Approximate heap held by the table, for the data-source panel.
    pub fn heap_bytes(&self) -> usize {
        let categories = [
            &self.author,
            &self.sdk,
            &self.duplicated_from,
            &self.emoji,
            &self.stage,
            &self.hardware,
        ]
        .iter()
        .map(|c| c.heap_bytes())
        .sum::<usize>();
        let multis = [
            &self.tags,
            &self.license,
            &self.models,
            &self.datasets,
            &self.custom_domains,
        ]
        .iter()
        .map(|c| c.heap_bytes())
        .sum::<usize>();
        self.ids.heap_bytes()
            + categories
            + multis
            + (self.created_at.capacity() + self.last_modified.capacity() + self.likes.capacity())
                * 8
            + self.dev_mode.capacity()
            + self.pinned.capacity()
    }
}

pub(crate) fn decode_bool(value: u8) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}
