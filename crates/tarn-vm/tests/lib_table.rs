//! The table library (§6.6) against lua5.4: results, error messages, metamethods and
//! hostile arguments that must end in clean errors.

mod common;

use common::check;

#[test]
fn insert_and_remove() {
    check(
        r#"local t = {}
table.insert(t, "a") table.insert(t, "c") table.insert(t, 2, "b") table.insert(t, 1, "start")
print(#t, table.concat(t, " "))
print(table.remove(t), table.remove(t, 1), #t, table.concat(t, " "))
table.insert(t, #t + 1, "end") print(table.concat(t, " "))
print(table.remove({}), table.remove({}, 0), table.remove({1, 2, 3}, 4))
local r = {[0] = "z"} print(table.remove(r, 0), r[0])
local n = {n = 1} table.insert(n, nil) print(#n)
"#,
        r#"4	start a b c
c	start	2	a b
a b end
nil	nil	nil
z	nil
0
"#,
    );
}

#[test]
fn insert_errors() {
    check(
        r#"print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert, {1, 2}, 0, "x"))
print(pcall(table.insert, {1, 2}, 4, "x"))
print(pcall(table.insert, {1, 2}, -1, "x"))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, 1.5, 1))
print(pcall(table.insert, {}, "x", 1))
print(pcall(function() table.insert({}, 5, 1) end))
print(pcall(function() table.insert(nil, 1) end))
print(pcall(function() table.insert({}, 1, 2, 3) end))
"#,
        r#"false	wrong number of arguments to 'insert'
false	wrong number of arguments to 'insert'
false	bad argument #2 to 'table.insert' (position out of bounds)
false	bad argument #2 to 'table.insert' (position out of bounds)
false	bad argument #2 to 'table.insert' (position out of bounds)
false	bad argument #1 to 'table.insert' (table expected, got nil)
false	bad argument #2 to 'table.insert' (number has no integer representation)
false	bad argument #2 to 'table.insert' (number expected, got string)
false	test:9: bad argument #2 to 'insert' (position out of bounds)
false	test:10: bad argument #1 to 'insert' (table expected, got nil)
false	test:11: wrong number of arguments to 'insert'
"#,
    );
}

#[test]
fn remove_errors() {
    check(
        r#"print(pcall(table.remove, {1, 2, 3}, 7))
print(pcall(table.remove, {1, 2, 3}, 0))
print(pcall(table.remove, {}, -1))
print(pcall(table.remove, {}, "a"))
print(pcall(function() table.remove({}, 3) end))
"#,
        r#"false	bad argument #1 to 'table.remove' (position out of bounds)
false	bad argument #1 to 'table.remove' (position out of bounds)
false	bad argument #1 to 'table.remove' (position out of bounds)
false	bad argument #2 to 'table.remove' (number expected, got string)
false	test:5: bad argument #1 to 'remove' (position out of bounds)
"#,
    );
}

#[test]
fn concat() {
    check(
        r#"print(table.concat({1, 2, 3}), table.concat({"a", "b"}, ", "), table.concat({}, "x"))
print(table.concat({"a", "b", "c", "d"}, "-", 2, 3), table.concat({1.5, 2, -0.0, 1e100}, " "))
print(table.concat({1, 2, 3}, ",", 3, 2), table.concat({1, 2.5, "x"}, 3), table.concat({"a"}, ",", 1, 1))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
print(pcall(table.concat, {}, {}))
print(pcall(table.concat, {"a"}, nil, 1.5))
print(pcall(table.concat, {true}))
print(pcall(function() return table.concat({1, print}) end))
"#,
        r#"123	a, b	
b-c	1.5 2 -0.0 1e+100
	132.53x	a
false	invalid value (table) at index 2 in table for 'concat'
false	invalid value (nil) at index 3 in table for 'concat'
false	bad argument #2 to 'table.concat' (string expected, got table)
false	bad argument #3 to 'table.concat' (number has no integer representation)
false	invalid value (boolean) at index 1 in table for 'concat'
false	test:9: invalid value (function) at index 2 in table for 'concat'
"#,
    );
}

#[test]
fn pack_unpack() {
    check(
        r##"local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(table.pack().n, select("#", table.unpack(table.pack())))
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({1, 2, 3}, -1, 1))
print(select("#", table.unpack({}, 1, 3)), select("#", table.unpack({1, 2}, 3, 2)))
print(table.unpack({1, 2, 3}, "2", 3.0))
print(pcall(table.unpack, {}, 1.5))
"##,
        r#"3	1	nil	3
0	0
1	2	3
2	3
2	3	nil	nil
nil	nil	1
3	0
2	3
false	bad argument #2 to 'table.unpack' (number has no integer representation)
"#,
    );
}

#[test]
fn unpack_limits() {
    check(
        r##"print(pcall(table.unpack, {}, 1, 1e8))
print(pcall(table.unpack, {}, 1, 1e7))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(pcall(table.unpack, {}, 0, math.maxinteger))
print(pcall(table.unpack, {}, math.maxinteger, math.maxinteger))
print(select("#", table.unpack({}, math.maxinteger - 2, math.maxinteger)))
print(select("#", table.unpack({}, math.mininteger, math.mininteger + 1)))
"##,
        r#"false	too many results to unpack
false	too many results to unpack
false	too many results to unpack
false	too many results to unpack
true	nil
3
2
"#,
    );
}

#[test]
fn move_ranges() {
    check(
        r##"local m = table.move({1, 2, 3}, 1, 3, 2)
print(table.concat(m, ","))
print(table.concat(table.move({1, 2, 3, 4, 5}, 2, 5, 1), ","))
print(table.concat(table.move({"a", "b"}, 1, 2, 3, {"x", "y"}), ","))
print(table.concat(table.move({1, 2, 3}, 2, 1, 1), ","))
local t = {1, 2, 3}
print(table.move(t, 1, 3, 1) == t, table.move(t, 1, 0, 5, {}) ~= t)
print(pcall(table.move, {1, 2, 3}, 1, math.maxinteger, 2))
print(pcall(table.move, {1, 2, 3}, -1, math.maxinteger, 2))
print(pcall(table.move, {1, 2, 3}, 1, 3, math.maxinteger))
print(pcall(table.move, {1, 2, 3}, 1, 3, math.maxinteger - 1))
print(select("#", table.move({1, 2, 3}, 1, 3, math.maxinteger - 2)))
print(pcall(table.move, {1, 2, 3}, 1, 3, 2, 5))
print(pcall(table.move, {1, 2, 3}, 1, 3))
print(pcall(table.move, {1, 2, 3}, math.mininteger, -1, 1))
"##,
        r#"1,1,2,3
2,3,4,5,5
x,y,a,b
1,2,3
true	true
false	bad argument #4 to 'table.move' (destination wrap around)
false	bad argument #3 to 'table.move' (too many elements to move)
false	bad argument #4 to 'table.move' (destination wrap around)
false	bad argument #4 to 'table.move' (destination wrap around)
1
false	bad argument #5 to 'table.move' (table expected, got number)
false	bad argument #4 to 'table.move' (number expected, got no value)
false	bad argument #3 to 'table.move' (too many elements to move)
"#,
    );
}

#[test]
fn sort_default_and_comparator() {
    check(
        r#"local t = {5, 2, 8, 1, 9, 3}
table.sort(t) print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end) print(table.concat(t, " "))
local names = {"bob", "alice", "Carol", "dave"}
table.sort(names) print(table.concat(names, " "))
local recs = {{n = "x", v = 3}, {n = "y", v = 1}, {n = "z", v = 2}}
table.sort(recs, function(a, b) return a.v < b.v end)
print(recs[1].n, recs[2].n, recs[3].n)
local mixed = {3, 1.5, 2, -1, 2.5, math.huge, -math.huge}
table.sort(mixed) print(table.concat(mixed, " "))
local e = {} table.sort(e) local one = {1} table.sort(one) print(#e, one[1])
print(pcall(table.sort, {3, 1, 2}, 5))
print(pcall(table.sort, {}, 5))
"#,
        r#"1 2 3 5 8 9
9 8 5 3 2 1
Carol alice bob dave
y	z	x
-inf -1 1.5 2 2.5 3 inf
0	1
false	bad argument #2 to 'table.sort' (function expected, got number)
true
"#,
    );
}

#[test]
fn sort_many() {
    check(
        r#"local N = 2000
local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
for _, n in ipairs({0, 1, 2, 3, 4, 5, 7, 10, 31, 100, N}) do
  for _, kind in ipairs({"random", "sorted", "reversed", "equal", "organ"}) do
    local t = {}
    for i = 1, n do
      if kind == "random" then t[i] = rnd() % 100
      elseif kind == "sorted" then t[i] = i
      elseif kind == "reversed" then t[i] = n - i
      elseif kind == "equal" then t[i] = 7
      else t[i] = i <= n // 2 and i or n - i end
    end
    local copy = {table.unpack(t)}
    table.sort(t)
    for i = 2, n do assert(t[i - 1] <= t[i], kind .. " " .. n) end
    table.sort(copy, function(a, b) return a > b end)
    for i = 2, n do assert(copy[i - 1] >= copy[i]) end
  end
end
print("sorted")
"#,
        r#"sorted
"#,
    );
}

#[test]
fn sort_hostile_comparators() {
    check(
        r#"print(pcall(table.sort, {3, 2, 1}, function(a, b) return true end))
local big = {} for i = 1, 100 do big[i] = i % 7 end
print(pcall(table.sort, big, function(a, b) return true end))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("boom") end))
print((pcall(table.sort, {3, 2, 1}, function(a, b) error({}) end)))
local calls = 0
local ok = pcall(table.sort, big, function(a, b) calls = calls + 1 return calls % 3 == 0 end)
print(type(ok))
local t = {5, 4, 3, 2, 1}
print(pcall(table.sort, t, function(a, b) t[1] = nil return (a or 0) < (b or 0) end))
"#,
        r#"true
false	invalid order function for sorting
false	test:4: boom
false
boolean
true
"#,
    );
}

#[test]
fn sort_array_too_big() {
    check(
        r#"print(pcall(table.sort, setmetatable({}, {__len = function() return math.maxinteger end})))
print(pcall(table.sort, setmetatable({}, {__len = function() return 2^31 end})))
"#,
        r#"false	bad argument #1 to 'table.sort' (array too big)
false	bad argument #1 to 'table.sort' (array too big)
"#,
    );
}

#[test]
fn metamethods() {
    check(
        r#"local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return k * 10 end,
  __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. tostring(v) end,
  __len = function() return 3 end,
})
print(table.concat(proxy, ","), table.unpack(proxy))
table.insert(proxy, "x")
table.insert(proxy, 1, "y")
print(table.concat(log, " "))
print(table.remove(proxy))
print(pcall(table.insert, setmetatable({}, {__len = function() return "x" end}), 1))
print(pcall(table.insert, setmetatable({}, {__len = function() return 2.5 end}), 1))
local w = setmetatable({}, {__len = function() return 2.0 end}) table.insert(w, "v") print(rawget(w, 3))
local backing = {3, 1, 2}
local view = setmetatable({}, {__index = backing, __newindex = backing, __len = function() return #backing end})
table.sort(view) print(table.concat(backing, " "))
print(table.concat(table.move(view, 1, 3, 1, {}), " "))
local u = setmetatable({}, {__index = function(_, i) return i end, __len = function() return 4 end})
print(pcall(table.sort, u))
"#,
        r#"10,20,30	10	20	30
4=x 4=30 3=20 2=10 1=y
30
false	object length is not an integer
false	object length is not an integer
v
1 2 3
1 2 3
true
"#,
    );
}

#[test]
fn non_table_arguments() {
    check(
        r#"print(pcall(table.concat, "abc"))
print(pcall(table.sort, 42))
print(pcall(table.remove, true))
print(pcall(table.move, {}, 1, 1, 1, 7))
print(pcall(table.move, nil, 1, 1, 1))
print(pcall(table.move, {}, "a", 1, 1))
"#,
        r#"false	bad argument #1 to 'table.concat' (table expected, got string)
false	bad argument #1 to 'table.sort' (table expected, got number)
false	bad argument #1 to 'table.remove' (table expected, got boolean)
false	bad argument #5 to 'table.move' (table expected, got number)
false	bad argument #1 to 'table.move' (table expected, got nil)
false	bad argument #2 to 'table.move' (number expected, got string)
"#,
    );
}

/// Errors that VM operations raise inside a library function (comparing, taking a
/// length). Lua gives them no position, because the running function is not Lua code;
/// Tarn's VM adds the calling line (a gap noted for the VM), so only the text is compared.
#[test]
fn errors_from_vm_operations() {
    let out = common::tarn("print(pcall(table.sort, {1, 'x'}))\nprint(pcall(table.unpack, nil))\nprint(pcall(table.concat, setmetatable({}, {__len = function() return {} end})))");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("false\t") && lines[0].ends_with("attempt to compare string with number"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("false\t") && lines[1].ends_with("attempt to get length of a nil value"),
        "{out}"
    );
    assert_eq!(lines[2], "false\tobject length is not an integer", "{out}");
}

fn limited(fuel: u64) -> tarn_vm::Limits {
    tarn_vm::Limits { fuel, ..tarn_vm::Limits::default() }
}

/// Huge ranges end in "out of fuel" under a fuel limit: the work is metered, and nothing
/// is allocated up front.
#[test]
fn huge_ranges_run_out_of_fuel() {
    for src in [
        "table.move({}, 1, math.maxinteger - 1, 2)",
        "table.move({1, 2, 3}, 0, math.maxinteger - 1, 1)",
        "table.concat(setmetatable({}, {__index = function() return 'x' end}), ',', 1, math.maxinteger)",
        "local t = setmetatable({}, {__len = function() return 2^40 end}) table.insert(t, 1, 'x')",
        "local t = setmetatable({}, {__len = function() return 2^40 end}) table.remove(t, 1)",
        "local t = setmetatable({}, {__len = function() return 2^30 end}) table.sort(t, function(a, b) return false end)",
    ] {
        let (_, result) = common::tarn_with(limited(1_000_000), src);
        let err = result.expect_err(src);
        assert_eq!(err.kind(), tarn_vm::ErrorKind::OutOfFuel, "{src}: {err}");
    }
}

/// A result string larger than the string limit is refused before it is made.
#[test]
fn concat_respects_the_string_limit() {
    let limits = tarn_vm::Limits { max_string: 1000, ..tarn_vm::Limits::default() };
    let src = "local t = {} for i = 1, 200 do t[i] = 'abcdefgh' end print(pcall(table.concat, t))";
    let (out, result) = common::tarn_with(limits, src);
    result.expect("runs");
    assert!(out.starts_with("false\t") && out.contains("too large"), "{out}");
}

/// Fuel is charged for the work: sorting costs about one unit per comparison.
#[test]
fn sort_charges_fuel_per_comparison() {
    let src = "local t = {} for i = 1, 1000 do t[i] = (i * 7919) % 1000 end return t";
    let mut vm = tarn_vm::Vm::new(tarn_vm::Limits::default()).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    let verified = tarn_bytecode::verify(tarn_compiler::compile(src.as_bytes(), "=test").unwrap()).unwrap();
    let f = vm.load(&verified).unwrap();
    let t = vm.call(f, &[]).unwrap()[0];
    let sort = match vm.get_global("table").unwrap() {
        tarn_vm::Value::Table(lib) => vm.get_field(lib, "sort").unwrap(),
        _ => panic!("no table library"),
    };
    vm.set_fuel(1_000_000);
    vm.call(sort, &[t]).unwrap();
    let used = 1_000_000 - vm.fuel();
    assert!((5_000..60_000).contains(&used), "fuel used {used}");
}
