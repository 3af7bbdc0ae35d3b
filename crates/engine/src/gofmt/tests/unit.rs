//! Focused tests: Sprint spacing, template printing, quoting, exact rounding and limits.
use super::*;
use crate::gofmt::{
    MAX_PRINT_DEPTH, format_float, is_print, print_value, quote, quote_rune, quote_rune_to_ascii,
    quote_to_ascii, sprint, sprintf, sprintln,
};

#[test]
fn sprint_adds_spaces_only_between_non_strings() {
    // Go's TestBlank and TestBlankln.
    let args = [s("<"), int(1), s(">:"), int(1), int(2), int(3), s("!")];
    assert_eq!(sprint(&args), "<1>:1 2 3!");
    assert_eq!(sprintln(&args), "< 1 >: 1 2 3 !\n");
    assert_eq!(
        sprint(&[f(1.5), b(true), nil(), list(vec![])]),
        "1.5 true <nil> []"
    );
    assert_eq!(sprint(&[]), "");
    assert_eq!(sprintln(&[]), "\n");
}

#[test]
fn sprint_prints_missing_as_nil() {
    assert_eq!(sprint(&[Value::Missing, int(1)]), "<nil> 1");
    assert_eq!(sprintf("%s", &[Value::Missing]), "%!s(<nil>)");
}

#[test]
fn print_value_of_numbers_is_sprint() {
    // The in-place integer formatting must agree with the general printer at its edges.
    let mut floats = vec![
        0.0, 1.0, -1.0, 3.0, 999_999.0, -999_999.0, 1e6, -1e6, 0.5, 1e21,
    ];
    floats.extend([-0.0, 123_456_789.0, f64::MAX, f64::MIN_POSITIVE, 2.5e-5]);
    floats.extend([
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        100_000.0,
        42.000_001,
    ]);
    for x in floats {
        assert_eq!(print_value(&f(x)), sprint(&[f(x)]), "float {x:?}");
    }
    for i in [0, 1, -1, 9, 10, -10, i64::MAX, i64::MIN, 1 << 40] {
        assert_eq!(print_value(&int(i)), sprint(&[int(i)]), "int {i}");
        let typed = Value::Int(i, crate::value::IntKind::Int8);
        assert_eq!(
            print_value(&typed),
            sprint(std::slice::from_ref(&typed)),
            "int8 {i}"
        );
    }
    for u in [0, 1, u64::MAX] {
        assert_eq!(
            print_value(&Value::Uint(u)),
            sprint(&[Value::Uint(u)]),
            "uint {u}"
        );
    }
}

#[test]
fn print_value_prints_no_value_for_missing_and_nil() {
    assert_eq!(print_value(&Value::Missing), "<no value>");
    assert_eq!(print_value(&nil()), "<no value>");
    assert_eq!(print_value(&f(1e6)), "1e+06");
    assert_eq!(print_value(&f(1_000_000.5)), "1.0000005e+06");
    assert_eq!(
        print_value(&map(vec![("b", list(vec![s("x"), s("y")])), ("a", f(1.0))])),
        "map[a:1 b:[x y]]"
    );
    assert_eq!(print_value(&list(vec![nil(), s("")])), "[<nil> ]");
    assert_eq!(print_value(&bytes(b"hi")), "[104 105]");
}

#[test]
fn quote_functions_match_strconv() {
    assert_eq!(
        quote("a\"b\\c\n\u{7f}\u{263a}\u{e00}"),
        r#""a\"b\\c\n\x7f☺\u0e00""#
    );
    assert_eq!(quote_to_ascii("\u{263a}\u{1F600}"), r#""\u263a\U0001f600""#);
    assert_eq!(quote_rune('\'' as i64), r"'\''");
    assert_eq!(quote_rune(0xD800), "'\u{FFFD}'");
    assert_eq!(quote_rune(-1), "'\u{FFFD}'");
    assert_eq!(quote_rune_to_ascii(0x263a), r"'\u263a'");
    assert_eq!(quote_rune_to_ascii(0x110000), r"'\ufffd'");
}

#[test]
fn is_print_follows_go_tables() {
    let printable = [
        'a',
        ' ',
        '~',
        '\u{a1}',
        '\u{263a}',
        '\u{10000}',
        '\u{1F600}',
        '\u{3134A}',
    ];
    for c in printable {
        assert!(is_print(c), "{c:?} should be printable");
    }
    // Soft hyphen, controls, zero-width space, runes missing inside printable ranges
    // (U+0378, U+1000C), BOM, private use, unassigned planes, tags.
    let not_printable = [
        '\u{ad}',
        '\u{7f}',
        '\u{85}',
        '\u{200b}',
        '\u{378}',
        '\u{1000C}',
        '\u{feff}',
        '\u{E000}',
        '\u{10FFFD}',
        '\u{2FFFF}',
        '\u{E0001}',
    ];
    for c in not_printable {
        assert!(!is_print(c), "{c:?} should not be printable");
    }
}

#[test]
fn fixed_precision_rounds_the_exact_binary_value() {
    // Ties round to even; non-ties follow the exact binary value, not its shortest text.
    assert_eq!(sprintf("%.0f", &[f(2.5)]), "2");
    assert_eq!(sprintf("%.0f", &[f(3.5)]), "4");
    assert_eq!(sprintf("%.2f", &[f(1.005)]), "1.00");
    assert_eq!(sprintf("%.2f", &[f(1.125)]), "1.12");
    assert_eq!(sprintf("%.1f", &[f(0.45)]), "0.5");
    assert_eq!(
        format_float(0.1, b'f', 55, 64),
        "0.1000000000000000055511151231257827021181583404541015625"
    );
    assert_eq!(
        format_float(5e-324, b'e', 760, 64).len(),
        "4.".len() + 760 + "e-324".len()
    );
}

#[test]
fn format_float_handles_any_bit_size_and_precision() {
    // Go panics on a bit size other than 32 or 64; helmsync formats as float64.
    assert_eq!(format_float(2.5, b'g', -1, 100), "2.5");
    assert_eq!(format_float(0.1, b'g', -1, 32), "0.1");
    assert_eq!(
        format_float(1.0, b'f', i32::MAX, 64).len(),
        "1.".len() + 1_000_000
    );
    assert_eq!(format_float(1.0, b'e', -7, 64), "1e+00");
}

#[test]
fn deep_values_stop_at_the_depth_limit() {
    let mut v = int(1);
    for _ in 0..MAX_PRINT_DEPTH + 5 {
        v = list(vec![v]);
    }
    let out = sprint(&[v]);
    let inner = "[".repeat(MAX_PRINT_DEPTH) + "%!(LIMIT)" + &"]".repeat(MAX_PRINT_DEPTH);
    assert_eq!(out, format!("[{inner}]"));
}

#[test]
fn huge_outputs_stop_at_the_size_limit() {
    let items = vec![int(1); 200];
    let out = sprintf("%1000000v", &[list(items)]);
    assert!(out.len() < crate::gofmt::MAX_OUTPUT_BYTES + 2_000_000);
    assert!(out.contains("%!(LIMIT)"));
}

#[test]
fn objects_print_through_their_go_string() {
    #[derive(Debug)]
    struct Version;
    impl crate::value::Object for Version {
        fn type_name(&self) -> &str {
            "*semver.Version"
        }
        fn member(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
            None
        }
        fn is_method(&self, _: &str) -> bool {
            false
        }
        fn go_string(&self) -> String {
            "1.2.3".to_owned()
        }
    }
    let v = Value::Object(Arc::new(Version));
    assert_eq!(
        sprintf(
            "%v|%s|%q|%x|%T|%8v|",
            &[
                v.clone(),
                v.clone(),
                v.clone(),
                v.clone(),
                v.clone(),
                v.clone()
            ]
        ),
        "1.2.3|1.2.3|\"1.2.3\"|312e322e33|*semver.Version|   1.2.3|"
    );
    assert_eq!(
        sprintf("%d", std::slice::from_ref(&v)),
        "%!d(*semver.Version=1.2.3)"
    );
    assert_eq!(sprint(&[list(vec![v.clone()])]), "[1.2.3]");
    assert!(sprintf("%p", &[v]).starts_with("0x"));
}

#[test]
fn pointers_of_lists_and_maps_are_addresses() {
    let out = sprintf("%p %#p", &[list(vec![]), map(vec![])]);
    let (first, second) = out.split_once(' ').expect("two addresses");
    assert!(first.starts_with("0x") && first.len() > 2, "{out}");
    assert!(u64::from_str_radix(second, 16).is_ok(), "{out}");
}
