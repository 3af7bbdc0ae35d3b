//! The custom resources helmsync serves: Flux's own APIs, field for field, generated into
//! CustomResourceDefinitions from these types.
pub mod helmchart;
pub mod helmrepository;
pub mod meta;
pub mod ocirepository;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

/// Every CRD helmsync serves, in a stable order.
pub fn crds() -> Result<Vec<CustomResourceDefinition>, kube::core::crd::MergeError> {
    let oci = kube::core::crd::merge_crds(
        vec![ocirepository::v1::OCIRepository::crd(), ocirepository::v1beta2::OCIRepository::crd()],
        "v1",
    )?;
    let mut all = vec![helmchart::HelmChart::crd(), helmrepository::HelmRepository::crd(), oci];
    for crd in &mut all {
        finish(crd);
    }
    Ok(all)
}

/// What the derive cannot express: Flux's `status` default of `{observedGeneration: -1}`.
fn finish(crd: &mut CustomResourceDefinition) {
    for version in &mut crd.spec.versions {
        let status = version
            .schema
            .as_mut()
            .and_then(|s| s.open_api_v3_schema.as_mut())
            .and_then(|s| s.properties.as_mut())
            .and_then(|p| p.get_mut("status"));
        if let Some(status) = status {
            status.default = Some(k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSON(
                serde_json::json!({"observedGeneration": -1}),
            ));
        }
    }
}
