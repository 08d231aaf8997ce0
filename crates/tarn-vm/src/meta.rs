//! Metatables and metamethods (reference manual §2.4).
//!
//! Each operation that may consult a metamethod has one function here that does
//! everything short of calling it: it walks `__index`/`__newindex` chains, tries the
//! numeric meaning first, looks the handler up in the first operand and then the second,
//! and reports either a result or the handler to call. The interpreter calls the handler
//! in a new frame (so no Rust recursion, and coroutines can yield inside), while host
//! functions use the `…_value` variants below, which call it at once through
//! [`Vm::call`].

use crate::error::RuntimeError;
use crate::heap::Heap;
use crate::interp::{ArithOp, Operand};
use crate::value::{StrRef, TableRef, Value};
use crate::vm::Vm;

/// How many links of an `__index` or `__newindex` chain are followed before giving up.
pub(crate) const MAX_CHAIN: usize = 2000;

macro_rules! events {
    ($($variant:ident => $name:literal,)*) => {
        /// A metamethod event.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Event { $($variant,)* }

        const EVENT_NAMES: &[&str] = &[$($name,)*];
    };
}

events! {
    Index => "__index",
    NewIndex => "__newindex",
    Call => "__call",
    Add => "__add",
    Sub => "__sub",
    Mul => "__mul",
    Div => "__div",
    Mod => "__mod",
    Pow => "__pow",
    Unm => "__unm",
    IDiv => "__idiv",
    BAnd => "__band",
    BOr => "__bor",
    BXor => "__bxor",
    Shl => "__shl",
    Shr => "__shr",
    BNot => "__bnot",
    Concat => "__concat",
    Len => "__len",
    Eq => "__eq",
    Lt => "__lt",
    Le => "__le",
    Close => "__close",
    Gc => "__gc",
    Mode => "__mode",
    Name => "__name",
    ToString => "__tostring",
    Metatable => "__metatable",
    Pairs => "__pairs",
}

/// The event names, interned once per VM so looking a metamethod up is one hash probe.
#[derive(Debug)]
pub(crate) struct EventNames(Box<[StrRef]>);

impl EventNames {
    pub(crate) fn new(heap: &mut Heap) -> Result<EventNames, crate::heap::HeapError> {
        let mut names = Vec::with_capacity(EVENT_NAMES.len());
        for name in EVENT_NAMES {
            names.push(heap.intern(name.as_bytes())?);
        }
        Ok(EventNames(names.into_boxed_slice()))
    }

    pub(crate) fn get(&self, event: Event) -> StrRef {
        self.0[event as usize]
    }

    pub(crate) fn names(&self) -> &[StrRef] {
        &self.0
    }
}

impl ArithOp {
    fn meta_event(self) -> Event {
        match self {
            ArithOp::Add => Event::Add,
            ArithOp::Sub => Event::Sub,
            ArithOp::Mul => Event::Mul,
            ArithOp::Div => Event::Div,
            ArithOp::Mod => Event::Mod,
            ArithOp::Pow => Event::Pow,
            ArithOp::IDiv => Event::IDiv,
            ArithOp::BAnd => Event::BAnd,
            ArithOp::BOr => Event::BOr,
            ArithOp::BXor => Event::BXor,
            ArithOp::Shl => Event::Shl,
            ArithOp::Shr => Event::Shr,
            ArithOp::Unm => Event::Unm,
            ArithOp::BNot => Event::BNot,
        }
    }
}

/// The outcome of one step of an operation that may need a metamethod.
pub(crate) enum Step {
    /// The operation's result, no call needed.
    Done(Value),
    /// Call this handler with these arguments; its first result is the result.
    Call(Value, [Value; 2]),
}

/// How many basic types share one metatable per type in [`Vm::type_metatables`].
pub(crate) const TYPE_SLOTS: usize = 5;

/// The slot in `type_metatables` of a value's type: nil, boolean, number, function,
/// thread. Tables and userdata have their own metatables; strings share the string
/// metatable.
pub(crate) fn type_slot(v: Value) -> Option<usize> {
    match v {
        Value::Nil => Some(0),
        Value::Bool(_) => Some(1),
        Value::Int(_) | Value::Float(_) => Some(2),
        Value::Closure(_) | Value::Native(_) => Some(3),
        Value::Thread(_) => Some(4),
        Value::Str(_) | Value::Table(_) | Value::UserData(_) => None,
    }
}

fn is_function(v: Value) -> bool {
    matches!(v, Value::Closure(_) | Value::Native(_))
}

impl Vm {
    /// The metatable of any value.
    pub(crate) fn metatable_of(&self, v: Value) -> Option<TableRef> {
        match v {
            Value::Table(t) => self.heap.table(t).metatable,
            Value::Str(_) => self.string_metatable,
            Value::UserData(u) => self.heap.userdata(u).metatable,
            _ => type_slot(v).and_then(|i| self.type_metatables[i]),
        }
    }

    /// The handler for `event` in `v`'s metatable, or nil.
    #[inline]
    pub(crate) fn metamethod(&self, v: Value, event: Event) -> Value {
        match self.metatable_of(v) {
            Some(mt) => self.heap.table(mt).get_hashed(Value::Str(self.events.get(event))),
            None => Value::Nil,
        }
    }

    /// `t[k]`: the raw value, or the next `__index` handler to call.
    pub(crate) fn index_step(&mut self, mut t: Value, k: Value, from: Operand) -> Result<Step, RuntimeError> {
        for link in 0..MAX_CHAIN {
            let handler = match t {
                Value::Table(table) => {
                    let v = self.heap.table(table).get(k);
                    if !v.is_nil() {
                        return Ok(Step::Done(v));
                    }
                    let h = self.metamethod(t, Event::Index);
                    if h.is_nil() {
                        return Ok(Step::Done(Value::Nil));
                    }
                    h
                }
                _ => {
                    let h = self.metamethod(t, Event::Index);
                    if h.is_nil() {
                        let from = if link == 0 { from } else { Operand::None };
                        return Err(self.index_error(t, k, from));
                    }
                    h
                }
            };
            if is_function(handler) {
                return Ok(Step::Call(handler, [t, k]));
            }
            t = handler;
        }
        Err(self.error_here("'__index' chain too long; possible loop"))
    }

    /// "attempt to index a nil value (local 't')": the indexed value named by where the
    /// instruction's operand came from, as Lua 5.4 does; a value reached through an
    /// `__index` or `__newindex` chain, or made by a call, has no name.
    fn index_error(&self, t: Value, _k: Value, from: Operand) -> RuntimeError {
        self.operand_error("index", t, from)
    }

    /// `t[k] = v`: done (stored raw), or the `__newindex` handler to call with `(obj, k, v)`.
    pub(crate) fn newindex_step(
        &mut self,
        mut t: Value,
        k: Value,
        v: Value,
        from: Operand,
    ) -> Result<Option<(Value, Value)>, RuntimeError> {
        for link in 0..MAX_CHAIN {
            let handler = match t {
                Value::Table(table) => {
                    let tbl = self.heap.table(table);
                    let h = match tbl.metatable {
                        Some(_) if tbl.get(k).is_nil() => self.metamethod(t, Event::NewIndex),
                        _ => Value::Nil,
                    };
                    if h.is_nil() {
                        self.raw_set(table, k, v)?;
                        return Ok(None);
                    }
                    h
                }
                _ => {
                    let h = self.metamethod(t, Event::NewIndex);
                    if h.is_nil() {
                        let from = if link == 0 { from } else { Operand::None };
                        return Err(self.index_error(t, k, from));
                    }
                    h
                }
            };
            if is_function(handler) {
                return Ok(Some((handler, t)));
            }
            t = handler;
        }
        Err(self.error_here("'__newindex' chain too long; possible loop"))
    }

    /// `t[k] = v` without metamethods, with Lua's key errors.
    pub(crate) fn raw_set(&mut self, t: TableRef, k: Value, v: Value) -> Result<(), RuntimeError> {
        match self.heap.with_table(t, |table| table.set(k, v))? {
            Ok(()) => Ok(()),
            Err(refused) => Err(self.key_error(refused)),
        }
    }

    /// The arithmetic metamethod for `a op b`, from `a` then `b`, or nil.
    pub(crate) fn arith_handler(&self, op: ArithOp, a: Value, b: Value) -> Value {
        let event = op.meta_event();
        let h = self.metamethod(a, event);
        if h.is_nil() {
            self.metamethod(b, event)
        } else {
            h
        }
    }

    /// The handler for `a < b` / `a <= b` / `a == b`, from `a` then `b`, or nil.
    pub(crate) fn binary_handler(&self, event: Event, a: Value, b: Value) -> Value {
        let h = self.metamethod(a, event);
        if h.is_nil() {
            self.metamethod(b, event)
        } else {
            h
        }
    }

    /// Whether `a == b` needs `__eq`: two different tables, or two different userdata.
    #[inline]
    pub(crate) fn eq_handler(&self, a: Value, b: Value) -> Value {
        match (a, b) {
            (Value::Table(x), Value::Table(y)) if x != y => self.binary_handler(Event::Eq, a, b),
            (Value::UserData(x), Value::UserData(y)) if x != y => self.binary_handler(Event::Eq, a, b),
            _ => Value::Nil,
        }
    }

    /// `#v`: the raw length, or the `__len` handler to call.
    pub(crate) fn len_step(&mut self, v: Value, from: Operand) -> Result<Step, RuntimeError> {
        let h = self.metamethod(v, Event::Len);
        if !h.is_nil() {
            return Ok(Step::Call(h, [v, v]));
        }
        match v {
            Value::Str(s) => Ok(Step::Done(Value::Int(self.heap.str(s).len() as i64))),
            Value::Table(t) => Ok(Step::Done(Value::Int(self.heap.table(t).len()))),
            _ => Err(self.operand_error("get length of", v, from)),
        }
    }

    /// Runs a step's call now, on the Rust stack (for host functions).
    pub(crate) fn finish_step(&mut self, step: Step) -> Result<Value, RuntimeError> {
        match step {
            Step::Done(v) => Ok(v),
            Step::Call(h, args) => self.call_first(h, &args),
        }
    }

    // ---- the operations for host functions, metamethods included ----

    /// `t[k]`, with `__index`.
    pub fn index(&mut self, t: Value, k: Value) -> Result<Value, RuntimeError> {
        let step = self.index_step(t, k, Operand::None)?;
        self.finish_step(step)
    }

    /// `t[k] = v`, with `__newindex`.
    pub fn set_index_meta(&mut self, t: Value, k: Value, v: Value) -> Result<(), RuntimeError> {
        if let Some((h, obj)) = self.newindex_step(t, k, v, Operand::None)? {
            self.call(h, &[obj, k, v])?;
        }
        Ok(())
    }

    /// `#v`, with `__len`.
    pub fn len_of(&mut self, v: Value) -> Result<Value, RuntimeError> {
        let step = self.len_step(v, Operand::None)?;
        self.finish_step(step)
    }

    /// `a == b`, with `__eq`.
    pub fn equals(&mut self, a: Value, b: Value) -> Result<bool, RuntimeError> {
        if a.raw_eq(b) {
            return Ok(true);
        }
        let h = self.eq_handler(a, b);
        if h.is_nil() {
            return Ok(false);
        }
        Ok(self.call_first(h, &[a, b])?.is_truthy())
    }

    /// `a < b`, with `__lt`.
    pub fn less_than(&mut self, a: Value, b: Value) -> Result<bool, RuntimeError> {
        match self.compare_step(crate::interp::CmpOp::Lt, a, b)? {
            Step::Done(v) => Ok(v.is_truthy()),
            step => Ok(self.finish_step(step)?.is_truthy()),
        }
    }

    /// `tostring(v)`: `__tostring`, then `__name`, then the plain form.
    pub fn tostring(&mut self, v: Value) -> Result<StrRef, RuntimeError> {
        let h = self.metamethod(v, Event::ToString);
        if !h.is_nil() {
            return match self.call(h, &[v])?.first().copied() {
                Some(Value::Str(s)) => Ok(s),
                Some(n @ (Value::Int(_) | Value::Float(_))) => self.intern(self.to_display(n).as_bytes()),
                _ => Err(RuntimeError::runtime("'__tostring' must return a string")),
            };
        }
        match v {
            Value::Str(s) => return Ok(s),
            // Without the `String` that `to_display` would build.
            Value::Int(n) => return self.intern(crate::number::int_text(n, &mut [0; 20])),
            _ => {}
        }
        if let Value::Table(_) | Value::UserData(_) = v {
            if let Value::Str(name) = self.metamethod(v, Event::Name) {
                let name = String::from_utf8_lossy(self.heap.str(name).as_bytes()).into_owned();
                let plain = self.to_display(v);
                let address = plain.split_once(": ").map_or(plain.as_str(), |(_, a)| a);
                return self.intern(format!("{name}: {address}").as_bytes());
            }
        }
        let text = self.to_display(v);
        self.intern(text.as_bytes())
    }
}

/// The metamethod an instruction calls, named as Lua names it in an error about calling
/// it (`attempt to call a number value (metamethod 'add')`). Exhaustive, so a new
/// instruction decides.
pub(crate) fn instruction_event(instr: &tarn_bytecode::Instr) -> Option<&'static str> {
    use tarn_bytecode::Opcode as Op;
    Some(match instr.opcode() {
        Op::Add | Op::AddK | Op::AddI => "add",
        Op::Sub | Op::SubK => "sub",
        Op::Mul | Op::MulK => "mul",
        Op::Div | Op::DivK => "div",
        Op::Mod | Op::ModK => "mod",
        Op::Pow | Op::PowK => "pow",
        Op::IDiv | Op::IDivK => "idiv",
        Op::BAnd | Op::BAndK => "band",
        Op::BOr | Op::BOrK => "bor",
        Op::BXor | Op::BXorK => "bxor",
        Op::Shl | Op::ShlI => "shl",
        Op::Shr | Op::ShrI => "shr",
        Op::Unm => "unm",
        Op::BNot => "bnot",
        Op::Len => "len",
        Op::Concat => "concat",
        Op::GetTabUp | Op::GetTable | Op::GetField | Op::GetIndex | Op::SelfField => "index",
        Op::SetTabUp | Op::SetTable | Op::SetField | Op::SetIndex => "newindex",
        Op::JEq | Op::JNe | Op::JEqK | Op::JNeK | Op::JEqI | Op::JNeI => "eq",
        Op::JLt | Op::JNlt | Op::JLtI | Op::JNltI | Op::JGtI | Op::JNgtI => "lt",
        Op::JLe | Op::JNle | Op::JLeI | Op::JNleI | Op::JGeI | Op::JNgeI => "le",
        Op::Close | Op::Return | Op::TailCall | Op::Jmp => "close",
        Op::Nop
        | Op::Move
        | Op::LoadNil
        | Op::LoadTrue
        | Op::LoadFalse
        | Op::LoadInt
        | Op::LoadFloat
        | Op::LoadK
        | Op::GetUpval
        | Op::SetUpval
        | Op::GetImport
        | Op::NewTable
        | Op::SetList
        | Op::Not
        | Op::JTrue
        | Op::JFalse
        | Op::Call
        | Op::VarArg
        | Op::Closure
        | Op::Tbc
        | Op::ForPrep
        | Op::ForLoop
        | Op::TForPrep
        | Op::TForCall
        | Op::TForLoop => return None,
    })
}
