//! YAML output as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2): keys sorted by the
//! caller, sequences not indented under their key, strings quoted only when YAML 1.1 would
//! read them as something else, multi-line strings as literal blocks, and go-yaml's emitter
//! rules for the rest: its scalar analysis picks plain, single-quoted, double-quoted (with
//! its escapes) or literal style, and long plain and quoted scalars fold at the first space
//! past column 80.

use serde_json::Value;

/// Renders a JSON value as kubectl's YAML.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0, 0));
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
        out.push_str(&string(k, indent, None));
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
            let col = column(out);
            out.push_str(&scalar(other, indent + 2, col));
            out.push('\n');
        }
    }
}

/// The column the emitter is at: characters since the last line break.
fn column(out: &str) -> usize {
    out[out.rfind('\n').map_or(0, |i| i + 1)..].chars().count()
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
                    out.push_str(&string(k, indent + 2, None));
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
                let col = column(out);
                out.push_str(&scalar(other, indent + 2, col));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize, col: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => string(s, indent, Some(col)),
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

/// A number as Go formats a float64 with `%g`-like shortest form: integral values
/// without a fraction (`600`, not `600.0`).
fn number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

/// go-yaml's `is_printable`: what may appear unescaped.
fn printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A || (0x20..=0x7E).contains(&u) || (0xA0..=0xD7FF).contains(&u) || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

/// What go-yaml's `yaml_emitter_analyze_scalar` decides about a string.
struct Analysis {
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let (mut flow_ind, mut block_ind) = (false, false);
    if s.starts_with("---") || s.starts_with("...") {
        flow_ind = true;
        block_ind = true;
    }
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break, mut special, mut line_breaks) = (false, false, false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    let blankz = |i: usize| chars.get(i).is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_ws = blankz(i + 1);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                '?' | ':' => {
                    flow_ind = true;
                    block_ind |= followed_by_ws;
                }
                '-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_ind = true,
                ':' => {
                    flow_ind = true;
                    block_ind |= followed_by_ws;
                }
                '#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        if !printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i + 1 == chars.len();
            break_space |= prev_break;
            prev_space = true;
            prev_break = false;
        } else if c == '\n' || c == '\r' {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + 1 == chars.len();
            space_break |= prev_space;
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = matches!(c, ' ' | '\t' | '\n' | '\r');
    }
    let mut a = Analysis { block_plain: true, single_quoted: true, block: true };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single_quoted = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single_quoted = false;
        a.block = false;
    }
    if line_breaks || block_ind {
        a.block_plain = false;
    }
    let _ = flow_ind;
    a
}

/// go-yaml's width: plain and quoted scalars break at a space once past this column.
const BEST_WIDTH: usize = 80;

/// A string scalar. `col` is the column it starts at, `None` for a mapping key (which
/// never folds); `indent` is where continuation lines start.
fn string(s: &str, indent: usize, col: Option<usize>) -> String {
    let a = analyze(s);
    if s.contains('\n') {
        if a.block {
            return literal(s, indent);
        }
        return double_quoted(s, indent, col);
    }
    if s.is_empty() || resolves_to_non_string(s) {
        return double_quoted(s, indent, col);
    }
    if a.block_plain {
        return plain(s, indent, col);
    }
    if a.single_quoted {
        return single_quoted(s, indent, col);
    }
    double_quoted(s, indent, col)
}

fn fold_break(out: &mut String, col: &mut usize, indent: usize) {
    out.push('\n');
    out.push_str(&pad(indent));
    *col = indent;
}

fn plain(s: &str, indent: usize, col: Option<usize>) -> String {
    let Some(mut col) = col else { return s.to_string() };
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if !spaces && col > BEST_WIDTH && chars.get(i + 1) != Some(&' ') {
                fold_break(&mut out, &mut col, indent);
            } else {
                out.push(c);
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
    }
    out
}

fn single_quoted(s: &str, indent: usize, col: Option<usize>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::from("'");
    let mut column = col.unwrap_or(0) + 1;
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if col.is_some() && !spaces && column > BEST_WIDTH && i > 0 && i + 1 < chars.len() && chars.get(i + 1) != Some(&' ') {
                fold_break(&mut out, &mut column, indent);
            } else {
                out.push(c);
                column += 1;
            }
            spaces = true;
        } else {
            if c == '\'' {
                out.push('\'');
                column += 1;
            }
            out.push(c);
            column += 1;
            spaces = false;
        }
    }
    out.push('\'');
    out
}

fn double_quoted(s: &str, indent: usize, col: Option<usize>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::from("\"");
    let mut column = col.unwrap_or(0) + 1;
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        let u = c as u32;
        if !printable(c) || u == 0xFEFF || c == '\n' || c == '\r' || c == '"' || c == '\\' {
            let esc = match c {
                '\0' => "\\0".to_string(),
                '\u{7}' => "\\a".to_string(),
                '\u{8}' => "\\b".to_string(),
                '\t' => "\\t".to_string(),
                '\n' => "\\n".to_string(),
                '\u{b}' => "\\v".to_string(),
                '\u{c}' => "\\f".to_string(),
                '\r' => "\\r".to_string(),
                '\u{1b}' => "\\e".to_string(),
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                '\u{85}' => "\\N".to_string(),
                '\u{a0}' => "\\_".to_string(),
                '\u{2028}' => "\\L".to_string(),
                '\u{2029}' => "\\P".to_string(),
                _ if u <= 0xFF => format!("\\x{u:02X}"),
                _ if u <= 0xFFFF => format!("\\u{u:04X}"),
                _ => format!("\\U{u:08X}"),
            };
            column += esc.chars().count();
            out.push_str(&esc);
            spaces = false;
        } else if c == ' ' {
            if col.is_some() && !spaces && column > BEST_WIDTH && i != 0 && i + 1 != chars.len() {
                fold_break(&mut out, &mut column, indent);
                if chars.get(i + 1) == Some(&' ') {
                    out.push('\\');
                    column += 1;
                }
            } else {
                out.push(c);
                column += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            column += 1;
            spaces = false;
        }
    }
    out.push('"');
    out
}

/// A literal block (`|`), with go-yaml's indentation and chomping indicators.
fn literal(s: &str, indent: usize) -> String {
    let hint = if s.starts_with([' ', '\n', '\r']) { "2" } else { "" };
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s == "\n" || s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let mut out = format!("|{hint}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad(indent));
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_yaml;
    use serde_json::json;

    #[test]
    fn folds_and_escapes_as_go_yaml_does() {
        // Compared with kubectl 1.32's `create configmap --dry-run=client -o yaml`.
        let a = "a".repeat(70);
        let b = "b".repeat(30);
        let v = json!({"data": {
            "k": format!("{a} {b} cc dd"),
            "e": "\u{1F642}\u{e9}",
            "q": "it's a 'test' with: colon",
            "lead": " lead",
            "t": "a\tb",
            "s": "ends with space \nnext",
            "l": " indented\nblock\n",
            "num": 6.0e2
        }});
        let expected = format!(
            "data:\n  k: {a} {b}\n    cc dd\n  e: \"\\U0001F642\u{e9}\"\n  q: 'it''s a ''test'' with: colon'\n  lead: ' lead'\n  t: \"a\\tb\"\n  s: \"ends with space \\nnext\"\n  l: |2\n     indented\n    block\n  num: 600\n"
        );
        assert_eq!(to_yaml(&v), expected);
    }

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
