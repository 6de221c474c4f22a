//! Keeps the downloaded parts of the dataset in Cache Storage, keyed by the
//! data URL, with the server's validator (ETag, or Last-Modified and size)
//! so a revisit can tell whether the file changed. Every failure here only
//! means "no cache": loading goes on from the network.

use bytes::Bytes;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::page;
use crate::data::sparse::SparseFile;

const CACHE_NAME: &str = "spaces-ship-data-v1";
const VALIDATOR: &str = "x-spaces-ship-validator";
const LAST_MODIFIED: &str = "x-spaces-ship-last-modified";

#[derive(Clone)]
pub struct Cached {
    pub file: SparseFile,
    pub validator: Option<String>,
    pub last_modified: Option<String>,
}

/// Which download of a dataset an entry holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The footer and the columns a load reads first.
    Columns,
    /// The prose columns, fetched later (see `data::shape::Phase`).
    Prose,
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
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    let file = SparseFile::from_bundle(Bytes::from(bytes))?;
    Some(Cached {
        file,
        validator,
        last_modified,
    })
}

/// Saves `file` as `part` of `url`. Without a validator a copy could never
/// be trusted again, so nothing is saved.
pub async fn store(
    url: &str,
    part: Part,
    file: &SparseFile,
    validator: Option<&str>,
    last_modified: Option<&str>,
) {
    let Some(validator) = validator else {
        return;
    };
    if let Err(error) = try_store(&key(url, part), file, validator, last_modified).await {
        page::console_warn(&format!(
            "Spaces Ship: could not cache the dataset ({error:?})"
        ));
    }
}

async fn try_store(
    key: &str,
    file: &SparseFile,
    validator: &str,
    last_modified: Option<&str>,
) -> Result<(), JsValue> {
    let cache = open().await.ok_or("Cache Storage is not available")?;
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "application/octet-stream")?;
    headers.set(VALIDATOR, validator)?;
    if let Some(modified) = last_modified {
        headers.set(LAST_MODIFIED, modified)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let mut bundle = file.to_bundle();
    let response = web_sys::Response::new_with_opt_u8_array_and_init(Some(&mut bundle), &init)?;
    JsFuture::from(cache.put_with_str(key, &response)).await?;
    Ok(())
}

async fn open() -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
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
        Part::Columns => "",
        Part::Prose => "&part=prose",
    };
    page::resolve_url(&format!("__spaces-ship-cache__?src={encoded}{part}"))
}
