//! The interactive read-eval-print loop, as `lua`'s `doREPL` behaves.
//!
//! One input is one or more lines. The first line is tried as `return <line>`, so an
//! expression shows its values; if that does not compile, the input is compiled as
//! statements, and while that fails only because the text ended too soon (the error is
//! at `<eof>`, which is how lua tells) another line is read with the continuation
//! prompt. Chunks are named `=stdin`, as lua names them. Results are printed
//! tab-separated by [`host::format_values`], what `print` uses; errors are printed with
//! their traceback and the loop goes on. Globals persist: every input runs on one VM.
//!
//! The deciding logic ([`compile_first_line`], [`compile_statements`], [`read_input`],
//! [`run_with`]) works on plain strings and a [`LineSource`], so tests drive it without
//! a terminal; [`run`] connects it to `rustyline` and a history file.

use std::io::Write;

use tarn_bytecode::Module;
use tarn_compiler::CompileError;
use tarn_vm::Value;

use crate::host;
use crate::session::Session;

/// The chunk name of every input (lua's).
pub const CHUNKNAME: &str = "=stdin";
/// The prompt for a new input, unless the global `_PROMPT` says otherwise.
pub const PROMPT: &str = "> ";
/// The prompt for a continuation line, unless the global `_PROMPT2` says otherwise.
pub const PROMPT2: &str = ">> ";

/// Whether a compile error only says the input ended too soon: lua's test, the message
/// ends with `<eof>`.
pub fn is_incomplete(e: &CompileError) -> bool {
    e.as_bytes().ends_with(b"<eof>")
}

/// What the text typed so far amounts to.
#[derive(Debug)]
pub enum Compiled {
    /// A chunk ready to run.
    Ready(Module),
    /// Statements that need more lines.
    Incomplete(CompileError),
    /// An error more text cannot fix.
    Error(CompileError),
}

/// The first line of an input: `=expr` (kept from Lua 5.2, as lua 5.4 keeps it) and then
/// any line that compiles as `return <line>` is an expression; anything else is
/// compiled as statements.
pub fn compile_first_line(line: &str) -> Compiled {
    let expression = line.strip_prefix('=').unwrap_or(line);
    if let Ok(module) = tarn_compiler::compile(format!("return {expression}").as_bytes(), CHUNKNAME) {
        return Compiled::Ready(module);
    }
    compile_statements(line)
}

/// Text (one or more lines, joined by `\n`) compiled as statements.
pub fn compile_statements(text: &str) -> Compiled {
    match tarn_compiler::compile(text.as_bytes(), CHUNKNAME) {
        Ok(module) => Compiled::Ready(module),
        Err(e) if is_incomplete(&e) => Compiled::Incomplete(e),
        Err(e) => Compiled::Error(e),
    }
}

/// One line from the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(String),
    /// Ctrl-C: drop the input typed so far.
    Interrupted,
    /// Ctrl-D or the end of the input.
    Eof,
}

/// Where lines come from: a line editor, or a list in tests.
pub trait LineSource {
    fn read_line(&mut self, prompt: &str) -> Line;
    /// Remembers a whole input (all its lines) for recall.
    fn add_history(&mut self, _input: &str) {}
}

/// The outcome of reading one input.
#[derive(Debug)]
pub enum Input {
    /// Compiled; `text` is what was typed (for the history).
    Ready { module: Module, text: String },
    /// Did not compile; the message is lua's.
    Error { message: String, text: String },
    /// Ctrl-C while typing.
    Cancelled,
    /// No more input.
    Eof,
}

/// Reads lines until they form a chunk, an error, or the input ends. Input that ends in
/// the middle of a statement is reported with its `<eof>` error, as lua reports it.
pub fn read_input(source: &mut dyn LineSource, prompt: &str, prompt2: &str) -> Input {
    let mut text = match source.read_line(prompt) {
        Line::Text(line) => line,
        Line::Interrupted => return Input::Cancelled,
        Line::Eof => return Input::Eof,
    };
    let mut compiled = compile_first_line(&text);
    loop {
        match compiled {
            Compiled::Ready(module) => return Input::Ready { module, text },
            Compiled::Error(e) => return Input::Error { message: e.to_string(), text },
            Compiled::Incomplete(e) => match source.read_line(prompt2) {
                Line::Text(line) => {
                    text.push('\n');
                    text.push_str(&line);
                    compiled = compile_statements(&text);
                }
                Line::Interrupted => return Input::Cancelled,
                Line::Eof => return Input::Error { message: e.to_string(), text },
            },
        }
    }
}

/// The prompts, from the globals `_PROMPT` and `_PROMPT2` when they are strings or
/// numbers (lua reads them the same way), else `> ` and `>> `.
pub fn prompts(session: &mut Session) -> (String, String) {
    let mut get = |name: &str, default: &str| {
        let vm = session.vm();
        match vm.get_global(name) {
            Ok(v @ (Value::Str(_) | Value::Int(_) | Value::Float(_))) => vm.to_display(v),
            _ => default.to_string(),
        }
    };
    (get("_PROMPT", PROMPT), get("_PROMPT2", PROMPT2))
}

/// The loop: read an input, run it, show its results (on `out`) or its error (on `err`),
/// until the input ends. Ends with a newline on `out`, as lua does.
pub fn run_with(
    session: &mut Session,
    source: &mut dyn LineSource,
    out: &mut dyn Write,
    err: &mut dyn Write,
) {
    loop {
        let (prompt, prompt2) = prompts(session);
        let (module, text) = match read_input(source, &prompt, &prompt2) {
            Input::Eof => break,
            Input::Cancelled => continue,
            Input::Error { message, text } => {
                remember(source, &text);
                // Writes to the terminal that fail leave nothing to tell the user on.
                let _ = writeln!(err, "{message}");
                continue;
            }
            Input::Ready { module, text } => (module, text),
        };
        remember(source, &text);
        match session.run_module(module, "stdin", &[]) {
            Ok(values) if values.is_empty() => {}
            Ok(values) => match host::format_values(session.vm(), &values) {
                Ok(mut line) => {
                    line.push(b'\n');
                    let _ = out.write_all(&line);
                }
                Err(e) => {
                    let _ = writeln!(err, "{}", e.message());
                }
            },
            Err(failure) => {
                let _ = writeln!(err, "{}", failure.describe());
            }
        }
        let _ = out.flush();
    }
    let _ = writeln!(out);
}

fn remember(source: &mut dyn LineSource, text: &str) {
    if !text.is_empty() {
        source.add_history(text);
    }
}

/// The history file: `~/.tarn_history`, when there is a home directory.
fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| std::path::PathBuf::from(h).join(".tarn_history"))
}

/// Lines from `rustyline` (which also reads a pipe, without editing).
struct Editor {
    editor: rustyline::DefaultEditor,
    /// Where each input is appended as soon as it is read, so the history survives a
    /// Ctrl-C that ends the process while code runs.
    history: Option<std::path::PathBuf>,
}

impl LineSource for Editor {
    fn read_line(&mut self, prompt: &str) -> Line {
        match self.editor.readline(prompt) {
            Ok(line) => Line::Text(line),
            Err(rustyline::error::ReadlineError::Interrupted) => Line::Interrupted,
            Err(_) => Line::Eof,
        }
    }

    fn add_history(&mut self, input: &str) {
        // History is a convenience: a full or failing history never stops the REPL.
        let _ = self.editor.add_history_entry(input);
        if let Some(path) = &self.history {
            let _ = self.editor.append_history(path);
        }
    }
}

/// Lines from standard input without an editor, for when `rustyline` cannot start.
struct PlainStdin;

impl LineSource for PlainStdin {
    fn read_line(&mut self, prompt: &str) -> Line {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) => Line::Eof,
            Ok(_) => {
                let trimmed = line.strip_suffix('\n').unwrap_or(&line);
                Line::Text(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
            }
        }
    }
}

/// The REPL on the terminal, with line editing and history kept in `~/.tarn_history`
/// (failures to read or write it are ignored).
pub fn run(session: &mut Session) {
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    match rustyline::DefaultEditor::new() {
        Ok(editor) => {
            let mut editor = Editor { editor, history: history_path() };
            if let Some(path) = &editor.history {
                let _ = editor.editor.load_history(path);
            }
            run_with(session, &mut editor, &mut out, &mut err);
        }
        Err(_) => run_with(session, &mut PlainStdin, &mut out, &mut err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::LimitOptions;

    /// Lines typed in a test, and what the loop remembered.
    struct Script {
        lines: std::collections::VecDeque<Line>,
        prompts: Vec<String>,
        history: Vec<String>,
    }

    impl Script {
        fn new(lines: &[&str]) -> Script {
            Script {
                lines: lines
                    .iter()
                    .map(|&l| if l == "^C" { Line::Interrupted } else { Line::Text(l.to_string()) })
                    .collect(),
                prompts: Vec::new(),
                history: Vec::new(),
            }
        }
    }

    impl LineSource for Script {
        fn read_line(&mut self, prompt: &str) -> Line {
            self.prompts.push(prompt.to_string());
            self.lines.pop_front().unwrap_or(Line::Eof)
        }

        fn add_history(&mut self, input: &str) {
            self.history.push(input.to_string());
        }
    }

    /// Runs the loop over `lines`; returns (stdout, stderr, the script).
    fn repl(lines: &[&str]) -> (String, String, Script) {
        let mut session = Session::new(LimitOptions::default(), false).unwrap();
        let mut script = Script::new(lines);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        run_with(&mut session, &mut script, &mut out, &mut err);
        (String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap(), script)
    }

    #[test]
    fn incomplete_input_is_an_error_at_eof() {
        for text in ["function f()", "if x then", "x = {", "local s = [[", "for i = 1, 2 do print(i)"] {
            assert!(matches!(compile_statements(text), Compiled::Incomplete(_)), "{text}");
        }
        for text in ["x = = 1", "end", "x = }", "local 1"] {
            assert!(matches!(compile_statements(text), Compiled::Error(_)), "{text}");
        }
        assert!(matches!(compile_statements("x = 1"), Compiled::Ready(_)));
    }

    #[test]
    fn first_line_is_tried_as_an_expression_first() {
        for line in ["1 + 1", "x", "f(1), 2", "=3", "nil", ""] {
            assert!(matches!(compile_first_line(line), Compiled::Ready(_)), "{line}");
        }
        // A statement compiles as one; `return` would not take it.
        assert!(matches!(compile_first_line("x = 1"), Compiled::Ready(_)));
        assert!(matches!(compile_first_line("do"), Compiled::Incomplete(_)));
    }

    #[test]
    fn expressions_print_values_and_globals_persist() {
        let (out, err, script) =
            repl(&["x = 1 + 1", "x", "x, x * 2, 'hi', x / 2", "nil", "local y = 5", "y"]);
        assert_eq!(out, "2\n2\t4\thi\t1.0\nnil\nnil\n\n", "stderr: {err}");
        assert_eq!(err, "");
        assert_eq!(script.prompts, vec!["> "; 7]);
    }

    #[test]
    fn continuation_lines_until_the_statement_is_complete() {
        let (out, err, script) = repl(&["function f(a)", "return a * 10", "end", "f(4)"]);
        assert_eq!(out, "40\n\n", "stderr: {err}");
        assert_eq!(script.prompts, vec!["> ", ">> ", ">> ", "> ", "> "]);
        assert_eq!(script.history, vec!["function f(a)\nreturn a * 10\nend", "f(4)"]);
    }

    #[test]
    fn errors_are_reported_and_the_loop_goes_on() {
        let (out, err, _) = repl(&["x = = 1", "nope.field = 1", "1 + 2"]);
        assert_eq!(out, "3\n\n");
        assert!(err.starts_with("stdin:1: unexpected symbol near '='\n"), "{err}");
        assert!(err.contains("stdin:1: attempt to index a nil value (global 'nope')"), "{err}");
        assert!(err.contains("stack traceback:"), "{err}");
    }

    #[test]
    fn input_ending_mid_statement_reports_eof_and_ctrl_c_cancels() {
        let (out, err, _) = repl(&["if true then"]);
        assert_eq!(out, "\n");
        assert!(err.contains("<eof>"), "{err}");
        let (out, err, script) = repl(&["while true do", "^C", "7"]);
        assert_eq!((out.as_str(), err.as_str()), ("7\n\n", ""));
        assert_eq!(script.prompts, vec!["> ", ">> ", "> ", "> "]);
    }

    #[test]
    fn prompt_globals_change_the_prompts() {
        let (_, err, script) = repl(&["_PROMPT = 'lua> '", "_PROMPT2 = 2", "do", "end"]);
        assert_eq!(err, "");
        assert_eq!(script.prompts, vec!["> ", "lua> ", "lua> ", "2", "lua> "]);
    }
}
