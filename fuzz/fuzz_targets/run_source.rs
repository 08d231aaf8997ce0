#![no_main]
//! See `tarn_gen::oracle::run_source`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tarn_gen::oracle::run_source(data);
});
