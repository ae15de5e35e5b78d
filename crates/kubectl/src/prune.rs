//! `kubectl apply --prune` (and `kubectl diff --prune`): after an apply, the objects that
//! an earlier apply made (they carry the last-applied annotation) and that this one did not
//! name are deleted, among those the label selector picks, in the namespaces the apply
//! touched, and only of the allowlisted kinds (kubectl's legacy pruner, `prune.go`).

use crate::args::Args;
use kubeplay_sim::selectors::Selector;
use kubeplay_sim::{Kind, ObjRef, World};
use std::collections::BTreeSet;

/// kubectl's default allowlist, in its order. ReplicationController, also in kubectl's list,
/// is not served by kubeplay, so no object of that kind can exist to prune.
const DEFAULT_ALLOWLIST: &[Kind] = &[
    Kind::ConfigMap,
    Kind::Endpoints,
    Kind::Namespace,
    Kind::PersistentVolumeClaim,
    Kind::PersistentVolume,
    Kind::Pod,
    Kind::Secret,
    Kind::Service,
    Kind::Job,
    Kind::CronJob,
    Kind::Ingress,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
];

pub struct Pruner {
    kinds: Vec<Kind>,
    selector: Option<Selector>,
    /// Whether `--prune-allowlist` was left to its default.
    default_kinds: bool,
}

/// What an apply has visited: the uids it applied, and the namespaces they are in.
#[derive(Default)]
pub struct Visited {
    pub uids: BTreeSet<String>,
    pub namespaces: BTreeSet<String>,
}

impl Visited {
    pub fn mark(&mut self, kind: Kind, uid: Option<&str>, namespace: Option<&str>) {
        if let Some(u) = uid {
            self.uids.insert(u.to_string());
        }
        if kind.info().namespaced {
            self.namespaces.insert(namespace.unwrap_or("default").to_string());
        }
    }
}

/// The pruner `--prune` asks for, kubectl's flag errors, or None without `--prune`. Apply
/// demands `--all` or a selector; diff (which has no `--all`) shows everything a prune
/// would delete without one.
pub fn from_args(args: &Args, apply: bool) -> Result<Option<Pruner>, String> {
    let selector = args.value("selector");
    if apply && args.flag("all") && selector.is_some() {
        return Err("error: cannot set --all and --selector at the same time\n".into());
    }
    if !args.flag("prune") {
        return Ok(None);
    }
    if apply && !args.flag("all") && selector.is_none() {
        return Err("error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n".into());
    }
    if apply && args.flag("force") {
        return Err("error: --force cannot be used with --prune\n".into());
    }
    let mut kinds = Vec::new();
    for gvk in args.all("prune-allowlist") {
        let parts: Vec<&str> = gvk.split('/').collect();
        let [group, version, kind] = parts[..] else {
            return Err(format!("error: invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>\n"));
        };
        let group = if group == "core" { "" } else { group };
        let api_version = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
        match Kind::from_api_version_kind(&api_version, kind) {
            Some(k) => kinds.push(k),
            None => return Err(format!("error: no matches for kind {kind:?} in version {api_version:?}\n")),
        }
    }
    let default_kinds = kinds.is_empty();
    if default_kinds {
        kinds = DEFAULT_ALLOWLIST.to_vec();
    }
    let selector = selector.map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
    Ok(Some(Pruner { kinds, selector, default_kinds }))
}

impl Pruner {
    /// The warning kubectl logs when the default allowlist's cluster-scoped kinds are
    /// pruned with a namespace in effect (always, as the namespace defaults to `default`).
    pub fn deprecation(&self, world: &World) -> String {
        if !self.default_kinds {
            return String::new();
        }
        format!(
            "{}       1 prune.go:71] Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.\n",
            crate::exec::klog_stamp(world, 'W')
        )
    }

    /// The objects to prune, in kubectl's order: each visited namespace (sorted here; a Go
    /// set's order in kubectl) through the namespaced kinds, then the cluster-scoped kinds.
    pub fn candidates(&self, world: &World, visited: &Visited) -> Vec<ObjRef> {
        let mut out = Vec::new();
        let (namespaced, cluster): (Vec<Kind>, Vec<Kind>) = self.kinds.iter().partition(|k| k.info().namespaced);
        let scopes = visited
            .namespaces
            .iter()
            .flat_map(|ns| namespaced.iter().map(move |k| (*k, Some(ns.as_str()))))
            .chain(cluster.iter().map(|k| (*k, None)));
        for (kind, ns) in scopes {
            for o in world.store().list(kind, ns) {
                let m = o.meta();
                let applied = m.annotations.as_ref().is_some_and(|a| a.contains_key(kubeplay_sim::api::LAST_APPLIED));
                let labels = m.labels.clone().unwrap_or_default();
                let selected = self.selector.as_ref().is_none_or(|s| s.matches(&labels));
                let seen = m.uid.as_ref().is_some_and(|u| visited.uids.contains(u));
                if applied && selected && !seen {
                    out.push(ObjRef::of(o));
                }
            }
        }
        out
    }
}
