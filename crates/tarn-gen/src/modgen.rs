//! Random modules that pass the verifier.
