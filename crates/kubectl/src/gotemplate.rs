//! `-o go-template` / `-o template` / `--template`: Go's text/template, as kubectl runs it
//! (cli-runtime's `GoTemplatePrinter`), on the `gotmpl` crate, a port of text/template.
//!
//! kubectl marshals the object to JSON and unmarshals it into `map[string]interface{}`, so
//! the template sees plain maps, lists, strings, booleans and float64 numbers; it adds two
//! functions to Go's builtins, `base64decode` and `exists`. A missing map key prints
//! `<no value>` unless `--allow-missing-template-keys=false`.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{MissingKey, Template, TemplateError, Value};

/// Why a template printed nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The template does not parse: kubectl's `error parsing template`, before any output.
    Parse(String),
    /// It failed while running: kubectl's `error executing template`, after what it printed
    /// so far (Go writes as it goes).
    Exec { printed: String, error: String },
}

/// Parses `template` as kubectl's printer does (named `output`, with its functions).
fn parse(template: &str, allow_missing_keys: bool) -> Result<Template, Failure> {
    Template::new("output")
        .missing_key(if allow_missing_keys { MissingKey::Invalid } else { MissingKey::Error })
        // A template over every pod of a big cluster stays bounded.
        .max_range_iters(1_000_000)
        .func("base64decode", base64decode)
        .func("exists", exists)
        .parse(template)
        .map_err(|e| Failure::Parse(go_error(&e)))
        .and_then(|t| blocks_balanced(template).map(|()| t))
}

/// What Go's parser refuses and `gotmpl` lets through: an `{{end}}` or `{{else}}` outside a
/// block, and a block left open (`template: output:1: unexpected EOF`).
fn blocks_balanced(template: &str) -> Result<(), Failure> {
    let mut open = 0u32;
    let mut rest = template;
    let mut consumed = 0;
    let line_at = |at: usize| 1 + template[..at].matches('\n').count();
    while let Some(start) = rest.find("{{") {
        let body_start = start + 2;
        let Some(len) = action_len(&rest[body_start..]) else { break };
        let body = rest[body_start..body_start + len].trim_start_matches('-').trim_end_matches('-').trim();
        let word = body.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
        let here = consumed + start;
        match word {
            "if" | "range" | "with" | "define" | "block" => open += 1,
            "end" | "else" if open == 0 => {
                return Err(Failure::Parse(format!("template: output:{}: unexpected {{{{{word}}}}}", line_at(here))));
            }
            "end" => open -= 1,
            _ => {}
        }
        let next = body_start + len + 2;
        consumed += next;
        rest = &rest[next..];
    }
    if open > 0 {
        return Err(Failure::Parse(format!("template: output:{}: unexpected EOF", line_at(template.len()))));
    }
    Ok(())
}

/// The length of an action's body up to its `}}`, past quoted strings and comments.
fn action_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'`' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q != b'`' { 2 } else { 1 };
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i += s[i..].find("*/").map_or(b.len(), |e| e + 1),
            b'}' if b.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Checks that `template` parses (kubectl builds its printer before it changes anything).
pub fn check(template: &str) -> Result<(), Failure> {
    parse(template, true).map(|_| ())
}

/// Renders `template` against `data`.
pub fn render(template: &str, data: &serde_json::Value, allow_missing_keys: bool) -> Result<String, Failure> {
    let t = parse(template, allow_missing_keys)?;
    let mut printed = String::new();
    match t.execute_fmt(&mut printed, &from_json(data)) {
        Ok(()) => Ok(printed),
        // Go refuses an unknown function when it parses the template, before any output.
        // Go refuses an unknown function or variable when it parses the template, before any
        // output.
        Err(TemplateError::UndefinedFunction(name)) => {
            Err(Failure::Parse(format!("template: output:{}: function {name:?} not defined", line_of(template, &name))))
        }
        Err(TemplateError::UndefinedVariable(name)) => {
            Err(Failure::Parse(format!("template: output:{}: undefined variable {name:?}", line_of(template, &name))))
        }
        Err(e) => Err(Failure::Exec { printed, error: go_error(&e) }),
    }
}

/// The line `word` first appears on.
fn line_of(template: &str, word: &str) -> usize {
    1 + template[..template.find(word).unwrap_or(0)].matches('\n').count()
}

/// Prints `data` through a Go template as kubectl's GoTemplatePrinter does, with the
/// command's `--allow-missing-template-keys`.
pub fn output(template: &str, data: &serde_json::Value, args: &crate::args::Args) -> crate::Output {
    printed(template, data, args.flag_or("allow-missing-template-keys", true))
}

/// A template that does not parse is refused before anything prints; one that fails while
/// running keeps what it printed, then kubectl's debugging report (on stdout), then the error.
pub fn printed(template: &str, data: &serde_json::Value, allow_missing_keys: bool) -> crate::Output {
    match render(template, data, allow_missing_keys) {
        Ok(s) => crate::Output::ok(s),
        Err(Failure::Parse(e)) => crate::Output::err(format!("error: error parsing template {template}, {e}\n")),
        Err(Failure::Exec { printed, error }) => crate::Output {
            stdout: printed + &exec_failure_report(template, data, &error),
            ..crate::Output::err(format!("error: error executing template {template:?}: {error}\n"))
        },
    }
}

/// What kubectl writes to stdout before an execution error: its debugging aid.
pub fn exec_failure_report(template: &str, data: &serde_json::Value, error: &str) -> String {
    format!(
        "Error executing template: {error}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
        // kubectl marshals the unstructured object: keys in order.
        serde_json::to_string(&kubeplay_sim::api::sort_keys(data)).unwrap_or_default(),
        from_json(data)
    )
}

/// text/template's own error text: `template: output:LINE: MESSAGE` for a parse error (Go
/// names the line, not the column).
fn go_error(e: &TemplateError) -> String {
    match e {
        TemplateError::Parse { line, message, .. } | TemplateError::Lex { line, message, .. } => {
            format!("template: output:{line}: {message}")
        }
        TemplateError::MissingKey { key } => format!("map has no entry for key {key:?}"),
        TemplateError::Exec(e) => e.clone(),
        other => other.to_string(),
    }
}

/// JSON as Go's `json.Unmarshal` into `interface{}` gives it: numbers are float64.
fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::String(Arc::from(s.as_str())),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(Arc::new(map.iter().map(|(k, v)| (Arc::from(k.as_str()), from_json(v))).collect::<BTreeMap<_, _>>()))
        }
    }
}

/// kubectl's `base64decode`: standard, padded base64, as `base64.StdEncoding` decodes it.
fn base64decode(args: &[Value]) -> gotmpl::Result<Value> {
    use base64::Engine;
    let [v] = args else {
        return Err(TemplateError::Exec(format!("wrong number of args for base64decode: want 1 got {}", args.len())));
    };
    let Some(s) = v.as_str() else {
        return Err(TemplateError::Exec(format!("wrong type for value; expected string; got {}", go_type(v))));
    };
    match base64::engine::general_purpose::STANDARD.decode(s) {
        Ok(bytes) => Ok(Value::String(Arc::from(String::from_utf8_lossy(&bytes).as_ref()))),
        Err(e) => {
            let at = match e {
                base64::DecodeError::InvalidByte(i, _) | base64::DecodeError::InvalidLastSymbol(i, _) => i,
                _ => s.len() / 4 * 4,
            };
            Err(TemplateError::Exec(format!(
                "error calling base64decode: base64 decode failed: illegal base64 data at input byte {at}"
            )))
        }
    }
}

/// kubectl's `exists ITEM INDICES...`: whether `index ITEM INDICES...` would find something.
fn exists(args: &[Value]) -> gotmpl::Result<Value> {
    let Some((item, indices)) = args.split_first() else {
        return Ok(Value::Bool(false));
    };
    let mut cur = item.clone();
    for i in indices {
        let next = match (&cur, i) {
            (Value::Map(m), Value::String(k)) => m.get(k).cloned(),
            (Value::List(l), n) => n.as_int().and_then(|n| u32::try_from(n).ok()).and_then(|n| l.get(n as usize).cloned()),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return Ok(Value::Bool(false)),
        }
    }
    Ok(Value::Bool(true))
}

/// The Go type a JSON value has once unmarshalled.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Nil => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Uint(_) => "uint",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "func",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(t: &str, v: &serde_json::Value) -> String {
        render(t, v, true).unwrap()
    }

    #[test]
    fn the_forms_the_docs_use() {
        let list = json!({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]});
        assert_eq!(r(r#"{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}"#, &list), "a\nb\n");
        let svc = json!({"spec": {"ports": [{"nodePort": 31234}]}, "metadata": {"labels": {"app": "web"}}});
        assert_eq!(r("{{(index .spec.ports 0).nodePort}}", &svc), "31234");
        assert_eq!(r(r#"{{index .metadata.labels "app"}}"#, &svc), "web");
        let pod = json!({"spec": {"containers": [{"image": "nginx:1"}, {"image": "redis:7"}]}});
        assert_eq!(r("{{range $i, $c := .spec.containers}}{{$i}}={{$c.image}} {{end}}", &pod), "0=nginx:1 1=redis:7 ");
        // Go prints a missing key as <no value> and maps as map[k:v].
        assert_eq!(r("{{.spec.missing}}", &pod), "<no value>");
        assert_eq!(r("{{.x}}", &json!({"x": {"b": 1, "a": "s"}})), "map[a:s b:1]");
        let pod = json!({"spec": {"containers": [{"ports": [{"containerPort": 27017}]}]}});
        let t = r#"{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}"#;
        assert_eq!(r(t, &pod), "27017\n");
        assert_eq!(r("{{index (index .spec.containers 0).ports 0}}", &pod), "map[containerPort:27017]");
        // The kubectl Quick Reference's secret decoder.
        let secret = json!({"data": {"password": "czNjcjN0", "user": "YWRtaW4="}});
        let t = r####"{{range $k,$v := .data}}{{"### "}}{{$k}}{{"\n"}}{{$v|base64decode}}{{"\n\n"}}{{end}}"####;
        assert_eq!(r(t, &secret), "### password\ns3cr3t\n\n### user\nadmin\n\n");
        // if/else, eq, printf, len, with, and kubectl's exists.
        let p = json!({"status": {"phase": "Running"}, "spec": {"replicas": 3}});
        assert_eq!(r(r#"{{if eq .status.phase "Running"}}up{{else}}down{{end}}"#, &p), "up");
        assert_eq!(r(r#"{{printf "%s/%v" .status.phase .spec.replicas}}"#, &p), "Running/3");
        assert_eq!(r("{{len .status}} {{with .spec}}{{.replicas}}{{end}}", &p), "1 3");
        assert_eq!(r(r#"{{exists . "status" "phase"}} {{exists . "nope"}}"#, &p), "true false");
    }

    #[test]
    fn errors_are_go_texts() {
        let p = json!({"status": {"phase": "Running"}});
        assert_eq!(render("{{.status.phase", &p, true), Err(Failure::Parse("template: output:1: unclosed action".into())));
        assert!(matches!(render("{{nope .x}}", &p, true), Err(Failure::Parse(e)) if e.contains("function \"nope\" not defined")));
        assert_eq!(render("{{$x}}", &p, true), Err(Failure::Parse("template: output:1: undefined variable \"$x\"".into())));
        assert_eq!(render("{{range .x}}", &p, true), Err(Failure::Parse("template: output:1: unexpected EOF".into())));
        assert_eq!(render("a\n{{end}}", &p, true), Err(Failure::Parse("template: output:2: unexpected {{end}}".into())));
        assert_eq!(render("{{else}}", &p, true), Err(Failure::Parse("template: output:1: unexpected {{else}}".into())));
        assert_eq!(render(r#"{{if .x}}{{"}}"}}{{end}}"#, &p, true), Ok(String::new()));
        assert_eq!(render("{{/* {{if */}}ok", &p, true), Ok("ok".into()));
        assert!(
            matches!(render("a{{.status.nope}}", &p, false), Err(Failure::Exec { printed, error }) if printed == "a" && error.contains("\"nope\""))
        );
        assert!(
            matches!(render(r#"{{"!!" | base64decode}}"#, &p, true), Err(Failure::Exec { error, .. }) if error.contains("illegal base64 data at input byte 0"))
        );
        let report = exec_failure_report("{{.x}}", &json!({"a": 1}), "boom");
        assert!(report.starts_with("Error executing template: boom. Printing more information"));
        assert!(report.contains("\t\t{\"a\":1}\n") && report.contains("\t\tmap[a:1]\n"));
    }
}
