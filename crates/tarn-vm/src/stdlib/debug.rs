//! The debug library (reference manual §6.10), a capability.
//!
//! Every function checks [`Capability::Debug`] when called — the functions reach into
//! other functions' locals and upvalues, change the metatables of every type and install
//! hooks, which a sandbox must not allow — except `debug.traceback`, which only reads
//! the stack, is harmless, and is what scripts pass to `xpcall` as a message handler.
//!
//! **Levels.** Level 0 is the running host function (the debug function itself), level
//! 1 the function that called it, and so on. Lua functions have frames; host functions
//! do not, so their levels are reconstructed: `pcall` and `xpcall` (which run inside the
//! interpreter) appear below the frame they protect, a host function that called back
//! into Lua appears as `[C]: in ?`, and a suspended coroutine's level 0 is
//! `coroutine.yield`. Host functions that called a host function directly (no Lua in
//! between) are not seen.
//!
//! **Differences from PUC Lua**, all documented here: `source` is rebuilt from the chunk
//! name kept in the module (`"@name"`, or the `[string "..."]` form as is);
//! `upvalueid` returns an integer, unique among live upvalues (Tarn has no light
//! userdata); host functions' upvalues (their captured values) can be read, never set;
//! the hook is per VM rather than per thread (see `crate::hook`); `debug.debug` reads
//! from standard input and needs the `stdin` capability too.

use crate::heap::Upvalue;
use crate::hook::{FRAME_TAIL, MASK_CALL, MASK_LINE, MASK_RET};
use crate::stdlib::{Args, Capabilities, Capability, LibFn};
use crate::value::{NativeRef, TableRef, ThreadRef, Value};
use crate::vm::Frame;
use crate::{RuntimeError, Vm};

/// Opens the `debug` table; see the module comment for what needs the capability.
pub fn open(vm: &mut Vm, caps: &Capabilities) -> Result<(), RuntimeError> {
    let caps = *caps;
    let functions: [(&str, &'static str, LibFn); 17] = [
        ("debug", "debug.debug", debug_debug),
        ("gethook", "debug.gethook", gethook),
        ("getinfo", "debug.getinfo", getinfo),
        ("getlocal", "debug.getlocal", getlocal),
        ("getmetatable", "debug.getmetatable", getmetatable),
        ("getregistry", "debug.getregistry", getregistry),
        ("getupvalue", "debug.getupvalue", getupvalue),
        ("getuservalue", "debug.getuservalue", getuservalue),
        ("sethook", "debug.sethook", sethook),
        ("setlocal", "debug.setlocal", setlocal),
        ("setmetatable", "debug.setmetatable", setmetatable),
        ("setupvalue", "debug.setupvalue", setupvalue),
        ("setuservalue", "debug.setuservalue", setuservalue),
        ("traceback", "debug.traceback", traceback),
        ("upvalueid", "debug.upvalueid", upvalueid),
        ("upvaluejoin", "debug.upvaluejoin", upvaluejoin),
        ("setcstacklimit", "debug.setcstacklimit", setcstacklimit),
    ];
    let t = vm.new_table()?;
    for (name, qualified, f) in functions {
        let value = if name == "traceback" {
            vm.new_function(name, f)?
        } else {
            vm.new_function(name, move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::Debug, qualified)?;
                if name == "debug" {
                    caps.check(Capability::Stdin, qualified)?;
                }
                f(vm, args, out)
            })?
        };
        vm.set_field(t, name, value)?;
    }
    vm.set_global("debug", Value::Table(t))
}

// ---- levels ----

/// One level of a thread's call stack.
#[derive(Clone, Copy, Debug)]
enum Level {
    /// A Lua function: its index in the thread's frames.
    Lua(usize),
    /// A host function that is known.
    Native(NativeRef),
    /// A library function the interpreter runs itself, by its global name.
    Named(&'static str),
    /// A host function nothing more is known of.
    Host,
}

/// `Some(t)` for a thread other than the running one.
fn other_thread(vm: &Vm, t: Option<ThreadRef>) -> Option<ThreadRef> {
    t.filter(|&t| t != vm.current)
}

fn frames_of(vm: &Vm, thread: Option<ThreadRef>) -> &[Frame] {
    match thread {
        None => &vm.frames,
        Some(t) => &vm.heap.thread(t).saved.frames,
    }
}

fn stack_of(vm: &Vm, thread: Option<ThreadRef>) -> &[Value] {
    match thread {
        None => &vm.stack,
        Some(t) => &vm.heap.thread(t).saved.stack,
    }
}

/// The levels of `thread` (`None`: the running one), level 0 first.
fn levels(vm: &Vm, thread: Option<ThreadRef>) -> Vec<Level> {
    let frames = frames_of(vm, thread);
    let mut out = Vec::with_capacity(frames.len() + 2);
    let is_main = thread.unwrap_or(vm.current) == vm.main_thread;
    match thread {
        None => {
            out.push(vm.running_native.map_or(Level::Host, Level::Native));
            // A message handler running for an error a host function raised: that
            // function is still on Lua's stack, and shows in its tracebacks.
            if let Some((n, depth)) = vm.handler_native {
                if depth == frames.len() {
                    out.push(Level::Native(n));
                }
            }
        }
        Some(t) => {
            if vm.heap.thread(t).saved.pending_yield.is_some() {
                out.push(Level::Named("coroutine.yield"));
            } else if !frames.is_empty() {
                out.push(Level::Host);
            }
        }
    }
    for (i, frame) in frames.iter().enumerate().rev() {
        out.push(Level::Lua(i));
        if thread.is_none() && vm.hook.hook_frame == Some(i) {
            // The hook function: called by the VM for the level below it.
            if let Some(n) = vm.hook.native {
                out.push(Level::Native(n));
            }
            continue;
        }
        match frame.cont {
            crate::call::Cont::Pcall => out.push(Level::Named("pcall")),
            crate::call::Cont::Xpcall => out.push(Level::Named("xpcall")),
            _ => {}
        }
        if frame.returns_to_host && (i > 0 || is_main) {
            out.push(Level::Host);
        }
    }
    out
}

/// A raw field of a table by name, without allocating.
fn raw_field(vm: &Vm, t: TableRef, name: &str) -> Value {
    match vm.heap.find_str(name.as_bytes()) {
        Some(s) => vm.heap.table(t).get(Value::Str(s)),
        None => Value::Nil,
    }
}

/// The value of a library function given by its global name (`"coroutine.yield"`).
fn named_value(vm: &Vm, name: &str) -> Value {
    let mut v = Value::Table(vm.globals);
    for part in name.split('.') {
        v = match v {
            Value::Table(t) => raw_field(vm, t, part),
            _ => return Value::Nil,
        };
    }
    v
}

/// The name a function has among the loaded modules (`"print"`, `"string.rep"`), as
/// Lua's tracebacks name global functions.
fn global_name(vm: &Vm, f: Value) -> Option<String> {
    if !matches!(f, Value::Closure(_) | Value::Native(_)) {
        return None;
    }
    let loaded = match raw_field(vm, vm.globals, "package") {
        Value::Table(p) => match raw_field(vm, p, "loaded") {
            Value::Table(l) => Some(l),
            _ => None,
        },
        _ => None,
    };
    let mut modules: Vec<(String, TableRef)> = Vec::new();
    match loaded {
        Some(l) => vm.heap.table(l).for_each_entry(|k, v| {
            if let (Value::Str(k), Value::Table(t)) = (k, v) {
                modules.push((String::from_utf8_lossy(vm.heap.str(k).as_bytes()).into_owned(), t));
            }
        }),
        None => modules.push(("_G".to_string(), vm.globals)),
    }
    for (module, t) in modules {
        let mut found = None;
        vm.heap.table(t).for_each_entry(|k, v| {
            if found.is_none() && v.raw_eq(f) {
                if let Value::Str(k) = k {
                    found = Some(String::from_utf8_lossy(vm.heap.str(k).as_bytes()).into_owned());
                }
            }
        });
        if let Some(key) = found {
            return Some(if module == "_G" { key } else { format!("{module}.{key}") });
        }
    }
    None
}

/// The event name of the metamethod instruction `instr` calls.
fn metamethod_name(instr: tarn_bytecode::Instr) -> Option<&'static str> {
    use tarn_bytecode::Instr as I;
    Some(match instr {
        I::GetTabUp { .. }
        | I::GetTable { .. }
        | I::GetField { .. }
        | I::GetIndex { .. }
        | I::SelfField { .. } => "index",
        I::SetTabUp { .. } | I::SetTable { .. } | I::SetField { .. } | I::SetIndex { .. } => "newindex",
        I::Add { .. } | I::AddK { .. } | I::AddI { .. } => "add",
        I::Sub { .. } | I::SubK { .. } => "sub",
        I::Mul { .. } | I::MulK { .. } => "mul",
        I::Div { .. } | I::DivK { .. } => "div",
        I::Mod { .. } | I::ModK { .. } => "mod",
        I::Pow { .. } | I::PowK { .. } => "pow",
        I::IDiv { .. } | I::IDivK { .. } => "idiv",
        I::BAnd { .. } | I::BAndK { .. } => "band",
        I::BOr { .. } | I::BOrK { .. } => "bor",
        I::BXor { .. } | I::BXorK { .. } => "bxor",
        I::Shl { .. } | I::ShlI { .. } => "shl",
        I::Shr { .. } | I::ShrI { .. } => "shr",
        I::Unm { .. } => "unm",
        I::BNot { .. } => "bnot",
        I::Len { .. } => "len",
        I::Concat { .. } => "concat",
        I::JEq { .. } | I::JNe { .. } => "eq",
        I::JLt { .. }
        | I::JNlt { .. }
        | I::JLtI { .. }
        | I::JNltI { .. }
        | I::JGtI { .. }
        | I::JNgtI { .. } => "lt",
        I::JLe { .. }
        | I::JNle { .. }
        | I::JLeI { .. }
        | I::JNleI { .. }
        | I::JGeI { .. }
        | I::JNgeI { .. } => "le",
        I::Close { .. } | I::Return { .. } => "close",
        _ => return None,
    })
}

/// How the function at `levels[k]` was called: (namewhat, name), as `getinfo` "n".
fn level_name(
    vm: &Vm,
    thread: Option<ThreadRef>,
    levels: &[Level],
    k: usize,
) -> Option<(&'static str, String)> {
    let frames = frames_of(vm, thread);
    // The Lua frame whose current instruction called this level, and what kind of call.
    let (caller, metamethod) = match levels.get(k)? {
        Level::Lua(i) => {
            let frame = frames.get(*i)?;
            if thread.is_none() && vm.hook.hook_frame == Some(*i) {
                return Some(("hook", "?".to_string()));
            }
            if frame.flags & FRAME_TAIL != 0 || frame.returns_to_host || frame.cont.is_protected() {
                return None;
            }
            (i.checked_sub(1)?, frame.cont != crate::call::Cont::Normal)
        }
        Level::Native(_) if k == 0 && thread.is_none() && !vm.native_called_from_lua => return None,
        Level::Native(_) | Level::Named(_) => match levels.get(k + 1)? {
            Level::Lua(j) => (*j, false),
            _ => return None,
        },
        Level::Host => return None,
    };
    let frame = frames.get(caller)?;
    let proto = &vm.heap.closure(frame.closure).proto;
    let pc = (frame.pc as usize).checked_sub(1)?;
    let instr = *proto.code.get(pc)?;
    if metamethod {
        return metamethod_name(instr).map(|m| ("metamethod", m.to_string()));
    }
    match instr {
        tarn_bytecode::Instr::Call { func, .. } | tarn_bytecode::Instr::TailCall { func, .. } => {
            vm.describe_register(proto, pc, func)
        }
        tarn_bytecode::Instr::TForCall { .. } => Some(("for iterator", "for iterator".to_string())),
        other => metamethod_name(other).map(|m| ("metamethod", m.to_string())),
    }
}

/// The function running at a level (nil when unknown).
fn level_function(vm: &Vm, thread: Option<ThreadRef>, level: Level) -> Value {
    match level {
        Level::Lua(i) => frames_of(vm, thread).get(i).map_or(Value::Nil, |f| Value::Closure(f.closure)),
        Level::Native(n) => Value::Native(n),
        Level::Named(name) => named_value(vm, name),
        Level::Host => Value::Nil,
    }
}

/// The line a Lua level is at (`None` for host levels or without line info).
fn current_line(vm: &Vm, thread: Option<ThreadRef>, level: Level) -> Option<u32> {
    let Level::Lua(i) = level else { return None };
    let frame = frames_of(vm, thread).get(i)?;
    vm.heap.closure(frame.closure).proto.line((frame.pc as usize).saturating_sub(1))
}

/// The `source` Lua would report for a chunk shown as `short_src`.
fn source_of(short_src: &str) -> String {
    if short_src.starts_with('[') || short_src.starts_with('=') || short_src.starts_with('@') {
        short_src.to_string()
    } else {
        format!("@{short_src}")
    }
}

/// Whether a Lua function is a main chunk.
fn is_main(proto: &crate::heap::Proto) -> bool {
    match &proto.debug {
        Some(d) => d.line_defined == 0,
        None => proto.function_index == 0,
    }
}

/// Splits off an optional leading thread argument: (thread, index of the next one).
fn thread_arg(vm: &Vm, args: &[Value]) -> (Option<ThreadRef>, usize) {
    match args.first() {
        Some(&Value::Thread(t)) => (other_thread(vm, Some(t)), 1),
        _ => (None, 0),
    }
}

fn level_index(n: i64) -> Option<usize> {
    usize::try_from(n).ok()
}

// ---- traceback ----

/// Lua's traceback text from `level` of `thread`: `stack traceback:` and a line per level.
fn traceback_text(vm: &Vm, thread: Option<ThreadRef>, level: i64) -> String {
    let levels = levels(vm, thread);
    let mut out = String::from("stack traceback:");
    let Some(start) = level_index(level) else { return out };
    if start >= levels.len() {
        return out;
    }
    let last = levels.len() - 1;
    // As Lua: more than 22 levels show the first 10 and the last 11.
    const FIRST: usize = 10;
    const LAST: usize = 11;
    let mut k = start;
    let mut shown = 0;
    while k <= last {
        if last - start > FIRST + LAST && shown == FIRST {
            let skip = last - start - FIRST - LAST;
            out.push_str(&format!("\n\t...\t(skipping {skip} levels)"));
            k = last + 1 - LAST;
            shown += 1;
            continue;
        }
        out.push_str("\n\t");
        out.push_str(&traceback_line(vm, thread, &levels, k));
        shown += 1;
        k += 1;
    }
    out
}

fn traceback_line(vm: &Vm, thread: Option<ThreadRef>, levels: &[Level], k: usize) -> String {
    let level = levels[k];
    let func = level_function(vm, thread, level);
    let named = match level {
        Level::Named(name) => Some(name.to_string()),
        _ => global_name(vm, func),
    };
    let (place, tail) = match level {
        Level::Lua(i) => {
            let frame = frames_of(vm, thread)[i];
            let proto = &vm.heap.closure(frame.closure).proto;
            let place = match current_line(vm, thread, level) {
                Some(line) => format!("{}:{line}:", proto.source),
                None => format!("{}:", proto.source),
            };
            (place, frame.flags & FRAME_TAIL != 0)
        }
        _ => ("[C]:".to_string(), false),
    };
    let what = if let Some(name) = named {
        format!("function '{name}'")
    } else if let Some((namewhat, name)) = level_name(vm, thread, levels, k) {
        format!("{namewhat} '{name}'")
    } else if let Level::Lua(i) = level {
        let proto = &vm.heap.closure(frames_of(vm, thread)[i].closure).proto;
        if is_main(proto) {
            "main chunk".to_string()
        } else {
            let line = proto.debug.as_ref().map_or(0, |d| d.line_defined);
            format!("function <{}:{line}>", proto.source)
        }
    } else {
        "?".to_string()
    };
    let mut line = format!("{place} in {what}");
    if tail {
        line.push_str("\n\t(...tail calls...)");
    }
    line
}

/// `debug.traceback([thread,] [message [, level]])`. Needs no capability.
fn traceback(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (thread, off) = thread_arg(vm, args);
    let a = Args::lib(vm, "debug.traceback", args);
    let message = a.get(off);
    if !matches!(message, Value::Nil | Value::Str(_) | Value::Int(_) | Value::Float(_)) {
        out.push(message);
        return Ok(());
    }
    let default = if thread.is_some() { 0 } else { 1 };
    let level = a.opt_int(vm, off + 1, default)?;
    let mut text = Vec::new();
    if !message.is_nil() {
        text.extend_from_slice(&a.bytes(vm, off)?);
        text.push(b'\n');
    }
    text.extend_from_slice(traceback_text(vm, thread, level).as_bytes());
    vm.check_string_size(text.len())?;
    out.push(vm.new_string(&text)?);
    Ok(())
}

// ---- getinfo ----

fn getinfo(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (thread, off) = thread_arg(vm, args);
    let a = Args::lib(vm, "debug.getinfo", args);
    let what = if a.is_none_or_nil(off + 1) { b"flnSrtu".to_vec() } else { a.bytes(vm, off + 1)? };
    if what.first() == Some(&b'>') {
        return Err(a.error(off + 1, "invalid option '>'"));
    }
    if what.iter().any(|c| !b"SlnrutfL".contains(c)) {
        return Err(a.error(off + 1, "invalid option"));
    }
    let levels = levels(vm, thread);
    let (func, level) = match a.get(off) {
        f @ (Value::Closure(_) | Value::Native(_)) => (f, None),
        _ => {
            let n = a.int(vm, off)?;
            match level_index(n).filter(|&k| k < levels.len()) {
                Some(k) => (level_function(vm, thread, levels[k]), Some(k)),
                None => {
                    out.push(Value::Nil);
                    return Ok(());
                }
            }
        }
    };
    let t = vm.new_table()?;
    let proto = match func {
        Value::Closure(c) => Some(vm.heap.closure(c).proto.clone()),
        _ => None,
    };
    for &option in &what {
        match option {
            b'S' => {
                let (source, short, what, defined, last) = match &proto {
                    Some(p) => {
                        let (defined, last) = p
                            .debug
                            .as_ref()
                            .map_or((-1, -1), |d| (i64::from(d.line_defined), i64::from(d.last_line)));
                        let what = if is_main(p) { "main" } else { "Lua" };
                        (source_of(&p.source), p.source.to_string(), what, defined, last)
                    }
                    None => ("=[C]".to_string(), "[C]".to_string(), "C", -1, -1),
                };
                let v = vm.new_string(source.as_bytes())?;
                vm.set_field(t, "source", v)?;
                let v = vm.new_string(short.as_bytes())?;
                vm.set_field(t, "short_src", v)?;
                let v = vm.new_string(what.as_bytes())?;
                vm.set_field(t, "what", v)?;
                vm.set_field(t, "linedefined", Value::Int(defined))?;
                vm.set_field(t, "lastlinedefined", Value::Int(last))?;
            }
            b'l' => {
                let line = level.and_then(|k| current_line(vm, thread, levels[k]));
                vm.set_field(t, "currentline", Value::Int(line.map_or(-1, i64::from)))?;
            }
            b'u' => {
                let (nups, nparams, vararg) = match (&proto, func) {
                    (Some(p), _) => (p.upvalues.len(), usize::from(p.num_params), p.is_vararg),
                    (None, Value::Native(n)) => (vm.heap.native(n).captures.len(), 0, true),
                    _ => (0, 0, true),
                };
                vm.set_field(t, "nups", Value::Int(nups as i64))?;
                vm.set_field(t, "nparams", Value::Int(nparams as i64))?;
                vm.set_field(t, "isvararg", Value::Bool(vararg))?;
            }
            b'n' => {
                let name = level.and_then(|k| level_name(vm, thread, &levels, k));
                match name {
                    Some((namewhat, name)) => {
                        let v = vm.new_string(name.as_bytes())?;
                        vm.set_field(t, "name", v)?;
                        let v = vm.new_string(namewhat.as_bytes())?;
                        vm.set_field(t, "namewhat", v)?;
                    }
                    None => {
                        let v = vm.new_string(b"")?;
                        vm.set_field(t, "namewhat", v)?;
                    }
                }
            }
            b't' => {
                let tail = match level.map(|k| levels[k]) {
                    Some(Level::Lua(i)) => {
                        frames_of(vm, thread).get(i).is_some_and(|f| f.flags & FRAME_TAIL != 0)
                    }
                    _ => false,
                };
                vm.set_field(t, "istailcall", Value::Bool(tail))?;
            }
            b'r' => {
                vm.set_field(t, "ftransfer", Value::Int(0))?;
                vm.set_field(t, "ntransfer", Value::Int(0))?;
            }
            b'f' => vm.set_field(t, "func", func)?,
            b'L' => {
                if let Some(p) = &proto {
                    let lines = vm.new_table()?;
                    vm.set_field(t, "activelines", Value::Table(lines))?;
                    let mut seen: Vec<u32> = p.debug.as_ref().map(|d| d.lines.clone()).unwrap_or_default();
                    seen.sort_unstable();
                    seen.dedup();
                    for line in seen {
                        vm.set_table(lines, Value::Int(i64::from(line)), Value::Bool(true))?;
                    }
                }
            }
            _ => {}
        }
    }
    out.push(Value::Table(t));
    Ok(())
}

// ---- locals ----

/// Where local `n` of a level lives: (name, thread-stack slot).
fn find_local(
    vm: &Vm,
    thread: Option<ThreadRef>,
    levels: &[Level],
    k: usize,
    n: i64,
) -> Option<(String, usize)> {
    let Level::Lua(i) = *levels.get(k)? else { return None };
    let frames = frames_of(vm, thread);
    let frame = *frames.get(i)?;
    let proto = &vm.heap.closure(frame.closure).proto;
    let pc = (frame.pc as usize).saturating_sub(1);
    if n < 0 {
        let v = usize::try_from(n.unsigned_abs()).ok()?;
        if !proto.is_vararg || v > frame.num_varargs as usize {
            return None;
        }
        return Some(("(vararg)".to_string(), frame.varargs_start as usize + v - 1));
    }
    let n = usize::try_from(n).ok()?.checked_sub(1)?;
    let mut active: Vec<(u8, &str)> = proto
        .debug
        .as_ref()
        .map(|d| {
            d.locals
                .iter()
                .filter(|l| (l.start_pc as usize) <= pc && pc < l.end_pc as usize)
                .map(|l| (l.register, l.name.as_str()))
                .collect()
        })
        .unwrap_or_default();
    active.sort_by_key(|&(r, _)| r);
    if let Some(&(r, name)) = active.get(n) {
        return Some((name.to_string(), frame.base as usize + usize::from(r)));
    }
    // A temporary: a register in use below the next call (or the running host function).
    let slot = (frame.base as usize).checked_add(n)?;
    let limit = match frames.get(i + 1) {
        Some(next) => next.func_slot as usize,
        None if thread.is_none() => vm.native_top.map_or(frame.top as usize, |t| t.min(frame.top as usize)),
        None => frame.top as usize,
    };
    (slot < limit.min(frame.top as usize) && slot < stack_of(vm, thread).len())
        .then(|| ("(temporary)".to_string(), slot))
}

/// The names of a Lua function's parameters (`getlocal(f, n)`).
fn parameter_name(vm: &Vm, f: Value, n: i64) -> Option<String> {
    let Value::Closure(c) = f else { return None };
    let proto = &vm.heap.closure(c).proto;
    let n = usize::try_from(n).ok()?.checked_sub(1)?;
    if n >= usize::from(proto.num_params) {
        return None;
    }
    let mut params: Vec<(u8, &str)> = proto
        .debug
        .as_ref()?
        .locals
        .iter()
        .filter(|l| l.start_pc == 0 && usize::from(l.register) < usize::from(proto.num_params))
        .map(|l| (l.register, l.name.as_str()))
        .collect();
    params.sort_by_key(|&(r, _)| r);
    params.get(n).map(|&(_, name)| name.to_string())
}

fn getlocal(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (thread, off) = thread_arg(vm, args);
    let a = Args::lib(vm, "debug.getlocal", args);
    let n = a.int(vm, off + 1)?;
    if let f @ (Value::Closure(_) | Value::Native(_)) = a.get(off) {
        out.push(match parameter_name(vm, f, n) {
            Some(name) => vm.new_string(name.as_bytes())?,
            None => Value::Nil,
        });
        return Ok(());
    }
    let level = a.int(vm, off)?;
    let levels = levels(vm, thread);
    let Some(k) = level_index(level).filter(|&k| k < levels.len()) else {
        return Err(a.error(off, "level out of range"));
    };
    match find_local(vm, thread, &levels, k, n) {
        Some((name, slot)) => {
            let value = stack_of(vm, thread).get(slot).copied().unwrap_or(Value::Nil);
            out.push(vm.new_string(name.as_bytes())?);
            out.push(value);
        }
        None => out.push(Value::Nil),
    }
    Ok(())
}

fn setlocal(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (thread, off) = thread_arg(vm, args);
    let a = Args::lib(vm, "debug.setlocal", args);
    let level = a.int(vm, off)?;
    let n = a.int(vm, off + 1)?;
    let value = a.any(off + 2)?;
    let levels = levels(vm, thread);
    let Some(k) = level_index(level).filter(|&k| k < levels.len()) else {
        return Err(a.error(off, "level out of range"));
    };
    match find_local(vm, thread, &levels, k, n) {
        Some((name, slot)) => {
            let stack = match thread {
                None => &mut vm.stack,
                Some(t) => &mut vm.heap.threads.get_mut(t).saved.stack,
            };
            if let Some(s) = stack.get_mut(slot) {
                *s = value;
            }
            out.push(vm.new_string(name.as_bytes())?);
        }
        None => out.push(Value::Nil),
    }
    Ok(())
}

// ---- upvalues ----

/// Upvalue `n` (1-based) of a function: its name and handle (Lua) or captured value.
enum Up {
    Lua(String, crate::value::Gc<Upvalue>),
    Host(Value),
}

fn find_upvalue(vm: &Vm, f: Value, n: i64) -> Option<Up> {
    let i = usize::try_from(n).ok()?.checked_sub(1)?;
    match f {
        Value::Closure(c) => {
            let closure = vm.heap.closure(c);
            let u = closure.upvalues.get(i)?.get();
            let name = closure
                .proto
                .debug
                .as_ref()
                .and_then(|d| d.upvalue_names.get(i).cloned())
                .unwrap_or_else(|| "(no name)".to_string());
            Some(Up::Lua(name, u))
        }
        Value::Native(h) => vm.heap.native(h).captures.get(i).map(|&v| Up::Host(v)),
        _ => None,
    }
}

fn getupvalue(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.getupvalue", args);
    let n = a.int(vm, 1)?;
    let f = a.function(vm, 0)?;
    match find_upvalue(vm, f, n) {
        Some(Up::Lua(name, u)) => {
            let value = vm.upvalue_get(u);
            out.push(vm.new_string(name.as_bytes())?);
            out.push(value);
        }
        Some(Up::Host(value)) => {
            out.push(vm.new_string(b"")?);
            out.push(value);
        }
        None => {}
    }
    Ok(())
}

fn setupvalue(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.setupvalue", args);
    let value = a.any(2)?;
    let n = a.int(vm, 1)?;
    let f = a.function(vm, 0)?;
    // A host function's captures only keep its values alive: they are never replaced.
    if let Some(Up::Lua(name, u)) = find_upvalue(vm, f, n) {
        vm.upvalue_set(u, value);
        out.push(vm.new_string(name.as_bytes())?);
    }
    Ok(())
}

fn upvalueid(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.upvalueid", args);
    let n = a.int(vm, 1)?;
    let f = a.function(vm, 0)?;
    out.push(match (find_upvalue(vm, f, n), f) {
        (Some(Up::Lua(_, u)), _) => Value::Int(i64::from(u.id()) + 1),
        // A host function's captures are its own: an id no Lua upvalue has.
        (Some(Up::Host(_)), Value::Native(h)) => Value::Int(-(i64::from(h.id()) * 256 + n)),
        _ => Value::Nil,
    });
    Ok(())
}

fn upvaluejoin(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.upvaluejoin", args);
    let lua_upvalue =
        |vm: &mut Vm, fi: usize, ni: usize| -> Result<(crate::value::ClosureRef, usize), RuntimeError> {
            let n = a.int(vm, ni)?;
            let f = a.function(vm, fi)?;
            if find_upvalue(vm, f, n).is_none() {
                return Err(a.error(ni, "invalid upvalue index"));
            }
            let Value::Closure(c) = f else { return Err(a.error(fi, "Lua function expected")) };
            match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
                Some(i) if i < vm.heap.closure(c).upvalues.len() => Ok((c, i)),
                _ => Err(a.error(ni, "invalid upvalue index")),
            }
        };
    let (c1, i1) = lua_upvalue(vm, 0, 1)?;
    let (c2, i2) = lua_upvalue(vm, 2, 3)?;
    let u = vm.heap.closure(c2).upvalues[i2].get();
    vm.heap.closure(c1).upvalues[i1].set(u);
    Ok(())
}

// ---- metatables, user values, registry ----

fn getmetatable(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let v = Args::lib(vm, "debug.getmetatable", args).any(0)?;
    out.push(vm.metatable_of(v).map_or(Value::Nil, Value::Table));
    Ok(())
}

fn setmetatable(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.setmetatable", args);
    let v = a.get(0);
    let mt = match a.get(1) {
        Value::Nil => None,
        Value::Table(t) => Some(t),
        _ => return Err(a.type_error(vm, 1, "nil or table")),
    };
    match v {
        Value::Table(t) => vm.set_metatable(t, mt)?,
        Value::UserData(u) => {
            vm.heap.userdata.get_mut(u).metatable = mt;
            if let Some(mt) = mt {
                let gc = vm.events.get(crate::meta::Event::Gc);
                if !vm.heap.table(mt).get_hashed(Value::Str(gc)).is_nil() {
                    vm.register_finalizer(v);
                }
            }
        }
        Value::Str(_) => vm.string_metatable = mt,
        other => {
            if let Some(slot) = crate::meta::type_slot(other) {
                vm.type_metatables[slot] = mt;
            }
        }
    }
    out.push(v);
    Ok(())
}

fn getuservalue(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.getuservalue", args);
    let n = a.opt_int(vm, 1, 1)?;
    match a.get(0) {
        Value::UserData(u) if n == 1 => {
            out.push(vm.heap.userdata(u).user_value);
            out.push(Value::Bool(true));
        }
        Value::UserData(_) => {
            out.push(Value::Nil);
            out.push(Value::Bool(false));
        }
        _ => out.push(Value::Nil),
    }
    Ok(())
}

fn setuservalue(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "debug.setuservalue", args);
    let Value::UserData(u) = a.get(0) else { return Err(a.type_error(vm, 0, "userdata")) };
    let value = a.any(1)?;
    let n = a.opt_int(vm, 2, 1)?;
    if n != 1 {
        out.push(Value::Nil);
        return Ok(());
    }
    vm.heap.userdata.get_mut(u).user_value = value;
    out.push(Value::UserData(u));
    Ok(())
}

fn getregistry(vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    out.push(Value::Table(vm.registry()));
    Ok(())
}

// ---- hooks ----

fn sethook(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (thread, off) = thread_arg(vm, args);
    let _ = thread; // hooks are per VM (see `crate::hook`)
    let a = Args::lib(vm, "debug.sethook", args);
    if a.is_none_or_nil(off) {
        vm.clear_hook();
        return Ok(());
    }
    let mask_text = a.bytes(vm, off + 1)?;
    let func = a.function(vm, off)?;
    let count = a.opt_int(vm, off + 2, 0)?.clamp(0, i64::from(u32::MAX)) as u32;
    let mut mask = 0;
    for c in mask_text {
        mask |= match c {
            b'c' => MASK_CALL,
            b'r' => MASK_RET,
            b'l' => MASK_LINE,
            _ => 0,
        };
    }
    vm.set_hook(func, mask, count);
    Ok(())
}

fn gethook(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let _ = thread_arg(vm, args);
    match vm.hook() {
        Some((func, mask, count)) => {
            let mut text = String::new();
            for (bit, c) in [(MASK_CALL, 'c'), (MASK_RET, 'r'), (MASK_LINE, 'l')] {
                if mask & bit != 0 {
                    text.push(c);
                }
            }
            out.push(func);
            out.push(vm.new_string(text.as_bytes())?);
            out.push(Value::Int(i64::from(count)));
        }
        None => out.push(Value::Nil),
    }
    Ok(())
}

// ---- the rest ----

/// `debug.debug()`: runs lines read from standard input until `cont` or its end. Needs
/// the `stdin` capability as well, and a compiler (the `load` capability) to run text.
fn debug_debug(vm: &mut Vm, _args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    loop {
        let _ = std::io::stderr().write_all(b"lua_debug> ");
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        if line.trim_end() == "cont" {
            return Ok(());
        }
        let outcome = match vm.load_chunk(line.as_bytes(), "=(debug command)", "t", None) {
            Ok(f) => vm.call(f, &[]).map(|_| ()).map_err(|e| {
                if e.is_catchable() {
                    Ok(e.message().to_string())
                } else {
                    Err(e)
                }
            }),
            Err(message) => Err(Ok(message)),
        };
        match outcome {
            Ok(()) => {}
            Err(Ok(message)) => {
                let _ = std::io::stderr().write_all(format!("{message}\n").as_bytes());
            }
            Err(Err(fatal)) => return Err(fatal),
        }
    }
}

/// `debug.setcstacklimit` (deprecated in Lua 5.4): does nothing and returns 0.
fn setcstacklimit(_vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    out.push(Value::Int(0));
    Ok(())
}
