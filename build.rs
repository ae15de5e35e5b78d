//! Bundles lessons/ into one lesson pack (YAML) that the page embeds: each lesson folder's
//! lesson.yaml, with its lesson.md as `body` and its other manifests as `files`.

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
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("lessons.yaml");
    let text = serde_yaml::to_string(&pack).unwrap_or_default();
    if let Err(e) = std::fs::write(&out, text) {
        println!("cargo:warning=could not write the lesson bundle: {e}");
    }
}
