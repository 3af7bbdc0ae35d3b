//! `.Chart` as templates see it: Helm v4 turns `*chart.Metadata` into a map keyed by the Go
//! field names (its `structToMap`) and adds `IsRoot`.
use super::metadata::{Dependency, Maintainer, Metadata};
use super::model::Chart;
use crate::value::{Map, Value};

impl Metadata {
    /// The `.Chart` map: Go field names as keys, slices as lists (a missing slice is an
    /// empty list, as `structToMap` makes it), `IsRoot` added as Helm's engine does.
    ///
    /// A missing `annotations` map is an empty map here; Go holds a nil `map[string]string`,
    /// which prints as `map[]` as this does but marshals as `null`.
    pub fn to_template_map(&self, is_root: bool) -> Map {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("Name", self.name.as_str().into());
        put("Home", self.home.as_str().into());
        put("Sources", string_list(self.sources.as_deref()));
        put("Version", self.version.as_str().into());
        put("Description", self.description.as_str().into());
        put("Keywords", string_list(self.keywords.as_deref()));
        let maintainers = self.maintainers.iter().flatten().map(|m| match m {
            Some(m) => maintainer_map(m),
            None => Value::Nil,
        });
        put("Maintainers", Value::list(maintainers.collect()));
        put("Icon", self.icon.as_str().into());
        put("APIVersion", self.api_version.as_str().into());
        put("Condition", self.condition.as_str().into());
        put("Tags", self.tags.as_str().into());
        put("AppVersion", self.app_version.as_str().into());
        put("Deprecated", Value::Bool(self.deprecated));
        let annotations = self.annotations.iter().flatten();
        let annotations: Map = annotations
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        put("Annotations", Value::map(annotations));
        put("KubeVersion", self.kube_version.as_str().into());
        let dependencies = self.dependencies.iter().flatten().map(|d| match d {
            Some(d) => dependency_map(d),
            None => Value::Nil,
        });
        put("Dependencies", Value::list(dependencies.collect()));
        put("Type", self.chart_type.as_str().into());
        put("IsRoot", Value::Bool(is_root));
        map
    }
}

impl Chart {
    /// `.Chart` for this chart's templates.
    pub fn template_metadata(&self, is_root: bool) -> Value {
        Value::map(self.metadata.to_template_map(is_root))
    }
}

fn string_list(items: Option<&[String]>) -> Value {
    let items = items.unwrap_or_default();
    Value::list(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn maintainer_map(m: &Maintainer) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), m.name.as_str().into());
    map.insert("Email".into(), m.email.as_str().into());
    map.insert("URL".into(), m.url.as_str().into());
    Value::map(map)
}

fn dependency_map(d: &Dependency) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), d.name.as_str().into());
    map.insert("Version".into(), d.version.as_str().into());
    map.insert("Repository".into(), d.repository.as_str().into());
    map.insert("Condition".into(), d.condition.as_str().into());
    map.insert("Tags".into(), string_list(Some(&d.tags)));
    map.insert("Enabled".into(), Value::Bool(d.enabled));
    let imports = d.import_values.clone().unwrap_or_default();
    map.insert("ImportValues".into(), Value::list(imports));
    map.insert("Alias".into(), d.alias.as_str().into());
    Value::map(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_metadata_is_keyed_by_go_field_names() {
        let md = Metadata {
            name: "demo".into(),
            api_version: "v2".into(),
            maintainers: Some(vec![Some(Maintainer {
                name: "me".into(),
                ..Maintainer::default()
            })]),
            dependencies: Some(vec![Some(Dependency {
                name: "sub".into(),
                tags: vec!["t".into()],
                ..Dependency::default()
            })]),
            ..Metadata::default()
        };
        let map = md.to_template_map(true);
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "APIVersion",
                "Annotations",
                "AppVersion",
                "Condition",
                "Dependencies",
                "Deprecated",
                "Description",
                "Home",
                "Icon",
                "IsRoot",
                "Keywords",
                "KubeVersion",
                "Maintainers",
                "Name",
                "Sources",
                "Tags",
                "Type",
                "Version"
            ]
        );
        assert_eq!(map["Sources"].as_list().map(<[Value]>::len), Some(0));
        let dependency = &map["Dependencies"].as_list().unwrap()[0];
        assert_eq!(
            dependency.as_map().unwrap()["Tags"].as_list().unwrap()[0].as_str(),
            Some("t")
        );
        let maintainer = &map["Maintainers"].as_list().unwrap()[0];
        assert_eq!(maintainer.as_map().unwrap()["URL"].as_str(), Some(""));
    }
}
