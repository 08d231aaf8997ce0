//! The basic library (reference manual §6.1): the globals every Lua program expects.
//!
//! `pcall` and `xpcall` are builtins: called from Lua they run in protected frames on
//! the interpreter's stack (see `call.rs`); the functions here are what a host that calls
//! them directly gets. `load` compiles text only through the compiler the host installed
//! with [`Vm::set_compiler`] (a capability); binary chunks always pass the verifier.

use crate::error::RuntimeError;
use crate::heap::{Builtin, HostCode};
use crate::meta::Event;
use crate::number::{self, NumberValue};
use crate::stdlib::{add_functions, Args, LibFn};
use crate::value::Value;
use crate::Vm;

/// Adds the basic functions, `_G` and `_VERSION` to the globals.
pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let functions: &[(&'static str, LibFn)] = &[
        ("assert", assert),
        ("error", error),
        ("getmetatable", getmetatable),
        ("setmetatable", setmetatable),
        ("ipairs", ipairs),
        ("next", next),
        ("pairs", pairs),
        ("print", print),
        ("rawequal", rawequal),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawlen", rawlen),
        ("select", select),
        ("tonumber", tonumber),
        ("tostring", tostring),
        ("type", type_),
        ("load", load),
        ("warn", warn),
        ("collectgarbage", collectgarbage),
    ];
    add_functions(vm, vm.globals(), functions)?;
    for (name, builtin, f) in [
        (
            "pcall",
            Builtin::Pcall,
            pcall as fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError>,
        ),
        ("xpcall", Builtin::Xpcall, xpcall),
    ] {
        let value = Value::Native(vm.heap.new_builtin(name, HostCode::Plain(f), builtin)?);
        vm.set_global(name, value)?;
    }
    vm.set_global("_G", Value::Table(vm.globals()))?;
    let version = vm.new_string(b"Lua 5.4")?;
    vm.set_global("_VERSION", version)?;
    Ok(())
}

fn assert(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("assert", args);
    if a.get(0).is_truthy() {
        out.extend_from_slice(args);
        return Ok(());
    }
    a.any(0)?;
    match a.get(1) {
        Value::Nil => Err(RuntimeError::runtime("assertion failed!")),
        // As `error(message)`: a string gets the caller's position, other values are
        // raised as they are.
        Value::Str(s) => Err(RuntimeError::runtime(String::from_utf8_lossy(vm.heap.str(s).as_bytes()))),
        message => Err(RuntimeError::with_value(message, vm.error_message_of(message))),
    }
}

fn error(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("error", args);
    let value = a.get(0);
    let level = a.opt_int(vm, 1, 1)?;
    if let Value::Str(s) = value {
        if level > 0 {
            let at = vm.location_at_level(level as usize);
            let text = format!("{at}{}", String::from_utf8_lossy(vm.heap.str(s).as_bytes()));
            let v = vm.new_string(text.as_bytes())?;
            return Err(RuntimeError::with_value(v, text));
        }
    }
    Err(RuntimeError::with_value(value, vm.error_message_of(value)))
}

fn getmetatable(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let v = Args::new("getmetatable", args).any(0)?;
    out.push(match vm.metatable_of(v) {
        None => Value::Nil,
        Some(mt) => {
            let protected = vm.heap.table(mt).get_hashed(Value::Str(vm.events.get(Event::Metatable)));
            if protected.is_nil() {
                Value::Table(mt)
            } else {
                protected
            }
        }
    });
    Ok(())
}

fn setmetatable(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("setmetatable", args);
    let t = a.table(vm, 0)?;
    let mt = match a.get(1) {
        Value::Nil if a.len() >= 2 => None,
        Value::Table(mt) => Some(mt),
        _ => return Err(a.type_error(vm, 1, "nil or table")),
    };
    if let Some(old) = vm.heap.table(t).metatable {
        if !vm.heap.table(old).get_hashed(Value::Str(vm.events.get(Event::Metatable))).is_nil() {
            return Err(RuntimeError::runtime("cannot change a protected metatable"));
        }
    }
    vm.set_metatable(t, mt)?;
    out.push(Value::Table(t));
    Ok(())
}

fn ipairs(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let t = Args::new("ipairs", args).any(0)?;
    let iter = vm.ipairs_iterator()?;
    out.extend_from_slice(&[iter, t, Value::Int(0)]);
    Ok(())
}

/// The function `ipairs` returns: `t[i + 1]`, honouring `__index`, until a nil.
pub(crate) fn ipairs_step(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("ipairs", args);
    let i = a.int(vm, 1)?.wrapping_add(1);
    let v = match a.get(0) {
        Value::Table(t) if vm.heap.table(t).metatable.is_none() => vm.heap.table(t).get_int(i),
        t => vm.index(t, Value::Int(i))?,
    };
    if v.is_nil() {
        out.push(Value::Nil);
    } else {
        out.extend_from_slice(&[Value::Int(i), v]);
    }
    Ok(())
}

fn next(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("next", args);
    let t = a.table(vm, 0)?;
    match vm.heap.table(t).next(a.get(1)) {
        Ok(Some((k, v))) => out.extend_from_slice(&[k, v]),
        Ok(None) => out.push(Value::Nil),
        Err(_) => return Err(RuntimeError::runtime("invalid key to 'next'")),
    }
    Ok(())
}

fn pairs(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("pairs", args);
    let t = a.any(0)?;
    let handler = vm.metamethod(t, Event::Pairs);
    if !handler.is_nil() {
        let mut results = vm.call(handler, &[t])?;
        results.resize(3, Value::Nil);
        out.extend_from_slice(&results);
        return Ok(());
    }
    if !matches!(t, Value::Table(_)) {
        return Err(a.type_error(vm, 0, "table"));
    }
    let next = vm.get_global("next")?;
    let next = if next.is_nil() { vm.new_function("next", self::next)? } else { next };
    out.extend_from_slice(&[next, t, Value::Nil]);
    Ok(())
}

fn print(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let mut line = Vec::new();
    for (i, &v) in args.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        let s = vm.tostring(v)?;
        line.extend_from_slice(vm.heap.str(s).as_bytes());
    }
    line.push(b'\n');
    vm.write_output(&line)
}

fn rawequal(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("rawequal", args);
    let (x, y) = (a.any(0)?, a.any(1)?);
    let _ = vm;
    out.push(Value::Bool(x.raw_eq(y)));
    Ok(())
}

fn rawget(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("rawget", args);
    let t = a.table(vm, 0)?;
    let k = a.any(1)?;
    out.push(vm.heap.table(t).get(k));
    Ok(())
}

fn rawset(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("rawset", args);
    let t = a.table(vm, 0)?;
    let (k, v) = (a.any(1)?, a.any(2)?);
    vm.set_table(t, k, v)?;
    out.push(Value::Table(t));
    Ok(())
}

fn rawlen(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("rawlen", args);
    out.push(Value::Int(match a.get(0) {
        Value::Table(t) => vm.heap.table(t).len(),
        Value::Str(s) => vm.heap.str(s).len() as i64,
        _ => return Err(a.type_error(vm, 0, "table or string")),
    }));
    Ok(())
}

fn select(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("select", args);
    let rest = args.len().saturating_sub(1) as i64;
    if let Value::Str(s) = a.get(0) {
        if vm.heap.str(s).as_bytes() == b"#" {
            out.push(Value::Int(rest));
            return Ok(());
        }
    }
    let n = a.int(vm, 0)?;
    let start = if n < 0 {
        if n < -rest {
            return Err(a.error(0, "index out of range"));
        }
        rest + n
    } else if n == 0 {
        return Err(a.error(0, "index out of range"));
    } else {
        (n - 1).min(rest)
    };
    out.extend_from_slice(&args[1 + start as usize..]);
    Ok(())
}

fn tonumber(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("tonumber", args);
    if a.is_none_or_nil(1) {
        let v = a.any(0)?;
        out.push(match v {
            Value::Int(_) | Value::Float(_) => v,
            Value::Str(s) => match number::parse_number(vm.heap.str(s).as_bytes()) {
                Some(NumberValue::Int(i)) => Value::Int(i),
                Some(NumberValue::Float(f)) => Value::Float(f),
                None => Value::Nil,
            },
            _ => Value::Nil,
        });
        return Ok(());
    }
    let base = a.int(vm, 1)?;
    let text = match a.get(0) {
        Value::Str(s) => vm.heap.str(s).as_bytes().to_vec(),
        _ => return Err(a.type_error(vm, 0, "string")),
    };
    if !(2..=36).contains(&base) {
        return Err(a.error(1, "base out of range"));
    }
    out.push(parse_in_base(&text, base as u32).map_or(Value::Nil, Value::Int));
    Ok(())
}

/// An integer written in `base` (2–36), with optional sign and surrounding spaces;
/// wraps around on overflow as Lua does.
fn parse_in_base(text: &[u8], base: u32) -> Option<i64> {
    let s = std::str::from_utf8(text).ok()?.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(36).filter(|&d| d < base)?;
        n = n.wrapping_mul(i64::from(base)).wrapping_add(i64::from(d));
    }
    Some(if negative { n.wrapping_neg() } else { n })
}

fn tostring(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let v = Args::new("tostring", args).any(0)?;
    out.push(Value::Str(vm.tostring(v)?));
    Ok(())
}

fn type_(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let v = Args::new("type", args).any(0)?;
    out.push(vm.new_string(v.type_name().as_bytes())?);
    Ok(())
}

fn pcall(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let f = Args::new("pcall", args).any(0)?;
    protected(vm, f, &args[1..], None, out)
}

fn xpcall(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("xpcall", args);
    let (f, handler) = (a.any(0)?, a.any(1)?);
    protected(vm, f, &args[2..], Some(handler), out)
}

/// `pcall`/`xpcall` for host callers: the call runs on the Rust stack.
fn protected(
    vm: &mut Vm,
    f: Value,
    args: &[Value],
    handler: Option<Value>,
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    out.extend(vm.protected_call(f, args, handler)?);
    Ok(())
}

fn load(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("load", args);
    // A number is loaded as its text, as Lua's `lua_tolstring` converts it.
    let text = match a.get(0) {
        Value::Str(s) => Some(s),
        n @ (Value::Int(_) | Value::Float(_)) => Some(vm.to_string_value(n)?),
        _ => None,
    };
    let chunk: Vec<u8> = match (text, a.get(0)) {
        (Some(s), _) => vm.heap.str(s).as_bytes().to_vec(),
        (None, f @ (Value::Closure(_) | Value::Native(_))) => {
            let mut text = Vec::new();
            loop {
                let piece = vm.call_first(f, &[])?;
                match piece {
                    Value::Nil => break,
                    Value::Str(s) if vm.heap.str(s).is_empty() => break,
                    Value::Str(s) => text.extend_from_slice(vm.heap.str(s).as_bytes()),
                    _ => return Err(RuntimeError::runtime("reader function must return a string")),
                }
                if text.len() > vm.limits().max_string {
                    return Err(RuntimeError::runtime("chunk too large"));
                }
            }
            text
        }
        (None, _) => return Err(a.type_error(vm, 0, "function")),
    };
    let chunkname = match a.get(1) {
        // Lua names a string chunk by its text: `[string "..."]` in messages.
        Value::Nil if text.is_some() => String::from_utf8_lossy(&chunk).into_owned(),
        Value::Nil => "=(load)".to_string(),
        _ => {
            let s = a.string(vm, 1)?;
            String::from_utf8_lossy(vm.heap.str(s).as_bytes()).into_owned()
        }
    };
    let mode = match a.opt_string(vm, 2)? {
        Some(s) => String::from_utf8_lossy(vm.heap.str(s).as_bytes()).into_owned(),
        None => "bt".to_string(),
    };
    let env = if a.len() >= 4 { Some(a.get(3)) } else { None };
    match vm.load_chunk(&chunk, &chunkname, &mode, env) {
        Ok(f) => out.push(f),
        Err(message) => {
            let m = vm.new_string(message.as_bytes())?;
            out.extend_from_slice(&[Value::Nil, m]);
        }
    }
    Ok(())
}

fn collectgarbage(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("collectgarbage", args);
    let option = match a.opt_string(vm, 0)? {
        Some(s) => String::from_utf8_lossy(vm.heap.str(s).as_bytes()).into_owned(),
        None => "collect".to_string(),
    };
    match option.as_str() {
        "collect" => {
            vm.collect_garbage();
            vm.run_finalizers()?;
            out.push(Value::Int(0));
        }
        "step" => {
            // Every step finishes a whole cycle.
            vm.collect_garbage();
            vm.run_finalizers()?;
            out.push(Value::Bool(true));
        }
        "count" => {
            let bytes = vm.heap.bytes();
            out.push(Value::Float(bytes as f64 / 1024.0));
        }
        "isrunning" => out.push(Value::Bool(vm.gc_running())),
        "stop" => {
            vm.set_gc_running(false);
            out.push(Value::Int(0));
        }
        "restart" => {
            vm.set_gc_running(true);
            out.push(Value::Int(0));
        }
        "incremental" | "generational" => {
            let was = vm.set_gc_generational(option == "generational");
            let name: &[u8] = if was { b"generational" } else { b"incremental" };
            out.push(vm.new_string(name)?);
        }
        // Accepted for compatibility; the collector has no tuning knobs.
        "setpause" | "setstepmul" => out.push(Value::Int(100)),
        _ => return Err(a.error(0, &format!("invalid option '{option}'"))),
    }
    Ok(())
}

fn warn(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("warn", args);
    let mut message = Vec::new();
    for i in 0..a.len().max(1) {
        let s = a.string(vm, i)?;
        message.extend_from_slice(vm.heap.str(s).as_bytes());
    }
    vm.warn(&message);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_in_base;

    #[test]
    fn integers_in_any_base() {
        assert_eq!(parse_in_base(b"ff", 16), Some(255));
        assert_eq!(parse_in_base(b"  -101  ", 2), Some(-5));
        assert_eq!(parse_in_base(b"zz", 36), Some(1295));
        assert_eq!(parse_in_base(b"8", 8), None);
        assert_eq!(parse_in_base(b"", 10), None);
        assert_eq!(parse_in_base(b"1 0", 10), None);
    }
}
