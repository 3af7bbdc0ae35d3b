//! Parsing and executing any template against fixed Helm-like data ends in output or an
//! error, within the executor's limits: never a panic, a hang or a stack overflow.
#![no_main]
use std::sync::OnceLock;

use helmsync_engine::Value;
use helmsync_engine::template::{FuncMap, MissingKey, Template};
use libfuzzer_sys::fuzz_target;

fn data() -> &'static Value {
    static DATA: OnceLock<Value> = OnceLock::new();
    DATA.get_or_init(|| {
        helmsync_engine::json::parse(
            r#"{"a": 1, "b": "two", "c": [1, 2.5, "x", null, true], "d": {"e": {"f": [{}]}},
                "n": null, "t": true, "big": 1e21, "s": "<tag & \"quote\">"}"#,
        )
        .unwrap_or_default()
    })
}

fuzz_target!(|data_in: &[u8]| {
    let Ok(text) = std::str::from_utf8(data_in) else { return };
    let mut t = Template::new("fuzz", FuncMap::builtins());
    t.set_missing_key(MissingKey::Zero);
    t.set_max_output(1 << 20);
    if t.parse("fuzz", text).is_ok() {
        let _ = t.execute("fuzz", data());
    }
});
