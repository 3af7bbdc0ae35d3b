//! Go's `text/template` in Rust: the same language, the same output and the same error
//! texts, byte for byte.
//!
//! The split follows Go's package: `lex` (scanner), `parse` (parser) and `node` (parse tree)
//! as in `text/template/parse`; `exec` and `eval` (executor), `funcs` (builtins, with
//! `compare` and `escape`) as in `text/template`. `function` and `adapt` hold the function
//! interface, `reflect` Go's reflection view of values.
//!
//! ```
//! use helmsync_engine::template::{FuncMap, MissingKey, Template};
//! use helmsync_engine::{Map, Value};
//!
//! let mut t = Template::new("main", FuncMap::builtins());
//! t.set_missing_key(MissingKey::Zero);
//! t.parse("main", r#"{{define "greet"}}hello {{.}}{{end}}{{template "greet" .name}}"#)?;
//! let data = Value::map(Map::from([("name".to_owned(), Value::from("world"))]));
//! assert_eq!(t.execute("main", &data)?, "hello world");
//! # Ok::<(), helmsync_engine::template::Error>(())
//! ```
mod adapt;
mod arena;
mod call;
mod compare;
mod error;
mod escape;
mod eval;
mod exec;
mod fnv;
mod funcs;
mod function;
mod in_place;
mod lex;
mod literal;
mod node;
mod parse;
mod range;
mod reflect;

use std::sync::Arc;

pub use adapt::{Arg, FuncResult, Items, RestArg, Variadic};
pub use error::{BoxError, Error, ErrorKind, FuncError};
pub use exec::{Call, MAX_INCLUDE_DEPTH, MAX_OUTPUT_LEN, MAX_TEMPLATE_DEPTH, MissingKey};
pub use function::{FuncMap, Function, GoType, IntoFunction, NativeFn, Signature};
pub use parse::{MAX_PAREN_DEPTH, MAX_TEMPLATE_LEN};

use crate::value::Value;
use exec::{SetView, Shared, Trees};

/// A set of templates sharing one function map and one missing-key option: Go's
/// `*template.Template` with its associated templates.
///
/// Parsing needs `&mut self`; executing takes `&self`, so a parsed set can be shared
/// (`Arc<Template>`) and executed from many threads at once.
#[derive(Clone, Debug)]
pub struct Template {
    name: Arc<str>,
    funcs: FuncMap,
    trees: Trees,
    missing_key: MissingKey,
    delims: (String, String),
    max_output: usize,
    /// The string literals the set's templates use, shared between them.
    names: parse::Names,
}

impl Template {
    /// A new, empty set named `name` (the name `ExecuteTemplate`'s errors mention). The
    /// builtins are always available; `funcs` adds to them or replaces them.
    pub fn new(name: &str, mut funcs: FuncMap) -> Template {
        funcs.add_missing_builtins();
        Template {
            name: name.into(),
            funcs,
            trees: Trees::default(),
            missing_key: MissingKey::Default,
            delims: (String::new(), String::new()),
            max_output: MAX_OUTPUT_LEN,
            names: parse::Names::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Go's `Option("missingkey=...")`.
    pub fn set_missing_key(&mut self, missing_key: MissingKey) -> &mut Template {
        self.missing_key = missing_key;
        self
    }

    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    /// The most bytes one execution (and each `include` or `tpl` in it) may write; more is
    /// an error. Go has no such limit; the default, [`MAX_OUTPUT_LEN`], is far above what a
    /// chart renders.
    pub fn set_max_output(&mut self, bytes: usize) -> &mut Template {
        self.max_output = bytes;
        self
    }

    /// Go's `Delims`: the action delimiters for later parses; empty means the default
    /// `{{` or `}}`.
    pub fn set_delims(&mut self, left: &str, right: &str) -> &mut Template {
        self.delims = (left.to_owned(), right.to_owned());
        self
    }

    /// Go's `t.New(name).Parse(text)`: parses `text` as the template `name` and adds it and
    /// the templates it defines to the set. A template already in the set is replaced,
    /// unless the new definition is empty (only space and comments).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let delims = (self.delims.0.as_str(), self.delims.1.as_str());
        let trees = parse::parse(name, text, delims, &self.funcs, &mut self.names)?;
        for (name, tree) in trees {
            if parse::is_empty_list(&tree.root, tree.source()) && self.trees.contains_key(&name) {
                continue;
            }
            self.trees.insert(name, Arc::new(tree));
        }
        Ok(())
    }

    /// Whether the set has a template of that name.
    pub fn has_template(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// The names of the set's templates, in no particular order.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(AsRef::as_ref)
    }

    /// Go's `ExecuteTemplate`: runs the template `name` with `data` as dot and returns its
    /// output.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        let view = SetView {
            name: &self.name,
            trees: &self.trees,
            parent: None,
            funcs: &self.funcs,
            missing_key: self.missing_key,
            delims: (&self.delims.0, &self.delims.1),
            max_output: self.max_output,
        };
        let mut shared = Shared::default();
        Call::new(&view, &mut shared).execute_template(name, data)
    }
}

#[cfg(test)]
mod tests;
