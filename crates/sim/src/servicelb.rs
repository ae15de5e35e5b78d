//! k3s's ServiceLB (klipper-lb) and the cloud service controller it plugs into.
//!
//! Each LoadBalancer Service gets a DaemonSet `svclb-<service>-<uid[:8]>` in `kube-system`
//! whose pods hold the Service's ports as hostPorts on every node and forward them to the
//! Service. The Service's `status.loadBalancer` lists the InternalIPs of the nodes whose
//! svclb pod is ready. A port that another LoadBalancer (or any hostPort pod) already holds
//! on a node leaves that node's svclb pod Pending (`didn't have free ports`), so the node's
//! IP is not advertised; on every node, EXTERNAL-IP stays `<pending>`. That is why a
//! LoadBalancer on port 80 stays pending on k3s: Traefik's own `svclb-traefik-*` pods hold
//! 80 and 443.
//!
//! The service controller keeps the `service.kubernetes.io/load-balancer-cleanup`
//! finalizer on LoadBalancer Services and removes the DaemonSet when the Service is deleted
//! or stops being a LoadBalancer. Events are upstream's (`EnsuringLoadBalancer`,
//! `AppliedDaemonSet`, `UpdatedLoadBalancer`, `DeletedDaemonSet`, ...), from
//! `service-controller`.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use serde_json::json;

pub const SVC_NAME_LABEL: &str = "svccontroller.k3s.cattle.io/svcname";
pub const SVC_NAMESPACE_LABEL: &str = "svccontroller.k3s.cattle.io/svcnamespace";
const NODE_SELECTOR_LABEL: &str = "svccontroller.k3s.cattle.io/nodeselector";
pub const CLEANUP_FINALIZER: &str = "service.kubernetes.io/load-balancer-cleanup";
pub const LB_IMAGE: &str = "rancher/klipper-lb:v0.4.13";
pub const LB_NAMESPACE: &str = "kube-system";
const COMPONENT: &str = "service-controller";

pub fn is_load_balancer(s: &core::Service) -> bool {
    s.spec.as_ref().and_then(|x| x.type_.as_deref()) == Some("LoadBalancer")
}

/// `svclb-<name>-<uid[:8]>`, the name cut at 48 characters (not at a trailing hyphen).
pub fn daemonset_name(s: &core::Service) -> String {
    let mut name = s.metadata.name.clone().unwrap_or_default();
    if name.len() > 48 {
        name.truncate(48);
        while name.ends_with('-') {
            name.pop();
        }
    }
    let uid = s.metadata.uid.clone().unwrap_or_default();
    format!("svclb-{name}-{}", &uid[..uid.len().min(8)])
}

/// The DaemonSet ServiceLB applies for a Service (k3s `newDaemonSet`).
fn desired_daemonset(s: &core::Service) -> serde_json::Value {
    let name = daemonset_name(s);
    let svc = s.metadata.name.clone().unwrap_or_default();
    let ns = s.metadata.namespace.clone().unwrap_or_default();
    let spec = s.spec.clone().unwrap_or_default();
    let ranges = spec
        .load_balancer_source_ranges
        .clone()
        .filter(|r| !r.is_empty())
        .map(|r| r.join(","))
        .unwrap_or_else(|| "0.0.0.0/0".into());
    let cluster_ips = spec.cluster_ips.clone().unwrap_or_else(|| spec.cluster_ip.iter().cloned().collect()).join(",");
    let containers: Vec<serde_json::Value> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let port_name = format!("lb-{}-{}", proto.to_lowercase(), p.port);
            json!({
                "name": port_name,
                "image": LB_IMAGE,
                "imagePullPolicy": "IfNotPresent",
                "ports": [{"name": port_name, "containerPort": p.port, "hostPort": p.port, "protocol": proto}],
                "env": [
                    {"name": "SRC_PORT", "value": p.port.to_string()},
                    {"name": "SRC_RANGES", "value": ranges},
                    {"name": "DEST_PROTO", "value": proto},
                    {"name": "DEST_PORT", "value": p.port.to_string()},
                    {"name": "DEST_IPS", "value": cluster_ips}
                ],
                "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}
            })
        })
        .collect();
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {
            "name": name,
            "namespace": LB_NAMESPACE,
            "labels": {NODE_SELECTOR_LABEL: "false", SVC_NAME_LABEL: svc, SVC_NAMESPACE_LABEL: ns}
        },
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name, SVC_NAME_LABEL: svc, SVC_NAMESPACE_LABEL: ns}},
                "spec": {
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "svclb",
                    "automountServiceAccountToken": false,
                    "securityContext": {"sysctls": [{"name": "net.ipv4.ip_forward", "value": "1"}]},
                    "tolerations": [
                        {"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"},
                        {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
                        {"key": "CriticalAddonsOnly", "operator": "Exists"}
                    ],
                    "containers": containers
                }
            },
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
        }
    })
}

/// The ServiceLB DaemonSets that serve the Service `ns/name` (found by label, so a deleted
/// Service's DaemonSet is found too).
fn daemonsets_of(world: &World, ns: &str, name: &str) -> Vec<ObjRef> {
    world
        .store()
        .list(Kind::DaemonSet, Some(LB_NAMESPACE))
        .filter(|o| {
            let l = o.meta().labels.as_ref();
            l.and_then(|l| l.get(SVC_NAME_LABEL)).map(String::as_str) == Some(name)
                && l.and_then(|l| l.get(SVC_NAMESPACE_LABEL)).map(String::as_str) == Some(ns)
        })
        .map(ObjRef::of)
        .collect()
}

/// The InternalIPs (sorted) of the nodes where the Service's svclb pod is ready.
fn advertised_ips(world: &World, ns: &str, name: &str) -> Vec<String> {
    let mut ips: Vec<String> = world
        .store()
        .list(Kind::Pod, Some(LB_NAMESPACE))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .filter(|p| {
            let l = p.metadata.labels.as_ref();
            l.and_then(|l| l.get(SVC_NAME_LABEL)).map(String::as_str) == Some(name)
                && l.and_then(|l| l.get(SVC_NAMESPACE_LABEL)).map(String::as_str) == Some(ns)
                && p.metadata.deletion_timestamp.is_none()
        })
        .filter(|p| {
            let st = p.status.as_ref();
            st.and_then(|s| s.pod_ip.as_ref()).is_some()
                && st
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        })
        .filter_map(|p| p.spec.as_ref()?.node_name.clone())
        .filter_map(|node| match world.store().get(Kind::Node, "", &node) {
            Some(Object::Node(n)) => {
                n.status.as_ref()?.addresses.as_ref()?.iter().find(|a| a.type_ == "InternalIP").map(|a| a.address.clone())
            }
            _ => None,
        })
        .collect();
    ips.sort();
    ips.dedup();
    ips
}

fn event(out: &mut Outcome, about: &ObjRef, ty: EventType, reason: &str, message: String) {
    out.writes.push(Write::Event { about: about.clone(), ty, reason: reason.into(), message, component: COMPONENT.into() });
}

fn ingress_ips(s: &core::Service) -> Vec<String> {
    s.status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|i| i.iter().filter_map(|x| x.ip.clone()).collect())
        .unwrap_or_default()
}

fn with_finalizer(s: &core::Service, present: bool) -> core::Service {
    let mut next = s.clone();
    next.metadata.resource_version = None;
    let f = next.metadata.finalizers.get_or_insert_with(Vec::new);
    f.retain(|x| x != CLEANUP_FINALIZER);
    if present {
        f.push(CLEANUP_FINALIZER.into());
    }
    if f.is_empty() {
        next.metadata.finalizers = None;
    }
    next
}

/// The service controller and ServiceLB for one Service (`r` may name a deleted one).
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let svc = match world.store().get_ref(r) {
        Some(Object::Service(s)) => Some(s),
        _ => None,
    };
    let wants_lb = svc.is_some_and(|s| is_load_balancer(s) && s.metadata.deletion_timestamp.is_none());
    let has_finalizer = svc.is_some_and(|s| s.metadata.finalizers.iter().flatten().any(|f| f == CLEANUP_FINALIZER));
    if !wants_lb {
        // Deleted, deleting, or no longer a LoadBalancer: remove the DaemonSet, clear the
        // status, and let the Service go.
        let dss = daemonsets_of(world, &r.namespace, &r.name);
        let had_lb = !dss.is_empty() || has_finalizer || svc.is_some_and(|s| !ingress_ips(s).is_empty());
        if let Some(s) = svc.filter(|_| had_lb) {
            event(&mut out, r, EventType::Normal, "DeletingLoadBalancer", "Deleting load balancer".into());
            for d in &dss {
                event(
                    &mut out,
                    r,
                    EventType::Normal,
                    "DeletedDaemonSet",
                    format!("Deleted LoadBalancer DaemonSet {}/{}", d.namespace, d.name),
                );
            }
            // (An update writes the whole object, so the finalizer goes first, the status
            // after it.)
            if has_finalizer {
                out.writes.push(Write::Update(Object::from(with_finalizer(s, false))));
            }
            if s.status.as_ref().and_then(|st| st.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref()).is_some() {
                let mut next = s.clone();
                next.metadata.resource_version = None;
                next.status = Some(core::ServiceStatus { load_balancer: Some(Default::default()), conditions: None });
                out.writes.push(Write::UpdateStatus(Object::Service(next)));
            }
            event(&mut out, r, EventType::Normal, "DeletedLoadBalancer", "Deleted load balancer".into());
        }
        for d in dss {
            out.writes.push(Write::Delete(d, crate::api::Propagation::Background));
        }
        return out;
    }
    let Some(s) = svc else { return out };
    if !has_finalizer {
        out.writes.push(Write::Update(Object::from(with_finalizer(s, true))));
    }
    // Ensure the DaemonSet: create it, or bring its pod template up to date.
    let want = match crate::api::decode_for_server(&desired_daemonset(s)) {
        Ok(Object::DaemonSet(d)) => d,
        _ => return out,
    };
    let name = daemonset_name(s);
    match world.store().get(Kind::DaemonSet, LB_NAMESPACE, &name) {
        None => {
            event(&mut out, r, EventType::Normal, "EnsuringLoadBalancer", "Ensuring load balancer".into());
            out.writes.push(Write::Create(Object::DaemonSet(want)));
            event(
                &mut out,
                r,
                EventType::Normal,
                "AppliedDaemonSet",
                format!("Applied LoadBalancer DaemonSet {LB_NAMESPACE}/{name}"),
            );
        }
        Some(Object::DaemonSet(cur)) => {
            let cur_containers = cur
                .spec
                .as_ref()
                .and_then(|x| x.template.spec.as_ref())
                .map(|p| p.containers.iter().map(|c| (c.name.clone(), c.ports.clone(), c.env.clone())).collect::<Vec<_>>());
            let want_containers = want
                .spec
                .as_ref()
                .and_then(|x| x.template.spec.as_ref())
                .map(|p| p.containers.iter().map(|c| (c.name.clone(), c.ports.clone(), c.env.clone())).collect::<Vec<_>>());
            if cur_containers != want_containers {
                let mut next = cur.clone();
                next.metadata.resource_version = None;
                if let (Some(ns), Some(ws)) = (next.spec.as_mut(), want.spec.as_ref()) {
                    ns.template = ws.template.clone();
                }
                event(&mut out, r, EventType::Normal, "EnsuringLoadBalancer", "Ensuring load balancer".into());
                out.writes.push(Write::Update(Object::DaemonSet(next)));
                event(
                    &mut out,
                    r,
                    EventType::Normal,
                    "AppliedDaemonSet",
                    format!("Applied LoadBalancer DaemonSet {LB_NAMESPACE}/{name}"),
                );
            }
        }
        Some(_) => {}
    }
    // Status: the nodes whose svclb pod is ready.
    let before = ingress_ips(s);
    let now = advertised_ips(world, &r.namespace, &r.name);
    if before != now || s.status.as_ref().and_then(|st| st.load_balancer.as_ref()).is_none() {
        let mut next = s.clone();
        next.metadata.resource_version = None;
        let ingress: Vec<core::LoadBalancerIngress> = now
            .iter()
            .map(|ip| core::LoadBalancerIngress { ip: Some(ip.clone()), ip_mode: Some("VIP".into()), ..Default::default() })
            .collect();
        next.status = Some(core::ServiceStatus {
            load_balancer: Some(core::LoadBalancerStatus { ingress: if ingress.is_empty() { None } else { Some(ingress) } }),
            conditions: None,
        });
        out.writes.push(Write::UpdateStatus(Object::Service(next)));
        if before != now {
            if now.is_empty() {
                event(
                    &mut out,
                    r,
                    EventType::Warning,
                    "UnAvailableLoadBalancer",
                    "There are no available nodes for LoadBalancer".into(),
                );
            } else {
                event(
                    &mut out,
                    r,
                    EventType::Normal,
                    "UpdatedLoadBalancer",
                    format!("Updated LoadBalancer with new IPs: [{}] -> [{}]", before.join(" "), now.join(" ")),
                );
            }
        }
    }
    out
}
