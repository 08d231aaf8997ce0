//! The host functions the `tarn` command grants to the code it runs, and the one way it
//! turns values into text (used by `print` and by the REPL when it shows results).
//!
//! The standard library proper lives in `tarn-vm`; what is here is what only a command
//! line host provides (standard output, a clock) and its grants: every capability
//! (files, environment, clock, exit, standard input, compiling source text at run time),
//! or none with `--sandbox`. `os.exit` is the host's to carry out: the hook given to the
//! `os` library flushes standard output and error and ends the process with the status.

use std::io::Write;
use std::sync::Arc;

use tarn_vm::stdlib::{Capabilities, Capability};

use tarn_vm::{RuntimeError, Value, Vm};

/// Values as `print` writes them: each through `tostring` (so `__tostring` and
/// `__name` apply), separated by tabs, without the final newline. Strings are written as
/// their bytes, which need not be UTF-8, as Lua writes them.
pub fn format_values(vm: &mut Vm, values: &[Value]) -> Result<Vec<u8>, RuntimeError> {
    // `tostring` may run Lua code (`__tostring`), and with it the collector: the values
    // wait in the registry meanwhile, where the collector sees them.
    let pinned = vm.new_table()?;
    for (i, &value) in values.iter().enumerate() {
        vm.set_table(pinned, Value::Int(i as i64 + 1), value)?;
    }
    let key = vm.new_string(b"tarn.values being printed")?;
    vm.set_table(vm.registry(), key, Value::Table(pinned))?;
    let line = format_pinned(vm, values);
    vm.set_table(vm.registry(), key, Value::Nil)?;
    line
}

fn format_pinned(vm: &mut Vm, values: &[Value]) -> Result<Vec<u8>, RuntimeError> {
    let mut line = Vec::new();
    for (i, &value) in values.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        let s = vm.tostring(value)?;
        line.extend_from_slice(vm.heap().str(s).as_bytes());
    }
    Ok(line)
}

/// What scripts are granted: everything, or nothing under `--sandbox`.
pub fn capabilities(sandbox: bool) -> Capabilities {
    if sandbox {
        Capabilities::none()
    } else {
        Capabilities::all()
    }
}

/// `os.exit(status)`: flush what was written, then end the process with `status`.
fn exit_process(status: i32) {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(status);
}

/// Opens the standard library and the capability libraries with the grants `caps`,
/// grants source loading when `caps` has it, makes `print` importable by `.tasm`
/// modules, and registers `clock`.
pub fn install_with(vm: &mut Vm, caps: Capabilities) -> Result<(), RuntimeError> {
    tarn_vm::stdlib::open_all(vm)?;
    tarn_vm::stdlib::open_capability_libs_with_exit(vm, &caps, Some(Arc::new(exit_process)))?;
    if caps.has(Capability::Load) {
        vm.set_compiler(Arc::new(|source: &[u8], chunkname: &str| {
            tarn_compiler::compile(source, chunkname).map_err(|e| e.to_string())
        }));
    }
    let print = vm.get_global("print")?;
    vm.provide("print", print)?;
    let start = std::time::Instant::now();
    vm.register("clock", move |_vm, _args, results| {
        results.push(Value::Float(start.elapsed().as_secs_f64()));
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tarn_vm::Limits;

    #[test]
    fn values_are_tab_separated_as_print_writes_them() {
        let mut vm = Vm::new(Limits::default()).unwrap();
        let s = vm.new_string(b"s").unwrap();
        let values = [Value::Int(2), Value::Float(4.0), s, Value::Nil, Value::Bool(true)];
        assert_eq!(format_values(&mut vm, &values).unwrap(), b"2\t4.0\ts\tnil\ttrue");
        assert_eq!(format_values(&mut vm, &[]).unwrap(), b"");
        let bytes = vm.new_string(b"\xff\x00").unwrap();
        assert_eq!(format_values(&mut vm, &[bytes, Value::Int(-1)]).unwrap(), b"\xff\x00\t-1");
    }

    fn run(caps: Capabilities, src: &str) -> Result<Vec<Value>, RuntimeError> {
        let mut vm = Vm::new(Limits::default()).unwrap();
        install_with(&mut vm, caps).unwrap();
        let module = tarn_compiler::compile(src.as_bytes(), "=test").unwrap();
        let f = vm.load(&tarn_bytecode::verify(module).unwrap()).unwrap();
        vm.call(f, &[])
    }

    #[test]
    fn sandbox_grants_nothing() {
        for (src, message) in [
            ("io.open('Cargo.toml')", "test:1: capability 'file read' not granted (io.open)"),
            ("os.getenv('PATH')", "test:1: capability 'environment' not granted (os.getenv)"),
            ("os.exit(1)", "test:1: capability 'exit' not granted (os.exit)"),
        ] {
            assert_eq!(run(Capabilities::none(), src).unwrap_err().message(), message);
        }
        let results = run(Capabilities::none(), "return load('return 1')").unwrap();
        assert!(results[0].is_nil());
        assert!(run(Capabilities::all(), "assert(io.open('Cargo.toml')) return load('return 1')()").is_ok());
    }
}
