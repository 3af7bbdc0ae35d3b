//! Helm's function map for the template engine: every function of [`super::HELM_FUNCTIONS`]
//! registered under its name with Go's exact signature, so the executor converts and
//! checks arguments as Go does.
//!
//! Each entry receives its arguments already converted to the declared types; the small
//! readers below (`s`, `i`, `m`...) only unwrap them.
use std::sync::Arc;

use crate::template::{Call, FuncError, FuncMap, Function, GoType, Signature};
use crate::value::{IntKind, ListKind, Map, MapKind, MapRef, Value};

use super::register_numbers::register_numbers;
use super::register_strings::register_strings;
use super::{Environment, Error, crypto, dates, defaults, dicts, encoding, lists, toml};

impl From<Error> for FuncError {
    fn from(err: Error) -> FuncError {
        FuncError::new(err.message().to_owned())
    }
}

pub(super) const S: GoType = GoType::String;
pub(super) const I: GoType = GoType::Int(IntKind::Int);
pub(super) const ANY: GoType = GoType::Interface;
pub(super) const B: GoType = GoType::Bool;
pub(super) const F: GoType = GoType::Float64;
pub(super) const M: GoType = GoType::Map;
pub(super) const L: GoType = GoType::List(ListKind::Any);
pub(super) const I64: GoType = GoType::Int(IntKind::Int64);
pub(super) const STRINGS: GoType = GoType::List(ListKind::String);
pub(super) const INTS: GoType = GoType::List(ListKind::Int);
pub(super) const TIME: GoType = GoType::Object("time.Time");
pub(super) const DURATION: GoType = GoType::Object("time.Duration");

/// A converted string argument.
pub(super) fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The bytes of a converted string argument (see `BYTE_FUNCTIONS`).
pub(super) fn bytes(v: &Value) -> &[u8] {
    v.go_string_bytes().unwrap_or_default()
}

/// A converted integer argument.
pub(super) fn i(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Uint(u) => *u as i64,
        _ => 0,
    }
}

/// A converted `map[string]interface {}` argument; nil reads as empty.
pub(super) fn m(v: &Value) -> Arc<Map> {
    v.as_map().unwrap_or_default()
}

/// A `map[string]interface {}` argument that a function changes in place; `None` is Go's
/// nil map.
fn m_ref(v: &Value) -> Option<&MapRef> {
    v.as_map_ref()
}

fn b(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

type Imp = dyn Fn(&mut Call<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync;

/// Registers by Go signature: fixed parameters, an optional variadic element type, the
/// result type.
pub(super) struct Registry<'f> {
    map: &'f mut FuncMap,
}

/// The functions that take a `string` and work on its bytes, so that a string that is not
/// UTF-8 (`Value::RawString`) reaches them as it is. Every other function taking a `string`
/// works on Rust text and receives such a string with each bad byte replaced by U+FFFD:
/// what Go's conversion to runes gives, though Go's byte-wise functions would keep the
/// bytes (see COMPATIBILITY.md).
const BYTE_FUNCTIONS: &[&str] = &[
    "b64enc",
    "b32enc",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "adler32sum",
    "substr",
    "trunc",
];

impl Registry<'_> {
    fn raw(&mut self, name: &str, sig: Signature, f: Box<Imp>) {
        if BYTE_FUNCTIONS.contains(&name) {
            self.map.insert_function(name, Function::new(sig, f));
            return;
        }
        let params = sig.params().to_vec();
        let variadic = sig.variadic_elem();
        let is_string_param =
            move |i: usize| params.get(i).copied().or(variadic) == Some(GoType::String);
        let imp = move |call: &mut Call<'_>, a: &[Value]| {
            let raw =
                |(i, v): (usize, &Value)| is_string_param(i) && matches!(v, Value::RawString(_));
            if !a.iter().enumerate().any(raw) {
                return f(call, a);
            }
            let converted: Vec<Value> = a
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    if is_string_param(i) {
                        v.to_utf8()
                    } else {
                        v.clone()
                    }
                })
                .collect();
            f(call, &converted)
        };
        self.map.insert_function(name, Function::new(sig, imp));
    }

    /// A function that cannot fail.
    pub(super) fn add(
        &mut self,
        name: &str,
        params: &[GoType],
        result: GoType,
        f: impl Fn(&[Value]) -> Value + Send + Sync + 'static,
    ) {
        let sig = Signature::new(params.to_vec()).returns(result);
        self.raw(name, sig, Box::new(move |_, a| Ok(f(a))));
    }

    /// A function returning Go's `(T, error)`, or panicking (which Go reports the same way).
    pub(super) fn try_add(
        &mut self,
        name: &str,
        params: &[GoType],
        result: GoType,
        f: impl Fn(&[Value]) -> super::Result<Value> + Send + Sync + 'static,
    ) {
        let sig = Signature::new(params.to_vec()).returns(result);
        self.raw(
            name,
            sig,
            Box::new(move |_, a| f(a).map_err(FuncError::from)),
        );
    }

    /// A variadic function `name(params..., ...elem) result`.
    pub(super) fn variadic(
        &mut self,
        name: &str,
        params: &[GoType],
        elem: GoType,
        result: GoType,
        f: impl Fn(&[Value]) -> super::Result<Value> + Send + Sync + 'static,
    ) {
        let sig = Signature::new(params.to_vec())
            .variadic(elem)
            .returns(result);
        self.raw(
            name,
            sig,
            Box::new(move |_, a| f(a).map_err(FuncError::from)),
        );
    }

    /// Several names for one function.
    pub(super) fn alias(&mut self, name: &str, existing: &str) {
        if let Some(function) = self.map.get(existing).cloned() {
            self.map.insert_function(name, function);
        }
    }
}

pub(super) fn string(v: String) -> Value {
    Value::from(v)
}

/// A `map[string]string` result (`split`, `splitn`).
pub(super) fn string_map(map: Map) -> Value {
    Value::Map(MapRef::with_kind(map, MapKind::String))
}

/// Helm's function map (Sprig's, without `env` and `expandenv`, plus Helm's own), with
/// `env` providing the clock, randomness and name resolution.
pub fn helm_funcs(env: Arc<dyn Environment>) -> FuncMap {
    let mut map = FuncMap::new();
    let mut r = Registry { map: &mut map };
    register_strings(&mut r);
    register_lists_and_dicts(&mut r);
    register_numbers(&mut r);
    register_encoding_and_defaults(&mut r);
    super::register_env::register_environment(&mut r, env);
    register_engine(&mut r);
    map
}

fn register_lists_and_dicts(r: &mut Registry) {
    r.variadic("list", &[], ANY, L, |a| Ok(lists::list(a)));
    r.alias("tuple", "list");
    r.try_add("append", &[ANY, ANY], L, |a| lists::push(&a[0], &a[1]));
    for name in ["push", "mustAppend", "mustPush"] {
        r.alias(name, "append");
    }
    r.try_add("prepend", &[ANY, ANY], L, |a| lists::prepend(&a[0], &a[1]));
    r.alias("mustPrepend", "prepend");
    r.try_add("chunk", &[I, ANY], L, |a| lists::chunk(i(&a[0]), &a[1]));
    r.alias("mustChunk", "chunk");
    type ListFn = fn(&Value) -> super::Result<Value>;
    let unary: [(&str, ListFn, GoType); 7] = [
        ("first", lists::first, ANY),
        ("last", lists::last, ANY),
        ("rest", lists::rest, L),
        ("initial", lists::initial, L),
        ("reverse", lists::reverse, L),
        ("uniq", lists::uniq, L),
        ("compact", lists::compact, L),
    ];
    for (name, f, result) in unary {
        r.try_add(name, &[ANY], result, move |a| f(&a[0]));
        let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
        r.alias(&must, name);
    }
    r.variadic("without", &[ANY], ANY, L, |a| {
        lists::without(&a[0], &a[1..])
    });
    r.alias("mustWithout", "without");
    r.try_add("has", &[ANY, ANY], B, |a| {
        lists::has(&a[0], &a[1]).map(Value::Bool)
    });
    r.alias("mustHas", "has");
    r.variadic("slice", &[ANY], ANY, ANY, |a| lists::slice(&a[0], &a[1..]));
    r.alias("mustSlice", "slice");
    r.variadic("concat", &[], ANY, ANY, lists::concat);
    r.variadic("dict", &[], ANY, M, |a| Ok(Value::map(dicts::dict(a))));
    r.add("get", &[M, S], ANY, |a| dicts::get(&m(&a[0]), s(&a[1])));
    r.try_add("set", &[M, S, ANY], M, |a| {
        dicts::set(m_ref(&a[0]), s(&a[1]), &a[2])
    });
    r.add("unset", &[M, S], M, |a| {
        dicts::unset(m_ref(&a[0]), s(&a[1]))
    });
    r.add("hasKey", &[M, S], B, |a| {
        Value::Bool(dicts::has_key(&m(&a[0]), s(&a[1])))
    });
    r.variadic("pluck", &[S], M, L, |a| {
        let dicts: Vec<_> = a[1..].iter().map(m).collect();
        Ok(dicts::pluck(
            s(&a[0]),
            &dicts.iter().map(|d| d.as_ref()).collect::<Vec<_>>(),
        ))
    });
    r.variadic("keys", &[], M, STRINGS, |a| {
        let dicts: Vec<_> = a.iter().map(m).collect();
        Ok(dicts::keys(
            &dicts.iter().map(|d| d.as_ref()).collect::<Vec<_>>(),
        ))
    });
    r.variadic("pick", &[M], S, M, |a| {
        let keys: Vec<&str> = a[1..].iter().map(s).collect();
        Ok(Value::map(dicts::pick(&m(&a[0]), &keys)))
    });
    r.variadic("omit", &[M], S, M, |a| {
        let keys: Vec<&str> = a[1..].iter().map(s).collect();
        Ok(Value::map(dicts::omit(&m(&a[0]), &keys)))
    });
    r.variadic("merge", &[M], M, ANY, |a| {
        let srcs: Vec<_> = a[1..].iter().map(m_ref).collect();
        Ok(dicts::merge(m_ref(&a[0]), &srcs, false))
    });
    r.alias("mustMerge", "merge");
    r.variadic("mergeOverwrite", &[M], M, ANY, |a| {
        let srcs: Vec<_> = a[1..].iter().map(m_ref).collect();
        Ok(dicts::merge(m_ref(&a[0]), &srcs, true))
    });
    r.alias("mustMergeOverwrite", "mergeOverwrite");
    r.add("values", &[M], L, |a| dicts::values(&m(&a[0])));
    r.try_add("deepCopy", &[ANY], ANY, |a| dicts::deep_copy(&a[0]));
    r.alias("mustDeepCopy", "deepCopy");
    r.variadic("dig", &[], ANY, ANY, dicts::dig);
}

fn register_encoding_and_defaults(r: &mut Registry) {
    r.add("b64enc", &[S], S, |a| {
        string(encoding::b64enc(bytes(&a[0])))
    });
    r.add("b64dec", &[S], S, |a| encoding::b64dec(s(&a[0])));
    r.add("b32enc", &[S], S, |a| {
        string(encoding::b32enc(bytes(&a[0])))
    });
    r.add("b32dec", &[S], S, |a| encoding::b32dec(s(&a[0])));
    r.add("toJson", &[ANY], S, |a| string(encoding::to_json(&a[0])));
    r.try_add("mustToJson", &[ANY], S, |a| {
        encoding::must_to_json(&a[0]).map(string)
    });
    r.add("toPrettyJson", &[ANY], S, |a| {
        string(encoding::to_pretty_json(&a[0]))
    });
    r.try_add("mustToPrettyJson", &[ANY], S, |a| {
        encoding::must_to_pretty_json(&a[0]).map(string)
    });
    r.try_add("toRawJson", &[ANY], S, |a| {
        encoding::to_raw_json(&a[0]).map(string)
    });
    r.alias("mustToRawJson", "toRawJson");
    r.add("fromJson", &[S], M, |a| {
        Value::map(encoding::from_json(s(&a[0])))
    });
    r.add("fromJsonArray", &[S], L, |a| {
        encoding::from_json_array(s(&a[0]))
    });
    r.try_add("mustFromJson", &[S], ANY, |a| {
        encoding::must_from_json(s(&a[0]))
    });
    r.add("toYaml", &[ANY], S, |a| string(encoding::to_yaml(&a[0])));
    r.try_add("mustToYaml", &[ANY], S, |a| {
        encoding::must_to_yaml(&a[0]).map(string)
    });
    r.try_add("toYamlPretty", &[ANY], S, |a| {
        encoding::to_yaml_pretty(&a[0]).map(string)
    });
    r.try_add("toToml", &[ANY], S, |a| toml::to_toml(&a[0]).map(string));
    r.try_add("mustToToml", &[ANY], S, |a| {
        toml::must_to_toml(&a[0]).map(string)
    });
    r.add("fromToml", &[S], M, |a| {
        Value::map(toml::from_toml(s(&a[0])))
    });
    r.add("fromYaml", &[S], M, |a| {
        Value::map(encoding::from_yaml(s(&a[0])))
    });
    r.add("fromYamlArray", &[S], L, |a| {
        encoding::from_yaml_array(s(&a[0]))
    });
    r.variadic("default", &[ANY], ANY, ANY, |a| {
        Ok(defaults::default(&a[0], &a[1..]))
    });
    r.add("empty", &[ANY], B, |a| Value::Bool(defaults::empty(&a[0])));
    r.variadic("coalesce", &[], ANY, ANY, |a| Ok(defaults::coalesce(a)));
    r.variadic("all", &[], ANY, B, |a| Ok(Value::Bool(defaults::all(a))));
    r.variadic("any", &[], ANY, B, |a| Ok(Value::Bool(defaults::any(a))));
    r.add("ternary", &[ANY, ANY, B], ANY, |a| {
        defaults::ternary(&a[0], &a[1], b(&a[2]))
    });
    r.try_add("fail", &[S], S, |a| defaults::fail(s(&a[0])).map(string));
    r.try_add("required", &[S, ANY], ANY, |a| {
        defaults::required(s(&a[0]), &a[1])
    });
    r.add("sha1sum", &[S], S, |a| {
        string(crypto::sha1sum(bytes(&a[0])))
    });
    r.add("sha256sum", &[S], S, |a| {
        string(crypto::sha256sum(bytes(&a[0])))
    });
    r.add("sha512sum", &[S], S, |a| {
        string(crypto::sha512sum(bytes(&a[0])))
    });
    r.add("adler32sum", &[S], S, |a| {
        string(crypto::adler32sum(bytes(&a[0])))
    });
    r.add(
        "derivePassword",
        &[GoType::Int(IntKind::Uint32), S, S, S, S],
        S,
        |a| {
            string(crypto::derive_password(
                i(&a[0]) as u32,
                s(&a[1]),
                s(&a[2]),
                s(&a[3]),
                s(&a[4]),
            ))
        },
    );
    r.try_add("decryptAES", &[S, S], S, |a| {
        crypto::decrypt_aes(s(&a[0]), s(&a[1])).map(string)
    });
    r.try_add("dateModify", &[S, TIME], TIME, |a| {
        dates::date_modify(s(&a[0]), &a[1])
    });
    r.alias("date_modify", "dateModify");
    r.try_add("mustDateModify", &[S, TIME], TIME, |a| {
        dates::must_date_modify(s(&a[0]), &a[1])
    });
    r.alias("must_date_modify", "mustDateModify");
    r.try_add("unixEpoch", &[TIME], S, |a| {
        dates::unix_epoch(&a[0]).map(string)
    });
}

fn register_engine(r: &mut Registry) {
    let sig = Signature::new([S, ANY]).returns(S);
    r.raw(
        "include",
        sig.clone(),
        Box::new(|call, a| call.include(s(&a[0]), &a[1]).map(string)),
    );
    r.raw(
        "tpl",
        sig,
        Box::new(|call, a| call.tpl(s(&a[0]), &a[1]).map(string)),
    );
    // Without a cluster, Helm's `lookup` finds nothing.
    r.add("lookup", &[S, S, S, S], M, |_| Value::empty_map());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::DeterministicEnvironment;

    #[test]
    fn every_helm_function_is_registered() {
        let map = helm_funcs(Arc::new(DeterministicEnvironment::new(0)));
        let missing: Vec<&str> = super::super::HELM_FUNCTIONS
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !map.contains(name))
            .filter(|name| cfg!(feature = "certs") || !is_cert_function(name))
            .collect();
        assert!(missing.is_empty(), "not registered: {missing:?}");
    }

    fn is_cert_function(name: &str) -> bool {
        name.starts_with("gen") || name == "buildCustomCert"
    }
}
