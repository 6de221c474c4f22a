//! The whole view in the URL: typed state to and from the query string
//! (parameters in the README). Unknown or malformed parameters are ignored
//! with a note the page shows; nothing here can fail.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::data::{format_date, parse_date, Field, DAY_MS};
use crate::format;
use crate::search::{Filters, Sort, SortKey};

use super::codec::{encode, parse_query_raw, percent_decode};
use super::notes::Notes;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum View {
    #[default]
    Overview,
    Search,
}

/// Everything a link reproduces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    /// The raw `data` value (interpreted by [`super::source::DataSource`]).
    pub data: Option<String>,
    pub view: View,
    pub filters: Filters,
    pub sort: Sort,
    pub embed: Option<String>,
}

/// Longest value read for one parameter (or one item of a list). The
/// writer leaves out longer values and cuts a longer query to this length,
/// so every link it writes reads back as the same view.
pub const MAX_VALUE_CHARS: usize = 4096;
/// Most values one facet field keeps, over all its parameters together
/// (duplicates count once). Each is a chip and a check per row; a view of
/// more than a couple of hundred values is no view a visitor built, and a
/// 692 kB link of 100,000 values froze the page for 57 s.
pub const MAX_VALUES: usize = 200;

impl ViewState {
    /// Reads a query string. The notes say what was ignored and why.
    pub fn from_query(query: &str) -> (ViewState, Notes) {
        let mut state = ViewState::default();
        let mut notes = Notes::default();
        let mut facets = FacetBudget::default();
        for (key, raw) in parse_query_raw(query) {
            if let Some(field) = Field::from_param(&key) {
                facets.read(&mut state.filters, field, &raw);
                continue;
            }
            let value = percent_decode(&raw);
            let too_long = value.chars().count() > MAX_VALUE_CHARS;
            if too_long && key == "q" {
                // Cut as the writer cuts it: the same link, the same view.
                state.filters.q = value.chars().take(MAX_VALUE_CHARS).collect();
                notes.push(format!(
                    "The search text is longer than {} characters; only the first {} were kept.",
                    format::count(MAX_VALUE_CHARS as u64),
                    format::count(MAX_VALUE_CHARS as u64)
                ));
                continue;
            }
            if too_long {
                notes.push(format!(
                    "Ignored the {} parameter: its value is too long.",
                    quote(&key)
                ));
                continue;
            }
            match key.as_str() {
                "data" => state.data = Some(value),
                "view" => match value.as_str() {
                    "overview" | "" => state.view = View::Overview,
                    "search" => state.view = View::Search,
                    other => notes.push(format!(
                        "Ignored view {}: use overview or search.",
                        quote(other)
                    )),
                },
                "q" => state.filters.q = value,
                "likes" => match value.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => state.filters.likes_min = Some(n),
                    _ => notes.push(format!(
                        "Ignored likes {}: it must be a whole number, 0 or more.",
                        quote(&value)
                    )),
                },
                "created" => match parse_created(&value) {
                    Some((from, to)) => {
                        state.filters.created_from = from;
                        // The end date is inclusive in the URL: keep that whole day.
                        state.filters.created_to = to.map(|t| t + DAY_MS);
                    }
                    None => notes.push(format!(
                        "Ignored created {}: use two dates such as 2024-01-01..2024-06-30 (either side may be left out).",
                        quote(&value)
                    )),
                },
                "dev" => match value.as_str() {
                    "1" => state.filters.dev_mode = Some(true),
                    "0" => state.filters.dev_mode = Some(false),
                    other => notes.push(format!("Ignored dev {}: use 1 or 0.", quote(other))),
                },
                "sort" => match parse_sort(&value) {
                    Some(sort) => state.sort = sort,
                    None => notes.push(format!(
                        "Ignored sort {}: use likes, created, modified or id, with a leading minus for descending.",
                        quote(&value)
                    )),
                },
                "embed" => state.embed = Some(value).filter(|v| !v.is_empty()),
                other => notes.push(format!("Ignored the unknown parameter {}.", quote(other))),
            }
        }
        facets.note_drops(&mut notes);
        (state, notes)
    }

    /// The query string (without `?`) that reproduces this state; default
    /// values are left out so links stay short.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(data) = &self.data {
            pairs.push(("data".into(), encode(data)));
        }
        if self.view == View::Search {
            pairs.push(("view".into(), "search".into()));
        }
        if !self.filters.q.is_empty() {
            let q: String = self.filters.q.chars().take(MAX_VALUE_CHARS).collect();
            pairs.push(("q".into(), encode(&q)));
        }
        for field in Field::ALL {
            // What the reader would drop is not written.
            let list: Vec<String> = self
                .filters
                .values(field)
                .iter()
                .filter(|v| v.chars().count() <= MAX_VALUE_CHARS)
                .take(MAX_VALUES)
                .map(|v| encode(v))
                .collect();
            if !list.is_empty() {
                pairs.push((field.param().into(), list.join(",")));
            }
        }
        if let Some(min) = self.filters.likes_min {
            pairs.push(("likes".into(), min.to_string()));
        }
        let (from, to) = (self.filters.created_from, self.filters.created_to);
        if from.is_some() || to.is_some() {
            let from = from.map(format_date).unwrap_or_default();
            let to = to.map(|t| format_date(t - DAY_MS)).unwrap_or_default();
            pairs.push(("created".into(), format!("{from}..{to}")));
        }
        if let Some(dev) = self.filters.dev_mode {
            pairs.push(("dev".into(), if dev { "1" } else { "0" }.into()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort".into(), sort_text(self.sort)));
        }
        if let Some(embed) = &self.embed {
            pairs.push(("embed".into(), encode(embed)));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// List items are percent-encoded one by one, so a comma inside a value
/// is `%2C` and the separator is a plain comma: split first, then decode.
fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter(|v| !v.is_empty())
        .map(percent_decode)
        .collect()
}

/// A value from the link, shown as text in quotation marks, cut short.
pub fn quote(text: &str) -> String {
    format!("“{}”", crate::format::shorten(text, 60))
}

/// Facet values from every parameter of the link, deduplicated per field
/// with a hash set (the filter's own check is a list scan: quadratic over
/// 100,000 values) and capped at [`MAX_VALUES`] per field.
#[derive(Default)]
struct FacetBudget {
    seen: FxHashMap<Field, FxHashSet<String>>,
    dropped: Vec<(Field, usize)>,
    too_long: usize,
}

impl FacetBudget {
    fn read(&mut self, filters: &mut Filters, field: Field, raw: &str) {
        let seen = self.seen.entry(field).or_default();
        for value in split_list(raw) {
            if value.chars().count() > MAX_VALUE_CHARS {
                self.too_long += 1;
            } else if seen.contains(&value) {
                // Listed twice: one filter.
            } else if seen.len() < MAX_VALUES {
                filters.add(field, &value);
                seen.insert(value);
            } else {
                match self.dropped.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, n)) => *n += 1,
                    None => self.dropped.push((field, 1)),
                }
            }
        }
    }

    /// Notes on what was left out of the view, ahead of the others (which
    /// parameters were unknown matters less).
    fn note_drops(&self, notes: &mut Notes) {
        if self.too_long > 0 {
            let plural = if self.too_long == 1 { "" } else { "s" };
            notes.push_first(format!(
                "Ignored {} filter value{plural}: too long (over {} characters).",
                format::count(self.too_long as u64),
                format::count(MAX_VALUE_CHARS as u64)
            ));
        }
        for (field, dropped) in self.dropped.iter().rev() {
            let verb = if *dropped == 1 { "was" } else { "were" };
            notes.push_first(format!(
                "Kept the first {MAX_VALUES} {} values of this link; {} more {verb} left out.",
                field.param(),
                format::count(*dropped as u64)
            ));
        }
    }
}

fn parse_created(value: &str) -> Option<(Option<i64>, Option<i64>)> {
    let (from, to) = value.split_once("..")?;
    let side = |s: &str| -> Option<Option<i64>> {
        if s.trim().is_empty() {
            Some(None)
        } else {
            parse_date(s).map(Some)
        }
    };
    Some((side(from)?, side(to)?))
}

fn parse_sort(value: &str) -> Option<Sort> {
    let (descending, key) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let key = match key {
        "likes" => SortKey::Likes,
        "created" => SortKey::Created,
        "modified" => SortKey::Modified,
        "id" => SortKey::Id,
        _ => return None,
    };
    Some(Sort { key, descending })
}

fn sort_text(sort: Sort) -> String {
    let key = match sort.key {
        SortKey::Likes => "likes",
        SortKey::Created => "created",
        SortKey::Modified => "modified",
        SortKey::Id => "id",
    };
    format!("{}{key}", if sort.descending { "-" } else { "" })
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_parameter() {
        let (state, notes) = ViewState::from_query(
            "?data=sample&view=search&q=flux&sdk=gradio,docker&model=black-forest-labs%2FFLUX.1-dev\
             &likes=100&created=2024-01-01..2024-06-30&dev=0&sort=-created&embed=chart-sdk",
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(state.data.as_deref(), Some("sample"));
        assert_eq!(state.view, View::Search);
        assert_eq!(state.filters.q, "flux");
        assert_eq!(state.filters.values(Field::Sdk), ["gradio", "docker"]);
        assert_eq!(
            state.filters.values(Field::Model),
            ["black-forest-labs/FLUX.1-dev"]
        );
        assert_eq!(state.filters.likes_min, Some(100));
        assert_eq!(state.filters.created_from, parse_date("2024-01-01"));
        assert_eq!(state.filters.created_to, parse_date("2024-07-01"));
        assert_eq!(state.filters.dev_mode, Some(false));
        assert_eq!(
            state.sort,
            Sort {
                key: SortKey::Created,
                descending: true
            }
        );
        assert_eq!(state.embed.as_deref(), Some("chart-sdk"));
    }

    #[test]
    fn ignores_bad_parameters_with_a_note() {
        let (state, notes) = ViewState::from_query(
            "likes=many&dev=maybe&sort=stars&created=yesterday&view=grid&zzz=1&q=%E0%A4",
        );
        assert_eq!(state.filters.likes_min, None);
        assert_eq!(state.filters.q, "\u{FFFD}");
        assert_eq!(notes.len(), 6, "{notes:?}");
        assert!(notes
            .iter()
            .any(|n| n == "Ignored the unknown parameter “zzz”."));
        // Plain sentences: values in quotation marks, no code markup.
        assert!(notes.iter().all(|n| !n.contains('`')), "{notes:?}");
        assert!(notes
            .iter()
            .any(|n| n == "Ignored likes “many”: it must be a whole number, 0 or more."));
    }

    #[test]
    fn facet_values_are_deduplicated_and_capped_over_all_parameters() {
        // The 692 kB link: 500 `author=` parameters of 200 values each.
        let query: String = (0..500)
            .map(|p| {
                let values: Vec<String> = (0..200).map(|v| format!("a{}", p * 200 + v)).collect();
                format!("author={}&", values.join(","))
            })
            .collect();
        assert!(query.len() > 690_000, "{}", query.len());
        let started = std::time::Instant::now();
        let (state, notes) = ViewState::from_query(&query);
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
        let authors = state.filters.values(Field::Author);
        assert_eq!(authors.len(), MAX_VALUES);
        assert_eq!((authors[0].as_str(), authors[199].as_str()), ("a0", "a199"));
        assert_eq!(
            notes.shown(),
            ["Kept the first 200 author values of this link; 99,800 more were left out."]
        );
        // Repeats count once and need no note.
        let (state, notes) =
            ViewState::from_query("sdk=gradio,docker&sdk=gradio&sdk=docker,gradio");
        assert_eq!(state.filters.values(Field::Sdk), ["gradio", "docker"]);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn notes_are_capped_but_counted() {
        let query: String = (0..50_000).map(|i| format!("x{i}=1&")).collect();
        let (_, notes) = ViewState::from_query(&query);
        assert_eq!(notes.len(), 50_000);
        assert_eq!(notes.shown().len(), crate::url::notes::MAX_NOTES);
        assert_eq!(notes.more(), 50_000 - crate::url::notes::MAX_NOTES);
        // What was left out of the view comes first, not after them.
        let sdks: Vec<String> = (0..=MAX_VALUES).map(|i| i.to_string()).collect();
        let (_, notes) = ViewState::from_query(&format!("{query}sdk={}", sdks.join(",")));
        assert_eq!(
            notes.shown()[0],
            "Kept the first 200 sdk values of this link; 1 more was left out."
        );
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_view() {
        // A query longer than the limit is cut the same way both ways.
        let mut state = ViewState::default();
        state.filters.q = "é".repeat(MAX_VALUE_CHARS + 10);
        let written = state.to_query();
        let (back, notes) = ViewState::from_query(&written);
        assert_eq!(back.filters.q.chars().count(), MAX_VALUE_CHARS);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(ViewState::from_query(&back.to_query()).0, back);
        // A longer link keeps the first part, with a note, not nothing.
        let (long, notes) = ViewState::from_query(&format!("q={}", "a".repeat(5000)));
        assert_eq!(long.filters.q, "a".repeat(MAX_VALUE_CHARS));
        assert_eq!(notes.len(), 1);
        // 200 values of 40 characters: 8,000 characters in one parameter,
        // each value under the limit, so all of them come back.
        let mut many = ViewState::default();
        for i in 0..MAX_VALUES {
            many.filters.add(Field::Model, &format!("{i:040}"));
        }
        let (back, notes) = ViewState::from_query(&many.to_query());
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, many);
    }

    #[test]
    fn values_with_separators_survive() {
        let mut state = ViewState::default();
        for v in [
            "a,b",
            "x&y",
            "100%",
            "#tag",
            "🤗",
            "日本語",
            "a b+c",
            "=",
            "%2C",
        ] {
            state.filters.add(Field::Author, v);
        }
        let query = state.to_query();
        assert!(!query.contains('#') && !query.contains(' '), "{query}");
        assert_eq!(ViewState::from_query(&query).0, state);
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9/._-]{1,12}",
            "\\PC{1,8}",
            Just(",".to_string()),
            Just("&=%#+".to_string())
        ]
    }

    proptest! {
        #[test]
        fn every_state_round_trips(
            q in proptest::option::of("\\PC{1,10}"),
            facets in proptest::collection::vec((0usize..9, proptest::collection::vec(value(), 1..4)), 0..4),
            likes in proptest::option::of(0i64..1_000_000),
            from in proptest::option::of(0i64..20_000),
            to in proptest::option::of(0i64..20_000),
            dev in proptest::option::of(any::<bool>()),
            sort in (0usize..4, any::<bool>()),
            search in any::<bool>(),
        ) {
            let mut state = ViewState::default();
            if let Some(q) = q { state.filters.q = q; }
            for (f, values) in facets {
                for v in values { state.filters.add(Field::ALL[f], &v); }
            }
            state.filters.likes_min = likes;
            state.filters.created_from = from.map(|d| d * DAY_MS);
            state.filters.created_to = to.map(|d| d * DAY_MS);
            state.filters.dev_mode = dev;
            state.sort = Sort { key: [SortKey::Likes, SortKey::Created, SortKey::Modified, SortKey::Id][sort.0], descending: sort.1 };
            state.view = if search { View::Search } else { View::Overview };
            let (back, notes) = ViewState::from_query(&state.to_query());
            prop_assert!(notes.is_empty(), "{:?}", notes);
            // Filters keep fields in canonical order, so the state itself
            // comes back, not a reordering of it.
            prop_assert_eq!(back, state);
        }

        #[test]
        fn arbitrary_query_strings_never_panic(query in "\\PC{0,200}") {
            let _ = ViewState::from_query(&query);
        }
    }
}
