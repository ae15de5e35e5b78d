//! YAML output as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2): keys sorted by the
//! caller, sequences not indented under their key, strings quoted only when YAML 1.1 would
//! read them as something else, and multi-line strings as literal blocks.

use serde_json::Value;

/// Renders a JSON value as kubectl's YAML.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize) {
    for (k, v) in m {
        out.push_str(&pad(indent));
        out.push_str(&string(k, indent));
        out.push(':');
        value_after_key(out, v, indent);
    }
}

fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            seq(out, a, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, a: &[Value], indent: usize) {
    for v in a {
        out.push_str(&pad(indent));
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // The first key goes on the dash line; the rest align under it.
                let mut first = true;
                for (k, val) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&pad(indent + 2));
                    }
                    out.push_str(&string(k, indent + 2));
                    out.push(':');
                    value_after_key(out, val, indent + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                seq(out, inner, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, indent),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Whether YAML 1.1 (go-yaml v2) would resolve this plain scalar to a non-string.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
        "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
        ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let t = s.replace('_', "");
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    if !body.is_empty() {
        if let Some(h) = body.strip_prefix("0x") {
            if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) {
                return true;
            }
        }
        if let Some(b) = body.strip_prefix("0b") {
            if !b.is_empty() && b.chars().all(|c| c == '0' || c == '1') {
                return true;
            }
        }
        if body.chars().all(|c| c.is_ascii_digit()) {
            return true;
        }
        let float_like = body.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c))
            && body.chars().any(|c| c.is_ascii_digit())
            && body.parse::<f64>().is_ok();
        if float_like {
            return true;
        }
        // Base-60 numbers (1:20).
        if body.contains(':') && body.split(':').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
            return true;
        }
    }
    // Timestamps: YYYY-MM-DD...
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn plain_allowed(s: &str) -> bool {
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && (s.len() == 1 || s[1..].starts_with(' ')) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    s.chars().all(|c| !c.is_control())
}

fn string(s: &str, indent: usize) -> String {
    if s.contains('\n') && s.chars().all(|c| c == '\n' || !c.is_control()) && !s.starts_with(' ') {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        let mut out = format!("|{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad(indent));
                out.push_str(line);
            }
        }
        return out;
    }
    if resolves_to_non_string(s) || s.is_empty() {
        return format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    if s.chars().any(char::is_control) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::to_yaml;
    use serde_json::json;

    #[test]
    fn writes_like_go_yaml() {
        let v = json!({
            "apiVersion": "v1",
            "metadata": {"creationTimestamp": "2026-01-01T00:00:00Z", "labels": {"app": "web"}, "annotations": {"a": "{\"x\":1}\n"}},
            "spec": {"containers": [{"image": "nginx", "name": "web", "ports": [{"containerPort": 80}]}], "x": [], "port": "80", "star": "*"}
        });
        let expected = "apiVersion: v1\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  labels:\n    app: web\n  annotations:\n    a: |\n      {\"x\":1}\nspec:\n  containers:\n  - image: nginx\n    name: web\n    ports:\n    - containerPort: 80\n  x: []\n  port: \"80\"\n  star: '*'\n";
        assert_eq!(to_yaml(&v), expected);
    }
}
