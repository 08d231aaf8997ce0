//! The `.tbc` binary module format: [`encode`], [`decode`] and [`reseal`]. The format is
//! specified in `docs/format.md`; this module is its reference implementation, and the
//! constants below are the numbers the specification names.
//!
//! A file is a 16-byte header (magic, version, flags) followed by sections, each
//! `id (1 byte) · payload length (LEB128) · payload`, in a fixed order and ending with a
//! CRC-32C checksum section that covers every byte before it.
//!
//! Invariants, each backed by tests (`tests.rs` here and `tests/binary_*.rs`):
//! - `decode(encode(m)) == m` for every module within the documented limits, and
//!   `encode(decode(b)) == b` for every `b` that decodes: the encoding is canonical.
//! - `decode` never panics, never recurses, and never allocates from a count it has not
//!   checked against its limit and against the bytes that remain (see `reader.rs`).
//! - Every rejection is a [`DecodeError`] naming the byte offset and what was wrong.
//!
//! Files: `leb128.rs` (varints), `reader.rs` (the bounded cursor all reads go through),
//! `instr.rs` (instructions, driven by the instruction table), `encode.rs`, `decode.rs`.

mod decode;
mod encode;
mod instr;
mod leb128;
mod reader;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::module::Module;
use crate::Error;

/// The first eight bytes of every `.tbc` file: `\x89 T B C \r \n \x1a \n`. The high-bit
/// first byte catches 7-bit transfers, the `\r\n` and lone `\n` catch line-ending
/// conversion in either direction, and `\x1a` stops a DOS `type` listing (the same
/// damage-detecting design as PNG's signature).
pub const MAGIC: [u8; 8] = *b"\x89TBC\r\n\x1a\n";

/// The format version this crate reads and writes.
pub const VERSION: u32 = 1;

/// Magic, version (`u32` LE), flags (`u32` LE).
pub const HEADER_LEN: usize = 16;

/// Local-variable entries in one function's debug info. Locals have no operand width to
/// bound them; this keeps a debug table no longer than the largest function's code.
pub const MAX_DEBUG_LOCALS: usize = crate::module::limits::MAX_CODE_LEN;

/// The checksum section's payload is a 4-byte CRC-32C.
const CHECKSUM_PAYLOAD_LEN: usize = 4;
/// The checksum section in full: id, one-byte length, CRC. It is always the last bytes.
const CHECKSUM_SECTION_LEN: usize = 2 + CHECKSUM_PAYLOAD_LEN;

// Constant tags in the constants section.
const CONST_NIL: u8 = 0;
const CONST_FALSE: u8 = 1;
const CONST_TRUE: u8 = 2;
const CONST_INT: u8 = 3;
const CONST_FLOAT: u8 = 4;
const CONST_STRING: u8 = 5;

// Upvalue descriptor tags in the functions section.
const UPVAL_REGISTER: u8 = 0;
const UPVAL_UPVAL: u8 = 1;
const UPVAL_GLOBALS: u8 = 2;

/// Bit 0 of a function's flags byte; the other bits are reserved and must be zero.
const FUNCTION_VARARG: u8 = 0x01;

/// Section ids. Ids are never reused: a retired section keeps its id forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SectionId {
    /// The module's constant pool.
    Constants = 0x01,
    /// Host functions the module needs, by name.
    Imports = 0x02,
    /// Function prototypes and their code.
    Functions = 0x03,
    /// Exported functions and the entry function.
    Exports = 0x04,
    /// Source names, line tables, local and upvalue names (optional).
    Debug = 0x05,
    /// Named tool data the runtime ignores (repeatable).
    Custom = 0x06,
    /// Reserved for signed modules; rejected in version 1.
    Signature = 0xfe,
    /// CRC-32C of every preceding byte; always last.
    Checksum = 0xff,
}

impl SectionId {
    /// Every section, in the order a file must contain them.
    pub const ORDER: [SectionId; 8] = [
        SectionId::Constants,
        SectionId::Imports,
        SectionId::Functions,
        SectionId::Exports,
        SectionId::Debug,
        SectionId::Custom,
        SectionId::Signature,
        SectionId::Checksum,
    ];

    pub fn byte(self) -> u8 {
        self as u8
    }

    pub fn from_byte(byte: u8) -> Option<SectionId> {
        SectionId::ORDER.into_iter().find(|id| id.byte() == byte)
    }

    pub fn name(self) -> &'static str {
        match self {
            SectionId::Constants => "constants",
            SectionId::Imports => "imports",
            SectionId::Functions => "functions",
            SectionId::Exports => "exports",
            SectionId::Debug => "debug",
            SectionId::Custom => "custom",
            SectionId::Signature => "signature",
            SectionId::Checksum => "checksum",
        }
    }

    /// Position in [`SectionId::ORDER`]. The order is this list, not the id bytes, so a
    /// future section can take a fresh id and still be placed anywhere.
    fn rank(self) -> usize {
        SectionId::ORDER.iter().position(|&id| id == self).unwrap_or(usize::MAX)
    }

    /// `"functions section (id 0x03)"`, for messages.
    fn describe(self) -> String {
        format!("{} section (id 0x{:02x})", self.name(), self.byte())
    }

    /// The region name a [`reader::Reader`] over this section's payload reports.
    fn region(self) -> &'static str {
        match self {
            SectionId::Constants => "constants section",
            SectionId::Imports => "imports section",
            SectionId::Functions => "functions section",
            SectionId::Exports => "exports section",
            SectionId::Debug => "debug section",
            SectionId::Custom => "custom section",
            SectionId::Signature => "signature section",
            SectionId::Checksum => "checksum section",
        }
    }
}

/// Why bytes are not a well-formed module, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset in the input where the problem was found (for missing data: where it
    /// should have started).
    pub offset: usize,
    /// What was wrong or expected, with the enclosing items (`function 2: instruction 7:
    /// …`) first.
    pub message: String,
}

impl DecodeError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        DecodeError { offset, message: message.into() }
    }

    /// Prefixes the message with the item being decoded (`"function 3"`).
    fn context(mut self, item: impl fmt::Display) -> Self {
        self.message = format!("{item}: {}", self.message);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Encodes a module. Never fails: every `Module` within the documented limits encodes,
/// and one outside them is written as it is (the decoder will then reject it).
pub fn encode(module: &Module) -> Vec<u8> {
    encode::encode_module(module)
}

/// Decodes a module, checking every length against its limit and the bytes that remain.
/// Whether the module is safe to run is a separate question: see [`crate::verify()`].
pub fn decode(bytes: &[u8]) -> Result<Module, Error> {
    decode::decode_module(bytes).map_err(Error::from)
}

/// Rewrites the checksum of an already laid-out file in place so that it matches the
/// bytes before it (for tools that patch a file, and fuzzers that mutate one and still
/// want to get past the checksum). It assumes the file ends with the checksum section,
/// as every encoded file does, and only writes the last four bytes. Does nothing to an
/// input too short to hold a header and a checksum section.
pub fn reseal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN + CHECKSUM_SECTION_LEN {
        return;
    }
    let covered_len = bytes.len() - CHECKSUM_SECTION_LEN;
    let (covered, section) = bytes.split_at_mut(covered_len);
    let crc = crc32c::crc32c(covered);
    if let Some(slot) = section.get_mut(2..) {
        slot.copy_from_slice(&crc.to_le_bytes());
    }
}
