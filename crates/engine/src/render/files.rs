//! `.Files`: a chart's non-template files as Helm's engine offers them (`pkg/engine/files.go`),
//! a host object of Go type `engine.files` (a `map[string][]byte`) with its methods `Get`,
//! `GetBytes`, `Glob`, `Lines`, `AsConfig` and `AsSecrets`.
use std::collections::BTreeMap;
use std::sync::Arc;

use super::glob::Glob;
use super::method_args::{no_args, string_arg};
use crate::chart::File;
use crate::funcs::encoding::to_yaml;
use crate::gofmt::print_value;
use crate::json::base64_std;
use crate::value::{ListKind, Map, Object, Value};

/// A chart's files by name (relative to the chart, `/`-separated).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files(BTreeMap<String, Arc<[u8]>>);

impl Files {
    /// Helm's `newFiles`: a later file of the same name replaces an earlier one.
    pub fn new(files: &[File]) -> Files {
        Files(
            files
                .iter()
                .map(|f| (f.name.clone(), f.data.clone()))
                .collect(),
        )
    }

    /// `.Files` as templates see it.
    pub fn to_value(&self) -> Value {
        Value::Object(Arc::new(self.clone()))
    }

    /// `GetBytes`: the file's bytes, empty when there is no such file.
    pub fn get_bytes(&self, name: &str) -> Arc<[u8]> {
        self.0.get(name).cloned().unwrap_or_else(|| Arc::from([]))
    }

    /// `Get`: the file as text.
    pub fn get(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.get_bytes(name)).into_owned()
    }

    /// `Glob`: the files whose names match a gobwas glob with `/` as the separator; a
    /// malformed pattern matches everything, as Helm falls back to `**`.
    pub fn glob(&self, pattern: &str) -> Files {
        let Ok(glob) = Glob::compile(pattern) else {
            return self.clone();
        };
        let matched = self.0.iter().filter(|(name, _)| glob.matches(name));
        Files(matched.map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// `Lines`: the file split at `\n`, without a final empty line; nothing for an empty
    /// or missing file.
    pub fn lines(&self, name: &str) -> Vec<String> {
        let Some(data) = self.0.get(name).filter(|d| !d.is_empty()) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(data);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.split('\n').map(str::to_owned).collect()
    }

    /// `AsConfig`: the files as YAML from base name to contents, for a ConfigMap's `data`.
    pub fn as_config(&self) -> String {
        self.by_base_name(|data| String::from_utf8_lossy(data).into_owned())
    }

    /// `AsSecrets`: the files as YAML from base name to base64 contents, for a Secret.
    pub fn as_secrets(&self) -> String {
        self.by_base_name(base64_std)
    }

    /// `toYAML` of a map from each file's base name to `encode(data)`. Helm iterates a Go
    /// map here, so which of two files with the same base name wins is random in Helm;
    /// here the later name wins.
    fn by_base_name(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let map: Map = self
            .0
            .iter()
            .map(|(name, data)| (base_name(name).to_owned(), Value::from(encode(data))))
            .collect();
        to_yaml(&Value::map(map))
    }

    fn data(&self) -> Value {
        let map: Map = self
            .0
            .iter()
            .map(|(name, data)| (name.clone(), Value::Bytes(data.clone())))
            .collect();
        Value::map(map)
    }
}

/// Go's `path.Base` for a file name: the last element, `.` for an empty name.
fn base_name(name: &str) -> &str {
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return if name.is_empty() { "." } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

const METHODS: &[&str] = &["AsConfig", "AsSecrets", "Get", "GetBytes", "Glob", "Lines"];

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    /// The methods, and otherwise Go's map indexing by field name (`.Files.name`), which
    /// yields nil bytes for a missing name as `missingkey=zero` does.
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let result = match name {
            "Get" => string_arg(name, args).map(|n| Value::from(self.get(n))),
            "GetBytes" => string_arg(name, args).map(|n| Value::Bytes(self.get_bytes(n))),
            "Glob" => string_arg(name, args).map(|p| self.glob(p).to_value()),
            "Lines" => string_arg(name, args).map(|n| {
                let lines = self.lines(n).into_iter().map(Value::from).collect();
                Value::List(Arc::new(lines), ListKind::String)
            }),
            "AsConfig" => no_args(name, args).map(|()| Value::from(self.as_config())),
            "AsSecrets" => no_args(name, args).map(|()| Value::from(self.as_secrets())),
            _ => Ok(Value::Bytes(self.get_bytes(name))),
        };
        Some(result)
    }

    fn is_method(&self, name: &str) -> bool {
        METHODS.contains(&name)
    }

    fn go_string(&self) -> String {
        print_value(&self.data())
    }

    fn truthy(&self) -> bool {
        !self.0.is_empty()
    }

    fn to_data(&self) -> Option<Value> {
        Some(self.data())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new(&[
            File::new("files/a.txt", b"hi\nthere\n".to_vec()),
            File::new("files/empty.txt", Vec::new()),
            File::new("files/sub/b.yaml", b"x: 1".to_vec()),
        ])
    }

    #[test]
    fn get_lines_and_glob_follow_helm() {
        let files = files();
        assert_eq!(files.get("files/a.txt"), "hi\nthere\n");
        assert_eq!(files.get("nope"), "");
        assert_eq!(files.lines("files/a.txt"), ["hi", "there"]);
        assert!(files.lines("files/empty.txt").is_empty());
        assert!(files.lines("nope").is_empty());
        let names = |f: &Files| f.0.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&files.glob("files/*")),
            ["files/a.txt", "files/empty.txt"]
        );
        assert_eq!(names(&files.glob("**.yaml")), ["files/sub/b.yaml"]);
        assert_eq!(names(&files.glob("[")).len(), 3);
    }

    #[test]
    fn as_config_and_as_secrets_key_by_base_name() {
        let files = files();
        assert_eq!(
            files.as_config(),
            "a.txt: |\n  hi\n  there\nb.yaml: 'x: 1'\nempty.txt: \"\""
        );
        assert_eq!(
            files.as_secrets(),
            "a.txt: aGkKdGhlcmUK\nb.yaml: eDogMQ==\nempty.txt: \"\""
        );
        assert_eq!(files.glob("nomatch").as_config(), "{}");
    }

    #[test]
    fn files_print_as_a_go_map_of_byte_slices() {
        let files = Files::new(&[File::new("a", b"hi".to_vec())]);
        assert_eq!(files.go_string(), "map[a:[104 105]]");
        assert_eq!(
            files.member("Get", &[Value::int(1)]).unwrap().unwrap_err(),
            "wrong type for value; expected string; got int"
        );
        assert_eq!(
            files
                .member("AsConfig", &[Value::from("x")])
                .unwrap()
                .unwrap_err(),
            "wrong number of args for AsConfig: want 0 got 1"
        );
        assert_eq!(base_name("a/b/c.txt"), "c.txt");
        assert_eq!(base_name("c.txt"), "c.txt");
    }
}
