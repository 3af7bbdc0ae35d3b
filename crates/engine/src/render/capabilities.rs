//! `.Capabilities`: what Helm tells templates about the cluster (`pkg/chart/common`'s
//! `Capabilities`, `KubeVersion`, `VersionSet` and Helm's `BuildInfo`), with Helm's defaults
//! for rendering without a cluster. `capability_objects` shows them to templates.
use crate::gofmt::quote;
use crate::value::{Map, Value};

/// The Kubernetes version `helm template` assumes without `--kube-version`: Helm v4.3.1
/// derives it from the k8s.io/client-go it was built with (v0.37, so Kubernetes 1.37).
pub const DEFAULT_KUBE_VERSION: &str = "v1.37.0";

/// Helm's `DefaultVersionSet`: every group/version of client-go's scheme plus the
/// apiextensions ones, in the scheme's priority order, as Helm v4.3.1 reports them.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "lifecycle.k8s.io/v1alpha1",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// Helm's `Capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    /// `APIVersions`, in order; `Has` looks a group/version up in it.
    pub api_versions: Vec<String>,
    pub helm_version: BuildInfo,
}

impl Capabilities {
    /// Helm's `DefaultCapabilities`, what `helm template` renders with: Kubernetes
    /// [`DEFAULT_KUBE_VERSION`], [`DEFAULT_API_VERSIONS`], Helm v4.3.1's build information.
    pub fn helm_default() -> Capabilities {
        Capabilities {
            kube_version: KubeVersion::from_parts(
                DEFAULT_KUBE_VERSION,
                DEFAULT_KUBE_VERSION,
                1,
                37,
            ),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|&v| v.to_owned()).collect(),
            helm_version: BuildInfo::helm_default(),
        }
    }
}

/// Helm's `KubeVersion`: the version as given, and the one constraints are checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// The full version (`v1.33.4-gke.1245000`): `.Version` and `.GitVersion`.
    pub version: String,
    /// The version without pre-release or build suffixes (`v1.33.4`): what `String`
    /// returns and `kubeVersion` constraints are checked against.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    fn from_parts(version: &str, normalized: &str, major: u64, minor: u64) -> KubeVersion {
        KubeVersion {
            version: version.to_owned(),
            normalized: normalized.to_owned(),
            major: major.to_string(),
            minor: minor.to_string(),
        }
    }

    /// Helm's `ParseKubeVersion` (`--kube-version`): Kubernetes' generic version syntax,
    /// at least major and minor, an optional `v` and any suffix. The error is Kubernetes'
    /// message (`could not parse "x" as version`).
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let numbers = split_generic_version(text)
            .ok_or_else(|| format!("could not parse {} as version", quote(text)))?;
        let components: Vec<&str> = numbers.split('.').collect();
        if components.len() < 2 {
            return Err(format!("illegal version string {}", quote(text)));
        }
        let mut parsed = Vec::with_capacity(components.len());
        for (i, component) in components.iter().enumerate() {
            if i == 0 && component.starts_with('0') && *component != "0" {
                return Err(format!(
                    "illegal zero-prefixed version component {} in {}",
                    quote(component),
                    quote(text)
                ));
            }
            let number: u64 = component.parse().map_err(|_| {
                format!(
                    "illegal non-numeric version component {} in {}: strconv.ParseUint: \
                     parsing {}: value out of range",
                    quote(component),
                    quote(text),
                    quote(component)
                )
            })?;
            parsed.push(number);
        }
        let joined: Vec<String> = parsed.iter().map(u64::to_string).collect();
        let normalized = format!("v{}", joined.join("."));
        let version = if text.starts_with('v') {
            text.to_owned()
        } else {
            format!("v{text}")
        };
        Ok(KubeVersion::from_parts(
            &version,
            &normalized,
            parsed[0],
            parsed[1],
        ))
    }

    /// Go's `String()`: the normalized version, or the full one when there is none.
    pub fn normalized(&self) -> &str {
        if self.normalized.is_empty() {
            &self.version
        } else {
            &self.normalized
        }
    }

    /// How Go's `%v` prints the struct (`{v1.30.2-gke.1 v1.30.2 1 30}`), unexported field
    /// included, as it appears inside `{{ .Capabilities }}`.
    pub(super) fn struct_text(&self) -> String {
        format!(
            "{{{} {} {} {}}}",
            self.version, self.normalized, self.major, self.minor
        )
    }

    pub(super) fn to_data(&self) -> Value {
        let mut map = Map::new();
        map.insert("Version".into(), self.version.as_str().into());
        map.insert("Major".into(), self.major.as_str().into());
        map.insert("Minor".into(), self.minor.as_str().into());
        Value::map(map)
    }
}

/// Kubernetes' `versionMatchRE` (`^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$`): the dotted numbers,
/// or `None` when the text does not start with a number.
fn split_generic_version(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let rest = rest.strip_prefix('v').unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut end = 0;
    loop {
        let digits = bytes[end..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            // A trailing dot belongs to the suffix, not to the numbers.
            if end == 0 {
                return None;
            }
            end -= 1;
            break;
        }
        end += digits;
        if bytes.get(end) != Some(&b'.') {
            break;
        }
        end += 1;
    }
    let (numbers, extra) = rest.split_at(end);
    // `.` stops at a line break, so a suffix holding one does not match.
    (!extra.contains('\n')).then_some(numbers)
}

/// Helm's `BuildInfo` (`.Capabilities.HelmVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl BuildInfo {
    /// What the reference `helm` v4.3.1 build reports: built from the module proxy at
    /// v4.3.1 (no commit, a clean tree) with Go 1.26.8, against client-go v0.37.
    pub fn helm_default() -> BuildInfo {
        BuildInfo {
            version: "v4.3.1".into(),
            git_commit: String::new(),
            git_tree_state: "clean".into(),
            go_version: "go1.26.8".into(),
            kube_client_version: "v1.37".into(),
        }
    }

    pub(super) fn struct_text(&self) -> String {
        format!(
            "{{{} {} {} {} {}}}",
            self.version,
            self.git_commit,
            self.git_tree_state,
            self.go_version,
            self.kube_client_version
        )
    }

    /// The JSON form: Go's tags, empty fields omitted but for `kube_client_version`.
    pub(super) fn to_data(&self) -> Value {
        let mut map = Map::new();
        let fields = [
            ("version", &self.version),
            ("git_commit", &self.git_commit),
            ("git_tree_state", &self.git_tree_state),
            ("go_version", &self.go_version),
        ];
        for (key, value) in fields {
            if !value.is_empty() {
                map.insert(key.into(), value.as_str().into());
            }
        }
        map.insert(
            "kube_client_version".into(),
            self.kube_client_version.as_str().into(),
        );
        Value::map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_as_kubernetes_generic_versions() {
        let kv = KubeVersion::parse("1.33.4-gke.1245000").unwrap();
        assert_eq!(kv.version, "v1.33.4-gke.1245000");
        assert_eq!(kv.normalized(), "v1.33.4");
        assert_eq!((kv.major.as_str(), kv.minor.as_str()), ("1", "33"));
        let kv = KubeVersion::parse("v1.20").unwrap();
        assert_eq!((kv.version.as_str(), kv.normalized()), ("v1.20", "v1.20"));
        let kv = KubeVersion::parse("v1.2.3.4-x+y").unwrap();
        assert_eq!(kv.normalized(), "v1.2.3.4");
        assert_eq!(
            KubeVersion::parse("1.").unwrap_err(),
            r#"illegal version string "1.""#
        );
        assert_eq!(
            KubeVersion::parse("foo").unwrap_err(),
            r#"could not parse "foo" as version"#
        );
        assert_eq!(
            KubeVersion::parse("1").unwrap_err(),
            r#"illegal version string "1""#
        );
        assert_eq!(
            KubeVersion::parse("01.2").unwrap_err(),
            r#"illegal zero-prefixed version component "01" in "01.2""#
        );
        assert_eq!(KubeVersion::parse("1.02").unwrap().normalized(), "v1.2");
    }
}
