//! Filters over the table: OR within a field, AND across fields. Text
//! matching happens once per dictionary entry, then rows compare codes.

use std::sync::{Arc, Mutex};

use crate::data::{CategoryColumn, MultiColumn, SpacesTable, TextColumn, NULL_CODE, NULL_TIME};

/// A facet field that a filter can select values of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Sdk,
    Emoji,
    Author,
    Hardware,
    License,
    Model,
    Dataset,
    Tag,
    Stage,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Sdk,
        Field::Tag,
        Field::Emoji,
        Field::Author,
        Field::Hardware,
        Field::License,
        Field::Model,
        Field::Dataset,
        Field::Stage,
    ];

    /// The URL parameter (DESIGN.md).
    pub fn param(self) -> &'static str {
        match self {
            Field::Sdk => "sdk",
            Field::Emoji => "emoji",
            Field::Author => "author",
            Field::Hardware => "hardware",
            Field::License => "license",
            Field::Model => "model",
            Field::Dataset => "dataset",
            Field::Tag => "tag",
            Field::Stage => "stage",
        }
    }

    pub fn from_param(param: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.param() == param)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Sdk => "SDK",
            Field::Emoji => "Emoji",
            Field::Author => "Author",
            Field::Hardware => "Hardware",
            Field::License => "License",
            Field::Model => "Model",
            Field::Dataset => "Dataset",
            Field::Tag => "Tag",
            Field::Stage => "Stage",
        }
    }
}

/// The column behind a field.
pub enum FieldColumn<'a> {
    Single(&'a CategoryColumn),
    Multi(&'a MultiColumn),
}

impl<'a> FieldColumn<'a> {
    pub fn of(table: &'a SpacesTable, field: Field) -> FieldColumn<'a> {
        match field {
            Field::Sdk => FieldColumn::Single(&table.sdk),
            Field::Emoji => FieldColumn::Single(&table.emoji),
            Field::Author => FieldColumn::Single(&table.author),
            Field::Hardware => FieldColumn::Single(&table.hardware),
            Field::Stage => FieldColumn::Single(&table.stage),
            Field::License => FieldColumn::Multi(&table.license),
            Field::Model => FieldColumn::Multi(&table.models),
            Field::Dataset => FieldColumn::Multi(&table.datasets),
            Field::Tag => FieldColumn::Multi(&table.tags),
        }
    }

    pub fn dictionary(&self) -> &'a [Box<str>] {
        match self {
            FieldColumn::Single(c) => &c.dictionary,
            FieldColumn::Multi(c) => &c.dictionary,
        }
    }

    /// Whether `row` holds any code for which `allowed` is true.
    pub fn row_matches(&self, row: usize, allowed: &[bool]) -> bool {
        match self {
            FieldColumn::Single(c) => {
                let code = c.codes[row];
                code != NULL_CODE && allowed[code as usize]
            }
            FieldColumn::Multi(c) => c.row_codes(row).iter().any(|&code| allowed[code as usize]),
        }
    }
}

/// Every filter of a view. Empty means "everything".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub q: String,
    /// Selected values per field. Fields keep the order of [`Field::ALL`]
    /// (so equal filters compare equal however they were built, and a link
    /// reads back as the same state); values keep the order they were added.
    pub facets: Vec<(Field, Vec<String>)>,
    pub likes_min: Option<i64>,
    /// Created between these UTC milliseconds (inclusive start, exclusive end).
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub dev_mode: Option<bool>,
}

impl Filters {
    pub fn values(&self, field: Field) -> &[String] {
        self.facets
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.facets.iter().all(|(_, v)| v.is_empty())
            && self.likes_min.is_none()
            && self.created_from.is_none()
            && self.created_to.is_none()
            && self.dev_mode.is_none()
    }

    /// Adds `value` to `field` (no duplicates).
    pub fn add(&mut self, field: Field, value: &str) {
        match self.facets.iter_mut().find(|(f, _)| *f == field) {
            Some((_, values)) => {
                if !values.iter().any(|v| v == value) {
                    values.push(value.to_string());
                }
            }
            None => {
                let rank = |f: &Field| Field::ALL.iter().position(|g| g == f);
                let at = self.facets.partition_point(|(f, _)| rank(f) < rank(&field));
                self.facets.insert(at, (field, vec![value.to_string()]));
            }
        }
    }

    pub fn remove(&mut self, field: Field, value: &str) {
        for (f, values) in &mut self.facets {
            if *f == field {
                values.retain(|v| v != value);
            }
        }
        self.facets.retain(|(_, v)| !v.is_empty());
    }

    pub fn toggle(&mut self, field: Field, value: &str) {
        if self.values(field).iter().any(|v| v == value) {
            self.remove(field, value);
        } else {
            self.add(field, value);
        }
    }
}

/// Lower-cased text the full-text query runs over, built once per table,
/// and the rows the last query matched: typing usually extends the query,
/// and a longer query can only match rows the shorter one matched.
#[derive(Debug, Default)]
pub struct SearchIndex {
    ids: TextColumn,
    /// Lower-cased dictionaries of author, emoji, model, dataset, tag.
    dictionaries: Vec<(Field, Vec<Box<str>>)>,
    last: Mutex<Option<(String, Arc<Vec<u32>>)>>,
}

/// The fields besides the id that the text query searches.
const QUERY_FIELDS: [Field; 5] = [
    Field::Author,
    Field::Emoji,
    Field::Model,
    Field::Dataset,
    Field::Tag,
];

impl SearchIndex {
    /// An index of nothing, for filters without a text query.
    pub const fn empty() -> SearchIndex {
        SearchIndex {
            ids: TextColumn::empty(),
            dictionaries: Vec::new(),
            last: Mutex::new(None),
        }
    }

    pub fn build(table: &SpacesTable) -> SearchIndex {
        let mut ids = TextColumn::new();
        for row in 0..table.len() {
            ids.push(Some(&table.id(row).to_lowercase()));
        }
        let dictionaries = QUERY_FIELDS
            .into_iter()
            .map(|field| {
                let lowered = FieldColumn::of(table, field)
                    .dictionary()
                    .iter()
                    .map(|d| d.to_lowercase().into_boxed_str())
                    .collect();
                (field, lowered)
            })
            .collect();
        SearchIndex {
            ids,
            dictionaries,
            last: Mutex::new(None),
        }
    }

    /// Rows whose id, author, emoji, models, datasets or tags contain
    /// `needle` (already lower-cased), in table order.
    pub fn query_rows(&self, table: &SpacesTable, needle: &str) -> Arc<Vec<u32>> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((previous, rows)) = last.as_ref() {
            if previous == needle {
                return Arc::clone(rows);
            }
        }
        let masks: Vec<(FieldColumn, Vec<bool>)> = self
            .dictionaries
            .iter()
            .map(|(field, lowered)| {
                let mask = lowered.iter().map(|d| d.contains(needle)).collect();
                (FieldColumn::of(table, *field), mask)
            })
            .collect();
        let hit = |row: usize| {
            self.ids.get(row).contains(needle)
                || masks
                    .iter()
                    .any(|(column, mask)| column.row_matches(row, mask))
        };
        let rows: Vec<u32> = match last.as_ref() {
            // Narrowing: only the rows the shorter query matched can match.
            Some((previous, rows)) if needle.contains(previous.as_str()) => {
                rows.iter().copied().filter(|&r| hit(r as usize)).collect()
            }
            _ => (0..table.len() as u32)
                .filter(|&r| hit(r as usize))
                .collect(),
        };
        let rows = Arc::new(rows);
        *last = Some((needle.to_string(), Arc::clone(&rows)));
        rows
    }
}

/// Rows matching every filter, in table order.
pub fn select(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> Vec<u32> {
    let predicate = RowPredicate::new(table, index, filters, None);
    (0..table.len() as u32)
        .filter(|&r| predicate.matches(r as usize))
        .collect()
}

/// A compiled filter set: per-field code masks and the text query.
pub struct RowPredicate<'a> {
    table: &'a SpacesTable,
    facets: Vec<(FieldColumn<'a>, Vec<bool>)>,
    query: Option<QueryMasks>,
    filters: &'a Filters,
}

/// Rows the text query matches, one bit per row.
struct QueryMasks {
    matching: Vec<u64>,
}

impl<'a> RowPredicate<'a> {
    /// `skip` leaves one field's own filter out (facet counts need that).
    pub fn new(
        table: &'a SpacesTable,
        index: &'a SearchIndex,
        filters: &'a Filters,
        skip: Option<Field>,
    ) -> RowPredicate<'a> {
        let facets = filters
            .facets
            .iter()
            .filter(|(field, values)| Some(*field) != skip && !values.is_empty())
            .map(|(field, values)| {
                let column = FieldColumn::of(table, *field);
                let mask = column
                    .dictionary()
                    .iter()
                    .map(|entry| values.iter().any(|v| **v == **entry))
                    .collect();
                (column, mask)
            })
            .collect();
        let needle = filters.q.trim().to_lowercase();
        let query = (!needle.is_empty()).then(|| {
            let mut matching = vec![0u64; table.len().div_ceil(64)];
            for &row in index.query_rows(table, &needle).iter() {
                matching[row as usize / 64] |= 1 << (row % 64);
            }
            QueryMasks { matching }
        });
        RowPredicate {
            table,
            facets,
            query,
            filters,
        }
    }

    pub fn matches(&self, row: usize) -> bool {
        let t = self.table;
        let f = self.filters;
        if f.likes_min.is_some_and(|min| t.likes[row] < min) {
            return false;
        }
        if f.created_from.is_some() || f.created_to.is_some() {
            let created = t.created_at[row];
            if created == NULL_TIME
                || f.created_from.is_some_and(|from| created < from)
                || f.created_to.is_some_and(|to| created >= to)
            {
                return false;
            }
        }
        if let Some(dev) = f.dev_mode {
            if t.dev_mode(row) != Some(dev) {
                return false;
            }
        }
        if !self
            .facets
            .iter()
            .all(|(column, mask)| column.row_matches(row, mask))
        {
            return false;
        }
        match &self.query {
            None => true,
            Some(q) => q.matching[row / 64] & (1 << (row % 64)) != 0,
        }
    }
}
