//! Code generation: a resolved [`ast::Chunk`] to a [`tarn_bytecode::Module`], in one pass.
//!
//! The generator walks the tree once, emitting each function's instructions as it goes,
//! in the style of `lcode.c`/`lparser.c` (whose register discipline Tarn's ISA shares).
//! Every module it produces must pass [`tarn_bytecode::verify()`]; the tests verify
//! each one.
//!
//! # Functions
//!
//! Functions are numbered in the module in the order their compilation *starts*: the main
//! chunk is 0, and a nested function gets the next free index before its own children, so
//! a child's index is always greater than its parent's (verifier fact V4). The state of
//! the function being compiled is [`FuncState`]; entering a nested function pushes the
//! current one onto a stack and leaving pops it, so the generator itself is one struct.
//!
//! # Registers
//!
//! A frame's registers form a stack. Active local variables occupy the bottom, in
//! declaration order, one register each (`nvars` is the first register above them); the
//! hidden state of a `for` loop counts as locals. Temporaries live above the locals:
//! `free` is the first free register, and temporaries are taken (`reserve`) and released
//! (`free_reg`) in LIFO order, so an expression's scratch registers are reused by the
//! next one. At every statement boundary `free == nvars`. The largest `free` ever reached
//! is the frame size. Needing more than 255 registers is a compile error with Lua's
//! wording ("function or expression needs too many registers").
//!
//! Consecutive registers are what calls (callee, then arguments), `concat`, `return`,
//! `setlist` and multiple assignment need; they are obtained by reserving the next
//! register and evaluating the expression straight into it (`expr_into`).
//!
//! # Expressions
//!
//! An expression first becomes a `Desc` (in `expr`): a description of where its value
//! is, without necessarily emitting code. Constants stay constants (so they can become
//! `k`/immediate operands and fold), a local is just its register, `t.k` and `_ENV.x`
//! stay unfetched, and an arithmetic result is a single pending instruction whose
//! destination is chosen when the value is finally placed ("discharged"). This is how
//! `x = y + 1` becomes one `addi x, y, 1`. A description that refers to temporaries must
//! be discharged before anything else is evaluated, which also keeps Lua's left-to-right
//! evaluation order.
//!
//! # Conditions
//!
//! `if`, `while`, `repeat`, `and`/`or` and comparisons compile to branches (`expr::cond`):
//! code that jumps when an expression's truthiness is the one tested for and falls
//! through otherwise, with fused compare-and-branch instructions for comparisons. The
//! pending jumps are collected in [`Jumps`]. When the value of `a and b` / `a or b` is
//! needed, the jumps that leave early carry a value: either an operand's own value,
//! already placed in the destination register, or the boolean a comparison produced,
//! which a `loadtrue`/`loadfalse` at the end materialises.
//!
//! # Jumps
//!
//! Forward jumps are emitted with a placeholder offset (one the verifier would reject,
//! should a patch ever be missed) and patched once the target is known, with
//! [`tarn_bytecode::Jump::between`]. Lists of pending jumps are plain vectors of pcs.
//! Backward jumps know their target when emitted. A function whose code could fall off
//! its end, or that has a jump to its end, gets a final `return`.
//!
//! # Scopes, upvalues and `close`
//!
//! Leaving a block whose locals a closure captured (or that has a `<close>` variable)
//! emits `close` from the block's first register, and so does the end of every loop
//! iteration, so each iteration gets fresh variables. `break` and `goto` emit a `close`
//! when they leave the scope of such a variable (for a forward `goto`, at the label, once
//! its level is known). `return f()` is a tail call except where a to-be-closed variable
//! is in scope, as in Lua.
//!
//! # Stack depth
//!
//! The generator recurses over the tree, whose depth the parser bounds; long left-deep
//! chains are walked with an explicit stack instead (see `expr`), so compiling needs no
//! more native stack than parsing.
//!
//! # Not here
//!
//! Parsing and name resolution (the [`crate::parser`]), and any optimisation beyond
//! constant folding and the choice of specialised instructions.

mod expr;
mod fold;
mod stat;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use tarn_bytecode::module::{limits, FunctionDebug, LocalInfo};
use tarn_bytecode::{Constant, Function, Instr, Jump, Module, OperandValue, UpvalSource};

use crate::ast::{self, Chunk, LocalId};
use crate::error::{CompileError, ErrorKind};
use crate::token::{FastHasher, StrId, Strings};

type R<T> = Result<T, CompileError>;
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Placeholder offset of a jump not yet patched: its target is negative, so a jump left
/// unpatched by mistake fails verification instead of running.
const UNPATCHED: Jump = Jump(i32::MIN);

/// Lua's message for running out of registers.
const TOO_MANY_REGISTERS: &str = "function or expression needs too many registers";

/// A value known at compile time: a literal, a folded expression or a `<const>` local.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ConstVal {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(StrId),
}

impl ConstVal {
    fn is_truthy(self) -> bool {
        !matches!(self, ConstVal::Nil | ConstVal::Bool(false))
    }

    fn as_num(self) -> Option<fold::Num> {
        match self {
            ConstVal::Int(i) => Some(fold::Num::Int(i)),
            ConstVal::Float(f) => Some(fold::Num::Float(f)),
            ConstVal::Nil | ConstVal::Bool(_) | ConstVal::Str(_) => None,
        }
    }

    fn from_num(n: fold::Num) -> ConstVal {
        match n {
            fold::Num::Int(i) => ConstVal::Int(i),
            fold::Num::Float(f) => ConstVal::Float(f),
        }
    }

    /// Identity for deduplication: floats by bit pattern, so `1` and `1.0` stay apart,
    /// `-0.0` and `0.0` stay apart, and a NaN only merges with the very same NaN.
    fn key(self) -> ConstKey {
        match self {
            ConstVal::Nil => ConstKey::Nil,
            ConstVal::Bool(b) => ConstKey::Bool(b),
            ConstVal::Int(i) => ConstKey::Int(i),
            ConstVal::Float(f) => ConstKey::Float(f.to_bits()),
            ConstVal::Str(s) => ConstKey::Str(s),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ConstKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(StrId),
}

/// Where a local variable lives.
#[derive(Clone, Copy, Debug)]
enum LocalSlot {
    /// Not declared yet (or out of scope and never used again).
    Unassigned,
    Reg(u8),
    /// A `<const>` local folded to its value: it has no register.
    Const(ConstVal),
}

/// Where an upvalue of the AST lives in the compiled function.
#[derive(Clone, Copy, Debug)]
enum UpvalSlot {
    Index(u8),
    /// It refers to a folded `<const>` local: no upvalue is created.
    Const(ConstVal),
}

/// A register occupied by an active local (or hidden loop state).
#[derive(Clone, Copy, Debug)]
struct ActiveVar {
    reg: u8,
    /// Captured by a closure or to-be-closed: leaving its scope needs `close`.
    closable: bool,
    /// Its entry in the debug locals, whose `end_pc` is set when it goes out of scope.
    debug: usize,
}

/// A block being compiled.
#[derive(Clone, Copy, Debug)]
struct BlockCtx {
    /// `active.len()` on entry.
    nactive: usize,
    /// `nvars` on entry: the block's first register.
    level: u8,
    /// `tbc` on entry.
    tbc: u32,
}

/// A loop being compiled: where `break` goes.
#[derive(Debug)]
struct LoopCtx {
    /// Registers from here up belong to the loop.
    level: u8,
    /// Pending `break` jumps, patched to the loop's exit.
    breaks: Vec<usize>,
    /// The exit itself runs `close level` (generic `for`), so breaks need not.
    closes_at_exit: bool,
}

/// A forward `goto` waiting for its label.
#[derive(Clone, Copy, Debug)]
struct PendingGoto {
    /// The `jmp` to patch.
    pc: usize,
    /// The highest register of a closable variable active at the goto, if any.
    closable_top: Option<u8>,
}

#[derive(Debug, Default)]
struct LabelState {
    /// Once compiled: its pc and register level.
    placed: Option<(usize, u8)>,
    pending: Vec<PendingGoto>,
}

/// Pending jumps of a condition. A jump in `value` is taken with the expression's value
/// already in the destination register; a jump in `boolean` is taken when the value is
/// the boolean the condition tested for, which is then materialised with
/// `loadtrue`/`loadfalse` if the value is needed.
#[derive(Debug, Default)]
struct Jumps {
    value: Vec<usize>,
    boolean: Vec<usize>,
}

/// The function being compiled.
struct FuncState<'a> {
    ast: &'a ast::Function,
    /// Index in the module's function list.
    index: usize,
    code: Vec<Instr>,
    lines: Vec<u32>,
    constants: Vec<u32>,
    const_map: FastMap<ConstKey, u16>,
    children: Vec<u32>,
    /// Per AST upvalue id.
    upvals: Vec<UpvalSlot>,
    upval_sources: Vec<UpvalSource>,
    upval_names: Vec<String>,
    /// Per AST local id.
    locals: Vec<LocalSlot>,
    active: Vec<ActiveVar>,
    /// First register above the active locals.
    nvars: u8,
    /// First free register.
    free: u8,
    /// Frame size so far.
    max_regs: u8,
    blocks: Vec<BlockCtx>,
    loops: Vec<LoopCtx>,
    labels: Vec<LabelState>,
    debug_locals: Vec<LocalInfo>,
    /// Line given to instructions emitted without an explicit one.
    line: u32,
    /// Active to-be-closed variables (`<close>` locals, generic `for` state): no tail
    /// calls while there are any, as in Lua.
    tbc: u32,
    /// Highest pc a jump has been patched to; the code must have an instruction there.
    last_target: usize,
}

impl<'a> FuncState<'a> {
    fn new(
        ast: &'a ast::Function,
        index: usize,
        upvals: Vec<UpvalSlot>,
        upval_sources: Vec<UpvalSource>,
    ) -> Self {
        FuncState {
            ast,
            index,
            code: Vec::new(),
            lines: Vec::new(),
            constants: Vec::new(),
            const_map: FastMap::default(),
            children: Vec::new(),
            upvals,
            upval_sources,
            upval_names: Vec::new(),
            locals: vec![LocalSlot::Unassigned; ast.locals.len()],
            active: Vec::new(),
            nvars: 0,
            free: 0,
            max_regs: 0,
            blocks: Vec::new(),
            loops: Vec::new(),
            labels: (0..ast.num_labels).map(|_| LabelState::default()).collect(),
            debug_locals: Vec::new(),
            line: ast.line,
            tbc: 0,
            last_target: 0,
        }
    }
}

/// The code generator for one chunk.
pub(crate) struct Gen<'a> {
    strings: &'a Strings,
    /// Formatted chunk name, for messages.
    source: &'a str,
    functions: Vec<Function>,
    debug: Vec<FunctionDebug>,
    pool: Vec<Constant>,
    pool_map: FastMap<ConstKey, u32>,
    fs: FuncState<'a>,
    /// Enclosing functions of `fs`, innermost last.
    parents: Vec<FuncState<'a>>,
    /// Explicit stack for walking long left-deep chains (`a.b.c`, `f()()`, `a+b+c`)
    /// without recursion; each walk pops back to where it started.
    spine: Vec<&'a ast::Expr>,
}

/// Compiles a parsed chunk into a module whose function 0 is the main chunk.
pub(crate) fn generate(chunk: &Chunk) -> Result<Module, CompileError> {
    let main = &chunk.main;
    // The main chunk's upvalues: `_ENV` (number 0) is the globals table.
    let upvals = (0..main.upvalues.len()).map(|i| UpvalSlot::Index(i as u8)).collect();
    let sources = main.upvalues.iter().map(|_| UpvalSource::Globals).collect();
    let mut g = Gen {
        strings: &chunk.strings,
        source: &chunk.source,
        functions: vec![Function::default()],
        debug: vec![FunctionDebug::default()],
        pool: Vec::new(),
        pool_map: FastMap::default(),
        fs: FuncState::new(main, 0, upvals, sources),
        parents: Vec::new(),
        spine: Vec::new(),
    };
    g.fs.upval_names = main.upvalues.iter().map(|u| g.name(u.name)).collect();
    g.function_body()?;
    let fs = std::mem::replace(&mut g.fs, FuncState::new(main, 0, Vec::new(), Vec::new()));
    g.finish_function(fs, None);
    Ok(Module {
        flags: 0,
        constants: g.pool,
        functions: g.functions,
        imports: Vec::new(),
        exports: Vec::new(),
        entry: Some(0),
        debug: Some(tarn_bytecode::module::DebugInfo { source: chunk.source.clone(), functions: g.debug }),
        custom: Vec::new(),
    })
}

impl<'a> Gen<'a> {
    // ---- errors ----

    fn error(&self, kind: ErrorKind, msg: &str) -> CompileError {
        CompileError::new(kind, self.source, self.fs.line, msg, None)
    }

    /// A broken invariant of the tree or the generator: never expected, but reported
    /// rather than panicking.
    fn internal(&self, what: &str) -> CompileError {
        self.error(ErrorKind::Semantic, &format!("internal compiler error: {what}"))
    }

    /// Lua's `errorlimit` wording.
    fn limit_error(&self, what: &str, limit: usize) -> CompileError {
        let line = self.fs.ast.line;
        let place = if line == 0 { "main function".to_string() } else { format!("function at line {line}") };
        self.error(ErrorKind::Limit, &format!("too many {what} (limit is {limit}) in {place}"))
    }

    fn name(&self, id: StrId) -> String {
        String::from_utf8_lossy(self.strings.get(id)).into_owned()
    }

    // ---- emitting ----

    fn pc(&self) -> usize {
        self.fs.code.len()
    }

    /// Emits `instr` with the current line; returns its pc.
    fn emit(&mut self, instr: Instr) -> R<usize> {
        self.emit_at(instr, self.fs.line)
    }

    fn emit_at(&mut self, instr: Instr, line: u32) -> R<usize> {
        let pc = self.fs.code.len();
        if pc >= limits::MAX_CODE_LEN - 1 {
            return Err(self.limit_error("instructions", limits::MAX_CODE_LEN));
        }
        self.fs.code.push(instr);
        self.fs.lines.push(line);
        Ok(pc)
    }

    /// Emits a `jmp` whose target is patched later.
    fn jmp(&mut self) -> R<usize> {
        self.emit(Instr::Jmp { target: UNPATCHED })
    }

    /// Points the jump at `pc` to `target`.
    fn patch(&mut self, pc: usize, target: usize) -> R<()> {
        let Some(jump) = Jump::between(pc, target) else { return Err(self.internal("jump out of range")) };
        let Some(instr) = self.fs.code.get_mut(pc) else {
            return Err(self.internal("patching a missing jump"));
        };
        // Every jump instruction has exactly one jump operand.
        let _ = instr.map_operands(|_, v| match v {
            OperandValue::Jump(_) => OperandValue::Jump(jump),
            other => other,
        });
        self.fs.last_target = self.fs.last_target.max(target);
        Ok(())
    }

    fn patch_here(&mut self, pc: usize) -> R<()> {
        self.patch(pc, self.pc())
    }

    fn patch_all(&mut self, pcs: &[usize], target: usize) -> R<()> {
        for &pc in pcs {
            self.patch(pc, target)?;
        }
        Ok(())
    }

    // ---- constants ----

    /// The function's constant index for `k`, added (and pooled) if new.
    fn constant(&mut self, k: ConstVal) -> R<u16> {
        let key = k.key();
        if let Some(&i) = self.fs.const_map.get(&key) {
            return Ok(i);
        }
        let index = self.fs.constants.len();
        let Ok(index) = u16::try_from(index) else {
            return Err(self.limit_error("constants", limits::MAX_CONSTANTS));
        };
        let pool_index = match self.pool_map.get(&key) {
            Some(&p) => p,
            None => {
                if self.pool.len() >= limits::MAX_POOL {
                    return Err(self.limit_error("constants", limits::MAX_POOL));
                }
                let p = self.pool.len() as u32;
                self.pool.push(match k {
                    ConstVal::Nil => Constant::Nil,
                    ConstVal::Bool(b) => Constant::Bool(b),
                    ConstVal::Int(i) => Constant::Int(i),
                    ConstVal::Float(f) => Constant::Float(f),
                    ConstVal::Str(s) => Constant::Str(self.strings.get(s).to_vec()),
                });
                self.pool_map.insert(key, p);
                p
            }
        };
        self.fs.constants.push(pool_index);
        self.fs.const_map.insert(key, index);
        Ok(index)
    }

    fn str_const(&mut self, s: StrId) -> R<tarn_bytecode::Const> {
        Ok(tarn_bytecode::Const(self.constant(ConstVal::Str(s))?))
    }

    // ---- registers ----

    /// Takes `n` registers from the top; returns the first.
    fn reserve(&mut self, n: usize) -> R<u8> {
        let first = self.fs.free;
        let end = usize::from(first) + n;
        if end > limits::MAX_REGISTERS {
            return Err(self.error(ErrorKind::Limit, TOO_MANY_REGISTERS));
        }
        self.fs.free = end as u8;
        self.fs.max_regs = self.fs.max_regs.max(end as u8);
        Ok(first)
    }

    /// Makes sure the frame has at least `n` registers (for instructions that use
    /// registers above the ones they name).
    fn ensure_regs(&mut self, n: usize) -> R<()> {
        if n > limits::MAX_REGISTERS {
            return Err(self.error(ErrorKind::Limit, TOO_MANY_REGISTERS));
        }
        self.fs.max_regs = self.fs.max_regs.max(n as u8);
        Ok(())
    }

    /// Releases `r` if it is the topmost temporary (locals are never released here).
    fn free_reg(&mut self, r: u8) {
        if r >= self.fs.nvars && r.wrapping_add(1) == self.fs.free {
            self.fs.free = r;
        }
    }

    /// Releases two temporaries, the higher first.
    fn free_regs(&mut self, a: u8, b: u8) {
        self.free_reg(a.max(b));
        self.free_reg(a.min(b));
    }

    // ---- locals and scopes ----

    /// Brings local `id` into scope in register `reg`.
    fn activate(&mut self, id: LocalId, reg: u8) -> R<()> {
        let Some(info) = self.fs.ast.local(id) else { return Err(self.internal("unknown local")) };
        let closable = info.captured || info.attrib == ast::Attrib::Close;
        let name = self.name(info.name);
        match self.fs.locals.get_mut(id.0 as usize) {
            Some(slot) => *slot = LocalSlot::Reg(reg),
            None => return Err(self.internal("unknown local")),
        }
        self.push_active(name, reg, closable);
        Ok(())
    }

    /// Marks `reg` as occupied by a variable named `name` (a local or hidden state).
    fn push_active(&mut self, name: String, reg: u8, closable: bool) {
        let pc = self.pc() as u32;
        self.fs.debug_locals.push(LocalInfo { name, register: reg, start_pc: pc, end_pc: pc });
        let debug = self.fs.debug_locals.len() - 1;
        self.fs.active.push(ActiveVar { reg, closable, debug });
        self.fs.nvars = self.fs.nvars.max(reg + 1);
        self.fs.free = self.fs.free.max(self.fs.nvars);
    }

    fn enter_block(&mut self) {
        let ctx = BlockCtx { nactive: self.fs.active.len(), level: self.fs.nvars, tbc: self.fs.tbc };
        self.fs.blocks.push(ctx);
    }

    /// Leaves the innermost block: its variables go out of scope, and if `close` is set
    /// their upvalues are closed.
    fn leave_block(&mut self, close: bool) -> R<()> {
        let Some(ctx) = self.fs.blocks.pop() else { return Err(self.internal("unbalanced blocks")) };
        // A `close` right before (emitted by a label ending the block) already closed
        // everything, unless some jump lands after it.
        let just_closed = matches!(self.fs.code.last(), Some(Instr::Close { from }) if from.0 == ctx.level)
            && self.fs.last_target < self.pc();
        // (`close` is only asked for when the block has a captured or to-be-closed
        // local; one folded into a constant has no register and needs none.)
        if close && !just_closed && self.closable_above(ctx.level) {
            self.emit(Instr::Close { from: tarn_bytecode::Reg(ctx.level) })?;
        }
        self.end_scope(ctx.nactive);
        self.fs.nvars = ctx.level;
        self.fs.free = ctx.level;
        self.fs.tbc = ctx.tbc;
        Ok(())
    }

    /// Ends the scope of active variables from index `nactive` on.
    fn end_scope(&mut self, nactive: usize) {
        let pc = self.pc() as u32;
        for v in self.fs.active.drain(nactive..) {
            if let Some(d) = self.fs.debug_locals.get_mut(v.debug) {
                d.end_pc = pc;
            }
        }
    }

    /// Whether a variable at or above register `level` needs closing.
    fn closable_above(&self, level: u8) -> bool {
        self.fs.active.iter().rev().take_while(|v| v.reg >= level).any(|v| v.closable)
    }

    // ---- functions ----

    /// Compiles a nested function; returns its index among the current function's
    /// children (the `closure` operand).
    fn child_function(&mut self, f: &'a ast::Function, name: Option<String>) -> R<u16> {
        let Ok(child_slot) = u16::try_from(self.fs.children.len()) else {
            return Err(self.limit_error("functions", limits::MAX_CHILDREN));
        };
        if self.functions.len() >= limits::MAX_FUNCTIONS {
            return Err(self.limit_error("functions", limits::MAX_FUNCTIONS));
        }
        let index = self.functions.len();
        self.functions.push(Function::default());
        self.debug.push(FunctionDebug::default());
        self.fs.children.push(index as u32);

        // Where each upvalue comes from in this (the parent) function.
        let mut upvals = Vec::with_capacity(f.upvalues.len());
        let mut sources = Vec::with_capacity(f.upvalues.len());
        let mut names = Vec::with_capacity(f.upvalues.len());
        for u in &f.upvalues {
            let slot = match u.source {
                ast::UpvalSource::ParentLocal(id) => match self.fs.locals.get(id.0 as usize) {
                    Some(LocalSlot::Reg(r)) => Ok(UpvalSource::ParentRegister(*r)),
                    Some(LocalSlot::Const(c)) => Err(*c),
                    Some(LocalSlot::Unassigned) | None => {
                        return Err(self.internal("closure captures an unplaced local"))
                    }
                },
                ast::UpvalSource::ParentUpvalue(p) => match self.fs.upvals.get(p.0 as usize) {
                    Some(UpvalSlot::Index(i)) => Ok(UpvalSource::ParentUpval(*i)),
                    Some(UpvalSlot::Const(c)) => Err(*c),
                    None => return Err(self.internal("unknown parent upvalue")),
                },
                ast::UpvalSource::Env => Ok(UpvalSource::Globals),
            };
            match slot {
                Ok(source) => {
                    upvals.push(UpvalSlot::Index(sources.len() as u8));
                    sources.push(source);
                    names.push(self.name(u.name));
                }
                Err(c) => upvals.push(UpvalSlot::Const(c)),
            }
        }
        let mut fs = FuncState::new(f, index, upvals, sources);
        fs.upval_names = names;
        let parent = std::mem::replace(&mut self.fs, fs);
        self.parents.push(parent);
        let result = self.function_body();
        let Some(parent) = self.parents.pop() else {
            return Err(self.internal("lost the enclosing function"));
        };
        let child = std::mem::replace(&mut self.fs, parent);
        result?;
        self.finish_function(child, name);
        Ok(child_slot)
    }

    /// Compiles the current function's parameters and body.
    fn function_body(&mut self) -> R<()> {
        let f = self.fs.ast;
        self.enter_block();
        for i in 0..f.num_params {
            let r = self.reserve(1)?;
            self.activate(LocalId(i), r)?;
        }
        self.stats(&f.body.stats, true)?;
        // The last line of the function, for the final return.
        self.fs.line = if f.end_line != 0 { f.end_line } else { self.fs.line };
        let needs_return = match self.fs.code.last() {
            None => true,
            Some(last) => last.falls_through() || self.fs.last_target >= self.fs.code.len(),
        };
        if needs_return {
            // `return r0, 0` names r0, so the frame needs a register (verifier fact V11).
            self.ensure_regs(1)?;
            self.emit(Instr::Return { first: tarn_bytecode::Reg(0), count: tarn_bytecode::VarCount(0) })?;
        }
        let Some(ctx) = self.fs.blocks.pop() else { return Err(self.internal("unbalanced blocks")) };
        self.end_scope(ctx.nactive);
        Ok(())
    }

    /// Stores a finished function and its debug information at its index.
    fn finish_function(&mut self, fs: FuncState<'a>, name: Option<String>) {
        let f = fs.ast;
        let function = Function {
            num_params: f.num_params.min(255) as u8,
            is_vararg: f.is_vararg,
            num_registers: fs.max_regs,
            upvalues: fs.upval_sources,
            constants: fs.constants,
            children: fs.children,
            code: fs.code,
        };
        let debug = FunctionDebug {
            name,
            line_defined: f.line,
            last_line: f.end_line,
            lines: fs.lines,
            locals: fs.debug_locals,
            upvalue_names: fs.upval_names,
        };
        if let Some(slot) = self.functions.get_mut(fs.index) {
            *slot = function;
        }
        if let Some(slot) = self.debug.get_mut(fs.index) {
            *slot = debug;
        }
    }
}
