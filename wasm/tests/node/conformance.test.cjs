// Node test: the nodejs package gives, for every conformance vector, exactly the CLI's `-o json` output.
// Run after scripts/build-wasm.sh and a debug build of the CLI (cargo test builds it).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "../../..");
const pkg = require(path.join(root, "wasm/pkg/node/karmada_policy_wasm.js"));
const cli = process.env.KARMADA_POLICY_CLI || path.join(root, "target/debug/karmada-policy");

function cliJson(file) {
  try {
    return execFileSync(cli, ["evaluate", "-o", "json", "--literal-clusters", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch (e) {
    // exit code 1 (scheduling errors, denials) still prints the JSON
    if (e.status === 1) return e.stdout;
    throw e;
  }
}

for (const dir of ["tests/conformance", "tests/conformance-next", "tests/conformance-controllers"]) {
  test(`wasm output equals the CLI's JSON byte for byte: ${dir}`, () => {
    const files = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".yaml")).sort();
    assert.ok(files.length > 0);
    let same = 0;
    const diffs = [];
    for (const f of files) {
      const file = path.join(root, dir, f);
      const yaml = fs.readFileSync(file, "utf8");
      const answer = pkg.evaluate({ yaml, literalClusters: true, positionEncoding: "utf8" });
      assert.equal(answer.ok, true, `${f}: ${JSON.stringify(answer.diagnostics)}`);
      const mine = JSON.stringify(answer.report, null, 2) + "\n";
      if (mine === cliJson(file)) same++;
      else diffs.push(f);
    }
    console.log(`${dir}: ${same}/${files.length} identical to the CLI`);
    assert.deepEqual(diffs, []);
  });
}

test("user errors are data, misuse throws", () => {
  const bad = pkg.evaluate({ yaml: "a: [\n" });
  assert.equal(bad.ok, false);
  assert.equal(bad.report, null);
  assert.equal(bad.diagnostics[0].code, "yaml-syntax");
  assert.throws(() => pkg.evaluate("not an object"));
  const v = pkg.version();
  assert.equal(v.karmadaCommit, "f8fdd02df3760fd9521624f284877fa84e7be6ef");
});
