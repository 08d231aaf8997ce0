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
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub closure: Gc<crate::heap::Closure>,
    /// Index of the next instruction to run.
    pub pc: u32,
    /// Stack index of register 0.
    pub base: u32,
    /// Stack index one past the last register.
    pub top: u32,
    /// Stack index where the callee was, and where results go.
    pub func_slot: u32,
    /// Extra arguments, stored just below `base`.
    pub varargs_start: u32,
    pub num_varargs: u32,
    /// Results the caller wants, or `u8::MAX` for all.
    pub wanted: u8,
    /// Returning from this frame ends the current `execute`.
    pub returns_to_host: bool,
}

/// A call stopped by the fuel limit, waiting for [`Vm::resume`].
#[derive(Debug, Clone, Copy)]
struct Suspended {
    /// Number of frames below the suspended call's entry frame.
    entry_depth: usize,
}

/// One Tarn virtual machine.
pub struct Vm {
    pub(crate) heap: Heap,
    pub(crate) globals: TableRef,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<Frame>,
    /// Open upvalues, sorted by stack slot.
    pub(crate) open_upvalues: Vec<(u32, Gc<Upvalue>)>,
    /// One past the last value of a variable-count result (see the ISA's `*`).
    pub(crate) top: usize,
    pub(crate) fuel: u64,
    pub(crate) limits: Limits,
    pub(crate) host_depth: usize,
    /// The metatable every string shares (set by the string library).
    pub(crate) string_metatable: Option<TableRef>,
    host_functions: HashMap<String, NativeRef>,
    suspended: Option<Suspended>,
    /// Where the last finished call left its results: (stack index, count).
    pub(crate) results: (usize, usize),
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
        Ok(Vm {
            heap,
            globals,
            stack: Vec::new(),
            frames: Vec::new(),
            open_upvalues: Vec::new(),
            top: 0,
            fuel: limits.fuel,
            limits,
            host_depth: 0,
            string_metatable: None,
            host_functions: HashMap::new(),
            suspended: None,
            results: (0, 0),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Fuel left for the current or next call.
    pub fn fuel(&self) -> u64 {
        self.fuel
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        self.fuel = fuel;
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
        let native = self.heap.new_native(name, func)?;
        self.host_functions.insert(name.to_string(), native);
        let key = self.heap.new_str(name.as_bytes())?;
        self.set_table(self.globals, key, Value::Native(native))?;
        Ok(())
    }

    /// `t[key] = value` without metamethods, charging the heap for growth.
    pub fn set_table(&mut self, t: TableRef, key: Value, value: Value) -> Result<(), RuntimeError> {
        match self.heap.with_table(t, |table| table.set(key, value))? {
            Ok(()) => Ok(()),
            Err(crate::table::KeyError::Nil) => Err(RuntimeError::runtime("index is nil")),
            Err(crate::table::KeyError::NaN) => Err(RuntimeError::runtime("index is NaN")),
        }
    }

    /// A string value.
    pub fn new_string(&mut self, bytes: &[u8]) -> Result<Value, RuntimeError> {
        Ok(self.heap.new_str(bytes)?)
    }

    /// The interned string with these bytes.
    pub fn intern(&mut self, bytes: &[u8]) -> Result<StrRef, RuntimeError> {
        Ok(self.heap.intern(bytes)?)
    }

    /// A new empty table.
    pub fn new_table(&mut self) -> Result<TableRef, RuntimeError> {
        Ok(self.heap.new_table(0, 0)?)
    }

    /// A host function value (not registered for import: see [`Vm::register`]).
    pub fn new_function(
        &mut self,
        name: &str,
        func: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
    ) -> Result<Value, RuntimeError> {
        let func: Arc<HostFn> = Arc::new(func);
        Ok(Value::Native(self.heap.new_native(name, func)?))
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

    /// Sets the metatable shared by all strings (what `getmetatable("")` returns).
    pub fn set_string_metatable(&mut self, mt: Option<TableRef>) {
        self.string_metatable = mt;
    }

    /// `tostring(value)` as a string handle.
    pub fn to_string_value(&mut self, value: Value) -> Result<StrRef, RuntimeError> {
        match value {
            Value::Str(s) => Ok(s),
            other => {
                let text = self.to_display(other);
                self.intern(text.as_bytes())
            }
        }
    }

    /// The type name used in messages: a table's `__name` metafield when it is a
    /// string, else the basic type name.
    pub fn type_name_of(&self, value: Value) -> String {
        if let Value::Table(t) = value {
            if let Some(mt) = self.heap.table(t).metatable {
                if let Some(name) = self.heap.find_str(b"__name") {
                    if let Value::Str(s) = self.heap.table(mt).get(Value::Str(name)) {
                        return String::from_utf8_lossy(self.heap.str(s).as_bytes()).into_owned();
                    }
                }
            }
        }
        value.type_name().to_string()
    }

    /// Links and instantiates a verified module, returning its entry function as a
    /// closure (or `nil` when the module has no entry).
    pub fn load(&mut self, module: &VerifiedModule) -> Result<Value, RuntimeError> {
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
                constants,
                children: children.into_boxed_slice(),
                upvalues: function.upvalues.clone().into_boxed_slice(),
                num_params: function.num_params,
                is_vararg: function.is_vararg,
                num_registers: function.num_registers,
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
        Ok(Value::Closure(self.heap.new_closure(proto, upvalues.into_boxed_slice())?))
    }

    /// Calls `func` with `args` and returns its results. Runs on the explicit frame stack;
    /// if fuel runs out, the error has kind [`ErrorKind::OutOfFuel`] and the call can be
    /// continued with [`Vm::resume`].
    pub fn call(&mut self, func: Value, args: &[Value]) -> Result<Vec<Value>, RuntimeError> {
        if self.suspended.is_some() {
            return Err(RuntimeError::runtime("a suspended call is waiting to be resumed"));
        }
        let entry_depth = self.frames.len();
        let func_slot = self.frames.last().map_or(self.top, |f| f.top as usize);
        let needed = func_slot + 1 + args.len();
        self.ensure_stack(needed)?;
        self.stack[func_slot] = func;
        self.stack[func_slot + 1..needed].copy_from_slice(args);
        self.top = needed;
        let started = self.begin_call(func_slot, args.len(), u8::MAX, true);
        self.finish_call(entry_depth, started)
    }

    /// Continues a call stopped by running out of fuel, with `fuel` more.
    pub fn resume(&mut self, fuel: u64) -> Result<Vec<Value>, RuntimeError> {
        let Some(suspended) = self.suspended.take() else {
            return Err(RuntimeError::runtime("no suspended call to resume"));
        };
        self.fuel = fuel;
        let result = self.execute(suspended.entry_depth);
        self.finish_call(suspended.entry_depth, result.map(|()| true))
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
    }

    /// Runs a call set up by `begin_call` (if it entered a Lua frame) and collects results.
    fn finish_call(
        &mut self,
        entry_depth: usize,
        started: Result<bool, RuntimeError>,
    ) -> Result<Vec<Value>, RuntimeError> {
        let outcome = match started {
            Ok(true) if self.frames.len() > entry_depth => self.execute(entry_depth),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                let (start, count) = self.results;
                let values = self.stack[start..start + count].to_vec();
                self.top = self.frames.last().map_or(0, |f| f.top as usize);
                Ok(values)
            }
            Err(e) if e.kind() == ErrorKind::OutOfFuel && self.host_depth == 0 => {
                self.suspended = Some(Suspended { entry_depth });
                Err(e)
            }
            Err(e) => {
                self.unwind_to(entry_depth);
                Err(e)
            }
        }
    }

    /// Pops frames above `depth`, closing their upvalues.
    pub(crate) fn unwind_to(&mut self, depth: usize) {
        if let Some(frame) = self.frames.get(depth) {
            let slot = frame.func_slot;
            self.close_upvalues(slot as usize);
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
                let upvalue = self.heap.new_upvalue(Upvalue::Open { slot })?;
                self.open_upvalues.insert(i, (slot, upvalue));
                Ok(upvalue)
            }
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
