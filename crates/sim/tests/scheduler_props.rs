//! Property tests of the scheduler on random clusters and pods:
//! - no node is ever over-committed on requests (cpu, memory, pod count);
//! - a pod left Pending has a FailedScheduling event, and truly fits no node (checked by an
//!   independent oracle: taints, nodeSelector, free requests).

use k8s_openapi::api::core::v1 as core;
use kubeplay_sim::topology::{NodeSpec, Role, Topology};
use kubeplay_sim::{Kind, Object, World};
use proptest::prelude::*;
use std::collections::BTreeMap;

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

#[derive(Clone, Debug)]
struct PodIn {
    cpu_m: u64,
    mem_mib: u64,
    /// Requires label disk=ssd.
    ssd: bool,
    /// Tolerates the dedicated=gpu:NoSchedule taint.
    tolerates: bool,
}

fn node_strategy() -> impl Strategy<Value = (u64, u64, bool, bool)> {
    // cpu cores, memory GiB, labelled ssd, tainted dedicated=gpu
    (1u64..=4, 1u64..=8, any::<bool>(), prop::bool::weighted(0.3))
}

fn pod_strategy() -> impl Strategy<Value = PodIn> {
    (
        prop::sample::select(vec![0u64, 100, 250, 500, 1000, 1500, 3000]),
        prop::sample::select(vec![0u64, 64, 256, 1024, 3072]),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(cpu_m, mem_mib, ssd, tolerates)| PodIn { cpu_m, mem_mib, ssd, tolerates })
}

fn pod_manifest(i: usize, p: &PodIn) -> serde_json::Value {
    let mut requests = serde_json::Map::new();
    if p.cpu_m > 0 {
        requests.insert("cpu".into(), format!("{}m", p.cpu_m).into());
    }
    if p.mem_mib > 0 {
        requests.insert("memory".into(), format!("{}Mi", p.mem_mib).into());
    }
    let mut spec = serde_json::json!({
        "containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": requests}}]
    });
    if p.ssd {
        spec["nodeSelector"] = serde_json::json!({"disk": "ssd"});
    }
    if p.tolerates {
        spec["tolerations"] =
            serde_json::json!([{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]);
    }
    serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("p{i}")}, "spec": spec})
}

fn requests(p: &core::Pod) -> (u64, u64) {
    let mut cpu = 0;
    let mut mem = 0;
    for c in &p.spec.as_ref().expect("spec").containers {
        let r = c.resources.as_ref().and_then(|r| r.requests.as_ref());
        if let Some(q) = r.and_then(|r| r.get("cpu")) {
            cpu += kubeplay_sim::quantity::parse(&q.0).unwrap_or(0) as u64;
        }
        if let Some(q) = r.and_then(|r| r.get("memory")) {
            mem += kubeplay_sim::quantity::parse(&q.0).unwrap_or(0) as u64 / 1000;
        }
    }
    (cpu, mem)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn placements_never_overcommit_and_pending_pods_truly_fit_nowhere(
        nodes in prop::collection::vec(node_strategy(), 1..5),
        pods in prop::collection::vec(pod_strategy(), 1..25),
        seed in 0u64..1000,
    ) {
        let specs: Vec<NodeSpec> = nodes
            .iter()
            .enumerate()
            .map(|(i, (cpu, mem, ssd, gpu))| {
                let role = if i == 0 { Role::Server } else { Role::Agent };
                let mut n = NodeSpec::sized(&format!("n{i}"), role, cpu * 1000, mem * GIB);
                if *ssd {
                    n.labels.insert("disk".into(), "ssd".into());
                }
                if *gpu {
                    n.taints.push(core::Taint { key: "dedicated".into(), value: Some("gpu".into()), effect: "NoSchedule".into(), ..Default::default() });
                }
                n
            })
            .collect();
        let mut w = World::with_topology(seed, &Topology { nodes: specs.clone(), ingress: Default::default() });
        for (i, p) in pods.iter().enumerate() {
            w.apply(&pod_manifest(i, p)).expect("valid pod");
        }
        w.run_until_settled(1_000_000);

        // Usage per node, of every bound pod that has not finished (system pods included).
        let mut used: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
        for o in w.store().list(Kind::Pod, None) {
            let Object::Pod(p) = o else { continue };
            let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.clone()) else { continue };
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
            if phase == "Succeeded" || phase == "Failed" {
                continue;
            }
            let (c, m) = requests(p);
            let e = used.entry(node).or_default();
            e.0 += c;
            e.1 += m;
            e.2 += 1;
        }
        for s in &specs {
            let (c, m, n) = used.get(&s.name).copied().unwrap_or_default();
            prop_assert!(c <= s.cpu_millis, "node {} has {c}m of cpu requested, {}m allocatable", s.name, s.cpu_millis);
            prop_assert!(m <= s.memory_bytes, "node {} has {m} bytes requested, {} allocatable", s.name, s.memory_bytes);
            prop_assert!(n <= 110, "node {} runs {n} pods", s.name);
        }

        for (i, pin) in pods.iter().enumerate() {
            let name = format!("p{i}");
            let Some(Object::Pod(p)) = w.store().get(Kind::Pod, "default", &name) else { panic!("{name} is gone") };
            if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() {
                continue;
            }
            // Pending: the scheduler said so, with its aggregated message...
            let failed = w.store().list(Kind::Event, Some("default")).any(|o| matches!(o, Object::Event(e)
                if e.reason.as_deref() == Some("FailedScheduling")
                    && e.involved_object.name.as_deref() == Some(name.as_str())
                    && e.message.as_deref().is_some_and(|m| m.starts_with(&format!("0/{} nodes are available: ", specs.len())))));
            prop_assert!(failed, "pending pod {name} has no FailedScheduling event");
            // ...and the oracle agrees that no node can take it.
            for s in &specs {
                let tainted = s.taints.iter().any(|t| t.effect == "NoSchedule") && !pin.tolerates;
                let selector_ok = !pin.ssd || s.labels.get("disk").map(String::as_str) == Some("ssd");
                let (c, m, n) = used.get(&s.name).copied().unwrap_or_default();
                let fits = pin.cpu_m + c <= s.cpu_millis && pin.mem_mib * MIB + m <= s.memory_bytes && n < 110;
                prop_assert!(tainted || !selector_ok || !fits, "pending pod {name} fits node {}", s.name);
            }
        }
    }
}

/// A pod for the anti-affinity property: its `app` label, and the app its required
/// anti-affinity keeps away from (on the node, or in the zone).
#[derive(Clone, Debug)]
struct AntiPod {
    app: u8,
    avoid: Option<(u8, bool)>,
}

fn anti_pod_strategy() -> impl Strategy<Value = AntiPod> {
    (0u8..3, prop::option::weighted(0.6, (0u8..3, prop::bool::weighted(0.3)))).prop_map(|(app, avoid)| AntiPod { app, avoid })
}

fn anti_manifest(i: usize, p: &AntiPod) -> serde_json::Value {
    let mut spec = serde_json::json!({"containers": [{"name": "c", "image": "nginx:1.27"}]});
    if let Some((app, zone)) = p.avoid {
        let key = if zone { "topology.kubernetes.io/zone" } else { "kubernetes.io/hostname" };
        spec["affinity"] = serde_json::json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": format!("a{app}")}}, "topologyKey": key}
        ]}});
    }
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("p{i}"), "labels": {"app": format!("a{}", p.app)}}, "spec": spec})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Required anti-affinity holds in both directions once the cluster settles, and a pod
    /// left Pending truly has no node where placing it would keep every rule.
    #[test]
    fn required_anti_affinity_is_never_violated(
        zones in prop::collection::vec(0u8..2, 1..5),
        pods in prop::collection::vec(anti_pod_strategy(), 1..16),
        seed in 0u64..1000,
    ) {
        let specs: Vec<NodeSpec> = zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let role = if i == 0 { Role::Server } else { Role::Agent };
                let mut n = NodeSpec::sized(&format!("n{i}"), role, 4000, 8 * GIB);
                n.labels.insert("topology.kubernetes.io/zone".into(), format!("z{z}"));
                n
            })
            .collect();
        let zone_of = |node: &str| specs.iter().find(|s| s.name == node).map(|s| s.labels["topology.kubernetes.io/zone"].clone());
        let mut w = World::with_topology(seed, &Topology { nodes: specs.clone(), ingress: Default::default() });
        for (i, p) in pods.iter().enumerate() {
            w.apply(&anti_manifest(i, p)).expect("valid pod");
        }
        w.run_until_settled(1_000_000);
        let node_of = |i: usize| match w.store().get(Kind::Pod, "default", &format!("p{i}")) {
            Some(Object::Pod(p)) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
            _ => None,
        };
        let placed: Vec<Option<String>> = (0..pods.len()).map(node_of).collect();
        // Would pod `i` on `node` break a rule with pod `j` (either one's anti-affinity)?
        let clash = |i: usize, node: &str, j: usize, other: &str| {
            let same = |zone: bool| if zone { zone_of(node) == zone_of(other) } else { node == other };
            pods[i].avoid.is_some_and(|(app, zone)| app == pods[j].app && same(zone))
                || pods[j].avoid.is_some_and(|(app, zone)| app == pods[i].app && same(zone))
        };
        for (i, ni) in placed.iter().enumerate() {
            let Some(ni) = ni else { continue };
            for (j, nj) in placed.iter().enumerate() {
                let Some(nj) = nj else { continue };
                prop_assert!(i == j || !clash(i, ni, j, nj), "p{i} on {ni} and p{j} on {nj} break anti-affinity");
            }
        }
        for i in 0..pods.len() {
            if placed[i].is_some() {
                continue;
            }
            let name = format!("p{i}");
            let failed = w.store().list(Kind::Event, Some("default")).any(|o| matches!(o, Object::Event(e)
                if e.reason.as_deref() == Some("FailedScheduling") && e.involved_object.name.as_deref() == Some(name.as_str())));
            prop_assert!(failed, "pending pod {name} has no FailedScheduling event");
            for s in &specs {
                let blocked = (0..pods.len()).any(|j| placed[j].as_deref().is_some_and(|nj| j != i && clash(i, &s.name, j, nj)));
                prop_assert!(blocked, "pending pod {name} could run on {}", s.name);
            }
        }
    }
}
