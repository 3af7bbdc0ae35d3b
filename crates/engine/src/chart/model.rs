//! The loaded chart (`Chart`, `File`) and what the renderer reads from it: every chart of
//! the tree with its full path, templates under their full names, CRD files.
use std::sync::Arc;

use super::metadata::{Lock, Metadata};
use crate::value::Map;

/// A file of a chart: its path relative to the chart's directory, with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Arc<[u8]>,
}

impl File {
    pub fn new(name: impl Into<String>, data: impl Into<Arc<[u8]>>) -> File {
        File {
            name: name.into(),
            data: data.into(),
        }
    }
}

/// A Helm chart: Chart.yaml, its lock, templates, default values, schema, other files, and
/// its subcharts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Chart.lock, or requirements.lock for v1 charts.
    pub lock: Option<Lock>,
    /// Every file as loaded, including those modelled elsewhere (`helm show values` reads
    /// values.yaml from here, comments and all).
    pub raw: Vec<File>,
    /// The files under `templates/`.
    pub templates: Vec<File>,
    /// values.yaml, parsed (every document merged into the ones before it).
    pub values: Map,
    /// values.schema.json, as bytes.
    pub schema: Option<Arc<[u8]>>,
    /// The files that are not Chart.yaml, values, templates or subcharts: what `.Files`
    /// serves, CRDs under `crds/` among them.
    pub files: Vec<File>,
    /// The subcharts: from `charts/` once loaded, the enabled (and aliased) ones once
    /// dependencies are processed.
    pub dependencies: Vec<Chart>,
}

/// One chart of a chart tree, with where it sits in the tree.
#[derive(Clone, Copy, Debug)]
pub struct ChartNode<'a> {
    pub chart: &'a Chart,
    /// The index of the parent in `Chart::nodes`; `None` for the root.
    pub parent: Option<usize>,
}

/// A template with the full name Helm gives it: `top/charts/sub/templates/x.yaml`.
#[derive(Clone, Debug)]
pub struct TemplateFile<'a> {
    pub full_name: String,
    /// The index in `Chart::nodes` of the chart the template belongs to.
    pub node: usize,
    pub file: &'a File,
}

/// A file under a chart's `crds/` directory, as Helm's `CRDObjects` lists it.
#[derive(Clone, Debug)]
pub struct Crd<'a> {
    /// The file's name within its chart (`crds/x.yaml`).
    pub name: String,
    /// The name with the chart's full path before it (`top/charts/sub/crds/x.yaml`).
    pub filename: String,
    pub file: &'a File,
}

impl Chart {
    /// The chart's name (an alias, once dependencies are processed).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn app_version(&self) -> &str {
        &self.metadata.app_version
    }

    pub fn is_library(&self) -> bool {
        self.metadata.is_library()
    }

    /// values.yaml as written, for `helm show values`.
    pub fn raw_values(&self) -> Option<&[u8]> {
        self.raw
            .iter()
            .find(|f| f.name == "values.yaml")
            .map(|f| &f.data[..])
    }

    /// The chart and all its subcharts, depth first, parents before their children.
    pub fn nodes(&self) -> Vec<ChartNode<'_>> {
        let mut nodes = vec![ChartNode {
            chart: self,
            parent: None,
        }];
        let mut next = 0;
        // A breadth-first queue would reorder siblings' children; walk with an explicit
        // stack so that each subtree stays contiguous.
        let mut stack: Vec<(usize, &Chart, usize)> = vec![(0, self, 0)];
        while let Some((index, chart, child)) = stack.pop() {
            if let Some(sub) = chart.dependencies.get(child) {
                stack.push((index, chart, child + 1));
                next += 1;
                nodes.push(ChartNode {
                    chart: sub,
                    parent: Some(index),
                });
                stack.push((next, sub, 0));
            }
        }
        nodes
    }

    /// Helm's `ChartFullPath` of each node: names joined by `/charts/`.
    pub fn full_paths(nodes: &[ChartNode<'_>]) -> Vec<String> {
        let mut paths: Vec<String> = Vec::with_capacity(nodes.len());
        for node in nodes {
            let path = match node.parent.and_then(|p| paths.get(p)) {
                Some(parent) => format!("{parent}/charts/{}", node.chart.name()),
                None => node.chart.name().to_owned(),
            };
            paths.push(path);
        }
        paths
    }

    /// Every template of the chart and its subcharts, under Helm's full names.
    pub fn all_templates(&self) -> Vec<TemplateFile<'_>> {
        let nodes = self.nodes();
        let paths = Chart::full_paths(&nodes);
        let mut templates = Vec::new();
        for (index, (node, path)) in nodes.iter().zip(&paths).enumerate() {
            for file in &node.chart.templates {
                templates.push(TemplateFile {
                    full_name: format!("{path}/{}", file.name),
                    node: index,
                    file,
                });
            }
        }
        templates
    }

    /// Helm's `CRDObjects`: the YAML and JSON files under `crds/` of the chart, then of
    /// each subchart in turn.
    pub fn crd_objects(&self) -> Vec<Crd<'_>> {
        let nodes = self.nodes();
        let paths = Chart::full_paths(&nodes);
        let mut crds = Vec::new();
        for (node, path) in nodes.iter().zip(&paths) {
            for file in &node.chart.files {
                if file.name.starts_with("crds/") && has_manifest_extension(&file.name) {
                    crds.push(Crd {
                        name: file.name.clone(),
                        filename: format!("{path}/{}", file.name),
                        file,
                    });
                }
            }
        }
        crds
    }
}

/// `.yaml`, `.yml` or `.json`, in any case, as Helm's `hasManifestExtension`.
fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rfind('.').is_some_and(|dot| {
        let ext = &base[dot..];
        [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(name: &str, dependencies: Vec<Chart>) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            templates: vec![File::new("templates/a.yaml", b"a".to_vec())],
            files: vec![
                File::new("crds/c.YAML", b"c".to_vec()),
                File::new("crds/notes.txt", b"n".to_vec()),
            ],
            dependencies,
            ..Chart::default()
        }
    }

    #[test]
    fn nodes_keep_subtrees_together_and_know_their_full_paths() {
        let top = chart(
            "top",
            vec![chart("a", vec![chart("deep", vec![])]), chart("b", vec![])],
        );
        let nodes = top.nodes();
        let names: Vec<&str> = nodes.iter().map(|n| n.chart.name()).collect();
        assert_eq!(names, ["top", "a", "deep", "b"]);
        assert_eq!(
            Chart::full_paths(&nodes),
            [
                "top",
                "top/charts/a",
                "top/charts/a/charts/deep",
                "top/charts/b"
            ]
        );
        let templates: Vec<String> = top
            .all_templates()
            .into_iter()
            .map(|t| t.full_name)
            .collect();
        assert_eq!(templates[2], "top/charts/a/charts/deep/templates/a.yaml");
    }

    #[test]
    fn crds_are_the_manifests_under_crds() {
        let top = chart("top", vec![chart("sub", vec![])]);
        let crds: Vec<String> = top.crd_objects().into_iter().map(|c| c.filename).collect();
        assert_eq!(crds, ["top/crds/c.YAML", "top/charts/sub/crds/c.YAML"]);
    }
}
