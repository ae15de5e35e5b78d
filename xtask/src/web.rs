//! Building the page: `trunk build --release --offline` into dist/, and the size report.

use crate::tools::{self, Need, Toolchain};
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// Builds dist/ and prints each file's raw and gzipped size. Returns the toolchain used.
pub fn dist() -> Result<Toolchain, String> {
    let tc = tools::ensure(Need::Build)?;
    build(&tc)?;
    print_sizes()?;
    Ok(tc)
}

pub fn build(tc: &Toolchain) -> Result<(), String> {
    // Compile first with cargo itself: with build-std, the first build fetches std's own
    // dependencies from crates.io, which trunk's --offline would forbid.
    eprintln!("xtask: compiling the page for wasm32 (cargo build --profile web)");
    let mut cargo = Command::new("cargo");
    cargo
        .args(["build", "--target=wasm32-unknown-unknown", "--profile", "web", "-p", "kubeplay-web", "--bin", "kubeplay-web"])
        .current_dir(tools::root())
        .env("PATH", &tc.path);
    for (k, v) in &tc.wasm_env {
        cargo.env(k, v);
    }
    if !tc.wasm_env.iter().any(|(k, _)| k == "RUSTUP_TOOLCHAIN") {
        cargo.env_remove("RUSTUP_TOOLCHAIN");
    }
    let status = cargo.status().map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build for wasm32 failed ({status})"));
    }
    eprintln!("xtask: building dist/ (trunk build --release; tools are local, nothing is downloaded)");
    let mut cmd = Command::new("trunk");
    cmd.args(["build", "--release"]).current_dir(tools::root()).env("PATH", &tc.path);
    for (k, v) in &tc.wasm_env {
        cmd.env(k, v);
    }
    // Trunk runs cargo itself; a rustup toolchain selected for xtask must not leak into it.
    if !tc.wasm_env.iter().any(|(k, _)| k == "RUSTUP_TOOLCHAIN") {
        cmd.env_remove("RUSTUP_TOOLCHAIN");
    }
    let status = cmd.status().map_err(|e| format!("could not run trunk: {e}"))?;
    if !status.success() {
        return Err(format!("trunk build failed ({status})"));
    }
    Ok(())
}

pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

/// The files of dist/ with raw and gzipped sizes, sorted by name.
pub fn sizes() -> Result<Vec<(String, usize, usize)>, String> {
    let dir: PathBuf = tools::root().join("dist");
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("reading dist/: {e}"))?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_file() {
            let bytes = std::fs::read(&p).map_err(|e| format!("reading {}: {e}", p.display()))?;
            out.push((e.file_name().to_string_lossy().to_string(), bytes.len(), gzip_len(&bytes)));
        }
    }
    out.sort();
    Ok(out)
}

pub fn print_sizes() -> Result<(), String> {
    let files = sizes()?;
    println!("{:<48} {:>12} {:>12}", "dist/ file", "raw bytes", "gzip bytes");
    let (mut raw, mut gz) = (0, 0);
    for (name, r, g) in &files {
        println!("{name:<48} {r:>12} {g:>12}");
        raw += r;
        gz += g;
    }
    println!("{:<48} {raw:>12} {gz:>12}", "total");
    Ok(())
}
