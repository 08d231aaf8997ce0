//! The fuzz oracles: one function per fuzz target, each taking arbitrary input.
//!
//! Every function here must return normally for every input. A panic is a Tarn bug: in
//! the code under test, or a broken promise that the oracle checks with an `assert!`.
//! The promises checked, beyond "no crash":
//!
//! - the decoder, the assembler, the compiler and the verifier never panic;
//! - modules round-trip: `decode(encode(m)) == m` and `assemble(disassemble(m)) == m`;
//! - the compiler's output always passes the verifier;
//! - running under limits ends in a result or a clean error (a panic, a stack overflow or
//!   a hang past libFuzzer's timeout is a bug), and the VM stays usable afterwards;
//! - running is deterministic: the same code gives the same output, outcome and fuel.
//!
//! What counts as "small limits" is [`limits`]; the fuzz targets and the bounded CI run
//! use the same ones.

use std::sync::{Arc, Mutex, OnceLock};

use tarn_bytecode::{binary, text, verify, Module, VerifiedModule};
use tarn_vm::stdlib::{Capabilities, Capability};
use tarn_vm::{ErrorKind, Limits, Value, Vm};

/// Limits small enough that every input ends in milliseconds, large enough that real
/// programs (loops, recursion, string building) run a while before hitting one.
pub fn limits() -> Limits {
    Limits {
        fuel: 50_000,
        max_heap: 8 << 20,
        max_depth: 1_000,
        max_stack: 100_000,
        max_string: 1 << 20,
        max_host_depth: 50,
    }
}

/// Bytes of a decoded module: decode, verify, and for accepted modules check that they
/// encode back to a module equal to the one decoded.
pub fn decode_verify(bytes: &[u8]) -> Option<VerifiedModule> {
    // A mutated file almost never matches its checksum, so bytes the decoder refuses are
    // decoded again with the checksum rewritten: mutations then reach the deeper checks.
    let module = match binary::decode(bytes) {
        Ok(module) => module,
        Err(_) => {
            let mut resealed = bytes.to_vec();
            binary::reseal(&mut resealed);
            binary::decode(&resealed).ok()?
        }
    };
    let again = binary::decode(&binary::encode(&module)).expect("an encoded module decodes");
    assert_eq!(again, module, "decode(encode(m)) != m");
    verify(module).ok()
}

/// Bytes of a decoded module, run: decode, verify, then call the entry under [`limits`].
pub fn decode_verify_run(bytes: &[u8]) {
    if let Some(verified) = decode_verify(bytes) {
        run_module_checked(&verified);
    }
}

/// Source text, compiled: the compiler never panics, and what it produces verifies and
/// survives the binary and text round trips.
pub fn compile_source(bytes: &[u8]) -> Option<VerifiedModule> {
    let module = tarn_compiler::compile(bytes, "=fuzz").ok()?;
    check_round_trips(&module);
    match verify(module) {
        Ok(verified) => Some(verified),
        Err(e) => panic!("the compiler produced a module the verifier rejects: {e}"),
    }
}

/// `.tasm` text, assembled: the assembler never panics; what it accepts round-trips; what
/// also verifies is run under [`limits`].
pub fn assemble_text(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let Ok(module) = text::assemble(&text) else { return };
    check_round_trips(&module);
    if let Ok(verified) = verify(module) {
        run_module_checked(&verified);
    }
}

/// Source text, run: compiled, then run twice under [`limits`] with the standard library
/// and the `load` and `debug` capabilities; both runs must agree.
pub fn run_source(bytes: &[u8]) {
    if let Some(verified) = compile_source(bytes) {
        run_module_checked(&verified);
    }
}

fn check_round_trips(module: &Module) {
    let decoded = binary::decode(&binary::encode(module)).expect("an encoded module decodes");
    assert_eq!(&decoded, module, "decode(encode(m)) != m");
    let text = text::disassemble(module);
    match text::assemble(&text) {
        Ok(m) => assert_eq!(&m, module, "assemble(disassemble(m)) != m"),
        Err(e) => panic!("disassembled text does not assemble: {e}\n{text}"),
    }
}

/// What one run did, in a form two runs can be compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What `print` wrote (the first [`OUTPUT_KEPT`] bytes) and how much in all.
    pub output: Vec<u8>,
    pub output_len: usize,
    /// How the call of the entry ended: `ok <n> results` or `<kind>: <message>`.
    pub ended: String,
    /// Fuel left after the last call.
    pub fuel_left: u64,
}

/// Output kept for comparison; the rest is only counted, so a program printing in a loop
/// cannot make the oracle hold gigabytes.
pub const OUTPUT_KEPT: usize = 64 << 10;

/// What `print` wrote: the first `limit` bytes, and how many in all.
pub(crate) struct Captured {
    pub(crate) kept: Vec<u8>,
    pub(crate) len: usize,
    pub(crate) limit: usize,
}

impl Captured {
    pub(crate) fn new(limit: usize) -> Arc<Mutex<Captured>> {
        Arc::new(Mutex::new(Captured { kept: Vec::new(), len: 0, limit }))
    }
}

/// Runs a verified module twice in fresh VMs, checks the runs agree (determinism), and
/// returns the first run's outcome.
pub fn run_module_checked(verified: &VerifiedModule) -> Outcome {
    let first = run_module(verified, limits());
    let second = run_module(verified, limits());
    assert_eq!(first, second, "two runs of the same module differ");
    first
}

/// A VM with the standard library, the `load` and `debug` capabilities (both reach deep
/// into the runtime, neither reaches outside the process), `print` captured, and `print`
/// also offered as an import for `.tasm` modules.
pub(crate) fn new_vm(limits: Limits, output: Arc<Mutex<Captured>>) -> Option<Vm> {
    let mut vm = Vm::new(limits).ok()?;
    tarn_vm::stdlib::open_all(&mut vm).ok()?;
    let caps = Capabilities::none().with(Capability::Load).with(Capability::Debug);
    tarn_vm::stdlib::open_capability_libs(&mut vm, &caps).ok()?;
    vm.set_compiler(Arc::new(|source: &[u8], chunkname: &str| {
        tarn_compiler::compile(source, chunkname).map_err(|e| e.to_string())
    }));
    vm.set_output(move |bytes| {
        let mut out = output.lock().expect("output lock");
        let room = out.limit.saturating_sub(out.kept.len());
        let kept = &bytes[..bytes.len().min(room)];
        out.kept.extend_from_slice(kept);
        out.len += bytes.len();
        Ok(())
    });
    vm.set_warning_sink(|_| {});
    let print = vm.get_global("print").ok()?;
    vm.provide("print", print).ok()?;
    // `math.randomseed()` without arguments seeds from the clock; the runs here must
    // be reproducible, so it seeds with 0 instead.
    if let Value::Table(math) = vm.get_global("math").ok()? {
        let real = vm.get_field(math, "randomseed").ok()?;
        let fixed = vm
            .new_function_capturing("randomseed", &[real], move |vm, args, out| {
                let args = if args.is_empty() { vec![Value::Int(0)] } else { args.to_vec() };
                out.extend(vm.call(real, &args)?);
                Ok(())
            })
            .ok()?;
        vm.set_field(math, "randomseed", fixed).ok()?;
    }
    Some(vm)
}

/// Loads `verified` into a fresh VM and calls its entry under `limits`.
/// A call that runs out of fuel is resumed once with a little more, then abandoned. After
/// every failure the VM must still run a small function.
pub fn run_module(verified: &VerifiedModule, limits: Limits) -> Outcome {
    let captured = Captured::new(OUTPUT_KEPT);
    let mut outcome = Outcome { output: Vec::new(), output_len: 0, ended: String::new(), fuel_left: 0 };
    let Some(mut vm) = new_vm(limits, captured.clone()) else {
        outcome.ended = "no vm".to_string();
        return outcome;
    };
    match vm.load(verified) {
        Err(e) => outcome.ended = describe_error(&e),
        // The VM has no way to reach a module's exports yet; the entry is what runs.
        Ok(entry) if entry.is_nil() => outcome.ended = "no entry".to_string(),
        Ok(entry) => {
            let line = match vm.call(entry, &[Value::Int(1), Value::Nil]) {
                Ok(results) => format!("ok {} results", results.len()),
                Err(e) => {
                    let mut line = describe_error(&e);
                    if vm.is_suspended() {
                        let again = vm.resume(limits.fuel / 10);
                        line.push_str(&format!(" / resumed: {}", again.is_ok()));
                        vm.abandon();
                    }
                    check_usable(&mut vm);
                    line
                }
            };
            outcome.ended = line;
        }
    }
    outcome.fuel_left = vm.fuel();
    // Dropping the VM runs the remaining finalisers: part of the run.
    drop(vm);
    let captured = captured.lock().expect("output lock");
    outcome.output = captured.kept.clone();
    outcome.output_len = captured.len;
    outcome
}

fn describe_error(e: &tarn_vm::RuntimeError) -> String {
    assert!(!e.message().is_empty(), "an error without a message ({:?})", e.kind());
    assert!(e.kind() != ErrorKind::Yield, "a yield escaped to the host: {}", e.message());
    format!("{:?}: {}", e.kind(), e.message())
}

/// After an error, the VM still runs code: a small function either returns 42 or fails
/// cleanly (the failed program may have left a hook or filled the heap, both legitimate).
fn check_usable(vm: &mut Vm) {
    static CHECK: OnceLock<VerifiedModule> = OnceLock::new();
    let check = CHECK.get_or_init(|| {
        let module = tarn_compiler::compile(b"local a = 40 return a + 2", "=check").expect("check compiles");
        verify(module).expect("check verifies")
    });
    vm.set_fuel(10_000);
    let Ok(f) = vm.load(check) else { return };
    if let Ok(results) = vm.call(f, &[]) {
        assert!(
            matches!(results.first(), Some(Value::Int(42))),
            "the VM computes 40 + 2 wrongly after an error: {results:?}"
        );
    }
    vm.abandon();
}
