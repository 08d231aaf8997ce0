//! The input and output library (reference manual §6.8), behind capabilities.
//!
//! File handles are full userdata whose payload is a [`LuaFile`]; their shared metatable
//! has `__index` (the method table), `__name` (`FILE*`), `__tostring`, `__gc` and
//! `__close`. Opening a file checks `FileRead` and/or `FileWrite` by mode; an open handle
//! is then usable without further checks (the capability was the right to open it).
//! Reading standard input checks `Stdin` on every read. Standard output goes through
//! [`Vm::write_output`], so a host that redirects `print` also captures `io.write`.
//!
//! Writes are not buffered by Tarn (each `write` call is one system call for its joined
//! arguments), so nothing is lost when the host ends the process after `os.exit`;
//! `setvbuf` is accepted and has no effect. Reads are buffered, and the buffer is
//! dropped (the OS position re-synchronised) before a write or seek.
//!
//! Not supported: `io.popen` raises `'popen' not supported` (running programs is not a
//! capability Tarn grants). The default input and output files are kept in the library's
//! closures, not in a Lua-visible registry (the VM has none yet).

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::RuntimeError;
use crate::stdlib::capability::{Capabilities, Capability};
use crate::stdlib::Args;
use crate::value::{TableRef, UserDataRef, Value};
use crate::Vm;

/// An open (or closed) Lua file handle: the payload of a file userdata.
pub struct LuaFile {
    /// `None` once closed.
    stream: Option<Stream>,
}

enum Stream {
    File(BufReader<File>),
    Stdin,
    Stdout,
    Stderr,
}

impl Stream {
    fn is_standard(&self) -> bool {
        !matches!(self, Stream::File(_))
    }
}

/// A path from Lua string bytes (any bytes on Unix).
pub(crate) fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The C library's wording of an error (`No such file or directory`), without Rust's
/// ` (os error 2)` suffix.
pub(crate) fn error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Pushes `luaL_fileresult`'s results: `true`, or `nil, "[name: ]message", errno`.
pub(crate) fn file_result(
    vm: &mut Vm,
    result: std::io::Result<()>,
    name: Option<&[u8]>,
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    match result {
        Ok(()) => out.push(Value::Bool(true)),
        Err(e) => push_error(vm, &e, name, out)?,
    }
    Ok(())
}

fn push_error(
    vm: &mut Vm,
    e: &std::io::Error,
    name: Option<&[u8]>,
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let mut message = Vec::new();
    if let Some(name) = name {
        message.extend_from_slice(name);
        message.extend_from_slice(b": ");
    }
    message.extend_from_slice(error_text(e).as_bytes());
    out.push(Value::Nil);
    out.push(vm.new_string(&message)?);
    out.push(Value::Int(i64::from(e.raw_os_error().unwrap_or(0))));
    Ok(())
}

/// Creates a new, empty file with a unique name in the system's temporary directory.
pub(crate) fn create_temp_file() -> std::io::Result<(File, PathBuf)> {
    let dir = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for _ in 0..100 {
        let id = super::os::next_temp_id();
        let name = format!("lua_{:x}_{:x}_{:x}", std::process::id(), nanos, id);
        let path = dir.join(name);
        match OpenOptions::new().read(true).write(true).create_new(true).open(&path) {
            Ok(f) => return Ok((f, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no unique name")))
}

/// The library's state, shared by its closures: the granted capabilities and a Lua
/// table holding the file metatable and the default input and output files. The table
/// is captured by every library function ([`Vm::new_function_capturing`]), which is
/// what keeps it, and the files in it, alive for the collector.
#[derive(Clone, Copy)]
struct IoState {
    caps: Capabilities,
    table: TableRef,
}

impl IoState {
    fn get(&self, vm: &mut Vm, key: &str) -> Result<Value, RuntimeError> {
        vm.get_field(self.table, key)
    }

    fn set(&self, vm: &mut Vm, key: &str, value: Value) -> Result<(), RuntimeError> {
        vm.set_field(self.table, key, value)
    }

    fn metatable(&self, vm: &mut Vm) -> Result<TableRef, RuntimeError> {
        match self.get(vm, "metatable")? {
            Value::Table(t) => Ok(t),
            _ => Err(RuntimeError::runtime("io library state lost its file metatable")),
        }
    }

    /// A host function that keeps this state (and `extra`) alive.
    fn function(
        &self,
        vm: &mut Vm,
        name: &str,
        extra: &[Value],
        func: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
    ) -> Result<Value, RuntimeError> {
        let mut captures = vec![Value::Table(self.table)];
        captures.extend_from_slice(extra);
        vm.new_function_capturing(name, &captures, func)
    }
}
type Fun = Arc<dyn Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync>;

/// Adds the `io` table and the file handle metatable.
pub fn open(vm: &mut Vm, caps: &Capabilities) -> Result<(), RuntimeError> {
    let metatable = vm.new_table()?;
    let methods = vm.new_table()?;
    let state = IoState { caps: *caps, table: vm.new_table()? };
    state.set(vm, "metatable", Value::Table(metatable))?;
    let stdin = new_file(vm, &state, Stream::Stdin)?;
    let stdout = new_file(vm, &state, Stream::Stdout)?;
    let stderr = new_file(vm, &state, Stream::Stderr)?;
    state.set(vm, "input", stdin)?;
    state.set(vm, "output", stdout)?;
    let s = state;
    let method_fns: Vec<(&'static str, Fun)> = vec![
        (
            "close",
            Arc::new(|vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "close", args)?;
                close_file(vm, u, out)
            }),
        ),
        (
            "flush",
            Arc::new(|vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "flush", args)?;
                flush_file(vm, u, out)
            }),
        ),
        ("lines", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "lines", args)?;
                open_file(vm, u)?;
                let formats = parse_formats(vm, "lines", &args[1..])?;
                out.push(lines_iterator(vm, &s, u, formats, false)?);
                Ok(())
            })
        }),
        ("read", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "read", args)?;
                let formats = parse_formats(vm, "read", &args[1..])?;
                read_file(vm, &s, u, &formats, out)
            })
        }),
        ("seek", Arc::new(seek)),
        (
            "setvbuf",
            Arc::new(|vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "setvbuf", args)?;
                open_file(vm, u)?;
                let a = Args::new("setvbuf", &args[1..]);
                let mode = a.bytes(vm, 0)?;
                if !matches!(mode.as_slice(), b"no" | b"full" | b"line") {
                    return Err(a.error(0, &format!("invalid option '{}'", String::from_utf8_lossy(&mode))));
                }
                a.opt_int(vm, 1, 0)?;
                out.push(Value::Bool(true));
                Ok(())
            }),
        ),
        (
            "write",
            Arc::new(|vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = check_file(vm, "write", args)?;
                write_file(vm, u, Args::new("write", &args[1..]), out)
            }),
        ),
    ];
    for (name, f) in method_fns {
        let value =
            state.function(vm, name, &[], move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                f(vm, args, out)
            })?;
        vm.set_field(methods, name, value)?;
    }
    vm.set_field(metatable, "__index", Value::Table(methods))?;
    let name = vm.new_string(b"FILE*")?;
    vm.set_field(metatable, "__name", name)?;
    let tostring = vm.new_function("__tostring", |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
        let text = match args.first() {
            Some(&Value::UserData(u)) => match file_payload(vm, u) {
                Some(f) if f.stream.is_none() => "file (closed)".to_string(),
                Some(_) => format!("file (0x{:08x})", u.id()),
                None => "userdata".to_string(),
            },
            _ => "file".to_string(),
        };
        out.push(vm.new_string(text.as_bytes())?);
        Ok(())
    })?;
    vm.set_field(metatable, "__tostring", tostring)?;
    // `__gc` and `__close` close the file; standard files stay open.
    let finish = |vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>| {
        if let Some(&Value::UserData(u)) = args.first() {
            if let Some(f) = file_payload_mut(vm, u) {
                if f.stream.as_ref().is_some_and(|s| !s.is_standard()) {
                    f.stream = None;
                }
            }
        }
        Ok(())
    };
    let gc = vm.new_function("__gc", finish)?;
    vm.set_field(metatable, "__gc", gc)?;
    let close = vm.new_function("__close", finish)?;
    vm.set_field(metatable, "__close", close)?;

    let io = vm.new_table()?;
    let functions: Vec<(&'static str, Fun)> = vec![
        ("close", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                if args.first().copied().unwrap_or_default().is_nil() {
                    let u = default_file(vm, &s, false)?;
                    return close_file(vm, u, out);
                }
                let u = check_file(vm, "close", args)?;
                close_file(vm, u, out)
            })
        }),
        ("flush", {
            Arc::new(move |vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>| {
                let u = default_file(vm, &s, false)?;
                flush_file(vm, u, out)
            })
        }),
        ("input", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                set_default(vm, &s, args, false, out)
            })
        }),
        ("output", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                set_default(vm, &s, args, true, out)
            })
        }),
        ("lines", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let a = Args::new("lines", args);
                let (u, close) = if a.is_none_or_nil(0) {
                    let u = default_file(vm, &s, true)?;
                    open_file(vm, u)?;
                    (u, false)
                } else {
                    s.caps.check(Capability::FileRead, "io.lines")?;
                    let name = a.bytes(vm, 0)?;
                    match open_path(&name, b"r") {
                        Ok(stream) => (as_userdata(new_file(vm, &s, stream)?)?, true),
                        Err(e) => {
                            return Err(RuntimeError::runtime(format!(
                                "{}: {}",
                                String::from_utf8_lossy(&name),
                                error_text(&e)
                            )))
                        }
                    }
                };
                let formats = parse_formats(vm, "lines", args.get(1..).unwrap_or(&[]))?;
                out.push(lines_iterator(vm, &s, u, formats, close)?);
                if close {
                    out.extend([Value::Nil, Value::Nil, Value::UserData(u)]);
                }
                Ok(())
            })
        }),
        ("open", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let a = Args::new("open", args);
                let name = a.bytes(vm, 0)?;
                let mode = match a.opt_string(vm, 1)? {
                    Some(m) => vm.heap().str(m).as_bytes().to_vec(),
                    None => b"r".to_vec(),
                };
                if !valid_mode(&mode) {
                    return Err(a.error(1, "invalid mode"));
                }
                if mode[0] == b'r' || mode.contains(&b'+') {
                    s.caps.check(Capability::FileRead, "io.open")?;
                }
                if mode[0] != b'r' || mode.contains(&b'+') {
                    s.caps.check(Capability::FileWrite, "io.open")?;
                }
                match open_path(&name, &mode) {
                    Ok(stream) => out.push(new_file(vm, &s, stream)?),
                    Err(e) => push_error(vm, &e, Some(&name), out)?,
                }
                Ok(())
            })
        }),
        (
            "popen",
            Arc::new(|_vm: &mut Vm, _args: &[Value], _out: &mut Vec<Value>| {
                Err(RuntimeError::runtime("'popen' not supported"))
            }),
        ),
        ("read", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = default_file(vm, &s, true)?;
                let formats = parse_formats(vm, "read", args)?;
                read_file(vm, &s, u, &formats, out)
            })
        }),
        ("tmpfile", {
            Arc::new(move |vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>| {
                s.caps.check(Capability::FileWrite, "io.tmpfile")?;
                match create_temp_file() {
                    Ok((file, path)) => {
                        // Removed now, gone when closed (the open handle keeps it alive).
                        let _ = std::fs::remove_file(&path);
                        out.push(new_file(vm, &s, Stream::File(BufReader::new(file)))?);
                    }
                    Err(e) => push_error(vm, &e, None, out)?,
                }
                Ok(())
            })
        }),
        (
            "type",
            Arc::new(|vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                Args::new("type", args).any(0)?;
                let result = match args.first() {
                    Some(&Value::UserData(u)) => match file_payload(vm, u) {
                        Some(f) if f.stream.is_none() => vm.new_string(b"closed file")?,
                        Some(_) => vm.new_string(b"file")?,
                        None => Value::Nil,
                    },
                    _ => Value::Nil,
                };
                out.push(result);
                Ok(())
            }),
        ),
        ("write", {
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                let u = default_file(vm, &s, false)?;
                write_file(vm, u, Args::new("write", args), out)
            })
        }),
    ];
    for (name, f) in functions {
        let value =
            state.function(vm, name, &[], move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                f(vm, args, out)
            })?;
        vm.set_field(io, name, value)?;
    }
    vm.set_field(io, "stdin", stdin)?;
    vm.set_field(io, "stdout", stdout)?;
    vm.set_field(io, "stderr", stderr)?;
    vm.set_global("io", Value::Table(io))
}

fn new_file(vm: &mut Vm, state: &IoState, stream: Stream) -> Result<Value, RuntimeError> {
    let u = vm.heap.new_userdata(Box::new(LuaFile { stream: Some(stream) }), 64)?;
    let metatable = state.metatable(vm)?;
    vm.heap.userdata.get_mut(u).metatable = Some(metatable);
    // The metatable has `__gc`: the collector closes files nobody can reach.
    vm.register_finalizer(Value::UserData(u));
    Ok(Value::UserData(u))
}

fn as_userdata(v: Value) -> Result<UserDataRef, RuntimeError> {
    match v {
        Value::UserData(u) => Ok(u),
        _ => Err(RuntimeError::runtime("not a file")),
    }
}

fn file_payload(vm: &Vm, u: UserDataRef) -> Option<&LuaFile> {
    vm.heap.userdata(u).payload.downcast_ref::<LuaFile>()
}

fn file_payload_mut(vm: &mut Vm, u: UserDataRef) -> Option<&mut LuaFile> {
    vm.heap.userdata.get_mut(u).payload.downcast_mut::<LuaFile>()
}

/// Argument 1 as a file handle (open or closed), or `bad argument #1 to 'name' (FILE*
/// expected, got T)`.
fn check_file(vm: &Vm, name: &'static str, args: &[Value]) -> Result<UserDataRef, RuntimeError> {
    match args.first() {
        Some(&Value::UserData(u)) if file_payload(vm, u).is_some() => Ok(u),
        _ => Err(Args::new(name, args).type_error(vm, 0, "FILE*")),
    }
}

/// Errors unless the file is open.
fn open_file(vm: &Vm, u: UserDataRef) -> Result<(), RuntimeError> {
    match file_payload(vm, u) {
        Some(LuaFile { stream: Some(_) }) => Ok(()),
        _ => Err(RuntimeError::runtime("attempt to use a closed file")),
    }
}

/// Runs `f` on the file's stream, taken out of the heap for the duration.
fn with_stream<R>(
    vm: &mut Vm,
    u: UserDataRef,
    f: impl FnOnce(&mut Vm, &mut Stream) -> Result<R, RuntimeError>,
) -> Result<R, RuntimeError> {
    let Some(mut stream) = file_payload_mut(vm, u).and_then(|file| file.stream.take()) else {
        return Err(RuntimeError::runtime("attempt to use a closed file"));
    };
    let result = f(vm, &mut stream);
    if let Some(file) = file_payload_mut(vm, u) {
        file.stream = Some(stream);
    }
    result
}

/// The default input (`input`) or output file, open.
fn default_file(vm: &mut Vm, state: &IoState, input: bool) -> Result<UserDataRef, RuntimeError> {
    let v = state.get(vm, if input { "input" } else { "output" })?;
    let kind = if input { "input" } else { "output" };
    match v {
        Value::UserData(u) if matches!(file_payload(vm, u), Some(LuaFile { stream: Some(_) })) => Ok(u),
        _ => Err(RuntimeError::runtime(format!("default {kind} file is closed"))),
    }
}

/// `io.input([file])` / `io.output([file])`.
fn set_default(
    vm: &mut Vm,
    state: &IoState,
    args: &[Value],
    output: bool,
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let name = if output { "output" } else { "input" };
    let a = Args::new(name, args);
    match a.get(0) {
        Value::Nil => {}
        Value::UserData(u) if file_payload(vm, u).is_some() => {
            open_file(vm, u)?;
            state.set(vm, name, Value::UserData(u))?;
        }
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let (cap, mode) =
                if output { (Capability::FileWrite, b"w") } else { (Capability::FileRead, b"r") };
            state.caps.check(cap, if output { "io.output" } else { "io.input" })?;
            let path = a.bytes(vm, 0)?;
            let stream = open_path(&path, mode).map_err(|e| {
                RuntimeError::runtime(format!(
                    "cannot open file '{}' ({})",
                    String::from_utf8_lossy(&path),
                    error_text(&e)
                ))
            })?;
            let file = new_file(vm, state, stream)?;
            state.set(vm, name, file)?;
        }
        _ => return Err(a.type_error(vm, 0, "FILE*")),
    }
    out.push(state.get(vm, name)?);
    Ok(())
}

/// `io.open`'s mode check: `[rwa]%+?b*`.
fn valid_mode(mode: &[u8]) -> bool {
    let Some((&first, rest)) = mode.split_first() else {
        return false;
    };
    let rest = rest.strip_prefix(b"+").unwrap_or(rest);
    b"rwa".contains(&first) && rest.iter().all(|&c| c == b'b')
}

fn open_path(name: &[u8], mode: &[u8]) -> std::io::Result<Stream> {
    let plus = mode.contains(&b'+');
    let mut options = OpenOptions::new();
    match mode.first() {
        Some(b'w') => options.write(true).create(true).truncate(true).read(plus),
        Some(b'a') => options.append(true).create(true).read(plus),
        _ => options.read(true).write(plus),
    };
    let file = options.open(path_of(name))?;
    Ok(Stream::File(BufReader::new(file)))
}

fn close_file(vm: &mut Vm, u: UserDataRef, out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    open_file(vm, u)?;
    let Some(file) = file_payload_mut(vm, u) else {
        return Err(RuntimeError::runtime("attempt to use a closed file"));
    };
    if file.stream.as_ref().is_some_and(Stream::is_standard) {
        out.push(Value::Nil);
        out.push(vm.new_string(b"cannot close standard file")?);
        return Ok(());
    }
    file.stream = None;
    out.push(Value::Bool(true));
    Ok(())
}

fn flush_file(vm: &mut Vm, u: UserDataRef, out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let result = with_stream(vm, u, |_vm, stream| {
        Ok(match stream {
            Stream::File(f) => f.get_mut().flush(),
            Stream::Stderr => std::io::stderr().flush(),
            Stream::Stdout | Stream::Stdin => Ok(()),
        })
    })?;
    file_result(vm, result, None, out)
}

fn seek(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let u = check_file(vm, "seek", args)?;
    let a = Args::new("seek", &args[1..]);
    let whence = match a.opt_string(vm, 0)? {
        Some(s) => vm.heap().str(s).as_bytes().to_vec(),
        None => b"cur".to_vec(),
    };
    let offset = a.opt_int(vm, 1, 0)?;
    let pos = match whence.as_slice() {
        b"set" => SeekFrom::Start(offset.max(0) as u64),
        b"cur" => SeekFrom::Current(offset),
        b"end" => SeekFrom::End(offset),
        _ => return Err(a.error(0, &format!("invalid option '{}'", String::from_utf8_lossy(&whence)))),
    };
    if whence == b"set" && offset < 0 {
        return push_error(vm, &std::io::Error::from_raw_os_error(22), None, out);
    }
    let result = with_stream(vm, u, |_vm, stream| {
        Ok(match stream {
            Stream::File(f) => f.seek(pos),
            _ => Err(std::io::Error::from_raw_os_error(29)),
        })
    })?;
    match result {
        Ok(p) => out.push(Value::Int(p as i64)),
        Err(e) => push_error(vm, &e, None, out)?,
    }
    Ok(())
}

/// C's `%.14g` (`LUA_NUMBER_FMT`), which `write` uses for floats.
fn format_number(v: Value) -> Option<String> {
    match v {
        Value::Int(n) => Some(n.to_string()),
        Value::Float(f) if f.is_nan() => Some(if f.is_sign_negative() { "-nan" } else { "nan" }.to_string()),
        Value::Float(f) if f.is_infinite() => Some(if f < 0.0 { "-inf" } else { "inf" }.to_string()),
        Value::Float(f) => Some(crate::number::format_g(f, 14)),
        _ => None,
    }
}

fn write_file(vm: &mut Vm, u: UserDataRef, a: Args<'_>, out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    open_file(vm, u)?;
    let mut bytes = Vec::new();
    for i in 0..a.len() {
        let v = a.get(i);
        match (v, format_number(v)) {
            (Value::Str(s), _) => bytes.extend_from_slice(vm.heap().str(s).as_bytes()),
            (_, Some(text)) => bytes.extend_from_slice(text.as_bytes()),
            _ => return Err(a.type_error(vm, i, "string")),
        }
    }
    let result = with_stream(vm, u, |vm, stream| match stream {
        Stream::Stdout => vm.write_output(&bytes).map(|()| Ok(())),
        Stream::Stderr => Ok(std::io::stderr().write_all(&bytes)),
        Stream::Stdin => Ok(Err(std::io::Error::from_raw_os_error(9))),
        Stream::File(f) => Ok(sync_position(f).and_then(|()| f.get_mut().write_all(&bytes))),
    })?;
    match result {
        Ok(()) => out.push(Value::UserData(u)),
        Err(e) => push_error(vm, &e, None, out)?,
    }
    Ok(())
}

/// Drops read-ahead so the OS file position is the Lua-visible one.
fn sync_position(f: &mut BufReader<File>) -> std::io::Result<()> {
    if !f.buffer().is_empty() {
        // `stream_position` would keep the buffer; seeking drops it.
        #[allow(clippy::seek_from_current)]
        f.seek(SeekFrom::Current(0))?;
    }
    Ok(())
}

/// A `read` format.
#[derive(Clone, Copy, Debug)]
enum Format {
    Number,
    Line { keep_newline: bool },
    All,
    Count(u64),
}

/// Lua allows at most this many formats (`LUAI_MAXARGS`-style limit in `lines`).
const MAX_FORMATS: usize = 250;

fn parse_formats(vm: &mut Vm, name: &'static str, args: &[Value]) -> Result<Vec<Format>, RuntimeError> {
    let a = Args::new(name, args);
    if args.len() > MAX_FORMATS {
        return Err(a.error(MAX_FORMATS, "too many arguments"));
    }
    if args.is_empty() {
        return Ok(vec![Format::Line { keep_newline: false }]);
    }
    let mut formats = Vec::with_capacity(args.len());
    for (i, &v) in args.iter().enumerate() {
        let format = match v {
            Value::Int(_) | Value::Float(_) => Format::Count(a.int(vm, i)?.max(0) as u64),
            Value::Str(s) => {
                let text = vm.heap().str(s).as_bytes();
                let text = text.strip_prefix(b"*").unwrap_or(text);
                match text.first() {
                    Some(b'n') => Format::Number,
                    Some(b'l') => Format::Line { keep_newline: false },
                    Some(b'L') => Format::Line { keep_newline: true },
                    Some(b'a') => Format::All,
                    _ => return Err(a.error(i, "invalid format")),
                }
            }
            _ => return Err(a.error(i, "invalid format")),
        };
        formats.push(format);
    }
    Ok(formats)
}

/// What one format read.
enum Item {
    Bytes(Vec<u8>),
    Number(Value),
    Fail,
}

fn read_file(
    vm: &mut Vm,
    state: &IoState,
    u: UserDataRef,
    formats: &[Format],
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let caps = state.caps;
    let limit = vm.limits().max_string;
    let result = with_stream(vm, u, |_vm, stream| match stream {
        Stream::File(f) => Ok(read_items(f, formats, limit)),
        Stream::Stdin => {
            caps.check(Capability::Stdin, "io.read")?;
            Ok(read_items(&mut std::io::stdin().lock(), formats, limit))
        }
        Stream::Stdout | Stream::Stderr => Ok(Err(std::io::Error::from_raw_os_error(9))),
    })?;
    match result {
        Ok(items) => {
            for item in items {
                out.push(match item {
                    Item::Bytes(b) => vm.new_string(&b)?,
                    Item::Number(n) => n,
                    Item::Fail => Value::Nil,
                });
            }
            Ok(())
        }
        Err(e) => push_error(vm, &e, None, out),
    }
}

/// Reads each format in turn, stopping after the first that fails (as `g_read` does).
fn read_items<R: BufRead>(r: &mut R, formats: &[Format], limit: usize) -> std::io::Result<Vec<Item>> {
    let mut items = Vec::with_capacity(formats.len());
    for &format in formats {
        let item = match format {
            Format::Number => read_number(r)?,
            Format::Line { keep_newline } => {
                let mut line = Vec::new();
                r.by_ref().take(limit as u64).read_until(b'\n', &mut line)?;
                if line.is_empty() {
                    Item::Fail
                } else {
                    if !keep_newline && line.last() == Some(&b'\n') {
                        line.pop();
                    }
                    Item::Bytes(line)
                }
            }
            Format::All => {
                let mut all = Vec::new();
                r.by_ref().take(limit as u64).read_to_end(&mut all)?;
                Item::Bytes(all)
            }
            Format::Count(0) => {
                if r.fill_buf()?.is_empty() {
                    Item::Fail
                } else {
                    Item::Bytes(Vec::new())
                }
            }
            Format::Count(n) => {
                let mut bytes = Vec::new();
                r.by_ref().take(n.min(limit as u64)).read_to_end(&mut bytes)?;
                if bytes.is_empty() {
                    Item::Fail
                } else {
                    Item::Bytes(bytes)
                }
            }
        };
        let failed = matches!(item, Item::Fail);
        items.push(item);
        if failed {
            break;
        }
    }
    Ok(items)
}

/// Lua's `l_getn`: reads the longest prefix that looks like a numeral (at most 200
/// bytes), then converts it; a failed conversion reads as `nil`.
fn read_number<R: BufRead>(r: &mut R) -> std::io::Result<Item> {
    const MAX_LEN: usize = 200;
    struct Scan<'a, R> {
        r: &'a mut R,
        buf: Vec<u8>,
        current: Option<u8>,
    }
    impl<R: BufRead> Scan<'_, R> {
        fn peek(&mut self) -> std::io::Result<Option<u8>> {
            Ok(self.r.fill_buf()?.first().copied())
        }
        fn next(&mut self) -> std::io::Result<bool> {
            if self.buf.len() >= MAX_LEN {
                self.buf.clear();
                return Ok(false);
            }
            if let Some(c) = self.current {
                self.buf.push(c);
                self.r.consume(1);
            }
            self.current = self.peek()?;
            Ok(true)
        }
        fn test2(&mut self, set: &[u8; 2]) -> std::io::Result<bool> {
            match self.current {
                Some(c) if set.contains(&c) => self.next(),
                _ => Ok(false),
            }
        }
        fn digits(&mut self, hex: bool) -> std::io::Result<usize> {
            let mut count = 0;
            while let Some(c) = self.current {
                let ok = if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() };
                if !ok || !self.next()? {
                    break;
                }
                count += 1;
            }
            Ok(count)
        }
    }
    // Skip whitespace.
    loop {
        match r.fill_buf()?.first() {
            Some(c) if c.is_ascii_whitespace() => r.consume(1),
            _ => break,
        }
    }
    let current = r.fill_buf()?.first().copied();
    let mut s = Scan { r, buf: Vec::new(), current };
    s.test2(b"-+")?;
    let mut count = 0;
    let mut hex = false;
    if s.test2(b"00")? {
        if s.test2(b"xX")? {
            hex = true;
        } else {
            count = 1;
        }
    }
    count += s.digits(hex)?;
    if s.test2(b"..")? {
        count += s.digits(hex)?;
    }
    if count > 0 && s.test2(if hex { b"pP" } else { b"eE" })? {
        s.test2(b"-+")?;
        s.digits(false)?;
    }
    Ok(match crate::number::parse_number(&s.buf) {
        Some(crate::number::NumberValue::Int(n)) => Item::Number(Value::Int(n)),
        Some(crate::number::NumberValue::Float(f)) => Item::Number(Value::Float(f)),
        None => Item::Fail,
    })
}

/// The iterator `lines` returns: reads `formats` each call; at the end of the file it
/// returns nil, closing the file first when `close` (files opened by `io.lines`).
fn lines_iterator(
    vm: &mut Vm,
    state: &IoState,
    u: UserDataRef,
    formats: Vec<Format>,
    close: bool,
) -> Result<Value, RuntimeError> {
    let state = *state;
    state.function(
        vm,
        "lines_iterator",
        &[Value::UserData(u)],
        move |vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>| {
            if !matches!(file_payload(vm, u), Some(LuaFile { stream: Some(_) })) {
                return Err(RuntimeError::runtime("file is already closed"));
            }
            let mut results = Vec::new();
            read_file(vm, &state, u, &formats, &mut results)?;
            if results.first().is_some_and(|v| !v.is_nil()) {
                out.extend(results);
                return Ok(());
            }
            if results.len() > 1 {
                // An error: nil, message, code.
                let message = results.get(1).and_then(|&m| vm.string_bytes(m)).unwrap_or(b"read error");
                return Err(RuntimeError::runtime(String::from_utf8_lossy(message).into_owned()));
            }
            if close {
                if let Some(file) = file_payload_mut(vm, u) {
                    file.stream = None;
                }
            }
            out.push(Value::Nil);
            Ok(())
        },
    )
}
