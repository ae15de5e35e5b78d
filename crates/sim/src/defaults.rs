//! Defaulting, as the API server's `SetDefaults_*` functions and admission plugins apply it
//! before validation (`pkg/apis/*/v1/defaults.go`).

use crate::kinds::Object;
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Applies every default for the object's kind, in place. Idempotent.
pub fn apply(obj: &mut Object) {
    match obj {
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_mut() {
                pod_spec(spec);
                pod_admission(spec);
            }
        }
        Object::PriorityClass(pc) => {
            pc.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
        }
        Object::Deployment(d) => {
            if let Some(spec) = d.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                spec.revision_history_limit.get_or_insert(10);
                spec.progress_deadline_seconds.get_or_insert(600);
                let strategy = spec.strategy.get_or_insert_with(Default::default);
                let ty = strategy.type_.get_or_insert_with(|| "RollingUpdate".into());
                if ty == "RollingUpdate" {
                    let ru = strategy.rolling_update.get_or_insert_with(Default::default);
                    ru.max_surge.get_or_insert(IntOrString::String("25%".into()));
                    ru.max_unavailable.get_or_insert(IntOrString::String("25%".into()));
                }
                template(&mut spec.template);
            }
        }
        Object::ReplicaSet(rs) => {
            if let Some(spec) = rs.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                if let Some(t) = spec.template.as_mut() {
                    template(t);
                }
            }
        }
        Object::ReplicationController(rc) => {
            // SetDefaults_ReplicationController: the template's labels are the selector and
            // the labels when those are empty.
            let spec = rc.spec.get_or_insert_with(Default::default);
            let labels = spec.template.as_ref().and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.clone());
            if let Some(labels) = labels {
                if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
                    spec.selector = Some(labels.clone());
                }
                if rc.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
                    rc.metadata.labels = Some(labels);
                }
            }
            spec.replicas.get_or_insert(1);
            if let Some(t) = spec.template.as_mut() {
                template(t);
            }
        }
        Object::StatefulSet(s) => {
            if let Some(spec) = s.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                spec.revision_history_limit.get_or_insert(10);
                spec.pod_management_policy.get_or_insert_with(|| "OrderedReady".into());
                let us = spec.update_strategy.get_or_insert_with(Default::default);
                let ty = us.type_.get_or_insert_with(|| "RollingUpdate".into());
                if ty == "RollingUpdate" {
                    us.rolling_update.get_or_insert_with(Default::default).partition.get_or_insert(0);
                }
                let pol = spec.persistent_volume_claim_retention_policy.get_or_insert_with(Default::default);
                pol.when_deleted.get_or_insert_with(|| "Retain".into());
                pol.when_scaled.get_or_insert_with(|| "Retain".into());
                for pvc in spec.volume_claim_templates.iter_mut().flatten() {
                    if let Some(s) = pvc.spec.as_mut() {
                        s.volume_mode.get_or_insert_with(|| "Filesystem".into());
                        if let Some(r) = s.resources.as_mut() {
                            canonical_quantities(&mut r.requests);
                        }
                    }
                }
                template(&mut spec.template);
            }
        }
        Object::DaemonSet(ds) => {
            if let Some(spec) = ds.spec.as_mut() {
                spec.revision_history_limit.get_or_insert(10);
                let us = spec.update_strategy.get_or_insert_with(Default::default);
                let ty = us.type_.get_or_insert_with(|| "RollingUpdate".into());
                if ty == "RollingUpdate" {
                    let ru: &mut apps::RollingUpdateDaemonSet = us.rolling_update.get_or_insert_with(Default::default);
                    ru.max_unavailable.get_or_insert(IntOrString::Int(1));
                    ru.max_surge.get_or_insert(IntOrString::Int(0));
                }
                template(&mut spec.template);
            }
        }
        Object::Job(j) => {
            if let Some(spec) = j.spec.as_mut() {
                job_spec(spec);
            }
        }
        Object::CronJob(c) => {
            if let Some(spec) = c.spec.as_mut() {
                spec.concurrency_policy.get_or_insert_with(|| "Allow".into());
                spec.suspend.get_or_insert(false);
                spec.successful_jobs_history_limit.get_or_insert(3);
                spec.failed_jobs_history_limit.get_or_insert(1);
                // Only the pod template is defaulted here: SetDefaults_Job applies to Job
                // objects, so a CronJob's job template keeps parallelism etc. unset.
                if let Some(js) = spec.job_template.spec.as_mut() {
                    template(&mut js.template);
                }
            }
        }
        Object::Service(s) => {
            if let Some(spec) = s.spec.as_mut() {
                service_spec(spec);
            }
        }
        Object::Secret(s) => {
            s.type_.get_or_insert_with(|| "Opaque".into());
            // The API server folds stringData into data (stringData wins) and drops it.
            if let Some(sd) = s.string_data.take() {
                let data = s.data.get_or_insert_with(Default::default);
                for (k, v) in sd {
                    data.insert(k, k8s_openapi::ByteString(v.into_bytes()));
                }
            }
        }
        Object::LimitRange(l) => {
            for item in l.spec.iter_mut().flat_map(|s| s.limits.iter_mut()) {
                canonical_quantities(&mut item.min);
                canonical_quantities(&mut item.max);
                canonical_quantities(&mut item.default);
                canonical_quantities(&mut item.default_request);
            }
            crate::quota::default_limit_range(l);
        }
        Object::ResourceQuota(q) => {
            if let Some(spec) = q.spec.as_mut() {
                canonical_quantities(&mut spec.hard);
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            if let Some(spec) = pvc.spec.as_mut() {
                spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
                if let Some(r) = spec.resources.as_mut() {
                    canonical_quantities(&mut r.requests);
                    canonical_quantities(&mut r.limits);
                }
            }
        }
        Object::PersistentVolume(pv) => {
            if let Some(spec) = pv.spec.as_mut() {
                canonical_quantities(&mut spec.capacity);
                spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
                spec.persistent_volume_reclaim_policy.get_or_insert_with(|| "Retain".into());
            }
        }
        Object::HorizontalPodAutoscaler(h) => {
            // autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: one replica at least, CPU
            // at 80% when no metric is given, and behavior's rules only where it is set.
            use k8s_openapi::api::autoscaling::v2 as hpa;
            let spec = h.spec.get_or_insert_with(Default::default);
            spec.min_replicas.get_or_insert(1);
            if spec.metrics.as_ref().is_none_or(Vec::is_empty) {
                spec.metrics = Some(vec![hpa::MetricSpec {
                    type_: "Resource".into(),
                    resource: Some(hpa::ResourceMetricSource {
                        name: "cpu".into(),
                        target: hpa::MetricTarget {
                            type_: "Utilization".into(),
                            average_utilization: Some(80),
                            ..Default::default()
                        },
                    }),
                    ..Default::default()
                }]);
            }
            if let Some(b) = spec.behavior.as_mut() {
                let policy = |ty: &str, value: i32| hpa::HPAScalingPolicy { type_: ty.into(), value, period_seconds: 15 };
                let up = b.scale_up.get_or_insert_with(Default::default);
                up.stabilization_window_seconds.get_or_insert(0);
                up.select_policy.get_or_insert_with(|| "Max".into());
                up.policies.get_or_insert_with(|| vec![policy("Pods", 4), policy("Percent", 100)]);
                let down = b.scale_down.get_or_insert_with(Default::default);
                down.select_policy.get_or_insert_with(|| "Max".into());
                down.policies.get_or_insert_with(|| vec![policy("Percent", 100)]);
            }
        }
        Object::NetworkPolicy(n) => {
            // SetDefaults_NetworkPolicy: Ingress always, Egress when egress rules exist;
            // ports default to TCP.
            let spec = n.spec.get_or_insert_with(Default::default);
            if spec.policy_types.as_ref().is_none_or(Vec::is_empty) {
                let mut types = vec!["Ingress".to_string()];
                if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
                    types.push("Egress".into());
                }
                spec.policy_types = Some(types);
            }
            let ingress_ports = spec.ingress.iter_mut().flatten().flat_map(|r| r.ports.iter_mut().flatten());
            let egress_ports = spec.egress.iter_mut().flatten().flat_map(|r| r.ports.iter_mut().flatten());
            for p in ingress_ports.chain(egress_ports) {
                p.protocol.get_or_insert_with(|| "TCP".into());
            }
        }
        _ => {}
    }
}

fn job_spec(spec: &mut k8s_openapi::api::batch::v1::JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    // With backoffLimitPerIndex, the global limit is effectively off (MaxInt32).
    let per_index = spec.backoff_limit_per_index.is_some();
    spec.backoff_limit.get_or_insert(if per_index { i32::MAX } else { 6 });
    spec.completion_mode.get_or_insert_with(|| "NonIndexed".into());
    spec.suspend.get_or_insert(false);
    let policy = if spec.pod_failure_policy.is_some() { "Failed" } else { "TerminatingOrFailed" };
    spec.pod_replacement_policy.get_or_insert_with(|| policy.into());
    template(&mut spec.template);
}

fn template(t: &mut core::PodTemplateSpec) {
    if let Some(spec) = t.spec.as_mut() {
        pod_spec(spec);
    }
}

/// `SetDefaults_PodSpec` and the container defaults; applies to pods and pod templates.
pub fn pod_spec(spec: &mut core::PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(Default::default);
    for c in spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut()) {
        container(c);
    }
    // SetDefaults_EphemeralContainer: the container defaults, on the fields they share.
    for e in spec.ephemeral_containers.iter_mut().flatten() {
        let mut c = crate::kubelet::ephemeral_as_container(e);
        container(&mut c);
        e.resources = c.resources;
        e.image_pull_policy = c.image_pull_policy;
        e.termination_message_path = c.termination_message_path;
        e.termination_message_policy = c.termination_message_policy;
        e.ports = c.ports;
    }
    for v in spec.volumes.iter_mut().flatten() {
        if let Some(cm) = v.config_map.as_mut() {
            cm.default_mode.get_or_insert(0o644);
        }
        if let Some(s) = v.secret.as_mut() {
            s.default_mode.get_or_insert(0o644);
        }
        if let Some(hp) = v.host_path.as_mut() {
            hp.type_.get_or_insert_with(String::new);
        }
    }
}

/// What admission adds to pods (not templates): the service account, priority, and the
/// DefaultTolerationSeconds tolerations.
fn pod_admission(spec: &mut core::PodSpec) {
    // SetDefaults_Pod: requests default to limits when only limits are set.
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        if let Some(res) = c.resources.as_mut() {
            if let Some(limits) = res.limits.clone() {
                let req = res.requests.get_or_insert_with(Default::default);
                for (k, v) in limits {
                    req.entry(k).or_insert(v);
                }
            }
        }
    }
    spec.service_account_name.get_or_insert_with(|| "default".into());
    // The deprecated `serviceAccount` mirrors `serviceAccountName`, as the API server's
    // conversion keeps it.
    if spec.service_account.as_deref().is_none_or(str::is_empty) {
        spec.service_account = spec.service_account_name.clone();
    }
    spec.enable_service_links.get_or_insert(true);
    // Priority and preemptionPolicy come from the Priority admission plugin
    // (`World::admit_priority`), which looks up the pod's PriorityClass.
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let present =
            tolerations.iter().any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref().is_none_or(|e| e == "NoExecute"));
        if !present {
            tolerations.push(core::Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// The image's tag, or `None` when it has none (`nginx`, `nginx@sha256:..` has a digest).
pub fn image_tag(image: &str) -> Option<&str> {
    let (name, _digest) = image.split_once('@').unwrap_or((image, ""));
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, t)| t)
}

/// Quantities as the API server stores them (`0.5` → `500m`, `1024Mi` → `1Gi`).
fn canonical_quantities(
    m: &mut Option<std::collections::BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) {
    for q in m.iter_mut().flat_map(|m| m.values_mut()) {
        if let Some(c) = crate::quantity::canonical(&q.0) {
            q.0 = c;
        }
    }
}

fn container(c: &mut core::Container) {
    // `resources` is a struct, not a pointer, in the Go type: the API always returns it,
    // as `resources: {}` when nothing is set.
    let r = c.resources.get_or_insert_with(Default::default);
    canonical_quantities(&mut r.requests);
    canonical_quantities(&mut r.limits);
    c.image_pull_policy.get_or_insert_with(|| {
        let image = c.image.as_deref().unwrap_or("");
        let has_digest = image.contains('@');
        match image_tag(image) {
            _ if has_digest => "IfNotPresent".into(),
            None | Some("latest") => "Always".into(),
            Some(_) => "IfNotPresent".into(),
        }
    });
    c.termination_message_path.get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy.get_or_insert_with(|| "File".into());
    for p in c.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
    for probe in [c.liveness_probe.as_mut(), c.readiness_probe.as_mut(), c.startup_probe.as_mut()].into_iter().flatten() {
        probe.timeout_seconds.get_or_insert(1);
        probe.period_seconds.get_or_insert(10);
        probe.success_threshold.get_or_insert(1);
        probe.failure_threshold.get_or_insert(3);
        if let Some(h) = probe.http_get.as_mut() {
            h.path.get_or_insert_with(|| "/".into());
            h.scheme.get_or_insert_with(|| "HTTP".into());
        }
        if let Some(g) = probe.grpc.as_mut() {
            g.service.get_or_insert_with(String::new);
        }
    }
}

fn service_spec(spec: &mut core::ServiceSpec) {
    let ty = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    if ty == "ExternalName" {
        return;
    }
    spec.session_affinity.get_or_insert_with(|| "None".into());
    spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
    if ty == "NodePort" || ty == "LoadBalancer" {
        spec.external_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if ty == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
    spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
        p.target_port.get_or_insert(IntOrString::Int(p.port));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_tag() {
        let mut c = core::Container { image: Some("nginx".into()), ..Default::default() };
        container(&mut c);
        assert_eq!(c.image_pull_policy.as_deref(), Some("Always"));
        let mut c = core::Container { image: Some("nginx:1.25".into()), ..Default::default() };
        container(&mut c);
        assert_eq!(c.image_pull_policy.as_deref(), Some("IfNotPresent"));
        let mut c = core::Container { image: Some("localhost:5000/app".into()), ..Default::default() };
        container(&mut c);
        assert_eq!(c.image_pull_policy.as_deref(), Some("Always"));
    }
}
