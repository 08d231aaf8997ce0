//! The operating system library (reference manual §6.9), behind capabilities.
//!
//! Every function that reaches outside the VM checks its [`Capability`] when called (see
//! [`super::capability`] for the table). Dates are computed here, in proleptic Gregorian
//! arithmetic on 64-bit seconds, for every strftime conversion C99 defines in the "C"
//! locale; only the local time zone's offset comes from the system (through `chrono`).
//!
//! `os.exit` never ends the process itself. When the host gave an exit hook
//! ([`crate::stdlib::open_capability_libs_with_exit`]) the hook is called with the status
//! (the `tarn` command flushes its output and exits there, as C's `exit` would); when it
//! returns, or there is none, `os.exit` raises an *exit request*: an error whose object
//! only this library can make, which [`exit_status`] recognises, so an embedding host
//! can end the script and read the status. Note that `pcall` can catch that error (the
//! VM has no uncatchable error kind for it yet).
//!
//! Not supported: locales other than "C" (`os.setlocale` answers `nil`), `isdst` as an
//! input to `os.time`, time zone names other than `GMT`/`UTC` for `%Z` (a local zone with
//! a non-zero offset is shown as its `+hhmm` offset), and the `close` argument of
//! `os.exit` (the state is not closed before exiting). `os.clock` is the wall
//! time since the library was opened, not CPU time: the precise CPU clocks need
//! `unsafe` (`clock_gettime`), and Linux's `/proc/thread-self/schedstat` is only
//! updated at scheduler ticks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use chrono::{Offset, TimeZone};

use crate::error::RuntimeError;
use crate::stdlib::capability::{Capabilities, Capability};
use crate::stdlib::Args;
use crate::value::{TableRef, Value};
use crate::Vm;

/// What the host runs when a script calls `os.exit(status)`; see the module docs.
pub type ExitHook = dyn Fn(i32) + Send + Sync;

/// The payload of an exit request's error object.
struct ExitRequest(i32);

/// The status a script asked for with `os.exit`, when `error` is the request it raised.
pub fn exit_status(vm: &Vm, error: &RuntimeError) -> Option<i32> {
    match error.value() {
        Some(Value::UserData(u)) => vm.heap.userdata(u).payload.downcast_ref::<ExitRequest>().map(|r| r.0),
        _ => None,
    }
}

type Shared = Arc<dyn Fn(&mut Vm, &[Value], &mut Vec<Value>) -> Result<(), RuntimeError> + Send + Sync>;

/// Adds the `os` table. `on_exit` is the host's exit hook, if any.
pub fn open(vm: &mut Vm, caps: &Capabilities, on_exit: Option<Arc<ExitHook>>) -> Result<(), RuntimeError> {
    let caps = *caps;
    let os = vm.new_table()?;
    let start = Instant::now();
    let functions: Vec<(&'static str, Shared)> = vec![
        (
            "clock",
            Arc::new(move |_vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::Clock, "os.clock")?;
                out.push(Value::Float(start.elapsed().as_secs_f64()));
                Ok(())
            }),
        ),
        (
            "time",
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| time(vm, caps, args, out)),
        ),
        (
            "date",
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| date(vm, caps, args, out)),
        ),
        ("difftime", Arc::new(difftime)),
        (
            "getenv",
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::Env, "os.getenv")?;
                let name = Args::new("getenv", args).bytes(vm, 0)?;
                let value = std::str::from_utf8(&name).ok().and_then(std::env::var_os);
                out.push(match value {
                    Some(v) => vm.new_string(v.as_encoded_bytes())?,
                    None => Value::Nil,
                });
                Ok(())
            }),
        ),
        (
            "exit",
            Arc::new(move |vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>| {
                caps.check(Capability::Exit, "os.exit")?;
                let a = Args::new("exit", args);
                let status = match a.get(0) {
                    Value::Bool(true) | Value::Nil => 0,
                    Value::Bool(false) => 1,
                    _ => a.int(vm, 0)? as i32,
                };
                if let Some(hook) = &on_exit {
                    hook(status);
                }
                let request = vm.heap.new_userdata(Box::new(ExitRequest(status)), 8)?;
                Err(RuntimeError::with_value(
                    Value::UserData(request),
                    format!("exit requested with status {status} (os.exit)"),
                ))
            }),
        ),
        (
            "remove",
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::FileWrite, "os.remove")?;
                let name = Args::new("remove", args).bytes(vm, 0)?;
                let path = super::io::path_of(&name);
                let result = std::fs::remove_file(&path).or_else(|e| match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => std::fs::remove_dir(&path),
                    _ => Err(e),
                });
                super::io::file_result(vm, result, Some(&name), out)
            }),
        ),
        (
            "rename",
            Arc::new(move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::FileWrite, "os.rename")?;
                let a = Args::new("rename", args);
                let from = a.bytes(vm, 0)?;
                let to = a.bytes(vm, 1)?;
                let result = std::fs::rename(super::io::path_of(&from), super::io::path_of(&to));
                super::io::file_result(vm, result, None, out)
            }),
        ),
        (
            "tmpname",
            Arc::new(move |vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>| {
                caps.check(Capability::FileWrite, "os.tmpname")?;
                let (_, path) = super::io::create_temp_file()
                    .map_err(|_| RuntimeError::runtime("unable to generate a unique filename"))?;
                out.push(vm.new_string(path.as_os_str().as_encoded_bytes())?);
                Ok(())
            }),
        ),
        ("setlocale", Arc::new(setlocale)),
    ];
    for (name, f) in functions {
        let value =
            vm.new_function(name, move |vm: &mut Vm, args: &[Value], out: &mut Vec<Value>| f(vm, args, out))?;
        vm.set_field(os, name, value)?;
    }
    vm.set_global("os", Value::Table(os))
}

fn difftime(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("difftime", args);
    let t1 = a.int(vm, 0)?;
    let t2 = a.int(vm, 1)?;
    out.push(Value::Float(t1 as f64 - t2 as f64));
    Ok(())
}

fn setlocale(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("setlocale", args);
    let locale = match a.opt_string(vm, 0)? {
        Some(s) => Some(vm.heap.str(s).as_bytes().to_vec()),
        None => None,
    };
    let category = match a.opt_string(vm, 1)? {
        Some(s) => vm.heap.str(s).as_bytes().to_vec(),
        None => b"all".to_vec(),
    };
    const CATEGORIES: [&[u8]; 6] = [b"all", b"collate", b"ctype", b"monetary", b"numeric", b"time"];
    if !CATEGORIES.contains(&category.as_slice()) {
        return Err(a.error(1, &format!("invalid option '{}'", String::from_utf8_lossy(&category))));
    }
    out.push(match locale.as_deref() {
        None | Some(b"C") | Some(b"POSIX") => vm.new_string(b"C")?,
        Some(_) => Value::Nil,
    });
    Ok(())
}

// ---- time arithmetic ----

const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A broken-down time, as C's `struct tm` (but with a full-width year and 1-based month).
#[derive(Debug, Clone, Copy)]
struct Tm {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    /// 0 = Sunday.
    wday: i64,
    /// 0-based day of the year.
    yday: i64,
    isdst: bool,
    /// Seconds east of UTC.
    offset: i64,
    utc: bool,
}

/// Years that fit C's `int tm_year` (years since 1900), as Lua requires.
fn year_fits(year: i64) -> bool {
    (i64::from(i32::MIN) + 1900..=i64::from(i32::MAX) + 1900).contains(&year)
}

fn broken_down(t: i64, offset: i64, utc: bool, isdst: bool) -> Option<Tm> {
    let local = t.checked_add(offset)?;
    let days = local.div_euclid(SECS_PER_DAY);
    let rem = local.rem_euclid(SECS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    if !year_fits(year) {
        return None;
    }
    Some(Tm {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1),
        isdst,
        offset,
        utc,
    })
}

/// The local time zone's offset (seconds east of UTC) at instant `t`, and whether
/// daylight saving time is in effect then (judged as "more east than at some other
/// time of the year", since the tz database's flag is not exposed).
fn local_offset_at(t: i64) -> (i64, bool) {
    let offset_at = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|dt| {
                i64::from(chrono::Local.offset_from_utc_datetime(&dt.naive_utc()).fix().local_minus_utc())
            })
            .unwrap_or(0)
    };
    let offset = offset_at(t);
    let year_start = t.saturating_sub(t.rem_euclid(365 * SECS_PER_DAY));
    let jan = offset_at(year_start);
    let jul = offset_at(year_start.saturating_add(182 * SECS_PER_DAY));
    (offset, offset > jan.min(jul))
}

fn local_time(t: i64) -> Option<Tm> {
    let (offset, isdst) = local_offset_at(t);
    broken_down(t, offset, false, isdst)
}

/// The instant of local wall-clock seconds `local` (seconds since the epoch as if the
/// zone were UTC): the earlier one when the clock repeats, and the offset before the
/// change when it skips.
fn local_to_utc(local: i64) -> i64 {
    let naive = match chrono::DateTime::from_timestamp(local, 0) {
        Some(dt) => dt.naive_utc(),
        None => return local,
    };
    let offset = match chrono::Local.offset_from_local_datetime(&naive).earliest() {
        Some(o) => i64::from(o.fix().local_minus_utc()),
        None => i64::from(chrono::Local.offset_from_utc_datetime(&naive).fix().local_minus_utc()),
    };
    local - offset
}

fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

// ---- os.time ----

fn time(vm: &mut Vm, caps: Capabilities, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("time", args);
    caps.check(Capability::Clock, "os.time")?;
    if a.is_none_or_nil(0) {
        out.push(Value::Int(now()));
        return Ok(());
    }
    let t = a.table(vm, 0)?;
    let year = date_field(vm, t, "year", None, 1900)?;
    let month = date_field(vm, t, "month", None, 1)?;
    let day = date_field(vm, t, "day", None, 0)?;
    let hour = date_field(vm, t, "hour", Some(12), 0)?;
    let min = date_field(vm, t, "min", Some(0), 0)?;
    let sec = date_field(vm, t, "sec", Some(0), 0)?;
    // Normalise as mktime does: months into years, then everything into seconds.
    let month0 = month - 1;
    let year = year + month0.div_euclid(12);
    let days = days_from_civil(year, month0.rem_euclid(12) + 1, 1) + (day - 1);
    let local = days * SECS_PER_DAY + hour * 3600 + min * 60 + sec;
    let result = local_to_utc(local);
    let tm = local_time(result);
    let Some(tm) = tm.filter(|_| result != -1) else {
        return Err(RuntimeError::runtime("time result cannot be represented in this installation"));
    };
    set_date_fields(vm, t, &tm)?;
    out.push(Value::Int(result));
    Ok(())
}

/// Field `key` of a date table, as Lua's `getfield`: `default` when absent (`None`: the
/// field is required), and within C `int` range after subtracting `delta`.
fn date_field(
    vm: &mut Vm,
    t: TableRef,
    key: &str,
    default: Option<i64>,
    delta: i64,
) -> Result<i64, RuntimeError> {
    let value = vm.get_field(t, key)?;
    let n = match value {
        Value::Int(n) => Some(n),
        Value::Float(f) => crate::number::float_to_int_exact(f),
        Value::Str(s) => match crate::number::parse_number(vm.heap.str(s).as_bytes()) {
            Some(crate::number::NumberValue::Int(n)) => Some(n),
            Some(crate::number::NumberValue::Float(f)) => crate::number::float_to_int_exact(f),
            None => None,
        },
        _ => None,
    };
    match (n, value, default) {
        (Some(n), _, _) => {
            let fits =
                if n >= 0 { n - delta <= i64::from(i32::MAX) } else { i64::from(i32::MIN) + delta <= n };
            if fits {
                Ok(n)
            } else {
                Err(RuntimeError::runtime(format!("field '{key}' is out-of-bound")))
            }
        }
        (None, Value::Nil, Some(d)) => Ok(d),
        (None, Value::Nil, None) => {
            Err(RuntimeError::runtime(format!("field '{key}' missing in date table")))
        }
        (None, _, _) => Err(RuntimeError::runtime(format!("field '{key}' is not an integer"))),
    }
}

fn set_date_fields(vm: &mut Vm, t: TableRef, tm: &Tm) -> Result<(), RuntimeError> {
    for (name, v) in [
        ("year", tm.year),
        ("month", tm.month),
        ("day", tm.day),
        ("hour", tm.hour),
        ("min", tm.min),
        ("sec", tm.sec),
        ("yday", tm.yday + 1),
        ("wday", tm.wday + 1),
    ] {
        vm.set_field(t, name, Value::Int(v))?;
    }
    vm.set_field(t, "isdst", Value::Bool(tm.isdst))
}

// ---- os.date ----

fn date(vm: &mut Vm, caps: Capabilities, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::new("date", args);
    let format = match a.opt_string(vm, 0)? {
        Some(s) => vm.heap.str(s).as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if a.is_none_or_nil(1) {
        caps.check(Capability::Clock, "os.date")?;
        now()
    } else {
        a.int(vm, 1)?
    };
    let (utc, spec) = match format.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, format.as_slice()),
    };
    let tm = if utc {
        broken_down(t, 0, true, false)
    } else {
        caps.check(Capability::Clock, "os.date")?;
        local_time(t)
    };
    let Some(tm) = tm else {
        return Err(RuntimeError::runtime("date result cannot be represented in this installation"));
    };
    if spec.starts_with(b"*t") {
        let table = vm.new_table()?;
        set_date_fields(vm, table, &tm)?;
        out.push(Value::Table(table));
        return Ok(());
    }
    let text = strftime(spec, &tm).map_err(|conversion| {
        a.error(0, &format!("invalid conversion specifier '%{}'", String::from_utf8_lossy(&conversion)))
    })?;
    out.push(vm.new_string(&text)?);
    Ok(())
}

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats `tm` as C's `strftime` does in the "C" locale, for the conversions Lua 5.4
/// accepts with C99 (`LUA_STRFTIMEOPTIONS`). An invalid conversion is returned as the
/// bytes after the `%` that Lua names in its message.
fn strftime(format: &[u8], tm: &Tm) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::with_capacity(format.len() + 16);
    let mut i = 0;
    while i < format.len() {
        let c = format[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        let Some(&conv) = format.get(i) else {
            return Err(Vec::new());
        };
        i += 1;
        let conv = match conv {
            b'E' | b'O' => {
                let allowed: &[u8] = if conv == b'E' { b"cCxXyY" } else { b"deHImMSuUVwWy" };
                match format.get(i) {
                    Some(&next) if allowed.contains(&next) => {
                        i += 1;
                        next
                    }
                    Some(&next) => return Err(vec![conv, next]),
                    None => return Err(vec![conv]),
                }
            }
            c => c,
        };
        if !format_one(&mut out, conv, tm) {
            return Err(vec![conv]);
        }
    }
    Ok(out)
}

/// Appends one conversion; false when `conv` is not one C99 defines.
fn format_one(out: &mut Vec<u8>, conv: u8, tm: &Tm) -> bool {
    use std::io::Write;
    let wday = tm.wday.rem_euclid(7) as usize;
    let mon = (tm.month - 1).clamp(0, 11) as usize;
    let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
    let (iso_year, iso_week) = iso_week(tm);
    // Writing to a Vec cannot fail.
    let _ = match conv {
        b'a' => write!(out, "{}", &DAYS[wday][..3]),
        b'A' => write!(out, "{}", DAYS[wday]),
        b'b' | b'h' => write!(out, "{}", &MONTHS[mon][..3]),
        b'B' => write!(out, "{}", MONTHS[mon]),
        b'c' => write!(
            out,
            "{} {} {:2} {:02}:{:02}:{:02} {}",
            &DAYS[wday][..3],
            &MONTHS[mon][..3],
            tm.day,
            tm.hour,
            tm.min,
            tm.sec,
            tm.year
        ),
        b'C' => write!(out, "{:02}", tm.year.div_euclid(100)),
        b'd' => write!(out, "{:02}", tm.day),
        b'D' | b'x' => write!(out, "{:02}/{:02}/{:02}", tm.month, tm.day, tm.year.rem_euclid(100)),
        b'e' => write!(out, "{:2}", tm.day),
        b'F' => write!(out, "{}-{:02}-{:02}", tm.year, tm.month, tm.day),
        b'g' => write!(out, "{:02}", iso_year.rem_euclid(100)),
        b'G' => write!(out, "{iso_year}"),
        b'H' => write!(out, "{:02}", tm.hour),
        b'I' => write!(out, "{hour12:02}"),
        b'j' => write!(out, "{:03}", tm.yday + 1),
        b'm' => write!(out, "{:02}", tm.month),
        b'M' => write!(out, "{:02}", tm.min),
        b'n' => out.write_all(b"\n"),
        b'p' => write!(out, "{}", if tm.hour < 12 { "AM" } else { "PM" }),
        b'r' => {
            write!(out, "{hour12:02}:{:02}:{:02} {}", tm.min, tm.sec, if tm.hour < 12 { "AM" } else { "PM" })
        }
        b'R' => write!(out, "{:02}:{:02}", tm.hour, tm.min),
        b'S' => write!(out, "{:02}", tm.sec),
        b't' => write!(out, "\t"),
        b'T' | b'X' => write!(out, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
        b'u' => write!(out, "{}", if wday == 0 { 7 } else { wday }),
        b'U' => write!(out, "{:02}", (tm.yday + 7 - tm.wday) / 7),
        b'V' => write!(out, "{iso_week:02}"),
        b'w' => write!(out, "{wday}"),
        b'W' => write!(out, "{:02}", (tm.yday + 7 - (tm.wday + 6) % 7) / 7),
        b'y' => write!(out, "{:02}", tm.year.rem_euclid(100)),
        b'Y' => write!(out, "{}", tm.year),
        b'z' => {
            let sign = if tm.offset < 0 { '-' } else { '+' };
            let o = tm.offset.abs();
            write!(out, "{sign}{:02}{:02}", o / 3600, o % 3600 / 60)
        }
        b'Z' => {
            if tm.utc {
                write!(out, "GMT")
            } else if tm.offset == 0 {
                write!(out, "UTC")
            } else {
                let sign = if tm.offset < 0 { '-' } else { '+' };
                let o = tm.offset.abs();
                write!(out, "{sign}{:02}{:02}", o / 3600, o % 3600 / 60)
            }
        }
        b'%' => write!(out, "%"),
        _ => return false,
    };
    true
}

/// The ISO 8601 week-based year and week number (`%G`, `%V`).
fn iso_week(tm: &Tm) -> (i64, i64) {
    let weeks_in = |y: i64| {
        let p = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
        if p(y) == 4 || p(y - 1) == 3 {
            53
        } else {
            52
        }
    };
    let monday_based = (tm.wday + 6) % 7;
    let week = (tm.yday - monday_based + 10) / 7;
    if week < 1 {
        (tm.year - 1, weeks_in(tm.year - 1))
    } else if week > weeks_in(tm.year) {
        (tm.year + 1, 1)
    } else {
        (tm.year, week)
    }
}

/// A counter for unique temporary names.
pub(crate) static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn next_temp_id() -> u64 {
    TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 59, 365, 10_957, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn strftime_rejects_what_lua_rejects() {
        let tm = broken_down(0, 0, true, false).unwrap();
        assert_eq!(strftime(b"%Ez", &tm), Err(b"Ez".to_vec()));
        assert_eq!(strftime(b"%s", &tm), Err(b"s".to_vec()));
        assert_eq!(strftime(b"%", &tm), Err(Vec::new()));
        assert_eq!(strftime(b"%Ey|%Od", &tm).unwrap(), b"70|01");
    }
}
