#![no_main]
//! See `tarn_gen::oracle::decode_verify`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tarn_gen::oracle::decode_verify(data);
});
