//! Property tests of the Deployment controller's rolling update, over random replicas,
//! maxSurge, maxUnavailable and readiness delays. At every event of the rollout:
//! - the ReplicaSets never want more than replicas + maxSurge pods;
//! - once the old pods were ready, ready pods (not terminating) never fall below
//!   replicas - maxUnavailable.
//!
//! And the rollout ends with every pod on the new template: the new ReplicaSet at full
//! scale, the old one at 0.

use kubeplay_sim::topology::Topology;
use kubeplay_sim::{Kind, ObjRef, Object, World};
use proptest::prelude::*;

fn deployment(replicas: i32, surge: i32, unavailable: i32, ready_delay: i32, image: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{
                    "name": "web", "image": image, "ports": [{"containerPort": 80}],
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": ready_delay, "periodSeconds": 2}
                }]}
            }
        }
    })
}

fn rs_replicas_sum(w: &World) -> i32 {
    w.store()
        .list(Kind::ReplicaSet, Some("default"))
        .filter_map(|o| match o {
            Object::ReplicaSet(rs) => rs.spec.as_ref().and_then(|s| s.replicas),
            _ => None,
        })
        .sum()
}

/// Ready pods that are not being deleted, and how many of them run `image`.
fn ready_pods(w: &World, image: &str) -> (i32, i32) {
    let mut ready = 0;
    let mut new = 0;
    for o in w.store().list(Kind::Pod, Some("default")) {
        let Object::Pod(p) = o else { continue };
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let is_ready = p
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if is_ready {
            ready += 1;
            let img = p.spec.as_ref().and_then(|s| s.containers.first()).and_then(|c| c.image.clone()).unwrap_or_default();
            if img == image {
                new += 1;
            }
        }
    }
    (ready, new)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn rolling_updates_keep_surge_and_availability_bounds(
        replicas in 1i32..7,
        surge in 0i32..4,
        unavailable in 0i32..4,
        ready_delay in 0i32..8,
        nodes in 1u32..4,
        seed in 0u64..1000,
    ) {
        prop_assume!(surge + unavailable > 0);
        let mut w = World::with_topology(seed, &Topology::of_size(nodes));
        w.apply(&deployment(replicas, surge, unavailable, ready_delay, "nginx:1.25")).expect("valid deployment");
        w.run_until_settled(1_000_000);
        let (ready, _) = ready_pods(&w, "nginx:1.25");
        prop_assert_eq!(ready, replicas, "all pods ready before the update");
        let r = ObjRef::new(Kind::Deployment, "default", "web");
        let patch = serde_json::json!({"spec": {"template": {"spec": {"containers": [{
            "name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
            "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": ready_delay, "periodSeconds": 2}
        }]}}}});
        w.merge_patch(&r, &patch).expect("patch");
        let mut steps = 0;
        while w.next_deadline().is_some() && steps < 20_000 {
            w.step();
            steps += 1;
            let total = rs_replicas_sum(&w);
            prop_assert!(total <= replicas + surge, "ReplicaSets want {total} pods, more than {replicas} + {surge}");
            let (ready, _) = ready_pods(&w, "nginx:1.27");
            prop_assert!(ready >= replicas - unavailable, "only {ready} ready pods, fewer than {replicas} - {unavailable}");
            let (_, new) = ready_pods(&w, "nginx:1.27");
            if new == replicas && total == replicas {
                break;
            }
        }
        w.run_until_settled(1_000_000);
        let (ready, new) = ready_pods(&w, "nginx:1.27");
        prop_assert_eq!((ready, new), (replicas, replicas), "the rollout finishes on the new template");
        // Exactly the new ReplicaSet at full scale, every old one at 0.
        let mut scales: Vec<(String, i32)> = w
            .store()
            .list(Kind::ReplicaSet, Some("default"))
            .filter_map(|o| match o {
                Object::ReplicaSet(rs) => {
                    let image = rs.spec.as_ref()?.template.as_ref()?.spec.as_ref()?.containers.first()?.image.clone()?;
                    Some((image, rs.spec.as_ref()?.replicas.unwrap_or(0)))
                }
                _ => None,
            })
            .collect();
        scales.sort();
        prop_assert_eq!(scales, vec![("nginx:1.25".to_string(), 0), ("nginx:1.27".to_string(), replicas)]);
    }
}
