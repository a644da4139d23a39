//! Scenario parsing: a multi-document YAML stream, split by hand so that every document keeps its byte span,
//! plus the comment directives `# feature-gates:`, `# context:` and `# delete:`.

use crate::api::cluster::Cluster;
use crate::api::meta::ObjectMeta;
use crate::api::override_policy::{OverrideKind, OverridePolicy};
use crate::api::policy::{PolicyKind, PropagationPolicy};
use crate::api::template::{apiserver_admit, is_cluster_scoped, ResourceTemplate};
use crate::diagnostic::{Diagnostic, SourceMap, Span};
use crate::yamlpath::Seg;
use serde_json::Value;

/// The feature gates a scenario sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeatureGates {
    /// `PropagationPolicyPreemption`, `None` when not set (Karmada's default is false).
    pub propagation_policy_preemption: Option<bool>,
    /// `PropagateDeps`, `None` when not set (Karmada's default is true, Beta).
    pub propagate_deps: Option<bool>,
}

impl FeatureGates {
    /// Parses the karmada-controller-manager flag syntax `Name=bool,Name=bool`. Unknown gates are ignored
    /// (Karmada knows many more); returns an error message for malformed entries.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut gates = FeatureGates::default();
        gates.merge(spec)?;
        Ok(gates)
    }

    /// Applies `Name=bool,...` on top of the current values.
    pub fn merge(&mut self, spec: &str) -> Result<(), String> {
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((name, value)) = entry.split_once('=') else {
                return Err(format!("missing bool value for {entry}"));
            };
            let value = match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "t" => true,
                "false" | "0" | "f" => false,
                _ => return Err(format!("invalid value of {}={}, err: invalid syntax", name.trim(), value.trim())),
            };
            match name.trim() {
                "PropagationPolicyPreemption" => self.propagation_policy_preemption = Some(value),
                "PropagateDeps" => self.propagate_deps = Some(value),
                _ => {}
            }
        }
        Ok(())
    }

    /// Effective value of the preemption gate (default false, Alpha).
    pub fn preemption(&self) -> bool {
        self.propagation_policy_preemption.unwrap_or(false)
    }

    /// Effective value of the dependencies distributor's gate (default true, Beta; `pkg/features/features.go`).
    pub fn propagate_deps(&self) -> bool {
        self.propagate_deps.unwrap_or(true)
    }
}

/// A parsed object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// A member cluster.
    Cluster(Box<Cluster>),
    /// A PropagationPolicy or ClusterPropagationPolicy (namespace already defaulted for PPs).
    Policy(PolicyKind, Box<PropagationPolicy>),
    /// A resource template.
    Template(Box<ResourceTemplate>),
    /// An OverridePolicy (namespace defaulted) or ClusterOverridePolicy, before admission.
    Override(OverrideKind, Box<OverridePolicy>),
    /// A Karmada API object this engine does not evaluate (yet), kept for diagnostics.
    Other {
        /// apiVersion.
        api_version: String,
        /// Kind.
        kind: String,
        /// Name.
        name: String,
    },
}

/// One YAML document of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 1-based index among the non-empty documents.
    pub index: usize,
    /// Where the document is in the text.
    pub span: Span,
    /// `karmada-apiserver`, or the member cluster whose context was selected with `# context:`.
    pub context: String,
    /// The object.
    pub object: Object,
}

/// One step of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `kubectl apply` of a document.
    Apply(Document),
    /// `# delete: <Kind> [<namespace>/]<name>`.
    Delete {
        /// Kind.
        kind: String,
        /// Namespace ("" when the directive gives none).
        namespace: String,
        /// Name.
        name: String,
        /// Where the directive is.
        span: Span,
        /// Context the delete happens in.
        context: String,
    },
}

/// A parsed scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// Feature gates from `# feature-gates:` directives.
    pub gates: FeatureGates,
    /// Steps in stream order.
    pub steps: Vec<Step>,
    /// Non-fatal findings (unknown Karmada kinds, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// The text the scenario was parsed from (diagnostics point into it).
    pub source: String,
    /// Whether any `# context:` directive appears (the result then reports member-cluster apply results).
    pub uses_contexts: bool,
    /// Whether any OverridePolicy / ClusterOverridePolicy document appears (the result then reports, per
    /// resource, the overrides applied for each cluster and the manifest it receives).
    pub uses_overrides: bool,
    /// Whether a (Cluster)PropagationPolicy's spec sets `propagateDeps`, `preserveResourcesOnDeletion`,
    /// `suspension`, `dependentOverrides` or `schedulerName` (the result then reports, per resource, which
    /// member clusters hold it: `members`).
    pub uses_member_fields: bool,
}

impl Scenario {
    /// The applied documents in stream order (their [`Document::index`] increases), to find documents by
    /// index ([`Documents::get`]) without scanning the stream.
    pub fn documents(&self) -> Documents<'_> {
        Documents(
            self.steps
                .iter()
                .filter_map(|s| match s {
                    Step::Apply(d) => Some(d),
                    Step::Delete { .. } => None,
                })
                .collect(),
        )
    }
}

/// The applied documents of a scenario, in index order ([`Scenario::documents`]).
pub struct Documents<'s>(Vec<&'s Document>);

impl<'s> Documents<'s> {
    /// The document with this index.
    pub fn get(&self, index: usize) -> Option<&'s Document> {
        let i = self.0.partition_point(|d| d.index < index);
        self.0.get(i).copied().filter(|d| d.index == index)
    }
}

/// Budgets that keep any input from freezing a browser tab or a CI job (YAML nesting and alias expansion are
/// bounded by the YAML parser itself: recursion limit 128, repetition limit).
pub mod budget {
    /// Largest input accepted, in bytes (Karmada's bench fleet of 10,000 resources is 4.1 MB; the scaling
    /// series' 50,000 resources are 20.5 MB).
    pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;
    /// Most documents in one stream.
    pub const MAX_DOCUMENTS: usize = 100_000;
    /// Longest string value.
    pub const MAX_STRING_BYTES: usize = 1024 * 1024;
}

/// The context of objects applied to Karmada's own API server.
pub const KARMADA_CONTEXT: &str = "karmada-apiserver";

struct Chunk {
    start: usize,
    end: usize,
}

/// Splits the text into `---`-separated chunks (a `---` line at column 0 always starts a document in YAML).
fn split_chunks(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_marker = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let is_end = bare == "...";
        if is_marker {
            chunks.push(Chunk { start, end: pos });
            // Content after `--- ` on the same line belongs to the new document: keep the line, blanking the marker.
            start = pos;
        } else if is_end {
            chunks.push(Chunk { start, end: pos });
            start = pos + line.len();
        }
        pos += line.len();
    }
    chunks.push(Chunk { start, end: text.len() });
    chunks
}

/// The YAML text of a chunk with a leading `---` marker replaced by spaces (keeps columns and offsets).
fn chunk_yaml(text: &str, c: &Chunk) -> String {
    let s = text.get(c.start..c.end).unwrap_or("");
    match s.strip_prefix("---") {
        Some(rest) => format!("   {rest}"),
        None => s.to_string(),
    }
}

/// Parses a scenario. Returns every error found (one per document at most), or the scenario.
pub fn parse(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let map = SourceMap::new(text);
    let mut scenario = Scenario { source: text.to_string(), ..Scenario::default() };
    let mut errors = Vec::new();
    let mut context = KARMADA_CONTEXT.to_string();
    let mut index = 0usize;

    if text.len() > budget::MAX_INPUT_BYTES {
        return Err(vec![Diagnostic::error(
            "input-too-large",
            format!(
                "document 1, line 1:1: the input is {} bytes, over the {} MiB budget",
                text.len(),
                budget::MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split the scenario, or evaluate the part you are interested in")
        .at(Some(1), Some(map.span(0, 0)))]);
    }
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error("empty-input", "the input is empty: no YAML document to evaluate")
            .with_help("paste Cluster, PropagationPolicy and resource template documents separated by `---`")]);
    }

    // Directives are read in stream order; the documents are parsed afterwards (on every core natively) and put
    // back in order.
    let mut items: Vec<Item> = Vec::new();
    for chunk in split_chunks(text) {
        let yaml = chunk_yaml(text, &chunk);
        // Directives: comment lines at column 0 before the first content line.
        let mut line_off = chunk.start;
        let mut has_content = false;
        let mut content_start = chunk.start;
        for line in yaml.split_inclusive('\n') {
            let bare = line.trim_end_matches(['\n', '\r']);
            let trimmed = bare.trim();
            if trimmed.is_empty() {
                line_off += line.len();
                continue;
            }
            if !bare.starts_with('#') {
                has_content = true;
                content_start = line_off + (bare.len() - bare.trim_start().len());
                break;
            }
            let body = bare.trim_start_matches('#').trim();
            let span = map.span(line_off, line_off + bare.len());
            if let Some(v) = body.strip_prefix("feature-gates:") {
                if let Err(msg) = scenario.gates.merge(v) {
                    errors.push(
                        Diagnostic::error("bad-directive", format!("invalid feature-gates directive: {msg}"))
                            .with_help("write `# feature-gates: PropagationPolicyPreemption=true`")
                            .at(None, Some(span)),
                    );
                }
            } else if let Some(v) = body.strip_prefix("context:") {
                let v = v.trim();
                if v.is_empty() {
                    errors.push(
                        Diagnostic::error("bad-directive", "context directive names no cluster")
                            .with_help("write `# context: member1` or `# context: karmada-apiserver`")
                            .at(None, Some(span)),
                    );
                } else {
                    context = v.to_string();
                    scenario.uses_contexts = true;
                }
            } else if let Some(v) = body.strip_prefix("delete:") {
                let parts: Vec<&str> = v.split_whitespace().collect();
                match parts.as_slice() {
                    [kind, target] => {
                        let (namespace, name) = match target.split_once('/') {
                            Some((ns, n)) => (ns.to_string(), n.to_string()),
                            None => (String::new(), target.to_string()),
                        };
                        items.push(Item::Step(Step::Delete {
                            kind: kind.to_string(),
                            namespace,
                            name,
                            span,
                            context: context.clone(),
                        }));
                    }
                    _ => errors.push(
                        Diagnostic::error("bad-directive", format!("malformed delete directive: {}", v.trim()))
                            .with_help("write `# delete: <Kind> <namespace>/<name>` or `# delete: <Kind> <name>`")
                            .at(None, Some(span)),
                    ),
                }
            }
            line_off += line.len();
        }
        if !has_content {
            continue;
        }
        index += 1;
        let span = map.span(content_start, chunk.end);
        if index > budget::MAX_DOCUMENTS {
            errors.push(
                Diagnostic::error(
                    "too-many-documents",
                    format!(
                        "document {index}, line {}:{}: more than {} documents in one stream",
                        span.start.line,
                        span.start.column,
                        budget::MAX_DOCUMENTS
                    ),
                )
                .at(Some(index), Some(span)),
            );
            break;
        }
        items.push(Item::Document { yaml, base: chunk.start, index, span, context: context.clone() });
    }
    let mut parsed = parse_documents(&items, &map).into_iter();
    for item in items {
        let (index, span, context) = match item {
            Item::Step(step) => {
                scenario.steps.push(step);
                continue;
            }
            Item::Document { index, span, context, .. } => (index, span, context),
        };
        let Some(result) = parsed.next() else { break };
        match result {
            Ok(parsed) => {
                for Parsed { object, span: item_span, member_fields, refusal } in parsed {
                    let span = item_span.unwrap_or(span);
                    if let Some(d) = refusal {
                        // kubectl refuses this one document and applies the rest of the stream.
                        let at = d.span.unwrap_or(span);
                        scenario.diagnostics.push(d.at(Some(index), Some(at)));
                        // The report's blocks follow the documents of the stream, refused or not.
                        if let Object::Other { api_version, kind, .. } = &object {
                            scenario.uses_overrides |=
                                kind.ends_with("OverridePolicy") && api_version == "policy.karmada.io/v1alpha1";
                        }
                        scenario.uses_member_fields |= member_fields;
                        continue;
                    }
                    scenario.uses_member_fields |= member_fields;
                    if matches!(object, Object::Override(..)) {
                        scenario.uses_overrides = true;
                    }
                    if let Object::Other { api_version, kind, .. } = &object {
                        scenario.diagnostics.push(
                            Diagnostic::info(
                                "not-evaluated",
                                format!("{kind} ({api_version}) is a Karmada API object this evaluator does not model; it is ignored"),
                            )
                            .at(Some(index), Some(span)),
                        );
                    }
                    scenario.steps.push(Step::Apply(Document { index, span, context: context.clone(), object }))
                }
            }
            Err(d) => errors.push(*d),
        }
    }
    if errors.is_empty() && index == 0 && !scenario.steps.iter().any(|s| matches!(s, Step::Delete { .. })) {
        errors.push(Diagnostic::error("empty-input", "the input has no YAML document, only comments"));
    }
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(errors)
    }
}

/// One entry of the stream, in order: a directive's step, or a document still to parse.
enum Item {
    Step(Step),
    Document { yaml: String, base: usize, index: usize, span: Span, context: String },
}

/// Parses every document of `items`, results in stream order.
fn parse_documents(items: &[Item], map: &SourceMap) -> Vec<Result<Vec<Parsed>, Box<Diagnostic>>> {
    let docs: Vec<(&str, usize, usize)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Document { yaml, base, index, .. } => Some((yaml.as_str(), *base, *index)),
            Item::Step(_) => None,
        })
        .collect();
    crate::util::map_in_order(&docs, |(yaml, base, index)| parse_document(yaml, *base, *index, map))
}

fn yaml_error(e: &serde_yaml::Error, base: usize, index: usize, map: &SourceMap, what: &str) -> Box<Diagnostic> {
    let offset = e.location().map(|l| base + l.index()).unwrap_or(base);
    // Strip serde_yaml's own " at line X column Y" suffix: we give the absolute position instead.
    let mut msg = e.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    let pos = map.position(offset);
    Box::new(
        Diagnostic::error(what, format!("document {index}, line {}:{}: {msg}", pos.line, pos.column))
            .at(Some(index), Some(map.span(offset, offset))),
    )
}

/// Offset of a document's first non-blank character (where document-level errors point).
fn content_start(yaml: &str) -> usize {
    yaml.char_indices().find(|(_, c)| !c.is_whitespace()).map_or(0, |(i, _)| i)
}

/// Deserializes a typed object found at `prefix` inside a document (`[]` for the document itself, an item of a
/// `kind: List` otherwise); an error comes with the absolute offset of the key or value it is about (a missing
/// field at the mapping that lacks it).
fn decode_at<T: crate::api::decode::Decode>(
    value: &Value,
    yaml: &str,
    base: usize,
    prefix: &[Seg],
) -> Result<T, (crate::api::decode::DecodeError, usize)> {
    crate::api::decode::from_value(value).map_err(|e| error_offset(e, yaml, base, prefix))
}

/// Where a decoding error is (kept out of the generic [`decode_at`], so it exists once in the binary).
#[inline(never)]
fn error_offset(
    e: crate::api::decode::DecodeError,
    yaml: &str,
    base: usize,
    prefix: &[Seg],
) -> (crate::api::decode::DecodeError, usize) {
    let path: Vec<Seg> = prefix.iter().chain(e.path.iter()).cloned().collect();
    let found = crate::yamlpath::index(yaml).map(|n| n.locate(&path).0);
    let offset = base + found.map_or_else(|| content_start(yaml), |r| r.start);
    (e, offset)
}

/// [`decode_at`], an error being a whole-input `bad-field` error.
fn typed_at<T: crate::api::decode::Decode>(
    value: &Value,
    yaml: &str,
    base: usize,
    index: usize,
    map: &SourceMap,
    prefix: &[Seg],
) -> Result<T, Box<Diagnostic>> {
    decode_at(value, yaml, base, prefix).map_err(|(e, offset)| bad_field(&e, offset, index, map))
}

#[inline(never)]
fn bad_field(e: &crate::api::decode::DecodeError, offset: usize, index: usize, map: &SourceMap) -> Box<Diagnostic> {
    let pos = map.position(offset);
    Box::new(
        Diagnostic::error("bad-field", format!("document {index}, line {}:{}: {}", pos.line, pos.column, e.message))
            .at(Some(index), Some(map.span(offset, offset))),
    )
}

/// The JSON-schema type name of a value serde described (`string "x"`, `integer `1``, `map`, `i32`, `a sequence`;
/// no null: the policies' nulls are pruned before decoding).
fn schema_type(serde: &str) -> &'static str {
    let w = serde.strip_prefix("a ").unwrap_or(serde);
    match w.as_bytes().first() {
        Some(b'i' | b'u') => "integer",
        Some(b'f') => "number",
        Some(b'b') => "boolean",
        _ if w.starts_with("string") => "string",
        _ if w.starts_with("seq") => "array",
        _ => "object",
    }
}

/// What `kubectl apply` prints when karmada-apiserver refuses a policy document that does not fit its CRD
/// schema (each document is its own request; a refused one is not created). A missing required field and a
/// value of the wrong type fail the CRD's structural validation (apiextensions-apiserver
/// `ValidateCustomResource`, printed by kubectl's `checkErr` as `The <Kind> "<name>" is invalid: ...`); an unknown
/// field fails strict decoding (kubectl's default `--validate=strict`, a BadRequest).
fn crd_refusal(kind: &str, name: &str, e: &crate::api::decode::DecodeError) -> Diagnostic {
    use std::fmt::Write;
    let m = e.message.as_str();
    // serde's wording: "missing field `f`", "unknown field `f`, expected ...", "invalid type: X, expected Y".
    let missing = m.strip_prefix("missing field `").map(|r| r.trim_end_matches('`'));
    let mut path = String::new();
    for seg in e.path.iter() {
        let _ = match seg {
            Seg::Key(k) => write!(path, ".{k}"),
            Seg::Index(i) => write!(path, "[{i}]"),
        };
    }
    if let Some(f) = missing {
        let _ = write!(path, ".{f}");
    }
    let path = path.strip_prefix('.').unwrap_or(&path);
    let message = if m.starts_with("unknown") {
        // Only served policy kinds get here: policy.karmada.io/v1alpha1.
        format!("Error from server (BadRequest): {kind} in version \"v1alpha1\" cannot be handled as a {kind}: strict decoding error: unknown field \"{path}\"")
    } else {
        // The expected type has no comma; the value before it may.
        let typed = m.strip_prefix("invalid type: ").zip(m.rfind(','));
        let why = match typed {
            _ if missing.is_some() => "Required value".to_string(),
            Some((rest, comma)) => {
                let found = schema_type(rest);
                let expected = schema_type(m.get(comma + 11..).unwrap_or(""));
                format!("Invalid value: \"{found}\": {path} in body must be of type {expected}: \"{found}\"")
            }
            None => m.to_string(),
        };
        format!("The {kind} {} is invalid: {path}: {why}", crate::webhook::go_quote(name))
    };
    Diagnostic::error("apiserver-rejected", message).with_help("Kubernetes refuses this object: it is never created")
}

/// A namespaced object without a namespace lands in `default` (what kubectl does); a cluster-scoped one has
/// none, whatever the document says.
fn scope_namespace(meta: &mut ObjectMeta, namespaced: bool) {
    if !namespaced {
        meta.namespace.clear();
    } else if meta.namespace.is_empty() {
        meta.namespace = "default".into();
    }
}

/// One YAML document as a JSON value, exactly as `serde_yaml::from_str::<Value>` reads it (the last of
/// repeated keys wins), and whether any mapping repeated a key.
pub(crate) fn yaml_value(yaml: &str) -> Result<(Value, bool), serde_yaml::Error> {
    let repeats = std::cell::Cell::new(false);
    let value = serde::de::DeserializeSeed::deserialize(ValueSeed(&repeats), serde_yaml::Deserializer::from_str(yaml))?;
    Ok((value, repeats.get()))
}

/// serde_json's own `Value` visitor, noting in the cell whether any mapping repeated a key.
#[derive(Clone, Copy)]
struct ValueSeed<'c>(&'c std::cell::Cell<bool>);

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        serde::Deserialize::deserialize(serde::de::value::I128Deserializer::new(v)).map(Value::Number)
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        serde::Deserialize::deserialize(serde::de::value::U128Deserializer::new(v)).map(Value::Number)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        #[cfg(feature = "parallel")]
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }
    #[cfg(not(feature = "parallel"))]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            if entries.insert(key, value).is_some() {
                self.0.set(true);
            }
        }
        Ok(Value::Object(entries))
    }
    /// Natively, each mapping is built at its exact size: the documents stay in memory for the whole
    /// evaluation, and a map grown entry by entry holds up to twice the room it needs (16 of the 43 MB the
    /// large bench fleet's documents took). The wasm build keeps the plain loop (its code size is budgeted).
    #[cfg(feature = "parallel")]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut read = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            read.push((key, map.next_value_seed(self)?));
        }
        let mut entries = serde_json::Map::with_capacity(read.len());
        for (key, value) in read {
            if entries.insert(key, value).is_some() {
                self.0.set(true);
            }
        }
        Ok(Value::Object(entries))
    }
}

fn parse_document(yaml: &str, base: usize, index: usize, map: &SourceMap) -> Result<Vec<Parsed>, Box<Diagnostic>> {
    let (value, repeats) = yaml_value(yaml).map_err(|e| yaml_error(&e, base, index, map, "yaml-syntax"))?;
    // Duplicate keys are an error for the API server's YAML decoder (the YAML parser keeps the last one). The
    // source index locates the repetition; it is only built when the tree saw one.
    let duplicate = || crate::yamlpath::index(yaml).and_then(|n| n.duplicate_key());
    if let Some((key, r)) = repeats.then(duplicate).flatten() {
        let pos = map.position(base + r.start);
        return Err(Box::new(
            Diagnostic::error(
                "duplicate-key",
                format!("document {index}, line {}:{}: mapping key {key:?} already defined", pos.line, pos.column),
            )
            .with_help("remove one of the two entries: Kubernetes refuses a manifest with a repeated key")
            .at(Some(index), Some(map.span(base + r.start, base + r.end))),
        ));
    }
    if let Some(len) = longest_string(&value).filter(|l| *l > budget::MAX_STRING_BYTES) {
        let pos = map.position(base);
        return Err(Box::new(
            Diagnostic::error(
                "string-too-long",
                format!(
                    "document {index}, line {}:{}: a string of {len} bytes, over the {} KiB budget",
                    pos.line,
                    pos.column,
                    budget::MAX_STRING_BYTES / 1024
                ),
            )
            .at(Some(index), Some(map.span(base, base))),
        ));
    }
    let first_line = base + content_start(yaml);
    if let Value::Object(obj) = &value {
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        if let (true, Some(Value::Array(items))) = (kind.ends_with("List"), obj.get("items")) {
            // kubectl applies a List as its items, in order (the resource builder's FlattenListVisitor).
            let tree = crate::yamlpath::index(yaml);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let prefix = [Seg::Key("items".into()), Seg::Index(i)];
                let at = tree.as_ref().map(|t| t.locate(&prefix)).filter(|(_, exact)| *exact).map(|(r, _)| r);
                let start = at.as_ref().map_or(first_line, |r| base + r.start);
                let span = at.map(|r| map.span(base + r.start, base + r.end));
                let mut parsed = parse_object(item.clone(), yaml, base, index, map, &prefix, start)?;
                parsed.span = span;
                out.push(parsed);
            }
            return Ok(out);
        }
    }
    Ok(vec![parse_object(value, yaml, base, index, map, &[], first_line)?])
}

/// One object of a document (the document itself, or an item of a List).
struct Parsed {
    object: Object,
    /// Where the object is, when it is not the whole document.
    span: Option<Span>,
    /// The policy's spec sets one of the fields that make the report show `members`.
    member_fields: bool,
    /// Why the API server refuses this object (kubectl then goes on with the next one).
    refusal: Option<Diagnostic>,
}

/// The Karmada kinds karmada-apiserver serves at f8fdd02 (the CRDs of `charts/karmada/_crds/bases` and the
/// aggregated `cluster.karmada.io` / `search.karmada.io` APIs), by apiVersion.
const SERVED_KARMADA_KINDS: &[(&str, &[&str])] = &[
    ("apps.karmada.io/v1alpha1", &["WorkloadRebalancer"]),
    ("autoscaling.karmada.io/v1alpha1", &["CronFederatedHPA", "FederatedHPA"]),
    ("cluster.karmada.io/v1alpha1", &["Cluster"]),
    ("config.karmada.io/v1alpha1", &["ResourceInterpreterCustomization", "ResourceInterpreterWebhookConfiguration"]),
    ("networking.karmada.io/v1alpha1", &["MultiClusterIngress", "MultiClusterService"]),
    (
        "policy.karmada.io/v1alpha1",
        &[
            "ClusterOverridePolicy",
            "ClusterPropagationPolicy",
            "ClusterTaintPolicy",
            "FederatedResourceQuota",
            "OverridePolicy",
            "PropagationPolicy",
        ],
    ),
    ("remedy.karmada.io/v1alpha1", &["Remedy"]),
    ("search.karmada.io/v1alpha1", &["ResourceRegistry"]),
    ("work.karmada.io/v1alpha1", &["ClusterResourceBinding", "ResourceBinding", "Work"]),
    ("work.karmada.io/v1alpha2", &["ClusterResourceBinding", "ResourceBinding"]),
];

/// kubectl's refusal of a Karmada kind under an apiVersion no API server serves (`karmada.io/v1alpha1`
/// OverridePolicy, `policy.karmada.io/v1beta1` PropagationPolicy, a misspelt kind), or `None` when served or
/// not a Karmada group.
fn unserved_karmada_kind(api_version: &str, kind: &str, name: &str) -> Option<Diagnostic> {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    if group != "karmada.io" && !group.ends_with(".karmada.io") {
        return None;
    }
    if SERVED_KARMADA_KINDS.iter().any(|(gv, kinds)| *gv == api_version && kinds.contains(&kind)) {
        return None;
    }
    let served: Vec<&str> =
        SERVED_KARMADA_KINDS.iter().filter(|(_, kinds)| kinds.contains(&kind)).map(|(gv, _)| *gv).collect();
    let help = match served.as_slice() {
        [] => "no Karmada API has this kind: check its spelling".to_string(),
        gvs => format!("{kind} is served as apiVersion {}", gvs.join(" or ")),
    };
    Some(
        Diagnostic::error(
            "no-matches-for-kind",
            format!(
                "resource mapping not found for name: {name:?}: no matches for kind {kind:?} in version {api_version:?}; the document is not applied"
            ),
        )
        .with_help(help),
    )
}

/// Spec keys of a (Cluster)PropagationPolicy that make the report show `members` (the vectors' rule).
const MEMBER_FIELDS: &[&str] =
    &["propagateDeps", "preserveResourcesOnDeletion", "suspension", "dependentOverrides", "schedulerName"];

/// Drops `key: null` entries everywhere: the API server's structural pruning removes a null of a
/// non-nullable field (every field of Karmada's policy CRDs is non-nullable), e.g. `placement:` with no value.
fn prune_nulls(v: &mut Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                stack.extend(m.values_mut());
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
}

fn parse_object(
    value: Value,
    yaml: &str,
    base: usize,
    index: usize,
    map: &SourceMap,
    prefix: &[Seg],
    first_line: usize,
) -> Result<Parsed, Box<Diagnostic>> {
    let typed = |v: &Value| typed_at::<MetaOnly>(v, yaml, base, index, map, prefix);
    let here = |code: &str, msg: String| {
        let pos = map.position(first_line);
        Box::new(
            Diagnostic::error(code, format!("document {index}, line {}:{}: {msg}", pos.line, pos.column))
                .at(Some(index), Some(map.span(first_line, first_line))),
        )
    };
    let Value::Object(obj) = &value else {
        return Err(here("not-an-object", "a document must be a Kubernetes object (a YAML mapping)".into()));
    };
    let api_version = match obj.get("apiVersion") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(here("missing-field", "missing or non-string `apiVersion`".into())),
    };
    let kind = match obj.get("kind") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(here("missing-field", "missing or non-string `kind`".into())),
    };
    let meta = typed(&value)?.metadata;
    if let Some(d) = unserved_karmada_kind(&api_version, &kind, &meta.name) {
        let object = Object::Other { api_version, kind, name: meta.name };
        return Ok(Parsed { object, span: None, member_fields: false, refusal: Some(d) });
    }
    if meta.name.is_empty() {
        return Err(here("missing-field", format!("{kind}: metadata.name is required")));
    }
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    // A document the API server refuses, pointed at the field it is about.
    let refused = |d: Diagnostic, offset: usize| Parsed {
        object: Object::Other { api_version: api_version.clone(), kind: kind.clone(), name: meta.name.clone() },
        span: None,
        member_fields: false,
        refusal: Some(d.at(None, Some(map.span(offset, offset)))),
    };
    let pruned = |v: &Value| {
        let mut v = v.clone();
        prune_nulls(&mut v);
        v
    };
    let object = match (group, kind.as_str()) {
        ("cluster.karmada.io", "Cluster") => {
            let c: Cluster = typed_at(&value, yaml, base, index, map, prefix)?;
            Object::Cluster(Box::new(c))
        }
        ("policy.karmada.io", "PropagationPolicy") | ("policy.karmada.io", "ClusterPropagationPolicy") => {
            let pruned = pruned(&value);
            let member_fields = pruned
                .get("spec")
                .and_then(Value::as_object)
                .is_some_and(|s| MEMBER_FIELDS.iter().any(|f| s.contains_key(*f)));
            let mut p: PropagationPolicy = match decode_at(&pruned, yaml, base, prefix) {
                Ok(p) => p,
                Err((e, offset)) => {
                    let d = crd_refusal(&kind, &meta.name, &e);
                    return Ok(Parsed { member_fields, ..refused(d, offset) });
                }
            };
            let namespaced = kind == "PropagationPolicy";
            scope_namespace(&mut p.metadata, namespaced);
            let pk = if namespaced { PolicyKind::PropagationPolicy } else { PolicyKind::ClusterPropagationPolicy };
            return Ok(Parsed { object: Object::Policy(pk, Box::new(p)), span: None, member_fields, refusal: None });
        }
        ("policy.karmada.io", "OverridePolicy") | ("policy.karmada.io", "ClusterOverridePolicy") => {
            let pruned = pruned(&value);
            let mut p: OverridePolicy = match decode_at(&pruned, yaml, base, prefix) {
                Ok(p) => p,
                Err((e, offset)) => return Ok(refused(crd_refusal(&kind, &meta.name, &e), offset)),
            };
            let namespaced = kind == "OverridePolicy";
            scope_namespace(&mut p.metadata, namespaced);
            let ok = if namespaced { OverrideKind::OverridePolicy } else { OverrideKind::ClusterOverridePolicy };
            p.normalize_values();
            Object::Override(ok, Box::new(p))
        }
        (g, _) if g.ends_with(".karmada.io") || g == "events.k8s.io" || (g.is_empty() && kind == "Event") => {
            Object::Other { api_version, kind, name: meta.name }
        }
        ("coordination.k8s.io", "Lease") => Object::Other { api_version, kind, name: meta.name },
        _ => {
            // Every API server (karmada's and the members') stores the object with its defaults, and validates it.
            // The document's own tree becomes the stored template (parsed once, never copied).
            let mut raw = value;
            if let Some((field, why)) = apiserver_admit(&api_version, &kind, &mut raw) {
                let what = if group.is_empty() { kind.clone() } else { format!("{kind}.{group}") };
                let name = crate::webhook::go_quote(&meta.name);
                let d =
                    Diagnostic::error("apiserver-rejected", format!("{what} {name} is invalid: spec.{field}: {why}"))
                        .with_help("Kubernetes refuses this object: it is never created");
                let at = crate::api::decode::DecodeError {
                    message: String::new(),
                    path: vec![Seg::Key("spec".into()), Seg::Key(field.into())],
                };
                return Ok(refused(d, error_offset(at, yaml, base, prefix).1));
            }
            let mut meta = meta;
            scope_namespace(&mut meta, !is_cluster_scoped(&api_version, &kind));
            Object::Template(Box::new(ResourceTemplate {
                api_version,
                kind,
                metadata: meta,
                raw: std::sync::Arc::new(raw),
                document: index,
            }))
        }
    };
    Ok(Parsed { object, span: None, member_fields: false, refusal: None })
}

#[derive(Default)]
struct MetaOnly {
    metadata: ObjectMeta,
}
crate::api::decode::decode_struct!(MetaOnly, allow, { metadata: "metadata" or_default });

/// The longest string (key or value) in a document, walking iteratively (no recursion on hostile depth).
fn longest_string(v: &Value) -> Option<usize> {
    let mut longest = 0usize;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => longest = longest.max(s.len()),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => {
                for (k, x) in m {
                    longest = longest.max(k.len());
                    stack.push(x);
                }
            }
            _ => {}
        }
    }
    Some(longest)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::yaml_value;
    use serde_json::Value;

    #[test]
    fn yaml_value_reads_as_serde_does_and_notes_repeated_keys() {
        let docs = [
            ("a: 1\nb: [x, 2.5, null, true, ~]\nc: {d: -3, e: 18446744073709551615}\n", false),
            ("n: 1e400\nm: .nan\nbig: 340282366920938463463374607431768211455\n", false),
            ("base: &b {x: 1}\nuse: *b\n'q': \"s\"\n", false),
            ("k: 1\nk: 2\n", true),
            ("outer:\n  list:\n  - {x: 1, x: 2}\n", true),
            ("a: 1\n\"a\": 2\n", true),
            ("", false),
            ("- 1\n- two\n", false),
        ];
        for (doc, repeats) in docs {
            let ours = yaml_value(doc).map_err(|e| e.to_string());
            let serde = serde_yaml::from_str::<Value>(doc).map_err(|e| e.to_string());
            // The same values with their keys in the same order.
            let text = |v: &Value| serde_json::to_string(v).unwrap();
            assert_eq!(ours.as_ref().map(|(v, _)| text(v)), serde.as_ref().map(text), "{doc:?}");
            assert_eq!(ours.map(|(_, r)| r).unwrap_or(false), repeats, "{doc:?}");
        }
        // Errors read the same as well.
        let bad = "a: [1\n";
        assert_eq!(
            yaml_value(bad).unwrap_err().to_string(),
            serde_yaml::from_str::<Value>(bad).unwrap_err().to_string()
        );
    }
}
