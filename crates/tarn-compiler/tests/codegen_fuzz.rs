//! No-panic check for code generation: mutated Lua snippets that parse must compile
//! (or fail with a compile error) into modules the verifier accepts, and those modules
//! run on the VM under a fuel limit without crashing it. Fixed seed, 2 MiB stack.

mod common;

use tarn_vm::Limits;

const CORPUS: &[&str] = &[
    "local a, b <const>, c <close> = 1, 2.5, nil print(a, b)",
    "x = 1 + 2 * 3 - 4 / 5 // 6 % 7 ^ 8 .. 'nine' .. [[ten]]",
    "local function f(a, b, ...) return a, b, ... end print(f(1, 2, 3))",
    "local t = {a = {}} function t.a.b(x) return x end function t:m(x) self.x = x; return self end",
    "for i = 1, 10, 2 do local y = function() return i end if i > 4 then break end end",
    "local function it(s, c) if c < 3 then return c + 1 end end for k in it, nil, 0 do goto continue; ::continue:: end",
    "repeat local z = 1 local g = function() return z end until z > 0",
    "local a, c = 1, 2 if a then c = c + 1 elseif c then c = 2 else c = 3 end",
    "while true do break end do end ;;",
    "print \"hi\" local o = {m = function(s, x) return print end} o:m(1)(2)",
    "local a, b, y, t = 1, 2, 3, {} x = (print()) z = #t w = not not a == b and -x^2 or ~y",
    "y = 0x10, 0xff.8p1, 1e2, 9223372036854775808, \"a\\x41\\65\\u{48}\\z   b\"",
    "local t = {f = function(...) local a, b = ... return a | b & 1 ~ 2 << 3 >> 4 end}",
    "do goto l; local x; ::l:: end",
    "local upval = 1 return function() return function() upval = upval + 1 return upval end end",
    "local _ENV = {print = print} print(x)",
    "local a, b, d, e = {}, {c = 1}, {}, 1 a, b.c, d[e] = print(), b, (e)",
    "x = {[1] = {2, {3, {4}}}, y = {z = {}}}",
    "local x = ... if x then return end return 1, 2;",
    "local i = 0 ::top:: i = i + 1 local c = i local f = function() return c end if i < 3 then goto top end",
    "local t = {} for i = 1, 60 do t[i] = i end local u = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, t[1], ...}",
    "local s = 0 for i = 10, 1, -1 do s = s + i * 2.5 // 1 end print(s, s < 10, s >= 3, 10 > s)",
];

const PIECES: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "..",
    "...",
    "=",
    "==",
    "~=",
    "<const>",
    "<close>",
    "local",
    "function",
    "end",
    "goto l",
    "::l::",
    "break",
    "return",
    "not",
    "and",
    "or",
    "until",
    "repeat",
    "then",
    "else",
    ",",
    ";",
    ":",
    ".",
    "x",
    "1",
    "-1",
    "0.5",
    "'s'",
    "nil",
    "true",
    "f()",
    "t.x",
    "(...)",
    "do",
    "while x do",
    "if x then",
    "for i = 1, 2 do",
    "local x = ",
    "x = ",
    "print(",
    "function() ",
    " + ",
    " - ",
    " * ",
    " < ",
];

#[test]
fn corpus_compiles_and_runs() {
    for src in CORPUS {
        let module = common::compile_verified(src);
        let limits = Limits { fuel: 1_000_000, ..Limits::default() };
        let _ = common::run_verified(&module, limits);
    }
}

#[test]
fn mutated_inputs_compile_to_verified_modules() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut rng = fastrand::Rng::with_seed(0xc0de_9e17);
            let (mut compiled, mut rejected) = (0, 0);
            for i in 0..60_000 {
                let src = common::mutate(&mut rng, CORPUS[i % CORPUS.len()].as_bytes(), CORPUS, PIECES, 3);
                if tarn_compiler::parse(&src, "=fuzz").is_err() {
                    rejected += 1;
                    continue;
                }
                let module = match tarn_compiler::compile(&src, "=fuzz") {
                    Ok(m) => m,
                    Err(e) => {
                        let msg = e.to_string();
                        assert!(msg.contains("too many"), "{msg}\n{}", String::from_utf8_lossy(&src));
                        continue;
                    }
                };
                let text = String::from_utf8_lossy(&src).into_owned();
                let module = common::verify_module(module, &text);
                let limits = Limits { fuel: 100_000, max_heap: 1 << 24, ..Limits::default() };
                let _ = common::run_verified(&module, limits);
                compiled += 1;
            }
            eprintln!("compiled and ran {compiled}, rejected by the parser {rejected}");
            assert!(compiled > 3000 && rejected > 3000, "compiled {compiled}, rejected {rejected}");
        })
        .unwrap()
        .join()
        .unwrap();
}
