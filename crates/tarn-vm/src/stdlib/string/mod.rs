//! The `string` library (reference manual §6.4) as host functions.
//!
//! - [`pattern`]: the Lua pattern matcher (bounded recursion, metered steps).
//! - [`format`]: the `string.format` engine.
//! - [`pack`]: `string.pack`, `string.unpack`, `string.packsize`.
//! - this module: the bindings, index rules (`sub`, `byte`, `find`'s `init`) and
//!   [`open`], which installs the table, the global and the string metatable.
//!
//! Work is charged as fuel: about one unit per 64 bytes produced or scanned and one per
//! 64 pattern steps, on top of the call instruction itself. Results are checked against
//! the VM's string size limit before they are built, so no count taken from a script
//! (`string.rep("x", 1e18)`) decides an allocation unchecked.
//!
//! Not here yet: `string.dump` (fails with "unable to dump given function" until the
//! bytecode encoder is reachable from the VM); `gsub` with a table replacement reads the
//! table raw (no `__index`), and `%s` in `format` uses [`Vm::to_string_value`], which
//! will honour `__tostring` once the VM does.

pub mod format;
pub mod pack;
pub mod pattern;

use crate::error::{ErrorKind, RuntimeError};
use crate::stdlib::Args;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::value::{StrRef, Value};
use crate::Vm;

use pattern::{Capture, Match, PatternError};

/// Bytes produced or scanned per unit of fuel.
const BYTES_PER_FUEL: u64 = 64;
/// Pattern-matcher steps per unit of fuel.
const STEPS_PER_FUEL: u64 = 64;

/// Characters that make `find` use the pattern matcher instead of a plain search.
const SPECIALS: &[u8] = b"^$*+?.([%-";

fn out_of_fuel() -> RuntimeError {
    RuntimeError::new(ErrorKind::OutOfFuel, "out of fuel")
}

/// Takes `units` of fuel, or empties the tank and fails with "out of fuel".
fn charge(vm: &mut Vm, units: u64) -> Result<(), RuntimeError> {
    vm.charge_fuel(units)
}

/// Charges for `n` bytes produced or scanned.
fn charge_bytes(vm: &mut Vm, n: usize) -> Result<(), RuntimeError> {
    charge(vm, n as u64 / BYTES_PER_FUEL)
}

/// Fails with Lua's message if a result of `len` bytes would pass the string limit or
/// the heap's room.
fn check_size(vm: &Vm, len: usize) -> Result<(), RuntimeError> {
    vm.check_string_size(len)
}

/// Runs a pattern operation with a step budget drawn from the VM's fuel, then charges
/// the steps it took (rounded up). The matcher reads the VM: subjects and patterns are
/// heap strings borrowed in place, never copied.
fn metered_on<T>(
    vm: &mut Vm,
    run: impl FnOnce(&Vm, &mut u64) -> Result<T, PatternError>,
) -> Result<T, RuntimeError> {
    let mut meter = Meter::default();
    let result = meter.run_on(vm, run);
    meter.finish(vm)?;
    result
}

/// Pattern steps across many short runs (one per `gsub` position), charged in whole
/// units of fuel as they add up, so a run of a few steps does not cost a full unit.
#[derive(Default)]
struct Meter {
    /// Steps taken but not yet charged (fewer than [`STEPS_PER_FUEL`]).
    unpaid: u64,
}

impl Meter {
    fn run_on<T>(
        &mut self,
        vm: &mut Vm,
        run: impl FnOnce(&Vm, &mut u64) -> Result<T, PatternError>,
    ) -> Result<T, RuntimeError> {
        let start = vm.fuel().saturating_mul(STEPS_PER_FUEL).saturating_sub(self.unpaid);
        let mut budget = start;
        let result = run(vm, &mut budget);
        self.unpaid += start - budget;
        charge(vm, self.unpaid / STEPS_PER_FUEL)?;
        self.unpaid %= STEPS_PER_FUEL;
        match result {
            Ok(v) => Ok(v),
            Err(PatternError::Lua(message)) => Err(RuntimeError::runtime(message)),
            Err(PatternError::OutOfSteps) => {
                vm.set_fuel(0);
                Err(out_of_fuel())
            }
        }
    }

    /// Charges the remaining steps, rounded up to a unit.
    fn finish(self, vm: &mut Vm) -> Result<(), RuntimeError> {
        charge(vm, self.unpaid.div_ceil(STEPS_PER_FUEL))
    }
}

/// Lua's `posrelatI`: a 1-based start position, negative counting from the end,
/// clamped below at 1.
fn start_position(pos: i64, len: usize) -> u64 {
    if pos > 0 {
        pos as u64
    } else if pos == 0 || pos.unsigned_abs() > len as u64 {
        1
    } else {
        (len as i64 + pos + 1) as u64
    }
}

/// Lua's `getendpos`: a 1-based end position clamped to `0..=len`.
fn end_position(pos: i64, len: usize) -> usize {
    if pos > len as i64 {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// A capture of a match in string `s` as a Lua value: a string, or a 1-based position.
fn capture_value(vm: &mut Vm, s: StrRef, capture: Capture) -> Result<Value, RuntimeError> {
    match capture {
        Capture::Str(a, b) => Ok(Value::Str(vm.heap.intern_range(s, a..b)?)),
        Capture::Position(p) => Ok(Value::Int(p as i64 + 1)),
    }
}

/// Pushes the values of a match in string `s`: every capture, or the whole match when
/// there are none.
fn push_captures(vm: &mut Vm, s: StrRef, m: &Match, results: &mut Vec<Value>) -> Result<(), RuntimeError> {
    for i in 0..m.value_count() {
        let capture = m.capture(i).map_err(pattern_error)?;
        results.push(capture_value(vm, s, capture)?);
    }
    Ok(())
}

fn pattern_error(e: PatternError) -> RuntimeError {
    match e {
        PatternError::Lua(message) => RuntimeError::runtime(message),
        PatternError::OutOfSteps => out_of_fuel(),
    }
}

/// Registers `f` as field `name` of `table`.
fn add(
    vm: &mut Vm,
    table: crate::value::TableRef,
    name: &str,
    f: impl Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync + 'static,
) -> Result<(), RuntimeError> {
    let function = vm.new_function(name, f)?;
    vm.set_field(table, name, function)
}

/// Creates the `string` table, sets the global `string` and the string metatable
/// `{__index = string}`.
pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let t = vm.new_table()?;
    add(vm, t, "byte", byte)?;
    add(vm, t, "char", char)?;
    add(vm, t, "dump", dump)?;
    add(vm, t, "find", |vm, args, out| find_aux(vm, Args::lib(vm, "string.find", args), true, out))?;
    add(vm, t, "format", |vm, args, out| {
        let bytes = format::format(vm, Args::lib(vm, "string.format", args))?;
        charge_bytes(vm, bytes.len())?;
        out.push(vm.new_string_owned(bytes)?);
        Ok(())
    })?;
    add(vm, t, "gmatch", gmatch)?;
    add(vm, t, "gsub", gsub)?;
    add(vm, t, "len", len)?;
    add(vm, t, "lower", |vm, args, out| {
        map_bytes(vm, Args::lib(vm, "string.lower", args), out, u8::to_ascii_lowercase)
    })?;
    add(vm, t, "match", |vm, args, out| find_aux(vm, Args::lib(vm, "string.match", args), false, out))?;
    add(vm, t, "pack", |vm, args, out| {
        // Lua's `pack` pushes a nil after its arguments, so the first missing value is
        // reported as "got nil" rather than "got no value"; an explicit nil does the same.
        let mut values = args.to_vec();
        values.push(Value::Nil);
        let bytes = pack::pack(vm, Args::lib(vm, "string.pack", &values))?;
        charge_bytes(vm, bytes.len())?;
        out.push(vm.new_string_owned(bytes)?);
        Ok(())
    })?;
    add(vm, t, "packsize", |vm, args, out| {
        out.push(Value::Int(pack::packsize(vm, Args::lib(vm, "string.packsize", args))?));
        Ok(())
    })?;
    add(vm, t, "rep", rep)?;
    add(vm, t, "reverse", reverse)?;
    add(vm, t, "sub", sub)?;
    add(vm, t, "unpack", |vm, args, out| {
        let args = Args::lib(vm, "string.unpack", args);
        let before = out.len();
        pack::unpack(vm, args, out)?;
        charge(vm, (out.len() - before) as u64 / 8)
    })?;
    add(vm, t, "upper", |vm, args, out| {
        map_bytes(vm, Args::lib(vm, "string.upper", args), out, u8::to_ascii_uppercase)
    })?;
    vm.set_global("string", Value::Table(t))?;
    let mt = vm.new_table()?;
    vm.set_field(mt, "__index", Value::Table(t))?;
    // Arithmetic on strings: the interpreter coerces numeric strings itself, so these
    // run only when called directly, as `getmetatable("").__add("1", 2)`.
    use crate::interp::ArithOp;
    for (name, op) in [
        ("__add", ArithOp::Add),
        ("__sub", ArithOp::Sub),
        ("__mul", ArithOp::Mul),
        ("__div", ArithOp::Div),
        ("__mod", ArithOp::Mod),
        ("__pow", ArithOp::Pow),
        ("__idiv", ArithOp::IDiv),
        ("__unm", ArithOp::Unm),
    ] {
        let f = vm.new_function(name, move |vm, args, out| {
            let (a, b) =
                (args.first().copied().unwrap_or(Value::Nil), args.get(1).copied().unwrap_or(Value::Nil));
            match vm.arith_numeric(op, a, b) {
                Some(v) => {
                    out.push(v);
                    Ok(())
                }
                None => Err(RuntimeError::runtime(format!(
                    "attempt to {} a '{}' with a '{}'",
                    &name[2..],
                    a.type_name(),
                    b.type_name()
                ))),
            }
        })?;
        vm.set_field(mt, name, f)?;
    }
    vm.set_string_metatable(Some(mt));
    Ok(())
}

// string.byte (s [, i [, j]])
fn byte(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.byte", args);
    let s = args.string(vm, 0)?;
    let len = vm.heap().str(s).len();
    // The end defaults to the start as given, before it is adjusted: `s:byte(0)` is
    // empty, as in Lua.
    let given = args.opt_int(vm, 1, 1)?;
    let i = start_position(given, len);
    let j = end_position(args.opt_int(vm, 2, given)?, len);
    if i > j as u64 {
        return Ok(());
    }
    let (i, j) = (i as usize, j);
    if j - i >= vm.limits().max_stack {
        return Err(RuntimeError::runtime("string slice too long"));
    }
    charge(vm, (j - i + 1) as u64 / 8)?;
    out.extend(vm.heap().str(s).as_bytes()[i - 1..j].iter().map(|&b| Value::Int(i64::from(b))));
    Ok(())
}

// string.char (...)
fn char(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.char", args);
    let mut bytes = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        let c = args.int(vm, i)?;
        match u8::try_from(c) {
            Ok(b) => bytes.push(b),
            Err(_) => return Err(args.error(i, "value out of range")),
        }
    }
    charge_bytes(vm, bytes.len())?;
    out.push(vm.new_string_owned(bytes)?);
    Ok(())
}

// string.dump (function [, strip])
fn dump(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.dump", args);
    let f = args.function(vm, 0)?;
    let bytes = vm.dump_function(f, args.boolean(1))?;
    vm.check_string_size(bytes.len())?;
    out.push(vm.new_string_owned(bytes)?);
    Ok(())
}

// string.find (s, pattern [, init [, plain]]) and string.match (s, pattern [, init])
fn find_aux(vm: &mut Vm, args: Args, find: bool, out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    // Subject and pattern are read in place: `s:find(p, init)` walking a long text is a
    // common loop, and copying the text each time would make it quadratic.
    let s = args.string(vm, 0)?;
    let p = args.string(vm, 1)?;
    let subject_len = vm.heap().str(s).len();
    let init = start_position(args.opt_int(vm, 2, 1)?, subject_len) - 1;
    if init > subject_len as u64 {
        out.push(Value::Nil);
        return Ok(());
    }
    let init = init as usize;
    let pat = vm.heap().str(p).as_bytes();
    let pat_len = pat.len();
    let plain = find && (args.boolean(3) || !pat.iter().any(|c| SPECIALS.contains(c)));
    charge_bytes(vm, subject_len - init + pat_len)?;
    if plain {
        let found = metered_on(vm, |vm, budget| {
            pattern::find_plain(vm.heap().str(s).as_bytes(), vm.heap().str(p).as_bytes(), init, budget)
        })?;
        match found {
            Some(at) => {
                out.push(Value::Int(at as i64 + 1));
                out.push(Value::Int((at + pat_len) as i64));
            }
            None => out.push(Value::Nil),
        }
        return Ok(());
    }
    let found = metered_on(vm, |vm, budget| {
        pattern::find(vm.heap().str(s).as_bytes(), vm.heap().str(p).as_bytes(), init, budget)
    })?;
    let Some(m) = found else {
        out.push(Value::Nil);
        return Ok(());
    };
    if find {
        out.push(Value::Int(m.start as i64 + 1));
        out.push(Value::Int(m.end as i64));
        for i in 0..m.capture_count() {
            out.push(capture_value(vm, s, m.capture(i).map_err(pattern_error)?)?);
        }
        Ok(())
    } else {
        push_captures(vm, s, &m, out)
    }
}

/// What a `gmatch` iterator remembers between calls. The subject and pattern are
/// captured by the iterator function, so the collector keeps them alive; the positions
/// are atomics because host functions are shared (`Fn + Sync`).
struct GmatchState {
    subject: StrRef,
    pattern: StrRef,
    /// Where the next search starts.
    pos: AtomicUsize,
    /// End of the last match ([`NO_MATCH`] before the first), so an empty match cannot
    /// repeat there.
    last_match: AtomicUsize,
}

/// [`GmatchState::last_match`] before any match (no subject is that long).
const NO_MATCH: usize = usize::MAX;

// string.gmatch (s, pattern [, init])
fn gmatch(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.gmatch", args);
    let subject = args.string(vm, 0)?;
    let pattern = args.string(vm, 1)?;
    let len = vm.heap().str(subject).len();
    let init = (start_position(args.opt_int(vm, 2, 1)?, len) - 1).min(len as u64 + 1) as usize;
    charge_bytes(vm, len + vm.heap().str(pattern).len())?;
    let state =
        GmatchState { subject, pattern, pos: AtomicUsize::new(init), last_match: AtomicUsize::new(NO_MATCH) };
    let captured = [Value::Str(subject), Value::Str(pattern)];
    let iter = vm.new_function_capturing("gmatch iterator", &captured, move |vm, _args, out| {
        let st = &state;
        let pos = st.pos.load(Ordering::Relaxed);
        let last = Some(st.last_match.load(Ordering::Relaxed)).filter(|&e| e != NO_MATCH);
        // In gmatch a leading '^' is not an anchor: the whole pattern is matched as is.
        let found = metered_on(vm, |vm, budget| {
            let heap = vm.heap();
            pattern::search(
                heap.str(st.subject).as_bytes(),
                heap.str(st.pattern).as_bytes(),
                pos,
                false,
                last,
                budget,
            )
        })?;
        match found {
            Some(m) => {
                st.pos.store(m.end, Ordering::Relaxed);
                st.last_match.store(m.end, Ordering::Relaxed);
                push_captures(vm, st.subject, &m, out)
            }
            None => {
                // Like Lua's iterator: no values at all (a `for` loop reads that as nil).
                st.pos.store(vm.heap().str(st.subject).len() + 1, Ordering::Relaxed);
                Ok(())
            }
        }
    })?;
    out.push(iter);
    Ok(())
}

/// The replacement argument of `gsub`.
enum Replacement {
    Str(StrRef),
    Table(crate::value::TableRef),
    Function(Value),
}

// string.gsub (s, pattern, repl [, n])
fn gsub(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.gsub", args);
    let s = args.string(vm, 0)?;
    let p = args.string(vm, 1)?;
    let repl = match args.get(2) {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Replacement::Str(args.string(vm, 2)?),
        Value::Table(t) => Replacement::Table(t),
        f @ (Value::Closure(_) | Value::Native(_)) => Replacement::Function(f),
        _ => return Err(args.type_error(vm, 2, "string/function/table")),
    };
    let subject_len = vm.heap().str(s).len();
    let max_n = args.opt_int(vm, 3, subject_len as i64 + 1)?;
    let (anchored, pat_len) = {
        let (anchored, pat) = pattern::split_anchor(vm.heap().str(p).as_bytes());
        (anchored, pat.len())
    };
    let max_string = vm.limits().max_string.min(vm.heap().limit().saturating_sub(vm.heap().bytes()));
    charge_bytes(vm, subject_len + pat_len)?;
    let mut result: Vec<u8> = Vec::new();
    let mut scratch = Vec::new();
    let mut pos = 0;
    let mut last_match = None;
    let mut count: i64 = 0;
    let mut meter = Meter::default();
    while count < max_n {
        let found = meter.run_on(vm, |vm, budget| {
            let heap = vm.heap();
            let (_, pat) = pattern::split_anchor(heap.str(p).as_bytes());
            pattern::search(heap.str(s).as_bytes(), pat, pos, anchored, last_match, budget)
        })?;
        let Some(m) = found else { break };
        count += 1;
        // The bytes before the match, then its replacement.
        result.extend_from_slice(&vm.heap().str(s).as_bytes()[pos..m.start]);
        let before = result.len();
        add_replacement(vm, s, &m, &repl, &mut result, &mut scratch)?;
        charge_bytes(vm, result.len() - before)?;
        pos = m.end;
        last_match = Some(m.end);
        if result.len() > max_string {
            check_size(vm, result.len())?;
        }
        if anchored {
            break;
        }
    }
    meter.finish(vm)?;
    if count == 0 {
        // Nothing replaced: the result is the subject itself (strings are interned).
        out.push(Value::Str(s));
    } else {
        result.extend_from_slice(&vm.heap().str(s).as_bytes()[pos..]);
        check_size(vm, result.len())?;
        out.push(vm.new_string_owned(result)?);
    }
    out.push(Value::Int(count));
    Ok(())
}

/// Appends the replacement for match `m` in string `s` to `result`. `scratch` holds
/// a replacement function's arguments (reused from match to match).
fn add_replacement(
    vm: &mut Vm,
    s: StrRef,
    m: &Match,
    repl: &Replacement,
    result: &mut Vec<u8>,
    scratch: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let value = match repl {
        Replacement::Str(text) => return expand_replacement(vm, s, m, *text, result),
        Replacement::Table(t) => {
            let key = capture_value(vm, s, m.capture(0).map_err(pattern_error)?)?;
            vm.heap().table(*t).get(key)
        }
        Replacement::Function(f) => {
            scratch.clear();
            push_captures(vm, s, m, scratch)?;
            vm.call_first(*f, scratch)?
        }
    };
    // As Lua's `add_value`: strings and numbers (converted without metamethods) replace,
    // false and nil keep the match.
    match value {
        Value::Nil | Value::Bool(false) => {
            result.extend_from_slice(&vm.heap().str(s).as_bytes()[m.start..m.end])
        }
        Value::Str(r) => result.extend_from_slice(vm.heap().str(r).as_bytes()),
        Value::Int(n) => result.extend_from_slice(crate::number::int_text(n, &mut [0; 20])),
        Value::Float(f) => result.extend_from_slice(crate::number::format_float(f).as_bytes()),
        other => {
            return Err(RuntimeError::runtime(format!("invalid replacement value (a {})", other.type_name())))
        }
    }
    Ok(())
}

/// A replacement string with `%0`–`%9` and `%%`.
fn expand_replacement(
    vm: &Vm,
    s: StrRef,
    m: &Match,
    text: StrRef,
    result: &mut Vec<u8>,
) -> Result<(), RuntimeError> {
    let subject = vm.heap().str(s).as_bytes();
    let mut text = vm.heap().str(text).as_bytes();
    // Copies the literal runs between escapes whole.
    while let Some(at) = text.iter().position(|&c| c == b'%') {
        result.extend_from_slice(&text[..at]);
        match text.get(at + 1) {
            Some(b'%') => result.push(b'%'),
            Some(b'0') => result.extend_from_slice(&subject[m.start..m.end]),
            Some(&d) if d.is_ascii_digit() => {
                match m.capture(usize::from(d - b'1')).map_err(pattern_error)? {
                    Capture::Str(a, b) => result.extend_from_slice(&subject[a..b]),
                    Capture::Position(p) => result.extend_from_slice((p + 1).to_string().as_bytes()),
                }
            }
            _ => return Err(RuntimeError::runtime("invalid use of '%' in replacement string")),
        }
        text = &text[at + 2..];
        check_size(vm, result.len())?;
    }
    result.extend_from_slice(text);
    Ok(())
}

// string.len (s)
fn len(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.len", args);
    let s = args.string(vm, 0)?;
    out.push(Value::Int(vm.heap().str(s).len() as i64));
    Ok(())
}

/// `lower`/`upper`: the string with `f` applied to each byte (C locale).
fn map_bytes(vm: &mut Vm, args: Args, out: &mut Vec<Value>, f: fn(&u8) -> u8) -> Result<(), RuntimeError> {
    let s = args.string(vm, 0)?;
    let bytes: Vec<u8> = vm.heap().str(s).as_bytes().iter().map(f).collect();
    charge_bytes(vm, bytes.len())?;
    out.push(vm.new_string_owned(bytes)?);
    Ok(())
}

// string.rep (s, n [, sep])
fn rep(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.rep", args);
    let s = args.bytes(vm, 0)?;
    let n = args.int(vm, 1)?;
    let sep = match args.opt_string(vm, 2)? {
        Some(sep) => vm.heap().str(sep).as_bytes().to_vec(),
        None => Vec::new(),
    };
    if n <= 0 {
        out.push(vm.new_string(b"")?);
        return Ok(());
    }
    // The size is computed, checked and charged before anything is allocated.
    let total = usize::try_from(n)
        .ok()
        .and_then(|n| s.len().checked_mul(n)?.checked_add(sep.len().checked_mul(n - 1)?))
        .ok_or_else(|| RuntimeError::runtime("resulting string too large"))?;
    check_size(vm, total)?;
    charge_bytes(vm, total)?;
    if total == 0 {
        // Empty pieces: any count, however large, makes the empty string at once.
        out.push(vm.new_string(b"")?);
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(total);
    for i in 0..n {
        if i > 0 {
            bytes.extend_from_slice(&sep);
        }
        bytes.extend_from_slice(&s);
    }
    out.push(vm.new_string_owned(bytes)?);
    Ok(())
}

// string.reverse (s)
fn reverse(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.reverse", args);
    let mut bytes = args.bytes(vm, 0)?;
    bytes.reverse();
    charge_bytes(vm, bytes.len())?;
    out.push(vm.new_string_owned(bytes)?);
    Ok(())
}

// string.sub (s, i [, j])
fn sub(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let args = Args::lib(vm, "string.sub", args);
    let s = args.string(vm, 0)?;
    let len = vm.heap().str(s).len();
    let i = start_position(args.int(vm, 1)?, len);
    let j = end_position(args.opt_int(vm, 2, -1)?, len);
    if i > j as u64 {
        out.push(vm.new_string(b"")?);
        return Ok(());
    }
    let start = i as usize - 1;
    charge_bytes(vm, j - start)?;
    // Interned straight from the subject's bytes, without a copy in between.
    out.push(Value::Str(vm.heap.intern_range(s, start..j)?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_lua() {
        assert_eq!(start_position(1, 5), 1);
        assert_eq!(start_position(0, 5), 1);
        assert_eq!(start_position(-2, 5), 4);
        assert_eq!(start_position(-10, 5), 1);
        assert_eq!(start_position(i64::MIN, 5), 1);
        assert_eq!(start_position(i64::MAX, 5), i64::MAX as u64);
        assert_eq!(end_position(-1, 5), 5);
        assert_eq!(end_position(10, 5), 5);
        assert_eq!(end_position(-10, 5), 0);
        assert_eq!(end_position(i64::MIN, 5), 0);
    }
}
