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
        _ => (0, 0),
    };
    Usage { cpu_m, memory: mi * MI }
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
