//! Lexer tests, after Go's `lex_test.go`: each input and the items it scans to.
use super::*;

/// Scans `input` to the end or the first error, as `Type:value` strings.
fn scan(input: &str) -> Vec<String> {
    scan_with(input, "", "")
}

fn scan_with(input: &str, left: &str, right: &str) -> Vec<String> {
    let options = LexOptions {
        break_ok: true,
        continue_ok: true,
    };
    let mut lexer = Lexer::new(input, left, right, options);
    let mut items = Vec::new();
    loop {
        let item = lexer.next_item();
        let val = if item.typ == ItemType::Error {
            lexer.error()
        } else {
            item.val
        };
        items.push(format!("{:?}:{val}", item.typ));
        if matches!(item.typ, ItemType::Eof | ItemType::Error) {
            return items;
        }
    }
}

#[test]
fn scans_text_actions_and_comments() {
    let cases: &[(&str, &[&str])] = &[
        ("", &["Eof:"]),
        (" \t\n", &["Text: \t\n", "Eof:"]),
        ("now is the time", &["Text:now is the time", "Eof:"]),
        (
            "hello-{{/* this is a comment */}}-world",
            &["Text:hello-", "Text:-world", "Eof:"],
        ),
        (
            "{{,@% }}",
            &[
                "LeftDelim:{{",
                "Char:,",
                "Char:@",
                "Char:%",
                "Space: ",
                "RightDelim:}}",
                "Eof:",
            ],
        ),
        (
            "{{((3))}}",
            &[
                "LeftDelim:{{",
                "LeftParen:(",
                "LeftParen:(",
                "Number:3",
                "RightParen:)",
                "RightParen:)",
                "RightDelim:}}",
                "Eof:",
            ],
        ),
        ("{{}}", &["LeftDelim:{{", "RightDelim:}}", "Eof:"]),
        (
            "{{for}}",
            &["LeftDelim:{{", "Identifier:for", "RightDelim:}}", "Eof:"],
        ),
        (
            r#"{{block "foo" .}}"#,
            &[
                "LeftDelim:{{",
                "Block:block",
                "Space: ",
                "String:\"foo\"",
                "Space: ",
                "Dot:.",
                "RightDelim:}}",
                "Eof:",
            ],
        ),
        (
            r#"{{"abc \n\t\" "}}"#,
            &[
                "LeftDelim:{{",
                r#"String:"abc \n\t\" ""#,
                "RightDelim:}}",
                "Eof:",
            ],
        ),
        (
            "{{`now is{{\n}}the time`}}",
            &[
                "LeftDelim:{{",
                "RawString:`now is{{\n}}the time`",
                "RightDelim:}}",
                "Eof:",
            ],
        ),
    ];
    for (input, want) in cases {
        assert_eq!(scan(input), *want, "input {input:?}");
    }
}

#[test]
fn scans_numbers_characters_and_words() {
    let numbers = scan("{{1 02 0x14 -7.2i 1e3 +1.2e-4 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}");
    let want = [
        "LeftDelim:{{",
        "Number:1",
        "Number:02",
        "Number:0x14",
        "Number:-7.2i",
        "Number:1e3",
        "Number:+1.2e-4",
        "Complex:1+2i",
        "Number:1_2",
        "Number:0x1.e_fp4",
        "Number:0X1.E_FP4",
        "RightDelim:}}",
        "Eof:",
    ];
    let no_spaces: Vec<&String> = numbers.iter().filter(|i| *i != "Space: ").collect();
    assert_eq!(no_spaces, want);

    let chars = scan(r"{{'a' '\n' '\'' '\u00FF' '本'}}");
    let no_spaces: Vec<&String> = chars.iter().filter(|i| *i != "Space: ").collect();
    assert_eq!(
        no_spaces,
        [
            "LeftDelim:{{",
            "CharConstant:'a'",
            r"CharConstant:'\n'",
            r"CharConstant:'\''",
            r"CharConstant:'\u00FF'",
            "CharConstant:'本'",
            "RightDelim:}}",
            "Eof:",
        ]
    );

    let words = scan("{{.x . .2 .x.y $ $v.F true nil range if else end with}}");
    let no_spaces: Vec<&String> = words.iter().filter(|i| *i != "Space: ").collect();
    assert_eq!(
        no_spaces,
        [
            "LeftDelim:{{",
            "Field:.x",
            "Dot:.",
            "Number:.2",
            "Field:.x",
            "Field:.y",
            "Variable:$",
            "Variable:$v",
            "Field:.F",
            "Bool:true",
            "Nil:nil",
            "Range:range",
            "If:if",
            "Else:else",
            "End:end",
            "With:with",
            "RightDelim:}}",
            "Eof:",
        ]
    );
}

#[test]
fn scans_declarations_and_pipes() {
    assert_eq!(
        scan("{{$v , $w := 3 | f}}"),
        [
            "LeftDelim:{{",
            "Variable:$v",
            "Space: ",
            "Char:,",
            "Space: ",
            "Variable:$w",
            "Space: ",
            "Declare::=",
            "Space: ",
            "Number:3",
            "Space: ",
            "Pipe:|",
            "Space: ",
            "Identifier:f",
            "RightDelim:}}",
            "Eof:",
        ]
    );
    assert_eq!(
        scan("{{$x = 1}}"),
        [
            "LeftDelim:{{",
            "Variable:$x",
            "Space: ",
            "Assign:=",
            "Space: ",
            "Number:1",
            "RightDelim:}}",
            "Eof:",
        ]
    );
}

#[test]
fn trim_markers_remove_adjacent_space() {
    assert_eq!(
        scan("hello- {{- 3 -}} -world"),
        [
            "Text:hello-",
            "LeftDelim:{{",
            "Number:3",
            "RightDelim:}}",
            "Text:-world",
            "Eof:",
        ]
    );
    assert_eq!(
        scan("hello- {{- /* hello */ -}} -world"),
        ["Text:hello-", "Text:-world", "Eof:"]
    );
    // Without a space after the marker, "-3" is a number.
    assert_eq!(
        scan("a {{-3}}"),
        [
            "Text:a ",
            "LeftDelim:{{",
            "Number:-3",
            "RightDelim:}}",
            "Eof:"
        ]
    );
    // Two spaces before the marker: one space item, then the trimmed delimiter.
    assert_eq!(
        scan("{{3  -}}\n x"),
        [
            "LeftDelim:{{",
            "Number:3",
            "Space: ",
            "RightDelim:}}",
            "Text:x",
            "Eof:"
        ]
    );
}

#[test]
fn reports_errors_like_go() {
    let cases: &[(&str, &str)] = &[
        ("#{{\x01}}", "unrecognized character in action: U+0001"),
        (
            "{{\u{2192}}}",
            "unrecognized character in action: U+2192 '\u{2192}'",
        ),
        ("{{", "unclosed action"),
        ("{{range", "unclosed action"),
        ("{{\"\n\"}}", "unterminated quoted string"),
        ("{{`xx}}", "unterminated raw quoted string"),
        ("{{'\n}}", "unterminated character constant"),
        ("{{3k}}", "bad number syntax: \"3k\""),
        ("{{(3}}", "unclosed left paren"),
        ("{{3)}}", "unexpected right paren"),
        ("{{a:b}}", "expected :="),
        ("{{.a#}}", "bad character U+0023 '#'"),
        ("hello-{{/*/}}-world", "unclosed comment"),
        (
            "hello-{{/* */ }}-world",
            "comment ends before closing delimiter",
        ),
    ];
    for (input, want) in cases {
        let items = scan(input);
        assert_eq!(
            items.last().map(String::as_str),
            Some(format!("Error:{want}").as_str()),
            "input {input:?}"
        );
    }
}

#[test]
fn unmatched_right_delimiter_is_text() {
    assert_eq!(scan("hello-{.}}-world"), ["Text:hello-{.}}-world", "Eof:"]);
}

#[test]
fn custom_delimiters() {
    assert_eq!(
        scan_with("a<<.x>>b", "<<", ">>"),
        [
            "Text:a",
            "LeftDelim:<<",
            "Field:.x",
            "RightDelim:>>",
            "Text:b",
            "Eof:"
        ]
    );
}

#[test]
fn break_and_continue_are_identifiers_unless_enabled() {
    let mut lexer = Lexer::new("{{break}}", "", "", LexOptions::default());
    lexer.next_item();
    assert_eq!(lexer.next_item().typ, ItemType::Identifier);
}

#[test]
fn items_carry_lines() {
    let mut lexer = Lexer::new("a\nb{{\n.x}}\nc", "", "", LexOptions::default());
    let lines: Vec<(ItemType, usize, usize)> = std::iter::from_fn(|| {
        let item = lexer.next_item();
        (item.typ != ItemType::Eof).then_some((item.typ, item.pos, item.line))
    })
    .collect();
    assert_eq!(
        lines,
        [
            (ItemType::Text, 0, 1),
            (ItemType::LeftDelim, 3, 2),
            (ItemType::Space, 5, 2),
            (ItemType::Field, 6, 3),
            (ItemType::RightDelim, 8, 3),
            (ItemType::Text, 10, 3),
        ]
    );
}

#[test]
fn item_display_matches_go() {
    let item = |typ, val: &'static str| Item {
        typ,
        pos: 0,
        val,
        line: 1,
    };
    assert_eq!(item(ItemType::Eof, "").to_string(), "EOF");
    assert_eq!(item(ItemType::End, "end").to_string(), "<end>");
    assert_eq!(item(ItemType::Dot, ".").to_string(), "<.>");
    assert_eq!(item(ItemType::Char, ",").to_string(), "\",\"");
    assert_eq!(
        item(ItemType::Text, "0123456789abc").to_string(),
        "\"0123456789\"..."
    );
}
