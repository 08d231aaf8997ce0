//! Runs the logic of every example in `examples/`, so `cargo test` checks them.

#[path = "../examples/rule_engine.rs"]
mod rule_engine;

#[path = "../examples/plugin_host.rs"]
mod plugin_host;

#[path = "../examples/untrusted.rs"]
mod untrusted;

use tarn::ErrorKind;

#[test]
fn rule_engine() {
    use rule_engine::{Action, Decision, Settings};
    let report = rule_engine::run().expect("rules run");
    assert_eq!(report.settings, Settings { currency: "EUR".into(), review_above: 1000.0 });
    assert_eq!(report.decisions[0], (1, vec![Decision { rule: "default".into(), action: Action::Approve }]));
    assert_eq!(
        report.decisions[1],
        (
            2,
            vec![
                Decision {
                    rule: "large order".into(),
                    action: Action::Review { reason: "total 1200.00 EUR".into() }
                },
                Decision { rule: "gold customer".into(), action: Action::Discount { percent: 10.0 } },
            ]
        )
    );
    assert_eq!(report.audit, ["order 2: large order", "order 2: gold customer"]);
}

#[test]
fn plugin_host() {
    use plugin_host::Verdict;
    let results = plugin_host::run().expect("host runs");
    let verdict = |name: &str| &results.iter().find(|(n, _)| n == name).expect(name).1;
    assert_eq!(verdict("greeter.lua"), &Verdict::Ran(vec!["hello at a real time".into()]));
    assert_eq!(
        verdict("snoop.lua"),
        &Verdict::Denied(
            ErrorKind::Runtime,
            "snoop.lua:1: capability 'file read' not granted (io.open)".into()
        )
    );
    assert_eq!(
        verdict("shell.lua"),
        &Verdict::Denied(
            ErrorKind::Runtime,
            "shell.lua:1: attempt to call a nil value (field 'execute')".into()
        )
    );
    let Verdict::Denied(ErrorKind::Runtime, m) = verdict("loader.lua") else {
        panic!("{:?}", verdict("loader.lua"))
    };
    assert!(m.contains("attempt to call a nil value"), "{m}");
    assert_eq!(verdict("module importing emit"), &Verdict::Ran(vec!["from a module".into()]));
    assert_eq!(
        verdict("module importing exec"),
        &Verdict::Denied(ErrorKind::Link, "module imports 'exec', which the host did not provide".into())
    );
    let Verdict::Denied(ErrorKind::Verify, m) = verdict("forged module") else { panic!() };
    assert!(m.contains("register r7 out of range"), "{m}");
}

#[test]
fn untrusted() {
    use untrusted::Ending;
    let endings = untrusted::run().expect("sandbox runs");
    let ending = |name: &str| &endings.iter().find(|(n, _)| n == name).expect(name).1;
    let Ending::Finished { result, slices } = ending("primes.lua") else {
        panic!("{:?}", ending("primes.lua"))
    };
    assert_eq!(result, "primes: 430");
    assert!(*slices >= 3, "needed several slices ({slices})");
    assert_eq!(ending("spin.lua"), &Ending::OutOfBudget { slices: 50 });
    let Ending::Failed(ErrorKind::OutOfMemory, _) = ending("bomb.lua") else {
        panic!("{:?}", ending("bomb.lua"))
    };
    assert_eq!(
        ending("error.lua"),
        &Ending::Failed(ErrorKind::Runtime, "error.lua:2: attempt to index a nil value (local 't')".into())
    );
    let Ending::Failed(ErrorKind::Interrupted, _) = ending("watchdog.lua") else {
        panic!("{:?}", ending("watchdog.lua"))
    };
    assert_eq!(ending("after"), &Ending::Finished { result: "still usable".into(), slices: 0 });
}
