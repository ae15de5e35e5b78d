//! The simulated cluster as one value: the store, the virtual clock, the seeded RNG, the
//! discrete-event queue and the nodes' container runtimes. It reads no wall clock and does
//! no IO; time moves only when the caller steps it. Cloning a `World` is a snapshot.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::kubelet::PodRuntime;
use crate::rng::Rng;
use crate::scheduler::Decision;
use crate::store::{ChangeType, ObjRef, Store};
use crate::topology::Topology;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use std::collections::{BTreeMap, BTreeSet};

/// How long the queue must have nothing due for the cluster to count as settled.
pub const SETTLE_QUIET_MS: u64 = 60_000;

/// Virtual time zero, as Unix milliseconds: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// Work the runtime can schedule. Each task has one slot in the queue: scheduling it again
/// moves it earlier, never duplicates it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Task {
    /// Run a controller's reconcile for one object.
    Reconcile(Controller, ObjRef),
}

/// The controllers the runtime drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Controller {
    /// Deletes dependents whose owners are gone, and finishes foreground deletions.
    GarbageCollector,
    /// Empties and then removes namespaces being deleted.
    Namespace,
    Scheduler,
    Kubelet,
    ReplicaSet,
    Deployment,
    Endpoints,
    Job,
    CronJob,
    StatefulSet,
    DaemonSet,
    Storage,
    /// ServiceLB and Traefik: load balancer and ingress addresses.
    LoadBalancer,
    /// The node lifecycle and taint eviction controllers (unreachable nodes).
    NodeLifecycle,
    /// The resource quota controller (`status.used`).
    ResourceQuota,
    /// The disruption controller (PodDisruptionBudget status).
    Disruption,
    /// The horizontal pod autoscaler.
    Autoscaler,
    /// The ServiceAccount token controller (token Secrets).
    Tokens,
}

/// The controller that creates pods for objects of `kind`.
fn controller_for(kind: Kind) -> Option<Controller> {
    match kind {
        Kind::ReplicaSet | Kind::ReplicationController => Some(Controller::ReplicaSet),
        Kind::Job => Some(Controller::Job),
        Kind::StatefulSet => Some(Controller::StatefulSet),
        Kind::DaemonSet => Some(Controller::DaemonSet),
        Kind::Deployment => Some(Controller::Deployment),
        Kind::CronJob => Some(Controller::CronJob),
        _ => None,
    }
}

/// What `run_until_settled` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The queue is empty: the cluster has converged.
    Settled { events: u64 },
    /// The bound on events was reached first; the cluster may still be changing.
    Bounded { events: u64 },
}

/// A write a reconciler asks the API layer to make.
#[derive(Clone, Debug)]
pub enum Write {
    Create(Object),
    /// Create, then record an event on `about` whose message is the prefix plus the new name.
    CreateAndRecord {
        obj: Object,
        about: ObjRef,
        reason: String,
        /// The success event reads `{message_prefix}{created name}{message_suffix}`.
        message_prefix: String,
        message_suffix: String,
        /// A refusal's Warning `FailedCreate` reads `{failure_prefix}{the API's message}`.
        failure_prefix: String,
        component: String,
    },
    Update(Object),
    /// Replace only the status (the status subresource).
    UpdateStatus(Object),
    /// A pod's new status (the kubelet writes only the status; see `update_pod_status`).
    PodStatus(ObjRef, Box<k8s_openapi::api::core::v1::PodStatus>),
    /// Replace only labels and annotations.
    UpdateMeta(Object),
    Delete(ObjRef, crate::api::Propagation),
    /// Remove an object now (finalizers done, grace elapsed).
    Remove(ObjRef),
    Event {
        about: ObjRef,
        ty: EventType,
        reason: String,
        message: String,
        component: String,
    },
    /// An event about one of a pod's containers (the kubelet's): its involvedObject carries
    /// the container's field path (`spec.containers{nginx}`).
    ContainerEvent {
        about: ObjRef,
        field_path: String,
        ty: EventType,
        reason: String,
        message: String,
    },
    /// The scheduler binds a pod to a node.
    Bind(ObjRef, String),
    /// The autoscaler's recent recommendations for an HPA (time, replicas), kept in its
    /// memory as kube-controller-manager keeps them.
    HpaRecommendations(ObjRef, Vec<(u64, i32)>),
    /// The scheduler's reasoning for a pod.
    Decision(ObjRef, Decision),
    /// A node's image cache gained an image.
    ImagePulled(String, String),
    /// A pod IP was taken from a node's range.
    AllocatePodIp(String),
    /// A container's own process wrote (`Some`) or removed (`None`) a file.
    StoreFile {
        pod: ObjRef,
        container: String,
        path: String,
        text: Option<String>,
    },
    /// The kubelet's container runtime state for a pod.
    Runtime(ObjRef, Box<PodRuntime>),
    /// The scheduler examined this many nodes; the next pod starts after them.
    SchedulerCursor(u64),
    ForgetRuntime(ObjRef),
}

/// What a reconcile returns: writes to make, and when to look at the object again.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub writes: Vec<Write>,
    pub requeue_after_ms: Option<u64>,
}

/// Faults that last until they are lifted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Faults {
    /// Images (normalized) whose containers crash on start.
    pub crash_images: BTreeSet<String>,
    /// Pods whose readiness is failed.
    pub unready: BTreeSet<ObjRef>,
}

/// One local port of a `kubectl port-forward` on the laptop: connections to it reach the
/// pod's `remote` port through the API server's `pods/portforward` stream, which ends when
/// that pod (this uid) is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortForward {
    pub namespace: String,
    pub pod: String,
    pub uid: String,
    pub remote: u16,
    /// The addresses it listens on (`127.0.0.1` and `::1` for localhost, or `0.0.0.0`).
    pub addresses: Vec<String>,
    /// The command line that started it (for `jobs`).
    pub command: String,
    /// The shell's job number.
    pub job: u32,
}

#[derive(Clone, Debug)]
pub struct World {
    pub(crate) store: Store,
    now_ms: u64,
    pub(crate) rng: Rng,
    seq: u64,
    queue: BTreeMap<(u64, u64), Task>,
    slots: BTreeMap<Task, (u64, u64)>,
    /// Counter for event names, so two events in one millisecond get distinct names.
    pub(crate) event_seq: u64,
    seed: u64,
    runtime: BTreeMap<ObjRef, PodRuntime>,
    node_images: BTreeMap<String, BTreeSet<String>>,
    /// Derived from `node_images`: how many nodes hold each image (ImageLocality's spread).
    image_holders: BTreeMap<String, u32>,
    next_pod_ip: BTreeMap<String, u32>,
    decisions: BTreeMap<ObjRef, Decision>,
    /// Pods the scheduler could not place; retried when nodes or pods change.
    unschedulable: BTreeSet<ObjRef>,
    /// Pods whose kubelet deferred a resize: a pod leaving their node retries them (the
    /// allocation manager's `pods_removed` trigger). Derived from `runtime`.
    deferred_resizes: BTreeSet<ObjRef>,
    /// Hash of (namespace, involved uid, reason, message, component) → names of Events with
    /// that hash, for dedupe (`events.rs`).
    pub(crate) event_index: BTreeMap<u64, Vec<String>>,
    /// Where the scheduler's next node scan starts (upstream's nextStartNodeIndex).
    scheduler_cursor: u64,
    /// Nodes whose kubelet is stopped (a fault), with when it stopped.
    stopped_nodes: BTreeMap<String, u64>,
    /// Deleted nodes, with when (for PodGC's quarantine).
    deleted_nodes: BTreeMap<String, u64>,
    /// File contents by storage (a container filesystem, emptyDir, PV, node): see `files.rs`.
    files: BTreeMap<String, BTreeMap<String, String>>,
    /// Injected faults that last (`fault crash-image`, `fault unready`).
    pub(crate) faults: Faults,
    /// The simulation's own limits on objects and replicas (`limits.rs`).
    pub(crate) limits: crate::limits::Limits,
    /// kube-proxy's `sessionAffinity: ClientIP` memory: (Service uid, client IP) → (the
    /// endpoint IP it chose, when last used).
    pub(crate) session_affinity: BTreeMap<(String, String), (String, u64)>,
    /// The learner's kubeconfig (`kubectl config`): its contexts and which is current, whose
    /// namespace commands default to. Client state, kept beside the cluster so both travel
    /// together; not part of the state hash, which is the cluster's.
    pub kubeconfig: Kubeconfig,
    /// `kubectl port-forward`s listening on the laptop, by local port: client state like
    /// `kubeconfig`, not part of the state hash.
    pub port_forwards: BTreeMap<u16, PortForward>,
    /// The autoscaler's recent recommendations per HPA (`Write::HpaRecommendations`).
    hpa_recommendations: BTreeMap<ObjRef, Vec<(u64, i32)>>,
    /// Warnings the API server sent with its answers to the current client's requests
    /// (admission's `Warning:` headers), until the client takes them (`take_warnings`).
    /// Controllers' requests get theirs dropped. Not part of the state hash.
    warnings: Vec<String>,
}

/// One kubeconfig context: the cluster and user it names, and its namespace if set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeContext {
    pub cluster: String,
    pub user: String,
    pub namespace: Option<String>,
}

/// The kubeconfig k3s writes (`/etc/rancher/k3s/k3s.yaml`): one cluster, one user and one
/// context, all named `default`, plus the contexts the learner adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kubeconfig {
    /// The current context's name (empty when none is).
    pub current: String,
    pub contexts: BTreeMap<String, KubeContext>,
}

impl Default for Kubeconfig {
    fn default() -> Kubeconfig {
        let default = KubeContext { cluster: "default".into(), user: "default".into(), namespace: None };
        Kubeconfig { current: "default".into(), contexts: BTreeMap::from([("default".to_string(), default)]) }
    }
}

impl Kubeconfig {
    /// The namespace `context` (the current one if `None`) sets, if any.
    pub fn namespace_of(&self, context: Option<&str>) -> Option<String> {
        let name = context.unwrap_or(&self.current);
        self.contexts.get(name).and_then(|c| c.namespace.clone()).filter(|n| !n.is_empty())
    }
}

impl World {
    /// The current kubeconfig context's namespace, if it sets one.
    pub fn context_namespace(&self) -> Option<String> {
        self.kubeconfig.namespace_of(None)
    }

    /// A cluster of one k3s server node.
    pub fn new(seed: u64) -> World {
        World::with_topology(seed, &Topology::default())
    }

    /// A cluster with the given nodes, and the four namespaces k3s has at boot.
    pub fn with_topology(seed: u64, topology: &Topology) -> World {
        World::with_limits(seed, topology, crate::limits::Limits::default())
    }

    /// A cluster with the given nodes and the simulation's limits set before it boots (a
    /// 5,000-node benchmark cluster holds more objects at boot than the page's limit).
    pub fn with_limits(seed: u64, topology: &Topology, limits: crate::limits::Limits) -> World {
        let mut w = World {
            store: Store::default(),
            now_ms: 0,
            rng: Rng::new(seed),
            limits,
            seq: 0,
            queue: BTreeMap::new(),
            slots: BTreeMap::new(),
            event_seq: 0,
            seed,
            runtime: BTreeMap::new(),
            node_images: BTreeMap::new(),
            image_holders: BTreeMap::new(),
            next_pod_ip: BTreeMap::new(),
            decisions: BTreeMap::new(),
            unschedulable: BTreeSet::new(),
            deferred_resizes: BTreeSet::new(),
            event_index: BTreeMap::new(),
            scheduler_cursor: 0,
            stopped_nodes: BTreeMap::new(),
            deleted_nodes: BTreeMap::new(),
            files: BTreeMap::new(),
            session_affinity: BTreeMap::new(),
            faults: Faults::default(),
            kubeconfig: Kubeconfig::default(),
            port_forwards: BTreeMap::new(),
            hpa_recommendations: BTreeMap::new(),
            warnings: Vec::new(),
        };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let obj = Object::from(k8s_openapi::api::core::v1::Namespace {
                metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                    name: Some(ns.into()),
                    ..Default::default()
                },
                ..Default::default()
            });
            // Boot objects are valid by construction; tests cover that they are created.
            let _ = w.create(obj);
        }
        for (i, spec) in topology.nodes.iter().enumerate() {
            let node = crate::topology::node_object(spec, i as u32);
            let _ = w.create(Object::from(node));
        }
        crate::boot::system_objects(&mut w, topology.ingress);
        // k3s imports its airgap images on every node, then deploys its packaged components;
        // the learner meets the cluster once they run.
        for node in topology.nodes.iter().map(|n| n.name.clone()) {
            for image in crate::images::K3S_SYSTEM_IMAGES {
                w.cache_image(&node, image);
            }
        }
        crate::boot::system_workloads(&mut w, topology.ingress);
        w.run_until_settled(100_000);
        w
    }

    /// A snapshot of the whole world (store, clock, RNG, queue, runtimes). Restoring it
    /// and replaying the same inputs gives the same states: that is what rewind builds on.
    pub fn snapshot(&self) -> World {
        self.clone()
    }

    /// Returns the world to a snapshot.
    pub fn restore(&mut self, snapshot: World) {
        *self = snapshot;
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Virtual milliseconds since the cluster booted.
    /// The simulation's limits (`limits.rs`).
    pub fn limits(&self) -> crate::limits::Limits {
        self.limits
    }

    /// Changes the simulation's limits (benchmarks lift them).
    pub fn set_limits(&mut self, limits: crate::limits::Limits) {
        self.limits = limits;
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The current virtual time as an API timestamp.
    pub fn now_time(&self) -> Time {
        time_at(self.now_ms)
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        self.store.get(kind, namespace, name)
    }

    /// The container runtime state of a pod, if its kubelet has seen it.
    pub fn runtime(&self, r: &ObjRef) -> Option<&PodRuntime> {
        self.runtime.get(r)
    }

    /// Every pod's container runtime state, in pod order.
    pub fn runtimes(&self) -> impl Iterator<Item = (&ObjRef, &PodRuntime)> {
        self.runtime.iter()
    }

    /// Where the scheduler's next node scan starts.
    pub fn scheduler_cursor(&self) -> usize {
        self.scheduler_cursor as usize
    }

    /// Whether a node's image cache holds an image (full reference).
    pub fn node_has_image(&self, node: &str, image: &str) -> bool {
        self.node_images.get(node).is_some_and(|s| s.contains(image))
    }

    /// How many nodes hold `image` in their cache.
    pub fn nodes_with_image(&self, image: &str) -> usize {
        self.image_holders.get(image).copied().unwrap_or(0) as usize
    }

    /// Puts an image in a node's cache.
    fn cache_image(&mut self, node: &str, image: &str) {
        if self.node_images.entry(node.to_string()).or_default().insert(image.to_string()) {
            *self.image_holders.entry(image.to_string()).or_default() += 1;
        }
    }

    /// Images in a node's cache (full references).
    pub fn node_images(&self, node: &str) -> BTreeSet<String> {
        self.node_images.get(node).cloned().unwrap_or_default()
    }

    /// The files stored under one storage key (see `files.rs`).
    pub fn files(&self, key: &str) -> Option<&BTreeMap<String, String>> {
        self.files.get(key)
    }

    pub(crate) fn files_mut(&mut self, key: &str) -> &mut BTreeMap<String, String> {
        self.files.entry(key.to_string()).or_default()
    }

    /// When a node was deleted, if it is gone.
    pub fn node_deleted_at(&self, node: &str) -> Option<u64> {
        self.deleted_nodes.get(node).copied()
    }

    /// When a node's kubelet was stopped, if it is.
    pub fn node_stopped_at(&self, node: &str) -> Option<u64> {
        self.stopped_nodes.get(node).copied()
    }

    /// Stops a node's kubelet (a fault: power loss or a network partition). Its containers
    /// keep running but nothing on the node is reported or changed until it starts again.
    pub fn stop_node(&mut self, node: &str) -> Result<(), String> {
        if self.store.get(Kind::Node, "", node).is_none() {
            return Err(format!("Error from server (NotFound): nodes \"{node}\" not found"));
        }
        if self.stopped_nodes.contains_key(node) {
            return Err(format!("error: node {node} is already stopped"));
        }
        self.stopped_nodes.insert(node.to_string(), self.now_ms);
        let r = ObjRef::new(Kind::Node, "", node);
        self.schedule(Task::Reconcile(Controller::NodeLifecycle, r), self.now_ms);
        Ok(())
    }

    /// Kills a running container (a fault: as `kill -9` on the node, exit code 137). The
    /// kubelet then restarts it as the pod's restartPolicy says.
    pub fn kill_container(&mut self, r: &ObjRef, container: Option<&str>) -> Result<String, String> {
        let Some(Object::Pod(pod)) = self.store.get_ref(r) else {
            return Err(format!("Error from server (NotFound): pods \"{}\" not found", r.name));
        };
        let name = match container {
            Some(c) => c.to_string(),
            None => pod.spec.as_ref().and_then(|s| s.containers.first()).map(|c| c.name.clone()).unwrap_or_default(),
        };
        let now = self.now_ms;
        let Some(crt) = self.runtime.get_mut(r).and_then(|rt| rt.containers.get_mut(&name)) else {
            return Err(format!("error: container {name} is not running in pod {}", r.name));
        };
        let crate::kubelet::CState::Running { since } = crt.state else {
            return Err(format!("error: container {name} is not running in pod {}", r.name));
        };
        crt.program.exit = Some((now - since, 137));
        self.schedule(Task::Reconcile(Controller::Kubelet, r.clone()), now);
        Ok(name)
    }

    /// A signal to a container's PID 1 from inside it (`kill 1` in `kubectl exec`). The
    /// kernel delivers only signals PID 1 handles: SIGKILL never, SIGTERM to servers that
    /// shut down on it (redis, nginx, httpd, the databases: exit 0, so "Completed"; other
    /// programs end with 143), not to a shell or `sleep`, which ignore it.
    pub fn signal_main(&mut self, r: &ObjRef, container: &str, sigkill: bool) -> Result<(), String> {
        let Some(crt) = self.runtime.get(r).and_then(|rt| rt.containers.get(container)) else {
            return Err("can't kill pid 1: No such process".into());
        };
        if !matches!(crt.state, crate::kubelet::CState::Running { .. }) {
            return Err("can't kill pid 1: No such process".into());
        }
        if sigkill || crt.program.ignores_sigterm {
            return Ok(());
        }
        let family = crate::images::lookup(&crt.image_full).map(|i| i.family).unwrap_or("");
        let code = if crate::images::exits_cleanly_on_term(family) { 0 } else { 143 };
        self.end_process(r, container, code).map_err(|e| format!("can't kill pid 1: {e}"))
    }

    /// Ends a container's main process with `exit_code` now (a signal from another
    /// container of a shared process namespace): the kubelet restarts it by the pod's
    /// policy.
    pub fn end_process(&mut self, r: &ObjRef, container: &str, exit_code: i32) -> Result<(), String> {
        let now = self.now_ms;
        let Some(crt) = self.runtime.get_mut(r).and_then(|rt| rt.containers.get_mut(container)) else {
            return Err("No such process".into());
        };
        let crate::kubelet::CState::Running { since } = crt.state else {
            return Err("No such process".into());
        };
        crt.program.exit = Some((now - since, exit_code));
        self.schedule(Task::Reconcile(Controller::Kubelet, r.clone()), now);
        Ok(())
    }

    /// Makes every later start of `image` crash (exit 1 after a second), until
    /// [`World::heal_image`]: a bad release, for demos of CrashLoopBackOff and rollbacks.
    /// Containers already running are not touched.
    pub fn crash_image(&mut self, image: &str) -> Result<String, String> {
        let full = crate::images::normalize(image);
        if !self.faults.crash_images.insert(full.clone()) {
            return Err(format!("error: {image} already crashes on start"));
        }
        Ok(full)
    }

    /// Ends [`World::crash_image`]: the image's next starts run normally.
    pub fn heal_image(&mut self, image: &str) -> Result<String, String> {
        let full = crate::images::normalize(image);
        if !self.faults.crash_images.remove(&full) {
            return Err(format!("error: {image} is not crashing"));
        }
        Ok(full)
    }

    /// Whether starts of `image` crash (an injected fault).
    pub fn image_crashes(&self, image: &str) -> bool {
        self.faults.crash_images.contains(&crate::images::normalize(image))
    }

    /// Fails a pod's readiness (as a failing readiness probe would), so it leaves its
    /// Services' endpoints; `ready = true` ends the fault.
    pub fn set_unready(&mut self, r: &ObjRef, unready: bool) -> Result<(), String> {
        if self.store.get_ref(r).is_none() {
            return Err(format!("Error from server (NotFound): pods \"{}\" not found", r.name));
        }
        let changed = if unready { self.faults.unready.insert(r.clone()) } else { self.faults.unready.remove(r) };
        if !changed {
            return Err(format!("error: pod {} is {} failing readiness", r.name, if unready { "already" } else { "not" }));
        }
        if let Some(rt) = self.runtime.get_mut(r) {
            for c in rt.containers.values_mut() {
                c.unhealthy_reported = false;
            }
        }
        let now = self.now_ms;
        self.schedule(Task::Reconcile(Controller::Kubelet, r.clone()), now);
        Ok(())
    }

    /// Whether a pod's readiness is failed by an injected fault.
    pub fn fault_unready(&self, r: &ObjRef) -> bool {
        self.faults.unready.contains(r)
    }

    /// Starts a stopped node's kubelet again: it reports Ready and resumes its pods.
    pub fn start_node(&mut self, node: &str) -> Result<(), String> {
        if self.stopped_nodes.remove(node).is_none() {
            return Err(format!("error: node {node} is not stopped"));
        }
        let now = self.now_ms;
        self.schedule(Task::Reconcile(Controller::NodeLifecycle, ObjRef::new(Kind::Node, "", node)), now);
        let pods: Vec<ObjRef> = self.store.pods_on_node(node).map(ObjRef::of).collect();
        for p in pods {
            self.schedule(Task::Reconcile(Controller::Kubelet, p), now);
        }
        Ok(())
    }

    /// The scheduler's last decision for a pod.
    pub fn decision(&self, r: &ObjRef) -> Option<&Decision> {
        self.decisions.get(r)
    }

    /// The InternalIP of a node.
    pub fn node_ip(&self, node: &str) -> String {
        match self.store.get(Kind::Node, "", node) {
            Some(Object::Node(n)) => n
                .status
                .as_ref()
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
                .map(|a| a.address.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The next pod IP a node will hand out (from its 10.42.N.0/24 pod CIDR).
    pub fn peek_pod_ip(&self, node: &str) -> String {
        let base = match self.store.get(Kind::Node, "", node) {
            Some(Object::Node(n)) => n.spec.as_ref().and_then(|s| s.pod_cidr.clone()).unwrap_or_else(|| "10.42.0.0/24".into()),
            _ => "10.42.0.0/24".into(),
        };
        let prefix = base.trim_end_matches("0/24");
        let next = self.next_pod_ip.get(node).copied().unwrap_or(2);
        format!("{prefix}{}", 2 + (next - 2) % 253)
    }

    /// Schedules `task` at `due_ms` (absolute). An already queued task keeps the earlier time.
    pub fn schedule(&mut self, task: Task, due_ms: u64) {
        if let Some(&(t, s)) = self.slots.get(&task) {
            if t <= due_ms {
                return;
            }
            self.queue.remove(&(t, s));
        }
        self.seq += 1;
        let slot = (due_ms.max(self.now_ms), self.seq);
        self.queue.insert(slot, task.clone());
        self.slots.insert(task, slot);
    }

    /// The time of the next queued task, if any.
    pub fn next_deadline(&self) -> Option<u64> {
        self.queue.keys().next().map(|&(t, _)| t)
    }

    /// How many tasks are queued.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Runs the earliest queued task, jumping the clock to its time. Returns false when the
    /// queue is empty.
    pub fn step(&mut self) -> bool {
        let Some((&slot, _)) = self.queue.iter().next() else {
            return false;
        };
        let Some(task) = self.queue.remove(&slot) else {
            return false;
        };
        self.slots.remove(&task);
        self.now_ms = self.now_ms.max(slot.0);
        // A controller's requests answer it, not the client: their warnings are dropped.
        let client_warnings = self.warnings_len();
        self.run_task(task);
        self.truncate_warnings(client_warnings);
        true
    }

    /// The API server's warnings for the client's requests since the last call (kubectl
    /// prints each as `Warning: ...`).
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Adds a warning to the answer of the current request.
    pub(crate) fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    pub(crate) fn warnings_len(&self) -> usize {
        self.warnings.len()
    }

    /// Drops the warnings after the first `n` (a request that gets none).
    pub(crate) fn truncate_warnings(&mut self, n: usize) {
        self.warnings.truncate(n);
    }

    /// Runs the tasks due now, without moving the clock: the controllers' immediate
    /// reaction to a request. At most `max_events` run. Returns how many ran.
    pub fn run_due(&mut self, max_events: u64) -> u64 {
        let mut n = 0;
        while n < max_events && self.next_deadline().is_some_and(|t| t <= self.now_ms) {
            self.step();
            n += 1;
        }
        n
    }

    /// Advances virtual time by `duration_ms`, running every task due on the way (at most
    /// `max_events`). The clock ends at the target either way. Returns how many tasks ran.
    pub fn run_for(&mut self, duration_ms: u64, max_events: u64) -> u64 {
        let target = self.now_ms.saturating_add(duration_ms);
        let mut n = 0;
        while n < max_events {
            match self.next_deadline() {
                Some(t) if t <= target => {
                    self.step();
                    n += 1;
                }
                _ => break,
            }
        }
        self.now_ms = target;
        n
    }

    /// Like `run_for`, but a run that hits `max_events` leaves the clock at its last event
    /// instead of jumping to the target: the rest waits for the next call, and virtual time
    /// falls behind rather than tasks running late. Returns (tasks run, target reached).
    pub fn run_toward(&mut self, duration_ms: u64, max_events: u64) -> (u64, bool) {
        let target = self.now_ms.saturating_add(duration_ms);
        let mut n = 0;
        while self.next_deadline().is_some_and(|t| t <= target) {
            if n == max_events {
                return (n, false);
            }
            self.step();
            n += 1;
        }
        self.now_ms = target;
        (n, true)
    }

    /// Runs tasks until the cluster is quiet: nothing queued, or nothing due within
    /// `SETTLE_QUIET_MS` of the current time (a crash-looping pod waiting minutes for its
    /// next restart has settled into CrashLoopBackOff). At most `max_events` run; hitting
    /// that bound is reported as `Bounded`.
    pub fn run_until_settled(&mut self, max_events: u64) -> Settled {
        let mut n = 0;
        while n < max_events {
            match self.next_deadline() {
                Some(t) if t <= self.now_ms + SETTLE_QUIET_MS => {
                    self.step();
                    n += 1;
                }
                _ => return Settled::Settled { events: n },
            }
        }
        match self.next_deadline() {
            Some(t) if t <= self.now_ms + SETTLE_QUIET_MS => Settled::Bounded { events: n },
            _ => Settled::Settled { events: n },
        }
    }

    fn run_task(&mut self, task: Task) {
        let Task::Reconcile(c, r) = &task;
        let outcome = match c {
            Controller::GarbageCollector => crate::gc::reconcile(self, r),
            Controller::Namespace => crate::gc::reconcile_namespace(self, r),
            Controller::Scheduler => {
                let mut rng = self.rng.clone();
                let out = crate::scheduler::reconcile(self, r, &mut rng);
                self.rng = rng;
                out
            }
            Controller::Kubelet => crate::kubelet::reconcile(self, r),
            Controller::ReplicaSet => crate::replicaset::reconcile(self, r),
            Controller::Deployment => crate::deployment::reconcile(self, r),
            Controller::Endpoints => crate::endpoints::reconcile(self, r),
            Controller::Job => crate::jobs::reconcile_job(self, r),
            Controller::CronJob => crate::jobs::reconcile_cronjob(self, r),
            Controller::StatefulSet => crate::workloads::reconcile_statefulset(self, r),
            Controller::DaemonSet => crate::workloads::reconcile_daemonset(self, r),
            Controller::Storage => crate::storage::reconcile(self, r),
            Controller::LoadBalancer => crate::net::reconcile_status(self, r),
            Controller::NodeLifecycle => crate::nodes::reconcile(self, r),
            Controller::ResourceQuota => crate::quota::reconcile(self, r),
            Controller::Disruption => crate::disruption::reconcile(self, r),
            Controller::Autoscaler => crate::autoscaler::reconcile(self, r),
            Controller::Tokens => crate::tokens::reconcile(self, r),
        };
        self.apply_writes(outcome.writes);
        if let Some(after) = outcome.requeue_after_ms {
            self.schedule(task, self.now_ms + after);
        }
        self.drain_changes();
    }

    pub(crate) fn apply_writes(&mut self, writes: Vec<Write>) {
        // Controllers create pods in slow-start batches and stop at the first refusal: once
        // one create for an owner fails, its other creates in this sync are not attempted.
        let mut refused: Option<ObjRef> = None;
        for w in writes {
            // A controller write that the API rejects is dropped, as a failed request would
            // be; level-triggered reconciles retry from the new state.
            let _ = match w {
                Write::Create(o) => self.create_ref(o).map(|_| ()),
                Write::CreateAndRecord { about, .. } if refused.as_ref() == Some(&about) => Ok(()),
                Write::CreateAndRecord { obj, about, reason, message_prefix, message_suffix, failure_prefix, component } => {
                    match self.create_ref(obj) {
                        Ok(created) => {
                            if let Some(owner) = self.store.get_ref(&about).map(crate::events::Involved::of) {
                                let message = format!("{message_prefix}{}{message_suffix}", created.name);
                                self.record_event_for(owner, EventType::Normal, &reason, &message, &component);
                            }
                            Ok(())
                        }
                        Err(e) => {
                            // A refused create (a quota, a LimitRange): the controller says so, and
                            // tries again when the namespace's policy or pods change (see
                            // `drain_changes`) rather than on a timer, so the cluster can settle.
                            if let Some(owner) = self.store.get_ref(&about).cloned() {
                                self.record_event(
                                    &owner,
                                    EventType::Warning,
                                    "FailedCreate",
                                    &format!("{failure_prefix}{}", e.message),
                                    &component,
                                );
                                // A ReplicaSet (or ReplicationController) also says so in its
                                // ReplicaFailure condition.
                                if let Some(next) = crate::replicaset::with_replica_failure(&owner, &e.message, self.now_time()) {
                                    let _ = self.update_status(next);
                                }
                            }
                            refused = Some(about);
                            Err(e)
                        }
                    }
                }
                Write::Update(o) => self.update(o).map(|_| ()),
                Write::UpdateStatus(o) => self.update_status(o).map(|_| ()),
                Write::PodStatus(r, st) => self.update_pod_status(&r, *st),
                Write::UpdateMeta(o) => self.update_meta(o).map(|_| ()),
                Write::Delete(r, p) => {
                    self.delete(&r, crate::api::DeleteOptions { propagation: p, grace_period_seconds: None }).map(|_| ())
                }
                Write::Remove(r) => {
                    self.remove_now(&r);
                    Ok(())
                }
                Write::Event { about, ty, reason, message, component } => {
                    if let Some(obj) = self.store.get_ref(&about).map(crate::events::Involved::of) {
                        self.record_event_for(obj, ty, &reason, &message, &component);
                    }
                    Ok(())
                }
                Write::ContainerEvent { about, field_path, ty, reason, message } => {
                    if let Some(obj) = self.store.get_ref(&about).map(crate::events::Involved::of) {
                        self.record_event_for(obj.at(Some(field_path)), ty, &reason, &message, "kubelet");
                    }
                    Ok(())
                }
                Write::StoreFile { pod, container, path, text } => {
                    // A read-only volume refuses the write, as the container's shell would.
                    let _ = match text {
                        Some(t) => self.write_file(&pod, &container, &path, &t, false),
                        None => self.remove_file(&pod, &container, &path).map(|_| ()),
                    };
                    Ok(())
                }
                Write::HpaRecommendations(r, recs) => {
                    self.hpa_recommendations.insert(r, recs);
                    Ok(())
                }
                Write::Bind(r, node) => {
                    let bound = self.bind(&r, &node).map(|_| ());
                    if bound.is_ok() {
                        self.retry_waiting_on_pods();
                    }
                    bound
                }
                Write::Decision(r, d) => {
                    if d.chosen.is_none() {
                        self.unschedulable.insert(r.clone());
                    } else {
                        self.unschedulable.remove(&r);
                    }
                    self.decisions.insert(r, d);
                    Ok(())
                }
                Write::ImagePulled(node, image) => {
                    self.cache_image(&node, &image);
                    Ok(())
                }
                Write::AllocatePodIp(node) => {
                    *self.next_pod_ip.entry(node).or_insert(2) += 1;
                    Ok(())
                }
                Write::Runtime(r, rt) => {
                    if rt.resize_pending.as_ref().is_some_and(|p| p.reason == "Deferred") {
                        self.deferred_resizes.insert(r.clone());
                    } else if !self.deferred_resizes.is_empty() {
                        self.deferred_resizes.remove(&r);
                    }
                    self.runtime.insert(r, *rt);
                    Ok(())
                }
                Write::SchedulerCursor(n) => {
                    self.scheduler_cursor = self.scheduler_cursor.wrapping_add(n);
                    Ok(())
                }
                Write::ForgetRuntime(r) => {
                    let gone = self.runtime.remove(&r);
                    self.deferred_resizes.remove(&r);
                    // Room freed on the node: its deferred resizes are tried again now.
                    if let Some(node) = gone.map(|rt| rt.node).filter(|_| !self.deferred_resizes.is_empty()) {
                        let now = self.now_ms;
                        let waiting: Vec<ObjRef> = self
                            .deferred_resizes
                            .iter()
                            .filter(|p| self.runtime.get(*p).is_some_and(|rt| rt.node == node))
                            .cloned()
                            .collect();
                        for p in waiting {
                            self.schedule(Task::Reconcile(Controller::Kubelet, p), now);
                        }
                    }
                    // The pod is gone: its containers' filesystems and emptyDirs with it.
                    let prefix = crate::files::pod_prefix(&r.namespace, &r.name);
                    self.files.retain(|k, _| !k.starts_with(&prefix));
                    self.decisions.remove(&r);
                    self.unschedulable.remove(&r);
                    Ok(())
                }
            };
        }
    }

    /// Routes the store's new changes to the controllers that watch them (level-triggered:
    /// each change only enqueues keys).
    pub(crate) fn drain_changes(&mut self) {
        let changes = self.store.take_changes();
        let now = self.now_ms;
        let mut retry_unschedulable = false;
        for c in changes {
            let r = c.object.clone();
            // Quotas in the namespace recount what they cover.
            if r.kind == Kind::ResourceQuota {
                self.schedule(Task::Reconcile(Controller::ResourceQuota, r.clone()), now);
            } else if crate::quota::counted(r.kind) && !r.namespace.is_empty() {
                let qs: Vec<ObjRef> = self.store.list(Kind::ResourceQuota, Some(&r.namespace)).map(ObjRef::of).collect();
                for q in qs {
                    self.schedule(Task::Reconcile(Controller::ResourceQuota, q), now);
                }
            }
            // Disruption budgets recount their pods when a pod of their namespace changes.
            if r.kind == Kind::HorizontalPodAutoscaler {
                if c.change == ChangeType::Deleted {
                    self.hpa_recommendations.remove(&r);
                } else {
                    // Its first sync comes a sync period after it is created.
                    self.schedule(Task::Reconcile(Controller::Autoscaler, r.clone()), now + crate::autoscaler::SYNC_MS);
                }
            }
            if r.kind == Kind::PodDisruptionBudget && c.change != ChangeType::Deleted {
                self.schedule(Task::Reconcile(Controller::Disruption, r.clone()), now);
            } else if r.kind == Kind::Pod {
                // A pod on a node with NoExecute taints (bound to it, or its tolerations
                // changed): the taint eviction controller looks at it.
                if c.change != ChangeType::Deleted {
                    let node = match self.store.get_ref(&r) {
                        Some(Object::Pod(p)) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
                        _ => None,
                    };
                    if let Some(node) = node {
                        if let Some(Object::Node(n)) = self.store.get(Kind::Node, "", &node) {
                            if crate::nodes::has_no_execute_taint(n) {
                                self.schedule(
                                    Task::Reconcile(Controller::NodeLifecycle, ObjRef::new(Kind::Node, "", &node)),
                                    now,
                                );
                            }
                        }
                    }
                }
                // Autoscalers of the namespace look again at their next sync.
                let hpas: Vec<ObjRef> =
                    self.store.list(Kind::HorizontalPodAutoscaler, Some(&r.namespace)).map(ObjRef::of).collect();
                for h in hpas {
                    self.schedule(Task::Reconcile(Controller::Autoscaler, h), now + crate::autoscaler::SYNC_MS);
                }
                let pdbs: Vec<ObjRef> = self.store.list(Kind::PodDisruptionBudget, Some(&r.namespace)).map(ObjRef::of).collect();
                for b in pdbs {
                    self.schedule(Task::Reconcile(Controller::Disruption, b), now);
                }
            }
            // A ConfigMap or Secret changed: loops reading them from volumes look again.
            if matches!(r.kind, Kind::ConfigMap | Kind::Secret) {
                let marker = format!("{}/{}@", r.kind.info().singular, r.name);
                // Only the namespace's pods: the runtime map is ordered by (kind, namespace, name).
                let from = ObjRef::new(Kind::Pod, &r.namespace, "");
                let readers: Vec<ObjRef> = self
                    .runtime
                    .range(from..)
                    .take_while(|(p, _)| p.kind == Kind::Pod && p.namespace == r.namespace)
                    .filter(|(_, rt)| {
                        rt.containers.values().any(|c| c.program.exit.is_none() && c.program.volumes_seen.contains(&marker))
                    })
                    .map(|(p, _)| p.clone())
                    .collect();
                for p in readers {
                    self.schedule(Task::Reconcile(Controller::Kubelet, p), now);
                }
            }
            // DNS answers changed: containers waiting on the cluster look again.
            if r.kind == Kind::Service {
                let waiting: Vec<ObjRef> = self
                    .runtime
                    .iter()
                    .filter(|(_, rt)| rt.containers.values().any(|c| c.program.reevaluate && c.program.exit.is_none()))
                    .map(|(p, _)| p.clone())
                    .collect();
                for p in waiting {
                    self.schedule(Task::Reconcile(Controller::Kubelet, p), now);
                }
            }
            // Policy changed, or a pod went away under a quota: controllers whose creates were
            // refused try again.
            let has_quota = || self.store.list(Kind::ResourceQuota, Some(&r.namespace)).next().is_some();
            let freed = r.kind == Kind::Pod && c.change == ChangeType::Deleted && has_quota();
            // A namespace's labels carry its Pod Security policy.
            let relabeled = r.kind == Kind::Namespace && c.change == ChangeType::Modified;
            // A ServiceAccount that pods were refused for now exists.
            let account = r.kind == Kind::ServiceAccount && c.change == ChangeType::Added;
            if r.kind == Kind::ResourceQuota || r.kind == Kind::LimitRange || freed || relabeled || account {
                let ns = if relabeled { &r.name } else { &r.namespace };
                let mut owners: Vec<(Controller, ObjRef)> = Vec::new();
                for kind in [Kind::ReplicaSet, Kind::ReplicationController, Kind::Job, Kind::StatefulSet, Kind::DaemonSet] {
                    if let Some(ctl) = controller_for(kind) {
                        owners.extend(self.store.list(kind, Some(ns)).map(|o| (ctl, ObjRef::of(o))));
                    }
                }
                for (ctl, o) in owners {
                    self.schedule(Task::Reconcile(ctl, o), now);
                }
            }
            match r.kind {
                Kind::Namespace => self.schedule(Task::Reconcile(Controller::Namespace, r.clone()), now),
                Kind::Node => {
                    retry_unschedulable = true;
                    if c.change == ChangeType::Deleted {
                        self.deleted_nodes.insert(r.name.clone(), now);
                    } else {
                        self.deleted_nodes.remove(&r.name);
                    }
                    self.schedule(Task::Reconcile(Controller::NodeLifecycle, r.clone()), now);
                    let dss: Vec<ObjRef> = self.store.list(Kind::DaemonSet, None).map(ObjRef::of).collect();
                    for d in dss {
                        self.schedule(Task::Reconcile(Controller::DaemonSet, d), now);
                    }
                }
                Kind::StatefulSet => self.schedule(Task::Reconcile(Controller::StatefulSet, r.clone()), now),
                Kind::DaemonSet => self.schedule(Task::Reconcile(Controller::DaemonSet, r.clone()), now),
                Kind::PersistentVolume => {
                    self.schedule(Task::Reconcile(Controller::Storage, r.clone()), now);
                    // Claims still waiting may fit this volume (or its release).
                    let pending: Vec<ObjRef> = self
                        .store
                        .list(Kind::PersistentVolumeClaim, None)
                        .filter(|o| match o {
                            Object::PersistentVolumeClaim(c) => {
                                c.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Bound")
                            }
                            _ => false,
                        })
                        .map(ObjRef::of)
                        .collect();
                    for c in pending {
                        self.schedule(Task::Reconcile(Controller::Storage, c), now);
                    }
                }
                Kind::PersistentVolumeClaim => {
                    self.schedule(Task::Reconcile(Controller::Storage, r.clone()), now);
                    // Volumes bound to this claim follow it (Bound, Released).
                    let volumes: Vec<ObjRef> = self
                        .store
                        .list(Kind::PersistentVolume, None)
                        .filter(|o| match o {
                            Object::PersistentVolume(v) => v.spec.as_ref().and_then(|s| s.claim_ref.as_ref()).is_some_and(|c| {
                                c.name.as_deref() == Some(r.name.as_str()) && c.namespace.as_deref() == Some(r.namespace.as_str())
                            }),
                            _ => false,
                        })
                        .map(ObjRef::of)
                        .collect();
                    for v in volumes {
                        self.schedule(Task::Reconcile(Controller::Storage, v), now);
                    }
                    // Pods waiting for this claim: the scheduler retries, and the kubelets of
                    // bound ones mount it.
                    retry_unschedulable = true;
                    let users: Vec<ObjRef> = self
                        .store
                        .list(Kind::Pod, Some(&r.namespace))
                        .filter(|o| match o {
                            Object::Pod(p) => p.spec.as_ref().is_some_and(|s| {
                                s.node_name.is_some()
                                    && s.volumes
                                        .iter()
                                        .flatten()
                                        .any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == r.name))
                            }),
                            _ => false,
                        })
                        .map(ObjRef::of)
                        .collect();
                    for u in users {
                        self.schedule(Task::Reconcile(Controller::Kubelet, u), now);
                    }
                }
                Kind::Pod => {
                    if c.change == ChangeType::Deleted {
                        // Claims kept only for this pod may now go.
                        let terminating: Vec<ObjRef> = self
                            .store
                            .list(Kind::PersistentVolumeClaim, Some(&r.namespace))
                            .filter(|o| o.meta().deletion_timestamp.is_some())
                            .map(ObjRef::of)
                            .collect();
                        for t in terminating {
                            self.schedule(Task::Reconcile(Controller::Storage, t), now);
                        }
                    }
                    let bound = match self.store.get_ref(&r) {
                        Some(Object::Pod(p)) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
                        _ => None,
                    };
                    match (&bound, c.change) {
                        (_, ChangeType::Deleted) => {
                            self.schedule(Task::Reconcile(Controller::Kubelet, r.clone()), now);
                            retry_unschedulable = true;
                        }
                        (Some(_), _) => {
                            // The kubelet syncs a pod when its spec or metadata change, not
                            // for its own status writes (the status manager's updates are
                            // not pod updates to the pod workers).
                            if !c.status_only {
                                self.schedule(Task::Reconcile(Controller::Kubelet, r.clone()), now);
                            }
                            let claims: Vec<String> = match self.store.get_ref(&r) {
                                Some(Object::Pod(p)) => p
                                    .spec
                                    .as_ref()
                                    .and_then(|s| s.volumes.as_ref())
                                    .map(|v| {
                                        v.iter()
                                            .filter_map(|v| v.persistent_volume_claim.as_ref().map(|c| c.claim_name.clone()))
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                                _ => vec![],
                            };
                            for c in claims {
                                self.schedule(
                                    Task::Reconcile(
                                        Controller::Storage,
                                        ObjRef::new(Kind::PersistentVolumeClaim, &r.namespace, &c),
                                    ),
                                    now,
                                );
                            }
                        }
                        (None, _) => {
                            if !self.unschedulable.contains(&r) {
                                self.schedule(Task::Reconcile(Controller::Scheduler, r.clone()), now);
                            }
                        }
                    }
                    // A ServiceLB pod's readiness decides which node IPs its Service advertises.
                    // Like k3s's workqueue, changes within a second are handled together (a
                    // big cluster's svclb pods start at once: one status update, not one per
                    // node).
                    if r.namespace == crate::servicelb::LB_NAMESPACE && r.name.starts_with("svclb-") {
                        let lbs: Vec<ObjRef> = self
                            .store
                            .list(Kind::Service, None)
                            .filter(|o| matches!(o, Object::Service(s) if crate::servicelb::is_load_balancer(s)))
                            .map(ObjRef::of)
                            .collect();
                        for s in lbs {
                            self.schedule(Task::Reconcile(Controller::LoadBalancer, s), now + 1_000);
                        }
                    }
                    // Services in the namespace may select this pod (before or after the change).
                    let svcs: Vec<ObjRef> = self
                        .store
                        .list(Kind::Service, Some(&r.namespace))
                        .filter(|s| matches!(s, Object::Service(x) if x.spec.as_ref().and_then(|sp| sp.selector.as_ref()).is_some_and(|m| !m.is_empty())))
                        .map(ObjRef::of)
                        .collect();
                    for s in svcs {
                        self.schedule(Task::Reconcile(Controller::Endpoints, s), now);
                    }
                    if let Some(owner) = &c.controller {
                        if owner.kind == Kind::ReplicationController {
                            self.schedule(Task::Reconcile(Controller::ReplicaSet, owner.clone()), now);
                        }
                        if owner.kind == Kind::ReplicaSet {
                            self.schedule(Task::Reconcile(Controller::ReplicaSet, owner.clone()), now);
                            // A Recreate rollout waits for the old pods to be gone: the
                            // Deployment watches its pods' deletions.
                            if c.change == ChangeType::Deleted {
                                let dep = match self.store.get_ref(owner) {
                                    Some(rs) => crate::store::controller_of(rs),
                                    None => None,
                                };
                                if let Some(d) = dep.filter(|d| d.kind == Kind::Deployment) {
                                    self.schedule(Task::Reconcile(Controller::Deployment, d), now);
                                }
                            }
                        }
                        if owner.kind == Kind::Job {
                            self.schedule(Task::Reconcile(Controller::Job, owner.clone()), now);
                        }
                        if owner.kind == Kind::StatefulSet {
                            self.schedule(Task::Reconcile(Controller::StatefulSet, owner.clone()), now);
                        }
                        if owner.kind == Kind::DaemonSet {
                            self.schedule(Task::Reconcile(Controller::DaemonSet, owner.clone()), now);
                        }
                    } else if c.change != ChangeType::Deleted {
                        // An orphan may be adopted by a ReplicaSet (or a ReplicationController)
                        // in its namespace.
                        let rss: Vec<ObjRef> = [Kind::ReplicaSet, Kind::ReplicationController]
                            .into_iter()
                            .flat_map(|k| self.store.list(k, Some(&r.namespace)))
                            .map(ObjRef::of)
                            .collect();
                        for rs in rss {
                            self.schedule(Task::Reconcile(Controller::ReplicaSet, rs), now);
                        }
                    }
                }
                Kind::ReplicaSet => {
                    self.schedule(Task::Reconcile(Controller::ReplicaSet, r.clone()), now);
                    if let Some(owner) = &c.controller {
                        if owner.kind == Kind::Deployment {
                            self.schedule(Task::Reconcile(Controller::Deployment, owner.clone()), now);
                        }
                    }
                }
                Kind::ReplicationController => self.schedule(Task::Reconcile(Controller::ReplicaSet, r.clone()), now),
                Kind::Secret if c.change != ChangeType::Deleted => {
                    let token = matches!(self.store.get_ref(&r), Some(Object::Secret(s)) if s.type_.as_deref() == Some(crate::tokens::TOKEN_TYPE));
                    if token {
                        self.schedule(Task::Reconcile(Controller::Tokens, r.clone()), now);
                    }
                }
                // A ServiceAccount's token Secrets follow it (deleted with it); a namespace's
                // `default` one is made again (the serviceaccounts controller).
                Kind::ServiceAccount => {
                    for s in crate::tokens::secrets_for(self, &r.namespace, &r.name) {
                        self.schedule(Task::Reconcile(Controller::Tokens, s), now);
                    }
                    let ns = ObjRef::new(Kind::Namespace, "", &r.namespace);
                    let active = self.store.get_ref(&ns).is_some_and(|n| n.meta().deletion_timestamp.is_none());
                    if r.name == "default" && c.change == ChangeType::Deleted && active {
                        self.schedule(Task::Reconcile(Controller::Namespace, ns), now);
                    }
                }
                Kind::Deployment => self.schedule(Task::Reconcile(Controller::Deployment, r.clone()), now),
                Kind::Service => {
                    self.schedule(Task::Reconcile(Controller::Endpoints, r.clone()), now);
                    self.schedule(Task::Reconcile(Controller::LoadBalancer, r.clone()), now);
                    // An ingress controller publishes its Service's addresses on the Ingresses
                    // it serves.
                    if crate::topology::IngressController::fronted_by(&r.namespace, &r.name).is_some() {
                        let ings: Vec<ObjRef> = self.store.list(Kind::Ingress, None).map(ObjRef::of).collect();
                        for i in ings {
                            self.schedule(Task::Reconcile(Controller::LoadBalancer, i), now);
                        }
                    }
                }
                Kind::Ingress => self.schedule(Task::Reconcile(Controller::LoadBalancer, r.clone()), now),
                Kind::Job => {
                    self.schedule(Task::Reconcile(Controller::Job, r.clone()), now);
                    if let Some(owner) = c.controller.as_ref().filter(|o| o.kind == Kind::CronJob) {
                        self.schedule(Task::Reconcile(Controller::CronJob, owner.clone()), now);
                    }
                }
                Kind::CronJob => self.schedule(Task::Reconcile(Controller::CronJob, r.clone()), now),
                _ => {}
            }
            let foreground = c.change == ChangeType::Modified
                && self.store.get_ref(&r).is_some_and(|o| {
                    o.meta().deletion_timestamp.is_some()
                        && o.meta().finalizers.iter().flatten().any(|f| f == "foregroundDeletion")
                });
            // The garbage collector's graph reacts to objects added or gone, to changed
            // ownerReferences and to deletions in the foreground; other updates (a pod's
            // status) leave it be.
            if r.kind != Kind::Event && (c.owners_changed || foreground) {
                self.schedule(Task::Reconcile(Controller::GarbageCollector, r.clone()), now);
            }
            if c.change == ChangeType::Deleted {
                // An owner waiting in foreground deletion may now have no dependents left.
                if let Some(owner) = &c.controller {
                    self.schedule(Task::Reconcile(Controller::GarbageCollector, owner.clone()), now);
                }
            }
            if c.change == ChangeType::Deleted || foreground {
                let deps: Vec<ObjRef> = self.store.dependents_of(&c.uid).cloned().collect();
                for d in deps {
                    self.schedule(Task::Reconcile(Controller::GarbageCollector, d), now);
                }
            }
        }
        if retry_unschedulable {
            // The scheduling queue's order: higher priority first (PrioritySort).
            let mut pending: Vec<(std::cmp::Reverse<i32>, ObjRef)> = self
                .unschedulable
                .iter()
                .map(|r| {
                    let p = match self.store.get_ref(r) {
                        Some(Object::Pod(p)) => crate::preemption::priority(p),
                        _ => 0,
                    };
                    (std::cmp::Reverse(p), r.clone())
                })
                .collect();
            pending.sort();
            let pending: Vec<ObjRef> = pending.into_iter().map(|(_, r)| r).collect();
            for p in pending {
                self.schedule(Task::Reconcile(Controller::Scheduler, p), now + 1000);
            }
        }
    }

    /// A random lowercase suffix from the world's seeded RNG (what kubectl's own
    /// `utilrand.String` gives, kept deterministic here).
    pub fn random_suffix(&mut self, len: u32) -> String {
        self.rng.name_suffix(len)
    }

    /// A pod was placed: unschedulable pods whose pod affinity or topology spread depends on
    /// where other pods run get another attempt (kube-scheduler's queueing hints for
    /// InterPodAffinity and PodTopologySpread do the same on pod adds).
    fn retry_waiting_on_pods(&mut self) {
        let now = self.now_ms;
        let waiting: Vec<ObjRef> = self
            .unschedulable
            .iter()
            .filter(|r| match self.store.get_ref(r) {
                Some(Object::Pod(p)) => p.spec.as_ref().is_some_and(|s| {
                    s.topology_spread_constraints.as_ref().is_some_and(|c| !c.is_empty())
                        || s.affinity.as_ref().is_some_and(|a| a.pod_affinity.is_some())
                }),
                _ => false,
            })
            .cloned()
            .collect();
        for p in waiting {
            self.schedule(Task::Reconcile(Controller::Scheduler, p), now + 1000);
        }
    }

    /// The autoscaler's recent recommendations for an HPA (time, replicas).
    pub fn hpa_recommendations(&self, r: &ObjRef) -> &[(u64, i32)] {
        self.hpa_recommendations.get(r).map_or(&[], Vec::as_slice)
    }

    /// A canonical hash of the whole cluster state: every object in key order, the clock,
    /// the queue and the container runtimes. Equal worlds give equal hashes on every platform.
    pub fn state_hash(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = fnv::FnvHasher::default();
        h.write(&self.now_ms.to_le_bytes());
        h.write(&self.store.resource_version().to_le_bytes());
        for obj in self.store.all() {
            let text = serde_json::to_string(&obj.to_value()).unwrap_or_default();
            h.write(text.as_bytes());
            h.write(&[0]);
        }
        for ((t, s), task) in &self.queue {
            h.write(&t.to_le_bytes());
            h.write(&s.to_le_bytes());
            h.write(format!("{task:?}").as_bytes());
        }
        h.write(format!("{:?}{:?}{:?}{:?}", self.runtime, self.node_images, self.next_pod_ip, self.stopped_nodes).as_bytes());
        h.write(format!("{:?}", self.deleted_nodes).as_bytes());
        h.write(format!("{:?}", self.files).as_bytes());
        h.write(format!("{:?}", self.session_affinity).as_bytes());
        h.write(format!("{:?}", self.faults).as_bytes());
        if !self.hpa_recommendations.is_empty() {
            h.write(format!("{:?}", self.hpa_recommendations).as_bytes());
        }
        h.finish()
    }
}

/// The API timestamp `ms` virtual milliseconds after boot, truncated to whole seconds as
/// `metav1.Time` is (so a stored time survives a JSON round trip unchanged).
pub fn time_at(ms: u64) -> Time {
    let ms = ms - ms % 1000;
    let unix_ms = EPOCH_UNIX_MS.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX / 2));
    Time(k8s_openapi::jiff::Timestamp::from_millisecond(unix_ms).unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH))
}

/// Virtual milliseconds since boot of an API timestamp (0 for times before boot).
pub fn ms_of(t: &Time) -> u64 {
    u64::try_from(t.0.as_millisecond() - EPOCH_UNIX_MS).unwrap_or(0)
}

/// Virtual ms since boot of an RFC 3339 time (`2026-01-01T00:01:00Z`); times before boot are
/// 0. None when it does not parse.
pub fn parse_time(s: &str) -> Option<u64> {
    let t: k8s_openapi::jiff::Timestamp = s.parse().ok()?;
    Some(u64::try_from(t.as_millisecond() - EPOCH_UNIX_MS).unwrap_or(0))
}

/// The time `ms` virtual ms after boot as the kubelet stamps log lines (its
/// `RFC3339NanoFixed`: always nine fractional digits).
pub fn rfc3339_nano(ms: u64) -> String {
    let whole = time_at(ms);
    format!("{}.{:03}000000Z", whole.0.strftime("%Y-%m-%dT%H:%M:%S"), ms % 1000)
}

/// Parses a terminal duration: `30s`, `2m`, `1h`, `500ms`, or a bare number of seconds,
/// into milliseconds. `None` for anything else (or an overflow).
pub fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mul) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3_600_000)
    } else {
        (s, 1000)
    };
    num.parse::<u64>().ok().and_then(|n| n.checked_mul(mul))
}

/// Go's `time.ParseDuration`, as kubectl's duration flags (`--since`, `--timeout`,
/// `--duration`) parse their values: a sequence of decimal numbers with units (`300ms`,
/// `1.5h`, `2h45m`), an optional sign, `0` alone without a unit. Returns nanoseconds, exact
/// as Go computes them (negative for a negative duration; the caller words its own refusal
/// of those), or Go's error text (`time: missing unit in duration "5"`).
pub fn parse_go_duration(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..digits];
        let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
        if (whole.is_empty() && frac.is_empty()) || frac.contains('.') {
            return Err(invalid());
        }
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {s:?}"));
        }
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        rest = &rest[unit_len..];
        // Whole part exactly; the fraction scaled and truncated, as Go does.
        let mut value: i128 = 0;
        for d in whole.bytes() {
            value = value.checked_mul(10).and_then(|v| v.checked_add(i128::from(d - b'0'))).ok_or_else(invalid)?;
            if value > i128::from(i64::MAX) {
                return Err(invalid());
            }
        }
        value = value.checked_mul(scale).ok_or_else(invalid)?;
        let (mut f, mut div): (i128, i128) = (0, 1);
        for d in frac.bytes() {
            if div > 1_000_000_000_000_000_000 {
                break;
            }
            f = f * 10 + i128::from(d - b'0');
            div *= 10;
        }
        value += f * scale / div;
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > i128::from(i64::MAX) {
            return Err(invalid());
        }
    }
    let ns = i64::try_from(total).map_err(|_| invalid())?;
    Ok(if neg { -ns } else { ns })
}

/// A duration as Go's `time.Duration.String` prints whole seconds: `10s`, `1m20s`, `5m0s`.
pub fn go_duration(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{}h{}m{}s", s / 3600, (s % 3600) / 60, s % 60)
    }
}

#[cfg(test)]
mod go_duration_tests {
    use super::parse_go_duration;

    #[test]
    fn durations_parse_as_go_parses_them() {
        assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_go_duration("16.4m"), Ok(984_000_000_000));
        assert_eq!(parse_go_duration("1ns"), Ok(1));
        assert_eq!(parse_go_duration("-1.001s"), Ok(-1_001_000_000));
        assert_eq!(parse_go_duration("+5s"), Ok(5_000_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("5"), Err("time: missing unit in duration \"5\"".into()));
        assert_eq!(parse_go_duration("5d"), Err("time: unknown unit \"d\" in duration \"5d\"".into()));
        assert_eq!(parse_go_duration("1h-2m"), Err("time: unknown unit \"h-\" in duration \"1h-2m\"".into()));
        assert_eq!(parse_go_duration("."), Err("time: invalid duration \".\"".into()));
        assert_eq!(parse_go_duration("99999999999999999999h"), Err("time: invalid duration \"99999999999999999999h\"".into()));
        assert_eq!(parse_go_duration(""), Err("time: invalid duration \"\"".into()));
    }
}
