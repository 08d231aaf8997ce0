//! Differential runs: the same Lua program under Tarn (in this process) and under
//! `lua5.4` (a child process), compared on standard output and, when the program fails,
//! on the error message.
//!
//! Outputs are compared byte for byte except for the sign of NaNs (see [`normalize`]).
//! Both run the program as standard input (`lua5.4 -`), so both name the chunk `stdin`
//! and positions read `stdin:12:`. The error message is compared without the program
//! name prefix (`lua5.4: `) and without the stack traceback, whose format differs by
//! design (see `docs/lua-differences.md`).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tarn_vm::Limits;

use crate::oracle::{new_vm, Captured};

/// How one implementation ran a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub stdout: Vec<u8>,
    /// The message of an error that ended the program, if one did.
    pub error: Option<String>,
}

/// A program the two implementations disagree on.
#[derive(Debug, Clone)]
pub struct Difference {
    pub lua: Run,
    pub tarn: Run,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (lua, tarn) =
            (String::from_utf8_lossy(&self.lua.stdout), String::from_utf8_lossy(&self.tarn.stdout));
        let (lua_lines, tarn_lines): (Vec<&str>, Vec<&str>) = (lua.lines().collect(), tarn.lines().collect());
        match lua_lines.iter().zip(&tarn_lines).position(|(a, b)| a != b) {
            Some(i) => writeln!(
                f,
                "output line {} differs:\n  lua5.4: {}\n  tarn:   {}",
                i + 1,
                lua_lines[i],
                tarn_lines[i]
            )?,
            None if lua_lines.len() != tarn_lines.len() => writeln!(
                f,
                "output has {} lines under lua5.4, {} under tarn",
                lua_lines.len(),
                tarn_lines.len()
            )?,
            None => {}
        }
        if self.lua.error != self.tarn.error {
            writeln!(f, "error differs:\n  lua5.4: {:?}\n  tarn:   {:?}", self.lua.error, self.tarn.error)?;
        }
        Ok(())
    }
}

/// The reference interpreter, if it is installed: `$LUA` or `lua5.4`.
pub fn lua_command() -> Option<String> {
    let lua = std::env::var("LUA").unwrap_or_else(|_| "lua5.4".to_string());
    let ok = Command::new(&lua)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(lua)
}

/// Runs `source` under `lua` (from [`lua_command`]), killing it after `timeout`.
pub fn run_lua(lua: &str, source: &str, timeout: Duration) -> Run {
    let mut child = Command::new(lua)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lua5.4 starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let source = source.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&source);
    });
    let start = Instant::now();
    let mut killed = false;
    while child.try_wait().expect("wait for lua5.4").is_none() {
        if start.elapsed() > timeout {
            let _ = child.kill();
            killed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let output = child.wait_with_output().expect("lua5.4 output");
    let _ = writer.join();
    let error = (!output.status.success()).then(|| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr.split("\nstack traceback:").next().unwrap_or("");
        let message = message.strip_prefix(&format!("{lua}: ")).unwrap_or(message);
        if killed {
            format!("killed after {timeout:?}")
        } else if output.status.code().is_none() {
            format!("{LUA_CRASHED} ({})", output.status)
        } else {
            message.strip_suffix('\n').unwrap_or(message).to_string()
        }
    });
    Run { stdout: output.stdout, error }
}

/// How [`run_lua`] reports that the reference interpreter itself crashed (killed by a
/// signal): a bug of `lua5.4`, not a difference to fix in Tarn.
pub const LUA_CRASHED: &str = "lua5.4 crashed";

/// Whether `run` is `lua5.4` crashing.
pub fn is_lua_crash(run: &Run) -> bool {
    run.error.as_deref().is_some_and(|e| e.starts_with(LUA_CRASHED))
}

/// Limits for differential runs: generous, since generated programs are small and end.
pub fn limits() -> Limits {
    Limits { fuel: 100_000_000, max_heap: 256 << 20, ..Limits::default() }
}

/// Runs `source` under Tarn in this process, with the standard library, as `stdin`.
pub fn run_tarn(source: &str, limits: Limits) -> Run {
    let captured = Captured::new(16 << 20);
    let error = run_tarn_captured(source, limits, captured.clone()).err();
    let stdout = captured.lock().expect("output lock").kept.clone();
    Run { stdout, error }
}

fn run_tarn_captured(
    source: &str,
    limits: Limits,
    captured: std::sync::Arc<std::sync::Mutex<Captured>>,
) -> Result<(), String> {
    let module = tarn_compiler::compile(source.as_bytes(), "=stdin").map_err(|e| e.to_string())?;
    let verified = tarn_bytecode::verify(module).map_err(|e| format!("verifier: {e}"))?;
    let mut vm = new_vm(limits, captured).ok_or("the VM did not start")?;
    let entry = vm.load(&verified).map_err(|e| e.message().to_string())?;
    vm.call(entry, &[]).map(drop).map_err(|e| e.message().to_string())
}

/// What comparing one program found.
#[derive(Debug)]
pub enum Comparison {
    /// The same output and outcome; `failed` when both ended in an error.
    Agree {
        failed: bool,
    },
    Differ(Difference),
    /// `lua5.4` crashed on the program: nothing to compare.
    LuaCrashed(Run),
}

/// Runs `source` under both and says whether they agree.
pub fn compare(lua: &str, source: &str) -> Comparison {
    let lua = run_lua(lua, source, Duration::from_secs(20));
    if is_lua_crash(&lua) {
        return Comparison::LuaCrashed(lua);
    }
    let tarn = run_tarn(source, limits());
    if normalize(&lua) == normalize(&tarn) {
        Comparison::Agree { failed: lua.error.is_some() }
    } else {
        Comparison::Differ(Difference { lua, tarn })
    }
}

/// The one normalisation before comparing: the sign of a NaN, which IEEE 754 leaves to
/// the implementation and which C compilers decide by the operand order they pick for
/// each arithmetic instruction (`lua5.4` prints `-nan` for `p * m` and `nan` for `p + m`
/// when `p` and `m` are NaNs of opposite signs), is not compared.
fn normalize(run: &Run) -> Run {
    let text = |bytes: &[u8]| -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(b"-nan") {
                i += 1;
            }
            out.push(bytes[i]);
            i += 1;
        }
        out
    };
    Run {
        stdout: text(&run.stdout),
        error: run.error.as_ref().map(|e| String::from_utf8_lossy(&text(e.as_bytes())).into_owned()),
    }
}
