//! values.schema.json validation as Helm v4 does it (`pkg/chart/common/util/jsonschema.go`):
//! santhosh-tekuri/jsonschema v6 semantics and error texts, on top of the `jsonschema`
//! crate.
//!
//! Helm compiles a chart's schema as `file:///values.schema.json` (draft 2020-12 unless
//! `$schema` says otherwise; formats asserted before draft 2019-09), validates the chart's
//! values, then each subchart's schema against the subchart's part of the values. The crate
//! reports a flat list of errors; `tree` regroups them into the library's error tree and
//! `report` prints it as the library does.
//!
//! Differences that remain are Go's own randomness (the order of sibling errors follows Go's
//! map order in Helm; helmsync sorts them by property name) and the ones listed on `load`
//! (references Helm would fetch over the network or from disk, regular expression dialect).
mod format;
mod literals;
mod load;
mod message;
mod netip;
mod report;
mod tree;

use crate::value::{Map, Value};

/// The prefix Helm puts before the per-chart messages (`ToRenderValues`).
const HELM_PREFIX: &str =
    "values don't meet the specifications of the schema(s) in the following chart(s):\n";

/// How deep subcharts may nest while their values are validated. Chart loading bounds this
/// already; the walk keeps its own bound so that it can never exhaust the stack.
pub const MAX_SUBCHART_DEPTH: usize = 100;

/// What the schema walk needs of a chart: its name (the alias, for aliased dependencies),
/// its values.schema.json and its subcharts, in Helm's dependency order.
pub trait SchemaChart {
    fn name(&self) -> &str;
    fn schema(&self) -> Option<&[u8]>;
    fn dependencies(&self) -> Vec<&Self>;
}

/// Values that do not meet the schemas; `Display` prints Helm's whole message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{HELM_PREFIX}{details}")]
pub struct SchemaError {
    details: String,
}

impl SchemaError {
    /// What Helm's `ValidateAgainstSchema` returns: one `NAME:` block per failing chart.
    pub fn details(&self) -> &str {
        &self.details
    }
}

/// Helm's `ValidateAgainstSingleSchema`: `Err` holds the library's message (a validation
/// error ends with a newline, as Helm adds one for the next chart).
pub fn validate_single_schema(schema: &[u8], values: &Map) -> Result<(), String> {
    let compiled = load::compile(schema)?;
    match compiled.validate(&Value::map(values.clone())) {
        Some(text) => Err(format!("{text}\n")),
        None => Ok(()),
    }
}

/// Validates one chart's values against its schema, without looking at subcharts; the
/// error reads as Helm's message for that chart alone.
pub fn validate_schema(chart_name: &str, schema: &[u8], values: &Value) -> Result<(), SchemaError> {
    let values = match values {
        Value::Map(map) => map.snapshot().as_ref().clone(),
        _ => Map::new(),
    };
    validate_single_schema(schema, &values).map_err(|e| SchemaError {
        details: format!("{chart_name}:\n{e}"),
    })
}

/// Helm's `ValidateAgainstSchema`: the chart's schema against `values`, then each
/// subchart's against `values[subchart name]` when that is set.
pub fn validate_against_schema<C: SchemaChart>(chart: &C, values: &Map) -> Result<(), SchemaError> {
    let mut details = String::new();
    walk(chart, values, 0, &mut details);
    if details.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { details })
    }
}

fn walk<C: SchemaChart>(chart: &C, values: &Map, depth: usize, out: &mut String) {
    if let Some(schema) = chart.schema()
        && let Err(e) = validate_single_schema(schema, values)
    {
        out.push_str(chart.name());
        out.push_str(":\n");
        out.push_str(&e);
    }
    for sub in chart.dependencies() {
        match values.get(sub.name()) {
            None | Some(Value::Nil | Value::Missing) => {}
            Some(Value::Map(sub_values)) => {
                if depth + 1 >= MAX_SUBCHART_DEPTH {
                    out.push_str(&format!(
                        "{}:\nsubcharts nest deeper than {MAX_SUBCHART_DEPTH} levels\n",
                        sub.name()
                    ));
                    continue;
                }
                walk(sub, &sub_values.snapshot(), depth + 1, out);
            }
            Some(other) => out.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
}
