//! `tarn`: embed Tarn, a fast, safe bytecode VM for Lua 5.4, in a Rust program, and run
//! code you do not fully trust.
//!
//! A [`Vm`] is built from a [`Config`] (its limits, the capabilities scripts get);
//! it loads Lua source or verified bytecode, calls Lua functions with Rust arguments,
//! and lets scripts call the host functions it registers, converting values both ways.
//!
//! ```
//! use tarn::{Config, Vm};
//!
//! let mut vm = Vm::new(Config::new().fuel(1_000_000).max_heap(8 << 20))?;
//! vm.register("add", |a: i64, b: i64| a + b)?;
//! vm.exec_named("function area(w, h) return w * h end", "shapes.lua")?;
//!
//! let area: tarn::Function = vm.global("area")?;
//! assert_eq!(area.call::<i64>(&mut vm, (6, 7))?, 42);
//! assert_eq!(vm.eval::<i64>("return add(area(2, 3), 1)")?, 7);
//! # Ok::<(), tarn::Error>(())
//! ```
//!
//! # What a script can reach
//!
//! The pure libraries (`string`, `table`, `math`, `utf8`, `coroutine`, the basic
//! functions), the host functions registered with [`Vm::register`], and the libraries
//! whose [`Capability`] the host granted in its [`Config`] (`io` needs
//! [`Capability::FileRead`]/[`Capability::FileWrite`], `os.time` [`Capability::Clock`],
//! `load` of text [`Capability::Load`], ...). Nothing else: a binary module that imports
//! a host function the host did not register is refused when it is loaded
//! ([`ErrorKind::Link`]), and every module, from the host or from a script's `load`, is
//! verified before it runs.
//!
//! # Values and handles
//!
//! Tables, functions, strings and userdata are rooted handles ([`Table`],
//! [`Function`], [`LuaString`], [`AnyUserData`]): the object stays alive while the host
//! holds the handle, and a handle used with a VM other than its own is an error
//! ([`ErrorKind::WrongVm`]), never the wrong object. Most hosts convert to plain Rust
//! types instead ([`FromLua`], [`IntoLua`]; see [`convert`] for the table), including
//! any `serde` type with the `serde` feature (`tarn::serde`).
//!
//! # Limits
//!
//! Fuel (instructions, charged deterministically), heap bytes, call depth and host
//! re-entry depth are set in the [`Config`]. A call that runs out of fuel can be kept and
//! resumed ([`Function::call_resumable`], [`Outcome`], [`Suspended`]); another thread
//! can stop a running call with an [`InterruptHandle`]. Every failure is an [`Error`]
//! with a kind, Lua's message, the Lua error value and a traceback.
//!
//! # Host functions and their context
//!
//! [`Vm::register`] takes plain closures (`|a: i64, b: i64| a + b`);
//! [`Vm::register_with_ctx`] takes closures that also get a [`Ctx`], the VM as a host
//! function sees it, to make tables, call back into Lua or reach userdata. Handle
//! methods take either (`&mut impl AsCtx`), as wasmtime's take a store or a caller.
//!
//! The guide, with the same three tasks side by side with mlua and wasmtime, is
//! `docs/embedding.md` in the repository; `crates/tarn/examples/` has a rule engine, a
//! plugin host and a sandbox for untrusted code.

#![deny(missing_docs)]

pub mod convert;
mod error;
mod function;
#[cfg(feature = "serde")]
pub mod serde;
mod table;
mod userdata;
mod value;
mod vm;

pub mod config;

pub use config::{Capabilities, Capability, Config};
pub use convert::{Bytes, FromLua, FromLuaMulti, IntoLua, IntoLuaMulti, Variadic};
pub use error::{Error, ErrorKind, Result};
pub use function::{HostReturn, IntoHostFn, Outcome, Suspended};
pub use userdata::{MetaMethod, UserData, UserDataMethods};
pub use value::{AnyUserData, Function, LuaString, Table, Thread, Value};
pub use vm::{AsCtx, Ctx, InterruptHandle, Vm};

/// The module types, for hosts that assemble, decode or verify modules themselves
/// before [`Vm::load_module`].
pub mod bytecode {
    pub use tarn_bytecode::{binary, text, verify, Module, VerifiedModule};
}
