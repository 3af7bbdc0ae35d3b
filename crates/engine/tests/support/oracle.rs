//! The Go oracle (tools/oracle): Go's text/template and Helm's engine answering the corpus
//! cases in one batch process.
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;

use super::case_file::{Case, Outcome};
use super::repo_dir;

/// The message when the oracle binary is missing: the corpus cannot be checked without it.
pub const NOT_BUILT: &str = "the Go oracle is not built; run: tools/build oracle";

/// The oracle binary built against Helm 4, as `tools/build --path oracle` names it.
pub fn path() -> Result<PathBuf, String> {
    let out = Command::new(repo_dir().join("tools/build"))
        .args(["--path", "oracle"])
        .output()
        .map_err(|e| format!("cannot run tools/build --path oracle: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "tools/build --path oracle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !path.is_file() {
        return Err(format!("{NOT_BUILT} (expected at {})", path.display()));
    }
    Ok(path)
}

/// One `oracle template` request line: the case as JSON, with its values spliced in as
/// written (made single-line: raw newlines cannot occur inside JSON strings).
pub fn request_line(case: &Case) -> String {
    let templates: Vec<serde_json::Value> = case
        .templates
        .iter()
        .map(|t| serde_json::json!({ "name": t.name, "text": t.text }))
        .collect();
    let head = serde_json::json!({
        "name": case.name,
        "mode": case.mode.as_str(),
        "missingkey": case.missing_key.as_str(),
        "templates": templates,
    })
    .to_string();
    let values = case.values.replace(['\n', '\r'], " ");
    let head = head.strip_suffix('}').unwrap_or(&head);
    format!("{head},\"values\":{values}}}")
}

/// Runs every case through `oracle template` in one process and returns Go's answers, in
/// the order of `cases`.
pub fn answer_all(oracle: &Path, cases: &[Case]) -> Result<Vec<Outcome>, String> {
    let mut child = Command::new(oracle)
        .arg("template")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", oracle.display()))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or("the oracle's stdin is not piped")?;
    let requests: String = cases.iter().map(|c| request_line(c) + "\n").collect();
    // Written from another thread so that neither side blocks on a full pipe.
    let writer = thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or("the oracle's stdout is not piped")?;
    let mut answers = Vec::with_capacity(cases.len());
    for (line, case) in BufReader::new(stdout).lines().zip(cases) {
        let line = line.map_err(|e| format!("reading the oracle's answers: {e}"))?;
        answers.push(parse_answer(&line, case)?);
    }
    let written = writer
        .join()
        .map_err(|_| "the request writer panicked".to_owned())?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for the oracle: {e}"))?;
    if let Err(e) = written {
        return Err(format!(
            "writing requests to the oracle: {e}; its stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    if !output.status.success() || answers.len() != cases.len() {
        return Err(format!(
            "the oracle answered {} of {} cases and exited with {}; its stderr:\n{}",
            answers.len(),
            cases.len(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(answers)
}

fn parse_answer(line: &str, case: &Case) -> Result<Outcome, String> {
    let answer: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| format!("the oracle's answer is not JSON ({e}): {line}"))?;
    if answer["name"] != case.name.as_str() {
        return Err(format!(
            "the oracle answered {} for case {:?}",
            answer["name"], case.name
        ));
    }
    match (answer["output"].as_str(), answer["error"].as_str()) {
        (Some(output), None) => Ok(Outcome::Output(output.to_owned())),
        (None, Some(error)) => Ok(Outcome::Error(error.to_owned())),
        _ => Err(format!(
            "the oracle's answer has neither output nor error: {line}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::case_file::parse;
    use super::*;

    #[test]
    fn request_lines_are_single_line_json_with_the_values_as_written() {
        let text = "=== case: a \"quoted\" name\n--- options\nmissingkey=zero\n--- values\n\
                    {\"n\": 1.50,\n \"s\": \"x\"}\n--- template\n{{ .n }}\nline 2";
        let case = &parse("t.case", text).unwrap()[0];
        let line = request_line(case);
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.ends_with(",\"values\":{\"n\": 1.50,  \"s\": \"x\"}}"),
            "{line}"
        );
        let head: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(head["name"], "a \"quoted\" name");
        assert_eq!(head["mode"], "go");
        assert_eq!(head["missingkey"], "zero");
        assert_eq!(head["templates"][0]["name"], "main");
        assert_eq!(head["templates"][0]["text"], "{{ .n }}\nline 2");
    }
}
