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

/// Renders a JSON value as KYAML (`-o kyaml`, on by default since kubectl 1.35), as
/// sigs.k8s.io/yaml/kyaml's encoder writes it: a `---` header, `{}` for maps and `[]` for
/// lists with a trailing comma after every item, strings always double-quoted (multi-line
/// ones folded), keys quoted only when YAML could read them as something else, and lists
/// of maps or lists "cuddled" (`[{` ... `}, {` ... `}]`).
pub fn to_kyaml(v: &Value) -> String {
    let mut out = String::from("---\n");
    kyaml_node(&mut out, v, 0);
    out.push('\n');
    out
}

fn kyaml_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn kyaml_node(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => kyaml_string(out, s, indent + 1, false),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) if a.iter().all(|x| x.is_object() || x.is_array()) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                kyaml_node(out, x, indent);
            }
            out.push(']');
        }
        Value::Array(a) => {
            out.push_str("[\n");
            kyaml_indent(out, indent);
            for x in a {
                kyaml_indent(out, 1);
                kyaml_node(out, x, indent + 1);
                out.push_str(",\n");
                kyaml_indent(out, indent);
            }
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            out.push_str("{\n");
            for (k, x) in m {
                kyaml_indent(out, indent + 1);
                kyaml_string(out, k, indent + 1, true);
                out.push_str(": ");
                kyaml_node(out, x, indent + 1);
                out.push_str(",\n");
            }
            kyaml_indent(out, indent);
            out.push('}');
        }
    }
}

/// A KYAML string: a key bare when nothing could misread it, anything else quoted with Go's
/// escapes; a value with newlines folded onto indented lines (`\n\` line ends).
fn kyaml_string(out: &mut String, s: &str, indent: usize, key: bool) {
    if key && !kyaml_needs_quotes(s) {
        out.push_str(s);
        return;
    }
    let multi = !key && s.contains('\n');
    let mut buf = String::from("\"");
    if multi {
        buf.push_str("\\\n");
    }
    for c in s.chars() {
        if buf.ends_with('\n') {
            kyaml_indent(&mut buf, indent);
            // Leading whitespace would be dropped by YAML's folding: escape it.
            buf.push(if c.is_whitespace() && c != '\n' { '\\' } else { ' ' });
        }
        match c {
            '\n' if multi => buf.push_str("\\n\\\n"),
            '\n' => buf.push_str("\\n"),
            '\t' if key => buf.push_str("\\t"),
            '\t' => buf.push('\t'),
            '"' | '\\' => {
                buf.push('\\');
                buf.push(c);
            }
            c if !c.is_control() && (c == ' ' || !c.is_whitespace()) => buf.push(c),
            '\u{7}' => buf.push_str("\\a"),
            '\u{8}' => buf.push_str("\\b"),
            '\u{c}' => buf.push_str("\\f"),
            '\r' => buf.push_str("\\r"),
            '\u{b}' => buf.push_str("\\v"),
            '\0' => buf.push_str("\\0"),
            '\u{1b}' => buf.push_str("\\e"),
            '\u{85}' => buf.push_str("\\N"),
            '\u{a0}' => buf.push_str("\\_"),
            '\u{2028}' => buf.push_str("\\L"),
            '\u{2029}' => buf.push_str("\\P"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => buf.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => buf.push_str(&format!("\\u{:04x}", c as u32)),
            c => buf.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    if multi {
        if !buf.ends_with('\n') {
            buf.push_str("\\\n");
        }
        kyaml_indent(&mut buf, indent);
    }
    buf.push('"');
    out.push_str(&buf);
}

/// kyaml's `needsQuotes` for keys: letters, digits and `_` anywhere, `-` `.` `/` inside, and
/// nothing a YAML parser could read as null, a bool, a number or a timestamp.
fn kyaml_needs_quotes(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    if s.is_empty() || kyaml_type_ambiguous(s) {
        return true;
    }
    chars.iter().enumerate().any(|(i, &c)| {
        !(c.is_alphabetic() || c.is_numeric() || c == '_' || (i > 0 && i + 1 < chars.len() && matches!(c, '-' | '.' | '/')))
    })
}

fn kyaml_type_ambiguous(s: &str) -> bool {
    let lower = s.to_lowercase();
    if matches!(lower.as_str(), "null" | "~" | "" | "y" | "yes" | "on" | "n" | "no" | "off" | ".inf" | "-.inf" | "+.inf" | ".nan")
        || matches!(s, "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False")
    {
        return true;
    }
    let bare = s.replace('_', "");
    // Go's ParseInt with base 0 (0b, 0o, 0x, leading-0 octal) and ParseFloat.
    let (sign_less, _) = match bare.strip_prefix(['+', '-']) {
        Some(r) => (r, true),
        None => (bare.as_str(), false),
    };
    let int = |digits: &str, radix: u32| !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok();
    let lower_bare = sign_less.to_lowercase();
    let is_int = if let Some(d) = lower_bare.strip_prefix("0x") {
        int(d, 16)
    } else if let Some(d) = lower_bare.strip_prefix("0b") {
        int(d, 2)
    } else if let Some(d) = lower_bare.strip_prefix("0o") {
        int(d, 8)
    } else if lower_bare.len() > 1 && lower_bare.starts_with('0') {
        int(&lower_bare[1..], 8)
    } else {
        int(&lower_bare, 10)
    };
    if is_int || bare.parse::<f64>().is_ok() {
        return true;
    }
    // YAML 1.1 sexagesimal numbers (`11:00`).
    let sexagesimal = {
        let (head, frac) = sign_less.split_once('.').unwrap_or((sign_less, ""));
        let mut parts = head.split(':');
        let first = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        first.starts_with(|c: char| ('1'..='9').contains(&c))
            && first.chars().all(|c| c.is_ascii_digit() || c == '_')
            && !rest.is_empty()
            && rest.iter().all(|p| {
                (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()) && (p.len() == 1 || p.as_bytes()[0] <= b'5')
            })
            && frac.chars().all(|c| c.is_ascii_digit() || c == '_')
    };
    if sexagesimal {
        return true;
    }
    // Timestamps: a YYYY- date, with or without a time.
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && kyaml_timestamp(s)
}

/// Whether `s` is one of the timestamp forms go-yaml v2 accepts (`2006-1-2`,
/// `2006-1-2T15:4:5.999Z07:00`, `2006-1-2 15:4:5.999`).
fn kyaml_timestamp(s: &str) -> bool {
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let num = |p: &str, max: usize| !p.is_empty() && p.len() <= max && p.chars().all(|c| c.is_ascii_digit());
    if d.len() != 3 || d[0].len() != 4 || !num(d[1], 2) || !num(d[2], 2) {
        return false;
    }
    let Some(t) = time else { return true };
    let (clock, zone_ok) = match t.find(['Z', '+', '-']) {
        Some(i) => (&t[..i], true),
        None => (t, s.contains(' ')),
    };
    let c: Vec<&str> = clock.split(':').collect();
    zone_ok && c.len() == 3 && num(c[0], 2) && num(c[1], 2) && {
        let (sec, frac) = c[2].split_once('.').unwrap_or((c[2], "0"));
        num(sec, 2) && frac.chars().all(|x| x.is_ascii_digit())
    }
}

#[cfg(test)]
mod kyaml_tests {
    use super::to_kyaml;
    use serde_json::json;

    #[test]
    fn kyaml_as_kubectl_prints_it() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"labels": {"app.kubernetes.io/name": "web", "no": "x", "80": "y", "-x": "z"}, "name": "web"},
            "spec": {"ipFamilies": ["IPv4"], "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443}], "empty": [], "m": {}},
            "data": {"text": "a\nb\n", "q": "say \"hi\"\ttab"}
        });
        let expected = r#"---
{
  apiVersion: "v1",
  kind: "Service",
  metadata: {
    labels: {
      app.kubernetes.io/name: "web",
      "no": "x",
      "80": "y",
      "-x": "z",
    },
    name: "web",
  },
  spec: {
    ipFamilies: [
      "IPv4",
    ],
    ports: [{
      port: 80,
      protocol: "TCP",
    }, {
      port: 443,
    }],
    empty: [],
    m: {},
  },
  data: {
    text: "\
       a\n\
       b\n\
      ",
    q: "say \"hi\"	tab",
  },
}
"#;
        assert_eq!(to_kyaml(&v), expected);
    }
}
