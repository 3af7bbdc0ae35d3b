//! Registry credentials from a ServiceAccount's `imagePullSecrets`, as OCIRepository's
//! `serviceAccountName` asks: the first docker config Secret with an entry for the registry.
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;

use super::{Context, secrets};
use crate::source::oci::RegistryCredentials;

/// The most pull secrets read from one ServiceAccount; the API allows any number.
const MAX_PULL_SECRETS: usize = 32;

/// The credentials for `host`, anonymous when no pull secret has an entry for it. Errors
/// are condition messages; they name Secrets, never their content.
pub async fn registry_credentials(
    ctx: &Context,
    namespace: &str,
    account: &str,
    host: &str,
) -> Result<RegistryCredentials, String> {
    let accounts: Api<ServiceAccount> = Api::namespaced(ctx.client.clone(), namespace);
    let service_account = match accounts.get_opt(account).await {
        Ok(Some(service_account)) => service_account,
        Ok(None) => {
            return Err(format!(
                "failed to get credential: serviceaccounts \"{account}\" not found"
            ));
        }
        Err(e) => {
            return Err(format!(
                "failed to get credential: cannot read ServiceAccount '{namespace}/{account}': {e}"
            ));
        }
    };
    let names = pull_secret_names(&service_account);
    if names.len() > MAX_PULL_SECRETS {
        return Err(format!(
            "failed to get credential: ServiceAccount '{namespace}/{account}' has {} image pull \
             secrets, more than {MAX_PULL_SECRETS}",
            names.len()
        ));
    }
    for name in names {
        let secret = secrets::read(&ctx.client, namespace, &name)
            .await
            .map_err(|e| format!("failed to get credential: {e}"))?;
        let found = RegistryCredentials::from_pull_secret(&name, &secret.data, host)
            .map_err(|e| format!("failed to get credential: {e}"))?;
        if let Some(credentials) = found {
            return Ok(credentials);
        }
    }
    Ok(RegistryCredentials::Anonymous)
}

/// The names of the pull secrets, sorted and without duplicates, as Flux lists them.
fn pull_secret_names(service_account: &ServiceAccount) -> Vec<String> {
    let mut names: Vec<String> = service_account
        .image_pull_secrets
        .iter()
        .flatten()
        .map(|reference| reference.name.clone())
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_secrets_are_read_sorted_once_each() {
        let service_account: ServiceAccount = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "puller"},
            "imagePullSecrets": [{"name": "b"}, {"name": "a"}, {"name": "b"}, {"name": ""}]
        }))
        .unwrap();
        assert_eq!(pull_secret_names(&service_account), ["a", "b"]);
        assert!(pull_secret_names(&ServiceAccount::default()).is_empty());
    }
}
