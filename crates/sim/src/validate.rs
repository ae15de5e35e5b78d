//! Validation of objects on create and update, with the API server's field paths and
//! messages (`pkg/apis/*/validation`). Values in messages are rendered as in 1.34+ (JSON).

use crate::errors::FieldError;
use crate::kinds::{Kind, Object};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Validates an object for create (and, with `validate_update`, for update).
pub fn validate(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    meta(obj.kind(), obj.meta(), &mut errs);
    match obj {
        Object::Pod(p) => match &p.spec {
            Some(s) => pod_spec(s, "spec", &mut errs),
            None => errs.push(FieldError::required("spec.containers", "")),
        },
        Object::Deployment(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            replicas(spec.replicas, &mut errs);
            workload_selector(Some(&spec.selector), Some(&spec.template), "deployment", &mut errs);
            template_spec(&spec.template, &["Always"], &mut errs);
            if let Some(s) = &spec.strategy {
                if let Some(ru) = &s.rolling_update {
                    let zero = |v: &Option<IntOrString>| match v {
                        Some(IntOrString::Int(0)) => true,
                        Some(IntOrString::String(s)) => s == "0%" || s == "0",
                        Some(IntOrString::Int(_)) | None => false,
                    };
                    if zero(&ru.max_surge) && zero(&ru.max_unavailable) {
                        errs.push(FieldError::invalid(
                            "spec.strategy.rollingUpdate.maxUnavailable",
                            &to_json(&ru.max_unavailable),
                            "may not be 0 when `maxSurge` is 0",
                        ));
                    }
                }
                if s.type_.as_deref() == Some("Recreate") && s.rolling_update.is_some() {
                    errs.push(FieldError::forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    ));
                }
                if let Some(t) = &s.type_ {
                    if t != "Recreate" && t != "RollingUpdate" {
                        errs.push(FieldError::unsupported("spec.strategy.type", &json!(t), &["Recreate", "RollingUpdate"]));
                    }
                }
            }
            if let (Some(pd), min) = (spec.progress_deadline_seconds, spec.min_ready_seconds.unwrap_or(0)) {
                if pd <= min {
                    errs.push(FieldError::invalid(
                        "spec.progressDeadlineSeconds",
                        &json!(pd),
                        "must be greater than minReadySeconds",
                    ));
                }
            }
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.clone().unwrap_or_default();
            replicas(spec.replicas, &mut errs);
            workload_selector(Some(&spec.selector), spec.template.as_ref(), "deployment", &mut errs);
            if let Some(t) = &spec.template {
                template_spec(t, &["Always"], &mut errs);
            }
        }
        Object::ReplicationController(rc) => {
            // ValidateReplicationControllerSpec: the selector is a plain label map, required;
            // the template is required and its labels must match it.
            let spec = rc.spec.clone().unwrap_or_default();
            let selector = spec.selector.clone().unwrap_or_default();
            if selector.is_empty() {
                errs.push(FieldError::required("spec.selector", ""));
            } else {
                label_map("spec.selector", &selector, &mut errs);
            }
            replicas(spec.replicas, &mut errs);
            match &spec.template {
                None => errs.push(FieldError::required("spec.template", "")),
                Some(t) => {
                    let labels = t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
                    if !selector.is_empty() && !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
                        errs.push(FieldError::invalid(
                            "spec.template.metadata.labels",
                            &to_json(&labels),
                            "`selector` does not match template `labels`",
                        ));
                    }
                    template_spec(t, &["Always"], &mut errs);
                }
            }
        }
        Object::StatefulSet(s) => {
            let spec = s.spec.clone().unwrap_or_default();
            replicas(spec.replicas, &mut errs);
            workload_selector(Some(&spec.selector), Some(&spec.template), "statefulset", &mut errs);
            let claims: Vec<String> =
                spec.volume_claim_templates.iter().flatten().filter_map(|c| c.metadata.name.clone()).collect();
            template_spec_with(&spec.template, &["Always"], &claims, &mut errs);
        }
        Object::DaemonSet(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            workload_selector(Some(&spec.selector), Some(&spec.template), "daemonset", &mut errs);
            template_spec(&spec.template, &["Always"], &mut errs);
        }
        Object::Job(j) => {
            if let Some(spec) = &j.spec {
                template_spec(&spec.template, &["OnFailure", "Never"], &mut errs);
                for (f, v) in [
                    ("spec.parallelism", spec.parallelism),
                    ("spec.completions", spec.completions),
                    ("spec.backoffLimit", spec.backoff_limit),
                ] {
                    if let Some(v) = v.filter(|v| *v < 0) {
                        errs.push(FieldError::invalid(f, &json!(v), "must be greater than or equal to 0"));
                    }
                }
            }
        }
        Object::PersistentVolumeClaim(c) => {
            let spec = c.spec.clone().unwrap_or_default();
            if spec.access_modes.as_ref().is_none_or(Vec::is_empty) {
                errs.push(FieldError::required("spec.accessModes", "at least 1 access mode is required"));
            }
            let storage = spec.resources.as_ref().and_then(|r| r.requests.as_ref()).and_then(|r| r.get("storage"));
            if storage.is_none() {
                errs.push(FieldError::required("spec.resources[storage]", ""));
            }
        }
        Object::CronJob(c) => {
            if let Some(spec) = &c.spec {
                if spec.schedule.trim().is_empty() {
                    errs.push(FieldError::required("spec.schedule", ""));
                }
                if let Some(js) = &spec.job_template.spec {
                    let mut inner = Vec::new();
                    template_spec(&js.template, &["OnFailure", "Never"], &mut inner);
                    for mut e in inner {
                        e.field = format!("spec.jobTemplate.{}", e.field);
                        errs.push(e);
                    }
                }
            }
        }
        Object::Service(s) => service(s, &mut errs),
        Object::PodDisruptionBudget(b) => pdb_spec(b.spec.as_ref(), &mut errs),
        Object::HorizontalPodAutoscaler(h) => {
            // ValidateHorizontalPodAutoscalerSpec (the checks learners meet).
            let spec = h.spec.clone().unwrap_or_default();
            let min = spec.min_replicas.unwrap_or(1);
            if spec.max_replicas < 1 {
                errs.push(FieldError::invalid(
                    "spec.maxReplicas",
                    &json!(spec.max_replicas),
                    "must be greater than or equal to 1",
                ));
            }
            if spec.max_replicas >= 1 && min > spec.max_replicas {
                errs.push(FieldError::invalid("spec.minReplicas", &json!(min), "must be less than or equal to `maxReplicas`"));
            }
            if spec.scale_target_ref.kind.is_empty() {
                errs.push(FieldError::required("spec.scaleTargetRef.kind", ""));
            }
            if spec.scale_target_ref.name.is_empty() {
                errs.push(FieldError::required("spec.scaleTargetRef.name", ""));
            }
        }
        Object::Ingress(i) => {
            for (ri, rule) in i.spec.iter().flat_map(|s| s.rules.iter().flatten()).enumerate() {
                if let Some(h) = &rule.host {
                    let bare = h.strip_prefix("*.").unwrap_or(h);
                    for p in crate::names::dns1123_subdomain(bare) {
                        errs.push(FieldError::invalid(&format!("spec.rules[{ri}].host"), &json!(h), &p));
                    }
                }
                for (pi, path) in rule.http.iter().flat_map(|h| h.paths.iter()).enumerate() {
                    let fp = format!("spec.rules[{ri}].http.paths[{pi}]");
                    match path.path_type.as_str() {
                        "" => errs.push(FieldError::required(&format!("{fp}.pathType"), "pathType must be specified")),
                        "Exact" | "Prefix" | "ImplementationSpecific" => {}
                        other => errs.push(FieldError::unsupported(
                            &format!("{fp}.pathType"),
                            &json!(other),
                            &["Exact", "ImplementationSpecific", "Prefix"],
                        )),
                    }
                    if let Some(p) = &path.path {
                        if !p.starts_with('/') {
                            errs.push(FieldError::invalid(&format!("{fp}.path"), &json!(p), "must be an absolute path"));
                        }
                    }
                }
            }
        }
        Object::ConfigMap(c) => {
            for k in c.data.iter().flat_map(BTreeMap::keys).chain(c.binary_data.iter().flat_map(BTreeMap::keys)) {
                config_key("data", k, &mut errs);
            }
        }
        Object::Secret(s) => {
            for k in s.data.iter().flat_map(BTreeMap::keys) {
                config_key("data", k, &mut errs);
            }
            // A token Secret names its ServiceAccount; the token controller adds the rest.
            let account = s.metadata.annotations.as_ref().and_then(|a| a.get(crate::tokens::NAME_KEY));
            if s.type_.as_deref() == Some(crate::tokens::TOKEN_TYPE) && account.is_none_or(|a| a.is_empty()) {
                errs.push(FieldError::required(&format!("metadata.annotations[{}]", crate::tokens::NAME_KEY), ""));
            }
        }
        Object::PriorityClass(pc) => priority_class(pc, &mut errs),
        Object::APIService(a) => {
            let spec = a.spec.clone().unwrap_or_default();
            let required = format!("{}.{}", spec.version.unwrap_or_default(), spec.group.unwrap_or_default());
            let name = a.metadata.name.as_deref().unwrap_or("");
            if !name.is_empty() && name != required {
                errs.push(FieldError::invalid(
                    "metadata.name",
                    &json!(name),
                    &format!("must be `spec.version+\".\"+spec.group`: {required:?}"),
                ));
            }
        }
        _ => {}
    }
    errs
}

fn config_key(field: &str, k: &str, errs: &mut Vec<FieldError>) {
    for problem in crate::names::config_map_key(k) {
        errs.push(FieldError::invalid(&format!("{field}[{k}]"), &json!(k), &problem));
    }
}

fn replicas(r: Option<i32>, errs: &mut Vec<FieldError>) {
    if let Some(r) = r.filter(|r| *r < 0) {
        errs.push(FieldError::invalid("spec.replicas", &json!(r), "must be greater than or equal to 0"));
    }
}

fn meta(kind: Kind, m: &ObjectMeta, errs: &mut Vec<FieldError>) {
    let name = m.name.as_deref().unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required("metadata.name", "name or generateName is required"));
    } else {
        let problems = match kind {
            Kind::Namespace => crate::names::dns1123_label(name),
            Kind::Service => crate::names::dns1035_label(name),
            // The aggregator's names are `VERSION.GROUP` (`v1.` for the core group), checked
            // as path segments.
            Kind::APIService => match name {
                "." | ".." => vec![format!("may not be '{name}'")],
                _ if name.contains('/') => vec!["may not contain '/'".to_string()],
                _ if name.contains('%') => vec!["may not contain '%'".to_string()],
                _ => vec![],
            },
            _ => crate::names::dns1123_subdomain(name),
        };
        for p in problems {
            errs.push(FieldError::invalid("metadata.name", &json!(name), &p));
        }
    }
    for (k, v) in m.labels.iter().flatten() {
        for p in crate::names::qualified_name(k) {
            errs.push(FieldError::invalid("metadata.labels", &json!(k), &p));
        }
        for p in crate::names::label_value(v) {
            errs.push(FieldError::invalid("metadata.labels", &json!(v), &p));
        }
    }
    for k in m.annotations.iter().flat_map(BTreeMap::keys) {
        for p in crate::names::qualified_name(k) {
            errs.push(FieldError::invalid("metadata.annotations", &json!(k), &p));
        }
    }
}

fn label_map(field: &str, labels: &BTreeMap<String, String>, errs: &mut Vec<FieldError>) {
    for (k, v) in labels {
        for p in crate::names::qualified_name(k) {
            errs.push(FieldError::invalid(field, &json!(k), &p));
        }
        for p in crate::names::label_value(v) {
            errs.push(FieldError::invalid(field, &json!(v), &p));
        }
    }
}

fn workload_selector(sel: Option<&LabelSelector>, t: Option<&core::PodTemplateSpec>, what: &str, errs: &mut Vec<FieldError>) {
    let Some(sel) = sel.filter(|s| !crate::decode::is_nil_selector(s)) else {
        // A missing selector is Required, and (as LabelSelectorAsSelector(nil) matches
        // nothing) the template labels cannot match it either.
        errs.push(FieldError::required("spec.selector", ""));
        if let Some(t) = t {
            let labels = t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                &to_json(&labels),
                "`selector` does not match template `labels`",
            ));
        }
        return;
    };
    let empty =
        sel.match_labels.as_ref().is_none_or(BTreeMap::is_empty) && sel.match_expressions.as_ref().is_none_or(Vec::is_empty);
    if empty {
        errs.push(FieldError::invalid("spec.selector", &to_json(sel), &format!("empty selector is invalid for {what}")));
        return;
    }
    if let Some(ml) = &sel.match_labels {
        label_map("spec.selector.matchLabels", ml, errs);
    }
    let Some(t) = t else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    let labels = t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    if !crate::selectors::label_selector_matches(sel, &labels) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            &to_json(&labels),
            "`selector` does not match template `labels`",
        ));
    }
}

fn template_spec(t: &core::PodTemplateSpec, policies: &[&str], errs: &mut Vec<FieldError>) {
    template_spec_with(t, policies, &[], errs);
}

fn template_spec_with(t: &core::PodTemplateSpec, policies: &[&str], extra_volumes: &[String], errs: &mut Vec<FieldError>) {
    if let Some(m) = &t.metadata {
        if let Some(l) = &m.labels {
            label_map("spec.template.metadata.labels", l, errs);
        }
    }
    match &t.spec {
        Some(s) => {
            pod_spec_with(s, "spec.template.spec", extra_volumes, errs);
            if s.ephemeral_containers.as_ref().is_some_and(|l| !l.is_empty()) {
                errs.push(FieldError::forbidden(
                    "spec.template.spec.ephemeralContainers",
                    "ephemeral containers not allowed in pod template",
                ));
            }
            let rp = s.restart_policy.as_deref().unwrap_or("Always");
            if !policies.contains(&rp) {
                errs.push(FieldError::unsupported("spec.template.spec.restartPolicy", &json!(rp), policies));
            }
        }
        None => errs.push(FieldError::required("spec.template.spec.containers", "")),
    }
}

/// Validates a pod spec found at `path`.
pub fn pod_spec(s: &core::PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    pod_spec_with(s, path, &[], errs);
}

/// Validates a pod spec; `extra_volumes` are names that mounts may also use (a
/// StatefulSet's volumeClaimTemplates).
pub fn pod_spec_with(s: &core::PodSpec, path: &str, extra_volumes: &[String], errs: &mut Vec<FieldError>) {
    // validatePodDNSConfig: the None policy takes its whole configuration from dnsConfig.
    if s.dns_policy.as_deref() == Some("None") {
        match &s.dns_config {
            None => {
                errs.push(FieldError::required(&format!("{path}.dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
            }
            Some(c) if c.nameservers.as_ref().is_none_or(|n| n.is_empty()) => errs.push(FieldError::required(
                &format!("{path}.dnsConfig.nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )),
            Some(_) => {}
        }
    }
    if s.containers.is_empty() {
        errs.push(FieldError::required(&format!("{path}.containers"), ""));
    }
    let mut names = std::collections::BTreeSet::new();
    let volumes: std::collections::BTreeSet<&str> =
        s.volumes.iter().flatten().map(|v| v.name.as_str()).chain(extra_volumes.iter().map(String::as_str)).collect();
    let ephemeral: Vec<core::Container> =
        s.ephemeral_containers.iter().flatten().map(crate::kubelet::ephemeral_as_container).collect();
    for (list, field) in [
        (s.init_containers.as_deref().unwrap_or(&[]), "initContainers"),
        (s.containers.as_slice(), "containers"),
        (ephemeral.as_slice(), "ephemeralContainers"),
    ] {
        for (i, c) in list.iter().enumerate() {
            let cp = format!("{path}.{field}[{i}]");
            if c.name.is_empty() {
                errs.push(FieldError::required(&format!("{cp}.name"), ""));
            } else {
                for p in crate::names::dns1123_label(&c.name) {
                    errs.push(FieldError::invalid(&format!("{cp}.name"), &json!(c.name), &p));
                }
                if !names.insert(c.name.clone()) {
                    errs.push(FieldError::duplicate(&format!("{cp}.name"), &json!(c.name)));
                }
            }
            if c.image.as_deref().unwrap_or("").trim().is_empty() {
                errs.push(FieldError::required(&format!("{cp}.image"), ""));
            }
            for (j, p) in c.ports.iter().flatten().enumerate() {
                let pp = format!("{cp}.ports[{j}]");
                if !(1..=65535).contains(&p.container_port) {
                    errs.push(FieldError::invalid(
                        &format!("{pp}.containerPort"),
                        &json!(p.container_port),
                        "must be between 1 and 65535, inclusive",
                    ));
                }
                if let Some(proto) = &p.protocol {
                    if !["TCP", "UDP", "SCTP"].contains(&proto.as_str()) {
                        errs.push(FieldError::unsupported(&format!("{pp}.protocol"), &json!(proto), &["SCTP", "TCP", "UDP"]));
                    }
                }
            }
            if let Some(pp) = &c.image_pull_policy {
                if !["Always", "IfNotPresent", "Never"].contains(&pp.as_str()) {
                    errs.push(FieldError::unsupported(
                        &format!("{cp}.imagePullPolicy"),
                        &json!(pp),
                        &["Always", "IfNotPresent", "Never"],
                    ));
                }
            }
            for (j, m) in c.volume_mounts.iter().flatten().enumerate() {
                if !volumes.contains(m.name.as_str()) {
                    errs.push(FieldError {
                        field: format!("{cp}.volumeMounts[{j}].name"),
                        error_type: crate::errors::ErrorType::NotFound,
                        value: Some(crate::errors::render_value(&json!(m.name))),
                        detail: String::new(),
                        position: None,
                    });
                }
                if m.mount_path.is_empty() {
                    errs.push(FieldError::required(&format!("{cp}.volumeMounts[{j}].mountPath"), ""));
                }
            }
            if field == "ephemeralContainers" {
                ephemeral_container(s, i, &cp, errs);
            } else {
                resize_policy(c, &cp, s.restart_policy.as_deref().unwrap_or("Always"), errs);
            }
            if let Some(res) = &c.resources {
                for (name, req) in res.requests.iter().flatten() {
                    if let Some(lim) = res.limits.as_ref().and_then(|l| l.get(name)) {
                        let (r, l) = (crate::quantity::parse(&req.0), crate::quantity::parse(&lim.0));
                        if let (Some(r), Some(l)) = (r, l) {
                            if r > l {
                                errs.push(FieldError::invalid(
                                    &format!("{cp}.resources.requests"),
                                    &json!(req.0),
                                    &format!("must be less than or equal to {name} limit of {}", lim.0),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    // ValidateTolerations (1.35, numeric comparison operators off by default).
    for (i, t) in s.tolerations.iter().flatten().enumerate() {
        let tp = format!("{path}.tolerations[{i}]");
        let key = t.key.as_deref().unwrap_or("");
        let op = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        if !key.is_empty() {
            for p in crate::names::qualified_name(key) {
                errs.push(FieldError::invalid(&format!("{tp}.key"), &json!(key), &p));
            }
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &format!("{tp}.operator"),
                &json!(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && t.effect.as_deref() != Some("NoExecute") {
            errs.push(FieldError::invalid(
                &format!("{tp}.effect"),
                &json!(t.effect.as_deref().unwrap_or("")),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let problems = crate::names::label_value(value);
                if !problems.is_empty() {
                    errs.push(FieldError::invalid(&format!("{tp}.operator"), &json!(value), &problems.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    // The value rendered is the whole toleration, as Go prints the struct.
                    let rendered = format!(
                        "core.Toleration{{Key:{key:?}, Operator:\"Exists\", Value:{value:?}, Effect:{:?}, TolerationSeconds:{}}}",
                        t.effect.as_deref().unwrap_or(""),
                        t.toleration_seconds.map_or("(*int64)(nil)".to_string(), |_| "(*int64)(0x0)".to_string())
                    );
                    errs.push(FieldError {
                        field: format!("{tp}.operator"),
                        error_type: crate::errors::ErrorType::Invalid,
                        value: Some(rendered),
                        detail: "value must be empty when `operator` is 'Exists'".into(),
                        position: None,
                    });
                }
            }
            other => errs.push(FieldError::unsupported(&format!("{tp}.operator"), &json!(other), &["Equal", "Exists"])),
        }
        if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&e) {
                errs.push(FieldError::unsupported(
                    &format!("{tp}.effect"),
                    &json!(e),
                    &["NoSchedule", "PreferNoSchedule", "NoExecute"],
                ));
            }
        }
    }
    // ValidateHostAliases: each ip an IP address, each hostname a DNS subdomain.
    for (i, a) in s.host_aliases.iter().flatten().enumerate() {
        let ap = format!("{path}.hostAliases[{i}]");
        if a.ip.parse::<std::net::IpAddr>().is_err() {
            errs.push(FieldError::invalid(
                &format!("{ap}.ip"),
                &json!(a.ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
        for (j, h) in a.hostnames.iter().flatten().enumerate() {
            for p in crate::names::dns1123_subdomain(h) {
                errs.push(FieldError::invalid(&format!("{ap}.hostnames[{j}]"), &json!(h), &p));
            }
        }
    }
    if let Some(rp) = &s.restart_policy {
        if !["Always", "OnFailure", "Never"].contains(&rp.as_str()) {
            errs.push(FieldError::unsupported(&format!("{path}.restartPolicy"), &json!(rp), &["Always", "OnFailure", "Never"]));
        }
    }
}

fn service(s: &core::Service, errs: &mut Vec<FieldError>) {
    let Some(spec) = &s.spec else {
        errs.push(FieldError::required("spec.ports", ""));
        return;
    };
    let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
    if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&ty) {
        errs.push(FieldError::unsupported("spec.type", &json!(ty), &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
        return;
    }
    if ty == "ExternalName" {
        if spec.external_name.as_deref().unwrap_or("").is_empty() {
            errs.push(FieldError::required("spec.externalName", ""));
        }
        return;
    }
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if ports.is_empty() && !headless {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut port_names = std::collections::BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        if ports.len() > 1 {
            match p.name.as_deref() {
                None | Some("") => errs.push(FieldError::required(&format!("{pp}.name"), "")),
                Some(n) => {
                    if !port_names.insert(n.to_string()) {
                        errs.push(FieldError::duplicate(&format!("{pp}.name"), &json!(n)));
                    }
                }
            }
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(FieldError::invalid(&format!("{pp}.port"), &json!(p.port), "must be between 1 and 65535, inclusive"));
        }
        if let Some(IntOrString::Int(tp)) = &p.target_port {
            if !(1..=65535).contains(tp) {
                errs.push(FieldError::invalid(&format!("{pp}.targetPort"), &json!(tp), "must be between 1 and 65535, inclusive"));
            }
        }
        if let Some(np) = p.node_port {
            if ty == "ClusterIP" {
                errs.push(FieldError::forbidden(&format!("{pp}.nodePort"), "may not be used when `type` is 'ClusterIP'"));
            } else if !(30000..=32767).contains(&np) {
                errs.push(FieldError::invalid(
                    &format!("{pp}.nodePort"),
                    &json!(np),
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                ));
            }
        }
    }
    if let Some(sel) = &spec.selector {
        label_map("spec.selector", sel, errs);
    }
}

/// Update-only rules: immutable fields.
/// What `validateEphemeralContainers` adds for the ephemeral container at `i`: its target
/// must be one of the pod's (non-ephemeral) containers, and the fields that make a container
/// part of the workload (ports, probes, lifecycle, resources, restart and resize policies,
/// volume subpaths) may not be set.
fn ephemeral_container(s: &core::PodSpec, i: usize, cp: &str, errs: &mut Vec<FieldError>) {
    let Some(e) = s.ephemeral_containers.as_ref().and_then(|l| l.get(i)) else { return };
    if let Some(t) = e.target_container_name.as_deref().filter(|t| !t.is_empty()) {
        if !s.containers.iter().chain(s.init_containers.iter().flatten()).any(|c| c.name == t) {
            errs.push(FieldError {
                field: format!("{cp}.targetContainerName"),
                error_type: crate::errors::ErrorType::NotFound,
                value: Some(crate::errors::render_value(&json!(t))),
                detail: String::new(),
                position: None,
            });
        }
    }
    const NOT_ALLOWED: &str = "cannot be set for an Ephemeral Container";
    // The resources struct is always there once defaulted: only a non-empty one counts.
    let resources = e.resources.as_ref().is_some_and(|r| {
        r.limits.as_ref().is_some_and(|m| !m.is_empty())
            || r.requests.as_ref().is_some_and(|m| !m.is_empty())
            || r.claims.as_ref().is_some_and(|c| !c.is_empty())
    });
    let set = [
        ("ports", e.ports.as_ref().is_some_and(|p| !p.is_empty())),
        ("resources", resources),
        ("resizePolicy", e.resize_policy.as_ref().is_some_and(|p| !p.is_empty())),
        ("restartPolicy", e.restart_policy.is_some()),
        ("livenessProbe", e.liveness_probe.is_some()),
        ("readinessProbe", e.readiness_probe.is_some()),
        ("startupProbe", e.startup_probe.is_some()),
        ("lifecycle", e.lifecycle.is_some()),
    ];
    for (field, present) in set {
        if present {
            errs.push(FieldError::forbidden(&format!("{cp}.{field}"), NOT_ALLOWED));
        }
    }
    for (j, m) in e.volume_mounts.iter().flatten().enumerate() {
        if m.sub_path.as_deref().is_some_and(|p| !p.is_empty()) {
            errs.push(FieldError::forbidden(&format!("{cp}.volumeMounts[{j}].subPath"), NOT_ALLOWED));
        }
        if m.sub_path_expr.as_deref().is_some_and(|p| !p.is_empty()) {
            errs.push(FieldError::forbidden(&format!("{cp}.volumeMounts[{j}].subPathExpr"), NOT_ALLOWED));
        }
    }
}

/// `ValidatePodEphemeralContainersUpdate`'s own part: ephemeral containers are only ever
/// added; an existing one may not be removed or changed.
pub fn ephemeral_containers_update(old: &core::Pod, new: &core::Pod) -> Vec<FieldError> {
    let list = |p: &core::Pod| p.spec.as_ref().and_then(|s| s.ephemeral_containers.clone()).unwrap_or_default();
    let (old, new) = (list(old), list(new));
    let mut errs = Vec::new();
    for o in &old {
        match new.iter().find(|n| n.name == o.name) {
            None => errs.push(FieldError::forbidden(
                "spec.ephemeralContainers",
                &format!("existing ephemeral containers {:?} may not be removed\n", o.name),
            )),
            Some(n) if n != o => errs.push(FieldError::forbidden(
                "spec.ephemeralContainers",
                &format!("existing ephemeral containers {:?} may not be changed\n", o.name),
            )),
            Some(_) => {}
        }
    }
    errs
}

pub fn validate_update(old: &Object, new: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match (old, new) {
        // ValidateConfigMapUpdate and ValidateSecretUpdate: once `immutable` is set, it and
        // the data stay as they are.
        (Object::ConfigMap(o), Object::ConfigMap(n)) if o.immutable == Some(true) => {
            let held = "field is immutable when `immutable` is set";
            if n.immutable != Some(true) {
                errs.push(FieldError::forbidden("immutable", held));
            }
            if n.data != o.data {
                errs.push(FieldError::forbidden("data", held));
            }
            if n.binary_data != o.binary_data {
                errs.push(FieldError::forbidden("binaryData", held));
            }
        }
        (Object::Secret(o), Object::Secret(n)) => {
            if n.type_ != o.type_ {
                errs.push(FieldError::invalid("type", &to_json(&n.type_), "field is immutable"));
            }
            if o.immutable == Some(true) {
                let held = "field is immutable when `immutable` is set";
                if n.immutable != Some(true) {
                    errs.push(FieldError::forbidden("immutable", held));
                }
                if n.data != o.data {
                    errs.push(FieldError::forbidden("data", held));
                }
            }
        }
        (Object::Deployment(o), Object::Deployment(n)) => {
            let (os, ns) = (o.spec.as_ref().map(|s| s.selector.clone()), n.spec.as_ref().map(|s| s.selector.clone()));
            if os != ns {
                errs.push(FieldError::invalid("spec.selector", &to_json(&ns), "field is immutable"));
            }
        }
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => {
            let (os, ns) = (o.spec.as_ref().map(|s| s.selector.clone()), n.spec.as_ref().map(|s| s.selector.clone()));
            if os != ns {
                errs.push(FieldError::invalid("spec.selector", &to_json(&ns), "field is immutable"));
            }
        }
        (Object::StatefulSet(o), Object::StatefulSet(n)) => {
            // ValidateStatefulSetUpdate: only these spec fields may change.
            let (Some(os), Some(ns)) = (o.spec.as_ref(), n.spec.as_ref()) else { return errs };
            let mut clone = ns.clone();
            clone.replicas = os.replicas;
            clone.template = os.template.clone();
            clone.update_strategy = os.update_strategy.clone();
            clone.min_ready_seconds = os.min_ready_seconds;
            clone.ordinals = os.ordinals.clone();
            clone.revision_history_limit = os.revision_history_limit;
            clone.persistent_volume_claim_retention_policy = os.persistent_volume_claim_retention_policy.clone();
            if &clone != os {
                errs.push(FieldError::forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                ));
            }
        }
        (Object::DaemonSet(o), Object::DaemonSet(n)) => {
            let (os, ns) = (o.spec.as_ref().map(|s| s.selector.clone()), n.spec.as_ref().map(|s| s.selector.clone()));
            if os != ns {
                errs.push(FieldError::invalid("spec.selector", &to_json(&ns), "field is immutable"));
            }
        }
        (Object::Service(o), Object::Service(n)) => {
            let oip = o.spec.as_ref().and_then(|s| s.cluster_ip.clone());
            let nip = n.spec.as_ref().and_then(|s| s.cluster_ip.clone());
            if oip.is_some() && nip.is_some() && oip != nip {
                errs.push(FieldError::invalid("spec.clusterIPs[0]", &json!(nip), "may not change once set"));
            }
        }
        (Object::Pod(o), Object::Pod(n)) => {
            // Only a few pod spec fields are mutable; kubeplay allows image, tolerations
            // additions and activeDeadlineSeconds, like the API server.
            let strip = |p: &core::Pod| {
                let mut s = p.spec.clone().unwrap_or_default();
                for c in s.containers.iter_mut().chain(s.init_containers.iter_mut().flatten()) {
                    c.image = None;
                }
                s.active_deadline_seconds = None;
                s.tolerations = None;
                s.node_name = None;
                s.scheduling_gates = None;
                s
            };
            // validateOnlyDeletedSchedulingGates: gates may be removed, never added.
            let old_gates = crate::scheduler::scheduling_gates(o);
            for (i, g) in crate::scheduler::scheduling_gates(n).into_iter().enumerate() {
                if !old_gates.contains(&g) {
                    errs.push(FieldError::forbidden(
                        &format!("spec.schedulingGates[{i}].name"),
                        &format!("only deletion is allowed, but found new scheduling gate '{g}'"),
                    ));
                }
            }
            if strip(o) != strip(n) {
                errs.push(FieldError::forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                ));
            }
        }
        // ValidatePriorityClassUpdate.
        (Object::PriorityClass(o), Object::PriorityClass(n)) => {
            if o.value != n.value {
                errs.push(FieldError::forbidden("value", "may not be changed in an update."));
            }
            if o.preemption_policy != n.preemption_policy {
                errs.push(FieldError::invalid("preemptionPolicy", &json!(n.preemption_policy), "field is immutable"));
            }
        }
        _ => {}
    }
    errs
}

/// `ValidatePriorityClass`: `system-` names are the API server's own classes, user classes
/// go up to 1000000000, and the preemption policy is one of two.
fn priority_class(pc: &k8s_openapi::api::scheduling::v1::PriorityClass, errs: &mut Vec<FieldError>) {
    const HIGHEST_USER_DEFINABLE: i32 = 1_000_000_000;
    let name = pc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with("system-") {
        let known = crate::boot::SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _, _)| *n == name);
        let problem = match known {
            None => Some(format!("{name} is not a known system priority class")),
            Some((n, v, _)) if *v != pc.value => Some(format!("value of {n} PriorityClass must be {v}")),
            Some((n, _, _)) if pc.global_default == Some(true) => {
                Some(format!("globalDefault of {n} PriorityClass must be false"))
            }
            Some(_) => None,
        };
        if let Some(p) = problem {
            errs.push(FieldError::forbidden(
                "metadata.name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {p}"),
            ));
        }
    } else if pc.value > HIGHEST_USER_DEFINABLE {
        errs.push(FieldError::forbidden(
            "value",
            &format!("maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE}"),
        ));
    }
    match pc.preemption_policy.as_deref() {
        None | Some("PreemptLowerPriority" | "Never") => {}
        Some("") => errs.push(FieldError::required("preemptionPolicy", "")),
        Some(other) => errs.push(FieldError::unsupported("preemptionPolicy", &json!(other), &["PreemptLowerPriority", "Never"])),
    }
}

/// `validateResizePolicy`: each of cpu and memory at most once, a known restart policy, and
/// NotRequired only for a pod that is never restarted.
fn resize_policy(c: &core::Container, cp: &str, pod_restart: &str, errs: &mut Vec<FieldError>) {
    let path = format!("{cp}.resizePolicy");
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in c.resize_policy.iter().flatten().enumerate() {
        if !seen.insert(p.resource_name.as_str()) {
            errs.push(FieldError::duplicate(&format!("{path}[{i}]"), &json!(p.resource_name)));
        }
        match p.resource_name.as_str() {
            "cpu" | "memory" => {}
            "" => errs.push(FieldError::required(&path, "")),
            other => errs.push(FieldError::unsupported(&path, &json!(other), &["cpu", "memory"])),
        }
        match p.restart_policy.as_str() {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(FieldError::required(&path, "")),
            other => errs.push(FieldError::unsupported(&path, &json!(other), &["NotRequired", "RestartContainer"])),
        }
        if pod_restart == "Never" && p.restart_policy != "NotRequired" {
            errs.push(FieldError::invalid(
                &path,
                &json!(p.restart_policy),
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            ));
        }
    }
}

/// `ValidatePodResize`: what a write to `pods/NAME/resize` may change. `new` is the old pod
/// with the request's container resources and resize policies (the strategy dropped the
/// rest), or with the request's container lists when they do not line up with the old ones.
pub fn pod_resize(old: &core::Pod, new: &core::Pod) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let (Some(os), Some(ns)) = (old.spec.as_ref(), new.spec.as_ref()) else { return errs };
    if ns.resources.is_some() {
        return vec![FieldError::forbidden("", "pods with pod-level resources cannot be resized")];
    }
    if ns.os.as_ref().is_some_and(|o| o.name == "windows") {
        return vec![FieldError::forbidden("", "windows pods cannot be resized")];
    }
    if crate::resources::qos_class(os) != crate::resources::qos_class(ns) {
        let shown = old.status.as_ref().and_then(|s| s.qos_class.clone()).unwrap_or_default();
        errs.push(FieldError::invalid("spec", &json!(shown), "Pod QOS Class may not change as a result of resizing"));
    }
    // The checks below pair containers by position, so they need the same names in order.
    let inits = |s: &core::PodSpec| s.init_containers.clone().unwrap_or_default();
    let (old_inits, new_inits) = (inits(os), inits(ns));
    let mut misordered = false;
    for (field, o, n) in [("containers", &os.containers, &ns.containers), ("initContainers", &old_inits, &new_inits)] {
        if o.len() != n.len() {
            errs.push(FieldError::forbidden(&format!("spec.{field}"), "containers may not be added or removed on resize"));
            misordered = true;
            continue;
        }
        for (i, (a, b)) in o.iter().zip(n).enumerate() {
            if a.name != b.name {
                errs.push(FieldError::forbidden(
                    &format!("spec.{field}[{i}].name"),
                    "containers may not be renamed or reordered on resize",
                ));
                misordered = true;
            }
        }
    }
    if misordered {
        return errs;
    }
    let removed = |o: Option<&BTreeMap<String, Quantity>>, n: Option<&BTreeMap<String, Quantity>>| {
        o.into_iter().flatten().any(|(k, _)| !n.is_some_and(|n| n.contains_key(k)))
    };
    let resources = |c: &core::Container| c.resources.clone().unwrap_or_default();
    let sidecar = |c: &core::Container| c.restart_policy.as_deref() == Some("Always");
    for (field, o, n) in [("initContainers", &old_inits, &new_inits), ("containers", &os.containers, &ns.containers)] {
        for (i, (a, b)) in o.iter().zip(n).enumerate() {
            if field == "initContainers" && !sidecar(a) {
                continue;
            }
            let (ra, rb) = (resources(a), resources(b));
            let path = format!("spec.{field}[{i}].resources");
            if removed(ra.requests.as_ref(), rb.requests.as_ref()) {
                errs.push(FieldError::forbidden(&format!("{path}.requests"), "resource requests cannot be removed"));
            }
            if removed(ra.limits.as_ref(), rb.limits.as_ref()) {
                errs.push(FieldError::forbidden(&format!("{path}.limits"), "resource limits cannot be removed"));
            }
        }
    }
    // Only cpu and memory may differ, and resizePolicy is immutable.
    let without_cpu_memory = |c: &core::Container| {
        let mut c = c.clone();
        if let Some(r) = c.resources.as_mut() {
            for list in [&mut r.requests, &mut r.limits] {
                if let Some(m) = list.as_mut() {
                    m.remove("cpu");
                    m.remove("memory");
                    if m.is_empty() {
                        *list = None;
                    }
                }
            }
            if r.requests.is_none() && r.limits.is_none() && r.claims.is_none() {
                c.resources = None;
            }
        }
        c
    };
    if os.containers.iter().zip(&ns.containers).any(|(a, b)| without_cpu_memory(a) != without_cpu_memory(b)) {
        errs.push(FieldError::forbidden("spec", "only cpu and memory resources are mutable"));
    }
    for (a, b) in old_inits.iter().zip(&new_inits) {
        if sidecar(a) && without_cpu_memory(a) != without_cpu_memory(b) {
            errs.push(FieldError::forbidden("spec", "only cpu and memory resources for sidecar containers are mutable"));
        } else if !sidecar(a) && a.resources != b.resources {
            errs.push(FieldError::forbidden("spec", "resources for non-sidecar init containers are immutable"));
        }
    }
    errs
}

/// `ValidatePodDisruptionBudgetSpec`: at most one of minAvailable and maxUnavailable, each a
/// non-negative count or a percentage up to 100%.
fn pdb_spec(spec: Option<&k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec>, errs: &mut Vec<FieldError>) {
    let Some(spec) = spec else { return };
    let intstr = |v: &Option<IntOrString>| match v {
        Some(IntOrString::Int(i)) => json!(i),
        Some(IntOrString::String(s)) => json!(s),
        None => Value::Null,
    };
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // The API server renders the internal spec as JSON (Go field names, no omitempty).
        let selector = spec.selector.as_ref().map(|s| serde_json::to_value(s).unwrap_or(Value::Null)).unwrap_or(Value::Null);
        let value = json!({
            "MinAvailable": intstr(&spec.min_available),
            "Selector": selector,
            "MaxUnavailable": intstr(&spec.max_unavailable),
            "UnhealthyPodEvictionPolicy": spec.unhealthy_pod_eviction_policy,
        });
        errs.push(FieldError::invalid("spec", &value, "minAvailable and maxUnavailable cannot be both set"));
    }
    for (field, v) in [("spec.minAvailable", &spec.min_available), ("spec.maxUnavailable", &spec.max_unavailable)] {
        match v {
            Some(IntOrString::Int(i)) if *i < 0 => {
                errs.push(FieldError::invalid(field, &json!(i), "must be greater than or equal to 0"));
            }
            Some(IntOrString::String(s)) => {
                let pct = s.strip_suffix('%').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                match pct {
                    None => errs.push(FieldError::invalid(
                        field,
                        &json!(s),
                        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                    )),
                    Some(d) if d.parse::<u64>().map_or(true, |n| n > 100) => {
                        errs.push(FieldError::invalid(field, &json!(s), "must not be greater than 100%"));
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    if let Some(p) = &spec.unhealthy_pod_eviction_policy {
        if p != "AlwaysAllow" && p != "IfHealthyBudget" {
            errs.push(FieldError::unsupported("spec.unhealthyPodEvictionPolicy", &json!(p), &["AlwaysAllow", "IfHealthyBudget"]));
        }
    }
}
