//! `cargo xtask test`: every test, in order, with a closing `summary: N passed, N failed`.
//! 1. rustfmt and clippy (-D warnings) on the native crates;
//! 2. native tests (cargo test), including the guard-rail tests in xtask/tests, and
//!    `kubeplay lesson verify lessons/` and `kubeplay demo check demos/*.yaml`;
//! 3. wasm tests in headless Chromium (wasm-bindgen-test with chromedriver);
//! 4. the release bundle built, then end-to-end tests on it in headless Chromium.

use crate::tools::{self, Need, Toolchain};
use std::process::{Command, Stdio};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    problems: Vec<String>,
}

impl Tally {
    /// Adds the counts from cargo test's `test result:` lines.
    fn add_cargo(&mut self, out: &str) {
        for line in out.lines() {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                if let Some(i) = words.iter().position(|w| *w == "passed") {
                    self.passed += words.get(i.wrapping_sub(1)).and_then(|n| n.parse().ok()).unwrap_or(0);
                }
                if let Some(i) = words.iter().position(|w| *w == "failed") {
                    self.failed += words.get(i.wrapping_sub(1)).and_then(|n| n.parse().ok()).unwrap_or(0);
                }
            }
        }
    }

    /// Adds the counts from a final `N passed, N failed` line.
    fn add_plain(&mut self, out: &str) {
        for line in out.lines().rev() {
            let l = line.trim();
            let l = l.split_once(": ").map_or(l, |(_, r)| r);
            let parts: Vec<&str> = l.split(", ").collect();
            if parts.len() >= 2 {
                let p = parts[0].strip_suffix(" passed").and_then(|n| n.parse::<u64>().ok());
                let f = parts[1].strip_suffix(" failed").and_then(|n| n.parse::<u64>().ok());
                if let (Some(p), Some(f)) = (p, f) {
                    self.passed += p;
                    self.failed += f;
                    return;
                }
            }
        }
    }
}

/// Runs a command, echoing its output, and returns (success, combined output).
fn run_tee(cmd: &mut Command) -> (bool, String) {
    eprintln!("xtask: $ {:?}", cmd);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let Ok(child) = child else {
        return (false, format!("could not start {cmd:?}"));
    };
    match child.wait_with_output() {
        Ok(o) => {
            let out = String::from_utf8_lossy(&o.stdout).to_string();
            let err = String::from_utf8_lossy(&o.stderr).to_string();
            print!("{out}");
            eprint!("{err}");
            (o.status.success(), format!("{out}\n{err}"))
        }
        Err(e) => (false, e.to_string()),
    }
}

fn native_cmd(args: &[&str]) -> Command {
    let mut c = Command::new("cargo");
    c.args(args).current_dir(tools::root());
    c.env_remove("RUSTUP_TOOLCHAIN");
    c
}

/// `cargo xtask e2e`: build dist/ and run only the end-to-end tests.
pub fn e2e_only() -> Result<(), String> {
    let tc = tools::ensure(Need::All)?;
    crate::web::build(&tc)?;
    let (ok, _) = e2e(&tc);
    if ok {
        Ok(())
    } else {
        Err("end-to-end tests failed".into())
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--native");
    let mut t = Tally::default();

    // Every package of the lock file, for every target: the guard-rail tests read the whole
    // dependency graph with `cargo metadata --offline`, which needs the wasm-only ones too,
    // and a new machine has only what native builds fetched.
    let (ok, _) = run_tee(&mut native_cmd(&["fetch", "--locked"]));
    if !ok {
        t.problems.push("cargo fetch --locked failed: the lock file's packages could not be downloaded".into());
    }
    let (ok, _) = run_tee(&mut native_cmd(&["fmt", "--all", "--", "--check"]));
    if !ok {
        t.problems.push("cargo fmt --check: files need formatting (run cargo fmt)".into());
    }
    let (ok, _) = run_tee(&mut native_cmd(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]));
    if !ok {
        t.problems.push("clippy reported warnings (-D warnings)".into());
    }
    let (ok, out) = run_tee(&mut native_cmd(&["test", "--workspace", "--quiet"]));
    t.add_cargo(&out);
    if !ok {
        t.problems.push("native tests failed".into());
    }

    // Every bundled lesson: solutions pass, known-wrong answers fail with their feedback.
    let (ok, out) = run_tee(&mut native_cmd(&["run", "--quiet", "-p", "kubeplay-cli", "--", "lesson", "verify", "lessons"]));
    t.add_plain(&out);
    if !ok {
        t.problems.push("kubeplay lesson verify lessons/ failed".into());
    }

    // Every bundled demo script rehearses without a failing step.
    let mut demos: Vec<String> = std::fs::read_dir("demos")
        .map(|r| r.flatten().map(|e| e.path().display().to_string()).filter(|p| p.ends_with(".yaml")).collect())
        .unwrap_or_default();
    demos.sort();
    if !demos.is_empty() {
        let mut args = vec!["run", "--quiet", "-p", "kubeplay-cli", "--", "demo", "check"];
        args.extend(demos.iter().map(String::as_str));
        let (ok, out) = run_tee(&mut native_cmd(&args));
        t.add_plain(&out);
        if !ok {
            t.problems.push("kubeplay demo check demos/ failed".into());
        }
    }

    if !quick {
        let tc = tools::ensure(Need::All)?;
        let (ok, out) = wasm_tests(&tc);
        t.add_cargo(&out);
        if !ok {
            t.problems.push("wasm tests in headless Chromium failed".into());
        }
        match crate::web::build(&tc) {
            Ok(()) => {
                let _ = crate::web::print_sizes();
                let (ok, out) = e2e(&tc);
                t.add_plain(&out);
                if !ok {
                    t.problems.push("end-to-end tests failed".into());
                }
            }
            Err(e) => t.problems.push(format!("building dist/ failed: {e}")),
        }
    }

    for p in &t.problems {
        eprintln!("xtask: FAILED: {p}");
    }
    println!("summary: {} passed, {} failed", t.passed, t.failed);
    if t.problems.is_empty() && t.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} step(s) failed", t.problems.len().max(1)))
    }
}

fn wasm_tests(tc: &Toolchain) -> (bool, String) {
    let mut cmd = Command::new("cargo");
    cmd.args(["test", "--target", "wasm32-unknown-unknown", "-p", "kubeplay-web"])
        .current_dir(tools::root())
        .env("PATH", &tc.path)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    for (k, v) in &tc.wasm_env {
        cmd.env(k, v);
    }
    if !tc.wasm_env.iter().any(|(k, _)| k == "RUSTUP_TOOLCHAIN") {
        cmd.env_remove("RUSTUP_TOOLCHAIN");
    }
    run_tee(&mut cmd)
}

fn e2e(tc: &Toolchain) -> (bool, String) {
    let listener = match std::net::TcpListener::bind(("127.0.0.1", 0)) {
        Ok(l) => l,
        Err(e) => return (false, format!("cannot listen for e2e: {e}")),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let dir = tools::root().join("dist");
    std::thread::spawn(move || crate::serve::serve_forever(&listener, &dir));
    let url = format!("http://127.0.0.1:{port}/");
    let shots = tools::root().join("target/screenshots");
    let _ = std::fs::create_dir_all(&shots);
    let mut cmd = Command::new("node");
    cmd.arg(tools::root().join("tests/e2e/run.cjs"))
        .arg(&url)
        .arg(&shots)
        .env("PATH", &tc.path)
        .env("NODE_PATH", tools::root().join("tools/node_modules"));
    run_tee(&mut cmd)
}
