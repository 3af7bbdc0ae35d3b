//! The executor (Go's `exec.go`): one execution's state, the walk over control nodes, value
//! printing, and the call context functions get, with Helm's `include` and `tpl`. `range`
//! is in `range.rs`, calls in `call.rs`, and the fast paths of common actions in
//! `in_place.rs`.
//!
//! A parsed set is shared and immutable; each execution owns its variable stack, its depth
//! counter and one output `String`.
use std::sync::Arc;

use super::arena::Arena;
use super::error::{Error, ErrorKind, FuncError};
use super::fnv::FnvHashMap;
use super::function::FuncMap;
use super::node::{BranchNode, ListNode, Name, Node, NodeRef, TemplateNode, Tree, with_stack};
use super::parse::{Names, is_empty_list, parse};
use super::reflect::{Val, is_true};
use crate::gofmt::{append_value, errorf, quote};
use crate::value::{IntKind, Value};

/// Go's `maxExecDepth`: how deeply `{{template}}` calls may nest.
pub const MAX_TEMPLATE_DEPTH: usize = 100_000;
/// Helm's `recursionMaxNums`: how often one name may be nested in `include` calls.
pub const MAX_INCLUDE_DEPTH: usize = 1000;
/// The most output one execution (or one `include`/`tpl`) may produce, unless the set says
/// otherwise ([`crate::template::Template::set_max_output`]).
pub const MAX_OUTPUT_LEN: usize = 1 << 30;

/// The output buffer an execution starts with; it grows from there.
const OUTPUT_CAPACITY: usize = 1024;

/// What a field access on a map does when the key is missing (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default`: the invalid value, printed `<no value>`.
    #[default]
    Default,
    /// `missingkey=zero`: the map element type's zero value; Helm renders this way.
    Zero,
    /// `missingkey=error`: execution stops ("map has no entry for key").
    Error,
}

/// Templates by name.
pub(crate) type Trees = FnvHashMap<Arc<str>, Arc<Tree>>;

/// The template set one execution sees: a set's own trees, and for `tpl` the trees its text
/// defined on top of the set it was called from.
pub(crate) struct SetView<'s> {
    /// The set's root template name, which lookup errors name.
    pub name: &'s str,
    pub trees: &'s Trees,
    pub parent: Option<&'s SetView<'s>>,
    pub funcs: &'s FuncMap,
    pub missing_key: MissingKey,
    pub delims: (&'s str, &'s str),
    /// The most bytes one execution may write.
    pub max_output: usize,
}

impl<'s> SetView<'s> {
    pub(crate) fn lookup(&self, name: &str) -> Option<&'s Arc<Tree>> {
        match self.trees.get(name) {
            Some(tree) => Some(tree),
            None => self.parent.and_then(|parent| parent.lookup(name)),
        }
    }

    fn no_template(&self, name: &str) -> Error {
        let message = format!(
            "template: no template {} associated with template {}",
            quote(name),
            quote(self.name)
        );
        Error::new(ErrorKind::NoTemplate, message)
    }
}

/// State shared by an execution and the `include`/`tpl` executions it starts.
#[derive(Default)]
pub(crate) struct Shared {
    /// Helm's `includedNames`: how deeply each name is nested in `include` calls now.
    included: FnvHashMap<String, usize>,
}

/// How a walk ended: normally, or at a `{{break}}` or `{{continue}}` of the innermost range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

/// The state of one execution (Go's `state`).
pub(crate) struct State<'s, 'x> {
    pub set: &'s SetView<'s>,
    /// The template being executed.
    pub tree: &'s Tree,
    /// Push-down stack of variable values, by interned name.
    pub vars: Vec<(u32, Val)>,
    /// Where the current template's variables start; template calls inherit none.
    pub vars_base: usize,
    /// Nesting of `{{template}}` calls.
    pub depth: usize,
    /// The node being executed, for error context.
    pub node: Option<NodeRef<'s>>,
    pub out: String,
    pub shared: &'x mut Shared,
    /// Evaluated arguments of the calls in progress, innermost last.
    pub args: Vec<Val>,
    /// The same as plain values, for functions that take them.
    pub values: Vec<Value>,
    /// Room for what `print`, `printf` and `println` write to the output.
    pub print_buf: Vec<u8>,
}

/// Executes `tree` with `data` as dot and `$`.
pub(crate) fn execute_tree(
    set: &SetView<'_>,
    tree: &Tree,
    data: &Value,
    shared: &mut Shared,
) -> Result<String, Error> {
    with_stack(|| {
        let dot = match data {
            Value::Missing | Value::Nil => Val::MISSING,
            value => Val::concrete(value.clone()),
        };
        let mut state = State {
            set,
            tree,
            vars: vec![(0, dot.clone())],
            vars_base: 0,
            depth: 0,
            node: None,
            out: String::with_capacity(OUTPUT_CAPACITY),
            shared,
            args: Vec::new(),
            values: Vec::new(),
            print_buf: Vec::new(),
        };
        state.walk_list(&dot, &tree.root)?;
        Ok(state.out)
    })
}

impl<'s> State<'s, '_> {
    /// Records the node being executed, for error reports.
    pub(crate) fn at(&mut self, node: NodeRef<'s>) {
        self.node = Some(node);
    }

    /// Go's `errorf`: Go's `format` and `args` with the template, location and node being
    /// executed. Go puts the location into the format unescaped, so a `%` in the template's
    /// name formats too (and may take arguments); this keeps that.
    pub(crate) fn errorf(&self, format: &str, args: &[Value]) -> Error {
        let name = double_percent(&self.tree.name);
        let Some(node) = self.node else {
            let text = errorf(&format!("template: {name}: {format}"), args);
            return Error::new(ErrorKind::Exec, text);
        };
        let span = node.span();
        let (line, col) = span.line_col(&self.tree.text);
        let location = format!("{}:{line}:{col}", self.tree.parse_name);
        let context = double_percent(&node.describe(self.tree.source()));
        let format = format!(
            "template: {location}: executing {} at <{context}>: {format}",
            quote(&name)
        );
        let text = errorf(&format, args);
        Error::new(ErrorKind::Exec, text).with_excerpt(
            location,
            &self.tree.text,
            span.offset as usize,
        )
    }

    pub(crate) fn write(&mut self, text: &str) -> Result<(), Error> {
        if self.out.len() + text.len() > self.set.max_output {
            return Err(self.output_exceeded());
        }
        self.out.push_str(text);
        Ok(())
    }

    pub(crate) fn output_exceeded(&self) -> Error {
        let max = i64::try_from(self.set.max_output).unwrap_or(i64::MAX);
        self.errorf("output exceeds %d bytes", &[Value::from(max)])
    }

    pub(crate) fn walk_list(&mut self, dot: &Val, list: &'s ListNode) -> Result<Flow, Error> {
        self.at(NodeRef::List(list));
        for node in self.arena().get(list.nodes) {
            let flow = self.walk(dot, node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val, node: &'s Node) -> Result<Flow, Error> {
        self.at(NodeRef::Node(node));
        match node {
            Node::Text(text) => self.write(text.text.of(&self.tree.text))?,
            Node::Action(action) => {
                // Declared variables persist until the next {{end}}; a declaration prints
                // nothing.
                if !self.print_in_place(dot, &action.pipe)?
                    && !self.print_call_in_place(dot, &action.pipe)?
                {
                    let val = self.eval_pipeline(dot, &action.pipe)?;
                    if action.pipe.decl.is_empty() {
                        self.print_value(node, &val)?;
                    }
                }
            }
            Node::If(branch) => return self.walk_if_or_with(false, dot, branch),
            Node::With(branch) => return self.walk_if_or_with(true, dot, branch),
            Node::Range(branch) => return self.walk_range(dot, node, branch),
            Node::Template(template) => return self.walk_template(dot, node, template),
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    /// `if` and `with`: the same but that `with` sets dot.
    fn walk_if_or_with(
        &mut self,
        is_with: bool,
        dot: &Val,
        branch: &'s BranchNode,
    ) -> Result<Flow, Error> {
        with_stack(|| {
            let mark = self.vars.len();
            let (taken, val) = match self.truth_in_place(is_with, dot, &branch.pipe) {
                Some(taken) => (taken, None),
                None => {
                    let val = self.eval_pipeline(dot, &branch.pipe)?;
                    (is_true(&val.value), Some(val))
                }
            };
            let flow = if taken {
                let dot = match &val {
                    Some(val) if is_with => val,
                    _ => dot,
                };
                self.walk_list(dot, &branch.list)?
            } else if let Some(else_list) = &branch.else_list {
                self.walk_list(dot, else_list)?
            } else {
                Flow::Normal
            };
            self.vars.truncate(mark);
            Ok(flow)
        })
    }

    fn walk_template(
        &mut self,
        dot: &Val,
        node: &'s Node,
        template: &'s TemplateNode,
    ) -> Result<Flow, Error> {
        self.at(NodeRef::Node(node));
        let Some(tree) = self.set.lookup(&template.name) else {
            let name = Value::from(template.name.as_ref());
            return Err(self.errorf("template %q not defined", &[name]));
        };
        if self.depth == MAX_TEMPLATE_DEPTH {
            let max = Value::int(i64::try_from(MAX_TEMPLATE_DEPTH).unwrap_or(i64::MAX));
            return Err(self.errorf("exceeded maximum template depth (%v)", &[max]));
        }
        // Variables declared by the pipeline persist.
        let dot = match &template.pipe {
            Some(pipe) => self.eval_pipeline(dot, pipe)?,
            None => Val::MISSING,
        };
        let (caller, caller_base) = (self.tree, self.vars_base);
        // No dynamic scoping: the called template sees only `$`.
        self.tree = tree;
        self.vars_base = self.vars.len();
        self.vars.push((0, dot.clone()));
        self.depth += 1;
        with_stack(|| self.walk_list(&dot, &tree.root))?;
        self.depth -= 1;
        self.vars.truncate(self.vars_base);
        self.tree = caller;
        self.vars_base = caller_base;
        Ok(Flow::Normal)
    }

    /// Writes a pipeline's value as `{{ }}` prints it.
    fn print_value(&mut self, node: &'s Node, val: &Val) -> Result<(), Error> {
        self.at(NodeRef::Node(node));
        let start = self.out.len();
        append_value(&mut self.out, &val.value);
        if self.out.len() > self.set.max_output {
            self.out.truncate(start);
            return Err(self.output_exceeded());
        }
        Ok(())
    }

    /// Overwrites the last declared variable of that name (assignments).
    pub(crate) fn set_var(&mut self, sym: u32, name: Name, val: Val) -> Result<(), Error> {
        match self.vars[self.vars_base..]
            .iter_mut()
            .rev()
            .find(|(s, _)| *s == sym)
        {
            Some(slot) => {
                slot.1 = val;
                Ok(())
            }
            None => Err(self.undefined_variable(name)),
        }
    }

    fn undefined_variable(&self, name: Name) -> Error {
        self.errorf("undefined variable: %s", &[name.of(self.src()).into()])
    }

    /// The source of the template being executed, which its nodes' names are spans of.
    pub(crate) fn src(&self) -> &'s str {
        &self.tree.text
    }

    /// The nodes of the template being executed.
    pub(crate) fn arena(&self) -> &'s Arena {
        &self.tree.arena
    }

    /// The value of the innermost variable of that name.
    pub(crate) fn var_value(&self, sym: u32, name: Name) -> Result<Val, Error> {
        self.var_ref(sym, name).cloned()
    }

    /// The innermost variable of that name, in place.
    pub(crate) fn var_ref(&self, sym: u32, name: Name) -> Result<&Val, Error> {
        match self.vars[self.vars_base..]
            .iter()
            .rev()
            .find(|(s, _)| *s == sym)
        {
            Some((_, val)) => Ok(val),
            None => Err(self.undefined_variable(name)),
        }
    }
}

/// An unsigned integer of `kind`; values above `i64::MAX` are `Value::Uint`.
pub(crate) fn uint_value(u: u64, kind: IntKind) -> Value {
    match i64::try_from(u) {
        Ok(i) => Value::Int(i, kind),
        Err(_) => Value::Uint(u),
    }
}

/// What a template function can reach of the engine executing it.
pub struct Call<'c> {
    set: &'c SetView<'c>,
    shared: &'c mut Shared,
}

impl<'c> Call<'c> {
    pub(crate) fn new(set: &'c SetView<'c>, shared: &'c mut Shared) -> Call<'c> {
        Call { set, shared }
    }

    /// The missing-key behaviour of the executing set.
    pub fn missing_key(&self) -> MissingKey {
        self.set.missing_key
    }

    /// Go's `ExecuteTemplate` on the executing set: runs the template `name` with `data` as
    /// dot and returns its output.
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        let Some(tree) = self.set.lookup(name) else {
            return Err(self.set.no_template(name));
        };
        execute_tree(self.set, tree, data, self.shared)
    }

    /// Helm's `include`: [`Call::execute_template`], with each name nested at most
    /// [`MAX_INCLUDE_DEPTH`] times.
    pub fn include(&mut self, name: &str, data: &Value) -> Result<String, FuncError> {
        let depth = match self.shared.included.get_mut(name) {
            Some(depth) => depth,
            None => self.shared.included.entry(name.to_owned()).or_insert(0),
        };
        if *depth > MAX_INCLUDE_DEPTH {
            const CAUSE: &str = "unable to execute template";
            let message =
                format!("rendering template has a nested reference name: {name}: {CAUSE}");
            return Err(FuncError::wrap(message, CAUSE));
        }
        *depth += 1;
        let result = self.execute_template(name, data);
        if let Some(depth) = self.shared.included.get_mut(name) {
            *depth -= 1;
        }
        result.map_err(FuncError::from)
    }

    /// Helm's `tpl`: parses `text` as a template named like the set, able to see (and to
    /// shadow) the set's templates, executes it with `data`, and drops `<no value>` from
    /// the output. Missing keys are zero values, or errors when the set errors on them.
    pub fn tpl(&mut self, text: &str, data: &Value) -> Result<String, FuncError> {
        let set = self.set;
        let names = &mut Names::default();
        let parsed = parse(set.name, text, set.delims, set.funcs, names).map_err(|err| {
            FuncError::wrap(format!("cannot parse template {}: {err}", quote(text)), err)
        })?;
        let mut overlay = Trees::default();
        let mut root = None;
        for (name, tree) in parsed {
            let tree = Arc::new(tree);
            if *name == *set.name {
                root = Some(tree.clone());
            }
            // An empty definition does not replace an existing template.
            if is_empty_list(&tree.root, tree.source()) && set.lookup(&name).is_some() {
                continue;
            }
            overlay.insert(name, tree);
        }
        let root = root.ok_or_else(|| FuncError::from(set.no_template(set.name)))?;
        let view = SetView {
            name: set.name,
            trees: &overlay,
            parent: Some(set),
            funcs: set.funcs,
            missing_key: match set.missing_key {
                MissingKey::Error => MissingKey::Error,
                MissingKey::Default | MissingKey::Zero => MissingKey::Zero,
            },
            delims: set.delims,
            max_output: set.max_output,
        };
        let output = execute_tree(&view, &root, data, self.shared).map_err(|err| {
            let message = format!(
                "error during tpl function execution for {}: {err}",
                quote(text)
            );
            FuncError::wrap(message, err)
        })?;
        Ok(output.replace("<no value>", ""))
    }
}

/// Go's `doublePercent`: text to go into a format as is.
fn double_percent(text: &str) -> String {
    text.replace('%', "%%")
}
