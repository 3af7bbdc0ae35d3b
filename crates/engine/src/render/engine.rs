//! Helm's template engine (`pkg/engine/engine.go`'s `render`): every template of the chart
//! tree parsed into one set named `gotpl`, deepest files first so that the top chart's
//! definitions win, then every file that is not a partial executed with its chart's data.
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::chart::{Chart, File};
use crate::funcs::helm_funcs;
use crate::template::{FuncError, FuncMap, Function, GoType, MissingKey, Signature, Template};
use crate::value::{Map, Value};

use super::context::Scopes;
use super::error::{Error, exec_error, parse_error};
use super::{Lookup, Options};

/// The name of Helm's template set, which some errors mention.
const SET_NAME: &str = "gotpl";

/// Helm's `RenderWithContext` on values `ToRenderValues` prepared: each rendered file by
/// its full name (`top/templates/x.yaml`), `<no value>` removed. Partials (`_*`) are
/// parsed but not rendered.
pub(crate) fn render_files(
    chart: &Chart,
    values: &Map,
    release: &Value,
    options: &Options,
) -> Result<BTreeMap<String, String>, Error> {
    let nodes = chart.nodes();
    let mut scopes = Scopes::new(&nodes, values, release, &options.capabilities);
    let templates = all_templates(&nodes, &scopes);
    let order = parse_order(&templates);

    let mut set = Template::new(SET_NAME, function_map(options));
    set.set_missing_key(if options.strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    for name in &order {
        let (_, file) = &templates[*name];
        let text = String::from_utf8_lossy(&file.data);
        set.parse(name, &text).map_err(|e| parse_error(name, &e))?;
    }

    let mut rendered = BTreeMap::new();
    for name in order {
        if is_partial(name) {
            continue;
        }
        let (node, _) = templates[name];
        let data = scopes.data_for(node, name);
        let output = set.execute(name, &data).map_err(|e| exec_error(name, &e))?;
        // Go prints `<no value>` for missing values even under missingkey=zero.
        rendered.insert(name.to_owned(), output.replace("<no value>", ""));
    }
    Ok(rendered)
}

/// Helm's function map for one render: Sprig and Helm's functions over the options'
/// environment, `lookup` answered by the options' callback when there is one.
fn function_map(options: &Options) -> FuncMap {
    let mut funcs = helm_funcs(options.environment.clone());
    if let Some(lookup) = &options.lookup {
        funcs.insert_function("lookup", lookup_function(lookup.clone()));
    }
    funcs
}

/// `lookup API_VERSION KIND NAMESPACE NAME`, returning `map[string]interface {}`.
fn lookup_function(lookup: Arc<Lookup>) -> Function {
    let signature = Signature::new(vec![GoType::String; 4]).returns(GoType::Map);
    Function::new(signature, move |_, args| {
        let arg = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or_default();
        lookup(arg(0), arg(1), arg(2), arg(3))
            .map(Value::map)
            .map_err(FuncError::new)
    })
}

/// Helm's `allTemplates`: every template by its full name, with its chart's node index.
/// Library charts contribute only their partials.
fn all_templates<'c>(
    nodes: &[crate::chart::ChartNode<'c>],
    scopes: &Scopes,
) -> BTreeMap<String, (usize, &'c File)> {
    let mut templates = BTreeMap::new();
    for (index, node) in nodes.iter().enumerate() {
        let library = node.chart.is_library();
        for file in &node.chart.templates {
            if library && !is_partial(&file.name) {
                continue;
            }
            let name = join_path(scopes.full_path(index), &file.name);
            templates.insert(name, (index, file));
        }
    }
    templates
}

/// Helm's `sortTemplates`: more path segments first, then names in descending order.
fn parse_order<V>(templates: &BTreeMap<String, V>) -> Vec<&str> {
    let mut names: Vec<&str> = templates.keys().map(String::as_str).collect();
    names.sort_by(|a, b| {
        let depth = |s: &str| s.matches('/').count();
        depth(b).cmp(&depth(a)).then_with(|| b.cmp(a))
    });
    names
}

/// A template whose file name starts with `_`: parsed for its definitions, never rendered.
pub(crate) fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().unwrap_or(name).starts_with('_')
}

/// Go's `path.Join(base, name)`: joined with `/` and cleaned.
pub fn join_path(base: &str, name: &str) -> String {
    let joined = match (base.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (false, true) => base.to_owned(),
        (false, false) => format!("{base}/{name}"),
    };
    crate::funcs::paths::clean(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_deepest_first_then_in_descending_name_order() {
        let templates: BTreeMap<String, ()> = [
            "top/templates/a.yaml",
            "top/templates/b.yaml",
            "top/charts/sub/templates/x.yaml",
            "top/templates/dir/c.yaml",
        ]
        .into_iter()
        .map(|n| (n.to_owned(), ()))
        .collect();
        assert_eq!(
            parse_order(&templates),
            [
                "top/charts/sub/templates/x.yaml",
                "top/templates/dir/c.yaml",
                "top/templates/b.yaml",
                "top/templates/a.yaml"
            ]
        );
    }

    #[test]
    fn paths_join_and_clean_as_go_does() {
        assert_eq!(join_path("top", "templates/a.yaml"), "top/templates/a.yaml");
        assert_eq!(
            join_path("top", "templates//./b/../a.yaml"),
            "top/templates/a.yaml"
        );
        assert_eq!(join_path("top", "../../x"), "../x");
        assert!(is_partial("top/templates/_helpers.tpl"));
        assert!(!is_partial("top/_dir/x.yaml"));
    }
}
