//! Installs what the build and tests need, idempotently, with progress messages and pinned
//! versions. Two worlds: where rustup can add the wasm32 target, use it; where it cannot
//! (no internet), use Debian's rustc-web with build-std and wasm-ld-22 (see
//! shared/notes/wasm-toolchain.md). Installed tools live outside git: cargo's bin folder and
//! `tools/node_modules`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// trunk's pinned version range (0.22 needs rustc 1.96.1).
const TRUNK_VERSION: &str = "~0.21";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Building the page.
    Build,
    /// Building and testing in the browser.
    All,
}

/// How to build for wasm32 on this machine.
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// Extra environment for cargo/trunk when targeting wasm32.
    pub wasm_env: Vec<(String, String)>,
    /// PATH with the node tools (wasm-opt) in front.
    pub path: String,
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

pub fn step(msg: &str) {
    eprintln!("xtask: {msg}");
}

fn ok(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success())
}

fn output(cmd: &mut Command) -> Option<String> {
    let o = cmd.output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).to_string())
}

fn run_checked(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn apt_install(pkgs: &[&str]) -> Result<(), String> {
    step(&format!("installing Debian packages: {} (apt-get)", pkgs.join(" ")));
    let updated = Path::new("/tmp/.kubeplay-apt-updated").exists();
    if !updated {
        run_checked(Command::new("apt-get").args(["update", "-qq"]), "apt-get update")?;
        let _ = std::fs::write("/tmp/.kubeplay-apt-updated", "");
    }
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(pkgs)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install {}", pkgs.join(" ")),
    )
    .map_err(|e| format!("{e}: could not install {}; install them by hand and re-run", pkgs.join(", ")))
}

fn have_bin(name: &str) -> bool {
    ok(Command::new("sh").args(["-c", &format!("command -v {name}")]))
}

/// The wasm-bindgen version pinned in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn rust_toolchain() -> Result<Vec<(String, String)>, String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(vec![]);
    }
    step("trying `rustup target add wasm32-unknown-unknown`");
    let added = Command::new("timeout")
        .args(["120", "rustup", "target", "add", "wasm32-unknown-unknown"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if added {
        return Ok(vec![]);
    }
    step("rustup cannot fetch the wasm32 target here; using Debian's rustc-web with build-std");
    let rustc_ok = output(Command::new("/usr/bin/rustc").arg("--version")).is_some_and(|v| v.starts_with("rustc 1.9"));
    let src_ok = Path::new("/usr/lib/rustlib/src/rust/library").exists();
    if !rustc_ok || !src_ok || !have_bin("wasm-ld-22") {
        apt_install(&["rustc-web", "cargo-web", "rust-web-src", "lld-22"])?;
    }
    let toolchains = output(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.split_whitespace().next() == Some("web")) {
        step("linking Debian's Rust as the rustup toolchain `web`");
        run_checked(Command::new("rustup").args(["toolchain", "link", "web", "/usr"]), "rustup toolchain link web /usr")?;
    }
    Ok(vec![
        ("RUSTUP_TOOLCHAIN".into(), "web".into()),
        ("RUSTC_BOOTSTRAP".into(), "1".into()),
        ("CARGO_UNSTABLE_BUILD_STD".into(), "std,panic_abort".into()),
        ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER".into(), "wasm-ld-22".into()),
    ])
}

pub fn cargo_tool(bin: &str, krate: &str, version: &str, version_ok: impl Fn(&str) -> bool, locked: bool) -> Result<(), String> {
    let current = output(Command::new(bin).arg("--version")).unwrap_or_default();
    if version_ok(&current) {
        return Ok(());
    }
    step(&format!("installing {krate} {version} from crates.io (a few minutes, once)"));
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    // The machine's default toolchain builds host tools.
    cmd.env_remove("RUSTUP_TOOLCHAIN");
    run_checked(&mut cmd, &format!("cargo install {krate}"))
}

fn node_tools() -> Result<PathBuf, String> {
    let dir = root().join("tools");
    let bin = dir.join("node_modules/.bin");
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = std::fs::read_to_string(dir.join("package-lock.json")).unwrap_or_default();
    let installed = std::fs::read_to_string(&stamp).unwrap_or_default();
    let fresh = bin.join("wasm-opt").exists() && !lock.is_empty() && installed.contains("\"node_modules/binaryen\"");
    if !fresh {
        if !have_bin("npm") {
            apt_install(&["nodejs", "npm"])?;
        }
        step("installing node tools (binaryen 132 for wasm-opt, playwright-core) with npm ci");
        run_checked(
            Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&dir),
            "npm ci in tools/",
        )?;
    }
    Ok(bin)
}

/// Makes sure the tools for `need` are installed, and returns how to use them.
pub fn ensure(need: Need) -> Result<Toolchain, String> {
    let wasm_env = rust_toolchain()?;
    let wb = locked_wasm_bindgen()?;
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wb, |v| v.split_whitespace().nth(1) == Some(wb.as_str()), false)?;
    cargo_tool("trunk", "trunk", TRUNK_VERSION, |v| v.starts_with("trunk 0.21."), true)?;
    let node_bin = node_tools()?;
    if need == Need::All && (!Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists()) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    let path = format!("{}:{}", node_bin.display(), std::env::var("PATH").unwrap_or_default());
    Ok(Toolchain { wasm_env, path })
}
