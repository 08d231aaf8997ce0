//! Expressions: descriptions, discharging, operators, calls, constructors, conditions.
//!
//! [`Gen::expr`] turns an expression into a [`Desc`] (see the module essay in `mod.rs`);
//! `place_in`, `any_reg` and `next_reg` put a description's value in a register.
//! Conditions go through [`Gen::cond`], which emits jumps instead of values; `and`/`or`
//! and comparisons used as values are built from it (`bool_into`).
//!
//! Stack use: the parser builds left-deep chains (`a.b.c`, `f()()`, `a + b + c`,
//! `a and b and c`) in loops, up to `parser::MAX_DEPTH` long, so those are walked with
//! an explicit stack (`Gen::spine`); everything else recurses once per parser level
//! (at most `parser::MAX_LEVELS`), through dispatchers with small frames.

use tarn_bytecode::{Const, Count, Imm, Instr, Int, OperandValue, Proto, Reg, Upval, VarCount};

use super::{fold, ConstVal, Gen, Jumps, LocalSlot, UpvalSlot, R};
use crate::ast::{BinOp, Expr, ExprKind, Field, Function, LocalId, MethodCall, Table, UnOp, UpvalId, VarRef};
use crate::token::StrId;

/// Items a table constructor stores with one `setlist` (as Lua's `LFIELDS_PER_FLUSH`).
const FIELDS_PER_FLUSH: u8 = 50;

/// Where an expression's value is, before it is placed in a register.
#[derive(Clone, Copy, Debug)]
pub(super) enum Desc {
    /// A compile-time constant: no code yet.
    Const(ConstVal),
    /// In a register this description does not own (a local variable's).
    Reg(u8),
    /// In a temporary register this description owns (at the top of the stack).
    Temp(u8),
    /// An upvalue, not fetched yet.
    Upval(u8),
    /// `U[up][K[key]]` (a global), not fetched yet.
    IndexUp { up: u8, key: u16, line: u32 },
    /// `R[table][key]`, not fetched yet. `table` (and a key register) may be temporaries.
    Index { table: u8, key: Key, line: u32 },
    /// One instruction whose `dst` operand is still to be chosen; its operands have
    /// been computed (and their temporaries released).
    Op { instr: Instr, line: u32 },
}

/// The key of an indexing operation, in the most specialised form available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    Reg(u8),
    /// A string constant (`getfield`/`setfield`).
    Str(u16),
    /// A small integer (`getindex`/`setindex`).
    Int(i16),
}

impl Desc {
    fn as_num(&self) -> Option<fold::Num> {
        match self {
            Desc::Const(c) => c.as_num(),
            _ => None,
        }
    }

    fn is_const(&self) -> bool {
        matches!(self, Desc::Const(_))
    }
}

/// The instruction `instr` with its `dst` operand set to `dst`.
fn with_dst(mut instr: Instr, dst: u8) -> Instr {
    // Single-result instructions all name their destination `dst` (see the ISA table).
    let _ = instr.map_operands(|name, v| if name == "dst" { OperandValue::Reg(Reg(dst)) } else { v });
    instr
}

fn imm(i: i64) -> Option<Imm> {
    i16::try_from(i).ok().map(Imm)
}

/// `e` without enclosing parentheses.
pub(super) fn strip_parens(mut e: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &e.kind {
        e = inner;
    }
    e
}

fn is_arith(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add
            | BinOp::Sub
            | BinOp::Mul
            | BinOp::Div
            | BinOp::IDiv
            | BinOp::Mod
            | BinOp::Pow
            | BinOp::BAnd
            | BinOp::BOr
            | BinOp::BXor
            | BinOp::Shl
            | BinOp::Shr
    )
}

fn is_comparison(op: BinOp) -> bool {
    matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
}

/// Whether `e` is best compiled as jumps when its value is needed: `and`, `or`,
/// comparisons, and `not` of a comparison.
fn is_boolean_shaped(e: &Expr) -> bool {
    match &strip_parens(e).kind {
        ExprKind::Binary { op, .. } => matches!(op, BinOp::And | BinOp::Or) || is_comparison(*op),
        ExprKind::Unary { op: UnOp::Not, operand } => {
            matches!(&strip_parens(operand).kind, ExprKind::Binary { op, .. } if is_comparison(*op))
        }
        _ => false,
    }
}

impl<'a> Gen<'a> {
    // ---- descriptions ----

    /// Describes `e` as a single value (a call or `...` is truncated to one).
    ///
    /// This is the hub every expression recurses through, so it only dispatches: its
    /// frame stays small.
    pub(super) fn expr(&mut self, e: &'a Expr) -> R<Desc> {
        match &e.kind {
            ExprKind::Nil => Ok(Desc::Const(ConstVal::Nil)),
            ExprKind::True => Ok(Desc::Const(ConstVal::Bool(true))),
            ExprKind::False => Ok(Desc::Const(ConstVal::Bool(false))),
            ExprKind::Int(i) => Ok(Desc::Const(ConstVal::Int(*i))),
            ExprKind::Float(f) => Ok(Desc::Const(ConstVal::Float(*f))),
            ExprKind::Str(s) => Ok(Desc::Const(ConstVal::Str(*s))),
            ExprKind::Vararg => self.vararg_one(e.line),
            ExprKind::Local(id) => self.local_desc(*id),
            ExprKind::Upvalue(u) => self.upval_desc(*u),
            ExprKind::Global { env, name } => self.global_desc(*env, *name, e.line),
            ExprKind::Index { .. } | ExprKind::Call(_) | ExprKind::Method(_) => self.suffixed(e),
            ExprKind::Function(f) => self.closure(f, None, e.line),
            ExprKind::Table(t) => self.table(t, e.line),
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Unary { op, operand } => self.unary(e, *op, operand),
            ExprKind::Binary { op, .. } => self.binary(e, *op),
        }
    }

    /// `...` truncated to one value.
    fn vararg_one(&mut self, line: u32) -> R<Desc> {
        let r = self.reserve(1)?;
        self.emit_at(Instr::VarArg { dst: Reg(r), count: VarCount(1) }, line)?;
        Ok(Desc::Temp(r))
    }

    /// A closure of the nested function `f`.
    pub(super) fn closure(&mut self, f: &'a Function, name: Option<String>, line: u32) -> R<Desc> {
        let p = self.child_function(f, name)?;
        Ok(Desc::Op { instr: Instr::Closure { dst: Reg(0), proto: Proto(p) }, line })
    }

    fn binary(&mut self, e: &'a Expr, op: BinOp) -> R<Desc> {
        match op {
            BinOp::Concat => self.concat(e),
            BinOp::And | BinOp::Or => self.bool_temp(e),
            _ => self.value_chain(e),
        }
    }

    pub(super) fn local_desc(&self, id: LocalId) -> R<Desc> {
        match self.fs.locals.get(id.0 as usize) {
            Some(LocalSlot::Reg(r)) => Ok(Desc::Reg(*r)),
            Some(LocalSlot::Const(c)) => Ok(Desc::Const(*c)),
            Some(LocalSlot::Unassigned) | None => Err(self.internal("use of an unplaced local")),
        }
    }

    pub(super) fn upval_desc(&self, u: UpvalId) -> R<Desc> {
        match self.fs.upvals.get(u.0 as usize) {
            Some(UpvalSlot::Index(i)) => Ok(Desc::Upval(*i)),
            Some(UpvalSlot::Const(c)) => Ok(Desc::Const(*c)),
            None => Err(self.internal("unknown upvalue")),
        }
    }

    /// `_ENV.name`, where `env` is how `_ENV` resolves.
    pub(super) fn global_desc(&mut self, env: VarRef, name: StrId, line: u32) -> R<Desc> {
        let key = self.str_const(name)?.0;
        let env = match env {
            VarRef::Upvalue(u) => self.upval_desc(u)?,
            VarRef::Local(id) => self.local_desc(id)?,
        };
        match env {
            Desc::Upval(up) => Ok(Desc::IndexUp { up, key, line }),
            other => {
                let table = self.any_reg(other)?;
                Ok(Desc::Index { table, key: Key::Str(key), line })
            }
        }
    }

    /// A chain of `.k`, `[k]`, `(args)` and `:m(args)` suffixes. The parser builds
    /// these in a loop (up to `parser::MAX_DEPTH` long), so the chain is walked with an
    /// explicit stack; only keys and arguments recurse.
    fn suffixed(&mut self, e: &'a Expr) -> R<Desc> {
        let mark = self.spine.len();
        // Push the chain's inner suffix nodes (outermost first), down to its base.
        let mut cur = e;
        let base = loop {
            let inner = match &cur.kind {
                ExprKind::Index { obj, .. } => obj,
                ExprKind::Call(c) => &c.func,
                ExprKind::Method(m) => &m.obj,
                _ => break cur,
            };
            if !std::ptr::eq(cur, e) {
                self.spine.push(cur);
            }
            cur = inner;
        };
        let mut acc = self.expr(base)?;
        while self.spine.len() > mark {
            let Some(node) = self.spine.pop() else { break };
            acc = self.suffix_step(acc, node)?;
        }
        self.suffix_step(acc, e)
    }

    /// Applies the outermost suffix of `node` to `acc`, the value of what it suffixes.
    fn suffix_step(&mut self, acc: Desc, node: &'a Expr) -> R<Desc> {
        match &node.kind {
            ExprKind::Index { key, .. } => {
                let table = self.any_reg(acc)?;
                let key = self.key_operand(key)?;
                Ok(Desc::Index { table, key, line: node.line })
            }
            ExprKind::Call(c) => {
                let (base, args) = self.place_call(acc, &c.args)?;
                self.finish_call(base, args, Some(1), node.line).map(Desc::Temp)
            }
            ExprKind::Method(m) => {
                let (base, args) = self.place_method(acc, m, node.line)?;
                self.finish_call(base, args, Some(1), node.line).map(Desc::Temp)
            }
            _ => Err(self.internal("suffix of a non-suffix expression")),
        }
    }

    /// Evaluates a table key into its most specialised operand form.
    pub(super) fn key_operand(&mut self, key: &'a Expr) -> R<Key> {
        let d = self.expr(key)?;
        match d {
            Desc::Const(ConstVal::Str(s)) => Ok(Key::Str(self.str_const(s)?.0)),
            Desc::Const(ConstVal::Int(i)) if i16::try_from(i).is_ok() => Ok(Key::Int(i as i16)),
            other => Ok(Key::Reg(self.any_reg(other)?)),
        }
    }

    // ---- placing values ----

    /// Releases the temporaries `d` owns (before its value is placed).
    fn free_desc(&mut self, d: &Desc) {
        match *d {
            Desc::Temp(r) => self.free_reg(r),
            Desc::Index { table, key: Key::Reg(k), .. } => self.free_regs(table, k),
            Desc::Index { table, .. } => self.free_reg(table),
            Desc::Const(_) | Desc::Reg(_) | Desc::Upval(_) | Desc::IndexUp { .. } | Desc::Op { .. } => {}
        }
    }

    /// Emits the code that puts `d`'s value in `dst` (its temporaries already released).
    fn discharge(&mut self, d: Desc, dst: u8) -> R<()> {
        let instr = match d {
            Desc::Const(c) => return self.load_const(c, dst),
            Desc::Reg(r) | Desc::Temp(r) => {
                if r != dst {
                    self.emit(Instr::Move { dst: Reg(dst), src: Reg(r) })?;
                }
                return Ok(());
            }
            Desc::Upval(u) => Instr::GetUpval { dst: Reg(dst), upval: Upval(u) },
            Desc::IndexUp { up, key, line } => {
                let i = Instr::GetTabUp { dst: Reg(dst), upval: Upval(up), key: Const(key) };
                return self.emit_at(i, line).map(drop);
            }
            Desc::Index { table, key, line } => {
                let (dst, table) = (Reg(dst), Reg(table));
                let i = match key {
                    Key::Reg(k) => Instr::GetTable { dst, table, key: Reg(k) },
                    Key::Str(k) => Instr::GetField { dst, table, key: Const(k) },
                    Key::Int(i) => Instr::GetIndex { dst, table, index: Imm(i) },
                };
                return self.emit_at(i, line).map(drop);
            }
            Desc::Op { instr, line } => return self.emit_at(with_dst(instr, dst), line).map(drop),
        };
        self.emit(instr).map(drop)
    }

    pub(super) fn load_const(&mut self, c: ConstVal, dst: u8) -> R<()> {
        let dst = Reg(dst);
        let instr = match c {
            ConstVal::Nil => Instr::LoadNil { dst, count: Count(1) },
            ConstVal::Bool(true) => Instr::LoadTrue { dst },
            ConstVal::Bool(false) => Instr::LoadFalse { dst },
            ConstVal::Int(i) => match imm(i) {
                Some(value) => Instr::LoadInt { dst, value },
                None => Instr::LoadK { dst, constant: Const(self.constant(c)?) },
            },
            // `loadfloat` only for integral values whose float is exactly the immediate's
            // (so not -0.0).
            ConstVal::Float(f) => match imm(f as i64) {
                Some(value) if (f64::from(value.0)).to_bits() == f.to_bits() => {
                    Instr::LoadFloat { dst, value }
                }
                _ => Instr::LoadK { dst, constant: Const(self.constant(c)?) },
            },
            ConstVal::Str(_) => Instr::LoadK { dst, constant: Const(self.constant(c)?) },
        };
        self.emit(instr).map(drop)
    }

    /// Puts `d`'s value in `dst` (a local's register or a reserved temporary).
    pub(super) fn place_in(&mut self, d: Desc, dst: u8) -> R<()> {
        self.free_desc(&d);
        self.discharge(d, dst)
    }

    /// Puts `d`'s value in some register: a local's own, or a new temporary.
    pub(super) fn any_reg(&mut self, d: Desc) -> R<u8> {
        match d {
            Desc::Reg(r) | Desc::Temp(r) => Ok(r),
            _ => {
                self.free_desc(&d);
                let r = self.reserve(1)?;
                self.discharge(d, r)?;
                Ok(r)
            }
        }
    }

    /// Puts `d`'s value in the next free register (a new temporary).
    fn next_reg(&mut self, d: Desc) -> R<u8> {
        if let Desc::Temp(r) = d {
            if r.wrapping_add(1) == self.fs.free {
                return Ok(r);
            }
        }
        self.free_desc(&d);
        let r = self.reserve(1)?;
        self.discharge(d, r)?;
        Ok(r)
    }

    /// Puts `d`'s value in `target`, the register that is next once `d`'s temporaries
    /// are released (where a new local goes); `target` is then the top.
    pub(super) fn place_next(&mut self, d: Desc, target: u8) -> R<()> {
        let r = self.next_reg(d)?;
        if r != target {
            self.emit(Instr::Move { dst: Reg(target), src: Reg(r) })?;
        }
        self.fs.free = target.saturating_add(1);
        Ok(())
    }

    /// Evaluates `e` into register `dst`. When `dst` is the topmost temporary the
    /// expression is built right there (a call lands in it directly).
    pub(super) fn expr_into(&mut self, e: &'a Expr, dst: u8) -> R<()> {
        if dst >= self.fs.nvars && dst.wrapping_add(1) == self.fs.free {
            self.fs.free = dst;
            let d = self.expr(e)?;
            let r = self.next_reg(d)?;
            if r != dst {
                self.emit(Instr::Move { dst: Reg(dst), src: Reg(r) })?;
            }
            // Whatever the expression left above `dst` is dead now.
            self.fs.free = dst + 1;
            Ok(())
        } else {
            let d = self.expr(e)?;
            self.place_in(d, dst)
        }
    }

    /// Evaluates `e` into a new register at the top; returns it.
    pub(super) fn expr_to_new_reg(&mut self, e: &'a Expr) -> R<u8> {
        let r = self.reserve(1)?;
        self.expr_into(e, r)?;
        Ok(r)
    }

    /// Evaluates `e` into any register (a local is used in place).
    pub(super) fn expr_any_reg(&mut self, e: &'a Expr) -> R<u8> {
        let d = self.expr(e)?;
        self.any_reg(d)
    }

    // ---- operators ----

    fn unary(&mut self, e: &'a Expr, op: UnOp, operand: &'a Expr) -> R<Desc> {
        if is_boolean_shaped(e) {
            return self.bool_temp(e);
        }
        let line = e.line;
        let d = self.expr(operand)?;
        if let Desc::Const(c) = d {
            match op {
                UnOp::Not => return Ok(Desc::Const(ConstVal::Bool(!c.is_truthy()))),
                UnOp::Neg | UnOp::BNot => {
                    if let Some(n) = c.as_num().and_then(|n| fold::unary(op, n)) {
                        return Ok(Desc::Const(ConstVal::from_num(n)));
                    }
                }
                UnOp::Len => {}
            }
        }
        let src = self.any_reg(d)?;
        self.free_reg(src);
        let (dst, src) = (Reg(0), Reg(src));
        let instr = match op {
            UnOp::Neg => Instr::Unm { dst, src },
            UnOp::Not => Instr::Not { dst, src },
            UnOp::Len => Instr::Len { dst, src },
            UnOp::BNot => Instr::BNot { dst, src },
        };
        Ok(Desc::Op { instr, line })
    }

    /// Arithmetic, bitwise and comparison operators used as values. Their left-deep
    /// chains (`a + b - c < d`) come from a loop in the parser and can be
    /// `parser::MAX_DEPTH` long, so the left spine is walked with an explicit stack and
    /// only right operands recurse.
    fn value_chain(&mut self, e: &'a Expr) -> R<Desc> {
        let mark = self.spine.len();
        let mut cur = e;
        while let ExprKind::Binary { op, lhs, .. } = &cur.kind {
            if !(is_arith(*op) || is_comparison(*op)) {
                break;
            }
            self.spine.push(cur);
            cur = lhs;
        }
        let mut acc = self.expr(cur)?;
        while self.spine.len() > mark {
            let Some(node) = self.spine.pop() else { break };
            let ExprKind::Binary { op, rhs, .. } = &node.kind else {
                return Err(self.internal("operator chain"));
            };
            acc = if is_comparison(*op) {
                self.compare_value(*op, acc, rhs, node.line)?
            } else {
                self.arith(*op, acc, rhs, node.line)?
            };
        }
        Ok(acc)
    }

    /// `l op rhs` for an arithmetic or bitwise operator, `l` being the left operand's
    /// description: folded when both operands are numbers that fold, else one
    /// instruction, with a constant or immediate operand when possible.
    fn arith(&mut self, op: BinOp, l: Desc, rhs: &'a Expr, line: u32) -> R<Desc> {
        // The left operand is evaluated before the right one (unless it is a numeral,
        // which has no effects and may become an operand or fold).
        let l = match l {
            Desc::Reg(_) | Desc::Temp(_) => l,
            _ if l.as_num().is_some() => l,
            _ => Desc::Temp(self.any_reg(l)?),
        };
        let r = self.expr(rhs)?;
        if let (Some(a), Some(b)) = (l.as_num(), r.as_num()) {
            if let Some(v) = fold::binary(op, a, b) {
                return Ok(Desc::Const(ConstVal::from_num(v)));
            }
        }
        self.arith_instr(op, l, r, line)
    }

    /// A comparison as a value: a branch, then `true` or `false` in a new register.
    fn compare_value(&mut self, op: BinOp, l: Desc, rhs: &'a Expr, line: u32) -> R<Desc> {
        let pc = self.compare_with(op, l, rhs, true, line)?;
        // Reserved only now: the operands' temporaries are free again.
        let r = self.reserve(1)?;
        self.materialize(&[pc], r)?;
        Ok(Desc::Temp(r))
    }

    /// Chooses the instruction for `l op r` (neither folded).
    fn arith_instr(&mut self, op: BinOp, l: Desc, r: Desc, line: u32) -> R<Desc> {
        // A numeral on the left of a commutative operator moves to the right.
        let (l, r) = if l.as_num().is_some() && !r.is_const() && matches!(op, BinOp::Add | BinOp::Mul) {
            (r, l)
        } else {
            (l, r)
        };
        if let (Some(k), None) = (r.as_num(), l.as_num()) {
            let a = self.any_reg(l)?;
            if let Some(instr) = self.arith_const_instr(op, a, k)? {
                self.free_reg(a);
                return Ok(Desc::Op { instr, line });
            }
            let b = self.any_reg(r)?;
            self.free_regs(a, b);
            return Ok(Desc::Op { instr: arith_reg_instr(op, a, b), line });
        }
        // The right operand first: a constant left operand is loaded last, above it.
        let b = self.any_reg(r)?;
        let a = self.any_reg(l)?;
        self.free_regs(a, b);
        Ok(Desc::Op { instr: arith_reg_instr(op, a, b), line })
    }

    /// `R[a] op k` with an immediate or constant operand, if the ISA has the form.
    fn arith_const_instr(&mut self, op: BinOp, a: u8, k: fold::Num) -> R<Option<Instr>> {
        let (dst, lhs) = (Reg(0), Reg(a));
        if let fold::Num::Int(i) = k {
            let small = imm(i);
            match (op, small) {
                (BinOp::Add, Some(rhs)) => return Ok(Some(Instr::AddI { dst, lhs, rhs })),
                // `x - 0` stays a subtraction: `-0.0 - 0` is `-0.0`, `-0.0 + 0` is not.
                (BinOp::Sub, _) if i != 0 => {
                    if let Some(rhs) = imm(i.wrapping_neg()).filter(|_| i != i64::MIN) {
                        return Ok(Some(Instr::AddI { dst, lhs, rhs }));
                    }
                }
                (BinOp::Shl, Some(rhs)) => return Ok(Some(Instr::ShlI { dst, lhs, rhs })),
                (BinOp::Shr, Some(rhs)) => return Ok(Some(Instr::ShrI { dst, lhs, rhs })),
                _ => {}
            }
        }
        let make: fn(Reg, Reg, Const) -> Instr = match op {
            BinOp::Add => |dst, lhs, rhs| Instr::AddK { dst, lhs, rhs },
            BinOp::Sub => |dst, lhs, rhs| Instr::SubK { dst, lhs, rhs },
            BinOp::Mul => |dst, lhs, rhs| Instr::MulK { dst, lhs, rhs },
            BinOp::Div => |dst, lhs, rhs| Instr::DivK { dst, lhs, rhs },
            BinOp::Mod => |dst, lhs, rhs| Instr::ModK { dst, lhs, rhs },
            BinOp::Pow => |dst, lhs, rhs| Instr::PowK { dst, lhs, rhs },
            BinOp::IDiv => |dst, lhs, rhs| Instr::IDivK { dst, lhs, rhs },
            BinOp::BAnd => |dst, lhs, rhs| Instr::BAndK { dst, lhs, rhs },
            BinOp::BOr => |dst, lhs, rhs| Instr::BOrK { dst, lhs, rhs },
            BinOp::BXor => |dst, lhs, rhs| Instr::BXorK { dst, lhs, rhs },
            _ => return Ok(None),
        };
        let k = Const(self.constant(ConstVal::from_num(k))?);
        Ok(Some(make(dst, lhs, k)))
    }

    /// `a .. b .. c`: every operand into consecutive registers, then one `concat`.
    fn concat(&mut self, e: &'a Expr) -> R<Desc> {
        let first = self.fs.free;
        let mut count: usize = 0;
        let mut cur = e;
        // `..` is right associative: the chain hangs off the right operands.
        loop {
            match &cur.kind {
                ExprKind::Binary { op: BinOp::Concat, lhs, rhs } => {
                    self.expr_to_new_reg(lhs)?;
                    count += 1;
                    cur = rhs;
                }
                _ => {
                    self.expr_to_new_reg(cur)?;
                    count += 1;
                    break;
                }
            }
        }
        let Ok(count) = u8::try_from(count) else { return Err(self.internal("concat too long")) };
        self.fs.free = first;
        Ok(Desc::Op {
            instr: Instr::Concat { dst: Reg(0), first: Reg(first), count: Count(count) },
            line: e.line,
        })
    }

    // ---- calls ----

    /// Emits a call (`e` is a call or method call) with `results` results (`None`: all
    /// of them, for the instruction that follows). Returns the callee's register, where
    /// the results start.
    pub(super) fn call(&mut self, e: &'a Expr, results: Option<u8>) -> R<u8> {
        let (base, args) = self.call_prefix(e)?;
        self.finish_call(base, args, results, e.line)
    }

    /// Emits `return e` for a call `e` as a tail call.
    pub(super) fn tail_call(&mut self, e: &'a Expr) -> R<()> {
        let (base, args) = self.call_prefix(e)?;
        self.emit_at(Instr::TailCall { func: Reg(base), args }, e.line).map(drop)
    }

    /// Places the callee (and `self`) and arguments of the call `e`; returns the
    /// callee's register and the argument count.
    fn call_prefix(&mut self, e: &'a Expr) -> R<(u8, VarCount)> {
        match &e.kind {
            ExprKind::Call(c) => {
                let f = self.expr(&c.func)?;
                self.place_call(f, &c.args)
            }
            ExprKind::Method(m) => {
                let obj = self.expr(&m.obj)?;
                self.place_method(obj, m, e.line)
            }
            _ => Err(self.internal("call of a non-call expression")),
        }
    }

    /// The callee `f` into a new register, then the arguments after it.
    fn place_call(&mut self, f: Desc, args: &'a [Expr]) -> R<(u8, VarCount)> {
        let base = self.next_reg(f)?;
        let args = self.args(args, 0)?;
        Ok((base, args))
    }

    /// `self base, obj, "name"`, then the arguments.
    fn place_method(&mut self, obj: Desc, m: &'a MethodCall, line: u32) -> R<(u8, VarCount)> {
        let obj = self.any_reg(obj)?;
        self.free_reg(obj);
        let base = self.reserve(2)?;
        let method = self.str_const(m.name)?;
        self.emit_at(Instr::SelfField { dst: Reg(base), object: Reg(obj), method }, line)?;
        let args = self.args(&m.args, 1)?;
        Ok((base, args))
    }

    /// Emits `call base, args, results` and leaves the fixed results reserved.
    fn finish_call(&mut self, base: u8, args: VarCount, results: Option<u8>, line: u32) -> R<u8> {
        let count = match results {
            Some(n) => VarCount(n),
            None => VarCount::MULTI,
        };
        self.emit_at(Instr::Call { func: Reg(base), args, results: count }, line)?;
        self.fs.free = base;
        if let Some(n) = results {
            self.reserve(usize::from(n))?;
        }
        Ok(base)
    }

    /// Evaluates call arguments into consecutive registers; `extra` arguments (`self`)
    /// are already in place. A multi-value last argument passes all its values.
    fn args(&mut self, args: &'a [Expr], extra: usize) -> R<VarCount> {
        for (i, a) in args.iter().enumerate() {
            if i + 1 == args.len() && a.is_multi() {
                self.multi(a)?;
                return Ok(VarCount::MULTI);
            }
            self.expr_to_new_reg(a)?;
        }
        // The register limit keeps this below 255 (`*`).
        match u8::try_from(args.len() + extra).ok().and_then(VarCount::fixed) {
            Some(n) => Ok(n),
            None => Err(self.error(crate::error::ErrorKind::Limit, super::TOO_MANY_REGISTERS)),
        }
    }

    /// Emits a call or `...` producing all its values from the next register up, for
    /// the instruction emitted right after it (a `*` consumer). Returns that register.
    pub(super) fn multi(&mut self, e: &'a Expr) -> R<u8> {
        match &e.kind {
            ExprKind::Vararg => {
                // The first register must exist in the frame even if no value comes.
                let r = self.reserve(1)?;
                self.emit_at(Instr::VarArg { dst: Reg(r), count: VarCount::MULTI }, e.line)?;
                self.fs.free = r;
                Ok(r)
            }
            _ => self.call(e, None),
        }
    }

    /// Emits a call or `...` producing exactly `n` values from the next register up.
    pub(super) fn multi_fixed(&mut self, e: &'a Expr, n: usize) -> R<()> {
        let Ok(n) = u8::try_from(n) else {
            return Err(self.error(crate::error::ErrorKind::Limit, super::TOO_MANY_REGISTERS));
        };
        match &e.kind {
            ExprKind::Vararg => {
                if n > 0 {
                    let r = self.reserve(usize::from(n))?;
                    self.emit_at(Instr::VarArg { dst: Reg(r), count: VarCount(n) }, e.line)?;
                }
                Ok(())
            }
            _ => {
                if n == u8::MAX {
                    return Err(self.error(crate::error::ErrorKind::Limit, super::TOO_MANY_REGISTERS));
                }
                self.call(e, Some(n)).map(drop)
            }
        }
    }

    // ---- table constructors ----

    /// Builds a table in a new register.
    fn table(&mut self, t: &'a Table, line: u32) -> R<Desc> {
        let r = self.reserve(1)?;
        let (mut positional, mut hashed) = (0usize, 0usize);
        // A trailing call or `...` counts as one value: its count is only known at run
        // time, and one is the common case (`{f(), g()}` in tree builders), which then
        // needs no reallocation.
        for f in &t.fields {
            match f {
                Field::Positional(_) => positional += 1,
                Field::Named { .. } | Field::Keyed { .. } => hashed += 1,
            }
        }
        let hint = |n: usize| Count(n.min(255) as u8);
        self.emit_at(
            Instr::NewTable { dst: Reg(r), array_hint: hint(positional), hash_hint: hint(hashed) },
            line,
        )?;
        let mut pending: u8 = 0;
        let mut stored: u32 = 0;
        for (i, f) in t.fields.iter().enumerate() {
            match f {
                Field::Positional(v) => {
                    if i + 1 == t.fields.len() && v.is_multi() {
                        self.multi(v)?;
                        let start = Int(stored.saturating_add(1));
                        self.emit_at(Instr::SetList { table: Reg(r), count: VarCount::MULTI, start }, line)?;
                        pending = 0;
                    } else {
                        self.expr_to_new_reg(v)?;
                        pending += 1;
                        if pending == FIELDS_PER_FLUSH {
                            self.flush_list(r, &mut pending, &mut stored, line)?;
                        }
                    }
                }
                Field::Named { name, value } => {
                    let key = Key::Str(self.str_const(*name)?.0);
                    self.store_field(r, key, value)?;
                }
                Field::Keyed { key, value } => {
                    let key = self.key_operand(key)?;
                    self.store_field(r, key, value)?;
                    if let Key::Reg(k) = key {
                        self.free_reg(k);
                    }
                }
            }
        }
        if pending > 0 {
            self.flush_list(r, &mut pending, &mut stored, line)?;
        }
        self.fs.free = r + 1;
        Ok(Desc::Temp(r))
    }

    /// Stores the `pending` positional items above table register `r`.
    fn flush_list(&mut self, r: u8, pending: &mut u8, stored: &mut u32, line: u32) -> R<()> {
        let start = Int(stored.saturating_add(1));
        self.emit_at(Instr::SetList { table: Reg(r), count: VarCount(*pending), start }, line)?;
        *stored = stored.saturating_add(u32::from(*pending));
        *pending = 0;
        self.fs.free = r + 1;
        Ok(())
    }

    /// `R[table][key] = value` for a constructor field.
    fn store_field(&mut self, table: u8, key: Key, value: &'a Expr) -> R<()> {
        let v = self.expr_any_reg(value)?;
        self.emit(set_instr(table, key, v))?;
        self.free_reg(v);
        Ok(())
    }

    // ---- conditions ----

    /// Evaluates a boolean-shaped expression (see [`is_boolean_shaped`]) into a new
    /// temporary.
    fn bool_temp(&mut self, e: &'a Expr) -> R<Desc> {
        let e = strip_parens(e);
        if let ExprKind::Binary { op: BinOp::And | BinOp::Or, .. } = e.kind {
            // The value jumps need their destination before the operands are evaluated.
            let r = self.reserve(1)?;
            self.bool_into(e, r)?;
            self.fs.free = r + 1;
            return Ok(Desc::Temp(r));
        }
        // A comparison: the branch first, whose operands use temporaries, then the
        // destination.
        let mut j = Jumps::default();
        self.cond(e, true, None, &mut j)?;
        let r = self.reserve(1)?;
        self.materialize(&j.boolean, r)?;
        Ok(Desc::Temp(r))
    }

    /// Evaluates `e` into `dst`, through jumps when it is boolean-shaped.
    fn value_into(&mut self, e: &'a Expr, dst: u8) -> R<()> {
        if is_boolean_shaped(e) {
            self.bool_into(strip_parens(e), dst)
        } else {
            self.expr_into(e, dst)
        }
    }

    /// The value of `and`, `or`, a comparison or `not` of one, in `dst`.
    fn bool_into(&mut self, e: &'a Expr, dst: u8) -> R<()> {
        let e = strip_parens(e);
        if let ExprKind::Binary { op: op @ (BinOp::And | BinOp::Or), lhs, rhs } = &e.kind {
            // `a and b`: if a is falsy the result is a, else b. `or` the other way.
            let jump_if = *op == BinOp::Or;
            let mut j = Jumps::default();
            self.cond(lhs, jump_if, Some(dst), &mut j)?;
            self.value_into(rhs, dst)?;
            return self.finish_bool(j, jump_if, dst);
        }
        let mut j = Jumps::default();
        self.cond(e, true, None, &mut j)?;
        self.materialize(&j.boolean, dst)
    }

    /// Turns branches taken when a condition holds (falling through when it does not)
    /// into `true`/`false` in `dst`.
    fn materialize(&mut self, when_true: &[usize], dst: u8) -> R<()> {
        self.emit(Instr::LoadFalse { dst: Reg(dst) })?;
        let skip = self.jmp()?;
        self.patch_all(when_true, self.pc())?;
        self.emit(Instr::LoadTrue { dst: Reg(dst) })?;
        self.patch_here(skip)
    }

    /// Lands the jumps of an `and`/`or` at the end of its value: value jumps directly,
    /// boolean jumps through a `loadtrue`/`loadfalse` of `value` into `dst`.
    fn finish_bool(&mut self, j: Jumps, value: bool, dst: u8) -> R<()> {
        if j.boolean.is_empty() {
            return self.patch_all(&j.value, self.pc());
        }
        let skip = self.jmp()?;
        self.patch_all(&j.boolean, self.pc())?;
        let dst = Reg(dst);
        self.emit(if value { Instr::LoadTrue { dst } } else { Instr::LoadFalse { dst } })?;
        let end = self.pc();
        self.patch(skip, end)?;
        self.patch_all(&j.value, end)
    }

    /// Emits code that jumps when the truthiness of `e` is `jump_if` and falls through
    /// otherwise, adding the jumps to `out`. With `dst`, jumps that can carry `e`'s
    /// value leave it in `dst` (`out.value`); other jumps go to `out.boolean`.
    pub(super) fn cond(&mut self, e: &'a Expr, jump_if: bool, dst: Option<u8>, out: &mut Jumps) -> R<()> {
        let e = strip_parens(e);
        match &e.kind {
            ExprKind::Binary { op: op @ (BinOp::And | BinOp::Or), lhs, rhs } => {
                self.cond_logic(*op == BinOp::And, lhs, rhs, jump_if, dst, out)
            }
            // Every jump of the operand's opposite test carries the boolean `jump_if`.
            ExprKind::Unary { op: UnOp::Not, operand } => self.cond(operand, !jump_if, None, out),
            ExprKind::Binary { op, lhs, rhs } if is_comparison(*op) => {
                let l = self.expr(lhs)?;
                let pc = self.compare_with(*op, l, rhs, jump_if, e.line)?;
                out.boolean.push(pc);
                Ok(())
            }
            _ => self.cond_value(e, jump_if, dst, out),
        }
    }

    /// `cond` for `lhs and rhs` (`is_and`) or `lhs or rhs`.
    fn cond_logic(
        &mut self,
        is_and: bool,
        lhs: &'a Expr,
        rhs: &'a Expr,
        jump_if: bool,
        dst: Option<u8>,
        out: &mut Jumps,
    ) -> R<()> {
        // `a and b` is falsy when a is (with a's value) or b is (with b's); truthy when
        // both are (with b's). `or` is the mirror image.
        let through = !is_and;
        if jump_if == through {
            // Every operand of a chain `a and b and c` (built by a loop in the parser,
            // up to `parser::MAX_DEPTH` long) is tested the same way: walk its left
            // spine with an explicit stack, then test the operands left to right.
            let mark = self.spine.len();
            self.spine.push(rhs);
            let mut cur = lhs;
            while let ExprKind::Binary { op, lhs, rhs } = &cur.kind {
                if *op != (if is_and { BinOp::And } else { BinOp::Or }) {
                    break;
                }
                self.spine.push(rhs);
                cur = lhs;
            }
            self.cond(cur, jump_if, dst, out)?;
            while self.spine.len() > mark {
                let Some(operand) = self.spine.pop() else { break };
                self.cond(operand, jump_if, dst, out)?;
            }
            return Ok(());
        }
        let mut skip = Jumps::default();
        self.cond(lhs, through, None, &mut skip)?;
        self.cond(rhs, jump_if, dst, out)?;
        self.patch_all(&skip.boolean, self.pc())
    }

    /// `cond` for an expression that is not itself boolean-shaped.
    fn cond_value(&mut self, e: &'a Expr, jump_if: bool, dst: Option<u8>, out: &mut Jumps) -> R<()> {
        let d = self.expr(e)?;
        if let Desc::Const(c) = d {
            if c.is_truthy() != jump_if {
                return Ok(()); // never jumps
            }
            match (dst, c) {
                (None, _) | (Some(_), ConstVal::Bool(_)) => out.boolean.push(self.jmp()?),
                (Some(dst), c) => {
                    self.load_const(c, dst)?;
                    out.value.push(self.jmp()?);
                }
            }
            return Ok(());
        }
        let (value, list) = match dst {
            Some(dst) => {
                self.place_in(d, dst)?;
                (dst, &mut out.value)
            }
            None => {
                let r = self.any_reg(d)?;
                self.free_reg(r);
                (r, &mut out.boolean)
            }
        };
        let (value, target) = (Reg(value), super::UNPATCHED);
        let instr = if jump_if { Instr::JTrue { value, target } } else { Instr::JFalse { value, target } };
        list.push(self.emit(instr)?);
        Ok(())
    }

    /// Emits a fused compare-and-branch for `l op rhs` (`l` being the left operand's
    /// description) that jumps when the comparison's result is `jump_if`; returns its pc.
    fn compare_with(&mut self, op: BinOp, l: Desc, rhs: &'a Expr, jump_if: bool, line: u32) -> R<usize> {
        let l = match l {
            Desc::Const(_) | Desc::Reg(_) | Desc::Temp(_) => l,
            _ => Desc::Temp(self.any_reg(l)?),
        };
        let r = self.expr(rhs)?;
        let instr = if matches!(op, BinOp::Eq | BinOp::Ne) {
            self.compare_eq(op == BinOp::Eq, l, r, jump_if)?
        } else {
            self.compare_order(op, l, r, jump_if)?
        };
        self.emit_at(instr, line)
    }

    fn compare_eq(&mut self, eq: bool, l: Desc, r: Desc, jump_if: bool) -> R<Instr> {
        let target = super::UNPATCHED;
        let positive = eq == jump_if;
        // Equality is symmetric: a constant goes to the right.
        let (l, r) = if l.is_const() && !r.is_const() { (r, l) } else { (l, r) };
        if let Desc::Const(c) = r {
            let a = self.any_reg(l)?;
            self.free_reg(a);
            let lhs = Reg(a);
            if let ConstVal::Int(i) = c {
                if let Some(rhs) = imm(i) {
                    return Ok(if positive {
                        Instr::JEqI { lhs, rhs, target }
                    } else {
                        Instr::JNeI { lhs, rhs, target }
                    });
                }
            }
            let rhs = Const(self.constant(c)?);
            return Ok(if positive {
                Instr::JEqK { lhs, rhs, target }
            } else {
                Instr::JNeK { lhs, rhs, target }
            });
        }
        let b = self.any_reg(r)?;
        let a = self.any_reg(l)?;
        self.free_regs(a, b);
        let (lhs, rhs) = (Reg(a), Reg(b));
        Ok(if positive { Instr::JEq { lhs, rhs, target } } else { Instr::JNe { lhs, rhs, target } })
    }

    fn compare_order(&mut self, op: BinOp, l: Desc, r: Desc, jump_if: bool) -> R<Instr> {
        let target = super::UNPATCHED;
        let small = |d: &Desc| match d {
            Desc::Const(ConstVal::Int(i)) => imm(*i),
            _ => None,
        };
        // A small integer on either side becomes an immediate; `k < x` is `x > k`.
        let imm_form = match (small(&l), small(&r)) {
            (_, Some(k)) if !l.is_const() => Some((l, op, k)),
            (Some(k), _) if !r.is_const() => {
                let flipped = match op {
                    BinOp::Lt => BinOp::Gt,
                    BinOp::Le => BinOp::Ge,
                    BinOp::Gt => BinOp::Lt,
                    _ => BinOp::Le,
                };
                Some((r, flipped, k))
            }
            _ => None,
        };
        if let Some((x, op, rhs)) = imm_form {
            let a = self.any_reg(x)?;
            self.free_reg(a);
            let lhs = Reg(a);
            return Ok(match (op, jump_if) {
                (BinOp::Lt, true) => Instr::JLtI { lhs, rhs, target },
                (BinOp::Lt, false) => Instr::JNltI { lhs, rhs, target },
                (BinOp::Le, true) => Instr::JLeI { lhs, rhs, target },
                (BinOp::Le, false) => Instr::JNleI { lhs, rhs, target },
                (BinOp::Gt, true) => Instr::JGtI { lhs, rhs, target },
                (BinOp::Gt, false) => Instr::JNgtI { lhs, rhs, target },
                (_, true) => Instr::JGeI { lhs, rhs, target },
                (_, false) => Instr::JNgeI { lhs, rhs, target },
            });
        }
        let b = self.any_reg(r)?;
        let a = self.any_reg(l)?;
        self.free_regs(a, b);
        // `a > b` is `b < a` and `a >= b` is `b <= a` (operands already evaluated in order).
        let (lhs, rhs, strict) = match op {
            BinOp::Lt => (a, b, true),
            BinOp::Le => (a, b, false),
            BinOp::Gt => (b, a, true),
            _ => (b, a, false),
        };
        let (lhs, rhs) = (Reg(lhs), Reg(rhs));
        Ok(match (strict, jump_if) {
            (true, true) => Instr::JLt { lhs, rhs, target },
            (true, false) => Instr::JNlt { lhs, rhs, target },
            (false, true) => Instr::JLe { lhs, rhs, target },
            (false, false) => Instr::JNle { lhs, rhs, target },
        })
    }
}

/// The register-operand instruction for `R[a] op R[b]`.
fn arith_reg_instr(op: BinOp, a: u8, b: u8) -> Instr {
    let (dst, lhs, rhs) = (Reg(0), Reg(a), Reg(b));
    match op {
        BinOp::Add => Instr::Add { dst, lhs, rhs },
        BinOp::Sub => Instr::Sub { dst, lhs, rhs },
        BinOp::Mul => Instr::Mul { dst, lhs, rhs },
        BinOp::Div => Instr::Div { dst, lhs, rhs },
        BinOp::Mod => Instr::Mod { dst, lhs, rhs },
        BinOp::Pow => Instr::Pow { dst, lhs, rhs },
        BinOp::IDiv => Instr::IDiv { dst, lhs, rhs },
        BinOp::BAnd => Instr::BAnd { dst, lhs, rhs },
        BinOp::BOr => Instr::BOr { dst, lhs, rhs },
        BinOp::BXor => Instr::BXor { dst, lhs, rhs },
        BinOp::Shl => Instr::Shl { dst, lhs, rhs },
        // Only arithmetic and bitwise operators reach here.
        _ => Instr::Shr { dst, lhs, rhs },
    }
}

/// The store instruction for `R[table][key] = R[src]`.
pub(super) fn set_instr(table: u8, key: Key, src: u8) -> Instr {
    let (table, src) = (Reg(table), Reg(src));
    match key {
        Key::Reg(k) => Instr::SetTable { table, key: Reg(k), src },
        Key::Str(k) => Instr::SetField { table, key: Const(k), src },
        Key::Int(i) => Instr::SetIndex { table, index: Imm(i), src },
    }
}
