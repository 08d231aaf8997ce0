#![no_main]
//! See `tarn_gen::oracle::compile_source`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tarn_gen::oracle::compile_source(data);
});
