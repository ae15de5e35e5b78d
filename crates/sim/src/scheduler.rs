//! The scheduler: for an unbound pod, filter the nodes (NodeUnschedulable, NodeName,
//! TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, and in `affinity.rs`
//! PodTopologySpread and InterPodAffinity), score the feasible ones with
//! the upstream plugins and weights, break ties with the seeded RNG, and bind; or record
//! FailedScheduling with the scheduler's aggregated message. Every decision is kept, per
//! node, so the UI can say why.

use crate::events::EventType;
use crate::kinds::Object;
use crate::preemption::Preemption;
use crate::resources::{pod_requests, Res};
use crate::rng::Rng;
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use std::collections::BTreeMap;

/// How many feasible nodes' scores a decision keeps.
pub const DECISION_NODES_KEPT: usize = 8;

/// Why the scheduler put a pod where it did, or could not place it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Per node: `Ok(total score)` if feasible, `Err(reasons)` if filtered out.
    pub nodes: BTreeMap<String, Result<i64, Vec<String>>>,
    /// Nodes the NodeAffinity PreFilter set aside without filtering them (a DaemonSet pod
    /// names its one node): how many, and the reason they count under.
    pub set_aside: Option<(u32, String)>,
    /// The chosen node, if any.
    pub chosen: Option<String>,
    pub message: String,
}

/// Whether `tols` tolerate `taint`.
pub fn tolerates(tols: &[core::Toleration], taint: &core::Taint) -> bool {
    tols.iter().any(|t| {
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == taint.key,
        };
        let value_ok = match t.operator.as_deref() {
            Some("Exists") => true,
            _ => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        };
        effect_ok && key_ok && value_ok
    })
}

/// Whether a node matches one NodeSelectorTerm (its expressions and fields, ANDed).
pub fn node_selector_term_matches(term: &core::NodeSelectorTerm, node: &core::Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    let exprs_ok = term.match_expressions.iter().flatten().all(|e| {
        let v = labels.and_then(|l| l.get(&e.key));
        let vals: &[String] = e.values.as_deref().unwrap_or(&[]);
        match e.operator.as_str() {
            "In" => v.is_some_and(|v| vals.contains(v)),
            "NotIn" => v.is_none_or(|v| !vals.contains(v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(x)) =
                    (v.and_then(|v| v.parse::<i64>().ok()), vals.first().and_then(|x| x.parse::<i64>().ok()))
                else {
                    return false;
                };
                if e.operator == "Gt" {
                    v > x
                } else {
                    v < x
                }
            }
            _ => false,
        }
    });
    let fields_ok = term.match_fields.iter().flatten().all(|e| {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let vals: &[String] = e.values.as_deref().unwrap_or(&[]);
        e.key == "metadata.name"
            && match e.operator.as_str() {
                "In" => vals.iter().any(|v| v == name),
                "NotIn" => !vals.iter().any(|v| v == name),
                _ => false,
            }
    });
    exprs_ok && fields_ok
}

/// NodeAffinity filter: nodeSelector and required node affinity.
pub fn node_affinity_matches(spec: &core::PodSpec, node: &core::Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    if let Some(sel) = &spec.node_selector {
        if !sel.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v)) {
            return false;
        }
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref());
    match required {
        Some(r) => r.node_selector_terms.iter().any(|t| node_selector_term_matches(t, node)),
        None => true,
    }
}

/// Allocatable cpu (m), memory (bytes) and pods of a node (cached in the store's index).
pub fn allocatable(node: &core::Node) -> (Res, i64) {
    parse_allocatable(node)
}

/// Parses a node's allocatable cpu (m), memory (bytes) and pods.
pub fn parse_allocatable(node: &core::Node) -> (Res, i64) {
    let a = node.status.as_ref().and_then(|s| s.allocatable.clone()).unwrap_or_default();
    let q = |k: &str| a.get(k).and_then(|q| crate::quantity::parse(&q.0)).unwrap_or(0);
    (Res { cpu_m: q("cpu") as i64, mem: (q("memory") / 1000) as i64 }, (q("pods") / 1000) as i64)
}

/// Requests of the pods bound to a node (not terminal), actual and non-zero, their count and
/// host ports in use (from the store's index).
pub fn node_usage(world: &World, node: &str) -> (Res, Res, i64, Vec<u16>) {
    match world.store().node_usage(node) {
        Some(u) => (u.requests, u.non_zero, u.pods, u.host_ports.keys().copied().collect()),
        None => (Res::default(), Res::default(), 0, vec![]),
    }
}

/// What filtering needs of the pod, computed once per scheduling attempt.
struct PodFacts<'a> {
    spec: &'a core::PodSpec,
    tols: &'a [core::Toleration],
    want: Res,
    /// Extended resources the pod asks for (`example.com/dongle`), by name.
    extended: Vec<String>,
    ports: Vec<u16>,
    volume_node: Option<String>,
    /// InterPodAffinity and PodTopologySpread facts (other pods, topology domains).
    others: crate::affinity::PodFacts,
}

fn filter(f: &PodFacts<'_>, node: &core::Node, usage: Option<&crate::store::NodeUsage>) -> Result<(), Vec<String>> {
    let spec = f.spec;
    let tols = f.tols;
    let nspec = node.spec.as_ref();
    if nspec.and_then(|n| n.unschedulable).unwrap_or(false) {
        let t = core::Taint { key: "node.kubernetes.io/unschedulable".into(), effect: "NoSchedule".into(), ..Default::default() };
        if !tolerates(tols, &t) {
            return Err(vec!["node(s) were unschedulable".into()]);
        }
    }
    for taint in nspec.and_then(|n| n.taints.as_ref()).into_iter().flatten() {
        if (taint.effect == "NoSchedule" || taint.effect == "NoExecute") && !tolerates(tols, taint) {
            return Err(vec!["node(s) had untolerated taint(s)".into()]);
        }
    }
    if !node_affinity_matches(spec, node) {
        return Err(vec!["node(s) didn't match Pod's node affinity/selector".into()]);
    }
    if let Some(vn) = &f.volume_node {
        if node.metadata.name.as_deref() != Some(vn.as_str()) {
            return Err(vec!["node(s) had volume node affinity conflict".into()]);
        }
    }
    let (used, count) = usage.map_or((Res::default(), 0), |u| (u.requests, u.pods));
    if f.ports.iter().any(|p| usage.is_some_and(|u| u.host_ports.contains_key(p))) {
        return Err(vec!["node(s) didn't have free ports for the requested pod ports".into()]);
    }
    let (alloc, max_pods) = usage.and_then(|u| u.allocatable).unwrap_or_else(|| parse_allocatable(node));
    let mut reasons = fit_reasons(f.want, used, count, alloc, max_pods);
    // An extended resource a node does not advertise does not fit there (kubeplay's nodes
    // advertise none: their status is the kubelet's).
    let advertised = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    for name in &f.extended {
        if !advertised.is_some_and(|a| a.contains_key(name)) {
            reasons.push(format!("Insufficient {name}"));
        }
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    crate::affinity::filter(&f.others, node).map_err(|r| vec![r.to_string()])
}

/// The extended resources (anything but cpu, memory, storage and hugepages) the pod's
/// containers request or limit (an extended resource's request defaults to its limit).
fn extended_requests(spec: &core::PodSpec) -> Vec<String> {
    let mut names: Vec<String> = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .filter_map(|c| c.resources.as_ref())
        .flat_map(|r| r.requests.iter().flatten().chain(r.limits.iter().flatten()))
        .filter(|(k, q)| {
            !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods")
                && !k.starts_with("hugepages-")
                && crate::quantity::parse(&q.0).unwrap_or(0) > 0
        })
        .map(|(k, _)| k.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// NodeResourcesFit's reasons for a pod wanting `want` on a node with `used` requests and
/// `count` pods bound (empty when it fits).
pub(crate) fn fit_reasons(want: Res, used: Res, count: i64, alloc: Res, max_pods: i64) -> Vec<String> {
    let mut reasons = Vec::new();
    if count + 1 > max_pods {
        reasons.push("Too many pods".into());
    }
    if want.cpu_m > 0 && used.cpu_m + want.cpu_m > alloc.cpu_m {
        reasons.push("Insufficient cpu".into());
    }
    if want.mem > 0 && used.mem + want.mem > alloc.mem {
        reasons.push("Insufficient memory".into());
    }
    reasons
}

/// `numFeasibleNodesToFind` with the default adaptive percentage: every node below 100,
/// otherwise (50 - nodes/125)% of them, at least 5% and at least 100.
pub fn feasible_to_find(all: usize) -> usize {
    if all < 100 {
        return all;
    }
    let pct = (50 - (all as i64) / 125).max(5) as usize;
    (all * pct / 100).max(100)
}

/// Whether preemption could help on a node that failed for `reasons`.
fn preemption_reason(reasons: &[String]) -> &'static str {
    // NodePorts fails as Unschedulable (a lower-priority pod holding the port could be
    // evicted), not UnschedulableAndUnresolvable.
    let resolvable = reasons.iter().all(|r| {
        r.starts_with("Insufficient")
            || r == "Too many pods"
            || r == "node(s) didn't have free ports for the requested pod ports"
            || crate::affinity::resolvable(r)
    });
    if resolvable {
        "No preemption victims found for incoming pod"
    } else {
        "Preemption is not helpful for scheduling"
    }
}

fn histogram(items: &[&str]) -> String {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// The FailedScheduling message for these per-node reasons.
pub fn failure_message(total: usize, failed: &BTreeMap<String, Vec<String>>) -> String {
    failure_message_with(total, failed, None)
}

/// The same, with nodes a PreFilter set aside: they count under its reason, and preemption
/// cannot help on them (UnschedulableAndUnresolvable).
fn failure_message_with(total: usize, failed: &BTreeMap<String, Vec<String>>, set_aside: Option<&(u32, String)>) -> String {
    let pre: BTreeMap<String, String> = failed.iter().map(|(n, r)| (n.clone(), preemption_reason(r).to_string())).collect();
    with_preemption(total, failed, set_aside, &pre)
}

/// The FitError's first sentence: `0/N nodes are available: <reasons>.`
fn fit_error(total: usize, failed: &BTreeMap<String, Vec<String>>, set_aside: Option<&(u32, String)>) -> String {
    let mut reasons: Vec<&str> = failed.values().flatten().map(String::as_str).collect();
    if let Some((n, why)) = set_aside {
        reasons.extend(std::iter::repeat_n(why.as_str(), *n as usize));
    }
    format!("0/{total} nodes are available: {}.", histogram(&reasons))
}

/// The FitError followed by the PostFilter plugins' messages (DRA's, then DefaultPreemption's
/// per-node statuses from its dry run).
fn with_preemption(
    total: usize,
    failed: &BTreeMap<String, Vec<String>>,
    set_aside: Option<&(u32, String)>,
    statuses: &BTreeMap<String, String>,
) -> String {
    let mut pre: Vec<&str> = statuses.values().map(String::as_str).collect();
    if let Some((n, _)) = set_aside {
        pre.extend(std::iter::repeat_n(crate::preemption::NOT_HELPFUL, *n as usize));
    }
    format!(
        "{} no new claims to deallocate, preemption: 0/{total} nodes are available: {}.",
        fit_error(total, failed, set_aside),
        histogram(&pre)
    )
}

fn score(world: &World, pod: &core::Pod, nodes: &[NodeAndUsage<'_>], others: &crate::affinity::PodFacts) -> Vec<i64> {
    let default_spec = core::PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&default_spec);
    let want = pod_requests(spec, true);
    let tols = spec.tolerations.as_deref().unwrap_or(&[]);
    // Default topology spreading counts pods of the same controller on each node.
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .and_then(|o| world.store().owner_id(&o.uid));
    let spread: Vec<i64> =
        nodes.iter().map(|(_, u)| owner.and_then(|o| u.and_then(|u| u.per_owner.get(&o))).map_or(0, |c| i64::from(*c))).collect();
    let max_spread = spread.iter().copied().max().unwrap_or(0);
    let images: Vec<String> = spec.containers.iter().filter_map(|c| c.image.as_deref().map(crate::images::normalize)).collect();
    let containers = (spec.containers.len() + spec.init_containers.as_ref().map_or(0, Vec::len)) as i64;
    // Per image: its size and the share of all nodes that hold it.
    let all_nodes = world.store().count(crate::Kind::Node).max(1);
    let image_facts: Vec<(u64, f64)> = images
        .iter()
        .map(|img| {
            let size = crate::images::lookup(img).map_or(0, |c| c.size_bytes);
            let holders = world.nodes_with_image(img);
            (size, holders as f64 / all_nodes as f64)
        })
        .collect();
    let best_sum: i64 = image_facts.iter().map(|(size, spread)| (*size as f64 * spread) as i64).sum();
    let locality_possible = image_locality(best_sum, containers) > 0;
    let plain: Vec<&core::Node> = nodes.iter().map(|(n, _)| *n).collect();
    let node_aff = crate::affinity::node_affinity_scores(spec, &plain);
    let inter_pod = crate::affinity::inter_pod_scores(others, &plain);
    let explicit_spread = crate::affinity::spread_scores(others, &plain);
    nodes
        .iter()
        .enumerate()
        .map(|(i, (n, usage))| {
            let name = n.metadata.name.as_deref().unwrap_or("");
            let (alloc, _) = usage.and_then(|u| u.allocatable).unwrap_or_else(|| parse_allocatable(n));
            let used_nz = usage.map_or(Res::default(), |u| u.non_zero);
            let req = used_nz.plus(want);
            let frac = |r: i64, a: i64| if a <= 0 { 1.0 } else { (r as f64 / a as f64).min(1.0) };
            let (fc, fm) = (frac(req.cpu_m, alloc.cpu_m), frac(req.mem, alloc.mem));
            // NodeResourcesFit (LeastAllocated), weight 1.
            let least = (((1.0 - fc) * 100.0 + (1.0 - fm) * 100.0) / 2.0) as i64;
            // NodeResourcesBalancedAllocation, weight 1.
            let mean = (fc + fm) / 2.0;
            let std = (((fc - mean).powi(2) + (fm - mean).powi(2)) / 2.0).sqrt();
            let balanced = ((1.0 - std) * 100.0) as i64;
            // ImageLocality, weight 1: the sizes of the pod's images already on the node,
            // each scaled by the share of nodes that have it, between 23 MiB and 1000 MiB
            // per container (kube-scheduler's thresholds).
            // When even a node holding every image would score 0, no node is looked up.
            let locality = if !locality_possible {
                0
            } else {
                let sum: i64 = images
                    .iter()
                    .zip(&image_facts)
                    .filter(|(img, _)| world.node_has_image(name, img))
                    .map(|(_, (size, spread))| (*size as f64 * spread) as i64)
                    .sum();
                image_locality(sum, containers)
            };
            // PodTopologySpread, weight 2: the pod's own constraints, or the system default
            // (by hostname, approximated by the pods of the same controller).
            let spread_score = match &explicit_spread {
                Some(s) => s[i],
                None if max_spread == 0 => 100,
                None => (max_spread - spread[i]) * 100 / max_spread,
            };
            // TaintToleration (PreferNoSchedule), weight 3.
            let prefer_no = n
                .spec
                .as_ref()
                .and_then(|s| s.taints.as_ref())
                .map_or(0, |ts| ts.iter().filter(|t| t.effect == "PreferNoSchedule" && !tolerates(tols, t)).count() as i64);
            let taint_score = 100 - (prefer_no * 100).min(100);
            // NodeAffinity (preferred terms) and InterPodAffinity, weight 2 each.
            least + balanced + locality + 2 * spread_score + 3 * taint_score + 2 * node_aff[i] + 2 * inter_pod[i]
        })
        .collect()
}

/// ImageLocality's score for `sum` bytes of present images (already scaled by spread).
fn image_locality(sum: i64, containers: i64) -> i64 {
    const MB: i64 = 1024 * 1024;
    let (min, max) = (23 * MB, 1000 * MB * containers.max(1));
    let clamped = sum.clamp(min, max);
    100 * (clamped - min) / (max - min)
}

/// Records that a pod cannot be scheduled: the decision, `PodScheduled=False`
/// (Unschedulable) with the message, and the FailedScheduling event.
/// Records a failed scheduling attempt: PodScheduled=False, the FailedScheduling event and,
/// when preemption made room, the node the pod is nominated to (`None` clears it).
fn unschedulable(
    out: &mut Outcome,
    world: &World,
    r: &ObjRef,
    pod: &core::Pod,
    mut decision: Decision,
    msg: String,
    nominated: Option<String>,
) {
    decision.message = msg.clone();
    let mut p = pod.clone();
    let st = p.status.get_or_insert_with(Default::default);
    st.phase = Some("Pending".into());
    st.nominated_node_name = nominated;
    set_condition(st, "PodScheduled", "False", Some("Unschedulable"), Some(&msg), pod.metadata.generation, world);
    // The decision goes first: it marks the pod unschedulable, so its own status update
    // does not trigger another attempt.
    out.writes.push(Write::Decision(r.clone(), decision));
    out.writes.push(Write::UpdateStatus(Object::from(p)));
    out.writes.push(Write::Event {
        about: r.clone(),
        ty: EventType::Warning,
        reason: "FailedScheduling".into(),
        message: msg,
        component: "default-scheduler".into(),
    });
}

/// Schedules one pod, if it is still unbound.
/// NodeAffinity's PreFilter message when every required term names nodes and no node is
/// named by all of a term's requirements.
const AFFINITY_CONFLICT: &str = "pod affinity terms conflict";

/// NodeAffinity's PreFilter: when every required node-selector term has `matchFields`
/// `metadata.name In [...]`, the union over terms of each term's intersection; `None` when
/// any term leaves all nodes eligible.
fn prefilter_node_names(spec: &core::PodSpec) -> Option<std::collections::BTreeSet<String>> {
    let terms = &spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    if terms.is_empty() {
        return None;
    }
    let mut names = std::collections::BTreeSet::new();
    for t in terms {
        let mut term_names: Option<std::collections::BTreeSet<String>> = None;
        for req in t.match_fields.iter().flatten().filter(|r| r.key == "metadata.name" && r.operator == "In") {
            let set: std::collections::BTreeSet<String> = req.values.iter().flatten().cloned().collect();
            term_names = Some(match term_names {
                None => set,
                Some(prev) => prev.intersection(&set).cloned().collect(),
            });
        }
        names.extend(term_names?);
    }
    Some(names)
}

/// A node with what its pods use (the scheduler's view of it).
type NodeAndUsage<'a> = (&'a core::Node, Option<&'a crate::store::NodeUsage>);

/// The nodes a pod may go to, in name order: every node (walked in the store from the
/// cursor, so a big cluster costs only the nodes examined), or the few its required
/// affinity names.
enum Candidates<'a> {
    All(&'a crate::store::Store),
    Named(Vec<NodeAndUsage<'a>>),
}

impl<'a> Candidates<'a> {
    fn len(&self) -> usize {
        match self {
            Candidates::All(store) => store.node_names().len(),
            Candidates::Named(v) => v.len(),
        }
    }

    /// Every candidate once, from position `start`, wrapping around.
    fn from(&self, start: usize) -> Box<dyn Iterator<Item = NodeAndUsage<'a>> + '_> {
        match self {
            Candidates::All(store) => Box::new(store.nodes_with_usage_from(start)),
            Candidates::Named(v) => Box::new(v[start..].iter().chain(&v[..start]).copied()),
        }
    }
}

/// The names of a pod's scheduling gates (the scheduler leaves the pod alone while any remain).
pub fn scheduling_gates(pod: &core::Pod) -> Vec<&str> {
    pod.spec.as_ref().and_then(|s| s.scheduling_gates.as_ref()).into_iter().flatten().map(|g| g.name.as_str()).collect()
}

pub fn reconcile(world: &World, r: &ObjRef, rng: &mut Rng) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::Pod(pod)) = world.store().get_ref(r) else { return out };
    let no_spec = core::PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&no_spec);
    if spec.node_name.is_some() || pod.metadata.deletion_timestamp.is_some() {
        return out;
    }
    if spec.scheduler_name.as_deref().is_some_and(|s| s != "default-scheduler") {
        return out;
    }
    // SchedulingGates (PreEnqueue): the pod waits, without events, until its gates are gone.
    if !scheduling_gates(pod).is_empty() {
        return out;
    }
    let n_all = world.store().count(crate::Kind::Node);
    let mut decision = Decision { nodes: BTreeMap::new(), set_aside: None, chosen: None, message: String::new() };
    // PreFilter (VolumeBinding): every claim the pod uses must exist.
    if let Err(msg) = crate::storage::claims_bound(world, &r.namespace, spec) {
        let n = n_all;
        let full = format!("0/{n} nodes are available: {msg}. no new claims to deallocate, preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling.");
        unschedulable(&mut out, world, r, pod, decision, full, None);
        return out;
    }
    // PreFilter (NodeAffinity): required terms that all name nodes (`matchFields`
    // metadata.name In [...], as DaemonSet pods have) restrict the candidates to those
    // nodes; the others are not filtered one by one.
    let nodes = match prefilter_node_names(spec) {
        None => Candidates::All(world.store()),
        Some(names) if names.is_empty() => {
            let full = format!(
                "0/{n_all} nodes are available: {AFFINITY_CONFLICT}. no new claims to deallocate, preemption: 0/{n_all} nodes are available: {n_all} Preemption is not helpful for scheduling."
            );
            unschedulable(&mut out, world, r, pod, decision, full, None);
            return out;
        }
        Some(names) => {
            // Only the named nodes are looked up (a DaemonSet pod names one of thousands).
            let kept: Vec<_> = names
                .iter()
                .filter_map(|n| match world.store().get(crate::Kind::Node, "", n) {
                    Some(Object::Node(node)) => Some((&**node, world.store().node_usage(n))),
                    _ => None,
                })
                .collect();
            if kept.len() < n_all {
                decision.set_aside =
                    Some(((n_all - kept.len()) as u32, "node(s) didn't satisfy plugin(s) [NodeAffinity]".into()));
            }
            Candidates::Named(kept)
        }
    };
    let mut feasible: Vec<NodeAndUsage<'_>> = Vec::new();
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let facts = PodFacts {
        spec,
        tols: spec.tolerations.as_deref().unwrap_or(&[]),
        want: pod_requests(spec, false),
        extended: extended_requests(spec),
        ports: spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
            .filter_map(|p| p.host_port.filter(|h| *h > 0))
            .map(|h| h as u16)
            .collect(),
        volume_node: crate::storage::volume_node(world, &r.namespace, spec),
        others: crate::affinity::facts(world.store(), pod, || nodes.from(0).map(|(n, _)| n).collect(), &|n| {
            node_affinity_matches(spec, n)
        }),
    };
    // Like kube-scheduler, stop filtering once enough feasible nodes are found in large
    // clusters (adaptive percentageOfNodesToScore), starting where the last pod stopped.
    let want_feasible = feasible_to_find(nodes.len());
    let start = world.scheduler_cursor() % nodes.len().max(1);
    let mut examined = 0usize;
    for (n, usage) in nodes.from(start) {
        if feasible.len() >= want_feasible {
            break;
        }
        examined += 1;
        let name = n.metadata.name.as_deref().unwrap_or("");
        match filter(&facts, n, usage) {
            Ok(()) => feasible.push((n, usage)),
            Err(reasons) => {
                decision.nodes.insert(name.to_string(), Err(reasons.clone()));
                failed.insert(name.to_string(), reasons);
            }
        }
    }
    let ns = r.namespace.clone();
    if feasible.is_empty() {
        if n_all == 0 {
            unschedulable(&mut out, world, r, pod, decision, "no nodes available to schedule pods".into(), None);
            return out;
        }
        // PostFilter: DefaultPreemption.
        let set_aside = decision.set_aside.clone();
        let resolvable = |reasons: &[String]| preemption_reason(reasons) == crate::preemption::NO_VICTIMS;
        match crate::preemption::preempt(world, pod, facts.want, &facts.ports, &failed, resolvable) {
            Preemption::NotEligible(why) => {
                let msg =
                    format!("{} no new claims to deallocate, preemption: {why}", fit_error(n_all, &failed, set_aside.as_ref()));
                // No nomination change: a pod already nominated stays so.
                let kept = pod.status.as_ref().and_then(|s| s.nominated_node_name.clone());
                unschedulable(&mut out, world, r, pod, decision, msg, kept);
            }
            Preemption::NoCandidate(statuses) => {
                let msg = with_preemption(n_all, &failed, set_aside.as_ref(), &statuses);
                unschedulable(&mut out, world, r, pod, decision, msg, None);
            }
            Preemption::Candidate { node, victims } => {
                // The preemptor's attempt still failed (its FitError alone); it is nominated
                // to the node, and the victims are marked, deleted and told.
                let msg = fit_error(n_all, &failed, set_aside.as_ref());
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                unschedulable(&mut out, world, r, pod, decision, msg, Some(node.clone()));
                for v in victims {
                    let Some(Object::Pod(victim)) = world.store().get_ref(&v) else { continue };
                    let mut marked = victim.as_ref().clone();
                    let st = marked.status.get_or_insert_with(Default::default);
                    set_condition(
                        st,
                        "DisruptionTarget",
                        "True",
                        Some("PreemptionByScheduler"),
                        Some("default-scheduler: preempting to accommodate a higher priority pod"),
                        victim.metadata.generation,
                        world,
                    );
                    out.writes.push(Write::UpdateStatus(Object::from(marked)));
                    out.writes.push(Write::Delete(v.clone(), crate::api::Propagation::Background));
                    out.writes.push(Write::Event {
                        about: v,
                        ty: EventType::Normal,
                        reason: "Preempted".into(),
                        message: format!("Preempted by pod {uid} on node {node}"),
                        component: "default-scheduler".into(),
                    });
                }
            }
        }
        return out;
    }
    let scores = score(world, pod, &feasible, &facts.others);
    // Keep the best few scores for "why this node" (all of them would cost memory per pod in
    // big clusters).
    let mut ranked: Vec<(i64, &str)> =
        feasible.iter().zip(&scores).map(|((n, _), s)| (*s, n.metadata.name.as_deref().unwrap_or(""))).collect();
    let by_rank = |a: &(i64, &str), b: &(i64, &str)| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
    if ranked.len() > DECISION_NODES_KEPT {
        ranked.select_nth_unstable_by(DECISION_NODES_KEPT, by_rank);
        ranked.truncate(DECISION_NODES_KEPT);
    }
    for (s, n) in ranked {
        decision.nodes.insert(n.to_string(), Ok(s));
    }
    let best = scores.iter().copied().max().unwrap_or(0);
    let top: Vec<usize> = scores.iter().enumerate().filter(|(_, s)| **s == best).map(|(i, _)| i).collect();
    let pick = top[rng.below(top.len() as u64) as usize];
    let node = feasible[pick].0.metadata.name.clone().unwrap_or_default();
    decision.chosen = Some(node.clone());
    let msg = format!("Successfully assigned {ns}/{} to {node}", r.name);
    decision.message = msg.clone();
    out.writes.push(Write::SchedulerCursor(examined as u64));
    out.writes.push(Write::Bind(r.clone(), node));
    out.writes.push(Write::Event {
        about: r.clone(),
        ty: EventType::Normal,
        reason: "Scheduled".into(),
        message: msg,
        component: "default-scheduler".into(),
    });
    out.writes.push(Write::Decision(r.clone(), decision));
    out
}

/// Sets (or replaces) a pod condition, keeping its transition time when the status holds.
/// `generation` is the pod's `metadata.generation` the writer saw, which 1.35's writers
/// (kubelet, scheduler, eviction) stamp as the condition's `observedGeneration`
/// (PodObservedGenerationTracking, on by default since 1.34); the binding leaves it out.
pub fn set_condition(
    st: &mut core::PodStatus,
    ty: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    generation: Option<i64>,
    world: &World,
) {
    let conds = st.conditions.get_or_insert_with(Vec::new);
    let now = world.now_time();
    match conds.iter_mut().find(|c| c.type_ == ty) {
        Some(c) => {
            if c.status != status {
                c.last_transition_time = Some(now);
            }
            c.status = status.into();
            c.reason = reason.map(String::from);
            c.message = message.map(String::from);
            c.observed_generation = generation;
        }
        None => conds.push(core::PodCondition {
            type_: ty.into(),
            status: status.into(),
            reason: reason.map(String::from),
            message: message.map(String::from),
            last_transition_time: Some(now),
            last_probe_time: None,
            observed_generation: generation,
        }),
    }
}

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    fn spec(terms: serde_json::Value) -> core::PodSpec {
        serde_json::from_value(serde_json::json!({
            "containers": [],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}
        }))
        .expect("a pod spec")
    }

    fn names(v: &[&str]) -> Option<std::collections::BTreeSet<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn node_affinity_prefilter_follows_upstream() {
        let by_name = |vals: &[&str]| serde_json::json!({"key": "metadata.name", "operator": "In", "values": vals});
        // A DaemonSet pod: one term naming one node.
        assert_eq!(prefilter_node_names(&spec(serde_json::json!([{"matchFields": [by_name(&["a"])]}]))), names(&["a"]));
        // Requirements in a term intersect; terms unite.
        let terms = serde_json::json!([{"matchFields": [by_name(&["a", "b"]), by_name(&["b", "c"])]}, {"matchFields": [by_name(&["d"])]}]);
        assert_eq!(prefilter_node_names(&spec(terms)), names(&["b", "d"]));
        // A term without a name requirement leaves every node eligible.
        let terms = serde_json::json!([{"matchFields": [by_name(&["a"])]}, {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["x"]}]}]);
        assert_eq!(prefilter_node_names(&spec(terms)), None);
        // Conflicting requirements leave none: the pod cannot be placed at all.
        let terms = serde_json::json!([{"matchFields": [by_name(&["a"]), by_name(&["b"])]}]);
        assert_eq!(prefilter_node_names(&spec(terms)), names(&[]));
        assert_eq!(prefilter_node_names(&spec(serde_json::json!([]))), None);
        assert_eq!(prefilter_node_names(&core::PodSpec::default()), None);
    }
}
