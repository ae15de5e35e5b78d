//! The garbage collector and the namespace controller: level-triggered reconcilers that
//! delete dependents whose owners are gone, finish foreground deletions, and empty then
//! remove namespaces being deleted.

use crate::api::Propagation;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};

/// GC for one object: delete it when every owner it names is gone; if it is an owner in
/// foreground deletion, finish once no blocking dependent remains.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj) = world.store().get_ref(r) else {
        return out;
    };
    let m = obj.meta();
    if let Some(refs) = m.owner_references.as_ref().filter(|v| !v.is_empty()) {
        let ns = r.namespace.as_str();
        let alive = refs.iter().any(|o| {
            let Some(kind) = Kind::from_api_version_kind(&o.api_version, &o.kind) else {
                return false;
            };
            let owner_ns = if kind.info().namespaced { ns } else { "" };
            world.store().get(kind, owner_ns, &o.name).is_some_and(|owner| owner.meta().uid.as_deref() == Some(o.uid.as_str()))
        });
        let owner_in_foreground = refs.iter().any(|o| {
            let Some(kind) = Kind::from_api_version_kind(&o.api_version, &o.kind) else {
                return false;
            };
            let owner_ns = if kind.info().namespaced { ns } else { "" };
            world.store().get(kind, owner_ns, &o.name).is_some_and(|owner| {
                owner.meta().deletion_timestamp.is_some()
                    && owner.meta().finalizers.iter().flatten().any(|f| f == "foregroundDeletion")
            })
        });
        if (!alive || owner_in_foreground) && m.deletion_timestamp.is_none() {
            let p = if owner_in_foreground { Propagation::Foreground } else { Propagation::Background };
            out.writes.push(Write::Delete(r.clone(), p));
        }
    }
    let in_foreground = m.deletion_timestamp.is_some() && m.finalizers.iter().flatten().any(|f| f == "foregroundDeletion");
    if in_foreground {
        let uid = m.uid.clone().unwrap_or_default();
        if world.store().dependents_of(&uid).next().is_none() {
            let mut done = obj.clone();
            if let Some(f) = done.meta_mut().finalizers.as_mut() {
                f.retain(|f| f != "foregroundDeletion");
            }
            out.writes.push(Write::Update(done));
        }
    }
    out
}

/// Namespace controller: a namespace with a deletionTimestamp has its contents deleted, and
/// is removed when empty.
pub fn reconcile_namespace(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::Namespace(ns)) = world.store().get_ref(r) else {
        return out;
    };
    if ns.metadata.deletion_timestamp.is_none() {
        // A live namespace gets its default ServiceAccount and the root CA ConfigMap.
        out.writes.extend(crate::boot::namespace_defaults(world, &r.name));
        return out;
    }
    let name = r.name.as_str();
    let mut remaining = 0u32;
    for kind in Kind::ALL.iter().copied().filter(|k| k.info().namespaced) {
        for o in world.store().list(kind, Some(name)) {
            remaining += 1;
            if o.meta().deletion_timestamp.is_none() {
                out.writes.push(Write::Delete(ObjRef::of(o), Propagation::Background));
            }
        }
    }
    if remaining == 0 {
        out.writes.push(Write::Remove(r.clone()));
    } else {
        // Contents with grace periods go later; look again.
        out.requeue_after_ms = Some(1000);
    }
    out
}
