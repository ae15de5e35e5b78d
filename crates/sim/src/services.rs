//! Service allocations as k3s's API server makes them: cluster IPs from 10.43.0.0/16
//! (dynamic ones from the upper band) and node ports from 30000-32767.

use crate::errors::FieldError;
use crate::kinds::{Kind, Object};
use crate::world::World;
use k8s_openapi::api::core::v1::Service;
use serde_json::json;
use std::collections::BTreeSet;

/// Cluster IP of the `kubernetes` Service.
pub const KUBERNETES_SERVICE_IP: &str = "10.43.0.1";
/// Cluster IP of CoreDNS (`kube-dns`).
pub const DNS_SERVICE_IP: &str = "10.43.0.10";
const NODE_PORT_MIN: i32 = 30000;
const NODE_PORT_MAX: i32 = 32767;
/// Node ports below this are the static band; dynamic allocation prefers the ones above.
const NODE_PORT_DYNAMIC_MIN: i32 = 30086;

fn used(world: &World) -> (BTreeSet<String>, BTreeSet<i32>) {
    let mut ips = BTreeSet::new();
    let mut ports = BTreeSet::new();
    for o in world.store().list(Kind::Service, None) {
        if let Object::Service(s) = o {
            if let Some(spec) = &s.spec {
                if let Some(ip) = &spec.cluster_ip {
                    ips.insert(ip.clone());
                }
                ports.extend(spec.ports.iter().flatten().filter_map(|p| p.node_port));
                ports.extend(spec.health_check_node_port);
            }
        }
    }
    (ips, ports)
}

/// Allocates the cluster IP and node ports of a Service being created. Returns a field error
/// when a requested value is taken.
pub fn allocate(world: &mut World, svc: &mut Service) -> Option<FieldError> {
    let (ips, ports) = used(world);
    let spec = svc.spec.as_mut()?;
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    if ty == "ExternalName" {
        return None;
    }
    match spec.cluster_ip.clone() {
        Some(ip) if ip == "None" => {
            spec.cluster_ips = Some(vec!["None".into()]);
        }
        Some(ip) if !ip.is_empty() => {
            if ips.contains(&ip) {
                return Some(FieldError::invalid(
                    "spec.clusterIPs",
                    &json!([ip]),
                    &format!("failed to allocate IP {ip}: provided IP is already allocated"),
                ));
            }
            spec.cluster_ips = Some(vec![ip]);
        }
        _ => {
            // The upper band of a /16 starts at offset 256 (min(max(16, size/16), 256)).
            let mut ip = String::new();
            for _ in 0..64 {
                let off = 256 + world.rng.below(65536 - 256 - 1) as u32;
                let cand = format!("10.43.{}.{}", off >> 8, off & 0xff);
                if !ips.contains(&cand) && (off & 0xff) != 0 {
                    ip = cand;
                    break;
                }
            }
            spec.cluster_ip = Some(ip.clone());
            spec.cluster_ips = Some(vec![ip]);
        }
    }
    if let Some(np) = spec.health_check_node_port.filter(|p| *p != 0 && !needs_health_check(spec)) {
        return Some(FieldError::invalid(
            "spec.healthCheckNodePort",
            &json!(np),
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ));
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        let mut taken = ports;
        for (i, p) in spec.ports.iter_mut().flatten().enumerate() {
            match p.node_port {
                Some(np) => {
                    if taken.contains(&np) {
                        return Some(FieldError::invalid(
                            &format!("spec.ports[{i}].nodePort"),
                            &json!(np),
                            "provided port is already allocated",
                        ));
                    }
                    taken.insert(np);
                }
                None => {
                    if let Some(np) = pick_node_port(world, &taken) {
                        taken.insert(np);
                        p.node_port = Some(np);
                    }
                }
            }
        }
        if needs_health_check(spec) {
            match spec.health_check_node_port.filter(|p| *p != 0) {
                Some(np) if taken.contains(&np) => {
                    return Some(FieldError::invalid(
                        "spec.healthCheckNodePort",
                        &json!(np),
                        "provided port is already allocated",
                    ));
                }
                Some(_) => {}
                None => spec.health_check_node_port = pick_node_port(world, &taken),
            }
        }
    }
    None
}

/// A LoadBalancer that keeps traffic on the nodes with endpoints (`externalTrafficPolicy:
/// Local`) gets a health-check node port for the load balancer to probe.
fn needs_health_check(spec: &k8s_openapi::api::core::v1::ServiceSpec) -> bool {
    spec.type_.as_deref() == Some("LoadBalancer") && spec.external_traffic_policy.as_deref() == Some("Local")
}

/// On update: a Service that became NodePort or LoadBalancer gets node ports for the ports
/// that have none; one that stopped being one drops them (the API server's
/// `dropTypeDependentFields`).
pub fn allocate_on_update(world: &mut World, svc: &mut Service) {
    let (_, ports) = used(world);
    let Some(spec) = svc.spec.as_mut() else { return };
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    if ty != "NodePort" && ty != "LoadBalancer" {
        for p in spec.ports.iter_mut().flatten() {
            p.node_port = None;
        }
        spec.health_check_node_port = None;
        return;
    }
    let mut taken = ports;
    for p in spec.ports.iter().flatten() {
        if let Some(np) = p.node_port {
            taken.insert(np);
        }
    }
    for p in spec.ports.iter_mut().flatten().filter(|p| p.node_port.is_none()) {
        if let Some(np) = pick_node_port(world, &taken) {
            taken.insert(np);
            p.node_port = Some(np);
        }
    }
    if !needs_health_check(spec) {
        spec.health_check_node_port = None;
    } else if spec.health_check_node_port.is_none_or(|p| p == 0) {
        spec.health_check_node_port = pick_node_port(world, &taken);
    }
}

/// A free node port: random in the dynamic band (seeded), else the first free one.
fn pick_node_port(world: &mut World, taken: &std::collections::BTreeSet<i32>) -> Option<i32> {
    let span = (NODE_PORT_MAX - NODE_PORT_DYNAMIC_MIN + 1) as u64;
    for _ in 0..64 {
        let cand = NODE_PORT_DYNAMIC_MIN + world.rng.below(span) as i32;
        if !taken.contains(&cand) {
            return Some(cand);
        }
    }
    (NODE_PORT_MIN..=NODE_PORT_MAX).find(|p| !taken.contains(p))
}

/// Keeps a Service's allocated cluster IP and node ports when an update leaves them unset.
pub fn keep_allocations(old: &Service, new: &mut Service) {
    let (Some(os), Some(ns)) = (old.spec.as_ref(), new.spec.as_mut()) else {
        return;
    };
    if ns.cluster_ip.as_deref().unwrap_or("").is_empty() {
        ns.cluster_ip = os.cluster_ip.clone();
    }
    if ns.cluster_ips.as_ref().is_none_or(Vec::is_empty) {
        ns.cluster_ips = os.cluster_ips.clone();
    }
    let same_kind = |t: &Option<String>| matches!(t.as_deref(), Some("NodePort" | "LoadBalancer"));
    if needs_health_check(ns) && needs_health_check(os) && ns.health_check_node_port.is_none() {
        ns.health_check_node_port = os.health_check_node_port;
    }
    if same_kind(&ns.type_) && same_kind(&os.type_) {
        for p in ns.ports.iter_mut().flatten() {
            if p.node_port.is_none() {
                p.node_port =
                    os.ports.iter().flatten().find(|o| o.port == p.port && o.protocol == p.protocol).and_then(|o| o.node_port);
            }
        }
    }
}
