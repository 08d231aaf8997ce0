//! Fuel, resumable calls, interrupts from another thread, and what scripts can reach.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tarn::{Capability, Config, Ctx, ErrorKind, Function, Outcome, Variadic, Vm};

const SUM: &str = "local s = 0 for i = 1, 200000 do s = s + i % 7 end return s";

/// Runs a resumable call to the end, resuming with `step` fuel each time.
fn finish<R: tarn::FromLuaMulti>(vm: &mut Vm, mut outcome: Outcome<R>, step: u64) -> (R, u64) {
    let mut resumes = 0;
    loop {
        match outcome {
            Outcome::Finished(r) => return (r, resumes),
            Outcome::OutOfFuel(s) => {
                resumes += 1;
                outcome = s.resume(vm, step).expect("resumes");
            }
        }
    }
}

fn fuel_used(src: &str) -> u64 {
    let mut vm = Vm::new(Config::new().fuel(100_000_000)).unwrap();
    vm.exec(src).unwrap();
    100_000_000 - vm.fuel()
}

#[test]
fn resuming_in_slices_uses_exactly_the_fuel_of_one_run() {
    let used = fuel_used(SUM);
    let expected = {
        let mut vm = Vm::new(Config::new()).unwrap();
        vm.eval::<i64>(SUM).unwrap()
    };
    let mut vm = Vm::new(Config::new().fuel(5_000)).unwrap();
    let f = vm.load(SUM, "sum.lua").unwrap();
    let outcome = f.call_resumable::<i64>(&mut vm, ()).unwrap();
    let (sum, resumes) = finish(&mut vm, outcome, 3_333);
    assert_eq!(sum, expected);
    assert!(resumes > 100);
    assert_eq!(5_000 + resumes * 3_333 - vm.fuel(), used);
}

#[test]
fn a_plain_call_out_of_fuel_is_an_error_and_the_vm_goes_on() {
    let mut vm = Vm::new(Config::new().fuel(1_000)).unwrap();
    let e = vm.exec("while true do end").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfFuel);
    assert_eq!(e.message(), "out of fuel");
    assert!(!vm.is_suspended());
    vm.set_fuel(1_000);
    assert_eq!(vm.eval::<i64>("return 2 + 2").unwrap(), 4);
}

#[test]
fn dropping_or_abandoning_a_suspended_call_frees_the_vm() {
    let mut vm = Vm::new(Config::new().fuel(100)).unwrap();
    let spin = vm.load("while true do end", "spin.lua").unwrap();
    let Outcome::OutOfFuel(suspended) = spin.call_resumable::<()>(&mut vm, ()).unwrap() else { panic!() };
    assert!(vm.is_suspended());
    // While it waits, running other code is refused, not mixed in.
    vm.set_fuel(1_000);
    let e = vm.eval::<i64>("return 1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    suspended.abandon(&mut vm);
    assert!(!vm.is_suspended());
    assert_eq!(vm.eval::<i64>("return 1").unwrap(), 1);

    vm.set_fuel(100);
    let Outcome::OutOfFuel(suspended) = spin.call_resumable::<()>(&mut vm, ()).unwrap() else { panic!() };
    drop(suspended);
    vm.set_fuel(1_000);
    assert_eq!(vm.eval::<i64>("return 2").unwrap(), 2, "a dropped suspension is abandoned on the next call");
    assert!(!vm.is_suspended());
}

#[test]
fn a_suspended_call_belongs_to_its_vm() {
    let mut a = Vm::new(Config::new().fuel(100)).unwrap();
    let mut b = Vm::new(Config::new().fuel(100)).unwrap();
    let spin = a.load("while true do end", "spin.lua").unwrap();
    let Outcome::OutOfFuel(s) = spin.call_resumable::<()>(&mut a, ()).unwrap() else { panic!() };
    assert_eq!(s.resume(&mut b, 10).unwrap_err().kind(), ErrorKind::WrongVm);
}

#[test]
fn out_of_fuel_in_lua_called_from_a_host_function_is_a_clear_non_resumable_error() {
    let mut vm = Vm::new(Config::new().fuel(10_000)).unwrap();
    vm.register_with_ctx("each", |cx: &mut Ctx, (n, f): (i64, Function)| -> tarn::Result<()> {
        for i in 1..=n {
            f.call::<()>(cx, i)?;
        }
        Ok(())
    })
    .unwrap();
    let f = vm.load("local s = 0 each(100000, function(i) s = s + i end) return s", "cb.lua").unwrap();
    let e = f.call_resumable::<i64>(&mut vm, ()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfFuel);
    assert_eq!(e.message(), "out of fuel in host function 'each' (the call cannot be resumed)");
    assert!(!vm.is_suspended());
    // pcall could not catch it either, and the VM goes on.
    vm.set_fuel(10_000);
    let e = vm.exec("pcall(each, 100000, function() end)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfFuel);
    vm.set_fuel(10_000);
    assert_eq!(vm.eval::<i64>("return 3").unwrap(), 3);
}

#[test]
fn a_host_function_that_charges_fuel_runs_again_on_resume() {
    let mut vm = Vm::new(Config::new().fuel(50)).unwrap();
    let calls = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = calls.clone();
    vm.register_with_ctx("work", move |cx: &mut Ctx, n: u64| -> tarn::Result<u64> {
        seen.fetch_add(1, Ordering::Relaxed);
        cx.charge_fuel(n)?;
        Ok(n * 2)
    })
    .unwrap();
    let f = vm.load("return work(500) + work(5)", "work.lua").unwrap();
    let outcome = f.call_resumable::<u64>(&mut vm, ()).unwrap();
    let (r, resumes) = finish(&mut vm, outcome, 100);
    assert_eq!(r, 1010);
    assert!(resumes >= 4, "500 units gathered over several resumes");
    assert_eq!(calls.load(Ordering::Relaxed), resumes + 2, "run again once per resume, until it had enough");
}

#[test]
fn a_script_running_on_one_thread_is_interrupted_from_another() {
    let mut vm = Vm::new(Config::new()).unwrap();
    let stop = vm.interrupt_handle();
    let started = Arc::new(AtomicBool::new(false));
    let flag = started.clone();
    vm.register("started", move || flag.store(true, Ordering::Relaxed)).unwrap();
    // The VM moves to a worker thread (it is Send) and runs forever there.
    let worker = std::thread::spawn(move || {
        let t = Instant::now();
        let e =
            vm.exec_named("started()\nlocal n = 0\nwhile true do n = n + 1 end", "forever.lua").unwrap_err();
        (vm, e, t.elapsed())
    });
    while !started.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(30));
    stop.interrupt();
    let (mut vm, e, elapsed) = worker.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    assert_eq!(e.message(), "interrupted");
    assert!(e.traceback().contains("forever.lua:3:"), "{}", e.traceback());
    assert!(elapsed < Duration::from_secs(10));
    // The VM goes on, and the interrupt was used up.
    assert_eq!(vm.eval::<i64>("return 40 + 2").unwrap(), 42);
}

#[test]
fn an_interrupt_reaches_inside_host_callbacks_and_library_functions() {
    let mut vm = Vm::new(Config::new()).unwrap();
    let stop = vm.interrupt_handle();
    vm.register_with_ctx("forever", |cx: &mut Ctx, f: Function| -> tarn::Result<()> {
        loop {
            f.call::<()>(cx, ())?;
        }
    })
    .unwrap();
    let h = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        stop.interrupt();
    });
    let e = vm.exec("forever(function() local s = string.rep('x', 100) end)").unwrap_err();
    h.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    assert_eq!(vm.eval::<i64>("return 1").unwrap(), 1);
}

/// Every function a script can find by walking from `_G` and the string metatable.
const WALK: &str = r#"
local seen, found = {}, {}
local function walk(t, path)
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    local p = path .. "." .. tostring(k)
    if type(v) == "table" then walk(v, p)
    elseif type(v) == "function" then found[#found + 1] = p end
  end
  local mt = getmetatable(t)
  if type(mt) == "table" then walk(mt, path .. "<mt>") end
end
walk(_G, "_G")
walk(getmetatable(""), "string<mt>")
table.sort(found)
return table.unpack(found)
"#;

fn reachable(vm: &mut Vm) -> Vec<String> {
    vm.eval::<Variadic<String>>(WALK).unwrap().into_inner()
}

#[test]
fn a_script_reaches_only_the_host_functions_that_were_registered() {
    let mut baseline = Vm::new(Config::new()).unwrap();
    let library = reachable(&mut baseline);
    assert!(library.contains(&"_G.string.rep".to_string()));

    let mut vm = Vm::new(Config::new()).unwrap();
    let secret_called = Arc::new(AtomicBool::new(false));
    let flag = secret_called.clone();
    // A host function the host made but never registered or handed to Lua.
    let _secret = vm.create_function(move || flag.store(true, Ordering::Relaxed)).unwrap();
    vm.register("add", |a: i64, b: i64| a + b).unwrap();
    let now = reachable(&mut vm);
    let extra: Vec<&String> = now.iter().filter(|f| !library.contains(f)).collect();
    assert_eq!(extra, ["_G.add"], "exactly the registered function is new");
    let e = vm.exec("secret()").unwrap_err();
    assert_eq!(e.message(), "eval:1: attempt to call a nil value (global 'secret')");
    assert!(!secret_called.load(Ordering::Relaxed));

    // Capability libraries are there but refuse to work without their grant.
    for (src, message) in [
        ("io.open('Cargo.toml')", "eval:1: capability 'file read' not granted (io.open)"),
        ("os.getenv('HOME')", "eval:1: capability 'environment' not granted (os.getenv)"),
        ("os.exit(1)", "eval:1: capability 'exit' not granted (os.exit)"),
        ("debug.getregistry()", "eval:1: capability 'debug' not granted (debug.getregistry)"),
    ] {
        assert_eq!(vm.exec(src).unwrap_err().message(), message, "{src}");
    }
    let (f, msg): (Option<Function>, String) = vm.eval("return load('return 1')").unwrap();
    assert!(f.is_none());
    assert!(msg.contains("not allowed"), "{msg}");
}

/// A module, in Tarn assembly, that imports host function `name` and returns what it
/// returns.
fn importing(name: &str) -> tarn::bytecode::VerifiedModule {
    let src = format!(
        ".import {name}\n.function main registers=2\n    getimport r0, ${name}\n    call r0, 0, *\n    return r0, *\n.end\n.entry main\n"
    );
    let module = tarn::bytecode::text::assemble(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    tarn::bytecode::verify(module).unwrap()
}

#[test]
fn a_module_importing_an_unregistered_function_is_refused_at_load() {
    let mut vm = Vm::new(Config::new()).unwrap();
    vm.register("answer", || 42).unwrap();
    let f = vm.load_module(&importing("answer")).unwrap();
    assert_eq!(f.call::<i64>(&mut vm, ()).unwrap(), 42);

    let e = vm.load_module(&importing("secret")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Link);
    assert_eq!(e.message(), "module imports 'secret', which the host did not provide");
    // Library functions are not importable unless the host provides them either.
    assert_eq!(vm.load_module(&importing("print")).unwrap_err().kind(), ErrorKind::Link);
    // Nor through a script's `load` of the same module.
    let bytes = tarn::bytecode::binary::encode(importing("secret").module());
    assert_eq!(vm.load_binary(&bytes).unwrap_err().kind(), ErrorKind::Link);
    vm.set_global("bytes", tarn::Bytes(bytes)).unwrap();
    let (f, msg): (Option<Function>, String) = vm.eval("return load(bytes, 'm', 'b')").unwrap();
    assert!(f.is_none());
    assert_eq!(msg, "module imports 'secret', which the host did not provide");
}

#[test]
fn granted_capabilities_work_and_source_loading_is_a_grant() {
    let mut vm = Vm::new(Config::new().grant(Capability::Clock).allow_source(true)).unwrap();
    assert!(vm.eval::<i64>("return os.time()").unwrap() > 1_600_000_000);
    assert_eq!(vm.eval::<i64>("return load('return 5')()").unwrap(), 5);
    assert_eq!(
        vm.exec("io.open('x')").unwrap_err().message(),
        "eval:1: capability 'file read' not granted (io.open)"
    );
}

#[test]
fn os_exit_when_granted_reports_the_status() {
    let mut vm = Vm::new(Config::new().grant(Capability::Exit)).unwrap();
    let e = vm.exec("os.exit(3)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exit);
    assert_eq!(e.exit_status(), Some(3));
}
