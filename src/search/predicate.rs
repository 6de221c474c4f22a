//! Filters compiled against one table: per-field code masks plus the rows
//! the text query matched, checked row by row.

use std::sync::Arc;

use crate::data::{Field, FieldColumn, SpacesTable, NULL_TIME};

use super::bitmap::Bitmap;
use super::filters::Filters;
use super::text_index::{query_terms, SearchIndex};

/// Rows matching every filter, in table order.
///
/// ```
/// use spaces_ship::data::{decode_spaces, Field};
/// use spaces_ship::search::{select, Filters, SearchIndex};
///
/// let bytes = std::fs::read("tests/fixtures/spaces-5k-pandas.parquet").unwrap();
/// let (table, _) = decode_spaces(bytes.into()).unwrap();
/// let mut filters = Filters::default();
/// filters.add(Field::Stage, "RUNNING");
/// // One index per table, built as the filters first need it.
/// let index = SearchIndex::new();
/// assert_eq!(select(&table, &index, &filters).len(), 1_109); // as pandas
/// filters.likes_min = Some(100);
/// assert_eq!(select(&table, &index, &filters).len(), 7);
/// ```
pub fn select(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> Vec<u32> {
    if filters.is_empty() {
        // Every row, without a check per row.
        return (0..table.len() as u32).collect();
    }
    let predicate = RowPredicate::new(table, index, filters, None);
    (0..table.len() as u32)
        .filter(|&r| predicate.matches(r as usize))
        .collect()
}

/// A compiled filter set: per-field code masks and the text query.
pub struct RowPredicate<'a> {
    table: &'a SpacesTable,
    facets: Vec<(FieldColumn<'a>, Vec<bool>)>,
    query: Option<Arc<Bitmap>>,
    filters: &'a Filters,
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
        let query =
            (!query_terms(&filters.q).is_empty()).then(|| index.query_rows(table, &filters.q));
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
            Some(rows) => rows.contains(row),
        }
    }
}
