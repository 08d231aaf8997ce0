//! The utf8 library (§6.5) against lua5.4: strict and lax decoding, positions, and the
//! error messages for invalid sequences and out-of-bounds positions.

mod common;

use common::check;

#[test]
fn char_and_charpattern() {
    check(
        r#"print(utf8.char(72, 228, 8364, 128512))
print(utf8.char(), #utf8.char(0x7FFFFFFF), #utf8.char(0x10FFFF), #utf8.char(0x110000), #utf8.char(0x4000000))
print(utf8.char(0x7FF) == "\u{7FF}", utf8.char(0x7FFFFFFF) == "\u{7FFFFFFF}", utf8.char("65"))
print(#utf8.charpattern, utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
print(pcall(utf8.char, -1))
print(pcall(utf8.char, 0x80000000))
print(pcall(utf8.char, 65, "x"))
print(pcall(utf8.char, 1.5))
"#,
        r#"Hä€😀
	6	4	4	6
true	true	A
14	true
false	bad argument #1 to 'utf8.char' (value out of range)
false	bad argument #1 to 'utf8.char' (value out of range)
false	bad argument #2 to 'utf8.char' (number expected, got string)
false	bad argument #1 to 'utf8.char' (number has no integer representation)
"#,
    );
}

#[test]
fn len() {
    check(
        r#"print(utf8.len("häll€"), #"häll€", utf8.len("\xff"), utf8.len(""))
print(utf8.len("häll€", 2), utf8.len("häll€", 3), utf8.len("häll€", -3), utf8.len("häll€", 1, 2), utf8.len("abc", 4))
print(utf8.len("a\x80b"), utf8.len("\xC0\x80"), utf8.len("\xE2\x82"), utf8.len("ab\xF4\x90\x80\x80"))
print(utf8.len("\u{D800}"), utf8.len("\u{D800}", 1, -1, true), utf8.len("\u{7FFFFFFF}"), utf8.len("\u{7FFFFFFF}", 1, -1, true))
print(utf8.len("abc", 1, -5), utf8.len("abc", -10 + 8))
print(pcall(utf8.len, "abc", 5))
print(pcall(utf8.len, "abc", 0))
print(pcall(utf8.len, "abc", 1, 4))
print(pcall(utf8.len, {}))
print(utf8.len(12345))
"#,
        r#"5	8	nil	0
4	nil	1	2	0
nil	nil	nil	nil	3
nil	1	nil	1
0	2
false	bad argument #2 to 'utf8.len' (initial position out of bounds)
false	bad argument #2 to 'utf8.len' (initial position out of bounds)
false	bad argument #3 to 'utf8.len' (final position out of bounds)
false	bad argument #1 to 'utf8.len' (string expected, got table)
5
"#,
    );
}

#[test]
fn codepoint() {
    check(
        r##"print(utf8.codepoint("häll€", 1, -1))
print(utf8.codepoint("abc"), utf8.codepoint("abc", 2), utf8.codepoint("abc", -1), select("#", utf8.codepoint("abc", 3, 2)))
print(utf8.codepoint("€", 1), utf8.codepoint("a€", 2, 2))
print(utf8.codepoint("\u{D800}", 1, 1, true), utf8.codepoint("\u{7FFFFFFF}", 1, 1, true))
print(pcall(utf8.codepoint, "\u{D800}"))
print(pcall(utf8.codepoint, "\xff"))
print(pcall(utf8.codepoint, "€", 2))
print(pcall(utf8.codepoint, "abc", 0))
print(pcall(utf8.codepoint, "abc", 1, 4))
print(pcall(function() return utf8.codepoint("\x80") end))
"##,
        r#"104	228	108	108	8364
97	98	99	0
8364	8364
55296	2147483647
false	invalid UTF-8 code
false	invalid UTF-8 code
false	invalid UTF-8 code
false	bad argument #2 to 'utf8.codepoint' (out of bounds)
false	bad argument #3 to 'utf8.codepoint' (out of bounds)
false	test:10: invalid UTF-8 code
"#,
    );
}

#[test]
fn offset() {
    check(
        r#"print(utf8.offset("aé€", 3), utf8.offset("aé€", 1), utf8.offset("aé€", 2), utf8.offset("aé€", 4), utf8.offset("aé€", 5))
print(utf8.offset("aé€", -1), utf8.offset("aé€", -2), utf8.offset("aé€", -3), utf8.offset("aé€", -4))
print(utf8.offset("aé€", 0, 3), utf8.offset("aé€", 0, 5), utf8.offset("aé€", 0, 4), utf8.offset("aé€", 1, 4), utf8.offset("aé€", 2, 4))
print(utf8.offset("", 1), utf8.offset("", 0), utf8.offset("", -1), utf8.offset("abc", -1, 2))
print(pcall(utf8.offset, "aé€", 1, 3))
print(pcall(utf8.offset, "abc", 1, 5))
print(pcall(utf8.offset, "abc", 1, 0))
print(pcall(utf8.offset, "abc"))
"#,
        r#"4	1	2	7	nil
4	2	1	nil
2	4	4	4	7
1	1	nil	1
false	initial position is a continuation byte
false	bad argument #3 to 'utf8.offset' (position out of bounds)
false	bad argument #3 to 'utf8.offset' (position out of bounds)
false	bad argument #2 to 'utf8.offset' (number expected, got no value)
"#,
    );
}

#[test]
fn codes() {
    check(
        r#"for p, c in utf8.codes("aé€😀") do print(p, c) end
for p, c in utf8.codes("") do print(p, c) end
for p, c in utf8.codes("\u{D800}x", true) do print(p, c) end
local seen = {}
print(pcall(function() for p, c in utf8.codes("ab\xffc") do seen[#seen + 1] = p end end))
print(table.concat(seen, " "))
print(pcall(function() for p, c in utf8.codes("\u{D800}") do end end))
print((pcall(utf8.codes, "\x80abc")))
for p, c in utf8.codes("\x80\x80a") do print(p, c) end
print(pcall(function() for p, c in utf8.codes("a\xC3\xA9\x80") do end end))
local f, s, i = utf8.codes("xy") print(type(f), s, i, f(s, i)) print(f(s, 1)) print(f(s, 2))
"#,
        r#"1	97
2	233
4	8364
7	128512
1	55296
4	120
false	test:5: invalid UTF-8 code
1 2
false	test:7: invalid UTF-8 code
true
3	97
true
function	xy	0	1	120
2	121

"#,
    );
}
