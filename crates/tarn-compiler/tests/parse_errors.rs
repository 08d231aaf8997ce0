//! Error messages, compared byte for byte with what `lua5.4` prints.
//!
//! The table below was produced by running each source through `load(src, "=test")` in
//! `lua5.4` (5.4.4); "OK" means Lua accepts it. Sources are given to the parser as Lua's
//! `load` does (no `#` first-line skipping).

use tarn_compiler::{parse_with, ParseOptions};

const CASES: &[(&[u8], &[u8])] = &[
    (b"x = = 1", b"test:1: unexpected symbol near '='"),
    (b"x = 1 +", b"test:1: unexpected symbol near <eof>"),
    (b"x = 1 +\x0a", b"test:2: unexpected symbol near <eof>"),
    (b"end", b"test:1: <eof> expected near 'end'"),
    (b"return 1 x = 2", b"test:1: <eof> expected near 'x'"),
    (b"x", b"test:1: syntax error near <eof>"),
    (b"x\x0a", b"test:2: syntax error near <eof>"),
    (b"f() , x = 1", b"test:1: syntax error near ','"),
    (b"x, f() = 1", b"test:1: syntax error near '='"),
    (b"(a) = 1", b"test:1: syntax error near '='"),
    (b"a.b:c = 1", b"test:1: function arguments expected near '='"),
    (b"goto foo", b"test:1: no visible label 'foo' for <goto> at line 1"),
    (b"goto foo\x0a\x0a", b"test:3: no visible label 'foo' for <goto> at line 1"),
    (b"do goto foo end ::foo::", b"OK"),
    (b"::a:: ::a::", b"test:1: label 'a' already defined on line 1"),
    (b"::a:: do ::a:: end", b"test:1: label 'a' already defined on line 1"),
    (b"::a:: ::b:: ::a::", b"test:1: label 'a' already defined on line 1"),
    (b"break", b"test:1: break outside loop at line 1"),
    (b"if x then break end break", b"test:1: break outside loop at line 1"),
    (b"function f() break end", b"test:1: break outside loop at line 1"),
    (b"do local x goto l end ::l::", b"OK"),
    (b"goto l local x ::l:: print(x)", b"test:1: <goto l> at line 1 jumps into the scope of local 'x'"),
    (b"goto l local x ::l::", b"OK"),
    (b"goto l local x ::l:: ;;", b"OK"),
    (b"goto l local x ::l:: ::m::", b"OK"),
    (b"repeat goto l local x ::l:: until x", b"test:1: <goto l> at line 1 jumps into the scope of local 'x'"),
    (b"repeat local x; goto l; local y; ::l:: until true", b"test:1: <goto l> at line 1 jumps into the scope of local 'y'"),
    (b"do goto l end local x ::l:: print(x)", b"test:1: <goto l> at line 1 jumps into the scope of local 'x'"),
    (b"local x <const> = 1 x = 2", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <close> = nil x = 2", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <const> = 1 function f() x = 1 end", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <const> = 1 function f() return function() x = 1 end end", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <const> = 1 function x() end", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <const> = 1; local y; y, x = 1, 2", b"test:1: attempt to assign to const variable 'x'"),
    (b"local x <foo> = 1", b"test:1: unknown attribute 'foo'"),
    (b"local x <const = 1", b"test:1: '>' expected near '='"),
    (b"local x <close>, y <close> = 1", b"test:1: multiple to-be-closed variables in local list"),
    (b"local function f() return ... end", b"test:1: cannot use '...' outside a vararg function near '...'"),
    (b"x = function() return ... end", b"test:1: cannot use '...' outside a vararg function near '...'"),
    (b"f = function(a, 1) end", b"test:1: <name> or '...' expected near '1'"),
    (b"f = function(a, ... , b) end", b"test:1: ')' expected near ','"),
    (b"x = \"abc", b"test:1: unfinished string near <eof>"),
    (b"x = \"abc\x0ay\"", b"test:1: unfinished string near '\"abc'"),
    (b"x = 'abc\\", b"test:1: unfinished string near <eof>"),
    (b"x = \"abc\\qd\"", b"test:1: invalid escape sequence near '\"abc\\q'"),
    (b"x = \"\\x4g\"", b"test:1: hexadecimal digit expected near '\"\\x4g'"),
    (b"x = \"\\xg\"", b"test:1: hexadecimal digit expected near '\"\\xg'"),
    (b"x = \"\\256\"", b"test:1: decimal escape too large near '\"\\256\"'"),
    (b"x = \"\\256", b"test:1: decimal escape too large near '\"\\256'"),
    (b"x = \"\\u{80000000}\"", b"test:1: UTF-8 value too large near '\"\\u{80000000'"),
    (b"x = \"\\u123\"", b"test:1: missing '{' near '\"\\u1'"),
    (b"x = \"\\u{12\"", b"test:1: missing '}' near '\"\\u{12\"'"),
    (b"x = \"\\u{}\"", b"test:1: hexadecimal digit expected near '\"\\u{}'"),
    (b"x = \"\\u{zz}\"", b"test:1: hexadecimal digit expected near '\"\\u{z'"),
    (b"x = 3..2", b"test:1: malformed number near '3..2'"),
    (b"x = 0x", b"test:1: malformed number near '0x'"),
    (b"x = 1e", b"test:1: malformed number near '1e'"),
    (b"x = 1e+", b"test:1: malformed number near '1e+'"),
    (b"x = 3f", b"test:1: malformed number near '3f'"),
    (b"x = 0x1p", b"test:1: malformed number near '0x1p'"),
    (b"x = 0x1pz", b"test:1: malformed number near '0x1pz'"),
    (b"x = 1.2.3", b"test:1: malformed number near '1.2.3'"),
    (b"x = 08x", b"test:1: malformed number near '08x'"),
    (b"x = .0x1", b"test:1: malformed number near '.0x1'"),
    (b"x = [==[ abc", b"test:1: unfinished long string (starting at line 1) near <eof>"),
    (b"x = [==[ abc\x0a\x0a", b"test:3: unfinished long string (starting at line 1) near <eof>"),
    (b"--[[ abc", b"test:1: unfinished long comment (starting at line 1) near <eof>"),
    (b"--[==[ abc\x0a]]", b"test:2: unfinished long comment (starting at line 1) near <eof>"),
    (b"x = [=a", b"test:1: invalid long string delimiter near '[='"),
    (b"x = [==", b"test:1: invalid long string delimiter near '[=='"),
    (b"x = 1 @", b"test:1: unexpected symbol near '@'"),
    (b"x = \x01", b"test:1: unexpected symbol near '<\\1>'"),
    (b"x = \x80", b"test:1: unexpected symbol near '<\\128>'"),
    (b"x = 1 \"a\\tb\"", b"test:1: unexpected symbol near '\"a\x09b\"'"),
    (b"x = 1 [==[\x0aab\x0d\x0acd]==]", b"test:3: unexpected symbol near '[==[ab\x0acd]==]'"),
    (b"x = 1 0x10 y", b"test:1: unexpected symbol near '0x10'"),
    (b"x = 1 'a\\z  \x0a  b' y", b"test:2: unexpected symbol near ''ab''"),
    (b"x = \x0d\x0a\x0d\x0a\x0a\x0d\x0d = 1", b"test:5: unexpected symbol near '='"),
    (b"#!shebang\x0ax = = 1", b"test:1: unexpected symbol near '#'"),
    (b"for i in 1 do end do", b"test:1: 'end' expected near <eof>"),
    (b"for i do end", b"test:1: '=' or 'in' expected near 'do'"),
    (b"for i = 1 do end", b"test:1: ',' expected near 'do'"),
    (b"for i, j = 1, 2 do end", b"test:1: 'in' expected near '='"),
    (b"for 1 = 1, 2 do end", b"test:1: <name> expected near '1'"),
    (b"for i = 1, 2 end", b"test:1: 'do' expected near 'end'"),
    (b"local function 1() end", b"test:1: <name> expected near '1'"),
    (b"x = {1 2}", b"test:1: '}' expected near '2'"),
    (b"x = {a = }", b"test:1: unexpected symbol near '}'"),
    (b"x = {[1] 2}", b"test:1: '=' expected near '2'"),
    (b"x = {[1 = 2}", b"test:1: ']' expected near '='"),
    (b"f(", b"test:1: unexpected symbol near <eof>"),
    (b"f(1", b"test:1: ')' expected near <eof>"),
    (b"f(1\x0a\x0a", b"test:3: ')' expected (to close '(' at line 1) near <eof>"),
    (b"function a.b:c.d() end", b"test:1: '(' expected near '.'"),
    (b"function a:b:c() end", b"test:1: '(' expected near ':'"),
    (b"function () end", b"test:1: <name> expected near '('"),
    (b"if x then else elseif end", b"test:1: 'end' expected near 'elseif'"),
    (b"if x then", b"test:1: 'end' expected near <eof>"),
    (b"if x then\x0aelse\x0a", b"test:3: 'end' expected (to close 'if' at line 1) near <eof>"),
    (b"if x end", b"test:1: 'then' expected near 'end'"),
    (b"return return", b"test:1: unexpected symbol near 'return'"),
    (b"return 1,", b"test:1: unexpected symbol near <eof>"),
    (b"x = function() end end", b"test:1: <eof> expected near 'end'"),
    (b"::1::", b"test:1: <name> expected near '1'"),
    (b"::a", b"test:1: '::' expected near <eof>"),
    (b"goto 1", b"test:1: <name> expected near '1'"),
    (b"x = not", b"test:1: unexpected symbol near <eof>"),
    (b"x = #", b"test:1: unexpected symbol near <eof>"),
    (b"x = a.1", b"test:1: unexpected symbol near '.1'"),
    (b"x = a:b", b"test:1: function arguments expected near <eof>"),
    (b"x = a:b.c()", b"test:1: function arguments expected near '.'"),
    (b"a:b.c()", b"test:1: function arguments expected near '.'"),
    (b"x = a[1", b"test:1: ']' expected near <eof>"),
    (b"x = (1", b"test:1: ')' expected near <eof>"),
    (b"x = (1\x0a\x0a", b"test:3: ')' expected (to close '(' at line 1) near <eof>"),
    (b"while 1 do", b"test:1: 'end' expected near <eof>"),
    (b"while 1 do\x0a\x0a", b"test:3: 'end' expected (to close 'while' at line 1) near <eof>"),
    (b"while 1 end", b"test:1: 'do' expected near 'end'"),
    (b"repeat", b"test:1: 'until' expected near <eof>"),
    (b"repeat\x0auntil", b"test:2: unexpected symbol near <eof>"),
    (b"do", b"test:1: 'end' expected near <eof>"),
    (b"do\x0a x = 1\x0a", b"test:3: 'end' expected (to close 'do' at line 1) near <eof>"),
    (b"function f()\x0a\x0a", b"test:3: 'end' expected (to close 'function' at line 1) near <eof>"),
    (b"local", b"test:1: <name> expected near <eof>"),
    (b"local 1", b"test:1: <name> expected near '1'"),
    (b"x = 1 .. ", b"test:1: unexpected symbol near <eof>"),
    (b"x = ~", b"test:1: unexpected symbol near <eof>"),
    (b"x = 1 ~= ", b"test:1: unexpected symbol near <eof>"),
    (b"x = a b", b"test:1: syntax error near <eof>"),
    (b"x = a..b..", b"test:1: unexpected symbol near <eof>"),
    (b"local t = {} t.x, a <const> = 1", b"test:1: '=' expected near '<'"),
    (b"x = 1 // 2 >> 3 << 4 ~ 5 ~= 6 :: 7", b"test:1: <name> expected near '7'"),
    (b"local function f(...) return function() return ... end end", b"test:1: cannot use '...' outside a vararg function near '...'"),
    (b"x = y z", b"test:1: syntax error near <eof>"),
    (b"x = 1 == == 2", b"test:1: unexpected symbol near '=='"),
    (b"a.b.c", b"test:1: syntax error near <eof>"),
    (b"a[1]", b"test:1: syntax error near <eof>"),
    (b"a:b", b"test:1: function arguments expected near <eof>"),
    (b"(f)", b"test:1: syntax error near <eof>"),
    (b"f() = 1", b"test:1: syntax error near '='"),
    (b"x, y", b"test:1: '=' expected near <eof>"),
    (b"x, = 1", b"test:1: unexpected symbol near '='"),
    (b"local x, = 1", b"test:1: <name> expected near '='"),
    (b"x = {,}", b"test:1: unexpected symbol near ','"),
    (b"x = {;}", b"test:1: unexpected symbol near ';'"),
    (b"x = {1,,2}", b"test:1: unexpected symbol near ','"),
    (b"f{}{}\"\"[1]", b"test:1: syntax error near <eof>"),
    (b"x = function(...) local a = ... end ...", b"test:1: unexpected symbol near '...'"),
    (b"return ...;;", b"test:1: <eof> expected near ';'"),
    (b"return;;", b"test:1: <eof> expected near ';'"),
    (b"::l:: ::l::", b"test:1: label 'l' already defined on line 1"),
    (b"goto continue; local x; ::continue:: x = 1", b"test:1: <goto continue> at line 1 jumps into the scope of local 'x'"),
    (b"while true do goto c; local x; ::c:: end", b"OK"),
    (b"while true do goto c; local x; ::c:: x = 1 end", b"test:1: <goto c> at line 1 jumps into the scope of local 'x'"),
    (b"do local x; goto l; end; ::l::", b"OK"),
    (b"local a <close> = 1 local b <close> = 2", b"OK"),
    (b"local _ENV <const> = {} x = 1", b"OK"),
    (b"local _ENV <const> = {} _ENV = 1", b"test:1: attempt to assign to const variable '_ENV'"),
    // Limits: local variables (for loops count their hidden state) and upvalues.
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197, a198, a199, a200", b"OK"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197, a198, a199, a200, a201", b"test:1: too many local variables (limit is 200) in main function near <eof>"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197, a198, a199\x0alocal b", b"OK"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197, a198, a199\x0alocal b, c", b"test:2: too many local variables (limit is 200) in main function near <eof>"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197\x0afor i = 1, 2 do end", b"test:2: too many local variables (limit is 200) in main function near '='"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196\x0afor i = 1, 2 do end", b"OK"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196\x0afor k in x do end", b"test:2: too many local variables (limit is 200) in main function near 'in'"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195\x0afor k in x do end", b"OK"),
    (b"function f()\x0alocal a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150, a151, a152, a153, a154, a155, a156, a157, a158, a159, a160, a161, a162, a163, a164, a165, a166, a167, a168, a169, a170, a171, a172, a173, a174, a175, a176, a177, a178, a179, a180, a181, a182, a183, a184, a185, a186, a187, a188, a189, a190, a191, a192, a193, a194, a195, a196, a197, a198, a199, a200, a201 end", b"test:2: too many local variables (limit is 200) in function at line 1 near 'end'"),
    (b"local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63, a64, a65, a66, a67, a68, a69, a70, a71, a72, a73, a74, a75, a76, a77, a78, a79, a80, a81, a82, a83, a84, a85, a86, a87, a88, a89, a90, a91, a92, a93, a94, a95, a96, a97, a98, a99, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111, a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127, a128, a129, a130, a131, a132, a133, a134, a135, a136, a137, a138, a139, a140, a141, a142, a143, a144, a145, a146, a147, a148, a149, a150\x0alocal b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63, b64, b65, b66, b67, b68, b69, b70, b71, b72, b73, b74, b75, b76, b77, b78, b79, b80, b81, b82, b83, b84, b85, b86, b87, b88, b89, b90, b91, b92, b93, b94, b95, b96, b97, b98, b99, b100 end", b"test:2: too many local variables (limit is 200) in main function near ','"),
    (b"do local u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15, u16, u17, u18, u19, u20, u21, u22, u23, u24, u25, u26, u27, u28, u29, u30, u31, u32, u33, u34, u35, u36, u37, u38, u39, u40, u41, u42, u43, u44, u45, u46, u47, u48, u49, u50, u51, u52, u53, u54, u55, u56, u57, u58, u59, u60, u61, u62, u63, u64, u65, u66, u67, u68, u69, u70, u71, u72, u73, u74, u75, u76, u77, u78, u79, u80, u81, u82, u83, u84, u85, u86, u87, u88, u89, u90, u91, u92, u93, u94, u95, u96, u97, u98, u99, u100, u101, u102, u103, u104, u105, u106, u107, u108, u109, u110, u111, u112, u113, u114, u115, u116, u117, u118, u119, u120, u121, u122, u123, u124, u125, u126, u127, u128, u129, u130, u131, u132, u133, u134, u135, u136, u137, u138, u139, u140, u141, u142, u143, u144, u145, u146, u147, u148, u149, u150 end", b"OK"),
    (b"local u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15, u16, u17, u18, u19, u20, u21, u22, u23, u24, u25, u26, u27, u28, u29, u30, u31, u32, u33, u34, u35, u36, u37, u38, u39, u40, u41, u42, u43, u44, u45, u46, u47, u48, u49, u50, u51, u52, u53, u54, u55, u56, u57, u58, u59, u60, u61, u62, u63, u64, u65, u66, u67, u68, u69, u70, u71, u72, u73, u74, u75, u76, u77, u78, u79, u80, u81, u82, u83, u84, u85, u86, u87, u88, u89, u90, u91, u92, u93, u94, u95, u96, u97, u98, u99, u100, u101, u102, u103, u104, u105, u106, u107, u108, u109, u110, u111, u112, u113, u114, u115, u116, u117, u118, u119, u120, u121, u122, u123, u124, u125, u126, u127, u128, u129, u130, u131, u132, u133, u134, u135, u136, u137, u138, u139, u140, u141, u142, u143, u144, u145, u146, u147, u148, u149, u150, u151, u152, u153, u154, u155, u156, u157, u158, u159, u160, u161, u162, u163, u164, u165, u166, u167, u168, u169, u170, u171, u172, u173, u174, u175, u176, u177, u178, u179, u180, u181, u182, u183, u184, u185, u186, u187, u188, u189, u190, u191, u192, u193, u194, u195, u196, u197, u198, u199, u200\x0afunction g()\x0alocal v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, v20, v21, v22, v23, v24, v25, v26, v27, v28, v29, v30, v31, v32, v33, v34, v35, v36, v37, v38, v39, v40, v41, v42, v43, v44, v45, v46, v47, v48, v49, v50, v51, v52, v53, v54, v55, v56, v57, v58, v59, v60\x0areturn function()\x0au1 = 1; u2 = 1; u3 = 1; u4 = 1; u5 = 1; u6 = 1; u7 = 1; u8 = 1; u9 = 1; u10 = 1; u11 = 1; u12 = 1; u13 = 1; u14 = 1; u15 = 1; u16 = 1; u17 = 1; u18 = 1; u19 = 1; u20 = 1; u21 = 1; u22 = 1; u23 = 1; u24 = 1; u25 = 1; u26 = 1; u27 = 1; u28 = 1; u29 = 1; u30 = 1; u31 = 1; u32 = 1; u33 = 1; u34 = 1; u35 = 1; u36 = 1; u37 = 1; u38 = 1; u39 = 1; u40 = 1; u41 = 1; u42 = 1; u43 = 1; u44 = 1; u45 = 1; u46 = 1; u47 = 1; u48 = 1; u49 = 1; u50 = 1; u51 = 1; u52 = 1; u53 = 1; u54 = 1; u55 = 1; u56 = 1; u57 = 1; u58 = 1; u59 = 1; u60 = 1; u61 = 1; u62 = 1; u63 = 1; u64 = 1; u65 = 1; u66 = 1; u67 = 1; u68 = 1; u69 = 1; u70 = 1; u71 = 1; u72 = 1; u73 = 1; u74 = 1; u75 = 1; u76 = 1; u77 = 1; u78 = 1; u79 = 1; u80 = 1; u81 = 1; u82 = 1; u83 = 1; u84 = 1; u85 = 1; u86 = 1; u87 = 1; u88 = 1; u89 = 1; u90 = 1; u91 = 1; u92 = 1; u93 = 1; u94 = 1; u95 = 1; u96 = 1; u97 = 1; u98 = 1; u99 = 1; u100 = 1; u101 = 1; u102 = 1; u103 = 1; u104 = 1; u105 = 1; u106 = 1; u107 = 1; u108 = 1; u109 = 1; u110 = 1; u111 = 1; u112 = 1; u113 = 1; u114 = 1; u115 = 1; u116 = 1; u117 = 1; u118 = 1; u119 = 1; u120 = 1; u121 = 1; u122 = 1; u123 = 1; u124 = 1; u125 = 1; u126 = 1; u127 = 1; u128 = 1; u129 = 1; u130 = 1; u131 = 1; u132 = 1; u133 = 1; u134 = 1; u135 = 1; u136 = 1; u137 = 1; u138 = 1; u139 = 1; u140 = 1; u141 = 1; u142 = 1; u143 = 1; u144 = 1; u145 = 1; u146 = 1; u147 = 1; u148 = 1; u149 = 1; u150 = 1; u151 = 1; u152 = 1; u153 = 1; u154 = 1; u155 = 1; u156 = 1; u157 = 1; u158 = 1; u159 = 1; u160 = 1; u161 = 1; u162 = 1; u163 = 1; u164 = 1; u165 = 1; u166 = 1; u167 = 1; u168 = 1; u169 = 1; u170 = 1; u171 = 1; u172 = 1; u173 = 1; u174 = 1; u175 = 1; u176 = 1; u177 = 1; u178 = 1; u179 = 1; u180 = 1; u181 = 1; u182 = 1; u183 = 1; u184 = 1; u185 = 1; u186 = 1; u187 = 1; u188 = 1; u189 = 1; u190 = 1; u191 = 1; u192 = 1; u193 = 1; u194 = 1; u195 = 1; u196 = 1; u197 = 1; u198 = 1; u199 = 1; u200 = 1;v1 = 1; v2 = 1; v3 = 1; v4 = 1; v5 = 1; v6 = 1; v7 = 1; v8 = 1; v9 = 1; v10 = 1; v11 = 1; v12 = 1; v13 = 1; v14 = 1; v15 = 1; v16 = 1; v17 = 1; v18 = 1; v19 = 1; v20 = 1; v21 = 1; v22 = 1; v23 = 1; v24 = 1; v25 = 1; v26 = 1; v27 = 1; v28 = 1; v29 = 1; v30 = 1; v31 = 1; v32 = 1; v33 = 1; v34 = 1; v35 = 1; v36 = 1; v37 = 1; v38 = 1; v39 = 1; v40 = 1; v41 = 1; v42 = 1; v43 = 1; v44 = 1; v45 = 1; v46 = 1; v47 = 1; v48 = 1; v49 = 1; v50 = 1; v51 = 1; v52 = 1; v53 = 1; v54 = 1; v55 = 1; v56 = 1\x0aend end", b"test:5: too many upvalues (limit is 255) in function at line 4 near '='"),
    (b"local u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15, u16, u17, u18, u19, u20, u21, u22, u23, u24, u25, u26, u27, u28, u29, u30, u31, u32, u33, u34, u35, u36, u37, u38, u39, u40, u41, u42, u43, u44, u45, u46, u47, u48, u49, u50, u51, u52, u53, u54, u55, u56, u57, u58, u59, u60, u61, u62, u63, u64, u65, u66, u67, u68, u69, u70, u71, u72, u73, u74, u75, u76, u77, u78, u79, u80, u81, u82, u83, u84, u85, u86, u87, u88, u89, u90, u91, u92, u93, u94, u95, u96, u97, u98, u99, u100, u101, u102, u103, u104, u105, u106, u107, u108, u109, u110, u111, u112, u113, u114, u115, u116, u117, u118, u119, u120, u121, u122, u123, u124, u125, u126, u127, u128, u129, u130, u131, u132, u133, u134, u135, u136, u137, u138, u139, u140, u141, u142, u143, u144, u145, u146, u147, u148, u149, u150, u151, u152, u153, u154, u155, u156, u157, u158, u159, u160, u161, u162, u163, u164, u165, u166, u167, u168, u169, u170, u171, u172, u173, u174, u175, u176, u177, u178, u179, u180, u181, u182, u183, u184, u185, u186, u187, u188, u189, u190, u191, u192, u193, u194, u195, u196, u197, u198, u199, u200\x0afunction g()\x0alocal v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, v20, v21, v22, v23, v24, v25, v26, v27, v28, v29, v30, v31, v32, v33, v34, v35, v36, v37, v38, v39, v40, v41, v42, v43, v44, v45, v46, v47, v48, v49, v50, v51, v52, v53, v54, v55, v56, v57, v58, v59, v60\x0areturn function()\x0au1 = 1; u2 = 1; u3 = 1; u4 = 1; u5 = 1; u6 = 1; u7 = 1; u8 = 1; u9 = 1; u10 = 1; u11 = 1; u12 = 1; u13 = 1; u14 = 1; u15 = 1; u16 = 1; u17 = 1; u18 = 1; u19 = 1; u20 = 1; u21 = 1; u22 = 1; u23 = 1; u24 = 1; u25 = 1; u26 = 1; u27 = 1; u28 = 1; u29 = 1; u30 = 1; u31 = 1; u32 = 1; u33 = 1; u34 = 1; u35 = 1; u36 = 1; u37 = 1; u38 = 1; u39 = 1; u40 = 1; u41 = 1; u42 = 1; u43 = 1; u44 = 1; u45 = 1; u46 = 1; u47 = 1; u48 = 1; u49 = 1; u50 = 1; u51 = 1; u52 = 1; u53 = 1; u54 = 1; u55 = 1; u56 = 1; u57 = 1; u58 = 1; u59 = 1; u60 = 1; u61 = 1; u62 = 1; u63 = 1; u64 = 1; u65 = 1; u66 = 1; u67 = 1; u68 = 1; u69 = 1; u70 = 1; u71 = 1; u72 = 1; u73 = 1; u74 = 1; u75 = 1; u76 = 1; u77 = 1; u78 = 1; u79 = 1; u80 = 1; u81 = 1; u82 = 1; u83 = 1; u84 = 1; u85 = 1; u86 = 1; u87 = 1; u88 = 1; u89 = 1; u90 = 1; u91 = 1; u92 = 1; u93 = 1; u94 = 1; u95 = 1; u96 = 1; u97 = 1; u98 = 1; u99 = 1; u100 = 1; u101 = 1; u102 = 1; u103 = 1; u104 = 1; u105 = 1; u106 = 1; u107 = 1; u108 = 1; u109 = 1; u110 = 1; u111 = 1; u112 = 1; u113 = 1; u114 = 1; u115 = 1; u116 = 1; u117 = 1; u118 = 1; u119 = 1; u120 = 1; u121 = 1; u122 = 1; u123 = 1; u124 = 1; u125 = 1; u126 = 1; u127 = 1; u128 = 1; u129 = 1; u130 = 1; u131 = 1; u132 = 1; u133 = 1; u134 = 1; u135 = 1; u136 = 1; u137 = 1; u138 = 1; u139 = 1; u140 = 1; u141 = 1; u142 = 1; u143 = 1; u144 = 1; u145 = 1; u146 = 1; u147 = 1; u148 = 1; u149 = 1; u150 = 1; u151 = 1; u152 = 1; u153 = 1; u154 = 1; u155 = 1; u156 = 1; u157 = 1; u158 = 1; u159 = 1; u160 = 1; u161 = 1; u162 = 1; u163 = 1; u164 = 1; u165 = 1; u166 = 1; u167 = 1; u168 = 1; u169 = 1; u170 = 1; u171 = 1; u172 = 1; u173 = 1; u174 = 1; u175 = 1; u176 = 1; u177 = 1; u178 = 1; u179 = 1; u180 = 1; u181 = 1; u182 = 1; u183 = 1; u184 = 1; u185 = 1; u186 = 1; u187 = 1; u188 = 1; u189 = 1; u190 = 1; u191 = 1; u192 = 1; u193 = 1; u194 = 1; u195 = 1; u196 = 1; u197 = 1; u198 = 1; u199 = 1; u200 = 1;v1 = 1; v2 = 1; v3 = 1; v4 = 1; v5 = 1; v6 = 1; v7 = 1; v8 = 1; v9 = 1; v10 = 1; v11 = 1; v12 = 1; v13 = 1; v14 = 1; v15 = 1; v16 = 1; v17 = 1; v18 = 1; v19 = 1; v20 = 1; v21 = 1; v22 = 1; v23 = 1; v24 = 1; v25 = 1; v26 = 1; v27 = 1; v28 = 1; v29 = 1; v30 = 1; v31 = 1; v32 = 1; v33 = 1; v34 = 1; v35 = 1; v36 = 1; v37 = 1; v38 = 1; v39 = 1; v40 = 1; v41 = 1; v42 = 1; v43 = 1; v44 = 1; v45 = 1; v46 = 1; v47 = 1; v48 = 1; v49 = 1; v50 = 1; v51 = 1; v52 = 1; v53 = 1; v54 = 1; v55 = 1\x0aend end", b"OK"),
    // Table constructors look one token ahead; NUL bytes end Lua's `near` text.
    (b"x = {a\x0a=\x0a}", b"test:3: unexpected symbol near '}'"),
    (b"x = {a\x0a\x0ab}", b"test:3: '}' expected (to close '{' at line 1) near 'b'"),
    (b"x = {a b", b"test:1: '}' expected near 'b'"),
    (b"x = {a\x0a\x0a\x0a", b"test:4: '}' expected (to close '{' at line 1) near <eof>"),
    (b"x = {[1]\x0a= }", b"test:2: unexpected symbol near '}'"),
    (b"x = {a = 1\x0a\x0a;;}", b"test:3: unexpected symbol near ';'"),
    (b"f{a\x0a\x0a'str'}", b"OK"),
    (b"x = {a\x0a=", b"test:2: unexpected symbol near <eof>"),
    (b"local t = {x\x0a\x0a= 1, y}\x0areturn t.z +", b"test:4: unexpected symbol near <eof>"),
    (b"x = \"a\\0b\" 1", b"test:1: unexpected symbol near '1'"),
    (b"x = 1 [[a\x00b]]", b"test:1: unexpected symbol near '[[a'"),
    (b"x = 'a\x00b", b"test:1: unfinished string near <eof>"),
    (b"local a = {} a.b.c.d = 1 return a[1][2]:m(3):n{4}.x", b"OK"),
    (b"return (...)", b"OK"),
    (b"local function f(...) local t = {...} return #t, ... end", b"OK"),
    (b"x = 1 -- comment\x0a--[[ c ]] y = 2 --[==[\x0a]==] z = 3 ::l:: goto l", b"OK"),
];

fn run(src: &[u8]) -> Vec<u8> {
    match parse_with(src, "=test", ParseOptions { skip_first_line: false }) {
        Ok(_) => b"OK".to_vec(),
        Err(e) => e.as_bytes().to_vec(),
    }
}

#[test]
fn messages_match_lua() {
    let mut failures = Vec::new();
    for (src, want) in CASES {
        let got = run(src);
        if &got[..] != *want {
            failures.push(format!(
                "source: {:?}\n  want: {}\n   got: {}",
                String::from_utf8_lossy(src),
                String::from_utf8_lossy(want),
                String::from_utf8_lossy(&got)
            ));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn chunk_names_in_messages() {
    let e = |name: &str| parse_with(b"x = = 1", name, ParseOptions::default()).unwrap_err().to_string();
    assert_eq!(e("@test.lua"), "test.lua:1: unexpected symbol near '='");
    assert_eq!(e("=stdin"), "stdin:1: unexpected symbol near '='");
    assert_eq!(e("x = = 1"), "[string \"x = = 1\"]:1: unexpected symbol near '='");
}

#[test]
fn shebang_line_is_skipped_for_files() {
    let e = tarn_compiler::parse(b"#!/usr/bin/lua\nx = = 1", "@test.lua").unwrap_err();
    assert_eq!(e.to_string(), "test.lua:2: unexpected symbol near '='");
    assert!(tarn_compiler::parse(b"#!/usr/bin/lua", "@test.lua").is_ok());
    assert!(tarn_compiler::parse(b"\xEF\xBB\xBF# bom and comment\nreturn 1", "@test.lua").is_ok());
}

#[test]
fn error_kinds_and_lines() {
    use tarn_compiler::ErrorKind;
    let e = |s: &str| tarn_compiler::parse(s.as_bytes(), "=t").unwrap_err();
    assert_eq!(e("x = 3..2").kind(), ErrorKind::Lexical);
    assert_eq!(e("x = = 1").kind(), ErrorKind::Syntax);
    assert_eq!(e("goto x").kind(), ErrorKind::Semantic);
    assert_eq!(e("\n\nx = = 1").line(), 3);
}
