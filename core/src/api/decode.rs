//! Typed decoding of a document's JSON value, with the wording of serde's derive (what users of `kubectl`
//! and serde_json read) and the field path where decoding failed, so a diagnostic points at the offending
//! key or value (a missing field at the mapping that lacks it).
//!
//! Hand-written instead of `#[derive(Deserialize)]`: serde's derive expands every struct into visitor code
//! generic over the deserializer, tens of kilobytes of the wasm module for ~50 API structs; here a struct is a
//! table of JSON names and one small function (see `decode_struct!`). The test build keeps serde's derive on
//! the API types, and `tests::agrees_with_serde` checks both decoders on every scenario vector.

use std::fmt;

use serde_json::{Map, Value};

use crate::util::VecMap;
use crate::yamlpath::Seg;

/// A decoding error: serde's message and the path of the node it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// serde's message, e.g. ``unknown field `x`, expected one of `a`, `b` ``.
    pub message: String,
    /// Where, from the document root (innermost segment last).
    pub path: Vec<Seg>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    fn new(message: String) -> Self {
        DecodeError { message, path: Vec::new() }
    }

    /// Prepends one segment while the error unwinds to the root.
    fn under(mut self, seg: Seg) -> Self {
        self.path.insert(0, seg);
        self
    }

    /// serde's `invalid type` error for `v`.
    pub fn invalid_type(v: &Value, expected: &str) -> Self {
        DecodeError::new(format!("invalid type: {}, expected {expected}", unexpected(v)))
    }
}

/// A type decoded from a JSON value.
pub trait Decode: Sized {
    /// Decodes `v`.
    fn decode(v: &Value) -> Result<Self, DecodeError>;

    /// The value of an absent field that has no default: an error, except for options (serde's rule).
    fn missing(field: &'static str) -> Result<Self, DecodeError> {
        Err(DecodeError::new(format!("missing field `{field}`")))
    }

    /// The JSON shape this decoder accepts.
    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("any")
    }
}

/// The JSON shape a decoder accepts (feature `schema`): the playground's tests write its editor's field hover
/// from it (playground/src/fields.rs), so the hover names the fields these decoders read.
#[cfg(feature = "schema")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A scalar: `string`, `boolean`, `integer`, `quantity`, `any`.
    Scalar(&'static str),
    /// A sequence of the inner shape.
    List(Box<Shape>),
    /// A map from strings to the inner shape.
    Map(Box<Shape>),
    /// A struct: (JSON name, required, shape) of each field, in declaration order.
    Object(Vec<(&'static str, bool, Shape)>),
}

/// The shape of a field's type (by inference from the field: the decoders' tables name fields, not types).
#[cfg(feature = "schema")]
pub fn shape_of<T: Decode>(_: &T) -> Shape {
    T::shape()
}

/// Decodes `T` from `value`.
pub fn from_value<T: Decode>(value: &Value) -> Result<T, DecodeError> {
    T::decode(value)
}

/// serde_json's description of a value in an "invalid type" message.
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

impl Decode for String {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(DecodeError::invalid_type(v, "a string")),
        }
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("string")
    }
}

impl Decode for bool {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(DecodeError::invalid_type(v, "a boolean")),
        }
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("boolean")
    }
}

/// An integer of the type named `expected`, or serde's error: a float or non-number is an invalid type, a
/// number out of range an invalid value.
fn integer<T: TryFrom<i64> + TryFrom<u64>>(v: &Value, expected: &str) -> Result<T, DecodeError> {
    let Value::Number(n) = v else { return Err(DecodeError::invalid_type(v, expected)) };
    let fits = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => T::try_from(i).ok(),
        (None, Some(u)) => T::try_from(u).ok(),
        _ => return Err(DecodeError::invalid_type(v, expected)),
    };
    fits.ok_or_else(|| DecodeError::new(format!("invalid value: integer `{n}`, expected {expected}")))
}

impl Decode for i32 {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        integer(v, "i32")
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("integer")
    }
}

impl Decode for i64 {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        integer(v, "i64")
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("integer")
    }
}

impl Decode for u32 {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        integer(v, "u32")
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Scalar("integer")
    }
}

impl Decode for Value {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(v.clone())
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        match v {
            Value::Null => Ok(None),
            v => T::decode(v).map(Some),
        }
    }

    fn missing(_: &'static str) -> Result<Self, DecodeError> {
        Ok(None)
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        T::shape()
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let Value::Array(items) = v else { return Err(DecodeError::invalid_type(v, "a sequence")) };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match T::decode(item) {
                Ok(found) => out.push(found),
                Err(e) => return Err(under_index(e, i)),
            }
        }
        Ok(out)
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::List(Box::new(T::shape()))
    }
}

impl<T: Decode> Decode for VecMap<String, T> {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let Value::Object(entries) = v else { return Err(DecodeError::invalid_type(v, "a map")) };
        let mut out = VecMap::new();
        for (k, item) in entries {
            match T::decode(item) {
                Ok(found) => out.insert(k.clone(), found),
                Err(e) => return Err(under_key(e, k)),
            };
        }
        Ok(out)
    }

    #[cfg(feature = "schema")]
    fn shape() -> Shape {
        Shape::Map(Box::new(T::shape()))
    }
}

/// The entries of a struct's mapping (serde: "invalid type: ..., expected struct X" for anything else).
pub fn object<'v>(v: &'v Value, expected: &str) -> Result<&'v Map<String, Value>, DecodeError> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(DecodeError::invalid_type(v, expected)),
    }
}

/// `e`, one level down: under item `index` (out of line, like `under_key`).
#[inline(never)]
fn under_index(e: DecodeError, index: usize) -> DecodeError {
    e.under(Seg::Index(index))
}

/// `e`, one level down: under field `key` (out of line, so each struct's decoder stays small).
#[inline(never)]
pub fn under_key(e: DecodeError, key: &str) -> DecodeError {
    e.under(Seg::Key(key.to_string()))
}

/// serde's error for a key the struct does not have (`deny_unknown_fields`), at that key.
#[inline(never)]
pub fn unknown_field(key: &str, fields: &[&str]) -> DecodeError {
    let quoted: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    let message = match quoted.as_slice() {
        [] => format!("unknown field `{key}`, there are no fields"),
        [one] => format!("unknown field `{key}`, expected {one}"),
        [a, b] => format!("unknown field `{key}`, expected {a} or {b}"),
        many => format!("unknown field `{key}`, expected one of {}", many.join(", ")),
    };
    under_key(DecodeError::new(message), key)
}

/// Whether a field without a default may be absent: serde's rule (an option may, anything else may not).
pub fn absent<T: Decode>(entries: &Map<String, Value>, key: &'static str) -> Result<Option<T>, DecodeError> {
    if entries.contains_key(key) {
        Ok(None)
    } else {
        T::missing(key).map(Some)
    }
}

/// Implements [`Decode`] for a struct as its serde attributes describe it: each field with its JSON name
/// and `or_default` (`#[serde(default)]`) or `required`; `deny` rejects unknown keys
/// (`deny_unknown_fields`), `allow` ignores them. Keys are read in document order, so the first error is
/// the one serde reports; missing fields are checked after, in declaration order. The struct starts from
/// its `Default` (derived, so each field's default); the list must name every field once.
macro_rules! decode_struct {
    ($ty:ident, $unknown:ident, { $($field:ident : $json:literal $rule:ident),* $(,)? }) => {
        impl $crate::api::decode::Decode for $ty {
            fn decode(v: &serde_json::Value) -> Result<Self, $crate::api::decode::DecodeError> {
                #[allow(dead_code)]
                const FIELDS: &[&str] = &[$($json),*];
                let entries = $crate::api::decode::object(v, concat!("struct ", stringify!($ty)))?;
                let mut out = <$ty as Default>::default();
                // Every field named, none twice: an exhaustive pattern.
                let $ty { $($field: _),* } = &out;
                for (key, value) in entries {
                    match key.as_str() {
                        $( $json => match $crate::api::decode::Decode::decode(value) {
                            Ok(found) => out.$field = found,
                            Err(e) => return Err($crate::api::decode::under_key(e, key)),
                        }, )*
                        _ => $crate::api::decode::decode_struct!(@unknown $unknown, key, FIELDS),
                    }
                }
                $( $crate::api::decode::decode_struct!(@$rule out, entries, $field, $json); )*
                Ok(out)
            }

            #[cfg(feature = "schema")]
            fn shape() -> $crate::api::decode::Shape {
                let out = <$ty as Default>::default();
                $crate::api::decode::Shape::Object(vec![$(
                    ($json, stringify!($rule) == "required", $crate::api::decode::shape_of(&out.$field)),
                )*])
            }
        }
    };
    (@unknown deny, $key:ident, $fields:ident) => {
        return Err($crate::api::decode::unknown_field($key, $fields))
    };
    (@unknown allow, $key:ident, $fields:ident) => {
        {}
    };
    (@or_default $out:ident, $entries:ident, $field:ident, $json:literal) => {};
    (@required $out:ident, $entries:ident, $field:ident, $json:literal) => {
        if let Some(v) = $crate::api::decode::absent($entries, $json)? {
            $out.$field = v;
        }
    };
}
pub(crate) use decode_struct;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Default)]
    struct Inner {
        name: String,
        weight: Option<i32>,
        count: u32,
    }
    decode_struct!(Inner, deny, { name: "name" required, weight: "weight" or_default, count: "count" or_default });

    #[derive(Debug, PartialEq, Default)]
    struct Outer {
        items: Vec<Inner>,
        labels: VecMap<String, String>,
        note: Option<String>,
    }
    decode_struct!(Outer, allow, { items: "items" required, labels: "labels" or_default, note: "note" required });

    fn err(v: Value) -> DecodeError {
        from_value::<Outer>(&v).unwrap_err()
    }

    #[test]
    fn decodes_nested_values() {
        let v = json!({"items": [{"name": "a", "weight": 2}, {"name": "b", "weight": null}], "labels": {"x": "y"},
            "other": 1});
        let o: Outer = from_value(&v).unwrap();
        assert_eq!(
            o,
            Outer {
                items: vec![
                    Inner { name: "a".into(), weight: Some(2), count: 0 },
                    Inner { name: "b".into(), weight: None, count: 0 }
                ],
                labels: [("x".to_string(), "y".to_string())].into(),
                note: None,
            }
        );
    }

    #[test]
    fn unknown_field_names_the_key_path() {
        let e = err(json!({"items": [{"name": "a"}, {"name": "b", "wieght": 1}]}));
        assert_eq!(e.message, "unknown field `wieght`, expected one of `name`, `weight`, `count`");
        assert_eq!(e.path, vec![Seg::Key("items".into()), Seg::Index(1), Seg::Key("wieght".into())]);
    }

    #[test]
    fn invalid_type_names_the_value_path() {
        let e = err(json!({"items": [{"name": "a", "weight": "ten"}]}));
        assert_eq!(e.message, "invalid type: string \"ten\", expected i32");
        assert_eq!(e.path, vec![Seg::Key("items".into()), Seg::Index(0), Seg::Key("weight".into())]);
        assert_eq!(err(json!({"items": 5})).message, "invalid type: integer `5`, expected a sequence");
        assert_eq!(err(json!({"items": [7]})).message, "invalid type: integer `7`, expected struct Inner");
        let e = err(json!({"items": [{"name": 1.5}]}));
        assert_eq!(e.message, "invalid type: floating point `1.5`, expected a string");
        let e = err(json!({"items": [{"name": null}]}));
        assert_eq!(e.message, "invalid type: null, expected a string");
        let e = err(json!({"items": [{"name": "a", "count": -1}]}));
        assert_eq!(e.message, "invalid value: integer `-1`, expected u32");
        let e = err(json!({"items": [{"name": "a", "weight": 5_000_000_000_i64}]}));
        assert_eq!(e.message, "invalid value: integer `5000000000`, expected i32");
    }

    #[test]
    fn missing_field_points_at_the_mapping_that_lacks_it() {
        let e = err(json!({"items": [{"weight": 1}]}));
        assert_eq!(e.message, "missing field `name`");
        assert_eq!(e.path, vec![Seg::Key("items".into()), Seg::Index(0)]);
        assert_eq!(err(json!({})).message, "missing field `items`");
    }

    #[test]
    fn the_first_error_in_document_order_wins() {
        let e = err(json!({"items": [{"bad": 1, "name": 2}]}));
        assert_eq!(e.message, "unknown field `bad`, expected one of `name`, `weight`, `count`");
        let e = err(json!({"items": [{"name": 2, "bad": 1}]}));
        assert_eq!(e.message, "invalid type: integer `2`, expected a string");
    }

    /// Every Cluster, PropagationPolicy and OverridePolicy document of the scenario vectors and corpora, and
    /// mutations of each of their mappings (an unknown key; each value replaced by another kind; each key
    /// removed), decode to the same value or the same message as with serde's derive.
    #[test]
    fn agrees_with_serde() {
        use crate::api::override_policy::OverridePolicy;
        use crate::api::{Cluster, PropagationPolicy};

        fn same<T>(v: &Value) -> usize
        where
            T: Decode + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let ours = from_value::<T>(v);
            let serde = crate::api::decode_reference::from_value::<T>(v);
            match (&ours, &serde) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
                (Err(a), Err(b)) => assert_eq!((&a.message, &a.path), (&b.message, &b.path), "{v}"),
                _ => panic!("decoders disagree on {v}: ours {ours:?}, serde {serde:?}"),
            }
            1
        }
        fn check(v: &Value) -> usize {
            match v.get("kind").and_then(Value::as_str) {
                Some("Cluster") => same::<Cluster>(v),
                Some("PropagationPolicy" | "ClusterPropagationPolicy") => same::<PropagationPolicy>(v),
                Some("OverridePolicy" | "ClusterOverridePolicy") => same::<OverridePolicy>(v),
                _ => 0,
            }
        }
        // Paths of every mapping in `v`.
        fn maps(v: &Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
            match v {
                Value::Object(m) => {
                    out.push(at.clone());
                    for (k, x) in m {
                        at.push(Seg::Key(k.clone()));
                        maps(x, at, out);
                        at.pop();
                    }
                }
                Value::Array(items) => {
                    for (i, x) in items.iter().enumerate() {
                        at.push(Seg::Index(i));
                        maps(x, at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        fn node<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
            path.iter().fold(v, |v, s| match s {
                Seg::Key(k) => v.get_mut(k.as_str()).unwrap(),
                Seg::Index(i) => v.get_mut(*i).unwrap(),
            })
        }

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
        let mut checked = 0;
        for dir in ["conformance", "conformance-next", "corpus/bad", "corpus/good", "bench"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for doc in text.split("\n---") {
                    let Ok(v) = serde_yaml::from_str::<Value>(doc) else { continue };
                    if check(&v) == 0 {
                        continue;
                    }
                    checked += 1;
                    let mut paths = Vec::new();
                    maps(&v, &mut Vec::new(), &mut paths);
                    for p in &paths {
                        let mut w = v.clone();
                        if let Value::Object(m) = node(&mut w, p) {
                            m.insert("zzUnknown".into(), json!(1));
                        }
                        checked += check(&w);
                        let keys: Vec<String> = node(&mut v.clone(), p).as_object().unwrap().keys().cloned().collect();
                        for k in keys {
                            let mut w = v.clone();
                            node(&mut w, p).as_object_mut().unwrap().remove(&k);
                            checked += check(&w);
                            for other in [json!(null), json!(1.5), json!(-3), json!("x"), json!([1]), json!({"a": 1})] {
                                let mut w = v.clone();
                                node(&mut w, p).as_object_mut().unwrap().insert(k.clone(), other);
                                checked += check(&w);
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "only {checked} documents checked");
    }
}
