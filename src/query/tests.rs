//! The engine's answers against the direct computations they stand for:
//! the selection, the facet counts, the sorted rows, the overview and the
//! CSV computed on the table without the engine's kept state.

use super::*;
use crate::data::decode_spaces;
use crate::overview::aggregate::Part;
use crate::search::results::sort_rows;
use crate::search::SortKey;
use crate::synth::{generate_spaces, write_parquet, WriteOptions};

fn dataset() -> Arc<Dataset> {
    let bytes = write_parquet(&generate_spaces(4_000, 7), &WriteOptions::default());
    Arc::new(Dataset::new(
        decode_spaces(bytes::Bytes::from(bytes)).unwrap().0,
    ))
}

fn no_clock() -> f64 {
    0.0
}

fn query(filters: Filters, view: View, sort: Sort, wanted: Parts) -> ViewQuery {
    ViewQuery {
        filters,
        view,
        sort,
        wanted,
        first_rows: 40,
        shown_overview: 0,
    }
}

/// The Overview's every part for `filters`, which the engine must send
/// (`why` it must).
fn every_part_of(engine: &mut QueryEngine, filters: Filters, why: &str) -> Overview {
    let asked = query(filters, View::Overview, Sort::default(), Parts::ALL);
    engine
        .answer(&asked, &no_clock)
        .overview
        .expect(why)
        .into_overview()
}

fn most_common(table: &SpacesTable, field: Field) -> String {
    let index = SearchIndex::new();
    let counts = FacetCounts::compute(table, &index, &Filters::default());
    counts
        .top(table, &Filters::default(), field, "", 1)
        .values
        .remove(0)
        .value
}

#[test]
fn search_answers_what_the_table_says() {
    let data = dataset();
    let table = &data.table;
    let mut engine = QueryEngine::new(Arc::clone(&data));
    let mut filters = Filters::default();
    filters.add(Field::Sdk, &most_common(table, Field::Sdk));
    filters.likes_min = Some(1);
    let sort = Sort {
        key: SortKey::Likes,
        descending: true,
    };
    let answer = engine.answer(
        &query(filters.clone(), View::Search, sort, Parts::NONE),
        &no_clock,
    );

    let index = SearchIndex::new();
    let selected = select(table, &index, &filters);
    assert!(selected.len() > 10 && selected.len() < table.len());
    assert_eq!(answer.matches, selected.len());
    let counts = FacetCounts::compute(table, &index, &filters);
    for (field, top) in &answer.facets {
        assert_eq!(
            *top,
            counts.top(table, &filters, *field, "", FACET_SHOWN),
            "{field:?}"
        );
    }
    assert_eq!(answer.facets.len(), Field::ALL.len());
    let sorted = sort_rows(table, &selected, sort);
    let page = answer.results.expect("Search answers rows");
    assert_eq!(page.total, selected.len());
    let rows: Vec<u32> = page.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, sorted[..40]);
    assert_eq!(page.rows[0], RowCard::of(table, sorted[0]));
    assert!(answer.overview.is_none(), "Search computes no overview");

    // Deeper pages and another sort, from the kept pass.
    let deep = engine.rows(sort, 30, 25);
    let rows: Vec<u32> = deep.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, sorted[30..55]);
    let by_id = Sort {
        key: SortKey::Id,
        descending: false,
    };
    let ids = engine.rows(by_id, 0, selected.len() + 5);
    let rows: Vec<u32> = ids.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, sort_rows(table, &selected, by_id));

    // A facet's find box narrows its list from the same counts.
    let author = engine.facet_top(Field::Author, "a");
    assert_eq!(
        author,
        counts.top(table, &filters, Field::Author, "a", FACET_SHOWN)
    );
}

#[test]
fn overview_answers_the_parts_wanted_and_keeps_what_it_computed() {
    let data = dataset();
    let table = &data.table;
    let mut engine = QueryEngine::new(Arc::clone(&data));
    let sort = Sort::default();
    let growth = Parts::of(Part::Growth);
    let first = engine.answer(
        &query(Filters::default(), View::Overview, sort, growth),
        &no_clock,
    );
    assert_eq!(first.matches, table.len());
    assert!(first.results.is_none() && first.facets.is_empty());
    let sent = first.overview.expect("computed");
    let first_id = sent.id;
    let sent = sent.into_overview();
    let all_rows: Vec<u32> = (0..table.len() as u32).collect();
    let direct = Overview::compute_parts(table, &all_rows, growth);
    assert_eq!(sent.created_per_month, direct.created_per_month);
    assert_eq!(sent.parts, growth);

    // Asked again by a page that shows it: nothing new to send; by one
    // that does not (it dropped that answer), the same overview again.
    let mut shown = query(Filters::default(), View::Overview, sort, growth);
    shown.shown_overview = first_id;
    assert!(engine.answer(&shown, &no_clock).overview.is_none());
    let again = engine.answer(
        &query(Filters::default(), View::Overview, sort, growth),
        &no_clock,
    );
    assert_eq!(again.overview.map(|o| o.id), Some(first_id));

    // More parts wanted: the growth part keeps its stamp, the new ones come.
    let all = every_part_of(&mut engine, Filters::default(), "new parts");
    assert_eq!(all.stamps.of(Part::Growth), sent.stamps.of(Part::Growth));
    assert_ne!(all.stamps.of(Part::Sdk), sent.stamps.of(Part::Growth));
    let whole = Overview::compute(table, &all_rows);
    assert_eq!(
        serde_json::to_value(&all).unwrap(),
        serde_json::to_value(&whole).unwrap()
    );

    // A filtered field's chart shows its context; going back to a recent
    // filter computes nothing new (the same stamps come back).
    let mut filters = Filters::default();
    filters.add(Field::Sdk, &most_common(table, Field::Sdk));
    let filtered = every_part_of(&mut engine, filters.clone(), "a new selection");
    let index = SearchIndex::new();
    let rows = select(table, &index, &filters);
    assert_eq!(filtered.rows, rows.len() as u64);
    assert_eq!(filtered.contexts, vec![(Field::Sdk, table.len() as u64)]);
    let back = every_part_of(&mut engine, Filters::default(), "the selection changed");
    assert_eq!(back.stamps, all.stamps);
}

#[test]
fn csv_holds_the_matches_in_the_lists_order() {
    let data = dataset();
    let table = &data.table;
    let engine = QueryEngine::new(Arc::clone(&data));
    let mut filters = Filters::default();
    filters.add(Field::Emoji, &most_common(table, Field::Emoji));
    let sort = Sort {
        key: SortKey::Created,
        descending: true,
    };
    let index = SearchIndex::new();
    let expected = to_csv(
        table,
        &sort_rows(table, &select(table, &index, &filters), sort),
    );
    assert_eq!(engine.csv(&filters, sort), expected);
}

#[test]
fn answers_travel_as_json_unchanged() {
    let data = dataset();
    let mut engine = QueryEngine::new(Arc::clone(&data));
    let mut filters = Filters {
        q: "a".into(),
        ..Filters::default()
    };
    filters.add(Field::Sdk, &most_common(&data.table, Field::Sdk));
    for view in [View::Search, View::Overview] {
        let q = query(filters.clone(), view, Sort::default(), Parts::ALL);
        let answer = engine.answer(&q, &no_clock);
        let text = serde_json::to_string(&answer).unwrap();
        let read: ViewAnswer = serde_json::from_str(&text).unwrap();
        assert!(read == answer, "{view:?}: the answer reads back unchanged");
        let text = serde_json::to_string(&q).unwrap();
        assert_eq!(serde_json::from_str::<ViewQuery>(&text).unwrap(), q);
    }
    let facts = engine.facts();
    assert_eq!(facts.rows, 4_000);
    assert_eq!(facts.most_likes, *data.table.likes.iter().max().unwrap());
}

#[test]
fn an_overview_after_a_search_of_the_same_filters_counts_the_same_rows() {
    let data = dataset();
    let mut filters = Filters::default();
    filters.add(Field::Sdk, &most_common(&data.table, Field::Sdk));
    // The Search pass is kept and answers the Overview that follows: its
    // rows are listed only then.
    let mut after_search = QueryEngine::new(Arc::clone(&data));
    let searched = after_search.answer(
        &query(filters.clone(), View::Search, Sort::default(), Parts::NONE),
        &no_clock,
    );
    let overview = every_part_of(&mut after_search, filters.clone(), "computed");
    let direct = every_part_of(
        &mut QueryEngine::new(Arc::clone(&data)),
        filters,
        "computed",
    );
    assert_eq!(searched.matches as u64, direct.rows);
    assert_eq!(overview, direct);
    assert!(searched.matches > 0 && searched.matches < data.table.len());
}
