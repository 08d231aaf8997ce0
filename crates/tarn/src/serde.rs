//! Conversions of any `serde` type (feature `serde`).
//!
//! Structs and maps become tables with string keys, sequences and tuples become
//! sequences (`{1, 2, 3}`), `None` and `()` become `nil`, unit enum variants become their
//! name, and other variants a one-entry table `{ Variant = content }`. Reading goes the
//! other way; a table whose keys are exactly `1..n` reads as a sequence, any other as a
//! map. Integers read from floats with an exact integer value (`8080.0`), as Lua would
//! convert them.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use tarn::{serde::Serde, Config, Vm};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Server { host: String, port: u16, tags: Vec<String>, tls: Option<bool> }
//!
//! let mut vm = Vm::new(Config::new())?;
//! let Serde(server): Serde<Server> =
//!     vm.eval("return { host = 'example.org', port = 443, tags = {'a', 'b'} }")?;
//! assert_eq!(server, Server { host: "example.org".into(), port: 443, tags: vec!["a".into(), "b".into()], tls: None });
//!
//! vm.set_global("server", Serde(&server))?;
//! assert_eq!(vm.eval::<String>("return server.host .. ':' .. server.port .. ' ' .. #server.tags")?, "example.org:443 2");
//! # Ok::<(), tarn::Error>(())
//! ```

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer};
use serde::ser::{self, Serialize};

use crate::convert::{FromLua, IntoLua};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{Raw, Value};
use crate::vm::{AsCtx, Ctx};

/// A wrapper that converts its contents with `serde`: `Serde<T>` is [`IntoLua`] for
/// `T: Serialize` and [`FromLua`] for `T: DeserializeOwned`, so it works as a host
/// function's parameter or result, a global, a call's argument or result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Serde<T>(pub T);

/// Converts `value` to a Lua value.
pub fn to_value<T: Serialize + ?Sized>(vm: &mut impl AsCtx, value: &T) -> Result<Value> {
    let mut cx = vm.as_ctx();
    let raw = value.serialize(Serializer { cx: &mut cx }).map_err(SerdeError::into_error)?;
    Ok(Value::from_raw(raw, &mut cx))
}

/// Converts a Lua value to `T`.
pub fn from_value<T: DeserializeOwned>(vm: &mut impl AsCtx, value: &Value) -> Result<T> {
    let mut cx = vm.as_ctx();
    let raw = value.to_raw(&cx)?;
    T::deserialize(Deserializer { cx: &mut cx, raw, depth: 0 }).map_err(SerdeError::into_error)
}

impl<T: Serialize> IntoLua for Serde<T> {
    fn into_lua(self, cx: &mut Ctx<'_>) -> Result<Value> {
        to_value(cx, &self.0)
    }
    fn into_raw(self, cx: &mut Ctx<'_>) -> Result<Raw> {
        self.0.serialize(Serializer { cx }).map_err(SerdeError::into_error)
    }
}

impl<T: DeserializeOwned> FromLua for Serde<T> {
    fn from_lua(value: Value, cx: &mut Ctx<'_>) -> Result<Self> {
        from_value(cx, &value).map(Serde)
    }
    fn from_raw(raw: Raw, cx: &mut Ctx<'_>) -> Result<Self> {
        T::deserialize(Deserializer { cx, raw, depth: 0 }).map(Serde).map_err(SerdeError::into_error)
    }
}

/// How deep tables may nest when read: deeper (or cyclic) tables are refused rather
/// than overflowing the host's stack.
const MAX_DEPTH: usize = 200;

/// The error type `serde` needs; becomes an [`Error`] of kind `Conversion`.
#[derive(Debug)]
struct SerdeError(Error);

impl SerdeError {
    fn into_error(self) -> Error {
        self.0
    }
}

impl fmt::Display for SerdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for SerdeError {}

impl ser::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerdeError(Error::new(ErrorKind::Conversion, msg.to_string()))
    }
}

impl de::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerdeError(Error::new(ErrorKind::Conversion, msg.to_string()))
    }
}

impl From<Error> for SerdeError {
    fn from(e: Error) -> Self {
        SerdeError(e)
    }
}

type SerResult<T> = std::result::Result<T, SerdeError>;

// ---------------------------------------------------------------------------------------
// Rust to Lua

struct Serializer<'c, 'a> {
    cx: &'c mut Ctx<'a>,
}

impl Serializer<'_, '_> {
    fn string(&mut self, bytes: &[u8]) -> SerResult<Raw> {
        let raw = self.cx.run(|vm| vm.new_string(bytes))?;
        Ok(self.cx.hold(raw))
    }

    fn table(&mut self) -> SerResult<tarn_vm::value::TableRef> {
        let t = self.cx.run(|vm| vm.new_table())?;
        self.cx.hold(Raw::Table(t));
        Ok(t)
    }
}

fn set(cx: &mut Ctx<'_>, t: tarn_vm::value::TableRef, k: Raw, v: Raw) -> SerResult<()> {
    Ok(cx.run(|vm| vm.set_table(t, k, v))?)
}

/// A table being filled: sequences count up from 1, maps remember the pending key.
struct TableBuilder<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    table: tarn_vm::value::TableRef,
    next: i64,
    key: Raw,
    /// For an enum variant: the one-entry table `{ variant = table }` to return.
    wrapper: Option<(tarn_vm::value::TableRef, Raw)>,
}

impl<'c, 'a> TableBuilder<'c, 'a> {
    fn new(cx: &'c mut Ctx<'a>, variant: Option<&'static str>) -> SerResult<Self> {
        let mut s = Serializer { cx };
        let table = s.table()?;
        let wrapper = match variant {
            Some(name) => {
                let outer = s.table()?;
                let key = s.string(name.as_bytes())?;
                Some((outer, key))
            }
            None => None,
        };
        Ok(TableBuilder { cx, table, next: 1, key: Raw::Nil, wrapper })
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        let v = value.serialize(Serializer { cx: self.cx })?;
        set(self.cx, self.table, Raw::Int(self.next), v)?;
        self.next += 1;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> SerResult<()> {
        let k = Serializer { cx: self.cx }.string(key.as_bytes())?;
        let v = value.serialize(Serializer { cx: self.cx })?;
        set(self.cx, self.table, k, v)
    }

    fn finish(self) -> SerResult<Raw> {
        match self.wrapper {
            Some((outer, key)) => {
                set(self.cx, outer, key, Raw::Table(self.table))?;
                Ok(Raw::Table(outer))
            }
            None => Ok(Raw::Table(self.table)),
        }
    }
}

impl<'c, 'a> ser::Serializer for Serializer<'c, 'a> {
    type Ok = Raw;
    type Error = SerdeError;
    type SerializeSeq = TableBuilder<'c, 'a>;
    type SerializeTuple = TableBuilder<'c, 'a>;
    type SerializeTupleStruct = TableBuilder<'c, 'a>;
    type SerializeTupleVariant = TableBuilder<'c, 'a>;
    type SerializeMap = TableBuilder<'c, 'a>;
    type SerializeStruct = TableBuilder<'c, 'a>;
    type SerializeStructVariant = TableBuilder<'c, 'a>;

    fn serialize_bool(self, v: bool) -> SerResult<Raw> {
        Ok(Raw::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> SerResult<Raw> {
        Ok(Raw::Int(v))
    }
    fn serialize_u8(self, v: u8) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> SerResult<Raw> {
        Ok(Raw::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> SerResult<Raw> {
        i64::try_from(v)
            .map(Raw::Int)
            .map_err(|_| ser::Error::custom(format!("{v} does not fit a Lua integer")))
    }
    fn serialize_f32(self, v: f32) -> SerResult<Raw> {
        Ok(Raw::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> SerResult<Raw> {
        Ok(Raw::Float(v))
    }
    fn serialize_char(mut self, v: char) -> SerResult<Raw> {
        self.string(v.encode_utf8(&mut [0; 4]).as_bytes())
    }
    fn serialize_str(mut self, v: &str) -> SerResult<Raw> {
        self.string(v.as_bytes())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> SerResult<Raw> {
        self.string(v)
    }
    fn serialize_none(self) -> SerResult<Raw> {
        Ok(Raw::Nil)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> SerResult<Raw> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> SerResult<Raw> {
        Ok(Raw::Nil)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> SerResult<Raw> {
        Ok(Raw::Nil)
    }
    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> SerResult<Raw> {
        self.string(variant.as_bytes())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> SerResult<Raw> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> SerResult<Raw> {
        let mut s = Serializer { cx: self.cx };
        let outer = s.table()?;
        let key = s.string(variant.as_bytes())?;
        let v = value.serialize(Serializer { cx: self.cx })?;
        set(self.cx, outer, key, v)?;
        Ok(Raw::Table(outer))
    }
    fn serialize_seq(self, _len: Option<usize>) -> SerResult<Self::SerializeSeq> {
        TableBuilder::new(self.cx, None)
    }
    fn serialize_tuple(self, _len: usize) -> SerResult<Self::SerializeTuple> {
        TableBuilder::new(self.cx, None)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> SerResult<Self::SerializeTupleStruct> {
        TableBuilder::new(self.cx, None)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> SerResult<Self::SerializeTupleVariant> {
        TableBuilder::new(self.cx, Some(variant))
    }
    fn serialize_map(self, _len: Option<usize>) -> SerResult<Self::SerializeMap> {
        TableBuilder::new(self.cx, None)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> SerResult<Self::SerializeStruct> {
        TableBuilder::new(self.cx, None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> SerResult<Self::SerializeStructVariant> {
        TableBuilder::new(self.cx, Some(variant))
    }
}

impl ser::SerializeSeq for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        self.element(value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeTuple for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        self.element(value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        self.element(value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        self.element(value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeMap for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> SerResult<()> {
        self.key = key.serialize(Serializer { cx: self.cx })?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> SerResult<()> {
        let v = value.serialize(Serializer { cx: self.cx })?;
        let k = std::mem::take(&mut self.key);
        set(self.cx, self.table, k, v)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeStruct for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> SerResult<()> {
        self.field(key, value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for TableBuilder<'_, '_> {
    type Ok = Raw;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> SerResult<()> {
        self.field(key, value)
    }
    fn end(self) -> SerResult<Raw> {
        self.finish()
    }
}

// ---------------------------------------------------------------------------------------
// Lua to Rust (reads tables raw: no metamethods run, so nothing is collected meanwhile)

struct Deserializer<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    raw: Raw,
    depth: usize,
}

impl<'c, 'a> Deserializer<'c, 'a> {
    fn child(&mut self, raw: Raw) -> SerResult<Deserializer<'_, 'a>> {
        if self.depth >= MAX_DEPTH {
            return Err(SerdeError(Error::new(
                ErrorKind::Conversion,
                format!("tables nested more than {MAX_DEPTH} deep (or a table that contains itself)"),
            )));
        }
        Ok(Deserializer { cx: self.cx, raw, depth: self.depth + 1 })
    }

    fn unexpected(&self, what: &str) -> SerdeError {
        SerdeError(Error::conversion(what, &self.cx.raw_ref().type_name_of(self.raw)))
    }

    fn table(&self) -> Option<tarn_vm::value::TableRef> {
        match self.raw {
            Raw::Table(t) => Some(t),
            _ => None,
        }
    }

    /// Whether the table's keys are exactly `1..n` for some `n > 0`.
    fn is_sequence(&self, t: tarn_vm::value::TableRef) -> bool {
        let table = self.cx.raw_ref().heap().table(t);
        let n = table.len();
        if n <= 0 {
            return false;
        }
        let mut count = 0i64;
        let mut key = Raw::Nil;
        while let Ok(Some((k, _))) = table.next(key) {
            count += 1;
            if count > n {
                return false;
            }
            key = k;
        }
        count == n
    }

    fn integer(&self) -> SerResult<i64> {
        match self.raw {
            Raw::Int(i) => Ok(i),
            Raw::Float(f) => tarn_vm::number::float_to_int_exact(f).ok_or_else(|| {
                SerdeError(Error::new(ErrorKind::Conversion, "number has no integer representation"))
            }),
            _ => Err(self.unexpected("integer")),
        }
    }
}

macro_rules! deserialize_integer {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
            let i = self.integer()?;
            let v = <$ty>::try_from(i).map_err(|_| {
                SerdeError(Error::new(ErrorKind::Conversion, format!("number {i} out of range for {}", stringify!($ty))))
            })?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Deserializer<'_, '_> {
    type Error = SerdeError;

    fn deserialize_any<V: de::Visitor<'de>>(mut self, visitor: V) -> SerResult<V::Value> {
        match self.raw {
            Raw::Nil => visitor.visit_unit(),
            Raw::Bool(b) => visitor.visit_bool(b),
            Raw::Int(i) => visitor.visit_i64(i),
            Raw::Float(f) => visitor.visit_f64(f),
            Raw::Str(_) => {
                let bytes = self.cx.raw_ref().string_bytes(self.raw).unwrap_or_default().to_vec();
                match String::from_utf8(bytes) {
                    Ok(s) => visitor.visit_string(s),
                    Err(e) => visitor.visit_byte_buf(e.into_bytes()),
                }
            }
            Raw::Table(t) => {
                if self.is_sequence(t) {
                    self.deserialize_seq(visitor)
                } else {
                    let de = self.child(Raw::Table(t))?;
                    visitor.visit_map(TableAccess::new(de.cx, t, de.depth))
                }
            }
            _ => Err(self.unexpected("a value serde can read")),
        }
    }

    deserialize_integer!(
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    );

    fn deserialize_f32<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        match self.raw {
            Raw::Int(i) => visitor.visit_f64(i as f64),
            Raw::Float(f) => visitor.visit_f64(f),
            _ => Err(self.unexpected("number")),
        }
    }

    fn deserialize_bool<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        match self.raw {
            Raw::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.unexpected("boolean")),
        }
    }

    fn deserialize_bytes<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        match self.cx.raw_ref().string_bytes(self.raw) {
            Some(bytes) => visitor.visit_byte_buf(bytes.to_vec()),
            None => Err(self.unexpected("string")),
        }
    }

    fn deserialize_byte_buf<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        match self.raw {
            Raw::Nil => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        match self.raw {
            Raw::Nil => visitor.visit_unit(),
            _ => Err(self.unexpected("nil")),
        }
    }

    fn deserialize_unit_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> SerResult<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> SerResult<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: de::Visitor<'de>>(mut self, visitor: V) -> SerResult<V::Value> {
        let Some(t) = self.table() else { return Err(self.unexpected("table")) };
        let de = self.child(Raw::Table(t))?;
        let len = de.cx.raw_ref().heap().table(t).len().max(0);
        visitor.visit_seq(SequenceAccess { cx: de.cx, table: t, next: 1, len, depth: de.depth })
    }

    fn deserialize_tuple<V: de::Visitor<'de>>(self, _len: usize, visitor: V) -> SerResult<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> SerResult<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: de::Visitor<'de>>(mut self, visitor: V) -> SerResult<V::Value> {
        let Some(t) = self.table() else { return Err(self.unexpected("table")) };
        let de = self.child(Raw::Table(t))?;
        visitor.visit_map(TableAccess::new(de.cx, t, de.depth))
    }

    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> SerResult<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> SerResult<V::Value> {
        match self.raw {
            Raw::Str(_) => {
                let name =
                    String::from_utf8_lossy(self.cx.raw_ref().string_bytes(self.raw).unwrap_or_default())
                        .into_owned();
                visitor.visit_enum(name.into_deserializer())
            }
            Raw::Table(t) => {
                let table = self.cx.raw_ref().heap().table(t);
                let entry = match table.next(Raw::Nil) {
                    Ok(Some((k, v))) if matches!(table.next(k), Ok(None)) => Some((k, v)),
                    _ => None,
                };
                let Some((k, v)) = entry else {
                    return Err(SerdeError(Error::new(
                        ErrorKind::Conversion,
                        "an enum variant is a string or a table with one entry",
                    )));
                };
                let de = self.child(v)?;
                visitor.visit_enum(EnumAccess { cx: de.cx, key: k, value: v, depth: de.depth })
            }
            _ => Err(self.unexpected("string or table")),
        }
    }

    fn deserialize_identifier<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_char<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_str<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_string<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_i128<V: de::Visitor<'de>>(self, visitor: V) -> SerResult<V::Value> {
        let i = self.integer()?;
        visitor.visit_i128(i.into())
    }
}

struct SequenceAccess<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    table: tarn_vm::value::TableRef,
    next: i64,
    len: i64,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for SequenceAccess<'_, '_> {
    type Error = SerdeError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> SerResult<Option<T::Value>> {
        if self.next > self.len {
            return Ok(None);
        }
        let raw = self.cx.raw_ref().heap().table(self.table).get_int(self.next);
        self.next += 1;
        seed.deserialize(Deserializer { cx: self.cx, raw, depth: self.depth }).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len - self.next + 1).ok()
    }
}

struct TableAccess<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    table: tarn_vm::value::TableRef,
    key: Raw,
    value: Raw,
    depth: usize,
}

impl<'c, 'a> TableAccess<'c, 'a> {
    fn new(cx: &'c mut Ctx<'a>, table: tarn_vm::value::TableRef, depth: usize) -> Self {
        TableAccess { cx, table, key: Raw::Nil, value: Raw::Nil, depth }
    }
}

impl<'de> de::MapAccess<'de> for TableAccess<'_, '_> {
    type Error = SerdeError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> SerResult<Option<K::Value>> {
        match self.cx.raw_ref().heap().table(self.table).next(self.key) {
            Ok(Some((k, v))) => {
                self.key = k;
                self.value = v;
                seed.deserialize(Deserializer { cx: self.cx, raw: k, depth: self.depth }).map(Some)
            }
            Ok(None) => Ok(None),
            Err(_) => Err(SerdeError(Error::runtime("table changed while it was being read"))),
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> SerResult<V::Value> {
        seed.deserialize(Deserializer { cx: self.cx, raw: self.value, depth: self.depth })
    }
}

struct EnumAccess<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    key: Raw,
    value: Raw,
    depth: usize,
}

impl<'de, 'c, 'a> de::EnumAccess<'de> for EnumAccess<'c, 'a> {
    type Error = SerdeError;
    type Variant = Deserializer<'c, 'a>;
    fn variant_seed<V: de::DeserializeSeed<'de>>(self, seed: V) -> SerResult<(V::Value, Self::Variant)> {
        let variant = seed.deserialize(Deserializer { cx: self.cx, raw: self.key, depth: self.depth })?;
        Ok((variant, Deserializer { cx: self.cx, raw: self.value, depth: self.depth }))
    }
}

impl<'de> de::VariantAccess<'de> for Deserializer<'_, '_> {
    type Error = SerdeError;
    fn unit_variant(self) -> SerResult<()> {
        Ok(())
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> SerResult<T::Value> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: de::Visitor<'de>>(self, _len: usize, visitor: V) -> SerResult<V::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: de::Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> SerResult<V::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
