//! Small text files beside the page (the deployment's `sources.json`):
//! fetched with a size cap and a deadline, because the first data request
//! may be waiting on them.

use futures::future::{select, Either};
use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::page;

/// Fetches `relative` (resolved against the page, like `sample.parquet`).
/// `Ok(None)` when the server has no such file (404 or 410: nothing to
/// say), `Ok(Some(text))` when it answered, cut just past `max_bytes`
/// (the caller refuses a text that long, and nothing more is read), and
/// `Err` with the reason, as a clause, when it failed or took longer than
/// `timeout_ms`.
pub async fn fetch_text(
    relative: &str,
    max_bytes: usize,
    timeout_ms: i32,
) -> Result<Option<String>, String> {
    let url = page::resolve_url(relative);
    let request = Box::pin(get(&url, max_bytes));
    let outcome = match select(request, Box::pin(page::sleep(timeout_ms))).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(format!(
            "it did not arrive within {} seconds",
            timeout_ms / 1000
        )),
    };
    outcome
}

async fn get(url: &str, max_bytes: usize) -> Result<Option<String>, String> {
    let failed = |e: wasm_bindgen::JsValue| format!("it could not be fetched ({e:?})");
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    // Revalidated every time: a deployment changes its list without a
    // rebuild, and a heuristically cached copy would hide the change.
    let _ = js_sys::Reflect::set(&init, &"cache".into(), &"no-cache".into());
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(failed)?;
    let response = Request::from(request)
        .send()
        .await
        .map_err(|e| format!("it could not be fetched ({e})"))?;
    match response.status() {
        404 | 410 => return Ok(None),
        200 => {}
        status => return Err(format!("the server answered {status}")),
    }
    let Some(body) = response.body() else {
        return Ok(Some(String::new()));
    };
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| "the browser could not read it".to_string())?;
    let mut bytes = Vec::new();
    while bytes.len() <= max_bytes {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(Some(String::from_utf8_lossy(&bytes).into_owned()));
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(failed)?;
        let array = js_sys::Uint8Array::new(&value);
        let take = (max_bytes + 1 - bytes.len()).min(array.length() as usize);
        bytes.extend_from_slice(&array.subarray(0, take as u32).to_vec());
    }
    // Past the cap: the rest is never read.
    let _ = reader.cancel();
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}
