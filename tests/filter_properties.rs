//! Filters and overview aggregates against a naive reference that works on
//! the generated rows directly (never on the decoded table).
// Native only: these read files and use proptest, which the browser build lacks.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use bytes::Bytes;
use proptest::prelude::*;
use spaces_ship::data::{decode_spaces, format_year_month, year_month, DAY_MS};
use spaces_ship::data::{Field, FieldColumn};
use spaces_ship::overview::aggregate::{Overview, TOP_N};
use spaces_ship::search::facets::FacetCounts;
use spaces_ship::search::{select, Filters, SearchIndex};
use spaces_ship::synth::{generate_spaces, write_parquet, SpaceRow, WriteOptions};

fn field_values(row: &SpaceRow, field: Field) -> Vec<String> {
    let single = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    let list =
        |v: &Option<Vec<Option<String>>>| v.iter().flatten().flatten().cloned().collect::<Vec<_>>();
    match field {
        Field::Sdk => single(&row.sdk),
        Field::Emoji => single(&row.emoji),
        Field::Author => single(&row.author),
        Field::Hardware => single(&row.hardware),
        Field::Stage => single(&row.stage),
        // The default writer stores license as a plain string (first value).
        Field::License => row
            .license
            .as_ref()
            .and_then(|l| l.first().cloned().flatten())
            .into_iter()
            .collect(),
        Field::Model => list(&row.models),
        Field::Dataset => list(&row.datasets),
        Field::Tag => list(&row.tags),
    }
}

fn naive_matches(row: &SpaceRow, f: &Filters) -> bool {
    if f.likes_min.is_some_and(|m| row.likes < m) {
        return false;
    }
    if f.created_from.is_some() || f.created_to.is_some() {
        let Some(c) = row.created_at else {
            return false;
        };
        if f.created_from.is_some_and(|from| c < from) || f.created_to.is_some_and(|to| c >= to) {
            return false;
        }
    }
    if f.dev_mode.is_some() && row.dev_mode != f.dev_mode {
        return false;
    }
    for (field, wanted) in &f.facets {
        if !wanted.is_empty() && !field_values(row, *field).iter().any(|v| wanted.contains(v)) {
            return false;
        }
    }
    let words = naive_words(&f.q);
    if words.is_empty() {
        return true;
    }
    let mut text = vec![row.id.clone()];
    for field in [
        Field::Author,
        Field::Emoji,
        Field::Model,
        Field::Dataset,
        Field::Tag,
    ] {
        text.extend(field_values(row, field));
    }
    words
        .iter()
        .all(|w| text.iter().any(|t| t.to_lowercase().contains(w.as_str())))
}

/// The query's words the slow way: quoted stretches are phrases (trimmed),
/// the rest splits at whitespace.
fn naive_words(q: &str) -> Vec<String> {
    q.split('"')
        .enumerate()
        .flat_map(|(i, part)| {
            if i % 2 == 1 {
                vec![part.trim().to_string()]
            } else {
                part.split_whitespace().map(str::to_string).collect()
            }
        })
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn counts(rows: &[&SpaceRow], field: Field) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for row in rows {
        for v in field_values(row, field) {
            *out.entry(v).or_default() += 1;
        }
    }
    out
}

/// The ranked list must hold the reference's top counts, each label with
/// its true count.
fn assert_top(
    what: &str,
    ranked: &[(String, u64)],
    reference: &HashMap<String, u64>,
    limit: usize,
) {
    let mut want: Vec<u64> = reference.values().copied().collect();
    want.sort_unstable_by(|a, b| b.cmp(a));
    want.truncate(limit);
    assert_eq!(
        ranked.iter().map(|p| p.1).collect::<Vec<_>>(),
        want,
        "{what}"
    );
    for (label, n) in ranked {
        assert_eq!(reference.get(label), Some(n), "{what}: {label}");
    }
}

fn filters_strategy(rows: &'static [SpaceRow]) -> impl Strategy<Value = Filters> {
    let pick_row = 0..rows.len();
    (
        proptest::collection::vec((0usize..9, pick_row.clone(), 0usize..3), 0..3),
        proptest::option::of(prop_oneof![Just(1i64), Just(10), Just(100), Just(1000)]),
        proptest::option::of((18_900i64..19_900, 0i64..400)),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop_oneof![
            Just("user1".to_string()),
            Just("DEMO".to_string()),
            Just("flux".to_string()),
            Just("🚀".to_string()),
            Just("stabilityai/".to_string()),
            Just("user1 flux".to_string()),
            Just("demo  GRADIO 🚀".to_string()),
            Just("\"stable diffusion\" demo".to_string())
        ]),
    )
        .prop_map(move |(facets, likes, created, dev, q)| {
            let mut f = Filters::default();
            for (field, row, nth) in facets {
                let field = Field::ALL[field];
                let values = field_values(&rows[row], field);
                if let Some(v) = values.get(nth % values.len().max(1)) {
                    f.add(field, v);
                }
            }
            f.likes_min = likes;
            if let Some((from_day, days)) = created {
                f.created_from = Some(from_day * DAY_MS);
                f.created_to = Some((from_day + days) * DAY_MS);
            }
            f.dev_mode = dev;
            f.q = q.unwrap_or_default();
            f
        })
}

fn fixture() -> &'static (Vec<SpaceRow>, spaces_ship::data::SpacesTable, SearchIndex) {
    static DATA: std::sync::OnceLock<(Vec<SpaceRow>, spaces_ship::data::SpacesTable, SearchIndex)> =
        std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        let rows = generate_spaces(3000, 2024);
        let (table, _) =
            decode_spaces(Bytes::from(write_parquet(&rows, &WriteOptions::default()))).unwrap();
        let index = SearchIndex::build(&table);
        (rows, table, index)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn selection_and_overview_match_the_naive_reference(filters in filters_strategy(&fixture().0)) {
        let (rows, table, index) = fixture();
        let selected = select(table, index, &filters);
        let expected: Vec<u32> = (0..rows.len() as u32).filter(|&r| naive_matches(&rows[r as usize], &filters)).collect();
        prop_assert_eq!(&selected, &expected);

        // Facet counts: every filter but the field's own, each Space once per value.
        let (facets, same_pass) = FacetCounts::compute_with_selection(table, index, &filters);
        prop_assert_eq!(&same_pass.rows(), &expected);
        for field in Field::ALL {
            let mut without = filters.clone();
            without.facets.retain(|(f, _)| *f != field);
            let mut reference: HashMap<String, u64> = HashMap::new();
            for row in rows.iter().filter(|r| naive_matches(r, &without)) {
                let mut values = field_values(row, field);
                values.sort();
                values.dedup();
                for v in values {
                    *reference.entry(v).or_default() += 1;
                }
            }
            let dictionary = FieldColumn::of(table, field).dictionary();
            let ours: HashMap<String, u64> = facets
                .counts(field)
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(code, n)| (dictionary[code].to_string(), *n))
                .collect();
            prop_assert_eq!(ours, reference, "facet {:?}", field);
            let top = facets.top(table, &filters, field, "", 5);
            for value in filters.values(field) {
                prop_assert!(top.values.iter().any(|v| v.value == *value && v.selected), "selected {} listed", value);
            }
        }

        let chosen: Vec<&SpaceRow> = expected.iter().map(|&r| &rows[r as usize]).collect();
        let overview = Overview::compute(table, &selected);
        prop_assert_eq!(overview.rows, chosen.len() as u64);
        prop_assert_eq!(overview.likes_total, chosen.iter().map(|r| r.likes as u64).sum::<u64>());
        assert_top("sdk", &overview.sdk, &counts(&chosen, Field::Sdk), usize::MAX);
        assert_top("hardware", &overview.hardware, &counts(&chosen, Field::Hardware), usize::MAX);
        assert_top("emoji", &overview.emoji, &counts(&chosen, Field::Emoji), 10);
        assert_top("models", &overview.top_models, &counts(&chosen, Field::Model), 20);
        assert_top("datasets", &overview.top_datasets, &counts(&chosen, Field::Dataset), 20);
        assert_top("authors", &overview.authors_by_spaces, &counts(&chosen, Field::Author), 20);

        let mut owners: HashMap<String, u64> = HashMap::new();
        for (model, n) in counts(&chosen, Field::Model) {
            *owners.entry(model.split('/').next().unwrap().to_string()).or_default() += n;
        }
        assert_top("model authors", &overview.top_model_authors, &owners, 20);

        let mut likes_by_author: HashMap<String, u64> = HashMap::new();
        for r in &chosen {
            *likes_by_author.entry(r.author.clone().unwrap()).or_default() += r.likes as u64;
        }
        likes_by_author.retain(|_, v| *v > 0);
        assert_top("authors by likes", &overview.authors_by_likes, &likes_by_author, 20);

        let mut months: HashMap<String, u64> = HashMap::new();
        for r in &chosen {
            *months.entry(format_year_month(year_month(r.created_at.unwrap()))).or_default() += 1;
        }
        let nonzero: HashMap<String, u64> = overview.created_per_month.iter().filter(|p| p.1 > 0).cloned().collect();
        prop_assert_eq!(nonzero, months);

        let mut liked: Vec<u64> = chosen.iter().map(|r| r.likes as u64).collect();
        liked.sort_unstable_by(|a, b| b.cmp(a));
        liked.truncate(20);
        prop_assert_eq!(overview.most_liked.iter().map(|p| p.1).collect::<Vec<_>>(), liked);
    }
}

#[test]
fn running_with_100_likes_matches_pandas_on_the_fixture() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/spaces-5k-pandas.parquet"
    ))
    .unwrap();
    let (table, _) = decode_spaces(Bytes::from(bytes)).unwrap();
    let index = SearchIndex::build(&table);
    let mut filters = Filters::default();
    filters.add(Field::Stage, "RUNNING");
    assert_eq!(select(&table, &index, &filters).len(), 1109);
    filters.likes_min = Some(100);
    assert_eq!(select(&table, &index, &filters).len(), 7);
    let dev = Filters {
        dev_mode: Some(true),
        ..Filters::default()
    };
    assert_eq!(select(&table, &index, &dev).len(), 7);
}

/// Text someone might type, a character at a time: part of a real id,
/// author, emoji, model, dataset or tag of some row, in either case.
fn typed_word(
    rows: &[SpaceRow],
    row: usize,
    source: usize,
    start: usize,
    len: usize,
    upper: bool,
) -> String {
    let row = &rows[row];
    let texts: Vec<String> = match source {
        0 => vec![row.id.clone()],
        1 => field_values(row, Field::Author),
        2 => field_values(row, Field::Emoji),
        3 => field_values(row, Field::Model),
        4 => field_values(row, Field::Dataset),
        _ => field_values(row, Field::Tag),
    };
    let text: Vec<char> = texts
        .first()
        .map_or("zzz-none".into(), |t| t.clone())
        .chars()
        .collect();
    let start = start % text.len().max(1);
    let word: String = text[start..(start + len).min(text.len())].iter().collect();
    if upper {
        word.to_uppercase()
    } else {
        word
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    // Each keystroke extends the query, so the index narrows the previous
    // matches when they are few and rescans every text when they are many:
    // both must give the naive answer at every step.
    #[test]
    fn typed_queries_match_the_naive_reference(
        row in 0usize..3000,
        source in 0usize..6,
        start in 0usize..40,
        len in 1usize..14,
        upper in any::<bool>(),
    ) {
        let (rows, table, index) = fixture();
        let word = typed_word(rows, row, source, start, len, upper);
        for n in 1..=word.chars().count() {
            let filters = Filters { q: word.chars().take(n).collect(), ..Filters::default() };
            let expected: Vec<u32> = (0..rows.len() as u32)
                .filter(|&r| naive_matches(&rows[r as usize], &filters))
                .collect();
            prop_assert_eq!(select(table, index, &filters), expected, "{:?}", filters.q);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    // Two or three words taken from different rows and fields, typed a
    // character at a time (with and without quotes): every word must match
    // somewhere in the Space's text.
    #[test]
    fn multi_word_queries_match_the_naive_reference(
        words in proptest::collection::vec((0usize..3000, 0usize..6, 0usize..40, 1usize..8, any::<bool>()), 2..4),
        quote_first in any::<bool>(),
    ) {
        let (rows, table, index) = fixture();
        let words: Vec<String> = words
            .into_iter()
            .map(|(row, source, start, len, upper)| typed_word(rows, row, source, start, len, upper))
            .collect();
        let mut query = words.join(" ");
        if quote_first {
            query = format!("\"{}\" {}", words[0], words[1..].join(" "));
        }
        for n in 1..=query.chars().count() {
            let filters = Filters { q: query.chars().take(n).collect(), ..Filters::default() };
            let expected: Vec<u32> = (0..rows.len() as u32)
                .filter(|&r| naive_matches(&rows[r as usize], &filters))
                .collect();
            prop_assert_eq!(select(table, index, &filters), expected, "{:?}", filters.q);
        }
    }
}

#[test]
fn words_match_anywhere_in_a_space_not_as_one_phrase() {
    let (rows, table, index) = fixture();
    let query = |q: &str| {
        let filters = Filters {
            q: q.into(),
            ..Filters::default()
        };
        select(table, index, &filters)
    };
    // Two words from different fields of one row: that row matches both
    // words, but the phrase with a space between them occurs nowhere.
    let row = rows
        .iter()
        .position(|r| r.sdk.is_some() && r.author.is_some())
        .unwrap();
    let author = rows[row].author.clone().unwrap();
    let sdk = rows[row].sdk.clone().unwrap();
    let both = query(&format!("{author} {sdk}"));
    assert!(both.contains(&(row as u32)));
    assert!(query(&format!("\"{author} {sdk}\"")).is_empty());
    let first = query(&author);
    let second = query(&sdk);
    let intersection: Vec<u32> = first
        .iter()
        .copied()
        .filter(|r| second.contains(r))
        .collect();
    assert_eq!(both, intersection);
    assert!(both.len() < first.len().max(second.len()));
}

#[test]
fn a_filtered_field_charts_its_context_with_the_selection_kept() {
    let (rows, table, index) = fixture();
    let liked = Filters {
        likes_min: Some(1),
        ..Filters::default()
    };
    let pool: Vec<&SpaceRow> = rows.iter().filter(|r| naive_matches(r, &liked)).collect();
    let context = Overview::compute(table, &select(table, index, &liked));

    // An SDK: its chart counts every SDK under the other filters.
    let mut docker = liked.clone();
    docker.add(Field::Sdk, "docker");
    let mut overview = Overview::compute(table, &select(table, index, &docker));
    overview.show_context(Field::Sdk, &context, docker.values(Field::Sdk));
    assert_top(
        "sdk context",
        &overview.sdk,
        &counts(&pool, Field::Sdk),
        usize::MAX,
    );
    assert_eq!(overview.rows_behind(Field::Sdk), pool.len() as u64);
    assert_eq!(overview.rows_behind(Field::Author), overview.rows);

    // A model the context's top list leaves out is kept after it, with the
    // count every row holding it gives.
    let mut left_out: Vec<String> = counts(&pool, Field::Model)
        .into_keys()
        .filter(|m| !context.top_models.iter().any(|(c, _)| c == m))
        .collect();
    left_out.sort();
    let rare = left_out
        .first()
        .expect("more models than the top list holds")
        .clone();
    let mut one_model = liked.clone();
    one_model.add(Field::Model, &rare);
    let mut overview = Overview::compute(table, &select(table, index, &one_model));
    overview.show_context(Field::Model, &context, one_model.values(Field::Model));
    let holding = rows.iter().filter(|r| naive_matches(r, &one_model)).count() as u64;
    assert!(holding > 0);
    assert_eq!(overview.top_models[..TOP_N], context.top_models[..]);
    assert_eq!(overview.top_models.get(TOP_N), Some(&(rare, holding)));
    assert_eq!(overview.rows_behind(Field::Model), pool.len() as u64);
}
