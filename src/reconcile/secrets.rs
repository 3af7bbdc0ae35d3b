//! Secrets named by source objects (`secretRef`, `certSecretRef`), read when reconciling.
use k8s_openapi::api::core::v1::Secret;
use kube::Api;

use crate::source::credentials::SecretData;

/// A Secret that cannot be read; its message names the Secret, never its content.
#[derive(Debug, thiserror::Error)]
#[error("failed to get secret '{namespace}/{name}': {detail}")]
pub struct SecretError {
    pub namespace: String,
    pub name: String,
    pub detail: String,
}

/// A Secret's type and data.
pub struct SecretContent {
    pub type_: Option<String>,
    pub data: SecretData,
}

pub async fn read(
    client: &kube::Client,
    namespace: &str,
    name: &str,
) -> Result<SecretContent, SecretError> {
    let api: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let error = |detail: String| SecretError {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        detail,
    };
    let secret = match api.get_opt(name).await {
        Ok(Some(secret)) => secret,
        Ok(None) => return Err(error(format!("secrets \"{name}\" not found"))),
        Err(e) => return Err(error(e.to_string())),
    };
    let mut data: SecretData = secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect();
    for (k, v) in secret.string_data.unwrap_or_default() {
        data.entry(k).or_insert_with(|| v.into_bytes());
    }
    Ok(SecretContent {
        type_: secret.type_,
        data,
    })
}
