//! The simulated image registry: a catalog of real public images with their sizes, tags,
//! digests and behaviour (what they log, whether they serve, when they exit), and the small
//! shell that busybox/alpine containers run.

use std::collections::BTreeMap;

/// What a container does once started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// Log lines at millisecond offsets from the start.
    pub logs: Vec<(u64, String)>,
    /// Lines logged every `period` ms after the fixed logs, forever (a `while true` loop).
    pub repeat: Option<(u64, Vec<String>)>,
    /// `Some((after_ms, exit_code))` when the process exits by itself.
    pub exit: Option<(u64, i32)>,
    /// The TCP port it listens on, if a server.
    pub listens: Option<u16>,
    /// What it answers over HTTP, if a web server.
    pub http: Option<Http>,
    /// PID 1 ignores SIGTERM (a shell running `sleep`): deletion waits for the grace period.
    pub ignores_sigterm: bool,
    /// Files the program creates (`true`) or removes (`false`), at ms offsets from the start:
    /// what exec probes such as `cat /tmp/healthy` see.
    pub files: Vec<(u64, String, bool)>,
    /// Memory the program holds once running, in bytes (`stress --vm-bytes`), checked
    /// against the container's memory limit.
    pub memory_bytes: Option<u64>,
    /// CPU the program burns, in millicores (`stress --cpu N`), before any CPU limit.
    pub cpu_millis: Option<u64>,
    /// File contents the program writes (`Some`) or removes (`None`), by absolute path, at
    /// ms offsets from the start: the kubelet stores them in the container's filesystem or
    /// volumes as time passes (`/dev/termination-log` becomes the termination message).
    pub writes: Vec<(u64, String, Option<String>)>,
    /// The program asked the cluster something (`nslookup`) while it ran: if it has not
    /// ended, the kubelet runs it again when Services change, as a retry loop would see.
    pub reevaluate: bool,
    /// An endless loop of HTTP requests (`while sleep 0.01; do wget -q -O- URL; done`): the
    /// URL and the ms each iteration takes besides the request, the load it puts on the
    /// Service's pods (`metrics.rs`).
    pub load: Option<(String, u64)>,
    /// runc could not start the program (`exec: "X": executable file not found in $PATH`):
    /// the container ends at once with exit code 128, reason StartError.
    pub start_error: Option<String>,
    /// For an endless loop, the ConfigMaps and Secrets its volumes showed when it was
    /// unrolled (`kind/name@resourceVersion`, see `kubelet::mounted_versions`): when they
    /// change, the kubelet unrolls the loop again from its next iteration, which reads the
    /// new files.
    pub volumes_seen: String,
    /// `tail -f FILE` left running: the file (absolute path) whose later lines, appended by
    /// the pod's other containers, the program goes on printing, how many lines the file had
    /// when it was read, and when (ms from the start) it was read.
    pub follows: Option<(String, usize, u64)>,
}

impl Program {
    /// Whether `path` exists `uptime` ms after the start (only files the program touches are
    /// modelled; anything else does not exist).
    pub fn file_exists(&self, path: &str, uptime: u64) -> bool {
        // A probe at the very instant of a change still sees the old state (the command
        // takes a moment); changes at the start are in place before the first probe.
        self.files.iter().rfind(|(t, p, _)| (*t < uptime || *t == 0) && p == path).is_some_and(|(_, _, created)| *created)
    }
}

/// The HTTP behaviour of a server image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Http {
    NginxWelcome,
    HttpdItWorks,
    Whoami,
    Echo(String),
    /// agnhost `netexec`: `/` answers `NOW: <time>`, `/hostname` the pod name.
    Netexec,
    /// Google's hello-app: greeting, version and hostname.
    HelloApp(&'static str),
    /// The Kubernetes Basics tutorial's bootcamp app: greeting, pod name and version.
    Bootcamp(&'static str),
    /// agnhost `liveness`: `/healthz` answers 200 for the first 10 seconds, then 500.
    Liveness,
    /// serve_hostname (and agnhost `serve-hostname`): every path answers the pod's name.
    Hostname,
    /// The same status and body for every path (a JSON greeter, a page, a redirect).
    Fixed(u16, String),
    /// nginx passing every request to `http://NAME` as the pod resolves it (a Service).
    Proxy(String),
}

/// agnhost `liveness`'s answer to `path` after `uptime` ms: `/healthz` is 200 `ok` for the
/// first 10 seconds, then 500 with the seconds elapsed; other paths are Go's 404.
pub fn liveness_healthz(path: &str, uptime: u64) -> (u16, String) {
    match path {
        "/healthz" if uptime <= 10_000 => (200, "ok".into()),
        "/healthz" => (500, format!("error: {}", uptime as f64 / 1000.0)),
        _ => (404, "404 page not found\n".into()),
    }
}

/// A catalogued image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalogued {
    /// `docker.io/library/nginx:1.25`
    pub full: String,
    /// `docker.io/library/nginx@sha256:...`
    pub digest_ref: String,
    pub size_bytes: u64,
    /// The catalog family, e.g. `nginx`.
    pub family: &'static str,
}

/// Why an image reference cannot be pulled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullError {
    /// No such repository (or not public): containerd's "pull access denied".
    NoRepository { full: String },
    /// The repository exists, the tag does not.
    NoTag { full: String },
    /// A Docker schema-1 image, which containerd 2.1 and later (k3s 1.35's) refuse.
    SchemaOne { full: String },
}

/// Images still on Docker Hub only as schema-1 manifests, which tutorials once used
/// (kubernetes/website#52702).
const SCHEMA_ONE: &[&str] = &["docker.io/radial/busyboxplus"];

impl PullError {
    /// The kubelet's `Failed to pull image` detail, as containerd reports it.
    pub fn message(&self) -> String {
        match self {
            PullError::NoRepository { full } => format!(
                "failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
            ),
            PullError::NoTag { full } => {
                // containerd's NotFound keeps its gRPC status in the kubelet's message; the
                // access-denied error (code Unknown) reaches it bare.
                format!("rpc error: code = NotFound desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: {full}: not found")
            }
            PullError::SchemaOne { full } => format!(
                "failed to pull and unpack image {full:?}: not implemented: media type \"application/vnd.docker.distribution.manifest.v1+prettyjws\" is no longer supported since containerd v2.1, please rebuild the image as \"application/vnd.docker.distribution.manifest.v2+json\" or \"application/vnd.oci.image.manifest.v1+json\""
            ),
        }
    }
}

struct Family {
    name: &'static str,
    /// Repository paths this family answers to (docker.io/...).
    repos: &'static [&'static str],
    tags: &'static [&'static str],
    size_bytes: u64,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "nginx",
        repos: &["docker.io/library/nginx"],
        tags: &[
            "latest",
            "stable",
            "mainline",
            "alpine",
            "1.29",
            "1.28",
            "1.27",
            "1.27.3",
            "1.26",
            "1.25",
            "1.25.5",
            "1.24",
            "1.23",
            "1.22",
            "1.21",
            "1.20",
            "1.19",
            "1.17",
            "1.16.1",
            "1.16-alpine",
            "1.15.4",
            "1.14.2",
            "1.9.1",
            "1.7.9",
            "alpine-slim",
            "1.25-alpine",
            "1.27-alpine",
        ],
        size_bytes: 72_404_038,
    },
    Family {
        name: "httpd",
        repos: &["docker.io/library/httpd"],
        tags: &["latest", "alpine", "2.4", "2.4.62", "2.4.65"],
        size_bytes: 58_120_414,
    },
    Family {
        name: "whoami",
        repos: &["docker.io/traefik/whoami"],
        tags: &["latest", "v1.10", "v1.10.3", "v1.11", "v1.11.0"],
        size_bytes: 3_285_105,
    },
    Family {
        name: "http-echo",
        repos: &["docker.io/hashicorp/http-echo"],
        tags: &["latest", "1.0", "1.0.0", "0.2.3"],
        size_bytes: 4_120_236,
    },
    Family {
        name: "redis",
        // registry.k8s.io/redis: the guestbook's leader, pinned by digest.
        repos: &["docker.io/library/redis", "registry.k8s.io/redis"],
        tags: &["latest", "alpine", "3.2-alpine", "5.0.4", "6", "6.0.5", "6.2", "7", "7.0", "7.2", "7.4", "8", "8.0", "8.0.2"],
        size_bytes: 45_021_933,
    },
    Family {
        name: "postgres",
        repos: &["docker.io/library/postgres"],
        tags: &["latest", "alpine", "15", "16", "16-alpine", "17", "17-alpine", "18"],
        size_bytes: 158_612_347,
    },
    Family {
        name: "mysql",
        repos: &["docker.io/library/mysql"],
        tags: &["latest", "5.6", "5.7", "8", "8.0", "8.4", "9"],
        size_bytes: 171_322_005,
    },
    Family {
        name: "mariadb",
        repos: &["docker.io/library/mariadb"],
        tags: &["latest", "10", "11", "11.4"],
        size_bytes: 117_630_221,
    },
    Family {
        name: "busybox",
        // The docs' "Debug Services" page runs gcr.io/google-containers/busybox.
        repos: &[
            "docker.io/library/busybox",
            "registry.k8s.io/busybox",
            "gcr.io/google-containers/busybox",
            "gcr.io/google_containers/busybox",
        ],
        tags: &["latest", "stable", "1.24", "1.27", "1.27.2", "1.28", "1.36", "1.37"],
        size_bytes: 2_166_802,
    },
    Family {
        name: "alpine",
        repos: &["docker.io/library/alpine"],
        tags: &["latest", "3", "3.19", "3.20", "3.21", "3.22"],
        size_bytes: 3_653_068,
    },
    // curlimages/curl is Alpine with curl: its entrypoint runs curl, or the command given.
    Family {
        name: "curl",
        repos: &["docker.io/curlimages/curl"],
        tags: &["latest", "8.18.0", "8.17.0", "8.16.0", "8.11.1"],
        size_bytes: 10_381_632,
    },
    Family {
        name: "perl",
        repos: &["docker.io/library/perl"],
        tags: &["latest", "5", "5.34", "5.34.0", "5.40", "slim"],
        size_bytes: 332_876_550,
    },
    Family {
        name: "bash",
        repos: &["docker.io/library/bash"],
        tags: &["latest", "5", "5.2", "5.3", "4", "4.4"],
        size_bytes: 6_530_231,
    },
    Family {
        name: "python",
        repos: &["docker.io/library/python"],
        tags: &["latest", "3", "3.12", "3.13", "3.14", "slim", "alpine", "3-slim", "3-alpine"],
        size_bytes: 412_393_020,
    },
    Family {
        name: "serve-hostname",
        repos: &["registry.k8s.io/serve_hostname", "gcr.io/google_containers/serve_hostname"],
        tags: &["latest", "1.1", "1.2", "1.3", "1.4", "v1.4"],
        size_bytes: 3_070_080,
    },
    Family {
        name: "agnhost",
        repos: &["registry.k8s.io/e2e-test-images/agnhost"],
        tags: &["2.39", "2.40", "2.43", "2.45", "2.47", "2.50", "2.51", "2.52", "2.53"],
        size_bytes: 51_214_316,
    },
    // The DNS debugging page's image: Debian jessie with dnsutils (BIND's nslookup, dig).
    Family {
        name: "dnsutils",
        repos: &["registry.k8s.io/e2e-test-images/jessie-dnsutils", "gcr.io/kubernetes-e2e-test-images/dnsutils"],
        tags: &["1.3", "1.4", "1.5", "1.7"],
        size_bytes: 112_493_226,
    },
    Family {
        name: "hello-app",
        repos: &["gcr.io/google-samples/hello-app", "us-docker.pkg.dev/google-samples/containers/gke/hello-app"],
        tags: &["1.0"],
        size_bytes: 11_304_512,
    },
    Family {
        name: "hello-app-2",
        repos: &["gcr.io/google-samples/hello-app", "us-docker.pkg.dev/google-samples/containers/gke/hello-app"],
        tags: &["2.0"],
        size_bytes: 11_308_220,
    },
    Family {
        name: "kubernetes-bootcamp",
        repos: &["gcr.io/google-samples/kubernetes-bootcamp", "docker.io/jocatalin/kubernetes-bootcamp"],
        tags: &["v1"],
        size_bytes: 80_856_137,
    },
    Family {
        name: "kubernetes-bootcamp-2",
        repos: &["docker.io/jocatalin/kubernetes-bootcamp"],
        tags: &["v2"],
        size_bytes: 80_856_402,
    },
    Family {
        name: "nginx-slim",
        repos: &["registry.k8s.io/nginx-slim"],
        tags: &["0.8", "0.21", "0.24", "0.26", "0.27"],
        size_bytes: 18_542_327,
    },
    Family {
        name: "fluentd",
        repos: &["quay.io/fluentd_elasticsearch/fluentd"],
        tags: &["v2.5.2", "v2.6.0", "v5.0.1"],
        size_bytes: 140_613_240,
    },
    Family { name: "goproxy", repos: &["registry.k8s.io/goproxy"], tags: &["0.1"], size_bytes: 2_502_716 },
    // The "Deploying WordPress and MySQL with Persistent Volumes" tutorial's web server
    // (the official image: PHP on Apache, Debian).
    Family {
        name: "wordpress",
        repos: &["docker.io/library/wordpress"],
        tags: &[
            "latest",
            "6",
            "6-apache",
            "apache",
            "6.2",
            "6.2-apache",
            "6.2.1",
            "6.2.1-apache",
            "6.8",
            "6.8-apache",
            "6.8.3-apache",
        ],
        size_bytes: 253_418_337,
    },
    // The PHP guestbook tutorial's frontend (PHP on Apache) and Redis followers.
    Family {
        name: "gb-frontend",
        repos: &["us-docker.pkg.dev/google-samples/containers/gke/gb-frontend", "gcr.io/google-samples/gb-frontend"],
        tags: &["v4", "v5", "v6"],
        size_bytes: 151_617_294,
    },
    Family {
        name: "gb-redis-follower",
        repos: &["us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower", "gcr.io/google-samples/gb-redis-follower"],
        tags: &["v1", "v2"],
        size_bytes: 36_834_702,
    },
    // "Connect a Frontend to a Backend Using Services": the hello greeter backend and the
    // nginx frontend that proxies to the `hello` Service.
    Family { name: "hello-go-gke", repos: &["gcr.io/google-samples/hello-go-gke"], tags: &["1.0"], size_bytes: 4_381_751 },
    Family { name: "hello-frontend", repos: &["gcr.io/google-samples/hello-frontend"], tags: &["1.0"], size_bytes: 21_562_046 },
    // The port-forwarding task's MongoDB.
    Family {
        name: "mongo",
        repos: &["docker.io/library/mongo"],
        tags: &["latest", "4.2", "4.4", "5", "5.0", "6", "6.0", "7", "7.0", "8", "8.0"],
        size_bytes: 211_734_820,
    },
    // The HorizontalPodAutoscaler walkthrough's php-apache server (PHP 5 on Apache).
    Family { name: "hpa-example", repos: &["registry.k8s.io/hpa-example"], tags: &["latest"], size_bytes: 136_902_434 },
    // The "Running ZooKeeper" tutorial's ensemble.
    Family {
        name: "zookeeper",
        repos: &["registry.k8s.io/kubernetes-zookeeper"],
        tags: &["1.0-3.4.10"],
        size_bytes: 289_116_743,
    },
    // The probes page's gRPC liveness example runs etcd.
    Family {
        name: "etcd",
        repos: &["registry.k8s.io/etcd"],
        tags: &["3.5.1-0", "3.5.9-0", "3.5.15-0", "3.5.21-0", "3.6.4-0"],
        size_bytes: 98_888_614,
    },
    Family {
        name: "pause",
        repos: &["registry.k8s.io/pause"],
        tags: &["2.0", "3.1", "3.2", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "latest"],
        size_bytes: 320_368,
    },
    Family { name: "stress", repos: &["docker.io/polinux/stress"], tags: &["latest"], size_bytes: 4_207_148 },
    Family {
        name: "debian",
        repos: &["docker.io/library/debian"],
        tags: &["latest", "stable", "bookworm", "bookworm-slim", "12", "bullseye", "11"],
        size_bytes: 48_491_502,
    },
    Family {
        name: "ubuntu",
        repos: &["docker.io/library/ubuntu"],
        tags: &["latest", "24.04", "noble", "22.04", "jammy", "20.04", "focal"],
        size_bytes: 29_723_147,
    },
    Family { name: "vish-stress", repos: &["docker.io/vish/stress"], tags: &["latest"], size_bytes: 2_839_654 },
    // k3s's own system images (its airgap image list), already on every node.
    Family { name: "coredns", repos: &["docker.io/rancher/mirrored-coredns-coredns"], tags: &["1.13.1"], size_bytes: 22_384_805 },
    Family { name: "traefik", repos: &["docker.io/rancher/mirrored-library-traefik"], tags: &["3.5.1"], size_bytes: 48_810_231 },
    Family {
        name: "metrics-server",
        repos: &["docker.io/rancher/mirrored-metrics-server"],
        tags: &["v0.8.0"],
        size_bytes: 19_428_632,
    },
    Family {
        name: "local-path-provisioner",
        repos: &["docker.io/rancher/local-path-provisioner"],
        tags: &["v0.0.32"],
        size_bytes: 20_671_130,
    },
    Family {
        name: "ingress-nginx",
        repos: &["registry.k8s.io/ingress-nginx/controller"],
        tags: &["v1.13.3"],
        size_bytes: 112_935_518,
    },
    Family { name: "klipper-lb", repos: &["docker.io/rancher/klipper-lb"], tags: &["v0.4.13"], size_bytes: 5_026_428 },
    Family {
        name: "klipper-helm",
        repos: &["docker.io/rancher/klipper-helm"],
        tags: &["v0.9.8-build20250709"],
        size_bytes: 59_483_472,
    },
];

/// The images k3s imports on every node at start (its airgap list), so system pods start
/// without a pull.
pub const K3S_SYSTEM_IMAGES: &[&str] = &[
    "docker.io/rancher/mirrored-coredns-coredns:1.13.1",
    "docker.io/rancher/mirrored-library-traefik:3.5.1",
    "docker.io/rancher/mirrored-metrics-server:v0.8.0",
    "docker.io/rancher/local-path-provisioner:v0.0.32",
    "docker.io/rancher/klipper-lb:v0.4.13",
    "docker.io/rancher/klipper-helm:v0.9.8-build20250709",
];

/// Splits an image reference into the full `registry/repo:tag` form containerd uses.
pub fn normalize(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    // Docker Hub's official images live under library/, however the reference names the
    // registry (`docker.io/redis`, `index.docker.io/redis`).
    let official = name.split_once('/').filter(|(r, rest)| matches!(*r, "docker.io" | "index.docker.io") && !rest.contains('/'));
    let full_name = if let Some((_, image)) = official {
        format!("docker.io/library/{image}")
    } else if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full_name}:{tag}")
}

/// Why the container runtime cannot parse an image reference (containerd's and the
/// kubelet's `invalid reference format`), if it cannot: the detail after
/// `couldn't parse image name "...": `.
pub fn reference_error(image: &str) -> Option<String> {
    const INVALID: &str = "invalid reference format";
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            alg.starts_with(|c: char| c.is_ascii_alphabetic())
                && alg.chars().all(|c| c.is_ascii_alphanumeric() || "+._-".contains(c))
                && hex.len() >= 32
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !ok {
            return Some(INVALID.into());
        }
        // The grammar takes 32 hex digits or more; go-digest then wants the algorithm's own
        // length.
        let (alg, hex) = d.split_once(':').unwrap_or_default();
        let want = match alg {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => return Some("unsupported digest algorithm".into()),
        };
        if hex.len() != want {
            return Some("invalid checksum digest length".into());
        }
    }
    let (name, tag) = match rest.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (rest, None),
    };
    if let Some(t) = tag {
        let mut chars = t.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok || t.len() > 128 || !chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return Some(INVALID.into());
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    // splitDockerDomain: a first part with a dot, a colon or an uppercase letter, or
    // `localhost`, is a registry host.
    let has_domain = parts.len() > 1
        && (parts[0].contains('.')
            || parts[0].contains(':')
            || parts[0] == "localhost"
            || parts[0].chars().any(|c| c.is_ascii_uppercase()));
    if has_domain {
        let domain = parts.remove(0);
        if domain.is_empty() || !domain.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c)) {
            return Some(INVALID.into());
        }
    }
    let component_ok = |p: &str| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            && p.starts_with(|c: char| c.is_ascii_alphanumeric())
            && p.ends_with(|c: char| c.is_ascii_alphanumeric())
    };
    if parts.is_empty() || !parts.iter().all(|p| component_ok(p)) {
        return Some(INVALID.into());
    }
    let remote = if !has_domain && parts.len() == 1 { format!("library/{}", parts[0]) } else { parts.join("/") };
    if remote.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!("{INVALID}: repository name ({remote}) must be lowercase"));
    }
    None
}

/// 64 hex digits derived from `seed` (image digests, container and sandbox ids).
pub fn hex_digest(seed: &str) -> String {
    use std::fmt::Write;
    use std::hash::Hasher;
    let mut out = String::with_capacity(64);
    for i in 0..4u8 {
        let mut h = fnv::FnvHasher::default();
        h.write(seed.as_bytes());
        h.write(&[i]);
        let _ = write!(out, "{:016x}", h.finish());
    }
    out
}

thread_local! {
    /// `lookup`'s answers by image reference. `lookup` is a pure function of its argument
    /// (the catalog is static), so remembering answers cannot change a result; the kubelet
    /// and scheduler ask several times per container. Bounded: a session names few images,
    /// and past `LOOKUP_CACHE_CAP` the cache is simply cleared.
    static LOOKUPS: std::cell::RefCell<BTreeMap<String, Result<Catalogued, PullError>>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

const LOOKUP_CACHE_CAP: usize = 1024;

/// Looks an image up in the catalog.
pub fn lookup(image: &str) -> Result<Catalogued, PullError> {
    if let Some(hit) = LOOKUPS.with(|c| c.borrow().get(image).cloned()) {
        return hit;
    }
    let answer = lookup_uncached(image);
    LOOKUPS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= LOOKUP_CACHE_CAP {
            c.clear();
        }
        c.insert(image.to_string(), answer.clone());
    });
    answer
}

fn lookup_uncached(image: &str) -> Result<Catalogued, PullError> {
    let full = normalize(image.split('@').next().unwrap_or(image));
    let (repo, tag) = full.rsplit_once(':').unwrap_or((&full, "latest"));
    if SCHEMA_ONE.contains(&repo) {
        return Err(PullError::SchemaOne { full });
    }
    let mut in_repo = FAMILIES.iter().filter(|f| f.repos.contains(&repo)).peekable();
    if in_repo.peek().is_none() {
        return Err(PullError::NoRepository { full });
    }
    // A repository may be split into families by tag (hello-app 1.0 and 2.0 answer differently).
    let Some(f) = in_repo.find(|f| f.tags.contains(&tag)) else {
        return Err(PullError::NoTag { full });
    };
    Ok(Catalogued {
        digest_ref: format!("{repo}@sha256:{}", hex_digest(&full)),
        full: full.clone(),
        size_bytes: f.size_bytes,
        family: f.name,
    })
}

/// The kubeplay note for an image the catalog cannot supply: the simulated nodes fail to
/// pull it as containerd fails for a repository or tag that does not exist, while a real
/// registry may have it. `None` for catalogued images, and for refusals a real node makes
/// too (schema-1 images).
pub fn catalog_note(image: &str) -> Option<String> {
    if image.trim().is_empty() {
        return None;
    }
    match lookup(image) {
        Err(PullError::NoRepository { full }) => {
            let repo = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
            Some(format!(
                "kubeplay: {repo} is not in kubeplay's image catalog: pulling {image:?} fails here as for a repository that does not exist (a real registry may have it)"
            ))
        }
        Err(PullError::NoTag { full }) => {
            let (repo, tag) = full.rsplit_once(':').unwrap_or((full.as_str(), "latest"));
            let mut tags: Vec<&str> = Vec::new();
            for t in FAMILIES.iter().filter(|f| f.repos.contains(&repo)).flat_map(|f| f.tags.iter().copied()) {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            let shown = if tags.len() > 10 { format!("{}, ...", tags[..10].join(", ")) } else { tags.join(", ") };
            Some(format!(
                "kubeplay: kubeplay's image catalog has no tag {tag:?} of {repo} (it has {shown}): pulling {image:?} fails here as for a tag that does not exist (a real registry may have it)"
            ))
        }
        Err(PullError::SchemaOne { .. }) | Ok(_) => None,
    }
}

/// A container-ID-like 64-hex string derived from a seed.
pub fn container_id(seed: &str) -> String {
    format!("containerd://{}", hex_digest(seed))
}

/// How long pulling an image of `size` bytes takes, in ms (about 20 MB/s plus setup).
pub fn pull_ms(size: u64) -> u64 {
    400 + size / 20_000
}

fn env_value<'a>(env: &'a BTreeMap<String, String>, k: &str) -> Option<&'a str> {
    env.get(k).map(String::as_str).filter(|v| !v.is_empty())
}

/// A process environment as `env` prints it: PATH and HOSTNAME first (as the image and
/// runtime set them), the container's variables, then HOME.
pub fn environ(env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "PATH={}\n",
        env.get("PATH").map_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", String::as_str)
    ));
    if let Some(h) = env.get("HOSTNAME") {
        out.push_str(&format!("HOSTNAME={h}\n"));
    }
    for (k, v) in env {
        if k != "PATH" && k != "HOSTNAME" && k != "HOME" {
            out.push_str(&format!("{k}={v}\n"));
        }
    }
    out.push_str(&format!("HOME={}\n", env.get("HOME").map_or("/root", String::as_str)));
    out
}

/// The entries of `/` in a running container of `family` at `tag` (the image's top-level
/// directories and files, with `/proc`, `/sys` and `/dev` from the runtime), sorted, or
/// `None` for images kubeplay does not know the layout of.
pub fn root_entries(family: &str, tag: &str) -> Option<Vec<&'static str>> {
    const DEBIAN: &[&str] = &[
        "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys",
        "tmp", "usr", "var",
    ];
    const ALPINE: &[&str] = &[
        "bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr",
        "var",
    ];
    const BUSYBOX: &[&str] = &["bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp", "usr", "var"];
    let alpine = tag.contains("alpine");
    // The base image's layout, and what the image adds at the top.
    let (base, extra): (&[&str], &[&str]) = match family {
        "busybox" => (BUSYBOX, &[]),
        "alpine" | "curl" | "bash" | "hello-app" | "hello-app-2" => (ALPINE, &[]),
        "python" | "perl" if alpine => (ALPINE, &[]),
        "debian" | "dnsutils" | "httpd" | "python" | "perl" | "wordpress" | "gb-frontend" => (DEBIAN, &[]),
        "gb-redis-follower" => (DEBIAN, &["data"]),
        "mongo" => (DEBIAN, &["data", "docker-entrypoint-initdb.d"]),
        "nginx" => (if alpine { ALPINE } else { DEBIAN }, &["docker-entrypoint.d", "docker-entrypoint.sh"]),
        "redis" => (if alpine { ALPINE } else { DEBIAN }, &["data"]),
        "postgres" => (if alpine { ALPINE } else { DEBIAN }, &["docker-entrypoint-initdb.d"]),
        // Ubuntu 24.04 keeps its pre-merge directories beside the symlinks.
        "ubuntu" if matches!(tag, "latest" | "24.04" | "noble") => {
            (DEBIAN, &["bin.usr-is-merged", "lib.usr-is-merged", "sbin.usr-is-merged"])
        }
        "ubuntu" => (DEBIAN, &[]),
        _ => return None,
    };
    let mut all: Vec<&'static str> = base.iter().chain(extra).copied().collect();
    all.sort_unstable();
    Some(all)
}

/// Whether `dir` (absolute, clean) is one the image ships with files kubeplay does not
/// model (`/etc`, `/usr`, ...): a listing shows only what the pod adds there. The empty
/// directories of an image (`/tmp`, `/home`, `/mnt`, ...) are modelled exactly.
pub fn partly_modelled(family: &str, tag: &str, dir: &str) -> bool {
    // nginx's document root holds just its two pages, which are modelled.
    if matches!(family, "nginx" | "nginx-slim") && dir == "/usr/share/nginx/html" {
        return false;
    }
    let Some(root) = root_entries(family, tag) else { return true };
    let top = dir.trim_start_matches('/').split('/').next().unwrap_or("");
    if top.is_empty() {
        return false;
    }
    root.contains(&top)
        && !matches!(
            top,
            "tmp" | "home" | "mnt" | "media" | "opt" | "srv" | "boot" | "root" | "data" | "docker-entrypoint-initdb.d"
        )
}

/// The image's working directory (its `WORKDIR`).
pub fn workdir(family: &str) -> &'static str {
    match family {
        "redis" | "gb-redis-follower" => "/data",
        "httpd" => "/usr/local/apache2",
        "wordpress" | "gb-frontend" => "/var/www/html",
        _ => "/",
    }
}

/// Who a container's processes run as: the securityContext's `runAsUser`, `runAsGroup`,
/// `fsGroup` and `supplementalGroups` (root otherwise; the catalogued images all run as root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct User {
    pub uid: i64,
    pub gid: i64,
    /// Supplementary groups, sorted, the primary group among them.
    pub groups: Vec<i64>,
    /// busybox's /etc/group puts root in `wheel` too.
    pub busybox: bool,
}

impl User {
    fn group_name(&self, gid: i64) -> Option<&'static str> {
        match gid {
            0 => Some("root"),
            10 if self.busybox => Some("wheel"),
            _ => None,
        }
    }

    fn named(&self, id: i64, name: Option<&str>) -> String {
        name.map_or(id.to_string(), |n| format!("{id}({n})"))
    }

    /// What `id` prints: `uid=0(root) gid=0(root) groups=0(root)`; ids with no entry in the
    /// image's /etc/passwd or /etc/group print bare (`uid=1000 gid=3000 groups=2000,3000`).
    pub fn id_line(&self) -> String {
        let user = if self.uid == 0 { Some("root") } else { None };
        let groups: Vec<String> = self.process_groups().iter().map(|g| self.named(*g, self.group_name(*g))).collect();
        format!(
            "uid={} gid={} groups={}\n",
            self.named(self.uid, user),
            self.named(self.gid, self.group_name(self.gid)),
            groups.join(",")
        )
    }

    /// The groups the process has, sorted: the pod's and the image's /etc/group memberships
    /// (the Merge supplementalGroupsPolicy), as `id` lists them and the runtime reports them
    /// in the container status's `user.linux.supplementalGroups`.
    pub fn process_groups(&self) -> Vec<i64> {
        let mut groups = self.groups.clone();
        if self.uid == 0 && self.busybox && !groups.contains(&10) {
            groups.push(10);
            groups.sort_unstable();
        }
        groups
    }

    /// What `whoami` prints, or its error for a uid with no name.
    pub fn whoami(&self) -> Result<String, String> {
        if self.uid == 0 {
            Ok("root\n".into())
        } else {
            Err(format!("whoami: unknown uid {}\n", self.uid))
        }
    }
}

/// The tag of a normalized image reference, as the image's tools behave: Google's old
/// gcr.io busybox (the docs' "Debug Services" page) is busybox 1.24 under `latest`.
pub fn tool_tag(normalized: &str) -> &str {
    let (repo, tag) = normalized.rsplit_once(':').unwrap_or((normalized, ""));
    if tag == "latest" && matches!(repo, "gcr.io/google-containers/busybox" | "gcr.io/google_containers/busybox") {
        return "1.24";
    }
    tag
}

/// Which `nslookup` an image has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NslookupStyle {
    /// busybox 1.28 and earlier: `Address 1: IP NAME`.
    Busybox128,
    /// later busybox: `Address:\tIP:53`, `Name:\tFQDN`.
    Busybox,
    /// BIND's (dnsutils, bind-tools): like later busybox, the server's port after `#`.
    Bind,
}

/// The `nslookup` of an image: BIND's in the dnsutils images and agnhost (Alpine with
/// bind-tools), busybox's otherwise.
pub fn nslookup_style(family: &str, tag: &str) -> NslookupStyle {
    if matches!(family, "dnsutils" | "agnhost") {
        NslookupStyle::Bind
    } else if family == "busybox" && old_busybox_nslookup(tag) {
        NslookupStyle::Busybox128
    } else {
        NslookupStyle::Busybox
    }
}

/// Whether a busybox tag prints nslookup's old format (`Address 1: ...`, busybox 1.28 and
/// earlier), as the DNS debugging docs rely on.
pub fn old_busybox_nslookup(tag: &str) -> bool {
    let mut parts = tag.split('.').map(|p| p.parse::<u32>().unwrap_or(u32::MAX));
    matches!((parts.next(), parts.next()), (Some(1), Some(minor)) if minor <= 28)
}

/// Servers that shut down cleanly on SIGTERM (exit 0, so "Completed"); other programs end
/// with 143 when the signal reaches them.
pub fn exits_cleanly_on_term(family: &str) -> bool {
    matches!(
        family,
        "redis"
            | "nginx"
            | "nginx-slim"
            | "httpd"
            | "postgres"
            | "mysql"
            | "mariadb"
            | "wordpress"
            | "gb-frontend"
            | "gb-redis-follower"
            | "mongo"
    )
}

/// Whether the image's `/bin/sh` is dash (Debian-based images), whose `echo` reads
/// backslash escapes, rather than busybox ash.
pub fn shell_is_dash(family: &str) -> bool {
    matches!(
        family,
        "nginx"
            | "nginx-slim"
            | "debian"
            | "dnsutils"
            | "ubuntu"
            | "httpd"
            | "postgres"
            | "redis"
            | "perl"
            | "mysql"
            | "mariadb"
            | "wordpress"
            | "gb-frontend"
            | "gb-redis-follower"
            | "mongo"
    )
}

/// Whether the image of `family` has the program `tool` (for the tools kubeplay knows
/// about; others are not there).
pub fn has_tool(family: &str, tool: &str) -> bool {
    match tool {
        // agnhost's alpine base adds curl and bind-tools.
        "curl" => {
            matches!(
                family,
                "nginx"
                    | "nginx-slim"
                    | "httpd"
                    | "redis"
                    | "postgres"
                    | "mysql"
                    | "mariadb"
                    | "perl"
                    | "agnhost"
                    | "wordpress"
                    | "gb-frontend"
                    | "curl"
            )
        }
        "wget" => matches!(family, "busybox" | "alpine" | "curl" | "nginx"),
        "nslookup" => matches!(family, "busybox" | "alpine" | "curl" | "nginx" | "agnhost" | "dnsutils"),
        "dig" | "host" => matches!(family, "agnhost" | "dnsutils"),
        // Present in the image, but not simulated: kubeplay says so rather than "not found".
        // Debian's slim bases (nginx, httpd, redis, postgres, ...) leave out procps: `ps` is
        // not there until `apt-get install procps` (as the docs' shell page shows).
        // Ubuntu keeps procps.
        "ps" => {
            matches!(family, "busybox" | "alpine" | "curl" | "bash" | "hello-app" | "hello-app-2" | "python" | "perl" | "ubuntu")
        }
        "top" => matches!(family, "busybox" | "alpine" | "curl" | "bash" | "hello-app" | "hello-app-2" | "python" | "perl"),
        "kill" => !matches!(family, "whoami" | "http-echo" | "pause"),
        "apt-get" | "apt" => shell_is_dash(family),
        "apk" => family == "alpine" || family == "curl",
        "nginx" => matches!(family, "nginx" | "nginx-slim"),
        // busybox's shell is ash (busybox, Alpine and the images built on them).
        "ash" => matches!(family, "busybox" | "alpine" | "curl" | "bash" | "hello-app" | "hello-app-2"),
        // Debian-based images have bash; busybox and alpine only sh.
        "bash" => shell_is_dash(family) || matches!(family, "bash" | "python"),
        // Scratch and distroless images have no shell or coreutils.
        "sh" | "env" | "printenv" | "hostname" | "cat" | "echo" | "ls" | "date" | "touch" | "rm" | "mkdir" => {
            // hello-app's images are built on alpine (the docs exec printenv in them).
            !matches!(family, "whoami" | "http-echo" | "pause")
        }
        _ => false,
    }
}

/// Whether [`has_tool`] knows which images have `tool` (for others it cannot tell).
pub fn knows_tool(tool: &str) -> bool {
    matches!(
        tool,
        "curl"
            | "wget"
            | "nslookup"
            | "ps"
            | "top"
            | "kill"
            | "apt-get"
            | "apt"
            | "apk"
            | "nginx"
            | "ash"
            | "bash"
            | "sh"
            | "env"
            | "printenv"
            | "hostname"
            | "cat"
            | "echo"
            | "ls"
            | "date"
            | "touch"
            | "rm"
            | "mkdir"
    )
}

/// runc's error when a container's program is not in its image: a bare name is looked up in
/// $PATH, an absolute path is stat'ed.
pub fn exec_not_found(argv0: &str) -> String {
    if argv0.contains('/') {
        format!("exec: {argv0:?}: stat {argv0}: no such file or directory")
    } else {
        format!("exec: {argv0:?}: executable file not found in $PATH")
    }
}

/// What a container of `family` runs, given its command, args and environment.
pub fn program(
    family: &str,
    command: &[String],
    args: &[String],
    ctx: &crate::shell::Ctx<'_>,
    host: &mut dyn crate::shell::Host,
) -> Program {
    let env = ctx.env;
    let base = Program::default();
    let has_cmd = !command.is_empty() || !args.is_empty();
    match family {
        "nginx" if !has_cmd => Program {
            logs: nginx_startup(host.image_tag(), ctx.start_unix_ms, host.node_cpus()).into_iter().map(|l| (0, l)).collect(),
            listens: Some(80),
            http: Some(Http::NginxWelcome),
            ..base
        },
        // registry.k8s.io/nginx-slim (the StatefulSet tutorials' image) is nginx 1.x with
        // no entrypoint scripts, logging at its default level: nothing at start.
        "nginx-slim" if !has_cmd => Program { listens: Some(80), http: Some(Http::NginxWelcome), ..base },
        "httpd" if !has_cmd => Program {
            logs: vec![(0, ah00558("httpd", &own_address(host)))],
            listens: Some(80),
            http: Some(Http::HttpdItWorks),
            ..base
        },
        // The official image's entrypoint copies WordPress into the document root and writes
        // wp-config.php from the WORDPRESS_* variables, then runs Apache. A fresh site
        // redirects to its installer.
        "wordpress" if !has_cmd => {
            let mut logs = vec![
                "WordPress not found in /var/www/html - copying now...".to_string(),
                "Complete! WordPress has been successfully copied to /var/www/html".to_string(),
            ];
            let vars: Vec<&str> = env.keys().map(String::as_str).filter(|k| k.starts_with("WORDPRESS_")).collect();
            if !vars.is_empty() {
                logs.push(format!(
                    "No 'wp-config.php' found in /var/www/html, but 'WORDPRESS_...' variables supplied; copying 'wp-config-docker.php' ({})",
                    vars.join(" ")
                ));
            }
            let ip = own_address(host);
            logs.push(ah00558("apache2", &ip));
            logs.push(ah00558("apache2", &ip));
            logs.push(format!("[{APACHE_TIME}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.56 (Debian) PHP/8.0.28 configured -- resuming normal operations"));
            logs.push(format!("[{APACHE_TIME}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'"));
            Program {
                logs: logs.into_iter().map(|l| (0, l)).collect(),
                listens: Some(80),
                http: Some(Http::Fixed(302, String::new())),
                ..base
            }
        }
        "gb-frontend" if !has_cmd => {
            let ip = own_address(host);
            Program {
                logs: vec![
                    (0, ah00558("apache2", &ip)),
                    (0, ah00558("apache2", &ip)),
                    (0, format!("[{APACHE_TIME}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.38 (Debian) PHP/7.4.33 configured -- resuming normal operations")),
                    (0, format!("[{APACHE_TIME}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'")),
                ],
                listens: Some(80),
                http: Some(Http::Fixed(200, GUESTBOOK_PAGE.to_string())),
                ..base
            }
        }
        // A Redis replica of `redis-leader` (the image's run.sh).
        "gb-redis-follower" if !has_cmd => Program {
            logs: vec![
                (0, "1:C 01 Jan 2026 00:00:00.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo".into()),
                (0, "1:S 01 Jan 2026 00:00:00.001 * Ready to accept connections".into()),
                (0, "1:S 01 Jan 2026 00:00:00.001 * Connecting to MASTER redis-leader:6379".into()),
                (0, "1:S 01 Jan 2026 00:00:00.002 * MASTER <-> REPLICA sync started".into()),
            ],
            listens: Some(6379),
            ..base
        },
        "hello-go-gke" if !has_cmd => {
            Program { listens: Some(80), http: Some(Http::Fixed(200, "{\"message\":\"Hello\"}\n".into())), ..base }
        }
        // nginx with `upstream hello { server hello; }` and `proxy_pass http://hello;`.
        "hello-frontend" if !has_cmd => {
            Program { listens: Some(80), http: Some(Http::Proxy("hello".into())), ..base }
        }
        // The entrypoint runs mongod, passing it arguments that start with `-`.
        "mongo"
            if command.iter().chain(args).next().is_none_or(|w| {
                w.rsplit('/').next() == Some("mongod") || (command.is_empty() && w.starts_with('-'))
            }) =>
        {
            // MongoDB 4.4 and later log structured JSON; 4.2 plain text.
            let line = if host.image_tag().starts_with("4.2") {
                "2026-01-01T00:00:00.000+0000 I  NETWORK  [listener] waiting for connections on port 27017".to_string()
            } else {
                r#"{"t":{"$date":"2026-01-01T00:00:00.000+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}"#.to_string()
            };
            Program { logs: vec![(1000, line)], listens: Some(27017), ..base }
        }
        "whoami" => {
            let port = args.iter().find_map(|a| a.strip_prefix("--port=").or_else(|| a.strip_prefix("-port="))).and_then(|p| p.parse().ok()).unwrap_or(80);
            Program { logs: vec![(0, format!("Starting up on port {port}"))], listens: Some(port), http: Some(Http::Whoami), ..base }
        }
        "http-echo" => {
            let text = args.iter().find_map(|a| a.strip_prefix("-text=").or_else(|| a.strip_prefix("--text="))).unwrap_or("");
            let port = args
                .iter()
                .find_map(|a| a.strip_prefix("-listen=:").or_else(|| a.strip_prefix("--listen=:")))
                .and_then(|p| p.parse().ok())
                .unwrap_or(5678);
            if text.is_empty() {
                return Program { logs: vec![(0, "Missing -text option!".into())], exit: Some((50, 127)), ..base };
            }
            Program {
                logs: vec![(0, format!("2026/01/01 00:00:00 [INFO] server is listening on :{port}"))],
                listens: Some(port),
                http: Some(Http::Echo(format!("{text}\n"))),
                ..base
            }
        }
        // The image's default command, redis-server named (with a config file), or the
        // entrypoint given only `--option value` arguments, which it passes to redis-server.
        "redis"
            if command.iter().chain(args).next().is_none_or(|w| {
                w.rsplit('/').next() == Some("redis-server") || (command.is_empty() && w.starts_with("--"))
            }) =>
        {
            Program {
                logs: vec![
                    (0, "1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo".into()),
                    (0, "1:M 01 Jan 2026 00:00:00.001 * Server initialized".into()),
                    (0, "1:M 01 Jan 2026 00:00:00.001 * Ready to accept connections tcp".into()),
                ],
                listens: Some(6379),
                ..base
            }
        }
        "postgres" if !has_cmd => {
            if env_value(env, "POSTGRES_PASSWORD").is_none() && env_value(env, "POSTGRES_HOST_AUTH_METHOD") != Some("trust") {
                let text = "Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".\n\n       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all\n       connections without a password. This is *not* recommended.\n\n       See PostgreSQL documentation about \"trust\":\n       https://www.postgresql.org/docs/current/auth-trust.html";
                return Program { logs: text.lines().map(|l| (0, l.to_string())).collect(), exit: Some((200, 1)), ..base };
            }
            Program {
                logs: vec![
                    (0, "PostgreSQL init process complete; ready for start up.".into()),
                    (
                        1500,
                        format!(
                            "{} UTC [1] LOG:  database system is ready to accept connections",
                            k8s_openapi::jiff::Timestamp::from_millisecond(ctx.start_unix_ms + 1500)
                                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S%.3f").to_string())
                                .unwrap_or_default()
                        ),
                    ),
                ],
                listens: Some(5432),
                ..base
            }
        }
        "mysql" | "mariadb" if !has_cmd => {
            let ok = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD"]
                .iter()
                .any(|k| env_value(env, k).is_some());
            if !ok {
                let text = "2026-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD";
                return Program { logs: text.lines().map(|l| (0, l.to_string())).collect(), exit: Some((300, 1)), ..base };
            }
            Program { logs: vec![(4000, "ready for connections.".into())], listens: Some(3306), ..base }
        }
        "perl" => {
            let script = command.iter().chain(args).cloned().collect::<Vec<_>>().join(" ");
            if script.contains("bpi(") {
                let digits = script.split("bpi(").nth(1).and_then(|r| r.split(')').next()).and_then(|d| d.trim().parse::<usize>().ok()).unwrap_or(2000);
                return Program { logs: vec![(8000, pi_digits(digits.min(5000)))], exit: Some((8000, 0)), ..base };
            }
            Program { exit: Some((100, 0)), ..base }
        }
        // agnhost's image runs `/agnhost` with `pause` as its default argument; a command
        // that is not agnhost itself (`sh -c ...`) runs in the image's shell.
        "agnhost" if !command.first().is_none_or(|c| c == "/agnhost" || c == "agnhost") => {
            let words: Vec<String> = command.iter().chain(args).cloned().collect();
            crate::shell::program(&words, ctx, host)
        }
        "agnhost" if !has_cmd => Program { logs: vec![(0, "Paused".into())], ..base },
        "agnhost" => {
            let words: Vec<&str> = command.iter().chain(args).map(String::as_str).collect();
            let flag = |name: &str, default: u16| {
                words
                    .iter()
                    .find_map(|w| w.strip_prefix(&format!("--{name}=")).or_else(|| w.strip_prefix(&format!("-{name}="))))
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(default)
            };
            if words.contains(&"netexec") {
                let (http, udp) = (flag("http-port", 8080), flag("udp-port", 8081));
                Program {
                    logs: vec![
                        (0, format!("I0101 00:00:00.000000       1 log.go:245] Started HTTP server on port {http}")),
                        (0, format!("I0101 00:00:00.000000       1 log.go:245] Started UDP server on port  {udp}")),
                    ],
                    listens: Some(http),
                    http: Some(Http::Netexec),
                    ..base
                }
            } else if words.contains(&"serve-hostname") {
                Program { listens: Some(flag("port", 9376)), http: Some(Http::Hostname), ..base }
            } else if words.contains(&"liveness") {
                Program { listens: Some(8080), http: Some(Http::Liveness), ..base }
            } else if words.contains(&"pause") {
                Program { logs: vec![(0, "Paused".into())], ..base }
            } else {
                // Without a subcommand agnhost prints its usage and exits 0.
                Program { logs: vec![(0, "Usage:".into()), (0, "  agnhost [flags]".into())], exit: Some((50, 0)), ..base }
            }
        }
        // index.php burns CPU on a square-root loop and answers OK!.
        "hpa-example" if !has_cmd => Program {
            logs: vec![
                (0, "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 127.0.0.1. Set the 'ServerName' directive globally to suppress this message".into()),
                (0, "[Thu Jan 01 00:00:00.000000 2026] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.40 configured -- resuming normal operations".into()),
                (0, "[Thu Jan 01 00:00:00.000000 2026] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'".into()),
            ],
            listens: Some(80),
            http: Some(Http::Echo("OK!".into())),
            ..base
        },
        // start-zookeeper writes the server's id and configuration, then runs the server.
        "zookeeper" if command.iter().chain(args).any(|w| w.contains("start-zookeeper")) => {
            let words: Vec<&str> = command.iter().chain(args).flat_map(|w| w.split_whitespace()).collect();
            let flag = |name: &str, default: &str| -> String {
                words.iter().find_map(|w| w.strip_prefix(&format!("--{name}="))).unwrap_or(default).to_string()
            };
            let host = env_value(env, "HOSTNAME").unwrap_or("zk-0").to_string();
            let (base_name, ordinal) = host.rsplit_once('-').unwrap_or((host.as_str(), "0"));
            let id = ordinal.parse::<u32>().unwrap_or(0) + 1;
            let ns = env_value(env, "POD_NAMESPACE").unwrap_or("default");
            let domain = format!("{base_name}-hs.{ns}.svc.cluster.local");
            let servers: u32 = flag("servers", "1").parse().unwrap_or(1);
            let data_dir = flag("data_dir", "/var/lib/zookeeper/data");
            let mut cfg = format!(
                "#This file was autogenerated DO NOT EDIT\nclientPort={}\ndataDir={data_dir}\ndataLogDir={}\ntickTime={}\ninitLimit={}\nsyncLimit={}\nmaxClientCnxns={}\nminSessionTimeout={}\nmaxSessionTimeout={}\nautopurge.snapRetainCount={}\nautopurge.purgeInteval={}\n",
                flag("client_port", "2181"),
                flag("data_log_dir", &format!("{data_dir}/log")),
                flag("tick_time", "2000"),
                flag("init_limit", "10"),
                flag("sync_limit", "5"),
                flag("max_client_cnxns", "60"),
                flag("min_session_timeout", "4000"),
                flag("max_session_timeout", "40000"),
                flag("snap_retain_count", "3"),
                flag("purge_interval", "0"),
            );
            for i in 0..servers {
                cfg.push_str(&format!("server.{}={base_name}-{i}.{domain}:{}:{}\n", i + 1, flag("server_port", "2888"), flag("election_port", "3888")));
            }
            Program {
                logs: vec![
                    (0, "ZooKeeper JMX enabled by default".into()),
                    (0, "Using config: /usr/bin/../etc/zookeeper/zoo.cfg".into()),
                    (1000, format!("2026-01-01 00:00:01,000 [myid:{id}] - INFO  [main:QuorumPeerMain@127] - Starting quorum peer")),
                ],
                listens: Some(flag("client_port", "2181").parse().unwrap_or(2181)),
                writes: vec![
                    (0, format!("{data_dir}/myid"), Some(format!("{id}\n"))),
                    (0, "/opt/zookeeper/conf/zoo.cfg".into(), Some(cfg)),
                ],
                ..base
            }
        }
        "hello-app" | "hello-app-2" if !has_cmd => Program {
            logs: vec![(0, "2026/01/01 00:00:00 Server listening on port 8080".into())],
            listens: Some(8080),
            http: Some(Http::HelloApp(if family == "hello-app" { "1.0.0" } else { "2.0.0" })),
            ..base
        },
        "kubernetes-bootcamp" | "kubernetes-bootcamp-2" if !has_cmd => Program {
            logs: vec![(
                0,
                format!(
                    "Kubernetes Bootcamp App Started At: 2026-01-01T00:00:00.000Z | Running On:  {} \n",
                    env_value(env, "HOSTNAME").unwrap_or("")
                ),
            )],
            listens: Some(8080),
            http: Some(Http::Bootcamp(if family == "kubernetes-bootcamp" { "1" } else { "2" })),
            ..base
        },
        // The DaemonSet example's log shipper: runs until stopped.
        "fluentd" if !has_cmd => Program {
            logs: vec![(0, "2026-01-01 00:00:00 +0000 [info]: starting fluentd worker pid=17 ppid=7 worker=0".into())],
            ..base
        },
        // An HTTP proxy: it accepts TCP connections (the docs' tcpSocket probe example).
        "goproxy" if !has_cmd => Program { listens: Some(8080), ..base },
        // etcd serving clients (and gRPC health) on 2379; its own log is not modelled.
        "etcd" if !has_cmd || command.first().is_some_and(|c| c.ends_with("etcd")) => Program {
            logs: vec![(0, "kubeplay: etcd's own log lines are not simulated; it serves clients on port 2379".into())],
            listens: Some(2379),
            ..base
        },
        "pause" => base,
        "serve-hostname" if !has_cmd => Program {
            logs: vec![(0, "Serving on port 9376.".into())],
            listens: Some(9376),
            http: Some(Http::Hostname),
            ..base
        },
        "coredns" => Program {
            logs: [".:53", "[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b", "CoreDNS-1.13.1", "linux/amd64, go1.24.6, 1db4568"]
                .iter()
                .map(|l| (0, l.to_string()))
                .collect(),
            listens: Some(53),
            ..base
        },
        "traefik" => Program {
            logs: vec![(0, "2026-01-01T00:00:00Z INF Traefik version 3.5.1 built on 2025-08-28T08:54:14Z version=3.5.1".into())],
            listens: Some(8000),
            ..base
        },
        "metrics-server" => Program {
            logs: vec![
                (0, "I0101 00:00:00.000000       1 serving.go:374] Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)".into()),
                (0, "I0101 00:00:00.000000       1 secure_serving.go:213] Serving securely on [::]:10250".into()),
            ],
            listens: Some(10250),
            ..base
        },
        // ServiceLB's forwarder: its entry script sets up iptables (traced with `set -x`)
        // and waits; the forwarding itself is the routing in `net`.
        "ingress-nginx" => Program {
            logs: [
                "-------------------------------------------------------------------------------",
                "NGINX Ingress controller",
                "  Release:       v1.13.3",
                "  Repository:    https://github.com/kubernetes/ingress-nginx",
                "-------------------------------------------------------------------------------",
                "",
            ]
            .iter()
            .map(|l| (0, l.to_string()))
            .collect(),
            listens: Some(80),
            ..base
        },
        "klipper-lb" => Program { logs: vec![(0, "+ trap exit TERM INT".into())], ..base },
        // k3s's helm-controller Job installing a bundled chart: `helm install`, then done.
        "klipper-helm" => {
            let chart = env.get("NAME").cloned().unwrap_or_else(|| "chart".into());
            let done_ms: u64 = 1_000;
            let deployed = k8s_openapi::jiff::Timestamp::from_millisecond(ctx.start_unix_ms + done_ms as i64)
                .map(|t| t.strftime("%a %b %e %H:%M:%S %Y").to_string())
                .unwrap_or_default();
            let lines = [
                format!("+ helm_v3 install --set-string global.systemDefaultRegistry= {chart} https://10.43.0.1:443/static/charts/{chart}.tgz"),
                format!("NAME: {chart}"),
                format!("LAST DEPLOYED: {deployed}"),
                "NAMESPACE: kube-system".into(),
                "STATUS: deployed".into(),
                "REVISION: 1".into(),
                "TEST SUITE: None".into(),
            ];
            Program { logs: lines.into_iter().map(|l| (done_ms, l)).collect(), exit: Some((done_ms, 0)), ..base }
        }
        "local-path-provisioner" => Program {
            logs: vec![(0, "time=\"2026-01-01T00:00:00Z\" level=info msg=\"Starting provisioner controller rancher.io/local-path_local-path-provisioner\"".into())],
            ..base
        },
        "stress" => {
            // `stress --vm N --vm-bytes 150M`: sizes are powers of 1024 (B, K, M, G).
            let words: Vec<&str> = command.iter().chain(args).map(String::as_str).collect();
            let value = |flag: &str| words.iter().position(|w| *w == flag).and_then(|i| words.get(i + 1)).copied();
            let vms: u64 = value("--vm").and_then(|v| v.parse().ok()).unwrap_or(0);
            let bytes = value("--vm-bytes").and_then(stress_bytes).unwrap_or(256 << 20);
            let cpus: u64 = value("--cpu").or_else(|| value("-c")).and_then(|v| v.parse().ok()).unwrap_or(0);
            Program {
                logs: vec![(0, format!("stress: info: [1] dispatching hogs: {cpus} cpu, 0 io, {vms} vm, 0 hdd"))],
                memory_bytes: (vms > 0).then_some(vms * bytes),
                cpu_millis: (cpus > 0).then_some(cpus * 1000),
                ..base
            }
        }
        // vish/stress (the docs' CPU example): `-cpus N` busy goroutines.
        "vish-stress" => {
            let words: Vec<&str> = command.iter().chain(args).map(String::as_str).collect();
            let cpus: u64 = words
                .iter()
                .position(|w| *w == "-cpus" || *w == "--cpus")
                .and_then(|i| words.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            Program {
                logs: vec![(0, "I0101 00:00:00.000000       1 main.go:26] Allocating \"0\" memory, in \"4Ki\" chunks, with a 1ms sleep between allocations".to_string()), (0, "I0101 00:00:00.000000       1 main.go:39] Spawning a thread to consume CPU".to_string()),],
                cpu_millis: (cpus > 0).then_some(cpus * 1000),
                ..base
            }
        }
        // curlimages/curl's entrypoint runs `curl` when there is nothing else to run.
        "curl" if !has_cmd => Program {
            logs: vec![(0, "curl: try 'curl --help' or 'curl --manual' for more information".into())],
            exit: Some((0, 2)),
            ..base
        },
        _ => {
            // busybox, alpine, or any image given an explicit command: its shell.
            let words: Vec<String> = command.iter().chain(args).cloned().collect();
            crate::shell::program(&words, ctx, host)
        }
    }
}

/// The nginx release an official image tag holds.
pub fn nginx_version(tag: &str) -> &'static str {
    match tag.trim_end_matches("-alpine").trim_end_matches("-slim") {
        "stable" | "1.28" => "1.28.0",
        "1.27" => "1.27.5",
        "1.27.3" => "1.27.3",
        "1.26" => "1.26.3",
        "1.25" | "1.25.5" => "1.25.5",
        "1.24" => "1.24.0",
        "1.23" => "1.23.4",
        "1.22" => "1.22.1",
        "1.21" => "1.21.6",
        "1.20" => "1.20.2",
        "1.19" => "1.19.10",
        "1.17" => "1.17.10",
        "1.16" | "1.16.1" => "1.16.1",
        "1.15.4" => "1.15.4",
        "1.14.2" => "1.14.2",
        "1.9.1" => "1.9.1",
        "1.7.9" => "1.7.9",
        // latest, mainline, alpine, 1.29
        _ => "1.29.3",
    }
}

/// What the official nginx image logs as it starts, by release: the entrypoint scripts
/// (1.19 and later; IPv6 and envsubst, worker tuning from 1.21, local resolvers from 1.25),
/// then the master's notices (logged from 1.21 on, whose nginx.conf logs at `notice`), one
/// worker per CPU.
fn nginx_startup(tag: &str, start_unix_ms: i64, cpus: u32) -> Vec<String> {
    let version = nginx_version(tag);
    let minor: u32 = version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(29);
    let alpine = tag.contains("alpine");
    let mut out = Vec::new();
    if minor >= 19 {
        let ep = "/docker-entrypoint.sh";
        out.push(format!("{ep}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"));
        out.push(format!("{ep}: Looking for shell scripts in /docker-entrypoint.d/"));
        out.push(format!("{ep}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"));
        out.push("10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".into());
        out.push("10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".into());
        if minor >= 25 {
            out.push(format!("{ep}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"));
        }
        out.push(format!("{ep}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"));
        if minor >= 21 {
            out.push(format!("{ep}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"));
        }
        out.push(format!("{ep}: Configuration complete; ready for start up"));
    }
    if minor >= 21 {
        let at = k8s_openapi::jiff::Timestamp::from_millisecond(start_unix_ms)
            .map(|t| t.strftime("%Y/%m/%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let gcc = match (alpine, minor) {
            (true, 29..) => "14.2.0 (Alpine 14.2.0)",
            (true, 25..) => "13.2.1 20240309 (Alpine 13.2.1_git20240309)",
            (true, _) => "12.2.1 20220924 (Alpine 12.2.1_git20220924-r4)",
            (false, 29..) => "14.2.0 (Debian 14.2.0-19)",
            (false, 23..) => "12.2.0 (Debian 12.2.0-14+deb12u1) ",
            (false, _) => "10.2.1 20210110 (Debian 10.2.1-6) ",
        };
        let notice = |m: &str| format!("{at} [notice] 1#1: {m}");
        out.push(notice("using the \"epoll\" event method"));
        out.push(notice(&format!("nginx/{version}")));
        out.push(notice(&format!("built by gcc {gcc}")));
        out.push(notice(&format!("OS: Linux {}", crate::topology::KERNEL)));
        out.push(notice("getrlimit(RLIMIT_NOFILE): 1048576:1048576"));
        out.push(notice("start worker processes"));
        let first = if alpine { 30 } else { 29 };
        for pid in first..first + cpus.min(64) {
            out.push(notice(&format!("start worker process {pid}")));
        }
    }
    out
}

/// Apache's timestamp in its error log, at the virtual epoch.
const APACHE_TIME: &str = "Thu Jan 01 00:00:00.000000 2026";

/// Apache's warning when it cannot resolve its hostname to a fully qualified name.
fn ah00558(binary: &str, ip: &str) -> String {
    format!("AH00558: {binary}: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message")
}

/// The address the container's hostname resolves to (its line in the kubelet's
/// /etc/hosts): the pod's IP.
fn own_address(host: &dyn crate::shell::Host) -> String {
    let ip = host.pod_ip();
    if ip.is_empty() {
        "127.0.0.1".to_string()
    } else {
        ip.to_string()
    }
}

/// The guestbook frontend's page, after kubernetes/examples' `guestbook/php-redis/index.html`
/// (an AngularJS form that reads and appends messages through `guestbook.php`, which is
/// not simulated); kept from memory of that file, so its whitespace may differ.
const GUESTBOOK_PAGE: &str = r#"<html ng-app="redis">
  <head>
    <title>Guestbook</title>
    <link rel="stylesheet" href="//netdna.bootstrapcdn.com/bootstrap/3.1.1/css/bootstrap.min.css">
    <script src="https://ajax.googleapis.com/ajax/libs/angularjs/1.2.12/angular.min.js"></script>
    <script src="controllers.js"></script>
    <script src="https://cdnjs.cloudflare.com/ajax/libs/angular-ui-bootstrap/0.13.0/ui-bootstrap-tpls.js"></script>
  </head>
  <body ng-controller="RedisCtrl">
    <div style="width: 50%; margin-left: 20px">
      <h2>Guestbook</h2>
    <form>
    <fieldset>
    <input ng-model="msg" placeholder="Messages" class="form-control" type="text" name="input"><br>
    <button type="button" class="btn btn-primary" ng-click="controller.onRedis()">Submit</button>
    </fieldset>
    </form>
    <div>
      <div ng-repeat="msg in messages track by $index">
        {{msg}}
      </div>
    </div>
    </div>
  </body>
</html>
"#;

/// A `stress` size: `150M`, `1G`, `512K`, `100B` or bytes.
fn stress_bytes(s: &str) -> Option<u64> {
    let (num, mul) = match s.chars().last()? {
        'B' | 'b' => (&s[..s.len() - 1], 1),
        'K' | 'k' => (&s[..s.len() - 1], 1 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mul)
}

/// The first `n` significant digits of pi as `3.14159...` (Rabinowitz–Wagon spigot).
fn pi_digits(n: usize) -> String {
    // Math::BigFloat rounds to the precision asked for: work out a few more digits, then
    // round half up.
    let raw = pi_digits_truncated(n + 8);
    let mut digits: Vec<u8> = raw.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    let round_up = digits.get(n).is_some_and(|d| *d >= 5);
    digits.truncate(n);
    if round_up {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let mut out: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if out.len() > 1 {
        out.insert(1, '.');
    }
    out
}

fn pi_digits_truncated(n: usize) -> String {
    let len = n * 10 / 3 + 2;
    let mut a = vec![2u64; len];
    let mut out = String::with_capacity(n + 1);
    let mut predigits: Vec<u64> = Vec::new();
    for _ in 0..n {
        let mut carry = 0u64;
        for i in (0..len).rev() {
            let x = a[i] * 10 + carry * (i as u64 + 1);
            let denom = 2 * i as u64 + 1;
            a[i] = x % denom;
            carry = x / denom;
        }
        a[0] = carry % 10;
        let q = carry / 10;
        if q == 9 {
            predigits.push(q);
        } else if q == 10 {
            for d in &mut predigits {
                *d = (*d + 1) % 10;
            }
            for d in predigits.drain(..) {
                out.push(char::from(b'0' + d as u8));
            }
            predigits.push(0);
        } else {
            for d in predigits.drain(..) {
                out.push(char::from(b'0' + d as u8));
            }
            predigits.push(q);
        }
    }
    for d in predigits {
        out.push(char::from(b'0' + d as u8));
    }
    if out.len() > 1 {
        out.insert(1, '.');
    }
    out
}

/// A shell's `$VAR` and `${VAR}` expansion from an environment (unset variables are empty).
pub fn shell_expand(s: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let braced = chars.peek() == Some(&'{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphanumeric() || n == '_' {
                name.push(n);
                chars.next();
            } else {
                break;
            }
        }
        if braced && chars.peek() == Some(&'}') {
            chars.next();
        }
        if name.is_empty() {
            out.push('$');
        } else {
            out.push_str(env.get(&name).map(String::as_str).unwrap_or(""));
        }
    }
    out
}

/// A word without one pair of surrounding quotes (`"a b"` → `a b`).
pub fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2 && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))) {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn catalog_lookup_and_errors() {
        assert_eq!(normalize("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize("traefik/whoami:v1.10"), "docker.io/traefik/whoami:v1.10");
        assert_eq!(normalize("docker.io/redis:6.0.5"), "docker.io/library/redis:6.0.5");
        assert!(lookup("nginx:1.25").is_ok());
        assert_eq!(lookup("nginx:9.99"), Err(PullError::NoTag { full: "docker.io/library/nginx:9.99".into() }));
        assert_eq!(lookup("ngnix"), Err(PullError::NoRepository { full: "docker.io/library/ngnix:latest".into() }));
        // The old DNS tutorial's image is schema 1, which containerd 2.1+ refuses.
        let e = lookup("radial/busyboxplus:curl").unwrap_err();
        assert_eq!(e, PullError::SchemaOne { full: "docker.io/radial/busyboxplus:curl".into() });
        assert!(e.message().contains("is no longer supported since containerd v2.1"));
    }

    #[test]
    fn the_catalog_says_when_it_cannot_supply_an_image() {
        assert_eq!(catalog_note("nginx:1.25"), None);
        assert_eq!(catalog_note("radial/busyboxplus:curl"), None, "a real node refuses it too");
        let repo = catalog_note("ngnix").unwrap();
        assert!(repo.starts_with("kubeplay: docker.io/library/ngnix is not in kubeplay's image catalog"), "{repo}");
        let tag = catalog_note("wordpress:9.9").unwrap();
        assert!(tag.contains("no tag \"9.9\" of docker.io/library/wordpress (it has latest, 6, "), "{tag}");
        assert!(tag.ends_with("(a real registry may have it)"));
    }

    #[test]
    fn the_tutorial_images_are_catalogued() {
        for (image, family) in [
            ("wordpress:6.2.1-apache", "wordpress"),
            ("us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5", "gb-frontend"),
            ("us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2", "gb-redis-follower"),
            ("registry.k8s.io/redis@sha256:cb111d1bd870a6a471385a4a69ad17469d326e9dd91e0e455350cacf36e1b3ee", "redis"),
            ("docker.io/redis:6.0.5", "redis"),
            ("gcr.io/google-samples/hello-go-gke:1.0", "hello-go-gke"),
            ("gcr.io/google-samples/hello-frontend:1.0", "hello-frontend"),
            ("mongo:4.2", "mongo"),
        ] {
            assert_eq!(lookup(image).map(|c| c.family), Ok(family), "{image}");
        }
    }

    #[test]
    fn a_repository_split_by_tag_finds_the_right_family() {
        assert_eq!(lookup("gcr.io/google-samples/hello-app:1.0").map(|c| c.family), Ok("hello-app"));
        assert_eq!(lookup("gcr.io/google-samples/hello-app:2.0").map(|c| c.family), Ok("hello-app-2"));
        assert_eq!(
            lookup("gcr.io/google-samples/hello-app:3.0"),
            Err(PullError::NoTag { full: "gcr.io/google-samples/hello-app:3.0".into() })
        );
        let env = BTreeMap::new();
        let ctx = crate::shell::Ctx::plain(&env);
        let netexec = program(
            "agnhost",
            &["/agnhost".into(), "netexec".into()],
            &["--http-port=9000".into()],
            &ctx,
            &mut crate::shell::NoFs,
        );
        assert_eq!((netexec.listens, netexec.http), (Some(9000), Some(Http::Netexec)));
        let stress =
            program("stress", &["stress".into()], &w(&["--vm", "2", "--vm-bytes", "150M"]), &ctx, &mut crate::shell::NoFs);
        assert_eq!(stress.memory_bytes, Some(2 * 150 * 1024 * 1024));
        assert_eq!(stress_bytes("1G"), Some(1 << 30));
        assert_eq!(stress_bytes("lots"), None);
    }

    #[test]
    fn shell_programs() {
        let env = BTreeMap::new();
        let ctx = crate::shell::Ctx::plain(&env);
        let run = |words: &[&str]| program("busybox", &w(words), &[], &ctx, &mut crate::shell::NoFs);
        let p = run(&["sh", "-c", "echo hello; sleep 5; echo bye; exit 3"]);
        assert_eq!(p.logs, vec![(0, "hello".to_string()), (5000, "bye".to_string())]);
        assert_eq!(p.exit, Some((5000, 3)));
        let p = run(&["sh", "-c", "while true; do echo tick; sleep 10; done"]);
        assert_eq!(p.repeat, Some((10_000, vec!["tick".to_string()])));
        assert_eq!(p.logs[..2], [(0, "tick".to_string()), (10_000, "tick".to_string())]);
        assert_eq!(p.exit, None);
        let p = run(&["sleep", "3600"]);
        assert_eq!(p.exit, Some((3_600_000, 0)));
        let p = run(&[]);
        assert_eq!(p.exit, Some((10, 0)));
        assert_eq!(pi_digits(10), "3.141592654");
    }
}

#[cfg(test)]
mod reference_tests {
    use super::reference_error;

    #[test]
    fn references_parse_as_the_runtime_parses_them() {
        let digest = format!("busybox@sha256:{}", "a".repeat(64));
        for ok in ["nginx", "nginx:1.25", "registry.k8s.io/pause:3.9", "localhost:5000/app:v1", "bitnami/redis", digest.as_str()]
        {
            assert_eq!(reference_error(ok), None, "{ok}");
        }
        for bad in ["new image", "nginx:", "nginx::1", "-x", "nginx@sha256:zz", "a//b"] {
            assert_eq!(reference_error(bad).as_deref(), Some("invalid reference format"), "{bad}");
        }
        assert_eq!(
            reference_error("Nginx").as_deref(),
            Some("invalid reference format: repository name (library/Nginx) must be lowercase")
        );
        assert_eq!(
            reference_error("docker.io/Me/app:1").as_deref(),
            Some("invalid reference format: repository name (Me/app) must be lowercase")
        );
        // An uppercase first part is a registry host, not a repository.
        assert_eq!(reference_error("MyRegistry/app"), None);
        assert_eq!(
            reference_error(&format!("busybox@sha256:{}", "a".repeat(32))).as_deref(),
            Some("invalid checksum digest length")
        );
        assert_eq!(reference_error(&format!("busybox@md5:{}", "a".repeat(32))).as_deref(), Some("unsupported digest algorithm"));
    }
}
