//! The fake nodes' kubelets: for each pod bound to a node, pull images (following size,
//! pull policy and the node's image cache), create and start containers, run their programs
//! (exits, restarts with back-off, CrashLoopBackOff), report readiness, and kill containers
//! on deletion. The container runtime's state lives in `World::runtime`; the pod's status is
//! written through the API layer.

use crate::events::EventType;
use crate::images::{self, Program};
use crate::kinds::Object;
use crate::scheduler::set_condition;
use crate::store::ObjRef;
use crate::world::{time_at, Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use std::collections::BTreeMap;

/// Container back-off: 10 s doubling to 5 min, reset after 10 min of running.
const BACKOFF_START_MS: u64 = 10_000;
const BACKOFF_MAX_MS: u64 = 300_000;
const BACKOFF_RESET_MS: u64 = 600_000;
/// Time from image present to container started (containerd create + start).
const CREATE_MS: u64 = 1_000;
/// Time for a process that handles SIGTERM to exit.
const STOP_MS: u64 = 200;
/// Time to tear down a pod whose containers are not running (yet): the kubelet cancels the
/// pod's sync, stops its sandbox (the network's teardown) and reports it, so a pod deleted
/// while it was being created shows `Terminating` for a moment.
const TEARDOWN_MS: u64 = 1_000;

/// One container's runtime state.
#[derive(Clone, Debug, PartialEq)]
pub enum CState {
    /// Pulling its image until the given time.
    Pulling {
        until: u64,
        started: u64,
    },
    /// Pull failed; waiting `ErrImagePull` then `ImagePullBackOff` until the given time.
    PullBackOff {
        until: u64,
        message: String,
        shown_backoff: bool,
    },
    /// Never-pull policy and the image is absent.
    NeverPull {
        message: String,
    },
    /// The image reference does not parse (`InvalidImageName`); tried again at each sync.
    InvalidName {
        message: String,
    },
    /// Created, starting at the given time.
    Creating {
        until: u64,
    },
    /// The container's config (env from ConfigMaps/Secrets) cannot be built; retried.
    ConfigError {
        message: String,
        retry_at: u64,
    },
    Running {
        since: u64,
    },
    /// Exited; restarts (if the policy says so) at `restart_at`.
    Exited {
        code: i32,
        reason: String,
        started: u64,
        finished: u64,
        restart_at: Option<u64>,
    },
}

/// How long a container over its memory limit runs before the OOM killer ends it.
const OOM_AFTER_MS: u64 = 300;

#[derive(Clone, Debug, PartialEq)]
pub struct ContainerRt {
    pub state: CState,
    pub restart_count: i32,
    pub backoff_ms: u64,
    pub pull_backoff_ms: u64,
    pub program: Program,
    pub container_id: String,
    pub image_id: String,
    pub image_full: String,
    /// The previous instance: started, finished, program (for `logs -p`).
    pub previous: Option<(u64, u64, Program)>,
    pub last_exit: Option<(i32, String, u64, u64)>,
    /// The exit before `last_exit`: while a restart is being created, the dead instance is
    /// the current state and this one the last state.
    pub prev_exit: Option<(i32, String, u64, u64)>,
    /// The readiness probe (and startup probe) passed for the current instance.
    pub probe_ready: bool,
    /// An Unhealthy event was recorded for the current instance (recorded once, so a
    /// failing probe does not keep the cluster from settling).
    pub unhealthy_reported: bool,
    /// How many of the current liveness failure streak's probes have their Unhealthy event.
    pub liveness_reported: u32,
    /// The environment the current instance started with (what `printenv` shows).
    pub env: BTreeMap<String, String>,
    /// What the last instance wrote to its terminationMessagePath.
    pub termination_message: Option<String>,
    /// How many of the current instance's `Program::writes` are stored.
    pub writes_applied: u32,
    /// The current instance is being stopped for a resize (`RestartContainer`): it starts
    /// again at once, whatever the pod's restart policy, without crash back-off.
    pub resize_restart: bool,
    /// The previous instance's container ID (its `lastState` names it).
    pub prev_container_id: String,
}

/// The command an exec probe runs, unwrapped from `sh -c "..."`.
fn exec_words(p: &core::Probe) -> Vec<String> {
    let cmd = p.exec.as_ref().and_then(|e| e.command.clone()).unwrap_or_default();
    match cmd.as_slice() {
        [sh, flag, script] if (sh == "sh" || sh == "/bin/sh" || sh == "bash" || sh == "/bin/bash") && flag == "-c" => {
            script.split_whitespace().map(str::to_string).collect()
        }
        _ => cmd,
    }
}

/// The file an exec probe checks (`cat F`, `ls F`, `test -e F`, `[ -f F ]`), if it is one
/// of those.
fn probed_file(words: &[String]) -> Option<(&str, String)> {
    match words {
        [cmd, f] if cmd == "cat" || cmd == "ls" => Some((cmd.as_str(), f.clone())),
        [t, flag, f] if t == "test" && (flag == "-e" || flag == "-f") => Some(("test", f.clone())),
        [open, flag, f, close] if open == "[" && close == "]" && (flag == "-e" || flag == "-f") => Some(("test", f.clone())),
        _ => None,
    }
}

/// A probe against a running container's simulated program, `uptime` ms after it started:
/// Ok, or the kubelet's failure text. httpGet and tcpSocket probes are judged against the
/// program's port and server; exec probes that read a file (`cat /tmp/healthy`) against the
/// files the program touches and removes. Other exec commands and gRPC probes pass (they
/// are not run).
pub fn probe_result(p: &core::Probe, program: &Program, ip: &str, c: &core::Container, uptime: u64) -> Result<(), String> {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let port_of = |v: &IntOrString| -> Option<u16> {
        match v {
            IntOrString::Int(i) => u16::try_from(*i).ok(),
            IntOrString::String(name) => c
                .ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .and_then(|p| u16::try_from(p.container_port).ok()),
        }
    };
    if let Some(h) = &p.http_get {
        let port = port_of(&h.port).unwrap_or(0);
        let path = h.path.clone().unwrap_or_else(|| "/".into());
        if program.listens != Some(port) {
            return Err(format!("Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"));
        }
        let status = match &program.http {
            Some(images::Http::NginxWelcome) if path != "/" && path != "/index.html" => 404,
            Some(images::Http::Liveness) => images::liveness_healthz(&path, uptime).0,
            Some(images::Http::Fixed(status, _)) => *status,
            Some(_) => 200,
            None => return Err(format!("Get \"http://{ip}:{port}{path}\": EOF")),
        };
        // The kubelet counts 200-399 as success.
        return if (200..400).contains(&status) { Ok(()) } else { Err(format!("HTTP probe failed with statuscode: {status}")) };
    }
    if let Some(t) = &p.tcp_socket {
        let port = port_of(&t.port).unwrap_or(0);
        if program.listens != Some(port) {
            return Err(format!("dial tcp {ip}:{port}: connect: connection refused"));
        }
    }
    if let Some((cmd, f)) = probed_file(&exec_words(p)) {
        if !program.file_exists(&f, uptime) {
            return Err(match cmd {
                "cat" => format!("cat: can't open '{f}': No such file or directory"),
                "ls" => format!("ls: {f}: No such file or directory"),
                _ => String::new(),
            });
        }
    }
    Ok(())
}

/// Uptimes at which a probe's result may change (the program's files, agnhost's 10 s).
fn probe_changes(p: &core::Probe, program: &Program) -> Vec<u64> {
    let mut out: Vec<u64> = match probed_file(&exec_words(p)) {
        Some((_, f)) => {
            program.files.iter().filter(|(_, path, _)| *path == f).map(|(t, _, _)| if *t == 0 { 0 } else { t + 1 }).collect()
        }
        None => vec![],
    };
    if p.http_get.is_some() && program.http == Some(images::Http::Liveness) {
        out.push(10_001);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A probe's schedule in ms: initial delay, period, failure threshold.
fn probe_timing(p: &core::Probe) -> (u64, u64, u64) {
    let ms = |v: Option<i32>, d: i32| u64::try_from(v.unwrap_or(d).max(0)).unwrap_or(0) * 1000;
    (
        ms(p.initial_delay_seconds, 0),
        ms(p.period_seconds, 10).max(1000),
        u64::try_from(p.failure_threshold.unwrap_or(3).max(1)).unwrap_or(1),
    )
}

/// The first probe time (uptime) at or after `at`.
fn probe_time_from(at: u64, delay: u64, period: u64) -> u64 {
    if at <= delay {
        delay
    } else {
        delay + (at - delay).div_ceil(period) * period
    }
}

/// When a probe first fails and when it has failed `failureThreshold` times in a row, as
/// uptimes, with the failure text; `None` if it never fails that often.
fn failure_streak(p: &core::Probe, program: &Program, ip: &str, c: &core::Container) -> Option<(u64, u64, String)> {
    let (delay, period, threshold) = probe_timing(p);
    let mut bounds = vec![0];
    bounds.extend(probe_changes(p, program));
    bounds.push(u64::MAX / 4);
    let mut first_fail: Option<(u64, String)> = None;
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let t = probe_time_from(a, delay, period);
        if t >= b {
            continue;
        }
        match probe_result(p, program, ip, c, t) {
            Ok(()) => first_fail = None,
            Err(msg) => {
                let (first, msg) = first_fail.get_or_insert((t, msg)).clone();
                let kill = first + (threshold - 1) * period;
                if kill < b {
                    return Some((first, kill, msg));
                }
            }
        }
    }
    None
}

/// Whether a readiness probe reports ready at `uptime`: it has passed once, and has not
/// failed `failureThreshold` times in a row since. The second value is when to look again.
fn readiness_at(p: &core::Probe, program: &Program, ip: &str, c: &core::Container, uptime: u64) -> (bool, Option<u64>) {
    let (delay, period, threshold) = probe_timing(p);
    if uptime < delay {
        return (false, Some(delay));
    }
    let last = delay + (uptime - delay) / period * period;
    let next_change = probe_changes(p, program).into_iter().find(|t| *t > uptime).map(|t| probe_time_from(t, delay, period));
    let mut failures = 0;
    let mut t = last;
    loop {
        if probe_result(p, program, ip, c, t).is_ok() {
            let ready = failures < threshold;
            // Still counting failures towards the threshold: look again at the next probe.
            let again = if failures > 0 && ready { Some(last + period) } else { next_change };
            return (ready, again);
        }
        failures += 1;
        if failures >= threshold || t < delay + period {
            // Failed often enough, or never passed yet: not ready until the result changes.
            return (false, next_change);
        }
        t -= period;
    }
}

/// The runtime state of one pod on its node.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PodRuntime {
    pub node: String,
    pub ip: String,
    pub started_ms: u64,
    /// Boxed: a B-tree leaf holds eleven slots even for a pod's one container.
    pub containers: BTreeMap<String, Box<ContainerRt>>,
    /// Init containers done, in order.
    pub inits_done: usize,
    /// When killing started (deletion), and when it will be done.
    pub killing: Option<u64>,
    /// How long the containers' preStop hooks run once killing starts (the longest).
    pub pre_stop_ms: u64,
    /// The pod generation whose container resources the kubelet last judged (admitted,
    /// or held back in `resize_pending`).
    pub allocated_generation: i64,
    /// A resize the kubelet holds back (the PodResizePending condition).
    pub resize_pending: Option<Box<crate::resize::Pending>>,
}

/// Kubernetes' `$(VAR)` expansion: references to defined variables are replaced, `$$`
/// escapes a `$`, and undefined references stay as written.
pub fn expand_vars(s: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match env.get(name) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&format!("$({name})")),
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push('$');
                    rest = after;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The container's environment, resolved as the kubelet does: literal values, `valueFrom`
/// ConfigMap and Secret keys, and `envFrom`. A missing ConfigMap, Secret or key (not marked
/// optional) is the kubelet's CreateContainerConfigError message.
/// The variables the kubelet injects for the Services of a namespace (`enableServiceLinks`)
/// and for the `kubernetes` Service: `WEB_SERVICE_HOST`, `WEB_PORT_80_TCP`, ...
pub fn service_env(world: &World, ns: &str) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    // Every container start builds these, so the names are built with one allocation each.
    let mut add = |s: &core::Service| {
        let Some(spec) = s.spec.as_ref() else { return };
        let ip = spec.cluster_ip.as_deref().unwrap_or_default();
        if ip.is_empty() || ip == "None" {
            return;
        }
        let Some(ports) = spec.ports.as_deref() else { return };
        let Some(first) = ports.first() else { return };
        let name = s.metadata.name.as_deref().unwrap_or_default().to_uppercase().replace('-', "_");
        let var = |suffix: &str| {
            let mut v = String::with_capacity(name.len() + suffix.len());
            v.push_str(&name);
            v.push_str(suffix);
            v
        };
        env.insert(var("_SERVICE_HOST"), ip.to_string());
        env.insert(var("_SERVICE_PORT"), first.port.to_string());
        for p in ports {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            let lower = proto.to_lowercase();
            let port = p.port.to_string();
            if let Some(pn) = p.name.as_ref().filter(|n| !n.is_empty()) {
                env.insert(var(&format!("_SERVICE_PORT_{}", pn.to_uppercase().replace('-', "_"))), port.clone());
            }
            let base = var(&format!("_PORT_{port}_{proto}"));
            env.insert(format!("{base}_PROTO"), lower.clone());
            env.insert(format!("{base}_PORT"), port.clone());
            env.insert(format!("{base}_ADDR"), ip.to_string());
            env.insert(base, format!("{lower}://{ip}:{port}"));
        }
        let proto = first.protocol.as_deref().unwrap_or("TCP").to_lowercase();
        env.insert(var("_PORT"), format!("{proto}://{ip}:{}", first.port));
    };
    for o in world.store().list(crate::kinds::Kind::Service, Some(ns)) {
        if let Object::Service(s) = o {
            add(s);
        }
    }
    if ns != "default" {
        if let Some(Object::Service(s)) = world.store().get(crate::kinds::Kind::Service, "default", "kubernetes") {
            add(s);
        }
    }
    env
}

/// Labels or annotations as a downward API file holds them: `key="value"` lines, sorted,
/// without a final newline (the kubelet's `fieldpath.FormatMap`).
fn format_map(m: Option<&BTreeMap<String, String>>) -> String {
    m.into_iter().flatten().map(|(k, v)| format!("{k}={v:?}")).collect::<Vec<_>>().join("\n")
}

/// A downward API volume file's `fieldRef` value: like the environment's, plus the whole
/// `metadata.labels` and `metadata.annotations` maps.
pub fn volume_field_value(world: &World, pod: &core::Pod, path: &str) -> String {
    match path {
        "metadata.labels" => format_map(pod.metadata.labels.as_ref()),
        "metadata.annotations" => {
            // The kubelet's own copy of the pod carries two annotations of its source.
            let mut all = pod.metadata.annotations.clone().unwrap_or_default();
            if let Some(seen) = world.runtime(&ObjRef::of_pod(pod)).map(|rt| rt.started_ms) {
                all.insert("kubernetes.io/config.seen".into(), rfc3339_nano(seen));
                all.insert("kubernetes.io/config.source".into(), "api".into());
            }
            format_map(Some(&all))
        }
        p => field_value(world, pod, p),
    }
}

/// Go's RFC 3339 with nanoseconds, trailing zeros trimmed (`2026-01-01T00:00:03.25Z`).
fn rfc3339_nano(ms: u64) -> String {
    let whole = crate::world::time_at(ms).0.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    match ms % 1000 {
        0 => format!("{whole}Z"),
        frac => format!("{whole}.{}Z", format!("{frac:03}").trim_end_matches('0')),
    }
}

/// A downward API `resourceFieldRef` value: the container's request or limit divided by the
/// divisor (default 1) and rounded up; an unset limit reads as the node's allocatable.
pub fn resource_field_value(world: &World, pod: &core::Pod, c: &core::Container, rf: &core::ResourceFieldSelector) -> String {
    let (kind, res) = rf.resource.split_once('.').unwrap_or(("", rf.resource.as_str()));
    let r = c.resources.as_ref();
    let set = match kind {
        "limits" => r.and_then(|r| r.limits.as_ref()),
        _ => r.and_then(|r| r.requests.as_ref()),
    }
    .and_then(|m| m.get(res))
    .and_then(|q| crate::quantity::parse(&q.0));
    let node_alloc = || {
        let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("");
        match world.store().get(crate::kinds::Kind::Node, "", node) {
            Some(Object::Node(n)) => n
                .status
                .as_ref()
                .and_then(|s| s.allocatable.as_ref())
                .and_then(|a| a.get(res))
                .and_then(|q| crate::quantity::parse(&q.0)),
            _ => None,
        }
    };
    let value = match (set, kind) {
        (Some(v), _) => v,
        (None, "limits") => node_alloc().unwrap_or(0),
        (None, _) => 0,
    };
    let divisor = rf.divisor.as_ref().and_then(|d| crate::quantity::parse(&d.0)).filter(|d| *d > 0).unwrap_or(1000);
    // Both are in thousandths: ceil(value / divisor).
    ((value + divisor - 1).div_euclid(divisor)).to_string()
}

/// A downward API `fieldRef` value.
fn field_value(world: &World, pod: &core::Pod, path: &str) -> String {
    let m = &pod.metadata;
    let quoted = |p: &str, prefix: &str| p.strip_prefix(prefix).map(|k| k.trim_end_matches("']").to_string());
    match path {
        "metadata.name" => m.name.clone().unwrap_or_default(),
        "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
        "metadata.uid" => m.uid.clone().unwrap_or_default(),
        "spec.nodeName" => pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
        "spec.serviceAccountName" => pod.spec.as_ref().and_then(|s| s.service_account_name.clone()).unwrap_or_default(),
        "status.hostIP" => pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).map(|n| world.node_ip(n)).unwrap_or_default(),
        "status.podIP" => pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .or_else(|| world.runtime(&crate::store::ObjRef::of_pod(pod)).map(|rt| rt.ip.clone()))
            .unwrap_or_default(),
        p => {
            if let Some(k) = quoted(p, "metadata.labels['") {
                m.labels.as_ref().and_then(|l| l.get(&k)).cloned().unwrap_or_default()
            } else if let Some(k) = quoted(p, "metadata.annotations['") {
                m.annotations.as_ref().and_then(|a| a.get(&k)).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    }
}

/// An ephemeral container (`kubectl debug`) as the container it runs as: the same fields,
/// without the ones an ephemeral container may not set.
pub fn ephemeral_as_container(e: &core::EphemeralContainer) -> core::Container {
    core::Container {
        name: e.name.clone(),
        image: e.image.clone(),
        image_pull_policy: e.image_pull_policy.clone(),
        command: e.command.clone(),
        args: e.args.clone(),
        working_dir: e.working_dir.clone(),
        env: e.env.clone(),
        env_from: e.env_from.clone(),
        volume_mounts: e.volume_mounts.clone(),
        volume_devices: e.volume_devices.clone(),
        termination_message_path: e.termination_message_path.clone(),
        termination_message_policy: e.termination_message_policy.clone(),
        security_context: e.security_context.clone(),
        stdin: e.stdin,
        stdin_once: e.stdin_once,
        tty: e.tty,
        ports: e.ports.clone(),
        resources: e.resources.clone(),
        resize_policy: e.resize_policy.clone(),
        restart_policy: e.restart_policy.clone(),
        lifecycle: e.lifecycle.clone(),
        liveness_probe: e.liveness_probe.clone(),
        readiness_probe: e.readiness_probe.clone(),
        startup_probe: e.startup_probe.clone(),
        ..Default::default()
    }
}

/// The status of the pod's container, init container or ephemeral container called `name`.
pub fn pod_container_status<'a>(pod: &'a core::Pod, name: &str) -> Option<&'a core::ContainerStatus> {
    let st = pod.status.as_ref()?;
    st.container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .chain(st.ephemeral_container_statuses.iter().flatten())
        .find(|c| c.name == name)
}

/// The pod's container, init container or ephemeral container called `name`.
pub fn pod_container(spec: &core::PodSpec, name: &str) -> Option<core::Container> {
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == name)
        .cloned()
        .or_else(|| spec.ephemeral_containers.iter().flatten().find(|e| e.name == name).map(ephemeral_as_container))
}

/// Where a container's processes start: its `workingDir`, else the image's.
pub fn container_workdir(c: &core::Container, family: &str) -> String {
    c.working_dir.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| images::workdir(family).to_string())
}

/// Who a container's processes run as: its securityContext over the pod's (runAsUser,
/// runAsGroup), with the pod's fsGroup and supplementalGroups as supplementary groups.
pub fn container_user(pod: &core::Pod, c: &core::Container) -> images::User {
    let psc = pod.spec.as_ref().and_then(|s| s.security_context.as_ref());
    let csc = c.security_context.as_ref();
    let uid = csc.and_then(|s| s.run_as_user).or_else(|| psc.and_then(|s| s.run_as_user)).unwrap_or(0);
    let gid = csc.and_then(|s| s.run_as_group).or_else(|| psc.and_then(|s| s.run_as_group)).unwrap_or(0);
    let mut groups = vec![gid];
    groups.extend(psc.and_then(|s| s.fs_group));
    groups.extend(psc.and_then(|s| s.supplemental_groups.clone()).unwrap_or_default());
    groups.sort_unstable();
    groups.dedup();
    let family = c.image.as_deref().and_then(|i| images::lookup(i).ok()).map_or("", |i| i.family);
    images::User { uid, gid, groups, busybox: family == "busybox" }
}

/// A container's environment as the kubelet builds it at start: Service links (unless
/// `enableServiceLinks: false`; the `kubernetes` Service always), then `envFrom`, then `env`.
pub fn container_env(world: &World, pod: &core::Pod, c: &core::Container) -> Result<BTreeMap<String, String>, String> {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let links = pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true);
    let mut env = if links {
        service_env(world, &ns)
    } else {
        let mut e = BTreeMap::new();
        if let Some(Object::Service(s)) = world.store().get(crate::kinds::Kind::Service, "default", "kubernetes") {
            let ip = s.spec.as_ref().and_then(|sp| sp.cluster_ip.clone()).unwrap_or_default();
            e.insert("KUBERNETES_SERVICE_HOST".into(), ip);
            e.insert("KUBERNETES_SERVICE_PORT".into(), "443".into());
        }
        e
    };
    env.extend(resolve_env(world, pod, c)?);
    // The container's hostname: spec.hostname, else the pod's name.
    let hostname = pod.spec.as_ref().and_then(|s| s.hostname.clone()).filter(|h| !h.is_empty());
    env.entry("HOSTNAME".into()).or_insert_with(|| hostname.unwrap_or_else(|| pod.metadata.name.clone().unwrap_or_default()));
    Ok(env)
}

/// The variables a container's spec defines (`envFrom`, `env`), or why one cannot be set.
pub fn resolve_env(world: &World, pod: &core::Pod, c: &core::Container) -> Result<BTreeMap<String, String>, String> {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let ns = ns.as_str();
    let cm = |name: &str| match world.store().get(crate::kinds::Kind::ConfigMap, ns, name) {
        Some(Object::ConfigMap(m)) => Some(m.data.clone().unwrap_or_default()),
        _ => None,
    };
    let secret = |name: &str| match world.store().get(crate::kinds::Kind::Secret, ns, name) {
        Some(Object::Secret(s)) => Some(
            s.data
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).to_string()))
                .collect::<BTreeMap<_, _>>(),
        ),
        _ => None,
    };
    let mut env = BTreeMap::new();
    for from in c.env_from.iter().flatten() {
        let prefix = from.prefix.clone().unwrap_or_default();
        if let Some(r) = &from.config_map_ref {
            match cm(&r.name) {
                Some(d) => env.extend(d.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v))),
                None if r.optional == Some(true) => {}
                None => return Err(format!("configmap {:?} not found", r.name)),
            }
        }
        if let Some(r) = &from.secret_ref {
            match secret(&r.name) {
                Some(d) => env.extend(d.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v))),
                None if r.optional == Some(true) => {}
                None => return Err(format!("secret {:?} not found", r.name)),
            }
        }
    }
    for e in c.env.iter().flatten() {
        if let Some(v) = &e.value {
            let v = expand_vars(v, &env);
            env.insert(e.name.clone(), v);
        } else if let Some(from) = &e.value_from {
            if let Some(k) = &from.config_map_key_ref {
                match cm(&k.name) {
                    Some(d) => match d.get(&k.key) {
                        Some(v) => {
                            env.insert(e.name.clone(), v.clone());
                        }
                        None if k.optional == Some(true) => {}
                        None => return Err(format!("couldn't find key {} in ConfigMap {ns}/{}", k.key, k.name)),
                    },
                    None if k.optional == Some(true) => {}
                    None => return Err(format!("configmap {:?} not found", k.name)),
                }
            } else if let Some(k) = &from.secret_key_ref {
                match secret(&k.name) {
                    Some(d) => match d.get(&k.key) {
                        Some(v) => {
                            env.insert(e.name.clone(), v.clone());
                        }
                        None if k.optional == Some(true) => {}
                        None => return Err(format!("couldn't find key {} in Secret {ns}/{}", k.key, k.name)),
                    },
                    None if k.optional == Some(true) => {}
                    None => return Err(format!("secret {:?} not found", k.name)),
                }
            } else if let Some(f) = &from.field_ref {
                env.insert(e.name.clone(), field_value(world, pod, &f.field_path));
            } else if let Some(rf) = &from.resource_field_ref {
                // In `env` the container defaults to the one being started.
                let target = rf
                    .container_name
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .and_then(|n| pod.spec.as_ref().and_then(|s| s.containers.iter().find(|x| x.name == n)))
                    .unwrap_or(c);
                env.insert(e.name.clone(), resource_field_value(world, pod, target, rf));
            }
        } else {
            env.insert(e.name.clone(), String::new());
        }
    }
    Ok(env)
}

fn pod_full_name(p: &core::Pod) -> String {
    format!(
        "{}_{}({})",
        p.metadata.name.clone().unwrap_or_default(),
        p.metadata.namespace.clone().unwrap_or_default(),
        p.metadata.uid.clone().unwrap_or_default()
    )
}

struct Ctx<'a> {
    world: &'a World,
    now: u64,
    r: &'a ObjRef,
    out: Outcome,
    next: Option<u64>,
}

impl Ctx<'_> {
    fn event(&mut self, ty: EventType, reason: &str, message: String) {
        self.out.writes.push(Write::Event {
            about: self.r.clone(),
            ty,
            reason: reason.into(),
            message,
            component: "kubelet".into(),
        });
    }

    /// An event about one of the pod's containers (its object reference names the
    /// container: `spec.containers{nginx}`).
    fn c_event(&mut self, container: &str, ty: EventType, reason: &str, message: String) {
        let field_path = match self.world.store().get_ref(self.r) {
            Some(Object::Pod(p)) => crate::events::container_field_path(p, container),
            _ => format!("spec.containers{{{container}}}"),
        };
        self.out.writes.push(Write::ContainerEvent { about: self.r.clone(), field_path, ty, reason: reason.into(), message });
    }

    fn wake(&mut self, t: u64) {
        self.next = Some(self.next.map_or(t, |n| n.min(t)));
    }
}

/// How long after a start the kubelet wakes to store an endless program's file writes.
const WRITE_WAKE_MS: u64 = 5_000;

/// Stores the program's file writes made up to `upto` ms after its start (the termination
/// log stays with the kubelet).
fn store_writes(ctx: &mut Ctx<'_>, crt: &mut ContainerRt, c: &core::Container, upto: u64) {
    while let Some((t, path, text)) = crt.program.writes.get(crt.writes_applied as usize) {
        if *t > upto {
            break;
        }
        if !path.starts_with("/dev/") {
            ctx.out.writes.push(Write::StoreFile {
                pod: ctx.r.clone(),
                container: c.name.clone(),
                path: path.clone(),
                text: text.clone(),
            });
        }
        crt.writes_applied += 1;
    }
}

/// The termination message of an instance that exited `after` ms in: what it wrote to its
/// terminationMessagePath, or with `FallbackToLogsOnError` the end of a failed one's log.
fn termination_message(c: &core::Container, crt: &ContainerRt, code: i32, after: u64) -> Option<String> {
    let path = c.termination_message_path.as_deref().unwrap_or("/dev/termination-log");
    let written = crt.program.writes.iter().rfind(|(t, p, _)| *t <= after && p == path).and_then(|(_, _, text)| text.clone());
    match written.filter(|t| !t.is_empty()) {
        Some(t) => Some(t.chars().take(4096).collect()),
        None if code != 0 && c.termination_message_policy.as_deref() == Some("FallbackToLogsOnError") => {
            let lines: Vec<&str> = crt.program.logs.iter().filter(|(t, _)| *t <= after).map(|(_, l)| l.as_str()).collect();
            let tail = lines[lines.len().saturating_sub(80)..].join("\n");
            let start = tail.len().saturating_sub(2048);
            let start = (start..=tail.len()).find(|i| tail.is_char_boundary(*i)).unwrap_or(tail.len());
            Some(tail[start..].to_string())
        }
        None => None,
    }
}

/// Starts a container instance: pull (by policy and the node's cache) or go straight to
/// creating, with the kubelet's events.
fn begin(ctx: &mut Ctx<'_>, c: &core::Container, node: &str) -> CState {
    let now = ctx.now;
    let image = c.image.clone().unwrap_or_default();
    let pull_policy = c.image_pull_policy.clone().unwrap_or_else(|| "IfNotPresent".into());
    let full = images::normalize(&image);
    let present = ctx.world.node_has_image(node, &full);
    if let Some(detail) = images::reference_error(&image) {
        // The image manager's applyDefaultImageTag fails before any pull.
        let msg = format!("Failed to apply default image tag {image:?}: couldn't parse image name {image:?}: {detail}");
        ctx.c_event(&c.name, EventType::Warning, "InspectFailed", msg.clone());
        ctx.c_event(&c.name, EventType::Warning, "Failed", "Error: InvalidImageName".into());
        CState::InvalidName { message: msg }
    } else if pull_policy == "Never" && !present {
        let msg = format!("Container image {image:?} is not present with pull policy of Never");
        ctx.c_event(&c.name, EventType::Warning, "ErrImageNeverPull", msg.clone());
        CState::NeverPull { message: msg }
    } else if pull_policy == "Always" || !present {
        ctx.c_event(&c.name, EventType::Normal, "Pulling", format!("Pulling image {image:?}"));
        // A cached image only needs its manifest checked.
        let ms = match images::lookup(&image) {
            Ok(_) if present => 600,
            Ok(i) => images::pull_ms(i.size_bytes),
            Err(_) => 1500,
        };
        ctx.wake(now + ms);
        CState::Pulling { until: now + ms, started: now }
    } else {
        ctx.c_event(
            &c.name,
            EventType::Normal,
            "Pulled",
            format!("Container image {image:?} already present on machine and can be accessed by the pod"),
        );
        ctx.wake(now + CREATE_MS);
        CState::Creating { until: now + CREATE_MS }
    }
}

/// A duration as Go's `time.Duration.String()` prints it: `726ms`, `1.5s`, `1m2.25s`.
fn fmt_secs(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, m, rest) = (ms / 3_600_000, ms / 60_000 % 60, ms % 60_000);
    let secs = format!("{}.{:03}", rest / 1000, rest % 1000);
    let secs = secs.trim_end_matches('0').trim_end_matches('.');
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

#[cfg(test)]
mod duration_tests {
    #[test]
    fn pull_times_print_as_go_durations() {
        assert_eq!(super::fmt_secs(726), "726ms");
        assert_eq!(super::fmt_secs(1_500), "1.5s");
        assert_eq!(super::fmt_secs(12_000), "12s");
        assert_eq!(super::fmt_secs(62_250), "1m2.25s");
        assert_eq!(super::fmt_secs(3_600_000), "1h0m0s");
    }
}

/// Advances one container's state to `now`. `restartable` says whether the pod's restart
/// policy restarts this exit code.
fn advance(ctx: &mut Ctx<'_>, rt: &mut PodRuntime, c: &core::Container, pod: &core::Pod, policy: &str) {
    let now = ctx.now;
    let image = c.image.clone().unwrap_or_default();
    let node = rt.node.clone();
    if !rt.containers.contains_key(&c.name) {
        let state = begin(ctx, c, &node);
        let full = images::normalize(image.split('@').next().unwrap_or(&image));
        let (image_full, image_id) = match images::lookup(&image) {
            Ok(i) => (i.full, i.digest_ref),
            Err(_) => (full, String::new()),
        };
        rt.containers.insert(
            c.name.clone(),
            Box::new(ContainerRt {
                state,
                restart_count: 0,
                backoff_ms: 0,
                pull_backoff_ms: 0,
                program: Program::default(),
                container_id: String::new(),
                image_id,
                image_full,
                previous: None,
                last_exit: None,
                prev_exit: None,
                probe_ready: false,
                unhealthy_reported: false,
                liveness_reported: 0,
                env: BTreeMap::new(),
                termination_message: None,
                writes_applied: 0,
                resize_restart: false,
                prev_container_id: String::new(),
            }),
        );
    }
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let ip = rt.ip.clone();
    let Some(crt) = rt.containers.get_mut(&c.name) else { return };
    // The pod's image changed (`kubectl set image pod/...`, a patch): the container's spec
    // hash no longer matches, so the kubelet kills it and starts it again with the new
    // image; a container still waiting for its old image starts pulling the new one.
    // A regular init container that runs is left to finish (computeInitContainerActions);
    // a sidecar is restarted, with its own wording.
    let init = pod.spec.as_ref().and_then(|s| s.init_containers.as_ref()).is_some_and(|v| v.iter().any(|x| x.name == c.name));
    if images::normalize(image.split('@').next().unwrap_or(&image)) != crt.image_full && (!init || is_sidecar(c)) {
        match crt.state {
            CState::Running { since } if !crt.resize_restart => {
                let why = if init {
                    format!("Init container {} definition changed", c.name)
                } else {
                    format!("Container {} definition changed, will be restarted", c.name)
                };
                kill_to_restart(ctx, crt, c, now - since, why);
                crt.resize_restart = true;
            }
            CState::PullBackOff { .. } | CState::NeverPull { .. } | CState::InvalidName { .. } => {
                set_image(crt, &image);
                crt.pull_backoff_ms = 0;
                crt.state = begin(ctx, c, &node);
            }
            _ => {}
        }
    }
    // Bounded: each pass moves the state machine forward at most a few steps.
    for _ in 0..8 {
        match crt.state.clone() {
            CState::Pulling { until, started } => {
                if now < until {
                    ctx.wake(until);
                    return;
                }
                match images::lookup(&image) {
                    Ok(info) => {
                        let took = until - started;
                        ctx.out.writes.push(Write::ImagePulled(node.clone(), info.full.clone()));
                        ctx.c_event(
                            &c.name,
                            EventType::Normal,
                            "Pulled",
                            format!(
                                "Successfully pulled image {image:?} in {} ({} including waiting). Image size: {} bytes.",
                                fmt_secs(took),
                                fmt_secs(took),
                                info.size_bytes
                            ),
                        );
                        crt.pull_backoff_ms = 0;
                        crt.state = CState::Creating { until: until + CREATE_MS };
                    }
                    Err(e) => {
                        ctx.c_event(
                            &c.name,
                            EventType::Warning,
                            "Failed",
                            format!("Failed to pull image {image:?}: {}", e.message()),
                        );
                        ctx.c_event(&c.name, EventType::Warning, "Failed", "Error: ErrImagePull".into());
                        crt.pull_backoff_ms = if crt.pull_backoff_ms == 0 {
                            BACKOFF_START_MS
                        } else {
                            (crt.pull_backoff_ms * 2).min(BACKOFF_MAX_MS)
                        };
                        let msg = e.message();
                        crt.state = CState::PullBackOff { until: now + crt.pull_backoff_ms, message: msg, shown_backoff: false };
                        // The next sync shows ImagePullBackOff.
                        ctx.wake(now + 1000);
                        return;
                    }
                }
            }
            CState::PullBackOff { until, message, shown_backoff } => {
                if now >= until {
                    ctx.c_event(&c.name, EventType::Normal, "Pulling", format!("Pulling image {image:?}"));
                    let ms = 1500;
                    crt.state = CState::Pulling { until: now + ms, started: now };
                    ctx.wake(now + ms);
                    return;
                }
                if !shown_backoff {
                    ctx.c_event(&c.name, EventType::Normal, "BackOff", format!("Back-off pulling image {image:?}"));
                    ctx.c_event(&c.name, EventType::Warning, "Failed", "Error: ImagePullBackOff".into());
                    crt.state = CState::PullBackOff { until, message, shown_backoff: true };
                }
                ctx.wake(until);
                return;
            }
            CState::NeverPull { .. } | CState::InvalidName { .. } => return,
            CState::ConfigError { retry_at, .. } => {
                if now < retry_at {
                    ctx.wake(retry_at);
                    return;
                }
                crt.state = CState::Creating { until: now };
            }
            CState::Creating { until } => {
                if now < until {
                    ctx.wake(until);
                    return;
                }
                let env = match container_env(ctx.world, pod, c) {
                    Ok(env) => env,
                    Err(message) => {
                        ctx.c_event(&c.name, EventType::Warning, "Failed", format!("Error: {message}"));
                        // Retried with the container back-off: 10 s doubling to 5 min.
                        crt.backoff_ms =
                            if crt.backoff_ms == 0 { BACKOFF_START_MS } else { (crt.backoff_ms * 2).min(BACKOFF_MAX_MS) };
                        crt.state = CState::ConfigError { message, retry_at: now + crt.backoff_ms };
                        ctx.wake(now + crt.backoff_ms);
                        return;
                    }
                };
                crt.program = start_program(ctx.world, pod, c, &image, &env, &ip, now);
                if crt.program.exit.is_none() {
                    crt.program.volumes_seen = mounted_versions(ctx.world, pod, c);
                }
                crt.writes_applied = 0;
                crt.env = env.clone();
                // Over its memory limit, the kernel's OOM killer ends the container shortly
                // after it starts allocating.
                if let (Some(limit), Some(used)) = (crate::resources::memory_limit(c), crt.program.memory_bytes) {
                    if i64::try_from(used).unwrap_or(i64::MAX) > limit {
                        crt.program.exit = Some((OOM_AFTER_MS, 137));
                    }
                }
                let id = images::container_id(&format!("{uid}/{}/{}", c.name, crt.restart_count));
                crt.prev_container_id = std::mem::replace(&mut crt.container_id, id);
                ctx.c_event(&c.name, EventType::Normal, "Created", "Container created".into());
                if let Some(e) = crt.program.start_error.clone() {
                    // containerd creates the task when starting: runc fails, the kubelet reports
                    // the error and treats the container as exited (128, StartError).
                    let message = format!(
                        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {e}: unknown"
                    );
                    ctx.c_event(&c.name, EventType::Warning, "Failed", format!("Error: {message}"));
                    crt.termination_message = Some(message);
                    exited(crt, policy, 128, "StartError", until, until.max(now));
                    continue;
                }
                ctx.c_event(&c.name, EventType::Normal, "Started", "Container started".into());
                post_start(ctx, pod, c, &image, &env, &ip);
                crt.state = CState::Running { since: until };
            }
            CState::Running { since } => {
                let uptime = now - since;
                // A loop waiting on the cluster (`until nslookup svc; do ...`) looks again now:
                // if it would end, its run so far is followed by the new outcome.
                if crt.program.reevaluate && crt.program.exit.is_none() && uptime > 0 {
                    let fresh = start_program(ctx.world, pod, c, &image, &crt.env, &ip, now);
                    if let Some((after, code)) = fresh.exit {
                        let mut logs: Vec<(u64, String)> =
                            crt.program.logs.iter().filter(|(t, _)| *t <= uptime).cloned().collect();
                        logs.extend(fresh.logs.iter().map(|(t, l)| (t + uptime, l.clone())));
                        crt.program.logs = logs;
                        crt.program.repeat = None;
                        crt.program.exit = Some((uptime + after, code));
                        crt.program.writes.retain(|(t, _, _)| *t <= uptime);
                        crt.program.writes.extend(fresh.writes.iter().map(|(t, p, x)| (t + uptime, p.clone(), x.clone())));
                        crt.program.files.extend(fresh.files.iter().map(|(t, p, x)| (t + uptime, p.clone(), *x)));
                    }
                }
                // A loop reading files from ConfigMap or Secret volumes sees them change: from
                // its next iteration (the next line it logs) it runs on the new contents.
                if crt.program.exit.is_none() && !crt.program.volumes_seen.is_empty() && uptime > 0 {
                    let seen = mounted_versions(ctx.world, pod, c);
                    if seen != crt.program.volumes_seen {
                        // The same run from the same start, with the new files: what it did
                        // before its next line stands, what it does from then on is the new
                        // run's (its counters and earlier output carry on).
                        let next = crt.program.logs.iter().map(|(t, _)| *t).find(|t| *t > uptime).unwrap_or(uptime);
                        let fresh = start_program(ctx.world, pod, c, &image, &crt.env, &ip, since);
                        crt.program.logs.retain(|(t, _)| *t < next);
                        crt.program.logs.extend(fresh.logs.iter().filter(|(t, _)| *t >= next).cloned());
                        crt.program.repeat = fresh.repeat;
                        crt.program.exit = fresh.exit;
                        crt.program.writes.retain(|(t, _, _)| *t < next);
                        crt.writes_applied = crt.writes_applied.min(crt.program.writes.len() as u32);
                        crt.program.writes.extend(fresh.writes.iter().filter(|(t, _, _)| *t >= next).cloned());
                        crt.program.files.retain(|(t, _, _)| *t < next);
                        crt.program.files.extend(fresh.files.iter().filter(|(t, _, _)| *t >= next).cloned());
                        crt.program.volumes_seen = seen;
                    }
                }
                // The files the process has written by now go to their storage.
                let limit = crt.program.exit.map_or(uptime, |(after, _)| uptime.min(after));
                store_writes(ctx, crt, c, limit);
                if let Some((t, _, _)) = crt.program.writes.get(crt.writes_applied as usize) {
                    // Wake for early writes, or any before a finite program ends; later writes
                    // of an endless loop are stored whenever the kubelet next looks.
                    if *t <= WRITE_WAKE_MS || crt.program.exit.is_some_and(|(after, _)| *t <= after) {
                        ctx.wake(since + t);
                    }
                }
                // The startup probe gates the others (simplified: judged at the current uptime).
                let started = c.startup_probe.as_ref().is_none_or(|p| probe_result(p, &crt.program, &ip, c, uptime).is_ok());
                // Liveness: after failureThreshold failed probes in a row the container is killed.
                if let (true, Some(p)) = (started, &c.liveness_probe) {
                    if let Some((first, kill, msg)) = failure_streak(p, &crt.program, &ip, c) {
                        if uptime < first {
                            ctx.wake(since + first);
                        } else {
                            // Every failed probe of the streak records its Unhealthy event
                            // (aggregated by the recorder as `(xN over ...)`).
                            let (_, period, threshold) = probe_timing(p);
                            let failed = ((uptime - first) / period + 1).min(threshold);
                            while u64::from(crt.liveness_reported) < failed {
                                crt.liveness_reported += 1;
                                ctx.c_event(&c.name, EventType::Warning, "Unhealthy", format!("Liveness probe failed: {msg}"));
                            }
                            if uptime < kill {
                                ctx.wake(since + first + u64::from(crt.liveness_reported) * period);
                            } else if crt.program.exit.is_none_or(|(after, _)| after > uptime) {
                                kill_to_restart(
                                    ctx,
                                    crt,
                                    c,
                                    uptime,
                                    format!("Container {} failed liveness probe, will be restarted", c.name),
                                );
                            }
                        }
                    }
                }
                // Readiness: ready once the probe passes, from initialDelaySeconds on.
                let fault_unready = ctx.world.fault_unready(ctx.r);
                if fault_unready && started && !crt.unhealthy_reported {
                    crt.unhealthy_reported = true;
                    ctx.c_event(
                        &c.name,
                        EventType::Warning,
                        "Unhealthy",
                        "Readiness probe failed: injected by kubeplay (fault unready)".into(),
                    );
                }
                crt.probe_ready = match (&c.readiness_probe, started) {
                    _ if fault_unready => false,
                    (_, false) => false,
                    (None, true) => true,
                    (Some(p), true) => {
                        let (ready, again) = readiness_at(p, &crt.program, &ip, c, uptime);
                        if let Some(at) = again {
                            ctx.wake(since + at);
                        }
                        if !ready && uptime >= probe_timing(p).0 && !crt.unhealthy_reported {
                            if let Err(msg) =
                                probe_result(p, &crt.program, &ip, c, uptime - (uptime - probe_timing(p).0) % probe_timing(p).1)
                            {
                                crt.unhealthy_reported = true;
                                ctx.c_event(&c.name, EventType::Warning, "Unhealthy", format!("Readiness probe failed: {msg}"));
                            }
                        }
                        ready
                    }
                };
                if let Some((after, code)) = crt.program.exit {
                    let at = since + after;
                    if now < at {
                        ctx.wake(at);
                        return;
                    }
                    let over_limit = crt
                        .program
                        .memory_bytes
                        .zip(crate::resources::memory_limit(c))
                        .is_some_and(|(u, l)| i64::try_from(u).unwrap_or(i64::MAX) > l);
                    let reason = match code {
                        0 => "Completed",
                        137 if over_limit => "OOMKilled",
                        _ => "Error",
                    };
                    crt.termination_message = termination_message(c, crt, code, after);
                    exited(crt, policy, code, reason, since, at);
                    continue;
                }
                return;
            }
            CState::Exited { started, finished, restart_at, .. } => {
                let Some(t) = restart_at else { return };
                if now < t {
                    if t > finished {
                        ctx.c_event(
                            &c.name,
                            EventType::Warning,
                            "BackOff",
                            format!("Back-off restarting failed container {} in pod {}", c.name, pod_full_name(pod)),
                        );
                    }
                    ctx.wake(t);
                    return;
                }
                crt.previous = Some((started, finished, crt.program.clone()));
                crt.restart_count += 1;
                set_image(crt, &image);
                crt.probe_ready = false;
                crt.unhealthy_reported = false;
                crt.liveness_reported = 0;
                crt.state = begin(ctx, c, &node);
            }
        }
    }
}

/// The kubelet stops a running container it will start again (a failed liveness probe, a
/// changed spec, a resize that needs a restart): a Killing event saying why, then SIGTERM,
/// which ends a server cleanly; a process ignoring it is killed (137).
fn kill_to_restart(ctx: &mut Ctx<'_>, crt: &mut ContainerRt, c: &core::Container, uptime: u64, why: String) {
    ctx.c_event(&c.name, EventType::Normal, "Killing", why);
    let code = if crt.program.ignores_sigterm { 137 } else { 0 };
    crt.program.exit = Some((uptime, code));
}

/// The image a container instance runs: what the status reports as `image` and `imageID`.
fn set_image(crt: &mut ContainerRt, image: &str) {
    let (full, id) = match images::lookup(image) {
        Ok(i) => (i.full, i.digest_ref),
        Err(_) => (images::normalize(image.split('@').next().unwrap_or(image)), String::new()),
    };
    crt.image_full = full;
    crt.image_id = id;
}

/// A container instance ended (`code`, `reason`) at `at` after starting at `since`: when it
/// restarts, by the pod's restart policy and the back-off (10 s doubling to 5 min, reset
/// after 10 minutes of running).
fn exited(crt: &mut ContainerRt, policy: &str, code: i32, reason: &str, since: u64, at: u64) {
    let restarts = match policy {
        "Always" => true,
        "OnFailure" => code != 0,
        _ => false,
    };
    let restart_at = if std::mem::take(&mut crt.resize_restart) {
        Some(at)
    } else if restarts {
        if at - since >= BACKOFF_RESET_MS {
            crt.backoff_ms = 0;
        }
        let delay = crt.backoff_ms;
        crt.backoff_ms = if crt.backoff_ms == 0 { BACKOFF_START_MS } else { (crt.backoff_ms * 2).min(BACKOFF_MAX_MS) };
        Some(at + delay)
    } else {
        None
    };
    crt.prev_exit = crt.last_exit.replace((code, reason.to_string(), since, at));
    crt.state = CState::Exited { code, reason: reason.to_string(), started: since, finished: at, restart_at };
}

/// What `container_status` needs to know about the container's place in the pod.
#[derive(Clone, Copy)]
struct Place {
    /// The pod has init containers: containers not created yet wait as `PodInitializing`.
    pod_has_init: bool,
    is_init: bool,
    /// A restartable init container (`restartPolicy: Always`): ready while it runs and
    /// passes its readiness probe, like a regular container.
    sidecar: bool,
}

/// A terminated state of the instance whose container ID is `id`.
fn terminated_state(code: i32, reason: &str, started: u64, finished: u64, crt: &ContainerRt, id: &str) -> core::ContainerState {
    core::ContainerState {
        terminated: Some(core::ContainerStateTerminated {
            exit_code: code,
            reason: Some(reason.to_string()),
            message: crt.termination_message.clone(),
            // A container that never started reports the zero time (1970).
            started_at: Some(if reason == "StartError" {
                k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
            } else {
                time_at(started)
            }),
            finished_at: Some(time_at(finished)),
            container_id: Some(id.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One container's status. `alloc` is what the kubelet allocated to a resizable container
/// (not a plain init container): once the runtime has created it, the status reports it as
/// `allocatedResources` (requests) and `resources`.
fn container_status(
    c: &core::Container,
    crt: &ContainerRt,
    pod: &core::Pod,
    now: u64,
    place: Place,
    alloc: Option<&crate::resize::Allocated>,
) -> core::ContainerStatus {
    let waiting = |reason: &str, message: Option<String>| core::ContainerState {
        waiting: Some(core::ContainerStateWaiting { reason: Some(reason.into()), message }),
        ..Default::default()
    };
    // (Not while retrying a failed pull: that keeps its back-off status, below.)
    let restarting_now = matches!(crt.state, CState::Pulling { .. } | CState::Creating { .. })
        && crt.restart_count > 0
        && crt.last_exit.is_some()
        && crt.pull_backoff_ms == 0;
    // The kubelet's default waiting reason for a container it has not created yet.
    let not_created = if place.pod_has_init { "PodInitializing" } else { "ContainerCreating" };
    let (state, ready, started) = match &crt.state {
        // Restarting after a failed start: the kubelet's reason for it, until the next try.
        CState::Pulling { .. } | CState::Creating { .. }
            if restarting_now && crt.last_exit.as_ref().is_some_and(|(_, r, _, _)| r == "StartError") =>
        {
            (waiting("RunContainerError", crt.termination_message.clone()), false, false)
        }
        // Restarting: until the new instance exists, the dead one is the current state.
        CState::Pulling { .. } | CState::Creating { .. } if restarting_now => {
            let (code, reason, s, f) = crt.last_exit.clone().unwrap_or_default();
            (terminated_state(code, &reason, s, f, crt, &crt.container_id), false, false)
        }
        // Retrying a failed pull: the status keeps the back-off until this pull ends (the
        // kubelet reports a sync's result when the sync is over).
        CState::Pulling { .. } if crt.pull_backoff_ms > 0 => {
            let image = c.image.clone().unwrap_or_default();
            let detail = images::lookup(&image).err().map(|e| e.message()).unwrap_or_default();
            (waiting("ImagePullBackOff", Some(format!("Back-off pulling image {image:?}: ErrImagePull: {detail}"))), false, false)
        }
        CState::Pulling { .. } | CState::Creating { .. } => (waiting(not_created, None), false, false),
        CState::ConfigError { message, .. } => (waiting("CreateContainerConfigError", Some(message.clone())), false, false),
        CState::PullBackOff { message, shown_backoff, .. } => {
            if *shown_backoff {
                (
                    waiting(
                        "ImagePullBackOff",
                        Some(format!(
                            "Back-off pulling image {:?}: ErrImagePull: {message}",
                            c.image.clone().unwrap_or_default()
                        )),
                    ),
                    false,
                    false,
                )
            } else {
                (waiting("ErrImagePull", Some(message.clone())), false, false)
            }
        }
        CState::NeverPull { message } => (waiting("ErrImageNeverPull", Some(message.clone())), false, false),
        CState::InvalidName { message } => (waiting("InvalidImageName", Some(message.clone())), false, false),
        CState::Running { since } => (
            core::ContainerState {
                running: Some(core::ContainerStateRunning { started_at: Some(time_at(*since)) }),
                ..Default::default()
            },
            crt.probe_ready,
            true,
        ),
        CState::Exited { code, reason, started, finished, restart_at } => match restart_at {
            Some(t) if *t > now => {
                let delay = t - finished;
                if reason == "StartError" && delay == 0 {
                    // The kubelet's reason for the failed start, until the next attempt.
                    (waiting("RunContainerError", crt.termination_message.clone()), false, false)
                } else if delay == 0 {
                    (waiting("ContainerCreating", None), false, false)
                } else {
                    (
                        waiting(
                            "CrashLoopBackOff",
                            Some(format!(
                                "back-off {} restarting failed container={} pod={}",
                                crate::world::go_duration(delay),
                                c.name,
                                pod_full_name(pod)
                            )),
                        ),
                        false,
                        false,
                    )
                }
            }
            // A finished init container counts as ready (a sidecar that stopped does not).
            _ => (
                terminated_state(*code, reason, *started, *finished, crt, &crt.container_id),
                place.is_init && !place.sidecar && *code == 0,
                false,
            ),
        },
    };
    // A running init container is not ready: it has yet to finish. A sidecar is.
    let ready = ready && !(place.is_init && !place.sidecar && matches!(crt.state, CState::Running { .. }));
    // The last termination shows once the container has restarted or waits to.
    let show_last = crt.restart_count > 0 || matches!(&crt.state, CState::Exited { restart_at: Some(t), .. } if *t > now);
    let last_state = match (&crt.last_exit, show_last) {
        // While a restart is being created, the dead instance is still the current state,
        // and the one before it (if any) the last state.
        (Some(_), true) if restarting_now => match &crt.prev_exit {
            Some((code, reason, s, f)) if restarting_now => terminated_state(*code, reason, *s, *f, crt, &crt.prev_container_id),
            _ => core::ContainerState::default(),
        },
        (Some((code, reason, s, f)), true) if !matches!(crt.state, CState::Exited { restart_at: None, .. }) => {
            // An instance waiting to restart is the last one; once another was created, the
            // one before it.
            let id = if matches!(crt.state, CState::Exited { .. }) { &crt.container_id } else { &crt.prev_container_id };
            terminated_state(*code, reason, *s, *f, crt, id)
        }
        _ => core::ContainerState::default(),
    };
    // Until the runtime has created the container, the kubelet's default status names the
    // image as the spec does, with no image ID.
    let created = !crt.container_id.is_empty();
    core::ContainerStatus {
        name: c.name.clone(),
        image: if created { crt.image_full.clone() } else { c.image.clone().unwrap_or_default() },
        image_id: if created { crt.image_id.clone() } else { String::new() },
        container_id: if crt.container_id.is_empty() { None } else { Some(crt.container_id.clone()) },
        ready,
        started: Some(started),
        // The count goes up when the new instance starts, not when the old one dies.
        restart_count: if restarting_now { crt.restart_count - 1 } else { crt.restart_count },
        state: Some(state),
        last_state: Some(last_state),
        allocated_resources: alloc.filter(|_| !crt.container_id.is_empty()).and_then(|a| a.allocated_resources()),
        resources: alloc.filter(|_| !crt.container_id.is_empty()).map(|a| a.requirements()),
        // What the runtime reports of a created container: who it runs as (containerd 2's
        // CRI user).
        user: (!crt.container_id.is_empty()).then(|| {
            let u = container_user(pod, c);
            core::ContainerUser {
                linux: Some(core::LinuxContainerUser { uid: u.uid, gid: u.gid, supplemental_groups: Some(u.process_groups()) }),
            }
        }),
        // The kubelet fills the mounts in from the spec, created or not (the CRI does not
        // know the volumes' names).
        volume_mounts: mount_statuses(c),
        ..Default::default()
    }
}

/// A container's `volumeMounts` as its status reports them: a read-only mount says whether
/// it is recursively read-only (`Disabled` unless asked for).
fn mount_statuses(c: &core::Container) -> Option<Vec<core::VolumeMountStatus>> {
    let mounts: Vec<core::VolumeMountStatus> = c
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| {
            let ro = m.read_only == Some(true);
            let rro = m.recursive_read_only.clone().filter(|r| r == "Enabled" || r == "IfPossible");
            core::VolumeMountStatus {
                name: m.name.clone(),
                mount_path: m.mount_path.clone(),
                read_only: ro.then_some(true),
                recursive_read_only: ro.then(|| if rro.is_some() { "Enabled" } else { "Disabled" }.to_string()),
            }
        })
        .collect();
    (!mounts.is_empty()).then_some(mounts)
}

/// How long the allocation manager waits before trying a deferred resize again: 30 s the
/// first time, then every 3 minutes (`initialRetryDelay`, `retryDelay`).
const RESIZE_FIRST_RETRY_MS: u64 = 30_000;
const RESIZE_RETRY_MS: u64 = 180_000;

/// The allocation manager's `handlePodResourcesResize` for a pod whose spec changed (or
/// whose resize was deferred): compares the desired container resources with what was
/// allocated, then admits the resize (ResizeStarted; a container whose changed resource
/// has the `RestartContainer` policy is restarted; ResizeCompleted), or holds it back as
/// Infeasible (more than the node has) or Deferred (more than is free beside the node's
/// other pods), with a warning event when that judgement changes. Actuation is immediate:
/// the simulated runtime applies new limits at once, so `PodResizeInProgress` is set and
/// cleared in the same sync and never shows in the status.
fn resize(ctx: &mut Ctx<'_>, rt: &mut PodRuntime, pod: &core::Pod, spec: &core::PodSpec, node: &str, generation: i64) {
    use crate::resize::{Allocated, Change};
    let now = ctx.now;
    rt.allocated_generation = generation;
    let status = pod.status.as_ref();
    let find =
        |list: Option<&Vec<core::ContainerStatus>>, name: &str| list.into_iter().flatten().find(|s| s.name == name).cloned();
    let containers: Vec<(&core::Container, Change)> = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| (c, find(status.and_then(|s| s.init_container_statuses.as_ref()), &c.name)))
        .chain(spec.containers.iter().map(|c| (c, find(status.and_then(|s| s.container_statuses.as_ref()), &c.name))))
        .map(|(c, cs)| (c, Change::between(&Allocated::of(c), &Allocated::from_status(c, cs.as_ref()))))
        .collect();
    if !containers.iter().any(|(_, ch)| ch.any()) {
        // Nothing to resize (another field changed, or the resize was reverted).
        rt.resize_pending = None;
        return;
    }
    let Some(Object::Node(n)) = ctx.world.store().get(crate::Kind::Node, "", node) else { return };
    let allocatable = crate::scheduler::parse_allocatable(n).0;
    let desired = crate::resources::pod_requests(spec, false);
    // The node's other pods count at what they were allocated (their own pending resizes
    // do not hold room), as the kubelet's admission handler counts them.
    let others = ctx
        .world
        .store()
        .pods_on_node(node)
        .filter_map(|o| match o {
            Object::Pod(p) if crate::store::counts_for_scheduling(p) && ObjRef::of_pod(p) != *ctx.r => {
                Some(crate::resize::allocated_requests(p))
            }
            _ => None,
        })
        .fold(crate::resources::Res::default(), crate::resources::Res::plus);
    match crate::resize::judge(desired, others, allocatable) {
        Some((reason, message)) => {
            let changed = rt.resize_pending.as_ref().is_none_or(|p| p.reason != reason || p.message != message);
            let since = match &rt.resize_pending {
                Some(p) if p.reason == reason => p.since,
                _ => now,
            };
            if changed {
                let event = if reason == "Infeasible" { "ResizeInfeasible" } else { "ResizeDeferred" };
                let text = crate::resize::event_message(&format!("Pod resize {reason}"), spec, generation, Some(&message));
                ctx.event(EventType::Warning, event, text);
            }
            rt.resize_pending =
                Some(Box::new(crate::resize::Pending { reason: reason.into(), message, generation, since, probed: now }));
            if reason == "Deferred" {
                // Retries come 30 s after the resize was deferred, then every 3 minutes.
                let first = since + RESIZE_FIRST_RETRY_MS;
                let next = if now < first { first } else { first + ((now - first) / RESIZE_RETRY_MS + 1) * RESIZE_RETRY_MS };
                ctx.wake(next);
            }
        }
        None => {
            rt.resize_pending = None;
            ctx.event(
                EventType::Normal,
                "ResizeStarted",
                crate::resize::event_message("Pod resize started", spec, generation, None),
            );
            for (c, change) in &containers {
                if !change.any() || !change.needs_restart(c) {
                    continue;
                }
                let Some(crt) = rt.containers.get_mut(&c.name) else { continue };
                let CState::Running { since } = crt.state else { continue };
                kill_to_restart(ctx, crt, c, now - since, format!("Container {} resize requires restart", c.name));
                crt.resize_restart = true;
            }
            ctx.event(
                EventType::Normal,
                "ResizeCompleted",
                crate::resize::event_message("Pod resize completed", spec, generation, None),
            );
        }
    }
}

/// The kubelet's sync of one pod.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let now = world.now_ms();
    let Some(Object::Pod(pod)) = world.store().get_ref(r) else {
        let mut out = Outcome::default();
        out.writes.push(Write::ForgetRuntime(r.clone()));
        return out;
    };
    let Some(spec) = pod.spec.as_ref() else { return Outcome::default() };
    let Some(node) = spec.node_name.clone() else { return Outcome::default() };
    // A stopped node's kubelet does nothing; `start_node` requeues its pods.
    if world.node_stopped_at(&node).is_some() {
        return Outcome::default();
    }
    // No kubelet answers for a node that never registered: the pod stays Pending, and PodGC
    // deletes it once its quarantine has passed since the pod was created.
    if world.store().get(crate::Kind::Node, "", &node).is_none() && world.node_deleted_at(&node).is_none() {
        return crate::nodes::gc_orphan_pod(world, r, pod);
    }
    let mut ctx = Ctx { world, now, r, out: Outcome::default(), next: None };
    let mut rt = world.runtime(r).cloned().unwrap_or_default();
    let first = rt.node.is_empty();
    if first {
        rt.node = node.clone();
        rt.started_ms = now;
        rt.ip = world.peek_pod_ip(&node);
        ctx.out.writes.push(Write::AllocatePodIp(node.clone()));
    }
    // Deletion: stop containers, then remove the pod when they are gone or grace ends.
    if let Some(dt) = &pod.metadata.deletion_timestamp {
        let deadline = crate::world::ms_of(dt);
        let any_running = rt.containers.values().any(|c| matches!(c.state, CState::Running { .. }));
        let start = *rt.killing.get_or_insert(now);
        if start == now && any_running {
            let ephemeral = spec.ephemeral_containers.iter().flatten().map(|e| &e.name);
            // Sidecars stop after the containers they serve, the last started first.
            let sidecars = spec.init_containers.iter().flatten().rev().filter(|c| is_sidecar(c)).map(|c| &c.name);
            for name in spec.containers.iter().map(|c| &c.name).chain(ephemeral).chain(sidecars) {
                if rt.containers.get(name).is_some_and(|x| matches!(x.state, CState::Running { .. })) {
                    ctx.c_event(name, EventType::Normal, "Killing", format!("Stopping container {name}"));
                }
            }
        }
        // preStop hooks run first; SIGTERM follows when they end. A hook still running when
        // the grace period ends gets a one-off 2 s extension before SIGKILL.
        if start == now && any_running {
            let mut hooks = 0;
            for c in spec.containers.iter() {
                if rt.containers.get(&c.name).is_some_and(|x| matches!(x.state, CState::Running { .. })) {
                    hooks = hooks.max(pre_stop_ms(&ctx, pod, c, &rt).unwrap_or(0));
                }
            }
            rt.pre_stop_ms = hooks;
        }
        let hooks = rt.pre_stop_ms;
        let grace_ms = deadline.saturating_sub(start);
        let deadline = if any_running && hooks > grace_ms { deadline + 2000 } else { deadline };
        let stubborn = rt.containers.values().any(|c| matches!(c.state, CState::Running { .. }) && c.program.ignores_sigterm);
        // A bound pod's sandbox is torn down even before its containers run; a finished pod
        // has nothing left to tear down.
        let terminal = matches!(pod.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"));
        let done_at = if !any_running && !terminal {
            (start + TEARDOWN_MS).min(deadline.max(start))
        } else if !any_running {
            start
        } else if stubborn {
            deadline.max(start)
        } else {
            (start.saturating_add(hooks).saturating_add(STOP_MS)).min(deadline.max(start))
        };
        if now >= done_at {
            ctx.out.writes.push(Write::Remove(r.clone()));
            ctx.out.writes.push(Write::ForgetRuntime(r.clone()));
            return ctx.out;
        }
        ctx.out.writes.push(Write::Runtime(r.clone(), Box::new(rt)));
        ctx.out.requeue_after_ms = Some(done_at - now);
        return ctx.out;
    }
    let phase = pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return ctx.out;
    }
    let policy = spec.restart_policy.clone().unwrap_or_else(|| "Always".into());
    // Volumes first: the pod's claims must be bound before any container starts.
    if rt.containers.is_empty() && !matches!(crate::storage::claims_bound(world, &r.namespace, spec), Ok(true)) {
        ctx.out.writes.push(Write::Runtime(r.clone(), Box::new(rt)));
        // A claim change requeues the pod at once; this retry is the kubelet's slow loop.
        ctx.out.requeue_after_ms = Some(120_000);
        return ctx.out;
    }
    // The volume manager mounts the pod's volumes before the sandbox and any container
    // exist; a missing Secret or ConfigMap holds the pod in ContainerCreating, retried
    // with the kubelet's backoff (0.5 s doubling to 2 min 2 s), each failure an event.
    let unmounted = if rt.containers.is_empty() { missing_volume_source(world, &r.namespace, spec) } else { None };
    if let Some((volume, missing)) = &unmounted {
        let (attempts, at, next) = mount_retry(rt.started_ms, now);
        let message = format!("MountVolume.SetUp failed for volume {volume:?} : {missing}");
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        // One event per attempt, however often the pod is synced at the same instant.
        if at == now && world.event_count(&r.namespace, uid, "FailedMount", &message, "kubelet") < attempts {
            ctx.event(EventType::Warning, "FailedMount", message);
        }
        ctx.wake(next);
    }
    // The allocation manager: a changed generation may carry a resize; a deferred one is
    // tried again.
    let generation = pod.metadata.generation.unwrap_or(1);
    if first || rt.containers.is_empty() {
        rt.allocated_generation = generation;
    } else if rt.allocated_generation != generation || rt.resize_pending.as_ref().is_some_and(|p| p.reason == "Deferred") {
        resize(&mut ctx, &mut rt, pod, spec, &node, generation);
    }
    // SyncPod starts ephemeral containers (`kubectl debug`) first, so that they can debug
    // init containers too. They are never restarted.
    let ephemeral: Vec<core::Container> = spec.ephemeral_containers.iter().flatten().map(ephemeral_as_container).collect();
    if unmounted.is_none() {
        for c in &ephemeral {
            advance(&mut ctx, &mut rt, c, pod, "Never");
        }
    }
    // Init containers run one after another; each must exit 0. A sidecar (restartable init
    // container) only has to start: it keeps running, restarted whatever the pod's policy,
    // beside the init containers after it and the containers.
    let inits = spec.init_containers.clone().unwrap_or_default();
    let mut init_failed = false;
    let sidecars_stopping = rt.killing.is_some();
    if unmounted.is_none() && !sidecars_stopping {
        for c in inits[..rt.inits_done.min(inits.len())].iter().filter(|c| is_sidecar(c)) {
            advance(&mut ctx, &mut rt, c, pod, "Always");
        }
    }
    while unmounted.is_none() && rt.inits_done < inits.len() {
        let c = &inits[rt.inits_done];
        if is_sidecar(c) {
            advance(&mut ctx, &mut rt, c, pod, "Always");
            // The next one starts once this one has started (its startup probe passed).
            let ip = rt.ip.clone();
            let started = rt.containers.get(&c.name).is_some_and(|x| match &x.state {
                CState::Running { since } => {
                    c.startup_probe.as_ref().is_none_or(|p| probe_result(p, &x.program, &ip, c, now - since).is_ok())
                }
                _ => false,
            });
            if started {
                rt.inits_done += 1;
                continue;
            }
            break;
        }
        let init_policy = if policy == "Always" { "OnFailure" } else { policy.as_str() };
        advance(&mut ctx, &mut rt, c, pod, init_policy);
        match rt.containers.get(&c.name).map(|x| &x.state) {
            Some(CState::Exited { code: 0, .. }) => rt.inits_done += 1,
            Some(CState::Exited { restart_at: None, .. }) => {
                init_failed = true;
                break;
            }
            _ => break,
        }
    }
    if unmounted.is_none() && rt.inits_done == inits.len() {
        // SyncPod starts the containers one after another: each start pulls the image (pulls
        // are serialized), creates and starts it; a failed start moves on to the next.
        let mut previous_done = true;
        for c in &spec.containers {
            if !previous_done && !rt.containers.contains_key(&c.name) {
                break;
            }
            advance(&mut ctx, &mut rt, c, pod, &policy);
            previous_done = rt.containers.get(&c.name).is_some_and(|x| {
                matches!(
                    x.state,
                    CState::Running { .. }
                        | CState::Exited { .. }
                        | CState::PullBackOff { .. }
                        | CState::NeverPull { .. }
                        | CState::InvalidName { .. }
                        | CState::ConfigError { .. }
                )
            });
        }
    }
    // Once the containers are done for good (or an init container failed the pod), the
    // kubelet stops the sidecars: SIGTERM, then SIGKILL when the grace period ends.
    let mains_done = policy != "Always"
        && !spec.containers.is_empty()
        && spec
            .containers
            .iter()
            .all(|c| matches!(rt.containers.get(&c.name).map(|x| &x.state), Some(CState::Exited { restart_at: None, .. })));
    let pod_done = mains_done || init_failed;
    if pod_done {
        stop_sidecars(&mut ctx, &mut rt, &inits, spec);
    }
    // Compose the status.
    let mut status = pod.status.clone().unwrap_or_default();
    let st = &mut status;
    let pod_has_init = !inits.is_empty();
    let pending = |c: &core::Container| core::ContainerStatus {
        name: c.name.clone(),
        image: c.image.clone().unwrap_or_default(),
        image_id: String::new(),
        ready: false,
        restart_count: 0,
        started: Some(false),
        state: Some(core::ContainerState {
            waiting: Some(core::ContainerStateWaiting {
                reason: Some(if pod_has_init { "PodInitializing" } else { "ContainerCreating" }.into()),
                message: None,
            }),
            ..Default::default()
        }),
        last_state: Some(Default::default()),
        volume_mounts: mount_statuses(c),
        ..Default::default()
    };
    // What each container is allocated: its spec, unless a resize is held back, when the
    // last status still says what was allocated before.
    let old_statuses = pod.status.as_ref();
    let allocated = |c: &core::Container, list: Option<&Vec<core::ContainerStatus>>| {
        if rt.resize_pending.is_some() {
            crate::resize::Allocated::from_status(c, list.into_iter().flatten().find(|s| s.name == c.name))
        } else {
            crate::resize::Allocated::of(c)
        }
    };
    let init_statuses: Vec<core::ContainerStatus> = inits
        .iter()
        .map(|c| match rt.containers.get(&c.name) {
            Some(crt) => {
                // Only sidecars (restartable init containers) have a resizable allocation.
                let sidecar = is_sidecar(c);
                let alloc = sidecar.then(|| allocated(c, old_statuses.and_then(|s| s.init_container_statuses.as_ref())));
                container_status(c, crt, pod, now, Place { pod_has_init, is_init: true, sidecar }, alloc.as_ref())
            }
            None => pending(c),
        })
        .collect();
    let mut statuses: Vec<core::ContainerStatus> = Vec::with_capacity(spec.containers.len());
    for c in &spec.containers {
        match rt.containers.get(&c.name) {
            Some(crt) => {
                let alloc = allocated(c, old_statuses.and_then(|s| s.container_statuses.as_ref()));
                statuses.push(container_status(
                    c,
                    crt,
                    pod,
                    now,
                    Place { pod_has_init, is_init: false, sidecar: false },
                    Some(&alloc),
                ))
            }
            None => statuses.push(pending(c)),
        }
    }
    // Ephemeral containers: no allocation, never ready, and no `started` (the prober,
    // which sets it, does not look at them).
    let ephemeral_statuses: Vec<core::ContainerStatus> = ephemeral
        .iter()
        .map(|c| {
            let mut s = match rt.containers.get(&c.name) {
                Some(crt) => container_status(c, crt, pod, now, Place { pod_has_init, is_init: false, sidecar: false }, None),
                None => pending(c),
            };
            s.started = None;
            s.ready = false;
            s
        })
        .collect();
    // Sidecars count for readiness, ahead of the containers.
    let sidecar_statuses: Vec<&core::ContainerStatus> =
        init_statuses.iter().filter(|s| inits.iter().any(|c| c.name == s.name && is_sidecar(c))).collect();
    let all_ready = !statuses.is_empty() && statuses.iter().chain(sidecar_statuses.iter().copied()).all(|s| s.ready);
    // The kubelet's getPhase: a container is running, stopped (terminated, or waiting with
    // a last termination: between restarts) or waiting (not started yet). A running sidecar
    // keeps the pod Running; one that stopped does not count.
    let (mut running, mut stopped, mut succeeded, mut waiting) = (0, 0, 0, 0);
    for s in &sidecar_statuses {
        let state = s.state.clone().unwrap_or_default();
        if state.running.is_some() {
            running += 1;
        } else if state.waiting.is_some() && s.last_state.as_ref().is_none_or(|l| l.terminated.is_none()) && !pod_done {
            waiting += 1;
        }
    }
    for s in &statuses {
        let state = s.state.clone().unwrap_or_default();
        if state.running.is_some() {
            running += 1;
        } else if let Some(t) = &state.terminated {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if s.last_state.as_ref().is_some_and(|l| l.terminated.is_some()) {
            stopped += 1;
        } else {
            waiting += 1;
        }
    }
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    let new_phase = if init_failed {
        "Failed"
    } else if rt.inits_done < inits.len() || waiting > 0 {
        "Pending"
    } else if running > 0 {
        "Running"
    } else if stopped > 0 {
        match policy {
            // All containers are in the process of restarting.
            "Always" => "Running",
            _ if stopped == succeeded => "Succeeded",
            "Never" => "Failed",
            _ => "Running",
        }
    } else {
        "Pending"
    };
    st.phase = Some(new_phase.into());
    st.host_ip = Some(world.node_ip(&node));
    st.host_ips = Some(vec![core::HostIP { ip: world.node_ip(&node) }]);
    // The pod's IP comes with its sandbox, which waits for the volumes.
    if unmounted.is_none() {
        st.pod_ip = Some(rt.ip.clone());
        st.pod_ips = Some(vec![core::PodIP { ip: rt.ip.clone() }]);
    }
    st.start_time.get_or_insert_with(|| time_at(rt.started_ms));
    st.qos_class = Some(crate::resources::qos_class(spec).into());
    let initialized = rt.inits_done == inits.len();
    let terminal = new_phase == "Succeeded" || new_phase == "Failed";
    let sandbox = !terminal && unmounted.is_none();
    // The kubelet stamps its conditions and the status with the generation it acted on.
    let gen = pod.metadata.generation;
    st.observed_generation = gen;
    set_condition(st, "PodReadyToStartContainers", if sandbox { "True" } else { "False" }, None, None, gen, world);
    let init_msg = format!(
        "containers with incomplete status: [{}]",
        inits[rt.inits_done.min(inits.len())..].iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(" ")
    );
    set_condition(
        st,
        "Initialized",
        if initialized { "True" } else { "False" },
        if initialized { None } else { Some("ContainersNotInitialized") },
        if initialized { None } else { Some(init_msg.as_str()) },
        gen,
        world,
    );
    // Unready sidecars first, then the containers in the spec's order.
    let not_ready: Vec<String> = sidecar_statuses
        .iter()
        .copied()
        .chain(spec.containers.iter().filter_map(|c| statuses.iter().find(|s| s.name == c.name)))
        .filter(|s| !s.ready)
        .map(|s| s.name.clone())
        .collect();
    let (ready_s, reason, msg) = if terminal {
        ("False", Some("PodCompleted"), None)
    } else if all_ready {
        ("True", None, None)
    } else {
        ("False", Some("ContainersNotReady"), Some(format!("containers with unready status: [{}]", not_ready.join(" "))))
    };
    set_condition(st, "Ready", ready_s, reason, msg.as_deref(), gen, world);
    set_condition(st, "ContainersReady", ready_s, reason, msg.as_deref(), gen, world);
    set_condition(st, "PodScheduled", "True", None, None, gen, world);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    conds.retain(|c| c.type_ != "PodResizePending");
    if let Some(p) = &rt.resize_pending {
        conds.push(core::PodCondition {
            type_: "PodResizePending".into(),
            status: "True".into(),
            reason: Some(p.reason.clone()),
            message: Some(p.message.clone()),
            last_probe_time: Some(time_at(p.probed)),
            last_transition_time: Some(time_at(p.since)),
            observed_generation: Some(p.generation),
        });
    }
    // Condition order as the kubelet reports it: resize conditions first.
    if let Some(conds) = st.conditions.as_mut() {
        let order = ["PodResizePending", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];
        conds.sort_by_key(|c| order.iter().position(|o| *o == c.type_).unwrap_or(order.len()));
    }
    st.init_container_statuses = if init_statuses.is_empty() { None } else { Some(init_statuses) };
    // The kubelet sorts the containers' statuses by name (SortedContainerStatuses); init
    // containers keep their order in the spec.
    statuses.sort_by(|a, b| a.name.cmp(&b.name));
    st.container_statuses = Some(statuses);
    st.ephemeral_container_statuses = if ephemeral_statuses.is_empty() { None } else { Some(ephemeral_statuses) };
    if pod.status.as_ref() != Some(&status) {
        ctx.out.writes.push(Write::PodStatus(r.clone(), Box::new(status)));
    }
    ctx.out.writes.push(Write::Runtime(r.clone(), Box::new(rt)));
    if let Some(n) = ctx.next {
        ctx.out.requeue_after_ms = Some(n.saturating_sub(now).max(1));
    }
    ctx.out
}

/// A restartable init container: a sidecar.
fn is_sidecar(c: &core::Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// The pod is done (its containers will not run again): the kubelet stops the sidecars that
/// still run, the last started first, each with SIGTERM and, if that does not end it (a
/// shell as PID 1 ignores it), SIGKILL when the grace period ends. None restarts.
fn stop_sidecars(ctx: &mut Ctx<'_>, rt: &mut PodRuntime, inits: &[core::Container], spec: &core::PodSpec) {
    let now = ctx.now;
    let grace = u64::try_from(spec.termination_grace_period_seconds.unwrap_or(30)).unwrap_or(0) * 1000;
    let first = rt.killing.is_none();
    let start = *rt.killing.get_or_insert(now);
    for c in inits.iter().rev().filter(|c| is_sidecar(c)) {
        let Some(crt) = rt.containers.get_mut(&c.name) else { continue };
        match crt.state.clone() {
            CState::Running { since } => {
                if first {
                    ctx.c_event(&c.name, EventType::Normal, "Killing", format!("Stopping container {}", c.name));
                }
                let stubborn = crt.program.ignores_sigterm;
                let at = start + if stubborn { grace } else { STOP_MS.min(grace) };
                // A program that ends by itself before then just ends.
                let natural = crt.program.exit.map(|(after, code)| (since + after, code)).filter(|(t, _)| *t <= at);
                let (at, code) = natural.unwrap_or((at, if stubborn { 137 } else { 0 }));
                if now < at {
                    ctx.wake(at);
                    continue;
                }
                crt.termination_message = termination_message(c, crt, code, at - since);
                let reason = if code == 0 { "Completed" } else { "Error" };
                exited(crt, "Never", code, reason, since, at);
            }
            CState::Exited { code, reason, started, finished, restart_at: Some(_) } => {
                crt.state = CState::Exited { code, reason, started, finished, restart_at: None };
            }
            _ => {}
        }
    }
}

/// The first of the pod's Secret, ConfigMap or projected volumes whose (not optional)
/// object does not exist: the volume's name and the kubelet's "not found" text.
fn missing_volume_source(world: &World, ns: &str, spec: &core::PodSpec) -> Option<(String, String)> {
    spec.volumes.iter().flatten().find_map(|v| {
        if let Some(s) = v.secret.as_ref().filter(|s| s.optional != Some(true)) {
            let name = s.secret_name.clone().unwrap_or_default();
            if world.store().get(crate::Kind::Secret, ns, &name).is_none() {
                return Some((v.name.clone(), format!("secret {name:?} not found")));
            }
        }
        if let Some(c) = v.config_map.as_ref().filter(|c| c.optional != Some(true)) {
            if world.store().get(crate::Kind::ConfigMap, ns, &c.name).is_none() {
                return Some((v.name.clone(), format!("configmap {:?} not found", c.name)));
            }
        }
        // A projected volume reports every missing source at once (an aggregate error).
        let missing: Vec<String> = v
            .projected
            .iter()
            .flat_map(|p| p.sources.iter().flatten())
            .filter_map(|src| {
                if let Some(s) = src.secret.as_ref().filter(|s| s.optional != Some(true)) {
                    if world.store().get(crate::Kind::Secret, ns, &s.name).is_none() {
                        return Some(format!("secret {:?} not found", s.name));
                    }
                }
                let c = src.config_map.as_ref().filter(|c| c.optional != Some(true))?;
                world
                    .store()
                    .get(crate::Kind::ConfigMap, ns, &c.name)
                    .is_none()
                    .then(|| format!("configmap {:?} not found", c.name))
            })
            .collect();
        match missing.len() {
            0 => None,
            1 => Some((v.name.clone(), missing[0].clone())),
            _ => Some((v.name.clone(), format!("[{}]", missing.join(", ")))),
        }
    })
}

/// The volume manager's mount attempts: at the first sync, then after 0.5 s, the wait
/// doubling to at most 2 min 2 s. How many were due by `now`, when the last of them was,
/// and when the next one is.
fn mount_retry(start: u64, now: u64) -> (u32, u64, u64) {
    let (mut last, mut t, mut delay, mut n) = (start, start, 500, 0u32);
    while t <= now {
        n += 1;
        last = t;
        t += delay;
        delay = (delay * 2).min(122_000);
    }
    (n, last, t)
}

/// The ConfigMaps and Secrets container `c` sees through its volumes (not subPath mounts,
/// which never update), with a digest of their data (`configmap/sport@1f2e...`); empty when
/// it mounts none. A change of labels or other metadata leaves it as it was.
pub fn mounted_versions(world: &World, pod: &core::Pod, c: &core::Container) -> String {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mounted: Vec<&str> = c
        .volume_mounts
        .iter()
        .flatten()
        .filter(|m| m.sub_path.as_deref().unwrap_or("").is_empty())
        .map(|m| m.name.as_str())
        .collect();
    use crate::kinds::Kind;
    let mut refs: Vec<(Kind, &str)> = Vec::new();
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()).filter(|v| mounted.contains(&v.name.as_str())) {
        refs.extend(v.config_map.as_ref().map(|cm| (Kind::ConfigMap, cm.name.as_str())));
        refs.extend(v.secret.as_ref().and_then(|s| s.secret_name.as_deref()).map(|n| (Kind::Secret, n)));
        for src in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            refs.extend(src.config_map.as_ref().map(|cm| (Kind::ConfigMap, cm.name.as_str())));
            refs.extend(src.secret.as_ref().map(|s| (Kind::Secret, s.name.as_str())));
        }
    }
    let mut out = String::new();
    for (kind, name) in refs {
        // FNV-1a over the data as the volume shows it (fixed, so the same on every platform).
        let data = match world.store().get(kind, ns, name) {
            Some(Object::ConfigMap(cm)) => format!("{:?}{:?}", cm.data, cm.binary_data),
            Some(Object::Secret(sec)) => format!("{:?}", sec.data),
            _ => String::new(),
        };
        let digest = data.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&format!("{}/{name}@{digest:x}", kind.info().singular));
    }
    out
}

/// What a container's own process runs: its command and args (with `$(VAR)` expanded
/// from its environment) as the image's program or shell script, started `now`.
fn start_program(
    world: &World,
    pod: &core::Pod,
    c: &core::Container,
    image: &str,
    env: &BTreeMap<String, String>,
    ip: &str,
    now: u64,
) -> Program {
    if world.image_crashes(image) {
        // An injected fault (`fault crash-image`): this release dies on start.
        return Program {
            logs: vec![(0, format!("kubeplay fault: {image} crashes on start (fault crash-image; fault heal-image ends it)"))],
            exit: Some((1_000, 1)),
            ..Program::default()
        };
    }
    let cmd: Vec<String> = c.command.clone().unwrap_or_default().iter().map(|w| expand_vars(w, env)).collect();
    let args: Vec<String> = c.args.clone().unwrap_or_default().iter().map(|w| expand_vars(w, env)).collect();
    let family = images::lookup(image).map(|i| i.family).unwrap_or("busybox");
    let tag = images::tool_tag(&images::normalize(image)).to_string();
    let mut fs = ContainerFs { world, pod, container: &c.name, family, tag, ip: ip.to_string() };
    let shell = crate::shell::Ctx {
        env,
        start_unix_ms: crate::world::EPOCH_UNIX_MS.saturating_add(i64::try_from(now).unwrap_or(0)),
        dash: images::shell_is_dash(family),
        user: container_user(pod, c),
        workdir: container_workdir(c, family),
        tty: false,
    };
    let mut program = images::program(family, &cmd, &args, &shell, &mut fs);
    // A shell (or the image's default shell or REPL) with stdin open (`stdin: true`, as
    // `kubectl debug -it` and `kubectl run -it` set) waits for input: it runs until stopped.
    let bare_shell = family == "python" || interactive_shell(&cmd, &args, family).is_some();
    if c.stdin == Some(true) && bare_shell {
        program.exit = None;
        program.ignores_sigterm = true;
    }
    // runc runs the command itself (or the args, in images with no entrypoint): a program
    // that is not in the image never starts. kubeplay says so only where it knows what the
    // image holds (busybox, alpine, debian, ubuntu: their shells' programs), unless the
    // container has the file (a script in a mounted volume); busybox-based images have no
    // bash. Elsewhere the shell's own "not found" stands.
    let runs_args = cmd.is_empty() && matches!(family, "busybox" | "alpine" | "curl" | "debian" | "ubuntu" | "python" | "perl");
    let argv0 = cmd.first().or(args.first().filter(|_| runs_args));
    let known = matches!(family, "busybox" | "alpine" | "curl" | "debian" | "ubuntu" | "nginx" | "httpd" | "redis");
    let exists = |a: &str| {
        use crate::shell::Host;
        if a.contains('/') {
            let path = if a.starts_with('/') {
                a.to_string()
            } else {
                format!("{}/{}", shell.workdir.trim_end_matches('/'), a.trim_start_matches("./"))
            };
            fs.stat(&path).is_some()
        } else {
            ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
                .iter()
                .any(|d| fs.stat(&format!("{d}/{a}")).is_some())
        }
    };
    let no_bash = matches!(family, "busybox" | "alpine" | "curl" | "hello-app" | "hello-app-2")
        && argv0.is_some_and(|a| a.rsplit('/').next() == Some("bash"));
    let missing = program.start_error.take().filter(|_| known && argv0.is_some_and(|a| !exists(a)));
    match (argv0, missing) {
        (Some(a0), _) if no_bash => {
            Program { start_error: Some(images::exec_not_found(a0)), exit: Some((0, 128)), ..Program::default() }
        }
        (Some(_), Some(e)) => Program { start_error: Some(e), exit: Some((0, 128)), ..Program::default() },
        _ => program,
    }
}

/// The shell a container runs when its command is a bare shell (`sh`, `/bin/bash`) or
/// none at all in an image whose default command is one (busybox and alpine's `sh`,
/// debian and ubuntu's `bash`): with stdin open it waits for input, and `kubectl run -it`
/// or `kubectl attach -it` talk to it.
pub fn interactive_shell(cmd: &[String], args: &[String], family: &str) -> Option<String> {
    let words: Vec<&str> = cmd.iter().chain(args.iter()).map(String::as_str).collect();
    match words.as_slice() {
        [] => match family {
            "busybox" | "alpine" => Some("sh".into()),
            "debian" | "ubuntu" | "bash" => Some("bash".into()),
            _ => None,
        },
        // busybox and alpine have no bash: such a container fails to start.
        [sh] if matches!(sh.rsplit('/').next(), Some("bash")) && matches!(family, "busybox" | "alpine" | "curl") => None,
        [sh] if matches!(sh.rsplit('/').next(), Some("sh" | "bash" | "ash")) => Some((*sh).to_string()),
        _ => None,
    }
}

/// A `postStart` exec hook, run as the container starts: its script runs in the container's
/// shell over its files, and what it writes is stored (the docs' lifecycle page writes
/// /usr/share/message this way). A failing hook is reported with the kubelet's event; the
/// kubelet would then kill the container, which kubeplay does not (httpGet hooks are not
/// run either).
fn post_start(ctx: &mut Ctx<'_>, pod: &core::Pod, c: &core::Container, image: &str, env: &BTreeMap<String, String>, ip: &str) {
    let Some(argv) = c
        .lifecycle
        .as_ref()
        .and_then(|l| l.post_start.as_ref())
        .and_then(|h| h.exec.as_ref())
        .and_then(|e| e.command.clone())
        .filter(|a| !a.is_empty())
    else {
        return;
    };
    let run = run_hook(ctx, pod, c, image, env, ip, &argv);
    for (path, text) in run.writes {
        if let Some(text) = text {
            ctx.out.writes.push(Write::StoreFile { pod: ctx.r.clone(), container: c.name.clone(), path, text: Some(text) });
        }
    }
    if run.status != 0 {
        // The kubelet leaves the hook's output out of the event, so secrets do not leak.
        ctx.c_event(&c.name, EventType::Warning, "FailedPostStartHook", "PostStartHook failed".into());
    }
}

/// How long a container's preStop hook runs, in ms: an exec hook as long as its command
/// takes (`sleep 180`; forever for an endless loop), a sleep action its seconds, an HTTP or
/// TCP hook a moment. None without a hook.
fn pre_stop_ms(ctx: &Ctx<'_>, pod: &core::Pod, c: &core::Container, rt: &PodRuntime) -> Option<u64> {
    let hook = c.lifecycle.as_ref()?.pre_stop.as_ref()?;
    if let Some(s) = &hook.sleep {
        return Some(u64::try_from(s.seconds).unwrap_or(0).saturating_mul(1000));
    }
    let Some(argv) = hook.exec.as_ref().and_then(|e| e.command.clone()).filter(|a| !a.is_empty()) else {
        return Some(0);
    };
    let crt = rt.containers.get(&c.name)?;
    let image = crt.image_full.clone();
    Some(run_hook(ctx, pod, c, &image, &crt.env, &rt.ip, &argv).elapsed_ms)
}

/// Runs a lifecycle hook's command in the container, as the shell would.
fn run_hook(
    ctx: &Ctx<'_>,
    pod: &core::Pod,
    c: &core::Container,
    image: &str,
    env: &BTreeMap<String, String>,
    ip: &str,
    argv: &[String],
) -> crate::shell::ScriptRun {
    let shell = argv[0].rsplit('/').next().unwrap_or("");
    let script = if matches!(shell, "sh" | "bash" | "ash") && argv.get(1).map(String::as_str) == Some("-c") {
        argv.get(2).cloned().unwrap_or_default()
    } else {
        argv.iter().map(|w| format!("'{}'", w.replace('\'', "'\\''"))).collect::<Vec<_>>().join(" ")
    };
    let family = images::lookup(image).map(|i| i.family).unwrap_or("busybox");
    let tag = images::tool_tag(&images::normalize(image)).to_string();
    let mut fs = ContainerFs { world: ctx.world, pod, container: &c.name, family, tag, ip: ip.to_string() };
    let shell_ctx = crate::shell::Ctx {
        env,
        start_unix_ms: crate::world::EPOCH_UNIX_MS.saturating_add(i64::try_from(ctx.now).unwrap_or(0)),
        dash: images::shell_is_dash(family),
        user: container_user(pod, c),
        workdir: container_workdir(c, family),
        tty: false,
    };
    crate::shell::run_script(&script, &shell_ctx, &mut fs)
}

/// A container's filesystem as its shell reads it (`files.rs`), and the cluster's DNS for
/// `nslookup` in busybox and alpine.
struct ContainerFs<'a> {
    world: &'a World,
    pod: &'a core::Pod,
    container: &'a str,
    family: &'static str,
    tag: String,
    ip: String,
}

impl crate::shell::Host for ContainerFs<'_> {
    fn image_tag(&self) -> &str {
        &self.tag
    }
    fn node_cpus(&self) -> u32 {
        let node = self.pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("");
        let cpus = match self.world.store().get(crate::kinds::Kind::Node, "", node) {
            Some(Object::Node(n)) => n
                .status
                .as_ref()
                .and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("cpu"))
                .and_then(|q| crate::quantity::parse(&q.0)),
            _ => None,
        };
        cpus.map_or(1, |m| u32::try_from(m / 1000).unwrap_or(1).max(1))
    }
    fn pod_ip(&self) -> &str {
        &self.ip
    }
    fn read(&self, path: &str) -> Option<String> {
        crate::files::read(self.world, self.pod, self.container, path)
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        crate::files::list(self.world, self.pod, self.container, dir)
    }
    fn stat(&self, path: &str) -> Option<crate::files::Stat> {
        crate::files::stat(self.world, self.pod, self.container, path)
    }
    fn has_wget(&self) -> bool {
        matches!(self.family, "busybox" | "alpine" | "curl")
    }
    fn http_get(&mut self, url: &str) -> Result<crate::shell::HttpAnswer, String> {
        let ns = self.pod.metadata.namespace.clone().unwrap_or_default();
        let from = crate::net::Source::Pod { namespace: ns, ip: self.ip.clone() };
        // A read-only view of the traffic state: the container's own fetch does not move
        // the world's load-balancing choices.
        let mut traffic = self.world.traffic();
        let headers = [("User-Agent".to_string(), "Wget".to_string()), ("Connection".to_string(), "close".to_string())];
        let got = crate::net::http_request_with(self.world, &mut traffic, &from, url, &headers);
        crate::net::wget_answer(self.world, &from, url, got)
    }
    fn external(&mut self, argv: &[String], _stdin: &str) -> Option<(String, String, i32)> {
        let tool = argv.first()?.rsplit('/').next()?;
        if tool != "nslookup" || !images::has_tool(self.family, "nslookup") {
            return None;
        }
        let name = argv.iter().skip(1).find(|a| !a.starts_with('-'))?;
        let ns = self.pod.metadata.namespace.clone().unwrap_or_default();
        let from = crate::net::Source::Pod { namespace: ns, ip: self.ip.clone() };
        let (text, code) = crate::net::nslookup(self.world, &from, name, images::nslookup_style(self.family, &self.tag));
        Some((text, String::new(), code))
    }
}

/// The log lines of a container up to `now` (current instance, or the previous one).
pub fn logs(world: &World, r: &ObjRef, container: &str, previous: bool) -> Option<Vec<String>> {
    logs_timed(world, r, container, previous).map(|ls| ls.into_iter().map(|(_, l)| l).collect())
}

/// [`logs`] with the virtual time (ms) each line was written.
pub fn logs_timed(world: &World, r: &ObjRef, container: &str, previous: bool) -> Option<Vec<(u64, String)>> {
    let rt = world.runtime(r)?;
    let crt = rt.containers.get(container)?;
    let now = world.now_ms();
    let (start, end, program) = if previous {
        let (s, f, p) = crt.previous.clone()?;
        (s, f, p)
    } else {
        match &crt.state {
            CState::Running { since } => (*since, now, crt.program.clone()),
            CState::Exited { started, finished, .. } => (*started, *finished, crt.program.clone()),
            _ => return Some(vec![]),
        }
    };
    let upto = end.min(now).saturating_sub(start);
    let mut out: Vec<(u64, String)> =
        program.logs.iter().filter(|(t, _)| *t <= upto).map(|(t, l)| (start + t, l.clone())).collect();
    if let Some((period, lines)) = &program.repeat {
        // The loop's lines come every period: from the start when nothing was logged before,
        // otherwise one period after the last fixed line.
        let (first, iterations) = match program.logs.last() {
            None => (0, upto / period + 1),
            Some((last, _)) => (last + period, upto.saturating_sub(*last) / period),
        };
        for i in 0..iterations.min(10_000) {
            out.extend(lines.iter().map(|l| (start + first + i * period, l.clone())));
        }
    }
    // `tail -f FILE`: the lines the pod's other containers append to it later (a shared
    // volume, at the same path), each when it was written.
    if let Some((path, read, read_at)) = &program.follows {
        let end = end.min(now);
        let waited = program.logs.iter().any(|(_, l)| l.starts_with("tail: can't open"));
        // The file is on a volume the reader mounts: the other containers that mount that
        // volume write it at their own mount path. (Only the first such writer is followed.)
        let pod = world.store().get_ref(r).and_then(|o| if let Object::Pod(p) = o { Some(p) } else { None });
        let specs: Vec<&core::Container> = pod
            .and_then(|p| p.spec.as_ref())
            .map(|s| s.init_containers.iter().flatten().chain(s.containers.iter()).collect())
            .unwrap_or_default();
        let mount_of = |c: &core::Container, path: &str| -> Option<(String, String)> {
            c.volume_mounts.iter().flatten().filter(|m| m.sub_path.as_deref().unwrap_or("").is_empty()).find_map(|m| {
                let rel = path.strip_prefix(m.mount_path.trim_end_matches('/'))?.strip_prefix('/')?;
                Some((m.name.clone(), rel.to_string()))
            })
        };
        let reader = specs.iter().find(|c| c.name == container).and_then(|c| mount_of(c, path));
        let writer = reader.and_then(|(volume, rel)| {
            specs.iter().filter(|c| c.name != container).find_map(|c| {
                let m = c
                    .volume_mounts
                    .iter()
                    .flatten()
                    .find(|m| m.name == volume && m.sub_path.as_deref().unwrap_or("").is_empty())?;
                Some((c.name.clone(), format!("{}/{rel}", m.mount_path.trim_end_matches('/'))))
            })
        });
        if let Some((wname, wpath)) = writer {
            if let Some(other) = rt.containers.get(&wname) {
                let wstart = match &other.state {
                    CState::Running { since } => Some(*since),
                    CState::Exited { started, .. } => Some(*started),
                    _ => None,
                };
                // Line k of the file, written at `at`, shows once tail runs (the lines it
                // read at its start were printed then).
                let mut seen = *read;
                for (t, _, text) in other.program.writes.iter().filter(|(_, p, _)| *p == wpath) {
                    let Some(wstart) = wstart else { break };
                    let at = (wstart + t).max(start + read_at);
                    if at > end {
                        break;
                    }
                    let lines: Vec<&str> = text.as_deref().unwrap_or("").lines().collect();
                    if lines.len() > seen {
                        if waited && seen == 0 {
                            // busybox's tail -F, on finding the file it waited for.
                            out.push((at, format!("tail: {path} has appeared; following end of new file")));
                        }
                        out.extend(lines[seen..].iter().map(|l| (at, l.to_string())));
                        seen = lines.len();
                    }
                }
            }
        }
        out.sort_by_key(|(t, _)| *t);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

    fn nginx() -> Program {
        Program { listens: Some(80), http: Some(images::Http::NginxWelcome), ..Default::default() }
    }

    fn container() -> core::Container {
        core::Container {
            name: "web".into(),
            ports: Some(vec![core::ContainerPort { name: Some("http".into()), container_port: 80, ..Default::default() }]),
            ..Default::default()
        }
    }

    fn http_probe(path: &str, port: IntOrString) -> core::Probe {
        core::Probe {
            http_get: Some(core::HTTPGetAction { path: Some(path.into()), port, ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn http_probe_passes_on_served_path_and_named_port() {
        let c = container();
        assert_eq!(probe_result(&http_probe("/", IntOrString::Int(80)), &nginx(), "10.42.0.2", &c, 0), Ok(()));
        assert_eq!(probe_result(&http_probe("/", IntOrString::String("http".into())), &nginx(), "10.42.0.2", &c, 0), Ok(()));
    }

    #[test]
    fn http_probe_reports_404_and_refused_like_the_kubelet() {
        let c = container();
        assert_eq!(
            probe_result(&http_probe("/healthz", IntOrString::Int(80)), &nginx(), "10.42.0.2", &c, 0),
            Err("HTTP probe failed with statuscode: 404".into())
        );
        assert_eq!(
            probe_result(&http_probe("/", IntOrString::Int(8080)), &nginx(), "10.42.0.2", &c, 0),
            Err("Get \"http://10.42.0.2:8080/\": dial tcp 10.42.0.2:8080: connect: connection refused".into())
        );
    }

    #[test]
    fn tcp_probe_checks_the_listening_port() {
        let c = container();
        let tcp = |port| core::Probe {
            tcp_socket: Some(core::TCPSocketAction { port: IntOrString::Int(port), ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(probe_result(&tcp(80), &nginx(), "10.42.0.2", &c, 0), Ok(()));
        assert_eq!(
            probe_result(&tcp(81), &nginx(), "10.42.0.2", &c, 0),
            Err("dial tcp 10.42.0.2:81: connect: connection refused".into())
        );
    }

    fn exec_probe(words: &[&str], delay: i32, period: i32) -> core::Probe {
        core::Probe {
            exec: Some(core::ExecAction { command: Some(words.iter().map(|w| w.to_string()).collect()) }),
            initial_delay_seconds: Some(delay),
            period_seconds: Some(period),
            ..Default::default()
        }
    }

    fn healthy_for_30s() -> Program {
        let words: Vec<String> =
            ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"].map(String::from).to_vec();
        let env = std::collections::BTreeMap::new();
        let ctx = crate::shell::Ctx::plain(&env);
        crate::shell::program(&words, &ctx, &mut crate::shell::NoFs)
    }

    #[test]
    fn exec_probe_follows_the_files_the_program_touches_and_removes() {
        let (p, prog, c) = (exec_probe(&["cat", "/tmp/healthy"], 5, 5), healthy_for_30s(), container());
        assert_eq!(probe_result(&p, &prog, "ip", &c, 30_000), Ok(()));
        assert_eq!(
            probe_result(&p, &prog, "ip", &c, 35_000),
            Err("cat: can't open '/tmp/healthy': No such file or directory".into())
        );
        // First failure at 35 s, the third (the kill) two periods later.
        assert_eq!(
            failure_streak(&p, &prog, "ip", &c),
            Some((35_000, 45_000, "cat: can't open '/tmp/healthy': No such file or directory".into()))
        );
        // Commands other than file checks are not run: they pass.
        assert_eq!(probe_result(&exec_probe(&["redis-cli", "ping"], 0, 10), &prog, "ip", &c, 99_000), Ok(()));
    }

    #[test]
    fn readiness_turns_false_only_after_failure_threshold() {
        let (p, prog, c) = (exec_probe(&["cat", "/tmp/healthy"], 5, 5), healthy_for_30s(), container());
        assert_eq!(readiness_at(&p, &prog, "ip", &c, 4_000), (false, Some(5_000)));
        assert!(readiness_at(&p, &prog, "ip", &c, 5_000).0);
        // Failures at 35 and 40 s: still ready, counting; the third at 45 s makes it unready.
        assert_eq!(readiness_at(&p, &prog, "ip", &c, 41_000), (true, Some(45_000)));
        assert_eq!(readiness_at(&p, &prog, "ip", &c, 45_000), (false, None));
        // A probe that never passes is never ready, and asks for no more wake-ups.
        let never = exec_probe(&["cat", "/nope"], 0, 10);
        assert_eq!(readiness_at(&never, &prog, "ip", &c, 100_000), (false, None));
    }
}

#[cfg(test)]
mod ephemeral_tests {
    use crate::kinds::{Kind, Object};
    use crate::world::World;
    use k8s_openapi::api::core::v1 as core;

    fn pod_with(world: &World) -> core::Pod {
        match world.get(Kind::Pod, "default", "app") {
            Some(Object::Pod(p)) => (**p).clone(),
            other => panic!("no pod: {other:?}"),
        }
    }

    fn debugger(name: &str, target: Option<&str>) -> core::EphemeralContainer {
        core::EphemeralContainer {
            name: name.into(),
            image: Some("busybox:1.28".into()),
            stdin: Some(true),
            target_container_name: target.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn ephemeral_containers_are_added_through_their_subresource_started_and_never_removed() {
        let mut world = World::new(7);
        let mut pod = core::Pod::default();
        pod.metadata.name = Some("app".into());
        pod.metadata.namespace = Some("default".into());
        pod.spec = Some(core::PodSpec {
            containers: vec![core::Container { name: "app".into(), image: Some("nginx:1.27".into()), ..Default::default() }],
            ephemeral_containers: Some(vec![debugger("early", None)]),
            ..Default::default()
        });
        // Not on create.
        let refused = world.create(Object::from(pod.clone())).expect_err("ephemeral containers on create");
        assert!(refused.to_string().contains("spec.ephemeralContainers: Forbidden: cannot be set on create"), "{refused}");
        if let Some(s) = pod.spec.as_mut() {
            s.ephemeral_containers = None;
        }
        world.create(Object::from(pod)).expect("the pod");
        world.run_until_settled(10_000);

        // A target that is not one of the pod's containers is refused, and nothing changes.
        let mut asked = pod_with(&world);
        if let Some(s) = asked.spec.as_mut() {
            s.ephemeral_containers = Some(vec![debugger("dbg", Some("nope"))]);
        }
        let refused = world.update_ephemeral_containers(Object::from(asked)).expect_err("unknown target");
        assert!(
            refused.to_string().contains("spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\""),
            "{refused}"
        );
        assert!(pod_with(&world).spec.and_then(|s| s.ephemeral_containers).is_none());

        // Ports (like probes and resources) may not be set on an ephemeral container.
        let mut asked = pod_with(&world);
        let mut with_port = debugger("dbg", None);
        with_port.ports = Some(vec![core::ContainerPort { container_port: 80, ..Default::default() }]);
        if let Some(s) = asked.spec.as_mut() {
            s.ephemeral_containers = Some(vec![with_port]);
        }
        let refused = world.update_ephemeral_containers(Object::from(asked)).expect_err("ports");
        assert!(
            refused
                .to_string()
                .contains("spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container"),
            "{refused}"
        );

        // A valid one: defaulted, the generation raised, other spec changes dropped.
        let mut asked = pod_with(&world);
        if let Some(s) = asked.spec.as_mut() {
            s.ephemeral_containers = Some(vec![debugger("dbg", Some("app"))]);
            s.active_deadline_seconds = Some(5);
        }
        world.update_ephemeral_containers(Object::from(asked)).expect("added");
        let now = pod_with(&world);
        assert_eq!(now.metadata.generation, Some(2));
        let spec = now.spec.clone().unwrap_or_default();
        assert_eq!(spec.active_deadline_seconds, None);
        let e = &spec.ephemeral_containers.unwrap_or_default()[0];
        assert_eq!(e.image_pull_policy.as_deref(), Some("IfNotPresent"));
        assert_eq!(e.termination_message_path.as_deref(), Some("/dev/termination-log"));

        // The kubelet starts it (a shell with stdin open keeps running); it is never ready.
        world.run_until_settled(10_000);
        let status = pod_with(&world).status.unwrap_or_default();
        let s = &status.ephemeral_container_statuses.unwrap_or_default()[0];
        assert_eq!(s.name, "dbg");
        assert!(s.state.as_ref().and_then(|st| st.running.as_ref()).is_some(), "{s:?}");
        assert!(!s.ready);
        assert_eq!(s.started, None);
        assert_eq!(status.phase.as_deref(), Some("Running"));

        // Existing ones may not be removed.
        let mut asked = pod_with(&world);
        if let Some(s) = asked.spec.as_mut() {
            s.ephemeral_containers = None;
        }
        let refused = world.update_ephemeral_containers(Object::from(asked)).expect_err("removal");
        assert!(refused.to_string().contains("existing ephemeral containers \"dbg\" may not be removed"), "{refused}");
    }
}
