// Runs first, in the head. Names the data source on the static loading
// screen, before the app's wasm has arrived (text only: the value comes
// from the address bar), and starts the engine's worker.
function nameSource() {
  var target = document.getElementById('boot-source');
  if (!target) return;
  var params = new URLSearchParams(location.search);
  if (params.has('embed')) {
    var boot = document.getElementById('boot');
    if (boot) boot.querySelector('p').textContent = 'Loading…';
  }
  var data = (params.get('data') || '').trim();
  if (!data) return;
  if (data.toLowerCase() === 'sample') {
    target.textContent = 'Bundled sample (5,000 synthetic Spaces, not real data)';
    return;
  }
  // A short name (no `/`, `.` or `:`) names one of the site's sources.
  if (!/[/.:]/.test(data)) {
    target.textContent = 'the “' + data.slice(0, 40) + '” source';
    return;
  }
  try {
    var url = new URL(data, location.href);
    target.textContent = url.host === location.host ? url.pathname : 'a file on ' + url.host;
  } catch (e) {
    target.textContent = 'the address in this link';
  }
}
// This script runs in the head, before the loading screen is parsed.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', nameSource);
else nameSource();

// Starts the engine's Web Worker now, so its WebAssembly loads beside the
// app's; the app adopts it (src/browser/engine.rs) and replays what it
// said meanwhile. If the browser refuses, the app tries itself and says why.
(function () {
  if (typeof Worker !== 'function') return;
  try {
    var worker = new Worker('engine_start.js');
    var events = [];
    worker.onmessage = function (event) { events.push(event); };
    worker.onerror = function (event) { event.preventDefault(); events.push(event); };
    window.__spacesEngine = { worker: worker, events: events };
  } catch (error) {
    // Reported by the app, which tries again.
  }
})();
