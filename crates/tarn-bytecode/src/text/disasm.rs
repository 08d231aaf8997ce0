//! The disassembler: [`Module`] to `.tasm` text, readable like `luac -l` and exact.
//!
//! Every instruction line shows its pc, its source line (when the module has a line
//! table), the mnemonic and operands, and a comment with the value of each constant
//! operand and the target of each jump. Jump targets inside the code get generated labels
//! (`@L7` for pc 7); anything else is printed raw (`@+5`, `k300`, `.child 9`) so that a
//! malformed module reads back as the same malformed module.
//!
//! Invariant: `assemble(&disassemble(m)) == Ok(m)` for every module. To keep it, the
//! output declares every table entry explicitly (the pool with `.pool`, each function's
//! constants as `.const %N`, children with `.child`) and never relies on the assembler's
//! conveniences (named constants, inline strings, implicit children, inferred register
//! counts), and a debug table that does not line up with the code is written in its
//! explicit form (`.lines`, `.upvalnames`, `.nodebug`, `.debugentry`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use super::literal::{self, constant, constant_comment, quote};
use crate::module::*;
use crate::operand::*;

/// Column where trailing comments start, when the code leaves room.
const COMMENT_COLUMN: usize = 44;

pub(super) fn disassemble(module: &Module) -> String {
    let symbols = function_symbols(module);
    let mut out = String::new();
    out.push_str("; Tarn assembly (.tasm), written by the disassembler.\n");
    out.push_str("; Code lines: pc, [source line], mnemonic, operands; comments give constant values and jump targets.\n");

    let mut header = String::new();
    if module.flags != 0 {
        let _ = writeln!(header, ".flags 0x{:x}", module.flags);
    }
    if let Some(debug) = &module.debug {
        let _ = writeln!(header, ".source {}", quote(debug.source.as_bytes()));
    }
    if !header.is_empty() {
        out.push('\n');
        out.push_str(&header);
    }

    if !module.constants.is_empty() {
        out.push_str("\n; constant pool\n");
        for (index, value) in module.constants.iter().enumerate() {
            line_with_comment(&mut out, format!(".pool {}", constant(value)), &format!("%{index}"));
        }
    }

    let mut linkage = String::new();
    for (index, import) in module.imports.iter().enumerate() {
        line_with_comment(
            &mut linkage,
            format!(".import {}", literal::name(&import.name)),
            &format!("i{index}"),
        );
    }
    for export in &module.exports {
        let _ = writeln!(
            linkage,
            ".export {} = {}",
            literal::name(&export.name),
            function_ref(&symbols, export.function)
        );
    }
    if let Some(entry) = module.entry {
        let _ = writeln!(linkage, ".entry {}", function_ref(&symbols, entry));
    }
    for section in &module.custom {
        let _ = writeln!(linkage, ".custom {} {}", literal::name(&section.name), quote(&section.data));
    }
    if !linkage.is_empty() {
        out.push('\n');
        out.push_str(&linkage);
    }

    let first_import = first_occurrences(module.imports.iter().map(|i| i.name.as_str()));
    for index in 0..module.functions.len() {
        out.push('\n');
        function(&mut out, module, &symbols, &first_import, index);
    }

    if let Some(debug) = &module.debug {
        for (index, entry) in debug.functions.iter().enumerate().skip(module.functions.len()) {
            out.push('\n');
            line_with_comment(
                &mut out,
                ".debugentry".into(),
                &format!("debug entry {index}: there is no function {index}"),
            );
            debug_header(&mut out, entry);
            if !entry.upvalue_names.is_empty() {
                upvalnames(&mut out, &entry.upvalue_names);
            }
            if !entry.lines.is_empty() {
                lines(&mut out, &entry.lines);
            }
            locals(&mut out, &entry.locals);
            out.push_str(".end\n");
        }
    }
    out
}

/// The name each function goes by in the text: its debug name when that is unique and
/// cannot be mistaken for a generated one, else `f<index>`.
fn function_symbols(module: &Module) -> Vec<String> {
    let count = module.functions.len();
    let debug_name = |i: usize| module.function_debug(i).and_then(|d| d.name.as_deref());
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for i in 0..count {
        if let Some(name) = debug_name(i) {
            *uses.entry(name).or_default() += 1;
        }
    }
    let looks_generated = |name: &str| {
        name.strip_prefix('f')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    };
    (0..count)
        .map(|i| match debug_name(i) {
            Some(name) if !name.is_empty() && uses.get(name) == Some(&1) && !looks_generated(name) => {
                name.to_string()
            }
            _ => format!("f{i}"),
        })
        .collect()
}

/// A function in a directive: its name, or its raw index when there is no such function.
fn function_ref(symbols: &[String], index: u32) -> String {
    match usize::try_from(index).ok().and_then(|i| symbols.get(i)) {
        Some(symbol) => literal::name(symbol),
        None => index.to_string(),
    }
}

/// Appends `text`, then `; comment` aligned to [`COMMENT_COLUMN`], then a line break.
fn line_with_comment(out: &mut String, text: String, comment: &str) {
    out.push_str(&text);
    if !comment.is_empty() {
        let width = text.chars().count();
        let pad = if width < COMMENT_COLUMN { COMMENT_COLUMN - width } else { 2 };
        let _ = write!(out, "{:pad$}", "");
        out.push_str("; ");
        out.push_str(comment);
    }
    out.push('\n');
}

fn debug_header(out: &mut String, debug: &FunctionDebug) {
    if let Some(name) = &debug.name {
        let _ = writeln!(out, "    .name {}", quote(name.as_bytes()));
    }
    if debug.line_defined != 0 || debug.last_line != 0 {
        let _ = writeln!(out, "    .defined {} {}", debug.line_defined, debug.last_line);
    }
}

fn upvalnames(out: &mut String, names: &[String]) {
    out.push_str("    .upvalnames");
    for name in names {
        out.push(' ');
        out.push_str(&literal::name(name));
    }
    out.push('\n');
}

fn lines(out: &mut String, lines: &[u32]) {
    out.push_str("    .lines");
    for line in lines {
        let _ = write!(out, " {line}");
    }
    out.push('\n');
}

fn locals(out: &mut String, locals: &[LocalInfo]) {
    for local in locals {
        let _ = writeln!(
            out,
            "    .local {} r{} {} {}",
            literal::name(&local.name),
            local.register,
            local.start_pc,
            local.end_pc
        );
    }
}

fn upval_source(source: UpvalSource) -> String {
    match source {
        UpvalSource::ParentRegister(r) => format!("r{r}"),
        UpvalSource::ParentUpval(u) => format!("u{u}"),
        UpvalSource::Globals => "globals".into(),
    }
}

fn function(out: &mut String, module: &Module, symbols: &[String], first_import: &[bool], index: usize) {
    let Some(f) = module.functions.get(index) else { return };
    let first_child = first_occurrences(f.children.iter());
    let listing = Listing { module, symbols, first_import, first_child: &first_child };
    let symbol = symbols.get(index).map_or_else(|| format!("f{index}"), |s| literal::name(s));
    let mut header = format!(".function {symbol} params={} registers={}", f.num_params, f.num_registers);
    if f.is_vararg {
        header.push_str(" vararg");
    }
    line_with_comment(out, header, &format!("function {index}"));

    let debug = module.function_debug(index);
    if module.debug.is_some() && debug.is_none() {
        out.push_str("    .nodebug\n");
    }
    if let Some(debug) = debug {
        debug_header(out, debug);
    }

    let names_inline = debug.is_some_and(|d| d.upvalue_names.len() == f.upvalues.len());
    for (u, &source) in f.upvalues.iter().enumerate() {
        let mut text = format!("    .upval {}", upval_source(source));
        if let (true, Some(name)) = (names_inline, debug.and_then(|d| d.upvalue_names.get(u))) {
            text.push_str(" name=");
            text.push_str(&literal::name(name));
        }
        line_with_comment(out, text, &format!("u{u}"));
    }
    if let Some(debug) = debug.filter(|d| !names_inline && !d.upvalue_names.is_empty()) {
        upvalnames(out, &debug.upvalue_names);
    }

    for (k, &pool_index) in f.constants.iter().enumerate() {
        let value = usize::try_from(pool_index).ok().and_then(|p| module.constants.get(p));
        let comment = match value {
            Some(value) => format!("k{k} = {}", constant_comment(value)),
            None => format!("k{k}: not in the pool"),
        };
        line_with_comment(out, format!("    .const %{pool_index}"), &comment);
    }
    for (p, &child) in f.children.iter().enumerate() {
        let exists = usize::try_from(child).is_ok_and(|c| c < module.functions.len());
        let comment = if exists { format!("p{p}") } else { format!("p{p}: there is no function {child}") };
        line_with_comment(out, format!("    .child {}", function_ref(symbols, child)), &comment);
    }

    let line_table = debug.map(|d| d.lines.as_slice()).unwrap_or_default();
    let marks_inline = !line_table.is_empty() && line_table.len() == f.code.len();
    if !line_table.is_empty() && !marks_inline {
        lines(out, line_table);
    }

    let targets: BTreeSet<usize> = f
        .code
        .iter()
        .enumerate()
        .flat_map(|(pc, instr)| instr.jump_targets(pc).collect::<Vec<_>>())
        .flatten()
        .filter(|&t| t < f.code.len())
        .collect();
    let pc_width = f.code.len().saturating_sub(1).to_string().len().max(2);
    let line_width =
        if marks_inline { line_table.iter().max().map_or(1, |l| l.to_string().len()) + 2 } else { 0 };
    for (pc, instr) in f.code.iter().enumerate() {
        if targets.contains(&pc) {
            let _ = writeln!(out, "  @L{pc}:");
        }
        let mut text = format!("    {pc:>pc_width$}  ");
        if let (true, Some(line)) = (marks_inline, line_table.get(pc)) {
            let _ = write!(text, "{:<line_width$}  ", format!("[{line}]"));
        }
        let _ = write!(text, "{:<9}", instr.opcode().mnemonic());
        let mut operands = Vec::new();
        let mut comments = Vec::new();
        instr.for_each_operand(|_, value| {
            let (spelling, comment) = operand(&listing, index, pc, value);
            operands.push(spelling);
            comments.extend(comment);
        });
        text.push(' ');
        text.push_str(&operands.join(", "));
        let text = text.trim_end().to_string();
        line_with_comment(out, text, &comments.join("; "));
    }

    if let Some(debug) = debug {
        locals(out, &debug.locals);
    }
    out.push_str(".end\n");
}

/// What operand spelling needs beyond the instruction.
struct Listing<'a> {
    module: &'a Module,
    symbols: &'a [String],
    /// Per import: whether it is the first with its name (so `$name` finds it).
    first_import: &'a [bool],
    /// Per child slot of the current function: whether it is the first holding its function.
    first_child: &'a [bool],
}

/// For each item, whether no equal item comes before it. Linear, so that listing a huge
/// malformed module stays fast.
fn first_occurrences<T: std::hash::Hash + Eq>(items: impl Iterator<Item = T>) -> Vec<bool> {
    let mut seen = HashSet::new();
    items.map(|item| seen.insert(item)).collect()
}

/// One operand's spelling and, where it helps, a comment saying what it refers to.
fn operand(
    listing: &Listing<'_>,
    function: usize,
    pc: usize,
    value: OperandValue,
) -> (String, Option<String>) {
    let Listing { module, symbols, first_import, first_child } = listing;
    let Some(f) = module.functions.get(function) else { return (String::new(), None) };
    match value {
        OperandValue::Reg(Reg(r)) => (format!("r{r}"), None),
        OperandValue::Const(Const(k)) => {
            let comment = match module.constant(function, usize::from(k)) {
                Some(value) => constant_comment(value),
                None if usize::from(k) >= f.constants.len() => format!("k{k} out of range"),
                None => format!("k{k} not in the pool"),
            };
            (format!("k{k}"), Some(comment))
        }
        OperandValue::Upval(Upval(u)) => {
            let name = module.function_debug(function).and_then(|d| d.upvalue_names.get(usize::from(u)));
            (format!("u{u}"), name.map(|n| format!("upvalue {}", literal::name(n))))
        }
        OperandValue::Proto(Proto(p)) => {
            let child = f.children.get(usize::from(p)).copied();
            let symbol = child.and_then(|c| usize::try_from(c).ok()).and_then(|c| symbols.get(c));
            // `$name` means the first child slot holding that function.
            let is_first = first_child.get(usize::from(p)).copied().unwrap_or(false);
            match symbol {
                Some(symbol) if is_first => (format!("${}", literal::name(symbol)), None),
                Some(symbol) => (format!("p{p}"), Some(literal::name(symbol))),
                None => (format!("p{p}"), Some(format!("p{p} out of range"))),
            }
        }
        OperandValue::Import(Import(i)) => {
            let name = module.imports.get(usize::from(i)).map(|d| d.name.as_str());
            let is_first = first_import.get(usize::from(i)).copied().unwrap_or(false);
            match name {
                Some(name) if is_first => (format!("${}", literal::name(name)), None),
                Some(name) => (format!("i{i}"), Some(literal::name(name))),
                None => (format!("i{i}"), Some(format!("i{i} out of range"))),
            }
        }
        OperandValue::Jump(jump) => match jump.target(pc) {
            Some(target) if target < f.code.len() => (format!("@L{target}"), Some(format!("to {target}"))),
            target => {
                let spelling = if jump.0 < 0 { format!("@{}", jump.0) } else { format!("@+{}", jump.0) };
                let comment = match target {
                    Some(target) => format!("to {target}, outside the code"),
                    None => "target before the code".to_string(),
                };
                (spelling, Some(comment))
            }
        },
        OperandValue::Imm(Imm(n)) => (n.to_string(), None),
        OperandValue::Int(Int(n)) => (n.to_string(), None),
        OperandValue::Count(Count(n)) => (n.to_string(), None),
        OperandValue::VarCount(count) => match count.get() {
            Some(n) => (n.to_string(), None),
            None => ("*".into(), None),
        },
    }
}
