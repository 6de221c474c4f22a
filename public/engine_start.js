// Starts the engine's Web Worker (src/worker): trunk's glue and its wasm. A
// failure to fetch or instantiate the WebAssembly is a rejected promise
// inside the worker, which the page would never hear of: thrown again
// here, it reaches the page as the worker's `error` event.
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  throw new Error(`the engine's WebAssembly did not load (${event.reason})`);
});
// Messages that come while the WebAssembly still loads (the engine asks a
// second engine for work at once) are kept, and src/worker hands them to
// its handler when it starts.
self.__spacesEarly = [];
self.onmessage = (event) => self.__spacesEarly.push(event);
if (self.name === 'spaces-engine-apart') {
  // A second engine (src/worker/apart.rs). The first engine's first
  // message is its compiled WebAssembly, so this one neither fetches nor
  // compiles it (trunk names the glue after the bin, `engine`).
  importScripts('./engine.js');
  self.onmessage = (event) => {
    self.onmessage = (later) => self.__spacesEarly.push(later);
    wasm_bindgen({ module_or_path: event.data.module || './engine_bg.wasm' });
  };
} else {
  // The WebAssembly's download starts before its glue is read (a
  // synchronous import), so the two no longer wait on each other.
  const wasm = fetch('./engine_bg.wasm');
  importScripts('./engine.js');
  wasm_bindgen({ module_or_path: wasm });
}
