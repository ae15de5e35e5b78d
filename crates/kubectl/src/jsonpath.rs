//! kubectl's JSONPath templates (`-o jsonpath='{.items[*].metadata.name}'`): text with
//! `{...}` expressions, `range`/`end`, filters `[?(@.type=="Ready")]`, `[*]`, indexes and
//! string literals. Multiple results of one expression are joined with spaces.

use serde_json::Value;

#[derive(Debug)]
enum Node {
    Text(String),
    Expr(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

#[derive(Clone, Debug)]
enum Step {
    Field(String),
    Index(i64),
    /// `[start:end]`, either bound optional and negative from the end.
    Slice(Option<i64>, Option<i64>),
    All,
    /// `['a', 'b.c']`, `[0,2]`: each alternative's values in turn, over all the input
    /// (client-go's union node; a quoted key is a path, as `['a.b']` is `.a.b`).
    Union(Vec<Vec<Step>>),
    Filter(Vec<Step>, String, String),
    Recursive(String),
}

/// The values one path (`.status.podIPs`, `{.spec.containers[*].image}`) selects.
pub fn values<'a>(path: &str, data: &'a Value) -> Result<Vec<&'a Value>, String> {
    let p = path.trim();
    let p = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(p);
    let p = if p.starts_with('.') || p.starts_with('$') || p.starts_with('[') { p.to_string() } else { format!(".{p}") };
    Ok(eval(&parse_path(&p)?, data))
}

/// Renders `template` against `data`.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    render_as(template, data, Style::JsonPath)
}

/// How values print: JSONPath's (objects as JSON, missing as nothing) or Go template's
/// (`map[k:v]`, `[a b]`, and `<no value>` for a missing key).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    JsonPath,
    GoTemplate,
}

/// Renders a template with the given value style.
pub fn render_as(template: &str, data: &Value, style: Style) -> Result<String, String> {
    let tokens = tokenize(template)?;
    let mut pos = 0;
    let nodes = parse_nodes(&tokens, &mut pos, false)?;
    let mut out = String::new();
    exec(&nodes, data, &mut out, style)?;
    Ok(out)
}

/// A value as Go's `%v` prints it inside a template.
fn go_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<no value>".into(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            format!("map[{}]", keys.iter().map(|k| format!("{k}:{}", go_text(&m[*k]))).collect::<Vec<_>>().join(" "))
        }
        other => other.to_string(),
    }
}

enum Tok {
    Text(String),
    Action(String),
}

fn tokenize(t: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(i) => {
                if i > 0 {
                    out.push(Tok::Text(rest[..i].to_string()));
                }
                let after = &rest[i + 1..];
                // Find the matching '}' outside quotes.
                let mut in_q = false;
                let mut end = None;
                for (j, c) in after.char_indices() {
                    match c {
                        '"' => in_q = !in_q,
                        '}' if !in_q => {
                            end = Some(j);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end.ok_or_else(|| "unclosed action".to_string())?;
                out.push(Tok::Action(after[..end].trim().to_string()));
                rest = &after[end + 1..];
            }
            None => {
                out.push(Tok::Text(rest.to_string()));
                rest = "";
            }
        }
    }
    Ok(out)
}

fn parse_nodes(toks: &[Tok], pos: &mut usize, in_range: bool) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    while *pos < toks.len() {
        match &toks[*pos] {
            Tok::Text(s) => {
                nodes.push(Node::Text(s.clone()));
                *pos += 1;
            }
            Tok::Action(a) => {
                *pos += 1;
                if a == "end" {
                    if in_range {
                        return Ok(nodes);
                    }
                    return Err("not in range, nothing to end".into());
                }
                if let Some(expr) = a.strip_prefix("range ") {
                    let steps = parse_path(expr.trim())?;
                    let body = parse_nodes(toks, pos, true)?;
                    nodes.push(Node::Range(steps, body));
                } else if a.starts_with('"') {
                    let lit: String = serde_json::from_str(a).map_err(|_| format!("invalid string literal {a}"))?;
                    nodes.push(Node::Text(lit));
                } else if let Some(inner) = a.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                    // A single-quoted literal (`{'\n'}`), unquoted as Go's UnquoteExtend does.
                    let escaped = inner.replace('"', "\\\"").replace("\\'", "'");
                    let lit: String =
                        serde_json::from_str(&format!("\"{escaped}\"")).map_err(|_| format!("invalid string literal {a}"))?;
                    nodes.push(Node::Text(lit));
                } else {
                    nodes.push(Node::Expr(parse_path(a)?));
                }
            }
        }
    }
    if in_range {
        return Err("unclosed range".into());
    }
    Ok(nodes)
}

fn parse_path(p: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    // `$` is the root and `@` the current object: both are where the path starts.
    let s = p.strip_prefix('$').or_else(|| p.strip_prefix('@')).unwrap_or(p);
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '.' if i + 1 < b.len() && b[i + 1] == '.' => {
                i += 2;
                let start = i;
                while i < b.len() && b[i] != '.' && b[i] != '[' {
                    i += 1;
                }
                steps.push(Step::Recursive(b[start..i].iter().collect()));
            }
            '.' => {
                i += 1;
                // `\.` is a dot inside the name (`{.data.ca\.crt}`), as in kubectl's JSONPath.
                let mut name = String::new();
                while i < b.len() && b[i] != '.' && b[i] != '[' {
                    if b[i] == '\\' && i + 1 < b.len() && b[i + 1] == '.' {
                        name.push('.');
                        i += 2;
                        continue;
                    }
                    name.push(b[i]);
                    i += 1;
                }
                if name == "*" {
                    steps.push(Step::All);
                } else if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '[' => {
                let start = i + 1;
                let mut depth = 1;
                i += 1;
                while i < b.len() && depth > 0 {
                    match b[i] {
                        '[' => depth += 1,
                        ']' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                // An unclosed `[` (found by the share-link fuzzer: it used to slice backwards).
                if depth > 0 {
                    return Err("unterminated array".into());
                }
                let inner: String = b[start..i - 1].iter().collect();
                let inner = inner.trim();
                if inner == "*" {
                    steps.push(Step::All);
                } else if inner.is_empty() {
                    // `[]`: the first element (kubectl's parser makes an empty index 0).
                    steps.push(Step::Index(0));
                } else if !inner.starts_with("?(") && inner.contains(',') {
                    let alternatives =
                        inner.split(',').map(|alt| parse_path(&format!("[{}]", alt.trim()))).collect::<Result<_, _>>()?;
                    steps.push(Step::Union(alternatives));
                } else if let Some(f) = inner.strip_prefix("?(").and_then(|x| x.strip_suffix(')')) {
                    // `?(@.a.b)` with no comparison keeps the items where the path exists.
                    let (lhs, op, rhs) = match f.split_once("!=") {
                        Some((l, r)) => (l, "!=", r),
                        None => match f.split_once("==") {
                            Some((l, r)) => (l, "==", r),
                            None => (f, "exists", ""),
                        },
                    };
                    let lhs = lhs.trim().strip_prefix('@').ok_or_else(|| format!("unsupported filter {f}"))?;
                    let rhs = rhs.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
                    steps.push(Step::Filter(parse_path(lhs)?, op.into(), rhs));
                } else if inner.starts_with('\'') || inner.starts_with('"') {
                    // A quoted key is parsed as a path: `['metadata.name']` is `.metadata.name`
                    // (`\.` keeps a dot inside a key).
                    let key = inner.trim_matches(|c| c == '\'' || c == '"');
                    steps.extend(parse_path(&format!(".{key}"))?);
                } else if let Some((a, b)) = inner.split_once(':') {
                    let bound = |x: &str| -> Result<Option<i64>, String> {
                        let x = x.trim();
                        if x.is_empty() {
                            Ok(None)
                        } else {
                            x.parse().map(Some).map_err(|_| format!("invalid array index {inner}"))
                        }
                    };
                    steps.push(Step::Slice(bound(a)?, bound(b.split(':').next().unwrap_or(""))?));
                } else {
                    let n: i64 = inner.parse().map_err(|_| format!("invalid array index {inner}"))?;
                    steps.push(Step::Index(n));
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < b.len() && b[i] != '.' && b[i] != '[' {
                    i += 1;
                }
                steps.push(Step::Field(b[start..i].iter().collect()));
            }
            c => return Err(format!("unrecognized character in action: {c:?}")),
        }
    }
    Ok(steps)
}

fn eval<'a>(steps: &[Step], v: &'a Value) -> Vec<&'a Value> {
    let mut cur = vec![v];
    for s in steps {
        let mut next = Vec::new();
        if let Step::Union(alternatives) = s {
            for alt in alternatives {
                for c in &cur {
                    next.extend(eval(alt, c));
                }
            }
            cur = next;
            continue;
        }
        for c in cur {
            match s {
                Step::Field(f) => {
                    if let Some(x) = c.get(f.as_str()) {
                        next.push(x);
                    }
                }
                Step::Index(i) => {
                    if let Value::Array(a) = c {
                        let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                        if let Some(x) = usize::try_from(idx).ok().and_then(|i| a.get(i)) {
                            next.push(x);
                        }
                    }
                }
                Step::Slice(from, to) => {
                    if let Value::Array(a) = c {
                        let len = a.len() as i64;
                        let fix = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                        let (f, t) = (fix(from.unwrap_or(0)), fix(to.unwrap_or(len)));
                        if f < t {
                            next.extend(a[f as usize..t as usize].iter());
                        }
                    }
                }
                // Handled over the whole input above.
                Step::Union(_) => {}
                Step::All => match c {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(m) => next.extend(m.values()),
                    _ => {}
                },
                Step::Filter(path, op, rhs) => {
                    if let Value::Array(a) = c {
                        for item in a {
                            let found = eval(path, item);
                            let hit = if op == "exists" {
                                found.iter().any(|x| !x.is_null())
                            } else {
                                found.iter().any(|x| text(x) == *rhs)
                            };
                            if hit == (op != "!=") {
                                next.push(item);
                            }
                        }
                    }
                }
                Step::Recursive(name) => collect_recursive(c, name, &mut next),
            }
        }
        cur = next;
    }
    cur
}

fn collect_recursive<'a>(v: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(name) {
                out.push(x);
            }
            for x in m.values() {
                collect_recursive(x, name, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                collect_recursive(x, name, out);
            }
        }
        _ => {}
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn exec(nodes: &[Node], data: &Value, out: &mut String, style: Style) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Expr(steps) => {
                let vals = eval(steps, data);
                if style == Style::GoTemplate {
                    if vals.is_empty() {
                        out.push_str("<no value>");
                    }
                    out.push_str(&vals.iter().map(|v| go_text(v)).collect::<Vec<_>>().join(" "));
                } else {
                    out.push_str(&vals.iter().map(|v| text(v)).collect::<Vec<_>>().join(" "));
                }
            }
            Node::Range(steps, body) => {
                for v in eval(steps, data) {
                    exec(body, v, out, style)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::render;
    use serde_json::json;

    #[test]
    fn common_templates() {
        let d = json!({"items": [
            {"metadata": {"name": "a"}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            {"metadata": {"name": "b"}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
        ]});
        assert_eq!(render("{.items[*].metadata.name}", &d).unwrap(), "a b");
        assert_eq!(render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &d).unwrap(), "a\nb\n");
        assert_eq!(render("{.items[0].status.conditions[?(@.type==\"Ready\")].status}", &d).unwrap(), "True");
        assert_eq!(render("{.items[-1].metadata.name}", &d).unwrap(), "b");
    }

    #[test]
    fn an_escaped_dot_is_part_of_the_key() {
        let d = json!({"data": {"ca.crt": "Q0E=", "ca": {"crt": "no"}}});
        assert_eq!(render("{.data.ca\\.crt}", &d).unwrap(), "Q0E=");
        assert_eq!(render("{.data.ca.crt}", &d).unwrap(), "no");
    }

    #[test]
    fn an_unclosed_bracket_is_an_error_not_a_panic() {
        let d = json!({"spec": {"containers": []}});
        for t in ["{.spec.containers[}", "{.spec.containers_2:[}\"name\"}", "{.spec[0}", "{.spec[[0]}"] {
            assert!(render(t, &d).is_err(), "{t}");
        }
    }
}
