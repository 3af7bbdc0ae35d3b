//! Regroups the crate's flat list of errors into santhosh-tekuri/jsonschema's tree.
//!
//! The library evaluates one schema at one instance location at a time (a node), collects
//! that node's errors in keyword order and returns none, the only one, or a "validation
//! failed" group of them. A node stops at the first failing `type`, `const`, `enum` or
//! `format`, and before draft 2019-09 a `$ref` replaces its siblings. Subschemas reached by
//! `properties`, `items` and the like are nodes of their own; `allOf`, `anyOf` and `oneOf`
//! wrap their failed subschemas; `$ref` wraps its target's errors.
//!
//! Each crate error carries its evaluation path (which keeps `$ref` steps), so the node it
//! belongs to is found by walking that path.
use std::collections::BTreeMap;

use jsonschema::error::ValidationErrorKind as Kind;
use jsonschema::{Draft, ValidationError};
use serde_json::Value as Json;

use super::message::{self, Context};
use super::report::{Report, json_pointer};

/// One crate error, owned, with its paths as pointer tokens.
pub(super) struct Flat {
    pub eval: Vec<String>,
    pub schema_path: Vec<String>,
    pub instance: Vec<String>,
    /// The instance value where the error is.
    pub value: Json,
    pub kind: Kind,
    /// The crate's own message, for kinds the library does not have.
    pub message: String,
    /// For `propertyNames`: the error of the property name against its schema.
    pub nested: Option<Box<Flat>>,
}

impl Flat {
    pub(super) fn from_error(error: ValidationError<'_>) -> Flat {
        let message = error.to_string();
        let parts = error.into_parts();
        let (kind, nested) = match parts.kind {
            Kind::PropertyNames { error } => (
                Kind::Custom {
                    keyword: "propertyNames".to_owned(),
                    message: message.clone(),
                },
                Some(Box::new(Flat::from_error(*error))),
            ),
            kind => (kind, None),
        };
        Flat {
            eval: tokens(parts.evaluation_path.as_str()),
            schema_path: tokens(parts.schema_path.as_str()),
            instance: tokens(parts.instance_path.as_str()),
            value: parts.instance.into_owned(),
            kind,
            message,
            nested,
        }
    }

    /// The keyword that failed: the last step of the evaluation path (a `false` schema has
    /// none).
    pub(super) fn keyword(&self) -> &str {
        if matches!(self.kind, Kind::FalseSchema) {
            return "false";
        }
        if self.nested.is_some() {
            return "propertyNames";
        }
        self.eval.last().map_or("", String::as_str)
    }
}

/// JSON pointer tokens, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How a node was reached from its parent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// `$ref`.
    Ref,
    /// A property's value, by the keyword that applies a schema to it.
    Property(String, PropertyVia),
    /// An array item, by index.
    Item(u64),
    /// `dependencies` / `dependentSchemas` of a present property (the same instance).
    Dependent(String),
    /// `$dynamicRef` / `$recursiveRef`.
    DynamicRef(String),
    AllOf(usize),
    AnyOf(usize),
    OneOf(usize),
    Then,
    Else,
    /// `unevaluatedProperties` / `unevaluatedItems` applied to one member.
    Unevaluated(String),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PropertyVia {
    Properties,
    Pattern(String),
    Additional,
}

/// The errors of one schema at one instance location.
#[derive(Default)]
struct Node {
    instance: Vec<String>,
    leaves: Vec<Flat>,
    children: BTreeMap<Step, Node>,
}

/// The causes of the library's top error for these crate errors.
pub(super) fn reports(flats: Vec<Flat>, cx: &Context<'_>) -> Vec<Report> {
    let mut root = Node::default();
    for flat in flats {
        insert(&mut root, flat);
    }
    Report::of_schema(&[], render(&root, cx))
        .map(Report::into_causes)
        .unwrap_or_default()
}

/// The causes of a failed `contains` at `node`: each item's error against its schema.
fn contains_causes(node: &Node, flat: &Flat, cx: &Context<'_>) -> Vec<Report> {
    let (Some(subschema), Json::Array(items)) = (cx.subschema, &flat.value) else {
        return Vec::new();
    };
    let pointer = json_pointer(&flat.schema_path);
    let mut causes = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let mut instance = node.instance.clone();
        instance.push(index.to_string());
        let mut item_root = Node {
            instance: instance.clone(),
            ..Node::default()
        };
        for mut item_flat in subschema(&pointer, item) {
            let mut full = instance.clone();
            full.append(&mut item_flat.instance);
            item_flat.instance = full;
            insert(&mut item_root, item_flat);
        }
        causes.extend(result(&item_root, cx));
    }
    causes
}

fn is_index(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

fn insert(root: &mut Node, mut flat: Flat) {
    // The subschemas of a failed anyOf/oneOf are nodes of the tree like any other.
    if let Kind::AnyOf { context } | Kind::OneOfNotValid { context } = &mut flat.kind {
        for errors in std::mem::take(context) {
            for error in errors {
                insert(root, Flat::from_error(error));
            }
        }
    }
    let keyword_steps = usize::from(!matches!(flat.kind, Kind::FalseSchema));
    let limit = flat.eval.len().saturating_sub(keyword_steps);
    let mut node = root;
    let mut i = 0;
    while i < limit {
        let token = flat.eval[i].as_str();
        let next = flat.eval.get(i + 1).filter(|_| i + 1 < limit);
        let member = flat.instance.get(node.instance.len()).cloned();
        let (step, used, member) = match (token, next, member) {
            ("properties", Some(name), _) => (
                Step::Property(name.clone(), PropertyVia::Properties),
                2,
                Some(name.clone()),
            ),
            ("patternProperties", Some(regex), Some(name)) => (
                Step::Property(name.clone(), PropertyVia::Pattern(regex.clone())),
                2,
                Some(name),
            ),
            ("additionalProperties", _, Some(name)) => (
                Step::Property(name.clone(), PropertyVia::Additional),
                1,
                Some(name),
            ),
            ("unevaluatedProperties" | "unevaluatedItems", _, Some(name)) => {
                (Step::Unevaluated(name.clone()), 1, Some(name))
            }
            ("items" | "prefixItems" | "additionalItems", next, Some(index)) => {
                let Ok(position) = index.parse::<u64>() else {
                    break;
                };
                let used = if next.is_some_and(|n| is_index(n)) {
                    2
                } else {
                    1
                };
                (Step::Item(position), used, Some(index))
            }
            ("allOf", Some(n), _) if is_index(n) => (Step::AllOf(parse_index(n)), 2, None),
            ("anyOf", Some(n), _) if is_index(n) => (Step::AnyOf(parse_index(n)), 2, None),
            ("oneOf", Some(n), _) if is_index(n) => (Step::OneOf(parse_index(n)), 2, None),
            ("then", _, _) => (Step::Then, 1, None),
            ("else", _, _) => (Step::Else, 1, None),
            ("$ref", _, _) => (Step::Ref, 1, None),
            ("$dynamicRef" | "$recursiveRef", _, _) => {
                (Step::DynamicRef(token.to_owned()), 1, None)
            }
            ("dependencies" | "dependentSchemas", Some(name), _) => {
                (Step::Dependent(name.clone()), 2, None)
            }
            _ => break,
        };
        let mut instance = node.instance.clone();
        instance.extend(member);
        node = node.children.entry(step).or_insert_with(|| Node {
            instance,
            ..Node::default()
        });
        i += used;
    }
    node.leaves.push(flat);
}

fn parse_index(token: &str) -> usize {
    token.parse().unwrap_or(usize::MAX)
}

/// The keywords that end a node's evaluation when they fail, in the order checked.
const STOPPERS: [&str; 4] = ["type", "const", "enum", "format"];

/// The keywords checked on objects before the properties, in order.
const OBJECT_FIRST: [&str; 4] = ["minProperties", "maxProperties", "required", "dependencies"];
/// ... and after them.
const OBJECT_LAST: [&str; 3] = ["additionalProperties", "propertyNames", "dependentRequired"];
const ARRAY_FIRST: [&str; 3] = ["minItems", "maxItems", "uniqueItems"];
const ARRAY_LAST: [&str; 4] = ["additionalItems", "contains", "minContains", "maxContains"];
const STRING: [&str; 5] = [
    "minLength",
    "maxLength",
    "pattern",
    "contentEncoding",
    "contentMediaType",
];
const NUMBER: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// A node's errors, in the library's order.
fn render(node: &Node, cx: &Context<'_>) -> Vec<Report> {
    let leaves = |keyword: &str| -> Vec<&Flat> {
        node.leaves
            .iter()
            .filter(|f| f.keyword() == keyword)
            .collect()
    };
    if let Some(flat) = node.leaves.iter().find(|f| f.keyword() == "false") {
        return vec![message::report(&node.instance, &[flat], cx)];
    }
    for keyword in STOPPERS {
        let found = leaves(keyword);
        if !found.is_empty() {
            return vec![message::report(&node.instance, &found, cx)];
        }
    }
    let ref_failure = node
        .children
        .get(&Step::Ref)
        .and_then(|target| reference(node, target, cx));
    let draft_before_2019 = matches!(cx.draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7);
    if draft_before_2019 && node.children.contains_key(&Step::Ref) {
        return ref_failure.into_iter().collect();
    }
    let mut out: Vec<Report> = ref_failure.into_iter().collect();
    let keywords = |out: &mut Vec<Report>, names: &[&str]| {
        for name in names {
            let found = leaves(name);
            if !found.is_empty() {
                out.push(message::report(&node.instance, &found, cx));
            }
        }
    };
    keywords(&mut out, &OBJECT_FIRST);
    for (step, child) in &node.children {
        if matches!(step, Step::Dependent(_)) {
            out.extend(result(child, cx));
        }
    }
    for (step, child) in &node.children {
        if matches!(step, Step::Property(..)) {
            out.extend(result(child, cx));
        }
    }
    keywords(&mut out, &OBJECT_LAST);
    keywords(&mut out, &ARRAY_FIRST);
    for (step, child) in &node.children {
        if matches!(step, Step::Item(_)) {
            out.extend(result(child, cx));
        }
    }
    for name in ARRAY_LAST {
        for flat in leaves(name) {
            let mut report = message::report(&node.instance, &[flat], cx);
            if matches!(flat.kind, Kind::Contains) {
                report.causes = contains_causes(node, flat, cx);
            }
            out.push(report);
        }
    }
    keywords(&mut out, &STRING);
    keywords(&mut out, &NUMBER);
    for (step, child) in &node.children {
        if matches!(step, Step::DynamicRef(_)) {
            out.extend(reference(node, child, cx));
        }
    }
    keywords(&mut out, &["not"]);
    let all_of: Vec<Report> = node
        .children
        .iter()
        .filter(|(step, _)| matches!(step, Step::AllOf(_)))
        .filter_map(|(_, child)| result(child, cx))
        .collect();
    if !all_of.is_empty() {
        out.push(message::wrapper(&node.instance, "'allOf' failed", all_of));
    }
    for keyword in ["anyOf", "oneOf"] {
        for flat in leaves(keyword) {
            let causes: Vec<Report> = node
                .children
                .iter()
                .filter(|(step, _)| match step {
                    Step::AnyOf(_) => keyword == "anyOf",
                    Step::OneOf(_) => keyword == "oneOf",
                    _ => false,
                })
                .filter_map(|(_, child)| result(child, cx))
                .collect();
            let mut report = message::report(&node.instance, &[flat], cx);
            if matches!(flat.kind, Kind::AnyOf { .. } | Kind::OneOfNotValid { .. }) {
                report.causes = causes;
            }
            out.push(report);
        }
    }
    for step in [Step::Then, Step::Else] {
        if let Some(child) = node.children.get(&step) {
            out.extend(result(child, cx));
        }
    }
    for (step, child) in &node.children {
        if matches!(step, Step::Unevaluated(_)) {
            out.extend(result(child, cx));
        }
    }
    keywords(&mut out, &["unevaluatedProperties", "unevaluatedItems"]);
    // Keywords this port does not place still show, after the others.
    let placed: Vec<&str> = [
        &STOPPERS[..],
        &OBJECT_FIRST,
        &OBJECT_LAST,
        &ARRAY_FIRST,
        &ARRAY_LAST,
        &STRING,
        &NUMBER,
        &[
            "not",
            "anyOf",
            "oneOf",
            "unevaluatedProperties",
            "unevaluatedItems",
        ],
    ]
    .concat();
    for flat in &node.leaves {
        if !placed.contains(&flat.keyword()) {
            out.push(message::report(&node.instance, &[flat], cx));
        }
    }
    out
}

/// What a node returns to its parent.
fn result(node: &Node, cx: &Context<'_>) -> Option<Report> {
    Report::of_schema(&node.instance, render(node, cx))
}

/// A reference from `node` whose target (`target`) failed.
fn reference(node: &Node, target: &Node, cx: &Context<'_>) -> Option<Report> {
    let failure = result(target, cx)?;
    Some(Report {
        kind: super::report::ReportKind::Reference,
        causes: failure.into_causes(),
        ..Report::keyword(&node.instance, "validation failed".to_owned())
    })
}
