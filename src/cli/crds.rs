//! `helmsync crds`: the CustomResourceDefinitions helmsync serves, as YAML.
use std::path::{Path, PathBuf};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

use super::CliError;
use crate::api;

#[derive(Debug, clap::Args)]
pub struct CrdsArgs {
    /// Write one file per CRD into this directory (named `<group>_<plural>.yaml`, as
    /// controller-gen names them) instead of printing all of them.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
}

pub fn run(args: &CrdsArgs) -> Result<(), CliError> {
    let rendered = render_all()?;
    match &args.output_dir {
        None => {
            let docs: Vec<&str> = rendered.iter().map(|(_, yaml)| yaml.as_str()).collect();
            print!("{}", docs.join(""));
        }
        Some(dir) => write_files(dir, &rendered)?,
    }
    Ok(())
}

/// Each CRD as (file name, YAML document starting with `---`).
pub fn render_all() -> Result<Vec<(String, String)>, CliError> {
    let crds = api::crds().map_err(|e| CliError::Internal(format!("merging CRD versions: {e}")))?;
    crds.iter()
        .map(|crd| Ok((file_name(crd), format!("---\n{}", to_yaml(crd)?))))
        .collect()
}

fn file_name(crd: &CustomResourceDefinition) -> String {
    format!("{}_{}.yaml", crd.spec.group, crd.spec.names.plural)
}

fn to_yaml(crd: &CustomResourceDefinition) -> Result<String, CliError> {
    let json = serde_json::to_string(crd)
        .map_err(|e| CliError::Internal(format!("encoding a CRD as JSON: {e}")))?;
    let value = helmsync_engine::json::parse(&json)
        .map_err(|e| CliError::Internal(format!("reading a CRD's JSON: {e}")))?;
    helmsync_engine::yaml::to_yaml(&value)
        .map_err(|e| CliError::Internal(format!("encoding a CRD as YAML: {e}")))
}

fn write_files(dir: &Path, rendered: &[(String, String)]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    for (name, yaml) in rendered {
        let path = dir.join(name);
        std::fs::write(&path, yaml).map_err(|e| CliError::io(&path, e))?;
    }
    Ok(())
}
