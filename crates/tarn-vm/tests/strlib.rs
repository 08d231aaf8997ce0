//! The `string` library through a [`Vm`]: each bound function called with `vm.call`.
//!
//! Every expected value in the table was produced by running the same call in `lua5.4`
//! (results joined by tabs, errors as `error: message`), so the table is checked against
//! real Lua. Called from the host, as here, a function is named `'string.find'` in
//! argument errors, as Lua names it (from Lua code it would be `'find'`).

use tarn_vm::number::format_float;
use tarn_vm::stdlib::string;
use tarn_vm::{ErrorKind, Limits, RuntimeError, Value, Vm};

/// An argument in the case table.
#[derive(Clone, Copy)]
enum A {
    S(&'static [u8]),
    I(i64),
    F(f64),
    B(bool),
    N,
}
use A::*;

fn vm_with(limits: Limits) -> Vm {
    let mut vm = Vm::new(limits).expect("vm");
    string::open(&mut vm).expect("open string library");
    vm
}

fn vm() -> Vm {
    vm_with(Limits::default())
}

fn function(vm: &mut Vm, name: &str) -> Value {
    let Value::Table(t) = vm.get_global("string").expect("global") else { panic!("no string table") };
    vm.get_field(t, name).expect("field")
}

fn value(vm: &mut Vm, a: A) -> Value {
    match a {
        S(s) => vm.new_string(s).expect("string"),
        I(n) => Value::Int(n),
        F(f) => Value::Float(f),
        B(b) => Value::Bool(b),
        N => Value::Nil,
    }
}

/// `tostring` as Lua's `print` shows values, as bytes.
fn render(vm: &Vm, v: Value) -> Vec<u8> {
    match v {
        Value::Str(_) => vm.string_bytes(v).expect("string").to_vec(),
        Value::Float(f) => format_float(f).into_bytes(),
        other => vm.to_display(other).into_bytes(),
    }
}

fn render_result(vm: &Vm, result: Result<Vec<Value>, RuntimeError>) -> Vec<u8> {
    match result {
        Ok(values) => {
            let parts: Vec<Vec<u8>> = values.iter().map(|&v| render(vm, v)).collect();
            parts.join(&b'\t')
        }
        Err(e) => format!("error: {}", e.message()).into_bytes(),
    }
}

fn call(vm: &mut Vm, name: &str, args: &[A]) -> Vec<u8> {
    let f = function(vm, name);
    let args: Vec<Value> = args.iter().map(|&a| value(vm, a)).collect();
    let result = vm.call(f, &args);
    // A host function that runs out of fuel leaves the VM "suspended" although there
    // are no Lua frames to resume; drop that state so the next call can run.
    if vm.is_suspended() {
        vm.abandon();
    }
    render_result(vm, result)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[rustfmt::skip]
const CASES: &[(&str, &[A], &[u8])] = &[
        ("len", &[S(b"hello")], b"5"),
        ("len", &[S(b"")], b"0"),
        ("len", &[F(12.5)], b"4"),
        ("len", &[N], b"error: bad argument #1 to 'string.len' (string expected, got nil)"),
        ("sub", &[S(b"hello"), I(2), I(4)], b"ell"),
        ("sub", &[S(b"hello"), I(-3)], b"llo"),
        ("sub", &[S(b"hello"), I(0)], b"hello"),
        ("sub", &[S(b"hello"), I(10)], b""),
        ("sub", &[S(b"hello"), I(-100), I(2)], b"he"),
        ("sub", &[S(b"hello"), I(3), I(-10)], b""),
        ("sub", &[S(b"hello"), F(2.0), S(b"3")], b"el"),
        ("sub", &[S(b"hello"), F(1.5)], b"error: bad argument #2 to 'string.sub' (number has no integer representation)"),
        ("sub", &[S(b"hello")], b"error: bad argument #2 to 'string.sub' (number expected, got no value)"),
        ("sub", &[S(b"hello"), I(i64::MIN), I(9223372036854775807)], b"hello"),
        ("byte", &[S(b"ABC")], b"65"),
        ("byte", &[S(b"ABC"), I(1), I(-1)], b"65\x0966\x0967"),
        ("byte", &[S(b"ABC"), I(-1)], b"67"),
        ("byte", &[S(b"ABC"), I(10)], b""),
        ("byte", &[S(b"ABC"), I(0), I(10)], b"65\x0966\x0967"),
        ("byte", &[S(b"")], b""),
        ("char", &[I(72), I(105)], b"Hi"),
        ("char", &[], b""),
        ("char", &[I(256)], b"error: bad argument #1 to 'string.char' (value out of range)"),
        ("char", &[I(-1)], b"error: bad argument #1 to 'string.char' (value out of range)"),
        ("char", &[S(b"65"), F(66.0)], b"AB"),
        ("rep", &[S(b"ab"), I(3)], b"ababab"),
        ("rep", &[S(b"ab"), I(3), S(b",")], b"ab,ab,ab"),
        ("rep", &[S(b"ab"), I(0)], b""),
        ("rep", &[S(b"ab"), I(-5), S(b",")], b""),
        ("rep", &[S(b""), I(5)], b""),
        ("rep", &[S(b"x"), I(1), S(b",")], b"x"),
        ("rep", &[S(b"x"), F(1e+18)], b"error: resulting string too large"),
        ("rep", &[S(b"x"), I(9223372036854775807), S(b"yy")], b"error: resulting string too large"),
        ("reverse", &[S(b"abc")], b"cba"),
        ("upper", &[S(b"aBc\xe9")], b"ABC\xe9"),
        ("lower", &[S(b"ABC1")], b"abc1"),
        ("find", &[S(b"hello world"), S(b"o w")], b"5\x097"),
        ("find", &[S(b"hello"), S(b"l")], b"3\x093"),
        ("find", &[S(b"hello"), S(b"l"), I(4)], b"4\x094"),
        ("find", &[S(b"hello"), S(b"l"), I(-1)], b"nil"),
        ("find", &[S(b"hello"), S(b""), I(10)], b"nil"),
        ("find", &[S(b"hello"), S(b""), I(6)], b"6\x095"),
        ("find", &[S(b"hello"), S(b""), I(-100)], b"1\x090"),
        ("find", &[S(b"a.b"), S(b"."), I(1), B(true)], b"2\x092"),
        ("find", &[S(b"a+b"), S(b"+"), I(1), B(true)], b"2\x092"),
        ("find", &[S(b"a+b"), S(b"a+")], b"1\x091"),
        ("find", &[S(b"abc"), S(b"a)")], b"nil"),
        ("find", &[S(b"key=val"), S(b"(%w+)=(%w+)")], b"1\x097\x09key\x09val"),
        ("find", &[S(b"abc"), S(b"^b")], b"nil"),
        ("find", &[S(b"abc"), S(b"^a")], b"1\x091"),
        ("find", &[S(b"aaa"), S(b"b*"), I(2)], b"2\x091"),
        ("find", &[S(b"abc"), S(b"[a")], b"error: malformed pattern (missing ']')"),
        ("find", &[S(b"abc"), S(b"%")], b"error: malformed pattern (ends with '%')"),
        ("find", &[N, S(b"x")], b"error: bad argument #1 to 'string.find' (string expected, got nil)"),
        ("match", &[S(b"hello 123"), S(b"%d+")], b"123"),
        ("match", &[S(b"key = val"), S(b"(%w+)%s*=%s*(%w+)")], b"key\x09val"),
        ("match", &[S(b"hello"), S(b"()ll()")], b"3\x095"),
        ("match", &[S(b"hello"), S(b"x")], b"nil"),
        ("match", &[S(b"hello"), S(b"."), I(-1)], b"o"),
        ("match", &[S(b"  trim  "), S(b"^%s*(.-)%s*$")], b"trim"),
        ("match", &[S(b"f(a(b)c)"), S(b"%b()")], b"(a(b)c)"),
        ("match", &[S(b"THE (quick) fox"), S(b"%f[%a]%a+"), I(5)], b"quick"),
        ("match", &[S(b"abc"), S(b"(a")], b"error: unfinished capture"),
        ("gsub", &[S(b"hello world"), S(b"o"), S(b"0")], b"hell0 w0rld\x092"),
        ("gsub", &[S(b"hello world"), S(b"(o)"), S(b"[%1]"), I(1)], b"hell[o] world\x091"),
        ("gsub", &[S(b"hello"), S(b""), S(b"-")], b"-h-e-l-l-o-\x096"),
        ("gsub", &[S(b"abc"), S(b"%w"), S(b"%0%0")], b"aabbcc\x093"),
        ("gsub", &[S(b"abc"), S(b"%w"), S(b"%%")], b"%%%\x093"),
        ("gsub", &[S(b"abc"), S(b"%w"), S(b"%2")], b"error: invalid capture index %2"),
        ("gsub", &[S(b"abc"), S(b"%w"), S(b"%x")], b"error: invalid use of '%' in replacement string"),
        ("gsub", &[S(b"abc"), S(b"%w"), S(b"x%")], b"error: invalid use of '%' in replacement string"),
        ("gsub", &[S(b"hello world"), S(b"^h"), S(b"H")], b"Hello world\x091"),
        ("gsub", &[S(b"hello"), S(b"l*"), S(b"X")], b"XhXeXoX\x094"),
        ("gsub", &[S(b"abc"), S(b"()b"), S(b"%1")], b"a2c\x091"),
        ("gsub", &[S(b"abc"), S(b"b"), I(5)], b"a5c\x091"),
        ("gsub", &[S(b"abc"), S(b"b"), N], b"error: bad argument #3 to 'string.gsub' (string/function/table expected, got nil)"),
        ("gsub", &[S(b"abc"), S(b"b"), S(b"x"), I(0)], b"abc\x090"),
        ("gsub", &[S(b"abc"), S(b"b"), S(b"x"), I(-1)], b"abc\x090"),
        ("gsub", &[S(b"a,b,,c"), S(b","), S(b";"), F(2.0)], b"a;b;,c\x092"),
        ("format", &[S(b"%5.1f|%-5d|%5s"), F(3.25159), I(42), S(b"ab")], b"  3.3|42   |   ab"),
        ("format", &[S(b"%d"), F(3.0)], b"3"),
        ("format", &[S(b"%d"), F(3.5)], b"error: bad argument #2 to 'string.format' (number has no integer representation)"),
        ("format", &[S(b"%d"), S(b"10")], b"10"),
        ("format", &[S(b"%x"), S(b"x")], b"error: bad argument #2 to 'string.format' (number expected, got string)"),
        ("format", &[S(b"%99d"), I(1)], b"                                                                                                  1"),
        ("format", &[S(b"%100d"), I(1)], b"error: invalid conversion specification: '%100d'"),
        ("format", &[S(b"%.99f"), I(1)], b"1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("format", &[S(b"%y"), I(1)], b"error: invalid conversion '%y' to 'format'"),
        ("format", &[S(b"%y")], b"error: bad argument #2 to 'string.format' (no value)"),
        ("format", &[S(b"%"), I(1)], b"error: invalid conversion '%' to 'format'"),
        ("format", &[S(b"%5%"), I(1)], b"error: invalid conversion '%5%' to 'format'"),
        ("format", &[S(b"%q"), S(b"a\x0ab\x00c\x22\x5c\x0d\x7f2")], b"\"a\\\x0ab\\0c\\\"\\\\\\13\\1272\""),
        ("format", &[S(b"%q"), F(0.3333333333333333)], b"0x1.5555555555555p-2"),
        ("format", &[S(b"%q"), I(9223372036854775807)], b"9223372036854775807"),
        ("format", &[S(b"%q"), I(i64::MIN)], b"0x8000000000000000"),
        ("format", &[S(b"%q"), N], b"nil"),
        ("format", &[S(b"%q"), B(false)], b"false"),
        ("format", &[S(b"%10q"), S(b"x")], b"error: specifier '%q' cannot have modifiers"),
        ("format", &[S(b"%q"), F(9.223372036854776e+18)], b"0x1p+63"),
        ("format", &[S(b"%s %s %s"), I(1), F(2.5), N], b"1 2.5 nil"),
        ("format", &[S(b"%.3s|%-6s|%6s"), S(b"abcdef"), S(b"ab"), B(true)], b"abc|ab    |  true"),
        ("format", &[S(b"%5s"), S(b"a\x00b")], b"error: bad argument #2 to 'string.format' (string contains zeros)"),
        ("format", &[S(b"%s"), S(b"a\x00b")], b"a\x00b"),
        ("format", &[S(b"%c%c%c"), I(76), I(117), I(97)], b"Lua"),
        ("format", &[S(b"%5c|%-5c|"), I(65), I(66)], b"    A|B    |"),
        ("format", &[S(b"%g %g %g %g"), F(1e+20), F(0.1), I(100000), F(1e-05)], b"1e+20 0.1 100000 1e-05"),
        ("format", &[S(b"%a %A"), F(1.0), F(255.5)], b"0x1p+0 0X1.FFP+7"),
        ("format", &[S(b"%.3a"), F(0.1)], b"0x1.99ap-4"),
        ("format", &[S(b"%e|%E|%.0e"), F(12345.678), F(0.00012), F(5.5)], b"1.234568e+04|1.200000E-04|6e+00"),
        ("format", &[S(b"%+d % d %05d %-5d|"), I(5), I(5), I(-5), I(5)], b"+5  5 -0005 5    |"),
        ("format", &[S(b"%#x %#X %#o %o"), I(255), I(255), I(8), I(8)], b"0xff 0XFF 010 10"),
        ("format", &[S(b"%i %u"), I(-7), I(7)], b"-7 7"),
        ("format", &[S(b"%.14g"), F(9007199254740992.0)], b"9.007199254741e+15"),
        ("format", &[S(b"%10.4f|%-10.2e|"), F(-1.5), F(1234.5)], b"   -1.5000|1.23e+03  |"),
        ("format", &[S(b"%f %f %f"), F(f64::INFINITY), F(f64::NEG_INFINITY), F(0.0)], b"inf -inf 0.000000"),
        ("format", &[S(b"%000000000000000000000000000000d"), I(1)], b"error: invalid format (too long)"),
        ("format", &[S(b"%-+ #0d"), I(1)], b"error: invalid conversion specification: '%-+ #0d'"),
        ("format", &[S(b"%#c"), I(1)], b"error: invalid conversion specification: '%#c'"),
        ("format", &[S(b"%.3c"), I(1)], b"error: invalid conversion specification: '%.3c'"),
        ("pack", &[S(b"i4"), I(100)], b"d\x00\x00\x00"),
        ("pack", &[S(b">i2 <i2 =i2"), I(1), I(2), I(3)], b"\x00\x01\x02\x00\x03\x00"),
        ("pack", &[S(b"i1"), I(128)], b"error: bad argument #2 to 'string.pack' (integer overflow)"),
        ("pack", &[S(b"I1"), I(-1)], b"error: bad argument #2 to 'string.pack' (unsigned overflow)"),
        ("pack", &[S(b"s1"), S(b"abc")], b"\x03abc"),
        ("pack", &[S(b"z"), S(b"a\x00b")], b"error: bad argument #2 to 'string.pack' (string contains zeros)"),
        ("pack", &[S(b"c5"), S(b"ab")], b"ab\x00\x00\x00"),
        ("pack", &[S(b"c2"), S(b"abc")], b"error: bad argument #2 to 'string.pack' (string longer than given size)"),
        ("pack", &[S(b"!8 b d"), I(1), F(2.5)], b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04@"),
        ("pack", &[S(b"i16"), I(-2)], b"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
        ("pack", &[S(b"f d n"), F(1.5), F(2.5), I(3)], b"\x00\x00\xc0?\x00\x00\x00\x00\x00\x00\x04@\x00\x00\x00\x00\x00\x00\x08@"),
        ("pack", &[S(b"i17"), I(1)], b"error: integral size (17) out of limits [1,16]"),
        ("pack", &[S(b"y"), I(1)], b"error: invalid format option 'y'"),
        ("pack", &[S(b"c")], b"error: missing size for format option 'c'"),
        ("pack", &[S(b"j"), F(1.5)], b"error: bad argument #2 to 'string.pack' (number has no integer representation)"),
        ("pack", &[S(b"b")], b"error: bad argument #2 to 'string.pack' (number expected, got nil)"),
        ("pack", &[S(b"xXi4b"), I(1)], b"\x00\x01"),
        ("pack", &[S(b"I4"), F(4294967296.0)], b"error: bad argument #2 to 'string.pack' (unsigned overflow)"),
        ("pack", &[S(b">s2"), S(b"hi")], b"\x00\x02hi"),
        ("pack", &[S(b"!4 i3"), I(1)], b"error: bad argument #1 to 'string.pack' (format asks for alignment not power of 2)"),
        ("pack", &[S(b"<I3 >I3"), I(66051), I(66051)], b"\x03\x02\x01\x01\x02\x03"),
        ("packsize", &[S(b"i4 i8 d")], b"20"),
        ("packsize", &[S(b"!8 b d")], b"16"),
        ("packsize", &[S(b"s")], b"error: bad argument #1 to 'string.packsize' (variable-length format)"),
        ("packsize", &[S(b"z")], b"error: bad argument #1 to 'string.packsize' (variable-length format)"),
        ("packsize", &[S(b"!3 i4")], b"error: bad argument #1 to 'string.packsize' (format asks for alignment not power of 2)"),
        ("packsize", &[S(b"X")], b"error: bad argument #1 to 'string.packsize' (invalid next option for option 'X')"),
        ("packsize", &[S(b"Xc1")], b"error: bad argument #1 to 'string.packsize' (invalid next option for option 'X')"),
        ("packsize", &[S(b"c2147483639c2147483639")], b"error: bad argument #1 to 'string.packsize' (format result too large)"),
        ("packsize", &[S(b"c99999999999")], b"error: invalid format option '9'"),
        ("packsize", &[S(b"!i3 Xi8")], b"error: bad argument #1 to 'string.packsize' (format asks for alignment not power of 2)"),
        ("packsize", &[S(b"")], b"0"),
        ("packsize", &[S(b"c0 x")], b"1"),
        ("unpack", &[S(b"i4"), S(b"\x01\x00\x00")], b"error: bad argument #2 to 'string.unpack' (data string too short)"),
        ("unpack", &[S(b"i4"), S(b"\x01\x00\x00\x00")], b"1\x095"),
        ("unpack", &[S(b"z"), S(b"abc")], b"error: bad argument #2 to 'string.unpack' (unfinished string for format 'z')"),
        ("unpack", &[S(b"zz"), S(b"ab\x00c\x00")], b"ab\x09c\x096"),
        ("unpack", &[S(b"s1"), S(b"\x05ab")], b"error: bad argument #2 to 'string.unpack' (data string too short)"),
        ("unpack", &[S(b"s1"), S(b"\x02abc")], b"ab\x094"),
        ("unpack", &[S(b"i16"), S(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")], b"-1\x0917"),
        ("unpack", &[S(b"I9"), S(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff")], b"error: 9-byte integer does not fit into Lua Integer"),
        ("unpack", &[S(b"b"), S(b"a"), I(5)], b"error: bad argument #3 to 'string.unpack' (initial position out of string)"),
        ("unpack", &[S(b"b"), S(b"a"), I(-5)], b"97\x092"),
        ("unpack", &[S(b"b"), S(b"ab"), I(-1)], b"98\x093"),
        ("unpack", &[S(b">I3"), S(b"\x01\x02\x03")], b"66051\x094"),
        ("unpack", &[S(b"<i3"), S(b"\xff\xff\xff")], b"-1\x094"),
        ("unpack", &[S(b"!4 b i4"), S(b"\x01\x00\x00\x00\x02\x00\x00\x00")], b"1\x092\x099"),
        ("unpack", &[S(b"c0"), S(b"")], b"\x091"),
        ("unpack", &[S(b""), S(b"abc"), I(4)], b"4"),
        ("unpack", &[S(b""), S(b"abc"), I(5)], b"error: bad argument #3 to 'string.unpack' (initial position out of string)"),
        ("unpack", &[S(b"f"), S(b"\x00\x00\xc0?")], b"1.5\x095"),
        ("unpack", &[S(b">d"), S(b"?\xf8\x00\x00\x00\x00\x00\x00")], b"1.5\x099"),
        ("unpack", &[S(b"B h H"), S(b"\xff\xfe\xff\xfe\xff")], b"255\x09-2\x0965534\x096"),
        ("dump", &[N], b"error: bad argument #1 to 'string.dump' (function expected, got nil)"),
];

#[test]
fn matches_lua_5_4() {
    let mut vm = vm();
    let mut failures = Vec::new();
    for (name, args, expected) in CASES {
        let got = call(&mut vm, name, args);
        if got != *expected {
            failures.push(format!("string.{name} case: expected {:?}, got {:?}", text(expected), text(&got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn open_sets_global_and_string_metatable() {
    let mut vm = vm();
    assert!(matches!(vm.get_global("string"), Ok(Value::Table(_))));
    for name in [
        "byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
        "packsize", "rep", "reverse", "sub", "unpack", "upper",
    ] {
        assert!(matches!(function(&mut vm, name), Value::Native(_)), "string.{name} missing");
    }
}

/// A host function standing in for a Lua function argument.
fn host(
    vm: &mut Vm,
    f: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
) -> Value {
    vm.new_function("test", f).expect("function")
}

#[test]
fn gsub_with_function_and_table_replacements() {
    let mut vm = vm();
    let gsub = function(&mut vm, "gsub");
    let subject = vm.new_string(b"hello world").expect("s");
    let pattern = vm.new_string(b"%w+").expect("p");

    // function(w) return w:upper() end
    let upper = host(&mut vm, |vm, args, out| {
        let bytes = vm.string_bytes(args[0]).expect("capture").to_ascii_uppercase();
        out.push(vm.new_string(&bytes)?);
        Ok(())
    });
    let r = vm.call(gsub, &[subject, pattern, upper]);
    assert_eq!(text(&render_result(&vm, r)), "HELLO WORLD\t2");

    // function(w) if w == "hello" then return nil end return 1.5 end
    let some = host(&mut vm, |vm, args, out| {
        if vm.string_bytes(args[0]) != Some(b"hello") {
            out.push(Value::Float(1.5));
        }
        Ok(())
    });
    let r = vm.call(gsub, &[subject, pattern, some]);
    assert_eq!(text(&render_result(&vm, r)), "hello 1.5\t2");

    let table_result = host(&mut vm, |vm, _, out| {
        out.push(Value::Table(vm.new_table()?));
        Ok(())
    });
    let r = vm.call(gsub, &[subject, pattern, table_result]);
    assert_eq!(text(&render_result(&vm, r)), "error: invalid replacement value (a table)");

    // function(a, b) return b .. a end, over two captures
    let swap = host(&mut vm, |vm, args, out| {
        let mut bytes = vm.string_bytes(args[1]).expect("b").to_vec();
        bytes.extend_from_slice(vm.string_bytes(args[0]).expect("a"));
        out.push(vm.new_string(&bytes)?);
        Ok(())
    });
    let abc = vm.new_string(b"abc").expect("s");
    let two = vm.new_string(b"(a)(b)").expect("p");
    let r = vm.call(gsub, &[abc, two, swap]);
    assert_eq!(text(&render_result(&vm, r)), "bac\t1");

    // {name = "Bob", age = 42}, then {name = false}
    let vars = vm.new_string(b"$name is $age").expect("s");
    let dollar = vm.new_string(b"%$(%w+)").expect("p");
    let t = vm.new_table().expect("t");
    let bob = vm.new_string(b"Bob").expect("s");
    vm.set_field(t, "name", bob).expect("set");
    vm.set_field(t, "age", Value::Int(42)).expect("set");
    let r = vm.call(gsub, &[vars, dollar, Value::Table(t)]);
    assert_eq!(text(&render_result(&vm, r)), "Bob is 42\t2");
    let t = vm.new_table().expect("t");
    vm.set_field(t, "name", Value::Bool(false)).expect("set");
    let r = vm.call(gsub, &[vars, dollar, Value::Table(t)]);
    assert_eq!(text(&render_result(&vm, r)), "$name is $age\t2");
}

/// Runs a `gmatch` loop to the end, joining each step's values with `sep`.
fn gmatch_all(vm: &mut Vm, args: &[A]) -> String {
    let gmatch = function(vm, "gmatch");
    let args: Vec<Value> = args.iter().map(|&a| value(vm, a)).collect();
    let iter = vm.call(gmatch, &args).expect("gmatch")[0];
    let mut steps = Vec::new();
    loop {
        let values = vm.call(iter, &[]).expect("step");
        if values.first().map_or(true, |v| v.is_nil()) {
            break;
        }
        assert!(steps.len() < 100, "gmatch does not end");
        let parts: Vec<String> = values.iter().map(|&v| text(&render(vm, v))).collect();
        steps.push(parts.concat());
    }
    steps.join(",")
}

#[test]
fn gmatch_iterates_like_lua() {
    let mut vm = vm();
    assert_eq!(gmatch_all(&mut vm, &[S(b"a=1, b=2"), S(b"(%w+)=(%w+)")]), "a1,b2");
    assert_eq!(gmatch_all(&mut vm, &[S(b"abc"), S(b"()")]), "1,2,3,4");
    assert_eq!(gmatch_all(&mut vm, &[S(b"hello world from lua"), S(b"%a+"), I(7)]), "world,from,lua");
    // No anchor in gmatch: '^' is an ordinary character.
    assert_eq!(gmatch_all(&mut vm, &[S(b"^a^a"), S(b"^a")]), "^a,^a");
    assert_eq!(gmatch_all(&mut vm, &[S(b"abc"), S(b"x*")]), ",,,");
}

#[test]
fn hostile_patterns_end_cleanly() {
    // Lua itself says "pattern too complex" here: one matcher level per `?`.
    let mut vm = vm();
    let subject: &'static [u8] = "a".repeat(100_000).leak().as_bytes();
    let pattern: &'static [u8] = format!("{}{}", "a?".repeat(100_000), "a".repeat(100_000)).leak().as_bytes();
    assert_eq!(text(&call(&mut vm, "find", &[S(subject), S(pattern)])), "error: pattern too complex");

    // Exponential backtracking within the depth bound is stopped by fuel.
    let mut vm = vm_with(Limits { fuel: 100_000, ..Limits::default() });
    let f = function(&mut vm, "find");
    let subject = vm.new_string("a".repeat(60).as_bytes()).expect("s");
    let pattern = vm.new_string(format!("{}{}b", "a?".repeat(60), "a".repeat(60)).as_bytes()).expect("p");
    let err = vm.call(f, &[subject, pattern]).expect_err("must run out of fuel");
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert_eq!(vm.fuel(), 0);

    // %b over 10 000 unbalanced parentheses: finishes, and is charged.
    let mut vm = vm_with(Limits { fuel: 1_000_000_000, ..Limits::default() });
    let before = vm.fuel();
    // Each start position scans to the end (quadratic, as in Lua), and all of it is paid for.
    let parens: &'static [u8] = "(".repeat(10_000).leak().as_bytes();
    assert_eq!(text(&call(&mut vm, "find", &[S(parens), S(b"%b()")])), "nil");
    // About n²/2 bytes scanned, one unit of fuel per 64.
    assert!(before - vm.fuel() > 10_000 * 10_000 / 4 / 64, "scanning was not charged");

    // Captures: 32 allowed, 33 refused.
    let ok: &'static [u8] = format!("{}x{}", "(".repeat(32), ")".repeat(32)).leak().as_bytes();
    let r = call(&mut vm, "find", &[S(b"x"), S(ok)]);
    assert!(text(&r).starts_with("1\t1\tx\tx"), "{}", text(&r));
    let too_many: &'static [u8] = format!("{}x{}", "(".repeat(33), ")".repeat(33)).leak().as_bytes();
    assert_eq!(text(&call(&mut vm, "find", &[S(b"x"), S(too_many)])), "error: too many captures");

    // A plain find whose needle almost matches everywhere is metered too.
    let mut vm = vm_with(Limits { fuel: 10_000, ..Limits::default() });
    let f = function(&mut vm, "find");
    let hay = vm.new_string("a".repeat(200_000).as_bytes()).expect("s");
    let needle = vm.new_string(format!("{}b", "a".repeat(100_000)).as_bytes()).expect("n");
    let err = vm.call(f, &[hay, needle, Value::Int(1), Value::Bool(true)]).expect_err("out of fuel");
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
}

#[test]
fn sizes_are_checked_before_allocating() {
    // Results are compared by length first so a failure does not print a megabyte.
    let mut vm = vm_with(Limits { max_string: 1 << 20, ..Limits::default() });
    let too_large = "error: resulting string too large";
    assert_eq!(text(&call(&mut vm, "rep", &[S(b"x"), F(1e18)])), too_large);
    assert_eq!(text(&call(&mut vm, "rep", &[S(b"x"), I(1 << 21)])), too_large);
    assert_eq!(text(&call(&mut vm, "rep", &[S(b"x"), I((1 << 19) + 1), S(b"y")])), too_large);
    assert_eq!(call(&mut vm, "rep", &[S(b"x"), I(1 << 20)]).len(), 1 << 20);
    // Empty pieces repeated forever cost nothing and make nothing.
    assert_eq!(text(&call(&mut vm, "rep", &[S(b""), I(i64::MAX), S(b"")])), "");
    assert_eq!(text(&call(&mut vm, "pack", &[S(b"c2147483639"), S(b"")])), too_large);
    let big: &'static [u8] = "x".repeat(600_000).leak().as_bytes();
    assert_eq!(text(&call(&mut vm, "format", &[S(b"%s%s"), S(big), S(big)])), too_large);
    assert_eq!(text(&call(&mut vm, "gsub", &[S(big), S(b"x"), S(b"%0%0")])), too_large);
}

#[test]
fn work_is_charged_as_fuel() {
    let mut vm = vm_with(Limits { fuel: 1_000_000, ..Limits::default() });
    let before = vm.fuel();
    assert_eq!(call(&mut vm, "rep", &[S(b"x"), I(64_000)]).len(), 64_000);
    assert_eq!(before - vm.fuel(), 1_000);
    // gsub tries the pattern at every position; the steps add up across positions and
    // are charged per 64, not a whole unit for each position.
    let before = vm.fuel();
    let subject: &'static [u8] = "x".repeat(64_000).leak().as_bytes();
    let r = call(&mut vm, "gsub", &[S(subject), S(b"y"), S(b"z")]);
    assert!(r.ends_with(b"\t0"));
    let used = before - vm.fuel();
    assert!((1_000..5_000).contains(&used), "gsub used {used} fuel");
    // Not enough fuel for the result: refused before building it.
    vm.set_fuel(10);
    let rep = function(&mut vm, "rep");
    let x = vm.new_string(b"x").expect("s");
    let err = vm.call(rep, &[x, Value::Int(64_000)]).expect_err("out of fuel");
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
}

/// Random patterns, format strings and pack formats built from the characters that
/// matter: every call must end in a result or a clean error, never a panic or a hang.
#[test]
fn random_inputs_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x5717_11b5);
    let mut vm = vm_with(Limits { fuel: u64::MAX, max_string: 1 << 16, ..Limits::default() });
    let random = |rng: &mut fastrand::Rng, alphabet: &[u8], max: usize| -> Vec<u8> {
        let n = rng.usize(0..=max);
        (0..n).map(|_| alphabet[rng.usize(0..alphabet.len())]).collect()
    };
    let mut outcomes = [0usize; 2];
    for _ in 0..3_000 {
        vm.set_fuel(20_000);
        let pattern = random(&mut rng, b"()%[]^$*+?.-abfdw19xz", 12);
        let subject = random(&mut rng, b"ab()[]x1 ", 20);
        let (p, s) = (pattern.leak() as &'static [u8], subject.leak() as &'static [u8]);
        for name in ["find", "match", "gsub"] {
            let args = if name == "gsub" {
                vec![S(s), S(p), S(b"<%0>")]
            } else {
                vec![S(s), S(p), I(rng.i64(-5..5))]
            };
            let _ = call(&mut vm, name, &args);
        }
        let gmatch = function(&mut vm, "gmatch");
        let (sv, pv) = (vm.new_string(s).expect("s"), vm.new_string(p).expect("p"));
        if let Some(&iter) = vm.call(gmatch, &[sv, pv]).ok().as_ref().and_then(|r| r.first()) {
            for _ in 0..30 {
                match vm.call(iter, &[]) {
                    Ok(v) if v.first().is_some_and(|x| !x.is_nil()) => {}
                    _ => break,
                }
            }
        }
        if vm.is_suspended() {
            vm.abandon();
        }

        let fmt = random(&mut rng, b"%-+ #0123456789.dixXocsqaAeEfgG%", 10).leak() as &'static [u8];
        let values = [I(rng.i64(..)), F(f64::from_bits(rng.u64(..))), S(b"str"), N, B(true)];
        let args: Vec<A> = std::iter::once(S(fmt)).chain((0..3).map(|_| values[rng.usize(0..5)])).collect();
        let _ = call(&mut vm, "format", &args);

        let packfmt = random(&mut rng, b"<>=!xXbBhHlLjJTiIfdnszc0123456789 ", 10).leak() as &'static [u8];
        let data = random(&mut rng, b"\x00\x01\xff\x7fab", 24).leak() as &'static [u8];
        let _ = call(&mut vm, "unpack", &[S(packfmt), S(data), I(rng.i64(-30..30))]);
        let _ = call(&mut vm, "packsize", &[S(packfmt)]);
        let r = call(&mut vm, "pack", &[S(packfmt), I(rng.i64(..)), S(b"ab"), F(1.5), I(3)]);
        outcomes[usize::from(r.starts_with(b"error:"))] += 1;
    }
    // Both outcomes occur: the inputs reach past the error checks.
    assert!(outcomes[0] > 100 && outcomes[1] > 100, "{outcomes:?}");
}
