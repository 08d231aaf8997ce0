//! Runtime errors: one boxed type, so `Result`s in the interpreter stay one word.
//!
//! The message is what Lua would print (`script.lua:3: attempt to add a nil value
//! (global 'x')`); the traceback is kept apart so hosts can show or hide it.

use std::fmt;

/// What kind of failure stopped execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A Lua error: raised by `error`, or by an operation on wrong values.
    Runtime,
    /// The fuel budget ran out. Resumable with [`crate::Vm::resume`] when it happened in
    /// a call the host made directly.
    OutOfFuel,
    /// Too many nested calls or too deep a register stack.
    StackOverflow,
    /// The heap limit refused an allocation.
    OutOfMemory,
    /// A module needs a host function the host did not provide, or was loaded wrongly.
    Link,
}

#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    traceback: String,
}

/// An error from loading or running code.
#[derive(Clone)]
pub struct RuntimeError(Box<Inner>);

const _: () = assert!(std::mem::size_of::<RuntimeError>() == std::mem::size_of::<usize>());

impl RuntimeError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> RuntimeError {
        RuntimeError(Box::new(Inner { kind, message: message.into(), traceback: String::new() }))
    }

    /// A Lua error with `message`, as a host function would raise it.
    pub fn runtime(message: impl Into<String>) -> RuntimeError {
        RuntimeError::new(ErrorKind::Runtime, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, as Lua prints it (with `chunk:line:` where known).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// `stack traceback:` followed by one line per frame, or empty.
    pub fn traceback(&self) -> &str {
        &self.0.traceback
    }

    pub(crate) fn set_traceback(&mut self, traceback: String) {
        self.0.traceback = traceback;
    }

    pub(crate) fn has_traceback(&self) -> bool {
        !self.0.traceback.is_empty()
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.0.kind, self.0.message)?;
        if !self.0.traceback.is_empty() {
            write!(f, "\n{}", self.0.traceback)?;
        }
        Ok(())
    }
}

impl std::error::Error for RuntimeError {}
