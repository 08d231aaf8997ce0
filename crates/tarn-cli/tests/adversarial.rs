//! The adversarial set: scripts in `tests/adversarial/` that try to exhaust fuel, the
//! stack, the host's stack and memory. Each runs in this process, on a thread with the
//! default 2 MiB stack of a spawned Rust thread, under the limits it names
//! (`-- limits: fuel=N max_heap=16M`), with the VM's default limits otherwise. The
//! process must survive every one with the expected output or error, and its own peak
//! memory must stay near the largest heap limit.
//!
//! Expectations use the conformance suite's format: `-- expect: <line>` for stdout,
//! `-- expect error: <text>` for an error whose message contains the text.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tarn_vm::{Limits, Vm};

struct Script {
    limits: Limits,
    stdout: Vec<String>,
    error: Option<String>,
}

fn parse_size(s: &str) -> usize {
    let (digits, unit) = match s.as_bytes().last() {
        Some(b'K') => (&s[..s.len() - 1], 1 << 10),
        Some(b'M') => (&s[..s.len() - 1], 1 << 20),
        _ => (s, 1),
    };
    digits.parse::<usize>().expect("size in a limits line") * unit
}

fn parse(source: &str) -> Script {
    let mut script = Script { limits: Limits::default(), stdout: Vec::new(), error: None };
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("-- limits:") {
            for item in rest.split_whitespace() {
                let (key, value) = item.split_once('=').expect("limits are key=value");
                match key {
                    "fuel" => script.limits.fuel = value.parse().expect("fuel is a number"),
                    "max_heap" => script.limits.max_heap = parse_size(value),
                    other => panic!("unknown limit '{other}'"),
                }
            }
        } else if let Some(text) = line.strip_prefix("-- expect error:") {
            script.error = Some(text.trim().to_string());
        } else if let Some(text) = line.strip_prefix("-- expect:") {
            script.stdout.push(text.strip_prefix(' ').unwrap_or(text).to_string());
        }
    }
    script
}

/// Runs a script; returns its output and its error message, if it failed.
fn run(path: &Path, limits: Limits) -> (String, Option<String>) {
    let source = std::fs::read(path).expect("script is readable");
    let module = tarn_compiler::compile(&source, &format!("@{}", path.display())).expect("script compiles");
    let verified = tarn_bytecode::verify(module).expect("script verifies");
    let mut vm = Vm::new(limits).expect("VM starts");
    tarn_vm::stdlib::open_all(&mut vm).expect("libraries open");
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    vm.set_output(move |bytes| {
        sink.lock().expect("output lock").extend_from_slice(bytes);
        Ok(())
    });
    let entry = vm.load(&verified).expect("module loads");
    let error = vm.call(entry, &[]).err().map(|e| e.message().to_string());
    // The VM stays usable after any of these failures.
    vm.abandon();
    vm.set_fuel(1_000_000);
    let check = tarn_bytecode::verify(tarn_compiler::compile(b"return 40 + 2", "=check").expect("compiles"))
        .expect("verifies");
    let check = vm.load(&check).expect("loads after the failure");
    let answer = vm.call(check, &[]).expect("runs after the failure");
    assert!(
        matches!(answer.first(), Some(tarn_vm::Value::Int(42))),
        "{}: VM unusable after the run",
        path.display()
    );
    drop(vm);
    let text = String::from_utf8_lossy(&output.lock().expect("output lock")).into_owned();
    (text, error)
}

/// Peak resident memory of this process, in bytes (Linux), if known.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn adversarial_scripts_end_cleanly_within_limits() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/adversarial");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/adversarial exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "the adversarial set has {} scripts", paths.len());
    let mut failures = Vec::new();
    let mut largest_heap = 0;
    for path in &paths {
        let source = std::fs::read_to_string(path).expect("script is readable");
        let script = parse(&source);
        if script.limits.max_heap < Limits::default().max_heap {
            largest_heap = largest_heap.max(script.limits.max_heap);
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let runner_path = path.clone();
        let limits = script.limits;
        // The default stack of a spawned Rust thread: the limits alone must keep every
        // script inside it. Test builds compile tarn-vm at opt-level 1 (Cargo.toml), so
        // a host re-entry takes about 4 KiB of stack there too (3–5 KiB in release).
        let stack = 2 << 20;
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || run(&runner_path, limits))
            .expect("thread starts");
        let (stdout, error) = match handle.join() {
            Ok(result) => result,
            Err(_) => {
                failures.push(format!("{name}: the runner panicked"));
                continue;
            }
        };
        let got: Vec<&str> = stdout.lines().collect();
        if got != script.stdout {
            failures.push(format!("{name}: stdout {got:?}, expected {:?}", script.stdout));
        }
        match (&script.error, &error) {
            (None, None) => {}
            (Some(want), Some(got)) if got.contains(want.as_str()) => {}
            (want, got) => failures.push(format!("{name}: error {got:?}, expected {want:?}")),
        }
    }
    assert!(failures.is_empty(), "adversarial failures:\n{}", failures.join("\n"));
    // Peak memory: the heap limit plus a documented overhead (the test harness, the
    // compiler, one reallocation of the largest table or string, allocator slack).
    if let Some(peak) = peak_rss() {
        let allowed = 4 * largest_heap + (64 << 20);
        assert!(peak < allowed, "peak RSS {peak} bytes, allowed {allowed}");
        println!("peak RSS {} MiB with heap limits up to {} MiB", peak >> 20, largest_heap >> 20);
    }
}
