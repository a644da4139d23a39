// Browser tests of the pictures (issue 15): the ownership lanes, the placement matrix, the cluster funnel,
// the step diff and the why-trace's causes, in Debian's Chromium (playwright-core) against the static build.
// Screenshots go to $SCREENSHOTS (default target/playground-screenshots), pictures-*.png.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { root, shots, useHarness, settled: settledWithin, setText: setTextWithin, axe } = require("./harness.cjs");

// The bench's large fleet when it is next to the repository; otherwise a 10,000-resource fleet made from the
// repository's medium one (its 5,000 templates, then a renamed copy of each), so the test never skips.
const LARGE_FILE = [process.env.LARGE_FLEET, path.join(root, "../shared/bench/large.yaml")].find((f) => f && fs.existsSync(f));
function largeFleet() {
  if (LARGE_FILE) return fs.readFileSync(LARGE_FILE, "utf8");
  const text = fs.readFileSync(path.join(root, "tests/bench/medium.yaml"), "utf8");
  const docs = text.split("\n---\n");
  const templates = docs.filter((d) => !/\nkind: (Cluster|PropagationPolicy|ClusterPropagationPolicy)\n/.test(`\n${d}\n`));
  const copies = templates.map((d) => d.replace(/^(  name: .*)$/m, "$1-r1").replace(/^(  uid: .*)$/m, "$1-r1"));
  return `${docs.join("\n---\n").trimEnd()}\n---\n${copies.join("\n---\n").trimEnd()}\n`;
}
let browser, base;
// The pictures' fleets are large: answers may take up to two minutes on a busy machine.
const SLOW = 120000;
const settled = (page) => settledWithin(page, SLOW);
const setText = (page, text) => setTextWithin(page, text, SLOW);

useHarness((h) => ({ base, browser } = h));

async function open({ width = 1280, height = 900 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base);
  await settled(page);
  return { page, ctx, errors };
}




const tab = (page, name) => page.click(`#tab-${name}`);
const select = async (page, name) => {
  await page.locator(`#resources tr[data-name="${name}"]`).first().click();
  await page.waitForFunction((n) => (document.querySelector("#explain h2")?.innerText ?? "").includes(n), name);
};

test("seed: four lanes, migrate-pp from step 9, nginx-* to nginx-pp at step 10 with member2; matrix; funnel", async () => {
  for (const [width, height, label] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
    const { page, ctx, errors } = await open({ width, height });
    await tab(page, "timeline");
    await page.waitForSelector("#lanes-svg");
    assert.match(await page.locator("#lanes-t").textContent(), /Ownership timeline: 4 of 4 resources over 10 steps/);
    assert.equal(await page.locator("#lanes-svg g.lane").count(), 4);
    const nginx = page.locator('#lanes-svg g.lane[data-subject="Deployment default/nginx-deploy"]');
    const segs = await nginx.locator("rect.seg title").allTextContents();
    assert.deepEqual(segs, [
      "steps 5–8: unclaimed",
      "steps 9–9: PropagationPolicy default/migrate-pp → member1:2",
      "steps 10–10: PropagationPolicy default/nginx-pp → member1:2, member2:2",
    ]);
    assert.match(await nginx.locator('[data-kind="Preempted"] title').textContent(), /^step 10 Preempted: .*priority 10 > 0/);
    const hello = page.locator('#lanes-svg g.lane[data-subject="Deployment default/hello-deploy"] rect.seg title');
    assert.match((await hello.allTextContents()).at(-1), /steps 9–10: PropagationPolicy default\/migrate-pp → member1:2/);
    // Segments of one policy share a colour class in every lane.
    const cls = await page.locator("#lanes-svg rect.seg").evaluateAll((rs) => rs.map((r) => [r.querySelector("title").textContent.split(": ")[1].split(" →")[0], r.getAttribute("class")]));
    const byOwner = new Map();
    for (const [o, c] of cls) assert.equal(byOwner.get(o) ?? c, c, o), byOwner.set(o, c);
    assert.notEqual(byOwner.get("PropagationPolicy default/migrate-pp"), byOwner.get("PropagationPolicy default/nginx-pp"));
    // The diff of steps 9 and 10: the two nginx resources changed owner and gained member2.
    await page.fill("#diff-from", "9");
    await page.fill("#diff-to", "10");
    await page.click("#diff-go");
    await page.waitForSelector("#diff caption");
    assert.match(await page.locator("#diff caption").textContent(), /^2 resource\(s\) changed/);
    assert.match(await page.locator("#diff").innerText(), /nginx-deploy\s+PropagationPolicy default\/migrate-pp → member1:2\s+PropagationPolicy default\/nginx-pp → member1:2, member2:2/);
    await page.screenshot({ path: path.join(shots, `pictures-${label}-seed-timeline.png`), fullPage: label === "phone" });
    await page.locator("#draw-lanes").screenshot({ path: path.join(shots, `pictures-${label}-seed-lanes.png`) });
    await axe(page, `${label} timeline`);

    await tab(page, "placement");
    await page.waitForSelector("#matrix-svg");
    assert.match(await page.locator("#matrix-t").textContent(), /rows 1–4 of 4 × 3 clusters/);
    // A row's cells are one path per look (draw.js cellPaths); the pointer over a cell shows that cell's title.
    const cell = [];
    for (const p of await page.locator('#matrix-svg g[data-key="Deployment/default/nginx-deploy"] path.cell').all()) {
      for (const x of (await p.getAttribute("data-x")).split(",").map(Number)) {
        await page.evaluate((left) => (document.getElementById("matrix-scroll").scrollLeft = Math.max(0, left - 150)), x);
        await p.scrollIntoViewIfNeeded();
        const [svg, row] = [await page.locator("#matrix-svg").boundingBox(), await p.boundingBox()];
        await page.mouse.move(svg.x + x + 8, row.y + row.height / 2);
        cell.push(await p.locator("title").textContent());
      }
    }
    assert.deepEqual(cell, [
      "Deployment default/nginx-deploy on member1: 2 replica(s), Updated",
      "Deployment default/nginx-deploy on member2: 2 replica(s), Created",
    ]);
    // Most replicas first: nginx-deploy (2 + 2) leads.
    await page.selectOption("#m-sort", "replicas");
    await page.waitForFunction(() => document.querySelector("#matrix-svg g.mrow")?.getAttribute("data-key") === "Deployment/default/nginx-deploy");
    await page.selectOption("#m-sort", "name");
    await page.waitForFunction(() => document.querySelector("#matrix-svg g.mrow")?.getAttribute("data-key") === "Deployment/default/hello-deploy");
    await page.screenshot({ path: path.join(shots, `pictures-${label}-seed-matrix.png`), fullPage: label === "phone" });
    await axe(page, `${label} matrix`);
    // Clicking a resource in the matrix shows its why-trace, with the funnel.
    await page.locator('#matrix-svg g[data-key="Deployment/default/nginx-deploy"] text.lbl').click();
    await page.waitForFunction(() => (document.querySelector("#explain h2")?.innerText ?? "").includes("nginx-deploy"));
    await page.waitForSelector("#funnel-svg");
    assert.match(await page.locator("#funnel-t").textContent(), /Cluster funnel: 3 clusters, 2 selected/);
    assert.match(await page.locator("#funnel-d").textContent(), /ClusterAffinity: 2 left, removed member3\./);
    await page.locator("#funnel-svg").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, `pictures-${label}-seed-funnel.png`), fullPage: label === "phone" });
    await axe(page, `${label} funnel`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test("gate off: the trace and the lanes say the gate stopped the preemption", async () => {
  const { page, ctx, errors } = await open();
  await page.selectOption("#gate", "off");
  await settled(page);
  assert.equal(await page.locator("#gate-overridden").textContent(), "overrides the scenario's # feature-gates: PropagationPolicyPreemption=true");
  await select(page, "nginx-deploy");
  const row = page.locator("#explain tr", { hasText: "PropagationPolicy/nginx-pp" });
  assert.match(await row.innerText(), /would preempt PropagationPolicy default\/migrate-pp, but the PropagationPolicyPreemption feature gate is off, set by the feature-gates override \(the scenario's line says true\)/);
  // No SCORE column (every score is 0); available replicas are explained.
  assert.equal(await page.locator("#clusters th", { hasText: "SCORE" }).count(), 0);
  assert.match(await page.locator("#clusters").innerText(), /not used by Duplicated/);
  await page.screenshot({ path: path.join(shots, "pictures-gate-off-trace.png") });
  await tab(page, "timeline");
  await page.waitForSelector("#lanes-svg");
  const mark = page.locator('#lanes-svg g.lane[data-subject="Deployment default/nginx-deploy"] [data-kind="PreemptionDisabled"] title');
  assert.match(await mark.textContent(), /^step 10 PreemptionDisabled: PropagationPolicy default\/nginx-pp would preempt/);
  const owners = await page.locator("#lanes-svg rect.seg title").allTextContents();
  assert.ok(owners.every((t) => !t.includes("nginx-pp")), "nobody moves to nginx-pp");
  await page.screenshot({ path: path.join(shots, "pictures-gate-off-timeline.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("webhook denial: the refused policy is in the trace with its message and a link to its line", async () => {
  const { page, ctx, errors } = await open();
  await page.selectOption("#examples", "webhook-denial");
  await settled(page);
  await page.waitForFunction(() => /refused by the admission webhook/.test(document.querySelector("#status")?.innerText ?? ""));
  assert.match(await page.locator("#status").innerText(), /^2 resources · .* · 1 policy\(ies\) refused by the admission webhook/);
  await select(page, "api");
  const row = page.locator("#explain tr.denied");
  assert.match(await row.innerText(), /PropagationPolicy\/cross-ns.*denied.*namespace of resource selector must be the same as the namespace of the policy/s);
  await row.locator("button.at").click();
  const sel = await page.evaluate(() => {
    const v = kp.view, r = v.state.selection.main, l = v.state.doc.lineAt(r.from);
    return [l.number, r.from - l.from + 1];
  });
  assert.deepEqual(sel, [12, 45]);
  await page.screenshot({ path: path.join(shots, "pictures-webhook-denial.png") });
  await tab(page, "timeline");
  await page.waitForSelector("#lanes-svg");
  assert.match(await page.locator('[data-kind="PolicyDenied"] title').first().textContent(), /^step 1 PolicyDenied: PropagationPolicy team-a\/cross-ns denied: admission webhook/);
  await page.screenshot({ path: path.join(shots, "pictures-webhook-denial-timeline.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("bench small fleet (1,000 resources): the matrix groups by policy and zooms into a group", async () => {
  const { page, ctx, errors } = await open();
  await setText(page, fs.readFileSync(path.join(root, "tests/bench/small.yaml"), "utf8"));
  await tab(page, "placement");
  await page.waitForSelector("#matrix-svg");
  assert.match(await page.locator("#matrix-count").textContent(), /groups \(click one to zoom in\)/);
  await page.screenshot({ path: path.join(shots, "pictures-small-fleet-matrix.png") });
  const first = page.locator("#matrix-svg g.mrow").first();
  const label = await first.locator("title").first().textContent();
  await first.locator("text.lbl").click();
  await page.waitForFunction(() => /resources ×/.test(document.querySelector("#matrix-count")?.textContent ?? ""));
  assert.match(await page.locator("#m-zoom").textContent(), /group /, label);
  await page.screenshot({ path: path.join(shots, "pictures-small-fleet-zoomed.png") });
  await tab(page, "timeline");
  await page.waitForSelector("#lanes-svg");
  assert.match(await page.locator("#lanes-t").textContent(), /Ownership timeline: 40 of 1000 resources/);
  await page.screenshot({ path: path.join(shots, "pictures-small-fleet-timeline.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the 10,000-resource fleet: the matrix renders in under 1 s and scrolls smoothly", async () => {
  const { page, ctx, errors } = await open();
  await setText(page, largeFleet());
  assert.match(await page.locator("#status").innerText(), /10000 resources/);
  // From the tab click (the result is in) to the matrix window in place.
  const t0 = await page.evaluate(() => performance.now());
  await tab(page, "placement");
  await page.waitForSelector("#draw-matrix[data-drawn]", { timeout: 20000 });
  const firstMs = (await page.evaluate(() => Number(document.querySelector("#draw-matrix").dataset.drawn))) - t0;
  const workerMs = await page.evaluate(() => document.querySelector("#draw-matrix").dataset.ms);
  // Every resource as a row (no grouping): 10,000 rows, one window of SVG.
  await page.selectOption("#m-group", "none");
  await page.waitForFunction(() => /10000 resources/.test(document.querySelector("#matrix-count")?.textContent ?? ""), null, { timeout: 20000 });
  const t1 = await page.evaluate(() => Number(document.querySelector("#draw-matrix").dataset.requested));
  const allMs = (await page.evaluate(() => Number(document.querySelector("#draw-matrix").dataset.drawn))) - t1;
  const nodes = await page.locator("#matrix-svg g.mrow").count();
  // Scroll through it: frame intervals while the page scrolls 60 times by 600 px.
  const scroll = await page.evaluate(async () => {
    const s = document.getElementById("matrix-scroll");
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      s.scrollTop += 600;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    await new Promise((r) => setTimeout(r, 500));
    frames.sort((a, b) => a - b);
    return { median: frames[30], p95: frames[57], max: frames[59], top: s.scrollTop, offset: 20 * Number(document.querySelector("#matrix-svg g.mchunk")?.dataset.chunk) };
  });
  console.log(`large fleet matrix: first draw ${firstMs.toFixed(0)} ms after the tab click (worker: data, window ${workerMs} ms), ungrouped ${allMs.toFixed(0)} ms, ${nodes} rows in the DOM, scroll ${JSON.stringify(scroll)}`);
  assert.ok(firstMs < 1000, `first draw ${firstMs} ms`);
  assert.ok(allMs < 1000, `ungrouped draw ${allMs} ms`);
  assert.ok(nodes <= 80, `${nodes} rows drawn: the window, not the fleet`);
  assert.ok(scroll.median < 20, `median frame ${scroll.median} ms (60 fps is 16.7)`);
  assert.ok(scroll.offset > 1000, "the window followed the scroll");
  await page.screenshot({ path: path.join(shots, "pictures-large-fleet-matrix.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});
