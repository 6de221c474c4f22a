//! Downloads the dataset. When the server answers range requests, only the
//! footer and the column chunks the app decodes are fetched; otherwise the
//! whole file, in one GET. A copy saved in Cache Storage is reused when the
//! server says the file has not changed.

use std::cell::Cell;
use std::ops::Range;

use bytes::Bytes;
use gloo_net::http::{Request, Response};
use js_sys::Uint8Array;
use parquet::file::metadata::ParquetMetaData;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::cache::{self, Cached, Part};
use super::js_bytes::JsBytes;
use crate::data::budget::check_download;
use crate::data::shape::Phase;
use crate::data::sparse::{
    column_ranges, merge_gap, parse_content_range, range_header, read_footer, Footer, Held,
    SparseFile, FOOTER_GUESS,
};

pub use crate::protocol::{Progress, Transfer};

#[derive(Clone)]
pub enum Fetched {
    /// The whole file, as the server sent it (maybe not Parquet at all).
    Whole(SparseFile),
    /// The parts of a Parquet file the app reads.
    Sparse(SparseFile),
    /// Those parts, saved in this browser's cache and not read yet
    /// ([`Download::read_cached`]).
    Cached(cache::Bundle),
}

#[derive(Clone)]
pub struct Download {
    pub fetched: Fetched,
    /// Where later range requests go (the address after redirects).
    pub direct_url: String,
    /// Bytes that crossed the network for this load.
    pub transferred: u64,
    pub file_size: u64,
    pub last_modified: Option<String>,
    /// What identifies this version of the file, when the server says.
    pub validator: Option<String>,
    pub transfer: Transfer,
}

impl Download {
    /// The bytes held, as a file the cache can keep (none of a cached copy
    /// not read yet).
    pub fn to_sparse(&self) -> SparseFile {
        match &self.fetched {
            Fetched::Sparse(file) | Fetched::Whole(file) => file.clone(),
            Fetched::Cached(bundle) => SparseFile::new(bundle.file_len()),
        }
    }

    /// Reads a cached copy's parts, for a decode; an error when Cache
    /// Storage no longer gives them.
    pub async fn read_cached(&mut self) -> Result<(), String> {
        if let Fetched::Cached(bundle) = &self.fetched {
            let file = bundle.file().await.ok_or(
                "The saved copy of the file could not be read from this browser's cache; reload the page to download it again.",
            )?;
            self.fetched = Fetched::Sparse(file);
        }
        Ok(())
    }
}

/// What the first response said about the file.
struct Probe {
    response: Response,
    validator: Option<String>,
    last_modified: Option<String>,
}

/// Fetches `url`, calling `on_progress` as bytes arrive, and `on_footer`
/// with the footer when it is read ahead of the columns (a fetch by
/// ranges). Errors are sentences for the page.
pub async fn fetch_dataset(
    url: &str,
    on_progress: &dyn Fn(Progress),
    on_footer: &dyn Fn(&ParquetMetaData),
) -> Result<Download, String> {
    let received = Cell::new(0u64);
    on_progress(Progress::default());
    // A four-byte range: answers whether ranges work, how big the file is,
    // which version it is, and whether it starts like Parquet. It travels
    // while the saved copy (if any) is read.
    let (cached, probed) =
        futures::join!(cache::lookup(url, Part::Columns), send(url, Some(&(0..4))));
    let probe = match probed {
        Ok(response) => Probe {
            validator: validator_of(&response),
            last_modified: response.headers().get("last-modified"),
            response,
        },
        Err(message) => {
            // Offline or blocked: a saved copy is better than nothing.
            return match cached {
                Some(cached) => Ok(from_cache(url, cached, 0, false)),
                None => Err(message),
            };
        }
    };
    let status = probe.response.status();
    if status == 416 {
        // Shorter than four bytes: the whole file says what it is.
        return whole_again(
            url,
            &received,
            on_progress,
            &probe,
            "the file is nearly empty",
        )
        .await;
    }
    if status != 206 && status != 200 {
        return Err(format!(
            "The server answered {} {} for {url}.",
            status,
            probe.response.status_text()
        ));
    }
    let unchanged = |size: Option<u64>| {
        cached.as_ref().filter(|c| {
            probe.validator.is_some()
                && c.validator == probe.validator
                && size.is_none_or(|s| s == c.bundle.file_len())
        })
    };
    if status == 200 {
        // The server ignored the range: this response is the whole file.
        let size = content_length(&probe.response);
        if let Some(cached) = unchanged(size).cloned() {
            cancel(&probe.response);
            return Ok(from_cache(url, cached, 0, true));
        }
        let body = read_body(&probe.response, size, &received, on_progress, url).await?;
        return Ok(whole(
            body,
            &received,
            &probe,
            "the server does not answer range requests".into(),
        ));
    }
    let total = probe
        .response
        .headers()
        .get("content-range")
        .and_then(|v| parse_content_range(&v))
        .map(|(_, _, total)| total);
    let head = read_body(&probe.response, Some(4), &received, &|_| {}, url).await?;
    if let Some(cached) = unchanged(total).cloned() {
        return Ok(from_cache(url, cached, received.get(), true));
    }
    let parquet = head.bytes(0, head.len()).starts_with(b"PAR1");
    let Some(total) = total.filter(|_| parquet) else {
        // No readable size (a CDN that hides Content-Range), or not Parquet
        // (an error page): the whole file shows what it is.
        let reason = if parquet {
            "the server does not tell the file size to this page"
        } else {
            "the file does not start like Parquet"
        };
        return whole_again(url, &received, on_progress, &probe, reason).await;
    };
    // Later requests go straight to where the first one was redirected.
    let direct = probe.response.url();
    let direct = if direct.is_empty() {
        url.to_string()
    } else {
        direct
    };
    match fetch_columns(&direct, total, head, &received, on_progress, on_footer).await {
        Ok((file, requests)) => Ok(Download {
            fetched: Fetched::Sparse(file),
            direct_url: direct,
            transferred: received.get(),
            file_size: total,
            last_modified: probe.last_modified,
            validator: probe.validator,
            transfer: Transfer::Ranges { requests },
        }),
        Err(RangeFailure::Decode(message)) => Err(message),
        Err(RangeFailure::Refused(reason)) => {
            whole_again(url, &received, on_progress, &probe, &reason).await
        }
    }
}

enum RangeFailure {
    /// The server stopped answering ranges: fetch the whole file instead.
    Refused(String),
    /// The footer itself is unreadable: say so.
    Decode(String),
}

/// Footer first (more of the tail if it is long), then every used column
/// chunk in parallel.
async fn fetch_columns(
    url: &str,
    total: u64,
    head: Held,
    received: &Cell<u64>,
    on_progress: &dyn Fn(Progress),
    on_footer: &dyn Fn(&ParquetMetaData),
) -> Result<(SparseFile, usize), RangeFailure> {
    let mut file = SparseFile::new(total);
    file.insert_held(0, head);
    let mut requests = 1;
    let mut tail = FOOTER_GUESS.min(total);
    let metadata =
        loop {
            let wanted = total - tail..total;
            for range in file.missing(std::slice::from_ref(&wanted)) {
                let bytes = fetch_range(url, &range, total, None, received, &|_| {}).await?;
                file.insert_held(range.start, bytes);
                requests += 1;
            }
            match read_footer(&file).map_err(|e| RangeFailure::Decode(e.to_string()))? {
                Footer::Parsed(metadata) => break metadata,
                Footer::NeedTail(needed) if needed > tail && needed <= total => tail = needed,
                Footer::NeedTail(_) => return Err(RangeFailure::Decode(
                    "The Parquet file is damaged or truncated: its footer length is impossible."
                        .into(),
                )),
            }
        };
    let planned = file.missing(&column_ranges(
        &metadata,
        total,
        merge_gap(total),
        Phase::Eager,
    ));
    let expected = received.get() + planned.iter().map(|r| r.end - r.start).sum::<u64>();
    let progress = |p: Progress| {
        on_progress(Progress {
            total: Some(expected),
            ..p
        })
    };
    progress(Progress {
        received: received.get(),
        total: None,
    });
    let fetches = planned
        .iter()
        .map(|range| fetch_range(url, range, total, None, received, &progress));
    // The column requests leave first, then `on_footer` runs (it may start
    // a second engine, which held them back by tens of milliseconds).
    let (parts, ()) = futures::join!(futures::future::try_join_all(fetches), async {
        on_footer(&metadata)
    });
    let parts = parts?;
    requests += planned.len();
    for (range, bytes) in planned.iter().zip(parts) {
        file.insert_held(range.start, bytes);
    }
    Ok((file, requests))
}

/// One range of a file of `file_len` bytes; with `validator`, refused when
/// the server names another version.
async fn fetch_range(
    url: &str,
    range: &Range<u64>,
    file_len: u64,
    validator: Option<&str>,
    received: &Cell<u64>,
    on_progress: &dyn Fn(Progress),
) -> Result<Held, RangeFailure> {
    let response = send(url, Some(range))
        .await
        .map_err(RangeFailure::Refused)?;
    let length = range.end - range.start;
    if response.status() != 206 {
        cancel(&response);
        return Err(RangeFailure::Refused(format!(
            "a range request was answered with {} instead of 206",
            response.status()
        )));
    }
    let now_len = response
        .headers()
        .get("content-range")
        .and_then(|v| parse_content_range(&v))
        .map(|(_, _, total)| total);
    let other_version =
        validator.is_some_and(|v| validator_of(&response).is_some_and(|now| now != v));
    if now_len.is_some_and(|now| now != file_len) || other_version {
        cancel(&response);
        return Err(RangeFailure::Refused(
            "the file changed on the server while it was being read".into(),
        ));
    }
    let bytes = read_body(&response, Some(length), received, on_progress, url)
        .await
        .map_err(RangeFailure::Refused)?;
    if bytes.len() != length {
        return Err(RangeFailure::Refused(format!(
            "a range request returned {} bytes instead of {length}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Falls back to one plain GET of the whole file.
async fn whole_again(
    url: &str,
    received: &Cell<u64>,
    on_progress: &dyn Fn(Progress),
    probe: &Probe,
    reason: &str,
) -> Result<Download, String> {
    let response = send(url, None).await?;
    if !response.ok() {
        return Err(format!(
            "The server answered {} {} for {url}.",
            response.status(),
            response.status_text()
        ));
    }
    let size = content_length(&response);
    let body = read_body(&response, size, received, on_progress, url).await?;
    Ok(whole(body, received, probe, reason.to_string()))
}

fn whole(body: Held, received: &Cell<u64>, probe: &Probe, reason: String) -> Download {
    Download {
        direct_url: probe.response.url(),
        file_size: body.len(),
        fetched: Fetched::Whole(SparseFile::whole_held(body)),
        transferred: received.get(),
        last_modified: probe.last_modified.clone(),
        validator: probe.validator.clone(),
        transfer: Transfer::Whole { reason },
    }
}

fn from_cache(url: &str, cached: Cached, transferred: u64, checked: bool) -> Download {
    Download {
        direct_url: url.to_string(),
        file_size: cached.bundle.file_len(),
        fetched: Fetched::Cached(cached.bundle),
        transferred,
        last_modified: cached.last_modified,
        validator: cached.validator,
        transfer: Transfer::Cached { checked },
    }
}

async fn send(url: &str, range: Option<&Range<u64>>) -> Result<Response, String> {
    // Built from a web_sys::Request: gloo's builder appends `&` to a query
    // the URL already has, which breaks signed URLs. The URL goes out as given.
    let failed = |e: wasm_bindgen::JsValue| network_message(url, &format!("{e:?}"));
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    if let Some(range) = range {
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Range", &range_header(range)).map_err(failed)?;
        init.set_headers(&headers);
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(failed)?;
    Request::from(request)
        .send()
        .await
        .map_err(|e| network_message(url, &e.to_string()))
}

/// ETag when the page may read it, else Last-Modified with the size.
fn validator_of(response: &Response) -> Option<String> {
    let headers = response.headers();
    headers.get("etag").or_else(|| {
        headers.get("last-modified").map(|modified| {
            let size = headers
                .get("content-range")
                .and_then(|v| parse_content_range(&v))
                .map(|(_, _, total)| total)
                .or_else(|| content_length(response));
            format!("{modified}; {}", size.unwrap_or(0))
        })
    })
}

fn content_length(response: &Response) -> Option<u64> {
    // Absent on some redirected or compressed responses: progress then
    // counts bytes without a total.
    response
        .headers()
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&n| n > 0)
}

fn cancel(response: &Response) {
    if let Some(body) = response.body() {
        let _ = body.cancel();
    }
}

/// Reads a body in chunks, adding each to `received` and reporting it.
/// The body stays in the browser's memory, joined into one array of the
/// exact size once it ends: the decoder copies into wasm memory (which
/// never shrinks) only the pages it reads. A body longer than it announced,
/// or than [`check_download`] allows, is cancelled with a sentence saying
/// so.
async fn read_body(
    response: &Response,
    expected: Option<u64>,
    received: &Cell<u64>,
    on_progress: &dyn Fn(Progress),
    url: &str,
) -> Result<Held, String> {
    let Some(body) = response.body() else {
        return Ok(Held::Here(Bytes::new()));
    };
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| "The browser could not read the download stream.".to_string())?;
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut length = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| network_message(url, &format!("{e:?}")))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(|_| "The download stream gave no data.".to_string())?;
        let array: Uint8Array = value
            .dyn_into()
            .map_err(|_| "The download stream gave something other than bytes.".to_string())?;
        let added = u64::from(array.length());
        length += added;
        if let Err(message) = check_download(length, expected) {
            let _ = reader.cancel();
            return Err(message);
        }
        chunks.push(array);
        received.set(received.get() + added);
        on_progress(Progress {
            received: received.get(),
            total: expected,
        });
    }
    if chunks.len() == 1 {
        return Ok(JsBytes::held(chunks.swap_remove(0)));
    }
    let joined = Uint8Array::new_with_length(length as u32);
    let mut at = 0;
    for chunk in chunks {
        joined.set(&chunk, at);
        at += chunk.length();
    }
    Ok(JsBytes::held(joined))
}

fn network_message(url: &str, detail: &str) -> String {
    format!(
        "Could not download {url}: the network request failed ({detail}). \
         The host may be unreachable or may not allow this page to read it (CORS)."
    )
}

/// What a later fetch of a file's prose needs: where the file is, the
/// footer already read, and the version the first fetch saw.
#[derive(Clone)]
pub struct ProseSource {
    /// The address range requests go to.
    pub url: String,
    /// The address the cache knows the dataset by.
    pub cache_url: String,
    pub file_len: u64,
    /// The size of the prose chunks (what a fetch will download).
    pub bytes: u64,
    /// The footer and whatever prose bytes the first fetch already got.
    pub held: SparseFile,
    /// The byte ranges of the prose chunks.
    pub ranges: Vec<Range<u64>>,
    pub validator: Option<String>,
    pub last_modified: Option<String>,
}

impl ProseSource {
    /// Where the prose of `place` is, around the bytes already `held`.
    pub fn new(place: crate::protocol::ProseWhere, held: SparseFile) -> ProseSource {
        ProseSource {
            bytes: held
                .missing(&place.ranges)
                .iter()
                .map(|r| r.end - r.start)
                .sum(),
            held,
            url: place.url,
            cache_url: place.cache_url,
            file_len: place.file_len,
            ranges: place.ranges,
            validator: place.validator,
            last_modified: place.last_modified,
        }
    }
}

/// The prose a load left for later: from the cache when it holds this
/// version, else by range requests. Returns the file (footer and prose
/// chunks) and the bytes downloaded.
pub async fn fetch_prose(source: &ProseSource) -> Result<(SparseFile, u64), String> {
    let len = source.file_len;
    if let Some(cached) = cache::lookup(&source.cache_url, Part::Prose).await {
        if source.validator.is_some()
            && cached.validator == source.validator
            && cached.bundle.file_len() == len
        {
            if let Some(file) = cached.bundle.file().await {
                return Ok((file, 0));
            }
        }
    }
    let mut file = source.held.clone();
    let ranges = file.missing(&source.ranges);
    let received = Cell::new(0);
    let mut parts = fetch_prose_ranges(&source.url, source, &ranges, &received).await;
    // The address a load was redirected to may have expired since (signed
    // CDN links do): the dataset's own address redirects afresh.
    if parts.is_err() && source.url != source.cache_url {
        parts = fetch_prose_ranges(&source.cache_url, source, &ranges, &received).await;
    }
    for (range, bytes) in ranges.iter().zip(parts?) {
        file.insert_held(range.start, bytes);
    }
    Ok((file, received.get()))
}

/// The prose chunks from `url`, refused when the file there is not the
/// version the load read (its size or validator differs).
async fn fetch_prose_ranges(
    url: &str,
    source: &ProseSource,
    ranges: &[Range<u64>],
    received: &Cell<u64>,
) -> Result<Vec<Held>, String> {
    let len = source.file_len;
    let fetches = ranges.iter().map(|range| {
        fetch_range(
            url,
            range,
            len,
            source.validator.as_deref(),
            received,
            &|_| {},
        )
    });
    futures::future::try_join_all(fetches)
        .await
        .map_err(|failure| match failure {
            RangeFailure::Refused(why) | RangeFailure::Decode(why) => why,
        })
}
