//! Code facts V10…V24 for one function.
//!
//! Two passes over the code. The first checks every operand against its index space
//! (V11–V16, one decision per operand kind, driven by the instruction table through
//! [`Instr::for_each_operand`]) and marks branch targets in a bit per instruction. The
//! second looks at each instruction as a whole (V18–V20, an exhaustive `match` so a new
//! instruction fails to compile here until someone decides what it needs) and at the
//! multi-value pairs (V21–V24), which need the complete set of branch targets. Both passes
//! are linear; the structure checks (V1–V9) have already run, so the pool, the function's
//! constants and its children can be indexed freely.

use std::fmt;

use super::{plural, VerifyError};
use crate::isa::Instr;
use crate::module::{Constant, Function, Module};
use crate::operand::*;

/// Checks `function`, number `index` of a module whose structure (V1–V9) is verified. `is_target`
/// is scratch space, reused across functions to avoid an allocation per function.
pub(super) fn check(
    module: &Module,
    index: usize,
    function: &Function,
    is_target: &mut Vec<bool>,
) -> Result<(), VerifyError> {
    let checker = Checker { module, index, function, n: usize::from(function.num_registers) };
    checker.check(is_target)
}

struct Checker<'m> {
    module: &'m Module,
    index: usize,
    function: &'m Function,
    /// The function's register count.
    n: usize,
}

/// How an instruction takes part in the multi-value protocol (V21–V24). Each side is the
/// first register of the value range and the operand word used in messages.
#[derive(Default)]
struct MultiValue {
    /// It reads values up to the stack top, from this register on.
    consumes: Option<(usize, &'static str)>,
    /// It writes values and sets the stack top, from this register on.
    produces: Option<(usize, &'static str)>,
}

/// The constant kinds V19 asks for.
#[derive(Clone, Copy)]
enum Want {
    String,
    Number,
}

impl Checker<'_> {
    fn fail(&self, pc: Option<usize>, reason: fmt::Arguments<'_>) -> VerifyError {
        VerifyError::new(self.module, Some(self.index), pc, reason)
    }

    fn check(&self, is_target: &mut Vec<bool>) -> Result<(), VerifyError> {
        let code = &self.function.code;

        // V10
        let Some(last) = code.last() else {
            return Err(
                self.fail(None, format_args!("the code is empty (a function needs at least a return)"))
            );
        };

        // First pass: V11–V16, and the branch targets.
        is_target.clear();
        is_target.resize(code.len(), false);
        for (pc, instr) in code.iter().enumerate() {
            let mut result = Ok(());
            instr.for_each_operand(|_, value| {
                if result.is_ok() {
                    result = self.operand(pc, value);
                }
            });
            result?;
            // Every target is in range now (V16), so none is lost here.
            for target in instr.jump_targets(pc).flatten() {
                if let Some(slot) = is_target.get_mut(target) {
                    *slot = true;
                }
            }
        }

        // V17
        if last.falls_through() {
            return Err(self.fail(
                Some(code.len() - 1),
                format_args!(
                    "the last instruction, `{}`, falls through past the end of the code \
                     (a function must end with a return or a jump)",
                    last.opcode()
                ),
            ));
        }

        // Second pass: V18–V20 per instruction, V21–V24 across neighbours.
        let mut previous = MultiValue::default();
        for (pc, instr) in code.iter().enumerate() {
            let current = self.instruction(pc, instr)?;
            match (current.consumes, previous.produces) {
                (Some((start, noun)), producer) => {
                    self.consumer(pc, instr, start, noun, producer, is_target)?
                }
                (None, Some((_, noun))) => {
                    return Err(self.dangling_producer(pc - 1, noun, Some(instr)));
                }
                (None, None) => {}
            }
            previous = current;
        }
        // Unreachable after V17 (producers fall through), but cheap to keep exact.
        if let Some((_, noun)) = previous.produces {
            return Err(self.dangling_producer(code.len() - 1, noun, None));
        }
        Ok(())
    }

    /// V11–V16 for one operand of the instruction at `pc`.
    fn operand(&self, pc: usize, value: OperandValue) -> Result<(), VerifyError> {
        let f = self.function;
        let out_of_range = |what: fmt::Arguments<'_>, has: String| {
            Err(self.fail(Some(pc), format_args!("{what} out of range ({has})")))
        };
        match value {
            // V11
            OperandValue::Reg(Reg(r)) if usize::from(r) >= self.n => out_of_range(
                format_args!("register r{r}"),
                format!("function has {}", plural(self.n, "register")),
            ),
            // V12
            OperandValue::Const(Const(k)) if usize::from(k) >= f.constants.len() => out_of_range(
                format_args!("constant k{k}"),
                format!("function has {}", plural(f.constants.len(), "constant")),
            ),
            // V13
            OperandValue::Upval(Upval(u)) if usize::from(u) >= f.upvalues.len() => out_of_range(
                format_args!("upvalue u{u}"),
                format!("function has {}", plural(f.upvalues.len(), "upvalue")),
            ),
            // V14
            OperandValue::Proto(Proto(p)) if usize::from(p) >= f.children.len() => out_of_range(
                format_args!("child function p{p}"),
                format!("function has {}", plural(f.children.len(), "child")),
            ),
            // V15
            OperandValue::Import(Import(i)) if usize::from(i) >= self.module.imports.len() => out_of_range(
                format_args!("import i{i}"),
                format!("module has {}", plural(self.module.imports.len(), "import")),
            ),
            // V16
            OperandValue::Jump(jump) => match jump.target(pc) {
                Some(target) if target < f.code.len() => Ok(()),
                Some(target) => out_of_range(
                    format_args!("branch target pc {target}"),
                    format!("function has {}", plural(f.code.len(), "instruction")),
                ),
                None => Err(self.fail(
                    Some(pc),
                    format_args!("branch offset {} leads before the start of the code", jump.0),
                )),
            },
            OperandValue::Reg(_)
            | OperandValue::Const(_)
            | OperandValue::Upval(_)
            | OperandValue::Proto(_)
            | OperandValue::Import(_) => Ok(()),
            // Immediates are any value of their type; counts are windows (V18, V21–V24).
            OperandValue::Imm(_)
            | OperandValue::Int(_)
            | OperandValue::Count(_)
            | OperandValue::VarCount(_) => Ok(()),
        }
    }

    /// V18–V20 for the instruction at `pc`, and its part in the multi-value protocol.
    /// Every register operand is already known to be < `n` (V11).
    fn instruction(&self, pc: usize, instr: &Instr) -> Result<MultiValue, VerifyError> {
        let mut multi = MultiValue::default();
        let reg = |r: Reg| usize::from(r.0);
        match *instr {
            Instr::Nop {}
            | Instr::Move { .. }
            | Instr::LoadTrue { .. }
            | Instr::LoadFalse { .. }
            | Instr::LoadInt { .. }
            | Instr::LoadFloat { .. }
            | Instr::LoadK { .. }
            | Instr::GetUpval { .. }
            | Instr::SetUpval { .. }
            | Instr::GetImport { .. }
            | Instr::NewTable { .. }
            | Instr::GetTable { .. }
            | Instr::GetIndex { .. }
            | Instr::SetTable { .. }
            | Instr::SetIndex { .. }
            | Instr::Add { .. }
            | Instr::Sub { .. }
            | Instr::Mul { .. }
            | Instr::Div { .. }
            | Instr::Mod { .. }
            | Instr::Pow { .. }
            | Instr::IDiv { .. }
            | Instr::BAnd { .. }
            | Instr::BOr { .. }
            | Instr::BXor { .. }
            | Instr::Shl { .. }
            | Instr::Shr { .. }
            | Instr::AddI { .. }
            | Instr::ShlI { .. }
            | Instr::ShrI { .. }
            | Instr::Unm { .. }
            | Instr::BNot { .. }
            | Instr::Not { .. }
            | Instr::Len { .. }
            | Instr::Jmp { .. }
            | Instr::JTrue { .. }
            | Instr::JFalse { .. }
            | Instr::JEq { .. }
            | Instr::JNe { .. }
            | Instr::JLt { .. }
            | Instr::JNlt { .. }
            | Instr::JLe { .. }
            | Instr::JNle { .. }
            | Instr::JEqK { .. }
            | Instr::JNeK { .. }
            | Instr::JEqI { .. }
            | Instr::JNeI { .. }
            | Instr::JLtI { .. }
            | Instr::JNltI { .. }
            | Instr::JLeI { .. }
            | Instr::JNleI { .. }
            | Instr::JGtI { .. }
            | Instr::JNgtI { .. }
            | Instr::JGeI { .. }
            | Instr::JNgeI { .. }
            | Instr::Closure { .. }
            | Instr::Close { .. }
            | Instr::Tbc { .. } => {
                // Single registers only, all checked by V11; any constant kind will do.
            }

            Instr::LoadNil { dst, count } => {
                self.at_least(pc, instr, "count", count.0, 1)?;
                self.window(pc, instr, "writes", reg(dst), usize::from(count.0))?;
            }
            Instr::GetTabUp { key, .. } | Instr::SetTabUp { key, .. } => {
                self.constant_kind(pc, instr, "key", key, Want::String)?;
            }
            Instr::GetField { key, .. } | Instr::SetField { key, .. } => {
                self.constant_kind(pc, instr, "key", key, Want::String)?;
            }
            Instr::SelfField { dst, method, .. } => {
                self.window(pc, instr, "writes", reg(dst), 2)?;
                self.constant_kind(pc, instr, "method", method, Want::String)?;
            }
            Instr::SetList { table, count, start: _ } => match count.get() {
                Some(count) => self.window(pc, instr, "stores", reg(table) + 1, usize::from(count))?,
                None => multi.consumes = Some((reg(table) + 1, "count")),
            },

            Instr::AddK { rhs, .. }
            | Instr::SubK { rhs, .. }
            | Instr::MulK { rhs, .. }
            | Instr::DivK { rhs, .. }
            | Instr::ModK { rhs, .. }
            | Instr::PowK { rhs, .. }
            | Instr::IDivK { rhs, .. }
            | Instr::BAndK { rhs, .. }
            | Instr::BOrK { rhs, .. }
            | Instr::BXorK { rhs, .. } => {
                self.constant_kind(pc, instr, "right operand", rhs, Want::Number)?;
            }

            Instr::Concat { dst: _, first, count } => {
                self.at_least(pc, instr, "count", count.0, 2)?;
                self.window(pc, instr, "reads", reg(first), usize::from(count.0))?;
            }

            Instr::Call { func, args, results } => {
                match args.get() {
                    Some(args) => self.window(pc, instr, "passes", reg(func) + 1, usize::from(args))?,
                    None => multi.consumes = Some((reg(func) + 1, "arguments")),
                }
                match results.get() {
                    Some(results) => {
                        self.window(pc, instr, "writes results to", reg(func), usize::from(results))?
                    }
                    None => multi.produces = Some((reg(func), "results")),
                }
            }
            Instr::TailCall { func, args } => match args.get() {
                Some(args) => self.window(pc, instr, "passes", reg(func) + 1, usize::from(args))?,
                None => multi.consumes = Some((reg(func) + 1, "arguments")),
            },
            Instr::Return { first, count } => match count.get() {
                Some(count) => self.window(pc, instr, "returns", reg(first), usize::from(count))?,
                None => multi.consumes = Some((reg(first), "count")),
            },
            Instr::VarArg { dst, count } => {
                // V20
                if !self.function.is_vararg {
                    return Err(self.fail(
                        Some(pc),
                        format_args!("`vararg` in a function that does not take variable arguments"),
                    ));
                }
                match count.get() {
                    Some(count) => self.window(pc, instr, "writes", reg(dst), usize::from(count))?,
                    None => multi.produces = Some((reg(dst), "count")),
                }
            }

            Instr::ForPrep { base, .. } | Instr::ForLoop { base, .. } => {
                self.window(pc, instr, "uses", reg(base), 4)?;
            }
            Instr::TForPrep { base, .. } | Instr::TForLoop { base, .. } => {
                self.window(pc, instr, "uses", reg(base), 5)?;
            }
            Instr::TForCall { base, results } => {
                self.at_least(pc, instr, "results", results.0, 1)?;
                // The call is staged in base+4…base+6 even when fewer results are kept.
                self.window(pc, instr, "uses", reg(base), 4 + usize::from(results.0.max(3)))?;
            }
        }
        Ok(multi)
    }

    /// V18: the registers `first`…`first+count-1` are in the frame.
    fn window(
        &self,
        pc: usize,
        instr: &Instr,
        verb: &str,
        first: usize,
        count: usize,
    ) -> Result<(), VerifyError> {
        if count == 0 || first + count <= self.n {
            return Ok(());
        }
        let last = first + count - 1;
        let range = if count == 1 { format!("r{first}") } else { format!("r{first}…r{last}") };
        Err(self.fail(
            Some(pc),
            format_args!(
                "`{}` {verb} {range}, past the end of the frame (function has {})",
                instr.opcode(),
                plural(self.n, "register")
            ),
        ))
    }

    /// V18: a count operand's lower bound.
    fn at_least(&self, pc: usize, instr: &Instr, what: &str, value: u8, min: u8) -> Result<(), VerifyError> {
        if value >= min {
            return Ok(());
        }
        Err(self
            .fail(Some(pc), format_args!("`{}` {what} must be at least {min}, not {value}", instr.opcode())))
    }

    /// V19: constant operand `k` (in range by V12) has the kind the instruction needs.
    fn constant_kind(
        &self,
        pc: usize,
        instr: &Instr,
        what: &str,
        k: Const,
        want: Want,
    ) -> Result<(), VerifyError> {
        let constant = self.module.constant(self.index, usize::from(k.0));
        let ok = match want {
            Want::String => constant.is_some_and(Constant::is_string),
            Want::Number => constant.is_some_and(Constant::is_number),
        };
        if ok {
            return Ok(());
        }
        let wanted = match want {
            Want::String => "a string",
            Want::Number => "a number",
        };
        let found = match constant {
            Some(Constant::Nil) => "nil",
            Some(Constant::Bool(_)) => "a boolean",
            Some(Constant::Int(_)) => "an integer",
            Some(Constant::Float(_)) => "a float",
            Some(Constant::Str(_)) => "a string",
            None => "missing",
        };
        Err(self.fail(
            Some(pc),
            format_args!("`{}` {what} k{} must be {wanted}, but it is {found}", instr.opcode(), k.0),
        ))
    }

    /// V21–V23 for a consumer at `pc` whose values start at `start`. `producer` is the
    /// previous instruction's produced range, if it produces one.
    fn consumer(
        &self,
        pc: usize,
        instr: &Instr,
        start: usize,
        noun: &str,
        producer: Option<(usize, &str)>,
        is_target: &[bool],
    ) -> Result<(), VerifyError> {
        let code = &self.function.code;
        let what = format!("`{}` with `*` {noun}", instr.opcode());
        // V21
        let Some((producer_start, _)) = producer else {
            let before = match pc.checked_sub(1).and_then(|p| code.get(p)) {
                Some(previous) => format!("pc {} (`{}`) is not one", pc - 1, previous.opcode()),
                None => "it is the first instruction".to_string(),
            };
            return Err(self.fail(
                Some(pc),
                format_args!(
                    "{what} must come right after a `call` with `*` results or a `vararg` with \
                     count `*` (which set the stack top), but {before}"
                ),
            ));
        };
        // V22
        if is_target.get(pc).copied().unwrap_or(false) {
            return Err(self.fail(
                Some(pc),
                format_args!(
                    "{what} is a branch target; it may only be reached from the instruction \
                     before it, which sets the stack top"
                ),
            ));
        }
        // V23
        if start > producer_start {
            let producer_op = code.get(pc - 1).map(|i| i.opcode().mnemonic()).unwrap_or("?");
            return Err(self.fail(
                Some(pc),
                format_args!(
                    "{what} takes values from r{start} on, but the `{producer_op}` at pc {} \
                     produces them from r{producer_start} on (the range must start at or before)",
                    pc - 1
                ),
            ));
        }
        Ok(())
    }

    /// V24: the producer at `pc` is followed by `next`, which does not consume.
    fn dangling_producer(&self, pc: usize, noun: &str, next: Option<&Instr>) -> VerifyError {
        let op = self.function.code.get(pc).map(|i| i.opcode().mnemonic()).unwrap_or("?");
        let after = match next {
            Some(next) => format!("pc {} (`{}`) does not", pc + 1, next.opcode()),
            None => "it is the last instruction".to_string(),
        };
        self.fail(
            Some(pc),
            format_args!(
                "`{op}` with `*` {noun} must be followed right away by an instruction that takes \
                 `*` values (`call` or `tailcall` with `*` arguments, `return` or `setlist` with \
                 count `*`), or the values are left dangling, but {after}"
            ),
        )
    }
}
