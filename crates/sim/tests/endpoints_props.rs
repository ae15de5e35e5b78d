//! Property test of the EndpointSlice controller: once the cluster settles, a Service's
//! endpoints are exactly the pods its selector matches that have an IP, each marked ready
//! exactly when the pod is Ready, whatever pods were created, relabelled or deleted.

use kubeplay_sim::topology::Topology;
use kubeplay_sim::{DeleteOptions, Kind, ObjRef, Object, World};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
struct PodIn {
    app: u8,
    tier: u8,
    /// Has a readiness probe; `ready` says whether the probe's file is there.
    probe: bool,
    ready: bool,
    /// After creation: 0 nothing, 1 relabel to another app, 2 delete.
    later: u8,
}

fn pod_strategy() -> impl Strategy<Value = PodIn> {
    (0u8..3, 0u8..2, any::<bool>(), any::<bool>(), prop::sample::select(vec![0u8, 0, 1, 2]))
        .prop_map(|(app, tier, probe, ready, later)| PodIn { app, tier, probe, ready, later })
}

fn pod_manifest(i: usize, p: &PodIn) -> serde_json::Value {
    let script = if p.ready { "touch /tmp/ready; sleep 3600" } else { "sleep 3600" };
    let mut c = serde_json::json!({"name": "c", "image": "busybox:1.37", "command": ["sh", "-c", script],
        "ports": [{"containerPort": 8080, "name": "http"}]});
    if p.probe {
        c["readinessProbe"] = serde_json::json!({"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 5});
    }
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("p{i}"), "labels": {"app": format!("a{}", p.app), "tier": format!("t{}", p.tier)}},
        "spec": {"containers": [c]}})
}

fn service_manifest(i: usize, app: u8, tier: Option<u8>) -> serde_json::Value {
    let mut selector = serde_json::json!({"app": format!("a{app}")});
    if let Some(t) = tier {
        selector["tier"] = serde_json::json!(format!("t{t}"));
    }
    serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("s{i}")},
        "spec": {"selector": selector, "ports": [{"port": 80, "targetPort": "http"}]}})
}

fn labels_match(p: &k8s_openapi::api::core::v1::Pod, app: u8, tier: Option<u8>) -> bool {
    let l = p.metadata.labels.clone().unwrap_or_default();
    l.get("app").map(String::as_str) == Some(format!("a{app}").as_str())
        && tier.is_none_or(|t| l.get("tier").map(String::as_str) == Some(format!("t{t}").as_str()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn endpoints_are_the_matching_pods_with_their_readiness(
        pods in prop::collection::vec(pod_strategy(), 1..10),
        services in prop::collection::vec((0u8..3, prop::option::of(0u8..2)), 1..4),
        seed in 0u64..1000,
    ) {
        let mut w = World::with_topology(seed, &Topology::of_size(2));
        for (i, (app, tier)) in services.iter().enumerate() {
            w.apply(&service_manifest(i, *app, *tier)).expect("valid service");
        }
        for (i, p) in pods.iter().enumerate() {
            w.apply(&pod_manifest(i, p)).expect("valid pod");
        }
        w.run_for(20_000, 1_000_000);
        for (i, p) in pods.iter().enumerate() {
            let r = ObjRef::new(Kind::Pod, "default", &format!("p{i}"));
            match p.later {
                1 => {
                    let patch = serde_json::json!({"metadata": {"labels": {"app": format!("a{}", (p.app + 1) % 3)}}});
                    w.merge_patch(&r, &patch).expect("relabel");
                }
                2 => {
                    w.delete(&r, DeleteOptions::default()).expect("delete");
                }
                _ => {}
            }
        }
        w.run_until_settled(1_000_000);
        for (i, (app, tier)) in services.iter().enumerate() {
            let svc = format!("s{i}");
            // What the slices say: (ip, ready).
            let mut got: BTreeSet<(String, bool)> = BTreeSet::new();
            for o in w.store().list(Kind::EndpointSlice, Some("default")) {
                let Object::EndpointSlice(s) = o else { continue };
                if s.metadata.labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")) != Some(&svc) {
                    continue;
                }
                for e in &s.endpoints {
                    let ready = e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(false);
                    for a in &e.addresses {
                        got.insert((a.clone(), ready));
                    }
                }
            }
            // What the pods say.
            let mut want: BTreeSet<(String, bool)> = BTreeSet::new();
            for o in w.store().list(Kind::Pod, Some("default")) {
                let Object::Pod(p) = o else { continue };
                let Some(ip) = p.status.as_ref().and_then(|s| s.pod_ip.clone()) else { continue };
                if !labels_match(p, *app, *tier) {
                    continue;
                }
                let ready = p.status.as_ref().and_then(|s| s.conditions.as_ref()).into_iter().flatten()
                    .any(|c| c.type_ == "Ready" && c.status == "True");
                want.insert((ip, ready));
            }
            prop_assert_eq!(got, want, "service {}", svc);
        }
    }
}
