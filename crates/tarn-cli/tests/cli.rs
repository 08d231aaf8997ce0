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

// ---- The lua-style command line: `tarn [options] [script [args]]` ----

/// Runs `tarn` with `input` on stdin (a pipe, never a terminal).
fn tarn_with_stdin(args: &[&str], input: &str) -> Output {
    run_with_stdin(env!("CARGO_BIN_EXE_tarn"), args, input).expect("tarn starts")
}

fn run_with_stdin(program: &str, args: &[&str], input: &str) -> std::io::Result<Output> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that exits without reading all of its input closes the pipe early.
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output()
}

/// `lua5.4` run the same way, when it is installed; `None` (with a note) when not.
fn lua(args: &[&str], input: &str) -> Option<Output> {
    match run_with_stdin("lua5.4", args, input) {
        Ok(o) => Some(o),
        Err(_) => {
            eprintln!("note: lua5.4 is not installed; skipping the comparison with it");
            None
        }
    }
}

/// The first line of stderr with the program name replaced, so `lua5.4: x` and
/// `tarn: x` compare equal (tracebacks differ: lua shows its C frames).
fn first_error_line(o: &Output, program: &str) -> String {
    let err = stderr(o);
    let line = err.lines().next().unwrap_or("").to_string();
    line.strip_prefix(&format!("{program}: ")).map(|l| format!("PROG: {l}")).unwrap_or(line)
}

/// Checks that tarn and lua5.4 print the same stdout, first stderr line and status.
/// Arguments are given in lua's form; `script` is written to a temporary file whose path
/// replaces `SCRIPT` in them.
fn same_as_lua(args: &[&str], script: &str, input: &str) {
    let dir = tempdir();
    let path = dir.join("script.lua");
    std::fs::write(&path, script).unwrap();
    let path = path.to_str().unwrap();
    let args: Vec<&str> = args.iter().map(|&a| if a == "SCRIPT" { path } else { a }).collect();
    let ours = tarn_with_stdin(&args, input);
    let Some(theirs) = lua(&args, input) else { return };
    // Program names differ (arg[0] or arg[-1] is the program); the tests print them
    // through this placeholder.
    let program_free = |o: &Output, name: &str| stdout(o).replace(name, "PROG");
    assert_eq!(
        program_free(&ours, env!("CARGO_BIN_EXE_tarn")),
        program_free(&theirs, "lua5.4"),
        "{args:?}: stdout differs; tarn stderr: {}",
        stderr(&ours)
    );
    assert_eq!(
        first_error_line(&ours, "tarn"),
        first_error_line(&theirs, "lua5.4"),
        "{args:?}: stderr differs"
    );
    assert_eq!(ours.status.code(), theirs.status.code(), "{args:?}: exit status differs");
}

const SHOW_ARGS: &str =
    "print(#arg, arg[-3], arg[-2], arg[-1], arg[0], arg[1], arg[2], arg[3])\nprint(...)\n";

#[test]
fn a_script_runs_with_its_arguments_in_arg_and_dots() {
    let dir = tempdir();
    let script = dir.join("args.lua");
    std::fs::write(&script, SHOW_ARGS).unwrap();
    let s = script.to_str().unwrap();
    let bin = env!("CARGO_BIN_EXE_tarn");
    let o = tarn(&[s, "a", "b c"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("2\tnil\tnil\t{bin}\t{s}\ta\tb c\tnil\na\tb c\n"));
    // `tarn run` is the same, with `run` among the negative indices.
    let o = tarn(&["run", s, "-x"]);
    assert_eq!(o.status.code(), Some(2), "clap takes -x as an option: {}", stderr(&o));
    let o = tarn(&["run", s, "a", "-x"]);
    assert_eq!(stdout(&o).lines().nth(1), Some("a\t-x"), "after the first argument, all are the script's");
    let o = tarn(&["run", s, "--", "-x"]);
    assert_eq!(stdout(&o), format!("1\tnil\t{bin}\trun\t{s}\t-x\tnil\tnil\n-x\n"), "{}", stderr(&o));
    // Options before the script get negative indices; after it, everything is the script's.
    let o = tarn(&["-e", "x = 1", s, "-e", "--fuel"]);
    assert_eq!(
        stdout(&o),
        format!("2\t{bin}\t-e\tx = 1\t{s}\t-e\t--fuel\tnil\n-e\t--fuel\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn script_arguments_match_lua() {
    same_as_lua(&["SCRIPT", "a", "b"], SHOW_ARGS, "");
    same_as_lua(&["-e", "y = 2", "SCRIPT", "-e", "--"], SHOW_ARGS, "");
    same_as_lua(&["--", "SCRIPT", "--"], SHOW_ARGS, "");
    same_as_lua(&["-", "x", "y"], "", SHOW_ARGS);
    same_as_lua(&["-e", "print(arg[0] ~= nil, arg[1], arg[2], #arg, ...)"], "", "");
    same_as_lua(&["-e", "a = 1", "-e", "print(a + 1)"], "", "");
    same_as_lua(&["-eprint(10)"], "", "");
}

#[test]
fn errors_match_lua() {
    same_as_lua(&["-e", "x = "], "", "");
    same_as_lua(&["-e", "print(1)", "-e", "y.z = 1", "-e", "print(2)"], "", "");
    same_as_lua(&["SCRIPT"], "print(1)\nlocal t\nprint(t.x)\n", "");
    same_as_lua(&["SCRIPT"], "x = = 2\n", "");
    same_as_lua(&["does-not-exist.lua"], "", "");
    same_as_lua(&["-", "a"], "", "print(...)\nprint(nope + 1)\n");
    for bad in ["-x", "-e", "--x", "-vi", "-i-"] {
        same_as_lua(&[bad], "", "");
    }
}

#[test]
fn command_line_chunks_are_named_command_line() {
    let o = tarn(&["-e", "print('first')", "-e", "local t = nil; print(t.x)"]);
    assert_eq!(stdout(&o), "first\n");
    assert_clean_failure(&o, "-e error");
    assert!(
        stderr(&o).starts_with(
            "tarn: (command line):1: attempt to index a nil value (local 't')\nstack traceback:"
        ),
        "{}",
        stderr(&o)
    );
    let o = tarn(&["-e", "x = = 1"]);
    assert_clean_failure(&o, "-e syntax error");
    assert_eq!(stderr(&o), "tarn: (command line):1: unexpected symbol near '='\n");
}

#[test]
fn stdin_is_run_when_it_is_not_a_terminal() {
    // `tarn` alone with a pipe on stdin runs it, as `lua` does.
    let o = tarn_with_stdin(&[], "print(1 + 1, ...)\n");
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("2\n", Some(0)), "{}", stderr(&o));
    // `-` does the same, with arguments; errors name `stdin`.
    let o = tarn_with_stdin(&["-", "x"], "#!/usr/bin/env tarn\nprint(...)\nprint(nope.x)\n");
    assert_eq!(stdout(&o), "x\n");
    assert_clean_failure(&o, "stdin error");
    assert!(
        stderr(&o).starts_with("tarn: stdin:3: attempt to index a nil value (global 'nope')"),
        "{}",
        stderr(&o)
    );
    // `--` makes `-` a file name.
    let o = tarn_with_stdin(&["--", "-"], "print(1)");
    assert_clean_failure(&o, "file named -");
    assert!(stderr(&o).starts_with("tarn: cannot open -"), "{}", stderr(&o));
}

#[test]
fn interactive_mode_reads_a_piped_stdin_line_by_line() {
    let input = "x = 20 + 1\nx, x * 2, 'hi'\nfunction f(a)\n  return a * 10\nend\nf(4)\nnope.y = 1\n= x\nlocal z = 5\nz\n";
    let o = tarn_with_stdin(&["-i"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let banner = out.lines().next().unwrap_or("");
    assert!(banner.starts_with("Tarn ") && banner.contains("Lua 5.4"), "{out}");
    assert_eq!(out.split_once('\n').map(|(_, rest)| rest), Some("21\t42\thi\n40\n21\nnil\n\n"), "{out}");
    assert!(
        stderr(&o).starts_with("stdin:1: attempt to index a nil value (global 'nope')\n"),
        "{}",
        stderr(&o)
    );
    // -e and the script run first, on the same VM.
    let o = tarn_with_stdin(&["-e", "base = 100", "-i"], "base + 1\n");
    assert!(stdout(&o).ends_with("\n101\n\n"), "{}", stdout(&o));
}

#[test]
fn repl_results_survive_a_collection_while_they_are_printed() {
    // The first value's __tostring collects garbage while the other results, held only
    // by the REPL, wait to be printed.
    let input = "setmetatable({}, {__tostring = function() collectgarbage() return 'x' end}), {}, 's' .. 1\n";
    let o = tarn_with_stdin(&["-i"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out.lines().nth(1).unwrap_or("");
    assert!(line.starts_with("x\ttable: 0x") && line.ends_with("\ts1"), "{out}");
}

#[test]
fn limits_work_on_lua_style_command_lines() {
    let dir = tempdir();
    let spin = dir.join("spin.lua");
    std::fs::write(&spin, "print('start')\nwhile true do end\n").unwrap();
    let o = tarn(&["--fuel", "10000", spin.to_str().unwrap()]);
    assert_eq!(stdout(&o), "start\n");
    assert_clean_failure(&o, "fuel");
    assert!(stderr(&o).contains("out of fuel"), "{}", stderr(&o));
    // Each REPL input gets the whole budget: the loop goes on after one runs out.
    let o = tarn_with_stdin(&["--fuel=10000", "-i"], "while true do end\n1 + 1\n");
    assert!(stderr(&o).contains("out of fuel"), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("\n2\n\n"), "{}", stdout(&o));
    let o = tarn(&["--max-depth", "nope", "x.lua"]);
    assert_clean_failure(&o, "bad limit");
    assert!(stderr(&o).contains("invalid value 'nope' for '--max-depth'"), "{}", stderr(&o));
}

#[test]
fn version_and_usage() {
    let o = tarn(&["-v"]);
    assert!(o.status.success() && stdout(&o).starts_with("Tarn 0."), "{}", stdout(&o));
    assert_eq!(stdout(&o).lines().count(), 1, "-v alone prints the banner and stops");
    let o = tarn(&["-h"]);
    assert!(o.status.success() && stdout(&o).contains("tarn [options] [script [args]]"), "{}", stdout(&o));
    let o = tarn(&["-q"]);
    assert_clean_failure(&o, "bad option");
    assert!(stderr(&o).contains("usage: tarn [options] [script [args]]"), "{}", stderr(&o));
}
