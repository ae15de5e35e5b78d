//! Pod Security Admission: the built-in admission plugin that holds pods to the Pod Security
//! Standards a namespace's `pod-security.kubernetes.io/*` labels ask for
//! (k8s.io/pod-security-admission). Every check of the `baseline` and `restricted` levels at
//! policy v1.35 is here, in upstream's order and with its messages, so that a pod refused
//! (or warned about) here is refused (or warned about) with the same words on a real cluster.
//!
//! - `enforce` refuses pods (created, or significantly updated) that violate the level;
//!   controllers see the refusal and report `FailedCreate`.
//! - `warn` adds a warning to the answer for pods and for workload resources' templates.
//! - `audit` writes to the audit log, which a simulated cluster does not have: it is parsed
//!   (and validated) but shows nowhere.
//!
//! A pinned `*-version` label is honoured for the one check that is newer than the rest
//! (`probe or lifecycle host`, v1.34); other version differences are not modelled.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use crate::errors::FieldError;

/// The label prefix of the namespace's policy.
pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// A Pod Security Standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A level at a policy version: `None` is `latest` (policy v1.35 here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelVersion {
    pub level: Level,
    pub minor: Option<u64>,
}

impl std::fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.minor {
            None => write!(f, "{}:latest", self.level.text()),
            Some(m) => write!(f, "{}:v1.{m}", self.level.text()),
        }
    }
}

impl LevelVersion {
    /// The policy version the checks run at: `latest`, and versions newer than this
    /// release's, are v1.35.
    fn minor(self) -> u64 {
        self.minor.map_or(35, |m| m.min(35))
    }
}

/// A namespace's policy for each mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub enforce: LevelVersion,
    pub audit: LevelVersion,
    pub warn: LevelVersion,
}

/// The namespace's policy from its labels, and the errors of labels that do not parse
/// (api.PolicyToEvaluate: a bad enforce level fails closed to restricted, a bad audit or
/// warn level fails open to privileged, a bad version is `latest`).
pub fn policy(labels: Option<&BTreeMap<String, String>>) -> (Policy, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut mode = |name: &str, fallback: Level| {
        let get = |k: &str| labels.and_then(|l| l.get(&format!("{LABEL_PREFIX}{k}")));
        let field = |k: &str| format!("metadata.labels[{LABEL_PREFIX}{k}]");
        let level = match get(name) {
            None => Level::Privileged,
            Some(v) => Level::parse(v).unwrap_or_else(|| {
                errs.push(FieldError::invalid(
                    &field(name),
                    &Value::String(v.clone()),
                    "must be one of privileged, baseline, restricted",
                ));
                fallback
            }),
        };
        let version_key = format!("{name}-version");
        let minor = match get(&version_key) {
            None => None,
            Some(v) if v == "latest" => None,
            Some(v) => match parse_version(v) {
                Some(m) => Some(m),
                None => {
                    errs.push(FieldError::invalid(
                        &field(&version_key),
                        &Value::String(v.clone()),
                        "must be \"latest\" or \"v1.x\"",
                    ));
                    None
                }
            },
        };
        LevelVersion { level, minor }
    };
    let enforce = mode("enforce", Level::Restricted);
    let audit = mode("audit", Level::Privileged);
    let warn = mode("warn", Level::Privileged);
    (Policy { enforce, audit, warn }, errs)
}

/// `v1.N` (no leading zeros), as `^v1\.([0-9]|[1-9][0-9]*)$`.
fn parse_version(v: &str) -> Option<u64> {
    let n = v.strip_prefix("v1.")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || (n.len() > 1 && n.starts_with('0')) {
        return None;
    }
    n.parse().ok()
}

/// One failed check: its reason and (possibly empty) detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub reason: String,
    pub detail: String,
}

/// `ForbiddenDetail`: each reason with its detail in parentheses, joined by ", ".
pub fn details(v: &[Violation]) -> String {
    v.iter()
        .map(|x| if x.detail.is_empty() { x.reason.clone() } else { format!("{} ({})", x.reason, x.detail) })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ForbiddenReason`: the reasons alone, joined by ", ".
pub fn reasons(v: &[Violation]) -> String {
    v.iter().map(|x| x.reason.as_str()).collect::<Vec<_>>().join(", ")
}

/// The parts of a container (of any kind) the checks read.
struct C<'a> {
    name: &'a str,
    sc: Option<&'a core::SecurityContext>,
    ports: &'a [core::ContainerPort],
    probes: [Option<&'a core::Probe>; 3],
    lifecycle: Option<&'a core::Lifecycle>,
}

/// Init containers, containers, then ephemeral containers, each in spec order (upstream's
/// visitor).
fn containers(spec: &core::PodSpec) -> Vec<C<'_>> {
    fn plain(c: &core::Container) -> C<'_> {
        C {
            name: &c.name,
            sc: c.security_context.as_ref(),
            ports: c.ports.as_deref().unwrap_or(&[]),
            probes: [c.liveness_probe.as_ref(), c.readiness_probe.as_ref(), c.startup_probe.as_ref()],
            lifecycle: c.lifecycle.as_ref(),
        }
    }
    let mut out: Vec<C<'_>> = spec.init_containers.iter().flatten().map(plain).collect();
    out.extend(spec.containers.iter().map(plain));
    out.extend(spec.ephemeral_containers.iter().flatten().map(|c| C {
        name: &c.name,
        sc: c.security_context.as_ref(),
        ports: c.ports.as_deref().unwrap_or(&[]),
        probes: [c.liveness_probe.as_ref(), c.readiness_probe.as_ref(), c.startup_probe.as_ref()],
        lifecycle: c.lifecycle.as_ref(),
    }));
    out
}

fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!("\"{}\"", items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\", \""))
}

fn plural<'a>(one: &'a str, many: &'a str, n: usize) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `container "a"` / `containers "a", "b"`.
fn named(names: &[&str]) -> String {
    format!("{} {}", plural("container", "containers", names.len()), join_quote(names))
}

/// The setters of a bad value: `pod`, then the containers.
fn setters(pod: bool, names: &[&str]) -> String {
    let mut s = Vec::new();
    if pod {
        s.push("pod".to_string());
    }
    if !names.is_empty() {
        s.push(named(names));
    }
    s.join(" and ")
}

fn v(reason: &str, detail: String) -> Option<Violation> {
    Some(Violation { reason: reason.into(), detail })
}

/// The pod's (or template's) violations of `lv`, in upstream's order.
pub fn evaluate(lv: LevelVersion, meta: Option<&ObjectMeta>, spec: &core::PodSpec) -> Vec<Violation> {
    if lv.level == Level::Privileged {
        return Vec::new();
    }
    let restricted = lv.level == Level::Restricted;
    let cs = containers(spec);
    let psc = spec.security_context.as_ref();
    let user_ns = spec.host_users == Some(false);
    let windows = spec.os.as_ref().is_some_and(|o| o.name == "windows");
    let mut out: Vec<Option<Violation>> = vec![
        app_armor(meta, psc, &cs),
        if restricted { None } else { capabilities_baseline(&cs) },
        host_namespaces(spec),
        if restricted { None } else { host_path_volumes(spec) },
        host_ports(&cs),
        if lv.minor() >= 34 { host_probes(&cs) } else { None },
        privileged(&cs),
        if restricted { None } else { proc_mount(&cs, user_ns && lv.minor() >= 35) },
        se_linux(psc, &cs),
        if restricted { None } else { seccomp_baseline(psc, &cs) },
        sysctls(psc),
        host_process(psc, &cs),
    ];
    if restricted {
        out.extend([
            if windows { None } else { allow_privilege_escalation(&cs) },
            if windows { None } else { capabilities_restricted(&cs) },
            proc_mount(&cs, false),
            restricted_volumes(spec),
            if user_ns && lv.minor() >= 35 { None } else { run_as_non_root(psc, &cs) },
            if user_ns && lv.minor() >= 35 { None } else { run_as_user(psc, &cs) },
            if windows { None } else { seccomp_restricted(psc, &cs) },
        ]);
    }
    out.into_iter().flatten().collect()
}

fn app_armor(meta: Option<&ObjectMeta>, psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let ok = |t: &str| t == "RuntimeDefault" || t == "Localhost";
    let mut values = BTreeSet::new();
    let mut pod = false;
    if let Some(t) = psc.and_then(|s| s.app_armor_profile.as_ref()).map(|p| p.type_.as_str()) {
        if !ok(t) {
            pod = true;
            values.insert(t.to_string());
        }
    }
    let mut bad: Vec<&str> = Vec::new();
    for c in cs {
        if let Some(t) = c.sc.and_then(|s| s.app_armor_profile.as_ref()).map(|p| p.type_.as_str()) {
            if !ok(t) {
                bad.push(c.name);
                values.insert(t.to_string());
            }
        }
    }
    let mut annotations = BTreeSet::new();
    for (k, val) in meta.and_then(|m| m.annotations.as_ref()).into_iter().flatten() {
        if k.starts_with("container.apparmor.security.beta.kubernetes.io/")
            && !(val.is_empty() || val == "runtime/default" || val.starts_with("localhost/"))
        {
            annotations.insert(format!("{k}={}", crate::errors::go_quote(val)));
        }
    }
    let mut who = Vec::new();
    if pod {
        who.push("pod".to_string());
    }
    if !bad.is_empty() {
        who.push(named(&bad));
    }
    if !annotations.is_empty() {
        who.push(plural("annotation", "annotations", annotations.len()).to_string());
    }
    if who.is_empty() {
        return None;
    }
    let all: Vec<String> = values.into_iter().chain(annotations).collect();
    v(
        plural("forbidden AppArmor profile", "forbidden AppArmor profiles", all.len()),
        format!("{} must not set AppArmor profile type to {}", who.join(" and "), join_quote(&all)),
    )
}

const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added<'a>(c: &C<'a>) -> &'a [String] {
    c.sc.and_then(|s| s.capabilities.as_ref()).and_then(|k| k.add.as_deref()).unwrap_or(&[])
}

fn capabilities_baseline(cs: &[C<'_>]) -> Option<Violation> {
    let mut bad = Vec::new();
    let mut caps = BTreeSet::new();
    for c in cs {
        let mut any = false;
        for cap in added(c) {
            if !BASELINE_CAPABILITIES.contains(&cap.as_str()) {
                caps.insert(cap.clone());
                any = true;
            }
        }
        if any {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let caps: Vec<String> = caps.into_iter().collect();
    v(
        "non-default capabilities",
        format!("{} must not include {} in securityContext.capabilities.add", named(&bad), join_quote(&caps)),
    )
}

fn host_namespaces(spec: &core::PodSpec) -> Option<Violation> {
    let mut list = Vec::new();
    if spec.host_network == Some(true) {
        list.push("hostNetwork=true");
    }
    if spec.host_pid == Some(true) {
        list.push("hostPID=true");
    }
    if spec.host_ipc == Some(true) {
        list.push("hostIPC=true");
    }
    if list.is_empty() {
        return None;
    }
    v("host namespaces", list.join(", "))
}

fn host_path_volumes(spec: &core::PodSpec) -> Option<Violation> {
    let names: Vec<&str> =
        spec.volumes.iter().flatten().filter(|vol| vol.host_path.is_some()).map(|vol| vol.name.as_str()).collect();
    if names.is_empty() {
        return None;
    }
    v("hostPath volumes", format!("{} {}", plural("volume", "volumes", names.len()), join_quote(&names)))
}

fn host_ports(cs: &[C<'_>]) -> Option<Violation> {
    let mut bad = Vec::new();
    let mut ports = BTreeSet::new();
    for c in cs {
        let mut any = false;
        for p in c.ports {
            if let Some(h) = p.host_port.filter(|h| *h != 0) {
                ports.insert(h.to_string());
                any = true;
            }
        }
        if any {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    v(
        "hostPort",
        format!(
            "{} {} {} {}",
            named(&bad),
            plural("uses", "use", bad.len()),
            plural("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
    )
}

fn host_probes(cs: &[C<'_>]) -> Option<Violation> {
    let mut bad = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for c in cs {
        let mut found: Vec<&str> = Vec::new();
        for p in c.probes.iter().flatten() {
            found.extend(p.http_get.as_ref().and_then(|h| h.host.as_deref()));
            found.extend(p.tcp_socket.as_ref().and_then(|t| t.host.as_deref()));
        }
        if let Some(l) = c.lifecycle {
            for h in [l.post_start.as_ref(), l.pre_stop.as_ref()].into_iter().flatten() {
                found.extend(h.http_get.as_ref().and_then(|x| x.host.as_deref()));
                found.extend(h.tcp_socket.as_ref().and_then(|x| x.host.as_deref()));
            }
        }
        for h in found.into_iter().filter(|h| !h.is_empty()) {
            hosts.insert(h.to_string());
            bad.insert(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let bad: Vec<&str> = bad.into_iter().collect();
    let hosts: Vec<String> = hosts.into_iter().collect();
    v(
        "probe or lifecycle host",
        format!(
            "{} {} {} {}",
            named(&bad),
            plural("uses", "use", bad.len()),
            plural("probe or lifecycle host", "probe or lifecycle hosts", hosts.len()),
            join_quote(&hosts)
        ),
    )
}

fn privileged(cs: &[C<'_>]) -> Option<Violation> {
    let bad: Vec<&str> = cs.iter().filter(|c| c.sc.and_then(|s| s.privileged) == Some(true)).map(|c| c.name).collect();
    if bad.is_empty() {
        return None;
    }
    v("privileged", format!("{} must not set securityContext.privileged=true", named(&bad)))
}

fn proc_mount(cs: &[C<'_>], relaxed: bool) -> Option<Violation> {
    if relaxed {
        return None;
    }
    let mut bad = Vec::new();
    let mut types = BTreeSet::new();
    for c in cs {
        if let Some(t) = c.sc.and_then(|s| s.proc_mount.as_deref()).filter(|t| *t != "Default") {
            bad.push(c.name);
            types.insert(t.to_string());
        }
    }
    if bad.is_empty() {
        return None;
    }
    let types: Vec<String> = types.into_iter().collect();
    v("procMount", format!("{} must not set securityContext.procMount to {}", named(&bad), join_quote(&types)))
}

fn se_linux(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let mut types = BTreeSet::new();
    let (mut user, mut role) = (false, false);
    let mut judge = |o: &core::SELinuxOptions| -> bool {
        let mut bad = false;
        if let Some(t) = o
            .type_
            .as_deref()
            .filter(|t| !matches!(*t, "" | "container_t" | "container_init_t" | "container_kvm_t" | "container_engine_t"))
        {
            types.insert(t.to_string());
            bad = true;
        }
        if o.user.as_deref().is_some_and(|u| !u.is_empty()) {
            user = true;
            bad = true;
        }
        if o.role.as_deref().is_some_and(|r| !r.is_empty()) {
            role = true;
            bad = true;
        }
        bad
    };
    let pod = psc.and_then(|s| s.se_linux_options.as_ref()).is_some_and(&mut judge);
    let bad: Vec<&str> =
        cs.iter().filter(|c| c.sc.and_then(|s| s.se_linux_options.as_ref()).is_some_and(&mut judge)).map(|c| c.name).collect();
    if !pod && bad.is_empty() {
        return None;
    }
    let mut data = Vec::new();
    if !types.is_empty() {
        let types: Vec<String> = types.into_iter().collect();
        data.push(format!("{} {}", plural("type", "types", types.len()), join_quote(&types)));
    }
    if user {
        data.push("user may not be set".to_string());
    }
    if role {
        data.push("role may not be set".to_string());
    }
    v("seLinuxOptions", format!("{} set forbidden securityContext.seLinuxOptions: {}", setters(pod, &bad), data.join("; ")))
}

fn seccomp_ok(t: &str) -> bool {
    t == "RuntimeDefault" || t == "Localhost"
}

fn seccomp_baseline(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let mut values = BTreeSet::new();
    let mut pod = false;
    if let Some(t) = psc.and_then(|s| s.seccomp_profile.as_ref()).map(|p| p.type_.as_str()).filter(|t| !seccomp_ok(t)) {
        pod = true;
        values.insert(t.to_string());
    }
    let mut bad = Vec::new();
    for c in cs {
        if let Some(t) = c.sc.and_then(|s| s.seccomp_profile.as_ref()).map(|p| p.type_.as_str()).filter(|t| !seccomp_ok(t)) {
            bad.push(c.name);
            values.insert(t.to_string());
        }
    }
    if !pod && bad.is_empty() {
        return None;
    }
    let values: Vec<String> = values.into_iter().collect();
    v(
        "seccompProfile",
        format!("{} must not set securityContext.seccompProfile.type to {}", setters(pod, &bad), join_quote(&values)),
    )
}

const SAFE_SYSCTLS: [&str; 12] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

fn sysctls(psc: Option<&core::PodSecurityContext>) -> Option<Violation> {
    let bad: Vec<&str> = psc
        .and_then(|s| s.sysctls.as_deref())
        .unwrap_or(&[])
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| !SAFE_SYSCTLS.contains(n))
        .collect();
    if bad.is_empty() {
        return None;
    }
    v("forbidden sysctls", bad.join(", "))
}

fn host_process(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let pod = psc.and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process) == Some(true);
    let bad: Vec<&str> = cs
        .iter()
        .filter(|c| c.sc.and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process) == Some(true))
        .map(|c| c.name)
        .collect();
    if !pod && bad.is_empty() {
        return None;
    }
    v("hostProcess", format!("{} must not set securityContext.windowsOptions.hostProcess=true", setters(pod, &bad)))
}

fn allow_privilege_escalation(cs: &[C<'_>]) -> Option<Violation> {
    let bad: Vec<&str> =
        cs.iter().filter(|c| c.sc.and_then(|s| s.allow_privilege_escalation) != Some(false)).map(|c| c.name).collect();
    if bad.is_empty() {
        return None;
    }
    v("allowPrivilegeEscalation != false", format!("{} must set securityContext.allowPrivilegeEscalation=false", named(&bad)))
}

fn capabilities_restricted(cs: &[C<'_>]) -> Option<Violation> {
    let mut missing_drop = Vec::new();
    let mut adds = Vec::new();
    let mut caps = BTreeSet::new();
    for c in cs {
        let k = c.sc.and_then(|s| s.capabilities.as_ref());
        if !k.and_then(|k| k.drop.as_ref()).is_some_and(|d| d.iter().any(|x| x == "ALL")) {
            missing_drop.push(c.name);
        }
        let mut any = false;
        for cap in added(c).iter().filter(|x| *x != "NET_BIND_SERVICE") {
            caps.insert(cap.clone());
            any = true;
        }
        if any {
            adds.push(c.name);
        }
    }
    let mut parts = Vec::new();
    if !missing_drop.is_empty() {
        parts.push(format!("{} must set securityContext.capabilities.drop=[\"ALL\"]", named(&missing_drop)));
    }
    if !adds.is_empty() {
        let caps: Vec<String> = caps.into_iter().collect();
        parts.push(format!("{} must not include {} in securityContext.capabilities.add", named(&adds), join_quote(&caps)));
    }
    if parts.is_empty() {
        return None;
    }
    v("unrestricted capabilities", parts.join("; "))
}

/// The source a volume uses, by its field name, when restricted does not allow it.
fn restricted_volume_type(vol: &core::Volume) -> Option<&'static str> {
    let allowed = vol.config_map.is_some()
        || vol.csi.is_some()
        || vol.downward_api.is_some()
        || vol.empty_dir.is_some()
        || vol.ephemeral.is_some()
        || vol.image.is_some()
        || vol.persistent_volume_claim.is_some()
        || vol.projected.is_some()
        || vol.secret.is_some();
    if allowed {
        return None;
    }
    let kinds: [(&str, bool); 21] = [
        ("hostPath", vol.host_path.is_some()),
        ("gcePersistentDisk", vol.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", vol.aws_elastic_block_store.is_some()),
        ("gitRepo", vol.git_repo.is_some()),
        ("nfs", vol.nfs.is_some()),
        ("iscsi", vol.iscsi.is_some()),
        ("glusterfs", vol.glusterfs.is_some()),
        ("rbd", vol.rbd.is_some()),
        ("flexVolume", vol.flex_volume.is_some()),
        ("cinder", vol.cinder.is_some()),
        ("cephfs", vol.cephfs.is_some()),
        ("flocker", vol.flocker.is_some()),
        ("fc", vol.fc.is_some()),
        ("azureFile", vol.azure_file.is_some()),
        ("vsphereVolume", vol.vsphere_volume.is_some()),
        ("quobyte", vol.quobyte.is_some()),
        ("azureDisk", vol.azure_disk.is_some()),
        ("photonPersistentDisk", vol.photon_persistent_disk.is_some()),
        ("portworxVolume", vol.portworx_volume.is_some()),
        ("scaleIO", vol.scale_io.is_some()),
        ("storageos", vol.storageos.is_some()),
    ];
    Some(kinds.iter().find(|(_, set)| *set).map_or("unknown", |(n, _)| *n))
}

fn restricted_volumes(spec: &core::PodSpec) -> Option<Violation> {
    let mut names = Vec::new();
    let mut types = BTreeSet::new();
    for vol in spec.volumes.iter().flatten() {
        if let Some(t) = restricted_volume_type(vol) {
            names.push(vol.name.as_str());
            types.insert(t);
        }
    }
    if names.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    v(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            plural("volume", "volumes", names.len()),
            join_quote(&names),
            plural("uses", "use", names.len()),
            plural("restricted volume type", "restricted volume types", types.len()),
            join_quote(&types)
        ),
    )
}

fn run_as_non_root(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let pod_value = psc.and_then(|s| s.run_as_non_root);
    let pod_bad = pod_value == Some(false);
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    for c in cs {
        match c.sc.and_then(|s| s.run_as_non_root) {
            Some(false) => explicit.push(c.name),
            Some(true) => {}
            None if pod_value != Some(true) => implicit.push(c.name),
            None => {}
        }
    }
    if pod_bad || !explicit.is_empty() {
        return v(
            "runAsNonRoot != true",
            format!("{} must not set securityContext.runAsNonRoot=false", setters(pod_bad, &explicit)),
        );
    }
    if implicit.is_empty() {
        return None;
    }
    v("runAsNonRoot != true", format!("pod or {} must set securityContext.runAsNonRoot=true", named(&implicit)))
}

fn run_as_user(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let pod = psc.and_then(|s| s.run_as_user) == Some(0);
    let bad: Vec<&str> = cs.iter().filter(|c| c.sc.and_then(|s| s.run_as_user) == Some(0)).map(|c| c.name).collect();
    if !pod && bad.is_empty() {
        return None;
    }
    v("runAsUser=0", format!("{} must not set runAsUser=0", setters(pod, &bad)))
}

fn seccomp_restricted(psc: Option<&core::PodSecurityContext>, cs: &[C<'_>]) -> Option<Violation> {
    let mut values = BTreeSet::new();
    let mut pod_bad = false;
    let mut pod_set = false;
    if let Some(t) = psc.and_then(|s| s.seccomp_profile.as_ref()).map(|p| p.type_.as_str()) {
        if seccomp_ok(t) {
            pod_set = true;
        } else {
            pod_bad = true;
            values.insert(t.to_string());
        }
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    for c in cs {
        match c.sc.and_then(|s| s.seccomp_profile.as_ref()).map(|p| p.type_.as_str()) {
            Some(t) if !seccomp_ok(t) => {
                explicit.push(c.name);
                values.insert(t.to_string());
            }
            Some(_) => {}
            None if !pod_set => implicit.push(c.name),
            None => {}
        }
    }
    if pod_bad || !explicit.is_empty() {
        let values: Vec<String> = values.into_iter().collect();
        return v(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                setters(pod_bad, &explicit),
                join_quote(&values)
            ),
        );
    }
    if implicit.is_empty() {
        return None;
    }
    v(
        "seccompProfile",
        format!(
            "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
            named(&implicit)
        ),
    )
}

/// `isSignificantPodUpdate`: only these pod updates are evaluated — the number of
/// containers or init containers changed, an image changed, a container's seccomp
/// annotation changed, or an ephemeral container was added or changed its image.
pub fn significant_update(old: &core::Pod, new: &core::Pod) -> bool {
    let (Some(os), Some(ns)) = (old.spec.as_ref(), new.spec.as_ref()) else { return true };
    let seccomp = |p: &core::Pod, name: &str| {
        p.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(&format!("container.seccomp.security.alpha.kubernetes.io/{name}")))
            .cloned()
    };
    let lists = |s: &core::PodSpec| [s.init_containers.clone().unwrap_or_default(), s.containers.clone()];
    for (o, n) in lists(os).iter().zip(lists(ns).iter()) {
        if o.len() != n.len() {
            return true;
        }
        for (a, b) in o.iter().zip(n) {
            if a.image != b.image || seccomp(old, &b.name) != seccomp(new, &b.name) {
                return true;
            }
        }
    }
    let old_eph: BTreeMap<&str, &core::EphemeralContainer> =
        os.ephemeral_containers.iter().flatten().map(|c| (c.name.as_str(), c)).collect();
    ns.ephemeral_containers.iter().flatten().any(|c| match old_eph.get(c.name.as_str()) {
        None => true,
        Some(o) => o.image != c.image || seccomp(old, &c.name) != seccomp(new, &c.name),
    })
}

/// The pod template of a workload resource PSA checks (warn and audit only), if `obj` is one.
pub fn workload_template(obj: &crate::kinds::Object) -> Option<&core::PodTemplateSpec> {
    use crate::kinds::Object;
    match obj {
        Object::Deployment(d) => d.spec.as_ref().map(|s| &s.template),
        Object::ReplicaSet(r) => r.spec.as_ref().and_then(|s| s.template.as_ref()),
        Object::ReplicationController(r) => r.spec.as_ref().and_then(|s| s.template.as_ref()),
        Object::StatefulSet(s) => s.spec.as_ref().map(|s| &s.template),
        Object::DaemonSet(d) => d.spec.as_ref().map(|s| &s.template),
        Object::Job(j) => j.spec.as_ref().map(|s| &s.template),
        Object::CronJob(c) => c.spec.as_ref().and_then(|s| s.job_template.spec.as_ref()).map(|s| &s.template),
        _ => None,
    }
}

/// The warnings of `EvaluatePodsInNamespace` for a namespace whose enforce level becomes
/// `lv`: pods grouped by their reasons, each group shown by its smallest pod name, sorted.
pub fn existing_pods_warnings(namespace: &str, lv: LevelVersion, pods: &[&core::Pod]) -> Vec<String> {
    // Upstream checks at most 3,000 pods: the first of each controller's and the un-owned
    // ones first, then the other replicas.
    const LIMIT: usize = 3000;
    let mut seen = BTreeSet::new();
    let (mut first, mut rest): (Vec<&core::Pod>, Vec<&core::Pod>) = (Vec::new(), Vec::new());
    for p in pods {
        let owner = p.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true)).map(|o| o.uid.as_str());
        match owner {
            Some(uid) if !seen.insert(uid) => rest.push(*p),
            _ => first.push(*p),
        }
    }
    let total = first.len() + rest.len();
    let checked: Vec<&core::Pod> = first.into_iter().chain(rest).take(LIMIT).collect();
    let mut groups: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for p in &checked {
        let Some(spec) = p.spec.as_ref() else { continue };
        let found = evaluate(lv, Some(&p.metadata), spec);
        if found.is_empty() {
            continue;
        }
        let name = p.metadata.name.clone().unwrap_or_default();
        let g = groups.entry(reasons(&found)).or_insert_with(|| (name.clone(), 0));
        if name < g.0 {
            g.0 = name;
        }
        g.1 += 1;
    }
    let mut out = Vec::new();
    if checked.len() < total {
        out.push(format!(
            "new PodSecurity enforce level only checked against the first {} of {total} existing pods",
            checked.len()
        ));
    }
    if !groups.is_empty() {
        out.push(format!("existing pods in namespace {namespace:?} violate the new PodSecurity enforce level \"{lv}\""));
    }
    let mut lines: Vec<String> = groups
        .into_iter()
        .map(|(reasons, (name, n))| match n {
            1 => format!("{name}: {reasons}"),
            2 => format!("{name} (and 1 other pod): {reasons}"),
            _ => format!("{name} (and {} other pods): {reasons}", n - 1),
        })
        .collect();
    lines.sort();
    out.extend(lines);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(v: Value) -> core::Pod {
        serde_json::from_value(v).expect("a pod")
    }

    const LATEST: Option<u64> = None;

    #[test]
    fn a_plain_nginx_pod_meets_baseline_and_fails_restricted_with_upstreams_words() {
        let p = pod(
            serde_json::json!({"metadata": {"name": "nginx"}, "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]}}),
        );
        let spec = p.spec.as_ref().expect("spec");
        assert!(evaluate(LevelVersion { level: Level::Baseline, minor: LATEST }, Some(&p.metadata), spec).is_empty());
        let r = evaluate(LevelVersion { level: Level::Restricted, minor: LATEST }, Some(&p.metadata), spec);
        assert_eq!(
            details(&r),
            "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
        );
    }

    #[test]
    fn baseline_reports_host_namespaces_paths_ports_and_privilege_in_order() {
        let p = pod(serde_json::json!({"metadata": {"name": "x"}, "spec": {
        "hostNetwork": true, "hostPID": true,
        "volumes": [{"name": "proc", "hostPath": {"path": "/proc"}}, {"name": "sys", "hostPath": {"path": "/sys"}}],
        "containers": [
            {"name": "node-exporter", "image": "i", "ports": [{"containerPort": 9100, "hostPort": 9100}],
             "securityContext": {"privileged": true, "capabilities": {"add": ["NET_RAW", "NET_ADMIN", "CHOWN"]}}}
        ]}}));
        let r = evaluate(LevelVersion { level: Level::Baseline, minor: LATEST }, None, p.spec.as_ref().expect("spec"));
        assert_eq!(
            details(&r),
            "non-default capabilities (container \"node-exporter\" must not include \"NET_ADMIN\", \"NET_RAW\" in securityContext.capabilities.add), host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volumes \"proc\", \"sys\"), hostPort (container \"node-exporter\" uses hostPort 9100), privileged (container \"node-exporter\" must not set securityContext.privileged=true)"
        );
        // At restricted, restricted volume types replaces hostPath volumes.
        let r = evaluate(LevelVersion { level: Level::Restricted, minor: LATEST }, None, p.spec.as_ref().expect("spec"));
        assert_eq!(
            reasons(&r),
            "host namespaces, hostPort, privileged, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile"
        );
    }

    #[test]
    fn a_compliant_pod_passes_restricted() {
        let p = pod(serde_json::json!({"metadata": {"name": "x"}, "spec": {
            "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{"name": "c", "image": "i", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}}]}}));
        assert!(
            evaluate(LevelVersion { level: Level::Restricted, minor: LATEST }, None, p.spec.as_ref().expect("spec")).is_empty()
        );
    }

    #[test]
    fn bad_labels_are_invalid_and_fail_closed_for_enforce() {
        let labels: BTreeMap<String, String> = [
            ("pod-security.kubernetes.io/enforce".to_string(), "strict".to_string()),
            ("pod-security.kubernetes.io/warn-version".to_string(), "1.30".to_string()),
        ]
        .into_iter()
        .collect();
        let (p, errs) = policy(Some(&labels));
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.warn, LevelVersion { level: Level::Privileged, minor: None });
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted".to_string(),
                "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.30\": must be \"latest\" or \"v1.x\"".to_string(),
            ]
        );
        assert_eq!(parse_version("v1.35"), Some(35));
        assert_eq!(parse_version("v1.035"), None);
    }
}
