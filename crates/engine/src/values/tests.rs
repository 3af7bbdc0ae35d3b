//! Unit tests of the values entry points at their limits; the behaviour itself is checked
//! against Helm by the corpus in testdata/values.
use super::*;

fn set(text: &str) -> (Map, Result<(), Error>) {
    let mut dest = Map::new();
    let result = parse_set(&mut dest, text);
    (dest, result)
}

#[test]
fn the_largest_index_is_allowed_and_one_more_is_not() {
    let (dest, result) = set(&format!("a[{MAX_INDEX}]=x"));
    assert!(result.is_ok());
    let list = dest["a"].as_list().unwrap();
    assert_eq!(list.len(), MAX_INDEX as usize + 1);
    assert!(list[0].is_nil());
    assert_eq!(list[MAX_INDEX as usize].as_str(), Some("x"));

    let (_, result) = set(&format!("a[{}]=x", MAX_INDEX + 1));
    assert_eq!(
        result.unwrap_err().to_string(),
        "index of 65537 is greater than maximum supported index of 65536"
    );
}

#[test]
fn nested_indexes_are_bounded() {
    let ok = format!("a{}=x", "[0]".repeat(MAX_INDEX_NESTING + 1));
    assert!(set(&ok).1.is_ok());
    let deep = format!("a{}=x", "[0]".repeat(MAX_INDEX_NESTING + 2));
    assert_eq!(
        set(&deep).1.unwrap_err().to_string(),
        "list index nesting level is greater than maximum supported nesting level of 1000"
    );
}

#[test]
fn nested_names_are_bounded() {
    let names: Vec<String> = (0..=MAX_NESTED_NAME_LEVEL + 1)
        .map(|i| format!("k{i}"))
        .collect();
    let (_, result) = set(&format!("{}=x", names.join(".")));
    assert_eq!(
        result.unwrap_err().to_string(),
        "value name nested level is greater than maximum supported nested level of 30"
    );
}

#[test]
fn set_json_reports_errors_at_real_bytes() {
    let mut dest = Map::new();
    let err = parse_set_json(&mut dest, "a=tru e").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid character ' ' in literal true (expecting 'e')"
    );
    let err = parse_set_json(&mut dest, "a=tru").unwrap_err();
    assert_eq!(err.to_string(), "unexpected EOF");
}

#[test]
fn merge_values_reads_files_through_the_reader() {
    let options = ValueOptions {
        value_files: vec!["base".to_owned(), "missing".to_owned()],
        ..ValueOptions::default()
    };
    let reader = |path: &str| match path {
        "base" => Ok("a: 1\n".to_owned()),
        _ => Err(format!("open {path}: no such file or directory")),
    };
    let err = merge_values(&options, reader).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReadFile);
    assert_eq!(err.to_string(), "open missing: no such file or directory");
}

#[test]
fn merge_maps_merges_nested_maps_only() {
    let a = yaml::parse_map("x: {a: 1, b: 1}\nz: [1]\n").unwrap();
    let b = yaml::parse_map("x: {b: 2}\nz: {c: 3}\n").unwrap();
    let merged = merge_maps(a, b);
    assert_eq!(
        json::to_json(&Value::map(merged)).unwrap(),
        r#"{"x":{"a":1,"b":2},"z":{"c":3}}"#
    );
}

/// A chain of charts, each the only subchart of the one before.
struct Chain {
    name: String,
    schema: Option<Vec<u8>>,
    sub: Option<Box<Chain>>,
}

impl SchemaChart for Chain {
    fn name(&self) -> &str {
        &self.name
    }

    fn schema(&self) -> Option<&[u8]> {
        self.schema.as_deref()
    }

    fn dependencies(&self) -> Vec<&Chain> {
        self.sub.as_deref().into_iter().collect()
    }
}

#[test]
fn the_subchart_walk_is_bounded() {
    let depth = schema::MAX_SUBCHART_DEPTH + 1;
    let mut chart = Chain {
        name: format!("c{depth}"),
        schema: Some(b"{}".to_vec()),
        sub: None,
    };
    let mut values = Map::new();
    for level in (0..depth).rev() {
        let mut parent = Map::new();
        parent.insert(chart.name.clone(), Value::map(values));
        values = parent;
        chart = Chain {
            name: format!("c{level}"),
            schema: None,
            sub: Some(Box::new(chart)),
        };
    }
    let err = validate_against_schema(&chart, &values).unwrap_err();
    assert_eq!(
        err.details(),
        "c100:\nsubcharts nest deeper than 100 levels\n"
    );
}

#[test]
fn one_chart_reads_like_helm() {
    let values = Value::map(yaml::parse_map("replicas: x\n").unwrap());
    let schema = br#"{"properties": {"replicas": {"type": "integer"}}}"#;
    let err = validate_schema("mychart", schema, &values).unwrap_err();
    assert_eq!(
        err.to_string(),
        "values don't meet the specifications of the schema(s) in the following chart(s):\n\
         mychart:\n- at '/replicas': got string, want integer\n"
    );
    assert!(validate_schema("mychart", b"true", &values).is_ok());
}
