//! What Helm does with rendered files before installing them (`pkg/release/v1/util`):
//! splitting each into YAML documents, taking out hooks by their `helm.sh/hook` annotation
//! (with weight, delete and output-log policies), and ordering both by kind.
use std::collections::BTreeMap;

use super::engine::is_partial;
use super::error::{Error, ErrorKind};
use super::head::{Head, parse_head};

pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// Helm's `InstallOrder`: kinds installed earlier come first; other kinds follow, sorted
/// by name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Helm's `UninstallOrder`: webhooks first, namespaces and priority classes last.
pub const UNINSTALL_ORDER: &[&str] = &[
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// One YAML document of a rendered file that is not a hook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The file it was rendered from: `top/templates/x.yaml`.
    pub name: String,
    pub content: String,
    pub head: Head,
}

/// When a hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    /// An annotation's event name; Helm 2's `test-success` is `test`.
    pub fn parse(name: &str) -> Option<HookEvent> {
        Some(match name {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    /// The name Helm stores (`pre-install`, ..., `test`).
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

/// Helm's `release.Hook` as rendering makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`.
    pub name: String,
    pub kind: String,
    /// The file it was rendered from.
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
    /// `helm.sh/hook-weight`, 0 when absent or not an integer.
    pub weight: i64,
    /// `helm.sh/hook-delete-policy` entries, trimmed and lower-cased; Helm keeps unknown
    /// ones as written.
    pub delete_policies: Vec<String>,
    /// `helm.sh/hook-output-log-policy` entries, likewise.
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// A `test` hook, which `--skip-tests` leaves out.
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// Helm's `SplitManifests`: the documents of a rendered file, split at lines starting with
/// `---` (the dashes and the spaces after them dropped), without blank documents, each
/// without its leading white space.
pub fn split_manifests(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let mut documents = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    while line_start <= text.len() {
        let rest = &text[line_start..];
        if rest.starts_with("---") {
            documents.push(&text[start..line_start]);
            let dashes_end = line_start + 3;
            let spaces = text[dashes_end..]
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            start = dashes_end + spaces;
        }
        match rest.find('\n') {
            Some(newline) => line_start += newline + 1,
            None => break,
        }
    }
    documents.push(&text[start..]);
    documents
        .into_iter()
        .filter(|doc| !doc.trim().is_empty())
        .map(|doc| doc.trim_start().to_owned())
        .collect()
}

/// Helm's `SortManifests`: the documents of every rendered file (in file name order,
/// partials and blank files skipped) split into hooks and manifests, each sorted stably by
/// `order`. A hook naming an unknown event is dropped, as Helm drops it.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
    order: &[&str],
) -> Result<(Vec<Hook>, Vec<Manifest>), Error> {
    let mut hooks = Vec::new();
    let mut manifests = Vec::new();
    for (path, content) in files {
        if is_partial(path) || content.trim().is_empty() {
            continue;
        }
        for document in split_manifests(content) {
            let head = parse_head(&document).map_err(|e| {
                Error::new(
                    ErrorKind::Manifest,
                    format!("YAML parse error on {path}: {e}"),
                )
            })?;
            match head.annotations().and_then(|a| a.get(HOOK_ANNOTATION)) {
                None => manifests.push(Manifest {
                    name: path.clone(),
                    content: document,
                    head,
                }),
                Some(hook_types) => {
                    if let Some(hook) = hook(path, document, &head, hook_types) {
                        hooks.push(hook);
                    }
                }
            }
        }
    }
    sort_by_kind(&mut hooks, |h| &h.kind, order);
    sort_by_kind(&mut manifests, |m| &m.head.kind, order);
    Ok((hooks, manifests))
}

fn hook(path: &str, manifest: String, head: &Head, hook_types: &str) -> Option<Hook> {
    let annotations = head.annotations()?;
    let events = split_annotation(hook_types)
        .map(|name| HookEvent::parse(&name))
        .collect::<Option<Vec<_>>>()?;
    let policies = |annotation: &str| -> Vec<String> {
        annotations
            .get(annotation)
            .map(|value| split_annotation(value).collect())
            .unwrap_or_default()
    };
    Some(Hook {
        name: head.name().to_owned(),
        kind: head.kind.clone(),
        path: path.to_owned(),
        manifest,
        events,
        weight: annotations
            .get(HOOK_WEIGHT_ANNOTATION)
            .and_then(|w| w.parse().ok())
            .unwrap_or(0),
        delete_policies: policies(HOOK_DELETE_ANNOTATION),
        output_log_policies: policies(HOOK_OUTPUT_LOG_ANNOTATION),
    })
}

/// A comma-separated annotation's entries, trimmed and lower-cased.
fn split_annotation(value: &str) -> impl Iterator<Item = String> + '_ {
    value.split(',').map(|entry| entry.trim().to_lowercase())
}

/// Helm's `sortManifestsByKind`: a stable sort placing kinds of `order` in its order and
/// every other kind after them, by name.
pub fn sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str, order: &[&str]) {
    items.sort_by(|a, b| kind_rank(kind(a), order).cmp(&kind_rank(kind(b), order)));
}

/// Where a kind sorts: by its place in `order`, else after all of those by its name.
fn kind_rank<'k>(kind: &'k str, order: &[&str]) -> (bool, usize, &'k str) {
    match order.iter().position(|k| *k == kind) {
        Some(position) => (false, position, ""),
        None => (true, 0, kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_at_dashes_at_a_line_start() {
        assert_eq!(
            split_manifests("\n\na: b\n---\n\n---  \nc: d\n---apiVersion: v1\n"),
            ["a: b\n", "c: d\n", "apiVersion: v1\n"]
        );
        assert_eq!(split_manifests("a: '---'\nb: c\n"), ["a: '---'\nb: c\n"]);
        assert_eq!(split_manifests("---\nx\n----y\n"), ["x\n", "-y\n"]);
        assert!(split_manifests("  \n---\n").is_empty());
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn hooks_are_taken_out_with_their_weights_and_policies() {
        let files = files(&[
            (
                "c/templates/a.yaml",
                "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: \
                 Pre-Install, post-upgrade\n    helm.sh/hook-weight: \"-5\"\n    \
                 helm.sh/hook-delete-policy: before-hook-creation,Hook-Succeeded\n---\n\
                 kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test-success\n",
            ),
            (
                "c/templates/b.yaml",
                "kind: Service\n---\nkind: Secret\nmetadata:\n  annotations:\n    helm.sh/hook: nope\n",
            ),
            ("c/templates/_helpers.tpl", "kind: ConfigMap\n"),
        ]);
        let (hooks, manifests) = sort_manifests(&files, INSTALL_ORDER).unwrap();
        assert_eq!(manifests.len(), 1);
        assert_eq!(manifests[0].head.kind, "Service");
        let kinds: Vec<&str> = hooks.iter().map(|h| h.kind.as_str()).collect();
        assert_eq!(kinds, ["Pod", "Job"]);
        assert!(hooks[0].is_test());
        let job = &hooks[1];
        assert_eq!(job.events, [HookEvent::PreInstall, HookEvent::PostUpgrade]);
        assert_eq!(job.weight, -5);
        assert_eq!(
            job.delete_policies,
            ["before-hook-creation", "hook-succeeded"]
        );
        assert_eq!(job.name, "j");
    }

    #[test]
    fn unknown_kinds_sort_last_by_name_and_equal_kinds_keep_their_order() {
        let mut kinds = vec!["Zeta", "Service", "Alpha", "Namespace", "Zeta", "Service"];
        let mut indexed: Vec<(usize, &str)> = kinds.drain(..).enumerate().collect();
        sort_by_kind(&mut indexed, |(_, k)| k, INSTALL_ORDER);
        assert_eq!(
            indexed,
            [
                (3, "Namespace"),
                (1, "Service"),
                (5, "Service"),
                (2, "Alpha"),
                (0, "Zeta"),
                (4, "Zeta")
            ]
        );
    }

    #[test]
    fn a_manifest_that_is_not_yaml_names_its_file() {
        let files = files(&[("c/templates/a.yaml", "- a\n")]);
        let err = sort_manifests(&files, INSTALL_ORDER).unwrap_err();
        assert_eq!(
            err.to_string(),
            "YAML parse error on c/templates/a.yaml: error unmarshaling JSON: while decoding \
             JSON: json: cannot unmarshal array into Go value of type util.SimpleHead"
        );
    }
}
