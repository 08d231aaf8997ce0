//! `tarn-vm`: the runtime.
