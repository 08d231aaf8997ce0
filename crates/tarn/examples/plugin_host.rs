//! A plugin host: plugins get exactly one capability (the clock) and one host API
//! function (`emit`); everything else is denied, and says so.
//!
//! Plugins arrive as Lua source or as compiled modules. A module is verified before it
//! runs, and one that imports a host function the host does not offer is refused when it
//! is loaded, before any of it runs.
//!
//! Run with `cargo run -p tarn --example plugin_host`.

use std::sync::{Arc, Mutex};

use tarn::bytecode::{text, verify};
use tarn::{Capability, Config, ErrorKind, Vm};

/// What happened to one plugin.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// It ran; these are the events it emitted.
    Ran(Vec<String>),
    /// It was refused or failed, with this message.
    Denied(ErrorKind, String),
}

/// Source plugins: one well-behaved, the others reaching for what they were not given.
pub const SOURCE_PLUGINS: [(&str, &str); 4] = [
    ("greeter.lua", "emit('hello at ' .. (os.time() > 0 and 'a real time' or 'no time'))"),
    ("snoop.lua", "emit(io.open('/etc/passwd'):read('a'))"),
    ("shell.lua", "os.execute('rm -rf /')"),
    ("loader.lua", "emit(load('return 1')())"),
];

/// A module that imports `emit` (offered) and one that imports `exec` (not offered).
pub fn module_plugin(import: &str) -> String {
    format!(
        ".import {import}\n.function main registers=2\n    .const greeting = \"from a module\"\n    getimport r0, ${import}\n    loadk r1, $greeting\n    call r0, 1, 0\n    return r0, 0\n.end\n.entry main\n"
    )
}

pub fn run() -> tarn::Result<Vec<(String, Verdict)>> {
    let mut results = Vec::new();
    let mut plugins: Vec<(String, Result<Vec<u8>, String>)> =
        SOURCE_PLUGINS.iter().map(|(name, src)| (name.to_string(), Ok(src.as_bytes().to_vec()))).collect();
    for import in ["emit", "exec"] {
        let module = text::assemble(&module_plugin(import)).map_err(|e| e.to_string());
        let bytes = module.map(|m| tarn::bytecode::binary::encode(&m));
        plugins.push((format!("module importing {import}"), bytes));
    }
    for (name, code) in plugins {
        let code = code.map_err(tarn::Error::runtime)?;
        // Each plugin gets its own VM: nothing one does is seen by the next.
        let mut vm = Vm::new(Config::new().grant(Capability::Clock).fuel(1_000_000).max_heap(8 << 20))?;
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        vm.register("emit", move |event: String| {
            sink.lock().map(|mut e| e.push(event)).map_err(|_| "event log unavailable")
        })?;
        let outcome = vm.load(&code, &name).and_then(|plugin| plugin.call::<()>(&mut vm, ()));
        let verdict = match outcome {
            Ok(()) => Verdict::Ran(events.lock().map(|e| e.clone()).unwrap_or_default()),
            Err(e) => Verdict::Denied(e.kind(), e.message().to_string()),
        };
        results.push((name, verdict));
    }
    // The verifier stands between the host and any module, however it was made.
    let forged = text::assemble(".function main registers=1\n    return r7, 1\n.end\n.entry main\n")
        .map_err(|e| tarn::Error::runtime(e.to_string()))?;
    let refused = verify(forged).map(|_| ()).map_err(|e| e.to_string());
    results.push((
        "forged module".to_string(),
        Verdict::Denied(ErrorKind::Verify, refused.err().unwrap_or_default()),
    ));
    Ok(results)
}

#[allow(dead_code)]
fn main() -> tarn::Result<()> {
    for (name, verdict) in run()? {
        println!("{name}: {verdict:?}");
    }
    Ok(())
}
