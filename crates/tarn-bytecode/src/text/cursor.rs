//! Reading a statement's tokens: the argument parsers directives share (names, numbers,
//! values, function references), operand spellings like `r3`, and "did you mean" hints.
//!
//! Every reader consumes what it expects or returns an error that names the token it found
//! (or the end of the line) and what it expected; an error ends the statement, so a
//! half-read cursor is never reused. Numbers are checked against their range before any
//! conversion.

use std::collections::HashMap;

use super::lexer::{Tok, Token};
use super::literal::{self, Number, NumberError, CANONICAL_NAN_BITS};
use super::AsmError;
use crate::module::Constant;

type Result<T> = std::result::Result<T, AsmError>;

/// A function named in a directive: by its name in the text, or by raw index (which may be
/// out of range; the verifier judges that).
#[derive(Clone, Debug)]
pub(super) enum FuncRef {
    Symbol { name: String, line: usize, col: usize },
    Index(u32),
}

/// An instruction position in a `.local` directive.
#[derive(Clone, Debug)]
pub(super) enum PcRef {
    Pc(u32),
    Label { name: String, line: usize, col: usize },
}

/// Reads a statement's tokens left to right.
pub(super) struct Cursor<'t> {
    pub tokens: &'t [Token],
    pub pos: usize,
    /// The 1-based line number, for errors.
    pub line: usize,
}

impl<'t> Cursor<'t> {
    pub(super) fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    pub(super) fn peek_tok(&self) -> Option<&'t Tok> {
        self.peek().map(|t| &t.tok)
    }

    pub(super) fn next(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.pos)?;
        self.pos += 1;
        Some(token)
    }

    pub(super) fn end_col(&self) -> usize {
        end_col(self.tokens)
    }

    /// An error at `token`, or at the end of the line.
    pub(super) fn error(&self, token: Option<&Token>, message: String) -> AsmError {
        AsmError::at(self.line, token.map_or_else(|| self.end_col(), |t| t.col), message)
    }

    /// "expected X, found Y" at the next token.
    pub(super) fn expected(&self, what: &str) -> AsmError {
        let found = self.peek();
        self.error(found, format!("expected {what}, found {}", describe(found)))
    }

    pub(super) fn expect(&mut self, tok: Tok, what: &str) -> Result<()> {
        if self.peek_tok() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    pub(super) fn expect_end(&self, after: &str) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(self.error(Some(t), format!("unexpected '{}' after {after}", t.text))),
        }
    }

    /// A name: an identifier or a quoted string (valid UTF-8).
    pub(super) fn name(&mut self, what: &str) -> Result<(String, &'t Token)> {
        match self.peek() {
            Some(t @ Token { tok: Tok::Ident(name), .. }) => {
                self.pos += 1;
                Ok((name.clone(), t))
            }
            Some(t @ Token { tok: Tok::Str(bytes), .. }) => {
                self.pos += 1;
                let name = String::from_utf8(bytes.clone()).map_err(|_| {
                    self.error(Some(t), "a name must be valid UTF-8 (no \\x80…\\xff escapes)".into())
                })?;
                Ok((name, t))
            }
            _ => Err(self.expected(what)),
        }
    }

    pub(super) fn string(&mut self, what: &str) -> Result<Vec<u8>> {
        match self.peek_tok() {
            Some(Tok::Str(bytes)) => {
                self.pos += 1;
                Ok(bytes.clone())
            }
            _ => Err(self.expected(what)),
        }
    }

    /// An integer in `min..=max`; `what` names it in errors.
    pub(super) fn integer(&mut self, what: &str, min: i128, max: i128) -> Result<i128> {
        let Some(t @ Token { tok: Tok::Number(text), .. }) = self.peek() else {
            return Err(self.expected(what));
        };
        self.pos += 1;
        match literal::parse_number(text) {
            Ok(Number::Int(n)) if (min..=max).contains(&n) => Ok(n),
            Ok(Number::Int(_)) | Err(NumberError::TooLarge) => {
                Err(self.error(Some(t), format!("{what} {text} out of range ({min}…{max})")))
            }
            Ok(Number::Float(_)) | Err(NumberError::Malformed) => {
                Err(self.error(Some(t), format!("expected {what} (an integer), found '{text}'")))
            }
        }
    }

    pub(super) fn u32(&mut self, what: &str) -> Result<u32> {
        self.integer(what, 0, i128::from(u32::MAX)).map(|n| n as u32)
    }

    pub(super) fn u8(&mut self, what: &str) -> Result<u8> {
        self.integer(what, 0, i128::from(u8::MAX)).map(|n| n as u8)
    }

    /// `rN` as a plain register number (debug directives, upvalue sources).
    pub(super) fn register(&mut self, what: &str) -> Result<u8> {
        let Some(t) = self.peek() else { return Err(self.expected(what)) };
        match indexed(t, 'r', u64::from(u8::MAX)) {
            Indexed::Yes(n) => {
                self.pos += 1;
                Ok(n as u8)
            }
            Indexed::OutOfRange => {
                Err(self.error(Some(t), format!("register '{}' out of range (r0…r255)", t.text)))
            }
            Indexed::No => Err(self.expected(what)),
        }
    }

    /// A function: its name, or a raw index.
    pub(super) fn func_ref(&mut self) -> Result<FuncRef> {
        if let Some(Tok::Number(_)) = self.peek_tok() {
            return self.u32("a function index").map(FuncRef::Index);
        }
        let (name, t) = self.name("a function name (or a raw function index)")?;
        Ok(FuncRef::Symbol { name, line: self.line, col: t.col })
    }

    /// An optional `name =` prefix (upvalue and constant declarations).
    pub(super) fn binding(&mut self) -> Result<Option<(String, &'t Token)>> {
        let is_binding = matches!(self.peek_tok(), Some(Tok::Ident(_) | Tok::Str(_)))
            && matches!(self.tokens.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Equals));
        if !is_binding {
            return Ok(None);
        }
        let named = self.name("a name")?;
        self.pos += 1;
        Ok(Some(named))
    }

    /// A constant value: `nil`, `true`, `false`, a number, a string, `inf`, `-inf`,
    /// `nan` or `float(0xBITS)`.
    pub(super) fn value(&mut self) -> Result<Constant> {
        const WHAT: &str = "a value (nil, true, false, a number, a string, inf, -inf, nan or float(0x…))";
        let Some(t) = self.peek() else { return Err(self.expected(WHAT)) };
        let value = match &t.tok {
            Tok::Ident(word) => match word.as_str() {
                "nil" => Constant::Nil,
                "true" => Constant::Bool(true),
                "false" => Constant::Bool(false),
                "inf" => Constant::Float(f64::INFINITY),
                "nan" => Constant::Float(f64::from_bits(CANONICAL_NAN_BITS)),
                "float" => {
                    self.pos += 1;
                    self.expect(Tok::LParen, "'(' after float (float(0xBITS))")?;
                    let bits = self.integer("the float's bits", 0, i128::from(u64::MAX))? as u64;
                    self.expect(Tok::RParen, "')'")?;
                    return Ok(Constant::Float(f64::from_bits(bits)));
                }
                _ => return Err(self.expected(WHAT)),
            },
            Tok::Minus => {
                if matches!(self.tokens.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Ident(w)) if w == "inf")
                {
                    self.pos += 1;
                    Constant::Float(f64::NEG_INFINITY)
                } else {
                    return Err(self.expected(WHAT));
                }
            }
            Tok::Number(text) => match literal::parse_number(text) {
                Ok(Number::Float(f)) => Constant::Float(f),
                Ok(Number::Int(n)) => Constant::Int(i64::try_from(n).map_err(|_| int_range_error(self, t))?),
                Err(NumberError::TooLarge) => return Err(int_range_error(self, t)),
                Err(NumberError::Malformed) => {
                    return Err(self.error(Some(t), format!("malformed number '{text}'")))
                }
            },
            Tok::Str(bytes) => Constant::Str(bytes.clone()),
            _ => return Err(self.expected(WHAT)),
        };
        self.pos += 1;
        Ok(value)
    }

    /// An instruction position: a number or a label of the current function.
    pub(super) fn pc(&mut self, what: &str) -> Result<PcRef> {
        match self.peek() {
            Some(Token { tok: Tok::LabelRef(name), col, .. }) => {
                self.pos += 1;
                Ok(PcRef::Label { name: name.clone(), line: self.line, col: *col })
            }
            _ => self.u32(what).map(PcRef::Pc),
        }
    }
}

pub(super) fn int_range_error(cur: &Cursor<'_>, t: &Token) -> AsmError {
    cur.error(
        Some(t),
        format!("integer {} out of range for a 64-bit integer constant (write a float such as 1e19)", t.text),
    )
}

/// Column just past the last token.
pub(super) fn end_col(tokens: &[Token]) -> usize {
    tokens.last().map_or(1, |t| t.col + t.text.chars().count())
}

pub(super) fn describe(token: Option<&Token>) -> String {
    match token {
        Some(t) => format!("'{}'", t.text),
        None => "end of line".into(),
    }
}

/// The result of reading an `rN`-style spelling.
pub(super) enum Indexed {
    Yes(u64),
    OutOfRange,
    No,
}

/// Reads an `rN` / `kN` / … spelling: `prefix` then decimal digits, at most `max`.
pub(super) fn indexed(token: &Token, prefix: char, max: u64) -> Indexed {
    let Tok::Ident(word) = &token.tok else { return Indexed::No };
    let Some(digits) = word.strip_prefix(prefix) else { return Indexed::No };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Indexed::No;
    }
    match digits.parse::<u64>() {
        Ok(n) if n <= max => Indexed::Yes(n),
        _ => Indexed::OutOfRange,
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The closest candidate within two edits, if the word is short enough to be a typo.
pub(super) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const MAX_LEN: usize = 64;
    if word.len() > MAX_LEN {
        return None;
    }
    let limit = 2.min(word.chars().count().saturating_sub(1)).max(1);
    candidates
        .into_iter()
        .filter(|c| c.len() <= MAX_LEN && *c != word)
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)` or nothing. `sigil` is prefixed to the suggestion (`@`, `$`, `.`).
pub(super) fn hint<'a>(word: &str, sigil: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map(|c| format!(" (did you mean '{sigil}{c}'?)")).unwrap_or_default()
}

/// The error for a function name that no `.function` declares.
pub(super) fn unknown_function(
    name: &str,
    sigil: &str,
    line: usize,
    col: usize,
    symbols: &HashMap<String, usize>,
) -> AsmError {
    let hint = hint(name, sigil, symbols.keys().map(String::as_str));
    AsmError::at(line, col, format!("unknown function '{sigil}{name}'{hint}"))
}
