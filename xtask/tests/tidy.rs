//! Guard rails, as tests that fail when an architectural rule is broken: the sim, kubectl
//! and lessons crates depend on nothing web and on no unseeded randomness; every .rs file opens with a `//!` line; no test
//! is skipped or expects a panic; clippy.toml keeps its bans.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | "dist" | ".git" | ".tools") {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut v = Vec::new();
    rust_files(&root(), &mut v);
    assert!(v.len() > 10, "found only {} .rs files; is the walk broken?", v.len());
    v
}

#[test]
fn core_crates_have_no_web_dependencies() {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let name_of = |id: &str| -> String {
        packages.iter().find(|p| p["id"] == id).map(|p| p["name"].as_str().unwrap().to_string()).unwrap_or_default()
    };
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    // Nothing web, and no unseeded randomness (`rand`'s thread_rng, `getrandom`).
    let banned = ["yew", "web-sys", "js-sys", "gloo", "wasm-bindgen", "rand", "getrandom"];
    for krate in ["kubeplay-sim", "kubeplay-kubectl", "kubeplay-lessons"] {
        let start = packages.iter().find(|p| p["name"] == krate).unwrap_or_else(|| panic!("{krate} not in workspace"));
        let mut stack = vec![start["id"].as_str().unwrap().to_string()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let name = name_of(&id);
            assert!(
                !banned.iter().any(|b| name == *b || name.starts_with("gloo")),
                "{krate} depends (through its dependency tree) on {name}"
            );
            let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
            for d in node["deps"].as_array().unwrap() {
                // Only normal and build dependencies ship; dev-dependencies are test-only.
                let shipped = d["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null() || k["kind"] == "build");
                if shipped {
                    stack.push(d["pkg"].as_str().unwrap().to_string());
                }
            }
        }
        assert!(seen.len() > 3, "{krate}: dependency walk found too little");
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut bad = Vec::new();
    for f in all_rust_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        if !text.starts_with("//!") {
            bad.push(f.display().to_string());
        }
    }
    assert!(bad.is_empty(), "files without a leading //! line: {bad:?}");
}

#[test]
fn no_skipped_or_panic_expecting_tests() {
    let ignore = concat!("#[", "ignore");
    let should_panic = concat!("#[", "should_panic");
    let mut bad = Vec::new();
    for f in all_rust_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains(ignore) || text.contains(should_panic) {
            bad.push(f.display().to_string());
        }
    }
    assert!(bad.is_empty(), "skipped or should_panic tests in: {bad:?}");
}

#[test]
fn clippy_toml_keeps_the_determinism_bans() {
    // The `rand` crate (thread_rng) is kept out of the shipped tree by
    // core_crates_have_no_web_dependencies; std's RandomState is banned here.
    let text = std::fs::read_to_string(root().join("clippy.toml")).unwrap();
    for needle in [
        "std::time::Instant::now",
        "std::time::SystemTime::now",
        "std::hash::RandomState::new",
        "std::collections::HashMap",
        "std::collections::HashSet",
    ] {
        assert!(text.contains(needle), "clippy.toml no longer bans {needle}");
    }
}
