//! The HorizontalPodAutoscaler controller: every sync it reads the target's scale, computes
//! the replicas its Resource metrics (cpu, memory from `metrics.rs`) ask for, stabilizes
//! scale-downs over the last 5 minutes of recommendations, clamps to the HPA's range, and
//! rescales the target.
//!
//! Upstream: `pkg/controller/podautoscaler/horizontal.go` (reconcileAutoscaler,
//! normalizeDesiredReplicas, convertDesiredReplicasWithRules) and `replica_calculator.go`
//! (GetResourceReplicas). Simplified: syncs run when the HPA or the pods of its namespace
//! change and while a result is still moving (new pods not yet scraped, a stabilization
//! window open, a rescale just made), every 15 s, rather than every 15 s forever; Pods,
//! Object and External metrics are not simulated; `behavior` sets the stabilization
//! windows, its rate policies are not applied (the legacy scale-up limit is).

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::autoscaling::v2 as hpa;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_MS: u64 = 15_000;
/// `--horizontal-pod-autoscaler-tolerance`.
const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-downscale-stabilization`.
const DOWNSCALE_WINDOW_MS: u64 = 300_000;
const COMPONENT: &str = "horizontal-pod-autoscaler";

/// One metric's proposal: replicas, the metric's name for messages, and its status.
struct Proposal {
    replicas: i32,
    name: String,
    status: hpa::MetricStatus,
}

/// The target's scale: replicas, selector, and the kind for messages.
type Scale = (i32, Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>);

fn target_scale(world: &World, ns: &str, r: &hpa::CrossVersionObjectReference) -> Result<Scale, String> {
    let kind = match r.kind.as_str() {
        "Deployment" => Kind::Deployment,
        "ReplicaSet" => Kind::ReplicaSet,
        "ReplicationController" => Kind::ReplicationController,
        "StatefulSet" => Kind::StatefulSet,
        other => return Err(format!("the server could not find the requested resource ({other} has no scale subresource)")),
    };
    match world.store().get(kind, ns, &r.name) {
        Some(Object::Deployment(d)) => {
            let s = d.spec.clone().unwrap_or_default();
            Ok((s.replicas.unwrap_or(1), Some(s.selector)))
        }
        Some(Object::ReplicaSet(x)) => {
            let s = x.spec.clone().unwrap_or_default();
            Ok((s.replicas.unwrap_or(1), Some(s.selector)))
        }
        Some(Object::StatefulSet(x)) => {
            let s = x.spec.clone().unwrap_or_default();
            Ok((s.replicas.unwrap_or(1), Some(s.selector)))
        }
        Some(Object::ReplicationController(x)) => {
            let s = x.spec.clone().unwrap_or_default();
            let selector = k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
                match_labels: s.selector,
                match_expressions: None,
            };
            Ok((s.replicas.unwrap_or(1), Some(selector)))
        }
        _ => Err(format!("{}.{} {:?} not found", kind.info().plural, kind.info().group, r.name)),
    }
}

/// The usage of one resource: cpu in millicores, memory in bytes.
fn resource_usage(u: crate::metrics::Usage, name: &str) -> i64 {
    if name == "cpu" {
        i64::try_from(u.cpu_m).unwrap_or(i64::MAX)
    } else {
        i64::try_from(u.memory).unwrap_or(i64::MAX)
    }
}

/// A pod's request of one resource (cpu in m, memory in bytes), or the container that sets none.
fn pod_request(p: &core::Pod, name: &str) -> Result<i64, String> {
    let mut total = 0;
    for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
        let r = crate::resources::container_requests(c, false);
        let v = if name == "cpu" { r.cpu_m } else { r.mem };
        if v == 0 {
            return Err(format!(
                "missing request for {name} in container {} of Pod {}",
                c.name,
                p.metadata.name.as_deref().unwrap_or("")
            ));
        }
        total += v;
    }
    Ok(total)
}

/// A quantity as the metrics API writes it: millicores for cpu, bytes for memory.
fn quantity(name: &str, v: i64) -> Quantity {
    if name == "cpu" {
        Quantity(crate::quota::format_milli("requests.cpu", i128::from(v)))
    } else {
        Quantity(crate::quota::format_milli("memory", i128::from(v) * 1000))
    }
}

/// GetResourceReplicas / GetRawResourceReplicas for one Resource metric.
fn resource_proposal(
    world: &World,
    pods: &[&core::Pod],
    current: i32,
    metric: &hpa::ResourceMetricSource,
) -> Result<Proposal, String> {
    let name = metric.name.as_str();
    let wrap = |e: String| format!("failed to get {name} utilization: {e}");
    if !crate::metrics::api_available(world) {
        return Err(wrap(format!(
            "unable to get metrics for resource {name}: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)"
        )));
    }
    if pods.is_empty() {
        return Err(wrap("no pods returned by selector while calculating replica count".into()));
    }
    // groupPods: ready pods with metrics count; pending and unready ones do not; pods
    // without metrics are missing.
    let mut ready: Vec<(i64, i64)> = Vec::new();
    let mut missing: Vec<i64> = Vec::new();
    let mut unready: Vec<i64> = Vec::new();
    let mut any_metrics = false;
    for p in pods {
        let request = pod_request(p, name);
        let usage = crate::metrics::pod(world, p);
        any_metrics |= usage.is_some();
        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
        let req = match (&request, metric.target.type_.as_str()) {
            (Ok(r), _) => *r,
            (Err(e), "Utilization") if usage.is_some() => return Err(wrap(e.clone())),
            _ => 0,
        };
        match usage {
            None => missing.push(req),
            Some(_) if phase == "Pending" || !crate::replicaset::pod_ready(p) => unready.push(req),
            Some(u) => ready.push((resource_usage(u, name), req)),
        }
    }
    if !any_metrics {
        return Err(wrap(format!("unable to get metrics for resource {name}: no metrics returned from resource metrics API")));
    }
    if ready.is_empty() {
        return Err(wrap("did not receive metrics for targeted pods (pods might be unready)".into()));
    }
    let usage: i64 = ready.iter().map(|(u, _)| u).sum();
    let requests: i64 = ready.iter().map(|(_, r)| r).sum();
    let count = ready.len() as f64;
    let average = usage / i64::try_from(ready.len()).unwrap_or(1);
    let (ratio, target_of, current_status) = match metric.target.type_.as_str() {
        "AverageValue" => {
            let target = metric.target.average_value.as_ref().and_then(|q| crate::quantity::parse(&q.0)).unwrap_or(0);
            let target = if name == "cpu" { target as f64 } else { target as f64 / 1000.0 };
            let ratio = if target > 0.0 { average as f64 / target } else { 0.0 };
            (ratio, target, hpa::MetricValueStatus { average_value: Some(quantity(name, average)), ..Default::default() })
        }
        _ => {
            let target = f64::from(metric.target.average_utilization.unwrap_or(80));
            let utilization = if requests > 0 { usage * 100 / requests } else { 0 };
            let status = hpa::MetricValueStatus {
                average_utilization: Some(i32::try_from(utilization).unwrap_or(i32::MAX)),
                average_value: Some(quantity(name, average)),
                ..Default::default()
            };
            (utilization as f64 / target, target, status)
        }
    };
    let within = |r: f64| (r - 1.0).abs() <= TOLERANCE;
    let replicas = if missing.is_empty() && (unready.is_empty() || ratio <= 1.0) {
        if within(ratio) {
            current
        } else {
            (ratio * count).ceil() as i32
        }
    } else {
        // Missing pods count as at their target when scaling down and as idle when scaling
        // up; unready ones as idle when scaling up.
        let mut usage = usage as f64;
        let mut requests = requests as f64;
        let mut n = count;
        let utilization_target = metric.target.type_ != "AverageValue";
        for req in &missing {
            n += 1.0;
            requests += *req as f64;
            if ratio < 1.0 {
                usage += if utilization_target { *req as f64 * target_of.max(100.0) / 100.0 } else { target_of };
            }
        }
        if ratio > 1.0 {
            for req in &unready {
                n += 1.0;
                requests += *req as f64;
            }
        }
        let new_ratio = if utilization_target {
            if requests > 0.0 {
                (usage * 100.0 / requests) / target_of
            } else {
                0.0
            }
        } else if target_of > 0.0 {
            usage / n / target_of
        } else {
            0.0
        };
        if within(new_ratio) || (ratio > 1.0 && new_ratio < 1.0) || (ratio < 1.0 && new_ratio > 1.0) {
            current
        } else {
            (new_ratio * n).ceil() as i32
        }
    };
    let described = if metric.target.type_ == "AverageValue" {
        format!("{name} resource")
    } else {
        format!("{name} resource utilization (percentage of request)")
    };
    Ok(Proposal {
        replicas,
        name: described,
        status: hpa::MetricStatus {
            type_: "Resource".into(),
            resource: Some(hpa::ResourceMetricStatus { name: name.into(), current: current_status }),
            ..Default::default()
        },
    })
}

/// Sets a condition in the list, keeping its transition time while its status holds.
fn set_condition(
    list: &mut Vec<hpa::HorizontalPodAutoscalerCondition>,
    world: &World,
    ty: &str,
    status: &str,
    reason: &str,
    message: String,
) {
    let previous = list.iter().position(|c| c.type_ == ty);
    let transition = match previous.map(|i| &list[i]) {
        Some(c) if c.status == status => c.last_transition_time.clone(),
        _ => Some(world.now_time()),
    };
    let c = hpa::HorizontalPodAutoscalerCondition {
        type_: ty.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_transition_time: transition,
    };
    match previous {
        Some(i) => list[i] = c,
        None => list.push(c),
    }
}

/// One sync of one HPA.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::HorizontalPodAutoscaler(h)) = world.store().get_ref(r) else { return out };
    if h.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let spec = h.spec.clone().unwrap_or_default();
    let now = world.now_ms();
    let mut status = h.status.clone().unwrap_or_default();
    let mut conditions = status.conditions.take().unwrap_or_default();
    let event = |out: &mut Outcome, ty: EventType, reason: &str, message: String| {
        out.writes.push(Write::Event { about: r.clone(), ty, reason: reason.into(), message, component: COMPONENT.into() });
    };
    let (current, selector) = match target_scale(world, &r.namespace, &spec.scale_target_ref) {
        Ok(s) => s,
        Err(e) => {
            event(&mut out, EventType::Warning, "FailedGetScale", e.clone());
            set_condition(
                &mut conditions,
                world,
                "AbleToScale",
                "False",
                "FailedGetScale",
                format!("the HPA controller was unable to get the target's current scale: {e}"),
            );
            status.conditions = Some(conditions);
            push_status(&mut out, h, status);
            return out;
        }
    };
    set_condition(
        &mut conditions,
        world,
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".into(),
    );
    let min = spec.min_replicas.unwrap_or(1);
    let max = spec.max_replicas;
    let mut recommendations = world.hpa_recommendations(r).to_vec();
    if recommendations.is_empty() {
        // recordInitialRecommendation: the current size counts as the first recommendation.
        recommendations.push((now, current));
    }
    let mut requeue = false;
    let mut rescale_reason = String::new();
    let desired;
    if current == 0 && min != 0 {
        set_condition(
            &mut conditions,
            world,
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".into(),
        );
        desired = 0;
    } else if current > max {
        rescale_reason = "Current number of replicas above Spec.MaxReplicas".into();
        desired = max;
    } else if current < min {
        rescale_reason = "Current number of replicas below Spec.MinReplicas".into();
        desired = min;
    } else {
        let sel = selector.as_ref().map(crate::selectors::Selector::from_label_selector).unwrap_or_default();
        let pods: Vec<&core::Pod> = world
            .store()
            .list(Kind::Pod, Some(&r.namespace))
            .filter_map(|o| match o {
                Object::Pod(p) => Some(&**p),
                _ => None,
            })
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Failed"))
            .filter(|p| !sel.0.is_empty() && sel.matches(p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())))
            .collect();
        // Pods not yet scraped: their metrics arrive within a resolution period.
        requeue |= pods.iter().any(|p| {
            crate::metrics::pod(world, p).is_none() && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
        });
        let metrics = spec.metrics.clone().unwrap_or_default();
        let mut proposals: Vec<Proposal> = Vec::new();
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut statuses = Vec::new();
        for m in &metrics {
            match (m.type_.as_str(), &m.resource) {
                ("Resource", Some(res)) => match resource_proposal(world, &pods, current, res) {
                    Ok(p) => {
                        statuses.push(p.status.clone());
                        proposals.push(p);
                    }
                    Err(e) => {
                        statuses.push(hpa::MetricStatus::default());
                        errors.push(("FailedGetResourceMetric".into(), e));
                    }
                },
                (other, _) => {
                    statuses.push(hpa::MetricStatus::default());
                    errors.push((
                        format!("FailedGet{other}Metric"),
                        format!("kubeplay simulates Resource metrics (cpu, memory) only; a {other} metric has no source here"),
                    ));
                }
            }
        }
        status.current_metrics = Some(statuses);
        for (reason, e) in &errors {
            event(&mut out, EventType::Warning, reason, e.clone());
        }
        if proposals.is_empty() {
            let (reason, first) = errors.first().cloned().unwrap_or_default();
            set_condition(
                &mut conditions,
                world,
                "ScalingActive",
                "False",
                &reason,
                format!("the HPA was unable to compute the replica count: {first}"),
            );
            event(
                &mut out,
                EventType::Warning,
                "FailedComputeMetricsReplicas",
                format!(
                    "invalid metrics ({} invalid out of {}), first error is: failed to get {} resource metric value: {first}",
                    errors.len(),
                    metrics.len(),
                    first_resource_name(&metrics)
                ),
            );
            status.current_replicas = Some(current);
            status.conditions = Some(conditions);
            push_status(&mut out, h, status);
            if requeue {
                out.requeue_after_ms = Some(SYNC_MS);
            }
            return out;
        }
        let best =
            proposals.iter().max_by_key(|p| p.replicas).map(|p| (p.replicas, p.name.clone())).unwrap_or((current, String::new()));
        set_condition(
            &mut conditions,
            world,
            "ScalingActive",
            "True",
            "ValidMetricFound",
            format!("the HPA was able to successfully calculate a replica count from {}", best.1),
        );
        let proposal = best.0;
        // normalizeDesiredReplicas: the highest recommendation of the window wins.
        let window = spec
            .behavior
            .as_ref()
            .and_then(|b| b.scale_down.as_ref())
            .and_then(|d| d.stabilization_window_seconds)
            .map_or(DOWNSCALE_WINDOW_MS, |s| u64::try_from(s.max(0)).unwrap_or(0) * 1000);
        recommendations.retain(|(t, _)| t + window > now);
        recommendations.push((now, proposal));
        let stabilized = recommendations.iter().map(|(_, n)| *n).max().unwrap_or(proposal);
        if stabilized != proposal {
            set_condition(
                &mut conditions,
                world,
                "AbleToScale",
                "True",
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation".into(),
            );
            requeue = true;
        } else {
            set_condition(
                &mut conditions,
                world,
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size".into(),
            );
        }
        // convertDesiredReplicasWithRules.
        let scale_up_limit = (2 * current).max(4);
        let (upper, upper_reason, upper_message) = if max > scale_up_limit {
            (scale_up_limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
        } else {
            (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
        };
        desired = if stabilized < min {
            set_condition(
                &mut conditions,
                world,
                "ScalingLimited",
                "True",
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count".into(),
            );
            min
        } else if stabilized > upper {
            set_condition(&mut conditions, world, "ScalingLimited", "True", upper_reason, upper_message.into());
            upper
        } else {
            set_condition(
                &mut conditions,
                world,
                "ScalingLimited",
                "False",
                "DesiredWithinRange",
                "the desired count is within the acceptable range".into(),
            );
            stabilized
        };
        if desired > current {
            rescale_reason = format!("{} above target", best.1);
        } else if desired < current {
            rescale_reason = "All metrics below target".into();
        }
    }
    out.writes.push(Write::HpaRecommendations(r.clone(), recommendations));
    if desired != current {
        if let Some(target) = scaled_target(world, &r.namespace, &spec.scale_target_ref, desired) {
            out.writes.push(Write::Update(target));
            set_condition(
                &mut conditions,
                world,
                "AbleToScale",
                "True",
                "SucceededRescale",
                format!("the HPA controller was able to update the target scale to {desired}"),
            );
            event(&mut out, EventType::Normal, "SuccessfulRescale", format!("New size: {desired}; reason: {rescale_reason}"));
            status.last_scale_time = Some(world.now_time());
            requeue = true;
        }
    }
    status.current_replicas = Some(current);
    status.desired_replicas = desired;
    status.conditions = Some(conditions);
    push_status(&mut out, h, status);
    if requeue {
        out.requeue_after_ms = Some(SYNC_MS);
    }
    out
}

fn first_resource_name(metrics: &[hpa::MetricSpec]) -> String {
    metrics.iter().find_map(|m| m.resource.as_ref().map(|r| r.name.clone())).unwrap_or_else(|| "cpu".into())
}

fn push_status(out: &mut Outcome, h: &hpa::HorizontalPodAutoscaler, status: hpa::HorizontalPodAutoscalerStatus) {
    if h.status.as_ref() != Some(&status) {
        let mut next = h.clone();
        next.status = Some(status);
        out.writes.push(Write::UpdateStatus(Object::HorizontalPodAutoscaler(Box::new(next))));
    }
}

/// The target with its replicas set (the scale subresource's write).
fn scaled_target(world: &World, ns: &str, r: &hpa::CrossVersionObjectReference, replicas: i32) -> Option<Object> {
    let kind = match r.kind.as_str() {
        "Deployment" => Kind::Deployment,
        "ReplicaSet" => Kind::ReplicaSet,
        "ReplicationController" => Kind::ReplicationController,
        "StatefulSet" => Kind::StatefulSet,
        _ => return None,
    };
    let mut obj = world.store().get(kind, ns, &r.name)?.clone();
    match &mut obj {
        Object::Deployment(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
        Object::ReplicaSet(x) => x.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
        Object::StatefulSet(x) => x.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
        Object::ReplicationController(x) => x.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
        _ => return None,
    }
    Some(obj)
}
