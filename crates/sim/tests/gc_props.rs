//! Property test of garbage collection: over random workloads (Deployment, ReplicaSet,
//! Job, StatefulSet, DaemonSet), replica counts, node counts, seeds and the moment of
//! deletion, deleting the owner with background propagation leaves no dependents: no pod,
//! ReplicaSet or ControllerRevision whose owner is gone, and no pod of the workload at all.

use kubeplay_sim::topology::Topology;
use kubeplay_sim::{DeleteOptions, Propagation};
use kubeplay_sim::{Kind, ObjRef, World};
use proptest::prelude::*;
use std::collections::BTreeSet;

const KINDS: [(&str, &str, Kind); 5] = [
    ("apps/v1", "Deployment", Kind::Deployment),
    ("apps/v1", "ReplicaSet", Kind::ReplicaSet),
    ("batch/v1", "Job", Kind::Job),
    ("apps/v1", "StatefulSet", Kind::StatefulSet),
    ("apps/v1", "DaemonSet", Kind::DaemonSet),
];

fn workload(api_version: &str, kind: &str, replicas: i32) -> serde_json::Value {
    let template = serde_json::json!({
        "metadata": {"labels": {"app": "gc"}},
        "spec": {
            "restartPolicy": if kind == "Job" { "Never" } else { "Always" },
            "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}]
        }
    });
    let mut spec = serde_json::json!({"selector": {"matchLabels": {"app": "gc"}}, "template": template});
    match kind {
        "Job" => {
            spec = serde_json::json!({"parallelism": replicas, "completions": replicas, "template": template});
        }
        "DaemonSet" => {}
        "StatefulSet" => {
            spec["replicas"] = replicas.into();
            spec["serviceName"] = "gc".into();
        }
        _ => spec["replicas"] = replicas.into(),
    }
    serde_json::json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": "gc"}, "spec": spec})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn background_deletion_leaves_no_orphans(
        which in 0usize..5,
        replicas in 1i32..6,
        nodes in 1u32..4,
        run_ms in 0u64..20_000,
        seed in 0u64..1000,
    ) {
        let (api_version, kind, k) = KINDS[which];
        let mut w = World::with_topology(seed, &Topology::of_size(nodes));
        w.apply(&workload(api_version, kind, replicas)).expect("valid workload");
        // Delete at a random moment: before, during or after the pods start.
        w.run_for(run_ms, 1_000_000);
        let pods_of = |w: &World| {
            w.store()
                .list(Kind::Pod, Some("default"))
                .filter(|o| o.meta().labels.as_ref().and_then(|l| l.get("app")).map(String::as_str) == Some("gc"))
                .filter_map(|o| o.meta().name.clone())
                .collect::<Vec<String>>()
        };
        if run_ms >= 10_000 {
            // Not vacuous: by then the workload has pods to clean up.
            prop_assert!(!pods_of(&w).is_empty(), "the {kind} made no pods in {run_ms} ms");
        }
        w.delete(&ObjRef::new(k, "default", "gc"), DeleteOptions { propagation: Propagation::Background, grace_period_seconds: None })
            .expect("delete");
        w.run_for(120_000, 1_000_000);
        w.run_until_settled(1_000_000);
        let uids: BTreeSet<String> =
            w.store().all().filter_map(|o| o.meta().uid.clone()).collect();
        for dependent in [Kind::Pod, Kind::ReplicaSet, Kind::ControllerRevision] {
            for o in w.store().list(dependent, Some("default")) {
                let m = o.meta();
                for owner in m.owner_references.iter().flatten() {
                    prop_assert!(uids.contains(&owner.uid), "{:?} {:?} outlived its owner {}/{}", dependent, m.name, owner.kind, owner.name);
                }
            }
        }
        let left = pods_of(&w);
        prop_assert!(left.is_empty(), "pods of the deleted {kind} remain: {left:?}");
    }
}
