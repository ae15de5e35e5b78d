//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs the cargo-fuzz targets in `fuzz/`
//! (YAML apply, kubectl command lines, lesson packs, share-URL fragments), one after another,
//! each for N seconds (default 60), from a seed corpus made of the repository's own inputs:
//! lesson and docs-example manifests, scenario scripts, lessons wrapped as packs, and shared
//! sessions built from scenario lines. Findings land in `target/fuzz/artifacts/TARGET/`; the
//! command fails when a run found one, and prints how to reproduce it.
//!
//! cargo-fuzz needs nightly flags; `RUSTC_BOOTSTRAP=1` lets the machine's stable toolchain
//! take them. Targets build without a sanitizer (`-s none`: the code is safe Rust) and with
//! debug assertions, so arithmetic overflow is a finding too.

use crate::tools::{self, root};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGETS: [&str; 4] = ["yaml_apply", "kubectl_command", "lesson_pack", "share_url"];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut seconds = 60u64;
    let mut targets: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                seconds = it.next().and_then(|s| s.parse().ok()).ok_or("--seconds takes a number")?;
            }
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => return Err(format!("unknown fuzz argument {other:?}; targets are {}", TARGETS.join(", "))),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    tools::cargo_tool("cargo-fuzz", "cargo-fuzz", "~0.13", |v| v.starts_with("cargo-fuzz 0.13."), true)?;
    let fuzz_dir = root().join("fuzz");
    let base = root().join("target/fuzz");
    let mut found = Vec::new();
    for t in &targets {
        let corpus = base.join("corpus").join(t);
        let artifacts = base.join("artifacts").join(t);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
        let seeded = seed(t, &corpus)?;
        let before = count(&artifacts);
        tools::step(&format!("fuzzing {t} for {seconds} s ({seeded} seed inputs, corpus {})", corpus.display()));
        let status = Command::new("cargo")
            .current_dir(&fuzz_dir)
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", t, "-s", "none", "-a"])
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-timeout=30")
            .arg("-rss_limit_mb=4096")
            .arg("-max_len=65536")
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .status()
            .map_err(|e| format!("cargo fuzz: could not start: {e}"))?;
        let after = count(&artifacts);
        if !status.success() || after > before {
            found.push(format!(
                "{t}: {} new finding(s) in {} (reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run {t} -s none -a FILE)",
                after - before,
                artifacts.display()
            ));
        }
    }
    if found.is_empty() {
        println!("fuzz: {} target(s), {seconds} s each, no findings", targets.len());
        Ok(())
    } else {
        Err(format!("fuzzing found problems:\n  {}", found.join("\n  ")))
    }
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// Writes the seed inputs for `target` into its corpus folder; returns how many.
fn seed(target: &str, corpus: &Path) -> Result<usize, String> {
    let r = root();
    let mut seeds: Vec<String> = Vec::new();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    match target {
        "yaml_apply" => {
            let mut files = Vec::new();
            files_under(&r.join("lessons"), "yaml", &mut files);
            files_under(&r.join("crates/kubectl/docs-examples"), "yaml", &mut files);
            seeds.extend(files.iter().filter(|p| !p.ends_with("lesson.yaml")).map(|p| read(p)));
        }
        "kubectl_command" => {
            let mut files = Vec::new();
            files_under(&r.join("crates/cli/tests/scenarios"), "sh", &mut files);
            seeds.extend(files.iter().map(|p| read(p)));
        }
        "lesson_pack" => {
            let mut files = Vec::new();
            files_under(&r.join("lessons"), "yaml", &mut files);
            for p in files.iter().filter(|p| p.ends_with("lesson.yaml")) {
                let mut pack = String::from("pack: seed\nlessons:\n");
                for (i, line) in read(p).lines().enumerate() {
                    pack.push_str(if i == 0 { "- " } else { "  " });
                    pack.push_str(line);
                    pack.push('\n');
                }
                seeds.push(pack);
            }
        }
        "share_url" => {
            let mut files = Vec::new();
            files_under(&r.join("crates/cli/tests/scenarios"), "sh", &mut files);
            for p in files.iter().take(24) {
                let text = read(p);
                let log: Vec<serde_json::Value> = text
                    .lines()
                    .filter(|l| l.starts_with("kubectl ") || l.starts_with("curl "))
                    .take(12)
                    .enumerate()
                    .map(|(i, l)| serde_json::json!({"t": i as u64 * 2_000, "line": l}))
                    .collect();
                let n = log.len() as u64;
                let json = serde_json::json!({
                    "v": 1, "lesson": null, "log": log, "texts": [], "editor": "",
                    "now": n * 2_000, "hash": "0000000000000000"
                });
                seeds.push(format!("#s={}", b64url(json.to_string().as_bytes())));
            }
        }
        _ => {}
    }
    for (i, s) in seeds.iter().enumerate() {
        std::fs::write(corpus.join(format!("seed-{i:03}")), s).map_err(|e| e.to_string())?;
    }
    Ok(seeds.len())
}

/// Unpadded base64url, as the page's share links use.
fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for k in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn b64url_matches_the_standard_alphabet_unpadded() {
        assert_eq!(super::b64url(b"Man"), "TWFu");
        assert_eq!(super::b64url(b"Ma"), "TWE");
        assert_eq!(super::b64url(b"M"), "TQ");
        assert_eq!(super::b64url(&[0xfb, 0xff]), "-_8");
    }
}
