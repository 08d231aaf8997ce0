//! Interpreter behaviour on hand-built modules: calls, loops, closures, varargs, number
//! semantics, error messages, and the fuel and depth limits.

use tarn_bytecode::module::{DebugInfo, FunctionDebug, ImportDecl, UpvalSource};
use tarn_bytecode::*;
use tarn_vm::{ErrorKind, Limits, Value, Vm};

fn j(from: usize, to: usize) -> Jump {
    Jump::between(from, to).unwrap()
}

fn function(params: u8, registers: u8, upvalues: Vec<UpvalSource>, code: Vec<Instr>) -> Function {
    Function { num_params: params, num_registers: registers, upvalues, code, ..Function::default() }
}

/// A module whose function 0 is the entry; `_ENV` names upvalue 0 of every function.
fn module(
    constants: Vec<Constant>,
    mut functions: Vec<Function>,
    function_constants: Vec<Vec<u32>>,
) -> Module {
    for (f, ks) in functions.iter_mut().zip(function_constants) {
        f.constants = ks;
    }
    let debug = DebugInfo {
        source: "test".into(),
        functions: functions
            .iter()
            .enumerate()
            .map(|(i, f)| FunctionDebug {
                line_defined: i as u32,
                lines: (0..f.code.len() as u32).map(|pc| pc + 1).collect(),
                upvalue_names: f.upvalues.iter().map(|_| "_ENV".to_string()).collect(),
                ..FunctionDebug::default()
            })
            .collect(),
    };
    Module { constants, functions, entry: Some(0), debug: Some(debug), ..Module::default() }
}

fn run_with(limits: Limits, m: Module) -> Result<Vec<Value>, tarn_vm::RuntimeError> {
    let verified = verify(m).expect("module verifies");
    let mut vm = Vm::new(limits).unwrap();
    let entry = vm.load(&verified).unwrap();
    vm.call(entry, &[])
}

fn run(m: Module) -> Vec<Value> {
    run_with(Limits::default(), m).expect("runs")
}

fn ints(values: &[Value]) -> Vec<i64> {
    values
        .iter()
        .map(|v| match v {
            Value::Int(i) => *i,
            other => panic!("expected integer, got {other:?}"),
        })
        .collect()
}

/// `fib(n)` recursively through a global, as the compiler will emit it.
fn fib_module(n: i16) -> Module {
    let main = function(
        0,
        2,
        vec![UpvalSource::Globals],
        vec![
            Instr::Closure { dst: Reg(0), proto: Proto(0) },
            Instr::SetTabUp { upval: Upval(0), key: Const(0), src: Reg(0) },
            Instr::GetTabUp { dst: Reg(0), upval: Upval(0), key: Const(0) },
            Instr::LoadInt { dst: Reg(1), value: Imm(n) },
            Instr::Call { func: Reg(0), args: VarCount(1), results: VarCount(1) },
            Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    let mut main = main;
    main.children = vec![1];
    let fib = function(
        1,
        4,
        vec![UpvalSource::ParentUpval(0)],
        vec![
            /* 0 */ Instr::JNltI { lhs: Reg(0), rhs: Imm(2), target: j(0, 2) },
            /* 1 */ Instr::Return { first: Reg(0), count: VarCount(1) },
            /* 2 */ Instr::GetTabUp { dst: Reg(1), upval: Upval(0), key: Const(0) },
            /* 3 */ Instr::AddI { dst: Reg(2), lhs: Reg(0), rhs: Imm(-1) },
            /* 4 */ Instr::Call { func: Reg(1), args: VarCount(1), results: VarCount(1) },
            /* 5 */ Instr::GetTabUp { dst: Reg(2), upval: Upval(0), key: Const(0) },
            /* 6 */ Instr::AddI { dst: Reg(3), lhs: Reg(0), rhs: Imm(-2) },
            /* 7 */ Instr::Call { func: Reg(2), args: VarCount(1), results: VarCount(1) },
            /* 8 */ Instr::Add { dst: Reg(1), lhs: Reg(1), rhs: Reg(2) },
            /* 9 */ Instr::Return { first: Reg(1), count: VarCount(1) },
        ],
    );
    module(vec![Constant::Str(b"fib".to_vec())], vec![main, fib], vec![vec![0], vec![0]])
}

#[test]
fn recursive_fib() {
    assert_eq!(ints(&run(fib_module(20))), vec![6765]);
}

/// sum of i*i for i = 1..n, with a numeric for loop.
fn loop_module(n: i16) -> Module {
    let main = function(
        0,
        6,
        vec![],
        vec![
            /* 0 */ Instr::LoadInt { dst: Reg(0), value: Imm(0) },
            /* 1 */ Instr::LoadInt { dst: Reg(1), value: Imm(1) },
            /* 2 */ Instr::LoadInt { dst: Reg(2), value: Imm(n) },
            /* 3 */ Instr::LoadInt { dst: Reg(3), value: Imm(1) },
            /* 4 */ Instr::ForPrep { base: Reg(1), exit: j(4, 8) },
            /* 5 */ Instr::Mul { dst: Reg(5), lhs: Reg(4), rhs: Reg(4) },
            /* 6 */ Instr::Add { dst: Reg(0), lhs: Reg(0), rhs: Reg(5) },
            /* 7 */ Instr::ForLoop { base: Reg(1), body: j(7, 5) },
            /* 8 */ Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    module(vec![], vec![main], vec![vec![]])
}

#[test]
fn numeric_for_loop() {
    assert_eq!(ints(&run(loop_module(1000))), vec![(1..=1000i64).map(|i| i * i).sum::<i64>()]);
    assert_eq!(ints(&run(loop_module(0))), vec![0], "a loop whose limit is below its start runs zero times");
}

#[test]
fn float_for_loop_and_float_arithmetic() {
    // for x = 0.5, 2.0, 0.5 do s = s + x end  → 5.0
    let main = function(
        0,
        6,
        vec![],
        vec![
            /* 0 */ Instr::LoadFloat { dst: Reg(0), value: Imm(0) },
            /* 1 */ Instr::LoadK { dst: Reg(1), constant: Const(0) },
            /* 2 */ Instr::LoadFloat { dst: Reg(2), value: Imm(2) },
            /* 3 */ Instr::LoadK { dst: Reg(3), constant: Const(0) },
            /* 4 */ Instr::ForPrep { base: Reg(1), exit: j(4, 7) },
            /* 5 */ Instr::Add { dst: Reg(0), lhs: Reg(0), rhs: Reg(4) },
            /* 6 */ Instr::ForLoop { base: Reg(1), body: j(6, 5) },
            /* 7 */ Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    let values = run(module(vec![Constant::Float(0.5)], vec![main], vec![vec![0]]));
    assert!(matches!(values[..], [Value::Float(f)] if f == 5.0), "{values:?}");
}

#[test]
fn closure_counter_shares_its_upvalue() {
    // local function make() local n = 0; return function() n = n + 1; return n end end
    // local c = make(); c(); c(); return c()
    let mut main = function(
        0,
        3,
        vec![],
        vec![
            Instr::Closure { dst: Reg(0), proto: Proto(0) },
            Instr::Move { dst: Reg(1), src: Reg(0) },
            Instr::Call { func: Reg(1), args: VarCount(0), results: VarCount(1) },
            Instr::Move { dst: Reg(2), src: Reg(1) },
            Instr::Call { func: Reg(2), args: VarCount(0), results: VarCount(0) },
            Instr::Move { dst: Reg(2), src: Reg(1) },
            Instr::Call { func: Reg(2), args: VarCount(0), results: VarCount(0) },
            Instr::Move { dst: Reg(2), src: Reg(1) },
            Instr::TailCall { func: Reg(2), args: VarCount(0) },
        ],
    );
    main.children = vec![1];
    let mut make = function(
        0,
        2,
        vec![],
        vec![
            Instr::LoadInt { dst: Reg(0), value: Imm(0) },
            Instr::Closure { dst: Reg(1), proto: Proto(0) },
            Instr::Return { first: Reg(1), count: VarCount(1) },
        ],
    );
    make.children = vec![2];
    let counter = function(
        0,
        1,
        vec![UpvalSource::ParentRegister(0)],
        vec![
            Instr::GetUpval { dst: Reg(0), upval: Upval(0) },
            Instr::AddI { dst: Reg(0), lhs: Reg(0), rhs: Imm(1) },
            Instr::SetUpval { upval: Upval(0), src: Reg(0) },
            Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    let m = module(vec![], vec![main, make, counter], vec![vec![], vec![], vec![]]);
    assert_eq!(ints(&run(m)), vec![3]);
}

#[test]
fn varargs_and_multiple_results() {
    // local function f(...) return ... end; return f(1, 2, 3)  plus select-like count
    let mut main = function(
        0,
        5,
        vec![],
        vec![
            Instr::Closure { dst: Reg(0), proto: Proto(0) },
            Instr::LoadInt { dst: Reg(1), value: Imm(1) },
            Instr::LoadInt { dst: Reg(2), value: Imm(2) },
            Instr::LoadInt { dst: Reg(3), value: Imm(3) },
            Instr::Call { func: Reg(0), args: VarCount(3), results: VarCount::MULTI },
            Instr::Return { first: Reg(0), count: VarCount::MULTI },
        ],
    );
    main.children = vec![1];
    let mut f = function(
        1,
        3,
        vec![],
        vec![
            // Returns its fixed parameter and then the extras: f(1,2,3) → 1, 2, 3
            Instr::Move { dst: Reg(1), src: Reg(0) },
            Instr::VarArg { dst: Reg(2), count: VarCount::MULTI },
            Instr::Return { first: Reg(1), count: VarCount::MULTI },
        ],
    );
    f.is_vararg = true;
    let m = module(vec![], vec![main, f], vec![vec![], vec![]]);
    assert_eq!(ints(&run(m)), vec![1, 2, 3]);
}

#[test]
fn integer_and_float_semantics() {
    let ops: Vec<(Instr, Value, Value, Value)> = vec![
        (
            Instr::IDiv { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(-7),
            Value::Int(2),
            Value::Int(-4),
        ),
        (Instr::Mod { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) }, Value::Int(-7), Value::Int(2), Value::Int(1)),
        (Instr::Mod { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) }, Value::Int(7), Value::Int(-2), Value::Int(-1)),
        (
            Instr::Div { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(7),
            Value::Int(2),
            Value::Float(3.5),
        ),
        (
            Instr::Add { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(i64::MAX),
            Value::Int(1),
            Value::Int(i64::MIN),
        ),
        (
            Instr::Add { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(1),
            Value::Float(0.5),
            Value::Float(1.5),
        ),
        (
            Instr::Pow { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(2),
            Value::Int(10),
            Value::Float(1024.0),
        ),
        (Instr::Shl { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) }, Value::Int(1), Value::Int(64), Value::Int(0)),
        (
            Instr::Shr { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Int(-1),
            Value::Int(60),
            Value::Int(15),
        ),
        (
            Instr::BAnd { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Float(6.0),
            Value::Int(3),
            Value::Int(2),
        ),
        (
            Instr::IDiv { dst: Reg(2), lhs: Reg(0), rhs: Reg(1) },
            Value::Float(7.0),
            Value::Int(0),
            Value::Float(f64::INFINITY),
        ),
    ];
    for (op, a, b, expected) in ops {
        let constant = |v: Value| match v {
            Value::Int(i) => Constant::Int(i),
            Value::Float(f) => Constant::Float(f),
            _ => unreachable!(),
        };
        let main = function(
            0,
            3,
            vec![],
            vec![
                Instr::LoadK { dst: Reg(0), constant: Const(0) },
                Instr::LoadK { dst: Reg(1), constant: Const(1) },
                op,
                Instr::Return { first: Reg(2), count: VarCount(1) },
            ],
        );
        let got = run(module(vec![constant(a), constant(b)], vec![main], vec![vec![0, 1]]));
        assert!(
            got[0].raw_eq(expected) && got[0].type_name() == expected.type_name(),
            "{op:?} {a:?} {b:?}: got {got:?}"
        );
        if let (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_)) = (got[0], expected) {
            panic!("{op:?}: subtype differs: {got:?} vs {expected:?}");
        }
    }
}

#[test]
fn comparisons_fused_with_branches() {
    // return (1 < 1.5), (2^53 as float == 2^53 as int), ("a" < "b")
    let main = function(
        0,
        5,
        vec![],
        vec![
            /* 0 */ Instr::LoadInt { dst: Reg(0), value: Imm(1) },
            /* 1 */ Instr::LoadK { dst: Reg(1), constant: Const(0) },
            /* 2 */ Instr::LoadFalse { dst: Reg(2) },
            /* 3 */ Instr::JNlt { lhs: Reg(0), rhs: Reg(1), target: j(3, 5) },
            /* 4 */ Instr::LoadTrue { dst: Reg(2) },
            /* 5 */ Instr::LoadK { dst: Reg(0), constant: Const(1) },
            /* 6 */ Instr::LoadK { dst: Reg(1), constant: Const(2) },
            /* 7 */ Instr::LoadFalse { dst: Reg(3) },
            /* 8 */ Instr::JNe { lhs: Reg(0), rhs: Reg(1), target: j(8, 10) },
            /* 9 */ Instr::LoadTrue { dst: Reg(3) },
            /* 10 */ Instr::LoadK { dst: Reg(0), constant: Const(3) },
            /* 11 */ Instr::LoadK { dst: Reg(1), constant: Const(4) },
            /* 12 */ Instr::LoadFalse { dst: Reg(4) },
            /* 13 */ Instr::JNlt { lhs: Reg(0), rhs: Reg(1), target: j(13, 15) },
            /* 14 */ Instr::LoadTrue { dst: Reg(4) },
            /* 15 */ Instr::Return { first: Reg(2), count: VarCount(3) },
        ],
    );
    let constants = vec![
        Constant::Float(1.5),
        Constant::Float(9007199254740992.0),
        Constant::Int(9007199254740992),
        Constant::Str(b"a".to_vec()),
        Constant::Str(b"b".to_vec()),
    ];
    let got = run(module(constants, vec![main], vec![vec![0, 1, 2, 3, 4]]));
    assert!(got.iter().all(|v| matches!(v, Value::Bool(true))), "{got:?}");
}

#[test]
fn arithmetic_on_nil_global_names_the_global() {
    // return x + 1
    let main = function(
        0,
        2,
        vec![UpvalSource::Globals],
        vec![
            Instr::GetTabUp { dst: Reg(0), upval: Upval(0), key: Const(0) },
            Instr::AddI { dst: Reg(1), lhs: Reg(0), rhs: Imm(1) },
            Instr::Return { first: Reg(1), count: VarCount(1) },
        ],
    );
    let err =
        run_with(Limits::default(), module(vec![Constant::Str(b"x".to_vec())], vec![main], vec![vec![0]]))
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    assert_eq!(err.message(), "test:2: attempt to perform arithmetic on a nil value (global 'x')");
    assert!(err.traceback().contains("test:2: in main chunk"), "{}", err.traceback());
}

#[test]
fn calling_a_non_function_is_an_error() {
    let main = function(
        0,
        1,
        vec![UpvalSource::Globals],
        vec![
            Instr::GetTabUp { dst: Reg(0), upval: Upval(0), key: Const(0) },
            Instr::Call { func: Reg(0), args: VarCount(0), results: VarCount(0) },
            Instr::Return { first: Reg(0), count: VarCount(0) },
        ],
    );
    let err =
        run_with(Limits::default(), module(vec![Constant::Str(b"nope".to_vec())], vec![main], vec![vec![0]]))
            .unwrap_err();
    assert_eq!(err.message(), "test:2: attempt to call a nil value (global 'nope')");
}

fn infinite_loop() -> Module {
    let main = function(0, 1, vec![], vec![Instr::Jmp { target: j(0, 0) }]);
    module(vec![], vec![main], vec![vec![]])
}

#[test]
fn fuel_stops_an_infinite_loop_and_can_resume() {
    let verified = verify(infinite_loop()).unwrap();
    let mut vm = Vm::new(Limits { fuel: 1000, ..Limits::default() }).unwrap();
    let entry = vm.load(&verified).unwrap();
    let err = vm.call(entry, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert_eq!(vm.fuel(), 0);
    assert!(vm.is_suspended());
    let err = vm.resume(500).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    vm.abandon();
    assert!(!vm.is_suspended());
}

#[test]
fn resuming_with_more_fuel_gives_the_same_result() {
    let expected = ints(&run(loop_module(300)));
    let verified = verify(loop_module(300)).unwrap();
    let mut vm = Vm::new(Limits { fuel: 7, ..Limits::default() }).unwrap();
    let entry = vm.load(&verified).unwrap();
    let mut outcome = vm.call(entry, &[]);
    let mut resumes = 0;
    while let Err(e) = &outcome {
        assert_eq!(e.kind(), ErrorKind::OutOfFuel);
        resumes += 1;
        outcome = vm.resume(7);
    }
    assert!(resumes > 100, "the loop needs many slices of 7 instructions");
    assert_eq!(ints(&outcome.unwrap()), expected);
}

#[test]
fn fuel_use_is_deterministic() {
    let used = |m: Module| {
        let verified = verify(m).unwrap();
        let mut vm = Vm::new(Limits { fuel: 1_000_000, ..Limits::default() }).unwrap();
        let entry = vm.load(&verified).unwrap();
        vm.call(entry, &[]).unwrap();
        1_000_000 - vm.fuel()
    };
    assert_eq!(used(fib_module(10)), used(fib_module(10)));
    // fib(10) makes 88 calls that recurse (9 instructions each) and 89 that return at
    // once (2 each); the main function runs 6.
    assert_eq!(used(fib_module(10)), 88 * 9 + 89 * 2 + 6);
}

#[test]
fn unbounded_recursion_is_a_stack_overflow_and_the_vm_survives() {
    // function f() return 1 + f() end
    let mut main = function(
        0,
        2,
        vec![UpvalSource::Globals],
        vec![
            Instr::Closure { dst: Reg(0), proto: Proto(0) },
            Instr::SetTabUp { upval: Upval(0), key: Const(0), src: Reg(0) },
            Instr::Call { func: Reg(0), args: VarCount(0), results: VarCount(1) },
            Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    main.children = vec![1];
    let f = function(
        0,
        2,
        vec![UpvalSource::ParentUpval(0)],
        vec![
            Instr::GetTabUp { dst: Reg(0), upval: Upval(0), key: Const(0) },
            Instr::Call { func: Reg(0), args: VarCount(0), results: VarCount(1) },
            Instr::AddI { dst: Reg(0), lhs: Reg(0), rhs: Imm(1) },
            Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    let m = module(vec![Constant::Str(b"f".to_vec())], vec![main, f], vec![vec![0], vec![0]]);
    let verified = verify(m).unwrap();
    let mut vm = Vm::new(Limits { max_depth: 5000, ..Limits::default() }).unwrap();
    let entry = vm.load(&verified).unwrap();
    let err = vm.call(entry, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StackOverflow);
    assert!(err.message().ends_with("stack overflow"), "{}", err.message());
    // The VM is still usable afterwards.
    let fib = verify(fib_module(10)).unwrap();
    let entry = vm.load(&fib).unwrap();
    assert_eq!(ints(&vm.call(entry, &[]).unwrap()), vec![55]);
}

#[test]
fn imports_link_to_host_functions_and_missing_ones_are_refused() {
    let main = function(
        0,
        3,
        vec![],
        vec![
            Instr::GetImport { dst: Reg(0), import: Import(0) },
            Instr::LoadInt { dst: Reg(1), value: Imm(20) },
            Instr::LoadInt { dst: Reg(2), value: Imm(22) },
            Instr::Call { func: Reg(0), args: VarCount(2), results: VarCount(1) },
            Instr::Return { first: Reg(0), count: VarCount(1) },
        ],
    );
    let mut m = module(vec![], vec![main], vec![vec![]]);
    m.imports = vec![ImportDecl { name: "add".into() }];
    let verified = verify(m).unwrap();

    let mut bare = Vm::new(Limits::default()).unwrap();
    let err = bare.load(&verified).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Link);
    assert!(err.message().contains("'add'"), "{}", err.message());

    let mut vm = Vm::new(Limits::default()).unwrap();
    vm.register("add", |_vm, args, results| {
        let sum = args.iter().map(|v| if let Value::Int(i) = v { *i } else { 0 }).sum();
        results.push(Value::Int(sum));
        Ok(())
    })
    .unwrap();
    let entry = vm.load(&verified).unwrap();
    assert_eq!(ints(&vm.call(entry, &[]).unwrap()), vec![42]);
}

#[test]
fn tables_store_and_load_by_every_key_kind() {
    // t = {}; t[1] = 10; t.x = 20; t[2.0] = 30; return t[1], t.x, t[2], #t
    let main = function(
        0,
        6,
        vec![],
        vec![
            Instr::NewTable { dst: Reg(0), array_hint: Count(0), hash_hint: Count(0) },
            Instr::LoadInt { dst: Reg(1), value: Imm(10) },
            Instr::SetIndex { table: Reg(0), index: Imm(1), src: Reg(1) },
            Instr::LoadInt { dst: Reg(1), value: Imm(20) },
            Instr::SetField { table: Reg(0), key: Const(0), src: Reg(1) },
            Instr::LoadK { dst: Reg(1), constant: Const(1) },
            Instr::LoadInt { dst: Reg(2), value: Imm(30) },
            Instr::SetTable { table: Reg(0), key: Reg(1), src: Reg(2) },
            Instr::GetIndex { dst: Reg(2), table: Reg(0), index: Imm(1) },
            Instr::GetField { dst: Reg(3), table: Reg(0), key: Const(0) },
            Instr::GetIndex { dst: Reg(4), table: Reg(0), index: Imm(2) },
            Instr::Len { dst: Reg(5), src: Reg(0) },
            Instr::Return { first: Reg(2), count: VarCount(4) },
        ],
    );
    let m = module(vec![Constant::Str(b"x".to_vec()), Constant::Float(2.0)], vec![main], vec![vec![0, 1]]);
    assert_eq!(ints(&run(m)), vec![10, 20, 30, 2]);
}

#[test]
fn heap_limit_refuses_growth_cleanly() {
    // t = {}; for i = 1, 30000 do t[i] = i end  under a small heap
    let main = function(
        0,
        6,
        vec![],
        vec![
            /* 0 */ Instr::NewTable { dst: Reg(0), array_hint: Count(0), hash_hint: Count(0) },
            /* 1 */ Instr::LoadInt { dst: Reg(1), value: Imm(1) },
            /* 2 */ Instr::LoadInt { dst: Reg(2), value: Imm(30000) },
            /* 3 */ Instr::LoadInt { dst: Reg(3), value: Imm(1) },
            /* 4 */ Instr::ForPrep { base: Reg(1), exit: j(4, 7) },
            /* 5 */ Instr::SetTable { table: Reg(0), key: Reg(4), src: Reg(4) },
            /* 6 */ Instr::ForLoop { base: Reg(1), body: j(6, 5) },
            /* 7 */ Instr::Return { first: Reg(0), count: VarCount(0) },
        ],
    );
    let m = module(vec![], vec![main], vec![vec![]]);
    let err = run_with(Limits { max_heap: 64 * 1024, ..Limits::default() }, m.clone()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfMemory);
    assert!(run_with(Limits { max_heap: 4 << 20, ..Limits::default() }, m).is_ok());
}

#[test]
fn registers_read_before_written_are_nil_even_over_an_earlier_frame() {
    // Two callees share a frame position: `writer` leaves 77 and 88 in its r2 and r3;
    // `reader` reads r2 without writing it (nil), and r3 only after writing it.
    // Frames clear just the registers a function may read first (entry_nil): a
    // reader that saw 77 would show the analysis missed one.
    let mut main = function(
        0,
        4,
        vec![],
        vec![
            Instr::Closure { dst: Reg(0), proto: Proto(0) },
            Instr::Call { func: Reg(0), args: VarCount(0), results: VarCount(0) },
            Instr::Closure { dst: Reg(0), proto: Proto(1) },
            Instr::Call { func: Reg(0), args: VarCount(0), results: VarCount(2) },
            Instr::Return { first: Reg(0), count: VarCount(2) },
        ],
    );
    main.children = vec![1, 2];
    let writer = function(
        0,
        4,
        vec![],
        vec![
            Instr::LoadInt { dst: Reg(2), value: Imm(77) },
            Instr::LoadInt { dst: Reg(3), value: Imm(88) },
            Instr::Return { first: Reg(0), count: VarCount(0) },
        ],
    );
    let reader = function(
        0,
        4,
        vec![],
        vec![
            Instr::LoadInt { dst: Reg(3), value: Imm(5) },
            Instr::Move { dst: Reg(0), src: Reg(2) },
            Instr::Move { dst: Reg(1), src: Reg(3) },
            Instr::Return { first: Reg(0), count: VarCount(2) },
        ],
    );
    let m = module(vec![], vec![main, writer, reader], vec![vec![], vec![], vec![]]);
    let results = run(m);
    assert!(results[0].is_nil(), "unwritten register read {:?}", results[0]);
    assert_eq!(ints(&results[1..]), vec![5]);
}
