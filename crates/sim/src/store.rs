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
    /// Controller uid → pods of that controller here (not terminating), for spreading.
    pub per_owner: BTreeMap<String, u32>,
    /// The node's allocatable cpu/memory and pod count (None until the Node exists).
    pub allocatable: Option<(crate::resources::Res, i64)>,
}

/// A bound pod's node, requests (as set and non-zero), host ports and live controller uid.
type PodUsage = (String, crate::resources::Res, crate::resources::Res, Vec<u16>, Option<String>);

fn pod_usage(p: &k8s_openapi::api::core::v1::Pod) -> Option<PodUsage> {
    let spec = p.spec.as_ref()?;
    let node = spec.node_name.clone()?;
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return None;
    }
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
    Some((node, crate::resources::pod_requests(spec, false), crate::resources::pod_requests(spec, true), ports, owner))
}

/// How many change-log entries are kept for consumers that read history (the UI timeline).
pub const CHANGE_LOG_CAP: usize = 10_000;

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<Kind, BTreeMap<Key, Object>>,
    resource_version: u64,
    /// Changes not yet taken by the runtime (drained every step).
    pending: Vec<Change>,
    /// The most recent changes, oldest first, at most `CHANGE_LOG_CAP`.
    log: std::collections::VecDeque<Change>,
    /// Index: owner uid → objects with an ownerReference to it.
    dependents: BTreeMap<String, BTreeSet<ObjRef>>,
    /// Index: node name → pods bound to it.
    pods_by_node: BTreeMap<String, BTreeSet<Key>>,
    /// Index: node name → what its (non-terminal) pods use.
    usage: BTreeMap<String, NodeUsage>,
    /// Index: namespace → pods without a controller (candidates for adoption).
    orphans: BTreeMap<String, BTreeSet<String>>,
}

impl Store {
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        // BTreeMap lookups by a borrowed tuple need an owned key; the allocation is small.
        self.objects.get(&kind)?.get(&(namespace.to_string(), name.to_string()))
    }

    pub fn get_ref(&self, r: &ObjRef) -> Option<&Object> {
        self.objects.get(&r.kind)?.get(&(r.namespace.clone(), r.name.clone()))
    }

    /// All objects of `kind` in key order; in one namespace when `namespace` is `Some`.
    pub fn list<'a>(&'a self, kind: Kind, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.get(&kind).into_iter().flat_map(move |m| match namespace {
            Some(ns) => {
                let lo = (ns.to_string(), String::new());
                Box::new(m.range(lo..).take_while(move |((n, _), _)| n == ns).map(|(_, o)| o))
                    as Box<dyn Iterator<Item = &Object>>
            }
            None => Box::new(m.values()),
        })
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.objects.get(&kind).map_or(0, BTreeMap::len)
    }

    /// Every object, in kind then key order.
    pub fn all(&self) -> impl Iterator<Item = &Object> {
        self.objects.values().flat_map(BTreeMap::values)
    }

    /// Objects that name `uid` in their ownerReferences.
    pub fn dependents_of(&self, uid: &str) -> impl Iterator<Item = &ObjRef> {
        self.dependents.get(uid).into_iter().flatten()
    }

    /// What the non-terminal pods bound to `node` use.
    pub fn node_usage(&self, node: &str) -> Option<&NodeUsage> {
        self.usage.get(node)
    }

    /// Pods in `namespace` that no controller owns.
    pub fn orphan_pods<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Object> + 'a {
        let ns = namespace.to_string();
        self.orphans
            .get(namespace)
            .into_iter()
            .flatten()
            .filter_map(move |n| self.objects.get(&Kind::Pod).and_then(|m| m.get(&(ns.clone(), n.clone()))))
    }

    /// Pods bound to `node`.
    pub fn pods_on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.pods_by_node.get(node).into_iter().flatten().filter_map(move |k| self.objects.get(&Kind::Pod).and_then(|m| m.get(k)))
    }

    /// Inserts or replaces an object, stamping the next resourceVersion. Returns that version.
    pub fn put(&mut self, mut obj: Object) -> u64 {
        self.resource_version += 1;
        let rv = self.resource_version;
        obj.meta_mut().resource_version = Some(rv.to_string());
        let r = ObjRef::of(&obj);
        let old = self.objects.entry(r.kind).or_default().insert(r.key(), obj);
        if let Some(old) = &old {
            self.unindex(&r, old);
        }
        let new = self.objects.get(&r.kind).and_then(|m| m.get(&r.key())).cloned();
        if let Some(new) = &new {
            self.index(&r, new);
        }
        let change = if old.is_some() { ChangeType::Modified } else { ChangeType::Added };
        let uid = new.as_ref().and_then(|o| o.meta().uid.clone()).unwrap_or_default();
        let controller = new.as_ref().and_then(controller_of);
        self.record(Change { resource_version: rv, change, object: r, uid, controller });
        rv
    }

    /// Removes an object. Returns it, or `None` when absent.
    pub fn remove(&mut self, r: &ObjRef) -> Option<Object> {
        let old = self.objects.get_mut(&r.kind)?.remove(&r.key())?;
        self.unindex(r, &old);
        self.resource_version += 1;
        let rv = self.resource_version;
        let uid = old.meta().uid.clone().unwrap_or_default();
        let controller = controller_of(&old);
        self.record(Change { resource_version: rv, change: ChangeType::Deleted, object: r.clone(), uid, controller });
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
            if let Some((node, req, nz, ports, owner)) = pod_usage(p) {
                let u = self.usage.entry(node).or_default();
                u.requests = u.requests.plus(req);
                u.non_zero = u.non_zero.plus(nz);
                u.pods += 1;
                for port in ports {
                    *u.host_ports.entry(port).or_default() += 1;
                }
                if let Some(o) = owner {
                    *u.per_owner.entry(o).or_default() += 1;
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
                        if let Some(c) = u.per_owner.get_mut(&o) {
                            *c -= 1;
                            if *c == 0 {
                                u.per_owner.remove(&o);
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
