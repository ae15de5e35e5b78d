//! The scheduler plugins that look at other pods: InterPodAffinity (required pod affinity and
//! anti-affinity, existing pods' anti-affinity, preferred terms for scoring) and
//! PodTopologySpread with explicit `topologySpreadConstraints`; plus NodeAffinity's
//! preferred-term score. They follow kube-scheduler's plugins
//! (`pkg/scheduler/framework/plugins/{interpodaffinity,podtopologyspread,nodeaffinity}`):
//! the counting per topology pair, the first-pod-of-a-series exception, the reason strings
//! and the score normalisation.
//!
//! The facts are computed once per scheduling attempt from the pods bound to nodes (not
//! terminal), so filtering and scoring a node is a few map lookups.

use crate::selectors::Selector;
use crate::store::Store;
use crate::Object;
use k8s_openapi::api::core::v1 as core;
use std::collections::{BTreeMap, BTreeSet};

pub const AFFINITY_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
pub const ANTI_AFFINITY_NOT_MATCH: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY_NOT_MATCH: &str = "node(s) didn't satisfy existing pods anti-affinity rules";
pub const SPREAD_NOT_MATCH: &str = "node(s) didn't match pod topology spread constraints";
pub const SPREAD_MISSING_LABEL: &str = "node(s) didn't match pod topology spread constraints (missing required label)";

/// Whether preemption could resolve this filter reason (kube-scheduler returns
/// `Unschedulable` rather than `UnschedulableAndUnresolvable` for it).
pub fn resolvable(reason: &str) -> bool {
    reason == ANTI_AFFINITY_NOT_MATCH || reason == EXISTING_ANTI_AFFINITY_NOT_MATCH || reason == SPREAD_NOT_MATCH
}

/// `(topologyKey, value)`.
type Pair = (String, String);

fn labels_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &BTreeMap<String, String> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    meta.labels.as_ref().unwrap_or(&EMPTY)
}

/// A term's selector: a missing `labelSelector` matches no pod, an empty one every pod.
fn term_selects(
    term: &core::PodAffinityTerm,
    term_ns: &str,
    pod: &core::Pod,
    namespaces: &BTreeMap<String, BTreeMap<String, String>>,
) -> bool {
    let Some(sel) = &term.label_selector else { return false };
    let pod_ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let ns_ok = match (&term.namespaces, &term.namespace_selector) {
        (names, Some(nsel)) => {
            names.iter().flatten().any(|n| n == pod_ns)
                || namespaces.get(pod_ns).is_some_and(|l| Selector::from_label_selector(nsel).matches(l))
        }
        (Some(names), None) if !names.is_empty() => names.iter().any(|n| n == pod_ns),
        _ => pod_ns == term_ns,
    };
    ns_ok && Selector::from_label_selector(sel).matches(labels_of(&pod.metadata))
}

fn node_labels(n: &core::Node) -> &BTreeMap<String, String> {
    labels_of(&n.metadata)
}

/// What InterPodAffinity and PodTopologySpread know about one scheduling attempt.
#[derive(Default)]
pub struct PodFacts {
    /// The incoming pod's required affinity terms, and per topology pair how many
    /// existing pods match all of them.
    required_affinity: Vec<String>,
    affinity_counts: BTreeMap<Pair, u32>,
    /// Whether the pod matches its own required affinity terms (the first of a series).
    matches_own_affinity: bool,
    /// Pairs where an existing pod matches one of the incoming pod's anti-affinity terms.
    anti_affinity: BTreeMap<String, BTreeSet<String>>,
    /// Pairs where an existing pod's required anti-affinity selects the incoming pod.
    existing_anti: BTreeSet<Pair>,
    /// Preferred (anti-)affinity weights per topology pair, both directions.
    preferred: BTreeMap<Pair, i64>,
    /// DoNotSchedule / ScheduleAnyway constraints with their counts.
    spread: Vec<Spread>,
}

struct Spread {
    key: String,
    max_skew: i64,
    hard: bool,
    self_match: i64,
    counts: BTreeMap<String, i64>,
    /// The smallest count over eligible domains (0 when fewer than minDomains).
    min: i64,
    weight: f64,
}

impl PodFacts {
    /// Whether anything here needs filtering or scoring at all.
    pub fn is_empty(&self) -> bool {
        self.required_affinity.is_empty()
            && self.anti_affinity.is_empty()
            && self.existing_anti.is_empty()
            && self.preferred.is_empty()
            && self.spread.is_empty()
    }
}

fn namespace_labels(store: &Store) -> BTreeMap<String, BTreeMap<String, String>> {
    store
        .list(crate::Kind::Namespace, None)
        .map(|o| (o.meta().name.clone().unwrap_or_default(), labels_of(o.meta()).clone()))
        .collect()
}

/// Gathers the facts for scheduling `pod` over `nodes`. `eligible(node)` says whether a node
/// passes the pod's node affinity/selector (PodTopologySpread counts only those domains).
pub fn facts<'a>(
    store: &'a Store,
    pod: &core::Pod,
    nodes: impl FnOnce() -> Vec<&'a core::Node>,
    eligible: &dyn Fn(&core::Node) -> bool,
) -> PodFacts {
    let mut f = PodFacts::default();
    let spec = match &pod.spec {
        Some(s) => s,
        None => return f,
    };
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let aff = spec.affinity.as_ref();
    let pa = aff.and_then(|a| a.pod_affinity.as_ref());
    let paa = aff.and_then(|a| a.pod_anti_affinity.as_ref());
    let req_aff: &[core::PodAffinityTerm] =
        pa.and_then(|p| p.required_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
    let req_anti: &[core::PodAffinityTerm] =
        paa.and_then(|p| p.required_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
    let pref_aff: &[core::WeightedPodAffinityTerm] =
        pa.and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
    let pref_anti: &[core::WeightedPodAffinityTerm] =
        paa.and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
    let constraints = spec.topology_spread_constraints.as_deref().unwrap_or(&[]);
    let incoming_terms = !(req_aff.is_empty() && req_anti.is_empty() && pref_aff.is_empty() && pref_anti.is_empty());
    let existing_with_affinity: Vec<&core::Pod> = store.affinity_pods().collect();
    if !incoming_terms && existing_with_affinity.is_empty() && constraints.is_empty() {
        return f;
    }
    let namespaces = namespace_labels(store);
    // The candidate nodes are listed only now: most pods need no affinity facts at all.
    let nodes = nodes();
    let by_name: BTreeMap<&str, &core::Node> = nodes.iter().map(|n| (n.metadata.name.as_deref().unwrap_or(""), *n)).collect();
    let node_of = |p: &core::Pod| p.spec.as_ref().and_then(|s| s.node_name.as_deref()).and_then(|n| by_name.get(n).copied());
    let pair = |node: &core::Node, key: &str| node_labels(node).get(key).map(|v| (key.to_string(), v.clone()));

    f.required_affinity = req_aff.iter().map(|t| t.topology_key.clone()).collect();
    f.matches_own_affinity = req_aff.iter().all(|t| term_selects(t, ns, pod, &namespaces));

    // The incoming pod's terms against every existing pod.
    if incoming_terms {
        for o in store.list(crate::Kind::Pod, None) {
            let Object::Pod(existing) = o else { continue };
            if !crate::store::counts_for_scheduling(existing) {
                continue;
            }
            let Some(node) = node_of(existing) else { continue };
            if !req_aff.is_empty() && req_aff.iter().all(|t| term_selects(t, ns, existing, &namespaces)) {
                for t in req_aff {
                    if let Some(p) = pair(node, &t.topology_key) {
                        *f.affinity_counts.entry(p).or_default() += 1;
                    }
                }
            }
            for t in req_anti {
                if term_selects(t, ns, existing, &namespaces) {
                    if let Some((k, v)) = pair(node, &t.topology_key) {
                        f.anti_affinity.entry(k).or_default().insert(v);
                    }
                }
            }
            for (terms, sign) in [(pref_aff, 1), (pref_anti, -1)] {
                for w in terms {
                    if term_selects(&w.pod_affinity_term, ns, existing, &namespaces) {
                        if let Some(p) = pair(node, &w.pod_affinity_term.topology_key) {
                            *f.preferred.entry(p).or_default() += sign * i64::from(w.weight);
                        }
                    }
                }
            }
        }
    }

    // Existing pods' terms against the incoming pod.
    for existing in existing_with_affinity {
        let Some(node) = node_of(existing) else { continue };
        let ens = existing.metadata.namespace.as_deref().unwrap_or("");
        let Some(a) = existing.spec.as_ref().and_then(|s| s.affinity.as_ref()) else { continue };
        let ea = a.pod_affinity.as_ref();
        let eaa = a.pod_anti_affinity.as_ref();
        for t in eaa.and_then(|p| p.required_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]) {
            if term_selects(t, ens, pod, &namespaces) {
                if let Some(p) = pair(node, &t.topology_key) {
                    f.existing_anti.insert(p);
                }
            }
        }
        // hardPodAffinityWeight: an existing pod's required affinity counts 1 in scoring.
        for t in ea.and_then(|p| p.required_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]) {
            if term_selects(t, ens, pod, &namespaces) {
                if let Some(p) = pair(node, &t.topology_key) {
                    *f.preferred.entry(p).or_default() += 1;
                }
            }
        }
        let e_pref_aff = ea.and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
        let e_pref_anti = eaa.and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
        for (terms, sign) in [(e_pref_aff, 1), (e_pref_anti, -1)] {
            for w in terms {
                if term_selects(&w.pod_affinity_term, ens, pod, &namespaces) {
                    if let Some(p) = pair(node, &w.pod_affinity_term.topology_key) {
                        *f.preferred.entry(p).or_default() += sign * i64::from(w.weight);
                    }
                }
            }
        }
    }

    // Topology spread: count matching pods per domain over the eligible nodes that carry
    // every constraint's key.
    if !constraints.is_empty() {
        let keys: Vec<&str> = constraints.iter().map(|c| c.topology_key.as_str()).collect();
        let domain_nodes: Vec<&core::Node> =
            nodes.iter().copied().filter(|n| eligible(n) && keys.iter().all(|k| node_labels(n).contains_key(*k))).collect();
        let domain_names: BTreeSet<&str> = domain_nodes.iter().map(|n| n.metadata.name.as_deref().unwrap_or("")).collect();
        for c in constraints {
            let sel = c.label_selector.as_ref().map(Selector::from_label_selector);
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for n in &domain_nodes {
                counts.entry(node_labels(n)[&c.topology_key].clone()).or_default();
            }
            if let Some(sel) = &sel {
                for o in store.list(crate::Kind::Pod, Some(ns)) {
                    let Object::Pod(existing) = o else { continue };
                    if existing.metadata.deletion_timestamp.is_some() || !crate::store::counts_for_scheduling(existing) {
                        continue;
                    }
                    let Some(node) = node_of(existing) else { continue };
                    if !domain_names.contains(node.metadata.name.as_deref().unwrap_or("")) {
                        continue;
                    }
                    if sel.matches(labels_of(&existing.metadata)) {
                        *counts.entry(node_labels(node)[&c.topology_key].clone()).or_default() += 1;
                    }
                }
            }
            let min_domains = c.min_domains.unwrap_or(1).max(1) as usize;
            let min = if counts.len() < min_domains { 0 } else { counts.values().copied().min().unwrap_or(0) };
            let self_match = i64::from(sel.as_ref().is_some_and(|s| s.matches(labels_of(&pod.metadata))));
            let weight = ((counts.len() + 2) as f64).ln();
            f.spread.push(Spread {
                key: c.topology_key.clone(),
                max_skew: i64::from(c.max_skew),
                hard: c.when_unsatisfiable == "DoNotSchedule",
                self_match,
                counts,
                min,
                weight,
            });
        }
    }
    f
}

/// PodTopologySpread's and InterPodAffinity's filters for one node, in kube-scheduler's
/// plugin order.
pub fn filter(f: &PodFacts, node: &core::Node) -> Result<(), &'static str> {
    let labels = node_labels(node);
    for s in f.spread.iter().filter(|s| s.hard) {
        let Some(v) = labels.get(&s.key) else { return Err(SPREAD_MISSING_LABEL) };
        let count = s.counts.get(v).copied().unwrap_or(0);
        if count + s.self_match - s.min > s.max_skew {
            return Err(SPREAD_NOT_MATCH);
        }
    }
    if !f.required_affinity.is_empty() {
        let mut pods_exist = true;
        for key in &f.required_affinity {
            let Some(v) = labels.get(key) else { return Err(AFFINITY_NOT_MATCH) };
            if f.affinity_counts.get(&(key.clone(), v.clone())).copied().unwrap_or(0) == 0 {
                pods_exist = false;
            }
        }
        // The first pod of a series with affinity to itself may go anywhere.
        let first_of_series = f.affinity_counts.is_empty() && f.matches_own_affinity;
        if !pods_exist && !first_of_series {
            return Err(AFFINITY_NOT_MATCH);
        }
    }
    for (key, values) in &f.anti_affinity {
        if labels.get(key).is_some_and(|v| values.contains(v)) {
            return Err(ANTI_AFFINITY_NOT_MATCH);
        }
    }
    if f.existing_anti.iter().any(|(k, v)| labels.get(k) == Some(v)) {
        return Err(EXISTING_ANTI_AFFINITY_NOT_MATCH);
    }
    Ok(())
}

/// InterPodAffinity's normalised scores (0–100) for the feasible nodes.
pub fn inter_pod_scores(f: &PodFacts, nodes: &[&core::Node]) -> Vec<i64> {
    if f.preferred.is_empty() {
        return vec![0; nodes.len()];
    }
    let raw: Vec<i64> = nodes
        .iter()
        .map(|n| {
            let labels = node_labels(n);
            f.preferred.iter().filter(|((k, v), _)| labels.get(k) == Some(v)).map(|(_, w)| *w).sum()
        })
        .collect();
    let (min, max) = (raw.iter().copied().min().unwrap_or(0), raw.iter().copied().max().unwrap_or(0));
    raw.iter().map(|s| if max > min { ((100 * (s - min)) as f64 / (max - min) as f64) as i64 } else { 0 }).collect()
}

/// PodTopologySpread's normalised scores for explicit ScheduleAnyway constraints, or `None`
/// when the pod has none (the system default spreading applies then).
pub fn spread_scores(f: &PodFacts, nodes: &[&core::Node]) -> Option<Vec<i64>> {
    let soft: Vec<&Spread> = f.spread.iter().filter(|s| !s.hard).collect();
    if f.spread.is_empty() {
        return None;
    }
    if soft.is_empty() {
        return Some(vec![0; nodes.len()]);
    }
    // Nodes missing a key are ignored (score 0); the rest score count·weight + maxSkew − 1.
    let raw: Vec<Option<i64>> = nodes
        .iter()
        .map(|n| {
            let labels = node_labels(n);
            let mut total = 0.0;
            for s in &soft {
                let v = labels.get(&s.key)?;
                let c = s.counts.get(v).copied().unwrap_or(0);
                total += c as f64 * s.weight + (s.max_skew - 1) as f64;
            }
            Some(total.round() as i64)
        })
        .collect();
    let present: Vec<i64> = raw.iter().flatten().copied().collect();
    let (min, max) = (present.iter().copied().min().unwrap_or(0), present.iter().copied().max().unwrap_or(0));
    Some(
        raw.iter()
            .map(|s| match s {
                None => 0,
                Some(_) if max == 0 => 100,
                Some(s) => 100 * (max + min - s) / max,
            })
            .collect(),
    )
}

/// NodeAffinity's score: the weights of the preferred terms a node matches, scaled so the
/// best node gets 100.
pub fn node_affinity_scores(spec: &core::PodSpec, nodes: &[&core::Node]) -> Vec<i64> {
    let terms = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.preferred_during_scheduling_ignored_during_execution.as_deref())
        .unwrap_or(&[]);
    if terms.is_empty() {
        return vec![0; nodes.len()];
    }
    let raw: Vec<i64> = nodes
        .iter()
        .map(|n| {
            terms
                .iter()
                .filter(|t| crate::scheduler::node_selector_term_matches(&t.preference, n))
                .map(|t| i64::from(t.weight))
                .sum()
        })
        .collect();
    let max = raw.iter().copied().max().unwrap_or(0);
    raw.iter().map(|s| if max > 0 { s * 100 / max } else { 0 }).collect()
}
