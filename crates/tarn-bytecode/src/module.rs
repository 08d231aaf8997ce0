//! The in-memory module: the hub every stage converts to and from.
//!
//! The compiler produces a [`Module`]; the binary codec and the text assembler convert it
//! losslessly; only [`crate::verify`] turns it into a [`crate::VerifiedModule`] that the
//! runtime accepts. A `Module` may be malformed in every way the verifier checks: nothing
//! here validates.
//!
//! Functions are stored flat, in one list. Function 0 is conventionally the entry; each
//! function names its children by index into that list, and the verifier requires the
//! children relation to form a forest (every child index greater than its parent's, every
//! function the child of at most one parent), so no walk over it ever recurses or loops.

use crate::isa::Instr;

/// Documented limits. Each is enforced by the decoder before anything is allocated and
/// again by the verifier; the reason for each is given beside it.
pub mod limits {
    /// Registers per frame: register operands are one byte and `r255` is reserved so
    /// that `base + count` arithmetic on a full window never needs a ninth bit.
    pub const MAX_REGISTERS: usize = 255;
    /// Upvalues per function: upvalue operands are one byte.
    pub const MAX_UPVALUES: usize = 255;
    /// Parameters per function: they occupy registers.
    pub const MAX_PARAMS: usize = MAX_REGISTERS;
    /// Constants per function: constant operands are two bytes.
    pub const MAX_CONSTANTS: usize = 1 << 16;
    /// Children per function: child-function operands are two bytes.
    pub const MAX_CHILDREN: usize = 1 << 16;
    /// Imports per module: import operands are two bytes.
    pub const MAX_IMPORTS: usize = 1 << 16;
    /// Instructions per function: keeps every branch offset within `i32` and a
    /// function's code under 128 MiB in memory.
    pub const MAX_CODE_LEN: usize = 1 << 24;
    /// Functions per module and entries in the module constant pool.
    pub const MAX_FUNCTIONS: usize = 1 << 24;
    pub const MAX_POOL: usize = 1 << 24;
    /// Exports per module.
    pub const MAX_EXPORTS: usize = 1 << 16;
    /// Length of any one name (import, export, debug name) in bytes.
    pub const MAX_NAME_LEN: usize = 1 << 16;
    /// Length of one string constant in bytes.
    pub const MAX_STRING_LEN: usize = 1 << 30;
    /// Custom sections per module.
    pub const MAX_CUSTOM_SECTIONS: usize = 1 << 10;
}

/// A constant in the module's pool.
#[derive(Clone, Debug)]
pub enum Constant {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A Lua string: bytes, not necessarily UTF-8.
    Str(Vec<u8>),
}

/// Constants compare floats by bit pattern, so that NaN payloads and `-0.0` survive
/// round trips and `decode(encode(m)) == m` holds for every module.
impl PartialEq for Constant {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Constant::Nil, Constant::Nil) => true,
            (Constant::Bool(a), Constant::Bool(b)) => a == b,
            (Constant::Int(a), Constant::Int(b)) => a == b,
            (Constant::Float(a), Constant::Float(b)) => a.to_bits() == b.to_bits(),
            (Constant::Str(a), Constant::Str(b)) => a == b,
            _ => false,
        }
    }
}
impl Eq for Constant {}

impl Constant {
    pub fn is_number(&self) -> bool {
        matches!(self, Constant::Int(_) | Constant::Float(_))
    }
    pub fn is_string(&self) -> bool {
        matches!(self, Constant::Str(_))
    }
}

/// Where a closure's upvalue comes from when the closure is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpvalSource {
    /// A register of the enclosing function's frame (captured while it is live).
    ParentRegister(u8),
    /// An upvalue of the enclosing closure.
    ParentUpval(u8),
    /// The VM's globals table (`_ENV` of a main chunk). The only source allowed in a
    /// function that is nobody's child.
    Globals,
}

/// One function prototype.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Function {
    /// Fixed parameters, received in `r0`…
    pub num_params: u8,
    /// Whether extra arguments are kept for `vararg`.
    pub is_vararg: bool,
    /// Size of the frame in registers (≥ `num_params`).
    pub num_registers: u8,
    pub upvalues: Vec<UpvalSource>,
    /// This function's constants, as indices into [`Module::constants`].
    pub constants: Vec<u32>,
    /// This function's children, as indices into [`Module::functions`].
    pub children: Vec<u32>,
    pub code: Vec<Instr>,
}

/// A host function the module needs, bound by name at link time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportDecl {
    pub name: String,
}

/// A function the host may call by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub function: u32,
}

/// A named blob the runtime ignores (tool metadata). Preserved by every conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomSection {
    pub name: String,
    pub data: Vec<u8>,
}

/// Debug information for one function. Optional and strippable; never trusted for safety.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FunctionDebug {
    /// The name the function was defined with, if known (`"f"`, `"obj:method"`).
    pub name: Option<String>,
    /// Line where the definition starts (0 for a main chunk).
    pub line_defined: u32,
    pub last_line: u32,
    /// Source line of each instruction (same length as the code, or empty).
    pub lines: Vec<u32>,
    /// Local variable names with the instruction range where each is live.
    pub locals: Vec<LocalInfo>,
    /// Names of the upvalues (same length as the function's upvalues, or empty).
    pub upvalue_names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalInfo {
    pub name: String,
    pub register: u8,
    /// First instruction where the local is live.
    pub start_pc: u32,
    /// First instruction where it no longer is.
    pub end_pc: u32,
}

/// Debug information for a module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DebugInfo {
    /// The chunk name used in messages (`"script.lua"`, `"=stdin"`).
    pub source: String,
    /// One entry per function, in the same order as [`Module::functions`].
    pub functions: Vec<FunctionDebug>,
}

/// A whole module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Module {
    /// Reserved flag bits; must be zero in this version.
    pub flags: u32,
    /// The constant pool shared by every function.
    pub constants: Vec<Constant>,
    pub functions: Vec<Function>,
    pub imports: Vec<ImportDecl>,
    pub exports: Vec<Export>,
    /// The function `tarn run` starts (a Lua main chunk), if any.
    pub entry: Option<u32>,
    pub debug: Option<DebugInfo>,
    pub custom: Vec<CustomSection>,
}

impl Module {
    /// The constant behind constant operand `index` of function `function`.
    pub fn constant(&self, function: usize, index: usize) -> Option<&Constant> {
        let pool_index = *self.functions.get(function)?.constants.get(index)?;
        self.constants.get(usize::try_from(pool_index).ok()?)
    }

    /// Debug info for function `index`, if present.
    pub fn function_debug(&self, index: usize) -> Option<&FunctionDebug> {
        self.debug.as_ref()?.functions.get(index)
    }

    /// The chunk name for messages, or `"?"`.
    pub fn source_name(&self) -> &str {
        self.debug.as_ref().map(|d| d.source.as_str()).unwrap_or("?")
    }

    /// Removes debug information.
    pub fn strip(&mut self) {
        self.debug = None;
    }

    /// A short human description of function `index` for error messages:
    /// `function 3 ('f' at foo.lua:12)` or `function 3`.
    pub fn describe_function(&self, index: usize) -> String {
        match self.function_debug(index) {
            Some(d) => {
                let name = d.name.as_deref().unwrap_or(if d.line_defined == 0 { "main chunk" } else { "?" });
                format!("function {index} ('{name}' at {}:{})", self.source_name(), d.line_defined)
            }
            None => format!("function {index}"),
        }
    }
}
