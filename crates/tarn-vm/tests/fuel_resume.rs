//! A call stopped by fuel either resumes to the right result or says it cannot be
//! resumed; it never carries on with wrong values, and never panics. A host function
//! that runs out of fuel (a long `string.rep`, `table.unpack`) runs again from its start
//! on resume; one that called back into Lua (a `table.sort` comparator, a coroutine)
//! lost those frames, so its call is not resumable.
//! (Found while testing the fuzz oracles' resume step: resuming used to continue after
//! the interrupted call without its results, and `return coroutine.resume(co)` then read
//! a stack top the call never set and panicked.)

use tarn_vm::{ErrorKind, Limits, Vm};

/// Runs `src` with 1 000 units of fuel, resuming with 5 000 at a time: the results as
/// text, or `None` when the call could not be resumed.
fn run_resuming(src: &str) -> Option<Vec<String>> {
    let mut vm = Vm::new(Limits { fuel: 1_000, ..Limits::default() }).expect("vm");
    tarn_vm::stdlib::open_all(&mut vm).expect("stdlib");
    let module = tarn_compiler::compile(src.as_bytes(), "=t").expect("compiles");
    let f = vm.load(&tarn_bytecode::verify(module).expect("verifies")).expect("loads");
    let mut result = vm.call(f, &[]);
    for _ in 0..1_000 {
        match &result {
            Ok(values) => return Some(values.iter().map(|v| vm.to_display(*v)).collect()),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::OutOfFuel, "{src}: {}", e.message());
                if !vm.is_suspended() {
                    return None;
                }
            }
        }
        result = vm.resume(5_000);
    }
    panic!("{src}: still running after 1 000 resumes");
}

#[test]
fn host_functions_stopped_by_fuel_run_again() {
    assert_eq!(run_resuming("local s = string.rep('x', 100000) return #s").unwrap(), ["100000"]);
    assert_eq!(
        run_resuming("local a = string.rep('x', 1 << 16) local s = a .. a return #s").unwrap(),
        ["131072"]
    );
    let unpack = "local t = {} for i = 1, 1000 do t[i] = i end
                  local function f(...) return select('#', ...) end
                  return f(table.unpack(t))";
    assert_eq!(run_resuming(unpack).unwrap(), ["1000"]);
    let generic_for =
        "local n = 0 for i = 1, 300 do for k, v in pairs({a = 1, b = 2}) do n = n + v end end return n";
    assert_eq!(run_resuming(generic_for).unwrap(), ["900"]);
}

#[test]
fn calls_that_lost_frames_are_not_resumed() {
    for src in [
        "local t = {} for i = 1, 200 do t[i] = (i * 7919) % 200 end
         table.sort(t, function(a, b) return a < b end) return t[1], t[200]",
        "local co = coroutine.create(function() local n = 0 for i = 1, 1000 do n = n + i end return n end)
         return coroutine.resume(co)",
        "local co = coroutine.wrap(function() local n = 0 for i = 1, 1000 do n = n + i end coroutine.yield(n) end)
         return co()",
    ] {
        // Either the right answer or an honest refusal; here, with these slices, a refusal.
        assert_eq!(run_resuming(src), None, "{src}");
    }
}
