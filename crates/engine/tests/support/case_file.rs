//! The `.case` format of testdata/template, read exactly as `oracle bless` (tools/oracle)
//! reads and writes it:
//!
//! ```text
//! # free comment lines before the first case
//! === case: NAME
//! --- options          mode=go|helm missingkey=default|zero|error
//! --- values           JSON; {} when absent
//! --- template [NAME]  one or more; the first is executed
//! --- output | --- error
//! ```
//!
//! A section's content is the lines between its header and the next header, without the
//! single newline that ends its last line.
use std::fs;
use std::path::Path;

const CASE_HEADER: &str = "=== case: ";
const SECTION_KINDS: [&str; 5] = ["options", "values", "template", "output", "error"];

/// Which engine a case runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Go's text/template with only its builtin functions.
    Go,
    /// Helm's rendering engine, the templates forming a chart "test".
    Helm,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Go => "go",
            Mode::Helm => "helm",
        }
    }
}

/// The `missingkey` option, as Go's `Option("missingkey=...")` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingKeyOption {
    Default,
    Zero,
    Error,
}

impl MissingKeyOption {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingKeyOption::Default => "default",
            MissingKeyOption::Zero => "zero",
            MissingKeyOption::Error => "error",
        }
    }
}

/// What Go produced for a case, or what helmsync produced when compared against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Output(String),
    Error(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedTemplate {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Case {
    /// The file name, e.g. `range.case`.
    pub file: String,
    pub name: String,
    /// The line of the case's `=== case:` header.
    pub line: usize,
    pub mode: Mode,
    pub missing_key: MissingKeyOption,
    /// The values as JSON text, `{}` when the case has no values section.
    pub values: String,
    /// At least one; the first is executed.
    pub templates: Vec<NamedTemplate>,
    /// `None` until the case is blessed.
    pub expected: Option<Outcome>,
}

impl Case {
    /// `file:line` of the case header, for messages.
    pub fn location(&self) -> String {
        format!("testdata/template/{}:{}", self.file, self.line)
    }

    pub fn entry_template(&self) -> &NamedTemplate {
        &self.templates[0]
    }
}

/// Reads every `*.case` file of `dir`, in file name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "case") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        cases.extend(parse(&file, &text)?);
    }
    Ok(cases)
}

/// One section as written: its kind, the template name for `--- template NAME`, its content.
struct Section {
    kind: &'static str,
    arg: String,
    content: String,
}

/// A case while its sections are read.
struct RawCase {
    name: String,
    line: usize,
    sections: Vec<Section>,
}

/// Whether `line` is a section header, and which; an error for a malformed one.
fn section_header(line: &str) -> Result<Option<(&'static str, String)>, String> {
    let Some(rest) = line.strip_prefix("--- ") else {
        return Ok(None);
    };
    let (kind, arg) = rest.split_once(' ').unwrap_or((rest, ""));
    let Some(kind) = SECTION_KINDS.into_iter().find(|k| *k == kind) else {
        return Ok(None);
    };
    if !arg.is_empty() && kind != "template" {
        return Err(format!("section {kind:?} takes no argument"));
    }
    if arg.contains([' ', '\t']) {
        return Err(format!("template name {arg:?} contains blanks"));
    }
    Ok(Some((kind, arg.to_owned())))
}

/// Parses one `.case` file; `file` names it in messages and in each case.
pub fn parse(file: &str, text: &str) -> Result<Vec<Case>, String> {
    let mut raw_cases: Vec<RawCase> = Vec::new();
    let mut content = String::new();
    let mut in_section = false;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let at = |message: String| format!("{file}:{line_no}: {message}");
        if let Some(name) = line.strip_prefix(CASE_HEADER) {
            finish_section(&mut raw_cases, &mut content, &mut in_section);
            let name = name.trim();
            if name.is_empty() {
                return Err(at("a case needs a name".into()));
            }
            if let Some(first) = raw_cases.iter().find(|c| c.name == name) {
                return Err(at(format!(
                    "case {name:?} already defined at line {}",
                    first.line
                )));
            }
            raw_cases.push(RawCase {
                name: name.to_owned(),
                line: line_no,
                sections: Vec::new(),
            });
            continue;
        }
        if let Some((kind, arg)) = section_header(line).map_err(at)? {
            let Some(current) = raw_cases.last_mut() else {
                return Err(at("section before the first case".into()));
            };
            finish_section(std::slice::from_mut(current), &mut content, &mut in_section);
            current.sections.push(Section {
                kind,
                arg,
                content: String::new(),
            });
            in_section = true;
            continue;
        }
        if !raw_cases.is_empty() && !in_section && !line.trim().is_empty() {
            return Err(at("text between a case header and its first section".into()));
        }
        if in_section {
            content.push_str(raw_line);
        }
    }
    finish_section(&mut raw_cases, &mut content, &mut in_section);
    raw_cases
        .into_iter()
        .map(|raw| to_case(file, raw))
        .collect()
}

/// Stores the content gathered so far in the last section of the last case.
fn finish_section(cases: &mut [RawCase], content: &mut String, in_section: &mut bool) {
    if *in_section && let Some(section) = cases.last_mut().and_then(|c| c.sections.last_mut()) {
        let text = content.strip_suffix('\n').unwrap_or(content);
        section.content = text.to_owned();
    }
    content.clear();
    *in_section = false;
}

fn to_case(file: &str, raw: RawCase) -> Result<Case, String> {
    let at = |message: String| format!("{file}:{}: case {:?}: {message}", raw.line, raw.name);
    let mut mode = Mode::Go;
    let mut missing_key = MissingKeyOption::Default;
    let mut values = None;
    let mut templates = Vec::new();
    let mut expected = None;
    let mut options_seen = false;
    for section in raw.sections {
        match section.kind {
            "options" => {
                if std::mem::replace(&mut options_seen, true) {
                    return Err(at("more than one options section".into()));
                }
                for option in section.content.split_whitespace() {
                    match option.split_once('=') {
                        Some(("mode", "go")) => mode = Mode::Go,
                        Some(("mode", "helm")) => mode = Mode::Helm,
                        Some(("missingkey", "default")) => missing_key = MissingKeyOption::Default,
                        Some(("missingkey", "zero")) => missing_key = MissingKeyOption::Zero,
                        Some(("missingkey", "error")) => missing_key = MissingKeyOption::Error,
                        _ => return Err(at(format!("unknown option {option:?}"))),
                    }
                }
            }
            "values" => {
                if values.replace(section.content).is_some() {
                    return Err(at("more than one values section".into()));
                }
            }
            "template" => templates.push(NamedTemplate {
                name: section.arg,
                text: section.content,
            }),
            "output" | "error" => {
                let outcome = if section.kind == "output" {
                    Outcome::Output(section.content)
                } else {
                    Outcome::Error(section.content)
                };
                if expected.replace(outcome).is_some() {
                    return Err(at("more than one output or error section".into()));
                }
            }
            kind => return Err(at(format!("unknown section {kind:?}"))),
        }
    }
    if templates.is_empty() {
        return Err(at("no template section".into()));
    }
    let default_name = match mode {
        Mode::Go => "main",
        Mode::Helm => "main.yaml",
    };
    for template in &mut templates {
        if template.name.is_empty() {
            template.name = default_name.to_owned();
        }
    }
    let values = values.unwrap_or_else(|| "{}".to_owned());
    Ok(Case {
        file: file.to_owned(),
        name: raw.name,
        line: raw.line,
        mode,
        missing_key,
        values,
        templates,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_content_excludes_the_newline_before_the_next_header() {
        let text = "# comment\n=== case: a\n--- template\nx\n--- output\nx\n=== case: b\n\
                    --- template\nline\n\n--- output\nline\n\n";
        let cases = parse("t.case", text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].templates[0].text, "x");
        assert_eq!(cases[0].expected, Some(Outcome::Output("x".into())));
        assert_eq!(cases[1].line, 7);
        assert_eq!(cases[1].templates[0].text, "line\n");
        assert_eq!(cases[1].expected, Some(Outcome::Output("line\n".into())));
    }

    #[test]
    fn defaults_apply_when_sections_are_absent() {
        let cases = parse("t.case", "=== case: a\n--- template\n{{ . }}").unwrap();
        let case = &cases[0];
        assert_eq!(
            (case.mode, case.missing_key),
            (Mode::Go, MissingKeyOption::Default)
        );
        assert_eq!(case.values, "{}");
        assert_eq!(case.entry_template().name, "main");
        assert_eq!(case.expected, None);
    }

    #[test]
    fn options_and_named_templates_are_read() {
        let text = "=== case: a\n--- options\nmode=helm missingkey=error\n--- values\n\
                    {\"a\": 1}\n--- template\nT\n--- template _helpers.tpl\nH\n--- error\nE";
        let case = &parse("t.case", text).unwrap()[0];
        assert_eq!(
            (case.mode, case.missing_key),
            (Mode::Helm, MissingKeyOption::Error)
        );
        assert_eq!(case.values, "{\"a\": 1}");
        let names: Vec<_> = case.templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["main.yaml", "_helpers.tpl"]);
        assert_eq!(case.expected, Some(Outcome::Error("E".into())));
    }

    #[test]
    fn lines_that_only_resemble_headers_are_content() {
        let text = "=== case: a\n--- template\n---\n--- not a header\n== case: x\n--- output\n";
        let case = &parse("t.case", text).unwrap()[0];
        assert_eq!(case.templates[0].text, "---\n--- not a header\n== case: x");
        assert_eq!(case.expected, Some(Outcome::Output(String::new())));
    }

    #[test]
    fn malformed_files_are_rejected_with_their_location() {
        let errors = [
            (
                "=== case: a\n--- template\nx\n=== case: a\n--- template\ny",
                "t.case:4: case \"a\"",
            ),
            ("--- template\nx", "t.case:1: section before the first case"),
            (
                "=== case: a\nstray\n--- template\nx",
                "t.case:2: text between",
            ),
            (
                "=== case: a\n--- output x\n",
                "t.case:2: section \"output\" takes no argument",
            ),
            (
                "=== case: a\n--- options\nmode=jinja\n--- template\nx",
                "unknown option",
            ),
            ("=== case: a\n--- output\nx", "no template section"),
            (
                "=== case: a\n--- template\nx\n--- output\n1\n--- error\n2",
                "more than one output",
            ),
        ];
        for (text, message) in errors {
            let err = parse("t.case", text).unwrap_err();
            assert!(err.contains(message), "{text:?}: {err}");
        }
    }
}
