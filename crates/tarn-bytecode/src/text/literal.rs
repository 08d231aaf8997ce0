//! How values are spelled in `.tasm`: names, strings, numbers and pool constants, in both
//! directions.
//!
//! The assembler and the disassembler share these functions so that the round trip is
//! exact by construction: every spelling [`constant`], [`float`] or [`quote`] produces is
//! read back by [`parse_number`] / the lexer into the same bits and bytes. Where a compact
//! spelling would lose something (a NaN payload, a float the shortest decimal form would
//! not reproduce), the exact form `float(0x…)` is used instead.

use std::fmt::Write;

use crate::module::Constant;

/// The bit pattern `nan` stands for (the quiet NaN with no payload and a clear sign bit).
pub(super) const CANONICAL_NAN_BITS: u64 = 0x7ff8_0000_0000_0000;

/// Whether `c` may start an identifier.
pub(super) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// Whether `c` may continue an identifier.
pub(super) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `s` can be written without quotes where a name is expected.
pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
}

/// A name as the assembler reads it back: bare if it is an identifier, quoted otherwise.
pub(super) fn name(s: &str) -> String {
    if is_ident(s) {
        s.to_string()
    } else {
        quote(s.as_bytes())
    }
}

/// Characters that are legal inside a string but would make the text misleading or
/// fragile to edit (line breaks, invisible and bidirectional-control characters): these
/// are written as `\u{…}` escapes.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// A byte string as a quoted literal: valid UTF-8 is kept readable, every other byte is a
/// `\xHH` escape.
pub(super) fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\0' => out.push_str("\\0"),
                c if needs_escape(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('"');
    out
}

/// A float spelled so that [`parse_number`] returns exactly the same bits.
pub(super) fn float(value: f64) -> String {
    let bits = value.to_bits();
    if bits == CANONICAL_NAN_BITS {
        return "nan".into();
    }
    if value == f64::INFINITY {
        return "inf".into();
    }
    if value == f64::NEG_INFINITY {
        return "-inf".into();
    }
    if value.is_finite() {
        // Rust's `{:?}` is the shortest decimal that parses back to the same value; it is
        // checked anyway, so the text never depends on that promise.
        let text = format!("{value:?}");
        if let Ok(Number::Float(back)) = parse_number(&text) {
            if back.to_bits() == bits {
                return text;
            }
        }
    }
    format!("float(0x{bits:016x})")
}

/// A pool constant as it is written after `.pool`.
pub(super) fn constant(value: &Constant) -> String {
    match value {
        Constant::Nil => "nil".into(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => float(*f),
        Constant::Str(bytes) => quote(bytes),
    }
}

/// A short form of a constant for comments: long strings are cut.
pub(super) fn constant_comment(value: &Constant) -> String {
    const MAX_BYTES: usize = 40;
    match value {
        Constant::Str(bytes) if bytes.len() > MAX_BYTES => {
            let mut text = quote(&bytes[..MAX_BYTES]);
            text.push('…');
            text
        }
        other => constant(other),
    }
}

/// A number token's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Number {
    /// Written without a fraction or exponent. Wide enough for every integer operand and
    /// constant; larger magnitudes are reported as out of range.
    Int(i128),
    Float(f64),
}

/// Why a number token has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NumberError {
    /// Too many digits for any integer the format can hold.
    TooLarge,
    Malformed,
}

/// Parses the text of a number token (see the lexer): an optional sign, then decimal
/// digits with an optional fraction and exponent, or `0x` and hex digits.
pub(super) fn parse_number(text: &str) -> Result<Number, NumberError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() {
        return Err(NumberError::Malformed);
    }
    let (radix, digits) = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None => (10, body),
    };
    if radix == 10 && body.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        // The lexer only produces decimal floats Rust's parser accepts; anything else is
        // rejected here rather than trusted.
        if !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
            return Err(NumberError::Malformed);
        }
        return text.parse::<f64>().map(Number::Float).map_err(|_| NumberError::Malformed);
    }
    if digits.is_empty() {
        return Err(NumberError::Malformed);
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix).ok_or(NumberError::Malformed)?;
        value = value
            .checked_mul(i128::from(radix))
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or(NumberError::TooLarge)?;
    }
    Ok(Number::Int(if negative { -value } else { value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_spell_back_to_the_same_bits() {
        let samples = [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e16,
            1e-7,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::from_bits(CANONICAL_NAN_BITS),
            f64::from_bits(0x7ff0_0000_0000_0001),
            f64::from_bits(0xfff8_0000_0000_0000),
        ];
        for value in samples {
            let text = float(value);
            let back = match text.as_str() {
                "nan" => f64::from_bits(CANONICAL_NAN_BITS),
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                t if t.starts_with("float(") => {
                    let hex = &t["float(0x".len()..t.len() - 1];
                    f64::from_bits(u64::from_str_radix(hex, 16).unwrap())
                }
                t => match parse_number(t) {
                    Ok(Number::Float(f)) => f,
                    other => panic!("{t} parsed as {other:?}"),
                },
            };
            assert_eq!(back.to_bits(), value.to_bits(), "{text}");
        }
    }

    #[test]
    fn integers_parse_with_sign_and_radix() {
        assert_eq!(parse_number("-9223372036854775808"), Ok(Number::Int(i128::from(i64::MIN))));
        assert_eq!(parse_number("0xff"), Ok(Number::Int(255)));
        assert_eq!(parse_number("-0x10"), Ok(Number::Int(-16)));
        assert_eq!(parse_number("1".repeat(60).as_str()), Err(NumberError::TooLarge));
        assert_eq!(parse_number("0x"), Err(NumberError::Malformed));
    }

    #[test]
    fn quoting_escapes_what_is_not_plain_text() {
        assert_eq!(quote(b"a\"b\\c\n\xff\x00"), r#""a\"b\\c\n\xff\0""#);
        assert_eq!(quote("é\u{2028}".as_bytes()), "\"é\\u{2028}\"");
        assert_eq!(name("fib"), "fib");
        assert_eq!(name("obj:m"), "\"obj:m\"");
    }
}
