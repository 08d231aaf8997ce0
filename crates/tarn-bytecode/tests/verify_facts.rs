//! The verifier's facts, one test (or more) per fact, named after it.
//!
//! Each rejection test starts from [`sample`], a small valid module built instruction by
//! instruction (a recursive `fib`, a vararg `pack`, numeric and generic loops, a host import
//! and a tail call), breaks exactly one rule, and checks the exact message, function and
//! pc. The acceptance tests check the sample and the edges of each window.

use tarn_bytecode::module::{DebugInfo, Export, FunctionDebug, ImportDecl, LocalInfo};
use tarn_bytecode::verify::VerifyError;
use tarn_bytecode::*;

// ---- the sample module ----------------------------------------------------------------

/// The branch offset from the instruction at `pc` to `target`.
fn to(pc: usize, target: usize) -> Jump {
    Jump::between(pc, target).unwrap()
}

fn r(x: u8) -> Reg {
    Reg(x)
}

fn n(x: u8) -> VarCount {
    VarCount::fixed(x).unwrap()
}

const ALL: VarCount = VarCount::MULTI;

/// Pool entries of the sample.
const K_PRINT: u32 = 0;
const K_TWO: u32 = 1;
const K_PAIRS: u32 = 2;
const K_METHOD: u32 = 3;
const K_HELLO: u32 = 4;
const K_NIL: u32 = 5;
const K_TRUE: u32 = 6;
const K_FLOAT: u32 = 7;

/// Function indices of the sample.
const MAIN: usize = 0;
const FIB: usize = 1;
const PACK: usize = 2;
const LOOPS: usize = 3;
const GREET: usize = 4;

/// ```lua
/// local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
/// print(fib(20))
/// -- exported:
/// function pack(...) return { ... } end
/// function loops(t) for i = 1, 3 do local x = i end for k, v in pairs(t) do v:m() end end
/// function greet(name) return log("hello " .. name) end   -- `log` is a host import
/// ```
fn sample() -> Module {
    let main = Function {
        num_params: 0,
        is_vararg: true,
        num_registers: 4,
        upvalues: vec![UpvalSource::Globals],
        constants: vec![K_PRINT],
        children: vec![FIB as u32],
        code: vec![
            Instr::Closure { dst: r(0), proto: Proto(0) },
            Instr::GetTabUp { dst: r(1), upval: Upval(0), key: Const(0) },
            Instr::Move { dst: r(2), src: r(0) },
            Instr::LoadInt { dst: r(3), value: Imm(20) },
            Instr::Call { func: r(2), args: n(1), results: ALL },
            Instr::Call { func: r(1), args: ALL, results: n(0) },
            Instr::Return { first: r(0), count: n(0) },
        ],
    };
    let fib = Function {
        num_params: 1,
        is_vararg: false,
        num_registers: 4,
        upvalues: vec![UpvalSource::ParentRegister(0)],
        constants: vec![K_TWO],
        children: vec![],
        code: vec![
            Instr::JGeI { lhs: r(0), rhs: Imm(2), target: to(0, 2) },
            Instr::Return { first: r(0), count: n(1) },
            Instr::GetUpval { dst: r(1), upval: Upval(0) },
            Instr::AddI { dst: r(2), lhs: r(0), rhs: Imm(-1) },
            Instr::Call { func: r(1), args: n(1), results: n(1) },
            Instr::GetUpval { dst: r(2), upval: Upval(0) },
            Instr::SubK { dst: r(3), lhs: r(0), rhs: Const(0) },
            Instr::Call { func: r(2), args: n(1), results: n(1) },
            Instr::Add { dst: r(1), lhs: r(1), rhs: r(2) },
            Instr::Return { first: r(1), count: n(1) },
        ],
    };
    let pack = Function {
        num_params: 0,
        is_vararg: true,
        num_registers: 2,
        upvalues: vec![],
        constants: vec![],
        children: vec![],
        code: vec![
            Instr::NewTable { dst: r(0), array_hint: Count(0), hash_hint: Count(0) },
            Instr::VarArg { dst: r(1), count: ALL },
            Instr::SetList { table: r(0), count: ALL, start: Int(1) },
            Instr::Return { first: r(0), count: n(1) },
        ],
    };
    let loops = Function {
        num_params: 1,
        is_vararg: false,
        num_registers: 10,
        upvalues: vec![UpvalSource::Globals],
        constants: vec![K_PAIRS, K_METHOD],
        children: vec![],
        code: vec![
            Instr::LoadInt { dst: r(1), value: Imm(1) },
            Instr::LoadInt { dst: r(2), value: Imm(3) },
            Instr::LoadInt { dst: r(3), value: Imm(1) },
            Instr::ForPrep { base: r(1), exit: to(3, 6) },
            Instr::Move { dst: r(5), src: r(4) },
            Instr::ForLoop { base: r(1), body: to(5, 4) },
            Instr::GetTabUp { dst: r(1), upval: Upval(0), key: Const(0) },
            Instr::Move { dst: r(2), src: r(0) },
            Instr::Call { func: r(1), args: n(1), results: n(3) },
            Instr::LoadNil { dst: r(4), count: Count(1) },
            Instr::TForPrep { base: r(1), call: to(10, 13) },
            Instr::SelfField { dst: r(7), object: r(6), method: Const(1) },
            Instr::Call { func: r(7), args: n(1), results: n(0) },
            Instr::TForCall { base: r(1), results: Count(2) },
            Instr::TForLoop { base: r(1), body: to(14, 11) },
            Instr::Close { from: r(1) },
            Instr::Return { first: r(0), count: n(0) },
        ],
    };
    let greet = Function {
        num_params: 1,
        is_vararg: false,
        num_registers: 4,
        upvalues: vec![],
        constants: vec![K_HELLO],
        children: vec![],
        code: vec![
            Instr::GetImport { dst: r(1), import: Import(0) },
            Instr::LoadK { dst: r(2), constant: Const(0) },
            Instr::Move { dst: r(3), src: r(0) },
            Instr::Concat { dst: r(2), first: r(2), count: Count(2) },
            Instr::TailCall { func: r(1), args: n(1) },
        ],
    };
    Module {
        flags: 0,
        constants: vec![
            Constant::Str(b"print".to_vec()),
            Constant::Int(2),
            Constant::Str(b"pairs".to_vec()),
            Constant::Str(b"m".to_vec()),
            Constant::Str(b"hello ".to_vec()),
            Constant::Nil,
            Constant::Bool(true),
            Constant::Float(0.5),
        ],
        functions: vec![main, fib, pack, loops, greet],
        imports: vec![ImportDecl { name: "log".into() }],
        exports: vec![
            Export { name: "pack".into(), function: PACK as u32 },
            Export { name: "loops".into(), function: LOOPS as u32 },
            Export { name: "greet".into(), function: GREET as u32 },
        ],
        entry: Some(MAIN as u32),
        debug: None,
        custom: vec![],
    }
}

/// Debug info matching [`sample`].
fn sample_debug(module: &Module) -> DebugInfo {
    let names = [None, Some("fib"), Some("pack"), Some("loops"), Some("greet")];
    DebugInfo {
        source: "fib.lua".into(),
        functions: module
            .functions
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (f, name))| FunctionDebug {
                name: name.map(String::from),
                line_defined: i as u32,
                last_line: i as u32,
                lines: vec![i as u32; f.code.len()],
                locals: if i == FIB {
                    vec![LocalInfo { name: "n".into(), register: 0, start_pc: 0, end_pc: 10 }]
                } else {
                    vec![]
                },
                upvalue_names: f.upvalues.iter().map(|_| "_ENV".to_string()).collect(),
            })
            .collect(),
    }
}

/// A module whose only function is a root with `num_registers` registers running `code`,
/// with the sample's pool and imports; the function's constants are the whole pool.
fn single(num_registers: u8, code: Vec<Instr>) -> Module {
    let mut module = sample();
    let function = Function {
        num_params: 0,
        is_vararg: true,
        num_registers,
        upvalues: vec![UpvalSource::Globals],
        constants: (0..module.constants.len() as u32).collect(),
        children: vec![],
        code,
    };
    module.functions = vec![function];
    module.exports.clear();
    module.entry = Some(0);
    module
}

// ---- helpers --------------------------------------------------------------------------

fn accept(module: Module) -> VerifiedModule {
    match verify(module) {
        Ok(verified) => verified,
        Err(e) => panic!("expected the module to verify, got: {e}"),
    }
}

fn reject(module: Module) -> VerifyError {
    match verify(module) {
        Ok(_) => panic!("expected the module to be rejected"),
        Err(e) => match e.kind() {
            ErrorKind::Verify(v) => {
                assert_eq!(e.to_string(), format!("verification failed: {}", v.message));
                assert_eq!(v.to_string(), v.message);
                v.clone()
            }
            other => panic!("expected a verify error, got {other:?}"),
        },
    }
}

/// Asserts a rejection at `function`, `pc` with exactly `message`.
#[track_caller]
fn assert_rejects(module: Module, function: Option<usize>, pc: Option<usize>, message: &str) {
    let e = reject(module);
    assert_eq!(e.message, message);
    assert_eq!((e.function, e.pc), (function, pc), "wrong place for: {}", e.message);
}

/// The sample with instruction `pc` of function `f` replaced.
fn patch(f: usize, pc: usize, instr: Instr) -> Module {
    let mut module = sample();
    module.functions[f].code[pc] = instr;
    module
}

// ---- acceptance -------------------------------------------------------------------------

#[test]
fn sample_verifies() {
    let module = sample();
    let verified = accept(module.clone());
    assert_eq!(verified.module(), &module);
    assert_eq!(verified.into_module(), module);
}

#[test]
fn sample_with_debug_info_verifies() {
    let mut module = sample();
    module.debug = Some(sample_debug(&module));
    accept(module);
}

#[test]
fn module_without_functions_verifies() {
    accept(Module::default());
}

#[test]
fn unreachable_and_unused_roots_verify() {
    // A root that is neither the entry nor exported is harmless.
    let mut module = sample();
    module.exports.clear();
    module.entry = None;
    accept(module);
}

#[test]
fn children_may_use_globals_and_parent_upvalues() {
    let mut module = sample();
    module.functions[FIB].upvalues =
        vec![UpvalSource::ParentRegister(0), UpvalSource::ParentUpval(0), UpvalSource::Globals];
    accept(module);
}

#[test]
fn windows_may_end_exactly_at_the_last_register() {
    let ret = Instr::Return { first: r(0), count: n(0) };
    let exact = [
        Instr::LoadNil { dst: r(2), count: Count(6) },
        Instr::Concat { dst: r(0), first: r(6), count: Count(2) },
        Instr::Call { func: r(3), args: n(4), results: n(5) },
        Instr::VarArg { dst: r(0), count: n(8) },
        Instr::SelfField { dst: r(6), object: r(0), method: Const(K_METHOD as u16) },
        Instr::SetList { table: r(0), count: n(7), start: Int(u32::MAX) },
        Instr::ForPrep { base: r(4), exit: Jump(0) },
        Instr::ForLoop { base: r(4), body: Jump(0) },
        Instr::TForLoop { base: r(3), body: Jump(0) },
        Instr::TForCall { base: r(1), results: Count(3) },
        Instr::TForCall { base: r(0), results: Count(4) },
    ];
    for instr in exact {
        accept(single(8, vec![instr, ret]));
    }
    accept(single(8, vec![Instr::Return { first: r(3), count: n(5) }]));
    accept(single(8, vec![Instr::TailCall { func: r(3), args: n(4) }]));
    accept(single(8, vec![Instr::TForPrep { base: r(3), call: Jump(-1) }]));
    accept(single(255, vec![Instr::Call { func: r(254), args: n(0), results: n(1) }, ret]));
}

#[test]
fn multi_value_chains_verify() {
    // print(f(g(...)))
    let code = vec![
        Instr::VarArg { dst: r(3), count: ALL },
        Instr::Call { func: r(2), args: ALL, results: ALL },
        Instr::Call { func: r(1), args: ALL, results: ALL },
        Instr::Return { first: r(0), count: ALL },
    ];
    accept(single(4, code));
    // return ...  /  return f(...) as a tail call
    accept(single(
        1,
        vec![Instr::VarArg { dst: r(0), count: ALL }, Instr::Return { first: r(0), count: ALL }],
    ));
    accept(single(
        2,
        vec![Instr::VarArg { dst: r(1), count: ALL }, Instr::TailCall { func: r(0), args: ALL }],
    ));
    // The producer itself may be a branch target.
    let code = vec![
        Instr::Jmp { target: Jump(0) },
        Instr::VarArg { dst: r(1), count: ALL },
        Instr::Return { first: r(0), count: ALL },
    ];
    accept(single(2, code));
}

#[test]
fn any_constant_kind_is_fine_for_loadk_and_jeqk() {
    for k in [K_NIL, K_TRUE, K_FLOAT, K_TWO, K_HELLO] {
        let code = vec![
            Instr::LoadK { dst: r(0), constant: Const(k as u16) },
            Instr::JEqK { lhs: r(0), rhs: Const(k as u16), target: Jump(0) },
            Instr::Return { first: r(0), count: n(1) },
        ];
        accept(single(1, code));
    }
}

#[test]
fn error_names_function_from_debug_info() {
    let mut module = patch(FIB, 3, Instr::AddI { dst: r(40), lhs: r(0), rhs: Imm(-1) });
    module.debug = Some(sample_debug(&module));
    assert_rejects(
        module,
        Some(FIB),
        Some(3),
        "function 1 ('fib' at fib.lua:1), pc 3: register r40 out of range (function has 4 registers)",
    );
}

// ---- module facts -------------------------------------------------------------------------

#[test]
fn v1_flags_nonzero() {
    let mut module = sample();
    module.flags = 0x10;
    assert_rejects(
        module,
        None,
        None,
        "module flags are 0x10, but no flags are defined in this version (they must be 0)",
    );
}

#[test]
fn v2_too_many_upvalues() {
    let mut module = sample();
    module.functions[MAIN].upvalues = vec![UpvalSource::Globals; 256];
    assert_rejects(module, Some(MAIN), None, "function 0: 256 upvalues (limit 255)");
}

#[test]
fn v2_too_many_constants() {
    let mut module = sample();
    module.functions[PACK].constants = vec![0; (1 << 16) + 1];
    assert_rejects(module, Some(PACK), None, "function 2: 65537 constants (limit 65536)");
}

#[test]
fn v2_too_many_imports() {
    let mut module = sample();
    module.imports = (0..=(1 << 16)).map(|i| ImportDecl { name: format!("f{i}") }).collect();
    assert_rejects(module, None, None, "the module has 65537 imports (limit 65536)");
}

#[test]
fn v2_name_too_long() {
    let mut module = sample();
    module.exports[1].name = "x".repeat((1 << 16) + 1);
    assert_rejects(module, None, None, "export 1 is 65537 bytes long (limit 65536)");

    let mut module = sample();
    let mut debug = sample_debug(&module);
    debug.functions[FIB].locals[0].name = "x".repeat((1 << 16) + 1);
    module.debug = Some(debug);
    let e = reject(module);
    assert_eq!((e.function, e.pc), (Some(FIB), None));
    assert!(e.message.ends_with("a debug local name is 65537 bytes long (limit 65536)"), "{}", e.message);
}

#[test]
fn v3_constant_outside_pool() {
    let mut module = sample();
    module.functions[LOOPS].constants[1] = 8;
    assert_rejects(
        module,
        Some(LOOPS),
        None,
        "function 3: constant k1 refers to pool entry 8, but the pool has 8 entries",
    );
}

#[test]
fn v4_child_missing() {
    let mut module = sample();
    module.functions[FIB].children.push(5);
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1: child p0 is function 5, which does not exist (the module has 5 functions)",
    );
}

#[test]
fn v4_child_not_after_parent() {
    let mut module = sample();
    module.functions[FIB].children.push(1);
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1: child p0 is function 1, which does not come after its parent \
         (a child's index must be greater than its parent's)",
    );
    let mut module = sample();
    module.functions[PACK].children.push(FIB as u32);
    assert!(reject(module).message.contains("does not come after its parent"));
}

#[test]
fn v4_child_with_two_parents() {
    let mut module = sample();
    module.functions[MAIN].children.push(FIB as u32);
    assert_rejects(
        module,
        Some(MAIN),
        None,
        "function 0: child p1 is function 1, which is already a child of function 0 \
         (a function has at most one parent)",
    );
}

#[test]
fn v5_entry_missing() {
    let mut module = sample();
    module.entry = Some(9);
    assert_rejects(
        module,
        None,
        None,
        "the entry is function 9, which does not exist (the module has 5 functions)",
    );
}

#[test]
fn v5_export_is_child() {
    let mut module = sample();
    module.exports[0].function = FIB as u32;
    assert_rejects(
        module,
        None,
        None,
        "export 'pack' is function 1, which is a child of function 0; only a root \
         (a function that is nobody's child) can be called from outside",
    );
}

#[test]
fn v6_root_captures_register() {
    let mut module = sample();
    module.functions[LOOPS].upvalues[0] = UpvalSource::ParentRegister(0);
    assert_rejects(
        module,
        Some(LOOPS),
        None,
        "function 3: upvalue u0 captures parent register r0, but this function is nobody's child, \
         so it has no enclosing function to capture from (only the globals table is allowed)",
    );
}

#[test]
fn v6_parent_register_out_of_range() {
    let mut module = sample();
    module.functions[FIB].upvalues[0] = UpvalSource::ParentRegister(4);
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1: upvalue u0 captures parent register r4, out of range \
         (the parent, function 0, has 4 registers)",
    );
}

#[test]
fn v6_parent_upval_out_of_range() {
    let mut module = sample();
    module.functions[FIB].upvalues.push(UpvalSource::ParentUpval(1));
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1: upvalue u1 captures parent upvalue u1, out of range \
         (the parent, function 0, has 1 upvalue)",
    );
}

#[test]
fn v7_params_exceed_registers() {
    let mut module = sample();
    module.functions[GREET].num_params = 5;
    assert_rejects(
        module,
        Some(GREET),
        None,
        "function 4: 5 parameters but only 4 registers: parameters must fit in the frame",
    );
}

#[test]
fn v8_duplicate_import() {
    let mut module = sample();
    module.imports.push(ImportDecl { name: "warn".into() });
    module.imports.push(ImportDecl { name: "log".into() });
    assert_rejects(
        module,
        None,
        None,
        "import name 'log' is used twice (imports 0 and 2); names must be unique",
    );
}

#[test]
fn v8_duplicate_export() {
    let mut module = sample();
    module.exports[2].name = "pack".into();
    assert_rejects(
        module,
        None,
        None,
        "export name 'pack' is used twice (exports 0 and 2); names must be unique",
    );
}

fn with_debug(change: impl FnOnce(&mut DebugInfo)) -> Module {
    let mut module = sample();
    let mut debug = sample_debug(&module);
    change(&mut debug);
    module.debug = Some(debug);
    module
}

#[test]
fn v9_debug_function_count() {
    let module = with_debug(|d| {
        d.functions.pop();
    });
    assert_rejects(module, None, None, "debug info has 4 function entries but the module has 5 functions");
}

#[test]
fn v9_line_table_length() {
    let module = with_debug(|d| d.functions[PACK].lines.push(7));
    assert_rejects(
        module,
        Some(PACK),
        None,
        "function 2 ('pack' at fib.lua:2): debug line table has 5 entries but the code has \
         4 instructions (it must be empty or as long as the code)",
    );
    accept(with_debug(|d| d.functions[PACK].lines.clear()));
}

#[test]
fn v9_upvalue_names_length() {
    let module = with_debug(|d| d.functions[GREET].upvalue_names.push("x".into()));
    assert_rejects(
        module,
        Some(GREET),
        None,
        "function 4 ('greet' at fib.lua:4): debug info names 1 upvalue but the function has \
         0 upvalues (it must name none or all)",
    );
}

#[test]
fn v9_local_register() {
    let module = with_debug(|d| d.functions[FIB].locals[0].register = 4);
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1 ('fib' at fib.lua:1): debug local 'n' is in register r4, out of range \
         (function has 4 registers)",
    );
}

#[test]
fn v9_local_range() {
    let module = with_debug(|d| d.functions[FIB].locals[0].end_pc = 11);
    assert_rejects(
        module,
        Some(FIB),
        None,
        "function 1 ('fib' at fib.lua:1): debug local 'n' is live over pc 0..11, which is not \
         a range within the code (0..10)",
    );
    let module = with_debug(|d| d.functions[FIB].locals[0].start_pc = 3);
    accept(module);
    let module = with_debug(|d| {
        d.functions[FIB].locals[0].start_pc = 5;
        d.functions[FIB].locals[0].end_pc = 4;
    });
    assert!(reject(module).message.contains("is live over pc 5..4, which is not a range"));
}

// ---- code facts ---------------------------------------------------------------------------

#[test]
fn v10_empty_code() {
    let mut module = sample();
    module.functions[PACK].code.clear();
    assert_rejects(
        module,
        Some(PACK),
        None,
        "function 2: the code is empty (a function needs at least a return)",
    );
}

#[test]
fn v11_register_out_of_range() {
    assert_rejects(
        patch(FIB, 8, Instr::Add { dst: r(1), lhs: r(1), rhs: r(4) }),
        Some(FIB),
        Some(8),
        "function 1, pc 8: register r4 out of range (function has 4 registers)",
    );
}

#[test]
fn v11_return_of_no_values_still_needs_a_register() {
    assert_rejects(
        single(0, vec![Instr::Return { first: r(0), count: n(0) }]),
        Some(0),
        Some(0),
        "function 0, pc 0: register r0 out of range (function has 0 registers)",
    );
    accept(single(1, vec![Instr::Return { first: r(0), count: n(0) }]));
}

#[test]
fn v12_constant_out_of_range() {
    assert_rejects(
        patch(GREET, 1, Instr::LoadK { dst: r(2), constant: Const(1) }),
        Some(GREET),
        Some(1),
        "function 4, pc 1: constant k1 out of range (function has 1 constant)",
    );
}

#[test]
fn v13_upvalue_out_of_range() {
    assert_rejects(
        patch(FIB, 5, Instr::GetUpval { dst: r(2), upval: Upval(1) }),
        Some(FIB),
        Some(5),
        "function 1, pc 5: upvalue u1 out of range (function has 1 upvalue)",
    );
}

#[test]
fn v14_child_out_of_range() {
    assert_rejects(
        patch(MAIN, 0, Instr::Closure { dst: r(0), proto: Proto(1) }),
        Some(MAIN),
        Some(0),
        "function 0, pc 0: child function p1 out of range (function has 1 child)",
    );
}

#[test]
fn v15_import_out_of_range() {
    assert_rejects(
        patch(GREET, 0, Instr::GetImport { dst: r(1), import: Import(1) }),
        Some(GREET),
        Some(0),
        "function 4, pc 0: import i1 out of range (module has 1 import)",
    );
}

#[test]
fn v16_jump_past_end() {
    assert_rejects(
        patch(FIB, 0, Instr::JGeI { lhs: r(0), rhs: Imm(2), target: to(0, 10) }),
        Some(FIB),
        Some(0),
        "function 1, pc 0: branch target pc 10 out of range (function has 10 instructions)",
    );
}

#[test]
fn v16_jump_before_start() {
    assert_rejects(
        patch(LOOPS, 5, Instr::ForLoop { base: r(1), body: Jump(-7) }),
        Some(LOOPS),
        Some(5),
        "function 3, pc 5: branch offset -7 leads before the start of the code",
    );
    for offset in [i32::MIN, i32::MAX] {
        let e = reject(patch(LOOPS, 5, Instr::ForLoop { base: r(1), body: Jump(offset) }));
        assert_eq!((e.function, e.pc), (Some(LOOPS), Some(5)), "{}", e.message);
    }
}

#[test]
fn v17_falls_off_end() {
    let mut module = sample();
    module.functions[PACK].code.pop();
    assert_rejects(
        module,
        Some(PACK),
        Some(2),
        "function 2, pc 2: the last instruction, `setlist`, falls through past the end of the \
         code (a function must end with a return or a jump)",
    );
    // A conditional branch at the end can still fall through.
    let mut module = sample();
    module.functions[FIB].code[9] = Instr::JTrue { value: r(1), target: to(9, 0) };
    assert!(reject(module).message.contains("the last instruction, `jtrue`, falls through"));
}

// V18: one test per window.

/// Rejects `instr` (followed by a return) in a fresh 8-register function.
#[track_caller]
fn assert_window(instr: Instr, message: &str) {
    let module = single(8, vec![instr, Instr::Return { first: r(0), count: n(0) }]);
    assert_rejects(module, Some(0), Some(0), &format!("function 0, pc 0: {message}"));
}

#[test]
fn v18_loadnil_count_zero() {
    assert_window(Instr::LoadNil { dst: r(0), count: Count(0) }, "`loadnil` count must be at least 1, not 0");
}

#[test]
fn v18_loadnil_window() {
    assert_window(
        Instr::LoadNil { dst: r(3), count: Count(6) },
        "`loadnil` writes r3…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_concat_count() {
    assert_window(
        Instr::Concat { dst: r(0), first: r(1), count: Count(1) },
        "`concat` count must be at least 2, not 1",
    );
}

#[test]
fn v18_concat_window() {
    assert_window(
        Instr::Concat { dst: r(0), first: r(6), count: Count(3) },
        "`concat` reads r6…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_call_args_window() {
    assert_window(
        Instr::Call { func: r(3), args: n(5), results: n(1) },
        "`call` passes r4…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_call_results_window() {
    assert_window(
        Instr::Call { func: r(3), args: n(0), results: n(6) },
        "`call` writes results to r3…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_tailcall_args_window() {
    let module = single(8, vec![Instr::TailCall { func: r(7), args: n(1) }]);
    assert_rejects(
        module,
        Some(0),
        Some(0),
        "function 0, pc 0: `tailcall` passes r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_return_window() {
    let module = single(8, vec![Instr::Return { first: r(7), count: n(2) }]);
    assert_rejects(
        module,
        Some(0),
        Some(0),
        "function 0, pc 0: `return` returns r7…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_vararg_window() {
    assert_window(
        Instr::VarArg { dst: r(1), count: n(8) },
        "`vararg` writes r1…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_self_window() {
    assert_window(
        Instr::SelfField { dst: r(7), object: r(0), method: Const(K_METHOD as u16) },
        "`self` writes r7…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_setlist_window() {
    assert_window(
        Instr::SetList { table: r(2), count: n(6), start: Int(1) },
        "`setlist` stores r3…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_forprep_window() {
    assert_window(
        Instr::ForPrep { base: r(5), exit: Jump(0) },
        "`forprep` uses r5…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_forloop_window() {
    assert_window(
        Instr::ForLoop { base: r(5), body: Jump(0) },
        "`forloop` uses r5…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_tforprep_window() {
    let module = single(8, vec![Instr::TForPrep { base: r(4), call: Jump(-1) }]);
    assert_rejects(
        module,
        Some(0),
        Some(0),
        "function 0, pc 0: `tforprep` uses r4…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_tforloop_window() {
    assert_window(
        Instr::TForLoop { base: r(4), body: Jump(0) },
        "`tforloop` uses r4…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_tforcall_results_zero() {
    assert_window(
        Instr::TForCall { base: r(0), results: Count(0) },
        "`tforcall` results must be at least 1, not 0",
    );
}

#[test]
fn v18_tforcall_staging_window() {
    // One result, but the call itself is staged in base+4…base+6.
    assert_window(
        Instr::TForCall { base: r(2), results: Count(1) },
        "`tforcall` uses r2…r8, past the end of the frame (function has 8 registers)",
    );
}

#[test]
fn v18_tforcall_results_window() {
    assert_window(
        Instr::TForCall { base: r(0), results: Count(5) },
        "`tforcall` uses r0…r8, past the end of the frame (function has 8 registers)",
    );
}

// V19

#[test]
fn v19_getfield_key_not_string() {
    assert_window(
        Instr::GetField { dst: r(0), table: r(1), key: Const(K_TWO as u16) },
        "`getfield` key k1 must be a string, but it is an integer",
    );
}

#[test]
fn v19_other_string_keys() {
    let cases = [
        (
            Instr::GetTabUp { dst: r(0), upval: Upval(0), key: Const(K_NIL as u16) },
            "`gettabup` key k5 must be a string, but it is nil",
        ),
        (
            Instr::SetTabUp { upval: Upval(0), key: Const(K_TRUE as u16), src: r(0) },
            "`settabup` key k6 must be a string, but it is a boolean",
        ),
        (
            Instr::SetField { table: r(0), key: Const(K_FLOAT as u16), src: r(1) },
            "`setfield` key k7 must be a string, but it is a float",
        ),
        (
            Instr::SelfField { dst: r(0), object: r(2), method: Const(K_TWO as u16) },
            "`self` method k1 must be a string, but it is an integer",
        ),
    ];
    for (instr, message) in cases {
        assert_window(instr, message);
    }
}

#[test]
fn v19_arithmetic_constant_not_number() {
    let k = Const(K_HELLO as u16);
    let cases = [
        Instr::AddK { dst: r(0), lhs: r(1), rhs: k },
        Instr::SubK { dst: r(0), lhs: r(1), rhs: k },
        Instr::MulK { dst: r(0), lhs: r(1), rhs: k },
        Instr::DivK { dst: r(0), lhs: r(1), rhs: k },
        Instr::ModK { dst: r(0), lhs: r(1), rhs: k },
        Instr::PowK { dst: r(0), lhs: r(1), rhs: k },
        Instr::IDivK { dst: r(0), lhs: r(1), rhs: k },
        Instr::BAndK { dst: r(0), lhs: r(1), rhs: k },
        Instr::BOrK { dst: r(0), lhs: r(1), rhs: k },
        Instr::BXorK { dst: r(0), lhs: r(1), rhs: k },
    ];
    for instr in cases {
        assert_window(
            instr,
            &format!("`{}` right operand k4 must be a number, but it is a string", instr.opcode()),
        );
    }
    // Both integers and floats are numbers.
    for k in [K_TWO, K_FLOAT] {
        let code = vec![
            Instr::AddK { dst: r(0), lhs: r(1), rhs: Const(k as u16) },
            Instr::Return { first: r(0), count: n(1) },
        ];
        accept(single(2, code));
    }
}

#[test]
fn v20_vararg_in_fixed_function() {
    let mut module = sample();
    module.functions[PACK].is_vararg = false;
    assert_rejects(
        module,
        Some(PACK),
        Some(1),
        "function 2, pc 1: `vararg` in a function that does not take variable arguments",
    );
}

// ---- multi-value facts --------------------------------------------------------------------

#[test]
fn v21_consumer_without_producer() {
    // print(fib(20)) where fib's call keeps one result: print's `*` has no top to read.
    assert_rejects(
        patch(MAIN, 4, Instr::Call { func: r(2), args: n(1), results: n(1) }),
        Some(MAIN),
        Some(5),
        "function 0, pc 5: `call` with `*` arguments must come right after a `call` with `*` \
         results or a `vararg` with count `*` (which set the stack top), but pc 4 (`call`) is not one",
    );
}

#[test]
fn v21_consumer_first_instruction() {
    assert_rejects(
        single(1, vec![Instr::Return { first: r(0), count: ALL }]),
        Some(0),
        Some(0),
        "function 0, pc 0: `return` with `*` count must come right after a `call` with `*` \
         results or a `vararg` with count `*` (which set the stack top), but it is the first instruction",
    );
}

#[test]
fn v22_consumer_is_jump_target() {
    let code = vec![
        Instr::JTrue { value: r(0), target: to(0, 2) },
        Instr::VarArg { dst: r(1), count: ALL },
        Instr::SetList { table: r(0), count: ALL, start: Int(1) },
        Instr::Return { first: r(0), count: n(1) },
    ];
    assert_rejects(
        single(2, code),
        Some(0),
        Some(2),
        "function 0, pc 2: `setlist` with `*` count is a branch target; it may only be reached \
         from the instruction before it, which sets the stack top",
    );
}

#[test]
fn v23_consumer_starts_above_producer() {
    // A call whose arguments would start above the values the vararg left.
    assert_rejects(
        patch(MAIN, 4, Instr::VarArg { dst: r(1), count: ALL }),
        Some(MAIN),
        Some(5),
        "function 0, pc 5: `call` with `*` arguments takes values from r2 on, but the `vararg` \
         at pc 4 produces them from r1 on (the range must start at or before)",
    );
    let code = vec![Instr::VarArg { dst: r(0), count: ALL }, Instr::Return { first: r(1), count: ALL }];
    assert!(reject(single(2, code)).message.contains("`return` with `*` count takes values from r1 on"));
    let code = vec![
        Instr::VarArg { dst: r(1), count: ALL },
        Instr::SetList { table: r(1), count: ALL, start: Int(1) },
        Instr::Return { first: r(0), count: n(0) },
    ];
    assert!(reject(single(2, code)).message.contains("`setlist` with `*` count takes values from r2 on"));
    let code = vec![Instr::VarArg { dst: r(0), count: ALL }, Instr::TailCall { func: r(0), args: ALL }];
    assert!(reject(single(2, code))
        .message
        .contains("`tailcall` with `*` arguments takes values from r1 on"));
}

#[test]
fn v24_producer_without_consumer() {
    assert_rejects(
        patch(MAIN, 5, Instr::Call { func: r(1), args: n(1), results: n(0) }),
        Some(MAIN),
        Some(4),
        "function 0, pc 4: `call` with `*` results must be followed right away by an instruction \
         that takes `*` values (`call` or `tailcall` with `*` arguments, `return` or `setlist` \
         with count `*`), or the values are left dangling, but pc 5 (`call`) does not",
    );
    let code = vec![
        Instr::VarArg { dst: r(0), count: ALL },
        Instr::Jmp { target: Jump(0) },
        Instr::Return { first: r(0), count: ALL },
    ];
    assert!(reject(single(1, code)).message.contains("`vararg` with `*` count must be followed right away"));
}

// ---- robustness -------------------------------------------------------------------------

/// A value near `v` in `0..=max`, or one of the extremes.
fn nudge(rng: &mut fastrand::Rng, v: i64, max: i64) -> i64 {
    match rng.u8(0..4) {
        0 => 0,
        1 => max,
        _ => (v + rng.i64(-3..=3)).clamp(0, max),
    }
}

/// One operand of one instruction of the valid sample, nudged to a nearby or extreme value:
/// the verifier must not panic, and a rejection must name the function that changed and an
/// instruction in it (the rest of the module is still valid).
#[test]
fn mutated_sample_never_panics_and_blames_the_mutated_function() {
    let mut rng = fastrand::Rng::with_seed(0x7a4e);
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..5000 {
        let mut module = sample();
        let f = rng.usize(0..module.functions.len());
        let code = &mut module.functions[f].code;
        let pc = rng.usize(0..code.len());
        let mut operands = 0;
        code[pc].for_each_operand(|_, _| operands += 1);
        if operands == 0 {
            continue;
        }
        let which = rng.usize(0..operands);
        let mut seen = 0;
        code[pc]
            .map_operands(|_, value| {
                seen += 1;
                if seen - 1 != which {
                    return value;
                }
                match value {
                    OperandValue::Reg(Reg(x)) => OperandValue::Reg(Reg(nudge(&mut rng, x.into(), 254) as u8)),
                    OperandValue::Const(Const(x)) => {
                        OperandValue::Const(Const(nudge(&mut rng, x.into(), 0xffff) as u16))
                    }
                    OperandValue::Upval(Upval(x)) => {
                        OperandValue::Upval(Upval(nudge(&mut rng, x.into(), 254) as u8))
                    }
                    OperandValue::Proto(Proto(x)) => {
                        OperandValue::Proto(Proto(nudge(&mut rng, x.into(), 0xffff) as u16))
                    }
                    OperandValue::Import(Import(x)) => {
                        OperandValue::Import(Import(nudge(&mut rng, x.into(), 0xffff) as u16))
                    }
                    OperandValue::Jump(Jump(x)) => {
                        let shifted = i64::from(x) + rng.i64(-3..=3);
                        OperandValue::Jump(Jump(i32::try_from(shifted).unwrap_or(x)))
                    }
                    OperandValue::Imm(Imm(x)) => OperandValue::Imm(Imm(x.wrapping_add(rng.i16(-3..=3)))),
                    OperandValue::Int(Int(x)) => OperandValue::Int(Int(x.wrapping_add(rng.u32(0..3)))),
                    OperandValue::Count(Count(x)) => {
                        OperandValue::Count(Count(nudge(&mut rng, x.into(), 255) as u8))
                    }
                    OperandValue::VarCount(VarCount(x)) => {
                        OperandValue::VarCount(VarCount(nudge(&mut rng, x.into(), 255) as u8))
                    }
                }
            })
            .unwrap();
        let code_len = module.functions[f].code.len();
        match verify(module) {
            Ok(_) => accepted += 1,
            Err(e) => {
                let ErrorKind::Verify(e) = e.kind() else { panic!("not a verify error: {e}") };
                assert_eq!(e.function, Some(f), "{}", e.message);
                assert!(e.pc.is_some_and(|pc| pc < code_len), "{}", e.message);
                rejected += 1;
            }
        }
    }
    assert!(accepted > 500 && rejected > 500, "accepted {accepted}, rejected {rejected}");
}

/// A quadratic step anywhere (a scan per instruction, per branch or per function) would
/// make this take minutes instead of milliseconds.
#[test]
fn large_module_verifies() {
    let mut code = Vec::new();
    for i in 0..100_000usize {
        let pc = code.len();
        code.push(Instr::JFalse { value: r(0), target: to(pc, if i % 2 == 0 { 0 } else { pc + 3 }) });
        code.push(Instr::VarArg { dst: r(1), count: ALL });
        code.push(Instr::Call { func: r(0), args: ALL, results: n(1) });
    }
    code.push(Instr::Return { first: r(0), count: n(1) });
    let mut module = single(2, code);
    let function = module.functions[0].clone();
    module.functions = vec![function; 8];
    module.exports = (0..8).map(|i| Export { name: format!("f{i}"), function: i }).collect();
    accept(module);
}
