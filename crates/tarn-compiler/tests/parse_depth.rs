//! Deeply nested input must fail cleanly or parse, never overflow the stack: the parser,
//! the printer and `Drop` all run here on a thread with the default 2 MiB stack.

use tarn_compiler::ast::{Block, Chunk, Expr, ExprKind, Field, Function, StatKind};
use tarn_compiler::parser::{MAX_DEPTH, MAX_LEVELS};
use tarn_compiler::{parse, print};

const LEVELS_MSG: &str = "chunk has too many syntax levels";

/// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}

/// Parses on a small stack; on success also prints and measures the tree, then drops it
/// there. Returns the error message, or the tree's depth.
fn run(src: String) -> Result<usize, String> {
    on_small_stack(move || match parse(src.as_bytes(), "=t") {
        Ok(chunk) => {
            let _ = print::chunk_to_string(&chunk);
            let d = depth_chunk(&chunk);
            drop(chunk);
            Ok(d)
        }
        Err(e) => Err(e.to_string()),
    })
}

fn depth_chunk(c: &Chunk) -> usize {
    depth_fn(&c.main)
}

fn depth_fn(f: &Function) -> usize {
    1 + depth_block(&f.body)
}

fn depth_block(b: &Block) -> usize {
    1 + b.stats.iter().map(|s| depth_stat(&s.kind)).max().unwrap_or(0)
}

fn depth_exprs(es: &[Expr]) -> usize {
    es.iter().map(depth_expr).max().unwrap_or(0)
}

fn depth_stat(s: &StatKind) -> usize {
    1 + match s {
        StatKind::Assign { targets, values } => depth_exprs(targets).max(depth_exprs(values)),
        StatKind::Call(e) => depth_expr(e),
        StatKind::Local { values, .. } | StatKind::Return { values } => depth_exprs(values),
        StatKind::LocalFunction { func, .. } => depth_fn(func),
        StatKind::Function { target, func, .. } => depth_expr(target).max(depth_fn(func)),
        StatKind::Label { .. } | StatKind::Goto { .. } | StatKind::Break => 0,
        StatKind::Do(b) => depth_block(b),
        StatKind::While { cond, body } | StatKind::Repeat { body, cond } => {
            depth_expr(cond).max(depth_block(body))
        }
        StatKind::If { arms, else_block } => arms
            .iter()
            .map(|(c, b)| depth_expr(c).max(depth_block(b)))
            .max()
            .unwrap_or(0)
            .max(else_block.as_ref().map_or(0, depth_block)),
        StatKind::NumericFor { start, limit, step, body, .. } => depth_expr(start)
            .max(depth_expr(limit))
            .max(step.as_ref().map_or(0, depth_expr))
            .max(depth_block(body)),
        StatKind::GenericFor { exprs, body, .. } => depth_exprs(exprs).max(depth_block(body)),
    }
}

fn depth_expr(e: &Expr) -> usize {
    1 + match &e.kind {
        ExprKind::Index { obj, key } => depth_expr(obj).max(depth_expr(key)),
        ExprKind::Call(c) => depth_expr(&c.func).max(depth_exprs(&c.args)),
        ExprKind::Method(m) => depth_expr(&m.obj).max(depth_exprs(&m.args)),
        ExprKind::Function(f) => depth_fn(f),
        ExprKind::Table(t) => t
            .fields
            .iter()
            .map(|f| match f {
                Field::Positional(v) | Field::Named { value: v, .. } => depth_expr(v),
                Field::Keyed { key, value } => depth_expr(key).max(depth_expr(value)),
            })
            .max()
            .unwrap_or(0),
        ExprKind::Paren(x) | ExprKind::Unary { operand: x, .. } => depth_expr(x),
        ExprKind::Binary { lhs, rhs, .. } => depth_expr(lhs).max(depth_expr(rhs)),
        _ => 0,
    }
}

fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + middle.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

fn assert_levels_error(src: String) {
    let e = run(src).unwrap_err();
    assert!(e.ends_with(LEVELS_MSG), "{e}");
}

const HUGE: usize = 200_000;

#[test]
fn huge_syntactic_nesting_fails_cleanly() {
    assert_levels_error(format!("x = {}", nested("(", "1", ")", HUGE)));
    assert_levels_error(format!("x = {}", nested("{", "", "}", HUGE)));
    assert_levels_error(format!("x = {}", nested("{", "1", ",}", HUGE)));
    assert_levels_error(format!("x = {}1", "not ".repeat(HUGE)));
    assert_levels_error(format!("x = {}1", "- ".repeat(HUGE)));
    assert_levels_error(format!("x = {}1", "~".repeat(HUGE)));
    assert_levels_error(format!("x = {}1", "#".repeat(HUGE)));
    assert_levels_error(nested("do ", "", " end", HUGE));
    assert_levels_error(nested("while 1 do ", "", " end", HUGE));
    assert_levels_error(nested("if x then ", "", " end", HUGE));
    assert_levels_error(nested("repeat ", "", " until x", HUGE));
    // Nested loops run out of local variables (their hidden state) first, as in Lua.
    let e = run(nested("for i = 1, 2 do ", "", " end", HUGE)).unwrap_err();
    assert!(e.contains("too many local variables"), "{e}");
    assert_levels_error(nested("function f() ", "", " end", HUGE));
    assert_levels_error(format!("x = {}", nested("function() return ", "1", " end", HUGE)));
    assert_levels_error(format!("x = {}", nested("f(", "", ")", HUGE)));
    assert_levels_error(format!("x = {}", nested("a[", "1", "]", HUGE)));
    // Right-associative chains recurse, as in Lua.
    assert_levels_error(format!("x = {}1", "a .. ".repeat(HUGE)));
    assert_levels_error(format!("x = {}1", "2 ^ ".repeat(HUGE)));
}

#[test]
fn huge_left_chains_fail_cleanly() {
    let too_complex = |e: String| assert!(e.contains("expression too complex"), "{e}");
    too_complex(run(format!("x = 1{}", " + 1".repeat(100_000))).unwrap_err());
    too_complex(run(format!("x = a{}", ".b".repeat(100_000))).unwrap_err());
    too_complex(run(format!("x = f{}", "()".repeat(100_000))).unwrap_err());
    too_complex(run(format!("x = o{}", ":m()".repeat(100_000))).unwrap_err());
    too_complex(run(format!("x = a{}", "[1]".repeat(100_000))).unwrap_err());
    too_complex(run(format!("x = a{}", " and b".repeat(100_000))).unwrap_err());
    too_complex(run(format!("f{}", "'s'".repeat(100_000))).unwrap_err());
}

#[test]
fn long_flat_lists_are_fine() {
    // Breadth is not depth: long statement lists, argument lists and tables parse.
    run("x = 1\n".repeat(100_000)).unwrap();
    run(format!("f(1{})", ", 1".repeat(100_000))).unwrap();
    run(format!("t = {{1{}}}", ", 1".repeat(100_000))).unwrap();
    run(format!("local a {}= 1", ", b".repeat(150))).unwrap();
}

#[test]
fn nesting_up_to_the_limit_parses() {
    // statement + subexpr + one level per parenthesis.
    let max_parens = MAX_LEVELS as usize - 2;
    run(format!("x = {}", nested("(", "1", ")", max_parens))).unwrap();
    assert_levels_error(format!("x = {}", nested("(", "1", ")", max_parens + 1)));
    run(nested("do ", "", " end", MAX_LEVELS as usize)).unwrap();
    assert_levels_error(nested("do ", "", " end", MAX_LEVELS as usize + 1));
    // Left chains just under the depth limit.
    let terms = MAX_DEPTH as usize - 4;
    run(format!("x = 1{}", " + 1".repeat(terms))).unwrap();
    run(format!("x = a{}", ".b".repeat(terms))).unwrap();
}

/// The nastiest shapes the limits allow: long left chains whose leftmost operands are
/// themselves nested chains, functions or tables. Their depth must stay bounded.
#[test]
fn worst_case_accepted_trees_are_shallow_enough() {
    let chain = |inner: &str, links: usize| format!("({inner}){}", " + 1".repeat(links));
    let mut worst = 0;
    for links in [10, 50, 100, 300] {
        let mut e = "1".to_string();
        for _ in 0..(MAX_LEVELS as usize) {
            let next = chain(&e, links);
            if run(format!("x = {next}")).is_err() {
                break;
            }
            e = next;
        }
        worst = worst.max(run(format!("x = {e}")).unwrap());
    }
    let mut e = "1".to_string();
    for _ in 0..(MAX_LEVELS as usize) {
        let next = format!("(function() return {e} end)(){}", "[1]".repeat(40));
        if run(format!("x = {next}")).is_err() {
            break;
        }
        e = next;
    }
    worst = worst.max(run(format!("x = {e}")).unwrap());
    eprintln!("worst accepted tree depth: {worst}");
    assert!(worst <= 3 * MAX_DEPTH as usize, "tree depth {worst}");
}

#[test]
fn errors_report_a_line() {
    let e = run(format!("\n\nx = {}", nested("(", "1", ")", HUGE))).unwrap_err();
    assert_eq!(e, format!("t:3: {LEVELS_MSG}"));
}
