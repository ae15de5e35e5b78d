//! Table rows for `kubectl get`, column for column as kubectl's printers (`printers.go`)
//! make them, including `-o wide` columns.

use crate::duration::human;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_sim::world::ms_of;
use kubeplay_sim::{Kind, Object};
use std::collections::BTreeMap;

const NONE: &str = "<none>";

/// Age of a timestamp at `now_ms` in kubectl's format, `<unknown>` when unset.
pub fn age(t: Option<&Time>, now_ms: u64) -> String {
    match t {
        Some(t) => human(now_ms as i64 - ms_of(t) as i64),
        None => "<unknown>".into(),
    }
}

/// A binding's USERS, GROUPS and SERVICEACCOUNTS cells (`rbac.SubjectsStrings`, joined with
/// ", "; service accounts as namespace/name).
fn subjects_strings(subjects: &[k8s_openapi::api::rbac::v1::Subject]) -> [String; 3] {
    let of = |kind: &str| -> Vec<String> {
        subjects
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| {
                if kind == "ServiceAccount" {
                    format!("{}/{}", s.namespace.as_deref().unwrap_or(""), s.name)
                } else {
                    s.name.clone()
                }
            })
            .collect()
    };
    [of("User").join(", "), of("Group").join(", "), of("ServiceAccount").join(", ")]
}

/// `metav1.FormatLabelSelector`.
pub fn format_selector(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else { return NONE.into() };
    let mut parts: Vec<String> = sel.match_labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    for e in sel.match_expressions.iter().flatten() {
        let vals = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({vals})", e.key),
            "NotIn" => format!("{} notin ({vals})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({vals})", e.key),
        });
    }
    if parts.is_empty() {
        NONE.into()
    } else {
        parts.join(",")
    }
}

/// A map selector (`app=web,tier=fe`), `<none>` when empty.
pub fn format_map(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        Some(m) if !m.is_empty() => m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        _ => NONE.into(),
    }
}

fn or_none(s: Option<String>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or_else(|| NONE.into())
}

/// A ReplicaSet's or ReplicationController's row: NAME, DESIRED (spec, default 1), CURRENT,
/// READY, AGE, and with `-o wide` (a selector given) CONTAINERS, IMAGES, SELECTOR.
fn replica_set_row(
    name: String,
    (desired, current, ready): (Option<i32>, i32, Option<i32>),
    age: String,
    template: Option<&core::PodTemplateSpec>,
    wide_selector: Option<String>,
) -> Vec<String> {
    let mut r = vec![name, desired.unwrap_or(1).to_string(), current.to_string(), ready.unwrap_or(0).to_string(), age];
    if let Some(selector) = wide_selector {
        let (c, i) = containers_images(template.and_then(|t| t.spec.as_ref()));
        r.extend([c, i, selector]);
    }
    r
}

/// Column headers for a kind, with the `-o wide` extras when `wide`.
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
        Kind::Deployment => (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::ReplicaSet | Kind::ReplicationController => {
            (&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"])
        }
        Kind::Service => (&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], &["SELECTOR"]),
        Kind::Ingress => (&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], &[]),
        Kind::IngressClass => (&["NAME", "CONTROLLER", "PARAMETERS", "AGE"], &[]),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::Event => {
            (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"])
        }
        Kind::DaemonSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::Job => (&["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::CronJob => (
            &["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
        Kind::PersistentVolumeClaim => (
            &["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
            &["VOLUMEMODE"],
        ),
        Kind::PersistentVolume => (
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::StorageClass => {
            (&["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], &[])
        }
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::ResourceQuota => (&["NAME", "AGE", "REQUEST", "LIMIT"], &[]),
        Kind::LimitRange | Kind::Role | Kind::ClusterRole => (&["NAME", "CREATED AT"], &[]),
        Kind::RoleBinding | Kind::ClusterRoleBinding => (&["NAME", "ROLE", "AGE"], &["USERS", "GROUPS", "SERVICEACCOUNTS"]),
        Kind::NetworkPolicy => (&["NAME", "POD-SELECTOR", "AGE"], &[]),
        Kind::HorizontalPodAutoscaler => (&["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"], &[]),
        Kind::PodDisruptionBudget => (&["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], &[]),
        // The server prints the policy column even without -o wide (it always builds wide).
        Kind::PriorityClass => (&["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], &[]),
        Kind::APIService => (&["NAME", "SERVICE", "AVAILABLE", "AGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

fn containers_images(spec: Option<&core::PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    (
        cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        cs.iter().map(|c| c.image.clone().unwrap_or_default()).collect::<Vec<_>>().join(","),
    )
}

/// The READY, STATUS and RESTARTS cells of a pod, by kubectl's `printPod` algorithm.
pub fn pod_status(p: &core::Pod, now_ms: u64) -> (String, String, String) {
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let mut restarts: i64 = 0;
    let mut restartable_restarts: i64 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<u64> = None;
    let mut last_restartable: Option<u64> = None;
    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = phase.clone();
    if let Some(r) = status.reason.clone().filter(|r| !r.is_empty()) {
        reason = r;
    }
    for c in status.conditions.iter().flatten() {
        if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".into();
        }
    }
    let inits = spec.init_containers.clone().unwrap_or_default();
    let restartable = |name: &str| inits.iter().any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"));
    total += inits.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")).count();
    let finished = |cs: &core::ContainerStatus| {
        cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()).and_then(|t| t.finished_at.as_ref()).map(ms_of)
    };
    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += i64::from(c.restart_count);
        if let Some(t) = finished(c) {
            last_restart = last_restart.max(Some(t));
        }
        if restartable(&c.name) {
            restartable_restarts += i64::from(c.restart_count);
            if let Some(t) = finished(c) {
                last_restartable = last_restartable.max(Some(t));
            }
        }
        let st = c.state.clone().unwrap_or_default();
        if st.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable(&c.name) && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &st.terminated {
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t.signal.unwrap_or(0))
                }
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) =
            st.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty() && r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", inits.len());
        }
        initializing = true;
        break;
    }
    let initialized = status.conditions.iter().flatten().any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = restartable_restarts;
        last_restart = last_restartable;
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts += i64::from(c.restart_count);
            if let Some(t) = finished(c) {
                last_restart = last_restart.max(Some(t));
            }
            let st = c.state.clone().unwrap_or_default();
            if let Some(r) = st.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty()) {
                reason = r;
            } else if let Some(t) = &st.terminated {
                reason = match t.reason.clone().filter(|r| !r.is_empty()) {
                    Some(r) => r,
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && st.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status.conditions.iter().flatten().any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running".into() } else { "NotReady".into() };
        }
    }
    if p.metadata.deletion_timestamp.is_some() && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".into();
    } else if p.metadata.deletion_timestamp.is_some() && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let restarts_s = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", human(now_ms as i64 - t as i64)),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts_s)
}

fn service_ports(spec: &core::ServiceSpec) -> String {
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() {
        return NONE.into();
    }
    ports
        .iter()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port {
                Some(np) => format!("{}:{np}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The EXTERNAL-IP cell of a Service.
pub fn service_external_ip(s: &core::Service, wide: bool) -> String {
    let spec = s.spec.clone().unwrap_or_default();
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let external: Vec<String> = spec.external_ips.clone().unwrap_or_default();
    match ty.as_str() {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                NONE.into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ips: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|ing| ing.iter().filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect())
                .unwrap_or_default();
            ips.extend(external);
            if ips.is_empty() {
                return "<pending>".into();
            }
            ips.sort();
            let joined = ips.join(",");
            if !wide && joined.len() > 16 {
                format!("{}...", &joined[..13])
            } else {
                joined
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

/// The cells of one object's row (without the NAME prefix for kind-qualified output).
pub fn row(obj: &Object, now_ms: u64, wide: bool) -> Vec<String> {
    let name = obj.meta().name.clone().unwrap_or_default();
    let created = obj.meta().creation_timestamp.as_ref();
    let a = age(created, now_ms);
    let mut r: Vec<String>;
    match obj {
        Object::Pod(p) => {
            let (ready, status, restarts) = pod_status(p, now_ms);
            r = vec![name, ready, status, restarts, a];
            if wide {
                let st = p.status.clone().unwrap_or_default();
                let gates = p.spec.as_ref().and_then(|s| s.readiness_gates.clone()).unwrap_or_default();
                let gates_s = if gates.is_empty() {
                    NONE.into()
                } else {
                    let conds = st.conditions.clone().unwrap_or_default();
                    let ok =
                        gates.iter().filter(|g| conds.iter().any(|c| c.type_ == g.condition_type && c.status == "True")).count();
                    format!("{ok}/{}", gates.len())
                };
                r.extend([
                    or_none(st.pod_ip.clone()),
                    or_none(p.spec.as_ref().and_then(|s| s.node_name.clone())),
                    or_none(st.nominated_node_name.clone()),
                    gates_s,
                ]);
            }
        }
        Object::Deployment(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            let st = d.status.clone().unwrap_or_default();
            r = vec![
                name,
                format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)),
                st.updated_replicas.unwrap_or(0).to_string(),
                st.available_replicas.unwrap_or(0).to_string(),
                a,
            ];
            if wide {
                let (c, i) = containers_images(spec.template.spec.as_ref());
                r.extend([c, i, format_selector(Some(&spec.selector))]);
            }
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.clone().unwrap_or_default();
            let st = rs.status.clone().unwrap_or_default();
            let counts = (spec.replicas, st.replicas, st.ready_replicas);
            let selector = || format_selector(Some(&spec.selector));
            r = replica_set_row(name, counts, a, spec.template.as_ref(), wide.then(selector));
        }
        Object::ReplicationController(rc) => {
            let spec = rc.spec.clone().unwrap_or_default();
            let st = rc.status.clone().unwrap_or_default();
            let counts = (spec.replicas, st.replicas, st.ready_replicas);
            let selector = || format_map(spec.selector.as_ref());
            r = replica_set_row(name, counts, a, spec.template.as_ref(), wide.then(selector));
        }
        Object::Service(s) => {
            let spec = s.spec.clone().unwrap_or_default();
            let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
            let cip = spec.cluster_ips.as_ref().and_then(|v| v.first().cloned()).or(spec.cluster_ip.clone());
            r = vec![name, ty, or_none(cip), service_external_ip(s, wide), service_ports(&spec), a];
            if wide {
                r.push(format_map(spec.selector.as_ref()));
            }
        }
        Object::Ingress(i) => {
            let spec = i.spec.clone().unwrap_or_default();
            let hosts: Vec<String> = spec.rules.iter().flatten().filter_map(|r| r.host.clone()).collect();
            let hosts_s = match hosts.len() {
                0 => "*".to_string(),
                1..=3 => hosts.join(","),
                n => format!("{} + {} more...", hosts[..3].join(","), n - 3),
            };
            let addrs: Vec<String> = i
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|v| v.iter().filter_map(|x| x.ip.clone().or_else(|| x.hostname.clone())).collect())
                .unwrap_or_default();
            let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) { "80, 443" } else { "80" };
            r = vec![name, or_none(spec.ingress_class_name.clone()), hosts_s, addrs.join(","), ports.into(), a];
        }
        Object::IngressClass(c) => {
            let spec = c.spec.clone().unwrap_or_default();
            let params = spec.parameters.map(|p| format!("{}/{}", p.kind, p.name));
            r = vec![name, spec.controller.unwrap_or_default(), or_none(params), a];
        }
        Object::Node(n) => {
            let st = n.status.clone().unwrap_or_default();
            let ready = st.conditions.iter().flatten().find(|c| c.type_ == "Ready");
            let mut status = match ready {
                Some(c) if c.status == "True" => "Ready".to_string(),
                Some(_) => "NotReady".to_string(),
                None => "Unknown".to_string(),
            };
            if n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false) {
                status.push_str(",SchedulingDisabled");
            }
            let mut roles: Vec<String> = n
                .metadata
                .labels
                .iter()
                .flatten()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
                .filter(|r| !r.is_empty())
                .collect();
            roles.sort();
            let info = st.node_info.clone().unwrap_or_default();
            r = vec![name, status, if roles.is_empty() { NONE.into() } else { roles.join(",") }, a, info.kubelet_version.clone()];
            if wide {
                let addr = |t: &str| st.addresses.iter().flatten().find(|x| x.type_ == t).map(|x| x.address.clone());
                r.extend([
                    or_none(addr("InternalIP")),
                    or_none(addr("ExternalIP")),
                    info.os_image.clone(),
                    info.kernel_version.clone(),
                    info.container_runtime_version.clone(),
                ]);
            }
        }
        Object::Endpoints(e) => {
            let mut eps = Vec::new();
            for s in e.subsets.iter().flatten() {
                for addr in s.addresses.iter().flatten() {
                    for p in s.ports.iter().flatten() {
                        eps.push(format!("{}:{}", addr.ip, p.port));
                    }
                    if s.ports.as_ref().is_none_or(Vec::is_empty) {
                        eps.push(addr.ip.clone());
                    }
                }
            }
            let cell = match eps.len() {
                0 => NONE.to_string(),
                1..=3 => eps.join(","),
                n => format!("{} + {} more...", eps[..3].join(","), n - 3),
            };
            r = vec![name, cell, a];
        }
        Object::EndpointSlice(s) => {
            let ports: Vec<String> = s.ports.iter().flatten().filter_map(|p| p.port.map(|x| x.to_string())).collect();
            let addrs: Vec<String> = s.endpoints.iter().flat_map(|e| e.addresses.clone()).collect();
            let ports_s = if ports.is_empty() { "<unset>".to_string() } else { ports.join(",") };
            let addrs_s = match addrs.len() {
                0 => "<unset>".to_string(),
                1..=3 => addrs.join(","),
                n => format!("{} + {} more...", addrs[..3].join(","), n - 3),
            };
            r = vec![name, s.address_type.clone(), ports_s, addrs_s, a];
        }
        Object::Event(e) => {
            let last = e.last_timestamp.as_ref().or(e.first_timestamp.as_ref()).or(e.metadata.creation_timestamp.as_ref());
            let io = &e.involved_object;
            let object =
                format!("{}/{}", io.kind.clone().unwrap_or_default().to_lowercase(), io.name.clone().unwrap_or_default());
            r = vec![
                age(last, now_ms),
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                object,
                e.message.clone().unwrap_or_default().trim().to_string(),
            ];
            if wide {
                let src = e.source.clone().unwrap_or_default();
                let mut source = src.component.unwrap_or_default();
                if let Some(h) = src.host.filter(|h| !h.is_empty()) {
                    source = format!("{source}, {h}");
                }
                r.extend([
                    io.field_path.clone().unwrap_or_default(),
                    source,
                    age(e.first_timestamp.as_ref(), now_ms),
                    e.count.unwrap_or(1).to_string(),
                    name,
                ]);
            }
        }
        Object::DaemonSet(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            let st = d.status.clone().unwrap_or_default();
            r = vec![
                name,
                st.desired_number_scheduled.to_string(),
                st.current_number_scheduled.to_string(),
                st.number_ready.to_string(),
                st.updated_number_scheduled.unwrap_or(0).to_string(),
                st.number_available.unwrap_or(0).to_string(),
                format_map(spec.template.spec.as_ref().and_then(|s| s.node_selector.as_ref())),
                a,
            ];
            if wide {
                let (c, i) = containers_images(spec.template.spec.as_ref());
                r.extend([c, i, format_selector(Some(&spec.selector))]);
            }
        }
        Object::StatefulSet(s) => {
            let spec = s.spec.clone().unwrap_or_default();
            let st = s.status.clone().unwrap_or_default();
            r = vec![name, format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)), a];
            if wide {
                let (c, i) = containers_images(spec.template.spec.as_ref());
                r.extend([c, i]);
            }
        }
        Object::Job(j) => {
            let spec = j.spec.clone().unwrap_or_default();
            let st = j.status.clone().unwrap_or_default();
            let completions = match spec.completions {
                Some(c) => format!("{}/{c}", st.succeeded.unwrap_or(0)),
                None => {
                    let p = spec.parallelism.unwrap_or(1);
                    if p > 1 {
                        format!("{}/1 of {p}", st.succeeded.unwrap_or(0))
                    } else {
                        format!("{}/1", st.succeeded.unwrap_or(0))
                    }
                }
            };
            let duration = match (&st.start_time, &st.completion_time) {
                (Some(s), Some(c)) => human(ms_of(c) as i64 - ms_of(s) as i64),
                (Some(s), None) => human(now_ms as i64 - ms_of(s) as i64),
                _ => String::new(),
            };
            r = vec![name, job_status(j), completions, duration, a];
            if wide {
                let (c, i) = containers_images(spec.template.spec.as_ref());
                r.extend([c, i, format_selector(spec.selector.as_ref())]);
            }
        }
        Object::CronJob(c) => {
            let spec = c.spec.clone().unwrap_or_default();
            let st = c.status.clone().unwrap_or_default();
            r = vec![
                name,
                spec.schedule.clone(),
                or_none(spec.time_zone.clone()),
                if spec.suspend.unwrap_or(false) { "True".into() } else { "False".into() },
                st.active.as_ref().map_or(0, Vec::len).to_string(),
                st.last_schedule_time.as_ref().map_or_else(|| NONE.into(), |t| age(Some(t), now_ms)),
                a,
            ];
            if wide {
                let js = spec.job_template.spec.clone().unwrap_or_default();
                let (cs, is) = containers_images(js.template.spec.as_ref());
                r.extend([cs, is, format_selector(js.selector.as_ref())]);
            }
        }
        Object::Namespace(n) => {
            let phase = n.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Active".into());
            r = vec![name, phase, a];
        }
        Object::ConfigMap(c) => {
            let n = c.data.as_ref().map_or(0, BTreeMap::len) + c.binary_data.as_ref().map_or(0, BTreeMap::len);
            r = vec![name, n.to_string(), a];
        }
        Object::Secret(s) => {
            let n = s.data.as_ref().map_or(0, BTreeMap::len);
            r = vec![name, s.type_.clone().unwrap_or_else(|| "Opaque".into()), n.to_string(), a];
        }
        Object::ServiceAccount(s) => {
            r = vec![name, s.secrets.as_ref().map_or(0, Vec::len).to_string(), a];
        }
        Object::ResourceQuota(q) => {
            // `key: used/hard`, sorted; limits.* in LIMIT, the rest in REQUEST.
            let st = q.status.clone().unwrap_or_default();
            let (hard, used) = (st.hard.unwrap_or_default(), st.used.unwrap_or_default());
            let cell = |limits: bool| {
                hard.iter()
                    .filter(|(k, _)| k.starts_with("limits.") == limits)
                    .map(|(k, h)| format!("{k}: {}/{}", used.get(k).map_or("0", |u| u.0.as_str()), h.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            r = vec![name, a, cell(false), cell(true)];
        }
        // Kinds without a printer of their own: the server's default table.
        Object::LimitRange(_) | Object::Role(_) | Object::ClusterRole(_) => {
            r = vec![name, created.map(|t| t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()];
        }
        Object::RoleBinding(b) => {
            r = vec![name, format!("{}/{}", b.role_ref.kind, b.role_ref.name), a];
            if wide {
                r.extend(subjects_strings(b.subjects.as_deref().unwrap_or(&[])));
            }
        }
        Object::ClusterRoleBinding(b) => {
            r = vec![name, format!("{}/{}", b.role_ref.kind, b.role_ref.name), a];
            if wide {
                r.extend(subjects_strings(b.subjects.as_deref().unwrap_or(&[])));
            }
        }
        Object::HorizontalPodAutoscaler(h) => {
            let spec = h.spec.clone().unwrap_or_default();
            let st = h.status.clone().unwrap_or_default();
            r = vec![
                name,
                format!("{}/{}", spec.scale_target_ref.kind, spec.scale_target_ref.name),
                hpa_targets(spec.metrics.as_deref().unwrap_or(&[]), st.current_metrics.as_deref().unwrap_or(&[])),
                spec.min_replicas.map_or("<unset>".into(), |m| m.to_string()),
                spec.max_replicas.to_string(),
                st.current_replicas.unwrap_or(0).to_string(),
                a,
            ];
        }
        Object::PodDisruptionBudget(b) => {
            let spec = b.spec.clone().unwrap_or_default();
            let or_na = |v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>| {
                v.map(int_or_string).unwrap_or_else(|| "N/A".into())
            };
            let allowed = b.status.as_ref().map(|s| s.disruptions_allowed).unwrap_or(0);
            r = vec![name, or_na(spec.min_available.as_ref()), or_na(spec.max_unavailable.as_ref()), allowed.to_string(), a];
        }
        Object::APIService(s) => {
            // The aggregator's printer: `Local` without a Service; the Available condition,
            // with its reason when not True.
            let service = match s.spec.as_ref().and_then(|sp| sp.service.as_ref()) {
                Some(svc) => format!("{}/{}", svc.namespace.clone().unwrap_or_default(), svc.name.clone().unwrap_or_default()),
                None => "Local".into(),
            };
            let available = s
                .status
                .as_ref()
                .and_then(|st| st.conditions.as_ref())
                .and_then(|cs| cs.iter().find(|c| c.type_ == "Available"))
                .map_or_else(
                    || "Unknown".to_string(),
                    |c| match c.status.as_str() {
                        "True" => "True".into(),
                        other => format!("{other} ({})", c.reason.clone().unwrap_or_default()),
                    },
                );
            r = vec![name, service, available, a];
        }
        Object::PriorityClass(pc) => {
            r = vec![
                name,
                pc.value.to_string(),
                pc.global_default.unwrap_or(false).to_string(),
                a,
                pc.preemption_policy.clone().unwrap_or_default(),
            ];
        }
        Object::NetworkPolicy(n) => {
            let sel = n.spec.as_ref().and_then(|s| s.pod_selector.as_ref());
            r = vec![name, format_selector(sel), a];
        }
        Object::PersistentVolumeClaim(p) => {
            let spec = p.spec.clone().unwrap_or_default();
            let st = p.status.clone().unwrap_or_default();
            let cap = st.capacity.as_ref().and_then(|c| c.get("storage")).map(|q| q.0.clone()).unwrap_or_default();
            let modes = access_modes(st.access_modes.as_deref().unwrap_or(&[]));
            let phase = if p.metadata.deletion_timestamp.is_some() {
                "Terminating".to_string()
            } else {
                st.phase.clone().unwrap_or_else(|| "Pending".into())
            };
            r = vec![
                name,
                phase,
                spec.volume_name.clone().unwrap_or_default(),
                cap,
                modes,
                or_unset(spec.storage_class_name.clone()),
                or_unset(spec.volume_attributes_class_name.clone()),
                a,
            ];
            if wide {
                r.push(spec.volume_mode.clone().unwrap_or_else(|| "Filesystem".into()));
            }
        }
        Object::PersistentVolume(p) => {
            let spec = p.spec.clone().unwrap_or_default();
            let st = p.status.clone().unwrap_or_default();
            let cap = spec.capacity.as_ref().and_then(|c| c.get("storage")).map(|q| q.0.clone()).unwrap_or_default();
            let claim = spec
                .claim_ref
                .as_ref()
                .map(|c| format!("{}/{}", c.namespace.clone().unwrap_or_default(), c.name.clone().unwrap_or_default()))
                .unwrap_or_default();
            r = vec![
                name,
                cap,
                access_modes(spec.access_modes.as_deref().unwrap_or(&[])),
                spec.persistent_volume_reclaim_policy.clone().unwrap_or_default(),
                st.phase.clone().unwrap_or_default(),
                claim,
                spec.storage_class_name.clone().unwrap_or_default(),
                or_unset(spec.volume_attributes_class_name.clone()),
                st.reason.clone().unwrap_or_default(),
                a,
            ];
            if wide {
                r.push(spec.volume_mode.clone().unwrap_or_else(|| "Filesystem".into()));
            }
        }
        Object::StorageClass(s) => {
            let default = s
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("storageclass.kubernetes.io/is-default-class"))
                .is_some_and(|v| v == "true");
            let n = if default { format!("{name} (default)") } else { name };
            r = vec![
                n,
                s.provisioner.clone(),
                s.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                s.volume_binding_mode.clone().unwrap_or_else(|| "Immediate".into()),
                if s.allow_volume_expansion.unwrap_or(false) { "true".into() } else { "false".into() },
                a,
            ];
        }
        Object::ControllerRevision(c) => {
            let owner = c
                .metadata
                .owner_references
                .iter()
                .flatten()
                .find(|o| o.controller == Some(true))
                .map(|o| format!("{}/{}", controller_kind_name(&o.kind, &o.api_version), o.name));
            r = vec![name, or_none(owner), c.revision.to_string(), a];
        }
    }
    r
}

fn controller_kind_name(kind: &str, api_version: &str) -> String {
    match Kind::from_api_version_kind(api_version, kind) {
        Some(k) => k.info().singular_group(),
        None => kind.to_lowercase(),
    }
}

fn or_unset(s: Option<String>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or_else(|| "<unset>".into())
}

pub fn access_modes(modes: &[String]) -> String {
    modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The STATUS cell of a Job (kubectl 1.30+).
pub fn job_status(j: &k8s_openapi::api::batch::v1::Job) -> String {
    let conds = j.status.as_ref().and_then(|s| s.conditions.clone()).unwrap_or_default();
    let has = |t: &str| conds.iter().any(|c| c.type_ == t && c.status == "True");
    if has("Complete") {
        "Complete".into()
    } else if has("Failed") {
        "Failed".into()
    } else if j.metadata.deletion_timestamp.is_some() {
        "Terminating".into()
    } else if has("FailureTarget") {
        "FailureTarget".into()
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet".into()
    } else if has("Suspended") {
        "Suspended".into()
    } else {
        "Running".into()
    }
}

/// A Service port's target port as text (`80` or `http`).
pub fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// The TARGETS column (`formatHPAMetrics`): each metric's current value over its target,
/// at most two, then how many more.
pub fn hpa_targets(
    specs: &[k8s_openapi::api::autoscaling::v2::MetricSpec],
    statuses: &[k8s_openapi::api::autoscaling::v2::MetricStatus],
) -> String {
    if specs.is_empty() {
        return NONE.into();
    }
    let mut parts = Vec::new();
    for (i, m) in specs.iter().enumerate() {
        let text = match (m.type_.as_str(), &m.resource) {
            ("Resource", Some(res)) => {
                let current = statuses.get(i).and_then(|s| s.resource.as_ref()).map(|r| &r.current);
                match res.target.average_utilization {
                    Some(target) if res.target.type_ == "Utilization" => {
                        let cur = current.and_then(|c| c.average_utilization).map_or("<unknown>".into(), |u| format!("{u}%"));
                        format!("{}: {cur}/{target}%", res.name)
                    }
                    _ if res.target.type_ == "Utilization" => {
                        let cur = current.and_then(|c| c.average_utilization).map_or("<unknown>".into(), |u| format!("{u}%"));
                        format!("{}: {cur}/<auto>", res.name)
                    }
                    _ => {
                        let cur = current.and_then(|c| c.average_value.as_ref()).map_or("<unknown>".into(), |q| q.0.clone());
                        let target = res.target.average_value.as_ref().map_or("<auto>".into(), |q| q.0.clone());
                        format!("{}: {cur}/{target}", res.name)
                    }
                }
            }
            _ => "<unknown type>".into(),
        };
        parts.push(text);
    }
    if parts.len() > 2 {
        let more = parts.len() - 2;
        parts.truncate(2);
        return format!("{} + {more} more...", parts.join(", "));
    }
    parts.join(", ")
}
