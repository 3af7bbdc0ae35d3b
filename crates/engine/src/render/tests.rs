//! Rendering whole charts: scoping, notes, hooks, CRDs and the errors Helm reports.
use super::*;
use crate::chart::{File, Metadata};
use crate::funcs::DeterministicEnvironment;

fn chart(name: &str, templates: &[(&str, &str)], dependencies: Vec<Chart>) -> Chart {
    Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: name.into(),
            version: "0.1.0".into(),
            ..Metadata::default()
        },
        templates: templates
            .iter()
            .map(|(n, t)| File::new(format!("templates/{n}"), t.as_bytes().to_vec()))
            .collect(),
        dependencies,
        ..Chart::default()
    }
}

fn options() -> Options {
    Options::new(
        ReleaseOptions::install("rel", "ns"),
        Arc::new(DeterministicEnvironment::new(0)),
    )
}

fn values(json: &str) -> Map {
    crate::json::parse(json)
        .ok()
        .and_then(|v| v.as_map().map(|m| m.as_ref().clone()))
        .unwrap_or_default()
}

fn render_one(text: &str) -> Result<String, Error> {
    let top = chart("top", &[("t.yaml", text)], vec![]);
    let files = render_templates(&top, &Map::new(), &options())?;
    Ok(files["top/templates/t.yaml"].clone())
}

#[test]
fn templates_see_their_chart_scope_release_and_capabilities() {
    let sub = chart(
        "sub",
        &[(
            "s.yaml",
            "sub: {{ .Values.x }} {{ .Chart.Name }} {{ .Template.BasePath }}",
        )],
        vec![],
    );
    let top = chart(
        "top",
        &[(
            "t.yaml",
            "top: {{ .Values.sub.x }} {{ .Release.Name }}/{{ .Release.Namespace }} \
             {{ .Release.IsInstall }} {{ .Release.Revision }} \
             {{ .Capabilities.KubeVersion.Version }} {{ .Subcharts.sub.Template.Name }} \
             [{{ .Values.missing }}]",
        )],
        vec![sub],
    );
    let files = render_templates(&top, &values(r#"{"sub": {"x": "y"}}"#), &options()).unwrap();
    assert_eq!(
        files["top/templates/t.yaml"],
        "top: y rel/ns true 1 v1.37.0 top/charts/sub/templates/s.yaml []"
    );
    assert_eq!(
        files["top/charts/sub/templates/s.yaml"],
        "sub: y sub top/charts/sub/templates"
    );
}

#[test]
fn the_top_charts_definitions_win_and_partials_are_not_rendered() {
    let sub = chart(
        "sub",
        &[
            ("_h.tpl", r#"{{ define "name" }}sub{{ end }}"#),
            ("s.yaml", r#"{{ include "name" . }}"#),
        ],
        vec![],
    );
    let top = chart(
        "top",
        &[("_h.tpl", r#"{{ define "name" }}top{{ end }}"#)],
        vec![sub],
    );
    let files = render_templates(&top, &Map::new(), &options()).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files["top/charts/sub/templates/s.yaml"], "top");
}

#[test]
fn library_charts_contribute_only_their_definitions() {
    let mut library = chart(
        "lib",
        &[
            ("_h.tpl", r#"{{ define "lib.name" }}from-lib{{ end }}"#),
            ("cm.yaml", "never rendered"),
        ],
        vec![],
    );
    library.metadata.chart_type = "library".into();
    let top = chart(
        "top",
        &[("t.yaml", r#"{{ include "lib.name" . }}"#)],
        vec![library],
    );
    let files = render_templates(&top, &Map::new(), &options()).unwrap();
    assert_eq!(files.keys().collect::<Vec<_>>(), ["top/templates/t.yaml"]);
    assert_eq!(files["top/templates/t.yaml"], "from-lib");
}

#[test]
fn files_are_served_to_templates() {
    let mut top = chart(
        "top",
        &[(
            "t.yaml",
            r#"{{ .Files.Get "conf/a.txt" }}|{{ (.Files.Glob "conf/*").AsConfig }}"#,
        )],
        vec![],
    );
    top.files = vec![File::new("conf/a.txt", b"hello".to_vec())];
    let files = render_templates(&top, &Map::new(), &options()).unwrap();
    assert_eq!(files["top/templates/t.yaml"], "hello|a.txt: hello");
}

#[test]
fn lookup_uses_the_callback_when_given() {
    let mut options = options();
    assert_eq!(
        render_one(r#"{{ lookup "v1" "ConfigMap" "ns" "x" }}"#).unwrap(),
        "map[]"
    );
    options.lookup = Some(Arc::new(|api: &str, kind: &str, ns: &str, name: &str| {
        if name == "missing" {
            return Err("not reachable".to_owned());
        }
        Ok([(
            "found".to_owned(),
            crate::value::Value::from(format!("{api}/{kind}/{ns}/{name}")),
        )]
        .into())
    }));
    let top = chart(
        "top",
        &[(
            "t.yaml",
            r#"{{ (lookup "v1" "ConfigMap" "ns" "x").found }}"#,
        )],
        vec![],
    );
    let files = render_templates(&top, &Map::new(), &options).unwrap();
    assert_eq!(files["top/templates/t.yaml"], "v1/ConfigMap/ns/x");
    let failing = chart(
        "top",
        &[("t.yaml", r#"{{ lookup "v1" "Pod" "" "missing" }}"#)],
        vec![],
    );
    let err = render_templates(&failing, &Map::new(), &options).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("error calling lookup: not reachable"),
        "{err}"
    );
}

#[test]
fn template_errors_read_as_helm_reports_them() {
    let err = render_one("{{ .Values.a.b }}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Exec);
    assert_eq!(
        err.to_string(),
        "top/templates/t.yaml:1:10\n  executing \"top/templates/t.yaml\" at <.Values.a.b>:\n    \
         nil pointer evaluating interface {}.b"
    );
    assert_eq!(
        render_one(r#"{{ required "need a value" .Values.x }}"#)
            .unwrap_err()
            .to_string(),
        "execution error at (top/templates/t.yaml:1:3): need a value"
    );
    assert_eq!(
        render_one("{{ if }}").unwrap_err().to_string(),
        "parse error at (top/templates/t.yaml:1): missing value for if"
    );
    assert_eq!(
        render_one(r#"{{ include "nope" . }}"#)
            .unwrap_err()
            .to_string(),
        "top/templates/t.yaml:1:3\n  executing \"top/templates/t.yaml\" at <include \"nope\" .>:\n    \
         error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\""
    );
    assert_eq!(
        render_one("{{ eq 1.0 1 }}").unwrap_err().to_string(),
        "template: top/templates/t.yaml:1:3: executing \"top/templates/t.yaml\" at <eq 1.0 1>: \
         error calling eq: incompatible types for comparison: float64 and int"
    );
}

#[test]
fn strict_mode_fails_on_missing_keys() {
    let mut options = options();
    options.strict = true;
    let top = chart("top", &[("t.yaml", "{{ .Values.missing }}")], vec![]);
    let err = render_templates(&top, &Map::new(), &options).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("map has no entry for key \"missing\""),
        "{err}"
    );
}

const HOOKED: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  \
                      annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: \"3\"\n";

#[test]
fn render_separates_hooks_notes_and_crds_and_sorts_manifests() {
    let mut sub = chart(
        "sub",
        &[
            ("NOTES.txt", "sub notes"),
            ("cm.yaml", "kind: ConfigMap\nmetadata:\n  name: c\n"),
        ],
        vec![],
    );
    sub.files = vec![File::new(
        "crds/b.yaml",
        b"kind: CustomResourceDefinition\n".to_vec(),
    )];
    let mut top = chart(
        "top",
        &[
            ("NOTES.txt", "installed {{ .Release.Name }}"),
            (
                "deploy.yaml",
                "kind: Deployment\nmetadata:\n  name: d\n---\nkind: Service\n",
            ),
            ("job.yaml", HOOKED),
            ("empty.yaml", "  \n"),
        ],
        vec![sub],
    );
    top.files = vec![File::new(
        "crds/a.yaml",
        b"kind: CustomResourceDefinition\n".to_vec(),
    )];
    let rendered = render(&top, &Map::new(), &options()).unwrap();
    let kinds: Vec<&str> = rendered
        .manifests
        .iter()
        .map(|m| m.head.kind.as_str())
        .collect();
    assert_eq!(kinds, ["ConfigMap", "Service", "Deployment"]);
    assert_eq!(rendered.notes, "installed rel");
    assert_eq!(rendered.hooks.len(), 1);
    assert_eq!(rendered.hooks[0].weight, 3);
    assert_eq!(rendered.hooks[0].events, [HookEvent::PreInstall]);
    let crds: Vec<&str> = rendered.crds.iter().map(|c| c.filename.as_str()).collect();
    assert_eq!(crds, ["top/crds/a.yaml", "top/charts/sub/crds/b.yaml"]);
    assert!(
        rendered
            .manifest(true)
            .starts_with("---\n# Source: top/crds/a.yaml\n")
    );
    assert!(
        rendered
            .manifest(false)
            .starts_with("---\n# Source: top/charts/sub/templates/cm.yaml\nkind: ConfigMap\n")
    );

    let mut options = options();
    options.sub_notes = true;
    let rendered = render(&top, &Map::new(), &options).unwrap();
    assert_eq!(rendered.notes, "sub notes\ninstalled rel");
}

#[test]
fn render_checks_the_release_name_and_the_kube_version() {
    let mut options = options();
    options.release.name = "Bad_Name".into();
    let top = chart("top", &[], vec![]);
    let err = render(&top, &Map::new(), &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReleaseName);
    assert!(!err.is_render_failure());
    assert!(err.to_string().starts_with(
        "release name check failed: release name \"Bad_Name\": invalid release name, must match regex"
    ));

    let mut top = chart("top", &[], vec![]);
    top.metadata.kube_version = ">=1.38.0-0".into();
    let err = render(&top, &Map::new(), &self::options()).unwrap_err();
    assert!(err.is_render_failure());
    assert_eq!(
        err.to_string(),
        "chart requires kubeVersion: >=1.38.0-0 which is incompatible with Kubernetes v1.37.0"
    );
    top.metadata.kube_version = ">=1.30.0-0".into();
    assert!(render(&top, &Map::new(), &self::options()).is_ok());
}

#[test]
fn release_names_follow_helm_rules() {
    assert!(validate_release_name("my-release.v2").is_ok());
    assert_eq!(validate_release_name("").unwrap_err(), "no name provided");
    assert!(validate_release_name("-a").is_err());
    assert!(validate_release_name("a..b").is_err());
    assert!(validate_release_name(&"a".repeat(MAX_RELEASE_NAME_LEN)).is_ok());
    assert!(validate_release_name(&"a".repeat(MAX_RELEASE_NAME_LEN + 1)).is_err());
}

#[test]
fn malformed_manifests_fail_with_the_file_name() {
    let top = chart("top", &[("bad.yaml", "a: [\n")], vec![]);
    let err = render(&top, &Map::new(), &options()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Manifest);
    assert!(
        err.to_string().starts_with(
            "YAML parse error on top/templates/bad.yaml: error converting YAML to JSON: yaml: line"
        ),
        "{err}"
    );
}
