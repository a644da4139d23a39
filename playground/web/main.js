// The playground's JavaScript, bundled by esbuild at build time (scripts/build-playground.sh; no CDN):
// the CodeMirror 6 editor, the evaluation worker pool, and the boot sequence. The Yew app (wasm) calls the
// functions of `globalThis.kp`.
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  highlightActiveLine,
} from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { syntaxHighlighting, foldGutter, foldKeymap, indentOnInput, bracketMatching } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { classHighlighter } from "@lezer/highlight";
import { unbase64url, inflate } from "./share.js";

// CodeMirror's basicSetup without autocompletion and the search panel (the size budget: the engine comes first).
const setup = [
  lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(), drawSelection(),
  indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(), syntaxHighlighting(classHighlighter),
  keymap.of([indentWithTab, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
];

const AUTOSAVE_KEY = "karmada-policy:scenario";
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
  return { from, to };
}

function save() {
  try {
    localStorage.setItem(AUTOSAVE_KEY, view.state.doc.toString());
  } catch {
    // Over the quota (a fleet of several MB): the URL fragment still carries the text.
  }
}

// The worker pool: an active worker and a warm spare, both from in-memory URLs (no network request when a
// worker is replaced). A new evaluation while one is running replaces the active worker with the spare.
class Pool {
  constructor(module, glue, workerUrl) {
    this.module = module;
    this.glue = glue;
    this.url = workerUrl;
    this.outstanding = new Map();
    this.listener = null;
    this.early = [];
    this.restarts = 0;
    this.active = this.spawn();
    this.spare = this.spawn();
  }
  spawn() {
    const w = new Worker(this.url, { type: "module", name: "karmada-policy evaluation" });
    w.onmessage = (e) => {
      if (w !== this.active) return;
      this.outstanding.delete(e.data.kind);
      if (this.listener) this.listener(e.data.answer);
      else this.early.push(e.data.answer);
    };
    w.onerror = () => { if (w === this.active) this.replace(); };
    w.postMessage({ module: this.module, glue: this.glue });
    return w;
  }
  // The running evaluation is for an older text: drop the worker, promote the warm spare, re-ask the rest.
  replace() {
    this.active.terminate();
    this.active = this.spare;
    this.spare = this.spawn();
    this.restarts++;
    for (const [kind, m] of this.outstanding) if (kind !== "evaluate") this.active.postMessage(m);
  }
  post(kind, json, withText) {
    const m = { kind, json, text: withText ? view.state.doc.toString() : null };
    if (kind === "evaluate" && this.outstanding.has("evaluate")) this.replace();
    this.outstanding.set(kind, m);
    this.active.postMessage(m);
  }
}

const kp = {
  editorCreate(parent, text, autosave, onChange) {
    let timer = null;
    view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          setup,
          yaml(),
          lintGutter(),
          EditorView.contentAttributes.of({
            "aria-label": "Scenario YAML: Clusters, (Cluster)PropagationPolicies and resource templates",
          }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            onChange();
            if (autosave) {
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
  post: (kind, json, withText) => kp.pool.post(kind, json, withText),
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
