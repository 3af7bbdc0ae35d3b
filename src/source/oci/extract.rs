//! The `extract` layer operation: a tar+gzip layer read in memory, entry by entry, with
//! the limits chart archives have (total size, entry count), and refusing paths outside
//! the layer, links and special files. Nothing is written to disk here.
use std::collections::BTreeSet;
use std::io::Read;

use flate2::read::MultiGzDecoder;
use helmsync_engine::chart::{MAX_CHART_FILES, MAX_DECOMPRESSED_CHART_SIZE};
use tar::EntryType;

/// One regular file of an extracted layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedFile {
    /// Relative, `/`-separated, without `.` or `..` components.
    pub path: String,
    /// The permission bits recorded in the archive.
    pub mode: u32,
    pub data: Vec<u8>,
}

/// Limits on one extraction.
#[derive(Clone, Copy, Debug)]
pub struct ExtractLimits {
    pub max_total_size: u64,
    pub max_entries: usize,
}

impl Default for ExtractLimits {
    fn default() -> ExtractLimits {
        ExtractLimits {
            max_total_size: MAX_DECOMPRESSED_CHART_SIZE,
            max_entries: MAX_CHART_FILES,
        }
    }
}

/// The regular files of a `.tar.gz` layer, in archive order.
pub fn extract_tar_gz(layer: &[u8], limits: ExtractLimits) -> Result<Vec<ExtractedFile>, String> {
    // The decompressed stream is capped too, so a gzip bomb of headers stops early.
    let tar_overhead = limits.max_entries as u64 * 4 * 512;
    let decoder = MultiGzDecoder::new(layer).take(limits.max_total_size + tar_overhead + 1024);
    let mut archive = tar::Archive::new(decoder);
    let entries = archive
        .entries()
        .map_err(|e| format!("the layer is not a tar archive: {e}"))?;
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    for (count, entry) in entries.enumerate() {
        if count >= limits.max_entries {
            return Err(format!(
                "the layer has more than {} entries",
                limits.max_entries
            ));
        }
        let mut entry = entry.map_err(|e| format!("the layer is not a valid tar.gz: {e}"))?;
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        match kind {
            EntryType::Directory => continue,
            EntryType::XGlobalHeader | EntryType::XHeader => continue,
            EntryType::Regular | EntryType::Continuous => {}
            EntryType::Symlink | EntryType::Link => {
                return Err(format!("'{raw_path}' is a link; links are not extracted"));
            }
            _ => return Err(format!("'{raw_path}' is not a regular file")),
        }
        let path = clean_path(&raw_path)?;
        if !seen.insert(path.clone()) {
            return Err(format!("'{path}' appears twice in the layer"));
        }
        let size = entry
            .header()
            .size()
            .map_err(|e| format!("'{path}': {e}"))?;
        total = total.saturating_add(size);
        if total > limits.max_total_size {
            return Err(format!(
                "the layer's files are larger than the maximum of {} bytes",
                limits.max_total_size
            ));
        }
        let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 20));
        (&mut entry)
            .take(size)
            .read_to_end(&mut data)
            .map_err(|e| format!("'{path}' cannot be read: {e}"))?;
        files.push(ExtractedFile { path, mode, data });
    }
    Ok(files)
}

/// A relative path without `.`, empty or `..` components; absolute paths and escapes are
/// refused rather than rewritten.
fn clean_path(raw: &str) -> Result<String, String> {
    if raw.starts_with('/') || raw.contains('\\') || raw.contains('\0') {
        return Err(format!("'{raw}' is not a relative path inside the layer"));
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(format!("'{raw}' points outside the layer")),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(format!("'{raw}' names no file"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;

    fn tar_gz(build: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        build(&mut builder);
        let tar = builder.into_inner().unwrap();
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    fn file(builder: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(EntryType::Regular);
        // set_path refuses `..`; write the raw name so escapes can be tested.
        let name = &mut header.as_old_mut().name;
        name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }

    #[test]
    fn regular_files_are_extracted_with_clean_paths() {
        let layer = tar_gz(|b| {
            file(b, "./app/config.yaml", b"a: 1\n");
            file(b, "app/README", b"hi");
        });
        let files = extract_tar_gz(&layer, ExtractLimits::default()).unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["app/config.yaml", "app/README"]);
        assert_eq!(files[0].data, b"a: 1\n");
    }

    #[test]
    fn escapes_and_links_are_refused() {
        let layer = tar_gz(|b| file(b, "../etc/passwd", b"x"));
        let why = extract_tar_gz(&layer, ExtractLimits::default()).unwrap_err();
        assert!(why.contains("points outside the layer"), "{why}");

        let layer = tar_gz(|b| {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(EntryType::Symlink);
            header.set_size(0);
            b.append_link(&mut header, "link", "/etc/passwd").unwrap();
        });
        let why = extract_tar_gz(&layer, ExtractLimits::default()).unwrap_err();
        assert!(why.contains("is a link"), "{why}");
    }

    #[test]
    fn size_and_count_limits_hold() {
        let layer = tar_gz(|b| {
            file(b, "a", &[0; 600]);
            file(b, "b", &[0; 600]);
        });
        let small = ExtractLimits {
            max_total_size: 1000,
            max_entries: 10,
        };
        let why = extract_tar_gz(&layer, small).unwrap_err();
        assert!(
            why.contains("larger than the maximum of 1000 bytes"),
            "{why}"
        );
        let few = ExtractLimits {
            max_total_size: 1 << 20,
            max_entries: 1,
        };
        let why = extract_tar_gz(&layer, few).unwrap_err();
        assert!(why.contains("more than 1 entries"), "{why}");
    }

    #[test]
    fn something_that_is_not_gzip_is_refused() {
        let why = extract_tar_gz(b"plain text", ExtractLimits::default()).unwrap_err();
        assert!(why.contains("not a"), "{why}");
    }
}
