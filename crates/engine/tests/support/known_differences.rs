//! testdata/template/KNOWN-DIFFERENCES: the corpus cases helmsync is allowed to get wrong,
//! each under a one-line reason:
//!
//! ```text
//! # comment
//! reason: helm render pipeline not implemented
//! helm.case: values release and chart objects
//! ```
use std::fs;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownDifference {
    pub file: String,
    pub case: String,
    pub reason: String,
    /// The entry's line in KNOWN-DIFFERENCES.
    pub line: usize,
}

impl KnownDifference {
    pub fn is_for(&self, file: &str, case: &str) -> bool {
        self.file == file && self.case == case
    }
}

pub fn load(path: &Path) -> Result<Vec<KnownDifference>, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text)
}

pub fn parse(text: &str) -> Result<Vec<KnownDifference>, String> {
    let mut entries: Vec<KnownDifference> = Vec::new();
    let mut reason: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(text) = line.strip_prefix("reason:") {
            let text = text.trim();
            if text.is_empty() {
                return Err(format!("KNOWN-DIFFERENCES:{line_no}: empty reason"));
            }
            reason = Some(text.to_owned());
            continue;
        }
        let Some((file, case)) = line.split_once(": ") else {
            return Err(format!(
                "KNOWN-DIFFERENCES:{line_no}: expected `FILE.case: CASE NAME` or `reason: TEXT`"
            ));
        };
        let Some(reason) = reason.clone() else {
            return Err(format!(
                "KNOWN-DIFFERENCES:{line_no}: entry before any `reason:` line"
            ));
        };
        let (file, case) = (file.trim(), case.trim());
        if let Some(first) = entries.iter().find(|e| e.is_for(file, case)) {
            return Err(format!(
                "KNOWN-DIFFERENCES:{line_no}: {file}: {case} is already listed at line {}",
                first.line
            ));
        }
        entries.push(KnownDifference {
            file: file.to_owned(),
            case: case.to_owned(),
            reason,
            line: line_no,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_take_the_reason_above_them() {
        let text = "# header\nreason: one\na.case: first: with colon\n\nreason: two\nb.case: x\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].file, "a.case");
        assert_eq!(entries[0].case, "first: with colon");
        assert_eq!(entries[0].reason, "one");
        assert_eq!((entries[1].reason.as_str(), entries[1].line), ("two", 6));
        assert!(entries[1].is_for("b.case", "x"));
    }

    #[test]
    fn malformed_lists_are_rejected() {
        for (text, message) in [
            ("a.case: x\n", "before any `reason:`"),
            ("reason:\n", "empty reason"),
            ("reason: r\njust text\n", "expected `FILE.case: CASE NAME`"),
            (
                "reason: r\na.case: x\na.case: x\n",
                "already listed at line 2",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(message), "{text:?}: {err}");
        }
    }
}
