//! `tarn`: the facade crate for embedding hosts.
