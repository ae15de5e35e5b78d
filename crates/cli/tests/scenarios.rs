//! Data-driven scenario tests: each `tests/scenarios/NAME.sh` is a kubeplay script and
//! `NAME.out` its expected transcript. Every scenario runs twice and must give the same
//! transcript and state hash. `KUBEPLAY_BLESS=1 cargo test` rewrites the .out files.

use kubeplay_cli::script::{run_script, Options};
use std::path::Path;

#[test]
fn scenarios_match_their_transcripts_and_are_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let bless = std::env::var_os("KUBEPLAY_BLESS").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "expected scenario files in {}", dir.display());
    let mut failures = Vec::new();
    for script in &names {
        let text = std::fs::read_to_string(script).unwrap();
        // Leading comments `# seed: N nodes: M ingress: nginx` set the cluster; defaults otherwise.
        let mut opts = Options::default();
        for first in text.lines().take_while(|l| l.starts_with('#')) {
            let words: Vec<&str> = first.split_whitespace().collect();
            for w in words.windows(2) {
                match w[0] {
                    "seed:" => opts.seed = w[1].parse().unwrap(),
                    "nodes:" => opts.nodes = w[1].parse().unwrap(),
                    "ingress:" => {
                        if let Some(c) = kubeplay_sim::topology::IngressController::parse(w[1]) {
                            opts.ingress = c;
                        }
                    }
                    _ => {}
                }
            }
        }
        let a = run_script(&text, &dir, &opts);
        let b = run_script(&text, &dir, &opts);
        assert_eq!(a.transcript, b.transcript, "{}: two runs printed different transcripts", script.display());
        assert_eq!(a.hash, b.hash, "{}: two runs ended in different states", script.display());
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &a.transcript).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != a.transcript {
            let diff = similar::TextDiff::from_lines(&expected, &a.transcript);
            failures.push(format!(
                "{} differs from {} (KUBEPLAY_BLESS=1 to accept):\n{}",
                script.display(),
                expected_path.display(),
                diff.unified_diff().header("expected", "actual")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
