//! The `.tasm` lexer: turns one line into tokens.
//!
//! `.tasm` is line-oriented: a statement never spans lines and a string literal cannot
//! contain a raw line break (it is written `\n`), so each line is lexed on its own and an
//! error always names the line it is on. Comments run from `;` to the end of the line.
//!
//! The lexer never fails on a character it does not know without saying which one and
//! where; it allocates only in proportion to the line it reads.

use super::literal::{is_ident_char, is_ident_start};
use super::AsmError;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    /// `.name`: a directive, without the dot.
    Directive(String),
    /// `name`: mnemonics, register/constant/… spellings (`r3`), keywords, bare names.
    Ident(String),
    /// A number as written (sign included); interpreted by `literal::parse_number`.
    Number(String),
    /// A quoted string, escapes resolved; arbitrary bytes.
    Str(Vec<u8>),
    /// `@name:`
    LabelDef(String),
    /// `@name`
    LabelRef(String),
    /// `@+5`, `@-3`: a raw branch offset, sign included.
    LabelRel(String),
    /// `$name` or `$"any name"`: a named constant, upvalue, function or import.
    Ref(String),
    /// `%7`: a raw index into the module's constant pool (digits only).
    Pool(String),
    Comma,
    Equals,
    Star,
    Minus,
    LBracket,
    RBracket,
    LParen,
    RParen,
}

/// A token with where it was found.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub tok: Tok,
    /// Column of its first character, counting characters from 1.
    pub col: usize,
    /// The source text, for error messages.
    pub text: String,
}

/// Lexes one line (without its line break). `line` is its 1-based number, for errors.
pub(super) fn lex_line(source: &str, line: usize) -> Result<Vec<Token>, AsmError> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(source.len(), |&(b, _)| b);
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let err = |i: usize, message: String| AsmError::at(line, i + 1, message);

    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(i) {
        let start = i;
        let tok = match c {
            ';' => break,
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ',' => single(&mut i, Tok::Comma),
            '=' => single(&mut i, Tok::Equals),
            '*' => single(&mut i, Tok::Star),
            '[' => single(&mut i, Tok::LBracket),
            ']' => single(&mut i, Tok::RBracket),
            '(' => single(&mut i, Tok::LParen),
            ')' => single(&mut i, Tok::RParen),
            '"' => {
                let (bytes, next) = lex_string(&chars, i + 1).map_err(|(at, msg)| err(at, msg))?;
                i = next;
                Tok::Str(bytes)
            }
            c if c.is_ascii_digit() => {
                i = lex_number(&chars, i).map_err(|at| malformed_number(source, &chars, start, at, line))?;
                Tok::Number(source[byte_at(start)..byte_at(i)].to_string())
            }
            '-' | '+' if char_at(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                i = lex_number(&chars, i + 1)
                    .map_err(|at| malformed_number(source, &chars, start, at, line))?;
                Tok::Number(source[byte_at(start)..byte_at(i)].to_string())
            }
            '-' => single(&mut i, Tok::Minus),
            c if is_ident_start(c) => {
                i = ident_end(&chars, i);
                Tok::Ident(source[byte_at(start)..byte_at(i)].to_string())
            }
            '.' => {
                if !char_at(i + 1).is_some_and(is_ident_start) {
                    return Err(err(i, "expected a directive name after '.'".into()));
                }
                i = ident_end(&chars, i + 1);
                Tok::Directive(source[byte_at(start + 1)..byte_at(i)].to_string())
            }
            '@' => match char_at(i + 1) {
                Some(c) if is_ident_start(c) => {
                    i = ident_end(&chars, i + 1);
                    let name = source[byte_at(start + 1)..byte_at(i)].to_string();
                    if char_at(i) == Some(':') {
                        i += 1;
                        Tok::LabelDef(name)
                    } else {
                        Tok::LabelRef(name)
                    }
                }
                Some('+' | '-') if char_at(i + 2).is_some_and(|d| d.is_ascii_digit()) => {
                    i += 2;
                    while char_at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                    if char_at(i).is_some_and(|c| is_ident_char(c) || c == '.') {
                        return Err(err(start, "a raw branch offset is written @+N or @-N".into()));
                    }
                    Tok::LabelRel(source[byte_at(start + 1)..byte_at(i)].to_string())
                }
                _ => {
                    return Err(err(
                        i,
                        "expected a label name (@loop) or a raw branch offset (@+3, @-2) after '@'".into(),
                    ))
                }
            },
            '$' => match char_at(i + 1) {
                Some(c) if is_ident_start(c) => {
                    i = ident_end(&chars, i + 1);
                    Tok::Ref(source[byte_at(start + 1)..byte_at(i)].to_string())
                }
                Some('"') => {
                    let (bytes, next) = lex_string(&chars, i + 2).map_err(|(at, msg)| err(at, msg))?;
                    i = next;
                    let name = String::from_utf8(bytes).map_err(|_| {
                        err(start, "a name must be valid UTF-8 (no \\x80…\\xff escapes)".into())
                    })?;
                    Tok::Ref(name)
                }
                _ => return Err(err(i, "expected a name after '$' ($name or $\"name\")".into())),
            },
            '%' => {
                i += 1;
                while char_at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
                if i == start + 1 || char_at(i).is_some_and(is_ident_char) {
                    return Err(err(start, "a pool index is written %N, e.g. %3".into()));
                }
                Tok::Pool(source[byte_at(start + 1)..byte_at(i)].to_string())
            }
            other => return Err(err(i, format!("unexpected character {other:?}"))),
        };
        tokens.push(Token { tok, col: start + 1, text: source[byte_at(start)..byte_at(i)].to_string() });
    }
    Ok(tokens)
}

fn single(i: &mut usize, tok: Tok) -> Tok {
    *i += 1;
    tok
}

fn ident_end(chars: &[(usize, char)], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|&(_, c)| is_ident_char(c)) {
        i += 1;
    }
    i
}

fn digits_end(chars: &[(usize, char)], mut i: usize, radix: u32) -> usize {
    while chars.get(i).is_some_and(|&(_, c)| c.is_digit(radix)) {
        i += 1;
    }
    i
}

/// Scans a number starting at a digit: `0x` hex digits, or decimal digits with an
/// optional `.digits` and `e[+-]digits`. Returns the index after it, or where it went
/// wrong (a number glued to letters or dots is an error, not two tokens).
fn lex_number(chars: &[(usize, char)], start: usize) -> Result<usize, usize> {
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut i = start;
    if at(i) == Some('0') && matches!(at(i + 1), Some('x' | 'X')) {
        i = digits_end(chars, i + 2, 16);
        if i == start + 2 {
            return Err(i);
        }
    } else {
        i = digits_end(chars, i, 10);
        if at(i) == Some('.') && at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i = digits_end(chars, i + 1, 10);
        }
        if matches!(at(i), Some('e' | 'E')) {
            let sign = usize::from(matches!(at(i + 1), Some('+' | '-')));
            if at(i + 1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                i = digits_end(chars, i + 1 + sign, 10);
            }
        }
    }
    if at(i).is_some_and(|c| is_ident_char(c) || c == '.') {
        return Err(i);
    }
    Ok(i)
}

fn malformed_number(source: &str, chars: &[(usize, char)], start: usize, at: usize, line: usize) -> AsmError {
    let from = chars.get(start).map_or(source.len(), |&(b, _)| b);
    let end = (at..chars.len())
        .find(|&j| chars.get(j).is_some_and(|&(_, c)| !(is_ident_char(c) || c == '.')))
        .unwrap_or(chars.len());
    let to = chars.get(end).map_or(source.len(), |&(b, _)| b);
    AsmError::at(line, start + 1, format!("malformed number '{}'", &source[from..to]))
}

/// Scans a string body starting after the opening quote. Returns its bytes and the index
/// after the closing quote, or an error position and message.
fn lex_string(chars: &[(usize, char)], start: usize) -> Result<(Vec<u8>, usize), (usize, String)> {
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let opening = start.saturating_sub(1);
    let mut bytes = Vec::new();
    let mut i = start;
    loop {
        let Some(c) = at(i) else {
            return Err((
                opening,
                "unterminated string (strings end on the same line; write \\n for a line break)".into(),
            ));
        };
        match c {
            '"' => return Ok((bytes, i + 1)),
            '\\' => {
                let escape_at = i;
                let Some(e) = at(i + 1) else {
                    return Err((opening, "unterminated string".into()));
                };
                i += 2;
                match e {
                    'n' => bytes.push(b'\n'),
                    't' => bytes.push(b'\t'),
                    'r' => bytes.push(b'\r'),
                    '0' => bytes.push(0),
                    '\\' => bytes.push(b'\\'),
                    '"' => bytes.push(b'"'),
                    'x' => {
                        let hex: String = (i..i + 2).filter_map(at).collect();
                        let byte =
                            (hex.len() == 2).then(|| u8::from_str_radix(&hex, 16).ok()).flatten().ok_or((
                                escape_at,
                                "a byte escape is written \\xHH with two hex digits".to_string(),
                            ))?;
                        bytes.push(byte);
                        i += 2;
                    }
                    'u' => {
                        let bad = || {
                            (
                                escape_at,
                                "a character escape is written \\u{HHHH} (1 to 6 hex digits)".to_string(),
                            )
                        };
                        if at(i) != Some('{') {
                            return Err(bad());
                        }
                        let digits_start = i + 1;
                        let end = digits_end(chars, digits_start, 16);
                        if at(end) != Some('}') || end == digits_start || end - digits_start > 6 {
                            return Err(bad());
                        }
                        let hex: String = (digits_start..end).filter_map(at).collect();
                        let c = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or((escape_at, format!("\\u{{{hex}}} is not a Unicode scalar value")))?;
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i = end + 1;
                    }
                    other => return Err((escape_at, format!("unknown escape '\\{other}' in string"))),
                }
            }
            c => {
                let mut buf = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(line: &str) -> Vec<Tok> {
        lex_line(line, 1).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn lexes_an_instruction_line() {
        assert_eq!(
            toks("@L3:  12 [7] jeqk r0, $n, @+5 ; comment"),
            vec![
                Tok::LabelDef("L3".into()),
                Tok::Number("12".into()),
                Tok::LBracket,
                Tok::Number("7".into()),
                Tok::RBracket,
                Tok::Ident("jeqk".into()),
                Tok::Ident("r0".into()),
                Tok::Comma,
                Tok::Ref("n".into()),
                Tok::Comma,
                Tok::LabelRel("+5".into()),
            ]
        );
    }

    #[test]
    fn lexes_literals() {
        assert_eq!(
            toks(r#".pool -1.5e-3 "a\x00\u{e9};" %12 $"x y" - inf"#),
            vec![
                Tok::Directive("pool".into()),
                Tok::Number("-1.5e-3".into()),
                Tok::Str(b"a\0\xc3\xa9;".to_vec()),
                Tok::Pool("12".into()),
                Tok::Ref("x y".into()),
                Tok::Minus,
                Tok::Ident("inf".into()),
            ]
        );
    }

    #[test]
    fn reports_columns() {
        let e = lex_line("  loadk r0, \"abc", 4).unwrap_err();
        assert_eq!((e.line, e.column), (4, Some(13)));
        let e = lex_line("add r1, 12ab", 1).unwrap_err();
        assert!(e.message.contains("malformed number '12ab'"), "{e}");
    }
}
