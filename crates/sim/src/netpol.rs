//! NetworkPolicy, as k3s's embedded network policy controller (kube-router) enforces it on
//! connections between pods: a pod selected by a policy with the Ingress type accepts only
//! what one of those policies' ingress rules allow, and a pod selected by one with the
//! Egress type may open only what their egress rules allow. Traffic a policy drops is not
//! refused but dropped, so the client times out.
//!
//! Simplified: only TCP connections to pods are filtered (kubeplay's traffic is HTTP). DNS
//! lookups are answered whatever the egress rules say.

use crate::kinds::{Kind, Object};
use crate::selectors::Selector;
use crate::world::World;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The policy types a policy has: as written, or (the API's default) Ingress, plus Egress
/// when it has egress rules.
fn types(p: &net::NetworkPolicySpec) -> (bool, bool) {
    match &p.policy_types {
        Some(t) if !t.is_empty() => (t.iter().any(|x| x == "Ingress"), t.iter().any(|x| x == "Egress")),
        _ => (true, p.egress.is_some()),
    }
}

/// An empty selector selects everything here (unlike a workload's).
fn selects(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    Selector::from_label_selector(sel).matches(labels)
}

fn labels_of(p: &core::Pod) -> BTreeMap<String, String> {
    p.metadata.labels.clone().unwrap_or_default()
}

fn namespace_labels(world: &World, ns: &str) -> BTreeMap<String, String> {
    world.store().get(Kind::Namespace, "", ns).and_then(|o| o.meta().labels.clone()).unwrap_or_default()
}

/// The policies of `ns` that select `pod`, with their spec.
fn selecting<'a>(world: &'a World, ns: &'a str, pod: &'a core::Pod) -> impl Iterator<Item = &'a net::NetworkPolicySpec> + 'a {
    let labels = labels_of(pod);
    world.store().list(Kind::NetworkPolicy, Some(ns)).filter_map(move |o| match o {
        Object::NetworkPolicy(np) => np.spec.as_ref().filter(|s| s.pod_selector.as_ref().is_none_or(|sel| selects(sel, &labels))),
        _ => None,
    })
}

/// An IPv4 address as a number.
fn ipv4(s: &str) -> Option<u32> {
    let mut v: u32 = 0;
    let mut parts = 0;
    for p in s.split('.') {
        v = v.checked_mul(256)?.checked_add(p.parse::<u8>().ok()?.into())?;
        parts += 1;
    }
    (parts == 4).then_some(v)
}

/// Whether `ip` is inside the IPv4 `cidr`.
fn in_cidr(ip: &str, cidr: &str) -> bool {
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let (Some(ip), Some(net), Ok(bits)) = (ipv4(ip), ipv4(net), bits.parse::<u32>()) else { return false };
    let mask = if bits == 0 { 0 } else { u32::MAX.checked_shl(32 - bits.min(32)).unwrap_or(0) };
    ip & mask == net & mask
}

/// One end of a connection: its IP, and the pod it is (if it is one).
struct End<'a> {
    ip: &'a str,
    pod: Option<&'a core::Pod>,
}

/// Whether `peer` (a rule's from/to entry, in a policy of `policy_ns`) matches `end`.
fn peer_matches(world: &World, policy_ns: &str, peer: &net::NetworkPolicyPeer, end: &End<'_>) -> bool {
    if let Some(block) = &peer.ip_block {
        return in_cidr(end.ip, &block.cidr) && !block.except.iter().flatten().any(|e| in_cidr(end.ip, e));
    }
    let Some(pod) = end.pod else { return false };
    let pod_ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let ns_ok = match &peer.namespace_selector {
        Some(sel) => selects(sel, &namespace_labels(world, pod_ns)),
        None => pod_ns == policy_ns,
    };
    let pod_ok = peer.pod_selector.as_ref().is_none_or(|sel| selects(sel, &labels_of(pod)));
    ns_ok && pod_ok
}

/// Whether a rule's ports admit TCP `port` on `dst` (a named port is the destination
/// pod's container port of that name).
fn ports_match(ports: Option<&Vec<net::NetworkPolicyPort>>, dst: Option<&core::Pod>, port: u16) -> bool {
    let Some(ports) = ports.filter(|p| !p.is_empty()) else { return true };
    ports.iter().any(|p| {
        if p.protocol.as_deref().unwrap_or("TCP") != "TCP" {
            return false;
        }
        match &p.port {
            None => true,
            Some(IntOrString::Int(n)) => {
                let end = p.end_port.unwrap_or(*n);
                i32::from(port) >= *n && i32::from(port) <= end
            }
            Some(IntOrString::String(name)) => dst
                .and_then(|d| d.spec.as_ref())
                .into_iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .any(|cp| cp.name.as_deref() == Some(name.as_str()) && cp.container_port == i32::from(port)),
        }
    })
}

/// Whether the policies let a connection from `client_ip` reach `dst` on TCP `port`.
pub fn allows(world: &World, client_ip: &str, dst: &core::Pod, port: u16) -> bool {
    let dst_ip = dst.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    // A pod's own traffic (localhost, its own IP) and a port-forward, which connects inside
    // the pod's network namespace, never cross the filter.
    if client_ip == dst_ip || client_ip == "127.0.0.1" || client_ip == "::1" {
        return true;
    }
    // The source: the live pod with that IP (a finished pod's IP may be reused).
    let src_pod = world.store().list(Kind::Pod, None).find_map(|o| match o {
        Object::Pod(p)
            if p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(client_ip)
                && !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed")) =>
        {
            Some(&**p)
        }
        _ => None,
    });
    let src = End { ip: client_ip, pod: src_pod };
    let to = End { ip: &dst_ip, pod: Some(dst) };
    // The destination's ingress.
    let dst_ns = dst.metadata.namespace.as_deref().unwrap_or("");
    let ingress: Vec<&net::NetworkPolicySpec> = selecting(world, dst_ns, dst).filter(|s| types(s).0).collect();
    let ingress_ok = ingress.is_empty()
        || ingress.iter().any(|s| {
            s.ingress
                .iter()
                .flatten()
                .any(|rule| rule_admits(world, dst_ns, rule.from.as_ref(), rule.ports.as_ref(), &src, dst, port))
        });
    if !ingress_ok {
        return false;
    }
    // The source's egress.
    let Some(sp) = src_pod else { return true };
    let src_ns = sp.metadata.namespace.as_deref().unwrap_or("");
    let egress: Vec<&net::NetworkPolicySpec> = selecting(world, src_ns, sp).filter(|s| types(s).1).collect();
    egress.is_empty()
        || egress.iter().any(|s| {
            s.egress
                .iter()
                .flatten()
                .any(|rule| rule_admits(world, src_ns, rule.to.as_ref(), rule.ports.as_ref(), &to, dst, port))
        })
}

/// Whether one rule (of a policy in `policy_ns`) admits the connection: its peers (none or
/// an empty list: everyone) include `other`, the far end, and its ports include `port` on
/// `dst`.
fn rule_admits(
    world: &World,
    policy_ns: &str,
    peers: Option<&Vec<net::NetworkPolicyPeer>>,
    ports: Option<&Vec<net::NetworkPolicyPort>>,
    other: &End<'_>,
    dst: &core::Pod,
    port: u16,
) -> bool {
    let peers_ok = match peers.filter(|p| !p.is_empty()) {
        None => true,
        Some(peers) => peers.iter().any(|peer| peer_matches(world, policy_ns, peer, other)),
    };
    peers_ok && ports_match(ports, Some(dst), port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_contain_what_their_mask_covers() {
        assert!(in_cidr("10.42.1.7", "10.42.0.0/16"));
        assert!(!in_cidr("10.43.1.7", "10.42.0.0/16"));
        assert!(in_cidr("172.17.1.1", "172.17.1.1/32"));
        assert!(!in_cidr("172.17.1.2", "172.17.1.1"));
        assert!(in_cidr("8.8.8.8", "0.0.0.0/0"));
        assert!(!in_cidr("not-an-ip", "0.0.0.0/0"));
    }
}
