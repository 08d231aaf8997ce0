//! Argument checking for library functions, with Lua's wording.
//!
//! `Args::new("insert", args)` wraps a host function's arguments; its getters return the
//! value converted as the reference manual's `luaL_check*` functions do, or an error such
//! as `bad argument #2 to 'insert' (number expected, got nil)`. Argument positions are
//! 0-based in the API and 1-based in messages.

use crate::error::RuntimeError;
use crate::number::{self, NumberValue};
use crate::value::{StrRef, TableRef, Value};
use crate::Vm;

/// A host function's arguments with the function's name, for messages.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    name: &'static str,
    /// Whether messages use only the part of `name` after its last dot (worked out
    /// when a message needs it, not on every call).
    short: bool,
    values: &'a [Value],
}

impl<'a> Args<'a> {
    pub fn new(name: &'static str, values: &'a [Value]) -> Args<'a> {
        Args { name, short: false, values }
    }

    /// Arguments of library function `qualified` (`"table.insert"`), named in messages
    /// as Lua names them: by the short name when Lua code called the function, by the
    /// qualified name when it was reached another way (from `pcall`, or from the host),
    /// as Lua's `luaL_argerror` falls back to the name it finds in the loaded libraries.
    pub fn lib(vm: &Vm, qualified: &'static str, values: &'a [Value]) -> Args<'a> {
        Args { name: qualified, short: vm.native_called_from_lua, values }
    }

    /// The function's name as used in messages.
    pub fn name(&self) -> &'static str {
        if self.short {
            self.name.rsplit_once('.').map_or(self.name, |(_, short)| short)
        } else {
            self.name
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// All arguments.
    pub fn values(&self) -> &'a [Value] {
        self.values
    }

    /// Argument `i`, or nil when absent.
    pub fn get(&self, i: usize) -> Value {
        self.values.get(i).copied().unwrap_or(Value::Nil)
    }

    /// Whether argument `i` is absent or nil.
    pub fn is_none_or_nil(&self, i: usize) -> bool {
        self.get(i).is_nil()
    }

    /// `bad argument #i to 'name' (message)`.
    pub fn error(&self, i: usize, message: &str) -> RuntimeError {
        RuntimeError::runtime(format!("bad argument #{} to '{}' ({message})", i + 1, self.name()))
    }

    /// `bad argument #i to 'name' (T expected, got U)`.
    pub fn type_error(&self, vm: &Vm, i: usize, expected: &str) -> RuntimeError {
        let got = if i >= self.values.len() { "no value".to_string() } else { vm.type_name_of(self.get(i)) };
        self.error(i, &format!("{expected} expected, got {got}"))
    }

    /// Any value, which must be present (it may be nil).
    pub fn any(&self, i: usize) -> Result<Value, RuntimeError> {
        if i < self.values.len() {
            Ok(self.values[i])
        } else {
            Err(self.error(i, "value expected"))
        }
    }

    /// A number (integer or float), converting numeric strings.
    pub fn number(&self, vm: &Vm, i: usize) -> Result<Value, RuntimeError> {
        match self.get(i) {
            v @ (Value::Int(_) | Value::Float(_)) => Ok(v),
            Value::Str(s) => match number::parse_number(vm.heap().str(s).as_bytes()) {
                Some(NumberValue::Int(n)) => Ok(Value::Int(n)),
                Some(NumberValue::Float(f)) => Ok(Value::Float(f)),
                None => Err(self.type_error(vm, i, "number")),
            },
            _ => Err(self.type_error(vm, i, "number")),
        }
    }

    /// A number as a float.
    pub fn float(&self, vm: &Vm, i: usize) -> Result<f64, RuntimeError> {
        Ok(match self.number(vm, i)? {
            Value::Int(n) => n as f64,
            Value::Float(f) => f,
            _ => unreachable!("number() returns numbers only"),
        })
    }

    /// An integer: integers, floats with an exact integer value, and strings that convert
    /// to one. Other floats give "number has no integer representation".
    pub fn int(&self, vm: &Vm, i: usize) -> Result<i64, RuntimeError> {
        match self.number(vm, i)? {
            Value::Int(n) => Ok(n),
            Value::Float(f) => number::float_to_int_exact(f)
                .ok_or_else(|| self.error(i, "number has no integer representation")),
            _ => unreachable!("number() returns numbers only"),
        }
    }

    /// An optional integer: `default` when the argument is absent or nil.
    pub fn opt_int(&self, vm: &Vm, i: usize, default: i64) -> Result<i64, RuntimeError> {
        if self.is_none_or_nil(i) {
            Ok(default)
        } else {
            self.int(vm, i)
        }
    }

    /// An optional float: `default` when the argument is absent or nil.
    pub fn opt_float(&self, vm: &Vm, i: usize, default: f64) -> Result<f64, RuntimeError> {
        if self.is_none_or_nil(i) {
            Ok(default)
        } else {
            self.float(vm, i)
        }
    }

    /// A string; numbers are converted to their text, as `luaL_checklstring` does.
    pub fn string(&self, vm: &mut Vm, i: usize) -> Result<StrRef, RuntimeError> {
        match self.get(i) {
            Value::Str(s) => Ok(s),
            Value::Int(n) => vm.intern(number::int_text(n, &mut [0; 20])),
            Value::Float(f) => vm.intern(number::format_float(f).as_bytes()),
            _ => Err(self.type_error(vm, i, "string")),
        }
    }

    /// The bytes of a string argument (numbers converted), copied out of the heap.
    pub fn bytes(&self, vm: &mut Vm, i: usize) -> Result<Vec<u8>, RuntimeError> {
        let s = self.string(vm, i)?;
        Ok(vm.heap().str(s).as_bytes().to_vec())
    }

    /// An optional string: `None` when the argument is absent or nil.
    pub fn opt_string(&self, vm: &mut Vm, i: usize) -> Result<Option<StrRef>, RuntimeError> {
        if self.is_none_or_nil(i) {
            Ok(None)
        } else {
            self.string(vm, i).map(Some)
        }
    }

    pub fn table(&self, vm: &Vm, i: usize) -> Result<TableRef, RuntimeError> {
        match self.get(i) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(vm, i, "table")),
        }
    }

    /// A function (Lua or host).
    pub fn function(&self, vm: &Vm, i: usize) -> Result<Value, RuntimeError> {
        match self.get(i) {
            v @ (Value::Closure(_) | Value::Native(_)) => Ok(v),
            _ => Err(self.type_error(vm, i, "function")),
        }
    }

    /// Truthiness of an optional argument (absent is false).
    pub fn boolean(&self, i: usize) -> bool {
        self.get(i).is_truthy()
    }
}
