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
    /// Internal: carries a coroutine's `yield` out of the interpreter loop to the
    /// `resume` that runs it. It never reaches a host.
    Yield,
}

#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    traceback: String,
    /// The Lua error object when it is not simply the message string (`error({})`),
    /// valid only while the error is inside the VM that raised it.
    value: Option<crate::Value>,
    /// Whether the message already says where it happened (or must not: `error(m, 0)`).
    /// Errors raised by host functions get the calling line added when they leave them.
    positioned: bool,
    /// For running out of fuel: whether the stopped call can be resumed. Not when the
    /// fuel ran out halfway through an instruction that cannot simply run again.
    resumable: bool,
}

/// An error from loading or running code.
#[derive(Clone)]
pub struct RuntimeError(Box<Inner>);

const _: () = assert!(std::mem::size_of::<RuntimeError>() == std::mem::size_of::<usize>());

impl RuntimeError {
    /// An error whose message is complete as given.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> RuntimeError {
        RuntimeError(Box::new(Inner {
            kind,
            message: message.into(),
            traceback: String::new(),
            value: None,
            positioned: true,
            resumable: true,
        }))
    }

    /// A Lua error with `message`, as a host function raises it: the VM adds the
    /// `chunk:line:` of the Lua code that called the function, as Lua's `luaL_error` does.
    pub fn runtime(message: impl Into<String>) -> RuntimeError {
        let mut e = RuntimeError::new(ErrorKind::Runtime, message);
        e.0.positioned = false;
        e
    }

    /// A Lua error carrying an arbitrary error object (`error(value)`).
    pub(crate) fn with_value(value: crate::Value, message: String) -> RuntimeError {
        let mut e = RuntimeError::new(ErrorKind::Runtime, message);
        e.0.value = Some(value);
        e
    }

    /// The error object, when it is not the message string.
    pub(crate) fn value(&self) -> Option<crate::Value> {
        self.0.value
    }

    pub(crate) fn is_positioned(&self) -> bool {
        self.0.positioned
    }

    /// Prefixes the message with `chunk:line: ` and marks it positioned.
    pub(crate) fn set_position(&mut self, location: &str) {
        if !self.0.positioned && self.0.value.is_none() {
            self.0.message.insert_str(0, location);
        }
        self.0.positioned = true;
    }

    /// Running out of fuel halfway through an instruction that cannot run again.
    pub(crate) fn set_unresumable(&mut self) {
        self.0.resumable = false;
    }

    pub(crate) fn is_resumable(&self) -> bool {
        self.0.resumable
    }

    /// Whether `pcall` may catch this error: fuel exhaustion ends the whole run.
    pub fn is_catchable(&self) -> bool {
        !matches!(self.0.kind, ErrorKind::OutOfFuel | ErrorKind::Yield)
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

    pub(crate) fn set_message(&mut self, message: String) {
        self.0.message = message;
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
