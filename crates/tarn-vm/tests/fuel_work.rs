//! Instructions whose work grows with their operands pay fuel for it, so a few
//! instructions cannot buy unbounded work: concatenation (bytes built), string
//! comparison and string-to-number conversion (bytes read), and variable-length value
//! ranges (`...`, `{...}`, `return ...`, host calls with many arguments). Each case runs
//! a loop that would take minutes if only the instructions were counted, and must end
//! "out of fuel" after a bounded amount of work.
//! (Found while writing docs/security.md: a string concatenated in a loop used to cost one
//! unit a pass while copying the whole string each time.)

mod common;

use tarn_vm::{ErrorKind, Limits};

/// Runs `src` with `fuel`: it must run out, having used all of it.
fn runs_out(src: &str, fuel: u64) {
    let (_, result) = common::tarn_with(Limits { fuel, ..Limits::default() }, src);
    let e = result.expect_err("the loop must run out of fuel");
    assert_eq!(e.kind(), ErrorKind::OutOfFuel, "{src}: {}", e.message());
}

/// Fuel `src` uses when it runs to the end.
fn used(src: &str) -> u64 {
    let mut vm = tarn_vm::Vm::new(Limits::default()).expect("vm");
    tarn_vm::stdlib::open_all(&mut vm).expect("stdlib");
    let module = tarn_compiler::compile(src.as_bytes(), "=test").expect("compiles");
    let f = vm.load(&tarn_bytecode::verify(module).expect("verifies")).expect("loads");
    let before = vm.fuel();
    vm.call(f, &[]).expect("runs");
    before - vm.fuel()
}

#[test]
fn concatenation_pays_per_byte() {
    // 4 MiB built: at least 4 MiB / 64 units.
    let n = used("local s = string.rep('x', 1 << 21) local t = s .. s");
    assert!(n >= (1 << 22) / 64, "concatenating 4 MiB used {n} fuel");
    // Each pass copies 1 MiB: a million passes would copy a terabyte.
    runs_out("local s = string.rep('x', 1 << 20) for i = 1, 1e6 do local t = s .. 'y' end", 2_000_000);
}

#[test]
fn string_comparison_and_conversion_pay_per_byte() {
    let n = used("local a, b = string.rep('x', 1 << 22), string.rep('x', 1 << 22) .. 'y' local c = a < b");
    assert!(n >= (1 << 22) / 64 * 2, "comparing 4 MiB used {n} fuel");
    let n = used("local s = string.rep(' ', 1 << 22) .. '1' local x = s + 1");
    assert!(n >= (1 << 22) / 64 * 2, "converting 4 MiB used {n} fuel");
    runs_out(
        "local a, b = string.rep('x', 1 << 20), string.rep('x', 1 << 20) .. 'y' for i = 1, 1e6 do local c = a < b end",
        2_000_000,
    );
}

#[test]
fn value_ranges_pay_per_value() {
    let src = "local t = {} for i = 1, 100000 do t[i] = i end
               local function f(...) return select('#', ...) end
               local n = f(table.unpack(t))";
    let n = used(src);
    assert!(n >= 100_000 / 4, "passing 100 000 values used {n} fuel");
    runs_out(
        "local t = {} for i = 1, 100000 do t[i] = i end
         local function f(...) for i = 1, 1e6 do local n = select('#', ...) local u = {...} end end
         f(table.unpack(t))",
        2_000_000,
    );
}
