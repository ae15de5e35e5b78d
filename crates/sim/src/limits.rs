//! The simulation's own limits, so that no input can hang the page: how many objects the
//! cluster holds and how many replicas one object asks for. Real clusters have neither
//! limit (they have nodes and etcd instead); kubeplay says so in its errors, worded as the
//! API server words the nearest real refusal:
//! - replicas beyond the limit are a field error (`spec.replicas: Invalid value: ...`);
//! - objects beyond the limit are refused as an exceeded quota named
//!   `kubeplay-simulation-limit`, so controllers report `FailedCreate` as they would for a
//!   ResourceQuota.
//!
//! Events are not counted: the API server expires them (`--event-ttl`, 1 h), and so does
//! the simulation (`events.rs`).
//!
//! The request-size limit of the real API server (3 MiB bodies) is kubectl's to meet, as
//! it is the client that sends the body (`kubeplay_kubectl`).

use crate::errors::{ApiError, FieldError};
use crate::kinds::{Kind, Object};

/// What the simulation accepts. The page and the CLI use the defaults; benchmarks that
/// build 100k-pod clusters lift them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Objects in the cluster, Events aside.
    pub max_objects: u64,
    /// `spec.replicas` of Deployments, ReplicaSets, StatefulSets and ReplicationControllers;
    /// `spec.parallelism` and `spec.completions` of Jobs.
    pub max_replicas: i32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_objects: 10_000, max_replicas: 5_000 }
    }
}

impl Limits {
    /// No limits (benchmarks).
    pub fn unbounded() -> Limits {
        Limits { max_objects: u64::MAX, max_replicas: i32::MAX }
    }
}

/// The name the object-count refusal gives, as a ResourceQuota's name would be.
pub const LIMIT_NAME: &str = "kubeplay-simulation-limit";

/// Field errors for replica counts over the limit.
pub fn check_replicas(limits: &Limits, obj: &Object) -> Vec<FieldError> {
    let max = limits.max_replicas;
    let mut fields: Vec<(&str, Option<i32>)> = Vec::new();
    match obj {
        Object::Deployment(d) => fields.push(("spec.replicas", d.spec.as_ref().and_then(|s| s.replicas))),
        Object::ReplicaSet(r) => fields.push(("spec.replicas", r.spec.as_ref().and_then(|s| s.replicas))),
        Object::ReplicationController(r) => fields.push(("spec.replicas", r.spec.as_ref().and_then(|s| s.replicas))),
        Object::StatefulSet(s) => fields.push(("spec.replicas", s.spec.as_ref().and_then(|s| s.replicas))),
        Object::Job(j) => {
            let spec = j.spec.as_ref();
            fields.push(("spec.parallelism", spec.and_then(|s| s.parallelism)));
            fields.push(("spec.completions", spec.and_then(|s| s.completions)));
        }
        _ => {}
    }
    fields
        .into_iter()
        .filter_map(|(f, v)| v.filter(|n| *n > max).map(|n| (f, n)))
        .map(|(f, n)| {
            FieldError::invalid(
                f,
                &serde_json::json!(n),
                &format!(
                    "must be less than or equal to {max} (kubeplay simulates at most {max}; a real cluster has no such limit)"
                ),
            )
        })
        .collect()
}

/// Refuses a new object when the cluster already holds the most the simulation keeps.
pub fn check_count(limits: &Limits, held: u64, kind: Kind, name: &str) -> Result<(), ApiError> {
    if kind == Kind::Event || held < limits.max_objects {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "{} {name:?} is forbidden: exceeded quota: {LIMIT_NAME}, requested: count/objects=1, used: count/objects={held}, limited: count/objects={} (kubeplay keeps at most {} objects besides Events)",
        kind.info().resource_group(),
        limits.max_objects,
        limits.max_objects,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::Topology;
    use crate::world::World;

    fn deployment(replicas: i64) -> serde_json::Value {
        serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
            }
        })
    }

    #[test]
    fn too_many_replicas_is_a_field_error_and_changes_nothing() {
        let mut w = World::new(1);
        let before = w.state_hash();
        let err = w.apply(&deployment(5_001)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: 5001: must be less than or equal to 5000 (kubeplay simulates at most 5000; a real cluster has no such limit)"
        );
        assert_eq!(before, w.state_hash());
        w.apply(&deployment(2)).expect("within the limit");
        assert!(w.apply(&deployment(6_000)).is_err(), "an update is held to it too");
    }

    #[test]
    fn a_full_cluster_refuses_new_objects_as_a_quota_would_and_controllers_say_so() {
        let probe = World::new(1);
        let held = probe.store().held();
        let limits = Limits { max_objects: held + 4, ..Limits::default() };
        let mut w = World::with_limits(1, &Topology::default(), limits);
        assert_eq!(w.store().held(), held, "boot fits");
        // Deployment + ReplicaSet + 2 pods fill it; the other 3 pods are refused.
        w.apply(&deployment(5)).expect("the Deployment fits");
        w.run_until_settled(100_000);
        assert_eq!(w.store().held(), held + 4);
        let pods = w.store().list(Kind::Pod, Some("default")).count();
        assert_eq!(pods, 2);
        let failed: Vec<String> = w
            .store()
            .list(Kind::Event, Some("default"))
            .filter_map(|e| match e {
                Object::Event(e) if e.reason.as_deref() == Some("FailedCreate") => e.message.clone(),
                _ => None,
            })
            .collect();
        assert!(
            failed
                .iter()
                .any(|m| m.starts_with("Error creating: pods \"web-") && m.contains("exceeded quota: kubeplay-simulation-limit")),
            "{failed:?}"
        );
        // Deleting makes room again.
        let err = w.apply(&serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})).unwrap_err();
        assert!(err.to_string().starts_with("configmaps \"c\" is forbidden: exceeded quota: kubeplay-simulation-limit"), "{err}");
    }
}
