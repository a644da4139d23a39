//! Share links: the whole state in the URL fragment, no server.
//!
//! `#v2:<base64url(deflate-raw(JSON of protocol::Shared))>` carries the text, the gate override, the selected
//! resource and the view. The deflate runs in JavaScript with the browser's CompressionStream (in the worker;
//! web/main.js), which costs the module nothing: a Rust deflate (miniz_oxide) measured +15 KB gzip of wasm and
//! the page has a 500 KB budget. This side reads what the boot script inflated, and the older `#v1:` links
//! (base64url of the text alone), which still open.

use crate::protocol::Shared;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The state of a `#v1:` link (the text only).
pub fn decode_v1(fragment: &str) -> Option<Shared> {
    let data = fragment.trim_start_matches('#').strip_prefix("v1:")?;
    let mut bytes = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in data.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(((acc >> bits) & 0xff) as u8);
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(Shared { text, ..Shared::default() })
}

/// The state of an inflated `#v2:` payload.
pub fn parse_v2(json: &str) -> Option<Shared> {
    serde_json::from_str(json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Gate, Tab};

    #[test]
    fn v1_links_still_open() {
        // `#v1:` + base64url("apiVersion: v1\n"), as the previous playground wrote it.
        let s = decode_v1("#v1:YXBpVmVyc2lvbjogdjEK").map(|s| s.text);
        assert_eq!(s.as_deref(), Some("apiVersion: v1\n"));
        assert_eq!(decode_v1("#v2:abc"), None);
        assert_eq!(decode_v1("v1:*"), None);
    }

    #[test]
    fn v2_payload_is_compact_json() {
        let s = Shared {
            text: "a: 1\n".into(),
            gate: Gate::Off,
            selected: Some("Deployment/default/web".into()),
            tab: Tab::Timeline,
        };
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(json, r#"{"t":"a: 1\n","g":"off","s":"Deployment/default/web","v":"timeline"}"#);
        assert_eq!(parse_v2(&json), Some(s));
        let plain = Shared { text: "x".into(), ..Shared::default() };
        assert_eq!(serde_json::to_string(&plain).unwrap_or_default(), r#"{"t":"x"}"#);
        assert_eq!(parse_v2(r#"{"t":"x"}"#), Some(plain));
        assert_eq!(parse_v2("{"), None);
    }
}
