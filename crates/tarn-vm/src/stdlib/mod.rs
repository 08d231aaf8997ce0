//! The Lua standard library, as host functions over the VM's public operations.
//!
//! Each library lives in its own module and has an `open` function that adds its table
//! (or, for the basic library, its globals) to a VM. [`args`] checks arguments and words
//! its errors as Lua does: `bad argument #1 to 'insert' (table expected, got nil)`.

pub mod args;
pub mod base;
pub mod capability;
pub mod coroutine;
pub mod debug;
pub mod io;
pub mod math;
pub mod os;
pub mod package;
pub mod string;
pub mod table;
pub mod utf8;

pub use args::Args;
pub use capability::{Capabilities, Capability};

use crate::value::TableRef;
use crate::{RuntimeError, Vm};

/// A library function: arguments in, results pushed.
pub type LibFn = crate::heap::PlainHostFn;

/// Adds `functions` to table `t` (the globals for the basic library).
pub fn add_functions(
    vm: &mut Vm,
    t: TableRef,
    functions: &[(&'static str, LibFn)],
) -> Result<(), RuntimeError> {
    for &(name, f) in functions {
        let value = vm.new_plain_function(name, f)?;
        vm.set_field(t, name, value)?;
    }
    Ok(())
}

/// Opens every library that needs no capability.
pub fn open_all(vm: &mut Vm) -> Result<(), RuntimeError> {
    base::open(vm)?;
    coroutine::open(vm)?;
    string::open(vm)?;
    table::open(vm)?;
    math::open(vm)?;
    utf8::open(vm)?;
    Ok(())
}

/// Opens the libraries that touch the outside world (`io`, `os`, `package`/`require`,
/// `dofile`, `loadfile`) or reach into the VM (`debug`), each function checking `caps` when called (see [`capability`]).
/// Their tables always exist, so a script without a capability gets a clear error.
/// `os.exit` raises an exit request (see [`os::exit_status`]).
pub fn open_capability_libs(vm: &mut Vm, caps: &Capabilities) -> Result<(), RuntimeError> {
    open_capability_libs_with_exit(vm, caps, None)
}

/// [`open_capability_libs`] with the host's `os.exit` hook, called with the status
/// before the exit request is raised (a command-line host exits the process there).
pub fn open_capability_libs_with_exit(
    vm: &mut Vm,
    caps: &Capabilities,
    on_exit: Option<std::sync::Arc<os::ExitHook>>,
) -> Result<(), RuntimeError> {
    debug::open(vm, caps)?;
    io::open(vm, caps)?;
    os::open(vm, caps, on_exit)?;
    package::open(vm, caps)?;
    Ok(())
}
