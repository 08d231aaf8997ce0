//! Coroutines: threads of execution with their own register stack and frames.
//!
//! Only the running thread's state lives in the [`Vm`] fields (`stack`, `frames`,
//! `open_upvalues`, `tbc`, `top`, `pending_yield`); every other thread keeps its state in
//! its heap object, and `resume` swaps the two. Because Lua calls, metamethods and
//! `pcall` all run on the explicit frame stack, a coroutine can yield from any depth of
//! them: `yield` leaves the frames as they are and returns to the `resume` that runs the
//! thread. A host function in between (a `table.sort` comparator, say) is the one thing
//! a yield cannot cross ("attempt to yield across a C-call boundary").
//!
//! Each `resume` runs the coroutine on the Rust stack of its caller, so nested resumes
//! count as host re-entries (`max_host_depth`).

use crate::call::Cont;
use crate::error::{ErrorKind, RuntimeError};
use crate::heap::Upvalue;
use crate::value::{Gc, ThreadRef, Value};
use crate::vm::{Frame, Vm};

/// Where a `yield` call wants the values of the next `resume`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingYield {
    pub func_slot: u32,
    pub wanted: u8,
    /// The yield was a tail call: its frame returns the values at once.
    pub tail: bool,
}

/// What a coroutine is doing, as `coroutine.status` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoStatus {
    /// Created and not started, or stopped in a `yield`.
    Suspended,
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Finished, or stopped by an error.
    Dead,
}

/// A thread's execution state while it is not running.
#[derive(Debug, Default)]
pub(crate) struct SavedState {
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub open_upvalues: Vec<(u32, Gc<Upvalue>)>,
    pub tbc: Vec<u32>,
    pub top: usize,
    pub pending_yield: Option<PendingYield>,
}

/// A coroutine (or the main thread).
#[derive(Debug)]
pub struct Thread {
    pub(crate) saved: SavedState,
    pub status: CoStatus,
    /// The function to run, until the first resume starts it.
    pub(crate) body: Option<Value>,
    /// The error that killed it, for `coroutine.close`.
    pub(crate) error: Option<Value>,
}

impl Thread {
    pub(crate) fn main() -> Thread {
        Thread { saved: SavedState::default(), status: CoStatus::Running, body: None, error: None }
    }

    /// Stack slots of the saved state that hold live values.
    fn live_len(&self) -> usize {
        let live = self.saved.frames.last().map_or(0, |fr| fr.top as usize).max(self.saved.top);
        live.min(self.saved.stack.len())
    }

    /// Clears the saved stack above its live part (after a collection).
    pub(crate) fn clear_dead_slots(&mut self) {
        let live = self.live_len();
        self.saved.stack[live..].fill(Value::Nil);
    }

    /// Every value the thread's saved state holds (for the collector).
    pub(crate) fn for_each_value(&self, mut f: impl FnMut(Value)) {
        self.saved.stack[..self.live_len()].iter().for_each(|&v| f(v));
        for frame in &self.saved.frames {
            f(Value::Closure(frame.closure));
        }
        if let Some(b) = self.body {
            f(b);
        }
        if let Some(e) = self.error {
            f(e);
        }
    }
}

/// Swaps the running thread's state, in the VM's fields, with the saved state `$saved`
/// (a `&mut SavedState`). Field by field: the interpreter reads them from the `Vm`.
macro_rules! exchange {
    ($vm:ident, $saved:ident) => {
        std::mem::swap(&mut $vm.stack, &mut $saved.stack);
        std::mem::swap(&mut $vm.frames, &mut $saved.frames);
        std::mem::swap(&mut $vm.open_upvalues, &mut $saved.open_upvalues);
        std::mem::swap(&mut $vm.tbc, &mut $saved.tbc);
        std::mem::swap(&mut $vm.top, &mut $saved.top);
        std::mem::swap(&mut $vm.pending_yield, &mut $saved.pending_yield);
    };
}

impl Vm {
    /// The value of an upvalue, wherever it lives.
    #[inline(always)]
    pub(crate) fn upvalue_get(&self, u: Gc<Upvalue>) -> Value {
        match *self.heap.upvalues.get(u) {
            Upvalue::Open { thread, slot } if thread == self.current => self.stack[slot as usize],
            Upvalue::Open { thread, slot } => self.heap.thread(thread).saved.stack[slot as usize],
            Upvalue::Closed(v) => v,
        }
    }

    #[inline]
    pub(crate) fn upvalue_set(&mut self, u: Gc<Upvalue>, v: Value) {
        match *self.heap.upvalues.get(u) {
            Upvalue::Open { thread, slot } if thread == self.current => self.stack[slot as usize] = v,
            Upvalue::Open { thread, slot } => {
                self.heap.threads.get_mut(thread).saved.stack[slot as usize] = v
            }
            Upvalue::Closed(_) => *self.heap.upvalues.get_mut(u) = Upvalue::Closed(v),
        }
    }

    /// A new coroutine that will run `body`.
    pub fn new_coroutine(&mut self, body: Value) -> Result<ThreadRef, RuntimeError> {
        Ok(self.heap.new_thread(Thread {
            saved: SavedState::default(),
            status: CoStatus::Suspended,
            body: Some(body),
            error: None,
        })?)
    }

    /// The running thread and whether it is the main one.
    pub fn running_thread(&self) -> (ThreadRef, bool) {
        (self.current, self.current == self.main_thread)
    }

    /// Whether the running code may yield.
    pub fn is_yieldable(&self) -> bool {
        self.current != self.main_thread && self.host_depth == self.yield_depth
    }

    /// Swaps the running state with `thread`'s saved state and makes it current.
    fn switch_to(&mut self, thread: ThreadRef) {
        let saved = &mut self.heap.threads.get_mut(self.current).saved;
        exchange!(self, saved);
        let target = &mut self.heap.threads.get_mut(thread).saved;
        exchange!(self, target);
        self.current = thread;
    }

    /// `coroutine.resume`: runs `co` until it yields, returns or fails. `Ok(Ok(()))`
    /// for a yield or return, with the values appended to `out`; `Ok(Err(error))` when
    /// the coroutine failed (it is then dead), `Err` for errors of the resume itself or
    /// uncatchable ones.
    pub fn resume_coroutine(
        &mut self,
        co: ThreadRef,
        args: &[Value],
        out: &mut Vec<Value>,
    ) -> Result<Result<(), Value>, RuntimeError> {
        match self.heap.thread(co).status {
            CoStatus::Suspended => {}
            CoStatus::Dead => return Ok(Err(self.new_string(b"cannot resume dead coroutine")?)),
            CoStatus::Running | CoStatus::Normal => {
                return Ok(Err(self.new_string(b"cannot resume non-suspended coroutine")?))
            }
        }
        self.check_host_depth()?;
        let previous = self.current;
        self.host_depth += 1;
        let saved_yield_depth = std::mem::replace(&mut self.yield_depth, self.host_depth);
        let body = self.enter_coroutine(co);
        let outcome = self.run_coroutine(body, args);
        let status = match outcome {
            Ok(false) => CoStatus::Suspended,
            Ok(true) | Err(_) => CoStatus::Dead,
        };
        self.leave_coroutine(co, previous, status);
        self.yield_depth = saved_yield_depth;
        self.host_depth -= 1;
        match outcome {
            Ok(_) => {
                // `yielded` is a buffer kept for the next switch: no allocation per resume.
                match self.yielded[..] {
                    [] => {}
                    [v] => out.push(v),
                    ref values => out.extend_from_slice(values),
                }
                self.yielded.clear();
                Ok(Ok(()))
            }
            Err(e) => self.coroutine_failed(co, e),
        }
    }

    /// Makes `co` (suspended) the running thread: the running one is saved and becomes
    /// "normal" (unless it is the main thread), `co` becomes "running" and hands over
    /// its body if it has not started. One look at each thread does all of it.
    #[inline(never)]
    fn enter_coroutine(&mut self, co: ThreadRef) -> Option<Value> {
        let from = self.heap.threads.get_mut(self.current);
        if self.current != self.main_thread {
            from.status = CoStatus::Normal;
        }
        let saved = &mut from.saved;
        exchange!(self, saved);
        let to = self.heap.threads.get_mut(co);
        to.status = CoStatus::Running;
        let body = to.body.take();
        let target = &mut to.saved;
        exchange!(self, target);
        self.current = co;
        body
    }

    /// Switches back from `co`, leaving it in `status`, to `previous`, running again.
    #[inline(never)]
    fn leave_coroutine(&mut self, co: ThreadRef, previous: ThreadRef, status: CoStatus) {
        let from = self.heap.threads.get_mut(co);
        from.status = status;
        let saved = &mut from.saved;
        exchange!(self, saved);
        let to = self.heap.threads.get_mut(previous);
        if previous != self.main_thread {
            to.status = CoStatus::Running;
        }
        let target = &mut to.saved;
        exchange!(self, target);
        self.current = previous;
    }

    /// The result of a resume whose coroutine failed with `e` (it is dead now).
    #[cold]
    fn coroutine_failed(
        &mut self,
        co: ThreadRef,
        e: RuntimeError,
    ) -> Result<Result<(), Value>, RuntimeError> {
        if !e.is_catchable() {
            return Err(e);
        }
        let value = self.error_object(&e)?;
        self.heap.threads.get_mut(co).error = Some(value);
        Ok(Err(value))
    }

    /// Runs the current (just switched-to) coroutine, which has not started when `body`
    /// is given, until it yields (`false`) or returns (`true`); either way the values it
    /// passes on are left in `yielded`.
    fn run_coroutine(&mut self, body: Option<Value>, args: &[Value]) -> Result<bool, RuntimeError> {
        let started = match body {
            Some(body) => {
                self.ensure_stack(1 + args.len())?;
                self.stack[0] = body;
                self.stack[1..1 + args.len()].copy_from_slice(args);
                self.top = 1 + args.len();
                let nargs = self.resolve_callee(0, args.len(), crate::interp::Operand::None)?;
                self.begin_call(0, nargs, u8::MAX, true, Cont::Normal)
            }
            None => self.deliver_resume_values(args),
        };
        let finished = match started {
            Ok(true) => self.execute(0),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        };
        match finished {
            Ok(()) => {
                let (start, n) = self.results;
                self.yielded.clear();
                self.yielded.extend_from_slice(&self.stack[start..start + n]);
                self.close_upvalues(0);
                self.frames.clear();
                Ok(true)
            }
            Err(e) if e.kind() == ErrorKind::Yield => {
                self.yield_signal = Some(e);
                Ok(false)
            }
            Err(e) => {
                self.close_upvalues(0);
                Err(e)
            }
        }
    }

    /// Hands the values of a `resume` to the `yield` call that stopped the coroutine.
    /// Returns whether frames remain to run.
    fn deliver_resume_values(&mut self, args: &[Value]) -> Result<bool, RuntimeError> {
        let Some(pending) = self.pending_yield.take() else { return Ok(false) };
        let dest = pending.func_slot as usize;
        let n = args.len();
        let needed = dest + n.max(usize::from(pending.wanted.min(250))) + 1;
        if needed > self.stack.len() {
            self.ensure_stack(needed)?;
        }
        // The usual one value without a `memcpy` call.
        match *args {
            [] => {}
            [v] => self.stack[dest] = v,
            _ => self.stack[dest..dest + n].copy_from_slice(args),
        }
        if pending.tail {
            // `return coroutine.yield(...)`: the frame returns the values at once.
            if self.return_from_frame(dest, n)? {
                return Ok(false);
            }
        } else {
            self.adjust_results(dest, n, pending.wanted);
        }
        Ok(!self.frames.is_empty())
    }

    /// `coroutine.yield` called from Lua at `func_slot`: checks it may yield, records
    /// where the resume values go, and stops the interpreter with the yield signal.
    pub(crate) fn begin_yield(
        &mut self,
        func_slot: usize,
        nargs: usize,
        wanted: u8,
        tail: bool,
    ) -> Result<(), RuntimeError> {
        if self.current == self.main_thread {
            return Err(RuntimeError::runtime("attempt to yield from outside a coroutine"));
        }
        if self.host_depth != self.yield_depth {
            return Err(RuntimeError::runtime("attempt to yield across a C-call boundary"));
        }
        self.yielded.clear();
        match self.stack[func_slot + 1..func_slot + 1 + nargs] {
            [] => {}
            [v] => self.yielded.push(v),
            ref values => self.yielded.extend_from_slice(values),
        }
        self.pending_yield = Some(PendingYield { func_slot: func_slot as u32, wanted, tail });
        // The signal is kept between yields: one allocation per VM, not per yield.
        Err(self.yield_signal.take().unwrap_or_else(|| RuntimeError::new(ErrorKind::Yield, String::new())))
    }

    /// `coroutine.close`: closes a suspended or dead coroutine's pending to-be-closed
    /// variables and kills it. `Ok(None)` on success, `Ok(Some(error))` when it had
    /// died in error or a `__close` handler failed.
    pub fn close_coroutine(&mut self, co: ThreadRef) -> Result<Option<Value>, RuntimeError> {
        match self.heap.thread(co).status {
            CoStatus::Suspended | CoStatus::Dead => {}
            CoStatus::Running => return Err(RuntimeError::runtime("cannot close a running coroutine")),
            CoStatus::Normal => return Err(RuntimeError::runtime("cannot close a normal coroutine")),
        }
        let previous = self.current;
        self.switch_to(co);
        let mut error = self.heap.thread(co).error;
        let closed = self.close_on_error(0, error.unwrap_or(Value::Nil));
        self.close_upvalues(0);
        self.frames.clear();
        self.tbc.clear();
        self.stack.clear();
        self.top = 0;
        self.pending_yield = None;
        self.switch_to(previous);
        let thread = self.heap.threads.get_mut(co);
        thread.status = CoStatus::Dead;
        thread.body = None;
        match closed {
            Ok(v) if error.is_some() || !v.is_nil() => error = Some(v),
            Ok(_) => {}
            Err(e) if e.is_catchable() => error = Some(self.error_object(&e)?),
            Err(e) => return Err(e),
        }
        self.heap.threads.get_mut(co).error = error;
        Ok(error)
    }
}
