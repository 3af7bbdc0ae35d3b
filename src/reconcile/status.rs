//! Status bookkeeping every source kind shares: the status fields, the merge patch on the
//! status subresource, and the `reconcile.fluxcd.io/requestedAt` token.
use kube::api::{Patch, PatchParams};
use kube::{Api, Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::helmchart::HelmChartStatus;
use crate::api::helmrepository::HelmRepositoryStatus;
use crate::api::meta::{Artifact, Condition};
use crate::api::ocirepository::OciRepositoryStatusFields;

/// The annotation whose new values ask for a reconcile now (`flux reconcile source …`).
pub const REQUESTED_AT_ANNOTATION: &str = "reconcile.fluxcd.io/requestedAt";

/// The status fields the framework maintains for every kind.
pub trait SourceStatus: Clone + Default + PartialEq + Serialize + Send + Sync + 'static {
    fn conditions_mut(&mut self) -> &mut Option<Vec<Condition>>;
    fn conditions(&self) -> &[Condition];
    fn observed_generation(&self) -> Option<i64>;
    fn observed_generation_mut(&mut self) -> &mut Option<i64>;
    fn last_handled_reconcile_at(&self) -> Option<&str>;
    fn last_handled_reconcile_at_mut(&mut self) -> &mut Option<String>;
    fn artifact(&self) -> Option<&Artifact>;
}

macro_rules! source_status {
    ($status:ty) => {
        impl SourceStatus for $status {
            fn conditions_mut(&mut self) -> &mut Option<Vec<Condition>> {
                &mut self.conditions
            }
            fn conditions(&self) -> &[Condition] {
                self.conditions.as_deref().unwrap_or_default()
            }
            fn observed_generation(&self) -> Option<i64> {
                self.observed_generation
            }
            fn observed_generation_mut(&mut self) -> &mut Option<i64> {
                &mut self.observed_generation
            }
            fn last_handled_reconcile_at(&self) -> Option<&str> {
                self.last_handled_reconcile_at.as_deref()
            }
            fn last_handled_reconcile_at_mut(&mut self) -> &mut Option<String> {
                &mut self.last_handled_reconcile_at
            }
            fn artifact(&self) -> Option<&Artifact> {
                self.artifact.as_ref()
            }
        }
    };
}

source_status!(HelmRepositoryStatus);
source_status!(HelmChartStatus);
source_status!(OciRepositoryStatusFields);

/// The token of the last on-demand reconcile request, if any.
pub fn requested_at<K: Resource>(object: &K) -> Option<&str> {
    object
        .annotations()
        .get(REQUESTED_AT_ANNOTATION)
        .map(String::as_str)
        .filter(|token| !token.is_empty())
}

/// The JSON merge patch that turns `old` into `new`; fields `new` no longer has are set to
/// null so they are removed. `None` when nothing changed.
pub fn merge_patch<S: SourceStatus>(
    old: Option<&S>,
    new: &S,
) -> Result<Option<serde_json::Value>, serde_json::Error> {
    if old == Some(new) {
        return Ok(None);
    }
    let mut status = serde_json::to_value(new)?;
    if let (Some(old), Some(fields)) = (old, status.as_object_mut())
        && let serde_json::Value::Object(old_fields) = serde_json::to_value(old)?
    {
        for key in old_fields.keys() {
            fields.entry(key.clone()).or_insert(serde_json::Value::Null);
        }
    }
    Ok(Some(serde_json::json!({ "status": status })))
}

/// Writes the status with a merge patch on the status subresource.
pub async fn patch<K>(api: &Api<K>, object: &K, patch: serde_json::Value) -> Result<(), kube::Error>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    api.patch_status(
        &object.name_any(),
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_status_needs_no_patch() {
        let status = HelmRepositoryStatus {
            observed_generation: Some(1),
            ..Default::default()
        };
        assert_eq!(merge_patch(Some(&status), &status).unwrap(), None);
    }

    #[test]
    fn a_dropped_field_is_nulled() {
        let old = HelmRepositoryStatus {
            url: Some("http://x/index.yaml".into()),
            observed_generation: Some(1),
            ..Default::default()
        };
        let new = HelmRepositoryStatus {
            observed_generation: Some(2),
            ..Default::default()
        };
        let patch = merge_patch(Some(&old), &new).unwrap().unwrap();
        assert_eq!(
            patch,
            serde_json::json!({"status": {"observedGeneration": 2, "url": null}})
        );
    }

    #[test]
    fn the_requested_at_token_is_read_from_the_annotation() {
        let mut repo = crate::api::helmrepository::HelmRepository::new("r", Default::default());
        assert_eq!(requested_at(&repo), None);
        repo.annotations_mut().insert(
            REQUESTED_AT_ANNOTATION.into(),
            "2026-11-23T16:00:00Z".into(),
        );
        assert_eq!(requested_at(&repo), Some("2026-11-23T16:00:00Z"));
    }
}
