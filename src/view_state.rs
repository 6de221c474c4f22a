//! The whole view in the URL: typed state to and from the query string
//! (parameters in DESIGN.md). Unknown or malformed parameters are ignored
//! with a note the page shows; nothing here can fail.

use crate::data::{format_date, parse_date, DAY_MS};
use crate::filter::{Field, Filters};
use crate::query::{parse_query_raw, percent_decode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Overview,
    Search,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Likes,
    Created,
    Modified,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Likes,
            descending: true,
        }
    }
}

/// Everything a link reproduces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    /// The raw `data` value (interpreted by [`crate::source::DataSource`]).
    pub data: Option<String>,
    pub view: View,
    pub filters: Filters,
    pub sort: Sort,
    pub embed: Option<String>,
}

/// Longest parameter value read; longer ones are ignored with a note.
pub const MAX_VALUE_CHARS: usize = 4096;
/// Most values one facet parameter may list.
pub const MAX_VALUES: usize = 200;

impl ViewState {
    /// Reads a query string. The notes say what was ignored and why.
    pub fn from_query(query: &str) -> (ViewState, Vec<String>) {
        let mut state = ViewState::default();
        let mut notes = Vec::new();
        for (key, raw) in parse_query_raw(query) {
            let value = percent_decode(&raw);
            if value.chars().count() > MAX_VALUE_CHARS {
                notes.push(format!("Ignored `{}`: its value is too long.", clip(&key)));
                continue;
            }
            match key.as_str() {
                "data" => state.data = Some(value),
                "view" => match value.as_str() {
                    "overview" | "" => state.view = View::Overview,
                    "search" => state.view = View::Search,
                    other => notes.push(format!("Ignored view `{}`: use overview or search.", clip(other))),
                },
                "q" => state.filters.q = value,
                "likes" => match value.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => state.filters.likes_min = Some(n),
                    _ => notes.push(format!("Ignored likes `{}`: not a whole number ≥ 0.", clip(&value))),
                },
                "created" => match parse_created(&value) {
                    Some((from, to)) => {
                        state.filters.created_from = from;
                        // The end date is inclusive in the URL: keep that whole day.
                        state.filters.created_to = to.map(|t| t + DAY_MS);
                    }
                    None => notes.push(format!(
                        "Ignored created `{}`: use YYYY-MM-DD..YYYY-MM-DD (either side optional).",
                        clip(&value)
                    )),
                },
                "dev" => match value.as_str() {
                    "1" => state.filters.dev_mode = Some(true),
                    "0" => state.filters.dev_mode = Some(false),
                    other => notes.push(format!("Ignored dev `{}`: use 1 or 0.", clip(other))),
                },
                "sort" => match parse_sort(&value) {
                    Some(sort) => state.sort = sort,
                    None => notes.push(format!(
                        "Ignored sort `{}`: use likes, created, modified or id, with - for descending.",
                        clip(&value)
                    )),
                },
                "embed" => state.embed = Some(value).filter(|v| !v.is_empty()),
                other => match Field::from_param(other) {
                    Some(field) => {
                        let values = split_list(&raw);
                        if values.len() > MAX_VALUES {
                            notes.push(format!("Kept the first {MAX_VALUES} values of `{other}`."));
                        }
                        for v in values.into_iter().take(MAX_VALUES) {
                            state.filters.add(field, &v);
                        }
                    }
                    None => notes.push(format!("Ignored unknown parameter `{}`.", clip(other))),
                },
            }
        }
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
            pairs.push(("q".into(), encode(&self.filters.q)));
        }
        for field in Field::ALL {
            let values = self.filters.values(field);
            if !values.is_empty() {
                let list: Vec<String> = values.iter().map(|v| encode(v)).collect();
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

fn clip(text: &str) -> String {
    crate::source::shorten(text, 60)
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

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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
        assert!(notes.iter().any(|n| n.contains("unknown parameter `zzz`")));
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
