//! Any text with the gate on and literal clusters: admission, lints and positions never panic, and every
//! diagnostic span lies inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let options = karmada_policy_core::Options {
            feature_gates: Some("PropagationPolicyPreemption=true".into()),
            literal_clusters: true,
            keep_manifests: true,
        };
        let diagnostics = match karmada_policy_core::evaluate(text, &options) {
            Ok(r) => r.diagnostics,
            Err(e) => e.diagnostics,
        };
        for d in diagnostics {
            if let Some(s) = d.span {
                assert!(s.start.offset <= text.len() && s.end.offset <= text.len(), "span out of the text: {d:?}");
                assert!(s.start.column_utf16 <= s.start.column, "UTF-16 column after UTF-8 column: {d:?}");
            }
        }
    }
});
