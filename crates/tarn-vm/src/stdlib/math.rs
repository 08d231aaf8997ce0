//! The mathematical library (reference manual §6.7).
//!
//! Integer arguments stay integers where Lua keeps them (`abs`, `floor`, `ceil`, `fmod`,
//! `max`, `min`); a float result that is an exact integer in range becomes an integer
//! only in the functions the manual says return one (`floor`, `ceil`, `modf`'s first
//! result). As in Lua, only a true integer takes the integer path: a numeric string
//! such as `"-3"` is converted to a float (`math.abs("-3")` is `3.0`).
//!
//! `random` is xoshiro256** with Lua 5.4's seeding (`randomseed(n1, n2)` sets the state to
//! `{n1, 0xff, n2, 0}` and discards 16 outputs), its float conversion (the top 53 bits)
//! and its projection of a random integer into `[m, n]` (rejection sampling on the
//! smallest all-ones mask covering the interval), so seeded sequences match `lua5.4`.
//!
//! **Difference from Lua:** Lua seeds the generator randomly when the library opens;
//! Tarn seeds it as `math.randomseed(0)` so that a program without `randomseed` runs the
//! same way every time (DESIGN: deterministic). `math.randomseed()` with no argument
//! still seeds from the clock and an address, as Lua does.

use std::sync::{Arc, Mutex};

use crate::error::RuntimeError;
use crate::number::{self, NumberValue};

use crate::stdlib::{add_functions, Args, LibFn};
use crate::value::Value;
use crate::Vm;

/// Adds the `math` table to the globals.
pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let t = vm.new_table()?;
    let functions: &[(&'static str, LibFn)] = &[
        ("abs", abs),
        ("ceil", ceil),
        ("floor", floor),
        ("fmod", fmod),
        ("modf", modf),
        ("sqrt", sqrt),
        ("exp", exp),
        ("log", log),
        ("sin", sin),
        ("cos", cos),
        ("tan", tan),
        ("asin", asin),
        ("acos", acos),
        ("atan", atan),
        ("tointeger", tointeger),
        ("type", type_),
        ("ult", ult),
        ("max", max),
        ("min", min),
    ];
    add_functions(vm, t, functions)?;
    vm.set_field(t, "pi", Value::Float(std::f64::consts::PI))?;
    vm.set_field(t, "huge", Value::Float(f64::INFINITY))?;
    vm.set_field(t, "maxinteger", Value::Int(i64::MAX))?;
    vm.set_field(t, "mininteger", Value::Int(i64::MIN))?;

    // The generator state belongs to this library instance, shared by its two functions.
    let state = Arc::new(Mutex::new(Xoshiro::seeded(0, 0)));
    let s = Arc::clone(&state);
    let random = vm.new_function("random", move |vm, args, out| random(vm, &s, args, out))?;
    vm.set_field(t, "random", random)?;
    let s = state;
    let randomseed = vm.new_function("randomseed", move |vm, args, out| randomseed(vm, &s, args, out))?;
    vm.set_field(t, "randomseed", randomseed)?;

    vm.set_global("math", Value::Table(t))
}

/// A float result that is an exact integer in range as an integer, otherwise the float.
fn float_to_int_or_float(f: f64) -> Value {
    match number::float_to_int_exact(f) {
        Some(i) => Value::Int(i),
        None => Value::Float(f),
    }
}

fn abs(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.abs", args);
    out.push(match a.get(0) {
        Value::Int(n) => Value::Int(n.wrapping_abs()),
        _ => Value::Float(a.float(vm, 0)?.abs()),
    });
    Ok(())
}

fn floor(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.floor", args);
    out.push(match a.get(0) {
        Value::Int(n) => Value::Int(n),
        _ => float_to_int_or_float(a.float(vm, 0)?.floor()),
    });
    Ok(())
}

fn ceil(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.ceil", args);
    out.push(match a.get(0) {
        Value::Int(n) => Value::Int(n),
        _ => float_to_int_or_float(a.float(vm, 0)?.ceil()),
    });
    Ok(())
}

fn fmod(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.fmod", args);
    out.push(match (a.get(0), a.get(1)) {
        (Value::Int(x), Value::Int(y)) => match y {
            0 => return Err(a.error(1, "zero")),
            // `i64::MIN % -1` overflows in Rust; the remainder is 0.
            -1 => Value::Int(0),
            // C's `%`: truncating, the result takes the dividend's sign.
            _ => Value::Int(x % y),
        },
        _ => {
            let (x, y) = (a.float(vm, 0)?, a.float(vm, 1)?);
            Value::Float(x % y)
        }
    });
    Ok(())
}

fn modf(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.modf", args);
    if let Value::Int(n) = a.get(0) {
        out.extend_from_slice(&[Value::Int(n), Value::Float(0.0)]);
        return Ok(());
    }
    let n = a.float(vm, 0)?;
    // The integral part rounds toward zero; infinities have a zero fractional part.
    let ip = if n < 0.0 { n.ceil() } else { n.floor() };
    let frac = if n == ip { 0.0 } else { n - ip };
    let ip = if ip.is_finite() { float_to_int_or_float(ip) } else { Value::Float(ip) };
    out.extend_from_slice(&[ip, Value::Float(frac)]);
    Ok(())
}

/// A function of one float argument returning a float.
fn unary(
    vm: &mut Vm,
    name: &'static str,
    args: &[Value],
    out: &mut Vec<Value>,
    f: fn(f64) -> f64,
) -> Result<(), RuntimeError> {
    let x = Args::lib(vm, name, args).float(vm, 0)?;
    out.push(Value::Float(f(x)));
    Ok(())
}

fn sqrt(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.sqrt", args, out, f64::sqrt)
}

fn exp(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.exp", args, out, f64::exp)
}

fn sin(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.sin", args, out, f64::sin)
}

fn cos(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.cos", args, out, f64::cos)
}

fn tan(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.tan", args, out, f64::tan)
}

fn asin(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.asin", args, out, f64::asin)
}

fn acos(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    unary(vm, "math.acos", args, out, f64::acos)
}

fn atan(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.atan", args);
    let y = a.float(vm, 0)?;
    let x = a.opt_float(vm, 1, 1.0)?;
    out.push(Value::Float(y.atan2(x)));
    Ok(())
}

fn log(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.log", args);
    let x = a.float(vm, 0)?;
    let result = if a.is_none_or_nil(1) {
        x.ln()
    } else {
        let base = a.float(vm, 1)?;
        // Bases 2 and 10 use the exact functions, so `log(8, 2)` is exactly 3.
        if base == 2.0 {
            x.log2()
        } else if base == 10.0 {
            x.log10()
        } else {
            x.ln() / base.ln()
        }
    };
    out.push(Value::Float(result));
    Ok(())
}

fn tointeger(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.tointeger", args);
    // Numbers and numeric strings convert, as Lua 5.4.4's `lua_tointegerx` does.
    out.push(match a.any(0)? {
        Value::Int(n) => Value::Int(n),
        Value::Float(f) => number::float_to_int_exact(f).map_or(Value::Nil, Value::Int),
        Value::Str(s) => match number::parse_number(vm.heap.str(s).as_bytes()) {
            Some(NumberValue::Int(n)) => Value::Int(n),
            Some(NumberValue::Float(f)) => number::float_to_int_exact(f).map_or(Value::Nil, Value::Int),
            None => Value::Nil,
        },
        _ => Value::Nil,
    });
    Ok(())
}

fn type_(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.type", args);
    let name: &[u8] = match a.any(0)? {
        Value::Int(_) => b"integer",
        Value::Float(_) => b"float",
        _ => {
            out.push(Value::Nil);
            return Ok(());
        }
    };
    let s = vm.intern(name)?;
    out.push(Value::Str(s));
    Ok(())
}

fn ult(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.ult", args);
    let (x, y) = (a.int(vm, 0)?, a.int(vm, 1)?);
    out.push(Value::Bool((x as u64) < (y as u64)));
    Ok(())
}

/// `max` and `min`: the winning argument itself (integer or float) by Lua's `<`, which
/// raises "attempt to compare" for non-numbers as Lua 5.4.4 does.
fn extreme(
    vm: &mut Vm,
    name: &'static str,
    args: &[Value],
    out: &mut Vec<Value>,
    want_max: bool,
) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, name, args);
    let mut best = a.get(0);
    if a.is_empty() {
        return Err(a.error(0, "value expected"));
    }
    for &v in &args[1..] {
        let better = if want_max { vm.less_than(best, v)? } else { vm.less_than(v, best)? };
        if better {
            best = v;
        }
    }
    out.push(best);
    Ok(())
}

fn max(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    extreme(vm, "math.max", args, out, true)
}

fn min(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    extreme(vm, "math.min", args, out, false)
}

/// The xoshiro256** generator, with Lua 5.4's seeding.
#[derive(Debug, Clone)]
struct Xoshiro([u64; 4]);

impl Xoshiro {
    fn seeded(n1: u64, n2: u64) -> Xoshiro {
        // 0xff in the second word keeps the state from being all zeros.
        let mut g = Xoshiro([n1, 0xff, n2, 0]);
        for _ in 0..16 {
            g.next();
        }
        g
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A random value in `[0, n]`: mask to the smallest `2^b - 1 >= n` and retry until
    /// inside (so every value is equally likely), starting from `first`.
    fn project(&mut self, first: u64, n: u64) -> u64 {
        if n & n.wrapping_add(1) == 0 {
            return first & n;
        }
        let mut lim = n;
        lim |= lim >> 1;
        lim |= lim >> 2;
        lim |= lim >> 4;
        lim |= lim >> 8;
        lim |= lim >> 16;
        lim |= lim >> 32;
        let mut r = first & lim;
        while r > n {
            r = self.next() & lim;
        }
        r
    }
}

/// A float in `[0, 1)` from the top 53 bits.
fn to_unit_float(x: u64) -> f64 {
    (x >> 11) as f64 * (0.5f64).powi(53)
}

fn lock(state: &Mutex<Xoshiro>) -> std::sync::MutexGuard<'_, Xoshiro> {
    // A poisoned lock only means another thread panicked mid-update; the state is still
    // four words, so keep using it.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn random(
    vm: &mut Vm,
    state: &Mutex<Xoshiro>,
    args: &[Value],
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.random", args);
    let mut g = lock(state);
    let r = g.next();
    let (low, up) = match args.len() {
        0 => {
            out.push(Value::Float(to_unit_float(r)));
            return Ok(());
        }
        1 => {
            let up = a.int(vm, 0)?;
            if up == 0 {
                // `math.random(0)`: all 64 bits.
                out.push(Value::Int(r as i64));
                return Ok(());
            }
            (1, up)
        }
        2 => (a.int(vm, 0)?, a.int(vm, 1)?),
        _ => return Err(RuntimeError::runtime("wrong number of arguments")),
    };
    if low > up {
        return Err(a.error(0, "interval is empty"));
    }
    let p = g.project(r, (up as u64).wrapping_sub(low as u64));
    out.push(Value::Int(p.wrapping_add(low as u64) as i64));
    Ok(())
}

fn randomseed(
    vm: &mut Vm,
    state: &Mutex<Xoshiro>,
    args: &[Value],
    out: &mut Vec<Value>,
) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "math.randomseed", args);
    let (n1, n2) = if a.is_empty() {
        // Something that varies between runs: the clock and an address.
        let time =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let address = state as *const Mutex<Xoshiro> as usize as u64;
        (time, address)
    } else {
        (a.int(vm, 0)? as u64, a.opt_int(vm, 1, 0)? as u64)
    };
    *lock(state) = Xoshiro::seeded(n1, n2);
    out.extend_from_slice(&[Value::Int(n1 as i64), Value::Int(n2 as i64)]);
    Ok(())
}
