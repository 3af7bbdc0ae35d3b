//! Sprig's `semver` and `semverCompare`, over helmsync's port of Masterminds/semver. The
//! version `semver` returns is a `*semver.Version` object with Go's methods.
use std::cmp::Ordering;
use std::sync::Arc;

use crate::Object;
use crate::semver::{Constraints, Version};
use crate::value::{IntKind, Value};

use super::{Error, Result};

/// `semverCompare CONSTRAINT VERSION`.
pub fn semver_compare(constraint: &str, version: &str) -> Result<bool> {
    let constraints = Constraints::parse(constraint).map_err(|e| Error::new(e.to_string()))?;
    let version = Version::parse(version).map_err(|e| Error::new(e.to_string()))?;
    Ok(constraints.check(&version))
}

/// `semver VERSION`: a `*semver.Version`.
pub fn semver(version: &str) -> Result<Value> {
    let version = Version::parse(version).map_err(|e| Error::new(e.to_string()))?;
    Ok(Value::Object(Arc::new(SemverVersion(version))))
}

/// A `*semver.Version` as templates see it.
#[derive(Debug)]
pub struct SemverVersion(pub Version);

const TYPE_NAME: &str = "*semver.Version";

fn uint(u: u64) -> Value {
    match i64::try_from(u) {
        Ok(i) => Value::Int(i, IntKind::Uint64),
        Err(_) => Value::Uint(u),
    }
}

fn version_arg(args: &[Value]) -> std::result::Result<Version, String> {
    match args {
        [Value::Object(o)] if o.type_name() == TYPE_NAME => {
            Version::parse(&o.go_string()).map_err(|e| e.to_string())
        }
        [other] => Err(format!(
            "wrong type for value; expected {TYPE_NAME}; got {}",
            other.type_name()
        )),
        _ => Err(format!("wrong number of args: got {} want 1", args.len())),
    }
}

fn wrap(
    result: std::result::Result<Version, crate::semver::Error>,
) -> std::result::Result<Value, String> {
    result
        .map(|v| Value::Object(Arc::new(SemverVersion(v))))
        .map_err(|e| e.to_string())
}

impl Object for SemverVersion {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<std::result::Result<Value, String>> {
        let v = &self.0;
        let string_arg = || match args {
            [Value::String(s)] => Ok(s.to_string()),
            _ => Err("wrong type for value; expected string".to_owned()),
        };
        Some(match name {
            "Major" => Ok(uint(v.major())),
            "Minor" => Ok(uint(v.minor())),
            "Patch" => Ok(uint(v.patch())),
            "Prerelease" => Ok(Value::from(v.prerelease())),
            "Metadata" => Ok(Value::from(v.metadata())),
            "Original" => Ok(Value::from(v.original())),
            "String" => Ok(Value::from(v.to_string())),
            "IncPatch" => wrap(v.inc_patch()),
            "IncMinor" => wrap(v.inc_minor()),
            "IncMajor" => wrap(v.inc_major()),
            "SetPrerelease" => string_arg().and_then(|s| wrap(v.set_prerelease(&s))),
            "SetMetadata" => string_arg().and_then(|s| wrap(v.set_metadata(&s))),
            "LessThan" => version_arg(args).map(|o| Value::Bool(v.less_than(&o))),
            "LessThanEqual" => {
                version_arg(args).map(|o| Value::Bool(v.compare(&o) != Ordering::Greater))
            }
            "GreaterThan" => {
                version_arg(args).map(|o| Value::Bool(v.compare(&o) == Ordering::Greater))
            }
            "GreaterThanEqual" => {
                version_arg(args).map(|o| Value::Bool(v.compare(&o) != Ordering::Less))
            }
            "Equal" => version_arg(args).map(|o| Value::Bool(v.equal(&o))),
            "Compare" => version_arg(args).map(|o| {
                Value::int(match v.compare(&o) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                })
            }),
            _ => return None,
        })
    }

    fn is_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Major"
                | "Minor"
                | "Patch"
                | "Prerelease"
                | "Metadata"
                | "Original"
                | "String"
                | "IncPatch"
                | "IncMinor"
                | "IncMajor"
                | "SetPrerelease"
                | "SetMetadata"
                | "LessThan"
                | "LessThanEqual"
                | "GreaterThan"
                | "GreaterThanEqual"
                | "Equal"
                | "Compare"
        )
    }

    fn go_string(&self) -> String {
        self.0.to_string()
    }

    /// Versions marshal to JSON (and so to YAML) as their string form.
    fn to_data(&self) -> Option<Value> {
        Some(Value::from(self.0.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_functions_use_masterminds_rules() {
        assert_eq!(semver_compare(">=1.2", "1.3.0"), Ok(true));
        assert_eq!(semver_compare("~1.2", "1.3.0"), Ok(false));
        assert!(semver_compare("x>1", "1.0.0").is_err());
        let v = semver("v1.2.3-beta+b1").unwrap();
        let Value::Object(o) = v else {
            panic!("not an object")
        };
        assert_eq!(o.go_string(), "1.2.3-beta+b1");
        assert!(matches!(
            o.member("Major", &[]),
            Some(Ok(Value::Int(1, IntKind::Uint64)))
        ));
        assert!(o.member("Nope", &[]).is_none());
    }
}
