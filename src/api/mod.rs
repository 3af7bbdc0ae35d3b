//! The custom resources helmsync serves: Flux's own APIs, field for field, generated into
//! CustomResourceDefinitions from these types.
pub mod helmchart;
pub mod helmrepository;
pub mod meta;
pub mod ocirepository;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSON, JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
};
use kube::CustomResourceExt;

/// Every CRD helmsync serves, in a stable order.
pub fn crds() -> Result<Vec<CustomResourceDefinition>, kube::core::crd::MergeError> {
    let oci = kube::core::crd::merge_crds(
        vec![
            ocirepository::v1::OCIRepository::crd(),
            ocirepository::v1beta2::OCIRepository::crd(),
        ],
        "v1",
    )?;
    let mut all = vec![
        helmchart::HelmChart::crd(),
        helmrepository::HelmRepository::crd(),
        oci,
    ];
    for crd in &mut all {
        finish(crd);
    }
    Ok(all)
}

/// Brings the derived schema to Flux's: the `status` default of `{observedGeneration: -1}`,
/// and no `nullable` (Flux's optional fields are omitted, never null).
fn finish(crd: &mut CustomResourceDefinition) {
    for version in &mut crd.spec.versions {
        let Some(root) = version
            .schema
            .as_mut()
            .and_then(|s| s.open_api_v3_schema.as_mut())
        else {
            continue;
        };
        clear_nullable(root);
        // Flux's root schema describes the object header and requires nothing.
        root.required = None;
        let properties = root.properties.get_or_insert_with(Default::default);
        for (field, kind) in [
            ("apiVersion", "string"),
            ("kind", "string"),
            ("metadata", "object"),
        ] {
            properties
                .entry(field.to_owned())
                .or_insert_with(|| JSONSchemaProps {
                    type_: Some(kind.to_owned()),
                    description: Some(header_doc(field).to_owned()).filter(|d| !d.is_empty()),
                    ..Default::default()
                });
        }
        if let Some(status) = properties.get_mut("status") {
            status.default = Some(JSON(serde_json::json!({"observedGeneration": -1})));
        }
    }
}

/// Descriptions of the object header fields, as every Kubernetes type documents them.
fn header_doc(field: &str) -> &'static str {
    match field {
        "apiVersion" => {
            "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
        }
        "kind" => {
            "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
        }
        _ => "",
    }
}

/// Optional fields become nullable in the derived schema, and optional enums gain a `null`
/// member; Flux's optional fields are simply omitted.
fn clear_nullable(schema: &mut JSONSchemaProps) {
    schema.nullable = None;
    if let Some(values) = schema.enum_.as_mut() {
        values.retain(|v| !v.0.is_null());
    }
    for child in schema.properties.iter_mut().flat_map(|p| p.values_mut()) {
        clear_nullable(child);
    }
    if let Some(JSONSchemaPropsOrArray::Schema(items)) = schema.items.as_mut() {
        clear_nullable(items);
    }
    if let Some(JSONSchemaPropsOrBool::Schema(extra)) = schema.additional_properties.as_mut() {
        clear_nullable(extra);
    }
}
