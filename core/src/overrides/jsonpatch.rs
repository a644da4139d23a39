//! RFC 6902 JSON patch with the exact behaviour and error texts of the library Karmada vendors
//! (`github.com/evanphx/json-patch/v5` `patch.go`: `findObject`, `partialDoc`/`partialArray`, `Patch.add`,
//! `.remove`, `.replace`), and the JSON pointer of `github.com/go-openapi/jsonpointer` (`pointer.go`,
//! `errors.go`) that the field overrider uses. Both work on `serde_json::Value` with insertion-ordered maps,
//! which keeps json-patch v5's key order (new keys are appended, removed keys keep the others in place).

use crate::webhook::go_quote;
use serde_json::Value;

/// One patch operation as Karmada marshals it (`overrideOption`): `value` is `null` when absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `add`, `remove` or `replace` (anything else is refused like `DecodePatch` does).
    pub op: String,
    /// JSON pointer.
    pub path: String,
    /// The value (`None` marshals as `null`).
    pub value: Option<Value>,
}

impl Operation {
    /// A new operation.
    pub fn new(op: &str, path: &str, value: Option<Value>) -> Self {
        Operation { op: op.to_string(), path: path.to_string(), value }
    }
}

/// `decodePatchKey`: `~1` → `/`, `~0` → `~`, left to right.
fn decode_key(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut chars = k.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.peek() {
                Some('1') => {
                    chars.next();
                    out.push('/');
                    continue;
                }
                Some('0') => {
                    chars.next();
                    out.push('~');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

/// `strconv.Atoi`, with Go's error text.
pub fn atoi(s: &str) -> Result<i64, String> {
    s.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => "value out of range",
            _ => "invalid syntax",
        };
        format!("strconv.Atoi: parsing {}: {why}", go_quote(s))
    })
}

/// An index of `partialArray.get`: negative indices count from the end; `None` when out of range.
fn array_index(idx: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let idx = if idx < 0 {
        if idx < -len {
            return None;
        }
        idx + len
    } else {
        idx
    };
    if idx >= len {
        return None;
    }
    usize::try_from(idx).ok()
}

enum Nav {
    Stay,
    Key(String),
    Idx(usize),
}

/// `findObject`: the container holding the last token, and that token decoded. The first segment of the
/// path is skipped whatever it is (a path without a leading `/` loses its first token).
fn find_object<'v>(root: &'v mut Value, path: &str) -> Option<(&'v mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return if path.is_empty() { Some((root, String::new())) } else { None };
    }
    let (key, parts) = split.get(1..)?.split_last()?;
    let mut cur = root;
    for part in parts {
        let k = decode_key(part);
        let nav = match &*cur {
            // `get("")` returns the container itself.
            Value::Object(_) | Value::Array(_) if k.is_empty() => Nav::Stay,
            Value::Object(m) => {
                if !m.contains_key(&k) {
                    return None;
                }
                Nav::Key(k)
            }
            Value::Array(a) => Nav::Idx(array_index(atoi(&k).ok()?, a.len())?),
            _ => return None,
        };
        cur = match nav {
            Nav::Stay => cur,
            Nav::Key(k) => cur.get_mut(k.as_str())?,
            Nav::Idx(i) => cur.get_mut(i)?,
        };
        // `intoDoc` / `intoAry`: only objects and arrays can be walked through.
        if !(cur.is_object() || cur.is_array()) {
            return None;
        }
    }
    Some((cur, decode_key(key)))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Replacing the whole document (path `""`): only an object or an array can become the document.
fn replace_root(doc: &mut Value, value: Value, what: &str) -> Result<(), String> {
    if value.is_object() || value.is_array() {
        *doc = value;
        Ok(())
    } else if what == "replace" {
        Err("replace operation value must be object or array: %!w(<nil>)".into())
    } else {
        Err(format!("json: cannot unmarshal {} into Go value of type jsonpatch.partialDoc", json_type(&value)))
    }
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        return replace_root(doc, value, "add");
    }
    let Some((con, key)) = find_object(doc, path) else {
        return Err(format!("add operation does not apply: doc is missing path: \"{path}\": missing value"));
    };
    match con {
        Value::Object(m) => {
            m.insert(key, value);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(value);
                return Ok(());
            }
            let idx = atoi(&key).map_err(|e| {
                format!("error in add for path: '{path}': value was not a proper array index: '{key}': {e}")
            })?;
            let invalid = || {
                format!(
                    "error in add for path: '{path}': Unable to access invalid index: {idx}: invalid index referenced"
                )
            };
            let size = i64::try_from(a.len()).map_err(|_| invalid())? + 1;
            if idx >= size || idx < -size {
                return Err(invalid());
            }
            let at = usize::try_from(if idx < 0 { idx + size } else { idx }).map_err(|_| invalid())?;
            if at > a.len() {
                return Err(invalid());
            }
            a.insert(at, value);
            Ok(())
        }
        _ => Err(format!("add operation does not apply: doc is missing path: \"{path}\": missing value")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<(), String> {
    let Some((con, key)) = find_object(doc, path) else {
        return Err(format!("remove operation does not apply: doc is missing path: \"{path}\": missing value"));
    };
    match con {
        Value::Object(m) => {
            if m.shift_remove(&key).is_none() {
                return Err(format!(
                    "error in remove for path: '{path}': unable to remove nonexistent key: {key}: missing value"
                ));
            }
            Ok(())
        }
        Value::Array(a) => {
            let idx = atoi(&key).map_err(|e| format!("error in remove for path: '{path}': {e}"))?;
            let at = array_index(idx, a.len()).ok_or_else(|| {
                format!("error in remove for path: '{path}': Unable to access invalid index: {idx}: invalid index referenced")
            })?;
            a.remove(at);
            Ok(())
        }
        _ => Err(format!("remove operation does not apply: doc is missing path: \"{path}\": missing value")),
    }
}

fn replace(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        return replace_root(doc, value, "replace");
    }
    let Some((con, key)) = find_object(doc, path) else {
        return Err(format!("replace operation does not apply: doc is missing path: {path}: missing value"));
    };
    let missing_key = || format!("replace operation does not apply: doc is missing key: {path}: missing value");
    match con {
        Value::Object(m) => {
            // `get("")` answers with the container itself, so an empty key counts as present.
            if !key.is_empty() && !m.contains_key(&key) {
                return Err(missing_key());
            }
            m.insert(key, value);
            Ok(())
        }
        Value::Array(a) => {
            if key.is_empty() {
                // get("") succeeds, then `partialArray.set` cannot parse the index.
                return Err(format!("error in remove for path: '{path}': {}", atoi("").err().unwrap_or_default()));
            }
            let idx = atoi(&key).map_err(|_| missing_key())?;
            let at = array_index(idx, a.len()).ok_or_else(missing_key)?;
            match a.get_mut(at) {
                Some(slot) => {
                    *slot = value;
                    Ok(())
                }
                None => Err(missing_key()),
            }
        }
        _ => Err(missing_key()),
    }
}

/// `DecodePatch` / `validateOperation`: only `add`, `remove` and `replace` are produced by Karmada.
pub fn validate(ops: &[Operation]) -> Result<(), String> {
    for o in ops {
        if !matches!(o.op.as_str(), "add" | "remove" | "replace") {
            let mut m = serde_json::Map::new();
            m.insert("op".into(), Value::String(o.op.clone()));
            m.insert("path".into(), Value::String(o.path.clone()));
            m.insert("value".into(), o.value.clone().unwrap_or(Value::Null));
            return Err(format!("invalid operation {}: unsupported operation", go_json_compact(&Value::Object(m))));
        }
    }
    Ok(())
}

/// `Patch.Apply`: every operation in order; on error the document is left unchanged.
pub fn apply(doc: &mut Value, ops: &[Operation]) -> Result<(), String> {
    validate(ops)?;
    if !(doc.is_object() || doc.is_array()) {
        return Err(format!("json: cannot unmarshal {} into Go value of type jsonpatch.partialDoc", json_type(doc)));
    }
    let mut work = doc.clone();
    for o in ops {
        let value = o.value.clone().unwrap_or(Value::Null);
        match o.op.as_str() {
            "add" => add(&mut work, &o.path, value)?,
            "remove" => remove(&mut work, &o.path)?,
            _ => replace(&mut work, &o.path, value)?,
        }
    }
    *doc = work;
    Ok(())
}

/// Go's `json.Marshal` output of a value: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub fn go_json_compact(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

// ------------------------------------------------------------------------------------------------------------
// go-openapi/jsonpointer
// ------------------------------------------------------------------------------------------------------------

/// `ErrPointer`'s text, appended to every pointer error.
const ERR_POINTER: &str = "JSON pointer error";

/// `jsonpointer.New`: the reference tokens, or Karmada's error text (`errors.Join(ErrInvalidStart,
/// ErrPointer)`, two lines).
pub fn pointer_tokens(p: &str) -> Result<Vec<String>, String> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    match p.strip_prefix('/') {
        Some(rest) => Ok(rest.split('/').map(str::to_string).collect()),
        None => Err(format!("JSON pointer must be empty or start with a \"/\"\n{ERR_POINTER}")),
    }
}

/// `jsonpointer.Unescape`: `~1` → `/` first, then `~0` → `~`.
fn unescape(t: &str) -> String {
    t.replace("~1", "/").replace("~0", "~")
}

/// `Pointer.Get` on an unstructured object.
pub fn pointer_get<'v>(doc: &'v Value, tokens: &[String]) -> Result<&'v Value, String> {
    let mut node = doc;
    for t in tokens {
        let t = unescape(t);
        node = match node {
            Value::Null => return Err(format!("nil value has no field {}: {ERR_POINTER}", go_quote(&t))),
            Value::Object(m) => {
                m.get(&t).ok_or_else(|| format!("object has no key {}: {ERR_POINTER}", go_quote(&t)))?
            }
            Value::Array(a) => {
                if t == "-" {
                    return Err(format!(
                        "cannot resolve \"-\" token on get: the \"-\" array token cannot be resolved here: {ERR_POINTER}"
                    ));
                }
                let idx = atoi(&t).map_err(|e| format!("{e}\n{ERR_POINTER}"))?;
                let len = a.len();
                usize::try_from(idx).ok().and_then(|i| a.get(i)).ok_or_else(|| {
                    format!("index out of bounds array[0,{}] index '{idx}': {ERR_POINTER}", len as i64 - 1)
                })?
            }
            _ => return Err(format!("invalid token reference {}: {ERR_POINTER}", go_quote(&t))),
        };
    }
    Ok(node)
}

/// `Pointer.Set` at a location [`pointer_get`] already resolved.
pub fn pointer_set(doc: &mut Value, tokens: &[String], value: Value) -> Result<(), String> {
    let mut node = doc;
    for t in tokens {
        let t = unescape(t);
        node = match node {
            Value::Object(m) => m.get_mut(&t),
            Value::Array(a) => usize::try_from(atoi(&t)?).ok().and_then(|i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("invalid token reference {}: {ERR_POINTER}", go_quote(&t)))?;
    }
    *node = value;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: Value, ops: &[(&str, &str, Option<Value>)]) -> Result<Value, String> {
        let mut d = doc;
        let ops: Vec<Operation> = ops.iter().map(|(o, p, v)| Operation::new(o, p, v.clone())).collect();
        apply(&mut d, &ops).map(|_| d)
    }

    #[test]
    fn add_replace_remove_keep_key_order() {
        let d = run(
            json!({"db": {"host": "localhost", "port": 5432}}),
            &[("replace", "/db/host", Some(json!("db.member"))), ("add", "/db/ssl", Some(json!(true)))],
        )
        .unwrap();
        assert_eq!(go_json_compact(&d), r#"{"db":{"host":"db.member","port":5432,"ssl":true}}"#);
        let d = run(json!({"a": 1, "b": 2, "c": 3}), &[("remove", "/a", None)]).unwrap();
        assert_eq!(go_json_compact(&d), r#"{"b":2,"c":3}"#);
    }

    #[test]
    fn error_texts_are_karmadas() {
        let doc = json!({"spec": {"replicas": 2}});
        assert_eq!(
            run(doc.clone(), &[("replace", "/spec/nothere/x", Some(json!(1)))]).unwrap_err(),
            "replace operation does not apply: doc is missing path: /spec/nothere/x: missing value"
        );
        // Without a leading slash the first token is dropped.
        assert_eq!(
            run(doc.clone(), &[("replace", "spec/replicas", Some(json!(3)))]).unwrap_err(),
            "replace operation does not apply: doc is missing key: spec/replicas: missing value"
        );
        assert_eq!(
            run(doc.clone(), &[("add", "/x/y", Some(json!(1)))]).unwrap_err(),
            "add operation does not apply: doc is missing path: \"/x/y\": missing value"
        );
        assert_eq!(
            run(doc.clone(), &[("remove", "/spec/nope", None)]).unwrap_err(),
            "error in remove for path: '/spec/nope': unable to remove nonexistent key: nope: missing value"
        );
        assert_eq!(
            run(json!({"a": [1]}), &[("add", "/a/x", Some(json!(1)))]).unwrap_err(),
            "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            run(json!({"a": [1]}), &[("add", "/a/5", Some(json!(1)))]).unwrap_err(),
            "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced"
        );
    }

    #[test]
    fn arrays_negative_indices_and_append() {
        let d = run(json!({"a": [1, 2]}), &[("add", "/a/-", Some(json!(3))), ("add", "/a/0", Some(json!(0)))]).unwrap();
        assert_eq!(d, json!({"a": [0, 1, 2, 3]}));
        let d =
            run(json!({"a": [1, 2, 3]}), &[("remove", "/a/-1", None), ("replace", "/a/0", Some(json!(9)))]).unwrap();
        assert_eq!(d, json!({"a": [9, 2]}));
        // A failed patch leaves the document unchanged.
        let mut d = json!({"a": 1});
        assert!(apply(&mut d, &[Operation::new("add", "/b", Some(json!(2))), Operation::new("remove", "/zz", None)])
            .is_err());
        assert_eq!(d, json!({"a": 1}));
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer_tokens("/data/app.yaml").unwrap(), vec!["data", "app.yaml"]);
        assert_eq!(
            pointer_tokens("data").unwrap_err(),
            "JSON pointer must be empty or start with a \"/\"\nJSON pointer error"
        );
        let doc = json!({"data": {"a~b/c": "x"}, "l": [1]});
        let t = pointer_tokens("/data/a~0b~1c").unwrap();
        assert_eq!(pointer_get(&doc, &t).unwrap(), &json!("x"));
        assert_eq!(
            pointer_get(&doc, &pointer_tokens("/data/zz").unwrap()).unwrap_err(),
            "object has no key \"zz\": JSON pointer error"
        );
        assert_eq!(
            pointer_get(&doc, &pointer_tokens("/l/3").unwrap()).unwrap_err(),
            "index out of bounds array[0,0] index '3': JSON pointer error"
        );
        let mut doc = doc;
        pointer_set(&mut doc, &t, json!("y")).unwrap();
        assert_eq!(doc["data"]["a~b/c"], "y");
    }
}
