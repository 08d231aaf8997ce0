//! `tarn-compiler`: Lua 5.4 source text to a Tarn [`tarn_bytecode::Module`].
//!
//! The pipeline: `lexer` (bytes to tokens), [`parser`] (tokens to a resolved
//! [`ast::Chunk`], with Lua's compile-time checks), then `codegen` (the tree to a module
//! that passes [`tarn_bytecode::verify()`], with debug information). [`mod@print`] shows a
//! tree, for tests and debugging.
//!
//! Entry points: [`compile`] (source to module) and [`parse`] (source to tree). Both take
//! source bytes (Lua source is bytes, not UTF-8) and a Lua-style chunk name, and fail
//! with a [`CompileError`] whose `Display` is the message `lua5.4` prints for the same
//! input (code generation's own limits, such as "function or expression needs too many
//! registers", are worded as Lua words them, without Lua's `near` part).
//!
//! Invariants: no input makes the compiler panic or overflow a 2 MiB stack; nesting
//! limits are in [`parser`].

pub mod ast;
mod codegen;
pub mod error;
mod lexer;
pub mod parser;
pub mod print;
pub mod token;

pub use error::{chunk_id, CompileError, ErrorKind};

/// Options for [`parse_with`].
#[derive(Clone, Copy, Debug)]
pub struct ParseOptions {
    /// Skip a UTF-8 byte-order mark and a first line starting with `#` (as Lua does when
    /// loading a file, so `#!/usr/bin/env lua` scripts work). Lua's `load` of a string does
    /// not do this.
    pub skip_first_line: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { skip_first_line: true }
    }
}

/// Parses a chunk loaded from a file or the command line (a `#` first line is skipped).
///
/// `chunkname` follows Lua's convention: `"@file.lua"` for a file, `"=stdin"` for a
/// literal name, anything else is the source text itself (shown as `[string "..."]`).
pub fn parse(source: &[u8], chunkname: &str) -> Result<ast::Chunk, CompileError> {
    parse_with(source, chunkname, ParseOptions::default())
}

/// Compiles a chunk loaded from a file or the command line into a module whose
/// function 0 (the entry) is the main chunk. `chunkname` is as for [`parse`].
pub fn compile(source: &[u8], chunkname: &str) -> Result<tarn_bytecode::Module, CompileError> {
    let chunk = parse(source, chunkname)?;
    codegen::generate(&chunk)
}

/// Parses a chunk with explicit options.
pub fn parse_with(source: &[u8], chunkname: &str, opts: ParseOptions) -> Result<ast::Chunk, CompileError> {
    let mut start = 0;
    if opts.skip_first_line {
        if source.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
        }
        if source.get(start) == Some(&b'#') {
            // Skip up to (not including) the line break, so line numbers stay right.
            start = source[start..].iter().position(|&c| c == b'\n').map_or(source.len(), |p| start + p);
        }
    }
    parser::parse_chunk(source, start, chunk_id(chunkname))
}
