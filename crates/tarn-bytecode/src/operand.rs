//! Typed instruction operands.
//!
//! Every operand of every instruction has one of the kinds below. The kind fixes the
//! operand's width in the binary format, its spelling in `.tasm` text (`r3`, `k5`, `u1`,
//! `p2`, `i0`, `@L2`, `-7`, `3`, `*`) and which index space the verifier checks it against.
//! Because each kind is its own Rust type, the code generator cannot put a constant index
//! where a register belongs.
//!
//! Consumers that treat operands generically (the codec, the assembler, the disassembler,
//! the verifier, the random module generator) go through [`OperandValue`], an enum with one
//! variant per kind. It is matched exhaustively everywhere, so adding a kind fails to compile
//! wherever a decision about it is needed.

use std::fmt;

/// A register of the current frame: `r0` … `r254`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u8);

/// An index into the current function's constant list: `k0` … `k65535`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Const(pub u16);

/// An index into the current closure's upvalues: `u0` … `u254`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Upval(pub u8);

/// An index into the current function's list of child functions: `p0` … `p65535`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Proto(pub u16);

/// An index into the module's import table (host functions): `i0` … `i65535`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Import(pub u16);

/// A branch offset in instructions, relative to the instruction after the branch:
/// the target is `pc + 1 + offset`. Written as a label (`@L2`) in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jump(pub i32);

impl Jump {
    /// The absolute target of a branch at `pc`, or `None` if it is below zero or
    /// overflows. The verifier additionally checks it against the code length.
    pub fn target(self, pc: usize) -> Option<usize> {
        let next = i64::try_from(pc).ok()?.checked_add(1)?;
        let target = next.checked_add(i64::from(self.0))?;
        usize::try_from(target).ok()
    }

    /// The offset that makes a branch at `pc` land on `target`, if it fits in 32 bits.
    pub fn between(pc: usize, target: usize) -> Option<Jump> {
        let offset = i64::try_from(target).ok()? - i64::try_from(pc).ok()? - 1;
        i32::try_from(offset).ok().map(Jump)
    }
}

/// A small signed integer immediate, written as a plain number: `-7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Imm(pub i16);

/// An unsigned 32-bit immediate (table constructor positions), written as a plain number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Int(pub u32);

/// A fixed count of values or registers, written as a plain number: `3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Count(pub u8);

/// A count that is either fixed (`0` … `254`) or "all of them" (`*`): the values up to
/// the stack top left by the previous instruction (call arguments, returned values), or
/// every value produced (call results, varargs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarCount(pub u8);

impl VarCount {
    /// The raw value that means "variable".
    pub const MULTI_RAW: u8 = u8::MAX;
    /// "All of them": spelled `*`.
    pub const MULTI: VarCount = VarCount(Self::MULTI_RAW);

    /// A fixed count.
    pub fn fixed(n: u8) -> Option<VarCount> {
        (n != Self::MULTI_RAW).then_some(VarCount(n))
    }

    /// `Some(n)` for a fixed count, `None` for "all of them".
    pub fn get(self) -> Option<u8> {
        (self.0 != Self::MULTI_RAW).then_some(self.0)
    }

    pub fn is_multi(self) -> bool {
        self.0 == Self::MULTI_RAW
    }
}

/// The kinds of operand, one per type above.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperandKind {
    Reg,
    Const,
    Upval,
    Proto,
    Import,
    Jump,
    Imm,
    Int,
    Count,
    VarCount,
}

impl OperandKind {
    /// Every kind, in a fixed order (used by docs and generators).
    pub const ALL: [OperandKind; 10] = [
        OperandKind::Reg,
        OperandKind::Const,
        OperandKind::Upval,
        OperandKind::Proto,
        OperandKind::Import,
        OperandKind::Jump,
        OperandKind::Imm,
        OperandKind::Int,
        OperandKind::Count,
        OperandKind::VarCount,
    ];

    /// Width in bytes in the binary format (little-endian, fixed width).
    pub const fn byte_width(self) -> usize {
        match self {
            OperandKind::Reg | OperandKind::Upval | OperandKind::Count | OperandKind::VarCount => 1,
            OperandKind::Const | OperandKind::Proto | OperandKind::Import | OperandKind::Imm => 2,
            OperandKind::Jump | OperandKind::Int => 4,
        }
    }

    /// A short name used in documentation and error messages.
    pub const fn name(self) -> &'static str {
        match self {
            OperandKind::Reg => "register",
            OperandKind::Const => "constant",
            OperandKind::Upval => "upvalue",
            OperandKind::Proto => "child function",
            OperandKind::Import => "import",
            OperandKind::Jump => "jump",
            OperandKind::Imm => "immediate",
            OperandKind::Int => "integer",
            OperandKind::Count => "count",
            OperandKind::VarCount => "count or *",
        }
    }

    /// How the operand is spelled in `.tasm` text.
    pub const fn spelling(self) -> &'static str {
        match self {
            OperandKind::Reg => "`r0`…`r254`",
            OperandKind::Const => "`k0`…`k65535`",
            OperandKind::Upval => "`u0`…`u254`",
            OperandKind::Proto => "`p0`…`p65535`",
            OperandKind::Import => "`i0`…`i65535`",
            OperandKind::Jump => "label `@name`",
            OperandKind::Imm => "`-32768`…`32767`",
            OperandKind::Int => "`0`…`4294967295`",
            OperandKind::Count => "`0`…`255`",
            OperandKind::VarCount => "`0`…`254` or `*`",
        }
    }
}

impl fmt::Display for OperandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One operand of any kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperandValue {
    Reg(Reg),
    Const(Const),
    Upval(Upval),
    Proto(Proto),
    Import(Import),
    Jump(Jump),
    Imm(Imm),
    Int(Int),
    Count(Count),
    VarCount(VarCount),
}

impl OperandValue {
    pub fn kind(self) -> OperandKind {
        match self {
            OperandValue::Reg(_) => OperandKind::Reg,
            OperandValue::Const(_) => OperandKind::Const,
            OperandValue::Upval(_) => OperandKind::Upval,
            OperandValue::Proto(_) => OperandKind::Proto,
            OperandValue::Import(_) => OperandKind::Import,
            OperandValue::Jump(_) => OperandKind::Jump,
            OperandValue::Imm(_) => OperandKind::Imm,
            OperandValue::Int(_) => OperandKind::Int,
            OperandValue::Count(_) => OperandKind::Count,
            OperandValue::VarCount(_) => OperandKind::VarCount,
        }
    }
}

/// Implemented by each operand type; ties the Rust type to its [`OperandKind`].
pub trait Operand: Copy + fmt::Debug + Eq {
    const KIND: OperandKind;
    fn to_value(self) -> OperandValue;
    fn from_value(value: OperandValue) -> Option<Self>;
}

macro_rules! impl_operand {
    ($($ty:ident),* $(,)?) => {$(
        impl Operand for $ty {
            const KIND: OperandKind = OperandKind::$ty;
            fn to_value(self) -> OperandValue {
                OperandValue::$ty(self)
            }
            fn from_value(value: OperandValue) -> Option<Self> {
                match value {
                    OperandValue::$ty(v) => Some(v),
                    _ => None,
                }
            }
        }
    )*};
}
impl_operand!(Reg, Const, Upval, Proto, Import, Jump, Imm, Int, Count, VarCount);

/// Something instructions can be built from one operand at a time: the binary decoder,
/// the assembler's parser, the random generator. It is asked for each operand in order
/// and must return a value of the requested kind.
pub trait OperandSource {
    type Error;
    fn operand(&mut self, kind: OperandKind, name: &'static str) -> Result<OperandValue, Self::Error>;
    /// The error for a source that answered with the wrong kind (a bug in the source).
    fn wrong_kind(&mut self, expected: OperandKind, name: &'static str) -> Self::Error;
}
