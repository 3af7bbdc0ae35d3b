//! Any bytes given to the YAML loader yield values or an error within its limits, and
//! whatever loads can be written back as YAML.
#![no_main]
use std::sync::Once;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader turns the scanner's own panics (libyaml-safer has a few where libyaml
    // reports an error) into errors with catch_unwind; libfuzzer's hook would abort on them
    // before they unwind. A panic that escapes the loader still aborts the run.
    static QUIET_CAUGHT_PANICS: Once = Once::new();
    QUIET_CAUGHT_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(value) = helmsync_engine::yaml::parse(text) {
            let _ = helmsync_engine::yaml::to_yaml(&value);
        }
    }
});
