//! Kubernetes resource quantities (`500m`, `16Gi`, `110`), enough for Karmada's general estimator.

use serde::{Serialize, Serializer};

/// A resource quantity, held exactly in nano-units (10⁻⁹), saturating at the i128 range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity {
    nanos: i128,
}

const NANO: i128 = 1_000_000_000;

impl Quantity {
    /// A quantity of `v` whole units.
    pub fn from_units(v: i64) -> Self {
        Quantity { nanos: i128::from(v).saturating_mul(NANO) }
    }

    /// Parses the Kubernetes quantity syntax. Returns `None` when it is not a quantity.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'-') => (-1i128, s.get(1..)?),
            Some(b'+') => (1, s.get(1..)?),
            _ => (1, s),
        };
        let num_end =
            rest.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')).map(|(i, _)| i).unwrap_or(rest.len());
        let (num, suffix) = rest.split_at(num_end);
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let (int_part, frac_part) = match num.split_once('.') {
            Some((a, b)) => (a, b),
            None => (num, ""),
        };
        // nanos = digits * 10^(9 - frac_len) * multiplier
        let mut digits: i128 = 0;
        for c in int_part.chars().chain(frac_part.chars()) {
            let d = i128::from(c.to_digit(10)?);
            digits = digits.checked_mul(10)?.checked_add(d)?;
        }
        let frac_len = u32::try_from(frac_part.len()).ok()?;
        // (numerator, denominator) of the suffix multiplier, in units.
        let (mul_num, mul_den): (i128, i128) = match suffix {
            "" => (1, 1),
            "n" => (1, 1_000_000_000),
            "u" => (1, 1_000_000),
            "m" => (1, 1_000),
            "k" => (1_000, 1),
            "M" => (1_000_000, 1),
            "G" => (1_000_000_000, 1),
            "T" => (1_000_000_000_000, 1),
            "P" => (1_000_000_000_000_000, 1),
            "E" => (1_000_000_000_000_000_000, 1),
            "Ki" => (1 << 10, 1),
            "Mi" => (1 << 20, 1),
            "Gi" => (1 << 30, 1),
            "Ti" => (1 << 40, 1),
            "Pi" => (1 << 50, 1),
            "Ei" => (1 << 60, 1),
            other => {
                // decimal exponent: e3 / E3
                let exp = other.strip_prefix('e').or_else(|| other.strip_prefix('E'))?;
                let e: i32 = exp.parse().ok()?;
                if e.unsigned_abs() > 30 {
                    return None;
                }
                if e >= 0 {
                    (10i128.checked_pow(e.unsigned_abs())?, 1)
                } else {
                    (1, 10i128.checked_pow(e.unsigned_abs())?)
                }
            }
        };
        let scale = 10i128.checked_pow(frac_len)?;
        // value = digits / scale * mul_num / mul_den units = digits*mul_num*NANO / (scale*mul_den) nanos
        let num = digits.checked_mul(mul_num)?.checked_mul(NANO)?;
        let den = scale.checked_mul(mul_den)?;
        if den == 0 {
            return None;
        }
        // Kubernetes rounds sub-nano precision up.
        let nanos = num / den + i128::from(num % den != 0);
        Some(Quantity { nanos: sign * nanos })
    }

    /// `Quantity.Value()`: whole units, rounded up.
    pub fn value(&self) -> i128 {
        ceil_div(self.nanos, NANO)
    }

    /// `Quantity.MilliValue()`: milli-units, rounded up.
    pub fn milli_value(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// Exact nano-units.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// Sum, saturating.
    pub fn plus(self, o: Quantity) -> Quantity {
        Quantity { nanos: self.nanos.saturating_add(o.nanos) }
    }

    /// Difference, saturating.
    pub fn minus(self, o: Quantity) -> Quantity {
        Quantity { nanos: self.nanos.saturating_sub(o.nanos) }
    }

    /// Canonical-ish text: whole units when exact, else milli-units.
    pub fn to_k8s_string(&self) -> String {
        if self.nanos % NANO == 0 {
            format!("{}", self.nanos / NANO)
        } else if self.nanos % 1_000_000 == 0 {
            format!("{}m", self.nanos / 1_000_000)
        } else {
            format!("{}n", self.nanos)
        }
    }
}

fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && a > 0 {
        q + 1
    } else {
        q
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_k8s_string())
    }
}

impl super::decode::Decode for Quantity {
    fn decode(v: &serde_json::Value) -> Result<Self, super::decode::DecodeError> {
        // A quantity is a string or a bare YAML number (`cpu: 2`, `memory: 1.5`).
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(super::decode::DecodeError::invalid_type(v, "a quantity")),
        };
        Quantity::parse(&text)
            .ok_or_else(|| super::decode::DecodeError { message: not_a_quantity(&text), path: Vec::new() })
    }

    #[cfg(feature = "schema")]
    fn shape() -> super::decode::Shape {
        super::decode::Shape::Scalar("quantity")
    }
}

/// The API server's error for text that is not a quantity.
fn not_a_quantity(text: &str) -> String {
    format!("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {text:?}")
}

// serde's path, for the test-only reference decoder (`api::decode_reference`); the engine uses `Decode`.
#[cfg(test)]
impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A quantity is a string or a bare YAML number (`cpu: 2`, `memory: 1.5`).
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = String;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a quantity")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
                // serde_json's shortest form (`1.5`, `100.0`, `1e20`): the quantity grammar reads them all.
                Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()).unwrap_or_default())
            }
        }
        let text = d.deserialize_any(Text)?;
        Quantity::parse(&text).ok_or_else(|| serde::de::Error::custom(not_a_quantity(&text)))
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_default()
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(q("500m").milli_value(), 500);
        assert_eq!(q("2").milli_value(), 2000);
        assert_eq!(q("1.5").milli_value(), 1500);
        assert_eq!(q("16Gi").value(), 17_179_869_184);
        assert_eq!(q("1k").value(), 1000);
        assert_eq!(q("1e3").value(), 1000);
        assert_eq!(q("100m").value(), 1);
        assert!(Quantity::parse("abc").is_none());
        assert!(Quantity::parse("1.2.3").is_none());
    }
}
