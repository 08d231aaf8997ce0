//! Runs Lua snippets on Tarn (with the standard library) and, when `lua5.4` is installed,
//! on the reference interpreter too, so every expectation is checked to be true Lua.
//!
//! Output is what `print` wrote; an uncaught error adds a last line `error: <message>`.
//! The chunk is named `test` on both sides, so positions read `test:3:`.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use tarn_vm::{Limits, RuntimeError, Vm};

/// Runs `src` on a fresh VM with `limits`: what it printed, and how it ended.
pub fn tarn_with(limits: Limits, src: &str) -> (String, Result<(), RuntimeError>) {
    let mut vm = Vm::new(limits).expect("vm");
    tarn_vm::stdlib::open_all(&mut vm).expect("stdlib opens");
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&buf);
    vm.set_output(move |bytes| {
        sink.lock().unwrap().extend_from_slice(bytes);
        Ok(())
    });
    let module = tarn_compiler::compile(src.as_bytes(), "=test").expect("snippet compiles");
    let verified = tarn_bytecode::verify(module).expect("snippet verifies");
    let f = vm.load(&verified).expect("snippet loads");
    let result = vm.call(f, &[]).map(|_| ());
    let out = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (out, result)
}

/// Tarn's output for `src`, with an uncaught error as a last `error:` line.
pub fn tarn(src: &str) -> String {
    let (mut out, result) = tarn_with(Limits::default(), src);
    if let Err(e) = result {
        out.push_str(&format!("error: {}\n", e.message()));
    }
    out
}

/// `lua5.4`'s output for `src` in the same form, or `None` when it is not installed.
pub fn lua(src: &str) -> Option<String> {
    let dir =
        std::env::temp_dir().join(format!("tarn-lib-test-{}-{:x}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::File::create(dir.join("test")).ok()?.write_all(src.as_bytes()).ok()?;
    let output = Command::new("lua5.4").arg("test").current_dir(&dir).stdin(Stdio::null()).output();
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.ok()?;
    let mut out = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let first = err.lines().next().unwrap_or("");
        out.push_str(&format!("error: {}\n", first.strip_prefix("lua5.4: ").unwrap_or(first)));
    }
    Some(out)
}

/// Asserts that Tarn prints `expected` for `src`, and that `lua5.4` does too when present.
pub fn check(src: &str, expected: &str) {
    match lua(src) {
        Some(reference) => {
            assert_eq!(reference, expected, "lua5.4 disagrees with the expectation for:\n{src}")
        }
        None => eprintln!("note: lua5.4 not found; comparing with the written expectation only"),
    }
    assert_eq!(tarn(src), expected, "tarn output for:\n{src}");
}

/// Asserts that Tarn prints what `lua5.4` prints for `src` (skipped without `lua5.4`).
pub fn same_as_lua(src: &str) {
    match lua(src) {
        Some(reference) => assert_eq!(tarn(src), reference, "tarn vs lua5.4 for:\n{src}"),
        None => eprintln!("note: lua5.4 not found; skipping a differential check"),
    }
}
