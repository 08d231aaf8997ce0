//! Generated Lua programs give the same output and errors under Tarn and `lua5.4`.
//!
//! By default a bounded run for CI: a fixed seed, at most `TARN_DIFF_PROGRAMS` programs
//! (1000) within `TARN_DIFF_SECONDS` (30). A long run:
//! `TARN_DIFF_PROGRAMS=10000 TARN_DIFF_SECONDS=100000 cargo test --release -p tarn-gen --test differential`.
//! Programs that differ are written to `TARN_DIFF_KEEP` (default `target/differential`)
//! with both outputs, and the test fails. Without `lua5.4` the test says it was skipped.

use std::io::Write;
use std::time::{Duration, Instant};

use tarn_gen::diff::{self, Comparison};
use tarn_gen::luagen::{program, Shape};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn generated_programs_agree_with_lua() {
    let Some(lua) = diff::lua_command() else {
        // Straight to the terminal: the harness would hide a passing test's output.
        let _ = writeln!(std::io::stderr(), "skipped: lua5.4 not installed (differential test not run)");
        return;
    };
    let count = env_or("TARN_DIFF_PROGRAMS", 1000);
    let budget = Duration::from_secs(env_or("TARN_DIFF_SECONDS", 30));
    let seed = env_or("TARN_DIFF_SEED", 0x0005_eed1);
    let keep = std::env::var("TARN_DIFF_KEEP")
        .unwrap_or_else(|_| format!("{}/../../target/differential", env!("CARGO_MANIFEST_DIR")));
    let start = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut compared, mut lua_errors, mut differ, mut lua_crashes) = (0u64, 0u64, Vec::new(), Vec::new());
    while compared < count && start.elapsed() < budget {
        let source = program(&mut rng, Shape::default());
        compared += 1;
        let keep_program = |what: &str, report: &str| {
            std::fs::create_dir_all(&keep).expect("directory for kept programs");
            let path = format!("{keep}/{what}-{seed:x}-{compared}.lua");
            std::fs::write(&path, &source).expect("write the program");
            std::fs::write(format!("{path}.diff"), report).expect("write the report");
            path
        };
        match diff::compare(&lua, &source) {
            Comparison::Agree { failed } => lua_errors += u64::from(failed),
            Comparison::Differ(difference) => {
                let path = keep_program("program", &difference.to_string());
                differ.push(format!("{path}:\n{difference}"));
            }
            // Reported, not failed: a bug of the reference, which Tarn cannot fix.
            Comparison::LuaCrashed(run) => {
                lua_crashes.push(keep_program("lua-crash", &format!("{:?}", run.error)));
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "differential: {compared} programs in {:.1}s, {} differ, {lua_errors} ended in an error under both, \
         {} crashed lua5.4 itself{}",
        start.elapsed().as_secs_f64(),
        differ.len(),
        lua_crashes.len(),
        if lua_crashes.is_empty() { String::new() } else { format!(" (kept: {})", lua_crashes.join(", ")) }
    );
    assert!(differ.is_empty(), "{} of {compared} programs differ:\n{}", differ.len(), differ.join("\n"));
}
