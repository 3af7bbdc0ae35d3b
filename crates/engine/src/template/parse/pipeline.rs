//! Parsing of pipelines, commands and operands: the expression half of Go's parser.
use super::{MAX_PAREN_DEPTH, PResult, Parser};
use crate::template::arena::Seq;
use crate::template::lex::{Item, ItemType};
use crate::template::literal::{Number, NumberSyntax, unquote_bytes};
use crate::template::node::{
    ArgNode, BoolNode, ChainNode, CommandNode, DotNode, FieldNode, IdentifierNode, Name, NilNode,
    NodeRef, NumberNode, PipeNode, StringNode, VariableNode, with_stack,
};
use crate::value::Value;

impl<'a> Parser<'a, '_> {
    /// Pipeline:
    ///
    /// ```text
    /// declarations? command ('|' command)*
    /// ```
    pub(super) fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            span: self.span(token.pos),
            is_assign: false,
            decl: Vec::new(),
            cmds: Seq::EMPTY,
        };
        self.declarations(&mut pipe, context)?;
        let mark = self.cmds.len();
        loop {
            let token = self.next_non_space();
            match token.typ {
                typ if typ == end => {
                    self.check_pipeline(&self.cmds[mark..], context)?;
                    pipe.cmds = self.finish(mark, |p| &mut p.cmds);
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    /// The declarations of a pipeline: `$x :=`, `$x =`, and in `range`, `$i, $e :=`.
    fn declarations(&mut self, pipe: &mut PipeNode, context: &str) -> PResult<()> {
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                return Ok(());
            }
            self.next();
            // Space is a token, so "$x foo" needs three tokens of lookahead to tell an
            // argument variable from a declaration.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    let variable = self.new_variable(v.pos, v.val);
                    self.cur.vars.push(variable.sym);
                    pipe.decl.push(variable);
                    return Ok(());
                }
                ItemType::Char if next.val == "," => {
                    self.next_non_space();
                    let variable = self.new_variable(v.pos, v.val);
                    self.cur.vars.push(variable.sym);
                    pipe.decl.push(variable);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                // The second variable of a range.
                                continue;
                            }
                            _ => {
                                return Err(self.errorf("range can only initialize variables", &[]));
                            }
                        }
                    }
                    let format = "too many declarations in %s";
                    return Err(self.errorf(format, &[context.into()]));
                }
                _ if token_after_variable.typ == ItemType::Space => {
                    self.backup3(v, token_after_variable);
                    return Ok(());
                }
                _ => {
                    self.backup2(v);
                    return Ok(());
                }
            }
        }
    }

    fn check_pipeline(&self, cmds: &[CommandNode], context: &str) -> PResult<()> {
        if cmds.is_empty() {
            return Err(self.errorf("missing value for %s", &[context.into()]));
        }
        // Only the first command of a pipeline can start with a non-executable operand.
        for (i, cmd) in cmds.iter().enumerate().skip(1) {
            if matches!(
                self.arena.get(cmd.args).first(),
                Some(
                    ArgNode::Bool(_)
                        | ArgNode::Dot(_)
                        | ArgNode::Nil(_)
                        | ArgNode::Number(_)
                        | ArgNode::String(_)
                )
            ) {
                let stage = Value::int(i64::try_from(i + 1).unwrap_or(i64::MAX));
                let format = "non executable command in pipeline stage %d";
                return Err(self.errorf(format, &[stage]));
            }
        }
        Ok(())
    }

    /// command:
    ///
    /// ```text
    /// operand (space operand)*
    /// ```
    ///
    /// Space-separated arguments up to a pipe character or right delimiter; the pipe is
    /// consumed, the delimiter left to end the action.
    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek_non_space().pos;
        let mark = self.args.len();
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                self.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if self.args.len() == mark {
            return Err(self.errorf("empty command", &[]));
        }
        Ok(CommandNode {
            span: self.span(pos),
            args: self.finish(mark, |p| &mut p.args),
        })
    }

    /// operand:
    ///
    /// ```text
    /// term .Field*
    /// ```
    ///
    /// `None` means the next item is not an operand.
    fn operand(&mut self) -> PResult<Option<ArgNode>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        let next = self.peek();
        // Go positions a chain of fields at its second field.
        let span = self.span(next.pos);
        if let ArgNode::Field(mut field) = node {
            // `term` left the first name with the fields to come.
            if next.typ == ItemType::Field {
                field.span = span;
            }
            field.ident = self.take_fields(self.fields.len() - 1);
            return Ok(Some(ArgNode::Field(field)));
        }
        if next.typ != ItemType::Field {
            return Ok(Some(node));
        }
        // Fields after a variable extend it; literals cannot have fields.
        Ok(Some(match node {
            ArgNode::Variable(mut variable) => {
                variable.fields = self.take_fields(self.fields.len());
                variable.span = span;
                ArgNode::Variable(variable)
            }
            ArgNode::Field(_)
            | ArgNode::Bool(_)
            | ArgNode::String(_)
            | ArgNode::Number(_)
            | ArgNode::Nil(_)
            | ArgNode::Dot(_) => {
                self.take_fields(self.fields.len());
                let term = NodeRef::Arg(&node).describe(self.source());
                return Err(self.errorf("unexpected . after term %q", &[term.into()]));
            }
            node => ArgNode::Chain(ChainNode {
                span,
                node: Box::new(node),
                field: self.take_fields(self.fields.len()),
            }),
        }))
    }

    /// Consumes the `.Field` items that follow, and returns them with the names already
    /// scanned from `mark` on.
    fn take_fields(&mut self, mark: usize) -> Seq<Name> {
        while self.peek().typ == ItemType::Field {
            let token = self.next();
            self.fields.push(Self::name_of(&token, 1));
        }
        self.finish(mark, |p| &mut p.fields)
    }

    /// The text of `token` after its first `skip` bytes, as a span of the source.
    fn name_of(token: &Item<'_>, skip: usize) -> Name {
        Name::new(token.pos + skip, token.pos + token.val.len())
    }

    /// term:
    ///
    /// ```text
    /// literal (number, string, nil, boolean)
    /// function (identifier)
    /// .
    /// .Field
    /// $
    /// '(' pipeline ')'
    /// ```
    ///
    /// `None` means the next item is not a term.
    fn term(&mut self) -> PResult<Option<ArgNode>> {
        let token = self.next_non_space();
        let span = self.span(token.pos);
        let node = match token.typ {
            ItemType::Identifier => {
                let Some(func) = self.funcs.lookup(token.val) else {
                    let name = Value::from(token.val);
                    return Err(self.errorf("function %q not defined", &[name]));
                };
                ArgNode::Identifier(IdentifierNode {
                    span,
                    ident: Self::name_of(&token, 0),
                    func,
                })
            }
            ItemType::Dot => ArgNode::Dot(DotNode { span }),
            ItemType::Nil => ArgNode::Nil(NilNode { span }),
            ItemType::Variable => ArgNode::Variable(self.use_var(token.pos, token.val)?),
            ItemType::Field => {
                // `operand` adds the fields that follow and makes the list.
                self.fields.push(Self::name_of(&token, 1));
                ArgNode::Field(FieldNode {
                    span,
                    ident: Seq::EMPTY,
                })
            }
            ItemType::Bool => ArgNode::Bool(BoolNode {
                span,
                value: token.val == "true",
            }),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let syntax = match token.typ {
                    ItemType::CharConstant => NumberSyntax::CharConstant,
                    ItemType::Complex => NumberSyntax::Complex,
                    _ => NumberSyntax::Number,
                };
                let number =
                    Number::parse(token.val, syntax).map_err(|e| self.errorf("%s", &[e.into()]))?;
                ArgNode::Number(NumberNode {
                    span,
                    text: Self::name_of(&token, 0),
                    number: Box::new(number),
                })
            }
            ItemType::LeftParen => {
                if self.cur.stack_depth >= MAX_PAREN_DEPTH {
                    return Err(self.errorf("max expression depth exceeded", &[]));
                }
                self.cur.stack_depth += 1;
                let pipe =
                    with_stack(|| self.pipeline("parenthesized pipeline", ItemType::RightParen));
                self.cur.stack_depth -= 1;
                ArgNode::Pipe(Box::new(pipe?))
            }
            ItemType::String | ItemType::RawString => {
                let bytes = unquote_bytes(token.val).map_err(|()| self.syntax_error())?;
                let text = match std::str::from_utf8(&bytes) {
                    Ok(text) => Value::String(self.names.intern(text)),
                    Err(_) => Value::from_go_bytes(bytes.into_owned()),
                };
                ArgNode::String(StringNode {
                    span,
                    quoted: Self::name_of(&token, 0),
                    text,
                })
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(node))
    }

    fn new_variable(&mut self, pos: usize, name: &'a str) -> VariableNode {
        let sym = match self.symbols.get(name) {
            Some(&sym) => sym,
            None => {
                let sym = u32::try_from(self.symbols.len()).unwrap_or(u32::MAX);
                self.symbols.insert(name, sym);
                sym
            }
        };
        VariableNode {
            span: self.span(pos),
            name: Name::new(pos, pos + name.len()),
            fields: Seq::EMPTY,
            sym,
        }
    }

    /// A variable reference; the variable must be declared.
    fn use_var(&mut self, pos: usize, name: &'a str) -> PResult<VariableNode> {
        let variable = self.new_variable(pos, name);
        if !self.cur.vars.contains(&variable.sym) {
            return Err(self.errorf("undefined variable %q", &[name.into()]));
        }
        Ok(variable)
    }
}
