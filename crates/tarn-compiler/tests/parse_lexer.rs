//! Lexer behaviour seen through the parser: every numeral and string form, checked
//! against the values `lua5.4` computes (tables generated with `lua5.4`: floats as their
//! IEEE bits, strings as bytes), plus line counting and comments.

use tarn_compiler::ast::{ExprKind, StatKind};
use tarn_compiler::parse;

#[derive(Debug, PartialEq)]
enum Num {
    Int(i64),
    Float(u64),
}

const NUMERALS: &[(&str, Num)] = &[
    ("0", Num::Int(0)),
    ("1", Num::Int(1)),
    ("123", Num::Int(123)),
    ("00012", Num::Int(12)),
    ("9223372036854775807", Num::Int(9223372036854775807)),
    ("9223372036854775808", Num::Float(0x43e0000000000000)),
    ("18446744073709551616", Num::Float(0x43f0000000000000)),
    ("123456789012345678901234567890", Num::Float(0x45f8ee90ff6c373e)),
    ("9007199254740993", Num::Int(9007199254740993)),
    ("1e308", Num::Float(0x7fe1ccf385ebc8a0)),
    ("1e309", Num::Float(0x7ff0000000000000)),
    ("1e-400", Num::Float(0x0000000000000000)),
    ("0x0", Num::Int(0)),
    ("0xff", Num::Int(255)),
    ("0XfF", Num::Int(255)),
    ("0x7fffffffffffffff", Num::Int(9223372036854775807)),
    ("0x8000000000000000", Num::Int(i64::MIN)),
    ("0xffffffffffffffff", Num::Int(-1)),
    ("0x10000000000000000", Num::Int(0)),
    ("0xffffffffffffffffff", Num::Int(-1)),
    ("0x00012", Num::Int(18)),
    ("1.5", Num::Float(0x3ff8000000000000)),
    (".5", Num::Float(0x3fe0000000000000)),
    ("5.", Num::Float(0x4014000000000000)),
    ("1e10", Num::Float(0x4202a05f20000000)),
    ("1E10", Num::Float(0x4202a05f20000000)),
    ("1e+10", Num::Float(0x4202a05f20000000)),
    ("1e-10", Num::Float(0x3ddb7cdfd9d7bdbb)),
    ("3.14159265358979", Num::Float(0x400921fb54442d11)),
    ("0.1", Num::Float(0x3fb999999999999a)),
    ("1e-5", Num::Float(0x3ee4f8b588e368f1)),
    ("1.e5", Num::Float(0x40f86a0000000000)),
    (".5e1", Num::Float(0x4014000000000000)),
    ("0e0", Num::Float(0x0000000000000000)),
    ("2.5E-3", Num::Float(0x3f647ae147ae147b)),
    ("0x1p4", Num::Float(0x4030000000000000)),
    ("0x1P-2", Num::Float(0x3fd0000000000000)),
    ("0x.8", Num::Float(0x3fe0000000000000)),
    ("0x1.8", Num::Float(0x3ff8000000000000)),
    ("0xA.8p1", Num::Float(0x4035000000000000)),
    ("0x1p+1", Num::Float(0x4000000000000000)),
    ("0x.1p4", Num::Float(0x3ff0000000000000)),
    ("0x123456789abcdef0123p0", Num::Float(0x44723456789abcdf)),
    ("0x1.fffffffffffffp1023", Num::Float(0x7fefffffffffffff)),
    ("0x1p-1074", Num::Float(0x0000000000000001)),
    ("0x1p1024", Num::Float(0x7ff0000000000000)),
    ("0x0p0", Num::Float(0x0000000000000000)),
    ("0x.0p0", Num::Float(0x0000000000000000)),
    ("0x1.", Num::Float(0x3ff0000000000000)),
    ("0xffffffffffffffffffffp-4", Num::Float(0x44b0000000000000)),
    ("0x1p-1022", Num::Float(0x0010000000000000)),
    ("0x8000000000000001p0", Num::Float(0x43e0000000000000)),
    ("0x20000000000000100p-4", Num::Float(0x43c0000000000000)),
    ("4.9406564584124654e-324", Num::Float(0x0000000000000001)),
    ("1.7976931348623157e308", Num::Float(0x7fefffffffffffff)),
    ("2.2250738585072014e-308", Num::Float(0x0010000000000000)),
];
const STRINGS: &[(&[u8], &[u8])] = &[
    (b"\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\"", b"\x07\x08\x0c\x0a\x0d\x09\x0b\\\"'"),
    (b"\"\\x41\\x7a\\xff\\x00\"", b"Az\xff\x00"),
    (b"\"\\0\\65\\255\\0659\\1234\"", b"\x00A\xffA9{4"),
    (b"\"\\u{0}\\u{7F}\\u{80}\\u{7FF}\\u{800}\\u{FFFF}\\u{10000}\\u{10FFFF}\\u{110000}\\u{3FFFFFF}\\u{4000000}\\u{7FFFFFFF}\\u{00000041}\"", b"\x00\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\xf4\x90\x80\x80\xfb\xbf\xbf\xbf\xbf\xfc\x84\x80\x80\x80\x80\xfd\xbf\xbf\xbf\xbf\xbfA"),
    (b"'a\\z   \x0a\x0a  b'", b"ab"),
    (b"'a\\z'", b"a"),
    (b"'a\\\x0ab'", b"a\x0ab"),
    (b"'a\\\x0d\x0ab'", b"a\x0ab"),
    (b"'a\\\x0a\x0db'", b"a\x0ab"),
    (b"'a\\\x0db'", b"a\x0ab"),
    (b"[[\x0aabc]]", b"abc"),
    (b"[==[\x0d\x0aab]]c]==]", b"ab]]c"),
    (b"[[a\x0d\x0ab\x0a\x0dc\x0dd\x0a\x0ae]]", b"a\x0ab\x0ac\x0ad\x0a\x0ae"),
    (b"[=[]]=]", b"]"),
    (b"\"\"", b""),
    (b"''", b""),
    (b"[[]]", b""),
    (b"[==[]=]]==]", b"]=]"),
    (b"[[\x0a\x0ax]]", b"\x0ax"),
    (b"[[\x0d\x0a]]", b""),
    (b"\"it's\"", b"it's"),
    (b"'say \"hi\"'", b"say \"hi\""),
    (b"'\\x7F\\xFf\\xaB'", b"\x7f\xff\xab"),
    (b"[[a]=]b]]", b"a]=]b"),
    (b"'\x80\xff\x00'", b"\x80\xff\x00"),
];

/// Parses `return <src>` and hands back the returned expression's kind via `f`.
fn with_value<T>(src: &[u8], f: impl FnOnce(&ExprKind, &tarn_compiler::ast::Chunk) -> T) -> T {
    let mut full = b"return ".to_vec();
    full.extend_from_slice(src);
    let chunk = parse(&full, "=lex").unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(src)));
    let StatKind::Return { values } = &chunk.main.body.stats[0].kind else { panic!("not a return") };
    f(&values[0].kind, &chunk)
}

#[test]
fn numerals_match_lua() {
    for (src, want) in NUMERALS {
        let got = with_value(src.as_bytes(), |k, _| match k {
            ExprKind::Int(i) => Num::Int(*i),
            ExprKind::Float(x) => Num::Float(x.to_bits()),
            other => panic!("{src}: not a number: {other:?}"),
        });
        assert_eq!(&got, want, "numeral {src}");
    }
}

#[test]
fn strings_match_lua() {
    for (src, want) in STRINGS {
        let got = with_value(src, |k, chunk| match k {
            ExprKind::Str(id) => chunk.strings.get(*id).to_vec(),
            other => panic!("not a string: {other:?}"),
        });
        assert_eq!(got, want.to_vec(), "string {:?}", String::from_utf8_lossy(src));
    }
}

#[test]
fn line_breaks_of_every_kind_count_once() {
    let src = b"x = 1\r\ny = 2\n\rz = 3\rw = 4\n\nv = 5\n\r\n\ru = 6";
    let chunk = parse(src, "=t").unwrap();
    let lines: Vec<u32> = chunk.main.body.stats.iter().map(|s| s.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 6, 8]);
    let e = parse(b"--[[a\r\n\r\n]] x = \"a\\\r\nb\" [[\n\r\n]] = 1", "=t").unwrap_err();
    assert_eq!(e.to_string(), "t:6: unexpected symbol near '[[\n]]'");
}

#[test]
fn comments() {
    let chunk =
        parse(b"-- line\n--[[ long\n comment ]] x = 1 --[==[ ]] ]==] y = 2 --[= not long\nz = 3 --", "=t")
            .unwrap();
    let lines: Vec<u32> = chunk.main.body.stats.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 3, 4]);
}

#[test]
fn all_operators_and_keywords() {
    let src = "local a <const> = 1 // 2 >> 3 << 4 ~ 5 ~= 6 == 7 <= 8 >= 9 < 10 > 11 .. 12 ^ 13 % 14 & 15 | 16 + #{} - ~0 * 2 / 3\n\
               ::top:: for i = 1, 2 do if i then goto top elseif i then break else end end\n\
               while false do end repeat until true function f(...) return ... end\n\
               local t = {[1] = true; x = false, nil} t.x, t[1] = not nil and 1 or 2, 3\n\
               local g = t:m 'a' do end";
    parse(src.as_bytes(), "=t").unwrap();
}

#[test]
fn names_and_strings_are_interned_once() {
    let chunk = parse(b"local abc = 'abc' abc = abc .. \"abc\" .. [[abc]]", "=t").unwrap();
    let n = (0..chunk.strings.len() as u32)
        .filter(|&i| chunk.strings.get(tarn_compiler::token::StrId(i)) == b"abc")
        .count();
    assert_eq!(n, 1);
}

#[test]
fn near_text_for_every_token_kind() {
    let e = |s: &[u8]| parse(s, "=t").unwrap_err().to_string();
    assert_eq!(e(b"x = 1 0x1p4"), "t:1: unexpected symbol near '0x1p4'");
    assert_eq!(e(b"x = 1 name"), "t:1: syntax error near <eof>");
    assert_eq!(e(b"x = 1 'a\\65'"), "t:1: unexpected symbol near ''aA''");
    assert_eq!(e(b"x = 1 [=[a]=]"), "t:1: unexpected symbol near '[=[a]=]'");
    assert_eq!(e(b"x = 1 \x00"), "t:1: unexpected symbol");
    assert_eq!(e(b"x = 1 and"), "t:1: unexpected symbol near <eof>");
    assert_eq!(e(b"x = 1 >>"), "t:1: unexpected symbol near <eof>");
    assert_eq!(e(b"x = 1 ::"), "t:1: <name> expected near <eof>");
    assert_eq!(e(b"x = 1 ..."), "t:1: unexpected symbol near '...'");
}
