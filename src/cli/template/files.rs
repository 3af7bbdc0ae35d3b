//! The file system side of `helmsync template`: reading values files (`-` is standard
//! input) and writing `--output-dir` files as Helm does, with Go's error texts, and the
//! comma-separated lists Helm's string-slice flags take.
use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::Path;

use crate::cli::CliError;

/// Go's text for an `*os.PathError`: `OP PATH: reason`, the reason in the C library's
/// words, lower-cased as Go's errno table has them.
pub fn go_path_error(op: &str, path: &str, err: &io::Error) -> String {
    let text = err.to_string();
    let reason = match text.find(" (os error ") {
        Some(cut) => &text[..cut],
        None => text.as_str(),
    };
    let mut chars = reason.chars();
    let reason = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{op} {path}: {reason}")
}

/// Helm's `readFile` for `-f` and `--set-file`: standard input for `-`, else the file.
pub fn read_values_file(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path.trim() == "-" {
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| go_path_error("read", "/dev/stdin", &e))?;
    } else {
        let mut file = std::fs::File::open(path).map_err(|e| go_path_error("open", path, &e))?;
        file.read_to_end(&mut bytes)
            .map_err(|e| go_path_error("read", path, &e))?;
    }
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A string-slice flag's values as pflag reads them: each occurrence a CSV record, its
/// fields in order; `"` quotes a field that holds commas.
pub fn split_csv(occurrences: &[String]) -> Vec<String> {
    let mut fields = Vec::new();
    for occurrence in occurrences {
        if occurrence.is_empty() {
            continue;
        }
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = occurrence.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' if quoted => quoted = false,
                '"' if field.is_empty() => quoted = true,
                ',' if !quoted => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
    }
    fields
}

/// Helm's `writeToFile` for `--output-dir`: each document into `DIR/NAME`, appended when
/// asked, reported as `wrote DIR/NAME` on `out`.
pub struct OutputDir<'o, W: Write> {
    out: &'o mut W,
    /// Files this run has written, which later documents of the same file append to.
    written: HashSet<String>,
}

impl<'o, W: Write> OutputDir<'o, W> {
    pub fn new(out: &'o mut W) -> OutputDir<'o, W> {
        OutputDir {
            out,
            written: HashSet::new(),
        }
    }

    /// Writes a document of `name` under `dir`, appending when this run wrote it before.
    pub fn write_tracked(&mut self, dir: &str, name: &str, data: &str) -> Result<(), CliError> {
        let append = !self.written.insert(format!("{dir}/{name}"));
        self.write(dir, name, data, append)
    }

    /// Writes a document of `name` under `dir`, appending when the file exists: how Helm
    /// writes hooks, even onto a file an earlier run left behind.
    pub fn write_appending_to_existing(
        &mut self,
        dir: &str,
        name: &str,
        data: &str,
    ) -> Result<(), CliError> {
        let append = Path::new(dir).join(name).exists();
        self.write(dir, name, data, append)
    }

    fn write(&mut self, dir: &str, name: &str, data: &str, append: bool) -> Result<(), CliError> {
        let file_name = format!("{dir}/{name}");
        let path = Path::new(&file_name);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                CliError::Command(go_path_error("mkdir", &parent.display().to_string(), &e))
            })?;
        }
        let mut options = OpenOptions::new();
        if append {
            options.append(true);
        } else {
            options.write(true).create(true).truncate(true);
        }
        let mut file = options
            .open(path)
            .map_err(|e| CliError::Command(go_path_error("open", &file_name, &e)))?;
        let document = helmsync_engine::render::source_doc(name, data);
        file.write_all(document.as_bytes())
            .map_err(|e| CliError::Command(go_path_error("write", &file_name, &e)))?;
        writeln!(self.out, "wrote {file_name}").map_err(|e| CliError::io(Path::new("stdout"), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_slice_flags_split_like_pflag() {
        let flags = [
            "a.yaml,b.yaml".to_owned(),
            "\"c,d.yaml\",e".to_owned(),
            String::new(),
        ];
        assert_eq!(split_csv(&flags), ["a.yaml", "b.yaml", "c,d.yaml", "e"]);
        assert_eq!(split_csv(&["\"a\"\"b\"".to_owned()]), ["a\"b"]);
    }

    #[test]
    fn path_errors_read_as_go_prints_them() {
        let err = io::Error::from_raw_os_error(2);
        assert_eq!(
            go_path_error("open", "x.yaml", &err),
            "open x.yaml: no such file or directory"
        );
        assert_eq!(
            read_values_file("/nonexistent/values.yaml").unwrap_err(),
            "open /nonexistent/values.yaml: no such file or directory"
        );
    }

    #[test]
    fn output_files_append_when_written_before() -> Result<(), CliError> {
        let dir = tempfile::tempdir().map_err(|e| CliError::io(Path::new("tmp"), e))?;
        let root = dir.path().display().to_string();
        let mut out = Vec::new();
        let mut files = OutputDir::new(&mut out);
        files.write_tracked(&root, "c/templates/a.yaml", "kind: A")?;
        files.write_tracked(&root, "c/templates/a.yaml", "kind: B")?;
        files.write_appending_to_existing(&root, "c/templates/a.yaml", "kind: H")?;
        let written = std::fs::read_to_string(dir.path().join("c/templates/a.yaml"))
            .map_err(|e| CliError::io(dir.path(), e))?;
        let doc = |k: &str| format!("---\n# Source: c/templates/a.yaml\nkind: {k}\n");
        assert_eq!(written, [doc("A"), doc("B"), doc("H")].concat());
        let printed = String::from_utf8_lossy(&out).into_owned();
        assert_eq!(printed.lines().count(), 3);
        assert!(printed.starts_with(&format!("wrote {root}/c/templates/a.yaml\n")));
        Ok(())
    }
}
