//! Bundles lessons/ into one lesson pack that the page embeds: each lesson folder's
//! lesson.yaml, with its lesson.md as `body` and its other manifests as `files`, written as
//! JSON (converted from the YAML) because the page parses JSON much faster.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut lessons = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&dir).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    dirs.sort();
    for d in dirs {
        let yaml_path = d.join("lesson.yaml");
        let Ok(text) = std::fs::read_to_string(&yaml_path) else { continue };
        println!("cargo:rerun-if-changed={}", d.display());
        let mut v: serde_yaml::Value = match serde_yaml::from_str(&text) {
            Ok(v) => v,
            // A broken lesson is reported by `kubeplay lesson verify`; the page skips it.
            Err(_) => continue,
        };
        let Some(m) = v.as_mapping_mut() else { continue };
        if let Ok(body) = std::fs::read_to_string(d.join("lesson.md")) {
            m.insert("body".into(), body.into());
        }
        let mut files = serde_yaml::Mapping::new();
        let mut entries: Vec<_> = std::fs::read_dir(&d).map(|r| r.flatten().collect()).unwrap_or_default();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            if name != "lesson.yaml" && (name.ends_with(".yaml") || name.ends_with(".yml")) {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    files.insert(name.into(), t.into());
                }
            }
        }
        if !files.is_empty() {
            m.insert("files".into(), files.into());
        }
        lessons.push(v);
    }
    let mut pack = serde_yaml::Mapping::new();
    pack.insert("pack".into(), "kubeplay".into());
    pack.insert("lessons".into(), serde_yaml::Value::Sequence(lessons));
    // JSON, not YAML: the page parses it at start, and serde_json is far faster there than
    // the YAML parser (the same pack parsed from lessons/ must equal it: see state.rs tests).
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("lessons.json");
    let text = serde_json::to_string(&pack).unwrap_or_default();
    if let Err(e) = std::fs::write(&out, text) {
        println!("cargo:warning=could not write the lesson bundle: {e}");
    }
    demos();
}

/// The demo scripts of demos/, in file-name order, as one JSON array of demos.
fn demos() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("demos");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    let mut demos = Vec::new();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")) {
        println!("cargo:rerun-if-changed={}", f.display());
        // A broken demo is reported by `kubeplay demo check`; the page skips it.
        if let Some(v) = std::fs::read_to_string(f).ok().and_then(|t| serde_yaml::from_str::<serde_yaml::Value>(&t).ok()) {
            demos.push(v);
        }
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("demos.json");
    if let Err(e) = std::fs::write(&out, serde_json::to_string(&demos).unwrap_or_default()) {
        println!("cargo:warning=could not write the demo bundle: {e}");
    }
}
