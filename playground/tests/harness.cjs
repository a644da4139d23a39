// Shared by the browser tests: the repository root served on 127.0.0.1 (so the playground's build, docs/ and
// the npm package's web build load) and Debian's Chromium driven by playwright-core.
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const assert = require("node:assert/strict");
const { before, after } = require("node:test");
const { chromium } = require("playwright-core");

const root = path.resolve(__dirname, "../..");
/** Where the browser tests save their screenshots ($SCREENSHOTS, default target/playground-screenshots). */
const shots = process.env.SCREENSHOTS || path.join(root, "target/playground-screenshots");
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** Starts the static server and the browser: `{ base, browser, close }`, base being the playground's URL. */
async function start() {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(req.url.split("?")[0].split("#")[0]);
    if (url === "/") url = "/playground/dist/index.html";
    if (url.endsWith("/")) url += "index.html";
    const file = path.join(root, url);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    // playwright launches with a fresh temporary profile (it refuses --user-data-dir here)
  });
  return {
    base: `http://127.0.0.1:${server.address().port}/playground/dist/`,
    browser,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/** Registers a suite's hooks: before its first test the server and browser start (`ready` gets `{ base,
 * browser }`) and the screenshot directory exists; after its last they close. */
function useHarness(ready) {
  let harness;
  before(async () => {
    harness = await start();
    fs.mkdirSync(shots, { recursive: true });
    ready(harness);
  });
  after(async () => {
    await harness?.close();
  });
}

// Waits until the latest edit has been answered (the status line shows its result).
async function settled(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const m = document.querySelector("main[data-edit]");
    return m && Number(m.dataset.edit) > 0 && m.dataset.edit === m.dataset.answered;
  }, null, { timeout });
}

// Replaces the editor's text and waits for the answer to it.
async function setText(page, text, timeout = 30000) {
  const before = await page.evaluate(() => Number(document.querySelector("main").dataset.edit));
  await page.evaluate((t) => kp.editorSetText(t), text);
  await page.waitForFunction((n) => Number(document.querySelector("main").dataset.edit) > n, before);
  await settled(page, timeout);
}

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// axe-core on the page: no critical or serious violation.
async function axe(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] }));
  const bad = result.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `${label}: axe`);
}

module.exports = { root, shots, useHarness, settled, setText, axe };
