//! Random modules for property tests and fuzzing (feature `testgen`).
//!
//! [`random_module`] makes structurally arbitrary modules: every field is filled, operand
//! values are biased towards small numbers so that many land in range, but nothing is made
//! to verify. Round-trip tests (binary and text) use them as they are; robustness tests
//! feed them, and mutations of their encodings, to decode → verify → run.
//! Instructions come from [`Instr::build`], so every row of the instruction table is
//! covered without this file naming any of them.

use crate::isa::{Instr, Opcode};
use crate::module::*;
use crate::operand::*;

/// Size knobs for generated modules.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub max_functions: usize,
    pub max_code: usize,
    pub max_constants: usize,
}

impl Default for Shape {
    fn default() -> Self {
        Shape { max_functions: 4, max_code: 24, max_constants: 8 }
    }
}

/// A small integer biased towards 0..8, sometimes anything up to `max`.
fn small(rng: &mut fastrand::Rng, max: u32) -> u32 {
    match rng.u8(0..10) {
        0 => rng.u32(0..=max),
        _ => rng.u32(0..=max.min(7)),
    }
}

fn random_string(rng: &mut fastrand::Rng, max_len: usize) -> String {
    let len = rng.usize(0..=max_len);
    (0..len)
        .map(|_| match rng.u8(0..8) {
            0 => rng.char('\u{80}'..'\u{2FFF}'),
            1 => ' ',
            _ => rng.alphanumeric(),
        })
        .collect()
}

fn random_constant(rng: &mut fastrand::Rng) -> Constant {
    match rng.u8(0..6) {
        0 => Constant::Nil,
        1 => Constant::Bool(rng.bool()),
        2 => Constant::Int(if rng.bool() { rng.i64(-100..100) } else { rng.i64(..) }),
        3 => Constant::Float(match rng.u8(0..6) {
            0 => f64::NAN,
            1 => -0.0,
            2 => f64::INFINITY,
            3 => f64::from_bits(rng.u64(..)),
            _ => rng.f64() * 1000.0 - 500.0,
        }),
        _ => {
            let len = rng.usize(0..12);
            Constant::Str((0..len).map(|_| rng.u8(..)).collect())
        }
    }
}

struct RandomOperands<'a> {
    rng: &'a mut fastrand::Rng,
    code_len: usize,
}

impl OperandSource for RandomOperands<'_> {
    type Error = std::convert::Infallible;

    fn operand(&mut self, kind: OperandKind, _name: &'static str) -> Result<OperandValue, Self::Error> {
        let rng = &mut *self.rng;
        Ok(match kind {
            OperandKind::Reg => OperandValue::Reg(Reg(small(rng, 254) as u8)),
            OperandKind::Const => OperandValue::Const(Const(small(rng, 0xffff) as u16)),
            OperandKind::Upval => OperandValue::Upval(Upval(small(rng, 254) as u8)),
            OperandKind::Proto => OperandValue::Proto(Proto(small(rng, 0xffff) as u16)),
            OperandKind::Import => OperandValue::Import(Import(small(rng, 0xffff) as u16)),
            OperandKind::Jump => {
                let span = self.code_len as i32 + 2;
                OperandValue::Jump(Jump(if rng.u8(0..20) == 0 { rng.i32(..) } else { rng.i32(-span..=span) }))
            }
            OperandKind::Imm => OperandValue::Imm(Imm(if rng.bool() { rng.i16(-8..8) } else { rng.i16(..) })),
            OperandKind::Int => OperandValue::Int(Int(small(rng, u32::MAX))),
            OperandKind::Count => OperandValue::Count(Count(small(rng, 255) as u8)),
            OperandKind::VarCount => OperandValue::VarCount(if rng.u8(0..4) == 0 {
                VarCount::MULTI
            } else {
                VarCount(small(rng, 254) as u8)
            }),
        })
    }

    fn wrong_kind(&mut self, _expected: OperandKind, _name: &'static str) -> Self::Error {
        unreachable!("the random source always answers with the requested kind")
    }
}

/// One random instruction for a function of `code_len` instructions.
pub fn random_instr(rng: &mut fastrand::Rng, code_len: usize) -> Instr {
    let opcode = Opcode::ALL[rng.usize(0..Opcode::ALL.len())];
    match Instr::build(opcode, &mut RandomOperands { rng, code_len }) {
        Ok(instr) => instr,
        Err(never) => match never {},
    }
}

/// A structurally arbitrary module (see the module docs).
pub fn random_module(rng: &mut fastrand::Rng, shape: Shape) -> Module {
    let constants: Vec<Constant> =
        (0..rng.usize(0..=shape.max_constants)).map(|_| random_constant(rng)).collect();
    let num_functions = rng.usize(1..=shape.max_functions.max(1));
    let functions: Vec<Function> = (0..num_functions)
        .map(|index| {
            let code_len = rng.usize(1..=shape.max_code.max(1));
            let num_params = small(rng, 10) as u8;
            Function {
                num_params,
                is_vararg: rng.bool(),
                num_registers: num_params.saturating_add(small(rng, 40) as u8),
                upvalues: (0..small(rng, 4))
                    .map(|_| match rng.u8(0..3) {
                        0 => UpvalSource::ParentRegister(small(rng, 254) as u8),
                        1 => UpvalSource::ParentUpval(small(rng, 254) as u8),
                        _ => UpvalSource::Globals,
                    })
                    .collect(),
                constants: (0..small(rng, 8)).map(|_| small(rng, constants.len() as u32 + 1)).collect(),
                children: (0..small(rng, 3))
                    .map(|_| rng.u32(0..(num_functions as u32 + 1)).max(index as u32 + 1))
                    .collect(),
                code: (0..code_len).map(|_| random_instr(rng, code_len)).collect(),
            }
        })
        .collect();
    let debug = rng.bool().then(|| DebugInfo {
        source: random_string(rng, 12),
        functions: functions
            .iter()
            .map(|f| FunctionDebug {
                name: rng.bool().then(|| random_string(rng, 8)),
                line_defined: small(rng, 1000),
                last_line: small(rng, 1000),
                lines: if rng.bool() {
                    (0..f.code.len()).map(|_| small(rng, 1000)).collect()
                } else {
                    Vec::new()
                },
                locals: (0..small(rng, 3))
                    .map(|_| LocalInfo {
                        name: random_string(rng, 6),
                        register: small(rng, 254) as u8,
                        start_pc: small(rng, 30),
                        end_pc: small(rng, 30),
                    })
                    .collect(),
                upvalue_names: if rng.bool() {
                    f.upvalues.iter().map(|_| random_string(rng, 5)).collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
    });
    Module {
        flags: 0,
        imports: (0..small(rng, 3)).map(|_| ImportDecl { name: random_string(rng, 10) }).collect(),
        exports: (0..small(rng, 2))
            .map(|_| Export { name: random_string(rng, 10), function: small(rng, num_functions as u32) })
            .collect(),
        entry: rng.bool().then(|| small(rng, num_functions as u32)),
        custom: (0..small(rng, 2))
            .map(|_| CustomSection {
                name: random_string(rng, 6),
                data: (0..rng.usize(0..16)).map(|_| rng.u8(..)).collect(),
            })
            .collect(),
        constants,
        functions,
        debug,
    }
}
