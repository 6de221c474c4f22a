//! Bytes kept in JavaScript's memory: a download, a cached bundle. The
//! decoder copies in only the pages it reads (`data::sparse::Outside`), so
//! wasm memory, which never shrinks, never holds a whole file.

use std::any::Any;
use std::sync::Arc;

use js_sys::Uint8Array;

use crate::data::sparse::{Held, Outside};

#[derive(Debug)]
pub struct JsBytes(Uint8Array);

// The Parquet reader asks every byte source to be Send + Sync. This build
// has no threads (wasm32 without atomics): the array is only ever used on
// the thread that made it.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Send for JsBytes {}
#[cfg(not(target_feature = "atomics"))]
unsafe impl Sync for JsBytes {}

impl JsBytes {
    /// `array`, as a file part kept where it is.
    pub fn held(array: Uint8Array) -> Held {
        Held::away(Arc::new(JsBytes(array)))
    }
}

impl Outside for JsBytes {
    fn byte_len(&self) -> u64 {
        u64::from(self.0.length())
    }

    fn copy_to(&self, from: u64, into: &mut [u8]) {
        let end = from + into.len() as u64;
        self.0.subarray(from as u32, end as u32).copy_to(into);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The bytes of `held` as a JavaScript array: a view of them when they are
/// kept there already, else a copy.
pub fn to_js(held: &Held) -> Uint8Array {
    if let Held::Away { bytes, start, len } = held {
        if let Some(js) = bytes.as_any().downcast_ref::<JsBytes>() {
            return js.0.subarray(*start as u32, (start + len) as u32);
        }
    }
    Uint8Array::from(&held.bytes(0, held.len())[..])
}
