//! PodDisruptionBudgets: the disruption controller, which keeps each budget's status
//! (healthy pods, allowed disruptions), and the eviction subresource's check, which a
//! voluntary disruption (`kubectl drain`) must pass.
//!
//! Upstream: `pkg/controller/disruption/disruption.go` (trySync, getExpectedPodCount,
//! countHealthyPods, buildDisruptedPodMap) and `pkg/registry/core/pod/storage/eviction.go`.

use crate::errors::ApiError;
use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{ms_of, Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The event source of the disruption controller's events.
const COMPONENT: &str = "controllermanager";

/// How long an eviction's pod counts as disrupted while its deletion is not yet seen
/// (upstream's DeletionTimeout).
const DELETION_TIMEOUT_MS: u64 = 2 * 60 * 1000;

/// Whether the budget's selector selects these labels. In policy/v1 an empty selector
/// selects every pod of the namespace; a missing one selects none.
pub fn selects(pdb: &PodDisruptionBudget, labels: &BTreeMap<String, String>) -> bool {
    match pdb.spec.as_ref().and_then(|s| s.selector.as_ref()) {
        None => false,
        Some(sel) => crate::selectors::Selector::from_label_selector(sel).matches(labels),
    }
}

/// The budgets in the pod's namespace that select it.
pub fn budgets_for<'a>(world: &'a World, pod: &'a core::Pod) -> impl Iterator<Item = &'a PodDisruptionBudget> + 'a {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let empty = BTreeMap::new();
    let labels = pod.metadata.labels.as_ref().unwrap_or(&empty).clone();
    world.store().list(Kind::PodDisruptionBudget, Some(ns)).filter_map(move |o| match o {
        Object::PodDisruptionBudget(b) if selects(b, &labels) => Some(&**b),
        _ => None,
    })
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, roundUp)`.
fn scaled(v: &IntOrString, total: i32, round_up: bool) -> Result<i32, String> {
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let pct: i64 = s
                .strip_suffix('%')
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("invalid value for IntOrString: invalid value {s:?}: must be an integer or percentage"))?;
            let prod = pct * i64::from(total);
            let v = if round_up { (prod + 99).div_euclid(100) } else { prod.div_euclid(100) };
            Ok(i32::try_from(v).unwrap_or(i32::MAX))
        }
    }
}

/// The scale of a pod's controller, as the disruption controller's finders read it: a
/// ReplicaSet's Deployment, else the ReplicaSet, a StatefulSet or a ReplicationController. Other owners (Jobs,
/// DaemonSets) have no scale.
fn controller_scale(
    world: &World,
    ns: &str,
    owner: &k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference,
) -> Option<(String, i32)> {
    let obj = match owner.kind.as_str() {
        "ReplicaSet" => world.store().get(Kind::ReplicaSet, ns, &owner.name)?,
        "StatefulSet" => world.store().get(Kind::StatefulSet, ns, &owner.name)?,
        "ReplicationController" => world.store().get(Kind::ReplicationController, ns, &owner.name)?,
        _ => return None,
    };
    if obj.meta().uid.as_deref() != Some(owner.uid.as_str()) {
        return None;
    }
    match obj {
        Object::ReplicaSet(rs) => {
            let dep =
                rs.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true) && o.kind == "Deployment");
            if let Some(d) = dep {
                return match world.store().get(Kind::Deployment, ns, &d.name) {
                    Some(Object::Deployment(dep)) if dep.metadata.uid.as_deref() == Some(d.uid.as_str()) => {
                        Some((d.uid.clone(), dep.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)))
                    }
                    _ => None,
                };
            }
            Some((owner.uid.clone(), rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)))
        }
        Object::StatefulSet(s) => Some((owner.uid.clone(), s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))),
        Object::ReplicationController(c) => Some((owner.uid.clone(), c.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))),
        _ => None,
    }
}

/// A label selector as Go's `%v` prints it (the generated `String()` method).
pub fn go_label_selector(sel: &LabelSelector) -> String {
    let labels: String = sel.match_labels.iter().flatten().map(|(k, v)| format!("{k}: {v},")).collect();
    let exprs: String = sel
        .match_expressions
        .iter()
        .flatten()
        .map(|e| {
            format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                e.key,
                e.operator,
                e.values.clone().unwrap_or_default().join(" ")
            )
        })
        .collect();
    format!("&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}")
}

/// The pods' expected count from their controllers' scales (`getExpectedScale`), and the
/// pods that have no controller.
fn expected_scale(world: &World, ns: &str, pods: &[&core::Pod]) -> Result<(i32, Vec<String>), String> {
    let mut scales: BTreeMap<String, i32> = BTreeMap::new();
    let mut unmanaged = Vec::new();
    for p in pods {
        let name = p.metadata.name.clone().unwrap_or_default();
        let Some(owner) = p.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true)) else {
            unmanaged.push(name);
            continue;
        };
        if scales.contains_key(&owner.uid) {
            continue;
        }
        let Some((uid, scale)) = controller_scale(world, ns, owner) else {
            return Err(format!("found no controllers for pod {name:?}"));
        };
        scales.insert(uid, scale);
    }
    Ok((scales.values().sum(), unmanaged))
}

/// (expected pods, desired healthy, unmanaged pods): `getExpectedPodCount`.
fn expected_pod_count(world: &World, pdb: &PodDisruptionBudget, pods: &[&core::Pod]) -> Result<(i32, i32, Vec<String>), String> {
    let ns = pdb.metadata.namespace.as_deref().unwrap_or("");
    let spec = pdb.spec.clone().unwrap_or_default();
    if let Some(max) = &spec.max_unavailable {
        let (expected, unmanaged) = expected_scale(world, ns, pods)?;
        let max = scaled(max, expected, true)?;
        return Ok((expected, (expected - max).max(0), unmanaged));
    }
    match &spec.min_available {
        Some(IntOrString::Int(n)) => Ok((i32::try_from(pods.len()).unwrap_or(i32::MAX), *n, vec![])),
        Some(min) => {
            let (expected, unmanaged) = expected_scale(world, ns, pods)?;
            Ok((expected, scaled(min, expected, true)?, unmanaged))
        }
        None => Ok((0, 0, vec![])),
    }
}

/// The DisruptionAllowed condition for a status (`UpdateDisruptionAllowedCondition`): its
/// transition time changes only when its status does.
fn set_allowed_condition(status: &mut PodDisruptionBudgetStatus, now: &Time, failure: Option<&str>) {
    let (value, reason, message) = match failure {
        Some(m) => ("False", "SyncFailed", m.to_string()),
        None if status.disruptions_allowed > 0 => ("True", "SufficientPods", String::new()),
        None => ("False", "InsufficientPods", String::new()),
    };
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let previous = conditions.iter().position(|c| c.type_ == "DisruptionAllowed");
    let transition = match previous.map(|i| &conditions[i]) {
        Some(c) if c.status == value => c.last_transition_time.clone(),
        _ => now.clone(),
    };
    let c = Condition {
        type_: "DisruptionAllowed".into(),
        status: value.into(),
        reason: reason.into(),
        message,
        last_transition_time: transition,
        observed_generation: status.observed_generation,
    };
    match previous {
        Some(i) => conditions[i] = c,
        None => conditions.push(c),
    }
}

/// The disruption controller's sync of one budget.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::PodDisruptionBudget(pdb)) = world.store().get_ref(r) else { return out };
    if pdb.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let pods: Vec<&core::Pod> = world
        .store()
        .list(Kind::Pod, Some(&r.namespace))
        .filter_map(|o| match o {
            Object::Pod(p) if selects(pdb, p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())) => Some(&**p),
            _ => None,
        })
        .collect();
    let event = |out: &mut Outcome, ty: EventType, reason: &str, message: String| {
        out.writes.push(Write::Event { about: r.clone(), ty, reason: reason.into(), message, component: COMPONENT.into() });
    };
    if pods.is_empty() {
        event(&mut out, EventType::Normal, "NoPods", "No matching pods found".into());
    }
    let now_ms = world.now_ms();
    let now = world.now_time();
    let generation = pdb.metadata.generation;
    let mut status = pdb.status.clone().unwrap_or_default();
    match expected_pod_count(world, pdb, &pods) {
        Err(e) => {
            event(
                &mut out,
                EventType::Warning,
                "CalculateExpectedPodCountFailed",
                format!("Failed to calculate the number of expected pods: {e}"),
            );
            // failSafe: no disruptions until the budget can be computed.
            status.disruptions_allowed = 0;
            status.observed_generation = generation;
            set_allowed_condition(&mut status, &now, Some(&e));
        }
        Ok((expected, desired, unmanaged)) => {
            if !unmanaged.is_empty() {
                let sel = pdb.spec.as_ref().and_then(|s| s.selector.as_ref()).map(go_label_selector).unwrap_or_default();
                event(
                    &mut out,
                    EventType::Warning,
                    "UnmanagedPods",
                    format!("Pods selected by this PodDisruptionBudget (selector: {sel}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value."),
                );
            }
            // Evicted pods whose deletion is not yet visible stay disrupted for a while.
            let mut disrupted = BTreeMap::new();
            let mut recheck: Option<u64> = None;
            for p in &pods {
                let name = p.metadata.name.clone().unwrap_or_default();
                if p.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                if let Some(t) = status.disrupted_pods.as_ref().and_then(|m| m.get(&name)) {
                    let expires = ms_of(t) + DELETION_TIMEOUT_MS;
                    if expires > now_ms {
                        disrupted.insert(name, t.clone());
                        recheck = Some(recheck.map_or(expires, |r: u64| r.min(expires)));
                    }
                }
            }
            let healthy = pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter(|p| !disrupted.contains_key(p.metadata.name.as_deref().unwrap_or("")))
                .filter(|p| crate::replicaset::pod_ready(p))
                .count();
            let healthy = i32::try_from(healthy).unwrap_or(i32::MAX);
            let allowed = if expected <= 0 || healthy - desired <= 0 { 0 } else { healthy - desired };
            status.current_healthy = healthy;
            status.desired_healthy = desired;
            status.expected_pods = expected;
            status.disruptions_allowed = allowed;
            status.disrupted_pods = if disrupted.is_empty() { None } else { Some(disrupted) };
            status.observed_generation = generation;
            set_allowed_condition(&mut status, &now, None);
            out.requeue_after_ms = recheck.map(|t| t.saturating_sub(now_ms));
        }
    }
    if pdb.status.as_ref() != Some(&status) {
        let mut next = (**pdb).clone();
        next.status = Some(status);
        out.writes.push(Write::UpdateStatus(Object::PodDisruptionBudget(Box::new(next))));
    }
    out
}

/// Why an eviction is refused, as the API answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvictionRefused {
    /// 429: the budget allows no disruption now; the caller may retry. The cause names the
    /// budget's numbers.
    TooManyRequests { cause: String },
    /// 500: more than one budget selects the pod.
    MultipleBudgets,
    /// Other API errors (the pod is gone).
    Api(ApiError),
}

impl EvictionRefused {
    /// The error's message, as `kubectl` prints an API error's.
    pub fn message(&self) -> String {
        match self {
            EvictionRefused::TooManyRequests { .. } => "Cannot evict pod as it would violate the pod's disruption budget.".into(),
            EvictionRefused::MultipleBudgets => {
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into()
            }
            EvictionRefused::Api(e) => e.message.clone(),
        }
    }
}

impl World {
    /// The eviction subresource (`POST pods/NAME/eviction`): deletes the pod if its
    /// disruption budget allows, and records the disruption on the budget.
    pub fn evict(&mut self, r: &ObjRef, options: crate::DeleteOptions) -> Result<(), EvictionRefused> {
        let Some(Object::Pod(pod)) = self.store().get_ref(r) else {
            return Err(EvictionRefused::Api(ApiError::not_found(Kind::Pod, &r.name)));
        };
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
        // Pods that are not running, or already going, are deleted without a budget check.
        let ignore_budget = matches!(phase, "Succeeded" | "Failed" | "Pending") || pod.metadata.deletion_timestamp.is_some();
        let budgets: Vec<ObjRef> = if ignore_budget {
            vec![]
        } else {
            budgets_for(self, pod)
                .map(|b| ObjRef::new(Kind::PodDisruptionBudget, &r.namespace, b.metadata.name.as_deref().unwrap_or("")))
                .collect()
        };
        let ready = crate::replicaset::pod_ready(pod);
        if budgets.len() > 1 {
            return Err(EvictionRefused::MultipleBudgets);
        }
        if let Some(b) = budgets.first() {
            let Some(Object::PodDisruptionBudget(pdb)) = self.store().get_ref(b) else {
                return Err(EvictionRefused::Api(ApiError::not_found(Kind::PodDisruptionBudget, &b.name)));
            };
            let status = pdb.status.clone().unwrap_or_default();
            let always = pdb.spec.as_ref().and_then(|s| s.unhealthy_pod_eviction_policy.as_deref()) == Some("AlwaysAllow");
            // An unready pod may go while the budget is met (IfHealthyBudget), or always.
            let unhealthy_ok =
                !ready && (always || (status.current_healthy >= status.desired_healthy && status.desired_healthy > 0));
            if !unhealthy_ok {
                let name = b.name.clone();
                if status.observed_generation < pdb.metadata.generation {
                    return Err(EvictionRefused::TooManyRequests {
                        cause: format!("The disruption budget {name} is still being processed by the server."),
                    });
                }
                if status.disruptions_allowed <= 0 {
                    return Err(EvictionRefused::TooManyRequests {
                        cause: format!(
                            "The disruption budget {name} needs {} healthy pods and has {} currently",
                            status.desired_healthy, status.current_healthy
                        ),
                    });
                }
                let mut next = (**pdb).clone();
                let mut st = status;
                st.disruptions_allowed -= 1;
                if st.disruptions_allowed == 0 {
                    set_allowed_condition(&mut st, &self.now_time(), None);
                }
                st.disrupted_pods.get_or_insert_with(BTreeMap::new).insert(r.name.clone(), self.now_time());
                next.status = Some(st);
                self.update_status(Object::PodDisruptionBudget(Box::new(next))).map_err(EvictionRefused::Api)?;
            }
        }
        // The pod is marked as the target of a disruption before it goes.
        if let Some(Object::Pod(pod)) = self.store().get_ref(r) {
            if !ignore_budget {
                let mut status = pod.status.clone().unwrap_or_default();
                let conditions = status.conditions.get_or_insert_with(Vec::new);
                conditions.retain(|c| c.type_ != "DisruptionTarget");
                conditions.push(core::PodCondition {
                    type_: "DisruptionTarget".into(),
                    status: "True".into(),
                    reason: Some("EvictionByEvictionAPI".into()),
                    message: Some("Eviction API: evicting".into()),
                    last_transition_time: Some(self.now_time()),
                    observed_generation: pod.metadata.generation,
                    ..Default::default()
                });
                self.update_pod_status(r, status).map_err(EvictionRefused::Api)?;
            }
        }
        self.delete(r, options).map(|_| ()).map_err(EvictionRefused::Api)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_up_as_upstream() {
        assert_eq!(scaled(&IntOrString::String("50%".into()), 3, true), Ok(2));
        assert_eq!(scaled(&IntOrString::String("34%".into()), 3, true), Ok(2));
        assert_eq!(scaled(&IntOrString::String("100%".into()), 3, true), Ok(3));
        assert_eq!(scaled(&IntOrString::Int(1), 3, true), Ok(1));
        assert!(scaled(&IntOrString::String("half".into()), 3, true).is_err());
    }
}
