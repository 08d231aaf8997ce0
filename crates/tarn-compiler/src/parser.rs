//! The Lua 5.4 parser and resolver: tokens to a resolved [`Chunk`], in one pass.
//!
//! A recursive-descent parser following the grammar of the manual's §9 and the structure
//! of `lparser.c`, so that error messages (wording, line, `near` token) match `lua5.4`.
//! Like `lparser.c` it resolves scopes as it goes: names become locals, upvalues or
//! globals; closures record what they capture; `goto`/labels/`break` are checked and
//! resolved; assignments to `<const>`/`<close>` variables are rejected.
//!
//! Not here: code generation, constant folding, register allocation.
//!
//! Depth. Two limits keep the parser and every later recursive walk of the tree (codegen,
//! printers, `Drop`) within a small stack (tests run it on a 2 MiB thread):
//! - [`MAX_LEVELS`] (200, Lua's `LUAI_MAXCCALLS`) bounds the parser's own recursion: each
//!   statement and each sub-expression (every parenthesis, unary operator, right operand
//!   of `..`/`^`, table, function) enters a level. Deeper input fails with "chunk has too
//!   many syntax levels" (Lua 5.4 says "C stack overflow", without a position).
//! - [`MAX_DEPTH`] bounds the tree's depth where the parser builds it without recursing:
//!   left-associative operator chains (`a+b+c...`) and suffix chains (`a.b.c...`,
//!   `f()()()`) build left-deep trees in a loop. Every expression node records its height,
//!   and `level + height` may not exceed `MAX_DEPTH` ("expression too complex"). Lua
//!   itself accepts such chains of any length; Tarn accepts them up to about 1000 links.
//!
//! Invariants: `funcs` is the stack of functions being parsed (innermost last) and is
//! never empty while parsing; each function's `blocks` is non-empty inside its body;
//! `level` is the current recursion level.

use crate::ast::*;
use crate::error::{CompileError, ErrorKind};
use crate::lexer::{Lexeme, Lexer};
use crate::token::{StrId, Token};

/// Maximum recursion level of the parser (Lua's `LUAI_MAXCCALLS`).
pub const MAX_LEVELS: u32 = 200;
/// Maximum of recursion level plus expression height (see the module comment).
pub const MAX_DEPTH: u32 = 1000;
/// Maximum active local variables per function (Lua's `MAXVARS`), including the hidden
/// state of `for` loops (3 for numeric, 4 for generic), as Lua counts them.
pub const MAX_VARS: usize = 200;
/// Maximum upvalues per function (Lua's `MAXUPVAL`).
pub const MAX_UPVALS: usize = 255;

type R<T> = Result<T, CompileError>;

struct LabelEntry {
    name: StrId,
    line: Line,
    id: LabelId,
}

struct PendingGoto {
    /// `None` for `break`.
    name: Option<StrId>,
    line: Line,
    nactvar: usize,
    id: GotoId,
}

struct BlockState {
    nactive: usize,
    hidden: usize,
    first_label: usize,
    first_goto: usize,
    is_loop: bool,
    needs_close: bool,
}

struct FuncState {
    line: Line,
    is_vararg: bool,
    num_params: u32,
    locals: Vec<LocalInfo>,
    upvalues: Vec<UpvalueInfo>,
    /// Active locals, innermost last.
    active: Vec<LocalId>,
    /// Hidden `for` state variables in scope (they count toward `MAX_VARS`).
    hidden: usize,
    /// Declared locals not yet active (the last `declared` entries of `locals`).
    declared: usize,
    blocks: Vec<BlockState>,
    /// Visible labels.
    labels: Vec<LabelEntry>,
    /// Gotos (and breaks) waiting for their label.
    pending: Vec<PendingGoto>,
    goto_targets: Vec<LabelId>,
    num_labels: u32,
}

impl FuncState {
    fn new(line: Line, is_vararg: bool) -> Self {
        FuncState {
            line,
            is_vararg,
            num_params: 0,
            locals: Vec::new(),
            upvalues: Vec::new(),
            active: Vec::new(),
            hidden: 0,
            declared: 0,
            blocks: Vec::new(),
            labels: Vec::new(),
            pending: Vec::new(),
            goto_targets: Vec::new(),
            num_labels: 0,
        }
    }
}

enum Resolved {
    Local(LocalId),
    Upvalue(UpvalId),
    Global,
}

pub(crate) struct Parser<'s> {
    lex: Lexer<'s>,
    tok: Lexeme,
    ahead: Option<Lexeme>,
    level: u32,
    /// Largest `level + height` of any expression built in the current function body.
    reach: u32,
    funcs: Vec<FuncState>,
    env: StrId,
}

/// Parses a whole chunk. `start` is where parsing begins (after a skipped `#` line).
pub(crate) fn parse_chunk(src: &[u8], start: usize, chunk: String) -> R<Chunk> {
    let mut lex = Lexer::new(src, start, chunk);
    let env = lex.strings.intern(b"_ENV");
    let tok = lex.next_token()?;
    let mut p = Parser { lex, tok, ahead: None, level: 0, reach: 0, funcs: Vec::new(), env };
    let main = p.main_func()?;
    let Parser { lex, .. } = p;
    Ok(Chunk { source: lex.chunk, main, strings: lex.strings })
}

fn unop(t: Token) -> Option<UnOp> {
    Some(match t {
        Token::Minus => UnOp::Neg,
        Token::Not => UnOp::Not,
        Token::Hash => UnOp::Len,
        Token::Tilde => UnOp::BNot,
        _ => return None,
    })
}

fn binop(t: Token) -> Option<BinOp> {
    Some(match t {
        Token::Plus => BinOp::Add,
        Token::Minus => BinOp::Sub,
        Token::Star => BinOp::Mul,
        Token::Slash => BinOp::Div,
        Token::DSlash => BinOp::IDiv,
        Token::Percent => BinOp::Mod,
        Token::Caret => BinOp::Pow,
        Token::Concat => BinOp::Concat,
        Token::Eq => BinOp::Eq,
        Token::Ne => BinOp::Ne,
        Token::Lt => BinOp::Lt,
        Token::Le => BinOp::Le,
        Token::Gt => BinOp::Gt,
        Token::Ge => BinOp::Ge,
        Token::And => BinOp::And,
        Token::Or => BinOp::Or,
        Token::Amp => BinOp::BAnd,
        Token::Pipe => BinOp::BOr,
        Token::Tilde => BinOp::BXor,
        Token::Shl => BinOp::Shl,
        Token::Shr => BinOp::Shr,
        _ => return None,
    })
}

fn is_var(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Local(_) | ExprKind::Upvalue(_) | ExprKind::Global { .. } | ExprKind::Index { .. }
    )
}

impl<'s> Parser<'s> {
    // ---- tokens and errors ----

    fn advance(&mut self) -> R<()> {
        self.tok = match self.ahead.take() {
            Some(l) => l,
            None => self.lex.next_token()?,
        };
        Ok(())
    }

    fn peek_ahead(&mut self) -> R<Token> {
        if self.ahead.is_none() {
            self.ahead = Some(self.lex.next_token()?);
        }
        Ok(self.ahead.map_or(Token::Eof, |l| l.tok))
    }

    /// The line Lua reports: where the lexer is (past a lookahead token, if any).
    fn err_line(&self) -> Line {
        self.ahead.map_or(self.tok.line, |a| a.line)
    }

    fn error_near(&self, kind: ErrorKind, msg: &str) -> CompileError {
        // Lua's token code for a NUL byte is 0, which it takes for "no token": no `near`.
        if self.tok.tok == Token::Other(0) {
            return CompileError::new(kind, &self.lex.chunk, self.err_line(), msg, None);
        }
        let near = self.lex.near_text(&self.tok);
        CompileError::new(kind, &self.lex.chunk, self.err_line(), msg, Some(&near))
    }

    fn syntax_error(&self, msg: &str) -> CompileError {
        self.error_near(ErrorKind::Syntax, msg)
    }

    /// Errors Lua raises with `luaK_semerror`: no `near` part.
    fn sem_error(&self, msg: &str) -> CompileError {
        CompileError::new(ErrorKind::Semantic, &self.lex.chunk, self.err_line(), msg, None)
    }

    fn error_expected(&self, t: Token) -> CompileError {
        self.syntax_error(&format!("{} expected", t.describe()))
    }

    /// Lua's `errorlimit`.
    fn limit_error(&self, what: &str, limit: usize) -> CompileError {
        let line = self.fs().line;
        let place = if line == 0 { "main function".to_string() } else { format!("function at line {line}") };
        let msg = format!("too many {what} (limit is {limit}) in {place}");
        self.error_near(ErrorKind::Limit, &msg)
    }

    fn name_str(&self, id: StrId) -> String {
        String::from_utf8_lossy(self.lex.strings.get(id)).into_owned()
    }

    fn test_next(&mut self, t: Token) -> R<bool> {
        if self.tok.tok == t {
            self.advance()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn check(&self, t: Token) -> R<()> {
        if self.tok.tok == t {
            Ok(())
        } else {
            Err(self.error_expected(t))
        }
    }

    fn check_next(&mut self, t: Token) -> R<()> {
        self.check(t)?;
        self.advance()
    }

    /// Expects `what` closing `who` opened at `line`.
    fn check_match(&mut self, what: Token, who: Token, line: Line) -> R<()> {
        if self.tok.tok == what {
            return self.advance();
        }
        if line == self.err_line() {
            Err(self.error_expected(what))
        } else {
            let msg = format!("{} expected (to close {} at line {})", what.describe(), who.describe(), line);
            Err(self.syntax_error(&msg))
        }
    }

    fn check_name(&mut self) -> R<StrId> {
        match self.tok.tok {
            Token::Name(n) => {
                self.advance()?;
                Ok(n)
            }
            _ => Err(self.error_expected(Token::Name(StrId(0)))),
        }
    }

    fn block_follow(&self, with_until: bool) -> bool {
        match self.tok.tok {
            Token::Else | Token::Elseif | Token::End | Token::Eof => true,
            Token::Until => with_until,
            _ => false,
        }
    }

    fn enter_level(&mut self) -> R<()> {
        self.level += 1;
        if self.level > MAX_LEVELS {
            return Err(CompileError::new(
                ErrorKind::Limit,
                &self.lex.chunk,
                self.err_line(),
                "chunk has too many syntax levels",
                None,
            ));
        }
        Ok(())
    }

    // ---- expression nodes and the depth limit ----

    /// Builds an expression node, computing its height from its children.
    fn node(&mut self, kind: ExprKind, line: Line) -> R<Expr> {
        let below = match &kind {
            ExprKind::Nil
            | ExprKind::True
            | ExprKind::False
            | ExprKind::Vararg
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Local(_)
            | ExprKind::Upvalue(_)
            | ExprKind::Global { .. }
            | ExprKind::Function(_) => 0,
            ExprKind::Index { obj, key } => obj.height.max(key.height),
            ExprKind::Call(c) => c.args.iter().map(|a| a.height).fold(c.func.height, u32::max),
            ExprKind::Method(m) => m.args.iter().map(|a| a.height).fold(m.obj.height, u32::max),
            ExprKind::Table(t) => t
                .fields
                .iter()
                .map(|f| match f {
                    Field::Positional(v) | Field::Named { value: v, .. } => v.height,
                    Field::Keyed { key, value } => key.height.max(value.height),
                })
                .max()
                .unwrap_or(0),
            ExprKind::Paren(e) | ExprKind::Unary { operand: e, .. } => e.height,
            ExprKind::Binary { lhs, rhs, .. } => lhs.height.max(rhs.height),
        };
        self.node_with_height(kind, line, below.saturating_add(1))
    }

    fn node_with_height(&mut self, kind: ExprKind, line: Line, height: u32) -> R<Expr> {
        let depth = self.level.saturating_add(height);
        if depth > MAX_DEPTH {
            let msg = format!("expression too complex (nesting limit {MAX_DEPTH})");
            return Err(CompileError::new(ErrorKind::Limit, &self.lex.chunk, self.err_line(), &msg, None));
        }
        self.reach = self.reach.max(depth);
        Ok(Expr { line, kind, height })
    }

    // ---- scopes ----

    fn fs(&self) -> &FuncState {
        // Invariant: `funcs` is non-empty while parsing.
        &self.funcs[self.funcs.len() - 1]
    }

    fn fs_mut(&mut self) -> &mut FuncState {
        let n = self.funcs.len() - 1;
        &mut self.funcs[n]
    }

    fn enter_block(&mut self, is_loop: bool) {
        let fs = self.fs_mut();
        let bl = BlockState {
            nactive: fs.active.len(),
            hidden: fs.hidden,
            first_label: fs.labels.len(),
            first_goto: fs.pending.len(),
            is_loop,
            needs_close: false,
        };
        fs.blocks.push(bl);
    }

    /// Leaves the innermost block: its locals and labels go out of scope, its loop's
    /// breaks are resolved, its pending gotos move out (or, leaving a function's outermost
    /// block, are errors). Returns whether the block needs to close upvalues.
    fn leave_block(&mut self) -> R<bool> {
        let fs = self.fs_mut();
        let Some(bl) = fs.blocks.pop() else { return Ok(false) };
        fs.active.truncate(bl.nactive);
        fs.hidden = bl.hidden;
        if bl.is_loop {
            let mut i = bl.first_goto;
            while i < fs.pending.len() {
                if fs.pending[i].name.is_none() {
                    fs.pending.remove(i);
                } else {
                    i += 1;
                }
            }
        }
        fs.labels.truncate(bl.first_label);
        if !fs.blocks.is_empty() {
            for g in &mut fs.pending[bl.first_goto..] {
                g.nactvar = g.nactvar.min(bl.nactive);
            }
        } else if let Some(g) = fs.pending.get(bl.first_goto) {
            let (name, line) = (g.name, g.line);
            let msg = match name {
                None => format!("break outside loop at line {line}"),
                Some(name) => format!("no visible label '{}' for <goto> at line {line}", self.name_str(name)),
            };
            return Err(self.sem_error(&msg));
        }
        Ok(bl.needs_close)
    }

    fn check_var_limit(&self, extra: usize) -> R<()> {
        let fs = self.fs();
        if fs.active.len() + fs.hidden + fs.declared + extra > MAX_VARS {
            return Err(self.limit_error("local variables", MAX_VARS));
        }
        Ok(())
    }

    /// Declares a local; it becomes visible at [`Self::activate`].
    fn declare_local(&mut self, name: StrId, attrib: Attrib, line: Line) -> R<LocalId> {
        self.check_var_limit(1)?;
        let fs = self.fs_mut();
        let id = LocalId(fs.locals.len() as u32);
        fs.locals.push(LocalInfo { name, attrib, captured: false, line });
        fs.declared += 1;
        Ok(id)
    }

    /// Brings the last `n` declared locals into scope.
    fn activate(&mut self, n: usize) {
        let fs = self.fs_mut();
        let n = n.min(fs.declared);
        let first = fs.locals.len() - fs.declared;
        for i in first..first + n {
            fs.active.push(LocalId(i as u32));
        }
        fs.declared -= n;
    }

    fn add_hidden(&mut self, n: usize) -> R<()> {
        self.check_var_limit(n)?;
        self.fs_mut().hidden += n;
        Ok(())
    }

    /// Resolves a name like `singlevaraux`: the innermost function where it is a local or
    /// an upvalue, then an upvalue in each function between there and here.
    fn resolve(&mut self, name: StrId) -> R<Resolved> {
        let top = self.funcs.len() - 1;
        let mut found = None;
        for lvl in (0..=top).rev() {
            let fs = &self.funcs[lvl];
            if let Some(pos) = fs.active.iter().rposition(|id| fs.locals[id.0 as usize].name == name) {
                found = Some((lvl, Resolved::Local(fs.active[pos]), pos));
                break;
            }
            if let Some(u) = fs.upvalues.iter().position(|u| u.name == name) {
                found = Some((lvl, Resolved::Upvalue(UpvalId(u as u32)), 0));
                break;
            }
        }
        let Some((lvl, mut r, pos)) = found else { return Ok(Resolved::Global) };
        if lvl == top {
            return Ok(r);
        }
        let mut attrib = match r {
            Resolved::Local(id) => {
                let fs = &mut self.funcs[lvl];
                let local = &mut fs.locals[id.0 as usize];
                local.captured = true;
                let attrib = local.attrib;
                if let Some(b) = fs.blocks.iter_mut().rev().find(|b| b.nactive <= pos) {
                    b.needs_close = true;
                }
                attrib
            }
            Resolved::Upvalue(u) => self.funcs[lvl].upvalues[u.0 as usize].attrib,
            Resolved::Global => Attrib::Regular,
        };
        for l in lvl + 1..=top {
            let source = match r {
                Resolved::Local(id) => UpvalSource::ParentLocal(id),
                Resolved::Upvalue(u) => UpvalSource::ParentUpvalue(u),
                Resolved::Global => UpvalSource::Env,
            };
            if self.funcs[l].upvalues.len() >= MAX_UPVALS {
                // Report it for the function that overflows, as Lua does.
                let line = self.funcs[l].line;
                let place =
                    if line == 0 { "main function".to_string() } else { format!("function at line {line}") };
                let msg = format!("too many upvalues (limit is {MAX_UPVALS}) in {place}");
                return Err(self.error_near(ErrorKind::Limit, &msg));
            }
            let fs = &mut self.funcs[l];
            fs.upvalues.push(UpvalueInfo { name, source, attrib });
            r = Resolved::Upvalue(UpvalId(fs.upvalues.len() as u32 - 1));
            attrib = fs.upvalues[fs.upvalues.len() - 1].attrib;
        }
        Ok(r)
    }

    // singlevar -> NAME
    fn single_var(&mut self, name: StrId, line: Line) -> R<Expr> {
        let kind = match self.resolve(name)? {
            Resolved::Local(id) => ExprKind::Local(id),
            Resolved::Upvalue(u) => ExprKind::Upvalue(u),
            Resolved::Global => {
                let env = match self.resolve(self.env)? {
                    Resolved::Local(id) => VarRef::Local(id),
                    Resolved::Upvalue(u) => VarRef::Upvalue(u),
                    // The main function always has `_ENV` as upvalue 0.
                    Resolved::Global => return Err(self.sem_error("cannot resolve '_ENV'")),
                };
                ExprKind::Global { env, name }
            }
        };
        self.node(kind, line)
    }

    fn check_readonly(&self, e: &Expr) -> R<()> {
        let fs = self.fs();
        let (name, attrib) = match e.kind {
            ExprKind::Local(id) => {
                let l = &fs.locals[id.0 as usize];
                (l.name, l.attrib)
            }
            ExprKind::Upvalue(u) => {
                let up = &fs.upvalues[u.0 as usize];
                (up.name, up.attrib)
            }
            _ => return Ok(()),
        };
        if attrib != Attrib::Regular {
            let msg = format!("attempt to assign to const variable '{}'", self.name_str(name));
            return Err(self.sem_error(&msg));
        }
        Ok(())
    }

    // ---- labels and gotos ----

    fn check_repeated(&self, name: StrId) -> R<()> {
        if let Some(lb) = self.fs().labels.iter().find(|l| l.name == name) {
            let msg = format!("label '{}' already defined on line {}", self.name_str(name), lb.line);
            return Err(self.sem_error(&msg));
        }
        Ok(())
    }

    /// Creates a label and resolves the pending gotos of the current block that target it.
    fn create_label(&mut self, name: StrId, line: Line, last: bool) -> R<LabelId> {
        let fs = self.fs_mut();
        let (block_nactive, first_goto) = fs.blocks.last().map_or((0, 0), |b| (b.nactive, b.first_goto));
        // Active locals at the label; a label that ends its block is outside their scope.
        let nactvar = if last { block_nactive } else { fs.active.len() };
        let id = LabelId(fs.num_labels);
        fs.num_labels += 1;
        fs.labels.push(LabelEntry { name, line, id });
        let mut i = first_goto;
        while i < fs.pending.len() {
            let g = &fs.pending[i];
            if g.name != Some(name) {
                i += 1;
                continue;
            }
            if g.nactvar < nactvar {
                let var = fs.active.get(g.nactvar).map(|l| fs.locals[l.0 as usize].name);
                let goto_line = g.line;
                let var = var.map(|v| self.name_str(v)).unwrap_or_default();
                let msg = format!(
                    "<goto {}> at line {} jumps into the scope of local '{}'",
                    self.name_str(name),
                    goto_line,
                    var
                );
                return Err(self.sem_error(&msg));
            }
            let gid = g.id;
            fs.goto_targets[gid.0 as usize] = id;
            fs.pending.remove(i);
        }
        Ok(id)
    }

    // ---- functions and blocks ----

    /// mainfunc -> statlist EOF (a vararg function whose upvalue 0 is `_ENV`)
    fn main_func(&mut self) -> R<Function> {
        let mut fs = FuncState::new(0, true);
        fs.upvalues.push(UpvalueInfo { name: self.env, source: UpvalSource::Env, attrib: Attrib::Regular });
        self.funcs.push(fs);
        self.enter_block(false);
        let stats = self.statlist()?;
        self.check(Token::Eof)?;
        let needs_close = self.leave_block()?;
        let fs = self.funcs.pop().unwrap_or_else(|| FuncState::new(0, true));
        Ok(finish_function(fs, 0, Block { stats, needs_close }))
    }

    // body -> '(' parlist ')' block END
    // parlist -> [ {NAME ','} (NAME | '...') ]
    /// Returns the function and the `reach` of its body (for the depth limit).
    fn body(&mut self, is_method: bool, line: Line) -> R<(Box<Function>, u32)> {
        let saved_reach = std::mem::replace(&mut self.reach, 0);
        self.funcs.push(FuncState::new(line, false));
        self.enter_block(false);
        let mut nparams = 0;
        if is_method {
            let name = self.lex.strings.intern(b"self");
            self.declare_local(name, Attrib::Regular, line)?;
            self.activate(1);
            self.fs_mut().num_params = 1;
        }
        self.check_next(Token::LParen)?;
        if self.tok.tok != Token::RParen {
            loop {
                match self.tok.tok {
                    Token::Name(n) => {
                        let l = self.tok.line;
                        self.advance()?;
                        self.declare_local(n, Attrib::Regular, l)?;
                        nparams += 1;
                    }
                    Token::Dots => {
                        self.advance()?;
                        self.fs_mut().is_vararg = true;
                    }
                    _ => return Err(self.syntax_error("<name> or '...' expected")),
                }
                if self.fs().is_vararg || !self.test_next(Token::Comma)? {
                    break;
                }
            }
        }
        self.activate(nparams);
        self.fs_mut().num_params += nparams as u32;
        self.check_next(Token::RParen)?;
        let stats = self.statlist()?;
        let end_line = self.tok.line;
        self.check_match(Token::End, Token::Function, line)?;
        let needs_close = self.leave_block()?;
        let fs = self.funcs.pop().unwrap_or_else(|| FuncState::new(line, false));
        let inner = std::mem::replace(&mut self.reach, saved_reach);
        self.reach = self.reach.max(inner.saturating_add(1));
        Ok((Box::new(finish_function(fs, end_line, Block { stats, needs_close })), inner))
    }

    // block -> statlist
    fn block(&mut self, is_loop: bool) -> R<Block> {
        self.enter_block(is_loop);
        let stats = self.statlist()?;
        let needs_close = self.leave_block()?;
        Ok(Block { stats, needs_close })
    }

    // statlist -> { stat [';'] }
    fn statlist(&mut self) -> R<Vec<Stat>> {
        let mut stats = Vec::new();
        while !self.block_follow(true) {
            if self.tok.tok == Token::Return {
                self.statement(&mut stats)?;
                break; // 'return' must be the last statement
            }
            self.statement(&mut stats)?;
        }
        Ok(stats)
    }

    // ---- statements ----

    // stat -> ';' | ifstat | whilestat | DO block END | forstat | repeatstat | funcstat
    //       | LOCAL FUNCTION NAME body | LOCAL attnamelist ['=' explist] | label
    //       | retstat | BREAK | GOTO NAME | exprstat
    fn statement(&mut self, out: &mut Vec<Stat>) -> R<()> {
        let line = self.tok.line;
        self.enter_level()?;
        let kind = match self.tok.tok {
            Token::Semi => {
                self.advance()?;
                None
            }
            Token::If => Some(self.if_stat(line)?),
            Token::While => Some(self.while_stat(line)?),
            Token::Do => {
                self.advance()?;
                let b = self.block(false)?;
                self.check_match(Token::End, Token::Do, line)?;
                Some(StatKind::Do(b))
            }
            Token::For => Some(self.for_stat(line)?),
            Token::Repeat => Some(self.repeat_stat(line)?),
            Token::Function => Some(self.func_stat(line)?),
            Token::Local => {
                self.advance()?;
                if self.test_next(Token::Function)? {
                    Some(self.local_func(line)?)
                } else {
                    Some(self.local_stat(line)?)
                }
            }
            Token::DColon => {
                self.advance()?;
                self.label_stat(line, out)?;
                None
            }
            Token::Return => {
                self.advance()?;
                Some(self.ret_stat()?)
            }
            Token::Break => {
                self.advance()?;
                let fs = self.fs_mut();
                let id = GotoId(fs.goto_targets.len() as u32);
                let nactvar = fs.active.len();
                fs.pending.push(PendingGoto { name: None, line, nactvar, id });
                Some(StatKind::Break)
            }
            Token::Goto => {
                self.advance()?;
                Some(self.goto_stat(line)?)
            }
            _ => Some(self.expr_stat()?),
        };
        if let Some(kind) = kind {
            out.push(Stat { line, kind });
        }
        self.level -= 1;
        Ok(())
    }

    // ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END
    fn if_stat(&mut self, line: Line) -> R<StatKind> {
        let mut arms = Vec::new();
        loop {
            self.advance()?; // 'if' or 'elseif'
            let cond = self.expr()?;
            self.check_next(Token::Then)?;
            let block = self.block(false)?;
            arms.push((cond, block));
            if self.tok.tok != Token::Elseif {
                break;
            }
        }
        let else_block = if self.test_next(Token::Else)? { Some(self.block(false)?) } else { None };
        self.check_match(Token::End, Token::If, line)?;
        Ok(StatKind::If { arms, else_block })
    }

    // whilestat -> WHILE cond DO block END
    fn while_stat(&mut self, line: Line) -> R<StatKind> {
        self.advance()?;
        let cond = self.expr()?;
        self.check_next(Token::Do)?;
        let body = self.block(true)?;
        self.check_match(Token::End, Token::While, line)?;
        Ok(StatKind::While { cond, body })
    }

    // repeatstat -> REPEAT block UNTIL cond
    fn repeat_stat(&mut self, line: Line) -> R<StatKind> {
        self.advance()?;
        self.enter_block(true);
        let stats = self.statlist()?;
        self.check_match(Token::Until, Token::Repeat, line)?;
        let cond = self.expr()?; // inside the body's scope
        let needs_close = self.leave_block()?;
        Ok(StatKind::Repeat { body: Block { stats, needs_close }, cond })
    }

    // forstat -> FOR (fornum | forlist) END
    // fornum -> NAME '=' exp ',' exp [',' exp] forbody
    // forlist -> NAME {',' NAME} IN explist forbody
    // forbody -> DO block
    fn for_stat(&mut self, line: Line) -> R<StatKind> {
        self.advance()?;
        let name = self.check_name()?;
        self.enter_block(true);
        enum Head {
            Num { var: LocalId, start: Expr, limit: Expr, step: Option<Expr> },
            List { vars: Vec<LocalId>, exprs: Vec<Expr> },
        }
        let head = match self.tok.tok {
            Token::Assign => {
                self.add_hidden(3)?;
                let var = self.declare_local(name, Attrib::Regular, line)?;
                self.advance()?;
                let start = self.expr()?;
                self.check_next(Token::Comma)?;
                let limit = self.expr()?;
                let step = if self.test_next(Token::Comma)? { Some(self.expr()?) } else { None };
                Head::Num { var, start, limit, step }
            }
            Token::Comma | Token::In => {
                self.add_hidden(4)?;
                let mut vars = vec![self.declare_local(name, Attrib::Regular, line)?];
                while self.test_next(Token::Comma)? {
                    let n = self.check_name()?;
                    vars.push(self.declare_local(n, Attrib::Regular, line)?);
                }
                self.check_next(Token::In)?;
                let exprs = self.explist()?;
                Head::List { vars, exprs }
            }
            _ => return Err(self.syntax_error("'=' or 'in' expected")),
        };
        self.check_next(Token::Do)?;
        let nvars = match &head {
            Head::Num { .. } => 1,
            Head::List { vars, .. } => vars.len(),
        };
        self.activate(nvars);
        let stats = self.statlist()?;
        self.check_match(Token::End, Token::For, line)?;
        let needs_close = self.leave_block()?;
        let body = Block { stats, needs_close };
        Ok(match head {
            Head::Num { var, start, limit, step } => StatKind::NumericFor { var, start, limit, step, body },
            Head::List { vars, exprs } => StatKind::GenericFor { vars, exprs, body },
        })
    }

    // funcstat -> FUNCTION funcname body
    // funcname -> NAME {'.' NAME} [':' NAME]
    fn func_stat(&mut self, line: Line) -> R<StatKind> {
        self.advance()?;
        let name_line = self.tok.line;
        let name = self.check_name()?;
        let mut target = self.single_var(name, name_line)?;
        while self.tok.tok == Token::Dot {
            target = self.field_sel(target)?;
        }
        let is_method = self.tok.tok == Token::Colon;
        if is_method {
            target = self.field_sel(target)?;
        }
        let (func, _) = self.body(is_method, line)?;
        self.check_readonly(&target)?;
        Ok(StatKind::Function { target, is_method, func })
    }

    // fieldsel -> ['.' | ':'] NAME
    fn field_sel(&mut self, obj: Expr) -> R<Expr> {
        let line = self.tok.line;
        self.advance()?;
        let key_line = self.tok.line;
        let name = self.check_name()?;
        let key = self.node(ExprKind::Str(name), key_line)?;
        self.node(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, line)
    }

    // localfunc -> LOCAL FUNCTION NAME body
    fn local_func(&mut self, line: Line) -> R<StatKind> {
        let name = self.check_name()?;
        let local = self.declare_local(name, Attrib::Regular, line)?;
        self.activate(1);
        let body_line = self.tok.line;
        let (func, _) = self.body(false, body_line)?;
        Ok(StatKind::LocalFunction { local, func })
    }

    // localstat -> LOCAL attnamelist ['=' explist]
    // attnamelist -> NAME attrib {',' NAME attrib}
    fn local_stat(&mut self, line: Line) -> R<StatKind> {
        let mut locals = Vec::new();
        let mut has_close = false;
        loop {
            let name = self.check_name()?;
            let id = self.declare_local(name, Attrib::Regular, line)?;
            let attrib = self.attrib()?;
            self.fs_mut().locals[id.0 as usize].attrib = attrib;
            if attrib == Attrib::Close {
                if has_close {
                    return Err(self.sem_error("multiple to-be-closed variables in local list"));
                }
                has_close = true;
            }
            locals.push(id);
            if !self.test_next(Token::Comma)? {
                break;
            }
        }
        let values = if self.test_next(Token::Assign)? { self.explist()? } else { Vec::new() };
        self.activate(locals.len());
        if has_close {
            if let Some(b) = self.fs_mut().blocks.last_mut() {
                b.needs_close = true;
            }
        }
        Ok(StatKind::Local { locals, values })
    }

    // attrib -> ['<' NAME '>']
    fn attrib(&mut self) -> R<Attrib> {
        if !self.test_next(Token::Lt)? {
            return Ok(Attrib::Regular);
        }
        let name = self.check_name()?;
        self.check_next(Token::Gt)?;
        match self.lex.strings.get(name) {
            b"const" => Ok(Attrib::Const),
            b"close" => Ok(Attrib::Close),
            _ => Err(self.sem_error(&format!("unknown attribute '{}'", self.name_str(name)))),
        }
    }

    // label -> '::' NAME '::'
    /// A run of labels (with `;` between them) is read at once: whether they end their
    /// block decides whether a goto may jump past locals to them.
    fn label_stat(&mut self, line: Line, out: &mut Vec<Stat>) -> R<()> {
        let mut run = Vec::new();
        let name = self.check_name()?;
        self.check_next(Token::DColon)?;
        run.push((name, line));
        loop {
            match self.tok.tok {
                Token::Semi => self.advance()?,
                Token::DColon => {
                    let l = self.tok.line;
                    self.advance()?;
                    let n = self.check_name()?;
                    self.check_next(Token::DColon)?;
                    run.push((n, l));
                }
                _ => break,
            }
        }
        let last = self.block_follow(false);
        // Lua creates the last label of a run first (its labelstat recurses).
        let mut ids = vec![LabelId(0); run.len()];
        for (i, &(n, l)) in run.iter().enumerate().rev() {
            self.check_repeated(n)?;
            ids[i] = self.create_label(n, l, last)?;
        }
        for ((name, line), id) in run.into_iter().zip(ids) {
            out.push(Stat { line, kind: StatKind::Label { id, name } });
        }
        Ok(())
    }

    // gotostat -> GOTO NAME
    fn goto_stat(&mut self, line: Line) -> R<StatKind> {
        let name = self.check_name()?;
        let fs = self.fs_mut();
        let id = GotoId(fs.goto_targets.len() as u32);
        if let Some(lb) = fs.labels.iter().find(|l| l.name == name) {
            // A backward jump to a visible label.
            fs.goto_targets.push(lb.id);
        } else {
            fs.goto_targets.push(LabelId(u32::MAX));
            let nactvar = fs.active.len();
            fs.pending.push(PendingGoto { name: Some(name), line, nactvar, id });
        }
        Ok(StatKind::Goto { id, name })
    }

    // retstat -> RETURN [explist] [';']
    fn ret_stat(&mut self) -> R<StatKind> {
        let values =
            if self.block_follow(true) || self.tok.tok == Token::Semi { Vec::new() } else { self.explist()? };
        self.test_next(Token::Semi)?;
        Ok(StatKind::Return { values })
    }

    // exprstat -> func | assignment
    // assignment -> suffixedexp {',' suffixedexp} '=' explist
    fn expr_stat(&mut self) -> R<StatKind> {
        let first = self.suffixed_exp()?;
        if !matches!(self.tok.tok, Token::Assign | Token::Comma) {
            if matches!(first.kind, ExprKind::Call(_) | ExprKind::Method(_)) {
                return Ok(StatKind::Call(first));
            }
            return Err(self.syntax_error("syntax error"));
        }
        let mut targets = vec![first];
        loop {
            let last = &targets[targets.len() - 1];
            if !is_var(last) {
                return Err(self.syntax_error("syntax error"));
            }
            self.check_readonly(last)?;
            if self.test_next(Token::Comma)? {
                let t = self.suffixed_exp()?;
                targets.push(t);
            } else {
                self.check_next(Token::Assign)?;
                let values = self.explist()?;
                return Ok(StatKind::Assign { targets, values });
            }
        }
    }

    // ---- expressions ----

    // explist -> expr {',' expr}
    fn explist(&mut self) -> R<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.test_next(Token::Comma)? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    // expr -> subexpr
    fn expr(&mut self) -> R<Expr> {
        Ok(self.subexpr(0)?.0)
    }

    // subexpr -> (simpleexp | unop subexpr) { binop subexpr }
    /// Reads operators whose left priority exceeds `limit`; returns the expression and the
    /// first operator it did not take.
    fn subexpr(&mut self, limit: u8) -> R<(Expr, Option<BinOp>)> {
        self.enter_level()?;
        let mut e = if let Some(op) = unop(self.tok.tok) {
            let line = self.tok.line;
            self.advance()?;
            let (operand, _) = self.subexpr(UNARY_PRIORITY)?;
            self.node(ExprKind::Unary { op, operand: Box::new(operand) }, line)?
        } else {
            self.simple_exp()?
        };
        let mut op = binop(self.tok.tok);
        while let Some(o) = op {
            let (left, right) = o.priority();
            if left <= limit {
                break;
            }
            let line = self.tok.line;
            self.advance()?;
            let (rhs, next) = self.subexpr(right)?;
            e = self.node(ExprKind::Binary { op: o, lhs: Box::new(e), rhs: Box::new(rhs) }, line)?;
            op = next;
        }
        self.level -= 1;
        Ok((e, op))
    }

    // simpleexp -> FLT | INT | STRING | NIL | TRUE | FALSE | '...' | constructor
    //            | FUNCTION body | suffixedexp
    fn simple_exp(&mut self) -> R<Expr> {
        let line = self.tok.line;
        let kind = match self.tok.tok {
            Token::Float(f) => ExprKind::Float(f),
            Token::Int(i) => ExprKind::Int(i),
            Token::Str(s) => ExprKind::Str(s),
            Token::Nil => ExprKind::Nil,
            Token::True => ExprKind::True,
            Token::False => ExprKind::False,
            Token::Dots => {
                if !self.fs().is_vararg {
                    return Err(self.syntax_error("cannot use '...' outside a vararg function"));
                }
                ExprKind::Vararg
            }
            Token::LBrace => return self.constructor(),
            Token::Function => {
                self.advance()?;
                let body_line = self.tok.line;
                let (func, inner) = self.body(false, body_line)?;
                let height = inner.saturating_sub(self.level).saturating_add(1);
                return self.node_with_height(ExprKind::Function(func), line, height);
            }
            _ => return self.suffixed_exp(),
        };
        self.advance()?;
        self.node(kind, line)
    }

    // primaryexp -> NAME | '(' expr ')'
    fn primary_exp(&mut self) -> R<Expr> {
        let line = self.tok.line;
        match self.tok.tok {
            Token::Name(n) => {
                self.advance()?;
                self.single_var(n, line)
            }
            Token::LParen => {
                self.advance()?;
                let e = self.expr()?;
                self.check_match(Token::RParen, Token::LParen, line)?;
                self.node(ExprKind::Paren(Box::new(e)), line)
            }
            _ => Err(self.syntax_error("unexpected symbol")),
        }
    }

    // suffixedexp -> primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }
    fn suffixed_exp(&mut self) -> R<Expr> {
        let line = self.tok.line;
        let mut e = self.primary_exp()?;
        loop {
            match self.tok.tok {
                Token::Dot => e = self.field_sel(e)?,
                Token::LBracket => {
                    let l = self.tok.line;
                    self.advance()?;
                    let key = self.expr()?;
                    self.check_next(Token::RBracket)?;
                    e = self.node(ExprKind::Index { obj: Box::new(e), key: Box::new(key) }, l)?;
                }
                Token::Colon => {
                    self.advance()?;
                    let name = self.check_name()?;
                    let args = self.funcargs(line)?;
                    e = self.node(ExprKind::Method(Box::new(MethodCall { obj: e, name, args })), line)?;
                }
                Token::LParen | Token::Str(_) | Token::LBrace => {
                    let args = self.funcargs(line)?;
                    e = self.node(ExprKind::Call(Box::new(Call { func: e, args })), line)?;
                }
                _ => return Ok(e),
            }
        }
    }

    // funcargs -> '(' [explist] ')' | constructor | STRING
    fn funcargs(&mut self, line: Line) -> R<Vec<Expr>> {
        match self.tok.tok {
            Token::LParen => {
                self.advance()?;
                let args = if self.tok.tok == Token::RParen { Vec::new() } else { self.explist()? };
                self.check_match(Token::RParen, Token::LParen, line)?;
                Ok(args)
            }
            Token::LBrace => Ok(vec![self.constructor()?]),
            Token::Str(s) => {
                let l = self.tok.line;
                self.advance()?;
                Ok(vec![self.node(ExprKind::Str(s), l)?])
            }
            _ => Err(self.syntax_error("function arguments expected")),
        }
    }

    // constructor -> '{' [field {sep field} [sep]] '}'
    // sep -> ',' | ';'
    fn constructor(&mut self) -> R<Expr> {
        let line = self.tok.line;
        self.check_next(Token::LBrace)?;
        let mut fields = Vec::new();
        loop {
            if self.tok.tok == Token::RBrace {
                break;
            }
            fields.push(self.field()?);
            if !(self.test_next(Token::Comma)? || self.test_next(Token::Semi)?) {
                break;
            }
        }
        self.check_match(Token::RBrace, Token::LBrace, line)?;
        self.node(ExprKind::Table(Box::new(Table { fields })), line)
    }

    // field -> NAME '=' exp | '[' exp ']' '=' exp | exp
    fn field(&mut self) -> R<Field> {
        let tok = self.tok.tok;
        let named = matches!(tok, Token::Name(_)) && self.peek_ahead()? == Token::Assign;
        match tok {
            Token::Name(name) if named => {
                self.advance()?;
                self.advance()?;
                let value = self.expr()?;
                Ok(Field::Named { name, value })
            }
            Token::LBracket => {
                self.advance()?;
                let key = self.expr()?;
                self.check_next(Token::RBracket)?;
                self.check_next(Token::Assign)?;
                let value = self.expr()?;
                Ok(Field::Keyed { key, value })
            }
            _ => Ok(Field::Positional(self.expr()?)),
        }
    }
}

fn finish_function(fs: FuncState, end_line: Line, body: Block) -> Function {
    Function {
        line: fs.line,
        end_line,
        num_params: fs.num_params,
        is_vararg: fs.is_vararg,
        locals: fs.locals,
        upvalues: fs.upvalues,
        goto_targets: fs.goto_targets,
        num_labels: fs.num_labels,
        body,
    }
}
