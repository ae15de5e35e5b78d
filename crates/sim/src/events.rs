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

impl World {
    /// Records an event about `about` from `component` (e.g. `default-scheduler`).
    pub fn record_event(&mut self, about: &Object, ty: EventType, reason: &str, message: &str, component: &str) {
        let m = about.meta();
        let ns = m.namespace.clone().unwrap_or_else(|| "default".into());
        let uid = m.uid.clone();
        let now = self.now_time();
        // Repeats of the same event update the existing object (found through an index, so
        // recording stays cheap in big clusters).
        let key = (ns.clone(), uid.clone().unwrap_or_default(), reason.to_string(), message.to_string(), component.to_string());
        let existing = self.event_index.get(&key).and_then(|name| match self.store().get(Kind::Event, &ns, name) {
            Some(Object::Event(e)) => Some(e.clone()),
            _ => None,
        });
        if let Some(mut e) = existing {
            e.count = Some(e.count.unwrap_or(1) + 1);
            e.last_timestamp = Some(now);
            self.store.put(Object::Event(e));
            self.drain_changes();
            return;
        }
        self.event_seq += 1;
        let name = format!(
            "{}.{:x}",
            m.name.clone().unwrap_or_default(),
            (crate::world::EPOCH_UNIX_MS as u64 + self.now_ms()) * 1_000_000 + self.event_seq
        );
        let info = about.kind().info();
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
                name: m.name.clone(),
                namespace: if info.namespaced { m.namespace.clone() } else { None },
                uid,
                resource_version: m.resource_version.clone(),
                field_path: None,
            },
            reason: Some(reason.into()),
            message: Some(message.into()),
            source: Some(core::EventSource { component: Some(component.into()), host: None }),
            first_timestamp: Some(now.clone()),
            last_timestamp: Some(now),
            count: Some(1),
            type_: Some(match ty {
                EventType::Normal => "Normal".into(),
                EventType::Warning => "Warning".into(),
            }),
            reporting_component: Some(component.into()),
            reporting_instance: Some(String::new()),
            ..Default::default()
        };
        self.event_index.insert(key, e.metadata.name.clone().unwrap_or_default());
        self.store.put(Object::from(e));
        self.drain_changes();
    }
}
