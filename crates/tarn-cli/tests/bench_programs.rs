//! The benchmark programs in `bench/lua/`, run by the built `tarn` at small sizes (this
//! build is unoptimised; `bench/run` times them at full size on a release build).
//!
//! Each program prints a checksum. Tarn's output must equal what `lua5.4` printed for the
//! same size, recorded here so the test means something on a machine without Lua; when
//! `lua5.4` is installed its output now is compared too, and when `luajit` is installed
//! the program must also run unchanged on it (`bench/run` times all three engines on the
//! same files). A missing engine is reported on stderr as skipped, never silently.
//!
//! Every `bench/lua/*.lua` must have a row in `PROGRAMS`, so a new benchmark cannot go
//! untested.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Program, small size, and lua5.4's output for that size.
const PROGRAMS: &[(&str, &str, &str)] = &[
    (
        "binarytrees",
        "8",
        "stretch tree of depth 9\t check: 1023\n256\t trees of depth 4\t check: 7936\n\
         64\t trees of depth 6\t check: 8128\n16\t trees of depth 8\t check: 8176\n\
         long lived tree of depth 8\t check: 511\n",
    ),
    ("closures", "20000", "checksum 842107731\n"),
    ("coroutines", "20000", "checksum 123960079\n"),
    ("deltablue", "1", "rounds 1: checksum 229637\n"),
    ("fannkuch", "7", "228\nPfannkuchen(7) = 16\n"),
    ("fib", "20", "6765\n"),
    ("loops", "300", "int 38792483  lcg 416114573 19912  down 179991\nfloat 21.158648 1.006018\n"),
    ("mandelbrot", "100", "100x100: 3959 points inside, checksum 871551734\n"),
    ("nbody", "1000", "-0.169075164\n-0.169087605\n"),
    ("patterns", "500", "34852 bytes, 3761 words, checksum 242087175\n"),
    ("richards", "1000", "1 rounds: 2376 sends, 950 holds, device data 12727\n"),
    ("sort", "2000", "sorted 2000 records, checksum 965326549\n"),
    ("spectralnorm", "50", "1.274193837\n"),
    ("strings", "5000", "total length 286218, hash 80887320\n"),
    ("tables", "10000", "checksum 402750106\n"),
];

/// Programs that need Lua 5.3 or later and so are not run on luajit (none yet).
const NOT_FOR_LUAJIT: &[&str] = &[];

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench")
}

/// Says on stderr, past the test harness's capture, that a comparison was skipped.
fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// Whether `program` can be started; the note about a missing engine is printed once.
fn installed(program: &str, flag: &str, seen: &'static OnceLock<bool>) -> bool {
    *seen.get_or_init(|| {
        let found = Command::new(program).arg(flag).output().is_ok();
        if !found {
            note(&format!("bench_programs: {program} not installed; comparisons with it skipped"));
        }
        found
    })
}

/// Runs `argv` and returns its standard output; a failing run fails the test.
fn run(argv: &[&str], script: &PathBuf, args: &[&str]) -> String {
    let out = Command::new(argv[0])
        .args(&argv[1..])
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", argv[0]));
    assert!(
        out.status.success(),
        "{} {} {} failed: {}",
        argv.join(" "),
        script.display(),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check(name: &str) {
    static LUA: OnceLock<bool> = OnceLock::new();
    static LUAJIT: OnceLock<bool> = OnceLock::new();
    let &(_, size, expected) =
        PROGRAMS.iter().find(|p| p.0 == name).unwrap_or_else(|| panic!("{name} has no row in PROGRAMS"));
    let script = bench_dir().join("lua").join(format!("{name}.lua"));

    let tarn = run(&[env!("CARGO_BIN_EXE_tarn")], &script, &[size]);
    assert_eq!(tarn, expected, "{name} {size}: tarn's output differs from lua5.4's recorded output");
    if installed("lua5.4", "-v", &LUA) {
        let lua = run(&["lua5.4"], &script, &[size]);
        assert_eq!(tarn, lua, "{name} {size}: tarn and lua5.4 differ");
    }
    if !NOT_FOR_LUAJIT.contains(&name) && installed("luajit", "-v", &LUAJIT) {
        let jit = run(&["luajit", "-joff"], &script, &[size]);
        assert_eq!(
            jit, expected,
            "{name} {size}: luajit -joff differs (the program must run on it unchanged)"
        );
    }
}

macro_rules! bench_tests {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*
        const TESTED: &[&str] = &[$(stringify!($name)),*];
    };
}

bench_tests!(
    binarytrees,
    closures,
    coroutines,
    deltablue,
    fannkuch,
    fib,
    loops,
    mandelbrot,
    nbody,
    patterns,
    richards,
    sort,
    spectralnorm,
    strings,
    tables,
);

#[test]
fn every_bench_program_is_tested() {
    let mut on_disk: Vec<String> = std::fs::read_dir(bench_dir().join("lua"))
        .expect("bench/lua exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .map(|p| p.file_stem().expect("a file name").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut rows: Vec<&str> = PROGRAMS.iter().map(|p| p.0).collect();
    rows.sort_unstable();
    let mut tested = TESTED.to_vec();
    tested.sort_unstable();
    assert_eq!(on_disk, rows, "bench/lua/*.lua and PROGRAMS must name the same programs");
    assert_eq!(rows, tested, "every row of PROGRAMS needs its test in bench_tests!");
}

#[test]
fn startup_script_runs() {
    let out = run(&[env!("CARGO_BIN_EXE_tarn"), "run"], &bench_dir().join("startup.lua"), &[]);
    assert_eq!(out, "hello from a one-line script\n");
}
