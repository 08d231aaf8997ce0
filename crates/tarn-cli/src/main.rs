//! The `tarn` command: assemble, disassemble, verify and run Tarn modules.
//!
//! Every failure is reported on stderr as `tarn: …` with exit status 1; bad input never
//! panics. Files are recognised by extension: `.lua` is Lua source (compiled first),
//! `.tasm` is assembly text, anything else is read as a binary `.tbc` module.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tarn_bytecode::{binary, text, verify, Module};
use tarn_vm::{ErrorKind, Limits, RuntimeError, Value, Vm};

#[derive(Parser)]
#[command(name = "tarn", version, about = "Tarn: a fast, safe, embeddable bytecode VM")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assemble a .tasm file into a binary .tbc module.
    Asm {
        input: PathBuf,
        /// Output file (default: the input with a .tbc extension).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Compile Lua source into a binary .tbc module.
    Compile {
        input: PathBuf,
        /// Output file (default: the input with a .tbc extension).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Leave out debug information (names, line numbers).
        #[arg(long)]
        strip: bool,
    },
    /// List a module (.lua, .tbc or .tasm) as assembly text.
    Disasm { input: PathBuf },
    /// Check a module (.lua, .tbc or .tasm) with the verifier.
    Verify { input: PathBuf },
    /// Run a module's entry function.
    Run {
        input: PathBuf,
        /// Instruction budget; the run stops with an error when it is used up.
        #[arg(long)]
        fuel: Option<u64>,
        /// Maximum nesting of calls.
        #[arg(long)]
        max_depth: Option<usize>,
        /// Maximum heap size, in bytes or with a K/M/G suffix (e.g. 64M).
        #[arg(long, value_parser = parse_size)]
        max_heap: Option<usize>,
    },
}

fn parse_size(s: &str) -> Result<usize, String> {
    let (digits, multiplier) = match s.as_bytes().last() {
        Some(b'K' | b'k') => (&s[..s.len() - 1], 1usize << 10),
        Some(b'M' | b'm') => (&s[..s.len() - 1], 1 << 20),
        Some(b'G' | b'g') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .ok_or_else(|| format!("invalid size '{s}' (expected a number with an optional K, M or G suffix)"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run_command(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tarn: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Reads a module from Lua source, `.tasm` text or `.tbc` bytes, unverified.
fn load_module(path: &Path) -> Result<Module, String> {
    let bytes = read(path)?;
    let extension = path.extension().and_then(|e| e.to_str());
    if extension == Some("lua") {
        // Compile errors already read `file.lua:line: message`, as lua prints them.
        return tarn_compiler::compile(&bytes, &format!("@{}", path.display())).map_err(|e| e.to_string());
    }
    let result = if extension == Some("tasm") {
        let text =
            std::str::from_utf8(&bytes).map_err(|_| format!("{}: not valid UTF-8 text", path.display()))?;
        text::assemble(text)
    } else {
        binary::decode(&bytes)
    };
    result.map_err(|e| format!("{}: {e}", path.display()))
}

fn run_command(command: Command) -> Result<(), String> {
    match command {
        Command::Asm { input, output } => {
            let module = load_module(&input)?;
            let output = output.unwrap_or_else(|| input.with_extension("tbc"));
            std::fs::write(&output, binary::encode(&module))
                .map_err(|e| format!("cannot write {}: {e}", output.display()))
        }
        Command::Compile { input, output, strip } => {
            let mut module = load_module(&input)?;
            if strip {
                module.strip();
            }
            let output = output.unwrap_or_else(|| input.with_extension("tbc"));
            std::fs::write(&output, binary::encode(&module))
                .map_err(|e| format!("cannot write {}: {e}", output.display()))
        }
        Command::Disasm { input } => {
            let module = load_module(&input)?;
            print!("{}", text::disassemble(&module));
            Ok(())
        }
        Command::Verify { input } => {
            let module = load_module(&input)?;
            verify(module).map_err(|e| format!("{}: {e}", input.display()))?;
            println!("{}: ok", input.display());
            Ok(())
        }
        Command::Run { input, fuel, max_depth, max_heap } => {
            let mut module = load_module(&input)?;
            name_source_if_unnamed(&mut module, &input);
            let verified = verify(module).map_err(|e| format!("{}: {e}", input.display()))?;
            let mut limits = Limits::default();
            if let Some(fuel) = fuel {
                limits.fuel = fuel;
            }
            if let Some(depth) = max_depth {
                limits.max_depth = depth;
            }
            if let Some(heap) = max_heap {
                limits.max_heap = heap;
            }
            let mut vm = Vm::new(limits).map_err(|e| e.to_string())?;
            install_host_functions(&mut vm).map_err(|e| e.to_string())?;
            let entry = vm.load(&verified).map_err(|e| e.to_string())?;
            if entry.is_nil() {
                return Err(format!("{}: module has no entry function", input.display()));
            }
            vm.call(entry, &[]).map(drop).map_err(|e| describe_runtime_error(&e))
        }
    }
}

/// A module without debug information gets the file name as its source, so runtime
/// errors can say which file they come from (positions are then given as pcs).
fn name_source_if_unnamed(module: &mut Module, path: &Path) {
    if module.debug.is_none() {
        module.debug = Some(tarn_bytecode::module::DebugInfo {
            source: path.display().to_string(),
            functions: vec![Default::default(); module.functions.len()],
        });
    }
}

fn describe_runtime_error(e: &RuntimeError) -> String {
    match e.kind() {
        ErrorKind::OutOfFuel => format!("{} (raise --fuel to run longer)", e.message()),
        _ if e.traceback().is_empty() => e.message().to_string(),
        _ => format!("{}\n{}", e.message(), e.traceback()),
    }
}

/// The libraries and host functions the CLI grants to the modules it runs.
fn install_host_functions(vm: &mut Vm) -> Result<(), RuntimeError> {
    tarn_vm::stdlib::open_all(vm)?;
    vm.set_compiler(std::sync::Arc::new(|source: &[u8], chunkname: &str| {
        tarn_compiler::compile(source, chunkname).map_err(|e| e.to_string())
    }));
    let print = vm.get_global("print")?;
    vm.provide("print", print)?;
    let start = std::time::Instant::now();
    vm.register("clock", move |_vm, _args, results| {
        results.push(Value::Float(start.elapsed().as_secs_f64()));
        Ok(())
    })?;
    Ok(())
}
