//! The Lua standard library, as host functions over the VM's public operations.
//!
//! Each library lives in its own module and has an `open` function that adds its table
//! (or, for the basic library, its globals) to a VM. [`args`] checks arguments and words
//! its errors as Lua does: `bad argument #1 to 'insert' (table expected, got nil)`.

pub mod args;
pub mod string;

pub use args::Args;
