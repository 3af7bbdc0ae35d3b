//! Loading charts from directories: the test charts of testdata/charts/loader, and charts
//! built in temporary directories for links, irregular files, sizes and bad metadata.
use std::fs;
use std::path::{Path, PathBuf};

use helmsync_engine::chart::{self, ErrorKind};

fn loader_dir() -> PathBuf {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    engine
        .ancestors()
        .nth(2)
        .unwrap_or(engine)
        .join("testdata/charts/loader")
}

/// A chart directory with a valid Chart.yaml and the given extra files.
fn temp_chart(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![("Chart.yaml", "apiVersion: v2\nname: temp\nversion: 1.0.0\n")];
    all.extend_from_slice(files);
    for (name, text) in all {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn file_names(loaded: &chart::Chart) -> Vec<&str> {
    loaded.files.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn a_chart_directory_loads_with_directory_and_archive_subcharts() {
    let loaded = chart::load(&loader_dir().join("umbrella")).unwrap();
    assert_eq!(loaded.name(), "umbrella");
    let subcharts: Vec<&str> = loaded.dependencies.iter().map(|c| c.name()).collect();
    assert_eq!(subcharts, ["backend", "common", "frontend", "worker"]);
    let worker = &loaded.dependencies[3];
    assert_eq!(worker.metadata.version, "0.2.1");
    assert_eq!(worker.values["queue"].as_str(), Some("default"));
    assert_eq!(loaded.dependencies[2].dependencies[0].name(), "widget");
    assert!(loaded.raw_values().unwrap().starts_with(b"global:"));
    assert_eq!(
        loaded.metadata.listed_dependencies().count(),
        5,
        "{:?}",
        loaded.metadata.dependencies
    );
}

#[test]
fn symbolic_links_inside_the_chart_are_followed() {
    let dir = temp_chart(&[("shared/data.txt", "shared"), ("templates/cm.yaml", "x")]);
    std::os::unix::fs::symlink("../shared/data.txt", dir.path().join("templates/link.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("shared", dir.path().join("alias")).unwrap();
    let loaded = chart::load_dir(dir.path()).unwrap();
    let templates: Vec<&str> = loaded.templates.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(templates, ["templates/cm.yaml", "templates/link.yaml"]);
    assert_eq!(&*loaded.templates[1].data, b"shared");
    assert_eq!(file_names(&loaded), ["alias/data.txt", "shared/data.txt"]);
}

#[test]
fn symbolic_links_out_of_the_chart_or_around_a_cycle_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let dir = temp_chart(&[]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("leak.txt"),
    )
    .unwrap();
    let err = chart::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsafe);
    assert!(
        err.to_string()
            .starts_with("symbolic link leak.txt points outside the chart directory"),
        "{err}"
    );

    let dir = temp_chart(&[("a/b/file.txt", "x")]);
    std::os::unix::fs::symlink("../..", dir.path().join("a/b/up")).unwrap();
    let err = chart::load_dir(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "symbolic link a/b/up leads back to a directory that contains it"
    );
}

#[test]
fn irregular_files_are_refused() {
    let dir = temp_chart(&[]);
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let err = chart::load_dir(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot load irregular file {} as it has file mode type bits set",
            fifo.display()
        )
    );
}

#[test]
fn a_chart_directory_larger_than_helms_budget_is_refused() {
    let dir = temp_chart(&[]);
    let big = fs::File::create(dir.path().join("big.bin")).unwrap();
    big.set_len(chart::MAX_DECOMPRESSED_CHART_SIZE + 1).unwrap();
    let err = chart::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "error reading big.bin: chart exceeds maximum decompressed size of 104857600 bytes"
    );
}

#[test]
fn deeply_nested_directories_are_refused() {
    let deep = "d/".repeat(chart::MAX_DIRECTORY_DEPTH + 1);
    let dir = temp_chart(&[(&format!("{deep}f.txt"), "x")]);
    let err = chart::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(
        err.to_string()
            .ends_with("is nested more than 64 levels deep"),
        "{err}"
    );
}

#[test]
fn missing_or_unsupported_charts_get_helms_messages() {
    let empty = tempfile::tempdir().unwrap();
    let chart_yaml = empty.path().join("Chart.yaml");
    assert_eq!(
        chart::load_dir(empty.path()).unwrap_err().to_string(),
        format!(
            "unable to detect chart at {0}: open {0}: no such file or directory",
            chart_yaml.display()
        )
    );
    fs::write(&chart_yaml, "apiVersion: v3\nname: x\nversion: 1.0.0\n").unwrap();
    assert_eq!(
        chart::load_dir(empty.path()).unwrap_err().to_string(),
        "unsupported chart version"
    );
    fs::write(&chart_yaml, "apiVersion: v2\nname: x\nversion: one\n").unwrap();
    assert_eq!(
        chart::load_dir(empty.path()).unwrap_err().to_string(),
        "validation: chart.metadata.version \"one\" is invalid"
    );
    fs::write(&chart_yaml, "apiVersion: v2\nname: [x]\n").unwrap();
    assert_eq!(
        chart::load_dir(empty.path()).unwrap_err().to_string(),
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot \
         unmarshal array into Go struct field Metadata.name of type string"
    );
}

#[test]
fn byte_order_marks_are_dropped_and_helmignore_can_hide_chart_yaml() {
    let dir = temp_chart(&[("values.yaml", "\u{FEFF}a: 1\n")]);
    let loaded = chart::load_dir(dir.path()).unwrap();
    assert_eq!(loaded.values["a"].type_name(), "float64");
    fs::write(dir.path().join(".helmignore"), "Chart.yaml\n").unwrap();
    assert_eq!(
        chart::load_dir(dir.path()).unwrap_err().to_string(),
        "Chart.yaml file is missing"
    );
    fs::write(dir.path().join(".helmignore"), "a/**/b\n").unwrap();
    assert_eq!(
        chart::load_dir(dir.path()).unwrap_err().to_string(),
        "double-star (**) syntax is not supported"
    );
}
