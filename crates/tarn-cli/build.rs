//! Hands `link-order.txt` (written by `bench/link-order`) to the linker, so the functions
//! a run uses sit together and a short script maps about 0.5 MiB of code instead of
//! 1.3 MiB (the kernel maps code in 64 KiB blocks around each page touched).
//!
//! Only where the linker is known to be lld, which reads `--symbol-ordering-file`:
//! x86_64 Linux with Rust 1.90 or later and no linker chosen by the user. Elsewhere the
//! binary is the same, only laid out in the default order.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link-order.txt");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if !linker_is_rust_lld() {
        return;
    }
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let file = std::path::Path::new(&dir).join("link-order.txt");
    if file.exists() {
        println!("cargo:rustc-link-arg-bin=tarn=-Wl,--symbol-ordering-file={}", file.display());
        // Names from an older build that no longer exist are expected, not a problem.
        println!("cargo:rustc-link-arg-bin=tarn=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether rustc links this target with its own lld: the default on
/// x86_64-unknown-linux-gnu since Rust 1.90, unless a linker was configured.
fn linker_is_rust_lld() -> bool {
    if env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || env::var_os("RUSTC_LINKER").is_some()
    {
        return false;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("link") {
        return false; // -C linker, linker-flavor, link-self-contained, link-arg(s)
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-vV").output() else { return false };
    let info = String::from_utf8_lossy(&out.stdout);
    let minor = info
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_some_and(|m| m >= 90)
}
