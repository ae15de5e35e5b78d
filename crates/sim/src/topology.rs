//! Cluster topology as data: which nodes exist, their size, role, labels and taints. The
//! default is one k3s server, like the seed talk's single VPS. Nodes are built as k3s
//! registers them (labels, capacity, conditions, nodeInfo, pod CIDR).

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// The kubelet version every simulated node reports.
pub const KUBELET_VERSION: &str = "v1.35.0+k3s1";
pub const CONTAINER_RUNTIME: &str = "containerd://2.1.5-k3s1";
pub const OS_IMAGE: &str = "Ubuntu 24.04.3 LTS";
pub const KERNEL: &str = "6.8.0-88-generic";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A k3s server: runs the control plane and workloads (not tainted by default).
    Server,
    Agent,
}

/// One node of the topology.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpec {
    pub name: String,
    pub role: Role,
    pub cpu_millis: u64,
    pub memory_bytes: u64,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<core::Taint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    pub nodes: Vec<NodeSpec>,
    /// Which ingress controller the cluster runs.
    pub ingress: IngressController,
}

/// The ingress controller a cluster runs: k3s's packaged Traefik (the default), or
/// ingress-nginx installed by its Helm chart on a k3s started with `--disable traefik`
/// (for the canary annotations, which only ingress-nginx reads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IngressController {
    #[default]
    Traefik,
    Nginx,
}

impl IngressController {
    /// Its IngressClass name.
    pub fn class(self) -> &'static str {
        match self {
            IngressController::Traefik => "traefik",
            IngressController::Nginx => "nginx",
        }
    }

    /// The namespace and name of its LoadBalancer Service.
    pub fn service(self) -> (&'static str, &'static str) {
        match self {
            IngressController::Traefik => ("kube-system", "traefik"),
            IngressController::Nginx => ("ingress-nginx", "ingress-nginx-controller"),
        }
    }

    /// The controller whose LoadBalancer Service is `ns/name`.
    pub fn fronted_by(ns: &str, name: &str) -> Option<IngressController> {
        [IngressController::Traefik, IngressController::Nginx].into_iter().find(|c| c.service() == (ns, name))
    }

    /// `traefik` or `nginx` (as lessons, scenarios and the CLI name them).
    pub fn parse(s: &str) -> Option<IngressController> {
        match s {
            "traefik" => Some(IngressController::Traefik),
            "nginx" | "ingress-nginx" => Some(IngressController::Nginx),
            _ => None,
        }
    }
}

const GIB: u64 = 1 << 30;

impl Default for Topology {
    fn default() -> Topology {
        Topology::new(1, 0)
    }
}

impl Topology {
    /// `servers` k3s servers and `agents` agents, each 2 CPU / 4 GiB. Servers are named
    /// `k3s-server` (or `k3s-server-N` when there are several), agents `k3s-agent-N`.
    pub fn new(servers: u32, agents: u32) -> Topology {
        let mut nodes = Vec::new();
        for i in 0..servers {
            let name = if servers == 1 { "k3s-server".to_string() } else { format!("k3s-server-{}", i + 1) };
            nodes.push(NodeSpec::sized(&name, Role::Server, 2000, 4 * GIB));
        }
        for i in 0..agents {
            nodes.push(NodeSpec::sized(&format!("k3s-agent-{}", i + 1), Role::Agent, 2000, 4 * GIB));
        }
        Topology { nodes, ingress: IngressController::Traefik }
    }

    /// `n` nodes: one server plus `n - 1` agents (at least one node).
    pub fn of_size(n: u32) -> Topology {
        Topology::new(1, n.max(1) - 1)
    }

    /// The same nodes, running `ingress` as the ingress controller.
    pub fn with_ingress(mut self, ingress: IngressController) -> Topology {
        self.ingress = ingress;
        self
    }
}

impl NodeSpec {
    pub fn sized(name: &str, role: Role, cpu_millis: u64, memory_bytes: u64) -> NodeSpec {
        NodeSpec { name: name.into(), role, cpu_millis, memory_bytes, labels: BTreeMap::new(), taints: vec![] }
    }
}

/// The InternalIP of the node at `index` (10.0.0.2, 10.0.0.3, ...).
pub fn node_ip(index: u32) -> String {
    format!("10.0.{}.{}", (index + 2) / 256, (index + 2) % 256)
}

/// Builds the Node object k3s registers for `spec`, the `index`-th node.
pub fn node_object(spec: &NodeSpec, index: u32) -> core::Node {
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/instance-type", "k3s"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/os", "linux"),
        ("node.kubernetes.io/instance-type", "k3s"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.insert("kubernetes.io/hostname".into(), spec.name.clone());
    if spec.role == Role::Server {
        labels.insert("node-role.kubernetes.io/control-plane".into(), "true".into());
        labels.insert("node-role.kubernetes.io/master".into(), "true".into());
    }
    labels.extend(spec.labels.clone());
    let ip = node_ip(index);
    let annotations: BTreeMap<String, String> = [
        ("k3s.io/hostname", spec.name.as_str()),
        ("k3s.io/internal-ip", ip.as_str()),
        ("node.alpha.kubernetes.io/ttl", "0"),
        ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut capacity = BTreeMap::new();
    capacity.insert("cpu".to_string(), Quantity(format_cpu(spec.cpu_millis)));
    capacity.insert("memory".to_string(), Quantity(format!("{}Ki", spec.memory_bytes / 1024)));
    capacity.insert("pods".to_string(), Quantity("110".into()));
    capacity.insert("ephemeral-storage".to_string(), Quantity("40901312Ki".into()));
    capacity.insert("hugepages-1Gi".to_string(), Quantity("0".into()));
    capacity.insert("hugepages-2Mi".to_string(), Quantity("0".into()));
    let mut allocatable = capacity.clone();
    allocatable.insert("ephemeral-storage".to_string(), Quantity("39788581442".into()));
    let cidr = format!("10.42.{index}.0/24");
    let cond = |t: &str, s: &str, reason: &str, msg: &str| core::NodeCondition {
        type_: t.into(),
        status: s.into(),
        reason: Some(reason.into()),
        message: Some(msg.into()),
        last_heartbeat_time: Some(crate::world::time_at(0)),
        last_transition_time: Some(crate::world::time_at(0)),
    };
    core::Node {
        metadata: ObjectMeta {
            name: Some(spec.name.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            ..Default::default()
        },
        spec: Some(core::NodeSpec {
            pod_cidr: Some(cidr.clone()),
            pod_cidrs: Some(vec![cidr]),
            provider_id: Some(format!("k3s://{}", spec.name)),
            taints: if spec.taints.is_empty() { None } else { Some(spec.taints.clone()) },
            ..Default::default()
        }),
        status: Some(core::NodeStatus {
            addresses: Some(vec![
                core::NodeAddress { type_: "InternalIP".into(), address: ip },
                core::NodeAddress { type_: "Hostname".into(), address: spec.name.clone() },
            ]),
            capacity: Some(capacity),
            allocatable: Some(allocatable),
            conditions: Some(vec![
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ]),
            daemon_endpoints: Some(core::NodeDaemonEndpoints { kubelet_endpoint: Some(core::DaemonEndpoint { port: 10250 }) }),
            node_info: Some(core::NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: String::new(),
                container_runtime_version: CONTAINER_RUNTIME.into(),
                kernel_version: KERNEL.into(),
                kube_proxy_version: KUBELET_VERSION.into(),
                kubelet_version: KUBELET_VERSION.into(),
                machine_id: String::new(),
                operating_system: "linux".into(),
                os_image: OS_IMAGE.into(),
                system_uuid: String::new(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

fn format_cpu(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}
