//! `string.pack`, `string.unpack` and `string.packsize` (reference manual §6.4.2).
//!
//! A format string is read one option at a time by [`Reader`], which tracks the
//! endianness and maximum alignment set by `< > = !` and reports each option's kind,
//! size and the padding needed before it. The "native" choices are those of a 64-bit
//! little-endian machine, as on the platforms Lua's own tests assume: `=` is
//! little-endian, `l`/`L`/`j`/`J`/`T` and `s`'s default length are 8 bytes, `i` is 4,
//! and `!` alone sets the maximum alignment to 8.
//!
//! Sizes are untrusted: an option's size is read with Lua's digit limit, totals are
//! checked before anything is allocated, and output is bounded by the VM's string limit.

use crate::error::RuntimeError;
use crate::stdlib::Args;
use crate::value::Value;
use crate::Vm;

/// Largest integer option size (`i16`); Lua's `MAXINTSIZE`.
const MAX_INT_SIZE: usize = 16;
/// Size of `lua_Integer`.
const INT_SIZE: usize = 8;
/// Alignment `!` sets with no number.
const NATIVE_ALIGN: usize = 8;
/// Largest size a format may describe (Lua's `MAXSIZE` for `int`-sized counts).
const MAX_SIZE: usize = i32::MAX as usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Uint,
    Float,
    Double,
    /// `c[n]`: a fixed-size string.
    Char,
    /// `s[n]`: a string preceded by its length.
    Str,
    /// `z`: a zero-terminated string.
    Zstr,
    /// `x`: one padding byte.
    Padding,
    /// `X`: align to the next option's size.
    PadAlign,
    /// Options that only change settings (`< > = ! ' '`).
    Nop,
}

/// One option read from the format.
struct Item {
    kind: Kind,
    size: usize,
    /// Padding bytes to insert before the item.
    align_pad: usize,
}

struct Reader<'a> {
    fmt: &'a [u8],
    pos: usize,
    little: bool,
    max_align: usize,
}

impl<'a> Reader<'a> {
    fn new(fmt: &'a [u8]) -> Reader<'a> {
        Reader { fmt, pos: 0, little: true, max_align: 1 }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.fmt.len()
    }

    /// A decimal number at the cursor, or `default`. Stops before the value could
    /// overflow an `i32`, as Lua does; the remaining digits are read as options.
    fn number(&mut self, default: usize) -> usize {
        if !self.fmt.get(self.pos).is_some_and(u8::is_ascii_digit) {
            return default;
        }
        let mut n = 0usize;
        loop {
            n = n * 10 + usize::from(self.fmt[self.pos] - b'0');
            self.pos += 1;
            if !(self.fmt.get(self.pos).is_some_and(u8::is_ascii_digit) && n <= (MAX_SIZE - 9) / 10) {
                return n;
            }
        }
    }

    fn int_size(&mut self, default: usize) -> Result<usize, RuntimeError> {
        let n = self.number(default);
        if n == 0 || n > MAX_INT_SIZE {
            return Err(RuntimeError::runtime(format!(
                "integral size ({n}) out of limits [1,{MAX_INT_SIZE}]"
            )));
        }
        Ok(n)
    }

    /// Reads one option: its kind and size.
    fn option(&mut self) -> Result<(Kind, usize), RuntimeError> {
        let Some(&c) = self.fmt.get(self.pos) else { return Ok((Kind::Nop, 0)) };
        self.pos += 1;
        Ok(match c {
            b'b' => (Kind::Int, 1),
            b'B' => (Kind::Uint, 1),
            b'h' => (Kind::Int, 2),
            b'H' => (Kind::Uint, 2),
            b'l' | b'j' => (Kind::Int, 8),
            b'L' | b'J' | b'T' => (Kind::Uint, 8),
            b'f' => (Kind::Float, 4),
            b'd' | b'n' => (Kind::Double, 8),
            b'i' => (Kind::Int, self.int_size(4)?),
            b'I' => (Kind::Uint, self.int_size(4)?),
            b's' => (Kind::Str, self.int_size(8)?),
            b'c' => {
                let n = self.number(usize::MAX);
                if n == usize::MAX {
                    return Err(RuntimeError::runtime("missing size for format option 'c'"));
                }
                (Kind::Char, n)
            }
            b'z' => (Kind::Zstr, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::PadAlign, 0),
            b' ' => (Kind::Nop, 0),
            b'<' | b'=' => {
                self.little = true;
                (Kind::Nop, 0)
            }
            b'>' => {
                self.little = false;
                (Kind::Nop, 0)
            }
            b'!' => {
                self.max_align = self.int_size(NATIVE_ALIGN)?;
                (Kind::Nop, 0)
            }
            other => {
                return Err(RuntimeError::runtime(format!("invalid format option '{}'", char::from(other))))
            }
        })
    }

    /// Reads one option and works out the padding it needs at offset `total`.
    /// `args` words the argument errors (they are about argument 1, the format).
    fn item(&mut self, total: usize, args: &Args) -> Result<Item, RuntimeError> {
        let (kind, size) = self.option()?;
        let mut align = size;
        if kind == Kind::PadAlign {
            let next = if self.at_end() { None } else { Some(self.option()?) };
            match next {
                Some((next_kind, next_size)) if next_kind != Kind::Char && next_size != 0 => {
                    align = next_size
                }
                _ => return Err(args.error(0, "invalid next option for option 'X'")),
            }
        }
        let align_pad = if align <= 1 || kind == Kind::Char {
            0
        } else {
            let align = align.min(self.max_align);
            if !align.is_power_of_two() {
                return Err(args.error(0, "format asks for alignment not power of 2"));
            }
            (align - (total & (align - 1))) & (align - 1)
        };
        Ok(Item { kind, size, align_pad })
    }
}

/// Appends `value` as a `size`-byte integer, sign-extending past 8 bytes.
fn pack_int(out: &mut Vec<u8>, value: u64, little: bool, size: usize, negative: bool) {
    let mut bytes = [0u8; MAX_INT_SIZE];
    for (i, byte) in bytes.iter_mut().enumerate().take(size) {
        *byte = if i < INT_SIZE {
            (value >> (8 * i)) as u8
        } else if negative {
            0xff
        } else {
            0
        };
    }
    let bytes = &mut bytes[..size];
    if !little {
        bytes.reverse();
    }
    out.extend_from_slice(bytes);
}

/// Reads a `size`-byte integer; past 8 bytes the extra bytes must be a sign extension.
fn unpack_int(data: &[u8], little: bool, signed: bool) -> Result<i64, RuntimeError> {
    let size = data.len();
    let byte = |i: usize| if little { data[i] } else { data[size - 1 - i] };
    let mut value: u64 = 0;
    for i in (0..size.min(INT_SIZE)).rev() {
        value = (value << 8) | u64::from(byte(i));
    }
    if size < INT_SIZE {
        if signed {
            let shift = 64 - 8 * size as u32;
            value = (((value << shift) as i64) >> shift) as u64;
        }
    } else if size > INT_SIZE {
        let fill = if signed && (value as i64) < 0 { 0xff } else { 0 };
        if (INT_SIZE..size).any(|i| byte(i) != fill) {
            return Err(RuntimeError::runtime(format!("{size}-byte integer does not fit into Lua Integer")));
        }
    }
    Ok(value as i64)
}

/// Fails if `len` more bytes would make the result longer than the VM allows.
fn check_room(vm: &Vm, out: &[u8], len: usize) -> Result<(), RuntimeError> {
    if out.len().saturating_add(len) > vm.limits().max_string {
        return Err(RuntimeError::runtime("resulting string too large"));
    }
    Ok(())
}

/// `string.pack(fmt, v1, v2, ...)`.
pub fn pack(vm: &mut Vm, args: Args) -> Result<Vec<u8>, RuntimeError> {
    let fmt = args.bytes(vm, 0)?;
    let mut reader = Reader::new(&fmt);
    let mut out = Vec::new();
    let mut arg = 0;
    while !reader.at_end() {
        let item = reader.item(out.len(), &args)?;
        check_room(vm, &out, item.align_pad)?;
        out.resize(out.len() + item.align_pad, 0);
        let little = reader.little;
        let size = item.size;
        match item.kind {
            Kind::Int => {
                arg += 1;
                let n = args.int(vm, arg)?;
                if size < INT_SIZE {
                    let limit = 1i64 << (size * 8 - 1);
                    if !(-limit..limit).contains(&n) {
                        return Err(args.error(arg, "integer overflow"));
                    }
                }
                pack_int(&mut out, n as u64, little, size, n < 0);
            }
            Kind::Uint => {
                arg += 1;
                let n = args.int(vm, arg)?;
                if size < INT_SIZE && (n as u64) >= (1u64 << (size * 8)) {
                    return Err(args.error(arg, "unsigned overflow"));
                }
                pack_int(&mut out, n as u64, little, size, false);
            }
            Kind::Float => {
                arg += 1;
                let f = args.float(vm, arg)? as f32;
                out.extend_from_slice(&if little { f.to_le_bytes() } else { f.to_be_bytes() });
            }
            Kind::Double => {
                arg += 1;
                let f = args.float(vm, arg)?;
                out.extend_from_slice(&if little { f.to_le_bytes() } else { f.to_be_bytes() });
            }
            Kind::Char => {
                arg += 1;
                let s = args.string(vm, arg)?;
                let bytes = vm.heap().str(s).as_bytes();
                if bytes.len() > size {
                    return Err(args.error(arg, "string longer than given size"));
                }
                check_room(vm, &out, size)?;
                let bytes = vm.heap().str(s).as_bytes();
                out.extend_from_slice(bytes);
                out.resize(out.len() + (size - bytes.len()), 0);
            }
            Kind::Str => {
                arg += 1;
                let s = args.string(vm, arg)?;
                let len = vm.heap().str(s).len();
                if size < INT_SIZE && (len as u64) >= (1u64 << (size * 8)) {
                    return Err(args.error(arg, "string length does not fit in given size"));
                }
                check_room(vm, &out, size + len)?;
                pack_int(&mut out, len as u64, little, size, false);
                out.extend_from_slice(vm.heap().str(s).as_bytes());
            }
            Kind::Zstr => {
                arg += 1;
                let s = args.string(vm, arg)?;
                let bytes = vm.heap().str(s).as_bytes();
                if bytes.contains(&0) {
                    return Err(args.error(arg, "string contains zeros"));
                }
                check_room(vm, &out, bytes.len() + 1)?;
                let bytes = vm.heap().str(s).as_bytes();
                out.extend_from_slice(bytes);
                out.push(0);
            }
            Kind::Padding => out.push(0),
            Kind::PadAlign | Kind::Nop => {}
        }
        check_room(vm, &out, 0)?;
    }
    Ok(out)
}

/// `string.packsize(fmt)`.
pub fn packsize(vm: &mut Vm, args: Args) -> Result<i64, RuntimeError> {
    let fmt = args.bytes(vm, 0)?;
    let mut reader = Reader::new(&fmt);
    let mut total = 0usize;
    while !reader.at_end() {
        let item = reader.item(total, &args)?;
        if matches!(item.kind, Kind::Str | Kind::Zstr) {
            return Err(args.error(0, "variable-length format"));
        }
        let size = item.size + item.align_pad;
        if total > MAX_SIZE.saturating_sub(size) {
            return Err(args.error(0, "format result too large"));
        }
        total += size;
    }
    Ok(total as i64)
}

/// `string.unpack(fmt, s [, pos])`: pushes the values and the next position.
pub fn unpack(vm: &mut Vm, args: Args, results: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let fmt = args.bytes(vm, 0)?;
    let data = args.bytes(vm, 1)?;
    let len = data.len();
    let init = args.opt_int(vm, 2, 1)?;
    // Lua's `posrelat` for an initial position: negative counts from the end.
    let start = if init > 0 {
        init as u64
    } else if init == 0 || init.unsigned_abs() > len as u64 {
        1
    } else {
        (len as i64 + init + 1) as u64
    };
    let mut pos = (start - 1) as usize;
    if start - 1 > len as u64 {
        return Err(args.error(2, "initial position out of string"));
    }
    let max_results = vm.limits().max_stack;
    let mut reader = Reader::new(&fmt);
    while !reader.at_end() {
        let item = reader.item(pos, &args)?;
        let size = item.size;
        if item.align_pad.saturating_add(size) > len - pos {
            return Err(args.error(1, "data string too short"));
        }
        pos += item.align_pad;
        if results.len() >= max_results {
            return Err(RuntimeError::runtime("too many results"));
        }
        let little = reader.little;
        let field = &data[pos..pos + size];
        match item.kind {
            Kind::Int | Kind::Uint => {
                results.push(Value::Int(unpack_int(field, little, item.kind == Kind::Int)?));
            }
            Kind::Float => {
                let mut b = [0u8; 4];
                b.copy_from_slice(field);
                let f = if little { f32::from_le_bytes(b) } else { f32::from_be_bytes(b) };
                results.push(Value::Float(f64::from(f)));
            }
            Kind::Double => {
                let mut b = [0u8; 8];
                b.copy_from_slice(field);
                results.push(Value::Float(if little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                }));
            }
            Kind::Char => results.push(vm.new_string(field)?),
            Kind::Str => {
                let n = unpack_int(field, little, false)? as u64;
                if n > (len - pos - size) as u64 {
                    return Err(args.error(1, "data string too short"));
                }
                let n = n as usize;
                results.push(vm.new_string(&data[pos + size..pos + size + n])?);
                pos += n;
            }
            Kind::Zstr => {
                let Some(n) = data[pos..].iter().position(|&b| b == 0) else {
                    return Err(args.error(1, "unfinished string for format 'z'"));
                };
                results.push(vm.new_string(&data[pos..pos + n])?);
                pos += n + 1;
            }
            Kind::Padding | Kind::PadAlign | Kind::Nop => {}
        }
        pos += size;
    }
    results.push(Value::Int(pos as i64 + 1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        let mut out = Vec::new();
        pack_int(&mut out, (-2i64) as u64, true, 16, true);
        assert_eq!(out, [&[0xfe][..], &[0xff; 15][..]].concat());
        assert_eq!(unpack_int(&out, true, true).ok(), Some(-2));
        assert!(unpack_int(&[0xff; 9], true, false).is_err());
        assert_eq!(unpack_int(&[1, 2, 3], false, false).ok(), Some(0x010203));
        assert_eq!(unpack_int(&[0xff, 0xff, 0xff], true, true).ok(), Some(-1));
        assert_eq!(unpack_int(&[0xff, 0xff, 0xff], true, false).ok(), Some(0xffffff));
    }

    #[test]
    fn reader_limits() {
        let mut r = Reader::new(b"c99999999999");
        assert_eq!(r.option().ok(), Some((Kind::Char, 999_999_999)));
        assert_eq!(r.option().map_err(|e| e.message().to_string()), Err("invalid format option '9'".into()));
        let mut r = Reader::new(b"i17");
        assert_eq!(
            r.option().map_err(|e| e.message().to_string()),
            Err("integral size (17) out of limits [1,16]".into())
        );
    }
}
