//! The YAML editor's look: a `<pre>` behind the transparent-text textarea, with line
//! numbers, syntax colours (keys, strings, numbers, booleans, comments, document markers,
//! block scalars) and the lines of the last apply's errors marked. The textarea stays the
//! real input (typing, selection, undo and the keyboard are the browser's own); this module
//! only draws what is behind it.

use std::collections::BTreeMap;
use yew::prelude::*;

/// A run of text and its colour class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tok {
    pub class: &'static str,
    pub text: String,
}

fn tok(class: &'static str, text: &str) -> Tok {
    Tok { class, text: text.to_string() }
}

/// Where a `#` comment starts: outside quotes, at the line start or after whitespace.
fn comment_start(line: &str) -> Option<usize> {
    let (mut single, mut double, mut prev_space) = (false, false, true);
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_space => return Some(i),
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

/// Where a mapping key's `:` is (outside quotes, followed by a space or the line's end).
fn key_colon(code: &str) -> Option<usize> {
    let (mut single, mut double) = (false, false);
    let bytes = code.as_bytes();
    for (i, c) in code.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            ':' if !single && !double && (i + 1 == code.len() || bytes[i + 1] == b' ') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A scalar value's class.
fn value_class(v: &str) -> &'static str {
    let t = v.trim();
    if t.starts_with('"') || t.starts_with('\'') {
        "hl-str"
    } else if matches!(t, "true" | "false" | "null" | "~" | "yes" | "no") {
        "hl-bool"
    } else if !t.is_empty() && t.parse::<f64>().is_ok() {
        "hl-num"
    } else if matches!(t, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
        "hl-punct"
    } else {
        "hl-val"
    }
}

/// Colours one line. `block` is the indentation of an open block scalar (`key: |`): lines
/// indented deeper are its text.
pub fn line_tokens(line: &str, block: &mut Option<usize>) -> Vec<Tok> {
    let indent = line.len() - line.trim_start().len();
    if let Some(b) = *block {
        if line.trim().is_empty() || indent > b {
            return vec![tok("hl-block", line)];
        }
        *block = None;
    }
    let mut out = Vec::new();
    let (code, comment) = match comment_start(line) {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    if matches!(code.trim(), "---" | "...") {
        out.push(tok("hl-doc", code));
    } else {
        // Indentation and list dashes.
        let mut rest = code;
        let lead = rest.len() - rest.trim_start().len();
        out.push(tok("", &rest[..lead]));
        rest = &rest[lead..];
        while let Some(r) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) {
            out.push(tok("hl-punct", &rest[..rest.len() - r.len()]));
            rest = r;
        }
        match key_colon(rest) {
            Some(i) => {
                out.push(tok("hl-key", &rest[..i]));
                out.push(tok("hl-punct", ":"));
                let value = &rest[i + 1..];
                if !value.is_empty() {
                    let class = value_class(value);
                    if class == "hl-punct" {
                        *block = Some(indent);
                    }
                    out.push(tok(class, value));
                }
            }
            None if !rest.is_empty() => out.push(tok(value_class(rest), rest)),
            None => {}
        }
    }
    if let Some(c) = comment {
        out.push(tok("hl-comment", c));
    }
    out.retain(|t| !t.text.is_empty());
    out
}

/// The highlighted text behind the editor: one line per source line, its number in the
/// gutter, and the lines named by `errors` (1-based) marked with their message.
pub fn highlight(text: &str, errors: &BTreeMap<u32, String>) -> Html {
    let mut block = None;
    let lines: Vec<&str> = text.split('\n').collect();
    let width = lines.len().to_string().len().max(2);
    html! {
        { for lines.iter().enumerate().map(|(i, line)| {
            let n = i as u32 + 1;
            let err = errors.get(&n);
            let toks = line_tokens(line, &mut block);
            html! {
                <span class={classes!("hl-line", err.map(|_| "hl-err"))} title={err.cloned()}>
                    <span class="hl-ln">{ format!("{n:>width$} ") }</span>
                    { for toks.into_iter().map(|t| if t.class.is_empty() {
                        html! { { t.text } }
                    } else {
                        html! { <span class={t.class}>{ t.text }</span> }
                    }) }
                    { "\n" }
                </span>
            }
        }) }
    }
}

/// The gutter's width in characters for `text` (numbers plus one space), so the textarea's
/// padding lines its text up with the highlighted copy.
pub fn gutter_chars(text: &str) -> usize {
    text.split('\n').count().to_string().len().max(2) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&'static str, String)> {
        let mut b = None;
        line_tokens(line, &mut b).into_iter().map(|t| (t.class, t.text)).collect()
    }

    #[test]
    fn keys_values_and_comments() {
        assert_eq!(
            classes("  replicas: 3 # three"),
            vec![
                ("", "  ".into()),
                ("hl-key", "replicas".into()),
                ("hl-punct", ":".into()),
                ("hl-num", " 3 ".into()),
                ("hl-comment", "# three".into())
            ]
        );
        assert_eq!(
            classes("- name: web"),
            vec![("hl-punct", "- ".into()), ("hl-key", "name".into()), ("hl-punct", ":".into()), ("hl-val", " web".into())]
        );
        assert_eq!(classes("image: \"nginx:1.25\"")[2..], [("hl-str", " \"nginx:1.25\"".into())]);
        assert_eq!(classes("---"), vec![("hl-doc", "---".into())]);
        // A colon inside a value or quotes is not a key.
        assert_eq!(classes("  - http://x:80/#top")[2], ("hl-val", "http://x:80/#top".into()));
    }

    #[test]
    fn block_scalars_are_text_until_the_indent_returns() {
        let mut b = None;
        line_tokens("  script: |", &mut b);
        assert_eq!(b, Some(2));
        assert_eq!(line_tokens("    echo a: b", &mut b), vec![tok("hl-block", "    echo a: b")]);
        let back = line_tokens("  other: 1", &mut b);
        assert_eq!(back[1], tok("hl-key", "other"));
        assert_eq!(b, None);
    }

    #[test]
    fn every_character_is_kept() {
        for line in ["apiVersion: v1", "  - a: 'b # c' # d", "x", "", "    - - nested", "k: v:w", "  #only"] {
            let mut b = None;
            let joined: String = line_tokens(line, &mut b).into_iter().map(|t| t.text).collect();
            assert_eq!(joined, line);
        }
    }
}
