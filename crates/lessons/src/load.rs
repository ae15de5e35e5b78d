//! Loading lessons and packs: a lesson is a folder (`lesson.yaml`, `lesson.md`, and the
//! manifests it uses); a pack is a folder of lesson folders, or one bundled YAML file
//! `{pack: NAME, lessons: [LESSON...]}` with bodies and files inline. Loading validates:
//! a bad pack gives a list of errors, never a panic.

use crate::format::Lesson;
use serde::Deserialize;
use std::path::Path;

/// A named list of lessons.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub pack: String,
    pub lessons: Vec<Lesson>,
}

/// The most text a bundled pack may hold (the browser loads packs from files and URLs).
pub const MAX_PACK_BYTES: usize = 4 * 1024 * 1024;

/// Structural problems serde cannot see.
pub fn validate(lesson: &Lesson) -> Vec<String> {
    let mut errs = Vec::new();
    let at = |s: &str| format!("lesson {:?}: {s}", lesson.id);
    if lesson.id.trim().is_empty() {
        errs.push(at("id is empty"));
    }
    if lesson.steps.is_empty() {
        errs.push(at("has no steps"));
    }
    for (i, s) in lesson.steps.iter().enumerate() {
        let sat = |m: &str| at(&format!("step {} ({}): {m}", i + 1, s.id));
        if s.checks.is_empty() {
            errs.push(sat("has no checks"));
        }
        if s.solutions.is_empty() {
            errs.push(sat("has no reference solution"));
        }
        if let Some(b) = &s.settle {
            if crate::engine::parse_duration(b).is_none() {
                errs.push(sat(&format!("settle {b:?} is not a duration like 90s or 5m")));
            }
        }
    }
    let wrong: usize = lesson.steps.iter().map(|s| s.wrong.len()).sum();
    if wrong < 2 {
        errs.push(at(&format!("has {wrong} known-wrong answer(s); every lesson needs at least 2")));
    }
    errs
}

/// Parses a bundled pack from text.
pub fn parse_pack(text: &str) -> Result<Pack, Vec<String>> {
    if text.len() > MAX_PACK_BYTES {
        return Err(vec![format!("the pack is {} bytes; the limit is {MAX_PACK_BYTES}", text.len())]);
    }
    let pack: Pack = serde_yaml::from_str(text).map_err(|e| vec![format!("not a lesson pack: {e}")])?;
    checked(pack)
}

/// Parses a pack that build tooling already converted from YAML to JSON (the page's bundled
/// lessons: serde_json parses them several times faster than the YAML parser in wasm, and the
/// page's load time is mostly first-run work like this). Same checks as `parse_pack`.
pub fn parse_pack_json(text: &str) -> Result<Pack, Vec<String>> {
    if text.len() > MAX_PACK_BYTES {
        return Err(vec![format!("the pack is {} bytes; the limit is {MAX_PACK_BYTES}", text.len())]);
    }
    let pack: Pack = serde_json::from_str(text).map_err(|e| vec![format!("not a lesson pack: {e}")])?;
    checked(pack)
}

fn checked(pack: Pack) -> Result<Pack, Vec<String>> {
    let errs: Vec<String> = pack.lessons.iter().flat_map(validate).collect();
    if errs.is_empty() {
        Ok(pack)
    } else {
        Err(errs)
    }
}

/// Loads one lesson folder.
pub fn load_lesson_dir(dir: &Path) -> Result<Lesson, Vec<String>> {
    let yaml = std::fs::read_to_string(dir.join("lesson.yaml"))
        .map_err(|e| vec![format!("{}: {e}", dir.join("lesson.yaml").display())])?;
    let mut lesson: Lesson =
        serde_yaml::from_str(&yaml).map_err(|e| vec![format!("{}: {e}", dir.join("lesson.yaml").display())])?;
    if lesson.body.is_empty() {
        lesson.body = std::fs::read_to_string(dir.join("lesson.md")).unwrap_or_default();
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if name == "lesson.yaml" || name == "lesson.md" || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            lesson.files.entry(name).or_insert(text);
        }
    }
    let errs = validate(&lesson);
    if errs.is_empty() {
        Ok(lesson)
    } else {
        Err(errs)
    }
}

/// Loads a lesson folder, a folder of lesson folders (sorted by name), or a bundled pack file.
pub fn load(path: &Path) -> Result<Vec<Lesson>, Vec<String>> {
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
        return parse_pack(&text).map(|p| p.lessons);
    }
    if path.join("lesson.yaml").is_file() {
        return load_lesson_dir(path).map(|l| vec![l]);
    }
    let mut dirs: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| vec![format!("{}: {e}", path.display())])?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("lesson.yaml").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(vec![format!("{}: no lessons (folders with a lesson.yaml) found", path.display())]);
    }
    let mut lessons = Vec::new();
    let mut errs = Vec::new();
    for d in dirs {
        match load_lesson_dir(&d) {
            Ok(l) => lessons.push(l),
            Err(e) => errs.extend(e),
        }
    }
    if errs.is_empty() {
        Ok(lessons)
    } else {
        Err(errs)
    }
}
