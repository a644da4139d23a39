//! Golden tests of the `karmada-policy` binary: output, exit codes, and errors on bad input.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

fn line_of<'a>(out: &'a str, needle: &str) -> &'a str {
    out.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?} in:\n{out}"))
}

#[test]
fn no_arguments_evaluates_the_seed_scenario() {
    let out = run(&[], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("built-in seed scenario"));
    assert!(line_of(&stdout, "nginx-deploy").contains("PropagationPolicy/nginx-pp"));
    assert!(line_of(&stdout, "nginx-svc").contains("PropagationPolicy/nginx-pp"));
    assert!(line_of(&stdout, "hello-deploy").contains("PropagationPolicy/migrate-pp"));
    assert!(line_of(&stdout, "hello-svc").contains("PropagationPolicy/migrate-pp"));
    assert!(stdout.starts_with("NAMESPACE   NAME"));
}

#[test]
fn seed_with_gate_off_keeps_everything_with_migrate_pp_and_warns() {
    let out = run(
        &["evaluate", "--feature-gates", "PropagationPolicyPreemption=false", "../examples/seamless-migration.yaml"],
        None,
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    for name in ["nginx-deploy", "nginx-svc", "hello-deploy", "hello-svc"] {
        assert!(line_of(&stdout, name).contains("PropagationPolicy/migrate-pp"), "{name}: {stdout}");
    }
    assert!(stderr.contains("warning[preemption-gate-off]"), "{stderr}");
    assert!(stderr.contains("nginx-pp"), "{stderr}");
}

#[test]
fn json_output_has_the_conformance_fields() {
    let out = run(&["evaluate", "-o", "json", "../tests/conformance/seed-migrate-then-nginx__gate-on.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}"));
    let nginx = &v["resources"][1];
    assert_eq!(nginx["name"], "nginx-deploy");
    assert_eq!(nginx["policy"]["name"], "nginx-pp");
    assert_eq!(nginx["binding"], "nginx-deploy-deployment");
    assert_eq!(v["featureGates"]["PropagationPolicyPreemption"], true);
}

#[test]
fn stdin_is_read_with_dash() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
    let out = run(&["evaluate", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(line_of(&text(&out.stdout), "cm").contains("<none>"));
}

fn assert_input_error(yaml: &str, expect_location: &str, expect_text: &str) {
    let out = run(&["evaluate", "-"], Some(yaml));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(expect_location), "expected {expect_location:?} in:\n{stderr}");
    assert!(stderr.contains(expect_text), "expected {expect_text:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn malformed_yaml_is_an_error_with_line_and_column() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [b\n";
    // The unterminated flow sequence is detected at the end of the input.
    assert_input_error(yaml, "<stdin>:8:1", "document 2, line 8:1");
    let tabs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n";
    assert_input_error(tabs, "<stdin>:4:", "document 1");
}

/// A document karmada-apiserver refuses: an `apiserver-rejected` error at its line:column (exit 1, an error
/// diagnostic), and the rest of the stream evaluated, as `kubectl apply -f` of a multi-document file does.
fn assert_refused(yaml: &str, expect_location: &str, expect_text: &str) {
    let out = run(&["evaluate", "-"], Some(yaml));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("error[apiserver-rejected]: {expect_text}")),
        "expected {expect_text:?} in:\n{stderr}"
    );
    assert!(stderr.contains(expect_location), "expected {expect_location:?} in:\n{stderr}");
    // The ConfigMap after the refused policy is evaluated: no policy claims it.
    assert!(line_of(&text(&out.stdout), "cm").contains("<none>"), "{}", text(&out.stdout));
}

const CM: &str = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";

#[test]
fn unknown_policy_field_refuses_that_document_with_the_api_servers_message() {
    let yaml = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  resourceSelectors:\n  - {{apiVersion: v1, kind: ConfigMap}}\n  placment: {{}}\n{CM}");
    assert_refused(&yaml, "<stdin>:7:3", "Error from server (BadRequest): PropagationPolicy in version \"v1alpha1\" cannot be handled as a PropagationPolicy: strict decoding error: unknown field \"spec.placment\"");
}

#[test]
fn wrong_field_type_refuses_that_document_with_the_api_servers_message() {
    let yaml = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  priority: high\n  resourceSelectors:\n  - {{apiVersion: v1, kind: ConfigMap}}\n{CM}");
    assert_refused(&yaml, "<stdin>:5:3", "The PropagationPolicy \"p\" is invalid: spec.priority: Invalid value: \"string\": spec.priority in body must be of type integer: \"string\"");
}

#[test]
fn missing_required_field_refuses_that_document_with_the_api_servers_message() {
    let yaml = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  placement: {{}}\n{CM}");
    // A missing field is reported at the mapping that lacks it.
    assert_refused(
        &yaml,
        "<stdin>:4:1",
        "The PropagationPolicy \"p\" is invalid: spec.resourceSelectors: Required value",
    );
    let op = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata: {{name: o}}\nspec:\n  overrideRules:\n  - overriders: {{plaintext: [{{operator: add, value: 1}}]}}\n{CM}");
    assert_refused(&op, "<stdin>:6:30", "The ClusterOverridePolicy \"o\" is invalid: spec.overrideRules[0].overriders.plaintext[0].path: Required value");
}

#[test]
fn empty_input_is_an_error() {
    assert_input_error("", "error[empty-input]", "empty");
    assert_input_error("# only a comment\n", "error[empty-input]", "only comments");
}

#[test]
fn webhook_denial_exits_1_with_karmadas_message() {
    let yaml = "# feature-gates: PropagationPolicyPreemption=true\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  preemption: Always\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n";
    let out = run(&["evaluate", "-"], Some(yaml));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("admission webhook \"propagationpolicy.karmada.io\" denied the request: spec.resourceSelectors[0].name: Invalid value: \"\": name cannot be empty if preemption is Always"), "{stderr}");
    // The selector lacking a name is pointed at.
    assert!(stderr.contains("--> <stdin>:8:5"), "{stderr}");
}

#[test]
fn explain_names_both_policies_and_the_preemption() {
    let out = run(&["explain", "deployment/nginx-deploy"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(line_of(&stdout, "PropagationPolicy/nginx-pp ").contains("claims"));
    assert!(line_of(&stdout, "PropagationPolicy/migrate-pp ").contains("matches"));
    assert!(stdout.contains("nginx-pp preempted PropagationPolicy default/migrate-pp (priority 10 > 0"), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["evaluate", "--no-such-flag"], None).status.code(), Some(2));
    assert_eq!(run(&["evaluate", "/no/such/file.yaml"], None).status.code(), Some(2));
    assert_eq!(run(&["explain", "nonsense"], None).status.code(), Some(2));
}

#[test]
fn validate_exit_codes_and_formats() {
    // Clean: a policy and the resource it claims, on a declared cluster.
    let clean = "apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: member1}\nspec: {syncMode: Push}\nstatus:\n  apiEnablements:\n  - groupVersion: v1\n    resources: [{kind: ConfigMap, name: configmaps}]\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
    let out = run(&["validate", "-"], Some(clean));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("0 error(s), 0 warning(s)"));
    // Warnings only: 0, or 1 with --strict.
    let warn = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
    let out = run(&["validate", "-"], Some(warn));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("warning[resource-unmatched]"));
    assert_eq!(run(&["validate", "--strict", "-"], Some(warn)).status.code(), Some(1));
    // Errors: 1, with JSON positions in both encodings.
    let bad = "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap, name: \"日本\", namespace: x}\n";
    let out = run(&["validate", "-o", "json", "-"], Some(bad));
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}"));
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "webhook-denied"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(d["line"], 6);
    assert_eq!(d["column"], 55);
    assert_eq!(d["columnUtf16"], 51);
    // Syntax errors are errors for validate too.
    assert_eq!(run(&["validate", "-"], Some("a: [\n")).status.code(), Some(1));
}
