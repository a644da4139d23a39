//! Any text: the whole evaluation (detector, scheduler, Works, report) never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = karmada_policy_core::evaluate(text, &Default::default());
    }
});
