//! `string.format` (reference manual §6.4): C `printf`-style conversions with Lua 5.4's
//! rules on which flags each conversion takes and how long a specification may be.
//!
//! The conversions are written here rather than delegated to a C library:
//! `%d %i %u %c %x %X %o` over 64-bit integers, `%e %E %f %g %G` over doubles (no `%F`: Lua 5.4 refuses it) with
//! exact decimal rounding (Rust's float formatting is exact and rounds ties to even, as
//! glibc does), `%a %A` as glibc prints hex floats, `%q` as Lua 5.4 quotes values, `%s`
//! via `tostring`. Width and precision are at most two digits each (Lua's limit), which
//! bounds every piece except `%s`, `%f` of huge numbers (about 320 digits) and the
//! copied strings; the caller checks the total against the string size limit.

use crate::error::RuntimeError;
use crate::stdlib::Args;
use crate::value::Value;
use crate::Vm;

/// Flags allowed per conversion family (Lua 5.4's `L_FMTFLAGS*`).
const FLAGS_FLOAT: &[u8] = b"-+ #0";
const FLAGS_HEX: &[u8] = b"-#0";
const FLAGS_INT: &[u8] = b"-+ 0";
const FLAGS_UNSIGNED: &[u8] = b"-0";
const FLAGS_CHAR: &[u8] = b"-";

/// Longest flags+width+precision+conversion run Lua accepts ("invalid format (too long)"
/// beyond): its `MAX_FORMAT` (32) less the 10 bytes it reserves.
const MAX_SPEC: usize = 21;

/// A parsed conversion specification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spec {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: usize,
    pub precision: Option<usize>,
}

impl Spec {
    /// Parses `form` (the text after `%`, ending with the conversion letter) allowing only
    /// `flags` and, if `precision_ok`, a precision. The error is Lua's message.
    pub fn parse(form: &[u8], flags: &[u8], precision_ok: bool) -> Result<Spec, String> {
        let invalid = || format!("invalid conversion specification: '%{}'", String::from_utf8_lossy(form));
        let mut spec = Spec::default();
        let mut i = 0;
        while let Some(&c) = form.get(i).filter(|c| flags.contains(c)) {
            match c {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                _ => spec.zero = true,
            }
            i += 1;
        }
        if form.get(i) != Some(&b'0') {
            let (n, used) = two_digits(&form[i..]);
            spec.width = n;
            i += used;
        }
        if precision_ok && form.get(i) == Some(&b'.') {
            let (n, used) = two_digits(&form[i + 1..]);
            spec.precision = Some(n);
            i += 1 + used;
        }
        // What remains must be exactly the conversion letter.
        if i + 1 != form.len() || !form[i].is_ascii_alphabetic() {
            return Err(invalid());
        }
        Ok(spec)
    }

    /// Appends `body` to `out`, with `sign` and `prefix` in front and `zeros` zeros
    /// between those and the body (an integer's precision), padded to the width. Width
    /// zero padding goes between the prefix and the body, and only when `zero_ok`.
    fn pad_into(
        &self,
        out: &mut Vec<u8>,
        sign: &[u8],
        prefix: &[u8],
        zeros: usize,
        body: &[u8],
        zero_ok: bool,
    ) {
        let len = sign.len() + prefix.len() + zeros + body.len();
        let fill = self.width.saturating_sub(len);
        let (spaces_before, zeros_after_prefix, spaces_after) = if self.left {
            (0, 0, fill)
        } else if self.zero && zero_ok {
            (0, fill, 0)
        } else {
            (fill, 0, 0)
        };
        out.reserve(len + fill);
        fill_with(out, b' ', spaces_before);
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        fill_with(out, b'0', zeros_after_prefix + zeros);
        out.extend_from_slice(body);
        fill_with(out, b' ', spaces_after);
    }

    fn sign(&self, negative: bool) -> &'static [u8] {
        if negative {
            b"-"
        } else if self.plus {
            b"+"
        } else if self.space {
            b" "
        } else {
            b""
        }
    }
}

/// Appends `n` copies of `byte` (a space or a zero). Widths and precisions have at most
/// two digits, so a copy from a constant does it; `resize` is the general fallback.
fn fill_with(out: &mut Vec<u8>, byte: u8, n: usize) {
    const SPACES: [u8; 100] = [b' '; 100];
    const ZEROS: [u8; 100] = [b'0'; 100];
    match (byte, n) {
        (_, 0) => {}
        (b' ', ..=100) => out.extend_from_slice(&SPACES[..n]),
        (b'0', ..=100) => out.extend_from_slice(&ZEROS[..n]),
        _ => out.resize(out.len() + n, byte),
    }
}

/// Up to two leading decimal digits: (value, digits used).
fn two_digits(s: &[u8]) -> (usize, usize) {
    let mut n = 0;
    let mut used = 0;
    while used < 2 && s.get(used).is_some_and(u8::is_ascii_digit) {
        n = n * 10 + usize::from(s[used] - b'0');
        used += 1;
    }
    (n, used)
}

/// The digits of `n` in base `RADIX` (8, 10 or 16; `upper` for A-F), at the end of
/// `buf`. The radix is a constant so the divisions become shifts and multiplications.
fn digits<const RADIX: u64>(mut n: u64, upper: bool, buf: &mut [u8; 24]) -> &[u8] {
    let letters: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = letters[(n % RADIX) as usize];
        n /= RADIX;
        if n == 0 {
            break;
        }
    }
    &buf[at..]
}

/// Appends an integer conversion (`d i u o x X`) of `value`, digits made in place.
pub fn write_int(out: &mut Vec<u8>, spec: &Spec, conv: u8, value: i64) {
    let (negative, magnitude) = match conv {
        b'd' | b'i' => (value < 0, value.unsigned_abs()),
        _ => (false, value as u64),
    };
    let mut buf = [0u8; 24];
    let digits = match conv {
        b'o' => digits::<8>(magnitude, false, &mut buf),
        b'x' => digits::<16>(magnitude, false, &mut buf),
        b'X' => digits::<16>(magnitude, true, &mut buf),
        _ => digits::<10>(magnitude, false, &mut buf),
    };
    let (digits, zeros) = match spec.precision {
        Some(0) if magnitude == 0 => (&[][..], 0),
        Some(p) => (digits, p.saturating_sub(digits.len())),
        None => (digits, 0),
    };
    let prefix: &[u8] = match conv {
        b'o' if spec.alt && zeros == 0 && digits.first() != Some(&b'0') => b"0",
        b'x' if spec.alt && magnitude != 0 => b"0x",
        b'X' if spec.alt && magnitude != 0 => b"0X",
        _ => b"",
    };
    let sign = if matches!(conv, b'd' | b'i') { spec.sign(negative) } else { b"" };
    spec.pad_into(out, sign, prefix, zeros, digits, spec.precision.is_none());
}

/// Appends a float conversion (`e E f F g G a A`) of `value`.
pub fn write_float(out: &mut Vec<u8>, spec: &Spec, conv: u8, value: f64) {
    let upper = conv.is_ascii_uppercase();
    let sign = spec.sign(value.is_sign_negative());
    let abs = value.abs();
    if !abs.is_finite() {
        let body = match (abs.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        return spec.pad_into(out, sign, b"", 0, body.as_bytes(), false);
    }
    let precision = spec.precision.unwrap_or(6);
    if conv.eq_ignore_ascii_case(&b'f') {
        let mut buf = [0u8; FIXED_BUF];
        if let Some(body) = fixed_exact(abs, precision, spec.alt, &mut buf) {
            return spec.pad_into(out, sign, b"", 0, body, true);
        }
    }
    let (prefix, body): (&[u8], String) = match conv.to_ascii_lowercase() {
        b'e' => (b"", exp_form(abs, precision, spec.alt)),
        b'f' => (b"", fixed_form(abs, precision, spec.alt)),
        b'g' => (b"", general_form(abs, precision, spec.alt)),
        _ => (if upper { b"0X" } else { b"0x" }, hex_form(abs, spec.precision, spec.alt)),
    };
    let body = if upper { body.to_ascii_uppercase() } else { body };
    spec.pad_into(out, sign, prefix, 0, body.as_bytes(), true);
}

/// Room for [`fixed_exact`]'s text: 39 integer digits (a `u128`), the point, 22 decimals.
const FIXED_BUF: usize = 64;

/// `%.{precision}f` of a non-negative finite float in integer arithmetic, for the
/// common sizes: the float is `m * 2^e` exactly, so `m * 10^precision`, shifted by `e`
/// with the remainder compared to one half, is the value rounded to the precision with
/// ties to even (as glibc rounds). `None` when the numbers would not fit in a `u128`;
/// the caller then uses Rust's exact formatting, which agrees (a test compares them).
fn fixed_exact(abs: f64, precision: usize, alt: bool, buf: &mut [u8; FIXED_BUF]) -> Option<&[u8]> {
    const MAX_PRECISION: usize = 19;
    if precision > MAX_PRECISION {
        return None;
    }
    let bits = abs.to_bits();
    let biased = (bits >> 52) as i64 & 0x7ff;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exp) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let scale = 10u128.pow(precision as u32);
    // mantissa < 2^53 and scale < 2^64: the product fits.
    let scaled = u128::from(mantissa) * scale;
    let rounded = if exp >= 0 {
        // An integer: at most 2^63 so that the scaled value fits too.
        if exp > 10 {
            return None;
        }
        scaled << exp
    } else {
        let shift = exp.unsigned_abs() as u32;
        if shift >= 128 {
            // Below half of the last place (scaled < 2^117): rounds to zero.
            0
        } else {
            let quotient = scaled >> shift;
            let remainder = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            if remainder > half || (remainder == half && quotient & 1 == 1) {
                quotient + 1
            } else {
                quotient
            }
        }
    };
    // The value is below 2^63 and the scale at most 10^19, so both parts fit a `u64`;
    // most values fit one whole, where the division is cheaper.
    let (mut int_part, mut frac_part) = match u64::try_from(rounded) {
        Ok(small) => (small / scale as u64, small % scale as u64),
        Err(_) => ((rounded / scale) as u64, (rounded % scale) as u64),
    };
    // Written backwards from the end: decimals, point, integer digits.
    let mut at = FIXED_BUF;
    for _ in 0..precision {
        at -= 1;
        buf[at] = b'0' + (frac_part % 10) as u8;
        frac_part /= 10;
    }
    if precision > 0 || alt {
        at -= 1;
        buf[at] = b'.';
    }
    loop {
        at -= 1;
        buf[at] = b'0' + (int_part % 10) as u8;
        int_part /= 10;
        if int_part == 0 {
            break;
        }
    }
    Some(&buf[at..])
}

/// `%.{p}e` of a non-negative finite float, with C's two-digit signed exponent.
fn exp_form(abs: f64, precision: usize, alt: bool) -> String {
    let (mantissa, exp) = exp_parts(abs, precision);
    let dot = if alt && precision == 0 { "." } else { "" };
    format!("{mantissa}{dot}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

/// Rust's `{:.p$e}` split into mantissa and exponent.
fn exp_parts(abs: f64, precision: usize) -> (String, i32) {
    let text = format!("{abs:.precision$e}");
    match text.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (text, 0),
    }
}

fn fixed_form(abs: f64, precision: usize, alt: bool) -> String {
    let mut s = format!("{abs:.precision$}");
    if alt && precision == 0 {
        s.push('.');
    }
    s
}

/// C's `%g`: `%e` or `%f` by the decimal exponent, trailing zeros removed unless `#`.
fn general_form(abs: f64, precision: usize, alt: bool) -> String {
    let p = precision.max(1);
    let (_, x) = exp_parts(abs, p - 1);
    let x = x as i64;
    let p = p as i64;
    if x >= -4 && x < p {
        let s = fixed_form(abs, (p - 1 - x) as usize, alt);
        if alt {
            s
        } else {
            strip_fraction_zeros(&s).to_string()
        }
    } else {
        let s = exp_form(abs, (p - 1) as usize, alt);
        if alt {
            return s;
        }
        match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", strip_fraction_zeros(m)),
            None => s,
        }
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `%a` without the `0x` prefix and sign, as glibc prints it: `1.8p+1`, subnormals as
/// `0.xxxp-1022`, rounding to `precision` hex digits with ties to even.
fn hex_form(abs: f64, precision: Option<usize>, alt: bool) -> String {
    let bits = abs.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let mut mantissa = bits & ((1u64 << 52) - 1);
    let (mut lead, exp) = if abs == 0.0 {
        (0u64, 0)
    } else if exp_bits == 0 {
        (0, -1022)
    } else {
        (1, exp_bits - 1023)
    };
    let digits = match precision {
        None => {
            let mut d = format!("{mantissa:013x}");
            while d.ends_with('0') {
                d.pop();
            }
            d
        }
        Some(p) if p >= 13 => format!("{mantissa:013x}{}", "0".repeat(p - 13)),
        Some(p) => {
            let shift = (13 - p) * 4;
            let mut keep = mantissa >> shift;
            let rest = mantissa & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            let odd = if p == 0 { lead & 1 == 1 } else { keep & 1 == 1 };
            if rest > half || (rest == half && odd) {
                keep += 1;
                if keep >> (p * 4) != 0 {
                    // The carry reaches the leading digit, which glibc lets become 2.
                    lead += 1;
                    keep &= (1u64 << (p * 4)) - 1;
                }
            }
            mantissa = keep;
            if p == 0 {
                String::new()
            } else {
                format!("{mantissa:0p$x}")
            }
        }
    };
    let dot = if digits.is_empty() && !alt { "" } else { "." };
    format!("{lead}{dot}{digits}p{}{}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

/// `%q` of a string: a Lua string literal that reads back as the same bytes.
pub fn quote_string(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(b);
            }
            0..=31 | 127 => {
                // Three digits when a digit follows, so the escape cannot absorb it.
                let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                let escape = if next_is_digit { format!("\\{b:03}") } else { format!("\\{b}") };
                out.extend_from_slice(escape.as_bytes());
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// `%q` of a float: hex float text that reads back exactly, or Lua's spellings of the
/// values that have no literal.
pub fn quote_float(f: f64) -> String {
    if f.is_nan() {
        "(0/0)".into()
    } else if f == f64::INFINITY {
        "1e9999".into()
    } else if f == f64::NEG_INFINITY {
        "-1e9999".into()
    } else {
        let sign = if f.is_sign_negative() { "-" } else { "" };
        format!("{sign}0x{}", hex_form(f.abs(), None, false))
    }
}

/// `%q` of an integer; the smallest integer has no decimal literal, so it is hex.
pub fn quote_int(n: i64) -> String {
    if n == i64::MIN {
        "0x8000000000000000".into()
    } else {
        n.to_string()
    }
}

/// Whether `c` may appear between `%` and the conversion letter.
fn is_spec_byte(c: u8) -> bool {
    matches!(c, b'-' | b'+' | b' ' | b'#' | b'.' | b'0'..=b'9')
}

/// `string.format(fmt, ...)`: the formatted bytes. The format is read in place from the
/// heap and conversions are written straight into the result.
pub fn format(vm: &mut Vm, args: Args) -> Result<Vec<u8>, RuntimeError> {
    let fmt = args.string(vm, 0)?;
    let fmt_len = vm.heap().str(fmt).len();
    // Above this the result is checked against the string limit and the heap's room.
    let max = vm.limits().max_string.min(vm.heap().limit().saturating_sub(vm.heap().bytes()));
    let mut out = Vec::with_capacity(fmt_len + 8 * args.len());
    let mut arg = 0;
    let mut i = 0;
    while i < fmt_len {
        let bytes = vm.heap().str(fmt).as_bytes();
        // The literal text up to the next '%', whole.
        let literal = bytes[i..].iter().position(|&c| c == b'%').unwrap_or(fmt_len - i);
        out.extend_from_slice(&bytes[i..i + literal]);
        i += literal + 1;
        if i > fmt_len {
            break;
        }
        if bytes.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        arg += 1;
        if arg >= args.len() {
            return Err(args.error(arg, "no value"));
        }
        let span = bytes[i..].iter().take_while(|&&c| is_spec_byte(c)).count();
        if span + 1 > MAX_SPEC {
            return Err(RuntimeError::runtime("invalid format (too long)"));
        }
        let Some(&conv) = bytes.get(i + span) else {
            let form = String::from_utf8_lossy(&bytes[i..]);
            return Err(RuntimeError::runtime(format!("invalid conversion '%{form}' to 'format'")));
        };
        // A copy of the specification, so the heap is free for converting arguments.
        let mut form_buf = [0u8; MAX_SPEC];
        form_buf[..span + 1].copy_from_slice(&bytes[i..i + span + 1]);
        let form = &form_buf[..span + 1];
        i += span + 1;
        let spec = |flags: &[u8], precision_ok: bool| {
            if span == 0 {
                // Just the letter: nothing to check.
                return Ok(Spec::default());
            }
            Spec::parse(form, flags, precision_ok).map_err(RuntimeError::runtime)
        };
        match conv {
            b'c' => {
                let spec = spec(FLAGS_CHAR, false)?;
                let n = args.int(vm, arg)?;
                spec.pad_into(&mut out, b"", b"", 0, &[n as u8], false);
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let flags = match conv {
                    b'd' | b'i' => FLAGS_INT,
                    b'u' => FLAGS_UNSIGNED,
                    _ => FLAGS_HEX,
                };
                let spec = spec(flags, true)?;
                let n = args.int(vm, arg)?;
                write_int(&mut out, &spec, conv, n);
            }
            b'a' | b'A' | b'e' | b'E' | b'f' | b'g' | b'G' => {
                let spec = spec(FLAGS_FLOAT, true)?;
                let f = args.float(vm, arg)?;
                write_float(&mut out, &spec, conv, f);
            }
            b'q' => {
                if span != 0 {
                    return Err(RuntimeError::runtime("specifier '%q' cannot have modifiers"));
                }
                match args.get(arg) {
                    Value::Str(s) => quote_string(vm.heap().str(s).as_bytes(), &mut out),
                    Value::Int(n) => out.extend_from_slice(quote_int(n).as_bytes()),
                    Value::Float(f) => out.extend_from_slice(quote_float(f).as_bytes()),
                    Value::Nil => out.extend_from_slice(b"nil"),
                    Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                    _ => return Err(args.error(arg, "value has no literal form")),
                }
            }
            b's' => {
                let s = vm.to_string_value(args.get(arg))?;
                let bytes = vm.heap().str(s).as_bytes();
                if span == 0 {
                    out.extend_from_slice(bytes);
                } else {
                    if bytes.contains(&0) {
                        return Err(args.error(arg, "string contains zeros"));
                    }
                    let spec = spec(FLAGS_CHAR, true)?;
                    match spec.precision {
                        // Lua copies long strings whole when there is no precision.
                        None if bytes.len() >= 100 => out.extend_from_slice(bytes),
                        p => {
                            let shown = &bytes[..p.unwrap_or(usize::MAX).min(bytes.len())];
                            spec.pad_into(&mut out, b"", b"", 0, shown, false);
                        }
                    }
                }
            }
            _ => {
                let form = String::from_utf8_lossy(form);
                return Err(RuntimeError::runtime(format!("invalid conversion '%{form}' to 'format'")));
            }
        }
        if out.len() > max {
            vm.check_string_size(out.len())?;
        }
    }
    vm.check_string_size(out.len())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(form: &str, flags: &[u8]) -> Spec {
        Spec::parse(form.as_bytes(), flags, true).expect("valid spec")
    }

    fn int(form: &str, n: i64) -> String {
        let conv = *form.as_bytes().last().expect("conversion");
        let mut out = Vec::new();
        write_int(&mut out, &spec(form, b"-+ #0"), conv, n);
        String::from_utf8(out).expect("ascii")
    }

    fn float(form: &str, f: f64) -> String {
        let conv = *form.as_bytes().last().expect("conversion");
        let mut out = Vec::new();
        write_float(&mut out, &spec(form, FLAGS_FLOAT), conv, f);
        String::from_utf8(out).expect("ascii")
    }

    // Expected values from lua5.4's string.format.
    #[test]
    fn integers() {
        assert_eq!(int("99d", 1).len(), 99);
        assert_eq!(int("x", -1), "ffffffffffffffff");
        assert_eq!(int("+.3d", 7), "+007");
        assert_eq!(int(" d", 7), " 7");
        assert_eq!(int("#x", 255), "0xff");
        assert_eq!(int("#x", 0), "0");
        assert_eq!(int("#o", 8), "010");
        assert_eq!(int("#.0o", 0), "0");
        assert_eq!(int("u", -1), "18446744073709551615");
        assert_eq!(int(".3x", 5), "005");
        assert_eq!(int("+08d", 42), "+0000042");
        assert_eq!(int("-08d", 42), "42      ");
        assert_eq!(int("5.d", 0), "     ");
        assert_eq!(int(".0d", 0), "");
        assert_eq!(int("5.3d", -7), " -007");
        assert_eq!(int("d", i64::MIN), "-9223372036854775808");
    }

    #[test]
    fn floats() {
        assert_eq!(float("e", 12345.678), "1.234568e+04");
        assert_eq!(float(".0e", 5.5), "6e+00");
        assert_eq!(float("#.0e", 5.0), "5.e+00");
        assert_eq!(float("e", 0.0), "0.000000e+00");
        assert_eq!(float("g", 1e20), "1e+20");
        assert_eq!(float("g", 0.0001), "0.0001");
        assert_eq!(float("g", 0.00001), "1e-05");
        assert_eq!(float("#g", 1.0), "1.00000");
        assert_eq!(float("G", 1e-10), "1E-10");
        assert_eq!(float("g", -0.0), "-0");
        assert_eq!(float(".0g", 123.0), "1e+02");
        assert_eq!(float("#.3g", 100.0), "100.");
        assert_eq!(float("g", 100000.0), "100000");
        assert_eq!(float("g", 1000000.0), "1e+06");
        assert_eq!(float(".3g", 0.0001234), "0.000123");
        assert_eq!(float(".14g", 0.1), "0.1");
        assert_eq!(float(".20f", 0.1), "0.10000000000000000555");
        assert_eq!(float("08.3f", -4.56789), "-004.568");
        assert_eq!(float(" 08.2e", 1234.5), " 1.23e+03");
        assert_eq!(float(".0f", 0.5), "0");
        assert_eq!(float(".0f", 1.5), "2");
        assert_eq!(float(".0f", 2.5), "2");
        assert_eq!(float(".f", 1.5), "2");
        assert_eq!(float("f", f64::NAN.copysign(-1.0)), "-nan");
        assert_eq!(float("5.1f", f64::NEG_INFINITY), " -inf");
        assert_eq!(float("05.1f", f64::NEG_INFINITY), " -inf");
        assert_eq!(float("f", 1e300).len(), 301 + 7);
    }

    #[test]
    fn hex_floats() {
        assert_eq!(float("a", 1.0), "0x1p+0");
        assert_eq!(float("A", 0.5), "0X1P-1");
        assert_eq!(float("a", 0.0), "0x0p+0");
        assert_eq!(float("a", -0.1), "-0x1.999999999999ap-4");
        assert_eq!(float(".3a", 1.0 / 3.0), "0x1.555p-2");
        assert_eq!(float("a", 5e-324), "0x0.0000000000001p-1022");
        assert_eq!(float(".0a", 1.5), "0x2p+0");
        assert_eq!(float(".1a", 1.96875), "0x2.0p+0");
        assert_eq!(float("#a", 1.0), "0x1.p+0");
        assert_eq!(float(".0a", 2.5), "0x1p+1");
        assert_eq!(float("10.4a", -1.0), "-0x1.0000p+0");
        assert_eq!(float("-12a", 3.0), "0x1.8p+1    ");
        assert_eq!(float("012a", 3.0), "0x00001.8p+1");
        assert_eq!(float("+a", 3.0), "+0x1.8p+1");
        assert_eq!(float("a", f64::INFINITY), "inf");
    }

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        quote_string(b"a\nb\0c\"\\\r\x7f2\x80", &mut out);
        assert_eq!(out, b"\"a\\\nb\\0c\\\"\\\\\\13\\1272\x80\"");
        out.clear();
        quote_string(b"\r\t\x001", &mut out);
        assert_eq!(out, b"\"\\13\\9\\0001\"");
        assert_eq!(quote_float(1.0), "0x1p+0");
        assert_eq!(quote_float(-0.0), "-0x0p+0");
        assert_eq!(quote_float(1.5), "0x1.8p+0");
        assert_eq!(quote_float(1e100), "0x1.249ad2594c37dp+332");
        assert_eq!(quote_float(f64::NEG_INFINITY), "-1e9999");
        assert_eq!(quote_float(f64::NAN), "(0/0)");
        assert_eq!(quote_int(i64::MIN), "0x8000000000000000");
    }

    #[test]
    fn specification_limits() {
        assert!(Spec::parse(b"99d", FLAGS_INT, true).is_ok());
        assert_eq!(
            Spec::parse(b"100d", FLAGS_INT, true),
            Err("invalid conversion specification: '%100d'".to_string())
        );
        assert!(Spec::parse(b".99f", FLAGS_FLOAT, true).is_ok());
        assert!(Spec::parse(b".100f", FLAGS_FLOAT, true).is_err());
        assert!(Spec::parse(b"#c", FLAGS_CHAR, false).is_err());
        assert!(Spec::parse(b"05s", FLAGS_CHAR, true).is_err());
        assert!(Spec::parse(b"-+ #0d", FLAGS_INT, true).is_err());
        assert!(Spec::parse(b"1.2.3d", FLAGS_INT, true).is_err());
    }

    /// The integer-arithmetic `%f` agrees with Rust's exact formatting (the slow path):
    /// ties, values near powers of ten and two, subnormals, every precision it takes.
    #[test]
    fn fixed_fast_path_matches_exact_formatting() {
        let mut values = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            1e-300,
            5e-324,
            2.2250738585072014e-308,
            0.1,
            0.05,
            0.005,
            0.0005,
            9.5,
            99.95,
            999.9995,
            1e15,
            123456789.125,
            2f64.powi(53),
            2f64.powi(62),
            2f64.powi(63) - 1024.0,
            2f64.powi(63),
            1e19,
            1e22,
            4.35,
            2.675,
            1.005,
            1234.5678,
            1.0 / 3.0,
            2.0 / 3.0,
        ];
        // A fixed-seed walk through many magnitudes and fractions.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let exp = (x >> 52) % 90;
            let value = f64::from_bits((x & ((1 << 52) - 1)) | ((1023 - 60 + exp) << 52));
            values.push(value);
            values.push((x % 100_000) as f64 / 8.0);
            values.push((x % 1_000_000) as f64 / 1000.0);
        }
        for &value in &values {
            for precision in 0..=22 {
                for alt in [false, true] {
                    let mut buf = [0u8; FIXED_BUF];
                    let Some(fast) = fixed_exact(value, precision, alt, &mut buf) else { continue };
                    let exact = fixed_form(value, precision, alt);
                    assert_eq!(std::str::from_utf8(fast).expect("ascii"), exact, "{value:e} .{precision}");
                }
            }
        }
    }
}
