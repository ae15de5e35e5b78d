//! Namespace policy: LimitRange (the `LimitRanger` admission plugin: default requests and
//! limits for containers, then min/max checks) and ResourceQuota (the `ResourceQuota`
//! admission plugin: `must specify` and `exceeded quota` rejections, and the quota
//! controller's `status.used`). Texts follow `plugin/pkg/admission/limitranger`,
//! `staging/.../admission/plugin/resourcequota/controller.go` and
//! `pkg/quota/v1/evaluator/core/pods.go`.

use crate::errors::ApiError;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::{BTreeMap, BTreeSet};

type ResourceList = BTreeMap<String, Quantity>;

/// Milli-units of a quantity (0 when unparseable).
fn milli(q: &Quantity) -> i128 {
    crate::quantity::parse(&q.0).unwrap_or(0)
}

/// A sum of milli-units as the API prints it: bytes for memory and storage (binary when
/// whole KiB), cores for the rest.
pub(crate) fn format_milli(key: &str, v: i128) -> String {
    let bytes = key.contains("memory") || key.contains("storage");
    let text = if bytes && v % 1000 == 0 && (v / 1000) % 1024 == 0 && v != 0 {
        format!("{}Ki", v / 1000 / 1024)
    } else if v % 1000 == 0 {
        (v / 1000).to_string()
    } else {
        format!("{v}m")
    };
    crate::quantity::canonical(&text).unwrap_or(text)
}

// ---------------------------------------------------------------------------------------
// LimitRange

/// `SetDefaults_LimitRangeItem`: for Container items, `default` comes from `max`, then
/// `defaultRequest` from `default`, then from `min`.
pub fn default_limit_range(lr: &mut core::LimitRange) {
    for item in lr.spec.iter_mut().flat_map(|s| s.limits.iter_mut()) {
        if item.type_ != "Container" {
            continue;
        }
        let mut default = item.default.clone().unwrap_or_default();
        for (k, v) in item.max.iter().flatten() {
            default.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let mut request = item.default_request.clone().unwrap_or_default();
        for (k, v) in default.iter().chain(item.min.iter().flatten()) {
            request.entry(k.clone()).or_insert_with(|| v.clone());
        }
        item.default = (!default.is_empty()).then_some(default);
        item.default_request = (!request.is_empty()).then_some(request);
    }
}

fn container_items(world: &World, ns: &str) -> Vec<(String, core::LimitRangeItem)> {
    world
        .store()
        .list(Kind::LimitRange, Some(ns))
        .filter_map(|o| match o {
            Object::LimitRange(l) => Some(l),
            _ => None,
        })
        .flat_map(|l| {
            let name = l.metadata.name.clone().unwrap_or_default();
            l.spec.iter().flat_map(|s| s.limits.clone()).map(move |i| (name.clone(), i))
        })
        .collect()
}

/// The LimitRanger's mutation of a new pod: missing limits from `default`, missing requests
/// from `defaultRequest`, noted in the `kubernetes.io/limit-ranger` annotation.
pub fn apply_limit_ranges(world: &World, pod: &mut core::Pod) {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let items = container_items(world, &ns);
    if items.is_empty() {
        return;
    }
    let mut notes: Vec<String> = Vec::new();
    let Some(spec) = pod.spec.as_mut() else { return };
    let init = spec.init_containers.iter_mut().flatten().map(|c| (c, "init container"));
    for (c, what) in spec.containers.iter_mut().map(|c| (c, "container")).chain(init) {
        let (mut set_req, mut set_lim) = (BTreeSet::new(), BTreeSet::new());
        for (_, item) in items.iter().filter(|(_, i)| i.type_ == "Container") {
            let res = c.resources.get_or_insert_with(Default::default);
            for (k, v) in item.default.iter().flatten() {
                let limits = res.limits.get_or_insert_with(Default::default);
                if !limits.contains_key(k) {
                    limits.insert(k.clone(), v.clone());
                    set_lim.insert(k.clone());
                }
            }
            for (k, v) in item.default_request.iter().flatten() {
                let requests = res.requests.get_or_insert_with(Default::default);
                if !requests.contains_key(k) {
                    requests.insert(k.clone(), v.clone());
                    set_req.insert(k.clone());
                }
            }
            if res.limits.as_ref().is_some_and(BTreeMap::is_empty) {
                res.limits = None;
            }
            if res.requests.as_ref().is_some_and(BTreeMap::is_empty) {
                res.requests = None;
            }
        }
        if !set_req.is_empty() {
            notes.push(format!("{} request for {what} {}", set_req.into_iter().collect::<Vec<_>>().join(", "), c.name));
        }
        if !set_lim.is_empty() {
            notes.push(format!("{} limit for {what} {}", set_lim.into_iter().collect::<Vec<_>>().join(", "), c.name));
        }
    }
    if !notes.is_empty() {
        pod.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("kubernetes.io/limit-ranger".into(), format!("LimitRanger plugin set: {}", notes.join("; ")));
    }
}

/// The LimitRanger's validation of a new pod: each container's requests and limits against
/// the Container items' `min`, `max` and `maxLimitRequestRatio`.
pub fn check_limit_ranges(world: &World, pod: &core::Pod, name: &str) -> Result<(), ApiError> {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let items = container_items(world, &ns);
    let Some(spec) = pod.spec.as_ref() else { return Ok(()) };
    let mut errs: Vec<String> = Vec::new();
    for (_, item) in items.iter().filter(|(_, i)| i.type_ == "Container") {
        for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
            let empty = ResourceList::new();
            let res = c.resources.as_ref();
            let req = res.and_then(|r| r.requests.as_ref()).unwrap_or(&empty);
            let lim = res.and_then(|r| r.limits.as_ref()).unwrap_or(&empty);
            for (k, min) in item.min.iter().flatten() {
                let m = milli(min);
                match (req.get(k), lim.get(k)) {
                    (None, _) => errs.push(format!("minimum {k} usage per Container is {}.  No request is specified.", min.0)),
                    (Some(r), _) if milli(r) < m => {
                        errs.push(format!("minimum {k} usage per Container is {}, but request is {}.", min.0, r.0))
                    }
                    (_, Some(l)) if milli(l) < m => {
                        errs.push(format!("minimum {k} usage per Container is {}, but limit is {}.", min.0, l.0))
                    }
                    _ => {}
                }
            }
            for (k, max) in item.max.iter().flatten() {
                let m = milli(max);
                match (req.get(k), lim.get(k)) {
                    (_, None) => errs.push(format!("maximum {k} usage per Container is {}.  No limit is specified.", max.0)),
                    (_, Some(l)) if milli(l) > m => {
                        errs.push(format!("maximum {k} usage per Container is {}, but limit is {}.", max.0, l.0))
                    }
                    (Some(r), _) if milli(r) > m => {
                        errs.push(format!("maximum {k} usage per Container is {}, but request is {}.", max.0, r.0))
                    }
                    _ => {}
                }
            }
            for (k, ratio) in item.max_limit_request_ratio.iter().flatten() {
                if let (Some(r), Some(l)) = (req.get(k), lim.get(k)) {
                    let (r, l) = (milli(r), milli(l));
                    if r > 0 && (l as f64 / r as f64) > milli(ratio) as f64 / 1000.0 {
                        errs.push(format!(
                            "{k} max limit to request ratio per Container is {}, but provided ratio is {:.6}.",
                            ratio.0,
                            l as f64 / r as f64
                        ));
                    }
                }
            }
        }
    }
    match errs.len() {
        0 => Ok(()),
        1 => Err(forbidden(Kind::Pod, name, &errs[0])),
        _ => Err(forbidden(Kind::Pod, name, &format!("[{}]", errs.join(", ")))),
    }
}

/// The LimitRanger's check of a new PersistentVolumeClaim against `PersistentVolumeClaim`
/// limits: its storage request within min and max (`PersistentVolumeClaimValidateLimitFunc`).
pub fn check_pvc_limit_ranges(world: &World, pvc: &core::PersistentVolumeClaim, name: &str) -> Result<(), ApiError> {
    let ns = pvc.metadata.namespace.clone().unwrap_or_default();
    let empty = ResourceList::new();
    let req = pvc.spec.as_ref().and_then(|s| s.resources.as_ref()).and_then(|r| r.requests.as_ref()).unwrap_or(&empty);
    let mut errs: Vec<String> = Vec::new();
    for (_, item) in container_items(world, &ns).iter().filter(|(_, i)| i.type_ == "PersistentVolumeClaim") {
        for (k, min) in item.min.iter().flatten() {
            match req.get(k) {
                None => errs.push(format!("minimum {k} usage per PersistentVolumeClaim is {}.  No request is specified.", min.0)),
                Some(r) if milli(r) < milli(min) => {
                    errs.push(format!("minimum {k} usage per PersistentVolumeClaim is {}, but request is {}.", min.0, r.0))
                }
                _ => {}
            }
        }
        for (k, max) in item.max.iter().flatten() {
            match req.get(k) {
                None => errs.push(format!("maximum {k} usage per PersistentVolumeClaim is {}.  No request is specified.", max.0)),
                Some(r) if milli(r) > milli(max) => {
                    errs.push(format!("maximum {k} usage per PersistentVolumeClaim is {}, but request is {}.", max.0, r.0))
                }
                _ => {}
            }
        }
    }
    match errs.len() {
        0 => Ok(()),
        1 => Err(forbidden(Kind::PersistentVolumeClaim, name, &errs[0])),
        _ => Err(forbidden(Kind::PersistentVolumeClaim, name, &format!("[{}]", errs.join(", ")))),
    }
}

fn forbidden(kind: Kind, name: &str, msg: &str) -> ApiError {
    ApiError::forbidden(format!("{} {name:?} is forbidden: {msg}", kind.info().resource_group()))
}

// ---------------------------------------------------------------------------------------
// ResourceQuota

/// Whether a pod still counts against quota (not Succeeded or Failed).
fn pod_counts(p: &core::Pod) -> bool {
    !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
}

/// What one object uses of each quota resource, in milli-units.
fn object_usage(obj: &Object) -> BTreeMap<String, i128> {
    let mut u: BTreeMap<String, i128> = BTreeMap::new();
    let info = obj.kind().info();
    let count_key =
        if info.group.is_empty() { format!("count/{}", info.plural) } else { format!("count/{}.{}", info.plural, info.group) };
    u.insert(count_key, 1000);
    match obj {
        Object::Pod(p) if pod_counts(p) => {
            u.insert("pods".into(), 1000);
            if let Some(spec) = &p.spec {
                let sum = |which: fn(&core::ResourceRequirements) -> Option<&ResourceList>, key: &str| -> i128 {
                    let main: i128 = spec
                        .containers
                        .iter()
                        .filter_map(|c| c.resources.as_ref().and_then(which))
                        .filter_map(|m| m.get(key))
                        .map(milli)
                        .sum();
                    let init = spec
                        .init_containers
                        .iter()
                        .flatten()
                        .filter_map(|c| c.resources.as_ref().and_then(which))
                        .filter_map(|m| m.get(key))
                        .map(milli)
                        .max()
                        .unwrap_or(0);
                    main.max(init)
                };
                fn requests(r: &core::ResourceRequirements) -> Option<&ResourceList> {
                    r.requests.as_ref()
                }
                fn limits(r: &core::ResourceRequirements) -> Option<&ResourceList> {
                    r.limits.as_ref()
                }
                for res in ["cpu", "memory", "ephemeral-storage"] {
                    let r = sum(requests, res);
                    u.insert(format!("requests.{res}"), r);
                    if res != "ephemeral-storage" {
                        u.insert(res.into(), r);
                    }
                    u.insert(format!("limits.{res}"), sum(limits, res));
                }
            }
        }
        Object::Pod(_) => {
            u.clear();
        }
        Object::Service(s) => {
            u.insert("services".into(), 1000);
            let ty = s.spec.as_ref().and_then(|sp| sp.type_.as_deref()).unwrap_or("ClusterIP");
            let ports = s.spec.as_ref().map_or(0, |sp| sp.ports.iter().flatten().count() as i128);
            if ty == "NodePort" || ty == "LoadBalancer" {
                u.insert("services.nodeports".into(), ports * 1000);
            }
            if ty == "LoadBalancer" {
                u.insert("services.loadbalancers".into(), 1000);
            }
        }
        Object::ConfigMap(_) => {
            u.insert("configmaps".into(), 1000);
        }
        Object::Secret(_) => {
            u.insert("secrets".into(), 1000);
        }
        Object::ResourceQuota(_) => {
            u.insert("resourcequotas".into(), 1000);
        }
        Object::PersistentVolumeClaim(c) => {
            u.insert("persistentvolumeclaims".into(), 1000);
            let storage = c
                .spec
                .as_ref()
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map_or(0, milli);
            u.insert("requests.storage".into(), storage);
        }
        _ => {}
    }
    u
}

/// Whether changes to this kind can move a quota's usage.
pub fn counted(kind: Kind) -> bool {
    !matches!(kind, Kind::Event | Kind::Node | Kind::Namespace | Kind::PersistentVolume | Kind::StorageClass | Kind::IngressClass)
}

/// What a namespace uses of each quota resource, counting the objects quota `q` covers.
fn namespace_usage(world: &World, ns: &str, keys: &BTreeSet<String>, q: &core::ResourceQuota) -> BTreeMap<String, i128> {
    let mut used: BTreeMap<String, i128> = keys.iter().map(|k| (k.clone(), 0)).collect();
    let mut kinds: BTreeSet<Kind> = BTreeSet::new();
    for k in keys {
        let kind = match k.as_str() {
            "pods" | "cpu" | "memory" => Some(Kind::Pod),
            k if k.starts_with("requests.") || k.starts_with("limits.") => {
                if k.ends_with("storage") && k.starts_with("requests.storage") {
                    Some(Kind::PersistentVolumeClaim)
                } else {
                    Some(Kind::Pod)
                }
            }
            "services" | "services.nodeports" | "services.loadbalancers" => Some(Kind::Service),
            "configmaps" => Some(Kind::ConfigMap),
            "secrets" => Some(Kind::Secret),
            "persistentvolumeclaims" => Some(Kind::PersistentVolumeClaim),
            "resourcequotas" => Some(Kind::ResourceQuota),
            k => k.strip_prefix("count/").and_then(Kind::from_resource_name),
        };
        kinds.extend(kind);
    }
    for kind in kinds {
        for o in world.store().list(kind, Some(ns)).filter(|o| quota_matches(q, o)) {
            for (k, v) in object_usage(o) {
                if let Some(total) = used.get_mut(&k) {
                    *total += v;
                }
            }
        }
    }
    used
}

fn quotas(world: &World, ns: &str) -> Vec<core::ResourceQuota> {
    world
        .store()
        .list(Kind::ResourceQuota, Some(ns))
        .filter_map(|o| match o {
            Object::ResourceQuota(q) => Some((**q).clone()),
            _ => None,
        })
        .collect()
}

fn pretty(key_values: &[(String, String)]) -> String {
    key_values.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// Whether one scope of a quota matches a pod, as the pod evaluator's `podMatchesScopeFunc`
/// decides: `operator` and `values` come from a scopeSelector (`Exists` for `spec.scopes`).
fn pod_matches_scope(p: &core::Pod, scope: &str, operator: &str, values: &[String]) -> bool {
    let Some(spec) = p.spec.as_ref() else { return false };
    match scope {
        "Terminating" => spec.active_deadline_seconds.is_some_and(|d| d >= 0),
        "NotTerminating" => spec.active_deadline_seconds.is_none_or(|d| d < 0),
        "BestEffort" => crate::resources::qos_class(spec) == "BestEffort",
        "NotBestEffort" => crate::resources::qos_class(spec) != "BestEffort",
        "PriorityClass" => {
            let pc = spec.priority_class_name.as_deref().unwrap_or("");
            match operator {
                "In" => values.iter().any(|v| v == pc),
                "NotIn" => !values.iter().any(|v| v == pc),
                "DoesNotExist" => pc.is_empty(),
                _ => !pc.is_empty(),
            }
        }
        "CrossNamespacePodAffinity" => {
            let a = spec.affinity.as_ref();
            let terms = a
                .and_then(|a| a.pod_affinity.as_ref())
                .into_iter()
                .flat_map(|pa| {
                    pa.required_during_scheduling_ignored_during_execution.iter().flatten().cloned().chain(
                        pa.preferred_during_scheduling_ignored_during_execution
                            .iter()
                            .flatten()
                            .map(|w| w.pod_affinity_term.clone()),
                    )
                })
                .chain(a.and_then(|a| a.pod_anti_affinity.as_ref()).into_iter().flat_map(|pa| {
                    pa.required_during_scheduling_ignored_during_execution.iter().flatten().cloned().chain(
                        pa.preferred_during_scheduling_ignored_during_execution
                            .iter()
                            .flatten()
                            .map(|w| w.pod_affinity_term.clone()),
                    )
                }));
            let mut any = false;
            for t in terms {
                any |= t.namespace_selector.is_some() || t.namespaces.as_ref().is_some_and(|n| !n.is_empty());
            }
            any
        }
        _ => false,
    }
}

/// Whether a quota covers an object: every scope in `spec.scopes` and `spec.scopeSelector`
/// must match it. Only pods match scopes (other kinds' evaluators match none), so a scoped
/// quota counts pods alone.
fn quota_matches(q: &core::ResourceQuota, obj: &Object) -> bool {
    let Some(spec) = q.spec.as_ref() else { return true };
    let plain = spec.scopes.iter().flatten().map(|s| (s.as_str(), "Exists", &[][..]));
    let selected = spec
        .scope_selector
        .as_ref()
        .and_then(|s| s.match_expressions.as_ref())
        .into_iter()
        .flatten()
        .map(|e| (e.scope_name.as_str(), e.operator.as_str(), e.values.as_deref().unwrap_or_default()));
    let mut scopes = plain.chain(selected).peekable();
    if scopes.peek().is_none() {
        return true;
    }
    let Object::Pod(p) = obj else { return false };
    scopes.all(|(scope, op, values)| pod_matches_scope(p, scope, op, values))
}

/// The ResourceQuota admission check for a new object, named `name` (a generated name's
/// prefix, as the API server reports it).
pub fn check_quota(world: &World, obj: &Object, name: &str) -> Result<(), ApiError> {
    let ns = obj.meta().namespace.clone().unwrap_or_default();
    let kind = obj.kind();
    let requested = object_usage(obj);
    for q in quotas(world, &ns) {
        let hard = q.spec.as_ref().and_then(|s| s.hard.clone()).unwrap_or_default();
        let qname = q.metadata.name.clone().unwrap_or_default();
        let keys: BTreeSet<String> = hard.keys().filter(|k| requested.contains_key(*k)).cloned().collect();
        if keys.is_empty() || !quota_matches(&q, obj) {
            continue;
        }
        // Pods must state what a quota on cpu or memory counts.
        if let Object::Pod(p) = obj {
            let validation = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];
            let required: BTreeSet<&str> = validation.iter().copied().filter(|k| hard.contains_key(*k)).collect();
            let mut missing: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
            let spec = p.spec.as_ref();
            for c in spec.iter().flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten())) {
                let res = c.resources.as_ref();
                let has_req = |r: &str| res.and_then(|x| x.requests.as_ref()).is_some_and(|m| m.contains_key(r));
                let has_lim = |r: &str| res.and_then(|x| x.limits.as_ref()).is_some_and(|m| m.contains_key(r));
                for key in &required {
                    let present = match *key {
                        "cpu" | "requests.cpu" => has_req("cpu"),
                        "memory" | "requests.memory" => has_req("memory"),
                        "limits.cpu" => has_lim("cpu"),
                        _ => has_lim("memory"),
                    };
                    if !present {
                        missing.entry(key).or_default().insert(c.name.clone());
                    }
                }
            }
            if !missing.is_empty() {
                let parts: Vec<String> = missing
                    .iter()
                    .map(|(k, cs)| format!("{k} for: {}", cs.iter().cloned().collect::<Vec<_>>().join(",")))
                    .collect();
                return Err(forbidden(kind, name, &format!("failed quota: {qname}: must specify {}", parts.join("; "))));
            }
        }
        let used = namespace_usage(world, &ns, &keys, &q);
        let mut exceeded: Vec<&String> = Vec::new();
        for k in &keys {
            let total = used.get(k).copied().unwrap_or(0) + requested.get(k).copied().unwrap_or(0);
            if total > milli(&hard[k]) {
                exceeded.push(k);
            }
        }
        if !exceeded.is_empty() {
            let req: Vec<(String, String)> = exceeded.iter().map(|k| ((*k).clone(), format_milli(k, requested[*k]))).collect();
            let usd: Vec<(String, String)> = exceeded.iter().map(|k| ((*k).clone(), format_milli(k, used[*k]))).collect();
            let lim: Vec<(String, String)> = exceeded.iter().map(|k| ((*k).clone(), hard[*k].0.clone())).collect();
            return Err(forbidden(
                kind,
                name,
                &format!(
                    "exceeded quota: {qname}, requested: {}, used: {}, limited: {}",
                    pretty(&req),
                    pretty(&usd),
                    pretty(&lim)
                ),
            ));
        }
    }
    Ok(())
}

/// The quota controller, for one ResourceQuota: `status.hard` mirrors `spec.hard` and
/// `status.used` counts what the namespace uses of each.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::ResourceQuota(q)) = world.store().get_ref(r) else { return out };
    let hard = q.spec.as_ref().and_then(|s| s.hard.clone()).unwrap_or_default();
    let keys: BTreeSet<String> = hard.keys().cloned().collect();
    let used = namespace_usage(world, &r.namespace, &keys, q);
    let status = core::ResourceQuotaStatus {
        hard: Some(hard.clone()),
        used: Some(used.iter().map(|(k, v)| (k.clone(), Quantity(format_milli(k, *v)))).collect()),
    };
    if q.status.as_ref() != Some(&status) {
        let mut q = q.clone();
        q.status = Some(status);
        out.writes.push(Write::UpdateStatus(Object::ResourceQuota(q)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_values_print_as_the_api_does() {
        assert_eq!(format_milli("requests.memory", 600 * 1024 * 1024 * 1000), "600Mi");
        assert_eq!(format_milli("limits.memory", 1024 * 1024 * 1024 * 1000), "1Gi");
        assert_eq!(format_milli("requests.cpu", 400), "400m");
        assert_eq!(format_milli("limits.cpu", 2000), "2");
        assert_eq!(format_milli("pods", 0), "0");
        assert_eq!(format_milli("pods", 2000), "2");
    }
}
