//! The coroutine library (reference manual §6.2) over the VM's threads (`coroutine.rs`).

use crate::coroutine::CoStatus;
use crate::error::RuntimeError;
use crate::heap::{Builtin, HostCode};
use crate::stdlib::{add_functions, Args};
use crate::value::{ThreadRef, Value};
use crate::Vm;

pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let t = vm.new_table()?;
    add_functions(
        vm,
        t,
        &[
            ("create", create),
            ("resume", resume),
            ("status", status),
            ("wrap", wrap),
            ("close", close),
            ("isyieldable", isyieldable),
            ("running", running),
        ],
    )?;
    let yield_fn =
        Value::Native(vm.heap.new_builtin("yield", HostCode::Plain(yield_from_host), Builtin::Yield)?);
    vm.set_field(t, "yield", yield_fn)?;
    vm.set_global("coroutine", Value::Table(t))
}

fn thread_arg(vm: &Vm, a: &Args, i: usize) -> Result<ThreadRef, RuntimeError> {
    match a.get(i) {
        Value::Thread(t) => Ok(t),
        _ => Err(a.type_error(vm, i, "coroutine")),
    }
}

fn create(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let f = Args::lib(vm, "coroutine.create", args).function(vm, 0)?;
    out.push(Value::Thread(vm.new_coroutine(f)?));
    Ok(())
}

fn resume(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "coroutine.resume", args);
    let co = thread_arg(vm, &a, 0)?;
    let mark = out.len();
    out.push(Value::Bool(true));
    if let Err(e) = vm.resume_coroutine(co, &args[1..], out)? {
        out.truncate(mark);
        out.extend_from_slice(&[Value::Bool(false), e]);
    }
    Ok(())
}

/// `coroutine.yield` reached through a host function (the interpreter handles calls
/// from Lua itself): there is a host function in between, so it cannot yield.
fn yield_from_host(vm: &mut Vm, _args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    if vm.running_thread().1 {
        Err(RuntimeError::runtime("attempt to yield from outside a coroutine"))
    } else {
        Err(RuntimeError::runtime("attempt to yield across a C-call boundary"))
    }
}

fn status(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let co = thread_arg(vm, &Args::lib(vm, "coroutine.status", args), 0)?;
    let name: &[u8] = match vm.heap.thread(co).status {
        CoStatus::Suspended => b"suspended",
        CoStatus::Running => b"running",
        CoStatus::Normal => b"normal",
        CoStatus::Dead => b"dead",
    };
    out.push(vm.new_string(name)?);
    Ok(())
}

fn wrap(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let f = Args::lib(vm, "coroutine.wrap", args).function(vm, 0)?;
    let co = vm.new_coroutine(f)?;
    let wrapper = vm.new_function_capturing("wrap", &[Value::Thread(co)], move |vm, args, out| {
        match vm.resume_coroutine(co, args, out)? {
            Ok(()) => Ok(()),
            Err(e) => {
                // Errors go on to the caller; a string message gets the caller's position
                // in front of it, as Lua's wrap does.
                let message = vm.error_message_of(e);
                match e {
                    Value::Str(_) => Err(RuntimeError::runtime(message)),
                    _ => Err(RuntimeError::with_value(e, message)),
                }
            }
        }
    })?;
    out.push(wrapper);
    Ok(())
}

fn close(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let co = thread_arg(vm, &Args::lib(vm, "coroutine.close", args), 0)?;
    match vm.close_coroutine(co)? {
        None => out.push(Value::Bool(true)),
        Some(e) => out.extend_from_slice(&[Value::Bool(false), e]),
    }
    Ok(())
}

fn isyieldable(vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    out.push(Value::Bool(vm.is_yieldable()));
    Ok(())
}

fn running(vm: &mut Vm, _args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let (t, main) = vm.running_thread();
    out.extend_from_slice(&[Value::Thread(t), Value::Bool(main)]);
    Ok(())
}
