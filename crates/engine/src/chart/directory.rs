//! Loading a chart from a directory as Helm's `LoadDir` does: files in lexical order,
//! `.helmignore` applied, symbolic links followed (helmsync only to targets inside the
//! chart, and never around a cycle), irregular files refused, Helm's size budget.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::archive::{MAX_DECOMPRESSED_CHART_SIZE, check_api_version};
use super::chartfile;
use super::files::{self, LoadContext, MAX_CHART_FILES};
use super::ignore::{HELM_IGNORE, Rules};
use super::model::{Chart, File};
use super::{Error, ErrorKind};

/// How deep directories may nest inside a chart directory. Helm has no such limit.
pub const MAX_DIRECTORY_DEPTH: usize = 64;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Go's text for a failed file system call: `OP PATH: REASON`, with the reason in Go's
/// (lower-case, strerror) words.
pub(crate) fn go_io_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    let text = e.to_string();
    let reason = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = reason.chars();
    let reason = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{op} {}: {reason}", path.display())
}

fn load_error(message: String) -> Error {
    Error::new(ErrorKind::Load, message)
}

/// Helm v4's `loader.LoadDir`: Chart.yaml read first to pick the loader by API version.
pub(crate) fn load_dir(dir: &Path) -> Result<Chart, Error> {
    let chart_yaml = dir.join("Chart.yaml");
    let text = std::fs::read(&chart_yaml).map_err(|e| {
        let reason = go_io_error("open", &chart_yaml, &e);
        load_error(format!(
            "unable to detect chart at {}: {reason}",
            chart_yaml.display()
        ))
    })?;
    let api_version = chartfile::decode_api_version(&String::from_utf8_lossy(&text))
        .map_err(|e| Error::new(ErrorKind::Parse, format!("cannot load Chart.yaml: {e}")))?;
    check_api_version(&api_version)?;

    let mut rules = Rules::default();
    let ignore_file = dir.join(HELM_IGNORE);
    if ignore_file.exists() {
        let text = std::fs::read(&ignore_file)
            .map_err(|e| load_error(go_io_error("open", &ignore_file, &e)))?;
        rules = Rules::parse(&text).map_err(load_error)?;
    }
    rules.add_defaults();

    let top = dir
        .canonicalize()
        .map_err(|e| load_error(go_io_error("lstat", dir, &e)))?;
    let mut walker = Walker {
        rules,
        top: top.clone(),
        open_dirs: vec![top],
        files: Vec::new(),
        remaining: MAX_DECOMPRESSED_CHART_SIZE,
        ctx: LoadContext::new(),
    };
    walker.walk_dir(dir, "")?;
    let Walker { files, mut ctx, .. } = walker;
    files::load_files(files, &mut ctx)
}

/// The walk of one chart directory (Helm's `sympath.Walk` with the loader's callback).
struct Walker {
    rules: Rules,
    /// The chart directory, symbolic links resolved.
    top: PathBuf,
    /// The directories being walked, resolved, outermost first: a link back to one of them
    /// would never end.
    open_dirs: Vec<PathBuf>,
    files: Vec<File>,
    /// Helm's budget for the whole directory.
    remaining: u64,
    ctx: LoadContext,
}

impl Walker {
    /// Visits the entries of `dir` (named `rel` inside the chart) in lexical order.
    fn walk_dir(&mut self, dir: &Path, rel: &str) -> Result<(), Error> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| load_error(go_io_error("open", dir, &e)))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| load_error(go_io_error("readdirent", dir, &e)))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            self.visit(&path, &rel)?;
        }
        Ok(())
    }

    fn visit(&mut self, path: &Path, rel: &str) -> Result<(), Error> {
        let mut info = std::fs::symlink_metadata(path)
            .map_err(|e| load_error(go_io_error("lstat", path, &e)))?;
        let mut resolved = None;
        if info.file_type().is_symlink() {
            let target = path.canonicalize().map_err(|e| {
                load_error(format!(
                    "error evaluating symlink {}: {}",
                    path.display(),
                    go_io_error("lstat", path, &e)
                ))
            })?;
            if !target.starts_with(&self.top) {
                return Err(Error::new(
                    ErrorKind::Unsafe,
                    format!(
                        "symbolic link {rel} points outside the chart directory (to {})",
                        target.display()
                    ),
                ));
            }
            info = std::fs::metadata(&target)
                .map_err(|e| load_error(go_io_error("lstat", &target, &e)))?;
            resolved = Some(target);
        }
        if info.is_dir() {
            if self.rules.ignore(rel, true) {
                return Ok(());
            }
            let resolved = match resolved {
                Some(target) => target,
                None => self.open_dirs.last().map_or_else(
                    || path.to_path_buf(),
                    |parent| parent.join(path.file_name().unwrap_or_default()),
                ),
            };
            if self.open_dirs.contains(&resolved) {
                return Err(Error::new(
                    ErrorKind::Unsafe,
                    format!("symbolic link {rel} leads back to a directory that contains it"),
                ));
            }
            if self.open_dirs.len() > MAX_DIRECTORY_DEPTH {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!(
                        "directory {rel} is nested more than {MAX_DIRECTORY_DEPTH} levels deep"
                    ),
                ));
            }
            self.open_dirs.push(resolved);
            let walked = self.walk_dir(path, rel);
            self.open_dirs.pop();
            return walked;
        }
        if self.rules.ignore(rel, false) {
            return Ok(());
        }
        if !info.is_file() {
            return Err(Error::new(
                ErrorKind::Unsafe,
                format!(
                    "cannot load irregular file {} as it has file mode type bits set",
                    path.display()
                ),
            ));
        }
        if self.files.len() >= MAX_CHART_FILES {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("chart directory has more than {MAX_CHART_FILES} files"),
            ));
        }
        let data = self
            .read_with_budget(path, info.len())
            .map_err(|e| e.prefixed(&format!("error reading {rel}: ")))?;
        self.ctx.charge(data.len() as u64)?;
        let data = data
            .strip_prefix(UTF8_BOM)
            .map(<[u8]>::to_vec)
            .unwrap_or(data);
        self.files.push(File::new(rel, data));
        Ok(())
    }

    /// Helm's `ReadFileWithBudget`: the whole directory shares one budget, and a file that
    /// grows after it was measured is still cut at the budget.
    fn read_with_budget(&mut self, path: &Path, size: u64) -> Result<Vec<u8>, Error> {
        let over = || {
            Error::new(
                ErrorKind::Limit,
                format!(
                    "chart exceeds maximum decompressed size of {MAX_DECOMPRESSED_CHART_SIZE} bytes"
                ),
            )
        };
        if size > self.remaining {
            return Err(over());
        }
        let file =
            std::fs::File::open(path).map_err(|e| load_error(go_io_error("open", path, &e)))?;
        let mut data = Vec::new();
        file.take(self.remaining + 1)
            .read_to_end(&mut data)
            .map_err(|e| load_error(go_io_error("read", path, &e)))?;
        let read = data.len() as u64;
        if read > self.remaining {
            return Err(over());
        }
        self.remaining -= read;
        Ok(data)
    }
}
