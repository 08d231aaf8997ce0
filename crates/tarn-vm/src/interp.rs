//! The interpreter loop.
//!
//! Lua-to-Lua calls never recurse on the Rust stack: a call pushes a [`Frame`] onto the
//! VM's frame stack and the loop carries on with the callee; a return pops it. So a
//! running program can stop before any instruction (fuel, later breakpoints and
//! preemption) and continue from the frames alone.
//!
//! Rules every instruction's code follows:
//!
//! 1. **Save the pc before anything that can fail or call.** Errors and tracebacks read
//!    the pc from the frame, and a call resumes the caller from it. The loop keeps the
//!    next instruction's address (`ip`) in a local; `save_pc!` writes it back (as an
//!    index), on those paths only.
//! 2. **Re-derive state after anything that can call.** A call may push frames, grow
//!    (reallocate) the stack, run host code or spend fuel. `tri!` `refresh!`es the
//!    register pointer after every call; a call that pushed or popped a
//!    frame re-enters `'frame`, which reloads base, code and constants from the frame on
//!    top.
//! 3. **Registers are addressed from `regs`, a pointer to register 0.** The verifier proves
//!    every register operand is below the function's register count (facts in
//!    `tarn_bytecode::verify`), and a frame is only pushed once the stack holds `base +
//!    num_registers` slots. So register, constant, slot-hint and instruction accesses skip
//!    their bounds checks (each `unsafe` cites its facts; docs/unsafe.md has the
//!    measurements); the `paranoid` feature restores them.
//! 4. **Fast paths inline, slow paths cold.** Integer and float arithmetic, comparisons
//!    and table accesses of the common kinds are handled in the loop; everything else
//!    (coercions, errors, metamethods) goes to a `#[cold]` `…_slow` method. A slow path
//!    reads its operands from the registers again instead of taking the fast path's
//!    copies, which would force them into memory (docs/performance.md). Numbers are
//!    matched by reference and each kind stored in its own arm, so floats stay in
//!    floating-point registers; a value read out of a table is copied whole into its
//!    register, so a later whole-value read can be forwarded from that store.
//! 5. **Fuel is charged per instruction**, before it runs, so the count is deterministic
//!    and an exhausted budget stops exactly before an instruction, ready to resume.
//!    The same check is the only cost of debug hooks: while one is set the fuel is held
//!    back and the loop's counter stays at zero, so every instruction takes the cold
//!    path in `hook`, which runs the hooks and charges the held fuel.

use std::cell::Cell;
use std::sync::Arc;

use tarn_bytecode::module::UpvalSource;
use tarn_bytecode::{Instr, Reg};

use crate::call::Cont;
use crate::error::{ErrorKind, RuntimeError};
use crate::heap::Heap;
use crate::heap::{Proto, Upvalue};
use crate::meta::{Event, Step};
use crate::number;
use crate::value::{ClosureRef, Gc, Value};
use crate::vm::Vm;

/// The prototype and upvalue list of a frame's closure, kept in the frame so that a
/// return resumes the caller without looking its closure up in the arena again (a
/// bounds check, a liveness check and two dependent loads per return). They are derived
/// from the frame's closure when the frame is pushed and never change after.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrameCode {
    pub(crate) proto: *const Proto,
    pub(crate) upvals: *const Cell<Gc<Upvalue>>,
}

// SAFETY: the two addresses point into data owned by the frame's closure (its `Arc`'d
// prototype and its boxed upvalue list), which belongs to the same `Vm` as the frame.
// They are only dereferenced by the interpreter, through `&mut Vm`, so moving the `Vm`
// to another thread moves them with what they point to and nothing is shared.
unsafe impl Send for FrameCode {}

/// Arithmetic and bitwise operators, for the shared slow path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
}

impl ArithOp {
    fn is_bitwise(self) -> bool {
        matches!(
            self,
            ArithOp::BAnd | ArithOp::BOr | ArithOp::BXor | ArithOp::Shl | ArithOp::Shr | ArithOp::BNot
        )
    }

    /// The event name Lua uses in "attempt to add a 'string' with a 'number'".
    fn event(self) -> &'static str {
        match self {
            ArithOp::Add => "add",
            ArithOp::Sub => "sub",
            ArithOp::Mul => "mul",
            ArithOp::Div => "div",
            ArithOp::Mod => "mod",
            ArithOp::Pow => "pow",
            ArithOp::IDiv => "idiv",
            ArithOp::BAnd => "band",
            ArithOp::BOr => "bor",
            ArithOp::BXor => "bxor",
            ArithOp::Shl => "shl",
            ArithOp::Shr => "shr",
            ArithOp::Unm => "unm",
            ArithOp::BNot => "bnot",
        }
    }
}

/// Comparison operators, for the shared slow path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
}

/// Why an arithmetic operation failed, before it is turned into a message.
enum ArithFailure {
    /// An operand is not a number (index 0 or 1).
    NotNumber(usize),
    /// A string operand does not convert.
    BadString,
    /// A float operand (index 0 or 1) has no integer value.
    NoIntegerRep(usize),
    DivideByZero,
    ModByZero,
}

/// Numeric value of an arithmetic operand, with Lua's string coercion.
fn to_number(vm: &Vm, v: Value) -> Option<Value> {
    match v {
        Value::Int(_) | Value::Float(_) => Some(v),
        Value::Str(s) => match number::parse_number(vm.heap.str(s).as_bytes())? {
            number::NumberValue::Int(i) => Some(Value::Int(i)),
            number::NumberValue::Float(f) => Some(Value::Float(f)),
        },
        _ => None,
    }
}

fn to_float(v: Value) -> f64 {
    match v {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        _ => f64::NAN,
    }
}

/// Integer value for a bitwise operand (floats must be integral; strings do not coerce).
fn to_bit_int(v: Value) -> Result<i64, Option<()>> {
    match v {
        Value::Int(i) => Ok(i),
        Value::Float(f) => number::float_to_int_exact(f).ok_or(Some(())),
        _ => Err(None),
    }
}

/// Full Lua semantics of a binary (or, with `b` ignored, unary) arithmetic operator.
fn arith(vm: &Vm, op: ArithOp, a: Value, b: Value) -> Result<Value, ArithFailure> {
    if op.is_bitwise() {
        let x = to_bit_int(a).map_err(|e| {
            if e.is_some() {
                ArithFailure::NoIntegerRep(0)
            } else {
                ArithFailure::NotNumber(0)
            }
        })?;
        let y = if op == ArithOp::BNot {
            0
        } else {
            to_bit_int(b).map_err(|e| {
                if e.is_some() {
                    ArithFailure::NoIntegerRep(1)
                } else {
                    ArithFailure::NotNumber(1)
                }
            })?
        };
        return Ok(Value::Int(match op {
            ArithOp::BAnd => x & y,
            ArithOp::BOr => x | y,
            ArithOp::BXor => x ^ y,
            ArithOp::Shl => number::shift_left(x, y),
            ArithOp::Shr => number::shift_right(x, y),
            _ => !x,
        }));
    }
    let is_str = |v: Value| matches!(v, Value::Str(_));
    let x = match to_number(vm, a) {
        Some(x) => x,
        None if is_str(a) && (op == ArithOp::Unm || to_number(vm, b).is_some() || is_str(b)) => {
            return Err(ArithFailure::BadString)
        }
        None => return Err(ArithFailure::NotNumber(0)),
    };
    let y = if op == ArithOp::Unm {
        x
    } else {
        match to_number(vm, b) {
            Some(y) => y,
            None if is_str(b) => return Err(ArithFailure::BadString),
            None => return Err(ArithFailure::NotNumber(1)),
        }
    };
    if let (Value::Int(i), Value::Int(j)) = (x, y) {
        return Ok(Value::Int(match op {
            ArithOp::Add => i.wrapping_add(j),
            ArithOp::Sub => i.wrapping_sub(j),
            ArithOp::Mul => i.wrapping_mul(j),
            ArithOp::IDiv => number::int_idiv(i, j).ok_or(ArithFailure::DivideByZero)?,
            ArithOp::Mod => number::int_mod(i, j).ok_or(ArithFailure::ModByZero)?,
            ArithOp::Unm => i.wrapping_neg(),
            ArithOp::Div => return Ok(Value::Float(i as f64 / j as f64)),
            _ => return Ok(Value::Float((i as f64).powf(j as f64))),
        }));
    }
    let (f, g) = (to_float(x), to_float(y));
    Ok(Value::Float(match op {
        ArithOp::Add => f + g,
        ArithOp::Sub => f - g,
        ArithOp::Mul => f * g,
        ArithOp::Div => f / g,
        ArithOp::Mod => number::float_mod(f, g),
        ArithOp::Pow => f.powf(g),
        ArithOp::IDiv => number::float_idiv(f, g),
        _ => -f,
    }))
}

impl Vm {
    /// `a op b` with Lua's numeric meaning and string coercion, no metamethods: `None`
    /// when the operands do not allow it (what the string metatable's arithmetic
    /// metamethods fall back on).
    pub(crate) fn arith_numeric(&self, op: ArithOp, a: Value, b: Value) -> Option<Value> {
        arith(self, op, a, b).ok()
    }
}

/// Every operator on two integers or two floats, the cases the loop handles inline.
/// `None` sends the operation to the slow path (coercions, mixed subtypes, errors).
/// Always inlined with a constant `op`, so each instruction keeps only its own arm.
#[inline(always)]
fn arith_fast(op: ArithOp, a: Value, b: Value) -> Option<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(match op {
            ArithOp::Add => Value::Int(x.wrapping_add(y)),
            ArithOp::Sub => Value::Int(x.wrapping_sub(y)),
            ArithOp::Mul => Value::Int(x.wrapping_mul(y)),
            ArithOp::IDiv => Value::Int(number::int_idiv(x, y)?),
            ArithOp::Mod => Value::Int(number::int_mod(x, y)?),
            ArithOp::Div => Value::Float(x as f64 / y as f64),
            ArithOp::Pow => Value::Float((x as f64).powf(y as f64)),
            ArithOp::BAnd => Value::Int(x & y),
            ArithOp::BOr => Value::Int(x | y),
            ArithOp::BXor => Value::Int(x ^ y),
            ArithOp::Shl => Value::Int(number::shift_left(x, y)),
            ArithOp::Shr => Value::Int(number::shift_right(x, y)),
            ArithOp::Unm => Value::Int(x.wrapping_neg()),
            ArithOp::BNot => Value::Int(!x),
        }),
        (Value::Float(x), Value::Float(y)) => float_arith(op, x, y),
        // Mixed operands are floats in Lua arithmetic (bitwise operators go slow).
        (Value::Int(x), Value::Float(y)) => float_arith(op, x as f64, y),
        (Value::Float(x), Value::Int(y)) => float_arith(op, x, y as f64),
        _ => None,
    }
}

/// The operators `arith!` works out inline on two floats: those that cannot fail and
/// need no library call.
#[inline(always)]
fn float_inline(op: ArithOp) -> bool {
    matches!(op, ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::Div | ArithOp::Unm)
}

/// `float_inline`'s operators. Always inlined with a constant `op`.
#[inline(always)]
fn float_op(op: ArithOp, x: f64, y: f64) -> f64 {
    match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div => x / y,
        // `Unm`: `float_inline` keeps every other operator away.
        _ => -x,
    }
}

/// The operators `arith!` works out inline on two integers: those with an integer
/// result that cannot fail.
#[inline(always)]
fn int_inline(op: ArithOp) -> bool {
    !matches!(op, ArithOp::Div | ArithOp::Pow | ArithOp::IDiv | ArithOp::Mod)
}

/// `int_inline`'s operators. Always inlined with a constant `op`.
#[inline(always)]
fn int_op(op: ArithOp, x: i64, y: i64) -> i64 {
    match op {
        ArithOp::Add => x.wrapping_add(y),
        ArithOp::Sub => x.wrapping_sub(y),
        ArithOp::Mul => x.wrapping_mul(y),
        ArithOp::BAnd => x & y,
        ArithOp::BOr => x | y,
        ArithOp::BXor => x ^ y,
        ArithOp::Shl => number::shift_left(x, y),
        ArithOp::Shr => number::shift_right(x, y),
        ArithOp::Unm => x.wrapping_neg(),
        // `BNot`: `int_inline` keeps every other operator away.
        _ => !x,
    }
}

#[inline(always)]
fn float_arith(op: ArithOp, x: f64, y: f64) -> Option<Value> {
    Some(Value::Float(match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div => x / y,
        ArithOp::Mod => number::float_mod(x, y),
        ArithOp::Pow => x.powf(y),
        ArithOp::IDiv => number::float_idiv(x, y),
        ArithOp::Unm => -x,
        ArithOp::BAnd | ArithOp::BOr | ArithOp::BXor | ArithOp::Shl | ArithOp::Shr | ArithOp::BNot => {
            return None
        }
    }))
}

/// A table read on the fast path: the raw value when `t` is a table and either the value
/// is there or the table has no metatable; `None` sends the read to `index_slow`.
#[inline(always)]
fn fast_get(heap: &Heap, t: Value, get: impl FnOnce(&crate::heap::Table) -> Value) -> Option<Value> {
    match t {
        Value::Table(t) => {
            let table = heap.table(t);
            let v = get(table);
            if v.is_nil() && table.metatable.is_some() {
                None
            } else {
                Some(v)
            }
        }
        _ => None,
    }
}

/// A store to a field a table already has: raw whatever the metatable (`__newindex` is
/// only for absent keys) and needing no accounting. `false` sends the store to
/// `set_index`.
#[inline(always)]
fn replace_field(heap: &mut Heap, t: Value, k: Value, v: Value, hint: &crate::table::SlotHint) -> bool {
    match t {
        Value::Table(t) => heap.table_mut_in_place(t).replace_str_hinted(k, v, hint),
        _ => false,
    }
}

/// `t[k] = v` when it overwrites a value the table already holds (see
/// [`crate::table::Table::replace_existing`]); `false` sends the store to `set_index`.
#[inline(always)]
fn replace_existing(heap: &mut Heap, t: Value, k: Value, v: Value) -> bool {
    match t {
        Value::Table(t) => heap.table_mut_in_place(t).replace_existing(k, v),
        _ => false,
    }
}

/// The message for a numeric `for` operand that is not a number.
fn for_error(what: &str, v: Value) -> String {
    format!("bad 'for' {what} (number expected, got {})", v.type_name())
}

impl Vm {
    /// Runs until the frame at `entry_depth` returns. See the module rules. Errors are
    /// caught by the innermost protected frame above `entry_depth`, if any.
    pub(crate) fn execute(&mut self, entry_depth: usize) -> Result<(), RuntimeError> {
        loop {
            match self.run(entry_depth) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    if self.catch(e, entry_depth)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    // `refresh!` after a call is sometimes followed by another call that refreshes again.
    #[allow(unused_assignments)]
    fn run(&mut self, entry_depth: usize) -> Result<(), RuntimeError> {
        'frame: loop {
            // Only what most instructions use is loaded here; the rare ones read the frame.
            let Some(frame) = self.frames.last() else { return Ok(()) };
            let (mut closure, mut base, entry_pc) = (frame.closure, frame.base as usize, frame.pc as usize);
            // Register 0 of the frame, as a pointer kept in a local: indexing `self.stack`
            // loaded the vector's buffer pointer and `base` from memory for every operand
            // (6-9% of all instructions). It is derived again at frame entry and by
            // `refresh!` after anything that may reallocate the stack or write it through
            // the vector (every call, via `tri!`), so it always points into the current
            // buffer; debug builds check that on every use.
            #[cfg_attr(feature = "paranoid", allow(unused_variables))]
            let mut regs: *mut Value = self.stack.as_mut_ptr().wrapping_add(base);
            debug_assert!(self.frames.len() > entry_depth);
            // The frame's cached prototype and upvalue list (see `FrameCode`).
            let FrameCode { proto: proto_ptr, upvals } = frame.code;
            debug_assert!(std::ptr::eq(proto_ptr, Arc::as_ptr(&self.heap.closure(closure).proto)));
            // The running closure's upvalue list, kept like `proto` (see `upval!`).
            #[cfg_attr(feature = "paranoid", allow(unused_variables, unused_assignments))]
            let mut upvals: *const Cell<Gc<Upvalue>> = upvals;
            // SAFETY: the prototype is borrowed without holding `self` (cloning the
            // `Arc` instead costs an atomic increment and decrement per call and per
            // return: 18% of spectralnorm's time). `proto_ptr` is the frame's closure's
            // (`push_lua_frame` stores it with the closure; debug builds check it here
            // on every entry). It stays alive while this frame is on the frame stack:
            // the frame's closure is a collector root from there, it
            // owns an `Arc` of the prototype, and a closure's `proto` is never replaced.
            // The `Arc`'s allocation does not move when the closure arena grows. The
            // frame is only popped by this loop: `return` then leaves this iteration of
            // `'frame` before `proto` is used again, and a tail call replaces `proto`
            // (with the callee's, or restores the frame on failure) before using it;
            // errors leave the loop before the frame is unwound.
            let mut proto: &Proto = unsafe { &*proto_ptr };
            let mut code = &proto.code[..];
            let mut constants = &proto.constants[..];
            // The next instruction, as a pointer into `code`: one register instead of an
            // index and the code's address. The index is worked out from it only where
            // it is needed (saving the pc, slot hints, errors).
            let mut ip: *const Instr = code.as_ptr().wrapping_add(entry_pc);
            macro_rules! pc {
                () => {
                    (ip as usize).wrapping_sub(code.as_ptr() as usize) / std::mem::size_of::<Instr>()
                };
            }
            macro_rules! refresh {
                () => {
                    regs = self.stack.as_mut_ptr().wrapping_add(base);
                };
            }

            // Register access without a bounds check: 9% fewer instructions on the
            // numeric benchmarks (docs/unsafe.md). Built with the `paranoid` feature, the
            // check is back (for fuzzing).
            #[cfg(not(feature = "paranoid"))]
            macro_rules! reg {
                ($r:expr) => {
                    *{
                        #[cfg(debug_assertions)]
                        debug_assert!(
                            std::ptr::eq(regs, self.stack.as_mut_ptr().wrapping_add(base)),
                            "stale register pointer"
                        );
                        // SAFETY: V11: every register operand is < the function's register
                        // count; `push_lua_frame` makes the stack hold `base +
                        // num_registers` slots before the frame is pushed, the stack never
                        // shrinks, and a coroutine switch swaps the stack together with its
                        // frames. `regs` is `base` slots into the current buffer (see
                        // above), and nothing else borrows the stack while it is used.
                        unsafe { &mut *regs.add($r.0 as usize) }
                    }
                };
            }
            // Windows of registers (V18) addressed from a register operand.
            macro_rules! reg_at {
                ($r:expr, $offset:expr) => {
                    reg!(Reg($r.0 + $offset))
                };
            }
            #[cfg(feature = "paranoid")]
            macro_rules! reg {
                ($r:expr) => {
                    self.stack[base + $r.0 as usize]
                };
            }
            // Constant operands without a bounds check (docs/unsafe.md).
            #[cfg(not(feature = "paranoid"))]
            macro_rules! konst {
                ($k:expr) => {
                    // SAFETY: V12: every constant operand is < the function's constant
                    // count, and `constants` has one entry per constant (the loader
                    // builds it from the verified function's list).
                    *unsafe { constants.get_unchecked($k.0 as usize) }
                };
            }
            #[cfg(feature = "paranoid")]
            macro_rules! konst {
                ($k:expr) => {
                    constants[$k.0 as usize]
                };
            }
            // Upvalue handles of the running closure without a lookup or a bounds check.
            #[cfg(not(feature = "paranoid"))]
            macro_rules! upval {
                ($u:expr) => {
                    // SAFETY: V13: every upvalue operand is < the function's upvalue
                    // count, and a closure has one entry per upvalue of its prototype
                    // (`make_closure` and `load` build it so). `upvals` points at the
                    // running closure's list, read as `proto` is (a collector root while
                    // its frame runs; the boxed list is never replaced and does not move
                    // when the closure arena grows). Entries are only ever rebound
                    // through shared references, as cells.
                    unsafe { (*upvals.add($u.0 as usize)).get() }
                };
            }
            #[cfg(feature = "paranoid")]
            macro_rules! upval {
                ($u:expr) => {
                    self.heap.closure(closure).upvalues[$u.0 as usize].get()
                };
            }
            // The field-slot hint of the running instruction (`ip` is already past it).
            #[cfg(not(feature = "paranoid"))]
            macro_rules! hint {
                () => {
                    // SAFETY: `slot_hints` has one entry per instruction (the loader builds
                    // it from the code), and `pc!() - 1` indexes the instruction running,
                    // which was fetched without a check for the reasons given there.
                    unsafe { proto.slot_hints.get_unchecked(pc!() - 1) }
                };
            }
            #[cfg(feature = "paranoid")]
            macro_rules! hint {
                () => {
                    &proto.slot_hints[pc!() - 1]
                };
            }
            macro_rules! save_pc {
                () => {
                    if let Some(f) = self.frames.last_mut() {
                        f.pc = pc!() as u32;
                    }
                };
            }
            macro_rules! jump {
                ($j:expr) => {
                    ip = ip.wrapping_offset($j.0 as isize)
                };
            }
            macro_rules! fail {
                ($e:expr) => {{
                    save_pc!();
                    return Err($e);
                }};
            }
            macro_rules! tri {
                ($e:expr) => {
                    match $e {
                        Ok(v) => {
                            refresh!();
                            v
                        }
                        Err(e) => {
                            fail!(e)
                        }
                    }
                };
            }
            // The hit paths of a read or an overwrite by constant string key. The key's
            // tag is tested where it lies and only its handle travels on, and the miss
            // paths read the operands again (rule 4): a whole copy of either value
            // went through the stack on every access.
            // A field read by constant string key (`getfield`, `self`): the table's own
            // entry, then its `__index` chain of tables, then the general path. The miss
            // hands the metatable the first look found to the chain walk.
            // Writes `$dst`; a hit through the slot hint is copied whole from the table
            // (see `gettable`), and goes on to the next instruction.
            macro_rules! field_get {
                ($obj:expr, $key:expr, $from:expr, $dst:expr) => {{
                    let hint = hint!();
                    let chain = match ($obj, $key) {
                        (Value::Table(t), Value::Str(k)) => {
                            let table = self.heap.table(t);
                            if let Some(slot) = table.hinted_slot(k, hint) {
                                if !slot.is_nil() {
                                    reg!($dst) = *slot;
                                    continue;
                                }
                            }
                            let v = table.get_str_and_hint(Value::Str(k), hint);
                            if !v.is_nil() {
                                Some(v)
                            } else if let Some(mt) = table.metatable {
                                self.index_chain_get(mt, k, true, hint)
                            } else {
                                Some(Value::Nil)
                            }
                        }
                        // Strings go through their shared metatable (`s:byte(i)`).
                        (Value::Str(_), Value::Str(k)) => match self.string_metatable {
                            Some(mt) => self.index_chain_get(mt, k, false, hint),
                            None => None,
                        },
                        _ => None,
                    };
                    reg!($dst) = match chain {
                        Some(v) => v,
                        None => index_slow!($obj, $key, $from, $dst),
                    };
                }};
            }
            macro_rules! field_replace {
                ($t:expr, $k:expr, $v:expr, $hint:expr) => {
                    match ($t, $k) {
                        (Value::Table(t), Value::Str(k)) => {
                            self.heap.table_mut_in_place(t).replace_str_hinted(Value::Str(k), $v, $hint)
                        }
                        _ => false,
                    }
                };
            }
            // A read the fast paths could not finish, with the operands read again (rule
            // 4): `index_slow`, and `continue 'frame` when it called a metamethod.
            macro_rules! index_slow {
                ($t:expr, $k:expr, $from:expr, $dst:expr) => {{
                    save_pc!();
                    let (t, k): (Value, Value) = ($t, $k);
                    match tri!(self.index_slow(t, k, $from, base + $dst.0 as usize)) {
                        Some(v) => v,
                        None => continue 'frame,
                    }
                }};
            }
            // Enters the Lua function `c` whose frame was just pushed, with what
            // `push_lua_frame` returned: `continue 'frame` would look the frame and the
            // closure up again.
            macro_rules! enter {
                ($c:expr, $proto:expr, $upvals:expr, $base:expr) => {{
                    (closure, base, upvals) = ($c, $base, $upvals);
                    // SAFETY: as at frame entry: `$proto` is the prototype of `$c`, the
                    // closure of the frame on top, which keeps it alive while it runs.
                    proto = unsafe { &*$proto };
                    code = &proto.code[..];
                    constants = &proto.constants[..];
                    ip = code.as_ptr();
                    refresh!();
                    continue;
                }};
            }
            macro_rules! arith {
                ($dst:expr, $a:expr, $b:expr, $op:expr, $ra:expr, $rb:expr) => {{
                    // Two floats or two integers are worked out and stored in an arm of
                    // their own, the operands read through references so each is loaded
                    // straight into the unit that uses it. A `Value` result shared by the
                    // arms was one integer-register pair: every float crossed to an
                    // integer register and back, and every arm jumped to one store.
                    match (&$a, &$b) {
                        (Value::Float(x), Value::Float(y)) if float_inline($op) => {
                            let r = float_op($op, *x, *y);
                            reg!($dst) = Value::Float(r);
                        }
                        (Value::Int(x), Value::Int(y)) if int_inline($op) => {
                            let r = int_op($op, *x, *y);
                            reg!($dst) = Value::Int(r);
                        }
                        _ => arith_general!($dst, $a, $b, $op, $ra, $rb),
                    }
                }};
            }
            macro_rules! arith_general {
                ($dst:expr, $a:expr, $b:expr, $op:expr, $ra:expr, $rb:expr) => {{
                    let (a, b): (Value, Value) = ($a, $b);
                    reg!($dst) = match arith_fast($op, a, b) {
                        Some(v) => v,
                        None => {
                            save_pc!();
                            // The operands are read again rather than passed on, so the
                            // fast path's copies never need a memory home (keeping them
                            // in registers: 10-15% on numeric loops).
                            let (a, b): (Value, Value) = ($a, $b);
                            match tri!(self.arith_slow($op, a, b, $ra, $rb, base + $dst.0 as usize)) {
                                Some(v) => v,
                                None => continue 'frame,
                            }
                        }
                    };
                }};
            }
            macro_rules! compare {
                ($a:expr, $b:expr, $op:expr, $ra:expr, $rb:expr, $target:expr, $want:expr) => {{
                    // Operands read through references, as in `arith!`.
                    let holds = match (&$a, &$b) {
                        (Value::Int(x), Value::Int(y)) => {
                            if $op == CmpOp::Lt {
                                x < y
                            } else {
                                x <= y
                            }
                        }
                        (Value::Float(x), Value::Float(y)) => {
                            if $op == CmpOp::Lt {
                                x < y
                            } else {
                                x <= y
                            }
                        }
                        _ => {
                            save_pc!();
                            let (a, b): (Value, Value) = ($a, $b);
                            match tri!(self.compare_slow($op, a, b, $ra, $rb)) {
                                Some(holds) => holds,
                                None => continue 'frame,
                            }
                        }
                    };
                    if holds == $want {
                        jump!($target);
                    }
                }};
            }

            loop {
                // One decrement of `self.fuel` in memory and a branch on its sign (the
                // counter holds at most a slice of the fuel, far below 2^63). A copy in
                // a local was spilled to the stack by the register allocator anyway,
                // costing a load and a store more per instruction, and a write-back and
                // reload around every call.
                self.fuel = self.fuel.wrapping_sub(1);
                if (self.fuel as i64) < 0 {
                    self.fuel = 0;
                    let outcome = self.fuel_out_or_hook(pc!());
                    refresh!();
                    if let Err(e) = outcome {
                        if e.kind() == ErrorKind::OutOfFuel {
                            save_pc!();
                        }
                        return Err(e);
                    }
                    self.fuel -= 1;
                }
                #[cfg(not(feature = "paranoid"))]
                // SAFETY: V16 and V17: every jump lands inside the code and no path runs
                // off its end, so `ip` (the first instruction on entry, V10: code is not
                // empty; after a call, the instruction following it, which exists
                // because the last instruction does not fall through) always points at
                // an instruction of `code`.
                let instr: &Instr = unsafe { &*ip };
                #[cfg(feature = "paranoid")]
                let instr: &Instr = &code[pc!()];
                ip = ip.wrapping_add(1);
                match *instr {
                    Instr::Nop {} => {}
                    Instr::Move { dst, src } => reg!(dst) = reg!(src),
                    Instr::LoadNil { dst, count } => {
                        let start = base + dst.0 as usize;
                        self.stack[start..start + count.0 as usize].fill(Value::Nil);
                        refresh!();
                    }
                    Instr::LoadTrue { dst } => reg!(dst) = Value::Bool(true),
                    Instr::LoadFalse { dst } => reg!(dst) = Value::Bool(false),
                    Instr::LoadInt { dst, value } => reg!(dst) = Value::Int(i64::from(value.0)),
                    Instr::LoadFloat { dst, value } => reg!(dst) = Value::Float(f64::from(value.0)),
                    Instr::LoadK { dst, constant } => reg!(dst) = konst!(constant),

                    Instr::GetUpval { dst, upval } => {
                        let u = upval!(upval);
                        reg!(dst) = self.upvalue_get(u);
                    }
                    Instr::SetUpval { upval, src } => {
                        let v = reg!(src);
                        let u = upval!(upval);
                        self.upvalue_set(u, v);
                        refresh!();
                    }
                    Instr::GetTabUp { dst, upval, key } => {
                        let u = upval!(upval);
                        let t = self.upvalue_get(u);
                        let k = konst!(key);
                        let hint = hint!();
                        // A hit is copied whole from the table (see `gettable`).
                        if let (Value::Table(env), Value::Str(name)) = (t, k) {
                            if let Some(slot) = self.heap.table(env).hinted_slot(name, hint) {
                                if !slot.is_nil() {
                                    reg!(dst) = *slot;
                                    continue;
                                }
                            }
                        }
                        // The latest hint was tried above: the miss path starts after it.
                        reg!(dst) = match fast_get(&self.heap, t, |t| t.get_str_and_hint(k, hint)) {
                            Some(v) => v,
                            None => index_slow!(t, k, Operand::Upvalue(upval.0), dst),
                        };
                    }
                    Instr::SetTabUp { upval, key, src } => {
                        let u = upval!(upval);
                        let t = self.upvalue_get(u);
                        let (k, v) = (konst!(key), reg!(src));
                        if replace_field(&mut self.heap, t, k, v, hint!()) {
                            continue;
                        }
                        save_pc!();
                        if tri!(self.set_index(t, k, v, Operand::Upvalue(upval.0))) {
                            continue 'frame;
                        }
                    }
                    Instr::GetImport { dst, import } => reg!(dst) = proto.imports[import.0 as usize],

                    Instr::NewTable { dst, array_hint, hash_hint } => {
                        save_pc!();
                        if self.gc_due() {
                            tri!(self.gc_safe_point());
                        }
                        let t = tri!(self
                            .heap
                            .new_table(array_hint.0 as usize, hash_hint.0 as usize)
                            .map_err(RuntimeError::from));
                        reg!(dst) = Value::Table(t);
                    }
                    Instr::GetTable { dst, table, key } => {
                        // An integer key, the common case, tested where it lies; every
                        // other path reads the operands again (rule 4).
                        let hit = match (reg!(table), reg!(key)) {
                            (Value::Table(t), Value::Int(i)) => {
                                let table = self.heap.table(t);
                                // An array hit is copied slot to register whole: a copy
                                // through a `Value` local wrote the register as two
                                // words, and the next whole-value read of it (a `move`,
                                // a table store) then waited for both stores to retire
                                // instead of being forwarded from them.
                                if let Some(slot) = table.array_slot(i) {
                                    if !slot.is_nil() || table.metatable.is_none() {
                                        reg!(dst) = *slot;
                                        continue;
                                    }
                                }
                                let v = table.get_int(i);
                                if v.is_nil() && table.metatable.is_some() {
                                    None
                                } else {
                                    Some(v)
                                }
                            }
                            _ => None,
                        };
                        reg!(dst) = match hit {
                            Some(v) => v,
                            None => {
                                let (t, k) = (reg!(table), reg!(key));
                                match fast_get(&self.heap, t, |t| t.get(k)) {
                                    Some(v) => v,
                                    None => {
                                        index_slow!(reg!(table), reg!(key), Operand::Register(table), dst)
                                    }
                                }
                            }
                        };
                    }
                    Instr::GetField { dst, table, key } => {
                        field_get!(reg!(table), konst!(key), Operand::Register(table), dst);
                    }
                    Instr::GetIndex { dst, table, index } => {
                        let t = reg!(table);
                        // An array hit is copied whole (see `gettable`).
                        if let Value::Table(t) = t {
                            let table = self.heap.table(t);
                            if let Some(slot) = table.array_slot(i64::from(index.0)) {
                                if !slot.is_nil() || table.metatable.is_none() {
                                    reg!(dst) = *slot;
                                    continue;
                                }
                            }
                        }
                        let k = Value::Int(i64::from(index.0));
                        reg!(dst) = match fast_get(&self.heap, t, |t| t.get_int(i64::from(index.0))) {
                            Some(v) => v,
                            None => index_slow!(t, k, Operand::Register(table), dst),
                        };
                    }
                    Instr::SetTable { table, key, src } => {
                        // As in `gettable`: an integer key inline, the rest re-read.
                        let stored = match (reg!(table), reg!(key)) {
                            (Value::Table(t), Value::Int(i)) => {
                                let table = self.heap.table_mut_in_place(t);
                                // An existing key, or the next one of an array with room.
                                table.replace_existing(Value::Int(i), reg!(src))
                                    || table.append_in_place(i, reg!(src))
                            }
                            (Value::Table(t), Value::Str(k)) => {
                                self.heap.table_mut_in_place(t).replace_existing(Value::Str(k), reg!(src))
                            }
                            _ => {
                                let (t, k, v) = (reg!(table), reg!(key), reg!(src));
                                replace_existing(&mut self.heap, t, k, v)
                            }
                        };
                        if stored {
                            continue;
                        }
                        save_pc!();
                        let (t, k, v) = (reg!(table), reg!(key), reg!(src));
                        if tri!(self.set_index(t, k, v, Operand::Register(table))) {
                            continue 'frame;
                        }
                    }
                    Instr::SetField { table, key, src } => {
                        if field_replace!(reg!(table), konst!(key), reg!(src), hint!()) {
                            continue;
                        }
                        // An absent field (set to nil before, or new in a constructor):
                        // stored in place when that needs no new storage and no
                        // `__newindex` can apply, which the metatable's filter settles.
                        if let (Value::Table(t), Value::Str(k)) = (reg!(table), konst!(key)) {
                            let raw = match self.heap.table(t).metatable {
                                None => true,
                                Some(mt) => {
                                    !self.heap.table(mt).may_have_str(self.events.get(Event::NewIndex))
                                }
                            };
                            if raw && self.heap.table_mut_in_place(t).set_str_in_place(k, reg!(src), hint!())
                            {
                                continue;
                            }
                        }
                        save_pc!();
                        let (t, k, v) = (reg!(table), konst!(key), reg!(src));
                        if tri!(self.set_index(t, k, v, Operand::Register(table))) {
                            continue 'frame;
                        }
                    }
                    Instr::SetIndex { table, index, src } => {
                        let (t, v) = (reg!(table), reg!(src));
                        if replace_existing(&mut self.heap, t, Value::Int(i64::from(index.0)), v) {
                            continue;
                        }
                        save_pc!();
                        if tri!(self.set_index(
                            t,
                            Value::Int(i64::from(index.0)),
                            v,
                            Operand::Register(table)
                        )) {
                            continue 'frame;
                        }
                    }
                    Instr::SetList { table, count, start } => {
                        let first = base + table.0 as usize + 1;
                        let n = match count.get() {
                            Some(n) => n as usize,
                            None => self.top.saturating_sub(first),
                        };
                        let Value::Table(t) = reg!(table) else {
                            fail!(self.error_here("setlist on a non-table value"));
                        };
                        save_pc!();
                        self.debit_fuel(0, n);
                        // One accounting pass for the whole list, with the array part sized
                        // once (a `{f(), g()}` constructor does not know its length).
                        let values = &self.stack[first..first + n];
                        let start = i64::from(start.0);
                        tri!(self
                            .heap
                            .with_table(t, |t| t.set_list(start, values))
                            .map_err(RuntimeError::from));
                    }
                    Instr::SelfField { dst, object, method } => {
                        reg!(Reg(dst.0 + 1)) = reg!(object);
                        field_get!(reg!(object), konst!(method), Operand::Register(object), dst);
                    }

                    Instr::Add { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Add, Some(lhs), Some(rhs))
                    }
                    Instr::Sub { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Sub, Some(lhs), Some(rhs))
                    }
                    Instr::Mul { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Mul, Some(lhs), Some(rhs))
                    }
                    Instr::Div { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Div, Some(lhs), Some(rhs))
                    }
                    Instr::Mod { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Mod, Some(lhs), Some(rhs))
                    }
                    Instr::Pow { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Pow, Some(lhs), Some(rhs))
                    }
                    Instr::IDiv { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::IDiv, Some(lhs), Some(rhs))
                    }
                    Instr::BAnd { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::BAnd, Some(lhs), Some(rhs))
                    }
                    Instr::BOr { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::BOr, Some(lhs), Some(rhs))
                    }
                    Instr::BXor { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::BXor, Some(lhs), Some(rhs))
                    }
                    Instr::Shl { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Shl, Some(lhs), Some(rhs))
                    }
                    Instr::Shr { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), reg!(rhs), ArithOp::Shr, Some(lhs), Some(rhs))
                    }

                    Instr::AddK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Add, Some(lhs), None)
                    }
                    Instr::SubK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Sub, Some(lhs), None)
                    }
                    Instr::MulK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Mul, Some(lhs), None)
                    }
                    Instr::DivK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Div, Some(lhs), None)
                    }
                    Instr::ModK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Mod, Some(lhs), None)
                    }
                    Instr::PowK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::Pow, Some(lhs), None)
                    }
                    Instr::IDivK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::IDiv, Some(lhs), None)
                    }
                    Instr::BAndK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::BAnd, Some(lhs), None)
                    }
                    Instr::BOrK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::BOr, Some(lhs), None)
                    }
                    Instr::BXorK { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), konst!(rhs), ArithOp::BXor, Some(lhs), None)
                    }
                    Instr::AddI { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), Value::Int(i64::from(rhs.0)), ArithOp::Add, Some(lhs), None)
                    }
                    Instr::ShlI { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), Value::Int(i64::from(rhs.0)), ArithOp::Shl, Some(lhs), None)
                    }
                    Instr::ShrI { dst, lhs, rhs } => {
                        arith!(dst, reg!(lhs), Value::Int(i64::from(rhs.0)), ArithOp::Shr, Some(lhs), None)
                    }

                    Instr::Unm { dst, src } => {
                        arith!(dst, reg!(src), reg!(src), ArithOp::Unm, Some(src), Some(src))
                    }
                    Instr::BNot { dst, src } => {
                        arith!(dst, reg!(src), reg!(src), ArithOp::BNot, Some(src), Some(src))
                    }
                    Instr::Not { dst, src } => reg!(dst) = Value::Bool(!reg!(src).is_truthy()),
                    Instr::Len { dst, src } => {
                        let v = reg!(src);
                        reg!(dst) = match v {
                            Value::Str(s) => Value::Int(self.heap.str(s).len() as i64),
                            Value::Table(t) if self.heap.table(t).metatable.is_none() => {
                                Value::Int(self.heap.table(t).len())
                            }
                            _ => {
                                save_pc!();
                                match tri!(self.len_slow(v, Operand::Register(src), base + dst.0 as usize)) {
                                    Some(v) => v,
                                    None => continue 'frame,
                                }
                            }
                        };
                    }
                    Instr::Concat { dst, first, count } => {
                        save_pc!();
                        if self.gc_due() {
                            tri!(self.gc_safe_point());
                        }
                        let start = base + first.0 as usize;
                        match tri!(self.concat_run(start, count.0 as usize)) {
                            Some(v) => reg!(dst) = v,
                            None => continue 'frame,
                        }
                    }

                    Instr::Jmp { target } => jump!(target),
                    Instr::JTrue { value, target } => {
                        if reg!(value).is_truthy() {
                            jump!(target);
                        }
                    }
                    Instr::JFalse { value, target } => {
                        if !reg!(value).is_truthy() {
                            jump!(target);
                        }
                    }
                    Instr::JEq { lhs, rhs, target } => {
                        let (a, b) = (reg!(lhs), reg!(rhs));
                        if a.raw_eq(b) {
                            jump!(target);
                        } else {
                            let h = self.eq_handler(a, b);
                            if !h.is_nil() {
                                save_pc!();
                                tri!(self.call_metamethod(h, &[a, b], Cont::Compare));
                                continue 'frame;
                            }
                        }
                    }
                    Instr::JNe { lhs, rhs, target } => {
                        let (a, b) = (reg!(lhs), reg!(rhs));
                        if !a.raw_eq(b) {
                            let h = self.eq_handler(a, b);
                            if !h.is_nil() {
                                save_pc!();
                                tri!(self.call_metamethod(h, &[a, b], Cont::Compare));
                                continue 'frame;
                            }
                            jump!(target);
                        }
                    }
                    Instr::JLt { lhs, rhs, target } => {
                        compare!(reg!(lhs), reg!(rhs), CmpOp::Lt, Some(lhs), Some(rhs), target, true)
                    }
                    Instr::JNlt { lhs, rhs, target } => {
                        compare!(reg!(lhs), reg!(rhs), CmpOp::Lt, Some(lhs), Some(rhs), target, false)
                    }
                    Instr::JLe { lhs, rhs, target } => {
                        compare!(reg!(lhs), reg!(rhs), CmpOp::Le, Some(lhs), Some(rhs), target, true)
                    }
                    Instr::JNle { lhs, rhs, target } => {
                        compare!(reg!(lhs), reg!(rhs), CmpOp::Le, Some(lhs), Some(rhs), target, false)
                    }
                    Instr::JEqK { lhs, rhs, target } => {
                        if reg!(lhs).raw_eq(konst!(rhs)) {
                            jump!(target);
                        }
                    }
                    Instr::JNeK { lhs, rhs, target } => {
                        if !reg!(lhs).raw_eq(konst!(rhs)) {
                            jump!(target);
                        }
                    }
                    Instr::JEqI { lhs, rhs, target } => {
                        if reg!(lhs).raw_eq(Value::Int(i64::from(rhs.0))) {
                            jump!(target);
                        }
                    }
                    Instr::JNeI { lhs, rhs, target } => {
                        if !reg!(lhs).raw_eq(Value::Int(i64::from(rhs.0))) {
                            jump!(target);
                        }
                    }
                    Instr::JLtI { lhs, rhs, target } => compare!(
                        reg!(lhs),
                        Value::Int(i64::from(rhs.0)),
                        CmpOp::Lt,
                        Some(lhs),
                        None,
                        target,
                        true
                    ),
                    Instr::JNltI { lhs, rhs, target } => compare!(
                        reg!(lhs),
                        Value::Int(i64::from(rhs.0)),
                        CmpOp::Lt,
                        Some(lhs),
                        None,
                        target,
                        false
                    ),
                    Instr::JLeI { lhs, rhs, target } => compare!(
                        reg!(lhs),
                        Value::Int(i64::from(rhs.0)),
                        CmpOp::Le,
                        Some(lhs),
                        None,
                        target,
                        true
                    ),
                    Instr::JNleI { lhs, rhs, target } => compare!(
                        reg!(lhs),
                        Value::Int(i64::from(rhs.0)),
                        CmpOp::Le,
                        Some(lhs),
                        None,
                        target,
                        false
                    ),
                    // a > imm  ⇔  imm < a
                    Instr::JGtI { lhs, rhs, target } => compare!(
                        Value::Int(i64::from(rhs.0)),
                        reg!(lhs),
                        CmpOp::Lt,
                        None,
                        Some(lhs),
                        target,
                        true
                    ),
                    Instr::JNgtI { lhs, rhs, target } => compare!(
                        Value::Int(i64::from(rhs.0)),
                        reg!(lhs),
                        CmpOp::Lt,
                        None,
                        Some(lhs),
                        target,
                        false
                    ),
                    Instr::JGeI { lhs, rhs, target } => compare!(
                        Value::Int(i64::from(rhs.0)),
                        reg!(lhs),
                        CmpOp::Le,
                        None,
                        Some(lhs),
                        target,
                        true
                    ),
                    Instr::JNgeI { lhs, rhs, target } => compare!(
                        Value::Int(i64::from(rhs.0)),
                        reg!(lhs),
                        CmpOp::Le,
                        None,
                        Some(lhs),
                        target,
                        false
                    ),

                    Instr::Call { func, args, results } => {
                        let func_slot = base + func.0 as usize;
                        let nargs = match args.get() {
                            Some(n) => n as usize,
                            None => self.top.saturating_sub(func_slot + 1),
                        };
                        save_pc!();
                        // A Lua callee, the common case, is pushed inline.
                        if let Value::Closure(c) = reg!(func) {
                            let (callee, callee_upvals, callee_base) = tri!(self.push_lua_frame(
                                c,
                                func_slot,
                                nargs,
                                results.0,
                                false,
                                Cont::Normal
                            ));
                            enter!(c, callee, callee_upvals, callee_base);
                        }
                        if tri!(self.begin_call_from(func_slot, nargs, results.0, Operand::Register(func))) {
                            continue 'frame;
                        }
                    }
                    Instr::TailCall { func, args } => {
                        let func_slot = base + func.0 as usize;
                        let nargs = match args.get() {
                            Some(n) => n as usize,
                            None => self.top.saturating_sub(func_slot + 1),
                        };
                        save_pc!();
                        if let Value::Closure(c) = reg!(func) {
                            // A Lua callee replaces this frame and is entered here, as
                            // `call` enters one.
                            let (callee, callee_upvals, callee_base) =
                                tri!(self.tail_call_lua(c, func_slot, nargs));
                            enter!(c, callee, callee_upvals, callee_base);
                        }
                        tri!(self.tail_call(func_slot, nargs, func));
                        if self.frames.len() <= entry_depth {
                            return Ok(());
                        }
                        continue 'frame;
                    }
                    Instr::Return { first, count } => {
                        if self.tbc.last().is_some_and(|&s| s as usize >= base) {
                            // Close this frame's to-be-closed variables first, one per
                            // pass: the return runs again when the handler is done.
                            ip = ip.wrapping_sub(1);
                            save_pc!();
                            tri!(self.close_next_tbc());
                            continue 'frame;
                        }
                        let start = base + first.0 as usize;
                        let n = match count.get() {
                            Some(n) => n as usize,
                            None => self.top.saturating_sub(start),
                        };
                        if tri!(self.return_from_frame(start, n)) {
                            return Ok(());
                        }
                        continue 'frame;
                    }
                    Instr::VarArg { dst, count } => {
                        let start = base + dst.0 as usize;
                        let (available, from) = self
                            .frames
                            .last()
                            .map_or((0, 0), |f| (f.num_varargs as usize, f.varargs_start as usize));
                        match count.get() {
                            Some(n) => {
                                let n = n as usize;
                                let copied = n.min(available);
                                self.stack.copy_within(from..from + copied, start);
                                self.stack[start + copied..start + n].fill(Value::Nil);
                                refresh!();
                            }
                            None => {
                                save_pc!();
                                tri!(self.ensure_stack(start + available));
                                self.debit_fuel(0, available);
                                self.stack.copy_within(from..from + available, start);
                                self.top = start + available;
                                refresh!();
                            }
                        }
                    }
                    Instr::Closure { dst, proto: index } => {
                        save_pc!();
                        if self.gc_due() {
                            tri!(self.gc_safe_point());
                        }
                        let child = proto.children[index.0 as usize].clone();
                        let c = tri!(self.make_closure(child, closure, base));
                        reg!(dst) = c;
                    }
                    Instr::Close { from } => {
                        let from = base + from.0 as usize;
                        if self.tbc.last().is_some_and(|&s| s as usize >= from) {
                            // As in `return`: one handler per pass, then run again.
                            ip = ip.wrapping_sub(1);
                            save_pc!();
                            tri!(self.close_next_tbc());
                            continue 'frame;
                        }
                        self.close_upvalues(from);
                        refresh!();
                    }
                    Instr::Tbc { var } => {
                        let v = reg!(var);
                        if v.is_truthy() {
                            if self.metamethod(v, Event::Close).is_nil() {
                                save_pc!();
                                fail!(self.error_here(&format!(
                                    "variable '{}' got a non-closable value",
                                    self.local_name(proto, pc!() - 1, var).unwrap_or_else(|| "?".into())
                                )))
                            }
                            self.tbc.push((base + var.0 as usize) as u32);
                        }
                    }

                    Instr::ForPrep { base: b, exit } => {
                        save_pc!();
                        let r = base + b.0 as usize;
                        if !tri!(self.for_prep(r)) {
                            jump!(exit);
                        }
                    }
                    Instr::ForLoop { base: b, body } => {
                        // The window b..=b+3 is in the frame (V18).
                        match (reg!(b), reg_at!(b, 1), reg_at!(b, 2)) {
                            (Value::Int(i), Value::Int(count), Value::Int(step)) => {
                                if count > 0 {
                                    let next = i.wrapping_add(step);
                                    reg!(b) = Value::Int(next);
                                    reg_at!(b, 1) = Value::Int(count - 1);
                                    reg_at!(b, 3) = Value::Int(next);
                                    jump!(body);
                                }
                            }
                            (Value::Float(i), Value::Float(limit), Value::Float(step)) => {
                                let next = i + step;
                                if if step > 0.0 { next <= limit } else { next >= limit } {
                                    reg!(b) = Value::Float(next);
                                    reg_at!(b, 3) = Value::Float(next);
                                    jump!(body);
                                }
                            }
                            // Only reachable by jumping to a forloop without its forprep.
                            _ => fail!(self.error_here("'for' loop state is not numeric")),
                        }
                    }
                    Instr::TForPrep { base: b, call } => {
                        let closing = base + b.0 as usize + 3;
                        if self.stack[closing].is_truthy() {
                            if self.metamethod(self.stack[closing], Event::Close).is_nil() {
                                save_pc!();
                                fail!(self.error_here("variable '(for state)' got a non-closable value"))
                            }
                            self.tbc.push(closing as u32);
                        }
                        jump!(call);
                    }
                    Instr::TForCall { base: b, results } => {
                        let r = base + b.0 as usize;
                        self.stack.copy_within(r..r + 3, r + 4);
                        save_pc!();
                        if tri!(self.begin_call_from(r + 4, 2, results.0, Operand::ForIterator)) {
                            continue 'frame;
                        }
                    }
                    Instr::TForLoop { base: b, body } => {
                        // The window b..=b+4 is in the frame (V18).
                        let v = reg_at!(b, 4);
                        if !v.is_nil() {
                            reg_at!(b, 2) = v;
                            jump!(body);
                        }
                    }
                }
            }
        }
    }

    fn make_closure(
        &mut self,
        child: Arc<Proto>,
        parent: ClosureRef,
        base: usize,
    ) -> Result<Value, RuntimeError> {
        let mut upvalues = Vec::with_capacity(child.upvalues.len());
        for source in child.upvalues.iter() {
            upvalues.push(match *source {
                UpvalSource::ParentRegister(r) => self.find_upvalue(base as u32 + u32::from(r))?,
                UpvalSource::ParentUpval(u) => self.heap.closure(parent).upvalues[u as usize].get(),
                UpvalSource::Globals => self.heap.new_upvalue(Upvalue::Closed(Value::Table(self.globals)))?,
            });
        }
        Ok(Value::Closure(self.heap.new_closure(child, upvalues)?))
    }

    /// Numeric `for` preparation (Lua 5.4): returns whether the loop runs at all.
    fn for_prep(&mut self, r: usize) -> Result<bool, RuntimeError> {
        let (init, limit, step) = (self.stack[r], self.stack[r + 1], self.stack[r + 2]);
        if let (Value::Int(i), Value::Int(s)) = (init, step) {
            if s == 0 {
                return Err(self.error_here("'for' step is zero"));
            }
            // The limit, clipped to an integer; `None` when the loop cannot run.
            let lim = match limit {
                Value::Int(l) => Some(l),
                Value::Float(f) => {
                    if f.is_nan() {
                        None
                    } else if s > 0 {
                        let fl = f.floor();
                        if fl >= 9.223_372_036_854_776e18 {
                            Some(i64::MAX)
                        } else if fl < -9.223_372_036_854_776e18 {
                            None
                        } else {
                            Some(fl as i64)
                        }
                    } else {
                        let c = f.ceil();
                        if c < -9.223_372_036_854_776e18 {
                            Some(i64::MIN)
                        } else if c >= 9.223_372_036_854_776e18 {
                            None
                        } else {
                            Some(c as i64)
                        }
                    }
                }
                other => return Err(self.error_here(&for_error("limit", other))),
            };
            let Some(l) = lim else { return Ok(false) };
            if (s > 0 && i > l) || (s < 0 && i < l) {
                return Ok(false);
            }
            // Iterations after the first, computed without overflow.
            let count = if s > 0 {
                (l as u64).wrapping_sub(i as u64) / s as u64
            } else {
                (i as u64).wrapping_sub(l as u64) / (s.unsigned_abs())
            };
            self.stack[r + 1] = Value::Int(count.min(i64::MAX as u64) as i64);
            self.stack[r + 3] = init;
            return Ok(true);
        }
        let num = |v: Value, what: &str, vm: &Vm| match v {
            Value::Int(i) => Ok(i as f64),
            Value::Float(f) => Ok(f),
            other => Err(vm.error_here(&for_error(what, other))),
        };
        let l = num(limit, "limit", self)?;
        let s = num(step, "step", self)?;
        let i = num(init, "initial value", self)?;
        if s == 0.0 {
            return Err(self.error_here("'for' step is zero"));
        }
        if if s > 0.0 { i > l } else { i < l } || l.is_nan() {
            return Ok(false);
        }
        self.stack[r] = Value::Float(i);
        self.stack[r + 1] = Value::Float(l);
        self.stack[r + 2] = Value::Float(s);
        self.stack[r + 3] = Value::Float(i);
        Ok(true)
    }

    /// `a op b` when the fast path did not apply: coercions, metamethods, errors.
    /// `Some` is the result; `None` means a handler runs whose result goes to `dst`.
    #[cold]
    fn arith_slow(
        &mut self,
        op: ArithOp,
        a: Value,
        b: Value,
        ra: Option<Reg>,
        rb: Option<Reg>,
        dst: usize,
    ) -> Result<Option<Value>, RuntimeError> {
        // Converting a string operand reads all of it.
        let text = |vm: &Vm, v: Value| if let Value::Str(s) = v { vm.heap.str(s).len() } else { 0 };
        let read = text(self, a) + text(self, b);
        self.debit_fuel(read, 0);
        let failure = match arith(self, op, a, b) {
            Ok(v) => return Ok(Some(v)),
            Err(failure) => failure,
        };
        if !matches!(failure, ArithFailure::DivideByZero | ArithFailure::ModByZero) {
            let h = self.arith_handler(op, a, b);
            if !h.is_nil() {
                return self.meta_result(h, [a, b], dst);
            }
        }
        Err(match failure {
            ArithFailure::NotNumber(i) => {
                let (v, r) = if i == 0 { (a, ra) } else { (b, rb) };
                let what =
                    if op.is_bitwise() { "perform bitwise operation on" } else { "perform arithmetic on" };
                self.operand_error(what, v, r.map_or(Operand::None, Operand::Register))
            }
            ArithFailure::BadString => {
                let second = if op == ArithOp::Unm { a } else { b };
                self.error_here(&format!(
                    "attempt to {} a '{}' with a '{}'",
                    op.event(),
                    a.type_name(),
                    second.type_name()
                ))
            }
            ArithFailure::NoIntegerRep(i) => {
                let r = if i == 0 { ra } else { rb };
                self.error_here(&match r.and_then(|r| self.describe_operand(Operand::Register(r))) {
                    Some(name) => format!("number ({name}) has no integer representation"),
                    None => "number has no integer representation".to_string(),
                })
            }
            ArithFailure::DivideByZero => self.error_here("attempt to divide by zero"),
            ArithFailure::ModByZero => self.error_here("attempt to perform 'n%0'"),
        })
    }

    /// Calls a value-producing handler for the running instruction; see `arith_slow`.
    fn meta_result(&mut self, h: Value, args: [Value; 2], dst: usize) -> Result<Option<Value>, RuntimeError> {
        if self.call_metamethod(h, &args, Cont::Store(dst as u32))? {
            Ok(None)
        } else {
            Ok(Some(self.stack[dst]))
        }
    }

    /// `a < b` or `a <= b` without metamethods, or the handler to call.
    pub(crate) fn compare_step(&mut self, op: CmpOp, a: Value, b: Value) -> Result<Step, RuntimeError> {
        let lt = op == CmpOp::Lt;
        let holds = match (a, b) {
            (Value::Int(i), Value::Float(f)) => {
                if lt {
                    number::int_lt_float(i, f)
                } else {
                    number::int_le_float(i, f)
                }
            }
            (Value::Float(f), Value::Int(i)) => {
                if lt {
                    number::float_lt_int(f, i)
                } else {
                    number::float_le_int(f, i)
                }
            }
            (Value::Int(x), Value::Int(y)) => {
                if lt {
                    x < y
                } else {
                    x <= y
                }
            }
            (Value::Float(x), Value::Float(y)) => {
                if lt {
                    x < y
                } else {
                    x <= y
                }
            }
            (Value::Str(x), Value::Str(y)) => {
                let read = self.heap.str(x).len().min(self.heap.str(y).len());
                self.debit_fuel(read, 0);
                let (x, y) = (self.heap.str(x).as_bytes(), self.heap.str(y).as_bytes());
                if lt {
                    x < y
                } else {
                    x <= y
                }
            }
            _ => {
                let h = self.binary_handler(if lt { Event::Lt } else { Event::Le }, a, b);
                if !h.is_nil() {
                    return Ok(Step::Call(h, [a, b]));
                }
                let (ta, tb) = (self.type_name_of(a), self.type_name_of(b));
                return Err(self.error_here(&if ta == tb {
                    format!("attempt to compare two {ta} values")
                } else {
                    format!("attempt to compare {ta} with {tb}")
                }));
            }
        };
        Ok(Step::Done(Value::Bool(holds)))
    }

    /// `Some(holds)`, or `None` when a handler was called: it decides the branch itself
    /// (see [`Cont::Compare`]) and the loop reloads the frame.
    #[cold]
    fn compare_slow(
        &mut self,
        op: CmpOp,
        a: Value,
        b: Value,
        _ra: Option<Reg>,
        _rb: Option<Reg>,
    ) -> Result<Option<bool>, RuntimeError> {
        match self.compare_step(op, a, b)? {
            Step::Done(v) => Ok(Some(v.is_truthy())),
            Step::Call(h, args) => {
                self.call_metamethod(h, &args, Cont::Compare)?;
                Ok(None)
            }
        }
    }

    /// `t[k]` past the fast path: `__index` chains and errors. See `arith_slow`.
    #[cold]
    fn index_slow(
        &mut self,
        t: Value,
        k: Value,
        from: Operand,
        dst: usize,
    ) -> Result<Option<Value>, RuntimeError> {
        match self.index_step(t, k, from)? {
            Step::Done(v) => Ok(Some(v)),
            Step::Call(h, args) => self.meta_result(h, args, dst),
        }
    }

    /// A tail call of the Lua function `c` at `func_slot`: the running frame gives way to
    /// the callee's, which inherits where its results go. Returns what
    /// [`Vm::push_lua_frame`] returns; the interpreter enters the callee with it.
    #[inline(always)]
    pub(crate) fn tail_call_lua(
        &mut self,
        c: ClosureRef,
        func_slot: usize,
        nargs: usize,
    ) -> Result<(*const Proto, *const Cell<Gc<Upvalue>>, usize), RuntimeError> {
        let Some(frame) = self.frames.pop() else {
            return Err(RuntimeError::runtime("tail call without a frame".to_string()));
        };
        if self.open_upvalues.last().is_some_and(|&(slot, _)| slot >= frame.base) {
            self.close_upvalues(frame.base as usize);
        }
        let dest = frame.func_slot as usize;
        self.debit_fuel(0, nargs);
        // The callee and its arguments move down over the frame (`dest` is below
        // `func_slot`, so a forward copy is safe; a loop beats `memmove` for a few).
        for i in 0..=nargs {
            self.stack[dest + i] = self.stack[func_slot + i];
        }
        match self.push_lua_frame(c, dest, nargs, frame.wanted, frame.returns_to_host, frame.cont) {
            Ok(entered) => {
                if let Some(f) = self.frames.last_mut() {
                    f.flags |= crate::hook::FRAME_TAIL;
                }
                Ok(entered)
            }
            Err(e) => {
                // Keep the frame for the traceback's sake; the error unwinds it anyway.
                self.frames.push(frame);
                Err(e)
            }
        }
    }

    /// A read of field `key` that missed in a table with `metatable` (`of_table`), or of
    /// a string (whose metatable it is), followed along `__index` chains made of tables
    /// (the shape of classes and inheritance, and of the string library), with the
    /// instruction's slot hint tried in each. `None` for anything else (a function
    /// handler, a non-table, a long chain): the general path takes it from the start.
    #[inline(never)]
    fn index_chain_get(
        &self,
        metatable: crate::value::TableRef,
        key: crate::value::StrRef,
        of_table: bool,
        hint: &crate::table::SlotHint,
    ) -> Option<Value> {
        const FAST_LINKS: usize = 8;
        let mut metatable = Some(metatable);
        let index_name = self.events.get(Event::Index);
        for _ in 0..FAST_LINKS {
            let Some(mt) = metatable else { return Some(Value::Nil) };
            let index_hint = &self.index_hints[mt.index() % self.index_hints.len()];
            let mt_table = self.heap.table(mt);
            match mt_table.get_str(index_name, index_hint) {
                Value::Table(next) => {
                    // A class is usually its own `__index`: no second look-up.
                    let next = if next == mt { mt_table } else { self.heap.table(next) };
                    let v = next.get_str(key, hint);
                    if !v.is_nil() {
                        return Some(v);
                    }
                    metatable = next.metatable;
                }
                Value::Nil if of_table => return Some(Value::Nil),
                _ => return None,
            }
        }
        None
    }

    /// `#v` for values other than strings and plain tables. See `arith_slow`.
    #[cold]
    fn len_slow(&mut self, v: Value, from: Operand, dst: usize) -> Result<Option<Value>, RuntimeError> {
        match self.len_step(v, from)? {
            Step::Done(v) => Ok(Some(v)),
            Step::Call(h, args) => self.meta_result(h, args, dst),
        }
    }

    /// `t[k] = v` with `__newindex`. Returns `true` when a handler was called. The
    /// plain-table case is inline in the loop; metatables and errors go out of line.
    #[inline(always)]
    fn set_index(&mut self, t: Value, k: Value, v: Value, from: Operand) -> Result<bool, RuntimeError> {
        if let Value::Table(table) = t {
            // A metatable without `__newindex` (an object's class) changes nothing for
            // a store: it is raw, with no need to look at the old value first.
            let raw = match self.heap.table(table).metatable {
                None => true,
                Some(mt) => {
                    let name = Value::Str(self.events.get(Event::NewIndex));
                    self.heap.table(mt).get_hashed(name).is_nil()
                }
            };
            if raw {
                return match self.heap.with_table(table, |tbl| tbl.set(k, v))? {
                    Ok(()) => Ok(false),
                    Err(refused) => Err(self.key_error(refused)),
                };
            }
        }
        self.set_index_slow(t, k, v, from)
    }

    /// "table index is nil" / "table index is NaN".
    #[cold]
    pub(crate) fn key_error(&self, refused: crate::table::KeyError) -> RuntimeError {
        match refused {
            crate::table::KeyError::Nil => self.error_here("table index is nil"),
            crate::table::KeyError::NaN => self.error_here("table index is NaN"),
        }
    }

    #[cold]
    fn set_index_slow(&mut self, t: Value, k: Value, v: Value, from: Operand) -> Result<bool, RuntimeError> {
        match self.newindex_step(t, k, v, from)? {
            None => Ok(false),
            Some((h, obj)) => {
                self.call_metamethod(h, &[obj, k, v], Cont::Discard)?;
                Ok(true)
            }
        }
    }

    /// Calls `__close(v, nil)` for the innermost to-be-closed variable.
    fn close_next_tbc(&mut self) -> Result<(), RuntimeError> {
        let Some(slot) = self.tbc.pop() else { return Ok(()) };
        let v = self.stack[slot as usize];
        let h = self.metamethod(v, Event::Close);
        let top = self.top as u32;
        self.call_metamethod_as(
            h,
            &[v, Value::Nil],
            Cont::Close { top },
            Operand::Metamethod(Some("close")),
        )?;
        Ok(())
    }

    /// Pays for work an instruction did beyond its unit of fuel, in proportion to its
    /// size: bytes a concatenation built, a string comparison or a string-to-number
    /// conversion read (one unit per 64, as the string library charges), and values a
    /// variable-length range moved (one unit per 4, 64 bytes of values). Without this a
    /// few instructions could buy unbounded work: concatenating a long string in a loop
    /// costs one unit per pass but copies it every time. Paid after the fact and never
    /// below zero, so the next instruction's fuel check stops the run at an instruction
    /// boundary (resumable as always); the work done past the budget is at most one
    /// instruction's, which the string and stack limits bound.
    #[inline]
    pub(crate) fn debit_fuel(&mut self, bytes: usize, values: usize) {
        if bytes >= 64 || values >= 4 {
            self.debit_fuel_units((bytes / 64 + values / 4) as u64);
        }
    }

    #[cold]
    fn debit_fuel_units(&mut self, units: u64) {
        // From the whole budget (the loop's slice and the reserve behind it).
        let left = self.fuel().saturating_sub(units);
        self.set_fuel(left);
    }

    /// Concatenates the `count` values at stack slot `first`, right to left as Lua does:
    /// runs of strings and numbers are joined at once, anything else goes through
    /// `__concat` one pair at a time. `None` means a handler was called; its result
    /// comes back through [`Cont::Concat`], which carries on from there.
    pub(crate) fn concat_run(
        &mut self,
        first: usize,
        mut count: usize,
    ) -> Result<Option<Value>, RuntimeError> {
        let stringish = |v: Value| matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_));
        while count > 1 {
            let (a, b) = (self.stack[first + count - 2], self.stack[first + count - 1]);
            if stringish(a) && stringish(b) {
                let mut run = 2;
                while run < count && stringish(self.stack[first + count - 1 - run]) {
                    run += 1;
                }
                let from = first + count - run;
                // Built in a buffer the VM keeps, sized once: strings at their length,
                // numbers at their longest text.
                let mut bytes = std::mem::take(&mut self.concat_buffer);
                bytes.clear();
                let estimate: usize = self.stack[from..first + count]
                    .iter()
                    .map(|&v| if let Value::Str(s) = v { self.heap.str(s).len() } else { 24 })
                    .sum();
                if estimate <= self.limits.max_string {
                    bytes.reserve(estimate);
                }
                let mut digits = [0u8; 20];
                for i in from..first + count {
                    match self.stack[i] {
                        Value::Str(s) => bytes.extend_from_slice(self.heap.str(s).as_bytes()),
                        Value::Int(n) => bytes.extend_from_slice(number::int_text(n, &mut digits)),
                        Value::Float(f) => bytes.extend_from_slice(number::format_float(f).as_bytes()),
                        _ => {}
                    }
                    if bytes.len() > self.limits.max_string {
                        return Err(self.error_here("string length overflow"));
                    }
                    self.check_string_size(bytes.len())?;
                }
                self.debit_fuel(bytes.len(), 0);
                // A small buffer is kept for the next concatenation; a huge one becomes
                // the string itself rather than being copied and kept for the run.
                let joined = if bytes.capacity() <= 4096 {
                    let joined = self.heap.new_str(&bytes);
                    self.concat_buffer = bytes;
                    joined
                } else {
                    self.heap.intern_owned(bytes).map(Value::Str)
                };
                self.stack[from] = joined?;
                count -= run - 1;
            } else {
                let h = self.binary_handler(Event::Concat, a, b);
                if h.is_nil() {
                    let bad = if stringish(a) { count - 1 } else { count - 2 };
                    let base = self.frames.last().map_or(0, |f| f.base as usize);
                    let reg = Reg((first + bad).saturating_sub(base) as u8);
                    return Err(self.operand_error(
                        "concatenate",
                        self.stack[first + bad],
                        Operand::Register(reg),
                    ));
                }
                count -= 1;
                self.call_metamethod(h, &[a, b], Cont::Concat { remaining: count as u32 })?;
                return Ok(None);
            }
        }
        Ok(Some(self.stack[first]))
    }

    /// The rest of a concatenation after a `__concat` handler returned `value`: see
    /// [`Cont::Concat`]. Returns `true` when another handler was called.
    pub(crate) fn concat_resume(&mut self, value: Value, remaining: usize) -> Result<bool, RuntimeError> {
        let Some(frame) = self.frames.last().copied() else { return Ok(false) };
        let proto = self.heap.closure(frame.closure).proto.clone();
        let Some(Instr::Concat { dst, first, .. }) =
            frame.pc.checked_sub(1).map(|pc| proto.code[pc as usize])
        else {
            return Ok(false);
        };
        let first = frame.base as usize + first.0 as usize;
        self.stack[first + remaining - 1] = value;
        match self.concat_run(first, remaining)? {
            Some(v) => {
                self.stack[frame.base as usize + dst.0 as usize] = v;
                Ok(false)
            }
            None => Ok(true),
        }
    }

    /// A runtime error at the current instruction: `chunk:line: message`.
    pub(crate) fn error_here(&self, message: &str) -> RuntimeError {
        self.error_here_kind(ErrorKind::Runtime, message)
    }

    pub(crate) fn error_here_kind(&self, kind: ErrorKind, message: &str) -> RuntimeError {
        RuntimeError::new(kind, format!("{}{message}", self.location()))
    }

    /// `chunk:line: ` for the current instruction of the innermost Lua frame, or empty.
    pub(crate) fn location(&self) -> String {
        let Some(frame) = self.frames.last() else { return String::new() };
        let proto = &self.heap.closure(frame.closure).proto;
        let pc = (frame.pc as usize).saturating_sub(1);
        match proto.line(pc) {
            Some(line) => format!("{}:{line}: ", proto.source),
            None => format!("{}: function #{}, pc {pc}: ", proto.source, proto.function_index),
        }
    }

    /// "attempt to {what} a {type} value (local 'x')".
    pub(crate) fn operand_error(&self, what: &str, v: Value, from: Operand) -> RuntimeError {
        let mut message = format!("attempt to {what} a {} value", self.type_name_of(v));
        if let Some(name) = self.describe_operand(from) {
            message.push_str(&format!(" ({name})"));
        }
        self.error_here(&message)
    }

    /// Names where an operand came from, as Lua does: `local 'x'`, `global 'x'`,
    /// `field 'x'`, `upvalue 'x'`, `method 'x'`, `constant 'x'`.
    pub(crate) fn describe_operand(&self, from: Operand) -> Option<String> {
        let frame = self.frames.last()?;
        let closure = self.heap.closure(frame.closure);
        let proto = &closure.proto;
        let pc = (frame.pc as usize).checked_sub(1)?;
        match from {
            Operand::None => None,
            Operand::Metamethod(event) => {
                let event = event.or_else(|| crate::meta::instruction_event(proto.code.get(pc)?))?;
                Some(format!("metamethod '{event}'"))
            }
            Operand::ForIterator => Some("for iterator 'for iterator'".to_string()),
            Operand::Upvalue(u) => Some(format!("upvalue '{}'", upvalue_name(proto, u)?)),
            Operand::Register(r) => {
                let (kind, name) = self.describe_register(proto, pc, r)?;
                Some(format!("{kind} '{name}'"))
            }
        }
    }

    /// What register `r` holds at instruction `pc` of `proto`, named as Lua names it:
    /// (`"local"`, `"global"`, `"field"`, `"upvalue"`, `"method"` or `"constant"`, name).
    /// Also how `debug.getinfo` names a called function.
    pub(crate) fn describe_register(
        &self,
        proto: &Proto,
        pc: usize,
        r: Reg,
    ) -> Option<(&'static str, String)> {
        if let Some(name) = self.local_name(proto, pc, r) {
            return Some(("local", name));
        }
        let at = last_writer(proto, pc, r)?;
        let instr = proto.code[at];
        let string_const = |k: tarn_bytecode::Const| match proto.constants.get(k.0 as usize) {
            Some(&Value::Str(s)) => Some(String::from_utf8_lossy(self.heap.str(s).as_bytes()).into_owned()),
            _ => None,
        };
        match instr {
            Instr::GetTabUp { dst, upval, key } if dst == r => {
                let name = string_const(key)?;
                if upvalue_name(proto, upval.0).as_deref() == Some("_ENV") {
                    Some(("global", name))
                } else {
                    Some(("field", name))
                }
            }
            Instr::GetField { dst, key, .. } if dst == r => Some(("field", string_const(key)?)),
            // Lua names these too: a small integer key (one its `GETI` takes, 0…255) as
            // "integer index", a key in a register by the constant string loaded into
            // it, anything else "?".
            Instr::GetIndex { dst, index, .. } if dst == r => {
                let name = if (0..=255).contains(&index.0) { "integer index" } else { "?" };
                Some(("field", name.to_string()))
            }
            Instr::GetTable { dst, key, .. } if dst == r => {
                let name = match self.describe_register(proto, at, key) {
                    Some(("constant", name)) => name,
                    _ => "?".to_string(),
                };
                Some(("field", name))
            }
            Instr::GetUpval { dst, upval } if dst == r => Some(("upvalue", upvalue_name(proto, upval.0)?)),
            Instr::SelfField { dst, method, .. } if dst == r => Some(("method", string_const(method)?)),
            Instr::LoadK { dst, constant } if dst == r => Some(("constant", string_const(constant)?)),
            Instr::Move { dst, src } if dst == r => self.local_name(proto, at, src).map(|n| ("local", n)),
            _ => None,
        }
    }

    /// The name of the local variable held in register `r` at instruction `pc`.
    pub(crate) fn local_name(&self, proto: &Proto, pc: usize, r: Reg) -> Option<String> {
        let debug = proto.debug.as_ref()?;
        debug
            .locals
            .iter()
            .rev()
            .find(|l| l.register == r.0 && (l.start_pc as usize) <= pc && pc < l.end_pc as usize)
            .map(|l| l.name.clone())
    }
}

fn upvalue_name(proto: &Proto, u: u8) -> Option<String> {
    proto.debug.as_ref()?.upvalue_names.get(u as usize).cloned()
}

/// The instruction before `pc` that last wrote register `r` on every path to `pc`, as
/// Lua's `findsetreg` finds it: scanning forward, a write inside code that a forward jump
/// (landing at or before `pc`) may skip is conditional and does not count.
fn last_writer(proto: &Proto, pc: usize, r: Reg) -> Option<usize> {
    let mut writer = None;
    let mut conditional_until = 0;
    for (at, instr) in proto.code.iter().enumerate().take(pc) {
        if instr.written().is_some_and(|w| w.contains(r)) {
            writer = if at < conditional_until { None } else { Some(at) };
        }
        for target in instr.jump_targets(at).flatten() {
            if target > at && target <= pc && target > conditional_until {
                conditional_until = target;
            }
        }
    }
    writer
}

/// Where a faulty operand came from, for naming it in messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Operand {
    Register(Reg),
    Upvalue(u8),
    /// The iterator function of a generic `for`.
    ForIterator,
    /// A metamethod the instruction calls: the one named, or else the one the running
    /// instruction's operation calls.
    Metamethod(Option<&'static str>),
    /// No operand of the running instruction: a value a host function uses (`pcall`
    /// calling its argument).
    None,
}
