//! Reading modules from files and standard input: Lua source, `.tasm` text or `.tbc`
//! binaries, unverified (the session verifies what it runs).
//!
//! Which one a file is: `.lua` is Lua source, `.tasm` is assembly text, `.tbc` is a
//! binary module; any other file is a binary module when it starts with the `.tbc`
//! magic and Lua source otherwise — the way `lua` tells a precompiled chunk from source
//! by its signature, so `tarn script` works on a script with no extension.

use std::path::Path;

use tarn_bytecode::{binary, text, Module};

/// How an I/O error reads in a message: the OS's words, without Rust's `(os error N)`,
/// so `cannot open x.lua: No such file or directory` reads as lua's does.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// Reads and decodes, assembles or compiles the module in `path`.
pub fn load_file(path: &Path) -> Result<Module, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot open {}: {}", path.display(), io_message(&e)))?;
    let extension = path.extension().and_then(|e| e.to_str());
    let name = path.display().to_string();
    match extension {
        Some("tasm") => {
            let text = std::str::from_utf8(&bytes).map_err(|_| format!("{name}: not valid UTF-8 text"))?;
            text::assemble(text).map_err(|e| format!("{name}: {e}"))
        }
        Some("tbc") => decode(&bytes, &name),
        Some("lua") => compile(&bytes, &format!("@{name}")),
        _ if bytes.starts_with(&binary::MAGIC) => decode(&bytes, &name),
        _ => compile(&bytes, &format!("@{name}")),
    }
}

/// A module from bytes read from standard input: a binary module if it starts with the
/// magic, else Lua source named `=stdin`.
pub fn load_stdin_bytes(bytes: &[u8]) -> Result<Module, String> {
    if bytes.starts_with(&binary::MAGIC) {
        decode(bytes, "stdin")
    } else {
        compile(bytes, "=stdin")
    }
}

fn decode(bytes: &[u8], name: &str) -> Result<Module, String> {
    binary::decode(bytes).map_err(|e| format!("{name}: {e}"))
}

/// Compile errors already read `chunk:line: message`, as lua prints them.
fn compile(bytes: &[u8], chunkname: &str) -> Result<Module, String> {
    tarn_compiler::compile(bytes, chunkname).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_lua_words_them() {
        let e = std::io::Error::from_raw_os_error(2);
        assert!(!io_message(&e).contains("os error"), "{}", io_message(&e));
        let e = std::io::Error::other("plain (words)");
        assert_eq!(io_message(&e), "plain (words)");
    }

    #[test]
    fn stdin_is_source_unless_it_is_a_binary() {
        assert!(load_stdin_bytes(b"x = 1").is_ok());
        let e = load_stdin_bytes(b"x = = 1").unwrap_err();
        assert!(e.starts_with("stdin:1:"), "{e}");
        let e = load_stdin_bytes(&binary::MAGIC).unwrap_err();
        assert!(e.starts_with("stdin: "), "{e}");
    }
}
