//! Sprig's `urlParse` and `urlJoin` over a port of Go's `net/url` parsing and printing,
//! which keep a URL as written where the `url` crate would normalise it.
use crate::gofmt::quote;
use crate::value::{Map, Value};

use super::reflect::type_kind;
use super::{Error, Result};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Fragment,
    UserPassword,
    Host,
    Zone,
}

/// Which ASCII bytes Go's `shouldEscape` escapes per mode (bit c of the pair), taken from
/// Go's own escaping; every byte from 0x80 up is escaped.
fn should_escape(c: u8, mode: Mode) -> bool {
    let (lo, hi): (u64, u64) = match mode {
        Mode::Path => (0xd00003afffffffff, 0xb800000178000000),
        Mode::Fragment => (0x500000adffffffff, 0xb800000178000000),
        Mode::UserPassword => (0xd40087afffffffff, 0xb800000178000001),
        Mode::Host | Mode::Zone => (0x80008029ffffffff, 0xb800000150000001),
    };
    match c {
        0..=63 => lo & (1 << c) != 0,
        64..=127 => hi & (1 << (c - 64)) != 0,
        _ => true,
    }
}

fn unhex(c: u8) -> u8 {
    9 * (c >> 6) + (c & 15)
}

/// Go's `unescape` for the modes URL parsing uses.
fn unescape(s: &str, mode: Mode) -> std::result::Result<String, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut escapes = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                escapes += 1;
                if i + 2 >= b.len()
                    || !b[i + 1].is_ascii_hexdigit()
                    || !b[i + 2].is_ascii_hexdigit()
                {
                    let end = (i + 3).min(b.len());
                    return Err(format!(
                        "invalid URL escape {}",
                        quote(&String::from_utf8_lossy(&b[i..end]))
                    ));
                }
                let bad_host = mode == Mode::Host && unhex(b[i + 1]) < 8 && &s[i..i + 3] != "%25";
                let v = unhex(b[i + 1]) << 4 | unhex(b[i + 2]);
                let bad_zone = mode == Mode::Zone
                    && &s[i..i + 3] != "%25"
                    && v != b' '
                    && should_escape(v, Mode::Host);
                if bad_host || bad_zone {
                    return Err(format!("invalid URL escape {}", quote(&s[i..i + 3])));
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        quote(&s[i..i + 1])
                    ));
                }
                i += 1;
            }
        }
    }
    if escapes == 0 {
        return Ok(s.to_owned());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(unhex(b[i + 1]) << 4 | unhex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `escape`.
fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if should_escape(c, mode) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

/// A parsed URL with the fields Sprig reads and writes.
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    raw_path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
    raw_fragment: String,
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(scheme: &str, host: &str) -> std::result::Result<String, String> {
    match host.rfind('[') {
        Some(i) if i > 0 => return Err("invalid IP-literal".to_owned()),
        Some(_) => {
            let close = host.rfind(']').ok_or("missing ']' in host")?;
            let colon_port = &host[close + 1..];
            if !valid_optional_port(colon_port) {
                return Err(format!("invalid port {} after host", quote(colon_port)));
            }
            let hostname = &host[1..close];
            let unescaped = match hostname.find("%25") {
                Some(zone) => {
                    unescape(&hostname[..zone], Mode::Host)?
                        + &unescape(&hostname[zone..], Mode::Zone)?
                }
                None => unescape(hostname, Mode::Host)?,
            };
            let addr_text = unescaped.split('%').next().unwrap_or_default();
            match addr_text.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V6(_)) => {}
                Ok(std::net::IpAddr::V4(_)) => return Err("invalid IP-literal".to_owned()),
                Err(_) => {
                    return Err(format!(
                        "invalid host: ParseAddr({}): unable to parse IP",
                        quote(&unescaped)
                    ));
                }
            }
            return Ok(format!("[{unescaped}]{colon_port}"));
        }
        None => {}
    }
    if let Some(first) = host.find(':') {
        let last = host.rfind(':').unwrap_or(first);
        let i = if last != first && !(scheme == "http" || scheme == "https") {
            last
        } else {
            first
        };
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|r| r.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(r))
}

fn parse_authority(
    scheme: &str,
    authority: &str,
    url: &mut Url,
) -> std::result::Result<(), String> {
    let at = authority.rfind('@');
    url.host = parse_host(scheme, &authority[at.map_or(0, |i| i + 1)..])?;
    let Some(at) = at else { return Ok(()) };
    let userinfo = &authority[..at];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_owned());
    }
    url.user = Some(match userinfo.split_once(':') {
        None => (unescape(userinfo, Mode::UserPassword)?, None),
        Some((user, password)) => (
            unescape(user, Mode::UserPassword)?,
            Some(unescape(password, Mode::UserPassword)?),
        ),
    });
    Ok(())
}

fn parse_without_fragment(raw: &str) -> std::result::Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".to_owned();
        return Ok(url);
    }
    let mut rest = raw;
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".to_owned()),
            b':' => {
                url.scheme = raw[..i].to_ascii_lowercase();
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((before, query)) = rest.split_once('?') {
        url.raw_query = query.to_owned();
        rest = before;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_owned();
            return Ok(url);
        }
        if rest
            .split('/')
            .next()
            .is_some_and(|segment| segment.contains(':'))
        {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match authority_and_path.find('/') {
            Some(i) => authority_and_path.split_at(i),
            None => (authority_and_path, ""),
        };
        parse_authority(&url.scheme.clone(), authority, &mut url)?;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    if escape(&url.path, Mode::Path) != rest {
        url.raw_path = rest.to_owned();
    }
    Ok(url)
}

/// Go's `url.Parse`, with its `*url.Error` text.
fn parse(raw: &str) -> std::result::Result<Url, String> {
    let (without, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let wrap = |url: &str, e: String| format!("parse {}: {e}", quote(url));
    let mut url = parse_without_fragment(without).map_err(|e| wrap(without, e))?;
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        url.fragment = unescape(f, Mode::Fragment).map_err(|e| wrap(raw, e))?;
        if escape(&url.fragment, Mode::Fragment) != f {
            url.raw_fragment = f.to_owned();
        }
    }
    Ok(url)
}

fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes()
        .all(|c| "!$&'()*+,;=:@[]%".contains(char::from(c)) || !should_escape(c, mode))
}

impl Url {
    fn userinfo_string(&self) -> Option<String> {
        self.user.as_ref().map(|(user, password)| {
            let mut s = escape(user, Mode::UserPassword);
            if let Some(password) = password {
                s.push(':');
                s.push_str(&escape(password, Mode::UserPassword));
            }
            s
        })
    }

    fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == "*" {
            return "*".to_owned();
        }
        escape(&self.path, Mode::Path)
    }

    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `URL.String()`.
    fn to_go_string(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let no_authority = self.host.is_empty() && self.user.is_none();
            let has_authority_part = !(self.scheme.is_empty() && no_authority);
            if has_authority_part && !(self.omit_host && no_authority) {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(userinfo) = self.userinfo_string() {
                    buf.push_str(&userinfo);
                    buf.push('@');
                }
                buf.push_str(&escape(&self.host, Mode::Host));
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        buf
    }
}

/// `urlParse URL`: scheme, host, hostname, path, query, opaque, fragment and userinfo.
pub fn url_parse(v: &str) -> Result<Map> {
    let url = parse(v).map_err(|e| Error::new(format!("unable to parse url: {e}")))?;
    let hostname = {
        let mut host = url.host.as_str();
        if let Some(colon) = host.rfind(':')
            && valid_optional_port(&host[colon..])
        {
            host = &host[..colon];
        }
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
            .to_owned()
    };
    Ok(Map::from([
        ("scheme".to_owned(), Value::from(url.scheme.as_str())),
        ("host".to_owned(), Value::from(url.host.as_str())),
        ("hostname".to_owned(), Value::from(hostname)),
        ("path".to_owned(), Value::from(url.path.as_str())),
        ("query".to_owned(), Value::from(url.raw_query.as_str())),
        ("opaque".to_owned(), Value::from(url.opaque.as_str())),
        ("fragment".to_owned(), Value::from(url.fragment.as_str())),
        (
            "userinfo".to_owned(),
            Value::from(url.userinfo_string().unwrap_or_default()),
        ),
    ]))
}

fn dict_get_or_empty(d: &Map, key: &str) -> Result<String> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(Error::new(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            type_kind(other)?
        ))),
    }
}

/// `urlJoin DICT`: the URL the parts of a `urlParse` dict make.
pub fn url_join(d: &Map) -> Result<String> {
    let mut url = Url {
        scheme: dict_get_or_empty(d, "scheme")?,
        host: dict_get_or_empty(d, "host")?,
        path: dict_get_or_empty(d, "path")?,
        raw_query: dict_get_or_empty(d, "query")?,
        opaque: dict_get_or_empty(d, "opaque")?,
        fragment: dict_get_or_empty(d, "fragment")?,
        ..Url::default()
    };
    let userinfo = dict_get_or_empty(d, "userinfo")?;
    if !userinfo.is_empty() {
        let temp = parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| Error::new(format!("unable to parse userinfo in dict: {e}")))?;
        url.user = temp.user;
    }
    Ok(url.to_go_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_join_round_trip() {
        let m = url_parse("https://user:pa%20ss@example.com:8443/a%2Fb/c?x=1&y=2#frag").unwrap();
        assert_eq!(format!("{:?}", m["host"]), r#""example.com:8443""#);
        assert_eq!(format!("{:?}", m["hostname"]), r#""example.com""#);
        assert_eq!(format!("{:?}", m["path"]), r#""/a/b/c""#);
        assert_eq!(format!("{:?}", m["userinfo"]), r#""user:pa%20ss""#);
        assert_eq!(
            url_join(&m).unwrap(),
            "https://user:pa%20ss@example.com:8443/a/b/c?x=1&y=2#frag"
        );
        assert_eq!(
            url_parse("http://[::1]:namedport").unwrap_err().message(),
            "unable to parse url: parse \"http://[::1]:namedport\": invalid port \":namedport\" after host"
        );
        assert_eq!(
            url_parse(":x").unwrap_err().message(),
            "unable to parse url: parse \":x\": missing protocol scheme"
        );
    }
}
