//! Test-only reference for [`super::decode`]: the serde-derive decoder it replaced (a serde `Deserializer`
//! over a borrowed JSON value that records the failing path, and never builds a struct from a sequence).
//! `decode::tests::agrees_with_serde` requires both to give the same values, messages and paths. Its error
//! type is [`DecodeError`], made a serde error here (test builds only).
#![allow(clippy::unwrap_used, missing_docs)]

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::Value;

use super::decode::DecodeError;
use crate::yamlpath::Seg;

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError { message: msg.to_string(), path: Vec::new() }
    }

    // serde's wording, with our own rendering of the unexpected value (see `unexpected`).
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!("invalid type: {}, expected {exp}", unexpected(unexp)))
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!("invalid value: {}, expected {exp}", unexpected(unexp)))
    }
}

/// serde's description of an unexpected value, except that a float is printed by serde_json's float printer:
/// serde's own `Display` goes through Rust's float formatting, kilobytes of wasm the module otherwise lacks.
fn unexpected(u: de::Unexpected<'_>) -> String {
    use de::Unexpected as U;
    match u {
        U::Bool(b) => format!("boolean `{b}`"),
        U::Unsigned(i) => format!("integer `{i}`"),
        U::Signed(i) => format!("integer `{i}`"),
        U::Float(f) => {
            let text = serde_json::Number::from_f64(f).map(|n| n.to_string()).unwrap_or_else(|| "NaN".into());
            format!("floating point `{text}`")
        }
        U::Char(c) => format!("character `{c}`"),
        U::Str(s) => format!("string {s:?}"),
        U::Bytes(_) => "byte array".into(),
        U::Unit => "null".into(),
        U::Option => "Option value".into(),
        U::NewtypeStruct => "newtype struct".into(),
        U::Seq => "sequence".into(),
        U::Map => "map".into(),
        U::Enum => "enum".into(),
        U::UnitVariant => "unit variant".into(),
        U::NewtypeVariant => "newtype variant".into(),
        U::TupleVariant => "tuple variant".into(),
        U::StructVariant => "struct variant".into(),
        U::Other(other) => other.into(),
    }
}

impl DecodeError {
    /// Prepends one segment while the error unwinds to the root. (Not inlined, like `ref_under_key`: the error
    /// path stays out of the per-type code of every visitor.)
    #[inline(never)]
    fn ref_under(mut self, seg: Seg) -> Self {
        self.path.insert(0, seg);
        self
    }

    #[inline(never)]
    fn ref_under_key(self, key: &str) -> Self {
        self.ref_under(Seg::Key(key.to_string()))
    }
}

/// Decodes `T` from `value` with serde's derive.
pub fn from_value<'de, T: de::Deserialize<'de>>(value: &'de Value) -> Result<T, DecodeError> {
    T::deserialize(ValueDe(value))
}

/// The deserializer of one borrowed value.
struct ValueDe<'de>(&'de Value);

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(SeqAccess { items: items.iter(), index: 0 }),
            Value::Object(entries) => visitor.visit_map(MapAccess { entries: entries.iter(), current: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        // Kubernetes enums are strings (unit variants only).
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    // Each typed entry point calls only the visitor method of its own shape, so a struct's visitor is never
    // asked for `visit_seq` (and the code for it is never generated).
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => visitor.visit_i64(i),
                (None, Some(u)) => visitor.visit_u64(u),
                _ => Err(self.invalid(&visitor)),
            },
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Number(n) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(SeqAccess { items: items.iter(), index: 0 }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Object(entries) => visitor.visit_map(MapAccess { entries: entries.iter(), current: None }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
    }
}

impl ValueDe<'_> {
    /// serde's "invalid type" error for this value (serde_json's wording of the value kinds).
    fn invalid(&self, expected: &dyn de::Expected) -> DecodeError {
        let unexpected = match self.0 {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => de::Unexpected::Unsigned(u),
                (None, Some(i)) => de::Unexpected::Signed(i),
                _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => de::Unexpected::Str(s),
            Value::Array(_) => de::Unexpected::Seq,
            Value::Object(_) => de::Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, expected)
    }
}

struct SeqAccess<'de> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DecodeError> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        match seed.deserialize(ValueDe(item)) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e.ref_under(Seg::Index(index))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'de> {
    entries: serde_json::map::Iter<'de>,
    current: Option<(&'de String, &'de Value)>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.current = Some((key, value));
        let de: de::value::BorrowedStrDeserializer<'de, DecodeError> = de::value::BorrowedStrDeserializer::new(key);
        match seed.deserialize(de) {
            Ok(k) => Ok(Some(k)),
            Err(e) => Err(e.ref_under_key(key)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        match self.current.take() {
            Some((key, value)) => match seed.deserialize(ValueDe(value)) {
                Ok(v) => Ok(v),
                Err(e) => Err(e.ref_under_key(key)),
            },
            None => Err(de::Error::custom("value requested before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
