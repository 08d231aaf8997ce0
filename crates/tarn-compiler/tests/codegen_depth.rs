//! The deepest trees the parser accepts must compile (or fail with a compile error)
//! without overflowing a 2 MiB stack, and the modules must verify.

use tarn_compiler::compile;
use tarn_compiler::parser::{MAX_DEPTH, MAX_LEVELS};

/// The default stack of a spawned thread. (Compiling these needs at most what parsing
/// them does; the chains the parser builds in loops need under 200 KiB in a debug build.)
const STACK: usize = 2 << 20;

/// Compiles on a thread with a 2 MiB stack; on success verifies. Returns the compile
/// error message, if any.
fn compile_small_stack(src: String) -> Result<(), String> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || match compile(src.as_bytes(), "=t") {
            Ok(m) => {
                if let Err(e) = tarn_bytecode::verify(m) {
                    panic!("verifier rejected: {e}");
                }
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        })
        .unwrap()
        .join()
        .unwrap()
}

fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{}{}", open.repeat(n), middle, close.repeat(n))
}

/// Either compiles, or fails cleanly for a documented reason.
fn compiles_or_limit(src: String) {
    match compile_small_stack(src) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("refused (as expected of some shapes): {e}");
            assert!(
                e.contains("too many registers")
                    || e.contains("syntax levels")
                    || e.contains("too complex")
                    || e.contains("too many local variables")
                    || e.contains("too many upvalues"),
                "{e}"
            )
        }
    }
}

#[test]
fn deepest_statement_nesting() {
    let n = MAX_LEVELS as usize;
    for (open, close) in [
        ("do ", " end"),
        ("while x do ", " end"),
        ("if x then ", " end"),
        ("if x then else ", " end"),
        ("repeat ", " until x"),
        ("do local a = 1 local f = function() return a end ", " end"),
        ("while x do local a = 1 local f = function() return a end ", " end"),
        ("for i = 1, 2 do ", " end"),
        ("for k, v in x do ", " end"),
        ("function f() ", " end"),
        ("local function f() local a ", " return a end"),
    ] {
        for k in [n - 2, n - 1, n] {
            compiles_or_limit(nested(open, "x = 1", close, k));
        }
    }
}

#[test]
fn deepest_expressions() {
    let levels = MAX_LEVELS as usize;
    let terms = MAX_DEPTH as usize - 4;
    let shapes = vec![
        format!("x = {}", nested("(", "1", ")", levels - 2)),
        format!("x = {}", nested("{", "", "}", levels - 3)),
        format!("x = {}", nested("{1, ", "", "}", levels - 3)),
        format!("x = {}", nested("f(", "", ")", levels - 3)),
        format!("x = {}", nested("a[", "1", "]", levels - 3)),
        format!("x = {}1", "not ".repeat(levels - 3)),
        format!("x = {}1", "- ".repeat(levels - 3)),
        format!("x = {}y", "- ".repeat(levels - 3)),
        format!("x = {}y", "~".repeat(levels - 3)),
        format!("x = {}y", "#".repeat(levels - 3)),
        format!("x = {}1", "a .. ".repeat(levels - 3)),
        format!("x = {}1", "2 ^ ".repeat(levels - 3)),
        format!("x = {}", nested("function() return ", "1", " end", levels / 2 - 2)),
        format!("x = 1{}", " + 1".repeat(terms)),
        format!("x = y{}", " + y".repeat(terms)),
        format!("x = y{}", " - 1".repeat(terms)),
        format!("x = y{}", " .. y".repeat(levels - 3)),
        format!("x = a{}", ".b".repeat(terms)),
        format!("x = a{}", "[1]".repeat(terms)),
        format!("x = f{}", "()".repeat(terms)),
        format!("x = o{}", ":m()".repeat(terms)),
        format!("x = a{}", " and b".repeat(terms)),
        format!("x = a{}", " or b".repeat(terms)),
        format!("x = a{}", " == b".repeat(terms)),
        format!("x = a{}", " < 1".repeat(terms)),
        format!("if a{} then end", " and b".repeat(terms)),
        format!("if a{} then end", " or b".repeat(terms)),
        format!("if a{} then end", " == b".repeat(terms)),
        format!("while a{} do end", " and not b".repeat(terms / 2)),
        format!("f{}", "'s'".repeat(terms)),
        format!("a{} = 1", ".b".repeat(terms)),
        format!("x = {}", nested("(a and ", "b", ")", levels - 3)),
        format!("if {} then end", nested("(a or ", "b", ")", levels - 3)),
        format!("x = {}", nested("not (a < ", "b", ")", levels / 2 - 2)),
    ];
    for src in shapes {
        compiles_or_limit(src);
    }
}

/// The nastiest shapes the limits allow (see the parser's depth tests).
#[test]
fn worst_case_trees() {
    let chain = |inner: &str, links: usize| format!("({inner}){}", " + 1".repeat(links));
    for links in [10, 50, 100, 300] {
        let mut e = "y".to_string();
        for _ in 0..(MAX_LEVELS as usize) {
            let next = chain(&e, links);
            if tarn_compiler::parse(format!("x = {next}").as_bytes(), "=t").is_err() {
                break;
            }
            e = next;
        }
        compiles_or_limit(format!("x = {e}"));
        compiles_or_limit(format!("if {e} then end"));
    }
    let mut e = "1".to_string();
    for _ in 0..(MAX_LEVELS as usize) {
        let next = format!("(function() return {e} end)(){}", "[1]".repeat(40));
        if tarn_compiler::parse(format!("x = {next}").as_bytes(), "=t").is_err() {
            break;
        }
        e = next;
    }
    compiles_or_limit(format!("x = {e}"));
    let mut e = "y".to_string();
    for _ in 0..(MAX_LEVELS as usize) {
        let next = format!("(a and {e} or b){}", " and c".repeat(40));
        if tarn_compiler::parse(format!("x = {next}").as_bytes(), "=t").is_err() {
            break;
        }
        e = next;
    }
    compiles_or_limit(format!("x = {e}"));
    compiles_or_limit(format!("if {e} then end"));
}
