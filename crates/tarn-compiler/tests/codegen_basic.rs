//! Code generation: basics (constants, locals, globals, arithmetic, calls).

mod common;
use common::*;

#[test]
fn hello() {
    check("print('hello', 1, 2.5, nil, true)", "hello\t1\t2.5\tnil\ttrue\n");
}

#[test]
fn locals_and_arith() {
    check(
        "local a, b = 3, 4\nlocal c = a * b + a - b\nprint(c, a / b, a // b, a % b, a ^ 2, -a)",
        "11\t0.75\t0\t3\t9.0\t-3\n",
    );
}
