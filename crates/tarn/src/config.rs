//! [`Config`]: the limits and grants a [`crate::Vm`] is built with.

pub use tarn_vm::stdlib::{Capabilities, Capability};

/// How a [`crate::Vm`] is built: its resource limits, the capabilities granted to
/// scripts, and whether scripts may compile source text at run time.
///
/// Every library that touches nothing outside the VM is always there (`string`,
/// `table`, `math`, `utf8`, `coroutine` and the basic functions). The ones that reach
/// outside (`io`, `os`, `require`, `debug`, `load` of text) exist but refuse to work
/// unless the capability is granted, with an error naming it:
/// `capability 'file read' not granted (io.open)`.
///
/// ```
/// use tarn::{Capability, Config, Vm};
///
/// let config = Config::new()
///     .fuel(1_000_000)              // instructions, for the whole VM
///     .max_heap(16 << 20)           // bytes
///     .grant(Capability::Clock);    // os.time and os.clock, nothing else
/// let mut vm = Vm::new(config)?;
/// assert!(vm.eval::<f64>("return os.clock()").is_ok());
/// let err = vm.exec("io.open('/etc/passwd')").unwrap_err();
/// assert_eq!(err.message(), "eval:1: capability 'file read' not granted (io.open)");
/// # Ok::<(), tarn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) limits: tarn_vm::Limits,
    pub(crate) capabilities: Capabilities,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// No capabilities, no source loading at run time, unlimited fuel, and the VM's
    /// default limits (1 GiB heap, 200 000 frames, 200 host re-entries).
    pub fn new() -> Config {
        Config { limits: tarn_vm::Limits::default(), capabilities: Capabilities::none() }
    }

    /// Instructions the VM may run in total before calls fail with "out of fuel"
    /// ([`crate::ErrorKind::OutOfFuel`]); library functions charge for their work too.
    /// Change it later with [`crate::Vm::set_fuel`].
    #[must_use]
    pub fn fuel(mut self, fuel: u64) -> Config {
        self.limits.fuel = fuel;
        self
    }

    /// Bytes the VM's heap may hold; past it allocations fail with "not enough memory"
    /// ([`crate::ErrorKind::OutOfMemory`], catchable by `pcall`).
    #[must_use]
    pub fn max_heap(mut self, bytes: usize) -> Config {
        self.limits.max_heap = bytes;
        self
    }

    /// Nested Lua calls allowed ("stack overflow" past it).
    #[must_use]
    pub fn max_depth(mut self, frames: usize) -> Config {
        self.limits.max_depth = frames;
        self
    }

    /// Register stack slots allowed across all frames.
    #[must_use]
    pub fn max_stack(mut self, slots: usize) -> Config {
        self.limits.max_stack = slots;
        self
    }

    /// Length of one string in bytes.
    #[must_use]
    pub fn max_string(mut self, bytes: usize) -> Config {
        self.limits.max_string = bytes;
        self
    }

    /// Nested re-entries from host functions back into Lua ("C stack overflow" past
    /// it); bounds the Rust stack a script can make the host use.
    #[must_use]
    pub fn max_host_depth(mut self, depth: usize) -> Config {
        self.limits.max_host_depth = depth;
        self
    }

    /// Grants scripts one capability (files, environment, clock, ...). Granting
    /// [`Capability::Load`] is the same as [`Config::allow_source`]`(true)`.
    #[must_use]
    pub fn grant(mut self, capability: Capability) -> Config {
        self.capabilities = self.capabilities.with(capability);
        self
    }

    /// Grants every capability in `capabilities`.
    #[must_use]
    pub fn grant_all(mut self, capabilities: Capabilities) -> Config {
        for c in capabilities.iter() {
            self.capabilities = self.capabilities.with(c);
        }
        self
    }

    /// Whether scripts may compile source text at run time (`load("return 1")`,
    /// `require` of `.lua` files when files are granted too). Binary modules loaded by
    /// scripts always go through the verifier and need no grant. The host itself can
    /// always load source with [`crate::Vm::load`] (with the `compiler` feature).
    #[must_use]
    pub fn allow_source(mut self, allow: bool) -> Config {
        self.capabilities = if allow {
            self.capabilities.with(Capability::Load)
        } else {
            self.capabilities.without(Capability::Load)
        };
        self
    }

    /// The capabilities granted so far.
    pub fn capabilities(&self) -> Capabilities {
        self.capabilities
    }
}
