//! The example programs in `examples/` and the code blocks of `docs/tasm.md` assemble,
//! round-trip through the disassembler, and pass the verifier.

use std::path::PathBuf;

use tarn_bytecode::module::*;
use tarn_bytecode::text::{assemble, disassemble};
use tarn_bytecode::*;

fn workspace_file(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn assemble_file(path: &str) -> Module {
    let module = assemble(&workspace_file(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(assemble(&disassemble(&module)).as_ref(), Ok(&module), "{path} does not round-trip");
    module
}

/// The verifier accepts the module (the examples are run by the VM's and CLI's tests).
fn check_structure(m: &Module) -> Result<(), String> {
    verify(m.clone()).map(drop).map_err(|e| e.to_string())
}

#[test]
fn fib_example() {
    let m = assemble_file("examples/fib.tasm");
    check_structure(&m).unwrap();
    assert_eq!(m.functions.len(), 2);
    assert_eq!(m.functions[0].children, vec![1]);
    assert_eq!(m.functions[1].upvalues, vec![UpvalSource::ParentRegister(0)]);
    assert!(m.functions[0].code.contains(&Instr::LoadInt { dst: Reg(2), value: Imm(30) }));
    assert_eq!(m.imports.len(), 1, "the example prints its result");
}

#[test]
fn loop_example() {
    let m = assemble_file("examples/loop.tasm");
    check_structure(&m).unwrap();
    assert_eq!(m.constants, vec![Constant::Int(1_000_000), Constant::Float(1.0)]);
    let code = &m.functions[0].code;
    assert!(code.iter().any(|i| i.opcode() == Opcode::ForPrep));
    assert!(code.iter().any(|i| i.opcode() == Opcode::ForLoop));
}

#[test]
fn counter_example() {
    let m = assemble_file("examples/counter.tasm");
    check_structure(&m).unwrap();
    assert_eq!(m.functions.len(), 3);
    assert_eq!(m.functions[0].children, vec![1]);
    assert_eq!(m.functions[1].children, vec![2]);
    assert_eq!(m.functions[2].upvalues, vec![UpvalSource::ParentRegister(0)]);
}

/// Every ```tasm block in the language reference assembles and round-trips.
#[test]
fn reference_examples_assemble() {
    let doc = workspace_file("docs/tasm.md");
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (index, line) in doc.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```tasm") => current = Some((index + 1, String::new())),
            Some((start, text)) if line.trim_start().starts_with("```") => {
                blocks.push((*start, std::mem::take(text)));
                current = None;
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(blocks.len() >= 3, "docs/tasm.md should have tasm examples");
    for (start, text) in blocks {
        let module =
            assemble(&text).unwrap_or_else(|e| panic!("docs/tasm.md block at line {start}: {e}\n{text}"));
        assert_eq!(assemble(&disassemble(&module)).as_ref(), Ok(&module));
    }
}

/// The full example of the reference is a complete, well-formed program.
#[test]
fn reference_full_example_is_well_formed() {
    let doc = workspace_file("docs/tasm.md");
    let start = doc.find("```tasm full-example").expect("the reference has a full example");
    let body = &doc[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let body = &body[..body.find("```").unwrap()];
    let m = assemble(body).unwrap();
    check_structure(&m).unwrap();
}
