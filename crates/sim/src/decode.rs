//! Manifest text → typed objects. Parsing is two-phase: first the text is read faithfully
//! into JSON values with source positions (multi-document YAML, JSON, `kind: List`), then
//! each value is decoded into its k8s-openapi type, collecting unknown fields as the API
//! server's strict field validation does.

use crate::kinds::{Kind, Object};
use serde_json::Value;

/// One manifest document as written, before typing.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub value: Value,
    /// 1-based line in the source text where this document starts.
    pub line: u32,
    /// The document's own text, for locating fields in error messages.
    pub source: String,
}

/// A syntax error in manifest text, with its 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub column: u32,
    /// The YAML parser's problem text, e.g. `mapping values are not allowed in this context`.
    pub problem: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "yaml: line {}: {}", self.line, self.problem)
    }
}

/// Splits `text` into YAML documents at `---` lines and parses each one. Empty documents are
/// skipped. A `kind: List` document is expanded into its items.
pub fn parse_manifests(text: &str) -> Result<Vec<Manifest>, SyntaxError> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    let mut chunk_start: u32 = 1;
    let mut line_no: u32 = 0;
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let trimmed = line.trim_end();
        let is_sep = trimmed == "---" || trimmed.starts_with("--- ") || trimmed.starts_with("---\t");
        if is_sep {
            parse_chunk(&chunk, chunk_start, &mut out)?;
            chunk.clear();
            chunk_start = line_no + 1;
        } else {
            chunk.push_str(line);
        }
    }
    parse_chunk(&chunk, chunk_start, &mut out)?;
    Ok(out)
}

fn parse_chunk(chunk: &str, start: u32, out: &mut Vec<Manifest>) -> Result<(), SyntaxError> {
    if chunk.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "..."
    }) {
        return Ok(());
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(chunk).map_err(|e| syntax_error(&e, start))?;
    let value = yaml_to_json(yaml).map_err(|problem| SyntaxError { line: start, column: 1, problem })?;
    if value.is_null() {
        return Ok(());
    }
    let is_list = value.get("kind").and_then(Value::as_str).is_some_and(|k| k == "List" || k.ends_with("List"))
        && value.get("items").is_some_and(Value::is_array);
    if is_list {
        if let Some(Value::Array(items)) = value.get("items") {
            for item in items {
                out.push(Manifest { value: item.clone(), line: start, source: chunk.to_string() });
            }
        }
    } else {
        out.push(Manifest { value, line: start, source: chunk.to_string() });
    }
    Ok(())
}

fn syntax_error(e: &serde_yaml::Error, start: u32) -> SyntaxError {
    let text = e.to_string();
    // serde_yaml appends " at line L column C"; the position is reported separately.
    let problem = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text.clone(),
    };
    let (line, column) = match e.location() {
        Some(l) => (start + l.line() as u32 - 1, l.column() as u32),
        None => (start, 1),
    };
    SyntaxError { line, column, problem }
}

/// Converts a YAML value to JSON the way sigs.k8s.io/yaml does: mapping keys become strings.
fn yaml_to_json(v: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(seq.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut obj = serde_json::Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    _ => return Err("mapping keys must be scalars".to_string()),
                };
                obj.insert(key, yaml_to_json(v)?);
            }
            Value::Object(obj)
        }
        Y::Tagged(t) => yaml_to_json(t.value)?,
    })
}

/// Why a manifest could not be turned into a typed object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `apiVersion` or `kind` missing.
    MissingTypeInfo { missing: Vec<&'static str> },
    /// No kind served at this apiVersion (kubectl: "resource mapping not found").
    NoMatch { kind: String, api_version: String },
    /// The value does not fit the type (wrong type of a field).
    Type { kind: Kind, message: String },
    /// Fields the type does not have (strict decoding).
    UnknownFields { kind: Kind, fields: Vec<String> },
}

/// The name and namespace a manifest declares, as strings (empty when absent).
pub fn manifest_name(v: &Value) -> (String, String) {
    let meta = v.get("metadata");
    let s = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
    (s("name"), s("namespace"))
}

/// Resolves the manifest's kind.
pub fn manifest_kind(v: &Value) -> Result<Kind, DecodeError> {
    let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion");
    }
    if kind.is_empty() {
        missing.push("kind");
    }
    if !missing.is_empty() {
        return Err(DecodeError::MissingTypeInfo { missing });
    }
    // The API serves HorizontalPodAutoscalers at autoscaling/v1 too (converted, see
    // `hpa_v1_to_v2`).
    if api_version == "autoscaling/v1" && kind == "HorizontalPodAutoscaler" {
        return Ok(Kind::HorizontalPodAutoscaler);
    }
    Kind::from_api_version_kind(api_version, kind)
        .ok_or_else(|| DecodeError::NoMatch { kind: kind.to_string(), api_version: api_version.to_string() })
}

/// A selector decoded from a manifest that had none (Go's nil `*LabelSelector`). The typed
/// field is not optional, so a missing selector is marked with an empty expression list.
pub fn is_nil_selector(s: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector) -> bool {
    s.match_labels.is_none() && s.match_expressions.as_ref().is_some_and(Vec::is_empty)
}

fn ensure<'a>(v: &'a mut Value, key: &str, zero: Value) -> Option<&'a mut Value> {
    let m = v.as_object_mut()?;
    Some(m.entry(key.to_string()).or_insert(zero))
}

fn each<'a>(v: &'a mut Value, key: &str) -> impl Iterator<Item = &'a mut Value> {
    v.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten()
}

fn zero_fill_pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    ensure(spec, "containers", Value::Array(vec![]));
    for key in ["containers", "initContainers"] {
        for c in each(spec, key) {
            ensure(c, "name", Value::String(String::new()));
            for p in each(c, "ports") {
                ensure(p, "containerPort", Value::from(0));
            }
            for e in each(c, "env") {
                ensure(e, "name", Value::String(String::new()));
            }
            for m in each(c, "volumeMounts") {
                ensure(m, "name", Value::String(String::new()));
                ensure(m, "mountPath", Value::String(String::new()));
            }
        }
    }
    for v in each(spec, "volumes") {
        ensure(v, "name", Value::String(String::new()));
        octal_modes(v);
    }
}

/// File modes written as YAML 1.1 octal (`defaultMode: 0400`, `mode: 0644`), as the docs
/// write them: kubectl's YAML reader (go-yaml, YAML 1.1) reads them as octal numbers (0400
/// is 256), while serde_yaml keeps a leading-zero scalar as a string. Only a volume's
/// `defaultMode` and its items' `mode` are read this way, so data values such as a
/// ConfigMap's `mode: "0644"` stay strings.
fn octal_modes(volume: &mut Value) {
    fn fix(v: &mut Value, key: &str) {
        let Some(slot) = v.get_mut(key) else { return };
        let octal = slot.as_str().filter(|t| t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| (b'0'..=b'7').contains(&b)));
        if let Some(n) = octal.and_then(|t| i64::from_str_radix(t, 8).ok()) {
            *slot = Value::from(n);
        }
    }
    fn source(s: &mut Value) {
        fix(s, "defaultMode");
        for item in each(s, "items") {
            fix(item, "mode");
        }
    }
    let Some(m) = volume.as_object_mut() else { return };
    for (key, s) in m.iter_mut() {
        if matches!(key.as_str(), "secret" | "configMap" | "downwardAPI") {
            source(s);
        }
        if key == "projected" {
            fix(s, "defaultMode");
            for p in each(s, "sources") {
                for (_, inner) in p.as_object_mut().into_iter().flatten() {
                    source(inner);
                }
            }
        }
    }
}

fn zero_fill_template(spec: &mut Value) {
    if let Some(t) = ensure(spec, "template", Value::Object(Default::default())) {
        if let Some(ps) = t.get_mut("spec") {
            zero_fill_pod_spec(ps);
        }
    }
}

/// Fills fields that k8s-openapi types require but Go decodes as zero values, so that a
/// manifest missing them reaches validation (and gets the API server's message) instead of
/// failing to decode.
pub fn zero_fill(kind: Kind, v: &mut Value) {
    let nil_selector = || serde_json::json!({"matchExpressions": []});
    let Some(spec) = v.get_mut("spec").filter(|s| s.is_object()) else {
        if kind == Kind::Pod {
            if let Some(m) = v.as_object_mut() {
                m.insert("spec".into(), serde_json::json!({"containers": []}));
            }
        }
        return;
    };
    match kind {
        Kind::Pod => zero_fill_pod_spec(spec),
        Kind::HorizontalPodAutoscaler => {
            ensure(spec, "maxReplicas", Value::from(0));
            if let Some(r) = ensure(spec, "scaleTargetRef", Value::Object(Default::default())) {
                ensure(r, "kind", Value::String(String::new()));
                ensure(r, "name", Value::String(String::new()));
            }
        }
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => {
            ensure(spec, "selector", nil_selector());
            if kind == Kind::ReplicaSet {
                if let Some(ps) = spec.get_mut("template").and_then(|t| t.get_mut("spec")) {
                    zero_fill_pod_spec(ps);
                }
            } else {
                zero_fill_template(spec);
            }
        }
        Kind::Job => zero_fill_template(spec),
        Kind::CronJob => {
            ensure(spec, "schedule", Value::String(String::new()));
            if let Some(jt) = ensure(spec, "jobTemplate", Value::Object(Default::default())) {
                if let Some(js) = jt.get_mut("spec") {
                    zero_fill_template(js);
                }
            }
        }
        Kind::Service => {
            for p in each(spec, "ports") {
                ensure(p, "port", Value::from(0));
            }
        }
        Kind::Ingress => {
            for r in each(spec, "rules") {
                if let Some(http) = r.get_mut("http") {
                    ensure(http, "paths", Value::Array(vec![]));
                    for p in each(http, "paths") {
                        ensure(p, "pathType", Value::String(String::new()));
                        ensure(p, "backend", Value::Object(Default::default()));
                    }
                }
            }
        }
        _ => {}
    }
}

/// An autoscaling/v1 HorizontalPodAutoscaler as the API server converts it to v2: its CPU
/// target becomes a Resource metric. Its status is the controller's, not the writer's.
fn hpa_v1_to_v2(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    m.insert("apiVersion".into(), Value::String("autoscaling/v2".into()));
    m.remove("status");
    let Some(spec) = m.get_mut("spec").and_then(Value::as_object_mut) else { return };
    if let Some(target) = spec.remove("targetCPUUtilizationPercentage") {
        spec.insert(
            "metrics".into(),
            serde_json::json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}}}]),
        );
    }
}

/// Decodes a manifest into a typed object, rejecting unknown fields.
pub fn decode_object(v: &Value) -> Result<Object, DecodeError> {
    let kind = manifest_kind(v)?;
    let mut unknown = Vec::new();
    let mut v = v.clone();
    if v.get("apiVersion").and_then(Value::as_str) == Some("autoscaling/v1") {
        hpa_v1_to_v2(&mut v);
    }
    zero_fill(kind, &mut v);
    let obj = Object::from_value(kind, v, &mut unknown).map_err(|message| DecodeError::Type { kind, message })?;
    if !unknown.is_empty() {
        return Err(DecodeError::UnknownFields { kind, fields: unknown });
    }
    Ok(obj)
}

/// Splits an API field path (`spec.containers[0].image`) into segments.
fn path_segments(field: &str) -> Vec<Result<String, usize>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let name = &rest[..i];
            if !name.is_empty() {
                out.push(Ok(name.to_string()));
            }
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                let inner = &rest[1..end];
                match inner.parse::<usize>() {
                    Ok(n) => out.push(Err(n)),
                    Err(_) => out.push(Ok(inner.to_string())),
                }
                rest = &rest[end + 1..];
                if !rest.starts_with('[') {
                    break;
                }
            }
        } else if !rest.is_empty() {
            out.push(Ok(rest.to_string()));
        }
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Finds where a field is written in block-style YAML: the 1-based (line, column) of its
/// key, or of the deepest enclosing key that can be found (flow-style values such as
/// `{app: web}` are not descended into). `None` if not even the first key is there.
pub fn locate(source: &str, field: &str) -> Option<(u32, u32)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut best = None;
    // The region the next segment is searched in: lines [from, to) deeper than `indent`.
    let (mut from, mut to, mut min_indent) = (0usize, lines.len(), 0usize);
    // Inside a sequence item, keys sit after the "- ".
    let mut item_level: Option<usize> = None;
    for seg in path_segments(field) {
        // The child indentation is that of the first meaningful line in the region.
        let child = (from..to).find(|&i| {
            let t = lines[i].trim_start();
            !t.is_empty() && !t.starts_with('#') && indent_of(lines[i]) >= min_indent
        });
        let Some(first) = child else { return best };
        let level = item_level.take().unwrap_or_else(|| indent_of(lines[first]));
        match seg {
            Ok(key) => {
                let found = (from..to).find(|&i| {
                    let l = lines[i];
                    let body = l.trim_start();
                    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
                    let at = l.len() - body.len();
                    (at == level || indent_of(l) == level)
                        && (body.starts_with(&format!("{key}:")) || body.starts_with(&format!("\"{key}\":")))
                });
                let Some(i) = found else { return best };
                let l = lines[i];
                let col = l.find(key.as_str()).unwrap_or(0) + 1;
                best = Some((i as u32 + 1, col as u32));
                let key_indent = l.find(key.as_str()).unwrap_or(0);
                let end = (i + 1..to)
                    .find(|&j| {
                        // The key's block ends at the next line as shallow as the key that
                        // is not one of its own sequence items ("- " at the key's indent).
                        let t = lines[j].trim_start();
                        let ind = indent_of(lines[j]);
                        let own_item = t.starts_with("- ") && ind == key_indent;
                        !t.is_empty() && !t.starts_with('#') && ind <= key_indent && !own_item
                    })
                    .unwrap_or(to);
                from = i + 1;
                to = end;
                min_indent = key_indent;
                // Sequences may sit at the key's own indentation.
            }
            Err(n) => {
                let items: Vec<usize> =
                    (from..to).filter(|&i| lines[i].trim_start().starts_with('-') && indent_of(lines[i]) == level).collect();
                let Some(&i) = items.get(n) else { return best };
                best = Some((i as u32 + 1, indent_of(lines[i]) as u32 + 1));
                let end = items.get(n + 1).copied().unwrap_or(to);
                from = i;
                to = end;
                min_indent = level;
                let after_dash = lines[i].trim_start().strip_prefix('-').map_or(0, |r| r.len() - r.trim_start().len());
                item_level = Some(level + 1 + after_dash);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_fields_in_block_yaml() {
        let src = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: a\n        image: nginx\n      - name: b\n        ports:\n        - containerPort: 70000\n";
        assert_eq!(locate(src, "metadata.name"), Some((4, 3)));
        assert_eq!(locate(src, "spec.replicas"), Some((6, 3)));
        assert_eq!(locate(src, "spec.template.metadata.labels"), Some((9, 7)));
        assert_eq!(locate(src, "spec.template.spec.containers[0].image"), Some((14, 9)));
        assert_eq!(locate(src, "spec.template.spec.containers[1].ports[0].containerPort"), Some((17, 11)));
        // Missing fields fall back to the deepest enclosing key.
        assert_eq!(locate(src, "spec.selector"), Some((5, 1)));
    }

    #[test]
    fn volume_file_modes_are_read_as_yaml_1_1_octal() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  volumes:\n  - name: s\n    secret: {secretName: s, defaultMode: 0400, items: [{key: k, path: p, mode: 0777}]}\n  - name: p\n    projected:\n      defaultMode: 0644\n      sources: [{configMap: {name: c, items: [{key: k, path: p, mode: 0600}]}}]\n  - name: d\n    configMap: {name: c, defaultMode: 420}\n";
        let mut v = parse_manifests(text).unwrap_or_default().remove(0).value;
        zero_fill(Kind::Pod, &mut v);
        let vols = &v["spec"]["volumes"];
        assert_eq!(vols[0]["secret"]["defaultMode"], 256);
        assert_eq!(vols[0]["secret"]["items"][0]["mode"], 511);
        assert_eq!(vols[1]["projected"]["defaultMode"], 420);
        assert_eq!(vols[1]["projected"]["sources"][0]["configMap"]["items"][0]["mode"], 384);
        assert_eq!(vols[2]["configMap"]["defaultMode"], 420);
        // Data values are never numbers.
        let mut cm = parse_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {mode: 0644}\n")
            .unwrap_or_default()
            .remove(0)
            .value;
        zero_fill(Kind::ConfigMap, &mut cm);
        assert_eq!(cm["data"]["mode"], "0644");
    }

    #[test]
    fn splits_documents_and_keeps_start_lines() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# c\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n";
        let docs = parse_manifests(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].line, 1);
        assert_eq!(docs[1].line, 8);
        assert_eq!(manifest_name(&docs[1].value).0, "b");
    }

    #[test]
    fn syntax_error_reports_absolute_line() {
        let text = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n";
        let err = parse_manifests(text).unwrap_err();
        assert_eq!(err.line, 8);
        assert_eq!(err.problem, "mapping values are not allowed in this context");
    }

    #[test]
    fn unknown_fields_are_reported_with_paths() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        imagee: nginx\n";
        let docs = parse_manifests(text).unwrap();
        match decode_object(&docs[0].value) {
            Err(DecodeError::UnknownFields { fields, .. }) => {
                assert_eq!(fields, vec!["spec.replica", "spec.template.spec.containers[0].imagee"]);
            }
            other => panic!("expected unknown fields, got {other:?}"),
        }
    }

    #[test]
    fn list_is_expanded_and_wrong_version_is_no_match() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: extensions/v1beta1, kind: Deployment, metadata: {name: b}}\n";
        let docs = parse_manifests(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(matches!(decode_object(&docs[0].value), Ok(Object::ConfigMap(_))));
        assert_eq!(
            decode_object(&docs[1].value),
            Err(DecodeError::NoMatch { kind: "Deployment".into(), api_version: "extensions/v1beta1".into() })
        );
    }
}
