//! Capabilities: what the host lets scripts do outside the VM.
//!
//! DESIGN: libraries that touch the outside world (`io`, `os`, `require` of files) are
//! capabilities the host grants, off unless granted. A [`Capabilities`] set is given to
//! [`crate::stdlib::open_capability_libs`]; every library function that reaches outside
//! the VM checks its capability when it is *called* (not when it is opened), so the
//! library tables always exist and a script that uses an ungranted function gets a clear
//! error naming both the capability and the function:
//!
//! ```text
//! capability 'file read' not granted (io.open)
//! ```
//!
//! The set is a small `Copy` bitset captured by value in each library closure: the
//! [`crate::Vm`] struct has no field for it, and a VM's grants do not change after its
//! libraries are opened. What each capability covers:
//!
//! | capability | functions |
//! |---|---|
//! | `FileRead` | `io.open` (reading), `io.lines(name)`, `io.input(name)`, `dofile`, `loadfile`, `require` of files, `package.searchpath` |
//! | `FileWrite` | `io.open` (writing, appending, updating), `io.output(name)`, `io.tmpfile`, `os.remove`, `os.rename`, `os.tmpname` |
//! | `Stdin` | reading standard input: `io.read`, `io.lines()`, `io.stdin:read` |
//! | `Env` | `os.getenv` |
//! | `Exit` | `os.exit` |
//! | `Clock` | the host's clock and time zone: `os.time()`, `os.clock`, `os.date` of the current time or in local time, `os.time{...}` (local time) |
//! | `Debug` | the `debug` library (`debug.getinfo`, `getlocal`, `setmetatable`, `sethook`, `getregistry`, ...), except `debug.traceback`, which only reads the stack and is what scripts give `xpcall` as a message handler |
//! | `Load` | compiling source text at run time (`load`, `require`, `dofile`, `loadfile` of text): granted by installing a compiler with [`crate::Vm::set_compiler`]; hosts check [`Capabilities::has`] to decide |
//!
//! Writing to standard output and standard error needs no capability: `print` and
//! `warn` already do it, and hosts redirect standard output with [`crate::Vm::set_output`].
//! Pure functions (`os.difftime`, `os.setlocale`, `os.date("!...", t)`) need none either.

use std::fmt;

use crate::error::RuntimeError;

/// One thing a host may let scripts do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Read files (and load code from them).
    FileRead,
    /// Create, write, rename and remove files.
    FileWrite,
    /// Read the process's standard input.
    Stdin,
    /// Read environment variables.
    Env,
    /// End the process (`os.exit`).
    Exit,
    /// Read the wall clock, CPU time and local time zone.
    Clock,
    /// Compile source text at run time. The VM enforces this one itself: it compiles
    /// only with a compiler the host installed ([`crate::Vm::set_compiler`]), which a
    /// host does when this capability is in its set.
    Load,
    /// Inspect and change other functions' state: the `debug` library (all but
    /// `debug.traceback`).
    Debug,
}

impl Capability {
    /// Every capability, in bit order.
    pub const ALL: [Capability; 8] = [
        Capability::FileRead,
        Capability::FileWrite,
        Capability::Stdin,
        Capability::Env,
        Capability::Exit,
        Capability::Clock,
        Capability::Load,
        Capability::Debug,
    ];

    /// The name used in messages: `file read`, `environment`, ...
    pub fn name(self) -> &'static str {
        match self {
            Capability::FileRead => "file read",
            Capability::FileWrite => "file write",
            Capability::Stdin => "stdin",
            Capability::Env => "environment",
            Capability::Exit => "exit",
            Capability::Clock => "clock",
            Capability::Load => "load",
            Capability::Debug => "debug",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of granted capabilities.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u8);

impl Capabilities {
    /// Nothing granted: what a VM has unless its host says otherwise.
    pub const fn none() -> Capabilities {
        Capabilities(0)
    }

    /// Everything granted (what the `tarn` command gives scripts without `--sandbox`).
    pub fn all() -> Capabilities {
        Capability::ALL.iter().fold(Capabilities::none(), |c, &cap| c.with(cap))
    }

    /// This set plus `cap`.
    #[must_use]
    pub fn with(self, cap: Capability) -> Capabilities {
        Capabilities(self.0 | cap.bit())
    }

    /// This set without `cap`.
    #[must_use]
    pub fn without(self, cap: Capability) -> Capabilities {
        Capabilities(self.0 & !cap.bit())
    }

    pub fn has(self, cap: Capability) -> bool {
        self.0 & cap.bit() != 0
    }

    /// The granted capabilities, in [`Capability::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL.into_iter().filter(move |&c| self.has(c))
    }

    /// `Ok` when `cap` is granted, else the error `function` raises:
    /// `capability 'file read' not granted (io.open)`.
    pub fn check(self, cap: Capability, function: &str) -> Result<(), RuntimeError> {
        if self.has(cap) {
            Ok(())
        } else {
            Err(not_granted(cap, function))
        }
    }
}

/// The error for calling `function` without `cap`.
pub fn not_granted(cap: Capability, function: &str) -> RuntimeError {
    RuntimeError::runtime(format!("capability '{cap}' not granted ({function})"))
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<I: IntoIterator<Item = Capability>>(iter: I) -> Self {
        iter.into_iter().fold(Capabilities::none(), Capabilities::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets() {
        let none = Capabilities::none();
        assert!(Capability::ALL.iter().all(|&c| !none.has(c)));
        let all = Capabilities::all();
        assert!(Capability::ALL.iter().all(|&c| all.has(c)));
        let some = none.with(Capability::Env).with(Capability::Clock);
        assert!(some.has(Capability::Env) && some.has(Capability::Clock) && !some.has(Capability::Exit));
        assert_eq!(some.without(Capability::Env).iter().collect::<Vec<_>>(), vec![Capability::Clock]);
        assert_eq!(format!("{some:?}"), "{Env, Clock}");
        assert_eq!(
            none.check(Capability::FileRead, "io.open").unwrap_err().message(),
            "capability 'file read' not granted (io.open)"
        );
    }
}
