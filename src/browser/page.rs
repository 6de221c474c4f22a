//! The page itself: its URL and history, its Content-Security-Policy, the
//! frame it sits in, the clipboard, downloads, and yielding to its event
//! loop.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::thread::LocalKey;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::url::space::SpaceId;

/// The page's query string without the leading `?`.
pub fn query_string() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page's own `host[:port]`, to tell same-origin data from foreign hosts.
pub fn host() -> String {
    web_sys::window()
        .and_then(|w| w.location().host().ok())
        .unwrap_or_default()
}

/// Adds a Content-Security-Policy `<meta>` to the head. Policies only add
/// up (every one must allow a request), so this narrows the page's static
/// policy; index.html explains why the static one is wider.
pub fn add_policy(policy: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(head), Ok(meta)) = (document.head(), document.create_element("meta")) else {
        return;
    };
    let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
    let _ = meta.set_attribute("content", policy);
    let _ = head.append_child(&meta);
}

/// Whether a consent button here is one the visitor sees and means to
/// click: the page is the top-level window, or the Hub's Space page frames
/// it directly. Any other framer could lay it, nearly transparent, over a
/// decoy button (clickjacking). When unsure (a browser without
/// `location.ancestorOrigins`, a deeper chain of frames), no.
pub fn may_ask_consent() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if window.top().ok().flatten().is_some_and(|top| top == window) {
        return true;
    }
    let ancestors = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|list| !list.is_undefined() && !list.is_null())
        .map(|list| js_sys::Array::from(&list));
    ancestors.is_some_and(|list| {
        list.length() == 1 && list.get(0).as_string().as_deref() == Some("https://huggingface.co")
    })
}

/// Puts `query` in the address bar without a reload: a new history entry
/// when `push` (so Back returns to the previous view), else in place. It
/// also tells the Hub's Space page (when it frames us) so its own address
/// stays shareable (README, "Inside a Space").
///
/// In place (typing) waits for the next frame: written in the keystroke's
/// own event, the history entry and the message were most of the page's
/// work for it (about 1 ms, up to 7), which the next frame waited for, and
/// the keys typed before a frame now rewrite the address once. A new entry
/// is written at once, so that Back, however soon, undoes just that step.
pub fn set_query(query: String, push: bool) {
    if push {
        // The entry being left first gets what was typed in it.
        write_waiting_address();
        write_query(&query, true);
        return;
    }
    let already_waiting =
        ADDRESS_TO_WRITE.with_borrow_mut(|waiting| waiting.replace(query).is_some());
    if !already_waiting {
        wasm_bindgen_futures::spawn_local(async {
            after_next_frame().await;
            write_waiting_address();
        });
    }
}

thread_local! {
    /// The address [`set_query`] writes in place after the frame.
    static ADDRESS_TO_WRITE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Drops the address not yet written: Back or Forward chose another
/// entry, which it must not overwrite (the words typed in the frame before
/// are not kept in the entry left).
pub fn forget_waiting_address() {
    ADDRESS_TO_WRITE.take();
}

fn write_waiting_address() {
    if let Some(query) = ADDRESS_TO_WRITE.take() {
        write_query(&query, false);
    }
}

fn write_query(query: &str, push: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let search = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let hash = window.location().hash().unwrap_or_default();
    let path = window.location().pathname().unwrap_or_default();
    if window.location().search().unwrap_or_default() == search {
        return;
    }
    if let Ok(history) = window.history() {
        let url = format!("{path}{search}{hash}");
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
    tell_parent(&window, &search, &hash);
}

/// Tells the Hub's Space page (when it frames us) the address we show.
fn tell_parent(window: &web_sys::Window, search: &str, hash: &str) {
    let framed = window.parent().ok().flatten().is_some_and(|p| p != *window);
    if framed {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"queryString".into(), &search.into());
        let _ = js_sys::Reflect::set(&message, &"hash".into(), &hash.into());
        if let Ok(Some(parent)) = window.parent() {
            // The target origin makes the browser drop it for any other framer.
            let _ = parent.post_message(&message, "https://huggingface.co");
        }
    }
}

/// Opens the app again at `query`, as a new page: another data source
/// starts from a clean slate (its own consent, policy and load), and Back
/// returns to the address before, with the source it had. The Hub's Space
/// page hears the new address first, as with [`set_query`].
pub fn navigate(query: &str) {
    write_waiting_address();
    let Some(window) = web_sys::window() else {
        return;
    };
    let search = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    tell_parent(&window, &search, &hash);
    let _ = location.assign(&format!("{path}{search}{hash}"));
}

/// Absolute URL of `relative` against the page (so `sample.parquet` works
/// under any sub-path the app is served from).
pub fn resolve_url(relative: &str) -> String {
    let base = super::global::global()
        .and_then(|g| g.href())
        .unwrap_or_default();
    web_sys::Url::new_with_base(relative, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| relative.to_string())
}

/// Lets the browser paint and handle input before the next chunk of work.
/// A message to ourselves rather than `setTimeout(0)`, which browsers clamp
/// to 4 ms once timeouts nest: sixteen decode steps would wait ~60 ms.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(channel) => {
                channel.port1().set_onmessage(Some(&resolve));
                let _ = channel.port2().post_message(&JsValue::UNDEFINED);
            }
            Err(_) => {
                if let Some(window) = web_sys::window() {
                    let _ =
                        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
                }
            }
        },
    );
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Jobs waiting for a task of their own each, in the order queued.
struct TaskQueue {
    jobs: RefCell<VecDeque<Box<dyn FnOnce()>>>,
    running: Cell<bool>,
    /// Whether each job waits for a frame first, not just a task.
    after_frame: bool,
}

impl TaskQueue {
    const fn new(after_frame: bool) -> Self {
        Self {
            jobs: RefCell::new(VecDeque::new()),
            running: Cell::new(false),
            after_frame,
        }
    }
}

thread_local! {
    static AFTER_FRAME_JOBS: TaskQueue = const { TaskQueue::new(true) };
    static NEXT_TASK_JOBS: TaskQueue = const { TaskQueue::new(false) };
}

/// Runs `job` in a task of its own after the browser's next frame, after
/// the jobs queued before it. A yield each is not enough: Chromium may
/// deliver several yields' messages in one task, and a dozen charts drawn
/// at once held the page for over 200 ms. After a frame: what the last
/// job left for the next frame (a chart's rendering) runs in that frame,
/// not beside the next job.
pub fn in_own_task(job: impl FnOnce() + 'static) {
    run_queued(&AFTER_FRAME_JOBS, Box::new(job));
}

/// Runs `job` in a task of its own, after the jobs queued before it, as
/// soon as the browser allows: before the next frame, unless one is due.
pub fn in_next_task(job: impl FnOnce() + 'static) {
    run_queued(&NEXT_TASK_JOBS, Box::new(job));
}

fn run_queued(queue: &'static LocalKey<TaskQueue>, job: Box<dyn FnOnce()>) {
    queue.with(|q| q.jobs.borrow_mut().push_back(job));
    if queue.with(|q| q.running.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            if queue.with(|q| q.after_frame) {
                after_next_frame().await;
            } else {
                yield_to_browser().await;
            }
            match queue.with(|q| q.jobs.borrow_mut().pop_front()) {
                Some(job) => job(),
                None => break,
            }
        }
        queue.with(|q| q.running.set(false));
    });
}

/// Waits for a task of its own after the browser's next frame (not in the
/// frame's own callbacks, which the frame's paint waits for).
async fn after_next_frame() {
    next_frame().await;
    yield_to_browser().await;
}

/// Waits for the browser's next animation frame (at once where there is
/// none, as in a worker).
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| match super::global::window() {
        Some(window) => {
            let _ = window.request_animation_frame(&resolve);
        }
        None => {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits `millis` milliseconds.
pub async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(global) = super::global::global() {
            global.set_timeout(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen]
extern "C" {
    /// Lets tests and the console see why a load failed.
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub fn console_warn(message: &str);

    /// Notes for the curious (a fallback taken), not warnings.
    #[wasm_bindgen(js_namespace = console, js_name = info)]
    pub fn console_info(message: &str);
}

/// The page's address, for the copy-link and embed actions.
pub fn current_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Copies `text` to the clipboard. `true` only once the browser says it
/// did: a frame without clipboard permission, an insecure page or a
/// browser without the API refuses, and the caller must offer another way.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The page's address without its query and fragment (`https://host/path`).
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let location = w.location();
            Some(format!(
                "{}{}",
                location.origin().ok()?,
                location.pathname().ok()?
            ))
        })
        .unwrap_or_default()
}

/// The Space the app runs in: `window.huggingface.variables.SPACE_ID`,
/// which the Hub gives static Spaces, else the
/// `<meta name="spaces-ship-space-id">` that `scripts/deploy.sh --space`
/// writes. Either is used only if it validates; otherwise `None`, and links
/// keep the page's own address.
pub fn space_id() -> Option<SpaceId> {
    let window = web_sys::window()?;
    let from_host = js_sys::Reflect::get(&window, &"huggingface".into())
        .ok()
        .filter(|v| v.is_object())
        .and_then(|hf| js_sys::Reflect::get(&hf, &"variables".into()).ok())
        .filter(|v| v.is_object())
        .and_then(|vars| js_sys::Reflect::get(&vars, &"SPACE_ID".into()).ok())
        .and_then(|id| id.as_string())
        .and_then(|id| SpaceId::parse(&id));
    from_host.or_else(|| {
        window
            .document()?
            .query_selector("meta[name=\"spaces-ship-space-id\"]")
            .ok()??
            .get_attribute("content")
            .and_then(|id| SpaceId::parse(&id))
    })
}

/// Offers `blob` as a file download named `file_name`.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a") {
        let _ = anchor.set_attribute("href", &url);
        let _ = anchor.set_attribute("download", file_name);
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlElement>() {
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// Whether the window is wider than a phone (the CSS breakpoint).
pub fn is_wide() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_none_or(|w| w > 760.0)
}
