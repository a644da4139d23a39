//! wasm-bindgen tests of the facade, run under Node by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use karmada_policy_wasm::{evaluate, explain, validate, version, Evaluation};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

fn js(v: Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn back(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap()
}

use serde::Serialize;

#[wasm_bindgen_test]
fn evaluate_the_seed_scenario() {
    let ans = back(evaluate(js(json!({"yaml": SEED}))).unwrap());
    assert_eq!(ans["ok"], true);
    let res = &ans["report"]["resources"];
    let nginx = res.as_array().unwrap().iter().find(|r| r["name"] == "nginx-deploy").unwrap();
    assert_eq!(nginx["policy"]["name"], "nginx-pp");
    assert_eq!(nginx["placement"].as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn user_errors_are_data_with_utf16_columns() {
    let yaml = "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap, name: \"日本\", namespace: x}\n";
    let ans = back(validate(js(json!({"yaml": yaml}))).unwrap());
    assert_eq!(ans["ok"], false);
    let d = ans["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "webhook-denied").unwrap().clone();
    assert_eq!(d["span"]["start"]["column"], 51, "UTF-16 by default");
    let ans = back(validate(js(json!({"yaml": yaml, "positionEncoding": "utf8"}))).unwrap());
    let d = ans["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "webhook-denied").unwrap().clone();
    assert_eq!(d["span"]["start"]["column"], 55);
    let broken = back(evaluate(js(json!({"yaml": "a: [\n"}))).unwrap());
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["report"], Value::Null);
    assert_eq!(broken["diagnostics"][0]["code"], "yaml-syntax");
}

#[wasm_bindgen_test]
fn misuse_throws() {
    assert!(evaluate(js(json!({"nope": 1}))).is_err());
    assert!(evaluate(JsValue::from_str("not an object")).is_err());
    assert!(evaluate(js(json!({"yaml": 5}))).is_err());
    assert!(evaluate(js(json!({"yaml": SEED, "literalClusters": "yes"}))).is_err());
    assert!(evaluate(js(json!({"yaml": SEED, "positionEncoding": "utf32"}))).is_err());
    assert!(explain(js(json!({"yaml": SEED})), js(json!({"kind": "deployment"}))).is_err());
    // Null and undefined optional fields are absent, as before.
    assert!(evaluate(js(json!({"yaml": SEED, "featureGates": null, "positionEncoding": "utf8"}))).is_ok());
}

#[wasm_bindgen_test]
fn explain_and_version() {
    let ans =
        back(explain(js(json!({"yaml": SEED})), js(json!({"kind": "deployment", "name": "nginx-deploy"}))).unwrap());
    assert_eq!(ans["ok"], true);
    assert_eq!(ans["resource"]["explain"]["policies"][0]["policy"]["name"], "nginx-pp");
    let missing = back(explain(js(json!({"yaml": SEED})), js(json!({"kind": "deployment", "name": "nope"}))).unwrap());
    assert_eq!(missing["ok"], false);
    let v = back(version().unwrap());
    assert_eq!(v["karmadaCommit"], "f8fdd02df3760fd9521624f284877fa84e7be6ef");
    assert!(v["engine"].as_str().unwrap().starts_with("0."));
}

#[wasm_bindgen_test]
fn a_kept_evaluation_answers_like_the_functions() {
    let input = json!({"yaml": SEED});
    let ev = Evaluation::new(js(input.clone())).unwrap();
    assert!(ev.ok());
    assert_eq!(back(ev.report().unwrap()), back(evaluate(js(input.clone())).unwrap()));
    assert!(back(ev.report().unwrap())["report"]["resources"][0].get("explain").is_none(), "compact report");
    let which = json!({"kind": "Deployment", "name": "nginx-deploy"});
    assert_eq!(back(ev.explain(js(which.clone())).unwrap()), back(explain(js(input), js(which)).unwrap()));
    let broken = Evaluation::new(js(json!({"yaml": "a: [\n"}))).unwrap();
    assert!(!broken.ok());
    assert_eq!(back(broken.report().unwrap())["diagnostics"][0]["code"], "yaml-syntax");
    assert!(Evaluation::new(js(json!({"nope": 1}))).is_err());
}
