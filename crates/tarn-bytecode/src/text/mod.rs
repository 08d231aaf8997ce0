//! The `.tasm` text format: assembler and disassembler. The language is specified in
//! `docs/tasm.md`.
//!
//! - [`disassemble`] renders any [`Module`] as text; [`assemble`] reads text into a
//!   `Module`. For every module `m`, `assemble(&disassemble(&m)) == Ok(m)`, including
//!   modules the verifier would reject (out-of-range indices, jumps outside the code,
//!   debug tables whose lengths do not match): the text layer checks syntax, never
//!   meaning. Property tests in `tests.rs` hold it to that.
//! - Instructions are read and written generically from the instruction table:
//!   [`Opcode::from_mnemonic`](crate::Opcode::from_mnemonic) and
//!   [`Instr::build`](crate::Instr::build) with an operand source that parses the operand
//!   kind it is asked for, and [`Instr::for_each_operand`](crate::Instr::for_each_operand)
//!   to print. No code here names an individual instruction.
//! - The assembler never panics on any input text: every number is parsed with checked
//!   arithmetic, nothing recurses, and nothing is allocated in proportion to a number read
//!   from the text. A random-mutation test holds it to that.
//!
//! Files: `lexer` (one line into tokens), `literal` (how values are spelled, shared by
//! both directions), `cursor` (reading directive arguments), `asm` (statements and the two
//! passes), `operands` (the operand source), `disasm`, and `tests` (property tests).

mod asm;
mod cursor;
mod disasm;
mod lexer;
mod literal;
mod operands;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::module::Module;
use crate::Error;

/// Why text is not well-formed assembly, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsmError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column (in characters) when the problem is at a particular token.
    pub column: Option<usize>,
    /// What was wrong and, where it helps, what was expected.
    pub message: String,
}

impl AsmError {
    pub(crate) fn at(line: usize, column: usize, message: String) -> AsmError {
        AsmError { line, column: Some(column), message }
    }

    pub(crate) fn on_line(line: usize, message: String) -> AsmError {
        AsmError { line, column: None, message }
    }
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for AsmError {}

/// Renders a module as `.tasm` text that [`assemble`] turns back into the same module.
pub fn disassemble(module: &Module) -> String {
    disasm::disassemble(module)
}

/// Parses `.tasm` text into a module. The module is not verified.
pub fn assemble(text: &str) -> Result<Module, Error> {
    asm::assemble(text).map_err(Error::from)
}
