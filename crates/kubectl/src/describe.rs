//! `kubectl describe`: the human-readable reports kubectl's describers print, laid out by
//! Go's tabwriter rules (padding 2), with the Events table at the end.

use crate::args::Args;
use crate::exec::{api_error_text, namespace, resolve_kind};
use crate::printers::{age, format_map, format_selector, int_or_string, pod_status};
use crate::Output;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kubeplay_sim::world::ms_of;
use kubeplay_sim::{ApiError, Kind, Object, World};
use std::collections::BTreeMap;
use std::io::Write as _;

/// Lines with tab-separated cells, indented by level, aligned as kubectl's PrefixWriter does.
#[derive(Default)]
pub struct Doc {
    text: String,
}

impl Doc {
    /// Writes a line at `level` (2 spaces per level); `\t` separates aligned cells.
    pub fn line(&mut self, level: usize, s: &str) {
        self.text.push_str(&"  ".repeat(level));
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// The text as written, tabs unaligned (what kubectl's PrefixWriter gives when it
    /// writes to a plain buffer, as `rollout undo --dry-run=client` does).
    pub fn raw(self) -> String {
        self.text
    }

    pub fn finish(self) -> String {
        let mut tw = tabwriter::TabWriter::new(Vec::new()).padding(2).minwidth(0);
        let _ = tw.write_all(self.text.as_bytes());
        let _ = tw.flush();
        String::from_utf8(tw.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// `Thu, 01 Jan 2026 00:00:00 +0000` (Go's RFC1123Z).
pub fn timestamp(t: &Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// A Deployment's or ReplicaSet's `Conditions:` table (type, status, reason), when it has any.
fn conditions_table<'a>(d: &mut Doc, conds: impl Iterator<Item = (&'a String, &'a String, Option<&'a str>)>) {
    let mut conds = conds.peekable();
    if conds.peek().is_none() {
        return;
    }
    d.line(0, "Conditions:");
    d.line(1, "Type\tStatus\tReason");
    d.line(1, "----\t------\t------");
    for (t, status, reason) in conds {
        // kubectl's `"%v \t%v\t%v\n"`: a space after the type.
        d.line(1, &format!("{t} \t{status}\t{}", reason.unwrap_or_default()));
    }
}

fn labels_multiline(d: &mut Doc, level: usize, title: &str, m: Option<&BTreeMap<String, String>>) {
    match m.filter(|m| !m.is_empty()) {
        None => d.line(level, &format!("{title}:\t<none>")),
        Some(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                if i == 0 {
                    d.line(level, &format!("{title}:\t{k}={v}"));
                } else {
                    // The continuation carries no indent of its own (printLabelsMultiline's
                    // initialIndent is empty), only the tab.
                    d.line(0, &format!("\t{k}={v}"));
                }
            }
        }
    }
}

fn annotations_multiline(d: &mut Doc, level: usize, m: Option<&BTreeMap<String, String>>) {
    let skip = kubeplay_sim::api::LAST_APPLIED;
    let shown: Vec<(&String, &String)> = m.into_iter().flatten().filter(|(k, _)| k.as_str() != skip).collect();
    if shown.is_empty() {
        d.line(level, "Annotations:\t<none>");
        return;
    }
    for (i, (k, v)) in shown.iter().enumerate() {
        let v = if v.len() > 200 { format!("{}...", &v[..200]) } else { (*v).clone() };
        if i == 0 {
            d.line(level, &format!("Annotations:\t{k}: {v}"));
        } else {
            d.line(0, &format!("\t{k}: {v}"));
        }
    }
}

/// The `Ports:` table of describeEndpointSliceV1 and describeEndpoints (name, port,
/// protocol); `Ports: <empty>` when there are none.
fn ports_table(d: &mut Doc, level: usize, ports: &[(Option<String>, Option<i32>, Option<String>)], empty: &str) {
    if ports.is_empty() {
        d.line(level, &format!("Ports: {empty}"));
        return;
    }
    d.line(level, "Ports:");
    d.line(level + 1, "Name\tPort\tProtocol");
    d.line(level + 1, "----\t----\t--------");
    for (name, port, proto) in ports {
        let name = name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        let port = port.map_or("<unset>".to_string(), |n| n.to_string());
        d.line(level + 1, &format!("{name}\t{port}\t{}", proto.clone().unwrap_or_else(|| "TCP".into())));
    }
}

fn header(d: &mut Doc, m: &ObjectMeta, namespaced: bool, with_created: bool) {
    d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
    if namespaced {
        d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
    }
    if with_created {
        if let Some(t) = &m.creation_timestamp {
            d.line(0, &format!("CreationTimestamp:\t{}", timestamp(t)));
        }
    }
    labels_multiline(d, 0, "Labels", m.labels.as_ref());
    annotations_multiline(d, 0, m.annotations.as_ref());
}

/// The Events section for an object.
fn events(d: &mut Doc, world: &World, obj: &Object) {
    let uid = obj.meta().uid.clone();
    let ns = obj.meta().namespace.clone().unwrap_or_else(|| "default".into());
    let mut evs: Vec<&core::Event> = world
        .store()
        .list(Kind::Event, Some(&ns))
        .filter_map(|o| match o {
            Object::Event(e) if e.involved_object.uid == uid => Some(&**e),
            _ => None,
        })
        .collect();
    if evs.is_empty() {
        d.line(0, "Events:\t<none>");
        return;
    }
    let key = |e: &core::Event| e.last_timestamp.as_ref().or(e.first_timestamp.as_ref()).map_or(0, ms_of);
    evs.sort_by_key(|e| key(e));
    let now = world.now_ms();
    d.line(0, "Events:");
    d.line(1, "Type\tReason\tAge\tFrom\tMessage");
    d.line(1, "----\t------\t----\t----\t-------");
    for e in evs {
        let count = e.count.unwrap_or(1);
        let last = age(e.last_timestamp.as_ref(), now);
        let age_s = if count > 1 { format!("{last} (x{count} over {})", age(e.first_timestamp.as_ref(), now)) } else { last };
        let from = e.source.as_ref().and_then(|s| s.component.clone()).unwrap_or_default();
        // kubectl 1.35 names the part of the object an event is about (a container).
        let message = e.message.as_deref().unwrap_or_default().trim();
        let message = match e.involved_object.field_path.as_deref().filter(|f| !f.is_empty()) {
            Some(fp) => format!("{fp}: {message}"),
            None => message.to_string(),
        };
        d.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}",
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                age_s,
                from,
                message
            ),
        );
    }
}

/// One container: its name at level 1 (with a leading space inside a pod template, as
/// kubectl's `describeContainerBasicInfo` writes it) and its fields at level 2.
fn container_section(d: &mut Doc, in_template: bool, c: &core::Container, status: Option<&core::ContainerStatus>) {
    d.line(1, &format!("{}{}:", if in_template { " " } else { "" }, c.name));
    let l = 2;
    if let Some(s) = status {
        d.line(l, &format!("Container ID:\t{}", s.container_id.clone().unwrap_or_default()));
    }
    d.line(l, &format!("Image:\t{}", c.image.clone().unwrap_or_default()));
    if let Some(s) = status {
        d.line(l, &format!("Image ID:\t{}", s.image_id));
    }
    let ports = c.ports.clone().unwrap_or_default();
    if ports.is_empty() {
        d.line(l, "Port:\t<none>");
        d.line(l, "Host Port:\t<none>");
    } else {
        let p: Vec<String> = ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
            .collect();
        let hp: Vec<String> = ports
            .iter()
            .map(|p| format!("{}/{}", p.host_port.unwrap_or(0), p.protocol.clone().unwrap_or_else(|| "TCP".into())))
            .collect();
        // describeContainerPorts: the plural when the list has a comma.
        let (port, host) = if ports.len() > 1 { ("Ports", "Host Ports") } else { ("Port", "Host Port") };
        d.line(l, &format!("{port}:\t{}", p.join(", ")));
        d.line(l, &format!("{host}:\t{}", hp.join(", ")));
    }
    if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
        d.line(l, "Command:");
        for x in cmd {
            d.line(l + 1, x);
        }
    }
    if let Some(args) = c.args.as_ref().filter(|c| !c.is_empty()) {
        d.line(l, "Args:");
        for x in args {
            d.line(l + 1, x);
        }
    }
    if let Some(s) = status {
        state_lines(d, l, "State", s.state.as_ref());
        if s.last_state.as_ref().is_some_and(|st| st.terminated.is_some() || st.running.is_some() || st.waiting.is_some()) {
            state_lines(d, l, "Last State", s.last_state.as_ref());
        }
        d.line(l, &format!("Ready:\t{}", if s.ready { "True" } else { "False" }));
        d.line(l, &format!("Restart Count:\t{}", s.restart_count));
    }
    if let Some(res) = &c.resources {
        for (title, m) in [("Limits", &res.limits), ("Requests", &res.requests)] {
            if let Some(m) = m.as_ref().filter(|m| !m.is_empty()) {
                d.line(l, &format!("{title}:"));
                for (k, v) in m {
                    d.line(l + 1, &format!("{k}:\t{}", v.0));
                }
            }
        }
    }
    for (title, p) in [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)] {
        if let Some(p) = p {
            d.line(l, &format!("{title}:\t{}", probe_text(p)));
        }
    }
    let env = c.env.clone().unwrap_or_default();
    if env.is_empty() && c.env_from.as_ref().is_none_or(Vec::is_empty) {
        d.line(l, "Environment:\t<none>");
    } else {
        d.line(l, "Environment:");
        for e in env {
            let v = match (&e.value, &e.value_from) {
                (Some(v), _) => v.clone(),
                (None, Some(f)) => {
                    if let Some(s) = &f.secret_key_ref {
                        format!("<set to the key '{}' in secret '{}'>", s.key, s.name)
                    } else if let Some(c) = &f.config_map_key_ref {
                        format!("<set to the key '{}' of config map '{}'>", c.key, c.name)
                    } else if let Some(fr) = &f.field_ref {
                        format!("({}:{})", fr.api_version.clone().unwrap_or_else(|| "v1".into()), fr.field_path)
                    } else {
                        String::new()
                    }
                }
                _ => String::new(),
            };
            d.line(l + 1, &format!("{}:\t{v}", e.name));
        }
    }
    let mounts = c.volume_mounts.clone().unwrap_or_default();
    if mounts.is_empty() {
        d.line(l, "Mounts:\t<none>");
    } else {
        d.line(l, "Mounts:");
        for m in mounts {
            let ro = if m.read_only == Some(true) { "ro" } else { "rw" };
            d.line(l + 1, &format!("{} from {} ({ro})", m.mount_path, m.name));
        }
    }
}

fn probe_text(p: &core::Probe) -> String {
    let action = if let Some(h) = &p.http_get {
        format!(
            "http-get {}://{}:{}{}",
            h.scheme.clone().unwrap_or_else(|| "HTTP".into()).to_lowercase(),
            h.host.clone().unwrap_or_default(),
            int_or_string(&h.port),
            h.path.clone().unwrap_or_else(|| "/".into())
        )
    } else if let Some(t) = &p.tcp_socket {
        format!("tcp-socket {}:{}", t.host.clone().unwrap_or_default(), int_or_string(&t.port))
    } else if let Some(e) = &p.exec {
        format!("exec [{}]", e.command.clone().unwrap_or_default().join(" "))
    } else if let Some(g) = &p.grpc {
        // kubectl: "grpc <pod>:%d %s %s" (the service, "" by default, then the attributes).
        format!("grpc <pod>:{} {}", g.port, g.service.clone().unwrap_or_default())
    } else {
        "unknown".into()
    };
    format!(
        "{action} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    )
}

fn state_lines(d: &mut Doc, l: usize, title: &str, st: Option<&core::ContainerState>) {
    let Some(st) = st else {
        d.line(l, &format!("{title}:\tWaiting"));
        return;
    };
    if let Some(r) = &st.running {
        d.line(l, &format!("{title}:\tRunning"));
        if let Some(t) = &r.started_at {
            d.line(l + 1, &format!("Started:\t{}", timestamp(t)));
        }
    } else if let Some(w) = &st.waiting {
        d.line(l, &format!("{title}:\tWaiting"));
        if let Some(r) = &w.reason {
            d.line(l + 1, &format!("Reason:\t{r}"));
        }
        if let Some(m) = w.message.as_ref().filter(|m| !m.is_empty()) {
            d.line(l + 1, &format!("Message:\t{m}"));
        }
    } else if let Some(t) = &st.terminated {
        d.line(l, &format!("{title}:\tTerminated"));
        if let Some(r) = &t.reason {
            d.line(l + 1, &format!("Reason:\t{r}"));
        }
        if let Some(m) = t.message.as_ref().filter(|m| !m.is_empty()) {
            d.line(l + 1, &format!("Message:\t{m}"));
        }
        d.line(l + 1, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(s) = &t.started_at {
            d.line(l + 1, &format!("Started:\t{}", timestamp(s)));
        }
        if let Some(f) = &t.finished_at {
            d.line(l + 1, &format!("Finished:\t{}", timestamp(f)));
        }
    } else {
        d.line(l, &format!("{title}:\tWaiting"));
    }
}

fn tolerations(d: &mut Doc, level: usize, ts: &[core::Toleration]) {
    if ts.is_empty() {
        d.line(level, "Tolerations:\t<none>");
        return;
    }
    for (i, t) in ts.iter().enumerate() {
        let mut s = t.key.clone().unwrap_or_default();
        if let Some(v) = t.value.as_ref().filter(|v| !v.is_empty()) {
            s.push_str(&format!("={v}"));
        }
        if let Some(e) = t.effect.as_ref().filter(|e| !e.is_empty()) {
            s.push_str(&format!(":{e}"));
        }
        if t.operator.as_deref() == Some("Exists") && t.value.as_ref().is_none_or(String::is_empty) {
            s.push_str(" op=Exists");
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        if i == 0 {
            d.line(level, &format!("Tolerations:\t{s}"));
        } else {
            d.line(0, &format!("\t{s}"));
        }
    }
}

/// Go's `tabbedString` (tabwriter padding 2) for small tables such as rollout history.
pub fn tabbed(text: &str) -> String {
    Doc { text: text.to_string() }.finish()
}

/// The Pod Template section; with `bare`, without the heading (rollout history --revision).
pub fn pod_template_section(d: &mut Doc, t: &core::PodTemplateSpec, bare: bool) {
    if !bare {
        d.line(0, "Pod Template:");
    }
    pod_template_body(d, t);
}

fn pod_template(d: &mut Doc, t: &core::PodTemplateSpec) {
    pod_template_section(d, t, false);
}

fn pod_template_body(d: &mut Doc, t: &core::PodTemplateSpec) {
    labels_multiline(d, 1, "Labels", t.metadata.as_ref().and_then(|m| m.labels.as_ref()));
    if let Some(a) = t.metadata.as_ref().and_then(|m| m.annotations.as_ref()).filter(|a| !a.is_empty()) {
        annotations_multiline(d, 1, Some(a));
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        d.line(1, &format!("Service Account:\t{sa}"));
    }
    if let Some(inits) = spec.init_containers.as_ref().filter(|v| !v.is_empty()) {
        d.line(1, "Init Containers:");
        for c in inits {
            container_section(d, true, c, None);
        }
    }
    d.line(1, "Containers:");
    for c in &spec.containers {
        container_section(d, true, c, None);
    }
    volumes(d, 1, spec.volumes.as_deref().unwrap_or(&[]));
    d.line(1, &format!("Node-Selectors:\t{}", format_map(spec.node_selector.as_ref())));
    tolerations(d, 1, spec.tolerations.as_deref().unwrap_or(&[]));
}

fn volumes(d: &mut Doc, level: usize, vols: &[core::Volume]) {
    if vols.is_empty() {
        d.line(level, "Volumes:\t<none>");
        return;
    }
    d.line(level, "Volumes:");
    // describeVolumes: a pod template's volume names get one extra space; the sources'
    // fields are written at LEVEL_2 whatever the prefix.
    let name_indent = if level > 0 { " " } else { "" };
    for v in vols {
        d.line(1, &format!("{name_indent}{}:", v.name));
        let l = 2;
        if let Some(cm) = &v.config_map {
            d.line(l, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            d.line(l, &format!("Name:\t{}", cm.name));
            d.line(l, &format!("Optional:\t{}", cm.optional.unwrap_or(false)));
        } else if let Some(s) = &v.secret {
            d.line(l, "Type:\tSecret (a volume populated by a Secret)");
            d.line(l, &format!("SecretName:\t{}", s.secret_name.clone().unwrap_or_default()));
            d.line(l, &format!("Optional:\t{}", s.optional.unwrap_or(false)));
        } else if let Some(e) = &v.empty_dir {
            d.line(l, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
            d.line(l, &format!("Medium:\t{}", e.medium.clone().unwrap_or_default()));
            d.line(l, &format!("SizeLimit:\t{}", e.size_limit.as_ref().map_or("<unset>".to_string(), |q| q.0.clone())));
        } else if let Some(h) = &v.host_path {
            d.line(l, "Type:\tHostPath (bare host directory volume)");
            d.line(l, &format!("Path:\t{}", h.path));
            d.line(l, &format!("HostPathType:\t{}", h.type_.clone().unwrap_or_default()));
        } else if let Some(p) = &v.persistent_volume_claim {
            d.line(l, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            d.line(l, &format!("ClaimName:\t{}", p.claim_name));
            d.line(l, &format!("ReadOnly:\t{}", p.read_only.unwrap_or(false)));
        } else if let Some(p) = &v.projected {
            d.line(l, "Type:\tProjected (a volume that contains injected data from multiple sources)");
            for src in p.sources.iter().flatten() {
                if let Some(s) = &src.secret {
                    d.line(l, &format!("SecretName:\t{}", s.name));
                    d.line(l, &format!("Optional:\t{}", s.optional.unwrap_or(false)));
                } else if src.downward_api.is_some() {
                    d.line(l, "DownwardAPI:\ttrue");
                } else if let Some(c) = &src.config_map {
                    d.line(l, &format!("ConfigMapName:\t{}", c.name));
                    d.line(l, &format!("Optional:\t{}", c.optional.unwrap_or(false)));
                } else if let Some(t) = &src.service_account_token {
                    d.line(l, &format!("TokenExpirationSeconds:\t{}", t.expiration_seconds.unwrap_or(3600)));
                }
            }
        } else if let Some(dapi) = &v.downward_api {
            d.line(l, "Type:\tDownwardAPI (a volume populated by information about the pod)");
            d.line(l, "Items:");
            for i in dapi.items.iter().flatten() {
                if let Some(f) = &i.field_ref {
                    d.line(l + 1, &format!("{} -> {}", f.field_path, i.path));
                }
                if let Some(r) = &i.resource_field_ref {
                    d.line(l + 1, &format!("{} -> {}", r.resource, i.path));
                }
            }
        }
    }
}

fn cpu_text(m: i64) -> String {
    if m % 1000 == 0 {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

fn mem_text(b: i64) -> String {
    const KI: i64 = 1024;
    if b == 0 {
        "0".into()
    } else if b % (KI * KI * KI) == 0 {
        format!("{}Gi", b / (KI * KI * KI))
    } else if b % (KI * KI) == 0 {
        format!("{}Mi", b / (KI * KI))
    } else if b % KI == 0 {
        format!("{}Ki", b / KI)
    } else {
        b.to_string()
    }
}

fn pct(v: i64, of: i64) -> i64 {
    if of <= 0 {
        0
    } else {
        v * 100 / of
    }
}

/// The Non-terminated Pods and Allocated resources sections of `describe node`.
/// The node's Lease in kube-node-lease, as describe shows it: the kubelet renews it every
/// 10 s (a quarter of its 40 s duration) from the node's registration until it stops.
/// kubeplay derives it from the node rather than storing Lease objects.
fn node_lease(d: &mut Doc, world: &World, n: &core::Node) {
    let name = n.metadata.name.clone().unwrap_or_default();
    let Some(created) = n.metadata.creation_timestamp.as_ref() else { return };
    let created_ms = u64::try_from(created.0.as_millisecond() - kubeplay_sim::world::EPOCH_UNIX_MS).unwrap_or(0);
    let until = world.node_stopped_at(&name).unwrap_or_else(|| world.now_ms());
    let renewed = created_ms + until.saturating_sub(created_ms) / 10_000 * 10_000;
    d.line(0, "Lease:");
    d.line(1, &format!("HolderIdentity:\t{name}"));
    d.line(1, "AcquireTime:\t<unset>");
    d.line(1, &format!("RenewTime:\t{}", timestamp(&kubeplay_sim::world::time_at(renewed))));
}

fn node_pods_and_allocation(d: &mut Doc, world: &World, n: &core::Node) {
    let name = n.metadata.name.clone().unwrap_or_default();
    let (alloc, _) = kubeplay_sim::scheduler::allocatable(n);
    let now = world.now_ms();
    let pods: Vec<&core::Pod> = world
        .store()
        .pods_on_node(&name)
        .filter_map(|o| match o {
            Object::Pod(p) => Some(&**p),
            _ => None,
        })
        .filter(|p| !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded") | Some("Failed")))
        .collect();
    d.line(0, &format!("Non-terminated Pods:\t({} in total)", pods.len()));
    d.line(1, "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge");
    d.line(1, "---------\t----\t------------\t----------\t---------------\t-------------\t---");
    let (mut req_c, mut req_m, mut lim_c, mut lim_m) = (0i64, 0i64, 0i64, 0i64);
    for p in &pods {
        let spec = p.spec.clone().unwrap_or_default();
        let r = kubeplay_sim::resources::pod_requests(&spec, false);
        let lim = |k: &str| -> i64 {
            spec.containers
                .iter()
                .filter_map(|c| c.resources.as_ref().and_then(|r| r.limits.as_ref()).and_then(|l| l.get(k)))
                .filter_map(|q| kubeplay_sim::quantity::parse(&q.0))
                .sum::<i128>() as i64
        };
        let (lc, lm) = (lim("cpu"), lim("memory") / 1000);
        req_c += r.cpu_m;
        req_m += r.mem;
        lim_c += lc;
        lim_m += lm;
        d.line(
            1,
            &format!(
                "{}\t{}\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}",
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
                cpu_text(r.cpu_m),
                pct(r.cpu_m, alloc.cpu_m),
                cpu_text(lc),
                pct(lc, alloc.cpu_m),
                mem_text(r.mem),
                pct(r.mem, alloc.mem),
                mem_text(lm),
                pct(lm, alloc.mem),
                age(p.metadata.creation_timestamp.as_ref(), now)
            ),
        );
    }
    d.line(0, "Allocated resources:");
    d.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)");
    d.line(1, "Resource\tRequests\tLimits");
    d.line(1, "--------\t--------\t------");
    d.line(
        1,
        &format!("cpu\t{} ({}%)\t{} ({}%)", cpu_text(req_c), pct(req_c, alloc.cpu_m), cpu_text(lim_c), pct(lim_c, alloc.cpu_m)),
    );
    d.line(
        1,
        &format!("memory\t{} ({}%)\t{} ({}%)", mem_text(req_m), pct(req_m, alloc.mem), mem_text(lim_m), pct(lim_m, alloc.mem)),
    );
    for r in ["ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi"] {
        d.line(1, &format!("{r}\t0 (0%)\t0 (0%)"));
    }
}

/// The ready `ip:port` endpoints of a Service's port (by port name), from its EndpointSlices.
fn ready_endpoints(world: &World, ns: &str, service: &str, port_name: Option<&str>) -> Vec<String> {
    let mut eps: Vec<String> = Vec::new();
    for o in world.store().list(Kind::EndpointSlice, Some(ns)) {
        let Object::EndpointSlice(es) = o else { continue };
        if es.metadata.labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")).map(String::as_str) != Some(service) {
            continue;
        }
        let port = es
            .ports
            .iter()
            .flatten()
            .find(|ep| ep.name.as_deref().unwrap_or("") == port_name.unwrap_or(""))
            .and_then(|ep| ep.port);
        for e in es.endpoints.iter().filter(|e| e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true)) {
            for a in &e.addresses {
                eps.push(match port {
                    Some(pp) => format!("{a}:{pp}"),
                    None => a.clone(),
                });
            }
        }
    }
    eps
}

/// kubectl's describeBackendV1: `svc:port (endpoints)`.
fn ingress_backend(world: &World, ns: &str, b: &k8s_openapi::api::networking::v1::IngressBackend) -> String {
    let Some(sb) = &b.service else {
        return b
            .resource
            .as_ref()
            .map(|r| format!("APIGroup: {}, Kind: {}, Name: {}", r.api_group.clone().unwrap_or_default(), r.kind, r.name))
            .unwrap_or_default();
    };
    let port = sb
        .port
        .as_ref()
        .map(|p| match (&p.name, p.number) {
            (Some(n), _) if !n.is_empty() => n.clone(),
            (_, Some(num)) => num.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default();
    let Some(Object::Service(svc)) = world.get(Kind::Service, ns, &sb.name) else {
        return format!("{}:{port} (<error: services \"{}\" not found>)", sb.name, sb.name);
    };
    let sp = svc.spec.as_ref().and_then(|s| s.ports.as_ref()).and_then(|ps| {
        ps.iter()
            .find(|p| sb.port.as_ref().is_some_and(|bp| bp.number == Some(p.port) || (bp.name.is_some() && bp.name == p.name)))
    });
    let eps = match sp {
        Some(p) => ready_endpoints(world, ns, &sb.name, p.name.as_deref()),
        None => Vec::new(),
    };
    let shown = match eps.len() {
        0 => "<none>".to_string(),
        1..=3 => eps.join(","),
        n => format!("{} + {} more...", eps[..3].join(","), n - 3),
    };
    format!("{}:{port} ({shown})", sb.name)
}

/// `Pods Status:` of a controller: its pods by phase (kubectl's getPodStatusForController).
fn pods_status(world: &World, m: &ObjectMeta) -> String {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let uid = m.uid.clone().unwrap_or_default();
    for r in world.store().dependents_of(&uid) {
        if let Some(Object::Pod(p)) = world.store().get_ref(r) {
            match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
                Some("Running") => running += 1,
                Some("Succeeded") => succeeded += 1,
                Some("Failed") => failed += 1,
                _ => waiting += 1,
            }
        }
    }
    format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

/// kubectl's generic describer (`genericDescriber`), for kinds with no describer of their
/// own: the name, namespace, labels and annotations, then every other field of the object,
/// keys sorted and turned into words (`smartLabelFor`), then its events.
fn describe_generic(world: &World, obj: &Object) -> String {
    let mut d = Doc::default();
    let m = obj.meta();
    d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
    d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
    labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
    annotations_multiline(&mut d, 0, m.annotations.as_ref());
    if let serde_json::Value::Object(content) = obj.to_value() {
        let skip =
            [".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"];
        unstructured(&mut d, 0, &content, "", &skip);
    }
    events(&mut d, world, obj);
    d.finish()
}

/// `printUnstructuredContent`: maps as indented sections, list items one after another,
/// other values after a tab.
fn unstructured(d: &mut Doc, level: usize, content: &serde_json::Map<String, serde_json::Value>, prefix: &str, skip: &[&str]) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            serde_json::Value::Object(map) => {
                d.line(level, &format!("{}:", smart_label(field)));
                unstructured(d, level + 1, map, &path, skip);
            }
            serde_json::Value::Array(items) => {
                d.line(level, &format!("{}:", smart_label(field)));
                for item in items {
                    match item {
                        serde_json::Value::Object(map) => unstructured(d, level + 1, map, &path, skip),
                        other => d.line(level + 1, &go_value(other)),
                    }
                }
            }
            other => d.line(level, &format!("{}:\t{}", smart_label(field), go_value(other))),
        }
    }
}

/// A JSON scalar as Go's `%v` prints it.
fn go_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// `smartLabelFor`: a camelCase field as words (`groupPriorityMinimum` is "Group Priority
/// Minimum"), common acronyms upper-cased; fields with other characters stay as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    // fatih/camelcase: runs of lower or upper case, an upper run's last letter starting the
    // lower run after it.
    let mut parts: Vec<String> = Vec::new();
    let mut last_upper: Option<bool> = None;
    for c in field.chars() {
        let upper = c.is_uppercase();
        match (last_upper, parts.last_mut()) {
            (Some(prev), Some(p)) if prev == upper => p.push(c),
            (Some(true), Some(p)) if !upper && p.chars().count() > 1 => {
                let moved = p.pop().unwrap_or(c);
                parts.push(format!("{moved}{c}"));
            }
            (Some(true), Some(p)) if !upper => p.push(c),
            _ => parts.push(c.to_string()),
        }
        last_upper = Some(upper);
    }
    parts
        .iter()
        .map(|p| {
            if ["API", "URL", "UID", "OSB", "GUID"].contains(&p.to_uppercase().as_str()) {
                p.to_uppercase()
            } else {
                let mut cs = p.chars();
                cs.next().map(|f| f.to_uppercase().chain(cs).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn describe_one(world: &World, obj: &Object) -> String {
    let mut d = Doc::default();
    let m = obj.meta();
    let now = world.now_ms();
    match obj {
        Object::APIService(_) => return describe_generic(world, obj),
        Object::Pod(p) => {
            let spec = p.spec.clone().unwrap_or_default();
            let st = p.status.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            d.line(0, &format!("Priority:\t{}", spec.priority.unwrap_or(0)));
            if let Some(pc) = spec.priority_class_name.as_deref().filter(|n| !n.is_empty()) {
                d.line(0, &format!("Priority Class Name:\t{pc}"));
            }
            d.line(0, &format!("Service Account:\t{}", spec.service_account_name.clone().unwrap_or_else(|| "default".into())));
            let node = match (&spec.node_name, &st.host_ip) {
                (Some(n), Some(ip)) => format!("{n}/{ip}"),
                (Some(n), None) => n.clone(),
                _ => "<none>".into(),
            };
            d.line(0, &format!("Node:\t{node}"));
            if let Some(t) = &st.start_time {
                d.line(0, &format!("Start Time:\t{}", timestamp(t)));
            }
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            let (_, status, _) = pod_status(p, now);
            if m.deletion_timestamp.is_some() {
                d.line(
                    0,
                    &format!("Status:\tTerminating (lasts {})", age(m.deletion_timestamp.as_ref(), now).trim_start_matches('-')),
                );
                d.line(0, &format!("Termination Grace Period:\t{}s", m.deletion_grace_period_seconds.unwrap_or(30)));
            } else {
                d.line(0, &format!("Status:\t{}", st.phase.clone().unwrap_or_else(|| "Pending".into())));
            }
            let _ = status;
            if let Some(r) = st.reason.as_ref().filter(|r| !r.is_empty()) {
                d.line(0, &format!("Reason:\t{r}"));
            }
            if let Some(msg) = st.message.as_ref().filter(|r| !r.is_empty()) {
                d.line(0, &format!("Message:\t{msg}"));
            }
            d.line(0, &format!("IP:\t{}", st.pod_ip.clone().unwrap_or_default()));
            let ips = st.pod_ips.clone().unwrap_or_default();
            if ips.is_empty() {
                d.line(0, "IPs:\t<none>");
            } else {
                d.line(0, "IPs:");
                for ip in ips {
                    d.line(1, &format!("IP:\t{}", ip.ip));
                }
            }
            if let Some(owner) = m.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
                d.line(0, &format!("Controlled By:\t{}/{}", owner.kind, owner.name));
            }
            if let Some(n) = st.nominated_node_name.as_deref().filter(|n| !n.is_empty()) {
                d.line(0, &format!("NominatedNodeName:\t{n}"));
            }
            if let Some(inits) = spec.init_containers.as_ref().filter(|v| !v.is_empty()) {
                d.line(0, "Init Containers:");
                for c in inits {
                    let cs = st.init_container_statuses.iter().flatten().find(|s| s.name == c.name);
                    container_section(&mut d, false, c, cs);
                }
            }
            d.line(0, "Containers:");
            for c in &spec.containers {
                let cs = st.container_statuses.iter().flatten().find(|s| s.name == c.name);
                container_section(&mut d, false, c, cs);
            }
            if let Some(eph) = spec.ephemeral_containers.as_ref().filter(|v| !v.is_empty()) {
                d.line(0, "Ephemeral Containers:");
                for e in eph {
                    let c = kubeplay_sim::kubelet::ephemeral_as_container(e);
                    let cs = st.ephemeral_container_statuses.iter().flatten().find(|s| s.name == c.name);
                    container_section(&mut d, false, &c, cs);
                }
            }
            let conds = st.conditions.clone().unwrap_or_default();
            if !conds.is_empty() {
                d.line(0, "Conditions:");
                d.line(1, "Type\tStatus");
                // kubectl writes each cell with a trailing space (`"%v \t%v \n"`).
                for c in conds {
                    d.line(1, &format!("{} \t{} ", c.type_, c.status));
                }
            }
            volumes(&mut d, 0, spec.volumes.as_deref().unwrap_or(&[]));
            d.line(0, &format!("QoS Class:\t{}", st.qos_class.clone().unwrap_or_else(|| "BestEffort".into())));
            d.line(0, &format!("Node-Selectors:\t{}", format_map(spec.node_selector.as_ref())));
            tolerations(&mut d, 0, spec.tolerations.as_deref().unwrap_or(&[]));
        }
        Object::Deployment(dep) => {
            header(&mut d, m, true, true);
            let spec = dep.spec.clone().unwrap_or_default();
            let st = dep.status.clone().unwrap_or_default();
            d.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
            d.line(
                0,
                &format!(
                    "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
                    spec.replicas.unwrap_or(1),
                    st.updated_replicas.unwrap_or(0),
                    st.replicas.unwrap_or(0),
                    st.available_replicas.unwrap_or(0),
                    st.unavailable_replicas.unwrap_or(0)
                ),
            );
            let strategy = spec.strategy.clone().unwrap_or_default();
            d.line(0, &format!("StrategyType:\t{}", strategy.type_.clone().unwrap_or_default()));
            d.line(0, &format!("MinReadySeconds:\t{}", spec.min_ready_seconds.unwrap_or(0)));
            if let Some(ru) = &strategy.rolling_update {
                d.line(
                    0,
                    &format!(
                        "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                        ru.max_unavailable.as_ref().map_or("0".into(), int_or_string),
                        ru.max_surge.as_ref().map_or("0".into(), int_or_string)
                    ),
                );
            }
            pod_template(&mut d, &spec.template);
            let conds = st.conditions.iter().flatten().map(|c| (&c.type_, &c.status, c.reason.as_deref()));
            conditions_table(&mut d, conds);
            let uid = m.uid.clone().unwrap_or_default();
            let mut rss: Vec<&k8s_openapi::api::apps::v1::ReplicaSet> = world
                .store()
                .dependents_of(&uid)
                .filter_map(|r| match world.store().get_ref(r) {
                    Some(Object::ReplicaSet(rs)) => Some(&**rs),
                    _ => None,
                })
                .collect();
            rss.sort_by_key(|rs| rs.metadata.creation_timestamp.as_ref().map_or(0, ms_of));
            let tpl_hash_free = |t: &Option<core::PodTemplateSpec>| {
                let mut t = t.clone().unwrap_or_default();
                if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                    l.remove("pod-template-hash");
                }
                t
            };
            let (new, old): (Vec<_>, Vec<_>) = rss
                .into_iter()
                .partition(|rs| tpl_hash_free(&rs.spec.as_ref().and_then(|s| s.template.clone())) == spec.template);
            let fmt_rs = |rs: &k8s_openapi::api::apps::v1::ReplicaSet| {
                format!(
                    "{} ({}/{} replicas created)",
                    rs.metadata.name.clone().unwrap_or_default(),
                    rs.status.as_ref().map_or(0, |s| s.replicas),
                    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)
                )
            };
            let old_active: Vec<String> =
                old.iter().filter(|rs| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0) > 0).map(|rs| fmt_rs(rs)).collect();
            d.line(
                0,
                &format!("OldReplicaSets:\t{}", if old_active.is_empty() { "<none>".into() } else { old_active.join(", ") }),
            );
            d.line(0, &format!("NewReplicaSet:\t{}", new.first().map_or("<none>".into(), |rs| fmt_rs(rs))));
        }
        Object::ReplicaSet(rs) => {
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            let spec = rs.spec.clone().unwrap_or_default();
            let st = rs.status.clone().unwrap_or_default();
            d.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            if let Some(owner) = m.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
                d.line(0, &format!("Controlled By:\t{}/{}", owner.kind, owner.name));
            }
            d.line(0, &format!("Replicas:\t{} current / {} desired", st.replicas, spec.replicas.unwrap_or(1)));
            d.line(0, &pods_status(world, m));
            if let Some(t) = &spec.template {
                pod_template(&mut d, t);
            }
            conditions_table(&mut d, st.conditions.iter().flatten().map(|c| (&c.type_, &c.status, c.reason.as_deref())));
        }
        Object::ReplicationController(rc) => {
            // kubectl's describeReplicationController: the ReplicaSet's, with a label-map
            // selector and no Controlled By.
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            let spec = rc.spec.clone().unwrap_or_default();
            let st = rc.status.clone().unwrap_or_default();
            d.line(0, &format!("Selector:\t{}", crate::printers::format_map(spec.selector.as_ref())));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Replicas:\t{} current / {} desired", st.replicas, spec.replicas.unwrap_or(1)));
            d.line(0, &pods_status(world, m));
            if let Some(t) = &spec.template {
                pod_template(&mut d, t);
            }
            conditions_table(&mut d, st.conditions.iter().flatten().map(|c| (&c.type_, &c.status, c.reason.as_deref())));
        }
        Object::PersistentVolume(pv) => {
            // kubectl's describePersistentVolume.
            let spec = pv.spec.clone().unwrap_or_default();
            let st = pv.status.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Finalizers:\t[{}]", m.finalizers.clone().unwrap_or_default().join(" ")));
            d.line(0, &format!("StorageClass:\t{}", spec.storage_class_name.clone().unwrap_or_default()));
            match &m.deletion_timestamp {
                Some(t) => d.line(0, &format!("Status:\tTerminating (lasts {})", age(Some(t), now))),
                None => d.line(0, &format!("Status:\t{}", st.phase.clone().unwrap_or_default())),
            }
            let claim = spec
                .claim_ref
                .as_ref()
                .map(|c| format!("{}/{}", c.namespace.clone().unwrap_or_default(), c.name.clone().unwrap_or_default()))
                .unwrap_or_default();
            d.line(0, &format!("Claim:\t{claim}"));
            d.line(0, &format!("Reclaim Policy:\t{}", spec.persistent_volume_reclaim_policy.clone().unwrap_or_default()));
            d.line(0, &format!("Access Modes:\t{}", crate::printers::access_modes(spec.access_modes.as_deref().unwrap_or(&[]))));
            d.line(0, &format!("VolumeMode:\t{}", spec.volume_mode.clone().unwrap_or_else(|| "Filesystem".into())));
            let cap = spec.capacity.as_ref().and_then(|c| c.get("storage")).map(|q| q.0.clone()).unwrap_or_default();
            d.line(0, &format!("Capacity:\t{cap}"));
            match spec.node_affinity.as_ref().and_then(|a| a.required.as_ref()) {
                None => d.line(0, "Node Affinity:\t<none>"),
                Some(req) => {
                    d.line(0, "Node Affinity:\t");
                    d.line(1, "Required Terms:\t");
                    for t in &req.node_selector_terms {
                        let exprs: Vec<String> = t
                            .match_expressions
                            .iter()
                            .flatten()
                            .map(|e| {
                                format!(
                                    "{} {} [{}]",
                                    e.key,
                                    e.operator.to_lowercase(),
                                    e.values.clone().unwrap_or_default().join(", ")
                                )
                            })
                            .collect();
                        d.line(2, &format!("Term {}:\t{}", 0, exprs.join("\n")));
                    }
                }
            }
            d.line(0, &format!("Message:\t{}", st.message.clone().unwrap_or_default()));
            d.line(0, "Source:");
            if let Some(h) = &spec.host_path {
                d.line(2, "Type:\tHostPath (bare host directory volume)");
                d.line(2, &format!("Path:\t{}", h.path));
                d.line(2, &format!("HostPathType:\t{}", h.type_.clone().unwrap_or_default()));
            } else if let Some(l) = &spec.local {
                d.line(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)");
                d.line(2, &format!("Path:\t{}", l.path));
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            // kubectl's describePersistentVolumeClaim.
            let spec = pvc.spec.clone().unwrap_or_default();
            let st = pvc.status.clone().unwrap_or_default();
            let ns = m.namespace.clone().unwrap_or_default();
            let name = m.name.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{name}"));
            d.line(0, &format!("Namespace:\t{ns}"));
            d.line(0, &format!("StorageClass:\t{}", spec.storage_class_name.clone().unwrap_or_default()));
            match &m.deletion_timestamp {
                Some(t) => d.line(0, &format!("Status:\tTerminating (lasts {})", age(Some(t), now))),
                None => d.line(0, &format!("Status:\t{}", st.phase.clone().unwrap_or_else(|| "Pending".into()))),
            }
            d.line(0, &format!("Volume:\t{}", spec.volume_name.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Finalizers:\t[{}]", m.finalizers.clone().unwrap_or_default().join(" ")));
            let bound = spec.volume_name.as_ref().is_some_and(|v| !v.is_empty());
            let (cap, modes) = if bound {
                (
                    st.capacity.as_ref().and_then(|c| c.get("storage")).map(|q| q.0.clone()).unwrap_or_default(),
                    crate::printers::access_modes(st.access_modes.as_deref().unwrap_or(&[])),
                )
            } else {
                (String::new(), String::new())
            };
            d.line(0, &format!("Capacity:\t{cap}"));
            d.line(0, &format!("Access Modes:\t{modes}"));
            if let Some(vm) = &spec.volume_mode {
                d.line(0, &format!("VolumeMode:\t{vm}"));
            }
            let users: Vec<String> = world
                .store()
                .list(Kind::Pod, Some(&ns))
                .filter_map(|o| match o {
                    Object::Pod(p)
                        if p.spec.as_ref().is_some_and(|s| {
                            s.volumes
                                .iter()
                                .flatten()
                                .any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == name))
                        }) =>
                    {
                        p.metadata.name.clone()
                    }
                    _ => None,
                })
                .collect();
            if users.is_empty() {
                d.line(0, "Used By:\t<none>");
            } else {
                for (i, u) in users.iter().enumerate() {
                    d.line(0, &format!("{}\t{u}", if i == 0 { "Used By:" } else { "" }));
                }
            }
        }
        Object::StatefulSet(ss) => {
            // kubectl's describeStatefulSet.
            let spec = ss.spec.clone().unwrap_or_default();
            let st = ss.status.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            if let Some(t) = &m.creation_timestamp {
                d.line(0, &format!("CreationTimestamp:\t{}", timestamp(t)));
            }
            d.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Replicas:\t{} desired | {} total", spec.replicas.unwrap_or(1), st.replicas));
            let strategy = spec.update_strategy.clone().unwrap_or_default();
            d.line(0, &format!("Update Strategy:\t{}", strategy.type_.clone().unwrap_or_else(|| "RollingUpdate".into())));
            if let Some(ru) = &strategy.rolling_update {
                if let Some(p) = ru.partition {
                    d.line(1, &format!("Partition:\t{p}"));
                    if let Some(mu) = &ru.max_unavailable {
                        d.line(1, &format!("MaxUnavailable:\t{}", int_or_string(mu)));
                    }
                }
            }
            d.line(0, &pods_status(world, m));
            pod_template(&mut d, &spec.template);
            let claims = spec.volume_claim_templates.clone().unwrap_or_default();
            if claims.is_empty() {
                d.line(0, "Volume Claims:\t<none>");
            } else {
                d.line(0, "Volume Claims:");
                for pvc in &claims {
                    let pspec = pvc.spec.clone().unwrap_or_default();
                    d.line(1, &format!("Name:\t{}", pvc.metadata.name.clone().unwrap_or_default()));
                    d.line(1, &format!("StorageClass:\t{}", pspec.storage_class_name.clone().unwrap_or_default()));
                    labels_multiline(&mut d, 1, "Labels", pvc.metadata.labels.as_ref());
                    labels_multiline(&mut d, 1, "Annotations", pvc.metadata.annotations.as_ref());
                    let cap = pspec.resources.as_ref().and_then(|r| r.requests.as_ref()).and_then(|r| r.get("storage"));
                    d.line(1, &format!("Capacity:\t{}", cap.map_or_else(|| "<default>".to_string(), |q| q.0.clone())));
                    d.line(1, &format!("Access Modes:\t[{}]", pspec.access_modes.clone().unwrap_or_default().join(" ")));
                }
            }
        }
        Object::DaemonSet(ds) => {
            // kubectl's describeDaemonSet: the counts are written without a tab.
            let spec = ds.spec.clone().unwrap_or_default();
            let st = ds.status.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            // Since 1.33 (kubernetes#130862).
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            d.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
            let node_selector = spec.template.spec.as_ref().and_then(|s| s.node_selector.as_ref());
            d.line(0, &format!("Node-Selector:\t{}", format_map(node_selector)));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Desired Number of Nodes Scheduled: {}", st.desired_number_scheduled));
            d.line(0, &format!("Current Number of Nodes Scheduled: {}", st.current_number_scheduled));
            d.line(0, &format!("Number of Nodes Scheduled with Up-to-date Pods: {}", st.updated_number_scheduled.unwrap_or(0)));
            d.line(0, &format!("Number of Nodes Scheduled with Available Pods: {}", st.number_available.unwrap_or(0)));
            d.line(0, &format!("Number of Nodes Misscheduled: {}", st.number_misscheduled));
            d.line(0, &pods_status(world, m));
            pod_template(&mut d, &spec.template);
        }
        Object::Ingress(ing) => {
            // kubectl's describeIngressV1.
            let ns = m.namespace.clone().unwrap_or_default();
            let spec = ing.spec.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            d.line(0, &format!("Namespace:\t{ns}"));
            let addrs: Vec<String> = ing
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect();
            d.line(0, &format!("Address:\t{}", addrs.join(",")));
            d.line(0, &format!("Ingress Class:\t{}", spec.ingress_class_name.clone().unwrap_or_else(|| "<none>".into())));
            let default_backend =
                spec.default_backend.as_ref().map_or_else(|| "<default>".to_string(), |b| ingress_backend(world, &ns, b));
            d.line(0, &format!("Default backend:\t{default_backend}"));
            if let Some(tls) = spec.tls.as_ref().filter(|t| !t.is_empty()) {
                d.line(0, "TLS:");
                for t in tls {
                    let hosts = t.hosts.clone().unwrap_or_default().join(",");
                    match &t.secret_name {
                        Some(secret) if !secret.is_empty() => d.line(1, &format!("{secret} terminates {hosts}")),
                        _ => d.line(1, &format!("SNI routes {hosts}")),
                    }
                }
            }
            d.line(0, "Rules:");
            d.line(1, "Host\tPath\tBackends");
            d.line(1, "----\t----\t--------");
            let mut count = 0;
            for r in spec.rules.iter().flatten() {
                let Some(http) = &r.http else { continue };
                count += 1;
                let host = r.host.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| "*".into());
                d.line(1, &format!("{host}\t"));
                for p in &http.paths {
                    d.line(2, &format!("\t{}\t{}", p.path.clone().unwrap_or_default(), ingress_backend(world, &ns, &p.backend)));
                }
            }
            if count == 0 {
                d.line(1, &format!("*\t*\t{default_backend}"));
            }
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
        }
        Object::CronJob(cj) => {
            // kubectl's describeCronJob and describeJobTemplate.
            let spec = cj.spec.clone().unwrap_or_default();
            let st = cj.status.clone().unwrap_or_default();
            let unset = |v: Option<String>| v.unwrap_or_else(|| "<unset>".into());
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, &format!("Schedule:\t{}", spec.schedule));
            d.line(0, &format!("Concurrency Policy:\t{}", spec.concurrency_policy.clone().unwrap_or_default()));
            d.line(0, &format!("Suspend:\t{}", if spec.suspend.unwrap_or(false) { "True" } else { "False" }));
            d.line(
                0,
                &format!("Successful Job History Limit:\t{}", unset(spec.successful_jobs_history_limit.map(|v| v.to_string()))),
            );
            d.line(0, &format!("Failed Job History Limit:\t{}", unset(spec.failed_jobs_history_limit.map(|v| v.to_string()))));
            d.line(0, &format!("Starting Deadline Seconds:\t{}", unset(spec.starting_deadline_seconds.map(|v| format!("{v}s")))));
            let job = spec.job_template.spec.clone().unwrap_or_default();
            d.line(0, &format!("Selector:\t{}", unset(job.selector.as_ref().map(|s| format_selector(Some(s))))));
            d.line(0, &format!("Parallelism:\t{}", unset(job.parallelism.map(|v| v.to_string()))));
            d.line(0, &format!("Completions:\t{}", unset(job.completions.map(|v| v.to_string()))));
            if let Some(a) = job.active_deadline_seconds {
                d.line(0, &format!("Active Deadline Seconds:\t{a}s"));
            }
            pod_template(&mut d, &job.template);
            d.line(0, &format!("Last Schedule Time:\t{}", unset(st.last_schedule_time.as_ref().map(timestamp))));
            let active: Vec<String> = st.active.iter().flatten().filter_map(|r| r.name.clone()).collect();
            d.line(0, &format!("Active Jobs:\t{}", if active.is_empty() { "<none>".to_string() } else { active.join(", ") }));
        }
        Object::Job(j) => {
            // kubectl's describeJob.
            let spec = j.spec.clone().unwrap_or_default();
            let st = j.status.clone().unwrap_or_default();
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            d.line(0, &format!("Selector:\t{}", format_selector(spec.selector.as_ref())));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            if let Some(owner) = m.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
                d.line(0, &format!("Controlled By:\t{}/{}", owner.kind, owner.name));
            }
            if let Some(p) = spec.parallelism {
                d.line(0, &format!("Parallelism:\t{p}"));
            }
            match spec.completions {
                Some(c) => d.line(0, &format!("Completions:\t{c}")),
                None => d.line(0, "Completions:\t<unset>"),
            }
            if let Some(mode) = &spec.completion_mode {
                d.line(0, &format!("Completion Mode:\t{mode}"));
            }
            if let Some(sus) = spec.suspend {
                d.line(0, &format!("Suspend:\t{sus}"));
            }
            if let Some(b) = spec.backoff_limit {
                d.line(0, &format!("Backoff Limit:\t{b}"));
            }
            if let Some(ttl) = spec.ttl_seconds_after_finished {
                d.line(0, &format!("TTL Seconds After Finished:\t{ttl}"));
            }
            if let Some(t) = &st.start_time {
                d.line(0, &format!("Start Time:\t{}", timestamp(t)));
            }
            if let Some(t) = &st.completion_time {
                d.line(0, &format!("Completed At:\t{}", timestamp(t)));
            }
            if let (Some(a), Some(b)) = (&st.start_time, &st.completion_time) {
                let ms = (b.0.as_millisecond() - a.0.as_millisecond()).max(0);
                d.line(0, &format!("Duration:\t{}", crate::duration::human(ms)));
            }
            if let Some(ads) = spec.active_deadline_seconds {
                d.line(0, &format!("Active Deadline Seconds:\t{ads}s"));
            }
            let (active, succeeded, failed) = (st.active.unwrap_or(0), st.succeeded.unwrap_or(0), st.failed.unwrap_or(0));
            match st.ready {
                Some(ready) => d.line(
                    0,
                    &format!("Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed"),
                ),
                None => d.line(0, &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed")),
            }
            if spec.completion_mode.as_deref() == Some("Indexed") {
                let idx = st.completed_indexes.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into());
                d.line(0, &format!("Completed Indexes:\t{idx}"));
            }
            pod_template(&mut d, &spec.template);
        }
        Object::Service(s) => {
            header(&mut d, m, true, false);
            let spec = s.spec.clone().unwrap_or_default();
            d.line(0, &format!("Selector:\t{}", format_map(spec.selector.as_ref())));
            d.line(0, &format!("Type:\t{}", spec.type_.clone().unwrap_or_else(|| "ClusterIP".into())));
            d.line(0, &format!("IP Family Policy:\t{}", spec.ip_family_policy.clone().unwrap_or_else(|| "SingleStack".into())));
            d.line(0, &format!("IP Families:\t{}", spec.ip_families.clone().unwrap_or_default().join(",")));
            d.line(0, &format!("IP:\t{}", spec.cluster_ip.clone().unwrap_or_default()));
            d.line(0, &format!("IPs:\t{}", spec.cluster_ips.clone().unwrap_or_default().join(",")));
            if let Some(lb) = s.status.as_ref().and_then(|st| st.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref()) {
                // kubectl 1.31+ adds each address's ipMode in parentheses.
                let ips: Vec<String> = lb
                    .iter()
                    .map(|i| {
                        let addr = i.ip.clone().or_else(|| i.hostname.clone()).unwrap_or_default();
                        match &i.ip_mode {
                            Some(mode) => format!("{addr} ({mode})"),
                            None => addr,
                        }
                    })
                    .collect();
                d.line(0, &format!("LoadBalancer Ingress:\t{}", ips.join(", ")));
            }
            // Endpoints come from the EndpointSlices of this Service.
            let name = m.name.clone().unwrap_or_default();
            let ns = m.namespace.clone().unwrap_or_default();
            for p in spec.ports.iter().flatten() {
                let pname = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                d.line(0, &format!("Port:\t{pname}\t{}/{proto}", p.port));
                let tp = p.target_port.as_ref().map_or(p.port.to_string(), int_or_string);
                d.line(0, &format!("TargetPort:\t{tp}/{proto}"));
                if let Some(np) = p.node_port {
                    d.line(0, &format!("NodePort:\t{pname}\t{np}/{proto}"));
                }
                // kubectl's formatEndpointSlices: three addresses, then "+ N more...".
                let eps = ready_endpoints(world, &ns, &name, p.name.as_deref());
                let shown = match eps.len() {
                    0..=3 => eps.join(","),
                    n => format!("{} + {} more...", eps[..3].join(","), n - 3),
                };
                d.line(0, &format!("Endpoints:\t{shown}"));
            }
            d.line(0, &format!("Session Affinity:\t{}", spec.session_affinity.clone().unwrap_or_else(|| "None".into())));
            if let Some(p) = &spec.external_traffic_policy {
                d.line(0, &format!("External Traffic Policy:\t{p}"));
            }
            d.line(
                0,
                &format!(
                    "Internal Traffic Policy:\t{}",
                    spec.internal_traffic_policy.clone().unwrap_or_else(|| "Cluster".into())
                ),
            );
            if let Some(p) = spec.health_check_node_port.filter(|p| *p != 0) {
                d.line(0, &format!("HealthCheck NodePort:\t{p}"));
            }
        }
        Object::Node(n) => {
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            let roles: Vec<String> = m
                .labels
                .iter()
                .flatten()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
                .collect();
            d.line(0, &format!("Roles:\t{}", if roles.is_empty() { "<none>".into() } else { roles.join(",") }));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            if let Some(t) = &m.creation_timestamp {
                d.line(0, &format!("CreationTimestamp:\t{}", timestamp(t)));
            }
            let spec = n.spec.clone().unwrap_or_default();
            let taints = spec.taints.clone().unwrap_or_default();
            if taints.is_empty() {
                d.line(0, "Taints:\t<none>");
            } else {
                for (i, t) in taints.iter().enumerate() {
                    let v = t.value.as_ref().map(|v| format!("={v}")).unwrap_or_default();
                    let s = format!("{}{v}:{}", t.key, t.effect);
                    d.line(0, &if i == 0 { format!("Taints:\t{s}") } else { format!("\t{s}") });
                }
            }
            d.line(0, &format!("Unschedulable:\t{}", spec.unschedulable.unwrap_or(false)));
            node_lease(&mut d, world, n);
            let st = n.status.clone().unwrap_or_default();
            d.line(0, "Conditions:");
            d.line(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage");
            d.line(1, "----\t------\t-----------------\t------------------\t------\t-------");
            for c in st.conditions.clone().unwrap_or_default() {
                d.line(
                    1,
                    &format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        c.type_,
                        c.status,
                        c.last_heartbeat_time.as_ref().map(timestamp).unwrap_or_default(),
                        c.last_transition_time.as_ref().map(timestamp).unwrap_or_default(),
                        c.reason.clone().unwrap_or_default(),
                        c.message.clone().unwrap_or_default()
                    ),
                );
            }
            d.line(0, "Addresses:");
            for a in st.addresses.clone().unwrap_or_default() {
                d.line(1, &format!("{}:\t{}", a.type_, a.address));
            }
            for (title, m) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
                d.line(0, &format!("{title}:"));
                for (k, v) in m.iter().flatten() {
                    d.line(1, &format!("{k}:\t{}", v.0));
                }
            }
            let info = st.node_info.clone().unwrap_or_default();
            d.line(0, "System Info:");
            for (k, v) in [
                ("Machine ID", info.machine_id.clone()),
                ("System UUID", info.system_uuid.clone()),
                ("Boot ID", info.boot_id.clone()),
                ("Kernel Version", info.kernel_version.clone()),
                ("OS Image", info.os_image.clone()),
                ("Operating System", info.operating_system.clone()),
                ("Architecture", info.architecture.clone()),
                ("Container Runtime Version", info.container_runtime_version.clone()),
                ("Kubelet Version", info.kubelet_version.clone()),
                ("Kube-Proxy Version", info.kube_proxy_version.clone()),
            ] {
                d.line(1, &format!("{k}:\t{v}"));
            }
            d.line(0, &format!("PodCIDR:\t{}", spec.pod_cidr.clone().unwrap_or_default()));
            d.line(0, &format!("PodCIDRs:\t{}", spec.pod_cidrs.clone().unwrap_or_default().join(",")));
            d.line(0, &format!("ProviderID:\t{}", spec.provider_id.clone().unwrap_or_default()));
            node_pods_and_allocation(&mut d, world, n);
        }
        // kubectl's RBAC describers: no namespace line and no events.
        Object::Role(_) | Object::ClusterRole(_) => {
            let rules = match obj {
                Object::Role(r) => r.rules.as_deref().unwrap_or(&[]),
                Object::ClusterRole(r) => r.rules.as_deref().unwrap_or(&[]),
                _ => &[],
            };
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, "PolicyRule:");
            d.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs");
            d.line(1, "---------\t-----------------\t--------------\t-----");
            for r in crate::rbac::compact_rules(rules) {
                let list = |v: &[String]| format!("[{}]", v.join(" "));
                d.line(
                    1,
                    &format!(
                        "{}\t{}\t{}\t{}",
                        crate::rbac::combine_resource_group(&r.resources, &r.api_groups),
                        list(&r.non_resource_urls),
                        list(&r.resource_names),
                        list(&r.verbs)
                    ),
                );
            }
            return d.finish();
        }
        Object::RoleBinding(_) | Object::ClusterRoleBinding(_) => {
            let (role_ref, subjects) = match obj {
                Object::RoleBinding(b) => (&b.role_ref, b.subjects.as_deref().unwrap_or(&[])),
                Object::ClusterRoleBinding(b) => (&b.role_ref, b.subjects.as_deref().unwrap_or(&[])),
                _ => return d.finish(),
            };
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            d.line(0, "Role:");
            d.line(1, &format!("Kind:\t{}", role_ref.kind));
            d.line(1, &format!("Name:\t{}", role_ref.name));
            d.line(0, "Subjects:");
            d.line(1, "Kind\tName\tNamespace");
            d.line(1, "----\t----\t---------");
            for s in subjects {
                d.line(1, &format!("{}\t{}\t{}", s.kind, s.name, s.namespace.as_deref().unwrap_or("")));
            }
            return d.finish();
        }
        Object::NetworkPolicy(np) => {
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            // Go's time.Time String().
            let created = m.creation_timestamp.as_ref().map(|t| t.0.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string());
            d.line(0, &format!("Created on:\t{}", created.unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            network_policy_spec(&mut d, np.spec.as_ref());
            return d.finish();
        }
        Object::HorizontalPodAutoscaler(h) => {
            // describeHorizontalPodAutoscalerV2.
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            labels_multiline(&mut d, 0, "Labels", m.labels.as_ref());
            annotations_multiline(&mut d, 0, m.annotations.as_ref());
            if let Some(t) = &m.creation_timestamp {
                d.line(0, &format!("CreationTimestamp:\t{}", timestamp(t)));
            }
            let spec = h.spec.clone().unwrap_or_default();
            let st = h.status.clone().unwrap_or_default();
            d.line(0, &format!("Reference:\t{}/{}", spec.scale_target_ref.kind, spec.scale_target_ref.name));
            d.line(0, "Metrics:\t( current / target )");
            let statuses = st.current_metrics.clone().unwrap_or_default();
            for (i, metric) in spec.metrics.iter().flatten().enumerate() {
                let Some(res) = &metric.resource else {
                    d.line(1, &format!("{} metric:\t<unknown> / <unknown>", metric.type_));
                    continue;
                };
                let current = statuses.get(i).and_then(|s| s.resource.as_ref()).map(|r| &r.current);
                if res.target.type_ == "Utilization" {
                    let cur = current
                        .and_then(|c| Some(format!("{}% ({})", c.average_utilization?, c.average_value.as_ref()?.0)))
                        .unwrap_or_else(|| "<unknown>".into());
                    let target = res.target.average_utilization.map_or("<auto>".into(), |t| format!("{t}%"));
                    d.line(1, &format!("resource {} on pods  (as a percentage of request):\t{cur} / {target}", res.name));
                } else {
                    let cur = current.and_then(|c| c.average_value.as_ref()).map_or("<unknown>".into(), |q| q.0.clone());
                    let target = res.target.average_value.as_ref().map_or("<auto>".into(), |q| q.0.clone());
                    d.line(1, &format!("resource {} on pods:\t{cur} / {target}", res.name));
                }
            }
            d.line(0, &format!("Min replicas:\t{}", spec.min_replicas.map_or("<unset>".into(), |m| m.to_string())));
            d.line(0, &format!("Max replicas:\t{}", spec.max_replicas));
            if let Some(b) = &spec.behavior {
                d.line(0, "Behavior:");
                for (title, rules) in [("Scale Up", &b.scale_up), ("Scale Down", &b.scale_down)] {
                    let Some(rules) = rules else { continue };
                    d.line(1, &format!("{title}:"));
                    if let Some(w) = rules.stabilization_window_seconds {
                        d.line(2, &format!("Stabilization Window: {w} seconds"));
                    }
                    d.line(2, &format!("Select Policy: {}", rules.select_policy.as_deref().unwrap_or("Max")));
                    d.line(2, "Policies:");
                    for p in rules.policies.iter().flatten() {
                        d.line(3, &format!("- Type: {}\tValue: {}\tPeriod: {} seconds", p.type_, p.value, p.period_seconds));
                    }
                }
            }
            d.line(
                0,
                &format!(
                    "{} pods:\t{} current / {} desired",
                    spec.scale_target_ref.kind,
                    st.current_replicas.unwrap_or(0),
                    st.desired_replicas
                ),
            );
            let conditions = st.conditions.clone().unwrap_or_default();
            if !conditions.is_empty() {
                d.line(0, "Conditions:");
                d.line(1, "Type\tStatus\tReason\tMessage");
                d.line(1, "----\t------\t------\t-------");
                for c in conditions {
                    d.line(
                        1,
                        &format!(
                            "{}\t{}\t{}\t{}",
                            c.type_,
                            c.status,
                            c.reason.unwrap_or_default(),
                            c.message.unwrap_or_default()
                        ),
                    );
                }
            }
            events(&mut d, world, obj);
            return d.finish();
        }
        Object::PriorityClass(pc) => {
            // describePriorityClass: annotations on one line, no labels.
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Value:\t{}", pc.value));
            d.line(0, &format!("GlobalDefault:\t{}", pc.global_default.unwrap_or(false)));
            d.line(0, &format!("PreemptionPolicy:\t{}", pc.preemption_policy.clone().unwrap_or_default()));
            d.line(0, &format!("Description:\t{}", pc.description.clone().unwrap_or_default()));
            let ann = m.annotations.clone().unwrap_or_default();
            let ann = if ann.is_empty() {
                "<none>".to_string()
            } else {
                ann.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
            };
            d.line(0, &format!("Annotations:\t{ann}"));
            events(&mut d, world, obj);
            return d.finish();
        }
        Object::PodDisruptionBudget(b) => {
            // describePodDisruptionBudgetV1: no labels, annotations or conditions.
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            let spec = b.spec.clone().unwrap_or_default();
            if let Some(v) = &spec.min_available {
                d.line(0, &format!("Min available:\t{}", int_or_string(v)));
            } else if let Some(v) = &spec.max_unavailable {
                d.line(0, &format!("Max unavailable:\t{}", int_or_string(v)));
            }
            match &spec.selector {
                Some(sel) => d.line(0, &format!("Selector:\t{}", format_selector(Some(sel)))),
                None => d.line(0, "Selector:\t<unset>"),
            }
            let st = b.status.clone().unwrap_or_default();
            d.line(0, "Status:");
            d.line(2, &format!("Allowed disruptions:\t{}", st.disruptions_allowed));
            d.line(2, &format!("Current:\t{}", st.current_healthy));
            d.line(2, &format!("Desired:\t{}", st.desired_healthy));
            d.line(2, &format!("Total:\t{}", st.expected_pods));
            events(&mut d, world, obj);
            return d.finish();
        }
        Object::ResourceQuota(_) | Object::LimitRange(_) => {
            // kubectl's describeQuota and describeLimitRange print no labels or events.
            d.line(0, &format!("Name:\t{}", m.name.clone().unwrap_or_default()));
            d.line(0, &format!("Namespace:\t{}", m.namespace.clone().unwrap_or_default()));
            match obj {
                Object::ResourceQuota(q) => {
                    // describeQuota lists `spec.scopes` sorted, each with its help text
                    // (a scopeSelector is not shown).
                    let mut scopes: Vec<&str> =
                        q.spec.iter().flat_map(|s| s.scopes.iter().flatten()).map(String::as_str).collect();
                    scopes.sort_unstable();
                    if !scopes.is_empty() {
                        d.line(0, &format!("Scopes:\t{}", scopes.join(", ")));
                        for scope in &scopes {
                            if let Some(help) = quota_scope_help(scope) {
                                d.line(0, &format!(" * {help}"));
                            }
                        }
                    }
                    d.line(0, "Resource\tUsed\tHard");
                    d.line(0, "--------\t----\t----");
                    quota_rows(&mut d, 0, q);
                }
                Object::LimitRange(l) => {
                    d.line(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio");
                    d.line(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------");
                    limit_range_rows(&mut d, "", l);
                }
                _ => {}
            }
            return d.finish();
        }
        _ => {
            let namespaced = obj.kind().info().namespaced;
            header(&mut d, m, namespaced, false);
            match obj {
                Object::ConfigMap(c) => {
                    d.line(0, "");
                    d.line(0, "Data");
                    d.line(0, "====");
                    for (k, v) in c.data.iter().flatten() {
                        d.line(0, &format!("{k}:"));
                        d.line(0, "----");
                        d.line(0, v);
                        d.line(0, "");
                    }
                    d.line(0, "");
                    d.line(0, "BinaryData");
                    d.line(0, "====");
                    d.line(0, "");
                }
                Object::Namespace(ns) => {
                    d.line(
                        0,
                        &format!(
                            "Status:\t{}",
                            ns.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Active".into())
                        ),
                    );
                    let name = m.name.clone().unwrap_or_default();
                    let quotas: Vec<&k8s_openapi::api::core::v1::ResourceQuota> = world
                        .store()
                        .list(Kind::ResourceQuota, Some(&name))
                        .filter_map(|o| match o {
                            Object::ResourceQuota(q) => Some(&**q),
                            _ => None,
                        })
                        .collect();
                    d.line(0, "");
                    if quotas.is_empty() {
                        d.line(0, "No resource quota.");
                    } else {
                        d.line(0, "Resource Quotas");
                        for q in quotas {
                            d.line(1, &format!("Name:\t{}", q.metadata.name.clone().unwrap_or_default()));
                            d.line(1, "Resource\tUsed\tHard");
                            d.line(1, "--------\t---\t---");
                            quota_rows(&mut d, 1, q);
                        }
                    }
                    d.line(0, "");
                    let ranges: Vec<&k8s_openapi::api::core::v1::LimitRange> = world
                        .store()
                        .list(Kind::LimitRange, Some(&name))
                        .filter_map(|o| match o {
                            Object::LimitRange(l) => Some(&**l),
                            _ => None,
                        })
                        .collect();
                    if ranges.is_empty() {
                        d.line(0, "No LimitRange resource.");
                    } else {
                        d.line(0, "Resource Limits");
                        d.line(0, " Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio");
                        d.line(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------");
                        for l in ranges {
                            limit_range_rows(&mut d, " ", l);
                        }
                    }
                    return d.finish();
                }

                // describeEndpointSliceV1.
                Object::EndpointSlice(es) => {
                    d.line(0, &format!("AddressType:\t{}", es.address_type));
                    let ports: Vec<(Option<String>, Option<i32>, Option<String>)> =
                        es.ports.iter().flatten().map(|p| (p.name.clone(), p.port, p.protocol.clone())).collect();
                    ports_table(&mut d, 0, &ports, "<unset>");
                    if es.endpoints.is_empty() {
                        d.line(0, "Endpoints: <none>");
                    } else {
                        d.line(0, "Endpoints:");
                        for e in &es.endpoints {
                            let addrs = if e.addresses.is_empty() { "<none>".to_string() } else { e.addresses.join(",") };
                            d.line(1, &format!("- Addresses:\t{addrs}"));
                            d.line(2, "Conditions:");
                            let ready =
                                e.conditions.as_ref().and_then(|c| c.ready).map_or("<unset>".to_string(), |r| r.to_string());
                            d.line(3, &format!("Ready:\t{ready}"));
                            d.line(2, &format!("Hostname:\t{}", e.hostname.clone().unwrap_or_else(|| "<unset>".into())));
                            if let Some(t) = &e.target_ref {
                                d.line(
                                    2,
                                    &format!(
                                        "TargetRef:\t{}/{}",
                                        t.kind.clone().unwrap_or_default(),
                                        t.name.clone().unwrap_or_default()
                                    ),
                                );
                            }
                            d.line(2, &format!("NodeName:\t{}", e.node_name.clone().unwrap_or_else(|| "<unset>".into())));
                            d.line(2, &format!("Zone:\t{}", e.zone.clone().unwrap_or_else(|| "<unset>".into())));
                        }
                    }
                }
                // describeEndpoints.
                Object::Endpoints(ep) => {
                    d.line(0, "Subsets:");
                    for ss in ep.subsets.iter().flatten() {
                        let ips = |a: &Option<Vec<core::EndpointAddress>>| {
                            let v: Vec<String> = a.iter().flatten().map(|x| x.ip.clone()).collect();
                            if v.is_empty() {
                                "<none>".to_string()
                            } else {
                                v.join(",")
                            }
                        };
                        d.line(1, &format!("Addresses:\t{}", ips(&ss.addresses)));
                        d.line(1, &format!("NotReadyAddresses:\t{}", ips(&ss.not_ready_addresses)));
                        let ports: Vec<(Option<String>, Option<i32>, Option<String>)> =
                            ss.ports.iter().flatten().map(|p| (p.name.clone(), Some(p.port), p.protocol.clone())).collect();
                        ports_table(&mut d, 1, &ports, "<none>");
                        d.line(0, "");
                    }
                }
                Object::Secret(s) => {
                    d.line(0, "");
                    d.line(0, &format!("Type:\t{}", s.type_.clone().unwrap_or_else(|| "Opaque".into())));
                    d.line(0, "");
                    d.line(0, "Data");
                    d.line(0, "====");
                    let token_secret = s.type_.as_deref() == Some(kubeplay_sim::tokens::TOKEN_TYPE);
                    for (k, v) in s.data.iter().flatten() {
                        // A ServiceAccount token is shown, the rest only measured.
                        if token_secret && k == "token" {
                            d.line(0, &format!("{k}:\t{}", String::from_utf8_lossy(&v.0)));
                        } else {
                            d.line(0, &format!("{k}:\t{} bytes", v.0.len()));
                        }
                    }
                    return d.finish();
                }
                // describeServiceAccount: its secrets of each sort (headers sorted, padded to
                // one width), a referenced one that does not exist marked so.
                Object::ServiceAccount(sa) => {
                    let ns = m.namespace.clone().unwrap_or_default();
                    let uid = m.uid.clone().unwrap_or_default();
                    let exists = |name: &str| world.store().get(Kind::Secret, &ns, name).is_some();
                    let pull: Vec<String> = sa.image_pull_secrets.iter().flatten().map(|r| r.name.clone()).collect();
                    let mount: Vec<String> = sa.secrets.iter().flatten().filter_map(|r| r.name.clone()).collect();
                    let tokens: Vec<String> = world
                        .store()
                        .list(Kind::Secret, Some(&ns))
                        .filter_map(|o| match o {
                            Object::Secret(x) if x.type_.as_deref() == Some(kubeplay_sim::tokens::TOKEN_TYPE) => {
                                let a = x.metadata.annotations.clone().unwrap_or_default();
                                let mine = a.get(kubeplay_sim::tokens::NAME_KEY) == m.name.as_ref()
                                    && a.get(kubeplay_sim::tokens::UID_KEY) == Some(&uid);
                                mine.then(|| x.metadata.name.clone().unwrap_or_default())
                            }
                            _ => None,
                        })
                        .collect();
                    for (header, names, check) in [
                        ("Image pull secrets:", pull, true),
                        ("Mountable secrets: ", mount, true),
                        ("Tokens:            ", tokens, false),
                    ] {
                        if names.is_empty() {
                            d.line(0, &format!("{header}\t<none>"));
                        }
                        for (i, n) in names.iter().enumerate() {
                            let prefix = if i == 0 { header } else { "                   " };
                            let missing = if check && !exists(n) { " (not found)" } else { "" };
                            d.line(0, &format!("{prefix}\t{n}{missing}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    events(&mut d, world, obj);
    d.finish()
}

/// kubectl's `describeNetworkPolicySpec`: the selected pods, then each direction's rules
/// (ports, then peers; rules separated by a dashed line), or that it is not affected.
fn network_policy_spec(d: &mut Doc, spec: Option<&k8s_openapi::api::networking::v1::NetworkPolicySpec>) {
    use k8s_openapi::api::networking::v1::{NetworkPolicyPeer, NetworkPolicyPort};
    let default = k8s_openapi::api::networking::v1::NetworkPolicySpec::default();
    let spec = spec.unwrap_or(&default);
    d.line(0, "Spec:");
    let sel = spec.pod_selector.as_ref().filter(|s| {
        s.match_labels.as_ref().is_some_and(|m| !m.is_empty()) || s.match_expressions.as_ref().is_some_and(|e| !e.is_empty())
    });
    match sel {
        None => d.line(1, "PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)"),
        Some(s) => d.line(1, &format!("PodSelector:     {}", crate::printers::format_selector(Some(s)))),
    }
    let types = spec.policy_types.clone().unwrap_or_default();
    let indent = "    ";
    let ports = |d: &mut Doc, ports: &[NetworkPolicyPort]| {
        if ports.is_empty() {
            d.line(0, &format!("{indent}To Port: <any> (traffic allowed to all ports)"));
        }
        for p in ports {
            let port = match &p.port {
                Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i)) => i.to_string(),
                Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s.clone(),
                None => "<nil>".into(),
            };
            d.line(0, &format!("{indent}To Port: {port}/{}", p.protocol.as_deref().unwrap_or("TCP")));
        }
    };
    let peers = |d: &mut Doc, title: &str, peers: &[NetworkPolicyPeer]| {
        for p in peers {
            d.line(0, &format!("{indent}{title}:"));
            let fmt = |s| crate::printers::format_selector(Some(s));
            match (&p.namespace_selector, &p.pod_selector, &p.ip_block) {
                (Some(ns), Some(pod), _) => {
                    d.line(1, &format!("{indent}NamespaceSelector: {}", fmt(ns)));
                    d.line(1, &format!("{indent}PodSelector: {}", fmt(pod)));
                }
                (None, Some(pod), _) => d.line(1, &format!("{indent}PodSelector: {}", fmt(pod))),
                (Some(ns), None, _) => d.line(1, &format!("{indent}NamespaceSelector: {}", fmt(ns))),
                (None, None, Some(b)) => {
                    d.line(1, &format!("{indent}IPBlock:"));
                    d.line(2, &format!("{indent}CIDR: {}", b.cidr));
                    d.line(2, &format!("{indent}Except: {}", b.except.clone().unwrap_or_default().join(", ")));
                }
                (None, None, None) => {}
            }
        }
    };
    // Each direction: its rules as (ports, peers), the peer title and the wording.
    let ingress: Vec<_> = spec.ingress.iter().flatten().map(|r| (r.ports.as_deref(), r.from.as_deref())).collect();
    let egress: Vec<_> = spec.egress.iter().flatten().map(|r| (r.ports.as_deref(), r.to.as_deref())).collect();
    for (ty, rules, peer, unrestricted) in [
        ("ingress", ingress, "From", "traffic not restricted by source"),
        ("egress", egress, "To", "traffic not restricted by destination"),
    ] {
        let title = if ty == "ingress" { "Ingress" } else { "Egress" };
        if !types.iter().any(|t| t == title) {
            d.line(1, &format!("Not affecting {ty} traffic"));
            continue;
        }
        d.line(1, &format!("Allowing {ty} traffic:"));
        if rules.is_empty() {
            d.line(0, &format!("{indent}<none> (Selected pods are isolated for {ty} connectivity)"));
        }
        for (i, (rule_ports, rule_peers)) in rules.iter().enumerate() {
            ports(d, rule_ports.unwrap_or(&[]));
            match rule_peers.unwrap_or(&[]) {
                [] => d.line(0, &format!("{indent}{peer}: <any> ({unrestricted})")),
                some => peers(d, peer, some),
            }
            if i + 1 != rules.len() {
                d.line(0, &format!("{indent}----------"));
            }
        }
    }
    d.line(1, &format!("Policy Types: {}", types.join(", ")));
}

/// kubectl's `helpTextForResourceQuotaScope`.
fn quota_scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
        "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
        "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
        "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
        _ => return None,
    })
}

/// A quota's `Resource Used Hard` rows, sorted by resource.
fn quota_rows(d: &mut Doc, level: usize, q: &k8s_openapi::api::core::v1::ResourceQuota) {
    let st = q.status.clone().unwrap_or_default();
    let used = st.used.unwrap_or_default();
    for (k, h) in st.hard.unwrap_or_default() {
        d.line(level, &format!("{k}\t{}\t{}", used.get(&k).map_or("0", |u| u.0.as_str()), h.0));
    }
}

/// A LimitRange's rows: type, resource, min, max, default request, default limit, ratio
/// (`-` where unset).
fn limit_range_rows(d: &mut Doc, prefix: &str, l: &k8s_openapi::api::core::v1::LimitRange) {
    for item in l.spec.iter().flat_map(|s| s.limits.iter()) {
        let maps = [&item.min, &item.max, &item.default_request, &item.default, &item.max_limit_request_ratio];
        let keys: std::collections::BTreeSet<&String> = maps.iter().flat_map(|m| m.iter().flat_map(|m| m.keys())).collect();
        for k in keys {
            let cell = |m: &Option<BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
                m.as_ref().and_then(|m| m.get(k)).map_or("-".to_string(), |q| q.0.clone())
            };
            d.line(
                0,
                &format!(
                    "{prefix}{}\t{k}\t{}\t{}\t{}\t{}\t{}",
                    item.type_,
                    cell(&item.min),
                    cell(&item.max),
                    cell(&item.default_request),
                    cell(&item.default),
                    cell(&item.max_limit_request_ratio)
                ),
            );
        }
    }
}

/// `kubectl describe TYPE [NAME...]`.
pub fn describe(world: &mut World, args: &Args) -> Output {
    let Some(first) = args.positional.first() else {
        return Output::err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into());
    };
    let ns = namespace(args);
    let mut objs: Vec<Object> = Vec::new();
    let mut errs = String::new();
    if first.contains('/') {
        for p in &args.positional {
            let Some((t, n)) = p.split_once('/') else {
                continue;
            };
            match resolve_kind(t) {
                Ok(k) => match world.get(k, if k.info().namespaced { &ns } else { "" }, n) {
                    Some(o) => objs.push(o.clone()),
                    None => errs.push_str(&api_error_text(&ApiError::not_found(k, n))),
                },
                Err(e) => return Output::err(e),
            }
        }
    } else {
        let kind = match resolve_kind(first) {
            Ok(k) => k,
            Err(e) => return Output::err(e),
        };
        let scope = if kind.info().namespaced { ns.as_str() } else { "" };
        if args.positional.len() > 1 {
            for n in &args.positional[1..] {
                match world.get(kind, scope, n) {
                    Some(o) => objs.push(o.clone()),
                    None => {
                        // kubectl describe falls back to a prefix match on the name.
                        let matches: Vec<Object> = world
                            .store()
                            .list(kind, if kind.info().namespaced { Some(scope) } else { None })
                            .filter(|o| o.meta().name.as_deref().is_some_and(|x| x.starts_with(n.as_str())))
                            .cloned()
                            .collect();
                        if matches.is_empty() {
                            errs.push_str(&api_error_text(&ApiError::not_found(kind, n)));
                        }
                        objs.extend(matches);
                    }
                }
            }
        } else {
            let sel = match args.value("selector").map(kubeplay_sim::selectors::Selector::parse).transpose() {
                Ok(s) => s,
                Err(e) => return Output::err(format!("error: {e}\n")),
            };
            objs = world
                .store()
                .list(kind, if kind.info().namespaced { Some(scope) } else { None })
                .filter(|o| sel.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref().unwrap_or(&Default::default()))))
                .cloned()
                .collect();
            if objs.is_empty() {
                return Output {
                    stdout: String::new(),
                    stderr: format!("No resources found in {ns} namespace.\n"),
                    exit_code: 0,
                    ..Output::default()
                };
            }
        }
    }
    let texts: Vec<String> = objs.iter().map(|o| describe_one(world, o)).collect();
    Output { stdout: texts.join("\n\n"), exit_code: i32::from(!errs.is_empty()), stderr: errs, ..Output::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_labels_split_camel_case_as_kubectl_does() {
        assert_eq!(smart_label("groupPriorityMinimum"), "Group Priority Minimum");
        assert_eq!(smart_label("insecureSkipTLSVerify"), "Insecure Skip TLS Verify");
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("kind"), "Kind");
        assert_eq!(smart_label("k8s-app"), "k8s-app");
    }
}
