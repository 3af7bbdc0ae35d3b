//! Every Helm function, called with hostile arguments (extreme integers, NaN and huge
//! floats, empty and non-ASCII strings, nil, empty and nested collections), must return a
//! value or an error: never panic, never hang, never allocate without bound.
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use helmsync_engine::Value;
use helmsync_engine::funcs::{DeterministicEnvironment, Family, HELM_FUNCTIONS, helm_funcs};
use helmsync_engine::template::{FuncMap, MissingKey, Template};

/// Argument texts as template literals or sub-expressions.
const ARGS: &[&str] = &[
    "0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "-0.5",
    "(float64 \"nan\")",
    "\"\"",
    "\"é€\\x00\"",
    "\"0x\"",
    "\"-9223372036854775808\"",
    "\"${1}$a\"",
    "\"(\"",
    "\"[z-a]\"",
    "\"http://[::1\"",
    "nil",
    "true",
    "(list)",
    "(list nil 1 \"a\" (list 2))",
    "(dict)",
    "(dict \"a\" (dict \"b\" nil) \"c\" (list 1))",
    "(now)",
    "(mustToDuration \"1h\")",
    "(semver \"1.2.3\")",
];

/// A smaller set for the second and later arguments, to keep the combinations few.
const SECOND_ARGS: &[&str] = &[
    "0",
    "-1",
    "-9223372036854775808",
    "(float64 \"nan\")",
    "\"\"",
    "\"é€\\x00\"",
    "nil",
    "(list nil 1)",
    "(dict \"a\" 1)",
];

/// Functions too slow to call thousands of times in a debug build (key derivation and
/// generation); the corpus covers them.
fn is_slow(name: &str) -> bool {
    matches!(
        name,
        "bcrypt" | "htpasswd" | "derivePassword" | "genPrivateKey"
    )
}

fn render(funcs: &FuncMap, name: &str, args: &[&str]) -> Result<(), String> {
    let text = format!("{{{{ {name} {} }}}}", args.join(" "));
    let mut set = Template::new("t", funcs.clone());
    set.set_missing_key(MissingKey::Zero);
    if set.parse("t", &text).is_err() {
        return Ok(());
    }
    panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = set.execute("t", &Value::empty_map());
    }))
    .map_err(|_| text)
}

#[test]
fn no_function_panics_on_hostile_arguments() {
    let funcs = helm_funcs(Arc::new(DeterministicEnvironment::new(1_700_000_000)));
    let mut panics = Vec::new();
    for (name, family) in HELM_FUNCTIONS {
        if is_slow(name) || *family == Family::Certs || *family == Family::Engine {
            continue;
        }
        if let Err(text) = render(&funcs, name, &[]) {
            panics.push(text);
        }
        for a in ARGS {
            if let Err(text) = render(&funcs, name, &[a]) {
                panics.push(text);
            }
            for b in SECOND_ARGS {
                if let Err(text) = render(&funcs, name, &[a, b]) {
                    panics.push(text);
                }
            }
            for b in ["0", "\"x\"", "(list 1)"] {
                for c in ["\"x\"", "9223372036854775807"] {
                    if let Err(text) = render(&funcs, name, &[a, b, c]) {
                        panics.push(text);
                    }
                }
            }
        }
    }
    assert!(
        panics.is_empty(),
        "calls that panicked:\n{}",
        panics.join("\n")
    );
}
