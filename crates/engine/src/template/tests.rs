//! Executor tests: Go semantics for fields, missing keys, control flow, builtins, typed
//! function arguments, Helm's `include` and `tpl`, host objects, limits and sharing. The
//! expected texts come from Go 1.26 running the same templates with the same functions.
use std::sync::Arc;

use super::*;
use crate::value::{Map, Object};

#[derive(Clone, Copy, Debug)]
enum Mk {
    D,
    Z,
    E,
}
use Mk::{D, E, Z};

/// The functions the Go side registered for these cases, as typed Rust functions.
fn test_funcs() -> FuncMap {
    let mut funcs = FuncMap::new();
    funcs.insert("repeat", |n: i64, s: &str| s.repeat(n.max(0) as usize));
    funcs.insert("fail", |s: &str| -> Result<String, FuncError> {
        Err(s.into())
    });
    funcs.insert("join", |sep: &str, parts: Variadic<&str>| parts.0.join(sep));
    funcs.insert("hasKey", |m: Arc<Map>, k: &str| m.contains_key(k));
    funcs.insert(
        "ternary",
        |a: Value, b: Value, c: bool| if c { a } else { b },
    );
    funcs.insert("half", |f: f64| f / 2.0);
    funcs.insert("list", |v: &[Value]| v.to_vec());
    funcs.insert("typeOf", |v: &Value| v.type_name().to_owned());
    funcs.insert("nilval", || Value::Nil);
    funcs.insert("first", |l: Items| {
        l.0.first().cloned().unwrap_or(Value::Nil)
    });
    funcs.insert("include", |c: &mut Call, name: &str, data: Value| {
        c.include(name, &data)
    });
    funcs.insert("tpl", |c: &mut Call, text: &str, data: Value| {
        c.tpl(text, &data)
    });
    funcs
}

fn render(name: &str, templates: &[(&str, &str)], values: &str, mk: Mk) -> Result<String, String> {
    let data = crate::json::parse(values).map_err(|e| format!("values: {e}"))?;
    let mut set = Template::new(name, test_funcs());
    set.set_missing_key(match mk {
        D => MissingKey::Default,
        Z => MissingKey::Zero,
        E => MissingKey::Error,
    });
    for (name, text) in templates {
        set.parse(name, text).map_err(|e| e.to_string())?;
    }
    set.execute(templates[0].0, &data)
        .map_err(|e| e.to_string())
}

/// (template, values, missing key, Go's output or error)
#[rustfmt::skip]
const CASES: &[(&str, &str, Mk, Result<&str, &str>)] = &[
    ("hello {{ .name }}", r#"{"name": "web"}"#, D, Ok("hello web")),
    ("{{ .a.b }}", r#"{"a": null}"#, D, Err(r#"template: main:1:5: executing "main" at <.a.b>: nil pointer evaluating interface {}.b"#)),
    ("{{ .a.b.c }}", r#"{"a": {}}"#, D, Ok("<no value>")),
    ("{{ .a.b.c }}", r#"{"a": {}}"#, Z, Err(r#"template: main:1:5: executing "main" at <.a.b.c>: nil pointer evaluating interface {}.c"#)),
    ("{{ .a.b.c }}", r#"{"a": {}}"#, E, Err(r#"template: main:1:5: executing "main" at <.a.b.c>: map has no entry for key "b""#)),
    ("{{ .a }}", "{}", Z, Ok("<no value>")),
    ("{{ .x }}", "null", E, Err(r#"template: main:1:3: executing "main" at <.x>: nil data; no entry for key "x""#)),
    ("{{ .a.b }}", r#"{"a": "text"}"#, D, Err(r#"template: main:1:5: executing "main" at <.a.b>: can't evaluate field b in type interface {}"#)),
    ("{{ .x }}", "[1, 2]", D, Err(r#"template: main:1:3: executing "main" at <.x>: can't evaluate field x in type []interface {}"#)),
    ("{{ . }}", r#"{"a": [1, "x", null, {"b": true}], "c": 1000000}"#, D, Ok("map[a:[1 x <nil> map[b:true]] c:1e+06]")),
    ("{{ index .x 5 }}", r#"{"x": [1, 2]}"#, D, Err(r#"template: main:1:3: executing "main" at <index .x 5>: error calling index: index out of range: 5"#)),
    ("{{ index .x 2 }}", r#"{"x": [1, 2]}"#, D, Err(r#"template: main:1:3: executing "main" at <index .x 2>: error calling index: reflect: slice index out of range"#)),
    (r#"{{ index .x "a" "b" }}"#, r#"{"x": {"a": {"b": 3}}}"#, D, Ok("3")),
    (r#"{{ index .x "a" "c" }}"#, r#"{"x": {"a": {"b": 3}}}"#, D, Ok("<no value>")),
    ("{{ index .x 1.0 }}", r#"{"x": [1, 2]}"#, D, Err(r#"template: main:1:3: executing "main" at <index .x 1.0>: error calling index: cannot index slice/array with type float64"#)),
    ("{{ foo }}", "{}", D, Err(r#"template: main:1: function "foo" not defined"#)),
    ("{{ if .a }}yes{{ else if .b }}b{{ else }}no{{ end }}", r#"{"b": 1}"#, D, Ok("b")),
    ("{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}", r#"{"z": 1, "a": 2}"#, D, Ok("a=2;z=1;")),
    ("{{ range 3 }}{{ . }}{{ end }}", "{}", D, Ok("012")),
    ("{{ range .n }}{{ . }}{{ end }}", r#"{"n": 3}"#, D, Err(r#"template: main:1:9: executing "main" at <.n>: range can't iterate over 3"#)),
    ("{{ range .l }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", r#"{"l": [1, 2, 3]}"#, D, Err(r#"template: main:1:20: executing "main" at <eq . 2>: error calling eq: incompatible types for comparison: float64 and int"#)),
    ("{{ range $i, $e := .l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}", r#"{"l": [1, 2, 3]}"#, D, Ok("13")),
    ("{{ eq .n 1 }}", r#"{"n": 1}"#, D, Err(r#"template: main:1:3: executing "main" at <eq .n 1>: error calling eq: incompatible types for comparison: float64 and int"#)),
    ("{{ eq .n 1.0 }}", r#"{"n": 1}"#, D, Ok("true")),
    (r#"{{ lt 1 2 }} {{ gt "b" "a" }} {{ le 2 2 }} {{ ne 1 2 }}"#, "{}", D, Ok("true true true true")),
    (r#"{{ and 1 0 2 }} {{ or 0 "" 3 }} {{ and 1 2 }} {{ or 0 nil }}"#, "{}", D, Ok("0 3 2 <no value>")),
    ("{{ not .x }} {{ len .s }} {{ len .l }} {{ len .m }}", r#"{"s": "héllo", "l": [1], "m": {"a": 1}}"#, D, Ok("true 6 1 1")),
    ("{{ len .missing }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value"#)),
    ("{{ len .missing }}", "{}", Z, Err(r#"template: main:1:3: executing "main" at <len .missing>: error calling len: len of nil pointer"#)),
    ("{{ len 3 }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <len 3>: error calling len: len of type int"#)),
    ("{{ slice .s 1 3 }} {{ slice .l 1 }} {{ slice .s }}", r#"{"s": "hello", "l": [1, 2, 3]}"#, D, Ok("el [2 3] hello")),
    ("{{ slice .s 3 1 }}", r#"{"s": "hello"}"#, D, Err(r#"template: main:1:3: executing "main" at <slice .s 3 1>: error calling slice: invalid slice index: 3 > 1"#)),
    (r#"{{ print 1 2 "a" "b" 3 }}|{{ println 1 "a" }}|{{ printf "%d-%s" 3 "x" }}"#, "{}", D, Ok("1 2ab3|1 a\n|3-x")),
    (r#"{{ html "<a href='x'>&" }} {{ js "a'b<>" }} {{ urlquery "a b&c" }}"#, "{}", D, Ok("&lt;a href=&#39;x&#39;&gt;&amp; a\\'b\\u003C\\u003E a+b%26c")),
    ("{{ html .missing }} {{ html 1 2 }}", "{}", D, Ok("&lt;no value&gt; 1 2")),
    (r#"{{ define "x" }}X{{ . }}{{ end }}{{ template "x" .a }}{{ template "x" }}"#, r#"{"a": 1}"#, D, Ok("X1X<no value>")),
    (r#"{{ block "b" . }}default {{ .a }}{{ end }}"#, r#"{"a": 1}"#, D, Ok("default 1")),
    (r#"{{ template "nope" }}"#, "{}", D, Err(r#"template: main:1:12: executing "main" at <{{template "nope"}}>: template "nope" not defined"#)),
    ("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}{{ with $y := 3 }}{{ $y }}{{ $x }}{{ end }}", "{}", D, Ok("232")),
    ("{{ with .a }}{{ . }}{{ else with .b }}b{{ . }}{{ else }}none{{ end }}", r#"{"b": 2}"#, D, Ok("b2")),
    ("a  {{- 1 -}}  b {{- /* c */ -}} c", "{}", D, Ok("a1bc")),
    ("{{ 1 }} {{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ -0 }} {{ 1_000 }} {{ 0b11 }} {{ 0o7 }} {{ 017 }}", "{}", D, Ok("1 1.5 1000 16 97 0 1000 3 7 15")),
    ("{{ \"a\\tb\" }} {{ `raw\\n` }} {{ true }} {{ nil }}", "{}", D, Err(r#"template: main:1:41: executing "main" at <nil>: nil is not a command"#)),
    ("{{ 18446744073709551615 }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <18446744073709551615>: 18446744073709551615 overflows int"#)),
    ("{{ 99999999999999999999 }}", "{}", D, Err(r#"template: main:1: integer overflow: "99999999999999999999""#)),
    ("{{ (1) 2 }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <(1) 2>: can't give argument to non-function 1"#)),
    (r#"{{ . | printf "%v" }}"#, r#"{"a": 1}"#, D, Ok("map[a:1]")),
    (r#"{{ "x" | printf "%s-%s" "y" }}"#, "{}", D, Ok("y-x")),
    ("{{ .a | len }}", r#"{"a": [1, 2]}"#, D, Ok("2")),
    ("{{ if }}{{ end }}", "{}", D, Err("template: main:1: missing value for if")),
    ("{{ end }}", "{}", D, Err("template: main:1: unexpected {{end}}")),
    ("{{ range $a, $b, $c := . }}{{ end }}", "{}", D, Err("template: main:1: too many declarations in range")),
    ("{{ $x }}", "{}", D, Err(r#"template: main:1: undefined variable "$x""#)),
    ("{{ .a | 1 }}", "{}", D, Err("template: main:1: non executable command in pipeline stage 2")),
    (r#"{{ "x".y }}"#, "{}", D, Err("template: main:1: unexpected . after term \"\\\"x\\\"\"")),
    ("{{ break }}", "{}", D, Err("template: main:1: {{break}} outside {{range}}")),
    ("{{ if 1 }}\n{{ else }}\n{{ else }}{{ end }}", "{}", D, Err("template: main:3: expected end; found {{else}}")),
    (r#"{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}"#, "{}", D, Err(r#"template: main:1: template: multiple definition of template "a""#)),
    ("line1\n{{ .a.b }}", r#"{"a": 1}"#, D, Err(r#"template: main:2:5: executing "main" at <.a.b>: can't evaluate field b in type interface {}"#)),
    ("{{ call .f 1 }}", r#"{"f": 1}"#, D, Err(r#"template: main:1:3: executing "main" at <call .f 1>: error calling call: non-function .f of type float64"#)),
    ("{{ index nil 1 }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <index nil 1>: error calling index: index of untyped nil"#)),
    ("{{ index .m 1 }}", r#"{"m": {}}"#, D, Err(r#"template: main:1:3: executing "main" at <index .m 1>: error calling index: value has type int; should be string"#)),
    (r#"{{ printf "%T %T %T" 1 .a .m }}"#, r#"{"a": 1.5, "m": {}}"#, D, Ok("int float64 map[string]interface {}")),
    (r#"{{ .a.b | printf "%v" }}"#, r#"{"a": {"b": [1, 2]}}"#, D, Ok("[1 2]")),
    ("{{ eq .a .b }}", r#"{"a": [1], "b": [1]}"#, D, Err(r#"template: main:1:3: executing "main" at <eq .a .b>: error calling eq: non-comparable type [%!s(float64=1)]: []interface {}"#)),
    ("{{ eq .a .b }}", r#"{"a": [1], "b": {"x": 1}}"#, D, Err(r#"template: main:1:3: executing "main" at <eq .a .b>: error calling eq: non-comparable types [%!s(float64=1)]: []interface {}, map[string]interface {}: map[x:1]"#)),
    ("{{ range .s }}{{ . }}{{ end }}", r#"{"s": "abc"}"#, D, Err(r#"template: main:1:9: executing "main" at <.s>: range can't iterate over abc"#)),
    ("{{ range $i, $e := 3 }}{{ end }}", "{}", D, Err(r#"template: main:1:19: executing "main" at <3>: can't use 3 to iterate over more than one variable"#)),
    ("{{ with $x := .a }}{{ $x }}{{ end }}{{ $x }}", r#"{"a": 1}"#, D, Err(r#"template: main:1: undefined variable "$x""#)),
    ("{{ .Foo 1 }}", r#"{"Foo": 1}"#, D, Err(r#"template: main:1:3: executing "main" at <.Foo>: Foo is not a method but has arguments"#)),
    ("{{ $.a }} {{ $ }}", r#"{"a": 1}"#, D, Ok("1 map[a:1]")),
    ("{{ (.a).b }} {{ (index .l 0).x }}", r#"{"a": {"b": 2}, "l": [{"x": 3}]}"#, D, Ok("2 3")),
    (r#"{{ repeat 3 "ab" }}"#, "{}", D, Ok("ababab")),
    (r#"{{ repeat 1.5 "ab" }}"#, "{}", D, Err(r#"template: main:1:10: executing "main" at <1.5>: expected integer; found 1.5"#)),
    (r#"{{ repeat .n "ab" }}"#, r#"{"n": 2}"#, D, Err(r#"template: main:1:10: executing "main" at <.n>: wrong type for value; expected int; got float64"#)),
    (r#"{{ repeat "x" "ab" }}"#, "{}", D, Err(r#"template: main:1:10: executing "main" at <"x">: expected integer; found "x""#)),
    (r#"{{ repeat nil "ab" }}"#, "{}", D, Err(r#"template: main:1:10: executing "main" at <nil>: cannot assign nil to int"#)),
    (r#"{{ repeat .missing "ab" }}"#, "{}", D, Err(r#"template: main:1:10: executing "main" at <.missing>: invalid value; expected int"#)),
    (r#"{{ repeat .missing "ab" }}"#, "{}", Z, Err(r#"template: main:1:10: executing "main" at <.missing>: wrong type for value; expected int; got interface {}"#)),
    ("{{ repeat 2 }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <repeat>: wrong number of args for repeat: want 2 got 1"#)),
    (r#"{{ repeat 2 "a" "b" }}"#, "{}", D, Err(r#"template: main:1:3: executing "main" at <repeat>: wrong number of args for repeat: want 2 got 3"#)),
    (r#"{{ "ab" | repeat 2 }}"#, "{}", D, Ok("abab")),
    (r#"{{ 2 | repeat "ab" }}"#, "{}", D, Err(r#"template: main:1:14: executing "main" at <"ab">: expected integer; found "ab""#)),
    ("{{ repeat 2 .s }}", r#"{"s": 1}"#, D, Err(r#"template: main:1:12: executing "main" at <.s>: wrong type for value; expected string; got float64"#)),
    ("{{ repeat 2 true }}", "{}", D, Err(r#"template: main:1:12: executing "main" at <true>: expected string; found true"#)),
    (r#"{{ fail "boom" }}"#, "{}", D, Err(r#"template: main:1:3: executing "main" at <fail "boom">: error calling fail: boom"#)),
    (r#"x
  {{ "boom" | fail }}"#, "{}", D, Err(r#"template: main:2:14: executing "main" at <fail>: error calling fail: boom"#)),
    (r#"{{ join "," "a" "b" }}|{{ join "," }}|{{ "c" | join "-" "a" }}"#, "{}", D, Ok("a,b||a-c")),
    ("{{ join }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <join>: wrong number of args for join: want at least 1 got 0"#)),
    (r#"{{ join "," 1 }}"#, "{}", D, Err(r#"template: main:1:12: executing "main" at <1>: expected string; found 1"#)),
    (r#"{{ join "," .x }}"#, r#"{"x": 1}"#, D, Err(r#"template: main:1:12: executing "main" at <.x>: wrong type for value; expected string; got float64"#)),
    (r#"{{ hasKey . "a" }} {{ hasKey .m "a" }} {{ hasKey .missing "a" }}"#, r#"{"a": 1, "m": {"a": 2}}"#, D, Ok("true true false")),
    (r#"{{ hasKey .l "a" }}"#, r#"{"l": [1]}"#, D, Err(r#"template: main:1:10: executing "main" at <.l>: wrong type for value; expected map[string]interface {}; got []interface {}"#)),
    (r#"{{ hasKey "x" "a" }}"#, "{}", D, Err(r#"template: main:1:10: executing "main" at <"x">: can't handle "x" for arg of type map[string]interface {}"#)),
    (r#"{{ hasKey nil "a" }}"#, "{}", D, Ok("false")),
    (r#"{{ hasKey .n "a" }}"#, r#"{"n": null}"#, D, Err(r#"template: main:1:10: executing "main" at <.n>: wrong type for value; expected map[string]interface {}; got interface {}"#)),
    ("{{ ternary 1 2 true }} {{ ternary 1 2 .b }}", r#"{"b": false}"#, D, Ok("1 2")),
    ("{{ ternary 1 2 .b }}", r#"{"b": "x"}"#, D, Err(r#"template: main:1:15: executing "main" at <.b>: wrong type for value; expected bool; got string"#)),
    ("{{ ternary 1 2 1 }}", "{}", D, Err(r#"template: main:1:15: executing "main" at <1>: expected bool; found 1"#)),
    ("{{ half 3 }} {{ half 3.5 }} {{ half .f }} {{ half 'a' }}", r#"{"f": 1}"#, D, Ok("1.5 1.75 0.5 48.5")),
    (r#"{{ half "x" }}"#, "{}", D, Err(r#"template: main:1:8: executing "main" at <"x">: expected float; found "x""#)),
    (r#"{{ list 1 "a" nil .missing }}"#, "{}", D, Ok("[1 a <nil> <nil>]")),
    ("{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf .f }} {{ typeOf nil }} {{ typeOf .missing }} {{ typeOf .m }} {{ typeOf (list) }}", r#"{"f": 1, "m": {}}"#, D, Ok("int float64 float64 <nil> <nil> map[string]interface {} []interface {}")),
    (r#"{{ nilval }}|{{ nilval | printf "%v" }}|{{ len nilval }}|{{ typeOf nilval }}"#, "{}", D, Err(r#"template: main:1:43: executing "main" at <len nilval>: error calling len: len of nil pointer"#)),
    ("{{ len nilval }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <len nilval>: error calling len: len of nil pointer"#)),
    ("{{ first .l }} {{ first (list 1 2) }} {{ first .missing }}", r#"{"l": ["a"]}"#, D, Ok("a 1 <no value>")),
    ("{{ first .m }}", r#"{"m": {}}"#, D, Err(r#"template: main:1:9: executing "main" at <.m>: wrong type for value; expected []interface {}; got map[string]interface {}"#)),
    ("{{ nilval.x }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <nilval>: nil pointer evaluating interface {}.x"#)),
    ("{{ (nilval).x }}", "{}", D, Ok("<no value>")),
    ("{{ (list 1).x }}", "{}", D, Err(r#"template: main:1:9: executing "main" at <1>: can't evaluate field x in type []interface {}"#)),
    ("{{ list.x }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <list>: can't evaluate field x in type []interface {}"#)),
    ("{{ typeOf.x }}", "{}", D, Err(r#"template: main:1:3: executing "main" at <typeOf>: wrong number of args for typeOf: want 1 got 0"#)),
    ("{{ with nilval }}y{{ else }}n{{ end }}", "{}", D, Ok("n")),
    ("{{ eq nilval nil }}", "{}", D, Ok("true")),
    ("{{ index (list 1 2) 1 }}", "{}", D, Ok("2")),
    (r#"{{ printf "%v" upper }}"#, "{}", D, Err(r#"template: main:1: function "upper" not defined"#)),
    (r#"{{ printf "%v" repeat }}"#, "{}", D, Err(r#"template: main:1:15: executing "main" at <repeat>: wrong number of args for repeat: want 2 got 0"#)),
    (r#"{{ printf "%v" nilval }}"#, "{}", D, Ok("<nil>")),
    (r#"{{ repeat 2 "x" | len }}"#, "{}", D, Ok("2")),
    ("{{ 2 | repeat }}", "{}", D, Err(r#"template: main:1:7: executing "main" at <repeat>: wrong number of args for repeat: want 2 got 1"#)),
    (r#"{{ and (repeat 1 "a") (fail "no") }}"#, "{}", D, Err(r#"template: main:1:23: executing "main" at <fail "no">: error calling fail: no"#)),
    (r#"{{ or (repeat 1 "a") (fail "no") }}"#, "{}", D, Ok("a")),
    (r#"{{ "x" | or (fail "no") }}"#, "{}", D, Err(r#"template: main:1:13: executing "main" at <fail "no">: error calling fail: no"#)),
];

#[test]
fn executes_like_go() {
    for (text, values, mk, want) in CASES {
        let got = render("main", &[("main", text)], values, *mk);
        let want = want.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(
            got, want,
            "template {text:?} values {values} missingkey {mk:?}"
        );
    }
}

/// Helm's data for the include and tpl cases.
const HELM_DATA: &str = r#"{"name": "web", "tplText": "{{ .name }}-x"}"#;

fn helm(templates: &[(&str, &str)]) -> Result<String, String> {
    render("gotpl", templates, HELM_DATA, Z)
}

#[test]
fn include_and_tpl_behave_like_helm() {
    let include = [
        ("main", r#"{{ include "h" . }}|{{ include "h" .name }}"#),
        ("h", "[{{ . }}]"),
    ];
    assert_eq!(
        helm(&include).as_deref(),
        Ok("[map[name:web tplText:{{ .name }}-x]]|[web]")
    );
    let tpl = [(
        "main",
        r#"{{ tpl .tplText . }}|{{ tpl "{{ .missing }}" . }}|{{ tpl "" . }}"#,
    )];
    assert_eq!(helm(&tpl).as_deref(), Ok("web-x||"));
    let defines =
        r#"{{ tpl "{{ define \"d\" }}D{{ end }}{{ include \"d\" . }}{{ include \"h\" . }}" . }}"#;
    assert_eq!(helm(&[("main", defines), ("h", "H")]).as_deref(), Ok("DH"));
    // A define in tpl text shadows the set's template only inside that tpl call.
    let shadow =
        r#"{{ tpl "{{ define \"h\" }}new{{ end }}{{ template \"h\" }}" . }}{{ template "h" }}"#;
    assert_eq!(
        helm(&[("main", shadow), ("h", "old")]).as_deref(),
        Ok("newold")
    );
    assert_eq!(
        helm(&[("main", r#"{{ include "nope" . }}"#)]),
        Err(r#"template: main:1:3: executing "main" at <include "nope" .>: error calling include: template: no template "nope" associated with template "gotpl""#.to_owned())
    );
    assert_eq!(
        helm(&[("main", r#"{{ tpl "{{ .a.b }}" . }}"#)]),
        Err(r#"template: main:1:3: executing "main" at <tpl "{{ .a.b }}" .>: error calling tpl: error during tpl function execution for "{{ .a.b }}": template: gotpl:1:5: executing "gotpl" at <.a.b>: nil pointer evaluating interface {}.b"#.to_owned())
    );
    assert_eq!(
        helm(&[("main", r#"{{ tpl "{{ nope }}" . }}"#)]),
        Err(r#"template: main:1:3: executing "main" at <tpl "{{ nope }}" .>: error calling tpl: cannot parse template "{{ nope }}": template: gotpl:1: function "nope" not defined"#.to_owned())
    );
}

/// The texts of an error and of its sources, each distinct from the one before, as Helm's
/// error reformatting walks them.
fn error_chain(err: &Error) -> Vec<String> {
    let mut texts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(err) = source {
        let text = err.to_string();
        if texts.last() != Some(&text) {
            texts.push(text);
        }
        source = err.source();
    }
    texts
}

#[test]
fn include_recursion_stops_at_helm_limit_with_the_wrapped_chain() {
    let mut set = Template::new("gotpl", test_funcs());
    set.parse("main", r#"{{ include "r" . }}"#).unwrap();
    set.parse("r", r#"{{ include "r" . }}"#).unwrap();
    let err = set.execute("main", &Value::empty_map()).unwrap_err();
    let message = err.to_string();
    assert!(message.ends_with(
        r#"error calling include: rendering template has a nested reference name: r: unable to execute template"#
    ));
    assert_eq!(
        message.matches("error calling include").count(),
        MAX_INCLUDE_DEPTH + 2
    );
    // Go's chain: every nested execution error, then Helm's message and its cause.
    let chain = error_chain(&err);
    assert_eq!(chain.len(), MAX_INCLUDE_DEPTH + 4);
    assert_eq!(
        chain.last().map(String::as_str),
        Some("unable to execute template")
    );
}

#[test]
fn template_recursion_stops_at_go_limit_without_overflowing_the_stack() {
    let text = r#"{{define "a"}}{{template "a"}}{{end}}{{template "a"}}"#;
    assert_eq!(
        render("main", &[("main", text)], "{}", D),
        Err(format!(
            r#"template: main:1:25: executing "a" at <{{{{template "a"}}}}>: exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})"#
        ))
    );
}

#[test]
fn deeply_nested_actions_run_on_a_small_stack() {
    let depth = 20_000;
    let ifs = format!("{}x{}", "{{if 1}}".repeat(depth), "{{end}}".repeat(depth));
    assert_eq!(
        render("main", &[("main", &ifs)], "{}", D).as_deref(),
        Ok("x")
    );
    let parens = format!(
        "{{{{{}1{}}}}}",
        "(".repeat(MAX_PAREN_DEPTH),
        ")".repeat(MAX_PAREN_DEPTH)
    );
    assert_eq!(
        render("main", &[("main", &parens)], "{}", D).as_deref(),
        Ok("1")
    );
}

#[test]
fn output_is_limited() {
    let mut set = Template::new("main", FuncMap::builtins());
    set.set_max_output(10);
    set.parse("main", "{{ range 3 }}abcd{{ end }}").unwrap();
    assert_eq!(
        set.execute("main", &Value::Nil).unwrap_err().to_string(),
        r#"template: main:1:13: executing "main" at <abcd>: output exceeds 10 bytes"#
    );
}

#[test]
fn a_parsed_set_is_shared_across_threads() {
    let mut set = Template::new("main", test_funcs());
    set.parse(
        "main",
        r#"{{ range $i, $e := .items }}{{ repeat $i $e }}{{ end }}"#,
    )
    .unwrap();
    let set = Arc::new(set);
    let data = crate::json::parse(r#"{"items": ["a", "b", "c"]}"#).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (set, data) = (Arc::clone(&set), data.clone());
            std::thread::spawn(move || set.execute("main", &data))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap(), "bcc");
    }
}

#[test]
fn the_set_follows_go_redefinition_rules() {
    let mut set = Template::new("main", FuncMap::builtins());
    set.parse("main", r#"{{ template "a" }}"#).unwrap();
    set.parse("a", "A1").unwrap();
    set.parse("b", r#"{{ define "a" }}A2{{ end }}"#).unwrap();
    // An empty redefinition keeps the existing template.
    set.parse("c", r#"{{ define "a" }}  {{ end }}"#).unwrap();
    assert_eq!(set.execute("main", &Value::Nil).unwrap(), "A2");
    assert!(set.has_template("b") && set.has_template("c"));
    assert_eq!(
        set.execute("nope", &Value::Nil).unwrap_err().to_string(),
        r#"template: no template "nope" associated with template "main""#
    );
    assert_eq!(
        set.execute("nope", &Value::Nil).unwrap_err().kind(),
        ErrorKind::NoTemplate
    );
}

#[test]
fn custom_delimiters() {
    let mut set = Template::new("main", FuncMap::builtins());
    set.set_delims("<<", ">>");
    set.parse("main", "{{ <<- .a >> }}").unwrap();
    let data = crate::json::parse(r#"{"a": 1}"#).unwrap();
    assert_eq!(set.execute("main", &data).unwrap(), "{{1 }}");
}

#[test]
fn a_replaced_builtin_loses_its_special_form() {
    let mut funcs = FuncMap::new();
    funcs.insert("and", |a: Value, b: Value| Value::list(vec![a, b]));
    let mut set = Template::new("main", funcs);
    set.parse("main", "{{ and 0 1 }}").unwrap();
    assert_eq!(set.execute("main", &Value::Nil).unwrap(), "[0 1]");
}

#[test]
fn function_errors_wrap_their_source() {
    let mut funcs = FuncMap::new();
    funcs.insert("wrapped", || -> Result<String, FuncError> {
        Err(FuncError::wrap("outer: inner", "inner"))
    });
    let mut set = Template::new("main", funcs);
    set.parse("main", "{{ wrapped }}").unwrap();
    let err = set.execute("main", &Value::Nil).unwrap_err();
    assert_eq!(
        error_chain(&err),
        [
            r#"template: main:1:3: executing "main" at <wrapped>: error calling wrapped: outer: inner"#,
            "outer: inner",
            "inner",
        ]
    );
    assert_eq!(err.kind(), ErrorKind::Exec);
    assert_eq!(
        format!("{err:#}").lines().skip(1).collect::<Vec<_>>(),
        [" --> main:1:3", "  |", "1 | {{ wrapped }}", "  |    ^"]
    );
}

/// A host object like Helm's `.Capabilities`: a field, a method and a nested object.
#[derive(Debug)]
struct Capabilities;

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "KubeVersion" => Some(Ok(Value::from("v1.36.0"))),
            "Self" => Some(Ok(Value::Object(Arc::new(Capabilities)))),
            "Has" => Some(match args {
                [Value::String(api)] => Ok(Value::Bool(&**api == "v1")),
                _ => Err(format!(
                    "wrong number of args for Has: want 1 got {}",
                    args.len()
                )),
            }),
            _ => None,
        }
    }

    fn is_method(&self, name: &str) -> bool {
        name == "Has"
    }

    fn go_string(&self) -> String {
        "&{v1.36.0}".to_owned()
    }
}

#[test]
fn host_objects_have_fields_and_methods() {
    let data = Value::map(Map::from([(
        "Capabilities".to_owned(),
        Value::Object(Arc::new(Capabilities)),
    )]));
    let run = |text: &str| {
        let mut set = Template::new("main", FuncMap::builtins());
        set.parse("main", text).map_err(|e| e.to_string())?;
        set.execute("main", &data).map_err(|e| e.to_string())
    };
    assert_eq!(
        run(r#"{{ .Capabilities.KubeVersion }} {{ .Capabilities.Has "v1" }} {{ "v2" | .Capabilities.Self.Has }}"#).as_deref(),
        Ok("v1.36.0 true false")
    );
    assert_eq!(
        run("{{ .Capabilities.Nope }}"),
        Err(r#"template: main:1:16: executing "main" at <.Capabilities.Nope>: can't evaluate field Nope in type interface {}"#.to_owned())
    );
    assert_eq!(
        run("{{ .Capabilities.Self.Nope }}"),
        Err(r#"template: main:1:16: executing "main" at <.Capabilities.Self.Nope>: can't evaluate field Nope in type *chartutil.Capabilities"#.to_owned())
    );
    assert_eq!(
        run("{{ .Capabilities.Has }}"),
        Err(r#"template: main:1:16: executing "main" at <.Capabilities.Has>: error calling Has: wrong number of args for Has: want 1 got 0"#.to_owned())
    );
    assert_eq!(
        run("{{ .Capabilities.KubeVersion 1 }}"),
        Err(r#"template: main:1:16: executing "main" at <.Capabilities.KubeVersion>: KubeVersion has arguments but cannot be invoked as function"#.to_owned())
    );
}

/// A host object that Go sees as a map, like Helm's `.Files` (`map[string][]byte`).
#[derive(Debug)]
struct FileMap;

impl Object for FileMap {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        (name == "Count").then(|| Ok(Value::int(2)))
    }

    fn is_method(&self, name: &str) -> bool {
        name == "Count"
    }

    fn go_string(&self) -> String {
        "map[a:[97] b:[98]]".to_owned()
    }

    fn to_data(&self) -> Option<Value> {
        let bytes = |b: &[u8]| Value::Bytes(Arc::from(b));
        Some(Value::map(Map::from([
            ("a".to_owned(), bytes(b"a")),
            ("b".to_owned(), bytes(b"b")),
        ])))
    }
}

#[test]
fn map_like_host_objects_have_len_index_and_range() {
    let data = Value::map(Map::from([(
        "Files".to_owned(),
        Value::Object(Arc::new(FileMap)),
    )]));
    let mut set = Template::new("main", FuncMap::builtins());
    let text = r#"{{ len .Files }} {{ index .Files "a" 0 }} {{ range $k, $v := .Files }}{{ $k }}={{ len $v }};{{ end }}"#;
    set.parse("main", text).unwrap();
    assert_eq!(set.execute("main", &data).unwrap(), "2 97 a=1;b=1;");
}
