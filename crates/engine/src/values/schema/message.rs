//! The message of each failed keyword, as santhosh-tekuri/jsonschema's `kind` package words
//! it (`got string, want integer`, `missing property 'a'`, `minimum: got 1, want 3`...).
use std::collections::HashMap;

use jsonschema::Draft;
use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
use jsonschema::types::JsonType;
use serde_json::Value as Json;

use super::format;
use super::report::{Report, json_pointer, quote};
use super::tree::Flat;
use crate::gofmt;
use crate::value::Value;

/// What messages may consult beyond the error itself.
pub(super) struct Context<'a> {
    pub draft: Draft,
    /// The schema document, when the errors are about values (not about the schema).
    pub document: Option<&'a Json>,
    /// The document's number literals as written, by pointer.
    pub literals: Option<&'a HashMap<String, String>>,
    /// Validates a value against the document's subschema at a pointer.
    pub subschema: Option<&'a Subschema<'a>>,
}

/// The errors of a value against the subschema at a pointer of the document.
pub(super) type Subschema<'a> = dyn Fn(&str, &Json) -> Vec<Flat> + 'a;

impl Context<'_> {
    /// How the library shows the primitive at `pointer` of the schema: `display`, with a
    /// number as written in the schema.
    fn display_at(&self, v: &Json, pointer: &str) -> String {
        match (v, self.literals.and_then(|l| l.get(pointer))) {
            (Json::Number(_), Some(literal)) => literal.clone(),
            _ => display(v),
        }
    }
}

/// A keyword that failed only because others did.
pub(super) fn wrapper(instance: &[String], message: &str, causes: Vec<Report>) -> Report {
    Report {
        causes,
        ..Report::keyword(instance, message.to_owned())
    }
}

/// The reports of the crate errors `flats` of one keyword at one node (`required` gives
/// one error per missing property, the library one for all).
pub(super) fn reports(instance: &[String], flats: &[&Flat], cx: &Context<'_>) -> Vec<Report> {
    let Some(first) = flats.first() else {
        return Vec::new();
    };
    let at = |message: String| vec![Report::keyword(instance, message)];
    match (first.keyword(), &first.kind) {
        ("dependencies" | "dependentRequired", _) => dependencies(instance, first, cx),
        (_, Kind::Type { kind }) => at(format!(
            "got {}, want {}",
            type_name(&first.value),
            wanted_types(kind)
        )),
        (_, Kind::Constant { expected_value }) => at(match expected_value.as_ref() {
            Json::Array(_) | Json::Object(_) => "'const' failed".to_owned(),
            want => format!(
                "value must be {}",
                cx.display_at(want, &json_pointer(&first.schema_path))
            ),
        }),
        (_, Kind::Enum { options }) => at(enum_message(options, first, cx)),
        (_, Kind::Format { format }) => {
            let reason = first
                .value
                .as_str()
                .and_then(|s| format::check(format, s).err())
                .unwrap_or_default();
            at(format!(
                "{} is not valid {format}: {reason}",
                display(&first.value)
            ))
        }
        (_, Kind::Required { .. }) => {
            let missing: Vec<String> = flats
                .iter()
                .filter_map(|f| match &f.kind {
                    Kind::Required { property } => property.as_str().map(str::to_owned),
                    _ => None,
                })
                .collect();
            at(match missing.as_slice() {
                [one] => format!("missing property {}", quote(one)),
                many => format!("missing properties {}", join_quoted(many)),
            })
        }
        (_, Kind::AdditionalProperties { unexpected }) => at(format!(
            "additional properties {} not allowed",
            join_quoted(unexpected)
        )),
        (_, Kind::MinProperties { limit }) => at(format!(
            "minProperties: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::MaxProperties { limit }) => at(format!(
            "maxProperties: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::MinItems { limit }) => at(format!(
            "minItems: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::MaxItems { limit }) => at(format!(
            "maxItems: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::MinLength { limit }) => at(format!(
            "minLength: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::MaxLength { limit }) => at(format!(
            "maxLength: got {}, want {}",
            grouped(length(&first.value)),
            grouped(limit)
        )),
        (_, Kind::Pattern { pattern }) => at(format!(
            "{} does not match pattern {}",
            quote(first.value.as_str().unwrap_or_default()),
            quote(pattern)
        )),
        (_, Kind::Minimum { limit }) => at(bound("minimum", &first.value, limit)),
        (_, Kind::Maximum { limit }) => at(bound("maximum", &first.value, limit)),
        (_, Kind::ExclusiveMinimum { limit }) => at(bound("exclusiveMinimum", &first.value, limit)),
        (_, Kind::ExclusiveMaximum { limit }) => at(bound("exclusiveMaximum", &first.value, limit)),
        (_, Kind::MultipleOf { multiple_of }) => at(format!(
            "multipleOf: got {}, want {}",
            number(&first.value),
            go_float(*multiple_of)
        )),
        (_, Kind::UniqueItems) => {
            let (i, j) = duplicates(first.value.as_array().map_or(&[], Vec::as_slice));
            at(format!(
                "items at {} and {} are equal",
                grouped(i),
                grouped(j)
            ))
        }
        (_, Kind::Contains) => at("no items match contains schema".to_owned()),
        (_, Kind::Not { .. }) => at("'not' failed".to_owned()),
        (_, Kind::AnyOf { .. }) => at("'anyOf' failed".to_owned()),
        (_, Kind::OneOfNotValid { .. }) => at("'oneOf' failed, none matched".to_owned()),
        (_, Kind::OneOfMultipleValid { context }) => {
            let matched: Vec<usize> = context
                .iter()
                .enumerate()
                .filter(|(_, errors)| errors.is_empty())
                .map(|(i, _)| i)
                .take(2)
                .collect();
            at(match matched.as_slice() {
                [i, j] => format!(
                    "'oneOf' failed, subschemas {}, {} matched",
                    grouped(i),
                    grouped(j)
                ),
                _ => "'oneOf' failed, none matched".to_owned(),
            })
        }
        (_, Kind::FalseSchema) => at("false schema".to_owned()),
        (_, Kind::AdditionalItems { limit }) => {
            let count = length(&first.value).saturating_sub(*limit);
            at(format!(
                "last {} additionalItem(s) not allowed",
                grouped(count)
            ))
        }
        (_, Kind::UnevaluatedProperties { unexpected } | Kind::UnevaluatedItems { unexpected }) => {
            // Each member left is validated against the `false` schema.
            unexpected
                .iter()
                .map(|member| {
                    let mut at = instance.to_vec();
                    at.push(member.clone());
                    Report::keyword(&at, "false schema".to_owned())
                })
                .collect()
        }
        ("propertyNames", _) => {
            let name = first
                .nested
                .as_ref()
                .and_then(|inner| inner.value.as_str())
                .unwrap_or_default();
            let causes = first
                .nested
                .as_deref()
                .map(|inner| reports(&[], &[inner], cx))
                .unwrap_or_default();
            vec![wrapper(
                instance,
                &format!("invalid propertyName {}", quote(name)),
                causes,
            )]
        }
        _ => at(first.message.clone()),
    }
}

/// The one report of a keyword that gives one.
pub(super) fn report(instance: &[String], flats: &[&Flat], cx: &Context<'_>) -> Report {
    let mut all = reports(instance, flats, cx);
    match all.len() {
        1 => all.remove(0),
        _ => Report::of_schema(instance, all)
            .unwrap_or_else(|| Report::keyword(instance, "validation failed".to_owned())),
    }
}

/// `dependencies` (array form) and `dependentRequired`: one error per present property
/// whose companions are missing, worked out from the schema as the library does.
fn dependencies(instance: &[String], flat: &Flat, cx: &Context<'_>) -> Vec<Report> {
    let keyword = flat.keyword();
    let schema = cx.document.and_then(|doc| {
        let parent = &flat.schema_path[..flat.schema_path.len().saturating_sub(1)];
        parent.iter().try_fold(doc, |node, token| match node {
            Json::Object(map) => map.get(token),
            Json::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    });
    let (Some(Json::Object(dependencies)), Json::Object(object)) =
        (schema.and_then(|s| s.get(keyword)), &flat.value)
    else {
        return vec![Report::keyword(instance, flat.message.clone())];
    };
    let mut out = Vec::new();
    for (property, required) in dependencies {
        let Json::Array(required) = required else {
            continue;
        };
        if !object.contains_key(property) {
            continue;
        }
        let missing: Vec<String> = required
            .iter()
            .filter_map(Json::as_str)
            .filter(|name| !object.contains_key(*name))
            .map(str::to_owned)
            .collect();
        if !missing.is_empty() {
            out.push(Report::keyword(
                instance,
                format!(
                    "properties {} required, if {} exists",
                    join_quoted(&missing),
                    quote(property)
                ),
            ));
        }
    }
    out
}

/// The library's name for the JSON type of a value (integers are numbers).
fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The types a `type` keyword allows, in the library's order, joined with "or".
fn wanted_types(kind: &TypeKind) -> String {
    const ORDER: [JsonType; 7] = [
        JsonType::Null,
        JsonType::Boolean,
        JsonType::Number,
        JsonType::Integer,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];
    let wanted: Vec<&str> = ORDER
        .iter()
        .filter(|t| match kind {
            TypeKind::Single(single) => single == *t,
            TypeKind::Multiple(set) => set.contains(**t),
        })
        .map(|t| t.as_str())
        .collect();
    wanted.join(" or ")
}

fn enum_message(options: &Json, flat: &Flat, cx: &Context<'_>) -> String {
    let options = options.as_array().map_or(&[][..], Vec::as_slice);
    if options.iter().any(|o| o.is_array() || o.is_object()) {
        return "'enum' failed".to_owned();
    }
    let pointer = json_pointer(&flat.schema_path);
    let shown: Vec<String> = options
        .iter()
        .enumerate()
        .map(|(i, option)| cx.display_at(option, &format!("{pointer}/{i}")))
        .collect();
    match shown.as_slice() {
        [one] => format!("value must be {one}"),
        many => format!("value must be one of {}", many.join(", ")),
    }
}

/// The library's `display` of a primitive: strings quoted, numbers as written, nil as
/// `<nil>`.
fn display(v: &Json) -> String {
    match v {
        Json::String(s) => quote(s),
        Json::Array(_) | Json::Object(_) => "value".to_owned(),
        Json::Null => "<nil>".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => go_float(n.as_f64().unwrap_or_default()),
        },
    }
}

fn join_quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
    quoted.join(", ")
}

/// Members of an object or array, or characters of a string.
fn length(v: &Json) -> usize {
    match v {
        Json::Array(items) => items.len(),
        Json::Object(map) => map.len(),
        Json::String(s) => s.chars().count(),
        _ => 0,
    }
}

/// How the library's message printer (golang.org/x/text/message, English) prints a
/// float64 with `%v`: Go's shortest digits and its choice of notation, with the integer
/// part grouped by thousands, or the exponent written `×10` and superscript digits.
fn go_float(f: f64) -> String {
    let text = gofmt::sprint(&[Value::Float(f)]);
    if let Some((mantissa, exponent)) = text.split_once('e') {
        let digits: String = exponent
            .chars()
            .filter_map(|c| match c {
                '-' => Some('⁻'),
                '+' => None,
                d => d
                    .to_digit(10)
                    .and_then(|d| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().nth(d as usize)),
            })
            .collect();
        return format!("{mantissa}×10{digits}");
    }
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, format!(".{fraction}")),
        None => (unsigned, String::new()),
    };
    format!("{sign}{}{fraction}", group_thousands(integer))
}

/// How the message printer prints an integer with `%d`: grouped by thousands.
fn grouped(n: impl std::fmt::Display) -> String {
    let text = n.to_string();
    match text.strip_prefix('-') {
        Some(digits) => format!("-{}", group_thousands(digits)),
        None => group_thousands(&text),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number as the library prints it: through a float64.
fn number(v: &Json) -> String {
    go_float(v.as_f64().unwrap_or_default())
}

fn bound(keyword: &str, got: &Json, limit: &Json) -> String {
    format!("{keyword}: got {}, want {}", number(got), number(limit))
}

/// The first pair of equal items, as the library finds it: the lowest `i` with an equal
/// item before it, and the first such item `j`.
fn duplicates(items: &[Json]) -> (usize, usize) {
    for i in 1..items.len() {
        for j in 0..i {
            if json_equal(&items[i], &items[j]) {
                return (j, i);
            }
        }
    }
    (0, 0)
}

/// JSON equality with numbers compared by value (1 equals 1.0).
fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_the_message_printer() {
        let cases = [
            (0.0, "0"),
            (1.5, "1.5"),
            (1000.0, "1,000"),
            (-1234.5, "-1,234.5"),
            (999_999.0, "999,999"),
            (1e6, "1×10⁰⁶"),
            (-1.5e6, "-1.5×10⁰⁶"),
            (2.5e-5, "2.5×10⁻⁰⁵"),
            (1e300, "1×10³⁰⁰"),
            (0.0001, "0.0001"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float(f), want, "{f}");
        }
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-1000), "-1,000");
        assert_eq!(grouped(999), "999");
    }
}
