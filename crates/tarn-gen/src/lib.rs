//! `tarn-gen`: what Tarn's robustness checks are made of, as plain functions.
//!
//! - [`oracle`]: one function per fuzz target. Each takes arbitrary input, drives it as
//!   far through Tarn as it goes (decode, verify, assemble, compile, run under small
//!   limits) and panics only when Tarn breaks a promise: a crash, a compiled module the
//!   verifier rejects, a round trip that loses information, a VM left unusable after an
//!   error, a run that is not deterministic.
//! - [`modgen`]: random modules built to pass the verifier, so the interpreter is
//!   exercised beyond the verifier's front door.
//! - [`luagen`]: random well-formed Lua programs whose output is fully specified, for
//!   differential testing against `lua5.4`.
//! - [`diff`]: runs a program under Tarn and under `lua5.4` and compares.
//! - [`mutate`]: a small byte mutator, for the bounded fuzz run on stable Rust.
//!
//! The same functions are driven by `cargo fuzz` (the `fuzz/` directory, nightly) and by
//! this crate's tests with fixed seeds and time budgets (stable, in CI).

pub mod diff;
pub mod luagen;
pub mod modgen;
pub mod mutate;
pub mod oracle;
