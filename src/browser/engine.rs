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

/// Bytes sent beside a reply (see `protocol::TableReport`).
#[derive(Default)]
pub struct Payloads {
    /// The table in the saved format: this browser's saved copy (a Blob)
    /// or a fresh decode's buffers.
    pub table: Option<web_sys::Blob>,
    pub table_parts: Option<js_sys::Array>,
    /// After a decode, the download as a cache bundle, for the page to
    /// save once it has drawn.
    pub save_columns: Option<web_sys::Blob>,
    /// The footer and prose bytes a later prose fetch reuses.
    pub held: Option<js_sys::ArrayBuffer>,
}

/// A running worker. Dropping the handle stops it.
pub struct Engine {
    worker: web_sys::Worker,
    /// The newest request's number: replies to any other are stale.
    latest: Rc<Cell<u64>>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    /// Takes both the worker's messages and its errors.
    _handler: Closure<dyn Fn(web_sys::Event)>,
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
        })
    }

    /// Sends `request` as the newest: replies to earlier ones are dropped
    /// from here on.
    pub fn send(&self, request: &Request) {
        let seq = self.latest.get() + 1;
        self.latest.set(seq);
        let text = protocol::encode(seq, request);
        let _ = self.worker.post_message(&JsValue::from_str(&text));
    }

    /// The next message, in the order sent.
    pub async fn next(&mut self) -> Option<Incoming> {
        self.incoming.next().await
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
    event.prevent_default();
    let detail = match event.dyn_ref::<web_sys::ErrorEvent>() {
        Some(error) if !error.message().is_empty() => error.message(),
        _ => "its script could not be loaded".to_string(),
    };
    Some(Incoming::Stopped(detail))
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

/// The message in `data` (`{ text, table? | tableParts?, held?,
/// saveColumns? }`), unless it answers a
/// request older than `latest`. `Started` and `Panicked` are never stale:
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
        table: field("table").and_then(|t| t.dyn_into().ok()),
        table_parts: field("tableParts").and_then(|t| t.dyn_into().ok()),
        save_columns: field("saveColumns").and_then(|t| t.dyn_into().ok()),
        held: field("held").and_then(|h| h.dyn_into().ok()),
    };
    Some(Incoming::Reply(envelope.body, payloads))
}

fn js_text(error: &JsValue) -> String {
    js_sys::Error::from(error.clone())
        .to_string()
        .as_string()
        .unwrap_or_else(|| format!("{error:?}"))
}
