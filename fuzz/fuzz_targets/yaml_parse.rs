//! Any bytes given to the YAML loader yield values or an error within its limits, and
//! whatever loads can be written back as YAML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(value) = helmsync_engine::yaml::parse(text) {
            let _ = helmsync_engine::yaml::to_yaml(&value);
        }
    }
});
