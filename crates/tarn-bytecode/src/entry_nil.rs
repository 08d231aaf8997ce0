//! Which registers of a frame must be nil when the function starts.
//!
//! Every register of a new frame reads as nil until the function writes it (the
//! parameters hold the arguments). Clearing the whole frame on every call costs a store
//! per register, so the loader asks [`clear_on_entry`] which registers can be read
//! before being written, and a call clears only those. Code from the Tarn compiler
//! writes every register before reading it (`loadnil` for a local declared without a
//! value), so usually none are left; hand-written or hostile bytecode gets what it needs.
//!
//! The analysis is a forward data flow over the code: the set of registers certainly
//! written on every path to each instruction (the parameters at the entry), met by
//! intersection where paths join. A register read outside that set is one to clear. A
//! read also counts as a write from there on: the register is then either written on
//! every path, or cleared at entry. Results and values a callee leaves behind in the
//! frame need no care: they do not depend on what the frame held before.
//!
//! It runs on verified code (V11, V16–V18, V21–V24 of [`crate::verify`]); on anything
//! it cannot settle cheaply (a very long function, or one that needs many passes) it
//! answers "every register", which is always right.

use crate::isa::Instr;
use crate::module::{Function, Module, UpvalSource};
use crate::operand::{OperandValue, Reg};

/// Functions longer than this are not analysed (their frames are cleared whole): the
/// analysis keeps 40 bytes per instruction.
const MAX_ANALYSED_LEN: usize = 1 << 16;

/// Passes over the code before giving up. Each loop nested in another needs one more
/// pass to settle; the compiler's code settles in a few. The bound keeps the work on a
/// hostile module proportional to its size.
const MAX_PASSES: usize = 8;

/// The number of registers, from `r0`, that a frame of `function` must hold nil on
/// entry: at least `num_params` (missing arguments read as nil), and past that every
/// register that may be read before being written. `function` is a function of the
/// verified `module`.
pub fn clear_on_entry(module: &Module, function: &Function) -> u8 {
    let everything = function.num_registers;
    let code = &function.code;
    if code.is_empty() || code.len() > MAX_ANALYSED_LEN {
        return everything;
    }
    // The registers each child function captures, worked out once.
    let captures: Vec<Regs> = function
        .children
        .iter()
        .map(|&child| match module.functions.get(child as usize) {
            Some(child) => child.upvalues.iter().fold(Regs::EMPTY, |set, source| match *source {
                UpvalSource::ParentRegister(r) => set.union(Regs::one(Reg(r))),
                _ => set,
            }),
            None => Regs::range(0, 256),
        })
        .collect();
    // `None`: no path reaches the instruction yet.
    let mut written_before: Vec<Option<Regs>> = vec![None; code.len()];
    written_before[0] = Some(Regs::below(usize::from(function.num_params)));
    let mut read_unwritten = Regs::EMPTY;
    let mut settled = false;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for (pc, instr) in code.iter().enumerate() {
            let Some(before) = written_before[pc] else { continue };
            let previous = pc.checked_sub(1).and_then(|p| code.get(p));
            let effects = Effects::of(instr, previous, &captures);
            read_unwritten = read_unwritten.union(effects.reads.minus(before));
            let after = before.union(effects.reads).union(effects.writes);
            let mut flow = |target: usize, regs: Regs| {
                if let Some(slot) = written_before.get_mut(target) {
                    let met = match *slot {
                        Some(old) => old.intersect(regs),
                        None => regs,
                    };
                    if *slot != Some(met) {
                        *slot = Some(met);
                        changed = true;
                    }
                }
            };
            if instr.falls_through() {
                flow(pc + 1, after.union(effects.writes_if_not_taken));
            }
            for target in instr.jump_targets(pc).flatten() {
                flow(target, after.union(effects.writes_if_taken));
            }
        }
        if !changed {
            settled = true;
            break;
        }
    }
    if !settled {
        return everything;
    }
    let needed = read_unwritten.end().max(usize::from(function.num_params));
    u8::try_from(needed).unwrap_or(everything).min(everything)
}

/// A set of registers `r0`…`r255`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Regs([u64; 4]);

impl Regs {
    const EMPTY: Regs = Regs([0; 4]);

    /// `r0`…`r(n-1)`.
    fn below(n: usize) -> Regs {
        Regs::range(0, n)
    }

    /// `r(start)`…`r(end-1)`, cut at `r255`.
    fn range(start: usize, end: usize) -> Regs {
        let end = end.min(256);
        Regs(std::array::from_fn(|i| {
            // The bits of word `i` (registers 64i…64i+63) between start and end.
            let (lo, hi) =
                (start.clamp(64 * i, 64 * i + 64) - 64 * i, end.clamp(64 * i, 64 * i + 64) - 64 * i);
            if lo >= hi {
                0
            } else {
                (u64::MAX >> (64 - (hi - lo))) << lo
            }
        }))
    }

    fn one(r: Reg) -> Regs {
        Regs::range(usize::from(r.0), usize::from(r.0) + 1)
    }

    fn union(self, other: Regs) -> Regs {
        Regs(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    fn intersect(self, other: Regs) -> Regs {
        Regs(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    fn minus(self, other: Regs) -> Regs {
        Regs(std::array::from_fn(|i| self.0[i] & !other.0[i]))
    }

    /// One past the highest register in the set (0 when empty).
    fn end(self) -> usize {
        (0..4).rev().find(|&i| self.0[i] != 0).map_or(0, |i| i * 64 + 64 - self.0[i].leading_zeros() as usize)
    }
}

/// The registers one instruction reads and writes.
#[derive(Default)]
struct Effects {
    reads: Regs,
    /// Written on every way out.
    writes: Regs,
    /// Written only when the instruction branches.
    writes_if_taken: Regs,
    /// Written only when it falls through.
    writes_if_not_taken: Regs,
}

impl Default for Regs {
    fn default() -> Regs {
        Regs::EMPTY
    }
}

impl Effects {
    /// The effects of `instr`, preceded by `previous` (the producer of a `*` count), in
    /// a function whose children capture `captures`.
    fn of(instr: &Instr, previous: Option<&Instr>, captures: &[Regs]) -> Effects {
        let r = |reg: Reg| usize::from(reg.0);
        let window = |start: usize, len: usize| Regs::range(start, start + len);
        // A `*` count reads from `start` up to the values the instruction before produced
        // (V21, V23), which that instruction wrote.
        let up_to_produced = |start: usize| match previous {
            Some(Instr::Call { func, .. }) => Regs::range(start, r(*func)),
            Some(Instr::VarArg { dst, .. }) => Regs::range(start, r(*dst)),
            _ => Regs::range(start, 256),
        };
        let mut e = Effects::default();
        match *instr {
            // Operands named `dst` are written, every other register operand is read.
            Instr::Nop {}
            | Instr::Move { .. }
            | Instr::LoadTrue { .. }
            | Instr::LoadFalse { .. }
            | Instr::LoadInt { .. }
            | Instr::LoadFloat { .. }
            | Instr::LoadK { .. }
            | Instr::GetUpval { .. }
            | Instr::SetUpval { .. }
            | Instr::GetTabUp { .. }
            | Instr::SetTabUp { .. }
            | Instr::GetImport { .. }
            | Instr::NewTable { .. }
            | Instr::GetTable { .. }
            | Instr::GetField { .. }
            | Instr::GetIndex { .. }
            | Instr::SetTable { .. }
            | Instr::SetField { .. }
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
            | Instr::AddK { .. }
            | Instr::SubK { .. }
            | Instr::MulK { .. }
            | Instr::DivK { .. }
            | Instr::ModK { .. }
            | Instr::PowK { .. }
            | Instr::IDivK { .. }
            | Instr::BAndK { .. }
            | Instr::BOrK { .. }
            | Instr::BXorK { .. }
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
            | Instr::Tbc { .. } => instr.for_each_operand(|name, value| {
                if let OperandValue::Reg(reg) = value {
                    if name == "dst" {
                        e.writes = e.writes.union(Regs::one(reg));
                    } else {
                        e.reads = e.reads.union(Regs::one(reg));
                    }
                }
            }),

            Instr::LoadNil { dst, count } => e.writes = window(r(dst), usize::from(count.0)),
            Instr::SelfField { dst, object, .. } => {
                e.reads = Regs::one(object);
                e.writes = window(r(dst), 2);
            }
            Instr::SetList { table, count, .. } => {
                let values = match count.get() {
                    Some(n) => window(r(table) + 1, usize::from(n)),
                    None => up_to_produced(r(table) + 1),
                };
                e.reads = Regs::one(table).union(values);
            }
            Instr::Concat { dst, first, count } => {
                e.reads = window(r(first), usize::from(count.0));
                e.writes = Regs::one(dst);
            }
            Instr::Call { func, args, results } => {
                e.reads = match args.get() {
                    Some(n) => window(r(func), 1 + usize::from(n)),
                    None => up_to_produced(r(func)),
                };
                // With `*` results the count is unknown here; the consumer that follows
                // reads them as produced values.
                if let Some(n) = results.get() {
                    e.writes = window(r(func), usize::from(n));
                }
            }
            Instr::TailCall { func, args } => {
                e.reads = match args.get() {
                    Some(n) => window(r(func), 1 + usize::from(n)),
                    None => up_to_produced(r(func)),
                };
            }
            Instr::Return { first, count } => {
                e.reads = match count.get() {
                    Some(n) => window(r(first), usize::from(n)),
                    None => up_to_produced(r(first)),
                };
            }
            Instr::VarArg { dst, count } => {
                if let Some(n) = count.get() {
                    e.writes = window(r(dst), usize::from(n));
                }
            }
            Instr::Closure { dst, proto } => {
                // The new closure captures registers of this frame: it reads them later.
                e.reads = captures.get(usize::from(proto.0)).copied().unwrap_or(Regs::range(0, 256));
                e.writes = Regs::one(dst);
            }
            // Closes upvalues (whose registers were read when captured) and
            // to-be-closed variables (read by their `tbc`).
            Instr::Close { .. } => {}

            Instr::ForPrep { base, .. } => {
                e.reads = window(r(base), 3);
                // The loop variable is set when the loop runs (falls through).
                e.writes_if_not_taken = window(r(base) + 3, 1);
            }
            Instr::ForLoop { base, .. } => {
                e.reads = window(r(base), 3);
                e.writes_if_taken = window(r(base) + 3, 1);
            }
            Instr::TForPrep { base, .. } => e.reads = window(r(base) + 3, 1),
            Instr::TForCall { base, results } => {
                e.reads = window(r(base), 3);
                // The call is staged in base+4…base+6, then the results land from base+4.
                e.writes = window(r(base) + 4, usize::from(results.0).max(3));
            }
            Instr::TForLoop { base, .. } => {
                e.reads = window(r(base) + 4, 1);
                e.writes_if_taken = window(r(base) + 2, 1);
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::assemble;

    /// `clear_on_entry` for function `name` of a module written in `.tasm`.
    fn clear(source: &str, name: &str) -> u8 {
        let module = assemble(source).expect("assembles");
        crate::verify(module.clone()).expect("verifies");
        let index = module
            .debug
            .as_ref()
            .and_then(|d| d.functions.iter().position(|f| f.name.as_deref() == Some(name)))
            .expect("named function");
        clear_on_entry(&module, &module.functions[index])
    }

    #[test]
    fn register_sets_cover_exactly_their_range() {
        for (start, end) in [(0, 0), (0, 1), (3, 64), (63, 65), (64, 128), (5, 256), (200, 300), (7, 3)] {
            let set = Regs::range(start, end);
            for r in 0..256 {
                let inside = r >= start && r < end;
                assert_eq!(set.0[r / 64] >> (r % 64) & 1 == 1, inside, "r{r} in {start}..{end}");
            }
            let expected_end = if start < end.min(256) { end.min(256) } else { 0 };
            assert_eq!(set.end(), expected_end);
        }
    }

    #[test]
    fn straight_line_writes_before_reads_clear_only_parameters() {
        let src = ".function f params=1 registers=4\n.name \"f\"\n\
                   loadint r1, 5\nadd r2, r0, r1\nmove r3, r2\nreturn r3, 1\n.end\n";
        assert_eq!(clear(src, "f"), 1);
    }

    #[test]
    fn a_register_read_before_any_write_is_cleared() {
        let src = ".function f params=0 registers=4\n.name \"f\"\n\
                   move r1, r3\nreturn r1, 1\n.end\n";
        assert_eq!(clear(src, "f"), 4);
    }

    #[test]
    fn a_write_on_only_one_branch_does_not_count() {
        let src = ".function f params=1 registers=3\n.name \"f\"\n\
                   jtrue r0, @skip\nloadint r2, 1\n@skip:\nreturn r2, 1\n.end\n";
        assert_eq!(clear(src, "f"), 3);
        let both = ".function f params=1 registers=3\n.name \"f\"\n\
                    jtrue r0, @other\nloadint r2, 1\njmp @join\n@other:\nloadint r2, 2\n\
                    @join:\nreturn r2, 1\n.end\n";
        assert_eq!(clear(both, "f"), 1);
    }

    #[test]
    fn a_loop_back_edge_is_followed() {
        // r1 is written at the end of the body, but read at its start on the first pass.
        let src = ".function f params=1 registers=2\n.name \"f\"\n\
                   @top:\njfalse r0, @out\nmove r0, r1\nloadint r1, 0\njmp @top\n\
                   @out:\nreturn r0, 1\n.end\n";
        assert_eq!(clear(src, "f"), 2);
    }

    #[test]
    fn the_numeric_for_variable_is_written_when_the_loop_runs() {
        let src = ".function f params=0 registers=5\n.name \"f\"\n\
                   loadint r0, 1\nloadint r1, 3\nloadint r2, 1\nforprep r0, @out\n\
                   @body:\nmove r4, r3\nforloop r0, @body\n@out:\nreturn r0, 0\n.end\n";
        assert_eq!(clear(src, "f"), 0);
        // After the loop the variable may never have been set.
        let after = ".function f params=0 registers=5\n.name \"f\"\n\
                     loadint r0, 1\nloadint r1, 3\nloadint r2, 1\nforprep r0, @out\n\
                     @body:\nforloop r0, @body\n@out:\nreturn r3, 1\n.end\n";
        assert_eq!(clear(after, "f"), 4);
    }

    #[test]
    fn multiple_results_count_as_written_by_their_producer() {
        let src = ".function f params=1 registers=4\n.name \"f\"\n\
                   move r1, r0\ncall r1, 0, *\nreturn r1, *\n.end\n";
        assert_eq!(clear(src, "f"), 1);
        // A consumer starting below its producer reads the registers in between.
        let below = ".function f params=1 registers=4\n.name \"f\"\n\
                     move r2, r0\ncall r2, 0, *\nreturn r1, *\n.end\n";
        assert_eq!(clear(below, "f"), 2);
    }

    #[test]
    fn flow_that_does_not_settle_in_time_clears_every_register() {
        // Blocks laid out against the flow: each pass reaches one more of them.
        let mut src =
            String::from(".function f params=0 registers=3\n.name \"f\"\njmp @b12\n@b1:\nreturn r0, 0\n");
        for b in 2..=12 {
            src.push_str(&format!("@b{b}:\njmp @b{}\n", b - 1));
        }
        src.push_str(".end\n");
        assert_eq!(clear(&src, "f"), 3);
        // The same code in flow order settles at once, reading nothing.
        let ordered =
            ".function f params=0 registers=3\n.name \"f\"\njmp @a\n@a:\njmp @b\n@b:\nreturn r0, 0\n.end\n";
        assert_eq!(clear(ordered, "f"), 0);
    }

    #[test]
    fn a_closure_reads_the_registers_it_captures() {
        let src = ".function main params=0 registers=3\n.name \"main\"\n.child g\n\
                   closure r0, $g\nreturn r0, 1\n.end\n\
                   .function g params=0 registers=1\n.name \"g\"\n.upval r2 name=x\n\
                   getupval r0, u0\nreturn r0, 1\n.end\n";
        assert_eq!(clear(src, "main"), 3);
    }
}
