//! The decoded table of Spaces: one column per field.

use std::sync::OnceLock;

use super::column::{CategoryBuilder, CategoryColumn, MultiBuilder, MultiColumn, TextColumn};

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
    /// the slim file have them; upstream's file does not). Set once: at
    /// decode, or later when a file's prose is fetched only when Search
    /// first needs it ([`SpacesTable::set_prose`]). Unset, every row reads
    /// as having none.
    pub prose: OnceLock<Prose>,
}

/// The free text of every Space: its largest columns and only the Search
/// view's business, so a range-read file fetches them last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    pub title: TextColumn,
    pub short_description: TextColumn,
}

/// The prose columns of [`KNOWN_COLUMNS`].
pub const PROSE_COLUMNS: [&str; 2] = ["title", "short_description"];

impl Prose {
    /// Whether any Space has a short description (the results list then
    /// gives each row a line for it).
    pub fn has_descriptions(&self) -> bool {
        // Some row has text exactly when the column holds any: no need to
        // look at a million empty rows one by one.
        !self.short_description.parts().1.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        self.title.heap_bytes() + self.short_description.heap_bytes()
    }

    /// Its rows and bytes of text.
    pub fn size(&self) -> ProseSize {
        ProseSize {
            rows: self.title.len() as u64,
            title_bytes: self.title.text_bytes() as u64,
            description_bytes: self.short_description.text_bytes() as u64,
        }
    }

    /// Room for prose of exactly `size`, joined from parts
    /// ([`Self::append`]); `None` when its text would not fit the columns'
    /// 32-bit offsets.
    pub fn with_room(size: ProseSize) -> Option<Prose> {
        let fits = |bytes: u64| {
            usize::try_from(bytes)
                .ok()
                .filter(|&b| b <= u32::MAX as usize)
        };
        Some(Prose {
            title: TextColumn::with_room(size.rows as usize, fits(size.title_bytes)?),
            short_description: TextColumn::with_room(
                size.rows as usize,
                fits(size.description_bytes)?,
            ),
        })
    }

    /// Appends the rows of `part`.
    pub fn append(&mut self, part: &Prose) {
        self.title.append(&part.title);
        self.short_description.append(&part.short_description);
    }

    /// Drops the offsets of a column with no text ([`TextColumn::compact`]).
    pub fn compact(&mut self) {
        self.title.compact();
        self.short_description.compact();
    }
}

/// The rows and bytes of text of some [`Prose`], told before it comes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProseSize {
    pub rows: u64,
    pub title_bytes: u64,
    pub description_bytes: u64,
}

impl std::ops::Add for ProseSize {
    type Output = ProseSize;
    fn add(self, other: ProseSize) -> ProseSize {
        ProseSize {
            rows: self.rows + other.rows,
            title_bytes: self.title_bytes + other.title_bytes,
            description_bytes: self.description_bytes + other.description_bytes,
        }
    }
}

/// The columns a second engine decodes apart from the rest of the table
/// (see [`super::shape::Shape::apart`]), then put in with
/// [`SpacesTable::set_apart`]: those of a front matter of JSON text, or
/// the authors and the card's columns of a large file of plain columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApartColumns {
    /// The authors, when this decode read them (a file of plain columns).
    pub author: Option<CategoryColumn>,
    pub license: MultiColumn,
    pub duplicated_from: CategoryColumn,
    pub emoji: CategoryColumn,
    pub pinned: Vec<u8>,
    /// The titles and descriptions, unless they go their own way: the
    /// browser hands them to the page apart from the table, which needs
    /// them only for Search.
    pub prose: Option<Prose>,
}

impl ApartColumns {
    /// The columns out of a decode that read only them (and the authors,
    /// `with_author`).
    pub fn take_from(mut table: SpacesTable, with_author: bool) -> ApartColumns {
        ApartColumns {
            author: with_author.then(|| std::mem::take(&mut table.author)),
            license: std::mem::take(&mut table.license),
            duplicated_from: std::mem::take(&mut table.duplicated_from),
            emoji: std::mem::take(&mut table.emoji),
            pinned: std::mem::take(&mut table.pinned),
            prose: table.prose.take(),
        }
    }

    /// Rows, when every column agrees on them.
    pub fn rows(&self) -> Option<usize> {
        let rows = self.pinned.len();
        let prose = self.prose.as_ref();
        [
            self.license.len(),
            self.author.as_ref().map_or(rows, |a| a.codes.len()),
            self.duplicated_from.codes.len(),
            self.emoji.codes.len(),
            prose.map_or(rows, |p| p.title.len()),
            prose.map_or(rows, |p| p.short_description.len()),
        ]
        .iter()
        .all(|&len| len == rows)
        .then_some(rows)
    }
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

    /// Whether any Space has a short description (none until the prose is in).
    pub fn has_descriptions(&self) -> bool {
        self.prose.get().is_some_and(Prose::has_descriptions)
    }

    /// The README title of `row` ("" when it has none or the prose is not in).
    pub fn title(&self, row: usize) -> &str {
        self.prose.get().map_or("", |p| p.title.get(row))
    }

    /// The README short description of `row` (as [`Self::title`]).
    pub fn description(&self, row: usize) -> &str {
        self.prose
            .get()
            .map_or("", |p| p.short_description.get(row))
    }

    /// Whether the prose is in (decoded with the rest, or fetched later).
    pub fn has_prose(&self) -> bool {
        self.prose.get().is_some()
    }

    /// Puts in the columns a second decode read apart from the rest.
    /// Refused (with why) when the rows differ, or when both decodes read
    /// titles.
    pub fn set_apart(&mut self, apart: ApartColumns) -> Result<(), &'static str> {
        if apart.rows() != Some(self.len()) {
            return Err("its columns decoded apart and the others have different row counts");
        }
        if apart.prose.is_some() && self.has_prose() {
            return Err("it has titles in two places");
        }
        let ApartColumns {
            author,
            license,
            duplicated_from,
            emoji,
            pinned,
            prose,
        } = apart;
        (self.license, self.duplicated_from, self.emoji, self.pinned) =
            (license, duplicated_from, emoji, pinned);
        if let Some(author) = author {
            self.author = author;
        }
        if let Some(prose) = prose {
            self.prose = OnceLock::from(prose);
        }
        Ok(())
    }

    /// Puts in prose decoded after the table. Refused (returned) when the
    /// table already has prose or the row counts differ: a file that
    /// changed between the two reads must not pair titles with the wrong
    /// Spaces.
    pub fn set_prose(&self, prose: Prose) -> Result<(), Prose> {
        if prose.title.len() != self.len() || prose.short_description.len() != self.len() {
            return Err(prose);
        }
        self.prose.set(prose)
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
        self.heap_bytes_by_column()
            .iter()
            .map(|(_, bytes)| bytes)
            .sum()
    }

    /// [`Self::heap_bytes`] column by column (the prose as one), by name.
    pub fn heap_bytes_by_column(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("id", self.ids.heap_bytes()),
            ("author", self.author.heap_bytes()),
            ("created_at", self.created_at.capacity() * 8),
            ("last_modified", self.last_modified.capacity() * 8),
            ("likes", self.likes.capacity() * 8),
            ("sdk", self.sdk.heap_bytes()),
            ("tags", self.tags.heap_bytes()),
            ("license", self.license.heap_bytes()),
            ("duplicated_from", self.duplicated_from.heap_bytes()),
            ("models", self.models.heap_bytes()),
            ("datasets", self.datasets.heap_bytes()),
            ("emoji", self.emoji.heap_bytes()),
            ("stage", self.stage.heap_bytes()),
            ("hardware", self.hardware.heap_bytes()),
            ("devMode", self.dev_mode.capacity()),
            ("pinned", self.pinned.capacity()),
            ("custom_domains", self.custom_domains.heap_bytes()),
            ("prose", self.prose.get().map_or(0, Prose::heap_bytes)),
        ]
    }
}

impl SpacesTable {
    /// The same Spaces in another order: row `i` is row `order[i]` of this
    /// table. Dictionaries are rebuilt in order of first appearance, as
    /// the decoder builds them, so a file written in this order decodes to
    /// an equal table.
    pub fn reordered(&self, order: &[usize]) -> SpacesTable {
        fn text<'t>(order: &[usize], value: impl Fn(usize) -> &'t str) -> TextColumn {
            let mut out = TextColumn::new();
            order.iter().for_each(|&r| out.push(Some(value(r))));
            out
        }
        let category = |column: &CategoryColumn| {
            let mut out = CategoryBuilder::default();
            order.iter().for_each(|&r| out.push(column.get(r)));
            out.finish()
        };
        let multi = |column: &MultiColumn| {
            let mut out = MultiBuilder::default();
            for &r in order {
                column.row_values(r).for_each(|v| out.push_value(v));
                out.end_row();
            }
            out.finish()
        };
        let pick = |values: &[i64]| order.iter().map(|&r| values[r]).collect::<Vec<_>>();
        let flags = |values: &[u8]| order.iter().map(|&r| values[r]).collect::<Vec<_>>();
        let prose = OnceLock::new();
        if let Some(p) = self.prose.get() {
            let _ = prose.set(Prose {
                title: text(order, |r| p.title.get(r)),
                short_description: text(order, |r| p.short_description.get(r)),
            });
        }
        SpacesTable {
            ids: text(order, |r| self.id(r)),
            author: category(&self.author),
            created_at: pick(&self.created_at),
            last_modified: pick(&self.last_modified),
            likes: pick(&self.likes),
            sdk: category(&self.sdk),
            tags: multi(&self.tags),
            license: multi(&self.license),
            duplicated_from: category(&self.duplicated_from),
            models: multi(&self.models),
            datasets: multi(&self.datasets),
            emoji: category(&self.emoji),
            stage: category(&self.stage),
            hardware: category(&self.hardware),
            dev_mode: flags(&self.dev_mode),
            pinned: flags(&self.pinned),
            custom_domains: multi(&self.custom_domains),
            prose,
        }
    }
}

pub(crate) fn decode_bool(value: u8) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Whether any row has a description, told from the column's text: as
    /// a look at every row says.
    #[test]
    fn descriptions_are_found_as_a_row_by_row_look_finds_them() {
        let column = |values: &[&str]| {
            let mut column = TextColumn::new();
            values.iter().for_each(|v| column.push(Some(v)));
            column
        };
        for (descriptions, expected) in [
            (column(&["", "", ""]), false),
            (column(&["", "", "a Space"]), true),
            (column(&[]), false),
            (TextColumn::blank(3), false),
        ] {
            let by_row = (0..descriptions.len()).any(|row| !descriptions.get(row).is_empty());
            assert_eq!(by_row, expected);
            let prose = Prose {
                title: TextColumn::blank(descriptions.len()),
                short_description: descriptions,
            };
            assert_eq!(prose.has_descriptions(), expected);
        }
    }
}
