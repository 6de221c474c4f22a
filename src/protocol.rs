//! The messages between the page and the engine's Web Worker, which
//! fetches, caches and decodes the dataset off the page's thread (see
//! `shared/DESIGN.md`, "Engine and page"). Plain data with serde, sent as
//! JSON text; large byte payloads (the decoded table, the footer bytes a
//! later prose fetch reuses) travel beside the text as transferred
//! buffers, named here only by the reply that carries them.
//!
//! Every message is an [`Envelope`]: the protocol's version and the
//! request's sequence number. A reply to an older request is stale and
//! dropped; a page and a worker from different deploys (a cached worker
//! script) refuse each other's messages instead of misreading them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Bumped whenever a message changes shape or meaning.
pub const VERSION: u32 = 2;

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
    /// address.
    Load { url: String },
    /// The saved table the engine sent could not be used (it did not read
    /// back whole, or it is not what this file decodes to): decode the
    /// file instead.
    Decode,
    /// Fetch (or find in the cache) and decode the titles and
    /// descriptions a load left for later; the bytes already held (the
    /// footer, any prose) are attached.
    Prose(ProseWhere),
    /// From the engine to a second engine it starts: decode the columns a
    /// front matter of JSON text holds, from the footer and those chunks
    /// (attached), while the first decodes the rest.
    DecodeCardJson,
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
    /// The table, as the saved format's bytes (attached). `restored` says
    /// they are this browser's saved copy, not yet checked: the page
    /// checks them as it reads them, and asks for [`Request::Decode`] if
    /// they do not hold. After a decode, the download is attached too (a
    /// cache bundle), for the page to save once it has drawn: the engine
    /// is stopped as soon as the page holds the table, so its memory is
    /// never held beside the page's.
    Table(Box<TableReport>),
    /// The prose asked for, in the saved format (attached), and the bytes
    /// downloaded for it (0 from this browser's cache). When they came
    /// from the network, the download is attached for the page to save.
    Prose {
        fetched: u64,
    },
    /// The front matter's columns, in the saved format (attached), what
    /// their decode repaired, and the second engine's memory at its peak.
    CardJson {
        report: Box<crate::data::DecodeReport>,
        engine_memory: u64,
    },
    /// The load failed; a sentence for the page.
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
/// check a saved copy and to fetch the prose later.
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
    /// Rows the file's footer claims: a saved copy must hold as many.
    pub file_rows: usize,
    /// The decode leaves the prose for later (a saved copy without prose
    /// is then as good as a decode).
    pub prose_deferred: bool,
    pub last_modified: Option<String>,
    /// What identifies this version of the file (what saved copies are
    /// filed under); none when the server says nothing.
    pub validator: Option<String>,
    /// The decode's warnings (a saved copy holds its own).
    pub warnings: Vec<String>,
    /// Where to fetch the prose the decode left out; its held bytes (the
    /// footer and any prose already here) are attached.
    pub prose: Option<ProseWhere>,
    /// The engine's WebAssembly memory at its peak (with a second
    /// engine's, when one decoded the front matter).
    pub engine_memory: u64,
    /// The engines that read the file: 2 when a second decoded the front
    /// matter beside the first.
    pub engines: u8,
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

/// Whether a reply numbered `seq` answers the newest request, `latest`:
/// anything older is stale.
pub fn is_current(seq: u64, latest: u64) -> bool {
    seq == latest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> TableReport {
        TableReport {
            transferred: 1234,
            file_size: 5678,
            transfer: Transfer::Ranges { requests: 3 },
            fetch_ms: 12.5,
            decode_start_epoch_ms: 1.7e12,
            restored: false,
            file_rows: 5000,
            prose_deferred: true,
            last_modified: Some("Tue, 01 Sep 2026 00:00:00 GMT".into()),
            validator: Some("\"etag\"".into()),
            warnings: vec!["a <b>warning</b> with \"quotes\" and 🚀".into()],
            prose: Some(ProseWhere {
                url: "https://cdn.example/x?sig=1&b=2".into(),
                cache_url: "https://huggingface.co/d".into(),
                file_len: 5678,
                ranges: vec![10..20, 30..40],
                validator: Some("\"etag\"".into()),
                last_modified: None,
            }),
            engine_memory: 65536,
            engines: 2,
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
            Reply::Table(Box::new(report())),
            Reply::Prose { fetched: 77 },
            Reply::CardJson {
                report: Box::new(card_report()),
                engine_memory: 1 << 20,
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
            Request::Decode,
            Request::Prose(report().prose.unwrap()),
            Request::DecodeCardJson,
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
    fn only_the_newest_request_is_answered() {
        assert!(is_current(4, 4));
        assert!(!is_current(3, 4));
        assert!(!is_current(5, 4));
    }
}
