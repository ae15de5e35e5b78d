//! The Deployment controller, after `pkg/controller/deployment`: ReplicaSets named by the
//! pod-template-hash (FNV-32a of the template, upstream's alphabet), RollingUpdate with
//! maxSurge/maxUnavailable, Recreate, revisions and history cleanup, and the Available and
//! Progressing conditions with upstream reasons and messages.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::replicaset::controller_ref;
use crate::store::ObjRef;
use crate::world::{ms_of, Outcome, World, Write};
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

pub const HASH_LABEL: &str = "pod-template-hash";
pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";

const ALPHANUMS: &[u8] = crate::rng::NAME_ALPHABET;

/// The pod-template-hash: FNV-32a over a canonical form of the template (kubeplay's own
/// canonical JSON, not Go's printer), plus the collision count, encoded as upstream's
/// `SafeEncodeString` of the decimal value.
pub fn template_hash(t: &core::PodTemplateSpec, collision: Option<i32>) -> String {
    let v = crate::api::sort_keys(&serde_json::to_value(t).unwrap_or_default());
    let text = serde_json::to_string(&v).unwrap_or_default();
    // FNV-32a (the fnv crate's hasher is 64-bit only).
    let mut x: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            x ^= u32::from(*b);
            x = x.wrapping_mul(0x0100_0193);
        }
    };
    feed(text.as_bytes());
    if let Some(c) = collision {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&(c as u32).to_le_bytes());
        feed(&buf);
    }
    x.to_string().bytes().map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char).collect()
}

fn strip_hash(t: &core::PodTemplateSpec) -> core::PodTemplateSpec {
    let mut t = t.clone();
    if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(HASH_LABEL);
    }
    t
}

fn scaled(v: &IntOrString, total: i32, round_up: bool) -> i32 {
    match v {
        IntOrString::Int(i) => *i,
        IntOrString::String(s) => {
            let pct: f64 = s.trim_end_matches('%').parse().unwrap_or(0.0);
            let x = pct * f64::from(total) / 100.0;
            if round_up {
                x.ceil() as i32
            } else {
                x.floor() as i32
            }
        }
    }
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable) as numbers of pods.
pub fn fenceposts(d: &apps::Deployment) -> (i32, i32) {
    let spec = d.spec.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let ru = spec.strategy.and_then(|s| if s.type_.as_deref() == Some("Recreate") { None } else { s.rolling_update });
    let Some(ru) = ru else { return (0, 0) };
    let surge = scaled(&ru.max_surge.unwrap_or(IntOrString::Int(0)), replicas, true);
    let mut unavailable = scaled(&ru.max_unavailable.unwrap_or(IntOrString::Int(0)), replicas, false);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

fn rs_replicas(rs: &apps::ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)
}

/// Available pods of a ReplicaSet, at most its desired replicas: right after a scale-down its
/// status still counts the pods being removed, which must not pass for spare capacity.
fn rs_available(rs: &apps::ReplicaSet) -> i32 {
    rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0).min(rs_replicas(rs))
}

fn revision(rs: &apps::ReplicaSet) -> i64 {
    rs.metadata.annotations.as_ref().and_then(|a| a.get(REVISION)).and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn created(rs: &apps::ReplicaSet) -> (u64, String) {
    (rs.metadata.creation_timestamp.as_ref().map_or(0, ms_of), rs.metadata.name.clone().unwrap_or_default())
}

/// Sets a condition as `SetDeploymentCondition` does: unchanged if status and reason are
/// the same; otherwise removed and appended (keeping the transition time if only the
/// reason changed).
fn set_condition(
    conds: &mut Vec<apps::DeploymentCondition>,
    ty: &str,
    status: &str,
    reason: &str,
    message: String,
    world: &World,
) {
    let now = world.now_time();
    if let Some(c) = conds.iter().find(|c| c.type_ == ty) {
        if c.status == status && c.reason.as_deref() == Some(reason) {
            return;
        }
    }
    let transition = conds.iter().find(|c| c.type_ == ty && c.status == status).and_then(|c| c.last_transition_time.clone());
    conds.retain(|c| c.type_ != ty);
    conds.push(apps::DeploymentCondition {
        type_: ty.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_update_time: Some(now.clone()),
        last_transition_time: Some(transition.unwrap_or(now)),
    });
}

struct Sync<'a> {
    world: &'a World,
    out: Outcome,
    /// ReplicaSets as this sync leaves them.
    rss: Vec<apps::ReplicaSet>,
    d: apps::Deployment,
    dref: ObjRef,
}

impl Sync<'_> {
    fn scale(&mut self, idx: usize, to: i32) {
        let (surge, _) = fenceposts(&self.d);
        let want = self.d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let rs = &mut self.rss[idx];
        let from = rs_replicas(rs);
        let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
        let annotations_current =
            ann.get(DESIRED) == Some(&want.to_string()) && ann.get(MAX_REPLICAS) == Some(&(want + surge).to_string());
        if from == to {
            // scaleReplicaSet: the desired/max annotations still follow the Deployment.
            if !annotations_current && from > 0 {
                ann.insert(DESIRED.into(), want.to_string());
                ann.insert(MAX_REPLICAS.into(), (want + surge).to_string());
                let mut update = rs.clone();
                update.metadata.resource_version = None;
                self.out.writes.push(Write::Update(Object::from(update)));
            }
            return;
        }
        rs.spec.get_or_insert_with(Default::default).replicas = Some(to);
        let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
        ann.insert(DESIRED.into(), want.to_string());
        ann.insert(MAX_REPLICAS.into(), (want + surge).to_string());
        let name = rs.metadata.name.clone().unwrap_or_default();
        let mut update = rs.clone();
        update.metadata.resource_version = None;
        self.out.writes.push(Write::Update(Object::from(update)));
        let dir = if to > from { "up" } else { "down" };
        self.out.writes.push(Write::Event {
            about: self.dref.clone(),
            ty: EventType::Normal,
            reason: "ScalingReplicaSet".into(),
            message: format!("Scaled {dir} replica set {name} from {from} to {to}"),
            component: "deployment-controller".into(),
        });
    }
}

/// The deployment controller's `scale()` for a rolling Deployment whose replicas changed
/// while several ReplicaSets are active: the replicas to add (or remove) up to
/// replicas + maxSurge are shared in proportion to each ReplicaSet's size
/// (`GetProportion`), leftovers to the largest. Returns whether it was such an event.
fn proportional_scale(s: &mut Sync<'_>, new_idx: Option<usize>, want: i32, surge: i32) -> bool {
    let desired =
        |rs: &apps::ReplicaSet| rs.metadata.annotations.as_ref().and_then(|a| a.get(DESIRED)).and_then(|v| v.parse::<i32>().ok());
    let active: Vec<usize> = (0..s.rss.len()).filter(|i| rs_replicas(&s.rss[*i]) > 0).collect();
    let scaling_event = active.iter().any(|&i| desired(&s.rss[i]) != Some(want));
    if !scaling_event || active.len() < 2 {
        return false;
    }
    // IsSaturated: the new ReplicaSet already runs everything, so the old ones go to zero.
    if let Some(n) = new_idx {
        let rs = &s.rss[n];
        if rs_replicas(rs) == want && desired(rs) == Some(want) && rs_available(rs) == want {
            for i in active.into_iter().filter(|i| Some(*i) != new_idx) {
                s.scale(i, 0);
            }
            return true;
        }
    }
    let total: i32 = active.iter().map(|&i| rs_replicas(&s.rss[i])).sum();
    let allowed = if want > 0 { want + surge } else { 0 };
    let to_add = allowed - total;
    let mut order = active.clone();
    // Larger first; on equal sizes newer first when scaling up, older first when down.
    order.sort_by(|&a, &b| {
        let by_size = rs_replicas(&s.rss[b]).cmp(&rs_replicas(&s.rss[a]));
        let by_age = created(&s.rss[a]).cmp(&created(&s.rss[b]));
        by_size.then(if to_add > 0 { by_age.reverse() } else { by_age })
    });
    let status_replicas = s.d.status.as_ref().and_then(|st| st.replicas).unwrap_or(0);
    let mut added = 0;
    let mut sizes: Vec<i32> = Vec::new();
    for &i in &order {
        let rs = &s.rss[i];
        let r = rs_replicas(rs);
        let proportion = if to_add == 0 || to_add == added {
            0
        } else {
            let fraction = if want == 0 {
                -r
            } else {
                let before = rs
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(MAX_REPLICAS))
                    .and_then(|v| v.parse::<i32>().ok())
                    .filter(|v| *v != 0)
                    .unwrap_or(status_replicas);
                if before == 0 {
                    0
                } else {
                    ((f64::from(r) * f64::from(want + surge)) / f64::from(before)).round() as i32 - r
                }
            };
            let left = to_add - added;
            if to_add > 0 {
                fraction.min(left)
            } else {
                fraction.max(left)
            }
        };
        sizes.push(r + proportion);
        added += proportion;
    }
    if let Some(first) = sizes.first_mut() {
        *first = (*first + to_add - added).max(0);
    }
    for (k, &i) in order.iter().enumerate() {
        s.scale(i, sizes[k]);
    }
    true
}

/// Annotations that stay with their object: kubectl's last-applied and the Deployment
/// controller's own bookkeeping (upstream's `annotationsToSkip`).
pub fn is_skipped_annotation(k: &str) -> bool {
    [crate::api::LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS, "deprecated.deployment.rollback.to"]
        .contains(&k)
}

/// The Deployment's annotations its ReplicaSets carry (`change-cause` among them): all but
/// the skipped ones.
fn copied_annotations(d: &apps::Deployment) -> BTreeMap<String, String> {
    d.metadata.annotations.clone().unwrap_or_default().into_iter().filter(|(k, _)| !is_skipped_annotation(k)).collect()
}

pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let Some(obj @ Object::Deployment(d)) = world.store().get_ref(r) else { return Outcome::default() };
    if d.metadata.deletion_timestamp.is_some() {
        return Outcome::default();
    }
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut rss: Vec<apps::ReplicaSet> = world
        .store()
        .dependents_of(&uid)
        .filter(|x| x.kind == Kind::ReplicaSet)
        .filter_map(|x| match world.store().get_ref(x) {
            Some(Object::ReplicaSet(rs))
                if rs.metadata.owner_references.iter().flatten().any(|o| o.uid == uid && o.controller == Some(true)) =>
            {
                Some((**rs).clone())
            }
            _ => None,
        })
        .collect();
    rss.sort_by_key(created);
    let mut s = Sync { world, out: Outcome::default(), rss, d: (**d).clone(), dref: r.clone() };
    let spec = d.spec.clone().unwrap_or_default();
    let want = spec.replicas.unwrap_or(1);
    let recreate = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let paused = spec.paused.unwrap_or(false);
    let mut status = d.status.clone().unwrap_or_default();
    let mut conds = status.conditions.clone().unwrap_or_default();

    let mut new_idx = s
        .rss
        .iter()
        .position(|rs| rs.spec.as_ref().and_then(|x| x.template.as_ref()).map(strip_hash).as_ref() == Some(&spec.template));
    let max_old_rev =
        s.rss.iter().enumerate().filter(|(i, _)| Some(*i) != new_idx).map(|(_, rs)| revision(rs)).max().unwrap_or(0);

    // The new RS follows the Deployment's annotations (a change-cause set after the rollout
    // began shows in `rollout history`).
    if let Some(i) = new_idx {
        let copy = copied_annotations(&s.d);
        let rs = &mut s.rss[i];
        let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
        let mut changed = false;
        for (k, v) in copy {
            if ann.get(&k) != Some(&v) {
                ann.insert(k, v);
                changed = true;
            }
        }
        if changed {
            // Later writes in this sync carry these changes too, so no version check.
            let mut rs = rs.clone();
            rs.metadata.resource_version = None;
            s.out.writes.push(Write::Update(Object::from(rs)));
        }
    }
    // Revision bookkeeping on an existing new RS (rollback re-uses an old one).
    if let Some(i) = new_idx {
        let rs = &mut s.rss[i];
        let cur = revision(rs);
        if cur <= max_old_rev && !paused {
            let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
            ann.insert(REVISION.into(), (max_old_rev + 1).to_string());
            if cur > 0 {
                let hist = ann.get(REVISION_HISTORY).cloned().filter(|h| !h.is_empty());
                ann.insert(
                    REVISION_HISTORY.into(),
                    match hist {
                        Some(h) => format!("{h},{cur}"),
                        None => cur.to_string(),
                    },
                );
            }
            s.out.writes.push(Write::Update(Object::from(rs.clone())));
        }
    }

    if !paused {
        let (surge, max_unavail) = fenceposts(d);
        let old_active = |s: &Sync<'_>, new_idx: Option<usize>| -> bool {
            s.rss.iter().enumerate().any(|(i, rs)| Some(i) != new_idx && rs_replicas(rs) > 0)
        };
        if recreate {
            // Scale every old RS to 0, wait for their pods to be gone, then scale up.
            let olds: Vec<usize> = (0..s.rss.len()).filter(|i| Some(*i) != new_idx && rs_replicas(&s.rss[*i]) > 0).collect();
            let mut waiting = !olds.is_empty();
            for i in olds {
                s.scale(i, 0);
            }
            if !waiting {
                let old_pods_running = s.rss.iter().enumerate().filter(|(i, _)| Some(*i) != new_idx).any(|(_, rs)| {
                    let rid = rs.metadata.uid.clone().unwrap_or_default();
                    crate::replicaset::controlled_pods(world, &rid).iter().any(|p| {
                        let ph = p.status.as_ref().and_then(|x| x.phase.as_deref()).unwrap_or("");
                        ph != "Succeeded" && ph != "Failed"
                    })
                });
                waiting = old_pods_running;
            }
            if !waiting {
                match new_idx {
                    None => {
                        new_idx = Some(create_new_rs(&mut s, obj, max_old_rev, want, &mut conds));
                    }
                    Some(i) => s.scale(i, want),
                }
            }
        } else if proportional_scale(&mut s, new_idx, want, surge) {
            // A scaling event during a rollout: every active ReplicaSet took its share.
        } else {
            let all_pods: i32 = s.rss.iter().map(rs_replicas).sum();
            match new_idx {
                None => {
                    let max_total = want + surge;
                    let count = if all_pods >= max_total { 0 } else { (max_total - all_pods).min(want) };
                    new_idx = Some(create_new_rs(&mut s, obj, max_old_rev, count, &mut conds));
                }
                Some(i) => {
                    let cur = rs_replicas(&s.rss[i]);
                    if cur > want {
                        s.scale(i, want);
                    } else if cur < want {
                        let max_total = want + surge;
                        if all_pods < max_total {
                            let up = (max_total - all_pods).min(want - cur);
                            s.scale(i, cur + up);
                        }
                    }
                }
            }
            let scaled_up = s.out.writes.iter().any(|w| matches!(w, Write::Event { reason, message, .. } if reason == "ScalingReplicaSet" && message.starts_with("Scaled up")));
            if !scaled_up && old_active(&s, new_idx) {
                // reconcileOldReplicaSets.
                let all_pods: i32 = s.rss.iter().map(rs_replicas).sum();
                let min_available = want - max_unavail;
                let new_unavailable = new_idx.map_or(0, |i| rs_replicas(&s.rss[i]) - rs_available(&s.rss[i]));
                let mut max_down = all_pods - min_available - new_unavailable;
                if max_down > 0 {
                    let olds: Vec<usize> =
                        (0..s.rss.len()).filter(|i| Some(*i) != new_idx && rs_replicas(&s.rss[*i]) > 0).collect();
                    // cleanupUnhealthyReplicas: unavailable old pods go first.
                    let mut cleaned = 0;
                    for &i in &olds {
                        if max_down <= 0 {
                            break;
                        }
                        let cur = rs_replicas(&s.rss[i]);
                        let unhealthy = (cur - rs_available(&s.rss[i])).max(0).min(max_down);
                        if unhealthy > 0 {
                            s.scale(i, cur - unhealthy);
                            max_down -= unhealthy;
                            cleaned += unhealthy;
                        }
                    }
                    let _ = cleaned;
                    // scaleDownOldReplicaSetsForRollingUpdate.
                    let available: i32 = s.rss.iter().map(rs_available).sum();
                    if available > min_available {
                        let mut total = available - min_available;
                        for &i in &olds {
                            if total <= 0 {
                                break;
                            }
                            let cur = rs_replicas(&s.rss[i]);
                            if cur == 0 {
                                continue;
                            }
                            let down = cur.min(total);
                            s.scale(i, cur - down);
                            total -= down;
                        }
                    }
                }
            }
        }
    } else if let Some(i) = new_idx {
        // Paused: scaling still applies to the current RS.
        let cur = rs_replicas(&s.rss[i]);
        if cur != want && s.rss.len() == 1 {
            s.scale(i, want);
        }
    }

    // History cleanup: old RSs beyond revisionHistoryLimit, oldest revision first.
    if let Some(limit) = spec.revision_history_limit {
        let mut olds: Vec<&apps::ReplicaSet> =
            s.rss.iter().enumerate().filter(|(i, _)| Some(*i) != new_idx).map(|(_, rs)| rs).collect();
        let extra = olds.len() as i64 - i64::from(limit);
        if extra > 0 {
            olds.sort_by_key(|rs| (revision(rs), created(rs)));
            let mut n = extra;
            for rs in olds {
                if n <= 0 {
                    break;
                }
                let busy = rs.status.as_ref().map_or(0, |st| st.replicas) != 0 || rs_replicas(rs) != 0;
                if busy {
                    continue;
                }
                s.out.writes.push(Write::Delete(
                    ObjRef::new(Kind::ReplicaSet, &r.namespace, rs.metadata.name.as_deref().unwrap_or("")),
                    crate::api::Propagation::Background,
                ));
                n -= 1;
            }
        }
    }

    // Status.
    let (_, max_unavail) = fenceposts(d);
    let sum = |f: fn(&apps::ReplicaSetStatus) -> i32| s.rss.iter().filter_map(|rs| rs.status.as_ref()).map(f).sum::<i32>();
    let replicas = sum(|x| x.replicas);
    let ready = sum(|x| x.ready_replicas.unwrap_or(0));
    let available = sum(|x| x.available_replicas.unwrap_or(0));
    let updated = new_idx.and_then(|i| s.rss[i].status.as_ref()).map_or(0, |x| x.replicas);
    let new_name = new_idx.and_then(|i| s.rss[i].metadata.name.clone()).unwrap_or_default();
    if available >= want - max_unavail {
        set_condition(
            &mut conds,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
            world,
        );
    } else {
        set_condition(
            &mut conds,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
            world,
        );
    }
    let generation = d.metadata.generation.unwrap_or(1);
    let complete =
        updated == want && replicas == want && available == want && status.observed_generation.unwrap_or(0) >= generation;
    let deadline = spec.progress_deadline_seconds.unwrap_or(600);
    if paused {
        set_condition(&mut conds, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused".into(), world);
    } else if conds.iter().any(|c| c.type_ == "Progressing" && c.reason.as_deref() == Some("DeploymentPaused")) {
        set_condition(&mut conds, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed".into(), world);
    } else if !new_name.is_empty() {
        let old = d.status.clone().unwrap_or_default();
        let progressing = updated > old.updated_replicas.unwrap_or(0)
            || ready > old.ready_replicas.unwrap_or(0)
            || available > old.available_replicas.unwrap_or(0)
            || (replicas - updated) < (old.replicas.unwrap_or(0) - old.updated_replicas.unwrap_or(0));
        if complete {
            set_condition(
                &mut conds,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                format!("ReplicaSet {new_name:?} has successfully progressed."),
                world,
            );
        } else if progressing {
            // ReplicaSetUpdated: refresh lastUpdateTime even when the reason is the same.
            conds.retain(|c| !(c.type_ == "Progressing" && c.reason.as_deref() == Some("ReplicaSetUpdated")));
            set_condition(
                &mut conds,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                format!("ReplicaSet {new_name:?} is progressing."),
                world,
            );
        } else {
            let last = conds
                .iter()
                .find(|c| c.type_ == "Progressing")
                .and_then(|c| c.last_update_time.as_ref())
                .map_or(world.now_ms(), ms_of);
            let due = last + deadline.max(0) as u64 * 1000;
            if world.now_ms() > due {
                set_condition(
                    &mut conds,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    format!("ReplicaSet {new_name:?} has timed out progressing."),
                    world,
                );
            } else if !conds.iter().any(|c| c.type_ == "Progressing" && c.status == "False") {
                s.out.requeue_after_ms = Some(due + 1 - world.now_ms());
            }
        }
    }
    status.observed_generation = Some(generation);
    status.replicas = Some(replicas).filter(|x| *x != 0);
    status.updated_replicas = Some(updated).filter(|x| *x != 0);
    status.ready_replicas = Some(ready).filter(|x| *x != 0);
    status.available_replicas = Some(available).filter(|x| *x != 0);
    // calculateStatus: the ReplicaSets' desired replicas minus the available ones.
    let total: i32 = s.rss.iter().map(rs_replicas).sum();
    let _ = want;
    status.unavailable_replicas = Some((total - available).max(0)).filter(|x| *x != 0);
    // A ReplicaSet that cannot create its pods (a quota) shows as ReplicaFailure here too.
    let failure = s.rss.iter().find_map(|rs| {
        rs.status
            .as_ref()
            .and_then(|st| st.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "ReplicaFailure" && c.status == "True"))
            .cloned()
    });
    match failure {
        Some(f) => set_condition(
            &mut conds,
            "ReplicaFailure",
            "True",
            f.reason.as_deref().unwrap_or("FailedCreate"),
            f.message.clone().unwrap_or_default(),
            world,
        ),
        None => conds.retain(|c| c.type_ != "ReplicaFailure"),
    }
    status.conditions = Some(conds).filter(|c| !c.is_empty());
    let mut next = s.d.clone();
    if !new_name.is_empty() {
        if let Some(i) = new_idx {
            let rev = s.rss[i].metadata.annotations.as_ref().and_then(|a| a.get(REVISION)).cloned();
            if let Some(rev) = rev {
                let ann = next.metadata.annotations.get_or_insert_with(BTreeMap::new);
                if ann.get(REVISION) != Some(&rev) {
                    ann.insert(REVISION.into(), rev);
                    s.out.writes.push(Write::UpdateMeta(Object::from(next.clone())));
                }
            }
        }
    }
    if d.status.as_ref() != Some(&status) {
        next.status = Some(status);
        s.out.writes.push(Write::UpdateStatus(Object::from(next)));
    }
    s.out
}

fn create_new_rs(
    s: &mut Sync<'_>,
    owner: &Object,
    max_old_rev: i64,
    replicas: i32,
    conds: &mut Vec<apps::DeploymentCondition>,
) -> usize {
    let d = s.d.clone();
    let spec = d.spec.clone().unwrap_or_default();
    let collision = d.status.as_ref().and_then(|x| x.collision_count);
    let hash = template_hash(&spec.template, collision);
    let name = format!("{}-{hash}", d.metadata.name.clone().unwrap_or_default());
    let mut template = spec.template.clone();
    template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert(HASH_LABEL.into(), hash.clone());
    let mut selector: LabelSelector = spec.selector.clone();
    selector.match_labels.get_or_insert_with(BTreeMap::new).insert(HASH_LABEL.into(), hash.clone());
    let labels = template.metadata.as_ref().and_then(|m| m.labels.clone());
    let (surge, _) = fenceposts(&d);
    let want = spec.replicas.unwrap_or(1);
    let mut ann = copied_annotations(&d);
    ann.insert(REVISION.into(), (max_old_rev + 1).to_string());
    ann.insert(DESIRED.into(), want.to_string());
    ann.insert(MAX_REPLICAS.into(), (want + surge).to_string());
    let rs = apps::ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: d.metadata.namespace.clone(),
            labels,
            annotations: Some(ann),
            owner_references: Some(vec![controller_ref(owner)]),
            ..Default::default()
        },
        spec: Some(apps::ReplicaSetSpec {
            replicas: Some(replicas),
            min_ready_seconds: spec.min_ready_seconds,
            selector,
            template: Some(template),
        }),
        status: None,
    };
    if s.world.store().get(Kind::ReplicaSet, &s.dref.namespace, &name).is_some() {
        // Hash collision with an RS this Deployment does not own: bump collisionCount.
        let mut next = d.clone();
        let st = next.status.get_or_insert_with(Default::default);
        st.collision_count = Some(collision.unwrap_or(0) + 1);
        s.out.writes.push(Write::UpdateStatus(Object::from(next)));
        s.out.requeue_after_ms = Some(1);
        s.rss.push(rs);
        return s.rss.len() - 1;
    }
    s.out.writes.push(Write::Create(Object::from(rs.clone())));
    set_condition(conds, "Progressing", "True", "NewReplicaSetCreated", format!("Created new replica set {name:?}"), s.world);
    if replicas > 0 {
        s.out.writes.push(Write::Event {
            about: s.dref.clone(),
            ty: EventType::Normal,
            reason: "ScalingReplicaSet".into(),
            message: format!("Scaled up replica set {name} from 0 to {replicas}"),
            component: "deployment-controller".into(),
        });
    }
    s.rss.push(rs);
    s.rss.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_uses_upstream_alphabet_and_changes_with_collisions() {
        let t = core::PodTemplateSpec::default();
        let a = template_hash(&t, None);
        let b = template_hash(&t, Some(1));
        assert_ne!(a, b);
        assert!(!a.is_empty() && a.len() <= 10);
        assert!(a.bytes().all(|c| b"456789bcdf".contains(&c)), "{a}");
    }

    #[test]
    fn fenceposts_match_the_reference_table() {
        let mk = |n: i32| apps::Deployment {
            spec: Some(apps::DeploymentSpec {
                replicas: Some(n),
                strategy: Some(apps::DeploymentStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(apps::RollingUpdateDeployment {
                        max_surge: Some(IntOrString::String("25%".into())),
                        max_unavailable: Some(IntOrString::String("25%".into())),
                    }),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let table = [(1, (1, 0)), (2, (1, 0)), (3, (1, 0)), (4, (1, 1)), (5, (2, 1)), (10, (3, 2))];
        for (n, (s, u)) in table {
            assert_eq!(fenceposts(&mk(n)), (s, u), "replicas {n}");
        }
    }
}
