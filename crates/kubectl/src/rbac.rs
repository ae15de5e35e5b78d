//! RBAC helpers kubectl uses to show and build roles: `BreakdownRule`, `CompactRules` and
//! the rule order of `kubectl describe role`, and `CombineResourceGroup`. RBAC objects are
//! stored, not enforced (`Kind::not_enforced`).

use k8s_openapi::api::rbac::v1::PolicyRule;

/// A rule as kubectl compares and prints it (absent lists are empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
    pub verbs: Vec<String>,
}

impl Rule {
    fn of(r: &PolicyRule) -> Rule {
        Rule {
            api_groups: r.api_groups.clone().unwrap_or_default(),
            resources: r.resources.clone().unwrap_or_default(),
            resource_names: r.resource_names.clone().unwrap_or_default(),
            non_resource_urls: r.non_resource_urls.clone().unwrap_or_default(),
            verbs: r.verbs.clone(),
        }
    }

    /// `PolicyRule.String()`: the sort key of `rbac.SortableRuleSlice`.
    fn sort_key(&self) -> String {
        let q = |v: &[String]| format!("[{}]", v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" "));
        let mut parts = Vec::new();
        for (name, v) in [
            ("APIGroups", &self.api_groups),
            ("Resources", &self.resources),
            ("NonResourceURLs", &self.non_resource_urls),
            ("ResourceNames", &self.resource_names),
            ("Verbs", &self.verbs),
        ] {
            if !v.is_empty() {
                parts.push(format!("{name}:{}", q(v)));
            }
        }
        format!("PolicyRule{{{}}}", parts.join(", "))
    }
}

/// `BreakdownRule`: one rule per group, resource, verb (and resource name), then one per
/// non-resource URL and verb.
fn breakdown(r: &Rule) -> Vec<Rule> {
    let mut out = Vec::new();
    for g in &r.api_groups {
        for res in &r.resources {
            for v in &r.verbs {
                let one = |names: Vec<String>| Rule {
                    api_groups: vec![g.clone()],
                    resources: vec![res.clone()],
                    verbs: vec![v.clone()],
                    resource_names: names,
                    ..Rule::default()
                };
                if r.resource_names.is_empty() {
                    out.push(one(vec![]));
                } else {
                    out.extend(r.resource_names.iter().map(|n| one(vec![n.clone()])));
                }
            }
        }
    }
    for u in &r.non_resource_urls {
        for v in &r.verbs {
            out.push(Rule { non_resource_urls: vec![u.clone()], verbs: vec![v.clone()], ..Rule::default() });
        }
    }
    out
}

/// A role's rules as `kubectl describe` lists them: broken down, simple rules for the same
/// group, resource and name merged (verbs in order of appearance), sorted by their Go text.
pub fn compact_rules(rules: &[PolicyRule]) -> Vec<Rule> {
    let mut compacted: Vec<Rule> = Vec::new();
    let mut simple: Vec<Rule> = Vec::new();
    for r in rules.iter().map(Rule::of).flat_map(|r| breakdown(&r)) {
        let is_simple =
            r.non_resource_urls.is_empty() && r.api_groups.len() == 1 && r.resources.len() == 1 && r.resource_names.len() <= 1;
        if !is_simple {
            compacted.push(r);
            continue;
        }
        match simple
            .iter_mut()
            .find(|s| s.api_groups == r.api_groups && s.resources == r.resources && s.resource_names == r.resource_names)
        {
            Some(s) => s.verbs.extend(r.verbs),
            None => simple.push(r),
        }
    }
    compacted.extend(simple);
    // Go's sort.Stable over keys; equal keys cannot come from distinct simple rules.
    compacted.sort_by_cached_key(Rule::sort_key);
    compacted
}

/// `CombineResourceGroup`: `pods`, `deployments.apps`, `pods.metrics.k8s.io/log`.
pub fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else { return String::new() };
    let (base, sub) = match first.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = base.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(g);
    }
    if let Some(s) = sub {
        out.push('/');
        out.push_str(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        PolicyRule { api_groups: Some(v(groups)), resources: Some(v(resources)), verbs: v(verbs), ..Default::default() }
    }

    #[test]
    fn rules_are_broken_down_merged_and_sorted_as_kubectl_describes_them() {
        let rules = [rule(&["", "apps"], &["pods", "deployments"], &["get", "list"]), rule(&[""], &["pods"], &["watch"])];
        let got: Vec<(String, String)> = compact_rules(&rules)
            .iter()
            .map(|r| (combine_resource_group(&r.resources, &r.api_groups), r.verbs.join(" ")))
            .collect();
        assert_eq!(
            got,
            vec![
                ("deployments".to_string(), "get list".to_string()),
                ("pods".to_string(), "get list watch".to_string()),
                ("deployments.apps".to_string(), "get list".to_string()),
                ("pods.apps".to_string(), "get list".to_string()),
            ]
        );
    }

    #[test]
    fn subresources_keep_their_suffix_after_the_group() {
        assert_eq!(combine_resource_group(&["pods/log".into()], &["".into()]), "pods/log");
        assert_eq!(combine_resource_group(&["deployments/scale".into()], &["apps".into()]), "deployments.apps/scale");
        assert_eq!(combine_resource_group(&[], &[]), "");
    }
}
