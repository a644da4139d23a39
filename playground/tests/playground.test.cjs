// Browser tests of the playground (node --test): Debian's Chromium driven by playwright-core against the
// static build served on 127.0.0.1 (the repository root, so docs/embed.html and the npm package's web build
// load too). Run after scripts/build-playground.sh (and scripts/build-wasm.sh for the embed page's npm part).
// Screenshots go to $SCREENSHOTS (default target/playground-screenshots).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { root, shots, useHarness, settled, setText, axe } = require("./harness.cjs");

const SEED = fs.readFileSync(path.join(root, "examples/seamless-migration.yaml"), "utf8");
let browser, base;

useHarness((h) => ({ base, browser } = h));

// A page in its own context (fresh storage unless a context is given), with the app's first answer in.
async function open(url = base, { width = 1280, height = 800, context = null, colorScheme = "light" } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true }));
  const page = await ctx.newPage();
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await settled(page);
  return { page, ctx, errors, requests };
}



const editorText = (page) => page.evaluate(() => kp.editorText());
const row = (page, name) => page.locator(`#resources tr[data-name="${name}"]`).first();

// The marked range of the first lint marker of a severity: [line, column (UTF-16, 1-based), text].
async function marker(page, severity) {
  return page.evaluate((sev) => {
    const el = document.querySelector(`.cm-lintRange-${sev}, .cm-lintPoint-${sev}`);
    if (!el) return null;
    const v = kp.view;
    const from = v.posAtDOM(el, 0);
    const line = v.state.doc.lineAt(from);
    return [line.number, from - line.from + 1, el.textContent];
  }, severity);
}

// How many lines the first occurrence of `word` in the element `selector` is drawn on (the distinct tops of
// its text range's boxes; the word may span text nodes, e.g. around a <wbr>): 1 when it is not split.
const linesOf = (page, selector, word) => page.evaluate(([sel, w]) => {
  const walker = document.createTreeWalker(document.querySelector(sel), NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, text.length]);
    text += n.data;
  }
  const at = text.indexOf(w);
  if (at < 0) return 0;
  const node = (i) => nodes.findLast(([, o]) => o <= i);
  const [first, o1] = node(at);
  const [last, o2] = node(at + w.length - 1);
  const r = document.createRange();
  r.setStart(first, at - o1);
  r.setEnd(last, at + w.length - o2);
  return new Set([...r.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top))).size;
}, [selector, word]);


test("the seed scenario is evaluated in a worker and explained on demand", async () => {
  const { page, ctx, errors } = await open();
  const nginx = row(page, "nginx-deploy");
  assert.match(await nginx.locator(".policy").innerText(), /nginx-pp/);
  assert.match(await nginx.locator(".placement").innerText(), /member1:2, member2:2/);
  assert.match(await row(page, "hello-deploy").locator(".policy").innerText(), /migrate-pp/);
  assert.match(await page.locator("#version").innerText(), /Karmada v1\.19/);
  assert.match(await page.locator("#status").innerText(), /evaluated in \d+ ms in a worker/);
  await nginx.click();
  await page.waitForFunction(() => /nginx-deploy/.test(document.querySelector("#explain h2")?.innerText ?? ""));
  const explain = await page.locator("#explain").innerText();
  assert.match(explain, /nginx-pp preempted PropagationPolicy default\/migrate-pp \(priority 10 > 0/);
  assert.match(explain, /member3/);
  // The editor: CodeMirror with line numbers and YAML highlighting.
  assert.ok(await page.locator(".cm-lineNumbers .cm-gutterElement").count() > 10);
  assert.ok(await page.locator(".cm-content .tok-propertyName, .cm-content .tok-definition").count() > 5);
  await page.screenshot({ path: path.join(shots, "desktop-seed.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the editor: Tab indents, undo, and keyboard-reachable rows and tabs", async () => {
  const { page, ctx } = await open();
  await page.click(".cm-content");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Tab");
  assert.match(await editorText(page), /^\s{2}# feature-gates/, "Tab indents inside the editor");
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains("cm-content")), "focus stays in the editor");
  await page.keyboard.press("Control+z");
  assert.equal(await editorText(page), SEED, "undo");
  await settled(page);
  // Rows: focusable, arrows move the selection, the why-trace follows.
  await page.locator("#resources tbody tr").first().focus();
  await page.keyboard.press("ArrowDown");
  const second = await page.locator("#resources tbody tr").nth(1).getAttribute("data-name");
  await page.waitForFunction((n) => (document.querySelector("#explain h2")?.innerText ?? "").includes(n), second);
  assert.equal(await page.locator("#resources tbody tr").nth(1).getAttribute("aria-selected"), "true");
  // Tabs: ARIA tablist, arrows switch.
  await page.focus("#tab-resources");
  await page.keyboard.press("ArrowRight");
  await page.waitForSelector("#timeline .step");
  assert.equal(await page.locator("#tab-timeline").getAttribute("aria-selected"), "true");
  await ctx.close();
});

// Hovers the first `key:` of a line (1-based) in the editor; the field hover's text, or null after 800 ms.
async function fieldHover(page, line, key) {
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => !document.querySelector(".cm-kp-field"));
  await page.evaluate(([n, k]) => {
    const l = kp.view.state.doc.line(n);
    kp.view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
  }, [line, key]);
  await page.waitForTimeout(50);
  const at = await page.evaluate(([n, k]) => {
    const l = kp.view.state.doc.line(n);
    const c = kp.view.coordsAtPos(l.from + l.text.indexOf(`${k}:`) + 1);
    return { x: c.left + 1, y: (c.top + c.bottom) / 2 };
  }, [line, key]);
  await page.mouse.move(at.x, at.y);
  const tip = page.locator(".cm-kp-field");
  try {
    await tip.waitFor({ timeout: 800 });
  } catch {
    return null;
  }
  return tip.innerText();
}

test("the editor's field hover: path, type, required and fields, from the evaluator's decoders", async () => {
  const { page, ctx, errors } = await open();
  assert.equal(await fieldHover(page, 139, "preemption"), "PropagationPolicy spec.preemption: string");
  assert.equal(await fieldHover(page, 142, "clusterNames"), "PropagationPolicy spec.placement.clusterAffinity.clusterNames: list of string");
  assert.equal(await fieldHover(page, 143, "resourceSelectors"),
    "PropagationPolicy spec.resourceSelectors: list of object, required\nfields: apiVersion (required), kind (required), namespace, name, labelSelector");
  assert.equal(await fieldHover(page, 18, "replicas"), null, "a Deployment's fields are not the evaluator's to describe");
  // Block sequences: a "- " item's keys, a cluster-scoped kind.
  await setText(page, [
    "apiVersion: policy.karmada.io/v1alpha1", "kind: ClusterPropagationPolicy", "metadata: {name: c}", "spec:",
    "  resourceSelectors:", "    - apiVersion: v1", "      kind: ConfigMap", "  placement:", "    replicaScheduling:",
    "      weightPreference:", "        staticWeightList:", "          - targetCluster: {clusterNames: [member1]}",
    "            weight: 2", "  placment: {}", "",
  ].join("\n"));
  assert.equal(await fieldHover(page, 7, "kind"), "ClusterPropagationPolicy spec.resourceSelectors.kind: string, required");
  assert.equal(await fieldHover(page, 13, "weight"), "ClusterPropagationPolicy spec.placement.replicaScheduling.weightPreference.staticWeightList.weight: integer, required");
  await page.screenshot({ path: path.join(shots, "desktop-field-hover.png") });
  assert.match(await fieldHover(page, 12, "targetCluster"), /staticWeightList\.targetCluster: object\nfields: labelSelector, fieldSelector, clusterNames, exclude$/);
  assert.equal(await fieldHover(page, 14, "placment"), null, "an unknown field has no description (its marker says why)");
  // Flow mappings (nested, in flow and block sequences) and quoted keys (web/fieldpath.js; more cases in
  // fieldpath.test.mjs).
  await setText(page, [
    "apiVersion: policy.karmada.io/v1alpha1", "kind: PropagationPolicy", "metadata: {name: p, labels: {env: prod, tier: gold}}",
    "spec:", "  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]", "  placement:", "    clusterTolerations:",
    "    - {key: dedicated, effect: NoSchedule}", "    'clusterAffinity': {\"clusterNames\": [member1]}", "    replicaScheduling:",
    "      weightPreference:", "        staticWeightList:", "        - targetCluster: {clusterNames: [member1]}", "          \"weight\": 2", "",
  ].join("\n"));
  assert.equal(await fieldHover(page, 3, "tier"), "PropagationPolicy metadata.labels.tier: string");
  assert.equal(await fieldHover(page, 5, "kind"), "PropagationPolicy spec.resourceSelectors.kind: string, required");
  assert.equal(await fieldHover(page, 8, "effect"), "PropagationPolicy spec.placement.clusterTolerations.effect: string");
  assert.equal(await fieldHover(page, 9, "'clusterAffinity'"),
    "PropagationPolicy spec.placement.clusterAffinity: object\nfields: labelSelector, fieldSelector, clusterNames, exclude");
  assert.equal(await fieldHover(page, 9, "\"clusterNames\""), "PropagationPolicy spec.placement.clusterAffinity.clusterNames: list of string");
  assert.equal(await fieldHover(page, 14, "\"weight\""),
    "PropagationPolicy spec.placement.replicaScheduling.weightPreference.staticWeightList.weight: integer, required");
  await page.screenshot({ path: path.join(shots, "desktop-field-hover-quoted.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("an unknown field refuses its document only, marked at its line and column", async () => {
  const { page, ctx, errors } = await open();
  // The API server refuses the one document (kubectl apply goes on with the rest): the stream is evaluated,
  // the refusal is an error diagnostic on the field.
  const cases = [
    ["unknown field", "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n  placment: {}\n", /7:3 error\[apiserver-rejected\]/, [7, 3, "placment"]],
    ["unknown field after wide characters", "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec: {resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: \"日本語✓\"}], placment: {}}\n", /4:78 error\[apiserver-rejected\]/, [4, 78, "placment"]],
  ];
  for (const [name, bad, expect, at] of cases) {
    await setText(page, bad);
    await settled(page);
    assert.equal(await editorText(page), bad, `${name}: the text is kept`);
    assert.equal(await page.locator("#status.input-error").count(), 0, `${name}: the stream is evaluated`);
    const m = await marker(page, "error");
    assert.ok(m, `${name}: a marker in the editor`);
    assert.deepEqual(m.slice(0, 2), at.slice(0, 2), `${name}: marker line and UTF-16 column`);
    assert.ok(m[2].startsWith(at[2]), `${name}: the marker covers ${JSON.stringify(m[2])}`);
    await page.click("#tab-diagnostics");
    assert.match(await page.locator("#diagnostics").innerText(), expect, name);
    if (name === "unknown field") {
      await page.hover(".cm-lintRange-error");
      const tip = page.locator(".cm-tooltip-lint");
      await tip.waitFor();
      assert.match(await tip.innerText(), /error\[apiserver-rejected\][^]*strict decoding error: unknown field "spec.placment"/);
      await page.screenshot({ path: path.join(shots, "desktop-error.png") });
    }
    await page.click("#tab-resources");
  }
  assert.deepEqual(errors, [], "no exception (a wasm panic would show here)");
  await ctx.close();
});

test("syntax errors are marked at their line and column; text and last result stay", async () => {
  const { page, ctx, errors } = await open();
  const cases = [
    ["syntax", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [a\n", /yaml-syntax/, null],
    ["billion laughs", fs.readFileSync(path.join(root, "tests/corpus/bad/billion-laughs.yaml"), "utf8"), /repetition limit exceeded/, null],
    ["duplicate key", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: 1\n  k: 2\n", /duplicate-key/, null],
  ];
  for (const [name, bad, expect, at] of cases) {
    await setText(page, bad);
    await page.waitForSelector("#status.input-error");
    assert.equal(await editorText(page), bad, `${name}: the text is kept`);
    // The last good result (the seed) stays, greyed.
    assert.match(await row(page, "nginx-deploy").locator(".policy").innerText(), /nginx-pp/, `${name}: last result kept`);
    assert.equal(await page.locator("#panel.stale").count(), 1, `${name}: greyed`);
    const m = await marker(page, "error");
    assert.ok(m, `${name}: a marker in the editor`);
    if (at) {
      assert.deepEqual(m.slice(0, 2), at.slice(0, 2), `${name}: marker line and UTF-16 column`);
      assert.ok(m[2].startsWith(at[2]), `${name}: the marker covers ${JSON.stringify(m[2])}`);
    }
    await page.click("#tab-diagnostics");
    assert.match(await page.locator("#diagnostics").innerText(), expect, name);
    // Clicking the diagnostic selects its range in the editor.
    await page.locator("#diagnostics li.error button.at").first().click();
    const sel = await page.evaluate(() => {
      const s = kp.view.state.selection.main;
      const line = kp.view.state.doc.lineAt(s.from);
      return [line.number, s.from - line.from + 1, kp.view.state.sliceDoc(s.from, s.to)];
    });
    assert.deepEqual(sel.slice(0, 2), m.slice(0, 2), `${name}: the click selects the marked range`);
    await page.click("#tab-resources");
  }
  assert.deepEqual(errors, [], "no exception (a wasm panic would show here)");
  await ctx.close();
});

test("a share link gives a fresh browser the same text, gate, selection and answer; old #v1: links open", async () => {
  const { page, ctx } = await open();
  // The seed's link is short.
  await page.click("#share");
  await page.waitForFunction(() => /Link copied/.test(document.querySelector("#notice").innerText));
  const seedLink = page.url();
  assert.match(seedLink, /#v2:/);
  console.log(`the seed's share link: ${seedLink.length} characters`);
  assert.ok(seedLink.length <= 1500, `the seed's link is ${seedLink.length} characters`);

  const text = `${SEED}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared-cm}\n`;
  await setText(page, text);
  await page.selectOption("#gate", "off");
  await settled(page);
  await row(page, "hello-svc").click();
  await page.waitForFunction(() => /hello-svc/.test(document.querySelector("#explain h2")?.innerText ?? ""));
  await page.click("#share");
  await page.waitForFunction(() => /Link copied/.test(document.querySelector("#notice").innerText) && /#v2:/.test(location.hash));
  await page.waitForTimeout(100);
  const link = page.url();

  const fresh = await open(link);
  assert.equal(await editorText(fresh.page), text);
  assert.equal(await fresh.page.inputValue("#gate"), "off");
  assert.equal(await fresh.page.locator("#resources tr.selected").getAttribute("data-name"), "hello-svc");
  await fresh.page.waitForFunction(() => /hello-svc/.test(document.querySelector("#explain h2")?.innerText ?? ""));
  assert.match(await row(fresh.page, "nginx-deploy").locator(".policy").innerText(), /migrate-pp/, "the same answer (gate off)");
  assert.equal(await row(fresh.page, "shared-cm").count(), 1);
  await fresh.ctx.close();

  const v1 = `${base}#v1:${Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old-link}\n").toString("base64url")}`;
  const old = await open(v1);
  assert.equal(await row(old.page, "old-link").count(), 1);
  await old.ctx.close();
  await ctx.close();
});

test("reload keeps the user's edits (URL fragment and localStorage autosave)", async () => {
  const { page, ctx } = await open();
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed-cm}\n");
  await settled(page);
  await page.waitForFunction(() => location.hash.startsWith("#v2:"));
  await page.waitForTimeout(1200); // autosave (800 ms) and fragment (400 ms) debounces
  const typed = await editorText(page);
  assert.match(typed, /typed-cm/);
  await page.reload();
  await settled(page);
  assert.equal(await editorText(page), typed, "reload: the fragment restores the text");
  // The bare URL in the same browser: the autosave restores it.
  const again = await open(base, { context: ctx });
  assert.equal(await editorText(again.page), typed, "bare URL: localStorage restores the text");
  await ctx.close();
});

test("every example loads and shows its expected owner and placement (the CLI golden output)", async () => {
  const { page, ctx, errors } = await open();
  const ids = await page.locator("#examples option[value]:not([value=''])").evaluateAll((os) => os.map((o) => o.value));
  const files = fs.readdirSync(path.join(root, "examples")).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5));
  assert.deepEqual([...ids].sort(), files.sort());
  assert.ok(ids.length >= 12);
  for (const id of ids) {
    const golden = fs.readFileSync(path.join(root, "cli/tests/golden/examples", `${id}.txt`), "utf8");
    const table = golden.split("\nexit:")[0].split("\n").slice(2).filter((l) => l.trim());
    const before = await page.evaluate(() => Number(document.querySelector("main").dataset.edit));
    await page.selectOption("#examples", id);
    await page.waitForFunction((n) => Number(document.querySelector("main").dataset.edit) > n, before);
    await settled(page);
    assert.equal(await editorText(page), fs.readFileSync(path.join(root, "examples", `${id}.yaml`), "utf8"), id);
    const rows = await page.locator("#resources tbody tr").evaluateAll((trs) => trs.map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.innerText.trim())));
    assert.equal(rows.length, table.length, `${id}: rows`);
    for (const line of table) {
      const [ns, name, kind, policy, , , replicas] = line.split(/\s{2,}/);
      const got = rows.find((r) => r[0] === ns && r[1] === name && r[2] === kind);
      assert.ok(got, `${id}: ${kind} ${ns}/${name} shown`);
      assert.equal(got[3], policy, `${id}: ${name} owner`);
      assert.equal(got[4].replace(/\s/g, ""), replicas, `${id}: ${name} placement`);
    }
    if (id === "preemption-gate") {
      await page.selectOption("#gate", "off");
      await settled(page);
      assert.equal(await row(page, "orders").locator(".policy").innerText(), "PropagationPolicy/catch-all", "gate off: the claim stays");
      await page.selectOption("#gate", "scenario");
      await settled(page);
    }
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("export: JSON and YAML downloads, and the CLI command", async () => {
  const { page, ctx } = await open();
  for (const [id, check] of [["#export-json", (t) => JSON.parse(t).resources.length === 4], ["#export-yaml", (t) => /^karmadaCommit: /.test(t) && /name: nginx-deploy/.test(t)]]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(id)]);
    const file = await download.path();
    assert.ok(check(fs.readFileSync(file, "utf8")), id);
  }
  await page.selectOption("#gate", "off");
  await settled(page);
  await page.click("#copy-cli");
  assert.match(await page.locator("#notice").innerText(), /karmada-policy evaluate -o wide --feature-gates PropagationPolicyPreemption=false scenario\.yaml/);
  await ctx.close();
});

test("no network request after load, whatever the user does", async () => {
  const { page, ctx, requests } = await open();
  const atLoad = requests.length;
  await setText(page, `${SEED}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: offline}\n`);
  await page.selectOption("#gate", "on");
  await settled(page);
  await row(page, "offline").click();
  await page.click("#tab-timeline");
  await page.waitForSelector("#timeline .step");
  await page.click("#share");
  await page.selectOption("#examples", "static-weights");
  await settled(page);
  // Replacing a busy worker (fast edits) must not fetch anything either.
  for (let i = 0; i < 3; i++) await page.evaluate((t) => kp.editorSetText(t), `${SEED}# edit ${i}\n`);
  await settled(page);
  await page.waitForTimeout(600);
  const after = requests.slice(atLoad).filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(after, [], "requests after load");
  await ctx.close();
});

test("medium bench fleet: typing never blocks the main thread over 50 ms; results are paged", async () => {
  const fleet = fs.readFileSync(path.join(root, "tests/bench/medium.yaml"), "utf8");
  const { page, ctx, errors } = await open();
  await setText(page, fleet);
  const rowsShown = await page.locator("#resources tbody tr").count();
  assert.ok(rowsShown <= 100, `${rowsShown} rows in the DOM`);
  assert.match(await page.locator("#row-count").innerText(), /^100 of \d{4} resources/);
  const coreMs = await page.evaluate(() => Number(/evaluated in (\d+) ms/.exec(document.querySelector("#status").innerText)?.[1]));
  await page.screenshot({ path: path.join(shots, "desktop-medium-fleet.png") });

  // Probe: long tasks and requestAnimationFrame gaps while typing at the top of the 1.8 MB document. The
  // machine is shared (2 cores, one of them evaluating): best of up to 3 attempts, each one logged.
  const attempt = async (n) => {
    await page.evaluate(() => {
      window.__probe = { longest: 0, gap: 0, tasks: [], lastKey: 0 };
      if (!window.__onKey) {
        window.__onKey = true;
        document.addEventListener("keydown", () => { window.__probe.lastKey = performance.now(); }, true);
      }
      window.__observer?.disconnect();
      window.__observer = new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          window.__probe.longest = Math.max(window.__probe.longest, e.duration);
          window.__probe.tasks.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`);
        }
      });
      window.__observer.observe({ type: "longtask", buffered: false });
      let last = performance.now();
      const probe = window.__probe;
      const tick = (t) => {
        probe.gap = Math.max(probe.gap, t - last);
        last = t;
        if (!probe.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const restartsBefore = await page.evaluate(() => kp.pool.restarts);
    await page.click(".cm-content");
    await page.keyboard.press("Control+Home");
    const typingAt = await page.evaluate(() => performance.now());
    const line = `# typing while the fleet evaluates (${n})\n`;
    await page.keyboard.type(line, { delay: 50 });
    const typedAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(100); // the large-scenario keystroke coalescing (60 ms) ends: the typing window
    const typing = await page.evaluate(() => ({ ...window.__probe }));
    // The frame in which the page first shows the answer to the last edit (page clock).
    const shown = await page.waitForFunction(() => {
      const m = document.querySelector("main[data-edit]");
      return m.dataset.edit === m.dataset.answered && performance.now();
    }, null, { timeout: 60000 });
    const shownAt = await shown.jsonValue();
    await settled(page, 60000);
    const freshAt = await page.evaluate(() => performance.now());
    const core = await page.evaluate(() => Number(/evaluated in (\d+) ms/.exec(document.querySelector("#status").innerText)?.[1]));
    const probe = await page.evaluate(() => { window.__probe.stop = true; return window.__probe; });
    const restarts = (await page.evaluate(() => kp.pool.restarts)) - restartsBefore;
    assert.ok((await editorText(page)).startsWith(line), "the typed text is in the editor");
    const r = { typingMs: Math.round(typedAt - typingAt), typingLongest: Math.round(typing.longest), typingGap: Math.round(typing.gap),
      longest: Math.round(probe.longest), gap: Math.round(probe.gap), freshMs: Math.round(freshAt - typedAt), core,
      // From the last keydown (Playwright's type() returns after its 50 ms delay and the key's release):
      // the 60 ms coalescing of large scenarios, then the evaluation and the drawing.
      keyToShownMs: Math.round(shownAt - probe.lastKey), restarts, tasks: probe.tasks.join(" ") };
    console.log(`medium fleet, attempt ${n}: ${JSON.stringify(r)}`);
    return r;
  };
  // While typing, no main-thread task over 50 ms. After typing, while the final evaluation runs, only its
  // answer is drawn (a 10,000-row redraw or a parse of every row here would show). Fresh results: the core's
  // time plus 100 ms.
  const good = (r) => r.typingLongest <= 50 && r.longest <= 50 && r.freshMs <= r.core + 100;
  const results = [];
  for (let n = 1; n <= 3 && !results.some(good); n++) results.push(await attempt(n));
  assert.ok(results.some(good), `no attempt within the bounds: ${JSON.stringify(results)}`);
  console.log(`medium fleet: first evaluation ${coreMs} ms in the worker; best attempt ${JSON.stringify(results.find(good))}`);

  // A lone edit (no burst of typing around it) is not held back by the burst window: from its keydown to the
  // frame that first shows the answer (page clock), the core's time plus 100 ms.
  const lone = async (n) => {
    await page.waitForTimeout(400);
    await page.keyboard.press("Control+Home");
    const before = await page.evaluate(() => {
      document.addEventListener("keydown", () => { window.__lone = performance.now(); }, { capture: true, once: true });
      return Number(document.querySelector("main").dataset.edit);
    });
    await page.keyboard.type("#");
    const shown = await page.waitForFunction((b) => {
      const m = document.querySelector("main[data-edit]");
      return Number(m.dataset.edit) > b && m.dataset.edit === m.dataset.answered && performance.now();
    }, before, { timeout: 60000 });
    const shownAt = await shown.jsonValue();
    const r = await page.evaluate((at) => ({
      keyToShownMs: Math.round(at - window.__lone),
      core: Number(/evaluated in (\d+) ms/.exec(document.querySelector("#status").innerText)?.[1]),
    }), shownAt);
    console.log(`medium fleet, lone edit ${n}: ${JSON.stringify(r)}`);
    return r;
  };
  const loneGood = (r) => r.keyToShownMs <= r.core + 100;
  const lones = [];
  for (let n = 1; n <= 3 && !lones.some(loneGood); n++) lones.push(await lone(n));
  assert.ok(lones.some(loneGood), `no lone edit within the bound: ${JSON.stringify(lones)}`);
  assert.match(await editorText(page), /^#+ typing while the fleet evaluates/, "the lone edits are in the editor");

  // The timeline is paged too (the worker sends 50 steps at a time).
  await page.click("#tab-timeline");
  await page.waitForSelector("#timeline .step");
  assert.ok(await page.locator("#timeline .step").count() <= 50);
  await page.click("#tab-resources");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shots, "phone-medium-fleet.png") });
  // The why-trace of a fleet's resource (tens of policies and clusters, ClusterPropagationPolicy names,
  // taints in the filters) fits a phone too, its names whole.
  await page.locator("#resources tbody tr").first().click();
  await page.waitForSelector("#explain #clusters");
  const why = await page.evaluate(() => [...document.querySelectorAll("#explain .table-wrap")].map((w) => [w.scrollWidth, w.clientWidth]));
  assert.equal(why.length, 2, "the policies and clusters tables");
  for (const [scroll, client] of why) assert.ok(scroll <= client, `390 px, medium fleet: a why-trace table scrolls sideways (${scroll} > ${client} px)`);
  for (const table of ["#explain table", "#clusters"]) {
    const name = await page.locator(table).locator("tbody tr").first().locator("td").first().innerText();
    assert.match(name, /^(Cluster)?PropagationPolicy\/c?pp-|^member-/);
    assert.equal(await linesOf(page, table, name.trim()), 1, `390 px, medium fleet: ${name} is split across lines`);
  }
  await page.screenshot({ path: path.join(shots, "phone-medium-fleet-why.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("phone layout, dark theme and accessibility (axe: no critical or serious violation)", async () => {
  const { page, ctx } = await open(base, { width: 390, height: 844 });
  const editorBox = await page.locator("#editor").boundingBox();
  const resultsBox = await page.locator(".results").boundingBox();
  assert.ok(resultsBox.y >= editorBox.y + editorBox.height - 1, "stacked below 900 px");
  assert.ok(resultsBox.width >= 350, `results column ${resultsBox.width} px wide`);
  // The resources table needs no sideways scrolling: each row is a card (name, kind, namespace; policy and
  // placement), and nginx-deploy's placement after the preemption is on screen, not clipped or covered.
  const widths = await page.evaluate(() => [".table-wrap", "#resources"].map((s) => {
    const el = document.querySelector(s);
    return [s, el.scrollWidth, el.clientWidth];
  }));
  for (const [s, scroll, client] of widths) assert.ok(scroll <= client, `390 px: ${s} scrolls sideways (${scroll} > ${client} px)`);
  const placement = row(page, "nginx-deploy").locator(".placement");
  assert.equal((await placement.innerText()).trim(), "member1:2, member2:2");
  await placement.scrollIntoViewIfNeeded();
  const seen = await placement.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: innerWidth, height: innerHeight, hit: el.contains(hit) };
  });
  assert.ok(seen.left >= 0 && seen.right <= seen.width && seen.top >= 0 && seen.bottom <= seen.height, `placement in the viewport: ${JSON.stringify(seen)}`);
  assert.ok(seen.hit, "the placement text is what shows at its place");
  // Rows stay keyboard-reachable and selectable as cards.
  await page.locator("#resources tbody tr").first().focus();
  await page.keyboard.press("ArrowDown");
  const second = page.locator("#resources tbody tr").nth(1);
  assert.equal(await second.evaluate((el) => el === document.activeElement), true, "ArrowDown moves the focus");
  await page.waitForFunction(() => document.querySelectorAll("#resources tbody tr")[1]?.getAttribute("aria-selected") === "true");
  // The why-trace of the selected resource fits too: its policy and cluster tables wrap instead of scrolling.
  await page.waitForSelector("#explain #clusters");
  const why = await page.evaluate(() => [...document.querySelectorAll("#explain .table-wrap")].map((w) => [w.scrollWidth, w.clientWidth]));
  assert.equal(why.length, 2, "the policies and clusters tables");
  for (const [scroll, client] of why) assert.ok(scroll <= client, `390 px: a why-trace table scrolls sideways (${scroll} > ${client} px)`);
  // ... and no name is split across lines to fit (a card's policy, the trace's policies and clusters).
  for (const [where, name] of [["#resources", "nginx-pp"], ["#resources", "migrate-pp"], ["#explain table", "PropagationPolicy/nginx-pp"],
    ["#explain table", "migrate-pp"], ["#clusters", "member1"], ["#clusters", "member3"]]) {
    assert.equal(await linesOf(page, where, name), 1, `390 px: ${name} in ${where} is split across lines`);
  }
  await page.screenshot({ path: path.join(shots, "phone-seed.png"), fullPage: true });
  await axe(page, "phone, light");
  await ctx.close();
  const dark = await open(base, { colorScheme: "dark" });
  await row(dark.page, "nginx-deploy").click();
  await dark.page.waitForSelector("#explain");
  await dark.page.screenshot({ path: path.join(shots, "desktop-seed-dark.png") });
  await axe(dark.page, "desktop, dark");
  await dark.page.click("#tab-diagnostics");
  await axe(dark.page, "diagnostics, dark");
  await dark.ctx.close();
});

test("the embed page: the iframe (?embed=1) and the npm package, at 820 and 390 px", async () => {
  const hasPkg = fs.existsSync(path.join(root, "wasm/pkg/web/karmada_policy_wasm.js"));
  for (const width of [820, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(base.replace("/playground/dist/", "/docs/embed.html"));
    const frame = page.frameLocator("#playground");
    await frame.locator("main[data-answered='1']").waitFor({ timeout: 20000 });
    await frame.locator('#resources tr[data-name="checkout"]').waitFor();
    assert.equal(await frame.locator("#resources tr.selected").getAttribute("data-name"), "checkout", "selection from the fragment");
    assert.match(await frame.locator('#resources tr[data-name="api-gateway"] .policy').innerText(), /by-name/);
    assert.equal(await frame.locator("#gate").count(), 0, "no header chrome beyond the examples and the link out");
    assert.equal(await frame.locator("#examples").count(), 1);
    await frame.locator('.open-full[href*="#v2:"]').waitFor();
    const overflow = await page.frames()[1].evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${width} px: the embedded page overflows by ${overflow} px`);
    if (hasPkg) {
      await page.waitForFunction(() => /Evaluated by karmada-policy/.test(document.querySelector("#npm-status").innerText));
      assert.match(await page.locator("#npm-result").innerText(), /PropagationPolicy\/web-pp\s+member1:2, member2:2/);
    }
    await page.screenshot({ path: path.join(shots, `embed-${width}.png`), fullPage: true });
    await axe(page, `embed page ${width}`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test("the build stays within its size budget (wasm + JS <= 500 KB gzip)", () => {
  const { execFileSync } = require("node:child_process");
  const dist = path.join(root, "playground/dist");
  const files = fs.readdirSync(dist).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
  // gzip -9, as scripts/build-playground.sh measures it.
  const total = files.reduce((n, f) => n + execFileSync("gzip", ["-9", "-c", path.join(dist, f)], { maxBuffer: 1 << 26 }).length, 0);
  console.log(`playground: ${total} bytes gzip (${files.join(", ")})`);
  assert.ok(total <= 500000, `${total} bytes gzip`);
});
