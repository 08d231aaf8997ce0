//! The Lua 5.4 conformance suite: every script in `tests/lua/` (at the workspace root),
//! compiled, verified and run by the `tarn` binary, its output compared with the
//! expectations written inside it.
//!
//! A script states what real Lua 5.4 does, in comment lines, in order:
//!
//! - `-- expect: <line>`: the next line of stdout (`-- expect:` alone is an empty line);
//! - `-- expect error: <text>`: the script must fail, with `<text>` somewhere in the error.
//!   If the script does not compile, the compile error must contain `<text>`; otherwise the
//!   run must exit unsuccessfully with `<text>` in stderr, after printing the `-- expect:`
//!   lines (if any).
//!
//! Every script that compiles must pass the verifier, even one that expects a runtime
//! error. Runs get a fuel limit so a hang fails fast, and a wall-clock limit as a backstop.
//! All failing scripts are reported together, each with a diff of its output. The
//! expectations are checked against `lua5.4` by `tests/compare-lua.sh`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The suite must not shrink below this many scripts.
const MIN_SCRIPTS: usize = 200;
/// Instructions a script may run: generous for every script, small enough to stop a hang.
const FUEL: &str = "100000000";
/// Backstop for a hang that fuel does not catch (e.g. inside a library function).
const TIMEOUT: Duration = Duration::from_secs(60);

/// What a script says it must do.
#[derive(Debug, Default)]
struct Expectations {
    stdout: Vec<String>,
    error: Option<String>,
}

impl Expectations {
    fn parse(source: &str) -> Result<Expectations, String> {
        let mut expect = Expectations::default();
        for (number, line) in source.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some(text) = line.strip_prefix("-- expect error:") {
                if expect.error.is_some() {
                    return Err(format!("line {}: a second '-- expect error:' line", number + 1));
                }
                let text = text.trim();
                if text.is_empty() {
                    return Err(format!("line {}: '-- expect error:' without a message", number + 1));
                }
                expect.error = Some(text.to_string());
            } else if let Some(text) = line.strip_prefix("-- expect:") {
                expect.stdout.push(text.strip_prefix(' ').unwrap_or(text).to_string());
            }
        }
        if expect.stdout.is_empty() && expect.error.is_none() {
            return Err("no '-- expect:' or '-- expect error:' line".to_string());
        }
        Ok(expect)
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scripts(root: &Path) -> Vec<String> {
    let dir = root.join("tests/lua");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".lua"))
        .collect();
    names.sort();
    names
}

/// Output of one run of `tarn run`.
struct RunOutput {
    success: bool,
    stdout: String,
    stderr: String,
}

fn run_tarn(root: &Path, relative: &str) -> Result<RunOutput, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tarn"))
        .args(["run", "--fuel", FUEL, relative])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start tarn: {e}"))?;
    // Drain both pipes on their own threads so a chatty script cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out_pipe.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err_pipe.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| format!("waiting for tarn: {e}"))? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {}s", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    Ok(RunOutput {
        success: status.success(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// A line-by-line comparison: `-` lines are expected, `+` lines are what tarn printed.
fn diff(expected: &[String], actual: &[&str]) -> String {
    let mut text = String::new();
    for i in 0..expected.len().max(actual.len()) {
        match (expected.get(i), actual.get(i)) {
            (Some(e), Some(a)) if e == a => text.push_str(&format!("    {e}\n")),
            (e, a) => {
                if let Some(e) = e {
                    text.push_str(&format!("  - {e}\n"));
                }
                if let Some(a) = a {
                    text.push_str(&format!("  + {a}\n"));
                }
            }
        }
    }
    text
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("    {line}\n")).collect()
}

/// Checks one script; `Err` carries the report of what went wrong.
fn check_script(root: &Path, name: &str) -> Result<(), String> {
    let relative = format!("tests/lua/{name}");
    let source = std::fs::read(root.join(&relative)).map_err(|e| format!("cannot read: {e}"))?;
    let expect = Expectations::parse(&String::from_utf8_lossy(&source))?;

    let module = match tarn_compiler::compile(&source, &format!("@{relative}")) {
        Ok(module) => module,
        Err(e) => {
            let message = e.to_string();
            return match &expect.error {
                Some(text) if message.contains(text.as_str()) => Ok(()),
                Some(text) => Err(format!("compile error does not contain '{text}':\n{}", indent(&message))),
                None => Err(format!("unexpected compile error:\n{}", indent(&message))),
            };
        }
    };
    if let Err(e) = tarn_bytecode::verify(module) {
        return Err(format!("compiled module fails verification:\n{}", indent(&e.to_string())));
    }

    let output = run_tarn(root, &relative)?;
    let actual: Vec<&str> = output.stdout.lines().collect();
    let mut problems = Vec::new();
    if actual != expect.stdout {
        problems.push(format!("stdout differs (- expected, + actual):\n{}", diff(&expect.stdout, &actual)));
    }
    match (&expect.error, output.success) {
        (None, true) => {}
        (None, false) => problems.push(format!("run failed unexpectedly:\n{}", indent(&output.stderr))),
        (Some(text), true) => problems.push(format!("run succeeded, expected an error containing '{text}'")),
        (Some(text), false) if output.stderr.contains(text.as_str()) => {}
        (Some(text), false) => {
            problems.push(format!("stderr does not contain '{text}':\n{}", indent(&output.stderr)))
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join(""))
    }
}

#[test]
fn lua_conformance_suite() {
    let root = workspace_root();
    let names = scripts(&root);
    assert!(
        names.len() >= MIN_SCRIPTS,
        "tests/lua has {} scripts; the suite must keep at least {MIN_SCRIPTS}",
        names.len()
    );

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(name) = names.get(index) else { break };
                if let Err(report) = check_script(&root, name) {
                    failures.lock().expect("no poisoned lock").push((name.clone(), report));
                }
            });
        }
    });

    let mut failures = failures.into_inner().expect("no poisoned lock");
    failures.sort();
    if !failures.is_empty() {
        let mut report = String::new();
        for (name, problem) in &failures {
            report.push_str(&format!("--- tests/lua/{name}\n{problem}\n"));
        }
        let failed: Vec<&str> = failures.iter().map(|(name, _)| name.as_str()).collect();
        panic!(
            "{report}{} of {} Lua scripts failed:\n  {}\n",
            failures.len(),
            names.len(),
            failed.join("\n  ")
        );
    }
}

#[test]
fn expectation_parsing() {
    let e = Expectations::parse("print(1)\n-- expect: 1\n-- expect:\n-- expect:  two spaces\n").unwrap();
    assert_eq!(e.stdout, ["1", "", " two spaces"]);
    assert!(e.error.is_none());
    let e = Expectations::parse("-- expect error: attempt to index\n").unwrap();
    assert_eq!(e.error.as_deref(), Some("attempt to index"));
    assert!(Expectations::parse("print(1)\n").is_err());
    assert!(Expectations::parse("-- expect error:\n").is_err());
    assert!(Expectations::parse("-- expect error: a\n-- expect error: b\n").is_err());
}

#[test]
fn diff_marks_differing_lines() {
    let expected = vec!["a".to_string(), "b".to_string()];
    let text = diff(&expected, &["a", "c", "d"]);
    assert_eq!(text, "    a\n  - b\n  + c\n  + d\n");
}
