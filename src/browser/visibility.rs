//! When an element first comes near the screen (IntersectionObserver), so
//! the Overview computes and draws a card only once someone may see it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How far outside the viewport counts as near: half a screen below it, so
/// a card scrolling in is usually drawn before it arrives, while the first
/// render draws little more than what is on screen.
const NEAR: &str = "0px 0px 50% 0px";

thread_local! {
    /// Elements observed whose first report (near or not) has not come:
    /// until it does, the page does not know which cards to draw, so the
    /// first render is not over.
    static UNREPORTED: Cell<usize> = const { Cell::new(0) };
}

/// Observed elements not yet reported near or far (see `UNREPORTED`).
pub fn unreported() -> usize {
    UNREPORTED.with(Cell::get)
}

/// A callback to run at most once, shared by the observer and the fallback.
type Once = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// Watches one element until it comes near; dropping it stops watching.
pub struct NearWatch {
    observer: Option<web_sys::IntersectionObserver>,
    _callback: Option<Closure<dyn FnMut(js_sys::Array)>>,
    /// Whether the first report came (or no longer will).
    reported: Rc<Cell<bool>>,
}

/// The first report of one watch: it no longer holds the first render.
fn count_reported(reported: &Cell<bool>) {
    if !reported.replace(true) {
        UNREPORTED.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

impl Drop for NearWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        count_reported(&self.reported);
    }
}

/// Calls `near` once, when `element` first comes within a screen of the
/// viewport; at once where the browser has no IntersectionObserver (then
/// everything counts as near, as it did before the Overview went lazy).
pub fn when_near(element: &web_sys::Element, near: impl FnOnce() + 'static) -> NearWatch {
    let near: Once = Rc::new(RefCell::new(Some(Box::new(near))));
    let call = {
        let near = Rc::clone(&near);
        move || {
            let once = near.borrow_mut().take();
            if let Some(once) = once {
                once();
            }
        }
    };
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(NEAR);
    let on_change = call.clone();
    let reported = Rc::new(Cell::new(false));
    let first_report = Rc::clone(&reported);
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        count_reported(&first_report);
        let arrived = entries.iter().any(|entry| {
            entry
                .dyn_into::<web_sys::IntersectionObserverEntry>()
                .is_ok_and(|e| e.is_intersecting())
        });
        if arrived {
            on_change();
        }
    });
    let observer = web_sys::IntersectionObserver::new_with_options(
        callback.as_ref().unchecked_ref(),
        &options,
    );
    match observer {
        Ok(observer) => {
            UNREPORTED.with(|n| n.set(n.get() + 1));
            observer.observe(element);
            NearWatch {
                observer: Some(observer),
                _callback: Some(callback),
                reported,
            }
        }
        Err(_) => {
            reported.set(true);
            call();
            NearWatch {
                observer: None,
                _callback: None,
                reported,
            }
        }
    }
}
