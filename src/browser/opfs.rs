//! The decoded table saved in the origin private file system, where the
//! engine reads it back with synchronous reads straight into the new
//! columns: no copy of it in JavaScript first. At a million rows Cache
//! Storage took about 240 ms to hand the 121 MB copy over and 145 ms more
//! to copy it into wasm memory; these reads take about 65 ms.
//!
//! Synchronous access handles exist only in workers, and a file has one at
//! a time (another tab of the app may hold it): every failure here means
//! "not saved here", and the caller uses Cache Storage instead.
//!
//! A file holds `MAGIC` (written last), the data URL and the validator it
//! was saved under (each a u32 length and UTF-8), then the saved table
//! ([`saved::Saver`], which checks itself on reading).

use std::mem::MaybeUninit;

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetFileOptions,
    FileSystemReadWriteOptions, FileSystemSyncAccessHandle,
};

use super::page;
use crate::data::saved;

const MAGIC: &[u8; 8] = b"SPSHIPFS";

/// Longest URL or validator a file's head may claim.
const MAX_HEAD_TEXT: u32 = 64 * 1024;

/// A saved table found for a URL, open for reading; its handle closes when
/// it is dropped.
pub struct SavedFile {
    handle: FileSystemSyncAccessHandle,
    pub validator: String,
    at: u64,
    len: u64,
}

/// The saved table of `url`, if this browser keeps one here and no other
/// tab holds it.
pub async fn open(url: &str) -> Option<SavedFile> {
    let file = file_handle(&file_name(url, saved::FORMAT_VERSION), false).await?;
    let handle = sync_handle(&file).await?;
    let len = handle.get_size().ok()? as u64;
    let mut saved = SavedFile {
        handle,
        validator: String::new(),
        at: 0,
        len,
    };
    let mut magic = [0u8; 8];
    saved.read_exact(&mut magic)?;
    let saved_url = saved.read_text()?;
    saved.validator = saved.read_text()?;
    (magic == *MAGIC && saved_url == url).then_some(saved)
}

impl SavedFile {
    fn read_exact(&mut self, into: &mut [u8]) -> Option<()> {
        self.read_into(into.as_mut_ptr(), into.len())
    }

    /// Reads the next `len` bytes to `into`, all of them or `None`.
    fn read_into(&mut self, into: *mut u8, len: usize) -> Option<()> {
        let end = self.at.checked_add(len as u64)?;
        if end > self.len {
            return None;
        }
        // SAFETY: `into` is `len` writable bytes (callers hand over a
        // slice's memory), and the view is used only by the synchronous
        // read below, during which nothing runs in wasm that could grow
        // (and so move) its memory.
        let view = unsafe { Uint8Array::view_mut_raw(into, len) };
        let options = FileSystemReadWriteOptions::new();
        options.set_at(self.at as f64);
        let read = self
            .handle
            .read_with_js_u8_array_and_options(&view, &options)
            .ok()?;
        self.at = end;
        (read as usize == len).then_some(())
    }

    fn read_text(&mut self) -> Option<String> {
        let mut len = [0u8; 4];
        self.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len);
        if len > MAX_HEAD_TEXT {
            return None;
        }
        let mut text = vec![0u8; len as usize];
        self.read_exact(&mut text)?;
        String::from_utf8(text).ok()
    }
}

impl saved::Source for SavedFile {
    fn remaining(&self) -> usize {
        (self.len - self.at) as usize
    }

    fn fill<'a>(&mut self, into: &'a mut [MaybeUninit<u8>]) -> &'a mut [u8] {
        // SAFETY: `read_into` writes through the raw view alone, and a
        // failed or short read is overwritten with zeros (which the copy's
        // checksum refuses), so every byte is written either way.
        match self.read_into(into.as_mut_ptr().cast(), into.len()) {
            Some(()) => unsafe { saved::assume_filled(into) },
            None => saved::zeroed(into),
        }
    }
}

impl Drop for SavedFile {
    fn drop(&mut self) {
        self.handle.close();
    }
}

/// Saves what `saver` writes for `url` at `validator`, a step per turn of
/// the engine's event loop. On failure nothing is left behind.
pub async fn save(url: &str, validator: &str, mut saver: saved::Saver<'_>) -> Result<(), JsValue> {
    let name = file_name(url, saved::FORMAT_VERSION);
    let file = file_handle(&name, true)
        .await
        .ok_or("the origin private file system is not available")?;
    let handle = sync_handle(&file)
        .await
        .ok_or("another tab holds the saved table")?;
    let mut writer = Writer {
        handle,
        at: 0,
        failed: None,
    };
    let written = async {
        writer.handle.truncate_with_u32(0)?;
        // Zeros until the rest is written: a file cut short (the tab
        // closed while saving) is not even tried.
        writer.write(&[0; MAGIC.len()]);
        for text in [url, validator] {
            writer.write(&(text.len() as u32).to_le_bytes());
            writer.write(text.as_bytes());
        }
        loop {
            let more = saver.step(&mut |part| writer.write(part));
            if let Some(error) = writer.failed.take() {
                return Err(error);
            }
            if !more {
                break;
            }
            page::yield_to_browser().await;
        }
        writer.handle.flush()?;
        writer.at = 0;
        writer.write(MAGIC);
        writer.failed.take().map_or(Ok(()), Err)?;
        writer.handle.flush()
    }
    .await;
    writer.handle.close();
    if written.is_err() {
        remove(&name).await;
        return written;
    }
    // Other formats of the same URL can never be read again.
    let prefix = name.split("-format-").next().unwrap_or_default();
    for other in names().await {
        if other.starts_with(prefix) && other != name {
            remove(&other).await;
        }
    }
    Ok(())
}

/// The names of the files kept here.
async fn names() -> Vec<String> {
    let Some(root) = root().await else {
        return Vec::new();
    };
    let entries = root.keys();
    let mut names = Vec::new();
    while let Ok(next) = entries.next() {
        let Ok(step) = JsFuture::from(next).await else {
            break;
        };
        let step: js_sys::IteratorNext = step.unchecked_into();
        if step.done() {
            break;
        }
        names.extend(step.value().as_string());
    }
    names
}

/// Deletes the saved table of `url`, if any.
pub async fn forget(url: &str) {
    remove(&file_name(url, saved::FORMAT_VERSION)).await;
}

struct Writer {
    handle: FileSystemSyncAccessHandle,
    at: u64,
    /// The first write that failed (the rest are skipped).
    failed: Option<JsValue>,
}

impl Writer {
    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        let options = FileSystemReadWriteOptions::new();
        options.set_at(self.at as f64);
        match self.handle.write_with_u8_array_and_options(bytes, &options) {
            Ok(written) if written as usize == bytes.len() => self.at += bytes.len() as u64,
            Ok(_) => self.failed = Some("a write was cut short (is the disk full?)".into()),
            Err(error) => self.failed = Some(error),
        }
    }
}

/// The file for `url`'s table in format `version`: a stable hash of the
/// URL (names cannot hold every character a URL can), checked against
/// the URL the file holds when it is read.
fn file_name(url: &str, version: u32) -> String {
    // 64-bit FNV-1a: the same name from every build of the app.
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("table-{hash:016x}-format-{version}")
}

async fn root() -> Option<FileSystemDirectoryHandle> {
    let scope = js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()?;
    let storage = scope.navigator().storage();
    JsFuture::from(storage.get_directory())
        .await
        .ok()?
        .dyn_into()
        .ok()
}

async fn file_handle(name: &str, create: bool) -> Option<FileSystemFileHandle> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(create);
    let found = root().await?.get_file_handle_with_options(name, &options);
    JsFuture::from(found).await.ok()?.dyn_into().ok()
}

async fn sync_handle(file: &FileSystemFileHandle) -> Option<FileSystemSyncAccessHandle> {
    JsFuture::from(file.create_sync_access_handle())
        .await
        .ok()?
        .dyn_into()
        .ok()
}

async fn remove(name: &str) {
    if let Some(root) = root().await {
        let _ = JsFuture::from(root.remove_entry(name)).await;
    }
}
