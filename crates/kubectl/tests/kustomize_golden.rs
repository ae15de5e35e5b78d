//! kustomize builds compared with kubectl's own: each case under `tests/kustomize/cases` was
//! built by kubectl 1.32's embedded kustomize v5.5 (`kubectl kustomize DIR`, standard error
//! then standard output), and `tests/kustomize/expected` holds what it printed.

use kubeplay_kubectl::Files;
use std::path::{Path, PathBuf};

struct Disk(PathBuf);

impl Files for Disk {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|_| format!("the path {path:?} does not exist"))
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.0.join(dir)).ok()?;
        let mut names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        Some(names)
    }
}

#[test]
fn builds_match_kubectl_kustomize() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let cases = std::fs::read_to_string(root.join("cases.txt")).unwrap();
    let files = Disk(root.join("cases"));
    let mut failures = Vec::new();
    let mut count = 0;
    for case in cases.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let expected = std::fs::read_to_string(root.join("expected").join(format!("{}.out", case.replace('/', "_")))).unwrap();
        let (warnings, built) = kubeplay_kubectl::kustomize::build(&files, case);
        let got = match built {
            Ok(docs) => format!("{warnings}{}", kubeplay_kubectl::kustomize::render(&docs)),
            Err(e) => format!("{warnings}error: {e}\n"),
        };
        if got != expected {
            failures.push(format!("--- {case}\nexpected:\n{expected}\ngot:\n{got}"));
        }
    }
    assert!(count >= 50, "expected the kustomize cases in {}", root.display());
    assert!(failures.is_empty(), "{} of {count} cases differ:\n{}", failures.len(), failures.join("\n"));
}
