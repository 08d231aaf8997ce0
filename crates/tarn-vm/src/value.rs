//! Values: the small `Copy` type every register, table slot and upvalue holds.
//!
//! A [`Value`] is 16 bytes: a tag and either an immediate (nil, boolean, integer, float)
//! or a handle to a heap object. Handles ([`Gc`]) are indices into the heap's typed
//! arenas, not pointers, so the heap can be traced, measured, limited and serialised and
//! the VM is `Send`. Every string is interned, so two string values are equal exactly when
//! their handles are: equality and hashing of table keys never look at string bytes.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::num::NonZeroU32;

use crate::heap::{Closure, LuaStr, NativeFunction, Table, Thread, UserData};

/// A handle to a heap object of type `T`: an index into the heap's arena for `T`.
pub struct Gc<T> {
    /// The arena index plus one: never zero, so `Option<Gc<T>>` (a metatable, say) takes
    /// four bytes.
    index_plus_one: NonZeroU32,
    _type: PhantomData<fn() -> T>,
}

impl<T> Gc<T> {
    /// A handle for arena slot `index` (below `u32::MAX`: arenas index with `u32`).
    pub(crate) fn from_index(index: u32) -> Self {
        let index_plus_one = NonZeroU32::new(index.wrapping_add(1)).unwrap_or(NonZeroU32::MAX);
        Gc { index_plus_one, _type: PhantomData }
    }
    #[inline]
    pub(crate) fn index(self) -> usize {
        self.index_plus_one.get() as usize - 1
    }
    /// A stable number for the handle, used for `tostring` addresses and hashing.
    pub fn id(self) -> u32 {
        self.index_plus_one.get() - 1
    }
}

impl<T> Clone for Gc<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Gc<T> {}
impl<T> PartialEq for Gc<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index_plus_one == other.index_plus_one
    }
}
impl<T> Eq for Gc<T> {}
impl<T> Hash for Gc<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index_plus_one.hash(state)
    }
}
impl<T> fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.id())
    }
}

pub type StrRef = Gc<LuaStr>;
pub type TableRef = Gc<Table>;
pub type ClosureRef = Gc<Closure>;
pub type NativeRef = Gc<NativeFunction>;
pub type UserDataRef = Gc<UserData>;
pub type ThreadRef = Gc<Thread>;

/// A Lua value.
///
/// The tag is a whole word (`repr(u64)`), so the payload sits at bytes 8..16 whatever the
/// variant. With the default layout a boolean sat at byte 1, so a copy of a value of
/// unknown kind moved bytes 1..16 as two overlapping words, and the loads that followed
/// those partial stores missed store forwarding: nbody ran 1.6x slower.
#[derive(Clone, Copy, Debug, Default)]
#[repr(u64)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(StrRef),
    Table(TableRef),
    /// A Lua function (a closure over a prototype).
    Closure(ClosureRef),
    /// A function provided by the host.
    Native(NativeRef),
    /// A host value with an optional metatable (full userdata).
    UserData(UserDataRef),
    /// A coroutine.
    Thread(ThreadRef),
}

const _: () = assert!(std::mem::size_of::<Value>() == 16);
const _: () = assert!(std::mem::size_of::<Option<TableRef>>() == 4);

impl Value {
    /// Lua truthiness: everything but `nil` and `false` is true.
    #[inline]
    pub fn is_truthy(self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    #[inline]
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The name `type()` returns.
    pub fn type_name(self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Table(_) => "table",
            Value::Closure(_) | Value::Native(_) => "function",
            Value::UserData(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Raw equality (`rawequal`): numbers by mathematical value, everything else by
    /// identity (strings are interned, so identity is content equality).
    #[inline]
    pub fn raw_eq(self, other: Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => {
                crate::number::int_eq_float(i, f)
            }
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => a == b,
            (Value::Native(a), Value::Native(b)) => a == b,
            (Value::UserData(a), Value::UserData(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            _ => false,
        }
    }
}
