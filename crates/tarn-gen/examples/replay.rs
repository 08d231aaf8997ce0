//! Replays inputs through an oracle, as a fuzz target would, and says how long each took:
//! `cargo run --release -p tarn-gen --example replay -- <target> FILE...`, where target is
//! one of decode_verify, decode_run, compile, assemble, run_source.
use std::time::Instant;

use tarn_gen::oracle;

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("a target name");
    for path in args {
        let bytes = std::fs::read(&path).expect("readable input");
        let start = Instant::now();
        match target.as_str() {
            "decode_verify" => drop(oracle::decode_verify(&bytes)),
            "decode_run" => oracle::decode_verify_run(&bytes),
            "compile" => drop(oracle::compile_source(&bytes)),
            "assemble" => oracle::assemble_text(&bytes),
            "run_source" => oracle::run_source(&bytes),
            other => panic!("unknown target {other}"),
        }
        println!("{path}: {:.3}s", start.elapsed().as_secs_f64());
    }
}
