//! Any bytes: the scenario parser and the YAML position index never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = karmada_policy_core::scenario::parse(text);
        if let Some(node) = karmada_policy_core::yamlpath::index(text) {
            let _ = node.locate(&karmada_policy_core::yamlpath::parse_path("spec.resourceSelectors[0].name"));
            let _ = node.find_key("kind");
        }
    }
});
