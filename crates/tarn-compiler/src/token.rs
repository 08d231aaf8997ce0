//! Tokens of Lua 5.4 and the string interner the lexer fills.
//!
//! A [`Token`] is `Copy` and small: names and string literals are interned into
//! [`Strings`] and carried as a [`StrId`], so the parser never clones bytes. Lua strings
//! are byte strings (not UTF-8), and so are interned strings.
//!
//! Not here: positions (the lexer's `Lexeme` adds them) or the token's source text (the
//! lexer rebuilds it for `near '...'` in messages).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// An interned byte string: a name or the value of a string literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StrId(pub u32);

/// A Lua 5.4 token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Token {
    // Reserved words.
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    Goto,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    // Operators and punctuation.
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `//`
    DSlash,
    /// `%`
    Percent,
    /// `^`
    Caret,
    /// `#`
    Hash,
    /// `&`
    Amp,
    /// `~`
    Tilde,
    /// `|`
    Pipe,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `~=`
    Ne,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `=`
    Assign,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `::`
    DColon,
    /// `;`
    Semi,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// `.`
    Dot,
    // Tokens with a value.
    /// An integer numeral (hex numerals wrap modulo 2^64).
    Int(i64),
    /// A float numeral (or a decimal integer numeral too large for an integer).
    Float(f64),
    /// A name that is not a reserved word.
    Name(StrId),
    /// A string literal, escapes already processed.
    Str(StrId),
    /// Any other single byte (`@`, `$`, `!`, control bytes, non-ASCII): always a syntax error.
    Other(u8),
    /// End of the source.
    Eof,
}

impl Token {
    /// Maps a name to its reserved word, if it is one.
    pub(crate) fn keyword(name: &[u8]) -> Option<Token> {
        Some(match name {
            b"and" => Token::And,
            b"break" => Token::Break,
            b"do" => Token::Do,
            b"else" => Token::Else,
            b"elseif" => Token::Elseif,
            b"end" => Token::End,
            b"false" => Token::False,
            b"for" => Token::For,
            b"function" => Token::Function,
            b"goto" => Token::Goto,
            b"if" => Token::If,
            b"in" => Token::In,
            b"local" => Token::Local,
            b"nil" => Token::Nil,
            b"not" => Token::Not,
            b"or" => Token::Or,
            b"repeat" => Token::Repeat,
            b"return" => Token::Return,
            b"then" => Token::Then,
            b"true" => Token::True,
            b"until" => Token::Until,
            b"while" => Token::While,
            _ => return None,
        })
    }

    /// The fixed spelling of a token without a value (`None` for names, numerals, strings,
    /// other bytes and end of source).
    pub fn spelling(self) -> Option<&'static str> {
        use Token::*;
        Some(match self {
            And => "and",
            Break => "break",
            Do => "do",
            Else => "else",
            Elseif => "elseif",
            End => "end",
            False => "false",
            For => "for",
            Function => "function",
            Goto => "goto",
            If => "if",
            In => "in",
            Local => "local",
            Nil => "nil",
            Not => "not",
            Or => "or",
            Repeat => "repeat",
            Return => "return",
            Then => "then",
            True => "true",
            Until => "until",
            While => "while",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            DSlash => "//",
            Percent => "%",
            Caret => "^",
            Hash => "#",
            Amp => "&",
            Tilde => "~",
            Pipe => "|",
            Shl => "<<",
            Shr => ">>",
            Concat => "..",
            Dots => "...",
            Eq => "==",
            Ne => "~=",
            Le => "<=",
            Ge => ">=",
            Lt => "<",
            Gt => ">",
            Assign => "=",
            LParen => "(",
            RParen => ")",
            LBrace => "{",
            RBrace => "}",
            LBracket => "[",
            RBracket => "]",
            DColon => "::",
            Semi => ";",
            Colon => ":",
            Comma => ",",
            Dot => ".",
            Int(_) | Float(_) | Name(_) | Str(_) | Other(_) | Eof => return None,
        })
    }

    /// How Lua names a token kind in "X expected" messages (`luaX_token2str`):
    /// `'end'`, `'='`, `<name>`, `<eof>`.
    pub(crate) fn describe(self) -> String {
        match self {
            Token::Int(_) => "<integer>".into(),
            Token::Float(_) => "<number>".into(),
            Token::Name(_) => "<name>".into(),
            Token::Str(_) => "<string>".into(),
            Token::Eof => "<eof>".into(),
            Token::Other(c) => quote_byte(c),
            t => format!("'{}'", t.spelling().unwrap_or("?")),
        }
    }
}

/// Lua's quoting of a single-byte token: `'@'`, or `'<\1>'` when it is not printable.
pub(crate) fn quote_byte(c: u8) -> String {
    if c.is_ascii_graphic() || c == b' ' {
        format!("'{}'", c as char)
    } else {
        format!("'<\\{c}>'")
    }
}

/// FxHash-style hasher: interning hashes every name, so it must be cheap. Not DoS-proof;
/// the map is local to one compilation.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // Spread the high bits down: the table indexes with the low bits.
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = h;
    }
}

/// The interned strings of one chunk: every name and string literal, each stored once.
/// [`StrId`]s index into it.
#[derive(Default, Clone)]
pub struct Strings {
    list: Vec<Box<[u8]>>,
    map: HashMap<Box<[u8]>, StrId, BuildHasherDefault<FastHasher>>,
}

impl Strings {
    /// Interns `bytes`, returning its id (the same id for equal bytes).
    pub fn intern(&mut self, bytes: &[u8]) -> StrId {
        if let Some(&id) = self.map.get(bytes) {
            return id;
        }
        // More than u32::MAX distinct strings cannot come from a source under 4 GiB per
        // string; saturate rather than panic.
        let id = StrId(u32::try_from(self.list.len()).unwrap_or(u32::MAX));
        let owned: Box<[u8]> = bytes.into();
        self.list.push(owned.clone());
        self.map.insert(owned, id);
        id
    }

    /// The bytes of an interned string.
    pub fn get(&self, id: StrId) -> &[u8] {
        self.list.get(id.0 as usize).map_or(&[], |b| b)
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True if nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.list.iter().map(|b| String::from_utf8_lossy(b))).finish()
    }
}
