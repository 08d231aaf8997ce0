//! Shared helpers for the code generation tests: compile Lua source, verify the module,
//! run it on the VM with a `print` that writes to a buffer, and compare the output with
//! an expectation and, where `lua5.4` is installed, with what `lua5.4` prints.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use tarn_bytecode::{text, verify, Module, VerifiedModule};
use tarn_compiler::compile;
use tarn_vm::{Limits, Vm};

/// The chunk name used everywhere, so error messages read like `lua5.4 -`'s.
pub const CHUNK: &str = "=stdin";

/// `src` shortened for failure messages.
pub fn excerpt(src: &str) -> String {
    if src.len() <= 2000 {
        return src.to_string();
    }
    let mut end = 2000;
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &src[..end], src.len())
}

/// The disassembly for failure messages (shortened like [`excerpt`]).
fn listing(src: &str) -> String {
    excerpt(&disasm(src))
}

/// Compiles `src` and verifies the module, panicking with the disassembly on failure.
pub fn compile_verified(src: &str) -> VerifiedModule {
    let module = match compile(src.as_bytes(), CHUNK) {
        Ok(m) => m,
        Err(e) => panic!("compile error: {e}\nsource:\n{}", excerpt(src)),
    };
    verify_module(module, src)
}

pub fn verify_module(module: Module, src: &str) -> VerifiedModule {
    let listing = text::disassemble(&module);
    match verify(module) {
        Ok(v) => v,
        Err(e) => {
            panic!("verifier rejected the module: {e}\nsource:\n{}\n{}", excerpt(src), excerpt(&listing))
        }
    }
}

/// The disassembly of `src`'s module (verified).
pub fn disasm(src: &str) -> String {
    text::disassemble(compile_verified(src).module())
}

/// Runs `src` on Tarn: the printed output, then the error message if it failed.
pub fn run(src: &str) -> (String, Option<String>) {
    let module = compile_verified(src);
    run_verified(&module, Limits::default())
}

pub fn run_verified(module: &VerifiedModule, limits: Limits) -> (String, Option<String>) {
    let out = Arc::new(Mutex::new(String::new()));
    let mut vm = Vm::new(limits).expect("vm");
    let sink = out.clone();
    vm.register("print", move |vm, args, _| {
        let line: Vec<String> = args.iter().map(|&v| vm.to_display(v)).collect();
        let mut s = sink.lock().unwrap();
        s.push_str(&line.join("\t"));
        s.push('\n');
        Ok(())
    })
    .expect("register print");
    let err = match vm.load(module) {
        Ok(main) => vm.call(main, &[]).err().map(|e| e.message().to_string()),
        Err(e) => Some(e.message().to_string()),
    };
    let printed = out.lock().unwrap().clone();
    (printed, err)
}

/// Runs `src` with `lua5.4`: its output and error message (the first line of stderr,
/// without the `lua5.4: ` prefix). `None` when `lua5.4` is not installed.
pub fn run_lua(src: &str) -> Option<(String, Option<String>)> {
    let mut child = match Command::new("lua5.4")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("SKIPPED comparison with lua5.4: not installed");
            return None;
        }
    };
    child.stdin.take().expect("stdin").write_all(src.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("lua5.4 runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let err = if output.status.success() {
        None
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").to_string();
        Some(first.strip_prefix("lua5.4: ").unwrap_or(&first).to_string())
    };
    Some((stdout, err))
}

/// Runs `src` on Tarn and checks it prints `expected` without error; also checks that
/// `lua5.4` agrees (when installed).
#[track_caller]
pub fn check(src: &str, expected: &str) {
    let (out, err) = run(src);
    assert_eq!(err, None, "runtime error\nsource:\n{}\n{}", excerpt(src), listing(src));
    assert_eq!(out, expected, "output differs\nsource:\n{}\n{}", excerpt(src), listing(src));
    if let Some((lua_out, lua_err)) = run_lua(src) {
        assert_eq!(lua_err, None, "lua5.4 failed on the test itself\nsource:\n{}", excerpt(src));
        assert_eq!(lua_out, expected, "the expectation is not what lua5.4 prints\nsource:\n{}", excerpt(src));
    }
}

/// Runs `src` on Tarn and on `lua5.4` and checks both print the same and fail (or not)
/// with the same message. Without `lua5.4`, only checks that Tarn compiles and runs it.
#[track_caller]
pub fn same_as_lua(src: &str) {
    let (out, err) = run(src);
    match run_lua(src) {
        Some((lua_out, lua_err)) => {
            assert_eq!(
                out,
                lua_out,
                "output differs from lua5.4\nsource:\n{}\n{}",
                excerpt(src),
                listing(src)
            );
            assert_eq!(
                err,
                lua_err,
                "error differs from lua5.4\nsource:\n{}\n{}",
                excerpt(src),
                listing(src)
            );
        }
        None => eprintln!("(tarn output: {out:?}, error: {err:?})"),
    }
}

/// Runs `src` on Tarn and checks it prints `expected_out` and then fails with
/// `expected_err`; also checks `lua5.4` agrees.
#[track_caller]
pub fn check_error(src: &str, expected_out: &str, expected_err: &str) {
    let (out, err) = run(src);
    assert_eq!(out, expected_out, "output differs\nsource:\n{}\n{}", excerpt(src), listing(src));
    assert_eq!(
        err.as_deref(),
        Some(expected_err),
        "error differs\nsource:\n{}\n{}",
        excerpt(src),
        listing(src)
    );
    if let Some((lua_out, lua_err)) = run_lua(src) {
        assert_eq!(lua_out, expected_out, "lua5.4 output differs\nsource:\n{}", excerpt(src));
        assert_eq!(lua_err.as_deref(), Some(expected_err), "lua5.4 error differs\nsource:\n{}", excerpt(src));
    }
}

/// A mutation of `src` for robustness tests: up to `rounds` edits, each a bit flip, a
/// deletion, an inserted fragment from `pieces`, a splice from another `corpus` entry, an
/// inserted random byte, or a duplicated run of its own bytes.
pub fn mutate(
    rng: &mut fastrand::Rng,
    src: &[u8],
    corpus: &[&str],
    pieces: &[&str],
    rounds: usize,
) -> Vec<u8> {
    let mut v = src.to_vec();
    for _ in 0..rng.usize(1..=rounds.max(1)) {
        let pos = if v.is_empty() { 0 } else { rng.usize(0..=v.len()) };
        match rng.u8(0..6) {
            0 if !v.is_empty() => {
                let i = pos.min(v.len() - 1);
                v[i] ^= 1 << rng.u8(0..8);
            }
            1 if !v.is_empty() => {
                let end = (pos + rng.usize(1..8)).min(v.len());
                v.drain(pos.min(end)..end);
            }
            2 if !pieces.is_empty() => {
                let piece = pieces[rng.usize(0..pieces.len())];
                v.splice(pos..pos, piece.bytes());
            }
            3 if !corpus.is_empty() => {
                let other = corpus[rng.usize(0..corpus.len())].as_bytes();
                let a = rng.usize(0..=other.len());
                let b = rng.usize(a..=other.len());
                v.splice(pos..pos, other[a..b].iter().copied());
            }
            4 => v.insert(pos, rng.u8(..)),
            _ => {
                if !v.is_empty() {
                    let a = rng.usize(0..v.len());
                    let b = rng.usize(a..=v.len());
                    let dup: Vec<u8> = v[a..b].to_vec();
                    v.splice(pos..pos, dup);
                }
            }
        }
    }
    v
}
