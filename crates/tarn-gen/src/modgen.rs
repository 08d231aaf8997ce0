//! Random modules built to pass the verifier.
//!
//! `tarn_bytecode::testgen` makes structurally arbitrary modules, which the verifier
//! almost always rejects: good for the verifier, useless for the interpreter behind it.
//! This generator knows the verifier's facts and builds modules that satisfy them, so
//! that odd but verified code reaches the interpreter: any register read before it is
//! written, loops without their preparation, calls of whatever a register holds, upvalues
//! of any level, `*` value ranges, to-be-closed variables on arbitrary values.
//!
//! How it stays valid without a hand list of instructions:
//! - Opcodes come from [`Opcode::ALL`] (the instruction table) and operands from
//!   [`Instr::build`], asking [`ValidOperands`] for each operand by kind and name. Every
//!   index operand is drawn in range (V11–V16); constant operands named `key` or `method`
//!   get a string and those named `rhs` a number (V19); registers are drawn low in the
//!   frame and counts small, so every window fits (V18).
//! - An operand that cannot be given (an upvalue in a function without upvalues, a
//!   `vararg` outside a vararg function) makes the source refuse, and another opcode is
//!   drawn.
//! - The multi-value protocol (V21–V24) is the one thing placed by hand: a producer with
//!   a `*` count is always emitted together with its consumer, and branches never target
//!   a consumer.
//! - The forest of functions, upvalue sources, constants and debug information are built
//!   to their facts (V2–V9) directly.
//! - Most functions open with a prologue that puts numbers, strings, tables, closures and
//!   library functions in their working registers, so that the random code after it
//!   operates on real values instead of failing on its first nil.
//!
//! A few modules are still rejected (a register drawn high on purpose, to reach the top
//! of a 255-register frame, can push a window out); the tests measure the acceptance rate
//! and hold it above 90%.

use tarn_bytecode::isa::{Instr, Opcode};
use tarn_bytecode::module::{
    Constant, DebugInfo, Export, Function, FunctionDebug, ImportDecl, LocalInfo, Module, UpvalSource,
};
use tarn_bytecode::operand::*;

/// Size knobs for generated modules.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub max_functions: usize,
    pub max_code: usize,
}

impl Default for Shape {
    fn default() -> Self {
        Shape { max_functions: 6, max_code: 48 }
    }
}

/// Strings worth having in the pool: global names the code may fetch through `_ENV`
/// and call, and metamethod names it may store in a table that becomes a metatable.
const NAMES: &[&str] = &[
    "print",
    "pcall",
    "error",
    "setmetatable",
    "getmetatable",
    "tostring",
    "type",
    "select",
    "next",
    "pairs",
    "ipairs",
    "rawget",
    "rawset",
    "collectgarbage",
    "coroutine",
    "wrap",
    "yield",
    "resume",
    "string",
    "rep",
    "format",
    "table",
    "concat",
    "sort",
    "math",
    "load",
    "__index",
    "__newindex",
    "__call",
    "__add",
    "__concat",
    "__len",
    "__eq",
    "__lt",
    "__le",
    "__unm",
    "__close",
    "__gc",
    "__mode",
    "__tostring",
    "__name",
    "k",
    "v",
    "x",
    "",
];

/// A module that, most of the time, passes `verify()`.
pub fn valid_module(rng: &mut fastrand::Rng, shape: Shape) -> Module {
    let constants = pool(rng);
    let count = rng.usize(1..=shape.max_functions.max(1));
    // The forest: function 0 is the root and the entry; every other function's parent is
    // an earlier one (V4: children have larger indices, one parent each).
    let parents: Vec<Option<usize>> =
        (0..count).map(|i| if i == 0 { None } else { Some(rng.usize(0..i)) }).collect();
    let mut functions: Vec<Function> = Vec::with_capacity(count);
    for (index, parent) in parents.iter().enumerate() {
        let children: Vec<u32> =
            (0..count).filter(|&c| parents[c] == Some(index)).map(|c| c as u32).collect();
        let parent = parent.map(|p| &functions[p]);
        let function = function(rng, &constants, parent, children, shape);
        functions.push(function);
    }
    let mut module = Module {
        flags: 0,
        constants,
        imports: if rng.bool() { vec![ImportDecl { name: "print".to_string() }] } else { Vec::new() },
        exports: if rng.u8(0..4) == 0 {
            vec![Export { name: "main".to_string(), function: 0 }]
        } else {
            Vec::new()
        },
        entry: Some(0),
        debug: None,
        custom: Vec::new(),
        functions,
    };
    if rng.bool() {
        module.debug = Some(debug_info(rng, &module));
    }
    // Import operands are always 0 (see `ValidOperands`): the module gets the import
    // whenever code uses it.
    let uses_import =
        module.functions.iter().flat_map(|f| &f.code).any(|i| matches!(i, Instr::GetImport { .. }));
    if uses_import && module.imports.is_empty() {
        module.imports.push(ImportDecl { name: "print".to_string() });
    }
    module
}

/// The module's constant pool: names, edge-case numbers, a few odd strings.
fn pool(rng: &mut fastrand::Rng) -> Vec<Constant> {
    let mut pool: Vec<Constant> = NAMES.iter().map(|n| Constant::Str(n.as_bytes().to_vec())).collect();
    pool.extend([
        Constant::Int(0),
        Constant::Int(1),
        Constant::Int(-1),
        Constant::Int(i64::MAX),
        Constant::Int(i64::MIN),
        Constant::Float(0.5),
        Constant::Float(-0.0),
        Constant::Float(f64::NAN),
        Constant::Float(f64::INFINITY),
        Constant::Float(2f64.powi(63)),
        Constant::Nil,
        Constant::Bool(true),
        Constant::Bool(false),
        Constant::Str(b"10".to_vec()),
        Constant::Str(b"0x10".to_vec()),
        Constant::Str(b"%d %s %q".to_vec()),
        Constant::Str(b"\0\xff".to_vec()),
    ]);
    for _ in 0..rng.usize(0..6) {
        pool.push(match rng.u8(0..3) {
            0 => Constant::Int(rng.i64(-1000..1000)),
            1 => Constant::Float(rng.f64() * 200.0 - 100.0),
            _ => Constant::Str((0..rng.usize(0..8)).map(|_| rng.u8(b'a'..=b'z')).collect()),
        });
    }
    pool
}

/// One function whose parent (already built) is `parent`, or a root when `None`.
fn function(
    rng: &mut fastrand::Rng,
    pool: &[Constant],
    parent: Option<&Function>,
    children: Vec<u32>,
    shape: Shape,
) -> Function {
    // Mostly frames with room above the working registers; sometimes the largest frame,
    // so the top registers (r254) are exercised.
    let num_registers: u8 = match rng.u8(0..10) {
        0 => 255,
        1 => rng.u8(WORKING + 8..=40),
        _ => rng.u8(WORKING + 8..=WORKING + 12),
    };
    let num_params = rng.u8(0..=3);
    // Upvalue 0 is the globals table (directly or through the parent), so `gettabup`
    // on it usually reaches `_ENV`; the others capture whatever the parent offers (V6).
    let mut upvalues = vec![match parent {
        Some(p) if !p.upvalues.is_empty() && rng.bool() => UpvalSource::ParentUpval(0),
        _ => UpvalSource::Globals,
    }];
    if let Some(p) = parent {
        for _ in 0..rng.usize(0..4) {
            upvalues.push(match rng.u8(0..3) {
                0 if !p.upvalues.is_empty() => UpvalSource::ParentUpval(rng.u8(0..p.upvalues.len() as u8)),
                1 => UpvalSource::Globals,
                _ => UpvalSource::ParentRegister(rng.u8(0..p.num_registers.min(12))),
            });
        }
    }
    // The function's constants: every pool entry in a shuffled order, so operands of
    // every kind V19 asks for are always available.
    let mut constants: Vec<u32> = (0..pool.len() as u32).collect();
    rng.shuffle(&mut constants);
    let strings: Vec<u16> =
        (0..constants.len()).filter(|&k| pool[constants[k] as usize].is_string()).map(|k| k as u16).collect();
    let numbers: Vec<u16> =
        (0..constants.len()).filter(|&k| pool[constants[k] as usize].is_number()).map(|k| k as u16).collect();
    let mut f = Function {
        num_params,
        is_vararg: rng.bool(),
        num_registers,
        upvalues,
        constants,
        children,
        code: Vec::new(),
    };
    f.code = code(rng, &f, &strings, &numbers, shape);
    f
}

/// Registers the generated code mostly works in: few, so values written by one
/// instruction are read by the next ones, and low, so every window above them fits
/// (the widest, `tforcall`'s, is 8 registers: frames have at least `WORKING + 8`).
const WORKING: u8 = 12;

/// Answers [`Instr::build`]'s questions with operands that satisfy the verifier, for
/// the instruction at `pc` of a function of `len` instructions.
struct ValidOperands<'a> {
    rng: &'a mut fastrand::Rng,
    function: &'a Function,
    strings: &'a [u16],
    numbers: &'a [u16],
    /// Branch targets allowed: every pc but consumers of `*` values (V22).
    targets: &'a [usize],
    pc: usize,
}

/// The operand asked for cannot be given here; draw another opcode.
struct Refused;

impl OperandSource for ValidOperands<'_> {
    type Error = Refused;

    fn operand(&mut self, kind: OperandKind, name: &'static str) -> Result<OperandValue, Refused> {
        let rng = &mut *self.rng;
        let f = self.function;
        let pick =
            |rng: &mut fastrand::Rng, n: usize| if n == 0 { Err(Refused) } else { Ok(rng.usize(0..n)) };
        Ok(match kind {
            OperandKind::Reg => OperandValue::Reg(Reg(register(rng, f.num_registers))),
            OperandKind::Const => {
                let k = match name {
                    "key" | "method" => self.strings[pick(rng, self.strings.len())?],
                    "rhs" => self.numbers[pick(rng, self.numbers.len())?],
                    _ => pick(rng, f.constants.len())? as u16,
                };
                OperandValue::Const(Const(k))
            }
            OperandKind::Upval => OperandValue::Upval(Upval(pick(rng, f.upvalues.len())? as u8)),
            OperandKind::Proto => OperandValue::Proto(Proto(pick(rng, f.children.len())? as u16)),
            // `valid_module` adds the one import whenever code uses it.
            OperandKind::Import => OperandValue::Import(Import(0)),
            OperandKind::Jump => {
                let target = self.targets[pick(rng, self.targets.len())?];
                OperandValue::Jump(Jump::between(self.pc, target).ok_or(Refused)?)
            }
            OperandKind::Imm => OperandValue::Imm(Imm(match rng.u8(0..8) {
                0 => rng.i16(..),
                1 => *rng.choice(&[i16::MIN, i16::MAX, -1, 0, 63, 64]).expect("non-empty"),
                _ => rng.i16(-4..8),
            })),
            OperandKind::Int => {
                OperandValue::Int(Int(if rng.u8(0..8) == 0 { rng.u32(..) } else { rng.u32(0..8) }))
            }
            // At least 2 (concatenation needs two values), at most 4, so windows fit.
            OperandKind::Count => OperandValue::Count(Count(rng.u8(2..=4))),
            // Fixed counts only: `*` comes in producer-consumer pairs (see `code`).
            OperandKind::VarCount => OperandValue::VarCount(VarCount(rng.u8(0..=3))),
        })
    }

    fn wrong_kind(&mut self, _expected: OperandKind, _name: &'static str) -> Refused {
        Refused
    }
}

/// A register for an operand: usually one of the working registers; rarely the top of
/// the frame, where a window may not fit (the few rejected modules come from here).
fn register(rng: &mut fastrand::Rng, num_registers: u8) -> u8 {
    match rng.u16(0..400) {
        0 => num_registers - 1,
        _ => rng.u8(0..WORKING.min(num_registers)),
    }
}

/// How each pc is filled.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    /// Any instruction from the table.
    Any,
    /// A producer of `*` values; the next slot is its consumer.
    Producer,
    Consumer,
    /// The last instruction: one that does not fall through (V17).
    Last,
}

fn code(rng: &mut fastrand::Rng, f: &Function, strings: &[u16], numbers: &[u16], shape: Shape) -> Vec<Instr> {
    // Most functions start by filling their working registers with values worth
    // operating on (numbers, strings, tables, closures, library functions): code that
    // finds only nil fails at its first operation and reaches little of the interpreter.
    let mut prologue = Vec::new();
    if rng.u8(0..5) != 0 {
        for r in f.num_params..WORKING.min(f.num_registers) {
            prologue.push(maker(rng, f, Reg(r), strings));
        }
    }
    let len = prologue.len() + rng.usize(2..=shape.max_code.max(2));
    let mut slots = vec![Slot::Any; len];
    slots[len - 1] = Slot::Last;
    let mut pc = prologue.len();
    while pc + 1 < len {
        // A pair may end the function: `return r, *` and `tailcall f, *` do not fall
        // through.
        if rng.u8(0..8) == 0 && (pc + 2 < len || rng.bool()) {
            slots[pc] = Slot::Producer;
            slots[pc + 1] = Slot::Consumer;
            pc += 2;
        } else {
            pc += 1;
        }
    }
    let targets: Vec<usize> = (0..len).filter(|&pc| slots[pc] != Slot::Consumer).collect();
    let mut code = prologue;
    for (pc, &slot) in slots.iter().enumerate().skip(code.len()) {
        let instr = match slot {
            Slot::Any => any_instr(rng, f, strings, numbers, &targets, pc, |_| true),
            Slot::Last => any_instr(rng, f, strings, numbers, &targets, pc, |i| !i.falls_through()),
            Slot::Producer => producer(rng, f),
            Slot::Consumer => {
                let last = pc + 1 == len;
                consumer(rng, code.last().copied(), last)
            }
        };
        code.push(instr);
    }
    code
}

/// An instruction that puts a useful value in `dst`.
fn maker(rng: &mut fastrand::Rng, f: &Function, dst: Reg, strings: &[u16]) -> Instr {
    loop {
        return match rng.u8(0..7) {
            0 => Instr::LoadInt { dst, value: Imm(rng.i16(-3..10)) },
            1 => Instr::LoadK { dst, constant: Const(rng.u16(0..f.constants.len() as u16)) },
            2 => Instr::NewTable { dst, array_hint: Count(rng.u8(0..4)), hash_hint: Count(rng.u8(0..4)) },
            3 if !f.children.is_empty() => {
                Instr::Closure { dst, proto: Proto(rng.u16(0..f.children.len() as u16)) }
            }
            // Upvalue 0 is the globals table, usually: this fetches a library function or
            // table by name.
            4 | 5 => {
                Instr::GetTabUp { dst, upval: Upval(0), key: Const(strings[rng.usize(0..strings.len())]) }
            }
            6 => Instr::GetUpval { dst, upval: Upval(rng.u8(0..f.upvalues.len() as u8)) },
            _ => continue,
        };
    }
}

/// An instruction from the whole table (with a bias towards the ones that make values
/// worth operating on), satisfying `accept`.
fn any_instr(
    rng: &mut fastrand::Rng,
    f: &Function,
    strings: &[u16],
    numbers: &[u16],
    targets: &[usize],
    pc: usize,
    accept: impl Fn(&Instr) -> bool,
) -> Instr {
    const MAKERS: &[Opcode] = &[
        Opcode::NewTable,
        Opcode::Closure,
        Opcode::LoadK,
        Opcode::GetTabUp,
        Opcode::LoadInt,
        Opcode::SetField,
    ];
    loop {
        let opcode = if rng.u8(0..4) == 0 {
            MAKERS[rng.usize(0..MAKERS.len())]
        } else {
            Opcode::ALL[rng.usize(0..Opcode::ALL.len())]
        };
        // V20, the one fact about a whole instruction that operands cannot satisfy.
        if opcode == Opcode::VarArg && !f.is_vararg {
            continue;
        }
        let mut source = ValidOperands { rng: &mut *rng, function: f, strings, numbers, targets, pc };
        if let Ok(instr) = Instr::build(opcode, &mut source) {
            if accept(&instr) {
                return instr;
            }
        }
    }
}

/// `call f, a, *` or `vararg r, *`: sets the stack top for the next instruction.
fn producer(rng: &mut fastrand::Rng, f: &Function) -> Instr {
    let r = Reg(rng.u8(1..WORKING.min(f.num_registers)));
    if f.is_vararg && rng.bool() {
        Instr::VarArg { dst: r, count: VarCount::MULTI }
    } else {
        Instr::Call { func: r, args: VarCount(rng.u8(0..=2)), results: VarCount::MULTI }
    }
}

/// A consumer of the `*` values `producer` left, starting at or below their start (V23).
/// At the end of the code it must not fall through.
fn consumer(rng: &mut fastrand::Rng, producer: Option<Instr>, last: bool) -> Instr {
    let start = match producer {
        Some(Instr::Call { func, .. }) => func.0,
        Some(Instr::VarArg { dst, .. }) => dst.0,
        _ => unreachable!("a consumer slot follows a producer slot"),
    };
    match if last { rng.u8(0..2) } else { rng.u8(0..5) } {
        0 => Instr::Return { first: Reg(rng.u8(0..=start)), count: VarCount::MULTI },
        1 => Instr::TailCall { func: Reg(rng.u8(0..start)), args: VarCount::MULTI },
        2 => Instr::Call {
            func: Reg(rng.u8(0..start)),
            args: VarCount::MULTI,
            results: VarCount(rng.u8(0..=2)),
        },
        3 => {
            Instr::SetList { table: Reg(rng.u8(0..start)), count: VarCount::MULTI, start: Int(rng.u32(0..4)) }
        }
        _ => Instr::Call { func: Reg(rng.u8(0..start)), args: VarCount::MULTI, results: VarCount(1) },
    }
}

/// Debug information with the module's shape (V9): line tables as long as the code,
/// locals inside the frame and the code.
fn debug_info(rng: &mut fastrand::Rng, module: &Module) -> DebugInfo {
    DebugInfo {
        source: "gen".to_string(),
        functions: module
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let len = f.code.len() as u32;
                FunctionDebug {
                    name: (i > 0).then(|| format!("f{i}")),
                    line_defined: if i == 0 { 0 } else { i as u32 },
                    last_line: i as u32 + 10,
                    lines: (0..len).map(|pc| pc + 1).collect(),
                    locals: (0..rng.usize(0..4))
                        .map(|j| {
                            let start_pc = rng.u32(0..=len);
                            LocalInfo {
                                name: format!("l{j}"),
                                register: rng.u8(0..f.num_registers),
                                start_pc,
                                end_pc: rng.u32(start_pc..=len),
                            }
                        })
                        .collect(),
                    upvalue_names: if rng.bool() {
                        (0..f.upvalues.len())
                            .map(|u| if u == 0 { "_ENV".to_string() } else { format!("u{u}") })
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect(),
    }
}
