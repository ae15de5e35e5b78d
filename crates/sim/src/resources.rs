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

/// Whether the kubelet found the pod's resize infeasible (`PodResizePending` with reason
/// `Infeasible`).
pub fn resize_infeasible(status: Option<&core::PodStatus>) -> bool {
    status.and_then(|s| s.conditions.as_ref()).is_some_and(|cs| {
        cs.iter().any(|c| c.type_ == "PodResizePending" && c.status == "True" && c.reason.as_deref() == Some("Infeasible"))
    })
}

/// A container's requests or limits by resource name.
pub type ResourceList = std::collections::BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>;

fn list_res(m: Option<&ResourceList>) -> Res {
    Res {
        cpu_m: quantity_milli(m.and_then(|m| m.get("cpu"))).map_or(0, |v| v as i64),
        mem: quantity_milli(m.and_then(|m| m.get("memory"))).map_or(0, |v| (v / 1000) as i64),
    }
}

/// The pod's requests as the scheduler and quota count them while a resize may be under way
/// (component-helpers' `determineContainerReqs`): per container, the largest of the desired
/// requests (the spec, left out once the resize is infeasible), the actual ones
/// (`status.containerStatuses[].resources`) and the allocated ones.
pub fn pod_requests_counted(spec: &core::PodSpec, status: Option<&core::PodStatus>, non_zero: bool) -> Res {
    let infeasible = resize_infeasible(status);
    let counted = |c: &core::Container, statuses: Option<&Vec<core::ContainerStatus>>| {
        let desired = container_requests(c, non_zero);
        let Some(cs) = statuses.into_iter().flatten().find(|s| s.name == c.name) else { return desired };
        let actual = list_res(cs.resources.as_ref().and_then(|r| r.requests.as_ref()));
        let allocated = list_res(cs.allocated_resources.as_ref());
        let base = if infeasible { Res::default() } else { desired };
        base.max(actual).max(allocated)
    };
    let sum = spec
        .containers
        .iter()
        .fold(Res::default(), |acc, c| acc.plus(counted(c, status.and_then(|s| s.container_statuses.as_ref()))));
    spec.init_containers
        .iter()
        .flatten()
        .fold(sum, |acc, c| acc.max(counted(c, status.and_then(|s| s.init_container_statuses.as_ref()))))
}

/// What of a pod's status `pod_requests_counted` reads: equal views count the same.
pub fn counted_status_view(status: Option<&core::PodStatus>) -> impl PartialEq + '_ {
    fn view(list: Option<&Vec<core::ContainerStatus>>) -> Vec<(&str, Option<&ResourceList>, Option<&ResourceList>)> {
        list.into_iter()
            .flatten()
            .map(|s| (s.name.as_str(), s.allocated_resources.as_ref(), s.resources.as_ref().and_then(|r| r.requests.as_ref())))
            .collect()
    }
    (
        resize_infeasible(status),
        view(status.and_then(|s| s.container_statuses.as_ref())),
        view(status.and_then(|s| s.init_container_statuses.as_ref())),
    )
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
