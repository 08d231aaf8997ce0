//! Every kind of `.tasm` error says where it is and what was expected.

use tarn_bytecode::text::assemble;

/// Assembles `text`, which must fail, and returns the message.
fn error(text: &str) -> String {
    match assemble(text) {
        Ok(module) => panic!("assembled, but should not have:\n{text}\n{module:#?}"),
        Err(e) => e.to_string(),
    }
}

/// Wraps a function body in a function block (the body starts on line 2).
fn in_function(body: &str) -> String {
    format!(".function f params=1 registers=8\n{body}\n.end\n")
}

#[track_caller]
fn assert_error(text: &str, expected: &str) {
    let message = error(text);
    assert_eq!(message, expected, "for text:\n{text}");
}

#[track_caller]
fn assert_error_contains(text: &str, expected: &str) {
    let message = error(text);
    assert!(message.contains(expected), "expected {expected:?} in {message:?}, for text:\n{text}");
}

#[test]
fn unknown_mnemonic_suggests_the_closest() {
    assert_error(
        &in_function("    ad r0, r1, r2"),
        "line 2, column 5: unknown mnemonic 'ad' (did you mean 'add'?)",
    );
    assert_error(
        &in_function("retrun r0, 1"),
        "line 2, column 1: unknown mnemonic 'retrun' (did you mean 'return'?)",
    );
    assert_error(&in_function("frobnicate r0"), "line 2, column 1: unknown mnemonic 'frobnicate'");
}

#[test]
fn wrong_operand_kind() {
    assert_error(
        &in_function("move r0, k3"),
        "line 2, column 10: 'move' operand 'src': expected register, found 'k3'",
    );
    assert_error_contains(
        &in_function("loadk r0, r1"),
        "'loadk' operand 'constant': expected constant, found 'r1'",
    );
    assert_error_contains(&in_function("jmp 3"), "'jmp' operand 'target': expected jump, found '3'");
    assert_error_contains(&in_function("loadint r0, r1"), "expected immediate, found 'r1'");
    assert_error_contains(&in_function("getupval r0, k1"), "expected upvalue, found 'k1'");
    assert_error_contains(&in_function("closure r0, r1"), "expected child function, found 'r1'");
    assert_error_contains(&in_function("getimport r0, p0"), "expected import, found 'p0'");
    assert_error_contains(&in_function("loadint r0, 1.5"), "immediate must be an integer, found '1.5'");
}

#[test]
fn missing_operand() {
    assert_error(
        &in_function("move r0"),
        "line 2, column 8: 'move': missing operand 'src' (expected register)",
    );
    assert_error_contains(&in_function("move r0,"), "'move': missing operand 'src' (expected register)");
    assert_error_contains(&in_function("move , r1"), "'move': missing operand 'dst' (expected register)");
    assert_error_contains(&in_function("call r0, 1"), "missing operand 'results' (expected count or *)");
}

#[test]
fn extra_operand() {
    assert_error(
        &in_function("move r0, r1, r2"),
        "line 2, column 12: 'move': too many operands, found ',' (expected 2: dst, src)",
    );
    assert_error_contains(&in_function("nop r0"), "'nop' takes no operands, found 'r0'");
    assert_error_contains(
        &in_function("move r0 r1"),
        "'move': expected ',' before operand 'src', found 'r1'",
    );
}

#[test]
fn labels() {
    assert_error(&in_function("jmp @nowhere"), "line 2, column 5: undefined label '@nowhere'");
    assert_error_contains(&in_function("@loop:\njmp @lop"), "undefined label '@lop' (did you mean '@loop'?)");
    assert_error(
        &in_function("@a:\nnop\n@a: nop"),
        "line 4, column 1: duplicate label '@a' (first defined on line 2)",
    );
    assert_error_contains("@a: nop", "a label must be inside a .function");
    assert_error_contains(&in_function(".local x r0 @start 1"), "undefined label '@start'");
    assert_error_contains(&in_function("jmp @+2147483648"), "branch offset '@+2147483648' out of range");
    assert_error_contains(&in_function("jmp @"), "expected a label name (@loop) or a raw branch offset");
}

#[test]
fn named_constants() {
    assert_error(&in_function("loadk r0, $x"), "line 2, column 11: undefined constant '$x'");
    assert_error_contains(
        &in_function(".const limit = 10\nloadk r0, $limt"),
        "undefined constant '$limt' (did you mean '$limit'?)",
    );
    assert_error_contains(&in_function(".const a = 1\n.const a = 2"), "duplicate constant name '$a'");
    assert_error_contains(&in_function("getupval r0, $up"), "undefined upvalue '$up'");
    assert_error_contains(&in_function(".upval x = r0\n.upval x = r1"), "duplicate upvalue name '$x'");
}

#[test]
fn values_out_of_range() {
    assert_error(&in_function("move r256, r0"), "line 2, column 6: register 'r256' out of range (r0…r255)");
    assert_error_contains(&in_function("loadint r0, 40000"), "immediate 40000 out of range (-32768…32767)");
    assert_error_contains(&in_function("loadint r0, -32769"), "immediate -32769 out of range");
    assert_error_contains(&in_function("loadk r0, k65536"), "constant 'k65536' out of range (k0…k65535)");
    assert_error_contains(
        &in_function("getupval r0, u999999999999999999999"),
        "upvalue 'u999999999999999999999' out of range",
    );
    assert_error_contains(&in_function("loadnil r0, 256"), "count 256 out of range (0…255)");
    assert_error_contains(&in_function("return r0, 255"), "count 255 out of range (0…254, or * for all)");
    assert_error_contains(
        &in_function("setlist r0, 1, 4294967296"),
        "integer 4294967296 out of range (0…4294967295)",
    );
    assert_error_contains(
        &in_function("loadint r0, 99999999999999999999999999999999999999999"),
        "out of range",
    );
    assert_error_contains(
        ".pool 9223372036854775808",
        "integer 9223372036854775808 out of range for a 64-bit integer",
    );
    assert_error_contains(".pool float(0x10000000000000000)", "out of range");
    assert_error_contains(
        ".function f registers=256\n.end",
        "the number of registers 256 out of range (0…255)",
    );
    assert_error_contains(".flags -1", "out of range");
}

#[test]
fn strings() {
    assert_error(
        ".pool \"abc",
        "line 1, column 7: unterminated string (strings end on the same line; write \\n for a line break)",
    );
    assert_error_contains(".pool \"a\\qb\"", "unknown escape '\\q' in string");
    assert_error_contains(".pool \"\\x4\"", "a byte escape is written \\xHH");
    assert_error_contains(".pool \"\\u{110000}\"", "is not a Unicode scalar value");
    assert_error_contains(".pool \"\\u{d800}\"", "is not a Unicode scalar value");
    assert_error_contains(".import \"\\xff\"", "a name must be valid UTF-8");
}

#[test]
fn functions() {
    assert_error(&in_function("closure r0, $nope"), "line 2, column 13: unknown function '$nope'");
    assert_error_contains(
        ".function main\nclosure r0, $heper\n.end\n.function helper\n.end",
        "unknown function '$heper' (did you mean '$helper'?)",
    );
    assert_error_contains(&in_function(".child nope"), "unknown function 'nope'");
    assert_error_contains(".entry nope", "unknown function 'nope'");
    assert_error_contains(".export run = nope", "unknown function 'nope'");
    assert_error_contains(
        ".function f\n.end\n.function f\n.end",
        "duplicate function name 'f' (first defined on line 1)",
    );
    assert_error_contains(".function f\nnop", "line 1: function 'f' is missing its .end");
    assert_error_contains(
        ".function f\n.function g\n.end",
        "'.function' is not allowed inside a function: close function 'f'",
    );
    assert_error_contains(".end", "'.end' without an open .function or .debugentry");
    assert_error_contains(
        "nop",
        "line 1, column 1: 'nop' outside a function (start one with .function NAME)",
    );
    assert_error_contains(
        ".function f paramz=1\n.end",
        "unknown function attribute 'paramz' (did you mean 'params'?)",
    );
    assert_error_contains(".function f vararg vararg\n.end", "duplicate attribute 'vararg'");
    assert_error_contains(".function f params\n.end", "expected '=' after params");
}

#[test]
fn imports() {
    assert_error_contains(
        &in_function("getimport r0, $print"),
        "undefined import '$print' (declare it with .import)",
    );
    assert_error_contains(
        &format!(".import print\n{}", in_function("getimport r0, $prnt")),
        "(did you mean '$print'?)",
    );
}

#[test]
fn directives() {
    assert_error(
        ".fucntion f",
        "line 1, column 1: unknown directive '.fucntion' (did you mean '.function'?)",
    );
    assert_error_contains(".const x = 1", "'.const' belongs inside a .function");
    assert_error_contains(".name \"x\"", "'.name' belongs inside a .function or .debugentry");
    assert_error_contains(&in_function(".pool 1"), "'.pool' is not allowed inside a function");
    assert_error_contains(".entry 0\n.entry 1", "duplicate .entry");
    assert_error_contains(".source \"a\"\n.source \"b\"", "duplicate .source");
    assert_error_contains(".flags 1 2", "unexpected '2' after the flags");
    assert_error_contains(".pool", "expected a value (nil, true, false, a number, a string, inf, -inf, nan or float(0x…)), found end of line");
    assert_error_contains(".pool float 3", "expected '(' after float");
    assert_error_contains(".pool -nan", "expected a value");
    assert_error_contains(&in_function(".upval r0 nmae=\"x\""), "expected name=\"…\"");
    assert_error_contains(&in_function(".upval q3"), "expected an upvalue source");
    assert_error_contains(&in_function(".const %x"), "a pool index is written %N");
    assert_error_contains(&in_function(".const %99999999999"), "pool index '%99999999999' out of range");
}

#[test]
fn debug_info_consistency() {
    assert_error_contains(
        ".function f\n.lines 1 2\n[3] nop\n.end",
        "line 2: '.lines' and per-instruction [line] marks cannot both be used in one function",
    );
    assert_error_contains(
        ".function f\n.upval r0 name=a\n.upvalnames a\n.end",
        "'.upvalnames' and name= on .upval cannot both be used",
    );
    assert_error_contains(
        ".function f\n.nodebug\n.end\n.function g\n.end",
        "line 4: function 'g' needs .nodebug too",
    );
    assert_error_contains(
        ".function f\n.nodebug\n.name \"f\"\n.end",
        "function 'f' has .nodebug and debug directives too",
    );
    assert_error_contains(
        ".function f\n.nodebug\n.end\n.debugentry\n.end",
        "cannot be combined with .debugentry",
    );
    assert_error_contains(".debugentry\nnop\n.end", "'nop' outside a function");
    assert_error_contains(".debugentry\n.pool 1\n.end", "'.pool' is not allowed inside .debugentry");
    assert_error_contains(".debugentry\n", "line 1: .debugentry is missing its .end");
    assert_error_contains(&in_function(".name \"a\"\n.name \"b\""), "duplicate .name");
}

#[test]
fn lexical_errors() {
    assert_error(&in_function("add r1, r2, 12ab"), "line 2, column 13: malformed number '12ab'");
    assert_error_contains(&in_function("add r1, r2, 1.2.3"), "malformed number '1.2.3'");
    assert_error_contains(&in_function("add r1, r2, #3"), "unexpected character '#'");
    assert_error_contains(&in_function("loadk r0, $"), "expected a name after '$'");
    assert_error_contains(&in_function(". nop"), "expected a directive name after '.'");
    assert_error_contains(&in_function("[3] 5"), "expected a mnemonic or a directive, found '5'");
    assert_error_contains(&in_function("[3 nop"), "expected ']'");
    assert_error_contains(&in_function("-5 nop"), "an instruction's pc -5 out of range");
}

#[test]
fn errors_convert_to_the_crate_error() {
    let err = assemble(".bogus").unwrap_err();
    match err.kind() {
        tarn_bytecode::ErrorKind::Asm(asm) => {
            assert_eq!(asm.line, 1);
            assert_eq!(asm.column, Some(1));
            assert!(asm.message.starts_with("unknown directive"));
        }
        other => panic!("{other:?}"),
    }
}
