//! The VM: one heap, one globals table, one register stack with its frames, the limits,
//! and the host functions modules may import.
//!
//! Loading turns a [`VerifiedModule`] into runtime prototypes and links its imports
//! against the host functions registered by name; a module naming a function the host did
//! not register is refused here, before any of it runs. Only verified modules can be
//! loaded: the type has no other constructor than the verifier.
//!
//! Calls made by the host run on the same explicit frame stack as Lua-to-Lua calls. When a
//! call the host made directly runs out of fuel, its frames stay in place and
//! [`Vm::resume`] continues it with more fuel.

use std::collections::HashMap;
use std::sync::Arc;

use tarn_bytecode::module::UpvalSource;
use tarn_bytecode::{Constant, VerifiedModule};

use crate::error::{ErrorKind, RuntimeError};
use crate::heap::{Heap, HeapError, HostFn, Proto, Upvalue};
use crate::value::{Gc, NativeRef, StrRef, TableRef, Value};

/// Resource limits. Every one ends in a clean error, never a host crash.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Instructions a call may execute before stopping with [`ErrorKind::OutOfFuel`].
    pub fuel: u64,
    /// Bytes the heap may hold.
    pub max_heap: usize,
    /// Nested Lua calls (frames on the stack).
    pub max_depth: usize,
    /// Register stack slots across all frames.
    pub max_stack: usize,
    /// Length of one string in bytes.
    pub max_string: usize,
    /// Nested re-entries from host functions back into the interpreter.
    pub max_host_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: u64::MAX,
            max_heap: 1 << 30,
            // Lua's own limits: about 200 000 frames ("stack overflow"), one million
            // stack slots, and 200 nested C calls ("C stack overflow").
            max_depth: 200_000,
            max_stack: 1_000_000,
            max_string: 1 << 30,
            max_host_depth: 200,
        }
    }
}

/// A call frame of a Lua function. Host functions run without frames.
///
/// In C order, so that the fields a call sets to constants (`pc` to `cont`, and the last
/// two bytes) are neighbours that the compiler writes with a few wide stores.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct Frame {
    /// The closure's prototype and upvalue list, for the interpreter.
    pub code: crate::interp::FrameCode,
    pub closure: Gc<crate::heap::Closure>,
    /// Stack index of register 0.
    pub base: u32,
    /// Stack index one past the last register.
    pub top: u32,
    /// Stack index where the callee was, and where results go.
    pub func_slot: u32,
    /// Index of the next instruction to run.
    pub pc: u32,
    /// Extra arguments, stored just below `base`.
    pub varargs_start: u32,
    pub num_varargs: u32,
    /// What happens to the results.
    pub cont: crate::call::Cont,
    /// Results the caller wants, or `u8::MAX` for all.
    pub wanted: u8,
    /// Returning from this frame ends the current `execute`.
    pub returns_to_host: bool,
    /// Debug bits: [`crate::hook::FRAME_TAIL`] (entered by a tail call) and
    /// [`crate::hook::FRAME_ENTERED`] (its call hook has run).
    pub flags: u8,
}

/// Instructions the interpreter runs between two looks at the interrupt flag: its fuel
/// counter holds at most this much of the fuel, the rest waits in `fuel_reserve` (see
/// `hook`). Small enough that an interrupt lands within microseconds, large enough that
/// the extra cold call per slice does not show in any benchmark.
pub const FUEL_SLICE: u64 = 10_000;

/// A call stopped by the fuel limit, waiting for [`Vm::resume`].
#[derive(Debug, Clone)]
struct Suspended {
    /// Number of frames below the suspended call's entry frame.
    entry_depth: usize,
    /// A host function that ran out of fuel and runs again from its start on resume.
    restart: Option<PendingNative>,
}

/// A host function called from Lua that stopped for want of fuel before it re-entered
/// the interpreter: it is called again, with the same arguments (still on the stack),
/// when the call is resumed. Library functions charge fuel before they change
/// anything, so running one again from its start is invisible.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PendingNative {
    pub func_slot: usize,
    pub nargs: usize,
    pub wanted: u8,
    pub cont: crate::call::Cont,
    /// Called by a tail call: its results return from the calling frame.
    pub tail: bool,
}

/// Where the last "out of fuel" came from, which decides whether the call can resume.
#[derive(Debug, Clone, Default)]
pub(crate) enum FuelStop {
    /// The interpreter's fuel check, before an instruction: resumable.
    #[default]
    InLoop,
    /// A host function called from Lua, which can run again from its start.
    Restart(PendingNative),
    /// Inside Lua code that a host function called (on the Rust stack, gone now), or a
    /// host function the host called directly: not resumable. Names the function.
    Lost(Arc<str>),
}

/// Compiles Lua source text (`source`, `chunkname`) into a module, or says why not.
pub type Compiler = dyn Fn(&[u8], &str) -> Result<tarn_bytecode::Module, String> + Send + Sync;

/// A stack slot a host function reserved to keep a value alive ([`Vm::root_slot`]).
#[derive(Debug, Clone, Copy)]
pub struct RootSlot(usize);

/// Receives what `print` writes.
pub type OutputSink = dyn FnMut(&[u8]) -> std::io::Result<()> + Send;

/// Receives warnings (`warn`).
pub type WarningSink = dyn FnMut(&[u8]) + Send;

/// One Tarn virtual machine.
pub struct Vm {
    pub(crate) heap: Heap,
    pub(crate) globals: TableRef,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<Frame>,
    /// The running thread: the main one or a coroutine. The fields below up to `top`
    /// are its execution state; other threads keep theirs in their heap object.
    pub(crate) current: crate::value::ThreadRef,
    pub(crate) main_thread: crate::value::ThreadRef,
    /// Where the values passed to the next `resume` go (set by `yield`).
    pub(crate) pending_yield: Option<crate::coroutine::PendingYield>,
    /// The host depth at which the running coroutine was resumed: `yield` is only
    /// possible when no host function lies in between.
    pub(crate) yield_depth: usize,
    /// Values a `yield` passes to its `resume`.
    pub(crate) yielded: Vec<Value>,
    /// Open upvalues, sorted by stack slot.
    pub(crate) open_upvalues: Vec<(u32, Gc<Upvalue>)>,
    /// Stack slots of live to-be-closed variables, in creation order.
    pub(crate) tbc: Vec<u32>,
    /// The interned names of metamethod events.
    pub(crate) events: crate::meta::EventNames,
    /// A buffer for `concat` to join its operands in.
    pub(crate) concat_buffer: Vec<u8>,
    /// The error value that carries a `yield` to its `resume`, kept for the next one.
    pub(crate) yield_signal: Option<RuntimeError>,
    /// Where `__index` was last found in metatables, by metatable id modulo the length:
    /// a method call looks it up in the class's metatable every time.
    pub(crate) index_hints: [crate::table::SlotHint; 16],
    /// One past the last value of a variable-count result (see the ISA's `*`).
    pub(crate) top: usize,
    /// The interpreter's fuel counter: at most [`FUEL_SLICE`] of the fuel (all of it is
    /// `fuel + fuel_reserve`, or the hook's held fuel while a hook is set).
    pub(crate) fuel: u64,
    pub(crate) fuel_reserve: u64,
    /// Why the last call ran out of fuel (see [`FuelStop`]).
    pub(crate) fuel_stop: FuelStop,
    /// Counts re-entries of the interpreter from host code (calls and coroutine
    /// resumes), so a host function can tell whether Lua ran while it did.
    pub(crate) host_entries: u64,
    /// Pins, temporaries, host data and the interrupt flag (see `host`).
    pub(crate) host: crate::host::HostState,
    pub(crate) limits: Limits,
    pub(crate) host_depth: usize,
    /// Whether the running host function was called by Lua code (rather than by the host
    /// or another host function): decides whether its errors get a line position.
    pub(crate) native_called_from_lua: bool,
    /// While a host function runs: the end of its arguments on the stack.
    pub(crate) native_top: Option<usize>,
    /// The metatable every string shares (set by the string library).
    pub(crate) string_metatable: Option<TableRef>,
    /// The metatables of the other basic types without their own (nil, boolean, number,
    /// function, thread), set by `debug.setmetatable`; see [`crate::meta::type_slot`].
    pub(crate) type_metatables: [Option<TableRef>; crate::meta::TYPE_SLOTS],
    /// The registry (`debug.getregistry`): a table for hosts and libraries, a GC root.
    pub(crate) registry: TableRef,
    /// The debug hook (`debug.sethook`) and the fuel it holds back while set.
    pub(crate) hook: crate::hook::HookState,
    /// The host function running now, if any (level 0 of `debug.getinfo`).
    pub(crate) running_native: Option<NativeRef>,
    /// The host function whose error is unwinding: (function, frame depth, pc of the
    /// frame that called it), so a message handler's traceback can show it.
    pub(crate) error_native: Option<(NativeRef, usize, u32)>,
    /// While a message handler runs for such an error: (function, frame depth).
    pub(crate) handler_native: Option<(NativeRef, usize)>,
    host_functions: HashMap<String, NativeRef>,
    /// Where `print` writes (standard output unless the host redirects it).
    output: Box<OutputSink>,
    /// Where warnings go, once a script turns them on with `warn("@on")`.
    warnings: Box<WarningSink>,
    warnings_on: bool,
    /// The source compiler for `load`: granting it is what lets scripts load text.
    compiler: Option<Arc<Compiler>>,
    /// The collector's pacing and finaliser queues.
    pub(crate) gc: crate::gc::GcState,
    /// The iterator function `ipairs` returns, made once.
    pub(crate) ipairs_iter: Option<Value>,
    suspended: Option<Suspended>,
    /// Where the last finished call left its results: (stack index, count).
    pub(crate) results: (usize, usize),
    /// Argument and result vectors for host-function calls, reused so that a call does
    /// not allocate (one pair per call in progress; see `run_native`).
    pub(crate) native_buffers: Vec<(Vec<Value>, Vec<Value>)>,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("frames", &self.frames.len())
            .field("heap_bytes", &self.heap.bytes())
            .finish()
    }
}

// Hosts move VMs between threads (DESIGN: the whole VM is `Send`).
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Vm>();
};

impl From<HeapError> for RuntimeError {
    fn from(_: HeapError) -> Self {
        RuntimeError::new(ErrorKind::OutOfMemory, "not enough memory")
    }
}

impl Vm {
    pub fn new(limits: Limits) -> Result<Vm, RuntimeError> {
        let mut heap = Heap::new(limits.max_heap);
        let globals = heap.new_table(0, 16)?;
        let events = crate::meta::EventNames::new(&mut heap)?;
        let main_thread = heap.new_thread(crate::coroutine::Thread::main())?;
        // As in Lua: registry[1] is the main thread, registry[2] the globals.
        let registry = heap.new_table(2, 4)?;
        heap.with_table(registry, |t| {
            t.set_int(1, Value::Thread(main_thread));
            t.set_int(2, Value::Table(globals));
        })?;
        let mut vm = Vm {
            type_metatables: [None; crate::meta::TYPE_SLOTS],
            registry,
            hook: crate::hook::HookState::default(),
            running_native: None,
            error_native: None,
            handler_native: None,
            current: main_thread,
            main_thread,
            pending_yield: None,
            yield_depth: usize::MAX,
            yielded: Vec::new(),
            tbc: Vec::new(),
            events,
            concat_buffer: Vec::new(),
            yield_signal: None,
            index_hints: Default::default(),
            heap,
            globals,
            stack: Vec::new(),
            frames: Vec::new(),
            open_upvalues: Vec::new(),
            top: 0,
            fuel: 0,
            fuel_reserve: 0,
            fuel_stop: FuelStop::InLoop,
            host_entries: 0,
            host: crate::host::HostState::default(),
            limits,
            host_depth: 0,
            native_called_from_lua: false,
            native_top: None,
            string_metatable: None,
            host_functions: HashMap::new(),
            output: Box::new(|bytes| {
                use std::io::Write;
                std::io::stdout().lock().write_all(bytes)
            }),
            warnings: Box::new(|bytes| {
                use std::io::Write;
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(b"Lua warning: ");
                let _ = err.write_all(bytes);
                let _ = err.write_all(b"\n");
            }),
            warnings_on: false,
            compiler: None,
            ipairs_iter: None,
            gc: crate::gc::GcState::default(),
            suspended: None,
            results: (0, 0),
            native_buffers: Vec::new(),
        };
        vm.set_fuel(limits.fuel);
        Ok(vm)
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Fuel left for the current or next call.
    pub fn fuel(&self) -> u64 {
        if self.hook.active {
            self.hook.held_fuel
        } else {
            self.fuel.saturating_add(self.fuel_reserve)
        }
    }

    /// Sets the fuel left (the loop's counter gets a slice of it, the rest waits).
    pub fn set_fuel(&mut self, fuel: u64) {
        if self.hook.active {
            self.hook.held_fuel = fuel;
        } else {
            self.fuel = fuel.min(FUEL_SLICE);
            self.fuel_reserve = fuel - self.fuel;
        }
    }

    /// The registry table (what `debug.getregistry` returns): a place for hosts and
    /// libraries to keep values, kept alive by the collector. `[1]` is the main thread
    /// and `[2]` the globals, as in Lua.
    pub fn registry(&self) -> TableRef {
        self.registry
    }

    /// Takes `units` of fuel for work a host function does (bytes copied, elements
    /// sorted, pattern steps), or fails with "out of fuel" when fewer are left (taking
    /// none), so a few instructions cannot buy unbounded work. Charge before doing the
    /// work: a function that runs out is run again from its start when the call resumes.
    ///
    /// This is also where library functions notice an interrupt
    /// ([`Vm::interrupt_flag`]): `charge_fuel(0)` only checks for one.
    #[inline]
    pub fn charge_fuel(&mut self, units: u64) -> Result<(), RuntimeError> {
        // The common case, inline: the loop's slice covers the charge. The total is what
        // `set_fuel` would leave; the reserve refills the slice when the loop drains it.
        if units <= self.fuel && !self.hook.active && !self.interrupt_requested() {
            self.fuel -= units;
            return Ok(());
        }
        self.charge_fuel_slow(units)
    }

    #[cold]
    #[inline(never)]
    fn charge_fuel_slow(&mut self, units: u64) -> Result<(), RuntimeError> {
        if self.interrupt_requested() {
            return Err(RuntimeError::new(ErrorKind::Interrupted, "interrupted"));
        }
        let fuel = self.fuel();
        if fuel < units {
            // The fuel stays: a resumed call runs the function again (see `FuelStop`),
            // and what is left adds to the fuel it is resumed with.
            return Err(RuntimeError::new(ErrorKind::OutOfFuel, "out of fuel"));
        }
        self.set_fuel(fuel - units);
        Ok(())
    }

    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    pub fn globals(&self) -> TableRef {
        self.globals
    }

    /// Registers a host function under `name`: modules can import it by that name, and
    /// it is also stored in the globals table under the same name.
    pub fn register(
        &mut self,
        name: &str,
        func: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
    ) -> Result<(), RuntimeError> {
        let func: Arc<HostFn> = Arc::new(func);
        let native = self.heap.new_native(name, crate::heap::HostCode::Shared(func))?;
        self.host_functions.insert(name.to_string(), native);
        let key = self.heap.new_str(name.as_bytes())?;
        self.set_table(self.globals, key, Value::Native(native))?;
        Ok(())
    }

    /// Makes an existing host function value importable by modules under `name` (for a
    /// library function that `.tasm` modules should be able to import, like `print`).
    pub fn provide(&mut self, name: &str, value: Value) -> Result<(), RuntimeError> {
        match value {
            Value::Native(native) => {
                self.host_functions.insert(name.to_string(), native);
                Ok(())
            }
            other => Err(RuntimeError::runtime(format!(
                "cannot provide a {} value as a host function",
                other.type_name()
            ))),
        }
    }

    /// `t[key] = value` without metamethods, charging the heap for growth.
    pub fn set_table(&mut self, t: TableRef, key: Value, value: Value) -> Result<(), RuntimeError> {
        match self.heap.with_table(t, |table| table.set(key, value))? {
            Ok(()) => Ok(()),
            Err(crate::table::KeyError::Nil) => Err(RuntimeError::runtime("table index is nil")),
            Err(crate::table::KeyError::NaN) => Err(RuntimeError::runtime("table index is NaN")),
        }
    }

    /// A string value.
    pub fn new_string(&mut self, bytes: &[u8]) -> Result<Value, RuntimeError> {
        Ok(self.heap.new_str(bytes)?)
    }

    /// [`Vm::new_string`] of a buffer the caller is done with, kept as the string's own
    /// storage when the string is new (no copy).
    pub fn new_string_owned(&mut self, bytes: Vec<u8>) -> Result<Value, RuntimeError> {
        Ok(Value::Str(self.heap.intern_owned(bytes)?))
    }

    /// The interned string with these bytes.
    pub fn intern(&mut self, bytes: &[u8]) -> Result<StrRef, RuntimeError> {
        Ok(self.heap.intern(bytes)?)
    }

    /// A new empty table.
    pub fn new_table(&mut self) -> Result<TableRef, RuntimeError> {
        Ok(self.heap.new_table(0, 0)?)
    }

    /// A host function value made from a plain function (the standard library's).
    pub fn new_plain_function(
        &mut self,
        name: &str,
        func: crate::heap::PlainHostFn,
    ) -> Result<Value, RuntimeError> {
        Ok(Value::Native(self.heap.new_native(name, crate::heap::HostCode::Plain(func))?))
    }

    /// A host function value (not registered for import: see [`Vm::register`]).
    pub fn new_function(
        &mut self,
        name: &str,
        func: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
    ) -> Result<Value, RuntimeError> {
        let func: Arc<HostFn> = Arc::new(func);
        Ok(Value::Native(self.heap.new_native(name, crate::heap::HostCode::Shared(func))?))
    }

    /// `t[name] = value` without metamethods.
    pub fn set_field(&mut self, t: TableRef, name: &str, value: Value) -> Result<(), RuntimeError> {
        let key = self.heap.new_str(name.as_bytes())?;
        self.set_table(t, key, value)
    }

    /// `t[name]` without metamethods.
    pub fn get_field(&mut self, t: TableRef, name: &str) -> Result<Value, RuntimeError> {
        let key = self.heap.new_str(name.as_bytes())?;
        Ok(self.heap.table(t).get(key))
    }

    /// Sets the global `name`.
    pub fn set_global(&mut self, name: &str, value: Value) -> Result<(), RuntimeError> {
        self.set_field(self.globals, name, value)
    }

    /// The global `name` (nil when unset).
    pub fn get_global(&mut self, name: &str) -> Result<Value, RuntimeError> {
        self.get_field(self.globals, name)
    }

    /// Reserves a stack slot in which the running host function can keep a value alive
    /// while it calls back into Lua (the collector may run during such a call, and sees
    /// values held only in Rust locals as garbage). The slot lasts until the function
    /// returns; set it with [`Vm::set_root`].
    pub fn root_slot(&mut self) -> Result<RootSlot, RuntimeError> {
        let slot = self.top.max(self.native_top.unwrap_or(0));
        self.ensure_stack(slot + 1)?;
        self.stack[slot] = Value::Nil;
        self.top = slot + 1;
        if self.native_top.is_some() {
            self.native_top = Some(self.top);
        }
        Ok(RootSlot(slot))
    }

    /// Keeps `v` alive in a slot from [`Vm::root_slot`].
    pub fn set_root(&mut self, slot: RootSlot, v: Value) {
        if let Some(s) = self.stack.get_mut(slot.0) {
            *s = v;
        }
    }

    /// Checks that a string of `len` bytes may be made before building it: longer than
    /// [`Limits::max_string`] is "resulting string too large"; more than the heap has
    /// room for is "not enough memory". Library functions call this before they
    /// allocate, so the host never holds a buffer the heap limit would refuse.
    pub fn check_string_size(&self, len: usize) -> Result<(), RuntimeError> {
        if len > self.limits.max_string {
            return Err(RuntimeError::runtime("resulting string too large"));
        }
        if len > self.heap.limit().saturating_sub(self.heap.bytes()) {
            return Err(RuntimeError::new(ErrorKind::OutOfMemory, "not enough memory"));
        }
        Ok(())
    }

    /// Sends `print` output to `sink` instead of standard output.
    pub fn set_output(&mut self, sink: impl FnMut(&[u8]) -> std::io::Result<()> + Send + 'static) {
        self.output = Box::new(sink);
    }

    /// Writes bytes where `print` writes.
    pub fn write_output(&mut self, bytes: &[u8]) -> Result<(), RuntimeError> {
        (self.output)(bytes).map_err(|e| RuntimeError::runtime(format!("cannot write output: {e}")))
    }

    /// Sends warnings (`warn`) to `sink` instead of standard error.
    pub fn set_warning_sink(&mut self, sink: impl FnMut(&[u8]) + Send + 'static) {
        self.warnings = Box::new(sink);
    }

    /// Emits a warning: `@on` and `@off` switch warnings on and off (off at start, as in
    /// `lua`); other messages go to the warning sink while they are on.
    pub fn warn(&mut self, message: &[u8]) {
        match message {
            b"@on" => self.warnings_on = true,
            b"@off" => self.warnings_on = false,
            m if m.starts_with(b"@") => {}
            m if self.warnings_on => (self.warnings)(m),
            _ => {}
        }
    }

    /// Grants scripts the ability to compile source text at run time (`load` of a text
    /// chunk), using `compiler`.
    pub fn set_compiler(&mut self, compiler: Arc<Compiler>) {
        self.compiler = Some(compiler);
    }

    /// Loads a chunk as `load` does: binary Tarn modules always through the verifier,
    /// text only when a compiler was granted; `mode` is `"b"`, `"t"` or `"bt"`; `env`, when
    /// given, becomes the chunk's `_ENV`. Returns the chunk's function or a message.
    pub fn load_chunk(
        &mut self,
        chunk: &[u8],
        chunkname: &str,
        mode: &str,
        env: Option<Value>,
    ) -> Result<Value, String> {
        let module = if chunk.starts_with(&tarn_bytecode::binary::MAGIC) {
            if !mode.contains('b') {
                return Err(format!("attempt to load a binary chunk (mode is '{mode}')"));
            }
            tarn_bytecode::binary::decode(chunk).map_err(|e| e.to_string())?
        } else {
            if !mode.contains('t') {
                return Err(format!("attempt to load a text chunk (mode is '{mode}')"));
            }
            let Some(compiler) = self.compiler.clone() else {
                return Err("loading source text is not allowed (capability not granted)".to_string());
            };
            compiler(chunk, chunkname)?
        };
        let verified = tarn_bytecode::verify(module).map_err(|e| e.to_string())?;
        let f = self.load(&verified).map_err(|e| e.to_string())?;
        if let (Some(env), Value::Closure(c)) = (env, f) {
            if !self.heap.closure(c).upvalues.is_empty() {
                let u = self
                    .heap
                    .new_upvalue(Upvalue::Closed(env))
                    .map_err(|_| "not enough memory".to_string())?;
                self.heap.closure(c).upvalues[0].set(u);
            }
        }
        Ok(f)
    }

    /// Sets or clears a table's metatable. A metatable with `__gc` marks the table
    /// for finalisation, as in Lua.
    pub fn set_metatable(&mut self, t: TableRef, mt: Option<TableRef>) -> Result<(), RuntimeError> {
        self.heap.with_table(t, |table| table.metatable = mt)?;
        if let Some(mt) = mt {
            let gc = self.events.get(crate::meta::Event::Gc);
            if !self.heap.table(mt).get_hashed(Value::Str(gc)).is_nil() {
                self.register_finalizer(Value::Table(t));
            }
        }
        Ok(())
    }

    /// The registered host functions (collector roots).
    pub(crate) fn host_function_values(&self) -> impl Iterator<Item = &NativeRef> {
        self.host_functions.values()
    }

    /// A warning that is shown even while warnings are off (errors in finalisers).
    pub(crate) fn warn_always(&mut self, message: &[u8]) {
        (self.warnings)(message)
    }

    /// A host function value whose Rust closure refers to `captures`: the collector
    /// keeps them alive as long as the function is.
    pub fn new_function_capturing(
        &mut self,
        name: &str,
        captures: &[Value],
        func: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
    ) -> Result<Value, RuntimeError> {
        let func: Arc<HostFn> = Arc::new(func);
        let native = self.heap.new_native(name, crate::heap::HostCode::Shared(func))?;
        self.heap.natives.get_mut(native).captures = captures.into();
        Ok(Value::Native(native))
    }

    /// The function `ipairs` returns.
    pub(crate) fn ipairs_iterator(&mut self) -> Result<Value, RuntimeError> {
        if let Some(f) = self.ipairs_iter {
            return Ok(f);
        }
        let f = self.new_function("ipairs_iterator", crate::stdlib::base::ipairs_step)?;
        self.ipairs_iter = Some(f);
        Ok(f)
    }

    /// `chunk:line: ` for the Lua function `level` frames up (1 is the innermost), as
    /// `error` uses it; empty when there is no such frame or it has no line.
    pub(crate) fn location_at_level(&self, level: usize) -> String {
        // Levels count functions as Lua does, host functions included: level 1 is the
        // function calling the running host function. Walking out from the innermost Lua
        // frame, a frame entered from a host function (`pcall`, a callback) has that
        // host function as the next level, and only then the Lua frame below. A level
        // that lands on a host function, or beyond the stack, has no line.
        let mut at_host = !self.native_called_from_lua;
        let mut index = self.frames.len();
        for current in 1..=level {
            if at_host {
                if current == level {
                    return String::new();
                }
                at_host = false;
                continue;
            }
            let Some(frame) = index.checked_sub(1).and_then(|i| self.frames.get(i)) else {
                return String::new();
            };
            if current == level {
                let proto = &self.heap.closure(frame.closure).proto;
                return match proto.line((frame.pc as usize).saturating_sub(1)) {
                    Some(line) => format!("{}:{line}: ", proto.source),
                    None => String::new(),
                };
            }
            at_host = frame.returns_to_host || frame.cont.is_protected();
            index -= 1;
        }
        String::new()
    }

    /// Sets the metatable shared by all strings (what `getmetatable("")` returns).
    pub fn set_string_metatable(&mut self, mt: Option<TableRef>) {
        self.string_metatable = mt;
    }

    /// `tostring(value)` as a string handle.
    pub fn to_string_value(&mut self, value: Value) -> Result<StrRef, RuntimeError> {
        self.tostring(value)
    }

    /// The type name used in messages: a table's `__name` metafield when it is a
    /// string, else the basic type name.
    pub fn type_name_of(&self, value: Value) -> String {
        if let Value::Table(_) | Value::UserData(_) = value {
            if let Value::Str(s) = self.metamethod(value, crate::meta::Event::Name) {
                return String::from_utf8_lossy(self.heap.str(s).as_bytes()).into_owned();
            }
        }
        value.type_name().to_string()
    }

    /// Links and instantiates a verified module, returning its entry function as a
    /// closure (or `nil` when the module has no entry).
    pub fn load(&mut self, module: &VerifiedModule) -> Result<Value, RuntimeError> {
        if self.gc_due() && self.frames.is_empty() {
            self.collect_garbage();
        }
        let m = module.module();
        let source: Arc<str> = Arc::from(m.source_name());
        let mut imports = Vec::with_capacity(m.imports.len());
        for import in &m.imports {
            match self.host_functions.get(&import.name) {
                Some(&native) => imports.push(Value::Native(native)),
                None => {
                    return Err(RuntimeError::new(
                        ErrorKind::Link,
                        format!("module imports '{}', which the host did not provide", import.name),
                    ))
                }
            }
        }
        let imports: Arc<[Value]> = imports.into();
        let mut pool = Vec::with_capacity(m.constants.len());
        for constant in &m.constants {
            pool.push(match constant {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(bytes) => self.heap.new_str(bytes)?,
            });
        }
        // Children always have larger indices than their parents (verifier fact), so
        // building from the last function backwards finds every child already built.
        let mut protos: Vec<Option<Arc<Proto>>> = vec![None; m.functions.len()];
        for (index, function) in m.functions.iter().enumerate().rev() {
            let mut children = Vec::with_capacity(function.children.len());
            for &child in &function.children {
                match protos.get(child as usize).and_then(|p| p.clone()) {
                    Some(p) => children.push(p),
                    None => return Err(RuntimeError::new(ErrorKind::Link, "malformed function tree")),
                }
            }
            let constants: Box<[Value]> = function
                .constants
                .iter()
                .map(|&k| pool.get(k as usize).copied().unwrap_or(Value::Nil))
                .collect();
            protos[index] = Some(Arc::new(Proto {
                code: function.code.clone().into_boxed_slice(),
                slot_hints: function.code.iter().map(|_| crate::table::SlotHint::default()).collect(),
                constants,
                children: children.into_boxed_slice(),
                upvalues: function.upvalues.clone().into_boxed_slice(),
                num_params: function.num_params,
                is_vararg: function.is_vararg,
                num_registers: function.num_registers,
                clear_on_entry: tarn_bytecode::entry_nil::clear_on_entry(m, function),
                imports: imports.clone(),
                source: source.clone(),
                function_index: index as u32,
                debug: m.function_debug(index).cloned(),
            }));
        }
        let Some(entry) = m.entry else { return Ok(Value::Nil) };
        match protos.get(entry as usize).and_then(|p| p.clone()) {
            Some(proto) => self.instantiate_root(proto),
            None => Err(RuntimeError::new(ErrorKind::Link, "entry function out of range")),
        }
    }

    /// A closure of a root prototype, whose upvalues are all the globals table.
    fn instantiate_root(&mut self, proto: Arc<Proto>) -> Result<Value, RuntimeError> {
        let mut upvalues = Vec::with_capacity(proto.upvalues.len());
        for source in proto.upvalues.iter() {
            match source {
                UpvalSource::Globals => {
                    upvalues.push(self.heap.new_upvalue(Upvalue::Closed(Value::Table(self.globals)))?)
                }
                UpvalSource::ParentRegister(_) | UpvalSource::ParentUpval(_) => {
                    return Err(RuntimeError::new(
                        ErrorKind::Link,
                        "entry function captures a parent variable",
                    ))
                }
            }
        }
        Ok(Value::Closure(self.heap.new_closure(proto, upvalues)?))
    }

    /// Calls `func` with `args` and returns its results. Runs on the explicit frame stack;
    /// if fuel runs out, the error has kind [`ErrorKind::OutOfFuel`], and when
    /// [`Vm::is_suspended`] then says so the call can be continued with [`Vm::resume`].
    /// It cannot be when the fuel ran out inside Lua code that a host function called
    /// (that code's Rust stack is gone) or inside a host function the host called
    /// directly: the error then says so and the call is over.
    pub fn call(&mut self, func: Value, args: &[Value]) -> Result<Vec<Value>, RuntimeError> {
        let mut results = Vec::new();
        self.call_into(func, args, &mut results)?;
        Ok(results)
    }

    /// The first result of `func(args)` (nil if none), without allocating: for library
    /// callbacks such as `table.sort`'s comparator and metamethods called from host code.
    pub fn call_first(&mut self, func: Value, args: &[Value]) -> Result<Value, RuntimeError> {
        self.call_in_place(func, args)?;
        // The results are still on the stack above `top`: nothing ran since.
        let (start, count) = self.results;
        Ok(if count > 0 { self.stack[start] } else { Value::Nil })
    }

    /// [`Vm::call`], appending the results to `results`.
    pub fn call_into(
        &mut self,
        func: Value,
        args: &[Value],
        results: &mut Vec<Value>,
    ) -> Result<(), RuntimeError> {
        self.call_in_place(func, args)?;
        let (start, count) = self.results;
        results.extend_from_slice(&self.stack[start..start + count]);
        Ok(())
    }

    /// Runs `func(args)` for host code. On success the results are at `self.results`
    /// on the stack, above `top`, until anything else runs.
    fn call_in_place(&mut self, func: Value, args: &[Value]) -> Result<(), RuntimeError> {
        if self.suspended.is_some() {
            return Err(RuntimeError::runtime("a suspended call is waiting to be resumed"));
        }
        // A call made while host code runs inside the interpreter re-enters it on the
        // Rust stack: count those ("C stack overflow", as Lua's C-call limit).
        self.check_host_depth()?;
        if self.host_depth == 0 {
            self.fuel_stop = FuelStop::InLoop;
        }
        self.host_depth += 1;
        let saved_top = self.top;
        let entry_depth = self.frames.len();
        // Above the running frame's registers and above anything a running host function
        // keeps on the stack (its arguments).
        let func_slot = self.frames.last().map_or(0, |f| f.top as usize).max(self.top);
        let started = self.place_call(func_slot, func, args);
        let outcome = match started {
            Ok(true) if self.frames.len() > entry_depth => self.execute(entry_depth),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                self.host_depth -= 1;
                self.top = saved_top;
                Ok(())
            }
            Err(e) => {
                let e = self.call_failed(entry_depth, e);
                self.host_depth -= 1;
                if entry_depth > 0 || !self.is_suspended() {
                    self.top = saved_top;
                }
                let result = Err(e);
                self.returned_to_host(&result);
                result
            }
        }
    }

    /// Forgets a delivered interrupt once its error is back at the host.
    fn returned_to_host<T>(&mut self, result: &Result<T, RuntimeError>) {
        if self.host_depth == 0 && matches!(result, Err(e) if e.kind() == ErrorKind::Interrupted) {
            self.clear_interrupt();
        }
    }

    /// Fails with "C stack overflow" when another host re-entry would pass the limit.
    pub(crate) fn check_host_depth(&mut self) -> Result<(), RuntimeError> {
        self.host_entries += 1;
        if self.host_depth >= self.limits.max_host_depth {
            return Err(RuntimeError::new(
                ErrorKind::StackOverflow,
                format!("{}C stack overflow", self.location()),
            ));
        }
        Ok(())
    }

    /// Puts `func` and `args` on the stack at `func_slot` and starts the call (see
    /// [`Vm::begin_call`]): a Lua function gets its frame, `__call` is resolved.
    #[inline]
    fn place_call(&mut self, func_slot: usize, func: Value, args: &[Value]) -> Result<bool, RuntimeError> {
        let nargs = args.len();
        let needed = func_slot + 1 + nargs;
        if needed > self.stack.len() {
            self.ensure_stack(needed)?;
        }
        self.stack[func_slot] = func;
        let dest = &mut self.stack[func_slot + 1..needed];
        // The usual one or two arguments (comparators, metamethods) without `memcpy`.
        match *args {
            [a] => dest[0] = a,
            [a, b] => (dest[0], dest[1]) = (a, b),
            _ => dest.copy_from_slice(args),
        }
        self.top = needed;
        let nargs = match func {
            Value::Closure(c) => {
                self.push_lua_frame(c, func_slot, nargs, u8::MAX, true, crate::call::Cont::Normal)?;
                return Ok(true);
            }
            Value::Native(_) => nargs,
            _ => self.resolve_callee(func_slot, nargs, crate::interp::Operand::None)?,
        };
        self.begin_call(func_slot, nargs, u8::MAX, true, crate::call::Cont::Normal)
    }

    /// Continues a call stopped by running out of fuel, with `fuel` more. (What was
    /// left is what a host function that stopped it could not use: it runs again first,
    /// so a call resumed with small amounts still makes progress.)
    pub fn resume(&mut self, fuel: u64) -> Result<Vec<Value>, RuntimeError> {
        let Some(suspended) = self.suspended.take() else {
            return Err(RuntimeError::runtime("no suspended call to resume"));
        };
        self.set_fuel(self.fuel().saturating_add(fuel));
        self.fuel_stop = FuelStop::InLoop;
        // The resumed frames run as the host's own call did: one host level deep.
        self.host_depth += 1;
        let entry_depth = suspended.entry_depth;
        let started = match suspended.restart {
            None => Ok(true),
            Some(pending) => match self.restart_native(pending) {
                Ok(()) => Ok(true),
                // As if the function had failed inside the loop: a protected frame
                // above the entry catches it.
                Err(e) => self.catch(e, entry_depth).map(|returned| !returned),
            },
        };
        let outcome = match started {
            Ok(true) if self.frames.len() > entry_depth => self.execute(entry_depth),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        let result = match outcome {
            Ok(()) => {
                let (start, count) = self.results;
                let results = self.stack[start..start + count].to_vec();
                self.top = self.frames.last().map_or(0, |f| f.top as usize);
                Ok(results)
            }
            Err(e) => Err(self.call_failed(entry_depth, e)),
        };
        self.host_depth -= 1;
        self.returned_to_host(&result);
        result
    }

    /// Runs again a host function that stopped for want of fuel, handing its results
    /// on as its first run would have.
    fn restart_native(&mut self, p: PendingNative) -> Result<(), RuntimeError> {
        self.top = p.func_slot + 1 + p.nargs;
        if let Err(e) = self.run_native(p.func_slot, p.nargs, p.wanted, false, p.cont) {
            if let FuelStop::Restart(again) = &mut self.fuel_stop {
                again.tail = p.tail;
            }
            return Err(e);
        }
        if p.tail {
            let (start, n) = self.results;
            self.return_from_frame(start, n)?;
        }
        Ok(())
    }

    /// Whether a call is waiting for [`Vm::resume`].
    pub fn is_suspended(&self) -> bool {
        self.suspended.is_some()
    }

    /// Drops a suspended call.
    pub fn abandon(&mut self) {
        if let Some(s) = self.suspended.take() {
            self.unwind_to(s.entry_depth);
        }
        self.fuel_stop = FuelStop::InLoop;
    }

    /// The error of a host call (or resumed call) that failed while frames above
    /// `entry_depth` ran: a call out of fuel is kept for [`Vm::resume`] when it can be;
    /// otherwise the error gets its traceback and the frames are unwound.
    #[cold]
    #[inline(never)]
    fn call_failed(&mut self, entry_depth: usize, e: RuntimeError) -> RuntimeError {
        match e {
            e if e.kind() == ErrorKind::OutOfFuel
                && self.host_depth <= 1
                && self.frames.len() > entry_depth
                && !matches!(self.fuel_stop, FuelStop::Lost(_)) =>
            {
                let restart = match std::mem::take(&mut self.fuel_stop) {
                    FuelStop::Restart(pending) => Some(pending),
                    FuelStop::InLoop | FuelStop::Lost(_) => None,
                };
                self.suspended = Some(Suspended { entry_depth, restart });
                e
            }
            mut e => {
                if e.kind() == ErrorKind::OutOfFuel && self.host_depth <= 1 {
                    if let FuelStop::Lost(name) = std::mem::take(&mut self.fuel_stop) {
                        e.set_message(format!(
                            "out of fuel in host function '{name}' (the call cannot be resumed)"
                        ));
                    }
                }
                if !e.has_traceback() {
                    e.set_traceback(self.traceback());
                    // An error object with `__tostring` describes itself, as the `lua`
                    // command shows it.
                    if let Some(v @ (Value::Table(_) | Value::UserData(_))) = e.value() {
                        if !self.metamethod(v, crate::meta::Event::ToString).is_nil() {
                            if let Ok(s) = self.tostring(v) {
                                let text = String::from_utf8_lossy(self.heap.str(s).as_bytes()).into_owned();
                                e.set_message(text);
                            }
                        }
                    }
                }
                if let Some(frame) = self.frames.get(entry_depth) {
                    // To-be-closed variables are closed on the way out, as `lua_pcall`
                    // does; an error in a handler replaces the error.
                    let from = frame.func_slot as usize;
                    if self.tbc.last().is_some_and(|&s| s as usize >= from) {
                        if let Ok(value) = self.error_object(&e) {
                            match self.close_on_error(from, value) {
                                Ok(v) if v.raw_eq(value) => {}
                                Ok(v) => e = RuntimeError::with_value(v, self.error_message_of(v)),
                                Err(fatal) => e = fatal,
                            }
                        }
                    }
                }
                self.unwind_to(entry_depth);
                if e.kind() == ErrorKind::OutOfMemory && self.host_depth <= 1 {
                    // Back at the host with the failed call's frames gone: collect now,
                    // so the VM is usable again at once.
                    self.collect_garbage();
                }
                e
            }
        }
    }

    /// Pops frames above `depth`, closing their upvalues and forgetting their
    /// to-be-closed variables (already closed by whoever unwinds).
    pub(crate) fn unwind_to(&mut self, depth: usize) {
        if let Some(frame) = self.frames.get(depth) {
            let slot = frame.func_slot;
            self.close_upvalues(slot as usize);
            while self.tbc.last().is_some_and(|&s| s >= slot) {
                self.tbc.pop();
            }
        }
        self.frames.truncate(depth);
        self.top = self.frames.last().map_or(0, |f| f.top as usize);
    }

    /// Makes the stack at least `len` slots long, or fails with "stack overflow".
    pub(crate) fn ensure_stack(&mut self, len: usize) -> Result<(), RuntimeError> {
        if len > self.stack.len() {
            if len > self.limits.max_stack {
                return Err(RuntimeError::new(ErrorKind::StackOverflow, "stack overflow"));
            }
            let new_len = len.max(self.stack.len() * 2).clamp(64, self.limits.max_stack.max(len));
            self.heap.charge((new_len - self.stack.len()) * std::mem::size_of::<Value>())?;
            self.stack.resize(new_len, Value::Nil);
        }
        Ok(())
    }

    /// Closes every open upvalue at or above stack slot `from`.
    pub(crate) fn close_upvalues(&mut self, from: usize) {
        while let Some(&(slot, upvalue)) = self.open_upvalues.last() {
            if (slot as usize) < from {
                break;
            }
            self.open_upvalues.pop();
            let value = self.stack[slot as usize];
            *self.heap.upvalues.get_mut(upvalue) = Upvalue::Closed(value);
        }
    }

    /// The open upvalue for stack slot `slot`, created if needed.
    pub(crate) fn find_upvalue(&mut self, slot: u32) -> Result<Gc<Upvalue>, RuntimeError> {
        match self.open_upvalues.binary_search_by_key(&slot, |&(s, _)| s) {
            Ok(i) => Ok(self.open_upvalues[i].1),
            Err(i) => {
                let upvalue = self.heap.new_upvalue(Upvalue::Open { thread: self.current, slot })?;
                self.open_upvalues.insert(i, (slot, upvalue));
                Ok(upvalue)
            }
        }
    }

    /// The message of an error object: the string itself, or a description.
    pub(crate) fn error_message_of(&self, v: Value) -> String {
        match v {
            Value::Str(_) | Value::Int(_) | Value::Float(_) => self.to_display(v),
            Value::Nil => "nil".into(),
            other => format!("(error object is a {} value)", other.type_name()),
        }
    }

    /// `tostring` for any value, without metamethods.
    pub fn to_display(&self, value: Value) -> String {
        match value {
            Value::Nil => "nil".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::number::format_float(f),
            Value::Str(s) => String::from_utf8_lossy(self.heap.str(s).as_bytes()).into_owned(),
            Value::Table(t) => format!("table: 0x{:08x}", t.id()),
            Value::Closure(c) => format!("function: 0x{:08x}", c.id()),
            Value::Native(n) => format!("function: builtin: 0x{:08x}", n.id()),
            Value::UserData(u) => format!("userdata: 0x{:08x}", u.id()),
            Value::Thread(t) => format!("thread: 0x{:08x}", t.id()),
        }
    }

    /// The bytes of a string value, if it is one.
    pub fn string_bytes(&self, value: Value) -> Option<&[u8]> {
        match value {
            Value::Str(s) => Some(self.heap.str(s).as_bytes()),
            _ => None,
        }
    }

    /// `stack traceback:` and one line per active Lua frame, innermost first.
    pub(crate) fn traceback(&self) -> String {
        let mut out = String::from("stack traceback:");
        for (i, frame) in self.frames.iter().enumerate().rev() {
            let proto = &self.heap.closure(frame.closure).proto;
            let pc = (frame.pc as usize).saturating_sub(1);
            let at = match proto.line(pc) {
                Some(line) => format!("{}:{line}:", proto.source),
                None => format!("{}: pc {pc}:", proto.source),
            };
            let what = match proto.debug.as_ref().and_then(|d| d.name.as_ref()) {
                Some(name) => format!("in function '{name}'"),
                None if proto.function_index == 0 => "in main chunk".to_string(),
                None => match proto.debug.as_ref() {
                    Some(d) if d.line_defined > 0 => {
                        format!("in function <{}:{}>", proto.source, d.line_defined)
                    }
                    _ => format!("in function #{}", proto.function_index),
                },
            };
            out.push_str(&format!("\n\t{at} {what}"));
            if i == 0 {
                out.push_str("\n\t[host]: in ?");
            }
        }
        out
    }
}
