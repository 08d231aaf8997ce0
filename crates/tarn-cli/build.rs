//! Hands `link-order.ld` (written by `bench/link-order`) to the linker, so the functions
//! a run uses sit together and a short script maps about 0.5 MiB of code instead of
//! 1.3 MiB (the kernel maps code in 64 KiB blocks around each page touched).
//!
//! Only on Linux with the default linker (lld, or GNU ld through `cc`), which both read
//! the script; with a linker the user chose, the binary is the same, only laid out in
//! the default order.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link-order.ld");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let linux = env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    // -C linker, linker-flavor, link-self-contained, link-arg(s): another linker may be
    // in use (mold, for one, has no INSERT).
    let own_linker = env::var_os("RUSTC_LINKER").is_some()
        || env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default().contains("link");
    let script = std::path::Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("link-order.ld");
    if linux && !own_linker && script.exists() {
        println!("cargo:rustc-link-arg-bin=tarn=-Wl,-T,{}", script.display());
    }
}
