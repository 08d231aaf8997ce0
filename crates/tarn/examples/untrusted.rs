//! Running untrusted code: a fuel budget handed out in slices, a heap limit, a
//! wall-clock watchdog on another thread, and a VM that stays usable whatever the script
//! does.
//!
//! Run with `cargo run -p tarn --example untrusted`.

use std::time::{Duration, Instant};

use tarn::{Config, ErrorKind, Outcome, Vm};

/// How one script ended.
#[derive(Debug, PartialEq)]
pub enum Ending {
    /// It finished, with this result, after this many extra slices of fuel.
    Finished { result: String, slices: u32 },
    /// It used up every slice it was allowed and was dropped.
    OutOfBudget { slices: u32 },
    /// It failed with an error of this kind.
    Failed(ErrorKind, String),
}

/// Fuel per slice, and how many slices a script may have in all.
const SLICE: u64 = 20_000;
const MAX_SLICES: u32 = 50;

/// Runs `src`, resuming it a slice at a time until it finishes or exhausts its budget.
pub fn run_sliced(vm: &mut Vm, name: &str, src: &str) -> Ending {
    vm.set_fuel(SLICE);
    let outcome = vm.load(src, name).and_then(|f| f.call_resumable::<String>(vm, ()));
    let mut slices = 0;
    let mut outcome = match outcome {
        Ok(o) => o,
        Err(e) => return Ending::Failed(e.kind(), e.message().to_string()),
    };
    loop {
        match outcome {
            Outcome::Finished(result) => return Ending::Finished { result, slices },
            Outcome::OutOfFuel(_) if slices == MAX_SLICES => {
                // Dropping the suspended call ends it; the VM is ready for the next script.
                return Ending::OutOfBudget { slices };
            }
            Outcome::OutOfFuel(suspended) => {
                // A host could run other work here: the call waits, frames intact.
                slices += 1;
                outcome = match suspended.resume(vm, SLICE) {
                    Ok(o) => o,
                    Err(e) => return Ending::Failed(e.kind(), e.message().to_string()),
                };
            }
        }
    }
}

pub const SCRIPTS: [(&str, &str); 4] = [
    ("primes.lua", "local n = 0 for i = 2, 3000 do local p = true for d = 2, math.floor(math.sqrt(i)) do if i % d == 0 then p = false break end end if p then n = n + 1 end end return 'primes: ' .. n"),
    ("spin.lua", "while true do end"),
    ("bomb.lua", "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end"),
    ("error.lua", "local t = nil\nreturn t.field"),
];

pub fn run() -> tarn::Result<Vec<(String, Ending)>> {
    let mut vm = Vm::new(Config::new().max_heap(2 << 20))?;
    let mut endings = Vec::new();
    for (name, src) in SCRIPTS {
        endings.push((name.to_string(), run_sliced(&mut vm, name, src)));
    }

    // A watchdog for wall-clock time: fuel bounds work, the interrupt bounds time
    // (a host function that blocks would not use fuel).
    vm.set_fuel(u64::MAX);
    let stop = vm.interrupt_handle();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        stop.interrupt();
    });
    let started = Instant::now();
    let e = vm.exec_named("local x = 0 while true do x = x + 1 end", "watchdog.lua");
    let _ = watchdog.join();
    let ending = match e {
        Ok(()) => Ending::Finished { result: String::new(), slices: 0 },
        Err(e) => Ending::Failed(
            e.kind(),
            format!("{} after {:?}", e.message(), started.elapsed().min(Duration::from_secs(1))),
        ),
    };
    endings.push(("watchdog.lua".to_string(), ending));

    // After all that, the same VM still runs code.
    vm.set_fuel(1_000);
    let still: String = vm.eval("return 'still usable'")?;
    endings.push(("after".to_string(), Ending::Finished { result: still, slices: 0 }));
    Ok(endings)
}

#[allow(dead_code)]
fn main() -> tarn::Result<()> {
    for (name, ending) in run()? {
        println!("{name}: {ending:?}");
    }
    Ok(())
}
