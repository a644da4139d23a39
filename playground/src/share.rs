//! Share links: the whole scenario in the URL fragment (`#v1:<base64url of the UTF-8 text>`), no server.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The fragment for a scenario (versioned so the format can change).
pub fn encode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 8);
    out.push_str("v1:");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            if let Some(c) = ALPHABET.get(idx) {
                out.push(char::from(*c));
            }
        }
    }
    out
}

/// The scenario of a fragment, if it is a `v1:` share link.
pub fn decode(fragment: &str) -> Option<String> {
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
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_text() {
        for t in ["", "a", "ab", "abc", "apiVersion: v1\nkind: ConfigMap\n", "日本語 ✓ — ünïcode"] {
            assert_eq!(decode(&encode(t)).as_deref(), Some(t));
        }
        assert_eq!(decode("#v2:abc"), None);
        assert_eq!(decode("v1:*"), None);
    }
}
