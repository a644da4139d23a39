// The playground's JavaScript, bundled by esbuild at build time (scripts/build-playground.sh; no CDN):
// the CodeMirror 6 editor, the evaluation worker pool, and the boot sequence. The Yew app (wasm) calls the
// functions of `globalThis.kp`.
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter,
  highlightActiveLine, hoverTooltip,
} from "@codemirror/view";
import { EditorState, Compartment, ChangeSet } from "@codemirror/state";
import {
  history, historyKeymap, indentWithTab, insertNewlineAndIndent, deleteCharBackward, deleteCharForward,
  selectAll, cursorCharLeft, cursorCharRight, cursorLineUp, cursorLineDown, selectCharLeft, selectCharRight,
  selectLineUp, selectLineDown, cursorLineBoundaryBackward, cursorLineBoundaryForward, selectLineBoundaryBackward,
  selectLineBoundaryForward, cursorDocStart, cursorDocEnd, selectDocStart, selectDocEnd, cursorPageUp,
  cursorPageDown, cursorGroupLeft, cursorGroupRight, deleteGroupBackward,
} from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { syntaxHighlighting, indentOnInput, bracketMatching } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { classHighlighter } from "@lezer/highlight";
import { unbase64url, inflate } from "./share.js";
import { funnelHtml } from "./draw.js";
import { fieldAt, describe } from "./fieldpath.js";
import FIELDS from "./fields.json";

// CodeMirror's basicSetup without autocompletion, search, folding and drawn selections (the page's 500 KB budget:
// the engine comes first).
const setup = [
  lineNumbers(), highlightActiveLineGutter(), history(),
  indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(),
  // The editing keys a YAML editor needs (CodeMirror's defaultKeymap binds every command it has: 7 KB gzip).
  keymap.of([
    indentWithTab, ...closeBracketsKeymap, ...historyKeymap, ...lintKeymap,
    { key: "Enter", run: insertNewlineAndIndent },
    { key: "Backspace", run: deleteCharBackward, shift: deleteCharBackward },
    { key: "Delete", run: deleteCharForward },
    { key: "Mod-Backspace", run: deleteGroupBackward },
    { key: "Mod-a", run: selectAll },
    { key: "ArrowLeft", run: cursorCharLeft, shift: selectCharLeft },
    { key: "ArrowRight", run: cursorCharRight, shift: selectCharRight },
    { key: "Mod-ArrowLeft", run: cursorGroupLeft },
    { key: "Mod-ArrowRight", run: cursorGroupRight },
    { key: "ArrowUp", run: cursorLineUp, shift: selectLineUp },
    { key: "ArrowDown", run: cursorLineDown, shift: selectLineDown },
    { key: "Home", run: cursorLineBoundaryBackward, shift: selectLineBoundaryBackward },
    { key: "End", run: cursorLineBoundaryForward, shift: selectLineBoundaryForward },
    { key: "Mod-Home", run: cursorDocStart, shift: selectDocStart },
    { key: "Mod-End", run: cursorDocEnd, shift: selectDocEnd },
    { key: "PageUp", run: cursorPageUp },
    { key: "PageDown", run: cursorPageDown },
  ]),
];

const AUTOSAVE_KEY = "karmada-policy:scenario";
// Larger texts are not autosaved (a synchronous multi-MB localStorage write would stall the page); the URL
// fragment still carries them.
const AUTOSAVE_LIMIT = 1 << 20;
// Past this size the YAML grammar is switched off: Lezer re-parses an indentation-sensitive 2 MB stream in
// 100 ms slices on the page's thread, which would make typing in a bench fleet stutter. Markers, line
// numbers and undo stay.
const HIGHLIGHT_LIMIT = 256 * 1024;
const language = new Compartment();
const languageFor = (length) => (length > HIGHLIGHT_LIMIT ? [] : [yaml(), syntaxHighlighting(classHighlighter)]);
let view = null;

// 1-based line and UTF-16 column (what the core reports) -> document offset (CodeMirror counts UTF-16 too).
function offset(doc, line, col) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  return Math.min(l.from + Math.max(col - 1, 0), l.to);
}

function range(doc, d) {
  let from = offset(doc, d.line, d.col);
  let to = d.end_line ? offset(doc, d.end_line, d.end_col) : from;
  if (to < from) [from, to] = [to, from];
  if (to === from) to = Math.max(doc.lineAt(from).to, Math.min(from + 1, doc.length));
  // An error at the very end (an unclosed flow collection): mark the last character, a visible range.
  if (to === from && from > 0) from -= 1;
  return { from, to };
}

// The field hover: what a key of a Karmada policy or Cluster document is, from web/fields.json (written from
// the evaluator's own decoders, playground/src/fields.rs): its path, type, whether it is required, and the
// fields of an object. The key under the pointer and its path (block and flow mappings, quoted keys) are
// found by web/fieldpath.js, the kind from the document's `kind:`.
const fieldHover = hoverTooltip((view, pos) => {
  const f = fieldAt(view.state.doc, pos);
  const text = f && describe(FIELDS, f.kind, f.path);
  if (!text) return null;
  return {
    pos: f.from,
    end: f.to,
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-kp-field";
      dom.textContent = text;
      return { dom };
    },
  };
});

function save() {
  try {
    localStorage.setItem(AUTOSAVE_KEY, view.state.doc.toString());
  } catch {
    // Over the quota (a fleet of several MB): the URL fragment still carries the text.
  }
}

// The worker pool: an active worker and a warm spare, both from in-memory URLs (no network request when a
// worker is replaced). A new evaluation while one is running replaces the active worker with the spare.
//
// The workers keep their own copy of the text, updated with the editor's changes (a keystroke in a 2 MB
// fleet sends a few bytes, not the document: copying it on every edit cost the page 20-80 ms of string
// building and garbage collection). A new spare gets the text from the active worker through a
// MessageChannel, off this thread.
//
// The changes since the last message are composed into one ChangeSet (against the workers' text), so a
// worker rebuilds its text once per message: applying 40 typed characters one by one re-copied the 2 MB
// string 40 times (40 ms in each worker, before the evaluation could start).
let unsent = null;
const SUPERSEDE_MS = 100;

class Pool {
  constructor(module, glue, workerUrl) {
    this.module = module;
    this.glue = glue;
    this.url = workerUrl;
    this.outstanding = new Map(); // kind -> the latest request not answered yet
    this.busy = false; // the active worker is evaluating
    this.stale = false; // ... an older text: the latest evaluation waits to be posted
    this.listener = null;
    this.early = [];
    this.restarts = 0;
    this.lastSupersede = -Infinity;
    this.timer = null;
    this.active = this.spawn(null);
    this.spare = this.spawn(null);
  }
  // `from`: the (synced) worker that hands its text over; null: start from the empty text.
  spawn(from) {
    const w = new Worker(this.url, { type: "module", name: "karmada-policy evaluation" });
    w.synced = false;
    w.onmessage = (e) => {
      if (e.data.handed) {
        w.handed = true;
        return;
      }
      if (e.data.synced) {
        w.synced = true;
        if (w === this.spare) this.supersede();
        return;
      }
      if (w !== this.active) return;
      const { kind, answer } = e.data;
      if (kind === "evaluate" && this.stale) {
        // Answered an older text: the newer request goes now, this answer is dropped by the app anyway.
        this.stale = false;
        this.active.postMessage(this.outstanding.get("evaluate"));
      } else {
        if (kind === "evaluate") this.busy = false;
        this.outstanding.delete(kind);
      }
      // Pictures go straight into their place (draw.js drew them in the worker); the app never parses them.
      if (kind.startsWith("draw-")) place(answer);
      else if (this.listener) this.listener(answer);
      else this.early.push(answer);
    };
    w.onerror = () => {
      if (w !== this.active) return;
      this.stale = true;
      this.supersede();
    };
    if (from) {
      const channel = new MessageChannel();
      from.postMessage({ kind: "sync", port: channel.port1 }, [channel.port1]);
      w.postMessage({ module: this.module, glue: this.glue, port: channel.port2 }, [channel.port2]);
    } else {
      w.postMessage({ module: this.module, glue: this.glue, text: "" });
    }
    return w;
  }
  send() {
    if (!unsent || unsent.empty) return;
    // [fromA, toA, inserted], ascending and disjoint, against the workers' text.
    const changes = [];
    unsent.iterChanges((fromA, toA, _fromB, _toB, inserted) => changes.push([fromA, toA, inserted.toString()]));
    const m = { kind: "edit", changes };
    unsent = null;
    this.active.postMessage(m);
    this.spare.postMessage(m);
  }
  // The running evaluation is for an older text: drop that worker, promote the spare once it has the
  // text (it tells), hand it the pending requests.
  supersede() {
    if (!this.stale) return;
    // Until the spare can take over, the active worker evaluates a text that is gone: its answer would be
    // dropped. It stops now (once it has handed the spare its text), so the spare boots and this thread
    // types on the core it held.
    if (this.active.handed || this.spare.synced) this.active.terminate();
    // Edits since the waiting evaluation was posted: its text is gone too, and the app posts the newer one
    // after its hold (app.rs), which then takes the spare. Promoting it now would boot a worker for an
    // answer the app drops, and the burst's last evaluation would wait for that boot.
    if (!this.spare.synced || (unsent && !unsent.empty)) return;
    // At most one replacement per SUPERSEDE_MS: booting workers on every keystroke competes with this
    // thread for the CPU (2 cores: one evaluates) and makes typing stutter. Not longer than a burst's
    // coalescing window plus a key's interval (app.rs): 150 ms held a burst's last evaluation back ~30 ms.
    const wait = this.lastSupersede + SUPERSEDE_MS - performance.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.supersede(), wait);
      return;
    }
    this.lastSupersede = performance.now();
    this.stale = false;
    this.active.terminate();
    this.active = this.spare;
    this.spare = this.spawn(this.active);
    this.restarts++;
    for (const m of this.outstanding.values()) this.active.postMessage(m);
    this.busy = this.outstanding.has("evaluate");
  }
  post(kind, json) {
    this.send();
    const m = { kind, json };
    this.outstanding.set(kind, m);
    if (kind === "evaluate" && this.busy) {
      this.stale = true;
      this.supersede();
      return;
    }
    if (kind === "evaluate") this.busy = true;
    this.active.postMessage(m);
  }
}

// The pictures (web/draw.js). The placement matrix keeps its own query here: grouping, zoom, filters and the
// first row of the window drawn; the page scrolls over an SVG as tall as every row and asks the worker for
// the window in view (ROW_H as in draw.js).
const ROW_H = 20;
const mq = { filter: "", group: "auto", zoom: "", errors: false, cluster: "", offset: 0, sort: "name" };
const escHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
let matrixClusters = null;

function postMatrix() {
  const q = [mq.filter, mq.group, mq.zoom, mq.errors ? "1" : "0", mq.cluster, mq.offset, mq.sort].join("\t");
  const host = document.getElementById("draw-matrix");
  if (host) host.dataset.requested = performance.now();
  kp.pool.post("draw-matrix", q);
}

function resetMatrix() {
  mq.offset = 0;
  const s = document.getElementById("matrix-scroll");
  if (s) s.scrollTop = 0;
  postMatrix();
}

function matrixHost(host) {
  if (host.firstChild) return;
  matrixClusters = null;
  const groups = [["auto", "auto (by policy above 500)"], ["none", "none"], ["policy", "by policy"], ["namespace", "by namespace"]];
  host.innerHTML = `<div class="table-tools"><label>Group <select id="m-group">${groups
    .map(([v, l]) => `<option value="${v}"${mq.group === v ? " selected" : ""}>${l}</option>`)
    .join("")}</select></label> <label>Sort <select id="m-sort">${[["name", "by name"], ["policy", "by policy"], ["errors", "errors first"], ["replicas", "most replicas"]]
    .map(([v, l]) => `<option value="${v}"${mq.sort === v ? " selected" : ""}>${l}</option>`)
    .join("")}</select></label> <label>Cluster <select id="m-cluster"></select></label> <label><input id="m-errors" type="checkbox"${
    mq.errors ? " checked" : ""
  }> errors only</label> <span id="m-zoom"></span> <span class="count" id="matrix-count"></span></div><div class="matrix-scroll" id="matrix-scroll" tabindex="0" role="region" aria-label="Placement matrix (scrolls)"><div class="mhead-wrap" id="m-head"></div><div class="mwin" id="m-win"></div></div><div id="m-legend"></div>`;
  const scroll = host.querySelector("#matrix-scroll");
  scroll.addEventListener(
    "scroll",
    () => {
      // Windows start 20 rows above the view, at multiples of 20 rows: one request per 20 rows scrolled.
      const offset = Math.floor(Math.max(0, Math.floor(scroll.scrollTop / ROW_H) - 20) / 20) * 20;
      if (offset !== mq.offset) {
        mq.offset = offset;
        postMatrix();
      }
    },
    { passive: true },
  );
  // A cell's title (draw.js cellPaths): the one under the pointer, into its path's <title>.
  scroll.addEventListener(
    "pointermove",
    (e) => {
      const p = e.target.closest?.("path.cell");
      if (!p) return;
      const svg = p.ownerSVGElement;
      const x = e.clientX - svg.getBoundingClientRect().left;
      const w = Number(svg.dataset.cell);
      const i = p.dataset.x.split(",").findIndex((left) => x >= Number(left) - 1 && x < Number(left) + w + 1);
      if (i < 0) return;
      const title = p.firstElementChild ?? p.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "title"));
      const text = p.dataset.t.split("\n")[i];
      if (title.textContent !== text) title.textContent = text;
    },
    { passive: true },
  );
  host.addEventListener("change", (e) => {
    const t = e.target;
    if (t.id === "m-group") [mq.group, mq.zoom] = [t.value, ""];
    else if (t.id === "m-cluster") mq.cluster = t.value;
    else if (t.id === "m-sort") mq.sort = t.value;
    else if (t.id === "m-errors") mq.errors = t.checked;
    else return;
    resetMatrix();
  });
  host.addEventListener("click", (e) => {
    if (e.target.id === "m-unzoom") {
      mq.zoom = "";
      return resetMatrix();
    }
    const key = e.target.closest?.("[data-key]")?.getAttribute("data-key");
    if (!key) return;
    if (key.startsWith("group:")) {
      mq.zoom = key.slice(6);
      resetMatrix();
    } else kp.onPick?.(key);
  });
}

// The step diff's button is drawn with the lanes.
document.addEventListener("click", (e) => {
  if (e.target.id !== "diff-go") return;
  const v = (id) => document.getElementById(id)?.value ?? "";
  kp.pool.post("draw-diff", `${v("diff-from")}\t${v("diff-to")}`);
});

// The window's chunks into the matrix's one SVG, as tall as every row: chunks of the same rows (`gen`) that
// the page has stay, the ones that left the window go, the new ones are parsed into their place in row
// order. Scrolling by a screen parses a chunk or two, not the window (a window's markup cost a slow
// machine 15-25 ms a frame to parse and lay out).
function placeChunks(win, out) {
  let svg = win.firstElementChild;
  if (!svg || svg.dataset.gen !== out.gen) {
    win.innerHTML = `<svg class="matrix" id="matrix-svg" role="img" aria-labelledby="matrix-t" data-gen="${out.gen}"><title id="matrix-t"></title></svg>`;
    svg = win.firstElementChild;
  }
  const size = [String(out.width), String(out.height), `0 0 ${out.width} ${out.height}`, String(out.cell)];
  ["width", "height", "viewBox", "data-cell"].forEach((a, i) => svg.getAttribute(a) !== size[i] && svg.setAttribute(a, size[i]));
  if (svg.firstElementChild.textContent !== out.title) svg.firstElementChild.textContent = out.title;
  const wanted = new Map(out.chunks);
  const have = new Map();
  for (const g of [...svg.children].slice(1)) {
    if (wanted.has(Number(g.dataset.chunk))) have.set(Number(g.dataset.chunk), g);
    else g.remove();
  }
  let next = null; // the first kept chunk after the one placed, walking down from the last
  for (const [k, markup] of [...out.chunks].reverse()) {
    if (have.has(k)) next = have.get(k);
    else if (next) {
      next.insertAdjacentHTML("beforebegin", markup);
      next = next.previousElementSibling;
    } else {
      svg.insertAdjacentHTML("beforeend", markup);
      next = svg.lastElementChild;
    }
  }
}

function place(answer) {
  const { view, out, ms } = JSON.parse(answer).drawn;
  const host = document.getElementById("draw-" + view);
  if (!host) return;
  if (view !== "matrix") {
    host.innerHTML = out;
    return;
  }
  if (!out) return;
  // Put in place at the start of the next frame, the latest window of the answers that came before it:
  // parsed just before the frame's layout rather than whenever the worker answered (a window parsed late
  // in a frame pushed that frame past its vsync while the view scrolled).
  const first = !matrixPending;
  matrixPending = [host, out, ms];
  if (first)
    requestAnimationFrame(() => {
      const p = matrixPending;
      matrixPending = null;
      placeMatrix(...p);
    });
}

let matrixPending = null; // [host, out, ms]: the matrix window waiting for the next frame

function placeMatrix(host, out, ms) {
  matrixHost(host);
  const $ = (id) => host.querySelector("#" + id);
  const sig = out.clusters.join("\n");
  if (sig !== matrixClusters) {
    matrixClusters = sig;
    $("m-head").innerHTML = out.head;
    $("m-cluster").innerHTML =
      '<option value="">all</option>' +
      out.clusters.map((c) => `<option${c === mq.cluster ? " selected" : ""}>${escHtml(c)}</option>`).join("");
  }
  placeChunks($("m-win"), out);
  // Unchanged parts are not laid out again. The last value written is kept on the element: reading
  // innerHTML back serializes it, and not always to the string that was written.
  const set = (el, k, v) => el["_" + k] !== v && (el[k] = el["_" + k] = v);
  set($("m-legend"), "innerHTML", out.legend);
  set($("matrix-count"), "textContent", `${out.total} ${out.grouped ? "groups (click one to zoom in)" : "resources"} × ${out.clusters.length} clusters · the Resources tab's filter applies`);
  set($("m-zoom"), "innerHTML", mq.zoom ? `group ${escHtml(mq.zoom)} <button id="m-unzoom">← all groups</button>` : "");
  host.dataset.drawn = performance.now();
  host.dataset.ms = ms; // worker time: [data, window]
}

const kp = {
  drawMatrix(filter) {
    if (filter !== mq.filter) [mq.filter, mq.zoom, mq.offset] = [filter, "", 0];
    if (!document.getElementById("draw-matrix")?.firstChild) mq.offset = 0; // a fresh view starts at the top
    postMatrix();
  },
  pickListen(cb) {
    kp.onPick = cb;
  },
  drawFunnel(json) {
    const host = document.getElementById("draw-funnel");
    if (host) host.innerHTML = funnelHtml(json);
  },
  editorCreate(parent, text, autosave, onChange) {
    let timer = null;
    unsent = ChangeSet.of({ from: 0, insert: text }, 0); // the workers start from the empty text
    view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          setup,
          language.of(languageFor(text.length)),
          lintGutter(),
          fieldHover,
          EditorView.contentAttributes.of({
            "aria-label": "Scenario YAML: Clusters, (Cluster)PropagationPolicies and resource templates",
            tabindex: "0",
          }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            unsent = unsent ? unsent.compose(u.changes) : u.changes;
            const big = u.state.doc.length > HIGHLIGHT_LIMIT;
            if (big !== u.startState.doc.length > HIGHLIGHT_LIMIT) {
              queueMicrotask(() => view.dispatch({ effects: language.reconfigure(languageFor(u.state.doc.length)) }));
            }
            onChange();
            if (autosave && u.state.doc.length <= AUTOSAVE_LIMIT) {
              clearTimeout(timer);
              timer = setTimeout(save, 800);
            }
          }),
        ],
      }),
    });
    kp.view = view;
  },
  editorText: () => view.state.doc.toString(),
  editorLength: () => view.state.doc.length,
  editorSetText(text) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true });
  },
  editorDiagnostics(json, stale) {
    const doc = view.state.doc;
    const list = JSON.parse(json)
      .filter((d) => d.line > 0)
      .map((d) => ({
        ...range(doc, d),
        severity: d.severity,
        source: d.code,
        message: d.message + (d.help ? `\nhelp: ${d.help}` : ""),
        renderMessage() {
          const el = document.createElement("div");
          el.className = "cm-kp-message";
          const m = document.createElement("div");
          m.textContent = `${d.severity}[${d.code}] ${d.message}`;
          el.append(m);
          if (d.help) {
            const h = document.createElement("div");
            h.className = "cm-kp-help";
            h.textContent = `help: ${d.help}`;
            el.append(h);
          }
          return el;
        },
      }));
    view.dispatch(setDiagnostics(view.state, list));
    view.dom.classList.toggle("has-errors", stale);
  },
  editorSelect(line, col, endLine, endCol) {
    const { from, to } = range(view.state.doc, { line, col, end_line: endLine, end_col: endCol });
    view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    view.focus();
  },
  initialState: () => kp.initial ?? null,
  autosaved() {
    try {
      return localStorage.getItem(AUTOSAVE_KEY);
    } catch {
      return null;
    }
  },
  post: (kind, json) => kp.pool.post(kind, json),
  listen(cb) {
    kp.pool.listener = cb;
    for (const a of kp.pool.early.splice(0)) cb(a);
  },
  copy(text) {
    navigator.clipboard?.writeText(text).catch(() => {});
  },
  download(name, mime, text) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: mime }));
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  },
  setFragment(f) {
    window.history.replaceState(window.history.state, "", `${location.pathname}${location.search}#${f}`);
  },
};
globalThis.kp = kp;

async function boot() {
  const here = (f) => new URL(f, location.href).href;
  const text = (f) => fetch(here(f)).then((r) => r.text());
  const blob = (t) => URL.createObjectURL(new Blob([t], { type: "text/javascript" }));
  const [module, glueText, workerText] = await Promise.all([
    WebAssembly.compileStreaming(fetch(here("karmada_policy_playground_bg.wasm"))),
    text("karmada_policy_playground.js"),
    text("worker.js"),
  ]);
  if (location.hash.startsWith("#v2:")) {
    try {
      kp.initial = await inflate(unbase64url(location.hash.slice(4)));
    } catch {
      kp.initial = null; // a damaged link: the app falls back to the autosave or the seed
    }
  }
  const glue = blob(glueText);
  kp.pool = new Pool(module, glue, blob(workerText));
  const app = await import(/* @vite-ignore */ glue);
  await app.default({ module_or_path: module });
}

boot().catch((e) => {
  document.body.textContent = `The playground could not start: ${e}`;
});
