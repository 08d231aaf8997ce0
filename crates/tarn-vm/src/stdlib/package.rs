//! Modules (reference manual §6.3): `require` and the `package` table, plus the basic
//! functions that read code from files, `dofile` and `loadfile`.
//!
//! `require` looks in `package.loaded`, then asks each function of `package.searchers`
//! in turn: the preload searcher (`package.preload[name]`) and the Lua file searcher
//! (`package.searchpath(name, package.path)`). There are no C searchers: Tarn loads no
//! native code, so `package.cpath` is empty and `package.loadlib` answers
//! `nil, "dynamic libraries not enabled; ...", "absent"` as a Lua built without them.
//! `package.path` starts as `./?.lua;./?/init.lua`; `LUA_PATH` is not read (a sandboxed
//! host's search path must not depend on the environment).
//!
//! Reading files needs the `FileRead` capability (the file searcher, `searchpath`,
//! `dofile`, `loadfile`); turning source text into code also needs the host to have
//! granted a compiler ([`Vm::set_compiler`]), otherwise loading fails with the VM's
//! "loading source text is not allowed" message. Binary Tarn modules always pass the
//! verifier.

use crate::error::RuntimeError;
use crate::stdlib::capability::{Capabilities, Capability};
use crate::stdlib::Args;
use crate::value::{TableRef, Value};
use crate::Vm;

/// `package.config`: directory separator, path separator, substitution mark, executable
/// directory mark, ignore mark.
pub const CONFIG: &str = "/\n;\n?\n!\n-\n";

/// The initial `package.path`.
pub const DEFAULT_PATH: &str = "./?.lua;./?/init.lua";

/// Adds `require`, `package`, `dofile` and `loadfile`.
pub fn open(vm: &mut Vm, caps: &Capabilities) -> Result<(), RuntimeError> {
    let caps = *caps;
    // Functions that use `package` capture it, so the collector keeps it alive even if
    // a script removes the global.
    let package = vm.new_table()?;
    let loaded = vm.new_table()?;
    let preload = vm.new_table()?;
    vm.set_field(package, "loaded", Value::Table(loaded))?;
    vm.set_field(package, "preload", Value::Table(preload))?;
    let path = vm.new_string(DEFAULT_PATH.as_bytes())?;
    vm.set_field(package, "path", path)?;
    let cpath = vm.new_string(b"")?;
    vm.set_field(package, "cpath", cpath)?;
    let config = vm.new_string(CONFIG.as_bytes())?;
    vm.set_field(package, "config", config)?;

    let searchpath =
        vm.new_function("searchpath", move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
            caps.check(Capability::FileRead, "package.searchpath")?;
            let a = Args::new("searchpath", args);
            let name = a.bytes(vm, 0)?;
            let path = a.bytes(vm, 1)?;
            let sep = match a.opt_string(vm, 2)? {
                Some(s) => vm.heap().str(s).as_bytes().to_vec(),
                None => b".".to_vec(),
            };
            let rep = match a.opt_string(vm, 3)? {
                Some(s) => vm.heap().str(s).as_bytes().to_vec(),
                None => b"/".to_vec(),
            };
            match search_path(&name, &path, &sep, &rep) {
                Ok(found) => out.push(vm.new_string(&found)?),
                Err(tried) => {
                    out.push(Value::Nil);
                    out.push(vm.new_string(&tried)?);
                }
            }
            Ok(())
        })?;
    vm.set_field(package, "searchpath", searchpath)?;

    let loadlib = vm.new_function("loadlib", |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
        let a = Args::new("loadlib", args);
        a.bytes(vm, 0)?;
        a.bytes(vm, 1)?;
        out.push(Value::Nil);
        out.push(vm.new_string(b"dynamic libraries not enabled; check your Lua installation")?);
        out.push(vm.new_string(b"absent")?);
        Ok(())
    })?;
    vm.set_field(package, "loadlib", loadlib)?;

    let searchers = vm.new_table()?;
    let preload_searcher = vm.new_function_capturing(
        "searcher_preload",
        &[Value::Table(package)],
        move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
            let a = Args::new("searcher_preload", args);
            let name = a.string(vm, 0)?;
            let preload = match vm.get_field(package, "preload")? {
                Value::Table(t) => t,
                _ => return Err(RuntimeError::runtime("'package.preload' must be a table")),
            };
            let loader = vm.heap().table(preload).get(Value::Str(name));
            if loader.is_nil() {
                let text = format!("no field package.preload['{}']", lossy(vm.heap().str(name).as_bytes()));
                out.push(vm.new_string(text.as_bytes())?);
            } else {
                out.push(loader);
                out.push(vm.new_string(b":preload:")?);
            }
            Ok(())
        },
    )?;
    let lua_searcher = vm.new_function_capturing(
        "searcher_Lua",
        &[Value::Table(package)],
        move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
            caps.check(Capability::FileRead, "require")?;
            let name = Args::new("searcher_Lua", args).bytes(vm, 0)?;
            let path = match vm.get_field(package, "path")? {
                Value::Str(s) => vm.heap().str(s).as_bytes().to_vec(),
                _ => return Err(RuntimeError::runtime("'package.path' must be a string")),
            };
            let filename = match search_path(&name, &path, b".", b"/") {
                Ok(f) => f,
                Err(tried) => {
                    out.push(vm.new_string(&tried)?);
                    return Ok(());
                }
            };
            match load_file(vm, &filename, "bt", None) {
                Ok(f) => {
                    out.push(f);
                    out.push(vm.new_string(&filename)?);
                    Ok(())
                }
                Err(message) => Err(RuntimeError::runtime(format!(
                    "error loading module '{}' from file '{}':\n\t{message}",
                    lossy(&name),
                    lossy(&filename)
                ))),
            }
        },
    )?;
    vm.set_table(searchers, Value::Int(1), preload_searcher)?;
    vm.set_table(searchers, Value::Int(2), lua_searcher)?;
    vm.set_field(package, "searchers", Value::Table(searchers))?;

    let require = vm.new_function_capturing(
        "require",
        &[Value::Table(package)],
        move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| require(vm, package, args, out),
    )?;
    vm.set_global("require", require)?;
    vm.set_global("package", Value::Table(package))?;

    let dofile = vm.new_function("dofile", move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
        let a = Args::new("dofile", args);
        let f = match a.opt_string(vm, 0)? {
            Some(name) => {
                caps.check(Capability::FileRead, "dofile")?;
                let name = vm.heap().str(name).as_bytes().to_vec();
                load_file(vm, &name, "bt", None).map_err(RuntimeError::runtime)?
            }
            None => {
                caps.check(Capability::Stdin, "dofile")?;
                load_stdin(vm).map_err(RuntimeError::runtime)?
            }
        };
        out.extend(vm.call(f, &[])?);
        Ok(())
    })?;
    vm.set_global("dofile", dofile)?;

    let loadfile =
        vm.new_function("loadfile", move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
            let a = Args::new("loadfile", args);
            let mode = match a.opt_string(vm, 1)? {
                Some(m) => lossy(vm.heap().str(m).as_bytes()),
                None => "bt".to_string(),
            };
            let env = if args.len() >= 3 { Some(a.get(2)) } else { None };
            let result = match a.opt_string(vm, 0)? {
                Some(name) => {
                    caps.check(Capability::FileRead, "loadfile")?;
                    let name = vm.heap().str(name).as_bytes().to_vec();
                    load_file(vm, &name, &mode, env)
                }
                None => {
                    caps.check(Capability::Stdin, "loadfile")?;
                    load_stdin(vm)
                }
            };
            match result {
                Ok(f) => out.push(f),
                Err(message) => {
                    out.push(Value::Nil);
                    out.push(vm.new_string(message.as_bytes())?);
                }
            }
            Ok(())
        })?;
    vm.set_global("loadfile", loadfile)?;

    // The libraries already open are "loaded" modules, as in Lua.
    let globals = vm.globals();
    vm.set_field(loaded, "_G", Value::Table(globals))?;
    for name in ["package", "coroutine", "table", "io", "os", "string", "math", "utf8", "debug"] {
        if let Value::Table(t) = vm.get_global(name)? {
            vm.set_field(loaded, name, Value::Table(t))?;
        }
    }
    Ok(())
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `package.searchpath`: the first template of `path` (`;`-separated, `?` replaced by
/// `name` with `sep` replaced by `rep`) naming a readable file, or the
/// `no file '...'` lines for all of them.
fn search_path(name: &[u8], path: &[u8], sep: &[u8], rep: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let name = if sep.is_empty() { name.to_vec() } else { replace(name, sep, rep) };
    let mut tried = Vec::new();
    for template in templates(path) {
        let filename = replace(template, b"?", &name);
        if std::fs::File::open(super::io::path_of(&filename))
            .is_ok_and(|f| f.metadata().is_ok_and(|m| !m.is_dir()))
        {
            return Ok(filename);
        }
        if !tried.is_empty() {
            tried.extend_from_slice(b"\n\t");
        }
        tried.extend_from_slice(b"no file '");
        tried.extend_from_slice(&filename);
        tried.extend_from_slice(b"'");
    }
    Err(tried)
}

/// The templates of a path as Lua's `getnextfilename` walks it: one separator is
/// skipped before each, so `a;;b` has an empty template between `a` and `b`, and a
/// trailing `;` ends with one.
fn templates(path: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < path.len() {
        if path[pos] == b';' {
            pos += 1;
        }
        let end = path[pos..].iter().position(|&c| c == b';').map_or(path.len(), |i| pos + i);
        out.push(&path[pos..end]);
        pos = end;
    }
    out
}

fn replace(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if !from.is_empty() && s[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// Loads a file as `luaL_loadfilex` does: chunk name `@filename`, a first line starting
/// with `#` skipped (kept as an empty line so line numbers stay right).
fn load_file(vm: &mut Vm, filename: &[u8], mode: &str, env: Option<Value>) -> Result<Value, String> {
    let bytes = std::fs::read(super::io::path_of(filename))
        .map_err(|e| format!("cannot open {}: {}", lossy(filename), super::io::error_text(&e)))?;
    if bytes.len() > vm.limits().max_string {
        return Err(format!("cannot read {}: file too large", lossy(filename)));
    }
    load_bytes(vm, bytes, &format!("@{}", lossy(filename)), mode, env)
}

fn load_stdin(vm: &mut Vm) -> Result<Value, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {}", super::io::error_text(&e)))?;
    load_bytes(vm, bytes, "=stdin", "bt", None)
}

fn load_bytes(
    vm: &mut Vm,
    mut bytes: Vec<u8>,
    chunkname: &str,
    mode: &str,
    env: Option<Value>,
) -> Result<Value, String> {
    if bytes.first() == Some(&b'#') {
        let end = bytes.iter().position(|&c| c == b'\n').unwrap_or(bytes.len());
        bytes.drain(..end);
    }
    vm.load_chunk(&bytes, chunkname, mode, env)
}

/// `require(name)`.
fn require(vm: &mut Vm, package: TableRef, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("require", args);
    let name = a.string(vm, 0)?;
    let name_text = lossy(vm.heap().str(name).as_bytes());
    let loaded = match vm.get_field(package, "loaded")? {
        Value::Table(t) => t,
        _ => return Err(RuntimeError::runtime("'package.loaded' must be a table")),
    };
    let existing = vm.heap().table(loaded).get(Value::Str(name));
    if existing.is_truthy() {
        out.push(existing);
        return Ok(());
    }
    let searchers = match vm.get_field(package, "searchers")? {
        Value::Table(t) => t,
        _ => return Err(RuntimeError::runtime("'package.searchers' must be a table")),
    };
    let mut message = format!("module '{name_text}' not found:");
    let mut i = 1;
    let (loader, data) = loop {
        let searcher = vm.heap().table(searchers).get_int(i);
        if searcher.is_nil() {
            return Err(RuntimeError::runtime(message));
        }
        let results = vm.call(searcher, &[Value::Str(name)])?;
        match results.first().copied().unwrap_or(Value::Nil) {
            f @ (Value::Closure(_) | Value::Native(_)) => {
                break (f, results.get(1).copied().unwrap_or(Value::Nil));
            }
            Value::Str(s) => {
                message.push_str("\n\t");
                message.push_str(&lossy(vm.heap().str(s).as_bytes()));
            }
            _ => {}
        }
        i += 1;
    };
    let results = vm.call(loader, &[Value::Str(name), data])?;
    let value = results.first().copied().unwrap_or(Value::Nil);
    if !value.is_nil() {
        vm.set_table(loaded, Value::Str(name), value)?;
    }
    let mut result = vm.heap().table(loaded).get(Value::Str(name));
    if result.is_nil() {
        result = Value::Bool(true);
        vm.set_table(loaded, Value::Str(name), result)?;
    }
    out.push(result);
    out.push(data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_and_search() {
        assert_eq!(replace(b"a.b.c", b".", b"/"), b"a/b/c");
        assert_eq!(replace(b"./?.lua", b"?", b"m"), b"./m.lua");
        assert_eq!(templates(b"a;;b"), vec![&b"a"[..], b"", b"b"]);
        assert_eq!(templates(b";a;"), vec![&b"a"[..], b""]);
        assert!(templates(b"").is_empty());
        let tried =
            search_path(b"no.such", b"/nonexistent/?.lua;/nonexistent/?/init.lua", b".", b"/").unwrap_err();
        assert_eq!(
            String::from_utf8(tried).unwrap(),
            "no file '/nonexistent/no/such.lua'\n\tno file '/nonexistent/no/such/init.lua'"
        );
    }
}
