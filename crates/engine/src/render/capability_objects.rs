//! The host objects `.Capabilities` is made of, with Go's type names, fields, methods,
//! printing and JSON form: `*common.Capabilities`, `common.KubeVersion`,
//! `common.VersionSet` and `version.BuildInfo`.
use std::sync::Arc;

use super::capabilities::{BuildInfo, Capabilities, KubeVersion};
use super::method_args::{no_args, string_arg};
use crate::value::{ListKind, Map, Object, Value};

impl Capabilities {
    /// `.Capabilities` as templates see it (`*common.Capabilities`).
    pub fn to_value(&self) -> Value {
        Value::Object(Arc::new(CapabilitiesObject(self.clone())))
    }
}

#[derive(Debug)]
struct CapabilitiesObject(Capabilities);

impl Object for CapabilitiesObject {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let caps = &self.0;
        let value = match name {
            "KubeVersion" => Value::Object(Arc::new(KubeVersionObject(caps.kube_version.clone()))),
            "APIVersions" => Value::Object(Arc::new(VersionSetObject(caps.api_versions.clone()))),
            "HelmVersion" => Value::Object(Arc::new(BuildInfoObject(caps.helm_version.clone()))),
            "Copy" => {
                return Some(no_args(name, args).map(|()| caps.to_value()));
            }
            _ => return None,
        };
        Some(Ok(value))
    }

    fn is_method(&self, name: &str) -> bool {
        name == "Copy"
    }

    fn go_string(&self) -> String {
        let caps = &self.0;
        format!(
            "{{{} [{}] {}}}",
            caps.kube_version.struct_text(),
            caps.api_versions.join(" "),
            caps.helm_version.struct_text()
        )
    }

    fn to_data(&self) -> Option<Value> {
        let caps = &self.0;
        let mut map = Map::new();
        map.insert("KubeVersion".into(), caps.kube_version.to_data());
        map.insert("APIVersions".into(), version_list(&caps.api_versions));
        map.insert("HelmVersion".into(), caps.helm_version.to_data());
        Some(Value::map(map))
    }
}

fn version_list(versions: &[String]) -> Value {
    let items = versions.iter().map(|v| Value::from(v.as_str())).collect();
    Value::List(Arc::new(items), ListKind::String)
}

#[derive(Debug)]
struct KubeVersionObject(KubeVersion);

impl Object for KubeVersionObject {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let kv = &self.0;
        let value = match name {
            "Version" => kv.version.as_str(),
            "Major" => kv.major.as_str(),
            "Minor" => kv.minor.as_str(),
            "String" => return Some(no_args(name, args).map(|()| kv.normalized().into())),
            "GitVersion" => return Some(no_args(name, args).map(|()| kv.version.as_str().into())),
            _ => return None,
        };
        Some(Ok(value.into()))
    }

    fn is_method(&self, name: &str) -> bool {
        matches!(name, "String" | "GitVersion")
    }

    /// `String` has a pointer receiver, so a copy (a function's argument, `printf`'s
    /// operand) prints as the struct.
    fn go_string(&self) -> String {
        self.0.struct_text()
    }

    /// `{{ .Capabilities.KubeVersion }}` prints through the `String` method.
    fn addressable_string(&self) -> Option<String> {
        Some(self.0.normalized().to_owned())
    }

    fn to_data(&self) -> Option<Value> {
        Some(self.0.to_data())
    }
}

#[derive(Debug)]
struct VersionSetObject(Vec<String>);

impl Object for VersionSetObject {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }

    fn kind_name(&self) -> &str {
        "slice"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        let has =
            string_arg(name, args).map(|wanted| Value::Bool(self.0.iter().any(|v| v == wanted)));
        Some(has)
    }

    fn is_method(&self, name: &str) -> bool {
        name == "Has"
    }

    fn go_string(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }

    fn truthy(&self) -> bool {
        !self.0.is_empty()
    }

    fn to_data(&self) -> Option<Value> {
        Some(version_list(&self.0))
    }
}

#[derive(Debug)]
struct BuildInfoObject(BuildInfo);

impl Object for BuildInfoObject {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        let info = &self.0;
        let value = match name {
            "Version" => &info.version,
            "GitCommit" => &info.git_commit,
            "GitTreeState" => &info.git_tree_state,
            "GoVersion" => &info.go_version,
            "KubeClientVersion" => &info.kube_client_version,
            _ => return None,
        };
        Some(Ok(value.as_str().into()))
    }

    fn is_method(&self, _name: &str) -> bool {
        false
    }

    fn go_string(&self) -> String {
        self.0.struct_text()
    }

    fn to_data(&self) -> Option<Value> {
        Some(self.0.to_data())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::DEFAULT_API_VERSIONS;

    fn member(value: &Value, name: &str, args: &[Value]) -> Value {
        let Value::Object(object) = value else {
            panic!("not an object: {value:?}")
        };
        object.member(name, args).unwrap().unwrap()
    }

    #[test]
    fn capabilities_print_and_marshal_like_go() {
        let mut caps = Capabilities::helm_default();
        caps.kube_version = KubeVersion::parse("1.30.2-gke.1").unwrap();
        caps.api_versions.truncate(2);
        let value = caps.to_value();
        assert_eq!(
            crate::gofmt::print_value(&value),
            "{{v1.30.2-gke.1 v1.30.2 1 30} [v1 admissionregistration.k8s.io/v1] \
             {v4.3.1  clean go1.26.8 v1.37}}"
        );
        let kube_version = member(&value, "KubeVersion", &[]);
        assert_eq!(
            crate::gofmt::print_value(&kube_version),
            "{v1.30.2-gke.1 v1.30.2 1 30}"
        );
        let Value::Object(object) = &kube_version else {
            unreachable!()
        };
        assert_eq!(object.addressable_string().as_deref(), Some("v1.30.2"));
        assert_eq!(
            member(&kube_version, "GitVersion", &[]).as_str(),
            Some("v1.30.2-gke.1")
        );
        let yaml = crate::funcs::encoding::to_yaml(&value);
        assert!(yaml.starts_with("APIVersions:\n- v1\n"), "{yaml}");
        assert!(
            yaml.ends_with(
                "KubeVersion:\n  Major: \"1\"\n  Minor: \"30\"\n  Version: v1.30.2-gke.1"
            )
        );
        assert!(
            yaml.contains("HelmVersion:\n  git_tree_state: clean\n"),
            "{yaml}"
        );
    }

    #[test]
    fn api_versions_has_checks_membership_with_go_argument_errors() {
        let value = Capabilities::helm_default().to_value();
        let versions = member(&value, "APIVersions", &[]);
        assert!(matches!(
            member(&versions, "Has", &["apps/v1".into()]),
            Value::Bool(true)
        ));
        assert!(matches!(
            member(&versions, "Has", &["apps/v9".into()]),
            Value::Bool(false)
        ));
        let Value::Object(object) = &versions else {
            unreachable!()
        };
        assert_eq!(
            object.member("Has", &[]).unwrap().unwrap_err(),
            "wrong number of args for Has: want 1 got 0"
        );
        assert_eq!(
            object.member("Has", &[Value::int(1)]).unwrap().unwrap_err(),
            "wrong type for value; expected string; got int"
        );
        assert_eq!(DEFAULT_API_VERSIONS.len(), 57);
    }
}
