//! Golden disassembly: for a handful of snippets in `tests/golden/*.lua`, the expected
//! `.tasm` (`tests/golden/*.tasm`) shows what code generation promises (constant and
//! immediate operands, fused branches, folding, register use). Run with `TARN_BLESS=1`
//! to rewrite the expected files after an intended change, and review the diff.
//!
//! Behaviour is tested elsewhere; a few direct assertions below keep the promises even
//! if a golden file is blessed carelessly.

mod common;

use std::path::Path;

#[test]
fn golden_disassembly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("TARN_BLESS").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for lua in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "lua")) {
        count += 1;
        let src = std::fs::read_to_string(lua).unwrap();
        let name = lua.file_name().unwrap().to_string_lossy().into_owned();
        let module = tarn_compiler::compile(src.as_bytes(), &format!("@{name}")).unwrap();
        let listing = tarn_bytecode::text::disassemble(common::verify_module(module, &src).module());
        let expected_path = lua.with_extension("tasm");
        if bless {
            std::fs::write(&expected_path, &listing).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != listing {
            failures.push(format!("--- {name}: expected {}\n{listing}", expected_path.display()));
        }
    }
    assert!(count >= 5, "golden snippets missing");
    assert!(failures.is_empty(), "disassembly changed (TARN_BLESS=1 to accept):\n{}", failures.join("\n"));
}

fn code(src: &str) -> String {
    common::disasm(src)
}

#[test]
fn specialised_instructions() {
    let has = |src: &str, what: &[&str]| {
        let listing = code(src);
        for w in what {
            assert!(listing.contains(w), "expected `{w}` for {src:?}:\n{listing}");
        }
    };
    let lacks = |src: &str, what: &[&str]| {
        let listing = code(src);
        for w in what {
            assert!(!listing.contains(w), "unexpected `{w}` for {src:?}:\n{listing}");
        }
    };
    has("local x = ... return x + 1", &["addi      r1, r0, 1"]);
    has("local x = ... return x - 1", &["addi      r1, r0, -1"]);
    has("local x = ... return 1 + x", &["addi      r1, r0, 1"]);
    has(
        "local x = ... return x * 3, x / 2.0, x % 7, x // 2, x ^ 2",
        &["mulk", "divk", "modk", "idivk", "powk"],
    );
    has(
        "local x = ... return x & 1, x | 2, x ~ 3, x << 1, x >> 1",
        &["bandk", "bork", "bxork", "shli", "shri"],
    );
    has("local x = ... return x - 0", &["subk"]);
    has("local x = ... return x + 100000", &["addk"]);
    has("local t = ... return t.x", &["getfield"]);
    has("local t = ... t.x = 1", &["setfield"]);
    has("local t = ... return t[3]", &["getindex  r1, r0, 3"]);
    has("local t = ... t[3] = 1", &["setindex  r0, 3,"]);
    has("local t, k = ... return t[k]", &["gettable"]);
    has("return x", &["gettabup"]);
    has("x = 1", &["settabup"]);
    has("local a = ... if a < 10 then return 1 end", &["jnlti     r0, 10"]);
    has("local a = ... if 10 < a then return 1 end", &["jngti     r0, 10"]);
    has("local a = ... if a >= 10 then return 1 end", &["jngei     r0, 10"]);
    has("local a = ... if a <= 10 then return 1 end", &["jnlei     r0, 10"]);
    has("local a = ... if a == 10 then return 1 end", &["jnei      r0, 10"]);
    has("local a = ... if a ~= 'x' then return 1 end", &["jeqk"]);
    has("local a = ... if a == nil then return 1 end", &["jnek"]);
    has("local a, b = ... if a < b then return 1 end", &["jnlt      r0, r1"]);
    has("local a, b = ... if a > b then return 1 end", &["jnlt      r1, r0"]);
    has("local a, b = ... return a < b", &["jlt", "loadfalse", "loadtrue"]);
    has("local a = ... while a do a = a.next end", &["jfalse    r0"]);
    has("local x = ... return x .. 'a' .. x .. 1", &["concat    r1, r1, 4"]);
    has("local o = ... o:m(1)", &["self      r1, r0"]);
    has("return 300, 3.0, 1e300", &["loadint   r0, 300", "loadfloat r1, 3", "loadk     r2"]);
    // Folding, and what must not fold.
    has("return 2 * 3 + 1", &["loadint   r0, 7"]);
    lacks("return 2 * 3 + 1", &["mul", "add"]);
    has("return 1 // 0", &["idiv"]);
    has("return 1 % 0", &["mod"]);
    has("return 0/0", &["div"]);
    has("return -0.0", &["loadk"]);
    lacks("return -0.0", &["loadfloat", "unm"]);
    has("return '1' + 1", &["addi"]);
    lacks("return 1 + 1.0", &["add "]);
    has("local n <const> = 4 return n * 2", &["loadint   r0, 8"]);
    // Calls, tail calls and varargs.
    has("local function f(...) return f(...) end", &["vararg    r1, *", "tailcall  r0, *"]);
    has("local t = {...}", &["vararg    r1, *", "setlist   r0, *, 1"]);
    has("local a, b = ...", &["vararg    r0, 2"]);
    has("print((...))", &["vararg    r1, 1", "call      r0, 1, 0"]);
    // Closures close captured loop variables at the end of each iteration.
    has("for i = 1, 2 do local f = function() return i end end", &["close     r3", "forloop"]);
    lacks("for i = 1, 2 do local f = i end", &["close"]);
    lacks("do local k <const> = 1 local f = function() return k end end", &["close"]);
    // `if ... then break end` and `goto` become a single branch.
    has("for i = 1, 10 do if i == 7 then break end end", &["jeqi      r3, 7"]);
    lacks("for i = 1, 10 do if i == 7 then break end end", &["jmp"]);
    has("local i = 0 ::top:: i = i + 1 if i < 3 then goto top end", &["jlti      r0, 3, @L1"]);
}

#[test]
fn big_constructor_is_batched() {
    let items: Vec<String> = (1..=120).map(|i| i.to_string()).collect();
    let listing = code(&format!("local t = {{{}}}", items.join(", ")));
    assert!(listing.contains("newtable  r0, 120, 0"), "{listing}");
    assert!(listing.contains("setlist   r0, 50, 1"), "{listing}");
    assert!(listing.contains("setlist   r0, 50, 51"), "{listing}");
    assert!(listing.contains("setlist   r0, 20, 101"), "{listing}");
    let items: Vec<String> = (1..=300).map(|i| i.to_string()).collect();
    let listing = code(&format!("local t = {{{}}}", items.join(", ")));
    assert!(listing.contains("newtable  r0, 255, 0"), "size hints are capped:\n{listing}");
}
