//! The benchmark workload, shared by the native bench (`kubeplay bench`) and the page's bench
//! mode (`?bench=NODES,PODS`), which time it at their edges: N pods through Deployments of
//! 100 replicas on a cluster of one server and NODES-1 agents, run until every pod runs. The boot (nodes, k3s's system pods) is timed apart from the workload.

use crate::topology::Topology;
use crate::world::{Settled, World};

fn deployment(name: &str, replicas: u32) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "hashicorp/http-echo:1.0", "args": ["-text=hi"],
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}
        }
    })
}

/// A booted, settled cluster of one server and `nodes`-1 agents (k3s's system pods
/// included: a svclb pod on every node), with no workload yet.
pub fn cluster(nodes: u32) -> World {
    World::with_limits(1, &Topology::new(1, nodes.saturating_sub(1)), crate::limits::Limits::unbounded())
}

/// Applies Deployments of 100 replicas for `pods` pods (the last one smaller).
pub fn apply_workload(world: &mut World, pods: u32) {
    let mut left = pods;
    let mut i = 0;
    while left > 0 {
        let n = left.min(100);
        // The manifests are valid by construction.
        let _ = world.apply(&deployment(&format!("app-{i}"), n));
        left -= n;
        i += 1;
    }
}

/// Runs until settled (bounded), returning the events processed.
pub fn run_to_completion(world: &mut World) -> u64 {
    let mut events = 0u64;
    loop {
        match world.run_until_settled(5_000_000) {
            Settled::Settled { events: e } => return events + e,
            Settled::Bounded { events: e } => events += e,
        }
        if events > 200_000_000 {
            return events;
        }
    }
}

/// How many pods are Running.
pub fn running(world: &World) -> usize {
    world
        .store()
        .list(crate::kinds::Kind::Pod, None)
        .filter(|o| matches!(o, crate::kinds::Object::Pod(p) if p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")))
        .count()
}
