//! Writes generated inputs for a fuzz corpus:
//! `cargo run --release -p tarn-gen --example seeds -- DIR KIND COUNT [SEED]`, where KIND
//! is `tbc` (valid modules, encoded), `tasm` (valid modules, disassembled) or `lua`
//! (generated programs). `fuzz/run.sh` adds them to a new corpus. KIND `dict-lua` or
//! `dict-tasm` writes one libFuzzer dictionary file, `DIR/KIND.dict`, instead.
use tarn_gen::{luagen, modgen};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, kind, count, rest @ ..] = args.as_slice() else {
        panic!("usage: seeds DIR tbc|tasm|lua COUNT [SEED]");
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let seed = rest.first().map_or(1, |s| s.parse().expect("SEED is a number"));
    let mut rng = fastrand::Rng::with_seed(seed);
    std::fs::create_dir_all(dir).expect("corpus directory");
    if let Some(language) = kind.strip_prefix("dict-") {
        let words: Vec<Vec<u8>> = match language {
            "lua" => tarn_gen::mutate::LUA_WORDS.iter().map(|w| w.to_vec()).collect(),
            "tasm" => tarn_gen::mutate::tasm_words(),
            other => panic!("no dictionary for {other}"),
        };
        // libFuzzer's format: one quoted word a line, bytes outside ASCII as \xNN.
        let mut text = String::new();
        for word in words {
            text.push('"');
            for &b in &word {
                match b {
                    b'"' | b'\\' => text.push_str(&format!("\\{}", b as char)),
                    0x20..=0x7e => text.push(b as char),
                    _ => text.push_str(&format!("\\x{b:02X}")),
                }
            }
            text.push_str("\"\n");
        }
        std::fs::write(format!("{dir}/{kind}.dict"), text).expect("write the dictionary");
        return;
    }
    for i in 0..count {
        let bytes = match kind.as_str() {
            "tbc" => tarn_bytecode::binary::encode(&modgen::valid_module(&mut rng, modgen::Shape::default())),
            "tasm" => {
                tarn_bytecode::text::disassemble(&modgen::valid_module(&mut rng, modgen::Shape::default()))
                    .into_bytes()
            }
            "lua" => luagen::program(&mut rng, luagen::Shape::default()).into_bytes(),
            other => panic!("unknown kind {other}"),
        };
        std::fs::write(format!("{dir}/gen-{seed}-{i}.{kind}"), bytes).expect("write a seed");
    }
}
