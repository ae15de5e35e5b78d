//! `kubectl diff`: each object of the manifests as it is live and as it would be if applied
//! (a server-side dry run: the apply's three-way merge, or a create for an object that does
//! not exist), written as YAML to files in a LIVE and a MERGED directory and compared by
//! `diff -u -N`, whose output and exit status (0 same, 1 different, 2 error) kubectl passes on.
//!
//! Here the dry run is the apply run on a copy of the world, and GNU diff's unified format is
//! made by `similar`. The temporary directories' random suffixes and the files' times come
//! from the world's state and its virtual clock, so a replay prints the same.

use crate::args::Args;
use crate::exec::{api_error_text, manifest_docs, manifest_ref, ManifestDoc};
use crate::{Env, Output};
use kubeplay_sim::{Kind, Object, World};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// kubectl's masks for a Secret's values (`sensitiveMaskDefault`, `...Before`, `...After`).
const MASK: &str = "***";
const MASK_BEFORE: &str = "*** (before)";
const MASK_AFTER: &str = "*** (after)";

pub fn diff(world: &World, args: &Args, env: &Env<'_>) -> Output {
    // kubectl diff exits 1 for "differences found", so its own errors exit 2.
    let fail = |msg: String| Output { exit_code: 2, ..Output::err(msg) };
    if !crate::exec::has_sources(args) {
        return fail("error: must specify one of -f and -k\n".into());
    }
    if !args.positional.is_empty() {
        return fail(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl diff -h' for help and examples\n",
            args.positional.join(" ")
        ));
    }
    let pruner = match crate::prune::from_args(args, false) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let mut visited = crate::prune::Visited::default();
    let mut errs = String::new();
    let mut diags = Vec::new();
    let docs = match manifest_docs(args, env, true, &mut errs, &mut diags) {
        Ok((docs, _)) => docs,
        Err(e) => return fail(e),
    };
    if !errs.is_empty() {
        return Output { diagnostics: diags, ..fail(errs) };
    }
    let mut warnings = String::new();
    // File name → (live YAML, merged YAML, or None when the MERGED file is absent: a
    // pruned object); a later object of the same name overwrites.
    let mut files: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for ManifestDoc { kind, mut value, obj_name: name, .. } in docs {
        let ns = manifest_ref(args, kind, &value).namespace;
        if kind.info().namespaced {
            if let Some(m) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                m.insert("namespace".into(), Value::String(ns.clone()));
            }
        }
        let live = world.get(kind, &ns, &name).cloned();
        visited.mark(kind, live.as_ref().and_then(|o| o.meta().uid.as_deref()), Some(&ns));
        let merged = match merged(world, kind, &value, live.as_ref()) {
            Ok(m) => m,
            Err(e) => return fail(e),
        };
        if let Some(l) = &live {
            if l.meta().deletion_timestamp.is_some() {
                let _ = writeln!(warnings, "Warning: Detected changes to resource {name} which is currently being deleted.");
            }
        }
        let mut live = live.map(|o| shown(&o));
        let mut merged = shown(&merged);
        if kind == Kind::Secret {
            mask_secret(live.as_mut(), &mut merged);
        }
        files.insert(file_name(kind, &ns, &name), (live.as_ref().map(file_text).unwrap_or_default(), Some(file_text(&merged))));
    }
    // What a prune would delete is in LIVE only, so the diff shows it removed.
    if let Some(p) = &pruner {
        for r in p.candidates(world, &visited) {
            if let Some(o) = world.store().get_ref(&r) {
                files.insert(file_name(r.kind, &r.namespace, &r.name), (file_text(&shown(o)), None));
            }
        }
    }
    let (live_dir, merged_dir) = directories(world);
    let mut out = String::new();
    for (file, (live, merged)) in &files {
        if Some(live) == merged.as_ref() {
            continue;
        }
        let (from, to) = (format!("{live_dir}/{file}"), format!("{merged_dir}/{file}"));
        let _ = writeln!(out, "diff -u -N {from} {to}");
        let stamp = file_time(world);
        // `diff -N` dates a file that does not exist at the epoch.
        let to_stamp = if merged.is_some() { stamp.clone() } else { "1970-01-01 00:00:00.000000000 +0000".to_string() };
        let unified = similar::TextDiff::from_lines(live.as_str(), merged.as_deref().unwrap_or(""))
            .unified_diff()
            .context_radius(3)
            .header(&format!("{from}\t{stamp}"), &format!("{to}\t{to_stamp}"))
            .to_string();
        out.push_str(&unified);
    }
    let exit_code = i32::from(!out.is_empty());
    Output { warnings, stdout: out, exit_code, ..Output::default() }
}

/// The object as the dry run returns it: applied over the live object (the resourceVersion
/// stays the live one, as nothing was stored), or, for an object that does not exist,
/// created as the manifest has it (without apply's last-applied annotation: kubectl diff
/// dry-runs a plain create then) and without a resourceVersion.
fn merged(world: &World, kind: Kind, value: &Value, live: Option<&Object>) -> Result<Object, String> {
    let mut scratch = world.clone();
    match live {
        Some(l) => {
            let (mut o, _) = scratch.apply(value).map_err(|e| api_error_text(&e))?;
            o.meta_mut().resource_version = l.meta().resource_version.clone();
            // kubectl diff patches without rewriting the last-applied annotation
            // (`GetModifiedConfiguration(..., annotate=false)`), so it stays as it is live.
            let last = kubeplay_sim::api::LAST_APPLIED;
            let live_last = l.meta().annotations.as_ref().and_then(|a| a.get(last)).cloned();
            let annotations = o.meta_mut().annotations.get_or_insert_with(Default::default);
            match live_last {
                Some(v) => {
                    annotations.insert(last.to_string(), v);
                }
                None => {
                    annotations.remove(last);
                }
            }
            if annotations.is_empty() {
                o.meta_mut().annotations = None;
            }
            Ok(o)
        }
        None => {
            let obj = kubeplay_sim::api::decode_for_server(value).map_err(|e| api_error_text(&e))?;
            let mut o = scratch.create(obj).map_err(|e| api_error_text(&e))?;
            debug_assert_eq!(o.kind(), kind);
            o.meta_mut().resource_version = None;
            Ok(o)
        }
    }
}

/// The object as kubectl prints it to the file (managedFields are not kept by kubeplay, so
/// there are none to leave out).
fn shown(o: &Object) -> Value {
    let mut v = o.to_value();
    if let Some(m) = v.as_object_mut() {
        crate::create::empty_status(o.kind(), m);
    }
    v
}

/// A file's text: the object as `yaml.Marshal` writes it, keys sorted.
fn file_text(v: &Value) -> String {
    crate::yaml::to_yaml(&kubeplay_sim::api::sort_keys(v))
}

/// kubectl's `Masker`: every value under `data` becomes `***`, except that a key whose
/// value changed shows `*** (before)` and `*** (after)`.
fn mask_secret(live: Option<&mut Value>, merged: &mut Value) {
    let before = live.as_ref().and_then(|l| l.get("data")).and_then(Value::as_object).cloned().unwrap_or_default();
    let after = merged.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
    let masked = |data: &serde_json::Map<String, Value>, other: &serde_json::Map<String, Value>, changed: &str| {
        data.iter()
            .map(|(k, v)| {
                let m = match other.get(k) {
                    Some(o) if o != v => changed,
                    _ => MASK,
                };
                (k.clone(), Value::String(m.into()))
            })
            .collect::<serde_json::Map<String, Value>>()
    };
    if let Some(l) = live {
        if let Some(m) = l.as_object_mut().filter(|m| m.contains_key("data")) {
            m.insert("data".into(), Value::Object(masked(&before, &after, MASK_BEFORE)));
        }
    }
    if let Some(m) = merged.as_object_mut().filter(|m| m.contains_key("data")) {
        m.insert("data".into(), Value::Object(masked(&after, &before, MASK_AFTER)));
    }
}

/// `group.version.Kind.namespace.name` (no group for the core group; an empty namespace for
/// a cluster-scoped kind).
fn file_name(kind: Kind, ns: &str, name: &str) -> String {
    let i = kind.info();
    let group = if i.group.is_empty() { String::new() } else { format!("{}.", i.group) };
    format!("{group}{}.{}.{ns}.{name}", i.version, i.kind)
}

/// The two temporary directories: `/tmp/LIVE-<n>` and `/tmp/MERGED-<n>`, where Go's
/// `os.MkdirTemp` puts a random 32-bit number. Here the number comes from the world's
/// state, so the same session prints the same names.
fn directories(world: &World) -> (String, String) {
    let mut rng = crate::random_session::Rng(world.state_hash() ^ world.now_ms());
    let (a, b) = (rng.next(), rng.next());
    (format!("/tmp/LIVE-{}", a as u32), format!("/tmp/MERGED-{}", b as u32))
}

/// A file's modification time as GNU diff prints it (`%Y-%m-%d %H:%M:%S.%N %z`), from the
/// virtual clock.
fn file_time(world: &World) -> String {
    let ms = world.now_ms();
    let t = kubeplay_sim::world::time_at(ms);
    let nanos = (ms % 1000) * 1_000_000 + crate::random_session::Rng(ms).next() % 1_000_000;
    format!("{}.{nanos:09} +0000", t.0.strftime("%Y-%m-%d %H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_kubectl() {
        assert_eq!(file_name(Kind::Deployment, "default", "web"), "apps.v1.Deployment.default.web");
        assert_eq!(file_name(Kind::Service, "dev", "web"), "v1.Service.dev.web");
        assert_eq!(file_name(Kind::Namespace, "", "dev"), "v1.Namespace..dev");
    }

    #[test]
    fn secrets_are_masked_with_changes_marked() {
        let mut live = serde_json::json!({"data": {"a": "MQ==", "b": "Mg==", "gone": "eA=="}});
        let mut merged = serde_json::json!({"data": {"a": "MQ==", "b": "Mw==", "new": "eQ=="}});
        mask_secret(Some(&mut live), &mut merged);
        assert_eq!(live, serde_json::json!({"data": {"a": "***", "b": "*** (before)", "gone": "***"}}));
        assert_eq!(merged, serde_json::json!({"data": {"a": "***", "b": "*** (after)", "new": "***"}}));
    }
}
