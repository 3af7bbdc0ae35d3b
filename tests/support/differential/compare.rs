//! One case compared: helm's render against helmsync's, as parsed documents and as text,
//! or, when the render must fail, by error kind and location and by message.
use super::cases::Case;
use super::documents::{self, Document};
use super::errors::RenderError;
use super::masks;
use super::run::Rendered;
use super::text_diff;

/// How many difference lines a case's report shows.
const REPORT_LIMIT: usize = 40;

pub struct Outcome {
    pub case: Case,
    /// Same documents in the same order (masked values by shape); for failures, both fail
    /// with the same error kind at the same location.
    pub documents_equal: bool,
    /// Same text (masked values blanked); for failures, the same error message.
    pub text_equal: bool,
    /// The case itself is wrong: helm did not succeed or fail as its values file says.
    pub testdata_error: Option<String>,
    /// What differs, for the report.
    pub details: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.testdata_error.is_none() && self.documents_equal && self.text_equal
    }
}

pub fn compare(case: Case, helm: &Rendered, ours: &Rendered) -> Outcome {
    let mut outcome = Outcome {
        case,
        documents_equal: false,
        text_equal: false,
        testdata_error: None,
        details: Vec::new(),
    };
    if helm.success == outcome.case.expect_failure {
        let (did, expected) = if helm.success {
            ("rendered", "fail")
        } else {
            ("failed", "render")
        };
        outcome.testdata_error = Some(format!(
            "helm {did} this case, its values file says it must {expected}; helm's stderr:\n{}",
            helm.stderr.trim_end()
        ));
        return outcome;
    }
    match (helm.success, ours.success) {
        (true, true) => compare_renders(&mut outcome, &helm.stdout, &ours.stdout),
        (false, false) => compare_failures(&mut outcome, &helm.stderr, &ours.stderr),
        (true, false) => outcome.details.push(format!(
            "helm renders, helmsync fails: {}",
            RenderError::from_stderr(&ours.stderr).message
        )),
        (false, true) => outcome.details.push(format!(
            "helm fails, helmsync renders; helm's error: {}",
            RenderError::from_stderr(&helm.stderr).message
        )),
    }
    outcome
}

fn parse(label: &str, text: &str, details: &mut Vec<String>) -> Option<Vec<Document>> {
    documents::parse_stream(text)
        .map_err(|e| details.push(format!("cannot parse {label}'s output: {e}")))
        .ok()
}

fn compare_renders(outcome: &mut Outcome, helm: &str, ours: &str) {
    let details = &mut outcome.details;
    if let (Some(theirs), Some(mine)) = (
        parse("helm", helm, details),
        parse("helmsync", ours, details),
    ) {
        let differences = documents::compare_streams(&theirs, &mine, REPORT_LIMIT);
        outcome.documents_equal = differences.is_empty();
        details.extend(differences);
    }
    match text_diff::first_difference(&masks::mask_text(helm), &masks::mask_text(ours)) {
        None => outcome.text_equal = true,
        Some(lines) => details.extend(lines),
    }
}

fn compare_failures(outcome: &mut Outcome, helm: &str, ours: &str) {
    let theirs = RenderError::from_stderr(helm);
    let mine = RenderError::from_stderr(ours);
    outcome.documents_equal = theirs.kind == mine.kind && theirs.location == mine.location;
    outcome.text_equal = theirs.message == mine.message;
    if !outcome.documents_equal {
        outcome.details.push(format!(
            "error: helm {}, helmsync {}",
            theirs.summary(),
            mine.summary()
        ));
    }
    if !outcome.text_equal {
        let shorten = |m: &str| -> String {
            let cut: String = m.chars().take(600).collect();
            if cut.len() < m.len() {
                format!("{cut}... ({} chars)", m.len())
            } else {
                cut
            }
        };
        outcome
            .details
            .push(format!("helm's error:     {}", shorten(&theirs.message)));
        outcome
            .details
            .push(format!("helmsync's error: {}", shorten(&mine.message)));
    }
}
