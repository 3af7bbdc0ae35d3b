//! `helmsync template [NAME] CHART`: renders a local chart (a directory or a `.tgz`) and
//! prints exactly what `helm template` prints, with the same flags and the same errors.
mod environment;
mod files;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use helmsync_engine::chart::{self, Chart};
use helmsync_engine::render::{self, Capabilities, KubeVersion, Options, ReleaseOptions, Rendered};
use helmsync_engine::template::Template;
use helmsync_engine::values::{self, ValueOptions};
use helmsync_engine::{Map, Value};

use super::CliError;
use environment::SystemEnvironment;
use files::{OutputDir, read_values_file, split_csv};

/// The release name `helm template` uses when none is given.
const DEFAULT_RELEASE_NAME: &str = "release-name";
/// The namespace without `--namespace` or `HELM_NAMESPACE`.
const DEFAULT_NAMESPACE: &str = "default";

/// `helm template`'s flags that change what is rendered or printed.
#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// `[NAME] CHART`: the release name (default `release-name`) and the chart, a
    /// directory or a packaged `.tgz`.
    #[arg(value_name = "ARGS", num_args = 0..)]
    args: Vec<String>,
    /// Values files, merged in order (can be repeated or comma-separated; `-` reads stdin).
    #[arg(short = 'f', long = "values", value_name = "FILES")]
    values: Vec<String>,
    /// Values on the command line: key1=val1,key2=val2.
    #[arg(long = "set", value_name = "VALUES")]
    set: Vec<String>,
    /// String values on the command line.
    #[arg(long = "set-string", value_name = "VALUES")]
    set_string: Vec<String>,
    /// Values read from files: key1=path1,key2=path2.
    #[arg(long = "set-file", value_name = "VALUES")]
    set_file: Vec<String>,
    /// JSON values: key1=jsonval1 or a JSON object.
    #[arg(long = "set-json", value_name = "VALUES")]
    set_json: Vec<String>,
    /// One literal string value: key=value, the value taken as it is.
    #[arg(long = "set-literal", value_name = "VALUE")]
    set_literal: Vec<String>,
    /// The release namespace.
    #[arg(short = 'n', long, env = "HELM_NAMESPACE", value_name = "NAMESPACE")]
    namespace: Option<String>,
    /// The Kubernetes version for .Capabilities.KubeVersion.
    #[arg(long, value_name = "VERSION")]
    kube_version: Option<String>,
    /// API versions added to .Capabilities.APIVersions (repeated or comma-separated).
    #[arg(short = 'a', long = "api-versions", value_name = "VERSIONS")]
    api_versions: Vec<String>,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    is_upgrade: bool,
    /// Leave hooks out of the output.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    no_hooks: bool,
    /// Print the charts' CRDs before the manifests.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    include_crds: bool,
    /// Accepted for compatibility; CRDs are only printed with --include-crds.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    skip_crds: bool,
    /// Only print manifests rendered from templates matching these paths (repeatable).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    show_only: Vec<String>,
    /// Leave test hooks out of the output.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    skip_tests: bool,
    /// Do not validate values against values.schema.json.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    skip_schema_validation: bool,
    /// Write each template's output to files under this directory instead of stdout.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<String>,
    /// Put --output-dir files under a directory named after the release.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    release_name: bool,
    /// Generate the release name (only without NAME; `helm template` then uses its default).
    #[arg(short = 'g', long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    generate_name: bool,
    /// A template (Sprig functions, no data) for the release name.
    #[arg(long, value_name = "TEMPLATE")]
    name_template: Option<String>,
    /// Let getHostByName resolve names.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    enable_dns: bool,
}

pub fn run(args: &TemplateArgs) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    execute(args, &mut stdout)
}

/// `helm template`'s command: everything is checked and rendered before anything but
/// `--output-dir` progress is printed.
fn execute(args: &TemplateArgs, out: &mut impl Write) -> Result<(), CliError> {
    let mut capabilities = Capabilities::helm_default();
    if let Some(version) = args.kube_version.as_deref().filter(|v| !v.is_empty()) {
        capabilities.kube_version = KubeVersion::parse(version)
            .map_err(|e| failed(format!("invalid kube version '{version}': {e}")))?;
    }
    capabilities
        .api_versions
        .extend(split_csv(&args.api_versions));
    let environment = Arc::new(SystemEnvironment::new(args.enable_dns)?);

    let (name, chart_ref) = name_and_chart(args, &environment)?;
    let chart_path = locate_chart(&chart_ref)?;
    let user_values = merge_values(args)?;
    let chart = load_chart(&chart_path)?;

    let is_upgrade = args.is_upgrade;
    let namespace = args.namespace.clone().filter(|n| !n.is_empty());
    let release = ReleaseOptions {
        name,
        namespace: namespace.unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
        revision: 1,
        is_upgrade,
        is_install: !is_upgrade,
    };
    let mut options = Options::new(release, environment);
    options.capabilities = capabilities;
    options.skip_schema_validation = args.skip_schema_validation;
    let rendered = render::render(&chart, &user_values, &options).map_err(|e| {
        if e.is_render_failure() {
            failed(format!(
                "{e}\n\nUse --debug flag to render out invalid YAML"
            ))
        } else {
            failed(e.to_string())
        }
    })?;
    let text = match &args.output_dir {
        Some(dir) => write_output_dir(args, dir, &options.release.name, &rendered, out)?,
        None => {
            let hooks = printed_hooks(args, &rendered);
            render::template_text(
                &rendered.manifest(args.include_crds),
                hooks,
                &args.show_only,
            )
            .map_err(|e| failed(e.to_string()))?
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::io(Path::new("stdout"), e))
}

/// A failure reported as Helm reports it: `Error: MESSAGE`, exit code 1.
fn failed(message: String) -> CliError {
    CliError::Command(message)
}

/// The hooks `helm template` prints: none with `--no-hooks`, no tests with `--skip-tests`.
fn printed_hooks<'r>(
    args: &TemplateArgs,
    rendered: &'r Rendered,
) -> impl Iterator<Item = &'r render::Hook> {
    let hooks: &[render::Hook] = if args.no_hooks { &[] } else { &rendered.hooks };
    let skip_tests = args.skip_tests;
    hooks
        .iter()
        .filter(move |hook| !(skip_tests && hook.is_test()))
}

/// Writes CRDs (with `--include-crds`), manifests and hooks as Helm does with
/// `--output-dir`, and returns what is left to print.
fn write_output_dir(
    args: &TemplateArgs,
    dir: &str,
    release_name: &str,
    rendered: &Rendered,
    out: &mut impl Write,
) -> Result<String, CliError> {
    let release_dir = if args.release_name {
        render::join_path(dir, release_name)
    } else {
        dir.to_owned()
    };
    let mut files = OutputDir::new(out);
    if args.include_crds {
        for crd in &rendered.crds {
            let data = String::from_utf8_lossy(&crd.data);
            files.write_tracked(dir, &crd.filename, &data)?;
        }
    }
    for manifest in &rendered.manifests {
        files.write_tracked(&release_dir, &manifest.name, &manifest.content)?;
    }
    for hook in printed_hooks(args, rendered) {
        files.write_appending_to_existing(&release_dir, &hook.path, &hook.manifest)?;
    }
    // The release manifest stays empty when files are written, so only a newline (or a
    // --show-only error) is left for stdout.
    render::template_text("", [], &args.show_only).map_err(|e| failed(e.to_string()))
}

/// Helm's `NameAndChart` with `helm template`'s default name.
fn name_and_chart(
    args: &TemplateArgs,
    environment: &Arc<SystemEnvironment>,
) -> Result<(String, String), CliError> {
    match args.args.as_slice() {
        [] => Err(failed(
            "\"helmsync template\" requires at least 1 argument\n\n\
             Usage:  helmsync template [NAME] [CHART] [flags]"
                .to_owned(),
        )),
        [chart] => {
            let name = match args.name_template.as_deref().filter(|t| !t.is_empty()) {
                Some(template) => name_from_template(template, environment)?,
                None => DEFAULT_RELEASE_NAME.to_owned(),
            };
            Ok((name, chart.clone()))
        }
        [name, chart] => {
            if args.generate_name {
                return Err(failed(
                    "cannot set --generate-name and also specify a name".to_owned(),
                ));
            }
            if args.name_template.as_deref().is_some_and(|t| !t.is_empty()) {
                return Err(failed(
                    "cannot set --name-template and also specify a name".to_owned(),
                ));
            }
            Ok((name.clone(), chart.clone()))
        }
        [_, _, rest @ ..] => Err(failed(format!(
            "expected at most two arguments, unexpected arguments: {}",
            rest.join(", ")
        ))),
    }
}

/// Helm's `TemplateName`: the name template executed with no data.
fn name_from_template(
    text: &str,
    environment: &Arc<SystemEnvironment>,
) -> Result<String, CliError> {
    let funcs = helmsync_engine::funcs::helm_funcs(environment.clone());
    let mut template = Template::new("name-template", funcs);
    template
        .parse("name-template", text)
        .map_err(|e| failed(e.to_string()))?;
    template
        .execute("name-template", &Value::Nil)
        .map_err(|e| failed(e.to_string()))
}

/// Helm's `LocateChart` for local charts: the path made absolute (as Go's `filepath.Abs`
/// makes it, so that errors name it as Helm's do) when it exists. Charts from repositories
/// are not fetched; Helm's messages for them are kept.
fn locate_chart(reference: &str) -> Result<PathBuf, CliError> {
    let reference = reference.trim();
    let path = Path::new(reference);
    if path.exists() {
        let base = if path.is_absolute() {
            String::new()
        } else {
            let cwd = std::env::current_dir().map_err(|e| CliError::io(Path::new("."), e))?;
            cwd.display().to_string()
        };
        return Ok(PathBuf::from(render::join_path(&base, reference)));
    }
    if path.is_absolute() || reference.starts_with('.') {
        return Err(failed(format!("path {} not found", quoted(reference))));
    }
    if reference.starts_with("oci://") {
        return Err(failed(format!(
            "helmsync template renders local charts only; pull {reference} first"
        )));
    }
    match reference.split_once('/') {
        Some((repository, _)) => Err(failed(format!("repo {repository} not found"))),
        None => Err(failed(format!(
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: {reference}"
        ))),
    }
}

fn quoted(text: &str) -> String {
    helmsync_engine::gofmt::quote(text)
}

/// Helm's `MergeValues` over the values flags.
fn merge_values(args: &TemplateArgs) -> Result<Map, CliError> {
    let options = ValueOptions {
        value_files: split_csv(&args.values),
        json_values: args.set_json.clone(),
        values: args.set.clone(),
        string_values: args.set_string.clone(),
        file_values: args.set_file.clone(),
        literal_values: args.set_literal.clone(),
    };
    values::merge_values(&options, read_values_file).map_err(|e| failed(e.to_string()))
}

/// Loads the chart and makes the checks `helm install` makes before rendering: only
/// application charts install, and every dependency Chart.yaml lists is present.
fn load_chart(path: &Path) -> Result<Chart, CliError> {
    let chart = chart::load(path).map_err(|e| failed(e.to_string()))?;
    chart::check_installable(&chart).map_err(|e| failed(e.to_string()))?;
    if chart.metadata.listed_dependencies().next().is_some() {
        chart::check_dependencies(&chart).map_err(|e| {
            failed(format!(
                "an error occurred while checking for chart dependencies. You may need to run \
                 'helm dependency build' to fetch missing dependencies: {e}"
            ))
        })?;
    }
    Ok(chart)
}

#[cfg(test)]
mod tests;
