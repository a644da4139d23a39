//! The YAML round trip of the field overrider's `yaml` patches (`applyRawYAMLPatch`): `sigs.k8s.io/yaml`
//! `YAMLToJSON`, then after the patch `JSONToYAML`, which re-marshals with `go.yaml.in/yaml/v2` (block style,
//! two-space indent, map keys in v2's natural order, sequences not indented under their key, `|` literals for
//! multi-line strings, strings quoted only when they would read back as another type).
//!
//! Approximations (not exercised by Karmada's vectors): YAML 1.1 plain scalars such as `yes`/`on` are read as
//! strings (YAML 1.2), and v2's folding of plain scalars longer than 80 columns is not reproduced.

use serde_json::Value;
use std::cmp::Ordering;

/// `yaml.YAMLToJSON`: the YAML text as a JSON value (an empty document is `null`).
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let (mut v, _) = crate::scenario::yaml_value(text).map_err(|e| format!("yaml: {e}"))?;
    crate::api::override_policy::normalize_json(&mut v);
    Ok(v)
}

/// `yaml.JSONToYAML` of a JSON value.
pub fn json_to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out, false),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out, false),
        _ => write_scalar(v, 0, &mut out),
    }
    out
}

/// v2's `keyList.Less` for string keys: letters before other runes, digit runs compared as numbers.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut i = 0;
    while let (Some(&ca), Some(&cb)) = (ar.get(i), br.get(i)) {
        if ca == cb {
            i += 1;
            continue;
        }
        let (al, bl) = (ca.is_alphabetic(), cb.is_alphabetic());
        if al && bl {
            return ca.cmp(&cb);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let digits = |r: &[char]| -> (i64, usize) {
            let mut n: i64 = 0;
            let mut j = i;
            while let Some(d) = r.get(j).and_then(|c| c.to_digit(10)) {
                n = n.wrapping_mul(10).wrapping_add(i64::from(d));
                j += 1;
            }
            (n, j)
        };
        let (an, ai) = digits(&ar);
        let (bn, bi) = digits(&br);
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ca.cmp(&cb);
    }
    ar.len().cmp(&br.len())
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String, first_inline: bool) {
    let mut keys: Vec<&String> = m.keys().collect();
    crate::util::sort_by(&mut keys, |a, b| natural_cmp(a, b));
    for (i, k) in keys.into_iter().enumerate() {
        if !(i == 0 && first_inline) {
            pad(out, indent);
        }
        out.push_str(&string_scalar(k, true));
        out.push(':');
        match m.get(k) {
            Some(Value::Object(c)) if !c.is_empty() => {
                out.push('\n');
                write_map(c, indent + 2, out, false);
            }
            Some(Value::Array(a)) if !a.is_empty() => {
                out.push('\n');
                write_seq(a, indent, out, false);
            }
            Some(v) => {
                out.push(' ');
                write_scalar(v, indent, out);
            }
            None => out.push('\n'),
        }
    }
}

fn write_seq(a: &[Value], indent: usize, out: &mut String, first_inline: bool) {
    for (i, item) in a.iter().enumerate() {
        if !(i == 0 && first_inline) {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(m, indent + 2, out, true),
            Value::Array(inner) if !inner.is_empty() => write_seq(inner, indent + 2, out, true),
            v => write_scalar(v, indent, out),
        }
    }
}

/// A scalar (or an empty collection) and its line end; literal blocks are indented below `indent`.
fn write_scalar(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&go_format_g(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) if s.contains('\n') => {
            let trailing = s.len() - s.trim_end_matches('\n').len();
            out.push_str(match trailing {
                0 => "|-",
                1 => "|",
                _ => "|+",
            });
            let body = s.strip_suffix('\n').unwrap_or(s);
            for line in body.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    pad(out, indent + 2);
                    out.push_str(line);
                }
            }
        }
        Value::String(s) => out.push_str(&string_scalar(s, false)),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
    out.push('\n');
}

/// Whether a plain scalar would resolve to something other than a string (YAML 1.1 as v2 resolves it).
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
        "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "-.inf",
        "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let plain = s.replace('_', "");
    let unsigned = plain.trim_start_matches(['+', '-']);
    if plain.parse::<i64>().is_ok() || plain.parse::<f64>().is_ok() && !unsigned.starts_with(['i', 'I', 'n', 'N']) {
        return true;
    }
    if let Some(h) = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0b")) {
        if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    // isBase60Float: `[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`.
    let (int_part, _) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut parts = int_part.split(':');
    let head_ok = parts.next().is_some_and(|h| h.starts_with(|c: char| c.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    head_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || (p.len() == 2 && p.starts_with(['0', '1', '2', '3', '4', '5'])))
        })
}

/// libyaml's `yaml_emitter_analyze_scalar` verdict for block plain style.
fn plain_allowed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let (Some(first), Some(last)) = (chars.first(), chars.last()) else { return false };
    if first.is_whitespace() || last.is_whitespace() || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    for (i, c) in chars.iter().enumerate() {
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_space = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_whitespace());
        if c.is_control() {
            return false;
        }
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    return false
                }
                '?' | ':' | '-' if next_space => return false,
                _ => {}
            }
        } else {
            if *c == ':' && next_space {
                return false;
            }
            if *c == '#' && prev_space {
                return false;
            }
        }
    }
    true
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string as v2 writes it on one line: plain, single-quoted when plain would be misread by the emitter,
/// double-quoted when it would resolve to another type.
fn string_scalar(s: &str, _key: bool) -> String {
    if s.contains('\n') || s.chars().any(|c| c.is_control() && c != '\t') {
        return double_quoted(s);
    }
    if resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains('\t') {
        return double_quoted(s);
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// The shortest decimal digits that read back as `f` (finite, positive) and the exponent of the first one:
/// `f = d.ddd × 10^exp`. They come from serde_json's float printer, which the module has anyway (Rust's own
/// `{:e}` formatting would add kilobytes of wasm).
fn shortest_digits(f: f64) -> (String, i32) {
    let text = serde_json::Number::from_f64(f).map(|n| n.to_string()).unwrap_or_default();
    let (mant, e) = text.split_once(['e', 'E']).unwrap_or((text.as_str(), "0"));
    let e: i32 = e.trim_start_matches('+').parse().unwrap_or(0);
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0');
    let int_len = i32::try_from(int.len()).unwrap_or(0);
    let lead = i32::try_from(lead).unwrap_or(0);
    if digits.is_empty() {
        return ("0".into(), 0);
    }
    (digits.to_string(), int_len - 1 - lead + e)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` (what v2 prints for a float).
pub fn go_format_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let (digits, exp) = shortest_digits(f.abs());
    if !(-4..6).contains(&exp) {
        let (d0, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{d0}{frac}e{esign}{:02}", exp.unsigned_abs());
    }
    if exp >= 0 {
        let int_len = usize::try_from(exp).unwrap_or(0) + 1;
        let mut int_part: String = digits.chars().take(int_len).collect();
        while int_part.len() < int_len {
            int_part.push('0');
        }
        let frac: String = digits.chars().skip(int_len).collect();
        if frac.is_empty() {
            format!("{sign}{int_part}")
        } else {
            format!("{sign}{int_part}.{frac}")
        }
    } else {
        let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
        format!("{sign}0.{zeros}{digits}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_like_sigs_yaml() {
        let v = yaml_to_json("server:\n  port: 8080\n  debug: false\n").unwrap();
        assert_eq!(v, json!({"server": {"port": 8080, "debug": false}}));
        let y = json_to_yaml(
            &json!({"server": {"port": 1, "debug": false, "name": "true"}, "list": ["a", {"b": 1, "a": []}]}),
        );
        assert_eq!(y, "list:\n- a\n- a: []\n  b: 1\nserver:\n  debug: false\n  name: \"true\"\n  port: 1\n");
        assert_eq!(json_to_yaml(&json!({"s": "a\nb\n", "t": "x: y", "u": "-x"})), "s: |\n  a\n  b\nt: 'x: y'\nu: -x\n");
    }

    #[test]
    fn go_floats_and_key_order() {
        assert_eq!(go_format_g(1.5), "1.5");
        assert_eq!(go_format_g(1234567.5), "1.2345675e+06");
        assert_eq!(go_format_g(0.0001), "0.0001");
        assert_eq!(go_format_g(0.00001), "1e-05");
        assert_eq!(go_format_g(-250.25), "-250.25");
        assert_eq!(go_format_g(1e21), "1e+21");
        assert_eq!(go_format_g(123456.0), "123456");
        assert_eq!(go_format_g(1234567.0), "1.234567e+06");
        assert_eq!(go_format_g(0.1), "0.1");
        assert_eq!(go_format_g(5e-324), "5e-324");
        assert_eq!(go_format_g(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(go_format_g(100.0), "100");
        let mut keys = vec!["a10", "a2", "B", "a", "_x"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(keys, vec!["_x", "B", "a", "a2", "a10"]);
    }
}
