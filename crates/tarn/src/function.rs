//! Host functions (Rust closures Lua can call) and calls of Lua functions from Rust,
//! including calls that run out of fuel and are resumed.

use std::marker::PhantomData;
use std::sync::Arc;

use tarn_vm::RuntimeError;

use crate::convert::{FromLuaMulti, IntoLuaMulti};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{Function, Raw};
use crate::vm::{AsCtx, Ctx, RawVm, Vm};

/// A host function as the VM calls it.
#[doc(hidden)]
pub type NativeFn = Box<dyn Fn(&mut RawVm, &[Raw], &mut Vec<Raw>) -> Result<(), RuntimeError> + Send + Sync>;

/// What a host function may return: any [`IntoLuaMulti`] value (one value, a tuple,
/// `()`, a [`crate::Variadic`]), or a `Result` of one whose error becomes a Lua error.
/// The error can be a [`crate::Error`] (kept as it is: its value, or its kind when it is
/// "out of fuel" or "interrupted" from a call back into Lua), a `String`, a `&str`, or any
/// `std::error::Error` (its `Display` text is the message).
pub trait HostReturn {
    /// Appends the results.
    #[doc(hidden)]
    fn into_results(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()>;
}

impl<T: IntoLuaMulti> HostReturn for T {
    fn into_results(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
        self.into_raw_multi(cx, out)
    }
}

impl<T: IntoLuaMulti, E: Into<Box<dyn std::error::Error + Send + Sync>>> HostReturn for Result<T, E> {
    fn into_results(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
        match self {
            Ok(v) => v.into_raw_multi(cx, out),
            Err(e) => Err(match e.into().downcast::<Error>() {
                Ok(e) => *e,
                Err(other) => Error::external(other),
            }),
        }
    }
}

/// A Rust closure that can be registered as a host function: `Fn(A1, …, An) -> R` for
/// up to eight parameters, each converted from Lua with [`crate::FromLua`] (the last one
/// may take the remaining arguments: [`crate::Variadic`]), returning a [`HostReturn`].
/// `Marker` only tells the implementations apart; it is inferred.
pub trait IntoHostFn<Marker>: Send + Sync + 'static {
    /// The function as the VM calls it, named `name` in messages.
    #[doc(hidden)]
    fn into_native(self, name: Arc<str>) -> NativeFn;
}

/// Words an argument conversion error as Lua does.
pub(crate) fn argument_error(name: &str, position: usize, e: Error) -> Error {
    if e.kind() == ErrorKind::Conversion {
        Error::runtime(format!("bad argument #{position} to '{name}' ({})", e.message()))
    } else {
        e
    }
}

/// Runs a host function's body: a context for it, its error made a VM error.
pub(crate) fn run_host(
    raw: &mut RawVm,
    out: &mut Vec<Raw>,
    body: impl FnOnce(&mut Ctx<'_>, &mut Vec<Raw>) -> Result<()>,
) -> Result<(), RuntimeError> {
    let mut cx = Ctx::new(raw);
    match body(&mut cx, out) {
        Ok(()) => Ok(()),
        Err(e) => Err(cx.runtime_error_for(e)),
    }
}

macro_rules! host_fn_arity {
    ($($arg:ident)*) => {
        impl<Func, Ret, $($arg,)*> IntoHostFn<fn($($arg,)*) -> Ret> for Func
        where
            Func: Fn($($arg,)*) -> Ret + Send + Sync + 'static,
            ($($arg,)*): FromLuaMulti,
            Ret: HostReturn,
        {
            #[allow(non_snake_case)]
            fn into_native(self, name: Arc<str>) -> NativeFn {
                Box::new(move |raw, args, out| {
                    run_host(raw, out, |cx, out| {
                        let ($($arg,)*) = <($($arg,)*)>::from_raw_multi(args, 1, cx)
                            .map_err(|(position, e)| argument_error(&name, position, e))?;
                        (self)($($arg,)*).into_results(cx, out)
                    })
                })
            }
        }
    };
}

host_fn_arity!();
host_fn_arity!(A);
host_fn_arity!(A B);
host_fn_arity!(A B C);
host_fn_arity!(A B C D);
host_fn_arity!(A B C D E);
host_fn_arity!(A B C D E F);
host_fn_arity!(A B C D E F G);
host_fn_arity!(A B C D E F G H);

/// A host function that gets the context and its arguments as one value.
pub(crate) fn with_ctx<A, R, F>(name: Arc<str>, f: F) -> NativeFn
where
    A: FromLuaMulti,
    R: HostReturn,
    F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static,
{
    Box::new(move |raw, args, out| {
        run_host(raw, out, |cx, out| {
            let a =
                A::from_raw_multi(args, 1, cx).map_err(|(position, e)| argument_error(&name, position, e))?;
            f(cx, a).into_results(cx, out)
        })
    })
}

/// Words a result conversion error.
fn result_error((position, e): (usize, Error)) -> Error {
    if e.kind() == ErrorKind::Conversion {
        e.map_message(|m| format!("bad result #{position} ({m})"))
    } else {
        e
    }
}

impl Function {
    /// Calls the function with `args` (a value, a tuple, `()`) and converts its results
    /// to `R` (a value, a tuple, `()`, [`crate::Variadic`]).
    ///
    /// If the fuel runs out the call ends with an [`ErrorKind::OutOfFuel`] error; to be
    /// able to go on with more fuel, use [`Function::call_resumable`].
    ///
    /// ```
    /// use tarn::{Config, Function, Vm};
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// vm.exec("function divmod(a, b) return a // b, a % b end")?;
    /// let divmod: Function = vm.global("divmod")?;
    /// let (q, r): (i64, i64) = divmod.call(&mut vm, (17, 5))?;
    /// assert_eq!((q, r), (3, 2));
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn call<R: FromLuaMulti>(&self, vm: &mut impl AsCtx, args: impl IntoLuaMulti) -> Result<R> {
        let mut cx = vm.as_ctx();
        let f = self.raw(&cx)?;
        let mut raw_args = Vec::new();
        args.into_raw_multi(&mut cx, &mut raw_args)?;
        let results = cx.run(|vm| vm.call(f, &raw_args))?;
        for &r in &results {
            cx.hold(r);
        }
        R::from_raw_multi(&results, 1, &mut cx).map_err(result_error)
    }

    /// Calls the function as [`Function::call`] does, except that a call that runs out
    /// of fuel is kept: the outcome is then [`Outcome::OutOfFuel`], whose
    /// [`Suspended::resume`] goes on with more fuel from exactly where it stopped, and
    /// whose drop (or [`Suspended::abandon`]) ends the call. Only the host's own calls
    /// can be kept, so this takes the [`Vm`], not a [`Ctx`].
    ///
    /// ```
    /// use tarn::{Config, Outcome, Vm};
    ///
    /// let mut vm = Vm::new(Config::new().fuel(1_000))?;
    /// let f = vm.load("local s = 0 for i = 1, 10000 do s = s + i end return s", "sum.lua")?;
    /// let mut outcome = f.call_resumable::<i64>(&mut vm, ())?;
    /// let mut slices = 1;
    /// let sum = loop {
    ///     match outcome {
    ///         Outcome::Finished(sum) => break sum,
    ///         Outcome::OutOfFuel(suspended) => {
    ///             slices += 1;
    ///             outcome = suspended.resume(&mut vm, 1_000)?;
    ///         }
    ///     }
    /// };
    /// assert_eq!(sum, 50_005_000);
    /// assert!(slices > 10);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    ///
    /// A call cannot be kept when the fuel runs out inside Lua code that a host
    /// function called (that code ran on the Rust stack, which is gone) or inside a host
    /// function the host called directly: that is an [`ErrorKind::OutOfFuel`] error that
    /// names the host function. A host function called from Lua that runs out is run
    /// again from its start on resume, with its first run's fuel given back.
    pub fn call_resumable<R: FromLuaMulti>(
        &self,
        vm: &mut Vm,
        args: impl IntoLuaMulti,
    ) -> Result<Outcome<R>> {
        let mut cx = vm.as_ctx();
        let f = self.raw(&cx)?;
        let mut raw_args = Vec::new();
        args.into_raw_multi(&mut cx, &mut raw_args)?;
        cx.guard()?;
        let result = cx.raw().call(f, &raw_args);
        finish_resumable(&mut cx, result, None)
    }
}

/// Turns the end of a resumable call into its outcome.
fn finish_resumable<R: FromLuaMulti>(
    cx: &mut Ctx<'_>,
    result: Result<Vec<Raw>, RuntimeError>,
    token: Option<Arc<()>>,
) -> Result<Outcome<R>> {
    match result {
        Ok(results) => {
            cx.state().suspension = None;
            for &r in &results {
                cx.hold(r);
            }
            R::from_raw_multi(&results, 1, cx).map(Outcome::Finished).map_err(result_error)
        }
        Err(e) if e.kind() == tarn_vm::ErrorKind::OutOfFuel && cx.raw_ref().is_suspended() => {
            let token = token.unwrap_or_default();
            cx.state().suspension = Some(token.clone());
            Ok(Outcome::OutOfFuel(Suspended { vm: cx.raw_ref().id(), token, result: PhantomData }))
        }
        Err(e) => {
            cx.state().suspension = None;
            if cx.raw_ref().is_suspended() {
                cx.raw().abandon();
            }
            Err(cx.error(e))
        }
    }
}

/// How a [`Function::call_resumable`] call ended: it finished, or it ran out of fuel
/// and waits to be resumed.
#[derive(Debug)]
#[must_use = "a call that ran out of fuel stays suspended until resumed or dropped"]
pub enum Outcome<R> {
    /// The call returned these results.
    Finished(R),
    /// The fuel ran out; the call can go on with more.
    OutOfFuel(Suspended<R>),
}

impl<R> Outcome<R> {
    /// The results, if the call finished.
    pub fn finished(self) -> Option<R> {
        match self {
            Outcome::Finished(r) => Some(r),
            Outcome::OutOfFuel(_) => None,
        }
    }

    /// Whether the call finished.
    pub fn is_finished(&self) -> bool {
        matches!(self, Outcome::Finished(_))
    }
}

/// A call that ran out of fuel, with its frames kept in the VM. Resume it with more
/// fuel, or drop it (or [`abandon`](Suspended::abandon) it) to end the call; until then
/// the VM runs no other code. It is `Send`: it can travel with its VM.
#[must_use = "a call that ran out of fuel stays suspended until resumed or dropped"]
pub struct Suspended<R> {
    vm: u64,
    /// Shared with the VM's record of the suspension (see `FacadeState`).
    token: Arc<()>,
    result: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Suspended<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suspended").field("vm", &self.vm).finish()
    }
}

impl<R: FromLuaMulti> Suspended<R> {
    /// Goes on with `fuel` more, from the instruction where the fuel ran out.
    pub fn resume(self, vm: &mut Vm, fuel: u64) -> Result<Outcome<R>> {
        let mut cx = self.check(vm)?;
        let result = cx.raw().resume(fuel);
        finish_resumable(&mut cx, result, Some(self.token.clone()))
    }

    /// Ends the call, unwinding its frames. The VM is ready for other calls.
    pub fn abandon(self, vm: &mut Vm) {
        if let Ok(mut cx) = self.check(vm) {
            cx.raw().abandon();
            cx.state().suspension = None;
        }
    }

    fn check<'v>(&self, vm: &'v mut Vm) -> Result<Ctx<'v>> {
        let mut cx = vm.as_ctx();
        if cx.raw_ref().id() != self.vm {
            return Err(Error::wrong_vm("suspended call"));
        }
        let current = cx.state().suspension.as_ref().is_some_and(|t| Arc::ptr_eq(t, &self.token));
        if !current || !cx.raw_ref().is_suspended() {
            return Err(Error::new(ErrorKind::Usage, "this call is no longer suspended"));
        }
        Ok(cx)
    }
}
