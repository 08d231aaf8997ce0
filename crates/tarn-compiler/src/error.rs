//! Compile errors and the chunk-name convention.
//!
//! A [`CompileError`] is what the front end (and later code generation) returns for bad
//! source: its `Display` is exactly the message `lua5.4` prints, `chunkname:line: message`,
//! followed by ` near 'token'` when the error is about a token. It is not a panic or a Tarn
//! bug report: every byte sequence either parses or yields one of these.
//!
//! Invariant: the error is boxed, so `Result<T, CompileError>` costs one pointer.
//! Messages are stored as bytes, because Lua source (and so the `near` text) may hold any
//! bytes; `Display` shows them lossily as UTF-8, [`CompileError::as_bytes`] exactly.

use std::fmt;

/// Longest chunk id Lua shows (`LUA_IDSIZE` in `luaconf.h`, counting its final NUL).
const ID_SIZE: usize = 60;

/// What went wrong, broadly; the message says exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A malformed token: bad numeral, string escape, unfinished string or comment.
    Lexical,
    /// The token sequence does not follow the grammar.
    Syntax,
    /// Grammatical, but breaks a rule Lua checks at compile time (goto, labels, const).
    Semantic,
    /// A documented limit was exceeded (nesting, locals, upvalues, lines).
    Limit,
}

/// A Lua-style compile error: `chunkname:line: message [near 'token']`.
#[derive(Clone, PartialEq, Eq)]
pub struct CompileError(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    line: u32,
    /// The whole formatted message, as Lua would produce it.
    text: Vec<u8>,
}

impl CompileError {
    /// Builds an error. `chunk` is the formatted chunk id (see [`chunk_id`]); `near` is the
    /// already-quoted token text (`'='`, `<eof>`), if the message names a token.
    pub(crate) fn new(kind: ErrorKind, chunk: &str, line: u32, msg: &str, near: Option<&[u8]>) -> Self {
        let mut text = Vec::with_capacity(chunk.len() + msg.len() + 24);
        text.extend_from_slice(chunk.as_bytes());
        text.push(b':');
        text.extend_from_slice(line.to_string().as_bytes());
        text.extend_from_slice(b": ");
        text.extend_from_slice(msg.as_bytes());
        if let Some(near) = near {
            text.extend_from_slice(b" near ");
            text.extend_from_slice(near);
        }
        CompileError(Box::new(Inner { kind, line, text }))
    }

    /// The broad kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The source line the message refers to.
    pub fn line(&self) -> u32 {
        self.0.line
    }

    /// The full message as bytes (exact, even when the source was not UTF-8).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0.text
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0.text))
    }
}

impl fmt::Debug for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CompileError({:?}, {:?})", self.0.kind, String::from_utf8_lossy(&self.0.text))
    }
}

impl std::error::Error for CompileError {}

const _: () = assert!(std::mem::size_of::<CompileError>() == std::mem::size_of::<usize>());

/// Formats a chunk name the way Lua shows it in messages (`luaO_chunkid`):
/// `"=stdin"` → `stdin`, `"@file.lua"` → `file.lua` (long names keep their end, after
/// `...`), anything else is source text → `[string "first line..."]`.
pub fn chunk_id(chunkname: &str) -> String {
    let src = chunkname.as_bytes();
    let out: Vec<u8> = if let Some(rest) = src.strip_prefix(b"=") {
        // The whole name fits if it (with its '=' standing in for the NUL) fits.
        if src.len() <= ID_SIZE {
            rest.to_vec()
        } else {
            rest[..ID_SIZE - 1].to_vec()
        }
    } else if let Some(rest) = src.strip_prefix(b"@") {
        if src.len() <= ID_SIZE {
            rest.to_vec()
        } else {
            let keep = ID_SIZE - 1 - 3;
            let mut v = b"...".to_vec();
            v.extend_from_slice(&rest[rest.len() - keep..]);
            v
        }
    } else {
        const PRE: &[u8] = b"[string \"";
        const POS: &[u8] = b"\"]";
        const RETS: &[u8] = b"...";
        let room = ID_SIZE - (PRE.len() + RETS.len() + POS.len()) - 1;
        let newline = src.iter().position(|&c| c == b'\n');
        let mut v = PRE.to_vec();
        if src.len() < room && newline.is_none() {
            v.extend_from_slice(src);
        } else {
            let len = newline.unwrap_or(src.len()).min(room);
            v.extend_from_slice(&src[..len]);
            v.extend_from_slice(RETS);
        }
        v.extend_from_slice(POS);
        v
    };
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::chunk_id;

    #[test]
    fn chunk_ids_match_lua() {
        assert_eq!(chunk_id("=stdin"), "stdin");
        assert_eq!(chunk_id("@foo.lua"), "foo.lua");
        assert_eq!(chunk_id("x = = 1"), "[string \"x = = 1\"]");
        assert_eq!(chunk_id("x = \n= 1"), "[string \"x = ...\"]");
        let long = "a very long chunk name that goes on and on and on and on and on and on and on";
        assert_eq!(chunk_id(long), "[string \"a very long chunk name that goes on and on an...\"]");
        assert_eq!(
            chunk_id(&format!("={long}")),
            "a very long chunk name that goes on and on and on and on an"
        );
        assert_eq!(
            chunk_id(&format!("@{long}")),
            "...e that goes on and on and on and on and on and on and on"
        );
        assert_eq!(
            chunk_id("123456789012345678901234567890123456789012345"),
            "[string \"123456789012345678901234567890123456789012345...\"]"
        );
        assert_eq!(
            chunk_id("12345678901234567890123456789012345678901234"),
            "[string \"12345678901234567890123456789012345678901234\"]"
        );
    }
}
