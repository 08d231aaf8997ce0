//! Lua-style command lines: `tarn [options] [script [args]]`, read the way `lua` 5.4
//! reads its own (`collectargs` in `lua.c`, manual §7 "Lua Standalone").
//!
//! Options are read up to the first argument that is not one; that argument is the
//! script, and everything after it belongs to the script. `--` ends the options (the
//! next argument is the script, even if it starts with `-`); `-` alone is the script
//! "read standard input". On top of lua's options Tarn takes its resource limits,
//! `--fuel`, `--max-depth` and `--max-heap`, which lua would reject.
//!
//! This module only reads the command line; [`crate::session`] acts on it. Arguments are
//! kept as `OsString`s, because a script argument may be any bytes, as in Lua.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// Resource limits given on the command line; `None` keeps the VM's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOptions {
    /// Instruction budget for each chunk the command runs (a script, an `-e`, a REPL input).
    pub fuel: Option<u64>,
    /// Maximum nesting of calls.
    pub max_depth: Option<usize>,
    /// Maximum heap size in bytes.
    pub max_heap: Option<usize>,
}

/// Something run before the script, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreRun {
    /// `-e stat`: run the text as a chunk named `=(command line)`.
    Exec(Vec<u8>),
    /// `-l mod` or `-l g=mod`: `g = require(mod)` (the global defaults to `mod`).
    Require { global: Vec<u8>, module: Vec<u8> },
}

/// Where the script comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    /// `-` (not after `--`): standard input, chunk name `=stdin`.
    Stdin,
    File(PathBuf),
}

/// A command line, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// The whole command line, program name first; it becomes the global `arg`.
    pub argv: Vec<OsString>,
    /// Index in `argv` of the script, when there is one.
    pub script_index: Option<usize>,
    pub script: Option<Script>,
    pub pre_run: Vec<PreRun>,
    /// `-v` (or `-i`, which implies it): print the version banner first.
    pub version: bool,
    /// `-i`: enter the REPL after the script and `-e` chunks.
    pub interactive: bool,
    /// `-E`: ignore environment variables (accepted; Tarn reads none yet).
    pub ignore_env: bool,
    /// `-W`: turn warnings on (accepted; Tarn has no `warn` yet).
    pub warnings: bool,
    pub limits: LimitOptions,
    /// `--sandbox`: grant the script no capabilities (no files, environment, clock, exit,
    /// standard input, nor compiling source text at run time).
    pub sandbox: bool,
}

impl Invocation {
    /// The values of `arg[i]` for every index, as `lua` builds the table: the script is
    /// `arg[0]`, what came before it has negative indices, what follows it positive
    /// ones. Without a script the program name is `arg[0]` and the options follow it.
    pub fn arg_entries(&self) -> impl Iterator<Item = (i64, &OsStr)> {
        let zero = self.script_index.unwrap_or(0) as i64;
        self.argv.iter().enumerate().map(move |(i, a)| (i as i64 - zero, a.as_os_str()))
    }

    /// The script's arguments (what it receives as `...`): `arg[1]`, `arg[2]`, …
    pub fn script_args(&self) -> &[OsString] {
        match self.script_index {
            Some(i) => self.argv.get(i + 1..).unwrap_or(&[]),
            None => &[],
        }
    }

    /// Whether any `-e` was given (which, like a script or `-v`, stops `tarn` from
    /// falling back to the REPL or standard input).
    pub fn has_exec(&self) -> bool {
        self.pre_run.iter().any(|p| matches!(p, PreRun::Exec(_)))
    }
}

/// A command line that cannot be run; `Display` is the line lua prints before its usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// `unrecognized option '-x'`
    Unrecognized(String),
    /// `'-e' needs argument`
    NeedsArgument(String),
    /// A Tarn limit option with a value that is not a number (or size).
    BadValue { option: String, value: String },
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgError::Unrecognized(o) => write!(f, "unrecognized option '{o}'"),
            ArgError::NeedsArgument(o) => write!(f, "'{o}' needs argument"),
            ArgError::BadValue { option, value } => write!(f, "invalid value '{value}' for '{option}'"),
        }
    }
}

/// The usage text printed after an [`ArgError`] (to stderr), as lua prints its own.
pub fn usage(program: &str) -> String {
    format!(
        "usage: {program} [options] [script [args]]\n\
         \x20      {program} COMMAND ... (asm, compile, disasm, verify, run; see '{program} --help')\n\
         Available options are:\n\
         \x20 -e stat   execute string 'stat'\n\
         \x20 -i        enter interactive mode after executing 'script'\n\
         \x20 -l mod    require library 'mod' into global 'mod'\n\
         \x20 -l g=mod  require library 'mod' into global 'g'\n\
         \x20 -v        show version information\n\
         \x20 -E        ignore environment variables\n\
         \x20 -W        turn warnings on\n\
         \x20 --fuel N        instruction budget for each chunk run\n\
         \x20 --max-depth N   maximum nesting of calls\n\
         \x20 --max-heap SIZE maximum heap size (bytes, or with a K/M/G suffix)\n\
         \x20 --sandbox      grant no capabilities (files, environment, clock, exit, stdin, load)\n\
         \x20 --        stop handling options\n\
         \x20 -         stop handling options and execute stdin\n"
    )
}

/// Parses a size in bytes with an optional `K`, `M` or `G` suffix.
pub fn parse_size(s: &str) -> Result<usize, String> {
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

/// The Tarn-only options that take a value.
const LIMIT_OPTIONS: [&str; 3] = ["--fuel", "--max-depth", "--max-heap"];

/// Reads a lua-style command line (`argv[0]` is the program name).
pub fn parse(argv: Vec<OsString>) -> Result<Invocation, ArgError> {
    let mut inv = Invocation { argv, ..Invocation::default() };
    let mut i = 1;
    while i < inv.argv.len() {
        let arg = inv.argv[i].as_encoded_bytes();
        if arg.first() != Some(&b'-') {
            inv.script = Some(Script::File(PathBuf::from(&inv.argv[i])));
            inv.script_index = Some(i);
            return Ok(inv);
        }
        let lossy = || inv.argv[i].to_string_lossy().into_owned();
        match arg {
            b"-" => {
                inv.script = Some(Script::Stdin);
                inv.script_index = Some(i);
                return Ok(inv);
            }
            b"--" => {
                if let Some(name) = inv.argv.get(i + 1) {
                    inv.script = Some(Script::File(PathBuf::from(name)));
                    inv.script_index = Some(i + 1);
                }
                return Ok(inv);
            }
            b"-E" => inv.ignore_env = true,
            b"-W" => inv.warnings = true,
            b"-i" => {
                inv.interactive = true;
                inv.version = true;
            }
            b"-v" => inv.version = true,
            b"--sandbox" => inv.sandbox = true,
            _ if arg.starts_with(b"-e") || arg.starts_with(b"-l") => {
                let option = &arg[..2];
                let value = if arg.len() > 2 {
                    arg[2..].to_vec()
                } else {
                    // The value is the next argument, which must not look like an option.
                    match inv.argv.get(i + 1).map(|a| a.as_encoded_bytes()) {
                        Some(next) if next.first() != Some(&b'-') => {
                            i += 1;
                            next.to_vec()
                        }
                        _ => {
                            return Err(ArgError::NeedsArgument(String::from_utf8_lossy(option).into_owned()))
                        }
                    }
                };
                inv.pre_run.push(if option == b"-e" { PreRun::Exec(value) } else { require_of(value) });
            }
            _ => {
                let text = lossy();
                let (name, inline) = match text.split_once('=') {
                    Some((name, value)) => (name.to_string(), Some(value.to_string())),
                    None => (text.clone(), None),
                };
                if !LIMIT_OPTIONS.contains(&name.as_str()) {
                    return Err(ArgError::Unrecognized(text));
                }
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match inv.argv.get(i) {
                            Some(v) => v.to_string_lossy().into_owned(),
                            None => return Err(ArgError::NeedsArgument(name)),
                        }
                    }
                };
                set_limit(&mut inv.limits, &name, &value)?;
            }
        }
        i += 1;
    }
    Ok(inv)
}

/// `-l g=mod` or `-l mod`.
fn require_of(value: Vec<u8>) -> PreRun {
    match value.iter().position(|&c| c == b'=') {
        Some(eq) => PreRun::Require { global: value[..eq].to_vec(), module: value[eq + 1..].to_vec() },
        None => PreRun::Require { global: value.clone(), module: value },
    }
}

fn set_limit(limits: &mut LimitOptions, option: &str, value: &str) -> Result<(), ArgError> {
    let bad = || ArgError::BadValue { option: option.to_string(), value: value.to_string() };
    match option {
        "--fuel" => limits.fuel = Some(value.parse().map_err(|_| bad())?),
        "--max-depth" => limits.max_depth = Some(value.parse().map_err(|_| bad())?),
        _ => limits.max_heap = Some(parse_size(value).map_err(|_| bad())?),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Invocation, ArgError> {
        parse(args.iter().map(OsString::from).collect())
    }

    fn entries(inv: &Invocation) -> Vec<(i64, String)> {
        inv.arg_entries().map(|(i, a)| (i, a.to_string_lossy().into_owned())).collect()
    }

    #[test]
    fn script_and_its_arguments() {
        let inv = parse_strs(&["tarn", "-e", "x=1", "s.lua", "a", "-e"]).unwrap();
        assert_eq!(inv.script, Some(Script::File("s.lua".into())));
        assert_eq!(inv.pre_run, vec![PreRun::Exec(b"x=1".to_vec())]);
        assert_eq!(
            entries(&inv),
            vec![
                (-3, "tarn".into()),
                (-2, "-e".into()),
                (-1, "x=1".into()),
                (0, "s.lua".into()),
                (1, "a".into()),
                (2, "-e".into())
            ]
        );
        assert_eq!(inv.script_args(), &[OsString::from("a"), OsString::from("-e")]);
    }

    #[test]
    fn without_a_script_the_program_is_arg_zero() {
        let inv = parse_strs(&["tarn", "-eprint(1)", "-v"]).unwrap();
        assert_eq!(inv.script, None);
        assert!(inv.version && inv.has_exec() && !inv.interactive);
        assert_eq!(entries(&inv), vec![(0, "tarn".into()), (1, "-eprint(1)".into()), (2, "-v".into())]);
        assert!(inv.script_args().is_empty());
    }

    #[test]
    fn dash_is_stdin_unless_after_double_dash() {
        let inv = parse_strs(&["tarn", "-", "a"]).unwrap();
        assert_eq!((inv.script, inv.script_index), (Some(Script::Stdin), Some(1)));
        let inv = parse_strs(&["tarn", "--", "-", "a"]).unwrap();
        assert_eq!((inv.script, inv.script_index), (Some(Script::File("-".into())), Some(2)));
        let inv = parse_strs(&["tarn", "--"]).unwrap();
        assert_eq!(inv.script, None);
    }

    #[test]
    fn limits_take_values_inline_or_next() {
        let inv = parse_strs(&["tarn", "--fuel", "100", "--max-heap=2K", "--max-depth=7", "x.lua"]).unwrap();
        assert_eq!(inv.limits, LimitOptions { fuel: Some(100), max_depth: Some(7), max_heap: Some(2048) });
        assert_eq!(inv.script_index, Some(5));
    }

    #[test]
    fn bad_options_are_worded_as_lua_words_them() {
        let cases: &[(&[&str], &str)] = &[
            (&["tarn", "-x"], "unrecognized option '-x'"),
            (&["tarn", "-vi"], "unrecognized option '-vi'"),
            (&["tarn", "--x"], "unrecognized option '--x'"),
            (&["tarn", "-e"], "'-e' needs argument"),
            (&["tarn", "-e", "-v"], "'-e' needs argument"),
            (&["tarn", "-l"], "'-l' needs argument"),
            (&["tarn", "--fuel"], "'--fuel' needs argument"),
            (&["tarn", "--fuel", "lots"], "invalid value 'lots' for '--fuel'"),
            (&["tarn", "--max-heap=9Q"], "invalid value '9Q' for '--max-heap'"),
        ];
        for (args, message) in cases {
            match parse_strs(args) {
                Err(e) => assert_eq!(e.to_string(), *message, "{args:?}"),
                Ok(inv) => panic!("{args:?} was accepted: {inv:?}"),
            }
        }
    }

    #[test]
    fn sandbox_is_an_option() {
        let inv = parse_strs(&["tarn", "--sandbox", "x.lua", "--sandbox"]).unwrap();
        assert!(inv.sandbox);
        assert_eq!(inv.script_args(), &[OsString::from("--sandbox")]);
        assert!(!parse_strs(&["tarn", "x.lua"]).unwrap().sandbox);
    }

    #[test]
    fn require_option_names_its_global() {
        let inv = parse_strs(&["tarn", "-l", "g=mod", "-lm"]).unwrap();
        assert_eq!(
            inv.pre_run,
            vec![
                PreRun::Require { global: b"g".to_vec(), module: b"mod".to_vec() },
                PreRun::Require { global: b"m".to_vec(), module: b"m".to_vec() },
            ]
        );
    }
}
