//! The fuzz targets' bounded run for CI, on stable Rust: each oracle of
//! `tarn_gen::oracle` gets, first, every checked-in regression input
//! (`tests/regressions/<target>/`), then the repository's own inputs and mutations of
//! them from a fixed seed, for a time budget (`TARN_SMOKE_SECONDS` per target, 12 by
//! default). Any panic fails the test and leaves the input in `target/fuzz-smoke/`.
//!
//! libFuzzer (`fuzz/`, nightly) explores far more; this catches regressions on every
//! build with the same oracles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tarn_gen::mutate::{mutate, tasm_words, LUA_WORDS};
use tarn_gen::{luagen, modgen, oracle};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &str, extension: Option<&str>) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && extension.map_or(true, |x| p.extension().is_some_and(|e| e == x)))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).expect("readable input")).collect()
}

fn budget() -> Duration {
    let seconds = std::env::var("TARN_SMOKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    Duration::from_secs(seconds)
}

fn lua_seeds() -> Vec<Vec<u8>> {
    let mut seeds = files("tests/lua", Some("lua"));
    seeds.extend(files("tests/adversarial", Some("lua")));
    let mut rng = fastrand::Rng::with_seed(3);
    seeds.extend((0..20).map(|_| luagen::program(&mut rng, luagen::Shape::default()).into_bytes()));
    seeds
}

fn generated_modules(count: usize) -> Vec<tarn_bytecode::Module> {
    let mut rng = fastrand::Rng::with_seed(5);
    (0..count).map(|_| modgen::valid_module(&mut rng, modgen::Shape::default())).collect()
}

fn tasm_seeds() -> Vec<Vec<u8>> {
    let mut seeds = files("examples", Some("tasm"));
    seeds.extend(generated_modules(20).iter().map(|m| tarn_bytecode::text::disassemble(m).into_bytes()));
    seeds
}

fn binary_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = files("tests/lua", Some("lua"))
        .iter()
        .take(60)
        .filter_map(|src| tarn_compiler::compile(src, "=seed").ok())
        .map(|m| tarn_bytecode::binary::encode(&m))
        .collect();
    seeds.extend(generated_modules(40).iter().map(tarn_bytecode::binary::encode));
    seeds
}

/// Runs `oracle` on the regressions, then on seeds and their mutations until the budget
/// is spent, on a thread with room for unoptimised frames.
fn smoke(target: &'static str, seeds: Vec<Vec<u8>>, dictionary: Vec<Vec<u8>>, run: fn(&[u8])) {
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || smoke_loop(target, seeds, dictionary, run))
        .expect("thread starts");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

fn smoke_loop(target: &str, seeds: Vec<Vec<u8>>, dictionary: Vec<Vec<u8>>, run: fn(&[u8])) {
    let out = root().join("target/fuzz-smoke");
    std::fs::create_dir_all(&out).expect("output directory");
    // The input being run is written first, so even an abort (a stack overflow) leaves it.
    let current = out.join(format!("{target}-current"));
    let check = |input: &[u8], what: &str| {
        std::fs::write(&current, input).expect("write the current input");
        if std::panic::catch_unwind(|| run(input)).is_err() {
            let kept = out.join(format!("{target}-crash"));
            std::fs::write(&kept, input).expect("write the crashing input");
            panic!("{target}: {what} panicked; input in {}", kept.display());
        }
    };
    let regressions = files(&format!("tests/regressions/{target}"), None);
    for (i, input) in regressions.iter().enumerate() {
        check(input, &format!("regression input {i}"));
    }
    assert!(!seeds.is_empty(), "{target}: no seed inputs");
    let words: Vec<&[u8]> = dictionary.iter().map(Vec::as_slice).collect();
    let mut rng = fastrand::Rng::with_seed(0x5eed ^ target.len() as u64);
    let start = Instant::now();
    let mut runs = 0usize;
    while start.elapsed() < budget() {
        let seed = &seeds[runs % seeds.len()];
        let mut input = seed.clone();
        if runs >= seeds.len() || rng.bool() {
            let donor = &seeds[rng.usize(0..seeds.len())];
            mutate(&mut rng, &mut input, donor, &words, 1 << 16);
        }
        check(&input, &format!("run {runs}"));
        runs += 1;
    }
    let _ = std::fs::remove_file(&current);
    // Straight to the terminal: the harness would hide a passing test's output.
    let _ = writeln!(
        std::io::stderr(),
        "fuzz smoke {target}: {} regression inputs, {runs} runs in {:.1}s",
        regressions.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(runs > 50, "{target}: only {runs} runs in the budget");
}

fn lua_words() -> Vec<Vec<u8>> {
    LUA_WORDS.iter().map(|w| w.to_vec()).collect()
}

#[test]
fn decode_verify() {
    smoke("decode_verify", binary_seeds(), Vec::new(), |b| drop(oracle::decode_verify(b)));
}

#[test]
fn decode_run() {
    smoke("decode_run", binary_seeds(), Vec::new(), oracle::decode_verify_run);
}

#[test]
fn compile() {
    smoke("compile", lua_seeds(), lua_words(), |b| drop(oracle::compile_source(b)));
}

#[test]
fn assemble() {
    smoke("assemble", tasm_seeds(), tasm_words(), oracle::assemble_text);
}

#[test]
fn run_source() {
    smoke("run_source", lua_seeds(), lua_words(), oracle::run_source);
}
