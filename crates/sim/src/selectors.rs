//! Label and field selectors: matching (equality- and set-based) and the kubectl `-l`
//! string syntax (`app=web,tier!=db,env in (a,b),!canary`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// One requirement of a parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// A parsed selector: all requirements must hold. Empty matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| r.matches(labels))
    }

    /// Parses kubectl's `-l` syntax. The error text is the API machinery's.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top(s) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            if let Some(k) = part.strip_prefix('!') {
                reqs.push(Requirement::DoesNotExist(k.trim().to_string()));
            } else if let Some((k, v)) = part.split_once("!=") {
                reqs.push(Requirement::NotEquals(k.trim().into(), v.trim().into()));
            } else if let Some((k, v)) = part.split_once("==") {
                reqs.push(Requirement::Equals(k.trim().into(), v.trim().into()));
            } else if let Some((k, v)) = part.split_once('=') {
                reqs.push(Requirement::Equals(k.trim().into(), v.trim().into()));
            } else if let Some((k, rest)) = split_set_op(part, " notin ") {
                reqs.push(Requirement::NotIn(k, parse_set(&rest)?));
            } else if let Some((k, rest)) = split_set_op(part, " in ") {
                reqs.push(Requirement::In(k, parse_set(&rest)?));
            } else if part.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
                reqs.push(Requirement::Exists(part.to_string()));
            } else {
                return Err(format!("unable to parse requirement: found '{part}', expected: in, notin, =, ==, !=, gt, lt"));
            }
        }
        Ok(Selector(reqs))
    }

    /// The selector of a `LabelSelector` (matchLabels and matchExpressions).
    pub fn from_label_selector(sel: &LabelSelector) -> Selector {
        let mut reqs = Vec::new();
        for (k, v) in sel.match_labels.iter().flatten() {
            reqs.push(Requirement::Equals(k.clone(), v.clone()));
        }
        for e in sel.match_expressions.iter().flatten() {
            let vals = e.values.clone().unwrap_or_default();
            reqs.push(match e.operator.as_str() {
                "In" => Requirement::In(e.key.clone(), vals),
                "NotIn" => Requirement::NotIn(e.key.clone(), vals),
                "Exists" => Requirement::Exists(e.key.clone()),
                // An unknown operator matches nothing, as validation would have refused it.
                "DoesNotExist" => Requirement::DoesNotExist(e.key.clone()),
                _ => Requirement::In(e.key.clone(), vec![]),
            });
        }
        Selector(reqs)
    }

    /// The selector of a Service's `spec.selector` map.
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector(m.iter().map(|(k, v)| Requirement::Equals(k.clone(), v.clone())).collect())
    }
}

fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                cur.push(c);
            }
            ')' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn split_set_op(part: &str, op: &str) -> Option<(String, String)> {
    let i = part.find(op)?;
    Some((part[..i].trim().to_string(), part[i + op.len()..].trim().to_string()))
}

fn parse_set(s: &str) -> Result<Vec<String>, String> {
    let inner = s
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .ok_or_else(|| format!("unable to parse requirement: found '{s}', expected: '('"))?;
    Ok(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
}

/// Whether a workload's selector matches a set of labels. An empty selector matches nothing
/// here (workloads reject it in validation).
pub fn label_selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let s = Selector::from_label_selector(sel);
    !s.0.is_empty() && s.matches(labels)
}

/// A parsed `--field-selector`: `field=value` / `field!=value` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector(pub Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if let Some((k, v)) = part.split_once("!=") {
                out.push((k.trim().into(), false, v.trim().into()));
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                out.push((k.trim().into(), true, v.trim().into()));
            } else {
                return Err(format!("invalid selector: '{part}'; can't understand '{part}'"));
            }
        }
        Ok(FieldSelector(out))
    }

    /// Matches against a lookup of field values (`metadata.name`, `status.phase`, ...).
    pub fn matches(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        self.0.iter().all(|(k, eq, v)| (get(k).unwrap_or_default() == *v) == *eq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parses_and_matches_both_syntaxes() {
        let s = Selector::parse("app=web,tier!=db,env in (prod, staging),!canary").unwrap();
        assert!(s.matches(&labels(&[("app", "web"), ("env", "prod")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("env", "dev")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("env", "prod"), ("canary", "1")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("env", "prod"), ("tier", "db")])));
        let s = Selector::parse("app").unwrap();
        assert!(s.matches(&labels(&[("app", "x")])));
        assert!(Selector::parse("a in b").is_err());
    }
}
