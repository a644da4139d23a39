// The evaluation worker: instantiates the page's own compiled module (sent in the first message with the
// glue's in-memory URL, so replacing a worker makes no network request) and answers requests. Requests of one
// kind that arrive while the worker is busy supersede each other: only the latest is answered.
import { base64url, deflate } from "./share.js";

let ready = null;
let handle = null;
let scheduled = false;
const queue = new Map();
const order = ["evaluate", "explain", "timeline", "export", "share"];

async function encodeShare(json, text) {
  const req = JSON.parse(json);
  req.state.t = text ?? "";
  const fragment = "v2:" + base64url(await deflate(JSON.stringify(req.state)));
  return JSON.stringify({ kind: "shared", fragment, copy: req.copy });
}

function drain() {
  scheduled = false;
  for (const kind of order) {
    const m = queue.get(kind);
    if (!m) continue;
    queue.delete(kind);
    if (kind === "share") encodeShare(m.json, m.text).then((answer) => self.postMessage({ kind, answer }));
    else self.postMessage({ kind, answer: handle(m.json, m.text ?? undefined) });
  }
}

self.onmessage = (e) => {
  if (e.data.module) {
    ready = import(e.data.glue).then(async (glue) => {
      await glue.default({ module_or_path: e.data.module });
      handle = glue.worker_handle;
    });
    return;
  }
  queue.set(e.data.kind, e.data);
  if (!scheduled) {
    scheduled = true;
    ready.then(() => setTimeout(drain, 0));
  }
};
