//! Malformed `.tbc` files: each is rejected with a clean error at the right byte offset.
//!
//! The files are built here byte by byte from `docs/format.md`, not with the encoder, so
//! these tests check the decoder against the specification. A selection is also checked
//! in under `tests/corpus/` (for fuzzers and other readers), with `corpus/README.md`
//! listing what each is and the error it must produce; both are generated from the
//! cases below, and `TARN_BLESS=1 cargo test -p tarn-bytecode --test binary_malformed`
//! rewrites them.
//!
//! Cases with giant counts show that the count is refused *before* anything is
//! allocated: the message says the count cannot fit in the bytes that remain, and that
//! check precedes every reservation in the decoder.

use std::collections::BTreeSet;
use std::path::PathBuf;

use tarn_bytecode::binary::{decode, reseal, DecodeError};
use tarn_bytecode::ErrorKind;

// ---- building files by hand -------------------------------------------------------------

fn leb(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return out;
        }
        out.push(low | 0x80);
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn header_with(version: u32, flags: u32) -> Vec<u8> {
    cat(&[b"\x89TBC\r\n\x1a\n", &version.to_le_bytes(), &flags.to_le_bytes()])
}

fn header() -> Vec<u8> {
    header_with(1, 0)
}

type Sections = Vec<(u8, Vec<u8>)>;

/// The four required sections, all empty: the smallest valid module.
fn minimal() -> Sections {
    vec![(0x01, vec![0]), (0x02, vec![0]), (0x03, vec![0]), (0x04, vec![0, 0])]
}

/// `minimal()` with section `id`'s payload replaced.
fn with(id: u8, payload: Vec<u8>) -> Sections {
    minimal().into_iter().map(|(i, p)| if i == id { (i, payload.clone()) } else { (i, p) }).collect()
}

/// `minimal()` followed by more sections.
fn plus(extra: &[(u8, &[u8])]) -> Sections {
    let mut sections = minimal();
    sections.extend(extra.iter().map(|&(id, p)| (id, p.to_vec())));
    sections
}

/// Header and sections, without a checksum.
fn unsealed(header: Vec<u8>, sections: &Sections) -> Vec<u8> {
    let mut out = header;
    for (id, payload) in sections {
        out.push(*id);
        out.extend(leb(payload.len() as u64));
        out.extend_from_slice(payload);
    }
    out
}

/// Appends a checksum section with the right CRC.
fn sealed(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.extend_from_slice(&[0xff, 0x04, 0, 0, 0, 0]);
    reseal(&mut bytes);
    bytes
}

fn file(sections: &Sections) -> Vec<u8> {
    sealed(unsealed(header(), sections))
}

/// The offset of section `index`'s payload in `file(sections)`.
fn payload_at(sections: &Sections, index: usize) -> usize {
    let mut offset = 16;
    for (_, payload) in &sections[..index] {
        offset += 1 + leb(payload.len() as u64).len() + payload.len();
    }
    offset + 1 + leb(sections[index].1.len() as u64).len()
}

/// A functions payload with one function: no params, the given flags, one register, the
/// given upvalue list (count included), no constants or children, and the given code.
fn one_function(flags: u8, upvalues: &[u8], instr_count: u64, code_len: u64, code: &[u8]) -> Vec<u8> {
    cat(&[&[1, 0, flags, 1], upvalues, &[0, 0], &leb(instr_count), &leb(code_len), code])
}

/// A file whose functions section is `functions`, and the offset where function 0's
/// fields start in it.
fn with_functions(functions: Vec<u8>) -> (Vec<u8>, usize) {
    let sections = with(0x03, functions);
    (file(&sections), payload_at(&sections, 2) + 1)
}

/// A case about function 0: `field` is the offset of the bad data from the function's
/// first byte.
fn in_function(
    make: fn(&'static str, &'static str, Vec<u8>, usize, &'static str) -> Case,
    name: &'static str,
    what: &'static str,
    functions: Vec<u8>,
    field: usize,
    error: &'static str,
) -> Case {
    let (bytes, function_0) = with_functions(functions);
    make(name, what, bytes, function_0 + field, error)
}

// ---- the cases --------------------------------------------------------------------------

struct Case {
    /// File name in the corpus, and the case's name.
    name: &'static str,
    what: &'static str,
    bytes: Vec<u8>,
    offset: usize,
    /// A substring of the error message.
    error: &'static str,
    /// Checked in under `tests/corpus/`.
    corpus: bool,
}

fn case(name: &'static str, what: &'static str, bytes: Vec<u8>, offset: usize, error: &'static str) -> Case {
    Case { name, what, bytes, offset, error, corpus: false }
}

fn corpus(
    name: &'static str,
    what: &'static str,
    bytes: Vec<u8>,
    offset: usize,
    error: &'static str,
) -> Case {
    Case { name, what, bytes, offset, error, corpus: true }
}

fn cases() -> Vec<Case> {
    let valid = file(&minimal());
    let n = valid.len(); // 35
    let debug_empty: &[u8] = &[0, 0];
    let mut cases = vec![
        // ---- header
        corpus("empty.tbc", "an empty file", vec![], 0, "unexpected end of file: magic number needs 8 bytes but 0 remain"),
        corpus(
            "wrong-magic.tbc",
            "an ELF header instead of the magic number",
            cat(&[b"\x7fELF\x02\x01\x01\x00", &valid[8..]]),
            0,
            "not a Tarn module: the file starts with 7f 45 4c 46 02 01 01 00 instead of the magic number 89 54 42 43 0d 0a 1a 0a",
        ),
        case(
            "crlf-damaged",
            "the file went through a CRLF to LF conversion",
            cat(&[b"\x89TBC\n\x1a\n", &valid[8..]]),
            0,
            "not a Tarn module",
        ),
        corpus(
            "wrong-version.tbc",
            "format version 2",
            unsealed(header_with(2, 0), &minimal()),
            8,
            "unsupported format version 2 (this reader supports version 1 only)",
        ),
        corpus(
            "nonzero-flags.tbc",
            "a reserved header flag set",
            sealed(unsealed(header_with(1, 0x8000_0000), &minimal())),
            12,
            "non-zero flags 0x80000000: every flag bit is reserved in version 1 and must be 0",
        ),
        case("short-header", "a header cut off in the flags", valid[..14].to_vec(), 12, "unexpected end of file: flags needs 4 bytes but 2 remain"),
        // ---- framing
        corpus(
            "missing-checksum.tbc",
            "every required section but no checksum",
            unsealed(header(), &minimal()),
            29,
            "missing checksum section: the file ends without one",
        ),
        corpus("bad-checksum.tbc", "one bit of the CRC flipped", {
            let mut b = valid.clone();
            b[n - 1] ^= 1;
            b
        }, 31, "checksum mismatch"),
        case("damaged-payload", "a payload byte changed without resealing", {
            let mut b = valid.clone();
            b[18] = 1;
            b
        }, 31, "checksum mismatch: the file records"),
        case(
            "checksum-length",
            "a checksum section of 5 bytes",
            cat(&[&unsealed(header(), &minimal()), &[0xff, 0x05, 0, 0, 0, 0, 0]]),
            30,
            "checksum section length must be 4, found 5",
        ),
        corpus("trailing-garbage.tbc", "a byte after the checksum section", cat(&[&valid, &[0]]), 35, "1 byte trailing after the checksum section"),
        corpus("unknown-section.tbc", "a section with id 0x07", file(&plus(&[(0x07, &[])])), 29, "unknown section id 0x07"),
        case("section-zero", "a section with id 0x00", file(&plus(&[(0x00, &[])])), 29, "unknown section id 0x00"),
        corpus(
            "signature-reserved.tbc",
            "a signature section, reserved for a future version",
            file(&plus(&[(0xfe, &[])])),
            29,
            "signature section (id 0xfe) is reserved for a future version",
        ),
        corpus(
            "out-of-order.tbc",
            "a debug section after a custom section",
            file(&plus(&[(0x06, &[0]), (0x05, debug_empty)])),
            32,
            "debug section (id 0x05) out of order: it must come before the custom section",
        ),
        case(
            "exports-after-debug",
            "the exports section after the debug section",
            file(&vec![(0x01, vec![0]), (0x02, vec![0]), (0x03, vec![0]), (0x05, debug_empty.to_vec()), (0x04, vec![0, 0])]),
            25,
            "missing exports section (id 0x04): expected it before the debug section",
        ),
        corpus(
            "duplicate-section.tbc",
            "two debug sections",
            file(&plus(&[(0x05, debug_empty), (0x05, debug_empty)])),
            33,
            "duplicate debug section (id 0x05)",
        ),
        case(
            "duplicate-constants",
            "the constants section twice",
            file(&vec![(0x01, vec![0]), (0x01, vec![0]), (0x02, vec![0]), (0x03, vec![0]), (0x04, vec![0, 0])]),
            19,
            "duplicate constants section",
        ),
        corpus(
            "missing-imports.tbc",
            "no imports section",
            file(&vec![(0x01, vec![0]), (0x03, vec![0]), (0x04, vec![0, 0])]),
            19,
            "missing imports section (id 0x02): expected it before the functions section",
        ),
        case("no-sections", "a header and a checksum only", sealed(header()), 16, "missing constants section (id 0x01): expected it before the checksum section"),
        case(
            "section-past-end",
            "a constants section claiming 200 bytes",
            cat(&[&header(), &[0x01, 0xc8, 0x01, 0x00]]),
            17,
            "constants section length 200 runs past the end of the file (1 byte remain)",
        ),
        case("length-cut-off", "a section length cut off", cat(&[&header(), &[0x01, 0x80]]), 17, "unexpected end of file: section length (LEB128) is cut off after 1 byte"),
        case(
            "too-many-custom-sections",
            "1025 custom sections",
            file(&plus(&vec![(0x06u8, &[0u8][..]); 1025])),
            29 + 3 * 1024,
            "more than 1024 custom sections",
        ),
        // ---- LEB128
        corpus(
            "overlong-leb128.tbc",
            "a section length written as 81 00 instead of 01",
            sealed(cat(&[&header(), &[0x01, 0x81, 0x00, 0x00], &unsealed(vec![], &minimal()[1..].to_vec())])),
            17,
            "section length: overlong LEB128 encoding",
        ),
        case("overlong-count", "a constant count written as 80 00", file(&with(0x01, vec![0x80, 0x00])), 18, "constant count: overlong LEB128 encoding"),
        corpus(
            "overflowing-leb128.tbc",
            "a constant count of 2^40",
            file(&with(0x01, leb(1 << 40))),
            18,
            "constant count: LEB128 value does not fit in 32 bits",
        ),
        case(
            "leb128-sixth-byte",
            "a count whose fifth LEB128 byte has the continuation bit",
            file(&with(0x01, vec![0x80, 0x80, 0x80, 0x80, 0x80, 0x00])),
            18,
            "constant count: LEB128 value does not fit in 32 bits",
        ),
        // ---- giant counts (nothing may be allocated for them)
        corpus(
            "pool-count-over-limit.tbc",
            "a constant count of 2^24 + 1",
            file(&with(0x01, leb((1 << 24) + 1))),
            18,
            "constant count 16777217 exceeds the limit of 16777216",
        ),
        corpus(
            "pool-count-without-bytes.tbc",
            "a constant count of 2^24 in a 4-byte payload",
            file(&with(0x01, leb(1 << 24))),
            18,
            "constant count 16777216 cannot fit: it needs at least 16777216 bytes but only 0 remain in the constants section",
        ),
        case(
            "function-count-without-bytes",
            "a function count of 1000 with 10 bytes",
            file(&with(0x03, cat(&[&leb(1000), &[0; 10]]))),
            24,
            "function count 1000 cannot fit: it needs at least 8000 bytes but only 10 remain in the functions section",
        ),
        case(
            "u32-max-count",
            "an import count of 2^32 - 1",
            file(&with(0x02, leb(u64::from(u32::MAX)))),
            21,
            "import count 4294967295 exceeds the limit of 65536",
        ),
        case(
            "string-over-limit",
            "a string constant of 2^30 + 1 bytes",
            file(&with(0x01, cat(&[&[1, 5], &leb((1 << 30) + 1)]))),
            20,
            "constant 0: string constant length 1073741825 exceeds the limit of 1073741824 bytes",
        ),
        case(
            "string-without-bytes",
            "a string constant of 2^30 bytes in a tiny payload",
            file(&with(0x01, cat(&[&[1, 5], &leb(1 << 30)]))),
            20,
            "constant 0: string constant length 1073741824 runs past the end of the constants section (0 bytes remain)",
        ),
        case(
            "name-over-limit",
            "an import name of 65537 bytes",
            file(&with(0x02, cat(&[&[1], &leb(65_537)]))),
            22,
            "import 0: name length 65537 exceeds the limit of 65536 bytes",
        ),
        in_function(case, "upvalues-over-limit", "a function with 256 upvalues", one_function(0, &cat(&[&leb(256), &[2; 256]]), 0, 0, &[]), 3, "function 0: upvalue count 256 exceeds the limit of 255"),
        in_function(case, "code-over-limit", "an instruction count of 2^24 + 1", one_function(0, &[0], (1 << 24) + 1, 0, &[]), 6, "function 0: instruction count 16777217 exceeds the limit of 16777216"),
        in_function(corpus, "instruction-count-vs-code-length.tbc", "1000 instructions in 2 bytes of code", one_function(0, &[0], 1000, 2, &[0, 0]), 6, "function 0: instruction count 1000 cannot fit in 2 bytes of code"),
        case(
            "locals-over-limit",
            "2^24 + 1 debug locals",
            file(&plus(&[(0x05, &cat(&[&[0, 1, 0, 0, 0, 0], &leb((1 << 24) + 1)]))])),
            29 + 2 + 6,
            "debug info of function 0: local count 16777217 exceeds the limit of 16777216",
        ),
        // ---- payload contents
        corpus(
            "payload-unused-bytes.tbc",
            "a constants section with a byte after its contents",
            file(&with(0x01, vec![0, 0xaa])),
            19,
            "1 byte unused at the end of the constants section",
        ),
        case(
            "payload-too-short",
            "an integer constant cut off by the end of its section",
            file(&with(0x01, vec![1, 3, 0, 0])),
            20,
            "constant 0: unexpected end of constants section: integer constant needs 8 bytes but 2 remain",
        ),
        corpus("bad-constant-tag.tbc", "constant tag 6", file(&with(0x01, vec![1, 6])), 19, "constant 0: unknown constant tag 6"),
        corpus(
            "invalid-utf8-name.tbc",
            "an import name with the bytes c3 28",
            file(&with(0x02, vec![1, 2, 0xc3, 0x28])),
            23,
            "import 0: name is not valid UTF-8",
        ),
        case(
            "invalid-utf8-later",
            "an export name valid for two bytes, then ff",
            file(&with(0x04, vec![1, 3, b'o', b'k', 0xff, 0, 0])),
            31,
            "export 0: name is not valid UTF-8 (bad byte 2 bytes into the name)",
        ),
        case(
            "invalid-utf8-custom",
            "a custom section name that is not UTF-8",
            file(&plus(&[(0x06, &[1, 0x80])])),
            32,
            "custom section name is not valid UTF-8",
        ),
        in_function(corpus, "reserved-function-flags.tbc", "function flags 0x02", one_function(0x02, &[0], 0, 0, &[]), 1, "function 0: function flags 0x02 set reserved bits"),
        in_function(case, "bad-upvalue-tag", "upvalue tag 3", one_function(0, &[1, 3], 0, 0, &[]), 4, "function 0: upvalue 0: unknown upvalue tag 3"),
        in_function(corpus, "bad-opcode.tbc", "opcode byte 0x0d, which the instruction table does not define", one_function(0, &[0], 1, 1, &[0x0d]), 8, "function 0: instruction 0: unknown opcode byte 0x0d"),
        in_function(case, "operand-cut-off", "a move whose second register is missing", one_function(0, &[0], 1, 2, &[0x01, 0x00]), 10, "function 0: instruction 0: unexpected end of code: operand `src` (register) of `move` needs 1 byte but 0 remain"),
        in_function(case, "code-unused-bytes", "a nop followed by a stray byte in its code", one_function(0, &[0], 1, 2, &[0x00, 0x00]), 9, "function 0: 1 byte unused at the end of the code"),
        in_function(case, "code-past-section", "a code length of 50 with no code", one_function(0, &[0], 0, 50, &[]), 7, "function 0: code length 50 runs past the end of the functions section (0 bytes remain)"),
        corpus(
            "bad-entry-presence.tbc",
            "an entry presence byte of 2",
            file(&with(0x04, vec![0, 2, 0])),
            28,
            "entry: presence byte must be 0 or 1, found 2",
        ),
        case(
            "bad-debug-name-presence",
            "a debug function name presence byte of 7",
            file(&plus(&[(0x05, &[0, 1, 7, 0, 0, 0, 0, 0])])),
            33,
            "debug info of function 0: function name: presence byte must be 0 or 1, found 7",
        ),
    ];
    cases.sort_by_key(|c| c.name);
    cases
}

// ---- checking ---------------------------------------------------------------------------

fn decode_error(bytes: &[u8]) -> Result<DecodeError, String> {
    match decode(bytes) {
        Ok(module) => Err(format!("decoded to {module:?}")),
        Err(e) => match e.kind() {
            ErrorKind::Decode(d) => Ok(d.clone()),
            other => Err(format!("not a decode error: {other:?}")),
        },
    }
}

#[test]
fn the_hand_built_minimal_file_is_valid() {
    // Everything below breaks one thing in this file, so it must be right.
    let module = decode(&file(&minimal())).unwrap();
    assert_eq!(module, tarn_bytecode::Module::default());
    assert_eq!(file(&minimal()).len(), 35);
}

#[test]
fn malformed_files_are_rejected_at_the_right_offset_with_the_right_message() {
    let mut failures = Vec::new();
    let all = cases();
    for c in &all {
        match decode_error(&c.bytes) {
            Ok(e) if e.offset == c.offset && e.message.contains(c.error) => {}
            Ok(e) => {
                failures.push(format!("{}: expected at byte {}: …{}…\n   got {e}", c.name, c.offset, c.error))
            }
            Err(why) => failures.push(format!("{}: {why}", c.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn case_names_are_unique() {
    let all = cases();
    let names: BTreeSet<&str> = all.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), all.len());
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus_readme(cases: &[&Case]) -> String {
    let mut out = String::from(
        "# Malformed `.tbc` files\n\n\
         Each file here breaks one rule of `docs/format.md`; decoding it must fail with an error\n\
         at the given byte offset whose message contains the given text. Generated, with this\n\
         table, from the cases in `tests/binary_malformed.rs` by\n\
         `TARN_BLESS=1 cargo test -p tarn-bytecode --test binary_malformed`; do not edit by hand.\n\
         That test also checks many more malformations that are not stored as files.\n\n\
         | file | what is wrong | offset | error contains |\n|---|---|---|---|\n",
    );
    for c in cases {
        out.push_str(&format!("| `{}` | {} | {} | {} |\n", c.name, c.what, c.offset, c.error));
    }
    out
}

#[test]
fn the_checked_in_corpus_matches_the_cases() {
    let all = cases();
    let corpus: Vec<&Case> = all.iter().filter(|c| c.corpus).collect();
    let dir = corpus_dir();
    let readme = corpus_readme(&corpus);
    if std::env::var_os("TARN_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tbc") {
                std::fs::remove_file(path).unwrap();
            }
        }
        for c in &corpus {
            std::fs::write(dir.join(c.name), &c.bytes).unwrap();
        }
        std::fs::write(dir.join("README.md"), &readme).unwrap();
        return;
    }
    let bless =
        "run `TARN_BLESS=1 cargo test -p tarn-bytecode --test binary_malformed` and commit the result";
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap_or_default(),
        readme,
        "corpus/README.md is stale; {bless}"
    );
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".tbc"))
        .collect();
    let expected: BTreeSet<String> = corpus.iter().map(|c| c.name.to_owned()).collect();
    assert_eq!(on_disk, expected, "corpus files differ from the cases; {bless}");
    for c in corpus {
        let bytes = std::fs::read(dir.join(c.name)).unwrap();
        assert!(bytes == c.bytes, "corpus/{} differs from its case; {bless}", c.name);
        let e = decode_error(&bytes).unwrap_or_else(|why| panic!("corpus/{}: {why}", c.name));
        assert_eq!(e.offset, c.offset, "corpus/{}: {e}", c.name);
        assert!(e.message.contains(c.error), "corpus/{}: {e}", c.name);
    }
}

#[test]
fn every_prefix_of_every_valid_hand_built_file_is_rejected() {
    let files = [
        file(&minimal()),
        file(&plus(&[(0x05, &[0, 0]), (0x06, &[1, b'x', 9, 9])])),
        file(&with(0x03, one_function(1, &[1, 2], 1, 1, &[0x00]))),
    ];
    for bytes in files {
        decode(&bytes).unwrap();
        for cut in 0..bytes.len() {
            let e = decode_error(&bytes[..cut]).unwrap_or_else(|why| panic!("{cut}-byte prefix: {why}"));
            assert!(e.offset <= cut, "{cut}-byte prefix: {e}");
        }
    }
}
