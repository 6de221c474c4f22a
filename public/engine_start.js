// Starts the engine's Web Worker (src/worker) through trunk's loader. A
// failure to fetch or instantiate the WebAssembly is a rejected promise
// inside the worker, which the page would never hear of: thrown again
// here, it reaches the page as the worker's `error` event.
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  throw new Error(`the engine's WebAssembly did not load (${event.reason})`);
});
importScripts('./engine_loader.js');
