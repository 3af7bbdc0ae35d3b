#![allow(clippy::unwrap_used)]
use std::time::Duration;

use super::*;

fn storage() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::new(dir.path(), "http://store.local/");
    (dir, storage)
}

#[test]
fn stores_under_flux_paths_and_reads_back_verified() {
    let (_dir, storage) = storage();
    let artifact = storage
        .store(
            ArtifactKind::HelmChart,
            "ns",
            "app",
            "app-1.0.0.tgz",
            b"chart",
        )
        .unwrap()
        .with_revision("1.0.0");
    assert_eq!(artifact.path, "helmchart/ns/app/app-1.0.0.tgz");
    assert_eq!(
        artifact.url,
        "http://store.local/helmchart/ns/app/app-1.0.0.tgz"
    );
    assert_eq!(artifact.size, 5);
    assert_eq!(artifact.digest, format!("sha256:{}", sha256_hex(b"chart")));
    assert_eq!(storage.read(&artifact).unwrap(), b"chart");
    let mut text = String::new();
    storage
        .open(&artifact)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "chart");
    let api: meta::Artifact = artifact.into();
    assert_eq!(api.revision, "1.0.0");
    assert_eq!(api.size, Some(5));
}

#[test]
fn a_changed_file_fails_verification() {
    let (dir, storage) = storage();
    let artifact = storage
        .store(
            ArtifactKind::HelmRepository,
            "ns",
            "repo",
            "index-a.yaml",
            b"a",
        )
        .unwrap();
    fs::write(dir.path().join(&artifact.path), b"b").unwrap();
    let err = storage.read(&artifact).unwrap_err();
    assert_eq!(err.reason(), "ArtifactVerificationFailed");
    assert!(err.to_string().contains("expected sha256:"), "{err}");
    assert!(storage.open(&artifact).is_err());
}

#[test]
fn paths_that_leave_the_store_are_refused() {
    let (_dir, storage) = storage();
    for (ns, name, file) in [
        ("..", "a", "f"),
        ("ns", "a/../b", "f"),
        ("ns", "a", "../f"),
        ("ns", "a", ".hidden"),
        ("NS", "a", "f"),
    ] {
        let err = storage
            .store(ArtifactKind::HelmChart, ns, name, file, b"")
            .unwrap_err();
        assert_eq!(err.reason(), "InvalidPath", "{ns}/{name}/{file}");
    }
    let forged = Artifact {
        path: "helmchart/ns/../../etc/passwd".to_owned(),
        url: String::new(),
        revision: String::new(),
        digest: String::new(),
        last_update_time: String::new(),
        size: 0,
    };
    assert_eq!(storage.read(&forged).unwrap_err().reason(), "InvalidPath");
}

#[test]
fn garbage_collection_keeps_current_and_newest_records() {
    let (dir, storage) = storage();
    let mut last = None;
    for i in 0..4 {
        let file = format!("app-1.0.{i}.tgz");
        last = Some(
            storage
                .store(ArtifactKind::HelmChart, "ns", "app", &file, file.as_bytes())
                .unwrap(),
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let keep = last.unwrap();
    let deleted = storage
        .garbage_collect(ArtifactKind::HelmChart, "ns", "app", &keep, 2)
        .unwrap();
    assert_eq!(
        deleted,
        [
            "helmchart/ns/app/app-1.0.0.tgz",
            "helmchart/ns/app/app-1.0.1.tgz"
        ]
    );
    let left: Vec<_> = fs::read_dir(dir.path().join("helmchart/ns/app"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 2);
    storage
        .remove_all(ArtifactKind::HelmChart, "ns", "app")
        .unwrap();
    assert!(!dir.path().join("helmchart/ns/app").exists());
    storage
        .remove_all(ArtifactKind::HelmChart, "ns", "app")
        .unwrap();
}

/// Stores `file` for `ns/app` and dates it `age` back.
fn stored_aged(storage: &Storage, dir: &Path, file: &str, age: Duration) -> Artifact {
    let artifact = storage
        .store(ArtifactKind::HelmChart, "ns", "app", file, file.as_bytes())
        .unwrap();
    File::options()
        .write(true)
        .open(dir.join(&artifact.path))
        .unwrap()
        .set_modified(SystemTime::now() - age)
        .unwrap();
    artifact
}

fn left_in(dir: &Path) -> Vec<String> {
    let mut left: Vec<_> = fs::read_dir(dir.join("helmchart/ns/app"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    left
}

#[test]
fn files_older_than_the_retention_ttl_are_deleted_within_the_record_count() {
    let (dir, storage) = storage();
    let storage = storage.with_retention(Retention {
        ttl: Duration::from_secs(60),
        records: 5,
    });
    stored_aged(
        &storage,
        dir.path(),
        "app-1.0.0.tgz",
        Duration::from_secs(90),
    );
    stored_aged(
        &storage,
        dir.path(),
        "app-1.0.1.tgz",
        Duration::from_secs(30),
    );
    let current = stored_aged(&storage, dir.path(), "app-1.0.2.tgz", Duration::ZERO);
    let deleted = storage
        .garbage_collect(ArtifactKind::HelmChart, "ns", "app", &current, 5)
        .unwrap();
    assert_eq!(deleted, ["helmchart/ns/app/app-1.0.0.tgz"]);
    assert_eq!(left_in(dir.path()), ["app-1.0.1.tgz", "app-1.0.2.tgz"]);
}

#[test]
fn an_expired_current_artifact_is_kept() {
    let (dir, storage) = storage();
    let storage = storage.with_retention(Retention {
        ttl: Duration::from_secs(1),
        records: 2,
    });
    let current = stored_aged(
        &storage,
        dir.path(),
        "app-1.0.0.tgz",
        Duration::from_secs(3600),
    );
    let deleted = storage
        .garbage_collect(ArtifactKind::HelmChart, "ns", "app", &current, 2)
        .unwrap();
    assert!(deleted.is_empty(), "{deleted:?}");
    assert_eq!(left_in(dir.path()), ["app-1.0.0.tgz"]);
}

#[test]
fn young_files_beyond_the_record_count_are_deleted_oldest_first() {
    let (dir, storage) = storage();
    let storage = storage.with_retention(Retention {
        ttl: Duration::from_secs(3600),
        records: 3,
    });
    for (file, age) in [("b.tgz", 40), ("a.tgz", 30), ("d.tgz", 20), ("c.tgz", 10)] {
        stored_aged(&storage, dir.path(), file, Duration::from_secs(age));
    }
    let current = stored_aged(&storage, dir.path(), "e.tgz", Duration::ZERO);
    let deleted = storage
        .garbage_collect(ArtifactKind::HelmChart, "ns", "app", &current, 3)
        .unwrap();
    assert_eq!(
        deleted,
        ["helmchart/ns/app/b.tgz", "helmchart/ns/app/a.tgz"]
    );
    assert_eq!(left_in(dir.path()), ["c.tgz", "d.tgz", "e.tgz"]);
}
