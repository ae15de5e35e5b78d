//! kustomize, as kubectl 1.35 embeds it (kustomize v5.7): `kubectl kustomize DIR` and the
//! `-k DIR` of apply, create, delete, get and describe. It reads the learner's files, builds
//! the kustomization (resources and bases, ConfigMap and Secret generators with their
//! content-hash suffix, namespace, name prefix and suffix, labels and annotations, images,
//! replicas, strategic-merge and JSON 6902 patches, replacements, name references) and returns the
//! documents in kustomize's legacy order, keys sorted, as `kustomize build` prints them.
//! Remote bases, components, helm charts, vars and plugin transformers are not
//! simulated, and say so.

use crate::Files;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One resource during a build.
struct Res {
    value: Value,
    /// The name it was first declared with, which references and patches may use.
    orig_name: String,
    /// Names it had between the first and the current (kustomize matches any of them).
    prior: Vec<String>,
    /// A generated ConfigMap or Secret that gets the content hash as a name suffix.
    hash: bool,
}

impl Res {
    /// Whether it has been called `n` (first, current or in between).
    fn known_as(&self, n: &str) -> bool {
        self.name() == n || self.orig_name == n || self.prior.iter().any(|p| p == n)
    }
    fn rename(&mut self, new: String) {
        let old = self.name().to_string();
        if old != new {
            self.prior.push(old);
            set(&mut self.value, &["metadata"], "name", Value::String(new));
        }
    }
    fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }
    fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }
    fn namespace(&self) -> &str {
        self.value["metadata"]["namespace"].as_str().unwrap_or("")
    }
    fn api_version(&self) -> &str {
        self.value["apiVersion"].as_str().unwrap_or("")
    }
    /// kustomize's resource id in messages: `Deployment.v1.apps/web.[noNs]`.
    fn id(&self) -> String {
        res_id(self.kind(), self.api_version(), self.name(), self.namespace())
    }
}

fn res_id(kind: &str, api_version: &str, name: &str, ns: &str) -> String {
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("[noGrp]", api_version),
    };
    let ns = if ns.is_empty() { "[noNs]" } else { ns };
    format!("{kind}.{version}.{group}/{name}.{ns}")
}

/// The fields of a Kustomization that kubeplay simulates.
const FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "images",
    "replicas",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "sortOptions",
    "replacements",
];

/// Fields of a Kustomization that kubeplay knows but does not simulate (refused unless
/// empty).
const UNSIMULATED: &[&str] = &[
    "buildMetadata",
    "components",
    "vars",
    "transformers",
    "generators",
    "validators",
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "crds",
    "configurations",
    "openapi",
];

/// Deprecated fields, in the order kustomize warns about them, and what replaces each.
const DEPRECATED: &[(&str, &str)] = &[
    ("bases", "resources"),
    ("commonLabels", "labels"),
    ("patchesJson6902", "patches"),
    ("patchesStrategicMerge", "patches"),
    ("vars", "replacements"),
];

/// The fields of the Kustomization's nested types that kubeplay knows, checked strictly
/// as kustomize's decoder does (a typo is an `unknown field` error, not silently ignored).
const NESTED: &[(&str, &[&str])] = &[
    ("images", &["name", "newName", "newTag", "digest", "tagSuffix"]),
    ("replicas", &["name", "count"]),
    ("configMapGenerator", &["name", "namespace", "behavior", "files", "literals", "envs", "env", "options"]),
    ("secretGenerator", &["name", "namespace", "behavior", "files", "literals", "envs", "env", "options", "type"]),
    ("patches", &["path", "patch", "target", "options"]),
    ("patchesJson6902", &["path", "patch", "target"]),
    ("labels", &["pairs", "includeSelectors", "includeTemplates", "fields"]),
    ("replacements", &["path", "source", "sourceValue", "targets"]),
];

const GENERATOR_OPTIONS: &[&str] = &["labels", "annotations", "disableNameSuffixHash", "immutable"];
const PATCH_OPTIONS: &[&str] = &["allowNameChange", "allowKindChange"];
const TARGET: &[&str] = &["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"];

fn unknown_field(obj: &Value, known: &[&str]) -> Result<(), String> {
    for key in obj.as_object().into_iter().flat_map(|m| m.keys()) {
        if !known.contains(&key.as_str()) {
            return Err(format!("invalid Kustomization: json: unknown field \"{key}\""));
        }
    }
    Ok(())
}

/// Rejects unknown fields, and fields kubeplay does not simulate (unless empty).
fn check_fields(k: &Value) -> Result<(), String> {
    let known: Vec<&str> = FIELDS.iter().chain(UNSIMULATED).copied().collect();
    unknown_field(k, &known)?;
    for (key, v) in k.as_object().into_iter().flatten() {
        let empty = match v {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(m) => m.is_empty(),
            _ => false,
        };
        if UNSIMULATED.contains(&key.as_str()) && !empty {
            return Err(format!("kubeplay: the kustomization field '{key}' is not simulated"));
        }
    }
    for (field, known) in NESTED {
        for item in k[*field].as_array().into_iter().flatten() {
            unknown_field(item, known)?;
            let options = if field.starts_with("patches") { PATCH_OPTIONS } else { GENERATOR_OPTIONS };
            unknown_field(&item["options"], options)?;
            unknown_field(&item["target"], TARGET)?;
        }
    }
    unknown_field(&k["generatorOptions"], GENERATOR_OPTIONS)?;
    check_types(k)
}

/// The JSON type name Go's decoder reports.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The top-level fields' types, with Go's `json: cannot unmarshal` wording: a label value
/// written `true` or `1` unquoted is the mistake this catches most.
fn check_types(k: &Value) -> Result<(), String> {
    let wrong = |field: &str, v: &Value, ty: &str| {
        format!(
            "invalid Kustomization: json: cannot unmarshal {} into Go struct field Kustomization.{field} of type {ty}",
            json_type(v)
        )
    };
    for field in ["apiVersion", "kind", "namespace", "namePrefix", "nameSuffix"] {
        match &k[field] {
            Value::Null | Value::String(_) => {}
            v => return Err(wrong(field, v, "string")),
        }
    }
    for field in ["resources", "bases", "patchesStrategicMerge"] {
        match &k[field] {
            Value::Null => {}
            Value::Array(items) => {
                if let Some(v) = items.iter().find(|v| !v.is_string()) {
                    return Err(wrong(field, v, "string"));
                }
            }
            v => return Err(wrong(field, v, "[]string")),
        }
    }
    for field in ["commonLabels", "commonAnnotations"] {
        match &k[field] {
            Value::Null => {}
            Value::Object(m) => {
                if let Some(v) = m.values().find(|v| !v.is_string()) {
                    return Err(wrong(field, v, "string"));
                }
            }
            v => return Err(wrong(field, v, "map[string]string")),
        }
    }
    Ok(())
}

const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How deep bases may nest (a cycle would otherwise recurse forever).
const MAX_DEPTH: u32 = 20;

/// Builds the kustomization in `dir`.
/// Returns kustomize's deprecation warnings (printed even when the build fails) and the
/// documents or the error.
pub fn build(files: &dyn Files, dir: &str) -> (String, Result<Vec<Value>, String>) {
    let mut warnings = String::new();
    let result = build_docs(files, dir, &mut warnings);
    (warnings, result)
}

fn build_docs(files: &dyn Files, dir: &str, warnings: &mut String) -> Result<Vec<Value>, String> {
    let dir_n = normalize(dir);
    if !dir_n.is_empty() && read_kustomization(files, &dir_n).is_none() && files.list(&dir_n).is_none() {
        return Err(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {dir}: no such file or directory"
        ));
    }
    let mut res = accumulate(files, &dir_n, warnings, &mut Vec::new())?;
    // The content hash is added last, at the top, as kustomize's addHashesToNames does.
    for r in &mut res {
        if r.hash {
            let suffix = content_hash(&r.value);
            let name = format!("{}-{suffix}", r.name());
            r.rename(name);
        }
    }
    fix_name_references(&mut res);
    // sortOptions: kustomize's legacy order (the default, its kind lists replaceable) or the
    // order the resources were read in (fifo).
    let top: Value = read_kustomization(files, &dir_n).and_then(|(_, t)| serde_yaml::from_str(&t).ok()).unwrap_or_default();
    let sort = &top["sortOptions"];
    if sort["order"].as_str() != Some("fifo") {
        let custom = &sort["legacySortOptions"];
        let first = strings(&custom["orderFirst"]);
        let last = strings(&custom["orderLast"]);
        let lists = (!first.is_empty() || !last.is_empty()).then_some((&first, &last));
        res.sort_by_key(|r| sort_key(r, lists));
    }
    Ok(res.into_iter().map(|r| sorted(r.value)).collect())
}

/// The build as `kubectl kustomize` prints it.
pub fn render(docs: &[Value]) -> String {
    docs.iter().map(crate::yaml::to_yaml).collect::<Vec<_>>().join("---\n")
}

/// `a/./b/../c` → `a/c`; `.` → ``.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') || dir.is_empty() {
        normalize(rel)
    } else {
        normalize(&format!("{dir}/{rel}"))
    }
}

/// A directory as messages show it.
fn shown(dir: &str) -> String {
    if dir.is_empty() {
        ".".into()
    } else {
        dir.to_string()
    }
}

/// The kustomization file in `dir`: its name and text.
fn read_kustomization(files: &dyn Files, dir: &str) -> Option<(&'static str, String)> {
    KUSTOMIZATION_FILES.iter().find_map(|f| files.read(&join(dir, f)).ok().map(|t| (*f, t)))
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
        _ => Vec::new(),
    }
}

/// Loads, generates, patches and transforms one kustomization (and, through its resources,
/// the kustomizations it builds on).
fn accumulate(files: &dyn Files, dir: &str, warnings: &mut String, visited: &mut Vec<String>) -> Result<Vec<Res>, String> {
    if visited.iter().any(|v| v == dir) {
        return Err(format!("cycle detected: candidate root '{0}' contains visited root '{0}'", shown(dir)));
    }
    if visited.len() as u32 > MAX_DEPTH {
        return Err(format!("kubeplay: kustomizations nest more than {MAX_DEPTH} deep at '{}'", shown(dir)));
    }
    let Some((fname, text)) = read_kustomization(files, dir) else {
        return Err(format!(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
            shown(dir)
        ));
    };
    if KUSTOMIZATION_FILES.iter().filter(|f| files.read(&join(dir, f)).is_ok()).count() > 1 {
        return Err(format!("Found multiple kustomization files under: {}\n", shown(dir)));
    }
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(format!("{fname} is empty"));
    }
    visited.push(dir.to_string());
    let result = accumulate_parsed(files, dir, &text, warnings, visited);
    visited.pop();
    result
}

fn accumulate_parsed(
    files: &dyn Files,
    dir: &str,
    text: &str,
    warnings: &mut String,
    visited: &mut Vec<String>,
) -> Result<Vec<Res>, String> {
    let k: Value = serde_yaml::from_str(text).map_err(|e| format!("invalid Kustomization: {e}"))?;
    let k = match k {
        Value::Null => Value::Object(Map::new()),
        Value::Object(_) => k,
        _ => return Err("invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization".into()),
    };
    check_fields(&k)?;
    for (field, instead) in DEPRECATED {
        if k.get(*field).is_some() {
            let experimental = if *field == "vars" { "[EXPERIMENTAL] " } else { "" };
            let line = format!(
                "# Warning: '{field}' is deprecated. Please use '{instead}' instead. {experimental}Run 'kustomize edit fix' to update your Kustomization automatically.\n"
            );
            warnings.push_str(&line);
        }
    }
    match k["kind"].as_str() {
        None | Some("Kustomization") => {}
        Some("Component") => return Err("kubeplay: kustomize components are not simulated".into()),
        Some(_) => {
            return Err(format!(
                "Failed to read kustomization file under {}:\nkind should be Kustomization or Component\n",
                shown(dir)
            ))
        }
    }

    let mut res: Vec<Res> = Vec::new();
    let mut entries = strings(&k["resources"]);
    entries.extend(strings(&k["bases"]));
    for entry in entries {
        if entry.contains("://") || entry.starts_with("github.com/") || entry.starts_with("git@") {
            return Err(format!(
                "kubeplay: remote kustomize resources ({entry}) are not simulated: the page has no internet; copy the files next to your kustomization"
            ));
        }
        let path = join(dir, &entry);
        let added = if let Ok(text) = files.read(&path) {
            let docs = kubeplay_sim::decode::parse_manifests(&text)
                .map_err(|e| format!("accumulating resources: accumulation err='accumulating resources from '{entry}': {e}"))?;
            let mut out = Vec::new();
            for d in docs {
                if !d.value.is_object() {
                    continue;
                }
                let missing = if d.value["kind"].as_str().unwrap_or("").is_empty() {
                    Some("kind")
                } else if d.value["metadata"]["name"].as_str().unwrap_or("").is_empty() {
                    Some("metadata.name")
                } else {
                    None
                };
                if let Some(what) = missing {
                    return Err(format!(
                        "accumulating resources: accumulation err='accumulating resources from '{entry}': missing {what} in object {}': must build at directory: '{path}': file is not directory",
                        go_object_dump(&d.value)
                    ));
                }
                let orig_name = d.value["metadata"]["name"].as_str().unwrap_or("").to_string();
                out.push(Res { value: d.value, orig_name, prior: Vec::new(), hash: false });
            }
            out
        } else if read_kustomization(files, &path).is_some() {
            if visited.contains(&path) {
                return Err(format!(
                    "accumulating resources: accumulation err='accumulating resources from '{entry}': '{path}' must resolve to a file': cycle detected: candidate root '{path}' contains visited root '{path}'"
                ));
            }
            accumulate(files, &path, warnings, visited).map_err(|e| {
                format!(
                    "accumulating resources: accumulation err='accumulating resources from '{entry}': '{path}' must resolve to a file': recursed accumulation of path '{path}': {e}"
                )
            })?
        } else {
            return Err(format!(
                "accumulating resources: accumulation err='accumulating resources from '{entry}': evalsymlink failure on '{path}' : lstat {path}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '{path}' : lstat {path}: no such file or directory"
            ));
        };
        for r in added {
            if res.iter().any(|o| o.id() == r.id()) {
                return Err(format!(
                    "accumulating resources: accumulation err='merging resources from '{entry}': may not add resource with an already registered id: {}': must build at directory: '{path}': file is not directory",
                    r.id()
                ));
            }
            res.push(r);
        }
    }

    let options = &k["generatorOptions"];
    for g in k["configMapGenerator"].as_array().into_iter().flatten() {
        let r = generate(files, dir, g, options, false)?;
        add_generated(&mut res, r, g)?;
    }
    for g in k["secretGenerator"].as_array().into_iter().flatten() {
        let r = generate(files, dir, g, options, true)?;
        add_generated(&mut res, r, g)?;
    }

    // Transformers, in the order kustomize's builtins run.
    for p in strings(&k["patchesStrategicMerge"]) {
        // An entry is a file, or (when it holds a newline or a mapping) an inline patch.
        let text = match files.read(&join(dir, &p)) {
            Ok(t) => t,
            Err(_) if p.contains('\n') || p.contains(": ") => p.clone(),
            Err(_) => {
                return Err(format!(
                    "trouble configuring builtin PatchStrategicMergeTransformer with config: `\npaths:\n- {p}\n`: {}",
                    missing_file(dir, &p)
                ))
            }
        };
        let docs = kubeplay_sim::decode::parse_manifests(&text).map_err(|e| {
            format!("trouble configuring builtin PatchStrategicMergeTransformer with config: `\npaths:\n- {p}\n`: {e}")
        })?;
        for d in docs {
            // kustomize's patchesStrategicMerge reads a YAML null as the string "null".
            strategic_patch_by_id(&mut res, &nulls_to_strings(d.value), false)?;
        }
    }
    for p in k["patches"].as_array().into_iter().flatten() {
        apply_patch_entry(files, dir, &mut res, p)?;
    }
    if let Some(ns) = k["namespace"].as_str().filter(|n| !n.is_empty()) {
        for r in &mut res {
            if r.kind() == "Namespace" {
                r.rename(ns.to_string());
            } else if is_namespaced(r.kind()) {
                set(&mut r.value, &["metadata"], "namespace", Value::String(ns.to_string()));
            }
            set_subject_namespaces(&mut r.value, ns);
        }
    }
    let prefix = k["namePrefix"].as_str().unwrap_or("");
    let suffix = k["nameSuffix"].as_str().unwrap_or("");
    if !prefix.is_empty() || !suffix.is_empty() {
        for r in &mut res {
            if matches!(r.kind(), "Namespace" | "CustomResourceDefinition") {
                continue;
            }
            let name = format!("{prefix}{}{suffix}", r.name());
            r.rename(name);
        }
    }
    if let Some(labels) = k["commonLabels"].as_object() {
        for r in &mut res {
            add_labels(&mut r.value, labels, true, true);
        }
    }
    for l in k["labels"].as_array().into_iter().flatten() {
        let Some(pairs) = l["pairs"].as_object() else { continue };
        let selectors = l["includeSelectors"].as_bool().unwrap_or(false);
        let templates = selectors || l["includeTemplates"].as_bool().unwrap_or(false);
        for r in &mut res {
            add_labels(&mut r.value, pairs, selectors, templates);
        }
    }
    if let Some(annotations) = k["commonAnnotations"].as_object() {
        for r in &mut res {
            add_annotations(&mut r.value, annotations);
        }
    }
    for p in k["patchesJson6902"].as_array().into_iter().flatten() {
        apply_patch_entry(files, dir, &mut res, p)?;
    }
    for rep in k["replicas"].as_array().into_iter().flatten() {
        let name = rep["name"].as_str().unwrap_or("");
        let Some(count) = rep["count"].as_i64() else { continue };
        let mut found = false;
        for r in &mut res {
            if matches!(r.kind(), "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController") && r.known_as(name) {
                found = true;
                set(&mut r.value, &["spec"], "replicas", Value::from(count));
            }
        }
        if !found {
            return Err(format!(
                "resource with name {name} does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]"
            ));
        }
    }
    for img in k["images"].as_array().into_iter().flatten() {
        for r in &mut res {
            set_images(&mut r.value, img);
        }
    }
    for rep in k["replacements"].as_array().into_iter().flatten() {
        let rep = match rep["path"].as_str() {
            Some(path) => {
                let text = files.read(&join(dir, path)).map_err(|_| missing_file(dir, path))?;
                serde_yaml::from_str::<Value>(&text).map_err(|e| format!("{path}: {e}"))?
            }
            None => rep.clone(),
        };
        replace(&mut res, &rep)?;
    }
    Ok(res)
}

/// A ConfigMap (or Secret) from a generator entry.
fn generate(files: &dyn Files, dir: &str, g: &Value, global: &Value, secret: bool) -> Result<Res, String> {
    let kind = if secret { "Secret" } else { "ConfigMap" };
    let name = g["name"].as_str().unwrap_or("").to_string();
    if name.is_empty() {
        return Err(format!("a {} must have a name", kind.to_lowercase()));
    }
    let mut data = Map::new();
    let mut put = |k: String, v: String| -> Result<(), String> {
        if data.contains_key(&k) {
            return Err(format!("{} {name} illegally repeats the key `{k}`", kind.to_lowercase()));
        }
        let v = if secret { wrapped_base64(v.as_bytes()) } else { v };
        data.insert(k, Value::String(v));
        Ok(())
    };
    for env in strings(&g["envs"]).into_iter().chain(g["env"].as_str().map(String::from)) {
        let text = files
            .read(&join(dir, &env))
            .map_err(|_| format!("loading KV pairs: env source files: [{env}]: {}", missing_file(dir, &env)))?;
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 { line.trim_start_matches('\u{feff}') } else { line };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            put(k.to_string(), v.to_string())?;
        }
    }
    for lit in strings(&g["literals"]) {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(format!(
                "loading KV pairs: literal sources [{}]: invalid literal source {lit}, expected key=value",
                strings(&g["literals"]).join(" ")
            ));
        };
        let v = match (v.chars().next(), v.chars().last()) {
            (Some(a @ ('"' | '\'')), Some(b)) if v.len() >= 2 && a == b => &v[1..v.len() - 1],
            _ => v,
        };
        put(k.to_string(), v.to_string())?;
    }
    for f in strings(&g["files"]) {
        let (key, path) = match f.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (f.rsplit('/').next().unwrap_or(&f).to_string(), f.clone()),
        };
        let full = join(dir, &path);
        let text = match files.read(&full) {
            Ok(t) => t,
            Err(_) if files.list(&full).is_some() => {
                return Err(format!("loading KV pairs: file sources: [{f}]: '{full}' must resolve to a file"))
            }
            Err(_) => {
                return Err(format!(
                    "loading KV pairs: file sources: [{}]: {}",
                    strings(&g["files"]).join(" "),
                    missing_file(dir, &path)
                ))
            }
        };
        put(key, text)?;
    }
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String(name));
    if let Some(ns) = g["namespace"].as_str() {
        meta.insert("namespace".into(), Value::String(ns.to_string()));
    }
    let opts = &g["options"];
    for field in ["labels", "annotations"] {
        let mut m = Map::new();
        for src in [&global[field], &opts[field]] {
            for (k, v) in src.as_object().into_iter().flatten() {
                m.insert(k.clone(), v.clone());
            }
        }
        if !m.is_empty() {
            meta.insert(field.into(), Value::Object(m));
        }
    }
    let mut value = Map::new();
    value.insert("apiVersion".into(), Value::String("v1".into()));
    value.insert("kind".into(), Value::String(kind.into()));
    value.insert("metadata".into(), Value::Object(meta));
    if !data.is_empty() {
        value.insert("data".into(), Value::Object(data));
    }
    if secret {
        let ty = g["type"].as_str().unwrap_or("Opaque");
        value.insert("type".into(), Value::String(ty.to_string()));
    }
    if opts["immutable"].as_bool().unwrap_or(false) || global["immutable"].as_bool().unwrap_or(false) {
        value.insert("immutable".into(), Value::Bool(true));
    }
    let disable = opts["disableNameSuffixHash"].as_bool().or(global["disableNameSuffixHash"].as_bool()).unwrap_or(false);
    let orig_name = value["metadata"]["name"].as_str().unwrap_or("").to_string();
    Ok(Res { value: Value::Object(value), orig_name, prior: Vec::new(), hash: !disable })
}

fn missing_file(dir: &str, path: &str) -> String {
    let full = join(dir, path);
    format!("evalsymlink failure on '{full}' : lstat {full}: no such file or directory")
}

/// Adds a generated object, honouring the generator's `behavior` (create, merge, replace)
/// towards one of the same kind and name from a base.
fn add_generated(res: &mut Vec<Res>, mut r: Res, g: &Value) -> Result<(), String> {
    let behavior = g["behavior"].as_str().unwrap_or("create");
    // A generator that names no namespace matches its base's object in whatever namespace.
    let existing = res.iter().position(|o| {
        o.kind() == r.kind() && o.known_as(&r.orig_name) && (r.namespace().is_empty() || o.namespace() == r.namespace())
    });
    match (behavior, existing) {
        ("create", None) => res.push(r),
        ("create", Some(_)) => {
            return Err(format!(
                "merging from generator &{{{}}}: id {} exists; behavior must be merge or replace",
                r.orig_name,
                r.id()
            ))
        }
        ("merge", Some(i)) => {
            let old = &mut res[i];
            for field in ["data"] {
                if let Some(new) = r.value[field].as_object().cloned() {
                    merge_into(map_at(&mut old.value, &[field], true), &new);
                }
            }
            for field in ["labels", "annotations"] {
                if let Some(new) = r.value["metadata"][field].as_object().cloned() {
                    merge_into(map_at(&mut old.value, &["metadata", field], true), &new);
                }
            }
            old.hash = old.hash || r.hash;
        }
        ("replace", Some(i)) => {
            // The data is replaced; the base's name, namespace, labels and annotations stay
            // (the generator's own labels and annotations win).
            r.orig_name = res[i].orig_name.clone();
            r.prior = res[i].prior.clone();
            let old_meta = res[i].value["metadata"].clone();
            for field in ["labels", "annotations"] {
                if let Some(old) = old_meta[field].as_object() {
                    let mut merged = old.clone();
                    merged.extend(r.value["metadata"][field].as_object().cloned().unwrap_or_default());
                    set(&mut r.value, &["metadata"], field, Value::Object(merged));
                }
            }
            for field in ["name", "namespace"] {
                if let Some(v) = old_meta.get(field) {
                    set(&mut r.value, &["metadata"], field, v.clone());
                }
            }
            r.hash = r.hash || res[i].hash;
            res[i] = r;
        }
        ("merge" | "replace", None) => {
            return Err(format!("id {} does not exist; cannot merge or replace", r.id()));
        }
        (other, _) => return Err(format!("unknown generation behavior '{other}'")),
    }
    Ok(())
}

/// Go's `encoding/json` string encoding (it escapes `<`, `>` and `&` as well).
pub(crate) fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `json.Marshal` of a JSON value: maps with sorted keys, no spaces.
fn go_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                go_json(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        Value::String(s) => go_json_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

/// The name suffix kustomize's hasher gives a ConfigMap or Secret: the SHA-256 of its
/// encoding, first ten hex digits, with `0 1 3 a e` swapped for `g h k m t`. kustomize v5
/// looks the name up by a path its lookup does not split, so the name it hashes is always
/// empty: the suffix depends on the kind, type and data only (what kubectl 1.35 prints; the
/// docs pages show suffixes from older releases, which hashed the name too).
fn content_hash(v: &Value) -> String {
    let field = |f: &str| match &v[f] {
        Value::Null => Value::String(String::new()),
        other => other.clone(),
    };
    let mut m = Map::new();
    m.insert("kind".into(), v["kind"].clone());
    m.insert("name".into(), Value::String(String::new()));
    m.insert("data".into(), field("data"));
    if v["kind"] == "Secret" {
        m.insert("type".into(), field("type"));
        if v["stringData"].is_object() {
            m.insert("stringData".into(), v["stringData"].clone());
        }
    } else if v["binaryData"].is_object() {
        m.insert("binaryData".into(), v["binaryData"].clone());
    }
    let mut encoded = String::new();
    go_json(&Value::Object(m), &mut encoded);
    let digest = Sha256::digest(encoded.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// Kinds that are not namespaced (the namespace transformer leaves them alone).
fn is_namespaced(kind: &str) -> bool {
    !matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "StorageClass"
            | "IngressClass"
            | "PriorityClass"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "APIService"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "CSIDriver"
            | "RuntimeClass"
    )
}

/// RoleBindings' and ClusterRoleBindings' ServiceAccount subjects follow the namespace
/// transformer, as kustomize's subjects field spec does.
fn set_subject_namespaces(v: &mut Value, ns: &str) {
    if !matches!(v["kind"].as_str(), Some("RoleBinding" | "ClusterRoleBinding")) {
        return;
    }
    // kustomize's default (roleBindingSubjects: defaultOnly): ServiceAccount subjects with
    // no namespace or the `default` namespace follow; others are left alone.
    for s in v.get_mut("subjects").and_then(Value::as_array_mut).into_iter().flatten() {
        if s["kind"] == "ServiceAccount" && matches!(s["namespace"].as_str(), None | Some("" | "default")) {
            s["namespace"] = Value::String(ns.to_string());
        }
    }
}

/// `obj[path...]` as a map, created if `create` (else only when it exists).
fn map_at<'a>(v: &'a mut Value, path: &[&str], create: bool) -> Option<&'a mut Map<String, Value>> {
    let mut cur = v;
    for p in path {
        if !cur.is_object() {
            return None;
        }
        if cur.get(*p).is_none_or(Value::is_null) {
            if !create {
                return None;
            }
            cur[*p] = Value::Object(Map::new());
        }
        cur = cur.get_mut(*p)?;
    }
    cur.as_object_mut()
}

/// Sets `v[path...][key]`, creating maps on the way; a step that is not a map (a
/// malformed resource) leaves the value alone rather than failing.
fn set(v: &mut Value, path: &[&str], key: &str, value: Value) {
    if let Some(m) = map_at(v, path, true) {
        m.insert(key.to_string(), value);
    }
}

fn merge_into(target: Option<&mut Map<String, Value>>, add: &Map<String, Value>) {
    if let Some(t) = target {
        for (k, v) in add {
            t.insert(k.clone(), v.clone());
        }
    }
}

/// The label transformer's field specs.
fn add_labels(v: &mut Value, labels: &Map<String, Value>, selectors: bool, templates: bool) {
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    merge_into(map_at(v, &["metadata", "labels"], true), labels);
    let workload = matches!(kind.as_str(), "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet");
    if selectors {
        match kind.as_str() {
            "Service" | "ReplicationController" => merge_into(map_at(v, &["spec", "selector"], true), labels),
            _ if workload => merge_into(map_at(v, &["spec", "selector", "matchLabels"], true), labels),
            "Job" | "PodDisruptionBudget" => merge_into(map_at(v, &["spec", "selector", "matchLabels"], false), labels),
            "CronJob" => merge_into(map_at(v, &["spec", "jobTemplate", "spec", "selector", "matchLabels"], false), labels),
            "NetworkPolicy" => merge_into(map_at(v, &["spec", "podSelector", "matchLabels"], false), labels),
            _ => {}
        }
    }
    if templates {
        if workload || matches!(kind.as_str(), "Job" | "ReplicationController") {
            merge_into(map_at(v, &["spec", "template", "metadata", "labels"], true), labels);
        }
        if kind == "CronJob" {
            merge_into(map_at(v, &["spec", "jobTemplate", "metadata", "labels"], true), labels);
            merge_into(map_at(v, &["spec", "jobTemplate", "spec", "template", "metadata", "labels"], true), labels);
        }
        if kind == "StatefulSet" {
            for t in v
                .get_mut("spec")
                .and_then(|s| s.get_mut("volumeClaimTemplates"))
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                merge_into(map_at(t, &["metadata", "labels"], true), labels);
            }
        }
    }
}

/// The annotations transformer's field specs.
fn add_annotations(v: &mut Value, annotations: &Map<String, Value>) {
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    merge_into(map_at(v, &["metadata", "annotations"], true), annotations);
    if matches!(kind.as_str(), "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController") {
        merge_into(map_at(v, &["spec", "template", "metadata", "annotations"], true), annotations);
    }
    if kind == "CronJob" {
        merge_into(map_at(v, &["spec", "jobTemplate", "metadata", "annotations"], true), annotations);
        merge_into(map_at(v, &["spec", "jobTemplate", "spec", "template", "metadata", "annotations"], true), annotations);
    }
}

/// The pod spec inside a workload, if it has one.
fn pod_spec(v: &mut Value) -> Option<&mut Value> {
    let path: &[&str] = match v["kind"].as_str()? {
        "Pod" => &["spec"],
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController" | "PodTemplate" => {
            &["spec", "template", "spec"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    };
    let mut cur = v;
    for p in path {
        cur = cur.get_mut(*p)?;
    }
    cur.is_object().then_some(cur)
}

/// The image transformer: `images: [{name, newName, newTag, digest}]`.
fn set_images(v: &mut Value, img: &Value) {
    let Some(name) = img["name"].as_str() else { return };
    let Some(spec) = pod_spec(v) else { return };
    for list in ["containers", "initContainers"] {
        for c in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
            let Some(image) = c["image"].as_str() else { continue };
            let (base, tag, digest) = split_image(image);
            if base != name {
                continue;
            }
            let new_base = img["newName"].as_str().unwrap_or(base);
            let new_image = if let (Some(t), Some(d)) = (img["newTag"].as_str(), img["digest"].as_str()) {
                format!("{new_base}:{t}@{d}")
            } else if let Some(d) = img["digest"].as_str() {
                format!("{new_base}@{d}")
            } else if let Some(t) = img["newTag"].as_str() {
                format!("{new_base}:{t}")
            } else if let Some(d) = digest {
                format!("{new_base}@{d}")
            } else if let Some(t) = tag {
                format!("{new_base}:{t}")
            } else {
                new_base.to_string()
            };
            c["image"] = Value::String(new_image);
        }
    }
}

/// `registry/name:tag@digest` → (name part, tag, digest).
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    match rest.rfind(':') {
        Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(&rest[i + 1..]), digest),
        _ => (rest, None, digest),
    }
}

/// A replacement's field path (`spec.template.spec.containers.[name=web].image`,
/// `spec.containers.0.args.1`) as steps.
fn field_path(path: &str) -> Vec<String> {
    let mut steps = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                cur.push(c);
            }
            '.' if depth == 0 => steps.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    steps.push(cur);
    steps.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The nodes a field path reaches (`*` and `[k=v]` may reach several), creating the last
/// step when `create` allows.
fn field_nodes<'a>(v: &'a mut Value, steps: &[String], create: bool, out: &mut Vec<&'a mut Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(v);
        return;
    };
    if let Some(sel) = step.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let (k, want) = sel.split_once('=').unwrap_or((sel, ""));
        for item in v.as_array_mut().into_iter().flatten() {
            if item[k].as_str() == Some(want) || item[k].as_i64().map(|n| n.to_string()).as_deref() == Some(want) {
                field_nodes(item, rest, create, out);
            }
        }
        return;
    }
    if step == "*" {
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| field_nodes(x, rest, create, out)),
            Value::Object(m) => m.values_mut().for_each(|x| field_nodes(x, rest, create, out)),
            _ => {}
        }
        return;
    }
    match v {
        Value::Array(a) => {
            if let Some(x) = step.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                field_nodes(x, rest, create, out);
            }
        }
        Value::Object(m) => {
            if !m.contains_key(step.as_str()) {
                if !create {
                    return;
                }
                m.insert(step.clone(), if rest.is_empty() { Value::Null } else { Value::Object(Map::new()) });
            }
            if let Some(x) = m.get_mut(step.as_str()) {
                field_nodes(x, rest, create, out);
            }
        }
        _ => {}
    }
}

/// `replacements:`: copies a field of one resource (or a literal `sourceValue`) into fields
/// of others, with the delimiter/index options for part of a string.
fn replace(res: &mut [Res], rep: &Value) -> Result<(), String> {
    let source = &rep["source"];
    let value = if let Some(v) = rep.get("sourceValue").filter(|v| !v.is_null()) {
        v.clone()
    } else {
        let picked: Vec<usize> = (0..res.len()).filter(|&i| matches_target(&res[i], source)).collect();
        let i = match picked.as_slice() {
            [i] => *i,
            [] => return Err(format!("nothing selected by {}", selector_text(source))),
            _ => return Err(format!("multiple matches for selector {}", selector_text(source))),
        };
        let path = source["fieldPath"].as_str().unwrap_or("metadata.name");
        let mut found = Vec::new();
        let mut copy = res[i].value.clone();
        field_nodes(&mut copy, &field_path(path), false, &mut found);
        let Some(v) = found.into_iter().next().map(|v| v.clone()) else {
            return Err(format!("fieldPath `{path}` is missing for replacement source {}", res[i].id()));
        };
        match (source["options"]["delimiter"].as_str(), v.as_str()) {
            (Some(d), Some(text)) => {
                let idx = source["options"]["index"].as_i64().unwrap_or(0);
                let parts: Vec<&str> = text.split(d).collect();
                match usize::try_from(idx).ok().and_then(|i| parts.get(i)) {
                    Some(p) => Value::String(p.to_string()),
                    None => return Err(format!("options.index {idx} is out of bounds for value {text}")),
                }
            }
            _ => v,
        }
    };
    for target in rep["targets"].as_array().into_iter().flatten() {
        let select = &target["select"];
        let rejects: Vec<&Value> = target["reject"].as_array().into_iter().flatten().collect();
        let create = target["options"]["create"].as_bool().unwrap_or(false);
        for r in res.iter_mut().filter(|r| matches_target(r, select) && !rejects.iter().any(|x| matches_target(r, x))) {
            for path in strings(&target["fieldPaths"]) {
                let mut nodes = Vec::new();
                field_nodes(&mut r.value, &field_path(&path), create, &mut nodes);
                if nodes.is_empty() {
                    return Err(format!("unable to find field \"{path}\" in replacement target"));
                }
                for node in nodes {
                    *node = match (target["options"]["delimiter"].as_str(), node.as_str(), value.as_str()) {
                        (Some(d), Some(old), Some(new)) => {
                            let mut parts: Vec<String> = old.split(d).map(String::from).collect();
                            let idx = target["options"]["index"].as_i64().unwrap_or(0);
                            match usize::try_from(idx).ok().filter(|i| *i < parts.len()) {
                                Some(i) => parts[i] = new.to_string(),
                                None if idx < 0 => parts.insert(0, new.to_string()),
                                None => parts.push(new.to_string()),
                            }
                            Value::String(parts.join(d))
                        }
                        _ => value.clone(),
                    };
                }
            }
        }
    }
    Ok(())
}

fn selector_text(s: &Value) -> String {
    let field = |f: &str| s[f].as_str().unwrap_or("").to_string();
    format!("{}.{}.{}/{}.{}", field("kind"), field("version"), field("group"), field("name"), field("namespace"))
}

/// Where each kind is referred to by name: (referred kind, referrer kind or "" for any pod
/// spec holder, path; `[]` steps into every element of a list).
const NAME_REFS: &[(&str, &str, &[&str])] = &[
    ("ConfigMap", "", &["volumes", "[]", "configMap", "name"]),
    ("ConfigMap", "", &["volumes", "[]", "projected", "sources", "[]", "configMap", "name"]),
    ("ConfigMap", "", &["containers", "[]", "env", "[]", "valueFrom", "configMapKeyRef", "name"]),
    ("ConfigMap", "", &["initContainers", "[]", "env", "[]", "valueFrom", "configMapKeyRef", "name"]),
    ("ConfigMap", "", &["containers", "[]", "envFrom", "[]", "configMapRef", "name"]),
    ("ConfigMap", "", &["initContainers", "[]", "envFrom", "[]", "configMapRef", "name"]),
    ("Secret", "", &["volumes", "[]", "secret", "secretName"]),
    ("Secret", "", &["volumes", "[]", "projected", "sources", "[]", "secret", "name"]),
    ("Secret", "", &["containers", "[]", "env", "[]", "valueFrom", "secretKeyRef", "name"]),
    ("Secret", "", &["initContainers", "[]", "env", "[]", "valueFrom", "secretKeyRef", "name"]),
    ("Secret", "", &["containers", "[]", "envFrom", "[]", "secretRef", "name"]),
    ("Secret", "", &["initContainers", "[]", "envFrom", "[]", "secretRef", "name"]),
    ("Secret", "", &["imagePullSecrets", "[]", "name"]),
    ("PersistentVolumeClaim", "", &["volumes", "[]", "persistentVolumeClaim", "claimName"]),
    ("ServiceAccount", "", &["serviceAccountName"]),
    ("PriorityClass", "", &["priorityClassName"]),
    ("Secret", "Ingress", &["spec", "tls", "[]", "secretName"]),
    ("Service", "Ingress", &["spec", "rules", "[]", "http", "paths", "[]", "backend", "service", "name"]),
    ("Service", "Ingress", &["spec", "defaultBackend", "service", "name"]),
    ("IngressClass", "Ingress", &["spec", "ingressClassName"]),
    ("Service", "StatefulSet", &["spec", "serviceName"]),
    ("PersistentVolume", "PersistentVolumeClaim", &["spec", "volumeName"]),
    ("StorageClass", "PersistentVolumeClaim", &["spec", "storageClassName"]),
    ("Role", "RoleBinding", &["roleRef", "name"]),
    ("ClusterRole", "RoleBinding", &["roleRef", "name"]),
    ("ClusterRole", "ClusterRoleBinding", &["roleRef", "name"]),
    ("Secret", "ServiceAccount", &["imagePullSecrets", "[]", "name"]),
];

fn visit_path<'a>(v: &'a mut Value, path: &[&str], out: &mut Vec<&'a mut Value>) {
    match path.split_first() {
        None => out.push(v),
        Some((&"[]", rest)) => {
            for x in v.as_array_mut().into_iter().flatten() {
                visit_path(x, rest, out);
            }
        }
        Some((step, rest)) => {
            if let Some(x) = v.get_mut(*step) {
                visit_path(x, rest, out);
            }
        }
    }
}

/// Points references at the names their targets ended up with (prefix, suffix, hash).
fn fix_name_references(res: &mut [Res]) {
    // (kind, original name, namespace) → final name
    let renames: Vec<(String, String, String, String)> = res
        .iter()
        .flat_map(|r| {
            std::iter::once(&r.orig_name)
                .chain(&r.prior)
                .filter(|n| n.as_str() != r.name())
                .map(|n| (r.kind().to_string(), n.clone(), r.namespace().to_string(), r.name().to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    if renames.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        let kind = r.kind().to_string();
        let ns = r.namespace().to_string();
        for (target, referrer, path) in NAME_REFS {
            let mut spots = Vec::new();
            if referrer.is_empty() {
                if let Some(spec) = pod_spec(&mut r.value) {
                    visit_path(spec, path, &mut spots);
                }
            } else if *referrer == kind {
                visit_path(&mut r.value, path, &mut spots);
            }
            for spot in spots {
                let Some(old) = spot.as_str() else { continue };
                let cluster_scoped = !is_namespaced(target);
                if let Some((_, _, _, new)) =
                    renames.iter().find(|(k, o, n, _)| k == target && o == old && (cluster_scoped || *n == ns))
                {
                    *spot = Value::String(new.clone());
                }
            }
        }
        if kind == "HorizontalPodAutoscaler" {
            let target_kind = r.value["spec"]["scaleTargetRef"]["kind"].as_str().unwrap_or("").to_string();
            if let Some(old) = r.value["spec"]["scaleTargetRef"]["name"].as_str() {
                if let Some((_, _, _, new)) = renames.iter().find(|(k, o, n, _)| *k == target_kind && o == old && *n == ns) {
                    set(&mut r.value, &["spec", "scaleTargetRef"], "name", Value::String(new.clone()));
                }
            }
        }
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            for s in r.value.get_mut("subjects").and_then(Value::as_array_mut).into_iter().flatten() {
                if s["kind"] != "ServiceAccount" {
                    continue;
                }
                let sns = s["namespace"].as_str().unwrap_or(&ns).to_string();
                let Some(old) = s["name"].as_str() else { continue };
                if let Some((_, _, _, new)) = renames.iter().find(|(k, o, n, _)| k == "ServiceAccount" && o == old && *n == sns) {
                    s["name"] = Value::String(new.clone());
                }
            }
        }
    }
}

/// kustomize's legacy order: some kinds first, webhooks last, the rest by
/// group/version/kind, then by namespace and name.
fn sort_key(r: &Res, custom: Option<(&Vec<String>, &Vec<String>)>) -> (i32, String, String, String) {
    const FIRST: &[&str] = &[
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
    let kind = r.kind();
    let (first, last): (Vec<&str>, Vec<&str>) = match custom {
        Some((f, l)) => (f.iter().map(String::as_str).collect(), l.iter().map(String::as_str).collect()),
        None => (FIRST.to_vec(), LAST.to_vec()),
    };
    let order = if let Some(i) = first.iter().position(|k| *k == kind) {
        i as i32 - first.len() as i32
    } else if let Some(i) = last.iter().position(|k| *k == kind) {
        1 + i as i32
    } else {
        0
    };
    let (group, version) = match r.api_version().split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => ("~G".to_string(), r.api_version().to_string()),
    };
    let ns = if r.namespace().is_empty() { "~X".to_string() } else { r.namespace().to_string() };
    (order, format!("{group}_{version}_{kind}"), ns, r.name().to_string())
}

/// Keys sorted at every level, as kustomize prints them.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

// ---- patches ----

/// A `patches:` or `patchesJson6902:` entry: `path` or inline `patch`, and a `target`.
fn apply_patch_entry(files: &dyn Files, dir: &str, res: &mut Vec<Res>, p: &Value) -> Result<(), String> {
    let text = match (p["path"].as_str(), p["patch"].as_str()) {
        (Some(path), _) => files.read(&join(dir, path)).map_err(|_| {
            format!(
                "trouble configuring builtin PatchTransformer with config: `\npath: {path}\n`: failed to get the patch file from path({path}): {}",
                missing_file(dir, path)
            )
        })?,
        (None, Some(inline)) => inline.to_string(),
        (None, None) => return Err("unable to parse SM or JSON patch from []".into()),
    };
    let docs = kubeplay_sim::decode::parse_manifests(&text)
        .map_err(|e| format!("unable to parse SM or JSON patch from [{}]: {e}", text.trim()))?;
    let target = &p["target"];
    let allow_name_change = p["options"]["allowNameChange"].as_bool().unwrap_or(false);
    if let [doc] = docs.as_slice() {
        if let Value::Array(ops) = &doc.value {
            if target.is_null() {
                return Err(format!("must specify a target for JSON patch {}", text.trim()));
            }
            // A JSON patch whose target matches nothing changes nothing.
            for r in res.iter_mut().filter(|r| matches_target(r, target)) {
                json6902(&mut r.value, ops)?;
            }
            return Ok(());
        }
    }
    if target.is_null() {
        for d in docs {
            strategic_patch_by_id(res, &d.value, allow_name_change)?;
        }
        return Ok(());
    }
    for d in docs {
        let delete = d.value["$patch"] == "delete";
        if delete {
            res.retain(|r| !matches_target(r, target));
            continue;
        }
        for r in res.iter_mut().filter(|r| matches_target(r, target)) {
            apply_strategic(&mut r.value, &d.value, allow_name_change);
        }
    }
    Ok(())
}

/// Merges a strategic-merge patch into a resource. The patch's name and namespace only
/// choose the target: they are not copied (unless the patch's options allow a name change).
fn apply_strategic(target: &mut Value, patch: &Value, allow_name_change: bool) {
    let mut patch = patch.clone();
    if !allow_name_change {
        if let Some(meta) = patch.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("name");
            meta.remove("namespace");
        }
    }
    strategic_merge(target, &patch, "");
}

/// A YAML null becomes the string "null" (what patchesStrategicMerge makes of it).
fn nulls_to_strings(v: Value) -> Value {
    match v {
        Value::Null => Value::String("null".into()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, nulls_to_strings(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(nulls_to_strings).collect()),
        other => other,
    }
}

/// Secret data as kustomize's generator encodes it: base64 in lines of 70 characters, each
/// ended by a newline once there is more than one line's worth.
fn wrapped_base64(bytes: &[u8]) -> String {
    let enc = kubeplay_sim::shell::base64_encode(bytes);
    if enc.len() < 70 {
        return enc;
    }
    let mut out = String::new();
    for chunk in enc.as_bytes().chunks(70) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// How kustomize's errors print an object it cannot use: Go's `%v` of its type and
/// object meta, `{{apiVersion kind} {{name namespace} map[labels] map[annotations]}}`.
fn go_object_dump(v: &Value) -> String {
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    let go_map = |x: &Value| {
        let mut pairs: Vec<String> =
            x.as_object().into_iter().flatten().map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or(""))).collect();
        pairs.sort();
        format!("map[{}]", pairs.join(" "))
    };
    let m = &v["metadata"];
    format!(
        "{{{{{} {}}} {{{{{} {}}} {} {}}}}}",
        s(&v["apiVersion"]),
        s(&v["kind"]),
        s(&m["name"]),
        s(&m["namespace"]),
        go_map(&m["labels"]),
        go_map(&m["annotations"])
    )
}

/// Whether a resource matches a patch target (kind, group, version; name and namespace as
/// anchored regular expressions; a label selector of `k=v` terms).
fn matches_target(r: &Res, t: &Value) -> bool {
    let re = |pattern: &str, value: &str| {
        regex_lite::Regex::new(&format!("^(?:{pattern})$")).map(|re| re.is_match(value)).unwrap_or(pattern == value)
    };
    if let Some(k) = t["kind"].as_str() {
        if !re(k, r.kind()) {
            return false;
        }
    }
    let (group, version) = r.api_version().split_once('/').unwrap_or(("", r.api_version()));
    if t["group"].as_str().is_some_and(|g| g != group) || t["version"].as_str().is_some_and(|v| v != version) {
        return false;
    }
    if let Some(n) = t["name"].as_str() {
        if !re(n, r.name()) && !re(n, &r.orig_name) && !r.prior.iter().any(|p| re(n, p)) {
            return false;
        }
    }
    if let Some(ns) = t["namespace"].as_str() {
        if !re(ns, r.namespace()) {
            return false;
        }
    }
    for (field, meta) in [("labelSelector", "labels"), ("annotationSelector", "annotations")] {
        if let Some(sel) = t[field].as_str() {
            for term in sel.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let ok = match term.split_once("!=") {
                    Some((k, v)) => r.value["metadata"][meta][k.trim()].as_str() != Some(v.trim()),
                    None => match term.split_once('=') {
                        Some((k, v)) => r.value["metadata"][meta][k.trim()].as_str() == Some(v.trim_start_matches('=').trim()),
                        None => r.value["metadata"][meta].get(term).is_some(),
                    },
                };
                if !ok {
                    return false;
                }
            }
        }
    }
    true
}

/// A strategic-merge patch aimed by its own kind and name (`$patch: delete` removes the
/// resource).
fn strategic_patch_by_id(res: &mut Vec<Res>, patch: &Value, allow_name_change: bool) -> Result<(), String> {
    let kind = patch["kind"].as_str().unwrap_or("");
    let name = patch["metadata"]["name"].as_str().unwrap_or("");
    let ns = patch["metadata"]["namespace"].as_str();
    let found: Vec<usize> = (0..res.len())
        .filter(|&i| {
            let r = &res[i];
            r.kind() == kind && r.known_as(name) && ns.is_none_or(|n| n == r.namespace())
        })
        .collect();
    let id = res_id(kind, patch["apiVersion"].as_str().unwrap_or(""), name, ns.unwrap_or(""));
    match found.as_slice() {
        [i] => {
            if patch["$patch"] == "delete" {
                res.remove(*i);
            } else {
                apply_strategic(&mut res[*i].value, patch, allow_name_change);
            }
            Ok(())
        }
        [] => Err(format!(
            "no resource matches strategic merge patch \"{id}\": no matches for Id {id}; failed to find unique target for patch {id}"
        )),
        _ => Err(format!("multiple matches for Id {id}; failed to find unique target for patch {id}")),
    }
}

/// The merge keys of a list field (strategic merge patch's `patchMergeKey`; ports are
/// told apart by protocol too), if it has them.
fn merge_keys(field: &str, items: &[Value]) -> Option<&'static [&'static str]> {
    Some(match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" | "resourceClaims" => {
            &["name"]
        }
        "volumeMounts" => &["mountPath"],
        "volumeDevices" => &["devicePath"],
        "hostAliases" => &["ip"],
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => &["containerPort", "protocol"],
        "ports" => &["port", "protocol"],
        "topologySpreadConstraints" => &["topologyKey", "whenUnsatisfiable"],
        _ => return None,
    })
}

/// Applies a strategic-merge patch: maps merge, `null` deletes, lists with a merge key
/// merge by it (`$patch: delete` removes an element), other lists are replaced.
fn strategic_merge(target: &mut Value, patch: &Value, field: &str) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut clean = p.clone();
        clean.remove("$patch");
        *target = Value::Object(clean);
        return;
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        if field.is_empty() && matches!(k.as_str(), "apiVersion" | "kind") {
            continue;
        }
        let Some(t) = target.as_object_mut() else { return };
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Object(_) => {
                let slot = t.entry(k.clone()).or_insert_with(|| Value::Object(Map::new()));
                strategic_merge(slot, v, k);
            }
            Value::Array(items) if items.iter().any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace")) => {
                let clean: Vec<Value> = items.iter().filter(|i| i.get("$patch").is_none()).cloned().collect();
                t.insert(k.clone(), Value::Array(clean));
            }
            Value::Array(items) => match (t.get_mut(k), merge_keys(k, items)) {
                (Some(Value::Array(existing)), Some(keys)) => merge_list(existing, items, keys, k),
                _ => {
                    let clean: Vec<Value> = items.iter().filter(|i| i.get("$patch").is_none()).cloned().collect();
                    t.insert(k.clone(), Value::Array(clean));
                }
            },
            other => {
                t.insert(k.clone(), other.clone());
            }
        }
    }
}

/// Whether two list elements have the same merge key (a missing protocol is TCP).
fn same_key(a: &Value, b: &Value, keys: &[&str]) -> bool {
    keys.iter().all(|k| {
        let (x, y) = (&a[*k], &b[*k]);
        if *k == "protocol" {
            x.as_str().unwrap_or("TCP") == y.as_str().unwrap_or("TCP")
        } else {
            x == y
        }
    })
}

/// Merges a keyed list as kustomize (kyaml's merge2) does: the patch's elements first, in
/// the patch's order, each merged into its original; then the originals it did not name.
fn merge_list(existing: &mut Vec<Value>, items: &[Value], keys: &[&str], field: &str) {
    let mut rest: Vec<Option<Value>> = existing.drain(..).map(Some).collect();
    let mut out = Vec::new();
    for item in items {
        let pos = rest.iter().position(|e| e.as_ref().is_some_and(|e| same_key(e, item, keys)));
        let original = pos.and_then(|i| rest[i].take());
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            continue;
        }
        match original {
            Some(mut o) => {
                strategic_merge(&mut o, item, field);
                out.push(o);
            }
            None => out.push(item.clone()),
        }
    }
    out.extend(rest.into_iter().flatten());
    *existing = out;
}

/// A JSON pointer's tokens (`~1` is `/`, `~0` is `~`).
fn pointer_tokens(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("JSON pointer must be empty or start with a \"/\": {path:?}"));
    };
    Ok(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

fn get_parent<'a>(doc: &'a mut Value, tokens: &[String], path: &str, op: &str) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for t in tokens {
        cur = match cur {
            Value::Object(m) => m.get_mut(t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| {
            // evanphx/json-patch quotes the path in every message but replace's.
            let shown = if op == "replace" { path.to_string() } else { format!("{path:?}") };
            format!("{op} operation does not apply: doc is missing path: {shown}: missing value")
        })?;
    }
    Ok(cur)
}

/// RFC 6902 patch operations on one document.
fn json6902(doc: &mut Value, ops: &[Value]) -> Result<(), String> {
    for op in ops {
        let name = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("");
        let tokens = pointer_tokens(path)?;
        let value = || op.get("value").cloned().ok_or_else(|| format!("Unexpected kind: {name} missing value"));
        match name {
            "add" => insert_at(doc, &tokens, path, value()?, "add")?,
            "replace" => {
                let slot = get_parent(doc, &tokens, path, "replace")?;
                *slot = value()?;
            }
            "remove" => {
                remove_at(doc, &tokens, path)?;
            }
            "move" | "copy" => {
                let from = op["from"].as_str().unwrap_or("");
                let from_tokens = pointer_tokens(from)?;
                let v = if name == "move" {
                    remove_at(doc, &from_tokens, from)?
                } else {
                    get_parent(doc, &from_tokens, from, "copy")?.clone()
                };
                insert_at(doc, &tokens, path, v, name)?;
            }
            "test" => {
                let actual = get_parent(doc, &tokens, path, "test")?;
                if *actual != value()? {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

fn insert_at(doc: &mut Value, tokens: &[String], path: &str, v: Value, op: &str) -> Result<(), String> {
    let Some((last, parent)) = tokens.split_last() else {
        *doc = v;
        return Ok(());
    };
    let parent = get_parent(doc, parent, path, op)?;
    match parent {
        Value::Object(m) => {
            m.insert(last.clone(), v);
            Ok(())
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>().map_err(|_| format!("{op} operation does not apply: doc is missing path: {path:?}"))?
            };
            if i > a.len() {
                return Err(format!(
                    "{op} operation does not apply: doc is missing path: {path:?}: invalid index referenced: {i}"
                ));
            }
            a.insert(i, v);
            Ok(())
        }
        _ => Err(format!("{op} operation does not apply: doc is missing path: {path:?}")),
    }
}

fn remove_at(doc: &mut Value, tokens: &[String], path: &str) -> Result<Value, String> {
    let missing = || format!("remove operation does not apply: doc is missing path: {path:?}");
    let Some((last, parent)) = tokens.split_last() else { return Err(missing()) };
    match get_parent(doc, parent, path, "remove")? {
        Value::Object(m) => m.shift_remove(last).ok_or_else(missing),
        Value::Array(a) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < a.len()).ok_or_else(missing)?;
            Ok(a.remove(i))
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Mem(BTreeMap<String, String>);
    impl Files for Mem {
        fn read(&self, path: &str) -> Result<String, String> {
            self.0.get(path).cloned().ok_or_else(|| format!("the path {path:?} does not exist"))
        }
    }

    fn mem(files: &[(&str, &str)]) -> Mem {
        Mem(files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn hash_suffixes_match_kustomize_v5() {
        // Figures from kubectl 1.32's kustomize v5.5 on the same inputs.
        let m = mem(&[
            ("application.properties", "FOO=Bar\n"),
            (
                "kustomization.yaml",
                "configMapGenerator:\n- name: example-configmap-1\n  files:\n  - application.properties\n- name: lit\n  literals:\n  - FOO=Bar\n  - A=b\nsecretGenerator:\n- name: example-secret-1\n  literals:\n  - username=admin\n  - password=secret\n",
            ),
        ]);
        let b = build(&m, ".").1.unwrap();
        let names: Vec<&str> = b.iter().map(|d| d["metadata"]["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["example-configmap-1-g4hk9g2ff8", "lit-86d4g855m5", "example-secret-1-8c5228dkb9"]);
        assert_eq!(b[2]["data"]["password"], "c2VjcmV0");
    }

    #[test]
    fn malformed_resources_do_not_panic() {
        let m = mem(&[
            ("r.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: just-a-string\nspec: [1, 2]\n---\nkind: ConfigMap\nmetadata:\n  name: c\ndata: 3\n"),
            (
                "kustomization.yaml",
                "resources: [r.yaml]\nnamespace: x\nnamePrefix: p-\ncommonLabels: {a: b}\ncommonAnnotations: {c: d}\nreplicas: [{name: just-a-string, count: 2}]\nimages: [{name: nginx, newTag: '1'}]\nconfigMapGenerator: [{name: c, behavior: merge, literals: [k=v]}]\n",
            ),
        ]);
        // Whatever kustomize would say, kubeplay must answer without panicking.
        let _ = build(&m, ".");
        let m = mem(&[("kustomization.yaml", "resources: [.]\n")]);
        let e = build(&m, ".").1.err().unwrap();
        assert!(e.contains("cycle detected"), "{e}");
    }

    #[test]
    fn any_field_of_any_type_gives_an_answer_not_a_panic() {
        let values =
            ["null", "1", "x", "[1]", "{a: 1}", "[{}]", "[{name: 1, path: 2, source: 3, targets: 4, target: 5}]", "[x, '']"];
        let resource = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx, env: [{name: A, value: b}]}]\n";
        let mut fields: Vec<&str> = FIELDS.iter().chain(UNSIMULATED).copied().collect();
        fields.sort();
        for field in fields {
            for v in values {
                let k = format!("resources: [r.yaml]\n{field}: {v}\n");
                let k = if field == "resources" { format!("resources: {v}\n") } else { k };
                let m = mem(&[("r.yaml", resource), ("kustomization.yaml", &k)]);
                let (_, result) = build(&m, ".");
                if let Ok(docs) = result {
                    let _ = render(&docs);
                }
            }
        }
        let entries = [
            "replacements: [{source: 3, targets: 4}]",
            "replacements: [{source: {kind: Deployment, fieldPath: spec.x}, targets: [{select: {kind: Deployment}, fieldPaths: ['a.[b=c].*.0']}]}]",
            "replacements: [{source: {kind: Deployment, fieldPath: 'spec.template.spec.containers.[name=c].image', options: {delimiter: ':', index: 9}}, targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name], options: {delimiter: '-', index: -4}}]}]",
            "replacements: [{sourceValue: {a: 1}, targets: [{select: {name: '('}, fieldPaths: ['spec.*.*.*'], options: {create: true}}]}]",
            "patches: [{patch: 3}]",
            "patches: [{patch: '[]', target: {kind: Deployment}}]",
            "patches: [{patch: '- op: add', target: {kind: Deployment}}]",
            "patches: [{patch: '- {op: move, from: /spec, path: /spec/x}', target: {kind: Deployment}}]",
            "patches: [{patch: 'kind: Deployment\nmetadata: {name: d}\nspec: [1]', target: {name: '[', labelSelector: '=,!='}}]",
            "patchesStrategicMerge: ['kind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {containers: [{$patch: delete}]}}}']",
            "configMapGenerator: [{name: c, literals: ['=', '\"=\"', 'a=\"'], behavior: merge}]",
            "secretGenerator: [{name: s, files: [../../../etc/passwd, '=', 'a='], type: 3}]",
            "images: [{name: nginx, newName: 3, digest: [1]}]",
            "sortOptions: {order: legacy, legacySortOptions: {orderFirst: 3}}",
        ];
        for extra in entries {
            let k = format!("resources: [r.yaml]\n{extra}\n");
            let m = mem(&[("r.yaml", resource), ("kustomization.yaml", &k)]);
            let (_, result) = build(&m, ".");
            if let Ok(docs) = result {
                let _ = render(&docs);
            }
        }
    }

    #[test]
    fn go_json_escapes_html_characters() {
        let mut s = String::new();
        go_json(&serde_json::json!({"b": "<&>", "a": "x\ny"}), &mut s);
        assert_eq!(s, r#"{"a":"x\ny","b":"\u003c\u0026\u003e"}"#);
    }

    #[test]
    fn missing_kustomization_and_unknown_fields_are_errors() {
        let e = build(&mem(&[]), ".").1.err().unwrap();
        assert!(e.starts_with("unable to find one of 'kustomization.yaml'"), "{e}");
        let e = build(&mem(&[]), "base").1.err().unwrap();
        assert!(e.starts_with("must build at directory: not a valid directory"), "{e}");
        let e = build(&mem(&[("kustomization.yaml", "resourcez: []\n")]), ".").1.err().unwrap();
        assert_eq!(e, "invalid Kustomization: json: unknown field \"resourcez\"");
    }

    #[test]
    fn json6902_operations() {
        let mut doc = serde_json::json!({"spec": {"replicas": 1, "list": [1, 2]}});
        let ops: Value = serde_json::json!([
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "add", "path": "/spec/list/0", "value": 0},
            {"op": "remove", "path": "/spec/list/1"},
            {"op": "copy", "from": "/spec/replicas", "path": "/spec/copy"}
        ]);
        json6902(&mut doc, ops.as_array().unwrap()).unwrap();
        assert_eq!(doc, serde_json::json!({"spec": {"replicas": 3, "list": [0, 2, 3], "copy": 3}}));
        let bad = serde_json::json!([{"op": "replace", "path": "/spec/nope", "value": 1}]);
        assert!(json6902(&mut doc, bad.as_array().unwrap()).is_err());
    }

    #[test]
    fn split_image_handles_registries_with_ports() {
        assert_eq!(split_image("nginx"), ("nginx", None, None));
        assert_eq!(split_image("nginx:1.25"), ("nginx", Some("1.25"), None));
        assert_eq!(split_image("localhost:5000/app"), ("localhost:5000/app", None, None));
        assert_eq!(split_image("r.io/a:1@sha256:ab"), ("r.io/a", Some("1"), Some("sha256:ab")));
    }
}
