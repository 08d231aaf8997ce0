//! The decoder: untrusted bytes → [`Module`], or a [`DecodeError`] with a byte offset.
//!
//! Two passes. *Framing* reads the header, then walks the section headers (id, length)
//! without looking inside the payloads: it enforces the section order, rejects unknown,
//! reserved, duplicate and missing sections, checks that every length fits in the file,
//! verifies the CRC-32C checksum and rejects trailing bytes. Only a file whose framing and
//! checksum are intact has its payloads decoded, each in a [`Reader`] bounded to its
//! section, which must be consumed exactly.
//!
//! Hostile input is the normal case here:
//! - nothing panics: every read is bounds-checked by [`Reader`], arithmetic is checked;
//! - nothing is reserved from an unchecked count: every `Vec::with_capacity` takes a count
//!   from [`Reader::count`], which checked it against its limit and against the bytes left
//!   in the region (using the minimum encoded size of one item, the `MIN_*` constants);
//! - nothing recurses: the format is flat (functions refer to children by index);
//! - whatever decodes re-encodes to the same bytes (every choice in the format has one
//!   spelling and the decoder rejects the others).
//!
//! What the decoder does *not* check is whether indices and operands are in range, or
//! whether debug tables match their functions: a `Module` can represent those mistakes,
//! and the verifier rejects them with better context.

use super::instr::read_instr;
use super::reader::{n_bytes, Reader};
use super::*;
use crate::module::*;

// The fewest bytes one item of each list can take; see "Minimum item sizes" in
// docs/format.md. A count is only believed if this many bytes per item remain.
const MIN_CONSTANT: usize = 1; // tag (nil, false, true)
const MIN_IMPORT: usize = 1; // empty name
const MIN_FUNCTION: usize = 8; // 3 single bytes, 4 empty counts, empty code length
const MIN_UPVALUE: usize = 1; // tag (globals)
const MIN_INDEX: usize = 1; // one-byte LEB128
const MIN_INSTR: usize = 1; // an opcode without operands
const MIN_EXPORT: usize = 2; // empty name, one-byte function index
const MIN_DEBUG_FUNCTION: usize = 6; // absent name, 2 lines, 3 empty counts
const MIN_LOCAL: usize = 4; // empty name, register, 2 one-byte pcs
const MIN_NAME: usize = 1; // empty name

/// The sections that must each appear exactly once, in this order.
const REQUIRED: [SectionId; 4] =
    [SectionId::Constants, SectionId::Imports, SectionId::Functions, SectionId::Exports];

pub(super) fn decode_module(bytes: &[u8]) -> Result<Module, DecodeError> {
    let sections = frame(bytes)?;
    let mut module = Module::default();
    for Section { id, mut payload } in sections {
        let r = &mut payload;
        match id {
            SectionId::Constants => module.constants = constants(r)?,
            SectionId::Imports => module.imports = imports(r)?,
            SectionId::Functions => module.functions = functions(r)?,
            SectionId::Exports => (module.exports, module.entry) = exports(r)?,
            SectionId::Debug => module.debug = Some(debug(r)?),
            SectionId::Custom => module.custom.push(custom(r)?),
            SectionId::Signature | SectionId::Checksum => {
                // `frame` rejects the one and stops at the other.
                return Err(r.error(r.offset(), format!("internal: {} section passed framing", id.name())));
            }
        }
        r.finish()?;
    }
    Ok(module)
}

/// A section whose framing has been checked; `payload` is bounded to its bytes.
struct Section<'a> {
    id: SectionId,
    payload: Reader<'a>,
}

/// Pass one: the header, then the section headers and the checksum.
fn frame(bytes: &[u8]) -> Result<Vec<Section<'_>>, DecodeError> {
    let mut r = Reader::new(bytes, "file");
    header(&mut r)?;

    // At most 5 content sections plus MAX_CUSTOM_SECTIONS custom ones are pushed here
    // (the order rules forbid repeats of anything else), so this list stays small.
    let mut sections: Vec<Section<'_>> = Vec::new();
    let mut previous: Option<SectionId> = None;
    let mut required = REQUIRED.iter().peekable();
    let mut customs = 0usize;
    loop {
        let start = r.offset();
        if r.is_empty() {
            return Err(r.error(
                start,
                format!(
                    "missing checksum section: the file ends without one (the last section must be {})",
                    SectionId::Checksum.describe()
                ),
            ));
        }
        let byte = r.u8("section id")?;
        let id = SectionId::from_byte(byte).ok_or_else(|| {
            r.error(
                start,
                format!(
                    "unknown section id 0x{byte:02x} (version {VERSION} defines 0x01-0x06 and 0xff; \
                     tools keep their own data in custom sections)"
                ),
            )
        })?;
        if id == SectionId::Signature {
            return Err(r.error(
                start,
                format!(
                    "{} is reserved for a future version and not allowed in version {VERSION}",
                    id.describe()
                ),
            ));
        }
        if let Some(previous) = previous {
            if id == previous && id != SectionId::Custom {
                return Err(
                    r.error(start, format!("duplicate {} (each may appear only once)", id.describe()))
                );
            }
            if id.rank() < previous.rank() {
                return Err(r.error(
                    start,
                    format!(
                        "{} out of order: it must come before the {} section",
                        id.describe(),
                        previous.name()
                    ),
                ));
            }
        }
        if let Some(&&expected) = required.peek() {
            if id == expected {
                required.next();
            } else {
                return Err(r.error(
                    start,
                    format!("missing {}: expected it before the {} section", expected.describe(), id.name()),
                ));
            }
        }

        let len_at = r.offset();
        let len = r.leb_usize("section length")?;
        if len > r.remaining() {
            return Err(r.error(
                len_at,
                format!(
                    "{} section length {len} runs past the end of the file ({} remain)",
                    id.name(),
                    n_bytes(r.remaining())
                ),
            ));
        }

        if id == SectionId::Checksum {
            if len != CHECKSUM_PAYLOAD_LEN {
                return Err(r.error(len_at, format!("checksum section length must be 4, found {len}")));
            }
            let crc_at = r.offset();
            let stored = r.u32_le("checksum")?;
            let covered = bytes.get(..start).unwrap_or_default();
            let computed = crc32c::crc32c(covered);
            if stored != computed {
                return Err(r.error(
                    crc_at,
                    format!(
                        "checksum mismatch: the file records 0x{stored:08x} but bytes 0..{start} have \
                         CRC-32C 0x{computed:08x} (the file is damaged)"
                    ),
                ));
            }
            if !r.is_empty() {
                return Err(r.error(
                    r.offset(),
                    format!(
                        "{} trailing after the checksum section, which must be last",
                        n_bytes(r.remaining())
                    ),
                ));
            }
            return Ok(sections);
        }

        if id == SectionId::Custom {
            customs += 1;
            if customs > limits::MAX_CUSTOM_SECTIONS {
                return Err(
                    r.error(start, format!("more than {} custom sections", limits::MAX_CUSTOM_SECTIONS))
                );
            }
        }
        let payload = r.sub(len, id.region())?;
        sections.push(Section { id, payload });
        previous = Some(id);
    }
}

fn header(r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let magic: [u8; 8] = r.array("magic number")?;
    if magic != MAGIC {
        return Err(r.error(
            0,
            format!(
                "not a Tarn module: the file starts with {} instead of the magic number {}",
                hex(&magic),
                hex(&MAGIC)
            ),
        ));
    }
    let at = r.offset();
    let version = r.u32_le("format version")?;
    if version != VERSION {
        return Err(r.error(
            at,
            format!("unsupported format version {version} (this reader supports version {VERSION} only)"),
        ));
    }
    let at = r.offset();
    let flags = r.u32_le("flags")?;
    if flags != 0 {
        return Err(r.error(
            at,
            format!(
                "non-zero flags 0x{flags:08x}: every flag bit is reserved in version {VERSION} and must be 0"
            ),
        ));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// Runs `item` `n` times, collecting into a vector reserved for `n` (which the caller got
/// from [`Reader::count`]). Errors from item `i` are prefixed with `"{what} {i}: "`.
fn list<T>(
    r: &mut Reader<'_>,
    n: usize,
    what: &str,
    mut item: impl FnMut(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        items.push(item(r).map_err(|e| e.context(format_args!("{what} {i}")))?);
    }
    Ok(items)
}

fn constants(r: &mut Reader<'_>) -> Result<Vec<Constant>, DecodeError> {
    let n = r.count("constant count", limits::MAX_POOL, MIN_CONSTANT)?;
    list(r, n, "constant", |r| {
        let at = r.offset();
        Ok(match r.u8("constant tag")? {
            CONST_NIL => Constant::Nil,
            CONST_FALSE => Constant::Bool(false),
            CONST_TRUE => Constant::Bool(true),
            CONST_INT => Constant::Int(i64::from_le_bytes(r.array("integer constant")?)),
            CONST_FLOAT => Constant::Float(f64::from_bits(u64::from_le_bytes(r.array("float constant")?))),
            CONST_STRING => Constant::Str(r.bytes("string constant", limits::MAX_STRING_LEN)?.to_vec()),
            tag => {
                return Err(r.error(at, format!("unknown constant tag {tag} (expected 0 to {CONST_STRING})")))
            }
        })
    })
}

fn imports(r: &mut Reader<'_>) -> Result<Vec<ImportDecl>, DecodeError> {
    let n = r.count("import count", limits::MAX_IMPORTS, MIN_IMPORT)?;
    list(r, n, "import", |r| Ok(ImportDecl { name: r.name("name")? }))
}

fn functions(r: &mut Reader<'_>) -> Result<Vec<Function>, DecodeError> {
    let n = r.count("function count", limits::MAX_FUNCTIONS, MIN_FUNCTION)?;
    list(r, n, "function", function)
}

fn function(r: &mut Reader<'_>) -> Result<Function, DecodeError> {
    let num_params = r.u8("parameter count")?;
    let flags_at = r.offset();
    let flags = r.u8("function flags")?;
    if flags & !FUNCTION_VARARG != 0 {
        return Err(r.error(
            flags_at,
            format!("function flags 0x{flags:02x} set reserved bits (only bit 0, vararg, is defined)"),
        ));
    }
    let num_registers = r.u8("register count")?;

    let n = r.count("upvalue count", limits::MAX_UPVALUES, MIN_UPVALUE)?;
    let upvalues = list(r, n, "upvalue", |r| {
        let at = r.offset();
        Ok(match r.u8("upvalue tag")? {
            UPVAL_REGISTER => UpvalSource::ParentRegister(r.u8("parent register")?),
            UPVAL_UPVAL => UpvalSource::ParentUpval(r.u8("parent upvalue")?),
            UPVAL_GLOBALS => UpvalSource::Globals,
            tag => return Err(r.error(at, format!("unknown upvalue tag {tag} (expected 0, 1 or 2)"))),
        })
    })?;

    let n = r.count("constant index count", limits::MAX_CONSTANTS, MIN_INDEX)?;
    let constants = list(r, n, "constant index", |r| r.leb_u32("pool index"))?;

    let n = r.count("child count", limits::MAX_CHILDREN, MIN_INDEX)?;
    let children = list(r, n, "child", |r| r.leb_u32("function index"))?;

    let count_at = r.offset();
    let instr_count = r.leb_usize("instruction count")?;
    if instr_count > limits::MAX_CODE_LEN {
        return Err(r.error(
            count_at,
            format!("instruction count {instr_count} exceeds the limit of {}", limits::MAX_CODE_LEN),
        ));
    }
    let len_at = r.offset();
    let code_len = r.leb_usize("code length")?;
    if code_len > r.remaining() {
        return Err(r.error(
            len_at,
            format!(
                "code length {code_len} runs past the end of the functions section ({} remain)",
                n_bytes(r.remaining())
            ),
        ));
    }
    // Each instruction takes at least MIN_INSTR bytes of the code.
    let fits = instr_count.checked_mul(MIN_INSTR).is_some_and(|needed| needed <= code_len);
    if !fits {
        return Err(r.error(
            count_at,
            format!("instruction count {instr_count} cannot fit in {code_len} bytes of code"),
        ));
    }
    let mut code_reader = r.sub(code_len, "code")?;
    let code = list(&mut code_reader, instr_count, "instruction", read_instr)?;
    code_reader.finish()?;

    Ok(Function {
        num_params,
        is_vararg: flags & FUNCTION_VARARG != 0,
        num_registers,
        upvalues,
        constants,
        children,
        code,
    })
}

fn exports(r: &mut Reader<'_>) -> Result<(Vec<Export>, Option<u32>), DecodeError> {
    let n = r.count("export count", limits::MAX_EXPORTS, MIN_EXPORT)?;
    let exports = list(r, n, "export", |r| {
        Ok(Export { name: r.name("name")?, function: r.leb_u32("function index")? })
    })?;
    let entry = if r.presence("entry")? { Some(r.leb_u32("entry function index")?) } else { None };
    Ok((exports, entry))
}

fn debug(r: &mut Reader<'_>) -> Result<DebugInfo, DecodeError> {
    let source = r.name("source name")?;
    let n = r.count("function count", limits::MAX_FUNCTIONS, MIN_DEBUG_FUNCTION)?;
    let functions = list(r, n, "debug info of function", |r| {
        let name = if r.presence("function name")? { Some(r.name("function name")?) } else { None };
        let line_defined = r.leb_u32("line defined")?;
        let last_line = r.leb_u32("last line")?;
        let n = r.count("line count", limits::MAX_CODE_LEN, MIN_INDEX)?;
        let lines = list(r, n, "line", |r| r.leb_u32("line"))?;
        let n = r.count("local count", MAX_DEBUG_LOCALS, MIN_LOCAL)?;
        let locals = list(r, n, "local", |r| {
            Ok(LocalInfo {
                name: r.name("name")?,
                register: r.u8("register")?,
                start_pc: r.leb_u32("start pc")?,
                end_pc: r.leb_u32("end pc")?,
            })
        })?;
        let n = r.count("upvalue name count", limits::MAX_UPVALUES, MIN_NAME)?;
        let upvalue_names = list(r, n, "upvalue name", |r| r.name("name"))?;
        Ok(FunctionDebug { name, line_defined, last_line, lines, locals, upvalue_names })
    })?;
    Ok(DebugInfo { source, functions })
}

fn custom(r: &mut Reader<'_>) -> Result<CustomSection, DecodeError> {
    let name = r.name("custom section name")?;
    let data = r.take(r.remaining(), "custom section data")?.to_vec();
    Ok(CustomSection { name, data })
}
