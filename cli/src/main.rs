//! `karmada-policy`: which PropagationPolicy claims each resource and where it lands — Karmada's answer, offline.

mod ci;
mod diff;
mod input;
mod render;
mod render_cmd;

use ci::{FailOn, Finding};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use input::Input;
use karmada_policy_core::report::ExplainedResource;
use karmada_policy_core::{evaluate, Evaluation, Options, Severity};
use std::process::ExitCode;

/// The evaluation allocates millions of small strings and maps on a large fleet: mimalloc's thread-local free
/// lists make that cheaper than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "karmada-policy",
    version,
    about = "Evaluate Karmada propagation scenarios offline: which (Cluster)PropagationPolicy claims each resource template and where it lands, as Karmada f8fdd02 (v1.19) decides it.\n\nWith no arguments, evaluates the built-in seamless-migration tutorial scenario; `evaluate` is the default command (`karmada-policy -o wide FILE`).",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `evaluate`'s arguments, when no command is named.
    #[command(flatten)]
    evaluate: EvaluateArgs,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Output {
    Table,
    Wide,
    Json,
    Yaml,
    /// SARIF 2.1.0 (code scanning): the diagnostics and scheduling failures.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiagOutput {
    Text,
    Json,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiffOutput {
    /// The summary, then one block per resource.
    Table,
    Json,
    /// For a pull-request comment.
    Markdown,
    /// SARIF 2.1.0: one result per changed resource, at its head document, and the head's diagnostics.
    Sarif,
    /// GitHub Actions workflow commands, as for sarif.
    Github,
}

#[derive(clap::Args)]
struct Common {
    /// Scenario files or directories (`-` for standard input); documents are applied in order.
    #[arg(value_name = "FILE|DIR|-")]
    paths: Vec<String>,
    /// A file, directory or `-`, as kubectl's `-f` (repeatable; read before the positional paths).
    #[arg(short = 'f', long = "filename", value_name = "FILE|DIR|-")]
    filenames: Vec<String>,
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

impl Common {
    /// The paths to read: `-f` ones first, then the positional ones.
    fn all_paths(&self) -> Vec<String> {
        self.filenames.iter().chain(&self.paths).cloned().collect()
    }
}

#[derive(clap::Args)]
struct EvaluateArgs {
    #[command(flatten)]
    common: Common,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    output: Output,
    /// With `-o json|yaml`: every resource's why-trace too (policy verdicts, events, the scheduler's
    /// per-cluster table, override rules). Large on big fleets; `explain` gives one resource's.
    #[arg(long)]
    explain: bool,
    /// Exit 1 on findings of this severity or worse (default: errors, scheduling failures included).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario: policy, binding and placement of every resource template (the default command).
    Evaluate(EvaluateArgs),
    /// What a change moves: evaluate a base and a head and report, per resource, owner policy, binding,
    /// clusters and replicas, scheduling error, apply results and (with override policies) the manifest each
    /// cluster receives. Exit 0 no change, 1 changed, 2 bad input.
    Diff(DiffArgs),
    /// Shell completions, generated from this command line's definition.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff), generated from this command line's definition: `karmada-policy man > karmada-policy.1`.
    Man,
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
        /// Exit 1 on warnings too (as `--fail-on warning`).
        #[arg(long)]
        strict: bool,
        /// Exit 1 on findings of this severity or worse (default: error).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// Output format: text (rustc-like), json, sarif or github.
        #[arg(short, long, value_enum, default_value = "text")]
        output: DiagOutput,
    },
    /// The YAML a member cluster receives for one resource (replicas revised, overrides applied), or with
    /// `--diff` its unified diff against the template.
    Render(render_cmd::RenderArgs),
    /// What happened at each document, one line per event; with `--lanes`, who owns each resource at each step.
    Timeline {
        #[command(flatten)]
        common: Common,
        /// The ownership lanes instead: one per resource, a letter per owning policy at each step, then each
        /// lane's segments (owner → placement) and markers (preemption, release, denial, rescheduling, apply).
        #[arg(long)]
        lanes: bool,
        /// What changed between two steps instead: `FROM..TO` (e.g. `9..10`), one line per resource whose
        /// owner, clusters or replicas differ at the end of those steps.
        #[arg(long, value_name = "FROM..TO")]
        diff: Option<String>,
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

/// `diff`'s arguments.
#[derive(clap::Args)]
struct DiffArgs {
    /// The base scenario: a file or directory (repeatable: `--base a.yaml --base policies/`).
    #[arg(long, value_name = "FILE|DIR", required_unless_present = "base_rev")]
    base: Vec<String>,
    /// The base is the head's paths as they are at this git revision (`git show REV:path`); a path that
    /// does not exist there is new in head.
    #[arg(long, value_name = "REV", conflicts_with = "base")]
    base_rev: Option<String>,
    /// The head scenario: a file or directory (repeatable; the positional paths and `-f` add to them).
    #[arg(long, value_name = "FILE|DIR|-")]
    head: Vec<String>,
    /// Feature gates of the base (default: `--feature-gates`, so both sides get the same).
    #[arg(long, value_name = "Name=bool,...")]
    base_feature_gates: Option<String>,
    #[command(flatten)]
    common: Common,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    output: DiffOutput,
    /// Exit 1 also when the head has findings of this severity or worse.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

fn load(common: &Common) -> Result<Input, String> {
    let paths = common.all_paths();
    if paths.is_empty() {
        eprintln!("note: no input given: evaluating the built-in seed scenario {}", input::SEED_NAME);
        return Ok(Input::single(input::SEED_NAME, input::SEED.to_string()));
    }
    input::read(&paths, common.recursive)
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
    let options = options_of(common, keep_manifests);
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
    let command = cli.command.unwrap_or(Command::Evaluate(cli.evaluate));
    match command {
        Command::Evaluate(args) => evaluate_cmd(&args),
        Command::Diff(args) => diff_cmd(&args),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "karmada-policy", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => {
                    use std::io::Write;
                    if std::io::stdout().write_all(&out).is_err() {
                        return ExitCode::from(2);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot render the man page: {e}");
                    ExitCode::from(2)
                }
            }
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
        Command::Validate { common, strict, fail_on, output } => {
            let fail_on = fail_on.unwrap_or(if strict { FailOn::Warning } else { FailOn::Error });
            validate(&common, fail_on, output)
        }
        Command::Render(args) => render_cmd::run(&args),
        Command::Timeline { common, lanes, diff } => {
            let steps = match diff.as_deref().map(|d| d.split_once("..").map(|(a, b)| (a.parse(), b.parse()))) {
                None => None,
                Some(Some((Ok(a), Ok(b)))) => Some((a, b)),
                Some(_) => {
                    eprintln!("error: --diff takes FROM..TO, two step numbers (e.g. 9..10)");
                    return ExitCode::from(2);
                }
            };
            let (evaluation, _) = match run_eval(&common) {
                Ok(r) => r,
                Err(c) => return c,
            };
            if let Some((from, to)) = steps {
                print!("{}", render::step_diff(&evaluation.lanes(None), from, to));
            } else if lanes {
                print!("{}", render::lanes(&evaluation.lanes(None), evaluation.steps.len()));
            } else {
                print!("{}", render::timeline(&evaluation.steps, &evaluation.timeline));
            }
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

/// `evaluate`: the resource table (or JSON/YAML, SARIF, GitHub annotations); exit 1 on errors (or findings
/// at `--fail-on`).
fn evaluate_cmd(args: &EvaluateArgs) -> ExitCode {
    let ci = matches!(args.output, Output::Sarif | Output::Github);
    let (evaluation, input) = if ci {
        match eval_quiet(&args.common) {
            Ok(r) => r,
            Err((findings, code)) => {
                print_findings(&findings, args.output == Output::Sarif);
                return code;
            }
        }
    } else {
        match run_eval(&args.common) {
            Ok(r) => r,
            Err(c) => return c,
        }
    };
    let printed = match args.output {
        Output::Table | Output::Wide => {
            print!("{}", render::resources(evaluation.resources(), args.output == Output::Wide));
            Ok(())
        }
        Output::Json | Output::Yaml => print_structured(&evaluation.report_view(args.explain), args.output),
        Output::Sarif | Output::Github => {
            let findings = evaluation_findings(&evaluation, &input);
            print_findings(&findings, args.output == Output::Sarif);
            if let Some(f) = args.fail_on {
                if findings.iter().any(|x| f.fails(x.severity)) {
                    std::mem::forget(evaluation);
                    return ExitCode::from(1);
                }
            }
            Ok(())
        }
    };
    if let Err(c) = printed {
        return c;
    }
    if args.fail_on == Some(FailOn::Warning) && evaluation.diagnostics.iter().any(|d| d.severity == Severity::Warning) {
        std::mem::forget(evaluation);
        return ExitCode::from(1);
    }
    exit_for(evaluation)
}

/// Evaluates without printing anything (for CI output): the evaluation, or the input errors as findings and
/// the exit code.
fn eval_quiet(common: &Common) -> Result<(Evaluation, Input), (Vec<Finding>, ExitCode)> {
    let input = load(common).map_err(|e| (vec![bad_input_finding(&e)], ExitCode::from(2)))?;
    let options = options_of(common, false);
    match evaluate(&input.text, &options) {
        Ok(evaluation) => Ok((evaluation, input)),
        Err(e) => Err((e.diagnostics.iter().map(|d| Finding::from_diagnostic(d, &input)).collect(), ExitCode::from(2))),
    }
}

/// An input that could not be read (a file that does not exist, invalid UTF-8) as a finding, also printed
/// to stderr.
fn bad_input_finding(message: &str) -> Finding {
    eprintln!("error: {message}");
    Finding { code: "input".into(), severity: Severity::Error, message: message.into(), help: None, region: None }
}

fn options_of(common: &Common, keep_manifests: bool) -> Options {
    Options {
        feature_gates: common.feature_gates.clone(),
        literal_clusters: common.literal_clusters,
        keep_manifests,
        sequential: false,
    }
}

/// The findings of an evaluation: its diagnostics (infos left out, as in text output) and each scheduling
/// failure, at the document that applies the resource.
fn evaluation_findings(evaluation: &Evaluation, input: &Input) -> Vec<Finding> {
    let mut findings: Vec<Finding> = evaluation
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| Finding::from_diagnostic(d, input))
        .collect();
    let failed: Vec<_> = evaluation.resources().filter(|r| r.error.is_some()).collect();
    if !failed.is_empty() {
        let regions = diff::document_regions(input);
        for r in failed {
            findings.push(Finding {
                code: "schedule-failed".into(),
                severity: Severity::Error,
                message: format!("{}: {}", r.display(), r.error.clone().unwrap_or_default()),
                help: Some(format!(
                    "karmada-policy explain {}/{} -n {} shows each cluster's filter verdicts",
                    r.kind.to_lowercase(),
                    r.name,
                    if r.namespace.is_empty() { "default" } else { &r.namespace }
                )),
                region: regions.get(&r.document).cloned(),
            });
        }
    }
    findings
}

fn print_findings(findings: &[Finding], sarif: bool) {
    if sarif {
        println!("{}", serde_json::to_string_pretty(&ci::sarif(findings)).unwrap_or_default());
    } else {
        print!("{}", ci::github(findings));
    }
}

/// `validate`: every diagnostic of the scenario; exit 0 clean, 1 on findings at `fail_on` or worse.
fn validate(common: &Common, fail_on: FailOn, output: DiagOutput) -> ExitCode {
    let input = match load(common) {
        Ok(i) => i,
        Err(e) => {
            if matches!(output, DiagOutput::Sarif | DiagOutput::Github) {
                print_findings(&[bad_input_finding(&e)], output == DiagOutput::Sarif);
            } else {
                eprintln!("error: {e}");
            }
            return ExitCode::from(2);
        }
    };
    let options = options_of(common, false);
    let diagnostics = match evaluate(&input.text, &options) {
        Ok(evaluation) => {
            let d = evaluation.diagnostics.clone();
            std::mem::forget(evaluation);
            d
        }
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
        DiagOutput::Sarif | DiagOutput::Github => {
            let findings: Vec<Finding> = shown.iter().map(|d| Finding::from_diagnostic(d, &input)).collect();
            print_findings(&findings, output == DiagOutput::Sarif);
        }
    }
    if shown.iter().any(|d| fail_on.fails(d.severity)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `diff`: evaluates base and head (two threads), compares them, prints the summary and the detail.
fn diff_cmd(args: &DiffArgs) -> ExitCode {
    let mut head_paths = args.head.clone();
    head_paths.extend(args.common.all_paths());
    if head_paths.is_empty() {
        eprintln!("error: diff needs the head scenario: --head FILE|DIR..., or paths");
        return ExitCode::from(2);
    }
    let recursive = args.common.recursive;
    let head = match input::read(&head_paths, recursive) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: head: {e}");
            return ExitCode::from(2);
        }
    };
    let base = match &args.base_rev {
        Some(rev) => input::read_rev(rev, &head_paths, recursive),
        None => input::read(&args.base, recursive).map(Some),
    };
    let base = match base {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: base: {e}");
            return ExitCode::from(2);
        }
    };
    let head_options = options_of(&args.common, false);
    let mut base_options = head_options.clone();
    if args.base_feature_gates.is_some() {
        base_options.feature_gates = args.base_feature_gates.clone();
    }
    let (base_side, head_side) = match diff::evaluate_both(base.as_ref(), Some(&head), &base_options, &head_options) {
        Ok(r) => r,
        Err(e) => {
            let input = if e.side == "base" { base.as_ref().unwrap_or(&head) } else { &head };
            let ci = matches!(args.output, DiffOutput::Sarif | DiffOutput::Github);
            if ci {
                let findings: Vec<Finding> = e.diagnostics.iter().map(|d| Finding::from_diagnostic(d, input)).collect();
                print_findings(&findings, args.output == DiffOutput::Sarif);
            }
            eprintln!("error: the {} scenario cannot be evaluated:", e.side);
            for d in &e.diagnostics {
                eprint!("{}", render::diagnostic(d, input));
            }
            return ExitCode::from(2);
        }
    };
    let d = diff::diff(&base_side, &head_side);
    let head_findings: Vec<Finding> = head_side
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| Finding::from_diagnostic(d, &head))
        .collect();
    match args.output {
        DiffOutput::Table | DiffOutput::Markdown | DiffOutput::Json => {
            let shown: Vec<_> = head_side.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
            eprint!("{}", render::diagnostics(&shown, &head));
            match args.output {
                DiffOutput::Table => print!("{}", diff::text(&d)),
                DiffOutput::Markdown => print!("{}", diff::markdown(&d)),
                _ => println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default()),
            }
        }
        DiffOutput::Sarif | DiffOutput::Github => {
            let regions = if d.changes.is_empty() { Default::default() } else { diff::document_regions(&head) };
            let mut findings = diff::findings(&d, &regions);
            findings.extend(head_findings.iter().cloned());
            print_findings(&findings, args.output == DiffOutput::Sarif);
        }
    }
    let failed = args.fail_on.is_some_and(|f| head_findings.iter().any(|x| f.fails(x.severity)));
    // The sides' results are dropped with the process.
    std::mem::forget((base_side, head_side));
    if d.changes.is_empty() && !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
