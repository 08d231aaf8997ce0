//! Writes generated inputs for a fuzz corpus:
//! `cargo run --release -p tarn-gen --example seeds -- DIR KIND COUNT [SEED]`, where KIND
//! is `tbc` (valid modules, encoded), `tasm` (valid modules, disassembled) or `lua`
//! (generated programs). `fuzz/run.sh` adds them to a new corpus.
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
