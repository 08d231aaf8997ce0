//! `tarn-vm`: Tarn's runtime.
//!
//! - [`value`]: the 16-byte [`Value`] and heap handles.
//! - [`heap`]: typed arenas, interned strings, byte accounting against the heap limit.
//! - [`table`]: Lua tables (array part + insertion-ordered hash part).
//! - [`number`]: Lua 5.4 integer/float semantics and number text.
//! - [`vm`]: the [`Vm`], its [`Limits`], loading/linking verified modules, host calls.
//! - [`stdlib`]: the Lua standard library as host functions.
//! - [`host`]: what the VM keeps for its embedding host: pinned values, the release
//!   queue, host data, the interrupt flag.
//! - `interp`: the interpreter loop (explicit frame stack, fuel, no Rust recursion for
//!   Lua calls).

mod call;
mod coroutine;
mod dump;
mod error;
mod gc;
pub mod heap;
mod hook;
pub mod host;
// The one module allowed `unsafe`: see docs/unsafe.md for each site and its measurement.
#[allow(unsafe_code)]
mod interp;
mod meta;
pub mod number;
pub mod stdlib;
pub mod table;
pub mod value;
mod vm;

pub use error::{ErrorKind, RuntimeError};
pub use host::{PinSlot, ReleaseQueue};
pub use value::Value;
pub use vm::{Limits, RootSlot, Vm, FUEL_SLICE};
