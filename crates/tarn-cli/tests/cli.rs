//! The `tarn` command as a user runs it: examples print the right output, subcommands
//! agree with each other, and bad input ends with a message and exit status 1 — never a
//! panic (status 101) or a signal.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tarn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tarn")).args(args).current_dir(root()).output().expect("tarn starts")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_clean_failure(o: &Output, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(1),
        "{what}: expected exit status 1, got {:?}; stderr: {}",
        o.status,
        stderr(o)
    );
    assert!(stderr(o).starts_with("tarn: "), "{what}: stderr: {}", stderr(o));
}

#[test]
fn examples_print_their_results() {
    for (file, expected) in [
        ("examples/fib.tasm", "832040\n"),
        ("examples/loop.tasm", "333333833333500000\t14.392726722865\n"),
        ("examples/counter.tasm", "3\n"),
    ] {
        let o = tarn(&["run", file]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        assert_eq!(stdout(&o), expected, "{file}");
    }
}

#[test]
fn asm_then_verify_disasm_and_run_the_binary() {
    let dir = tempdir();
    let tbc = dir.join("fib.tbc");
    let tbc = tbc.to_str().unwrap();
    let o = tarn(&["asm", "examples/fib.tasm", "-o", tbc]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tarn(&["verify", tbc]);
    assert!(o.status.success() && stdout(&o).ends_with(": ok\n"), "{}", stderr(&o));
    let o = tarn(&["run", tbc]);
    assert_eq!(stdout(&o), "832040\n");
    // The listing of the binary assembles back to the same binary.
    let listing = stdout(&tarn(&["disasm", tbc]));
    assert!(listing.contains("getupval"), "{listing}");
    let relisted = dir.join("relisted.tasm");
    std::fs::write(&relisted, &listing).unwrap();
    let again = dir.join("again.tbc");
    let o = tarn(&["asm", relisted.to_str().unwrap(), "-o", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(tbc).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn fuel_and_depth_limits_end_in_clean_errors() {
    let o = tarn(&["run", "examples/loop.tasm", "--fuel", "1000"]);
    assert_clean_failure(&o, "fuel");
    assert!(stderr(&o).contains("out of fuel"), "{}", stderr(&o));
    let o = tarn(&["run", "examples/fib.tasm", "--max-depth", "10"]);
    assert_clean_failure(&o, "depth");
    assert!(stderr(&o).contains("stack overflow"), "{}", stderr(&o));
    assert!(stderr(&o).contains("stack traceback:"), "{}", stderr(&o));
    let o = tarn(&["run", "examples/fib.tasm", "--max-heap", "lots"]);
    assert_eq!(o.status.code(), Some(2), "clap rejects a bad size: {}", stderr(&o));
}

#[test]
fn bad_files_are_reported_not_crashed_on() {
    let dir = tempdir();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.tbc", b"", "invalid module"),
        ("garbage.tbc", b"\x89TBC\r\n\x1a\nnot really", "invalid module"),
        ("bad.tasm", b".function f\n  frobnicate r0\n.end\n", "unknown mnemonic"),
        (
            "unverifiable.tasm",
            b".entry f\n.function f registers=1\n  move r0, r9\n  return r0, 1\n.end\n",
            "verification failed",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for cmd in ["run", "verify"] {
            let o = tarn(&[cmd, path.to_str().unwrap()]);
            assert_clean_failure(&o, name);
            assert!(stderr(&o).contains(message), "{name}: {}", stderr(&o));
        }
    }
    let o = tarn(&["run", "does/not/exist.tbc"]);
    assert_clean_failure(&o, "missing file");
}

/// Mutated binaries through the real binary: every run ends with status 0 or 1.
#[test]
fn mutated_binaries_never_crash_the_cli() {
    let dir = tempdir();
    let source = dir.join("loop.tbc");
    assert!(tarn(&["asm", "examples/loop.tasm", "-o", source.to_str().unwrap()]).status.success());
    let original = std::fs::read(&source).unwrap();
    let mut rng = fastrand::Rng::with_seed(42);
    for i in 0..60 {
        let mut bytes = original.clone();
        for _ in 0..rng.usize(1..6) {
            let at = rng.usize(0..bytes.len());
            bytes[at] = rng.u8(..);
        }
        if i % 3 != 0 {
            tarn_bytecode::binary::reseal(&mut bytes);
        }
        let path = dir.join(format!("m{i}.tbc"));
        std::fs::write(&path, &bytes).unwrap();
        for args in
            [vec!["verify", path.to_str().unwrap()], vec!["run", path.to_str().unwrap(), "--fuel", "100000"]]
        {
            let o = tarn(&args);
            let code = o.status.code();
            assert!(
                matches!(code, Some(0) | Some(1)),
                "{args:?}: status {:?}, stderr: {}",
                o.status,
                stderr(&o)
            );
        }
    }
}

fn tempdir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("tarn-cli-test-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn lua_source_runs_compiles_and_reports_errors_like_lua() {
    let dir = tempdir();
    let script = dir.join("script.lua");
    std::fs::write(
        &script,
        "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end\n\
         print(fib(20), 7 // 2, 7 / 2, 2^10, 'x' .. 1.5)\n\
         print(missing + 1)\n",
    )
    .unwrap();
    let script = script.to_str().unwrap();
    let o = tarn(&["run", script]);
    assert_eq!(stdout(&o), "6765\t3\t3.5\t1024.0\tx1.5\n");
    assert_clean_failure(&o, "runtime error");
    assert!(
        stderr(&o).contains("script.lua:3: attempt to perform arithmetic on a nil value (global 'missing')"),
        "{}",
        stderr(&o)
    );
    // Compiled, stripped, and run from the binary: same output.
    let tbc = dir.join("script.tbc");
    let o = tarn(&["compile", script, "-o", tbc.to_str().unwrap(), "--strip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&tarn(&["run", tbc.to_str().unwrap()])), "6765\t3\t3.5\t1024.0\tx1.5\n");
    // A float with no integer value in a bitwise operation is named, as lua names it.
    let bits = dir.join("bits.lua");
    std::fs::write(&bits, "local x = 1.5\nprint(2 | 3.0)\nprint(x | 1)\n").unwrap();
    let o = tarn(&["run", bits.to_str().unwrap()]);
    assert_eq!(stdout(&o), "3\n");
    assert!(
        stderr(&o).contains("bits.lua:3: number (local 'x') has no integer representation"),
        "{}",
        stderr(&o)
    );
    // Syntax errors read as lua's do.
    let bad = dir.join("bad.lua");
    std::fs::write(&bad, "x = = 1\n").unwrap();
    let o = tarn(&["run", bad.to_str().unwrap()]);
    assert_clean_failure(&o, "syntax error");
    assert!(stderr(&o).contains("bad.lua:1: unexpected symbol near '='"), "{}", stderr(&o));
}
