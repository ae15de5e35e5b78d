//! What a fresh k3s cluster already holds: the `kubernetes` Service and its endpoints, and in
//! every namespace the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.
//! (k3s's own system pods, CoreDNS, Traefik and ServiceLB, are not simulated yet.)

use crate::kinds::{Kind, Object};
use crate::world::{World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1 as discovery;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// A stand-in cluster CA (not a real certificate: nothing in the simulation verifies it).
const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\ndmVyLWNhQGt1YmVwbGF5LXNpbTAeFw0yNjAxMDEwMDAwMDBaFw0zNjAxMDEwMDAw\nMDBaMCMxITAfBgNVBAMMGGszcy1zZXJ2ZXItY2FAa3ViZXBsYXktc2ltMFkwEwYH\n-----END CERTIFICATE-----\n";

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

/// The objects every namespace gets, for those it lacks.
pub fn namespace_defaults(world: &World, ns: &str) -> Vec<Write> {
    let mut w = Vec::new();
    if world.store().get(Kind::ServiceAccount, ns, "default").is_none() {
        w.push(Write::Create(Object::ServiceAccount(core::ServiceAccount {
            metadata: ObjectMeta { name: Some("default".into()), namespace: Some(ns.into()), ..Default::default() },
            ..Default::default()
        })));
    }
    if world.store().get(Kind::ConfigMap, ns, "kube-root-ca.crt").is_none() {
        let mut ann = BTreeMap::new();
        ann.insert("kubernetes.io/description".to_string(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".to_string());
        let mut data = BTreeMap::new();
        data.insert("ca.crt".to_string(), ROOT_CA.to_string());
        w.push(Write::Create(Object::ConfigMap(core::ConfigMap {
            metadata: ObjectMeta {
                name: Some("kube-root-ca.crt".into()),
                namespace: Some(ns.into()),
                annotations: Some(ann),
                ..Default::default()
            },
            data: Some(data),
            ..Default::default()
        })));
    }
    w
}

/// Creates the cluster-wide objects of a fresh k3s server.
pub fn system_objects(world: &mut World) {
    let server_ip = world.node_ip("k3s-server");
    let server_ip = if server_ip.is_empty() { crate::topology::node_ip(0) } else { server_ip };
    let svc = core::Service {
        metadata: ObjectMeta {
            name: Some("kubernetes".into()),
            namespace: Some("default".into()),
            labels: labels(&[("component", "apiserver"), ("provider", "kubernetes")]),
            ..Default::default()
        },
        spec: Some(core::ServiceSpec {
            cluster_ip: Some(crate::services::KUBERNETES_SERVICE_IP.into()),
            ports: Some(vec![core::ServicePort {
                name: Some("https".into()),
                port: 443,
                protocol: Some("TCP".into()),
                target_port: Some(IntOrString::Int(6443)),
                ..Default::default()
            }]),
            type_: Some("ClusterIP".into()),
            session_affinity: Some("None".into()),
            ..Default::default()
        }),
        status: None,
    };
    let _ = world.create(Object::Service(svc));
    let ep = core::Endpoints {
        metadata: ObjectMeta {
            name: Some("kubernetes".into()),
            namespace: Some("default".into()),
            labels: labels(&[("endpointslice.kubernetes.io/skip-mirror", "true")]),
            ..Default::default()
        },
        subsets: Some(vec![core::EndpointSubset {
            addresses: Some(vec![core::EndpointAddress { ip: server_ip.clone(), ..Default::default() }]),
            ports: Some(vec![core::EndpointPort {
                name: Some("https".into()),
                port: 6443,
                protocol: Some("TCP".into()),
                app_protocol: None,
            }]),
            ..Default::default()
        }]),
    };
    let _ = world.create(Object::Endpoints(ep));
    let slice = discovery::EndpointSlice {
        metadata: ObjectMeta {
            name: Some("kubernetes".into()),
            namespace: Some("default".into()),
            labels: labels(&[("kubernetes.io/service-name", "kubernetes")]),
            ..Default::default()
        },
        address_type: "IPv4".into(),
        endpoints: vec![discovery::Endpoint {
            addresses: vec![server_ip],
            conditions: Some(discovery::EndpointConditions { ready: Some(true), serving: None, terminating: None }),
            ..Default::default()
        }],
        ports: Some(vec![discovery::EndpointPort {
            name: Some("https".into()),
            port: Some(6443),
            protocol: Some("TCP".into()),
            app_protocol: None,
        }]),
    };
    let _ = world.create(Object::EndpointSlice(slice));
    let _ = world.create(Object::StorageClass(crate::storage::local_path_class()));
    // Traefik: the default IngressClass, and its LoadBalancer Service on 80/443 (the Traefik
    // pods themselves are not simulated; kubeplay routes ingress traffic directly).
    let mut ann = BTreeMap::new();
    ann.insert("ingressclass.kubernetes.io/is-default-class".to_string(), "true".to_string());
    let class = k8s_openapi::api::networking::v1::IngressClass {
        metadata: ObjectMeta { name: Some("traefik".into()), annotations: Some(ann), ..Default::default() },
        spec: Some(k8s_openapi::api::networking::v1::IngressClassSpec {
            controller: Some("traefik.io/ingress-controller".into()),
            parameters: None,
        }),
    };
    let _ = world.create(Object::IngressClass(class));
    let port = |name: &str, p: i32, np: i32| core::ServicePort {
        name: Some(name.into()),
        port: p,
        protocol: Some("TCP".into()),
        target_port: Some(IntOrString::String(name.into())),
        node_port: Some(np),
        ..Default::default()
    };
    let traefik = core::Service {
        metadata: ObjectMeta {
            name: Some("traefik".into()),
            namespace: Some("kube-system".into()),
            labels: labels(&[
                ("app.kubernetes.io/instance", "traefik-kube-system"),
                ("app.kubernetes.io/managed-by", "Helm"),
                ("app.kubernetes.io/name", "traefik"),
            ]),
            ..Default::default()
        },
        spec: Some(core::ServiceSpec {
            type_: Some("LoadBalancer".into()),
            ports: Some(vec![port("web", 80, 30080), port("websecure", 443, 30443)]),
            selector: Some(
                [
                    ("app.kubernetes.io/instance".to_string(), "traefik-kube-system".to_string()),
                    ("app.kubernetes.io/name".to_string(), "traefik".to_string()),
                ]
                .into_iter()
                .collect(),
            ),
            ..Default::default()
        }),
        status: None,
    };
    let _ = world.create(Object::Service(traefik));
}
