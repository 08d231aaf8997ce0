//! The example programs in `examples/` and the code blocks of `docs/tasm.md` assemble, and
//! the examples are well-formed enough for the VM team to run: a light structural check
//! stands in for the verifier until it exists (it checks indices and the child forest,
//! not register ranges of calls and loops).

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

/// Index and structure facts the verifier will check, as far as they can be checked
/// without instruction semantics.
fn check_structure(m: &Module) -> Result<(), String> {
    let entry = m.entry.ok_or("no entry")? as usize;
    if entry >= m.functions.len() {
        return Err("entry out of range".into());
    }
    let mut parent: Vec<Option<usize>> = vec![None; m.functions.len()];
    for (index, f) in m.functions.iter().enumerate() {
        for &child in &f.children {
            let child = child as usize;
            if child <= index || child >= m.functions.len() {
                return Err(format!("function {index}: child {child} is not a later function"));
            }
            if parent[child].replace(index).is_some() {
                return Err(format!("function {child} has two parents"));
            }
        }
    }
    for (index, f) in m.functions.iter().enumerate() {
        let here = |msg: String| format!("function {index}: {msg}");
        if f.num_params > f.num_registers {
            return Err(here("more parameters than registers".into()));
        }
        for &k in &f.constants {
            if k as usize >= m.constants.len() {
                return Err(here(format!("constant %{k} not in the pool")));
            }
        }
        for source in &f.upvalues {
            match (source, parent[index]) {
                (UpvalSource::Globals, _) => {}
                (_, None) => return Err(here("a root function captures from a parent".into())),
                (UpvalSource::ParentRegister(r), Some(p)) if *r >= m.functions[p].num_registers => {
                    return Err(here(format!("captures r{r}, beyond its parent's registers")))
                }
                (UpvalSource::ParentUpval(u), Some(p)) if *u as usize >= m.functions[p].upvalues.len() => {
                    return Err(here(format!("captures u{u}, beyond its parent's upvalues")))
                }
                _ => {}
            }
        }
        if !matches!(f.code.last(), Some(last) if !last.falls_through()) {
            return Err(here("control can fall off the end".into()));
        }
        for (pc, instr) in f.code.iter().enumerate() {
            let mut problem = None;
            instr.for_each_operand(|name, value| {
                let ok = match value {
                    OperandValue::Reg(Reg(r)) => r < f.num_registers,
                    OperandValue::Const(Const(k)) => (k as usize) < f.constants.len(),
                    OperandValue::Upval(Upval(u)) => (u as usize) < f.upvalues.len(),
                    OperandValue::Proto(Proto(p)) => (p as usize) < f.children.len(),
                    OperandValue::Import(Import(i)) => (i as usize) < m.imports.len(),
                    OperandValue::Jump(j) => j.target(pc).is_some_and(|t| t < f.code.len()),
                    OperandValue::Imm(_)
                    | OperandValue::Int(_)
                    | OperandValue::Count(_)
                    | OperandValue::VarCount(_) => true,
                };
                if !ok && problem.is_none() {
                    problem = Some(format!("pc {pc}: operand '{name}' out of range"));
                }
            });
            if let Some(problem) = problem {
                return Err(here(problem));
            }
        }
    }
    let root = &m.functions[entry];
    if parent[entry].is_some() || root.upvalues.iter().any(|u| *u != UpvalSource::Globals) {
        return Err("the entry function must be a root with only globals upvalues".into());
    }
    Ok(())
}

#[test]
fn fib_example() {
    let m = assemble_file("examples/fib.tasm");
    check_structure(&m).unwrap();
    assert_eq!(m.functions.len(), 2);
    assert_eq!(m.functions[0].children, vec![1]);
    assert_eq!(m.functions[1].upvalues, vec![UpvalSource::ParentRegister(0)]);
    assert!(m.functions[0].code.contains(&Instr::LoadInt { dst: Reg(2), value: Imm(30) }));
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

#[test]
fn structure_check_catches_problems() {
    // The check above is only worth something if it can fail.
    let bad = assemble(".entry f\n.function f registers=1\nmove r0, r1\nreturn r0, 1\n.end").unwrap();
    assert!(check_structure(&bad).unwrap_err().contains("operand 'src' out of range"));
    let bad = assemble(".entry f\n.function f\n.upval r0\nnop\n.end").unwrap();
    assert!(check_structure(&bad).is_err());
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
