//! Parser tests: every statement, precedence and associativity rule, and name
//! resolution, checked through the S-expression printer (`$x` local, `^x` upvalue, `x`
//! global, `*` captured, `!` block that must close upvalues).

use tarn_compiler::ast::{ExprKind, StatKind, UpvalSource};
use tarn_compiler::{parse, print};

fn dump(src: &str) -> String {
    let chunk = parse(src.as_bytes(), "=t").unwrap_or_else(|e| panic!("{src:?}: {e}"));
    print::chunk_to_string(&chunk)
}

/// The printed form of `return <src>`'s expression.
fn expr(src: &str) -> String {
    let d = dump(&format!("return {src}"));
    d.strip_prefix("(return ").and_then(|s| s.strip_suffix(')')).unwrap_or(&d).to_string()
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 * 2 + 3", "(+ (* 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("a .. b .. c", "(.. a (.. b c))"),
        ("a ^ b ^ c", "(^ a (^ b c))"),
        ("-x ^ 2", "(- (^ x 2))"),
        ("2 ^ -3", "(^ 2 (- 3))"),
        ("-2 ^ -3 ^ 2", "(- (^ 2 (- (^ 3 2))))"),
        ("not a == b", "(== (not a) b)"),
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c and d", "(or (and a b) (and c d))"),
        ("a < b == c", "(== (< a b) c)"),
        ("a | b ~ c & d << e .. f", "(| a (~ b (& c (<< d (.. e f)))))"),
        ("a << b >> c", "(>> (<< a b) c)"),
        ("1 .. 2 + 3", "(.. 1 (+ 2 3))"),
        ("a + b .. c + d", "(.. (+ a b) (+ c d))"),
        ("a // b % c / d * e", "(* (/ (% (// a b) c) d) e)"),
        ("#a + -b * ~c", "(+ (# a) (* (- b) (~ c)))"),
        ("not not a", "(not (not a))"),
        ("- - a", "(- (- a))"),
        ("~ ~ a", "(~ (~ a))"),
        ("a ~ ~b", "(~ a (~ b))"),
        ("a ~= b", "(~= a b)"),
        ("a > b >= c <= d", "(<= (>= (> a b) c) d)"),
        ("(a + b) * c", "(* (paren (+ a b)) c)"),
        ("a .. b ^ c .. d", "(.. a (.. (^ b c) d))"),
        ("#t ^ 2", "(# (^ t 2))"),
        ("a or b or c", "(or (or a b) c)"),
    ];
    for (src, want) in cases {
        assert_eq!(expr(src), want, "{src}");
    }
}

#[test]
fn primary_and_suffixed_expressions() {
    let cases = [
        ("nil, true, false, ...", "nil true false ..."),
        ("a.b.c", "(index (index a \"b\") \"c\")"),
        ("a[b][1]", "(index (index a b) 1)"),
        ("f()", "(call f)"),
        ("f(1, 2)(3)", "(call (call f 1 2) 3)"),
        ("f 'x'", "(call f \"x\")"),
        ("f [[x]]", "(call f \"x\")"),
        ("f {1}", "(call f (table 1))"),
        ("o:m(1)", "(method-call o m 1)"),
        ("o:m 's'", "(method-call o m \"s\")"),
        ("o:m{}", "(method-call o m (table))"),
        ("o.a:b(1).c", "(index (method-call (index o \"a\") b 1) \"c\")"),
        ("(f())", "(paren (call f))"),
        ("(...)", "(paren ...)"),
        ("('s'):rep(2)", "(method-call (paren \"s\") rep 2)"),
        ("{}", "(table)"),
        ("{1, 2; 3,}", "(table 1 2 3)"),
        ("{x = 1, ['y'] = 2, 3; f()}", "(table (= x 1) ([] \"y\" 2) 3 (call f))"),
        ("{x}", "(table x)"),
        ("{x == 1}", "(table (== x 1))"),
        ("function() end", "(function ())"),
        ("function(a, b, ...) return a end", "(function (a b ...)\n  (return $a))"),
        ("function(...) return ... end", "(function (...)\n  (return ...))"),
    ];
    for (src, want) in cases {
        assert_eq!(expr(src), want, "{src}");
    }
}

#[test]
fn statements() {
    let cases = [
        (";;; ;", ""),
        ("x = 1", "(set (x) 1)"),
        ("x, y.z, w[1] = 1, 2", "(set (x (index y \"z\") (index w 1)) 1 2)"),
        ("f(1)", "(call f 1)"),
        ("o:m()", "(method-call o m)"),
        ("local a", "(local (a))"),
        ("local a, b = 1", "(local (a b) 1)"),
        ("local a <const>, b <close> = 1, 2", "(local (a<const> b<close>) 1 2)"),
        ("local x = x", "(local (x) x)"),
        ("local x; local x = x", "(local (x))\n(local (x) $x)"),
        ("do local a end a = 1", "(do\n  (local (a)))\n(set (a) 1)"),
        ("while a do f() end", "(while a\n  (call f))"),
        ("repeat local x until x", "(repeat\n  (local (x))\n  (until $x))"),
        ("if a then f() end", "(if a\n  (call f))"),
        ("if a then elseif b then f() else g() end", "(if a\n elseif b\n  (call f)\n else\n  (call g))"),
        ("for i = 1, 2 do end", "(for i 1 2)"),
        ("for i = 1, 2, 3 do f(i) end", "(for i 1 2 3\n  (call f $i))"),
        ("for k, v in pairs(t) do f(k, v) end", "(for-in (k v) ((call pairs t))\n  (call f $k $v))"),
        ("for k in a, b, c do end", "(for-in (k) (a b c))"),
        ("function f() end", "(function-stat f (function ()))"),
        ("function a.b.c() end", "(function-stat (index (index a \"b\") \"c\") (function ()))"),
        (
            "function a.b:c(x) return self end",
            "(method (index (index a \"b\") \"c\") (function (self x)\n  (return $self)))",
        ),
        ("local function f() return f end", "(local-function f* (function () [f]\n  (return ^f)))"),
        ("local f = function() return f end", "(local (f) (function () [_ENV]\n  (return f)))"),
        ("return", "(return)"),
        ("return;", "(return)"),
        ("return 1, 2;", "(return 1 2)"),
        ("do return end", "(do\n  (return))"),
        ("while true do break end", "(while true\n  (break))"),
        ("::a:: goto a", "(label a)\n(goto a)"),
        ("goto a; ::a::", "(goto a)\n(label a)"),
        ("do goto a end ::a::", "(do\n  (goto a))\n(label a)"),
        ("::a:: ; ::b::", "(label a)\n(label b)"),
        ("local t <close> = x", "(local (t<close>) x)"),
    ];
    for (src, want) in cases {
        assert_eq!(dump(src), want, "{src}");
    }
}

#[test]
fn resolution_locals_upvalues_globals() {
    assert_eq!(
        dump("local a function f() local b return function() return a, b, c end end"),
        "(local (a*) )\n(function-stat f (function () [a _ENV] !\n  (local (b*))\n  (return (function () [a b _ENV]\n    (return ^a ^b c)))))"
            .replace("(local (a*) )", "(local (a*))")
    );
    // A loop variable captured by a closure: the loop body must close per iteration.
    assert_eq!(
        dump("for i = 1, 3 do fs[i] = function() return i end end"),
        "(for i* 1 3 !\n  (set ((index fs $i)) (function () [i]\n    (return ^i))))"
    );
    // `<close>` makes its block close even if nothing is captured.
    assert_eq!(dump("do local x <close> = f() end"), "(do !\n  (local (x<close>) (call f)))");
    // Uncaptured block locals do not need a close.
    assert_eq!(dump("do local x = 1 end"), "(do\n  (local (x) 1))");
    // repeat-until: the condition sees the body's locals and may capture them.
    assert_eq!(
        dump("repeat local x = 1 until function() return x end"),
        "(repeat !\n  (local (x*) 1)\n  (until (function () [x]\n    (return ^x))))"
    );
    // local _ENV changes what globals mean.
    let chunk = parse(b"local _ENV = {} x = 1", "=t").unwrap();
    let StatKind::Assign { targets, .. } = &chunk.main.body.stats[1].kind else { panic!() };
    assert!(matches!(targets[0].kind, ExprKind::Global { env: tarn_compiler::ast::VarRef::Local(_), .. }));
}

#[test]
fn upvalue_sources_chain_through_functions() {
    let chunk = parse(b"local a return function() return function() return a, x end end", "=t").unwrap();
    let main = &chunk.main;
    assert!(main.is_vararg);
    assert_eq!(main.upvalues.len(), 1);
    assert_eq!(main.upvalues[0].source, UpvalSource::Env);
    assert!(main.locals[0].captured);
    let StatKind::Return { values } = &main.body.stats[1].kind else { panic!() };
    let ExprKind::Function(f1) = &values[0].kind else { panic!() };
    assert!(!f1.is_vararg);
    let srcs: Vec<_> = f1.upvalues.iter().map(|u| u.source).collect();
    assert_eq!(
        srcs,
        [
            UpvalSource::ParentLocal(tarn_compiler::ast::LocalId(0)),
            UpvalSource::ParentUpvalue(tarn_compiler::ast::UpvalId(0))
        ]
    );
    let StatKind::Return { values } = &f1.body.stats[0].kind else { panic!() };
    let ExprKind::Function(f2) = &values[0].kind else { panic!() };
    let srcs: Vec<_> = f2.upvalues.iter().map(|u| u.source).collect();
    assert_eq!(
        srcs,
        [
            UpvalSource::ParentUpvalue(tarn_compiler::ast::UpvalId(0)),
            UpvalSource::ParentUpvalue(tarn_compiler::ast::UpvalId(1))
        ]
    );
}

#[test]
fn gotos_resolve_to_labels() {
    let chunk = parse(b"::top:: do goto out end goto top ::out:: do ::inner:: goto inner end", "=t").unwrap();
    let f = &chunk.main;
    assert_eq!(f.num_labels, 3);
    let mut gotos = Vec::new();
    fn walk(b: &tarn_compiler::ast::Block, out: &mut Vec<(String, u32)>, f: &tarn_compiler::ast::Function) {
        for s in &b.stats {
            match &s.kind {
                StatKind::Goto { id, .. } => out.push(("goto".into(), f.goto_target(*id).unwrap().0)),
                StatKind::Label { id, .. } => out.push(("label".into(), id.0)),
                StatKind::Do(b) => walk(b, out, f),
                _ => {}
            }
        }
    }
    walk(&f.body, &mut gotos, f);
    // label top=0; goto out -> label out; goto top -> 0; label out; inner top; goto inner top.
    let out_id = gotos.iter().find(|g| g.0 == "label" && g.1 != 0).unwrap().1;
    assert_eq!(gotos[1], ("goto".into(), out_id));
    assert_eq!(gotos[2], ("goto".into(), 0));
    let inner = gotos[4].1;
    assert_eq!(gotos[5], ("goto".into(), inner));
    assert_ne!(inner, 0);
}

#[test]
fn lines_of_calls_and_operators() {
    let chunk = parse(b"local x = a\n+\nb\nf\n(\n1\n)", "=t").unwrap();
    let StatKind::Local { values, .. } = &chunk.main.body.stats[0].kind else { panic!() };
    assert_eq!(values[0].line, 2, "a binary operator has the operator's line");
    let call = &chunk.main.body.stats[1];
    assert_eq!(call.line, 4);
    let StatKind::Call(e) = &call.kind else { panic!() };
    assert_eq!(e.line, 4, "a call has the line where its function expression starts");
}

#[test]
fn function_lines_and_params() {
    let chunk = parse(b"local function f(a, b)\nend\nfunction g.h:m(...)\n\nend", "=t").unwrap();
    let StatKind::LocalFunction { func, .. } = &chunk.main.body.stats[0].kind else { panic!() };
    assert_eq!((func.line, func.end_line, func.num_params, func.is_vararg), (1, 2, 2, false));
    let StatKind::Function { func, is_method, .. } = &chunk.main.body.stats[1].kind else { panic!() };
    assert!(*is_method);
    assert_eq!((func.line, func.end_line, func.num_params, func.is_vararg), (3, 5, 1, true));
}
