//! The `io` library: file round trips in a temporary directory, every `read` format,
//! `lines`, `seek`, default files, and errors in Lua's words; compared with `lua5.4`
//! when it is installed.

mod capable;
use capable::*;

#[test]
fn write_append_and_read_back() {
    let (dir, src) = in_temp_dir(
        r#"
local name = DIR .. "/a.txt"
local f = assert(io.open(name, "w"))
print(io.type(f), f:write("one\n", 2, " ", 3.5, " 0x10 -7e1 .5 1e+2 nan\n", "three\r\n", "last") == f)
print(f:close(), io.type(f), tostring(f))
f = assert(io.open(name, "a")) f:write("\nappended", 1e100, -0.0, 2^63) f:close()
f = assert(io.open(name, "rb"))
print(f:read("l"))
print(f:read("n", "n", "n", "n", "n", "n", "n"))
print(f:read("l"))
print(f:read("L"))
print(f:read(2), f:read(0), f:read("*l"))
print(f:read("a"))
print(f:read("a"), f:read("l"), f:read(0), f:read(1), f:read("n"))
f:close()
"#,
    );
    let out = same_as_lua(&src);
    assert_eq!(
        out,
        "file\ttrue\ntrue\tclosed file\tfile (closed)\none\n2\t3.5\t16\t-70.0\t0.5\t100.0\tnil\nnan\nthree\r\n\n\
         la\t\tst\nappended1e+100-09.2233720368548e+18\n\tnil\tnil\tnil\tnil\n"
    );
    assert!(dir.path().join("a.txt").exists());
}

#[test]
fn read_numbers_like_lua() {
    let (_dir, src) = in_temp_dir(
        r#"
local name = DIR .. "/n.txt"
local f = io.open(name, "w")
f:write("  42\n-3\t+7 0x1p4 0X1F 1.5e-3 9223372036854775807 9223372036854775808 .e5 5e 0x 12abc")
f:close()
f = io.open(name)
for i = 1, 9 do io.write(tostring(f:read("n")), " ") end
print(f:read("a"))
f:close()
"#,
    );
    let out = same_as_lua(&src);
    assert_eq!(out, "42 -3 7 16.0 31 0.0015 9223372036854775807 9.2233720368548e+18 nil e5 5e 0x 12abc\n");
}

#[test]
fn lines_with_formats_and_closing() {
    let (_dir, src) = in_temp_dir(
        r#"
local name = DIR .. "/l.txt"
local f = io.open(name, "w") f:write("a\nbb\n\nccc") f:close()
for l in io.lines(name) do io.write("[", l, "]") end print()
for l in io.lines(name, "L") do io.write("[", l, "]") end print()
for a, b in io.lines(name, 1, 1) do io.write("<", a, tostring(b), ">") end print()
local it, x, y, fh = io.lines(name)
print(x, y, io.type(fh))
while it() do end
print(io.type(fh), pcall(it) == false)
f = io.open(name)
for l in f:lines() do io.write(l, ";") end print()
print(io.type(f), f:read("a"), f:seek("set"), f:read("l"))
f:close()
"#,
    );
    let out = same_as_lua(&src);
    assert_eq!(
        out,
        "[a][bb][][ccc]\n[a\n][bb\n][\n][ccc]\n<a\n><bb><\n\n><cc><cnil>\n\
         nil\tnil\tfile\nclosed file\ttrue\na;bb;;ccc;\nfile\t\t0\ta\n"
    );
    assert_eq!(
        error_with(Capabilities::all(), "io.lines('/nonexistent/file')"),
        "test:1: /nonexistent/file: No such file or directory"
    );
    let (_dir, src) = in_temp_dir(
        "local n = DIR .. '/x' io.open(n, 'w'):close() local it = io.lines(n) it()\n\
         it()",
    );
    assert_eq!(error_with(Capabilities::all(), &src), "test:3: file is already closed");
}

#[test]
fn seek_and_update_modes() {
    let (_dir, src) = in_temp_dir(
        r#"
local name = DIR .. "/s.txt"
local f = io.open(name, "w+")
f:write("0123456789")
print(f:seek("cur"), f:seek("set", 2), f:read(3), f:seek("cur"), f:seek("cur", -1), f:read(1), f:seek("end"), f:seek("end", -3), f:read("a"))
f:close()
f = io.open(name, "r+")
print(f:read(2)) f:write("XY") print(f:read(2))
f:seek("set") print(f:read("a"))
f:close()
f = io.open(name, "a+")
f:write("!") f:seek("set") print(f:read("a"))
f:close()
f = io.open(name, "w")
print(f:read("a"))
f:close()
print(io.open(name):read("a") == "")
"#,
    );
    let out = same_as_lua(&src);
    assert_eq!(out, "10\t2\t234\t5\t4\t4\t10\t7\t789\n01\n45\n01XY456789\n01XY456789!\nnil\tBad file descriptor\t9\ntrue\n");
}

#[test]
fn default_input_and_output() {
    let (_dir, src) = in_temp_dir(
        r#"
local inname, outname = DIR .. "/in.txt", DIR .. "/out.txt"
local f = io.open(inname, "w") f:write("first\nsecond\nthird\n") f:close()
print(io.input() == io.stdin, io.output() == io.stdout)
io.input(inname)
print(io.read(), io.read("L"))
for l in io.lines() do print("line", l) end
local out = io.output(outname)
print(io.output() == out, io.type(out))
io.write("to ", "file", 1, "\n")
print(io.close())
print(io.type(out), pcall(io.write, "x"))
io.output(io.stdout)
print(io.write("back\n") == io.stdout)
io.input():close()
print(pcall(io.read))
io.input(io.stdin)
print(io.open(outname):read("a"))
"#,
    );
    let out = run(&src);
    assert_eq!(
        out,
        "true\ttrue\nfirst\tsecond\n\nline\tthird\ntrue\tfile\ntrue\nclosed file\tfalse\tdefault output file is closed\n\
         back\ntrue\nfalse\tdefault input file is closed\nto file1\n\n"
    );
}

#[test]
fn standard_files() {
    let out = same_as_lua(
        "print(io.type(io.stdout), io.type(io.stderr), io.type(io.stdin), io.type(42), io.type({}))\n\
         print(io.stdout:close())\n\
         print(io.stdout:write('via stdout\\n') == io.stdout, io.stdout:setvbuf('no'), io.stdout:flush(), io.flush())\n\
         print(io.stdout:seek())",
    );
    assert_eq!(
        out,
        "file\tfile\tfile\tnil\tnil\nnil\tcannot close standard file\nvia stdout\ntrue\ttrue\ttrue\ttrue\nnil\tIllegal seek\t29\n"
    );
}

#[test]
fn tmpfile_is_readable_and_writable() {
    let out = same_as_lua(
        "local f = io.tmpfile() f:write('temp data') f:seek('set') print(f:read('a'), f:close())",
    );
    assert_eq!(out, "temp data\ttrue\n");
}

#[test]
fn open_errors() {
    let (dir, src) = in_temp_dir("print(io.open(DIR .. '/missing.txt'))");
    let out = run(&src);
    assert_eq!(out, format!("nil\t{}/missing.txt: No such file or directory\t2\n", dir.path().display()));
    same_as_lua("print(select('#', io.open('/nonexistent/x')), select(3, io.open('/nonexistent/x')))");
    for (src, message) in [
        ("io.open('x', 'rw')", "bad argument #2 to 'open' (invalid mode)"),
        ("io.open('x', '')", "bad argument #2 to 'open' (invalid mode)"),
        ("io.open('x', 'r+bx')", "bad argument #2 to 'open' (invalid mode)"),
        ("io.open()", "bad argument #1 to 'open' (string expected, got no value)"),
        ("io.stdout:read('x')", "bad argument #1 to 'read' (invalid format)"),
        ("io.stdout:read({})", "bad argument #1 to 'read' (invalid format)"),
        ("io.stdout:write({})", "bad argument #1 to 'write' (string expected, got table)"),
        ("io.stdout:seek('bogus')", "bad argument #1 to 'seek' (invalid option 'bogus')"),
        ("io.stdout:setvbuf('sometimes')", "bad argument #1 to 'setvbuf' (invalid option 'sometimes')"),
        ("io.stdout.write(42)", "bad argument #1 to 'write' (FILE* expected, got number)"),
        ("io.popen('ls')", "'popen' not supported"),
        ("io.input('/nonexistent/in')", "cannot open file '/nonexistent/in' (No such file or directory)"),
    ] {
        assert_eq!(error_with(Capabilities::all(), src), format!("test:1: {message}"), "{src}");
    }
    let (_dir, src) = in_temp_dir(
        "local f = io.open(DIR .. '/c.txt', 'w') f:close()\n\
         f:read()",
    );
    assert_eq!(error_with(Capabilities::all(), &src), "test:3: attempt to use a closed file");
}

#[test]
fn to_be_closed_files_close() {
    let (_dir, src) = in_temp_dir(
        r#"
local keep
do
  local f <close> = io.open(DIR .. "/tbc.txt", "w")
  keep = f
  f:write("x")
end
print(io.type(keep))
local mt = getmetatable(io.stdout)
print(mt.__name, type(mt.__index.read), type(mt.__gc), type(mt.__close), type(mt.__tostring))
"#,
    );
    assert_eq!(same_as_lua(&src), "closed file\nFILE*\tfunction\tfunction\tfunction\tfunction\n");
}

#[test]
fn library_state_survives_collections() {
    let (_dir, src) = in_temp_dir(
        r#"
io.output(DIR .. "/gc.txt")
local junk = {}
for i = 1, 1000 do junk[i] = {i} end
junk = nil
collectgarbage() collectgarbage()
io.write("after gc")
io.close()
io.output(io.stdout)
local it = io.lines(DIR .. "/gc.txt")
collectgarbage() collectgarbage()
print(it())
for i = 1, 20 do io.open(DIR .. "/gc.txt") end
collectgarbage() collectgarbage()
local req, stdout = require, io.stdout
package, io = nil, nil
collectgarbage() collectgarbage()
print(req("coroutine") == coroutine, stdout:write("still\n") == stdout)
"#,
    );
    assert_eq!(same_as_lua(&src), "after gc\nstill\ntrue\ttrue\n");
}
