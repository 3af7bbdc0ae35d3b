//! Parser tests, after Go's `parse_test.go`: trees print back as Go prints them, errors carry
//! Go's texts and lines (expectations taken from Go 1.26), and nesting limits hold.
use super::*;

fn funcs() -> FuncMap {
    let mut funcs = FuncMap::builtins();
    funcs.insert("contains", |s: &str, sub: &str| s.contains(sub));
    funcs
}

/// Parses `text` as the template "test" and prints its tree.
fn tree(text: &str) -> Result<String, String> {
    let set = parse("test", text, ("", ""), &funcs(), &mut Names::default())
        .map_err(|e| e.to_string())?;
    let tree = set.get("test").expect("the top-level tree");
    Ok(NodeRef::List(&tree.root).describe(tree.source()))
}

#[test]
fn trees_print_back_like_go() {
    let cases = [
        ("", ""),
        ("some text", "some text"),
        ("{{/*\n\n\n*/}}", ""),
        ("{{.X}}", "{{.X}}"),
        ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
        ("{{$x := .X}}{{$x}}", "{{$x := .X}}{{$x}}"),
        ("{{$x := .X | printf}}", "{{$x := .X | printf}}"),
        ("{{$x = .X}}", "{{$x = .X}}"),
        ("{{(.X).Y}}", "{{(.X).Y}}"),
        ("{{(.X 1).Y.Z}}", "{{(.X 1).Y.Z}}"),
        ("{{$.I}}", "{{$.I}}"),
        ("{{$x := 1}}{{$x.Y.Z}}", "{{$x := 1}}{{$x.Y.Z}}"),
        ("{{.X.Y.Z}}", "{{.X.Y.Z}}"),
        ("{{printf .X}}", "{{printf .X}}"),
        (
            "{{.X|printf|contains `a`}}",
            "{{.X | printf | contains `a`}}",
        ),
        ("{{printf (printf .X) 1}}", "{{printf (printf .X) 1}}"),
        ("{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"),
        (
            "{{if .X}}true{{else}}false{{end}}",
            "{{if .X}}true{{else}}false{{end}}",
        ),
        (
            "{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}",
            "{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}",
        ),
        (
            "{{with .X}}hello{{else with .Y}}goodbye{{end}}",
            "{{with .X}}hello{{else}}{{with .Y}}goodbye{{end}}{{end}}",
        ),
        (
            "{{range .X|.M}}true{{else}}false{{end}}",
            "{{range .X | .M}}true{{else}}false{{end}}",
        ),
        (
            "{{range $x, $y := .SI}}{{.}}{{end}}",
            "{{range $x, $y := .SI}}{{.}}{{end}}",
        ),
        (
            "{{range .SI}}{{.}}{{break}}{{end}}",
            "{{range .SI}}{{.}}{{break}}{{end}}",
        ),
        (
            "{{range .SI}}{{ continue }}{{end}}",
            "{{range .SI}}{{continue}}{{end}}",
        ),
        (
            "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
            "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
        ),
        ("{{template `x`}}", "{{template \"x\"}}"),
        ("{{template `x` .Y}}", "{{template \"x\" .Y}}"),
        ("{{block \"foo\" .}}hello{{end}}", "{{template \"foo\" .}}"),
        ("x \r\n\t{{- 3 -}}\n\n\ty", "x{{3}}y"),
        ("x\n{{-  3   -}}\ny", "x{{3}}y"),
        ("x \r\n\t{{- /* */ -}}\n\n\ty", "xy"),
        ("{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
        ("{{\n\"x\"\n|\nprintf\n}}", "{{\"x\" | printf}}"),
        ("{{-\n/*\nhello\n*/\n-}}", ""),
        ("{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
        (
            "{{range $x = 0}}{{$x}}{{end}}",
            "{{range $x = 0}}{{$x}}{{end}}",
        ),
        ("{{ ((( 1 ))) | printf }}", "{{(((1))) | printf}}"),
    ];
    for (input, want) in cases {
        assert_eq!(tree(input).as_deref(), Ok(want), "input {input:?}");
    }
}

#[test]
fn errors_match_go() {
    let cases = [
        ("hello{{range", "template: test:1: unclosed action"),
        ("{{end}}", "template: test:1: unexpected {{end}}"),
        ("{{else}}", "template: test:1: unexpected {{else}}"),
        (
            "{{if .X}}1{{else}}2{{else}}3{{end}}",
            "template: test:1: expected end; found {{else}}",
        ),
        (
            "hello{{range .x}}{{else}}",
            "template: test:1: unexpected EOF",
        ),
        (
            "hello{{undefined}}",
            "template: test:1: function \"undefined\" not defined",
        ),
        (
            "{{with $x := 4}}{{end}}{{$x}}",
            "template: test:1: undefined variable \"$x\"",
        ),
        (
            "{{template $v}}",
            "template: test:1: unexpected \"$v\" in template clause",
        ),
        (
            "{{printf 3, 4}}",
            "template: test:1: unexpected \",\" in operand",
        ),
        (
            "{{with $v, $u := 3}}{{end}}",
            "template: test:1: too many declarations in with",
        ),
        (
            "{{range $u, $v, $w := 3}}{{end}}",
            "template: test:1: too many declarations in range",
        ),
        (
            "{{printf (printf .).}}",
            "template: test:1: unexpected <.> in operand",
        ),
        (
            "{{printf 3`x`}}",
            "template: test:1: unexpected \"`x`\" in operand",
        ),
        (
            "{{if .X}}a{{else if .Y}}b{{end}}{{end}}",
            "template: test:1: unexpected {{end}}",
        ),
        (
            "{{range .}}{{else}}{{break}}{{end}}",
            "template: test:1: {{break}} outside {{range}}",
        ),
        (
            "{{range $x := $y := 3}}{{end}}",
            "template: test:1: undefined variable \"$y\"",
        ),
        (
            "{{$x:=.}}{{$x+2}}",
            "template: test:1: bad character U+002B '+'",
        ),
        (
            "{{1.E}}",
            "template: test:1: illegal number syntax: \"1.E\"",
        ),
        (
            "{{'a'.any}}",
            "template: test:1: unexpected . after term \"'a'\"",
        ),
        (
            "{{\"hello\".guys}}",
            "template: test:1: unexpected . after term \"\\\"hello\\\"\"",
        ),
        ("{{..E}}", "template: test:1: unexpected . after term \".\""),
        (
            "{{.|12|printf}}",
            "template: test:1: non executable command in pipeline stage 2",
        ),
        (
            "{{printf \"%d\" ( ) }}",
            "template: test:1: missing value for parenthesized pipeline",
        ),
        (
            "{{block \"foo\"}}hello{{end}}",
            "template: test:1: missing value for block clause",
        ),
        ("{{\n}}", "template: test:2: missing value for command"),
        (
            "a\n{{ if .x\n}}\n{{ .y\n",
            "template: test:5: unclosed action started at test:4",
        ),
        (
            "{{define \"a\"}}a{{end}}{{define \"a\"}}b{{end}}",
            "template: test:1: template: multiple definition of template \"a\"",
        ),
        ("{{ \"\\z\" }}", "template: test:1: invalid syntax"),
        (
            "{{ 'ab' }}",
            "template: test:1: malformed character constant: 'ab'",
        ),
        (
            "{{define `a` }}x{{else}}{{end}}",
            "template: test:1: unexpected {{else}} in define clause",
        ),
        (
            "{{block \"b\" .}}x{{else}}y{{end}}",
            "template: test:1: unexpected {{else}} in block clause",
        ),
        (
            "{{ .x\n | \n 1 }}",
            "template: test:3: non executable command in pipeline stage 2",
        ),
        (
            "x\n\n{{ (\n1 }}",
            "template: test:4: unclosed left paren in action started at test:3",
        ),
        (
            "{{ 99999999999999999999 }}",
            "template: test:1: integer overflow: \"99999999999999999999\"",
        ),
        (
            "{{ 0x1.8 }}",
            "template: test:1: illegal number syntax: \"0x1.8\"",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(tree(input), Err(want.to_owned()), "input {input:?}");
    }
}

#[test]
fn defines_and_blocks_join_the_set() {
    let text = "a{{define \"x\"}}X{{end}}{{block \"y\" .}}Y{{end}}";
    let set = parse("top", text, ("", ""), &funcs(), &mut Names::default()).unwrap();
    let mut names: Vec<&str> = set.keys().map(AsRef::as_ref).collect();
    names.sort_unstable();
    assert_eq!(names, ["top", "x", "y"]);
    assert_eq!(&*set["x"].parse_name, "top");
    // A define may name the template being parsed; an empty top level keeps it.
    let set = parse(
        "top",
        "{{define \"top\"}}D{{end}}",
        ("", ""),
        &funcs(),
        &mut Names::default(),
    )
    .unwrap();
    let top = &set["top"];
    assert_eq!(NodeRef::List(&top.root).describe(top.source()), "D");
}

#[test]
fn functions_named_break_turn_the_keyword_into_a_call() {
    let mut funcs = funcs();
    funcs.insert("break", || "b".to_owned());
    let set = parse("t", "{{break}}", ("", ""), &funcs, &mut Names::default()).unwrap();
    let t = &set["t"];
    assert_eq!(NodeRef::List(&t.root).describe(t.source()), "{{break}}");
}

#[test]
fn spans_are_go_positions() {
    let text = "ab\n{{ .x.y }}";
    let set = parse("t", text, ("", ""), &funcs(), &mut Names::default()).unwrap();
    let tree = &set["t"];
    let Node::Action(action) = &tree.arena.get(tree.root.nodes)[1] else {
        panic!("expected an action");
    };
    // Go positions a field chain at its second field.
    let command = &tree.arena.get(action.pipe.cmds)[0];
    let field = &tree.arena.get(command.args)[0];
    assert_eq!(field.span(), Span { offset: 8 });
    assert_eq!(field.span().line_col(text), (2, 5));
    assert_eq!(action.span, Span { offset: 6 });
    assert_eq!(action.span.line_col(text), (2, 3));
}

#[test]
fn paren_nesting_is_limited_like_go() {
    let nested = |depth: usize| format!("{{{{{}1{}}}}}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(
        tree(&nested(MAX_PAREN_DEPTH)).map(|s| s.len()),
        Ok(4 + 2 * MAX_PAREN_DEPTH + 1)
    );
    assert_eq!(
        tree(&nested(MAX_PAREN_DEPTH + 1)),
        Err("template: test:1: max expression depth exceeded".to_owned())
    );
}

#[test]
fn deep_control_nesting_parses_and_drops_on_a_small_stack() {
    let depth = 20_000;
    let text = format!("{}x{}", "{{if 1}}".repeat(depth), "{{end}}".repeat(depth));
    let printed = tree(&text).unwrap();
    assert_eq!(printed.len(), text.len());
}
