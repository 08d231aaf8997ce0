//! The host functions the `tarn` command grants to the code it runs, and the one way it
//! turns values into text (used by `print` and by the REPL when it shows results).
//!
//! The standard library proper lives in `tarn-vm`; what is here is what only a command
//! line host provides (standard output, a clock).

use std::io::Write;

use tarn_vm::{RuntimeError, Value, Vm};

/// Values as `print` writes them: each through `tostring` (without metamethods for now:
/// [`Vm::to_display`]), separated by tabs, without the final newline. Strings are written
/// as their bytes, which need not be UTF-8, as Lua writes them.
pub fn format_values(vm: &Vm, values: &[Value]) -> Vec<u8> {
    let mut line = Vec::new();
    for (i, &value) in values.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        match vm.string_bytes(value) {
            Some(bytes) => line.extend_from_slice(bytes),
            None => line.extend_from_slice(vm.to_display(value).as_bytes()),
        }
    }
    line
}

/// Registers `print` and `clock`.
pub fn install(vm: &mut Vm) -> Result<(), RuntimeError> {
    vm.register("print", |vm, args, _results| {
        let mut line = format_values(vm, args);
        line.push(b'\n');
        let mut out = std::io::stdout().lock();
        out.write_all(&line).map_err(|e| RuntimeError::runtime(format!("print: {e}")))
    })?;
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
        assert_eq!(format_values(&vm, &values), b"2\t4.0\ts\tnil\ttrue");
        assert_eq!(format_values(&vm, &[]), b"");
        let bytes = vm.new_string(b"\xff\x00").unwrap();
        assert_eq!(format_values(&vm, &[bytes, Value::Int(-1)]), b"\xff\x00\t-1");
    }
}
