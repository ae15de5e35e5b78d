//! Pod resource arithmetic as the scheduler and kubelet do it: effective requests
//! (containers summed, init containers maxed), the scheduler's non-zero defaults, and QoS.

use k8s_openapi::api::core::v1 as core;

/// CPU in millicores and memory in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Res {
    pub cpu_m: i64,
    pub mem: i64,
}

impl Res {
    pub fn plus(self, o: Res) -> Res {
        Res { cpu_m: self.cpu_m + o.cpu_m, mem: self.mem + o.mem }
    }

    pub fn minus(self, o: Res) -> Res {
        Res { cpu_m: self.cpu_m - o.cpu_m, mem: self.mem - o.mem }
    }

    fn max(self, o: Res) -> Res {
        Res { cpu_m: self.cpu_m.max(o.cpu_m), mem: self.mem.max(o.mem) }
    }
}

fn quantity_milli(q: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>) -> Option<i128> {
    q.and_then(|q| crate::quantity::parse(&q.0))
}

/// A container's requests (`cpu` in m, `memory` in bytes); with `non_zero`, the
/// scheduler's defaults (100m, 200Mi) stand in for unset values.
pub fn container_requests(c: &core::Container, non_zero: bool) -> Res {
    let req = c.resources.as_ref().and_then(|r| r.requests.as_ref());
    let cpu = quantity_milli(req.and_then(|m| m.get("cpu"))).map(|v| v as i64);
    let mem = quantity_milli(req.and_then(|m| m.get("memory"))).map(|v| (v / 1000) as i64);
    Res { cpu_m: cpu.unwrap_or(if non_zero { 100 } else { 0 }), mem: mem.unwrap_or(if non_zero { 200 * 1024 * 1024 } else { 0 }) }
}

/// A container's memory limit in bytes, if set.
pub fn memory_limit(c: &core::Container) -> Option<i64> {
    let lim = c.resources.as_ref().and_then(|r| r.limits.as_ref());
    quantity_milli(lim.and_then(|m| m.get("memory"))).map(|v| (v / 1000) as i64)
}

/// The pod's effective requests: max(sum of containers, largest init container).
pub fn pod_requests(spec: &core::PodSpec, non_zero: bool) -> Res {
    let sum = spec.containers.iter().fold(Res::default(), |acc, c| acc.plus(container_requests(c, non_zero)));
    spec.init_containers.iter().flatten().fold(sum, |acc, c| acc.max(container_requests(c, non_zero)))
}

/// The pod's QoS class (Guaranteed, Burstable or BestEffort).
pub fn qos_class(spec: &core::PodSpec) -> &'static str {
    let all: Vec<&core::Container> = spec.containers.iter().chain(spec.init_containers.iter().flatten()).collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in &all {
        let r = c.resources.as_ref();
        let req = r.and_then(|r| r.requests.as_ref());
        let lim = r.and_then(|r| r.limits.as_ref());
        if req.is_some_and(|m| !m.is_empty()) || lim.is_some_and(|m| !m.is_empty()) {
            any = true;
        }
        for k in ["cpu", "memory"] {
            match (req.and_then(|m| m.get(k)), lim.and_then(|m| m.get(k))) {
                (_, None) => guaranteed = false,
                (Some(a), Some(b)) if crate::quantity::parse(&a.0) != crate::quantity::parse(&b.0) => guaranteed = false,
                _ => {}
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
