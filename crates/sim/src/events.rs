//! Recording core/v1 Events the way client-go's event recorder does: one Event object per
//! (object, reason, message, source), with `count` and `lastTimestamp` bumped on repeats.

use crate::kinds::{Kind, Object};
use crate::world::World;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Normal or Warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

/// What an Event keeps of the object it is about.
pub(crate) struct Involved {
    kind: Kind,
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    resource_version: Option<String>,
    /// The part of the object the event is about: a pod's container
    /// (`spec.containers{nginx}`), as the kubelet's container events say.
    field_path: Option<String>,
    /// The node of a pod the kubelet reports about (the event's `source.host`).
    host: Option<String>,
}

impl Involved {
    pub(crate) fn of(o: &Object) -> Involved {
        let m = o.meta();
        Involved {
            kind: o.kind(),
            name: m.name.clone(),
            namespace: m.namespace.clone(),
            uid: m.uid.clone(),
            resource_version: m.resource_version.clone(),
            field_path: None,
            host: match o {
                Object::Pod(p) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
                _ => None,
            },
        }
    }

    /// The same object, narrowed to a part of it (`spec.containers{nginx}`).
    pub(crate) fn at(mut self, field_path: Option<String>) -> Involved {
        self.field_path = field_path;
        self
    }
}

/// The field path of a pod's container, as the kubelet's object reference names it
/// (`spec.containers{nginx}`, `spec.initContainers{init}`, `spec.ephemeralContainers{debug}`).
pub fn container_field_path(pod: &core::Pod, container: &str) -> String {
    let spec = pod.spec.as_ref();
    let list = if spec.and_then(|s| s.init_containers.as_ref()).is_some_and(|v| v.iter().any(|c| c.name == container)) {
        "initContainers"
    } else if spec.and_then(|s| s.ephemeral_containers.as_ref()).is_some_and(|v| v.iter().any(|c| c.name == container)) {
        "ephemeralContainers"
    } else {
        "containers"
    };
    format!("spec.{list}{{{container}}}")
}

impl World {
    /// Records an event about `about` from `component` (e.g. `default-scheduler`).
    pub fn record_event(&mut self, about: &Object, ty: EventType, reason: &str, message: &str, component: &str) {
        self.record_event_for(Involved::of(about), ty, reason, message, component);
    }

    /// How many times an event was recorded: the `count` of the Event object for (namespace,
    /// involved uid, reason, message, component), 0 if there is none.
    pub fn event_count(&self, ns: &str, uid: &str, reason: &str, message: &str, component: &str) -> u32 {
        self.recorded_event(ns, Some(uid), None, reason, message, component)
            .map_or(0, |e| u32::try_from(e.count.unwrap_or(1)).unwrap_or(0))
    }

    /// The Event already recorded for (namespace, involved uid, reason, message, component),
    /// found through an index by a hash of those, so recording stays cheap in big clusters;
    /// a bucket's events are compared field by field.
    fn recorded_event(
        &self,
        ns: &str,
        uid: Option<&str>,
        field_path: Option<&str>,
        reason: &str,
        message: &str,
        component: &str,
    ) -> Option<&core::Event> {
        let key = event_key(ns, uid.unwrap_or(""), field_path.unwrap_or(""), reason, message, component);
        self.event_index.get(&key).into_iter().flatten().find_map(|name| match self.store().get(Kind::Event, ns, name) {
            Some(Object::Event(e))
                if e.involved_object.uid.as_deref() == uid
                    && e.involved_object.field_path.as_deref() == field_path
                    && e.reason.as_deref() == Some(reason)
                    && e.message.as_deref() == Some(message)
                    && e.source.as_ref().and_then(|s| s.component.as_deref()) == Some(component) =>
            {
                Some(&**e)
            }
            _ => None,
        })
    }

    /// Records an event about the object `about` describes (what an Event keeps of it).
    pub(crate) fn record_event_for(&mut self, about: Involved, ty: EventType, reason: &str, message: &str, component: &str) {
        let ns = about.namespace.clone().unwrap_or_else(|| "default".into());
        let uid = about.uid.clone();
        let now = self.now_time();
        // Repeats of the same event update the existing object.
        let field_path = about.field_path.clone();
        let host = if component == "kubelet" { about.host.clone() } else { None };
        let key = event_key(&ns, uid.as_deref().unwrap_or(""), field_path.as_deref().unwrap_or(""), reason, message, component);
        let existing = self.recorded_event(&ns, uid.as_deref(), field_path.as_deref(), reason, message, component).cloned();
        if let Some(mut e) = existing {
            e.count = Some(e.count.unwrap_or(1) + 1);
            e.last_timestamp = Some(now);
            self.store.put(Object::Event(Box::new(e)));
            self.drain_changes();
            return;
        }
        self.event_seq += 1;
        let name = format!(
            "{}.{:x}",
            about.name.as_deref().unwrap_or_default(),
            (crate::world::EPOCH_UNIX_MS as u64 + self.now_ms()) * 1_000_000 + self.event_seq
        );
        let info = about.kind.info();
        let e = core::Event {
            metadata: ObjectMeta {
                name: Some(name),
                namespace: Some(ns.clone()),
                uid: Some(self.rng.uuid()),
                creation_timestamp: Some(now.clone()),
                ..Default::default()
            },
            involved_object: core::ObjectReference {
                api_version: Some(info.api_version()),
                kind: Some(info.kind.to_string()),
                name: about.name,
                namespace: if info.namespaced { about.namespace } else { None },
                uid,
                resource_version: about.resource_version,
                field_path,
            },
            reason: Some(reason.into()),
            message: Some(message.into()),
            // The kubelet's recorder names its node as the source host and instance.
            source: Some(core::EventSource { component: Some(component.into()), host: host.clone() }),
            first_timestamp: Some(now.clone()),
            last_timestamp: Some(now),
            count: Some(1),
            type_: Some(match ty {
                EventType::Normal => "Normal".into(),
                EventType::Warning => "Warning".into(),
            }),
            reporting_component: Some(component.into()),
            reporting_instance: Some(host.unwrap_or_default()),
            ..Default::default()
        };
        self.event_index.entry(key).or_default().push(e.metadata.name.clone().unwrap_or_default());
        self.store.put(Object::from(e));
        self.drain_changes();
    }
}

/// The event index's key: an FNV-1a hash of the fields that make two events the same, with a
/// separator after each (fixed, so the index is the same on every platform).
fn event_key(ns: &str, uid: &str, field_path: &str, reason: &str, message: &str, component: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [ns, uid, field_path, reason, message, component] {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
