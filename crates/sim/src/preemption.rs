//! DefaultPreemption, the scheduler's PostFilter (`pkg/scheduler/framework/preemption` and
//! `plugins/defaultpreemption`): when a pod fits no node, find a node where evicting pods of
//! lower priority would make room, choose the fewest and least important victims, and
//! nominate the node. The scheduler then marks the victims (`DisruptionTarget`), deletes them
//! gracefully and records `Preempted` on each.
//!
//! Simplified: only the resource, pod-count and host-port filters are re-run without the
//! victims (a node that failed another filter is not a candidate, as upstream treats most of
//! them as unresolvable), and PodDisruptionBudgets are not consulted when choosing victims
//! (upstream prefers not to violate them, but does if it must).

use crate::kinds::Object;
use crate::resources::Res;
use crate::store::ObjRef;
use crate::world::World;
use k8s_openapi::api::core::v1 as core;
use std::collections::BTreeMap;

/// What preemption found for an unschedulable pod.
pub enum Preemption {
    /// The pod may not preempt (its policy, or victims still terminating on its nominated
    /// node): the reason, as PostFilter words it.
    NotEligible(&'static str),
    /// No node would fit even without its lower-priority pods: each examined node's status.
    NoCandidate(BTreeMap<String, String>),
    /// Evicting these pods makes room on this node.
    Candidate { node: String, victims: Vec<ObjRef> },
}

pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";

/// A pod's priority (admission always sets it; 0 when absent).
pub fn priority(p: &core::Pod) -> i32 {
    p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0)
}

fn start_ms(p: &core::Pod) -> i64 {
    p.status.as_ref().and_then(|s| s.start_time.as_ref()).map_or(i64::MAX, |t| t.0.as_millisecond())
}

fn host_ports(p: &core::Pod) -> Vec<u16> {
    p.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| p.host_port.filter(|h| *h > 0))
        .map(|h| h as u16)
        .collect()
}

/// What the node's filters say with `used` requests and `count` pods bound, and the host
/// ports `held`: the reasons it still fails, empty when the pod fits.
fn short_of(
    want: Res,
    ports: &[u16],
    used: Res,
    count: i64,
    held: &BTreeMap<u16, u32>,
    alloc: Res,
    max_pods: i64,
) -> Vec<String> {
    if ports.iter().any(|p| held.get(p).is_some_and(|n| *n > 0)) {
        return vec!["node(s) didn't have free ports for the requested pod ports".into()];
    }
    crate::scheduler::fit_reasons(want, used, count, alloc, max_pods)
}

/// One node's victims, most important first, with what ranks the node among candidates.
struct NodeVictims<'a> {
    node: String,
    pods: Vec<&'a core::Pod>,
}

/// `PodEligibleToPreemptOthers`, `SelectVictimsOnNode` for each node that failed on
/// resolvable filters (`failed`: node → reasons; `resolvable` says which), and
/// `pickOneNodeForPreemption`.
pub fn preempt(
    world: &World,
    pod: &core::Pod,
    want: Res,
    ports: &[u16],
    failed: &BTreeMap<String, Vec<String>>,
    resolvable: impl Fn(&[String]) -> bool,
) -> Preemption {
    let spec = pod.spec.clone().unwrap_or_default();
    if spec.preemption_policy.as_deref() == Some("Never") {
        return Preemption::NotEligible("not eligible due to preemptionPolicy=Never.");
    }
    let mine = priority(pod);
    let store = world.store();
    // A nomination whose victims are still terminating: wait for them.
    if let Some(n) = pod.status.as_ref().and_then(|s| s.nominated_node_name.as_deref()) {
        let terminating = store.pods_on_node(n).any(|o| match o {
            Object::Pod(p) => {
                priority(p) < mine
                    && p.metadata.deletion_timestamp.is_some()
                    && p.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|cs| {
                        cs.iter().any(|c| c.type_ == "DisruptionTarget" && c.reason.as_deref() == Some("PreemptionByScheduler"))
                    })
            }
            _ => false,
        });
        if terminating {
            return Preemption::NotEligible("not eligible due to a terminating pod on the nominated node.");
        }
    }
    let mut statuses = BTreeMap::new();
    let mut candidates: Vec<NodeVictims<'_>> = Vec::new();
    for (name, reasons) in failed {
        if !resolvable(reasons) {
            statuses.insert(name.clone(), NOT_HELPFUL.to_string());
            continue;
        }
        let Some(Object::Node(node)) = store.get(crate::Kind::Node, "", name) else { continue };
        let usage = store.node_usage(name);
        let (alloc, max_pods) = usage.and_then(|u| u.allocatable).unwrap_or_else(|| crate::scheduler::parse_allocatable(node));
        let (mut used, mut count) = usage.map_or((Res::default(), 0), |u| (u.requests, u.pods));
        let mut held = usage.map(|u| u.host_ports.clone()).unwrap_or_default();
        let mut potential: Vec<&core::Pod> = store
            .pods_on_node(name)
            .filter_map(|o| match o {
                Object::Pod(p)
                    if crate::store::counts_for_scheduling(p)
                        && p.metadata.deletion_timestamp.is_none()
                        && priority(p) < mine =>
                {
                    Some(p.as_ref())
                }
                _ => None,
            })
            .collect();
        if potential.is_empty() {
            statuses.insert(name.clone(), NO_VICTIMS.to_string());
            continue;
        }
        let requests = |p: &core::Pod| {
            p.spec.as_ref().map_or(Res::default(), |s| crate::resources::pod_requests_counted(s, p.status.as_ref(), false))
        };
        // Without every potential victim, would the pod fit?
        for p in &potential {
            used = used.minus(requests(p));
            count -= 1;
            for port in host_ports(p) {
                if let Some(n) = held.get_mut(&port) {
                    *n = n.saturating_sub(1);
                }
            }
        }
        let still = short_of(want, ports, used, count, &held, alloc, max_pods);
        if !still.is_empty() {
            statuses.insert(name.clone(), still.join(", "));
            continue;
        }
        // Reprieve the most important first: each stays if the pod still fits beside it.
        potential.sort_by(|a, b| priority(b).cmp(&priority(a)).then(start_ms(a).cmp(&start_ms(b))));
        let mut victims = Vec::new();
        for p in potential {
            let (u2, c2) = (used.plus(requests(p)), count + 1);
            let mut h2 = held.clone();
            for port in host_ports(p) {
                *h2.entry(port).or_default() += 1;
            }
            if short_of(want, ports, u2, c2, &h2, alloc, max_pods).is_empty() {
                (used, count, held) = (u2, c2, h2);
            } else {
                victims.push(p);
            }
        }
        // Room for the pod without evicting anyone: the node failed a filter this dry run
        // does not re-run (pod anti-affinity, topology spread), which evictions of
        // lower-priority pods do not fix here.
        if victims.is_empty() {
            statuses.insert(name.clone(), reasons.join(", "));
            continue;
        }
        candidates.push(NodeVictims { node: name.clone(), pods: victims });
    }
    // pickOneNodeForPreemption: the lowest highest-victim priority, then the smallest sum of
    // priorities, then the fewest victims, then the latest start among the most important
    // victims; then the first node.
    let best = candidates.into_iter().min_by(|a, b| {
        let top = |v: &NodeVictims<'_>| v.pods.first().map_or(i32::MIN, |p| priority(p));
        let sum = |v: &NodeVictims<'_>| v.pods.iter().map(|p| i64::from(priority(p)) + (1i64 << 31)).sum::<i64>();
        let earliest = |v: &NodeVictims<'_>| {
            let t = top(v);
            v.pods.iter().filter(|p| priority(p) == t).map(|p| start_ms(p)).min().unwrap_or(i64::MAX)
        };
        top(a)
            .cmp(&top(b))
            .then(sum(a).cmp(&sum(b)))
            .then(a.pods.len().cmp(&b.pods.len()))
            .then(earliest(b).cmp(&earliest(a)))
            .then(a.node.cmp(&b.node))
    });
    match best {
        Some(v) => Preemption::Candidate { node: v.node, victims: v.pods.iter().map(|p| ObjRef::of_pod(p)).collect() },
        None => Preemption::NoCandidate(statuses),
    }
}
