//! `tarn-bytecode`: the instruction set, the module, and everything that converts or
//! checks modules, with no runtime and no compiler.
//!
//! - [`isa`]: the instruction table, defined once, and the [`Instr`] / [`Opcode`] types.
//! - [`operand`]: typed operands (`Reg`, `Const`, `Jump`, …).
//! - [`module`]: the [`Module`] every stage converts to and from, and its limits.
//! - [`binary`]: the `.tbc` encoder and decoder (specified in `docs/format.md`).
//! - [`text`]: the `.tasm` assembler and disassembler.
//! - [`verify`]: the verifier, the only way to get a [`VerifiedModule`].
//! - [`entry_nil`]: which registers a frame must clear when its function starts.

pub mod binary;
pub mod entry_nil;
mod error;
pub mod isa;
pub mod isa_doc;
pub mod module;
pub mod operand;
#[cfg(any(test, feature = "testgen"))]
pub mod testgen;
pub mod text;
pub mod verify;

pub use error::{Error, ErrorKind};
pub use isa::{Instr, Opcode};
pub use module::{Constant, Function, Module, UpvalSource};
pub use operand::*;
pub use verify::{verify, VerifiedModule};
