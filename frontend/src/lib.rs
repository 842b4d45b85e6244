//! The browser half: hydrates the server-rendered pages.
// The page view types are deep; release builds (without erased components)
// need more room than the default 128.
#![recursion_limit = "512"]

/// Entry point called by the generated JavaScript once the wasm has loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: the router loads a route's wasm chunk before it hydrates
    // that route, so hydration has to wait for it (asynchronously).
    leptos::mount::hydrate_lazy(app::App);
}
