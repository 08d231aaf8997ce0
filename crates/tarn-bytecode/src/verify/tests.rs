//! Robustness: the verifier never panics, whatever it is fed.
//!
//! Random modules from [`crate::testgen`] are almost never valid, which is the point here:
//! they reach every rejection path with odd values. The acceptance side and one test per
//! fact live in `tests/verify_*.rs`, built from hand-made valid modules.

use crate::isa::Instr;
use crate::module::{Module, UpvalSource};
use crate::operand::{Reg, VarCount};
use crate::testgen::{random_module, Shape};
use crate::verify::{verify, VerifiedModule};
use crate::ErrorKind;

#[test]
fn random_modules_never_panic() {
    let shapes = [
        Shape::default(),
        Shape { max_functions: 1, max_code: 3, max_constants: 2 },
        Shape { max_functions: 8, max_code: 64, max_constants: 16 },
    ];
    let mut rejected = 0;
    for seed in 0..3000u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let shape = shapes[seed as usize % shapes.len()];
        let module = random_module(&mut rng, shape);
        if let Err(e) = verify(module) {
            assert!(!e.to_string().is_empty());
            rejected += 1;
        }
    }
    assert!(rejected > 0);
}

/// The acceptance side of the random test: random modules, repaired until they verify,
/// still have most of their instructions. A repair that fails to converge, or an error
/// without a function and pc, fails the test.
#[test]
fn repaired_random_modules_verify() {
    let (mut kept, mut total) = (0usize, 0usize);
    for seed in 0..1000u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut module = random_module(&mut rng, Shape::default());
        repair_structure(&mut module);
        let (verified, repairs) = repair_code(module);
        let code_len: usize = verified.module().functions.iter().map(|f| f.code.len()).sum();
        total += code_len;
        kept += code_len - repairs.min(code_len);
    }
    // Random operands are biased small, so many instructions survive as they are (about
    // 30%; branch offsets and register windows are what most often miss).
    assert!(kept * 5 > total, "only {kept} of {total} random instructions verified");
}

/// Makes the structure of a random module valid (V1–V9) while keeping as much of it as
/// possible, so that the code checks get to run on it.
fn repair_structure(module: &mut Module) {
    module.flags = 0;
    module.debug = None;
    let pool = module.constants.len() as u32;
    let n_functions = module.functions.len();
    let mut parent = vec![None; n_functions];
    for index in 0..n_functions {
        let function = &mut module.functions[index];
        function.num_registers = function.num_registers.max(function.num_params).max(1);
        if pool == 0 {
            function.constants.clear();
        }
        for k in &mut function.constants {
            *k %= pool;
        }
        function.children.retain(|&c| {
            let c = c as usize;
            let free = c > index && c < n_functions && parent[c].is_none();
            if free {
                parent[c] = Some(index);
            }
            free
        });
        let parent_shape = parent[index].map(|p: usize| {
            let p = &module.functions[p];
            (p.num_registers, p.upvalues.len() as u8)
        });
        for source in &mut module.functions[index].upvalues {
            *source = match (parent_shape, *source) {
                (Some((regs, _)), UpvalSource::ParentRegister(r)) => UpvalSource::ParentRegister(r % regs),
                (Some((_, ups)), UpvalSource::ParentUpval(u)) if ups > 0 => UpvalSource::ParentUpval(u % ups),
                _ => UpvalSource::Globals,
            };
        }
    }
    let mut seen = std::collections::HashSet::new();
    module.imports.retain(|i| seen.insert(i.name.clone()));
    let mut seen = std::collections::HashSet::new();
    module.exports.retain(|e| seen.insert(e.name.clone()));
    for export in &mut module.exports {
        export.function = 0;
    }
    module.entry = module.entry.map(|_| 0);
}

/// Rejected instructions become `nop` (or `return r0, 0` at the end) until the module
/// verifies. Relies on every code error naming its function and pc.
fn repair_code(mut module: Module) -> (VerifiedModule, usize) {
    let mut repairs = 0;
    loop {
        let error = match verify(module.clone()) {
            Ok(verified) => return (verified, repairs),
            Err(e) => e,
        };
        let ErrorKind::Verify(e) = error.kind() else { panic!("not a verify error: {error}") };
        let (Some(f), Some(pc)) = (e.function, e.pc) else { panic!("structure still invalid: {e}") };
        let code = &mut module.functions[f].code;
        let last = pc + 1 == code.len();
        let replacement =
            if last { Instr::Return { first: Reg(0), count: VarCount(0) } } else { Instr::Nop {} };
        assert_ne!(code[pc], replacement, "repair did not converge: {e}");
        code[pc] = replacement;
        repairs += 1;
    }
}
