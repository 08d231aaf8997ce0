//! The Lua 5.4 lexer: source bytes to [`Token`]s, one at a time, on demand.
//!
//! It works directly on the byte slice (Lua source is bytes, not UTF-8): no per-character
//! allocation, no regex; names and strings are interned into [`Strings`]; string escapes
//! are decoded into one reused buffer. It follows `llex.c` closely where behaviour is
//! visible: which bytes a numeral swallows before it is converted, escape rules, newline
//! counting (`\n`, `\r`, `\r\n`, `\n\r` are one line break each) and the text shown after
//! `near` in messages.
//!
//! Not here: skipping a `#` first line (the caller does that, as Lua's file loader does),
//! or any grammar.
//!
//! Invariants: `pos <= src.len()`; `line` is the line of the byte at `pos`; a returned
//! [`Lexeme`]'s `line` is the line where the token ends (Lua's `linenumber` after reading
//! it), which is the line Lua reports for errors at that token.

use crate::error::{CompileError, ErrorKind};
use crate::token::{quote_byte, StrId, Strings, Token};

/// Largest line number; Lua stops at `INT_MAX` with "chunk has too many lines".
const MAX_LINE: u32 = i32::MAX as u32;

/// A token with where it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lexeme {
    pub tok: Token,
    /// Line where the token ends.
    pub line: u32,
    /// Byte offsets of the token's source text.
    pub start: usize,
    pub end: usize,
}

pub(crate) struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    line: u32,
    /// Formatted chunk id for messages.
    pub chunk: String,
    pub strings: Strings,
    buf: Vec<u8>,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Lua's `lisspace`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'f' => u32::from(c - b'a' + 10),
        b'A'..=b'F' => u32::from(c - b'A' + 10),
        _ => 0,
    }
}

impl<'s> Lexer<'s> {
    /// A lexer over `src` starting at byte `pos` (after any skipped first line).
    pub fn new(src: &'s [u8], pos: usize, chunk: String) -> Self {
        Lexer { src, pos: pos.min(src.len()), line: 1, chunk, strings: Strings::default(), buf: Vec::new() }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    fn error(&self, msg: &str, near: Option<&[u8]>) -> CompileError {
        CompileError::new(ErrorKind::Lexical, &self.chunk, self.line, msg, near)
    }

    /// `near <eof>` errors.
    fn error_eof(&self, msg: &str) -> CompileError {
        self.error(msg, Some(b"<eof>"))
    }

    /// Skips one line break (`\n`, `\r`, `\r\n` or `\n\r`) at `pos` and counts it.
    fn newline(&mut self) -> Result<(), CompileError> {
        let first = self.src[self.pos];
        self.pos += 1;
        if let Some(c) = self.peek() {
            if (c == b'\n' || c == b'\r') && c != first {
                self.pos += 1;
            }
        }
        if self.line >= MAX_LINE {
            return Err(CompileError::new(
                ErrorKind::Limit,
                &self.chunk,
                self.line,
                "chunk has too many lines",
                None,
            ));
        }
        self.line += 1;
        Ok(())
    }

    /// Reads the next token.
    pub fn next_token(&mut self) -> Result<Lexeme, CompileError> {
        loop {
            let start = self.pos;
            let Some(c) = self.peek() else {
                return Ok(Lexeme { tok: Token::Eof, line: self.line, start, end: start });
            };
            let tok = match c {
                b'\n' | b'\r' => {
                    self.newline()?;
                    continue;
                }
                b' ' | b'\t' | 0x0b | 0x0c => {
                    self.pos += 1;
                    continue;
                }
                b'-' => {
                    if self.peek_at(1) != Some(b'-') {
                        self.pos += 1;
                        Token::Minus
                    } else {
                        self.pos += 2;
                        self.comment()?;
                        continue;
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 2 {
                        let line = self.line;
                        self.pos += 1; // the second '['
                        self.buf.clear();
                        self.long_string(sep, true, line)?;
                        Token::Str(self.strings.intern(&self.buf))
                    } else if sep == 0 {
                        let near = format!("'{}'", String::from_utf8_lossy(&self.src[start..self.pos]));
                        return Err(self.error("invalid long string delimiter", Some(near.as_bytes())));
                    } else {
                        Token::LBracket
                    }
                }
                b'=' => self.one_or_two(b'=', Token::Eq, Token::Assign),
                b'<' => match self.peek_at(1) {
                    Some(b'=') => self.take(2, Token::Le),
                    Some(b'<') => self.take(2, Token::Shl),
                    _ => self.take(1, Token::Lt),
                },
                b'>' => match self.peek_at(1) {
                    Some(b'=') => self.take(2, Token::Ge),
                    Some(b'>') => self.take(2, Token::Shr),
                    _ => self.take(1, Token::Gt),
                },
                b'/' => self.one_or_two(b'/', Token::DSlash, Token::Slash),
                b'~' => self.one_or_two(b'=', Token::Ne, Token::Tilde),
                b':' => self.one_or_two(b':', Token::DColon, Token::Colon),
                b'"' | b'\'' => Token::Str(self.short_string(c)?),
                b'.' => {
                    if self.peek_at(1) == Some(b'.') {
                        if self.peek_at(2) == Some(b'.') {
                            self.take(3, Token::Dots)
                        } else {
                            self.take(2, Token::Concat)
                        }
                    } else if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
                        self.pos += 1;
                        self.numeral(start)?
                    } else {
                        self.take(1, Token::Dot)
                    }
                }
                b'0'..=b'9' => self.numeral(start)?,
                c if is_name_start(c) => {
                    let mut end = self.pos + 1;
                    while end < self.src.len() && is_name_char(self.src[end]) {
                        end += 1;
                    }
                    let name = &self.src[start..end];
                    self.pos = end;
                    match Token::keyword(name) {
                        Some(k) => k,
                        None => Token::Name(self.strings.intern(name)),
                    }
                }
                _ => {
                    self.pos += 1;
                    match c {
                        b'+' => Token::Plus,
                        b'*' => Token::Star,
                        b'%' => Token::Percent,
                        b'^' => Token::Caret,
                        b'#' => Token::Hash,
                        b'&' => Token::Amp,
                        b'|' => Token::Pipe,
                        b'(' => Token::LParen,
                        b')' => Token::RParen,
                        b'{' => Token::LBrace,
                        b'}' => Token::RBrace,
                        b']' => Token::RBracket,
                        b';' => Token::Semi,
                        b',' => Token::Comma,
                        other => Token::Other(other),
                    }
                }
            };
            return Ok(Lexeme { tok, line: self.line, start, end: self.pos });
        }
    }

    fn take(&mut self, n: usize, tok: Token) -> Token {
        self.pos += n;
        tok
    }

    /// `c` followed by `second` is `two`, else `c` alone is `one`.
    fn one_or_two(&mut self, second: u8, two: Token, one: Token) -> Token {
        if self.peek_at(1) == Some(second) {
            self.take(2, two)
        } else {
            self.take(1, one)
        }
    }

    /// After `--`: a long comment `--[==[ ... ]==]` or a comment to the end of the line.
    fn comment(&mut self) -> Result<(), CompileError> {
        if self.peek() == Some(b'[') {
            let save = self.pos;
            let sep = self.skip_sep();
            if sep >= 2 {
                let line = self.line;
                self.pos += 1;
                return self.long_string(sep, false, line);
            }
            self.pos = save;
        }
        while let Some(c) = self.peek() {
            if c == b'\n' || c == b'\r' {
                break;
            }
            self.pos += 1;
        }
        Ok(())
    }

    /// At `[` or `]`: reads the bracket and any `=`s. Returns the level + 2 if the same
    /// bracket follows (not consumed), 1 for a lone bracket, 0 for `[=...` without it.
    fn skip_sep(&mut self) -> usize {
        let bracket = self.src[self.pos];
        self.pos += 1;
        let mut count = 0;
        while self.peek() == Some(b'=') {
            self.pos += 1;
            count += 1;
        }
        if self.peek() == Some(bracket) {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        }
    }

    /// Body of a long string or comment, after the opening brackets. A string's contents
    /// go to `buf` with every line break as `\n`; a first line break is skipped.
    fn long_string(&mut self, sep: usize, keep: bool, start_line: u32) -> Result<(), CompileError> {
        if matches!(self.peek(), Some(b'\n' | b'\r')) {
            self.newline()?;
        }
        loop {
            // Copy a run of ordinary bytes at once.
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if c == b']' || c == b'\n' || c == b'\r' {
                    break;
                }
                self.pos += 1;
            }
            if keep {
                self.buf.extend_from_slice(&self.src[run_start..self.pos]);
            }
            match self.peek() {
                None => {
                    let what = if keep { "string" } else { "comment" };
                    let msg = format!("unfinished long {what} (starting at line {start_line})");
                    return Err(self.error_eof(&msg));
                }
                Some(b']') => {
                    let at = self.pos;
                    if self.skip_sep() == sep {
                        self.pos += 1;
                        return Ok(());
                    }
                    if keep {
                        self.buf.extend_from_slice(&self.src[at..self.pos]);
                    }
                }
                Some(_) => {
                    if keep {
                        self.buf.push(b'\n');
                    }
                    self.newline()?;
                }
            }
        }
    }

    /// A quoted string; `pos` is at the opening quote.
    fn short_string(&mut self, quote: u8) -> Result<StrId, CompileError> {
        self.pos += 1;
        self.buf.clear();
        loop {
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if c == quote || c == b'\\' || c == b'\n' || c == b'\r' {
                    break;
                }
                self.pos += 1;
            }
            self.buf.extend_from_slice(&self.src[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.error_eof("unfinished string")),
                Some(b'\n' | b'\r') => {
                    let near = self.string_near(quote, &[]);
                    return Err(self.error("unfinished string", Some(&near)));
                }
                Some(b'\\') => self.escape(quote)?,
                Some(_) => {
                    self.pos += 1;
                    return Ok(self.strings.intern(&self.buf));
                }
            }
        }
    }

    /// The `near` text for an error inside a string: the quote, the decoded contents so
    /// far and then `raw` (the escape being read), as Lua's buffer holds them.
    fn string_near(&self, quote: u8, raw: &[u8]) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.buf.len() + raw.len() + 4);
        v.push(b'\'');
        v.push(quote);
        v.extend_from_slice(&self.buf);
        v.extend_from_slice(raw);
        cut_at_nul(&mut v);
        v.push(b'\'');
        v
    }

    /// An error in the escape starting at `bs`; the byte at `pos` (if any) is shown too.
    fn escape_error(&self, quote: u8, bs: usize, msg: &str) -> CompileError {
        let end = (self.pos + 1).min(self.src.len());
        let near = self.string_near(quote, &self.src[bs..end]);
        self.error(msg, Some(&near))
    }

    /// An escape sequence; `pos` is at the backslash.
    fn escape(&mut self, quote: u8) -> Result<(), CompileError> {
        let bs = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            // The string is unfinished; the caller's loop reports it.
            return Ok(());
        };
        let byte = match c {
            b'a' => 0x07,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'\\' | b'"' | b'\'' => c,
            b'\n' | b'\r' => {
                self.newline()?;
                self.buf.push(b'\n');
                return Ok(());
            }
            b'x' => {
                let mut v = 0u32;
                for _ in 0..2 {
                    self.pos += 1;
                    match self.peek() {
                        Some(d) if d.is_ascii_hexdigit() => v = v * 16 + hex_value(d),
                        _ => return Err(self.escape_error(quote, bs, "hexadecimal digit expected")),
                    }
                }
                v as u8
            }
            b'z' => {
                self.pos += 1;
                while let Some(s) = self.peek() {
                    if !is_space(s) {
                        break;
                    }
                    if s == b'\n' || s == b'\r' {
                        self.newline()?;
                    } else {
                        self.pos += 1;
                    }
                }
                return Ok(());
            }
            b'u' => return self.utf8_escape(quote, bs),
            b'0'..=b'9' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 {
                    match self.peek() {
                        Some(d) if d.is_ascii_digit() => {
                            v = v * 10 + u32::from(d - b'0');
                            self.pos += 1;
                            n += 1;
                        }
                        _ => break,
                    }
                }
                if v > 255 {
                    return Err(self.escape_error(quote, bs, "decimal escape too large"));
                }
                self.buf.push(v as u8);
                return Ok(());
            }
            _ => return Err(self.escape_error(quote, bs, "invalid escape sequence")),
        };
        self.pos += 1;
        self.buf.push(byte);
        Ok(())
    }

    /// `\u{XXX}`: `pos` is at the `u`. Values up to 2^31 - 1, encoded like Lua's
    /// `luaO_utf8esc` (UTF-8 extended to 6-byte sequences).
    fn utf8_escape(&mut self, quote: u8, bs: usize) -> Result<(), CompileError> {
        self.pos += 1;
        if self.peek() != Some(b'{') {
            return Err(self.escape_error(quote, bs, "missing '{'"));
        }
        self.pos += 1;
        let mut v = match self.peek() {
            Some(d) if d.is_ascii_hexdigit() => hex_value(d),
            _ => return Err(self.escape_error(quote, bs, "hexadecimal digit expected")),
        };
        loop {
            self.pos += 1;
            match self.peek() {
                Some(d) if d.is_ascii_hexdigit() => {
                    if v > (0x7FFF_FFFF >> 4) {
                        return Err(self.escape_error(quote, bs, "UTF-8 value too large"));
                    }
                    v = (v << 4) + hex_value(d);
                }
                _ => break,
            }
        }
        if self.peek() != Some(b'}') {
            return Err(self.escape_error(quote, bs, "missing '}'"));
        }
        self.pos += 1;
        push_utf8(&mut self.buf, v);
        Ok(())
    }

    /// A numeral starting at `start`; `pos` is at its first digit (after a leading `.`).
    /// Like `read_numeral`, it first takes every byte that may belong to a numeral, then
    /// converts the whole text, so `3..2` or `0x` is one malformed numeral.
    fn numeral(&mut self, start: usize) -> Result<Token, CompileError> {
        let first = self.src[self.pos];
        self.pos += 1;
        let mut expo = [b'E', b'e'];
        if first == b'0' && matches!(self.peek(), Some(b'x' | b'X')) {
            self.pos += 1;
            expo = [b'P', b'p'];
        }
        loop {
            match self.peek() {
                Some(c) if c == expo[0] || c == expo[1] => {
                    self.pos += 1;
                    if matches!(self.peek(), Some(b'+' | b'-')) {
                        self.pos += 1;
                    }
                }
                Some(c) if c.is_ascii_hexdigit() || c == b'.' => self.pos += 1,
                _ => break,
            }
        }
        if self.peek().is_some_and(is_name_start) {
            self.pos += 1; // a numeral touching a letter is malformed
        }
        let text = &self.src[start..self.pos];
        match str_to_number(text) {
            Some(tok) => Ok(tok),
            None => {
                let near = format!("'{}'", String::from_utf8_lossy(text));
                Err(self.error("malformed number", Some(near.as_bytes())))
            }
        }
    }

    /// The text Lua shows after `near` for a token (quoted, or `<eof>`).
    pub fn near_text(&self, lx: &Lexeme) -> Vec<u8> {
        match lx.tok {
            Token::Eof => b"<eof>".to_vec(),
            Token::Other(c) => quote_byte(c).into_bytes(),
            Token::Str(id) => {
                // Lua shows the delimiters around the decoded contents.
                let raw = &self.src[lx.start..lx.end];
                let open_len = if raw.first() == Some(&b'[') {
                    raw.iter().skip(1).take_while(|&&c| c == b'=').count() + 2
                } else {
                    1
                };
                let open = &raw[..open_len.min(raw.len())];
                let mut v = Vec::with_capacity(raw.len() + 2);
                v.push(b'\'');
                v.extend_from_slice(open);
                v.extend_from_slice(self.strings.get(id));
                if open_len == 1 {
                    v.extend_from_slice(open);
                } else {
                    v.push(b']');
                    v.resize(v.len() + open_len - 2, b'=');
                    v.push(b']');
                }
                cut_at_nul(&mut v);
                v.push(b'\'');
                v
            }
            _ => {
                let mut v = Vec::with_capacity(lx.end - lx.start + 2);
                v.push(b'\'');
                v.extend_from_slice(&self.src[lx.start..lx.end]);
                v.push(b'\'');
                v
            }
        }
    }
}

/// Lua formats token text with C's `%s`, which stops at a NUL byte.
fn cut_at_nul(v: &mut Vec<u8>) {
    if let Some(p) = v.iter().position(|&c| c == 0) {
        v.truncate(p);
    }
}

/// Appends `x` (< 2^31) encoded like Lua's `luaO_utf8esc`.
fn push_utf8(buf: &mut Vec<u8>, mut x: u32) {
    if x < 0x80 {
        buf.push(x as u8);
        return;
    }
    let mut tail = [0u8; 6];
    let mut n = 0;
    let mut first_max = 0x3fu32; // largest value that still fits in the first byte
    loop {
        tail[n] = 0x80 | (x & 0x3f) as u8;
        n += 1;
        x >>= 6;
        first_max >>= 1;
        if x <= first_max {
            break;
        }
    }
    buf.push(((!first_max << 1) | x) as u8);
    buf.extend(tail[..n].iter().rev());
}

/// Converts a numeral's text like Lua's `luaO_str2num` (integer first, then float);
/// `None` if it is malformed.
pub(crate) fn str_to_number(s: &[u8]) -> Option<Token> {
    if let Some(i) = str_to_int(s) {
        return Some(Token::Int(i));
    }
    str_to_float(s).map(Token::Float)
}

fn str_to_int(s: &[u8]) -> Option<i64> {
    if let Some(hex) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        if hex.is_empty() || !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        // Hex integers wrap around modulo 2^64.
        let v = hex.iter().fold(0u64, |a, &d| a.wrapping_mul(16).wrapping_add(u64::from(hex_value(d))));
        return Some(v as i64);
    }
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &d in s {
        // Overflow makes the numeral a float instead.
        v = v.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    Some(v)
}

fn str_to_float(s: &[u8]) -> Option<f64> {
    if s.iter().any(|&c| c == b'n' || c == b'N') {
        return None; // rejects 'inf' and 'nan', as Lua does
    }
    if let Some(hex) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        return hex_float(hex);
    }
    if !s.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse::<f64>().ok()
}

/// A hexadecimal float after its `0x`: `h*[.h*][p[+-]d+]` with at least one hex digit.
fn hex_float(s: &[u8]) -> Option<f64> {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut any = false;
    let mut seen_dot = false;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
        } else if c.is_ascii_hexdigit() {
            any = true;
            let d = u64::from(hex_value(c));
            if mant < (1 << 59) {
                mant = mant * 16 + d;
                if seen_dot {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_dot {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if i < s.len() {
        if !matches!(s[i], b'p' | b'P') {
            return None;
        }
        i += 1;
        let neg = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let digits = &s[i..];
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = digits.iter().fold(0i64, |a, &d| (a * 10 + i64::from(d - b'0')).min(1 << 20));
        exp += if neg { -e } else { e };
    }
    // The sticky bit sits far below the 53 bits kept, so it only breaks rounding ties.
    let m = (mant | u64::from(sticky)) as f64;
    Some(scale_by_pow2(m, exp))
}

/// `x * 2^exp` without overflowing the intermediate power.
fn scale_by_pow2(mut x: f64, mut exp: i64) -> f64 {
    if x == 0.0 {
        return x;
    }
    while exp > 1000 {
        x *= 2f64.powi(1000);
        exp -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while exp < -1000 {
        x *= 2f64.powi(-1000);
        exp += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(exp as i32)
}
