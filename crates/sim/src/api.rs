//! The API server's verbs over the store: create, update (replace), apply (client-side,
//! three-way), merge-patch and delete, with admission, defaulting and validation. This is
//! the only code that writes to the store.

use crate::errors::{ApiError, FieldError};
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::World;
use serde_json::Value;

/// The annotation kubectl's client-side apply keeps the last applied manifest in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// How dependents are treated when their owner is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    /// Overrides the object's grace period (`--grace-period`, `--now` = 1, `--force` = 0).
    pub grace_period_seconds: Option<i64>,
}

/// What `apply` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyResult {
    Created,
    Configured,
    Unchanged,
}

impl ApplyResult {
    pub fn verb(self) -> &'static str {
        match self {
            ApplyResult::Created => "created",
            ApplyResult::Configured => "configured",
            ApplyResult::Unchanged => "unchanged",
        }
    }
}

/// The annotation apps/v1 DaemonSets carry their internal `templateGeneration` in.
pub const DS_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Kinds whose `metadata.generation` the API server maintains.
fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Deployment
            | Kind::ReplicaSet
            | Kind::ReplicationController
            | Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::CronJob
            | Kind::Pod
            | Kind::PodDisruptionBudget
            | Kind::PriorityClass
    )
}

impl World {
    /// Creates an object (POST). The namespace defaults to `default` for namespaced kinds.
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        let r = self.create_ref(obj)?;
        Ok(self.store.get_ref(&r).cloned().unwrap_or_else(|| unreachable_object(r.kind)))
    }

    /// `create`, answering with the created object's reference rather than a copy of it (for
    /// controllers, which only need its name).
    pub fn create_ref(&mut self, mut obj: Object) -> Result<ObjRef, ApiError> {
        let kind = obj.kind();
        self.admit_namespace(&mut obj)?;
        let ns = obj.meta().namespace.clone().unwrap_or_default();
        let original_name = obj.meta().name.clone().unwrap_or_default();
        if obj.meta().name.as_deref().unwrap_or("").is_empty() {
            if let Some(base) = obj.meta().generate_name.clone().filter(|g| !g.is_empty()) {
                let base: String = base.chars().take(crate::names::MAX_GENERATED_BASE).collect();
                // Generated names rarely collide; retry a bounded number of times, as the
                // API server's callers do.
                let mut name = String::new();
                for _ in 0..8 {
                    name = format!("{base}{}", self.rng.name_suffix(5));
                    if self.store.get(kind, &ns, &name).is_none() {
                        break;
                    }
                }
                obj.meta_mut().name = Some(name);
            }
        }
        let name = obj.meta().name.clone().unwrap_or_default();
        // Admission errors name a generated object by its prefix, as the API server does.
        let admitted_name = match (&original_name, obj.meta().generate_name.clone()) {
            (n, Some(g)) if n.is_empty() => g,
            _ => name.clone(),
        };
        crate::defaults::apply(&mut obj);
        // Mutating admission: Priority, then the LimitRanger's defaults for containers.
        if let Object::Pod(p) = &mut obj {
            // Mutating admission in the API server's plugin order: LimitRanger,
            // ServiceAccount, Priority.
            crate::quota::apply_limit_ranges(self, p);
            self.admit_service_account(p, &admitted_name)?;
            self.admit_priority(p, &admitted_name)?;
        }
        // StorageObjectInUseProtection: a claim is not removed while a pod uses it.
        if kind == Kind::PersistentVolumeClaim || kind == Kind::PersistentVolume {
            let fin = if kind == Kind::PersistentVolume { crate::storage::PV_PROTECTION } else { crate::storage::PVC_PROTECTION };
            let f = obj.meta_mut().finalizers.get_or_insert_with(Vec::new);
            if !f.iter().any(|x| x == fin) {
                f.push(fin.into());
            }
        }
        let mut errs = crate::validate::validate(&obj);
        // ValidatePodCreate: ephemeral containers only come through their subresource.
        if let Object::Pod(p) = &obj {
            if p.spec.as_ref().and_then(|s| s.ephemeral_containers.as_ref()).is_some_and(|l| !l.is_empty()) {
                errs.push(crate::errors::FieldError::forbidden("spec.ephemeralContainers", "cannot be set on create"));
            }
        }
        errs.extend(crate::limits::check_replicas(&self.limits, &obj));
        if let Some(e) = self.allocate(&mut obj) {
            errs.push(e);
        }
        if !errs.is_empty() {
            return Err(ApiError::invalid(kind, &name, errs));
        }
        // Validating admission: the LimitRanger's min/max, Priority's one default class,
        // then ResourceQuota.
        if let Object::Pod(p) = &obj {
            crate::quota::check_limit_ranges(self, p, &admitted_name)?;
        }
        if let Object::PersistentVolumeClaim(c) = &obj {
            crate::quota::check_pvc_limit_ranges(self, c, &admitted_name)?;
        }
        self.admit_pod_security(&obj, None, &name)?;
        if let Object::PriorityClass(pc) = &obj {
            self.check_one_default_class(pc)?;
        }
        if crate::quota::counted(kind) {
            crate::quota::check_quota(self, &obj, &admitted_name)?;
        }
        if self.store.get(kind, &ns, &name).is_some() {
            return Err(ApiError::already_exists(kind, &name));
        }
        crate::limits::check_count(&self.limits, self.store.held(), kind, &admitted_name)?;
        // The aggregator's registrations draw their UIDs from a stream of their own (seeded
        // by the world's seed, the name and the resource version), so that the set of served group versions does not
        // shift every later random name.
        let uid = if kind == Kind::APIService {
            let h =
                name.bytes().fold(self.seed() ^ 0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            // The resource version makes a re-created one's UID new.
            crate::rng::Rng::new(h ^ self.store.resource_version().rotate_left(32)).uuid()
        } else {
            self.rng.uuid()
        };
        let now = self.now_time();
        let m = obj.meta_mut();
        m.uid = Some(uid);
        m.creation_timestamp = Some(now);
        m.resource_version = None;
        m.deletion_timestamp = None;
        m.generation = if has_generation(kind) { Some(1) } else { None };
        if let Object::DaemonSet(ds) = &mut obj {
            // apps/v1 carries the internal templateGeneration as an annotation.
            ds.metadata.annotations.get_or_insert_with(Default::default).insert(DS_TEMPLATE_GENERATION.into(), "1".into());
        }
        if let Object::Job(j) = &mut obj {
            // The API server generates a Job's selector and template labels from its uid.
            let uid = j.metadata.uid.clone().unwrap_or_default();
            if let Some(spec) = j.spec.as_mut() {
                if !spec.manual_selector.unwrap_or(false) {
                    let labels = crate::jobs::job_labels(&name, &uid);
                    spec.selector = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
                        match_labels: Some(
                            [("batch.kubernetes.io/controller-uid".to_string(), uid.clone())].into_iter().collect(),
                        ),
                        match_expressions: None,
                    });
                    spec.manual_selector = None;
                    let tl =
                        spec.template.metadata.get_or_insert_with(Default::default).labels.get_or_insert_with(Default::default);
                    tl.extend(labels);
                }
                // SetDefaults_Job: a Job without labels takes its template's (the API server
                // applies this on every read, so the generated labels show on the Job too).
                let template_labels = spec.template.metadata.as_ref().and_then(|m| m.labels.clone());
                if j.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
                    j.metadata.labels = template_labels;
                }
            }
        }
        if let Object::CronJob(c) = &mut obj {
            if let Some(spec) = c.spec.as_ref() {
                if let Err(e) = crate::jobs::parse_schedule(&spec.schedule) {
                    return Err(ApiError::invalid(
                        kind,
                        &name,
                        vec![FieldError::invalid("spec.schedule", &Value::String(spec.schedule.clone()), &e)],
                    ));
                }
            }
        }
        if let Object::Ingress(ing) = &mut obj {
            // The default IngressClass (traefik on k3s) is given to Ingresses without one.
            let spec = ing.spec.get_or_insert_with(Default::default);
            if spec.ingress_class_name.is_none() {
                spec.ingress_class_name = self.store.list(Kind::IngressClass, None).find_map(|o| match o {
                    Object::IngressClass(c)
                        if c.metadata
                            .annotations
                            .as_ref()
                            .and_then(|a| a.get("ingressclass.kubernetes.io/is-default-class"))
                            .is_some_and(|v| v == "true") =>
                    {
                        c.metadata.name.clone()
                    }
                    _ => None,
                });
            }
        }
        if let Object::PersistentVolumeClaim(pvc) = &mut obj {
            // DefaultStorageClass admission: claims without a class get the default one.
            let spec = pvc.spec.get_or_insert_with(Default::default);
            if spec.storage_class_name.is_none() {
                spec.storage_class_name = crate::storage::default_class(self);
            }
        }
        if let Object::Service(svc) = &mut obj {
            // Every Service has a (possibly empty) load-balancer status.
            svc.status.get_or_insert_with(Default::default).load_balancer.get_or_insert_with(Default::default);
        }
        if let Object::Pod(p) = &mut obj {
            self.mount_service_account_token(p);
            // The API server sets the phase and QoS class of a new pod.
            let qos = p.spec.as_ref().map_or("BestEffort", crate::resources::qos_class);
            let gated = !crate::scheduler::scheduling_gates(p).is_empty();
            let st = p.status.get_or_insert_with(Default::default);
            st.phase = Some("Pending".into());
            st.qos_class = Some(qos.into());
            // applySchedulingGatedCondition: a pod with scheduling gates waits for them to go.
            let conditions = st.conditions.get_or_insert_with(Vec::new);
            if gated && !conditions.iter().any(|c| c.type_ == "PodScheduled") {
                conditions.push(k8s_openapi::api::core::v1::PodCondition {
                    type_: "PodScheduled".into(),
                    status: "False".into(),
                    reason: Some("SchedulingGated".into()),
                    message: Some("Scheduling is blocked due to non-empty scheduling gates".into()),
                    ..Default::default()
                });
            }
            if conditions.is_empty() {
                st.conditions = None;
            }
        }
        if kind == Kind::Namespace {
            if let Object::Namespace(n) = &mut obj {
                let labels = n.metadata.labels.get_or_insert_with(Default::default);
                labels.insert("kubernetes.io/metadata.name".into(), name.clone());
                n.spec.get_or_insert_with(Default::default).finalizers = Some(vec!["kubernetes".into()]);
                n.status.get_or_insert_with(Default::default).phase = Some("Active".into());
            }
        }
        self.store.put(obj);
        self.drain_changes();
        Ok(ObjRef { kind, namespace: ns, name })
    }

    /// Replaces an object (PUT). A set resourceVersion must match the stored one.
    pub fn update(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let kind = obj.kind();
        if kind.info().namespaced && obj.meta().namespace.as_deref().unwrap_or("").is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let r = ObjRef::of(&obj);
        let Some(old) = self.store.get_ref(&r).cloned() else {
            return Err(ApiError::not_found(kind, &r.name));
        };
        if let Some(rv) = obj.meta().resource_version.as_deref() {
            if !rv.is_empty() && Some(rv) != old.meta().resource_version.as_deref() {
                return Err(ApiError::conflict(kind, &r.name));
            }
        }
        crate::defaults::apply(&mut obj);
        // System fields are the server's, whatever the request says.
        {
            let om = old.meta().clone();
            let m = obj.meta_mut();
            m.uid = om.uid;
            m.creation_timestamp = om.creation_timestamp;
            m.deletion_timestamp = om.deletion_timestamp;
            m.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
            m.generation = om.generation;
            m.resource_version = om.resource_version;
        }
        self.keep_allocations(&old, &mut obj);
        if let Object::Service(svc) = &mut obj {
            crate::services::allocate_on_update(self, svc);
        }
        // Priority admission on update: a pod keeps the priority it was admitted with.
        if let (Object::Pod(o), Object::Pod(n)) = (&old, &mut obj) {
            if let (Some(os), Some(ns)) = (o.spec.as_ref(), n.spec.as_mut()) {
                if ns.priority.is_none() {
                    ns.priority = os.priority;
                }
                if ns.preemption_policy.is_none() {
                    ns.preemption_policy = os.preemption_policy.clone();
                }
            }
        }
        let mut errs = crate::validate::validate(&obj);
        errs.extend(crate::validate::validate_update(&old, &obj));
        errs.extend(crate::limits::check_replicas(&self.limits, &obj));
        if !errs.is_empty() {
            return Err(ApiError::invalid(kind, &r.name, errs));
        }
        self.admit_pod_security(&obj, Some(&old), &r.name)?;
        if let Object::PriorityClass(pc) = &obj {
            self.check_one_default_class(pc)?;
        }
        if has_generation(kind) && !old.same_spec(&obj) {
            obj.meta_mut().generation = Some(old.meta().generation.unwrap_or(1) + 1);
        }
        // A DaemonSet's templateGeneration goes up when its template changes.
        if let (Object::DaemonSet(o), Object::DaemonSet(n)) = (&old, &mut obj) {
            let before: i64 = o
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(DS_TEMPLATE_GENERATION))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let changed = o.spec.as_ref().map(|s| &s.template) != n.spec.as_ref().map(|s| &s.template);
            let now = if changed { before + 1 } else { before };
            n.metadata.annotations.get_or_insert_with(Default::default).insert(DS_TEMPLATE_GENERATION.into(), now.to_string());
        }
        if obj == old {
            return Ok(old);
        }
        let finished = obj.meta().deletion_timestamp.is_some() && obj.meta().finalizers.as_ref().is_none_or(Vec::is_empty);
        if finished {
            self.remove_now(&r);
            return Ok(obj);
        }
        self.store.put(obj);
        self.drain_changes();
        Ok(self.store.get_ref(&r).cloned().unwrap_or_else(|| unreachable_object(kind)))
    }

    /// Replaces only an object's status (the status subresource): no validation of the
    /// spec, no generation bump.
    pub fn update_status(&mut self, obj: Object) -> Result<(), ApiError> {
        let r = ObjRef::of(&obj);
        let Some(live) = self.store.get_ref(&r) else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        // A kind without a status has nothing to write; an unchanged status writes nothing.
        let Some((next, true)) = obj.rebase_status_onto(live) else { return Ok(()) };
        self.store.put(next);
        self.drain_changes();
        Ok(())
    }

    /// A pod's status subresource, given only the status (the kubelet's write): the pod's
    /// metadata and spec are neither copied nor compared. An unchanged status writes nothing.
    pub fn update_pod_status(&mut self, r: &ObjRef, status: k8s_openapi::api::core::v1::PodStatus) -> Result<(), ApiError> {
        let Some(Object::Pod(live)) = self.store.get_ref(r) else {
            return Err(ApiError::not_found(Kind::Pod, &r.name));
        };
        if live.status.as_ref() == Some(&status) {
            return Ok(());
        }
        self.store.set_pod_status(r, status);
        self.drain_changes();
        Ok(())
    }

    /// Replaces only labels and annotations (what controllers patch on metadata).
    pub fn update_meta(&mut self, obj: Object) -> Result<Object, ApiError> {
        let r = ObjRef::of(&obj);
        let Some(mut next) = self.store.get_ref(&r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        next.meta_mut().labels = obj.meta().labels.clone();
        next.meta_mut().annotations = obj.meta().annotations.clone();
        if Some(&next) == self.store.get_ref(&r) {
            return Ok(next);
        }
        self.store.put(next);
        self.drain_changes();
        Ok(self.store.get_ref(&r).cloned().unwrap_or_else(|| unreachable_object(r.kind)))
    }

    /// Binds a pod to a node (the pods/binding subresource): sets `spec.nodeName` and the
    /// PodScheduled condition.
    pub fn bind(&mut self, r: &ObjRef, node: &str) -> Result<(), ApiError> {
        let Some(Object::Pod(p)) = self.store.get_ref(r) else {
            return Err(ApiError::not_found(Kind::Pod, &r.name));
        };
        if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() {
            return Err(ApiError::conflict(Kind::Pod, &r.name));
        }
        // Only the status is copied: the pod is changed in place.
        let mut st = p.status.clone().unwrap_or_default();
        st.phase = Some("Pending".into());
        // ClearingNominatedNodeNameAfterBinding (beta, on in 1.35).
        st.nominated_node_name = None;
        crate::scheduler::set_condition(&mut st, "PodScheduled", "True", None, None, None, self);
        self.store.modify(r, |o| {
            if let Object::Pod(p) = o {
                p.spec.get_or_insert_with(Default::default).node_name = Some(node.to_string());
                p.status = Some(st);
            }
        });
        self.drain_changes();
        Ok(())
    }

    /// `kubectl apply` (client-side): creates the object, or three-way merges the manifest
    /// into the live object using the last-applied annotation, so fields removed from the
    /// manifest are removed and fields others set survive. Lists with a merge key merge by
    /// element (see `merge_key`); other lists are replaced whole.
    pub fn apply(&mut self, manifest: &Value) -> Result<(Object, ApplyResult), ApiError> {
        let mut desired = manifest.clone();
        strip_last_applied(&mut desired);
        // What kubectl records is the object as it sent it: with the namespace it filled in,
        // and the (emptied) annotations map it made room in.
        let mut recorded = desired.clone();
        if let Some(Value::Object(m)) = recorded.get_mut("metadata") {
            m.entry("annotations").or_insert_with(|| Value::Object(Default::default()));
            let kind = crate::decode::manifest_kind(manifest).ok();
            if kind.is_some_and(|k| k.info().namespaced) {
                m.entry("namespace").or_insert_with(|| Value::String("default".into()));
            }
        }
        let annotation = format!("{}\n", serde_json::to_string(&sort_keys(&recorded)).unwrap_or_default());
        let desired = recorded;
        let mut obj = decode_for_server(&desired)?;
        let kind = obj.kind();
        if kind.info().namespaced && obj.meta().namespace.as_deref().unwrap_or("").is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let r = ObjRef::of(&obj);
        if r.name.is_empty() {
            return Err(ApiError::invalid(
                kind,
                "",
                vec![FieldError::required("metadata.name", "name or generateName is required")],
            ));
        }
        let Some(live) = self.store.get_ref(&r).cloned() else {
            obj.meta_mut().annotations.get_or_insert_with(Default::default).insert(LAST_APPLIED.into(), annotation);
            let created = self.create(obj)?;
            return Ok((created, ApplyResult::Created));
        };
        let live_value = live.to_value();
        let last: Value = live
            .meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED))
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let mut merged = live_value.clone();
        three_way_merge(&mut merged, &last, &desired);
        retain_keys(&mut merged, &desired);
        set_annotation(&mut merged, LAST_APPLIED, &annotation);
        // kubectl sends no request for an empty patch: nothing is admitted or written.
        if merged == live_value {
            return Ok((live, ApplyResult::Unchanged));
        }
        let mut next = decode_for_server(&merged)?;
        next.meta_mut().resource_version = None;
        let before_rv = live.meta().resource_version.clone();
        let updated = self.update(next)?;
        let result = if updated.meta().resource_version == before_rv { ApplyResult::Unchanged } else { ApplyResult::Configured };
        Ok((updated, result))
    }

    /// A JSON merge patch (RFC 7386), as `kubectl patch --type merge` and `kubectl label` send.
    pub fn merge_patch(&mut self, r: &ObjRef, patch: &Value) -> Result<Object, ApiError> {
        let Some(live) = self.store.get_ref(r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        let mut v = live.to_value();
        json_merge_patch(&mut v, patch);
        let mut next = decode_for_server(&v)?;
        next.meta_mut().resource_version = None;
        self.update(next)
    }

    /// A write to a workload's `scale` subresource (`kubectl scale`): only `spec.replicas`
    /// changes, and, as for every subresource, Pod Security does not check the template.
    pub fn scale(&mut self, r: &ObjRef, replicas: i64) -> Result<Object, ApiError> {
        let before = self.warnings_len();
        let result = self.merge_patch(r, &serde_json::json!({"spec": {"replicas": replicas}}));
        self.truncate_warnings(before);
        result
    }

    /// PATCH with a strategic merge patch: like a JSON merge patch, except that lists with a
    /// merge key (containers, volumes, env, ports, ...) merge element by element, and an
    /// element with `$patch: delete` is removed.
    pub fn strategic_patch(&mut self, r: &ObjRef, patch: &Value) -> Result<Object, ApiError> {
        let Some(live) = self.store.get_ref(r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        let mut v = live.to_value();
        strategic_merge_patch(&mut v, patch);
        let mut next = decode_for_server(&v)?;
        next.meta_mut().resource_version = None;
        self.update(next)
    }

    /// A write to the `pods/NAME/resize` subresource (`kubectl patch --subresource resize`).
    /// As the API server's resize strategy does, only the containers' resources and resize
    /// policies are taken from `requested`; every other change is dropped. The result must
    /// pass `ValidatePodResize`, and a changed spec raises the generation. The kubelet then
    /// admits (or defers, or refuses) the new resources.
    pub fn resize_pod(&mut self, requested: Object) -> Result<Object, ApiError> {
        let r = ObjRef::of(&requested);
        let Some(Object::Pod(old)) = self.store.get_ref(&r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        let Object::Pod(asked) = requested else { return Err(ApiError::not_found(r.kind, &r.name)) };
        let mut next = old.clone();
        if let (Some(ns), Some(asked)) = (next.spec.as_mut(), asked.spec) {
            let same_names = |a: &[k8s_openapi::api::core::v1::Container], b: &[k8s_openapi::api::core::v1::Container]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name == y.name)
            };
            let asked_inits = asked.init_containers.unwrap_or_default();
            if same_names(&ns.containers, &asked.containers)
                && same_names(ns.init_containers.as_deref().unwrap_or(&[]), &asked_inits)
            {
                let theirs = asked_inits.into_iter().chain(asked.containers);
                for (mine, theirs) in ns.init_containers.iter_mut().flatten().chain(ns.containers.iter_mut()).zip(theirs) {
                    mine.resources = theirs.resources;
                    mine.resize_policy = theirs.resize_policy;
                }
            } else {
                // Not the same containers: kept as asked, for validation to refuse.
                ns.containers = asked.containers;
                ns.init_containers = if asked_inits.is_empty() { None } else { Some(asked_inits) };
            }
        }
        self.write_pod_subresource(&r, old, next, crate::validate::pod_resize)
    }

    /// The end of a pod subresource write: defaulting, validation (with the subresource's
    /// own rules in `extra`), and, when something changed, the raised generation and the store.
    fn write_pod_subresource(
        &mut self,
        r: &ObjRef,
        old: Box<k8s_openapi::api::core::v1::Pod>,
        next: Box<k8s_openapi::api::core::v1::Pod>,
        extra: fn(&k8s_openapi::api::core::v1::Pod, &k8s_openapi::api::core::v1::Pod) -> Vec<crate::errors::FieldError>,
    ) -> Result<Object, ApiError> {
        let mut obj = Object::Pod(next);
        crate::defaults::apply(&mut obj);
        let Object::Pod(next) = &obj else { return Err(ApiError::not_found(r.kind, &r.name)) };
        let mut errs = crate::validate::validate(&obj);
        errs.extend(extra(&old, next));
        if !errs.is_empty() {
            return Err(ApiError::invalid(r.kind, &r.name, errs));
        }
        let old = Object::Pod(old);
        self.admit_pod_security(&obj, Some(&old), &r.name)?;
        if obj == old {
            return Ok(old);
        }
        obj.meta_mut().generation = Some(old.meta().generation.unwrap_or(1) + 1);
        self.store.put(obj);
        self.drain_changes();
        Ok(self.store.get_ref(r).cloned().unwrap_or_else(|| unreachable_object(r.kind)))
    }

    /// A write to the `pods/NAME/ephemeralcontainers` subresource (what `kubectl debug`
    /// patches): only `spec.ephemeralContainers` is taken from `requested`, as the API server's
    /// ephemeral-containers strategy does. Existing ephemeral containers may not be removed or
    /// changed, new ones must be valid, and a change raises the generation. The kubelet then
    /// starts the new ones.
    pub fn update_ephemeral_containers(&mut self, requested: Object) -> Result<Object, ApiError> {
        let r = ObjRef::of(&requested);
        let Some(Object::Pod(old)) = self.store.get_ref(&r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        let Object::Pod(asked) = requested else { return Err(ApiError::not_found(r.kind, &r.name)) };
        let mut next = old.clone();
        if let Some(spec) = next.spec.as_mut() {
            spec.ephemeral_containers = asked.spec.and_then(|s| s.ephemeral_containers).filter(|l| !l.is_empty());
        }
        self.write_pod_subresource(&r, old, next, crate::validate::ephemeral_containers_update)
    }

    /// Deletes an object (DELETE). Pods on a node, objects with finalizers, namespaces and
    /// foreground deletions get a deletionTimestamp and go later; the rest go now.
    pub fn delete(&mut self, r: &ObjRef, opts: DeleteOptions) -> Result<Object, ApiError> {
        let Some(mut obj) = self.store.get_ref(r).cloned() else {
            return Err(ApiError::not_found(r.kind, &r.name));
        };
        if r.kind == Kind::PriorityClass && crate::boot::SYSTEM_PRIORITY_CLASSES.iter().any(|(n, _, _)| *n == r.name) {
            return Err(ApiError::forbidden(format!(
                "priorityclasses.scheduling.k8s.io {:?} is forbidden: this is a system priority class and cannot be deleted",
                r.name
            )));
        }
        if obj.meta().deletion_timestamp.is_some() {
            // Already being deleted: deleting again changes nothing.
            return Ok(obj);
        }
        let uid = obj.meta().uid.clone().unwrap_or_default();
        if opts.propagation == Propagation::Orphan {
            let deps: Vec<ObjRef> = self.store.dependents_of(&uid).cloned().collect();
            for d in deps {
                if let Some(mut dep) = self.store.get_ref(&d).cloned() {
                    if let Some(refs) = dep.meta_mut().owner_references.as_mut() {
                        refs.retain(|o| o.uid != uid);
                    }
                    if dep.meta().owner_references.as_ref().is_some_and(Vec::is_empty) {
                        dep.meta_mut().owner_references = None;
                    }
                    self.store.put(dep);
                }
            }
        }
        let grace = match &obj {
            Object::Pod(p) if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() => opts
                .grace_period_seconds
                .or_else(|| p.spec.as_ref().and_then(|s| s.termination_grace_period_seconds))
                .unwrap_or(30),
            _ => 0,
        };
        let now = self.now_time();
        let mut graceful = grace > 0 || obj.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty());
        if r.kind == Kind::Namespace {
            graceful = true;
            if let Object::Namespace(n) = &mut obj {
                n.status.get_or_insert_with(Default::default).phase = Some("Terminating".into());
            }
        }
        if opts.propagation == Propagation::Foreground && self.store.dependents_of(&uid).next().is_some() {
            graceful = true;
            obj.meta_mut().finalizers.get_or_insert_with(Vec::new).push("foregroundDeletion".into());
        }
        if graceful {
            let m = obj.meta_mut();
            m.deletion_timestamp = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                now.0 + k8s_openapi::jiff::SignedDuration::from_secs(grace),
            ));
            m.deletion_grace_period_seconds = Some(grace);
            if has_generation(r.kind) {
                m.generation = Some(m.generation.unwrap_or(1) + 1);
            }
            self.store.put(obj);
            self.drain_changes();
            return Ok(self.store.get_ref(r).cloned().unwrap_or_else(|| unreachable_object(r.kind)));
        }
        let removed = self.remove_now(r).unwrap_or(obj);
        Ok(removed)
    }

    /// Removes an object from the store at once (grace elapsed, finalizers done).
    pub(crate) fn remove_now(&mut self, r: &ObjRef) -> Option<Object> {
        let removed = self.store.remove(r);
        if let Some(o) = &removed {
            self.release(o);
        }
        self.drain_changes();
        removed
    }

    /// The ServiceAccount admission plugin's checks: the pod's ServiceAccount must exist, and
    /// a pod without image pull secrets gets its ServiceAccount's.
    fn admit_service_account(&self, p: &mut k8s_openapi::api::core::v1::Pod, admitted_name: &str) -> Result<(), ApiError> {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let Some(spec) = p.spec.as_mut() else { return Ok(()) };
        let name = spec.service_account_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "default".into());
        let Some(Object::ServiceAccount(sa)) = self.store.get(Kind::ServiceAccount, &ns, &name) else {
            // The plugin waits a moment for a namespace's `default` ServiceAccount, which its
            // controller is about to create (in a namespace just made, or after a deletion).
            if name == "default" {
                return Ok(());
            }
            return Err(ApiError::forbidden(format!(
                "pods {admitted_name:?} is forbidden: error looking up service account {ns}/{name}: serviceaccount {name:?} not found"
            )));
        };
        if spec.image_pull_secrets.as_ref().is_none_or(|s| s.is_empty()) {
            if let Some(secrets) = sa.image_pull_secrets.clone().filter(|s| !s.is_empty()) {
                spec.image_pull_secrets = Some(secrets);
            }
        }
        Ok(())
    }

    /// The ServiceAccount admission plugin: unless the pod or its ServiceAccount opts out
    /// (`automountServiceAccountToken: false`), the pod gets a `kube-api-access-xxxxx`
    /// projected volume (token, the cluster CA, the namespace), mounted read-only into every
    /// container at `/var/run/secrets/kubernetes.io/serviceaccount`.
    fn mount_service_account_token(&mut self, p: &mut k8s_openapi::api::core::v1::Pod) {
        use k8s_openapi::api::core::v1 as core;
        const MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let Some(spec) = p.spec.as_mut() else { return };
        let sa = spec.service_account_name.clone().unwrap_or_else(|| "default".into());
        let sa_opt_out = match self.store.get(Kind::ServiceAccount, &ns, &sa) {
            Some(Object::ServiceAccount(s)) => s.automount_service_account_token == Some(false),
            _ => false,
        };
        if !spec.automount_service_account_token.unwrap_or(!sa_opt_out) {
            return;
        }
        let all = spec.containers.iter().chain(spec.init_containers.iter().flatten());
        if all.clone().any(|c| c.volume_mounts.iter().flatten().any(|m| m.mount_path == MOUNT)) {
            return;
        }
        let name = format!("kube-api-access-{}", self.rng.name_suffix(5));
        let item = |key: &str| core::KeyToPath { key: key.into(), path: key.into(), mode: None };
        spec.volumes.get_or_insert_with(Vec::new).push(core::Volume {
            name: name.clone(),
            projected: Some(core::ProjectedVolumeSource {
                default_mode: Some(0o644),
                sources: Some(vec![
                    core::VolumeProjection {
                        service_account_token: Some(core::ServiceAccountTokenProjection {
                            expiration_seconds: Some(3607),
                            path: "token".into(),
                            audience: None,
                        }),
                        ..Default::default()
                    },
                    core::VolumeProjection {
                        config_map: Some(core::ConfigMapProjection {
                            name: "kube-root-ca.crt".into(),
                            items: Some(vec![item("ca.crt")]),
                            optional: None,
                        }),
                        ..Default::default()
                    },
                    core::VolumeProjection {
                        downward_api: Some(core::DownwardAPIProjection {
                            items: Some(vec![core::DownwardAPIVolumeFile {
                                path: "namespace".into(),
                                field_ref: Some(core::ObjectFieldSelector {
                                    api_version: Some("v1".into()),
                                    field_path: "metadata.namespace".into(),
                                }),
                                ..Default::default()
                            }]),
                        }),
                        ..Default::default()
                    },
                ]),
            }),
            ..Default::default()
        });
        let mount = core::VolumeMount { name, mount_path: MOUNT.into(), read_only: Some(true), ..Default::default() };
        for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
            c.volume_mounts.get_or_insert_with(Vec::new).push(mount.clone());
        }
    }

    /// Pod Security admission (`podsecurity.rs`) of a create (`old` None) or an update.
    /// A pod that the namespace's `enforce` level forbids is refused; one its `warn` level
    /// would forbid gets a warning, as do workload resources' pod templates (never refused).
    /// A namespace's labels must name valid levels and versions, and a stricter `enforce`
    /// label warns of the existing pods that violate it.
    fn admit_pod_security(&mut self, obj: &Object, old: Option<&Object>, name: &str) -> Result<(), ApiError> {
        use crate::podsecurity as pss;
        if let Object::Namespace(n) = obj {
            let (new_policy, errs) = pss::policy(n.metadata.labels.as_ref());
            let old_policy = old.map(|o| pss::policy(o.meta().labels.as_ref()));
            // An update is refused only when its invalid labels changed.
            let errs_changed = old_policy.as_ref().is_none_or(|(_, old_errs)| *old_errs != errs);
            if !errs.is_empty() && errs_changed {
                return Err(ApiError::invalid(Kind::Namespace, name, errs));
            }
            if let Some((old_policy, _)) = old_policy {
                let (was, now) = (old_policy.enforce, new_policy.enforce);
                let looser_or_same = now.minor == was.minor && now.level <= was.level;
                if now != was && now.level != pss::Level::Privileged && !looser_or_same {
                    let pods: Vec<&k8s_openapi::api::core::v1::Pod> = self
                        .store
                        .list(Kind::Pod, Some(name))
                        .filter_map(|o| match o {
                            Object::Pod(p) => Some(p.as_ref()),
                            _ => None,
                        })
                        .collect();
                    for w in pss::existing_pods_warnings(name, now, &pods) {
                        self.warn(w);
                    }
                }
            }
            return Ok(());
        }
        let ns = obj.meta().namespace.as_deref().unwrap_or("");
        let labels = self.store.get(Kind::Namespace, "", ns).and_then(|o| o.meta().labels.as_ref());
        let (policy, _) = pss::policy(labels);
        let warn_about = |meta, spec| {
            let found = pss::evaluate(policy.warn, meta, spec);
            (!found.is_empty()).then(|| format!("would violate PodSecurity \"{}\": {}", policy.warn, pss::details(&found)))
        };
        let warning = match obj {
            Object::Pod(p) => {
                if let Some(Object::Pod(o)) = old {
                    if !pss::significant_update(o, p) {
                        return Ok(());
                    }
                }
                let Some(spec) = p.spec.as_ref() else { return Ok(()) };
                let found = pss::evaluate(policy.enforce, Some(&p.metadata), spec);
                if !found.is_empty() {
                    return Err(ApiError::forbidden(format!(
                        "pods {name:?} is forbidden: violates PodSecurity \"{}\": {}",
                        policy.enforce,
                        pss::details(&found)
                    )));
                }
                warn_about(Some(&p.metadata), spec)
            }
            _ => pss::workload_template(obj)
                .and_then(|t| t.spec.as_ref().map(|spec| (t.metadata.as_ref(), spec)))
                .and_then(|(meta, spec)| warn_about(meta, spec)),
        };
        if let Some(w) = warning {
            self.warn(w);
        }
        Ok(())
    }

    fn admit_namespace(&mut self, obj: &mut Object) -> Result<(), ApiError> {
        let kind = obj.kind();
        if !kind.info().namespaced {
            obj.meta_mut().namespace = None;
            return Ok(());
        }
        let ns = obj.meta().namespace.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "default".into());
        obj.meta_mut().namespace = Some(ns.clone());
        match self.store.get(Kind::Namespace, "", &ns) {
            None => Err(ApiError::not_found(Kind::Namespace, &ns)),
            Some(n) if n.meta().deletion_timestamp.is_some() => {
                let name = obj.meta().name.clone().or_else(|| obj.meta().generate_name.clone()).unwrap_or_default();
                Err(ApiError::forbidden(format!(
                    "{} {:?} is forbidden: unable to create new content in namespace {} because it is being terminated",
                    kind.info().resource_group(),
                    name,
                    ns
                )))
            }
            Some(_) => Ok(()),
        }
    }

    /// Allocates what the API server allocates on create (Service cluster IPs and node
    /// ports). Returns a field error when a requested value is taken or out of range.
    fn allocate(&mut self, obj: &mut Object) -> Option<FieldError> {
        let Object::Service(svc) = obj else {
            return None;
        };
        crate::services::allocate(self, svc)
    }

    /// Keeps allocated values (cluster IPs) across an update that does not name them.
    /// The Priority admission plugin for a new pod: the priority and preemption policy come
    /// from its PriorityClass (or the lowest-valued global default class, whose name the pod
    /// then gets; with none, 0 and PreemptLowerPriority). A class that does not exist, or a
    /// priority or policy in the spec that differs from the class's, is refused.
    fn admit_priority(&self, pod: &mut k8s_openapi::api::core::v1::Pod, admitted_name: &str) -> Result<(), ApiError> {
        let Some(spec) = pod.spec.as_mut() else { return Ok(()) };
        let forbidden = |msg: String| ApiError::forbidden(format!("pods {admitted_name:?} is forbidden: {msg}"));
        let class = match spec.priority_class_name.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => match self.store.get(Kind::PriorityClass, "", name) {
                Some(Object::PriorityClass(pc)) => Some(pc.as_ref().clone()),
                _ => return Err(forbidden(format!("no PriorityClass with name {name} was found"))),
            },
            None => self.default_priority_class(),
        };
        let (priority, policy) = match &class {
            Some(pc) => (pc.value, pc.preemption_policy.clone().unwrap_or_else(|| "PreemptLowerPriority".into())),
            None => (0, "PreemptLowerPriority".to_string()),
        };
        if let Some(asked) = spec.priority.filter(|p| *p != priority) {
            return Err(forbidden(format!(
                "the integer value of priority ({asked}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
            )));
        }
        if let Some(asked) = spec.preemption_policy.as_deref().filter(|p| *p != policy) {
            return Err(forbidden(format!(
                "the string value of PreemptionPolicy ({asked}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name"
            )));
        }
        if let Some(pc) = &class {
            spec.priority_class_name = pc.metadata.name.clone();
        }
        spec.priority = Some(priority);
        spec.preemption_policy = Some(policy);
        Ok(())
    }

    /// The global default PriorityClass: the one with the lowest value, should several be
    /// marked.
    fn default_priority_class(&self) -> Option<k8s_openapi::api::scheduling::v1::PriorityClass> {
        self.store
            .list(Kind::PriorityClass, None)
            .filter_map(|o| match o {
                Object::PriorityClass(pc) if pc.global_default == Some(true) => Some(pc.as_ref()),
                _ => None,
            })
            .min_by_key(|pc| pc.value)
            .cloned()
    }

    /// Priority admission for PriorityClasses: only one may be the global default.
    fn check_one_default_class(&self, pc: &k8s_openapi::api::scheduling::v1::PriorityClass) -> Result<(), ApiError> {
        if pc.global_default != Some(true) {
            return Ok(());
        }
        match self.default_priority_class() {
            Some(d) if d.metadata.name != pc.metadata.name => Err(ApiError::forbidden(format!(
                "priorityclasses.scheduling.k8s.io {:?} is forbidden: PriorityClass {} is already marked as default. Only one default can exist",
                pc.metadata.name.as_deref().unwrap_or(""),
                d.metadata.name.as_deref().unwrap_or("")
            ))),
            _ => Ok(()),
        }
    }

    fn keep_allocations(&self, old: &Object, new: &mut Object) {
        if let (Object::Service(o), Object::Service(n)) = (old, new) {
            crate::services::keep_allocations(o, n);
        }
    }

    fn release(&mut self, _obj: &Object) {
        // Allocations are derived from the stored Services, so removal frees them.
    }
}

/// A base64 error from decoding `[]byte` fields (Secret `data`, ConfigMap `binaryData`) in
/// Go's words (`encoding/base64.CorruptInputError`), from the Rust base64 crate's.
fn go_base64_error(message: &str) -> Option<String> {
    let offset = |rest: &str| rest.split(", offset ").nth(1)?.trim_end_matches('.').trim().parse::<usize>().ok();
    let at = message
        .strip_prefix("Invalid symbol ")
        .or_else(|| message.strip_prefix("Invalid last symbol "))
        .and_then(offset)
        .or_else(|| message.strip_prefix("Invalid padding").map(|_| 0))?;
    Some(format!("illegal base64 data at input byte {at}"))
}

/// Decodes a JSON value for the API server: unknown fields and type errors are `BadRequest`
/// with the API server's words.
pub fn decode_for_server(v: &Value) -> Result<Object, ApiError> {
    use crate::decode::DecodeError;
    match crate::decode::decode_object(v) {
        Ok(o) => Ok(o),
        Err(DecodeError::UnknownFields { kind, fields }) => {
            let list: Vec<String> = fields.iter().map(|f| format!("unknown field {f:?}")).collect();
            let k = kind.info().kind;
            Err(ApiError::bad_request(format!(
                "{k} in version {:?} cannot be handled as a {k}: strict decoding error: {}",
                kind.info().version,
                list.join(", ")
            )))
        }
        Err(DecodeError::Type { kind, message }) => {
            let k = kind.info().kind;
            let message = go_base64_error(&message).unwrap_or(message);
            Err(ApiError::bad_request(format!("{k} in version {:?} cannot be handled as a {k}: {message}", kind.info().version)))
        }
        Err(DecodeError::NoMatch { kind, api_version }) => {
            Err(ApiError::bad_request(format!("no matches for kind {kind:?} in version {api_version:?}")))
        }
        Err(DecodeError::MissingTypeInfo { missing }) => {
            Err(ApiError::bad_request(format!("Object 'Kind' is missing in '{}'", missing.join(", "))))
        }
    }
}

fn unreachable_object(kind: Kind) -> Object {
    // The store returns what was just put; this fallback keeps the API panic-free.
    let mut unknown = Vec::new();
    let v = serde_json::json!({"apiVersion": kind.info().api_version(), "kind": kind.info().kind, "metadata": {}});
    Object::from_value(kind, v, &mut unknown).unwrap_or_else(|_| Object::from(k8s_openapi::api::core::v1::Namespace::default()))
}

fn strip_last_applied(v: &mut Value) {
    if let Some(Value::Object(a)) = v.get_mut("metadata").and_then(|m| m.get_mut("annotations")) {
        a.shift_remove(LAST_APPLIED);
        if a.is_empty() {
            if let Some(Value::Object(m)) = v.get_mut("metadata") {
                m.shift_remove("annotations");
            }
        }
    }
}

fn set_annotation(v: &mut Value, key: &str, value: &str) {
    if let Some(Value::Object(m)) = v.get_mut("metadata") {
        let a = m.entry("annotations").or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(a) = a {
            a.insert(key.into(), Value::String(value.into()));
        }
    }
}

/// The value with object keys sorted, as Go's JSON encoder writes maps.
pub fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sort_keys(&m[k]))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

/// Applies the change from `last` to `desired` onto `live`: keys in `last` missing from
/// `desired` are deleted, keys in `desired` are set (objects recursively).
pub fn three_way_merge(live: &mut Value, last: &Value, desired: &Value) {
    let (Value::Object(live_m), Value::Object(desired_m)) = (&mut *live, desired) else {
        *live = desired.clone();
        return;
    };
    if let Value::Object(last_m) = last {
        for k in last_m.keys() {
            if !desired_m.contains_key(k) {
                live_m.shift_remove(k);
            }
        }
    }
    for (k, dv) in desired_m {
        let lv = last.get(k).unwrap_or(&Value::Null);
        match (live_m.get_mut(k), dv) {
            (Some(cur @ Value::Object(_)), Value::Object(_)) => three_way_merge(cur, lv, dv),
            (Some(Value::Array(cur)), Value::Array(want)) if merge_key(k, want).is_some() => {
                let key = merge_key(k, want).unwrap_or("name");
                *cur = merge_keyed_list(cur, lv.as_array().map_or(&[][..], Vec::as_slice), want, key);
            }
            _ => {
                live_m.insert(k.clone(), dv.clone());
            }
        }
    }
}

/// The strategic-merge key of a list field (`patchMergeKey` in the API types), when every
/// element of the manifest's list carries it: such lists merge element by element, so
/// entries the server added (the ServiceAccount token volume and its mounts) survive.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    let key = match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    };
    items.iter().all(|i| i.get(key).is_some()).then_some(key)
}

/// Three-way merge of a keyed list: the manifest's elements in its order (each merged into
/// the live one with the same key), then live elements the manifest never named; elements
/// the last apply named and this one dropped are removed.
fn merge_keyed_list(live: &[Value], last: &[Value], desired: &[Value], key: &str) -> Vec<Value> {
    let find = |list: &[Value], k: &Value| list.iter().find(|e| e.get(key) == Some(k)).cloned();
    let mut out: Vec<Value> = Vec::new();
    for d in desired {
        let k = d.get(key).cloned().unwrap_or(Value::Null);
        match find(live, &k) {
            Some(mut cur) => {
                three_way_merge(&mut cur, &find(last, &k).unwrap_or(Value::Null), d);
                out.push(cur);
            }
            None => out.push(d.clone()),
        }
    }
    for l in live {
        let k = l.get(key).cloned().unwrap_or(Value::Null);
        let named = desired.iter().any(|d| d.get(key) == Some(&k)) || last.iter().any(|p| p.get(key) == Some(&k));
        if !named {
            out.push(l.clone());
        }
    }
    out
}

/// Fields whose strategic-merge patch strategy is `retainKeys`: when the manifest sets
/// them, only the keys it names survive (so switching a Deployment to Recreate drops the
/// defaulted rollingUpdate block), as kubectl apply's `$retainKeys` directive does.
const RETAIN_KEYS: &[&[&str]] = &[&["spec", "strategy"], &["spec", "updateStrategy"]];

fn retain_keys(merged: &mut Value, desired: &Value) {
    for path in RETAIN_KEYS {
        let mut want = desired;
        let mut ok = true;
        for p in path.iter() {
            match want.get(*p) {
                Some(v) => want = v,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        let Some(want) = want.as_object().filter(|_| ok) else { continue };
        let pointer = format!("/{}", path.join("/"));
        if let Some(m) = merged.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            m.retain(|k, _| want.contains_key(k));
        }
    }
}

/// A strategic merge patch (the subset kubectl users write): objects merge, `null`
/// deletes, keyed lists merge by their merge key, other lists are replaced.
pub fn strategic_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return;
    };
    // `$patch: replace` swaps the whole map for the patch's; `$patch: delete` removes it.
    match pm.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut m = pm.clone();
            m.shift_remove("$patch");
            *target = Value::Object(m);
            return;
        }
        Some("delete") => {
            *target = Value::Null;
            return;
        }
        _ => {}
    }
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let Value::Object(tm) = target else { return };
    for (k, v) in pm {
        // `$setElementOrder/FIELD` only orders a list (kubeplay keeps the merged order);
        // `$retainKeys` is applied once the other fields are merged.
        if k == "$retainKeys" || k == "$patch" || k.starts_with("$setElementOrder/") {
            continue;
        }
        // `$deleteFromPrimitiveList/FIELD: [values]` removes those values from a list of scalars.
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(cur)), Value::Array(gone)) = (tm.get_mut(field), v) {
                cur.retain(|x| !gone.contains(x));
            }
            continue;
        }
        match v {
            Value::Null => {
                tm.shift_remove(k);
            }
            Value::Array(items) if merge_key(k, items).is_some() && tm.get(k).is_some_and(Value::is_array) => {
                let key = merge_key(k, items).unwrap_or("name");
                let Some(Value::Array(cur)) = tm.get_mut(k) else { continue };
                // The patch's elements (merged into the live ones they name), in patch order,
                // and the live elements the patch does not name, in live order; then the two
                // merged as normalizeElementOrder does: by live position where both have one,
                // a new element before the live element it meets.
                let live_pos = |id: &Value| cur.iter().position(|e| e.get(key) == Some(id));
                let mut patched: Vec<(Option<usize>, Value)> = Vec::new();
                let mut named: Vec<Value> = Vec::new();
                for item in items {
                    let id = item.get(key).cloned().unwrap_or(Value::Null);
                    named.push(id.clone());
                    if item.get("$patch").and_then(Value::as_str) == Some("delete") {
                        continue;
                    }
                    let pos = live_pos(&id);
                    let mut merged = pos.map_or(Value::Null, |i| cur[i].clone());
                    if pos.is_some() {
                        strategic_merge_patch(&mut merged, item);
                    } else {
                        merged = item.clone();
                    }
                    patched.push((pos, merged));
                }
                let live_only: Vec<(usize, Value)> = cur
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| !named.iter().any(|id| e.get(key) == Some(id)))
                    .map(|(i, e)| (i, e.clone()))
                    .collect();
                let (mut l, mut r) = (patched.into_iter().peekable(), live_only.into_iter().peekable());
                let mut out = Vec::new();
                loop {
                    match (l.peek(), r.peek()) {
                        (Some((lp, _)), Some((rp, _))) => {
                            if lp.is_none_or(|lp| lp < *rp) {
                                out.extend(l.next().map(|x| x.1));
                            } else {
                                out.extend(r.next().map(|x| x.1));
                            }
                        }
                        (Some(_), None) => out.extend(l.next().map(|x| x.1)),
                        (None, Some(_)) => out.extend(r.next().map(|x| x.1)),
                        (None, None) => break,
                    }
                }
                *cur = out;
            }
            _ => {
                let entry = tm.entry(k.clone()).or_insert(Value::Null);
                strategic_merge_patch(entry, v);
                if entry.is_null() && v.get("$patch").and_then(Value::as_str) == Some("delete") {
                    tm.shift_remove(k);
                }
            }
        }
    }
    // `$retainKeys: [..]`: the fields not listed are cleared (a union's other members, as
    // `strategy.rollingUpdate` when the type becomes Recreate).
    if let Some(Value::Array(keep)) = pm.get("$retainKeys") {
        tm.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k)));
    }
}

/// RFC 7386 JSON merge patch.
pub fn json_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(tm) = target {
        for (k, v) in pm {
            if v.is_null() {
                tm.shift_remove(k);
            } else {
                json_merge_patch(tm.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}
