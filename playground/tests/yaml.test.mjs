// The export's YAML writer (web/yaml.js), checked on the shapes a report has (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { toYaml } from "../web/yaml.js";

test("block YAML, with quotes where plain scalars could be misread", () => {
  const v = {
    karmadaCommit: "f8fdd02", featureGates: { PropagationPolicyPreemption: true },
    resources: [{ kind: "Deployment", name: "web", policy: null, placement: [{ cluster: "member1", replicas: 2 }], error: "0/1 clusters: x" }],
    clusters: [], empty: {}, odd: ["yes", "1.5", "", " lead", "#hash", "-dash", "<none>", "line\nbreak", "日本"], nested: [[1, 2], []],
  };
  assert.equal(toYaml(v), [
    "karmadaCommit: f8fdd02",
    "featureGates:",
    "  PropagationPolicyPreemption: true",
    "resources:",
    "- kind: Deployment",
    "  name: web",
    "  policy: null",
    "  placement:",
    "  - cluster: member1",
    "    replicas: 2",
    '  error: "0/1 clusters: x"',
    "clusters: []",
    "empty: {}",
    "odd:",
    '- "yes"',
    '- "1.5"',
    '- ""',
    '- " lead"',
    '- "#hash"',
    '- "-dash"',
    '- "<none>"',
    '- "line\\nbreak"',
    '- "日本"',
    "nested:",
    "-",
    "  - 1",
    "  - 2",
    "- []",
    "",
  ].join("\n"));
});
