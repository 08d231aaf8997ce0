//! The `debug` library: tracebacks, `getinfo` fields, locals, upvalues, per-type
//! metatables, the registry and hooks, compared with `lua5.4` where the output is
//! deterministic; the capability; hostile arguments.

mod capable;
mod common;

use capable::vm_with;

use std::sync::{Arc, Mutex};

use tarn_vm::stdlib::{Capabilities, Capability};
use tarn_vm::{Limits, RuntimeError, Value, Vm};

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
        r##"local function lf() print(debug.traceback("msg")) end
function gf() lf() end
local t = {}
function t.m() gf() end
function t:n() t.m() end
t:n()
"##,
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
        r##"print(debug.traceback(12))
print(type(debug.traceback({})))
print(debug.traceback(nil))
print(debug.traceback("a", 2))
print(debug.traceback("lvl", 0) == debug.traceback("lvl", 0))
local function tail() return debug.traceback("t") end
local function caller() return tail() end
print(caller())
"##,
        "12\nstack traceback:\n\ttest:1: in main chunk\n\t[C]: in ?\ntable\nstack traceback:\n\ttest:3: in main chunk\n\
         \t[C]: in ?\na\nstack traceback:\n\t[C]: in ?\ntrue\nt\nstack traceback:\n\ttest:6: in function <test:6>\n\
         \t(...tail calls...)\n\ttest:8: in main chunk\n\t[C]: in ?\n",
    );
}

#[test]
fn traceback_of_a_coroutine_and_deep_stacks() {
    check(
        r##"local co = coroutine.create(function(a) local x = 5; coroutine.yield(1) end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "hi", 1))
local function r(n) if n == 0 then return debug.traceback() end local s = r(n - 1) return s end
print(r(30))
"##,
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
        r##"local keys = {"short_src","linedefined","lastlinedefined","what","currentline","name","namewhat","nups","nparams","isvararg","istailcall"}
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
"##,
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
        r##"local function f(a, b, ...)
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
"##,
        "1\ta\t1\n2\tb\t2\n3\tc\t3\n4\ti\t4\n(vararg)\t(vararg)\tnil\nc\t30\n(vararg)\tv\ty\n\
         nil\tnil\tnil\tnil\na\tb\tnil\tnil\nf\n\
         false\tbad argument #1 to 'debug.getlocal' (level out of range)\n\
         false\tbad argument #1 to 'debug.setlocal' (level out of range)\np\tq\t42\nq\tq\t0\n",
    );
}

#[test]
fn upvalues() {
    check(
        r##"local a, b = 1, 2
local function f() return a + b end
local function g() return b end
print(debug.getupvalue(f, 1), debug.getupvalue(f, 2))
print(debug.getupvalue(f, 3), select("#", debug.getupvalue(f, 3)), select("#", debug.getupvalue(f, 0)))
print(debug.setupvalue(f, 1, 10), a, f())
print(debug.setupvalue(f, 5, 10))
print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(debug.upvalueid(f, 9))
debug.upvaluejoin(f, 1, g, 1)
print(f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(pcall(debug.upvaluejoin, f, 9, g, 1))
print(pcall(debug.upvaluejoin, f, 1, g, 0))
print(pcall(debug.upvaluejoin, print, 1, g, 1))
print(pcall(debug.getupvalue, nil, 1))
print(select("#", debug.getupvalue(print, 1)), select("#", debug.setupvalue(print, 1, 2)))
"##,
        "a\tb\t2\nnil\t0\t0\n\
         a\t10\t12\n\n\
         true\tfalse\nnil\n4\ttrue\n\
         false\tbad argument #2 to 'debug.upvaluejoin' (invalid upvalue index)\n\
         false\tbad argument #4 to 'debug.upvaluejoin' (invalid upvalue index)\n\
         false\tbad argument #2 to 'debug.upvaluejoin' (invalid upvalue index)\n\
         false\tbad argument #1 to 'debug.getupvalue' (function expected, got nil)\n0\t0\n",
    );
}

#[test]
fn metatables_of_every_type() {
    check(
        r##"print(debug.setmetatable(10, {__index = function(n, k) return type(k) == "number" and k * n or nil end}))
print((5).x == nil, (3)[2], (2.5)[2])
debug.setmetatable(nil, {__call = function() return "called nil" end, __len = function() return 0 end})
print((nil)(), #nil)
debug.setmetatable(true, {__tostring = function(b) return b and "yes" or "no" end})
print(tostring(true), tostring(false))
debug.setmetatable(false, nil)
debug.setmetatable(print, {__index = {kind = "function"}})
print(print.kind, (function() end).kind)
local co = coroutine.create(function() end)
debug.setmetatable(co, {__name = "thread!"})
print(getmetatable(co).__name)
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t), type(debug.getmetatable(t)))
print(debug.setmetatable(t, nil) == t, getmetatable(t))
print(pcall(debug.setmetatable, 1, 2))
debug.setmetatable(10, nil)
print(getmetatable(1), pcall(function() local one = 1 return one.x end))
print(getmetatable("").__index == string)
"##,
        "10\ntrue\t6\t5.0\ncalled nil\t0\nyes\tno\nfunction\tfunction\nthread!\nlocked\ttable\ntrue\tnil\n\
         false\tbad argument #2 to 'debug.setmetatable' (nil or table expected, got number)\n\
         nil\tfalse\ttest:18: attempt to index a number value (local 'one')\ntrue\n",
    );
}

#[test]
fn registry() {
    check(
        r##"local r = debug.getregistry()
print(type(r), r == debug.getregistry())
r.mine = 1
print(debug.getregistry().mine)
"##,
        "table\ttrue\n1\n",
    );
    let (mut vm, output) = vm_with(Capabilities::none().with(Capability::Debug));
    let registry = vm.registry();
    vm.set_field(registry, "host", Value::Int(7)).unwrap();
    vm.collect_garbage();
    assert_eq!(run_in(&mut vm, &output, "print(debug.getregistry().host)"), "7\n");
}

#[test]
fn hook_events() {
    check(
        r##"local function f(x)
  local y = x + 1
  return y
end
local ev = {}
debug.sethook(function(e, l) ev[#ev+1] = e .. (l and (":" .. l) or "") end, "crl")
local a = f(1)
for i = 1, 2 do
  a = a + i
end
debug.sethook()
print(table.concat(ev, " "))
local function g() return 1 end
local function h() return g() end
local ev2 = {}
debug.sethook(function(e) local i = debug.getinfo(2, "nt") ev2[#ev2+1] = e .. "/" .. tostring(i.name) .. "/" .. tostring(i.istailcall) end, "cr")
h()
debug.sethook()
print(table.concat(ev2, " "))
print(debug.gethook())
local hook = function() end
debug.sethook(hook, "lc", 3)
local fn, mask, count = debug.gethook()
debug.sethook()
print(fn == hook, mask, count)
debug.sethook(print, "l")
local q = 1
debug.sethook()
"##,
        "return line:7 call line:2 line:3 return line:8 line:9 line:8 line:9 line:8 line:11 call\n\
         return/sethook/false call/h/false tail call/nil/true return/nil/true call/sethook/false\n\
         nil\ntrue\tcl\t3\nline\t27\nline\t28\n",
    );
}

#[test]
fn count_hook_counts_instructions() {
    // Instruction counts differ from Lua's, so compare with the fuel used instead.
    let (mut vm, output) = vm_with(Capabilities::none().with(Capability::Debug));
    let src = "local n = 0\ndebug.sethook(function(e) n = n + 1 end, '', 1)\nlocal s = 0\nfor i = 1, 100 do s = s + i end\ndebug.sethook()\nprint(n, s)\n";
    let out = run_in(&mut vm, &output, src);
    let mut parts = out.split_whitespace();
    let n: u64 = parts.next().unwrap().parse().unwrap();
    assert_eq!(parts.next(), Some("5050"));
    assert!(n > 200 && n < 1000, "{n} count events for ~300 instructions");
    // Every 10 instructions: about a tenth as many events.
    let src10 = src.replace("'', 1)", "'', 10)");
    let out = run_in(&mut vm, &output, &src10);
    let n10: u64 = out.split_whitespace().next().unwrap().parse().unwrap();
    assert!(n10 >= n / 10 - 2 && n10 <= n / 10 + 2, "{n10} vs {n}");
}

#[test]
fn fuel_is_kept_while_hooked() {
    let limits = Limits { fuel: 10_000, ..Limits::default() };
    let mut vm = Vm::new(limits).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    tarn_vm::stdlib::open_capability_libs(&mut vm, &Capabilities::all()).unwrap();
    let src = "debug.sethook(function() end, 'l')\nwhile true do end";
    let module = tarn_compiler::compile(src.as_bytes(), "=test").unwrap();
    let f = vm.load(&tarn_bytecode::verify(module).unwrap()).unwrap();
    let e = vm.call(f, &[]).unwrap_err();
    assert_eq!(e.kind(), tarn_vm::ErrorKind::OutOfFuel);
    assert_eq!(vm.fuel(), 0);
    vm.abandon();
}

#[test]
fn hostile_hooks_and_arguments() {
    let out = tarn(
        r##"-- a hook that errors: the error comes out of the hooked code
local armed = true
local ok, e = pcall(function()
  debug.sethook(function() if armed then armed = false error("from hook") end end, "l")
  local x = 1
end)
debug.sethook()
print(ok, e)
-- a hook that sets another hook, and one that clears itself
local seen = {}
debug.sethook(function() debug.sethook(function(e) seen[#seen+1] = e end, "c") end, "l")
local function f() end
f()
debug.sethook()
print(#seen > 0)
debug.sethook(function() debug.sethook() end, "l")
local y = 2
print(debug.gethook())
-- hostile arguments
print(debug.setlocal(1, 1e9, 1), debug.getlocal(1, -1e9), debug.getlocal(1, math.mininteger))
print(pcall(debug.getlocal, 1, 2^63), pcall(debug.setlocal, math.maxinteger, 1, 1))
print(pcall(debug.upvaluejoin, f, math.mininteger, f, 1), pcall(debug.getupvalue, f, math.maxinteger))
print(pcall(debug.getinfo, math.maxinteger), pcall(debug.getinfo, -1), pcall(debug.traceback, "m", -5))
print(pcall(debug.sethook, 1, 2, 3), pcall(debug.sethook, print, "crl", -5))
debug.sethook()
print(pcall(debug.setuservalue, 1, 2), debug.getuservalue(1))
debug.setmetatable(1, {__index = function(n, k) return n[k] end})
print(pcall(function() return (1).x end))
debug.setmetatable(1, nil)
print("alive")
"##,
    );
    assert!(out.contains("false\ttest:4: from hook"), "{out}");
    assert!(out.contains("true\nnil\n"), "{out}");
    assert!(out.ends_with("alive\n"), "{out}");
}

#[test]
fn capability_is_needed_except_for_traceback() {
    let (mut vm, output) = vm_with(Capabilities::none());
    for (src, function) in [
        ("debug.getinfo(1)", "debug.getinfo"),
        ("debug.sethook(print, 'l')", "debug.sethook"),
        ("debug.getregistry()", "debug.getregistry"),
        ("debug.setmetatable(1, {})", "debug.setmetatable"),
        ("debug.getlocal(1, 1)", "debug.getlocal"),
        ("debug.upvaluejoin(print, 1, print, 1)", "debug.upvaluejoin"),
    ] {
        let out = run_in(&mut vm, &output, src);
        assert_eq!(out, format!("error: test:1: capability 'debug' not granted ({function})\n"));
    }
    let out =
        run_in(&mut vm, &output, "print(select(2, xpcall(function() error('x') end, debug.traceback)))");
    assert!(out.starts_with("test:1: x\nstack traceback:\n"), "{out}");
    let out = run_in(&mut vm, &output, "print(getmetatable(1))");
    assert_eq!(out, "nil\n");
    assert!(Capabilities::all().has(Capability::Debug));
}

#[test]
fn errors_keep_their_results() {
    // Sanity: a VM whose hook ran stays usable, and runs without the hook afterwards.
    let (mut vm, output) = vm_with(Capabilities::all());
    let out = run_in(&mut vm, &output, "debug.sethook(function() error('boom') end, 'c')\nprint(1)");
    assert!(out.contains("boom"), "{out}");
    vm.clear_hook();
    let out = run_in(&mut vm, &output, "print(2)");
    assert_eq!(out, "2\n");
    let r: Result<(), RuntimeError> = Ok(());
    assert!(r.is_ok());
}
