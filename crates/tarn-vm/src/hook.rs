//! Debug hooks (`debug.sethook`): call, return, line and count events.
//!
//! A hook costs nothing while none is set. The interpreter already checks its fuel
//! counter before every instruction; setting a hook moves the remaining fuel into
//! [`HookState::held_fuel`] and leaves the loop's counter at zero, so every instruction
//! takes the cold path [`Vm::fuel_out_or_hook`], which charges the held fuel, runs the
//! hooks due and lets the instruction run. Clearing the hook gives the fuel back. The
//! fast loop has no other test.
//!
//! The same cold path serves interrupts. Without a hook the loop's counter holds at
//! most one slice ([`crate::vm::FUEL_SLICE`] instructions) of the fuel and the rest
//! waits in `Vm::fuel_reserve`; when the slice is used up the cold path looks at the
//! interrupt flag and hands out the next slice. So an interrupt is seen within a slice,
//! the fuel still counts exactly, and the loop pays one cold call per slice.
//!
//! Events, as Lua 5.4 defines them:
//! - **call** / **tail call**: before the first instruction of a Lua function (its frame
//!   carries [`FRAME_ENTERED`] once reported), and before a host function runs;
//! - **return**: before a Lua `return` instruction that leaves its frame, and after a
//!   host function returns;
//! - **line**: before an instruction whose line differs from the previous one in the
//!   same function, or that a backward jump reached (even on the same line), and at the
//!   start of a function;
//! - **count**: every `count` instructions.
//!
//! The hook is a function called through [`Vm::call`] (a counted host re-entry) with the
//! event name and, for line events, the line. Hooks are off while it runs, as in Lua.
//! An error in the hook propagates from the instruction that triggered it.
//!
//! Hooks are per VM, not per thread as in Lua: a hook set in one coroutine also sees the
//! others. `pcall`, `xpcall` and `coroutine.yield` called from Lua run inside the
//! interpreter, not as host functions, so they report no call or return events.

use crate::error::{ErrorKind, RuntimeError};
use crate::value::{ClosureRef, Value};
use crate::vm::Vm;

pub(crate) const MASK_CALL: u8 = 1;
pub(crate) const MASK_RET: u8 = 2;
pub(crate) const MASK_LINE: u8 = 4;
pub(crate) const MASK_COUNT: u8 = 8;

/// Frame flag: the frame was entered by a tail call.
pub(crate) const FRAME_TAIL: u8 = 1;
/// Frame flag: its call event has been reported (or needs none).
pub(crate) const FRAME_ENTERED: u8 = 2;

/// The hook set by `debug.sethook`.
#[derive(Debug)]
pub(crate) struct HookState {
    /// A hook is set: the fuel is in `held_fuel` and the loop's counter is zero.
    pub active: bool,
    pub func: Value,
    pub mask: u8,
    /// The count of a count hook (0: none).
    pub count: u32,
    /// Instructions left until the next count event.
    pub counter: u32,
    /// The fuel while a hook is set.
    pub held_fuel: u64,
    /// The hook function is running (hooks are off).
    pub running: bool,
    /// While a Lua hook function runs: the index of its frame.
    pub hook_frame: Option<usize>,
    /// While the hook runs for a host function's call or return: that function.
    pub native: Option<crate::value::NativeRef>,
    /// The last instruction run with a line hook set: (frame depth, closure, pc).
    pub last: Option<(usize, ClosureRef, usize)>,
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            active: false,
            func: Value::Nil,
            mask: 0,
            count: 0,
            counter: 0,
            held_fuel: 0,
            running: false,
            hook_frame: None,
            native: None,
            last: None,
        }
    }
}

impl Vm {
    /// Sets the hook (`func` with `mask` and `count`), or clears it when `func` is nil or
    /// nothing is asked for. Frames already running count as entered: they get no call
    /// event.
    pub(crate) fn set_hook(&mut self, func: Value, mask: u8, count: u32) {
        let mask = if count > 0 { mask | MASK_COUNT } else { mask & !MASK_COUNT };
        if func.is_nil() || mask == 0 {
            self.clear_hook();
            return;
        }
        if !self.hook.active {
            self.hook.held_fuel = self.fuel.saturating_add(self.fuel_reserve);
            self.fuel = 0;
            self.fuel_reserve = 0;
            self.hook.active = true;
        }
        self.hook.func = func;
        self.hook.mask = mask;
        self.hook.count = count;
        self.hook.counter = count;
        self.hook.last = None;
        for frame in &mut self.frames {
            frame.flags |= FRAME_ENTERED;
        }
        for (_, thread) in self.heap.threads.iter_mut() {
            for frame in &mut thread.saved.frames {
                frame.flags |= FRAME_ENTERED;
            }
        }
    }

    /// Removes the debug hook a script set with `debug.sethook`, if any (a host's way
    /// out of a hook that fails every time).
    pub fn clear_hook(&mut self) {
        let held = self.hook.active.then_some(self.hook.held_fuel);
        let running = self.hook.running;
        let (hook_frame, native) = (self.hook.hook_frame, self.hook.native);
        self.hook = HookState { running, hook_frame, native, ..HookState::default() };
        if let Some(fuel) = held {
            self.set_fuel(fuel);
        }
    }

    /// The hook function, its mask and count (`debug.gethook`).
    pub(crate) fn hook(&self) -> Option<(Value, u8, u32)> {
        self.hook.active.then_some((self.hook.func, self.hook.mask, self.hook.count))
    }

    /// The interpreter's cold path when its fuel counter is zero: the slice is used up
    /// (see [`crate::vm::FUEL_SLICE`]), the fuel is, an interrupt is waiting, or a hook
    /// is set. `pc` is the instruction about to run. On `Ok` the loop charges one unit
    /// from its counter, so this leaves at least one there.
    #[cold]
    #[inline(never)]
    pub(crate) fn fuel_out_or_hook(&mut self, pc: usize) -> Result<(), RuntimeError> {
        if self.interrupt_requested() {
            // Stopped before `pc`, as running out of fuel stops (the loop saves the pc
            // only for that error).
            if let Some(frame) = self.frames.last_mut() {
                frame.pc = pc as u32;
            }
            return Err(RuntimeError::new(ErrorKind::Interrupted, "interrupted"));
        }
        if !self.hook.active {
            if self.fuel_reserve == 0 {
                self.fuel_stop = crate::vm::FuelStop::InLoop;
                return Err(RuntimeError::new(ErrorKind::OutOfFuel, "out of fuel"));
            }
            // The next slice: the loop counts it down without any other check.
            let slice = self.fuel_reserve.min(crate::vm::FUEL_SLICE);
            self.fuel_reserve -= slice;
            self.fuel = slice;
            return Ok(());
        }
        if self.hook.held_fuel == 0 {
            self.fuel_stop = crate::vm::FuelStop::InLoop;
            return Err(RuntimeError::new(ErrorKind::OutOfFuel, "out of fuel"));
        }
        self.hook.held_fuel -= 1;
        if !self.hook.running {
            self.instruction_hooks(pc)?;
        }
        if self.hook.active {
            self.fuel = 1;
        } else {
            // The hook cleared itself and gave the fuel back; this unit is paid.
            self.fuel = self.fuel.saturating_add(1);
        }
        Ok(())
    }

    /// Runs the call, count, line and return events due before instruction `pc` of the
    /// innermost frame.
    fn instruction_hooks(&mut self, pc: usize) -> Result<(), RuntimeError> {
        let depth = self.frames.len();
        let Some(frame) = self.frames.last_mut() else { return Ok(()) };
        // The hook sees this instruction as the current one (its line, its errors).
        frame.pc = pc as u32 + 1;
        let frame = *frame;
        if frame.flags & FRAME_ENTERED == 0 {
            if let Some(f) = self.frames.last_mut() {
                f.flags |= FRAME_ENTERED;
            }
            if self.hook.mask & MASK_CALL != 0 {
                let event = if frame.flags & FRAME_TAIL != 0 { "tail call" } else { "call" };
                self.run_hook(event, None)?;
            }
        }
        if self.hook.mask & MASK_COUNT != 0 {
            self.hook.counter = self.hook.counter.saturating_sub(1);
            if self.hook.counter == 0 {
                self.hook.counter = self.hook.count;
                self.run_hook("count", None)?;
            }
        }
        let proto = self.heap.closure(frame.closure).proto.clone();
        if self.hook.mask & MASK_LINE != 0 {
            let line = proto.line(pc);
            let new_line = match self.hook.last {
                Some((d, c, last)) if d == depth && c == frame.closure => {
                    pc <= last || line != proto.line(last)
                }
                // Back in a caller after a return: the call was the last instruction.
                Some((d, _, _)) if d > depth && pc > 0 => line != proto.line(pc - 1),
                _ => true,
            };
            self.hook.last = Some((depth, frame.closure, pc));
            if let (true, Some(line)) = (new_line, line) {
                self.run_hook("line", Some(line))?;
            }
        }
        if self.hook.mask & MASK_RET != 0 {
            if let Some(tarn_bytecode::Instr::Return { .. }) = proto.code.get(pc) {
                // A return that first closes to-be-closed variables runs again later.
                if !self.tbc.last().is_some_and(|&s| s >= frame.base) {
                    self.run_hook("return", None)?;
                }
            }
        }
        Ok(())
    }

    /// The call or return event of a host function (`MASK_CALL` or `MASK_RET`), run
    /// by `run_native` while a hook is set.
    pub(crate) fn native_hook(&mut self, event: u8) -> Result<(), RuntimeError> {
        if self.hook.running || self.hook.mask & event == 0 {
            return Ok(());
        }
        let saved = std::mem::replace(&mut self.hook.native, self.running_native);
        let outcome = self.run_hook(if event == MASK_CALL { "call" } else { "return" }, None);
        self.hook.native = saved;
        outcome
    }

    /// Calls the hook function with the event (and line), hooks off meanwhile.
    fn run_hook(&mut self, event: &str, line: Option<u32>) -> Result<(), RuntimeError> {
        if !self.hook.active || self.hook.running {
            return Ok(());
        }
        let func = self.hook.func;
        let name = self.new_string(event.as_bytes())?;
        let args = [name, line.map_or(Value::Nil, |l| Value::Int(i64::from(l)))];
        let n = if line.is_some() { 2 } else { 1 };
        self.hook.running = true;
        self.hook.hook_frame = Some(self.frames.len());
        let outcome = self.call(func, &args[..n]);
        self.hook.running = false;
        self.hook.hook_frame = None;
        outcome.map(|_| ())
    }
}
