//! `karmada-policy`: which PropagationPolicy claims each resource and where it lands — Karmada's answer, offline.

mod input;
mod render;
mod render_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use input::Input;
use karmada_policy_core::report::ExplainedResource;
use karmada_policy_core::{evaluate, Evaluation, Options, Severity};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "karmada-policy",
    version,
    about = "Evaluate Karmada propagation scenarios offline: which (Cluster)PropagationPolicy claims each resource template and where it lands, as Karmada f8fdd02 (v1.19) decides it.\n\nWith no arguments, evaluates the built-in seamless-migration tutorial scenario."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Output {
    Table,
    Wide,
    Json,
    Yaml,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiagOutput {
    Text,
    Json,
}

#[derive(clap::Args)]
struct Common {
    /// Scenario files or directories (`-` for standard input); documents are applied in order.
    #[arg(value_name = "FILE|DIR|-")]
    paths: Vec<String>,
    /// Recurse into directories.
    #[arg(short = 'R', long)]
    recursive: bool,
    /// Feature gates, as the karmada-controller-manager flag (overrides the file's `# feature-gates:`).
    #[arg(long, value_name = "Name=bool,...")]
    feature_gates: Option<String>,
    /// Take Cluster documents literally: without any, Karmada has no member cluster (default: assume
    /// member1..3 of hack/local-up-karmada.sh).
    #[arg(long)]
    literal_clusters: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario: policy, binding and placement of every resource template.
    Evaluate {
        #[command(flatten)]
        common: Common,
        /// Output format.
        #[arg(short, long, value_enum, default_value = "table")]
        output: Output,
        /// With `-o json|yaml`: every resource's why-trace too (policy verdicts, events, the scheduler's
        /// per-cluster table, override rules). Large on big fleets; `explain` gives one resource's.
        #[arg(long)]
        explain: bool,
    },
    /// Why one resource got its policy and placement: policies considered, events, per-cluster verdicts.
    Explain {
        /// `<kind>/<name>`, e.g. `deployment/nginx-deploy`.
        resource: String,
        /// Namespace of the resource.
        #[arg(short, long, default_value = "default")]
        namespace: String,
        #[command(flatten)]
        common: Common,
        /// Output format (table = readable why-trace).
        #[arg(short, long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Check a scenario: Karmada's admission rules (webhooks and CRD schema) and lints, with line:column.
    Validate {
        #[command(flatten)]
        common: Common,
        /// Exit 1 on warnings too.
        #[arg(long)]
        strict: bool,
        /// Output format: text (rustc-like) or json.
        #[arg(short, long, value_enum, default_value = "text")]
        output: DiagOutput,
    },
    /// The YAML a member cluster receives for one resource (replicas revised, overrides applied), or with
    /// `--diff` its unified diff against the template.
    Render(render_cmd::RenderArgs),
    /// What happened at each document, one line per event.
    Timeline {
        #[command(flatten)]
        common: Common,
    },
    /// Bindings, like `kubectl get rb` / `kubectl get crb`.
    Get {
        /// `rb` (ResourceBinding) or `crb` (ClusterResourceBinding).
        #[arg(value_parser = ["rb", "resourcebinding", "resourcebindings", "crb", "clusterresourcebinding", "clusterresourcebindings"])]
        what: String,
        #[command(flatten)]
        common: Common,
    },
}

fn load(common: &Common) -> Result<Input, String> {
    if common.paths.is_empty() {
        eprintln!("note: no input given: evaluating the built-in seed scenario {}", input::SEED_NAME);
        return Ok(Input::single(input::SEED_NAME, input::SEED.to_string()));
    }
    input::read(&common.paths, common.recursive)
}

/// Evaluates, printing diagnostics to stderr. `Err(code)` when the input is unusable.
fn run_eval(common: &Common) -> Result<(Evaluation, Input), ExitCode> {
    run_eval_with(common, false)
}

/// Evaluates, keeping templates and per-cluster manifests when `keep_manifests` (for `render`).
pub(crate) fn run_eval_with(common: &Common, keep_manifests: bool) -> Result<(Evaluation, Input), ExitCode> {
    let input = load(common).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let options = Options {
        feature_gates: common.feature_gates.clone(),
        literal_clusters: common.literal_clusters,
        keep_manifests,
    };
    match evaluate(&input.text, &options) {
        Ok(evaluation) => {
            // Infos that change what the user should expect are shown; the others are in `-o json`.
            let shown: Vec<_> = evaluation
                .diagnostics
                .iter()
                .filter(|d| {
                    d.severity != Severity::Info
                        || matches!(
                            d.code.as_str(),
                            "assumed-clusters" | "not-scheduled-scheduler-name" | "dispatching-suspended"
                        )
                })
                .collect();
            eprint!("{}", render::diagnostics(&shown, &input));
            Ok((evaluation, input))
        }
        Err(e) => {
            for d in &e.diagnostics {
                eprint!("{}", render::diagnostic(d, &input));
            }
            Err(ExitCode::from(2))
        }
    }
}

/// The exit code for an evaluation. The process ends right after: the evaluation is not freed piece by piece
/// (on a large fleet that takes longer than a good part of the evaluation), the OS takes the memory back.
fn exit_for(evaluation: Evaluation) -> ExitCode {
    let errors = evaluation.has_errors();
    std::mem::forget(evaluation);
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes `v` to standard output as it is serialized (a large fleet's JSON is never held in memory whole).
fn print_structured<T: serde::Serialize>(v: &T, output: Output) -> Result<(), ExitCode> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match output {
        Output::Yaml => serde_yaml::to_writer(&mut out, v).map_err(|e| e.to_string()),
        _ => serde_json::to_writer_pretty(&mut out, v)
            .map_err(|e| e.to_string())
            .and_then(|()| writeln!(out).map_err(|e| e.to_string())),
    };
    match written.and_then(|()| out.flush().map_err(|e| e.to_string())) {
        Ok(()) => Ok(()),
        Err(e) => {
            eprintln!("error: cannot write the result: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Evaluate {
        common: Common { paths: vec![], recursive: false, feature_gates: None, literal_clusters: false },
        output: Output::Table,
        explain: false,
    });
    match command {
        Command::Evaluate { common, output, explain } => {
            let (evaluation, _) = match run_eval(&common) {
                Ok(r) => r,
                Err(c) => return c,
            };
            let printed = match output {
                Output::Table | Output::Wide => {
                    print!("{}", render::resources(evaluation.resources(), output == Output::Wide));
                    Ok(())
                }
                Output::Json | Output::Yaml => print_structured(&evaluation.report_view(explain), output),
            };
            if let Err(c) = printed {
                return c;
            }
            exit_for(evaluation)
        }
        Command::Explain { resource, namespace, common, output } => {
            let Some((kind, name)) = resource.split_once('/') else {
                eprintln!("error: resource must be <kind>/<name>, e.g. deployment/nginx-deploy");
                return ExitCode::from(2);
            };
            let (evaluation, _) = match run_eval(&common) {
                Ok(r) => r,
                Err(c) => return c,
            };
            let Some(key) = evaluation.find(kind, &namespace, name) else {
                eprintln!("error: no resource template {kind}/{name} in namespace {namespace}");
                return ExitCode::from(2);
            };
            let r = ExplainedResource { result: evaluation.result_of(key), explain: evaluation.explain_key(key) };
            match output {
                Output::Json | Output::Yaml => {
                    if let Err(c) = print_structured(&r, output) {
                        return c;
                    }
                }
                _ => print!("{}", render::explain(&r)),
            }
            exit_for(evaluation)
        }
        Command::Validate { common, strict, output } => validate(&common, strict, output),
        Command::Render(args) => render_cmd::run(&args),
        Command::Timeline { common } => {
            let (evaluation, _) = match run_eval(&common) {
                Ok(r) => r,
                Err(c) => return c,
            };
            print!("{}", render::timeline(&evaluation.steps, &evaluation.timeline));
            exit_for(evaluation)
        }
        Command::Get { what, common } => {
            let (evaluation, _) = match run_eval(&common) {
                Ok(r) => r,
                Err(c) => return c,
            };
            let cluster_scoped = what.starts_with('c');
            let mut rows = vec![if cluster_scoped {
                vec!["NAME", "SCHEDULED", "FULLYAPPLIED", "POLICY"]
            } else {
                vec!["NAMESPACE", "NAME", "SCHEDULED", "FULLYAPPLIED", "POLICY"]
            }
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()];
            for r in evaluation.resources() {
                let Some(b) = &r.binding else { continue };
                if r.namespace.is_empty() != cluster_scoped {
                    continue;
                }
                let scheduled = if r.error.is_none() { "True" } else { "False" };
                let policy = r.policy.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "<none>".into());
                let mut row = Vec::new();
                if !cluster_scoped {
                    row.push(r.namespace.clone());
                }
                // FULLYAPPLIED as `kubectl get rb` shows it: True when every target cluster applied; without member
                // objects in the scenario every Work is created, so a scheduled binding is fully applied.
                let fully = match r.fully_applied {
                    Some(f) => f,
                    None => r.error.is_none() && !r.placement.is_empty(),
                };
                let fully = if fully { "True" } else { "False" };
                row.extend([b.clone(), scheduled.to_string(), fully.to_string(), policy]);
                rows.push(row);
            }
            print!("{}", render::table(&rows));
            exit_for(evaluation)
        }
    }
}

/// `validate`: every diagnostic of the scenario; exit 0 clean, 1 on errors (or warnings with --strict).
fn validate(common: &Common, strict: bool, output: DiagOutput) -> ExitCode {
    let input = match load(common) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let options = Options {
        feature_gates: common.feature_gates.clone(),
        literal_clusters: common.literal_clusters,
        keep_manifests: false,
    };
    let diagnostics = match evaluate(&input.text, &options) {
        Ok(evaluation) => evaluation.diagnostics,
        Err(e) => e.diagnostics,
    };
    let shown: Vec<_> = diagnostics.iter().filter(|d| d.severity != Severity::Info).collect();
    match output {
        DiagOutput::Json => {
            let located: Vec<serde_json::Value> = shown
                .iter()
                .map(|d| {
                    let mut v = serde_json::to_value(d).unwrap_or_default();
                    if let (Some(span), serde_json::Value::Object(m)) = (d.span, &mut v) {
                        let (file, line) = input.locate(span.start.line);
                        m.insert("file".into(), file.into());
                        m.insert("line".into(), line.into());
                        m.insert("column".into(), span.start.column.into());
                        m.insert("columnUtf16".into(), span.start.column_utf16.into());
                    }
                    v
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "diagnostics": located })).unwrap_or_default()
            );
        }
        DiagOutput::Text => {
            print!("{}", render::diagnostics(&shown, &input));
            let errors = shown.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = shown.len() - errors;
            println!("{errors} error(s), {warnings} warning(s)");
        }
    }
    let errors = shown.iter().any(|d| d.severity == Severity::Error);
    if errors || (strict && !shown.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
