//! Statements: assignment, locals, control flow, loops, `goto`, `return`.
//!
//! Loop shapes (`@exit` is the instruction after the loop):
//!
//! ```text
//! while:    @start: <cond, false → @exit>  <body>  [close]  jmp @start
//! repeat:   @start: <body>  <cond, false → @start>            (no captured locals)
//!           @start: <body>  <cond, true → @out>  close  jmp @start  @out: close
//! numeric:  <start, limit, step → base..base+2>  forprep base, @exit
//!           @body: <body>  [close base+3]  forloop base, @body
//! generic:  <explist → base..base+3>  tforprep base, @call
//!           @body: <body>  [close base+4]
//!           @call: tforcall base, n  tforloop base, @body  @exit: close base
//! ```
//!
//! `break` jumps to the exit, after a `close` if it leaves a captured or to-be-closed
//! variable's scope (the generic `for` exit closes by itself). A backward `goto` closes
//! the same way before jumping; a forward one records the highest closable register it
//! leaves live, and its label emits one `close` for all such gotos.

use tarn_bytecode::{Const, Count, Instr, Proto, Reg, Upval, VarCount};

use super::expr::{set_instr, Desc, Key};
use super::{ConstVal, Gen, Jumps, LocalSlot, LoopCtx, PendingGoto, R, UNPATCHED};
use crate::ast::{Attrib, Block, Expr, ExprKind, Function, GotoId, LabelId, LocalId, Stat, StatKind};

/// An assignment target, with its table and key already evaluated.
#[derive(Clone, Copy, Debug)]
enum LValue {
    Local(u8),
    Upval(u8),
    IndexUp { up: u8, key: u16 },
    Index { table: u8, key: Key },
}

impl<'a> Gen<'a> {
    /// Compiles a block's statements. `labels_may_end`: a label followed only by labels
    /// ends the block, outside the scope of its locals (false for `repeat`, whose
    /// condition still sees them).
    pub(super) fn stats(&mut self, stats: &'a [Stat], labels_may_end: bool) -> R<()> {
        let mut tail = stats.len();
        if labels_may_end {
            while tail > 0 && matches!(stats[tail - 1].kind, StatKind::Label { .. }) {
                tail -= 1;
            }
        }
        for (i, s) in stats.iter().enumerate() {
            self.fs.line = s.line;
            self.stat(s, i >= tail)?;
            // Temporaries never outlive a statement.
            self.fs.free = self.fs.nvars;
        }
        Ok(())
    }

    fn stat(&mut self, s: &'a Stat, ends_block: bool) -> R<()> {
        match &s.kind {
            StatKind::Assign { targets, values } => self.assign(targets, values),
            StatKind::Call(e) => self.call(e, Some(0)).map(drop),
            StatKind::Local { locals, values } => self.local_stat(locals, values),
            StatKind::LocalFunction { local, func } => self.local_function(*local, func),
            StatKind::Function { target, is_method, func } => self.function_stat(target, *is_method, func),
            StatKind::Label { id, .. } => self.label(*id, ends_block),
            StatKind::Goto { id, .. } => self.goto(*id),
            StatKind::Break => self.break_stat(),
            StatKind::Do(b) => self.block(b),
            StatKind::While { cond, body } => self.while_stat(cond, body),
            StatKind::Repeat { body, cond } => self.repeat_stat(body, cond),
            StatKind::If { arms, else_block } => self.if_stat(arms, else_block.as_ref()),
            StatKind::NumericFor { var, start, limit, step, body } => {
                self.numeric_for(*var, start, limit, step.as_ref(), body)
            }
            StatKind::GenericFor { vars, exprs, body } => self.generic_for(vars, exprs, body),
            StatKind::Return { values } => self.return_stat(values),
        }
    }

    /// `do ... end` and the blocks of `if`.
    fn block(&mut self, b: &'a Block) -> R<()> {
        self.enter_block();
        self.stats(&b.stats, true)?;
        self.leave_block(b.needs_close)
    }

    // ---- locals ----

    /// `local names [= values]`.
    fn local_stat(&mut self, locals: &'a [LocalId], values: &'a [Expr]) -> R<()> {
        let n = locals.len();
        let base = self.fs.free;
        if let ([local], [value]) = (locals, values) {
            let name = Some(self.local_name(*local));
            if let Some(d) = self.function_value(value, name)? {
                self.place_next(d, base)?;
                return self.activate_locals(locals, base);
            }
        }
        // As Lua does, a last `<const>` local whose value is a compile-time constant
        // becomes that constant and gets no register.
        let last_is_const =
            locals.last().and_then(|l| self.fs.ast.local(*l)).map(|l| l.attrib) == Some(Attrib::Const);
        if last_is_const && n == values.len() {
            for v in &values[..n - 1] {
                self.expr_to_new_reg(v)?;
            }
            let d = self.expr(&values[n - 1])?;
            if let Desc::Const(c) = d {
                if let Some(slot) = self.fs.locals.get_mut(locals[n - 1].0 as usize) {
                    *slot = LocalSlot::Const(c);
                }
                return self.activate_locals(&locals[..n - 1], base);
            }
            self.place_next(d, base + (n - 1) as u8)?;
            return self.activate_locals(locals, base);
        }
        self.explist_fixed(values, n)?;
        self.activate_locals(locals, base)
    }

    /// Brings `locals` into scope in consecutive registers from `base` (where their
    /// values already are), marking `<close>` ones to be closed.
    fn activate_locals(&mut self, locals: &[LocalId], base: u8) -> R<()> {
        for (i, &id) in locals.iter().enumerate() {
            let r = base + i as u8;
            self.activate(id, r)?;
            if self.fs.ast.local(id).map(|l| l.attrib) == Some(Attrib::Close) {
                self.emit(Instr::Tbc { var: Reg(r) })?;
                self.fs.tbc += 1;
            }
        }
        self.fs.free = self.fs.nvars;
        Ok(())
    }

    fn local_name(&self, id: LocalId) -> String {
        self.fs.ast.local(id).map(|l| self.name(l.name)).unwrap_or_default()
    }

    /// `local function name body`: the local is in scope inside its own body.
    fn local_function(&mut self, id: LocalId, func: &'a Function) -> R<()> {
        let r = self.reserve(1)?;
        self.activate(id, r)?;
        let p = self.child_function(func, Some(self.local_name(id)))?;
        self.emit(Instr::Closure { dst: Reg(r), proto: Proto(p) })?;
        // Its debug scope starts once it has its value, as in Lua.
        let pc = self.pc() as u32;
        if let Some(v) = self.fs.active.last() {
            if let Some(d) = self.fs.debug_locals.get_mut(v.debug) {
                d.start_pc = pc;
            }
        }
        Ok(())
    }

    /// A closure description for `e` if it is a function expression, named `name`.
    fn function_value(&mut self, e: &'a Expr, name: Option<String>) -> R<Option<Desc>> {
        match &e.kind {
            ExprKind::Function(f) => self.closure(f, name, e.line).map(Some),
            _ => Ok(None),
        }
    }

    /// Evaluates `exprs` into `want` consecutive new registers (Lua's `adjust_assign`):
    /// extra values are evaluated and dropped, missing ones are nil, and a call or `...`
    /// at the end supplies as many as are missing. Returns the first register.
    pub(super) fn explist_fixed(&mut self, exprs: &'a [Expr], want: usize) -> R<u8> {
        let base = self.fs.free;
        for (i, e) in exprs.iter().enumerate() {
            if i + 1 == exprs.len() && e.is_multi() {
                self.multi_fixed(e, want.saturating_sub(i))?;
            } else {
                self.expr_to_new_reg(e)?;
            }
        }
        let have = usize::from(self.fs.free - base);
        if have < want {
            let missing = want - have;
            let r = self.reserve(missing)?;
            self.emit(Instr::LoadNil { dst: Reg(r), count: Count(missing as u8) })?;
        } else {
            self.fs.free = base + want as u8;
        }
        Ok(base)
    }

    // ---- assignment ----

    /// `targets = values`: every target's table and key and every value are evaluated
    /// (left to right) before anything is assigned.
    fn assign(&mut self, targets: &'a [Expr], values: &'a [Expr]) -> R<()> {
        if targets.is_empty() || values.is_empty() {
            return Err(self.internal("empty assignment"));
        }
        if let ([target], [value]) = (targets, values) {
            let lv = self.lvalue(target)?;
            let d = match self.function_value(value, self.target_name(target, false))? {
                Some(d) => d,
                None => self.expr(value)?,
            };
            return self.store(lv, d);
        }
        let mut lvs: Vec<LValue> = Vec::with_capacity(targets.len());
        for t in targets {
            let lv = self.lvalue(t)?;
            self.check_conflict(&mut lvs, lv)?;
            lvs.push(lv);
        }
        let n = lvs.len();
        if values.len() == n {
            // The last value is stored straight from its description.
            let base = self.fs.free;
            for v in &values[..n - 1] {
                self.expr_to_new_reg(v)?;
            }
            let d = self.expr(&values[n - 1])?;
            self.store(lvs[n - 1], d)?;
            for i in (0..n - 1).rev() {
                self.store(lvs[i], Desc::Reg(base + i as u8))?;
            }
        } else {
            let base = self.explist_fixed(values, n)?;
            for i in (0..n).rev() {
                self.store(lvs[i], Desc::Reg(base + i as u8))?;
            }
        }
        Ok(())
    }

    fn lvalue(&mut self, t: &'a Expr) -> R<LValue> {
        match &t.kind {
            ExprKind::Local(id) => match self.local_desc(*id)? {
                Desc::Reg(r) => Ok(LValue::Local(r)),
                _ => Err(self.internal("assignment to a constant local")),
            },
            ExprKind::Upvalue(u) => match self.upval_desc(*u)? {
                Desc::Upval(i) => Ok(LValue::Upval(i)),
                _ => Err(self.internal("assignment to a constant upvalue")),
            },
            ExprKind::Global { env, name } => match self.global_desc(*env, *name, t.line)? {
                Desc::IndexUp { up, key, .. } => Ok(LValue::IndexUp { up, key }),
                Desc::Index { table, key, .. } => Ok(LValue::Index { table, key }),
                _ => Err(self.internal("global without an environment")),
            },
            ExprKind::Index { obj, key } => {
                let table = self.expr_any_reg(obj)?;
                let key = self.key_operand(key)?;
                Ok(LValue::Index { table, key })
            }
            _ => Err(self.internal("assignment to a non-variable")),
        }
    }

    /// Lua's `check_conflict`: when a later target is a local (or upvalue) that an
    /// earlier target uses as its table or key, the earlier target must use the old
    /// value, so it is copied now, before any value is evaluated.
    fn check_conflict(&mut self, prev: &mut [LValue], new: LValue) -> R<()> {
        match new {
            LValue::Local(r) => {
                let uses = |lv: &LValue| matches!(*lv, LValue::Index { table, key } if table == r || key == Key::Reg(r));
                if prev.iter().any(uses) {
                    let copy = self.reserve(1)?;
                    self.emit(Instr::Move { dst: Reg(copy), src: Reg(r) })?;
                    for lv in prev.iter_mut() {
                        if let LValue::Index { table, key } = lv {
                            if *table == r {
                                *table = copy;
                            }
                            if *key == Key::Reg(r) {
                                *key = Key::Reg(copy);
                            }
                        }
                    }
                }
            }
            LValue::Upval(u) => {
                if prev.iter().any(|lv| matches!(*lv, LValue::IndexUp { up, .. } if up == u)) {
                    let copy = self.reserve(1)?;
                    self.emit(Instr::GetUpval { dst: Reg(copy), upval: Upval(u) })?;
                    for lv in prev.iter_mut() {
                        if let LValue::IndexUp { up, key } = *lv {
                            if up == u {
                                *lv = LValue::Index { table: copy, key: Key::Str(key) };
                            }
                        }
                    }
                }
            }
            LValue::IndexUp { .. } | LValue::Index { .. } => {}
        }
        Ok(())
    }

    /// Assigns `d`'s value to `lv`.
    fn store(&mut self, lv: LValue, d: Desc) -> R<()> {
        if let LValue::Local(r) = lv {
            return self.place_in(d, r);
        }
        let owned = !matches!(d, Desc::Reg(_));
        let src = self.any_reg(d)?;
        let instr = match lv {
            LValue::Upval(u) => Instr::SetUpval { upval: Upval(u), src: Reg(src) },
            LValue::IndexUp { up, key } => {
                Instr::SetTabUp { upval: Upval(up), key: Const(key), src: Reg(src) }
            }
            LValue::Index { table, key } => set_instr(table, key, src),
            LValue::Local(_) => return Err(self.internal("local store")),
        };
        self.emit(instr)?;
        if owned {
            self.free_reg(src);
        }
        Ok(())
    }

    /// `function a.b.c:m() ... end` and `function f() ... end`.
    fn function_stat(&mut self, target: &'a Expr, is_method: bool, func: &'a Function) -> R<()> {
        let name = self.target_name(target, is_method);
        let lv = self.lvalue(target)?;
        let closure = self.closure(func, name, self.fs.line)?;
        self.store(lv, closure)
    }

    /// The name a function stored in `target` gets in debug information: `f`,
    /// `t.a.b`, `obj:method`; none when a key is not a name (`t[i]`).
    fn target_name(&self, target: &Expr, is_method: bool) -> Option<String> {
        let mut parts = Vec::new();
        let mut cur = target;
        loop {
            match &cur.kind {
                ExprKind::Index { obj, key } => {
                    let ExprKind::Str(s) = &key.kind else { return None };
                    parts.push(self.name(*s));
                    cur = obj;
                }
                ExprKind::Local(id) => {
                    parts.push(self.local_name(*id));
                    break;
                }
                ExprKind::Upvalue(u) => {
                    parts.push(self.name(self.fs.ast.upvalues.get(u.0 as usize)?.name));
                    break;
                }
                ExprKind::Global { name, .. } => {
                    parts.push(self.name(*name));
                    break;
                }
                _ => return None,
            }
        }
        let mut out = String::new();
        for (i, part) in parts.iter().rev().enumerate() {
            if i > 0 {
                out.push(if is_method && i + 1 == parts.len() { ':' } else { '.' });
            }
            out.push_str(part);
        }
        Some(out)
    }

    // ---- control flow ----

    fn return_stat(&mut self, values: &'a [Expr]) -> R<()> {
        match values {
            [] => {
                self.ensure_regs(1)?;
                self.emit(Instr::Return { first: Reg(0), count: VarCount(0) })?;
            }
            // A tail call, unless a to-be-closed variable must be closed after the call.
            [v] if self.fs.tbc == 0 && matches!(v.kind, ExprKind::Call(_) | ExprKind::Method(_)) => {
                self.tail_call(v)?;
            }
            [v] if !v.is_multi() => {
                let r = self.expr_any_reg(v)?;
                self.emit(Instr::Return { first: Reg(r), count: VarCount(1) })?;
            }
            _ => {
                let base = self.fs.free;
                let last = values.len() - 1;
                for v in &values[..last] {
                    self.expr_to_new_reg(v)?;
                }
                let count = if values[last].is_multi() {
                    self.multi(&values[last])?;
                    VarCount::MULTI
                } else {
                    self.expr_to_new_reg(&values[last])?;
                    match u8::try_from(values.len()).ok().and_then(VarCount::fixed) {
                        Some(c) => c,
                        None => return Err(self.internal("too many return values")),
                    }
                };
                self.emit(Instr::Return { first: Reg(base), count })?;
            }
        }
        Ok(())
    }

    fn if_stat(&mut self, arms: &'a [(Expr, Block)], else_block: Option<&'a Block>) -> R<()> {
        let mut exits = Vec::new();
        for (i, (cond, block)) in arms.iter().enumerate() {
            self.fs.line = cond.line;
            if self.jump_arm(cond, block)? {
                continue;
            }
            let mut skip = Jumps::default();
            self.cond(cond, false, None, &mut skip)?;
            self.block(block)?;
            let more = i + 1 < arms.len() || else_block.is_some();
            if more && !ends_in_jump(block) {
                exits.push(self.jmp()?);
            }
            self.patch_all(&skip.boolean, self.pc())?;
        }
        if let Some(b) = else_block {
            self.block(b)?;
        }
        self.patch_all(&exits, self.pc())
    }

    /// `if cond then break end` and `if cond then goto label end` (when the jump needs
    /// no `close`) become one conditional branch straight to the target, as in Lua.
    /// Returns whether the arm was compiled that way.
    fn jump_arm(&mut self, cond: &'a Expr, block: &'a Block) -> R<bool> {
        let [stat] = block.stats.as_slice() else { return Ok(false) };
        match stat.kind {
            StatKind::Break => {
                let Some(l) = self.fs.loops.last() else { return Ok(false) };
                if !l.closes_at_exit && self.closable_above(l.level) {
                    return Ok(false);
                }
                let mut taken = Jumps::default();
                self.cond(cond, true, None, &mut taken)?;
                if let Some(l) = self.fs.loops.last_mut() {
                    l.breaks.extend(taken.boolean);
                }
                Ok(true)
            }
            StatKind::Goto { id, .. } => {
                let Some(label) = self.fs.ast.goto_target(id) else { return Ok(false) };
                let Some(state) = self.fs.labels.get(label.0 as usize) else { return Ok(false) };
                let placed = state.placed;
                if placed.is_some_and(|(_, level)| self.closable_above(level)) {
                    return Ok(false);
                }
                let closable_top = self.fs.active.iter().rev().find(|v| v.closable).map(|v| v.reg);
                let mut taken = Jumps::default();
                self.cond(cond, true, None, &mut taken)?;
                match placed {
                    Some((target, _)) => self.patch_all(&taken.boolean, target)?,
                    None => {
                        if let Some(state) = self.fs.labels.get_mut(label.0 as usize) {
                            state
                                .pending
                                .extend(taken.boolean.iter().map(|&pc| PendingGoto { pc, closable_top }));
                        }
                    }
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn while_stat(&mut self, cond: &'a Expr, body: &'a Block) -> R<()> {
        let line = self.fs.line;
        let start = self.pc();
        let mut exit = Jumps::default();
        self.cond(cond, false, None, &mut exit)?;
        self.fs.loops.push(LoopCtx { level: self.fs.nvars, breaks: Vec::new(), closes_at_exit: false });
        self.block(body)?;
        self.fs.line = line;
        let back = self.jmp()?;
        self.patch(back, start)?;
        self.end_loop(&exit.boolean)
    }

    /// Pops the innermost loop and lands its breaks (and `more` jumps) here.
    fn end_loop(&mut self, more: &[usize]) -> R<()> {
        let Some(l) = self.fs.loops.pop() else { return Err(self.internal("unbalanced loops")) };
        let exit = self.pc();
        self.patch_all(&l.breaks, exit)?;
        self.patch_all(more, exit)
    }

    fn repeat_stat(&mut self, body: &'a Block, cond: &'a Expr) -> R<()> {
        let start = self.pc();
        self.fs.loops.push(LoopCtx { level: self.fs.nvars, breaks: Vec::new(), closes_at_exit: false });
        self.enter_block();
        self.stats(&body.stats, false)?;
        // The condition is inside the body's scope.
        self.fs.line = cond.line;
        let level = self.fs.blocks.last().map_or(0, |b| b.level);
        if body.needs_close && self.closable_above(level) {
            let mut out = Jumps::default();
            self.cond(cond, true, None, &mut out)?;
            // Repeating: close this iteration's variables first.
            self.emit(Instr::Close { from: Reg(level) })?;
            let back = self.jmp()?;
            self.patch(back, start)?;
            self.patch_all(&out.boolean, self.pc())?;
            self.leave_block(true)?;
        } else {
            let mut again = Jumps::default();
            self.cond(cond, false, None, &mut again)?;
            self.patch_all(&again.boolean, start)?;
            self.leave_block(false)?;
        }
        self.end_loop(&[])
    }

    fn numeric_for(
        &mut self,
        var: LocalId,
        start: &'a Expr,
        limit: &'a Expr,
        step: Option<&'a Expr>,
        body: &'a Block,
    ) -> R<()> {
        let line = self.fs.line;
        self.enter_block();
        let base = self.fs.free;
        let r = self.reserve(1)?;
        self.expr_into(start, r)?;
        let r = self.reserve(1)?;
        self.expr_into(limit, r)?;
        let r = self.reserve(1)?;
        match step {
            Some(s) => self.expr_into(s, r)?,
            None => self.load_const(ConstVal::Int(1), r)?,
        }
        for i in 0..3 {
            self.push_active("(for state)".to_string(), base + i, false);
        }
        self.fs.line = line;
        let prep = self.emit(Instr::ForPrep { base: Reg(base), exit: UNPATCHED })?;
        self.fs.loops.push(LoopCtx { level: base, breaks: Vec::new(), closes_at_exit: false });
        let body_start = self.pc();
        self.enter_block();
        let r = self.reserve(1)?;
        self.activate(var, r)?;
        self.stats(&body.stats, true)?;
        self.leave_block(body.needs_close)?;
        self.fs.line = line;
        let back = self.emit(Instr::ForLoop { base: Reg(base), body: UNPATCHED })?;
        self.patch(back, body_start)?;
        self.patch_here(prep)?;
        self.end_loop(&[])?;
        self.leave_block(false)
    }

    fn generic_for(&mut self, vars: &'a [LocalId], exprs: &'a [Expr], body: &'a Block) -> R<()> {
        let line = self.fs.line;
        self.enter_block();
        // Iterator, state, control value and closing value.
        let base = self.explist_fixed(exprs, 4)?;
        for i in 0..4 {
            self.push_active("(for state)".to_string(), base + i, i == 3);
        }
        self.fs.tbc += 1;
        let nvars = vars.len();
        // `tforcall` stages its call in base+4..base+6 and writes results from base+4.
        self.ensure_regs(usize::from(base) + 4 + nvars.max(3))?;
        self.fs.line = line;
        let prep = self.emit(Instr::TForPrep { base: Reg(base), call: UNPATCHED })?;
        self.fs.loops.push(LoopCtx { level: base, breaks: Vec::new(), closes_at_exit: true });
        let body_start = self.pc();
        self.enter_block();
        let first = self.reserve(nvars)?;
        for (i, &v) in vars.iter().enumerate() {
            self.activate(v, first + i as u8)?;
        }
        self.stats(&body.stats, true)?;
        self.leave_block(body.needs_close)?;
        self.fs.line = line;
        self.patch_here(prep)?;
        let Ok(results) = u8::try_from(nvars) else { return Err(self.internal("too many loop variables")) };
        self.emit(Instr::TForCall { base: Reg(base), results: Count(results) })?;
        let back = self.emit(Instr::TForLoop { base: Reg(base), body: UNPATCHED })?;
        self.patch(back, body_start)?;
        self.end_loop(&[])?;
        // Normal exit and breaks: close the closing value.
        self.emit(Instr::Close { from: Reg(base) })?;
        self.leave_block(false)
    }

    fn break_stat(&mut self) -> R<()> {
        let Some(l) = self.fs.loops.last() else { return Err(self.internal("break outside a loop")) };
        let (level, closes_at_exit) = (l.level, l.closes_at_exit);
        if !closes_at_exit && self.closable_above(level) {
            self.emit(Instr::Close { from: Reg(level) })?;
        }
        let pc = self.jmp()?;
        if let Some(l) = self.fs.loops.last_mut() {
            l.breaks.push(pc);
        }
        Ok(())
    }

    fn goto(&mut self, id: GotoId) -> R<()> {
        let Some(label) = self.fs.ast.goto_target(id) else { return Err(self.internal("unresolved goto")) };
        let Some(state) = self.fs.labels.get(label.0 as usize) else {
            return Err(self.internal("goto to an unknown label"));
        };
        match state.placed {
            Some((target, level)) => {
                // Backward: the label's level is known.
                if self.closable_above(level) {
                    self.emit(Instr::Close { from: Reg(level) })?;
                }
                let pc = self.jmp()?;
                self.patch(pc, target)
            }
            None => {
                let closable_top = self.fs.active.iter().rev().find(|v| v.closable).map(|v| v.reg);
                let pc = self.jmp()?;
                if let Some(state) = self.fs.labels.get_mut(label.0 as usize) {
                    state.pending.push(PendingGoto { pc, closable_top });
                }
                Ok(())
            }
        }
    }

    /// Places a label. `ends_block`: it is outside the scope of its block's locals.
    fn label(&mut self, id: LabelId, ends_block: bool) -> R<()> {
        let level = if ends_block { self.fs.blocks.last().map_or(0, |b| b.level) } else { self.fs.nvars };
        let Some(state) = self.fs.labels.get_mut(id.0 as usize) else {
            return Err(self.internal("unknown label"));
        };
        let pending = std::mem::take(&mut state.pending);
        let pc = self.pc();
        // Gotos that leave a closable variable's scope close it here.
        if pending.iter().any(|g| g.closable_top.is_some_and(|r| r >= level)) {
            self.emit(Instr::Close { from: Reg(level) })?;
        }
        for g in &pending {
            self.patch(g.pc, pc)?;
        }
        if let Some(state) = self.fs.labels.get_mut(id.0 as usize) {
            state.placed = Some((pc, level));
        }
        Ok(())
    }
}

/// Whether control cannot reach the end of `b` (it ends in `return`, `break` or `goto`).
fn ends_in_jump(b: &Block) -> bool {
    matches!(
        b.stats.last().map(|s| &s.kind),
        Some(StatKind::Return { .. } | StatKind::Break | StatKind::Goto { .. })
    )
}
