//! Authorized requests to one registry: what the registry accepted so far is reused, a 401
//! with a Basic or Bearer challenge the credentials can answer is answered once, tokens are
//! kept per scope, and every body read here is bounded.
use std::collections::HashMap;

use reqwest::header::{AUTHORIZATION, HeaderMap, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};

use super::auth::{Challenge, RegistryCredentials, basic_header};
use super::client::RegistryClient;
use super::error::{Error, transport};
use super::reference::Repository;

/// The authorization a registry accepted so far: Basic for everything once a Basic
/// challenge came, or a bearer token per scope.
#[derive(Default)]
pub(super) struct AuthState {
    basic: bool,
    tokens: HashMap<String, String>,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

impl RegistryClient {
    /// A GET in `repository`'s pull scope that must succeed; 404 becomes `NotFound` naming
    /// `what`, 401/403 `Unauthorized`.
    pub(super) async fn get_ok(
        &self,
        url: &str,
        repository: &Repository,
        headers: HeaderMap,
        what: impl FnOnce() -> String,
    ) -> Result<reqwest::Response, Error> {
        let scope = format!("repository:{}:pull", repository.name());
        let response = self.send(Method::GET, url, Some(&scope), headers).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let detail = self.error_detail(response).await;
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                self.unauthorized(url, status, detail)
            }
            StatusCode::NOT_FOUND => Error::NotFound {
                what: what(),
                method: "GET",
                url: url.to_owned(),
                status: status.as_u16(),
                detail,
            },
            _ => Error::Status {
                method: "GET",
                url: url.to_owned(),
                status: status.as_u16(),
                detail,
            },
        })
    }

    /// Sends a request with what authorization the registry accepted so far; on a 401 with
    /// a challenge the credentials can answer, authorizes and sends it once more.
    pub(super) async fn send(
        &self,
        method: Method,
        url: &str,
        scope: Option<&str>,
        headers: HeaderMap,
    ) -> Result<reqwest::Response, Error> {
        let authorization = self.cached_authorization(scope);
        let response = self
            .request(
                method.clone(),
                url,
                headers.clone(),
                authorization.as_deref(),
            )
            .await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let challenge = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .and_then(Challenge::parse);
        let authorization = match challenge {
            Some(Challenge::Basic) => match &self.credentials {
                RegistryCredentials::Basic(basic) if authorization.is_none() => {
                    self.lock_auth().basic = true;
                    basic_header(basic)
                }
                _ => return Ok(response),
            },
            Some(Challenge::Bearer {
                realm,
                service,
                scope: challenged,
            }) => {
                let scope = challenged.or(scope.map(str::to_owned));
                let token = self
                    .fetch_token(&realm, service.as_deref(), scope.as_deref())
                    .await?;
                let header = format!("Bearer {token}");
                if let Some(scope) = scope {
                    self.lock_auth().tokens.insert(scope, header.clone());
                }
                header
            }
            None => return Ok(response),
        };
        self.request(method, url, headers, Some(&authorization))
            .await
    }

    async fn request(
        &self,
        method: Method,
        url: &str,
        headers: HeaderMap,
        authorization: Option<&str>,
    ) -> Result<reqwest::Response, Error> {
        let method_name = method_name(&method);
        let mut request = self.http.request(method, url).headers(headers);
        if let Some(authorization) = authorization {
            request = request.header(AUTHORIZATION, authorization);
        }
        request
            .send()
            .await
            .map_err(|e| self.failed(method_name, url, e))
    }

    /// A token from the realm a Bearer challenge names, asked with the Basic credentials
    /// when there are any (anonymous tokens otherwise).
    async fn fetch_token(
        &self,
        realm: &str,
        service: Option<&str>,
        scope: Option<&str>,
    ) -> Result<String, Error> {
        let mut url = reqwest::Url::parse(realm).map_err(|e| Error::InvalidResponse {
            what: "token realm".into(),
            url: self.base.clone(),
            why: format!("'{realm}' is not a URL: {e}"),
        })?;
        // Credentials go to the realm: never over plain HTTP unless the registry itself is.
        let allowed = url.scheme() == "https" || (url.scheme() == "http" && self.options.insecure);
        if !allowed {
            return Err(Error::InvalidResponse {
                what: "token realm".into(),
                url: self.base.clone(),
                why: format!("'{realm}' is not an https URL"),
            });
        }
        {
            let mut query = url.query_pairs_mut();
            if let Some(service) = service {
                query.append_pair("service", service);
            }
            if let Some(scope) = scope {
                query.append_pair("scope", scope);
            }
        }
        let text_url = url.to_string();
        let authorization = match &self.credentials {
            RegistryCredentials::Basic(basic) => Some(basic_header(basic)),
            RegistryCredentials::Anonymous => None,
        };
        let response = self
            .request(
                Method::GET,
                &text_url,
                HeaderMap::new(),
                authorization.as_deref(),
            )
            .await?;
        let status = response.status();
        if !status.is_success() {
            let detail = self.error_detail(response).await;
            return Err(
                if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
                    self.unauthorized(&text_url, status, detail)
                } else {
                    Error::Status {
                        method: "GET",
                        url: text_url,
                        status: status.as_u16(),
                        detail,
                    }
                },
            );
        }
        let body = read_bounded(
            response,
            self.options.limits.max_small_body,
            "token",
            &text_url,
        )
        .await?;
        // The body holds the token itself: its parse errors are not quoted.
        let parsed: TokenResponse =
            serde_json::from_slice(&body).map_err(|_| Error::InvalidResponse {
                what: "token response".into(),
                url: text_url.clone(),
                why: "not a JSON object with a token".into(),
            })?;
        parsed
            .token
            .or(parsed.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::InvalidResponse {
                what: "token response".into(),
                url: text_url,
                why: "no token in the response".into(),
            })
    }

    fn cached_authorization(&self, scope: Option<&str>) -> Option<String> {
        let auth = self.lock_auth();
        if let Some(token) = scope.and_then(|s| auth.tokens.get(s)) {
            return Some(token.clone());
        }
        match (&self.credentials, auth.basic) {
            (RegistryCredentials::Basic(basic), true) => Some(basic_header(basic)),
            _ => None,
        }
    }

    fn lock_auth(&self) -> std::sync::MutexGuard<'_, AuthState> {
        // The state is a cache; one poisoned by a panicking thread is still usable.
        self.auth
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn failed(&self, method: &'static str, url: &str, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            return Error::Timeout {
                what: format!("{method} {url}"),
                after: self.options.timeout,
            };
        }
        transport(method, url, error)
    }

    /// `: CODE: message` from a distribution error body, or nothing.
    pub(super) async fn error_detail(&self, response: reqwest::Response) -> String {
        #[derive(serde::Deserialize)]
        struct Errors {
            errors: Vec<ErrorEntry>,
        }
        #[derive(serde::Deserialize)]
        struct ErrorEntry {
            #[serde(default)]
            code: String,
            #[serde(default)]
            message: String,
        }
        let url = response.url().to_string();
        let Ok(body) = read_bounded(response, 64 * 1024, "error", &url).await else {
            return String::new();
        };
        let Ok(errors) = serde_json::from_slice::<Errors>(&body) else {
            return String::new();
        };
        errors
            .errors
            .iter()
            .take(3)
            .map(|e| {
                format!(
                    ": {}: {}",
                    e.code,
                    e.message.chars().take(200).collect::<String>()
                )
            })
            .collect()
    }

    pub(super) fn unauthorized(&self, url: &str, status: StatusCode, detail: String) -> Error {
        Error::Unauthorized {
            method: "GET",
            url: url.to_owned(),
            status: status.as_u16(),
            credentials_sent: self.credentials != RegistryCredentials::Anonymous,
            detail,
        }
    }
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        _ => "GET",
    }
}

/// A response body, refused when it is longer than `limit` bytes.
pub(super) async fn read_bounded(
    mut response: reqwest::Response,
    limit: u64,
    what: &str,
    url: &str,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::TooLarge {
        what: what.to_owned(),
        url: url.to_owned(),
        limit,
    };
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport("GET", url, e))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
