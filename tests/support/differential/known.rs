//! testdata/charts/render/KNOWN-DIFFERENCES: the cases helmsync does not match yet, grouped
//! under a one-line reason. A listed case may differ; a listed case that matches fails the
//! suite, so the list only shrinks.
//!
//!   reason: ONE LINE
//!   CHART                        every values file of the chart
//!   CHART/ci/FILE.yaml           one values file
use std::collections::BTreeMap;

use super::cases::Case;

pub struct KnownDifferences {
    /// Entry (chart or case id) to its reason.
    entries: BTreeMap<String, String>,
}

impl KnownDifferences {
    pub fn parse(text: &str) -> Result<KnownDifferences, String> {
        let mut entries = BTreeMap::new();
        let mut reason: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(r) = line.strip_prefix("reason:") {
                reason = Some(r.trim().to_owned());
                continue;
            }
            let Some(reason) = &reason else {
                return Err(format!(
                    "line {}: {line:?} comes before any reason:",
                    number + 1
                ));
            };
            if entries.insert(line.to_owned(), reason.clone()).is_some() {
                return Err(format!("line {}: {line:?} is listed twice", number + 1));
            }
        }
        Ok(KnownDifferences { entries })
    }

    /// The entry that covers a case, and its reason.
    pub fn covering(&self, case: &Case) -> Option<(&str, &str)> {
        [case.id(), case.chart.clone()]
            .iter()
            .find_map(|key| self.entries.get_key_value(key.as_str()))
            .map(|(k, r)| (k.as_str(), r.as_str()))
    }

    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}
