//! Module facts V1…V9: everything about a module except the instructions themselves.
//!
//! Checked before any code, so that the code checks can index the pool, the function list
//! and a child's parent freely. Functions are visited in index order; because V4 makes every
//! parent's index smaller than its children's, a function's parent (if any) is known by the
//! time the function itself is visited, which is what lets V6 run in the same pass.

use std::collections::HashMap;

use super::{describe_upval_source, plural, VerifyError};
use crate::module::{limits, Constant, Function, Module, UpvalSource};

// V2 for the byte-sized fields holds by type; if a field or a limit ever changes, this
// fails to compile and an explicit check has to be added.
const _: () = assert!(u8::MAX as usize <= limits::MAX_REGISTERS);
const _: () = assert!(u8::MAX as usize <= limits::MAX_PARAMS);

/// No parent: the function is a root.
const ROOT: usize = usize::MAX;

pub(super) fn check(module: &Module) -> Result<(), VerifyError> {
    let fail = |reason: std::fmt::Arguments<'_>| VerifyError::new(module, None, None, reason);

    // V1
    if module.flags != 0 {
        return Err(fail(format_args!(
            "module flags are {:#x}, but no flags are defined in this version (they must be 0)",
            module.flags
        )));
    }

    // V2, module-wide counts and names.
    check_count(module, "constant pool entries", module.constants.len(), limits::MAX_POOL)?;
    for (i, constant) in module.constants.iter().enumerate() {
        if let Constant::Str(bytes) = constant {
            if bytes.len() > limits::MAX_STRING_LEN {
                return Err(fail(format_args!(
                    "pool entry {i} is a string of {} bytes (limit {})",
                    bytes.len(),
                    limits::MAX_STRING_LEN
                )));
            }
        }
    }
    check_count(module, "functions", module.functions.len(), limits::MAX_FUNCTIONS)?;
    check_count(module, "imports", module.imports.len(), limits::MAX_IMPORTS)?;
    check_count(module, "exports", module.exports.len(), limits::MAX_EXPORTS)?;
    check_count(module, "custom sections", module.custom.len(), limits::MAX_CUSTOM_SECTIONS)?;
    for (i, import) in module.imports.iter().enumerate() {
        check_name(module, None, &format!("import {i}"), &import.name)?;
    }
    for (i, export) in module.exports.iter().enumerate() {
        check_name(module, None, &format!("export {i}"), &export.name)?;
    }
    for (i, section) in module.custom.iter().enumerate() {
        check_name(module, None, &format!("custom section {i}"), &section.name)?;
    }

    // V8
    check_unique(module, "import", module.imports.iter().map(|i| i.name.as_str()))?;
    check_unique(module, "export", module.exports.iter().map(|e| e.name.as_str()))?;

    // V2 (per function), V3, V4, V6, V7, in one pass in index order.
    let mut parent = vec![ROOT; module.functions.len()];
    for (index, function) in module.functions.iter().enumerate() {
        check_function(module, index, function, &mut parent)?;
    }

    // V5
    let root_check = |what: &str, f: u32| -> Result<(), VerifyError> {
        let n = module.functions.len();
        match usize::try_from(f).ok().filter(|&f| f < n) {
            None => Err(fail(format_args!(
                "{what} is function {f}, which does not exist (the module has {})",
                plural(n, "function")
            ))),
            Some(f) if parent[f] != ROOT => Err(fail(format_args!(
                "{what} is function {f}, which is a child of function {}; only a root \
                 (a function that is nobody's child) can be called from outside",
                parent[f]
            ))),
            Some(_) => Ok(()),
        }
    };
    if let Some(entry) = module.entry {
        root_check("the entry", entry)?;
    }
    for export in &module.exports {
        root_check(&format!("export '{}'", export.name), export.function)?;
    }

    // V9 (and V2 for debug names)
    if let Some(debug) = &module.debug {
        check_name(module, None, "the debug source name", &debug.source)?;
        if debug.functions.len() != module.functions.len() {
            return Err(fail(format_args!(
                "debug info has {} but the module has {}",
                plural(debug.functions.len(), "function entry"),
                plural(module.functions.len(), "function")
            )));
        }
        for (index, (function, info)) in module.functions.iter().zip(&debug.functions).enumerate() {
            let fail = |reason: std::fmt::Arguments<'_>| VerifyError::new(module, Some(index), None, reason);
            if let Some(name) = &info.name {
                check_name(module, Some(index), "the debug function name", name)?;
            }
            if !info.lines.is_empty() && info.lines.len() != function.code.len() {
                return Err(fail(format_args!(
                    "debug line table has {} but the code has {} (it must be empty or as long as the code)",
                    plural(info.lines.len(), "entry"),
                    plural(function.code.len(), "instruction")
                )));
            }
            if !info.upvalue_names.is_empty() && info.upvalue_names.len() != function.upvalues.len() {
                return Err(fail(format_args!(
                    "debug info names {} but the function has {} (it must name none or all)",
                    plural(info.upvalue_names.len(), "upvalue"),
                    plural(function.upvalues.len(), "upvalue")
                )));
            }
            for (u, name) in info.upvalue_names.iter().enumerate() {
                check_name(module, Some(index), &format!("the debug name of upvalue u{u}"), name)?;
            }
            let n = usize::from(function.num_registers);
            let len = function.code.len();
            for local in &info.locals {
                check_name(module, Some(index), "a debug local name", &local.name)?;
                if usize::from(local.register) >= n {
                    return Err(fail(format_args!(
                        "debug local '{}' is in register r{}, out of range (function has {})",
                        local.name,
                        local.register,
                        plural(n, "register")
                    )));
                }
                let (start, end) = (local.start_pc as usize, local.end_pc as usize);
                if start > end || end > len {
                    return Err(fail(format_args!(
                        "debug local '{}' is live over pc {start}..{end}, which is not a range \
                         within the code (0..{len})",
                        local.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// V2, V3, V4, V6 and V7 for one function. `parent` maps each function to its parent
/// (or [`ROOT`]) and is filled in as parents are visited.
fn check_function(
    module: &Module,
    index: usize,
    function: &Function,
    parent: &mut [usize],
) -> Result<(), VerifyError> {
    let fail = |reason: std::fmt::Arguments<'_>| VerifyError::new(module, Some(index), None, reason);
    let n_functions = module.functions.len();

    // V2
    let counts = [
        ("upvalues", function.upvalues.len(), limits::MAX_UPVALUES),
        ("constants", function.constants.len(), limits::MAX_CONSTANTS),
        ("children", function.children.len(), limits::MAX_CHILDREN),
        ("instructions", function.code.len(), limits::MAX_CODE_LEN),
    ];
    for (what, count, limit) in counts {
        if count > limit {
            return Err(fail(format_args!("{count} {what} (limit {limit})")));
        }
    }

    // V7
    if function.num_params > function.num_registers {
        return Err(fail(format_args!(
            "{} but only {}: parameters must fit in the frame",
            plural(usize::from(function.num_params), "parameter"),
            plural(usize::from(function.num_registers), "register")
        )));
    }

    // V3
    for (k, &pool_index) in function.constants.iter().enumerate() {
        if pool_index as usize >= module.constants.len() {
            return Err(fail(format_args!(
                "constant k{k} refers to pool entry {pool_index}, but the pool has {}",
                plural(module.constants.len(), "entry")
            )));
        }
    }

    // V4
    for (p, &child) in function.children.iter().enumerate() {
        let c = child as usize;
        if c >= n_functions {
            return Err(fail(format_args!(
                "child p{p} is function {child}, which does not exist (the module has {})",
                plural(n_functions, "function")
            )));
        }
        if c <= index {
            return Err(fail(format_args!(
                "child p{p} is function {child}, which does not come after its parent \
                 (a child's index must be greater than its parent's)"
            )));
        }
        if parent[c] != ROOT {
            return Err(fail(format_args!(
                "child p{p} is function {child}, which is already a child of function {} \
                 (a function has at most one parent)",
                parent[c]
            )));
        }
        parent[c] = index;
    }

    // V6: every parent has a smaller index (V4), so `parent[index]` is final by now.
    let parent_index = parent[index];
    for (u, &source) in function.upvalues.iter().enumerate() {
        if parent_index == ROOT {
            if source != UpvalSource::Globals {
                return Err(fail(format_args!(
                    "upvalue u{u} captures {}, but this function is nobody's child, so it has no \
                     enclosing function to capture from (only the globals table is allowed)",
                    describe_upval_source(source)
                )));
            }
            continue;
        }
        let parent_function = &module.functions[parent_index];
        match source {
            UpvalSource::ParentRegister(r) if r >= parent_function.num_registers => {
                return Err(fail(format_args!(
                    "upvalue u{u} captures parent register r{r}, out of range (the parent, \
                     function {parent_index}, has {})",
                    plural(usize::from(parent_function.num_registers), "register")
                )));
            }
            UpvalSource::ParentUpval(up) if usize::from(up) >= parent_function.upvalues.len() => {
                return Err(fail(format_args!(
                    "upvalue u{u} captures parent upvalue u{up}, out of range (the parent, \
                     function {parent_index}, has {})",
                    plural(parent_function.upvalues.len(), "upvalue")
                )));
            }
            UpvalSource::ParentRegister(_) | UpvalSource::ParentUpval(_) | UpvalSource::Globals => {}
        }
    }
    Ok(())
}

/// V2 for one module-wide count.
fn check_count(module: &Module, what: &str, count: usize, limit: usize) -> Result<(), VerifyError> {
    if count > limit {
        return Err(VerifyError::new(
            module,
            None,
            None,
            format_args!("the module has {count} {what} (limit {limit})"),
        ));
    }
    Ok(())
}

/// V2 for one name.
fn check_name(module: &Module, function: Option<usize>, what: &str, name: &str) -> Result<(), VerifyError> {
    if name.len() > limits::MAX_NAME_LEN {
        return Err(VerifyError::new(
            module,
            function,
            None,
            format_args!("{what} is {} bytes long (limit {})", name.len(), limits::MAX_NAME_LEN),
        ));
    }
    Ok(())
}

/// V8 for one list of names.
fn check_unique<'a>(
    module: &Module,
    what: &str,
    names: impl Iterator<Item = &'a str>,
) -> Result<(), VerifyError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.enumerate() {
        if let Some(first) = seen.insert(name, i) {
            return Err(VerifyError::new(
                module,
                None,
                None,
                format_args!(
                    "{what} name '{name}' is used twice ({what}s {first} and {i}); names must be unique"
                ),
            ));
        }
    }
    Ok(())
}
