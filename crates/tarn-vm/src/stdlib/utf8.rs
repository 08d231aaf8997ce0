//! The UTF-8 library (reference manual §6.5).
//!
//! Strings are bytes; these functions decode them as UTF-8 on demand. Like Lua, the
//! decoder accepts the original (pre-2003) encoding of up to six bytes, so code points up
//! to 2^31 - 1 are representable. Strict mode (the default) rejects what is not valid
//! Unicode text: surrogates (U+D800–U+DFFF) and code points above U+10FFFF. Lax mode
//! (`lax = true`) accepts both. Overlong encodings and stray continuation bytes are
//! rejected in both modes.
//!
//! Positions are byte positions, 1-based, negative counting from the end, as everywhere
//! in Lua's string functions.

use crate::error::RuntimeError;
use crate::stdlib::{add_functions, Args, LibFn};
use crate::value::{StrRef, Value};
use crate::Vm;

/// The largest code point the (extended) encoding can hold.
const MAX_UTF: u32 = 0x7FFF_FFFF;
/// The largest Unicode code point.
const MAX_UNICODE: u32 = 0x10_FFFF;
/// Most values `codepoint` returns (as `table.unpack`: Lua's stack limit).
const MAX_RESULTS: usize = 1_000_000;

/// Matches exactly one UTF-8 byte sequence, assuming the subject is valid UTF-8.
const CHARPATTERN: &[u8] = b"[\0-\x7F\xC2-\xFD][\x80-\xBF]*";

const INVALID: &str = "invalid UTF-8 code";

/// Adds the `utf8` table to the globals.
pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let t = vm.new_table()?;
    let functions: &[(&'static str, LibFn)] =
        &[("char", char), ("codes", codes), ("codepoint", codepoint), ("len", len), ("offset", offset)];
    add_functions(vm, t, functions)?;
    let pattern = vm.new_string(CHARPATTERN)?;
    vm.set_field(t, "charpattern", pattern)?;
    vm.set_global("utf8", Value::Table(t))
}

/// Whether `b` is a continuation byte (`10xxxxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Decodes the sequence starting at `s[0]`: its code point and length in bytes, or
/// `None` when it is not a valid sequence (in strict mode: not a valid Unicode scalar).
fn decode(s: &[u8], strict: bool) -> Option<(u32, usize)> {
    let lead = *s.first()?;
    if lead < 0x80 {
        return Some((u32::from(lead), 1));
    }
    // The number of bytes is the number of leading one bits of the lead byte (2 to 6);
    // 10xxxxxx is a continuation byte, 1111111x is never a lead byte.
    let len = lead.leading_ones() as usize;
    if !(2..=6).contains(&len) {
        return None;
    }
    let mut code = u32::from(lead) & (0x7F >> len);
    for i in 1..len {
        let b = *s.get(i)?;
        if !is_continuation(b) {
            return None;
        }
        code = (code << 6) | u32::from(b & 0x3F);
    }
    // The smallest code point that needs `len` bytes: anything less is overlong.
    const MIN: [u32; 7] = [0, 0, 0x80, 0x800, 0x1_0000, 0x20_0000, 0x400_0000];
    if code < MIN[len] || code > MAX_UTF {
        return None;
    }
    if strict && (code > MAX_UNICODE || (0xD800..=0xDFFF).contains(&code)) {
        return None;
    }
    Some((code, len))
}

/// Appends the (extended) UTF-8 encoding of `code` (at most 2^31 - 1).
fn encode(code: u32, out: &mut Vec<u8>) {
    if code < 0x80 {
        out.push(code as u8);
        return;
    }
    // Fill continuation bytes from the end while the rest does not fit in the lead byte.
    let mut tail = [0u8; 6];
    let mut n = 0;
    let mut rest = code;
    // The lead byte of an n+1 byte sequence holds 6 - n payload bits.
    let mut lead_room: u32 = 0x3F;
    while rest > lead_room {
        tail[n] = 0x80 | (rest & 0x3F) as u8;
        n += 1;
        rest >>= 6;
        lead_room >>= 1;
    }
    // n continuation bytes: the lead byte starts with n + 1 ones.
    let marker = (!lead_room << 1) & 0xFF;
    out.push((marker | rest) as u8);
    out.extend(tail[..n].iter().rev());
}

/// A position argument made absolute: negative counts from the end, too negative is 0.
fn relative_position(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

/// The string argument `i` (numbers converted).
fn string_arg(vm: &mut Vm, a: &Args, i: usize) -> Result<StrRef, RuntimeError> {
    a.string(vm, i)
}

fn char(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "utf8.char", args);
    let mut bytes = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        let code = a.int(vm, i)?;
        if (code as u64) > u64::from(MAX_UTF) {
            return Err(a.error(i, "value out of range"));
        }
        encode(code as u32, &mut bytes);
    }
    out.push(vm.new_string(&bytes)?);
    Ok(())
}

fn len(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "utf8.len", args);
    let s = string_arg(vm, &a, 0)?;
    let size = vm.heap.str(s).len();
    let mut i = relative_position(a.opt_int(vm, 1, 1)?, size);
    let j = relative_position(a.opt_int(vm, 2, -1)?, size);
    let lax = a.boolean(3);
    if i < 1 || i - 1 > size as i64 {
        return Err(a.error(1, "initial position out of bounds"));
    }
    i -= 1;
    if j > size as i64 {
        return Err(a.error(2, "final position out of bounds"));
    }
    let last = j - 1;
    let mut n: i64 = 0;
    let mut failed_at = None;
    {
        let bytes = vm.heap.str(s).as_bytes();
        while i <= last {
            match decode(&bytes[i as usize..], !lax) {
                Some((_, step)) => {
                    i += step as i64;
                    n += 1;
                }
                None => {
                    failed_at = Some(i + 1);
                    break;
                }
            }
        }
    }
    vm.charge_fuel(n as u64)?;
    match failed_at {
        Some(pos) => out.extend_from_slice(&[Value::Nil, Value::Int(pos)]),
        None => out.push(Value::Int(n)),
    }
    Ok(())
}

fn codepoint(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "utf8.codepoint", args);
    let s = string_arg(vm, &a, 0)?;
    let size = vm.heap.str(s).len();
    let first = relative_position(a.opt_int(vm, 1, 1)?, size);
    let last = relative_position(a.opt_int(vm, 2, first)?, size);
    let lax = a.boolean(3);
    if first < 1 {
        return Err(a.error(1, "out of bounds"));
    }
    if last > size as i64 {
        return Err(a.error(2, "out of bounds"));
    }
    if first > last {
        return Ok(());
    }
    if (last - first) as u64 >= MAX_RESULTS as u64 {
        return Err(RuntimeError::runtime("string slice too long"));
    }
    vm.charge_fuel((last - first + 1) as u64)?;
    let bytes = vm.heap.str(s).as_bytes();
    // Every sequence that starts at or before `last` (the last may run past it).
    let mut i = (first - 1) as usize;
    while (i as i64) < last {
        let (code, step) = decode(&bytes[i..], !lax).ok_or_else(|| RuntimeError::runtime(INVALID))?;
        out.push(Value::Int(i64::from(code)));
        i += step;
    }
    Ok(())
}

fn offset(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "utf8.offset", args);
    let s = string_arg(vm, &a, 0)?;
    let size = vm.heap.str(s).len() as i64;
    let mut n = a.int(vm, 1)?;
    let default = if n >= 0 { 1 } else { size + 1 };
    let mut pos = relative_position(a.opt_int(vm, 2, default)?, size as usize);
    if pos < 1 || pos - 1 > size {
        return Err(a.error(2, "position out of bounds"));
    }
    pos -= 1;
    let bytes = vm.heap.str(s).as_bytes();
    // The byte at `p`, treating the end of the string as a non-continuation byte.
    let cont = |p: i64| bytes.get(p as usize).is_some_and(|&b| is_continuation(b));
    let mut steps: u64 = 0;
    if n == 0 {
        // The start of the character containing byte `pos`.
        while pos > 0 && cont(pos) {
            pos -= 1;
        }
    } else {
        if cont(pos) {
            return Err(RuntimeError::runtime("initial position is a continuation byte"));
        }
        if n < 0 {
            while n < 0 && pos > 0 {
                pos -= 1;
                while pos > 0 && cont(pos) {
                    pos -= 1;
                }
                n += 1;
                steps += 1;
            }
        } else {
            n -= 1;
            while n > 0 && pos < size {
                pos += 1;
                while cont(pos) {
                    pos += 1;
                }
                n -= 1;
                steps += 1;
            }
        }
    }
    vm.charge_fuel(steps)?;
    out.push(if n == 0 { Value::Int(pos + 1) } else { Value::Nil });
    Ok(())
}

fn codes(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "utf8.codes", args);
    let s = string_arg(vm, &a, 0)?;
    let lax = a.boolean(1);
    // Lua 5.4.4 accepts a string that starts with continuation bytes: the first step
    // skips them, as it skips the tail of each character.
    // A fresh function per loop: a Rust value cannot keep a cached one reachable for the
    // collector, and a host function is small.
    let step: LibFn = if lax { codes_step_lax } else { codes_step_strict };
    let iter = vm.new_function("for iterator", step)?;
    out.extend_from_slice(&[iter, Value::Str(s), Value::Int(0)]);
    Ok(())
}

fn codes_step_strict(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    codes_step(vm, args, out, true)
}

fn codes_step_lax(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    codes_step(vm, args, out, false)
}

/// One step of `utf8.codes`: the character after the one at byte position `args[1]`
/// (0 to start).
fn codes_step(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>, strict: bool) -> Result<(), RuntimeError> {
    let a = Args::new("for iterator", args);
    let s = string_arg(vm, &a, 0)?;
    let previous = a.int(vm, 1)?;
    let bytes = vm.heap.str(s).as_bytes();
    // Negative control values count as past the end, as Lua's unsigned comparison does.
    let mut n = usize::try_from(previous).unwrap_or(usize::MAX);
    // Skip the rest of the previous character.
    while n < bytes.len() && is_continuation(bytes[n]) {
        n += 1;
    }
    if n >= bytes.len() {
        // No results ends the loop.
        return Ok(());
    }
    let (code, _) = decode(&bytes[n..], strict).ok_or_else(|| RuntimeError::runtime(INVALID))?;
    // Stray continuation bytes after it are skipped by the next step (Lua 5.4.4).
    out.extend_from_slice(&[Value::Int(n as i64 + 1), Value::Int(i64::from(code))]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn encode_decode_round_trip() {
        for code in
            [0u32, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x1_0000, 0x10_FFFF, 0x20_0000, 0x400_0000, 0x7FFF_FFFF]
        {
            let mut bytes = Vec::new();
            encode(code, &mut bytes);
            assert_eq!(decode(&bytes, false), Some((code, bytes.len())), "{code:#x}");
            if code <= 0x10_FFFF {
                assert_eq!(
                    std::str::from_utf8(&bytes).ok().and_then(|s| s.chars().next()).map(u32::from),
                    Some(code)
                );
            }
        }
    }

    #[test]
    fn rejects_invalid_sequences() {
        assert_eq!(decode(b"\xC0\x80", false), None); // overlong
        assert_eq!(decode(b"\x80", false), None); // stray continuation
        assert_eq!(decode(b"\xE2\x82", false), None); // truncated
        assert_eq!(decode(b"\xFE", false), None);
        assert_eq!(decode(b"\xED\xA0\x80", true), None); // surrogate
        assert_eq!(decode(b"\xED\xA0\x80", false), Some((0xD800, 3)));
        assert_eq!(decode(b"\xF4\x90\x80\x80", true), None); // above U+10FFFF
        assert_eq!(decode(b"\xF4\x90\x80\x80", false), Some((0x11_0000, 4)));
    }
}
