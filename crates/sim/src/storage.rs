//! Storage as k3s ships it: the `local-path` StorageClass (default, WaitForFirstConsumer,
//! reclaim Delete) and its provisioner. A claim waits for its first pod to be scheduled,
//! then gets a `pvc-<uid>` PersistentVolume on that pod's node, and binds. Released volumes
//! of reclaim policy Delete are deleted.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::storage::v1 as storage;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

pub const LOCAL_PATH: &str = "local-path";
pub const PROVISIONER: &str = "rancher.io/local-path";
/// How long the local-path helper takes to create a volume.
const PROVISION_MS: u64 = 2_000;

/// The StorageClass k3s installs.
pub fn local_path_class() -> storage::StorageClass {
    let mut ann = BTreeMap::new();
    ann.insert("storageclass.kubernetes.io/is-default-class".to_string(), "true".to_string());
    storage::StorageClass {
        metadata: ObjectMeta { name: Some(LOCAL_PATH.into()), annotations: Some(ann), ..Default::default() },
        provisioner: PROVISIONER.into(),
        reclaim_policy: Some("Delete".into()),
        volume_binding_mode: Some("WaitForFirstConsumer".into()),
        ..Default::default()
    }
}

/// The default StorageClass's name, if one is marked default.
pub fn default_class(world: &World) -> Option<String> {
    world.store().list(Kind::StorageClass, None).find_map(|o| match o {
        Object::StorageClass(sc)
            if sc
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("storageclass.kubernetes.io/is-default-class"))
                .is_some_and(|v| v == "true") =>
        {
            sc.metadata.name.clone()
        }
        _ => None,
    })
}

/// A node that pods using this claim are bound to, if any.
fn consumer_node(world: &World, ns: &str, claim: &str) -> Option<String> {
    world.store().list(Kind::Pod, Some(ns)).find_map(|o| match o {
        Object::Pod(p)
            if p.spec
                .as_ref()
                .and_then(|s| s.volumes.as_ref())
                .is_some_and(|v| v.iter().any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == claim))) =>
        {
            p.spec.as_ref().and_then(|s| s.node_name.clone())
        }
        _ => None,
    })
}

fn event(out: &mut Outcome, r: &ObjRef, ty: EventType, reason: &str, message: String, component: &str) {
    out.writes.push(Write::Event { about: r.clone(), ty, reason: reason.into(), message, component: component.into() });
}

/// Reconciles one claim: wait for a consumer, provision, bind; or reclaim its volume when
/// the claim is gone.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    if r.kind == Kind::PersistentVolume {
        return reconcile_volume(world, r);
    }
    let mut out = Outcome::default();
    let Some(Object::PersistentVolumeClaim(pvc)) = world.store().get_ref(r) else {
        // The claim is gone: its volumes with reclaim policy Delete go too.
        for o in world.store().list(Kind::PersistentVolume, None) {
            if let Object::PersistentVolume(pv) = o {
                let cref = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
                let ours = cref.is_some_and(|c| {
                    c.namespace.as_deref() == Some(r.namespace.as_str()) && c.name.as_deref() == Some(r.name.as_str())
                });
                let delete = pv.spec.as_ref().and_then(|s| s.persistent_volume_reclaim_policy.as_deref()) == Some("Delete");
                if ours && delete {
                    out.writes.push(Write::Delete(ObjRef::of(o), crate::api::Propagation::Background));
                }
            }
        }
        return out;
    };
    if pvc.metadata.deletion_timestamp.is_some() {
        // The pvc-protection controller lets the claim go once no pod uses it.
        if !claim_in_use(world, &r.namespace, &r.name) {
            let mut next = pvc.clone();
            next.metadata.resource_version = None;
            if let Some(f) = next.metadata.finalizers.as_mut() {
                f.retain(|x| x != PVC_PROTECTION);
            }
            out.writes.push(Write::Update(Object::PersistentVolumeClaim(next)));
        }
        return out;
    }
    let phase = pvc.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase == "Bound" {
        return out;
    }
    let spec = pvc.spec.clone().unwrap_or_default();
    let class = spec.storage_class_name.clone().unwrap_or_default();
    // Static binding first: an existing volume that fits the claim (or the one it names).
    let sc_obj = match world.store().get(Kind::StorageClass, "", &class) {
        Some(Object::StorageClass(sc)) => Some(sc.clone()),
        _ => None,
    };
    let delayed = sc_obj.as_ref().is_some_and(|sc| sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"));
    if !delayed || consumer_node(world, &r.namespace, &r.name).is_some() {
        if let Some(pv) = matching_volume(world, r, &spec) {
            bind_static(&mut out, pvc, &pv);
            return out;
        }
    }
    let sc = match world.store().get(Kind::StorageClass, "", &class) {
        Some(Object::StorageClass(sc)) => sc.clone(),
        _ => {
            if phase.is_empty() {
                let mut next = pvc.clone();
                next.status.get_or_insert_with(Default::default).phase = Some("Pending".into());
                out.writes.push(Write::UpdateStatus(Object::PersistentVolumeClaim(next)));
                let msg = if class.is_empty() {
                    "no persistent volumes available for this claim and no storage class is set".to_string()
                } else {
                    format!("storageclass.storage.k8s.io {class:?} not found")
                };
                event(&mut out, r, EventType::Warning, "ProvisioningFailed", msg, "persistentvolume-controller");
            }
            return out;
        }
    };
    let wait = sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer");
    let node = consumer_node(world, &r.namespace, &r.name);
    if phase.is_empty() {
        let mut next = pvc.clone();
        next.status.get_or_insert_with(Default::default).phase = Some("Pending".into());
        out.writes.push(Write::UpdateStatus(Object::PersistentVolumeClaim(next)));
        if wait && node.is_none() {
            event(
                &mut out,
                r,
                EventType::Normal,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".into(),
                "persistentvolume-controller",
            );
        }
        return out;
    }
    if wait && node.is_none() {
        return out;
    }
    // Provision (after the helper's delay), then bind.
    let uid = pvc.metadata.uid.clone().unwrap_or_default();
    let pv_name = format!("pvc-{uid}");
    let Some(node) = node.or_else(|| world.store().list(Kind::Node, None).next().and_then(|n| n.meta().name.clone())) else {
        return out;
    };
    let started = pvc.metadata.annotations.as_ref().and_then(|a| a.get("volume.kubernetes.io/selected-node")).is_some();
    if !started {
        let mut next = pvc.clone();
        let ann = next.metadata.annotations.get_or_insert_with(BTreeMap::new);
        ann.insert("volume.kubernetes.io/selected-node".into(), node.clone());
        ann.insert("volume.beta.kubernetes.io/storage-provisioner".into(), sc.provisioner.clone());
        ann.insert("volume.kubernetes.io/storage-provisioner".into(), sc.provisioner.clone());
        out.writes.push(Write::UpdateMeta(Object::PersistentVolumeClaim(next)));
        event(
            &mut out,
            r,
            EventType::Normal,
            "ExternalProvisioning",
            format!("Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that your external provisioner is running and correctly registered.", sc.provisioner),
            "persistentvolume-controller",
        );
        event(
            &mut out,
            r,
            EventType::Normal,
            "Provisioning",
            format!("External provisioner is provisioning volume for claim \"{}/{}\"", r.namespace, r.name),
            &format!("{}_local-path-provisioner", sc.provisioner),
        );
        out.requeue_after_ms = Some(PROVISION_MS);
        return out;
    }
    let storage_req = spec.resources.as_ref().and_then(|res| res.requests.as_ref()).and_then(|m| m.get("storage")).cloned();
    let modes = spec.access_modes.clone().unwrap_or_else(|| vec!["ReadWriteOnce".into()]);
    if sc.provisioner == "rancher.io/local-path" && modes.iter().any(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod") {
        // local-path volumes are directories on one node.
        event(
            &mut out,
            r,
            EventType::Warning,
            "ProvisioningFailed",
            format!("failed to provision volume with StorageClass \"{class}\": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes"),
            &format!("{}_local-path-provisioner", sc.provisioner),
        );
        return out;
    }
    if world.store().get(Kind::PersistentVolume, "", &pv_name).is_none() {
        let mut cap = BTreeMap::new();
        if let Some(q) = storage_req.clone() {
            cap.insert("storage".to_string(), q);
        }
        let mut ann = BTreeMap::new();
        ann.insert("pv.kubernetes.io/provisioned-by".to_string(), sc.provisioner.clone());
        ann.insert("local.path.provisioner/selected-node".to_string(), node.clone());
        let pv = core::PersistentVolume {
            metadata: ObjectMeta { name: Some(pv_name.clone()), annotations: Some(ann), ..Default::default() },
            spec: Some(core::PersistentVolumeSpec {
                access_modes: Some(modes.clone()),
                capacity: Some(cap),
                claim_ref: Some(core::ObjectReference {
                    api_version: Some("v1".into()),
                    kind: Some("PersistentVolumeClaim".into()),
                    name: Some(r.name.clone()),
                    namespace: Some(r.namespace.clone()),
                    uid: Some(uid.clone()),
                    resource_version: pvc.metadata.resource_version.clone(),
                    field_path: None,
                }),
                host_path: Some(core::HostPathVolumeSource {
                    path: format!("/var/lib/rancher/k3s/storage/{pv_name}_{}_{}", r.namespace, r.name),
                    type_: Some("DirectoryOrCreate".into()),
                }),
                node_affinity: Some(core::VolumeNodeAffinity {
                    required: Some(core::NodeSelector {
                        node_selector_terms: vec![core::NodeSelectorTerm {
                            match_expressions: Some(vec![core::NodeSelectorRequirement {
                                key: "kubernetes.io/hostname".into(),
                                operator: "In".into(),
                                values: Some(vec![node.clone()]),
                            }]),
                            match_fields: None,
                        }],
                    }),
                }),
                persistent_volume_reclaim_policy: sc.reclaim_policy.clone().or(Some("Delete".into())),
                storage_class_name: Some(class.clone()),
                volume_mode: Some("Filesystem".into()),
                ..Default::default()
            }),
            status: Some(core::PersistentVolumeStatus { phase: Some("Bound".into()), ..Default::default() }),
        };
        out.writes.push(Write::Create(Object::from(pv)));
        event(
            &mut out,
            r,
            EventType::Normal,
            "ProvisioningSucceeded",
            format!("Successfully provisioned volume {pv_name}"),
            &format!("{}_local-path-provisioner", sc.provisioner),
        );
    }
    let mut next = pvc.clone();
    next.spec.get_or_insert_with(Default::default).volume_name = Some(pv_name);
    // The PV controller binds the claim to the provisioned volume and says so.
    let ann = next.metadata.annotations.get_or_insert_with(Default::default);
    ann.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
    ann.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
    out.writes.push(Write::Update(Object::PersistentVolumeClaim(next.clone())));
    let st = next.status.get_or_insert_with(Default::default);
    st.phase = Some("Bound".into());
    st.access_modes = Some(modes);
    if let Some(q) = storage_req {
        st.capacity = Some([("storage".to_string(), q)].into_iter().collect());
    }
    out.writes.push(Write::UpdateStatus(Object::PersistentVolumeClaim(next)));
    out
}

/// The PersistentVolume controller's side for one volume: a new volume is `Available`; a
/// bound one whose claim is gone is `Released` (Retain) or deleted (Delete).
fn reconcile_volume(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::PersistentVolume(pv)) = world.store().get_ref(r) else { return out };
    if pv.metadata.deletion_timestamp.is_some() {
        // The pv-protection controller lets a volume go once no claim is bound to it.
        let bound = pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound")
            && pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()).is_some_and(|c| {
                world
                    .store()
                    .get(Kind::PersistentVolumeClaim, c.namespace.as_deref().unwrap_or(""), c.name.as_deref().unwrap_or(""))
                    .is_some()
            });
        if !bound {
            let mut next = pv.clone();
            next.metadata.resource_version = None;
            if let Some(f) = next.metadata.finalizers.as_mut() {
                f.retain(|x| x != PV_PROTECTION);
            }
            out.writes.push(Write::Update(Object::PersistentVolume(next)));
        }
        return out;
    }
    let phase = pv.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    let claim = pv.spec.as_ref().and_then(|s| s.claim_ref.clone());
    let want = match &claim {
        None => "Available",
        Some(c) => {
            let ns = c.namespace.clone().unwrap_or_default();
            let name = c.name.clone().unwrap_or_default();
            match world.store().get(Kind::PersistentVolumeClaim, &ns, &name) {
                Some(Object::PersistentVolumeClaim(pvc)) if c.uid.is_none() || pvc.metadata.uid == c.uid => "Bound",
                _ if phase == "Bound" || phase == "Released" => {
                    let policy = pv.spec.as_ref().and_then(|s| s.persistent_volume_reclaim_policy.as_deref()).unwrap_or("Retain");
                    if policy == "Delete" {
                        out.writes.push(Write::Delete(r.clone(), crate::api::Propagation::Background));
                        return out;
                    }
                    "Released"
                }
                // Pre-bound to a claim that does not exist yet.
                _ => "Available",
            }
        }
    };
    if phase != want {
        let mut next = pv.clone();
        next.status.get_or_insert_with(Default::default).phase = Some(want.into());
        out.writes.push(Write::UpdateStatus(Object::PersistentVolume(next)));
    }
    out
}

/// The smallest Available volume that satisfies the claim: the same class, every access
/// mode it asks for, at least the storage it requests, and its selector's labels; or the
/// volume it names in `volumeName`.
fn matching_volume(world: &World, r: &ObjRef, spec: &core::PersistentVolumeClaimSpec) -> Option<core::PersistentVolume> {
    let class = spec.storage_class_name.clone().unwrap_or_default();
    let want_modes = spec.access_modes.clone().unwrap_or_default();
    let want = spec
        .resources
        .as_ref()
        .and_then(|x| x.requests.as_ref())
        .and_then(|m| m.get("storage"))
        .and_then(|q| crate::quantity::parse(&q.0))
        .unwrap_or(0);
    let capacity = |pv: &core::PersistentVolume| {
        pv.spec
            .as_ref()
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage"))
            .and_then(|q| crate::quantity::parse(&q.0))
            .unwrap_or(0)
    };
    let mut best: Option<core::PersistentVolume> = None;
    for o in world.store().list(Kind::PersistentVolume, None) {
        let Object::PersistentVolume(pv) = o else { continue };
        let Some(ps) = pv.spec.as_ref() else { continue };
        if pv.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let named = spec.volume_name.as_deref().filter(|n| !n.is_empty());
        if let Some(n) = named {
            if pv.metadata.name.as_deref() == Some(n) {
                return Some((**pv).clone());
            }
            continue;
        }
        let free = match &ps.claim_ref {
            None => true,
            Some(c) => c.namespace.as_deref() == Some(r.namespace.as_str()) && c.name.as_deref() == Some(r.name.as_str()),
        };
        let phase = pv.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        let class_ok = ps.storage_class_name.clone().unwrap_or_default() == class;
        let modes: &[String] = ps.access_modes.as_deref().unwrap_or(&[]);
        let modes_ok = want_modes.iter().all(|m| modes.contains(m));
        let selector_ok = spec.selector.as_ref().is_none_or(|sel| {
            crate::selectors::Selector::from_label_selector(sel).matches(pv.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))
        });
        let fits = free && phase != "Released" && class_ok && modes_ok && selector_ok && capacity(pv) >= want;
        if fits && best.as_ref().is_none_or(|b| capacity(pv) < capacity(b)) {
            best = Some((**pv).clone());
        }
    }
    best
}

/// Binds a claim to an existing volume: the volume's claimRef, then the claim's volumeName
/// and status (the volume's whole capacity and access modes).
fn bind_static(out: &mut Outcome, pvc: &core::PersistentVolumeClaim, pv: &core::PersistentVolume) {
    let mut volume = pv.clone();
    volume.metadata.resource_version = None;
    // The controller, not a user, set the claimRef: the volume says so (AnnBoundByController).
    if pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()).is_none() {
        volume
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
    }
    let vs = volume.spec.get_or_insert_with(Default::default);
    vs.claim_ref = Some(core::ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        name: pvc.metadata.name.clone(),
        namespace: pvc.metadata.namespace.clone(),
        uid: pvc.metadata.uid.clone(),
        resource_version: pvc.metadata.resource_version.clone(),
        field_path: None,
    });
    out.writes.push(Write::Update(Object::from(volume.clone())));
    let mut bound = volume.clone();
    bound.status.get_or_insert_with(Default::default).phase = Some("Bound".into());
    out.writes.push(Write::UpdateStatus(Object::from(bound)));
    let mut next = pvc.clone();
    next.metadata.resource_version = None;
    next.spec.get_or_insert_with(Default::default).volume_name = pv.metadata.name.clone();
    let mut ann = next.metadata.annotations.clone().unwrap_or_default();
    ann.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
    ann.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
    next.metadata.annotations = Some(ann);
    out.writes.push(Write::Update(Object::from(next.clone())));
    let st = next.status.get_or_insert_with(Default::default);
    st.phase = Some("Bound".into());
    st.access_modes = pv.spec.as_ref().and_then(|s| s.access_modes.clone());
    st.capacity = pv.spec.as_ref().and_then(|s| s.capacity.clone());
    out.writes.push(Write::UpdateStatus(Object::from(next)));
}

/// Whether all the pod's claims are bound (the kubelet waits for that before starting it).
/// The finalizer that keeps a claim while pods use it.
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
/// The finalizer that keeps a volume while a claim is bound to it.
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// Whether a pod that has not finished uses the claim.
pub fn claim_in_use(world: &World, ns: &str, claim: &str) -> bool {
    world.store().list(Kind::Pod, Some(ns)).any(|o| match o {
        Object::Pod(p) => {
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
            phase != "Succeeded"
                && phase != "Failed"
                && p.spec.as_ref().is_some_and(|s| {
                    s.volumes.iter().flatten().any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == claim))
                })
        }
        _ => false,
    })
}

pub fn claims_bound(world: &World, ns: &str, spec: &core::PodSpec) -> Result<bool, String> {
    for v in spec.volumes.iter().flatten() {
        if let Some(c) = &v.persistent_volume_claim {
            match world.store().get(Kind::PersistentVolumeClaim, ns, &c.claim_name) {
                Some(Object::PersistentVolumeClaim(pvc)) => {
                    if pvc.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Bound") {
                        // VolumeBinding: only a WaitForFirstConsumer claim may wait for the
                        // pod; any other unbound claim blocks scheduling.
                        let class = pvc.spec.as_ref().and_then(|s| s.storage_class_name.clone()).unwrap_or_default();
                        let delayed = matches!(world.store().get(Kind::StorageClass, "", &class),
                            Some(Object::StorageClass(sc)) if sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"));
                        if !delayed {
                            return Err("pod has unbound immediate PersistentVolumeClaims".into());
                        }
                        return Ok(false);
                    }
                }
                _ => return Err(format!("persistentvolumeclaim {:?} not found", c.claim_name)),
            }
        }
    }
    Ok(true)
}

/// The node a pod's bound volumes pin it to (local-path volumes live on one node).
pub fn volume_node(world: &World, ns: &str, spec: &core::PodSpec) -> Option<String> {
    for v in spec.volumes.iter().flatten() {
        let Some(c) = &v.persistent_volume_claim else { continue };
        let Some(Object::PersistentVolumeClaim(pvc)) = world.store().get(Kind::PersistentVolumeClaim, ns, &c.claim_name) else {
            continue;
        };
        let Some(pv_name) = pvc.spec.as_ref().and_then(|s| s.volume_name.clone()) else { continue };
        if let Some(Object::PersistentVolume(pv)) = world.store().get(Kind::PersistentVolume, "", &pv_name) {
            let node = pv
                .spec
                .as_ref()
                .and_then(|s| s.node_affinity.as_ref())
                .and_then(|a| a.required.as_ref())
                .and_then(|r| r.node_selector_terms.first())
                .and_then(|t| t.match_expressions.as_ref())
                .and_then(|e| e.first())
                .and_then(|e| e.values.as_ref())
                .and_then(|v| v.first().cloned());
            if node.is_some() {
                return node;
            }
        }
    }
    None
}
