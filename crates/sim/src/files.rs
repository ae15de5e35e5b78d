//! Files inside containers, so that data behaves as it does on a node: what a container
//! writes to its own filesystem is lost when the container restarts; an `emptyDir` lives as
//! long as the pod; a PersistentVolumeClaim's data lives in its bound volume and survives
//! the pod; a `hostPath` lives on the node; ConfigMap and Secret volumes show their keys as
//! read-only files. Images contribute the few files tutorials read (nginx's pages).
//!
//! Only what commands write is stored (a map per volume from relative path to text), so a
//! path that nothing wrote and no image provides does not exist.

use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::World;
use k8s_openapi::api::core::v1 as core;

/// nginx's document root.
pub const NGINX_ROOT: &str = "/usr/share/nginx/html";

/// Where a path inside a container lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Writable storage: the world's file map key, and the path relative to it; for a
    /// volume, `root` is where the volume's own root is (relative to the same key), a
    /// directory that exists even when empty.
    Store { key: String, rel: String, root: Option<String> },
    /// A ConfigMap or Secret volume: its files, read-only.
    ReadOnly { files: Vec<(String, String)>, rel: String },
    /// A volume type whose contents are not simulated (downwardAPI, projected, ...).
    Unsimulated { volume: String },
}

fn join(dir: &str, rel: &str) -> String {
    if rel.is_empty() {
        dir.to_string()
    } else if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), rel)
    }
}

/// Normalizes an absolute path: no trailing slash, no `//`, `.` segments dropped.
pub fn clean(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    format!("/{}", parts.join("/"))
}

/// The prefix of the world file map keys for one pod.
pub fn pod_prefix(namespace: &str, name: &str) -> String {
    format!("pod/{namespace}/{name}/")
}

/// The container's volume mount that holds `path` (a clean absolute path): the one mounted
/// at the longest prefix of it.
fn mount_at<'a>(c: &'a core::Container, path: &str) -> Option<&'a core::VolumeMount> {
    c.volume_mounts
        .iter()
        .flatten()
        .filter(|m| {
            let mp = clean(&m.mount_path);
            path == mp || path.starts_with(&format!("{}/", mp.trim_end_matches('/')))
        })
        .max_by_key(|m| clean(&m.mount_path).len())
}

/// Where `path` lives for `container` of `pod`: the volume mounted at the longest prefix of
/// it, or the container's own filesystem (one per container instance).
pub fn locate(world: &World, pod: &core::Pod, container: &str, path: &str) -> Result<Location, String> {
    let path = clean(path);
    let spec = pod.spec.as_ref().ok_or("the pod has no spec")?;
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let c = crate::kubelet::pod_container(spec, container).ok_or_else(|| format!("container {container} not found"))?;
    let Some(m) = mount_at(&c, &path) else {
        let r = ObjRef::new(Kind::Pod, &ns, &name);
        let restarts = world.runtime(&r).and_then(|rt| rt.containers.get(container)).map_or(0, |c| c.restart_count);
        return Ok(Location::Store {
            key: format!("{}{uid}/rootfs/{container}/{restarts}", pod_prefix(&ns, &name)),
            rel: path.trim_start_matches('/').to_string(),
            root: None,
        });
    };
    let mp = clean(&m.mount_path);
    let mut rel = path[mp.len()..].trim_start_matches('/').to_string();
    // Where the mount's root is within the volume (its subPath).
    let mut base = String::new();
    if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
        rel = join(sub.trim_matches('/'), &rel);
        base = sub.trim_matches('/').to_string();
    }
    let vol = spec.volumes.iter().flatten().find(|v| v.name == m.name).ok_or_else(|| format!("volume {:?} not found", m.name))?;
    if vol.empty_dir.is_some() {
        return Ok(Location::Store {
            key: format!("{}{uid}/emptydir/{}", pod_prefix(&ns, &name), vol.name),
            rel,
            root: Some(base),
        });
    }
    if let Some(hp) = &vol.host_path {
        let node = spec.node_name.clone().unwrap_or_default();
        let rel = join(hp.path.trim_matches('/'), &rel);
        let root = join(hp.path.trim_matches('/'), &base);
        return Ok(Location::Store { key: format!("node/{node}"), rel, root: Some(root) });
    }
    if let Some(pvc) = &vol.persistent_volume_claim {
        let claim = match world.store().get(Kind::PersistentVolumeClaim, &ns, &pvc.claim_name) {
            Some(Object::PersistentVolumeClaim(c)) => c,
            _ => return Err(format!("persistentvolumeclaim {:?} not found", pvc.claim_name)),
        };
        let pv = claim.spec.as_ref().and_then(|s| s.volume_name.clone()).filter(|v| !v.is_empty());
        let pv = pv.ok_or_else(|| format!("persistentvolumeclaim {:?} is not bound", pvc.claim_name))?;
        // A hostPath volume (a manual one, or local-path's directory under
        // /var/lib/rancher/k3s/storage) keeps its files on the pod's node, where hostPath
        // volumes and a node debugging pod's /host see them too.
        if let Some(Object::PersistentVolume(v)) = world.store().get(Kind::PersistentVolume, "", &pv) {
            if let Some(hp) = v.spec.as_ref().and_then(|s| s.host_path.as_ref()) {
                let node = spec.node_name.clone().unwrap_or_default();
                let rel = join(hp.path.trim_matches('/'), &rel);
                let root = join(hp.path.trim_matches('/'), &base);
                return Ok(Location::Store { key: format!("node/{node}"), rel, root: Some(root) });
            }
        }
        return Ok(Location::Store { key: format!("pv/{pv}"), rel, root: Some(base) });
    }
    if let Some(cm) = &vol.config_map {
        let data = match world.store().get(Kind::ConfigMap, &ns, &cm.name) {
            Some(Object::ConfigMap(c)) => c.data.clone().unwrap_or_default(),
            _ => Default::default(),
        };
        let files = project(data.into_iter().collect(), cm.items.as_deref());
        return Ok(Location::ReadOnly { files, rel });
    }
    if let Some(sec) = &vol.secret {
        let data = match world.store().get(Kind::Secret, &ns, sec.secret_name.as_deref().unwrap_or("")) {
            Some(Object::Secret(s)) => s.data.clone().unwrap_or_default(),
            _ => Default::default(),
        };
        let data: Vec<(String, String)> =
            data.into_iter().map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned())).collect();
        return Ok(Location::ReadOnly { files: project(data, sec.items.as_deref()), rel });
    }
    if let Some(d) = &vol.downward_api {
        return Ok(Location::ReadOnly { files: downward_files(world, pod, d.items.as_deref().unwrap_or(&[])), rel });
    }
    if let Some(p) = &vol.projected {
        // A projected volume: its ConfigMap, Secret and downward API sources, merged.
        let mut files = Vec::new();
        for src in p.sources.iter().flatten() {
            if let Some(cm) = &src.config_map {
                if let Some(Object::ConfigMap(c)) = world.store().get(Kind::ConfigMap, &ns, &cm.name) {
                    files.extend(project(c.data.clone().unwrap_or_default().into_iter().collect(), cm.items.as_deref()));
                }
            }
            if let Some(sec) = &src.secret {
                if let Some(Object::Secret(s)) = world.store().get(Kind::Secret, &ns, &sec.name) {
                    let data = s
                        .data
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
                        .collect();
                    files.extend(project(data, sec.items.as_deref()));
                }
            }
            if let Some(d) = &src.downward_api {
                files.extend(downward_files(world, pod, d.items.as_deref().unwrap_or(&[])));
            }
            if let Some(t) = &src.service_account_token {
                files.push((t.path.clone(), service_account_token(pod)));
            }
        }
        return Ok(Location::ReadOnly { files, rel });
    }
    Ok(Location::Unsimulated { volume: vol.name.clone() })
}

/// A projected ServiceAccount token: shaped like the real JWT (header, claims), but its
/// signature says it is kubeplay's, since nothing here can verify one.
fn service_account_token(pod: &core::Pod) -> String {
    use base64::Engine;
    let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let sa = pod.spec.as_ref().and_then(|s| s.service_account_name.clone()).unwrap_or_else(|| "default".into());
    let header = serde_json::json!({"alg": "RS256", "kid": "kubeplay"});
    let claims = serde_json::json!({
        "aud": ["https://kubernetes.default.svc.cluster.local", "k3s"],
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {"namespace": ns, "pod": {"name": pod.metadata.name, "uid": pod.metadata.uid}, "serviceaccount": {"name": sa}},
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    });
    format!("{}.{}.kubeplay-simulated-signature", b64(&header), b64(&claims))
}

/// A downward API volume's files: each item's path with its field or resource value.
fn downward_files(world: &World, pod: &core::Pod, items: &[core::DownwardAPIVolumeFile]) -> Vec<(String, String)> {
    let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or(&[]);
    items
        .iter()
        .filter_map(|i| {
            let value = if let Some(f) = &i.field_ref {
                crate::kubelet::volume_field_value(world, pod, &f.field_path)
            } else {
                let rf = i.resource_field_ref.as_ref()?;
                let c = containers.iter().find(|c| Some(c.name.as_str()) == rf.container_name.as_deref())?;
                crate::kubelet::resource_field_value(world, pod, c, rf)
            };
            Some((i.path.clone(), value))
        })
        .collect()
}

/// A ConfigMap/Secret volume's files: every key, or only `items` at their paths.
fn project(data: Vec<(String, String)>, items: Option<&[core::KeyToPath]>) -> Vec<(String, String)> {
    match items {
        Some(items) if !items.is_empty() => items
            .iter()
            .filter_map(|i| data.iter().find(|(k, _)| *k == i.key).map(|(_, v)| (i.path.clone(), v.clone())))
            .collect(),
        _ => data,
    }
}

/// The files the kubelet writes into every container: `/etc/hosts`, `/etc/hostname` and,
/// with the ClusterFirst DNS policy, `/etc/resolv.conf` pointing at CoreDNS.
fn kubelet_file(world: &World, pod: &core::Pod, path: &str) -> Option<String> {
    let spec = pod.spec.as_ref();
    // The pod's hostname (spec.hostname, else its name) and, with a subdomain, its FQDN.
    let name = spec.and_then(|s| s.hostname.clone()).unwrap_or_else(|| pod.metadata.name.clone().unwrap_or_default());
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    match path {
        "/etc/hostname" => Some(format!("{name}\n")),
        "/etc/hosts" => {
            let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
            let names = match spec.and_then(|s| s.subdomain.as_deref()).filter(|d| !d.is_empty()) {
                Some(sub) => format!("{name}.{sub}.{ns}.svc.cluster.local\t{name}"),
                None => name.clone(),
            };
            let mut hosts = format!(
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{names}\n"
            );
            // The kubelet's hostsEntriesFromHostAliases: a blank line, a header, then one
            // line per alias with its hostnames tab-separated.
            if let Some(aliases) = spec.and_then(|s| s.host_aliases.as_ref()).filter(|a| !a.is_empty()) {
                hosts.push_str("\n# Entries added by HostAliases.\n");
                for a in aliases {
                    let names = a.hostnames.as_deref().unwrap_or_default().join("\t");
                    hosts.push_str(&format!("{}\t{names}\n", a.ip));
                }
            }
            Some(hosts)
        }
        "/etc/resolv.conf" => {
            // The kubelet's DNS configuration for the pod's policy, with its dnsConfig
            // appended (nameservers and searches, duplicates dropped; options by name), as
            // containerd writes it: search, nameservers, options.
            let policy = spec.and_then(|s| s.dns_policy.as_deref()).unwrap_or("ClusterFirst");
            let host_network = spec.and_then(|s| s.host_network).unwrap_or(false);
            let cluster_first = policy == "ClusterFirstWithHostNet" || (policy == "ClusterFirst" && !host_network);
            // Options are (name, value) pairs.
            type DnsOptions = Vec<(String, Option<String>)>;
            let (mut servers, mut searches, mut options): (Vec<String>, Vec<String>, DnsOptions) = if policy == "None" {
                (vec![], vec![], vec![])
            } else if cluster_first {
                let dns = match world.store().get(Kind::Service, "kube-system", "kube-dns") {
                    Some(Object::Service(s)) => s.spec.as_ref().and_then(|sp| sp.cluster_ip.clone()).unwrap_or_default(),
                    _ => "10.43.0.10".into(),
                };
                let searches = [format!("{ns}.svc.cluster.local"), "svc.cluster.local".into(), "cluster.local".into()];
                (vec![dns], searches.to_vec(), vec![("ndots".into(), Some("5".into()))])
            } else {
                // Default (and ClusterFirst on the host network): the node's own resolver
                // (k3s nodes here resolve through the host).
                (vec!["10.0.0.1".into()], vec![], vec![])
            };
            if let Some(c) = spec.and_then(|s| s.dns_config.as_ref()) {
                for n in c.nameservers.iter().flatten() {
                    if !servers.contains(n) {
                        servers.push(n.clone());
                    }
                }
                for s in c.searches.iter().flatten() {
                    if !searches.contains(s) {
                        searches.push(s.clone());
                    }
                }
                for o in c.options.iter().flatten() {
                    let name = o.name.clone().unwrap_or_default();
                    match options.iter_mut().find(|(n, _)| *n == name) {
                        Some(existing) => existing.1 = o.value.clone(),
                        None => options.push((name, o.value.clone())),
                    }
                }
            }
            let mut out = String::new();
            if !searches.is_empty() {
                out.push_str(&format!("search {}\n", searches.join(" ")));
            }
            for s in servers.iter().take(3) {
                out.push_str(&format!("nameserver {s}\n"));
            }
            if !options.is_empty() {
                let opts: Vec<String> = options
                    .iter()
                    .map(|(n, v)| match v.as_deref().filter(|v| !v.is_empty()) {
                        Some(v) => format!("{n}:{v}"),
                        None => n.clone(),
                    })
                    .collect();
                out.push_str(&format!("options {}\n", opts.join(" ")));
            }
            Some(out)
        }
        _ => None,
    }
}

/// What the image itself ships at `path` (only the files tutorials read).
fn image_file(family: &str, path: &str) -> Option<String> {
    match (family, path) {
        ("nginx" | "nginx-slim", p) if p == format!("{NGINX_ROOT}/index.html") => Some(crate::net::NGINX_WELCOME.to_string()),
        ("nginx" | "nginx-slim", p) if p == format!("{NGINX_ROOT}/50x.html") => Some(crate::net::NGINX_50X.to_string()),
        _ => None,
    }
}

fn image_of(pod: &core::Pod, container: &str) -> String {
    pod.spec.as_ref().and_then(|s| crate::kubelet::pod_container(s, container)).and_then(|c| c.image).unwrap_or_default()
}

fn family_of(pod: &core::Pod, container: &str) -> &'static str {
    crate::images::lookup(&image_of(pod, container)).map(|i| i.family).unwrap_or("")
}

/// The container's image family and tag (`("nginx", "1.27")`), empty when not catalogued.
pub fn image_family_tag(pod: &core::Pod, container: &str) -> (&'static str, String) {
    match crate::images::lookup(&image_of(pod, container)) {
        Ok(i) => (i.family, i.full.rsplit_once(':').map(|(_, t)| t.to_string()).unwrap_or_default()),
        Err(_) => ("", String::new()),
    }
}

/// Whether a listing of `dir` shows only part of it: the image ships files there that
/// kubeplay does not model (`ls` says so, rather than pretend the directory holds no more).
pub fn listing_is_partial(world: &World, pod: &core::Pod, container: &str, dir: &str) -> bool {
    let dir = clean(dir);
    match locate(world, pod, container, &dir) {
        Ok(Location::Store { root: None, .. }) => {
            let (family, tag) = image_family_tag(pod, container);
            crate::images::partly_modelled(family, &tag, &dir)
        }
        // The node's own filesystem (a node debugging pod's /host): only what pods wrote.
        Ok(Location::Store { key, rel, .. }) => key.starts_with("node/") && node_dir(&rel),
        _ => false,
    }
}

/// A k3s node's top-level directories, which hostPath volumes of `/` (`kubectl debug
/// node/NAME` mounts it at /host) show; kubeplay models no files in them beyond what pods
/// write.
const NODE_ROOT: &[&str] = &[
    "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys",
    "tmp", "usr", "var",
];

/// Whether `rel` (a path on a node) is the root or one of its top-level directories.
fn node_dir(rel: &str) -> bool {
    rel.is_empty() || NODE_ROOT.contains(&rel)
}

/// What `ls` adds (on stderr) after listing a partly modelled directory.
pub fn partial_note(dir: &str) -> String {
    format!("kubeplay: the image's own files under {} are not simulated; this lists only what the pod adds there\n", clean(dir))
}

/// The text of a file, if it exists.
pub fn read(world: &World, pod: &core::Pod, container: &str, path: &str) -> Option<String> {
    let path = clean(path);
    match locate(world, pod, container, &path).ok()? {
        Location::Store { key, rel, root } => {
            let stored = world.files(&key).and_then(|m| m.get(&rel).cloned());
            if stored.is_some() || root.is_some() {
                return stored;
            }
            kubelet_file(world, pod, &path).or_else(|| image_file(family_of(pod, container), &path))
        }
        Location::ReadOnly { files, rel } => files.into_iter().find(|(k, _)| *k == rel).map(|(_, v)| v),
        Location::Unsimulated { .. } => None,
    }
}

/// The entries of a directory (names, sorted), or `None` when it does not exist. A mount
/// point always exists, even empty.
pub fn list(world: &World, pod: &core::Pod, container: &str, dir: &str) -> Option<Vec<String>> {
    let dir = clean(dir);
    let loc = locate(world, pod, container, &dir).ok()?;
    let (paths, rel, exists): (Vec<String>, String, bool) = match loc {
        Location::Store { key, rel, root } => {
            let mut paths: Vec<String> = world.files(&key).map(|m| m.keys().cloned().collect()).unwrap_or_default();
            // A volume's root is a directory, unless a file is stored there (a hostPath or
            // subPath that names a file).
            let file_at_root = world.files(&key).is_some_and(|m| m.contains_key(&rel));
            let mut exists = root.as_deref() == Some(rel.as_str()) && !file_at_root;
            if key.starts_with("node/") {
                paths.extend(NODE_ROOT.iter().map(|d| d.to_string()));
                exists |= node_dir(&rel);
            }
            if root.is_none() {
                let family = family_of(pod, container);
                for f in ["index.html", "50x.html"] {
                    if image_file(family, &format!("{NGINX_ROOT}/{f}")).is_some() {
                        paths.push(format!("{}/{f}", NGINX_ROOT.trim_start_matches('/')));
                    }
                }
                // The image's top-level directories, and the kubelet's files in /etc.
                let (family, tag) = image_family_tag(pod, container);
                let root = crate::images::root_entries(family, &tag).unwrap_or_default();
                paths.extend(root.iter().map(|e| e.to_string()));
                exists |= rel.is_empty() || root.contains(&rel.as_str());
                paths.extend(["etc/hostname", "etc/hosts", "etc/resolv.conf"].map(String::from));
                // Mount points, and the directories that lead to them.
                for m in mount_points(pod, container) {
                    let m = m.trim_start_matches('/').to_string();
                    if rel.is_empty() || m == rel || m.starts_with(&format!("{rel}/")) {
                        exists = true;
                    }
                    paths.push(m);
                }
            }
            (paths, rel.clone(), exists)
        }
        Location::ReadOnly { files, rel } => (files.into_iter().map(|(k, _)| k).collect(), rel.clone(), rel.is_empty()),
        Location::Unsimulated { .. } => return None,
    };
    let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
    let mut names: Vec<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&prefix))
        .filter_map(|p| p.split('/').next().map(str::to_string))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() && !exists {
        return None;
    }
    Some(names)
}

/// Where the container mounts volumes (clean absolute paths).
fn mount_points(pod: &core::Pod, container: &str) -> Vec<String> {
    pod.spec
        .as_ref()
        .and_then(|s| crate::kubelet::pod_container(s, container))
        .map(|c| c.volume_mounts.iter().flatten().map(|m| clean(&m.mount_path)).collect())
        .unwrap_or_default()
}

impl World {
    /// Writes (or appends to) a file in a container, as a shell redirect would.
    pub fn write_file(&mut self, r: &ObjRef, container: &str, path: &str, text: &str, append: bool) -> Result<(), String> {
        let Some(Object::Pod(pod)) = self.store().get_ref(r) else { return Err(format!("pods {:?} not found", r.name)) };
        let shown = clean(path);
        match locate(self, pod, container, &shown)? {
            Location::Store { key, rel, root } => {
                let file_there = self.files(&key).is_some_and(|m| m.contains_key(&rel));
                if rel.is_empty() || (root.as_deref() == Some(rel.as_str()) && !file_there) {
                    return Err(format!("can't create {shown}: Is a directory"));
                }
                let old = if append { read(self, pod, container, &shown) } else { None };
                let content = format!("{}{text}", old.unwrap_or_default());
                self.files_mut(&key).insert(rel, content);
                Ok(())
            }
            Location::ReadOnly { .. } => Err(format!("can't create {shown}: Read-only file system")),
            Location::Unsimulated { volume } => {
                Err(format!("can't create {shown}: kubeplay does not simulate the contents of volume {volume:?}"))
            }
        }
    }

    /// Removes a file; `false` when it did not exist.
    pub fn remove_file(&mut self, r: &ObjRef, container: &str, path: &str) -> Result<bool, String> {
        let Some(Object::Pod(pod)) = self.store().get_ref(r) else { return Err(format!("pods {:?} not found", r.name)) };
        let shown = clean(path);
        match locate(self, pod, container, &shown)? {
            Location::Store { key, rel, .. } => Ok(self.files_mut(&key).remove(&rel).is_some()),
            Location::ReadOnly { .. } => Err(format!("can't remove '{shown}': Read-only file system")),
            Location::Unsimulated { volume } => Err(format!("kubeplay does not simulate the contents of volume {volume:?}")),
        }
    }
}

/// What a path is, for `ls -l`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatKind {
    Dir,
    File,
    /// A symbolic link, and where it points.
    Link(String),
}

/// What `ls -l` shows of a path. kubeplay keeps no per-file times: every time is the
/// container's start (its current instance's), which is when its volumes were set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    pub kind: StatKind,
    /// Permission bits, with setgid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub uid: i64,
    pub gid: i64,
    pub size: u64,
    pub nlink: u32,
    /// Modification time, Unix ms.
    pub mtime_unix_ms: i64,
}

impl Stat {
    /// Root's directory or file, as an image ships them.
    pub fn image(kind: StatKind, size: u64, mtime_unix_ms: i64) -> Stat {
        let (mode, nlink) = if kind == StatKind::Dir { (0o755, 2) } else { (0o644, 1) };
        Stat { kind, mode, uid: 0, gid: 0, size, nlink, mtime_unix_ms }
    }

    /// `ls -l`'s mode column (`drwxrwsrwx`, `-rw-r--r--`, `lrwxrwxrwx`).
    pub fn mode_string(&self) -> String {
        let mut s = String::from(match self.kind {
            StatKind::Dir => "d",
            StatKind::File => "-",
            StatKind::Link(_) => "l",
        });
        for (shift, special, set_x, set_noexec) in [(6, 0o4000, 's', 'S'), (3, 0o2000, 's', 'S'), (0, 0o1000, 't', 'T')] {
            let bits = (self.mode >> shift) & 7;
            s.push(if bits & 4 != 0 { 'r' } else { '-' });
            s.push(if bits & 2 != 0 { 'w' } else { '-' });
            s.push(match (bits & 1 != 0, self.mode & special != 0) {
                (true, true) => set_x,
                (false, true) => set_noexec,
                (true, false) => 'x',
                (false, false) => '-',
            });
        }
        s
    }
}

/// What `ls -l` shows of `path` in `container`, or `None` when it does not exist (or is in
/// a volume whose contents are not simulated). Ownership follows the pod's securityContext:
/// files the container wrote belong to its user, and in an emptyDir or a claimed volume to
/// the pod's fsGroup, whose directories the kubelet makes setgid; ConfigMap and Secret
/// volumes hold symbolic links into `..data`, as the kubelet's atomic writer lays them out.
pub fn stat(world: &World, pod: &core::Pod, container: &str, path: &str) -> Option<Stat> {
    let path = clean(path);
    let spec = pod.spec.as_ref()?;
    let c = crate::kubelet::pod_container(spec, container)?;
    let c = &c;
    let r = ObjRef::of_pod(pod);
    let started = world.runtime(&r).map_or(0, |rt| match rt.containers.get(container).map(|c| &c.state) {
        Some(crate::kubelet::CState::Running { since }) => *since,
        Some(crate::kubelet::CState::Exited { started, .. }) => *started,
        _ => rt.started_ms,
    });
    let mtime_ms = crate::world::EPOCH_UNIX_MS.saturating_add(i64::try_from(started).unwrap_or(0));
    let user = crate::kubelet::container_user(pod, c);
    let fs_group = spec.security_context.as_ref().and_then(|s| s.fs_group);
    let vol = mount_at(c, &path).and_then(|m| spec.volumes.iter().flatten().find(|v| v.name == m.name));
    let at_root = mount_at(c, &path).is_some_and(|m| clean(&m.mount_path) == path);
    // Volumes the kubelet applies fsGroup to (not hostPath).
    let grouped = vol.filter(|v| v.host_path.is_none()).and(fs_group);
    let dir_count = |names: &[String]| -> u32 {
        let subdirs = names.iter().filter(|n| list(world, pod, container, &format!("{path}/{n}")).is_some()).count();
        2 + u32::try_from(subdirs).unwrap_or(0)
    };
    match locate(world, pod, container, &path).ok()? {
        Location::Store { key, rel, root } => {
            let volume = root.is_some();
            let stored = world.files(&key).and_then(|m| m.get(&rel));
            if let Some(text) = stored {
                let gid = grouped.unwrap_or(user.gid);
                return Some(Stat {
                    kind: StatKind::File,
                    mode: 0o644,
                    uid: user.uid,
                    gid,
                    size: text.len() as u64,
                    nlink: 1,
                    mtime_unix_ms: mtime_ms,
                });
            }
            if volume && at_root {
                let names = list(world, pod, container, &path).unwrap_or_default();
                let nlink = dir_count(&names);
                let mut st =
                    Stat { kind: StatKind::Dir, mode: 0o755, uid: 0, gid: 0, size: 4096, nlink, mtime_unix_ms: mtime_ms };
                // emptyDir and local-path volumes are created world-writable; a manual
                // hostPath PersistentVolume's directory is whatever `mkdir` made (0755).
                let ns = pod.metadata.namespace.clone().unwrap_or_default();
                let local_path = |claim: &str| {
                    let pv = match world.store().get(Kind::PersistentVolumeClaim, &ns, claim) {
                        Some(Object::PersistentVolumeClaim(c)) => c.spec.as_ref().and_then(|s| s.volume_name.clone()),
                        _ => None,
                    };
                    match pv.and_then(|pv| world.store().get(Kind::PersistentVolume, "", &pv)) {
                        Some(Object::PersistentVolume(v)) => v
                            .spec
                            .as_ref()
                            .and_then(|s| s.host_path.as_ref())
                            .is_none_or(|hp| hp.path.starts_with("/var/lib/rancher/k3s/storage/")),
                        _ => true,
                    }
                };
                let claim = vol.and_then(|v| v.persistent_volume_claim.as_ref()).map(|c| c.claim_name.as_str());
                if vol.is_some_and(|v| v.empty_dir.is_some()) || claim.is_some_and(local_path) {
                    st.mode = 0o777;
                }
                if let Some(g) = grouped {
                    st.mode |= 0o2000;
                    st.gid = g;
                }
                return Some(st);
            }
            if let Some(names) = list(world, pod, container, &path) {
                let nlink = dir_count(&names);
                if volume {
                    // A directory the container made inside the volume.
                    let (gid, setgid) = grouped.map_or((user.gid, 0), |g| (g, 0o2000));
                    return Some(Stat {
                        kind: StatKind::Dir,
                        mode: 0o755 | setgid,
                        uid: user.uid,
                        gid,
                        size: 4096,
                        nlink,
                        mtime_unix_ms: mtime_ms,
                    });
                }
                return Some(Stat { nlink, ..Stat::image(StatKind::Dir, 4096, mtime_ms) });
            }
            let text = read(world, pod, container, &path)?;
            Some(Stat::image(StatKind::File, text.len() as u64, mtime_ms))
        }
        Location::ReadOnly { files, rel } => {
            let secret = vol.is_some_and(|v| v.secret.is_some() || v.projected.is_some());
            if rel.is_empty() {
                // The volume's directory: tmpfs (sticky) for Secrets and projected tokens.
                let mut st =
                    Stat { kind: StatKind::Dir, mode: 0o777, uid: 0, gid: 0, size: 4096, nlink: 3, mtime_unix_ms: mtime_ms };
                if secret {
                    st.mode |= 0o1000;
                }
                if let Some(g) = fs_group {
                    st.mode |= 0o2000;
                    st.gid = g;
                }
                return Some(st);
            }
            if !files.iter().any(|(k, _)| k == &rel || k.starts_with(&format!("{rel}/"))) {
                return None;
            }
            if !rel.contains('/') {
                let target = format!("..data/{rel}");
                return Some(Stat {
                    kind: StatKind::Link(target.clone()),
                    mode: 0o777,
                    uid: 0,
                    gid: 0,
                    size: target.len() as u64,
                    nlink: 1,
                    mtime_unix_ms: mtime_ms,
                });
            }
            let gid = fs_group.unwrap_or(0);
            match files.iter().find(|(k, _)| *k == rel) {
                Some((_, text)) => Some(Stat {
                    kind: StatKind::File,
                    mode: 0o644,
                    uid: 0,
                    gid,
                    size: text.len() as u64,
                    nlink: 1,
                    mtime_unix_ms: mtime_ms,
                }),
                None => {
                    Some(Stat { kind: StatKind::Dir, mode: 0o755, uid: 0, gid, size: 4096, nlink: 2, mtime_unix_ms: mtime_ms })
                }
            }
        }
        Location::Unsimulated { .. } => None,
    }
}
