//! The engine's side of its Web Worker. The page starts the worker for a
//! load; here the file is fetched (or found in Cache Storage) and decoded,
//! off the page's thread, and the table goes to the page in the saved
//! format (`data::saved`), which the page reads a column per task, with
//! what the next visit needs for the page to save. The page then stops
//! the worker, so its memory (the download, the decoder's working set) is
//! given back before the page's own grows.
//!
//! Messages follow `protocol`: requests in, replies out, each reply
//! carrying its request's number. Wasm only.

mod apart;
mod load;

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::protocol::{self, Envelope, Reply, Request};

thread_local! {
    /// The load between offering a saved copy and the page's answer.
    static OFFERED: RefCell<Option<load::Offered>> = const { RefCell::new(None) };

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
        Request::Prose(place) => wasm_bindgen_futures::spawn_local(load::prose(place, held, seq)),
        Request::Load { url } => wasm_bindgen_futures::spawn_local(load::load(url, seq)),
        Request::DecodeCardJson => apart::answer(held, seq),
        Request::Decode => match OFFERED.with(|o| o.borrow_mut().take()) {
            Some(offered) => wasm_bindgen_futures::spawn_local(load::decode(offered, seq)),
            None => post(
                seq,
                &Reply::Failed {
                    message: "the engine has no file to decode".into(),
                },
                &Attachments::default(),
            ),
        },
    }
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set_decoding(decoding: bool) {
    DECODING.with(|d| d.set(decoding));
}

/// Byte payloads sent with a reply, transferred rather than copied.
#[derive(Default)]
struct Attachments {
    /// The table or the prose in the saved format.
    saved: Option<SavedBytes>,
    /// The bytes a later prose fetch reuses (a `SparseFile` bundle).
    held: Option<js_sys::ArrayBuffer>,
    /// The titles and descriptions in the saved format, apart from the
    /// table (decoded by a second engine).
    prose: Option<js_sys::Array>,
    /// What was downloaded, as a cache bundle, for the page to save once
    /// it has drawn (the page saves the table from its own columns).
    to_cache: Option<web_sys::Blob>,
}

/// The saved format's bytes, as the engine has them.
pub enum SavedBytes {
    /// This browser's saved copy, unread (shared, not copied).
    Saved(web_sys::Blob),
    /// A fresh decode's, in buffers that move to the page.
    Parts(js_sys::Array),
}

/// Sends `reply` to request `seq`: `{ text, saved? | parts?, prose?, held?,
/// toCache? }`.
fn post(seq: u64, reply: &Reply, attachments: &Attachments) {
    let message = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &name.into(), value);
    };
    set("text", &protocol::encode(seq, reply).into());
    let transfer = js_sys::Array::new();
    // Buffers in parts move to the receiver, each of them.
    let set_parts = |name: &str, parts: &js_sys::Array| {
        set(name, parts);
        for part in parts.iter() {
            transfer.push(&part);
        }
    };
    match &attachments.saved {
        // A Blob is shared, not copied: nothing to transfer.
        Some(SavedBytes::Saved(blob)) => set("saved", blob),
        Some(SavedBytes::Parts(parts)) => set_parts("parts", parts),
        None => {}
    }
    if let Some(prose) = &attachments.prose {
        set_parts("prose", prose);
    }
    if let Some(held) = &attachments.held {
        set("held", held);
        transfer.push(held);
    }
    if let Some(blob) = &attachments.to_cache {
        set("toCache", blob);
    }
    let _ = scope().post_message_with_transfer(&message, &transfer);
}
