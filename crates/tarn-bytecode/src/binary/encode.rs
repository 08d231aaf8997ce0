//! The encoder: [`Module`] → `.tbc` bytes, laid out exactly as `docs/format.md` says.
//!
//! It never fails and never validates: a module breaking a documented limit (say 300
//! upvalues) is written as it is, and the decoder then rejects the bytes. Lengths are
//! written from the actual contents, so the output is always self-consistent. The output
//! is the one canonical encoding of the module: the decoder accepts nothing else.

use super::{instr, leb128, SectionId, CHECKSUM_PAYLOAD_LEN, MAGIC, VERSION};
use crate::module::*;

pub(super) fn encode_module(module: &Module) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&module.flags.to_le_bytes());

    section(&mut out, SectionId::Constants, |w| constants(w, &module.constants));
    section(&mut out, SectionId::Imports, |w| {
        len(w, module.imports.len());
        for import in &module.imports {
            name(w, &import.name);
        }
    });
    section(&mut out, SectionId::Functions, |w| {
        len(w, module.functions.len());
        for function in &module.functions {
            self::function(w, function);
        }
    });
    section(&mut out, SectionId::Exports, |w| {
        len(w, module.exports.len());
        for export in &module.exports {
            name(w, &export.name);
            leb128::write(w, export.function.into());
        }
        optional(w, module.entry, |w, entry| leb128::write(w, entry.into()));
    });
    if let Some(debug_info) = &module.debug {
        section(&mut out, SectionId::Debug, |w| debug(w, debug_info));
    }
    for custom in &module.custom {
        section(&mut out, SectionId::Custom, |w| {
            name(w, &custom.name);
            w.extend_from_slice(&custom.data);
        });
    }

    // The checksum covers every byte before its own section.
    let crc = crc32c::crc32c(&out);
    out.push(SectionId::Checksum.byte());
    leb128::write(&mut out, CHECKSUM_PAYLOAD_LEN as u64);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Writes `id`, the payload's length, and the payload that `fill` produces.
fn section(out: &mut Vec<u8>, id: SectionId, fill: impl FnOnce(&mut Vec<u8>)) {
    let mut payload = Vec::new();
    fill(&mut payload);
    out.push(id.byte());
    len(out, payload.len());
    out.extend_from_slice(&payload);
}

/// A count or byte length. Lengths beyond `u32` cannot occur within the limits; if one
/// does, it is written as it is and the decoder rejects it.
fn len(out: &mut Vec<u8>, n: usize) {
    leb128::write(out, n as u64);
}

fn name(out: &mut Vec<u8>, s: &str) {
    bytes(out, s.as_bytes());
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    len(out, b.len());
    out.extend_from_slice(b);
}

fn optional<T: Copy>(out: &mut Vec<u8>, value: Option<T>, write: impl FnOnce(&mut Vec<u8>, T)) {
    match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            write(out, v);
        }
    }
}

fn constants(out: &mut Vec<u8>, pool: &[Constant]) {
    len(out, pool.len());
    for constant in pool {
        match constant {
            Constant::Nil => out.push(super::CONST_NIL),
            Constant::Bool(false) => out.push(super::CONST_FALSE),
            Constant::Bool(true) => out.push(super::CONST_TRUE),
            Constant::Int(i) => {
                out.push(super::CONST_INT);
                out.extend_from_slice(&i.to_le_bytes());
            }
            Constant::Float(f) => {
                out.push(super::CONST_FLOAT);
                out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Constant::Str(s) => {
                out.push(super::CONST_STRING);
                bytes(out, s);
            }
        }
    }
}

fn function(out: &mut Vec<u8>, f: &Function) {
    out.push(f.num_params);
    out.push(if f.is_vararg { super::FUNCTION_VARARG } else { 0 });
    out.push(f.num_registers);
    len(out, f.upvalues.len());
    for upvalue in &f.upvalues {
        match *upvalue {
            UpvalSource::ParentRegister(r) => out.extend_from_slice(&[super::UPVAL_REGISTER, r]),
            UpvalSource::ParentUpval(u) => out.extend_from_slice(&[super::UPVAL_UPVAL, u]),
            UpvalSource::Globals => out.push(super::UPVAL_GLOBALS),
        }
    }
    len(out, f.constants.len());
    for &index in &f.constants {
        leb128::write(out, index.into());
    }
    len(out, f.children.len());
    for &index in &f.children {
        leb128::write(out, index.into());
    }
    let mut code = Vec::new();
    for instr in &f.code {
        instr::write_instr(&mut code, instr);
    }
    len(out, f.code.len());
    bytes(out, &code);
}

fn debug(out: &mut Vec<u8>, d: &DebugInfo) {
    name(out, &d.source);
    len(out, d.functions.len());
    for f in &d.functions {
        optional(out, f.name.as_deref(), name);
        leb128::write(out, f.line_defined.into());
        leb128::write(out, f.last_line.into());
        len(out, f.lines.len());
        for &line in &f.lines {
            leb128::write(out, line.into());
        }
        len(out, f.locals.len());
        for local in &f.locals {
            name(out, &local.name);
            out.push(local.register);
            leb128::write(out, local.start_pc.into());
            leb128::write(out, local.end_pc.into());
        }
        len(out, f.upvalue_names.len());
        for n in &f.upvalue_names {
            name(out, n);
        }
    }
}
