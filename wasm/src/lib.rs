//! The karmada-policy core behind a typed JavaScript API: `evaluate`, `validate`, `explain`, `version`.
//!
//! A thin facade: inputs and outputs cross the boundary through serde-wasm-bindgen in JSON-compatible mode, so
//! `JSON.stringify` of an answer equals the CLI's `-o json`. User mistakes come back as data
//! (`{ ok: false, diagnostics }`); only misuse (a malformed input object) throws.

#![warn(missing_docs)]

use karmada_policy_core::report::{Report, ResourceResult, KARMADA_COMMIT, KARMADA_VERSION};
use karmada_policy_core::{evaluate as core_evaluate, Diagnostic, Evaluation as CoreEvaluation, Options, Severity};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

// Talc instead of Rust's default dlmalloc: a few kilobytes smaller in the module (issue 7's size budget). Only
// the wasm build; native builds (tests, the CLI) keep the system allocator.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// What to evaluate.
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The scenario: a multi-document YAML stream.
    pub yaml: String,
    /// Feature gates as the controller-manager flag, e.g. `PropagationPolicyPreemption=true`.
    #[serde(default)]
    #[tsify(optional)]
    pub feature_gates: Option<String>,
    /// Take Cluster documents literally (no assumed member1..3).
    #[serde(default)]
    #[tsify(optional)]
    pub literal_clusters: Option<bool>,
    /// How `column` of diagnostics is counted: `utf16` (default, what editors use) or `utf8` (bytes, the CLI's).
    #[serde(default)]
    #[tsify(optional)]
    pub position_encoding: Option<PositionEncoding>,
}

/// Column encoding of diagnostic positions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum PositionEncoding {
    /// UTF-16 code units.
    #[default]
    Utf16,
    /// UTF-8 bytes.
    Utf8,
}

/// Which resource to explain.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct ResourceRef {
    /// Kind, case-insensitive (`deployment`).
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace (default `default`; ignored for cluster-scoped resources).
    #[serde(default)]
    #[tsify(optional)]
    pub namespace: Option<String>,
}

/// The answer of `evaluate`: the report when the input could be read, and every diagnostic. (Its TypeScript
/// shape; the value is written from the evaluation by [`AnswerView`], without building a `Report`.)
#[derive(Debug, Clone, Tsify)]
pub struct EvaluateAnswer {
    /// False when the input could not be evaluated.
    pub ok: bool,
    /// The evaluation (the CLI's `-o json`), null when not ok.
    pub report: Option<Report>,
    /// Diagnostics: errors, warnings, notes.
    pub diagnostics: Vec<Diagnostic>,
}

/// The answer of `validate`.
#[derive(Debug, Clone, Serialize, Tsify)]
pub struct ValidateAnswer {
    /// False when any error-severity diagnostic was found.
    pub ok: bool,
    /// Diagnostics: errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// The answer of `explain`.
#[derive(Debug, Clone, Serialize, Tsify)]
pub struct ExplainAnswer {
    /// False when the input could not be evaluated or the resource does not exist.
    pub ok: bool,
    /// The resource's result and why-trace.
    pub resource: Option<ResourceResult>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Engine and Karmada versions.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    /// This engine's version.
    pub engine: String,
    /// The Karmada version whose semantics it follows.
    pub karmada: String,
    /// The Karmada commit.
    pub karmada_commit: String,
}

/// Reads an input object with a few `Reflect.get`s rather than through a serde deserializer, whose code would be
/// a few kilobytes of the npm package's size budget. Null and undefined are absent, as serde takes them.
trait FromJs: Sized {
    /// Reads it from a JavaScript object.
    fn read(obj: &Props<'_>) -> Result<Self, JsError>;
}

/// The properties of one input object.
struct Props<'a> {
    obj: &'a JsValue,
    what: &'static str,
}

impl Props<'_> {
    fn get(&self, key: &str) -> Option<JsValue> {
        js_sys::Reflect::get(self.obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn misuse(&self, msg: &str) -> JsError {
        JsError::new(&format!("invalid {}: {msg}", self.what))
    }

    fn string(&self, key: &str) -> Result<Option<String>, JsError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.as_string().map(Some).ok_or_else(|| self.misuse(&format!("`{key}` must be a string"))),
        }
    }

    fn required(&self, key: &str) -> Result<String, JsError> {
        self.string(key)?.ok_or_else(|| self.misuse(&format!("missing field `{key}`")))
    }
}

impl FromJs for Input {
    fn read(p: &Props<'_>) -> Result<Self, JsError> {
        let literal_clusters = match p.get("literalClusters") {
            None => None,
            Some(v) => Some(v.as_bool().ok_or_else(|| p.misuse("`literalClusters` must be a boolean"))?),
        };
        let position_encoding = match p.string("positionEncoding")?.as_deref() {
            None => None,
            Some("utf16") => Some(PositionEncoding::Utf16),
            Some("utf8") => Some(PositionEncoding::Utf8),
            Some(other) => {
                return Err(p.misuse(&format!("unknown positionEncoding `{other}`, expected `utf16` or `utf8`")))
            }
        };
        Ok(Input {
            yaml: p.required("yaml")?,
            feature_gates: p.string("featureGates")?,
            literal_clusters,
            position_encoding,
        })
    }
}

impl FromJs for ResourceRef {
    fn read(p: &Props<'_>) -> Result<Self, JsError> {
        Ok(ResourceRef { kind: p.required("kind")?, name: p.required("name")?, namespace: p.string("namespace")? })
    }
}

fn from_js<T: FromJs>(v: JsValue, what: &'static str) -> Result<T, JsError> {
    let props = Props { obj: &v, what };
    if !v.is_object() {
        return Err(props.misuse("expected an object"));
    }
    T::read(&props)
}

/// An answer as a JavaScript value: serialized to JSON here and parsed by the engine's `JSON.parse`, which
/// builds a large report faster than one property set across the boundary at a time, with less code per
/// answer type (the npm package's size budget). The value is the same as serde-wasm-bindgen's
/// JSON-compatible output.
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    // Serializing an answer cannot fail (string keys, finite numbers): no error text to carry along.
    let text = serde_json::to_string(v).map_err(|_| JsError::new("cannot serialize the answer"))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("the answer is not valid JSON"))
}

fn encode(mut ds: Vec<Diagnostic>, enc: PositionEncoding) -> Vec<Diagnostic> {
    if enc == PositionEncoding::Utf16 {
        for d in &mut ds {
            if let Some(s) = d.span.as_mut() {
                s.start.column = s.start.column_utf16;
                s.end.column = s.end.column_utf16;
            }
        }
    }
    ds
}

/// Grows the heap once to about what evaluating `input_bytes` of YAML will need (an evaluation holds up to some 80
/// bytes per input byte): the allocator otherwise grows the wasm memory one 64 KiB page at a time as it runs
/// out, thousands of `memory.grow` calls on a large fleet, which made the first evaluation in a fresh process
/// several times slower than the next. The block is freed at once and its pages serve the evaluation; memory
/// a previous evaluation freed counts too, so a second evaluation grows nothing.
fn reserve_heap(input_bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    // try_: a reservation the engine cannot grant is no error (the allocator then grows as it goes).
    let _ = block.try_reserve_exact(input_bytes.saturating_mul(80).min(1 << 30));
    drop(std::hint::black_box(block));
}

/// Evaluates `input`: the evaluation (its diagnostics' columns in the requested encoding) or the diagnostics of
/// an unreadable input.
fn run(input: &Input) -> Result<CoreEvaluation, Vec<Diagnostic>> {
    let options = Options {
        feature_gates: input.feature_gates.clone(),
        literal_clusters: input.literal_clusters.unwrap_or(false),
        keep_manifests: false,
        sequential: false,
    };
    let enc = input.position_encoding.unwrap_or_default();
    reserve_heap(input.yaml.len());
    match core_evaluate(&input.yaml, &options) {
        Ok(mut evaluation) => {
            evaluation.diagnostics = encode(std::mem::take(&mut evaluation.diagnostics), enc);
            Ok(evaluation)
        }
        Err(e) => Err(encode(e.diagnostics, enc)),
    }
}

/// An [`EvaluateAnswer`] written straight from the evaluation (each resource's result computed as it is
/// written).
#[derive(Serialize)]
struct AnswerView<'a> {
    ok: bool,
    report: Option<karmada_policy_core::evaluation::ReportView<'a>>,
    diagnostics: &'a [Diagnostic],
}

fn answer(result: &Result<CoreEvaluation, Vec<Diagnostic>>) -> Result<JsValue, JsError> {
    to_js(&match result {
        Ok(ev) => AnswerView { ok: true, report: Some(ev.report_view(false)), diagnostics: &ev.diagnostics },
        Err(ds) => AnswerView { ok: false, report: None, diagnostics: ds },
    })
}

fn explain_in(result: &Result<CoreEvaluation, Vec<Diagnostic>>, resource: &ResourceRef) -> ExplainAnswer {
    let ns = resource.namespace.clone().unwrap_or_else(|| "default".into());
    let (found, mut diagnostics) = match result {
        Ok(ev) => (
            ev.find(&resource.kind, &ns, &resource.name)
                .map(|k| ResourceResult { explain: Some(ev.explain_key(k)), ..ev.result_of(k) }),
            ev.diagnostics.clone(),
        ),
        Err(ds) => (None, ds.clone()),
    };
    if found.is_none() {
        diagnostics.push(Diagnostic::error(
            "no-such-resource",
            format!("no resource template {}/{} in namespace {ns}", resource.kind, resource.name),
        ));
    }
    ExplainAnswer { ok: found.is_some(), resource: found, diagnostics }
}

/// Evaluates a scenario: policy, binding, placement and apply results of every resource template (the CLI's
/// `-o json`). To explain resources afterwards without evaluating again, keep an [`Evaluation`] instead.
#[wasm_bindgen(unchecked_return_type = "EvaluateAnswer")]
pub fn evaluate(#[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue) -> Result<JsValue, JsError> {
    let input: Input = from_js(input, "input")?;
    answer(&run(&input))
}

/// Validates a scenario: admission rules and lints (info notes left out).
#[wasm_bindgen(unchecked_return_type = "ValidateAnswer")]
pub fn validate(#[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue) -> Result<JsValue, JsError> {
    let input: Input = from_js(input, "input")?;
    let diagnostics = match run(&input) {
        Ok(ev) => ev.diagnostics,
        Err(ds) => ds,
    };
    let diagnostics: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| d.severity != Severity::Info).collect();
    let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    to_js(&ValidateAnswer { ok, diagnostics })
}

/// Why one resource got its policy and placement (evaluates `input` first; see [`Evaluation::explain`] to
/// explain many resources of one evaluation).
#[wasm_bindgen(unchecked_return_type = "ExplainAnswer")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ResourceRef")] resource: JsValue,
) -> Result<JsValue, JsError> {
    let input: Input = from_js(input, "input")?;
    let resource: ResourceRef = from_js(resource, "resource")?;
    to_js(&explain_in(&run(&input), &resource))
}

/// An evaluation kept in the module: the report once, then any resource's why-trace on demand without
/// evaluating again (`const ev = new Evaluation(input); ev.report(); ev.explain({kind, name}); ev.free()`).
#[wasm_bindgen]
pub struct Evaluation {
    result: Result<CoreEvaluation, Vec<Diagnostic>>,
}

#[wasm_bindgen]
impl Evaluation {
    /// Evaluates `input` and keeps the result.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue) -> Result<Evaluation, JsError> {
        let input: Input = from_js(input, "input")?;
        Ok(Evaluation { result: run(&input) })
    }

    /// False when the input could not be evaluated.
    #[wasm_bindgen(getter)]
    pub fn ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The same answer as [`evaluate`]: the compact report and every diagnostic.
    #[wasm_bindgen(unchecked_return_type = "EvaluateAnswer")]
    pub fn report(&self) -> Result<JsValue, JsError> {
        answer(&self.result)
    }

    /// One resource's result and why-trace (policy verdicts, events, the scheduler's per-cluster table,
    /// override rules), computed from the kept evaluation.
    #[wasm_bindgen(unchecked_return_type = "ExplainAnswer")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResourceRef")] resource: JsValue,
    ) -> Result<JsValue, JsError> {
        let resource: ResourceRef = from_js(resource, "resource")?;
        to_js(&explain_in(&self.result, &resource))
    }
}

/// The engine version and the Karmada version/commit whose semantics it follows.
#[wasm_bindgen(unchecked_return_type = "Version")]
pub fn version() -> Result<JsValue, JsError> {
    to_js(&Version {
        engine: env!("CARGO_PKG_VERSION").into(),
        karmada: KARMADA_VERSION.into(),
        karmada_commit: KARMADA_COMMIT.into(),
    })
}

/// Installs the panic hook in debug builds (panics are bugs: the core is written not to panic).
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "debug")]
    console_error_panic_hook::set_once();
}
