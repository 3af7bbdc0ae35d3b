//! What each template sees as `.`: Helm's `recAllTpls` scoping. Every chart of the tree
//! gets `.Chart`, `.Files` and its own `.Values` (the parent's table under its name, or all
//! values for the top chart), shares `.Release` and `.Capabilities`, and sees its
//! subcharts' scopes under `.Subcharts`. `.Template` names the file being executed.
use crate::chart::{Chart, ChartNode};
use crate::value::{IntKind, Map, Value};

use super::files::Files;
use super::{Capabilities, ReleaseOptions};

/// `.Release`: Helm's `ReleaseOptions` as the map `ToRenderValues` builds.
pub(crate) fn release_value(release: &ReleaseOptions) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), release.name.as_str().into());
    map.insert("Namespace".into(), release.namespace.as_str().into());
    map.insert("IsUpgrade".into(), Value::Bool(release.is_upgrade));
    map.insert("IsInstall".into(), Value::Bool(release.is_install));
    map.insert(
        "Revision".into(),
        Value::Int(release.revision, IntKind::Int),
    );
    map.insert("Service".into(), "Helm".into());
    Value::map(map)
}

/// One chart's part of the template data.
struct Scope {
    /// The subchart's name: its key in the parent's `.Subcharts`.
    name: String,
    /// `ChartFullPath`: `top/charts/sub`.
    full_path: String,
    /// `.Chart`, `.Files`, `.Release`, `.Capabilities` and `.Values`.
    base: Map,
    children: Vec<usize>,
    /// `.Template` as last set by executing one of the chart's templates. Helm stores it
    /// in the chart's data map, shared with the parent's `.Subcharts`, so a parent sees
    /// what its subchart executed last.
    template: Option<Value>,
}

/// The template data of every chart of a tree, by node index (`Chart::nodes`).
pub(crate) struct Scopes {
    scopes: Vec<Scope>,
}

impl Scopes {
    /// Scopes for `nodes` (as `Chart::nodes` lists them), with `values` as the top
    /// chart's `.Values`.
    pub(crate) fn new(
        nodes: &[ChartNode<'_>],
        values: &Map,
        release: &Value,
        capabilities: &Capabilities,
    ) -> Scopes {
        let paths = Chart::full_paths(nodes);
        let capabilities = capabilities.to_value();
        let mut scopes: Vec<Scope> = Vec::with_capacity(nodes.len());
        for (index, (node, full_path)) in nodes.iter().zip(paths).enumerate() {
            let own_values = match node.parent.and_then(|p| scopes.get(p)) {
                Some(parent) => sub_table(&parent.base, node.chart.name()),
                None => Value::map(values.clone()),
            };
            let mut base = Map::new();
            base.insert(
                "Chart".into(),
                node.chart.template_metadata(node.parent.is_none()),
            );
            base.insert("Files".into(), Files::new(&node.chart.files).to_value());
            base.insert("Release".into(), release.clone());
            base.insert("Capabilities".into(), capabilities.clone());
            base.insert("Values".into(), own_values);
            if let Some(parent) = node.parent.and_then(|p| scopes.get_mut(p)) {
                parent.children.push(index);
            }
            scopes.push(Scope {
                name: node.chart.name().to_owned(),
                full_path,
                base,
                children: Vec::new(),
                template: None,
            });
        }
        Scopes { scopes }
    }

    /// `ChartFullPath` of node `index`.
    pub(crate) fn full_path(&self, index: usize) -> &str {
        self.scopes.get(index).map_or("", |s| s.full_path.as_str())
    }

    /// The data for executing `template_name` of node `index`; records it as the chart's
    /// current `.Template`.
    pub(crate) fn data_for(&mut self, index: usize, template_name: &str) -> Value {
        let Some(scope) = self.scopes.get_mut(index) else {
            return Value::empty_map();
        };
        let mut template = Map::new();
        template.insert("Name".into(), template_name.into());
        let base_path = format!("{}/templates", scope.full_path);
        template.insert("BasePath".into(), base_path.into());
        scope.template = Some(Value::map(template));
        self.scope_value(index)
    }

    /// A chart's data map: its base, `.Subcharts` built from its children, `.Template`
    /// when one of its templates has run.
    fn scope_value(&self, index: usize) -> Value {
        let Some(scope) = self.scopes.get(index) else {
            return Value::empty_map();
        };
        let mut map = scope.base.clone();
        let subcharts: Map = scope
            .children
            .iter()
            .filter_map(|&child| {
                let child_scope = self.scopes.get(child)?;
                Some((child_scope.name.clone(), self.scope_value(child)))
            })
            .collect();
        map.insert("Subcharts".into(), Value::map(subcharts));
        if let Some(template) = &scope.template {
            map.insert("Template".into(), template.clone());
        }
        Value::map(map)
    }
}

/// Helm's `values.Table("Values." + name)` on a parent's data: the table under the
/// subchart's name (each `.` in the name a level deeper), or an empty one.
fn sub_table(parent: &Map, name: &str) -> Value {
    let mut table = parent.get("Values").cloned();
    for key in name.split('.') {
        table = table.and_then(|t| t.as_map_ref()?.get(key));
    }
    match table {
        Some(value @ Value::Map(_)) => value,
        _ => Value::empty_map(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{File, Metadata};

    fn chart(name: &str, dependencies: Vec<Chart>) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                version: "1.0.0".into(),
                ..Metadata::default()
            },
            files: vec![File::new(format!("{name}.txt"), b"x".to_vec())],
            dependencies,
            ..Chart::default()
        }
    }

    fn get(value: &Value, path: &[&str]) -> Value {
        path.iter().fold(value.clone(), |v, key| {
            v.as_map_ref()
                .and_then(|m| m.get(key))
                .unwrap_or_else(|| panic!("no {key} in {v:?}"))
        })
    }

    #[test]
    fn subcharts_see_their_own_table_and_parents_see_their_last_template() {
        let top = chart("top", vec![chart("sub", vec![])]);
        let nodes = top.nodes();
        let values: Map = crate::json::parse(r#"{"a": 1, "sub": {"b": 2}}"#)
            .unwrap()
            .as_map()
            .unwrap()
            .as_ref()
            .clone();
        let release = release_value(&ReleaseOptions::default());
        let mut scopes = Scopes::new(&nodes, &values, &release, &Capabilities::helm_default());
        assert_eq!(scopes.full_path(1), "top/charts/sub");

        let sub = scopes.data_for(1, "top/charts/sub/templates/x.yaml");
        assert!(matches!(get(&sub, &["Values", "b"]), Value::Float(f) if f == 2.0));
        assert!(matches!(
            get(&sub, &["Chart", "IsRoot"]),
            Value::Bool(false)
        ));
        assert_eq!(
            get(&sub, &["Template", "BasePath"]).as_str(),
            Some("top/charts/sub/templates")
        );

        let top_data = scopes.data_for(0, "top/templates/a.yaml");
        assert!(matches!(get(&top_data, &["Values", "a"]), Value::Float(_)));
        assert_eq!(
            get(&top_data, &["Subcharts", "sub", "Template", "Name"]).as_str(),
            Some("top/charts/sub/templates/x.yaml")
        );
        assert_eq!(
            get(&top_data, &["Release", "Service"]).as_str(),
            Some("Helm")
        );
    }

    #[test]
    fn a_subchart_without_a_table_gets_empty_values() {
        let parent: Map = [("Values".to_owned(), Value::empty_map())].into();
        assert!(matches!(sub_table(&parent, "sub"), Value::Map(m) if m.is_empty()));
        let nested = crate::json::parse(r#"{"Values": {"a": {"b": {"c": 1}}}}"#).unwrap();
        let table = sub_table(&nested.as_map().unwrap(), "a.b");
        assert!(table.as_map().unwrap().contains_key("c"));
    }
}
