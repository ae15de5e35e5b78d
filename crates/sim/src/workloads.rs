//! The StatefulSet and DaemonSet controllers. StatefulSets: ordinal pod names, OrderedReady
//! or Parallel management, PVCs from volumeClaimTemplates (kept on scale-down), and rolling
//! updates in reverse ordinal order with a partition. DaemonSets: one pod per eligible node
//! (nodeSelector, affinity, taints with the automatic tolerations), pinned by node affinity,
//! with RollingUpdate by maxUnavailable.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::replicaset::{controlled_pods, pod_available, pod_ready};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// `<name>-<hash of the template>`: the revision a pod was made from.
fn revision_name(name: &str, t: &core::PodTemplateSpec) -> String {
    format!("{name}-{}", crate::deployment::template_hash(t, None))
}

fn phase(p: &core::Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
}

fn rev_of(p: &core::Pod) -> Option<&str> {
    p.metadata.labels.as_ref().and_then(|l| l.get("controller-revision-hash")).map(String::as_str)
}

/// The ControllerRevisions an object owns, oldest revision first.
pub fn revisions(world: &World, owner_uid: &str) -> Vec<apps::ControllerRevision> {
    let mut out: Vec<apps::ControllerRevision> = world
        .store()
        .dependents_of(owner_uid)
        .filter(|d| d.kind == Kind::ControllerRevision)
        .filter_map(|d| match world.store().get_ref(d) {
            Some(Object::ControllerRevision(c)) => Some((**c).clone()),
            _ => None,
        })
        .collect();
    out.sort_by_key(|c| c.revision);
    out
}

/// The pod template a ControllerRevision holds (`data.spec.template`).
pub fn revision_template(c: &apps::ControllerRevision) -> Option<core::PodTemplateSpec> {
    let mut t = c.data.as_ref()?.0.pointer("/spec/template")?.clone();
    if let Some(m) = t.as_object_mut() {
        m.shift_remove("$patch");
    }
    crate::kinds::decode(t, &mut Vec::new()).ok()
}

/// Makes sure the revision `rev` of `owner`'s template exists (numbered after the newest),
/// or renumbers it when an old template comes back (a rollback), as the StatefulSet and
/// DaemonSet controllers keep their history.
fn ensure_revision(
    out: &mut Outcome,
    world: &World,
    owner: &Object,
    rev: &str,
    template: &core::PodTemplateSpec,
    labels: BTreeMap<String, String>,
) {
    let uid = owner.meta().uid.clone().unwrap_or_default();
    let history = revisions(world, &uid);
    let newest = history.last().map_or(0, |c| c.revision);
    if let Some(existing) = history.iter().find(|c| c.metadata.name.as_deref() == Some(rev)) {
        if existing.revision < newest {
            let mut next = existing.clone();
            next.revision = newest + 1;
            next.metadata.resource_version = None;
            out.writes.push(Write::Update(Object::from(next)));
        }
        return;
    }
    let mut data = serde_json::json!({"spec": {"template": serde_json::to_value(template).unwrap_or_default()}});
    if let Some(t) = data.pointer_mut("/spec/template").and_then(|t| t.as_object_mut()) {
        t.insert("$patch".into(), serde_json::Value::String("replace".into()));
    }
    let mut labels = labels;
    labels.insert("controller.kubernetes.io/hash".into(), rev.rsplit('-').next().unwrap_or(rev).to_string());
    let cr = apps::ControllerRevision {
        metadata: ObjectMeta {
            name: Some(rev.to_string()),
            namespace: owner.meta().namespace.clone(),
            labels: Some(labels),
            owner_references: Some(vec![crate::replicaset::controller_ref(owner)]),
            ..Default::default()
        },
        data: Some(k8s_openapi::apimachinery::pkg::runtime::RawExtension(data)),
        revision: newest + 1,
    };
    out.writes.push(Write::Create(Object::from(cr)));
}

fn ordinal(sts: &str, pod: &str) -> Option<i32> {
    pod.strip_prefix(sts)?.strip_prefix('-')?.parse().ok()
}

pub fn reconcile_statefulset(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj @ Object::StatefulSet(sts)) = world.store().get_ref(r) else { return out };
    if sts.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let spec = sts.spec.clone().unwrap_or_default();
    let name = r.name.clone();
    let uid = sts.metadata.uid.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1).max(0);
    let parallel = spec.pod_management_policy.as_deref() == Some("Parallel");
    let update_rev = revision_name(&name, &spec.template);
    ensure_revision(&mut out, world, obj, &update_rev, &spec.template, spec.selector.match_labels.clone().unwrap_or_default());
    // Pods below a rolling update's partition are recreated at the current revision.
    let current_rev_name = sts.status.as_ref().and_then(|s| s.current_revision.clone()).unwrap_or_else(|| update_rev.clone());
    let current_template = revisions(world, &uid)
        .iter()
        .find(|c| c.metadata.name.as_deref() == Some(current_rev_name.as_str()))
        .and_then(revision_template);
    // Adoption: pods the selector matches, named by an ordinal, with no controller (left by
    // `delete --cascade=orphan`) become this StatefulSet's again.
    let mut adopted = false;
    for o in world.store().orphan_pods(&r.namespace) {
        if let Object::Pod(p) = o {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            let ours = p.metadata.name.as_deref().and_then(|n| ordinal(&name, n)).is_some();
            if ours
                && p.metadata.deletion_timestamp.is_none()
                && crate::selectors::label_selector_matches(&spec.selector, &labels)
            {
                let mut pod = p.clone();
                pod.metadata.owner_references.get_or_insert_with(Vec::new).push(crate::replicaset::controller_ref(obj));
                out.writes.push(Write::Update(Object::Pod(pod)));
                adopted = true;
            }
        }
    }
    if adopted {
        // Count the adopted pods on the next pass.
        out.requeue_after_ms = Some(1);
        return out;
    }
    let pods = controlled_pods(world, &uid);
    let mut by_ord: BTreeMap<i32, &core::Pod> = BTreeMap::new();
    for p in &pods {
        if let Some(o) = p.metadata.name.as_deref().and_then(|n| ordinal(&name, n)) {
            by_ord.insert(o, p);
        }
    }
    let healthy = |p: &core::Pod| p.metadata.deletion_timestamp.is_none() && phase(p) == "Running" && pod_ready(p);
    let component = "statefulset-controller";
    let event = |out: &mut Outcome, reason: &str, message: String| {
        out.writes.push(Write::Event {
            about: r.clone(),
            ty: EventType::Normal,
            reason: reason.into(),
            message,
            component: component.into(),
        });
    };
    // persistentVolumeClaimRetentionPolicy: the claims' ownerReferences decide what the
    // garbage collector deletes. whenDeleted: Delete makes the StatefulSet own its claims;
    // whenScaled: Delete makes a condemned pod (ordinal >= replicas) own its claims, so they
    // go with it (upstream `updateClaimOwnerRefForSetAndPod`).
    let policy = spec.persistent_volume_claim_retention_policy.clone().unwrap_or_default();
    let deleted_delete = policy.when_deleted.as_deref() == Some("Delete");
    let scaled_delete = policy.when_scaled.as_deref() == Some("Delete");
    let set_ref = k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: name.clone(),
        uid: uid.clone(),
        ..Default::default()
    };
    for (ord, p) in &by_ord {
        let condemned = *ord >= replicas;
        let pod_uid = p.metadata.uid.clone().unwrap_or_default();
        let pname = p.metadata.name.clone().unwrap_or_default();
        for vct in spec.volume_claim_templates.iter().flatten() {
            let claim = format!("{}-{pname}", vct.metadata.name.clone().unwrap_or_default());
            let Some(Object::PersistentVolumeClaim(pvc)) = world.store().get(Kind::PersistentVolumeClaim, &r.namespace, &claim)
            else {
                continue;
            };
            let mut refs: Vec<_> = pvc
                .metadata
                .owner_references
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.uid != uid && o.uid != pod_uid)
                .collect();
            if deleted_delete && !(scaled_delete && condemned) {
                refs.push(set_ref.clone());
            }
            if scaled_delete && condemned {
                refs.push(k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
                    api_version: "v1".into(),
                    kind: "Pod".into(),
                    name: pname.clone(),
                    uid: pod_uid.clone(),
                    ..Default::default()
                });
            }
            let want = if refs.is_empty() { None } else { Some(refs) };
            if pvc.metadata.owner_references != want {
                let mut next = pvc.clone();
                next.metadata.resource_version = None;
                next.metadata.owner_references = want;
                out.writes.push(Write::Update(Object::PersistentVolumeClaim(next)));
            }
        }
    }
    // Create missing pods (0..replicas), in order unless Parallel.
    let mut blocked = false;
    for i in 0..replicas {
        match by_ord.get(&i) {
            Some(p) => {
                if !parallel && !healthy(p) {
                    blocked = true;
                    break;
                }
            }
            None => {
                let pname = format!("{name}-{i}");
                let rolling = spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) != Some("OnDelete");
                let partition = spec
                    .update_strategy
                    .as_ref()
                    .and_then(|u| u.rolling_update.as_ref())
                    .and_then(|ru| ru.partition)
                    .unwrap_or(0);
                let (template, rev) = match &current_template {
                    Some(t) if rolling && i < partition && current_rev_name != update_rev => {
                        (t.clone(), current_rev_name.clone())
                    }
                    _ => (spec.template.clone(), update_rev.clone()),
                };
                let mut pod = crate::replicaset::pod_from_template(obj, &template, "");
                pod.metadata.generate_name = None;
                pod.metadata.name = Some(pname.clone());
                let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
                labels.insert("controller-revision-hash".into(), rev);
                labels.insert("statefulset.kubernetes.io/pod-name".into(), pname.clone());
                labels.insert("apps.kubernetes.io/pod-index".into(), i.to_string());
                if let Some(ps) = pod.spec.as_mut() {
                    ps.hostname = Some(pname.clone());
                    if !spec.service_name.clone().unwrap_or_default().is_empty() {
                        ps.subdomain = spec.service_name.clone();
                    }
                    for vct in spec.volume_claim_templates.iter().flatten() {
                        let claim = vct.metadata.name.clone().unwrap_or_default();
                        let pvc_name = format!("{claim}-{pname}");
                        ps.volumes.get_or_insert_with(Vec::new).retain(|v| v.name != claim);
                        ps.volumes.get_or_insert_with(Vec::new).push(core::Volume {
                            name: claim.clone(),
                            persistent_volume_claim: Some(core::PersistentVolumeClaimVolumeSource {
                                claim_name: pvc_name.clone(),
                                read_only: None,
                            }),
                            ..Default::default()
                        });
                        if world.store().get(Kind::PersistentVolumeClaim, &r.namespace, &pvc_name).is_none() {
                            let mut labels = vct.metadata.labels.clone().unwrap_or_default();
                            labels.extend(spec.selector.match_labels.clone().unwrap_or_default());
                            let pvc = core::PersistentVolumeClaim {
                                metadata: ObjectMeta {
                                    name: Some(pvc_name.clone()),
                                    namespace: Some(r.namespace.clone()),
                                    labels: Some(labels),
                                    owner_references: deleted_delete.then(|| vec![set_ref.clone()]),
                                    ..Default::default()
                                },
                                spec: vct.spec.clone(),
                                status: None,
                            };
                            out.writes.push(Write::Create(Object::from(pvc)));
                            event(
                                &mut out,
                                "SuccessfulCreate",
                                format!("create Claim {pvc_name} Pod {pname} in StatefulSet {name} success"),
                            );
                        }
                    }
                }
                // recordPodEvent: success or failure, in the StatefulSet's words.
                out.writes.push(Write::CreateAndRecord {
                    obj: Object::from(pod),
                    about: r.clone(),
                    reason: "SuccessfulCreate".into(),
                    message_prefix: "create Pod ".into(),
                    message_suffix: format!(" in StatefulSet {name} successful"),
                    failure_prefix: format!("create Pod {pname} in StatefulSet {name} failed error: "),
                    component: component.into(),
                });
                if !parallel {
                    blocked = true;
                    break;
                }
            }
        }
    }
    // Scale down: highest ordinal first, one at a time unless Parallel.
    let extra: Vec<i32> = by_ord.keys().copied().filter(|o| *o >= replicas).rev().collect();
    if !extra.is_empty() && (parallel || !blocked) {
        let terminating = extra.iter().any(|o| by_ord[o].metadata.deletion_timestamp.is_some());
        let victims: Vec<i32> = if parallel {
            extra.clone()
        } else if terminating {
            vec![]
        } else {
            vec![extra[0]]
        };
        for o in victims {
            let p = by_ord[&o];
            if p.metadata.deletion_timestamp.is_none() {
                let pname = p.metadata.name.clone().unwrap_or_default();
                out.writes.push(Write::Delete(ObjRef::new(Kind::Pod, &r.namespace, &pname), crate::api::Propagation::Background));
                event(&mut out, "SuccessfulDelete", format!("delete Pod {pname} in StatefulSet {name} successful"));
            }
        }
    }
    // Rolling update: reverse ordinal, down to the partition, one pod at a time.
    let rolling = spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) != Some("OnDelete");
    let partition =
        spec.update_strategy.as_ref().and_then(|u| u.rolling_update.as_ref()).and_then(|ru| ru.partition).unwrap_or(0);
    let all_healthy = (0..replicas).all(|i| by_ord.get(&i).is_some_and(|p| healthy(p)));
    if rolling && extra.is_empty() && all_healthy {
        let stale = (partition..replicas).rev().find(|i| by_ord.get(i).is_some_and(|p| rev_of(p) != Some(update_rev.as_str())));
        if let Some(i) = stale {
            let pname = format!("{name}-{i}");
            out.writes.push(Write::Delete(ObjRef::new(Kind::Pod, &r.namespace, &pname), crate::api::Propagation::Background));
            event(&mut out, "SuccessfulDelete", format!("delete Pod {pname} in StatefulSet {name} successful"));
        }
    }
    // Status.
    let active: Vec<&&core::Pod> = by_ord.values().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
    let current_rev = sts.status.as_ref().and_then(|s| s.current_revision.clone()).unwrap_or_else(|| update_rev.clone());
    let updated = active.iter().filter(|p| rev_of(p) == Some(update_rev.as_str())).count() as i32;
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let now = world.now_ms();
    let current_rev = if updated == replicas && active.len() as i32 == replicas { update_rev.clone() } else { current_rev };
    let st = apps::StatefulSetStatus {
        replicas: active.len() as i32,
        ready_replicas: Some(active.iter().filter(|p| pod_ready(p)).count() as i32),
        available_replicas: Some(active.iter().filter(|p| pod_available(p, min_ready, now)).count() as i32),
        current_replicas: Some(active.iter().filter(|p| rev_of(p) == Some(current_rev.as_str())).count() as i32),
        updated_replicas: Some(updated),
        current_revision: Some(current_rev),
        update_revision: Some(update_rev),
        observed_generation: sts.metadata.generation,
        collision_count: Some(0),
        conditions: None,
    };
    if sts.status.as_ref() != Some(&st) {
        let mut next = sts.clone();
        next.status = Some(st);
        out.writes.push(Write::UpdateStatus(Object::StatefulSet(next)));
    }
    out
}

/// Tolerations a DaemonSet's pods get automatically.
fn daemon_tolerations(spec: &core::PodSpec) -> Vec<core::Toleration> {
    let t = |key: &str, effect: &str| core::Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        effect: Some(effect.into()),
        toleration_seconds: None,
        value: None,
    };
    let mut v = vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network == Some(true) {
        v.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    v
}

/// Whether a daemon pod should run on `node` (upstream's NodeShouldRunDaemonPod `shouldRun`):
/// affinity matches and every NoSchedule/NoExecute taint is tolerated.
fn node_eligible(spec: &core::PodSpec, node: &core::Node) -> bool {
    node_tolerated(spec, node, &["NoSchedule", "NoExecute"])
}

/// Whether a daemon pod already there keeps running (`shouldContinueRunning`): only
/// NoExecute taints evict it.
fn node_keeps(spec: &core::PodSpec, node: &core::Node) -> bool {
    node_tolerated(spec, node, &["NoExecute"])
}

fn node_tolerated(spec: &core::PodSpec, node: &core::Node, effects: &[&str]) -> bool {
    if !crate::scheduler::node_affinity_matches(spec, node) {
        return false;
    }
    let tols: Vec<core::Toleration> =
        spec.tolerations.clone().unwrap_or_default().into_iter().chain(daemon_tolerations(spec)).collect();
    node.spec
        .as_ref()
        .and_then(|s| s.taints.clone())
        .unwrap_or_default()
        .iter()
        .all(|t| !effects.contains(&t.effect.as_str()) || crate::scheduler::tolerates(&tols, t))
}

/// The DaemonSet controller deletes a pod as `RealPodControl.DeletePod` does: the delete,
/// and a `SuccessfulDelete` event on the DaemonSet.
fn delete_daemon_pod(out: &mut Outcome, r: &ObjRef, p: &core::Pod) {
    out.writes.push(Write::Delete(ObjRef::of_pod(p), crate::api::Propagation::Background));
    out.writes.push(Write::Event {
        about: r.clone(),
        ty: crate::events::EventType::Normal,
        reason: "SuccessfulDelete".into(),
        message: format!("Deleted pod: {}", p.metadata.name.as_deref().unwrap_or_default()),
        component: "daemonset-controller".into(),
    });
}

pub fn reconcile_daemonset(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj @ Object::DaemonSet(ds)) = world.store().get_ref(r) else { return out };
    if ds.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let spec = ds.spec.clone().unwrap_or_default();
    let name = r.name.clone();
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let tspec = spec.template.spec.clone().unwrap_or_default();
    let hash = crate::deployment::template_hash(&spec.template, None);
    ensure_revision(
        &mut out,
        world,
        obj,
        &format!("{name}-{hash}"),
        &spec.template,
        spec.selector.match_labels.clone().unwrap_or_default(),
    );
    let generation = ds.metadata.generation.unwrap_or(1);
    let pods = controlled_pods(world, &uid);
    let node_of = |p: &core::Pod| -> Option<String> {
        p.spec.as_ref().and_then(|s| s.node_name.clone()).or_else(|| {
            p.spec
                .as_ref()
                .and_then(|s| s.affinity.as_ref())
                .and_then(|a| a.node_affinity.as_ref())
                .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref())
                .and_then(|r| r.node_selector_terms.first())
                .and_then(|t| t.match_fields.as_ref())
                .and_then(|f| f.first())
                .and_then(|f| f.values.as_ref())
                .and_then(|v| v.first().cloned())
        })
    };
    let nodes: Vec<&core::Node> = world
        .store()
        .list(Kind::Node, None)
        .filter_map(|o| match o {
            Object::Node(n) => Some(&**n),
            _ => None,
        })
        .collect();
    let eligible: Vec<String> =
        nodes.iter().filter(|n| node_eligible(&tspec, n)).filter_map(|n| n.metadata.name.clone()).collect();
    let eligible_set: std::collections::BTreeSet<&str> = eligible.iter().map(String::as_str).collect();
    let node_by_name: BTreeMap<&str, &core::Node> =
        nodes.iter().filter_map(|n| Some((n.metadata.name.as_deref()?, *n))).collect();
    // The set's pods by node, once (a reconcile stays linear in nodes + pods): (live, terminating).
    let mut by_node: BTreeMap<String, (Vec<&core::Pod>, bool)> = BTreeMap::new();
    for p in &pods {
        if let Some(n) = node_of(p) {
            let e = by_node.entry(n).or_default();
            if p.metadata.deletion_timestamp.is_none() {
                e.0.push(p);
            } else {
                e.1 = true;
            }
        }
    }
    let now = world.now_ms();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let mut desired = 0;
    let mut current = 0;
    let mut ready = 0;
    let mut available = 0;
    let mut updated = 0;
    let mut misscheduled = 0;
    let mut unavailable_now = 0;
    let mut stale_ready: Vec<&core::Pod> = Vec::new();
    for p in &pods {
        if let Some(n) = node_of(p) {
            if !eligible_set.contains(n.as_str()) && p.metadata.deletion_timestamp.is_none() {
                misscheduled += 1;
                let keeps = node_by_name.get(n.as_str()).is_some_and(|x| node_keeps(&tspec, x));
                if !keeps {
                    delete_daemon_pod(&mut out, r, p);
                }
            }
        }
    }
    for node in &eligible {
        desired += 1;
        let (here, terminating) = by_node.get(node).map_or((&[][..], false), |(h, t)| (h.as_slice(), *t));
        let failed: Vec<&core::Pod> = here.iter().copied().filter(|p| phase(p) == "Failed").collect();
        for p in &failed {
            delete_daemon_pod(&mut out, r, p);
        }
        let live: Vec<&core::Pod> = here.iter().copied().filter(|p| phase(p) != "Failed").collect();
        if live.is_empty() {
            if !terminating {
                let mut pod = crate::replicaset::pod_from_template(obj, &spec.template, &format!("{name}-"));
                let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
                labels.insert("controller-revision-hash".into(), hash.clone());
                labels.insert("pod-template-generation".into(), generation.to_string());
                if let Some(ps) = pod.spec.as_mut() {
                    let tols = ps.tolerations.get_or_insert_with(Vec::new);
                    for t in daemon_tolerations(&tspec) {
                        if !tols.iter().any(|x| x.key == t.key && x.effect == t.effect) {
                            tols.push(t);
                        }
                    }
                    let aff = ps.affinity.get_or_insert_with(Default::default);
                    aff.node_affinity = Some(core::NodeAffinity {
                        required_during_scheduling_ignored_during_execution: Some(core::NodeSelector {
                            node_selector_terms: vec![core::NodeSelectorTerm {
                                match_expressions: None,
                                match_fields: Some(vec![core::NodeSelectorRequirement {
                                    key: "metadata.name".into(),
                                    operator: "In".into(),
                                    values: Some(vec![node.clone()]),
                                }]),
                            }],
                        }),
                        preferred_during_scheduling_ignored_during_execution: None,
                    });
                }
                out.writes.push(Write::CreateAndRecord {
                    obj: Object::from(pod),
                    about: r.clone(),
                    reason: "SuccessfulCreate".into(),
                    message_prefix: "Created pod: ".into(),
                    message_suffix: String::new(),
                    failure_prefix: "Error creating: ".into(),
                    component: "daemonset-controller".into(),
                });
            }
            unavailable_now += 1;
            continue;
        }
        current += 1;
        let p = live[0];
        if pod_ready(p) {
            ready += 1;
        }
        if pod_available(p, min_ready, now) {
            available += 1;
        } else {
            unavailable_now += 1;
        }
        if rev_of(p) == Some(hash.as_str()) {
            updated += 1;
        } else {
            stale_ready.push(p);
        }
    }
    // RollingUpdate: replace stale pods while at most maxUnavailable are unavailable.
    let rolling = spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) != Some("OnDelete");
    if rolling {
        let max_unavailable = spec
            .update_strategy
            .as_ref()
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|ru| ru.max_unavailable.clone())
            .map(|v| match v {
                IntOrString::Int(i) => i,
                IntOrString::String(s) => {
                    ((s.trim_end_matches('%').parse::<f64>().unwrap_or(0.0) * desired as f64 / 100.0).floor() as i32).max(1)
                }
            })
            .unwrap_or(1);
        let mut budget = max_unavailable - unavailable_now;
        // Unavailable stale pods go first; then available ones within the budget.
        stale_ready.sort_by_key(|p| pod_available(p, min_ready, now));
        for p in stale_ready {
            let was_available = pod_available(p, min_ready, now);
            if was_available && budget <= 0 {
                break;
            }
            delete_daemon_pod(&mut out, r, p);
            if was_available {
                budget -= 1;
            }
        }
    }
    let st = apps::DaemonSetStatus {
        desired_number_scheduled: desired,
        current_number_scheduled: current,
        number_ready: ready,
        number_available: Some(available).filter(|x| *x > 0),
        number_unavailable: Some(desired - available).filter(|x| *x > 0),
        updated_number_scheduled: Some(updated).filter(|x| *x > 0),
        number_misscheduled: misscheduled,
        observed_generation: Some(generation),
        collision_count: None,
        conditions: None,
    };
    if ds.status.as_ref() != Some(&st) {
        let mut next = ds.clone();
        next.status = Some(st);
        out.writes.push(Write::UpdateStatus(Object::DaemonSet(next)));
    }
    out
}
