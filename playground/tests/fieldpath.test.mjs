// The field hover's key and path resolution (web/fieldpath.js) on CodeMirror's own Text, with the
// descriptions of web/fields.json (node --test; run after scripts/build-playground.sh installed web/'s npm
// packages). The browser test hovers a few of these in the editor.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { Text } from "../web/node_modules/@codemirror/state/dist/index.js";
import { keyAt, fieldAt, describe } from "../web/fieldpath.js";

const FIELDS = JSON.parse(fs.readFileSync(new URL("../web/fields.json", import.meta.url), "utf8"));

// The document, and the offset of the `nth` occurrence (0-based) of `needle` plus `into` characters.
function at(lines, needle, nth = 0, into = 1) {
  const text = lines.join("\n");
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${nth} not in the text`);
  }
  return [Text.of(lines), i + into];
}
const pathAt = (lines, needle, nth, into) => keyAt(...at(lines, needle, nth, into))?.path ?? null;
function hover(lines, needle, nth, into) {
  const f = fieldAt(...at(lines, needle, nth, into));
  return f && describe(FIELDS, f.kind, f.path);
}

const PP = ["apiVersion: policy.karmada.io/v1alpha1", "kind: PropagationPolicy"];

test("block mappings and sequences, as before", () => {
  const doc = [...PP, "metadata:", "  name: nginx-pp", "spec:", "  resourceSelectors:", "    - apiVersion: apps/v1",
    "      kind: Deployment", "  placement:", "    clusterAffinity:", "      clusterNames:", "        - member1",
    "  preemption: Always", "  placment: {}"];
  assert.equal(hover(doc, "preemption"), "PropagationPolicy spec.preemption: string");
  assert.equal(hover(doc, "kind: Dep"), "PropagationPolicy spec.resourceSelectors.kind: string, required");
  assert.equal(hover(doc, "clusterNames"), "PropagationPolicy spec.placement.clusterAffinity.clusterNames: list of string");
  assert.equal(hover(doc, "resourceSelectors"),
    "PropagationPolicy spec.resourceSelectors: list of object, required\nfields: apiVersion (required), kind (required), namespace, name, labelSelector");
  // The key's first to last character is the key; its value, the dash and the indentation are not.
  const [d, p] = at(doc, "preemption", 0, 0);
  assert.deepEqual(keyAt(d, p), { from: p, to: p + "preemption".length, path: ["spec", "preemption"] });
  assert.deepEqual(keyAt(d, p + "preemption".length), { from: p, to: p + "preemption".length, path: ["spec", "preemption"] });
  assert.equal(keyAt(d, p - 1), null);
  assert.equal(pathAt(doc, "Always"), null);
  assert.equal(pathAt(doc, "member1"), null);
  assert.equal(pathAt(doc, "- apiV", 0, 0), null);
  assert.equal(hover(doc, "placment"), null, "an unknown field has no description");
});

test("flow mappings: one line, nested, in block and flow sequences, over several lines", () => {
  const doc = [...PP, "metadata: {name: p, labels: {env: prod, tier: gold}}", "spec:",
    "  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}, {apiVersion: apps/v1, kind: Deployment, name: web}]",
    "  placement:", "    clusterTolerations:", "    - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}",
    "    - key: spot", "      effect: NoExecute", "    clusterAffinity: {", "      clusterNames: [member1,", "        member2],",
    "      exclude: [member3]", "    }", "    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {staticWeightList: [",
    "      {targetCluster: {clusterNames: [member1]}, weight: 2}]}}", "  preemption: Always"];
  assert.deepEqual(pathAt(doc, "name: p"), ["metadata", "name"]);
  assert.equal(hover(doc, "tier"), "PropagationPolicy metadata.labels.tier: string");
  assert.equal(hover(doc, "env"), "PropagationPolicy metadata.labels.env: string");
  assert.deepEqual(pathAt(doc, "labels"), ["metadata", "labels"]);
  assert.equal(pathAt(doc, "prod"), null, "a value is not a key");
  assert.equal(pathAt(doc, "gold"), null);
  assert.equal(hover(doc, "kind: Dep"), "PropagationPolicy spec.resourceSelectors.kind: string, required");
  assert.equal(hover(doc, "name: web"), "PropagationPolicy spec.resourceSelectors.name: string");
  assert.equal(hover(doc, "effect: NoS"), "PropagationPolicy spec.placement.clusterTolerations.effect: string");
  assert.equal(hover(doc, "key: dedicated"), "PropagationPolicy spec.placement.clusterTolerations.key: string");
  assert.equal(hover(doc, "effect: NoE"), "PropagationPolicy spec.placement.clusterTolerations.effect: string", "a block item after a flow one");
  assert.equal(hover(doc, "clusterNames: [member1,"), "PropagationPolicy spec.placement.clusterAffinity.clusterNames: list of string");
  assert.equal(hover(doc, "exclude"), "PropagationPolicy spec.placement.clusterAffinity.exclude: list of string", "after a sequence over two lines");
  assert.equal(pathAt(doc, "member2"), null);
  assert.equal(hover(doc, "weight: 2"), "PropagationPolicy spec.placement.replicaScheduling.weightPreference.staticWeightList.weight: integer, required");
  assert.deepEqual(pathAt(doc, "clusterNames", 1), ["spec", "placement", "replicaScheduling", "weightPreference", "staticWeightList", "targetCluster", "clusterNames"]);
  assert.equal(hover(doc, "preemption"), "PropagationPolicy spec.preemption: string", "block keys after the flow collections closed");
});

test("quoted keys, in block and flow mappings (JSON too)", () => {
  const doc = [...PP, "spec:", "  'placement':", "    \"clusterAffinity\":", "      'clusterNames': ['member1', \"member2\"]",
    "    replicaScheduling:", "      weightPreference:", "        staticWeightList:", "          - targetCluster: {\"clusterNames\": [member1]}",
    "            \"weight\": 2", "  \"resourceSelectors\": [{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}]", "  'it''s': x"];
  assert.equal(hover(doc, "'clusterNames'"), "PropagationPolicy spec.placement.clusterAffinity.clusterNames: list of string");
  assert.equal(hover(doc, "\"weight\""), "PropagationPolicy spec.placement.replicaScheduling.weightPreference.staticWeightList.weight: integer, required");
  assert.equal(hover(doc, "\"clusterNames\""), "PropagationPolicy spec.placement.replicaScheduling.weightPreference.staticWeightList.targetCluster.clusterNames: list of string");
  assert.equal(hover(doc, "\"kind\""), "PropagationPolicy spec.resourceSelectors.kind: string, required", "a JSON key, no space after the colon");
  assert.equal(pathAt(doc, "\"ConfigMap\""), null);
  assert.equal(pathAt(doc, "'member1'"), null);
  // The range is the quoted scalar, quotes included; the path has the key's value.
  const [d, p] = at(doc, "\"weight\"", 0, 0);
  assert.deepEqual(keyAt(d, p), { from: p, to: p + 8, path: ["spec", "placement", "replicaScheduling", "weightPreference", "staticWeightList", "weight"] });
  assert.deepEqual(pathAt(doc, "'it''s'", 0, 0), ["spec", "it's"]);
});

test("comments, block scalars, documents of a stream and a Cluster's taints", () => {
  const doc = [...PP, "metadata:", "  name: p # name: q", "  annotations:", "    note: |", "      kind: not a key",
    "      spec: {placement: {}}", "", "    other: >-", "      folded", "  # labels: {a: b}", "spec: {preemption: Always} # placement: {}",
    "---", "apiVersion: cluster.karmada.io/v1alpha1", "kind: Cluster", "metadata: {name: member1}", "spec:", "  region: eu",
    "  taints:", "  - {key: dedicated, value: gpu, effect: NoSchedule}", "  - {'key': spot, \"effect\": NoExecute}"];
  assert.equal(pathAt(doc, "name: q"), null, "a comment after a value");
  assert.equal(pathAt(doc, "kind: not"), null, "a block scalar's text");
  assert.equal(pathAt(doc, "placement: {}}"), null);
  assert.deepEqual(pathAt(doc, "other"), ["metadata", "annotations", "other"], "after a block scalar and a blank line");
  assert.equal(pathAt(doc, "labels: {a"), null, "a comment line");
  assert.equal(pathAt(doc, "placement: {}", 1), null, "a comment after a flow mapping");
  assert.equal(hover(doc, "preemption"), "PropagationPolicy spec.preemption: string");
  assert.equal(hover(doc, "effect: NoS"), "Cluster spec.taints.effect: string");
  assert.equal(hover(doc, "\"effect\""), "Cluster spec.taints.effect: string");
  assert.equal(hover(doc, "'key'"), "Cluster spec.taints.key: string");
  assert.equal(hover(doc, "region"), "Cluster spec.region: string");
  assert.equal(hover(doc, "name: member1"), "Cluster metadata.name: string");
});
