//! `string.dump`: a Lua function back into a Tarn module (`.tbc` bytes).
//!
//! The function's prototype and its nested prototypes become the module's functions
//! (parents before children, as the format requires), their constants a fresh pool, and
//! the imports of the module it came from its imports, by name. Loading the bytes goes
//! through the decoder and the verifier like any other binary chunk.
//!
//! Upvalues: a loaded chunk's function is a root, and every upvalue of a root is the
//! globals table (`_ENV`). Lua gives a loaded function's first upvalue the environment
//! and the others nil; Tarn gives all of them the globals table. For the usual case, a
//! function whose only upvalue is `_ENV` (or that has none), the two agree.

use std::collections::HashMap;
use std::sync::Arc;

use tarn_bytecode::module::{DebugInfo, Function, ImportDecl, UpvalSource};
use tarn_bytecode::{Constant, Module};

use crate::error::RuntimeError;
use crate::heap::Proto;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// The `.tbc` bytes of Lua function `f` (without debug information if `strip`), or
    /// "unable to dump given function" for a host function.
    pub fn dump_function(&self, f: Value, strip: bool) -> Result<Vec<u8>, RuntimeError> {
        let Value::Closure(c) = f else {
            return Err(RuntimeError::runtime("unable to dump given function"));
        };
        let root = self.heap.closure(c).proto.clone();
        let mut module = Module { entry: Some(0), ..Module::default() };
        for &import in root.imports.iter() {
            let name = match import {
                Value::Native(n) => self.heap.native(n).name.to_string(),
                _ => return Err(RuntimeError::runtime("unable to dump given function")),
            };
            module.imports.push(ImportDecl { name });
        }
        let mut pool: HashMap<PoolKey, u32> = HashMap::new();
        let mut debug = Vec::new();
        // Pre-order: a function's index is taken before its children are added.
        let mut pending: Vec<(Arc<Proto>, Option<ChildSlot>)> = vec![(root, None)];
        while let Some((proto, parent)) = pending.pop() {
            let index = module.functions.len() as u32;
            if let Some((parent, slot)) = parent {
                module.functions[parent].children[slot] = index;
            }
            let mut constants = Vec::with_capacity(proto.constants.len());
            for &k in proto.constants.iter() {
                constants.push(self.pool_index(&mut module.constants, &mut pool, k)?);
            }
            let upvalues = if index == 0 {
                vec![UpvalSource::Globals; proto.upvalues.len()]
            } else {
                proto.upvalues.to_vec()
            };
            module.functions.push(Function {
                num_params: proto.num_params,
                is_vararg: proto.is_vararg,
                num_registers: proto.num_registers,
                upvalues,
                constants,
                children: vec![0; proto.children.len()],
                code: proto.code.to_vec(),
            });
            debug.push(proto.debug.clone().unwrap_or_default());
            let me = index as usize;
            // Pushed in reverse so the first child is numbered first.
            for (slot, child) in proto.children.iter().enumerate().rev() {
                pending.push((child.clone(), Some((me, slot))));
            }
        }
        if !strip {
            let source = self.heap.closure(c).proto.source.to_string();
            module.debug = Some(DebugInfo { source, functions: debug });
        }
        Ok(tarn_bytecode::binary::encode(&module))
    }

    fn pool_index(
        &self,
        constants: &mut Vec<Constant>,
        pool: &mut HashMap<PoolKey, u32>,
        k: Value,
    ) -> Result<u32, RuntimeError> {
        let (key, constant) = match k {
            Value::Nil => (PoolKey::Nil, Constant::Nil),
            Value::Bool(b) => (PoolKey::Bool(b), Constant::Bool(b)),
            Value::Int(i) => (PoolKey::Int(i), Constant::Int(i)),
            Value::Float(f) => (PoolKey::Float(f.to_bits()), Constant::Float(f)),
            Value::Str(s) => {
                let bytes = self.heap.str(s).as_bytes().to_vec();
                (PoolKey::Str(bytes.clone()), Constant::Str(bytes))
            }
            _ => return Err(RuntimeError::runtime("unable to dump given function")),
        };
        Ok(*pool.entry(key).or_insert_with(|| {
            constants.push(constant);
            constants.len() as u32 - 1
        }))
    }
}

/// Where a function's index goes: (parent function, position in its children).
type ChildSlot = (usize, usize);

/// A constant's identity in the pool being built (floats by their bits).
#[derive(PartialEq, Eq, Hash)]
enum PoolKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Vec<u8>),
}
