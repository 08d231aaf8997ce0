//! The assembler: `.tasm` text to [`Module`].
//!
//! Two passes. The first reads the text line by line in order: it records module
//! directives, opens and closes function blocks, assigns each instruction its pc, defines
//! labels and declared names, and keeps each instruction's operand tokens. The second
//! builds each function's instructions with [`Instr::build`], the operand source parsing
//! the kind the instruction table asks for; by then every label, function name and
//! declared constant is known, so forward references need no fix-ups.
//!
//! Invariants:
//! - Names in the text (function, label, constant and upvalue names) belong to the
//!   assembler and never reach the module; debug information comes only from debug
//!   directives, so the text says exactly what the module contains.
//! - Table entries declared by directives come first, in text order; entries added
//!   implicitly by operands (a string constant written inline, a child function named by
//!   a `closure` operand) are appended after them in the order they are used. The
//!   disassembler declares everything, so its output never relies on implicit entries.
//! - No panics on any input: no indexing by input-derived numbers, checked conversions
//!   everywhere, no recursion.

use std::collections::HashMap;

use super::lexer::{lex_line, Tok, Token};
use super::literal::{self, Number, NumberError, CANONICAL_NAN_BITS};
use super::AsmError;
use crate::isa::{Instr, Opcode};
use crate::module::*;
use crate::operand::*;

type Result<T> = std::result::Result<T, AsmError>;

/// Directives allowed at module level.
const MODULE_DIRECTIVES: &[&str] =
    &["flags", "source", "pool", "import", "export", "entry", "custom", "function", "debugentry"];
/// Directives allowed only inside `.function`.
const FUNCTION_DIRECTIVES: &[&str] = &["upval", "const", "child", "nodebug"];
/// Debug directives, allowed inside `.function` and `.debugentry`.
const DEBUG_DIRECTIVES: &[&str] = &["name", "defined", "lines", "local", "upvalnames"];

pub(super) fn assemble(text: &str) -> Result<Module> {
    let mut asm = Assembler::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let source = raw.strip_suffix('\r').unwrap_or(raw);
        let tokens = lex_line(source, line)?;
        asm.statement(line, &tokens)?;
    }
    asm.finish()
}

/// A function named in a directive: by its name in the text, or by raw index (which may be
/// out of range; the verifier judges that).
#[derive(Clone, Debug)]
enum FuncRef {
    Symbol { name: String, line: usize, col: usize },
    Index(u32),
}

/// An instruction position in a `.local` directive.
#[derive(Clone, Debug)]
enum PcRef {
    Pc(u32),
    Label { name: String, line: usize, col: usize },
}

/// Pool constants compared by bits, for reusing an existing pool entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ConstKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Vec<u8>),
}

impl ConstKey {
    fn of(value: &Constant) -> ConstKey {
        match value {
            Constant::Nil => ConstKey::Nil,
            Constant::Bool(b) => ConstKey::Bool(*b),
            Constant::Int(i) => ConstKey::Int(*i),
            Constant::Float(f) => ConstKey::Float(f.to_bits()),
            Constant::Str(s) => ConstKey::Str(s.clone()),
        }
    }
}

/// The module's constant pool while it is being built.
#[derive(Default)]
struct Pool {
    values: Vec<Constant>,
    /// First index of each value, so written-out constants share entries.
    first: HashMap<ConstKey, u32>,
}

impl Pool {
    /// `.pool`: always a new entry, so a disassembled pool comes back entry for entry.
    fn push(&mut self, value: Constant, line: usize) -> Result<()> {
        let index = u32::try_from(self.values.len())
            .map_err(|_| AsmError::on_line(line, "the constant pool is full".into()))?;
        self.first.entry(ConstKey::of(&value)).or_insert(index);
        self.values.push(value);
        Ok(())
    }

    /// A constant written by value: reuses an equal entry (floats by bits) or adds one.
    fn intern(&mut self, value: Constant, line: usize) -> Result<u32> {
        if let Some(&index) = self.first.get(&ConstKey::of(&value)) {
            return Ok(index);
        }
        let index = u32::try_from(self.values.len())
            .map_err(|_| AsmError::on_line(line, "the constant pool is full".into()))?;
        self.push(value, line)?;
        Ok(index)
    }
}

struct PendingInstr {
    line: usize,
    opcode: Opcode,
    /// The `[N]` source-line mark, if written.
    source_line: Option<u32>,
    operands: Vec<Token>,
    /// Column just past the end of the line's tokens, for "missing operand" errors.
    end_col: usize,
}

#[derive(Default)]
struct DebugBuild {
    name: Option<String>,
    defined: Option<(u32, u32)>,
    /// `.lines`, with the line it was written on.
    lines: Option<(Vec<u32>, usize)>,
    locals: Vec<(String, u8, PcRef, PcRef)>,
    /// `.upvalnames`, with the line it was written on.
    upvalnames: Option<(Vec<String>, usize)>,
    /// Whether any debug directive (or `name=` on an upvalue, or a `[N]` mark) was seen.
    any: bool,
}

struct FuncBuild {
    symbol: String,
    line: usize,
    params: u8,
    vararg: bool,
    registers: Option<u8>,
    upvalues: Vec<UpvalSource>,
    upval_debug_names: Vec<Option<String>>,
    upval_symbols: HashMap<String, usize>,
    constants: Vec<u32>,
    const_symbols: HashMap<String, usize>,
    children: Vec<FuncRef>,
    /// Label name → (pc, line defined).
    labels: HashMap<String, (usize, usize)>,
    code: Vec<PendingInstr>,
    debug: DebugBuild,
    nodebug: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Context {
    #[default]
    Module,
    Function,
    DebugEntry {
        line: usize,
    },
}

#[derive(Default)]
struct Assembler {
    flags: Option<u32>,
    source: Option<String>,
    pool: Pool,
    imports: Vec<String>,
    exports: Vec<(String, FuncRef)>,
    entry: Option<FuncRef>,
    custom: Vec<CustomSection>,
    functions: Vec<FuncBuild>,
    /// Function name → index.
    symbols: HashMap<String, usize>,
    extra_debug: Vec<DebugBuild>,
    context: Context,
    has_debug: bool,
}

/// Reads a statement's tokens left to right.
struct Cursor<'t> {
    tokens: &'t [Token],
    pos: usize,
    line: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&'t Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.pos)?;
        self.pos += 1;
        Some(token)
    }

    fn end_col(&self) -> usize {
        end_col(self.tokens)
    }

    /// An error at `token`, or at the end of the line.
    fn error(&self, token: Option<&Token>, message: String) -> AsmError {
        AsmError::at(self.line, token.map_or_else(|| self.end_col(), |t| t.col), message)
    }

    /// "expected X, found Y" at the next token.
    fn expected(&self, what: &str) -> AsmError {
        let found = self.peek();
        self.error(found, format!("expected {what}, found {}", describe(found)))
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<()> {
        if self.peek_tok() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn expect_end(&self, after: &str) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(self.error(Some(t), format!("unexpected '{}' after {after}", t.text))),
        }
    }

    /// A name: an identifier or a quoted string (valid UTF-8).
    fn name(&mut self, what: &str) -> Result<(String, &'t Token)> {
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

    fn string(&mut self, what: &str) -> Result<Vec<u8>> {
        match self.peek_tok() {
            Some(Tok::Str(bytes)) => {
                self.pos += 1;
                Ok(bytes.clone())
            }
            _ => Err(self.expected(what)),
        }
    }

    /// An integer in `min..=max`; `what` names it in errors.
    fn integer(&mut self, what: &str, min: i128, max: i128) -> Result<i128> {
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

    fn u32(&mut self, what: &str) -> Result<u32> {
        self.integer(what, 0, i128::from(u32::MAX)).map(|n| n as u32)
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        self.integer(what, 0, i128::from(u8::MAX)).map(|n| n as u8)
    }

    /// `rN` as a plain register number (debug directives, upvalue sources).
    fn register(&mut self, what: &str) -> Result<u8> {
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
    fn func_ref(&mut self) -> Result<FuncRef> {
        if let Some(Tok::Number(_)) = self.peek_tok() {
            return self.u32("a function index").map(FuncRef::Index);
        }
        let (name, t) = self.name("a function name (or a raw function index)")?;
        Ok(FuncRef::Symbol { name, line: self.line, col: t.col })
    }

    /// An optional `name =` prefix (upvalue and constant declarations).
    fn binding(&mut self) -> Result<Option<(String, &'t Token)>> {
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
    fn value(&mut self) -> Result<Constant> {
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
    fn pc(&mut self, what: &str) -> Result<PcRef> {
        match self.peek() {
            Some(Token { tok: Tok::LabelRef(name), col, .. }) => {
                self.pos += 1;
                Ok(PcRef::Label { name: name.clone(), line: self.line, col: *col })
            }
            _ => self.u32(what).map(PcRef::Pc),
        }
    }
}

fn int_range_error(cur: &Cursor<'_>, t: &Token) -> AsmError {
    cur.error(
        Some(t),
        format!("integer {} out of range for a 64-bit integer constant (write a float such as 1e19)", t.text),
    )
}

/// Column just past the last token.
fn end_col(tokens: &[Token]) -> usize {
    tokens.last().map_or(1, |t| t.col + t.text.chars().count())
}

fn describe(token: Option<&Token>) -> String {
    match token {
        Some(t) => format!("'{}'", t.text),
        None => "end of line".into(),
    }
}

enum Indexed {
    Yes(u64),
    OutOfRange,
    No,
}

/// Reads an `rN` / `kN` / … spelling: `prefix` then decimal digits, at most `max`.
fn indexed(token: &Token, prefix: char, max: u64) -> Indexed {
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
fn edit_distance(a: &str, b: &str) -> usize {
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
fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
fn hint<'a>(word: &str, sigil: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map(|c| format!(" (did you mean '{sigil}{c}'?)")).unwrap_or_default()
}

impl Assembler {
    fn current_function(&mut self) -> Option<&mut FuncBuild> {
        match self.context {
            Context::Function => self.functions.last_mut(),
            _ => None,
        }
    }

    // statement -> {label ':'} [directive | instruction]
    fn statement(&mut self, line: usize, tokens: &[Token]) -> Result<()> {
        let mut cur = Cursor { tokens, pos: 0, line };
        while let Some(t @ Token { tok: Tok::LabelDef(name), .. }) = cur.peek() {
            let Some(func) = self.current_function() else {
                return Err(cur.error(Some(t), "a label must be inside a .function".into()));
            };
            let pc = func.code.len();
            if let Some(&(_, first)) = func.labels.get(name) {
                return Err(
                    cur.error(Some(t), format!("duplicate label '@{name}' (first defined on line {first})"))
                );
            }
            func.labels.insert(name.clone(), (pc, line));
            cur.pos += 1;
        }
        match cur.peek() {
            None => Ok(()),
            Some(t @ Token { tok: Tok::Directive(name), .. }) => {
                cur.pos += 1;
                self.directive(name, t, &mut cur)
            }
            Some(_) => self.instruction(&mut cur),
        }
    }

    // instruction -> [pc] ['[' line ']'] mnemonic [operand {',' operand}]
    fn instruction(&mut self, cur: &mut Cursor<'_>) -> Result<()> {
        if self.current_function().is_none() {
            let found = cur.peek();
            return Err(cur.error(
                found,
                format!("{} outside a function (start one with .function NAME)", describe(found)),
            ));
        }
        if let Some(Tok::Number(_)) = cur.peek_tok() {
            // The pc the disassembler prints: informational, so edited listings still
            // assemble. It must at least look like one.
            cur.integer("an instruction's pc", 0, i128::from(u32::MAX))?;
        }
        let mut source_line = None;
        if let Some(Tok::LBracket) = cur.peek_tok() {
            cur.pos += 1;
            source_line = Some(cur.u32("a source line number")?);
            cur.expect(Tok::RBracket, "']'")?;
            self.has_debug = true;
        }
        let Some(t) = cur.next() else { return Err(cur.expected("a mnemonic")) };
        let Tok::Ident(mnemonic) = &t.tok else {
            return Err(cur.error(Some(t), format!("expected a mnemonic or a directive, found '{}'", t.text)));
        };
        let Some(opcode) = Opcode::from_mnemonic(mnemonic) else {
            let hint = hint(mnemonic, "", Opcode::ALL.iter().map(|op| op.mnemonic()));
            return Err(cur.error(Some(t), format!("unknown mnemonic '{mnemonic}'{hint}")));
        };
        let operands = cur.tokens.get(cur.pos..).unwrap_or_default().to_vec();
        let end_col = cur.end_col();
        let line = cur.line;
        if let Some(func) = self.current_function() {
            if source_line.is_some() {
                func.debug.any = true;
            }
            func.code.push(PendingInstr { line, opcode, source_line, operands, end_col });
        }
        Ok(())
    }

    fn directive(&mut self, name: &str, at: &Token, cur: &mut Cursor<'_>) -> Result<()> {
        let line = cur.line;
        if name == "end" {
            cur.expect_end("'.end'")?;
            return match self.context {
                Context::Module => {
                    Err(cur.error(Some(at), "'.end' without an open .function or .debugentry".into()))
                }
                _ => {
                    self.context = Context::Module;
                    Ok(())
                }
            };
        }
        if MODULE_DIRECTIVES.contains(&name) {
            match self.context {
                Context::Module => {}
                Context::Function => {
                    let (symbol, opened) =
                        self.functions.last().map(|f| (f.symbol.clone(), f.line)).unwrap_or_default();
                    return Err(cur.error(
                        Some(at),
                        format!(
                            "'.{name}' is not allowed inside a function: close function '{symbol}' \
                             (opened on line {opened}) with .end first"
                        ),
                    ));
                }
                Context::DebugEntry { line: opened } => {
                    return Err(cur.error(
                        Some(at),
                        format!("'.{name}' is not allowed inside .debugentry (opened on line {opened}): close it with .end first"),
                    ));
                }
            }
            return self.module_directive(name, cur);
        }
        if DEBUG_DIRECTIVES.contains(&name) {
            self.has_debug = true;
            let debug = match self.context {
                Context::Module => {
                    return Err(
                        cur.error(Some(at), format!("'.{name}' belongs inside a .function or .debugentry"))
                    )
                }
                Context::Function => self.functions.last_mut().map(|f| &mut f.debug),
                Context::DebugEntry { .. } => self.extra_debug.last_mut(),
            };
            let Some(debug) = debug else {
                return Err(cur.error(Some(at), "internal: no open block".into()));
            };
            return debug_directive(debug, name, at, cur);
        }
        if FUNCTION_DIRECTIVES.contains(&name) {
            // Borrow the open function by field, so the pool stays usable beside it.
            let open = if self.context == Context::Function { self.functions.last_mut() } else { None };
            let Some(func) = open else {
                return Err(cur.error(Some(at), format!("'.{name}' belongs inside a .function")));
            };
            return match name {
                "upval" => upval_directive(func, cur, &mut self.has_debug),
                "const" => {
                    let binding = cur.binding()?;
                    let index = match cur.peek() {
                        Some(t @ Token { tok: Tok::Pool(digits), .. }) => {
                            cur.pos += 1;
                            digits.parse::<u32>().map_err(|_| {
                                cur.error(
                                    Some(t),
                                    format!("pool index '%{digits}' out of range (%0…%4294967295)"),
                                )
                            })?
                        }
                        _ => {
                            let value = cur.value()?;
                            self.pool.intern(value, line)?
                        }
                    };
                    cur.expect_end("the constant")?;
                    if let Some((symbol, t)) = binding {
                        if func.const_symbols.contains_key(&symbol) {
                            return Err(cur.error(Some(t), format!("duplicate constant name '${symbol}'")));
                        }
                        func.const_symbols.insert(symbol, func.constants.len());
                    }
                    func.constants.push(index);
                    Ok(())
                }
                "child" => {
                    let child = cur.func_ref()?;
                    cur.expect_end("the child function")?;
                    func.children.push(child);
                    Ok(())
                }
                _ => {
                    // nodebug
                    cur.expect_end("'.nodebug'")?;
                    if func.nodebug.is_some() {
                        return Err(cur.error(Some(at), "duplicate .nodebug".into()));
                    }
                    func.nodebug = Some(line);
                    self.has_debug = true;
                    Ok(())
                }
            };
        }
        let all = MODULE_DIRECTIVES.iter().chain(FUNCTION_DIRECTIVES).chain(DEBUG_DIRECTIVES).chain(&["end"]);
        let hint = hint(name, ".", all.copied());
        Err(cur.error(Some(at), format!("unknown directive '.{name}'{hint}")))
    }

    fn module_directive(&mut self, name: &str, cur: &mut Cursor<'_>) -> Result<()> {
        let line = cur.line;
        let first = cur.tokens.first();
        match name {
            "flags" => {
                let flags = cur.u32("the module flags")?;
                cur.expect_end("the flags")?;
                if self.flags.replace(flags).is_some() {
                    return Err(cur.error(first, "duplicate .flags".into()));
                }
            }
            "source" => {
                let bytes = cur.string("the chunk name (a string)")?;
                cur.expect_end("the chunk name")?;
                let source = String::from_utf8(bytes)
                    .map_err(|_| cur.error(first, "the chunk name must be valid UTF-8".into()))?;
                if self.source.replace(source).is_some() {
                    return Err(cur.error(first, "duplicate .source".into()));
                }
                self.has_debug = true;
            }
            "pool" => {
                let value = cur.value()?;
                cur.expect_end("the constant")?;
                self.pool.push(value, line)?;
            }
            "import" => {
                let (import, _) = cur.name("the import's name")?;
                cur.expect_end("the import's name")?;
                self.imports.push(import);
            }
            "export" => {
                let (export, t) = cur.name("the export's name")?;
                let function = if cur.peek_tok() == Some(&Tok::Equals) {
                    cur.pos += 1;
                    cur.func_ref()?
                } else {
                    FuncRef::Symbol { name: export.clone(), line, col: t.col }
                };
                cur.expect_end("the exported function")?;
                self.exports.push((export, function));
            }
            "entry" => {
                let function = cur.func_ref()?;
                cur.expect_end("the entry function")?;
                if self.entry.replace(function).is_some() {
                    return Err(cur.error(first, "duplicate .entry".into()));
                }
            }
            "custom" => {
                let (section, _) = cur.name("the custom section's name")?;
                let data = cur.string("the section's bytes (a string)")?;
                cur.expect_end("the section's bytes")?;
                self.custom.push(CustomSection { name: section, data });
            }
            "function" => self.function_directive(cur)?,
            _ => {
                // debugentry
                cur.expect_end("'.debugentry'")?;
                self.has_debug = true;
                self.extra_debug.push(DebugBuild { any: true, ..DebugBuild::default() });
                self.context = Context::DebugEntry { line };
            }
        }
        Ok(())
    }

    // function -> '.function' name {'params=' N | 'registers=' N | 'vararg'}
    fn function_directive(&mut self, cur: &mut Cursor<'_>) -> Result<()> {
        let (symbol, t) = cur.name("the function's name")?;
        if let Some(first) = self.symbols.get(&symbol).and_then(|&i| self.functions.get(i)) {
            return Err(cur.error(
                Some(t),
                format!("duplicate function name '{symbol}' (first defined on line {})", first.line),
            ));
        }
        let mut params = None;
        let mut registers = None;
        let mut vararg = false;
        while let Some(t) = cur.next() {
            let Tok::Ident(key) = &t.tok else {
                return Err(cur.error(
                    Some(t),
                    format!("expected params=N, registers=N or vararg, found '{}'", t.text),
                ));
            };
            let duplicate = |cur: &Cursor<'_>| cur.error(Some(t), format!("duplicate attribute '{key}'"));
            match key.as_str() {
                "vararg" if vararg => return Err(duplicate(cur)),
                "vararg" => vararg = true,
                "params" | "registers" => {
                    cur.expect(Tok::Equals, &format!("'=' after {key}"))?;
                    let n = cur.u8(&format!("the number of {key}"))?;
                    let slot = if key == "params" { &mut params } else { &mut registers };
                    if slot.replace(n).is_some() {
                        return Err(duplicate(cur));
                    }
                }
                _ => {
                    let hint = hint(key, "", ["params", "registers", "vararg"]);
                    return Err(cur.error(
                        Some(t),
                        format!("unknown function attribute '{key}'{hint}: expected params=N, registers=N or vararg"),
                    ));
                }
            }
        }
        self.symbols.insert(symbol.clone(), self.functions.len());
        self.functions.push(FuncBuild {
            symbol,
            line: cur.line,
            params: params.unwrap_or(0),
            vararg,
            registers,
            upvalues: Vec::new(),
            upval_debug_names: Vec::new(),
            upval_symbols: HashMap::new(),
            constants: Vec::new(),
            const_symbols: HashMap::new(),
            children: Vec::new(),
            labels: HashMap::new(),
            code: Vec::new(),
            debug: DebugBuild::default(),
            nodebug: None,
        });
        self.context = Context::Function;
        Ok(())
    }

    fn finish(mut self) -> Result<Module> {
        match self.context {
            Context::Module => {}
            Context::Function => {
                let (symbol, line) =
                    self.functions.last().map(|f| (f.symbol.clone(), f.line)).unwrap_or_default();
                return Err(AsmError::on_line(line, format!("function '{symbol}' is missing its .end")));
            }
            Context::DebugEntry { line } => {
                return Err(AsmError::on_line(line, ".debugentry is missing its .end".into()))
            }
        }
        let builds = std::mem::take(&mut self.functions);
        let mut functions = Vec::with_capacity(builds.len());
        let mut debug_functions = Vec::new();
        let mut first_nodebug: Option<(String, usize)> = None;
        for build in builds {
            let (symbol, line, nodebug) = (build.symbol.clone(), build.line, build.nodebug);
            let (function, debug) = self.build_function(build)?;
            functions.push(function);
            match (nodebug, &first_nodebug) {
                (Some(at), _) => {
                    if debug.any {
                        return Err(AsmError::on_line(
                            at,
                            format!("function '{symbol}' has .nodebug and debug directives too"),
                        ));
                    }
                    first_nodebug.get_or_insert((symbol, at));
                }
                (None, Some((earlier, _))) => {
                    return Err(AsmError::on_line(
                        line,
                        format!(
                            "function '{symbol}' needs .nodebug too: only the last functions of a module can \
                             lack debug info, and '{earlier}' before it has .nodebug"
                        ),
                    ))
                }
                (None, None) => debug_functions.push(debug.entry),
            }
        }
        if let (Some((symbol, at)), false) = (&first_nodebug, self.extra_debug.is_empty()) {
            return Err(AsmError::on_line(
                *at,
                format!(".nodebug on '{symbol}' cannot be combined with .debugentry blocks"),
            ));
        }
        for extra in std::mem::take(&mut self.extra_debug) {
            debug_functions.push(resolve_debug(extra, &HashMap::new(), &[], Vec::new())?.entry);
        }
        let exports = std::mem::take(&mut self.exports)
            .into_iter()
            .map(|(name, function)| Ok(Export { name, function: self.resolve_function(&function)? }))
            .collect::<Result<Vec<_>>>()?;
        let entry = match self.entry.take() {
            Some(function) => Some(self.resolve_function(&function)?),
            None => None,
        };
        Ok(Module {
            flags: self.flags.unwrap_or(0),
            constants: self.pool.values,
            functions,
            imports: self.imports.into_iter().map(|name| ImportDecl { name }).collect(),
            exports,
            entry,
            debug: self
                .has_debug
                .then(|| DebugInfo { source: self.source.unwrap_or_default(), functions: debug_functions }),
            custom: self.custom,
        })
    }

    fn resolve_function(&self, function: &FuncRef) -> Result<u32> {
        match function {
            FuncRef::Index(index) => Ok(*index),
            FuncRef::Symbol { name, line, col } => self
                .symbols
                .get(name)
                .and_then(|&i| u32::try_from(i).ok())
                .ok_or_else(|| unknown_function(name, "", *line, *col, &self.symbols)),
        }
    }

    /// The second pass over one function. Returns the function and its debug directives
    /// resolved against its labels (the caller decides whether they become an entry).
    fn build_function(&mut self, build: FuncBuild) -> Result<(Function, ResolvedDebug)> {
        let mut children = Vec::with_capacity(build.children.len());
        for child in &build.children {
            children.push(self.resolve_function(child)?);
        }
        let mut constants = build.constants;
        let mut max_register: Option<u8> = None;
        let mut code = Vec::with_capacity(build.code.len());
        let names = Names {
            labels: &build.labels,
            upvals: &build.upval_symbols,
            consts: &build.const_symbols,
            functions: &self.symbols,
            imports: &self.imports,
        };
        for (pc, pending) in build.code.iter().enumerate() {
            let mut source = TextOperands {
                instr: pending,
                pos: 0,
                taken: 0,
                pc,
                names: &names,
                constants: &mut constants,
                children: &mut children,
                pool: &mut self.pool,
                max_register: &mut max_register,
            };
            let instr = Instr::build(pending.opcode, &mut source)?;
            source.finish()?;
            code.push(instr);
        }
        let num_registers = build.registers.unwrap_or_else(|| {
            let used = max_register.map_or(0, |r| u16::from(r) + 1);
            used.max(u16::from(build.params)).min(limits::MAX_REGISTERS as u16) as u8
        });

        let marks: Vec<Option<u32>> = build.code.iter().map(|p| p.source_line).collect();
        let debug = resolve_debug(build.debug, &build.labels, &marks, build.upval_debug_names)?;
        let function = Function {
            num_params: build.params,
            is_vararg: build.vararg,
            num_registers,
            upvalues: build.upvalues,
            constants,
            children,
            code,
        };
        Ok((function, debug))
    }
}

/// A function's debug directives with labels resolved.
struct ResolvedDebug {
    /// Whether any debug directive was written (it conflicts with `.nodebug`).
    any: bool,
    entry: FunctionDebug,
}

/// Resolves a function's (or a `.debugentry` block's) debug directives: `marks` are the
/// per-instruction `[N]` marks and `inline_names` the `name=` of each `.upval`.
fn resolve_debug(
    build: DebugBuild,
    labels: &HashMap<String, (usize, usize)>,
    marks: &[Option<u32>],
    inline_names: Vec<Option<String>>,
) -> Result<ResolvedDebug> {
    let lines = match (build.lines, marks.iter().any(Option::is_some)) {
        (Some((_, at)), true) => {
            return Err(AsmError::on_line(
                at,
                "'.lines' and per-instruction [line] marks cannot both be used in one function".into(),
            ))
        }
        (Some((lines, _)), false) => lines,
        (None, true) => {
            // A mark holds until the next one; instructions before the first get 0.
            let mut current = 0;
            marks
                .iter()
                .map(|mark| {
                    current = mark.unwrap_or(current);
                    current
                })
                .collect()
        }
        (None, false) => Vec::new(),
    };
    let upvalue_names = match (build.upvalnames, inline_names.iter().any(Option::is_some)) {
        (Some((_, at)), true) => {
            return Err(AsmError::on_line(
                at,
                "'.upvalnames' and name= on .upval cannot both be used in one function".into(),
            ))
        }
        (Some((names, _)), false) => names,
        (None, true) => inline_names.into_iter().map(Option::unwrap_or_default).collect(),
        (None, false) => Vec::new(),
    };
    let mut locals = Vec::with_capacity(build.locals.len());
    for (name, register, start, end) in build.locals {
        let start_pc = resolve_pc(&start, labels)?;
        let end_pc = resolve_pc(&end, labels)?;
        locals.push(LocalInfo { name, register, start_pc, end_pc });
    }
    Ok(ResolvedDebug {
        any: build.any,
        entry: FunctionDebug {
            name: build.name,
            line_defined: build.defined.map_or(0, |d| d.0),
            last_line: build.defined.map_or(0, |d| d.1),
            lines,
            locals,
            upvalue_names,
        },
    })
}

fn resolve_pc(pc: &PcRef, labels: &HashMap<String, (usize, usize)>) -> Result<u32> {
    match pc {
        PcRef::Pc(pc) => Ok(*pc),
        PcRef::Label { name, line, col } => {
            let Some(&(pc, _)) = labels.get(name) else {
                let hint = hint(name, "@", labels.keys().map(String::as_str));
                return Err(AsmError::at(*line, *col, format!("undefined label '@{name}'{hint}")));
            };
            u32::try_from(pc).map_err(|_| AsmError::at(*line, *col, "label position too large".into()))
        }
    }
}

fn unknown_function(
    name: &str,
    sigil: &str,
    line: usize,
    col: usize,
    symbols: &HashMap<String, usize>,
) -> AsmError {
    let hint = hint(name, sigil, symbols.keys().map(String::as_str));
    AsmError::at(line, col, format!("unknown function '{sigil}{name}'{hint}"))
}

// upval -> '.upval' [name '='] ('rN' | 'uN' | 'globals') ['name=' name]
fn upval_directive(func: &mut FuncBuild, cur: &mut Cursor<'_>, has_debug: &mut bool) -> Result<()> {
    let binding = cur.binding()?;
    const WHAT: &str =
        "an upvalue source (rN: a register of the enclosing function, uN: one of its upvalues, \
                        or globals)";
    let Some(t) = cur.peek() else { return Err(cur.expected(WHAT)) };
    let source = if matches!(&t.tok, Tok::Ident(w) if w == "globals") {
        UpvalSource::Globals
    } else {
        match (indexed(t, 'r', u64::from(u8::MAX)), indexed(t, 'u', u64::from(u8::MAX))) {
            (Indexed::Yes(n), _) => UpvalSource::ParentRegister(n as u8),
            (_, Indexed::Yes(n)) => UpvalSource::ParentUpval(n as u8),
            (Indexed::OutOfRange, _) | (_, Indexed::OutOfRange) => {
                return Err(cur.error(Some(t), format!("'{}' out of range (0…255)", t.text)))
            }
            _ => return Err(cur.expected(WHAT)),
        }
    };
    cur.pos += 1;
    let mut debug_name = None;
    if let Some(Tok::Ident(key)) = cur.peek_tok() {
        if key != "name" {
            return Err(cur.expected("name=\"…\" (the upvalue's debug name) or the end of the line"));
        }
        cur.pos += 1;
        cur.expect(Tok::Equals, "'=' after name")?;
        debug_name = Some(cur.name("the upvalue's debug name")?.0);
        *has_debug = true;
        func.debug.any = true;
    }
    cur.expect_end("the upvalue")?;
    if let Some((symbol, t)) = binding {
        if func.upval_symbols.contains_key(&symbol) {
            return Err(cur.error(Some(t), format!("duplicate upvalue name '${symbol}'")));
        }
        func.upval_symbols.insert(symbol, func.upvalues.len());
    }
    func.upvalues.push(source);
    func.upval_debug_names.push(debug_name);
    Ok(())
}

fn debug_directive(debug: &mut DebugBuild, name: &str, at: &Token, cur: &mut Cursor<'_>) -> Result<()> {
    debug.any = true;
    let duplicate = |cur: &Cursor<'_>| cur.error(Some(at), format!("duplicate .{name}"));
    match name {
        "name" => {
            let (function_name, _) = cur.name("the function's debug name")?;
            cur.expect_end("the name")?;
            if debug.name.replace(function_name).is_some() {
                return Err(duplicate(cur));
            }
        }
        "defined" => {
            let first = cur.u32("the line where the definition starts")?;
            let last = cur.u32("the line where it ends")?;
            cur.expect_end("the two lines")?;
            if debug.defined.replace((first, last)).is_some() {
                return Err(duplicate(cur));
            }
        }
        "lines" => {
            let mut lines = Vec::new();
            while cur.peek().is_some() {
                lines.push(cur.u32("a source line number")?);
            }
            if debug.lines.replace((lines, cur.line)).is_some() {
                return Err(duplicate(cur));
            }
        }
        "local" => {
            let (local, _) = cur.name("the local's name")?;
            let register = cur.register("the local's register (rN)")?;
            let start = cur.pc("the first pc where it is live")?;
            let end = cur.pc("the first pc where it is dead")?;
            cur.expect_end("the local")?;
            debug.locals.push((local, register, start, end));
        }
        _ => {
            // upvalnames
            let mut names = Vec::new();
            while cur.peek().is_some() {
                names.push(cur.name("an upvalue name")?.0);
            }
            if debug.upvalnames.replace((names, cur.line)).is_some() {
                return Err(duplicate(cur));
            }
        }
    }
    Ok(())
}

/// Names visible to one function's operands.
struct Names<'a> {
    labels: &'a HashMap<String, (usize, usize)>,
    upvals: &'a HashMap<String, usize>,
    consts: &'a HashMap<String, usize>,
    functions: &'a HashMap<String, usize>,
    imports: &'a [String],
}

/// The operand source for one instruction: parses the next comma-separated operand as
/// the kind the instruction table asks for.
struct TextOperands<'a, 'm> {
    instr: &'a PendingInstr,
    pos: usize,
    /// Operands parsed so far.
    taken: usize,
    pc: usize,
    names: &'a Names<'a>,
    constants: &'m mut Vec<u32>,
    children: &'m mut Vec<u32>,
    pool: &'m mut Pool,
    max_register: &'m mut Option<u8>,
}

impl TextOperands<'_, '_> {
    fn mnemonic(&self) -> &'static str {
        self.instr.opcode.mnemonic()
    }

    fn error(&self, col: usize, message: String) -> AsmError {
        AsmError::at(self.instr.line, col, message)
    }

    fn expected_list(&self) -> String {
        let operands = self.instr.opcode.operands();
        let names: Vec<&str> = operands.iter().map(|(name, _)| *name).collect();
        format!("{}: {}", operands.len(), names.join(", "))
    }

    /// Rejects operands left over after the last one the instruction takes.
    fn finish(&self) -> Result<()> {
        let Some(t) = self.instr.operands.get(self.pos) else { return Ok(()) };
        let message = if self.taken == 0 {
            format!("'{}' takes no operands, found '{}'", self.mnemonic(), t.text)
        } else {
            format!(
                "'{}': too many operands, found '{}' (expected {})",
                self.mnemonic(),
                t.text,
                self.expected_list()
            )
        };
        Err(self.error(t.col, message))
    }

    /// A string constant written inline: an equal constant of this function, or a new one.
    fn inline_constant(&mut self, value: Constant, token: &Token) -> Result<usize> {
        let pool = &self.pool.values;
        let existing = self
            .constants
            .iter()
            .position(|&p| usize::try_from(p).ok().and_then(|p| pool.get(p)).is_some_and(|c| *c == value));
        if let Some(k) = existing {
            return Ok(k);
        }
        let index = self.pool.intern(value, self.instr.line).map_err(|e| self.error(token.col, e.message))?;
        self.constants.push(index);
        Ok(self.constants.len() - 1)
    }

    /// A number operand in `min..=max`.
    fn number(&self, token: &Token, what: &str, min: i128, max: i128, range: &str) -> Result<Option<i128>> {
        let Tok::Number(text) = &token.tok else { return Ok(None) };
        match literal::parse_number(text) {
            Ok(Number::Int(n)) if (min..=max).contains(&n) => Ok(Some(n)),
            Ok(Number::Int(_)) | Err(NumberError::TooLarge) => {
                Err(self.error(token.col, format!("{what} {text} out of range ({range})")))
            }
            Ok(Number::Float(_)) | Err(NumberError::Malformed) => {
                Err(self.error(token.col, format!("{what} must be an integer, found '{text}'")))
            }
        }
    }

    /// `prefix` + digits, or an error if the digits are out of range.
    fn indexed(&self, token: &Token, prefix: char, max: u64, what: &str) -> Result<Option<u64>> {
        match indexed(token, prefix, max) {
            Indexed::Yes(n) => Ok(Some(n)),
            Indexed::No => Ok(None),
            Indexed::OutOfRange => Err(self
                .error(token.col, format!("{what} '{}' out of range ({prefix}0…{prefix}{max})", token.text))),
        }
    }

    /// Converts a table index found by name to the operand's width.
    fn fits<T: TryFrom<usize>>(&self, index: usize, token: &Token, what: &str) -> Result<T> {
        T::try_from(index).map_err(|_| {
            self.error(token.col, format!("'{}' is {what} {index}, too large for an operand", token.text))
        })
    }

    fn parse(&mut self, token: &Token, kind: OperandKind) -> Result<Option<OperandValue>> {
        let value = match kind {
            OperandKind::Reg => self.indexed(token, 'r', u64::from(u8::MAX), "register")?.map(|n| {
                let register = n as u8;
                *self.max_register = Some(self.max_register.map_or(register, |m| m.max(register)));
                OperandValue::Reg(Reg(register))
            }),
            OperandKind::Const => {
                if let Some(n) = self.indexed(token, 'k', u64::from(u16::MAX), "constant")? {
                    Some(OperandValue::Const(Const(n as u16)))
                } else if let Tok::Ref(name) = &token.tok {
                    let Some(&index) = self.names.consts.get(name) else {
                        let hint = hint(name, "$", self.names.consts.keys().map(String::as_str));
                        return Err(self.error(token.col, format!("undefined constant '${name}'{hint}")));
                    };
                    Some(OperandValue::Const(Const(self.fits(index, token, "constant")?)))
                } else if let Tok::Str(bytes) = &token.tok {
                    let index = self.inline_constant(Constant::Str(bytes.clone()), token)?;
                    Some(OperandValue::Const(Const(self.fits(index, token, "constant")?)))
                } else {
                    None
                }
            }
            OperandKind::Upval => {
                if let Some(n) = self.indexed(token, 'u', u64::from(u8::MAX), "upvalue")? {
                    Some(OperandValue::Upval(Upval(n as u8)))
                } else if let Tok::Ref(name) = &token.tok {
                    let Some(&index) = self.names.upvals.get(name) else {
                        let hint = hint(name, "$", self.names.upvals.keys().map(String::as_str));
                        return Err(self.error(token.col, format!("undefined upvalue '${name}'{hint}")));
                    };
                    Some(OperandValue::Upval(Upval(self.fits(index, token, "upvalue")?)))
                } else {
                    None
                }
            }
            OperandKind::Proto => {
                if let Some(n) = self.indexed(token, 'p', u64::from(u16::MAX), "child function")? {
                    Some(OperandValue::Proto(Proto(n as u16)))
                } else if let Tok::Ref(name) = &token.tok {
                    let Some(function) = self.names.functions.get(name).and_then(|&i| u32::try_from(i).ok())
                    else {
                        return Err(unknown_function(
                            name,
                            "$",
                            self.instr.line,
                            token.col,
                            self.names.functions,
                        ));
                    };
                    let index = match self.children.iter().position(|&c| c == function) {
                        Some(index) => index,
                        None => {
                            self.children.push(function);
                            self.children.len() - 1
                        }
                    };
                    Some(OperandValue::Proto(Proto(self.fits(index, token, "child function")?)))
                } else {
                    None
                }
            }
            OperandKind::Import => {
                if let Some(n) = self.indexed(token, 'i', u64::from(u16::MAX), "import")? {
                    Some(OperandValue::Import(Import(n as u16)))
                } else if let Tok::Ref(name) = &token.tok {
                    let Some(index) = self.names.imports.iter().position(|i| i == name) else {
                        let hint = hint(name, "$", self.names.imports.iter().map(String::as_str));
                        return Err(self.error(
                            token.col,
                            format!("undefined import '${name}' (declare it with .import){hint}"),
                        ));
                    };
                    Some(OperandValue::Import(Import(self.fits(index, token, "import")?)))
                } else {
                    None
                }
            }
            OperandKind::Jump => match &token.tok {
                Tok::LabelRef(name) => {
                    let Some(&(target, _)) = self.names.labels.get(name) else {
                        let hint = hint(name, "@", self.names.labels.keys().map(String::as_str));
                        return Err(self.error(token.col, format!("undefined label '@{name}'{hint}")));
                    };
                    let jump = Jump::between(self.pc, target)
                        .ok_or_else(|| self.error(token.col, format!("label '@{name}' is too far away")))?;
                    Some(OperandValue::Jump(jump))
                }
                Tok::LabelRel(offset) => {
                    let n = match literal::parse_number(offset) {
                        Ok(Number::Int(n)) => i32::try_from(n).ok(),
                        _ => None,
                    };
                    let n = n.ok_or_else(|| {
                        self.error(
                            token.col,
                            format!("branch offset '@{offset}' out of range (a 32-bit offset)"),
                        )
                    })?;
                    Some(OperandValue::Jump(Jump(n)))
                }
                _ => None,
            },
            OperandKind::Imm => self
                .number(token, "immediate", i128::from(i16::MIN), i128::from(i16::MAX), "-32768…32767")?
                .map(|n| OperandValue::Imm(Imm(n as i16))),
            OperandKind::Int => self
                .number(token, "integer", 0, i128::from(u32::MAX), "0…4294967295")?
                .map(|n| OperandValue::Int(Int(n as u32))),
            OperandKind::Count => self
                .number(token, "count", 0, i128::from(u8::MAX), "0…255")?
                .map(|n| OperandValue::Count(Count(n as u8))),
            OperandKind::VarCount => {
                if token.tok == Tok::Star {
                    Some(OperandValue::VarCount(VarCount::MULTI))
                } else {
                    self.number(
                        token,
                        "count",
                        0,
                        i128::from(VarCount::MULTI_RAW) - 1,
                        "0…254, or * for all",
                    )?
                    .map(|n| OperandValue::VarCount(VarCount(n as u8)))
                }
            }
        };
        Ok(value)
    }
}

impl OperandSource for TextOperands<'_, '_> {
    type Error = AsmError;

    fn operand(&mut self, kind: OperandKind, name: &'static str) -> Result<OperandValue> {
        let instr = self.instr;
        let tokens = &instr.operands;
        let missing = |col: usize| {
            AsmError::at(
                instr.line,
                col,
                format!("'{}': missing operand '{name}' (expected {})", instr.opcode.mnemonic(), kind.name()),
            )
        };
        if self.taken > 0 {
            match tokens.get(self.pos) {
                Some(Token { tok: Tok::Comma, .. }) => self.pos += 1,
                Some(t) => {
                    return Err(self.error(
                        t.col,
                        format!(
                            "'{}': expected ',' before operand '{name}', found '{}'",
                            self.mnemonic(),
                            t.text
                        ),
                    ))
                }
                None => return Err(missing(instr.end_col)),
            }
        }
        self.taken += 1;
        let token = match tokens.get(self.pos) {
            Some(t) if t.tok != Tok::Comma => t,
            Some(t) => return Err(missing(t.col)),
            None => return Err(missing(instr.end_col)),
        };
        self.pos += 1;
        match self.parse(token, kind)? {
            Some(value) => Ok(value),
            None => Err(self.error(
                token.col,
                format!(
                    "'{}' operand '{name}': expected {}, found '{}'",
                    self.mnemonic(),
                    kind.name(),
                    token.text
                ),
            )),
        }
    }

    fn wrong_kind(&mut self, expected: OperandKind, name: &'static str) -> AsmError {
        // `parse` answers with the kind it was asked for; reaching this is a bug here.
        AsmError::on_line(
            self.instr.line,
            format!("internal assembler error: operand '{name}' was not parsed as {}", expected.name()),
        )
    }
}
