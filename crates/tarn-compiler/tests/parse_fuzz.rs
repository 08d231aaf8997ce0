//! No-panic check: mutated Lua snippets (byte flips, insertions, deletions, splices,
//! token-ish inserts) must parse or fail with an error, never panic. Fixed seed, so a
//! failure reproduces; runs on a 2 MiB stack like the depth tests.
//!
//! Differential check: when `lua5.4` is installed, the same kind of mutated inputs go
//! through Lua's `load` too, and acceptance and the error message must be identical
//! (the test says it was skipped, on stderr, when `lua5.4` is missing).

mod common;

use tarn_compiler::{parse, print};

const CORPUS: &[&str] = &[
    "local a, b <const>, c <close> = 1, 2.5, nil",
    "x = 1 + 2 * 3 - 4 / 5 // 6 % 7 ^ 8 .. 'nine' .. [[ten]]",
    "local function f(a, b, ...) return a, b, ... end",
    "function t.a.b:m(x) self.x = x; return self end",
    "for i = 1, 10, 2 do local y = function() return i end end",
    "for k, v in pairs(t) do goto continue; ::continue:: end",
    "repeat local z = 1 until z > 0",
    "if a then b() elseif c then d() else e() end",
    "while true do break end do end ;;",
    "print \"hi\" f{1, 2; x = 3, [4] = 5,} o:m(1)(2)",
    "x = (f()) y = #t z = not not a == b and -x^2 or ~y",
    "y = 0x10, 0xff.8p1, 1e2, 9223372036854775808, \"a\\x41\\65\\u{48}\\z   b\"",
    "--[==[ long\ncomment ]==] local s = [=[\nlong\nstring]=] -- line",
    "local t = {f = function(...) local a, b = ... return a | b & 1 ~ 2 << 3 >> 4 end}",
    "goto l; local x; ::l::",
    "return function() return function() return upval end end",
    "local _ENV = {print = print} print(x)",
    "a, b.c, d[e] = f(), g:h(), (i)",
    "x = {[1] = {2, {3, {4}}}, y = {z = {}}}",
    "if x then return end return 1, 2;",
];

const PIECES: &[&str] = &[
    "(", ")", "{", "}", "[", "]", "[[", "]]", "[=[", "--", "--[[", "'", "\"", "\\", "\\z", "\\x", "\\u{",
    "\\300", "..", "...", "::", "=", "==", "~=", "<const>", "<close>", "<x>", "local", "function", "end",
    "goto", "break", "return", "0x", "1e", "3..2", ".5", "0x1p", "\n", "\r", "\r\n", "#", "\0", "\u{ff}",
    "not", "and", "or", "until", "repeat", "then", "else", "elseif", ",", ";", ":", ".", "@",
];

#[test]
fn corpus_parses() {
    for src in CORPUS {
        parse(src.as_bytes(), "=corpus").unwrap_or_else(|e| panic!("{src}: {e}"));
    }
}

#[test]
fn mutated_inputs_never_panic() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut rng = fastrand::Rng::with_seed(0x7a52_1e55);
            let (mut ok, mut err) = (0, 0);
            for i in 0..20_000 {
                let base = CORPUS[i % CORPUS.len()].as_bytes();
                let src = common::mutate(&mut rng, base, CORPUS, PIECES, 5);
                match parse(&src, "=fuzz") {
                    Ok(chunk) => {
                        let _ = print::chunk_to_string(&chunk);
                        ok += 1;
                    }
                    Err(e) => {
                        let msg = e.to_string();
                        assert!(msg.starts_with("fuzz:"), "{msg}");
                        err += 1;
                    }
                }
            }
            assert!(ok > 100 && err > 100, "ok {ok}, err {err}");
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Lua reads the cases (each packed as `s4`), loads each with chunk name `=fuzz` and
/// writes back "OK" or the error message, packed the same way.
const DIFF_SCRIPT: &str = r#"
local input, output = ...
local f = assert(io.open(input, "rb")); local data = f:read("a"); f:close()
local out, pos = {}, 1
while pos <= #data do
  local src
  src, pos = string.unpack("<s4", data, pos)
  local fn, err = load(src, "=fuzz", "t")
  out[#out + 1] = string.pack("<s4", fn and "OK" or err)
end
f = assert(io.open(output, "wb")); f:write(table.concat(out)); f:close()
"#;

fn read_packed(data: &[u8]) -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let mut pos = 0;
    while pos + 4 <= data.len() {
        let n = u32::from_le_bytes([data[pos], data[pos + 1], data[pos + 2], data[pos + 3]]) as usize;
        v.push(data[pos + 4..pos + 4 + n].to_vec());
        pos += 4 + n;
    }
    v
}

#[test]
fn mutated_inputs_match_lua() {
    if std::process::Command::new("lua5.4").arg("-v").output().is_err() {
        eprintln!("skipped: lua5.4 not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tarn-parse-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = fastrand::Rng::with_seed(0x9876);
    let mut cases = Vec::new();
    for i in 0..5000 {
        let src = common::mutate(&mut rng, CORPUS[i % CORPUS.len()].as_bytes(), CORPUS, PIECES, 5);
        if src.first() == Some(&0x1b) {
            continue; // Lua would take it for a binary chunk
        }
        cases.push(src);
    }
    let mut packed = Vec::new();
    for c in &cases {
        packed.extend_from_slice(&(c.len() as u32).to_le_bytes());
        packed.extend_from_slice(c);
    }
    let (input, output, script) = (dir.join("in.bin"), dir.join("out.bin"), dir.join("diff.lua"));
    std::fs::write(&input, &packed).unwrap();
    std::fs::write(&script, DIFF_SCRIPT).unwrap();
    let status = std::process::Command::new("lua5.4").arg(&script).arg(&input).arg(&output).status().unwrap();
    assert!(status.success());
    let lua = read_packed(&std::fs::read(&output).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(lua.len(), cases.len());
    let opts = tarn_compiler::ParseOptions { skip_first_line: false };
    let mut bad = Vec::new();
    for (src, want) in cases.iter().zip(&lua) {
        let got = match tarn_compiler::parse_with(src, "=fuzz", opts) {
            Ok(_) => b"OK".to_vec(),
            Err(e) => e.as_bytes().to_vec(),
        };
        if &got != want {
            bad.push(format!(
                "{:?}\n  lua: {}\n  got: {}",
                String::from_utf8_lossy(src),
                String::from_utf8_lossy(want),
                String::from_utf8_lossy(&got)
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        cases.len(),
        bad[..bad.len().min(10)].join("\n")
    );
}
