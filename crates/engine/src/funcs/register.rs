//! Helm's function map for the template engine: every function of [`super::HELM_FUNCTIONS`]
//! registered under its name with Go's exact signature, so the executor converts and
//! checks arguments as Go does.
//!
//! Each entry receives its arguments already converted to the declared types; the small
//! readers below (`s`, `i`, `m`...) only unwrap them.
use std::sync::Arc;

use crate::template::{Call, FuncError, FuncMap, Function, GoType, Signature};
use crate::value::{IntKind, ListKind, Map, MapKind, MapRef, Value};

use super::{
    Environment, Error, crypto, dates, defaults, dicts, durations, encoding, lists, numbers, paths,
    reflect, regex, semver, strings, toml, urls,
};

impl From<Error> for FuncError {
    fn from(err: Error) -> FuncError {
        FuncError::new(err.message().to_owned())
    }
}

pub(super) const S: GoType = GoType::String;
pub(super) const I: GoType = GoType::Int(IntKind::Int);
pub(super) const ANY: GoType = GoType::Interface;
const B: GoType = GoType::Bool;
const F: GoType = GoType::Float64;
const M: GoType = GoType::Map;
pub(super) const L: GoType = GoType::List(ListKind::Any);
const I64: GoType = GoType::Int(IntKind::Int64);
const STRINGS: GoType = GoType::List(ListKind::String);
const INTS: GoType = GoType::List(ListKind::Int);
pub(super) const TIME: GoType = GoType::Object("time.Time");
const DURATION: GoType = GoType::Object("time.Duration");

/// A converted string argument.
pub(super) fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The bytes of a converted string argument (see `BYTE_FUNCTIONS`).
fn bytes(v: &Value) -> &[u8] {
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
fn m(v: &Value) -> Arc<Map> {
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
    fn variadic(
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
fn string_map(map: Map) -> Value {
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

fn register_strings(r: &mut Registry) {
    r.add("hello", &[], S, |_| string(strings::hello()));
    r.add("abbrev", &[I, S], S, |a| {
        string(strings::abbrev(i(&a[0]), s(&a[1])))
    });
    r.add("abbrevboth", &[I, I, S], S, |a| {
        string(strings::abbrevboth(i(&a[0]), i(&a[1]), s(&a[2])))
    });
    r.add("trunc", &[I, S], S, |a| {
        strings::trunc(i(&a[0]), bytes(&a[1]))
    });
    r.add("trim", &[S], S, |a| string(strings::trim(s(&a[0]))));
    r.add("upper", &[S], S, |a| string(strings::upper(s(&a[0]))));
    r.add("lower", &[S], S, |a| string(strings::lower(s(&a[0]))));
    r.add("title", &[S], S, |a| string(strings::title(s(&a[0]))));
    r.add("untitle", &[S], S, |a| string(strings::untitle(s(&a[0]))));
    r.try_add("substr", &[I, I, S], S, |a| {
        strings::substr(i(&a[0]), i(&a[1]), bytes(&a[2]))
    });
    r.try_add("repeat", &[I, S], S, |a| {
        strings::repeat(i(&a[0]), s(&a[1])).map(string)
    });
    r.add("trimAll", &[S, S], S, |a| {
        string(strings::trim_all(s(&a[0]), s(&a[1])))
    });
    r.alias("trimall", "trimAll");
    r.add("trimSuffix", &[S, S], S, |a| {
        string(strings::trim_suffix(s(&a[0]), s(&a[1])))
    });
    r.add("trimPrefix", &[S, S], S, |a| {
        string(strings::trim_prefix(s(&a[0]), s(&a[1])))
    });
    r.add("nospace", &[S], S, |a| string(strings::nospace(s(&a[0]))));
    r.add("initials", &[S], S, |a| string(strings::initials(s(&a[0]))));
    r.add("swapcase", &[S], S, |a| string(strings::swapcase(s(&a[0]))));
    r.add("snakecase", &[S], S, |a| {
        string(strings::snakecase(s(&a[0])))
    });
    r.add("camelcase", &[S], S, |a| {
        string(strings::camelcase(s(&a[0])))
    });
    r.add("kebabcase", &[S], S, |a| {
        string(strings::kebabcase(s(&a[0])))
    });
    r.add("wrap", &[I, S], S, |a| {
        string(strings::wrap(i(&a[0]), s(&a[1])))
    });
    r.add("wrapWith", &[I, S, S], S, |a| {
        string(strings::wrap_with(i(&a[0]), s(&a[1]), s(&a[2])))
    });
    r.add("contains", &[S, S], B, |a| {
        Value::Bool(strings::contains(s(&a[0]), s(&a[1])))
    });
    r.add("hasPrefix", &[S, S], B, |a| {
        Value::Bool(strings::has_prefix(s(&a[0]), s(&a[1])))
    });
    r.add("hasSuffix", &[S, S], B, |a| {
        Value::Bool(strings::has_suffix(s(&a[0]), s(&a[1])))
    });
    r.variadic("quote", &[], ANY, S, |a| Ok(string(strings::quote(a))));
    r.variadic("squote", &[], ANY, S, |a| Ok(string(strings::squote(a))));
    r.variadic("cat", &[], ANY, S, |a| Ok(string(strings::cat(a))));
    r.try_add("indent", &[I, S], S, |a| {
        strings::indent(i(&a[0]), s(&a[1])).map(string)
    });
    r.try_add("nindent", &[I, S], S, |a| {
        strings::nindent(i(&a[0]), s(&a[1])).map(string)
    });
    r.try_add("replace", &[S, S, S], S, |a| {
        strings::replace(s(&a[0]), s(&a[1]), s(&a[2])).map(string)
    });
    r.add("plural", &[S, S, I], S, |a| {
        string(strings::plural(s(&a[0]), s(&a[1]), i(&a[2])))
    });
    r.add("toString", &[ANY], S, |a| match &a[0] {
        // A string is returned as it is, bytes and all.
        raw @ Value::RawString(_) => raw.clone(),
        other => string(strings::to_string(other)),
    });
    r.add("split", &[S, S], M, |a| {
        string_map(strings::split(s(&a[0]), s(&a[1])))
    });
    r.add("splitList", &[S, S], STRINGS, |a| {
        strings::split_list(s(&a[0]), s(&a[1]))
    });
    r.add("splitn", &[S, I, S], M, |a| {
        string_map(strings::splitn(s(&a[0]), i(&a[1]), s(&a[2])))
    });
    r.add("toStrings", &[ANY], STRINGS, |a| strings::to_strings(&a[0]));
    r.add("join", &[S, ANY], S, |a| {
        string(strings::join(s(&a[0]), &a[1]))
    });
    r.add("sortAlpha", &[ANY], STRINGS, |a| lists::sort_alpha(&a[0]));
    r.add("base", &[S], S, |a| string(paths::base(s(&a[0]))));
    r.add("dir", &[S], S, |a| string(paths::dir(s(&a[0]))));
    r.add("clean", &[S], S, |a| string(paths::clean(s(&a[0]))));
    r.add("ext", &[S], S, |a| string(paths::ext(s(&a[0]))));
    r.add("isAbs", &[S], B, |a| Value::Bool(paths::is_abs(s(&a[0]))));
    for (os, plain) in [
        ("osBase", "base"),
        ("osClean", "clean"),
        ("osDir", "dir"),
        ("osExt", "ext"),
        ("osIsAbs", "isAbs"),
    ] {
        r.alias(os, plain);
    }
    r.add("regexMatch", &[S, S], B, |a| {
        Value::Bool(regex::regex_match(s(&a[0]), s(&a[1])))
    });
    r.try_add("mustRegexMatch", &[S, S], B, |a| {
        regex::must_regex_match(s(&a[0]), s(&a[1])).map(Value::Bool)
    });
    r.try_add("regexFindAll", &[S, S, I], STRINGS, |a| {
        regex::regex_find_all(s(&a[0]), s(&a[1]), i(&a[2]))
    });
    r.try_add("mustRegexFindAll", &[S, S, I], STRINGS, |a| {
        regex::must_regex_find_all(s(&a[0]), s(&a[1]), i(&a[2]))
    });
    r.try_add("regexFind", &[S, S], S, |a| {
        regex::regex_find(s(&a[0]), s(&a[1])).map(string)
    });
    r.try_add("mustRegexFind", &[S, S], S, |a| {
        regex::must_regex_find(s(&a[0]), s(&a[1])).map(string)
    });
    r.try_add("regexReplaceAll", &[S, S, S], S, |a| {
        regex::regex_replace_all(s(&a[0]), s(&a[1]), s(&a[2])).map(string)
    });
    r.try_add("mustRegexReplaceAll", &[S, S, S], S, |a| {
        regex::must_regex_replace_all(s(&a[0]), s(&a[1]), s(&a[2])).map(string)
    });
    r.try_add("regexReplaceAllLiteral", &[S, S, S], S, |a| {
        regex::regex_replace_all_literal(s(&a[0]), s(&a[1]), s(&a[2])).map(string)
    });
    r.try_add("mustRegexReplaceAllLiteral", &[S, S, S], S, |a| {
        regex::must_regex_replace_all_literal(s(&a[0]), s(&a[1]), s(&a[2])).map(string)
    });
    r.try_add("regexSplit", &[S, S, I], STRINGS, |a| {
        regex::regex_split(s(&a[0]), s(&a[1]), i(&a[2]))
    });
    r.try_add("mustRegexSplit", &[S, S, I], STRINGS, |a| {
        regex::must_regex_split(s(&a[0]), s(&a[1]), i(&a[2]))
    });
    r.add("regexQuoteMeta", &[S], S, |a| {
        string(regex::regex_quote_meta(s(&a[0])))
    });
    r.try_add("urlParse", &[S], M, |a| {
        urls::url_parse(s(&a[0])).map(Value::map)
    });
    r.try_add("urlJoin", &[M], S, |a| {
        urls::url_join(&m(&a[0])).map(string)
    });
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

fn register_numbers(r: &mut Registry) {
    r.add("atoi", &[S], I, |a| Value::int(numbers::atoi(s(&a[0]))));
    r.add("int64", &[ANY], I64, |a| numbers::int64(&a[0]));
    r.add("int", &[ANY], I, |a| numbers::int(&a[0]));
    r.add("float64", &[ANY], F, |a| {
        Value::Float(numbers::float64(&a[0]))
    });
    r.variadic("seq", &[], I, S, |a| {
        numbers::seq(&a.iter().map(i).collect::<Vec<_>>()).map(string)
    });
    r.add("toDecimal", &[ANY], I64, |a| numbers::to_decimal(&a[0]));
    r.try_add("until", &[I], INTS, |a| numbers::until(i(&a[0])));
    r.try_add("untilStep", &[I, I, I], INTS, |a| {
        numbers::until_step(i(&a[0]), i(&a[1]), i(&a[2]))
    });
    r.add("add1", &[ANY], I64, |a| numbers::add1(&a[0]));
    r.variadic("add", &[], ANY, I64, |a| Ok(numbers::add(a)));
    r.add("sub", &[ANY, ANY], I64, |a| numbers::sub(&a[0], &a[1]));
    r.try_add("div", &[ANY, ANY], I64, |a| numbers::div(&a[0], &a[1]));
    r.try_add("mod", &[ANY, ANY], I64, |a| numbers::modulo(&a[0], &a[1]));
    r.variadic("mul", &[ANY], ANY, I64, |a| {
        Ok(numbers::mul(&a[0], &a[1..]))
    });
    r.variadic("max", &[ANY], ANY, I64, |a| {
        Ok(numbers::max(&a[0], &a[1..]))
    });
    r.alias("biggest", "max");
    r.variadic("min", &[ANY], ANY, I64, |a| {
        Ok(numbers::min(&a[0], &a[1..]))
    });
    r.variadic("maxf", &[ANY], ANY, F, |a| {
        Ok(Value::Float(numbers::maxf(&a[0], &a[1..])))
    });
    r.variadic("minf", &[ANY], ANY, F, |a| {
        Ok(Value::Float(numbers::minf(&a[0], &a[1..])))
    });
    r.add("ceil", &[ANY], F, |a| Value::Float(numbers::ceil(&a[0])));
    r.add("floor", &[ANY], F, |a| Value::Float(numbers::floor(&a[0])));
    r.variadic("round", &[ANY, I], F, F, |a| {
        let round_on: Vec<f64> = a[2..]
            .iter()
            .map(|v| if let Value::Float(f) = v { *f } else { 0.0 })
            .collect();
        Ok(Value::Float(numbers::round(&a[0], i(&a[1]), &round_on)))
    });
    r.try_add("add1f", &[ANY], F, |a| {
        numbers::add1f(&a[0]).map(Value::Float)
    });
    r.variadic("addf", &[], ANY, F, |a| numbers::addf(a).map(Value::Float));
    r.variadic("subf", &[ANY], ANY, F, |a| {
        numbers::subf(&a[0], &a[1..]).map(Value::Float)
    });
    r.variadic("mulf", &[ANY], ANY, F, |a| {
        numbers::mulf(&a[0], &a[1..]).map(Value::Float)
    });
    r.variadic("divf", &[ANY], ANY, F, |a| {
        numbers::divf(&a[0], &a[1..]).map(Value::Float)
    });
    r.add("durationSeconds", &[ANY], F, |a| {
        Value::Float(durations::duration_seconds(&a[0]))
    });
    r.add("durationMilliseconds", &[ANY], I64, |a| {
        durations::duration_milliseconds(&a[0])
    });
    r.add("durationMicroseconds", &[ANY], I64, |a| {
        durations::duration_microseconds(&a[0])
    });
    r.add("durationNanoseconds", &[ANY], I64, |a| {
        durations::duration_nanoseconds(&a[0])
    });
    r.add("durationMinutes", &[ANY], F, |a| {
        Value::Float(durations::duration_minutes(&a[0]))
    });
    r.add("durationHours", &[ANY], F, |a| {
        Value::Float(durations::duration_hours(&a[0]))
    });
    r.add("durationDays", &[ANY], F, |a| {
        Value::Float(durations::duration_days(&a[0]))
    });
    r.add("durationWeeks", &[ANY], F, |a| {
        Value::Float(durations::duration_weeks(&a[0]))
    });
    r.add("durationRoundTo", &[ANY, ANY], DURATION, |a| {
        durations::duration_round_to(&a[0], &a[1])
    });
    r.add("durationTruncateTo", &[ANY, ANY], DURATION, |a| {
        durations::duration_truncate_to(&a[0], &a[1])
    });
    r.try_add("mustToDuration", &[ANY], DURATION, |a| {
        durations::must_to_duration(&a[0])
    });
    r.add("duration", &[ANY], S, |a| string(dates::duration(&a[0])));
    r.add("typeOf", &[ANY], S, |a| string(reflect::type_of(&a[0])));
    r.add("typeIs", &[S, ANY], B, |a| {
        Value::Bool(reflect::type_is(s(&a[0]), &a[1]))
    });
    r.add("typeIsLike", &[S, ANY], B, |a| {
        Value::Bool(reflect::type_is_like(s(&a[0]), &a[1]))
    });
    r.add("kindOf", &[ANY], S, |a| string(reflect::kind_of(&a[0])));
    r.add("kindIs", &[S, ANY], B, |a| {
        Value::Bool(reflect::kind_is(s(&a[0]), &a[1]))
    });
    r.add("deepEqual", &[ANY, ANY], B, |a| {
        Value::Bool(reflect::deep_equal(&a[0], &a[1]))
    });
    r.try_add("semver", &[S], GoType::Object("*semver.Version"), |a| {
        semver::semver(s(&a[0]))
    });
    r.try_add("semverCompare", &[S, S], B, |a| {
        semver::semver_compare(s(&a[0]), s(&a[1])).map(Value::Bool)
    });
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
