//! The sources a deployment offers by short name (`data=hub-daily`), and
//! how a `data` value picks one. A deployment names its sources and its
//! default in `sources.json` beside index.html, so changing them needs no
//! rebuild; without one (or with one that does not validate) the built-in
//! list below applies. The manifest is untrusted text like a link: it is
//! validated strictly here, its URLs go through the same resolution and
//! consent rules as a `data=` URL, and its labels are only ever shown as
//! text.

use serde::Deserialize;

use crate::data::parse_date;
use crate::format::shorten;

use super::source::{showable, Address, DataSource};
use super::view_state::quote;

/// Where the manifest is, relative to the page (like `sample.parquet`).
pub const MANIFEST_PATH: &str = "sources.json";
/// Largest manifest read. Twenty sources take a few kB; anything near this
/// is no list of sources, and parsing it would only cost the visitor.
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024;
/// Most sources a manifest may list: a choice, not a directory.
pub const MAX_SOURCES: usize = 20;
/// Longest label: one line of a drop-down.
pub const MAX_LABEL_CHARS: usize = 80;
/// Longest short name (names are `[a-z0-9-]`).
pub const MAX_NAME_CHARS: usize = 32;
/// The short name of the sample bundled with the app. Every deployment has
/// it, listed or not (the error screen offers it as the way out).
pub const SAMPLE_NAME: &str = "sample";
/// The Hub's daily snapshot of every Space, as the API describes them.
pub const HUB_DAILY_URL: &str =
    "https://huggingface.co/datasets/cfahlgren1/hub-stats/resolve/main/spaces.parquet";

/// What a `data` value asks for, before the source list is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataParam {
    /// No `data` (or an address that was refused): the list's default.
    Default,
    /// A short name other than `sample`, as written (names match in any
    /// case): the list decides.
    Name(String),
    /// The sample or an address: known without the list.
    Source(DataSource),
}

impl DataParam {
    /// Reads the `data` value against the page's address. A value without
    /// `/`, `.` or `:` is a short name (no file address lacks all three);
    /// anything else is an address, resolved by
    /// [`DataSource::from_param`] with its refusals and notes unchanged. A
    /// refused address falls back to the default, with its note.
    pub fn read(value: Option<&str>, page_url: &str) -> (DataParam, Option<String>) {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return (DataParam::Default, None);
        };
        if !value.contains(['/', '.', ':']) {
            let name = value.to_ascii_lowercase();
            if name == SAMPLE_NAME {
                return (DataParam::Source(DataSource::Sample), None);
            }
            return (DataParam::Name(value.to_string()), None);
        }
        match DataSource::from_param(Some(value), page_url) {
            Ok((source, note)) => (DataParam::Source(source), note),
            Err(note) => (DataParam::Default, Some(note)),
        }
    }

    /// Whether the source list decides what loads. The sample and an
    /// address do not wait for it: their first request goes out at once.
    pub fn needs_list(&self) -> bool {
        !matches!(self, DataParam::Source(_))
    }
}

/// One source of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The short name a link carries (`[a-z0-9-]{1,32}`).
    pub name: String,
    /// Plain text, at most [`MAX_LABEL_CHARS`] characters.
    pub label: String,
    /// The newest day the file covers (`YYYY-MM-DD`), when the list says.
    pub snapshot: Option<String>,
    /// The file's size in bytes, when the list says.
    pub bytes: Option<u64>,
    pub source: DataSource,
}

impl Entry {
    /// The option's text: the label, then the snapshot date and the size
    /// when the list gives them.
    pub fn option_text(&self) -> String {
        let mut text = self.label.clone();
        if let Some(snapshot) = &self.snapshot {
            text.push_str(&format!(" · {snapshot}"));
        }
        if let Some(bytes) = self.bytes {
            text.push_str(&format!(" · {}", crate::format::bytes(bytes)));
        }
        text
    }
}

/// The sources a deployment offers, one of them the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceList {
    entries: Vec<Entry>,
    default: usize,
}

/// The manifest as written. Unknown fields are refused: a misspelt
/// `defualt` should say so, not be silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    default: String,
    sources: Vec<ManifestEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestEntry {
    name: String,
    label: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    snapshot: Option<String>,
    #[serde(default)]
    bytes: Option<u64>,
}

/// The bundled sample's entry, appended to a list that leaves it out.
fn sample_entry() -> Entry {
    Entry {
        name: SAMPLE_NAME.into(),
        label: "Bundled sample (5,000 synthetic Spaces)".into(),
        snapshot: None,
        bytes: None,
        source: DataSource::Sample,
    }
}

impl SourceList {
    /// The list a deployment without a (valid) manifest offers: the
    /// upstream file (the default), the Hub's daily snapshot and the
    /// sample. `scripts/deploy.sh` writes the same list as `sources.json`
    /// (`scripts/sources.json`, checked against this by a test).
    pub fn builtin(page_url: &str) -> SourceList {
        let daily = Address::resolve_listed(HUB_DAILY_URL, page_url)
            .map(|address| DataSource::Listed {
                name: "hub-daily".into(),
                address,
            })
            .ok();
        let mut entries = vec![Entry {
            name: "hub-2024".into(),
            label: "Hub snapshot, September 2024".into(),
            snapshot: None,
            bytes: None,
            source: DataSource::Hub,
        }];
        // Absolute, so it resolves against any page; only a page address
        // the parser cannot read (never a browser's) would leave it out.
        if let Some(source) = daily {
            entries.push(Entry {
                name: "hub-daily".into(),
                label: "Hub daily snapshot (raw, large)".into(),
                snapshot: None,
                bytes: None,
                source,
            });
        }
        entries.push(sample_entry());
        SourceList {
            entries,
            default: 0,
        }
    }

    /// Parses and validates a manifest (the text of `sources.json`). `Err`
    /// is the reason, as a clause for the page's note. Every rule is
    /// strict: one bad entry refuses the whole list, so a deployment sees
    /// its mistake instead of a list with a source quietly missing.
    pub fn from_manifest(text: &str, page_url: &str) -> Result<SourceList, String> {
        if text.len() > MAX_MANIFEST_BYTES {
            return Err(format!(
                "it is larger than {}",
                crate::format::bytes(MAX_MANIFEST_BYTES as u64)
            ));
        }
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let manifest: Manifest = serde_json::from_str(text)
            .map_err(|e| format!("it is not a valid list ({})", clean(&e.to_string(), 160)))?;
        if manifest.sources.is_empty() {
            return Err("it lists no sources".into());
        }
        if manifest.sources.len() > MAX_SOURCES {
            return Err(format!(
                "it lists {} sources, more than {MAX_SOURCES}",
                manifest.sources.len()
            ));
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(manifest.sources.len() + 1);
        for entry in manifest.sources {
            let entry = validate(entry, page_url)?;
            if entries.iter().any(|e| e.name == entry.name) {
                return Err(format!("two sources are named {}", quote(&entry.name)));
            }
            entries.push(entry);
        }
        if !entries.iter().any(|e| e.name == SAMPLE_NAME) {
            entries.push(sample_entry());
        }
        let default = entries
            .iter()
            .position(|e| e.name == manifest.default)
            .ok_or_else(|| {
                format!(
                    "its default {} is not one of its sources",
                    quote(&clean(&manifest.default, 40))
                )
            })?;
        Ok(SourceList { entries, default })
    }

    /// The list to use, from what fetching the manifest gave: `Ok(None)`
    /// when the deployment has none (a 404: silent), `Ok(Some(text))` when
    /// it answered, `Err` when it could not be fetched (the reason). The
    /// note says why a manifest that is there was not used.
    pub fn settle(
        fetched: Result<Option<String>, String>,
        page_url: &str,
    ) -> (SourceList, Option<String>) {
        let why = match fetched {
            Ok(None) => return (SourceList::builtin(page_url), None),
            Ok(Some(text)) => match SourceList::from_manifest(&text, page_url) {
                Ok(list) => return (list, None),
                Err(why) => why,
            },
            Err(why) => why,
        };
        let builtin = SourceList::builtin(page_url);
        let note = format!(
            "This site's list of data sources ({MANIFEST_PATH}) was not used: {why}. The built-in list is offered instead: {}.",
            builtin.names()
        );
        (builtin, Some(note))
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn default_entry(&self) -> &Entry {
        &self.entries[self.default]
    }

    /// The entry named `name` (any case).
    pub fn find(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Every name, comma separated, for notes.
    pub fn names(&self) -> String {
        self.entries
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The entry `source` is, for the drop-down to show: by name for a
    /// listed source, else by the address fetched (a link that spells out
    /// a listed URL shows that entry). `None` for a file the list does not
    /// hold.
    pub fn entry_of(&self, source: &DataSource) -> Option<&Entry> {
        if let DataSource::Listed { name, .. } = source {
            if let Some(entry) = self.find(name) {
                return Some(entry);
            }
        }
        self.entries.iter().find(|e| e.source.url() == source.url())
    }

    /// The `data` value that picks `name`: none for the default, so the
    /// default source writes no `data` and links stay short.
    pub fn param_for(&self, name: &str) -> Option<String> {
        (!self.default_entry().name.eq_ignore_ascii_case(name)).then(|| name.to_ascii_lowercase())
    }

    /// The source `param` asks for. An unknown name gives the default and
    /// a note that lists the names this site knows.
    pub fn resolve(&self, param: &DataParam) -> (DataSource, Option<String>) {
        match param {
            DataParam::Default => (self.default_entry().source.clone(), None),
            DataParam::Source(source) => (source.clone(), None),
            DataParam::Name(name) => match self.find(name) {
                Some(entry) => (entry.source.clone(), None),
                None => (
                    self.default_entry().source.clone(),
                    Some(format!(
                        "Ignored data {}: no data source has that name. The names this site knows are {}; showing the default, {}.",
                        quote(&showable(name)),
                        self.names(),
                        self.default_entry().name
                    )),
                ),
            },
        }
    }
}

/// Checks one manifest entry and resolves its URL.
fn validate(entry: ManifestEntry, page_url: &str) -> Result<Entry, String> {
    let name = entry.name;
    let valid_name = (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_name {
        return Err(format!(
            "the name {} is not 1 to {MAX_NAME_CHARS} lower-case letters, digits or hyphens",
            quote(&clean(&name, 40))
        ));
    }
    let which = quote(&name);
    let label = entry.label.trim().to_string();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return Err(format!(
            "the label of {which} is empty or longer than {MAX_LABEL_CHARS} characters"
        ));
    }
    // Control characters and bidirectional overrides could make a label
    // read as something else; markup is harmless (always shown as text).
    if label.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(format!(
            "the label of {which} holds a control or text-direction character"
        ));
    }
    if let Some(snapshot) = &entry.snapshot {
        let shaped = snapshot.len() == 10
            && snapshot.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped || parse_date(snapshot).is_none() {
            return Err(format!(
                "the snapshot of {which} is not a date such as 2024-09-30"
            ));
        }
    }
    let source = match (name.as_str(), entry.url) {
        (SAMPLE_NAME, None) => DataSource::Sample,
        (SAMPLE_NAME, Some(_)) => {
            return Err(format!(
                "{which} is the sample bundled with the app and takes no url"
            ))
        }
        (_, None) => return Err(format!("{which} has no url")),
        (_, Some(url)) => {
            // The same rules as a link's `data=`: refused values stay
            // refused, and a host other than this site and Hugging Face
            // still asks the visitor first (see `DataSource`).
            let address = Address::resolve_listed(url.trim(), page_url)
                .map_err(|why| format!("the url of {which} was refused: {why}"))?;
            DataSource::Listed {
                name: name.clone(),
                address,
            }
        }
    };
    Ok(Entry {
        name,
        label,
        snapshot: entry.snapshot,
        bytes: entry.bytes,
        source,
    })
}

/// Marks that reorder text (U+200E/F, U+202A–E, U+2066–9) or hide it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Untrusted text quoted in a note: control characters replaced, cut.
fn clean(text: &str, max: usize) -> String {
    shorten(&showable(text), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://127.0.0.1:8080/app/?data=x";

    fn manifest(sources: &str) -> String {
        format!(r#"{{"default": "a", "sources": [{sources}]}}"#)
    }

    fn refused(text: &str) -> String {
        SourceList::from_manifest(text, PAGE).unwrap_err()
    }

    fn read(value: &str) -> (DataParam, Option<String>) {
        DataParam::read(Some(value), PAGE)
    }

    #[test]
    fn the_builtin_list() {
        let list = SourceList::builtin(PAGE);
        assert_eq!(list.names(), "hub-2024, hub-daily, sample");
        assert_eq!(list.default_entry().name, "hub-2024");
        assert_eq!(list.default_entry().source, DataSource::Hub);
        assert_eq!(list.find("hub-daily").unwrap().source.url(), HUB_DAILY_URL);
        assert_eq!(
            list.find("hub-daily")
                .unwrap()
                .source
                .host_needing_consent(),
            None
        );
        assert_eq!(list.find("sample").unwrap().source, DataSource::Sample);
        assert_eq!(
            list.find("hub-2024").unwrap().option_text(),
            "Hub snapshot, September 2024"
        );
    }

    /// `scripts/deploy.sh` ships `scripts/sources.json` as the deployment's
    /// manifest: it must say exactly what the built-in list says.
    #[test]
    fn the_shipped_manifest_is_the_builtin_list() {
        let text = include_str!("../../scripts/sources.json");
        let shipped = SourceList::from_manifest(text, PAGE).unwrap();
        let builtin = SourceList::builtin(PAGE);
        assert_eq!(shipped.names(), builtin.names());
        assert_eq!(shipped.default_entry().name, builtin.default_entry().name);
        for (a, b) in shipped.entries().iter().zip(builtin.entries()) {
            assert_eq!((&a.label, a.source.url()), (&b.label, b.source.url()));
        }
    }

    #[test]
    fn reads_a_manifest() {
        let text = r#"{
            "default": "hub-slim",
            "sources": [
                {"name": "hub-slim", "label": "Hub daily, slim", "url": "https://huggingface.co/datasets/o/n/resolve/main/slim.parquet", "snapshot": "2026-08-01", "bytes": 123456789},
                {"name": "local", "label": "A local file", "url": "fixtures/spaces.parquet"},
                {"name": "elsewhere", "label": "Someone else's", "url": "https://data.example/s.parquet", "snapshot": null}
            ]
        }"#;
        let list = SourceList::from_manifest(text, PAGE).unwrap();
        assert_eq!(list.names(), "hub-slim, local, elsewhere, sample");
        assert_eq!(list.default_entry().name, "hub-slim");
        let slim = list.find("hub-slim").unwrap();
        assert_eq!(slim.option_text(), "Hub daily, slim · 2026-08-01 · 123 MB");
        // Relative URLs resolve against the page, as a link's do.
        assert_eq!(
            list.find("local").unwrap().source.url(),
            "http://127.0.0.1:8080/app/fixtures/spaces.parquet"
        );
        // Listed or not, another host asks the visitor first.
        let elsewhere = &list.find("elsewhere").unwrap().source;
        assert_eq!(
            elsewhere.host_needing_consent().as_deref(),
            Some("data.example")
        );
        assert!(elsewhere
            .connect_policy()
            .ends_with(" https://data.example"));
        assert_eq!(slim.source.host_needing_consent(), None);
    }

    #[test]
    fn the_sample_may_be_listed_but_is_always_the_bundled_file() {
        let list = SourceList::from_manifest(
            &manifest(r#"{"name": "sample", "label": "Try it"}, {"name": "a", "label": "A", "url": "/a.parquet"}"#),
            PAGE,
        )
        .unwrap();
        assert_eq!(list.names(), "sample, a");
        assert_eq!(list.find("sample").unwrap().label, "Try it");
        assert_eq!(list.find("sample").unwrap().source, DataSource::Sample);
        let message = refused(&manifest(
            r#"{"name": "a", "label": "A", "url": "/a.parquet"}, {"name": "sample", "label": "S", "url": "https://evil.example/x.parquet"}"#,
        ));
        assert!(message.contains("takes no url"), "{message}");
    }

    #[test]
    fn refuses_hostile_manifests() {
        let entry = |fields: &str| manifest(&format!(r#"{{"name": "a", {fields}}}"#));
        for (text, why) in [
            (String::new(), "not a valid list"),
            ("<html>not found</html>".into(), "not a valid list"),
            ("[]".into(), "not a valid list"),
            ("null".into(), "not a valid list"),
            (r#"{"sources": []}"#.into(), "not a valid list"),
            (
                r#"{"default": "a", "sources": []}"#.into(),
                "lists no sources",
            ),
            (
                r#"{"default": 1, "sources": []}"#.into(),
                "not a valid list",
            ),
            (
                r#"{"default": "a", "sources": {}}"#.into(),
                "not a valid list",
            ),
            (
                entry(r#""label": "A", "url": "/a", "extra": 1"#),
                "unknown field",
            ),
            (entry(r#""label": 5, "url": "/a""#), "not a valid list"),
            (entry(r#""label": ["A"], "url": "/a""#), "not a valid list"),
            (
                entry(r#""label": "A", "url": "/a", "bytes": -1"#),
                "not a valid list",
            ),
            (
                entry(r#""label": "A", "url": "/a", "bytes": "12""#),
                "not a valid list",
            ),
            (
                entry(r#""label": "A", "url": "/a", "bytes": 1.5"#),
                "not a valid list",
            ),
            (
                entry(r#""label": "A", "url": {"href": "/a"}"#),
                "not a valid list",
            ),
            (
                entry(r#""label": "A", "label": "B", "url": "/a""#),
                "duplicate field",
            ),
            (entry(r#""label": "A""#), "has no url"),
            (entry(r#""label": "", "url": "/a""#), "empty or longer"),
            (
                entry(&format!(r#""label": "{}", "url": "/a""#, "x".repeat(81))),
                "empty or longer",
            ),
            (entry(r#""label": "A\u0000", "url": "/a""#), "control"),
            (entry(r#""label": "A\n<b>", "url": "/a""#), "control"),
            (
                entry(r#""label": "\u202Eevil", "url": "/a""#),
                "text-direction",
            ),
            (
                entry(r#""label": "A", "url": "javascript:alert(1)""#),
                "not an http(s) URL",
            ),
            (
                entry(r#""label": "A", "url": "data:text/html,x""#),
                "not an http(s) URL",
            ),
            (
                entry(r#""label": "A", "url": "/\\evil.example/a""#),
                "backslash",
            ),
            (
                entry(r#""label": "A", "url": "/\t/evil.example/a""#),
                "control character",
            ),
            (
                entry(r#""label": "A", "url": "https://u:p@data.example/a""#),
                "user name or password",
            ),
            (
                entry(&format!(
                    r#""label": "A", "url": "https://x.example/{}""#,
                    "a".repeat(3000)
                )),
                "longer than 2,048",
            ),
            (
                entry(r#""label": "A", "url": "/a", "snapshot": "yesterday""#),
                "not a date",
            ),
            (
                entry(r#""label": "A", "url": "/a", "snapshot": "2024-02-30""#),
                "not a date",
            ),
            (
                entry(r#""label": "A", "url": "/a", "snapshot": "2024-9-3""#),
                "not a date",
            ),
            (
                manifest(
                    r#"{"name": "a", "label": "A", "url": "/a"}, {"name": "a", "label": "B", "url": "/b"}"#,
                ),
                "two sources are named “a”",
            ),
            (
                r#"{"default": "zz", "sources": [{"name": "a", "label": "A", "url": "/a"}]}"#
                    .into(),
                "default “zz” is not one of its sources",
            ),
        ] {
            let message = refused(&text);
            assert!(message.contains(why), "{text}: {message}");
        }
        for bad_name in [
            "",
            "A",
            "hub_2024",
            "a b",
            "<b>",
            "ä",
            "../x",
            &"a".repeat(33),
        ] {
            let message = refused(&manifest(&format!(
                r#"{{"name": "{bad_name}", "label": "A", "url": "/a"}}"#
            )));
            assert!(
                message.contains("lower-case letters"),
                "{bad_name}: {message}"
            );
        }
        let many: Vec<String> = (0..21)
            .map(|i| format!(r#"{{"name": "s{i}", "label": "S", "url": "/s"}}"#))
            .collect();
        assert!(refused(&manifest(&many.join(","))).contains("more than 20"));
    }

    #[test]
    fn a_ten_megabyte_manifest_is_refused_unread() {
        let padding = " ".repeat(10 << 20);
        let text = manifest(&format!(
            r#"{{"name": "a", "label": "A", "url": "/a"}}{padding}"#
        ));
        assert!(refused(&text).contains("larger than 65.5 kB"));
    }

    #[test]
    fn markup_in_a_label_is_kept_as_text() {
        // Shown with textContent: the label is data, never HTML.
        let list = SourceList::from_manifest(
            &manifest(r#"{"name": "a", "label": "<img src=x onerror=alert(1)>", "url": "/a"}"#),
            PAGE,
        )
        .unwrap();
        assert_eq!(
            list.find("a").unwrap().label,
            "<img src=x onerror=alert(1)>"
        );
    }

    #[test]
    fn notes_say_why_the_manifest_was_not_used() {
        let (list, note) = SourceList::settle(Ok(None), PAGE);
        assert_eq!((list, note), (SourceList::builtin(PAGE), None));
        let (list, note) = SourceList::settle(Ok(Some("{oops".into())), PAGE);
        assert_eq!(list, SourceList::builtin(PAGE));
        let note = note.unwrap();
        assert!(note.starts_with("This site's list of data sources (sources.json) was not used: it is not a valid list"), "{note}");
        assert!(
            note.ends_with("The built-in list is offered instead: hub-2024, hub-daily, sample."),
            "{note}"
        );
        let (_, note) = SourceList::settle(Err("it did not arrive within 3 seconds".into()), PAGE);
        assert!(note
            .unwrap()
            .contains("not used: it did not arrive within 3 seconds."));
        let good = manifest(r#"{"name": "a", "label": "A", "url": "/a"}"#);
        let (list, note) = SourceList::settle(Ok(Some(good)), PAGE);
        assert_eq!((list.names().as_str(), note), ("a, sample", None));
        // Quoted manifest text is cut and has no control characters.
        let (_, note) = SourceList::settle(Ok(Some(format!("\u{1}{}", "x".repeat(500)))), PAGE);
        let note = note.unwrap();
        assert!(
            note.chars().count() < 400 && !note.contains('\u{1}'),
            "{note}"
        );
    }

    #[test]
    fn short_names_and_addresses() {
        assert_eq!(DataParam::read(None, PAGE), (DataParam::Default, None));
        assert_eq!(read("  "), (DataParam::Default, None));
        assert_eq!(
            read("sample"),
            (DataParam::Source(DataSource::Sample), None)
        );
        assert_eq!(
            read(" SAMPLE "),
            (DataParam::Source(DataSource::Sample), None)
        );
        assert_eq!(
            read("hub-daily"),
            (DataParam::Name("hub-daily".into()), None)
        );
        assert_eq!(read("Hub-Daily").0, DataParam::Name("Hub-Daily".into()));
        // A `/`, `.` or `:` makes it an address, read exactly as before.
        let (param, note) = read("fixtures/x.parquet");
        assert_eq!(note, None);
        let DataParam::Source(source) = param else {
            panic!("{param:?}")
        };
        assert_eq!(source.url(), "http://127.0.0.1:8080/app/fixtures/x.parquet");
        assert!(matches!(
            read("x.parquet").0,
            DataParam::Source(DataSource::Custom(_))
        ));
        let (param, note) = read("https://u:p@example.org/a");
        assert!(matches!(param, DataParam::Source(DataSource::Custom(_))));
        assert!(note.unwrap().contains("user name or password"));
        // Refused: the default, with the refusal as the note.
        let (param, note) = read("javascript:alert(1)");
        assert_eq!(param, DataParam::Default);
        assert!(note.unwrap().contains("not an http(s) URL"));
        assert!(!DataParam::Source(DataSource::Sample).needs_list());
        assert!(DataParam::Default.needs_list() && DataParam::Name("x".into()).needs_list());
    }

    #[test]
    fn names_resolve_through_the_manifest_else_the_builtin_list() {
        let builtin = SourceList::builtin(PAGE);
        let daily = builtin.resolve(&read("hub-daily").0).0;
        assert_eq!(daily.url(), HUB_DAILY_URL);
        assert_eq!(
            builtin.resolve(&read("HUB-2024").0),
            (DataSource::Hub, None)
        );
        assert_eq!(
            builtin.resolve(&DataParam::Default),
            (DataSource::Hub, None)
        );
        let deployed = SourceList::from_manifest(
            r#"{"default": "hub-slim", "sources": [
                {"name": "hub-slim", "label": "Slim", "url": "https://hf.co/slim.parquet"},
                {"name": "hub-2024", "label": "2024", "url": "https://hf.co/2024.parquet"}]}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(
            deployed.resolve(&DataParam::Default).0.url(),
            "https://hf.co/slim.parquet"
        );
        // The manifest's own hub-2024 wins over the built-in one.
        assert_eq!(
            deployed.resolve(&read("hub-2024").0).0.url(),
            "https://hf.co/2024.parquet"
        );
        // The manifest replaces the list: the built-in hub-daily is unknown here.
        let (source, note) = deployed.resolve(&read("hub-daily").0);
        assert_eq!(source.url(), "https://hf.co/slim.parquet");
        assert_eq!(
            note.unwrap(),
            "Ignored data “hub-daily”: no data source has that name. The names this site knows are hub-slim, hub-2024, sample; showing the default, hub-slim."
        );
        // Addresses and the sample do not depend on the list.
        let (source, note) = deployed.resolve(&read("/f.parquet").0);
        assert_eq!(
            (source.url(), note),
            ("http://127.0.0.1:8080/f.parquet", None)
        );
        assert_eq!(deployed.resolve(&read("sample").0).0, DataSource::Sample);
    }

    #[test]
    fn unknown_names_are_quoted_safely() {
        let builtin = SourceList::builtin(PAGE);
        for value in [
            "nope",
            "<img src=x onerror=alert(1)>",
            "a\u{1}b",
            &"z".repeat(5000),
        ] {
            let (param, _) = read(value);
            assert!(matches!(param, DataParam::Name(_)), "{value:?}");
            let (source, note) = builtin.resolve(&param);
            assert_eq!(source, DataSource::Hub);
            let note = note.unwrap();
            assert!(note.contains("hub-2024, hub-daily, sample"), "{note}");
            assert!(
                !note.contains('\u{1}') && note.chars().count() < 300,
                "{note}"
            );
        }
    }

    #[test]
    fn the_drop_down_knows_the_current_source_and_writes_short_links() {
        let list = SourceList::builtin(PAGE);
        let entry = |source: &DataSource| list.entry_of(source).map(|e| e.name.clone());
        assert_eq!(entry(&DataSource::Hub).as_deref(), Some("hub-2024"));
        assert_eq!(entry(&DataSource::Sample).as_deref(), Some("sample"));
        // A link that spells out a listed URL shows that entry.
        let spelt = list.resolve(&read(HUB_DAILY_URL).0).0;
        assert_eq!(entry(&spelt).as_deref(), Some("hub-daily"));
        assert_eq!(entry(&list.resolve(&read("/x.parquet").0).0), None);
        assert_eq!(list.param_for("hub-2024"), None);
        assert_eq!(list.param_for("sample").as_deref(), Some("sample"));
        assert_eq!(list.param_for("hub-daily").as_deref(), Some("hub-daily"));
    }
}
