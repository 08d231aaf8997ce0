//! The conveniences of hand-written `.tasm` produce exactly the module they promise, and
//! the disassembler's listing format stays readable (one small golden listing).

use tarn_bytecode::module::*;
use tarn_bytecode::text::{assemble, disassemble};
use tarn_bytecode::*;

fn asm(text: &str) -> Module {
    assemble(text).unwrap_or_else(|e| panic!("{e}\n--- text:\n{text}"))
}

fn round_trips(module: &Module) {
    assert_eq!(assemble(&disassemble(module)).as_ref(), Ok(module));
}

#[test]
fn named_constants_share_the_pool() {
    let m = asm(r#"
        .function a
            .const limit = 1000000
            .const half = 0.5
            .const %0                     ; the same pool entry again, by index
                loadk r0, $limit
                loadk r1, $half
                loadk r2, k2
                getfield r3, r0, "name"   ; an inline string constant
                setfield r3, "name", r1   ; reuses the function's constant
                return r0, 1
        .end
        .function b
            .const greeting = "name"      ; the pool already holds it
            .const 1000000
                loadk r0, $greeting
        .end
    "#);
    assert_eq!(
        m.constants,
        vec![Constant::Int(1_000_000), Constant::Float(0.5), Constant::Str(b"name".to_vec())]
    );
    assert_eq!(m.functions[0].constants, vec![0, 1, 0, 2]);
    assert_eq!(m.functions[1].constants, vec![2, 0]);
    let code = &m.functions[0].code;
    assert_eq!(code[0], Instr::LoadK { dst: Reg(0), constant: Const(0) });
    assert_eq!(code[1], Instr::LoadK { dst: Reg(1), constant: Const(1) });
    assert_eq!(code[2], Instr::LoadK { dst: Reg(2), constant: Const(2) });
    assert_eq!(code[3], Instr::GetField { dst: Reg(3), table: Reg(0), key: Const(3) });
    assert_eq!(code[4], Instr::SetField { table: Reg(3), key: Const(3), src: Reg(1) });
    round_trips(&m);
}

#[test]
fn explicit_pool_entries_are_never_merged() {
    let m = asm(".pool 1\n.pool 1\n.pool nan\n.pool float(0x7ff8000000000000)\n.pool -0.0\n.pool 0.0");
    assert_eq!(m.constants.len(), 6);
    assert_eq!(m.constants[4], Constant::Float(-0.0));
    assert_ne!(m.constants[4], m.constants[5]);
    assert_eq!(m.constants[2], m.constants[3]);
    round_trips(&m);
}

#[test]
fn values_of_every_kind() {
    let m = asm(r#"
        .pool nil
        .pool true
        .pool false
        .pool -9223372036854775808
        .pool 0x7fffffffffffffff
        .pool 1e300
        .pool -inf
        .pool inf
        .pool float(0xfff0000000000001)
        .pool "tab\there \"quoted\" \\ \x00\xff \u{1F600} é"
    "#);
    let expected = vec![
        Constant::Nil,
        Constant::Bool(true),
        Constant::Bool(false),
        Constant::Int(i64::MIN),
        Constant::Int(i64::MAX),
        Constant::Float(1e300),
        Constant::Float(f64::NEG_INFINITY),
        Constant::Float(f64::INFINITY),
        Constant::Float(f64::from_bits(0xfff0_0000_0000_0001)),
        Constant::Str(b"tab\there \"quoted\" \\ \x00\xff \xf0\x9f\x98\x80 \xc3\xa9".to_vec()),
    ];
    assert_eq!(m.constants, expected);
    round_trips(&m);
}

#[test]
fn labels_resolve_forwards_and_backwards() {
    let m = asm("
        .function f params=1
        @top:   jeqi r0, 0, @out    ; forward
                addi r0, r0, -1
                jmp @top            ; backward
        @out:
        @also_out:
                return r0, 1
                jmp @+0             ; raw: the next instruction
                jmp @-1             ; raw: itself
        .end
    ");
    let code = &m.functions[0].code;
    assert_eq!(code[0], Instr::JEqI { lhs: Reg(0), rhs: Imm(0), target: Jump(2) });
    assert_eq!(code[2], Instr::Jmp { target: Jump(-3) });
    assert_eq!(code[4], Instr::Jmp { target: Jump(0) });
    assert_eq!(code[5], Instr::Jmp { target: Jump(-1) });
    round_trips(&m);
}

#[test]
fn names_resolve_by_operand_kind() {
    let m = asm(r#"
        .import print
        .import "odd name"
        .function main registers=3
            .upval env = globals
                gettabup r0, $env, "x"
                getimport r1, $"odd name"
                closure r2, $helper        ; makes helper a child
                closure r2, $helper        ; the same child slot
                closure r2, $other
        .end
        .function helper
        .end
        .function other
        .end
        .entry main
        .export main
        .export "run helper" = helper
        .export "raw" = 7
    "#);
    let main = &m.functions[0];
    assert_eq!(main.children, vec![1, 2]);
    assert_eq!(main.upvalues, vec![UpvalSource::Globals]);
    assert_eq!(main.code[1], Instr::GetImport { dst: Reg(1), import: Import(1) });
    assert_eq!(main.code[3], Instr::Closure { dst: Reg(2), proto: Proto(0) });
    assert_eq!(main.code[4], Instr::Closure { dst: Reg(2), proto: Proto(1) });
    assert_eq!(m.entry, Some(0));
    let exports: Vec<(&str, u32)> = m.exports.iter().map(|e| (e.name.as_str(), e.function)).collect();
    assert_eq!(exports, vec![("main", 0), ("run helper", 1), ("raw", 7)]);
    assert!(m.debug.is_none(), "assembler names never become debug info");
    round_trips(&m);
}

#[test]
fn explicit_children_come_first_and_may_repeat() {
    let m = asm("
        .function main
            .child b
            .child b
            .child 99
                closure r0, $a
                closure r0, $b
                closure r0, p1
        .end
        .function a
        .end
        .function b
        .end
    ");
    assert_eq!(m.functions[0].children, vec![2, 2, 99, 1]);
    let protos: Vec<Instr> = m.functions[0].code.clone();
    assert_eq!(protos[0], Instr::Closure { dst: Reg(0), proto: Proto(3) });
    assert_eq!(protos[1], Instr::Closure { dst: Reg(0), proto: Proto(0) });
    assert_eq!(protos[2], Instr::Closure { dst: Reg(0), proto: Proto(1) });
    round_trips(&m);
}

#[test]
fn register_count_is_inferred_when_omitted() {
    let m = asm("
        .function a params=2
            move r5, r1
        .end
        .function b params=4
            move r0, r1
        .end
        .function c
        .end
        .function d registers=9
            move r0, r1
        .end
        .function e
            move r255, r0
        .end
    ");
    let counts: Vec<u8> = m.functions.iter().map(|f| f.num_registers).collect();
    assert_eq!(counts, vec![6, 4, 0, 9, 255]);
}

#[test]
fn debug_directives() {
    let m = asm(r#"
        .source "demo.lua"
        .function main params=1 vararg
            .name "main chunk"
            .defined 0 12
            .upval globals name=_ENV
            .upval r3
                   loadnil r1, 1          ; before the first mark: line 0
            [4]    move r2, r0
                   move r2, r0            ; marks hold until the next one
            [7]    return r2, 1
            .local n r0 0 @end
            .local "i" r1 @body 2
        @body:
        @end:
        .end
        .function helper
            .nodebug
        .end
        .function helper2
            .nodebug
        .end
    "#);
    let debug = m.debug.as_ref().expect("debug info");
    assert_eq!(debug.source, "demo.lua");
    assert_eq!(debug.functions.len(), 1, ".nodebug functions have no entry");
    let d = &debug.functions[0];
    assert_eq!(d.name.as_deref(), Some("main chunk"));
    assert_eq!((d.line_defined, d.last_line), (0, 12));
    assert_eq!(d.lines, vec![0, 4, 4, 7]);
    assert_eq!(d.upvalue_names, vec!["_ENV".to_string(), String::new()]);
    assert_eq!(
        d.locals,
        vec![
            LocalInfo { name: "n".into(), register: 0, start_pc: 0, end_pc: 4 },
            LocalInfo { name: "i".into(), register: 1, start_pc: 4, end_pc: 2 },
        ]
    );
    assert!(m.functions[0].is_vararg);
    round_trips(&m);
}

#[test]
fn any_debug_directive_makes_debug_info_present() {
    let m = asm(".function f\n[3] nop\n.end\n.function g\n.end");
    let debug = m.debug.expect("debug info");
    assert_eq!(debug.source, "");
    assert_eq!(
        debug.functions,
        vec![FunctionDebug { lines: vec![3], ..FunctionDebug::default() }, FunctionDebug::default(),]
    );
    let m = asm(".debugentry\n.lines 1 2\n.upvalnames a \"b c\"\n.end");
    let debug = m.debug.expect("debug info");
    assert_eq!(debug.functions[0].lines, vec![1, 2]);
    assert_eq!(debug.functions[0].upvalue_names, vec!["a".to_string(), "b c".to_string()]);
}

#[test]
fn listing_prefixes_crlf_and_comments_are_accepted() {
    let m = asm(".function f registers=2\r\n  @L0:\r\n   0  [5]  loadint r0, -7   ; pc and line prefix\r\n   9  move r1, r0 ; a stale pc is only informational\r\n.end\r\n");
    assert_eq!(
        m.functions[0].code,
        vec![Instr::LoadInt { dst: Reg(0), value: Imm(-7) }, Instr::Move { dst: Reg(1), src: Reg(0) },]
    );
    assert_eq!(m.debug.unwrap().functions[0].lines, vec![5, 5]);
}

#[test]
fn numbers_in_operands() {
    let m = asm(
        ".function f\nloadint r0, -0x10\nsetlist r0, *, 4294967295\nloadnil r0, 0xff\ncall r0, *, 254\n.end",
    );
    assert_eq!(
        m.functions[0].code,
        vec![
            Instr::LoadInt { dst: Reg(0), value: Imm(-16) },
            Instr::SetList { table: Reg(0), count: VarCount::MULTI, start: Int(u32::MAX) },
            Instr::LoadNil { dst: Reg(0), count: Count(255) },
            Instr::Call { func: Reg(0), args: VarCount::MULTI, results: VarCount(254) },
        ]
    );
}

#[test]
fn functions_may_have_any_unicode_name() {
    let m = asm(".function \"obj:método\"\n.end\n.function main\nclosure r0, $\"obj:método\"\n.end\n.entry \"obj:método\"");
    assert_eq!(m.functions[1].children, vec![0]);
    assert_eq!(m.entry, Some(0));
}

#[test]
fn empty_text_is_an_empty_module() {
    assert_eq!(asm(""), Module::default());
    assert_eq!(asm("; only a comment\n\n   \t\n"), Module::default());
}

/// The listing format, pinned by one small example. Rewrite with care: tools and people
/// read this.
#[test]
fn listing_format() {
    let m = asm(r#"
        .source "demo.lua"
        .import print
        .entry main
        .function main registers=3
            .name "main"
            .upval globals name=_ENV
            .const greeting = "hello"
            [1] getimport r0, $print
            [1] loadk r1, $greeting
            [2] jeqi r1, 0, @skip
            [2] call r0, 1, 0
            @skip:
            [3] return r0, 0
        .end
    "#);
    let expected = r#"; Tarn assembly (.tasm), written by the disassembler.
; Code lines: pc, [source line], mnemonic, operands; comments give constant values and jump targets.

.source "demo.lua"

; constant pool
.pool "hello"                               ; %0

.import print                               ; i0
.entry main

.function main params=0 registers=3         ; function 0
    .name "main"
    .upval globals name=_ENV                ; u0
    .const %0                               ; k0 = "hello"
     0  [1]  getimport r0, $print
     1  [1]  loadk     r1, k0               ; "hello"
     2  [2]  jeqi      r1, 0, @L4           ; to 4
     3  [2]  call      r0, 1, 0
  @L4:
     4  [3]  return    r0, 0
.end
"#;
    let listing = disassemble(&m);
    assert_eq!(listing, expected, "listing:\n{listing}");
}
