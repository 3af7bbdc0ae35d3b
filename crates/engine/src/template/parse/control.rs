//! Parsing of control structures: `if`, `range` and `with` with their `else` branches,
//! `break` and `continue`, `block` and `template` (Go's `parse.go` control rules).
use std::sync::Arc;

use super::{PResult, Parsed, Parser};
use crate::template::lex::{Item, ItemType};
use crate::template::literal::unquote;
use crate::template::node::{BranchNode, ListNode, Node, TemplateNode, with_stack};

impl Parser<'_, '_> {
    /// Break and Continue:
    ///
    /// ```text
    /// {{break}}
    /// {{continue}}
    /// ```
    ///
    /// The keyword is past.
    pub(super) fn break_control(&mut self, pos: usize, keyword: &str) -> PResult<Node> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return Err(self.unexpected(&token, keyword));
        }
        if self.cur.range_depth == 0 {
            let format = if keyword == "{{break}}" {
                "{{break}} outside {{range}}"
            } else {
                "{{continue}} outside {{range}}"
            };
            return Err(self.errorf(format, &[]));
        }
        let span = self.span(pos);
        Ok(if keyword == "{{break}}" {
            Node::Break(span)
        } else {
            Node::Continue(span)
        })
    }

    /// The pipeline, body and else branch of `if`, `range` and `with`.
    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        with_stack(|| {
            let vars = self.cur.vars.len();
            let branch = self.parse_control_body(context);
            self.cur.vars.truncate(vars);
            branch
        })
    }

    fn parse_control_body(&mut self, context: &str) -> PResult<BranchNode> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.cur.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.cur.range_depth -= 1;
        }
        let mut else_list = None;
        if let Parsed::Else(else_span) = next {
            // "{{else if ...}}" and "{{else with ...}}" parse as "{{else}}{{if ...}}" with the
            // closing {{end}} shared; this works even for long if-else-if chains.
            let chained = match (context, self.peek().typ) {
                ("if", ItemType::If) => Some(Self::if_control as fn(&mut Self) -> PResult<Node>),
                ("with", ItemType::With) => {
                    Some(Self::with_control as fn(&mut Self) -> PResult<Node>)
                }
                _ => None,
            };
            if let Some(control) = chained {
                self.next();
                let node = control(self)?;
                else_list = Some(ListNode {
                    span: else_span,
                    nodes: self.arena.push(std::iter::once(node)),
                });
            } else {
                let (list, next) = self.item_list()?;
                if !matches!(next, Parsed::End) {
                    let next = next.describe(self.source()).into();
                    return Err(self.errorf("expected end; found %s", &[next]));
                }
                else_list = Some(list);
            }
        }
        Ok(BranchNode {
            span: pipe.span,
            pipe,
            list,
            else_list,
        })
    }

    /// If:
    ///
    /// ```text
    /// {{if pipeline}} itemList {{end}}
    /// {{if pipeline}} itemList {{else}} itemList {{end}}
    /// ```
    pub(super) fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(self.parse_control("if")?))
    }

    /// Range:
    ///
    /// ```text
    /// {{range pipeline}} itemList {{end}}
    /// {{range pipeline}} itemList {{else}} itemList {{end}}
    /// ```
    pub(super) fn range_control(&mut self) -> PResult<Node> {
        Ok(Node::Range(self.parse_control("range")?))
    }

    /// With:
    ///
    /// ```text
    /// {{with pipeline}} itemList {{end}}
    /// {{with pipeline}} itemList {{else}} itemList {{end}}
    /// ```
    pub(super) fn with_control(&mut self) -> PResult<Node> {
        Ok(Node::With(self.parse_control("with")?))
    }

    /// End: `{{end}}`; the keyword is past.
    pub(super) fn end_control(&mut self) -> PResult<Parsed> {
        self.expect(ItemType::RightDelim, "end")?;
        Ok(Parsed::End)
    }

    /// Else: `{{else}}`; the keyword is past. In `{{else if` and `{{else with` the `if` or
    /// `with` is left pending for `parse_control`.
    pub(super) fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if matches!(peek.typ, ItemType::If | ItemType::With) {
            return Ok(Parsed::Else(self.span(peek.pos)));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(self.span(token.pos)))
    }

    /// Block:
    ///
    /// ```text
    /// {{block stringValue pipeline}} itemList {{end}}
    /// ```
    ///
    /// Defines the template and calls it in place; the pipeline is mandatory.
    pub(super) fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let name: Arc<str> = name.into();
        let (root, end, line) = self.in_new_tree(name.clone(), |p| {
            let (root, end) = p.item_list()?;
            Ok((root, end, p.cur.token[0].line))
        })?;
        if !matches!(end, Parsed::End) {
            let args = [end.describe(self.source()).into(), CONTEXT.into()];
            return Err(self.errorf("unexpected %s in %s", &args));
        }
        self.add(name.clone(), root, line)?;
        Ok(Node::Template(TemplateNode {
            span: self.span(token.pos),
            name: name.as_ref().into(),
            pipe: Some(pipe),
        }))
    }

    /// Template:
    ///
    /// ```text
    /// {{template stringValue pipeline?}}
    /// ```
    pub(super) fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            // Variables are not popped: they persist until "end".
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template(TemplateNode {
            span: self.span(token.pos),
            name: name.into(),
            pipe,
        }))
    }

    fn parse_template_name(&self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => {
                let name = unquote(token.val).map_err(|()| self.syntax_error())?;
                Ok(name.into_owned())
            }
            _ => Err(self.unexpected(token, context)),
        }
    }
}
