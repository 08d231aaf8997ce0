//! The heap: one per VM, holding every object a [`Value`] can refer to.
//!
//! Objects live in typed arenas and are reached through [`Gc`] handles (indices). The heap
//! counts the bytes it holds and refuses to grow past the configured limit, so a script can
//! never make the host allocate without bound: every allocation goes through a method here
//! that returns [`HeapError::OutOfMemory`] instead of growing.
//!
//! Strings are all interned: [`Heap::intern`] returns the existing handle for equal bytes.
//! That makes string equality and table-key hashing a handle comparison.
//!
//! Freed slots are kept on a free list per arena; the collector (which marks from the
//! roots the VM supplies and sweeps the arenas) reuses them.

use std::cell::Cell;
use std::sync::Arc;

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use tarn_bytecode::module::{FunctionDebug, UpvalSource};
use tarn_bytecode::Instr;

use crate::table::Table as TableImpl;
use crate::value::{ClosureRef, Gc, NativeRef, StrRef, TableRef, ThreadRef, UserDataRef, Value};

pub use crate::coroutine::Thread;

pub use crate::table::Table;

/// Why the heap refused an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeapError {
    OutOfMemory,
}

/// An interned, immutable byte string with its hash.
#[derive(Debug)]
pub struct LuaStr {
    bytes: Box<[u8]>,
    hash: u64,
}

impl LuaStr {
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// A function prototype as the runtime uses it: immutable, shared by every closure made
/// from it. Built from a verified function by the loader, so every operand in `code` is
/// in range for the arrays here (see the verifier's facts).
#[derive(Debug)]
pub struct Proto {
    pub code: Box<[Instr]>,
    /// One per instruction: where the field-access instruction at that pc last found its
    /// key in a table's entries (see [`crate::table::SlotHint`]). Only a hint: any value
    /// is safe, a wrong one costs a lookup.
    pub slot_hints: Box<[crate::table::SlotHint]>,
    pub constants: Box<[Value]>,
    pub children: Box<[Arc<Proto>]>,
    pub upvalues: Box<[UpvalSource]>,
    pub num_params: u8,
    pub is_vararg: bool,
    pub num_registers: u8,
    /// Registers `r0`… a call clears before the function starts: the parameters and
    /// every register the function may read before writing it
    /// ([`tarn_bytecode::entry_nil`]); the others are written before any read.
    pub clear_on_entry: u8,
    /// The host functions bound to the module's imports, shared by its functions.
    pub imports: Arc<[Value]>,
    /// Chunk name for messages.
    pub source: Arc<str>,
    /// Index of the function in its module (names it when debug info is absent).
    pub function_index: u32,
    pub debug: Option<FunctionDebug>,
}

/// Nested prototypes are released one at a time from a list rather than by recursive
/// drops: a verified module may nest functions as deep as its function count allows.
impl Drop for Proto {
    fn drop(&mut self) {
        let mut pending: Vec<Arc<Proto>> = std::mem::take(&mut self.children).into_vec();
        while let Some(child) = pending.pop() {
            if let Ok(mut only_owner) = Arc::try_unwrap(child) {
                pending.extend(std::mem::take(&mut only_owner.children).into_vec());
            }
        }
    }
}

impl Proto {
    /// The source line of instruction `pc`, if debug info has one.
    pub fn line(&self, pc: usize) -> Option<u32> {
        self.debug.as_ref()?.lines.get(pc).copied()
    }
}

/// A Lua closure: a prototype and its captured upvalues.
#[derive(Debug)]
pub struct Closure {
    pub proto: Arc<Proto>,
    /// One per entry of `proto.upvalues`. Cells, because the interpreter reads the
    /// running closure's list through a pointer it keeps while `debug.upvaluejoin` may
    /// rebind an entry: rebinding goes through a shared reference, so the pointer stays
    /// valid.
    pub upvalues: Box<[Cell<Gc<Upvalue>>]>,
}

/// A captured variable: open while the variable lives in a register on the stack,
/// closed (holding its own copy) after the variable's scope ends.
#[derive(Debug, Clone, Copy)]
pub enum Upvalue {
    /// The variable is stack slot `slot` of `thread`.
    Open {
        thread: ThreadRef,
        slot: u32,
    },
    Closed(Value),
}

/// The signature of a host function: it reads its arguments from `args` and pushes its
/// results onto `results`.
pub type HostFn =
    dyn Fn(&mut crate::Vm, &[Value], &mut Vec<Value>) -> Result<(), crate::RuntimeError> + Send + Sync;

/// A host function with no state of its own (the standard library's): a plain pointer.
pub type PlainHostFn = fn(&mut crate::Vm, &[Value], &mut Vec<Value>) -> Result<(), crate::RuntimeError>;

/// The code of a host function. A call takes a copy out of the heap so the function can
/// borrow the VM: for a plain pointer that copy is free, for a closure it is an `Arc`
/// clone (two atomic operations per call), so the standard library uses plain pointers.
#[derive(Clone)]
pub enum HostCode {
    Plain(PlainHostFn),
    Shared(Arc<HostFn>),
}

impl HostCode {
    pub fn call(
        &self,
        vm: &mut crate::Vm,
        args: &[Value],
        results: &mut Vec<Value>,
    ) -> Result<(), crate::RuntimeError> {
        match self {
            HostCode::Plain(f) => f(vm, args, results),
            HostCode::Shared(f) => f(vm, args, results),
        }
    }
}

/// Library functions the interpreter runs itself, in frames, instead of calling them on
/// the Rust stack (so errors and yields pass through them as through Lua code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Pcall,
    Xpcall,
    Yield,
}

/// A function provided by the host.
pub struct NativeFunction {
    pub name: Arc<str>,
    pub func: HostCode,
    /// Values the function's Rust closure refers to: the collector keeps them alive.
    pub captures: Box<[Value]>,
    /// Set for the few functions the interpreter handles itself; `func` is then the
    /// version used when they are called from host code.
    pub builtin: Option<Builtin>,
}

/// A full userdata: a host value with a metatable and a user value.
pub struct UserData {
    pub payload: Box<dyn std::any::Any + Send>,
    /// Bytes charged for the payload.
    pub size: usize,
    pub metatable: Option<TableRef>,
    pub user_value: Value,
}

impl std::fmt::Debug for UserData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<userdata>")
    }
}

impl std::fmt::Debug for NativeFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<host function {}>", self.name)
    }
}

/// A typed arena with a free list.
#[derive(Debug)]
pub struct Arena<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena { slots: Vec::new(), free: Vec::new() }
    }
}

impl<T> Arena<T> {
    fn insert(&mut self, value: T) -> Gc<T> {
        match self.free.pop() {
            Some(index) => {
                self.slots[index as usize] = Some(value);
                Gc::from_index(index)
            }
            None => {
                let index = self.slots.len() as u32;
                self.slots.push(Some(value));
                Gc::from_index(index)
            }
        }
    }

    /// The object behind a live handle. A dead handle is a collector bug, not bad input.
    #[inline]
    pub fn get(&self, handle: Gc<T>) -> &T {
        match &self.slots[handle.index()] {
            Some(v) => v,
            None => panic!("dangling heap handle {handle:?}: collector bug"),
        }
    }

    #[inline]
    pub fn get_mut(&mut self, handle: Gc<T>) -> &mut T {
        match &mut self.slots[handle.index()] {
            Some(v) => v,
            None => panic!("dangling heap handle {handle:?}: collector bug"),
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Live objects with their slot indices.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|v| (i, v)))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (usize, &mut T)> {
        self.slots.iter_mut().enumerate().filter_map(|(i, s)| s.as_mut().map(|v| (i, v)))
    }

    /// Number of slots, live or free (handles index below this).
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Frees every live object whose slot `keep` rejects, calling `on_free` first.
    pub(crate) fn sweep(&mut self, keep: impl Fn(usize) -> bool, mut on_free: impl FnMut(&T)) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if slot.is_some() && !keep(i) {
                if let Some(object) = slot.take() {
                    on_free(&object);
                }
                self.free.push(i as u32);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Approximate bytes charged for each kind of object (payload sizes are added).
pub(crate) const STRING_OVERHEAD: usize = 40;
pub(crate) const TABLE_OVERHEAD: usize = 80;
pub(crate) const CLOSURE_OVERHEAD: usize = 40;
pub(crate) const UPVALUE_SIZE: usize = 32;

/// The heap of one VM.
#[derive(Debug)]
pub struct Heap {
    pub strings: Arena<LuaStr>,
    pub tables: Arena<Table>,
    pub closures: Arena<Closure>,
    pub upvalues: Arena<Upvalue>,
    pub natives: Arena<NativeFunction>,
    pub userdata: Arena<UserData>,
    pub threads: Arena<Thread>,
    pub(crate) interned: HashTable<StrRef>,
    bytes: usize,
    limit: usize,
}

/// The heap's byte count after charging a new string of `len` bytes, or out of memory
/// past `limit` (what [`Heap::charge`] does, callable while the intern table is borrowed).
fn charged(bytes: usize, limit: usize, len: usize) -> Result<usize, HeapError> {
    match bytes.checked_add(STRING_OVERHEAD + len) {
        Some(total) if total <= limit => Ok(total),
        _ => Err(HeapError::OutOfMemory),
    }
}

/// Hashes string contents. Seeded with a fixed value so runs are deterministic (the same
/// program interns in the same order and iterates tables in the same order).
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x7a72_6e5f_7461_726e).hash_one(bytes)
}

impl Heap {
    pub fn new(limit: usize) -> Heap {
        Heap {
            strings: Arena::default(),
            tables: Arena::default(),
            closures: Arena::default(),
            upvalues: Arena::default(),
            natives: Arena::default(),
            userdata: Arena::default(),
            threads: Arena::default(),
            interned: HashTable::new(),
            bytes: 0,
            limit,
        }
    }

    /// Bytes currently charged to this heap.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Charges `n` more bytes, or refuses if that would pass the limit.
    pub fn charge(&mut self, n: usize) -> Result<(), HeapError> {
        let total = self.bytes.checked_add(n).ok_or(HeapError::OutOfMemory)?;
        if total > self.limit {
            return Err(HeapError::OutOfMemory);
        }
        self.bytes = total;
        Ok(())
    }

    /// Returns `n` bytes to the budget.
    pub fn release(&mut self, n: usize) {
        self.bytes = self.bytes.saturating_sub(n);
    }

    /// The interned string with these bytes, creating it if needed.
    pub fn intern(&mut self, bytes: &[u8]) -> Result<StrRef, HeapError> {
        self.intern_from(bytes)
    }

    /// [`Heap::intern`] of a buffer the caller is done with. A new large string keeps
    /// the buffer's allocation (shrunk to fit, in place) instead of a copy, so a large
    /// result (`gsub`, `table.concat`) is never held twice: patterns.lua peak RSS 17.97 ->
    /// 15.81 MiB. Small ones are copied, which is cheaper than shrinking.
    pub fn intern_owned(&mut self, bytes: Vec<u8>) -> Result<StrRef, HeapError> {
        if bytes.len() < 4096 {
            return self.intern_from(&bytes[..]);
        }
        self.intern_from(bytes)
    }

    #[inline(always)]
    fn intern_from<B: AsRef<[u8]> + Into<Box<[u8]>>>(&mut self, bytes: B) -> Result<StrRef, HeapError> {
        let hash = hash_bytes(bytes.as_ref());
        let strings = &self.strings;
        // One probe: a miss leaves the slot where the new string goes.
        let vacant = match self.interned.entry(
            hash,
            |&s| strings.get(s).as_bytes() == bytes.as_ref(),
            |&s| strings.get(s).hash,
        ) {
            Entry::Occupied(found) => return Ok(*found.get()),
            Entry::Vacant(vacant) => vacant,
        };
        self.bytes = charged(self.bytes, self.limit, bytes.as_ref().len())?;
        let handle = self.strings.insert(LuaStr { bytes: bytes.into(), hash });
        vacant.insert(handle);
        Ok(handle)
    }

    /// The interned string with bytes `range` of string `s`: a substring, read in place
    /// rather than copied out first (`string.sub`, the pattern library's captures).
    pub fn intern_range(&mut self, s: StrRef, range: std::ops::Range<usize>) -> Result<StrRef, HeapError> {
        let strings = &self.strings;
        let whole = strings.get(s).as_bytes();
        if range.start == 0 && range.end == whole.len() {
            return Ok(s);
        }
        let bytes = &whole[range];
        let hash = hash_bytes(bytes);
        let vacant = match self.interned.entry(
            hash,
            |&t| strings.get(t).as_bytes() == bytes,
            |&t| strings.get(t).hash,
        ) {
            Entry::Occupied(found) => return Ok(*found.get()),
            Entry::Vacant(vacant) => vacant,
        };
        let owned: Box<[u8]> = bytes.into();
        self.bytes = charged(self.bytes, self.limit, owned.len())?;
        let handle = self.strings.insert(LuaStr { bytes: owned, hash });
        vacant.insert(handle);
        Ok(handle)
    }

    /// The interned string with these bytes, if one exists (never allocates).
    pub fn find_str(&self, bytes: &[u8]) -> Option<StrRef> {
        let strings = &self.strings;
        self.interned.find(hash_bytes(bytes), |&s| strings.get(s).as_bytes() == bytes).copied()
    }

    #[inline]
    pub fn str(&self, s: StrRef) -> &LuaStr {
        self.strings.get(s)
    }

    /// A string value for `bytes`.
    pub fn new_str(&mut self, bytes: &[u8]) -> Result<Value, HeapError> {
        Ok(Value::Str(self.intern(bytes)?))
    }

    pub fn new_table(&mut self, array_hint: usize, hash_hint: usize) -> Result<TableRef, HeapError> {
        let table = TableImpl::with_capacity(array_hint, hash_hint);
        self.charge(TABLE_OVERHEAD + table.payload_bytes())?;
        Ok(self.tables.insert(table))
    }

    /// A table to change in place without growing its storage (the caller must not add
    /// keys beyond the capacity it has: that is what [`Heap::with_table`] accounts for).
    #[inline]
    pub fn table_mut_in_place(&mut self, t: TableRef) -> &mut Table {
        self.tables.get_mut(t)
    }

    #[inline]
    pub fn table(&self, t: TableRef) -> &Table {
        self.tables.get(t)
    }

    /// Runs `f` on table `t`, charging or releasing whatever its storage grew or shrank by.
    /// Growth past the limit is undone only in accounting: the caller reports the error.
    pub fn with_table<R>(&mut self, t: TableRef, f: impl FnOnce(&mut Table) -> R) -> Result<R, HeapError> {
        let table = self.tables.get_mut(t);
        let before = table.payload_bytes();
        let result = f(table);
        let after = table.payload_bytes();
        if after > before {
            self.charge(after - before)?;
        } else {
            self.release(before - after);
        }
        Ok(result)
    }

    pub fn new_closure(
        &mut self,
        proto: Arc<Proto>,
        upvalues: Vec<Gc<Upvalue>>,
    ) -> Result<ClosureRef, HeapError> {
        self.charge(CLOSURE_OVERHEAD + upvalues.len() * 4)?;
        let upvalues = upvalues.into_iter().map(Cell::new).collect();
        Ok(self.closures.insert(Closure { proto, upvalues }))
    }

    #[inline]
    pub fn closure(&self, c: ClosureRef) -> &Closure {
        self.closures.get(c)
    }

    pub fn new_upvalue(&mut self, upvalue: Upvalue) -> Result<Gc<Upvalue>, HeapError> {
        self.charge(UPVALUE_SIZE)?;
        Ok(self.upvalues.insert(upvalue))
    }

    pub fn new_native(&mut self, name: &str, func: HostCode) -> Result<NativeRef, HeapError> {
        self.charge(CLOSURE_OVERHEAD + name.len())?;
        Ok(self.natives.insert(NativeFunction {
            name: name.into(),
            func,
            captures: Box::new([]),
            builtin: None,
        }))
    }

    /// A host function the interpreter treats specially (see [`Builtin`]).
    pub fn new_builtin(
        &mut self,
        name: &str,
        func: HostCode,
        builtin: Builtin,
    ) -> Result<NativeRef, HeapError> {
        let n = self.new_native(name, func)?;
        self.natives.get_mut(n).builtin = Some(builtin);
        Ok(n)
    }

    pub fn new_userdata(
        &mut self,
        payload: Box<dyn std::any::Any + Send>,
        size: usize,
    ) -> Result<UserDataRef, HeapError> {
        self.charge(TABLE_OVERHEAD + size)?;
        Ok(self.userdata.insert(UserData { payload, size, metatable: None, user_value: Value::Nil }))
    }

    pub fn new_thread(&mut self, thread: Thread) -> Result<ThreadRef, HeapError> {
        self.charge(TABLE_OVERHEAD * 2)?;
        Ok(self.threads.insert(thread))
    }

    pub fn thread(&self, t: ThreadRef) -> &Thread {
        self.threads.get(t)
    }

    pub fn userdata(&self, u: UserDataRef) -> &UserData {
        self.userdata.get(u)
    }

    pub fn native(&self, n: NativeRef) -> &NativeFunction {
        self.natives.get(n)
    }
}
