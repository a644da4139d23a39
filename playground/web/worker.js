// The evaluation worker: instantiates the page's own compiled module (sent in the first message with the
// glue's in-memory URL, so replacing a worker makes no network request) and answers requests from its own
// copy of the scenario text, kept in the module (lib.rs worker_set_text, worker_edit) and up to date with
// the editor's changes. Requests of one kind that arrive
// while the worker is busy supersede each other: only the latest is answered.
import { base64url, deflate } from "./share.js";
import { toYaml } from "./yaml.js";
import { render, renderMatrix } from "./draw.js";

let ready = null;
let glue = null; // the module, once instantiated
let scheduled = false;
let synced = false; // the module has the text (from the page or from the worker before this one)
const waiting = []; // edits and hand-overs that came before the text, in order
const queue = new Map();
// The URL fragment's share encoding (the whole text, deflated: 150 ms for a 4 MB fleet, and then the page's
// replaceState of the long URL) is background work: it waits until the worker has been idle this long, so
// it never runs between an answer and the request the user makes next (a tab, a resource). "Copy link" does
// not wait.
const SHARE_IDLE_MS = 500;
let answeredAt = 0; // when the worker last answered another request
const order = ["evaluate", "rows", "explain", "timeline", "draw-lanes", "draw-matrix", "draw-diff", "export", "share"];

function run(m) {
  if (m.kind === "edit") {
    // The editor's changes since the last message, composed (main.js): [from, to, inserted], ascending
    // and disjoint, against the module's text: applied from the end, so the earlier positions hold.
    for (let i = m.changes.length - 1; i >= 0; i--) glue.worker_edit(...m.changes[i]);
  } else if (m.kind === "sync") {
    const bytes = glue.worker_text(); // UTF-8, transferred
    m.port.postMessage(bytes, [bytes.buffer]);
    self.postMessage({ handed: true }); // the page may stop this worker now: the spare has the text
  }
}

function setText(t) {
  glue.worker_set_text(t);
  synced = true;
  for (const m of waiting.splice(0)) run(m);
  self.postMessage({ synced: true });
  schedule();
}

// The answer to `{"share": {"state": {t, g, s, v}, "copy": …}}` (protocol.rs), with this worker's text.
async function encodeShare(json) {
  const { state, copy } = JSON.parse(json).share;
  state.t = new TextDecoder().decode(glue.worker_text());
  const fragment = "v2:" + base64url(await deflate(JSON.stringify(state)));
  return JSON.stringify({ shared: { fragment, copy } });
}

// The module answers an export with the report as compact JSON (the CLI's fields and order); the CLI's
// `-o json` is that JSON indented by 2, and `-o yaml` the same value as YAML.
function formatExport(answer) {
  const a = JSON.parse(answer);
  if (!a.exported) return answer;
  const value = JSON.parse(a.exported.text);
  a.exported.text = a.exported.format === "yaml" ? toYaml(value) : JSON.stringify(value, null, 2) + "\n";
  return JSON.stringify(a);
}

let matrixData = null; // the matrix data of the held evaluation (worker.rs draw "matrix"), until the next one

function drawMatrix(q) {
  const t0 = performance.now();
  if (!matrixData) {
    const d = glue.worker_draw("matrix", "");
    matrixData = d ? JSON.parse(d) : null;
  }
  const t1 = performance.now();
  const answer = renderMatrix(matrixData, q);
  // How long the data (once per evaluation) and the window took, for the browser test's log.
  return answer.replace('{"drawn":{', `{"drawn":{"ms":[${Math.round(t1 - t0)},${Math.round(performance.now() - t1)}],`);
}

function drain() {
  scheduled = false;
  if (!synced) return;
  for (const kind of order) {
    const m = queue.get(kind);
    if (!m) continue;
    const wait = kind === "share" && !JSON.parse(m.json).share.copy ? answeredAt + SHARE_IDLE_MS - performance.now() : 0;
    if (wait > 0) {
      setTimeout(schedule, wait);
      continue;
    }
    queue.delete(kind);
    if (kind === "share") encodeShare(m.json).then((answer) => self.postMessage({ kind, answer }));
    else if (kind === "export") self.postMessage({ kind, answer: formatExport(glue.worker_handle(m.json)) });
    // Pictures: the module computes the data, draw.js the SVG (off the page's thread). The matrix is drawn
    // from the module's data of every resource (kept until the next evaluation): scrolling costs it nothing.
    else if (kind === "draw-matrix") self.postMessage({ kind, answer: drawMatrix(m.json) });
    else if (kind.startsWith("draw-")) self.postMessage({ kind, answer: render(kind.slice(5), glue.worker_draw(kind.slice(5), m.json)) });
    else {
      if (kind === "evaluate") matrixData = null;
      self.postMessage({ kind, answer: glue.worker_handle(m.json) });
    }
    if (kind !== "share") answeredAt = performance.now();
  }
}

function schedule() {
  if (scheduled || !queue.size) return;
  scheduled = true;
  ready.then(() => setTimeout(drain, 0));
}

self.onmessage = (e) => {
  const m = e.data;
  if (m.module) {
    ready = import(m.glue).then(async (g) => {
      await g.default({ module_or_path: m.module });
      glue = g;
    });
    if (typeof m.text === "string") ready.then(() => setText(new TextEncoder().encode(m.text)));
    else m.port.onmessage = (p) => ready.then(() => { if (!synced) setText(p.data); });
    return;
  }
  if (m.kind === "edit" || m.kind === "sync") {
    if (!synced) waiting.push(m);
    else run(m);
    return;
  }
  queue.set(m.kind, m);
  schedule();
};
