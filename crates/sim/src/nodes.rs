//! Node failure: a stopped node's kubelet stops posting status; after the node monitor grace
//! period the node lifecycle controller marks its conditions Unknown, taints it
//! `node.kubernetes.io/unreachable` (NoSchedule and NoExecute) and marks its pods not
//! ready; the taint eviction controller then deletes each pod when its toleration of the
//! NoExecute taint runs out (300 s from DefaultTolerationSeconds, never for DaemonSet pods).
//! Deleted pods stay Terminating until the node's kubelet comes back to confirm. When the
//! node starts again the kubelet reports Ready and the taints are lifted.

use crate::events::EventType;
use crate::kinds::Object;
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;

/// kube-controller-manager's `--node-monitor-grace-period` (50 s since v1.32).
pub const NODE_MONITOR_GRACE_MS: u64 = 50_000;

pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// PodGC's quarantine before it deletes the pods of a deleted node.
pub const POD_GC_QUARANTINE_MS: u64 = 40_000;

/// The healthy conditions a kubelet posts, by type: (status, reason, message).
fn healthy(ty: &str) -> (&'static str, &'static str, &'static str) {
    match ty {
        "MemoryPressure" => ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        "PIDPressure" => ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        _ => ("True", "KubeletReady", "kubelet is posting ready status"),
    }
}

fn ready_status(n: &core::Node) -> &str {
    n.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map_or("Unknown", |c| c.status.as_str())
}

/// When the taint eviction controller deletes `pod` from a node with NoExecute `taints`:
/// at once when one of them is not tolerated, `None` when the tolerations used hold forever,
/// else when the shortest `tolerationSeconds` among them runs out, counted from when the
/// pod came under the taints (upstream's `GetMatchingTolerations` takes the first
/// toleration matching each taint; `getMinTolerationTime` ignores those without seconds
/// unless all are without).
fn eviction_at(pod: &core::Pod, taints: &[core::Taint], now: u64) -> Option<u64> {
    let tols = pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[]);
    let mut used: Vec<(&core::Taint, &core::Toleration)> = Vec::new();
    for taint in taints {
        match tols.iter().find(|t| crate::scheduler::tolerates(std::slice::from_ref(*t), taint)) {
            Some(t) => used.push((taint, t)),
            None => return Some(now),
        }
    }
    let secs = used.iter().filter_map(|(_, t)| t.toleration_seconds).map(|s| s.max(0) as u64).min()?;
    // The clock starts when a time-limited toleration first applied: the earliest timeAdded
    // of the taints tolerated for a while (not those tolerated forever), or the pod's
    // binding if it came to the node later. A taint written without timeAdded counts from
    // the binding.
    let tainted = used
        .iter()
        .filter(|(_, t)| t.toleration_seconds.is_some())
        .map(|(taint, _)| taint.time_added.as_ref().map_or(0, crate::world::ms_of))
        .min()
        .unwrap_or(0);
    let bound = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled" && c.status == "True"))
        .and_then(|c| c.last_transition_time.as_ref())
        .map_or(0, crate::world::ms_of);
    Some(tainted.max(bound).saturating_add(secs.saturating_mul(1000)))
}

/// The node's NoExecute taints.
fn no_execute(node: &core::Node) -> Vec<core::Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .map(|ts| ts.iter().filter(|t| t.effect == "NoExecute").cloned().collect())
        .unwrap_or_default()
}

/// Whether a pod on `node` needs the node's controllers: the node has a NoExecute taint.
pub fn has_no_execute_taint(node: &core::Node) -> bool {
    node.spec.as_ref().and_then(|s| s.taints.as_ref()).is_some_and(|ts| ts.iter().any(|t| t.effect == "NoExecute"))
}

/// PodGC for a pod bound to a node that does not exist: deleted (without grace) once
/// `POD_GC_QUARANTINE_MS` has passed since it was created.
pub fn gc_orphan_pod(world: &World, r: &ObjRef, pod: &core::Pod) -> Outcome {
    let mut out = Outcome::default();
    let created = pod.metadata.creation_timestamp.as_ref().map_or(0, crate::world::ms_of);
    let due = created + POD_GC_QUARANTINE_MS;
    let now = world.now_ms();
    if now < due {
        out.requeue_after_ms = Some(due - now);
    } else {
        out.writes.push(Write::Remove(r.clone()));
        out.writes.push(Write::ForgetRuntime(r.clone()));
    }
    out
}

/// The node lifecycle and taint eviction controllers, for one Node.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let now = world.now_ms();
    let Some(Object::Node(node)) = world.store().get_ref(r) else {
        // PodGC: pods bound to a node that no longer exists are deleted once the node has
        // been gone for the quarantine period.
        let Some(gone) = world.node_deleted_at(&r.name) else { return out };
        let due = gone + POD_GC_QUARANTINE_MS;
        if now < due {
            out.requeue_after_ms = Some(due - now);
            return out;
        }
        for p in world.store().pods_on_node(&r.name) {
            let pr = ObjRef::of(p);
            out.writes.push(Write::Remove(pr.clone()));
            out.writes.push(Write::ForgetRuntime(pr));
        }
        return out;
    };
    let name = r.name.clone();
    // TaintNodesByCondition: a cordoned node carries the unschedulable taint.
    let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
    let has_taint =
        node.spec.as_ref().and_then(|s| s.taints.as_ref()).is_some_and(|ts| ts.iter().any(|t| t.key == UNSCHEDULABLE_TAINT));
    if cordoned != has_taint {
        let mut n = node.clone();
        n.metadata.resource_version = None;
        let spec = n.spec.get_or_insert_with(Default::default);
        let taints = spec.taints.get_or_insert_with(Vec::new);
        taints.retain(|t| t.key != UNSCHEDULABLE_TAINT);
        if cordoned {
            taints.push(core::Taint {
                key: UNSCHEDULABLE_TAINT.into(),
                effect: "NoSchedule".into(),
                time_added: Some(world.now_time()),
                ..Default::default()
            });
        }
        if taints.is_empty() {
            spec.taints = None;
        }
        out.writes.push(Write::Update(Object::Node(n)));
        // The update brings this reconcile back for the rest.
        return out;
    }
    // The NoExecute taints the taint eviction controller acts on, as the node will have
    // them after this reconcile; and whether the node lifecycle controller marks its pods
    // not ready.
    let mut taints = no_execute(node);
    let mut unreachable = false;
    match world.node_stopped_at(&name) {
        Some(stopped) => {
            let deadline = stopped + NODE_MONITOR_GRACE_MS;
            if now < deadline {
                out.requeue_after_ms = Some(deadline - now);
            } else {
                unreachable = true;
            }
            if unreachable && ready_status(node) != "Unknown" {
                let mut n = node.clone();
                n.metadata.resource_version = None;
                let spec = n.spec.get_or_insert_with(Default::default);
                let taints_now = spec.taints.get_or_insert_with(Vec::new);
                taints_now.retain(|t| t.key != UNREACHABLE_TAINT);
                taints_now.push(core::Taint { key: UNREACHABLE_TAINT.into(), effect: "NoSchedule".into(), ..Default::default() });
                taints_now.push(core::Taint {
                    key: UNREACHABLE_TAINT.into(),
                    effect: "NoExecute".into(),
                    time_added: Some(world.now_time()),
                    ..Default::default()
                });
                taints = no_execute(&n);
                out.writes.push(Write::Update(Object::Node(n.clone())));
                for c in n.status.get_or_insert_with(Default::default).conditions.iter_mut().flatten() {
                    c.status = "Unknown".into();
                    c.reason = Some("NodeStatusUnknown".into());
                    c.message = Some("Kubelet stopped posting node status.".into());
                    c.last_transition_time = Some(world.now_time());
                }
                out.writes.push(Write::UpdateStatus(Object::Node(n)));
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Normal,
                    reason: "NodeNotReady".into(),
                    message: format!("Node {name} status is now: NodeNotReady"),
                    component: "node-controller".into(),
                });
            }
        }
        None => {
            // A running kubelet reports its conditions; the taints it caused are lifted.
            if ready_status(node) == "Unknown" {
                let mut n = node.clone();
                n.metadata.resource_version = None;
                if let Some(ts) = n.spec.as_mut().and_then(|s| s.taints.as_mut()) {
                    ts.retain(|t| t.key != UNREACHABLE_TAINT);
                }
                taints.retain(|t| t.key != UNREACHABLE_TAINT);
                if n.spec.as_ref().and_then(|s| s.taints.as_ref()).is_some_and(Vec::is_empty) {
                    if let Some(s) = n.spec.as_mut() {
                        s.taints = None;
                    }
                }
                out.writes.push(Write::Update(Object::Node(n.clone())));
                for c in n.status.get_or_insert_with(Default::default).conditions.iter_mut().flatten() {
                    let (status, reason, message) = healthy(&c.type_);
                    c.status = status.into();
                    c.reason = Some(reason.into());
                    c.message = Some(message.into());
                    c.last_heartbeat_time = Some(world.now_time());
                    c.last_transition_time = Some(world.now_time());
                }
                out.writes.push(Write::UpdateStatus(Object::Node(n)));
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Normal,
                    reason: "NodeReady".into(),
                    message: format!("Node {name} status is now: NodeReady"),
                    component: "kubelet".into(),
                });
            }
        }
    }
    pods_pass(world, &name, &taints, unreachable, &mut out);
    out
}

/// The node's pods: marked not ready when the node is unreachable (MarkPodsNotReady), and
/// deleted by the taint eviction controller when their tolerations of its NoExecute taints
/// run out (first marked `DisruptionTarget`, as `addConditionAndDeletePod` does).
fn pods_pass(world: &World, node: &str, taints: &[core::Taint], unreachable: bool, out: &mut Outcome) {
    let now = world.now_ms();
    let mut next: Option<u64> = None;
    for obj in world.store().pods_on_node(node) {
        let Object::Pod(pod) = obj else { continue };
        let pr = ObjRef::of(obj);
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let mut p = pod.as_ref().clone();
        p.metadata.resource_version = None;
        let mut changed = false;
        let ready = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
            .is_some_and(|c| c.status == "True");
        if unreachable && ready {
            for c in p.status.get_or_insert_with(Default::default).conditions.iter_mut().flatten() {
                if c.type_ == "Ready" {
                    c.status = "False".into();
                    c.last_transition_time = Some(world.now_time());
                }
            }
            changed = true;
            out.writes.push(Write::Event {
                about: pr.clone(),
                ty: EventType::Warning,
                reason: "NodeNotReady".into(),
                message: "Node is not ready".into(),
                component: "node-controller".into(),
            });
        }
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        let terminal = phase == "Succeeded" || phase == "Failed";
        let due = if terminal || taints.is_empty() { None } else { eviction_at(pod, taints, now) };
        match due {
            Some(at) if at <= now => {
                let st = p.status.get_or_insert_with(Default::default);
                crate::scheduler::set_condition(
                    st,
                    "DisruptionTarget",
                    "True",
                    Some("DeletionByTaintManager"),
                    Some("Taint manager: deleting due to NoExecute taint"),
                    pod.metadata.generation,
                    world,
                );
                out.writes.push(Write::UpdateStatus(Object::from(p)));
                out.writes.push(Write::Event {
                    about: pr.clone(),
                    ty: EventType::Normal,
                    reason: "TaintManagerEviction".into(),
                    message: format!("Marking for deletion Pod {}/{}", pr.namespace, pr.name),
                    component: "taint-eviction-controller".into(),
                });
                out.writes.push(Write::Delete(pr, crate::api::Propagation::Background));
                continue;
            }
            Some(at) => next = Some(next.map_or(at, |n| n.min(at))),
            None => {}
        }
        if changed {
            out.writes.push(Write::UpdateStatus(Object::from(p)));
        }
    }
    if let Some(at) = next {
        let after = at.saturating_sub(now).max(1);
        out.requeue_after_ms = Some(out.requeue_after_ms.map_or(after, |r| r.min(after)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Kind;
    use crate::topology::Topology;

    fn node_ready(w: &World, name: &str) -> String {
        match w.store().get(Kind::Node, "", name) {
            Some(Object::Node(n)) => ready_status(n).to_string(),
            _ => "missing".into(),
        }
    }

    fn pods_on(w: &World, node: &str) -> Vec<core::Pod> {
        w.store()
            .pods_on_node(node)
            .filter_map(|o| match o {
                Object::Pod(p) if p.metadata.namespace.as_deref() == Some("default") => Some((**p).clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_stopped_node_goes_not_ready_then_its_pods_are_evicted_and_replaced() {
        let mut w = World::with_topology(3, &Topology::new(1, 2));
        let dep = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
        });
        w.apply(&dep).expect("apply");
        w.run_until_settled(100_000);
        let victim = "k3s-agent-1";
        assert_eq!(pods_on(&w, victim).len(), 1, "the spread puts one replica on each node");
        w.stop_node(victim).expect("stop");
        assert!(w.stop_node(victim).is_err(), "stopping twice is refused");
        w.run_for(NODE_MONITOR_GRACE_MS - 1_000, 100_000);
        assert_eq!(node_ready(&w, victim), "True", "still inside the grace period");
        w.run_for(1_000, 100_000);
        assert_eq!(node_ready(&w, victim), "Unknown");
        let pod = &pods_on(&w, victim)[0];
        let ready = pod.status.as_ref().and_then(|s| s.conditions.as_ref()).and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"));
        assert_eq!(ready.map(|c| c.status.as_str()), Some("False"), "MarkPodsNotReady");
        assert!(pod.metadata.deletion_timestamp.is_none(), "tolerated for 300 s");
        w.run_for(299_000, 100_000);
        assert!(pods_on(&w, victim)[0].metadata.deletion_timestamp.is_none());
        w.run_for(1_000, 100_000);
        assert!(pods_on(&w, victim)[0].metadata.deletion_timestamp.is_some(), "evicted at 300 s, Terminating");
        w.run_until_settled(100_000);
        let live = w
            .store()
            .list(Kind::Pod, Some("default"))
            .filter(|o| matches!(o, Object::Pod(p) if p.metadata.deletion_timestamp.is_none()))
            .count();
        assert_eq!(live, 3, "the ReplicaSet replaced the evicted pod elsewhere");
        w.start_node(victim).expect("start");
        w.run_until_settled(100_000);
        assert_eq!(node_ready(&w, victim), "True");
        assert!(pods_on(&w, victim).is_empty(), "the returning kubelet finished the deletion");
        let tainted = match w.store().get(Kind::Node, "", victim) {
            Some(Object::Node(n)) => n.spec.as_ref().and_then(|s| s.taints.as_ref()).is_some_and(|t| !t.is_empty()),
            _ => true,
        };
        assert!(!tainted, "the unreachable taints are lifted");
    }
}
