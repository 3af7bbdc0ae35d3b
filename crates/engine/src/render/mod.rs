//! Helm's rendering of a chart, as `helm install` and `helm template` do it (Helm v4.3.1's
//! `pkg/engine`, `pkg/action`'s `renderResources` and `pkg/release/v1/util`): dependencies
//! processed, values coalesced and checked against the schemas, every template executed
//! with its chart's scope, NOTES.txt taken out, manifests split from hooks and sorted into
//! install order, CRDs listed.
//!
//! Pure: the clock, randomness and DNS come from the options' [`Environment`], cluster
//! reads (`lookup`) from an optional callback; nothing is read from or written to disk.
//!
//! ```
//! use std::sync::Arc;
//! use helmsync_engine::chart::{Chart, File, Metadata};
//! use helmsync_engine::funcs::DeterministicEnvironment;
//! use helmsync_engine::render::{self, Options, ReleaseOptions};
//! use helmsync_engine::Map;
//!
//! let chart = Chart {
//!     metadata: Metadata { api_version: "v2".into(), name: "demo".into(),
//!                          version: "0.1.0".into(), ..Metadata::default() },
//!     templates: vec![File::new("templates/cm.yaml",
//!         b"kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n".to_vec())],
//!     ..Chart::default()
//! };
//! let release = ReleaseOptions::install("web", "default");
//! let options = Options::new(release, Arc::new(DeterministicEnvironment::new(0)));
//! let rendered = render::render(&chart, &Map::new(), &options)?;
//! assert_eq!(rendered.manifests[0].head.name(), "web");
//! # Ok::<(), render::Error>(())
//! ```
mod capabilities;
mod capability_objects;
mod context;
mod engine;
mod error;
mod files;
mod glob;
mod head;
mod manifest;
mod method_args;
mod output;
mod path_match;
mod schema;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use capabilities::{
    BuildInfo, Capabilities, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, KubeVersion,
};
pub use engine::join_path;
pub use error::{Error, ErrorKind};
pub use files::Files;
pub use glob::{Glob, MAX_GLOB_NESTING};
pub use head::{Head, HeadMetadata, parse_head};
pub use manifest::{
    HOOK_ANNOTATION, HOOK_DELETE_ANNOTATION, HOOK_OUTPUT_LOG_ANNOTATION, HOOK_WEIGHT_ANNOTATION,
    Hook, HookEvent, INSTALL_ORDER, Manifest, UNINSTALL_ORDER, sort_by_kind, sort_manifests,
    split_manifests,
};
pub use output::{source_doc, template_text};
pub use path_match::path_match;

use crate::chart::{self, Chart};
use crate::funcs::Environment;
use crate::semver::{Constraints, Version};
use crate::value::Map;

/// The most characters Helm allows in a release name.
pub const MAX_RELEASE_NAME_LEN: usize = 53;

/// The suffix that marks a chart's notes template.
const NOTES_SUFFIX: &str = "NOTES.txt";

/// Reads a cluster object for `lookup`: `(apiVersion, kind, namespace, name)` to the
/// object (or, with an empty name, a list), an empty map when there is none; `Err` holds
/// the message the template error reports.
pub type Lookup = dyn Fn(&str, &str, &str, &str) -> Result<Map, String> + Send + Sync;

/// Helm's `ReleaseOptions`: `.Release` of the render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    pub is_install: bool,
}

impl ReleaseOptions {
    /// A first install at revision 1, as `helm install` and `helm template` render.
    pub fn install(name: &str, namespace: &str) -> ReleaseOptions {
        ReleaseOptions {
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            revision: 1,
            is_upgrade: false,
            is_install: true,
        }
    }
}

/// How to render.
#[derive(Clone)]
pub struct Options {
    pub release: ReleaseOptions,
    pub capabilities: Capabilities,
    /// The clock, random source and resolver for Sprig's non-hermetic functions.
    pub environment: Arc<dyn Environment>,
    /// Answers `lookup`; without it `lookup` finds nothing, as without a cluster.
    pub lookup: Option<Arc<Lookup>>,
    /// Helm's strict mode: a missing map key is an error (`missingkey=error`).
    pub strict: bool,
    /// Include subcharts' NOTES.txt in the notes (`--render-subchart-notes`).
    pub sub_notes: bool,
    /// Skip values.schema.json validation.
    pub skip_schema_validation: bool,
}

impl Options {
    /// `helm template`'s defaults: Helm's default capabilities, no cluster, not strict.
    pub fn new(release: ReleaseOptions, environment: Arc<dyn Environment>) -> Options {
        Options {
            release,
            capabilities: Capabilities::helm_default(),
            environment,
            lookup: None,
            strict: false,
            sub_notes: false,
            skip_schema_validation: false,
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("release", &self.release)
            .field("capabilities", &self.capabilities)
            .field("lookup", &self.lookup.is_some())
            .field("strict", &self.strict)
            .field("sub_notes", &self.sub_notes)
            .field("skip_schema_validation", &self.skip_schema_validation)
            .finish_non_exhaustive()
    }
}

/// A file of a chart's (or a subchart's) `crds/` directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crd {
    /// The name within its chart: `crds/x.yaml`.
    pub name: String,
    /// With the chart's full path: `top/charts/sub/crds/x.yaml`.
    pub filename: String,
    pub data: Arc<[u8]>,
}

/// A rendered chart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Every document that is not a hook, in install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, in install order of their kinds (Helm orders them by weight when it runs
    /// them).
    pub hooks: Vec<Hook>,
    /// The top chart's NOTES.txt (and subcharts' with `sub_notes`), rendered.
    pub notes: String,
    /// CRD files of the chart and its enabled subcharts, in Helm's order.
    pub crds: Vec<Crd>,
}

/// Helm's install rendering: checks the release name, processes dependencies against
/// `user_values`, coalesces and validates the values, checks the chart's `kubeVersion`,
/// renders every template and sorts the result.
pub fn render(chart: &Chart, user_values: &Map, options: &Options) -> Result<Rendered, Error> {
    validate_release_name(&options.release.name).map_err(|e| {
        let name = crate::gofmt::quote(&options.release.name);
        Error::new(
            ErrorKind::ReleaseName,
            format!("release name check failed: release name {name}: {e}"),
        )
    })?;
    let mut chart = chart.clone();
    chart::process_dependencies(&mut chart, user_values).map_err(|e| {
        Error::new(
            ErrorKind::Dependencies,
            format!("chart dependencies processing failed: {e}"),
        )
    })?;
    let values = render_values(&chart, user_values, options)?;
    check_kube_version(&chart, &options.capabilities)?;
    let mut files = render_templates(&chart, &values, options)?;
    let notes = take_notes(&mut files, chart.name(), options.sub_notes);
    let (hooks, manifests) = sort_manifests(&files, INSTALL_ORDER)?;
    let crds = chart
        .crd_objects()
        .into_iter()
        .map(|crd| Crd {
            name: crd.name,
            filename: crd.filename,
            data: crd.file.data.clone(),
        })
        .collect();
    Ok(Rendered {
        manifests,
        hooks,
        notes,
        crds,
    })
}

/// `.Values` of the top chart as Helm's `ToRenderValues` makes it: `user_values` coalesced
/// over the chart's defaults, validated against values.schema.json unless skipped.
pub fn render_values(chart: &Chart, user_values: &Map, options: &Options) -> Result<Map, Error> {
    let values = chart::coalesce_values(chart, user_values)
        .map_err(|e| Error::new(ErrorKind::Values, e.to_string()))?;
    if !options.skip_schema_validation {
        schema::validate(chart, &values)?;
    }
    Ok(values)
}

/// Helm's `Engine.Render`: every template of the chart tree rendered with `values` as the
/// top chart's `.Values`, by full name (`top/templates/x.yaml`); partials are not rendered.
pub fn render_templates(
    chart: &Chart,
    values: &Map,
    options: &Options,
) -> Result<BTreeMap<String, String>, Error> {
    let release = context::release_value(&options.release);
    engine::render_files(chart, values, &release, options)
}

/// Helm's `ValidateReleaseName`: non-empty, at most [`MAX_RELEASE_NAME_LEN`] characters,
/// DNS-1123 labels joined by dots. The error is Helm's message.
pub fn validate_release_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no name provided".into());
    }
    let is_label = |label: &str| {
        let bytes = label.as_bytes();
        let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                alnum(first) && alnum(last) && bytes.iter().all(|b| alnum(b) || *b == b'-')
            }
            _ => false,
        }
    };
    if name.len() > MAX_RELEASE_NAME_LEN || !name.split('.').all(is_label) {
        return Err(format!(
            "invalid release name, must match regex \
             ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the \
             length must not be longer than {MAX_RELEASE_NAME_LEN}"
        ));
    }
    Ok(())
}

/// Helm's check of the top chart's `kubeVersion` against the normalized Kubernetes
/// version; a constraint or version that does not parse fails the check.
fn check_kube_version(chart: &Chart, capabilities: &Capabilities) -> Result<(), Error> {
    let wanted = &chart.metadata.kube_version;
    if wanted.is_empty() {
        return Ok(());
    }
    let kube = &capabilities.kube_version;
    let compatible = match (
        Constraints::parse(wanted),
        Version::parse(kube.normalized()),
    ) {
        (Ok(constraints), Ok(version)) => constraints.check(&version),
        _ => false,
    };
    if compatible {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::KubeVersion,
        format!(
            "chart requires kubeVersion: {wanted} which is incompatible with Kubernetes {}",
            kube.version
        ),
    ))
}

/// Takes every `*NOTES.txt` out of the rendered files; returns the top chart's notes (and
/// with `sub_notes` every chart's, in file name order, joined by newlines).
fn take_notes(files: &mut BTreeMap<String, String>, chart_name: &str, sub_notes: bool) -> String {
    let top_notes = format!("{chart_name}/templates/{NOTES_SUFFIX}");
    let names: Vec<String> = files
        .keys()
        .filter(|name| name.ends_with(NOTES_SUFFIX))
        .cloned()
        .collect();
    let mut notes = String::new();
    for name in names {
        if let Some(text) = files.remove(&name)
            && (sub_notes || name == top_notes)
        {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes += &text;
        }
    }
    notes
}

#[cfg(test)]
mod tests;
