//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`: a listener on the learner's laptop
//! whose connections reach a pod's port (`curl localhost:8080` then answers from the pod),
//! with kubectl's pod choice, port translation, messages and errors. kubeplay keeps the
//! forward running in the background instead of holding the terminal, and says so.

use crate::args::Args;
use crate::exec::{api_error_text, namespace};
use crate::Output;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_sim::world::PortForward;
use kubeplay_sim::{ApiError, Kind, Object, World};

/// How long kubectl waits for a workload or Service to have a pod (`--pod-running-timeout`).
const POD_WAIT_MS: u64 = 60_000;

/// kubectl's usage error, with its hint.
fn usage(msg: &str) -> Output {
    Output::err(format!("error: {msg}\nSee 'kubectl port-forward -h' for help and examples\n"))
}

/// `[LOCAL:]REMOTE`, split as kubectl's `splitPort` does.
fn split_port(p: &str) -> (&str, &str) {
    match p.split_once(':') {
        Some((l, r)) if !r.contains(':') => (l, r),
        _ => (p, p),
    }
}

/// The container port named `name` (containers first, then init containers).
fn container_port_by_name(pod: &core::Pod, name: &str) -> Result<i32, String> {
    let spec = pod.spec.as_ref();
    let containers = spec.into_iter().flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten()));
    containers
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .map(|p| p.container_port)
        .ok_or_else(|| format!("Pod '{}' does not have a named port '{name}'", pod.metadata.name.as_deref().unwrap_or("")))
}

/// `translateServicePortToTargetPort`: each Service port (number or name) becomes the
/// container port its targetPort leads to on the chosen pod.
fn translate_service_ports(ports: &[String], svc: &core::Service, pod: &core::Pod) -> Result<Vec<String>, String> {
    let svc_name = svc.metadata.name.as_deref().unwrap_or("");
    let spec = svc.spec.clone().unwrap_or_default();
    let svc_ports = spec.ports.unwrap_or_default();
    let mut out = Vec::new();
    for p in ports {
        let (mut local, remote) = split_port(p);
        let local_owned;
        let port_num = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                let n = svc_ports
                    .iter()
                    .find(|sp| sp.name.as_deref() == Some(remote))
                    .map(|sp| sp.port)
                    .ok_or_else(|| format!("Service '{svc_name}' does not have a named port '{remote}'"))?;
                if local == remote {
                    local_owned = n.to_string();
                    local = &local_owned;
                }
                n
            }
        };
        let container = if spec.cluster_ip.as_deref() == Some("None") {
            port_num
        } else {
            let sp = svc_ports
                .iter()
                .find(|sp| sp.port == port_num)
                .ok_or_else(|| format!("Service {svc_name} does not have a service port {port_num}"))?;
            match &sp.target_port {
                None | Some(IntOrString::Int(0)) => sp.port,
                Some(IntOrString::Int(n)) => *n,
                Some(IntOrString::String(name)) => container_port_by_name(pod, name)?,
            }
        };
        let remote = container.to_string();
        out.push(if local != remote { format!("{local}:{remote}") } else { remote });
    }
    Ok(out)
}

/// `convertPodNamedPortToNumber`.
fn convert_named_ports(ports: &[String], pod: &core::Pod) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for p in ports {
        let (local, remote) = split_port(p);
        if remote.is_empty() {
            return Err("remote port cannot be empty".into());
        }
        let number = match remote.parse::<i64>() {
            Ok(_) => remote.to_string(),
            Err(_) => container_port_by_name(pod, remote)?.to_string(),
        };
        out.push(if local != remote { format!("{local}:{number}") } else { number });
    }
    Ok(out)
}

/// Go's `strconv.ParseUint(s, 10, 16)` error for a string that is not a port number.
fn parse_uint_error(s: &str) -> String {
    let why = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "value out of range" } else { "invalid syntax" };
    format!("strconv.ParseUint: parsing {s:?}: {why}")
}

/// client-go's `parsePorts`: (local, remote), local 0 for `:REMOTE`.
fn parse_ports(ports: &[String]) -> Result<Vec<(u16, u16)>, String> {
    let mut out = Vec::new();
    for p in ports {
        let parts: Vec<&str> = p.split(':').collect();
        let (local, remote) = match parts.as_slice() {
            [one] => (*one, *one),
            [l, r] => (if l.is_empty() { "0" } else { *l }, *r),
            _ => return Err(format!("invalid port format '{p}'")),
        };
        let local: u16 = local.parse().map_err(|_| format!("error parsing local port '{local}': {}", parse_uint_error(local)))?;
        let remote_n: u16 =
            remote.parse().map_err(|_| format!("error parsing remote port '{remote}': {}", parse_uint_error(remote)))?;
        if remote_n == 0 {
            return Err("remote port must be > 0".into());
        }
        out.push((local, remote_n));
    }
    Ok(out)
}

/// The pods a Service's selector or a workload's selector picks, in kubectl's attach order.
fn selected_pod(world: &World, ns: &str, obj: &Object) -> Result<Option<core::Pod>, String> {
    let pods = |matches: &dyn Fn(&std::collections::BTreeMap<String, String>) -> bool| -> Option<core::Pod> {
        let mut found: Vec<Object> = world
            .store()
            .list(Kind::Pod, Some(ns))
            .filter(|o| matches(&o.meta().labels.clone().unwrap_or_default()))
            .cloned()
            .collect();
        found.sort_by_key(crate::rollout::attach_rank);
        match found.into_iter().next() {
            Some(Object::Pod(p)) => Some(*p),
            _ => None,
        }
    };
    match obj {
        Object::Service(s) => {
            let sel = s.spec.as_ref().and_then(|sp| sp.selector.clone()).unwrap_or_default();
            if sel.is_empty() {
                return Err(format!(
                    "cannot attach to *v1.Service: invalid service '{}': Service is defined without a selector",
                    s.metadata.name.as_deref().unwrap_or("")
                ));
            }
            Ok(pods(&|l| sel.iter().all(|(k, v)| l.get(k) == Some(v))))
        }
        Object::ReplicationController(rc) => {
            let sel = rc.spec.as_ref().and_then(|sp| sp.selector.clone()).unwrap_or_default();
            Ok(pods(&|l| sel.iter().all(|(k, v)| l.get(k) == Some(v))))
        }
        Object::Deployment(_) | Object::ReplicaSet(_) | Object::StatefulSet(_) | Object::DaemonSet(_) | Object::Job(_) => {
            let sel = obj.to_value().get("spec").and_then(|s| s.get("selector")).cloned();
            let sel: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector> =
                sel.and_then(|v| serde_json::from_value(v).ok());
            let Some(sel) = sel else { return Ok(None) };
            Ok(pods(&|l| kubeplay_sim::selectors::label_selector_matches(&sel, l)))
        }
        other => {
            let t =
                format!("*{}.{}", other.kind().info().api_version().rsplit('/').next().unwrap_or("v1"), other.kind().info().kind);
            Err(format!("cannot attach to {t}: selector for {t} not implemented"))
        }
    }
}

/// A local port for `:REMOTE`, as the kernel would hand out from its ephemeral range; derived
/// from the clock and the forwards open, so a replay picks the same one.
fn ephemeral_port(world: &World, remote: u16) -> u16 {
    let mut n = world.now_ms() ^ (u64::from(remote) << 20) ^ (world.port_forwards.len() as u64).wrapping_mul(0x9e37_79b9);
    for _ in 0..100_000 {
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let p = 32_768 + ((n >> 33) % 28_232) as u16;
        if !world.port_forwards.contains_key(&p) {
            return p;
        }
    }
    // Every ephemeral port taken: the first free one, if any (the caller refuses a taken one).
    (32_768..=60_999).find(|p| !world.port_forwards.contains_key(p)).unwrap_or(32_768)
}

/// What kubeplay says of a port-forward typed without `&`.
const FOREGROUND_NOTE: &str = "kubectl port-forward holds the terminal until Ctrl-C; kubeplay leaves the terminal free and keeps this forward until the next port-forward command (as if you had pressed Ctrl-C then). End a command with `&` to keep several; `jobs` lists those and `kill %N` stops one.";

/// `kubectl port-forward`. `background` is true when the command ended with `&`.
pub fn port_forward(world: &mut World, args: &Args, line: &str) -> Output {
    // The shell leaves a background command's `&` as the last word.
    let background = args.positional.last().is_some_and(|w| w == "&");
    let mut args = args.clone();
    if background {
        args.positional.pop();
    }
    let args = &args;
    // A forward typed without `&` held the learner's terminal: starting another command
    // there means it was stopped (Ctrl-C) first.
    world.port_forwards.retain(|_, f| f.job != 0);
    if args.positional.len() < 2 {
        return usage("TYPE/NAME and list of ports are required for port-forward");
    }
    let ns = namespace(args);
    let target = &args.positional[0];
    let ports = &args.positional[1..];
    // `TYPE/NAME`, or a pod's name.
    let (kind, name) = match target.split_once('/') {
        Some((t, n)) => match crate::exec::resolve_kind(t) {
            Ok(k) => (k, n.to_string()),
            Err(e) => return Output::err(e),
        },
        None => (Kind::Pod, target.clone()),
    };
    let Some(obj) = world.get(kind, &ns, &name).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(kind, &name)));
    };
    // AttachablePodForObject: the pod itself, or the first of the selected pods, waiting up
    // to the pod-running timeout for one to exist.
    let pod = match &obj {
        Object::Pod(p) => (**p).clone(),
        _ => {
            let deadline = world.now_ms() + POD_WAIT_MS;
            loop {
                match selected_pod(world, &ns, &obj) {
                    Err(e) => return Output::err(format!("error: {e}\n")),
                    Ok(Some(p)) => break p,
                    Ok(None) if world.now_ms() >= deadline => {
                        return Output::err("error: timed out waiting for the condition\n".into())
                    }
                    Ok(None) => {
                        let step = 1_000.min(deadline - world.now_ms());
                        if !world.run_toward(step, crate::shell::SETTLE_BOUND).1 {
                            return Output::err(format!(
                                "kubeplay: the cluster ran {} events without reaching the next second; stopped waiting for a pod\n",
                                crate::shell::SETTLE_BOUND
                            ));
                        }
                    }
                }
            }
        }
    };
    let translated = match &obj {
        Object::Service(s) => translate_service_ports(ports, s, &pod),
        _ => convert_named_ports(ports, &pod),
    };
    let translated = match translated {
        Ok(t) => t,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    // RunPortForward reads the pod again: it must be running.
    let phase = match world.get(Kind::Pod, &ns, &pod_name) {
        Some(Object::Pod(p)) => p.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default(),
        _ => return Output::err(api_error_text(&ApiError::not_found(Kind::Pod, &pod_name))),
    };
    if phase != "Running" {
        return Output::err(format!("error: unable to forward port because pod is not running. Current status={phase}\n"));
    }
    let parsed = match parse_ports(&translated) {
        Ok(p) => p,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    // --address: localhost means 127.0.0.1 and ::1.
    let mut addresses: Vec<String> = Vec::new();
    let given: Vec<String> = args.all("address").iter().flat_map(|a| a.split(',')).map(str::trim).map(String::from).collect();
    for a in if given.is_empty() { vec!["localhost".to_string()] } else { given } {
        match a.as_str() {
            "localhost" => addresses.extend(["127.0.0.1".to_string(), "::1".to_string()]),
            ip if ip.parse::<std::net::IpAddr>().is_ok() => addresses.push(ip.to_string()),
            other => return Output::err(format!("error: {other} is not a valid IP\n")),
        }
    }
    // Only a background forward is one of the shell's jobs.
    let job = if background { world.port_forwards.values().map(|f| f.job).max().unwrap_or(0) + 1 } else { 0 };
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let mut out = Output::default();
    let mut listened = false;
    let mut failed = Vec::new();
    for (local, remote) in parsed {
        let local = if local == 0 { ephemeral_port(world, remote) } else { local };
        if world.port_forwards.contains_key(&local) {
            let errs: Vec<String> = addresses
                .iter()
                .map(|a| {
                    let tcp = if a.contains(':') { "tcp6" } else { "tcp4" };
                    format!(
                        "unable to create listener: Error listen {tcp} {}: bind: address already in use",
                        join_host_port(a, local)
                    )
                })
                .collect();
            out.stderr.push_str(&format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [{}]\n",
                errs.join(" ")
            ));
            failed.push(format!("{{{local} {remote}}}"));
            continue;
        }
        for a in &addresses {
            out.stdout.push_str(&format!("Forwarding from {} -> {remote}\n", join_host_port(a, local)));
        }
        world.port_forwards.insert(
            local,
            PortForward {
                namespace: ns.clone(),
                pod: pod_name.clone(),
                uid: uid.clone(),
                remote,
                addresses: addresses.clone(),
                command: line.trim_end().trim_end_matches('&').trim_end().to_string(),
                job,
            },
        );
        listened = true;
    }
    if !listened {
        out.stderr.push_str(&format!("error: unable to listen on any of the requested ports: [{}]\n", failed.join(" ")));
        out.exit_code = 1;
        return out;
    }
    if !background {
        out.notes.push(FOREGROUND_NOTE.into());
    }
    out
}

/// Go's `net.JoinHostPort`: IPv6 addresses in brackets.
fn join_host_port(addr: &str, port: u16) -> String {
    if addr.contains(':') {
        format!("[{addr}]:{port}")
    } else {
        format!("{addr}:{port}")
    }
}

/// What kubectl prints when a forwarded connection fails (nothing listens on the pod's port,
/// or the pod is gone), and the forward ending: kubectl exits and the job is over.
pub fn lost_connection(world: &mut World, local: u16) -> String {
    let Some(f) = world.port_forwards.get(&local).cloned() else { return String::new() };
    let sandbox = kubeplay_sim::images::hex_digest(&format!("sandbox/{}", f.uid));
    let remote = f.remote;
    let cause = if alive(world, &f) {
        let n = kubeplay_sim::images::hex_digest(&format!("netns/{}", f.uid));
        let netns = format!("cni-{}-{}-{}-{}-{}", &n[0..8], &n[8..12], &n[12..16], &n[16..20], &n[20..32]);
        format!(
            "failed to execute portforward in network namespace \"/var/run/netns/{netns}\": failed to connect to localhost:{remote} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{remote}: connect: connection refused IPv6 dial tcp6 [::1]:{remote}: connect: connection refused "
        )
    } else {
        format!("failed to find sandbox \"{sandbox}\" in store: not found")
    };
    let err = format!(
        "an error occurred forwarding {local} -> {remote}: error forwarding port {remote} to pod {sandbox}, uid : {cause}"
    );
    world.port_forwards.retain(|_, x| !(x.job == f.job && x.pod == f.pod && x.uid == f.uid && x.command == f.command));
    // client-go's runtime.HandleError, as klog writes it, then the forward's end.
    format!(
        "{}       1 portforward.go:413] \"Unhandled Error\" err={}\nerror: lost connection to pod\n",
        crate::exec::klog_stamp(world, 'E'),
        serde_json::to_string(&err).unwrap_or_default()
    )
}

/// Whether a forward's pod is still the one it streams to.
fn alive(world: &World, f: &PortForward) -> bool {
    matches!(world.get(Kind::Pod, &f.namespace, &f.pod), Some(Object::Pod(p)) if p.metadata.uid.as_deref() == Some(f.uid.as_str()))
}

/// `jobs`: the port-forwards running in the background, as bash lists its jobs.
pub fn jobs(world: &World) -> Output {
    let mut by_job: std::collections::BTreeMap<u32, &PortForward> = std::collections::BTreeMap::new();
    for f in world.port_forwards.values().filter(|f| f.job != 0) {
        by_job.entry(f.job).or_insert(f);
    }
    let last = by_job.keys().next_back().copied();
    let prev = by_job.keys().rev().nth(1).copied();
    let mut s = String::new();
    for (job, f) in &by_job {
        let mark = if Some(*job) == last {
            '+'
        } else if Some(*job) == prev {
            '-'
        } else {
            ' '
        };
        s.push_str(&format!("[{job}]{mark}  {:<24}{} &\n", "Running", f.command));
    }
    Output::ok(s)
}

/// `kill %N` / `kill %%` / `kill %+`: stops a background port-forward (bash's own job
/// messages are left out, as a script's shell prints none).
pub fn kill(world: &mut World, words: &[String]) -> Output {
    let mut out = Output::default();
    if words.is_empty() {
        return Output {
            stderr: "sh: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n".into(),
            exit_code: 2,
            ..Output::default()
        };
    }
    for w in words.iter().filter(|w| !w.starts_with('-')) {
        let job = match w.as_str() {
            "%%" | "%+" | "%" => world.port_forwards.values().map(|f| f.job).max().filter(|j| *j != 0),
            j => j.strip_prefix('%').and_then(|n| n.parse::<u32>().ok()),
        };
        match job.filter(|j| *j != 0 && world.port_forwards.values().any(|f| f.job == *j)) {
            Some(j) => world.port_forwards.retain(|_, f| f.job != j),
            None if w.starts_with('%') => {
                out.stderr.push_str(&format!("sh: kill: {w}: no such job\n"));
                out.exit_code = 1;
            }
            None => {
                out.stderr.push_str(&format!("sh: kill: ({w}) - No such process\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(v: serde_json::Value) -> core::Service {
        serde_json::from_value(v).expect("a Service")
    }

    fn pod() -> core::Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}]}
        }))
        .expect("a Pod")
    }

    #[test]
    fn service_ports_translate_as_kubectl_does() {
        let s = svc(serde_json::json!({"metadata": {"name": "s"}, "spec": {"ports": [
            {"name": "web", "port": 80, "targetPort": "http"},
            {"port": 81},
            {"port": 82, "targetPort": 9000}
        ]}}));
        let ports = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A named targetPort resolves on the pod; an omitted one is the service port.
        assert_eq!(
            translate_service_ports(&ports(&["80", "5000:81", "82"]), &s, &pod()).unwrap(),
            ports(&["80:8080", "5000:81", "82:9000"])
        );
        // A service port given by name: the local port is that port's number.
        assert_eq!(translate_service_ports(&ports(&["web"]), &s, &pod()).unwrap(), ports(&["80:8080"]));
        assert_eq!(
            translate_service_ports(&ports(&["83"]), &s, &pod()).unwrap_err(),
            "Service s does not have a service port 83"
        );
        // A headless Service's ports are the pod's.
        let headless =
            svc(serde_json::json!({"metadata": {"name": "h"}, "spec": {"clusterIP": "None", "ports": [{"port": 80}]}}));
        assert_eq!(translate_service_ports(&ports(&["7000"]), &headless, &pod()).unwrap(), ports(&["7000"]));
    }

    #[test]
    fn ports_parse_as_client_go_does() {
        let ports = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_ports(&ports(&["8080:80", ":80", "5000"])).unwrap(), vec![(8080, 80), (0, 80), (5000, 5000)]);
        assert_eq!(parse_ports(&ports(&["1:2:3"])).unwrap_err(), "invalid port format '1:2:3'");
        assert_eq!(parse_ports(&ports(&["8080:0"])).unwrap_err(), "remote port must be > 0");
        assert!(parse_ports(&ports(&["x:80"])).unwrap_err().ends_with("parsing \"x\": invalid syntax"));
        assert_eq!(convert_named_ports(&ports(&["9000:http", "http"]), &pod()).unwrap(), ports(&["9000:8080", "8080"]));
        assert_eq!(convert_named_ports(&ports(&["https"]), &pod()).unwrap_err(), "Pod 'p' does not have a named port 'https'");
    }
}
