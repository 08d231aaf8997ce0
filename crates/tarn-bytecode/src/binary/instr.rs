//! Instruction encoding: the opcode byte, then each operand little-endian in the fixed
//! width of its kind ([`OperandKind::byte_width`]).
//!
//! Nothing here names an instruction: encoding walks [`Instr::for_each_operand`] and
//! decoding answers [`Instr::build`]'s questions through [`OperandSource`], so the
//! instruction table alone decides which operands an opcode has. Widths come only from
//! `byte_width`; the two functions [`operand_bits`] and [`operand_from_bits`] convert each
//! kind to and from its raw bits (zero-extended to 32), and are exact inverses for every
//! value of every kind. Every bit pattern of an operand is a valid operand value: whether
//! it is in range is the verifier's question, not the decoder's.

use super::reader::Reader;
use super::DecodeError;
use crate::isa::{Instr, Opcode};
use crate::operand::*;

// Operands are carried in a `u32` below; no kind may be wider.
const _: () = {
    let mut i = 0;
    while i < OperandKind::ALL.len() {
        assert!(OperandKind::ALL[i].byte_width() <= 4);
        i += 1;
    }
};

/// The operand's raw bits, zero-extended (signed kinds as their two's complement).
fn operand_bits(value: OperandValue) -> u32 {
    match value {
        OperandValue::Reg(Reg(x)) => x.into(),
        OperandValue::Const(Const(x)) => x.into(),
        OperandValue::Upval(Upval(x)) => x.into(),
        OperandValue::Proto(Proto(x)) => x.into(),
        OperandValue::Import(Import(x)) => x.into(),
        OperandValue::Jump(Jump(x)) => x as u32,
        OperandValue::Imm(Imm(x)) => u32::from(x as u16),
        OperandValue::Int(Int(x)) => x,
        OperandValue::Count(Count(x)) => x.into(),
        OperandValue::VarCount(VarCount(x)) => x.into(),
    }
}

/// The operand of `kind` whose raw bits are the low `kind.byte_width()` bytes of `bits`.
fn operand_from_bits(kind: OperandKind, bits: u32) -> OperandValue {
    match kind {
        OperandKind::Reg => OperandValue::Reg(Reg(bits as u8)),
        OperandKind::Const => OperandValue::Const(Const(bits as u16)),
        OperandKind::Upval => OperandValue::Upval(Upval(bits as u8)),
        OperandKind::Proto => OperandValue::Proto(Proto(bits as u16)),
        OperandKind::Import => OperandValue::Import(Import(bits as u16)),
        OperandKind::Jump => OperandValue::Jump(Jump(bits as i32)),
        OperandKind::Imm => OperandValue::Imm(Imm(bits as u16 as i16)),
        OperandKind::Int => OperandValue::Int(Int(bits)),
        OperandKind::Count => OperandValue::Count(Count(bits as u8)),
        OperandKind::VarCount => OperandValue::VarCount(VarCount(bits as u8)),
    }
}

/// Appends one instruction.
pub(super) fn write_instr(out: &mut Vec<u8>, instr: &Instr) {
    out.push(instr.opcode().byte());
    instr.for_each_operand(|_, value| {
        let width = value.kind().byte_width();
        // `width <= 4` is checked at compile time above.
        out.extend_from_slice(&operand_bits(value).to_le_bytes()[..width]);
    });
}

/// Answers [`Instr::build`] from the bytes of a function's code.
struct Operands<'r, 'a> {
    reader: &'r mut Reader<'a>,
    opcode: Opcode,
}

impl OperandSource for Operands<'_, '_> {
    type Error = DecodeError;

    fn operand(&mut self, kind: OperandKind, name: &'static str) -> Result<OperandValue, DecodeError> {
        let width = kind.byte_width();
        if self.reader.remaining() < width {
            // The message is built only on this cold path: operands are the bulk of a file.
            let what = format!("operand `{name}` ({kind}) of `{}`", self.opcode.mnemonic());
            return Err(self.reader.end_error(&what, width));
        }
        let raw = self.reader.take(width, "operand")?;
        let mut le = [0u8; 4];
        for (dst, src) in le.iter_mut().zip(raw) {
            *dst = *src;
        }
        Ok(operand_from_bits(kind, u32::from_le_bytes(le)))
    }

    fn wrong_kind(&mut self, expected: OperandKind, name: &'static str) -> DecodeError {
        // Unreachable: `operand` always answers with the kind asked for.
        let at = self.reader.offset();
        self.reader
            .error(at, format!("internal: operand `{name}` decoded as the wrong kind (expected {expected})"))
    }
}

/// Reads one instruction.
pub(super) fn read_instr(reader: &mut Reader<'_>) -> Result<Instr, DecodeError> {
    let at = reader.offset();
    let byte = reader.u8("opcode")?;
    let opcode = Opcode::from_byte(byte).ok_or_else(|| {
        reader.error(at, format!("unknown opcode byte 0x{byte:02x} (see docs/isa.md for the opcode table)"))
    })?;
    Instr::build(opcode, &mut Operands { reader, opcode })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operand_bits_round_trip_for_every_kind_at_the_extremes() {
        let values = [
            OperandValue::Reg(Reg(0)),
            OperandValue::Reg(Reg(u8::MAX)),
            OperandValue::Const(Const(u16::MAX)),
            OperandValue::Upval(Upval(u8::MAX)),
            OperandValue::Proto(Proto(u16::MAX)),
            OperandValue::Import(Import(u16::MAX)),
            OperandValue::Jump(Jump(i32::MIN)),
            OperandValue::Jump(Jump(i32::MAX)),
            OperandValue::Jump(Jump(-1)),
            OperandValue::Imm(Imm(i16::MIN)),
            OperandValue::Imm(Imm(i16::MAX)),
            OperandValue::Imm(Imm(-1)),
            OperandValue::Int(Int(u32::MAX)),
            OperandValue::Count(Count(u8::MAX)),
            OperandValue::VarCount(VarCount::MULTI),
        ];
        for value in values {
            let kind = value.kind();
            let bits = operand_bits(value);
            // The raw bits fit in the kind's width, so nothing is lost when writing.
            let width_bits = 8 * kind.byte_width() as u32;
            assert!(width_bits == 32 || bits >> width_bits == 0, "{value:?} is wider than {kind}");
            assert_eq!(operand_from_bits(kind, bits), value);
        }
    }

    #[test]
    fn every_opcode_encodes_to_its_documented_length() {
        for &opcode in Opcode::ALL {
            struct Zeros;
            impl OperandSource for Zeros {
                type Error = ();
                fn operand(&mut self, kind: OperandKind, _: &'static str) -> Result<OperandValue, ()> {
                    Ok(operand_from_bits(kind, 0))
                }
                fn wrong_kind(&mut self, _: OperandKind, _: &'static str) {}
            }
            let instr = Instr::build(opcode, &mut Zeros).unwrap();
            let mut out = Vec::new();
            write_instr(&mut out, &instr);
            assert_eq!(out.len(), opcode.encoded_len(), "{opcode}");
            assert_eq!(out.first(), Some(&opcode.byte()));
            let mut reader = Reader::new(&out, "code");
            assert_eq!(read_instr(&mut reader).unwrap(), instr);
            assert!(reader.is_empty());
        }
    }
}
