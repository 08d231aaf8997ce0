//! `tarn`: the crate embedding hosts depend on.
//!
//! Today it re-exports the pieces a host needs to load and run verified bytecode:
//!
//! ```
//! use tarn::{text, verify, Limits, Value, Vm};
//!
//! let module = text::assemble(
//!     ".function main registers=1\n    loadint r0, 42\n    return r0, 1\n.end\n.entry main\n",
//! )
//! .expect("assembles");
//! let verified = verify(module).expect("verifies");
//! let mut vm = Vm::new(Limits { fuel: 1_000, ..Limits::default() }).expect("vm");
//! let entry = vm.load(&verified).expect("links");
//! let results = vm.call(entry, &[]).expect("runs");
//! assert!(matches!(results[..], [Value::Int(42)]));
//! ```
//!
//! The standard library is in [`tarn_vm::stdlib`]. The embedding API proper (typed
//! conversions, registered host functions with automatic argument conversion, rooted
//! handles) is still to come.

pub use tarn_bytecode::{binary, text, verify, Module, VerifiedModule};
pub use tarn_vm::{ErrorKind, Limits, RuntimeError, Value, Vm};
