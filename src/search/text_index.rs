//! The text query: words matched as case-insensitive substrings, once per
//! dictionary entry, then rows compare codes. Holds the lazily built search
//! index (facet index, lowered text, recent words' rows).

use std::sync::{Arc, Mutex, OnceLock};

use memchr::memmem::Finder;

use crate::data::{Field, FieldColumn, SpacesTable, TextColumn, NULL_CODE};

use super::bitmap::Bitmap;
use super::facet_index::FacetIndex;
use super::haystack::Haystack;
use super::lowered_ids::LoweredIds;

/// Everything a Search update reads besides the table, built the first
/// time it is needed (most visits never type a query) and kept for the
/// table's lifetime: the facet index, the lower-cased text the query runs
/// over, and the rows the last query matched (typing usually extends the
/// query, and a longer query can only match rows the shorter one matched).
///
/// One index serves one table: every method takes that table.
#[derive(Default)]
pub struct SearchIndex {
    facets: FacetIndex,
    text: OnceLock<TextIndex>,
    /// Row-aligned lowered title and short description: only the columns
    /// that hold anything, so upstream's file pays nothing. Built once the
    /// table has its prose, which may come after the rest.
    prose: OnceLock<Vec<Haystack>>,
    /// The rows of recent query terms, most recent last: typing changes
    /// one term at a time, so the others are answered from here. Each
    /// says whether the prose was searched: rows found before it came in
    /// are not reused after.
    recent: Mutex<Vec<RecentTerm>>,
}

struct RecentTerm {
    term: String,
    with_prose: bool,
    rows: Arc<Bitmap>,
}

/// Terms kept in [`SearchIndex::recent`]: a few queries of a few words.
const RECENT_TERMS: usize = 8;

/// The words of a text query, lower-cased: split at whitespace, except
/// inside double quotes, which keep a phrase with its spaces together (an
/// unclosed quote runs to the end). Every term must match for a row to
/// match.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut finish = |current: &mut String, quoted: bool| {
        let term = if quoted {
            current.trim()
        } else {
            current.as_str()
        };
        if !term.is_empty() {
            let term = term.to_lowercase();
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        current.clear();
    };
    for c in query.chars() {
        match c {
            '"' => {
                finish(&mut current, quoted);
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => finish(&mut current, quoted),
            c => current.push(c),
        }
    }
    finish(&mut current, quoted);
    terms
}

/// Lower-cased ids and dictionaries of author, emoji, model, dataset, tag.
struct TextIndex {
    ids: LoweredIds,
    /// Per row, the character classes its lower-cased id holds (a bit per
    /// class of [`char_class`]): a one-letter query, the first keystroke of
    /// every search, reads these instead of a million texts, and a longer
    /// one skips ids lacking one of its letters.
    id_classes: Vec<u64>,
    dictionaries: Vec<(Field, Haystack)>,
}

impl TextIndex {
    fn build(table: &SpacesTable) -> TextIndex {
        let mut steps = TextSteps::default();
        loop {
            if let Some(index) = steps.step(table) {
                return index;
            }
        }
    }

    /// Rows whose id contains `needle`, scanning every id.
    fn ids_containing(&self, ids: &TextColumn, needle: &[u8], finder: &Finder) -> Bitmap {
        let rows = self.id_classes.len();
        if let [byte] = needle {
            let class = char_class(*byte);
            if class != OTHER_CLASS {
                let bit = 1u64 << class;
                return Bitmap::from_fn(rows, |row| self.id_classes[row] & bit != 0);
            }
        }
        let mut found = Bitmap::empty(rows);
        self.ids.each_match(ids, finder, |row| found.insert(row));
        found
    }

    /// Whether the id of `row` contains the needle whose classes are `classes`.
    fn id_contains(&self, ids: &TextColumn, row: usize, classes: u64, finder: &Finder) -> bool {
        self.id_classes[row] & classes == classes && finder.find(self.ids.get(ids, row)).is_some()
    }
}

/// The text index built a part at a time, so a page can yield between
/// parts: at a million rows the whole is one task of about 150 ms, each
/// part a fraction of it.
#[derive(Default)]
pub struct TextSteps {
    ids: Option<LoweredIds>,
    id_classes: Option<Vec<u64>>,
    /// `None` until the authors are done; then `Some` of the authors'
    /// haystack unless the ids already hold every author.
    authors: Option<Option<Haystack>>,
    dictionaries: Vec<(Field, Haystack)>,
}

impl TextSteps {
    /// Builds the next part; the index once every part is built.
    fn step(&mut self, table: &SpacesTable) -> Option<TextIndex> {
        let Some(ids) = &self.ids else {
            self.ids = Some(LoweredIds::build(&table.ids));
            return None;
        };
        if self.id_classes.is_none() {
            let mut id_classes = Vec::with_capacity(table.len());
            ids.for_each(&table.ids, |text| id_classes.push(classes_of(text)));
            self.id_classes = Some(id_classes);
            return None;
        }
        if self.authors.is_none() {
            let authors = Haystack::lowered(table.author.dictionary.iter().map(|d| &**d));
            // On the Hub every id is "author/name": an author holding the
            // query means the id holds it too, and the author list need not
            // be searched. Checked, not assumed: other files may differ.
            let authors_in_ids = (0..table.len()).all(|row| match table.author.code(row) {
                NULL_CODE => true,
                code => ids
                    .get(&table.ids, row)
                    .starts_with(authors.item(code as usize)),
            });
            self.authors = Some((!authors_in_ids).then_some(authors));
            return None;
        }
        let next = QUERY_FIELDS
            .into_iter()
            .filter(|field| *field != Field::Author)
            .find(|field| self.dictionaries.iter().all(|(done, _)| done != field));
        if let Some(field) = next {
            let dictionary = FieldColumn::of(table, field).dictionary();
            let haystack = Haystack::lowered(dictionary.iter().map(|d| &**d));
            self.dictionaries.push((field, haystack));
            return None;
        }
        let mut dictionaries = std::mem::take(&mut self.dictionaries);
        if let Some(Some(authors)) = self.authors.take() {
            dictionaries.insert(0, (Field::Author, authors));
        }
        Some(TextIndex {
            ids: self.ids.take()?,
            id_classes: self.id_classes.take()?,
            dictionaries,
        })
    }
}

/// Classes of bytes an id is summarised by: letters, digits and the
/// punctuation of Hub ids each have their own; every other byte shares
/// [`OTHER_CLASS`] (so a query byte of that class still needs the text).
const fn char_class(byte: u8) -> u32 {
    match byte {
        b'a'..=b'z' => (byte - b'a') as u32,
        b'0'..=b'9' => 26 + (byte - b'0') as u32,
        b'-' => 36,
        b'_' => 37,
        b'.' => 38,
        b'/' => 39,
        b' ' => 40,
        _ => OTHER_CLASS,
    }
}

const OTHER_CLASS: u32 = 63;

/// `1 << char_class(b)` for every byte, looked up instead of matched.
const CLASS_BITS: [u64; 256] = {
    let mut bits = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        bits[b] = 1 << char_class(b as u8);
        b += 1;
    }
    bits
};

fn classes_of(text: &[u8]) -> u64 {
    text.iter().fold(0, |acc, &b| acc | CLASS_BITS[b as usize])
}

/// The fields besides the id that the text query searches.
const QUERY_FIELDS: [Field; 5] = [
    Field::Author,
    Field::Emoji,
    Field::Model,
    Field::Dataset,
    Field::Tag,
];

/// Re-checking the previous matches one by one beats a scan of every text
/// only while they are fewer than one row in this many.
const NARROW_SHARE: usize = 64;

impl SearchIndex {
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    /// An index with every part built now (tests and benchmarks).
    pub fn build(table: &SpacesTable) -> SearchIndex {
        let index = SearchIndex {
            facets: FacetIndex::build(table),
            ..SearchIndex::default()
        };
        index.text(table);
        index
    }

    /// The facet index (each field built when first used).
    pub fn facets(&self) -> &FacetIndex {
        &self.facets
    }

    /// Builds the next part of the text index (the page steps through
    /// them when the search box takes focus, a task each, so the first
    /// keystroke does not wait for them); `false` once it is built.
    pub fn prepare_text_step(&self, table: &SpacesTable, steps: &mut TextSteps) -> bool {
        if self.text.get().is_some() {
            return false;
        }
        if let Some(index) = steps.step(table) {
            // A query meanwhile may have built it at once: that one stays.
            let _ = self.text.set(index);
            return false;
        }
        true
    }

    fn text(&self, table: &SpacesTable) -> &TextIndex {
        self.text.get_or_init(|| TextIndex::build(table))
    }

    /// The prose haystacks: none while the table has no prose yet.
    fn prose(&self, table: &SpacesTable) -> &[Haystack] {
        let Some(prose) = table.prose.get() else {
            return &[];
        };
        self.prose.get_or_init(|| {
            [&prose.title, &prose.short_description]
                .into_iter()
                .filter(|column| (0..column.len()).any(|row| !column.get(row).is_empty()))
                .map(|column| Haystack::lowered((0..column.len()).map(|row| column.get(row))))
                .collect()
        })
    }

    /// Rows matching the text query `query`: each of its [`query_terms`]
    /// occurs in the id, author, emoji, models, datasets or tags.
    pub fn query_rows(&self, table: &SpacesTable, query: &str) -> Arc<Bitmap> {
        let terms = query_terms(query);
        let mut rows: Vec<Arc<Bitmap>> = terms
            .iter()
            .map(|term| self.term_rows(table, term))
            .collect();
        match rows.len() {
            0 => Arc::new(Bitmap::full(table.len())),
            1 => rows.pop().expect("one term"),
            _ => {
                let others: Vec<&Bitmap> = rows[1..].iter().map(|r| &**r).collect();
                Arc::new(rows[0].and_all(&others))
            }
        }
    }

    /// Rows whose id, author, emoji, models, datasets or tags contain
    /// `needle` (already lower-cased).
    fn term_rows(&self, table: &SpacesTable, needle: &str) -> Arc<Bitmap> {
        let with_prose = table.has_prose();
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|r| r.with_prose == with_prose);
        if let Some(at) = recent.iter().position(|r| r.term == needle) {
            let hit = recent.remove(at);
            let rows = Arc::clone(&hit.rows);
            recent.push(hit);
            return rows;
        }
        // A longer term can only match rows a term it contains matched:
        // the fewest such rows, when few enough to re-check one by one.
        let narrow_from = recent
            .iter()
            .filter(|r| needle.contains(r.term.as_str()))
            .map(|r| &r.rows)
            .min_by_key(|rows| rows.count())
            .filter(|rows| rows.count() * NARROW_SHARE < table.len())
            .cloned();
        let text = self.text(table);
        let prose = self.prose(table);
        let finder = Finder::new(needle.as_bytes());
        let matched: Vec<(Field, Vec<u32>)> = text
            .dictionaries
            .iter()
            .map(|(field, haystack)| {
                let mut codes = Vec::new();
                haystack.each_match(&finder, |code| codes.push(code as u32));
                (*field, codes)
            })
            .filter(|(_, codes)| !codes.is_empty())
            .collect();
        let rows = match narrow_from {
            Some(rows) => {
                // Narrowing: only the rows the shorter query matched can match.
                let masks: Vec<(FieldColumn, Vec<bool>)> = matched
                    .iter()
                    .map(|(field, codes)| {
                        let column = FieldColumn::of(table, *field);
                        let mut mask = vec![false; column.dictionary().len()];
                        for &code in codes {
                            mask[code as usize] = true;
                        }
                        (column, mask)
                    })
                    .collect();
                let classes = classes_of(needle.as_bytes());
                let mut narrowed = Bitmap::empty(table.len());
                rows.for_each(|row| {
                    if text.id_contains(&table.ids, row, classes, &finder)
                        || prose.iter().any(|h| h.item_contains(row, &finder))
                        || masks
                            .iter()
                            .any(|(column, mask)| column.row_matches(row, mask))
                    {
                        narrowed.insert(row);
                    }
                });
                narrowed
            }
            _ => {
                let mut found = text.ids_containing(&table.ids, needle.as_bytes(), &finder);
                for haystack in prose {
                    haystack.each_match(&finder, |row| found.insert(row));
                }
                let facets = self.facets();
                for (field, codes) in &matched {
                    found.union_with(&facets.rows_holding(table, *field, codes));
                }
                found
            }
        };
        let rows = Arc::new(rows);
        if recent.len() == RECENT_TERMS {
            recent.remove(0);
        }
        recent.push(RecentTerm {
            term: needle.to_string(),
            with_prose,
            rows: Arc::clone(&rows),
        });
        rows
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::search::{select, Filters};
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    fn decoded(rows: &[crate::synth::SpaceRow]) -> SpacesTable {
        let bytes = write_parquet(rows, &WriteOptions::default());
        crate::data::decode_spaces(bytes::Bytes::from(bytes))
            .unwrap()
            .0
    }

    fn matching(table: &SpacesTable, q: &str) -> Vec<u32> {
        let filters = Filters {
            q: q.into(),
            ..Filters::default()
        };
        select(table, &SearchIndex::new(), &filters)
    }

    #[test]
    fn queries_split_into_words_and_quoted_phrases() {
        assert_eq!(
            query_terms("  Stable   Diffusion "),
            ["stable", "diffusion"]
        );
        assert_eq!(
            query_terms("\"stable diffusion\" XL"),
            ["stable diffusion", "xl"]
        );
        assert_eq!(query_terms("a \" open phrase "), ["a", "open phrase"]);
        assert_eq!(query_terms("x x X"), ["x"]);
        assert!(query_terms("\"\"  \t").is_empty());
        assert_eq!(query_terms("🚀\u{3000}ünï"), ["🚀", "ünï"]);
    }

    /// Built a part per step, the index answers as one built at once, for
    /// files whose ids hold their authors and files whose ids do not.
    #[test]
    fn the_text_index_built_in_steps_answers_as_one_built_at_once() {
        let mut foreign = generate_spaces(400, 5);
        for row in foreign.iter_mut().step_by(9) {
            row.author = Some("Zz-Owner".into());
        }
        for table in [decoded(&generate_spaces(400, 5)), decoded(&foreign)] {
            let stepped = SearchIndex::new();
            let mut steps = TextSteps::default();
            let mut calls = 1;
            while stepped.prepare_text_step(&table, &mut steps) {
                calls += 1;
                assert!(calls < 20, "the steps end");
            }
            // Ids, their classes, the authors, then each other dictionary.
            assert!(calls >= 7, "built in parts ({calls} steps)");
            assert!(!stepped.prepare_text_step(&table, &mut TextSteps::default()));
            let at_once = SearchIndex::new();
            for query in [
                "zz-owner",
                "gradio",
                "stable diffusion",
                "a",
                "🚀",
                "mnist",
                "x",
            ] {
                assert_eq!(
                    stepped.query_rows(&table, query).rows(),
                    at_once.query_rows(&table, query).rows(),
                    "{query}"
                );
            }
            let fields = |index: &SearchIndex| -> Vec<Field> {
                index
                    .text(&table)
                    .dictionaries
                    .iter()
                    .map(|(f, _)| *f)
                    .collect()
            };
            assert_eq!(fields(&stepped), fields(&at_once));
        }
    }

    #[test]
    fn an_author_missing_from_its_ids_is_still_searched() {
        let mut rows = generate_spaces(300, 3);
        for row in rows.iter_mut().skip(7).step_by(50) {
            row.author = Some("Zz-Owner-Ünïcode".into());
        }
        let table = decoded(&rows);
        assert_eq!(
            matching(&table, "zz-owner-ü"),
            vec![7, 57, 107, 157, 207, 257]
        );
        // Where every id starts with its author, the id alone answers.
        let plain = decoded(&generate_spaces(300, 3));
        let index = SearchIndex::new();
        assert!(index
            .text(&plain)
            .dictionaries
            .iter()
            .all(|(f, _)| *f != Field::Author));
        let with_owner = SearchIndex::new();
        assert!(with_owner
            .text(&table)
            .dictionaries
            .iter()
            .any(|(f, _)| *f == Field::Author));
    }

    #[test]
    fn one_character_queries_agree_with_substring_search() {
        let mut rows = generate_spaces(400, 8);
        rows[3].id = "Ünï/ÇODE_x.y z".into();
        rows[4].id = "a/🚀-rocket".into();
        let table = decoded(&rows);
        for q in ["u", "ü", "x", "_", ".", " z", "/", "-", "7", "🚀", "Q", "ç"] {
            let needle = q.trim().to_lowercase();
            let want: Vec<u32> = (0..table.len() as u32)
                .filter(|&r| {
                    let row = &rows[r as usize];
                    let mut texts = vec![row.id.clone()];
                    texts.extend(row.author.clone());
                    texts.extend(row.emoji.clone());
                    for list in [&row.models, &row.datasets, &row.tags] {
                        texts.extend(list.iter().flatten().flatten().cloned());
                    }
                    texts.iter().any(|t| t.to_lowercase().contains(&needle))
                })
                .collect();
            assert_eq!(matching(&table, q), want, "{q:?}");
        }
    }

    #[test]
    fn titles_and_descriptions_are_searched() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/spaces-5k-hub-api.parquet"
        );
        let bytes = std::fs::read(path).unwrap();
        let (mut table, _) = crate::data::decode_spaces(bytes::Bytes::from(bytes)).unwrap();
        // Titles no id, tag or model holds, on every seventh row.
        let mut titles = crate::data::TextColumn::new();
        for row in 0..table.len() {
            let title = table.title(row).to_string();
            titles.push(Some(&if row % 7 == 3 {
                format!("Zebra Übersetzer {title}")
            } else {
                title
            }));
        }
        table.prose.get_mut().expect("the file has prose").title = titles;
        let text_of = |row: usize| {
            let mut texts = vec![
                table.id(row).to_string(),
                table.title(row).to_string(),
                table.description(row).to_string(),
            ];
            texts.extend(table.author.get(row).map(str::to_string));
            texts.extend(table.emoji.get(row).map(str::to_string));
            for column in [&table.models, &table.datasets, &table.tags] {
                texts.extend(column.row_values(row).map(str::to_string));
            }
            texts.join("\n").to_lowercase()
        };
        for query in [
            "zebra",
            "übersetzer zebra",
            "\"zebra über\"",
            "docker demo",
            "zebra docker",
        ] {
            let want: Vec<u32> = (0..table.len() as u32)
                .filter(|&r| {
                    query_terms(query)
                        .iter()
                        .all(|t| text_of(r as usize).contains(t.as_str()))
                })
                .collect();
            assert!(!want.is_empty(), "{query}");
            assert_eq!(matching(&table, query), want, "{query}");
        }
        assert_eq!(
            matching(&table, "zebra").len(),
            (0..5_000).filter(|r| r % 7 == 3).count()
        );
    }
}
