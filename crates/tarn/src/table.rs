//! Reading and writing tables from Rust.

use crate::convert::{FromLua, IntoLua};
use crate::error::{Error, Result};
use crate::value::{Handle, Raw, Table};
use crate::vm::{AsCtx, Ctx};

impl Table {
    fn table_ref(&self, cx: &Ctx<'_>) -> Result<tarn_vm::value::TableRef> {
        match self.raw(cx)? {
            Raw::Table(t) => Ok(t),
            _ => Err(Error::wrong_vm("table")),
        }
    }

    /// `t[key]` as Lua reads it (consulting `__index`), converted to `V`.
    ///
    /// ```
    /// # let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// let t: tarn::Table = vm.eval("return setmetatable({a = 1}, {__index = function(_, k) return k .. '!' end})")?;
    /// assert_eq!(t.get::<i64>(&mut vm, "a")?, 1);
    /// assert_eq!(t.get::<String>(&mut vm, "b")?, "b!");
    /// assert_eq!(t.raw_get::<Option<String>>(&mut vm, "b")?, None);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn get<V: FromLua>(&self, vm: &mut impl AsCtx, key: impl IntoLua) -> Result<V> {
        let mut cx = vm.as_ctx();
        let t = self.raw(&cx)?;
        let k = key.into_raw(&mut cx)?;
        let v = cx.run(|vm| vm.index(t, k))?;
        let v = cx.hold(v);
        V::from_raw(v, &mut cx)
    }

    /// `t[key] = value` as Lua writes it (consulting `__newindex`).
    pub fn set(&self, vm: &mut impl AsCtx, key: impl IntoLua, value: impl IntoLua) -> Result<()> {
        let mut cx = vm.as_ctx();
        let t = self.raw(&cx)?;
        let k = key.into_raw(&mut cx)?;
        let v = value.into_raw(&mut cx)?;
        cx.run(|vm| vm.set_index_meta(t, k, v))
    }

    /// `rawget(t, key)`: no metamethods.
    pub fn raw_get<V: FromLua>(&self, vm: &mut impl AsCtx, key: impl IntoLua) -> Result<V> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let k = key.into_raw(&mut cx)?;
        let v = cx.raw_ref().heap().table(t).get(k);
        let v = cx.hold(v);
        V::from_raw(v, &mut cx)
    }

    /// `rawset(t, key, value)`: no metamethods. A `nil` or NaN key is an error.
    pub fn raw_set(&self, vm: &mut impl AsCtx, key: impl IntoLua, value: impl IntoLua) -> Result<()> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let k = key.into_raw(&mut cx)?;
        let v = value.into_raw(&mut cx)?;
        cx.run(|vm| vm.set_table(t, k, v))
    }

    /// Whether `rawget(t, key)` is not `nil`.
    pub fn contains_key(&self, vm: &mut impl AsCtx, key: impl IntoLua) -> Result<bool> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let k = key.into_raw(&mut cx)?;
        Ok(!cx.raw_ref().heap().table(t).get(k).is_nil())
    }

    /// `#t` as Lua computes it (consulting `__len`), which must be an integer.
    pub fn len(&self, vm: &mut impl AsCtx) -> Result<i64> {
        let mut cx = vm.as_ctx();
        let t = self.raw(&cx)?;
        let n = cx.run(|vm| vm.len_of(t))?;
        i64::from_raw(n, &mut cx)
    }

    /// `rawlen(t)`: the length of the sequence part, without `__len`.
    pub fn raw_len(&self, vm: &mut impl AsCtx) -> Result<i64> {
        let cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        Ok(cx.raw_ref().heap().table(t).len())
    }

    /// Whether the table has no entries at all.
    pub fn is_empty(&self, vm: &mut impl AsCtx) -> Result<bool> {
        let cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        Ok(matches!(cx.raw_ref().heap().table(t).next(Raw::Nil), Ok(None)))
    }

    /// Appends `value` at `rawlen(t) + 1`, as `table.insert(t, value)` does.
    pub fn push(&self, vm: &mut impl AsCtx, value: impl IntoLua) -> Result<()> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let n = cx.raw_ref().heap().table(t).len();
        let v = value.into_raw(&mut cx)?;
        cx.run(|vm| vm.set_table(t, Raw::Int(n.saturating_add(1)), v))
    }

    /// Every key and value (raw, in `next` order), converted.
    ///
    /// ```
    /// # let mut vm = tarn::Vm::new(tarn::Config::new())?;
    /// let t: tarn::Table = vm.eval("return {x = 1, y = 2}")?;
    /// let mut pairs: Vec<(String, i64)> = t.pairs(&mut vm)?;
    /// pairs.sort();
    /// assert_eq!(pairs, [("x".to_string(), 1), ("y".to_string(), 2)]);
    /// # Ok::<(), tarn::Error>(())
    /// ```
    pub fn pairs<K: FromLua, V: FromLua>(&self, vm: &mut impl AsCtx) -> Result<Vec<(K, V)>> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let mut out = Vec::new();
        let mut key = Raw::Nil;
        loop {
            let next = cx.raw_ref().heap().table(t).next(key);
            match next {
                Ok(Some((k, v))) => {
                    let mut inner = cx.as_ctx();
                    inner.hold(k);
                    inner.hold(v);
                    out.push((K::from_raw(k, &mut inner)?, V::from_raw(v, &mut inner)?));
                    key = k;
                }
                Ok(None) => return Ok(out),
                Err(_) => return Err(Error::runtime("table changed while it was being read")),
            }
        }
    }

    /// The values at `1..=rawlen(t)`, converted (the same as converting to `Vec<V>`).
    pub fn sequence<V: FromLua>(&self, vm: &mut impl AsCtx) -> Result<Vec<V>> {
        let mut cx = vm.as_ctx();
        let t = self.raw(&cx)?;
        Vec::<V>::from_raw(t, &mut cx)
    }

    /// The table's metatable, if it has one.
    pub fn metatable(&self, vm: &mut impl AsCtx) -> Result<Option<Table>> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        Ok(cx.raw_ref().heap().table(t).metatable.map(|mt| Table(Handle::new(&mut cx, Raw::Table(mt)))))
    }

    /// Sets or removes the table's metatable (`__gc` in it makes the table
    /// finalisable, as `setmetatable` does).
    pub fn set_metatable(&self, vm: &mut impl AsCtx, metatable: Option<&Table>) -> Result<()> {
        let mut cx = vm.as_ctx();
        let t = self.table_ref(&cx)?;
        let mt = match metatable {
            Some(m) => Some(m.table_ref(&cx)?),
            None => None,
        };
        cx.run(|vm| vm.set_metatable(t, mt))
    }
}
