//! The artifact store: files the source reconcilers produce (repository indexes, chart
//! archives) under `<root>/<kind>/<namespace>/<name>/<file>`, Flux's layout, written
//! atomically and read back only when their digest still matches.
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

mod retention;

pub use retention::{Retention, StoredFile, garbage_files};

use sha2::{Digest, Sha256};

use crate::api::meta;

use super::http::sha256_hex;

/// The source kinds that store artifacts; each has its own directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    HelmRepository,
    HelmChart,
    OciRepository,
}

impl ArtifactKind {
    pub fn dir_name(self) -> &'static str {
        match self {
            ArtifactKind::HelmRepository => "helmrepository",
            ArtifactKind::HelmChart => "helmchart",
            ArtifactKind::OciRepository => "ocirepository",
        }
    }
}

/// A stored file, as `status.artifact` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// Relative to the store root: `helmchart/<ns>/<name>/<file>`.
    pub path: String,
    pub url: String,
    pub revision: String,
    /// `sha256:<hex>`.
    pub digest: String,
    /// RFC 3339.
    pub last_update_time: String,
    pub size: u64,
}

impl Artifact {
    /// The same file under another revision (a chart version, say; the digest is the default).
    pub fn with_revision(mut self, revision: impl Into<String>) -> Artifact {
        self.revision = revision.into();
        self
    }
}

impl From<Artifact> for meta::Artifact {
    fn from(a: Artifact) -> meta::Artifact {
        meta::Artifact {
            digest: a.digest,
            last_update_time: a.last_update_time,
            metadata: None,
            path: a.path,
            revision: a.revision,
            size: i64::try_from(a.size).ok(),
            url: a.url,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid artifact path: {0}")]
    InvalidPath(String),
    #[error("cannot create directory {path}: {source}")]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write artifact {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read artifact {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("artifact {path} has digest {actual}, expected {expected}")]
    DigestMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("cannot remove artifacts in {path}: {source}")]
    Remove { path: PathBuf, source: io::Error },
}

impl StorageError {
    /// Flux's condition reason.
    pub fn reason(&self) -> &'static str {
        match self {
            StorageError::InvalidPath(_) => "InvalidPath",
            StorageError::CreateDir { .. } => "DirectoryCreationFailed",
            StorageError::Write { .. } => "ArchiveOperationFailed",
            StorageError::Read { .. } => "ReadOperationFailed",
            StorageError::DigestMismatch { .. } => "ArtifactVerificationFailed",
            StorageError::Remove { .. } => "GarbageCollectionFailed",
        }
    }
}

/// Files of an object that are being written; never served, always collectable.
const TEMP_PREFIX: &str = ".tmp-";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

#[derive(Clone, Debug)]
pub struct Storage {
    root: PathBuf,
    advertised_base_url: String,
    retention: Retention,
}

impl Storage {
    /// `advertised_base_url` is where the store is served (`--storage-adv-addr`), e.g.
    /// `http://helmsync.flux-system.svc.cluster.local.`.
    pub fn new(root: impl Into<PathBuf>, advertised_base_url: &str) -> Storage {
        Storage {
            root: root.into(),
            advertised_base_url: advertised_base_url.trim_end_matches('/').to_owned(),
            retention: Retention::default(),
        }
    }

    /// The store with `--artifact-retention-ttl` and `--artifact-retention-records`.
    pub fn with_retention(self, retention: Retention) -> Storage {
        Storage { retention, ..self }
    }

    pub fn retention(&self) -> Retention {
        self.retention
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` as `file_name` of the object, replacing any file of that name in one
    /// rename, so readers see the old file or the new one, never a part.
    pub fn store(
        &self,
        kind: ArtifactKind,
        namespace: &str,
        name: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Artifact, StorageError> {
        let relative = relative_path(kind, namespace, name, Some(file_name))?;
        let dir = self.object_dir(kind, namespace, name)?;
        fs::create_dir_all(&dir).map_err(|source| StorageError::CreateDir {
            path: dir.clone(),
            source,
        })?;
        let target = self.root.join(&relative);
        let temp = dir.join(format!(
            "{TEMP_PREFIX}{}-{}-{file_name}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let write_error = |source| StorageError::Write {
            path: target.clone(),
            source,
        };
        let written = File::create(&temp)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .and_then(|()| fs::rename(&temp, &target));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(write_error(e));
        }
        let digest = format!("sha256:{}", sha256_hex(bytes));
        Ok(Artifact {
            url: format!("{}/{relative}", self.advertised_base_url),
            path: relative,
            revision: digest.clone(),
            digest,
            last_update_time: jiff::Timestamp::now().to_string(),
            size: bytes.len() as u64,
        })
    }

    /// The file, opened at its start, after checking its digest by reading it through once;
    /// large indexes are then parsed from it without being held in memory.
    pub fn open(&self, artifact: &Artifact) -> Result<BufReader<File>, StorageError> {
        let path = self.checked_path(&artifact.path)?;
        let read_error = |source| StorageError::Read {
            path: path.clone(),
            source,
        };
        let mut file = File::open(&path).map_err(read_error)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let n = file.read(&mut buffer).map_err(read_error)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let actual = format!("sha256:{}", hex(&hasher.finalize()));
        if actual != artifact.digest {
            return Err(StorageError::DigestMismatch {
                path,
                expected: artifact.digest.clone(),
                actual,
            });
        }
        file.rewind().map_err(read_error)?;
        Ok(BufReader::new(file))
    }

    /// The whole file, after checking its digest.
    pub fn read(&self, artifact: &Artifact) -> Result<Vec<u8>, StorageError> {
        let path = self.checked_path(&artifact.path)?;
        let bytes = fs::read(&path).map_err(|source| StorageError::Read {
            path: path.clone(),
            source,
        })?;
        let actual = format!("sha256:{}", sha256_hex(&bytes));
        if actual != artifact.digest {
            return Err(StorageError::DigestMismatch {
                path,
                expected: artifact.digest.clone(),
                actual,
            });
        }
        Ok(bytes)
    }

    /// Deletes the object's previous files as Flux's storage garbage collection does
    /// (`--artifact-retention-records` counts `keep`, `--artifact-retention-ttl` comes from
    /// the store's `Retention`); see `garbage_files`. Returns the relative paths deleted.
    pub fn garbage_collect(
        &self,
        kind: ArtifactKind,
        namespace: &str,
        name: &str,
        keep: &Artifact,
        retention_records: usize,
    ) -> Result<Vec<String>, StorageError> {
        let retention = Retention {
            records: retention_records,
            ..self.retention
        };
        let dir = self.object_dir(kind, namespace, name)?;
        let remove_error = |source| StorageError::Remove {
            path: dir.clone(),
            source,
        };
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(remove_error(e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(remove_error)?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            // Another writer's temporary file is theirs until renamed.
            if file_name.starts_with(TEMP_PREFIX) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            files.push(StoredFile {
                name: file_name,
                modified,
            });
        }
        let keep_name = keep.path.rsplit('/').next().unwrap_or_default();
        let garbage = garbage_files(files, keep_name, retention, SystemTime::now());
        let mut deleted = Vec::new();
        let mut first_error = None;
        for file_name in garbage {
            match fs::remove_file(dir.join(&file_name)) {
                Ok(()) => deleted.push(relative_path(kind, namespace, name, Some(&file_name))?),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(remove_error(e)),
            None => Ok(deleted),
        }
    }

    /// Deletes every file of the object (it was deleted).
    pub fn remove_all(
        &self,
        kind: ArtifactKind,
        namespace: &str,
        name: &str,
    ) -> Result<(), StorageError> {
        let dir = self.object_dir(kind, namespace, name)?;
        match fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StorageError::Remove {
                path: dir,
                source: e,
            }),
            _ => Ok(()),
        }
    }

    fn object_dir(
        &self,
        kind: ArtifactKind,
        namespace: &str,
        name: &str,
    ) -> Result<PathBuf, StorageError> {
        Ok(self.root.join(relative_path(kind, namespace, name, None)?))
    }

    /// An artifact path from a status (which a user can edit) mapped back into the store.
    fn checked_path(&self, relative: &str) -> Result<PathBuf, StorageError> {
        let parts: Vec<&str> = relative.split('/').collect();
        let valid = parts.len() == 4
            && [
                ArtifactKind::HelmRepository,
                ArtifactKind::HelmChart,
                ArtifactKind::OciRepository,
            ]
            .iter()
            .any(|k| k.dir_name() == parts[0])
            && is_dns_label(parts[1])
            && is_dns_subdomain(parts[2])
            && is_file_name(parts[3]);
        if !valid {
            return Err(StorageError::InvalidPath(relative.to_owned()));
        }
        Ok(self.root.join(relative))
    }
}

fn relative_path(
    kind: ArtifactKind,
    namespace: &str,
    name: &str,
    file_name: Option<&str>,
) -> Result<String, StorageError> {
    if !is_dns_label(namespace) {
        return Err(StorageError::InvalidPath(format!(
            "namespace '{namespace}' is not a DNS label"
        )));
    }
    if !is_dns_subdomain(name) {
        return Err(StorageError::InvalidPath(format!(
            "name '{name}' is not a DNS subdomain"
        )));
    }
    let mut path = format!("{}/{namespace}/{name}", kind.dir_name());
    if let Some(file_name) = file_name {
        if !is_file_name(file_name) {
            return Err(StorageError::InvalidPath(format!(
                "file name '{file_name}' is not allowed"
            )));
        }
        path.push('/');
        path.push_str(file_name);
    }
    Ok(path)
}

/// RFC 1123 label, as Kubernetes namespaces are.
fn is_dns_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// RFC 1123 subdomain, as object names are: labels joined by dots, so no `..`.
fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// One path component of chart and index file names (`podinfo-6.0.3+1.tgz`).
fn is_file_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
