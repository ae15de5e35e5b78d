//! The EndpointSlice and Endpoints controllers: for each Service with a selector, the
//! matching pods that have an IP become endpoints (ready / serving / terminating), with
//! named target ports resolved per pod. Also the `kubernetes` Service's endpoints, which
//! the API server itself keeps.

use crate::kinds::{Kind, Object};
use crate::replicaset::pod_ready;
use crate::selectors::Selector;
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1 as discovery;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

/// One pod as an endpoint of a Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodEndpoint {
    pub pod: String,
    pub uid: String,
    pub ip: String,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// Service port name → resolved target port on this pod.
    pub ports: BTreeMap<String, i32>,
}

/// Resolves a Service port's targetPort on a pod: numbers as they are, names through the
/// pod's container ports.
pub fn resolve_target_port(sp: &core::ServicePort, pod: &core::Pod) -> Option<i32> {
    match sp.target_port.as_ref().unwrap_or(&IntOrString::Int(sp.port)) {
        IntOrString::Int(p) => Some(*p),
        IntOrString::String(name) => pod
            .spec
            .as_ref()?
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

/// The endpoints a Service has now, sorted by pod IP.
pub fn service_endpoints(world: &World, svc: &core::Service) -> Vec<PodEndpoint> {
    let Some(spec) = svc.spec.as_ref() else { return vec![] };
    let Some(sel) = spec.selector.as_ref().filter(|s| !s.is_empty()) else { return vec![] };
    let selector = Selector::from_map(sel);
    let ns = svc.metadata.namespace.as_deref().unwrap_or_default();
    let publish = spec.publish_not_ready_addresses.unwrap_or(false);
    let no_labels = BTreeMap::new();
    let mut out = Vec::new();
    for o in world.store().list(Kind::Pod, Some(ns)) {
        let Object::Pod(p) = o else { continue };
        if !selector.matches(p.metadata.labels.as_ref().unwrap_or(&no_labels)) {
            continue;
        }
        let Some(st) = p.status.as_ref() else { continue };
        let phase = st.phase.as_deref().unwrap_or("");
        let Some(ip) = st.pod_ip.clone().filter(|i| !i.is_empty()) else { continue };
        if phase == "Succeeded" || phase == "Failed" {
            continue;
        }
        let terminating = p.metadata.deletion_timestamp.is_some();
        let serving = pod_ready(p);
        let ready = publish || (serving && !terminating);
        let mut ports = BTreeMap::new();
        for sp in spec.ports.iter().flatten() {
            if let Some(tp) = resolve_target_port(sp, p) {
                ports.insert(sp.name.clone().unwrap_or_default(), tp);
            }
        }
        out.push(PodEndpoint {
            pod: p.metadata.name.clone().unwrap_or_default(),
            uid: p.metadata.uid.clone().unwrap_or_default(),
            ip,
            node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
            ready,
            serving: serving || publish,
            terminating,
            ports,
        });
    }
    out.sort_by_key(|e| ip_key(&e.ip));
    out
}

fn ip_key(ip: &str) -> Vec<u32> {
    ip.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn owner_ref(svc: &core::Service) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Service".into(),
        name: svc.metadata.name.clone().unwrap_or_default(),
        uid: svc.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Reconciles the Endpoints and EndpointSlice of one Service.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::Service(svc)) = world.store().get_ref(r) else {
        // The Service is gone: so are its Endpoints (its slices go by ownerReference).
        if world.store().get(Kind::Endpoints, &r.namespace, &r.name).is_some() {
            out.writes
                .push(Write::Delete(ObjRef::new(Kind::Endpoints, &r.namespace, &r.name), crate::api::Propagation::Background));
        }
        return out;
    };
    let spec = svc.spec.clone().unwrap_or_default();
    if spec.selector.as_ref().is_none_or(BTreeMap::is_empty) || svc.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let eps = service_endpoints(world, svc);
    let ports = spec.ports.clone().unwrap_or_default();
    // Endpoints (v1): addresses grouped by their resolved port set.
    let mut subsets: Vec<core::EndpointSubset> = Vec::new();
    for e in &eps {
        let eports: Vec<core::EndpointPort> = ports
            .iter()
            .filter_map(|sp| {
                e.ports.get(&sp.name.clone().unwrap_or_default()).map(|p| core::EndpointPort {
                    name: sp.name.clone(),
                    port: *p,
                    protocol: sp.protocol.clone(),
                    app_protocol: None,
                })
            })
            .collect();
        let addr = core::EndpointAddress {
            ip: e.ip.clone(),
            node_name: e.node.clone(),
            target_ref: Some(core::ObjectReference {
                kind: Some("Pod".into()),
                name: Some(e.pod.clone()),
                namespace: Some(r.namespace.clone()),
                uid: Some(e.uid.clone()),
                ..Default::default()
            }),
            hostname: None,
        };
        let idx = match subsets.iter().position(|s| s.ports.clone().unwrap_or_default() == eports) {
            Some(i) => i,
            None => {
                subsets.push(core::EndpointSubset { ports: Some(eports), ..Default::default() });
                subsets.len() - 1
            }
        };
        let s = &mut subsets[idx];
        if e.ready {
            s.addresses.get_or_insert_with(Vec::new).push(addr);
        } else if !e.terminating {
            s.not_ready_addresses.get_or_insert_with(Vec::new).push(addr);
        }
    }
    subsets.retain(|s| s.addresses.is_some() || s.not_ready_addresses.is_some());
    let endpoints = core::Endpoints {
        metadata: ObjectMeta {
            name: Some(r.name.clone()),
            namespace: Some(r.namespace.clone()),
            labels: svc.metadata.labels.clone(),
            ..Default::default()
        },
        subsets: if subsets.is_empty() { None } else { Some(subsets) },
    };
    match world.store().get(Kind::Endpoints, &r.namespace, &r.name) {
        Some(Object::Endpoints(cur)) => {
            if cur.subsets != endpoints.subsets || cur.metadata.labels != endpoints.metadata.labels {
                let mut next = cur.clone();
                next.subsets = endpoints.subsets;
                next.metadata.labels = endpoints.metadata.labels;
                out.writes.push(Write::Update(Object::Endpoints(next)));
            }
        }
        _ => out.writes.push(Write::Create(Object::from(endpoints))),
    }
    // EndpointSlice: one slice per Service (kubeplay never needs more than 100 endpoints per
    // slice in practice; larger sets stay in one slice).
    let slice_ports: Vec<discovery::EndpointPort> = ports
        .iter()
        .map(|sp| discovery::EndpointPort {
            name: Some(sp.name.clone().unwrap_or_default()),
            port: eps.first().and_then(|e| e.ports.get(&sp.name.clone().unwrap_or_default()).copied()).or(
                match &sp.target_port {
                    Some(IntOrString::Int(p)) => Some(*p),
                    None => Some(sp.port),
                    _ => None,
                },
            ),
            protocol: sp.protocol.clone(),
            app_protocol: None,
        })
        .collect();
    let endpoints: Vec<discovery::Endpoint> = eps
        .iter()
        .map(|e| discovery::Endpoint {
            addresses: vec![e.ip.clone()],
            conditions: Some(discovery::EndpointConditions {
                ready: Some(e.ready),
                serving: Some(e.serving),
                terminating: Some(e.terminating),
            }),
            node_name: e.node.clone(),
            target_ref: Some(core::ObjectReference {
                kind: Some("Pod".into()),
                name: Some(e.pod.clone()),
                namespace: Some(r.namespace.clone()),
                uid: Some(e.uid.clone()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let existing = world.store().list(Kind::EndpointSlice, Some(&r.namespace)).find_map(|o| match o {
        Object::EndpointSlice(s) if s.metadata.labels.as_ref().and_then(|l| l.get(SERVICE_NAME_LABEL)) == Some(&r.name) => {
            Some(s.clone())
        }
        _ => None,
    });
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.into(), r.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), MANAGED_BY.into());
    match existing {
        Some(cur) => {
            if cur.endpoints != endpoints || cur.ports.as_ref() != Some(&slice_ports) {
                let mut next = cur.clone();
                next.endpoints = endpoints;
                next.ports = Some(slice_ports);
                out.writes.push(Write::Update(Object::EndpointSlice(next)));
            }
        }
        None => out.writes.push(Write::Create(Object::from(discovery::EndpointSlice {
            metadata: ObjectMeta {
                generate_name: Some(format!("{}-", r.name)),
                namespace: Some(r.namespace.clone()),
                labels: Some(labels),
                owner_references: Some(vec![owner_ref(svc)]),
                ..Default::default()
            },
            address_type: "IPv4".into(),
            endpoints,
            ports: Some(slice_ports),
        }))),
    }
    out
}
