//! The one error type of the facade: what went wrong, the message Lua would print, the
//! Lua error value, and the stack traceback.

use std::fmt;

use crate::value::Value;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A Lua error: raised by `error`, by an operation on the wrong values, or by a host
    /// function that failed.
    Runtime,
    /// Source text that does not compile.
    Syntax,
    /// A binary module that does not decode or that the verifier rejects.
    Verify,
    /// A module that imports a host function the host did not register.
    Link,
    /// The fuel ran out. An error of this kind ends its call; to keep a call that runs
    /// out so that it can go on with more fuel, use [`crate::Function::call_resumable`].
    OutOfFuel,
    /// Another thread stopped the call through an [`crate::InterruptHandle`].
    Interrupted,
    /// The heap limit refused an allocation.
    OutOfMemory,
    /// Too many nested calls, or too deep a register stack.
    StackOverflow,
    /// A value could not be converted to or from the Rust type asked for.
    Conversion,
    /// A handle was used with a VM other than the one it came from.
    WrongVm,
    /// The API was used in a way it does not allow (for example a new call while a call
    /// suspended for want of fuel is still waiting).
    Usage,
    /// The script asked to end the process (`os.exit`, granted by
    /// [`crate::Capability::Exit`]); see [`Error::exit_status`].
    Exit,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    traceback: String,
    value: Option<Value>,
    /// The message already says where (or must not): the VM adds no position when the
    /// error passes through Lua code again.
    positioned: bool,
    exit_status: Option<i32>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// An error from loading, converting or running code.
///
/// It carries the [`kind`](Error::kind), the message Lua would print
/// (`script.lua:3: attempt to add a nil value (global 'x')`), the Lua error value
/// (`error({code = 7})` gives the table), and the stack traceback. `Display` shows the
/// message; the alternate form (`{:#}`) adds the traceback.
///
/// ```
/// use tarn::{Config, ErrorKind, Table, Vm};
///
/// let mut vm = Vm::new(Config::new())?;
/// let err = vm
///     .exec_named("local function f(t)\n  return t.x + 1\nend\nf({})", "script.lua")
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Runtime);
/// assert_eq!(err.message(), "script.lua:2: attempt to perform arithmetic on a nil value (field 'x')");
/// assert!(err.traceback().contains("script.lua:2: in function 'f'"));
///
/// let err = vm.exec("error({code = 7})").unwrap_err();
/// let value: Table = vm.convert(err.value().expect("the error object").clone())?;
/// assert_eq!(value.get::<i64>(&mut vm, "code")?, 7);
/// # Ok::<(), tarn::Error>(())
/// ```
pub struct Error(Box<Inner>);

// Hosts move errors between threads and box them as `dyn Error + Send + Sync`.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error>();
};

/// `Result<T, tarn::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn with_kind(kind: ErrorKind, message: String, positioned: bool) -> Error {
        Error(Box::new(Inner {
            kind,
            message,
            traceback: String::new(),
            value: None,
            positioned,
            exit_status: None,
            source: None,
        }))
    }

    /// An error a host function raises: Lua sees it as `error(message)` raised where
    /// the function was called, so the message gets that position
    /// (`script.lua:4: message`), as Lua's `luaL_error` does.
    ///
    /// ```
    /// use tarn::{Config, Error, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// vm.register("check", |n: i64| if n >= 0 { Ok(n) } else { Err(Error::runtime("negative")) })?;
    /// let err = vm.exec_named("check(1)\ncheck(-1)", "rules.lua").unwrap_err();
    /// assert_eq!(err.message(), "rules.lua:2: negative");
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn runtime(message: impl Into<String>) -> Error {
        Error::with_kind(ErrorKind::Runtime, message.into(), false)
    }

    /// An error a host function raises with `value` as the Lua error object (what
    /// `pcall` returns), and `message` for the host.
    pub fn with_value(value: Value, message: impl Into<String>) -> Error {
        let mut e = Error::with_kind(ErrorKind::Runtime, message.into(), true);
        e.0.value = Some(value);
        e
    }

    /// An error of `kind` whose message is complete as given.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::with_kind(kind, message.into(), true)
    }

    /// A conversion error: `expected` wanted, `got` found.
    pub(crate) fn conversion(expected: &str, got: &str) -> Error {
        Error::new(ErrorKind::Conversion, format!("{expected} expected, got {got}"))
    }

    /// A handle from another VM.
    pub(crate) fn wrong_vm(what: &str) -> Error {
        Error::new(ErrorKind::WrongVm, format!("this {what} belongs to another VM"))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, as Lua prints it (with `chunk:line:` where known).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// `stack traceback:` and one line per active Lua function, innermost first
    /// (`script.lua:3: in function 'f'`); empty for errors that did not come from
    /// running code.
    pub fn traceback(&self) -> &str {
        &self.0.traceback
    }

    /// The Lua error value: for `error("boom")` the string (with its position), for
    /// `error({code = 1})` the table, and so on. `None` for errors that are not Lua
    /// errors (a syntax error, a conversion that failed on the host side).
    pub fn value(&self) -> Option<&Value> {
        self.0.value.as_ref()
    }

    /// For [`ErrorKind::Exit`]: the status the script passed to `os.exit`.
    pub fn exit_status(&self) -> Option<i32> {
        self.0.exit_status
    }

    /// Whether the message already carries its position.
    pub(crate) fn is_positioned(&self) -> bool {
        self.0.positioned
    }

    pub(crate) fn set_traceback(&mut self, traceback: String) {
        self.0.traceback = traceback;
    }

    pub(crate) fn set_value(&mut self, value: Option<Value>) {
        self.0.value = value;
    }

    pub(crate) fn set_exit_status(&mut self, status: i32) {
        self.0.kind = ErrorKind::Exit;
        self.0.exit_status = Some(status);
    }

    /// Prefixes the message with context (`bad argument #1 to 'f' (...)`).
    pub(crate) fn map_message(mut self, f: impl FnOnce(&str) -> String) -> Error {
        self.0.message = f(&self.0.message);
        self
    }

    /// An error from any other error type, keeping it as the source.
    pub(crate) fn external(e: Box<dyn std::error::Error + Send + Sync>) -> Error {
        let mut err = Error::runtime(e.to_string());
        err.0.source = Some(e);
        err
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if f.alternate() && !self.0.traceback.is_empty() {
            write!(f, "\n{}", self.0.traceback)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.0.kind, self.0.message)?;
        if !self.0.traceback.is_empty() {
            write!(f, "\n{}", self.0.traceback)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|e| &**e as &(dyn std::error::Error + 'static))
    }
}
