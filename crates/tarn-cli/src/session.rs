//! One run of the `tarn` command as a Lua host: a VM with the CLI's host functions and
//! the global `arg`, the chunks the command line names (`-e`, `-l`, the script) run in
//! order, then maybe the REPL — all on the same VM, so globals carry over, as in `lua`.
//!
//! Every chunk is verified before it runs (compiled Lua included) and gets the whole
//! `--fuel` budget to itself. A failure is a [`Failure`], reported by the caller as
//! `tarn: message` (plus a traceback for runtime errors) with exit status 1.

use std::ffi::OsStr;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use tarn_bytecode::{verify, Module};
use tarn_vm::{ErrorKind, Limits, RuntimeError, Value, Vm};

use crate::args::{ArgError, Invocation, LimitOptions, PreRun, Script};
use crate::{host, repl, source};

/// The banner of `-v`, `-i` and the REPL (lua: `Lua 5.4.4  Copyright ...`).
pub fn banner() -> String {
    format!("Tarn {} (Lua 5.4)  a fast, safe, embeddable bytecode VM", env!("CARGO_PKG_VERSION"))
}

/// Why a chunk did not run to the end.
#[derive(Debug)]
pub enum Failure {
    /// It could not be read, compiled, verified or linked; the message says where.
    Load(String),
    /// It raised an error while running.
    Runtime(RuntimeError),
}

impl Failure {
    /// The message as the user sees it: a runtime error with its traceback.
    pub fn describe(&self) -> String {
        match self {
            Failure::Load(message) => message.clone(),
            Failure::Runtime(e) => match e.kind() {
                ErrorKind::OutOfFuel => format!("{} (raise --fuel to run longer)", e.message()),
                _ if e.traceback().is_empty() => e.message().to_string(),
                _ => format!("{}\n{}", e.message(), e.traceback()),
            },
        }
    }
}

impl From<RuntimeError> for Failure {
    fn from(e: RuntimeError) -> Self {
        Failure::Runtime(e)
    }
}

/// A VM set up as the CLI host.
pub struct Session {
    vm: Vm,
    /// Fuel each chunk starts with.
    fuel: u64,
}

impl Session {
    pub fn new(options: LimitOptions, sandbox: bool) -> Result<Session, Failure> {
        let mut limits = Limits::default();
        if let Some(fuel) = options.fuel {
            limits.fuel = fuel;
        }
        if let Some(depth) = options.max_depth {
            limits.max_depth = depth;
        }
        if let Some(heap) = options.max_heap {
            limits.max_heap = heap;
        }
        let mut vm = Vm::new(limits)?;
        host::install_with(&mut vm, host::capabilities(sandbox))?;
        Ok(Session { vm, fuel: limits.fuel })
    }

    pub fn vm(&mut self) -> &mut Vm {
        &mut self.vm
    }

    /// A Lua string value holding a command-line argument's bytes.
    pub fn os_string(&mut self, s: &OsStr) -> Result<Value, RuntimeError> {
        self.vm.new_string(s.as_encoded_bytes())
    }

    /// Sets the global `arg` as `lua` does (see [`Invocation::arg_entries`]).
    pub fn set_arg_table(&mut self, inv: &Invocation) -> Result<(), RuntimeError> {
        let table = self.vm.new_table()?;
        for (index, arg) in inv.arg_entries() {
            let value = self.os_string(arg)?;
            self.vm.set_table(table, Value::Int(index), value)?;
        }
        self.vm.set_global("arg", Value::Table(table))
    }

    /// Verifies, loads and calls a module's entry function with `args`. `name` (the
    /// file's) starts verifier messages and names a module that has no debug information.
    pub fn run_module(
        &mut self,
        mut module: Module,
        name: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, Failure> {
        name_source_if_unnamed(&mut module, name);
        let verified = verify(module).map_err(|e| Failure::Load(format!("{name}: {e}")))?;
        let entry = self.vm.load(&verified).map_err(|e| Failure::Load(e.to_string()))?;
        if entry.is_nil() {
            return Err(Failure::Load(format!("{name}: module has no entry function")));
        }
        self.vm.set_fuel(self.fuel);
        let result = self.vm.call(entry, args);
        if self.vm.is_suspended() {
            // Out of fuel: this command does not resume, and the next chunk (a REPL line)
            // needs the stack.
            self.vm.abandon();
        }
        Ok(result?)
    }

    /// Compiles and runs Lua source text.
    pub fn run_source(&mut self, text: &[u8], chunkname: &str) -> Result<Vec<Value>, Failure> {
        let module = tarn_compiler::compile(text, chunkname).map_err(|e| Failure::Load(e.to_string()))?;
        self.run_module(module, &tarn_compiler::chunk_id(chunkname), &[])
    }

    /// Runs the script with the arguments it gets as `...`.
    pub fn run_script(&mut self, script: &Script, args: &[std::ffi::OsString]) -> Result<(), Failure> {
        let (module, name) = match script {
            Script::File(path) => (source::load_file(path), path.display().to_string()),
            Script::Stdin => {
                (read_stdin().and_then(|bytes| source::load_stdin_bytes(&bytes)), "stdin".into())
            }
        };
        let module = module.map_err(Failure::Load)?;
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.os_string(arg)?);
        }
        self.run_module(module, &name, &values).map(drop)
    }

    /// `-l g=mod`: `g = require("mod")`, as lua's `dolibrary` does it.
    pub fn require(&mut self, global: &[u8], module: &[u8]) -> Result<(), Failure> {
        let require = self.vm.get_global("require")?;
        if require.is_nil() {
            let name = String::from_utf8_lossy(module);
            return Err(Failure::Load(format!("cannot load module '{name}': no 'require' function")));
        }
        let name = self.vm.new_string(module)?;
        self.vm.set_fuel(self.fuel);
        let results = self.vm.call(require, &[name]);
        if self.vm.is_suspended() {
            self.vm.abandon();
        }
        let value = results?.first().copied().unwrap_or(Value::Nil);
        let key = self.vm.new_string(global)?;
        let globals = self.vm.globals();
        self.vm.set_table(globals, key, value)?;
        Ok(())
    }
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {}", source::io_message(&e)))?;
    Ok(bytes)
}

/// A module without debug information gets a source name, so runtime errors can say
/// where they come from (positions are then given as pcs).
fn name_source_if_unnamed(module: &mut Module, name: &str) {
    if module.debug.is_none() {
        module.debug = Some(tarn_bytecode::module::DebugInfo {
            source: name.to_string(),
            functions: vec![Default::default(); module.functions.len()],
        });
    }
}

/// Prints `tarn: message` on stderr.
pub fn report(message: &str) {
    eprintln!("tarn: {message}");
}

/// Runs a lua-style command line (`lua.c`'s `pmain`): banner, `arg`, `-e`/`-l` in order,
/// the script, then the REPL for `-i` — or, with none of script, `-e` and `-v`, the REPL
/// when stdin is a terminal and stdin as a script when it is not.
pub fn run_lua_style(parsed: Result<Invocation, ArgError>, program: &str) -> ExitCode {
    let inv = match parsed {
        Ok(inv) => inv,
        Err(e) => {
            report(&e.to_string());
            eprint!("{}", crate::args::usage(program));
            return ExitCode::FAILURE;
        }
    };
    if inv.version {
        println!("{}", banner());
    }
    match run_invocation(&inv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report(&failure.describe());
            ExitCode::FAILURE
        }
    }
}

fn run_invocation(inv: &Invocation) -> Result<(), Failure> {
    let mut session = Session::new(inv.limits, inv.sandbox)?;
    session.set_arg_table(inv)?;
    for pre in &inv.pre_run {
        match pre {
            PreRun::Exec(text) => session.run_source(text, "=(command line)").map(drop)?,
            PreRun::Require { global, module } => session.require(global, module)?,
        }
    }
    if let Some(script) = &inv.script {
        session.run_script(script, inv.script_args())?;
    }
    if inv.interactive {
        repl::run(&mut session);
    } else if inv.script.is_none() && !inv.has_exec() && !inv.version {
        if std::io::stdin().is_terminal() {
            println!("{}", banner());
            repl::run(&mut session);
        } else {
            session.run_script(&Script::Stdin, &[])?;
        }
    }
    Ok(())
}
