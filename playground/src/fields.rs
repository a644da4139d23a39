//! web/fields.json, the editor's field hover (web/main.js): the JSON shape of each Karmada policy kind and of
//! Cluster, written from the evaluator's own decoders (core's `Decode::shape`, feature `schema`), so the hover
//! names exactly the fields the evaluator reads. A node is a scalar type name (`string`, `integer`,
//! `boolean`, `quantity`, `any`), `["list", node]`, `["map", node]`, or an object of fields in declaration
//! order, a required field's name starting with `*`. The test fails when the file is not what the decoders
//! say; `UPDATE_GOLDEN=1 cargo test -p karmada-policy-playground fields` rewrites it.

use karmada_policy_core::api::decode::{Decode, Shape};
use karmada_policy_core::api::override_policy::OverridePolicy;
use karmada_policy_core::api::{Cluster, PropagationPolicy};
use serde_json::{json, Map, Value};

fn node(shape: &Shape) -> Value {
    match shape {
        Shape::Scalar(name) => json!(name),
        Shape::List(inner) => json!(["list", node(inner)]),
        Shape::Map(inner) => json!(["map", node(inner)]),
        Shape::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, required, inner)| (format!("{}{name}", if *required { "*" } else { "" }), node(inner)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn schema() -> String {
    let kinds = [
        ("PropagationPolicy", PropagationPolicy::shape()),
        ("OverridePolicy", OverridePolicy::shape()),
        ("Cluster", Cluster::shape()),
    ];
    let all: Map<String, Value> = kinds.iter().map(|(kind, shape)| (kind.to_string(), node(shape))).collect();
    serde_json::to_string(&Value::Object(all)).unwrap_or_default() + "\n"
}

#[test]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
fn fields_json_is_what_the_decoders_read() {
    let want = schema();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/web/fields.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &want).expect("write web/fields.json");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "web/fields.json is stale: UPDATE_GOLDEN=1 cargo test -p karmada-policy-playground fields");
    // What the hover relies on.
    let v: Value = serde_json::from_str(&want).expect("json");
    let spec = &v["PropagationPolicy"]["*spec"];
    assert_eq!(spec["preemption"], "string");
    assert_eq!(spec["*resourceSelectors"][0], "list");
    assert_eq!(spec["*resourceSelectors"][1]["*kind"], "string");
    assert_eq!(spec["placement"]["replicaScheduling"]["weightPreference"]["staticWeightList"][1]["*weight"], "integer");
    assert_eq!(v["PropagationPolicy"]["metadata"]["labels"], json!(["map", "string"]));
    assert_eq!(v["OverridePolicy"]["*spec"]["overrideRules"][1]["*overriders"]["imageOverrider"][0], "list");
}
