//! The abstract syntax tree of a Lua 5.4 chunk, already resolved.
//!
//! Written for a register-allocating code generator that walks it once:
//! - Every name use is resolved by the parser (as `lparser.c` does): an
//!   [`ExprKind::Local`] (a [`LocalId`] into the enclosing [`Function::locals`]), an
//!   [`ExprKind::Upvalue`] (an [`UpvalId`] into [`Function::upvalues`]) or an
//!   [`ExprKind::Global`] (which names how `_ENV` itself resolves). Each function lists
//!   its upvalues with where the enclosing function finds them, and each local says
//!   whether a closure captures it, so closure creation and `close` need no second pass.
//! - Locals get ids in declaration order within their function; parameters come first
//!   (`self` first of all for methods). A local's register is the code generator's choice.
//! - [`Block::needs_close`] is true when a local declared directly in the block is
//!   captured by a closure or is `<close>`: leaving the block (or finishing a loop
//!   iteration, which gives loop locals a fresh binding each time) must close upvalues.
//! - `goto` is resolved: [`Function::goto_target`] maps each goto to its label.
//! - Lines: every expression and statement has the line Lua attributes it to (calls: the
//!   line where the called expression starts; operators: the operator's line).
//! - Parenthesised expressions stay as [`ExprKind::Paren`], because `(f())` keeps one
//!   value only. Names and string constants are interned [`StrId`]s into [`Chunk::strings`].
//!
//! Depth: the parser bounds nesting (see `parser::MAX_LEVELS` and `parser::MAX_DEPTH`),
//! so recursive walkers (including `Drop`) see a tree whose depth is bounded by a small
//! multiple of `MAX_DEPTH` and stay within the default 2 MiB thread stack if they use
//! under about 1 KiB of stack per level.
//!
//! Not here: constant folding, register allocation, or compile-time constant
//! propagation of `<const>` locals (those locals are ordinary locals here; code
//! generation may fold them).

use crate::token::{StrId, Strings};

/// A source line (1-based).
pub type Line = u32;

/// A local variable of one function: index into [`Function::locals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// An upvalue of one function: index into [`Function::upvalues`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UpvalId(pub u32);

/// A label of one function (unique per label statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelId(pub u32);

/// A goto statement of one function: index into [`Function::goto_targets`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GotoId(pub u32);

/// A parsed chunk: its main function (a vararg function whose only upvalue, number 0, is
/// `_ENV`) and the strings its ids refer to.
#[derive(Debug)]
pub struct Chunk {
    /// The formatted chunk id used in messages (`test.lua`, `[string "..."]`).
    pub source: String,
    pub main: Function,
    pub strings: Strings,
}

/// A local variable's attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attrib {
    /// An ordinary variable.
    Regular,
    /// `<const>`: cannot be assigned.
    Const,
    /// `<close>`: cannot be assigned; its `__close` runs when it goes out of scope.
    Close,
}

/// What the parser knows about one local variable.
#[derive(Clone, Debug)]
pub struct LocalInfo {
    pub name: StrId,
    pub attrib: Attrib,
    /// Some closure captures it as an upvalue.
    pub captured: bool,
    /// Line of its declaration.
    pub line: Line,
}

/// Where a function's upvalue comes from when its closure is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpvalSource {
    /// A local of the immediately enclosing function.
    ParentLocal(LocalId),
    /// An upvalue of the immediately enclosing function.
    ParentUpvalue(UpvalId),
    /// The main function's `_ENV`, supplied by whoever loads the chunk.
    Env,
}

/// One upvalue of a function.
#[derive(Clone, Debug)]
pub struct UpvalueInfo {
    pub name: StrId,
    pub source: UpvalSource,
    /// The attribute of the variable it ultimately refers to.
    pub attrib: Attrib,
}

/// A function: the main chunk or a `function` body.
#[derive(Debug)]
pub struct Function {
    /// Line of `function` (for statements) or of the body's `(` (as Lua's `linedefined`);
    /// 0 for the main chunk.
    pub line: Line,
    /// Line of the closing `end` (Lua's `lastlinedefined`); 0 for the main chunk.
    pub end_line: Line,
    /// Parameters are `locals[0..num_params]` (with `self` first for methods).
    pub num_params: u32,
    pub is_vararg: bool,
    /// Every local declared in the function, in declaration order.
    pub locals: Vec<LocalInfo>,
    pub upvalues: Vec<UpvalueInfo>,
    /// The label each goto jumps to, indexed by [`GotoId`].
    pub goto_targets: Vec<LabelId>,
    /// Number of labels (label ids are `0..num_labels`).
    pub num_labels: u32,
    pub body: Block,
}

impl Function {
    /// The label a goto jumps to.
    pub fn goto_target(&self, id: GotoId) -> Option<LabelId> {
        self.goto_targets.get(id.0 as usize).copied()
    }

    /// The local with this id.
    pub fn local(&self, id: LocalId) -> Option<&LocalInfo> {
        self.locals.get(id.0 as usize)
    }
}

/// A sequence of statements with its own scope.
#[derive(Debug, Default)]
pub struct Block {
    pub stats: Vec<Stat>,
    /// A local declared directly in this block (loop variables count as the loop body's)
    /// is captured or `<close>`, so leaving the block must close upvalues.
    pub needs_close: bool,
}

/// A statement and the line it starts on.
#[derive(Debug)]
pub struct Stat {
    pub line: Line,
    pub kind: StatKind,
}

/// The statements of Lua 5.4 (`;` leaves no trace).
#[derive(Debug)]
pub enum StatKind {
    /// `targets = values`. Each target is a [`ExprKind::Local`], [`ExprKind::Upvalue`],
    /// [`ExprKind::Global`] or [`ExprKind::Index`]; none is `<const>`/`<close>`.
    Assign { targets: Vec<Expr>, values: Vec<Expr> },
    /// A call used as a statement: always [`ExprKind::Call`] or [`ExprKind::Method`].
    Call(Expr),
    /// `local names [= values]`; the locals come into scope after `values`.
    Local { locals: Vec<LocalId>, values: Vec<Expr> },
    /// `local function name body`; the local is in scope inside the body.
    LocalFunction { local: LocalId, func: Box<Function> },
    /// `function a.b.c:m() ... end`. `target` is where the closure is stored (a variable or
    /// an [`ExprKind::Index`] chain); for methods the function's first parameter is `self`.
    Function { target: Expr, is_method: bool, func: Box<Function> },
    /// `::name::`
    Label { id: LabelId, name: StrId },
    /// `goto name`; the target is [`Function::goto_target`].
    Goto { id: GotoId, name: StrId },
    /// `break` out of the innermost loop (the parser checked there is one).
    Break,
    /// `do block end`
    Do(Block),
    /// `while cond do body end`
    While { cond: Expr, body: Block },
    /// `repeat body until cond`; `cond` is inside the body's scope.
    Repeat { body: Block, cond: Expr },
    /// `if c1 then b1 elseif c2 then b2 ... else e end`
    If { arms: Vec<(Expr, Block)>, else_block: Option<Block> },
    /// `for var = start, limit [, step] do body end`; `var` is declared in `body`'s scope.
    NumericFor { var: LocalId, start: Expr, limit: Expr, step: Option<Expr>, body: Block },
    /// `for vars in exprs do body end`; `vars` are declared in `body`'s scope.
    GenericFor { vars: Vec<LocalId>, exprs: Vec<Expr>, body: Block },
    /// `return values` (always the last statement of its block).
    Return { values: Vec<Expr> },
}

/// An expression with its line.
#[derive(Debug)]
pub struct Expr {
    pub line: Line,
    pub kind: ExprKind,
    /// Height of this subtree as the parser measures it for its depth limit.
    pub(crate) height: u32,
}

impl Expr {
    /// True for expressions that can yield several values (calls and `...`) when they are
    /// last in a list.
    pub fn is_multi(&self) -> bool {
        matches!(self.kind, ExprKind::Call(_) | ExprKind::Method(_) | ExprKind::Vararg)
    }

    /// Height of the subtree, as measured for the depth limit (a leaf has height 1).
    pub fn height(&self) -> u32 {
        self.height
    }
}

/// A variable reference that is not a global: used for `_ENV` in [`ExprKind::Global`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarRef {
    Local(LocalId),
    Upvalue(UpvalId),
}

/// Lua 5.4 expressions.
#[derive(Debug)]
pub enum ExprKind {
    Nil,
    True,
    False,
    /// `...` (the parser checked the function is vararg).
    Vararg,
    Int(i64),
    Float(f64),
    Str(StrId),
    Local(LocalId),
    Upvalue(UpvalId),
    /// A free name: `_ENV.name`, where `env` is how `_ENV` resolves here.
    Global {
        env: VarRef,
        name: StrId,
    },
    /// `obj[key]`, `obj.name` (key is then a [`ExprKind::Str`]).
    Index {
        obj: Box<Expr>,
        key: Box<Expr>,
    },
    /// `func(args)`, `func"str"`, `func{...}`.
    Call(Box<Call>),
    /// `obj:name(args)`.
    Method(Box<MethodCall>),
    /// `function (params) body end`.
    Function(Box<Function>),
    /// `{ fields }`.
    Table(Box<Table>),
    /// `(e)`: one value only.
    Paren(Box<Expr>),
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

/// A call `func(args)`.
#[derive(Debug)]
pub struct Call {
    pub func: Expr,
    pub args: Vec<Expr>,
}

/// A method call `obj:name(args)`.
#[derive(Debug)]
pub struct MethodCall {
    pub obj: Expr,
    pub name: StrId,
    pub args: Vec<Expr>,
}

/// A table constructor.
#[derive(Debug, Default)]
pub struct Table {
    /// Fields in source order (order of evaluation).
    pub fields: Vec<Field>,
}

/// One field of a table constructor.
#[derive(Debug)]
pub enum Field {
    /// `value`: stored at the next array index; if it is the last field and
    /// [`Expr::is_multi`], all its values are stored.
    Positional(Expr),
    /// `name = value`
    Named { name: StrId, value: Expr },
    /// `[key] = value`
    Keyed { key: Expr, value: Expr },
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `-`
    Neg,
    /// `not`
    Not,
    /// `#`
    Len,
    /// `~`
    BNot,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

impl UnOp {
    /// The operator as written in Lua.
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Not => "not",
            UnOp::Len => "#",
            UnOp::BNot => "~",
        }
    }
}

impl BinOp {
    /// The operator as written in Lua.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::IDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Concat => "..",
            BinOp::Eq => "==",
            BinOp::Ne => "~=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::BAnd => "&",
            BinOp::BOr => "|",
            BinOp::BXor => "~",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
        }
    }

    /// Left and right priority (`lparser.c`): higher binds tighter; right < left makes an
    /// operator right associative (`..` and `^`).
    pub(crate) fn priority(self) -> (u8, u8) {
        match self {
            BinOp::Or => (1, 1),
            BinOp::And => (2, 2),
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => (3, 3),
            BinOp::BOr => (4, 4),
            BinOp::BXor => (5, 5),
            BinOp::BAnd => (6, 6),
            BinOp::Shl | BinOp::Shr => (7, 7),
            BinOp::Concat => (9, 8),
            BinOp::Add | BinOp::Sub => (10, 10),
            BinOp::Mul | BinOp::Div | BinOp::IDiv | BinOp::Mod => (11, 11),
            BinOp::Pow => (14, 13),
        }
    }
}

/// Priority of unary operators: above `*`, below `^` (so `-x^2` is `-(x^2)`).
pub(crate) const UNARY_PRIORITY: u8 = 12;
