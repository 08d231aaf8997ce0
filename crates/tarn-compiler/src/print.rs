//! A compact S-expression printer for the AST, for tests and for debugging code generation.
//!
//! Format: one statement per line, nested blocks indented by two spaces; expressions on
//! one line. Names show how they resolved: `x` is a global, `$x` a local, `^x` an upvalue;
//! a local declared with a `*` suffix is captured by a closure, `<const>`/`<close>` show
//! attributes. Functions print as `(function (params) [upvalues] ...)`, with the upvalue
//! list left out when empty. Floats use Rust's shortest round-trip form (`1.0`, `1e100`).
//!
//! Not a Lua pretty-printer: the output is not valid Lua.

use crate::ast::*;
use crate::token::StrId;
use std::fmt::Write;

/// Prints a whole chunk.
pub fn chunk_to_string(chunk: &Chunk) -> String {
    let mut p = Printer { chunk, out: String::new() };
    p.block(&chunk.main, &chunk.main.body, 0);
    p.out
}

/// Prints one expression of `func` (which must be the function the expression belongs to).
pub fn expr_to_string(chunk: &Chunk, func: &Function, e: &Expr) -> String {
    let mut p = Printer { chunk, out: String::new() };
    p.expr(func, e, 0);
    p.out
}

struct Printer<'a> {
    chunk: &'a Chunk,
    out: String,
}

impl Printer<'_> {
    fn name(&mut self, id: StrId) {
        self.out.push_str(&String::from_utf8_lossy(self.chunk.strings.get(id)));
    }

    fn string(&mut self, id: StrId) {
        self.out.push('"');
        for &b in self.chunk.strings.get(id) {
            match b {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\n' => self.out.push_str("\\n"),
                b'\t' => self.out.push_str("\\t"),
                b'\r' => self.out.push_str("\\r"),
                0x20..=0x7e => self.out.push(b as char),
                _ => {
                    let _ = write!(self.out, "\\{b}");
                }
            }
        }
        self.out.push('"');
    }

    fn local_decl(&mut self, f: &Function, id: LocalId) {
        let Some(l) = f.local(id) else {
            self.out.push_str("?local");
            return;
        };
        self.name(l.name);
        match l.attrib {
            Attrib::Regular => {}
            Attrib::Const => self.out.push_str("<const>"),
            Attrib::Close => self.out.push_str("<close>"),
        }
        if l.captured {
            self.out.push('*');
        }
    }

    fn local_use(&mut self, f: &Function, id: LocalId) {
        self.out.push('$');
        match f.local(id) {
            Some(l) => self.name(l.name),
            None => self.out.push('?'),
        }
    }

    fn upval_use(&mut self, f: &Function, id: UpvalId) {
        self.out.push('^');
        match f.upvalues.get(id.0 as usize) {
            Some(u) => self.name(u.name),
            None => self.out.push('?'),
        }
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn block(&mut self, f: &Function, b: &Block, depth: usize) {
        for (i, s) in b.stats.iter().enumerate() {
            if i > 0 || depth > 0 {
                self.out.push('\n');
            }
            self.indent(depth);
            self.stat(f, s, depth);
        }
    }

    fn exprs(&mut self, f: &Function, es: &[Expr], depth: usize) {
        for e in es {
            self.out.push(' ');
            self.expr(f, e, depth);
        }
    }

    fn list(&mut self, f: &Function, es: &[Expr], depth: usize) {
        self.out.push('(');
        for (i, e) in es.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.expr(f, e, depth);
        }
        self.out.push(')');
    }

    fn stat(&mut self, f: &Function, s: &Stat, depth: usize) {
        match &s.kind {
            StatKind::Assign { targets, values } => {
                self.out.push_str("(set ");
                self.list(f, targets, depth);
                self.exprs(f, values, depth);
                self.out.push(')');
            }
            StatKind::Call(e) => self.expr(f, e, depth),
            StatKind::Local { locals, values } => {
                self.out.push_str("(local (");
                for (i, &l) in locals.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.local_decl(f, l);
                }
                self.out.push(')');
                self.exprs(f, values, depth);
                self.out.push(')');
            }
            StatKind::LocalFunction { local, func } => {
                self.out.push_str("(local-function ");
                self.local_decl(f, *local);
                self.out.push(' ');
                self.function(func, depth);
                self.out.push(')');
            }
            StatKind::Function { target, is_method, func } => {
                self.out.push_str(if *is_method { "(method " } else { "(function-stat " });
                self.expr(f, target, depth);
                self.out.push(' ');
                self.function(func, depth);
                self.out.push(')');
            }
            StatKind::Label { name, .. } => {
                self.out.push_str("(label ");
                self.name(*name);
                self.out.push(')');
            }
            StatKind::Goto { name, .. } => {
                self.out.push_str("(goto ");
                self.name(*name);
                self.out.push(')');
            }
            StatKind::Break => self.out.push_str("(break)"),
            StatKind::Do(b) => {
                self.out.push_str("(do");
                self.body(f, b, depth);
                self.out.push(')');
            }
            StatKind::While { cond, body } => {
                self.out.push_str("(while ");
                self.expr(f, cond, depth);
                self.body(f, body, depth);
                self.out.push(')');
            }
            StatKind::Repeat { body, cond } => {
                self.out.push_str("(repeat");
                self.body(f, body, depth);
                self.out.push('\n');
                self.indent(depth + 1);
                self.out.push_str("(until ");
                self.expr(f, cond, depth + 1);
                self.out.push_str("))");
            }
            StatKind::If { arms, else_block } => {
                self.out.push_str("(if");
                for (i, (cond, b)) in arms.iter().enumerate() {
                    if i > 0 {
                        self.out.push('\n');
                        self.indent(depth);
                        self.out.push_str(" elseif");
                    }
                    self.out.push(' ');
                    self.expr(f, cond, depth);
                    self.body(f, b, depth);
                }
                if let Some(b) = else_block {
                    self.out.push('\n');
                    self.indent(depth);
                    self.out.push_str(" else");
                    self.body(f, b, depth);
                }
                self.out.push(')');
            }
            StatKind::NumericFor { var, start, limit, step, body } => {
                self.out.push_str("(for ");
                self.local_decl(f, *var);
                self.out.push(' ');
                self.expr(f, start, depth);
                self.out.push(' ');
                self.expr(f, limit, depth);
                if let Some(step) = step {
                    self.out.push(' ');
                    self.expr(f, step, depth);
                }
                self.body(f, body, depth);
                self.out.push(')');
            }
            StatKind::GenericFor { vars, exprs, body } => {
                self.out.push_str("(for-in (");
                for (i, &v) in vars.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.local_decl(f, v);
                }
                self.out.push_str(") ");
                self.list(f, exprs, depth);
                self.body(f, body, depth);
                self.out.push(')');
            }
            StatKind::Return { values } => {
                self.out.push_str("(return");
                self.exprs(f, values, depth);
                self.out.push(')');
            }
        }
    }

    /// A nested block; `!` marks one that needs to close upvalues.
    fn body(&mut self, f: &Function, b: &Block, depth: usize) {
        if b.needs_close {
            self.out.push_str(" !");
        }
        self.block(f, b, depth + 1);
    }

    fn function(&mut self, func: &Function, depth: usize) {
        self.out.push_str("(function (");
        let n = func.num_params as usize;
        for i in 0..n {
            if i > 0 {
                self.out.push(' ');
            }
            self.local_decl(func, LocalId(i as u32));
        }
        if func.is_vararg {
            if n > 0 {
                self.out.push(' ');
            }
            self.out.push_str("...");
        }
        self.out.push(')');
        if !func.upvalues.is_empty() {
            self.out.push_str(" [");
            for (i, u) in func.upvalues.iter().enumerate() {
                if i > 0 {
                    self.out.push(' ');
                }
                self.name(u.name);
            }
            self.out.push(']');
        }
        self.body(func, &func.body, depth);
        self.out.push(')');
    }

    fn expr(&mut self, f: &Function, e: &Expr, depth: usize) {
        match &e.kind {
            ExprKind::Nil => self.out.push_str("nil"),
            ExprKind::True => self.out.push_str("true"),
            ExprKind::False => self.out.push_str("false"),
            ExprKind::Vararg => self.out.push_str("..."),
            ExprKind::Int(i) => {
                let _ = write!(self.out, "{i}");
            }
            ExprKind::Float(x) => {
                let _ = write!(self.out, "{x:?}");
            }
            ExprKind::Str(s) => self.string(*s),
            ExprKind::Local(id) => self.local_use(f, *id),
            ExprKind::Upvalue(id) => self.upval_use(f, *id),
            ExprKind::Global { name, .. } => self.name(*name),
            ExprKind::Index { obj, key } => {
                self.out.push_str("(index ");
                self.expr(f, obj, depth);
                self.out.push(' ');
                self.expr(f, key, depth);
                self.out.push(')');
            }
            ExprKind::Call(c) => {
                self.out.push_str("(call ");
                self.expr(f, &c.func, depth);
                self.exprs(f, &c.args, depth);
                self.out.push(')');
            }
            ExprKind::Method(m) => {
                self.out.push_str("(method-call ");
                self.expr(f, &m.obj, depth);
                self.out.push(' ');
                self.name(m.name);
                self.exprs(f, &m.args, depth);
                self.out.push(')');
            }
            ExprKind::Function(func) => self.function(func, depth),
            ExprKind::Table(t) => {
                self.out.push_str("(table");
                for field in &t.fields {
                    self.out.push(' ');
                    match field {
                        Field::Positional(v) => self.expr(f, v, depth),
                        Field::Named { name, value } => {
                            self.out.push_str("(= ");
                            self.name(*name);
                            self.out.push(' ');
                            self.expr(f, value, depth);
                            self.out.push(')');
                        }
                        Field::Keyed { key, value } => {
                            self.out.push_str("([] ");
                            self.expr(f, key, depth);
                            self.out.push(' ');
                            self.expr(f, value, depth);
                            self.out.push(')');
                        }
                    }
                }
                self.out.push(')');
            }
            ExprKind::Paren(inner) => {
                self.out.push_str("(paren ");
                self.expr(f, inner, depth);
                self.out.push(')');
            }
            ExprKind::Unary { op, operand } => {
                self.out.push('(');
                self.out.push_str(op.symbol());
                self.out.push(' ');
                self.expr(f, operand, depth);
                self.out.push(')');
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.out.push('(');
                self.out.push_str(op.symbol());
                self.out.push(' ');
                self.expr(f, lhs, depth);
                self.out.push(' ');
                self.expr(f, rhs, depth);
                self.out.push(')');
            }
        }
    }
}
