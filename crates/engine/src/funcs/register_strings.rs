//! The registrations of Helm's string functions: Sprig's strings, regular expressions,
//! paths and URLs, and Go's text functions.
use crate::value::Value;

use super::register::{ANY, B, I, M, Registry, S, STRINGS, bytes, i, m, s, string, string_map};
use super::{lists, paths, regex, strings, urls};

pub(super) fn register_strings(r: &mut Registry) {
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
