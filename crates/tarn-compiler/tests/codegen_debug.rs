//! Code generation: module shape and debug information (names, lines, locals, upvalues).

mod common;

use tarn_bytecode::module::UpvalSource;
use tarn_bytecode::Module;

fn module(src: &str, chunkname: &str) -> Module {
    let m = tarn_compiler::compile(src.as_bytes(), chunkname).unwrap();
    common::verify_module(m.clone(), src);
    m
}

#[test]
fn module_shape() {
    let m = module("local function f() return function() end end\nlocal g = function() end", "@script.lua");
    assert_eq!(m.entry, Some(0));
    let main = &m.functions[0];
    assert!(main.is_vararg);
    assert_eq!(main.num_params, 0);
    assert_eq!(main.upvalues, vec![UpvalSource::Globals]);
    // Children are numbered in the order their compilation starts: f (1), its inner
    // function (2), then g (3).
    assert_eq!(main.children, vec![1, 3]);
    assert_eq!(m.functions[1].children, vec![2]);
    let debug = m.debug.as_ref().unwrap();
    assert_eq!(debug.source, "script.lua");
    assert_eq!(debug.functions[0].upvalue_names, vec!["_ENV".to_string()]);
    assert_eq!(debug.functions[0].line_defined, 0);
    for (f, d) in m.functions.iter().zip(&debug.functions) {
        assert_eq!(f.code.len(), d.lines.len());
    }
}

#[test]
fn function_names_and_lines() {
    let src = "local function fib(n)\n  return n\nend\n\
               local obj = {a = {}}\n\
               function obj.a.b(x)\nend\n\
               function obj:method()\nend\n\
               function global_fn() end\n\
               local anon = {function() end}\n\
               local named = function()\n\
               end\n";
    let m = module(src, "=t");
    let d = &m.debug.as_ref().unwrap().functions;
    let names: Vec<Option<&str>> = d.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(
        names,
        vec![None, Some("fib"), Some("obj.a.b"), Some("obj:method"), Some("global_fn"), None, Some("named")]
    );
    assert_eq!((d[1].line_defined, d[1].last_line), (1, 3));
    assert_eq!((d[2].line_defined, d[2].last_line), (5, 6));
    assert_eq!((d[6].line_defined, d[6].last_line), (11, 12));
    // `self` is the method's first parameter.
    assert_eq!(m.functions[3].num_params, 1);
    assert_eq!(d[3].locals[0].name, "self");
}

#[test]
fn locals_and_upvalues_in_debug_info() {
    let src =
        "local a = 1\ndo\n  local b = 2\n  print(b)\nend\nlocal function f()\n  return a\nend\nreturn f";
    let m = module(src, "=t");
    let d = &m.debug.as_ref().unwrap().functions;
    let locals: Vec<(&str, u8)> = d[0].locals.iter().map(|l| (l.name.as_str(), l.register)).collect();
    assert_eq!(locals, vec![("a", 0), ("b", 1), ("f", 1)]);
    let b = &d[0].locals[1];
    // `b` is live only inside its block.
    let code_len = m.functions[0].code.len() as u32;
    assert!(b.start_pc < b.end_pc && b.end_pc < code_len, "{b:?}");
    assert_eq!(d[0].locals[0].end_pc, code_len);
    assert_eq!(d[1].upvalue_names, vec!["a".to_string()]);
    assert_eq!(m.functions[1].upvalues, vec![UpvalSource::ParentRegister(0)]);
}

#[test]
fn upvalues_of_upvalues_and_folded_constants() {
    let src = "local x = 1\nlocal K <const> = 5\nlocal function f()\n  local function g() return x + K end\n  return g\nend\nreturn f";
    let m = module(src, "=t");
    let d = &m.debug.as_ref().unwrap().functions;
    // K folds to a constant: no upvalue for it anywhere.
    assert_eq!(m.functions[1].upvalues, vec![UpvalSource::ParentRegister(0)]);
    assert_eq!(m.functions[2].upvalues, vec![UpvalSource::ParentUpval(0)]);
    assert_eq!(d[2].upvalue_names, vec!["x".to_string()]);
    common::check("local x = 1\nlocal K <const> = 5\nlocal function f()\n  local function g() return x + K end\n  return g\nend\nprint(f()())", "6\n");
}

#[test]
fn every_instruction_has_a_line() {
    let src =
        "local t = {}\nfor i = 1, 3 do\n  t[i] = i * 2\nend\nwhile #t > 0 do\n  t[#t] = nil\nend\nreturn t";
    let m = module(src, "=t");
    let d = &m.debug.as_ref().unwrap().functions[0];
    assert!(d.lines.iter().all(|&l| (1..=8).contains(&l)), "{:?}", d.lines);
}
