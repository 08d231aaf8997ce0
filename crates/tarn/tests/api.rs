//! The embedding API: conversions, host functions, handles, errors, userdata.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tarn::{
    AnyUserData, Bytes, Config, Ctx, Error, ErrorKind, Function, MetaMethod, Table, UserData,
    UserDataMethods, Value, Variadic, Vm,
};

fn vm() -> Vm {
    Vm::new(Config::new()).expect("vm")
}

#[test]
fn values_convert_both_ways() {
    let mut vm = vm();
    assert_eq!(vm.eval::<i64>("return 2^53 // 1").unwrap(), 1 << 53);
    assert_eq!(vm.eval::<i32>("return 7.0").unwrap(), 7);
    assert_eq!(vm.eval::<i64>("return '12'").unwrap(), 12);
    assert_eq!(vm.eval::<f64>("return 3").unwrap(), 3.0);
    assert_eq!(vm.eval::<String>("return 1.5").unwrap(), "1.5");
    assert!(vm.eval::<bool>("return 0").unwrap(), "0 is true in Lua");
    assert!(!vm.eval::<bool>("return nil").unwrap());
    assert_eq!(vm.eval::<Option<i64>>("return nil").unwrap(), None);
    assert_eq!(vm.eval::<Vec<String>>("return {'a', 'b'}").unwrap(), ["a", "b"]);
    let m: HashMap<String, i64> = vm.eval("return {x = 1, y = 2}").unwrap();
    assert_eq!(m, HashMap::from([("x".to_string(), 1), ("y".to_string(), 2)]));
    let b: BTreeMap<i64, bool> = vm.eval("return {[3] = true, [1] = false}").unwrap();
    assert_eq!(b, BTreeMap::from([(1, false), (3, true)]));
    assert_eq!(vm.eval::<Bytes>("return '\\0\\255'").unwrap(), Bytes(vec![0, 255]));
    let (a, b, c): (i64, String, Option<bool>) = vm.eval("return 1, 'two'").unwrap();
    assert_eq!((a, b, c), (1, "two".into(), None));
    let all: Variadic<Value> = vm.eval("return 1, nil, 'x', {}").unwrap();
    assert_eq!(all.iter().map(Value::type_name).collect::<Vec<_>>(), ["number", "nil", "string", "table"]);

    // Rust values into Lua and back through a Lua function.
    let echo: Function = vm.eval("return function(...) return ... end").unwrap();
    let back: (Vec<i64>, HashMap<String, f64>, Bytes, u8, Option<String>) = echo
        .call(
            &mut vm,
            (
                vec![1, 2, 3],
                HashMap::from([("k".to_string(), 0.5)]),
                Bytes(vec![1, 2]),
                200u8,
                None::<String>,
            ),
        )
        .unwrap();
    assert_eq!(back.0, [1, 2, 3]);
    assert_eq!(back.1["k"], 0.5);
    assert_eq!(back.2 .0, [1, 2]);
    assert_eq!(back.3, 200);
    assert_eq!(back.4, None);
}

#[test]
fn failed_conversions_say_what_was_expected() {
    let mut vm = vm();
    let e = vm.eval::<i64>("return 'x'").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert_eq!(e.message(), "bad result #1 (number expected, got string)");
    assert_eq!(
        vm.eval::<i64>("return 1.5").unwrap_err().message(),
        "bad result #1 (number has no integer representation)"
    );
    assert_eq!(
        vm.eval::<u8>("return 300").unwrap_err().message(),
        "bad result #1 (number 300 out of range for u8)"
    );
    assert_eq!(
        vm.eval::<String>("return '\\xff'").unwrap_err().message(),
        "bad result #1 (string is not valid UTF-8)"
    );
    assert_eq!(
        vm.eval::<Vec<i64>>("return {1, 'x'}").unwrap_err().message(),
        "bad result #1 (number expected, got string (at index 2))"
    );
    assert_eq!(
        vm.eval::<(i64, i64)>("return 1").unwrap_err().message(),
        "bad result #2 (number expected, got no value)"
    );
    let e = vm.set_global("big", u64::MAX).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
}

#[test]
fn host_functions_convert_arguments_and_word_errors_as_lua_does() {
    let mut vm = vm();
    vm.register("add", |a: i64, b: i64| a + b).unwrap();
    vm.register("none", || ()).unwrap();
    vm.register("pair", |s: String| (s.len() as i64, s.to_uppercase())).unwrap();
    vm.register("maybe", |x: Option<i64>| x.unwrap_or(-1)).unwrap();
    vm.register("fail", |msg: String| -> Result<(), String> { Err(msg) }).unwrap();
    assert_eq!(vm.eval::<i64>("return add(2, 40)").unwrap(), 42);
    assert_eq!(vm.eval::<i64>("return select('#', none())").unwrap(), 0);
    assert_eq!(vm.eval::<(i64, String)>("return pair('abc')").unwrap(), (3, "ABC".to_string()));
    assert_eq!(vm.eval::<i64>("return maybe()").unwrap(), -1);
    for (src, message) in [
        ("add(1, 'x')", "eval:1: bad argument #2 to 'add' (number expected, got string)"),
        ("add(1)", "eval:1: bad argument #2 to 'add' (number expected, got no value)"),
        ("add({}, 1)", "eval:1: bad argument #1 to 'add' (number expected, got table)"),
        ("add(1.5, 1)", "eval:1: bad argument #1 to 'add' (number has no integer representation)"),
        ("fail('nope')", "eval:1: nope"),
    ] {
        let e = vm.exec(src).unwrap_err();
        assert_eq!(e.message(), message, "{src}");
        assert_eq!(e.kind(), ErrorKind::Runtime);
    }
    // Lua code catches them like any error.
    let (ok, msg): (bool, String) = vm.eval("return pcall(fail, 'caught')").unwrap();
    assert!(!ok);
    assert_eq!(msg, "caught");
}

#[test]
fn host_errors_keep_their_value_and_callbacks_rethrow_lua_errors() {
    let mut vm = vm();
    vm.register_with_ctx("raise", |cx: &mut Ctx, code: i64| -> tarn::Result<()> {
        let t = cx.create_table()?;
        t.set(cx, "code", code)?;
        Err(Error::with_value(t.to_value(), format!("error {code}")))
    })
    .unwrap();
    assert_eq!(vm.eval::<i64>("local ok, e = pcall(raise, 7) return e.code").unwrap(), 7);
    let e = vm.exec("raise(9)").unwrap_err();
    let t: Table = vm.convert(e.value().unwrap()).unwrap();
    assert_eq!(t.get::<i64>(&mut vm, "code").unwrap(), 9);

    vm.register_with_ctx("call", |cx: &mut Ctx, f: Function| f.call::<Value>(cx, ())).unwrap();
    let code: i64 =
        vm.eval("local ok, e = pcall(call, function() error({code = 5}) end) return e.code").unwrap();
    assert_eq!(code, 5);
    let msg: String = vm.eval("local ok, e = pcall(call, function() error('inner') end) return e").unwrap();
    assert_eq!(msg, "eval:1: inner");

    // A std error becomes the message and stays the source.
    vm.register("parse", |s: String| s.parse::<i64>()).unwrap();
    let e = vm.exec("parse('x')").unwrap_err();
    assert_eq!(e.message(), "eval:1: invalid digit found in string");
}

#[test]
fn functions_made_by_the_host_can_be_passed_around() {
    let mut vm = vm();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let f = vm
        .create_function(move |line: String| {
            sink.lock().unwrap().push(line);
        })
        .unwrap();
    let t = vm.create_table().unwrap();
    t.set(&mut vm, "log", &f).unwrap();
    vm.set_global("host", &t).unwrap();
    vm.exec("host.log('a') host.log('b')").unwrap();
    assert_eq!(*log.lock().unwrap(), ["a", "b"]);
}

#[test]
fn tables_read_and_write() {
    let mut vm = vm();
    let t = vm.create_table().unwrap();
    t.set(&mut vm, "name", "tarn").unwrap();
    t.push(&mut vm, 10).unwrap();
    t.push(&mut vm, 20).unwrap();
    assert_eq!(t.len(&mut vm).unwrap(), 2);
    assert_eq!(t.raw_len(&mut vm).unwrap(), 2);
    assert!(t.contains_key(&mut vm, "name").unwrap());
    assert!(!t.is_empty(&mut vm).unwrap());
    assert_eq!(t.sequence::<i64>(&mut vm).unwrap(), [10, 20]);
    assert_eq!(t.pairs::<Value, Value>(&mut vm).unwrap().len(), 3);
    let mt: Table = vm.eval("return {__index = function(_, k) return 'default ' .. k end}").unwrap();
    t.set_metatable(&mut vm, Some(&mt)).unwrap();
    assert_eq!(t.get::<String>(&mut vm, "x").unwrap(), "default x");
    assert_eq!(t.raw_get::<Option<String>>(&mut vm, "x").unwrap(), None);
    assert!(t.metatable(&mut vm).unwrap().is_some());
    assert_eq!(t.raw_set(&mut vm, Value::Nil, 1).unwrap_err().message(), "table index is nil");
    let g = vm.globals().unwrap();
    g.set(&mut vm, "answer", 42).unwrap();
    assert_eq!(vm.global::<i64>("answer").unwrap(), 42);
}

#[test]
fn handles_keep_objects_alive_and_release_them_when_dropped() {
    let mut vm = vm();
    let t: Table = vm.eval("return {payload = string.rep('x', 100000)}").unwrap();
    vm.collect_garbage();
    let held = vm.heap_bytes();
    assert_eq!(t.get::<String>(&mut vm, "payload").unwrap().len(), 100000);
    let copy = t.clone();
    drop(t);
    vm.collect_garbage();
    assert_eq!(vm.heap_bytes(), held, "a clone still holds it");
    drop(copy);
    vm.collect_garbage();
    assert!(vm.heap_bytes() < held - 100000, "released once the last handle went");
    // Many handles made and dropped leave nothing behind.
    for _ in 0..1000 {
        let _t = vm.create_table().unwrap();
    }
    vm.collect_garbage();
    assert!(vm.heap_bytes() < held - 100000);
}

#[test]
fn a_handle_from_another_vm_is_an_error_not_a_panic() {
    let mut a = vm();
    let mut b = vm();
    let t: Table = a.eval("return {x = 1}").unwrap();
    let f: Function = a.eval("return function() return 1 end").unwrap();
    let e = t.get::<i64>(&mut b, "x").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongVm);
    assert_eq!(e.message(), "this table belongs to another VM");
    assert_eq!(f.call::<i64>(&mut b, ()).unwrap_err().kind(), ErrorKind::WrongVm);
    assert_eq!(b.set_global("t", &t).unwrap_err().kind(), ErrorKind::WrongVm);
    // Still fine with its own VM, and after the other one is gone.
    drop(b);
    assert_eq!(t.get::<i64>(&mut a, "x").unwrap(), 1);
    // A handle outliving its VM is harmless.
    drop(a);
    let mut c = vm();
    assert_eq!(f.call::<i64>(&mut c, ()).unwrap_err().kind(), ErrorKind::WrongVm);
}

#[test]
fn errors_carry_kind_message_value_and_traceback() {
    let mut vm = vm();
    let src = "local function inner()\n  error('deep')\nend\nfunction outer()\n  inner()\nend\nouter()";
    let e = vm.exec_named(src, "script.lua").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Runtime);
    assert_eq!(e.to_string(), "script.lua:2: deep");
    assert!(e.traceback().contains("script.lua:2: in function 'inner'"), "{}", e.traceback());
    assert!(e.traceback().contains("script.lua:5: in function 'outer'"), "{}", e.traceback());
    assert!(format!("{e:#}").starts_with("script.lua:2: deep\nstack traceback:"));
    let v: String = vm.convert(e.value().unwrap()).unwrap();
    assert_eq!(v, "script.lua:2: deep");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    assert_eq!(boxed.to_string(), "script.lua:2: deep");

    assert_eq!(vm.load("x = = 1", "bad.lua").unwrap_err().kind(), ErrorKind::Syntax);
    assert_eq!(vm.load_binary(b"not a module").unwrap_err().kind(), ErrorKind::Verify);
    let mut bytes = tarn::bytecode::binary::encode(
        &tarn::bytecode::text::assemble(".function main registers=1\n    return r0, 0\n.end\n.entry main\n")
            .unwrap(),
    );
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    assert_eq!(vm.load_binary(&bytes).unwrap_err().kind(), ErrorKind::Verify);
}

#[test]
fn out_of_memory_is_catchable_and_the_vm_goes_on() {
    let mut vm = Vm::new(Config::new().max_heap(2 << 20)).unwrap();
    let e = vm.exec("local t = {} for i = 1, 1e7 do t[i] = {} end").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfMemory);
    let (ok, msg): (bool, String) = vm.eval("return pcall(string.rep, 'x', 1 << 30)").unwrap();
    assert!(!ok);
    assert!(msg.contains("not enough memory") || msg.contains("too large"), "{msg}");
    assert_eq!(vm.eval::<i64>("return 1 + 1").unwrap(), 2);
}

#[derive(Clone, Debug, PartialEq)]
struct Vec2 {
    x: f64,
    y: f64,
}

impl UserData for Vec2 {
    fn add_methods(m: &mut UserDataMethods<Self>) {
        m.add_method("length", |_, v, ()| (v.x * v.x + v.y * v.y).sqrt());
        m.add_method_mut("scale", |_, v, k: f64| {
            v.x *= k;
            v.y *= k;
        });
        m.add_method("each", |cx, v, f: Function| f.call::<()>(cx, (v.x, v.y)));
        m.add_field_get("x", |_, v| v.x);
        m.add_field_set("x", |_, v, x: f64| v.x = x);
        m.add_meta_function(MetaMethod::Add, |_, (a, b): (Vec2, Vec2)| Vec2 { x: a.x + b.x, y: a.y + b.y });
        m.add_meta_method(MetaMethod::ToString, |_, v, ()| format!("({}, {})", v.x, v.y));
        m.add_meta_method(MetaMethod::Eq, |_, v, other: Vec2| *v == other);
        m.add_meta_method(MetaMethod::Len, |_, _, ()| 2);
        m.add_meta_method(MetaMethod::Index, |_, _, key: String| format!("no field {key}"));
    }
}

#[test]
fn userdata_have_methods_fields_and_metamethods() {
    let mut vm = vm();
    vm.register("vec", |x: f64, y: f64| Vec2 { x, y }).unwrap();
    assert_eq!(vm.eval::<f64>("return vec(3, 4):length()").unwrap(), 5.0);
    assert_eq!(vm.eval::<f64>("local v = vec(3, 4) v:scale(2) return v:length()").unwrap(), 10.0);
    assert_eq!(vm.eval::<f64>("local v = vec(3, 4) v.x = 6 return v.x").unwrap(), 6.0);
    assert_eq!(vm.eval::<String>("return tostring(vec(1, 2) + vec(3, 4))").unwrap(), "(4, 6)");
    assert!(vm.eval::<bool>("return vec(1, 2) == vec(1, 2)").unwrap());
    assert_eq!(vm.eval::<i64>("return #vec(1, 2)").unwrap(), 2);
    assert_eq!(vm.eval::<String>("return vec(1, 2).zzz").unwrap(), "no field zzz");
    assert_eq!(vm.eval::<String>("return getmetatable(vec(1, 2))").unwrap(), "Vec2");
    assert_eq!(vm.eval::<Vec2>("return vec(1, 2)").unwrap(), Vec2 { x: 1.0, y: 2.0 });
    for (src, message) in [
        ("vec(1, 2):scale('x')", "eval:1: bad argument #1 to 'scale' (number expected, got string)"),
        (
            "local v = vec(1, 2) v.length(5)",
            "eval:1: calling 'length' on bad self (Vec2 expected, got number)",
        ),
        ("local v = vec(1, 2) v.y = 1", "eval:1: cannot set field 'y' of Vec2"),
        ("local _ = vec(1, 2) + 1", "eval:1: bad argument #2 to '__add' (Vec2 expected, got number)"),
        // A method that calls back into Lua cannot be re-entered on the same value.
        (
            "local v = vec(1, 2) v:each(function() v:scale(2) end)",
            "eval:1: Vec2 is in use by a method that is still running",
        ),
    ] {
        assert_eq!(vm.exec(src).unwrap_err().message(), message, "{src}");
    }
    // The value is back after the failed re-entry.
    assert_eq!(
        vm.eval::<f64>("local v = vec(3, 4) pcall(v.each, v, function() v:scale(2) end) return v:length()")
            .unwrap(),
        5.0
    );
}

#[test]
fn userdata_values_can_be_borrowed_taken_and_are_dropped_with_their_object() {
    #[derive(Debug)]
    struct Probe(Arc<Mutex<u32>>);
    impl Drop for Probe {
        fn drop(&mut self) {
            *self.0.lock().unwrap() += 1;
        }
    }
    impl UserData for Probe {}
    let drops = Arc::new(Mutex::new(0));
    let mut vm = vm();
    let ud = vm.create_userdata(Probe(drops.clone())).unwrap();
    assert!(ud.is::<Probe>(&mut vm).unwrap());
    assert!(!ud.is::<Vec2>(&mut vm).unwrap());
    assert_eq!(ud.borrow(&mut vm, |p: &Probe| Arc::strong_count(&p.0)).unwrap(), 2);
    let e = ud.borrow(&mut vm, |_: &Vec2| ()).unwrap_err();
    assert_eq!(e.message(), "Vec2 expected, got Probe");
    vm.set_global("probe", &ud).unwrap();
    drop(ud);
    vm.exec("probe = nil").unwrap();
    vm.collect_garbage();
    assert_eq!(*drops.lock().unwrap(), 1, "collected, so dropped");

    let ud = vm.create_userdata(Probe(drops.clone())).unwrap();
    let taken = ud.take::<Probe>(&mut vm).unwrap();
    assert_eq!(ud.take::<Probe>(&mut vm).unwrap_err().message(), "Probe has been taken by the host");
    drop(taken);
    assert_eq!(*drops.lock().unwrap(), 2);
    let kept: AnyUserData = vm.create_userdata(Probe(drops.clone())).unwrap();
    drop(vm);
    assert_eq!(*drops.lock().unwrap(), 3, "dropping the VM drops what it holds");
    drop(kept);
}
