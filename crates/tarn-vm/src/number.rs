//! Lua 5.4 number semantics: integer/float arithmetic, comparisons across the two
//! subtypes, conversions, and the textual forms `tostring` and `tonumber` use.
//!
//! Integer `+ - *` wrap around; `//` and `%` floor (the remainder takes the divisor's
//! sign) and fail on a zero integer divisor; `/` and `^` always produce floats. Integer
//! and float compare by exact mathematical value, never by converting one side lossily.

/// The float `f` as an integer if it has an exact integer value in range.
#[inline]
pub fn float_to_int_exact(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every float in [-2^63, 2^63) with no fraction fits.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) && f.fract() == 0.0 {
        Some(f as i64)
    } else {
        None
    }
}

/// `i == f` by mathematical value.
#[inline]
pub fn int_eq_float(i: i64, f: f64) -> bool {
    float_to_int_exact(f) == Some(i)
}

/// `i < f` by mathematical value.
pub fn int_lt_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        return false;
    }
    // Compare against the ceiling: i < f  ⇔  i < ceil(f) for integers.
    let c = f.ceil();
    if c >= 9_223_372_036_854_775_808.0 {
        true
    } else if c < -9_223_372_036_854_775_808.0 {
        false
    } else {
        i < c as i64
    }
}

/// `i <= f` by mathematical value.
pub fn int_le_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        return false;
    }
    let fl = f.floor();
    if fl >= 9_223_372_036_854_775_808.0 {
        true
    } else if fl < -9_223_372_036_854_775_808.0 {
        false
    } else {
        i <= fl as i64
    }
}

/// `f < i` by mathematical value.
pub fn float_lt_int(f: f64, i: i64) -> bool {
    if f.is_nan() {
        return false;
    }
    !int_le_float(i, f)
}

/// `f <= i` by mathematical value.
pub fn float_le_int(f: f64, i: i64) -> bool {
    if f.is_nan() {
        return false;
    }
    !int_lt_float(i, f)
}

/// Integer floor division; `None` when dividing by zero.
#[inline]
pub fn int_idiv(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(a.wrapping_neg());
    }
    let q = a / b;
    Some(if (a % b != 0) && ((a < 0) != (b < 0)) { q - 1 } else { q })
}

/// Integer modulo with the divisor's sign; `None` when dividing by zero.
#[inline]
pub fn int_mod(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(0);
    }
    let r = a % b;
    Some(if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r })
}

/// Float modulo as Lua defines it (`a - floor(a/b)*b`, computed with `fmod`).
#[inline]
pub fn float_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

#[inline]
pub fn float_idiv(a: f64, b: f64) -> f64 {
    (a / b).floor()
}

/// Logical shift left; negative counts shift right; counts of 64 or more give 0.
#[inline]
pub fn shift_left(x: i64, n: i64) -> i64 {
    if n <= -64 || n >= 64 {
        0
    } else if n >= 0 {
        ((x as u64) << n) as i64
    } else {
        ((x as u64) >> (-n)) as i64
    }
}

/// Logical shift right.
#[inline]
pub fn shift_right(x: i64, n: i64) -> i64 {
    shift_left(x, n.wrapping_neg())
}

/// The decimal text of `n` (what `tostring` gives), written into `buf` without
/// allocating: twenty bytes hold every `i64`, sign included.
pub fn int_text(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut magnitude = n.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// Formats a float as Lua's `%.14g`, adding `.0` when the result looks like an integer.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let mut s = format_g(f, 14);
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        s.push_str(".0");
    }
    s
}

/// C's `%.{precision}g` for a finite float.
pub fn format_g(f: f64, precision: usize) -> String {
    let precision = precision.max(1);
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Scientific form with `precision` significant digits decides the exponent.
    let sci = format!("{:.*e}", precision - 1, f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let mantissa = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
    } else {
        let decimals = (precision as i32 - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{f:.decimals$}")).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Converts a string to a number as Lua does (`tonumber` without a base, and arithmetic
/// coercion): surrounding whitespace allowed; decimal or hex integers (hex wraps around,
/// decimal overflow becomes a float); decimal or hex floats. No `inf`/`nan` spellings.
pub fn parse_number(text: &[u8]) -> Option<NumberValue> {
    let s = std::str::from_utf8(text).ok()?.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    if s.is_empty() {
        return None;
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return parse_hex(hex, negative);
    }
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    if body.bytes().all(|b| b.is_ascii_digit()) {
        // Decimal integer, or a float if it does not fit.
        let mut acc: i64 = 0;
        let mut overflow = false;
        for b in body.bytes() {
            match acc.checked_mul(10).and_then(|a| a.checked_add(i64::from(b - b'0'))) {
                Some(a) => acc = a,
                None => {
                    overflow = true;
                    break;
                }
            }
        }
        if !overflow {
            return Some(NumberValue::Int(if negative { acc.wrapping_neg() } else { acc }));
        }
        // "-9223372036854775808" overflows the positive accumulator but is an integer.
        if negative && body == "9223372036854775808" {
            return Some(NumberValue::Int(i64::MIN));
        }
    }
    // Rust's float grammar is a superset here except it accepts "inf"/"nan" (excluded
    // above by the character check) and requires a digit somewhere.
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: f64 = body.parse().ok()?;
    Some(NumberValue::Float(if negative { -f } else { f }))
}

fn parse_hex(hex: &str, negative: bool) -> Option<NumberValue> {
    let (mantissa, exponent) = match hex.find(['p', 'P']) {
        Some(i) => (&hex[..i], Some(&hex[i + 1..])),
        None => (hex, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    if int_part.is_empty() && frac_part.map_or(true, |f| f.is_empty()) {
        return None;
    }
    let all_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if !all_hex(int_part) || !frac_part.map_or(true, all_hex) {
        return None;
    }
    if frac_part.is_none() && exponent.is_none() {
        // Hex integer: wraps around modulo 2^64.
        let mut acc: u64 = 0;
        for b in int_part.bytes() {
            acc = acc.wrapping_mul(16).wrapping_add(u64::from(hex_digit(b)));
        }
        let v = acc as i64;
        return Some(NumberValue::Int(if negative { v.wrapping_neg() } else { v }));
    }
    let mut value = 0.0f64;
    for b in int_part.bytes() {
        value = value * 16.0 + f64::from(hex_digit(b));
    }
    let mut scale = 1.0 / 16.0;
    for b in frac_part.unwrap_or("").bytes() {
        value += f64::from(hex_digit(b)) * scale;
        scale /= 16.0;
    }
    if let Some(exp) = exponent {
        let (sign, digits) = match exp.as_bytes().first() {
            Some(b'-') => (-1i32, &exp[1..]),
            Some(b'+') => (1, &exp[1..]),
            _ => (1, exp),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let e: i32 = digits.parse::<i32>().unwrap_or(i32::MAX / 2).min(100_000);
        value *= 2f64.powi(sign * e);
    }
    Some(NumberValue::Float(if negative { -value } else { value }))
}

fn hex_digit(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// A number parsed from text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberValue {
    Int(i64),
    Float(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_lua() {
        assert_eq!(format_float(1e15), "1e+15");
        assert_eq!(format_float(2f64.powi(53)), "9.007199254741e+15");
        assert_eq!(format_float(1.0 / 3.0), "0.33333333333333");
        assert_eq!(format_float(-0.0), "-0.0");
        assert_eq!(format_float(50.0), "50.0");
        assert_eq!(format_float(1e100), "1e+100");
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(1e-5), "1e-05");
        assert_eq!(format_float(123456.789), "123456.789");
        assert_eq!(format_float(f64::INFINITY), "inf");
    }

    #[test]
    fn floor_division_and_modulo() {
        assert_eq!(int_idiv(-3, 2), Some(-2));
        assert_eq!(int_idiv(3, -2), Some(-2));
        assert_eq!(int_idiv(i64::MIN, -1), Some(i64::MIN));
        assert_eq!(int_mod(3, -2), Some(-1));
        assert_eq!(int_mod(-3, 2), Some(1));
        assert_eq!(int_mod(5, 0), None);
        assert_eq!(float_mod(-3.0, 2.0), 1.0);
        assert_eq!(float_mod(3.0, -2.0), -1.0);
    }

    #[test]
    fn mixed_comparisons_are_exact() {
        assert!(int_lt_float(i64::MAX, 9_223_372_036_854_775_808.0));
        assert!(!int_eq_float(i64::MAX, 9_223_372_036_854_775_808.0));
        assert!(int_le_float(1, 1.0));
        assert!(!int_lt_float(1, 1.0));
        assert!(float_lt_int(0.5, 1));
        assert!(!float_le_int(f64::NAN, 1));
    }

    #[test]
    fn parses_numbers_like_lua() {
        assert_eq!(parse_number(b" 10 "), Some(NumberValue::Int(10)));
        assert_eq!(parse_number(b"0x10"), Some(NumberValue::Int(16)));
        assert_eq!(parse_number(b"0xffffffffffffffff"), Some(NumberValue::Int(-1)));
        assert_eq!(parse_number(b"9223372036854775808"), Some(NumberValue::Float(9.223372036854776e18)));
        assert_eq!(parse_number(b"-9223372036854775808"), Some(NumberValue::Int(i64::MIN)));
        assert_eq!(parse_number(b"1e2"), Some(NumberValue::Float(100.0)));
        assert_eq!(parse_number(b"0x1p4"), Some(NumberValue::Float(16.0)));
        assert_eq!(parse_number(b".5"), Some(NumberValue::Float(0.5)));
        assert_eq!(parse_number(b"inf"), None);
        assert_eq!(parse_number(b"nan"), None);
        assert_eq!(parse_number(b"1e"), None);
        assert_eq!(parse_number(b""), None);
        assert_eq!(parse_number(b"0x"), None);
    }
}
