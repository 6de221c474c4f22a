//! Downloads the Parquet file with progress.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Bytes received so far and, when the server says, the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
}

/// A downloaded file and what the server said about it.
pub struct Download {
    pub bytes: Vec<u8>,
    pub last_modified: Option<String>,
}

/// Fetches `url` whole, calling `on_progress` as chunks arrive. Errors are
/// sentences for the page.
pub async fn fetch_with_progress(
    url: &str,
    mut on_progress: impl FnMut(Progress),
) -> Result<Download, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| network_message(url, &e.to_string()))?;
    if !response.ok() {
        return Err(format!(
            "The server answered {} {} for {url}.",
            response.status(),
            response.status_text()
        ));
    }
    let headers = response.headers();
    // Content-Length can be absent (redirects, compression): then progress
    // counts bytes without a total.
    let total = headers
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&n| n > 0);
    let last_modified = headers.get("last-modified");
    let mut bytes: Vec<u8> = Vec::with_capacity(total.unwrap_or(0).min(1 << 30) as usize);
    let mut progress = Progress { received: 0, total };
    on_progress(progress);
    let Some(body) = response.body() else {
        return Ok(Download {
            bytes,
            last_modified,
        });
    };
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| "The browser could not read the download stream.".to_string())?;
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
        let start = bytes.len();
        bytes.resize(start + array.length() as usize, 0);
        array.copy_to(&mut bytes[start..]);
        progress.received = bytes.len() as u64;
        on_progress(progress);
    }
    Ok(Download {
        bytes,
        last_modified,
    })
}

fn network_message(url: &str, detail: &str) -> String {
    format!(
        "Could not download {url}: the network request failed ({detail}). \
         The host may be unreachable or may not allow this page to read it (CORS)."
    )
}
