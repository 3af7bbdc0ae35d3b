//! Chart archives (`.tgz`), untrusted input: read in memory entry by entry, never unpacked,
//! with Helm's path checks and size limit (`pkg/chart/loader/archive`) and helmsync's own
//! refusal of links, devices, duplicate entries and too many entries.
use std::io::Read;
use std::path::Path;

use flate2::read::MultiGzDecoder;
use tar::EntryType;

use super::chartfile;
use super::files::{self, LoadContext, MAX_CHART_FILES};
use super::model::{Chart, File};
use super::{Error, ErrorKind};
use crate::gofmt::quote;

/// Helm's `MaxDecompressedChartSize`: the most bytes the files of one archive may hold once
/// decompressed.
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// Tar headers and padding allowed beyond the files' bytes: what `MAX_CHART_FILES` entries
/// with long names take.
const MAX_TAR_OVERHEAD: u64 = MAX_CHART_FILES as u64 * 4 * 512;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why reading an archive's entries failed, before the caller words it.
enum ReadError {
    /// Go's `gzip.ErrHeader`.
    GzipHeader,
    Other(Error),
}

impl From<Error> for ReadError {
    fn from(e: Error) -> ReadError {
        ReadError::Other(e)
    }
}

fn too_large() -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"),
    )
}

fn unsafe_entry(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Unsafe, message)
}

/// Helm's `loader.LoadArchive` (the stream form Flux uses): reads the entries, picks the
/// loader by the chart's API version, loads.
pub(crate) fn load_archive(bytes: &[u8]) -> Result<Chart, Error> {
    let mut ctx = LoadContext::new();
    let files = read_archive_files(bytes, &mut ctx).map_err(|e| match e {
        ReadError::GzipHeader => Error::new(
            ErrorKind::Load,
            "stream does not appear to be a valid chart file (details: gzip: invalid header)",
        ),
        ReadError::Other(e) => e.prefixed("unable to load chart archive: "),
    })?;
    load_versioned(files, &mut ctx)
}

/// Helm's `loader.LoadFile`: checks that the file looks like a gzip archive first, for a
/// clearer message when it is not.
pub(crate) fn load_file(path: &Path) -> Result<Chart, Error> {
    let name = path.display().to_string();
    let load_error = |message: String| Error::new(ErrorKind::Load, message);
    let metadata = std::fs::metadata(path)
        .map_err(|e| load_error(super::directory::go_io_error("stat", path, &e)))?;
    if metadata.is_dir() {
        return Err(load_error("cannot load a directory".to_owned()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| load_error(super::directory::go_io_error("open", path, &e)))?;
    let mut bytes = Vec::new();
    file.take(files::MAX_TOTAL_LOADED_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| load_error(format!("file '{name}' cannot be read: {e}")))?;
    if bytes.len() as u64 > files::MAX_TOTAL_LOADED_SIZE {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "file '{name}' is larger than the maximum archive size of {} bytes",
                files::MAX_TOTAL_LOADED_SIZE
            ),
        ));
    }
    ensure_archive(&name, &bytes)?;
    let mut ctx = LoadContext::new();
    let files = read_archive_files(&bytes, &mut ctx).map_err(|e| match e {
        ReadError::GzipHeader => load_error(format!(
            "file '{name}' does not appear to be a valid chart file (details: gzip: invalid header)"
        )),
        ReadError::Other(e) => e.prefixed("unable to load chart archive: "),
    })?;
    load_versioned(files, &mut ctx)
}

/// A subchart archive inside a chart: Helm's v2 `LoadArchive`, errors unwrapped.
pub(crate) fn load_nested_archive(bytes: &[u8], ctx: &mut LoadContext) -> Result<Chart, Error> {
    let files = read_archive_files(bytes, ctx).map_err(|e| match e {
        ReadError::GzipHeader => Error::new(ErrorKind::Load, "gzip: invalid header"),
        ReadError::Other(e) => e,
    })?;
    files::load_files(files, ctx)
}

/// The API version dispatch of Helm v4's `pkg/chart/loader`.
fn load_versioned(files: Vec<File>, ctx: &mut LoadContext) -> Result<Chart, Error> {
    let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(Error::new(
            ErrorKind::Load,
            "unable to detect chart version, no Chart.yaml found",
        ));
    };
    let api_version = chartfile::decode_api_version(&String::from_utf8_lossy(&chart_yaml.data))
        .map_err(|e| Error::new(ErrorKind::Parse, format!("cannot load Chart.yaml: {e}")))?;
    check_api_version(&api_version)?;
    files::load_files(files, ctx)
}

/// Charts of API version v1 and v2 (or none) load; Helm v4 also has experimental v3 charts,
/// which helmsync does not support.
pub(crate) fn check_api_version(api_version: &str) -> Result<(), Error> {
    match api_version {
        "v1" | "v2" | "" => Ok(()),
        _ => Err(Error::new(ErrorKind::Load, "unsupported chart version")),
    }
}

/// Helm's `EnsureArchive`: the first bytes must be gzip's magic.
fn ensure_archive(name: &str, bytes: &[u8]) -> Result<(), Error> {
    if bytes.starts_with(b"\x1F\x8B\x08") {
        return Ok(());
    }
    let message = if name.ends_with(".yml") || name.ends_with(".yaml") {
        format!("file '{name}' seems to be a YAML file, but expected a gzipped archive")
    } else {
        format!(
            "file '{name}' does not appear to be a gzipped archive; got '{}'",
            detect_content_type(bytes)
        )
    };
    Err(Error::new(ErrorKind::Load, message))
}

/// The few answers of Go's `http.DetectContentType` that matter here, over the 512-byte
/// buffer Helm passes (zero-padded for shorter files, which makes them binary).
fn detect_content_type(bytes: &[u8]) -> &'static str {
    let mut head = [0u8; 512];
    let n = bytes.len().min(512);
    head[..n].copy_from_slice(&bytes[..n]);
    let signatures: [(&[u8], &str); 5] = [
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x89PNG\r\n\x1A\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"BZh", "application/x-bzip2"),
    ];
    if let Some((_, content_type)) = signatures.iter().find(|(sig, _)| head.starts_with(sig)) {
        return content_type;
    }
    let binary = head
        .iter()
        .any(|&b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F));
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// A reader that fails once more than `limit` bytes were read through it.
struct Capped<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.remaining = self
            .remaining
            .checked_sub(n as u64)
            .ok_or_else(|| std::io::Error::other(too_large()))?;
        Ok(n)
    }
}

/// Go's `gzip.NewReader` errors on its first bytes: `EOF` for nothing, `unexpected EOF`
/// for a short header, `ErrHeader` for a wrong magic or method.
fn check_gzip_header(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(Error::new(ErrorKind::Load, "EOF").into());
    }
    if bytes.len() >= 3 && !bytes.starts_with(b"\x1F\x8B\x08") {
        return Err(ReadError::GzipHeader);
    }
    if bytes.len() < 10 {
        return Err(Error::new(ErrorKind::Load, "unexpected EOF").into());
    }
    Ok(())
}

/// Helm's `LoadArchiveFiles`, with helmsync's extra refusals.
fn read_archive_files(bytes: &[u8], ctx: &mut LoadContext) -> Result<Vec<File>, ReadError> {
    check_gzip_header(bytes)?;
    let reader = Capped {
        inner: MultiGzDecoder::new(bytes),
        remaining: MAX_DECOMPRESSED_CHART_SIZE + MAX_TAR_OVERHEAD,
    };
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(io_error)?;
    let mut files: Vec<File> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE;
    let mut count = 0usize;
    for entry in entries {
        let mut entry = entry.map_err(io_error)?;
        count += 1;
        if count > MAX_CHART_FILES {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("chart archive has more than {MAX_CHART_FILES} entries"),
            )
            .into());
        }
        let header_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let entry_type = entry.header().entry_type();
        let mode = entry.header().mode().unwrap_or(0);
        let is_dir = entry_type.is_dir()
            || mode & 0o170000 == 0o040000
            || (entry_type == EntryType::Regular && header_name.ends_with('/'));
        if is_dir || matches!(entry_type, EntryType::XGlobalHeader | EntryType::XHeader) {
            continue;
        }
        let name = entry_name(&header_name)?;
        check_entry_type(entry_type, &header_name)?;
        if !seen.insert(name.clone()) {
            return Err(unsafe_entry(format!(
                "chart archive has more than one entry for {}",
                quote(&name)
            ))
            .into());
        }
        let size = entry.header().size().map_err(io_error)?;
        if size > remaining {
            return Err(too_large().into());
        }
        let mut data = Vec::new();
        (&mut entry)
            .take(remaining)
            .read_to_end(&mut data)
            .map_err(io_error)?;
        let written = data.len() as u64;
        remaining -= written;
        if written < size || remaining == 0 {
            return Err(too_large().into());
        }
        ctx.charge(written)?;
        let data = data
            .strip_prefix(UTF8_BOM)
            .map(<[u8]>::to_vec)
            .unwrap_or(data);
        files.push(File::new(name, data));
    }
    if files.is_empty() {
        return Err(Error::new(ErrorKind::Load, "no files in chart archive").into());
    }
    Ok(files)
}

/// The name of an entry inside the chart: the first path element (the chart's directory)
/// dropped, `\` read as the separator when present, then Helm's checks in Helm's order.
fn entry_name(header_name: &str) -> Result<String, Error> {
    let delimiter = if header_name.contains('\\') {
        '\\'
    } else {
        '/'
    };
    let mut parts = header_name.split(delimiter);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let name = rest.join("/");
    if name.starts_with('/') {
        return Err(unsafe_entry("chart illegally contains absolute paths"));
    }
    let name = clean_relative(&name);
    if name == "." {
        return Err(unsafe_entry(format!(
            "chart illegally contains content outside the base directory: {}",
            quote(header_name)
        )));
    }
    if name.starts_with("..") {
        return Err(unsafe_entry("chart illegally references parent directory"));
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        return Err(unsafe_entry("chart contains illegally named files"));
    }
    if first == "Chart.yaml" {
        return Err(unsafe_entry("chart yaml not in base directory"));
    }
    Ok(name)
}

/// Only regular files are loaded. Helm reads links and devices as empty files; helmsync
/// refuses them, naming the entry.
fn check_entry_type(entry_type: EntryType, header_name: &str) -> Result<(), Error> {
    let what = match entry_type {
        EntryType::Regular | EntryType::Continuous => return Ok(()),
        EntryType::Symlink => "a symbolic link",
        EntryType::Link => "a hard link",
        EntryType::Char | EntryType::Block => "a device",
        EntryType::Fifo => "a named pipe",
        _ => "of an unsupported type",
    };
    Err(unsafe_entry(format!(
        "chart archive entry {} is {what}, not a regular file",
        quote(header_name)
    )))
}

/// Go's `path.Clean` for a path that is not rooted.
fn clean_relative(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn io_error(e: std::io::Error) -> ReadError {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<Error>()) {
        Some(limit) => ReadError::Other(limit.clone()),
        None => ReadError::Other(Error::new(ErrorKind::Load, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_like_gos_path_clean() {
        assert_eq!(clean_relative("a/./b//c/"), "a/b/c");
        assert_eq!(clean_relative("a/../../b"), "../b");
        assert_eq!(clean_relative(""), ".");
        assert_eq!(clean_relative("a/.."), ".");
    }

    #[test]
    fn entry_names_drop_the_chart_directory_and_are_checked() {
        assert_eq!(
            entry_name("mychart/templates/x.yaml").unwrap(),
            "templates/x.yaml"
        );
        assert_eq!(
            entry_name("mychart\\templates\\x.yaml").unwrap(),
            "templates/x.yaml"
        );
        let err = |name: &str| entry_name(name).unwrap_err().to_string();
        assert_eq!(
            err("mychart//etc/passwd"),
            "chart illegally contains absolute paths"
        );
        assert_eq!(
            err("mychart/../x"),
            "chart illegally references parent directory"
        );
        assert_eq!(
            err("README.md"),
            "chart illegally contains content outside the base directory: \"README.md\""
        );
        assert_eq!(err("mychart/c:/x"), "chart contains illegally named files");
        assert_eq!(err("Chart.yaml/x"), "chart yaml not in base directory");
    }

    #[test]
    fn content_types_are_sniffed_for_messages() {
        assert_eq!(
            detect_content_type(b"name: x\n"),
            "application/octet-stream"
        );
        assert_eq!(
            detect_content_type(&[b'a'; 600]),
            "text/plain; charset=utf-8"
        );
        assert_eq!(detect_content_type(b"PK\x03\x04rest"), "application/zip");
    }
}
