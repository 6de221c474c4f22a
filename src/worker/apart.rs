//! Some columns, decoded in a second engine while this one decodes the
//! rest of the file (`data::shape::Shape::apart`): the README front
//! matter's JSON text, whose parse per row took as long as everything else
//! together (a Hub snapshot decoded in 1.8 times an upstream file's time);
//! in a large file of plain columns, the authors and the card's columns, a
//! good half of its decode. A browser gives each worker a thread of its
//! own. Wasm only.
//!
//! The second engine is started as soon as the footer shows a split
//! decode, while the columns download, so that it is running
//! by the time the decode begins (started then, it took ~200 ms of the
//! decode); a load that does not need it after all (a saved copy) stops it
//! unused. For a front matter of JSON text it hands the titles and
//! descriptions on in parts as it decodes them, so that it never holds them
//! all (they were most of its memory's peak); then it answers with its
//! columns, which complete the table, and is stopped. This engine joins
//! the parts into columns sized once from the sizes each part tells, when
//! Search first needs them or once the first view is drawn
//! (`session::ProseLater`).
//! Should it not start (a browser without nested workers) or stop, this
//! engine decodes those columns itself: slower, never wrong.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{post, set_decoding, Attachments};
use crate::browser::{cache, engine, page, perf};
use crate::data::shape::Shape;
use crate::data::sparse::SparseFile;
use crate::data::{
    decode_apart, decode_apart_handing_on_prose, decodes_apart, ApartColumns, DecodeReport, Prose,
    ProseSize, PROSE_PART_BYTES,
};
use crate::protocol::{self, Reply, Request, SecondEngineMemory};
use parquet::file::metadata::ParquetMetaData;

/// The second engine's script: this engine's own, beside it.
const SCRIPT: &str = "engine_start.js";

/// Its name, by which `public/engine_start.js` knows it is a second engine.
const NAME: &str = "spaces-engine-apart";

/// The columns apart, decoded.
pub struct ApartDecoded {
    /// The columns (without the prose when that came in parts, below)
    /// and what their decode repaired.
    pub columns: (ApartColumns, DecodeReport),
    /// The titles and descriptions the second engine sent, to be joined.
    pub prose: Option<ProseParts>,
    /// What the second engine's memory adds to this one's (nothing when
    /// this one decoded the columns).
    pub memory: SecondEngineMemory,
}

/// The decode of the columns apart, under way.
pub struct Apart {
    /// The second engine at work, unless it could not be started.
    second: Option<SecondEngine>,
    /// The footer and the chunks of the columns apart, decoded here if the
    /// second engine does not answer.
    file: SparseFile,
}

impl Apart {
    /// Asks `second` to decode `file` (the footer and the chunks of the
    /// columns apart) now, so that it works while this engine decodes the
    /// rest.
    pub fn start(second: Option<SecondEngine>, file: SparseFile) -> Apart {
        let second = second.and_then(|second| {
            second
                .ask(&file)
                .map_err(|why| page::console_warn(&format!("No second engine ({why}).")))
                .ok()
        });
        Apart { second, file }
    }

    /// Whether the second engine is still starting. It starts only as
    /// this thread turns its event loop (Chromium starts a nested worker
    /// through its parent), so the caller yields meanwhile; not after, as
    /// a turn of a worker's loop costs several milliseconds.
    pub fn starting(&self) -> bool {
        self.second.as_ref().is_some_and(|s| !s.started.get())
    }

    /// The columns apart decoded: by the second engine, or here when it
    /// could not. `Err` is a sentence about the file for the page.
    pub async fn finish(self) -> Result<ApartDecoded, String> {
        if let Some(mut second) = self.second {
            let mut parts = Vec::new();
            loop {
                match second.answer().await {
                    Answer::Prose(part) => parts.push(part),
                    Answer::Columns {
                        columns,
                        engine_memory,
                        prose_parts,
                    } if prose_parts == parts.len() => {
                        // It has done all it does: stopped now, its memory
                        // is given back while this one's has grown no more
                        // than this.
                        let memory = SecondEngineMemory {
                            peak: engine_memory,
                            beside: perf::wasm_memory_bytes(),
                        };
                        drop(second);
                        return Ok(ApartDecoded {
                            columns: *columns,
                            prose: (prose_parts > 0).then_some(ProseParts {
                                parts,
                                file: self.file,
                            }),
                            memory,
                        });
                    }
                    Answer::Columns { .. } => {
                        stopped("some of its titles went missing");
                        break;
                    }
                    Answer::Failed(message) => return Err(message),
                    Answer::Stopped(why) => {
                        stopped(&why);
                        break;
                    }
                }
            }
        }
        decode_here(self.file).map(|columns| ApartDecoded {
            columns,
            prose: None,
            memory: SecondEngineMemory::default(),
        })
    }
}

/// The titles and descriptions the second engine sent, in parts.
pub struct ProseParts {
    parts: Vec<ProsePart>,
    /// To decode them here should they not read back.
    file: SparseFile,
}

/// A part of them, in the saved format, and its size as the second engine
/// told it.
struct ProsePart {
    buffers: js_sys::Array,
    size: ProseSize,
}

impl ProseParts {
    /// The titles and descriptions joined, each column sized once; else
    /// decoded here.
    pub fn prose(self) -> Result<Prose, String> {
        if let Some(prose) = join(&self.parts) {
            return Ok(prose);
        }
        stopped("its titles did not read back");
        drop(self.parts);
        let (card, _) = decode_here(self.file)?;
        Ok(card.prose.unwrap_or_default())
    }
}

/// `parts` joined, if each reads back whole and is the size it was said
/// to be. Only one part at a time is read into this engine's memory
/// besides the columns.
fn join(parts: &[ProsePart]) -> Option<Prose> {
    let size = parts
        .iter()
        .fold(ProseSize::default(), |sum, part| sum + part.size);
    let mut prose = Prose::with_room(size)?;
    for part in parts {
        let read = cache::restore_prose(engine::views(&part.buffers)).ok()?;
        if read.size() != part.size {
            return None;
        }
        prose.append(&read);
    }
    prose.compact();
    Some(prose)
}

fn stopped(why: &str) {
    page::console_warn(&format!(
        "The second engine stopped ({why}); its columns are decoded here."
    ));
}

fn decode_here(file: SparseFile) -> Result<(ApartColumns, DecodeReport), String> {
    set_decoding(true);
    let decoded = decode_apart(file).map_err(|error| error.to_string());
    set_decoding(false);
    decoded
}

/// What the second engine said.
enum Answer {
    /// Its columns but the prose, its memory's peak, and how many parts of
    /// prose it sent before.
    Columns {
        columns: Box<(ApartColumns, DecodeReport)>,
        engine_memory: u64,
        prose_parts: usize,
    },
    /// Some of the titles and descriptions.
    Prose(ProsePart),
    /// The file's columns apart could not be read (the same would happen
    /// here): a sentence for the page.
    Failed(String),
    /// It could not start, panicked or stopped: the work is done here.
    Stopped(String),
}

/// A second engine and its answers. Dropping it stops the worker.
pub struct SecondEngine {
    worker: web_sys::Worker,
    /// It has said [`Reply::Started`].
    started: Rc<Cell<bool>>,
    answers: mpsc::UnboundedReceiver<Answer>,
    _handler: Closure<dyn Fn(web_sys::Event)>,
}

impl SecondEngine {
    /// A second engine, if this file's decode is split (read from its
    /// footer): started now, it is ready when the decode begins.
    pub fn for_footer(metadata: &ParquetMetaData) -> Option<SecondEngine> {
        let shape = Shape::of(metadata.file_metadata().schema_descr());
        decodes_apart(metadata, &shape)
            .then(SecondEngine::start)
            .flatten()
    }

    /// Starts a second engine on this engine's compiled code (shared, not
    /// compiled again); it waits for [`Apart::start`]'s request. `None`
    /// (said on the console) when the browser refuses.
    pub fn start() -> Option<SecondEngine> {
        Self::try_start()
            .map_err(|why| page::console_warn(&format!("No second engine ({why}).")))
            .ok()
    }

    fn try_start() -> Result<SecondEngine, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_name(NAME);
        let worker = web_sys::Worker::new_with_options(&page::resolve_url(SCRIPT), &options)
            .map_err(|error| format!("{error:?}"))?;
        let (sender, answers) = mpsc::unbounded();
        let started = Rc::new(Cell::new(false));
        let handler = {
            let started = Rc::clone(&started);
            Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                match answer_in(&event) {
                    Some(answer) => {
                        let _ = sender.unbounded_send(answer);
                    }
                    None => started.set(true),
                }
            })
        };
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        worker.set_onerror(Some(handler.as_ref().unchecked_ref()));
        // Its first message (`public/engine_start.js`).
        let module = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&module, &"module".into(), &wasm_bindgen::module());
        worker
            .post_message(&module)
            .map_err(|error| format!("{error:?}"))?;
        Ok(SecondEngine {
            worker,
            started,
            answers,
            _handler: handler,
        })
    }

    /// Sends the work: decode the columns apart in `file`. The second
    /// engine keeps it until its code runs, if it has not yet.
    fn ask(self, file: &SparseFile) -> Result<SecondEngine, String> {
        let message = js_sys::Object::new();
        let text = protocol::encode(1, &Request::DecodeApart);
        let held = cache::bundle_buffer(file);
        let _ = js_sys::Reflect::set(&message, &"text".into(), &text.into());
        let _ = js_sys::Reflect::set(&message, &"held".into(), &held);
        let transfer = js_sys::Array::of1(&held);
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|error| format!("{error:?}"))?;
        Ok(self)
    }

    async fn answer(&mut self) -> Answer {
        let answer = self.answers.next().await;
        answer.unwrap_or_else(|| Answer::Stopped("it went away".into()))
    }
}

impl Drop for SecondEngine {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// What `event` from the second engine means; `None` for the one message
/// that asks nothing of this engine: it has started.
fn answer_in(event: &web_sys::Event) -> Option<Answer> {
    let Some(message) = event.dyn_ref::<web_sys::MessageEvent>() else {
        return Some(Answer::Stopped(engine::why_stopped(event)));
    };
    let data = message.data();
    let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
    let text = field("text")
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    let reply = match protocol::decode::<Reply>(&text) {
        Ok(envelope) => envelope.body,
        Err(unreadable) => return Some(Answer::Stopped(unreadable.to_string())),
    };
    let parts = || {
        field("parts")
            .and_then(|p| p.dyn_into::<js_sys::Array>().ok())
            .unwrap_or_default()
    };
    Some(match reply {
        Reply::Apart {
            report,
            engine_memory,
            prose_parts,
        } => match cache::restore_apart(engine::views(&parts())) {
            Ok(columns) => Answer::Columns {
                columns: Box::new((columns, *report)),
                engine_memory,
                prose_parts,
            },
            Err(refused) => Answer::Stopped(format!("its columns did not read back: {refused}")),
        },
        Reply::FrontMatterProse { size } => Answer::Prose(ProsePart {
            buffers: parts(),
            size,
        }),
        Reply::Failed { message } => Answer::Failed(message),
        Reply::Panicked { message, .. } => Answer::Stopped(message),
        _ => return None,
    })
}

/// The second engine's side: decodes the columns apart in `held` (the
/// footer and their chunks, as a bundle) for `seq`, sending the titles and
/// descriptions on in parts as they come if they are among them, then
/// the other columns.
pub fn answer(held: Option<js_sys::ArrayBuffer>, seq: u64) {
    let failed = |message: String| post(seq, &Reply::Failed { message }, &Attachments::default());
    let Some(file) = held.as_ref().and_then(cache::file_from_bundle) else {
        return failed("the engine sent no columns to decode".into());
    };
    set_decoding(true);
    let decoded = decode_apart_handing_on_prose(file, PROSE_PART_BYTES, |part| {
        let buffers = Attachments {
            parts: Some(cache::prose_parts(&part)),
            ..Attachments::default()
        };
        let size = part.size();
        drop(part);
        post(seq, &Reply::FrontMatterProse { size }, &buffers);
    });
    set_decoding(false);
    let (columns, report, prose_parts) = match decoded {
        Ok(decoded) => decoded,
        Err(error) => return failed(error.to_string()),
    };
    let card = Attachments {
        parts: Some(cache::apart_parts(&columns)),
        ..Attachments::default()
    };
    drop(columns);
    let reply = Reply::Apart {
        report: Box::new(report),
        engine_memory: perf::wasm_memory_bytes(),
        prose_parts,
    };
    post(seq, &reply, &card);
}
