//! The `debug` library: tracebacks, `getinfo` fields, locals, upvalues, per-type
//! metatables, the registry and hooks, compared with `lua5.4` where the output is
//! deterministic; the capability; hostile arguments.

mod common;

use std::sync::{Arc, Mutex};

use tarn_vm::stdlib::{Capabilities, Capability};
use tarn_vm::{Limits, RuntimeError, Value, Vm};

/// A VM with the standard library and the capability libraries with `caps`, `print`
/// output captured.
fn vm_with(caps: Capabilities) -> (Vm, Arc<Mutex<Vec<u8>>>) {
    let mut vm = Vm::new(Limits::default()).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    tarn_vm::stdlib::open_capability_libs(&mut vm, &caps).unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    vm.set_output(move |bytes| {
        sink.lock().unwrap().extend_from_slice(bytes);
        Ok(())
    });
    (vm, output)
}

/// Runs `src` (chunk `=test`) on `vm`: what it printed, an uncaught error as a last
/// `error:` line (the form of `common::lua`).
fn run_in(vm: &mut Vm, output: &Arc<Mutex<Vec<u8>>>, src: &str) -> String {
    let module = tarn_compiler::compile(src.as_bytes(), "=test").expect("test script compiles");
    let verified = tarn_bytecode::verify(module).expect("compiled code verifies");
    output.lock().unwrap().clear();
    let result = vm.load(&verified).and_then(|f| vm.call(f, &[]));
    let mut out = String::from_utf8_lossy(&output.lock().unwrap()).into_owned();
    if let Err(e) = result {
        out.push_str(&format!("error: {}\n", e.message()));
    }
    out
}

/// Tarn's output for `src` with the debug capability.
fn tarn(src: &str) -> String {
    let (mut vm, output) = vm_with(Capabilities::none().with(Capability::Debug));
    run_in(&mut vm, &output, src)
}

/// Asserts Tarn prints `expected`, and that `lua5.4` does too when installed.
fn check(src: &str, expected: &str) {
    if let Some(reference) = common::lua(src) {
        assert_eq!(reference, expected, "lua5.4 disagrees with the expectation for:\n{src}");
    }
    assert_eq!(tarn(src), expected, "tarn output for:\n{src}");
}

#[test]
fn traceback_names_functions_as_lua_does() {
    check(
        r#"local function lf() print(debug.traceback("msg")) end
function gf() lf() end
local t = {}
function t.m() gf() end
function t:n() t.m() end
t:n()
"#,
        "msg\nstack traceback:\n\ttest:1: in upvalue 'lf'\n\ttest:2: in function 'gf'\n\ttest:4: in field 'm'\n\
         \ttest:5: in method 'n'\n\ttest:6: in main chunk\n\t[C]: in ?\n",
    );
}

#[test]
fn traceback_as_message_handler() {
    check(
        "print(xpcall(function() error('x') end, debug.traceback))\n",
        "false\ttest:1: x\nstack traceback:\n\t[C]: in function 'error'\n\ttest:1: in function <test:1>\n\
         \t[C]: in function 'xpcall'\n\ttest:1: in main chunk\n\t[C]: in ?\n",
    );
    check(
        "local function f() local x = nil; return x.y end\nprint(select(2, xpcall(f, debug.traceback)))\n",
        "test:1: attempt to index a nil value (local 'x')\nstack traceback:\n\ttest:1: in function <test:1>\n\
         \t[C]: in function 'xpcall'\n\ttest:2: in main chunk\n\t[C]: in ?\n",
    );
    check(
        "print(pcall(function() print(debug.traceback('in pcall')) end))\n",
        "in pcall\nstack traceback:\n\ttest:1: in function <test:1>\n\t[C]: in function 'pcall'\n\
         \ttest:1: in main chunk\n\t[C]: in ?\ntrue\n",
    );
}

#[test]
fn traceback_arguments() {
    check(
        r#"print(debug.traceback(12))
print(type(debug.traceback({})))
print(debug.traceback(nil))
print(debug.traceback("a", 2))
print(debug.traceback("lvl", 0) == debug.traceback("lvl", 0))
local function tail() return debug.traceback("t") end
local function caller() return tail() end
print(caller())
"#,
        "12\nstack traceback:\n\ttest:1: in main chunk\n\t[C]: in ?\ntable\nstack traceback:\n\ttest:3: in main chunk\n\
         \t[C]: in ?\na\nstack traceback:\n\t[C]: in ?\ntrue\nt\nstack traceback:\n\ttest:6: in function <test:6>\n\
         \t(...tail calls...)\n\ttest:8: in main chunk\n\t[C]: in ?\n",
    );
}

#[test]
fn traceback_of_a_coroutine_and_deep_stacks() {
    check(
        r#"local co = coroutine.create(function(a) local x = 5; coroutine.yield(1) end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "hi", 1))
local function r(n) if n == 0 then return debug.traceback() end local s = r(n - 1) return s end
print(r(30))
"#,
        &{
            let mut s = String::from(
                "stack traceback:\n\t[C]: in function 'coroutine.yield'\n\ttest:1: in function <test:1>\n\
                 hi\nstack traceback:\n\ttest:1: in function <test:1>\nstack traceback:\n",
            );
            for _ in 0..10 {
                s.push_str("\ttest:5: in upvalue 'r'\n");
            }
            s.push_str("\t...\t(skipping 11 levels)\n");
            for _ in 0..8 {
                s.push_str("\ttest:5: in upvalue 'r'\n");
            }
            s.push_str("\ttest:5: in local 'r'\n\ttest:6: in main chunk\n\t[C]: in ?\n");
            s
        },
    );
}

#[test]
fn getinfo_fields() {
    check(
        r#"local keys = {"short_src","linedefined","lastlinedefined","what","currentline","name","namewhat","nups","nparams","isvararg","istailcall"}
local function show(i) local t = {} for _, k in ipairs(keys) do t[#t+1] = tostring(i[k]) end print(table.concat(t, " ")) end
show(debug.getinfo(1))
local function f(a, b, ...)
  local c = 3
  show(debug.getinfo(1, "nSlut"))
  show(debug.getinfo(2, "nSl"))
end
f(1, 2, 3)
show(debug.getinfo(print))
show(debug.getinfo(f, "S"))
print(debug.getinfo(0, "n").name, debug.getinfo(0, "n").namewhat)
print(debug.getinfo(100), debug.getinfo(f, "f").func == f, debug.getinfo(1, "S").source)
local lines = {}
for l in pairs(debug.getinfo(f, "L").activelines) do lines[#lines + 1] = l end
table.sort(lines)
print(table.concat(lines, ","))
print(pcall(debug.getinfo, 1, "X"))
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, {}))
local t = setmetatable({}, {__index = function(t, k) return debug.getinfo(1, "n") end})
local i = t.x
print(i.name, i.namewhat)
for k, v in pairs({1}) do end
local it = debug.getinfo(1, "t")
print(it.istailcall)
"#,
        "test 0 0 main 3 nil  1 0 true false\n\
         test 4 8 Lua 6 f local 2 2 true false\n\
         test 0 0 main 9 nil  nil nil nil nil\n\
         [C] -1 -1 C -1 nil  0 0 true false\n\
         test 4 8 Lua nil nil nil nil nil nil nil\n\
         getinfo\tfield\n\
         nil\ttrue\t@test\n\
         5,6,7,8\n\
         false\tbad argument #2 to 'debug.getinfo' (invalid option)\n\
         false\tbad argument #2 to 'debug.getinfo' (invalid option '>')\n\
         false\tbad argument #1 to 'debug.getinfo' (number expected, got table)\n\
         index\tmetamethod\nfalse\n",
    );
}

#[test]
fn getlocal_and_setlocal() {
    check(
        r#"local function f(a, b, ...)
  local c = a + b
  do local inner = 1 end
  local i = 1
  while true do
    local name, value = debug.getlocal(1, i)
    if not name then break end
    if name:sub(1, 1) ~= "(" then print(i, name, value) end
    i = i + 1
  end
  print(debug.getlocal(1, -1), debug.getlocal(1, -2), debug.getlocal(1, -3))
  print(debug.setlocal(1, 3, 30), c)
  print(debug.setlocal(1, -1, "v"), ...)
  print(debug.setlocal(1, 1e9, 1), debug.getlocal(1, 1e9), debug.getlocal(1, 0), debug.setlocal(1, -100, 1))
end
f(1, 2, "x", "y")
print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3), debug.getlocal(print, 1))
local function g() local secret = 42; return debug.getlocal(2, 1) end
local mine = "m"
print((g()))
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.setlocal, 50, 1, 1))
local co = coroutine.create(function(p) local q = p * 2; coroutine.yield() end)
coroutine.resume(co, 21)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2))
print(debug.setlocal(co, 1, 2, 0), debug.getlocal(co, 1, 2))
"#,
        "1\ta\t1\n2\tb\t2\n3\tc\t3\n4\ti\t4\n(vararg)\t(vararg)\tnil\nc\t30\n(vararg)\tv\ty\n\
         nil\tnil\tnil\tnil\na\tb\tnil\tnil\nf\n\
         false\tbad argument #1 to 'debug.getlocal' (level out of range)\n\
         false\tbad argument #1 to 'debug.setlocal' (level out of range)\np\tq\t42\nq\tq\t0\n",
    );
}

/// Asserts Tarn prints what `lua5.4` prints (skipped without `lua5.4`).
fn same_as_lua(src: &str) {
    match common::lua(src) {
        Some(reference) => assert_eq!(tarn(src), reference, "tarn vs lua5.4 for:\n{src}"),
        None => eprintln!("note: lua5.4 not found; skipping a differential check"),
    }
}
