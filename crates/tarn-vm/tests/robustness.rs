//! No input crashes Tarn: thousands of random and mutated modules go through
//! decode → verify → load → run with small limits, and every one must end in `Ok` or a
//! clean error. A panic anywhere fails the test.
//!
//! Three sources of modules, so that the interpreter itself is reached and not only the
//! front door:
//! - structurally random modules (`testgen::random_module`), mostly rejected by the verifier;
//! - byte-level mutations of encoded modules (bit flips, truncation, splices, overwrites),
//!   resealed so they get past the checksum to the decoder's deeper checks;
//! - instruction-level mutations of the valid example programs, many of which still verify
//!   and then run odd code on real values.

use tarn_bytecode::testgen::{random_instr, random_module, Shape};
use tarn_bytecode::{binary, text, verify, Module};
use tarn_vm::{Limits, Vm};

fn examples() -> Vec<Module> {
    [
        include_str!("../../../examples/fib.tasm"),
        include_str!("../../../examples/loop.tasm"),
        include_str!("../../../examples/counter.tasm"),
    ]
    .iter()
    .map(|src| text::assemble(src).expect("example assembles"))
    .collect()
}

fn limits() -> Limits {
    Limits { fuel: 5_000, max_heap: 256 * 1024, max_depth: 64, max_stack: 4096, ..Limits::default() }
}

#[derive(Default, Debug)]
struct Tally {
    decoded: usize,
    verified: usize,
    ran_ok: usize,
    ran_err: usize,
}

/// Verifies and runs `m` under small limits; never panics unless Tarn has a bug.
fn exercise(m: Module, tally: &mut Tally) {
    let Ok(verified) = verify(m) else { return };
    tally.verified += 1;
    let mut vm = Vm::new(limits()).expect("vm");
    vm.register("print", |_, _, _| Ok(())).expect("register");
    vm.register("clock", |_, _, _| Ok(())).expect("register");
    let Ok(entry) = vm.load(&verified) else { return };
    if entry.is_nil() {
        return;
    }
    match vm.call(entry, &[]) {
        Ok(_) => tally.ran_ok += 1,
        Err(e) => {
            assert!(!e.message().is_empty());
            tally.ran_err += 1;
            if vm.is_suspended() {
                // Resuming must also be safe, then give up.
                let _ = vm.resume(1_000);
                vm.abandon();
            }
        }
    }
}

fn mutate_bytes(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>, donor: &[u8]) {
    match rng.u8(0..5) {
        0 => {
            for _ in 0..rng.usize(1..4) {
                if !bytes.is_empty() {
                    let i = rng.usize(0..bytes.len());
                    bytes[i] ^= 1 << rng.u8(0..8);
                }
            }
        }
        1 => bytes.truncate(rng.usize(0..=bytes.len())),
        2 => {
            // Splice a piece of another module in.
            if !donor.is_empty() && !bytes.is_empty() {
                let from = rng.usize(0..donor.len());
                let len = rng.usize(0..=(donor.len() - from).min(32));
                let at = rng.usize(0..bytes.len());
                bytes.splice(at..at, donor[from..from + len].iter().copied());
            }
        }
        3 => {
            for _ in 0..rng.usize(1..8) {
                if !bytes.is_empty() {
                    let i = rng.usize(0..bytes.len());
                    bytes[i] = rng.u8(..);
                }
            }
        }
        _ => {
            // Large values in likely count positions.
            if bytes.len() > 8 {
                let i = rng.usize(0..bytes.len() - 5);
                bytes[i..i + 5].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
            }
        }
    }
}

#[test]
fn random_modules_never_crash() {
    let mut rng = fastrand::Rng::with_seed(0x7a12);
    let mut tally = Tally::default();
    for _ in 0..3000 {
        let m = random_module(&mut rng, Shape::default());
        exercise(m, &mut tally);
    }
    eprintln!("random modules: {tally:?}");
}

#[test]
fn mutated_encodings_never_crash() {
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let seeds: Vec<Vec<u8>> = examples().iter().map(binary::encode).collect();
    let mut tally = Tally::default();
    for i in 0..6000 {
        let mut bytes = seeds[i % seeds.len()].clone();
        let donor = &seeds[(i + 1) % seeds.len()];
        for _ in 0..rng.usize(1..4) {
            mutate_bytes(&mut rng, &mut bytes, donor);
        }
        if rng.u8(0..4) != 0 {
            binary::reseal(&mut bytes);
        }
        if let Ok(m) = binary::decode(&bytes) {
            tally.decoded += 1;
            exercise(m, &mut tally);
        }
    }
    eprintln!("mutated encodings: {tally:?}");
    assert!(tally.decoded > 100, "resealed mutations should often decode: {tally:?}");
}

#[test]
fn mutated_instructions_never_crash() {
    let mut rng = fastrand::Rng::with_seed(0xc0de);
    let bases = examples();
    let mut tally = Tally::default();
    for i in 0..6000 {
        let mut m = bases[i % bases.len()].clone();
        for _ in 0..rng.usize(1..4) {
            let f = rng.usize(0..m.functions.len());
            let function = &mut m.functions[f];
            let len = function.code.len();
            let pc = rng.usize(0..len);
            function.code[pc] = random_instr(&mut rng, len);
        }
        exercise(m, &mut tally);
    }
    eprintln!("mutated instructions: {tally:?}");
    assert!(
        tally.ran_ok + tally.ran_err > 200,
        "many mutants should still verify and reach the interpreter: {tally:?}"
    );
}
