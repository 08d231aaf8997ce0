//! Round trips of hand-built modules through the `.tbc` codec, the byte-exact worked
//! example of `docs/format.md`, and `reseal`.
//!
//! Random modules are covered by the property tests in `src/binary/tests.rs`; these
//! modules are built to reach every corner by construction (every constant kind and
//! awkward float, every upvalue source, every opcode with extreme operands, every debug
//! field, empty and non-ASCII names), and the example pins the layout byte for byte so
//! that the specification and the encoder cannot drift apart.

use std::path::PathBuf;

use tarn_bytecode::binary::{decode, encode, reseal, SectionId, HEADER_LEN, MAGIC, VERSION};
use tarn_bytecode::module::*;
use tarn_bytecode::operand::*;
use tarn_bytecode::{ErrorKind, Instr, Opcode};

/// Answers every operand with its kind's smallest (`low`) or largest raw value.
struct Extremes {
    low: bool,
}

impl OperandSource for Extremes {
    type Error = ();
    fn operand(&mut self, kind: OperandKind, _: &'static str) -> Result<OperandValue, ()> {
        let low = self.low;
        Ok(match kind {
            OperandKind::Reg => OperandValue::Reg(Reg(if low { 0 } else { u8::MAX })),
            OperandKind::Const => OperandValue::Const(Const(if low { 0 } else { u16::MAX })),
            OperandKind::Upval => OperandValue::Upval(Upval(if low { 0 } else { u8::MAX })),
            OperandKind::Proto => OperandValue::Proto(Proto(if low { 0 } else { u16::MAX })),
            OperandKind::Import => OperandValue::Import(Import(if low { 0 } else { u16::MAX })),
            OperandKind::Jump => OperandValue::Jump(Jump(if low { i32::MIN } else { i32::MAX })),
            OperandKind::Imm => OperandValue::Imm(Imm(if low { i16::MIN } else { i16::MAX })),
            OperandKind::Int => OperandValue::Int(Int(if low { 0 } else { u32::MAX })),
            OperandKind::Count => OperandValue::Count(Count(if low { 0 } else { u8::MAX })),
            OperandKind::VarCount => OperandValue::VarCount(if low { VarCount(0) } else { VarCount::MULTI }),
        })
    }
    fn wrong_kind(&mut self, _: OperandKind, _: &'static str) {}
}

fn every_opcode_at_both_extremes() -> Vec<Instr> {
    let mut code = Vec::new();
    for &opcode in Opcode::ALL {
        for low in [true, false] {
            code.push(Instr::build(opcode, &mut Extremes { low }).unwrap());
        }
    }
    code
}

/// A module that sets every field to something unusual.
fn rich_module() -> Module {
    let code = every_opcode_at_both_extremes();
    let lines = (0..code.len() as u32).map(|i| i * 3 + u32::from(i % 2 == 0) * 1_000_000).collect();
    Module {
        flags: 0,
        constants: vec![
            Constant::Nil,
            Constant::Bool(false),
            Constant::Bool(true),
            Constant::Int(i64::MIN),
            Constant::Int(i64::MAX),
            Constant::Int(-1),
            Constant::Float(-0.0),
            Constant::Float(f64::from_bits(0x7ff8_0000_dead_beef)), // a NaN with a payload
            Constant::Float(f64::NEG_INFINITY),
            Constant::Float(f64::MIN_POSITIVE / 2.0), // subnormal
            Constant::Str(Vec::new()),
            Constant::Str(vec![0xff, 0x00, 0xc3, 0x28]), // not UTF-8: strings are bytes
            Constant::Str(b"x".repeat(300)),             // length needs two LEB128 bytes
        ],
        functions: vec![
            Function {
                num_params: 3,
                is_vararg: true,
                num_registers: 255,
                upvalues: vec![UpvalSource::Globals],
                constants: (0..13).chain([u32::MAX]).collect(),
                children: vec![1, 2, u32::MAX],
                code,
            },
            Function {
                num_params: 255,
                is_vararg: false,
                num_registers: 0,
                upvalues: vec![
                    UpvalSource::ParentRegister(0),
                    UpvalSource::ParentRegister(254),
                    UpvalSource::ParentUpval(255),
                ],
                ..Function::default()
            },
            Function::default(),
        ],
        imports: vec![
            ImportDecl { name: "print".into() },
            ImportDecl { name: String::new() },
            ImportDecl { name: "ünïcödé ✓".into() },
        ],
        exports: vec![
            Export { name: "main".into(), function: 0 },
            Export { name: "out of range".into(), function: u32::MAX },
        ],
        entry: Some(u32::MAX),
        debug: Some(DebugInfo {
            source: "@rich.lua".into(),
            functions: vec![
                FunctionDebug {
                    name: None,
                    line_defined: 0,
                    last_line: u32::MAX,
                    lines,
                    locals: vec![
                        LocalInfo { name: "i".into(), register: 3, start_pc: 2, end_pc: 9 },
                        LocalInfo { name: "λ".into(), register: 255, start_pc: u32::MAX, end_pc: 0 },
                    ],
                    upvalue_names: vec!["_ENV".into()],
                },
                FunctionDebug {
                    name: Some("f".into()),
                    line_defined: 12,
                    last_line: 20,
                    ..Default::default()
                },
                FunctionDebug { name: Some(String::new()), ..Default::default() },
                // One more entry than there are functions: representable, so preserved;
                // the verifier is the one to object.
                FunctionDebug::default(),
            ],
        }),
        custom: vec![
            CustomSection { name: "tool.a".into(), data: vec![1, 2, 3] },
            CustomSection { name: String::new(), data: Vec::new() },
            CustomSection { name: "tool.a".into(), data: vec![0xff; 200] },
        ],
    }
}

/// The module of the worked example in `docs/format.md`: `print("hi")`.
fn example_module() -> Module {
    Module {
        flags: 0,
        constants: vec![Constant::Str(b"print".to_vec()), Constant::Str(b"hi".to_vec())],
        functions: vec![Function {
            num_params: 0,
            is_vararg: true,
            num_registers: 2,
            upvalues: vec![UpvalSource::Globals],
            constants: vec![0, 1],
            children: vec![],
            code: vec![
                Instr::GetTabUp { dst: Reg(0), upval: Upval(0), key: Const(0) },
                Instr::LoadK { dst: Reg(1), constant: Const(1) },
                Instr::Call { func: Reg(0), args: VarCount(1), results: VarCount(0) },
                Instr::Return { first: Reg(0), count: VarCount(0) },
            ],
        }],
        imports: vec![],
        exports: vec![Export { name: "main".into(), function: 0 }],
        entry: Some(0),
        debug: Some(DebugInfo {
            source: "hi.lua".into(),
            functions: vec![FunctionDebug {
                name: None,
                line_defined: 0,
                last_line: 1,
                lines: vec![1, 1, 1, 1],
                locals: vec![],
                upvalue_names: vec!["_ENV".into()],
            }],
        }),
        custom: vec![CustomSection { name: "tool".into(), data: vec![0x2a] }],
    }
}

fn round_trip(module: &Module) -> Vec<u8> {
    let bytes = encode(module);
    let back = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&back, module);
    assert_eq!(encode(&back), bytes, "re-encoding must give the same bytes");
    bytes
}

#[test]
fn a_module_with_every_field_set_round_trips() {
    let module = rich_module();
    let bytes = round_trip(&module);
    // Floats are compared by bits by `Constant`'s `PartialEq`; check the NaN payload
    // survived explicitly all the same.
    let back = decode(&bytes).unwrap();
    match back.constants[7] {
        Constant::Float(f) => assert_eq!(f.to_bits(), 0x7ff8_0000_dead_beef),
        ref other => panic!("expected a float, got {other:?}"),
    }
}

#[test]
fn the_empty_module_is_35_bytes() {
    let bytes = round_trip(&Module::default());
    let mut expected = MAGIC.to_vec();
    expected.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]); // version 1, no flags
    expected.extend_from_slice(&[0x01, 0x01, 0x00]); // constants: count 0
    expected.extend_from_slice(&[0x02, 0x01, 0x00]); // imports: count 0
    expected.extend_from_slice(&[0x03, 0x01, 0x00]); // functions: count 0
    expected.extend_from_slice(&[0x04, 0x02, 0x00, 0x00]); // exports: count 0, no entry
    let crc = crc32c::crc32c(&expected);
    expected.extend_from_slice(&[0xff, 0x04]);
    expected.extend_from_slice(&crc.to_le_bytes());
    assert_eq!(bytes, expected);
    assert_eq!(bytes.len(), 35);
}

#[test]
fn debug_info_absent_and_present_but_empty_are_different_files() {
    let stripped = Module::default();
    let empty_debug = Module { debug: Some(DebugInfo::default()), ..Module::default() };
    let a = round_trip(&stripped);
    let b = round_trip(&empty_debug);
    assert_ne!(a, b);
    assert_eq!(decode(&a).unwrap().debug, None);
    assert_eq!(decode(&b).unwrap().debug, Some(DebugInfo::default()));
}

#[test]
fn stripping_removes_only_the_debug_section() {
    let mut module = rich_module();
    let full = encode(&module);
    module.strip();
    let stripped = round_trip(&module);
    assert!(stripped.len() < full.len());
    assert!(decode(&stripped).unwrap().debug.is_none());
}

#[test]
fn each_instruction_takes_its_documented_length() {
    let file_len = |code: Vec<Instr>| {
        encode(&Module { functions: vec![Function { code, ..Function::default() }], ..Module::default() })
            .len()
    };
    let without = file_len(Vec::new());
    for instr in every_opcode_at_both_extremes() {
        // One short instruction changes no LEB128 length (all stay below 128), so the
        // file grows by exactly the instruction's bytes.
        assert_eq!(file_len(vec![instr]) - without, instr.opcode().encoded_len(), "{instr:?}");
    }
}

#[test]
fn modules_beyond_the_limits_encode_but_do_not_decode() {
    let module = Module {
        functions: vec![Function { upvalues: vec![UpvalSource::Globals; 256], ..Function::default() }],
        ..Module::default()
    };
    let err = decode(&encode(&module)).unwrap_err().to_string();
    assert!(err.contains("function 0: upvalue count 256 exceeds the limit of 255"), "{err}");

    let module = Module { flags: 4, ..Module::default() };
    let err = decode(&encode(&module)).unwrap_err().to_string();
    assert!(err.contains("at byte 12: non-zero flags 0x00000004"), "{err}");
}

/// The bytes of the worked example, read from the fenced block between the
/// `<!-- example:begin -->` and `<!-- example:end -->` markers in `docs/format.md`: hex
/// pairs, with everything after `;` on a line a comment.
fn example_bytes_from_format_md() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/format.md");
    let doc = std::fs::read_to_string(&path).expect("docs/format.md");
    let start = doc.find("<!-- example:begin -->").expect("example:begin marker");
    let end = doc.find("<!-- example:end -->").expect("example:end marker");
    let mut bytes = Vec::new();
    for line in doc[start..end].lines().filter(|l| !l.starts_with("```") && !l.starts_with("<!--")) {
        let data = line.split(';').next().unwrap_or("");
        for token in data.split_whitespace() {
            let byte = u8::from_str_radix(token, 16).unwrap_or_else(|_| {
                panic!("docs/format.md example: {token:?} is not a hex byte in {line:?}")
            });
            bytes.push(byte);
        }
    }
    bytes
}

#[test]
fn the_worked_example_in_format_md_is_what_the_encoder_writes() {
    let module = example_module();
    let bytes = round_trip(&module);
    let documented = example_bytes_from_format_md();
    assert!(
        documented == bytes,
        "docs/format.md's worked example is out of date. The encoder writes:\n{}",
        bytes
            .chunks(16)
            .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(decode(&documented).unwrap(), module);
}

#[test]
fn header_constants_match_the_specification() {
    assert_eq!(&MAGIC, b"\x89TBC\r\n\x1a\n");
    assert_eq!(VERSION, 1);
    assert_eq!(HEADER_LEN, 16);
    // The CRC-32C check value the specification quotes.
    assert_eq!(crc32c::crc32c(b"123456789"), 0xe306_9283);
    let ids: Vec<u8> = SectionId::ORDER.iter().map(|id| id.byte()).collect();
    assert_eq!(ids, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0xfe, 0xff]);
    for id in SectionId::ORDER {
        assert_eq!(SectionId::from_byte(id.byte()), Some(id));
    }
    for byte in (0x00..=0xff).filter(|b| !ids.contains(b)) {
        assert_eq!(SectionId::from_byte(byte), None);
    }
}

#[test]
fn reseal_repairs_a_patched_file_and_ignores_short_input() {
    let mut bytes = encode(&example_module());
    // Patch the string constant "hi" to "ho" (a tool editing a file in place).
    let at = bytes.windows(2).position(|w| w == b"hi").unwrap();
    bytes[at + 1] = b'o';
    let err = decode(&bytes).unwrap_err().to_string();
    assert!(err.contains("checksum mismatch"), "{err}");
    reseal(&mut bytes);
    let module = decode(&bytes).unwrap();
    assert_eq!(module.constants[1], Constant::Str(b"ho".to_vec()));

    for len in 0..HEADER_LEN + 6 {
        let mut short = vec![0xa5; len];
        reseal(&mut short);
        assert_eq!(short, vec![0xa5; len], "reseal changed a {len}-byte input");
    }
}

#[test]
fn errors_name_the_offset_and_the_problem() {
    let mut bytes = encode(&example_module());
    bytes[8] = 9;
    let err = decode(&bytes).unwrap_err();
    match err.kind() {
        ErrorKind::Decode(d) => {
            assert_eq!(d.offset, 8);
            assert_eq!(d.message, "unsupported format version 9 (this reader supports version 1 only)");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "invalid module: at byte 8: unsupported format version 9 (this reader supports version 1 only)"
    );
}

#[test]
fn every_prefix_of_hand_built_modules_is_rejected() {
    for module in [Module::default(), example_module(), rich_module()] {
        let bytes = encode(&module);
        for cut in 0..bytes.len() {
            let err = decode(&bytes[..cut]).expect_err("a strict prefix decoded");
            let ErrorKind::Decode(d) = err.kind() else { panic!("{err:?}") };
            assert!(d.offset <= cut, "offset {} beyond a {cut}-byte input: {err}", d.offset);
        }
    }
}
