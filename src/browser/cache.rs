//! Keeps the downloaded parts of the dataset in Cache Storage, keyed by the
//! data URL, with the server's validator (ETag, or Last-Modified and size)
//! so a revisit can tell whether the file changed. Every failure here only
//! means "no cache": loading goes on from the network.

use std::mem::MaybeUninit;

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::js_bytes::{to_js, JsBytes};
use super::{opfs, page};
use crate::data::saved::{self, SavedTable};
use crate::data::sparse::{BundleLayout, SparseFile, BUNDLE_HEAD};
use crate::data::{ApartColumns, Prose, SpacesTable};

const CACHE_NAME: &str = "spaces-ship-data-v1";
const VALIDATOR: &str = "x-spaces-ship-validator";
const LAST_MODIFIED: &str = "x-spaces-ship-last-modified";

#[derive(Clone)]
pub struct Cached {
    pub bundle: Bundle,
    pub validator: Option<String>,
    pub last_modified: Option<String>,
}

/// A cached download (a [`SparseFile`] bundle) still in Cache Storage: its
/// layout is read, its parts are read when asked for. A revisit that
/// restores its saved table needs only the footer.
#[derive(Clone)]
pub struct Bundle {
    blob: web_sys::Blob,
    layout: BundleLayout,
}

impl Bundle {
    /// The bundle in `blob`, if its header holds and its parts fill it.
    async fn open(blob: web_sys::Blob) -> Option<Bundle> {
        let size = blob.size() as u64;
        let head = read_blob(&blob, 0..BUNDLE_HEAD.min(size)).await?;
        let header_len = BundleLayout::header_len(&head.to_vec())?;
        let header = read_blob(&blob, 0..header_len.min(size)).await?;
        let layout = BundleLayout::read(&header.to_vec(), size)?;
        Some(Bundle { blob, layout })
    }

    /// The size of the file the bundle holds parts of.
    pub fn file_len(&self) -> u64 {
        self.layout.file_len
    }

    /// Every part held (the layout read when it was opened places them).
    pub async fn file(&self) -> Option<SparseFile> {
        let buffer = JsFuture::from(self.blob.array_buffer()).await.ok()?;
        let bundle = JsBytes::held(Uint8Array::new(&buffer));
        SparseFile::from_layout(&self.layout, &bundle)
    }

    /// Only the parts that hold the file's footer: enough to check a saved
    /// table against the file.
    pub async fn footer(&self) -> Option<SparseFile> {
        let (last_start, within) = self.layout.last_part()?;
        let mut file = SparseFile::new(self.layout.file_len);
        let last = read_blob(&self.blob, within.clone()).await?;
        file.insert_held(*last_start, JsBytes::held(last));
        // A footer longer than the first request's guess (2.5M rows in 20
        // row groups) is partly in the parts before.
        let footer_start = file.footer_start()?;
        for (start, within) in self.layout.parts_within(footer_start..*last_start) {
            let bytes = read_blob(&self.blob, within.clone()).await?;
            file.insert_held(*start, JsBytes::held(bytes));
        }
        Some(file)
    }
}

/// Bytes `range` of `blob`, in the browser's memory.
async fn read_blob(blob: &web_sys::Blob, range: std::ops::Range<u64>) -> Option<Uint8Array> {
    let part = blob
        .slice_with_f64_and_f64(range.start as f64, range.end as f64)
        .ok()?;
    let buffer = JsFuture::from(part.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer))
}

/// Which download of a dataset an entry holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The footer and the columns a load reads first.
    Columns,
    /// The prose columns, fetched later (see `data::shape::Phase`).
    Prose,
    /// The decoded table (`data::saved`): a revisit of an unchanged file
    /// skips the decode.
    Table,
}

/// The saved copy of `part` of `url`, if any.
pub async fn lookup(url: &str, part: Part) -> Option<Cached> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(&key(url, part)))
        .await
        .ok()?;
    let response: web_sys::Response = found.dyn_into().ok()?;
    let headers = response.headers();
    let validator = headers.get(VALIDATOR).ok().flatten();
    let last_modified = headers.get(LAST_MODIFIED).ok().flatten();
    let blob = JsFuture::from(response.blob().ok()?).await.ok()?;
    Some(Cached {
        bundle: Bundle::open(blob.unchecked_into()).await?,
        validator,
        last_modified,
    })
}

/// `file` as a cache bundle in one buffer, to send from one engine to
/// another; built in the browser's memory, not in wasm's.
pub fn bundle_buffer(file: &SparseFile) -> js_sys::ArrayBuffer {
    let header = file.bundle_header();
    let size = header.len() as u64 + file.parts().map(|part| part.len()).sum::<u64>();
    let bundle = Uint8Array::new_with_length(size as u32);
    bundle.set(&Uint8Array::from(&header[..]), 0);
    let mut at = header.len() as u32;
    for part in file.parts() {
        bundle.set(&to_js(part), at);
        at += part.len() as u32;
    }
    bundle.buffer()
}

/// The file in a bundle ([`bundle_buffer`]), left in the browser's
/// memory: only its header is read into wasm.
pub fn file_from_bundle(bundle: &js_sys::ArrayBuffer) -> Option<SparseFile> {
    SparseFile::from_bundle_held(JsBytes::held(Uint8Array::new(bundle)))
}

/// `file` as a cache bundle in a Blob: never a copy of the download in
/// wasm memory, nor one long task (each part is copied into a Blob of its
/// own in a task of its own; the bundle then only refers to them).
pub async fn bundle_blob(file: &SparseFile) -> Result<web_sys::Blob, JsValue> {
    let parts = js_sys::Array::of1(&Uint8Array::from(&file.bundle_header()[..]));
    for part in file.parts() {
        let copied = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&to_js(part)))?;
        parts.push(&copied);
        page::yield_to_browser().await;
    }
    // The Blob constructor takes arrays and Blobs alike.
    web_sys::Blob::new_with_u8_array_sequence(&parts)
}

/// Saves a bundle ([`bundle_blob`]) as `part` of `url`; nothing without a
/// validator.
pub async fn store_bundle(
    url: &str,
    part: Part,
    bundle: &web_sys::Blob,
    validator: Option<&str>,
    last_modified: Option<&str>,
) {
    let Some(validator) = validator else {
        return;
    };
    let mut extra = vec![(VALIDATOR, validator)];
    if let Some(modified) = last_modified {
        extra.push((LAST_MODIFIED, modified));
    }
    if let Err(error) = put_blob(&key(url, part), bundle, &extra).await {
        page::console_warn(&format!(
            "Spaces Ship: could not cache the dataset ({error:?})"
        ));
    }
}

/// The saved table of `url`, found but not read yet, and the validator it
/// was saved under. Looked up while the four-byte check of the file is on
/// its way; its body is read only once the file proves unchanged.
pub enum SavedEntry {
    /// In the origin private file system, read straight into wasm memory.
    File(opfs::SavedFile),
    /// In Cache Storage (browsers or tabs without the former).
    Cached {
        validator: String,
        response: web_sys::Response,
    },
}

pub async fn find_saved_table(url: &str) -> Option<SavedEntry> {
    if let Some(file) = opfs::open(url).await {
        return Some(SavedEntry::File(file));
    }
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(&key(url, Part::Table)))
        .await
        .ok()?;
    let response: web_sys::Response = found.dyn_into().ok()?;
    let validator = response.headers().get(VALIDATOR).ok().flatten()?;
    Some(SavedEntry::Cached {
        validator,
        response,
    })
}

impl SavedEntry {
    pub fn validator(&self) -> &str {
        match self {
            SavedEntry::File(file) => &file.validator,
            SavedEntry::Cached { validator, .. } => validator,
        }
    }

    /// The saved table if it reads back whole ([`saved::restore`]), with
    /// the time its bytes took to arrive before it was read (none when
    /// they are read as it goes). In one go: the engine reads it while
    /// nothing else waits on its thread.
    pub async fn restore(self) -> Result<(SavedTable, Option<f64>), String> {
        let refused = |refused: saved::Refused| refused.to_string();
        match self {
            SavedEntry::File(mut file) => Ok((saved::restore(&mut file).map_err(refused)?, None)),
            SavedEntry::Cached { response, .. } => {
                let start = super::perf::epoch_now();
                let bytes = JsFuture::from(response.array_buffer().map_err(|_| UNREADABLE)?)
                    .await
                    .map_err(|_| UNREADABLE)?;
                let read_ms = super::perf::epoch_now() - start;
                let mut source = JsPieces::new(vec![Uint8Array::new(&bytes)]);
                Ok((saved::restore(&mut source).map_err(refused)?, Some(read_ms)))
            }
        }
    }
}

const UNREADABLE: &str = "it could not be read from this browser's cache";

/// The prose in `parts` ([`saved::save_prose`]) if it reads back whole.
pub fn restore_prose(parts: Vec<Uint8Array>) -> Result<Prose, saved::Refused> {
    let mut source = JsPieces::new(parts);
    let mut restorer = saved::ProseRestorer::default();
    while restorer.step(&mut source)? {}
    restorer.finish()
}

/// The columns a second engine decoded, in `parts` ([`saved::save_apart`]), if they
/// read back whole. One task: the engine reads them while nothing else
/// waits on its thread.
pub fn restore_apart(parts: Vec<Uint8Array>) -> Result<ApartColumns, saved::Refused> {
    saved::restore_apart(&mut JsPieces::new(parts))
}

/// `columns` ([`saved::save_apart`]) as buffers to transfer to the engine.
pub fn apart_parts(columns: &ApartColumns) -> js_sys::Array {
    let parts = js_sys::Array::new();
    saved::in_parts(HANDOVER_PART, &mut push_buffer(&parts), |write| {
        saved::save_apart(columns, write)
    });
    parts
}

/// `prose` ([`saved::save_prose`]) as buffers to transfer to the engine
/// (from a second engine).
pub fn prose_parts(prose: &Prose) -> js_sys::Array {
    let parts = js_sys::Array::new();
    saved::in_parts(HANDOVER_PART, &mut push_buffer(&parts), |write| {
        saved::save_prose(prose, write)
    });
    parts
}

/// Parts handed from one worker to another are this size or more.
const HANDOVER_PART: usize = 1 << 20;

/// Adds each part to `parts` as a buffer of its own (copied out of wasm
/// memory).
fn push_buffer(parts: &js_sys::Array) -> impl FnMut(&[u8]) + '_ {
    move |part| {
        parts.push(&Uint8Array::from(part).buffer());
    }
}

/// Saves `table` (with its decode's `warnings`) for `url` at `validator`.
/// The columns are copied out of wasm memory a column per task into a
/// Blob, so saving never holds a second copy of the table in wasm memory,
/// nor one long task.
/// `with_prose: false` leaves the titles and descriptions out.
pub async fn save_table(
    url: &str,
    table: &SpacesTable,
    warnings: &[String],
    validator: &str,
    with_prose: bool,
) {
    let saver = || {
        let saver = saved::Saver::new(table, warnings);
        match with_prose {
            true => saver,
            false => saver.without_prose(),
        }
    };
    // A file is read back faster (`opfs`); Cache Storage where there is
    // none, or another tab holds it.
    match opfs::save(url, validator, saver()).await {
        Ok(()) => return evict_tables(url, None).await,
        Err(error) => page::console_info(&format!(
            "Spaces Ship: the decoded table is saved in Cache Storage ({error:?})"
        )),
    }
    // Each step's bytes become a Blob in that step's task; the whole is a
    // Blob of those, which copies nothing. (One Blob of every part copied
    // a million rows' table in one task of about 85 ms.)
    let blobs = js_sys::Array::new();
    let mut failed = None;
    let mut saver = saver();
    loop {
        let parts = js_sys::Array::new();
        let more = saver.step(&mut |part| {
            parts.push(&Uint8Array::from(part));
        });
        match web_sys::Blob::new_with_u8_array_sequence(&parts) {
            Ok(blob) => {
                blobs.push(&blob);
            }
            Err(error) => failed = Some(error),
        }
        if !more {
            break;
        }
        page::yield_to_browser().await;
    }
    // A copy that does not read back is replaced by the next decode's save
    // (deleting it on a failed read could delete a good copy another tab
    // saved meanwhile).
    let whole = match failed {
        Some(error) => Err(error),
        None => web_sys::Blob::new_with_blob_sequence(&blobs),
    };
    let stored = match whole {
        Ok(blob) => put_blob(&key(url, Part::Table), &blob, &[(VALIDATOR, validator)]).await,
        Err(error) => Err(error),
    };
    if let Err(error) = stored {
        page::console_warn(&format!(
            "Spaces Ship: could not save the decoded table ({error:?})"
        ));
    }
    let current = key(url, Part::Table);
    evict_tables(url, Some(&current)).await;
    // The file an older save left is read first: it must not outlive
    // this copy.
    opfs::forget(url).await;
}

/// Deletes the saved tables of `url` in Cache Storage but `keep`: those
/// in other formats can never be read again, and a table saved as a file
/// is read from there.
async fn evict_tables(url: &str, keep: Option<&str>) {
    let Some(cache) = open().await else {
        return;
    };
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let current = key(url, Part::Table);
    let prefix = current
        .split_once("&format=")
        .map_or(current.as_str(), |(prefix, _)| prefix)
        .to_string();
    for request in js_sys::Array::from(&keys).iter() {
        let Ok(request) = request.dyn_into::<web_sys::Request>() else {
            continue;
        };
        let stored = request.url();
        if stored.starts_with(&format!("{prefix}&format=")) && Some(stored.as_str()) != keep {
            let _ = JsFuture::from(cache.delete_with_request(&request)).await;
        }
    }
}

/// Saves `blob` as one entry under `key`, with the headers `extra`.
async fn put_blob(key: &str, blob: &web_sys::Blob, extra: &[(&str, &str)]) -> Result<(), JsValue> {
    let cache = open().await.ok_or("Cache Storage is not available")?;
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "application/octet-stream")?;
    for (name, value) in extra {
        headers.set(name, value)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let response = web_sys::Response::new_with_opt_blob_and_init(Some(blob), &init)?;
    JsFuture::from(cache.put_with_str(key, &response)).await?;
    Ok(())
}

/// A saved copy in JS memory, in pieces, read straight into the new
/// columns.
struct JsPieces {
    parts: std::collections::VecDeque<Uint8Array>,
    /// How far into the first part reading has come.
    at: u32,
    remaining: usize,
}

impl JsPieces {
    fn new(parts: Vec<Uint8Array>) -> JsPieces {
        JsPieces {
            remaining: parts.iter().map(|p| p.length() as usize).sum(),
            parts: parts.into(),
            at: 0,
        }
    }
}

impl saved::Source for JsPieces {
    fn remaining(&self) -> usize {
        self.remaining
    }

    fn fill<'a>(&mut self, into: &'a mut [MaybeUninit<u8>]) -> &'a mut [u8] {
        self.remaining -= into.len();
        let mut written = 0;
        while written < into.len() {
            let Some(part) = self.parts.front() else {
                // Fewer bytes than promised: what is left reads as zeros.
                saved::zeroed(&mut into[written..]);
                break;
            };
            let left = (part.length() - self.at) as usize;
            let take = left.min(into.len() - written);
            // SAFETY: the subarray is `take` bytes, copied into as many
            // writable bytes of `into`.
            unsafe {
                part.subarray(self.at, self.at + take as u32)
                    .raw_copy_to_ptr(into[written..].as_mut_ptr().cast());
            }
            written += take;
            if take == left {
                self.parts.pop_front();
                self.at = 0;
            } else {
                self.at += take as u32;
            }
        }
        // SAFETY: the parts' copies and the zeros covered every byte.
        unsafe { saved::assume_filled(into) }
    }
}

async fn open() -> Option<web_sys::Cache> {
    let caches = super::global::global()?.caches()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// A same-origin URL standing for the data URL (Cache Storage keys must be
/// http(s) requests).
fn key(url: &str, part: Part) -> String {
    let encoded: String = js_sys::encode_uri_component(url).into();
    let part = match part {
        Part::Columns => String::new(),
        Part::Prose => "&part=prose".into(),
        // The format's version in the key: a copy in an older layout is
        // never even looked up (and is replaced by the next save).
        Part::Table => format!("&part=table&format={}", saved::FORMAT_VERSION),
    };
    page::resolve_url(&format!("__spaces-ship-cache__?src={encoded}{part}"))
}
