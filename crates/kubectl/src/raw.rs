//! `kubectl get --raw PATH`: a GET of an API server path, printed as the server answers it.
//!
//! Served: the health endpoints (`/healthz`, `/livez`, `/readyz`, each with `?verbose` and
//! per-check paths), `/version`, `/api`, resource paths under `/api/v1` and
//! `/apis/GROUP/VERSION` (an object, a list, or a pod's `status`), and the metrics API
//! (`/apis/metrics.k8s.io/v1beta1/nodes|pods`). Objects and lists are compact JSON, `kind`
//! and `apiVersion` first and list items without them, as the API server writes them.

use crate::Output;
use kubeplay_sim::metrics::{self, Usage};
use kubeplay_sim::{Kind, Object, World};
use serde_json::{json, Map, Value};

/// The health checks a k3s 1.35 API server runs, in the order `?verbose` lists them. They all
/// pass in kubeplay's cluster.
const LIVEZ_CHECKS: &[&str] = &[
    "ping",
    "log",
    "etcd",
    "poststarthook/start-apiserver-admission-initializer",
    "poststarthook/generic-apiserver-start-informers",
    "poststarthook/priority-and-fairness-config-consumer",
    "poststarthook/priority-and-fairness-filter",
    "poststarthook/storage-object-count-tracker-hook",
    "poststarthook/start-apiextensions-informers",
    "poststarthook/start-apiextensions-controllers",
    "poststarthook/crd-informer-synced",
    "poststarthook/start-system-namespaces-controller",
    "poststarthook/start-cluster-authentication-info-controller",
    "poststarthook/start-kube-apiserver-identity-lease-controller",
    "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
    "poststarthook/start-legacy-token-tracking-controller",
    "poststarthook/start-service-ip-repair-controllers",
    "poststarthook/rbac/bootstrap-roles",
    "poststarthook/scheduling/bootstrap-system-priority-classes",
    "poststarthook/priority-and-fairness-config-producer",
    "poststarthook/bootstrap-controller",
    "poststarthook/start-kubernetes-service-cidr-controller",
    "poststarthook/aggregator-reload-proxy-client-cert",
    "poststarthook/start-kube-aggregator-informers",
    "poststarthook/apiservice-status-local-available-controller",
    "poststarthook/apiservice-status-remote-available-controller",
    "poststarthook/apiservice-registration-controller",
    "poststarthook/apiservice-discovery-controller",
    "poststarthook/kube-apiserver-autoregistration",
    "autoregister-completion",
    "poststarthook/apiservice-openapi-controller",
    "poststarthook/apiservice-openapiv3-controller",
];

/// What says the check list is kubeplay's rendering of a k3s server's, not read from one.
const HEALTH_NOTE: &str =
    "kubeplay: the API server's health checks are simulated and always pass; the list is that of a k3s 1.35 server\n";

/// Where an unknown path leads: the API server's 404.
fn not_found() -> Output {
    Output::err("Error from server (NotFound): the server could not find the requested resource\n".into())
}

/// `kubectl get --raw PATH`.
pub fn get_raw(world: &World, path: &str) -> Output {
    if !path.starts_with('/') {
        // kubectl parses the argument as a URL relative to the server and needs a path.
        return Output::err(format!("error: --raw must be a valid URL path: parse {path:?}: invalid URI for request\n"));
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let verbose = query.split('&').any(|p| p == "verbose" || p.starts_with("verbose="));
    let path = path.trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [endpoint @ ("healthz" | "livez" | "readyz"), check @ ..] => health(endpoint, &check.join("/"), verbose),
        ["version"] => {
            let v = json!({"major": "1", "minor": "35", "gitVersion": "v1.35.0+k3s1", "gitTreeState": "clean", "compiler": "gc", "platform": "linux/amd64"});
            // The version handler indents its JSON.
            Output::ok(format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()))
        }
        ["api"] => compact(
            &json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.10:6443"}]}),
        ),
        ["apis", "metrics.k8s.io", "v1beta1", rest @ ..] => metrics_api(world, rest),
        ["api", "v1", rest @ ..] => resources(world, "", "v1", rest),
        ["apis", group, version, rest @ ..] => resources(world, group, version, rest),
        _ => not_found(),
    }
}

fn health(endpoint: &str, check: &str, verbose: bool) -> Output {
    let mut checks: Vec<&str> = LIVEZ_CHECKS.to_vec();
    if endpoint == "readyz" {
        // readyz adds etcd's readiness and the informer sync checks, and a shutdown check last.
        checks.insert(3, "etcd-readiness");
        checks.insert(4, "informer-sync");
        checks.push("shutdown");
    }
    if !check.is_empty() {
        return if checks.contains(&check) { Output::ok("ok\n".into()) } else { not_found() };
    }
    if !verbose {
        return Output { stdout: "ok\n".into(), notes: vec![HEALTH_NOTE.into()], ..Output::default() };
    }
    let mut out: String = checks.iter().map(|c| format!("[+]{c} ok\n")).collect();
    out.push_str(&format!("{endpoint} check passed\n"));
    Output { stdout: out, notes: vec![HEALTH_NOTE.into()], ..Output::default() }
}

/// The API server's encoding: one line of JSON and a newline.
fn compact(v: &Value) -> Output {
    Output::ok(format!("{}\n", serde_json::to_string(v).unwrap_or_default()))
}

/// An object in the API server's field order: `kind` and `apiVersion` (left out of list
/// items), `metadata`, `spec`, `status`, then the rest (`data`, `rules`...) sorted.
fn typed(v: &Value, with_type: bool) -> Value {
    let v = kubeplay_sim::api::sort_keys(v);
    let Value::Object(m) = v else { return v };
    let first: &[&str] =
        if with_type { &["kind", "apiVersion", "metadata", "spec", "status"] } else { &["metadata", "spec", "status"] };
    let mut out = Map::new();
    for k in first {
        if let Some(x) = m.get(*k) {
            out.insert((*k).into(), x.clone());
        }
    }
    for (k, x) in m {
        if !["kind", "apiVersion", "metadata", "spec", "status"].contains(&k.as_str()) {
            out.insert(k, x);
        }
    }
    Value::Object(out)
}

/// A list as the API server returns it.
fn list_value(kind_name: &str, api_version: &str, rv: u64, items: Vec<Value>) -> Value {
    json!({"kind": format!("{kind_name}List"), "apiVersion": api_version, "metadata": {"resourceVersion": rv.to_string()}, "items": items})
}

/// `[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]` under a group version.
fn resources(world: &World, group: &str, version: &str, rest: &[&str]) -> Output {
    let (ns, rest) = match rest {
        // `/api/v1/namespaces/NS` is the Namespace itself; `.../namespaces/NS/pods...` is scoped.
        ["namespaces", ns, res, more @ ..] => (Some(*ns), [&[*res][..], more].concat()),
        _ => (None, rest.to_vec()),
    };
    let Some((resource, rest)) = rest.split_first() else {
        return not_found();
    };
    let Some(kind) = Kind::ALL
        .iter()
        .copied()
        .find(|k| k.info().plural == *resource && k.info().group == group && k.info().version == version)
    else {
        return not_found();
    };
    let info = kind.info();
    if ns.is_some() && !info.namespaced {
        return not_found();
    }
    let store = world.store();
    match rest {
        [] => {
            let items: Vec<Value> =
                store.list(kind, if info.namespaced { ns } else { None }).map(|o| typed(&o.to_value(), false)).collect();
            compact(&list_value(info.kind, &info.api_version(), store.resource_version(), items))
        }
        [name] | [name, "status"] => {
            let Some(ns) = ns.or(if info.namespaced { None } else { Some("") }) else {
                return not_found();
            };
            match store.get(kind, ns, name) {
                Some(o) => compact(&typed(&o.to_value(), true)),
                None => Output::err(format!("Error from server (NotFound): {} \"{name}\" not found\n", info.resource_group())),
            }
        }
        _ => not_found(),
    }
}

/// The metrics API that metrics-server serves: `nodes[/NAME]`, `pods` and
/// `namespaces/NS/pods[/NAME]`. CPU is in nanocores and memory in KiB, as metrics-server
/// reports them.
fn metrics_api(world: &World, rest: &[&str]) -> Output {
    if !metrics::api_available(world) {
        return Output::err(
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request\n".into(),
        );
    }
    let now = serde_json::to_value(world.now_time()).unwrap_or_default();
    let usage = |u: &Usage| json!({"cpu": format!("{}n", u.cpu_m * 1_000_000), "memory": format!("{}Ki", u.memory / 1024)});
    let meta = |o: &Object| {
        let m = o.meta();
        let mut v = json!({"name": m.name, "creationTimestamp": now});
        if let Some(ns) = &m.namespace {
            v["namespace"] = json!(ns);
        }
        if let Some(l) = &m.labels {
            v["labels"] = json!(l);
        }
        v
    };
    let window = format!("{}s", metrics::METRIC_RESOLUTION_MS / 1000);
    let node_item = |o: &Object| -> Option<Value> {
        let Object::Node(n) = o else { return None };
        let u = metrics::node(world, n)?;
        Some(json!({"metadata": meta(o), "timestamp": now, "window": window, "usage": usage(&u)}))
    };
    let pod_item = |o: &Object| -> Option<Value> {
        let Object::Pod(p) = o else { return None };
        let cs = metrics::containers(world, p)?;
        let containers: Vec<Value> = cs.iter().map(|(name, u)| json!({"name": name, "usage": usage(u)})).collect();
        Some(json!({"metadata": meta(o), "timestamp": now, "window": window, "containers": containers}))
    };
    let api_version = "metrics.k8s.io/v1beta1";
    let list = |kind: &str, items: Vec<Value>| json!({"kind": format!("{kind}List"), "apiVersion": api_version, "metadata": {}, "items": items});
    let store = world.store();
    let one = |item: Option<Value>, kind: &str, resource: &str, name: &str| match item {
        Some(mut v) => {
            let m = v.as_object_mut().map(std::mem::take).unwrap_or_default();
            let mut out = Map::new();
            out.insert("kind".into(), json!(kind));
            out.insert("apiVersion".into(), json!(api_version));
            out.extend(m);
            compact(&Value::Object(out))
        }
        None => Output::err(format!("Error from server (NotFound): {resource}.metrics.k8s.io \"{name}\" not found\n")),
    };
    match rest {
        ["nodes"] => compact(&list("NodeMetrics", store.list(Kind::Node, None).filter_map(node_item).collect())),
        ["nodes", name] => one(store.get(Kind::Node, "", name).and_then(node_item), "NodeMetrics", "nodes", name),
        ["pods"] => compact(&list("PodMetrics", store.list(Kind::Pod, None).filter_map(pod_item).collect())),
        ["namespaces", ns, "pods"] => {
            compact(&list("PodMetrics", store.list(Kind::Pod, Some(ns)).filter_map(pod_item).collect()))
        }
        ["namespaces", ns, "pods", name] => one(store.get(Kind::Pod, ns, name).and_then(pod_item), "PodMetrics", "pods", name),
        _ => not_found(),
    }
}
