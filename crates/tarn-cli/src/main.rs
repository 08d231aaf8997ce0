//! The `tarn` command: run Lua scripts the way `lua` does, and assemble, disassemble,
//! verify and compile Tarn modules.
//!
//! Two command lines share the one binary:
//! - `tarn COMMAND ...` (`asm`, `compile`, `disasm`, `verify`, `run`, `help`, and
//!   `--help`/`--version`) is read by clap;
//! - anything else is a lua-style command line, `tarn [options] [script [args]]`, read by
//!   [`args`] and run by [`session`]: `tarn script.lua a b`, `tarn -e 'print(1)'`,
//!   `tarn -i`, `tarn -` and `tarn` alone (the REPL, [`repl`]).
//!
//! Every failure is reported on stderr as `tarn: …` with exit status 1 (clap's own usage
//! errors exit with 2); bad input never panics.

mod args;
mod host;
mod repl;
mod session;
mod source;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tarn_bytecode::{binary, text, verify};

use crate::args::{Invocation, LimitOptions, Script};
use crate::session::report;

#[derive(Parser)]
#[command(
    name = "tarn",
    version,
    about = "Tarn: a fast, safe, embeddable bytecode VM",
    after_help = "Without a command, tarn reads its arguments as lua does:\n  \
                  tarn [options] [script [args]]   (see 'tarn -x' for the options)\n\
                  tarn script.lua a b   runs the script with arg[1]='a', arg[2]='b'\n\
                  tarn -e 'print(1)'    runs a chunk; tarn - runs standard input\n\
                  tarn                  starts the REPL (or runs stdin when it is not a terminal)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Names clap handles; any other first argument makes a lua-style command line.
const CLAP_WORDS: [&str; 10] =
    ["asm", "compile", "disasm", "verify", "run", "help", "--help", "-h", "--version", "-V"];

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
    /// Run a script or module (.lua, .tbc or .tasm) with arguments, as `tarn FILE ARGS`.
    ///
    /// Options go before the script or right after it; from the first other argument on,
    /// everything is passed to the script (in `arg` and as `...`). Put `--` before
    /// script arguments that start with `-`.
    Run {
        input: PathBuf,
        /// Instruction budget; the run stops with an error when it is used up.
        #[arg(long)]
        fuel: Option<u64>,
        /// Maximum nesting of calls.
        #[arg(long)]
        max_depth: Option<usize>,
        /// Maximum heap size, in bytes or with a K/M/G suffix (e.g. 64M).
        #[arg(long, value_parser = args::parse_size)]
        max_heap: Option<usize>,
        /// Grant the script no capabilities (files, environment, clock, exit, stdin, load).
        #[arg(long)]
        sandbox: bool,
        /// Arguments for the script.
        #[arg(trailing_var_arg = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let is_clap = argv.get(1).and_then(|a| a.to_str()).is_some_and(|a| CLAP_WORDS.contains(&a));
    if !is_clap {
        return session::run_lua_style(args::parse(argv), "tarn");
    }
    let cli = Cli::parse_from(&argv);
    match run_command(cli.command, argv) {
        Ok(code) => code,
        Err(message) => {
            report(&message);
            ExitCode::FAILURE
        }
    }
}

fn run_command(command: Command, argv: Vec<OsString>) -> Result<ExitCode, String> {
    match command {
        Command::Asm { input, output } => {
            let module = source::load_file(&input)?;
            let output = output.unwrap_or_else(|| input.with_extension("tbc"));
            write(&output, &binary::encode(&module))
        }
        Command::Compile { input, output, strip } => {
            let mut module = source::load_file(&input)?;
            if strip {
                module.strip();
            }
            let output = output.unwrap_or_else(|| input.with_extension("tbc"));
            write(&output, &binary::encode(&module))
        }
        Command::Disasm { input } => {
            let module = source::load_file(&input)?;
            print!("{}", text::disassemble(&module));
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { input } => {
            let module = source::load_file(&input)?;
            verify(module).map_err(|e| format!("{}: {e}", input.display()))?;
            println!("{}: ok", input.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { input, fuel, max_depth, max_heap, sandbox, args } => {
            // `arg` is the command line up to the script, then the script's arguments as
            // clap read them (without a `--` that only told clap where they start).
            let script_index = script_index(&argv, &input, args.len());
            let mut argv: Vec<OsString> = argv.into_iter().take(script_index + 1).collect();
            argv.extend(args);
            let inv = Invocation {
                argv,
                script_index: Some(script_index),
                script: Some(Script::File(input)),
                limits: LimitOptions { fuel, max_depth, max_heap },
                sandbox,
                ..Invocation::default()
            };
            Ok(session::run_lua_style(Ok(inv), "tarn"))
        }
    }
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<ExitCode, String> {
    std::fs::write(path, bytes)
        .map(|()| ExitCode::SUCCESS)
        .map_err(|e| format!("cannot write {}: {}", path.display(), source::io_message(&e)))
}

/// Where the script is in `argv` for `tarn run`: the script's arguments are the tail of
/// the command line, so it comes just before them — or before a `--` that clap took.
fn script_index(argv: &[OsString], input: &std::path::Path, trailing: usize) -> usize {
    let guess = argv.len().saturating_sub(trailing + 1);
    let is_input = |i: usize| argv.get(i).is_some_and(|a| std::path::Path::new(a) == input);
    if is_input(guess) {
        guess
    } else if guess > 0 && is_input(guess - 1) {
        guess - 1
    } else {
        (0..guess).rev().find(|&i| is_input(i)).unwrap_or(guess)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_finds_the_script_before_its_arguments() {
        let argv = |args: &[&str]| args.iter().map(OsString::from).collect::<Vec<_>>();
        let x = std::path::Path::new("x.lua");
        assert_eq!(script_index(&argv(&["tarn", "run", "x.lua", "a", "b"]), x, 2), 2);
        assert_eq!(script_index(&argv(&["tarn", "run", "--fuel", "9", "x.lua"]), x, 0), 4);
        assert_eq!(script_index(&argv(&["tarn", "run", "x.lua", "--", "-a"]), x, 1), 2);
        assert_eq!(script_index(&argv(&["tarn", "run", "x.lua", "--fuel", "9", "a"]), x, 1), 2);
    }
}
