//! Chart archives as untrusted input: the hostile archives of testdata/archives (made by
//! its generate.py) are each refused with the right message, and nothing is written; limits
//! that need large inputs are checked with archives built here in memory.
use std::io::Write;
use std::path::{Path, PathBuf};

use helmsync_engine::chart::{self, ErrorKind};

fn archives_dir() -> PathBuf {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    engine
        .ancestors()
        .nth(2)
        .unwrap_or(engine)
        .join("testdata/archives")
}

fn archive(name: &str) -> Vec<u8> {
    std::fs::read(archives_dir().join(name)).unwrap()
}

/// Every file name under `dir`, recursively.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            names.extend(listing(&path));
        }
        names.push(path);
    }
    names.sort();
    names
}

#[test]
fn hostile_archives_are_refused_with_their_reason_and_nothing_is_written() {
    let cases: &[(&str, ErrorKind, &str)] = &[
        (
            "traversal.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally references parent directory",
        ),
        (
            "backslash-traversal.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally references parent directory",
        ),
        (
            "long-name-traversal.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally references parent directory",
        ),
        (
            "pax-traversal.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally references parent directory",
        ),
        (
            "absolute.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally contains absolute paths",
        ),
        (
            "drive-path.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart contains illegally named files",
        ),
        (
            "no-top-directory.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart illegally contains content outside the base \
             directory: \"Chart.yaml\"",
        ),
        (
            "chart-yaml-as-directory.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart yaml not in base directory",
        ),
        (
            "symlink.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive entry \
             \"hostile/templates/passwd.yaml\" is a symbolic link, not a regular file",
        ),
        (
            "hardlink.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive entry \
             \"hostile/templates/copy.yaml\" is a hard link, not a regular file",
        ),
        (
            "device.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive entry \
             \"hostile/templates/null.yaml\" is a device, not a regular file",
        ),
        (
            "fifo.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive entry \
             \"hostile/templates/pipe.yaml\" is a named pipe, not a regular file",
        ),
        (
            "duplicate.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive has more than one entry for \
             \"values.yaml\"",
        ),
        (
            "duplicate-after-cleaning.tgz",
            ErrorKind::Unsafe,
            "unable to load chart archive: chart archive has more than one entry for \
             \"values.yaml\"",
        ),
        (
            "decompression-bomb.tgz",
            ErrorKind::Limit,
            "unable to load chart archive: decompressed chart is larger than the maximum size \
             104857600",
        ),
        (
            "not-gzip.tgz",
            ErrorKind::Load,
            "stream does not appear to be a valid chart file (details: gzip: invalid header)",
        ),
        (
            "empty.tgz",
            ErrorKind::Load,
            "unable to load chart archive: no files in chart archive",
        ),
        (
            "no-chart-yaml.tgz",
            ErrorKind::Load,
            "unable to detect chart version, no Chart.yaml found",
        ),
        (
            "hostile-subchart.tgz",
            ErrorKind::Unsafe,
            "error unpacking subchart sub-0.1.0.tgz in hostile: chart illegally references \
             parent directory",
        ),
    ];
    let dir = archives_dir();
    let parent = dir.parent().unwrap().to_path_buf();
    let before = listing(&parent);
    let mut failures = Vec::new();
    for &(name, kind, message) in cases {
        match chart::load_archive(&archive(name)) {
            Ok(_) => failures.push(format!("{name}: loaded")),
            Err(e) if e.to_string() != message || e.kind() != kind => {
                failures.push(format!("{name}: {:?} {e}", e.kind()));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(listing(&parent), before, "loading archives wrote files");
    assert!(!parent.join("evil.yaml").exists() && !dir.join("evil.yaml").exists());
}

#[test]
fn a_file_that_is_not_gzip_is_named_in_the_error() {
    let path = archives_dir().join("not-gzip.tgz");
    let err = chart::load(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "file '{}' does not appear to be a gzipped archive; got 'application/octet-stream'",
            path.display()
        )
    );
}

#[test]
fn a_valid_archive_loads_with_its_subchart_archive() {
    let loaded = chart::load(&archives_dir().join("valid.tgz")).unwrap();
    assert_eq!(loaded.name(), "valid");
    assert_eq!(loaded.metadata.version, "1.2.3");
    assert_eq!(loaded.dependencies.len(), 1);
    assert_eq!(loaded.dependencies[0].name(), "sub");
    let templates: Vec<String> = loaded
        .all_templates()
        .into_iter()
        .map(|t| t.full_name)
        .collect();
    assert_eq!(
        templates,
        [
            "valid/templates/cm.yaml",
            "valid/charts/sub/templates/cm.yaml"
        ]
    );
    let crds: Vec<String> = loaded
        .crd_objects()
        .into_iter()
        .map(|c| c.filename)
        .collect();
    assert_eq!(crds, ["valid/crds/crd.yaml"]);
}

/// A gzipped tar of `files` (name, data), built in memory.
fn tgz(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, data.as_slice())
            .unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&tar).unwrap();
    encoder.finish().unwrap()
}

fn chart_yaml(top: &str, name: &str) -> (String, Vec<u8>) {
    (
        format!("{top}/Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n").into_bytes(),
    )
}

#[test]
fn archives_with_too_many_entries_are_refused() {
    let mut files = vec![chart_yaml("many", "many")];
    for i in 0..chart::MAX_CHART_FILES {
        files.push((format!("many/f/{i}"), Vec::new()));
    }
    let err = chart::load_archive(&tgz(&files)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "unable to load chart archive: chart archive has more than 20000 entries"
    );
}

#[test]
fn subchart_archives_nest_only_so_deep() {
    let mut inner = tgz(&[chart_yaml("c", "c")]);
    for _ in 0..=chart::MAX_SUBCHART_DEPTH {
        inner = tgz(&[chart_yaml("c", "c"), ("c/charts/c.tgz".to_owned(), inner)]);
    }
    let err = chart::load_archive(&inner).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(
        err.to_string()
            .ends_with("subchart c.tgz is nested more than 20 levels deep"),
        "{err}"
    );
    let mut shallow = tgz(&[chart_yaml("c", "c")]);
    for _ in 0..3 {
        shallow = tgz(&[chart_yaml("c", "c"), ("c/charts/c.tgz".to_owned(), shallow)]);
    }
    assert!(chart::load_archive(&shallow).is_ok());
}

#[test]
fn damaged_archives_fail_without_panicking() {
    let valid = archive("valid.tgz");
    for cut in [1, 5, 12, valid.len() / 2] {
        assert!(chart::load_archive(&valid[..cut]).is_err(), "cut at {cut}");
    }
    assert_eq!(
        chart::load_archive(&[]).unwrap_err().to_string(),
        "unable to load chart archive: EOF"
    );
    // Flipping any single byte must give a chart or an error, never a panic.
    for i in 0..valid.len() {
        let mut damaged = valid.clone();
        damaged[i] ^= 0x5A;
        let _ = chart::load_archive(&damaged);
    }
}
