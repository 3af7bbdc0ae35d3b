//! OCI references as Flux and Helm write them: `oci://host[:port]/path/name`, with an
//! optional `:tag` or `@sha256:<hex>`, and Helm's spelling of chart versions as tags
//! (`+` is not allowed in a tag, so `1.0.0+build` is stored as `1.0.0_build`).
use std::fmt;

use super::error::Error;

/// The scheme every OCI source URL carries.
pub const OCI_SCHEME: &str = "oci://";

/// The distribution spec's limit on a repository name (host excluded).
const MAX_NAME_LEN: usize = 255;
/// The distribution spec's limit on a tag.
const MAX_TAG_LEN: usize = 128;

/// A repository in a registry: `host[:port]` and the slash-separated name inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Repository {
    host: String,
    name: String,
}

impl Repository {
    /// A repository from an `oci://` URL that names no tag or digest, as OCIRepository's
    /// `url` and (with a chart name appended) HelmRepository type `oci` use it.
    pub fn parse_url(url: &str) -> Result<Repository, Error> {
        let reference = Reference::parse(url)?;
        if reference.target != Target::Latest {
            return Err(Error::invalid_url(
                url,
                "the URL must not carry a tag or digest; use spec.ref instead",
            ));
        }
        Ok(reference.repository)
    }

    /// The repository of chart `chart` under a HelmRepository's `oci://host/prefix` URL.
    pub fn for_chart(repository_url: &str, chart: &str) -> Result<Repository, Error> {
        let base = Repository::parse_url(repository_url.trim_end_matches('/'))?;
        if chart.is_empty() || chart.contains('/') || !is_valid_path_component(chart) {
            return Err(Error::invalid_url(
                repository_url,
                &format!("'{chart}' is not a valid chart name for an OCI repository"),
            ));
        }
        Repository::new(&base.host, &format!("{}/{chart}", base.name))
            .map_err(|_| Error::invalid_url(repository_url, "the chart reference is too long"))
    }

    fn new(host: &str, name: &str) -> Result<Repository, &'static str> {
        if host.is_empty() || !host.bytes().all(is_host_byte) {
            return Err("the registry host is missing or malformed");
        }
        if name.is_empty() {
            return Err("the repository path is missing after the registry host");
        }
        if name.len() > MAX_NAME_LEN {
            return Err("the repository path is longer than 255 characters");
        }
        if !name.split('/').all(is_valid_path_component) {
            return Err(
                "each repository path component must be lowercase letters and digits, \
                 separated by '.', '_', '__' or '-'",
            );
        }
        Ok(Repository {
            host: host.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `host[:port]` of the registry.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The repository's name inside the registry (`charts/podinfo`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.host, self.name)
    }
}

/// What a reference points at inside a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// No tag or digest: Flux's default, the `latest` tag.
    Latest,
    Tag(String),
    Digest(Digest),
}

/// A parsed `oci://host/name[:tag|@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub repository: Repository,
    pub target: Target,
}

impl Reference {
    pub fn parse(url: &str) -> Result<Reference, Error> {
        let Some(rest) = url.strip_prefix(OCI_SCHEME) else {
            return Err(Error::invalid_url(url, "the URL must start with oci://"));
        };
        let (rest, digest) = match rest.split_once('@') {
            Some((rest, digest)) => {
                let digest = Digest::parse(digest).map_err(|why| Error::invalid_url(url, why))?;
                (rest, Some(digest))
            }
            None => (rest, None),
        };
        let Some((host, path)) = rest.split_once('/') else {
            return Err(Error::invalid_url(
                url,
                "the repository path is missing after the registry host",
            ));
        };
        // A colon after the last slash starts a tag; one before it is the host's port.
        let (name, tag) = match path.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
            _ => (path, None),
        };
        let repository = Repository::new(host, name).map_err(|why| Error::invalid_url(url, why))?;
        let target = match (tag, digest) {
            (_, Some(digest)) => Target::Digest(digest),
            (Some(tag), None) => {
                if !is_valid_tag(tag) {
                    return Err(Error::invalid_url(
                        url,
                        &format!("'{tag}' is not a valid tag"),
                    ));
                }
                Target::Tag(tag.to_owned())
            }
            (None, None) => Target::Latest,
        };
        Ok(Reference { repository, target })
    }
}

/// A content digest, `sha256:<64 lowercase hex>`: the only algorithm registries and Flux
/// use for artifacts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Digest(String);

impl Digest {
    pub fn parse(text: &str) -> Result<Digest, &'static str> {
        let Some(hex) = text.strip_prefix("sha256:") else {
            return Err("a digest must be sha256:<64 hex digits>");
        };
        if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err("a sha256 digest must have 64 lowercase hex digits");
        }
        Ok(Digest(text.to_owned()))
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        use sha2::{Digest as _, Sha256};
        Digest::from_sha256(&Sha256::digest(bytes))
    }

    pub(crate) fn from_sha256(hash: &[u8]) -> Digest {
        use std::fmt::Write as _;
        let mut text = String::with_capacity(7 + 64);
        text.push_str("sha256:");
        for b in hash {
            let _ = write!(text, "{b:02x}");
        }
        Digest(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hex part, without `sha256:`.
    pub fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or(&self.0)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Helm's tag for a chart version: OCI tags cannot hold `+`, so build metadata is joined
/// with `_` (`1.0.0+build` → `1.0.0_build`).
pub fn version_to_tag(version: &str) -> String {
    version.replace('+', "_")
}

/// The chart version a tag spells (`1.0.0_build` → `1.0.0+build`).
pub fn tag_to_version(tag: &str) -> String {
    tag.replace('_', "+")
}

/// The distribution spec's tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
pub fn is_valid_tag(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_TAG_LEN
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
}

/// One path component of the distribution spec's name grammar:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn is_valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(&bytes[0]) || !bytes.last().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(&bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(&bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let dashes = separator.bytes().all(|b| b == b'-');
        if !(dashes || matches!(separator, "." | "_" | "__")) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn a_url_with_a_port_and_nested_path_parses() {
        let r = Reference::parse("oci://127.0.0.1:5000/charts/team/podinfo").unwrap();
        assert_eq!(r.repository.host(), "127.0.0.1:5000");
        assert_eq!(r.repository.name(), "charts/team/podinfo");
        assert_eq!(r.target, Target::Latest);
    }

    #[test]
    fn tags_and_digests_are_told_apart_from_ports() {
        let r = Reference::parse("oci://reg.example:5000/app:1.2.3_build").unwrap();
        assert_eq!(r.target, Target::Tag("1.2.3_build".into()));
        let r = Reference::parse(&format!("oci://reg.example/app@sha256:{HEX}")).unwrap();
        assert_eq!(
            r.target,
            Target::Digest(Digest::parse(&format!("sha256:{HEX}")).unwrap())
        );
    }

    #[test]
    fn malformed_urls_say_what_is_wrong() {
        let cases = [
            ("https://reg/app", "must start with oci://"),
            ("oci://reg", "repository path is missing"),
            ("oci://reg/App", "lowercase letters"),
            ("oci://reg/app:bad+tag", "is not a valid tag"),
            ("oci://reg/app@sha256:abc", "64 lowercase hex digits"),
            ("oci://reg/app@md5:abc", "sha256:<64 hex digits>"),
            ("oci:///app", "host is missing"),
        ];
        for (url, why) in cases {
            let message = Reference::parse(url).unwrap_err().to_string();
            assert!(message.contains(why), "{url}: {message}");
            assert!(message.contains(url), "{url}: {message}");
        }
    }

    #[test]
    fn a_source_url_must_not_pin_a_tag() {
        let message = Repository::parse_url("oci://reg/app:1.0.0")
            .unwrap_err()
            .to_string();
        assert!(message.contains("must not carry a tag"), "{message}");
    }

    #[test]
    fn a_chart_repository_is_the_prefix_plus_the_chart_name() {
        let r = Repository::for_chart("oci://127.0.0.1:5000/charts/", "podinfo").unwrap();
        assert_eq!(r.to_string(), "127.0.0.1:5000/charts/podinfo");
        assert!(Repository::for_chart("oci://reg/charts", "../x").is_err());
        assert!(Repository::for_chart("oci://reg/charts", "").is_err());
    }

    #[test]
    fn path_components_follow_the_distribution_grammar() {
        for ok in ["a", "a.b", "a_b", "a__b", "a---b", "0x"] {
            assert!(is_valid_path_component(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a..b", "a___b", "a._b", "A"] {
            assert!(!is_valid_path_component(bad), "{bad}");
        }
    }

    #[test]
    fn build_metadata_round_trips_through_tags() {
        assert_eq!(version_to_tag("1.0.0+build.1"), "1.0.0_build.1");
        assert_eq!(tag_to_version("1.0.0_build.1"), "1.0.0+build.1");
        assert!(is_valid_tag(&version_to_tag("1.0.0+build.1")));
        assert!(!is_valid_tag(&"a".repeat(129)));
    }

    #[test]
    fn digests_are_computed_in_their_text_form() {
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
