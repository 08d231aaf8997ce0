//! Code generation: what runtime errors say (the line table and local/upvalue names the
//! compiler records), and compile errors raised by code generation itself.

mod common;
use common::*;

#[test]
fn runtime_errors_name_variables() {
    check_error("local x\nx.y = 1", "", "stdin:2: attempt to index a nil value (local 'x')");
    check_error("print(1)\nlocal v = y.z", "1\n", "stdin:2: attempt to index a nil value (global 'y')");
    check_error("local t = {}\nt.a.b = 1", "", "stdin:2: attempt to index a nil value (field 'a')");
    check_error(
        "local u\nlocal function f()\n  return u.x\nend\nf()",
        "",
        "stdin:3: attempt to index a nil value (upvalue 'u')",
    );
    check_error("local o = {}\no:nomethod()", "", "stdin:2: attempt to call a nil value (method 'nomethod')");
    check_error("undefined_fn()", "", "stdin:1: attempt to call a nil value (global 'undefined_fn')");
    check_error(
        "local a\nprint(a + 1)",
        "",
        "stdin:2: attempt to perform arithmetic on a nil value (local 'a')",
    );
    check_error(
        "local a = {}\nprint(2 * a.n)",
        "",
        "stdin:2: attempt to perform arithmetic on a nil value (field 'n')",
    );
    check_error("local s = 'x'\ns()", "", "stdin:2: attempt to call a string value (local 's')");
    check_error("local t = {}\nt.f()", "", "stdin:2: attempt to call a nil value (field 'f')");
    check_error("print(1 < nil)", "", "stdin:1: attempt to compare number with nil");
    check_error("local a = {}\nif a < 1 then end", "", "stdin:2: attempt to compare table with number");
    check_error("local a\nif 1 <= a then end", "", "stdin:2: attempt to compare number with nil");
    check_error("local a, b = 1, {}\nlocal c = a > b", "", "stdin:2: attempt to compare table with number");
}

#[test]
fn runtime_errors_report_the_right_line() {
    check_error(
        "local t = {}\nlocal x = 1 +\n  2 +\n  t.missing\n",
        "",
        "stdin:3: attempt to perform arithmetic on a nil value (field 'missing')",
    );
    check_error(
        "local function f()\n  local a = 1\n\n  return a .. {}\nend\nprint(no_such_global)\nf()",
        "nil\n",
        "stdin:4: attempt to concatenate a table value",
    );
    check_error(
        "local t = no_such_global\nlocal x = 0\nwhile true do\n  x = x + 1\n  if x > 3 then\n    t.y = 1\n  end\nend",
        "",
        "stdin:6: attempt to index a nil value (local 't')",
    );
    check_error("print(\n  1,\n  nil .. 'x'\n)", "", "stdin:3: attempt to concatenate a nil value");
}

#[test]
fn too_many_registers() {
    let args = vec!["1"; 300].join(", ");
    let e = tarn_compiler::compile(format!("local x\nf({args})").as_bytes(), CHUNK).unwrap_err();
    assert_eq!(e.to_string(), "stdin:2: function or expression needs too many registers");
    // Just under the limit still works: 200 locals plus a call with 50 arguments.
    let locals: Vec<String> = (0..199).map(|i| format!("l{i}")).collect();
    let args = vec!["1"; 50].join(", ");
    let src = format!(
        "local {} = 1\nlocal function f(...) return select_n end\nprint(f({args}))",
        locals.join(", ")
    );
    check(&src, "nil\n");
}

#[test]
fn too_many_constants() {
    // Lua has no such limit; Tarn's constant operands are 16 bits.
    let items: Vec<String> = (0..70_000).map(|i| format!("'s{i}'")).collect();
    let e =
        tarn_compiler::compile(format!("local t = {{{}}}", items.join(",")).as_bytes(), CHUNK).unwrap_err();
    assert_eq!(e.to_string(), "stdin:1: too many constants (limit is 65536) in main function");
    // 65536 distinct constants fit: 65533 strings, `print`, 65533 and 40000.
    let items: Vec<String> = (0..65_533).map(|i| format!("'s{i}'")).collect();
    let src = format!("local t = {{{}}}\nprint(#t, t[65533], t[40000])", items.join(","));
    check(&src, "65533\ts65532\ts39999\n");
    // Numbers beyond the immediate range are constants too; integers and floats are
    // different constants.
    let items: Vec<String> = (0..30_000).map(|i| format!("{}, {}.0", 100_000 + i, 100_000 + i)).collect();
    let src = format!("local t = {{{}}}\nprint(#t, t[1], t[2], t[60000])", items.join(","));
    check(&src, "60000\t100000\t100000.0\t129999.0\n");
}

#[test]
fn parse_errors_still_come_from_compile() {
    let e = tarn_compiler::compile(b"x = = 1", "=stdin").unwrap_err();
    assert_eq!(e.to_string(), "stdin:1: unexpected symbol near '='");
    let e = tarn_compiler::compile(b"goto nowhere", "=stdin").unwrap_err();
    assert_eq!(e.to_string(), "stdin:1: no visible label 'nowhere' for <goto> at line 1");
}
