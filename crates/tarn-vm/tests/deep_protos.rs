//! A verified module may nest functions as deep as the function-count limit allows
//! (each the only child of the one before). Loading, collecting, dumping and dropping
//! it must not recurse on the Rust stack once per level.

use tarn_bytecode::module::{Function, Module};
use tarn_bytecode::{verify, Instr, Reg, VarCount};
use tarn_vm::{Limits, Vm};

#[test]
fn a_very_deep_function_tree_loads_collects_and_drops() {
    let depth = 200_000;
    let functions: Vec<Function> = (0..depth)
        .map(|i| Function {
            num_registers: 1,
            children: if i + 1 < depth { vec![i as u32 + 1] } else { Vec::new() },
            code: vec![Instr::Return { first: Reg(0), count: VarCount(0) }],
            ..Function::default()
        })
        .collect();
    let module = Module { functions, entry: Some(0), ..Module::default() };
    let verified = verify(module).expect("a deep chain is a valid forest");
    // A thread with a small stack: per-level recursion would overflow it.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let mut vm = Vm::new(Limits::default()).expect("vm");
            let entry = vm.load(&verified).expect("loads");
            vm.set_global("f", entry).expect("global");
            vm.collect_garbage();
            assert!(vm.dump_function(entry, true).is_ok());
            assert!(vm.call(entry, &[]).is_ok());
            drop(vm);
        })
        .expect("thread")
        .join()
        .expect("no stack overflow");
}
