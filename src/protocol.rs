//! The messages between the page and the engine's Web Worker, which
//! fetches, caches and decodes the dataset and then holds the table and
//! answers every question about it, off the page's thread (see
//! `shared/DESIGN.md`, "Engine and page"). Plain data with serde, sent as
//! JSON text; byte payloads (the CSV export, the columns a second engine
//! decodes) travel beside the text, named here only by the message that
//! carries them.
//!
//! Every message is an [`Envelope`]: the protocol's version and the
//! request's sequence number. A reply to a request a newer one replaced is
//! stale and dropped (a burst of keystrokes is answered once, for the last
//! one); a page and a worker from different deploys (a cached worker
//! script) refuse each other's messages instead of misreading them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::data::Field;
use crate::query::{RowsPage, TableFacts, ViewAnswer, ViewQuery};
use crate::search::facets::FacetTop;
use crate::search::{Filters, Sort};

/// Bumped whenever a message changes shape or meaning.
pub const VERSION: u32 = 6;

/// Bytes received so far and, when known, how many are coming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
}

/// How the bytes arrived, for the data-source panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transfer {
    /// Footer and used column chunks only, in this many requests.
    Ranges { requests: usize },
    /// The whole file, and why not ranges.
    Whole { reason: String },
    /// The copy in this browser's cache; `checked` when the server
    /// confirmed it is unchanged.
    Cached { checked: bool },
}

/// What the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Fetch (or find in the cache) and decode the file at this absolute
    /// address, and keep the table for the questions that follow.
    Load { url: String },
    /// The matches, facets, first rows and overview of a view. Of several
    /// waiting, only the newest is answered.
    Query(ViewQuery),
    /// Rows `start..start + count` of the last query's matches in `sort`
    /// order.
    Rows {
        sort: Sort,
        start: usize,
        count: usize,
    },
    /// A facet's values narrowed by its find box, for the last query.
    FacetTop { field: Field, needle: String },
    /// The Spaces matching `filters` as CSV, in `sort` order (attached).
    Csv { filters: Filters, sort: Sort },
    /// Build the text index now: the search box took focus, so a query is
    /// likely.
    PrepareText,
    /// Fetch (or find in the cache) and decode the titles and
    /// descriptions the load left for later.
    Prose,
    /// The page has drawn its first view (its first render ended): the
    /// engine's idle work, which would take a core from that drawing, may
    /// begin. Not answered.
    Drawn,
    /// From the engine to a second engine it starts: decode the columns
    /// left apart (`data::shape::Shape::apart`), from the footer and their
    /// chunks (attached), while the first decodes the rest.
    DecodeApart,
}

/// What the engine answers. Each reply carries the sequence number of the
/// request it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The engine's code is running and takes requests.
    Started,
    Fetching(Progress),
    Decoding {
        done: usize,
        total: usize,
    },
    /// A timing mark the engine measured, for the page's timeline.
    Mark(Mark),
    /// Unasked: the engine's memory grew while it built what later
    /// questions need (its indexes, the saved copy).
    Memory {
        engine_memory: u64,
    },
    /// The table is in the engine and takes questions.
    Loaded(Box<TableReport>),
    /// The answer to a [`Request::Query`], and the engine's memory now.
    View {
        answer: Box<ViewAnswer>,
        engine_memory: u64,
    },
    Rows(RowsPage),
    FacetTop {
        field: Field,
        needle: String,
        top: FacetTop,
    },
    /// The CSV is attached (a Blob).
    Csv,
    /// The titles and descriptions are in: the bytes downloaded for them
    /// (0 from this browser's cache), and the table as it now is.
    Prose {
        fetched: u64,
        facts: TableFacts,
    },
    /// From a second engine, last: the columns it decoded, in the saved
    /// format (attached), what their decode repaired, its memory at its
    /// peak (it does no more), and how many parts of titles and
    /// descriptions it sent before ([`Reply::FrontMatterProse`]).
    Apart {
        report: Box<crate::data::DecodeReport>,
        engine_memory: u64,
        prose_parts: usize,
    },
    /// From a second engine, as it decodes: the front matter's next titles
    /// and descriptions, in the saved format (attached), and their size.
    FrontMatterProse {
        size: crate::data::ProseSize,
    },
    /// The request failed; a sentence for the page.
    Failed {
        message: String,
    },
    /// The engine's code panicked (it stops afterwards). `decoding` says
    /// it was reading the file at the time, so the file is to blame.
    Panicked {
        message: String,
        decoding: bool,
    },
}

/// A span the engine timed, in milliseconds since the Unix epoch, so the
/// page can place it on its own timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub name: String,
    pub start_epoch_ms: f64,
    pub duration_ms: f64,
}

/// What the data panel reports about a load, and what the page needs to
/// know of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableReport {
    /// Bytes downloaded for this load, and the size of the whole file.
    pub transferred: u64,
    pub file_size: u64,
    pub transfer: Transfer,
    pub fetch_ms: f64,
    /// When the decode (or the saved copy's read) began, since the epoch.
    pub decode_start_epoch_ms: f64,
    /// The table is this browser's saved copy.
    pub restored: bool,
    pub last_modified: Option<String>,
    /// The decode's warnings (a saved copy holds its own).
    pub warnings: Vec<String>,
    /// The size of the titles and descriptions the load left for later,
    /// when it left them.
    pub prose_bytes: Option<u64>,
    /// The engines' WebAssembly memory at its peak (with a second
    /// engine's, when one decoded some columns apart).
    pub engine_memory: u64,
    /// The engines that read the file: 2 when a second decoded some
    /// columns beside the first.
    pub engines: u8,
    pub facts: TableFacts,
}

/// Where a later fetch finds the prose a load left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProseWhere {
    /// The address range requests go to.
    pub url: String,
    /// The address the cache knows the dataset by.
    pub cache_url: String,
    pub file_len: u64,
    /// The byte ranges of the prose chunks.
    pub ranges: Vec<Range<u64>>,
    pub validator: Option<String>,
    pub last_modified: Option<String>,
}

/// What a second engine's memory adds to this engine's at their peak
/// together: its own peak, reached while this engine held at most `beside`
/// (its memory when the second was stopped, once it had done all it
/// does; wasm memory never shrinks, so it held no more before).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecondEngineMemory {
    pub peak: u64,
    pub beside: u64,
}

impl SecondEngineMemory {
    /// Both engines' memory at its peak, this one holding `now`: the
    /// second engine's peak beside what this one held then, or this one's
    /// alone since.
    pub fn with_this_engine(&self, now: u64) -> u64 {
        now.max(self.beside + self.peak)
    }
}

/// A message with its version and sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub version: u32,
    pub seq: u64,
    pub body: T,
}

/// Why a message was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Sent by another version of the app (a page and an engine script
    /// from different deploys).
    OtherVersion(u32),
    /// Not a message of this protocol at all.
    Malformed(String),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::OtherVersion(v) => write!(
                f,
                "the app was updated while this page was open (its engine speaks version {v}, the page {VERSION}); reload the page"
            ),
            Unreadable::Malformed(why) => write!(f, "a message between the page and its engine was unreadable ({why})"),
        }
    }
}

/// `body` as the text sent for request or reply number `seq`.
pub fn encode<T: Serialize>(seq: u64, body: &T) -> String {
    let envelope = Envelope {
        version: VERSION,
        seq,
        body,
    };
    // Plain structs and enums of strings and numbers always serialize.
    serde_json::to_string(&envelope).expect("protocol messages serialize")
}

/// The message in `text`, if it is one of this version.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Envelope<T>, Unreadable> {
    // The version first: another version's body may not parse as ours.
    #[derive(Deserialize)]
    struct Versioned {
        version: u32,
    }
    let versioned: Versioned =
        serde_json::from_str(text).map_err(|e| Unreadable::Malformed(e.to_string()))?;
    if versioned.version != VERSION {
        return Err(Unreadable::OtherVersion(versioned.version));
    }
    serde_json::from_str(text).map_err(|e| Unreadable::Malformed(e.to_string()))
}

/// What a request asks for, as far as staleness goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Load,
    /// A view, and what is picked from it: a newer view makes all three
    /// stale.
    Query,
    Rows,
    FacetTop,
    /// Asked once and always wanted.
    Other,
    /// Told, not asked: the engine never answers it, so nothing waits.
    Told,
}

impl Request {
    pub fn kind(&self) -> Kind {
        match self {
            Request::Load { .. } => Kind::Load,
            Request::Query(_) => Kind::Query,
            Request::Rows { .. } => Kind::Rows,
            Request::FacetTop { .. } => Kind::FacetTop,
            Request::Csv { .. } | Request::Prose | Request::DecodeApart => Kind::Other,
            Request::PrepareText | Request::Drawn => Kind::Told,
        }
    }
}

/// The requests still waiting for their answer. Sending one makes the
/// requests it replaces stale: a view replaces the older views and the
/// rows and facet lists picked from them; rows replace older rows; a facet
/// list an older one. A reply to anything else (stale, never sent, or
/// answered already) is dropped.
#[derive(Debug, Default)]
pub struct InFlight {
    sent: u64,
    waiting: Vec<(u64, Kind)>,
}

impl InFlight {
    /// Numbers a request of `kind` and drops what it replaces. A request
    /// only told waits for nothing and replaces nothing.
    pub fn send(&mut self, kind: Kind) -> u64 {
        self.sent += 1;
        if kind == Kind::Told {
            return self.sent;
        }
        let replaces = |older: Kind| match kind {
            Kind::Query => matches!(older, Kind::Query | Kind::Rows | Kind::FacetTop),
            Kind::Rows | Kind::FacetTop | Kind::Load => older == kind,
            Kind::Other | Kind::Told => false,
        };
        self.waiting.retain(|(_, older)| !replaces(*older));
        self.waiting.push((self.sent, kind));
        self.sent
    }

    /// Whether request `seq` still waits for its answer.
    pub fn is_waiting(&self, seq: u64) -> bool {
        self.waiting.iter().any(|(s, _)| *s == seq)
    }

    /// The kind of request `seq` if its answer is still wanted; `done`
    /// says this reply is its answer (not progress), so it waits no more.
    pub fn take(&mut self, seq: u64, done: bool) -> Option<Kind> {
        let at = self.waiting.iter().position(|(s, _)| *s == seq)?;
        let kind = self.waiting[at].1;
        if done {
            self.waiting.remove(at);
        }
        Some(kind)
    }

    /// Requests of `kind` still waiting.
    pub fn waiting(&self, kind: Kind) -> usize {
        self.waiting.iter().filter(|(_, k)| *k == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_engines_peak_together_only_while_both_live() {
        let none = SecondEngineMemory::default();
        assert_eq!(none.with_this_engine(70), 70);
        let second = SecondEngineMemory {
            peak: 30,
            beside: 110,
        };
        // Stopped beside 110: the sum then, until this engine outgrows it.
        assert_eq!(second.with_this_engine(110), 140);
        assert_eq!(second.with_this_engine(150), 150);
    }

    fn report() -> TableReport {
        TableReport {
            transferred: 1234,
            file_size: 5678,
            transfer: Transfer::Ranges { requests: 3 },
            fetch_ms: 12.5,
            decode_start_epoch_ms: 1.7e12,
            restored: false,
            last_modified: Some("Tue, 01 Sep 2026 00:00:00 GMT".into()),
            warnings: vec!["a <b>warning</b> with \"quotes\" and 🚀".into()],
            prose_bytes: Some(4321),
            engine_memory: 65536,
            engines: 2,
            facts: TableFacts {
                rows: 5000,
                snapshot: Some(1_700_000_000_000),
                most_likes: 12,
                has_prose: false,
                has_descriptions: true,
            },
        }
    }

    /// What a decode of odd front matter reports (through a file, so the
    /// repairs are the decoder's own).
    fn card_report() -> crate::data::DecodeReport {
        let mut report = crate::data::DecodeReport {
            rows: 2,
            missing: vec!["pinned".into()],
            ..Default::default()
        };
        let mut license = crate::data::repair::ColumnRepairs::default();
        license.text(b"bad \xff utf-8");
        report.repairs.add("license", license);
        let mut json = crate::data::repair::ColumnRepairs::default();
        json.unreadable = 3;
        report.repairs.add("cardData", json);
        report.unreadable.push(("emoji".into(), "Int64".into()));
        report
    }

    #[test]
    fn every_message_reads_back_as_sent() {
        let replies = [
            Reply::Started,
            Reply::Fetching(Progress {
                received: 10,
                total: None,
            }),
            Reply::Decoding { done: 3, total: 9 },
            Reply::Mark(Mark {
                name: "spaces:fetch".into(),
                start_epoch_ms: 1.5e12,
                duration_ms: 3.25,
            }),
            Reply::Memory {
                engine_memory: 3 << 20,
            },
            Reply::Loaded(Box::new(report())),
            Reply::Rows(RowsPage {
                total: 9,
                start: 2,
                rows: Vec::new(),
            }),
            Reply::FacetTop {
                field: Field::Emoji,
                needle: "<b>🚀".into(),
                top: FacetTop::default(),
            },
            Reply::Csv,
            Reply::Prose {
                fetched: 77,
                facts: report().facts,
            },
            Reply::Apart {
                report: Box::new(card_report()),
                engine_memory: 1 << 20,
                prose_parts: 3,
            },
            Reply::FrontMatterProse {
                size: crate::data::ProseSize {
                    rows: 5,
                    title_bytes: 40,
                    description_bytes: 0,
                },
            },
            Reply::Failed {
                message: "not Parquet".into(),
            },
            Reply::Panicked {
                message: "index out of bounds".into(),
                decoding: true,
            },
        ];
        for (seq, reply) in replies.into_iter().enumerate() {
            let text = encode(seq as u64, &reply);
            let read: Envelope<Reply> = decode(&text).unwrap();
            assert_eq!(read.seq, seq as u64);
            assert_eq!(read.body, reply);
        }
        for request in [
            Request::Load {
                url: "https://huggingface.co/datasets/a/b/resolve/main/x.parquet".into(),
            },
            Request::Rows {
                sort: Sort::default(),
                start: 40,
                count: 20,
            },
            Request::FacetTop {
                field: Field::Author,
                needle: "\"x\"".into(),
            },
            Request::Csv {
                filters: Filters {
                    q: "a \"b c\"".into(),
                    likes_min: Some(3),
                    ..Filters::default()
                },
                sort: Sort::default(),
            },
            Request::PrepareText,
            Request::Drawn,
            Request::Prose,
            Request::DecodeApart,
        ] {
            let read: Envelope<Request> = decode(&encode(7, &request)).unwrap();
            assert_eq!((read.seq, read.body), (7, request));
        }
    }

    #[test]
    fn another_version_is_refused_by_name() {
        let text = encode(1, &Reply::Started).replace(
            &format!("\"version\":{VERSION}"),
            &format!("\"version\":{}", VERSION + 1),
        );
        let refused = decode::<Reply>(&text).unwrap_err();
        assert_eq!(refused, Unreadable::OtherVersion(VERSION + 1));
        assert!(refused.to_string().contains("reload the page"));
        // Another version's body need not parse as ours.
        let other = format!(
            "{{\"version\":{},\"seq\":1,\"body\":{{\"New\":1}}}}",
            VERSION + 1
        );
        assert_eq!(
            decode::<Reply>(&other),
            Err(Unreadable::OtherVersion(VERSION + 1))
        );
    }

    #[test]
    fn malformed_text_is_refused() {
        for text in [
            "",
            "null",
            "{\"seq\":1}",
            &format!("{{\"version\":{VERSION},\"seq\":1,\"body\":\"Nope\"}}"),
        ] {
            assert!(
                matches!(decode::<Reply>(text), Err(Unreadable::Malformed(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn a_newer_view_makes_older_views_and_their_rows_stale() {
        let mut in_flight = InFlight::default();
        let load = in_flight.send(Kind::Load);
        // Progress does not end a request; its answer does.
        assert_eq!(in_flight.take(load, false), Some(Kind::Load));
        assert_eq!(in_flight.take(load, true), Some(Kind::Load));
        assert_eq!(in_flight.take(load, true), None, "answered once");
        // A burst of keystrokes: only the last view is wanted.
        let views: Vec<u64> = (0..5).map(|_| in_flight.send(Kind::Query)).collect();
        let rows = in_flight.send(Kind::Rows);
        let csv = in_flight.send(Kind::Other);
        let newer_rows = in_flight.send(Kind::Rows);
        let facet = in_flight.send(Kind::FacetTop);
        assert_eq!(in_flight.waiting(Kind::Query), 1);
        for stale in &views[..4] {
            assert_eq!(in_flight.take(*stale, true), None);
        }
        assert_eq!(in_flight.take(rows, true), None, "replaced by newer rows");
        assert_eq!(in_flight.take(views[4], true), Some(Kind::Query));
        // A new view: the rows and facet list picked from the last one are stale,
        // the export is not.
        let view = in_flight.send(Kind::Query);
        assert_eq!(in_flight.take(newer_rows, true), None);
        assert_eq!(in_flight.take(facet, true), None);
        assert_eq!(in_flight.take(csv, true), Some(Kind::Other));
        // Told, not asked: numbered in turn, waited for by nothing, and
        // the view asked before it still waits.
        let told = in_flight.send(Request::Drawn.kind());
        assert_eq!(told, view + 1);
        assert!(!in_flight.is_waiting(told));
        assert_eq!(in_flight.take(told, true), None);
        assert_eq!(Request::PrepareText.kind(), Kind::Told);
        // Never sent: a reply numbered past the newest request.
        assert_eq!(in_flight.take(told + 1, true), None);
        assert!(in_flight.is_waiting(view));
        assert_eq!(in_flight.take(view, true), Some(Kind::Query));
        assert!(!in_flight.is_waiting(view), "answered");
    }
}
