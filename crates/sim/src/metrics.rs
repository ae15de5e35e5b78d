//! Resource usage as metrics-server would report it, for `kubectl top`. The figures are
//! modelled, not measured: a container uses what its program holds (`stress --vm-bytes`,
//! `stress --cpu`) plus a small resident size typical of its image; a node adds what k3s
//! itself uses. Usage is only reported once metrics-server has scraped a container
//! (`METRIC_RESOLUTION_MS` after it started), and only while metrics-server is available.

use crate::kinds::{Kind, Object};
use crate::kubelet::CState;
use crate::store::ObjRef;
use crate::world::World;
use k8s_openapi::api::core::v1 as core;

/// metrics-server's `--metric-resolution`.
pub const METRIC_RESOLUTION_MS: u64 = 15_000;

const MI: u64 = 1024 * 1024;

/// A container's or pod's usage: CPU in millicores, memory in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_m: u64,
    pub memory: u64,
}

/// The idle footprint of an image's program (typical resident sizes).
fn baseline(family: &str) -> Usage {
    let (cpu_m, mi) = match family {
        "nginx" | "nginx-slim" => (0, 3),
        "httpd" => (1, 6),
        "redis" => (2, 3),
        "postgres" => (2, 21),
        "mysql" | "mariadb" => (5, 380),
        "coredns" => (2, 13),
        "traefik" => (1, 32),
        "metrics-server" => (4, 17),
        "local-path-provisioner" => (1, 9),
        "klipper-lb" => (0, 1),
        "ingress-nginx" => (2, 96),
        "fluentd" => (3, 85),
        "stress" => (0, 5),
        "agnhost" | "whoami" | "http-echo" | "hello-app" | "hello-app-2" | "goproxy" => (1, 2),
        "kubernetes-bootcamp" | "kubernetes-bootcamp-2" => (1, 12),
        "perl" => (0, 4),
        "hpa-example" => (1, 10),
        "zookeeper" => (3, 96),
        "wordpress" => (1, 38),
        "gb-frontend" => (1, 12),
        "gb-redis-follower" => (2, 3),
        "mongo" => (4, 72),
        "hello-go-gke" => (1, 2),
        "hello-frontend" => (0, 3),
        _ => (0, 0),
    };
    Usage { cpu_m, memory: mi * MI }
}

/// The CPU a server image burns per HTTP request, in ms (php-apache's index.php runs a
/// million square roots per request).
fn request_cost_ms(family: &str) -> Option<u64> {
    match family {
        "hpa-example" => Some(50),
        _ => None,
    }
}

/// The Service a URL's host names, from a client in `client_ns` (`svc`, `svc.ns`,
/// `svc.ns.svc[.cluster.local]`).
fn service_of(url: &str, client_ns: &str) -> Option<(String, String)> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    let host = host.strip_suffix(".cluster.local").unwrap_or(host);
    let host = host.strip_suffix(".svc").unwrap_or(host);
    match host.split('.').collect::<Vec<_>>().as_slice() {
        [svc] if !svc.is_empty() => Some((client_ns.to_string(), svc.to_string())),
        [svc, ns] => Some((ns.to_string(), svc.to_string())),
        _ => None,
    }
}

/// The CPU (m) that request loops elsewhere in the cluster put on this pod: each loop is a
/// closed-loop client (one request at a time, `cost / (pause + cost)` of a core), spread
/// evenly over the ready pods of the Service it requests.
fn load_cpu_m(world: &World, pod: &core::Pod, cost_ms: u64) -> u64 {
    let me = ObjRef::of_pod(pod);
    let mut total = 0.0;
    for (client, rt) in world.runtimes() {
        for c in rt.containers.values() {
            let (Some((url, pause)), CState::Running { .. }) = (&c.program.load, &c.state) else { continue };
            let Some((ns, name)) = service_of(url, &client.namespace) else { continue };
            if ns != me.namespace {
                continue;
            }
            let Some(Object::Service(svc)) = world.store().get(Kind::Service, &ns, &name) else { continue };
            let Some(sel) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty()) else { continue };
            let backends: Vec<String> = world
                .store()
                .list(Kind::Pod, Some(&ns))
                .filter_map(|o| match o {
                    Object::Pod(p)
                        if crate::replicaset::pod_ready(p)
                            && p.metadata.deletion_timestamp.is_none()
                            && sel.iter().all(|(k, v)| p.metadata.labels.as_ref().and_then(|l| l.get(k)) == Some(v)) =>
                    {
                        p.metadata.name.clone()
                    }
                    _ => None,
                })
                .collect();
            if backends.contains(&me.name) {
                let demand = cost_ms as f64 / (*pause as f64 + cost_ms as f64);
                total += demand * 1000.0 / backends.len() as f64;
            }
        }
    }
    total.round() as u64
}

/// Whether metrics-server is running and ready.
pub fn api_available(world: &World) -> bool {
    matches!(
        world.store().get(Kind::Deployment, "kube-system", "metrics-server"),
        Some(Object::Deployment(d)) if d.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0) > 0
    )
}

/// Each running container's usage, or `None` until metrics-server has scraped the pod.
pub fn containers(world: &World, pod: &core::Pod) -> Option<Vec<(String, Usage)>> {
    let r = ObjRef::of_pod(pod);
    let rt = world.runtime(&r)?;
    let now = world.now_ms();
    let spec = pod.spec.as_ref()?;
    let mut out = Vec::new();
    for c in &spec.containers {
        let Some(crt) = rt.containers.get(&c.name) else { continue };
        let CState::Running { since } = crt.state else { continue };
        if now < since + METRIC_RESOLUTION_MS {
            return None;
        }
        let family = crate::images::lookup(c.image.as_deref().unwrap_or("")).map(|i| i.family).unwrap_or("");
        let base = baseline(family);
        let mut u = Usage { cpu_m: base.cpu_m, memory: base.memory + crt.program.memory_bytes.unwrap_or(0) };
        if let Some(cpu) = crt.program.cpu_millis {
            u.cpu_m += cpu;
        }
        if let Some(cost) = request_cost_ms(family) {
            u.cpu_m += load_cpu_m(world, pod, cost);
        }
        // A CPU limit throttles; a memory limit was enforced when the program started.
        if let Some(lim) = c.resources.as_ref().and_then(|r| r.limits.as_ref()).and_then(|l| l.get("cpu")) {
            if let Some(m) = crate::quantity::parse(&lim.0) {
                u.cpu_m = u.cpu_m.min(m as u64);
            }
        }
        out.push((c.name.clone(), u));
    }
    if out.is_empty() {
        return None;
    }
    Some(out)
}

/// A pod's usage: the sum of its containers'.
pub fn pod(world: &World, pod: &core::Pod) -> Option<Usage> {
    let cs = containers(world, pod)?;
    Some(cs.iter().fold(Usage::default(), |a, (_, u)| Usage { cpu_m: a.cpu_m + u.cpu_m, memory: a.memory + u.memory }))
}

/// A node's usage: its pods plus k3s itself (more on a server, which runs the control plane).
pub fn node(world: &World, node: &core::Node) -> Option<Usage> {
    let name = node.metadata.name.as_deref().unwrap_or("");
    if world.node_stopped_at(name).is_some() || world.now_ms() < METRIC_RESOLUTION_MS {
        return None;
    }
    let server = node.metadata.labels.as_ref().is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"));
    let mut u = if server { Usage { cpu_m: 60, memory: 620 * MI } } else { Usage { cpu_m: 15, memory: 210 * MI } };
    for o in world.store().pods_on_node(name) {
        if let Object::Pod(p) = o {
            if let Some(pu) = pod(world, p) {
                u.cpu_m += pu.cpu_m;
                u.memory += pu.memory;
            }
        }
    }
    Some(u)
}
