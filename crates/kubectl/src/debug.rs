//! `kubectl debug`: a copy of a pod with a debugging container (`--copy-to`), or a pod on a
//! node (`node/NAME`), built as kubectl's `generatePodCopyWithDebugContainer` and
//! `generateNodeDebugPod` do with the default `general` profile. Ephemeral containers (a
//! debugging container added to the running pod) and the interactive attach are not
//! simulated, and say so.

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
    // `-it` is the usual spelling: a terminal with its stdin.
    let tty = args.flag("tty") || interactive;
    let mut out = Output::default();
    if let Some(node) = target.strip_prefix("node/").or_else(|| target.strip_prefix("nodes/")) {
        let Some(image) = image else {
            return Output::err("error: --image is required when debugging a node\n".into());
        };
        if world.get(Kind::Node, "", node).is_none() {
            return Output::err(api_error_text(&ApiError::not_found(Kind::Node, node)));
        }
        let cn = args.value("container").unwrap_or("debugger").to_string();
        let pn = format!("node-debugger-{node}-{}", world.random_suffix(5));
        let pod = node_pod(&pn, &cn, node, &image, args, interactive, tty);
        if !args.flag("quiet") {
            out.stdout.push_str(&format!("Creating debugging pod {pn} with container {cn} on node {node}.\n"));
        }
        return create(world, pod, &pn, &cn, interactive, out);
    }
    let ns = namespace(args);
    let name = target.strip_prefix("pod/").or_else(|| target.strip_prefix("pods/")).unwrap_or(&target).to_string();
    let Some(Object::Pod(pod)) = world.get(Kind::Pod, &ns, &name).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(Kind::Pod, &name)));
    };
    let Some(copy_to) = args.value("copy-to").map(String::from) else {
        return Output::err(format!(
            "error: kubeplay does not simulate ephemeral debugging containers yet; debug a copy of the pod instead: kubectl debug {name} --copy-to={name}-debug --image=IMAGE\n"
        ));
    };
    let mut spec = pod.spec.clone().unwrap_or_default();
    spec.ephemeral_containers = None;
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
                    return Output::err("error: you must specify image when creating new container\n".into());
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
                c.command = Some(args.rest.clone());
                c.args = None;
            }
            if let Some(img) = &image {
                c.image = Some(img.clone());
            }
            if let Some(p) = args.value("image-pull-policy") {
                c.image_pull_policy = Some(p.to_string());
            }
            c.stdin = Some(interactive);
            c.tty = Some(tty);
        }
    }
    // The general profile: the copy is not selected by Services and not restarted by
    // probes, and its containers share one process namespace.
    for c in spec.containers.iter_mut() {
        c.liveness_probe = None;
        c.readiness_probe = None;
        c.startup_probe = None;
    }
    spec.share_process_namespace = Some(true);
    let copy = core::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(copy_to.clone()),
            namespace: Some(ns),
            annotations: pod.metadata.annotations.clone(),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    };
    create(world, copy, &copy_to, container.as_deref().unwrap_or(""), interactive, out)
}

fn node_pod(pn: &str, cn: &str, node: &str, image: &str, args: &Args, interactive: bool, tty: bool) -> core::Pod {
    core::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta { name: Some(pn.into()), ..Default::default() },
        spec: Some(core::PodSpec {
            containers: vec![core::Container {
                name: cn.into(),
                image: Some(image.into()),
                image_pull_policy: args.value("image-pull-policy").map(String::from),
                stdin: Some(interactive),
                tty: Some(tty),
                termination_message_policy: Some("File".into()),
                command: (!args.rest.is_empty()).then(|| args.rest.clone()),
                // The general profile: the node's root filesystem at /host.
                volume_mounts: Some(vec![core::VolumeMount {
                    mount_path: "/host".into(),
                    name: "host-root".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }],
            host_ipc: Some(true),
            host_network: Some(true),
            host_pid: Some(true),
            node_name: Some(node.into()),
            restart_policy: Some("Never".into()),
            tolerations: Some(vec![core::Toleration { operator: Some("Exists".into()), ..Default::default() }]),
            volumes: Some(vec![core::Volume {
                name: "host-root".into(),
                host_path: Some(core::HostPathVolumeSource { path: "/".into(), type_: None }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }
}

fn create(world: &mut World, pod: core::Pod, name: &str, container: &str, interactive: bool, mut out: Output) -> Output {
    if let Err(e) = world.create(Object::from(pod)) {
        out.stderr.push_str(&api_error_text(&e));
        out.exit_code = 1;
        return out;
    }
    if interactive && !container.is_empty() {
        out.stderr.push_str(&format!("{ATTACH_NOTE} {name} -c {container} -- COMMAND\n"));
    }
    out
}
