//! `kubectl debug`: an ephemeral debugging container added to a running pod (through the
//! `ephemeralcontainers` subresource), a copy of a pod with a debugging container
//! (`--copy-to`), or a pod on a node (`node/NAME`), built as kubectl 1.35's
//! `generateDebugContainer`, `generatePodCopyWithDebugContainer` and `generateNodeDebugPod`
//! do, with its debugging profiles (`legacy`, still the default in 1.35 and warned about,
//! `general`, `baseline`, `restricted`, `netadmin`, `sysadmin`) and `--keep-*` flags.
//! Attaching waits for the container as kubectl does: a container that already ended has its
//! logs printed; an interactive session is not simulated, and says so.

use crate::args::Args;
use crate::exec::{api_error_text, namespace};
use crate::Output;
use k8s_openapi::api::core::v1 as core;
use kubeplay_sim::errors::ApiError;
use kubeplay_sim::kinds::{Kind, Object};
use kubeplay_sim::world::World;

const ATTACH_NOTE: &str =
    "kubeplay: interactive sessions are not simulated; run commands in the debugging container with kubectl exec";

pub fn debug(world: &mut World, args: &Args) -> Output {
    let Some(target) = args.positional.first().cloned() else {
        return Output::err("error: NAME is required for debug\nSee 'kubectl debug -h' for help and examples\n".into());
    };
    let image = args.value("image").map(String::from);
    let interactive = args.flag("stdin");
    let tty = args.flag("tty");
    let copying = args.value("copy-to").is_some();
    let profile = args.value("profile").unwrap_or(LEGACY).to_string();
    if !PROFILES.contains(&profile.as_str()) {
        return Output::err(format!("error: unknown profile: {profile}\n"));
    }
    // DebugOptions.Validate, in its order.
    let problem = if args.flag("attach") && image.is_none() && args.value("container").is_none() {
        Some("you must specify --container or create a new container using --image in order to attach.")
    } else if copying {
        if image.is_none() && args.value("set-image").is_none() && args.rest.is_empty() {
            Some("you must specify --image, --set-image or command arguments.")
        } else if !args.rest.is_empty() && args.value("container").is_none() && image.is_none() {
            Some("you must specify an existing container or a new image when specifying args.")
        } else {
            None
        }
    } else if args.flag("replace") {
        Some("--replace may only be used with --copy-to.")
    } else if args.flag("same-node") {
        Some("--same-node may only be used with --copy-to.")
    } else if args.value("set-image").is_some() {
        Some("--set-image may only be used with --copy-to.")
    } else if image.is_none() {
        Some("you must specify --image when not using --copy-to.")
    } else {
        None
    };
    if let Some(p) = problem {
        return Output::err(format!("error: {p}\n"));
    }
    let mut out = Output::default();
    if let Some(t) = args.value("target") {
        if copying {
            return Output::err("error: --target is incompatible with --copy-to. Use --share-processes instead.\n".into());
        }
        if !args.flag("quiet") {
            out.stdout.push_str(&format!(
                "Targeting container {t:?}. If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n"
            ));
        }
    }
    if tty && !interactive {
        return Output::err("error: -i/--stdin is required for containers with -t/--tty=true\n".into());
    }
    if profile == LEGACY {
        // Validate prints this on stderr after the "Targeting" line and before anything
        // else: both go first, so that a transcript keeps kubectl's order.
        out.warnings = std::mem::take(&mut out.stdout);
        out.warnings.push_str(
            "--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".\n",
        );
    }
    let keeps = Keeps {
        labels: args.flag("keep-labels"),
        annotations: args.flag("keep-annotations"),
        liveness: args.flag("keep-liveness"),
        readiness: args.flag("keep-readiness"),
        startup: args.flag("keep-startup"),
        init_containers: args.flag_or("keep-init-containers", true),
    };
    // `--attach` defaults to `-i`.
    let attach = args.bools.get("attach").copied().unwrap_or(interactive);
    if let Some(node) = target.strip_prefix("node/").or_else(|| target.strip_prefix("nodes/")) {
        let Some(image) = image else {
            return fail(out, "error: --image is required when debugging a node\n".into());
        };
        if world.get(Kind::Node, "", node).is_none() {
            return fail(out, api_error_text(&ApiError::not_found(Kind::Node, node)));
        }
        let cn = args.value("container").unwrap_or("debugger").to_string();
        let pn = format!("node-debugger-{node}-{}", world.random_suffix(5));
        if !args.flag("quiet") {
            out.stdout.push_str(&format!("Creating debugging pod {pn} with container {cn} on node {node}.\n"));
        }
        let mut pod = node_pod(&pn, &cn, node, &image, args, interactive, tty);
        pod.metadata.namespace = Some(namespace(args));
        apply_profile(&profile, Style::Node, &mut pod, &cn, &keeps);
        return create(world, pod, &pn, &cn, attach, args.flag("quiet"), out);
    }
    let ns = namespace(args);
    // `TYPE/NAME` of another kind: the builder fetches it, then debug's visitor refuses it.
    if let Some((ty, other)) = target.split_once('/').filter(|(t, _)| !matches!(*t, "pod" | "pods")) {
        let kind = match crate::exec::resolve_kind(ty) {
            Ok(k) => k,
            Err(e) => return fail(out, e),
        };
        let ons = if kind.info().namespaced { ns.as_str() } else { "" };
        if world.get(kind, ons, other).is_none() {
            return fail(out, api_error_text(&ApiError::not_found(kind, other)));
        }
        let i = kind.info();
        return fail(out, format!("error: \"{}/{}, Kind={}\" not supported by debug\n", i.group, i.version, i.kind));
    }
    let name = target.strip_prefix("pod/").or_else(|| target.strip_prefix("pods/")).unwrap_or(&target).to_string();
    let Some(Object::Pod(pod)) = world.get(Kind::Pod, &ns, &name).cloned() else {
        return fail(out, api_error_text(&ApiError::not_found(Kind::Pod, &name)));
    };
    let Some(copy_to) = args.value("copy-to").map(String::from) else {
        return ephemeral(world, args, *pod, image.unwrap_or_default(), &profile, attach, out);
    };
    let mut spec = pod.spec.clone().unwrap_or_default();
    spec.ephemeral_containers = None;
    // Only an explicit --share-processes changes the copy's process namespace.
    if let Some(share) = args.bools.get("share-processes") {
        spec.share_process_namespace = Some(*share);
    }
    if !args.flag("same-node") {
        spec.node_name = None;
    }
    let set_images: Vec<(String, String)> = args
        .value("set-image")
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    for c in spec.containers.iter_mut() {
        let any = set_images.iter().find(|(k, _)| k == "*").map(|(_, v)| v.clone());
        if let Some(img) = set_images.iter().find(|(k, _)| *k == c.name).map(|(_, v)| v.clone()).or(any) {
            c.image = Some(img);
        }
    }
    let named = args.value("container").map(String::from);
    let exists =
        |spec: &core::PodSpec, n: &str| spec.containers.iter().chain(spec.init_containers.iter().flatten()).any(|c| c.name == n);
    let container = match named.clone().filter(|n| exists(&spec, n)) {
        Some(n) => Some(n),
        None => {
            if image.is_none() {
                if set_images.is_empty() {
                    return fail(out, "error: you must specify image when creating new container\n".into());
                }
                None
            } else {
                let n = match named {
                    Some(n) => n,
                    None => {
                        let mut n = String::new();
                        while n.is_empty() || exists(&spec, &n) {
                            n = format!("debugger-{}", world.random_suffix(5));
                        }
                        if !args.flag("quiet") {
                            out.stdout.push_str(&format!("Defaulting debug container name to {n}.\n"));
                        }
                        n
                    }
                };
                spec.containers.push(core::Container {
                    name: n.clone(),
                    termination_message_policy: Some("File".into()),
                    ..Default::default()
                });
                Some(n)
            }
        }
    };
    if let Some(cn) = &container {
        if let Some(c) = spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()).find(|c| c.name == *cn) {
            if !args.rest.is_empty() {
                if args.flag("arguments-only") {
                    c.args = Some(args.rest.clone());
                } else {
                    c.command = Some(args.rest.clone());
                    c.args = None;
                }
            }
            if let Some(img) = &image {
                c.image = Some(img.clone());
            }
            if let Some(p) = args.value("image-pull-policy") {
                c.image_pull_policy = Some(p.to_string());
            }
            if let Some(env) = env_vars(args) {
                c.env = Some(env);
            }
            c.stdin = Some(interactive);
            c.tty = Some(tty);
        }
    }
    let mut copy = core::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(copy_to.clone()),
            namespace: Some(ns.clone()),
            annotations: pod.metadata.annotations.clone(),
            labels: pod.metadata.labels.clone(),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    };
    // A --set-image-only copy has no debugging container: kubectl applies no profile.
    if let Some(cn) = &container {
        apply_profile(&profile, Style::Copy, &mut copy, cn, &keeps);
    }
    let out = create(world, copy, &copy_to, container.as_deref().unwrap_or(""), false, args.flag("quiet"), out);
    if out.exit_code != 0 {
        return out;
    }
    let mut out = out;
    // `--replace`: the original pod goes at once (grace period 0).
    if args.flag("replace") {
        let r = kubeplay_sim::ObjRef::new(Kind::Pod, &ns, &name);
        let opts = kubeplay_sim::DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
        if let Err(e) = world.delete(&r, opts) {
            out.stderr.push_str(&api_error_text(&e));
            out.exit_code = 1;
            return out;
        }
    }
    if attach {
        if let Some(cn) = &container {
            attach_to(world, &ns, &copy_to, cn, args.flag("quiet"), &mut out);
        }
    }
    out
}

/// An error after what the command already printed (kubectl's warnings and notices come
/// first).
fn fail(mut out: Output, message: String) -> Output {
    out.stderr.push_str(&message);
    out.exit_code = 1;
    out
}

/// What kubectl's attach prints before it connects (on stderr, unless --quiet).
pub const ATTACH_BANNER: &str = "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n";

const LEGACY: &str = "legacy";
const PROFILES: [&str; 6] = [LEGACY, "general", "baseline", "restricted", "netadmin", "sysadmin"];

/// Which debugging journey a profile is applied to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Ephemeral,
    Copy,
    Node,
}

/// The `--keep-*` flags: what a profile leaves in a pod copy.
#[derive(Default)]
struct Keeps {
    labels: bool,
    annotations: bool,
    liveness: bool,
    readiness: bool,
    startup: bool,
    init_containers: bool,
}

/// What each of kubectl's debugging profiles (`profiles.go`) does to the debugging pod and
/// its container `cn`.
fn apply_profile(profile: &str, style: Style, pod: &mut core::Pod, cn: &str, keeps: &Keeps) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    let copy_cleanup = |pod: &mut core::Pod| {
        if !keeps.labels {
            pod.metadata.labels = None;
        }
        if !keeps.annotations {
            pod.metadata.annotations = None;
        }
        let spec = pod.spec.get_or_insert_with(Default::default);
        for c in spec.containers.iter_mut() {
            if !keeps.liveness {
                c.liveness_probe = None;
            }
            if !keeps.readiness {
                c.readiness_probe = None;
            }
            if !keeps.startup {
                c.startup_probe = None;
            }
        }
        if !keeps.init_containers {
            spec.init_containers = None;
        }
        spec.share_process_namespace.get_or_insert(true);
    };
    let host_namespaces = |spec: &mut core::PodSpec| {
        spec.host_network = Some(true);
        spec.host_pid = Some(true);
        spec.host_ipc = Some(true);
    };
    match profile {
        "general" => match style {
            Style::Node => {
                mount_root(spec, cn);
                with_security_context(spec, cn, |sc| *sc = None);
                host_namespaces(spec);
            }
            Style::Copy => {
                add_capabilities(spec, cn, &["SYS_PTRACE"]);
                copy_cleanup(pod);
            }
            Style::Ephemeral => add_capabilities(spec, cn, &["SYS_PTRACE"]),
        },
        "baseline" | "restricted" => {
            let restricted = profile == "restricted";
            with_security_context(spec, cn, |sc| {
                *sc = None;
                if restricted {
                    let sc = sc.get_or_insert_with(Default::default);
                    sc.run_as_non_root = Some(true);
                    sc.capabilities = Some(core::Capabilities { add: None, drop: Some(vec!["ALL".into()]) });
                    sc.allow_privilege_escalation = Some(false);
                    sc.seccomp_profile = Some(core::SeccompProfile { type_: "RuntimeDefault".into(), localhost_profile: None });
                }
            });
            if style == Style::Copy {
                copy_cleanup(pod);
            }
        }
        "netadmin" => {
            add_capabilities(spec, cn, &["NET_ADMIN", "NET_RAW"]);
            match style {
                Style::Node => host_namespaces(spec),
                Style::Copy => copy_cleanup(pod),
                Style::Ephemeral => {}
            }
        }
        "sysadmin" => {
            with_security_context(spec, cn, |sc| sc.get_or_insert_with(Default::default).privileged = Some(true));
            match style {
                Style::Node => {
                    host_namespaces(spec);
                    mount_root(spec, cn);
                }
                Style::Copy => copy_cleanup(pod),
                Style::Ephemeral => {}
            }
        }
        // legacy: the node's root and namespaces for a node; a copy loses its labels.
        _ => match style {
            Style::Node => {
                mount_root(spec, cn);
                host_namespaces(spec);
            }
            Style::Copy => pod.metadata.labels = None,
            Style::Ephemeral => {}
        },
    }
}

/// Changes the securityContext of the container, init container or ephemeral container
/// `cn`, as kubectl's profiles visit the pod's containers (none changes when none has the
/// name).
fn with_security_context(spec: &mut core::PodSpec, cn: &str, f: impl FnOnce(&mut Option<core::SecurityContext>)) {
    if let Some(c) = spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()).find(|c| c.name == cn) {
        f(&mut c.security_context);
    } else if let Some(e) = spec.ephemeral_containers.iter_mut().flatten().find(|e| e.name == cn) {
        f(&mut e.security_context);
    }
}

fn add_capabilities(spec: &mut core::PodSpec, cn: &str, caps: &[&str]) {
    with_security_context(spec, cn, |sc| {
        let sc = sc.get_or_insert_with(Default::default);
        let add = sc.capabilities.get_or_insert_with(Default::default).add.get_or_insert_with(Vec::new);
        add.extend(caps.iter().map(|c| c.to_string()));
    });
}

/// The node's root filesystem at /host in the debugging container.
fn mount_root(spec: &mut core::PodSpec, cn: &str) {
    spec.volumes.get_or_insert_with(Vec::new).push(core::Volume {
        name: "host-root".into(),
        host_path: Some(core::HostPathVolumeSource { path: "/".into(), type_: None }),
        ..Default::default()
    });
    if let Some(c) = spec.containers.iter_mut().find(|c| c.name == cn) {
        c.volume_mounts.get_or_insert_with(Vec::new).push(core::VolumeMount {
            mount_path: "/host".into(),
            name: "host-root".into(),
            ..Default::default()
        });
    }
}

fn node_pod(pn: &str, cn: &str, node: &str, image: &str, args: &Args, interactive: bool, tty: bool) -> core::Pod {
    let argv = (!args.rest.is_empty()).then(|| args.rest.clone());
    let only_args = args.flag("arguments-only");
    core::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(pn.into()),
            labels: Some([("app.kubernetes.io/managed-by".to_string(), "kubectl-debug".to_string())].into()),
            ..Default::default()
        },
        spec: Some(core::PodSpec {
            containers: vec![core::Container {
                name: cn.into(),
                image: Some(image.into()),
                image_pull_policy: args.value("image-pull-policy").map(String::from),
                stdin: Some(interactive),
                tty: Some(tty),
                termination_message_policy: Some("File".into()),
                command: if only_args { None } else { argv.clone() },
                args: if only_args { argv } else { None },
                env: env_vars(args),
                ..Default::default()
            }],
            node_name: Some(node.into()),
            restart_policy: Some("Never".into()),
            tolerations: Some(vec![core::Toleration { operator: Some("Exists".into()), ..Default::default() }]),
            ..Default::default()
        }),
        status: None,
    }
}

/// `--env KEY=VALUE` pairs.
fn env_vars(args: &Args) -> Option<Vec<core::EnvVar>> {
    // A string-to-string flag: `--env A=1,B=2` as well as repeated.
    let env: Vec<core::EnvVar> = args
        .all("env")
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| core::EnvVar { name: k.into(), value: Some(v.into()), value_from: None })
        .collect();
    (!env.is_empty()).then_some(env)
}

fn create(world: &mut World, pod: core::Pod, name: &str, container: &str, attach: bool, quiet: bool, mut out: Output) -> Output {
    let ns = pod.metadata.namespace.clone().unwrap_or_else(|| "default".into());
    if let Err(e) = world.create(Object::from(pod)) {
        out.stderr.push_str(&api_error_text(&e));
        out.exit_code = 1;
        return out;
    }
    if attach && !container.is_empty() {
        attach_to(world, &ns, name, container, quiet, &mut out);
    }
    out
}

/// An ephemeral debugging container in the running pod: kubectl's `generateDebugContainer`
/// with the general profile (SYS_PTRACE added), sent to the `ephemeralcontainers`
/// subresource.
fn ephemeral(
    world: &mut World,
    args: &Args,
    pod: core::Pod,
    image: String,
    profile: &str,
    attach: bool,
    mut out: Output,
) -> Output {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let mut spec = pod.spec.clone().unwrap_or_default();
    let taken = |spec: &core::PodSpec, n: &str| kubeplay_sim::kubelet::pod_container(spec, n).is_some();
    let cn = match args.value("container") {
        Some(c) => c.to_string(),
        None => {
            let mut n = String::new();
            while n.is_empty() || taken(&spec, &n) {
                n = format!("debugger-{}", world.random_suffix(5));
            }
            if !args.flag("quiet") {
                out.stdout.push_str(&format!("Defaulting debug container name to {n}.\n"));
            }
            n
        }
    };
    let argv = (!args.rest.is_empty()).then(|| args.rest.clone());
    let ec = core::EphemeralContainer {
        name: cn.clone(),
        image: Some(image),
        image_pull_policy: args.value("image-pull-policy").map(String::from),
        env: env_vars(args),
        stdin: Some(args.flag("stdin")),
        tty: Some(args.flag("tty")),
        termination_message_policy: Some("File".into()),
        target_container_name: args.value("target").map(String::from),
        command: if args.flag("arguments-only") { None } else { argv.clone() },
        args: if args.flag("arguments-only") { argv } else { None },
        ..Default::default()
    };
    spec.ephemeral_containers.get_or_insert_with(Vec::new).push(ec);
    let mut asked = pod;
    asked.spec = Some(spec);
    apply_profile(profile, Style::Ephemeral, &mut asked, &cn, &Keeps::default());
    if let Err(e) = world.update_ephemeral_containers(Object::from(asked)) {
        out.stderr.push_str(&api_error_text(&e));
        out.exit_code = 1;
        return out;
    }
    if attach {
        attach_to(world, &ns, &name, &cn, args.flag("quiet"), &mut out);
    }
    out
}

/// How long, in virtual ms, `kubectl debug` waits for its container to run before kubeplay
/// stops waiting (kubectl itself waits without end).
const ATTACH_BOUND_MS: u64 = 300_000;

/// kubectl's `handleAttachPod`: wait until the container runs or has ended. An ended one has
/// its logs printed; a running one is attached to: a program that ends is followed to its
/// end and its output printed, and an endless one (a shell reading stdin, a server) is where
/// the interactive session would begin, which kubeplay does not simulate.
fn attach_to(world: &mut World, ns: &str, pod: &str, container: &str, quiet: bool, out: &mut Output) {
    let state = |world: &World| -> Option<core::ContainerState> {
        let Some(Object::Pod(p)) = world.get(Kind::Pod, ns, pod) else { return None };
        kubeplay_sim::kubelet::pod_container_status(p, container).and_then(|c| c.state.clone())
    };
    let r = kubeplay_sim::ObjRef::new(Kind::Pod, ns, pod);
    let endless =
        |world: &World| world.runtime(&r).and_then(|rt| rt.containers.get(container)).is_none_or(|c| c.program.exit.is_none());
    let deadline = world.now_ms() + ATTACH_BOUND_MS;
    let mut warned: Vec<String> = Vec::new();
    let mut steps = 0u32;
    // Phase one: until the container runs or has ended.
    let mut attached = false;
    loop {
        let now = state(world);
        if world.get(Kind::Pod, ns, pod).is_none() {
            break;
        }
        if let Some(s) = &now {
            if s.terminated.is_some() {
                break;
            }
            if s.running.is_some() {
                if !attached {
                    attached = true;
                    // On stderr in kubectl; here after what stdout already holds (the
                    // "Defaulting debug container name" line), so a transcript keeps its order.
                    if !quiet {
                        out.stdout.push_str(ATTACH_BANNER);
                    }
                }
                // Attached: an endless program is where the session begins; a finite one
                // is streamed until it ends.
                if endless(world) {
                    break;
                }
            }
        }
        // kubectl prints each waiting message it sees (a failing pull, say) as a warning.
        if let Some(m) = now.and_then(|s| s.waiting).and_then(|w| w.message).filter(|m| !m.is_empty()) {
            if !warned.contains(&m) {
                out.warnings.push_str(&format!("Warning: container {container}: {m}\n"));
                warned.push(m);
            }
        }
        match world.next_deadline() {
            Some(t) if t <= deadline && steps < 200_000 => {
                world.step();
                steps += 1;
            }
            _ => break,
        }
    }
    let now = state(world);
    if world.get(Kind::Pod, ns, pod).is_none() {
        out.stderr.push_str(&api_error_text(&ApiError::not_found(Kind::Pod, "")));
        out.exit_code = 1;
    } else if now.as_ref().is_some_and(|s| s.terminated.is_some()) {
        // Its output: streamed while attached, or (already ended) kubectl's logs fallback.
        let words = vec![pod.to_string(), "-c".into(), container.to_string(), format!("--namespace={ns}")];
        match Args::parse(&words, "logs") {
            Ok(a) => {
                let logs = crate::rollout::logs(world, &a);
                out.stdout.push_str(&logs.stdout);
                out.stderr.push_str(&logs.stderr);
            }
            Err(e) => out.stderr.push_str(&format!("error: {e}\n")),
        }
    } else if now.as_ref().is_some_and(|s| s.running.is_some()) {
        let kind = crate::session::SessionKind::Attach { rm: false, quiet, run: false };
        let tty = world
            .get(Kind::Pod, ns, pod)
            .and_then(|o| match o {
                Object::Pod(p) => p.spec.as_ref().and_then(|s| kubeplay_sim::kubelet::pod_container(s, container)),
                _ => None,
            })
            .is_some_and(|c| c.tty == Some(true));
        match crate::net::attach_session(world, &r, container, tty, kind) {
            Some(s) => out.session = Some(Box::new(s)),
            None => out.stderr.push_str(&format!("{ATTACH_NOTE} {pod} -c {container} -- COMMAND\n")),
        }
    } else {
        out.stderr.push_str(&format!(
            "kubeplay: container {container} has not started after {} of simulated time; kubectl would go on waiting for it\n",
            kubeplay_sim::world::go_duration(ATTACH_BOUND_MS)
        ));
    }
}

/// `kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t]`: the container must be
/// running (attach does not wait); attaching is where an interactive session would begin,
/// which kubeplay does not simulate, and says so.
pub fn attach(world: &mut World, args: &Args) -> Output {
    let ns = namespace(args);
    let Some(target) = args.positional.first() else {
        return Output::err(
            "error: expected POD, TYPE/NAME, or TYPE NAME, (1) arguments, got 0\nSee 'kubectl attach -h' for help and examples\n"
                .into(),
        );
    };
    let p = match crate::net::target_pod(world, &ns, target) {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let name = p.metadata.name.clone().unwrap_or_default();
    let phase = p.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return Output::err(format!("error: cannot attach a container in a completed pod; current phase is {phase}\n"));
    }
    let mut out = Output::default();
    let container = match args.value("container") {
        Some(c) => c.to_string(),
        None => {
            let (c, notice) = crate::rollout::default_container(&p);
            if !args.flag("quiet") {
                out.warnings = notice;
            }
            c
        }
    };
    let spec = p.spec.clone().unwrap_or_default();
    let Some(c) = kubeplay_sim::kubelet::pod_container(&spec, &container) else {
        return Output {
            stderr: format!("error: cannot attach to the container: container {container} not found in pod {name}\n"),
            exit_code: 1,
            ..out
        };
    };
    if args.flag("tty") && c.tty != Some(true) && !args.flag("quiet") {
        // On stderr before the banner: kept with the warnings so that a transcript keeps
        // kubectl's order.
        out.warnings.push_str(&format!("error: Unable to use a TTY - container {container} did not allocate one\n"));
    }
    let running = kubeplay_sim::kubelet::pod_container_status(&p, &container)
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
    if !running {
        out.stderr.push_str(&format!("error: unable to upgrade connection: container not found ({container:?})\n"));
        out.exit_code = 1;
        return out;
    }
    if !args.flag("quiet") {
        out.warnings.push_str(ATTACH_BANNER);
    }
    // A shell reading stdin: the terminal's next lines go to it. attach.go uses a terminal
    // exactly when the container has one.
    let r = kubeplay_sim::ObjRef::new(Kind::Pod, &ns, &name);
    let kind = crate::session::SessionKind::Attach { rm: false, quiet: args.flag("quiet"), run: false };
    match crate::net::attach_session(world, &r, &container, c.tty == Some(true), kind).filter(|_| args.flag("stdin")) {
        Some(s) => out.session = Some(Box::new(s)),
        None => out.stderr.push_str(&format!("{ATTACH_NOTE} {name} -c {container} -- COMMAND\n")),
    }
    out
}
