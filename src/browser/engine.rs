//! The page's handle on the engine's Web Worker (`crate::worker`): starts
//! it, numbers each request, and hands over the replies in order, with the
//! stale ones (answers to an older request) already dropped.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::page;
use crate::protocol::{self, Envelope, Reply, Request};

/// How long the engine may take to start: its WebAssembly is about 1 MB
/// gzipped, which a slow mobile link fetches in well under this.
const START_DEADLINE_MS: i32 = 60_000;

/// The worker's script (`public/engine_start.js`, which loads trunk's
/// `engine_loader.js`), beside `index.html`: relative, so the app works
/// under any sub-path.
const SCRIPT: &str = "engine_start.js";

/// What arrives from the worker.
pub enum Incoming {
    /// A reply to the newest request, with its byte payloads.
    Reply(Reply, Payloads),
    /// The worker stopped (a trap, memory) or its script could not run:
    /// what the browser said.
    Stopped(String),
    /// A message the page could not read (another version of the app).
    Unreadable(String),
}

/// Bytes sent beside a reply (see `protocol::Reply`).
#[derive(Default)]
pub struct Payloads {
    /// The table or the prose in the saved format: this browser's saved
    /// copy (a Blob) or fresh buffers.
    pub saved: Option<web_sys::Blob>,
    pub parts: Option<js_sys::Array>,
    /// A fresh table's titles and descriptions in the saved format, when
    /// the engine decoded them apart from it (a front matter of JSON text).
    pub prose: Option<js_sys::Array>,
    /// The footer and prose bytes a later prose fetch reuses.
    pub held: Option<js_sys::ArrayBuffer>,
    /// What was downloaded, as a cache bundle, for the page to save once
    /// it has drawn.
    pub to_cache: Option<web_sys::Blob>,
}

impl Payloads {
    /// The saved-format bytes, in pieces, whichever way they came.
    pub async fn saved_format(&mut self) -> Result<Vec<js_sys::Uint8Array>, String> {
        if let Some(parts) = self.parts.take() {
            return Ok(views(&parts));
        }
        let blob = self.saved.take().ok_or("the engine sent nothing to read")?;
        let bytes = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| "the saved copy could not be read from this browser's cache")?;
        Ok(vec![js_sys::Uint8Array::new(&bytes)])
    }
}

/// Each buffer of `parts` (an array of ArrayBuffers, as the workers send
/// the saved format) as bytes to read.
pub fn views(parts: &js_sys::Array) -> Vec<js_sys::Uint8Array> {
    parts.iter().map(|p| js_sys::Uint8Array::new(&p)).collect()
}

/// Why a request got no answer.
pub enum Failure {
    /// The worker never started: what the browser said.
    NotStarted(String),
    /// The engine said why (a sentence for the page).
    Failed(String),
    /// The engine's code panicked; `decoding` blames the file.
    Panicked { message: String, decoding: bool },
    /// The worker stopped after starting (a trap, memory).
    Stopped(String),
    /// A message the page could not read.
    Unreadable(String),
}

/// A running worker. Dropping the handle stops it.
pub struct Engine {
    worker: web_sys::Worker,
    /// The newest request's number: replies to any other are stale.
    latest: Rc<Cell<u64>>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    /// Takes both the worker's messages and its errors.
    _handler: Closure<dyn Fn(web_sys::Event)>,
    /// It has said `Started`: requests reach it.
    started: bool,
}

impl Engine {
    /// The worker `public/boot.js` started while the app's own
    /// WebAssembly downloaded (so the two load side by side), or else a
    /// new one. Fails when the browser refuses a worker outright; a script
    /// that cannot load shows up as [`Incoming::Stopped`].
    pub fn start() -> Result<Engine, String> {
        let (worker, early) = match adopt_early_worker() {
            Some(adopted) => adopted,
            None => {
                let options = web_sys::WorkerOptions::new();
                options.set_type(web_sys::WorkerType::Classic);
                let worker =
                    web_sys::Worker::new_with_options(&page::resolve_url(SCRIPT), &options)
                        .map_err(|error| js_text(&error))?;
                (worker, js_sys::Array::new())
            }
        };
        let (sender, incoming) = mpsc::unbounded();
        let latest = Rc::new(Cell::new(0));
        let handler = {
            let latest = Rc::clone(&latest);
            Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                if let Some(arrived) = arrival(&event, latest.get()) {
                    let _ = sender.unbounded_send(arrived);
                }
            })
        };
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        worker.set_onerror(Some(handler.as_ref().unchecked_ref()));
        // What the early worker said before the app was here, in order.
        let handle: &js_sys::Function = handler.as_ref().unchecked_ref();
        for event in early.iter() {
            let _ = handle.call1(&JsValue::NULL, &event);
        }
        Ok(Engine {
            worker,
            latest,
            incoming,
            _handler: handler,
            started: false,
        })
    }

    /// Sends `request` as the newest (once the worker has started), with
    /// `held` transferred beside it, and waits for its answer: the first
    /// reply that is neither progress nor a mark. Those go to `progress`
    /// meanwhile; replies to earlier requests are dropped.
    pub async fn ask(
        &mut self,
        request: &Request,
        held: Option<js_sys::ArrayBuffer>,
        progress: &dyn Fn(&Reply),
    ) -> Result<(Reply, Payloads), Failure> {
        let mut unsent = Some(held);
        if self.started {
            self.send(request, unsent.take().flatten());
        }
        loop {
            let incoming = match self.started {
                true => self.incoming.next().await,
                false => self.next_or_deadline().await?,
            };
            let incoming = incoming.ok_or_else(|| Failure::Stopped("it went away".into()))?;
            match incoming {
                Incoming::Reply(Reply::Started, _) => {
                    self.started = true;
                    if let Some(held) = unsent.take() {
                        self.send(request, held);
                    }
                }
                Incoming::Reply(
                    reply @ (Reply::Fetching(_) | Reply::Decoding { .. } | Reply::Mark(_)),
                    _,
                ) => progress(&reply),
                Incoming::Reply(Reply::Failed { message }, _) => {
                    return Err(Failure::Failed(message))
                }
                Incoming::Reply(Reply::Panicked { message, decoding }, _) => {
                    return Err(Failure::Panicked { message, decoding })
                }
                Incoming::Reply(answer, payloads) => return Ok((answer, payloads)),
                Incoming::Stopped(detail) if !self.started => {
                    return Err(Failure::NotStarted(detail))
                }
                Incoming::Stopped(detail) => return Err(Failure::Stopped(detail)),
                Incoming::Unreadable(why) => return Err(Failure::Unreadable(why)),
            }
        }
    }

    /// The next message before the worker has started, within
    /// [`START_DEADLINE_MS`]: a worker whose script loads but hangs says
    /// nothing (a failure to load is an error event).
    async fn next_or_deadline(&mut self) -> Result<Option<Incoming>, Failure> {
        let deadline = std::pin::pin!(page::sleep(START_DEADLINE_MS));
        match futures::future::select(self.incoming.next(), deadline).await {
            futures::future::Either::Left((incoming, _)) => Ok(incoming),
            futures::future::Either::Right(_) => Err(Failure::NotStarted(format!(
                "it did not answer within {} seconds",
                START_DEADLINE_MS / 1000
            ))),
        }
    }

    /// Posts `request` as the newest: `{ text, held? }`.
    fn send(&self, request: &Request, held: Option<js_sys::ArrayBuffer>) {
        let seq = self.latest.get() + 1;
        self.latest.set(seq);
        let message = js_sys::Object::new();
        let text = JsValue::from_str(&protocol::encode(seq, request));
        let _ = js_sys::Reflect::set(&message, &"text".into(), &text);
        let transfer = js_sys::Array::new();
        if let Some(held) = held {
            let _ = js_sys::Reflect::set(&message, &"held".into(), &held);
            transfer.push(&held);
        }
        let _ = self.worker.post_message_with_transfer(&message, &transfer);
    }

    /// Stops the worker now: its work is done or no longer wanted (as
    /// dropping the handle does).
    pub fn terminate(&self) {
        self.worker.terminate();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // The handler goes with the handle: the worker must not call it.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// What `event` from the worker says: a message, or an error (said here,
/// in the page's words, not as an uncaught error).
fn arrival(event: &web_sys::Event, latest: u64) -> Option<Incoming> {
    if let Some(message) = event.dyn_ref::<web_sys::MessageEvent>() {
        return read(&message.data(), latest);
    }
    Some(Incoming::Stopped(why_stopped(event)))
}

/// What a worker's `error` event says (handled here, not left as an
/// uncaught error).
pub fn why_stopped(event: &web_sys::Event) -> String {
    event.prevent_default();
    match event.dyn_ref::<web_sys::ErrorEvent>() {
        Some(error) if !error.message().is_empty() => error.message(),
        _ => "its script could not be loaded".to_string(),
    }
}

/// The worker `public/boot.js` started, and the events it got meanwhile;
/// taken once (a retry starts a worker of its own).
fn adopt_early_worker() -> Option<(web_sys::Worker, js_sys::Array)> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("__spacesEngine");
    let early = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let field = |name: &str| js_sys::Reflect::get(&early, &name.into()).ok();
    let worker = field("worker")?.dyn_into().ok()?;
    let events = field("events")?.dyn_into().ok()?;
    Some((worker, events))
}

/// The message in `data` (`{ text, saved? | parts?, prose?, held?, toCache? }`),
/// unless it answers a request older than `latest`. `Started` and `Panicked` are never stale:
/// the first comes before any request, the second from wherever the
/// worker was.
fn read(data: &JsValue, latest: u64) -> Option<Incoming> {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    let Some(text) = field("text").and_then(|t| t.as_string()) else {
        return Some(Incoming::Unreadable("a message without text".into()));
    };
    let envelope: Envelope<Reply> = match protocol::decode(&text) {
        Ok(envelope) => envelope,
        Err(unreadable) => return Some(Incoming::Unreadable(unreadable.to_string())),
    };
    let timeless = matches!(envelope.body, Reply::Started | Reply::Panicked { .. });
    if !timeless && !protocol::is_current(envelope.seq, latest) {
        return None;
    }
    let payloads = Payloads {
        saved: field("saved").and_then(|t| t.dyn_into().ok()),
        parts: field("parts").and_then(|t| t.dyn_into().ok()),
        prose: field("prose").and_then(|t| t.dyn_into().ok()),
        held: field("held").and_then(|h| h.dyn_into().ok()),
        to_cache: field("toCache").and_then(|t| t.dyn_into().ok()),
    };
    Some(Incoming::Reply(envelope.body, payloads))
}

fn js_text(error: &JsValue) -> String {
    js_sys::Error::from(error.clone())
        .to_string()
        .as_string()
        .unwrap_or_else(|| format!("{error:?}"))
}
