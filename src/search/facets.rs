//! Facet counts: for each field, how many matching Spaces hold each value
//! when every filter but that field's own applies (so a user can widen a
//! selection within a field).

use crate::data::rank::top_few;
use crate::data::SpacesTable;
use crate::data::{Field, FieldColumn};
use crate::search::bitmap::Bitmap;
use crate::search::emoji_names;
use crate::search::{Filters, RowPredicate, SearchIndex};

/// One value of a facet and how many Spaces would match with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    pub selected: bool,
}

/// Counts per dictionary code of every field, for the current filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    pub fields: Vec<(Field, Vec<u64>)>,
}

impl FacetCounts {
    /// ```
    /// use spaces_ship::data::{decode_spaces, Field};
    /// use spaces_ship::search::facets::FacetCounts;
    /// use spaces_ship::search::{Filters, SearchIndex};
    ///
    /// let bytes = std::fs::read("tests/fixtures/spaces-5k-pandas.parquet").unwrap();
    /// let (table, _) = decode_spaces(bytes.into()).unwrap();
    /// let counts = FacetCounts::compute(&table, &SearchIndex::new(), &Filters::default());
    /// let sdk = counts.fields.iter().find(|(f, _)| *f == Field::Sdk).unwrap();
    /// // Counts per dictionary code: with no filter they add up to every
    /// // Space that names an SDK.
    /// assert_eq!(sdk.1.iter().sum::<u64>(), 3_089 + 863 + 611 + 437);
    /// ```
    pub fn compute(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> FacetCounts {
        Self::compute_with_selection(table, index, filters).0
    }

    /// The counts and the matching rows (those failing no filter) from the
    /// same pass, so a Search update reads the table once.
    ///
    /// In sets of rows: the rows passing the shared filters (text, likes,
    /// dates, dev mode), and per constrained field the rows holding one of
    /// its selected values (from the facet index). Their intersection is
    /// the selection; leaving one field's set out gives the rows its counts
    /// come from.
    pub fn compute_with_selection(
        table: &SpacesTable,
        index: &SearchIndex,
        filters: &Filters,
    ) -> (FacetCounts, Bitmap) {
        let facet_index = index.facets();
        let shared = shared_rows(table, index, filters);
        let passing: Vec<(Field, Bitmap)> = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let values = filters.values(field);
                (!values.is_empty()).then(|| {
                    let column = FieldColumn::of(table, field);
                    let codes: Vec<u32> = values.iter().filter_map(|v| column.code_of(v)).collect();
                    (field, facet_index.rows_holding(table, field, &codes))
                })
            })
            .collect();
        let sets: Vec<&Bitmap> = passing.iter().map(|(_, b)| b).collect();
        let all = shared.and_all(&sets);
        let counts = Field::ALL
            .into_iter()
            .map(|field| {
                let kept = passing.iter().position(|(f, _)| *f == field).map(|own| {
                    let rest: Vec<&Bitmap> = (0..sets.len())
                        .filter(|&j| j != own)
                        .map(|j| sets[j])
                        .collect();
                    shared.and_all(&rest)
                });
                (
                    field,
                    facet_index.count(table, field, kept.as_ref().unwrap_or(&all)),
                )
            })
            .collect();
        (FacetCounts { fields: counts }, all)
    }

    pub fn counts(&self, field: Field) -> &[u64] {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, c)| c.as_slice())
    }

    /// The `limit` most frequent values of `field`, plus every selected one,
    /// most first; `needle` (case-insensitive) narrows them (type-ahead),
    /// and finds emoji by name too. The Tag facet leaves out the SDK names
    /// and `region:*` tags, which the SDK facet already offers or every
    /// Space holds, unless one is selected.
    pub fn top(
        &self,
        table: &SpacesTable,
        filters: &Filters,
        field: Field,
        needle: &str,
        limit: usize,
    ) -> FacetTop {
        let column = FieldColumn::of(table, field);
        let dictionary = column.dictionary();
        let counts = self.counts(field);
        let selected = filters.values(field);
        let is_selected = |c: usize| selected.iter().any(|s| **s == *dictionary[c]);
        let needle = needle.trim().to_lowercase();
        let found = |c: usize| {
            needle.is_empty()
                || dictionary[c].to_lowercase().contains(&needle)
                || (field == Field::Emoji && emoji_names::name_contains(&dictionary[c], &needle))
        };
        let mut available = 0;
        let candidates = (0..counts.len())
            .filter(|&c| counts[c] > 0 || is_selected(c))
            .filter(|&c| field != Field::Tag || !repeats_elsewhere(table, &dictionary[c]))
            .filter(|&c| found(c))
            .inspect(|_| available += 1);
        let codes = top_few(candidates, dictionary, counts, limit);
        let mut values: Vec<FacetValue> = codes
            .iter()
            .map(|&c| FacetValue {
                value: dictionary[c].to_string(),
                count: counts[c],
                selected: is_selected(c),
            })
            .collect();
        let listed = values.len();
        for value in selected {
            if !values.iter().any(|v| v.value == *value) {
                let count = column.code_of(value).map_or(0, |c| counts[c as usize]);
                values.push(FacetValue {
                    value: value.clone(),
                    count,
                    selected: true,
                });
            }
        }
        FacetTop {
            values,
            available: available.max(listed),
        }
    }
}

/// A facet's listed values and how many it could list.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct FacetTop {
    pub values: Vec<FacetValue>,
    /// Values with matches that pass the find box, listed or not.
    pub available: usize,
}

/// A tag that says what another facet says: an SDK name, or a region.
fn repeats_elsewhere(table: &SpacesTable, tag: &str) -> bool {
    tag.starts_with("region:") || table.sdk.dictionary.iter().any(|sdk| **sdk == *tag)
}

/// Rows passing every filter that is not a facet: the text query, likes,
/// dates and dev mode.
fn shared_rows(table: &SpacesTable, index: &SearchIndex, filters: &Filters) -> Bitmap {
    let others = Filters {
        facets: Vec::new(),
        ..filters.clone()
    };
    if others.is_empty() {
        return Bitmap::full(table.len());
    }
    let only_text = Filters {
        q: others.q.clone(),
        ..Filters::default()
    };
    if others == only_text {
        return (*index.query_rows(table, &others.q)).clone();
    }
    let predicate = RowPredicate::new(table, index, &others, None);
    Bitmap::from_fn(table.len(), |row| predicate.matches(row))
}

// Native only: the tables come from the synthetic Parquet writer.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::synth::{write_parquet, SpaceRow, WriteOptions};

    fn table_of(rows: &[SpaceRow]) -> SpacesTable {
        let bytes = write_parquet(rows, &WriteOptions::default());
        crate::data::decode_spaces(bytes::Bytes::from(bytes))
            .unwrap()
            .0
    }

    fn space(i: usize, sdk: &str, emoji: &str, tags: &[&str]) -> SpaceRow {
        SpaceRow {
            id: format!("a/s{i}"),
            author: Some("a".into()),
            sdk: Some(sdk.into()),
            emoji: Some(emoji.into()),
            tags: Some(tags.iter().map(|t| Some(t.to_string())).collect()),
            ..SpaceRow::default()
        }
    }

    fn listed(top: &FacetTop) -> Vec<(&str, u64)> {
        top.values
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect()
    }

    #[test]
    fn tags_leave_out_sdk_names_and_regions_unless_selected() {
        let rows = vec![
            space(0, "gradio", "🚀", &["gradio", "region:us", "chat"]),
            space(1, "docker", "🎉", &["docker", "region:us", "chat", "llm"]),
        ];
        let table = table_of(&rows);
        let index = SearchIndex::new();
        let none = Filters::default();
        let counts = FacetCounts::compute(&table, &index, &none);
        let top = counts.top(&table, &none, Field::Tag, "", 8);
        assert_eq!(listed(&top), vec![("chat", 2), ("llm", 1)]);
        assert_eq!(top.available, 2);
        // A `tag=` link still selects and shows them.
        let mut region = Filters::default();
        region.add(Field::Tag, "region:us");
        let counts = FacetCounts::compute(&table, &index, &region);
        let top = counts.top(&table, &region, Field::Tag, "", 8);
        assert!(top
            .values
            .iter()
            .any(|v| v.value == "region:us" && v.selected && v.count == 2));
        assert_eq!(
            FacetCounts::compute_with_selection(&table, &index, &region)
                .1
                .count(),
            2
        );
    }

    #[test]
    fn emoji_are_found_by_name_and_the_rest_is_counted() {
        let rows: Vec<SpaceRow> = ["🚀", "🎉", "🤗", "🔥", "🚀"]
            .iter()
            .enumerate()
            .map(|(i, e)| space(i, "gradio", e, &[]))
            .collect();
        let table = table_of(&rows);
        let none = Filters::default();
        let counts = FacetCounts::compute(&table, &SearchIndex::new(), &none);
        let rocket = counts.top(&table, &none, Field::Emoji, "Rocket", 8);
        assert_eq!(listed(&rocket), vec![("🚀", 2)]);
        assert_eq!(rocket.available, 1);
        let party = counts.top(&table, &none, Field::Emoji, "tada", 8);
        assert_eq!(listed(&party), vec![("🎉", 1)]);
        let nothing = counts.top(&table, &none, Field::Emoji, "zzz", 8);
        assert_eq!((nothing.values.len(), nothing.available), (0, 0));
        let two = counts.top(&table, &none, Field::Emoji, "", 2);
        assert_eq!(two.values.len(), 2);
        assert_eq!(two.available, 4);
    }
}
