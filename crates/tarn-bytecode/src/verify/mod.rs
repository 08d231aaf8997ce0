//! The verifier: the only way from a [`Module`] to a [`VerifiedModule`].
//!
//! Bytecode may come from anywhere: our compiler, a `.tbc` file on disk, a hand-written
//! `.tasm`, a fuzzer. The interpreter does not re-check what it reads; it indexes registers,
//! constants, upvalues, child functions and imports directly and trusts every branch to land
//! on an instruction. This module is what makes that trust sound. [`verify`] proves the
//! facts below about a module, in time linear in its size, and returns a [`VerifiedModule`]
//! only if all of them hold. `VerifiedModule` has private fields and no other constructor,
//! so the runtime, which only accepts `VerifiedModule`, cannot be handed anything else.
//!
//! The facts are numbered, and the numbers are stable: code that relies on one cites it
//! (`// SAFETY: V11 …`), each has at least one rejection test named after it
//! (`v11_register_out_of_range`), and `docs/verifier.md` says what each one protects. A new
//! fact gets the next number; a fact that is dropped leaves its number unused.
//!
//! In what follows `n` is the function's `num_registers`, and "the frame" is `r0`…`r(n-1)`.
//!
//! # Module facts
//!
//! - **V1** `flags` is 0: no flag is defined in this version, and a module that sets one
//!   asks for a meaning this runtime does not have.
//! - **V2** Every count and length is within [`crate::module::limits`]: the constant pool,
//!   each string constant, the functions, imports, exports and custom sections, every name
//!   (import, export, custom section, and every debug name including the source name), and
//!   per function its upvalues, constants, children and code length. (`num_registers` and
//!   `num_params` are bytes, so their limits hold by type; a compile-time assertion keeps
//!   it that way.)
//! - **V3** Every entry of every function's `constants` is an index into the module's
//!   constant pool.
//! - **V4** The child relation is a forest: every entry of every function's `children` is
//!   an existing function whose index is strictly greater than the parent's, and no function
//!   is listed as a child more than once (by one parent or by two). Walking it never
//!   recurses without bound or loops, and each child has exactly one parent, the function
//!   whose `closure` instructions create it.
//! - **V5** `entry` and every export name an existing function that is nobody's child (a
//!   *root*). Roots are the only functions the host instantiates directly.
//! - **V6** Upvalue sources make sense where the closure is created. A root's upvalues are
//!   all [`UpvalSource::Globals`] (there is no enclosing frame to capture from). A child's
//!   `ParentRegister(r)` has `r` < its parent's `num_registers`, and its `ParentUpval(u)` has
//!   `u` < its parent's upvalue count. `Globals` is allowed in children too.
//! - **V7** `num_params` ≤ `num_registers`: the parameters fit in the frame.
//! - **V8** Import names are unique, and export names are unique.
//! - **V9** Debug information, when present, has the module's shape: one entry per function;
//!   each line table empty or exactly as long as the code; each `upvalue_names` empty or as
//!   long as the upvalues; each local's register < `n`, and `start_pc` ≤ `end_pc` ≤ code
//!   length. Its *content* (line numbers, names) is still never trusted for safety.
//!
//! # Code facts (per function)
//!
//! - **V10** The code is not empty.
//! - **V11** Every register operand of every instruction is < `n`. There is no exception,
//!   not even for operands that a count of 0 makes unused (`return r0, 0`): so a function
//!   that returns needs at least one register, and every register operand can be used as
//!   an index into the frame without looking at the instruction.
//! - **V12** Every constant operand is < the function's constant count (and so, by V3, names
//!   a pool entry).
//! - **V13** Every upvalue operand is < the function's upvalue count.
//! - **V14** Every child-function operand is < the function's children count (and so, by
//!   V4, names an existing function).
//! - **V15** Every import operand is < the module's import count.
//! - **V16** Every branch target ([`crate::operand::Jump::target`]) is an instruction of the
//!   same function: within `0..code.len()`.
//! - **V17** The last instruction does not fall through ([`crate::isa::Instr::falls_through`]). With
//!   V16, no path runs off the end of the code: `pc` is always a valid index.
//! - **V18** Register windows fit in the frame: every range of registers an instruction
//!   reads or writes, not just its first register, lies within `r0`…`r(n-1)`:
//!   - `loadnil dst, count`: count ≥ 1 and dst + count ≤ n.
//!   - `concat dst, first, count`: count ≥ 2 and first + count ≤ n.
//!   - `call func, args, results`: func + 1 + args ≤ n when args is fixed; func + results
//!     ≤ n when results is fixed.
//!   - `tailcall func, args`: func + 1 + args ≤ n when args is fixed.
//!   - `return first, count`: first + count ≤ n when count is fixed.
//!   - `vararg dst, count`: dst + count ≤ n when count is fixed.
//!   - `self dst, object, method`: dst + 1 < n.
//!   - `setlist table, count, start`: table + count < n when count is fixed (the values
//!     are in table+1 … table+count).
//!   - `forprep`/`forloop base`: base + 3 < n.
//!   - `tforprep`/`tforloop base`: base + 4 < n.
//!   - `tforcall base, results`: results ≥ 1 and base + 3 + max(results, 3) < n (the call
//!     is staged in base+4 … base+6, copies of iterator, state and control, and its results
//!     land in base+4 … base+3+results).
//!
//!   A `*` count has no window here: see V21–V24.
//! - **V19** Constant operands have the kind their instruction needs: the key of
//!   `gettabup`, `settabup`, `getfield`, `setfield` and the method of `self` is a string;
//!   the right operand of `addk` … `bxork` is a number (integer or float).
//! - **V20** `vararg` appears only in functions with `is_vararg`.
//!
//! # Multi-value facts (per function)
//!
//! The interpreter keeps a "stack top" only between an instruction that *produces* `*`
//! values (`call` with results `*`, `vararg` with count `*`) and the one that *consumes*
//! them (`call` or `tailcall` with args `*`, `return` or `setlist` with count `*`). The
//! producer's *start* is the first register it writes: `func` for a call, `dst` for
//! `vararg`. Every value from the start up to the top is the producer's; the top may lie
//! beyond the frame.
//!
//! - **V21** A consumer is immediately preceded (at pc − 1) by a producer.
//! - **V22** A consumer is not a branch target, so the only way to reach it is from that
//!   producer, and the top it reads is always the one the producer just set.
//! - **V23** A consumer's value range starts at or before its producer's start, so it never
//!   starts above the top, and the registers between its start and the producer's start are
//!   in the frame: `call`/`tailcall`: func + 1 ≤ start; `return`: first ≤ start; `setlist`:
//!   table + 1 ≤ start.
//! - **V24** A producer is immediately followed by a consumer, so no values are left
//!   dangling above the frame and no stale top survives into other instructions. (One
//!   instruction can be both: `call f, *, *`.)
//!
//! # What is *not* proved
//!
//! Types of register contents (any instruction may find any value in any register, and
//! `forloop` may run without its `forprep`); that registers are written before they are
//! read (the interpreter fills a new frame with nil); that branch targets are the matching
//! instruction (`tforprep` landing on a `tforcall`); termination (fuel bounds it); that
//! imports exist on the host (the linker checks). Each is handled where it matters at run
//! time, safely.
//!
//! # Errors
//!
//! The first violation found is reported as a [`VerifyError`] that names the function (with
//! [`Module::describe_function`]), the instruction offset, and the reason:
//! `function 3 ('f' at foo.lua:12), pc 17: register r40 out of range (function has 32
//! registers)`. The verifier never panics, whatever the module, and its running time is
//! linear in the module's size.

mod code;
mod structure;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::module::{Module, UpvalSource};
use crate::Error;

/// Why a module was rejected: which function, which instruction, what rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// The function the problem is in, if it is in one.
    pub function: Option<usize>,
    /// The instruction offset in that function's code, if the problem is an instruction.
    pub pc: Option<usize>,
    /// The full message, naming the function, pc and reason: what `Display` prints.
    pub message: String,
}

impl VerifyError {
    /// Builds the error and its full message. `reason` says what is wrong and why.
    fn new(module: &Module, function: Option<usize>, pc: Option<usize>, reason: fmt::Arguments<'_>) -> Self {
        let message = match (function, pc) {
            (Some(f), Some(pc)) => format!("{}, pc {pc}: {reason}", module.describe_function(f)),
            (Some(f), None) => format!("{}: {reason}", module.describe_function(f)),
            (None, _) => reason.to_string(),
        };
        VerifyError { function, pc, message }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A module that passed verification: every fact V1…V24 of [the verifier](mod@crate::verify)
/// holds. The only constructor is [`verify`], and the module cannot be changed afterwards.
#[derive(Debug, Clone)]
pub struct VerifiedModule {
    module: Module,
}

impl VerifiedModule {
    pub fn module(&self) -> &Module {
        &self.module
    }

    pub fn into_module(self) -> Module {
        self.module
    }
}

/// Checks every fact the interpreter relies on (V1…V24 in the module documentation) and
/// returns the module as verified, or the first violation found.
pub fn verify(module: Module) -> Result<VerifiedModule, Error> {
    structure::check(&module)?;
    let mut is_target = Vec::new();
    for (index, function) in module.functions.iter().enumerate() {
        code::check(&module, index, function, &mut is_target)?;
    }
    Ok(VerifiedModule { module })
}

/// `1 register`, `32 registers`, `2 entries`, `3 children`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else if noun == "child" {
        format!("{n} children")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {noun}s")
    }
}

/// How an upvalue source is written in messages.
fn describe_upval_source(source: UpvalSource) -> String {
    match source {
        UpvalSource::ParentRegister(r) => format!("parent register r{r}"),
        UpvalSource::ParentUpval(u) => format!("parent upvalue u{u}"),
        UpvalSource::Globals => "the globals table".to_string(),
    }
}
