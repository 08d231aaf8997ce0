//! The valid-module generator: its modules pass the verifier (measured, held above 90%),
//! cover every instruction of the table, and run under small limits without a panic, each
//! twice with the same outcome. `TARN_GEN_MODULES` sets how many (2 000).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use tarn_bytecode::{verify, Opcode};
use tarn_gen::modgen::{valid_module, Shape};
use tarn_gen::oracle;

#[test]
fn generated_modules_verify_cover_every_opcode_and_run() {
    let mut rng = fastrand::Rng::with_seed(0x600d_c0de);
    // More for a long run: TARN_GEN_MODULES=200000 cargo test --release ...
    let total: usize = std::env::var("TARN_GEN_MODULES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let mut accepted = 0;
    let mut rejections: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen: BTreeSet<Opcode> = BTreeSet::new();
    let mut endings: BTreeMap<String, usize> = BTreeMap::new();
    let mut fuel_used = 0u64;
    for _ in 0..total {
        let module = valid_module(&mut rng, Shape::default());
        match verify(module) {
            Ok(verified) => {
                accepted += 1;
                seen.extend(verified.module().functions.iter().flat_map(|f| &f.code).map(|i| i.opcode()));
                let outcome = oracle::run_module_checked(&verified);
                fuel_used += oracle::limits().fuel - outcome.fuel_left;
                let kind = outcome.ended.split(':').next().unwrap_or("").to_string();
                *endings.entry(kind).or_default() += 1;
            }
            Err(e) => {
                // Group by reason, without the function and pc.
                let reason = e.to_string();
                let reason = reason.split(": ").last().unwrap_or(&reason).to_string();
                *rejections.entry(reason).or_default() += 1;
            }
        }
    }
    let rate = accepted as f64 / total as f64;
    let _ = writeln!(
        std::io::stderr(),
        "valid modules: {accepted} of {total} accepted by the verifier ({:.1}%), every one run",
        rate * 100.0
    );
    println!("rejections: {rejections:#?}");
    println!("runs ended: {endings:?}; fuel used per run {}", fuel_used / accepted.max(1) as u64);
    let missing: Vec<&Opcode> = Opcode::ALL.iter().filter(|op| !seen.contains(op)).collect();
    assert!(missing.is_empty(), "opcodes never generated in an accepted module: {missing:?}");
    assert!(rate > 0.9, "acceptance rate {rate}");
}
