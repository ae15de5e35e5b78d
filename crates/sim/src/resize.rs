//! In-place pod resize (InPlacePodVerticalScaling, GA and locked on in 1.35): what the
//! kubelet's allocation manager decides when a pod's container resources change
//! (`pkg/kubelet/allocation/allocation_manager.go`), and the texts it reports
//! (`pkg/kubelet/events/resize.go`). The API side is `World::resize_pod` and
//! `validate::pod_resize`; the kubelet glue is in `kubelet.rs`.

use crate::resources::{Res, ResourceList};
use k8s_openapi::api::core::v1 as core;

/// The resources the kubelet has allocated to one container: the requests it checkpointed
/// (`allocatedResources`) and the limits it set on the running container.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Allocated {
    pub requests: Option<ResourceList>,
    pub limits: Option<ResourceList>,
}

impl Allocated {
    /// What a container is allocated when the kubelet admits it: its spec.
    pub fn of(c: &core::Container) -> Allocated {
        let r = c.resources.as_ref();
        Allocated {
            requests: r.and_then(|r| r.requests.clone()).filter(|m| !m.is_empty()),
            limits: r.and_then(|r| r.limits.clone()).filter(|m| !m.is_empty()),
        }
    }

    /// What the last status says was allocated to a created container: requests from
    /// `allocatedResources`, limits from `resources`. A container the kubelet has not
    /// created yet (no `resources` in its status) gets its spec when it is created.
    pub fn from_status(c: &core::Container, cs: Option<&core::ContainerStatus>) -> Allocated {
        match cs {
            Some(cs) if cs.resources.is_some() => Allocated {
                requests: cs.allocated_resources.clone().filter(|m| !m.is_empty()),
                limits: cs.resources.as_ref().and_then(|r| r.limits.clone()).filter(|m| !m.is_empty()),
            },
            _ => Allocated::of(c),
        }
    }

    /// The container status's `allocatedResources`.
    pub fn allocated_resources(&self) -> Option<ResourceList> {
        self.requests.clone()
    }

    /// The container status's `resources`: what was allocated (for a running container,
    /// what the runtime reports back, which is the same here). `{}` when none is set.
    pub fn requirements(&self) -> core::ResourceRequirements {
        core::ResourceRequirements { limits: self.limits.clone(), requests: self.requests.clone(), claims: None }
    }
}

/// What the kubelet has allocated to a pod's containers, summed as the admission handler
/// counts a pod (containers added, init containers maxed): a pod that other pods' resizes
/// must fit beside.
pub fn allocated_requests(pod: &core::Pod) -> Res {
    let Some(spec) = pod.spec.as_ref() else { return Res::default() };
    let status = pod.status.as_ref();
    let of = |c: &core::Container, list: Option<&Vec<core::ContainerStatus>>| {
        let a = Allocated::from_status(c, list.into_iter().flatten().find(|s| s.name == c.name));
        let r = a.requests.as_ref();
        Res { cpu_m: amount(r, "cpu").map_or(0, |v| v as i64), mem: amount(r, "memory").map_or(0, |v| (v / 1000) as i64) }
    };
    let sum =
        spec.containers.iter().fold(Res::default(), |acc, c| acc.plus(of(c, status.and_then(|s| s.container_statuses.as_ref()))));
    spec.init_containers.iter().flatten().fold(sum, |acc, c| {
        let r = of(c, status.and_then(|s| s.init_container_statuses.as_ref()));
        Res { cpu_m: acc.cpu_m.max(r.cpu_m), mem: acc.mem.max(r.mem) }
    })
}

fn amount(list: Option<&ResourceList>, name: &str) -> Option<i128> {
    list.and_then(|m| m.get(name)).and_then(|q| crate::quantity::parse(&q.0))
}

/// Which of a container's cpu and memory values a resize changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub cpu_request: bool,
    pub cpu_limit: bool,
    pub memory_request: bool,
    pub memory_limit: bool,
}

impl Change {
    pub fn between(desired: &Allocated, allocated: &Allocated) -> Change {
        let differs =
            |a: &Option<ResourceList>, b: &Option<ResourceList>, name: &str| amount(a.as_ref(), name) != amount(b.as_ref(), name);
        Change {
            cpu_request: differs(&desired.requests, &allocated.requests, "cpu"),
            cpu_limit: differs(&desired.limits, &allocated.limits, "cpu"),
            memory_request: differs(&desired.requests, &allocated.requests, "memory"),
            memory_limit: differs(&desired.limits, &allocated.limits, "memory"),
        }
    }

    pub fn any(self) -> bool {
        self.cpu_request || self.cpu_limit || self.memory_request || self.memory_limit
    }

    /// `computePodResizeAction`: the container is restarted when a changed cpu value or
    /// memory limit has the `RestartContainer` policy (a memory request alone is not
    /// enforced by the runtime, so it never restarts).
    pub fn needs_restart(self, c: &core::Container) -> bool {
        let policy = |name: &str| {
            c.resize_policy
                .iter()
                .flatten()
                .find(|p| p.resource_name == name)
                .is_some_and(|p| p.restart_policy == "RestartContainer")
        };
        ((self.cpu_request || self.cpu_limit) && policy("cpu")) || (self.memory_limit && policy("memory"))
    }
}

/// `canResizePod`: a pod whose desired requests exceed the node's allocatable can never be
/// resized there (Infeasible, memory named first); one that would not fit beside the node's
/// other pods waits (Deferred, with the admission handler's text, cpu checked first).
pub fn judge(desired: Res, others: Res, allocatable: Res) -> Option<(&'static str, String)> {
    if desired.mem > allocatable.mem {
        return Some((
            "Infeasible",
            format!("Node didn't have enough capacity: memory, requested: {}, capacity: {}", desired.mem, allocatable.mem),
        ));
    }
    if desired.cpu_m > allocatable.cpu_m {
        return Some((
            "Infeasible",
            format!("Node didn't have enough capacity: cpu, requested: {}, capacity: {}", desired.cpu_m, allocatable.cpu_m),
        ));
    }
    let short = |name: &str, want: i64, used: i64, cap: i64| {
        (want > 0 && want > cap - used).then(|| {
            ("Deferred", format!("Node didn't have enough resource: {name}, requested: {want}, used: {used}, capacity: {cap}"))
        })
    };
    short("cpu", desired.cpu_m, others.cpu_m, allocatable.cpu_m)
        .or_else(|| short("memory", desired.mem, others.mem, allocatable.mem))
}

/// The message of the kubelet's resize events: a prefix, then the pod's container resources
/// as JSON (`{"initContainers":[...],"containers":[...],"generation":N,"error":"..."}`, the
/// keys Go's encoder writes, empty lists and errors left out).
pub fn event_message(prefix: &str, spec: &core::PodSpec, generation: i64, error: Option<&str>) -> String {
    let summary = |list: &[core::Container]| {
        list.iter()
            .map(|c| {
                let r = c.resources.clone().unwrap_or_default();
                let mut res = serde_json::Map::new();
                for (key, m) in [("limits", r.limits), ("requests", r.requests)] {
                    if let Some(m) = m.filter(|m| !m.is_empty()) {
                        let m: serde_json::Map<String, serde_json::Value> =
                            m.into_iter().map(|(k, v)| (k, serde_json::Value::String(v.0))).collect();
                        res.insert(key.into(), serde_json::Value::Object(m));
                    }
                }
                serde_json::json!({"name": c.name, "resources": res})
            })
            .collect::<Vec<_>>()
    };
    let mut body = serde_json::Map::new();
    let inits = summary(spec.init_containers.as_deref().unwrap_or(&[]));
    if !inits.is_empty() {
        body.insert("initContainers".into(), inits.into());
    }
    let containers = summary(&spec.containers);
    if !containers.is_empty() {
        body.insert("containers".into(), containers.into());
    }
    body.insert("generation".into(), generation.into());
    if let Some(e) = error {
        body.insert("error".into(), e.into());
    }
    format!("{prefix}: {}", serde_json::Value::Object(body))
}

/// A resize the kubelet holds back (the `PodResizePending` condition).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// `Infeasible` or `Deferred`.
    pub reason: String,
    pub message: String,
    /// The pod generation it was judged at.
    pub generation: i64,
    /// When the condition was set (its transition time).
    pub since: u64,
    /// When the kubelet last judged it (its probe time).
    pub probed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(v: serde_json::Value) -> core::Container {
        serde_json::from_value(v).expect("a container")
    }

    #[test]
    fn event_message_is_go_json() {
        let spec = core::PodSpec {
            containers: vec![container(serde_json::json!({
                "name": "pause",
                "resources": {"requests": {"memory": "200Mi", "cpu": "800m"}, "limits": {"cpu": "800m", "memory": "200Mi"}}
            }))],
            ..Default::default()
        };
        assert_eq!(
            event_message("Pod resize started", &spec, 2, None),
            r#"Pod resize started: {"containers":[{"name":"pause","resources":{"limits":{"cpu":"800m","memory":"200Mi"},"requests":{"cpu":"800m","memory":"200Mi"}}}],"generation":2}"#
        );
        let empty = core::PodSpec { containers: vec![container(serde_json::json!({"name": "c0"}))], ..Default::default() };
        assert_eq!(
            event_message("Pod resize Deferred", &empty, 3, Some("Node didn't have enough resource: memory")),
            r#"Pod resize Deferred: {"containers":[{"name":"c0","resources":{}}],"generation":3,"error":"Node didn't have enough resource: memory"}"#
        );
    }

    #[test]
    fn judge_names_memory_first_for_infeasible_and_cpu_first_for_deferred() {
        let node = Res { cpu_m: 2000, mem: 4 << 30 };
        let both = Res { cpu_m: 1_000_000, mem: 8 << 30 };
        assert_eq!(judge(both, Res::default(), node).map(|(r, _)| r), Some("Infeasible"));
        assert!(judge(both, Res::default(), node).is_some_and(|(_, m)| m.starts_with("Node didn't have enough capacity: memory")));
        let cpu = Res { cpu_m: 1_000_000, mem: 1 };
        assert_eq!(
            judge(cpu, Res::default(), node),
            Some(("Infeasible", "Node didn't have enough capacity: cpu, requested: 1000000, capacity: 2000".into()))
        );
        let fits_alone = Res { cpu_m: 1500, mem: 1 << 30 };
        assert_eq!(
            judge(fits_alone, Res { cpu_m: 1000, mem: 0 }, node),
            Some(("Deferred", "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000".into()))
        );
        assert_eq!(judge(fits_alone, Res { cpu_m: 500, mem: 0 }, node), None);
    }

    #[test]
    fn only_a_changed_cpu_value_or_memory_limit_with_restart_container_restarts() {
        let c = container(serde_json::json!({
            "name": "app",
            "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                             {"resourceName": "memory", "restartPolicy": "RestartContainer"}]
        }));
        let cpu = Change { cpu_request: true, cpu_limit: true, ..Default::default() };
        assert!(!cpu.needs_restart(&c));
        assert!(Change { memory_limit: true, ..Default::default() }.needs_restart(&c));
        assert!(!Change { memory_request: true, ..Default::default() }.needs_restart(&c));
        // No policy: NotRequired.
        let plain = container(serde_json::json!({"name": "app"}));
        assert!(!Change { memory_limit: true, cpu_limit: true, ..Default::default() }.needs_restart(&plain));
    }
}
