//! `why` (kubeplay's own command) and the explanations lessons give: why a pod is Pending,
//! on its node, or not running; why a Service has no endpoints. Answers come from the
//! simulation's own records (the scheduler's per-node verdicts and scores), in the
//! learner's terms.

use crate::Output;
use kubeplay_sim::{Kind, ObjRef, Object, World};
use std::collections::BTreeMap;

/// Labels as a learner wrote them (controller-added ones such as pod-template-hash left out).
pub fn labels_text(m: Option<&BTreeMap<String, String>>) -> String {
    let shown: Vec<String> = m
        .into_iter()
        .flatten()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "pod-template-hash"
                    | "controller-revision-hash"
                    | "statefulset.kubernetes.io/pod-name"
                    | "apps.kubernetes.io/pod-index"
            )
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if shown.is_empty() {
        "(no labels)".into()
    } else {
        shown.join(",")
    }
}

/// Why a pod is not running and ready, in the learner's terms.
pub fn diagnose_pod(world: &World, p: &k8s_openapi::api::core::v1::Pod) -> String {
    let name = p.metadata.name.clone().unwrap_or_default();
    let (_, status, _) = crate::pod_status(p, world.now_ms());
    let spec = p.spec.clone().unwrap_or_default();
    let image = spec.containers.first().and_then(|c| c.image.clone()).unwrap_or_default();
    match status.as_str() {
        "ErrImagePull" | "ImagePullBackOff" => {
            // The container whose pull failed (init containers first, as the kubelet pulls).
            let status = p.status.as_ref();
            let failing = status
                .into_iter()
                .flat_map(|s| s.init_container_statuses.iter().flatten().chain(s.container_statuses.iter().flatten()))
                .find(|c| {
                    c.state.as_ref().and_then(|s| s.waiting.as_ref()).and_then(|w| w.reason.as_deref()).is_some_and(|r| {
                        matches!(r, "ErrImagePull" | "ImagePullBackOff" | "InvalidImageName" | "ErrImageNeverPull")
                    })
                })
                .and_then(|c| {
                    spec.init_containers.iter().flatten().chain(&spec.containers).find(|x| x.name == c.name)?.image.clone()
                })
                .unwrap_or(image);
            let mut text = format!("pod {name}: image {failing} cannot be pulled: check the image name and tag");
            if let Some(note) = kubeplay_sim::images::catalog_note(&failing) {
                text.push_str(&format!("\n{note}"));
            }
            text
        }
        "CrashLoopBackOff" | "Error" => {
            let code = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|c| c.first())
                .and_then(|c| {
                    c.last_state
                        .as_ref()
                        .and_then(|l| l.terminated.as_ref())
                        .or(c.state.as_ref().and_then(|s| s.terminated.as_ref()))
                })
                .map(|t| t.exit_code);
            format!(
                "pod {name}: its container keeps exiting{}: read `kubectl logs {name}` to see why",
                code.map(|c| format!(" (exit code {c})")).unwrap_or_default()
            )
        }
        "Pending" => {
            let msg = p
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled" && c.status == "False"))
                .and_then(|c| c.message.clone());
            match msg {
                Some(m) => format!("pod {name} cannot be scheduled: {m}"),
                None => format!("pod {name} is still Pending"),
            }
        }
        "Running" => format!("pod {name} is running but not ready (a readiness probe may be failing)"),
        "CreateContainerConfigError" => {
            let msg = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|c| c.iter().find_map(|c| c.state.as_ref()?.waiting.as_ref()?.message.clone()))
                .unwrap_or_default();
            format!("pod {name} cannot start its container: {msg}")
        }
        other => format!("pod {name} is {other}"),
    }
}

/// Why a Service with a selector has no endpoints: its selector against the pods' labels.
pub fn service_without_endpoints(world: &World, svc: &k8s_openapi::api::core::v1::Service) -> String {
    let name = svc.metadata.name.clone().unwrap_or_default();
    let ns = svc.metadata.namespace.clone().unwrap_or_default();
    let sel = svc.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default();
    let pods: Vec<String> = world
        .store()
        .list(Kind::Pod, Some(&ns))
        .map(|o| labels_text(o.meta().labels.as_ref()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if sel.is_empty() {
        format!("service {name} has no selector, so it selects no pods")
    } else if !pods.is_empty() {
        format!("Service {name} selects {}, but your pods are labelled {}", labels_text(Some(&sel)), pods.join(" / "))
    } else {
        format!("Service {name} selects {}, and there are no pods", labels_text(Some(&sel)))
    }
}

/// `why pod/NAME` or `why svc/NAME` (also `why pod NAME`, `-n NAMESPACE`).
pub fn why(world: &World, args: &[String]) -> Output {
    let usage = "usage: why pod/NAME | why svc/NAME | why ingress/NAME | why deploy/NAME (or rs, sts, ds, job) [-n NAMESPACE]\n";
    let mut ns = world.context_namespace().unwrap_or_else(|| "default".into());
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-n" || args[i] == "--namespace" {
            match args.get(i + 1) {
                Some(n) => ns = n.clone(),
                None => return Output::err(usage.into()),
            }
            i += 2;
            continue;
        }
        words.push(args[i].clone());
        i += 1;
    }
    let (kind, name) = match words.as_slice() {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => return Output::err(usage.into()),
        },
        [k, n] => (k.clone(), n.clone()),
        _ => return Output::err(usage.into()),
    };
    match Kind::from_resource_name(&kind) {
        Some(Kind::Pod) => why_pod(world, &ns, &name),
        Some(Kind::Service) => why_service(world, &ns, &name),
        Some(Kind::Ingress) => why_ingress(world, &ns, &name),
        Some(k @ (Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet | Kind::Job)) => {
            why_workload(world, k, &ns, &name)
        }
        _ => Output::err(format!("why: kubeplay explains pods, services, ingresses and workloads, not {kind:?}\n")),
    }
}

/// A workload's pods, and why it has fewer than it wants when its controller's creates
/// are refused (a quota, a LimitRange, Pod Security): the last `FailedCreate`, and how
/// kubeplay's retries differ from a real controller's.
fn why_workload(world: &World, kind: Kind, ns: &str, name: &str) -> Output {
    let Some(obj) = world.store().get(kind, ns, name) else {
        return Output::err(crate::exec::api_error_text(&kubeplay_sim::errors::ApiError::not_found(kind, name)));
    };
    let uid = obj.meta().uid.clone().unwrap_or_default();
    // The controllers that create the pods: a Deployment's ReplicaSets, or the object.
    let mut creators: Vec<(ObjRef, String)> = vec![(ObjRef::of(obj), uid.clone())];
    if kind == Kind::Deployment {
        creators = world
            .store()
            .dependents_of(&uid)
            .filter(|r| r.kind == Kind::ReplicaSet)
            .filter_map(|r| world.store().get_ref(r).map(|o| (r.clone(), o.meta().uid.clone().unwrap_or_default())))
            .collect();
    }
    let pods: Vec<String> = creators
        .iter()
        .flat_map(|(_, u)| world.store().dependents_of(u).filter(|r| r.kind == Kind::Pod).map(|r| r.name.clone()))
        .collect();
    let want = match obj {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicaSet(r) => r.spec.as_ref().and_then(|s| s.replicas),
        Object::StatefulSet(s) => s.spec.as_ref().and_then(|s| s.replicas),
        _ => None,
    };
    let single = kind.info().singular_group();
    let mut out = match want {
        Some(w) => format!("{single}/{name} wants {w} pod(s) and has {}", pods.len()),
        None => format!("{single}/{name} has {} pod(s)", pods.len()),
    };
    if pods.is_empty() {
        out.push_str(".\n");
    } else {
        out.push_str(&format!(": {}\n", pods.join(", ")));
    }
    let refused = world
        .store()
        .list(Kind::Event, Some(ns))
        .filter_map(|o| match o {
            Object::Event(e) if e.reason.as_deref() == Some("FailedCreate") => Some(e),
            _ => None,
        })
        .filter_map(|e| {
            let about = creators.iter().find(|(_, u)| e.involved_object.uid.as_deref() == Some(u.as_str()))?;
            Some((e.metadata.resource_version.clone().unwrap_or_default().parse::<u64>().unwrap_or(0), about.0.clone(), e))
        })
        .max_by_key(|(rv, _, _)| *rv);
    if let Some((_, about, e)) = refused {
        out.push_str(&format!(
            "{}/{} could not create a pod: {}\n",
            about.kind.info().singular_group(),
            about.name,
            e.message.clone().unwrap_or_default()
        ));
        out.push_str("kubeplay retries such a create when the namespace's labels, quotas or LimitRanges change, or its pods do; a real controller keeps retrying with exponential back-off and keeps recording FailedCreate events.\n");
    } else if !pods.is_empty() {
        out.push_str(&format!("`why pod/NAME -n {ns}` explains each pod.\n"));
    }
    Output::ok(out)
}

/// The nodes the scheduler's NodeAffinity PreFilter set aside (the pod names its node in
/// `matchFields`, as DaemonSet pods do), in one line.
fn set_aside_line(d: &kubeplay_sim::scheduler::Decision) -> String {
    match &d.set_aside {
        Some((n, reason)) => {
            format!("  {:<24} {reason} (the pod's node affinity names its node by metadata.name)\n", format!("{n} other node(s)"))
        }
        None => String::new(),
    }
}

fn why_pod(world: &World, ns: &str, name: &str) -> Output {
    let Some(Object::Pod(p)) = world.store().get(Kind::Pod, ns, name) else {
        return Output::err(format!("Error from server (NotFound): pods \"{name}\" not found\n"));
    };
    let r = ObjRef::new(Kind::Pod, ns, name);
    let mut out = String::new();
    let node = p.spec.as_ref().and_then(|s| s.node_name.clone());
    let decision = world.decision(&r);
    match (&node, decision) {
        (Some(n), Some(d)) => {
            out.push_str(&format!("pod/{name} runs on {n}: the scheduler scored the nodes that fit (higher wins; ties are broken at random, by the seeded RNG):\n"));
            let mut scored: Vec<(&String, i64)> = d.nodes.iter().filter_map(|(k, v)| v.as_ref().ok().map(|s| (k, *s))).collect();
            scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (k, sc) in scored {
                out.push_str(&format!("  {k:<24} score {sc}{}\n", if Some(k) == d.chosen.as_ref() { "  <- chosen" } else { "" }));
            }
            for (k, v) in &d.nodes {
                if let Err(reasons) = v {
                    out.push_str(&format!("  {k:<24} filtered out: {}\n", reasons.join(", ")));
                }
            }
            out.push_str(&set_aside_line(d));
        }
        (Some(n), None) => {
            out.push_str(&format!("pod/{name} was bound to {n} directly (spec.nodeName), without the scheduler\n"))
        }
        (None, Some(d)) => {
            out.push_str(&format!("pod/{name} is Pending: no node fits. The scheduler's verdict per node:\n"));
            for (k, v) in &d.nodes {
                match v {
                    Err(reasons) => out.push_str(&format!("  {k:<24} {}\n", reasons.join(", "))),
                    Ok(s) => out.push_str(&format!("  {k:<24} fits (score {s})\n")),
                }
            }
            out.push_str(&set_aside_line(d));
            out.push_str(&format!("  => {}\n", d.message));
        }
        (None, None) => {
            let gates = kubeplay_sim::scheduler::scheduling_gates(p);
            if gates.is_empty() {
                out.push_str(&format!("pod/{name} has not been through the scheduler yet\n"));
            } else {
                out.push_str(&format!(
                    "pod/{name} is SchedulingGated: the scheduler will not look at it until its scheduling gates are removed ({}); remove them with kubectl patch or by applying the pod without them\n",
                    gates.join(", ")
                ));
            }
        }
    }
    let (ready, status, _) = crate::pod_status(p, world.now_ms());
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b && a != "0");
    if node.is_some() && !(status == "Running" && all_ready) && status != "Completed" {
        out.push_str(&format!("{}\n", diagnose_pod(world, p)));
    }
    Output::ok(out)
}

fn why_service(world: &World, ns: &str, name: &str) -> Output {
    let Some(Object::Service(s)) = world.store().get(Kind::Service, ns, name) else {
        return Output::err(format!("Error from server (NotFound): services \"{name}\" not found\n"));
    };
    let eps = kubeplay_sim::endpoints::service_endpoints(world, s);
    let ready: Vec<&kubeplay_sim::endpoints::PodEndpoint> = eps.iter().filter(|e| e.ready).collect();
    let sel = s.spec.as_ref().and_then(|sp| sp.selector.clone()).unwrap_or_default();
    let mut out = format!(
        "service/{name} selects {}: ",
        if sel.is_empty() { "nothing (no selector)".to_string() } else { labels_text(Some(&sel)) }
    );
    if eps.is_empty() {
        out.push_str(&format!("it has no endpoints.\n{}\n", service_without_endpoints(world, s)));
    } else {
        out.push_str(&format!("{} endpoint(s), {} ready.\n", eps.len(), ready.len()));
        for e in &eps {
            let pod = e.pod.clone();
            out.push_str(&format!("  {:<16} {pod:<32} {}\n", e.ip, if e.ready { "ready" } else { "not ready" }));
            if !e.ready {
                if let Some(Object::Pod(p)) = world.store().get(Kind::Pod, ns, &pod) {
                    out.push_str(&format!("    {}\n", diagnose_pod(world, p)));
                }
            }
        }
    }
    if kubeplay_sim::servicelb::is_load_balancer(s) {
        out.push_str(&load_balancer_why(world, s));
    }
    Output::ok(out)
}

/// Why an Ingress answers as it does: which controller serves it, and for each rule and
/// TLS entry, what the backend Service and the Secret hold.
fn why_ingress(world: &World, ns: &str, name: &str) -> Output {
    use kubeplay_sim::topology::IngressController;
    let Some(Object::Ingress(ing)) = world.store().get(Kind::Ingress, ns, name) else {
        return Output::err(format!("Error from server (NotFound): ingresses.networking.k8s.io \"{name}\" not found\n"));
    };
    let spec = ing.spec.clone().unwrap_or_default();
    let class = spec
        .ingress_class_name
        .clone()
        .or_else(|| ing.metadata.annotations.as_ref().and_then(|a| a.get("kubernetes.io/ingress.class").cloned()));
    let classes: Vec<String> = world.store().list(Kind::IngressClass, None).filter_map(|o| o.meta().name.clone()).collect();
    let ctl = match class.as_deref() {
        Some("traefik") if classes.iter().any(|c| c == "traefik") => Some(IngressController::Traefik),
        Some("nginx") if classes.iter().any(|c| c == "nginx") => Some(IngressController::Nginx),
        None if classes.iter().any(|c| c == "traefik") => Some(IngressController::Traefik),
        _ => None,
    };
    let mut out = String::new();
    let Some(ctl) = ctl else {
        out.push_str(&format!(
            "ingress/{name} asks for class {}, but no controller here serves it: the cluster's IngressClasses are {}. No request reaches its rules.\n",
            class.as_deref().unwrap_or("<none>"),
            if classes.is_empty() { "none".to_string() } else { classes.join(", ") }
        ));
        return Output::ok(out);
    };
    let (controller_name, missing_status) = match ctl {
        IngressController::Traefik => ("Traefik", "404"),
        IngressController::Nginx => ("ingress-nginx", "503"),
    };
    let address: Vec<String> = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|i| i.iter().filter_map(|x| x.ip.clone()).collect())
        .unwrap_or_default();
    out.push_str(&format!(
        "ingress/{name} is served by {controller_name} (class {}), at {}.\n",
        ctl.class(),
        if address.is_empty() { "no address yet".to_string() } else { address.join(",") }
    ));
    let canary =
        ing.metadata.annotations.as_ref().and_then(|a| a.get("nginx.ingress.kubernetes.io/canary")).is_some_and(|v| v == "true");
    if canary && ctl == IngressController::Nginx {
        out.push_str("  It is a canary: it takes a share of the requests of the Ingress with the same host and path.\n");
    }
    let backend_text = |b: &k8s_openapi::api::networking::v1::IngressBackend| -> String {
        let Some(svc) = &b.service else { return "a resource backend (not simulated)".into() };
        let port =
            svc.port.as_ref().map(|p| p.number.map(|n| n.to_string()).or(p.name.clone()).unwrap_or_default()).unwrap_or_default();
        match world.store().get(Kind::Service, ns, &svc.name) {
            None => {
                format!("service {}:{port}, which does not exist: requests get {controller_name}'s {missing_status}", svc.name)
            }
            Some(Object::Service(s)) => {
                let has_port = s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()).any(|p| {
                    svc.port.as_ref().is_some_and(|bp| bp.number == Some(p.port) || (bp.name.is_some() && bp.name == p.name))
                });
                if !has_port {
                    return format!("service {}:{port}, which has no such port: requests get {controller_name}'s 404", svc.name);
                }
                let ready = kubeplay_sim::endpoints::service_endpoints(world, s).iter().filter(|e| e.ready).count();
                if ready == 0 {
                    format!(
                        "service {}:{port}, with no ready endpoints: requests get {controller_name}'s 503 ({})",
                        svc.name,
                        service_without_endpoints(world, s)
                    )
                } else {
                    format!("service {}:{port}, {ready} ready endpoint(s)", svc.name)
                }
            }
            Some(_) => String::new(),
        }
    };
    for rule in spec.rules.iter().flatten() {
        let host = rule.host.clone().unwrap_or_else(|| "*".into());
        for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
            out.push_str(&format!(
                "  {host}{} ({}) -> {}\n",
                p.path.clone().unwrap_or_else(|| "/".into()),
                p.path_type,
                backend_text(&p.backend)
            ));
        }
    }
    if let Some(b) = &spec.default_backend {
        out.push_str(&format!("  default backend -> {}\n", backend_text(b)));
    }
    for t in spec.tls.iter().flatten() {
        let hosts = t.hosts.clone().unwrap_or_default().join(",");
        let secret = t.secret_name.clone().unwrap_or_default();
        let state = match world.store().get(Kind::Secret, ns, &secret) {
            Some(Object::Secret(s)) if s.type_.as_deref() == Some("kubernetes.io/tls") => {
                format!("served with the certificate of secret {secret}")
            }
            Some(Object::Secret(s)) => format!(
                "secret {secret} is of type {}, not kubernetes.io/tls: {controller_name} presents its own self-signed default certificate",
                s.type_.clone().unwrap_or_else(|| "Opaque".into())
            ),
            _ => format!("secret {secret} does not exist: {controller_name} presents its own self-signed default certificate"),
        };
        out.push_str(&format!("  TLS {hosts}: {state}\n"));
        if ctl == IngressController::Nginx {
            out.push_str(&format!("    ingress-nginx redirects plain HTTP for {hosts} to HTTPS (308)\n"));
        }
    }
    Output::ok(out)
}

/// A LoadBalancer's addresses: which nodes ServiceLB advertises, and for the others why
/// their svclb pod is not ready (usually a port another LoadBalancer already holds).
fn load_balancer_why(world: &World, s: &k8s_openapi::api::core::v1::Service) -> String {
    use kubeplay_sim::servicelb::{daemonset_name, LB_NAMESPACE};
    let ds = daemonset_name(s);
    let ips: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|i| i.iter().filter_map(|x| x.ip.clone()).collect())
        .unwrap_or_default();
    let mut out = if ips.is_empty() {
        format!("EXTERNAL-IP is <pending>: no node has a ready pod of ServiceLB's DaemonSet {LB_NAMESPACE}/{ds}.\n")
    } else {
        format!("EXTERNAL-IP {}: the nodes where ServiceLB's DaemonSet {LB_NAMESPACE}/{ds} has a ready pod.\n", ips.join(","))
    };
    let prefix = format!("{ds}-");
    for o in world.store().list(Kind::Pod, Some(LB_NAMESPACE)) {
        let Object::Pod(p) = o else { continue };
        let name = p.metadata.name.clone().unwrap_or_default();
        if !name.starts_with(&prefix) {
            continue;
        }
        let ready = p
            .status
            .as_ref()
            .and_then(|st| st.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if !ready {
            out.push_str(&format!("  pod {name}: {}\n", diagnose_pod(world, p)));
        }
    }
    // The usual cause on k3s: the ingress controller's own LoadBalancer holds 80 and 443.
    let ports: Vec<i32> = s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()).map(|p| p.port).collect();
    let held = [("kube-system", "traefik"), ("ingress-nginx", "ingress-nginx-controller")].into_iter().find(|(ns, n)| {
        (s.metadata.namespace.as_deref(), s.metadata.name.as_deref()) != (Some(*ns), Some(*n))
            && world.store().get(Kind::Service, ns, n).is_some()
    });
    if let (true, Some((ns, n))) = (ports.iter().any(|p| *p == 80 || *p == 443), held) {
        out.push_str(&format!(
            "  ports 80 and 443 belong to {ns}/{n}'s LoadBalancer on every node: use another port, or an Ingress\n"
        ));
    }
    out
}
