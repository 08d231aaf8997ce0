//! Generates `docs/isa.md` from the instruction table, so the document cannot drift:
//! a test compares the checked-in file with [`isa_markdown`] (`TARN_BLESS=1` rewrites it).

use std::fmt::Write;

use crate::isa::Opcode;
use crate::operand::OperandKind;

/// The instruction set reference, as Markdown.
pub fn isa_markdown() -> String {
    let mut out = String::new();
    out.push_str("# Tarn instruction set\n\n");
    out.push_str(
        "Generated from the instruction table in `crates/tarn-bytecode/src/isa.rs` by\n\
         `TARN_BLESS=1 cargo test -p tarn-bytecode --test isa_doc`; do not edit by hand.\n\n\
         Tarn is a register machine: each call frame has up to 255 registers `r0`…`r254`,\n\
         parameters arrive in the lowest ones. `R[x]` is register `x`, `K[x]` constant `x`\n\
         of the running function, `U[x]` upvalue `x` of the running closure. Branch targets\n\
         are relative to the next instruction in the binary format and written as labels in\n\
         text. Calls place the callee in `R[func]`, its arguments after it, and receive\n\
         results from `R[func]` on. A count of `*` means \"up to the stack top\" as an input\n\
         (the values left by the call or `vararg` right before) and \"all values\" as an output.\n\n",
    );
    out.push_str("## Operand kinds\n\n| kind | text | bytes |\n|---|---|---|\n");
    for kind in OperandKind::ALL {
        let _ = writeln!(out, "| {} | {} | {} |", kind.name(), kind.spelling(), kind.byte_width());
    }
    out.push_str(
        "\n## Instructions\n\n| opcode | mnemonic | operands | bytes | semantics |\n|---|---|---|---|---|\n",
    );
    for &op in Opcode::ALL {
        let operands: Vec<String> =
            op.operands().iter().map(|(name, kind)| format!("{name}: {}", kind.name())).collect();
        let _ = writeln!(
            out,
            "| `0x{:02x}` | `{}` | {} | {} | {} |",
            op.byte(),
            op.mnemonic(),
            if operands.is_empty() { "—".to_string() } else { operands.join(", ") },
            op.encoded_len(),
            op.description().replace('|', "\\|"),
        );
    }
    out
}
