//! The CRDs in crds/ are generated from the API types, and serve every field of Flux's own
//! CRDs with the same type, validation and defaults.
#![allow(clippy::expect_used)] // helpers fail the test by panicking, as tests do
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value as Json;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_to_json(text: &str) -> Json {
    let value = helmsync_engine::yaml::parse(text).expect("valid YAML");
    serde_json::from_str(&helmsync_engine::json::to_json(&value).expect("JSON")).expect("JSON")
}

fn ours() -> BTreeMap<String, (String, Json)> {
    helmsync::cli::crds::render_all()
        .expect("render CRDs")
        .into_iter()
        .map(|(file, yaml)| {
            let json = yaml_to_json(&yaml);
            let name = json["metadata"]["name"].as_str().expect("name").to_owned();
            (name, (file, json))
        })
        .collect()
}

#[test]
fn the_crds_directory_matches_the_api_types() {
    let rendered = helmsync::cli::crds::render_all().expect("render CRDs");
    let mut stale = Vec::new();
    for (file, yaml) in &rendered {
        let on_disk = std::fs::read_to_string(repo().join("crds").join(file)).unwrap_or_default();
        if &on_disk != yaml {
            stale.push(file.clone());
        }
    }
    let expected: Vec<&String> = rendered.iter().map(|(f, _)| f).collect();
    for entry in std::fs::read_dir(repo().join("crds")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && !expected.contains(&&name) {
            stale.push(format!("{name} (no longer generated)"));
        }
    }
    assert!(
        stale.is_empty(),
        "crds/ is out of date with src/api ({}); regenerate with: cargo run -- crds --output-dir crds",
        stale.join(", ")
    );
}

fn flux_crd(component: &str, file: &str) -> Json {
    let out = std::process::Command::new(repo().join("tools/build"))
        .args(["--path", component])
        .output()
        .expect("tools/build");
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let path = dir.join("config/crd/bases").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "Flux's CRD {} is missing ({e}); run: tools/build flux",
            path.display()
        )
    });
    yaml_to_json(&text)
}

/// Schema keywords that change what the API server accepts or stores (not descriptions).
const KEYWORDS: [&str; 12] = [
    "type",
    "enum",
    "pattern",
    "default",
    "format",
    "minimum",
    "maximum",
    "maxLength",
    "minLength",
    "maxItems",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
];

fn compare_schema(path: &str, flux: &Json, ours: &Json, diffs: &mut Vec<String>) {
    for key in KEYWORDS {
        if flux.get(key) != ours.get(key) {
            diffs.push(format!(
                "{path}: {key} is {:?} in Flux, {:?} in helmsync",
                flux.get(key),
                ours.get(key)
            ));
        }
    }
    let sorted = |v: Option<&Json>| {
        let mut names: Vec<String> = v
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    if sorted(flux.get("required")) != sorted(ours.get("required")) {
        diffs.push(format!(
            "{path}: required is {:?} in Flux, {:?} in helmsync",
            sorted(flux.get("required")),
            sorted(ours.get("required"))
        ));
    }
    let rules = |v: &Json| -> Vec<String> {
        v.get("x-kubernetes-validations")
            .and_then(Json::as_array)
            .map(|a| a.iter().map(|r| r["rule"].to_string()).collect())
            .unwrap_or_default()
    };
    if rules(flux) != rules(ours) {
        diffs.push(format!(
            "{path}: CEL rules {:?} in Flux, {:?} in helmsync",
            rules(flux),
            rules(ours)
        ));
    }
    let empty = serde_json::Map::new();
    let flux_props = flux
        .get("properties")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let our_props = ours
        .get("properties")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    for (name, schema) in flux_props {
        match our_props.get(name) {
            Some(o) => compare_schema(&format!("{path}.{name}"), schema, o, diffs),
            None => diffs.push(format!("{path}.{name}: missing in helmsync")),
        }
    }
    for name in our_props.keys().filter(|n| !flux_props.contains_key(*n)) {
        diffs.push(format!("{path}.{name}: not in Flux"));
    }
    for key in ["items", "additionalProperties"] {
        match (flux.get(key), ours.get(key)) {
            (Some(f), Some(o)) if f.is_object() => {
                compare_schema(&format!("{path}.{key}"), f, o, diffs)
            }
            (f, o) if f != o => {
                diffs.push(format!("{path}.{key}: {f:?} in Flux, {o:?} in helmsync"))
            }
            _ => {}
        }
    }
}

fn compare_crd(flux: &Json, ours: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    for key in ["group", "scope", "names"] {
        let mut f = flux["spec"][key].clone();
        let mut o = ours["spec"][key].clone();
        if key == "names" {
            // listKind is derived by the API server when omitted.
            f.as_object_mut().map(|m| m.remove("listKind"));
            o.as_object_mut().map(|m| m.remove("listKind"));
        }
        if f != o {
            diffs.push(format!("spec.{key}: {f} in Flux, {o} in helmsync"));
        }
    }
    let versions = ours["spec"]["versions"].as_array().expect("versions");
    for fv in flux["spec"]["versions"].as_array().expect("versions") {
        let name = fv["name"].as_str().expect("version name");
        if fv["served"] != Json::Bool(true) {
            continue;
        }
        let Some(ov) = versions.iter().find(|v| v["name"] == fv["name"]) else {
            diffs.push(format!("version {name} is served by Flux, not by helmsync"));
            continue;
        };
        for key in [
            "served",
            "storage",
            "additionalPrinterColumns",
            "subresources",
        ] {
            if fv[key] != ov[key] {
                diffs.push(format!(
                    "{name}.{key}: {} in Flux, {} in helmsync",
                    fv[key], ov[key]
                ));
            }
        }
        compare_schema(
            name,
            &fv["schema"]["openAPIV3Schema"],
            &ov["schema"]["openAPIV3Schema"],
            &mut diffs,
        );
    }
    diffs
}

#[test]
fn every_flux_source_field_is_served_with_the_same_schema() {
    let ours = ours();
    let mut report = Vec::new();
    for plural in ["helmrepositories", "helmcharts", "ocirepositories"] {
        let name = format!("{plural}.source.toolkit.fluxcd.io");
        let flux = flux_crd(
            "flux-source",
            &format!("source.toolkit.fluxcd.io_{plural}.yaml"),
        );
        let (_, our_crd) = ours
            .get(&name)
            .unwrap_or_else(|| panic!("helmsync does not serve {name}"));
        for diff in compare_crd(&flux, our_crd) {
            report.push(format!("{name}: {diff}"));
        }
    }
    assert!(
        report.is_empty(),
        "{} difference(s) from Flux:\n{}",
        report.len(),
        report.join("\n")
    );
}
