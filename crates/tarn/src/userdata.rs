//! Host values exposed to Lua as userdata, with methods, fields and metamethods.
//!
//! A type implementing [`UserData`] declares what Lua can do with it in
//! [`UserData::add_methods`]; the first time a VM wraps a value of the type it builds
//! one metatable from those declarations (`__name` is the type's name, so messages say
//! `Counter expected, got number`), and every value of the type shares it. Scripts
//! cannot read or replace it: `getmetatable` returns the type's name.
//!
//! While a method runs, its value is lent out: a call that reaches the same value again
//! (a Lua callback calling another of its methods) gets an error, never a second
//! mutable borrow. The value is dropped (Rust `Drop`) when the collector frees the
//! userdata, or when the VM is dropped.

use std::any::TypeId;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::convert::{FromLua, FromLuaMulti, IntoLua};
use crate::error::{Error, ErrorKind, Result};
use crate::function::{argument_error, run_host, HostReturn};
use crate::value::{AnyUserData, Raw, Value};
use crate::vm::{AsCtx, Ctx};

/// A Rust type that Lua code can hold and use as a userdata.
///
/// ```
/// use tarn::{Config, MetaMethod, UserData, UserDataMethods, Vm};
///
/// struct Counter { count: i64 }
///
/// impl UserData for Counter {
///     fn add_methods(m: &mut UserDataMethods<Self>) {
///         m.add_method_mut("add", |_, this, n: i64| {
///             this.count += n;
///             this.count
///         });
///         m.add_field_get("count", |_, this| this.count);
///         m.add_meta_method(MetaMethod::ToString, |_, this, ()| format!("Counter({})", this.count));
///     }
/// }
///
/// let mut vm = Vm::new(Config::new())?;
/// vm.register("counter", || Counter { count: 0 })?;
/// let shown: String = vm.eval("local c = counter() c:add(2) c:add(3) return tostring(c) .. ' ' .. c.count")?;
/// assert_eq!(shown, "Counter(5) 5");
/// let err = vm.exec("local c = counter() c:add('x')").unwrap_err();
/// assert_eq!(err.message(), "eval:1: bad argument #1 to 'add' (number expected, got string)");
/// # Ok::<(), tarn::Error>(())
/// ```
pub trait UserData: Send + Sized + 'static {
    /// Declares the methods, fields and metamethods Lua can use.
    fn add_methods(methods: &mut UserDataMethods<Self>) {
        let _ = methods;
    }

    /// The name Lua messages use for the type (`__name`): by default the last segment
    /// of the Rust type's path.
    fn type_name() -> &'static str {
        let full = std::any::type_name::<Self>();
        let base = full.split('<').next().unwrap_or(full);
        base.rsplit("::").next().unwrap_or(base)
    }
}

/// The Lua metamethods a userdata type can define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaMethod {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b`
    Div,
    /// `a % b`
    Mod,
    /// `a ^ b`
    Pow,
    /// `-a`
    Unm,
    /// `a // b`
    IDiv,
    /// `a & b`
    BAnd,
    /// `a | b`
    BOr,
    /// `a ~ b`
    BXor,
    /// `~a`
    BNot,
    /// `a << b`
    Shl,
    /// `a >> b`
    Shr,
    /// `a .. b`
    Concat,
    /// `#a`
    Len,
    /// `a == b`
    Eq,
    /// `a < b`
    Lt,
    /// `a <= b`
    Le,
    /// `a(...)`
    Call,
    /// `tostring(a)`
    ToString,
    /// `a[k]` for keys that are neither methods nor fields.
    Index,
    /// `a[k] = v` for keys that are not settable fields.
    NewIndex,
    /// A to-be-closed variable going out of scope (`local x <close> = a`).
    Close,
}

impl MetaMethod {
    /// The metatable field: `"__add"`, `"__tostring"`, ...
    pub fn name(self) -> &'static str {
        match self {
            MetaMethod::Add => "__add",
            MetaMethod::Sub => "__sub",
            MetaMethod::Mul => "__mul",
            MetaMethod::Div => "__div",
            MetaMethod::Mod => "__mod",
            MetaMethod::Pow => "__pow",
            MetaMethod::Unm => "__unm",
            MetaMethod::IDiv => "__idiv",
            MetaMethod::BAnd => "__band",
            MetaMethod::BOr => "__bor",
            MetaMethod::BXor => "__bxor",
            MetaMethod::BNot => "__bnot",
            MetaMethod::Shl => "__shl",
            MetaMethod::Shr => "__shr",
            MetaMethod::Concat => "__concat",
            MetaMethod::Len => "__len",
            MetaMethod::Eq => "__eq",
            MetaMethod::Lt => "__lt",
            MetaMethod::Le => "__le",
            MetaMethod::Call => "__call",
            MetaMethod::ToString => "__tostring",
            MetaMethod::Index => "__index",
            MetaMethod::NewIndex => "__newindex",
            MetaMethod::Close => "__close",
        }
    }
}

/// A method with its types erased: all arguments (the userdata first) in, results out.
type Method = Arc<dyn Fn(&mut Ctx<'_>, &[Raw], &mut Vec<Raw>) -> Result<()> + Send + Sync>;

/// Where the methods, fields and metamethods of a [`UserData`] type are declared.
///
/// Methods get the [`Ctx`], the value (`&T` or `&mut T`) and their arguments as one
/// value (a type, a tuple, `()`); they return what host functions return
/// ([`HostReturn`]). Lua calls them with a colon: `obj:method(x)`.
pub struct UserDataMethods<T> {
    methods: Vec<(String, Method)>,
    meta: Vec<(MetaMethod, Method)>,
    getters: Vec<(String, Method)>,
    setters: Vec<(String, Method)>,
    kind: PhantomData<fn(T)>,
}

/// Stands in for a userdata's value while a method has it.
struct Lent;

/// Stands in for a userdata's value once [`AnyUserData::take`] took it.
struct Taken;

/// Lends the value of userdata `raw` (which must be a `T`) to `f`.
fn with_value<T: UserData, R>(
    cx: &mut Ctx<'_>,
    raw: Raw,
    f: impl FnOnce(&mut Ctx<'_>, &mut T) -> R,
) -> Result<R> {
    let Raw::UserData(u) = raw else {
        return Err(Error::conversion(T::type_name(), &cx.raw_ref().type_name_of(raw)));
    };
    let slot = cx.raw().userdata_payload_mut(u);
    if !slot.is::<T>() {
        let e = if slot.is::<Lent>() {
            Error::runtime(format!("{} is in use by a method that is still running", T::type_name()))
        } else if slot.is::<Taken>() {
            Error::runtime(format!("{} has been taken by the host", T::type_name()))
        } else {
            Error::conversion(T::type_name(), &cx.raw_ref().type_name_of(raw))
        };
        return Err(e);
    }
    let payload = std::mem::replace(slot, Box::new(Lent));
    let mut value = match payload.downcast::<T>() {
        Ok(v) => v,
        Err(other) => {
            *cx.raw().userdata_payload_mut(u) = other;
            return Err(Error::conversion(T::type_name(), "userdata"));
        }
    };
    let result = f(cx, &mut value);
    // The userdata is an argument or held by the caller: still alive.
    *cx.raw().userdata_payload_mut(u) = value;
    Ok(result)
}

/// Words a problem with a method's own value as Lua does.
fn bad_self(name: &str, e: Error) -> Error {
    if e.kind() == ErrorKind::Conversion {
        Error::runtime(format!("calling '{name}' on bad self ({})", e.message()))
    } else {
        e
    }
}

impl<T: UserData> UserDataMethods<T> {
    fn new() -> Self {
        UserDataMethods {
            methods: Vec::new(),
            meta: Vec::new(),
            getters: Vec::new(),
            setters: Vec::new(),
            kind: PhantomData,
        }
    }

    fn method<A, R, F>(name: &str, f: F) -> Method
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &mut T, A) -> R + Send + Sync + 'static,
    {
        let name = name.to_string();
        Arc::new(move |cx, args, out| {
            let this = args.first().copied().unwrap_or(Raw::Nil);
            let rest = args.get(1..).unwrap_or(&[]);
            let ran = with_value::<T, _>(cx, this, |cx, value| {
                let a = A::from_raw_multi(rest, 1, cx).map_err(|(p, e)| argument_error(&name, p, e))?;
                f(cx, value, a).into_results(cx, out)
            });
            ran.map_err(|e| bad_self(&name, e))?
        })
    }

    fn function<A, R, F>(name: &str, f: F) -> Method
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static,
    {
        let name = name.to_string();
        Arc::new(move |cx, args, out| {
            let a = A::from_raw_multi(args, 1, cx).map_err(|(p, e)| argument_error(&name, p, e))?;
            f(cx, a).into_results(cx, out)
        })
    }

    /// A method that reads the value: `obj:name(args)`.
    pub fn add_method<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &T, A) -> R + Send + Sync + 'static,
    {
        let m = Self::method(name, move |cx, this: &mut T, a| f(cx, this, a));
        self.methods.push((name.to_string(), m));
    }

    /// A method that changes the value: `obj:name(args)`.
    pub fn add_method_mut<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &mut T, A) -> R + Send + Sync + 'static,
    {
        let m = Self::method(name, f);
        self.methods.push((name.to_string(), m));
    }

    /// A function stored with the methods that gets all its arguments (with a colon
    /// call, the userdata is the first, as an [`AnyUserData`]).
    pub fn add_function<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static,
    {
        let m = Self::function(name, f);
        self.methods.push((name.to_string(), m));
    }

    /// A field Lua reads as `obj.name`.
    pub fn add_field_get<R, F>(&mut self, name: &str, f: F)
    where
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &T) -> R + Send + Sync + 'static,
    {
        let m = Self::method(name, move |cx, this: &mut T, ()| f(cx, this));
        self.getters.push((name.to_string(), m));
    }

    /// A field Lua writes as `obj.name = value`.
    pub fn add_field_set<V, R, F>(&mut self, name: &str, f: F)
    where
        V: FromLua,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &mut T, V) -> R + Send + Sync + 'static,
    {
        // Called as __newindex(obj, key, value): skip the key.
        let m = Self::method(name, move |cx, this: &mut T, (_key, value): (Value, V)| f(cx, this, value));
        self.setters.push((name.to_string(), m));
    }

    /// A metamethod whose first operand is the value. (For binary operators the value
    /// may be either operand: use [`UserDataMethods::add_meta_function`] to accept
    /// both orders.)
    pub fn add_meta_method<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &T, A) -> R + Send + Sync + 'static,
    {
        let m = Self::method(meta.name(), move |cx, this: &mut T, a| f(cx, this, a));
        self.meta.push((meta, m));
    }

    /// A metamethod that changes the value.
    pub fn add_meta_method_mut<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, &mut T, A) -> R + Send + Sync + 'static,
    {
        let m = Self::method(meta.name(), f);
        self.meta.push((meta, m));
    }

    /// A metamethod that gets all operands as they come.
    pub fn add_meta_function<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: HostReturn,
        F: Fn(&mut Ctx<'_>, A) -> R + Send + Sync + 'static,
    {
        let m = Self::function(meta.name(), f);
        self.meta.push((meta, m));
    }
}

/// A VM function running `m`.
fn native(
    m: Method,
) -> impl Fn(&mut tarn_vm::Vm, &[Raw], &mut Vec<Raw>) -> Result<(), tarn_vm::RuntimeError> + Send + Sync + 'static
{
    move |raw, args, out| run_host(raw, out, |cx, out| m(cx, args, out))
}

/// The metatable shared by every userdata of type `T` in this VM, made on first use.
fn metatable<T: UserData>(cx: &mut Ctx<'_>) -> Result<tarn_vm::value::TableRef> {
    let id = TypeId::of::<T>();
    if let Some(&slot) = cx.state().metatables.get(&id) {
        if let Some(Raw::Table(mt)) = cx.raw_ref().pinned(slot) {
            return Ok(mt);
        }
    }
    let mut decl = UserDataMethods::<T>::new();
    T::add_methods(&mut decl);
    let name = T::type_name();
    cx.run(|vm| {
        let mt = vm.new_table()?;
        let slot = vm.pin(Raw::Table(mt));
        let type_name = vm.new_string(name.as_bytes())?;
        vm.set_field(mt, "__name", type_name)?;
        vm.set_field(mt, "__metatable", type_name)?;
        let methods = vm.new_table()?;
        for (method, m) in decl.methods {
            let f = vm.new_function(&method, native(m))?;
            vm.set_field(methods, &method, f)?;
        }
        let mut user_index = None;
        let mut user_newindex = None;
        for (meta, m) in decl.meta {
            match meta {
                MetaMethod::Index => user_index = Some(m),
                MetaMethod::NewIndex => user_newindex = Some(m),
                _ => {
                    let f = vm.new_function(meta.name(), native(m))?;
                    vm.set_field(mt, meta.name(), f)?;
                }
            }
        }
        let index = if decl.getters.is_empty() && user_index.is_none() {
            Raw::Table(methods)
        } else {
            let getters: HashMap<Vec<u8>, Method> =
                decl.getters.into_iter().map(|(k, m)| (k.into_bytes(), m)).collect();
            vm.new_function_capturing("__index", &[Raw::Table(methods)], move |raw, args, out| {
                let key = args.get(1).copied().unwrap_or(Raw::Nil);
                let found = raw.heap().table(methods).get(key);
                if !found.is_nil() {
                    out.push(found);
                    return Ok(());
                }
                let getter = raw.string_bytes(key).and_then(|k| getters.get(k)).cloned();
                match (getter, &user_index) {
                    (Some(m), _) => run_host(raw, out, |cx, out| m(cx, args, out)),
                    (None, Some(m)) => run_host(raw, out, |cx, out| m(cx, args, out)),
                    (None, None) => {
                        out.push(Raw::Nil);
                        Ok(())
                    }
                }
            })?
        };
        vm.set_field(mt, "__index", index)?;
        if !decl.setters.is_empty() || user_newindex.is_some() {
            let setters: HashMap<Vec<u8>, Method> =
                decl.setters.into_iter().map(|(k, m)| (k.into_bytes(), m)).collect();
            let newindex = vm.new_function("__newindex", move |raw, args, out| {
                let key = args.get(1).copied().unwrap_or(Raw::Nil);
                let setter = raw.string_bytes(key).and_then(|k| setters.get(k)).cloned();
                match (setter, &user_newindex) {
                    (Some(m), _) => run_host(raw, out, |cx, out| m(cx, args, out)),
                    (None, Some(m)) => run_host(raw, out, |cx, out| m(cx, args, out)),
                    (None, None) => {
                        let key = raw.to_display(key);
                        Err(tarn_vm::RuntimeError::runtime(format!("cannot set field '{key}' of {name}")))
                    }
                }
            })?;
            vm.set_field(mt, "__newindex", newindex)?;
        }
        Ok((mt, slot))
    })
    .map(|(mt, slot)| {
        cx.state().metatables.insert(id, slot);
        mt
    })
}

/// Wraps `value` in a new userdata of its type, kept alive until `cx` ends.
pub(crate) fn create<T: UserData>(cx: &mut Ctx<'_>, value: T) -> Result<Raw> {
    let mt = metatable::<T>(cx)?;
    let size = std::mem::size_of::<T>();
    let raw = cx.run(|vm| vm.new_userdata(Box::new(value), size, Some(mt)))?;
    Ok(cx.hold(raw))
}

impl<T: UserData> IntoLua for T {
    fn into_lua(self, cx: &mut Ctx<'_>) -> Result<Value> {
        let raw = create(cx, self)?;
        Ok(Value::from_raw(raw, cx))
    }
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        create(cx, self)
    }
}

impl<T: UserData + Clone> FromLua for T {
    fn from_lua(value: Value, cx: &mut Ctx<'_>) -> Result<Self> {
        let raw = value.to_raw(cx)?;
        Self::from_raw(raw, cx)
    }
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        with_value::<T, _>(cx, raw, |_, v| v.clone())
    }
}

impl AnyUserData {
    /// Whether the value inside is a `T` (and has not been taken).
    pub fn is<T: UserData>(&self, vm: &mut impl AsCtx) -> Result<bool> {
        let mut cx = vm.as_ctx();
        match self.raw(&cx)? {
            Raw::UserData(u) => Ok(cx.raw().userdata_payload_mut(u).is::<T>()),
            _ => Ok(false),
        }
    }

    /// Runs `f` with the value, which must be a `T`.
    ///
    /// ```
    /// use tarn::{AnyUserData, Config, UserData, Vm};
    ///
    /// struct Score(u32);
    /// impl UserData for Score {}
    ///
    /// let mut vm = Vm::new(Config::new())?;
    /// let ud = vm.create_userdata(Score(7))?;
    /// vm.set_global("score", &ud)?;
    /// let back: AnyUserData = vm.global("score")?;
    /// assert_eq!(back.borrow(&mut vm, |s: &Score| s.0)?, 7);
    /// back.borrow_mut(&mut vm, |s: &mut Score| s.0 += 1)?;
    /// assert_eq!(back.take::<Score>(&mut vm)?.0, 8);
    /// assert!(back.borrow(&mut vm, |s: &Score| s.0).is_err()); // taken
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn borrow<T: UserData, R>(&self, vm: &mut impl AsCtx, f: impl FnOnce(&T) -> R) -> Result<R> {
        let mut cx = vm.as_ctx();
        let raw = self.raw(&cx)?;
        with_value::<T, _>(&mut cx, raw, |_, v| f(v))
    }

    /// Runs `f` with the value, mutably.
    pub fn borrow_mut<T: UserData, R>(&self, vm: &mut impl AsCtx, f: impl FnOnce(&mut T) -> R) -> Result<R> {
        let mut cx = vm.as_ctx();
        let raw = self.raw(&cx)?;
        with_value::<T, _>(&mut cx, raw, |_, v| f(v))
    }

    /// Takes the value out; the userdata stays, but its methods then fail.
    pub fn take<T: UserData>(&self, vm: &mut impl AsCtx) -> Result<T> {
        let mut cx = vm.as_ctx();
        let raw = self.raw(&cx)?;
        let Raw::UserData(u) = raw else { return Err(Error::wrong_vm("userdata")) };
        // Borrowing first gives the right error for a wrong type or a lent value.
        with_value::<T, _>(&mut cx, raw, |_, _| ())?;
        let payload = std::mem::replace(cx.raw().userdata_payload_mut(u), Box::new(Taken));
        match payload.downcast::<T>() {
            Ok(v) => Ok(*v),
            Err(other) => {
                *cx.raw().userdata_payload_mut(u) = other;
                Err(Error::conversion(T::type_name(), "userdata"))
            }
        }
    }
}
