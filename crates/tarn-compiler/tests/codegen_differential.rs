//! Differential test: random programs (using only `print` and language features) run on
//! Tarn and on `lua5.4` must print the same and fail (or not) alike. Programs always
//! terminate: every loop is bounded. `TARN_DIFF_COUNT=n` runs more programs. Programs
//! avoid `#` on tables with holes, whose result (any border) legitimately differs.

mod common;

use std::fmt::Write;

/// Value kinds the generator keeps apart so most programs run to the end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Num,
    Str,
    Any,
}

const KINDS: [Kind; 4] = [Kind::Int, Kind::Num, Kind::Str, Kind::Any];

struct Gen {
    rng: fastrand::Rng,
    out: String,
    /// Local variables in scope with their kinds, innermost last.
    vars: Vec<(String, Kind)>,
    next_var: usize,
    indent: usize,
    /// Loop nesting (for `break`).
    loops: usize,
    budget: usize,
    /// While set, string variables are not read, so strings cannot double in a loop.
    no_str_vars: bool,
    /// Labels at the end of enclosing loop bodies (for `goto continue`), innermost
    /// last; `None` for loops without one.
    continues: Vec<Option<String>>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: fastrand::Rng::with_seed(seed),
            out: String::new(),
            vars: Vec::new(),
            next_var: 0,
            indent: 0,
            loops: 0,
            budget: 150,
            no_str_vars: false,
            continues: Vec::new(),
        }
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn fresh(&mut self) -> String {
        self.next_var += 1;
        format!("v{}", self.next_var)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    /// A variable of kind `k` (an `Int` variable also serves as `Num`).
    fn var(&mut self, k: Kind) -> Option<String> {
        let no_str = self.no_str_vars;
        let fits = |vk: Kind| {
            (vk == k || (k == Kind::Num && vk == Kind::Int) || k == Kind::Any) && !(no_str && vk == Kind::Str)
        };
        let candidates: Vec<&String> = self.vars.iter().filter(|(_, vk)| fits(*vk)).map(|(n, _)| n).collect();
        if candidates.is_empty() {
            return None;
        }
        let i = self.rng.usize(..candidates.len());
        Some(candidates[i].clone())
    }

    fn leaf(&mut self, k: Kind) -> String {
        if self.rng.u8(..3) > 0 {
            if let Some(v) = self.var(k) {
                return v;
            }
        }
        match k {
            Kind::Int => match self.rng.u8(..6) {
                0 => format!("{}", self.rng.i64(-100_000..100_000)),
                1 => self
                    .pick(&["9223372036854775807", "(-9223372036854775807 - 1)", "0x7fff", "32768"])
                    .into(),
                2 => "T.x".into(),
                _ => format!("{}", self.rng.i64(-5..40)),
            },
            Kind::Num => match self.rng.u8(..3) {
                0 => {
                    self.pick(&["0.5", "-2.25", "3.0", "1e3", "-0.0", "0.1", "1e300", "2^53", "(1/0)"]).into()
                }
                _ => self.leaf(Kind::Int),
            },
            Kind::Str => self
                .pick(&["'a'", "'bc'", "''", "'10'", "'0x10'", "' 3 '", "'2.5'", "\"x\\ty\"", "T.y"])
                .into(),
            Kind::Any => match self.rng.u8(..8) {
                0 => "nil".into(),
                1 => "true".into(),
                2 => "false".into(),
                3 => format!("T[{}]", self.rng.i64(1..6)),
                4 => "T.x".into(),
                _ => {
                    let k = self.pick(&[Kind::Int, Kind::Num, Kind::Str]);
                    self.leaf(k)
                }
            },
        }
    }

    fn expr(&mut self, k: Kind, depth: u32) -> String {
        if depth == 0 || self.rng.u8(..4) == 0 {
            return self.leaf(k);
        }
        let d = depth - 1;
        match k {
            Kind::Int => match self.rng.u8(..9) {
                0..=2 => {
                    let op = self.pick(&["+", "-", "*"]);
                    format!("({} {op} {})", self.expr(Kind::Int, d), self.expr(Kind::Int, d))
                }
                3 => {
                    let op = self.pick(&["//", "%"]);
                    let divisor = self.pick(&[1, 2, 3, -2, 7, 100, -1]);
                    format!("({} {op} {divisor})", self.expr(Kind::Int, d))
                }
                4 | 5 => {
                    let op = self.pick(&["&", "|", "~", "<<", ">>"]);
                    format!("({} {op} {})", self.expr(Kind::Int, d), self.expr(Kind::Int, d))
                }
                6 => format!("(- {})", self.expr(Kind::Int, d)),
                7 => format!("(~{})", self.expr(Kind::Int, d)),
                _ => format!("(#{})", self.expr(Kind::Str, d)),
            },
            Kind::Num => match self.rng.u8(..6) {
                0..=2 => {
                    let op = self.pick(&["+", "-", "*", "/", "^"]);
                    format!("({} {op} {})", self.expr(Kind::Num, d), self.expr(Kind::Num, d))
                }
                3 => {
                    let op = self.pick(&["//", "%"]);
                    let divisor = self.pick(&["2", "0.5", "-3", "7.25"]);
                    format!("({} {op} {divisor})", self.expr(Kind::Num, d))
                }
                4 => format!("(- {})", self.expr(Kind::Num, d)),
                _ => self.expr(Kind::Int, d),
            },
            Kind::Str => match self.rng.u8(..4) {
                0 | 1 => format!("({} .. {})", self.expr(Kind::Str, d), self.expr(Kind::Str, d)),
                2 => format!(
                    "({} .. {} .. {})",
                    self.expr(Kind::Str, d),
                    self.expr(Kind::Num, d),
                    self.expr(Kind::Str, d)
                ),
                _ => format!(
                    "({} and {} or {})",
                    self.cond(d),
                    self.expr(Kind::Str, d),
                    self.expr(Kind::Str, d)
                ),
            },
            Kind::Any => match self.rng.u8(..10) {
                0 | 1 => self.cond(d),
                2 => {
                    let op = self.pick(&["and", "or"]);
                    format!("({} {op} {})", self.expr(Kind::Any, d), self.expr(Kind::Any, d))
                }
                3 => format!("F({}, {})", self.expr(Kind::Any, d), self.expr(Kind::Any, d)),
                4 => format!("(F({}))", self.expr(Kind::Any, d)),
                5 => format!("M:get({})", self.expr(Kind::Any, d)),
                _ => {
                    let k = self.pick(&[Kind::Int, Kind::Num, Kind::Str]);
                    self.expr(k, d)
                }
            },
        }
    }

    /// A boolean-ish expression.
    fn cond(&mut self, depth: u32) -> String {
        let d = depth.saturating_sub(1);
        match self.rng.u8(..8) {
            0 | 1 => {
                let op = self.pick(&["==", "~=", "<", "<=", ">", ">="]);
                format!("{} {op} {}", self.expr(Kind::Num, d), self.expr(Kind::Num, d))
            }
            2 => {
                let op = self.pick(&["==", "~=", "<", "<=", ">", ">="]);
                format!("{} {op} {}", self.expr(Kind::Str, d), self.expr(Kind::Str, d))
            }
            3 => {
                let op = self.pick(&["==", "~="]);
                format!("{} {op} {}", self.expr(Kind::Any, d), self.expr(Kind::Any, d))
            }
            4 => format!("not {}", self.expr(Kind::Any, d)),
            5 if depth > 0 => {
                let op = self.pick(&["and", "or"]);
                format!("({} {op} {})", self.cond(d), self.cond(d))
            }
            6 => format!("not ({})", self.cond(d)),
            _ => self.leaf(Kind::Any),
        }
    }

    fn block(&mut self, depth: u32, n: usize) {
        let saved = self.vars.len();
        self.indent += 1;
        for _ in 0..n {
            self.stat(depth);
        }
        self.indent -= 1;
        self.vars.truncate(saved);
    }

    /// A loop body, sometimes ending with a label that `goto` can continue to.
    fn loop_body(&mut self, depth: u32, n: usize) {
        let label = if self.rng.bool() { Some(format!("c{}", self.fresh())) } else { None };
        self.loops += 1;
        self.continues.push(label.clone());
        let saved = self.vars.len();
        self.indent += 1;
        for _ in 0..n {
            self.stat(depth);
        }
        if let Some(l) = &label {
            self.line(&format!("::{l}::"));
        }
        self.indent -= 1;
        self.vars.truncate(saved);
        self.continues.pop();
        self.loops -= 1;
    }

    fn stat(&mut self, depth: u32) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let d = depth.saturating_sub(1);
        let choice = if depth == 0 { self.rng.u8(..6) } else { self.rng.u8(..24) };
        match choice {
            0 | 1 => {
                let v = self.fresh();
                let k = self.pick(&KINDS);
                let e = self.expr(k, 3);
                self.line(&format!("local {v} = {e}"));
                self.vars.push((v, k));
            }
            2 | 3 => {
                let k = self.pick(&KINDS);
                if let Some(v) = self.var(k) {
                    let k = self.vars.iter().find(|(n, _)| *n == v).map_or(k, |(_, vk)| *vk);
                    self.no_str_vars = true;
                    let e = self.expr(k, 3);
                    self.no_str_vars = false;
                    self.line(&format!("{v} = {e}"));
                }
            }
            4 | 5 => {
                let args: Vec<String> = (0..self.rng.usize(1..4))
                    .map(|_| {
                        let k = self.pick(&KINDS);
                        self.expr(k, 2)
                    })
                    .collect();
                self.line(&format!("print({})", args.join(", ")));
            }
            6 => {
                let (k1, k2) = (self.pick(&KINDS), self.pick(&KINDS));
                if let (Some(a), Some(b)) = (self.var(k1), self.var(k2)) {
                    let ka = self.vars.iter().find(|(n, _)| *n == a).map_or(k1, |(_, vk)| *vk);
                    let kb = self.vars.iter().find(|(n, _)| *n == b).map_or(k2, |(_, vk)| *vk);
                    self.no_str_vars = true;
                    let (x, y) = (self.expr(ka, 2), self.expr(kb, 2));
                    self.no_str_vars = false;
                    // Both targets may be the same variable: then its kind must hold for both.
                    if a != b || ka == kb {
                        self.line(&format!("{a}, {b} = {x}, {y}"));
                    }
                }
            }
            7 => {
                let e = self.expr(Kind::Any, 2);
                let k = self.rng.i64(1..6);
                self.line(&format!("T[{k}] = {e}"));
            }
            8 | 9 => {
                let c = self.cond(2);
                self.line(&format!("if {c} then"));
                self.block(d, 2);
                if self.rng.bool() {
                    let c2 = self.cond(2);
                    self.line(&format!("elseif {c2} then"));
                    self.block(d, 2);
                }
                if self.rng.bool() {
                    self.line("else");
                    self.block(d, 2);
                }
                self.line("end");
            }
            10 => {
                let i = self.fresh();
                let (lo, hi) = (self.rng.i64(-2..3), self.rng.i64(-2..5));
                let step = self.pick(&["1", "1", "2", "-1", "0.5"]);
                self.line(&format!("for {i} = {lo}, {hi}, {step} do"));
                self.vars.push((i, if step == "0.5" { Kind::Num } else { Kind::Int }));
                self.loop_body(d, 2);
                self.vars.pop();
                self.line("end");
            }
            11 => {
                let c = self.fresh();
                let n = self.rng.u8(1..4);
                self.line(&format!("local {c} = 0"));
                self.line(&format!("while {c} < {n} do"));
                self.indent += 1;
                self.line(&format!("{c} = {c} + 1"));
                self.indent -= 1;
                self.loop_body(d, 2);
                self.line("end");
            }
            12 => {
                let c = self.fresh();
                let n = self.rng.u8(1..4);
                self.line(&format!("local {c} = 0"));
                self.line("repeat");
                self.indent += 1;
                self.line(&format!("{c} = {c} + 1"));
                let inner = self.fresh();
                let e = self.expr(Kind::Any, 1);
                self.line(&format!("local {inner} = {e}"));
                self.line(&format!("local f = function() return {inner} end"));
                self.indent -= 1;
                self.vars.push((inner.clone(), Kind::Any));
                self.loops += 1;
                self.continues.push(None);
                self.block(d, 1);
                self.continues.pop();
                self.loops -= 1;
                self.vars.pop();
                self.line(&format!("until {c} >= {n} or f() == nil"));
            }
            13 => {
                // Closures capturing loop variables and locals.
                let (fs, i) = (self.fresh(), self.fresh());
                let e = self.expr(Kind::Any, 1);
                self.line(&format!("local {fs} = {{}}"));
                self.line(&format!("for {i} = 1, 3 do"));
                self.indent += 1;
                self.line(&format!("local c = {i}"));
                self.line(&format!("{fs}[{i}] = function(x) c = c + 1 return c, {i}, x, {e} end"));
                self.indent -= 1;
                self.line("end");
                self.line(&format!("print({fs}[1](1), {fs}[2](2), {fs}[1](3))"));
            }
            14 if self.loops > 0 => {
                let c = self.cond(1);
                self.line(&format!("if {c} then break end"));
            }
            15 => {
                self.line("do");
                self.block(d, 2);
                self.line("end");
            }
            16 => {
                let (a, b) = (self.fresh(), self.fresh());
                let (x, y) = (self.expr(Kind::Any, 1), self.expr(Kind::Any, 1));
                self.line(&format!("local {a}, {b} = F({x}, {y})"));
                self.vars.push((a, Kind::Any));
                self.vars.push((b, Kind::Any));
            }
            17 => {
                let items: Vec<String> = (0..self.rng.usize(0..5)).map(|_| self.expr(Kind::Any, 1)).collect();
                let t = self.fresh();
                let n = self.expr(Kind::Any, 1);
                let items: String = items.iter().map(|i| format!("{i}, ")).collect();
                self.line(&format!("local {t} = {{{items}n = {n}}}"));
                self.line(&format!("print({t}[1], {t}[2], {t}[5], {t}.n)"));
            }
            18 => {
                let f = self.fresh();
                self.line(&format!("local function {f}(n, ...)"));
                self.indent += 1;
                self.line("if n <= 0 then return ... end");
                self.line(&format!("return {f}(n - 1, n, ...)"));
                self.indent -= 1;
                self.line("end");
                let n = self.rng.u8(0..5);
                self.line(&format!("print({f}({n}))"));
            }
            20 if self.continues.last().is_some_and(|c| c.is_some()) => {
                let c = self.cond(1);
                let label = self.continues.last().cloned().flatten().unwrap_or_default();
                self.line(&format!("if {c} then goto {label} end"));
            }
            21 => {
                // Multiple assignment where a later target is used as an earlier key.
                let i = self.fresh();
                let k = self.rng.i64(1..4);
                let e = self.expr(Kind::Any, 1);
                self.line(&format!("local {i} = {k}"));
                self.line(&format!("T[{i}], {i}, T[{i} + 1] = {i} + 10, {i} + 1, {e}"));
                self.line(&format!("print({i}, T[1], T[2], T[3], T[4])"));
            }
            22 => {
                // A backward goto loop with a captured variable.
                let (l, n, fs) = (self.fresh(), self.fresh(), self.fresh());
                self.line(&format!("local {n}, {fs} = 0, {{}}"));
                self.line("do");
                self.indent += 1;
                self.line(&format!("::{l}::"));
                self.line(&format!("local x = {n} * 2"));
                self.line(&format!("{fs}[{n}] = function() x = x + 1 return x end"));
                self.line(&format!("{n} = {n} + 1"));
                let m = self.rng.u8(1..4);
                self.line(&format!("if {n} < {m} then goto {l} end"));
                self.indent -= 1;
                self.line("end");
                self.line(&format!("print({fs}[0](), {fs}[0](), {fs}[{m} - 1]())"));
            }
            23 => {
                // Varargs in every position.
                let f = self.fresh();
                self.line(&format!("local function {f}(...)"));
                self.indent += 1;
                self.line("local a, b = ...");
                self.line("local t = {..., n = select_n}");
                self.line("return b, ..., a, (...), t[2]");
                self.indent -= 1;
                self.line("end");
                let args: Vec<String> = (0..self.rng.usize(0..4)).map(|_| self.expr(Kind::Any, 1)).collect();
                self.line(&format!("print({f}({}))", args.join(", ")));
            }
            _ => {
                if let Some(v) = self.var(Kind::Any) {
                    let e = self.expr(Kind::Any, 2);
                    if self.vars.iter().any(|(n, k)| *n == v && *k == Kind::Any) {
                        self.line(&format!("{v} = ({v} and {e}) or ({e} ~= {v})"));
                    }
                }
            }
        }
    }

    fn program(mut self) -> String {
        self.line("local T = {1, 'two', 3.5, x = 4, y = 's'}");
        self.line("local M = {k = 7}");
        self.line("function M:get(x) return self.k, x end");
        self.line("local function F(a, b) if a == nil then return b end return a, b end");
        for _ in 0..self.rng.usize(4..14) {
            self.stat(3);
        }
        let mut out = self.out;
        let _ = writeln!(out, "print('end')");
        out
    }
}

/// `TARN_DIFF_SHOW=seed` prints that seed's program (for debugging the generator).
#[test]
fn show_program() {
    if let Some(seed) = std::env::var("TARN_DIFF_SHOW").ok().and_then(|s| s.parse().ok()) {
        println!("{}", Gen::new(seed).program());
    }
}

#[test]
fn random_programs_match_lua() {
    if common::run_lua("").is_none() {
        return;
    }
    let count: u64 = std::env::var("TARN_DIFF_COUNT").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let mut failures = Vec::new();
    let mut finished = 0;
    for seed in 0..count {
        let src = Gen::new(seed).program();
        let (out, err) = common::run(&src);
        let Some((lua_out, lua_err)) = common::run_lua(&src) else { return };
        finished += usize::from(err.is_none());
        // Error messages may differ in wording where the VM words them differently
        // (reported separately); output and whether it failed must agree. The sign of a
        // NaN is not specified (C compilers reorder commutative operands), so `-nan` and
        // `nan` are the same here.
        let (out, lua_out) = (out.replace("-nan", "nan"), lua_out.replace("-nan", "nan"));
        if out != lua_out || err.is_some() != lua_err.is_some() {
            failures.push(format!(
                "seed {seed}:\n{src}\n--- tarn: {out:?} {err:?}\n--- lua:  {lua_out:?} {lua_err:?}\n{}",
                common::disasm(&src)
            ));
        }
    }
    eprintln!("{finished} of {count} random programs ran to the end");
    assert!(failures.is_empty(), "{} of {count} programs differ:\n{}", failures.len(), failures[0]);
}
