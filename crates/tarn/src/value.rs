//! Lua values as the host holds them: [`Value`] and the rooted handles [`Table`],
//! [`Function`], [`LuaString`], [`AnyUserData`] and [`Thread`].
//!
//! Inside the VM a heap object is reached by a bare index that is only valid until the
//! next collection. A handle here instead owns a **pin** (a slot the collector treats
//! as a root), so the object lives as long as the handle does; dropping the last clone
//! queues the pin for release, and the VM frees it at its next safe point. Each handle
//! also records the id of its VM: using it with another VM is an
//! [`ErrorKind::WrongVm`](crate::ErrorKind::WrongVm) error, never the wrong object.

use std::fmt;
use std::sync::Arc;

use tarn_vm::{PinSlot, ReleaseQueue};

use crate::error::{Error, Result};
use crate::vm::Ctx;

/// A value inside the VM, as `tarn_vm` represents it (valid only for the moment).
pub(crate) type Raw = tarn_vm::Value;

struct Pin {
    vm: u64,
    slot: PinSlot,
    queue: Arc<ReleaseQueue>,
}

impl Drop for Pin {
    fn drop(&mut self) {
        self.queue.release(self.slot);
    }
}

/// A pinned heap object: shared by clones, released when the last one goes.
#[derive(Clone)]
pub(crate) struct Handle(Arc<Pin>);

impl Handle {
    /// Pins `raw` in the VM of `cx`.
    pub(crate) fn new(cx: &mut Ctx<'_>, raw: Raw) -> Handle {
        let raw_vm = cx.raw();
        let slot = raw_vm.pin(raw);
        Handle(Arc::new(Pin { vm: raw_vm.id(), slot, queue: raw_vm.release_queue() }))
    }

    /// The object, if `cx` is its VM.
    pub(crate) fn get(&self, cx: &Ctx<'_>, what: &str) -> Result<Raw> {
        if self.0.vm != cx.raw_ref().id() {
            return Err(Error::wrong_vm(what));
        }
        cx.raw_ref().pinned(self.0.slot).ok_or_else(|| Error::wrong_vm(what))
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vm {} pin {}", self.0.vm, self.0.slot.index())
    }
}

macro_rules! handle_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $variant:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(pub(crate) Handle);

        impl $name {
            /// The object inside the VM, checking that `cx` is its VM.
            pub(crate) fn raw(&self, cx: &Ctx<'_>) -> Result<Raw> {
                self.0.get(cx, $what)
            }

            /// This handle as a [`Value`].
            pub fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl From<$name> for Value {
            fn from(h: $name) -> Value {
                Value::$variant(h)
            }
        }
    };
}

handle_type!(
    /// A Lua table, kept alive while this handle (or a clone) exists.
    ///
    /// ```
    /// use tarn::{Config, Table, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// let t: Table = vm.eval("return { name = 'tarn', 10, 20 }")?;
    /// assert_eq!(t.get::<String>(&mut vm, "name")?, "tarn");
    /// assert_eq!(t.len(&mut vm)?, 2);
    /// t.set(&mut vm, "name", "lua")?;
    /// assert_eq!(vm.eval::<String>("return 'x'")?, "x");
    /// # Ok::<(), tarn::Error>(())
    /// ```
    Table,
    "table",
    Table
);

handle_type!(
    /// A function, Lua or host, kept alive while this handle exists. Call it with
    /// [`Function::call`].
    Function,
    "function",
    Function
);

handle_type!(
    /// A Lua string (a byte string, not necessarily UTF-8), kept alive while this handle
    /// exists. Most hosts convert to `String` or [`crate::Bytes`] instead.
    LuaString,
    "string",
    String
);

handle_type!(
    /// A userdata value: a host value exposed to Lua (see [`crate::UserData`]).
    AnyUserData,
    "userdata",
    UserData
);

handle_type!(
    /// A coroutine. The host can pass it around; running it is Lua's business
    /// (`coroutine.resume`).
    Thread,
    "thread",
    Thread
);

/// A Lua value held by the host. Heap values are rooted handles, so a `Value` stays
/// valid for as long as the host keeps it, across any number of calls.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A Lua integer (64-bit).
    Integer(i64),
    /// A Lua float.
    Number(f64),
    /// A string.
    String(LuaString),
    /// A table.
    Table(Table),
    /// A function (Lua or host).
    Function(Function),
    /// A userdata.
    UserData(AnyUserData),
    /// A coroutine.
    Thread(Thread),
}

impl Value {
    /// The name Lua's `type()` gives: `"nil"`, `"number"`, `"table"`, ...
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::Integer(_) | Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::Function(_) => "function",
            Value::UserData(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Whether this is `nil`.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Lua truthiness: everything but `nil` and `false` is true.
    pub fn is_truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// The integer, if this is one.
    pub fn as_integer(&self) -> Option<i64> {
        match *self {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }

    /// The number as a float, if this is a number.
    pub fn as_number(&self) -> Option<f64> {
        match *self {
            Value::Integer(i) => Some(i as f64),
            Value::Number(f) => Some(f),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_boolean(&self) -> Option<bool> {
        match *self {
            Value::Boolean(b) => Some(b),
            _ => None,
        }
    }

    /// The table, if this is one.
    pub fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The function, if this is one.
    pub fn as_function(&self) -> Option<&Function> {
        match self {
            Value::Function(f) => Some(f),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_string(&self) -> Option<&LuaString> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The userdata, if this is one.
    pub fn as_userdata(&self) -> Option<&AnyUserData> {
        match self {
            Value::UserData(u) => Some(u),
            _ => None,
        }
    }

    /// Wraps a raw value, pinning it if it lives on the heap.
    pub(crate) fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Value {
        match raw {
            Raw::Nil => Value::Nil,
            Raw::Bool(b) => Value::Boolean(b),
            Raw::Int(i) => Value::Integer(i),
            Raw::Float(f) => Value::Number(f),
            Raw::Str(_) => Value::String(LuaString(Handle::new(cx, raw))),
            Raw::Table(_) => Value::Table(Table(Handle::new(cx, raw))),
            Raw::Closure(_) | Raw::Native(_) => Value::Function(Function(Handle::new(cx, raw))),
            Raw::UserData(_) => Value::UserData(AnyUserData(Handle::new(cx, raw))),
            Raw::Thread(_) => Value::Thread(Thread(Handle::new(cx, raw))),
        }
    }

    /// The raw value, checking that heap values belong to the VM of `cx`.
    pub(crate) fn to_raw(&self, cx: &Ctx<'_>) -> Result<Raw> {
        Ok(match self {
            Value::Nil => Raw::Nil,
            Value::Boolean(b) => Raw::Bool(*b),
            Value::Integer(i) => Raw::Int(*i),
            Value::Number(f) => Raw::Float(*f),
            Value::String(h) => h.raw(cx)?,
            Value::Table(h) => h.raw(cx)?,
            Value::Function(h) => h.raw(cx)?,
            Value::UserData(h) => h.raw(cx)?,
            Value::Thread(h) => h.raw(cx)?,
        })
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Boolean(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Integer(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Number(f)
    }
}

impl LuaString {
    /// The bytes of the string.
    pub fn to_bytes(&self, vm: &mut impl crate::AsCtx) -> Result<Vec<u8>> {
        let cx = vm.as_ctx();
        let raw = self.raw(&cx)?;
        Ok(cx.raw_ref().string_bytes(raw).unwrap_or_default().to_vec())
    }

    /// The string as UTF-8, or a [`crate::ErrorKind::Conversion`] error when it is not.
    pub fn to_str(&self, vm: &mut impl crate::AsCtx) -> Result<String> {
        String::from_utf8(self.to_bytes(vm)?)
            .map_err(|_| Error::new(crate::ErrorKind::Conversion, "string is not valid UTF-8"))
    }

    /// The string with invalid UTF-8 replaced by U+FFFD.
    pub fn to_string_lossy(&self, vm: &mut impl crate::AsCtx) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.to_bytes(vm)?).into_owned())
    }

    /// Its length in bytes.
    pub fn len(&self, vm: &mut impl crate::AsCtx) -> Result<usize> {
        let cx = vm.as_ctx();
        let raw = self.raw(&cx)?;
        Ok(cx.raw_ref().string_bytes(raw).map_or(0, |b| b.len()))
    }

    /// Whether it is the empty string.
    pub fn is_empty(&self, vm: &mut impl crate::AsCtx) -> Result<bool> {
        Ok(self.len(vm)? == 0)
    }
}
