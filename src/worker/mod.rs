//! The engine's side of its Web Worker. The page starts the worker for a
//! load; here the file is fetched (or found in Cache Storage) and decoded,
//! off the page's thread, and the table stays here: the page asks for
//! what it draws (a view's matches, facets, rows, overview; the CSV) and
//! gets small answers (`query`, `session`). The engine saves the table
//! for the next visit itself.
//!
//! Messages follow `protocol`: requests in, replies out, each reply
//! carrying its request's number. Wasm only.

mod apart;
mod load;
mod session;

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::protocol::{self, Envelope, Reply, Request};

thread_local! {
    /// Set while the file is decoded: a panic then blames the file.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Starts the engine: answers the page's requests until it closes.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // The request being answered is not known here; the page takes a
        // panic from its one worker whatever the number.
        post(
            u64::MAX,
            &Reply::Panicked {
                message: info.to_string(),
                decoding: DECODING.with(Cell::get),
            },
            &Attachments::default(),
        );
    }));
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            // `{ text, held? }`
            let data = event.data();
            let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
            let text = field("text")
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let held = field("held").and_then(|h| h.dyn_into().ok());
            match protocol::decode::<Request>(&text) {
                Ok(envelope) => answer(envelope, held),
                Err(unreadable) => post(
                    0,
                    &Reply::Failed {
                        message: unreadable.to_string(),
                    },
                    &Attachments::default(),
                ),
            }
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // What came while the WebAssembly loaded (`public/engine_start.js`).
    let early = js_sys::Reflect::get(&scope(), &"__spacesEarly".into())
        .ok()
        .and_then(|e| e.dyn_into::<js_sys::Array>().ok());
    let _ = js_sys::Reflect::delete_property(&scope(), &"__spacesEarly".into());
    let handle: &js_sys::Function = on_message.as_ref().unchecked_ref();
    for event in early.iter().flat_map(|e| e.iter()) {
        let _ = handle.call1(&JsValue::NULL, &event);
    }
    // Lives as long as the worker.
    on_message.forget();
    post(0, &Reply::Started, &Attachments::default());
}

fn answer(envelope: Envelope<Request>, held: Option<js_sys::ArrayBuffer>) {
    let seq = envelope.seq;
    match envelope.body {
        Request::Load { url } => wasm_bindgen_futures::spawn_local(load::load(url, seq)),
        Request::DecodeApart => apart::answer(held, seq),
        question => session::ask(seq, question),
    }
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set_decoding(decoding: bool) {
    DECODING.with(|d| d.set(decoding));
}

/// Byte payloads sent with a reply.
#[derive(Default)]
struct Attachments {
    /// Buffers that move to the receiver (a second engine's columns and
    /// prose, in the saved format).
    parts: Option<js_sys::Array>,
    /// Shared, not copied (the CSV export).
    blob: Option<web_sys::Blob>,
}

/// Sends `reply` to request `seq`: `{ text, parts?, blob? }`.
fn post(seq: u64, reply: &Reply, attachments: &Attachments) {
    let message = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &name.into(), value);
    };
    set("text", &protocol::encode(seq, reply).into());
    let transfer = js_sys::Array::new();
    if let Some(parts) = &attachments.parts {
        set("parts", parts);
        for part in parts.iter() {
            transfer.push(&part);
        }
    }
    if let Some(blob) = &attachments.blob {
        set("blob", blob);
    }
    let _ = scope().post_message_with_transfer(&message, &transfer);
}
