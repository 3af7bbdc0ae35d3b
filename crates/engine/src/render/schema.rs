//! values.schema.json validation of a chart tree, as `ToRenderValues` runs it: the
//! values module's schema walk over the chart model.
use crate::chart::Chart;
use crate::value::Map;
use crate::values::{SchemaChart, validate_against_schema};

use super::error::{Error, ErrorKind};

impl SchemaChart for Chart {
    fn name(&self) -> &str {
        Chart::name(self)
    }

    fn schema(&self) -> Option<&[u8]> {
        self.schema.as_deref()
    }

    fn dependencies(&self) -> Vec<&Chart> {
        self.dependencies.iter().collect()
    }
}

/// Helm's `ValidateAgainstSchema` on the top chart's coalesced values.
pub(crate) fn validate(chart: &Chart, values: &Map) -> Result<(), Error> {
    validate_against_schema(chart, values).map_err(|e| Error::new(ErrorKind::Schema, e.to_string()))
}
