//! The `os` library: dates against fixed times compared with `lua5.4`, `os.time`
//! normalisation, errors in Lua's words, files, environment, locale.

mod capable;
use capable::*;

/// Every conversion C99 defines, with the `E` and `O` modifiers Lua accepts.
const ALL_CONVERSIONS: &str = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %% %Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy";

/// `os.date("!" .. ALL_CONVERSIONS, t)` as lua5.4 (glibc) prints it: epoch edges, leap
/// days, ISO weeks that belong to the previous or next year, years before 1970 and
/// after 2038.
const EXPECTED: &[(i64, &str)] = &[
    (0, "Thu Thursday Jan January Thu Jan  1 00:00:00 1970 19 01 01/01/70  1 1970-01-01 70 1970 Jan 00 12 001 01 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 4 00 01 4 00 01/01/70 00:00:00 70 1970 +0000 GMT % Thu Jan  1 00:00:00 1970 19 01/01/70 00:00:00 70 1970 01  1 00 12 01 00 00 4 00 01 4 00 70"),
    (86399, "Thu Thursday Jan January Thu Jan  1 23:59:59 1970 19 01 01/01/70  1 1970-01-01 70 1970 Jan 23 11 001 01 59 \n PM 11:59:59 PM 23:59 59 \t 23:59:59 4 00 01 4 00 01/01/70 23:59:59 70 1970 +0000 GMT % Thu Jan  1 23:59:59 1970 19 01/01/70 23:59:59 70 1970 01  1 23 11 01 59 59 4 00 01 4 00 70"),
    (951782400, "Tue Tuesday Feb February Tue Feb 29 00:00:00 2000 20 29 02/29/00 29 2000-02-29 00 2000 Feb 00 12 060 02 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 2 09 09 2 09 02/29/00 00:00:00 00 2000 +0000 GMT % Tue Feb 29 00:00:00 2000 20 02/29/00 00:00:00 00 2000 29 29 00 12 02 00 00 2 09 09 2 09 00"),
    (1704067199, "Sun Sunday Dec December Sun Dec 31 23:59:59 2023 20 31 12/31/23 31 2023-12-31 23 2023 Dec 23 11 365 12 59 \n PM 11:59:59 PM 23:59 59 \t 23:59:59 7 53 52 0 52 12/31/23 23:59:59 23 2023 +0000 GMT % Sun Dec 31 23:59:59 2023 20 12/31/23 23:59:59 23 2023 31 31 23 11 12 59 59 7 53 52 0 52 23"),
    (1735603200, "Tue Tuesday Dec December Tue Dec 31 00:00:00 2024 20 31 12/31/24 31 2024-12-31 25 2025 Dec 00 12 366 12 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 2 52 01 2 53 12/31/24 00:00:00 24 2024 +0000 GMT % Tue Dec 31 00:00:00 2024 20 12/31/24 00:00:00 24 2024 31 31 00 12 12 00 00 2 52 01 2 53 24"),
    (-1, "Wed Wednesday Dec December Wed Dec 31 23:59:59 1969 19 31 12/31/69 31 1969-12-31 70 1970 Dec 23 11 365 12 59 \n PM 11:59:59 PM 23:59 59 \t 23:59:59 3 52 01 3 52 12/31/69 23:59:59 69 1969 +0000 GMT % Wed Dec 31 23:59:59 1969 19 12/31/69 23:59:59 69 1969 31 31 23 11 12 59 59 3 52 01 3 52 69"),
    (-3155760000, "Fri Friday Dec December Fri Dec 31 00:00:00 1869 18 31 12/31/69 31 1869-12-31 69 1869 Dec 00 12 365 12 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 5 52 52 5 52 12/31/69 00:00:00 69 1869 +0000 GMT % Fri Dec 31 00:00:00 1869 18 12/31/69 00:00:00 69 1869 31 31 00 12 12 00 00 5 52 52 5 52 69"),
    (4102444800, "Fri Friday Jan January Fri Jan  1 00:00:00 2100 21 01 01/01/00  1 2100-01-01 99 2099 Jan 00 12 001 01 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 5 00 53 5 00 01/01/00 00:00:00 00 2100 +0000 GMT % Fri Jan  1 00:00:00 2100 21 01/01/00 00:00:00 00 2100 01  1 00 12 01 00 00 5 00 53 5 00 00"),
    (1609459200, "Fri Friday Jan January Fri Jan  1 00:00:00 2021 20 01 01/01/21  1 2021-01-01 20 2020 Jan 00 12 001 01 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 5 00 53 5 00 01/01/21 00:00:00 21 2021 +0000 GMT % Fri Jan  1 00:00:00 2021 20 01/01/21 00:00:00 21 2021 01  1 00 12 01 00 00 5 00 53 5 00 21"),
    (253402300799, "Fri Friday Dec December Fri Dec 31 23:59:59 9999 99 31 12/31/99 31 9999-12-31 99 9999 Dec 23 11 365 12 59 \n PM 11:59:59 PM 23:59 59 \t 23:59:59 5 52 52 5 52 12/31/99 23:59:59 99 9999 +0000 GMT % Fri Dec 31 23:59:59 9999 99 12/31/99 23:59:59 99 9999 31 31 23 11 12 59 59 5 52 52 5 52 99"),
    (1230681600, "Wed Wednesday Dec December Wed Dec 31 00:00:00 2008 20 31 12/31/08 31 2008-12-31 09 2009 Dec 00 12 366 12 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 3 52 01 3 52 12/31/08 00:00:00 08 2008 +0000 GMT % Wed Dec 31 00:00:00 2008 20 12/31/08 00:00:00 08 2008 31 31 00 12 12 00 00 3 52 01 3 52 08"),
    (1262217600, "Thu Thursday Dec December Thu Dec 31 00:00:00 2009 20 31 12/31/09 31 2009-12-31 09 2009 Dec 00 12 365 12 00 \n AM 12:00:00 AM 00:00 00 \t 00:00:00 4 52 53 4 52 12/31/09 00:00:00 09 2009 +0000 GMT % Thu Dec 31 00:00:00 2009 20 12/31/09 00:00:00 09 2009 31 31 00 12 12 00 00 4 52 53 4 52 09"),
];

#[test]
fn utc_dates_match_lua() {
    for &(t, expected) in EXPECTED {
        let out = run(&format!("io.write(os.date('!{ALL_CONVERSIONS}', {t}))"));
        assert_eq!(out, expected, "t = {t}");
    }
    // And the same, live, when lua5.4 is installed.
    let times: Vec<String> = EXPECTED.iter().map(|(t, _)| t.to_string()).collect();
    same_as_lua(&format!(
        "for _, t in ipairs{{{}}} do print(os.date('!{ALL_CONVERSIONS}', t)) end",
        times.join(", ")
    ));
}

#[test]
fn utc_date_tables() {
    let out = same_as_lua(
        "local t = os.date('!*t', 951782400)\n\
         for _, k in ipairs{'year','month','day','hour','min','sec','yday','wday','isdst'} do io.write(k, '=', tostring(t[k]), ' ') end\n\
         print(os.date('!*t', -1).year, os.date('!*t', 0).wday)",
    );
    assert_eq!(out, "year=2000 month=2 day=29 hour=0 min=0 sec=0 yday=60 wday=3 isdst=false 1969\t5\n");
}

#[test]
fn local_time_round_trips() {
    // Whatever the machine's time zone, local dates and os.time agree.
    let out = same_as_lua(
        "for _, t in ipairs{0, 951782400, 1704067199, 1720000000, 4102444800} do\n\
           local d = os.date('*t', t)\n\
           print(os.time(d) == t, os.date('%Y-%m-%d %H:%M:%S', t) == os.date('%Y-%m-%d %H:%M:%S', os.time(d)))\n\
         end",
    );
    assert_eq!(out, "true\ttrue\n".repeat(5));
    assert_eq!(same_as_lua("print(os.date('%c', 0) == os.date('%a %b %e %H:%M:%S %Y', 0))"), "true\n");
}

#[test]
fn time_normalises_fields_like_mktime() {
    let out = same_as_lua(
        "local t = {year=2024, month=14, day=1}\n\
         local n = os.time(t)\n\
         print(n == os.time{year=2025, month=2, day=1, hour=12}, t.year, t.month, t.day, t.hour, t.min, t.sec, t.yday, t.wday, t.isdst)\n\
         local u = {year=2024, month=3, day=0, hour=-1, min=75, sec=-5}\n\
         os.time(u) print(u.year, u.month, u.day, u.hour, u.min, u.sec)\n\
         print(os.time{year=2024, month=1, day=1, hour=0} - os.time{year=2023, month=12, day=31, hour=0})\n\
         print(os.time{year='2020', month=1.0, day='3'} == os.time{year=2020, month=1, day=3})",
    );
    assert_eq!(out, "true\t2025\t2\t1\t12\t0\t0\t32\t7\tfalse\n2024\t2\t29\t0\t14\t55\n86400\ntrue\n");
}

#[test]
fn time_errors_match_lua() {
    for (src, message) in [
        ("os.time{}", "field 'year' missing in date table"),
        ("os.time{year=2024}", "field 'month' missing in date table"),
        ("os.time{year=2024, month=1}", "field 'day' missing in date table"),
        ("os.time{year=2024, month=1, day=1.5}", "field 'day' is not an integer"),
        ("os.time{year=2024, month=1, day={}}", "field 'day' is not an integer"),
        ("os.time{year=2024, month=1, day=2^40}", "field 'day' is out-of-bound"),
        ("os.time{year=2^31+1900, month=1, day=1}", "field 'year' is out-of-bound"),
        ("os.time(1)", "bad argument #1 to 'time' (table expected, got number)"),
    ] {
        assert_eq!(error_with(Capabilities::all(), src), format!("test:1: {message}"), "{src}");
    }
}

#[test]
fn date_errors_match_lua() {
    for (src, message) in [
        ("os.date('%Ez', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%Ez')"),
        ("os.date('%Oz', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%Oz')"),
        ("os.date('%E', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%E')"),
        ("os.date('%', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%')"),
        ("os.date('%s', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%s')"),
        ("os.date('!%Q', 0)", "bad argument #1 to 'date' (invalid conversion specifier '%Q')"),
        ("os.date('!%Y', 1.5)", "bad argument #2 to 'date' (number has no integer representation)"),
        ("os.date('!%Y', 2^62)", "date result cannot be represented in this installation"),
        ("os.date('*t', 2^62)", "date result cannot be represented in this installation"),
        ("os.date({})", "bad argument #1 to 'date' (string expected, got table)"),
    ] {
        assert_eq!(error_with(Capabilities::all(), src), format!("test:1: {message}"), "{src}");
    }
}

#[test]
fn difftime_clock_setlocale() {
    let out = same_as_lua(
        "print(os.difftime(5, 2), os.difftime(0, 10))\n\
         print(os.setlocale(), os.setlocale('C'), os.setlocale('fr_FR'), os.setlocale(nil, 'numeric'))\n\
         local c = os.clock() print(type(c), c >= 0)",
    );
    assert_eq!(out, "3.0\t-10.0\nC\tC\tnil\tC\nnumber\ttrue\n");
    assert_eq!(
        error_with(Capabilities::all(), "os.setlocale('C', 'bogus')"),
        "test:1: bad argument #2 to 'setlocale' (invalid option 'bogus')"
    );
    assert_eq!(
        error_with(Capabilities::all(), "os.difftime(5)"),
        "test:1: bad argument #2 to 'difftime' (number expected, got no value)"
    );
}

#[test]
fn getenv() {
    std::env::set_var("TARN_OS_TEST", "value");
    let out = same_as_lua("print(os.getenv('TARN_OS_TEST'), os.getenv('TARN_SURELY_NOT_SET_ANYWHERE'))");
    assert_eq!(out, "value\tnil\n");
}

#[test]
fn remove_rename_tmpname() {
    let dir = tempfile::tempdir().unwrap();
    let a = lua_path(&dir.path().join("a.txt"));
    let b = lua_path(&dir.path().join("b.txt"));
    let d = lua_path(&dir.path().join("sub"));
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let missing = lua_path(&dir.path().join("missing"));
    let src = format!(
        "io.open({a}, 'w'):close()\n\
         print(os.rename({a}, {b}))\n\
         print(io.open({a}) == nil, io.open({b}) ~= nil)\n\
         print(os.remove({b}))\n\
         print(select('#', os.remove({b})), select(3, os.remove({b})))\n\
         print(os.rename({missing}, {a}))\n\
         local name = os.tmpname() print(type(name), io.open(name) ~= nil, os.remove(name))"
    );
    let out = same_as_lua(&src);
    assert_eq!(out, "true\ntrue\ttrue\ntrue\n3\t2\nnil\tNo such file or directory\t2\nstring\ttrue\ttrue\n");
    // A directory is removed as C's remove() does (rmdir).
    assert_eq!(run(&format!("print(os.remove({d}))")), "true\n");
    assert!(!dir.path().join("sub").exists());
    let out = run(&format!("print(os.remove({b}))"));
    assert_eq!(out, format!("nil\t{}/b.txt: No such file or directory\t2\n", dir.path().display()));
}
