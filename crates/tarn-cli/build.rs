//! Linker options that shrink what the `tarn` binary maps at start-up (its peak memory
//! on short scripts is mostly its own pages, mapped in 64 KiB blocks):
//!
//! - `link-order.ld` (written by `bench/link-order`) puts the functions a run uses
//!   together: a short script maps about 0.5 MiB of code instead of 1.3 MiB;
//! - `-z pack-relative-relocs` stores the 3700 relocations the loader applies at start-up
//!   in 1 KB instead of 88 KB (DT_RELR, which glibc reads since 2.36).
//!
//! Only on Linux with the default linker (lld, or GNU ld through `cc`), which both take
//! these; with a linker the user chose, the binary is the same, only laid out as usual.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link-order.ld");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let linux = env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    // -C linker, linker-flavor, link-self-contained, link-arg(s): another linker may be
    // in use (mold, for one, has no INSERT).
    let own_linker = env::var_os("RUSTC_LINKER").is_some()
        || env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default().contains("link");
    if !linux || own_linker {
        return;
    }
    let script =
        std::path::Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("link-order.ld");
    if script.exists() {
        println!("cargo:rustc-link-arg-bin=tarn=-Wl,-T,{}", script.display());
    }
    if native_glibc_has_relr() {
        println!("cargo:rustc-link-arg-bin=tarn=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the binary is built for this machine and its glibc reads DT_RELR (2.36+).
/// Cross builds keep the classic relocations, which every loader reads.
fn native_glibc_has_relr() -> bool {
    if env::var("HOST").ok() != env::var("TARGET").ok()
        || env::var("CARGO_CFG_TARGET_ENV").as_deref() != Ok("gnu")
    {
        return false;
    }
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else { return false };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text.trim().trim_start_matches("glibc ").split('.').map(|p| p.parse::<u32>().ok());
    matches!((version.next().flatten(), version.next().flatten()), (Some(major), Some(minor)) if (major, minor) >= (2, 36))
}
