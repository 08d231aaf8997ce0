//! The garbage collector: precise, tracing, stop-the-world mark and sweep.
//!
//! **Roots** are everything the VM holds outside the heap: the globals, the registry,
//! the values the host pinned (`host`), the debug hook, the string metatable and the other per-type metatables, interned event names, the registered host functions, the running thread's
//! live stack and frames, every thread in the chain of resumes, and objects waiting for
//! their finaliser. Every other object is reached by tracing.
//!
//! **Safe points.** A collection only starts where every value in use is on a stack
//! or in a root: in the interpreter before an instruction that allocates, before a host
//! function is called, and when a script calls `collectgarbage`. Host functions never
//! see a collection start in the middle of their own code, only inside Lua code they
//! call back into; values they keep across such a call must stay reachable (on the
//! stack as arguments, or in `NativeFunction::captures`).
//!
//! **Weak tables** (`__mode` with `k`, `v` or both) do not keep their referents alive;
//! weak-key tables are ephemerons: a value is marked only once its key is. Strings are
//! values, not objects, here as in Lua: they are never cleared from weak tables.
//!
//! **Finalisers** (`__gc`, registered when `setmetatable` gives an object a metatable
//! with that field): an unreachable object with one is kept for one more cycle, and
//! its finaliser runs once, after the collection, at the same safe point. Errors in
//! finalisers become warnings.
//!
//! **Pacing.** After a collection the next one starts when the heap has grown to twice
//! the live size (closer to the limit when twice would pass it).

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use crate::heap::{Heap, Proto, Upvalue, CLOSURE_OVERHEAD, STRING_OVERHEAD, TABLE_OVERHEAD, UPVALUE_SIZE};
use crate::meta::Event;
use crate::value::{Gc, Value};
use crate::vm::Vm;

/// The smallest heap size at which a collection starts. Start-up leaves about 28 KiB
/// live, and Lua's first collections come at twice its 21 KiB. 256 KiB let small
/// programs carry ~300 KiB of garbage more than Lua (coroutines.lua peak RSS 3.1 -> 2.9
/// MiB at 128 KiB); 64 KiB took another 0.2 MiB off (median of 8 alternating runs, 3.17
/// -> 2.97 MiB) for 1-1.5% more instructions in closures.lua and coroutines.lua.
const MIN_THRESHOLD: usize = 64 * 1024;

/// Mark bits for one arena.
#[derive(Default)]
struct Marks(Vec<u64>);

impl Marks {
    fn with_capacity(n: usize) -> Marks {
        Marks(vec![0; n.div_ceil(64)])
    }
    /// Sets the bit; returns whether it was clear.
    fn set(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }
    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
}

/// The collector's state for one collection.
struct Marker {
    strings: Marks,
    tables: Marks,
    closures: Marks,
    upvalues: Marks,
    natives: Marks,
    userdata: Marks,
    threads: Marks,
    gray: Vec<Value>,
    gray_upvalues: Vec<Gc<Upvalue>>,
    /// Prototypes already marked (every traced closure looks its own up: a fast hash).
    protos: HashSet<*const Proto, foldhash::fast::FixedState>,
    /// Weak tables seen: (table, weak keys, weak values).
    weak: Vec<(Gc<crate::heap::Table>, bool, bool)>,
}

impl Marker {
    fn new(heap: &Heap) -> Marker {
        Marker {
            strings: Marks::with_capacity(heap.strings.capacity()),
            tables: Marks::with_capacity(heap.tables.capacity()),
            closures: Marks::with_capacity(heap.closures.capacity()),
            upvalues: Marks::with_capacity(heap.upvalues.capacity()),
            natives: Marks::with_capacity(heap.natives.capacity()),
            userdata: Marks::with_capacity(heap.userdata.capacity()),
            threads: Marks::with_capacity(heap.threads.capacity()),
            gray: Vec::new(),
            gray_upvalues: Vec::new(),
            protos: HashSet::default(),
            weak: Vec::new(),
        }
    }

    /// Whether an object is marked (non-objects always are).
    fn is_marked(&self, v: Value) -> bool {
        match v {
            Value::Str(s) => self.strings.get(s.index()),
            Value::Table(t) => self.tables.get(t.index()),
            Value::Closure(c) => self.closures.get(c.index()),
            Value::Native(n) => self.natives.get(n.index()),
            Value::UserData(u) => self.userdata.get(u.index()),
            Value::Thread(t) => self.threads.get(t.index()),
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => true,
        }
    }

    /// Marks `v`, queueing it for tracing the first time.
    fn mark(&mut self, v: Value) {
        let fresh = match v {
            Value::Str(s) => {
                self.strings.set(s.index());
                false // strings hold nothing
            }
            Value::Table(t) => self.tables.set(t.index()),
            Value::Closure(c) => self.closures.set(c.index()),
            Value::Native(n) => self.natives.set(n.index()),
            Value::UserData(u) => self.userdata.set(u.index()),
            Value::Thread(t) => self.threads.set(t.index()),
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => false,
        };
        if fresh {
            self.gray.push(v);
        }
    }

    fn mark_upvalue(&mut self, u: Gc<Upvalue>) {
        if self.upvalues.set(u.index()) {
            self.gray_upvalues.push(u);
        }
    }

    /// Marks the constants and imports of `proto` and of every prototype nested in it.
    /// A loop over an explicit list: a verified module may nest functions very deep.
    fn mark_proto(&mut self, proto: &Arc<Proto>) {
        let mut pending = vec![proto.clone()];
        while let Some(proto) = pending.pop() {
            if !self.protos.insert(Arc::as_ptr(&proto)) {
                continue;
            }
            for &k in proto.constants.iter() {
                self.mark(k);
            }
            for &import in proto.imports.iter() {
                self.mark(import);
            }
            pending.extend(proto.children.iter().cloned());
        }
    }

    /// Traces everything queued, following references until nothing new is reached.
    fn propagate(&mut self, vm: &Vm) {
        loop {
            if let Some(v) = self.gray.pop() {
                self.trace(vm, v);
            } else if let Some(u) = self.gray_upvalues.pop() {
                match *vm.heap.upvalues.get(u) {
                    Upvalue::Closed(v) => self.mark(v),
                    Upvalue::Open { thread, .. } => self.mark(Value::Thread(thread)),
                }
            } else {
                break;
            }
        }
    }

    fn trace(&mut self, vm: &Vm, v: Value) {
        let heap = &vm.heap;
        match v {
            Value::Table(t) => {
                let table = heap.table(t);
                let (weak_keys, weak_values) = match table.metatable {
                    Some(mt) => {
                        self.mark(Value::Table(mt));
                        weak_mode(vm, mt)
                    }
                    None => (false, false),
                };
                if weak_keys || weak_values {
                    self.weak.push((t, weak_keys, weak_values));
                }
                table.for_each_entry(|k, val| {
                    if !weak_keys || matches!(k, Value::Str(_)) {
                        self.mark(k);
                    }
                    // A strong value is marked, in an ephemeron only once its key is
                    // (see `converge`); strings are never weak.
                    let strong = if weak_values { false } else { !weak_keys || self.is_marked(k) };
                    if strong || matches!(val, Value::Str(_)) {
                        self.mark(val);
                    }
                });
            }
            Value::Closure(c) => {
                let closure = heap.closure(c);
                self.mark_proto(&closure.proto);
                for u in closure.upvalues.iter() {
                    self.mark_upvalue(u.get());
                }
            }
            Value::Native(n) => {
                for &captured in heap.native(n).captures.iter() {
                    self.mark(captured);
                }
            }
            Value::UserData(u) => {
                let ud = heap.userdata(u);
                if let Some(mt) = ud.metatable {
                    self.mark(Value::Table(mt));
                }
                self.mark(ud.user_value);
            }
            Value::Thread(t) => {
                let thread = heap.thread(t);
                thread.for_each_value(|v| self.mark(v));
                for &(_, u) in &thread.saved.open_upvalues {
                    self.mark_upvalue(u);
                }
            }
            Value::Str(_) | Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
        }
    }

    /// Marks values of weak-key tables whose keys became reachable, until no more are.
    fn converge(&mut self, vm: &Vm) {
        loop {
            self.propagate(vm);
            let mut more = Vec::new();
            for &(t, weak_keys, weak_values) in &self.weak {
                if weak_keys && !weak_values {
                    vm.heap.table(t).for_each_entry(|k, v| {
                        if self.is_marked(k) && !self.is_marked(v) {
                            more.push(v);
                        }
                    });
                }
            }
            if more.is_empty() {
                break;
            }
            for v in more {
                self.mark(v);
            }
        }
    }
}

/// The identity of an object that can have a finaliser (tables and userdata).
fn finalizable_key(v: Value) -> Option<(u8, u32)> {
    match v {
        Value::Table(t) => Some((0, t.id())),
        Value::UserData(u) => Some((1, u.id())),
        _ => None,
    }
}

/// A table's `__mode`: (weak keys, weak values).
fn weak_mode(vm: &Vm, mt: Gc<crate::heap::Table>) -> (bool, bool) {
    match vm.heap.table(mt).get_hashed(Value::Str(vm.events.get(Event::Mode))) {
        Value::Str(s) => {
            let mode = vm.heap.str(s).as_bytes();
            (mode.contains(&b'k'), mode.contains(&b'v'))
        }
        _ => (false, false),
    }
}

/// Collector settings and counters kept in the VM.
#[derive(Debug)]
pub(crate) struct GcState {
    /// Heap size at which the next collection starts.
    pub threshold: usize,
    /// `collectgarbage("stop")` turns automatic collections off.
    pub running: bool,
    /// Objects whose metatable had `__gc` when it was set, not yet finalised.
    pub finalizable: Vec<Value>,
    /// The objects in `finalizable`, for a constant-time "already registered" test.
    pub registered: HashSet<(u8, u32)>,
    /// Unreachable objects whose finalisers are due, oldest first.
    pub due: VecDeque<Value>,
    /// Set while finalisers run, so they do not start a collection inside one.
    pub finalizing: bool,
    /// "incremental" or "generational", as last set (both use this collector).
    pub mode_generational: bool,
}

impl Default for GcState {
    fn default() -> Self {
        GcState {
            threshold: MIN_THRESHOLD,
            running: true,
            finalizable: Vec::new(),
            registered: HashSet::new(),
            due: VecDeque::new(),
            finalizing: false,
            mode_generational: false,
        }
    }
}

/// Instructions the finalisers run at teardown may use in total, so dropping a VM
/// always ends.
const TEARDOWN_FUEL: u64 = 10_000_000;

impl Drop for Vm {
    fn drop(&mut self) {
        self.abandon();
        self.unwind_to(0);
        // Every object with a finaliser is finalised when the VM goes, as when a Lua
        // state closes; the budget bounds the work.
        let all = std::mem::take(&mut self.gc.finalizable);
        self.gc.registered.clear();
        self.gc.due.extend(all.into_iter().rev());
        self.clear_hook();
        let fuel = self.fuel().min(TEARDOWN_FUEL);
        self.set_fuel(fuel);
        let _ = self.run_finalizers();
    }
}

impl Vm {
    /// Stops or restarts automatic collections (`collectgarbage("stop"/"restart")`).
    pub fn set_gc_running(&mut self, running: bool) {
        self.gc.running = running;
    }

    /// Whether automatic collections are on.
    pub fn gc_running(&self) -> bool {
        self.gc.running
    }

    /// Switches the reported mode; returns the previous one. Both modes use the same
    /// stop-the-world collector.
    pub fn set_gc_generational(&mut self, generational: bool) -> bool {
        std::mem::replace(&mut self.gc.mode_generational, generational)
    }

    /// Whether an automatic collection is due (checked at safe points).
    #[inline]
    pub(crate) fn gc_due(&self) -> bool {
        self.heap.bytes() > self.gc.threshold && self.gc.running
    }

    /// A collection at a safe point, if one is due, then any due finalisers.
    pub(crate) fn gc_safe_point(&mut self) -> Result<(), crate::RuntimeError> {
        if self.gc_due() && !self.gc.finalizing {
            self.collect_garbage();
            self.run_finalizers()?;
        }
        Ok(())
    }

    /// Records that `v` got a metatable with `__gc`.
    pub(crate) fn register_finalizer(&mut self, v: Value) {
        if let Some(key) = finalizable_key(v) {
            if self.gc.registered.insert(key) {
                self.gc.finalizable.push(v);
            }
        }
    }

    /// A full collection. Finalisers found due are queued; see [`Vm::run_finalizers`].
    pub fn collect_garbage(&mut self) {
        self.drain_released();
        let mut m = Marker::new(&self.heap);
        self.mark_roots(&mut m);
        m.converge(self);

        // Unreachable objects with finalisers are kept for one more cycle.
        let finalizable = std::mem::take(&mut self.gc.finalizable);
        let (dead, alive): (Vec<Value>, Vec<Value>) = finalizable.into_iter().partition(|&v| !m.is_marked(v));
        self.gc.finalizable = alive;
        for &v in &dead {
            if let Some(key) = finalizable_key(v) {
                self.gc.registered.remove(&key);
            }
        }
        // Weak values referring to them are cleared before they are resurrected.
        self.clear_weak(&m, false, true);
        for &v in &dead {
            m.mark(v);
        }
        m.converge(self);
        self.clear_weak(&m, true, true);
        // Lua runs finalisers in the reverse order of their registration.
        self.gc.due.extend(dead.into_iter().rev());

        self.sweep(&m);
        let live = self.heap.bytes();
        let limit = self.heap.limit();
        let doubled = live.saturating_mul(2).max(MIN_THRESHOLD);
        self.gc.threshold = if doubled < limit { doubled } else { live + (limit.saturating_sub(live)) / 2 };
    }

    fn mark_roots(&self, m: &mut Marker) {
        m.mark(Value::Table(self.globals));
        if let Some(mt) = self.string_metatable {
            m.mark(Value::Table(mt));
        }
        for mt in self.type_metatables.iter().flatten() {
            m.mark(Value::Table(*mt));
        }
        m.mark(Value::Table(self.registry));
        m.mark(self.hook.func);
        for n in [self.running_native, self.error_native.map(|e| e.0), self.handler_native.map(|h| h.0)]
            .into_iter()
            .flatten()
        {
            m.mark(Value::Native(n));
        }
        for &name in self.events.names() {
            m.mark(Value::Str(name));
        }
        for &native in self.host_function_values() {
            m.mark(Value::Native(native));
        }
        if let Some(f) = self.ipairs_iter {
            m.mark(f);
        }
        // Values the host pinned or holds for the length of an operation.
        for v in self.host.roots() {
            m.mark(v);
        }
        m.mark(Value::Thread(self.main_thread));
        m.mark(Value::Thread(self.current));
        // Threads waiting in the chain of resumes.
        for (i, thread) in self.heap.threads.iter() {
            if matches!(
                thread.status,
                crate::coroutine::CoStatus::Normal | crate::coroutine::CoStatus::Running
            ) {
                m.mark(Value::Thread(Gc::from_index(i as u32)));
            }
        }
        // The running thread's state lives in the VM.
        let live = self.live_stack_len();
        for &v in &self.stack[..live] {
            m.mark(v);
        }
        for frame in &self.frames {
            m.mark(Value::Closure(frame.closure));
        }
        for &(_, u) in &self.open_upvalues {
            m.mark_upvalue(u);
        }
        for &v in &self.yielded {
            m.mark(v);
        }
        for &v in &self.gc.due {
            m.mark(v);
        }
    }

    /// Slots of the running thread's stack that hold live values. When a host function
    /// is the innermost call, registers of its caller above the call are dead (a call
    /// uses the top of its caller's registers), as in Lua, so they do not keep garbage.
    fn live_stack_len(&self) -> usize {
        let frame = self.frames.last();
        let live = match self.native_top {
            Some(n) if frame.map_or(true, |f| (f.func_slot as usize) < n) => n,
            _ => frame.map_or(0, |f| f.top as usize).max(self.top),
        };
        live.min(self.stack.len())
    }

    fn clear_weak(&mut self, m: &Marker, keys: bool, values: bool) {
        for &(t, weak_keys, weak_values) in &m.weak {
            let dead = |v: Value| !m.is_marked(v);
            let _ = self
                .heap
                .with_table(t, |table| table.clear_dead(keys && weak_keys, values && weak_values, dead));
        }
    }

    fn sweep(&mut self, m: &Marker) {
        let mut freed = 0usize;
        let heap = &mut self.heap;
        heap.interned.retain(|s| m.strings.get(s.index()));
        heap.strings.sweep(|i| m.strings.get(i), |s| freed += STRING_OVERHEAD + s.len());
        heap.tables.sweep(|i| m.tables.get(i), |t| freed += TABLE_OVERHEAD + t.payload_bytes());
        heap.closures.sweep(|i| m.closures.get(i), |c| freed += CLOSURE_OVERHEAD + c.upvalues.len() * 4);
        heap.upvalues.sweep(|i| m.upvalues.get(i), |_| freed += UPVALUE_SIZE);
        heap.natives.sweep(|i| m.natives.get(i), |n| freed += CLOSURE_OVERHEAD + n.name.len());
        heap.userdata.sweep(|i| m.userdata.get(i), |u| freed += TABLE_OVERHEAD + u.size);
        heap.threads.sweep(
            |i| m.threads.get(i),
            |t| freed += TABLE_OVERHEAD * 2 + t.saved.stack.len() * std::mem::size_of::<Value>(),
        );
        heap.release(freed);
        // Dead slots above the live part of a stack may name freed objects: clear them.
        let live = self.live_stack_len();
        self.stack[live..].fill(Value::Nil);
        for (_, thread) in self.heap.threads.iter_mut() {
            thread.clear_dead_slots();
        }
    }

    /// Runs the finalisers that are due, oldest first. Errors in them become warnings.
    pub fn run_finalizers(&mut self) -> Result<(), crate::RuntimeError> {
        if self.gc.finalizing {
            return Ok(());
        }
        self.gc.finalizing = true;
        let mut outcome = Ok(());
        while let Some(v) = self.gc.due.pop_front() {
            let handler = self.metamethod(v, Event::Gc);
            if handler.is_nil() {
                continue;
            }
            if let Err(e) = self.call(handler, &[v]) {
                if !e.is_catchable() {
                    outcome = Err(e);
                    break;
                }
                let message = format!("error in __gc metamethod ({})", e.message());
                self.warn_always(message.as_bytes());
            }
        }
        self.gc.finalizing = false;
        outcome
    }
}
