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
    if let Some(rest) = e.strip_prefix("(index ") {
        // `(index .a.b 0).c.d`
        let close = rest.find(')').ok_or_else(|| format!("unsupported go-template action {{{{{e}}}}}"))?;
        let inner = path(&format!("index {}", &rest[..close]), in_range)?;
        return Ok(format!("{inner}{}", &rest[close + 1..]));
    }
    if let Some(rest) = e.strip_prefix("index ") {
        let mut words = rest.split_whitespace();
        let base = words.next().unwrap_or("");
        let base = path(base, in_range)?;
        let mut out = base;
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
    }
}
