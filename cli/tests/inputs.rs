//! Inputs as users have them: `kubectl get … -o yaml` / `-o json` List dumps (status, managedFields,
//! resourceVersion, Karmada's claim labels) evaluate as the plain documents do; JSON streams; kubectl-style
//! `-f` (repeatable, with `-R`); `evaluate` as the default command; bad input on each of these paths.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

const LIST_YAML: &str = "tests/data/kubectl-get-list.yaml";
const LIST_JSON: &str = "tests/data/kubectl-get-list.json";
const PLAIN: &str = "tests/data/kubectl-get-list.plain.yaml";

/// The conformance fields of every resource, from `evaluate -o json`.
fn resources(args: &[&str]) -> Vec<serde_json::Value> {
    let mut a = vec!["evaluate", "-o", "json"];
    a.extend(args);
    let out = run(&a, None);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!({
                "kind": r["kind"], "namespace": r["namespace"], "name": r["name"], "policy": r["policy"],
                "binding": r["binding"], "placement": r["placement"], "error": r["error"],
            })
        })
        .collect()
}

#[test]
fn kubectl_list_dumps_evaluate_as_the_plain_documents() {
    let plain = resources(&[PLAIN]);
    assert_eq!(plain.len(), 4);
    assert_eq!(plain[1]["name"], "nginx-deploy");
    assert_eq!(plain[1]["policy"]["name"], "nginx-pp");
    assert_eq!(
        plain[1]["placement"],
        serde_json::json!([{"cluster": "member1", "replicas": 2}, {"cluster": "member2", "replicas": 2}])
    );
    assert_eq!(resources(&[LIST_YAML]), plain, "kubectl get -o yaml");
    // The JSON dump has no comment line for the feature gate: given on the command line.
    assert_eq!(
        resources(&["--feature-gates", "PropagationPolicyPreemption=true", LIST_JSON]),
        plain,
        "kubectl get -o json"
    );
    // Through standard input, as `kubectl get … -o yaml | karmada-policy -` pipes it.
    let dump = std::fs::read_to_string(LIST_YAML).unwrap();
    let out = run(&["-o", "json", "-"], Some(&dump));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // And diff finds nothing between the two.
    let out = run(&["diff", "--base", PLAIN, "--head", LIST_YAML], None);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(text(&out.stdout), "no change (4 resources compared)\n");
}

#[test]
fn evaluate_is_the_default_command() {
    let seed = "../examples/seamless-migration.yaml";
    let explicit = run(&["evaluate", "-o", "wide", seed], None);
    assert_eq!(explicit.status.code(), Some(0));
    for args in [vec![seed], vec!["-o", "wide", seed], vec!["-f", seed, "-o", "wide"]] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("unrecognized"), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("nginx-deploy"), "{args:?}");
    }
    assert_eq!(text(&run(&["-o", "wide", seed], None).stdout), text(&explicit.stdout));
    let stdin = std::fs::read_to_string(seed).unwrap();
    let out = run(&["-"], Some(&stdin));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("PropagationPolicy/nginx-pp"));
}

#[test]
fn dash_f_is_repeatable_and_recursive_with_dash_r() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("nested");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(dir.path().join("a-cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: top}\n").unwrap();
    std::fs::write(
        sub.join("b-cm.json"),
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"nested\"}}\n",
    )
    .unwrap();
    let pp = dir.path().join("pp.txt");
    std::fs::write(&pp, "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n").unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let p = pp.to_string_lossy().into_owned();
    // Without -R only the top directory's files.
    let out = run(&["-f", &p, "-f", &d], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("top") && !stdout.contains("nested"), "{stdout}");
    let out = run(&["-f", &p, "-f", &d, "-R"], None);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("nested"), "{stdout}");
    assert!(stdout.lines().filter(|l| l.contains("PropagationPolicy/p")).count() == 2, "{stdout}");
}

#[test]
fn json_streams_are_documents_and_errors_point_at_the_source_line() {
    let two = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n";
    let out = run(&["-"], Some(two));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("default     a ") && stdout.contains("default     b "), "{stdout}");
    // The warning about b is on line 2 of the input, column 56 (its metadata), as the user's file has it.
    assert!(text(&out.stderr).contains("--> <stdin>:2:56"), "{}", text(&out.stderr));
    let bad = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": [}}\n";
    let out = run(&["-"], Some(bad));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--> <stdin>:2:65"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_on_the_new_paths_is_clear_and_exits_2() {
    // A List item without a name: the item's line and column.
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {namespace: x}\n";
    let out = run(&["-"], Some(list));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--> <stdin>:4:3") && stderr.contains("metadata.name is required"), "{stderr}");
    // A `-f` path that does not exist.
    let out = run(&["-f", "/no/such/dir"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such/dir: no such file or directory"), "{}", text(&out.stderr));
    // Invalid UTF-8 in a JSON file: file, line and column.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.json");
    std::fs::write(&f, b"{\"kind\":\n \"\xff\"}\n").unwrap();
    let out = run(&["-f", &f.to_string_lossy()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.json:2:3: the input is not valid UTF-8"), "{}", text(&out.stderr));
    // Unknown shells and subcommand typos are usage errors, never a panic.
    for args in [&["completions", "tcsh"][..], &["diff", "--base"][..], &["-o", "sarifx", "x.yaml"][..]] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    for (shell, needle) in
        [("bash", "_karmada__policy()"), ("zsh", "#compdef karmada-policy"), ("fish", "complete -c karmada-policy")]
    {
        let out = run(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = text(&out.stdout);
        assert!(s.contains(needle), "{shell}: {}", &s[..s.len().min(300)]);
        assert!(s.contains("diff") && s.contains("validate"), "{shell}: subcommands missing");
    }
    let out = run(&["man"], None);
    assert_eq!(out.status.code(), Some(0));
    let man = text(&out.stdout);
    assert!(man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH karmada-policy"), "{}", &man[..200]);
    assert!(man.contains("diff"), "man page lists the subcommands");
}
