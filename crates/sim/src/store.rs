//! The object store: every object of the cluster, keyed by kind, namespace and name, with a
//! monotonic resourceVersion, an ordered change log and the indexes controllers query.
//! It does no validation; the API layer (`api.rs`) is its only writer.

use crate::kinds::{Kind, Object};
use std::collections::{BTreeMap, BTreeSet};

/// `(namespace, name)`; the namespace is empty for cluster-scoped kinds.
pub type Key = (String, String);

/// A reference to one object.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjRef {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjRef {
        ObjRef { kind, namespace: namespace.to_string(), name: name.to_string() }
    }

    pub fn of(obj: &Object) -> ObjRef {
        let m = obj.meta();
        ObjRef { kind: obj.kind(), namespace: m.namespace.clone().unwrap_or_default(), name: m.name.clone().unwrap_or_default() }
    }

    /// A pod's reference, without cloning the pod into an `Object` first.
    pub fn of_pod(p: &k8s_openapi::api::core::v1::Pod) -> ObjRef {
        ObjRef::new(Kind::Pod, p.metadata.namespace.as_deref().unwrap_or(""), p.metadata.name.as_deref().unwrap_or(""))
    }

    pub fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
}

/// What happened to an object, as a watch would report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

/// One entry of the change log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub resource_version: u64,
    pub change: ChangeType,
    pub object: ObjRef,
    pub uid: String,
    /// The object's controller (the ownerReference with `controller: true`), if any.
    pub controller: Option<ObjRef>,
    /// Only the pod's status changed, through the status subresource given just a status
    /// (`Store::set_pod_status`: the kubelet's writes, an eviction's condition).
    pub status_only: bool,
    /// The object is new or gone, or its ownerReferences changed: what the garbage
    /// collector's graph reacts to.
    pub owners_changed: bool,
}

impl Change {
    /// The change to `obj` (as it is now, or as it was when deleted) at version `rv`.
    fn of(rv: u64, change: ChangeType, r: &ObjRef, obj: &Object, status_only: bool, owners_changed: bool) -> Change {
        let uid = obj.meta().uid.clone().unwrap_or_default();
        Change {
            resource_version: rv,
            change,
            object: r.clone(),
            uid,
            controller: controller_of(obj),
            status_only,
            owners_changed,
        }
    }
}

/// The object's controller (its ownerReference with `controller: true`).
pub fn controller_of(obj: &Object) -> Option<ObjRef> {
    let m = obj.meta();
    let o = m.owner_references.iter().flatten().find(|o| o.controller == Some(true))?;
    let kind = Kind::from_api_version_kind(&o.api_version, &o.kind)?;
    let ns = if kind.info().namespaced { m.namespace.clone().unwrap_or_default() } else { String::new() };
    Some(ObjRef { kind, namespace: ns, name: o.name.clone() })
}

/// What the pods bound to one node use: the scheduler's view, kept as an index so that
/// filtering and scoring cost O(1) per node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    /// Requests as set.
    pub requests: crate::resources::Res,
    /// Requests with the scheduler's non-zero defaults (for scoring).
    pub non_zero: crate::resources::Res,
    pub pods: i64,
    pub host_ports: BTreeMap<u16, u32>,
    /// Controller (interned uid, see `Store::owner_id`) → pods of that controller here (not
    /// terminating), for spreading.
    pub per_owner: BTreeMap<u32, u32>,
    /// The node's allocatable cpu/memory and pod count (None until the Node exists).
    pub allocatable: Option<(crate::resources::Res, i64)>,
}

/// A bound pod's node, requests (as set and non-zero), host ports and live controller uid.
type PodUsage = (String, crate::resources::Res, crate::resources::Res, Vec<u16>, Option<String>);

/// Whether the scheduler counts this pod: bound to a node and not terminal (kube-scheduler's
/// informer leaves Succeeded and Failed pods out).
pub fn counts_for_scheduling(p: &k8s_openapi::api::core::v1::Pod) -> bool {
    counts_with_status(p, p.status.as_ref())
}

/// Whether the pod would count for scheduling with this status.
fn counts_with_status(p: &k8s_openapi::api::core::v1::Pod, status: Option<&k8s_openapi::api::core::v1::PodStatus>) -> bool {
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
    p.spec.as_ref().is_some_and(|s| s.node_name.is_some()) && phase != "Succeeded" && phase != "Failed"
}

/// Whether a pod carries pod affinity or anti-affinity terms (other pods' scheduling must
/// consider them).
fn has_pod_affinity(p: &k8s_openapi::api::core::v1::Pod) -> bool {
    p.spec.as_ref().and_then(|s| s.affinity.as_ref()).is_some_and(|a| a.pod_affinity.is_some() || a.pod_anti_affinity.is_some())
}

fn pod_usage(p: &k8s_openapi::api::core::v1::Pod) -> Option<PodUsage> {
    if !counts_for_scheduling(p) {
        return None;
    }
    let spec = p.spec.as_ref()?;
    let node = spec.node_name.clone()?;
    let ports = spec
        .containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| p.host_port.filter(|h| *h > 0))
        .map(|h| h as u16)
        .collect();
    let owner = if p.metadata.deletion_timestamp.is_none() {
        p.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true)).map(|o| o.uid.clone())
    } else {
        None
    };
    let status = p.status.as_ref();
    Some((
        node,
        crate::resources::pod_requests_counted(spec, status, false),
        crate::resources::pod_requests_counted(spec, status, true),
        ports,
        owner,
    ))
}

/// How many change-log entries are kept for consumers that read history (the UI timeline).
pub const CHANGE_LOG_CAP: usize = 10_000;

/// kind → namespace → name → object: lookups borrow their `&str`s, and iteration is in
/// `(namespace, name)` order.
/// An `Object` is two words (its variants are boxed), so B-tree nodes hold them inline.
type Objects = BTreeMap<Kind, BTreeMap<String, BTreeMap<String, Object>>>;

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: Objects,
    resource_version: u64,
    /// Changes not yet taken by the runtime (drained every step).
    pending: Vec<Change>,
    /// The most recent changes, oldest first, at most `CHANGE_LOG_CAP`.
    log: std::collections::VecDeque<Change>,
    idx: Indexes,
    /// How many objects the store holds, Events aside (for the simulation's limit).
    held: u64,
}

/// The indexes controllers query, kept apart from the objects so that `put` can index the
/// stored object without cloning it.
#[derive(Clone, Debug, Default)]
struct Indexes {
    /// Index: owner uid → objects with an ownerReference to it.
    dependents: BTreeMap<String, BTreeSet<ObjRef>>,
    /// Index: node name → pods bound to it.
    pods_by_node: BTreeMap<String, BTreeSet<Key>>,
    /// Index: node name → what its (non-terminal) pods use.
    usage: BTreeMap<String, NodeUsage>,
    /// Index: namespace → pods without a controller (candidates for adoption).
    orphans: BTreeMap<String, BTreeSet<String>>,
    /// Controller uids interned to small numbers, in first-seen order (never reused).
    owner_ids: BTreeMap<String, u32>,
    /// Index: bound, non-terminal pods with pod (anti-)affinity terms.
    affinity_pods: BTreeSet<Key>,
    /// Every Node's name, sorted: the scheduler walks nodes from a cursor by position, and
    /// examines only as many as it needs (upstream's adaptive share) in big clusters.
    node_names: Vec<String>,
}

impl Store {
    /// How many objects the store holds, Events aside.
    pub fn held(&self) -> u64 {
        self.held
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        self.objects.get(&kind)?.get(namespace)?.get(name)
    }

    pub fn get_ref(&self, r: &ObjRef) -> Option<&Object> {
        self.get(r.kind, &r.namespace, &r.name)
    }

    /// All objects of `kind` in key order; in one namespace when `namespace` is `Some`.
    pub fn list<'a>(&'a self, kind: Kind, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.get(&kind).into_iter().flat_map(move |m| match namespace {
            Some(ns) => Box::new(m.get(ns).into_iter().flat_map(BTreeMap::values)) as Box<dyn Iterator<Item = &Object>>,
            None => Box::new(m.values().flat_map(BTreeMap::values)),
        })
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.objects.get(&kind).map_or(0, |m| m.values().map(BTreeMap::len).sum())
    }

    /// Every object, in kind then key order.
    pub fn all(&self) -> impl Iterator<Item = &Object> {
        self.objects.values().flat_map(BTreeMap::values).flat_map(BTreeMap::values)
    }

    /// Objects that name `uid` in their ownerReferences.
    pub fn dependents_of(&self, uid: &str) -> impl Iterator<Item = &ObjRef> {
        self.idx.dependents.get(uid).into_iter().flatten()
    }

    /// What the non-terminal pods bound to `node` use.
    pub fn node_usage(&self, node: &str) -> Option<&NodeUsage> {
        self.idx.usage.get(node)
    }

    /// The interned number of a controller uid in `NodeUsage::per_owner`.
    pub fn owner_id(&self, uid: &str) -> Option<u32> {
        self.idx.owner_ids.get(uid).copied()
    }

    /// Every Node's name, in name order (the store's iteration order for nodes).
    pub fn node_names(&self) -> &[String] {
        &self.idx.node_names
    }

    /// Every Node with what its pods use, in name order starting at position `start` and
    /// wrapping around: two range walks merged with the usage index, so a caller that stops
    /// early pays only for the nodes it took.
    pub fn nodes_with_usage_from(
        &self,
        start: usize,
    ) -> impl Iterator<Item = (&k8s_openapi::api::core::v1::Node, Option<&NodeUsage>)> + '_ {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let nodes = self.objects.get(&Kind::Node).and_then(|m| m.get(""));
        let part = |lo, hi| walk_nodes(nodes, &self.idx.usage, lo, hi);
        // Past the end (no nodes), "" starts the walk at the first name and leaves nothing before.
        let f = self.idx.node_names.get(start).map_or("", String::as_str);
        part(Included(f), Unbounded).chain(part(Unbounded, Excluded(f)))
    }

    /// Pods in `namespace` that no controller owns.
    pub fn orphan_pods<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.idx.orphans.get(namespace).into_iter().flatten().filter_map(move |n| self.get(Kind::Pod, namespace, n))
    }

    /// Bound, non-terminal pods that carry pod affinity or anti-affinity terms.
    pub fn affinity_pods(&self) -> impl Iterator<Item = &k8s_openapi::api::core::v1::Pod> {
        self.idx.affinity_pods.iter().filter_map(|(ns, n)| match self.get(Kind::Pod, ns, n) {
            Some(Object::Pod(p)) => Some(&**p),
            _ => None,
        })
    }

    /// Pods bound to `node`.
    pub fn pods_on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.idx.pods_by_node.get(node).into_iter().flatten().filter_map(move |(ns, n)| self.get(Kind::Pod, ns, n))
    }

    /// Inserts or replaces an object, stamping the next resourceVersion. Returns that version.
    pub fn put(&mut self, mut obj: Object) -> u64 {
        self.resource_version += 1;
        let rv = self.resource_version;
        obj.meta_mut().resource_version = Some(rv.to_string());
        let r = ObjRef::of(&obj);
        let by_name = self.objects.entry(r.kind).or_default().entry(r.namespace.clone()).or_default();
        let old = by_name.insert(r.name.clone(), obj);
        if let Some(old) = &old {
            self.idx.unindex(&r, old);
        }
        let new = by_name.get(&r.name);
        if let Some(new) = new {
            self.idx.index(&r, new);
        }
        let change = if old.is_some() { ChangeType::Modified } else { ChangeType::Added };
        if old.is_none() && r.kind != Kind::Event {
            self.held += 1;
        }
        if old.is_none() && r.kind == Kind::Node {
            if let Err(i) = self.idx.node_names.binary_search(&r.name) {
                self.idx.node_names.insert(i, r.name.clone());
            }
        }
        let owners_changed = match (&old, new) {
            (Some(old), Some(new)) => old.meta().owner_references != new.meta().owner_references,
            _ => true,
        };
        let Some(new) = new else { return rv };
        let c = Change::of(rv, change, &r, new, false, owners_changed);
        self.record(c);
        rv
    }

    /// Changes an object in place (the status subresource's writes, which leave the rest of a
    /// large object alone), stamping the next resourceVersion. Returns that version, or `None`
    /// when the object is absent.
    pub fn modify(&mut self, r: &ObjRef, f: impl FnOnce(&mut Object)) -> Option<u64> {
        let obj = self.objects.get_mut(&r.kind)?.get_mut(&r.namespace)?.get_mut(&r.name)?;
        self.idx.unindex(r, obj);
        let owners = obj.meta().owner_references.clone();
        f(obj);
        self.resource_version += 1;
        let rv = self.resource_version;
        obj.meta_mut().resource_version = Some(rv.to_string());
        self.idx.index(r, obj);
        let owners_changed = obj.meta().owner_references != owners;
        let c = Change::of(rv, ChangeType::Modified, r, obj, false, owners_changed);
        self.record(c);
        Some(rv)
    }

    /// Replaces a pod's status (the kubelet's status writes). The indexes read a pod's status
    /// only through `counts_for_scheduling` (a terminal phase), so they are redone only when
    /// that changes. Returns the new resourceVersion, or `None` when the pod is absent.
    pub fn set_pod_status(&mut self, r: &ObjRef, status: k8s_openapi::api::core::v1::PodStatus) -> Option<u64> {
        let obj = self.objects.get_mut(&r.kind)?.get_mut(&r.namespace)?.get_mut(&r.name)?;
        let Object::Pod(p) = obj else { return None };
        // The usage index counts requests from the status too (a resize under way), so a
        // status that changes what it reads is reindexed like a change of phase.
        let counts = counts_for_scheduling(p);
        let reindex = counts != counts_with_status(p, Some(&status))
            || (counts
                && crate::resources::counted_status_view(p.status.as_ref())
                    != crate::resources::counted_status_view(Some(&status)));
        if reindex {
            self.idx.unindex(r, obj);
        }
        let Object::Pod(p) = obj else { return None };
        p.status = Some(status);
        self.resource_version += 1;
        let rv = self.resource_version;
        p.metadata.resource_version = Some(rv.to_string());
        if reindex {
            self.idx.index(r, obj);
        }
        let c = Change::of(rv, ChangeType::Modified, r, obj, true, false);
        self.record(c);
        Some(rv)
    }

    /// Removes an object. Returns it, or `None` when absent.
    pub fn remove(&mut self, r: &ObjRef) -> Option<Object> {
        let by_ns = self.objects.get_mut(&r.kind)?;
        let by_name = by_ns.get_mut(&r.namespace)?;
        let old = by_name.remove(&r.name)?;
        if by_name.is_empty() {
            by_ns.remove(&r.namespace);
        }
        self.idx.unindex(r, &old);
        if r.kind != Kind::Event {
            self.held -= 1;
        }
        if r.kind == Kind::Node {
            if let Ok(i) = self.idx.node_names.binary_search(&r.name) {
                self.idx.node_names.remove(i);
            }
        }
        self.resource_version += 1;
        let rv = self.resource_version;
        self.record(Change::of(rv, ChangeType::Deleted, r, &old, false, true));
        Some(old)
    }

    fn record(&mut self, c: Change) {
        if self.log.len() == CHANGE_LOG_CAP {
            self.log.pop_front();
        }
        self.log.push_back(c.clone());
        self.pending.push(c);
    }

    /// Takes the changes made since the last call, in order.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.pending)
    }

    /// The most recent changes, oldest first.
    pub fn change_log(&self) -> impl Iterator<Item = &Change> {
        self.log.iter()
    }
}

/// Nodes (of the store's cluster-scoped Node map) between `lo` and `hi`, each with its usage
/// from the usage index walked alongside.
fn walk_nodes<'a>(
    nodes: Option<&'a BTreeMap<String, Object>>,
    usage: &'a BTreeMap<String, NodeUsage>,
    lo: std::ops::Bound<&'a str>,
    hi: std::ops::Bound<&'a str>,
) -> impl Iterator<Item = (&'a k8s_openapi::api::core::v1::Node, Option<&'a NodeUsage>)> + 'a {
    let mut usage = usage.range::<str, _>((lo, hi)).peekable();
    nodes.into_iter().flat_map(move |m| m.range::<str, _>((lo, hi))).filter_map(move |(name, o)| {
        let Object::Node(n) = o else { return None };
        while usage.peek().is_some_and(|(k, _)| k.as_str() < name.as_str()) {
            usage.next();
        }
        let u = usage.peek().filter(|(k, _)| *k == name).map(|(_, u)| *u);
        Some((&**n, u))
    })
}

impl Indexes {
    fn index(&mut self, r: &ObjRef, obj: &Object) {
        for o in obj.meta().owner_references.iter().flatten() {
            self.dependents.entry(o.uid.clone()).or_default().insert(r.clone());
        }
        if let Object::Node(n) = obj {
            self.usage.entry(r.name.clone()).or_default().allocatable = Some(crate::scheduler::parse_allocatable(n));
        }
        if let Object::Pod(p) = obj {
            if let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.as_ref()) {
                self.pods_by_node.entry(node.clone()).or_default().insert(r.key());
            }
            if counts_for_scheduling(p) && has_pod_affinity(p) {
                self.affinity_pods.insert(r.key());
            }
            if let Some((node, req, nz, ports, owner)) = pod_usage(p) {
                let u = self.usage.entry(node).or_default();
                u.requests = u.requests.plus(req);
                u.non_zero = u.non_zero.plus(nz);
                u.pods += 1;
                for port in ports {
                    *u.host_ports.entry(port).or_default() += 1;
                }
                if let Some(o) = owner {
                    let next = self.owner_ids.len() as u32;
                    let id = *self.owner_ids.entry(o).or_insert(next);
                    *u.per_owner.entry(id).or_default() += 1;
                }
            }
            if !p.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true)) {
                self.orphans.entry(r.namespace.clone()).or_default().insert(r.name.clone());
            }
        }
    }

    fn unindex(&mut self, r: &ObjRef, obj: &Object) {
        if let Object::Node(_) = obj {
            if let Some(u) = self.usage.get_mut(&r.name) {
                u.allocatable = None;
            }
        }
        for o in obj.meta().owner_references.iter().flatten() {
            if let Some(set) = self.dependents.get_mut(&o.uid) {
                set.remove(r);
                if set.is_empty() {
                    self.dependents.remove(&o.uid);
                }
            }
        }
        if let Object::Pod(p) = obj {
            if let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.as_ref()) {
                if let Some(set) = self.pods_by_node.get_mut(node) {
                    set.remove(&r.key());
                    if set.is_empty() {
                        self.pods_by_node.remove(node);
                    }
                }
            }
            self.affinity_pods.remove(&r.key());
            if let Some((node, req, nz, ports, owner)) = pod_usage(p) {
                if let Some(u) = self.usage.get_mut(&node) {
                    u.requests = u.requests.minus(req);
                    u.non_zero = u.non_zero.minus(nz);
                    u.pods -= 1;
                    for port in ports {
                        if let Some(c) = u.host_ports.get_mut(&port) {
                            *c -= 1;
                            if *c == 0 {
                                u.host_ports.remove(&port);
                            }
                        }
                    }
                    if let Some(o) = owner {
                        let id = self.owner_ids.get(&o).copied().unwrap_or(u32::MAX);
                        if let Some(c) = u.per_owner.get_mut(&id) {
                            *c -= 1;
                            if *c == 0 {
                                u.per_owner.remove(&id);
                            }
                        }
                    }
                }
            }
            if let Some(set) = self.orphans.get_mut(&r.namespace) {
                set.remove(&r.name);
                if set.is_empty() {
                    self.orphans.remove(&r.namespace);
                }
            }
        }
    }
}
