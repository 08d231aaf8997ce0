//! Fuel slices, interrupts, pins, and which out-of-fuel stops can be resumed.

use std::sync::atomic::Ordering;

use tarn_vm::{ErrorKind, Limits, RuntimeError, Value, Vm, FUEL_SLICE};

fn vm_with(fuel: u64) -> Vm {
    let mut vm = Vm::new(Limits { fuel, ..Limits::default() }).expect("vm");
    tarn_vm::stdlib::open_all(&mut vm).expect("stdlib");
    vm
}

fn load(vm: &mut Vm, src: &str) -> Value {
    let module = tarn_compiler::compile(src.as_bytes(), "=test").expect("compiles");
    vm.load(&tarn_bytecode::verify(module).expect("verifies")).expect("loads")
}

fn int(values: &[Value]) -> i64 {
    match values.first() {
        Some(Value::Int(i)) => *i,
        other => panic!("expected an integer, got {other:?}"),
    }
}

const COUNT_LOOP: &str = "local s = 0 for i = 1, 100000 do s = s + i % 3 end return s";

/// Fuel a script uses, run to the end with plenty.
fn fuel_used(src: &str) -> u64 {
    let mut vm = vm_with(10_000_000);
    let f = load(&mut vm, src);
    vm.call(f, &[]).expect("runs");
    10_000_000 - vm.fuel()
}

#[test]
fn fuel_counts_exactly_across_slices() {
    let used = fuel_used(COUNT_LOOP);
    assert!(used > 3 * FUEL_SLICE, "the loop spans several slices ({used})");
    // Exactly that much is enough, one less is not.
    let mut vm = vm_with(used);
    let f = load(&mut vm, COUNT_LOOP);
    assert_eq!(int(&vm.call(f, &[]).expect("runs on exactly enough fuel")), 100000);
    assert_eq!(vm.fuel(), 0);
    let mut vm = vm_with(used - 1);
    let f = load(&mut vm, COUNT_LOOP);
    assert_eq!(vm.call(f, &[]).unwrap_err().kind(), ErrorKind::OutOfFuel);
}

#[test]
fn resuming_in_uneven_steps_uses_the_same_fuel() {
    let used = fuel_used(COUNT_LOOP);
    let mut vm = vm_with(12_345);
    let f = load(&mut vm, COUNT_LOOP);
    let mut given = 12_345;
    let mut outcome = vm.call(f, &[]);
    while let Err(e) = &outcome {
        assert_eq!(e.kind(), ErrorKind::OutOfFuel);
        assert!(vm.is_suspended());
        given += 7_777;
        outcome = vm.resume(7_777);
    }
    assert_eq!(int(&outcome.unwrap()), 100000);
    assert_eq!(given - vm.fuel(), used);
}

#[test]
fn set_fuel_and_fuel_agree_beyond_a_slice() {
    let mut vm = vm_with(u64::MAX);
    assert_eq!(vm.fuel(), u64::MAX);
    vm.set_fuel(3 * FUEL_SLICE + 5);
    assert_eq!(vm.fuel(), 3 * FUEL_SLICE + 5);
    vm.charge_fuel(2 * FUEL_SLICE).unwrap();
    assert_eq!(vm.fuel(), FUEL_SLICE + 5);
    assert_eq!(vm.charge_fuel(FUEL_SLICE + 6).unwrap_err().kind(), ErrorKind::OutOfFuel);
    assert_eq!(vm.fuel(), FUEL_SLICE + 5, "a failed charge takes nothing");
}

#[test]
fn a_library_function_out_of_fuel_runs_again_on_resume() {
    // `string.rep` charges for the bytes it makes before making them.
    let src = "local t = {} for i = 1, 20 do t[i] = #string.rep('ab', 2000) end return t[20] + #t";
    let used = fuel_used(src);
    // Budgets smaller than one `string.rep` call needs too: what is left when it stops
    // adds to the next slice, so it gets there.
    for budget in [1, 10, 30, 45, 70, 100, 150] {
        let mut vm = vm_with(budget);
        let f = load(&mut vm, src);
        let mut outcome = vm.call(f, &[]);
        let mut rounds = 0;
        while let Err(e) = &outcome {
            assert_eq!(e.kind(), ErrorKind::OutOfFuel, "{e:?}");
            assert!(vm.is_suspended(), "budget {budget}: {e:?}");
            rounds += 1;
            assert!(rounds < 10_000);
            outcome = vm.resume(budget);
        }
        assert_eq!(int(&outcome.expect("finishes")), 4020, "budget {budget}");
        assert!(rounds > 0);
        assert_eq!(budget * (rounds + 1) - vm.fuel(), used, "budget {budget}: no fuel lost to the restarts");
    }
}

#[test]
fn a_pattern_search_out_of_fuel_makes_progress_in_small_steps() {
    // One `find` needs far more than a step's worth of fuel; the failed attempts cost
    // nothing, so the steps add up to it.
    let src = "local s = string.rep('a', 150) return (string.find(s, '.-.-b') == nil) and 1 or 0";
    let used = fuel_used(src);
    let step = used / 12;
    let mut vm = vm_with(step);
    let f = load(&mut vm, src);
    let (mut outcome, mut rounds) = (vm.call(f, &[]), 0);
    while outcome.is_err() {
        assert!(vm.is_suspended());
        rounds += 1;
        outcome = vm.resume(step);
    }
    assert_eq!(int(&outcome.unwrap()), 1);
    assert_eq!(step * (rounds + 1) - vm.fuel(), used);
    assert!(rounds >= 10);
}

#[test]
fn a_tail_called_library_function_runs_again_on_resume() {
    let src = "local function f(n) return string.rep('x', n) end return #f(100000)";
    let mut vm = vm_with(20);
    let f = load(&mut vm, src);
    let err = vm.call(f, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert!(vm.is_suspended());
    assert_eq!(int(&vm.resume(1_000_000).expect("finishes")), 100000);
}

#[test]
fn out_of_fuel_inside_a_callback_is_not_resumable_and_leaves_the_vm_usable() {
    // The comparator runs on the Rust stack under `table.sort`.
    let build = "local t = {} for i = 1, 200 do t[i] = (i * 37) % 101 end ";
    let src = format!("{build} table.sort(t, function(a, b) return a < b end) return t[1]");
    let src = src.as_str();
    // Enough to build the table, not to sort it.
    let mut vm = vm_with(fuel_used(build) + 100);
    let f = load(&mut vm, src);
    let err = vm.call(f, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert!(!vm.is_suspended());
    assert_eq!(err.message(), "out of fuel in host function 'sort' (the call cannot be resumed)");
    assert!(vm.resume(1000).is_err());
    vm.set_fuel(1_000_000);
    let g = load(&mut vm, "return 1 + 2");
    assert_eq!(int(&vm.call(g, &[]).unwrap()), 3);
    assert_eq!(int(&vm.call(f, &[]).unwrap()), 0);
}

#[test]
fn a_host_function_called_directly_that_runs_out_is_not_suspended() {
    let mut vm = vm_with(100);
    let rep = vm.get_field(vm.globals(), "string").unwrap();
    let Value::Table(string) = rep else { panic!() };
    let rep = vm.get_field(string, "rep").unwrap();
    let s = vm.new_string(b"abc").unwrap();
    let err = vm.call(rep, &[s, Value::Int(1_000_000)]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert!(!vm.is_suspended(), "nothing to resume: no Lua frame was running");
    vm.set_fuel(1000);
    let g = load(&mut vm, "return 40 + 2");
    assert_eq!(int(&vm.call(g, &[]).unwrap()), 42);
}

#[test]
fn a_host_function_that_calls_lua_and_runs_out_is_not_resumable() {
    let mut vm = vm_with(1_000);
    vm.register("twice", |vm, args, out| {
        let f = args.first().copied().unwrap_or(Value::Nil);
        vm.call(f, &[])?;
        out.extend(vm.call(f, &[])?);
        Ok(())
    })
    .unwrap();
    let f =
        load(&mut vm, "local n = 0 return twice(function() for i = 1, 400 do n = n + 1 end return n end)");
    let err = vm.call(f, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfFuel);
    assert!(!vm.is_suspended());
    assert!(err.message().contains("'twice'"), "{}", err.message());
}

#[test]
fn an_interrupt_stops_a_loop_and_the_vm_goes_on() {
    let mut vm = vm_with(u64::MAX);
    let flag = vm.interrupt_flag();
    let f = load(&mut vm, "local n = 0 while true do n = n + 1 end");
    flag.store(true, Ordering::Relaxed);
    let err = vm.call(f, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
    assert!(!vm.is_suspended());
    assert!(!flag.load(Ordering::Relaxed), "delivered, so cleared");
    assert!(err.traceback().contains("test:1:"), "{}", err.traceback());
    let g = load(&mut vm, "return 6 * 7");
    assert_eq!(int(&vm.call(g, &[]).unwrap()), 42);
}

#[test]
fn pcall_cannot_catch_an_interrupt() {
    let mut vm = vm_with(u64::MAX);
    let flag = vm.interrupt_flag();
    flag.store(true, Ordering::Relaxed);
    let f = load(&mut vm, "local ok = pcall(function() while true do end end) return 'caught'");
    assert_eq!(vm.call(f, &[]).unwrap_err().kind(), ErrorKind::Interrupted);
}

#[test]
fn library_functions_see_an_interrupt_when_they_charge() {
    let mut vm = vm_with(u64::MAX);
    let flag = vm.interrupt_flag();
    flag.store(true, Ordering::Relaxed);
    let rep = load(&mut vm, "return string.rep('x', 10)");
    // The call stops before or inside `string.rep`, whichever checks first.
    let err: RuntimeError = vm.call(rep, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
}

#[test]
fn an_interrupt_with_a_hook_set_is_still_delivered() {
    let mut vm = vm_with(u64::MAX);
    let caps = tarn_vm::stdlib::Capabilities::none().with(tarn_vm::stdlib::Capability::Debug);
    tarn_vm::stdlib::open_capability_libs(&mut vm, &caps).unwrap();
    let flag = vm.interrupt_flag();
    let f = load(&mut vm, "debug.sethook(function() end, '', 1000) while true do end");
    flag.store(true, Ordering::Relaxed);
    assert_eq!(vm.call(f, &[]).unwrap_err().kind(), ErrorKind::Interrupted);
    vm.clear_hook();
}

#[test]
fn pinned_values_survive_collection_and_released_ones_do_not() {
    let mut vm = vm_with(u64::MAX);
    let t = vm.new_table().unwrap();
    let slot = vm.pin(Value::Table(t));
    let queue = vm.release_queue();
    let before = vm.heap().tables.len();
    vm.collect_garbage();
    assert_eq!(vm.heap().tables.len(), before, "the pinned table is kept");
    assert!(matches!(vm.pinned(slot), Some(Value::Table(p)) if p == t));
    queue.release(slot);
    vm.collect_garbage();
    assert_eq!(vm.heap().tables.len(), before - 1, "released through the queue, then collected");
    assert_eq!(vm.pin_count(), 0);
    // Temporaries are roots until truncated.
    let mark = vm.temps_len();
    let t = vm.new_table().unwrap();
    vm.push_temp(Value::Table(t));
    vm.collect_garbage();
    assert_eq!(vm.heap().tables.len(), before);
    vm.truncate_temps(mark);
    vm.collect_garbage();
    assert_eq!(vm.heap().tables.len(), before - 1);
}

#[test]
fn vm_ids_differ() {
    assert_ne!(vm_with(1).id(), vm_with(1).id());
}
