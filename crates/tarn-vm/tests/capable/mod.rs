//! Helpers shared by the capability library tests (`lib_io`, `lib_os`, `lib_package`,
//! `lib_capability`): a VM with chosen capabilities and captured output, and running a
//! snippet on Tarn and on `lua5.4`.

#![allow(dead_code, unused_imports)]

pub use std::path::Path;
pub use std::sync::{Arc, Mutex};

pub use tarn_vm::stdlib::{Capabilities, Capability};
pub use tarn_vm::{Limits, RuntimeError, Vm};

/// A VM with the standard library, the capability libraries with `caps`, a source
/// compiler, and `print`/`io.write` output captured.
pub fn vm_with(caps: Capabilities) -> (Vm, Arc<Mutex<Vec<u8>>>) {
    let mut vm = Vm::new(Limits::default()).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    tarn_vm::stdlib::open_capability_libs(&mut vm, &caps).unwrap();
    vm.set_compiler(Arc::new(|source: &[u8], chunkname: &str| {
        tarn_compiler::compile(source, chunkname).map_err(|e| e.to_string())
    }));
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    vm.set_output(move |bytes| {
        sink.lock().unwrap().extend_from_slice(bytes);
        Ok(())
    });
    (vm, output)
}

/// Compiles and runs `src` as chunk `=test`; returns what it printed.
pub fn run_in(vm: &mut Vm, output: &Arc<Mutex<Vec<u8>>>, src: &str) -> Result<String, RuntimeError> {
    let module = tarn_compiler::compile(src.as_bytes(), "=test").expect("test script compiles");
    let verified = tarn_bytecode::verify(module).expect("compiled code verifies");
    let f = vm.load(&verified)?;
    output.lock().unwrap().clear();
    vm.call(f, &[])?;
    let bytes = output.lock().unwrap().clone();
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs `src` on a VM with `caps`.
pub fn run_with(caps: Capabilities, src: &str) -> Result<String, RuntimeError> {
    let (mut vm, output) = vm_with(caps);
    run_in(&mut vm, &output, src)
}

/// Runs `src` with every capability, panicking with the error if it fails.
pub fn run(src: &str) -> String {
    run_with(Capabilities::all(), src).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The error `src` raises on a VM with `caps`.
pub fn error_with(caps: Capabilities, src: &str) -> String {
    match run_with(caps, src) {
        Ok(out) => panic!("expected an error, got output {out:?}"),
        Err(e) => e.message().to_string(),
    }
}

/// Where the reference interpreter is, when it is installed.
pub const LUA: &str = "/usr/bin/lua5.4";

/// Runs `src` with Tarn and, when `lua5.4` is installed, with it too, and checks that
/// both print the same; returns Tarn's output.
pub fn same_as_lua(src: &str) -> String {
    let ours = run(src);
    if Path::new(LUA).exists() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("script.lua");
        std::fs::write(&script, src).unwrap();
        let out = std::process::Command::new(LUA).arg(&script).output().unwrap();
        assert!(out.status.success(), "lua5.4 failed: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(ours, String::from_utf8_lossy(&out.stdout), "Tarn and lua5.4 differ on:\n{src}");
    }
    ours
}

/// `s` as a Lua string literal.
pub fn lua_string(s: &str) -> String {
    format!("{s:?}")
}

/// A temporary directory's path as a Lua string literal.
pub fn lua_path(p: &Path) -> String {
    lua_string(&p.to_string_lossy())
}

/// A script that starts with `local DIR = "<a fresh temporary directory>"`.
pub fn in_temp_dir(body: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let src = format!("local DIR = {}\n{body}", lua_path(dir.path()));
    (dir, src)
}
