//! Any text given to the template parser yields a template or an error: never a panic, a
//! hang or a stack overflow.
#![no_main]
use helmsync_engine::template::{FuncMap, Template};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut t = Template::new("fuzz", FuncMap::builtins());
        let _ = t.parse("fuzz", text);
    }
});
