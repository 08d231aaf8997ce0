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

use super::cursor::{describe, hint, indexed, unknown_function, Cursor, FuncRef, Indexed, PcRef};
use super::lexer::{lex_line, Tok, Token};
use super::operands::{FunctionTables, Names, TextOperands};
use super::AsmError;
use crate::isa::{Instr, Opcode};
use crate::module::*;

type Result<T> = std::result::Result<T, AsmError>;

/// Directives allowed at module level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModuleDirective {
    Flags,
    Source,
    Pool,
    Import,
    Export,
    Entry,
    Custom,
    Function,
    DebugEntry,
}

/// Directives allowed only inside `.function`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FunctionDirective {
    Upval,
    Const,
    Child,
    NoDebug,
}

/// Debug directives, allowed inside `.function` and `.debugentry`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DebugDirective {
    Name,
    Defined,
    Lines,
    Local,
    UpvalNames,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    Module(ModuleDirective),
    Function(FunctionDirective),
    Debug(DebugDirective),
    End,
}

/// Every directive by name (also the candidates for "did you mean").
const DIRECTIVES: &[(&str, Directive)] = &[
    ("flags", Directive::Module(ModuleDirective::Flags)),
    ("source", Directive::Module(ModuleDirective::Source)),
    ("pool", Directive::Module(ModuleDirective::Pool)),
    ("import", Directive::Module(ModuleDirective::Import)),
    ("export", Directive::Module(ModuleDirective::Export)),
    ("entry", Directive::Module(ModuleDirective::Entry)),
    ("custom", Directive::Module(ModuleDirective::Custom)),
    ("function", Directive::Module(ModuleDirective::Function)),
    ("debugentry", Directive::Module(ModuleDirective::DebugEntry)),
    ("upval", Directive::Function(FunctionDirective::Upval)),
    ("const", Directive::Function(FunctionDirective::Const)),
    ("child", Directive::Function(FunctionDirective::Child)),
    ("nodebug", Directive::Function(FunctionDirective::NoDebug)),
    ("name", Directive::Debug(DebugDirective::Name)),
    ("defined", Directive::Debug(DebugDirective::Defined)),
    ("lines", Directive::Debug(DebugDirective::Lines)),
    ("local", Directive::Debug(DebugDirective::Local)),
    ("upvalnames", Directive::Debug(DebugDirective::UpvalNames)),
    ("end", Directive::End),
];

impl Directive {
    fn from_name(name: &str) -> Option<Directive> {
        DIRECTIVES.iter().find(|(n, _)| *n == name).map(|&(_, d)| d)
    }
}

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

/// Pool constants compared by bits, for reusing an existing pool entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ConstKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Vec<u8>),
}

impl ConstKey {
    pub(super) fn of(value: &Constant) -> ConstKey {
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
pub(super) struct Pool {
    pub values: Vec<Constant>,
    /// First index of each value, so written-out constants share entries.
    first: HashMap<ConstKey, u32>,
}

impl Pool {
    /// `.pool`: always a new entry, so a disassembled pool comes back entry for entry.
    pub(super) fn push(&mut self, value: Constant, line: usize) -> Result<()> {
        let index = u32::try_from(self.values.len())
            .map_err(|_| AsmError::on_line(line, "the constant pool is full".into()))?;
        self.first.entry(ConstKey::of(&value)).or_insert(index);
        self.values.push(value);
        Ok(())
    }

    /// A constant written by value: reuses an equal entry (floats by bits) or adds one.
    pub(super) fn intern(&mut self, value: Constant, line: usize) -> Result<u32> {
        if let Some(&index) = self.first.get(&ConstKey::of(&value)) {
            return Ok(index);
        }
        let index = u32::try_from(self.values.len())
            .map_err(|_| AsmError::on_line(line, "the constant pool is full".into()))?;
        self.push(value, line)?;
        Ok(index)
    }
}

/// An instruction between the passes: its operand tokens wait for every label and name.
pub(super) struct PendingInstr {
    pub line: usize,
    pub opcode: Opcode,
    /// The `[N]` source-line mark, if written.
    pub source_line: Option<u32>,
    pub operands: Vec<Token>,
    /// Column just past the end of the line's tokens, for "missing operand" errors.
    pub end_col: usize,
}

/// The debug directives of a function or a `.debugentry` block, as written.
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

/// A function between the passes: declarations done, instructions pending.
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

/// The block the next line is in.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Context {
    #[default]
    Module,
    Function,
    DebugEntry {
        line: usize,
    },
}

/// The first pass's state: the module so far, minus instruction operands.
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
    /// Import name → first index with that name (built before the second pass).
    import_index: HashMap<String, usize>,
    extra_debug: Vec<DebugBuild>,
    context: Context,
    has_debug: bool,
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
        let Some(directive) = Directive::from_name(name) else {
            let hint = hint(name, ".", DIRECTIVES.iter().map(|(name, _)| *name));
            return Err(cur.error(Some(at), format!("unknown directive '.{name}'{hint}")));
        };
        match directive {
            Directive::End => {
                cur.expect_end("'.end'")?;
                if self.context == Context::Module {
                    return Err(cur.error(Some(at), "'.end' without an open .function or .debugentry".into()));
                }
                self.context = Context::Module;
                Ok(())
            }
            Directive::Module(directive) => {
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
                            format!(
                                "'.{name}' is not allowed inside .debugentry (opened on line {opened}): \
                                 close it with .end first"
                            ),
                        ));
                    }
                }
                self.module_directive(directive, at, cur)
            }
            Directive::Function(directive) => {
                // Borrow the open function by field, so the pool stays usable beside it.
                let open = if self.context == Context::Function { self.functions.last_mut() } else { None };
                let Some(func) = open else {
                    return Err(cur.error(Some(at), format!("'.{name}' belongs inside a .function")));
                };
                function_directive(func, &mut self.pool, &mut self.has_debug, directive, at, cur)
            }
            Directive::Debug(directive) => {
                self.has_debug = true;
                let debug = match self.context {
                    Context::Module => {
                        return Err(cur
                            .error(Some(at), format!("'.{name}' belongs inside a .function or .debugentry")))
                    }
                    Context::Function => self.functions.last_mut().map(|f| &mut f.debug),
                    Context::DebugEntry { .. } => self.extra_debug.last_mut(),
                };
                match debug {
                    Some(debug) => debug_directive(debug, directive, at, cur),
                    None => Err(cur.error(Some(at), "internal assembler error: no open block".into())),
                }
            }
        }
    }

    fn module_directive(
        &mut self,
        directive: ModuleDirective,
        at: &Token,
        cur: &mut Cursor<'_>,
    ) -> Result<()> {
        let line = cur.line;
        let duplicate = |cur: &Cursor<'_>| cur.error(Some(at), format!("duplicate {}", at.text));
        match directive {
            ModuleDirective::Flags => {
                let flags = cur.u32("the module flags")?;
                cur.expect_end("the flags")?;
                if self.flags.replace(flags).is_some() {
                    return Err(duplicate(cur));
                }
            }
            ModuleDirective::Source => {
                let bytes = cur.string("the chunk name (a string)")?;
                cur.expect_end("the chunk name")?;
                let source = String::from_utf8(bytes)
                    .map_err(|_| cur.error(Some(at), "the chunk name must be valid UTF-8".into()))?;
                if self.source.replace(source).is_some() {
                    return Err(duplicate(cur));
                }
                self.has_debug = true;
            }
            ModuleDirective::Pool => {
                let value = cur.value()?;
                cur.expect_end("the constant")?;
                self.pool.push(value, line)?;
            }
            ModuleDirective::Import => {
                let (import, _) = cur.name("the import's name")?;
                cur.expect_end("the import's name")?;
                self.imports.push(import);
            }
            ModuleDirective::Export => {
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
            ModuleDirective::Entry => {
                let function = cur.func_ref()?;
                cur.expect_end("the entry function")?;
                if self.entry.replace(function).is_some() {
                    return Err(duplicate(cur));
                }
            }
            ModuleDirective::Custom => {
                let (section, _) = cur.name("the custom section's name")?;
                let data = cur.string("the section's bytes (a string)")?;
                cur.expect_end("the section's bytes")?;
                self.custom.push(CustomSection { name: section, data });
            }
            ModuleDirective::Function => self.function_header(cur)?,
            ModuleDirective::DebugEntry => {
                cur.expect_end("'.debugentry'")?;
                self.has_debug = true;
                self.extra_debug.push(DebugBuild { any: true, ..DebugBuild::default() });
                self.context = Context::DebugEntry { line };
            }
        }
        Ok(())
    }

    // function -> '.function' name {'params=' N | 'registers=' N | 'vararg'}
    fn function_header(&mut self, cur: &mut Cursor<'_>) -> Result<()> {
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
        for (index, import) in self.imports.iter().enumerate() {
            self.import_index.entry(import.clone()).or_insert(index);
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
        let mut tables = FunctionTables::new(build.constants, children, &self.pool.values);
        let mut code = Vec::with_capacity(build.code.len());
        let names = Names {
            labels: &build.labels,
            upvals: &build.upval_symbols,
            consts: &build.const_symbols,
            functions: &self.symbols,
            imports: &self.import_index,
        };
        for (pc, pending) in build.code.iter().enumerate() {
            let mut source = TextOperands {
                instr: pending,
                pos: 0,
                taken: 0,
                pc,
                names: &names,
                tables: &mut tables,
                pool: &mut self.pool,
            };
            let instr = Instr::build(pending.opcode, &mut source)?;
            source.finish()?;
            code.push(instr);
        }
        let max_register = tables.max_register;
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
            constants: tables.constants,
            children: tables.children,
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

fn function_directive(
    func: &mut FuncBuild,
    pool: &mut Pool,
    has_debug: &mut bool,
    directive: FunctionDirective,
    at: &Token,
    cur: &mut Cursor<'_>,
) -> Result<()> {
    match directive {
        FunctionDirective::Upval => upval_directive(func, cur, has_debug),
        // const -> '.const' [name '='] (value | '%' N)
        FunctionDirective::Const => {
            let binding = cur.binding()?;
            let index = match cur.peek() {
                Some(t @ Token { tok: Tok::Pool(digits), .. }) => {
                    cur.pos += 1;
                    digits.parse::<u32>().map_err(|_| {
                        cur.error(Some(t), format!("pool index '%{digits}' out of range (%0…%4294967295)"))
                    })?
                }
                _ => {
                    let value = cur.value()?;
                    pool.intern(value, cur.line)?
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
        FunctionDirective::Child => {
            let child = cur.func_ref()?;
            cur.expect_end("the child function")?;
            func.children.push(child);
            Ok(())
        }
        FunctionDirective::NoDebug => {
            cur.expect_end("'.nodebug'")?;
            if func.nodebug.is_some() {
                return Err(cur.error(Some(at), "duplicate .nodebug".into()));
            }
            func.nodebug = Some(cur.line);
            *has_debug = true;
            Ok(())
        }
    }
}

// upval -> '.upval' [name '='] ('rN' | 'uN' | 'globals') ['name=' name]
fn upval_directive(func: &mut FuncBuild, cur: &mut Cursor<'_>, has_debug: &mut bool) -> Result<()> {
    const WHAT: &str =
        "an upvalue source (rN: a register of the enclosing function, uN: one of its upvalues, or globals)";
    let binding = cur.binding()?;
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
            (Indexed::No, Indexed::No) => return Err(cur.expected(WHAT)),
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

fn debug_directive(
    debug: &mut DebugBuild,
    directive: DebugDirective,
    at: &Token,
    cur: &mut Cursor<'_>,
) -> Result<()> {
    debug.any = true;
    let duplicate = |cur: &Cursor<'_>| cur.error(Some(at), format!("duplicate {}", at.text));
    match directive {
        DebugDirective::Name => {
            let (function_name, _) = cur.name("the function's debug name")?;
            cur.expect_end("the name")?;
            if debug.name.replace(function_name).is_some() {
                return Err(duplicate(cur));
            }
        }
        DebugDirective::Defined => {
            let first = cur.u32("the line where the definition starts")?;
            let last = cur.u32("the line where it ends")?;
            cur.expect_end("the two lines")?;
            if debug.defined.replace((first, last)).is_some() {
                return Err(duplicate(cur));
            }
        }
        DebugDirective::Lines => {
            let mut lines = Vec::new();
            while cur.peek().is_some() {
                lines.push(cur.u32("a source line number")?);
            }
            if debug.lines.replace((lines, cur.line)).is_some() {
                return Err(duplicate(cur));
            }
        }
        // local -> '.local' name 'rN' pc pc
        DebugDirective::Local => {
            let (local, _) = cur.name("the local's name")?;
            let register = cur.register("the local's register (rN)")?;
            let start = cur.pc("the first pc where it is live")?;
            let end = cur.pc("the first pc where it is dead")?;
            cur.expect_end("the local")?;
            debug.locals.push((local, register, start, end));
        }
        DebugDirective::UpvalNames => {
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
