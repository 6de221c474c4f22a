//! The page's handle on the engine's Web Worker (`crate::worker`): starts
//! it, numbers each request, and hands over the replies in order, with the
//! stale ones (answers to a request a newer one replaced) already dropped
//! (`protocol::InFlight`). [`Engine::ask`] waits for the load's answer;
//! then [`Engine::connect`] keeps the worker for the questions that follow,
//! each answered through its own callback.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::page;
use crate::protocol::{self, Envelope, InFlight, Kind, Reply, Request};

/// How long the engine may take to start: its WebAssembly is about 1 MB
/// gzipped, which a slow mobile link fetches in well under this.
const START_DEADLINE_MS: i32 = 60_000;

/// The worker's script (`public/engine_start.js`, which loads trunk's
/// `engine.js` and `engine_bg.wasm`), beside `index.html`: relative, so
/// the app works under any sub-path.
const SCRIPT: &str = "engine_start.js";

/// What arrives from the worker.
pub enum Incoming {
    /// A reply to request `seq`, with its byte payloads.
    Reply(u64, Reply, Payloads),
    /// The worker stopped (a trap, memory) or its script could not run:
    /// what the browser said.
    Stopped(String),
    /// A message the page could not read (another version of the app).
    Unreadable(String),
}

/// Bytes sent beside a reply (see `protocol::Reply`).
#[derive(Default)]
pub struct Payloads {
    /// Buffers in the saved format (a second engine's columns or prose).
    pub parts: Option<js_sys::Array>,
    /// A Blob (the CSV export).
    pub blob: Option<web_sys::Blob>,
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

/// The worker and the requests it has not answered yet. Dropping it
/// stops the worker.
struct Link {
    worker: web_sys::Worker,
    in_flight: RefCell<InFlight>,
    /// Takes both the worker's messages and its errors.
    _handler: Closure<dyn Fn(web_sys::Event)>,
}

impl Link {
    /// Posts `request` with a new number: `{ text, held? }`.
    fn send(&self, request: &Request, held: Option<js_sys::ArrayBuffer>) -> u64 {
        let seq = self.in_flight.borrow_mut().send(request.kind());
        let message = js_sys::Object::new();
        let text = JsValue::from_str(&protocol::encode(seq, request));
        let _ = js_sys::Reflect::set(&message, &"text".into(), &text);
        let transfer = js_sys::Array::new();
        if let Some(held) = held {
            let _ = js_sys::Reflect::set(&message, &"held".into(), &held);
            transfer.push(&held);
        }
        let _ = self.worker.post_message_with_transfer(&message, &transfer);
        seq
    }

    /// Whether `reply` to `seq` is still wanted (progress and marks do
    /// not end a request).
    fn wanted(&self, seq: u64, reply: &Reply) -> bool {
        let done = !matches!(
            reply,
            Reply::Fetching(_) | Reply::Decoding { .. } | Reply::Mark(_)
        );
        self.in_flight.borrow_mut().take(seq, done).is_some()
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // The handler goes with the handle: the worker must not call it.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A running worker, before it holds a table. Dropping it stops it.
pub struct Engine {
    link: Rc<Link>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    /// It has said `Started`: its code runs, so a stop from now on is a
    /// failure, not a worker that could not start.
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
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let _ = sender.unbounded_send(arrival(&event));
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        worker.set_onerror(Some(handler.as_ref().unchecked_ref()));
        // What the early worker said before the app was here, in order.
        let handle: &js_sys::Function = handler.as_ref().unchecked_ref();
        for event in early.iter() {
            let _ = handle.call1(&JsValue::NULL, &event);
        }
        let link = Link {
            worker,
            in_flight: RefCell::default(),
            _handler: handler,
        };
        Ok(Engine {
            link: Rc::new(link),
            incoming,
            started: false,
        })
    }

    /// Sends `request` and waits for its answer: the first reply that is
    /// neither progress nor a mark. Those go to `progress` meanwhile;
    /// stale replies are dropped.
    pub async fn ask(
        &mut self,
        request: &Request,
        progress: &dyn Fn(&Reply),
    ) -> Result<(Reply, Payloads), Failure> {
        let sent = self.send(request);
        self.answer(sent, progress).await
    }

    /// Sends `request` at once, even before the worker has started: its
    /// script keeps what comes while its WebAssembly loads
    /// (`public/engine_start.js`), so the work begins the moment the
    /// engine runs. Returns the number [`Engine::answer`] waits for.
    pub fn send(&mut self, request: &Request) -> u64 {
        self.link.send(request, None)
    }

    /// Waits for the answer to request `sent`, as [`Engine::ask`].
    pub async fn answer(
        &mut self,
        sent: u64,
        progress: &dyn Fn(&Reply),
    ) -> Result<(Reply, Payloads), Failure> {
        loop {
            let incoming = match self.started {
                true => self.incoming.next().await,
                false => self.next_or_deadline().await?,
            };
            let incoming = incoming.ok_or_else(|| Failure::Stopped("it went away".into()))?;
            let (seq, reply, payloads) = match incoming {
                Incoming::Reply(seq, reply, payloads) => (seq, reply, payloads),
                Incoming::Stopped(detail) if !self.started => {
                    return Err(Failure::NotStarted(detail))
                }
                Incoming::Stopped(detail) => return Err(Failure::Stopped(detail)),
                Incoming::Unreadable(why) => return Err(Failure::Unreadable(why)),
            };
            match reply {
                Reply::Started => self.started = true,
                Reply::Panicked { message, decoding } => {
                    return Err(Failure::Panicked { message, decoding })
                }
                reply if seq != sent || !self.link.wanted(seq, &reply) => {}
                reply @ (Reply::Fetching(_) | Reply::Decoding { .. } | Reply::Mark(_)) => {
                    progress(&reply)
                }
                Reply::Failed { message } => return Err(Failure::Failed(message)),
                answer => return Ok((answer, payloads)),
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

    /// Keeps the worker for the questions that follow the load. What it
    /// says unasked (marks, its memory) goes to `on_news`; should the
    /// worker stop or panic, `on_failure` hears why, once, and every
    /// question waiting is dropped.
    pub fn connect(
        self,
        on_news: impl Fn(&Reply) + 'static,
        on_failure: impl FnOnce(Failure) + 'static,
    ) -> Connection {
        let connection = Connection {
            link: self.link,
            waiting: Rc::default(),
        };
        let (link, waiting) = (
            Rc::downgrade(&connection.link),
            Rc::clone(&connection.waiting),
        );
        let mut incoming = self.incoming;
        wasm_bindgen_futures::spawn_local(async move {
            // `None`: the page let the worker go.
            let failure = loop {
                let Some(arrived) = incoming.next().await else {
                    break None;
                };
                let Some(link) = link.upgrade() else {
                    break None;
                };
                match arrived {
                    Incoming::Reply(_, Reply::Panicked { message, decoding }, _) => {
                        break Some(Failure::Panicked { message, decoding })
                    }
                    Incoming::Reply(_, news @ (Reply::Mark(_) | Reply::Memory { .. }), _) => {
                        on_news(&news)
                    }
                    Incoming::Reply(seq, reply, payloads) => {
                        if link.wanted(seq, &reply) {
                            let callback = take_waiting(&waiting, seq);
                            if let Some(callback) = callback {
                                callback(Some((reply, payloads)));
                            }
                        }
                    }
                    Incoming::Stopped(detail) => break Some(Failure::Stopped(detail)),
                    Incoming::Unreadable(why) => break Some(Failure::Unreadable(why)),
                }
            };
            let dropped: Vec<_> = waiting.borrow_mut().drain(..).collect();
            for (_, callback) in dropped {
                callback(None);
            }
            if let Some(failure) = failure {
                on_failure(failure);
            }
        });
        connection
    }
}

/// A callback waiting for its answer; `None` when a newer request
/// replaced it or the worker stopped.
type Waiting = Box<dyn FnOnce(Option<(Reply, Payloads)>)>;

fn take_waiting(waiting: &RefCell<Vec<(u64, Waiting)>>, seq: u64) -> Option<Waiting> {
    let mut waiting = waiting.borrow_mut();
    let at = waiting.iter().position(|(s, _)| *s == seq)?;
    Some(waiting.remove(at).1)
}

/// The worker holding the table, taking questions. Dropping it stops the
/// worker.
pub struct Connection {
    link: Rc<Link>,
    waiting: Rc<RefCell<Vec<(u64, Waiting)>>>,
}

impl Connection {
    /// Sends a request the engine does not answer ([`Kind::Told`]).
    pub fn tell(&self, request: &Request) {
        debug_assert_eq!(request.kind(), Kind::Told);
        self.link.send(request, None);
    }

    /// Sends `request`; `on_answer` gets its answer, or `None` when a
    /// newer request made it stale (or the worker stopped). Returns the
    /// request's number.
    pub fn ask(
        &self,
        request: &Request,
        on_answer: impl FnOnce(Option<(Reply, Payloads)>) + 'static,
    ) -> u64 {
        let seq = self.link.send(request, None);
        let stale: Vec<Waiting> = {
            let in_flight = self.link.in_flight.borrow();
            let mut waiting = self.waiting.borrow_mut();
            let (kept, stale): (Vec<_>, Vec<_>) = waiting
                .drain(..)
                .partition(|(s, _)| in_flight.is_waiting(*s));
            *waiting = kept;
            waiting.push((seq, Box::new(on_answer)));
            stale.into_iter().map(|(_, callback)| callback).collect()
        };
        for callback in stale {
            callback(None);
        }
        seq
    }
}

/// What `event` from the worker says: a message, or an error (said here,
/// in the page's words, not as an uncaught error).
fn arrival(event: &web_sys::Event) -> Incoming {
    match event.dyn_ref::<web_sys::MessageEvent>() {
        Some(message) => read(&message.data()),
        None => Incoming::Stopped(why_stopped(event)),
    }
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

/// The message in `data` (`{ text, parts?, blob? }`).
fn read(data: &JsValue) -> Incoming {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    let Some(text) = field("text").and_then(|t| t.as_string()) else {
        return Incoming::Unreadable("a message without text".into());
    };
    let envelope: Envelope<Reply> = match protocol::decode(&text) {
        Ok(envelope) => envelope,
        Err(unreadable) => return Incoming::Unreadable(unreadable.to_string()),
    };
    let payloads = Payloads {
        parts: field("parts").and_then(|t| t.dyn_into().ok()),
        blob: field("blob").and_then(|t| t.dyn_into().ok()),
    };
    Incoming::Reply(envelope.seq, envelope.body, payloads)
}

fn js_text(error: &JsValue) -> String {
    js_sys::Error::from(error.clone())
        .to_string()
        .as_string()
        .unwrap_or_else(|| format!("{error:?}"))
}
