//! The ReplicaSet controller: keeps `spec.replicas` pods matching the selector, creating
//! from the template and deleting in upstream's rank order, adopts matching orphans, and
//! reports status (replicas, fullyLabeled, ready, available, observedGeneration).

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::selectors::label_selector_matches;
use crate::store::ObjRef;
use crate::world::{ms_of, Outcome, World, Write};
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// The most pods one sync creates or deletes (upstream's burstReplicas).
const BURST: usize = 500;

/// A controller ownerReference to `owner`.
pub fn controller_ref(owner: &Object) -> OwnerReference {
    let info = owner.kind().info();
    OwnerReference {
        api_version: info.api_version(),
        kind: info.kind.into(),
        name: owner.meta().name.clone().unwrap_or_default(),
        uid: owner.meta().uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether a pod's Ready condition is True.
pub fn pod_ready(p: &core::Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// When the pod became ready (ms), if it is.
pub fn ready_since(p: &core::Pod) -> Option<u64> {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready" && c.status == "True"))
        .map(|c| c.last_transition_time.as_ref().map_or(0, ms_of))
}

/// Whether a pod is available: ready for at least `min_ready` seconds at `now`.
pub fn pod_available(p: &core::Pod, min_ready: i32, now: u64) -> bool {
    ready_since(p).is_some_and(|t| min_ready <= 0 || t + (min_ready as u64) * 1000 <= now)
}

fn is_active(p: &core::Pod) -> bool {
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
    phase != "Succeeded" && phase != "Failed" && p.metadata.deletion_timestamp.is_none()
}

/// Pods controlled by the owner with `uid`.
pub fn controlled_pods<'a>(world: &'a World, uid: &str) -> Vec<&'a core::Pod> {
    world
        .store()
        .dependents_of(uid)
        .filter(|r| r.kind == Kind::Pod)
        .filter_map(|r| match world.store().get_ref(r) {
            Some(Object::Pod(p))
                if p.metadata.owner_references.iter().flatten().any(|o| o.uid == uid && o.controller == Some(true)) =>
            {
                Some(&**p)
            }
            _ => None,
        })
        .collect()
}

fn restarts(p: &core::Pod) -> i32 {
    p.status.as_ref().and_then(|s| s.container_statuses.as_ref()).map_or(0, |c| c.iter().map(|c| c.restart_count).sum())
}

fn log_bucket(now: u64, t: u64) -> u32 {
    let d = now.saturating_sub(t) / 1000;
    if d == 0 {
        0
    } else {
        64 - d.leading_zeros()
    }
}

/// Upstream's `ActivePodsWithRanks.Less`: true when `a` should be deleted before `b`.
fn delete_first(a: &core::Pod, b: &core::Pod, rank_a: usize, rank_b: usize, now: u64) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let node = |p: &core::Pod| p.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
    if node(a).is_empty() != node(b).is_empty() {
        return if node(a).is_empty() { Ordering::Less } else { Ordering::Greater };
    }
    let phase_rank = |p: &core::Pod| match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Pending") | None => 0,
        Some("Unknown") => 1,
        _ => 2,
    };
    if phase_rank(a) != phase_rank(b) {
        return phase_rank(a).cmp(&phase_rank(b));
    }
    if pod_ready(a) != pod_ready(b) {
        return if !pod_ready(a) { Ordering::Less } else { Ordering::Greater };
    }
    let cost = |p: &core::Pod| {
        p.metadata
            .annotations
            .as_ref()
            .and_then(|m| m.get("controller.kubernetes.io/pod-deletion-cost"))
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    };
    if cost(a) != cost(b) {
        return cost(a).cmp(&cost(b));
    }
    if rank_a != rank_b {
        return rank_b.cmp(&rank_a);
    }
    if pod_ready(a) && pod_ready(b) {
        let (ta, tb) = (ready_since(a).unwrap_or(0), ready_since(b).unwrap_or(0));
        let (ba, bb) = (log_bucket(now, ta), log_bucket(now, tb));
        if ba != bb {
            return ba.cmp(&bb);
        }
    }
    if restarts(a) != restarts(b) {
        return restarts(b).cmp(&restarts(a));
    }
    let created = |p: &core::Pod| p.metadata.creation_timestamp.as_ref().map_or(0, ms_of);
    let (ba, bb) = (log_bucket(now, created(a)), log_bucket(now, created(b)));
    if ba != bb {
        return ba.cmp(&bb);
    }
    a.metadata.uid.cmp(&b.metadata.uid)
}

/// A pod for `owner` from `template`, named `<owner>-<random>` by the API server.
pub fn pod_from_template(owner: &Object, template: &core::PodTemplateSpec, name_prefix: &str) -> core::Pod {
    let tm = template.metadata.clone().unwrap_or_default();
    core::Pod {
        metadata: ObjectMeta {
            generate_name: Some(name_prefix.to_string()),
            namespace: owner.meta().namespace.clone(),
            labels: tm.labels.clone(),
            annotations: tm.annotations.clone(),
            owner_references: Some(vec![controller_ref(owner)]),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    }
}

/// What the controller reads of a ReplicaSet or a ReplicationController. Upstream's
/// ReplicationManager is this controller run over v1 objects converted to apps/v1 ones
/// (`pkg/controller/replication/conversion.go`); kubeplay converts the same way.
struct SetView {
    spec: apps::ReplicaSetSpec,
    status: Option<apps::ReplicaSetStatus>,
    generation: Option<i64>,
    deleting: bool,
    uid: String,
    component: &'static str,
}

fn view(obj: &Object) -> Option<SetView> {
    match obj {
        Object::ReplicaSet(rs) => Some(SetView {
            spec: rs.spec.clone().unwrap_or_default(),
            status: rs.status.clone(),
            generation: rs.metadata.generation,
            deleting: rs.metadata.deletion_timestamp.is_some(),
            uid: rs.metadata.uid.clone().unwrap_or_default(),
            component: "replicaset-controller",
        }),
        Object::ReplicationController(rc) => {
            let spec = rc.spec.clone().unwrap_or_default();
            Some(SetView {
                spec: apps::ReplicaSetSpec {
                    min_ready_seconds: spec.min_ready_seconds,
                    replicas: spec.replicas,
                    selector: k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
                        match_labels: spec.selector,
                        match_expressions: None,
                    },
                    template: spec.template,
                },
                status: rc.status.as_ref().map(|s| apps::ReplicaSetStatus {
                    available_replicas: s.available_replicas,
                    conditions: s.conditions.as_ref().map(|cs| {
                        cs.iter()
                            .map(|c| apps::ReplicaSetCondition {
                                last_transition_time: c.last_transition_time.clone(),
                                message: c.message.clone(),
                                reason: c.reason.clone(),
                                status: c.status.clone(),
                                type_: c.type_.clone(),
                            })
                            .collect()
                    }),
                    fully_labeled_replicas: s.fully_labeled_replicas,
                    observed_generation: s.observed_generation,
                    ready_replicas: s.ready_replicas,
                    replicas: s.replicas,
                    terminating_replicas: None,
                }),
                generation: rc.metadata.generation,
                deleting: rc.metadata.deletion_timestamp.is_some(),
                uid: rc.metadata.uid.clone().unwrap_or_default(),
                component: "replication-controller",
            })
        }
        _ => None,
    }
}

/// `obj` with the status the controller computed, converted back for a ReplicationController.
fn with_status(obj: &Object, status: apps::ReplicaSetStatus) -> Option<Object> {
    match obj {
        Object::ReplicaSet(rs) => {
            let mut next = rs.clone();
            next.status = Some(status);
            Some(Object::ReplicaSet(next))
        }
        Object::ReplicationController(rc) => {
            let mut next = rc.clone();
            next.status = Some(core::ReplicationControllerStatus {
                available_replicas: status.available_replicas,
                conditions: status.conditions.map(|cs| {
                    cs.into_iter()
                        .map(|c| core::ReplicationControllerCondition {
                            last_transition_time: c.last_transition_time,
                            message: c.message,
                            reason: c.reason,
                            status: c.status,
                            type_: c.type_,
                        })
                        .collect()
                }),
                fully_labeled_replicas: status.fully_labeled_replicas,
                observed_generation: status.observed_generation,
                ready_replicas: status.ready_replicas,
                replicas: status.replicas,
            });
            Some(Object::ReplicationController(next))
        }
        _ => None,
    }
}

/// The set with a `ReplicaFailure` condition for a refused create, as calculateStatus keeps
/// the first failure's; `None` when it already has one (or is not a ReplicaSet or a
/// ReplicationController).
pub fn with_replica_failure(
    obj: &Object,
    message: &str,
    now: k8s_openapi::apimachinery::pkg::apis::meta::v1::Time,
) -> Option<Object> {
    let v = view(obj)?;
    let mut status = v.status.unwrap_or_default();
    let conds = status.conditions.get_or_insert_with(Vec::new);
    if conds.iter().any(|c| c.type_ == "ReplicaFailure") {
        return None;
    }
    conds.push(apps::ReplicaSetCondition {
        type_: "ReplicaFailure".into(),
        status: "True".into(),
        reason: Some("FailedCreate".into()),
        message: Some(message.to_string()),
        last_transition_time: Some(now),
    });
    let mut next = with_status(obj, status)?;
    next.meta_mut().resource_version = None;
    Some(next)
}

pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj) = world.store().get_ref(r) else { return out };
    let Some(set) = view(obj) else { return out };
    if set.deleting {
        return out;
    }
    let now = world.now_ms();
    let uid = set.uid.clone();
    let spec = set.spec;
    let component = set.component;
    // Adoption: orphans in the namespace that match the selector.
    for o in world.store().orphan_pods(&r.namespace) {
        if let Object::Pod(p) = o {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            if p.metadata.deletion_timestamp.is_none() && label_selector_matches(&spec.selector, &labels) {
                let mut adopted = p.clone();
                adopted.metadata.owner_references.get_or_insert_with(Vec::new).push(controller_ref(obj));
                out.writes.push(Write::Update(Object::Pod(adopted)));
            }
        }
    }
    let pods = controlled_pods(world, &uid);
    let active: Vec<&core::Pod> = pods.iter().copied().filter(|p| is_active(p)).collect();
    let want = spec.replicas.unwrap_or(1).max(0) as usize;
    if active.len() < want {
        let n = (want - active.len()).min(BURST);
        if let Some(t) = &spec.template {
            let prefix = format!("{}-", r.name);
            for _ in 0..n {
                let pod = pod_from_template(obj, t, &prefix);
                out.writes.push(Write::CreateAndRecord {
                    obj: Object::from(pod),
                    about: r.clone(),
                    reason: "SuccessfulCreate".into(),
                    message_prefix: "Created pod: ".into(),
                    message_suffix: String::new(),
                    failure_prefix: "Error creating: ".into(),
                    component: component.into(),
                });
            }
        }
    } else if active.len() > want {
        let n = (active.len() - want).min(BURST);
        // Rank: how many active pods of this set share each pod's node.
        let mut per_node: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for p in &active {
            if let Some(n) = p.spec.as_ref().and_then(|s| s.node_name.clone()) {
                *per_node.entry(n).or_default() += 1;
            }
        }
        let rank = |p: &core::Pod| {
            p.spec.as_ref().and_then(|s| s.node_name.as_ref()).and_then(|n| per_node.get(n)).copied().unwrap_or(0)
        };
        let mut sorted = active.clone();
        sorted.sort_by(|a, b| delete_first(a, b, rank(a), rank(b), now));
        for p in sorted.into_iter().take(n) {
            let name = p.metadata.name.clone().unwrap_or_default();
            out.writes.push(Write::Delete(ObjRef::new(Kind::Pod, &r.namespace, &name), crate::api::Propagation::Background));
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Normal,
                reason: "SuccessfulDelete".into(),
                message: format!("Deleted pod: {name}"),
                component: component.into(),
            });
        }
    }
    // Status from what is observed now.
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let template_labels =
        spec.template.as_ref().and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.clone()).unwrap_or_default();
    let fully = active
        .iter()
        .filter(|p| template_labels.iter().all(|(k, v)| p.metadata.labels.as_ref().and_then(|l| l.get(k)) == Some(v)))
        .count();
    let ready = active.iter().filter(|p| pod_ready(p)).count();
    let available = active.iter().filter(|p| pod_available(p, min_ready, now)).count();
    if available < ready && min_ready > 0 {
        // Look again when the next ready pod becomes available.
        let next = active.iter().filter_map(|p| ready_since(p)).map(|t| t + min_ready as u64 * 1000).filter(|t| *t > now).min();
        if let Some(t) = next {
            out.requeue_after_ms = Some(t - now);
        }
    }
    let status = apps::ReplicaSetStatus {
        replicas: active.len() as i32,
        fully_labeled_replicas: Some(fully as i32),
        ready_replicas: Some(ready as i32),
        available_replicas: Some(available as i32),
        observed_generation: set.generation,
        // ReplicaFailure (set when a create was refused) clears once the pods are all there.
        conditions: set
            .status
            .as_ref()
            .and_then(|s| s.conditions.clone())
            .map(|cs| {
                cs.into_iter()
                    .filter(|c| !(c.type_ == "ReplicaFailure" && active.len() >= spec.replicas.unwrap_or(1).max(0) as usize))
                    .collect::<Vec<_>>()
            })
            .filter(|cs| !cs.is_empty()),
        terminating_replicas: None,
    };
    let normalized = |s: &apps::ReplicaSetStatus| {
        let mut s = s.clone();
        for f in [&mut s.fully_labeled_replicas, &mut s.ready_replicas, &mut s.available_replicas] {
            if *f == Some(0) {
                *f = None;
            }
        }
        s
    };
    let status = normalized(&status);
    if set.status.as_ref().map(normalized) != Some(status.clone()) {
        out.writes.extend(with_status(obj, status).map(Write::UpdateStatus));
    }
    out
}
