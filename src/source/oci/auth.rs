//! Registry credentials: anonymous, basic (a `username`/`password` Secret) or a docker
//! config Secret (`kubernetes.io/dockerconfigjson`), and the `WWW-Authenticate` challenges
//! registries answer with (`Basic realm=…`, `Bearer realm=…,service=…,scope=…`).
use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::error::Error;
use crate::source::credentials::{BasicAuth, SecretData};

/// The Secret type and key of docker config Secrets.
pub const DOCKER_CONFIG_JSON_TYPE: &str = "kubernetes.io/dockerconfigjson";
pub const DOCKER_CONFIG_JSON_KEY: &str = ".dockerconfigjson";

/// The largest docker config read from a Secret (Secrets themselves stop at 1 MiB).
const MAX_DOCKER_CONFIG_SIZE: usize = 1024 * 1024;

/// How to authenticate to one registry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RegistryCredentials {
    #[default]
    Anonymous,
    /// Basic credentials, sent on a Basic challenge or to a Bearer token realm.
    Basic(BasicAuth),
}

impl RegistryCredentials {
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        RegistryCredentials::Basic(BasicAuth {
            username: username.into(),
            password: password.into(),
        })
    }

    /// The credentials for registry `host` in a Secret referenced by `secretRef`: a docker
    /// config (by type, or by its `.dockerconfigjson` key) or `username`/`password` keys.
    pub fn from_secret(
        secret_name: &str,
        secret_type: Option<&str>,
        data: &SecretData,
        host: &str,
    ) -> Result<RegistryCredentials, Error> {
        let docker_config = data.get(DOCKER_CONFIG_JSON_KEY);
        if secret_type == Some(DOCKER_CONFIG_JSON_TYPE) || docker_config.is_some() {
            let Some(config) = docker_config else {
                return Err(Error::Credentials(format!(
                    "secret '{secret_name}' of type {DOCKER_CONFIG_JSON_TYPE} has no \
                     '{DOCKER_CONFIG_JSON_KEY}' key"
                )));
            };
            return from_docker_config(config, host)
                .and_then(|found| {
                    found.ok_or_else(|| {
                        format!("{DOCKER_CONFIG_JSON_KEY} has no auths entry for {host}")
                    })
                })
                .map_err(|why| Error::Credentials(format!("secret '{secret_name}': {why}")));
        }
        match BasicAuth::from_secret(data) {
            Ok(Some(basic)) => Ok(RegistryCredentials::Basic(basic)),
            Ok(None) => Err(Error::Credentials(format!(
                "secret '{secret_name}' has neither '{DOCKER_CONFIG_JSON_KEY}' nor \
                 'username' and 'password' keys"
            ))),
            Err(e) => Err(Error::Credentials(format!("secret '{secret_name}': {e}"))),
        }
    }
}

impl RegistryCredentials {
    /// The credentials for `host` in one of a ServiceAccount's `imagePullSecrets`, read as
    /// the kubelet's keychain reads them: only docker config Secrets count, and `None` when
    /// this one has no entry for `host` (the next one is tried).
    pub fn from_pull_secret(
        secret_name: &str,
        data: &SecretData,
        host: &str,
    ) -> Result<Option<RegistryCredentials>, Error> {
        let Some(config) = data.get(DOCKER_CONFIG_JSON_KEY) else {
            return Ok(None);
        };
        from_docker_config(config, host)
            .map_err(|why| Error::Credentials(format!("secret '{secret_name}': {why}")))
    }
}

#[derive(serde::Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, DockerAuth>,
}

#[derive(serde::Deserialize)]
struct DockerAuth {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// The entry of a docker config for `host`, `None` when it has none. Keys are written with
/// or without a scheme and sometimes with a path (`https://index.docker.io/v1/`), so they
/// are compared by host.
fn from_docker_config(config: &[u8], host: &str) -> Result<Option<RegistryCredentials>, String> {
    if config.len() > MAX_DOCKER_CONFIG_SIZE {
        return Err(format!(
            "{DOCKER_CONFIG_JSON_KEY} is larger than {MAX_DOCKER_CONFIG_SIZE} bytes"
        ));
    }
    // serde_json's messages quote no input, so no credential leaks through them.
    let config: DockerConfig = serde_json::from_slice(config)
        .map_err(|e| format!("{DOCKER_CONFIG_JSON_KEY} is not a docker config: {e}"))?;
    let Some(entry) = config
        .auths
        .iter()
        .find(|(key, _)| config_key_host(key).eq_ignore_ascii_case(host))
        .map(|(_, entry)| entry)
    else {
        return Ok(None);
    };
    if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
        let decoded = BASE64
            .decode(auth.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| format!("the auth of {host} is not base64 of 'username:password'"))?;
        let Some((username, password)) = decoded.split_once(':') else {
            return Err(format!(
                "the auth of {host} is not base64 of 'username:password'"
            ));
        };
        return Ok(Some(RegistryCredentials::basic(username, password)));
    }
    match (&entry.username, &entry.password) {
        (Some(username), Some(password)) => {
            Ok(Some(RegistryCredentials::basic(username, password)))
        }
        _ => Err(format!(
            "the auths entry for {host} has neither 'auth' nor 'username' and 'password'"
        )),
    }
}

/// `https://reg.example:5000/v1/` → `reg.example:5000`.
fn config_key_host(key: &str) -> &str {
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    key.split('/').next().unwrap_or(key)
}

/// A `WWW-Authenticate` challenge from a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

impl Challenge {
    /// The first challenge of a `WWW-Authenticate` value that is Basic or Bearer with a realm.
    pub fn parse(header: &str) -> Option<Challenge> {
        let (scheme, params) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
        if scheme.eq_ignore_ascii_case("basic") {
            return Some(Challenge::Basic);
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let params = parse_params(params);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        Some(Challenge::Bearer {
            realm: get("realm")?,
            service: get("service"),
            scope: get("scope"),
        })
    }
}

/// `k1="v1",k2=v2` pairs; quoted values may hold commas (`scope="repository:a:pull,push"`).
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().trim_start_matches(',').trim().to_owned();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end.min(quoted.len())..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.push((key, value));
        rest = remaining.trim_start().trim_start_matches(',').trim_start();
    }
    params
}

/// An `Authorization: Basic` value.
pub(crate) fn basic_header(basic: &BasicAuth) -> String {
    let pair = format!("{}:{}", basic.username, basic.password);
    format!("Basic {}", BASE64.encode(pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn docker_config_entries_match_with_or_without_scheme() {
        let auth = BASE64.encode("robot:pa:ss");
        for key in [
            "reg.example:5000",
            "https://reg.example:5000",
            "http://reg.example:5000/v1/",
        ] {
            let config = format!(r#"{{"auths":{{"{key}":{{"auth":"{auth}"}}}}}}"#);
            let secret = data(&[(DOCKER_CONFIG_JSON_KEY, &config)]);
            let creds = RegistryCredentials::from_secret(
                "s",
                Some(DOCKER_CONFIG_JSON_TYPE),
                &secret,
                "reg.example:5000",
            )
            .unwrap();
            assert_eq!(creds, RegistryCredentials::basic("robot", "pa:ss"), "{key}");
        }
    }

    #[test]
    fn docker_config_username_and_password_fields_work_too() {
        let config = r#"{"auths":{"reg":{"username":"u","password":"p"}}}"#;
        let secret = data(&[(DOCKER_CONFIG_JSON_KEY, config)]);
        let creds = RegistryCredentials::from_secret("s", None, &secret, "reg").unwrap();
        assert_eq!(creds, RegistryCredentials::basic("u", "p"));
    }

    #[test]
    fn a_docker_config_without_the_host_names_the_host_not_the_secrets() {
        let config = r#"{"auths":{"other":{"username":"u","password":"topsecret"}}}"#;
        let secret = data(&[(DOCKER_CONFIG_JSON_KEY, config)]);
        let message = RegistryCredentials::from_secret("regcred", None, &secret, "reg")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("regcred") && message.contains("no auths entry for reg"),
            "{message}"
        );
        assert!(!message.contains("topsecret"), "{message}");
    }

    #[test]
    fn basic_secrets_need_both_keys() {
        let creds = RegistryCredentials::from_secret(
            "s",
            None,
            &data(&[("username", "u"), ("password", "p")]),
            "h",
        )
        .unwrap();
        assert_eq!(creds, RegistryCredentials::basic("u", "p"));
        let message = RegistryCredentials::from_secret("s", None, &data(&[("username", "u")]), "h")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("has 'username' but no 'password'"),
            "{message}"
        );
    }

    #[test]
    fn debug_output_redacts_the_password() {
        let text = format!("{:?}", RegistryCredentials::basic("u", "hunter2"));
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn bearer_challenges_keep_quoted_commas() {
        let c = Challenge::parse(
            r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push""#,
        );
        assert_eq!(
            c,
            Some(Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into()),
                scope: Some("repository:a/b:pull,push".into()),
            })
        );
        assert_eq!(
            Challenge::parse(r#"Basic realm="basic-realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(Challenge::parse("Negotiate"), None);
    }
}
