//! The karmada-policy playground: paste YAML, see which policy claims each resource, where it lands, the
//! preemption timeline and the reasons. Everything runs in the page; nothing leaves the browser.
//!
//! One wasm module serves two roles. On the page (`start` finds a `window`) it is the Yew app around a
//! CodeMirror editor; in the evaluation worker (no `window`) it only answers [`worker_handle`]. The JavaScript
//! around it (playground/web/: the editor, the worker pool) is bundled with esbuild at build time.

pub mod examples;
#[cfg(test)]
mod fields;
pub mod protocol;
pub mod share;
pub mod state;
pub mod worker;

pub use protocol::{Request, Response};

// Talc instead of Rust's default dlmalloc (as the npm package, wasm/src/lib.rs): smaller in the module.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
pub use worker::Session;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;

#[cfg(target_arch = "wasm32")]
mod wasm_entry {
    use super::*;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static SESSION: RefCell<Session> = RefCell::new(Session::default());
        static TEXT: RefCell<worker::Text> = RefCell::new(worker::Text::default());
    }

    /// The worker's scenario text, UTF-8: the whole of it (from the page, or from the worker before this
    /// one). Bytes, not a string: a new spare gets the 2 MB text as a transferred buffer and a copy, not
    /// through wasm-bindgen's character loop (cold in a new worker: 10 ms before it is ready).
    #[wasm_bindgen]
    pub fn worker_set_text(text: Vec<u8>) {
        TEXT.with(|t| t.borrow_mut().set(String::from_utf8(text).unwrap_or_default()));
    }

    /// One of the editor's changes: UTF-16 range `from..to` replaced with `inserted`.
    #[wasm_bindgen]
    pub fn worker_edit(from: usize, to: usize, inserted: &str) {
        TEXT.with(|t| t.borrow_mut().replace(from, to, inserted));
    }

    /// The worker's scenario text, UTF-8 (for a new spare, and for a share link).
    #[wasm_bindgen]
    pub fn worker_text() -> Vec<u8> {
        TEXT.with(|t| t.borrow().as_str().as_bytes().to_vec())
    }

    /// The page: render the app. In the worker (no window): nothing, requests come through `worker_handle`.
    #[wasm_bindgen(start)]
    pub fn start() {
        if web_sys::window().is_some() {
            app::render();
        }
    }

    /// The worker's pictures: the data of `view` (`lanes`, `diff`) for query `q`, JSON (worker.rs `draw`); web/draw.js
    /// turns it into SVG. No protocol message: the page never parses it.
    #[wasm_bindgen]
    pub fn worker_draw(view: &str, q: &str) -> String {
        SESSION.with(|s| s.borrow().draw(view, q))
    }

    /// The worker's entry: one JSON request, one JSON answer. An evaluation is of the worker's text
    /// ([`worker_set_text`], [`worker_edit`]).
    #[wasm_bindgen]
    pub fn worker_handle(json: &str) -> String {
        let response = match serde_json::from_str::<Request>(json) {
            Ok(mut request) => {
                if let Request::Evaluate { text, .. } = &mut request {
                    *text = TEXT.with(|t| t.borrow().as_str().to_string());
                }
                let started = js_sys::Date::now();
                let mut r = SESSION.with(|s| s.borrow_mut().handle(request));
                if let Response::Evaluated(e) = &mut r {
                    e.core_ms = (js_sys::Date::now() - started).max(0.0) as u32;
                }
                r
            }
            Err(_) => Response::Nothing,
        };
        serde_json::to_string(&response).unwrap_or_default()
    }
}
