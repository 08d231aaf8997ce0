//! The Tarn instruction set, defined once.
//!
//! Tarn is a register machine. A function's frame has up to 255 registers (`r0`…`r254`);
//! its parameters arrive in the lowest ones. Operands are typed (see [`crate::operand`]).
//!
//! Everything about an instruction that is not its run-time behaviour comes from the one
//! table in [`for_each_instr!`]: each row gives the opcode byte, the `.tasm` mnemonic, the
//! named, typed operands and a one-line description. From that table this module derives
//! the [`Instr`] enum (the in-memory form the interpreter dispatches on), the [`Opcode`]
//! enum with its byte and mnemonic, operand visiting (used by the encoder, the disassembler
//! and the verifier) and construction from any [`OperandSource`] (used by the decoder, the
//! assembler and the random generator). `docs/isa.md` is generated from it too, and a test
//! fails when the checked-in file drifts. Adding an instruction is one row here plus its
//! semantics in the interpreter; every `match` over instructions is exhaustive, so the
//! compiler points at each place that needs a decision.
//!
//! ## Conventions the rows rely on
//!
//! - `R[x]` is register `x` of the current frame, `K[x]` constant `x` of the current
//!   function, `U[x]` upvalue `x` of the running closure.
//! - A branch's [`Jump`] is relative to the next instruction.
//! - Calls follow Lua's layout: the callee sits in `R[func]`, its arguments in the
//!   registers right after it, and results are written back starting at `R[func]`.
//! - A [`VarCount`] of `*` means "up to the stack top": as an input (call arguments,
//!   returned values, list stores) the values left by the instruction immediately before,
//!   which must be a call or `vararg` with a `*` result count; as an output (call results,
//!   `vararg`) every value produced, setting the stack top.
//! - Numeric `for` uses four consecutive registers from `base`: start/counter, limit,
//!   step, and the visible loop variable. Generic `for` uses `base`…`base+3` for the
//!   iterator function, state, control value and closing value, and the loop's own
//!   variables from `base+4`.

use crate::operand::*;

/// The instruction table. Invokes `$m!` with every row, in opcode order.
///
/// Row syntax: `Name = opcode, "mnemonic", { operand: Kind, ... }, "description";`
#[macro_export]
macro_rules! for_each_instr {
    ($m:ident) => {
        $m! {
            // ---- constants and moves --------------------------------------------------
            Nop = 0x00, "nop", {}, "Do nothing.";
            Move = 0x01, "move", { dst: Reg, src: Reg }, "R[dst] := R[src]";
            LoadNil = 0x02, "loadnil", { dst: Reg, count: Count }, "R[dst], …, R[dst+count-1] := nil";
            LoadTrue = 0x03, "loadtrue", { dst: Reg }, "R[dst] := true";
            LoadFalse = 0x04, "loadfalse", { dst: Reg }, "R[dst] := false";
            LoadInt = 0x05, "loadint", { dst: Reg, value: Imm }, "R[dst] := value (an integer)";
            LoadFloat = 0x06, "loadfloat", { dst: Reg, value: Imm }, "R[dst] := value (converted to a float)";
            LoadK = 0x07, "loadk", { dst: Reg, constant: Const }, "R[dst] := K[constant]";

            // ---- upvalues, globals, imports ----------------------------------------------
            GetUpval = 0x08, "getupval", { dst: Reg, upval: Upval }, "R[dst] := U[upval]";
            SetUpval = 0x09, "setupval", { upval: Upval, src: Reg }, "U[upval] := R[src]";
            GetTabUp = 0x0a, "gettabup", { dst: Reg, upval: Upval, key: Const }, "R[dst] := U[upval][K[key]] (globals: `U[upval]` is `_ENV`; K[key] is a string)";
            SetTabUp = 0x0b, "settabup", { upval: Upval, key: Const, src: Reg }, "U[upval][K[key]] := R[src] (K[key] is a string)";
            GetImport = 0x0c, "getimport", { dst: Reg, import: Import }, "R[dst] := the host function bound to import `import` at link time";

            // ---- tables -------------------------------------------------------------------
            NewTable = 0x10, "newtable", { dst: Reg, array_hint: Count, hash_hint: Count }, "R[dst] := {} with room for array_hint array items and hash_hint fields";
            GetTable = 0x11, "gettable", { dst: Reg, table: Reg, key: Reg }, "R[dst] := R[table][R[key]]";
            GetField = 0x12, "getfield", { dst: Reg, table: Reg, key: Const }, "R[dst] := R[table][K[key]] (K[key] is a string)";
            GetIndex = 0x13, "getindex", { dst: Reg, table: Reg, index: Imm }, "R[dst] := R[table][index] (an integer key)";
            SetTable = 0x14, "settable", { table: Reg, key: Reg, src: Reg }, "R[table][R[key]] := R[src]";
            SetField = 0x15, "setfield", { table: Reg, key: Const, src: Reg }, "R[table][K[key]] := R[src] (K[key] is a string)";
            SetIndex = 0x16, "setindex", { table: Reg, index: Imm, src: Reg }, "R[table][index] := R[src] (an integer key)";
            SetList = 0x17, "setlist", { table: Reg, count: VarCount, start: Int }, "R[table][start+i] := R[table+1+i] for 0 ≤ i < count (raw stores; `*`: up to the top)";
            SelfField = 0x18, "self", { dst: Reg, object: Reg, method: Const }, "R[dst+1] := R[object]; R[dst] := R[object][K[method]] (method-call setup; K[method] is a string)";

            // ---- arithmetic and bitwise, register operands ---------------------------------
            Add = 0x20, "add", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] + R[rhs]";
            Sub = 0x21, "sub", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] - R[rhs]";
            Mul = 0x22, "mul", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] * R[rhs]";
            Div = 0x23, "div", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] / R[rhs] (always float division)";
            Mod = 0x24, "mod", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] % R[rhs] (result has the sign of the divisor)";
            Pow = 0x25, "pow", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] ^ R[rhs] (always float)";
            IDiv = 0x26, "idiv", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] // R[rhs] (floor division)";
            BAnd = 0x27, "band", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] & R[rhs]";
            BOr = 0x28, "bor", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] | R[rhs]";
            BXor = 0x29, "bxor", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] ~ R[rhs]";
            Shl = 0x2a, "shl", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] << R[rhs] (logical; shifts of 64 or more give 0)";
            Shr = 0x2b, "shr", { dst: Reg, lhs: Reg, rhs: Reg }, "R[dst] := R[lhs] >> R[rhs] (logical)";

            // ---- arithmetic and bitwise, constant right operand ----------------------------
            AddK = 0x30, "addk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] + K[rhs] (K[rhs] is a number)";
            SubK = 0x31, "subk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] - K[rhs] (K[rhs] is a number)";
            MulK = 0x32, "mulk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] * K[rhs] (K[rhs] is a number)";
            DivK = 0x33, "divk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] / K[rhs] (K[rhs] is a number)";
            ModK = 0x34, "modk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] % K[rhs] (K[rhs] is a number)";
            PowK = 0x35, "powk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] ^ K[rhs] (K[rhs] is a number)";
            IDivK = 0x36, "idivk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] // K[rhs] (K[rhs] is a number)";
            BAndK = 0x37, "bandk", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] & K[rhs] (K[rhs] is a number)";
            BOrK = 0x38, "bork", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] | K[rhs] (K[rhs] is a number)";
            BXorK = 0x39, "bxork", { dst: Reg, lhs: Reg, rhs: Const }, "R[dst] := R[lhs] ~ K[rhs] (K[rhs] is a number)";

            // ---- arithmetic, immediate right operand ---------------------------------------
            AddI = 0x3a, "addi", { dst: Reg, lhs: Reg, rhs: Imm }, "R[dst] := R[lhs] + rhs";
            ShlI = 0x3b, "shli", { dst: Reg, lhs: Reg, rhs: Imm }, "R[dst] := R[lhs] << rhs";
            ShrI = 0x3c, "shri", { dst: Reg, lhs: Reg, rhs: Imm }, "R[dst] := R[lhs] >> rhs";

            // ---- unary operators and concatenation ------------------------------------------
            Unm = 0x40, "unm", { dst: Reg, src: Reg }, "R[dst] := -R[src]";
            BNot = 0x41, "bnot", { dst: Reg, src: Reg }, "R[dst] := ~R[src]";
            Not = 0x42, "not", { dst: Reg, src: Reg }, "R[dst] := not R[src]";
            Len = 0x43, "len", { dst: Reg, src: Reg }, "R[dst] := #R[src]";
            Concat = 0x44, "concat", { dst: Reg, first: Reg, count: Count }, "R[dst] := R[first] .. … .. R[first+count-1] (count ≥ 2)";

            // ---- jumps and fused compare-and-branch -----------------------------------------
            Jmp = 0x48, "jmp", { target: Jump }, "pc := target";
            JTrue = 0x49, "jtrue", { value: Reg, target: Jump }, "if R[value] is neither nil nor false then pc := target";
            JFalse = 0x4a, "jfalse", { value: Reg, target: Jump }, "if R[value] is nil or false then pc := target";
            JEq = 0x4b, "jeq", { lhs: Reg, rhs: Reg, target: Jump }, "if R[lhs] == R[rhs] then pc := target";
            JNe = 0x4c, "jne", { lhs: Reg, rhs: Reg, target: Jump }, "if not (R[lhs] == R[rhs]) then pc := target";
            JLt = 0x4d, "jlt", { lhs: Reg, rhs: Reg, target: Jump }, "if R[lhs] < R[rhs] then pc := target";
            JNlt = 0x4e, "jnlt", { lhs: Reg, rhs: Reg, target: Jump }, "if not (R[lhs] < R[rhs]) then pc := target";
            JLe = 0x4f, "jle", { lhs: Reg, rhs: Reg, target: Jump }, "if R[lhs] <= R[rhs] then pc := target";
            JNle = 0x50, "jnle", { lhs: Reg, rhs: Reg, target: Jump }, "if not (R[lhs] <= R[rhs]) then pc := target";
            JEqK = 0x51, "jeqk", { lhs: Reg, rhs: Const, target: Jump }, "if R[lhs] == K[rhs] then pc := target";
            JNeK = 0x52, "jnek", { lhs: Reg, rhs: Const, target: Jump }, "if not (R[lhs] == K[rhs]) then pc := target";
            JEqI = 0x53, "jeqi", { lhs: Reg, rhs: Imm, target: Jump }, "if R[lhs] == rhs then pc := target";
            JNeI = 0x54, "jnei", { lhs: Reg, rhs: Imm, target: Jump }, "if not (R[lhs] == rhs) then pc := target";
            JLtI = 0x55, "jlti", { lhs: Reg, rhs: Imm, target: Jump }, "if R[lhs] < rhs then pc := target";
            JNltI = 0x56, "jnlti", { lhs: Reg, rhs: Imm, target: Jump }, "if not (R[lhs] < rhs) then pc := target";
            JLeI = 0x57, "jlei", { lhs: Reg, rhs: Imm, target: Jump }, "if R[lhs] <= rhs then pc := target";
            JNleI = 0x58, "jnlei", { lhs: Reg, rhs: Imm, target: Jump }, "if not (R[lhs] <= rhs) then pc := target";
            JGtI = 0x59, "jgti", { lhs: Reg, rhs: Imm, target: Jump }, "if R[lhs] > rhs then pc := target";
            JNgtI = 0x5a, "jngti", { lhs: Reg, rhs: Imm, target: Jump }, "if not (R[lhs] > rhs) then pc := target";
            JGeI = 0x5b, "jgei", { lhs: Reg, rhs: Imm, target: Jump }, "if R[lhs] >= rhs then pc := target";
            JNgeI = 0x5c, "jngei", { lhs: Reg, rhs: Imm, target: Jump }, "if not (R[lhs] >= rhs) then pc := target";

            // ---- calls, returns, varargs, closures ------------------------------------------
            Call = 0x60, "call", { func: Reg, args: VarCount, results: VarCount }, "R[func], …, R[func+results-1] := R[func](R[func+1], …, R[func+args])";
            TailCall = 0x61, "tailcall", { func: Reg, args: VarCount }, "return R[func](R[func+1], …, R[func+args]), reusing the frame";
            Return = 0x62, "return", { first: Reg, count: VarCount }, "return R[first], …, R[first+count-1]";
            VarArg = 0x63, "vararg", { dst: Reg, count: VarCount }, "R[dst], …, R[dst+count-1] := the function's extra arguments (`*`: all of them)";
            Closure = 0x64, "closure", { dst: Reg, proto: Proto }, "R[dst] := a new closure of child function `proto`, capturing its upvalues";
            Close = 0x65, "close", { from: Reg }, "close upvalues and to-be-closed variables in registers ≥ from";
            Tbc = 0x66, "tbc", { var: Reg }, "mark R[var] as a to-be-closed variable";

            // ---- loops ---------------------------------------------------------------------
            ForPrep = 0x68, "forprep", { base: Reg, exit: Jump }, "prepare a numeric loop over R[base] (start), R[base+1] (limit), R[base+2] (step); if it runs zero times pc := exit, else R[base+3] := start";
            ForLoop = 0x69, "forloop", { base: Reg, body: Jump }, "advance a numeric loop; if it continues, R[base+3] := next value and pc := body";
            TForPrep = 0x6a, "tforprep", { base: Reg, call: Jump }, "mark R[base+3] as to-be-closed and pc := call (the loop's tforcall)";
            TForCall = 0x6b, "tforcall", { base: Reg, results: Count }, "R[base+4], …, R[base+3+results] := R[base](R[base+1], R[base+2])";
            TForLoop = 0x6c, "tforloop", { base: Reg, body: Jump }, "if R[base+4] ~= nil then R[base+2] := R[base+4] and pc := body";
        }
    };
}

macro_rules! define_instructions {
    ($(
        $name:ident = $byte:literal, $mnemonic:literal, { $($field:ident : $kind:ident),* $(,)? }, $doc:literal;
    )*) => {
        /// One instruction, with its typed operands. This is the form the interpreter runs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Instr {
            $(
                #[doc = $doc]
                $name { $($field: $kind),* },
            )*
        }

        /// The operation of an instruction without its operands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $(
                #[doc = $doc]
                $name = $byte,
            )*
        }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The opcode with this byte, if any.
            pub fn from_byte(byte: u8) -> Option<Opcode> {
                match byte {
                    $($byte => Some(Opcode::$name),)*
                    _ => None,
                }
            }

            /// The opcode spelled `mnemonic` in `.tasm`, if any.
            pub fn from_mnemonic(mnemonic: &str) -> Option<Opcode> {
                match mnemonic {
                    $($mnemonic => Some(Opcode::$name),)*
                    _ => None,
                }
            }

            pub fn byte(self) -> u8 {
                self as u8
            }

            pub fn mnemonic(self) -> &'static str {
                match self {
                    $(Opcode::$name => $mnemonic,)*
                }
            }

            /// The one-line description from the table.
            pub fn description(self) -> &'static str {
                match self {
                    $(Opcode::$name => $doc,)*
                }
            }

            /// The operands' names and kinds, in encoding order.
            pub fn operands(self) -> &'static [(&'static str, OperandKind)] {
                match self {
                    $(Opcode::$name => &[$((stringify!($field), OperandKind::$kind)),*],)*
                }
            }

            /// Size in bytes of an instruction with this opcode in the binary format.
            pub fn encoded_len(self) -> usize {
                1 + self.operands().iter().map(|(_, kind)| kind.byte_width()).sum::<usize>()
            }
        }

        impl Instr {
            pub fn opcode(&self) -> Opcode {
                match self {
                    $(Instr::$name { .. } => Opcode::$name,)*
                }
            }

            /// Calls `f` with each operand's name and value, in encoding order.
            pub fn for_each_operand(&self, mut f: impl FnMut(&'static str, OperandValue)) {
                match *self {
                    $(Instr::$name { $($field),* } => {
                        $( f(stringify!($field), $field.to_value()); )*
                    })*
                }
            }

            /// Calls `f` with a mutable view of each operand, in encoding order; the value
            /// `f` leaves behind must keep its kind, or this returns the operand's name.
            pub fn map_operands(
                &mut self,
                mut f: impl FnMut(&'static str, OperandValue) -> OperandValue,
            ) -> Result<(), &'static str> {
                match self {
                    $(Instr::$name { $($field),* } => {
                        $(
                            *$field = Operand::from_value(f(stringify!($field), $field.to_value()))
                                .ok_or(stringify!($field))?;
                        )*
                        Ok(())
                    })*
                }
            }

            /// Builds an instruction of `opcode`, asking `source` for each operand in order.
            pub fn build<S: OperandSource>(opcode: Opcode, source: &mut S) -> Result<Instr, S::Error> {
                match opcode {
                    $(Opcode::$name => {
                        $(
                            let value = source.operand(OperandKind::$kind, stringify!($field))?;
                            let $field = match <$kind as Operand>::from_value(value) {
                                Some(v) => v,
                                None => return Err(source.wrong_kind(OperandKind::$kind, stringify!($field))),
                            };
                        )*
                        Ok(Instr::$name { $($field),* })
                    })*
                }
            }
        }
    };
}

for_each_instr!(define_instructions);

// The interpreter's code arrays hold these; keep them at most 8 bytes.
const _: () = assert!(std::mem::size_of::<Instr>() <= 8);

impl std::fmt::Display for Opcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.mnemonic())
    }
}

impl Instr {
    /// Branch targets of this instruction at `pc`, as absolute instruction indices.
    /// Out-of-range targets are reported as `None` entries for the verifier to reject.
    pub fn jump_targets(&self, pc: usize) -> impl Iterator<Item = Option<usize>> {
        let mut targets = [None; 2];
        let mut n = 0;
        self.for_each_operand(|_, v| {
            if let OperandValue::Jump(j) = v {
                if n < targets.len() {
                    targets[n] = Some(j.target(pc));
                    n += 1;
                }
            }
        });
        targets.into_iter().take(n).map(|t| t.flatten())
    }

    /// Whether control can continue to the next instruction (`false` for unconditional
    /// jumps and returns).
    pub fn falls_through(&self) -> bool {
        match self.opcode() {
            Opcode::Jmp | Opcode::Return | Opcode::TForPrep | Opcode::TailCall => false,
            Opcode::Nop
            | Opcode::Move
            | Opcode::LoadNil
            | Opcode::LoadTrue
            | Opcode::LoadFalse
            | Opcode::LoadInt
            | Opcode::LoadFloat
            | Opcode::LoadK
            | Opcode::GetUpval
            | Opcode::SetUpval
            | Opcode::GetTabUp
            | Opcode::SetTabUp
            | Opcode::GetImport
            | Opcode::NewTable
            | Opcode::GetTable
            | Opcode::GetField
            | Opcode::GetIndex
            | Opcode::SetTable
            | Opcode::SetField
            | Opcode::SetIndex
            | Opcode::SetList
            | Opcode::SelfField
            | Opcode::Add
            | Opcode::Sub
            | Opcode::Mul
            | Opcode::Div
            | Opcode::Mod
            | Opcode::Pow
            | Opcode::IDiv
            | Opcode::BAnd
            | Opcode::BOr
            | Opcode::BXor
            | Opcode::Shl
            | Opcode::Shr
            | Opcode::AddK
            | Opcode::SubK
            | Opcode::MulK
            | Opcode::DivK
            | Opcode::ModK
            | Opcode::PowK
            | Opcode::IDivK
            | Opcode::BAndK
            | Opcode::BOrK
            | Opcode::BXorK
            | Opcode::AddI
            | Opcode::ShlI
            | Opcode::ShrI
            | Opcode::Unm
            | Opcode::BNot
            | Opcode::Not
            | Opcode::Len
            | Opcode::Concat
            | Opcode::JTrue
            | Opcode::JFalse
            | Opcode::JEq
            | Opcode::JNe
            | Opcode::JLt
            | Opcode::JNlt
            | Opcode::JLe
            | Opcode::JNle
            | Opcode::JEqK
            | Opcode::JNeK
            | Opcode::JEqI
            | Opcode::JNeI
            | Opcode::JLtI
            | Opcode::JNltI
            | Opcode::JLeI
            | Opcode::JNleI
            | Opcode::JGtI
            | Opcode::JNgtI
            | Opcode::JGeI
            | Opcode::JNgeI
            | Opcode::Call
            | Opcode::VarArg
            | Opcode::Closure
            | Opcode::Close
            | Opcode::Tbc
            | Opcode::ForPrep
            | Opcode::ForLoop
            | Opcode::TForCall
            | Opcode::TForLoop => true,
        }
    }
}

/// The registers an instruction writes, as a range `start..start+len`; `len` is
/// `usize::MAX - start` ("and every register above") for writes of a variable count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub start: u8,
    pub len: usize,
}

impl Written {
    fn one(r: Reg) -> Option<Written> {
        Some(Written { start: r.0, len: 1 })
    }
    fn span(r: Reg, count: usize) -> Option<Written> {
        Some(Written { start: r.0, len: count })
    }
    fn open(r: Reg) -> Option<Written> {
        Some(Written { start: r.0, len: usize::MAX - usize::from(r.0) })
    }
    pub fn contains(self, r: Reg) -> bool {
        r.0 >= self.start && usize::from(r.0 - self.start) < self.len
    }
}

impl Instr {
    /// Which registers this instruction writes (used to name the variable an operand came
    /// from in error messages, and by analyses). Exhaustive: a new instruction must decide.
    pub fn written(&self) -> Option<Written> {
        let var = |r: Reg, n: VarCount| match n.get() {
            Some(n) => Written::span(r, usize::from(n)),
            None => Written::open(r),
        };
        match *self {
            Instr::Nop {}
            | Instr::SetUpval { .. }
            | Instr::SetTabUp { .. }
            | Instr::SetTable { .. }
            | Instr::SetField { .. }
            | Instr::SetIndex { .. }
            | Instr::SetList { .. }
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
            | Instr::TailCall { .. }
            | Instr::Return { .. }
            | Instr::Close { .. }
            | Instr::Tbc { .. }
            | Instr::TForPrep { .. } => None,
            Instr::Move { dst, .. }
            | Instr::LoadTrue { dst }
            | Instr::LoadFalse { dst }
            | Instr::LoadInt { dst, .. }
            | Instr::LoadFloat { dst, .. }
            | Instr::LoadK { dst, .. }
            | Instr::GetUpval { dst, .. }
            | Instr::GetTabUp { dst, .. }
            | Instr::GetImport { dst, .. }
            | Instr::NewTable { dst, .. }
            | Instr::GetTable { dst, .. }
            | Instr::GetField { dst, .. }
            | Instr::GetIndex { dst, .. }
            | Instr::Add { dst, .. }
            | Instr::Sub { dst, .. }
            | Instr::Mul { dst, .. }
            | Instr::Div { dst, .. }
            | Instr::Mod { dst, .. }
            | Instr::Pow { dst, .. }
            | Instr::IDiv { dst, .. }
            | Instr::BAnd { dst, .. }
            | Instr::BOr { dst, .. }
            | Instr::BXor { dst, .. }
            | Instr::Shl { dst, .. }
            | Instr::Shr { dst, .. }
            | Instr::AddK { dst, .. }
            | Instr::SubK { dst, .. }
            | Instr::MulK { dst, .. }
            | Instr::DivK { dst, .. }
            | Instr::ModK { dst, .. }
            | Instr::PowK { dst, .. }
            | Instr::IDivK { dst, .. }
            | Instr::BAndK { dst, .. }
            | Instr::BOrK { dst, .. }
            | Instr::BXorK { dst, .. }
            | Instr::AddI { dst, .. }
            | Instr::ShlI { dst, .. }
            | Instr::ShrI { dst, .. }
            | Instr::Unm { dst, .. }
            | Instr::BNot { dst, .. }
            | Instr::Not { dst, .. }
            | Instr::Len { dst, .. }
            | Instr::Concat { dst, .. }
            | Instr::Closure { dst, .. } => Written::one(dst),
            Instr::LoadNil { dst, count } => Written::span(dst, usize::from(count.0)),
            Instr::SelfField { dst, .. } => Written::span(dst, 2),
            Instr::Call { func, results, .. } => var(func, results),
            Instr::VarArg { dst, count } => var(dst, count),
            Instr::ForPrep { base, .. } | Instr::ForLoop { base, .. } => Written::span(base, 4),
            Instr::TForCall { base, results } => {
                Some(Written { start: base.0, len: 4 + usize::from(results.0).max(3) })
            }
            Instr::TForLoop { base, .. } => Written::span(Reg(base.0.saturating_add(2)), 1),
        }
    }
}
