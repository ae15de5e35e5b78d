//! What a fresh k3s cluster already holds: the `kubernetes` Service and its endpoints; in
//! every namespace the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap; and in
//! `kube-system` k3s's packaged components as Deployments (CoreDNS behind the `kube-dns`
//! Service at 10.43.0.10, local-path-provisioner, metrics-server, Traefik), and ServiceLB's
//! `svclb` ServiceAccount (its `svclb-traefik-*` pods follow from Traefik's LoadBalancer
//! Service, see `servicelb`), and the `helm-install-traefik*` Jobs (their pods log a helm
//! install and complete; Traefik itself is created directly). Not simulated: the
//! components' probes and ConfigMaps, and what metrics-server serves (`kubectl top` says so).

use crate::kinds::{Kind, Object};
use crate::topology::IngressController;
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
        w.push(Write::Create(Object::from(core::ServiceAccount {
            metadata: ObjectMeta { name: Some("default".into()), namespace: Some(ns.into()), ..Default::default() },
            ..Default::default()
        })));
    }
    if world.store().get(Kind::ConfigMap, ns, "kube-root-ca.crt").is_none() {
        let mut ann = BTreeMap::new();
        ann.insert("kubernetes.io/description".to_string(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".to_string());
        let mut data = BTreeMap::new();
        data.insert("ca.crt".to_string(), ROOT_CA.to_string());
        w.push(Write::Create(Object::from(core::ConfigMap {
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

/// The API server's built-in PriorityClasses (the `scheduling/bootstrap-system-priority-classes`
/// post-start hook, `pkg/apis/scheduling/v1/helpers.go`): name, value, description.
pub const SYSTEM_PRIORITY_CLASSES: [(&str, i32, &str); 2] = [
    ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
    (
        "system-cluster-critical",
        2_000_000_000,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

/// The aggregator's priorities for the built-in group versions (kube-apiserver's
/// `apiVersionPriorities`): group priority minimum and version priority.
fn api_version_priority(group: &str, version: &str) -> (i32, i32) {
    match (group, version) {
        ("", _) => (18000, 1),
        ("apiregistration.k8s.io", _) => (18000, 15),
        ("apps", _) => (17800, 15),
        ("events.k8s.io", _) => (17750, 15),
        ("authentication.k8s.io", _) => (17700, 15),
        ("authorization.k8s.io", _) => (17600, 15),
        ("autoscaling", "v2") => (17500, 30),
        ("autoscaling", _) => (17500, 15),
        ("batch", _) => (17400, 15),
        ("certificates.k8s.io", _) => (17300, 15),
        ("networking.k8s.io", _) => (17200, 15),
        ("policy", _) => (17100, 15),
        ("rbac.authorization.k8s.io", _) => (17000, 15),
        ("storage.k8s.io", _) => (16800, 15),
        ("scheduling.k8s.io", _) => (16600, 15),
        ("discovery.k8s.io", _) => (16200, 15),
        _ => (1000, 100),
    }
}

/// The APIServices of the group versions served: the API server's own are `Local` (always
/// available); metrics.k8s.io is metrics-server's, behind its Service, as k3s registers it.
fn api_services(world: &mut World) {
    use k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1 as reg;
    let now = world.now_time();
    for gv in crate::kinds::served_group_versions() {
        let (group, version) = gv.split_once('/').unwrap_or(("", gv.as_str()));
        let metrics = group == "metrics.k8s.io";
        let (group_priority, version_priority) = if metrics { (100, 100) } else { api_version_priority(group, version) };
        let (reason, message) =
            if metrics { ("Passed", "all checks passed") } else { ("Local", "Local APIServices are always available") };
        let _ = world.create(Object::from(reg::APIService {
            metadata: ObjectMeta {
                name: Some(format!("{version}.{group}")),
                labels: if metrics {
                    labels(&[("k8s-app", "metrics-server")])
                } else {
                    labels(&[("kube-aggregator.kubernetes.io/automanaged", "onstart")])
                },
                ..Default::default()
            },
            spec: Some(reg::APIServiceSpec {
                group: Some(group.to_string()).filter(|g| !g.is_empty()),
                version: Some(version.to_string()),
                group_priority_minimum: group_priority,
                version_priority,
                insecure_skip_tls_verify: metrics.then_some(true),
                service: metrics.then(|| reg::ServiceReference {
                    name: Some("metrics-server".into()),
                    namespace: Some("kube-system".into()),
                    port: Some(443),
                }),
                ..Default::default()
            }),
            status: Some(reg::APIServiceStatus {
                conditions: Some(vec![reg::APIServiceCondition {
                    type_: "Available".into(),
                    status: "True".into(),
                    reason: Some(reason.into()),
                    message: Some(message.into()),
                    last_transition_time: Some(now.clone()),
                }]),
            }),
        }));
    }
}

/// Creates the cluster-wide objects of a fresh k3s server.
pub fn system_objects(world: &mut World, ingress: IngressController) {
    api_services(world);
    for (name, value, description) in SYSTEM_PRIORITY_CLASSES {
        let _ = world.create(Object::from(k8s_openapi::api::scheduling::v1::PriorityClass {
            metadata: ObjectMeta { name: Some(name.into()), ..Default::default() },
            value,
            description: Some(description.into()),
            ..Default::default()
        }));
    }
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
    let _ = world.create(Object::from(svc));
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
    let _ = world.create(Object::from(ep));
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
    let _ = world.create(Object::from(slice));
    let _ = world.create(Object::from(crate::storage::local_path_class()));
    if ingress != IngressController::Traefik {
        return;
    }
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
    let _ = world.create(Object::from(class));
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
    let _ = world.create(Object::from(traefik));
}

/// The Deployments, Services and ServiceAccounts of k3s's packaged components (its
/// `manifests/` directory and Traefik's chart), trimmed to what the simulation uses.
pub fn system_workloads(world: &mut World, ingress: IngressController) {
    let critical = serde_json::json!([
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"}
    ]);
    let deployment = |name: &str, labels: serde_json::Value, select: serde_json::Value, pod: serde_json::Value| {
        serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "kube-system", "labels": labels},
            "spec": {
                "replicas": 1,
                "revisionHistoryLimit": 0,
                "selector": {"matchLabels": select.clone()},
                "template": {"metadata": {"labels": select}, "spec": pod}
            }
        })
    };
    let manifests = vec![
        serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "coredns", "namespace": "kube-system"}}),
        serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "metrics-server", "namespace": "kube-system"}}),
        serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "local-path-provisioner-service-account", "namespace": "kube-system"}}),
        serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "svclb", "namespace": "kube-system"}}),
        deployment(
            "coredns",
            serde_json::json!({"k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS"}),
            serde_json::json!({"k8s-app": "kube-dns"}),
            serde_json::json!({
                "priorityClassName": "system-cluster-critical",
                "serviceAccountName": "coredns",
                "tolerations": critical,
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "dnsPolicy": "Default",
                "containers": [{
                    "name": "coredns",
                    "image": "rancher/mirrored-coredns-coredns:1.13.1",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["-conf", "/etc/coredns/Corefile"],
                    "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                    "ports": [
                        {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                        {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                        {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}
                    ],
                    // k3s's coredns.yaml (its lowercase `all` is what Pod Security's
                    // restricted level reads as not dropping ALL).
                    "securityContext": {
                        "allowPrivilegeEscalation": false,
                        "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["all"]},
                        "readOnlyRootFilesystem": true
                    }
                }]
            }),
        ),
        deployment(
            "local-path-provisioner",
            serde_json::json!({"app": "local-path-provisioner"}),
            serde_json::json!({"app": "local-path-provisioner"}),
            serde_json::json!({
                "priorityClassName": "system-node-critical",
                "serviceAccountName": "local-path-provisioner-service-account",
                "tolerations": critical,
                "containers": [{
                    "name": "local-path-provisioner",
                    "image": "rancher/local-path-provisioner:v0.0.32",
                    "imagePullPolicy": "IfNotPresent",
                    "command": ["local-path-provisioner", "start", "--config", "/etc/config/config.json"]
                }]
            }),
        ),
        deployment(
            "metrics-server",
            serde_json::json!({"k8s-app": "metrics-server"}),
            serde_json::json!({"k8s-app": "metrics-server"}),
            serde_json::json!({
                "priorityClassName": "system-node-critical",
                "serviceAccountName": "metrics-server",
                "tolerations": critical,
                "containers": [{
                    "name": "metrics-server",
                    "image": "rancher/mirrored-metrics-server:v0.8.0",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["--cert-dir=/tmp", "--secure-port=10250", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-use-node-status-port", "--metric-resolution=15s", "--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
                    "resources": {"requests": {"cpu": "100m", "memory": "70Mi"}},
                    "ports": [{"containerPort": 10250, "name": "https", "protocol": "TCP"}]
                }]
            }),
        ),
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {
                "name": "kube-dns", "namespace": "kube-system",
                "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}
            },
            "spec": {
                "selector": {"k8s-app": "kube-dns"},
                "clusterIP": crate::services::DNS_SERVICE_IP,
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP"},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
                    {"name": "metrics", "port": 9153, "protocol": "TCP"}
                ]
            }
        }),
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {
                "name": "metrics-server", "namespace": "kube-system",
                "labels": {"kubernetes.io/cluster-service": "true", "kubernetes.io/name": "Metrics-server"}
            },
            "spec": {"selector": {"k8s-app": "metrics-server"}, "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}]}
        }),
    ];
    let mut manifests = manifests;
    match ingress {
        IngressController::Traefik => {
            manifests.push(serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "traefik", "namespace": "kube-system"}}));
            // k3s's helm-controller installs Traefik's two charts with a Job each; the Jobs
            // and their Completed pods stay in kube-system.
            for chart in ["traefik-crd", "traefik"] {
                manifests.push(serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": format!("helm-{chart}"), "namespace": "kube-system"}}));
                manifests.push(helm_install_job(chart, &critical));
            }
            manifests.push(
deployment(
            "traefik",
            serde_json::json!({"app.kubernetes.io/instance": "traefik-kube-system", "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/name": "traefik"}),
            serde_json::json!({"app.kubernetes.io/instance": "traefik-kube-system", "app.kubernetes.io/name": "traefik"}),
            serde_json::json!({
                "priorityClassName": "system-cluster-critical",
                "serviceAccountName": "traefik",
                "tolerations": critical,
                // The Traefik chart's defaults: the restricted Pod Security Standard.
                "securityContext": {"runAsGroup": 65532, "runAsNonRoot": true, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
                "containers": [{
                    "name": "traefik",
                    "image": "rancher/mirrored-library-traefik:3.5.1",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["--entryPoints.web.address=:8000/tcp", "--entryPoints.websecure.address=:8443/tcp", "--providers.kubernetesingress"],
                    "ports": [
                        {"containerPort": 8000, "name": "web", "protocol": "TCP"},
                        {"containerPort": 8443, "name": "websecure", "protocol": "TCP"}
                    ],
                    "securityContext": {
                        "allowPrivilegeEscalation": false,
                        "capabilities": {"drop": ["ALL"]},
                        "readOnlyRootFilesystem": true
                    }
                }]
            }),
        )
            );
        }
        IngressController::Nginx => manifests.extend(ingress_nginx()),
    }
    for m in manifests {
        // Valid by construction; the boot tests check that each one exists.
        if let Ok(obj) = crate::api::decode_for_server(&m) {
            let _ = world.create(obj);
        }
    }
}

/// The Job k3s's helm-controller runs for a bundled HelmChart (`helm-install-NAME`).
fn helm_install_job(chart: &str, tolerations: &serde_json::Value) -> serde_json::Value {
    let labels = serde_json::json!({"helmcharts.helm.cattle.io/chart": chart});
    serde_json::json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": format!("helm-install-{chart}"), "namespace": "kube-system", "labels": labels},
        "spec": {
            "backoffLimit": 1000,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "OnFailure",
                    "serviceAccountName": format!("helm-{chart}"),
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": tolerations,
                    "containers": [{
                        "name": "helm",
                        "image": "rancher/klipper-helm:v0.9.8-build20250709",
                        "imagePullPolicy": "IfNotPresent",
                        "args": ["install", "--set-string", "global.systemDefaultRegistry="],
                        "env": [
                            {"name": "NAME", "value": chart},
                            {"name": "HELM_DRIVER", "value": "secret"},
                            {"name": "CHART_NAMESPACE", "value": "kube-system"},
                            {"name": "TARGET_NAMESPACE", "value": "kube-system"}
                        ]
                    }]
                }
            }
        }
    })
}

/// ingress-nginx as its Helm chart installs it (release `ingress-nginx` in namespace
/// `ingress-nginx`, chart defaults): the controller Deployment, its LoadBalancer Service on
/// 80/443 (served by ServiceLB like Traefik's), the admission Service, and the `nginx`
/// IngressClass (not the default class). Not simulated: the admission webhook and its
/// certificate Jobs, RBAC, and the controller's ConfigMap.
fn ingress_nginx() -> Vec<serde_json::Value> {
    let labels = serde_json::json!({
        "app.kubernetes.io/component": "controller",
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/part-of": "ingress-nginx",
        "app.kubernetes.io/version": NGINX_VERSION
    });
    let select = serde_json::json!({
        "app.kubernetes.io/component": "controller",
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/name": "ingress-nginx"
    });
    vec![
        serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ingress-nginx", "labels": {"app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx"}}}),
        serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ingress-nginx", "namespace": "ingress-nginx", "labels": labels}}),
        serde_json::json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": {"name": "nginx", "labels": labels},
            "spec": {"controller": "k8s.io/ingress-nginx"}
        }),
        serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx", "labels": labels},
            "spec": {
                "replicas": 1,
                "revisionHistoryLimit": 10,
                "minReadySeconds": 0,
                "selector": {"matchLabels": select},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "serviceAccountName": "ingress-nginx",
                        "terminationGracePeriodSeconds": 300,
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "dnsPolicy": "ClusterFirst",
                        "containers": [{
                            "name": "controller",
                            "image": format!("registry.k8s.io/ingress-nginx/controller:v{NGINX_VERSION}"),
                            "imagePullPolicy": "IfNotPresent",
                            "args": [
                                "/nginx-ingress-controller",
                                "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
                                "--election-id=ingress-nginx-leader",
                                "--controller-class=k8s.io/ingress-nginx",
                                "--ingress-class=nginx",
                                "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                                "--validating-webhook=:8443",
                                "--validating-webhook-certificate=/usr/local/certificates/cert",
                                "--validating-webhook-key=/usr/local/certificates/key"
                            ],
                            "env": [
                                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                                {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}
                            ],
                            "ports": [
                                {"name": "http", "containerPort": 80, "protocol": "TCP"},
                                {"name": "https", "containerPort": 443, "protocol": "TCP"},
                                {"name": "webhook", "containerPort": 8443, "protocol": "TCP"}
                            ],
                            "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}
                        }]
                    }
                }
            }
        }),
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx", "labels": labels},
            "spec": {
                "type": "LoadBalancer",
                "selector": select,
                "ports": [
                    {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "appProtocol": "http"},
                    {"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "appProtocol": "https"}
                ]
            }
        }),
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "ingress-nginx-controller-admission", "namespace": "ingress-nginx", "labels": labels},
            "spec": {
                "type": "ClusterIP",
                "selector": select,
                "ports": [{"name": "https-webhook", "port": 443, "targetPort": "webhook", "appProtocol": "https"}]
            }
        }),
    ]
}

/// The ingress-nginx release kubeplay installs.
pub const NGINX_VERSION: &str = "1.13.3";

#[cfg(test)]
mod tests {
    use crate::kinds::{Kind, Object};
    use crate::world::World;

    #[test]
    fn a_fresh_cluster_runs_k3s_components_behind_kube_dns() {
        let w = World::new(7);
        for name in ["coredns", "local-path-provisioner", "metrics-server", "traefik"] {
            let Some(Object::Deployment(d)) = w.store().get(Kind::Deployment, "kube-system", name) else {
                panic!("no {name} Deployment");
            };
            assert_eq!(d.status.as_ref().and_then(|s| s.ready_replicas), Some(1), "{name} is not ready");
        }
        let Some(Object::Service(dns)) = w.store().get(Kind::Service, "kube-system", "kube-dns") else { panic!("no kube-dns") };
        assert_eq!(dns.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()), Some("10.43.0.10"));
        let coredns: Vec<_> = w
            .store()
            .list(Kind::Pod, Some("kube-system"))
            .filter_map(|o| match o {
                Object::Pod(p) if p.metadata.name.as_deref().is_some_and(|n| n.starts_with("coredns-")) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(coredns.len(), 1);
        let spec = coredns[0].spec.as_ref().expect("spec");
        assert_eq!(spec.priority, Some(2_000_000_000));
        assert_eq!(spec.service_account_name.as_deref(), Some("coredns"));
        // No pulls: the images were imported on every node.
        let pulls =
            w.store().list(Kind::Event, None).filter(|o| matches!(o, Object::Event(e) if e.reason.as_deref() == Some("Pulling")));
        assert_eq!(pulls.count(), 0);
    }
}
