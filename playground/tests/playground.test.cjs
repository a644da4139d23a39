// Browser test of the playground (node --test): Debian's Chromium driven by playwright-core against the
// static build served on 127.0.0.1. Run after scripts/build-playground.sh.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");

const dist = path.resolve(__dirname, "../dist");
const shots = process.env.SCREENSHOTS || path.resolve(__dirname, "../../target/playground-screenshots");
let server, browser, base;

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

before(async () => {
  server = http.createServer((req, res) => {
    const file = path.join(dist, decodeURIComponent(req.url.split("?")[0].split("#")[0]) === "/" ? "index.html" : req.url.split("?")[0]);
    if (!file.startsWith(dist) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}/`;
  fs.mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(url = base) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("#resources tr[data-name]", { timeout: 20000 }).catch(() => {});
  return { page, errors };
}

async function setText(page, text) {
  await page.fill("#yaml", text);
  await page.waitForTimeout(600); // the editor evaluates 250 ms after the last keystroke
}

test("the seed scenario is loaded and evaluated", async () => {
  const { page, errors } = await open();
  const row = page.locator('#resources tr[data-name="nginx-deploy"]');
  await row.waitFor();
  assert.match(await row.locator(".policy").innerText(), /nginx-pp/);
  assert.match(await row.locator(".placement").innerText(), /member1:2, member2:2/);
  assert.match(await page.locator('#resources tr[data-name="hello-deploy"] .policy').innerText(), /migrate-pp/);
  assert.match(await page.locator("#version").innerText(), /Karmada v1\.19/);
  await row.click();
  const explain = await page.locator("#explain").innerText();
  assert.match(explain, /nginx-pp preempted PropagationPolicy default\/migrate-pp \(priority 10 > 0/);
  assert.match(explain, /member3/);
  await page.screenshot({ path: path.join(shots, "seed.png"), fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test("bad input shows the error with its line and keeps the text", async () => {
  const { page, errors } = await open();
  for (const [name, bad, expect] of [
    ["syntax", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [a\n", /yaml-syntax/],
    ["unknown field", "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n  placment: {}\n", /7:3 error\[bad-field\]/],
    ["billion laughs", fs.readFileSync(path.resolve(__dirname, "../../tests/corpus/bad/billion-laughs.yaml"), "utf8"), /repetition limit exceeded/],
    ["duplicate key", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: 1\n  k: 2\n", /duplicate-key/],
  ]) {
    await setText(page, bad);
    await page.locator("#input-error").waitFor();
    // Poll: the evaluation runs after the editor's debounce.
    await page.waitForFunction(
      ([src, flags]) => new RegExp(src, flags).test(document.querySelector("#diagnostics")?.innerText ?? ""),
      [expect.source, expect.flags],
      { timeout: 10000 },
    ).catch(() => {});
    assert.match(await page.locator("#diagnostics").innerText(), expect, name);
    assert.equal(await page.inputValue("#yaml"), bad, `${name}: the text is kept`);
    if (name === "unknown field") await page.screenshot({ path: path.join(shots, "error.png") });
  }
  assert.deepEqual(errors, [], "no exception (a wasm panic would show here)");
  await page.close();
});

test("the gate toggle and a share link round-trip", async () => {
  const { page } = await open();
  await page.selectOption("#gate", "off");
  await page.waitForFunction(() => /migrate-pp/.test(document.querySelector('#resources tr[data-name="nginx-deploy"] .policy')?.innerText ?? ""), null, { timeout: 10000 }).catch(() => {});
  assert.match(await page.locator('#resources tr[data-name="nginx-deploy"] .policy').innerText(), /migrate-pp/);
  await setText(page, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared-cm}\n");
  await page.click("#share");
  const url = page.url();
  assert.match(url, /#v1:/);
  const second = await open(url);
  await second.page.locator('#resources tr[data-name="shared-cm"]').waitFor();
  assert.equal(await second.page.inputValue("#yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared-cm}\n");
  await second.page.close();
  await page.close();
});
