// The pictures, drawn in the evaluation worker from the data the module computes (worker.rs `draw`): the
// ownership lanes, the placement matrix (one window of rows), the cluster funnel and the step diff. SVG
// markup as strings (no DOM in a worker; the page only puts it in place). Every SVG has a <title>/<desc>,
// every shape its own <title> (the matrix's cells: the page's, for the cell under the pointer); colours are CSS classes o0..o7 (one per policy, the same in every picture).

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const cut = (s, n) => (s.length <= n ? s : s.slice(0, n - 1) + "…");

// A policy's colour class: a hash of its name, so windows and pictures agree.
export function colour(owner) {
  if (!owner) return "none";
  let h = 7;
  for (const ch of owner) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return "o" + (h % 8);
}

function legend(owners) {
  const items = [...owners].map((o) => `<li><span class="sw ${colour(o)}"></span>${esc(o)}</li>`).join("");
  return `<ul class="legend" aria-label="Policies">${items}<li><span class="sw none"></span>unclaimed</li></ul>`;
}

const GLYPH = {
  Preempted: "▲", PreemptionSkipped: "△", PreemptionDisabled: "⊘", Released: "○", Waiting: "…", PolicyDenied: "✕",
  SchedulingFailed: "✕", Error: "✕", Rescheduled: "◆", Applied: "✓", Removed: "−", Suspended: "‖", TemplateDeleted: "⌫",
};
const MARKS =
  '<ul class="legend marks" aria-label="Markers"><li>▲ preempted</li><li>△ preemption skipped</li><li>⊘ gate off: would preempt</li><li>○ released</li><li>… waiting</li><li>✕ denied / failed</li><li>◆ rescheduled</li><li>✓ applied</li><li>− removed</li><li>⌫ template deleted</li></ul>';

// [steps, matching, lanes]: one lane per resource, x = steps, its name above it, segments coloured by owner,
// markers above the segments, the final placement at the right end (narrow enough for a phone at 10 steps).
function lanes([steps, total, lanes]) {
  steps = Math.max(steps, 1);
  const lx = 4, sw = Math.min(32, Math.max(4, Math.floor(600 / steps))), lh = 44;
  const w = lx + steps * sw + 190, h = 16 + lanes.length * lh + 4;
  const owners = new Set();
  let o = `<svg class="lanes" id="lanes-svg" role="img" aria-labelledby="lanes-t lanes-d" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><title id="lanes-t">Ownership timeline: ${lanes.length} of ${total} resources over ${steps} steps</title><desc id="lanes-d">`;
  for (const l of lanes) {
    o += esc(`${l.subject}: ${l.segments.map((s) => `steps ${s.from}–${s.to} ${s.owner || "unclaimed"}`).join(", ")}. `);
  }
  o += "</desc>";
  const every = Math.max(1, Math.ceil(20 / sw));
  for (let st = 1; st <= steps; st += every) {
    o += `<text class="ax" x="${lx + (st - 1) * sw + sw / 2}" y="11" text-anchor="middle">${st}</text>`;
  }
  lanes.forEach((l, i) => {
    const y = 16 + i * lh;
    o += `<g class="lane${l.failed ? " failed" : ""}" data-subject="${esc(l.subject)}"><text class="lbl" x="${lx}" y="${y + 11}">${esc(cut(l.subject, 60))}<title>${esc(l.subject)}${l.apply ? esc(" — applied: " + l.apply) : ""}</title></text>`;
    for (const s of l.segments) {
      const x = lx + (s.from - 1) * sw, width = (s.to + 1 - s.from) * sw;
      if (s.owner) owners.add(s.owner);
      const what = `steps ${s.from}–${s.to}: ${s.owner || "unclaimed"}${s.placement ? " → " + s.placement : ""}`;
      o += `<rect class="seg ${colour(s.owner)}" x="${x}" y="${y + 25}" width="${Math.max(width - 1, 1)}" height="16" rx="3"><title>${esc(what)}</title></rect>`;
      if (width >= 60 && s.placement) {
        o += `<text class="segt" x="${x + 4}" y="${y + 37}">${esc(cut(s.placement, Math.floor(width / 7)))}</text>`;
      }
    }
    const end = l.segments[l.segments.length - 1];
    if (end && end.to === steps && end.placement) {
      o += `<text class="segt end" x="${lx + steps * sw + 6}" y="${y + 37}">→ ${esc(cut(end.placement, 28))}</text>`;
    }
    let last = -1, k = 0;
    for (const m of l.marks) {
      k = m.step === last ? k + 1 : 0;
      last = m.step;
      const x = lx + (m.step - 1) * sw + 2 + k * 8;
      const cls = /Denied|Failed|Error/.test(m.kind) ? "mk bad" : m.kind === "PreemptionDisabled" ? "mk warn" : "mk";
      o += `<text class="${cls}" data-kind="${m.kind}" x="${x}" y="${y + 23}">${GLYPH[m.kind] || "•"}<title>${esc(`step ${m.step} ${m.kind}: ${m.text}`)}</title></text>`;
    }
    o += "</g>";
  });
  o += "</svg>";
  const diffTools = `<div class="diff-tools"><label>Compare step <input id="diff-from" type="number" min="0" max="${steps}" value="${steps - 1}"></label> <label>with step <input id="diff-to" type="number" min="0" max="${steps}" value="${steps}"></label> <button id="diff-go">Show changes</button></div><div id="draw-diff"></div>`;
  return `<div class="svg-wrap" tabindex="0" role="region" aria-label="Ownership timeline (scrolls sideways)">${o}</div>${legend(owners)}${MARKS}${diffTools}`;
}

// [clusters, stages [name, left, removed], bars [cluster, replicas], strategy]: the funnel, then the division.
function funnel(f) {
  if (!f) return "";
  const [n, stages, bars, strategy] = f;
  const bw = 300, rh = 22, total = Math.max(n, 1), maxR = Math.max(1, ...bars.map((b) => b[1]));
  const h = 8 + stages.length * rh + (bars.length ? 24 + bars.length * rh : 0), w = 780;
  const selected = stages[stages.length - 1][1];
  let o = `<svg class="funnel" id="funnel-svg" role="img" aria-labelledby="funnel-t funnel-d" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><title id="funnel-t">Cluster funnel: ${n} clusters, ${selected} selected</title><desc id="funnel-d">`;
  for (const [name, left, out] of stages) o += esc(`${name}: ${left} left${out.length ? ", removed " + out.join(", ") : ""}. `);
  o += "</desc>";
  stages.forEach(([name, left, out], i) => {
    const y = 4 + i * rh, width = Math.max(1, Math.floor((bw * left) / total));
    o += `<text class="lbl" x="4" y="${y + 13}">${esc(name)}</text><rect class="fb${name === "selected" ? " sel" : ""}" x="150" y="${y + 1}" width="${width}" height="16" rx="2"><title>${esc(`${name}: ${left} cluster(s) left${out.length ? "; removed: " + out.join(", ") : ""}`)}</title></rect><text class="ax" x="${154 + width}" y="${y + 13}">${left}</text>`;
    if (out.length) o += `<text class="rm" x="${150 + bw + 30}" y="${y + 13}">${esc(cut("✕ " + out.join(", "), 46))}</text>`;
  });
  if (bars.length) {
    const y0 = 8 + stages.length * rh;
    o += `<text class="lbl b" x="4" y="${y0 + 12}">replicas (${esc(strategy)})</text>`;
    bars.forEach(([c, r], i) => {
      const y = y0 + 20 + i * rh, width = Math.max(1, Math.floor((bw * r) / maxR));
      o += `<text class="lbl" x="4" y="${y + 13}">${esc(c)}</text><rect class="fb rep" x="150" y="${y + 1}" width="${width}" height="16" rx="2"><title>${esc(`${c}: ${r} replica(s)`)}</title></rect><text class="ax" x="${154 + width}" y="${y + 13}">${r}</text>`;
    });
  }
  return `<div class="svg-wrap" tabindex="0" role="region" aria-label="Cluster funnel (scrolls sideways)">${o}</svg></div>`;
}

// [from, to, [resource, before, after]]
function diff([from, to, changes]) {
  if (!changes.length) return `<p class="empty" id="diff">Nothing changed between step ${from} and step ${to}.</p>`;
  const rows = changes.map((c) => `<tr><td>${esc(c[0])}</td><td>${esc(c[1])}</td><td>${esc(c[2])}</td></tr>`).join("");
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="Changes between two steps"><table id="diff"><caption>${changes.length} resource(s) changed owner, clusters or replicas between step ${from} and step ${to}</caption><thead><tr><th scope="col">RESOURCE</th><th scope="col">AFTER STEP ${from}</th><th scope="col">AFTER STEP ${to}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export const ROW_H = 20;
const CHUNK = 20; // rows per chunk of the matrix window (main.js asks for windows at multiples of it)
const LABEL_W = 260;
const cellW = (n) => (n <= 30 ? 44 : 16);

// A row's cells as one path per look (its policy's colour, failed or not), not a rect each: a window of a
// wide fleet's rows is hundreds of cells, and an element each cost the page more to parse and lay out than
// the rest of the row. Each path keeps its cells' left edges (`data-x`) and titles (`data-t`, one a line);
// the page puts the title of the cell under the pointer into the path's <title> (main.js).
function cellPaths(cells, y, cw, colourClass) {
  const looks = [[], []]; // [ok, failed]
  let labels = "";
  for (const [j, text, b, title] of cells) {
    const x = LABEL_W + j * cw;
    looks[b ? 1 : 0].push([x + 1, title]);
    if (cw >= 40) labels += `<text class="ct" x="${x + cw / 2}" y="${y + 14}" text-anchor="middle">${b ? "!" : ""}${esc(cut(text, 6))}</text>`;
  }
  const [w, h] = [cw - 2, ROW_H - 4];
  let o = "";
  looks.forEach((look, b) => {
    if (!look.length) return;
    // A rounded rectangle (rx 2) from each cell's top-left corner.
    const d = look.map(([x]) => `M${x + 2} ${y + 2}h${w - 4}a2 2 0 0 1 2 2v${h - 4}a2 2 0 0 1-2 2h${4 - w}a2 2 0 0 1-2-2v${4 - h}a2 2 0 0 1 2-2z`).join("");
    const xs = look.map(([x]) => x).join(",");
    const titles = look.map(([, t]) => esc(t).replace(/\n/g, " ")).join("&#10;");
    o += `<path class="cell ${colourClass}${b ? " bad" : ""}" d="${d}" data-x="${xs}" data-t="${titles}"/>`;
  });
  return o + labels;
}

// [clusters, rows in all, grouped, first row, rows [key, label, owner, bad, cells [col, text, bad, title]], gen]:
// the header (cluster names), the window's rows as chunks of CHUNK rows and its legend. Rows sit at their
// place in the whole matrix (y = row × ROW_H), so the page keeps the chunks it has while the view scrolls and
// parses only the ones that come into the window: one <g class="mchunk"> per chunk, and `gen` names the
// rows they were cut from (a new query or evaluation: the page starts over).
function matrix([clusters, total, grouped, offset, rows, gen]) {
  const cw = cellW(clusters.length), w = LABEL_W + clusters.length * cw + 8;
  let head = `<svg class="mhead" role="img" aria-label="${esc(cut("Clusters: " + clusters.join(", "), 200))}" width="${w}" height="90" viewBox="0 0 ${w} 90">`;
  clusters.forEach((c, i) => {
    head += `<text class="ax" transform="translate(${LABEL_W + i * cw + cw / 2},86) rotate(-55)">${esc(cut(c, 14))}<title>${esc(c)}</title></text>`;
  });
  head += "</svg>";
  const owners = new Set(), chunks = [];
  let o = "";
  rows.forEach(([key, label, owner, bad, cells], i) => {
    const row = offset + i, y = row * ROW_H, c = colour(owner);
    if (row % CHUNK === 0) o = `<g class="mchunk" data-chunk="${row / CHUNK}">`;
    if (owner) owners.add(owner);
    o += `<g class="mrow${bad ? " bad" : ""}" data-key="${esc(key)}"><rect class="hit" x="0" y="${y}" width="${w}" height="${ROW_H}"/><text class="lbl" x="4" y="${y + 14}">${bad ? "! " : ""}${esc(cut(label, 36))}<title>${esc(label + (owner ? " — " + owner : ""))}</title></text>`;
    o += cellPaths(cells, y, cw, c);
    o += "</g>";
    if (row % CHUNK === CHUNK - 1 || i === rows.length - 1) chunks.push([row / CHUNK | 0, o + "</g>"]);
  });
  const title = `Placement matrix: ${grouped ? "groups" : "rows"} ${offset + (rows.length ? 1 : 0)}–${offset + rows.length} of ${total} × ${clusters.length} clusters`;
  return { head, width: w, cell: cw - 2, height: total * ROW_H + 2, title, chunks, gen, legend: legend(owners), clusters, total, grouped };
}

const PLUGINS = ["APIEnablement", "TaintToleration", "ClusterAffinity", "SpreadConstraint", "ClusterEviction"];

// The funnel of a why-trace from its cluster rows (worker.rs ClusterRow: `filters` lists the failing
// filters in plugin order, `Plugin ✗ reason; …`) and its division text: a cluster leaves at its first failing
// filter: RunFilterPlugins (pkg/scheduler/framework/runtime/framework.go) returns at the first failure.
export function funnelHtml(json) {
  const [rows, division] = JSON.parse(json);
  if (!rows.length) return "";
  const first = (r) => (r.filters === "all passed" ? "" : r.filters.split(" ✗")[0]);
  let left = rows.length;
  const stages = [[`${rows.length} clusters`, left, []]];
  for (const p of PLUGINS) {
    const out = rows.filter((r) => first(r) === p).map((r) => r.name);
    left -= out.length;
    stages.push([p, left, out]);
  }
  stages.push(["selected", rows.filter((r) => r.selected).length, []]);
  const bars = rows.filter((r) => r.replicas !== "-").map((r) => [r.name, Number(r.replicas)]);
  return funnel([rows.length, stages, bars, (division || "").split(" — ")[0]]);
}

// The matrix rows for a query `filter, group, zoom, errors, cluster, first row, sort` (tab-separated) from the
// module's compact data (worker.rs `draw`, "matrix"): the resources matching the Resources tab's filter (the
// same haystack as worker.rs rows), or above 500 of them (or when asked) one row per policy or namespace.
const WINDOW = 80;
const OK = /^(Created|Adopted|Updated)/;
const TABLES = new WeakMap(); // data -> what its owner and apply-result tables say, once per evaluation
let chosenFor = { key: null, data: null, rows: null, grouped: false, gen: "" };
export function matrixData(data, q) {
  const [filter = "", group = "auto", zoom = "", errors = "0", cluster = "", off = "0", sort = "name"] = q.split("\t");
  const offset = Math.floor((Number(off) || 0) / CHUNK) * CHUNK;
  // worker.rs "matrix": owners and apply results are indices into their tables.
  const [clusters, owners, hows, all] = data;
  if (!TABLES.has(data)) {
    // "PropagationPolicy ns/pp" -> "PropagationPolicy/pp"; whether an apply result is a failure.
    TABLES.set(data, [owners.map((o) => o.replace(/ (?:.*\/)?/, "/")), hows.map((h) => h !== "" && !OK.test(h))]);
  }
  const [polOf, failedHow] = TABLES.get(data);
  const ci = clusters.indexOf(cluster);
  const failed = (c) => failedHow[c[2]];
  const bad = (r) => r[4] !== "" || r[5].some(failed);
  const byNs = group === "namespace";
  const pol = (r) => polOf[r[3]];
  const groupOf = (r) => (byNs ? r[1] || "<cluster-scoped>" : pol(r) || "<unclaimed>");
  const key = [filter, group, zoom, errors, cluster, sort].join("\t");
  if (chosenFor.key !== key || chosenFor.data !== data) {
    const f = filter.toLowerCase();
    const hay = (r) =>
      [r[1] || "<cluster>", r[2], r[0], pol(r) || "<none>", r[5].map((c) => `${clusters[c[0]]}:${c[1]}`).join(", ") || "<none>", r[4]]
        .join("\u0001")
        .toLowerCase();
    const chosen = all.filter(
      (r) => (!f || hay(r).includes(f)) && (errors !== "1" || bad(r)) && (!cluster || r[5].some((c) => c[0] === ci)) && (!zoom || groupOf(r) === zoom),
    );
    // Sorted by name (the report's order), by policy, errors first, or most replicas first (stable).
    const replicas = (r) => r[5].reduce((n, c) => n + c[1], 0);
    const by = { policy: (a, b) => (pol(a) || "~").localeCompare(pol(b) || "~"), errors: (a, b) => bad(b) - bad(a), replicas: (a, b) => replicas(b) - replicas(a) }[sort];
    if (by) chosen.sort(by);
    const grouped = !zoom && (group === "policy" || byNs || (group !== "none" && chosen.length > 500));
    let rows = chosen;
    if (grouped) {
      const at = new Map();
      rows = [];
      for (const r of chosen) {
        const g = groupOf(r);
        let row = at.get(g);
        if (!row) {
          at.set(g, (row = { g, owner: byNs ? "" : owners[r[3]], bad: false, n: 0, cells: clusters.map(() => [0, 0]) }));
          rows.push(row);
        }
        row.n++;
        row.bad ||= bad(r);
        for (const c of r[5]) [row.cells[c[0]][0], row.cells[c[0]][1]] = [row.cells[c[0]][0] + 1, row.cells[c[0]][1] + c[1]];
      }
    }
    // Unique across workers (a replaced worker starts its own): the page's chunks from other rows go.
    chosenFor = { key, data, rows, grouped, gen: Math.random().toString(36).slice(2) };
  }
  const { rows, grouped, gen } = chosenFor;
  const out = rows.slice(offset, offset + WINDOW).map((r) => {
    if (grouped) {
      const cells = [];
      r.cells.forEach(([k, reps], j) => k && cells.push([j, String(reps), false, `${k} resource(s), ${reps} replica(s) on ${clusters[j]}`]));
      return ["group:" + r.g, `${r.g} (${r.n} resources)`, r.owner, r.bad, cells];
    }
    const [kind, ns, name, owner, error, cs] = r;
    const id = `${kind} ${ns ? ns + "/" : ""}${name}`;
    const cells = cs.map((c) => [c[0], String(c[1]), failed(c), `${id} on ${clusters[c[0]]}: ${c[1]} replica(s)${c[2] ? ", " + hows[c[2]] : ""}`]);
    return [`${kind}/${ns}/${name}`, `${kind}/${name}${error ? " — " + error : ""}`, owners[owner], bad(r), cells];
  });
  return [clusters, rows.length, grouped, offset, out, gen];
}

const VIEWS = { lanes, diff };

// The matrix for a `{"draw": {"view": "matrix", "q": …}}` request from the exported report.
export function renderMatrix(data, q) {
  return JSON.stringify({ drawn: { view: "matrix", out: data ? matrix(matrixData(data, q)) : "" } });
}

// A picture's data (the module's worker_draw) -> `{"drawn": {view, out}}` for the page to put in place.
export function render(view, data) {
  return JSON.stringify({ drawn: { view, out: data && data !== "null" ? VIEWS[view](JSON.parse(data)) : "" } });
}
