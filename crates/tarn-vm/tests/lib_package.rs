//! `require` and `package` (manual §6.3), `dofile` and `loadfile`: modules found in a
//! temporary directory through `package.path`, preload, the not-found message listing
//! every place tried, loading errors; compared with `lua5.4` when it is installed.

mod capable;
use capable::*;

/// A temporary directory holding `files`, and a script that starts by pointing
/// `package.path` at it (`DIR` is its path).
fn modules(files: &[(&str, &str)], body: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let src = format!(
        "local DIR = {}\npackage.path = DIR .. '/?.lua;' .. DIR .. '/?/init.lua'\n{body}",
        lua_path(dir.path())
    );
    (dir, src)
}

#[test]
fn require_finds_loads_and_caches_modules() {
    let (dir, src) = modules(
        &[
            ("m.lua", "count = (count or 0) + 1\nlocal name, path = ...\nreturn {name = name, path = path, n = count}"),
            ("pkg/init.lua", "return 'package ' .. ..."),
            ("a/b.lua", "return 'dotted ' .. ..."),
            ("nothing.lua", "x_loaded = true"),
        ],
        r#"
local m, where = require("m")
print(m.name, m.path == DIR .. "/m.lua", where == m.path, m.n)
print(require("m") == m, count, package.loaded.m == m)
print(require("pkg"), require("a.b"))
print(require("nothing"), x_loaded, package.loaded.nothing)
package.loaded.m = nil
print(require("m").n)
"#,
    );
    let out = same_as_lua(&src);
    let expected = format!(
        "m\ttrue\ttrue\t1\ntrue\t1\ttrue\npackage pkg\tdotted a.b\t{}/a/b.lua\ntrue\ttrue\ttrue\n2\n",
        dir.path().display()
    );
    assert_eq!(out, expected);
}

#[test]
fn preload_and_package_fields() {
    let out = same_as_lua(
        "package.preload.p = function(name, extra) return {name, extra} end\n\
         local p, extra = require('p')\n\
         print(p[1], p[2], extra)\n\
         print(package.config == '/\\n;\\n?\\n!\\n-\\n', type(package.searchers), #package.searchers >= 2, type(package.searchpath))\n\
         print(package.loaded._G == _G, package.loaded.package == package, package.loaded.io == io, package.loaded.os == os)",
    );
    assert_eq!(out, "p\t:preload:\t:preload:\ntrue\ttable\ttrue\tfunction\ntrue\ttrue\ttrue\ttrue\n");
    assert_eq!(run("print(package.path)"), "./?.lua;./?/init.lua\n");
}

#[test]
fn not_found_lists_every_place_tried() {
    let (dir, src) = modules(&[], "require('no.such')");
    let d = dir.path().display();
    assert_eq!(
        error_with(Capabilities::all(), &src),
        format!(
            "test:3: module 'no.such' not found:\n\tno field package.preload['no.such']\n\
             \tno file '{d}/no/such.lua'\n\tno file '{d}/no/such/init.lua'"
        )
    );
}

#[test]
fn loading_errors_name_the_module_and_file() {
    let (dir, src) = modules(&[("bad.lua", "return +")], "print(pcall(require, 'bad'))");
    let out = run(&src);
    let prefix =
        format!("false\terror loading module 'bad' from file '{}/bad.lua':\n\t", dir.path().display());
    assert!(out.starts_with(&prefix), "{out}");
    // A module's runtime error passes through unchanged.
    let (_dir, src) = modules(&[("boom.lua", "error('boom')")], "require('boom')");
    let message = error_with(Capabilities::all(), &src);
    assert!(message.ends_with("boom.lua:1: boom"), "{message}");
}

#[test]
fn searchpath() {
    let (dir, src) = modules(
        &[("x/y.lua", "")],
        "print(package.searchpath('x.y', DIR .. '/?.lua') == DIR .. '/x/y.lua')\n\
         print(package.searchpath('x_y', DIR .. '/?.lua', '_') == DIR .. '/x/y.lua')\n\
         print(package.searchpath('x.y', DIR .. '/?.lua', '', '') )\n\
         print(package.searchpath('q', 'a/?.x;;b/?.y'))",
    );
    let out = run(&src);
    let d = dir.path().display();
    assert_eq!(
        out,
        format!(
            "true\ntrue\nnil\tno file '{d}/x.y.lua'\nnil\tno file 'a/q.x'\n\tno file ''\n\tno file 'b/q.y'\n"
        )
    );
    same_as_lua(&src);
}

#[test]
fn dofile_and_loadfile() {
    let (dir, src) = modules(
        &[
            ("f.lua", "#!/usr/bin/env lua\nreturn 1, 2, (...)"),
            ("env.lua", "return y"),
            ("bad.lua", "x = = 1"),
            ("err.lua", "\nerror('in file')"),
        ],
        r#"
print(dofile(DIR .. "/f.lua"))
local f = loadfile(DIR .. "/f.lua") print(f("arg"))
print(loadfile(DIR .. "/env.lua", "t", {y = "from env"})())
print(loadfile(DIR .. "/missing.lua"))
print(loadfile(DIR .. "/f.lua", "b"))
print(select('#', loadfile(DIR .. "/bad.lua")))
print(pcall(dofile, DIR .. "/err.lua"))
"#,
    );
    let out = run(&src);
    let d = dir.path().display();
    assert_eq!(
        out,
        format!(
            "1\t2\tnil\n1\t2\targ\nfrom env\nnil\tcannot open {d}/missing.lua: No such file or directory\n\
             nil\tattempt to load a text chunk (mode is 'b')\n2\nfalse\t{d}/err.lua:2: in file\n"
        )
    );
    // lua5.4 says "cannot open <name>" too, and words the rest the same.
    same_as_lua(&src);
}
