//! Golden tests of `karmada-policy diff`: the seed tutorial before and after nginx-pp, the preemption gate on
//! and off, an OverridePolicy change (only the manifest moves), a deletion, `--base-rev` against a git
//! repository, bad input, and on the 10,000-resource bench fleet a one-policy edit checked against two
//! `evaluate` runs.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The seed tutorial without its last document (nginx-pp).
fn seed_without_nginx_pp() -> String {
    let seed = example("seamless-migration.yaml");
    let i = seed
        .rfind("---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: nginx-pp")
        .unwrap();
    seed[..i].to_string()
}

const SEED_NGINX_PP: &str = "\
2 resources change owner, 2 gain member2, 2 change apply result

Deployment default/nginx-deploy
  policy:    PropagationPolicy/migrate-pp → PropagationPolicy/nginx-pp
  placement: member1:2 → member1:2,member2:2 (+member2)
  apply:     member1: Adopted → Updated
  apply:     member2: <none> → Created

Service default/nginx-svc
  policy:    PropagationPolicy/migrate-pp → PropagationPolicy/nginx-pp
  placement: member1:0 → member1:0,member2:0 (+member2)
  apply:     member1: Adopted → Updated
  apply:     member2: <none> → Created
";

#[test]
fn adding_nginx_pp_moves_the_nginx_app_only() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.yaml", &seed_without_nginx_pp());
    let out = run(&["diff", "--base", &base, "--head", "../examples/seamless-migration.yaml"], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), SEED_NGINX_PP);

    let out = run(&["diff", "-o", "json", "--base", &base, "--head", "../examples/seamless-migration.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["compared"], 4);
    let changes = v["changes"].as_array().unwrap();
    let names: Vec<&str> = changes.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["nginx-deploy", "nginx-svc"]);
    for c in changes {
        assert_eq!(c["status"], "changed");
        assert_eq!(c["policy"]["base"], "PropagationPolicy/migrate-pp");
        assert_eq!(c["policy"]["head"], "PropagationPolicy/nginx-pp");
        assert_eq!(c["gained"], serde_json::json!(["member2"]));
        assert!(c.get("lost").is_none());
    }

    // The other way round: nginx-* lose member2 and go back to migrate-pp.
    let out = run(&["diff", "--base", "../examples/seamless-migration.yaml", "--head", &base], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("2 resources change owner, 2 lose member2,"), "{}", text(&out.stdout));
}

#[test]
fn the_preemption_gate_on_versus_off() {
    let seed = "../examples/seamless-migration.yaml";
    let out = run(
        &["diff", "--base-feature-gates", "PropagationPolicyPreemption=false", "--base", seed, "--head", seed],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), SEED_NGINX_PP);
    // Same gates on both sides: no change, exit 0.
    let out = run(&["diff", "--base", seed, "--head", seed], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "no change (4 resources compared)\n");
    // The markdown form says the same for a pull-request comment.
    let out = run(
        &["diff", "-o", "markdown", "--base-feature-gates", "PropagationPolicyPreemption=false", "--base", seed, seed],
        None,
    );
    let md = text(&out.stdout);
    assert!(md.starts_with("**karmada-policy diff**: 2 resources change owner, 2 gain member2"), "{md}");
    assert!(md.contains("| `Deployment default/nginx-deploy` | owner +member2 apply | PropagationPolicy/migrate-pp → PropagationPolicy/nginx-pp | member1:2 → member1:2,member2:2 |  |"), "{md}");
}

#[test]
fn an_override_change_only_changes_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let ex = example("image-override-per-region.yaml");
    assert!(ex.contains("value: us.registry.example.com"));
    let head =
        write(dir.path(), "head.yaml", &ex.replace("value: us.registry.example.com", "value: mirror.us.example.com"));
    let out = run(&["diff", "--base", "../examples/image-override-per-region.yaml", "--head", &head], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "\
1 resource receives a different manifest

Deployment shop/web
  manifest for us-1:
    --- base us-1 Deployment shop/web
    +++ head us-1 Deployment shop/web
    @@ -18,4 +18,4 @@
         spec:
           containers:
           - name: web
    -        image: us.registry.example.com/library/nginx:1.25
    +        image: mirror.us.example.com/library/nginx:1.25
"
    );
    let out =
        run(&["diff", "-o", "json", "--base", "../examples/image-override-per-region.yaml", "--head", &head], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["changes"][0];
    for field in ["policy", "binding", "placement", "gained", "lost", "error", "apply"] {
        assert!(c.get(field).is_none(), "{field} should not change: {c}");
    }
    assert_eq!(c["manifests"][0]["cluster"], "us-1");
}

#[test]
fn adding_the_first_override_policy_shows_the_manifest_change() {
    // The base has no override policy at all (no `overrides` block in its results): its manifests are
    // compared all the same.
    let dir = tempfile::tempdir().unwrap();
    let ex = example("image-override-per-region.yaml");
    let i = ex.find("kind: OverridePolicy").unwrap();
    let start = ex[..i].rfind("---\n").unwrap();
    let end = ex[i..].find("\n---\n").map(|e| i + e + 1).unwrap_or(ex.len());
    let base = write(dir.path(), "base.yaml", &format!("{}{}", &ex[..start], &ex[end..]));
    let out = run(&["diff", "--base", &base, "--head", "../examples/image-override-per-region.yaml"], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("1 resource receives a different manifest\n"), "{stdout}");
    assert!(stdout.contains("+        image: us.registry.example.com/library/nginx:1.25"), "{stdout}");
    assert!(stdout.contains("overrides: us-1: <none> → OverridePolicy shop/"), "{stdout}");
}

#[test]
fn a_deletion_is_reported_as_removed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = example("seamless-migration.yaml");
    let head = write(dir.path(), "head.yaml", &format!("{seed}---\n# delete: Deployment default/hello-deploy\n"));
    let out = run(&["diff", "--base", "../examples/seamless-migration.yaml", "--head", &head], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "\
1 resource is removed

Deployment default/hello-deploy (removed)
  policy:    PropagationPolicy/migrate-pp → <none>
  binding:   hello-deploy-deployment → <none>
  placement: member1:2 → <none>
"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_karmada-policy")).args(args).current_dir(dir).output().unwrap()
}

#[test]
fn base_rev_reads_the_same_paths_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::create_dir(d.join("policies")).unwrap();
    std::fs::write(d.join("policies/seed.yaml"), seed_without_nginx_pp()).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    // The change: nginx-pp appended, and a new file (absent at the base revision) with a ConfigMap.
    std::fs::write(d.join("policies/seed.yaml"), example("seamless-migration.yaml")).unwrap();
    std::fs::write(d.join("policies/zz-cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n").unwrap();
    let out = run_in(d, &["diff", "--base-rev", "HEAD", "policies"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("2 resources change owner, 2 gain member2, 1 is new, 2 change apply result\n"),
        "{stdout}"
    );
    // An unclaimed new ConfigMap: nothing to show but that it is new.
    assert!(stdout.contains("\nConfigMap default/cm (new)\n\nService default/nginx-svc\n"), "{stdout}");
    assert!(stdout.contains("ConfigMap default/cm (new)"), "{stdout}");
    // A file path works as well; a revision that does not exist is bad input.
    let out = run_in(d, &["diff", "--base-rev", "HEAD", "policies/seed.yaml"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let out = run_in(d, &["diff", "--base-rev", "no-such-rev", "policies"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--base-rev no-such-rev: not a commit"), "{}", text(&out.stderr));
    // Nothing changed since HEAD once committed.
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "head"]);
    let out = run_in(d, &["diff", "--base-rev", "HEAD", "policies"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn bad_input_on_either_side_exits_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n");
    let seed = "../examples/seamless-migration.yaml";
    for args in [["--base", &bad, "--head", seed], ["--base", seed, "--head", &bad]] {
        let mut a = vec!["diff"];
        a.extend(args);
        let out = run(&a, None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("bad.yaml:4:1"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let out = run(&["diff", "--base", "/no/such.yaml", "--head", seed], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such.yaml: no such file"), "{}", text(&out.stderr));
    // Without a base, or without a head: usage errors.
    assert_eq!(run(&["diff", seed], None).status.code(), Some(2));
    assert_eq!(run(&["diff", "--base", seed], None).status.code(), Some(2));
}

fn bench_large() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/large.yaml");
    p.exists().then_some(p)
}

/// (kind/namespace/name) → (policy, binding, placement, error) of an `evaluate -o json` run.
fn evaluated(path: &str) -> BTreeMap<String, String> {
    let out = run(&["evaluate", "-o", "json", path], None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = format!(
                "{} {}/{}",
                r["kind"].as_str().unwrap(),
                r["namespace"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            );
            (id, format!("{} {} {} {}", r["policy"], r["binding"], r["placement"], r["error"]))
        })
        .collect()
}

#[test]
fn a_one_policy_edit_on_the_bench_fleet_reports_exactly_what_it_moves() {
    let Some(large) = bench_large() else {
        eprintln!("skipped: ../shared/bench/large.yaml is absent (the bench fleets live beside the repository)");
        return;
    };
    let text_in = std::fs::read_to_string(&large).unwrap();
    // pp-0003 (priority 5, 21 resources) keeps its selectors; its placement is narrowed to two clusters.
    let at = text_in.find("metadata: {name: pp-0003, namespace: ns-03}").unwrap();
    let placement = at + text_in[at..].find("  placement:\n").unwrap() + "  placement:\n".len();
    let edited = format!(
        "{}    clusterAffinity: {{clusterNames: [member-001, member-002]}}\n{}",
        &text_in[..placement],
        &text_in[placement..]
    );
    let dir = tempfile::tempdir().unwrap();
    let head = write(dir.path(), "large-edited.yaml", &edited);
    let base = large.to_string_lossy().into_owned();

    let started = std::time::Instant::now();
    let out = run(&["diff", "-o", "json", "--base", &base, "--head", &head], None);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["compared"], 10_000);
    // 21 resources leave 83 clusters: the summary counts them rather than listing 83 clauses.
    let summary = v["summary"].as_str().unwrap();
    assert!(summary.len() < 200 && summary.contains("lose clusters ("), "{summary}");
    let reported: Vec<String> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}/{}",
                c["kind"].as_str().unwrap(),
                c["namespace"].as_str().unwrap(),
                c["name"].as_str().unwrap()
            )
        })
        .collect();

    let (before, after) = (evaluated(&base), evaluated(&head));
    let mut moved: Vec<String> =
        after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect();
    moved.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    let mut reported_sorted = reported.clone();
    reported_sorted.sort();
    moved.sort();
    assert!(!moved.is_empty(), "the edit should move something");
    assert_eq!(reported_sorted, moved, "diff must report exactly the resources two evaluate runs differ on");
    eprintln!("bench diff: {} of 10000 resources move, {took:?} (debug build, both sides evaluated)", moved.len());
}
