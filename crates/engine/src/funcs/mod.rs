//! The Sprig and Helm template functions: every name of Helm's function map, implemented as
//! ordinary typed Rust functions, one file per family.
//!
//! Helm's map is Sprig v3.3.0's `TxtFuncMap` without `env` and `expandenv`, with Helm's own
//! functions (`toYaml`, `include`, `tpl`, `required`, `lookup`, the duration helpers...)
//! merged over it; [`HELM_FUNCTIONS`] lists every name with the family implementing it.
//!
//! The engine is pure: functions that Go runs against the clock, the system's random source
//! or the resolver take an [`Environment`] the caller provides. Failures are [`Error`] values
//! whose text is what Go's `err.Error()` (or a recovered panic) prints, so that the executor
//! can report `error calling NAME: TEXT` exactly as Go does.
//!
//! [`helm_funcs`] builds the template engine's function map, each function registered with
//! Go's exact signature. The files named after Go or Go libraries (`strconv`, `cast`,
//! `goutils`, `xstrings`, `goregex`, `gotime`, `goduration`, `decimal`, `unicode`) are the
//! ports those families stand on.
//!
//! ```
//! use std::sync::Arc;
//! use helmsync_engine::funcs::{DeterministicEnvironment, helm_funcs};
//! use helmsync_engine::template::{MissingKey, Template};
//! use helmsync_engine::Value;
//!
//! let env = Arc::new(DeterministicEnvironment::new(0));
//! let mut t = Template::new("main", helm_funcs(env));
//! t.set_missing_key(MissingKey::Zero);
//! t.parse("main", r#"{{ "hello" | upper | quote }} {{ add 1 2.9 }}"#)?;
//! assert_eq!(t.execute("main", &Value::empty_map())?, r#""HELLO" 3"#);
//! # Ok::<(), helmsync_engine::template::Error>(())
//! ```
pub mod cast;
#[cfg(feature = "certs")]
pub mod certs;
#[cfg(feature = "certs")]
mod certs_x509;
pub mod crypto;
pub mod dates;
pub mod decimal;
pub mod defaults;
pub mod dicts;
pub mod durations;
pub mod encoding;
pub mod goduration;
pub mod goregex;
pub mod goregex_match;
mod goregex_syntax;
pub mod gotime;
pub mod gotime_layout;
pub mod gotime_parse;
mod gotime_scan;
pub mod goutils;
pub mod lists;
pub mod numbers;
pub mod paths;
pub mod random;
pub mod reflect;
pub mod regex;
mod register;
mod register_env;
mod register_numbers;
mod register_strings;
pub mod semver;
pub mod strconv;
pub mod strings;
pub mod toml;
pub mod unicode;
pub mod urls;
pub mod xstrings;

use std::fmt;

pub use random::DeterministicEnvironment;
pub use register::helm_funcs;

/// A function failure with Go's message, byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "funcs::Error({:?})", self.message)
    }
}

impl std::error::Error for Error {}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::new(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Error {
        Error::new(message)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What the outside world lends the non-hermetic functions: Sprig's `now`, `date`, `ago`,
/// the `rand*` family, `uuidv4`, key and certificate generation, and `getHostByName`.
pub trait Environment: Send + Sync {
    /// The current instant (Go's `time.Now()`).
    fn now(&self) -> jiff::Timestamp;

    /// The zone Go calls `time.Local`: what `date` and `toDate` use.
    fn local_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::UTC
    }

    /// Fills `buf` with cryptographically secure random bytes (Go's `crypto/rand.Read`).
    fn fill_random(&self, buf: &mut [u8]);

    /// The addresses of a host name (Go's `net.LookupHost`), or `None` when DNS lookups
    /// are disabled, as they are in Helm unless `--enable-dns` is given.
    fn lookup_host(&self, _name: &str) -> Option<Vec<String>> {
        None
    }
}

/// Which file of this module implements a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Strings,
    Regex,
    Lists,
    Dicts,
    Numbers,
    Defaults,
    Encoding,
    Crypto,
    Certs,
    Dates,
    Durations,
    Semver,
    Paths,
    Urls,
    Reflect,
    Random,
    /// Needs the executor: `include`, `tpl` and `lookup`, which Helm binds per render.
    Engine,
}

/// Every function name of Helm v4.3.1's template function map, sorted, with its family.
pub const HELM_FUNCTIONS: &[(&str, Family)] = {
    use Family::*;
    &[
        ("abbrev", Strings),
        ("abbrevboth", Strings),
        ("add", Numbers),
        ("add1", Numbers),
        ("add1f", Numbers),
        ("addf", Numbers),
        ("adler32sum", Crypto),
        ("ago", Dates),
        ("all", Defaults),
        ("any", Defaults),
        ("append", Lists),
        ("atoi", Numbers),
        ("b32dec", Encoding),
        ("b32enc", Encoding),
        ("b64dec", Encoding),
        ("b64enc", Encoding),
        ("base", Paths),
        ("bcrypt", Crypto),
        ("biggest", Numbers),
        ("buildCustomCert", Certs),
        ("camelcase", Strings),
        ("cat", Strings),
        ("ceil", Numbers),
        ("chunk", Lists),
        ("clean", Paths),
        ("coalesce", Defaults),
        ("compact", Lists),
        ("concat", Lists),
        ("contains", Strings),
        ("date", Dates),
        ("dateInZone", Dates),
        ("dateModify", Dates),
        ("date_in_zone", Dates),
        ("date_modify", Dates),
        ("decryptAES", Crypto),
        ("deepCopy", Dicts),
        ("deepEqual", Reflect),
        ("default", Defaults),
        ("derivePassword", Crypto),
        ("dict", Dicts),
        ("dig", Dicts),
        ("dir", Paths),
        ("div", Numbers),
        ("divf", Numbers),
        ("duration", Dates),
        ("durationDays", Durations),
        ("durationHours", Durations),
        ("durationMicroseconds", Durations),
        ("durationMilliseconds", Durations),
        ("durationMinutes", Durations),
        ("durationNanoseconds", Durations),
        ("durationRound", Dates),
        ("durationRoundTo", Durations),
        ("durationSeconds", Durations),
        ("durationTruncateTo", Durations),
        ("durationWeeks", Durations),
        ("empty", Defaults),
        ("encryptAES", Crypto),
        ("ext", Paths),
        ("fail", Defaults),
        ("first", Lists),
        ("float64", Numbers),
        ("floor", Numbers),
        ("fromJson", Encoding),
        ("fromJsonArray", Encoding),
        ("fromToml", Encoding),
        ("fromYaml", Encoding),
        ("fromYamlArray", Encoding),
        ("genCA", Certs),
        ("genCAWithKey", Certs),
        ("genPrivateKey", Certs),
        ("genSelfSignedCert", Certs),
        ("genSelfSignedCertWithKey", Certs),
        ("genSignedCert", Certs),
        ("genSignedCertWithKey", Certs),
        ("get", Dicts),
        ("getHostByName", Random),
        ("has", Lists),
        ("hasKey", Dicts),
        ("hasPrefix", Strings),
        ("hasSuffix", Strings),
        ("hello", Strings),
        ("htmlDate", Dates),
        ("htmlDateInZone", Dates),
        ("htpasswd", Crypto),
        ("include", Engine),
        ("indent", Strings),
        ("initial", Lists),
        ("initials", Strings),
        ("int", Numbers),
        ("int64", Numbers),
        ("isAbs", Paths),
        ("join", Strings),
        ("kebabcase", Strings),
        ("keys", Dicts),
        ("kindIs", Reflect),
        ("kindOf", Reflect),
        ("last", Lists),
        ("list", Lists),
        ("lookup", Engine),
        ("lower", Strings),
        ("max", Numbers),
        ("maxf", Numbers),
        ("merge", Dicts),
        ("mergeOverwrite", Dicts),
        ("min", Numbers),
        ("minf", Numbers),
        ("mod", Numbers),
        ("mul", Numbers),
        ("mulf", Numbers),
        ("mustAppend", Lists),
        ("mustChunk", Lists),
        ("mustCompact", Lists),
        ("mustDateModify", Dates),
        ("mustDeepCopy", Dicts),
        ("mustFirst", Lists),
        ("mustFromJson", Encoding),
        ("mustHas", Lists),
        ("mustInitial", Lists),
        ("mustLast", Lists),
        ("mustMerge", Dicts),
        ("mustMergeOverwrite", Dicts),
        ("mustPrepend", Lists),
        ("mustPush", Lists),
        ("mustRegexFind", Regex),
        ("mustRegexFindAll", Regex),
        ("mustRegexMatch", Regex),
        ("mustRegexReplaceAll", Regex),
        ("mustRegexReplaceAllLiteral", Regex),
        ("mustRegexSplit", Regex),
        ("mustRest", Lists),
        ("mustReverse", Lists),
        ("mustSlice", Lists),
        ("mustToDate", Dates),
        ("mustToDuration", Durations),
        ("mustToJson", Encoding),
        ("mustToPrettyJson", Encoding),
        ("mustToRawJson", Encoding),
        ("mustToToml", Encoding),
        ("mustToYaml", Encoding),
        ("mustUniq", Lists),
        ("mustWithout", Lists),
        ("must_date_modify", Dates),
        ("nindent", Strings),
        ("nospace", Strings),
        ("now", Dates),
        ("omit", Dicts),
        ("osBase", Paths),
        ("osClean", Paths),
        ("osDir", Paths),
        ("osExt", Paths),
        ("osIsAbs", Paths),
        ("pick", Dicts),
        ("pluck", Dicts),
        ("plural", Strings),
        ("prepend", Lists),
        ("push", Lists),
        ("quote", Strings),
        ("randAlpha", Random),
        ("randAlphaNum", Random),
        ("randAscii", Random),
        ("randBytes", Random),
        ("randInt", Random),
        ("randNumeric", Random),
        ("regexFind", Regex),
        ("regexFindAll", Regex),
        ("regexMatch", Regex),
        ("regexQuoteMeta", Regex),
        ("regexReplaceAll", Regex),
        ("regexReplaceAllLiteral", Regex),
        ("regexSplit", Regex),
        ("repeat", Strings),
        ("replace", Strings),
        ("required", Defaults),
        ("rest", Lists),
        ("reverse", Lists),
        ("round", Numbers),
        ("semver", Semver),
        ("semverCompare", Semver),
        ("seq", Numbers),
        ("set", Dicts),
        ("sha1sum", Crypto),
        ("sha256sum", Crypto),
        ("sha512sum", Crypto),
        ("shuffle", Random),
        ("slice", Lists),
        ("snakecase", Strings),
        ("sortAlpha", Lists),
        ("split", Strings),
        ("splitList", Strings),
        ("splitn", Strings),
        ("squote", Strings),
        ("sub", Numbers),
        ("subf", Numbers),
        ("substr", Strings),
        ("swapcase", Strings),
        ("ternary", Defaults),
        ("title", Strings),
        ("toDate", Dates),
        ("toDecimal", Numbers),
        ("toJson", Encoding),
        ("toPrettyJson", Encoding),
        ("toRawJson", Encoding),
        ("toString", Strings),
        ("toStrings", Strings),
        ("toToml", Encoding),
        ("toYaml", Encoding),
        ("toYamlPretty", Encoding),
        ("tpl", Engine),
        ("trim", Strings),
        ("trimAll", Strings),
        ("trimPrefix", Strings),
        ("trimSuffix", Strings),
        ("trimall", Strings),
        ("trunc", Strings),
        ("tuple", Lists),
        ("typeIs", Reflect),
        ("typeIsLike", Reflect),
        ("typeOf", Reflect),
        ("uniq", Lists),
        ("unixEpoch", Dates),
        ("unset", Dicts),
        ("until", Numbers),
        ("untilStep", Numbers),
        ("untitle", Strings),
        ("upper", Strings),
        ("urlJoin", Urls),
        ("urlParse", Urls),
        ("uuidv4", Random),
        ("values", Dicts),
        ("without", Lists),
        ("wrap", Strings),
        ("wrapWith", Strings),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_list_is_sorted_and_has_every_helm_name_once() {
        let names: Vec<&str> = HELM_FUNCTIONS.iter().map(|(name, _)| *name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 233);
        assert!(!names.contains(&"env") && !names.contains(&"expandenv"));
    }
}
