//! A small byte mutator for the stable, bounded fuzz run (`tests/fuzz_smoke.rs`).
//!
//! libFuzzer mutates far better, guided by coverage; this exists so that CI, on the
//! stable toolchain and without libFuzzer, still pushes thousands of malformed inputs
//! through every oracle from a fixed seed. The mutations are libFuzzer's simplest:
//! bit flips, byte overwrites, insertions and deletions, copies within the input,
//! splices from another seed input, and tokens from a dictionary (Lua keywords,
//! assembler mnemonics, boundary numbers), which reach far more of a parser than
//! random bytes do.

/// Applies one to four random mutations to `input`, taking material from `donor` and
/// `dictionary`, and keeps it within `max_len` bytes.
pub fn mutate(
    rng: &mut fastrand::Rng,
    input: &mut Vec<u8>,
    donor: &[u8],
    dictionary: &[&[u8]],
    max_len: usize,
) {
    for _ in 0..rng.usize(1..=4) {
        mutate_once(rng, input, donor, dictionary);
    }
    input.truncate(max_len);
}

fn mutate_once(rng: &mut fastrand::Rng, input: &mut Vec<u8>, donor: &[u8], dictionary: &[&[u8]]) {
    let len = input.len();
    let at = |rng: &mut fastrand::Rng| rng.usize(0..=len);
    match rng.u8(0..8) {
        0 if len > 0 => {
            let i = rng.usize(0..len);
            input[i] ^= 1 << rng.u8(0..8);
        }
        1 if len > 0 => {
            let i = rng.usize(0..len);
            input[i] = *rng
                .choice(&[0u8, 0xff, 0x7f, 0x80, b'0', b'9', b'"', b'(', b'[', b'{', b'\n'])
                .unwrap_or(&0);
        }
        2 => {
            let i = at(rng);
            input.insert(i, rng.u8(..));
        }
        3 if len > 0 => {
            let start = rng.usize(0..len);
            let end = (start + rng.usize(1..=16)).min(len);
            input.drain(start..end);
        }
        4 if len > 0 => {
            // Copy a piece of the input elsewhere in it: repeats structure.
            let start = rng.usize(0..len);
            let end = (start + rng.usize(1..=32)).min(len);
            let piece = input[start..end].to_vec();
            let i = at(rng);
            input.splice(i..i, piece);
        }
        5 if !donor.is_empty() => {
            let start = rng.usize(0..donor.len());
            let end = (start + rng.usize(1..=64)).min(donor.len());
            let i = at(rng);
            input.splice(i..i, donor[start..end].iter().copied());
        }
        6 if !dictionary.is_empty() => {
            let word = dictionary[rng.usize(0..dictionary.len())];
            let i = at(rng);
            input.splice(i..i, word.iter().copied());
        }
        _ if len > 0 => {
            // Repeat a short run many times: deep nesting, long lists.
            let start = rng.usize(0..len);
            let end = (start + rng.usize(1..=4)).min(len);
            let piece = input[start..end].repeat(rng.usize(2..64));
            let i = at(rng);
            input.splice(i..i, piece);
        }
        _ => input.push(rng.u8(..)),
    }
}

/// Words that reach deeper into Lua's grammar and library than random bytes.
pub const LUA_WORDS: &[&[u8]] = &[
    b" and ",
    b" or ",
    b" not ",
    b"local ",
    b"function ",
    b" end ",
    b" do ",
    b"while ",
    b"repeat ",
    b" until ",
    b"if ",
    b" then ",
    b" else ",
    b"elseif ",
    b"for ",
    b" in ",
    b"return ",
    b"break ",
    b"goto ",
    b"::l::",
    b"<close>",
    b"<const>",
    b"...",
    b"..",
    b"//",
    b"<<",
    b">>",
    b"~=",
    b"==",
    b"#",
    b"[[",
    b"]]",
    b"--[[",
    b"=",
    b"(",
    b")",
    b"{",
    b"}",
    b"[",
    b"]",
    b";",
    b",",
    b":",
    b"\"",
    b"'",
    b"\\",
    b"0x7fffffffffffffff",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"1e308",
    b"0/0",
    b"math.huge",
    b"pcall(",
    b"error(",
    b"setmetatable({}, {__index = ",
    b"__gc",
    b"__close",
    b"__call",
    b"__eq",
    b"__lt",
    b"__concat",
    b"coroutine.wrap(function() ",
    b"coroutine.yield(",
    b"string.rep(\"x\", 1e6)",
    b"string.format(\"%",
    b"table.concat(",
    b"table.sort(",
    b"load(\"",
    b"select(\"#\", ",
    b"collectgarbage()",
    b"debug.sethook(",
    b"string.gsub(",
    b"(\"x\"):rep(99)",
    b"t[#t + 1] = ",
    b"for i = 1, 1e9 do ",
    b"while true do ",
];

/// Words of the `.tasm` language: every token of the listings of a few generated
/// modules (so every directive and mnemonic the disassembler writes), and boundary
/// numbers.
pub fn tasm_words() -> Vec<Vec<u8>> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut words = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let module = crate::modgen::valid_module(&mut rng, crate::modgen::Shape::default());
        let text = tarn_bytecode::text::disassemble(&module);
        words.extend(text.split_whitespace().map(|w| format!(" {w} ").into_bytes()));
    }
    for word in ["\n", "-32768", "65535", "4294967295", "1e999", "nan", "-0.0", "0x", "\"", "*", ";"] {
        words.insert(word.as_bytes().to_vec());
    }
    words.into_iter().collect()
}
