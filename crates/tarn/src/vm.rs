//! [`Vm`], the VM a host owns, and [`Ctx`], the same VM as a host function sees it.
//!
//! Both give the same operations (loading, globals, making tables, strings, functions
//! and userdata, converting values); handle methods take either through [`AsCtx`], as
//! wasmtime's take a store or a caller.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tarn_vm::{PinSlot, RuntimeError};

use crate::config::{Capability, Config};
use crate::convert::{FromLua, FromLuaMulti, IntoLua};
use crate::error::{Error, ErrorKind, Result};
use crate::function::{HostReturn, IntoHostFn};
use crate::value::{AnyUserData, Function, LuaString, Raw, Table, Value};

/// The VM inside (`tarn_vm::Vm`).
pub(crate) type RawVm = tarn_vm::Vm;

/// What the facade keeps per VM, stored in the VM's host data so host functions (which
/// only see the VM) reach it too.
#[derive(Default)]
pub(crate) struct FacadeState {
    /// The token of the call suspended for want of fuel, while one is: its
    /// [`crate::Suspended`] holds the other reference, so a count of one means the host
    /// dropped it.
    pub suspension: Option<Arc<()>>,
    /// The metatable made for each userdata type.
    pub metatables: HashMap<TypeId, PinSlot>,
}

/// Anything that gives access to a VM: a [`Vm`], or the [`Ctx`] a host function gets.
/// Handle methods take `&mut impl AsCtx`, so the same code works in both places.
pub trait AsCtx {
    /// A [`Ctx`] borrowing the VM.
    fn as_ctx(&mut self) -> Ctx<'_>;
}

/// The VM as host functions see it: a borrowed view with the same operations as
/// [`Vm`] (loading, globals, tables, conversions), passed to functions registered with
/// [`Vm::register_with_ctx`] and to userdata methods.
///
/// Values a `Ctx` operation holds only for its own length (converted arguments and
/// results) stay alive until it ends; handles it returns live as long as the host keeps
/// them.
pub struct Ctx<'a> {
    vm: &'a mut RawVm,
    /// Temporaries above this mark are this context's, dropped with it.
    mark: usize,
}

impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        self.vm.truncate_temps(self.mark);
    }
}

impl AsCtx for Ctx<'_> {
    fn as_ctx(&mut self) -> Ctx<'_> {
        Ctx::new(self.vm)
    }
}

impl<T: AsCtx + ?Sized> AsCtx for &mut T {
    fn as_ctx(&mut self) -> Ctx<'_> {
        (**self).as_ctx()
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(vm: &'a mut RawVm) -> Ctx<'a> {
        vm.drain_released();
        let mark = vm.temps_len();
        Ctx { vm, mark }
    }

    pub(crate) fn raw(&mut self) -> &mut RawVm {
        self.vm
    }

    pub(crate) fn raw_ref(&self) -> &RawVm {
        self.vm
    }

    /// Keeps `raw` alive until this context ends, and returns it.
    pub(crate) fn hold(&mut self, raw: Raw) -> Raw {
        if !matches!(raw, Raw::Nil | Raw::Bool(_) | Raw::Int(_) | Raw::Float(_)) {
            self.vm.push_temp(raw);
        }
        raw
    }

    pub(crate) fn state(&mut self) -> &mut FacadeState {
        if self.vm.host_data::<FacadeState>().is_none() {
            self.vm.set_host_data(FacadeState::default());
        }
        match self.vm.host_data::<FacadeState>() {
            Some(state) => state,
            None => unreachable!("host data was just set"),
        }
    }

    /// Refuses to run code while a call suspended for want of fuel waits for its
    /// host, and forgets one whose `Suspended` was dropped.
    pub(crate) fn guard(&mut self) -> Result<()> {
        if !self.vm.is_suspended() {
            return Ok(());
        }
        let waiting = self.state().suspension.as_ref().is_some_and(|t| Arc::strong_count(t) > 1);
        if waiting {
            return Err(Error::new(
                ErrorKind::Usage,
                "a call that ran out of fuel is suspended: resume it or drop its `Suspended` first",
            ));
        }
        self.vm.abandon();
        self.state().suspension = None;
        Ok(())
    }

    /// Runs an operation that may run Lua code, converting its error. A call it makes
    /// that runs out of fuel is not kept (only [`Function::call_resumable`] keeps one).
    pub(crate) fn run<T>(&mut self, f: impl FnOnce(&mut RawVm) -> Result<T, RuntimeError>) -> Result<T> {
        self.guard()?;
        let result = f(self.vm);
        let result = result.map_err(|e| self.error(e));
        if self.vm.is_suspended() {
            self.vm.abandon();
        }
        result
    }

    /// The facade's error for a VM error, with the error value pinned.
    pub(crate) fn error(&mut self, e: RuntimeError) -> Error {
        let kind = match e.kind() {
            tarn_vm::ErrorKind::Runtime => ErrorKind::Runtime,
            tarn_vm::ErrorKind::OutOfFuel => ErrorKind::OutOfFuel,
            tarn_vm::ErrorKind::StackOverflow => ErrorKind::StackOverflow,
            tarn_vm::ErrorKind::OutOfMemory => ErrorKind::OutOfMemory,
            tarn_vm::ErrorKind::Link => ErrorKind::Link,
            tarn_vm::ErrorKind::Interrupted => ErrorKind::Interrupted,
            tarn_vm::ErrorKind::Yield => ErrorKind::Usage,
        };
        let mut err = Error::new(kind, e.message());
        err.set_traceback(e.traceback().to_string());
        if let Some(status) = tarn_vm::stdlib::os::exit_status(self.vm, &e) {
            err.set_exit_status(status);
        }
        let raw = match e.value() {
            Some(v) => Some(v),
            None if kind == ErrorKind::Runtime => self.vm.new_string(e.message().as_bytes()).ok(),
            None => None,
        };
        if let Some(raw) = raw {
            let value = Value::from_raw(raw, self);
            err.set_value(Some(value));
        }
        err
    }

    /// The error a host function raises for `e`, as the VM wants it.
    pub(crate) fn runtime_error_for(&mut self, e: Error) -> RuntimeError {
        let vm_kind = match e.kind() {
            ErrorKind::OutOfFuel => Some(tarn_vm::ErrorKind::OutOfFuel),
            ErrorKind::Interrupted => Some(tarn_vm::ErrorKind::Interrupted),
            ErrorKind::OutOfMemory => Some(tarn_vm::ErrorKind::OutOfMemory),
            ErrorKind::StackOverflow => Some(tarn_vm::ErrorKind::StackOverflow),
            _ => None,
        };
        if let Some(kind) = vm_kind {
            return RuntimeError::new(kind, e.message());
        }
        if let Some(value) = e.value() {
            if let Ok(raw) = value.to_raw(self) {
                return RuntimeError::with_value(raw, e.message().to_string());
            }
        }
        if e.is_positioned() {
            RuntimeError::new(tarn_vm::ErrorKind::Runtime, e.message())
        } else {
            RuntimeError::runtime(e.message())
        }
    }

    /// Compiles, verifies and links a chunk, giving its main function.
    fn load_raw(&mut self, chunk: &[u8], chunkname: &str) -> Result<Function> {
        self.guard()?;
        let module = if chunk.starts_with(&tarn_bytecode::binary::MAGIC) {
            tarn_bytecode::binary::decode(chunk).map_err(|e| Error::new(ErrorKind::Verify, e.to_string()))?
        } else {
            compile(chunk, chunkname)?
        };
        let verified =
            tarn_bytecode::verify(module).map_err(|e| Error::new(ErrorKind::Verify, e.to_string()))?;
        self.load_module(&verified)
    }
}

#[cfg(feature = "compiler")]
fn compile(source: &[u8], chunkname: &str) -> Result<tarn_bytecode::Module> {
    tarn_compiler::compile(source, chunkname).map_err(|e| Error::new(ErrorKind::Syntax, e.to_string()))
}

#[cfg(not(feature = "compiler"))]
fn compile(_source: &[u8], _chunkname: &str) -> Result<tarn_bytecode::Module> {
    Err(Error::new(ErrorKind::Usage, "loading source text needs the `compiler` feature of `tarn`"))
}

/// Lua's chunk name for a name the host gives: `script.lua` is shown as is.
fn chunkname(name: &str) -> String {
    if name.starts_with('=') || name.starts_with('@') {
        name.to_string()
    } else {
        format!("={name}")
    }
}

/// The operations shared by [`Vm`] and [`Ctx`]: defined once on `Ctx`, and on `Vm` by
/// borrowing one.
macro_rules! shared_operations {
    ($(
        $(#[$doc:meta])*
        fn $name:ident $(<$($g:ident),*>)? (&mut $self:ident $(, $arg:ident : $ty:ty)*) -> $ret:ty
        $(where [$($wc:tt)*])?
        $body:block
    )*) => {
        impl Ctx<'_> {
            $(
                $(#[$doc])*
                pub fn $name $(<$($g),*>)? (&mut $self $(, $arg: $ty)*) -> $ret $(where $($wc)*)? $body
            )*
        }
        impl Vm {
            $(
                $(#[$doc])*
                pub fn $name $(<$($g),*>)? (&mut $self $(, $arg: $ty)*) -> $ret $(where $($wc)*)? {
                    $self.as_ctx().$name($($arg),*)
                }
            )*
        }
    };
}

shared_operations! {
    /// The globals table (`_G`).
    fn globals(&mut self) -> Result<Table> {
        let g = Raw::Table(self.vm.globals());
        Ok(Table(crate::value::Handle::new(self, g)))
    }

    /// The global `name`, converted to `T` (`nil` when unset, which converts to
    /// `Option::None` or fails for other types).
    ///
    /// ```
    /// # let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// vm.exec("limit = 10")?;
    /// assert_eq!(vm.global::<i64>("limit")?, 10);
    /// assert_eq!(vm.global::<Option<i64>>("missing")?, None);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn global<T>(&mut self, name: &str) -> Result<T> where [T: FromLua] {
        let raw = self.run(|vm| vm.get_global(name))?;
        let raw = self.hold(raw);
        T::from_raw(raw, self).map_err(|e| e.map_message(|m| format!("global '{name}': {m}")))
    }

    /// Sets the global `name` to `value`.
    fn set_global<V>(&mut self, name: &str, value: V) -> Result<()> where [V: IntoLua] {
        let raw = value.into_raw(self)?;
        self.run(|vm| vm.set_global(name, raw))
    }

    /// A new empty table.
    fn create_table(&mut self) -> Result<Table> {
        let t = self.run(|vm| vm.new_table())?;
        Ok(Table(crate::value::Handle::new(self, Raw::Table(t))))
    }

    /// A Lua string with these bytes.
    fn create_string(&mut self, bytes: &[u8]) -> Result<LuaString> {
        let s = self.run(|vm| vm.new_string(bytes))?;
        Ok(LuaString(crate::value::Handle::new(self, s)))
    }

    /// A host function value, not registered under any name: store it in a table or
    /// pass it to Lua. Arguments and results convert as for [`Vm::register`].
    ///
    /// ```
    /// use tarn::{Config, Function, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// let double = vm.create_function(|x: i64| x * 2)?;
    /// let apply: Function = vm.eval("return function(f, v) return f(v) + 1 end")?;
    /// assert_eq!(apply.call::<i64>(&mut vm, (double, 20))?, 41);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn create_function<M>(&mut self, f: impl IntoHostFn<M>) -> Result<Function> {
        let native = f.into_native(Arc::from("?"));
        let raw = self.run(|vm| vm.new_function("?", native))?;
        Ok(Function(crate::value::Handle::new(self, raw)))
    }

    /// A host function value that gets the [`Ctx`] and its arguments as one tuple, as
    /// for [`Vm::register_with_ctx`].
    fn create_function_with_ctx<A, R, F>(&mut self, f: F) -> Result<Function>
    where [A: FromLuaMulti, R: HostReturn, F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static]
    {
        let native = crate::function::with_ctx(Arc::from("?"), f);
        let raw = self.run(|vm| vm.new_function("?", native))?;
        Ok(Function(crate::value::Handle::new(self, raw)))
    }

    /// Wraps a host value as a userdata with the methods its [`crate::UserData`] impl
    /// declares.
    fn create_userdata<T>(&mut self, value: T) -> Result<AnyUserData> where [T: crate::UserData] {
        let raw = crate::userdata::create(self, value)?;
        Ok(AnyUserData(crate::value::Handle::new(self, raw)))
    }

    /// Registers a host function under `name`: scripts call it as a global, and binary
    /// modules may import it by that name (a module importing anything else is
    /// refused when it is loaded). Arguments convert from Lua with [`FromLua`] and the
    /// result back with [`IntoLua`] (a tuple gives several results; a `Result`'s error
    /// becomes a Lua error). A last parameter of type [`crate::Variadic`] takes the
    /// remaining arguments.
    ///
    /// ```
    /// use tarn::{Config, Variadic, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// vm.register("add", |a: i64, b: i64| a + b)?;
    /// vm.register("sum", |xs: Variadic<f64>| xs.iter().sum::<f64>())?;
    /// vm.register("split", |s: String| {
    ///     let (a, b) = s.split_once('=').ok_or("no '=' in it")?;
    ///     Ok::<_, &str>((a.to_string(), b.to_string()))
    /// })?;
    /// assert_eq!(vm.eval::<i64>("return add(2, 3)")?, 5);
    /// assert_eq!(vm.eval::<f64>("return sum(1, 2, 3.5)")?, 6.5);
    /// assert_eq!(vm.eval::<(String, String)>("return split('k=v')")?, ("k".into(), "v".into()));
    /// let err = vm.exec("add(1, 'two')").unwrap_err();
    /// assert_eq!(err.message(), "eval:1: bad argument #2 to 'add' (number expected, got string)");
    /// let err = vm.exec("split('kv')").unwrap_err();
    /// assert_eq!(err.message(), "eval:1: no '=' in it");
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn register<M>(&mut self, name: &str, f: impl IntoHostFn<M>) -> Result<()> {
        let native = f.into_native(Arc::from(name));
        self.run(|vm| vm.register(name, native))
    }

    /// Registers a host function that gets the [`Ctx`] (to make tables, call back into
    /// Lua, reach userdata) and its arguments as one tuple.
    ///
    /// ```
    /// use tarn::{Config, Ctx, Function, Table, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// vm.register_with_ctx("map", |cx: &mut Ctx, (list, f): (Vec<i64>, Function)| {
    ///     let out = cx.create_table()?;
    ///     for (i, x) in list.into_iter().enumerate() {
    ///         let y: i64 = f.call(cx, x)?;
    ///         out.set(cx, i as i64 + 1, y)?;
    ///     }
    ///     Ok::<_, tarn::Error>(out)
    /// })?;
    /// let t: Vec<i64> = vm.eval("return map({1, 2, 3}, function(x) return x * x end)")?;
    /// assert_eq!(t, [1, 4, 9]);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn register_with_ctx<A, R, F>(&mut self, name: &str, f: F) -> Result<()>
    where [A: FromLuaMulti, R: HostReturn, F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static]
    {
        let native = crate::function::with_ctx(Arc::from(name), f);
        self.run(|vm| vm.register(name, native))
    }

    /// Compiles Lua source (with the default `compiler` feature), verifies and links
    /// it, and returns its main function, not yet run. `name` names the chunk in
    /// messages: `load(src, "config.lua")` gives errors like `config.lua:3: ...`.
    /// Binary modules (starting with the `.tbc` magic) are accepted too.
    ///
    /// ```
    /// # let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// let chunk = vm.load("return ...", "args.lua")?;
    /// assert_eq!(chunk.call::<(i64, String)>(&mut vm, (1, "two"))?, (1, "two".to_string()));
    /// let err = vm.load("return +", "bad.lua").unwrap_err();
    /// assert_eq!(err.kind(), tarn::ErrorKind::Syntax);
    /// assert_eq!(err.message(), "bad.lua:1: unexpected symbol near '+'");
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn load<S>(&mut self, source: S, name: &str) -> Result<Function> where [S: AsRef<[u8]>] {
        self.load_raw(source.as_ref(), &chunkname(name))
    }

    /// Decodes and verifies a binary module (`.tbc`, as `tarn compile` writes) and
    /// links it: its imports must all be registered host functions. Returns its entry
    /// function.
    fn load_binary(&mut self, bytes: &[u8]) -> Result<Function> {
        if !bytes.starts_with(&tarn_bytecode::binary::MAGIC) {
            return Err(Error::new(ErrorKind::Verify, "not a binary module (no .tbc magic)"));
        }
        self.load_raw(bytes, "=binary")
    }

    /// Links an already verified module. A module whose imports name a host function
    /// that was not registered is refused with an [`ErrorKind::Link`] error:
    /// `module imports 'x', which the host did not provide`.
    fn load_module(&mut self, module: &tarn_bytecode::VerifiedModule) -> Result<Function> {
        let f = self.run(|vm| vm.load(module))?;
        match f {
            Raw::Closure(_) => Ok(Function(crate::value::Handle::new(self, f))),
            _ => Err(Error::new(ErrorKind::Link, "module has no entry function")),
        }
    }

    /// Runs a chunk of source for its effects (named `eval` in messages).
    fn exec(&mut self, source: &str) -> Result<()> {
        self.exec_named(source, "eval")
    }

    /// Runs a chunk of source named `name` for its effects.
    fn exec_named(&mut self, source: &str, name: &str) -> Result<()> {
        let f = self.load(source, name)?;
        f.call::<()>(self, ())
    }

    /// Runs a chunk of source and converts what it returns.
    ///
    /// ```
    /// # let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// assert_eq!(vm.eval::<i64>("return 6 * 7")?, 42);
    /// assert_eq!(vm.eval::<(bool, Option<String>)>("return true")?, (true, None));
    /// # Ok::<(), tarn::Error>(())
    /// ```
    fn eval<R>(&mut self, source: &str) -> Result<R> where [R: FromLuaMulti] {
        let f = self.load(source, "eval")?;
        f.call::<R>(self, ())
    }

    /// Converts a Rust value to a Lua [`Value`].
    fn to_value<V>(&mut self, value: V) -> Result<Value> where [V: IntoLua] {
        value.into_lua(self)
    }

    /// Converts between representations: any [`IntoLua`] value to any [`FromLua`]
    /// type, as Lua code receiving it would (a [`Value`] to a `Table`, a table to a
    /// `Vec<i64>`, ...).
    fn convert<T, V>(&mut self, value: V) -> Result<T> where [T: FromLua, V: IntoLua] {
        let raw = value.into_raw(self)?;
        T::from_raw(raw, self)
    }

    /// Takes `units` of fuel for work a host function does, or fails with "out of
    /// fuel" (taking none). Charge before doing the work: a host function called by Lua
    /// that runs out of fuel runs again from its start when the call is resumed. Also
    /// where a long-running host function notices an interrupt (`charge_fuel(0)`).
    fn charge_fuel(&mut self, units: u64) -> Result<()> {
        self.vm.charge_fuel(units).map_err(|e| Error::new(if e.kind() == tarn_vm::ErrorKind::Interrupted { ErrorKind::Interrupted } else { ErrorKind::OutOfFuel }, e.message()))
    }

}

impl Ctx<'_> {
    /// Fuel left.
    pub fn fuel(&self) -> u64 {
        self.vm.fuel()
    }
}

/// A Tarn virtual machine: its heap, globals, standard library and registered host
/// functions, under the limits of its [`Config`]. `Vm` is `Send`: build it on one
/// thread, run it on another. Nothing here panics on bad scripts or misuse: every
/// operation returns a [`Result`].
///
/// ```
/// use tarn::{Config, Vm};
///
/// let mut vm = Vm::new(Config::new().fuel(100_000))?;
/// vm.register("greet", |name: String| format!("hello, {name}"))?;
/// let greeting: String = vm.eval("return greet('host')")?;
/// assert_eq!(greeting, "hello, host");
/// # Ok::<(), tarn::Error>(())
/// ```
pub struct Vm {
    inner: RawVm,
}

// The VM moves between threads (DESIGN: the whole VM is `Send`).
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Vm>();
};

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm").field("id", &self.inner.id()).field("inner", &self.inner).finish()
    }
}

impl AsCtx for Vm {
    fn as_ctx(&mut self) -> Ctx<'_> {
        Ctx::new(&mut self.inner)
    }
}

impl Vm {
    /// A VM built from `config`: the standard library opened (the capability
    /// libraries refusing what is not granted), a source compiler installed for
    /// scripts when [`Config::allow_source`] says so.
    pub fn new(config: Config) -> Result<Vm> {
        let mut inner =
            RawVm::new(config.limits).map_err(|e| Error::new(ErrorKind::OutOfMemory, e.message()))?;
        let caps = config.capabilities;
        let opened = tarn_vm::stdlib::open_all(&mut inner)
            .and_then(|()| tarn_vm::stdlib::open_capability_libs(&mut inner, &caps));
        opened.map_err(|e| Error::new(ErrorKind::OutOfMemory, e.message()))?;
        if caps.has(Capability::Load) {
            install_compiler(&mut inner)?;
        }
        inner.set_host_data(FacadeState::default());
        Ok(Vm { inner })
    }

    /// Fuel left (instructions; library functions charge for their work too).
    pub fn fuel(&self) -> u64 {
        self.inner.fuel()
    }

    /// Sets the fuel left.
    pub fn set_fuel(&mut self, fuel: u64) {
        self.inner.set_fuel(fuel);
    }

    /// Bytes the heap holds now (what [`Config::max_heap`] limits).
    pub fn heap_bytes(&self) -> usize {
        self.inner.heap().bytes()
    }

    /// Runs a full garbage collection now.
    pub fn collect_garbage(&mut self) {
        let _ = self.as_ctx();
        self.inner.collect_garbage();
    }

    /// A handle another thread can use to stop whatever this VM is running.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tarn::{Config, ErrorKind, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// let stop = vm.interrupt_handle();
    /// let stopper = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(20));
    ///     stop.interrupt();
    /// });
    /// let err = vm.exec("while true do end").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Interrupted);
    /// stopper.join().unwrap();
    /// assert_eq!(vm.eval::<i64>("return 1")?, 1); // the VM goes on
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle { flag: self.inner.interrupt_flag() }
    }

    /// Sends what `print` writes to `sink` instead of standard output.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    ///
    /// let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// let out = Arc::new(Mutex::new(Vec::new()));
    /// let sink = out.clone();
    /// vm.set_output(move |bytes| {
    ///     sink.lock().unwrap().extend_from_slice(bytes);
    ///     Ok(())
    /// });
    /// vm.exec("print('hi', 1)")?;
    /// assert_eq!(out.lock().unwrap().as_slice(), b"hi\t1\n");
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn set_output(&mut self, sink: impl FnMut(&[u8]) -> std::io::Result<()> + Send + 'static) {
        self.inner.set_output(sink);
    }

    /// Sends warnings (`warn`, and errors in finalisers) to `sink` instead of standard
    /// error.
    pub fn set_warning_sink(&mut self, sink: impl FnMut(&[u8]) + Send + 'static) {
        self.inner.set_warning_sink(sink);
    }

    /// The fuel ran out in a call kept by [`Function::call_resumable`], which is
    /// waiting to be resumed.
    pub fn is_suspended(&self) -> bool {
        self.inner.is_suspended()
    }
}

#[cfg(feature = "compiler")]
fn install_compiler(vm: &mut RawVm) -> Result<()> {
    vm.set_compiler(Arc::new(|source: &[u8], chunkname: &str| {
        tarn_compiler::compile(source, chunkname).map_err(|e| e.to_string())
    }));
    Ok(())
}

#[cfg(not(feature = "compiler"))]
fn install_compiler(_vm: &mut RawVm) -> Result<()> {
    Err(Error::new(ErrorKind::Usage, "granting source loading needs the `compiler` feature of `tarn`"))
}

/// Stops the call a [`Vm`] is running, from any thread. The call fails with
/// [`ErrorKind::Interrupted`] within about ten thousand instructions (or at the next
/// fuel charge of a library function); `pcall` cannot catch it, and the VM stays
/// usable. An interrupt requested while nothing runs stops the next call.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    flag: Arc<AtomicBool>,
}

impl InterruptHandle {
    /// Asks the VM to stop.
    pub fn interrupt(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }
}
