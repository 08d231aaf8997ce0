//! The Lua standard library, as host functions over the VM's public operations.
//!
//! Each library lives in its own module and has an `open` function that adds its table
//! (or, for the basic library, its globals) to a VM. [`args`] checks arguments and words
//! its errors as Lua does: `bad argument #1 to 'insert' (table expected, got nil)`.

pub mod args;
pub mod base;
pub mod coroutine;
pub mod math;
pub mod table;
pub mod utf8;

pub use args::Args;

use crate::value::{TableRef, Value};
use crate::{RuntimeError, Vm};

/// A library function: arguments in, results pushed.
pub type LibFn = fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError>;

/// Adds `functions` to table `t` (the globals for the basic library).
pub fn add_functions(
    vm: &mut Vm,
    t: TableRef,
    functions: &[(&'static str, LibFn)],
) -> Result<(), RuntimeError> {
    for &(name, f) in functions {
        let value = vm.new_function(name, f)?;
        vm.set_field(t, name, value)?;
    }
    Ok(())
}

/// Opens every library that needs no capability.
pub fn open_all(vm: &mut Vm) -> Result<(), RuntimeError> {
    base::open(vm)?;
    coroutine::open(vm)?;
    table::open(vm)?;
    math::open(vm)?;
    utf8::open(vm)?;
    Ok(())
}
