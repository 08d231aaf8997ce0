//! The assembler's operand source: parses one instruction's comma-separated operands,
//! each as the kind the instruction table asks for ([`Instr::build`](crate::Instr::build)
//! drives it), and resolves names: labels to branch offsets, `$name` to constant,
//! upvalue, child-function and import indices.
//!
//! It knows operand kinds, never instructions. An operand that names something not yet
//! in the function's tables (an inline string constant, a child function) appends it.

use std::collections::HashMap;

use super::asm::{ConstKey, PendingInstr, Pool};
use super::cursor::{hint, indexed, unknown_function, Indexed};
use super::lexer::{Tok, Token};
use super::literal::{self, Number, NumberError};
use super::AsmError;
use crate::module::Constant;
use crate::operand::*;

type Result<T> = std::result::Result<T, AsmError>;

/// Names visible to one function's operands.
pub(super) struct Names<'a> {
    pub labels: &'a HashMap<String, (usize, usize)>,
    pub upvals: &'a HashMap<String, usize>,
    pub consts: &'a HashMap<String, usize>,
    pub functions: &'a HashMap<String, usize>,
    /// Import name → first index with that name.
    pub imports: &'a HashMap<String, usize>,
}

/// One function's constant and child tables as its operands fill them in, indexed so that
/// finding an entry by value costs the same however large the function is.
pub(super) struct FunctionTables {
    pub constants: Vec<u32>,
    pub children: Vec<u32>,
    /// The highest register any operand named, for inferring the register count.
    pub max_register: Option<u8>,
    /// Value → first constant slot whose pool entry holds it.
    constant_by_value: HashMap<ConstKey, usize>,
    /// Function index → first child slot holding it.
    child_by_function: HashMap<u32, usize>,
}

impl FunctionTables {
    pub(super) fn new(constants: Vec<u32>, children: Vec<u32>, pool: &[Constant]) -> FunctionTables {
        let mut constant_by_value = HashMap::new();
        for (k, &index) in constants.iter().enumerate() {
            if let Some(value) = usize::try_from(index).ok().and_then(|i| pool.get(i)) {
                constant_by_value.entry(ConstKey::of(value)).or_insert(k);
            }
        }
        let mut child_by_function = HashMap::new();
        for (p, &child) in children.iter().enumerate() {
            child_by_function.entry(child).or_insert(p);
        }
        FunctionTables { constants, children, max_register: None, constant_by_value, child_by_function }
    }

    /// The first child slot holding `function`, appended if there is none.
    fn child(&mut self, function: u32) -> usize {
        *self.child_by_function.entry(function).or_insert_with(|| {
            self.children.push(function);
            self.children.len() - 1
        })
    }
}

/// The operand source for one instruction: parses the next comma-separated operand as
/// the kind the instruction table asks for.
pub(super) struct TextOperands<'a, 'm> {
    pub instr: &'a PendingInstr,
    pub pos: usize,
    /// Operands parsed so far.
    pub taken: usize,
    /// The instruction's pc, for turning labels into branch offsets.
    pub pc: usize,
    pub names: &'a Names<'a>,
    /// The function's tables, which operands may append to.
    pub tables: &'m mut FunctionTables,
    pub pool: &'m mut Pool,
}

impl TextOperands<'_, '_> {
    pub(super) fn mnemonic(&self) -> &'static str {
        self.instr.opcode.mnemonic()
    }

    pub(super) fn error(&self, col: usize, message: String) -> AsmError {
        AsmError::at(self.instr.line, col, message)
    }

    pub(super) fn expected_list(&self) -> String {
        let operands = self.instr.opcode.operands();
        let names: Vec<&str> = operands.iter().map(|(name, _)| *name).collect();
        format!("{}: {}", operands.len(), names.join(", "))
    }

    /// Rejects operands left over after the last one the instruction takes.
    pub(super) fn finish(&self) -> Result<()> {
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
    pub(super) fn inline_constant(&mut self, value: Constant, token: &Token) -> Result<usize> {
        let key = ConstKey::of(&value);
        if let Some(&k) = self.tables.constant_by_value.get(&key) {
            return Ok(k);
        }
        let index = self.pool.intern(value, self.instr.line).map_err(|e| self.error(token.col, e.message))?;
        let tables = &mut *self.tables;
        tables.constants.push(index);
        let k = tables.constants.len() - 1;
        tables.constant_by_value.insert(key, k);
        Ok(k)
    }

    /// A number operand in `min..=max`.
    pub(super) fn number(
        &self,
        token: &Token,
        what: &str,
        min: i128,
        max: i128,
        range: &str,
    ) -> Result<Option<i128>> {
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
    pub(super) fn indexed(&self, token: &Token, prefix: char, max: u64, what: &str) -> Result<Option<u64>> {
        match indexed(token, prefix, max) {
            Indexed::Yes(n) => Ok(Some(n)),
            Indexed::No => Ok(None),
            Indexed::OutOfRange => Err(self
                .error(token.col, format!("{what} '{}' out of range ({prefix}0…{prefix}{max})", token.text))),
        }
    }

    /// Converts a table index found by name to the operand's width.
    pub(super) fn fits<T: TryFrom<usize>>(&self, index: usize, token: &Token, what: &str) -> Result<T> {
        T::try_from(index).map_err(|_| {
            self.error(token.col, format!("'{}' is {what} {index}, too large for an operand", token.text))
        })
    }

    pub(super) fn parse(&mut self, token: &Token, kind: OperandKind) -> Result<Option<OperandValue>> {
        let value = match kind {
            OperandKind::Reg => self.indexed(token, 'r', u64::from(u8::MAX), "register")?.map(|n| {
                let register = n as u8;
                let highest = &mut self.tables.max_register;
                *highest = Some(highest.map_or(register, |m| m.max(register)));
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
                    let index = self.tables.child(function);
                    Some(OperandValue::Proto(Proto(self.fits(index, token, "child function")?)))
                } else {
                    None
                }
            }
            OperandKind::Import => {
                if let Some(n) = self.indexed(token, 'i', u64::from(u16::MAX), "import")? {
                    Some(OperandValue::Import(Import(n as u16)))
                } else if let Tok::Ref(name) = &token.tok {
                    let Some(&index) = self.names.imports.get(name) else {
                        let hint = hint(name, "$", self.names.imports.keys().map(String::as_str));
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
