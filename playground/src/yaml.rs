//! A small YAML writer for the export (block style, strings quoted as JSON when plain YAML could misread
//! them). serde_yaml's emitter would add 25 KB gzip to the page's module for one download button.

use serde_json::Value;

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let reserved = ["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"];
    !reserved.contains(&s.to_ascii_lowercase().as_str())
        && (first.is_ascii_alphabetic() || first == '/' || first == '_' || first == '.')
        && !s.starts_with(". ")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || " ._/-()<>=,+".contains(c))
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.parse::<f64>().is_err()
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) if plain_ok(s) => s.clone(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        other => other.to_string(),
    }
}

fn write(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                out.push_str(&format!("{pad}{}:", scalar(&Value::String(k.clone()))));
                match x {
                    Value::Object(o) if !o.is_empty() => {
                        out.push('\n');
                        write(x, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write(x, indent, out);
                    }
                    _ => out.push_str(&format!(" {}\n", inline(x))),
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for x in a {
                let mut item = String::new();
                write(x, indent + 2, &mut item);
                match x {
                    Value::Object(o) if !o.is_empty() => {
                        // The first key goes on the dash line.
                        let body = item.get(indent + 2..).unwrap_or_default();
                        out.push_str(&format!("{pad}- {body}"));
                    }
                    Value::Array(b) if !b.is_empty() => out.push_str(&format!("{pad}-\n{item}")),
                    _ => out.push_str(&format!("{pad}- {}\n", inline(x))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", inline(v))),
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => scalar(other),
    }
}

/// YAML for a JSON value.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    write(v, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_as_the_same_value() {
        let v = serde_json::json!({
            "a": "plain text", "b": "yes", "c": "1.5", "d": "x: y", "e": "", "f": null, "g": 3, "h": true,
            "i": [], "j": {}, "k": [1, "two", {"x": [ {"y": 1, "z": [2, 3]} ], "w": "#hash"}],
            "l": [[1, 2], []], "m": "line\nbreak", "n": "日本語", "o": " lead", "p": "-dash", "q": "<none>",
        });
        let y = to_yaml(&v);
        let back: Value = serde_yaml::from_str(&y).unwrap_or(Value::Null);
        assert_eq!(back, v, "{y}");
    }
}
