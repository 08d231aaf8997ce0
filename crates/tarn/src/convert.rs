//! Conversions between Lua values and Rust types.
//!
//! [`IntoLua`] and [`FromLua`] convert one value; [`IntoLuaMulti`] and
//! [`FromLuaMulti`] convert a list (arguments, results): tuples for a fixed number of
//! values, [`Variadic`] for any number, `()` for none.
//!
//! | Rust | Lua | notes |
//! |---|---|---|
//! | `bool` | boolean | from Lua, any value by truthiness (`nil` and `false` are false) |
//! | `i8` … `i64`, `u8` … `u64`, `isize`, `usize` | integer | from Lua also floats with an exact integer value and numeric strings, as Lua's `tointeger`; out of range is an error |
//! | `f32`, `f64` | float | from Lua any number or numeric string |
//! | `String`, `&str` | string | from Lua also numbers (as `tostring` writes them); must be UTF-8 |
//! | [`Bytes`] | string | any bytes |
//! | `Option<T>` | `nil` or `T` | |
//! | `Vec<T>` | sequence `{1, 2, 3}` | from Lua, elements `1..#t` |
//! | `HashMap<K, V>`, `BTreeMap<K, V>` | table | |
//! | [`Value`], [`Table`], [`Function`], [`LuaString`], [`AnyUserData`], [`Thread`] | as is | rooted handles |
//! | a type implementing [`crate::UserData`] | userdata | from Lua by cloning (`T: Clone`) |
//! | with the `serde` feature, `tarn::serde::Serde<T>` | tables, strings, ... | any `Serialize` / `Deserialize` type |
//!
//! A failed conversion is an [`crate::ErrorKind::Conversion`]
//! error worded as Lua words them: `number expected, got string`; as an argument of a
//! host function it becomes `bad argument #2 to 'add' (number expected, got string)`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use crate::error::{Error, ErrorKind, Result};
use crate::value::{AnyUserData, Function, LuaString, Raw, Table, Thread, Value};
use crate::vm::Ctx;

/// A Rust value that can become one Lua value.
///
/// Implement it for your own types by building a [`Value`] (usually a table):
///
/// ```
/// use tarn::{Config, Ctx, IntoLua, Value, Vm};
///
/// struct Point { x: f64, y: f64 }
///
/// impl IntoLua for Point {
///     fn into_lua(self, cx: &mut Ctx<'_>) -> tarn::Result<Value> {
///         let t = cx.create_table()?;
///         t.set(cx, "x", self.x)?;
///         t.set(cx, "y", self.y)?;
///         Ok(t.to_value())
///     }
/// }
///
/// let mut vm = Vm::new(Config::new())?;
/// vm.set_global("p", Point { x: 1.5, y: 2.0 })?;
/// assert_eq!(vm.eval::<f64>("return p.x + p.y")?, 3.5);
/// # Ok::<(), tarn::Error>(())
/// ```
pub trait IntoLua: Sized {
    /// The Lua value for `self`.
    fn into_lua(self, cx: &mut Ctx<'_>) -> Result<Value>;

    /// The value as the VM holds it, kept alive until `cx` ends. The types of this
    /// crate implement it directly; others go through [`IntoLua::into_lua`].
    #[doc(hidden)]
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        let value = self.into_lua(cx)?;
        let raw = value.to_raw(cx)?;
        Ok(cx.hold(raw))
    }
}

/// A Rust value that can be made from one Lua value.
///
/// Implement it for your own types by reading a [`Value`]:
///
/// ```
/// use tarn::{Config, Ctx, FromLua, Value, Vm};
///
/// #[derive(Debug, PartialEq)]
/// struct Point { x: f64, y: f64 }
///
/// impl FromLua for Point {
///     fn from_lua(value: Value, cx: &mut Ctx<'_>) -> tarn::Result<Self> {
///         let t: tarn::Table = cx.convert(value)?;
///         Ok(Point { x: t.get(cx, "x")?, y: t.get(cx, "y")? })
///     }
/// }
///
/// let mut vm = Vm::new(Config::new())?;
/// assert_eq!(vm.eval::<Point>("return {x = 1, y = 2}")?, Point { x: 1.0, y: 2.0 });
/// # Ok::<(), tarn::Error>(())
/// ```
pub trait FromLua: Sized {
    /// Converts `value`, or fails with an [`ErrorKind::Conversion`] error.
    fn from_lua(value: Value, cx: &mut Ctx<'_>) -> Result<Self>;

    /// Converts a value as the VM holds it. The types of this crate implement it
    /// directly (no handle is made for a value that is copied out); others go through
    /// [`FromLua::from_lua`].
    #[doc(hidden)]
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        let value = Value::from_raw(raw, cx);
        Self::from_lua(value, cx)
    }
}

/// A Rust value that becomes a list of Lua values: any [`IntoLua`] type (one value),
/// `()` (none), tuples, [`Variadic`]. Host functions return it; calls take their
/// arguments as it.
pub trait IntoLuaMulti: Sized {
    /// Appends the values, each kept alive until `cx` ends.
    #[doc(hidden)]
    fn into_raw_multi(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()>;
}

/// A Rust value made from a list of Lua values: any [`FromLua`] type (the first value,
/// `nil` if none), `()` (ignores them), tuples (one value each, the last element taking
/// the rest), [`Variadic`] (all of them).
pub trait FromLuaMulti: Sized {
    /// Converts `values`, the first of which is at position `first` (1-based) of its
    /// list; on failure gives the position of the value that failed.
    #[doc(hidden)]
    fn from_raw_multi(values: &[Raw], first: usize, cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)>;
}

/// Any number of values of one type: the rest of a host function's arguments, or any
/// number of results.
///
/// ```
/// use tarn::{Config, Variadic, Vm};
///
/// let mut vm = Vm::new(Config::new())?;
/// vm.register("max", |first: i64, rest: Variadic<i64>| rest.iter().fold(first, |m, &x| m.max(x)))?;
/// assert_eq!(vm.eval::<i64>("return max(3, 9, 4)")?, 9);
/// let all: Variadic<String> = vm.eval("return 'a', 'b', 'c'")?;
/// assert_eq!(all.len(), 3);
/// # Ok::<(), tarn::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

impl<T> Variadic<T> {
    /// No values.
    pub fn new() -> Variadic<T> {
        Variadic(Vec::new())
    }

    /// The values.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T> std::ops::Deref for Variadic<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Variadic<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for Variadic<T> {
    fn from(v: Vec<T>) -> Self {
        Variadic(v)
    }
}

impl<T> FromIterator<T> for Variadic<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Variadic(iter.into_iter().collect())
    }
}

/// A Lua string as raw bytes (Lua strings need not be UTF-8). `Vec<u8>` would be a
/// table of numbers; this is a string.
///
/// ```
/// use tarn::{Bytes, Config, Vm};
///
/// let mut vm = Vm::new(Config::new())?;
/// let b: Bytes = vm.eval("return '\\xff\\x00ok'")?;
/// assert_eq!(b.0, b"\xff\x00ok");
/// vm.set_global("blob", Bytes(vec![0, 1, 2]))?;
/// assert_eq!(vm.eval::<i64>("return #blob")?, 3);
/// # Ok::<(), tarn::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

// ---------------------------------------------------------------------------------------
// Helpers

/// The type name for "got ..." in messages: `__name` for userdata and tables that have
/// one.
fn type_of(raw: Raw, cx: &Ctx<'_>) -> String {
    cx.raw_ref().type_name_of(raw)
}

fn expected(what: &str, raw: Raw, cx: &Ctx<'_>) -> Error {
    Error::conversion(what, &type_of(raw, cx))
}

/// A value as a Lua number: an integer, a float, or a numeric string.
fn to_number(raw: Raw, cx: &Ctx<'_>) -> Option<tarn_vm::number::NumberValue> {
    use tarn_vm::number::NumberValue;
    match raw {
        Raw::Int(i) => Some(NumberValue::Int(i)),
        Raw::Float(f) => Some(NumberValue::Float(f)),
        Raw::Str(_) => {
            let bytes = cx.raw_ref().string_bytes(raw)?;
            tarn_vm::number::parse_number(bytes)
        }
        _ => None,
    }
}

fn to_integer(raw: Raw, cx: &Ctx<'_>) -> Result<i64> {
    use tarn_vm::number::NumberValue;
    match to_number(raw, cx) {
        Some(NumberValue::Int(i)) => Ok(i),
        Some(NumberValue::Float(f)) => tarn_vm::number::float_to_int_exact(f)
            .ok_or_else(|| Error::new(ErrorKind::Conversion, "number has no integer representation")),
        None => Err(expected("number", raw, cx)),
    }
}

fn to_float(raw: Raw, cx: &Ctx<'_>) -> Result<f64> {
    use tarn_vm::number::NumberValue;
    match to_number(raw, cx) {
        Some(NumberValue::Int(i)) => Ok(i as f64),
        Some(NumberValue::Float(f)) => Ok(f),
        None => Err(expected("number", raw, cx)),
    }
}

/// The bytes of a string, or of a number as `tostring` writes it.
fn to_bytes(raw: Raw, cx: &Ctx<'_>) -> Result<Vec<u8>> {
    match raw {
        Raw::Str(_) => Ok(cx.raw_ref().string_bytes(raw).unwrap_or_default().to_vec()),
        Raw::Int(_) | Raw::Float(_) => Ok(cx.raw_ref().to_display(raw).into_bytes()),
        _ => Err(expected("string", raw, cx)),
    }
}

fn new_string(bytes: &[u8], cx: &mut Ctx<'_>) -> Result<Raw> {
    let raw = cx.run(|vm| vm.new_string(bytes))?;
    Ok(cx.hold(raw))
}

/// Implements `into_lua` by way of `into_raw`.
macro_rules! into_lua_via_raw {
    () => {
        fn into_lua(self, cx: &mut Ctx<'_>) -> Result<Value> {
            let raw = self.into_raw(cx)?;
            Ok(Value::from_raw(raw, cx))
        }
    };
}

/// Implements `from_lua` by way of `from_raw`.
macro_rules! from_lua_via_raw {
    () => {
        fn from_lua(value: Value, cx: &mut Ctx<'_>) -> Result<Self> {
            let raw = value.to_raw(cx)?;
            Self::from_raw(raw, cx)
        }
    };
}

// ---------------------------------------------------------------------------------------
// Values and handles

impl IntoLua for Value {
    fn into_lua(self, _cx: &mut Ctx<'_>) -> Result<Value> {
        Ok(self)
    }
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        let raw = self.to_raw(cx)?;
        Ok(cx.hold(raw))
    }
}

impl IntoLua for &Value {
    fn into_lua(self, _cx: &mut Ctx<'_>) -> Result<Value> {
        Ok(self.clone())
    }
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        let raw = self.to_raw(cx)?;
        Ok(cx.hold(raw))
    }
}

impl FromLua for Value {
    fn from_lua(value: Value, _cx: &mut Ctx<'_>) -> Result<Self> {
        Ok(value)
    }
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        Ok(Value::from_raw(raw, cx))
    }
}

macro_rules! handle_conversions {
    ($ty:ident, $expected:literal, $($pat:pat),+) => {
        impl IntoLua for $ty {
            fn into_lua(self, _cx: &mut Ctx<'_>) -> Result<Value> {
                Ok(self.into())
            }
            fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
                let raw = self.raw(cx)?;
                Ok(cx.hold(raw))
            }
        }

        impl IntoLua for &$ty {
            fn into_lua(self, _cx: &mut Ctx<'_>) -> Result<Value> {
                Ok(self.clone().into())
            }
            fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
                let raw = self.raw(cx)?;
                Ok(cx.hold(raw))
            }
        }

        impl FromLua for $ty {
            from_lua_via_raw!();
            fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
                match raw {
                    $($pat)|+ => Ok($ty(crate::value::Handle::new(cx, raw))),
                    _ => Err(expected($expected, raw, cx)),
                }
            }
        }
    };
}

handle_conversions!(Table, "table", Raw::Table(_));
handle_conversions!(Function, "function", Raw::Closure(_), Raw::Native(_));
handle_conversions!(LuaString, "string", Raw::Str(_));
handle_conversions!(AnyUserData, "userdata", Raw::UserData(_));
handle_conversions!(Thread, "thread", Raw::Thread(_));

// ---------------------------------------------------------------------------------------
// Booleans and numbers

impl IntoLua for bool {
    into_lua_via_raw!();
    fn into_raw(self, _cx: &mut Ctx<'_>) -> Result<Raw> {
        Ok(Raw::Bool(self))
    }
}

impl FromLua for bool {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, _cx: &mut Ctx<'_>) -> Result<Self> {
        Ok(raw.is_truthy())
    }
}

macro_rules! integer_conversions {
    ($($ty:ty),*) => {$(
        impl IntoLua for $ty {
            into_lua_via_raw!();
            fn into_raw(self, _cx: &mut Ctx<'_>) -> Result<Raw> {
                i64::try_from(self).map(Raw::Int).map_err(|_| {
                    Error::new(ErrorKind::Conversion, format!("{self} does not fit a Lua integer"))
                })
            }
        }

        impl FromLua for $ty {
            from_lua_via_raw!();
            fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
                let i = to_integer(raw, cx)?;
                <$ty>::try_from(i).map_err(|_| {
                    Error::new(ErrorKind::Conversion, format!("number {i} out of range for {}", stringify!($ty)))
                })
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl IntoLua for f64 {
    into_lua_via_raw!();
    fn into_raw(self, _cx: &mut Ctx<'_>) -> Result<Raw> {
        Ok(Raw::Float(self))
    }
}

impl FromLua for f64 {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        to_float(raw, cx)
    }
}

impl IntoLua for f32 {
    into_lua_via_raw!();
    fn into_raw(self, _cx: &mut Ctx<'_>) -> Result<Raw> {
        Ok(Raw::Float(f64::from(self)))
    }
}

impl FromLua for f32 {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        Ok(to_float(raw, cx)? as f32)
    }
}

// ---------------------------------------------------------------------------------------
// Strings

impl IntoLua for &str {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_string(self.as_bytes(), cx)
    }
}

impl IntoLua for String {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_string(self.as_bytes(), cx)
    }
}

impl IntoLua for &String {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_string(self.as_bytes(), cx)
    }
}

impl FromLua for String {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        String::from_utf8(to_bytes(raw, cx)?)
            .map_err(|_| Error::new(ErrorKind::Conversion, "string is not valid UTF-8"))
    }
}

impl IntoLua for Bytes {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_string(&self.0, cx)
    }
}

impl IntoLua for &Bytes {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_string(&self.0, cx)
    }
}

impl FromLua for Bytes {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        to_bytes(raw, cx).map(Bytes)
    }
}

// ---------------------------------------------------------------------------------------
// Containers

impl<T: IntoLua> IntoLua for Option<T> {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        match self {
            Some(v) => v.into_raw(cx),
            None => Ok(Raw::Nil),
        }
    }
}

impl<T: FromLua> FromLua for Option<T> {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        match raw {
            Raw::Nil => Ok(None),
            _ => T::from_raw(raw, cx).map(Some),
        }
    }
}

/// A new table, filled by `fill` with the VM's raw operations; kept alive until `cx`
/// ends.
fn new_table_with(
    cx: &mut Ctx<'_>,
    fill: impl FnOnce(&mut Ctx<'_>, tarn_vm::value::TableRef) -> Result<()>,
) -> Result<Raw> {
    let t = cx.run(|vm| vm.new_table())?;
    let raw = cx.hold(Raw::Table(t));
    fill(cx, t)?;
    Ok(raw)
}

fn raw_set(cx: &mut Ctx<'_>, t: tarn_vm::value::TableRef, key: Raw, value: Raw) -> Result<()> {
    cx.run(|vm| vm.set_table(t, key, value))
}

impl<T: IntoLua> IntoLua for Vec<T> {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_table_with(cx, |cx, t| {
            for (i, item) in self.into_iter().enumerate() {
                let mut inner = Ctx::new(cx.raw());
                let v = item.into_raw(&mut inner)?;
                raw_set(&mut inner, t, Raw::Int(i as i64 + 1), v)?;
            }
            Ok(())
        })
    }
}

impl<T: FromLua> FromLua for Vec<T> {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        let Raw::Table(t) = raw else { return Err(expected("table", raw, cx)) };
        let n = cx.raw_ref().heap().table(t).len().max(0);
        let mut out = Vec::new();
        for i in 1..=n {
            let v = cx.raw_ref().heap().table(t).get_int(i);
            let mut inner = Ctx::new(cx.raw());
            let v = inner.hold(v);
            out.push(
                T::from_raw(v, &mut inner).map_err(|e| e.map_message(|m| format!("{m} (at index {i})")))?,
            );
        }
        Ok(out)
    }
}

/// Calls `f` with each key and value of table `t`, each kept alive meanwhile.
fn for_each_pair(
    cx: &mut Ctx<'_>,
    t: tarn_vm::value::TableRef,
    mut f: impl FnMut(&mut Ctx<'_>, Raw, Raw) -> Result<()>,
) -> Result<()> {
    let mut key = Raw::Nil;
    loop {
        let next = cx.raw_ref().heap().table(t).next(key);
        match next {
            Ok(Some((k, v))) => {
                let mut inner = Ctx::new(cx.raw());
                inner.hold(k);
                inner.hold(v);
                f(&mut inner, k, v)?;
                key = k;
            }
            Ok(None) => return Ok(()),
            Err(_) => return Err(Error::runtime("table changed while it was being converted")),
        }
    }
}

impl<K: IntoLua, V: IntoLua, S> IntoLua for HashMap<K, V, S> {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_table_with(cx, |cx, t| {
            for (k, v) in self {
                let mut inner = Ctx::new(cx.raw());
                let k = k.into_raw(&mut inner)?;
                let v = v.into_raw(&mut inner)?;
                raw_set(&mut inner, t, k, v)?;
            }
            Ok(())
        })
    }
}

impl<K: FromLua + Eq + Hash, V: FromLua, S: BuildHasher + Default> FromLua for HashMap<K, V, S> {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        let Raw::Table(t) = raw else { return Err(expected("table", raw, cx)) };
        let mut out = HashMap::default();
        for_each_pair(cx, t, |cx, k, v| {
            out.insert(K::from_raw(k, cx)?, V::from_raw(v, cx)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<K: IntoLua, V: IntoLua> IntoLua for BTreeMap<K, V> {
    into_lua_via_raw!();
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        new_table_with(cx, |cx, t| {
            for (k, v) in self {
                let mut inner = Ctx::new(cx.raw());
                let k = k.into_raw(&mut inner)?;
                let v = v.into_raw(&mut inner)?;
                raw_set(&mut inner, t, k, v)?;
            }
            Ok(())
        })
    }
}

impl<K: FromLua + Ord, V: FromLua> FromLua for BTreeMap<K, V> {
    from_lua_via_raw!();
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        let Raw::Table(t) = raw else { return Err(expected("table", raw, cx)) };
        let mut out = BTreeMap::new();
        for_each_pair(cx, t, |cx, k, v| {
            out.insert(K::from_raw(k, cx)?, V::from_raw(v, cx)?);
            Ok(())
        })?;
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// Lists of values

impl<T: IntoLua> IntoLuaMulti for T {
    fn into_raw_multi(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
        out.push(self.into_raw(cx)?);
        Ok(())
    }
}

impl<T: FromLua> FromLuaMulti for T {
    fn from_raw_multi(values: &[Raw], first: usize, cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)> {
        match values.first() {
            Some(&v) => T::from_raw(v, cx).map_err(|e| (first, e)),
            // An absent value converts as nil, but is called what Lua calls it.
            None => T::from_raw(Raw::Nil, cx).map_err(|e| {
                let e = if e.kind() == ErrorKind::Conversion {
                    e.map_message(|m| match m.strip_suffix("got nil") {
                        Some(head) => format!("{head}got no value"),
                        None => m.to_string(),
                    })
                } else {
                    e
                };
                (first, e)
            }),
        }
    }
}

impl IntoLuaMulti for () {
    fn into_raw_multi(self, _cx: &mut Ctx<'_>, _out: &mut Vec<Raw>) -> Result<()> {
        Ok(())
    }
}

impl FromLuaMulti for () {
    fn from_raw_multi(_values: &[Raw], _first: usize, _cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)> {
        Ok(())
    }
}

impl<T: IntoLua> IntoLuaMulti for Variadic<T> {
    fn into_raw_multi(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
        for v in self.0 {
            out.push(v.into_raw(cx)?);
        }
        Ok(())
    }
}

impl<T: FromLua> FromLuaMulti for Variadic<T> {
    fn from_raw_multi(values: &[Raw], first: usize, cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)> {
        let mut out = Vec::with_capacity(values.len());
        for (i, &v) in values.iter().enumerate() {
            out.push(T::from_raw(v, cx).map_err(|e| (first + i, e))?);
        }
        Ok(Variadic(out))
    }
}

macro_rules! tuple_conversions {
    ($($name:ident)+ ; $last:ident) => {
        impl<$($name: IntoLuaMulti,)+ $last: IntoLuaMulti> IntoLuaMulti for ($($name,)+ $last,) {
            #[allow(non_snake_case)]
            fn into_raw_multi(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
                let ($($name,)+ $last,) = self;
                $($name.into_raw_multi(cx, out)?;)+
                $last.into_raw_multi(cx, out)
            }
        }

        impl<$($name: FromLua,)+ $last: FromLuaMulti> FromLuaMulti for ($($name,)+ $last,) {
            #[allow(non_snake_case, unused_assignments)]
            fn from_raw_multi(values: &[Raw], first: usize, cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)> {
                let mut i = 0;
                $(
                    let $name = <$name as FromLuaMulti>::from_raw_multi(values.get(i..).unwrap_or(&[]), first + i, cx)?;
                    i += 1;
                )+
                let $last = $last::from_raw_multi(values.get(i..).unwrap_or(&[]), first + i, cx)?;
                Ok(($($name,)+ $last,))
            }
        }
    };
}

impl<A: IntoLuaMulti> IntoLuaMulti for (A,) {
    fn into_raw_multi(self, cx: &mut Ctx<'_>, out: &mut Vec<Raw>) -> Result<()> {
        self.0.into_raw_multi(cx, out)
    }
}

impl<A: FromLuaMulti> FromLuaMulti for (A,) {
    fn from_raw_multi(values: &[Raw], first: usize, cx: &mut Ctx<'_>) -> Result<Self, (usize, Error)> {
        Ok((A::from_raw_multi(values, first, cx)?,))
    }
}

tuple_conversions!(A; B);
tuple_conversions!(A B; C);
tuple_conversions!(A B C; D);
tuple_conversions!(A B C D; E);
tuple_conversions!(A B C D E; F);
tuple_conversions!(A B C D E F; G);
tuple_conversions!(A B C D E F G; H);
tuple_conversions!(A B C D E F G H; I);
tuple_conversions!(A B C D E F G H I; J);
tuple_conversions!(A B C D E F G H I J; K);
tuple_conversions!(A B C D E F G H I J K; L);
