//! `-o go-template`: the subset of Go templates kubectl users type, translated to the
//! JSONPath engine: `{{range .items}}...{{end}}`, `{{.a.b}}`, `{{"\n"}}`, `{{.}}` outside a
//! range, and `{{(index .a.b 0).c}}` / `{{index .a "key"}}`. Anything else is refused with
//! a message rather than printed wrongly.

use serde_json::Value;

/// Renders a Go template against `data`.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    crate::jsonpath::render_as(&to_jsonpath(template)?, data, crate::jsonpath::Style::GoTemplate)
}

/// A Go field path (`.a.b`, `.`, `(index .a 0).b`, `index .a "key"`) as a JSONPath path.
fn path(expr: &str, in_range: bool) -> Result<String, String> {
    let e = expr.trim();
    if e == "." && !in_range {
        return Ok("$".into());
    }
    // `(PIPELINE).c.d`: a parenthesized pipeline (nested as deep as the template nests it)
    // followed by a field chain.
    if let Some(rest) = e.strip_prefix('(') {
        let close = matching_paren(rest).ok_or_else(|| format!("unsupported go-template action {{{{{e}}}}}"))?;
        let inner = path(&rest[..close], in_range)?;
        let chain = &rest[close + 1..];
        if !chain.is_empty() && !is_field_chain(chain) {
            return Err(format!(
                "unsupported go-template action {{{{{e}}}}} (kubeplay supports range, end, fields, index and string literals)"
            ));
        }
        return Ok(format!("{inner}{chain}"));
    }
    if let Some(rest) = e.strip_prefix("index ") {
        let words = operands(rest).ok_or_else(|| format!("unsupported go-template action {{{{{e}}}}}"))?;
        let mut words = words.into_iter();
        let base = words.next().unwrap_or("");
        let mut out = path(base, in_range)?;
        for key in words {
            if let Ok(n) = key.parse::<u32>() {
                out.push_str(&format!("[{n}]"));
            } else {
                let k = key.trim_matches('"');
                out.push_str(&format!("['{k}']"));
            }
        }
        return Ok(out);
    }
    if e.starts_with('.') && e[1..].chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_' || c == '-') {
        // Inside a range JSONPath paths are already relative to the item.
        return Ok(e.to_string());
    }
    Err(format!("unsupported go-template action {{{{{e}}}}} (kubeplay supports range, end, fields, index and string literals)"))
}

/// The byte index of the `)` that closes a `(` just before `s`.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 1u32;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `.a.b-c`: field names after a parenthesized pipeline.
fn is_field_chain(s: &str) -> bool {
    s.starts_with('.') && s[1..].chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_' || c == '-')
}

/// The space-separated operands of `index`, a parenthesized one (with its field chain) as
/// one operand.
fn operands(s: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let end = if let Some(inner) = rest.strip_prefix('(') {
            let close = matching_paren(inner)? + 2;
            close + rest[close..].find(char::is_whitespace).unwrap_or(rest.len() - close)
        } else {
            rest.find(char::is_whitespace).unwrap_or(rest.len())
        };
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    Some(out)
}

/// `$c.image` / `$c` inside `range $i, $c := ...`: the range's item, as a relative path.
fn devariable(action: &str, vars: &[String]) -> String {
    for v in vars.iter().rev() {
        if action == v {
            return ".".into();
        }
        if let Some(rest) = action.strip_prefix(v.as_str()) {
            if rest.starts_with('.') {
                return rest.to_string();
            }
        }
    }
    action.to_string()
}

fn to_jsonpath(template: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    let mut depth = 0u32;
    // The element variables of the enclosing ranges (`range $i, $c := .x` binds `$c`).
    let mut vars: Vec<String> = Vec::new();
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start].replace('{', "\\{"));
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("unclosed action")?;
        let action = after[..end].trim().trim_start_matches('-').trim_end_matches('-').trim();
        rest = &after[end + 2..];
        if let Some(r) = action.strip_prefix("range ") {
            // `range $i, $c := PIPELINE` or `range $c := PIPELINE`.
            let (var, pipeline) = match r.split_once(":=") {
                Some((decl, p)) => (decl.rsplit(',').next().map(|v| v.trim().to_string()), p.trim()),
                None => (None, r),
            };
            let p = path(&devariable(pipeline, &vars), depth > 0)?;
            out.push_str(&format!("{{range {p}[*]}}"));
            vars.push(var.unwrap_or_default());
            depth += 1;
        } else if action == "end" {
            if depth == 0 {
                return Err("unexpected {{end}}".into());
            }
            depth -= 1;
            vars.pop();
            out.push_str("{end}");
        } else if action.starts_with('"') && action.ends_with('"') && action.len() >= 2 {
            out.push_str(&format!("{{{action}}}"));
        } else {
            let vars_in_scope: Vec<String> = vars.iter().filter(|v| !v.is_empty()).cloned().collect();
            out.push_str(&format!("{{{}}}", path(&devariable(action, &vars_in_scope), depth > 0)?));
        }
    }
    out.push_str(rest);
    if depth != 0 {
        return Err("unexpected EOF: missing {{end}}".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_forms_the_tutorials_use() {
        let list = json!({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]});
        assert_eq!(render(r#"{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}"#, &list).unwrap(), "a\nb\n");
        let svc = json!({"spec": {"ports": [{"nodePort": 31234}]}, "metadata": {"labels": {"app": "web"}}});
        assert_eq!(render("{{(index .spec.ports 0).nodePort}}", &svc).unwrap(), "31234");
        assert_eq!(render(r#"{{index .metadata.labels "app"}}"#, &svc).unwrap(), "web");
        assert!(render("{{if .x}}y{{end}}", &svc).unwrap_err().contains("unsupported"));
        let pod = json!({"spec": {"containers": [{"image": "nginx:1"}, {"image": "redis:7"}]}});
        assert_eq!(render("{{range $i, $c := .spec.containers}}{{$c.image}} {{end}}", &pod).unwrap(), "nginx:1 redis:7 ");
        // Go prints a missing key as <no value> and maps as map[k:v].
        assert_eq!(render("{{.spec.missing}}", &pod).unwrap(), "<no value>");
        assert_eq!(render("{{.x}}", &json!({"x": {"b": 1, "a": "s"}})).unwrap(), "map[a:s b:1]");
        assert!(render("{{range .items}}", &list).is_err());
        // The port-forwarding task's nested index.
        let pod = json!({"spec": {"containers": [{"ports": [{"containerPort": 27017}]}]}});
        let t = r#"{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}"#;
        assert_eq!(render(t, &pod).unwrap(), "27017\n");
        assert_eq!(render("{{index (index .spec.containers 0).ports 0}}", &pod).unwrap(), "map[containerPort:27017]");
        assert!(render("{{(index .spec.containers 0) | x}}", &pod).unwrap_err().contains("unsupported"));
        assert!(render("{{(index .spec.containers 0}}", &pod).unwrap_err().contains("unsupported"));
    }
}
