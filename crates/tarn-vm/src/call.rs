//! Calls and returns on the explicit frame stack, protected calls, and continuations.
//!
//! A call of a Lua function pushes a [`Frame`]; its `return` pops it and hands the
//! results on according to the frame's [`Cont`]inuation. Ordinary calls move results to
//! where the callee was; a metamethod called by an instruction stores its result in a
//! register, decides a pending branch, or carries on a concatenation; a protected call
//! (`pcall`/`xpcall`) puts `true` in front, and is where an error stops unwinding. So
//! metamethods and `pcall` never recurse on the Rust stack, and a coroutine can yield
//! across them.
//!
//! Host functions run directly on the Rust stack. One that calls back into Lua (through
//! [`Vm::call`]) re-enters the interpreter: those re-entries are counted against
//! [`crate::Limits::max_host_depth`] ("C stack overflow"), which bounds Rust recursion.

use tarn_bytecode::{Instr, Jump, Reg, VarCount};

use crate::error::{ErrorKind, RuntimeError};
use crate::heap::Builtin;

/// An entry of a closure's upvalue list.
type UpvalCell = std::cell::Cell<crate::value::Gc<crate::heap::Upvalue>>;

use crate::interp::Operand;
use crate::meta::Event;
use crate::value::Value;
use crate::vm::{Frame, FuelStop, PendingNative, Vm};

/// What debug builds put in registers a new frame does not clear (see `push_lua_frame`).
#[cfg(debug_assertions)]
const UNWRITTEN_REGISTER: i64 = -0x7a72_6e5f_0bad_f00d;

/// What a returning frame does with its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cont {
    /// Move them to the callee's slot, adjusted to the frame's `wanted` count.
    Normal,
    /// Store the first one at this stack slot (a metamethod computing a value).
    Store(u32),
    /// Drop them (`__newindex`).
    Discard,
    /// Drop them and restore the caller's multiple-results mark (`__close` run before a
    /// `return` whose values are already in place).
    Close { top: u32 },
    /// The first one, as a boolean, decides the caller's compare-and-branch at `pc - 1`.
    Compare,
    /// The first one is the result of one `__concat` step; `remaining` values are left to
    /// concatenate in the caller's `concat` instruction at `pc - 1`.
    Concat { remaining: u32 },
    /// A protected call: `true` goes in front of the results, one slot below the callee,
    /// and an error unwinds no further than this frame.
    Pcall,
    /// `xpcall`: as `Pcall`, with the message handler in the slot below the callee.
    Xpcall,
}

impl Cont {
    pub(crate) fn is_protected(self) -> bool {
        matches!(self, Cont::Pcall | Cont::Xpcall)
    }
}

/// At most this many `__call` metamethods are chained before giving up.
const MAX_CALL_CHAIN: usize = 100;

impl Vm {
    /// Starts a call from the interpreter; `from` names the callee for errors.
    /// Returns `true` when a Lua frame was pushed (the loop must reload its frame).
    #[inline]
    pub(crate) fn begin_call_from(
        &mut self,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        from: Operand,
    ) -> Result<bool, RuntimeError> {
        let nargs = match self.stack[func_slot] {
            // A host function straight to its call, past the test for a Lua one.
            Value::Native(_) => return self.begin_host_call(func_slot, nargs, wanted, false, Cont::Normal),
            Value::Closure(_) => nargs,
            _ => self.resolve_callee(func_slot, nargs, from)?,
        };
        self.begin_call(func_slot, nargs, wanted, false, Cont::Normal)
    }

    /// Makes `stack[func_slot]` a function, inserting `__call` metamethods in front of the
    /// arguments as Lua does. Returns the new argument count.
    #[cold]
    pub(crate) fn resolve_callee(
        &mut self,
        func_slot: usize,
        mut nargs: usize,
        from: Operand,
    ) -> Result<usize, RuntimeError> {
        for _ in 0..MAX_CALL_CHAIN {
            let callee = self.stack[func_slot];
            if matches!(callee, Value::Closure(_) | Value::Native(_)) {
                return Ok(nargs);
            }
            let handler = self.metamethod(callee, Event::Call);
            if handler.is_nil() {
                return Err(match from {
                    // The call is made by a host function (`pcall(nil)`, `tostring` of a
                    // value whose `__tostring` is not a function): as in Lua, the error
                    // is raised inside that function and has no position, not even the
                    // one of the Lua code calling the host function.
                    Operand::None => RuntimeError::new(
                        ErrorKind::Runtime,
                        format!("attempt to call a {} value", self.type_name_of(callee)),
                    ),
                    _ => self.operand_error("call", callee, from),
                });
            }
            self.ensure_stack(func_slot + nargs + 2)?;
            self.stack.copy_within(func_slot..func_slot + 1 + nargs, func_slot + 1);
            self.stack[func_slot] = handler;
            nargs += 1;
        }
        Err(self.error_here("'__call' chain too long; possible loop"))
    }

    /// Sets up a call of `stack[func_slot]` (a function) with `nargs` arguments after it.
    /// A Lua function gets a frame (returns `true`); a host function runs now and its
    /// results are handed on by `cont` (returns `false`).
    #[inline]
    pub(crate) fn begin_call(
        &mut self,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<bool, RuntimeError> {
        match self.stack[func_slot] {
            Value::Closure(c) => {
                self.push_lua_frame(c, func_slot, nargs, wanted, returns_to_host, cont)?;
                Ok(true)
            }
            _ => self.begin_host_call(func_slot, nargs, wanted, returns_to_host, cont),
        }
    }

    /// Pushes the frame of a call of the Lua function `c` at `func_slot`: the hot half of
    /// a call, kept small so the interpreter can inline it. Returns the callee's
    /// prototype and upvalue list (so the interpreter can enter the frame without
    /// looking the closure up again) and the new frame's base.
    #[inline(always)]
    pub(crate) fn push_lua_frame(
        &mut self,
        c: crate::value::ClosureRef,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<(*const crate::heap::Proto, *const UpvalCell, usize), RuntimeError> {
        if self.frames.len() >= self.limits.max_depth {
            return Err(self.stack_overflow());
        }
        let callee = self.heap.closure(c);
        let upvals_ptr = callee.upvalues.as_ptr();
        let proto = &callee.proto;
        let proto_ptr = std::sync::Arc::as_ptr(proto);
        let (nparams, nregs, is_vararg) =
            (proto.num_params as usize, proto.num_registers as usize, proto.is_vararg);
        let clear_to = proto.clear_on_entry as usize;
        if is_vararg && nargs > nparams {
            return self.push_vararg_frame(
                c,
                crate::interp::FrameCode { proto: proto_ptr, upvals: upvals_ptr },
                func_slot,
                nargs,
                wanted,
                returns_to_host,
                cont,
            );
        }
        // The arguments are on the stack already: only the registers past them may be
        // missing.
        let base = func_slot + 1;
        let frame_top = base + nregs;
        if frame_top > self.stack.len() {
            self.ensure_stack_for_frame(frame_top)?;
        }
        // Missing parameters start as nil, and so does every register the function may
        // read before writing it; the rest are written first (extra arguments above the
        // parameters are never seen).
        // (Tested first on its own: for the compiler's code the range is empty.)
        let given = nargs.min(nparams);
        if given < clear_to {
            if let Some(slots) = self.stack.get_mut(base + given..base + clear_to) {
                slots.fill(Value::Nil);
            }
        }
        // Debug builds fill the other registers with a value no test expects, so that a
        // read the analysis missed shows up as a wrong result instead of passing unseen.
        #[cfg(debug_assertions)]
        if let Some(slots) = self.stack.get_mut(base + clear_to.max(nargs)..frame_top) {
            slots.fill(Value::Int(UNWRITTEN_REGISTER));
        }
        self.frames.push(Frame {
            code: crate::interp::FrameCode { proto: proto_ptr, upvals: upvals_ptr },
            closure: c,
            base: base as u32,
            top: frame_top as u32,
            func_slot: func_slot as u32,
            pc: 0,
            varargs_start: 0,
            num_varargs: 0,
            cont,
            wanted,
            returns_to_host,
            flags: 0,
        });
        Ok((proto_ptr, upvals_ptr, base))
    }

    /// [`Vm::push_lua_frame`] for a vararg function given more arguments than it has
    /// parameters: the extra arguments stay where they are, and the frame starts above
    /// them with copies of the fixed parameters.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn push_vararg_frame(
        &mut self,
        c: crate::value::ClosureRef,
        code: crate::interp::FrameCode,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<(*const crate::heap::Proto, *const UpvalCell, usize), RuntimeError> {
        let proto = &self.heap.closure(c).proto;
        let (nparams, nregs) = (proto.num_params as usize, proto.num_registers as usize);
        let clear_to = proto.clear_on_entry as usize;
        let base = func_slot + 1 + nargs;
        if base + nregs > self.stack.len() {
            self.ensure_stack_for_frame(base + nregs)?;
        }
        self.stack.copy_within(func_slot + 1..func_slot + 1 + nparams, base);
        if let Some(slots) = self.stack.get_mut(base + nparams..base + clear_to) {
            slots.fill(Value::Nil);
        }
        self.frames.push(Frame {
            code,
            closure: c,
            base: base as u32,
            top: (base + nregs) as u32,
            func_slot: func_slot as u32,
            pc: 0,
            varargs_start: (func_slot + 1 + nparams) as u32,
            num_varargs: (nargs - nparams) as u32,
            cont,
            wanted,
            returns_to_host,
            flags: 0,
        });
        Ok((code.proto, code.upvals, base))
    }

    /// The other half of [`Vm::begin_call`]: a host function (or a builtin) runs now.
    #[inline(never)]
    fn begin_host_call(
        &mut self,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<bool, RuntimeError> {
        let Value::Native(n) = self.stack[func_slot] else {
            return Err(self.not_callable(func_slot));
        };
        let native = self.heap.native(n);
        if let Some(builtin) = native.builtin {
            if cont == Cont::Normal {
                match builtin {
                    Builtin::Pcall => {
                        return self.begin_pcall(func_slot, nargs, wanted, returns_to_host, false)
                    }
                    Builtin::Xpcall => {
                        return self.begin_pcall(func_slot, nargs, wanted, returns_to_host, true)
                    }
                    Builtin::Yield if !returns_to_host => {
                        self.begin_yield(func_slot, nargs, wanted, false)?;
                        return Ok(false);
                    }
                    Builtin::Yield => {}
                }
            }
        }
        // One look at the function serves both the builtin test and the call.
        let code = native.func.clone();
        self.call_native(n, code, func_slot, nargs, wanted, returns_to_host, cont)?;
        Ok(false)
    }

    #[cold]
    fn not_callable(&self, func_slot: usize) -> RuntimeError {
        RuntimeError::runtime(format!("attempt to call a {} value", self.stack[func_slot].type_name()))
    }

    /// Runs the host function at `func_slot` now, on the Rust stack (builtins included:
    /// their host versions), handing its results on by `cont`.
    pub(crate) fn run_native(
        &mut self,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<(), RuntimeError> {
        let Value::Native(n) = self.stack[func_slot] else {
            return Err(self.not_callable(func_slot));
        };
        let code = self.heap.native(n).func.clone();
        self.call_native(n, code, func_slot, nargs, wanted, returns_to_host, cont)
    }

    /// [`Vm::run_native`] of host function `n`, whose code is `code`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn call_native(
        &mut self,
        n: crate::value::NativeRef,
        code: crate::heap::HostCode,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        cont: Cont,
    ) -> Result<(), RuntimeError> {
        let args_end = func_slot + 1 + nargs;
        // A safe point: the function and its arguments are on the stack.
        if self.gc_due() {
            self.native_safe_point(args_end)?;
        }
        self.debit_fuel(0, nargs);
        let (mut args, mut results) = self.native_buffers.pop().unwrap_or_default();
        // The usual few arguments without a `memcpy` call.
        match self.stack[func_slot + 1..args_end] {
            [] => {}
            [a] => args.push(a),
            [a, b] => args.extend_from_slice(&[a, b]),
            [a, b, c] => args.extend_from_slice(&[a, b, c]),
            ref more => args.extend_from_slice(more),
        }
        // The arguments stay on the stack, below `top`, for the whole call: that
        // keeps them reachable, and calls the function makes go above them.
        let saved = (self.top, self.native_called_from_lua, self.native_top, self.running_native);
        self.top = args_end;
        self.native_called_from_lua = !returns_to_host;
        self.native_top = Some(args_end);
        self.running_native = Some(n);
        let mut outcome = Ok(());
        if self.hook.active {
            outcome = self.native_hook(crate::hook::MASK_CALL);
        }
        // For a restart (see `FuelStop`): was Lua re-entered, and what fuel to give back.
        let (entries, fuel_before) = (self.host_entries, self.fuel());
        if outcome.is_ok() {
            outcome = code.call(self, &args, &mut results);
        }
        if self.hook.active && outcome.is_ok() {
            outcome = self.native_return_hook(func_slot, nargs, &results);
        }
        (self.top, self.native_called_from_lua, self.native_top, self.running_native) = saved;
        if let Err(e) = outcome {
            let pending = PendingNative { func_slot, nargs, wanted, cont, tail: false };
            return Err(self.native_failed(n, e, returns_to_host, entries, pending, fuel_before));
        }
        let count = results.len();
        if let [only] = results[..] {
            // The usual single result, without a `memcpy` call (the callee's slot exists).
            self.stack[func_slot] = only;
        } else {
            let end = func_slot + count;
            if end > self.stack.len() {
                self.ensure_stack(end)?;
            }
            self.stack[func_slot..end].copy_from_slice(&results);
        }
        self.recycle_native_buffers(args, results);
        if cont == Cont::Normal {
            // Already where `deliver` would move them: only the count to adjust.
            self.adjust_results(func_slot, count, wanted);
        } else {
            self.deliver(func_slot, func_slot, count, wanted, cont)?;
        }
        Ok(())
    }

    /// A collection due before a host function runs, with its arguments (up to
    /// `args_end`) kept reachable.
    #[cold]
    #[inline(never)]
    fn native_safe_point(&mut self, args_end: usize) -> Result<(), RuntimeError> {
        let saved = (self.top, self.native_top);
        self.top = args_end;
        self.native_top = Some(args_end);
        let collected = self.gc_safe_point();
        (self.top, self.native_top) = saved;
        collected
    }

    /// The return hook of a host function, with its results kept reachable on the stack
    /// while the hook runs.
    #[cold]
    #[inline(never)]
    fn native_return_hook(
        &mut self,
        func_slot: usize,
        nargs: usize,
        results: &[Value],
    ) -> Result<(), RuntimeError> {
        let n = results.len();
        let end = self.top.max(func_slot + 1 + nargs) + n;
        self.ensure_stack(end)?;
        let start = end - n;
        self.stack[start..end].copy_from_slice(results);
        self.top = end;
        self.native_top = Some(end);
        self.native_hook(crate::hook::MASK_RET)
    }

    /// The error of host function `n`, made ready to unwind: an out-of-fuel stop is
    /// recorded for a restart, the function remembered for a traceback, and a message
    /// without a position gets the calling line.
    #[cold]
    #[inline(never)]
    fn native_failed(
        &mut self,
        n: crate::value::NativeRef,
        mut e: RuntimeError,
        returns_to_host: bool,
        entries: u64,
        pending: PendingNative,
        fuel_before: u64,
    ) -> RuntimeError {
        if e.kind() == ErrorKind::OutOfFuel {
            let restartable = !returns_to_host && self.host_entries == entries;
            self.native_out_of_fuel(n, restartable, pending, fuel_before);
        }
        // Remembered for a message handler's traceback (`[C]: in function 'error'`).
        let at = self.frames.last().map_or(0, |f| f.pc);
        self.error_native = Some((n, self.frames.len(), at));
        if !e.is_positioned() {
            // Like `luaL_error`: the line of the Lua code that called the function, if
            // Lua code called it.
            let at = if returns_to_host { String::new() } else { self.location() };
            e.set_position(&at);
        }
        e
    }

    /// Keeps a host call's argument and result vectors for the next call, unless they
    /// grew large (a huge `table.unpack`) or enough are kept already.
    #[inline]
    fn recycle_native_buffers(&mut self, mut args: Vec<Value>, mut results: Vec<Value>) {
        const KEEP: usize = 16;
        const LARGEST: usize = 256;
        if self.native_buffers.len() < KEEP && args.capacity() <= LARGEST && results.capacity() <= LARGEST {
            args.clear();
            results.clear();
            self.native_buffers.push((args, results));
        }
    }

    /// Records why host function `n` ran out of fuel. It can run again on resume only if
    /// no Lua code ran inside it and it was called from the host's own call (not from a
    /// coroutine or a callback, which live on the Rust stack).
    #[cold]
    #[inline(never)]
    fn native_out_of_fuel(
        &mut self,
        n: crate::value::NativeRef,
        restartable: bool,
        pending: PendingNative,
        fuel_before: u64,
    ) {
        self.fuel_stop = if restartable && self.host_depth <= 1 {
            // Its work is discarded, so is its charge.
            self.set_fuel(fuel_before);
            FuelStop::Restart(pending)
        } else {
            FuelStop::Lost(self.heap.native(n).name.clone())
        };
    }

    /// `pcall(f, ...)` / `xpcall(f, handler, ...)` called from Lua: `f` runs in a frame
    /// marked protected, so errors stop there (see [`Vm::catch`]).
    fn begin_pcall(
        &mut self,
        func_slot: usize,
        mut nargs: usize,
        wanted: u8,
        returns_to_host: bool,
        xpcall: bool,
    ) -> Result<bool, RuntimeError> {
        let name = if xpcall { "xpcall" } else { "pcall" };
        if nargs == 0 || (xpcall && nargs < 2) {
            let what = if nargs == 0 { 1 } else { 2 };
            return Err(RuntimeError::runtime(format!("bad argument #{what} to '{name}' (value expected)")));
        }
        let mut callee_slot = func_slot + 1;
        let cont = if xpcall {
            // [xpcall][f][handler][args…] becomes [handler][f][args…].
            self.stack[func_slot] = self.stack[func_slot + 2];
            self.stack.copy_within(func_slot + 3..func_slot + 1 + nargs, func_slot + 2);
            nargs -= 1;
            Cont::Xpcall
        } else {
            Cont::Pcall
        };
        nargs -= 1;
        let started = match self.resolve_callee(callee_slot, nargs, Operand::None) {
            Ok(n) => {
                nargs = n;
                match self.stack[callee_slot] {
                    // A builtin or host function runs now, on the Rust stack.
                    Value::Native(_) => Err(None),
                    _ => self.begin_call(callee_slot, nargs, wanted, returns_to_host, cont).map_err(Some),
                }
            }
            Err(e) => Err(Some(e)),
        };
        match started {
            Ok(pushed) => Ok(pushed),
            Err(Some(e)) => {
                let value = self.protected_failure(e, xpcall.then(|| self.stack[func_slot]))?;
                self.place_pcall_results(func_slot, &[Value::Bool(false), value], wanted)?;
                Ok(false)
            }
            Err(None) => {
                let handler = xpcall.then(|| self.stack[func_slot]);
                callee_slot = func_slot + 1;
                let f = self.stack[callee_slot];
                let args = self.stack[callee_slot + 1..callee_slot + 1 + nargs].to_vec();
                let values = self.protected_call(f, &args, handler)?;
                self.place_pcall_results(func_slot, &values, wanted)?;
                Ok(false)
            }
        }
    }

    /// A protected call on the Rust stack (`pcall`/`xpcall` from host code or of a host
    /// function): `true` and the results, or `false` and the error value.
    pub(crate) fn protected_call(
        &mut self,
        f: Value,
        args: &[Value],
        handler: Option<Value>,
    ) -> Result<Vec<Value>, RuntimeError> {
        match self.call(f, args) {
            Ok(mut values) => {
                values.insert(0, Value::Bool(true));
                Ok(values)
            }
            Err(e) => Ok(vec![Value::Bool(false), self.protected_failure(e, handler)?]),
        }
    }

    /// The value a failed protected call returns: the error object, passed through the
    /// message handler for `xpcall`. Uncatchable errors (fuel) are passed on.
    pub(crate) fn protected_failure(
        &mut self,
        e: RuntimeError,
        handler: Option<Value>,
    ) -> Result<Value, RuntimeError> {
        if !e.is_catchable() {
            return Err(e);
        }
        let value = self.error_object(&e)?;
        let at = self.frames.last().map_or(0, |f| f.pc);
        let source =
            self.error_native.take().filter(|&(_, depth, pc)| depth == self.frames.len() && pc == at);
        let Some(handler) = handler else { return Ok(value) };
        let saved = std::mem::replace(&mut self.handler_native, source.map(|(n, depth, _)| (n, depth)));
        let outcome = self.call(handler, &[value]);
        self.handler_native = saved;
        match outcome {
            Ok(results) => Ok(results.first().copied().unwrap_or(Value::Nil)),
            Err(e) if !e.is_catchable() => Err(e),
            // Lua gives up on a failing handler with this fixed message.
            Err(_) => self.new_string(b"error in error handling"),
        }
    }

    /// The Lua value of an error: its object, or its message as a string.
    pub(crate) fn error_object(&mut self, e: &RuntimeError) -> Result<Value, RuntimeError> {
        match e.value() {
            Some(v) => Ok(v),
            None => self.new_string(e.message().as_bytes()),
        }
    }

    fn place_pcall_results(&mut self, dest: usize, values: &[Value], wanted: u8) -> Result<(), RuntimeError> {
        let n = values.len();
        self.ensure_stack(dest + n.max(wanted as usize))?;
        self.stack[dest..dest + n].copy_from_slice(values);
        self.adjust_results(dest, n, wanted);
        Ok(())
    }

    /// Handles an error raised while running frames above `entry_depth`: if a protected
    /// frame is among them, unwinds to it, closing variables, and leaves `false, error`
    /// as its results. Returns `Ok(true)` when that frame returned to the host.
    pub(crate) fn catch(&mut self, e: RuntimeError, entry_depth: usize) -> Result<bool, RuntimeError> {
        if !e.is_catchable() {
            return Err(e);
        }
        let Some(p) = (entry_depth..self.frames.len()).rev().find(|&i| self.frames[i].cont.is_protected())
        else {
            return Err(e);
        };
        let frame = self.frames[p];
        let handler_slot = frame.func_slot as usize - 1;
        let handler = (frame.cont == Cont::Xpcall).then(|| self.stack[handler_slot]);
        let mut value = self.protected_failure(e, handler)?;
        value = self.close_on_error(frame.func_slot as usize, value)?;
        self.close_upvalues(frame.func_slot as usize);
        self.frames.truncate(p);
        self.place_pcall_results(handler_slot, &[Value::Bool(false), value], frame.wanted)?;
        Ok(frame.returns_to_host)
    }

    /// Runs the `__close` handlers of to-be-closed variables at or above `from`, innermost
    /// first, passing the error; an error in a handler replaces it. Returns the final one.
    pub(crate) fn close_on_error(&mut self, from: usize, mut error: Value) -> Result<Value, RuntimeError> {
        while let Some(&slot) = self.tbc.last() {
            if (slot as usize) < from {
                break;
            }
            self.tbc.pop();
            let v = self.stack[slot as usize];
            let handler = self.metamethod(v, Event::Close);
            if let Err(e) = self.call(handler, &[v, error]) {
                if !e.is_catchable() {
                    return Err(e);
                }
                error = self.error_object(&e)?;
            }
        }
        Ok(error)
    }

    #[cold]
    fn stack_overflow(&self) -> RuntimeError {
        self.error_here_kind(ErrorKind::StackOverflow, "stack overflow")
    }

    #[cold]
    pub(crate) fn ensure_stack_for_frame(&mut self, len: usize) -> Result<(), RuntimeError> {
        self.ensure_stack(len).map_err(|e| match e.kind() {
            ErrorKind::StackOverflow => self.error_here_kind(ErrorKind::StackOverflow, "stack overflow"),
            _ => e,
        })
    }

    /// Records where `n` results now at `dest` end, padding them with nils up to a fixed
    /// `wanted` count (the caller's window holds them: verifier fact V18).
    #[inline(always)]
    pub(crate) fn adjust_results(&mut self, dest: usize, n: usize, wanted: u8) {
        if wanted == VarCount::MULTI_RAW {
            self.top = dest + n;
            self.results = (dest, n);
        } else {
            let w = wanted as usize;
            if n < w {
                self.stack[dest + n..dest + w].fill(Value::Nil);
            }
            self.results = (dest, w);
        }
    }

    /// Hands on `n` results at `start` of a call whose callee was at `func_slot`.
    /// Returns `true` when this pushed another frame (a concatenation's next step).
    fn deliver(
        &mut self,
        func_slot: usize,
        start: usize,
        n: usize,
        wanted: u8,
        cont: Cont,
    ) -> Result<bool, RuntimeError> {
        let first = if n > 0 { self.stack[start] } else { Value::Nil };
        match cont {
            Cont::Normal => {
                self.stack.copy_within(start..start + n, func_slot);
                self.adjust_results(func_slot, n, wanted);
            }
            Cont::Store(slot) => self.stack[slot as usize] = first,
            Cont::Discard => {}
            Cont::Close { top } => self.top = top as usize,
            Cont::Compare => {
                let Some(frame) = self.frames.last_mut() else { return Ok(false) };
                let code = &self.heap.closures.get(frame.closure).proto.code;
                if let Some((target, want)) =
                    frame.pc.checked_sub(1).and_then(|pc| compare_branch(code[pc as usize]))
                {
                    if first.is_truthy() == want {
                        frame.pc = (i64::from(frame.pc) + i64::from(target.0)) as u32;
                    }
                }
            }
            Cont::Concat { remaining } => return self.concat_resume(first, remaining as usize),
            Cont::Pcall | Cont::Xpcall => {
                let dest = func_slot - 1;
                self.stack[dest] = Value::Bool(true);
                self.stack.copy_within(start..start + n, dest + 1);
                self.adjust_results(dest, n + 1, wanted);
            }
        }
        Ok(false)
    }

    /// Pops the current frame, handing on `n` results from `start`. Returns `true` when
    /// the frame returned to the host.
    ///
    /// The usual return, one value to a Lua caller with nothing to close, is inline and
    /// small; everything else is out of line. Inlining all of it into the interpreter
    /// cost the loop the register that keeps the instruction pointer (it then went
    /// through the stack on every instruction: loops, fannkuch and spectralnorm ran
    /// 5-30% slower in wall time for fewer instructions).
    #[inline(always)]
    pub(crate) fn return_from_frame(&mut self, start: usize, n: usize) -> Result<bool, RuntimeError> {
        if let Some(frame) = self.frames.last() {
            let (dest, wanted, base) = (frame.func_slot as usize, frame.wanted, frame.base);
            if n <= 1
                && frame.cont == Cont::Normal
                && !frame.returns_to_host
                && !self.open_upvalues.last().is_some_and(|&(slot, _)| slot >= base)
            {
                self.frames.pop();
                if n == 1 {
                    self.stack[dest] = self.stack[start];
                }
                if wanted == VarCount::MULTI_RAW {
                    // All results wanted (`f(g(x))`, `return g(x)`): they end the stack.
                    self.top = dest + n;
                } else {
                    let w = wanted as usize;
                    if n < w {
                        self.stack[dest + n..dest + w].fill(Value::Nil);
                    }
                }
                // `self.results` is left alone: only host code reads it, after a frame
                // that returns to the host (never this path).
                return Ok(false);
            }
        }
        self.return_any(start, n)
    }

    /// [`Vm::return_from_frame`] in general.
    #[inline(never)]
    fn return_any(&mut self, start: usize, n: usize) -> Result<bool, RuntimeError> {
        let Some(frame) = self.frames.pop() else { return Ok(true) };
        self.debit_fuel(0, n);
        if self.open_upvalues.last().is_some_and(|&(slot, _)| slot >= frame.base) {
            self.close_upvalues(frame.base as usize);
        }
        if frame.cont == Cont::Normal {
            // Results move down to the callee's slot (which is below `start`, so a
            // forward copy is safe; a loop beats `memmove` for the usual few values).
            let dest = frame.func_slot as usize;
            for i in 0..n {
                self.stack[dest + i] = self.stack[start + i];
            }
            self.adjust_results(dest, n, frame.wanted);
        } else {
            self.deliver(frame.func_slot as usize, start, n, frame.wanted, frame.cont)?;
        }
        Ok(frame.returns_to_host)
    }

    /// Replaces the current frame by a call of `stack[func_slot]`. The interpreter takes
    /// a Lua function in the register itself ([`Vm::tail_call_lua`]); this is the rest.
    #[inline(never)]
    pub(crate) fn tail_call(
        &mut self,
        func_slot: usize,
        nargs: usize,
        func: Reg,
    ) -> Result<(), RuntimeError> {
        let nargs = match self.stack[func_slot] {
            Value::Closure(_) | Value::Native(_) => nargs,
            _ => self.resolve_callee(func_slot, nargs, Operand::Register(func))?,
        };
        let n = match self.stack[func_slot] {
            Value::Closure(c) => {
                self.tail_call_lua(c, func_slot, nargs)?;
                return Ok(());
            }
            Value::Native(n) => n,
            other => {
                return Err(RuntimeError::runtime(format!("attempt to call a {} value", other.type_name())))
            }
        };
        if self.heap.native(n).builtin == Some(Builtin::Yield) {
            // `return coroutine.yield(...)`: the frame stays until the resume.
            return self.begin_yield(func_slot, nargs, VarCount::MULTI_RAW, true);
        }
        // A host function cannot reuse the frame: call it, then return its results.
        // (A tail-called `pcall` runs as a host function too, on the Rust stack.)
        if let Err(e) = self.run_native(func_slot, nargs, VarCount::MULTI_RAW, false, Cont::Normal) {
            if let FuelStop::Restart(pending) = &mut self.fuel_stop {
                pending.tail = true;
            }
            return Err(e);
        }
        let (start, n) = self.results;
        self.return_from_frame(start, n)?;
        Ok(())
    }

    /// Calls `handler` with `args` as a metamethod of the instruction running in the top
    /// frame, placing the call above that frame's registers. A Lua handler gets a frame
    /// whose results go to `cont`; a host one runs now. Returns `true` when a frame was
    /// pushed.
    pub(crate) fn call_metamethod(
        &mut self,
        handler: Value,
        args: &[Value],
        cont: Cont,
    ) -> Result<bool, RuntimeError> {
        self.call_metamethod_as(handler, args, cont, Operand::Metamethod(None))
    }

    /// [`Vm::call_metamethod`], naming the handler `from` in an error about calling it.
    pub(crate) fn call_metamethod_as(
        &mut self,
        handler: Value,
        args: &[Value],
        cont: Cont,
        from: Operand,
    ) -> Result<bool, RuntimeError> {
        let slot = match self.frames.last() {
            Some(f) => (f.top as usize).max(self.top),
            None => self.top,
        };
        self.ensure_stack(slot + 1 + args.len())?;
        self.stack[slot] = handler;
        self.stack[slot + 1..slot + 1 + args.len()].copy_from_slice(args);
        let nargs = self.resolve_callee(slot, args.len(), from)?;
        self.begin_call(slot, nargs, 1, false, cont)
    }
}

/// For a compare-and-branch instruction: its jump and whether it jumps when the
/// relation holds (`true`) or when it does not (`false`).
fn compare_branch(instr: Instr) -> Option<(Jump, bool)> {
    Some(match instr {
        Instr::JEq { target, .. }
        | Instr::JLt { target, .. }
        | Instr::JLe { target, .. }
        | Instr::JEqK { target, .. }
        | Instr::JEqI { target, .. }
        | Instr::JLtI { target, .. }
        | Instr::JLeI { target, .. }
        | Instr::JGtI { target, .. }
        | Instr::JGeI { target, .. } => (target, true),
        Instr::JNe { target, .. }
        | Instr::JNlt { target, .. }
        | Instr::JNle { target, .. }
        | Instr::JNeK { target, .. }
        | Instr::JNeI { target, .. }
        | Instr::JNltI { target, .. }
        | Instr::JNleI { target, .. }
        | Instr::JNgtI { target, .. }
        | Instr::JNgeI { target, .. } => (target, false),
        _ => return None,
    })
}
