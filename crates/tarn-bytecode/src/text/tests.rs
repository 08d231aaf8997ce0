//! Property tests for the text format, kept beside it because they need the crate's
//! random module generator (`testgen`, compiled for unit tests).
//!
//! - Round trip: `assemble(&disassemble(&m)) == Ok(m)` for random modules, and for random
//!   modules bent further into shapes the generator does not make (debug tables that do
//!   not line up, names that need quoting, duplicated tables, extreme numbers).
//! - Robustness: the assembler never panics on mutated text.

use proptest::prelude::*;

use super::{assemble, disassemble};
use crate::module::*;
use crate::testgen::{random_module, Shape};

fn assert_round_trip(module: &Module) {
    let text = disassemble(module);
    match assemble(&text) {
        Ok(back) => assert!(
            back == *module,
            "round trip changed the module\n--- text:\n{text}\n--- before: {module:#?}\n--- after: {back:#?}"
        ),
        Err(e) => panic!("disassembly does not assemble: {e}\n--- text:\n{text}"),
    }
}

/// Names that are hard to write: empty, spaces, quotes, escapes, control characters,
/// look-alikes of generated names and of operand spellings.
const AWKWARD_NAMES: &[&str] = &[
    "",
    " ",
    "f0",
    "f1",
    "r0",
    "k1",
    "nil",
    "a\"b",
    "back\\slash",
    "line\nbreak",
    "tab\t",
    "\u{0}",
    "\u{2028}",
    "\u{202e}rtl",
    "名前",
    "é",
    "x y",
    ";comment",
    "@L1",
    "$x",
    "%1",
    "\u{feff}",
    "fib",
];

/// Pushes a random module into corners the generator does not reach.
fn bend(rng: &mut fastrand::Rng, m: &mut Module) {
    let awkward = |rng: &mut fastrand::Rng| AWKWARD_NAMES[rng.usize(0..AWKWARD_NAMES.len())].to_string();
    if rng.u8(0..4) == 0 {
        m.flags = rng.u32(..);
    }
    if rng.u8(0..3) == 0 {
        m.constants.push(Constant::Int(if rng.bool() { i64::MIN } else { i64::MAX }));
        m.constants.push(Constant::Float(f64::from_bits(rng.u64(..))));
        m.constants.push(Constant::Str(awkward(rng).into_bytes()));
        m.constants.push(Constant::Float(-0.0));
        // NaNs with a payload and with the sign bit set.
        m.constants
            .push(Constant::Float(f64::from_bits(0x7ff0_0000_0000_0001 | rng.u64(..0x000f_ffff_ffff_ffff))));
        m.constants.push(Constant::Float(f64::from_bits(0xfff8_0000_0000_0000)));
    }
    if rng.u8(0..3) == 0 {
        if let Some(d) = m.constants.first().cloned() {
            m.constants.push(d);
        }
    }
    for f in &mut m.functions {
        if rng.u8(0..4) == 0 {
            f.constants.push(rng.u32(..));
        }
        if rng.u8(0..4) == 0 {
            if let Some(&c) = f.children.first() {
                f.children.push(c);
            }
        }
        if rng.u8(0..5) == 0 {
            f.children.push(rng.u32(..));
        }
    }
    if rng.u8(0..4) == 0 {
        m.imports.push(ImportDecl { name: awkward(rng) });
        if let Some(first) = m.imports.first().cloned() {
            m.imports.push(first);
        }
    }
    if rng.u8(0..4) == 0 {
        m.exports.push(Export { name: awkward(rng), function: rng.u32(..) });
    }
    if rng.u8(0..4) == 0 {
        m.entry = Some(rng.u32(..));
    }
    if rng.u8(0..4) == 0 {
        m.custom.push(CustomSection { name: awkward(rng), data: vec![0, 0xff, b'\n', b'"'] });
    }
    if let Some(debug) = &mut m.debug {
        if rng.u8(0..4) == 0 {
            debug.source = awkward(rng);
        }
        for d in &mut debug.functions {
            match rng.u8(0..8) {
                0 => d.name = Some(awkward(rng)),
                1 => d.lines.push(rng.u32(..)),
                2 => d.upvalue_names.push(awkward(rng)),
                3 => d.lines = vec![0; rng.usize(0..3)],
                4 => d.locals.push(LocalInfo {
                    name: awkward(rng),
                    register: rng.u8(..),
                    start_pc: rng.u32(..),
                    end_pc: rng.u32(..),
                }),
                _ => {}
            }
        }
        match rng.u8(0..5) {
            0 => {
                let keep = rng.usize(0..=debug.functions.len());
                debug.functions.truncate(keep);
            }
            1 => debug.functions.push(FunctionDebug {
                name: Some(awkward(rng)),
                line_defined: 3,
                last_line: 4,
                lines: vec![1, 2],
                locals: vec![LocalInfo { name: "x".into(), register: 1, start_pc: 0, end_pc: 9 }],
                upvalue_names: vec![awkward(rng)],
            }),
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_modules_round_trip(seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        assert_round_trip(&random_module(&mut rng, Shape::default()));
    }

    #[test]
    fn bent_modules_round_trip(seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut module = random_module(&mut rng, Shape { max_functions: 6, max_code: 40, max_constants: 12 });
        bend(&mut rng, &mut module);
        assert_round_trip(&module);
    }
}

#[test]
fn edge_modules_round_trip() {
    assert_round_trip(&Module::default());
    assert_round_trip(&Module { debug: Some(DebugInfo::default()), ..Module::default() });
    assert_round_trip(&Module { functions: vec![Function::default()], ..Module::default() });
    // A function with an empty line table next to one with a present one; a debug entry
    // for a function that does not exist.
    let two = vec![Function::default(), Function::default()];
    assert_round_trip(&Module {
        functions: two.clone(),
        debug: Some(DebugInfo {
            source: "=stdin".into(),
            functions: vec![
                FunctionDebug::default(),
                FunctionDebug { lines: vec![7], ..FunctionDebug::default() },
            ],
        }),
        ..Module::default()
    });
    assert_round_trip(&Module {
        functions: two,
        debug: Some(DebugInfo { source: String::new(), functions: vec![FunctionDebug::default(); 4] }),
        ..Module::default()
    });
}

/// Characters likely to break a hand-written parser.
const NOISE: &[char] = &[
    '"', '\\', '@', '$', '%', ';', ',', '=', '*', '-', '+', '.', '[', ']', '(', ')', ':', 'r', 'k', 'x', 'u',
    '{', '}', '0', '9', 'e', '\n', ' ', '\t', 'é', '\u{2028}', '\r',
];

fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.usize(1..6) {
        let at = rng.usize(0..=chars.len());
        match rng.u8(0..6) {
            0 | 1 => chars.insert(at, NOISE[rng.usize(0..NOISE.len())]),
            2 => chars.insert(at, rng.char(..)),
            3 if at < chars.len() => {
                let end = (at + rng.usize(1..20)).min(chars.len());
                chars.drain(at..end);
            }
            4 => {
                // Duplicate a slice: repeated directives, labels, operands.
                let end = (at + rng.usize(1..40)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                let to = rng.usize(0..=chars.len());
                chars.splice(to..to, copy);
            }
            _ => {
                let digits =
                    ["99999999999999999999999999", "256", "65536", "-32769", "4294967296", "0x", "1e999"];
                let d = digits[rng.usize(0..digits.len())];
                chars.splice(at..at, d.chars());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn assembler_never_panics_on_mutated_text() {
    let mut rng = fastrand::Rng::with_seed(0x7a5e);
    let mut seeds: Vec<String> = (0..20)
        .map(|_| {
            let mut m = random_module(&mut rng, Shape::default());
            bend(&mut rng, &mut m);
            disassemble(&m)
        })
        .collect();
    seeds.push(include_str!("../../../../examples/fib.tasm").to_string());
    seeds.push(include_str!("../../../../examples/loop.tasm").to_string());
    seeds.push(include_str!("../../../../examples/counter.tasm").to_string());
    let mut accepted = 0;
    for i in 0..4000 {
        let seed = &seeds[i % seeds.len()];
        let text = mutate(&mut rng, seed);
        match assemble(&text) {
            Ok(_) => accepted += 1,
            Err(e) => match e.kind() {
                // The error points into the text and says something.
                crate::ErrorKind::Asm(e) => {
                    let lines = text.split('\n').count();
                    assert!((1..=lines).contains(&e.line), "line {} of {lines}: {e}", e.line);
                    assert!(!e.message.is_empty());
                    if let Some(column) = e.column {
                        let width = text.split('\n').nth(e.line - 1).map_or(0, |l| l.chars().count());
                        assert!((1..=width + 1).contains(&column), "column {column} of {width}: {e}");
                    }
                }
                other => panic!("not an assembly error: {other:?}"),
            },
        }
    }
    // Some mutations land in comments or whitespace; most must be caught.
    assert!(accepted < 4000, "every mutation was accepted");
}
