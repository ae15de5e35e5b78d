//! Simulated traffic: DNS as CoreDNS answers it (Services, headless per-pod records,
//! StatefulSet pod names, search paths), and HTTP through Services (kube-proxy's random
//! endpoint, seeded), NodePorts and the Traefik ingress on the nodes, to the images'
//! simulated servers. Failures use curl's own words.

use crate::images::Http;
use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::topology::IngressController;
use crate::world::World;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Where a request comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Inside a pod (namespace for DNS search paths, the pod's IP as the client address).
    Pod { namespace: String, ip: String },
    /// The learner's laptop: only node IPs (NodePorts, the ingress) are reachable.
    Laptop,
}

/// The fully qualified name a short name resolves to from `from` (its namespace's search
/// path first).
pub fn fq_name(from: &Source, name: &str) -> String {
    if name.ends_with(".cluster.local") || name.parse::<std::net::Ipv4Addr>().is_ok() {
        return name.to_string();
    }
    let ns = match from {
        Source::Pod { namespace, .. } => namespace.clone(),
        Source::Laptop => "default".into(),
    };
    match name.matches('.').count() {
        0 => format!("{name}.{ns}.svc.cluster.local"),
        1 => format!("{name}.svc.cluster.local"),
        _ if name.ends_with(".svc") => format!("{name}.cluster.local"),
        _ => name.to_string(),
    }
}

/// What `nslookup NAME` prints, and its exit code, in the image's `style` (busybox 1.28's
/// older format is the one the Kubernetes docs show, `Address 1: IP NAME`).
pub fn nslookup(world: &World, from: &Source, name: &str, style: crate::images::NslookupStyle) -> (String, i32) {
    let dns = crate::services::DNS_SERVICE_IP;
    let (fq, ips) = resolve_fq(world, from, name).unwrap_or_else(|_| (fq_name(from, name), Vec::new()));
    if style == crate::images::NslookupStyle::Busybox128 {
        let mut out = format!("Server:    {dns}\nAddress 1: {dns} kube-dns.kube-system.svc.cluster.local\n\n");
        if ips.is_empty() {
            out.push_str(&format!("nslookup: can't resolve '{name}'\n"));
            return (out, 1);
        }
        out.push_str(&format!("Name:      {name}\n"));
        // Service IPs reverse-resolve to the Service's name; pod IPs (headless answers) are
        // printed bare, as the docs' StatefulSet tutorial shows.
        for (i, ip) in ips.iter().enumerate() {
            if ip.starts_with("10.42.") {
                out.push_str(&format!("Address {}: {ip}\n", i + 1));
            } else {
                out.push_str(&format!("Address {}: {ip} {fq}\n", i + 1));
            }
        }
        return (out, 0);
    }
    let port_sep = if style == crate::images::NslookupStyle::Bind { '#' } else { ':' };
    let mut out = format!("Server:\t\t{dns}\nAddress:\t{dns}{port_sep}53\n\n");
    if ips.is_empty() {
        out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
        return (out, 1);
    }
    for ip in ips {
        out.push_str(&format!("Name:\t{fq}\nAddress: {ip}\n"));
    }
    out.push('\n');
    (out, 0)
}

/// A DNS answer: the IPs, or why there are none.
pub fn resolve(world: &World, from: &Source, name: &str) -> Result<Vec<String>, String> {
    resolve_fq(world, from, name).map(|(_, ips)| ips)
}

/// A DNS answer with the fully qualified name that answered (the first match in the search
/// path), or why there is none.
pub fn resolve_fq(world: &World, from: &Source, name: &str) -> Result<(String, Vec<String>), String> {
    let name = name.trim_end_matches('.');
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok((name.to_string(), vec![name.to_string()]));
    }
    let Source::Pod { namespace, ip } = from else {
        // The laptop has no cluster DNS.
        return if name == "localhost" {
            Ok((name.to_string(), vec!["127.0.0.1".into()]))
        } else {
            Err(format!("Could not resolve host: {name}"))
        };
    };
    // Inside a pod, localhost is the pod's own network namespace (reached at its IP here).
    if name == "localhost" {
        return Ok((name.to_string(), vec![ip.clone()]));
    }
    // Search path: <ns>.svc.cluster.local, svc.cluster.local, cluster.local.
    let mut candidates = vec![];
    let parts: Vec<&str> = name.split('.').collect();
    let full = if name.ends_with(".cluster.local") {
        name.to_string()
    } else if parts.len() >= 3 && parts[parts.len() - 1] == "svc" {
        format!("{name}.cluster.local")
    } else {
        String::new()
    };
    if !full.is_empty() {
        candidates.push(full);
    } else {
        candidates.push(format!("{name}.{namespace}.svc.cluster.local"));
        candidates.push(format!("{name}.svc.cluster.local"));
        candidates.push(format!("{name}.cluster.local"));
    }
    for c in candidates {
        // `<a-b-c-d>.<ns>.pod.cluster.local`: CoreDNS's `pods insecure` (k3s's Corefile)
        // answers with the address the name spells, whether or not such a pod exists.
        if let Some([dashed, _ns]) = c.strip_suffix(".pod.cluster.local").map(|r| r.split('.').collect::<Vec<_>>()).as_deref() {
            if let Some(ip) = dashed_ip(dashed) {
                return Ok((c.clone(), vec![ip]));
            }
            continue;
        }
        let Some(rest) = c.strip_suffix(".svc.cluster.local") else { continue };
        let labels: Vec<&str> = rest.split('.').collect();
        match labels.as_slice() {
            [svc, ns] => {
                if let Some(Object::Service(s)) = world.store().get(Kind::Service, ns, svc) {
                    return Ok((c.clone(), service_dns(world, s)));
                }
            }
            [host, svc, ns] => {
                // <a-b-c-d>.<headless service>.<ns>: the record CoreDNS keeps for each ready
                // endpoint without a hostname.
                if let (Some(ip), Some(Object::Service(s))) = (dashed_ip(host), world.store().get(Kind::Service, ns, svc)) {
                    if s.spec.as_ref().and_then(|sp| sp.cluster_ip.as_deref()) == Some("None")
                        && service_dns(world, s).contains(&ip)
                    {
                        return Ok((c.clone(), vec![ip]));
                    }
                }
                // <hostname>.<headless service>.<ns>: a StatefulSet pod, or a pod with
                // hostname/subdomain set.
                for o in world.store().list(Kind::Pod, Some(ns)) {
                    if let Object::Pod(p) = o {
                        let spec = p.spec.as_ref();
                        let hn = spec.and_then(|s| s.hostname.as_deref()).or(p.metadata.name.as_deref());
                        if hn == Some(host) && spec.and_then(|s| s.subdomain.as_deref()) == Some(svc) {
                            if let Some(ip) = p.status.as_ref().and_then(|s| s.pod_ip.clone()) {
                                return Ok((c.clone(), vec![ip]));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((host, ip, _)) = PUBLIC_SITES.iter().find(|(h, _, _)| *h == name) {
        return Ok((host.to_string(), vec![ip.to_string()]));
    }
    Err(format!("Could not resolve host: {name}"))
}

/// `10-42-0-8` as the address 10.42.0.8 (a pod A record's first label).
fn dashed_ip(label: &str) -> Option<String> {
    let ip = label.replace('-', ".");
    (label.matches('-').count() == 3 && ip.parse::<std::net::Ipv4Addr>().is_ok()).then_some(ip)
}

fn service_dns(world: &World, s: &core::Service) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    if spec.type_.as_deref() == Some("ExternalName") {
        return vec![];
    }
    match spec.cluster_ip.as_deref() {
        Some("None") => crate::endpoints::service_endpoints(world, s).into_iter().filter(|e| e.ready).map(|e| e.ip).collect(),
        Some(ip) => vec![ip.to_string()],
        None => vec![],
    }
}

/// The public sites the docs' examples fetch from inside pods, answered from copies kept
/// here (kubeplay has no network): host, address, and the page at `/`. Any other public
/// name does not resolve.
pub const PUBLIC_SITES: &[(&str, &str, &str)] = &[("info.cern.ch", "188.184.21.108", CERN_HOME)];

/// Apache's 404 page (what info.cern.ch answers for other paths).
const NOT_FOUND_APACHE: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL {path} was not found on this server.</p>\n</body></html>\n";

/// http://info.cern.ch/ as the site serves it (646 bytes).
const CERN_HOME: &str = "<html><head></head><body><header>\n<title>http://info.cern.ch</title>\n</header>\n\n<h1>http://info.cern.ch - home of the first website</h1>\n<p>From here you can:</p>\n<ul>\n<li><a href=\"http://info.cern.ch/hypertext/WWW/TheProject.html\">Browse the first website</a></li>\n<li><a href=\"http://line-mode.cern.ch/www/hypertext/WWW/TheProject.html\">Browse the first website using the line-mode browser simulator</a></li>\n<li><a href=\"http://home.web.cern.ch/topics/birth-web\">Learn about the birth of the web</a></li>\n<li><a href=\"http://home.web.cern.ch/about\">Learn about CERN, the physics laboratory where the web was born</a></li>\n</ul>\n</body></html>\n";

/// What kubeplay adds when a public name does not resolve: a real cluster's pods would
/// reach it, these have no internet (but for `PUBLIC_SITES`). `None` for cluster names.
pub fn offline_note(host: &str) -> Option<String> {
    // `web.default` is a Service in a namespace: only common public top-level domains count.
    let tld = host.rsplit_once('.').map_or("", |(_, t)| t);
    let public = matches!(tld, "com" | "org" | "net" | "io" | "ch" | "edu" | "gov" | "info" | "co" | "uk" | "de");
    public.then(|| {
        format!(
            "kubeplay: pods here have no internet access (only a copy of info.cern.ch is kept); a real cluster would reach {host}\n"
        )
    })
}

/// The reason phrase of an HTTP status.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// busybox `wget`'s view of a GET: what it connected to and got, or its error text.
pub fn wget_answer(
    world: &World,
    from: &Source,
    url: &str,
    got: Result<Response, CurlError>,
) -> Result<crate::shell::HttpAnswer, String> {
    let (host, port, _) = parse_url(url).map_err(|e| format!("wget: {}\n", e.message))?;
    let ip = resolve(world, from, &host).ok().and_then(|v| v.first().cloned());
    match got {
        Ok(r) => Ok(crate::shell::HttpAnswer {
            status: r.status,
            reason: reason_phrase(r.status).to_string(),
            connected: format!("{host} ({}:{port})", ip.unwrap_or_default()),
            body: r.body,
        }),
        Err(e) if e.code == 6 => Err(format!("wget: bad address '{host}'\n{}", offline_note(&host).unwrap_or_default())),
        // It connects (as far as it can tell), then waits for an answer.
        Err(e) if e.code == 28 => {
            Err(format!("Connecting to {host} ({}:{port})\nwget: download timed out\n", ip.unwrap_or_default()))
        }
        Err(_) => Err(format!("wget: can't connect to remote host ({}): Connection refused\n", ip.unwrap_or(host))),
    }
}

/// An HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
    /// The pod that answered, for traffic views and distribution counts.
    pub pod: Option<String>,
}

/// A curl failure: its exit code and message (`curl: (7) ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurlError {
    pub code: u8,
    pub message: String,
}

impl CurlError {
    fn refused(host: &str, port: u16) -> CurlError {
        CurlError { code: 7, message: format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server") }
    }

    /// HTTPS to a server that speaks plain HTTP.
    fn not_tls() -> CurlError {
        CurlError { code: 35, message: "TLS connect error: error:0A00010B:SSL routines::wrong version number".into() }
    }

    /// The connection closed before any answer (a port-forward whose pod port refused).
    fn empty_reply() -> CurlError {
        CurlError { code: 52, message: "Empty reply from server".into() }
    }

    fn timeout(host: &str, port: u16) -> CurlError {
        CurlError { code: 28, message: format!("Failed to connect to {host} port {port} after 130000 ms: Timeout was reached") }
    }
}

/// nginx's default `index.html`.
pub const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

/// nginx's default `50x.html`.
pub const NGINX_50X: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

/// nginx's error page for `status`.
fn nginx_error(status: u16) -> String {
    let text = match status {
        403 => "403 Forbidden",
        502 => "502 Bad Gateway",
        _ => "404 Not Found",
    };
    format!("<html>\r\n<head><title>{text}</title></head>\r\n<body>\r\n<center><h1>{text}</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n")
}

/// One request as it travels: what curl asked for, and who is asking.
struct Req<'a> {
    /// The host as written in the URL (for curl's error messages).
    host: &'a str,
    port: u16,
    path: &'a str,
    host_header: &'a str,
    client: &'a str,
    /// The other request headers, as sent (User-Agent and Accept from curl, proxy headers
    /// added by an ingress controller, `-H` ones).
    headers: &'a [(String, String)],
    /// Sent by an ingress controller straight to the Service's endpoints (not through
    /// kube-proxy).
    proxied: bool,
}

/// Go's canonical header key (`x-canary` → `X-Canary`), as a Go server such as whoami
/// prints it.
fn canonical_key(k: &str) -> String {
    k.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The request line and headers as Go's `Request.Write` prints them: Host, User-Agent,
/// then the rest sorted by key.
fn go_request_text(req: &Req<'_>) -> String {
    let mut out = format!("GET {} HTTP/1.1\nHost: {}\n", req.path, req.host_header);
    let ua = req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("user-agent")).map(|(_, v)| v.clone());
    out.push_str(&format!("User-Agent: {}\n", ua.unwrap_or_else(|| "Go-http-client/1.1".into())));
    let mut rest: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("user-agent") && !k.eq_ignore_ascii_case("host"))
        .map(|(k, v)| (canonical_key(k), v.clone()))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in rest {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out
}

/// `time.Now().String()` as a Go server prints it, at virtual time `ms` (the monotonic
/// reading counts from boot).
fn go_now(ms: u64) -> String {
    let wall = crate::world::time_at(ms).0.strftime("%Y-%m-%d %H:%M:%S").to_string();
    let frac = ms % 1000;
    let frac_text = if frac == 0 { String::new() } else { format!(".{frac:03}").trim_end_matches('0').to_string() };
    format!("{wall}{frac_text} +0000 UTC m=+{}.{frac:03}000000", ms / 1000)
}

/// Finds the pod with this IP.
fn pod_by_ip<'a>(world: &'a World, ip: &str) -> Option<&'a core::Pod> {
    world.store().list(Kind::Pod, None).find_map(|o| match o {
        Object::Pod(p)
            if p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip) && p.metadata.deletion_timestamp.is_none() =>
        {
            Some(&**p)
        }
        _ => None,
    })
}

/// A request reaching a pod's IP on a port: the container's simulated server answers.
/// A running pod on `node` that holds `port` as a hostPort.
fn host_port_pod<'a>(world: &'a World, node: &str, port: u16) -> Option<&'a core::Pod> {
    // The node's pods from the store's index, in the same (namespace, name) order as a list.
    world.store().pods_on_node(node).find_map(|o| match o {
        Object::Pod(p)
            if p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node)
                && p.metadata.deletion_timestamp.is_none()
                && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
                && p.spec
                    .iter()
                    .flat_map(|s| s.containers.iter())
                    .flat_map(|c| c.ports.iter().flatten())
                    .any(|cp| cp.host_port == Some(i32::from(port))) =>
        {
            Some(&**p)
        }
        _ => None,
    })
}

fn to_pod(world: &World, t: &mut Traffic, p: &core::Pod, req: &Req<'_>, port: u16) -> Result<Response, CurlError> {
    let (host, path, client) = (req.host, req.path, req.client);
    // A connection a NetworkPolicy drops gets no answer at all.
    if !crate::netpol::allows(world, client, p, port) {
        return Err(CurlError::timeout(host, port));
    }
    let r = ObjRef::new(Kind::Pod, p.metadata.namespace.as_deref().unwrap_or(""), p.metadata.name.as_deref().unwrap_or(""));
    let Some(rt) = world.runtime(&r) else { return Err(CurlError::refused(host, port)) };
    let name = p.metadata.name.clone().unwrap_or_default();
    for (cname, crt) in &rt.containers {
        let crate::kubelet::CState::Running { since } = crt.state else { continue };
        if crt.program.listens != Some(port) {
            continue;
        }
        let ip = rt.ip.clone();
        let body = match &crt.program.http {
            Some(Http::NginxWelcome) => {
                // nginx serves files from its document root: the image's pages, or what a
                // volume mounted there (or a command) put there. A directory without an
                // index.html is 403, a missing file 404.
                let file = if path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
                let full = format!("{}{}", crate::files::NGINX_ROOT, file);
                match crate::files::read(world, p, cname, &full) {
                    Some(body) => body,
                    None => {
                        let dir_exists = path.ends_with('/')
                            && crate::files::list(world, p, cname, &format!("{}{}", crate::files::NGINX_ROOT, path)).is_some();
                        let status = if dir_exists { 403 } else { 404 };
                        return Ok(Response { status, body: nginx_error(status), pod: Some(name) });
                    }
                }
            }
            Some(Http::HttpdItWorks) => "<html><body><h1>It works!</h1></body></html>\n".to_string(),
            Some(Http::Whoami) => format!(
                "Hostname: {name}\nIP: 127.0.0.1\nIP: ::1\nIP: {ip}\nRemoteAddr: {client}:{}\n{}\n",
                40000 + (world.now_ms() % 20000),
                go_request_text(req)
            ),
            Some(Http::Echo(text)) => text.clone(),
            Some(Http::Netexec) => match path {
                "/hostname" => name.clone(),
                _ => format!("NOW: {}", go_now(world.now_ms())),
            },
            Some(Http::Hostname) => name.clone(),
            Some(Http::Liveness) => {
                let uptime = world.now_ms().saturating_sub(since);
                let (status, body) = crate::images::liveness_healthz(path, uptime);
                return Ok(Response { status, body, pod: Some(name) });
            }
            Some(Http::Bootcamp(version)) => format!("Hello Kubernetes bootcamp! | Running on: {name} | v={version}\n"),
            Some(Http::HelloApp(version)) => format!("Hello, world!\nVersion: {version}\nHostname: {name}\n"),
            Some(Http::Fixed(status, body)) => return Ok(Response { status: *status, body: body.clone(), pod: Some(name) }),
            Some(Http::Proxy(upstream)) => {
                // nginx resolves the upstream and passes the request on from the pod; an
                // upstream it cannot reach is a 502. Proxies that lead back to proxies stop
                // after a few hops (nginx would run out of connections).
                if t.hops >= MAX_PROXY_HOPS {
                    return Ok(Response { status: 502, body: nginx_error(502), pod: Some(name) });
                }
                let from = Source::Pod { namespace: p.metadata.namespace.clone().unwrap_or_default(), ip };
                t.hops += 1;
                let got = request_with(world, t, &from, &format!("http://{upstream}{path}"), &[], &Tls::default());
                t.hops -= 1;
                return Ok(match got {
                    Ok(r) => Response { status: r.status, body: r.body, pod: Some(name) },
                    Err(_) => Response { status: 502, body: nginx_error(502), pod: Some(name) },
                });
            }
            None => return Err(CurlError { code: 52, message: "Empty reply from server".into() }),
        };
        return Ok(Response { status: 200, body, pod: Some(name) });
    }
    Err(CurlError::refused(host, port))
}

/// Picks one of a Service's ready endpoints for a port, as kube-proxy does (at random,
/// from the world's seeded RNG).
/// Whether the Service has a ready endpoint for this port (what kube-proxy forwards to).
fn has_ready_endpoint(world: &World, s: &core::Service, sp: &core::ServicePort) -> bool {
    let name = sp.name.clone().unwrap_or_default();
    crate::endpoints::service_endpoints(world, s).iter().any(|e| e.ready && e.ports.contains_key(&name))
}

fn via_service(
    world: &World,
    t: &mut Traffic,
    s: &core::Service,
    sp: &core::ServicePort,
    req: &Req<'_>,
) -> Result<Response, CurlError> {
    let (host, port) = (req.host, req.port);
    let port_name = sp.name.as_deref().unwrap_or_default();
    let eps: Vec<(String, i32)> = crate::endpoints::service_endpoints(world, s)
        .into_iter()
        .filter(|e| e.ready)
        .filter_map(|e| {
            let p = *e.ports.get(port_name)?;
            Some((e.ip, p))
        })
        .collect();
    if eps.is_empty() {
        // kube-proxy rejects traffic to a Service without endpoints.
        return Err(CurlError::refused(host, port));
    }
    // sessionAffinity: ClientIP: kube-proxy sends a client back to the endpoint it chose
    // before, until timeoutSeconds (default 10800) pass without a connection. (Traefik and
    // ingress-nginx pick endpoints themselves, so it does not apply behind an Ingress.)
    let default_spec = core::ServiceSpec::default();
    let spec = s.spec.as_ref().unwrap_or(&default_spec);
    let sticky = spec.session_affinity.as_deref() == Some("ClientIP") && !req.proxied;
    let timeout_ms = spec
        .session_affinity_config
        .as_ref()
        .and_then(|c| c.client_ip.as_ref())
        .and_then(|c| c.timeout_seconds)
        .unwrap_or(10_800)
        .max(0) as u64
        * 1000;
    let key = (s.metadata.uid.clone().unwrap_or_default(), req.client.to_string());
    let now = world.now_ms();
    let remembered = if sticky {
        t.session_affinity
            .get(&key)
            .filter(|(_, last)| now.saturating_sub(*last) <= timeout_ms)
            .and_then(|(ep, _)| eps.iter().find(|(ip, _)| ip == ep).cloned())
    } else {
        None
    };
    let (ip, tp) = match remembered {
        Some(e) => e,
        None => eps[t.rng.below(eps.len() as u64) as usize].clone(),
    };
    if sticky {
        t.session_affinity.insert(key, (ip.clone(), now));
    }
    let Some(p) = pod_by_ip(world, &ip) else { return Err(CurlError::refused(host, port)) };
    to_pod(world, t, p, req, tp as u16)
}

fn service_port(s: &core::Service, port: u16) -> Option<&core::ServicePort> {
    s.spec.as_ref()?.ports.as_ref()?.iter().find(|p| p.port == i32::from(port))
}

fn node_port_service(world: &World, port: u16) -> Option<(core::Service, core::ServicePort)> {
    world.store().list(Kind::Service, None).find_map(|o| match o {
        Object::Service(s) => s
            .spec
            .as_ref()?
            .ports
            .as_ref()?
            .iter()
            .find(|p| p.node_port == Some(i32::from(port)))
            .map(|p| ((**s).clone(), p.clone())),
        _ => None,
    })
}

/// Whether an Ingress path matches a request path, per the Kubernetes docs' table.
pub fn path_matches(path_type: &str, rule: &str, request: &str) -> bool {
    match path_type {
        "Exact" => rule == request,
        // Traefik treats ImplementationSpecific as a prefix match.
        _ => {
            let r: Vec<&str> = rule.split('/').filter(|s| !s.is_empty()).collect();
            let q: Vec<&str> = request.split('/').filter(|s| !s.is_empty()).collect();
            r.len() <= q.len() && r.iter().zip(&q).all(|(a, b)| a == b)
        }
    }
}

/// Whether an Ingress host (possibly `*.foo.com`) matches a Host header.
pub fn host_matches(rule: &str, host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    match rule.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|h| h.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => rule == host,
    }
}

/// Whether `ctl` serves an Ingress: by `spec.ingressClassName`, else by the legacy
/// `kubernetes.io/ingress.class` annotation; a class-less Ingress is Traefik's (its class is
/// the default one; ingress-nginx ignores Ingresses without a class).
fn served_by(ing: &k8s_openapi::api::networking::v1::Ingress, ctl: IngressController) -> bool {
    let class = ing
        .spec
        .as_ref()
        .and_then(|s| s.ingress_class_name.clone())
        .or_else(|| ing.metadata.annotations.as_ref().and_then(|a| a.get("kubernetes.io/ingress.class").cloned()));
    match class {
        Some(c) => c == ctl.class(),
        None => ctl == IngressController::Traefik,
    }
}

/// An ingress-nginx canary Ingress's traffic policy (its `canary-*` annotations).
#[derive(Clone, Debug)]
struct Canary {
    header: Option<String>,
    header_value: Option<String>,
    cookie: Option<String>,
    weight: u64,
    weight_total: u64,
}

/// Whether an Ingress is an ingress-nginx canary (`canary: "true"`).
fn is_canary(ing: &k8s_openapi::api::networking::v1::Ingress) -> bool {
    ing.metadata.annotations.as_ref().and_then(|a| a.get("nginx.ingress.kubernetes.io/canary")).map(String::as_str)
        == Some("true")
}

fn canary_of(ing: &k8s_openapi::api::networking::v1::Ingress) -> Option<Canary> {
    if !is_canary(ing) {
        return None;
    }
    let a = ing.metadata.annotations.as_ref()?;
    let get = |k: &str| a.get(&format!("nginx.ingress.kubernetes.io/{k}")).cloned();
    Some(Canary {
        header: get("canary-by-header").filter(|h| !h.is_empty()),
        header_value: get("canary-by-header-value").filter(|h| !h.is_empty()),
        cookie: get("canary-by-cookie").filter(|h| !h.is_empty()),
        weight: get("canary-weight").and_then(|w| w.trim().parse().ok()).unwrap_or(0),
        weight_total: get("canary-weight-total").and_then(|w| w.trim().parse().ok()).filter(|t| *t > 0).unwrap_or(100),
    })
}

/// ingress-nginx's choice for one request (its Lua balancer's
/// `route_to_alternative_balancer`): the header first (`always`/`never`, or the exact
/// `canary-by-header-value`), then the cookie (`always`/`never`), then the weight, drawn
/// from the seeded RNG as `math.random(total) <= weight`.
fn to_canary(t: &mut Traffic, c: &Canary, headers: &[(String, String)]) -> bool {
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string());
    if let Some(h) = c.header.as_deref().and_then(header) {
        match c.header_value.as_deref() {
            Some(want) if want == h => return true,
            Some(_) => {}
            None if h == "always" => return true,
            None if h == "never" => return false,
            None => {}
        }
    }
    if let Some(name) = &c.cookie {
        let cookies = header("cookie").unwrap_or_default();
        let value =
            cookies.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| k == name).map(|(_, v)| v.to_string());
        match value.as_deref() {
            Some("always") => return true,
            Some("never") => return false,
            _ => {}
        }
    }
    c.weight > 0 && t.rng.below(c.weight_total) < c.weight
}

/// A request reaching an ingress controller's port: 80 is HTTP, 443 HTTPS. Plain HTTP sent
/// to 443 gets the controller's 400; HTTPS is checked against the certificate the
/// controller presents for the host, then routed like HTTP.
fn controller_entry(
    world: &World,
    t: &mut Traffic,
    ctl: IngressController,
    req: &Req<'_>,
    headers: &[(String, String)],
    tls: Option<&Tls>,
) -> Result<Response, CurlError> {
    match (req.port, tls) {
        (443, None) => Ok(Response {
            status: 400,
            body: match ctl {
                IngressController::Traefik => "Client sent an HTTP request to an HTTPS server.\n".into(),
                IngressController::Nginx => "<html>\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\n<body>\n<center><h1>400 Bad Request</h1></center>\n<center>The plain HTTP request was sent to HTTPS port</center>\n<hr><center>nginx</center>\n</body>\n</html>\n".into(),
            },
            pod: None,
        }),
        (443, Some(tls)) => {
            // The certificate is chosen by SNI, the URL's host name (none for an IP address),
            // not by the Host header.
            let sni = tls.sni.as_deref().unwrap_or(req.host);
            let cert = if sni.parse::<std::net::IpAddr>().is_ok() { None } else { serving_certificate(world, ctl, sni) };
            let trusted = tls.insecure
                || matches!((&cert, &tls.ca), (Some(c), Some(ca)) if c.trim() == ca.trim());
            if !trusted {
                return Err(CurlError {
                    code: 60,
                    message: "SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.".into(),
                });
            }
            via_ingress(world, t, ctl, req, headers, true)
        }
        (_, Some(_)) => Err(CurlError::not_tls()),
        (_, None) => via_ingress(world, t, ctl, req, headers, false),
    }
}

/// The certificate (PEM) an ingress controller presents for `host`: the `tls.crt` of the
/// Secret an Ingress's `tls` section names for that host, when the Secret exists and is a
/// TLS Secret; otherwise `None`, the controller's own self-signed default certificate
/// (Traefik's `TRAEFIK DEFAULT CERT`, ingress-nginx's fake certificate).
pub fn serving_certificate(world: &World, ctl: IngressController, host: &str) -> Option<String> {
    for o in world.store().list(Kind::Ingress, None) {
        let Object::Ingress(ing) = o else { continue };
        if !served_by(ing, ctl) {
            continue;
        }
        let ns = ing.metadata.namespace.clone().unwrap_or_default();
        for t in ing.spec.iter().flat_map(|s| s.tls.iter().flatten()) {
            if !t.hosts.iter().flatten().any(|h| host_matches(h, host)) {
                continue;
            }
            let Some(secret) = t.secret_name.as_deref() else { continue };
            if let Some(Object::Secret(sec)) = world.store().get(Kind::Secret, &ns, secret) {
                if let Some(crt) = sec.data.as_ref().and_then(|d| d.get("tls.crt")) {
                    return Some(String::from_utf8_lossy(&crt.0).into_owned());
                }
            }
        }
    }
    None
}

/// Whether an Ingress `ctl` serves has a `tls` section for `host` (ingress-nginx then
/// redirects plain HTTP to HTTPS).
fn has_tls_for(world: &World, ctl: IngressController, host: &str) -> bool {
    world.store().list(Kind::Ingress, None).any(|o| match o {
        Object::Ingress(ing) if served_by(ing, ctl) && !is_canary(ing) => {
            ing.spec.iter().flat_map(|s| s.tls.iter().flatten()).any(|t| t.hosts.iter().flatten().any(|h| host_matches(h, host)))
        }
        _ => false,
    })
}

/// The Ingress routing of `ctl` for a request that reached it: the longest matching path
/// among the rules whose host matches (an Exact path wins a tie), else a `defaultBackend`,
/// else the controller's 404. ingress-nginx also sends a share of a rule's requests to a
/// canary Ingress with the same host and path (`nginx.ingress.kubernetes.io/canary`).
fn via_ingress(
    world: &World,
    t: &mut Traffic,
    ctl: IngressController,
    req: &Req<'_>,
    headers: &[(String, String)],
    https: bool,
) -> Result<Response, CurlError> {
    use k8s_openapi::api::networking::v1::IngressBackend;
    let (host_header, path) = (req.host_header, req.path);
    // ingress-nginx's ssl-redirect (on by default): a host with TLS is HTTPS only.
    let bare_host = host_header.split(':').next().unwrap_or("");
    if !https && ctl == IngressController::Nginx && has_tls_for(world, ctl, bare_host) {
        return Ok(Response { status: 308, body: error_page(ctl, 308), pod: None });
    }
    // (path length, exact, namespace, backend, rule host, rule path)
    let mut best: Option<(usize, bool, String, IngressBackend, Option<String>, String)> = None;
    let mut default: Option<(String, IngressBackend)> = None;
    let nginx = ctl == IngressController::Nginx;
    for o in world.store().list(Kind::Ingress, None) {
        let Object::Ingress(ing) = o else { continue };
        if !served_by(ing, ctl) || (nginx && is_canary(ing)) {
            continue;
        }
        let Some(spec) = ing.spec.as_ref() else { continue };
        let ns = ing.metadata.namespace.as_deref().unwrap_or_default();
        if let Some(b) = &spec.default_backend {
            default.get_or_insert_with(|| (ns.to_string(), b.clone()));
        }
        for rule in spec.rules.iter().flatten() {
            if let Some(h) = &rule.host {
                if !host_matches(h, host_header) {
                    continue;
                }
            }
            for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                let rp = p.path.as_deref().unwrap_or("/");
                if path_matches(&p.path_type, rp, path) {
                    let exact = p.path_type == "Exact";
                    let len = rp.trim_end_matches('/').len();
                    let better = match &best {
                        None => true,
                        Some((l, e, ..)) => len > *l || (len == *l && exact && !*e),
                    };
                    if better {
                        best = Some((len, exact, ns.to_string(), p.backend.clone(), rule.host.clone(), rp.to_string()));
                    }
                }
            }
        }
    }
    let not_found = || Ok(Response { status: 404, body: error_page(ctl, 404), pod: None });
    let (ns, mut backend) = match best {
        Some((_, _, ns, b, rule_host, rule_path)) => {
            // A canary for the same host and path (ingress-nginx merges it into that rule).
            let canary = if nginx {
                world.store().list(Kind::Ingress, Some(&ns)).find_map(|o| match o {
                    Object::Ingress(c) if served_by(c, ctl) && is_canary(c) => {
                        let spec = c.spec.as_ref()?;
                        let backend = spec.rules.iter().flatten().filter(|r| r.host == rule_host).find_map(|r| {
                            r.http
                                .iter()
                                .flat_map(|h| h.paths.iter())
                                .find(|p| p.path.as_deref().unwrap_or("/") == rule_path)
                                .map(|p| p.backend.clone())
                        })?;
                        Some((canary_of(c)?, backend))
                    }
                    _ => None,
                })
            } else {
                None
            };
            match canary {
                Some((policy, cb)) if to_canary(t, &policy, headers) => (ns, cb),
                _ => (ns, b),
            }
        }
        None => match default {
            Some(d) => d,
            None => return not_found(),
        },
    };
    let Some(svc_ref) = backend.service.take() else { return not_found() };
    let Some(Object::Service(s)) = world.store().get(Kind::Service, &ns, &svc_ref.name).cloned() else {
        return Ok(Response {
            status: if nginx { 503 } else { 404 },
            body: error_page(ctl, if nginx { 503 } else { 404 }),
            pod: None,
        });
    };
    let sp = s.spec.as_ref().and_then(|spec| spec.ports.as_ref()).and_then(|ports| {
        ports
            .iter()
            .find(|p| match &svc_ref.port {
                Some(bp) => bp.number == Some(p.port) || (bp.name.is_some() && bp.name == p.name),
                None => true,
            })
            .cloned()
    });
    let Some(sp) = sp else { return not_found() };
    // The controller's pod makes the request to the backend, adding its proxy headers.
    let (proxy_ip, proxy_name) = controller_pod(world, ctl);
    let client = req.client.to_string();
    // The client as the controller sees it: kube-proxy masquerades ServiceLB traffic to
    // the node's cni0 address.
    let seen = if client.starts_with("10.42.") { client.clone() } else { cni_gateway(&proxy_ip) };
    let mut headers: Vec<(String, String)> = req.headers.to_vec();
    let host = req.host_header.to_string();
    let (scheme, port_text) = if https { ("https", "443".to_string()) } else { ("http", "80".to_string()) };
    let add = |h: &mut Vec<(String, String)>, k: &str, v: String| {
        h.retain(|(x, _)| !x.eq_ignore_ascii_case(k));
        h.push((k.to_string(), v));
    };
    match ctl {
        IngressController::Traefik => {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("accept-encoding")) {
                headers.push(("Accept-Encoding".into(), "gzip".into()));
            }
            add(&mut headers, "X-Forwarded-For", seen.clone());
            add(&mut headers, "X-Forwarded-Host", host.clone());
            add(&mut headers, "X-Forwarded-Port", port_text.clone());
            add(&mut headers, "X-Forwarded-Proto", scheme.into());
            add(&mut headers, "X-Forwarded-Server", proxy_name.clone());
            add(&mut headers, "X-Real-Ip", seen.clone());
        }
        IngressController::Nginx => {
            let id: String = (0..32).map(|_| char::from_digit(t.rng.below(16) as u32, 16).unwrap_or('0')).collect();
            add(&mut headers, "X-Request-Id", id);
            add(&mut headers, "X-Real-Ip", seen.clone());
            add(&mut headers, "X-Forwarded-For", seen.clone());
            add(&mut headers, "X-Forwarded-Host", host.clone());
            add(&mut headers, "X-Forwarded-Port", port_text.clone());
            add(&mut headers, "X-Forwarded-Proto", scheme.into());
            add(&mut headers, "X-Forwarded-Scheme", scheme.into());
            add(&mut headers, "X-Scheme", scheme.into());
        }
    }
    let inner = Req { port: 80, client: &proxy_ip, headers: &headers, proxied: true, ..*req };
    match via_service(world, t, &s, &sp, &inner) {
        Ok(r) => Ok(r),
        // The controller answers 503 when the Service has no endpoints, and 502 when the
        // pod it picked does not answer (nothing listens on the target port). A request
        // changes no pod, so the endpoints are looked at only when it failed.
        Err(_) if crate::endpoints::service_endpoints(world, &s).iter().any(|e| e.ready) => {
            Ok(Response { status: 502, body: error_page(ctl, 502), pod: None })
        }
        Err(_) => Ok(Response { status: 503, body: error_page(ctl, 503), pod: None }),
    }
}

/// The IP and name of the ingress controller's (first running) pod.
fn controller_pod(world: &World, ctl: IngressController) -> (String, String) {
    let (ns, _) = ctl.service();
    let prefix = if ctl == IngressController::Traefik { "traefik-" } else { "ingress-nginx-controller-" };
    world
        .store()
        .list(Kind::Pod, Some(ns))
        .find_map(|o| match o {
            Object::Pod(p) if p.metadata.name.as_deref().is_some_and(|n| n.starts_with(prefix)) => {
                Some((p.status.as_ref()?.pod_ip.clone()?, p.metadata.name.clone()?))
            }
            _ => None,
        })
        .unwrap_or_else(|| ("10.42.0.1".into(), ctl.class().into()))
}

/// The node's bridge address for a pod IP (`10.42.N.x` → `10.42.N.1`).
fn cni_gateway(pod_ip: &str) -> String {
    match pod_ip.rsplit_once('.') {
        Some((net, _)) => format!("{net}.1"),
        None => pod_ip.to_string(),
    }
}

/// The body of an ingress controller's own error answer.
fn error_page(ctl: IngressController, status: u16) -> String {
    match ctl {
        IngressController::Traefik => match status {
            404 => "404 page not found\n".into(),
            502 => "Bad Gateway".into(),
            _ => "no available server\n".into(),
        },
        IngressController::Nginx => {
            let title = match status {
                308 => "308 Permanent Redirect",
                404 => "404 Not Found",
                502 => "502 Bad Gateway",
                _ => "503 Service Temporarily Unavailable",
            };
            // (nginx ends these lines with CRLF; kubeplay prints LF so terminals show them
            // cleanly.)
            format!("<html>\n<head><title>{title}</title></head>\n<body>\n<center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n")
        }
    }
}

/// Splits `http://host:port/path` into (host, port, path).
pub fn parse_url(url: &str) -> Result<(String, u16, String), CurlError> {
    let https = url.starts_with("https://");
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or(url);
    let default_port = if https { 443 } else { 80 };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h.to_string(),
            p.parse::<u16>().map_err(|_| CurlError {
                code: 3,
                message: "URL rejected: Port number was not a decimal number between 0 and 65535".to_string(),
            })?,
        ),
        None => (hostport.to_string(), default_port),
    };
    if host.is_empty() {
        return Err(CurlError { code: 3, message: "URL rejected: No host part in the URL".into() });
    }
    Ok((host, port, path))
}

/// The headers curl sends: its User-Agent and `Accept: */*`, unless `given` (the `-H`
/// ones, which follow) replace them.
pub fn curl_headers(given: &[(String, String)]) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = Vec::new();
    for (k, v) in [("User-Agent", "curl/8.11.1"), ("Accept", "*/*")] {
        if !given.iter().any(|(g, _)| g.eq_ignore_ascii_case(k)) {
            h.push((k.into(), v.into()));
        }
    }
    h.extend(given.iter().cloned());
    h
}

/// One HTTP GET from `from` to `url`, with an optional Host header.
pub fn http_get(world: &mut World, from: &Source, url: &str, host_header: Option<&str>) -> Result<Response, CurlError> {
    let mut headers: Vec<(String, String)> = host_header.map(|h| ("Host".to_string(), h.to_string())).into_iter().collect();
    headers.extend(curl_headers(&[]));
    http_request(world, from, url, &headers)
}

/// How a client checks a server's certificate (curl's `-k` / `--insecure` and `--cacert`).
#[derive(Clone, Debug, Default)]
pub struct Tls {
    pub insecure: bool,
    /// The CA file's content, to trust a self-signed certificate.
    pub ca: Option<String>,
    /// The server name sent (SNI), when it is not the URL's host (curl's `--resolve`).
    pub sni: Option<String>,
}

/// One HTTP GET from `from` to `url` with request headers (`Host` among them, or derived
/// from the URL).
pub fn http_request(world: &mut World, from: &Source, url: &str, headers: &[(String, String)]) -> Result<Response, CurlError> {
    request(world, from, url, headers, &Tls::default())
}

/// One GET over HTTP or HTTPS (`https://` URLs; `tls` says how the certificate is checked).
/// HTTPS is served by the ingress controllers on port 443: kubeplay models which
/// certificate they present and whether the client trusts it, not the cryptography.
pub fn request(
    world: &mut World,
    from: &Source,
    url: &str,
    headers: &[(String, String)],
    tls: &Tls,
) -> Result<Response, CurlError> {
    let mut t = Traffic {
        rng: std::mem::replace(&mut world.rng, crate::rng::Rng::new(0)),
        session_affinity: std::mem::take(&mut world.session_affinity),
        hops: 0,
    };
    let out = request_with(world, &mut t, from, url, headers, tls);
    world.rng = t.rng;
    world.session_affinity = t.session_affinity;
    out
}

/// What a request changes: the seeded RNG's draws (which endpoint, canary or request id)
/// and kube-proxy's ClientIP session affinity. Everything else a request only reads, so a
/// judge can send many requests against a settled world with `World::traffic()` (a copy of
/// just this) and leave the world as it was, exactly as if it had sent them on a clone.
#[derive(Clone, Debug)]
pub struct Traffic {
    rng: crate::rng::Rng,
    session_affinity: std::collections::BTreeMap<(String, String), (String, u64)>,
    /// How many proxies the request in flight has passed through.
    hops: u32,
}

/// How many proxy hops a request may take before the proxy answers 502.
const MAX_PROXY_HOPS: u32 = 4;

impl World {
    /// The traffic state of this world, to send requests with `http_request_with`.
    pub fn traffic(&self) -> Traffic {
        Traffic { rng: self.rng.clone(), session_affinity: self.session_affinity.clone(), hops: 0 }
    }
}

/// `http_request` against a world it does not change (see `Traffic`).
pub fn http_request_with(
    world: &World,
    t: &mut Traffic,
    from: &Source,
    url: &str,
    headers: &[(String, String)],
) -> Result<Response, CurlError> {
    request_with(world, t, from, url, headers, &Tls::default())
}

fn request_with(
    world: &World,
    t: &mut Traffic,
    from: &Source,
    url: &str,
    headers: &[(String, String)],
    tls: &Tls,
) -> Result<Response, CurlError> {
    let https = url.starts_with("https://");
    let host_header = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.as_str());
    let headers: Vec<(String, String)> = headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("host")).cloned().collect();
    let headers = headers.as_slice();
    let (host, port, path) = parse_url(url)?;
    let ips = resolve(world, from, &host).map_err(|m| CurlError { code: 6, message: m })?;
    let Some(ip) = ips.first().cloned() else {
        return Err(CurlError { code: 6, message: format!("Could not resolve host: {host}") });
    };
    let default_port = if https { 443 } else { 80 };
    let host_hdr =
        host_header
            .map(String::from)
            .unwrap_or_else(|| if port == default_port { host.clone() } else { format!("{host}:{port}") });
    let client = match from {
        Source::Pod { ip, .. } => ip.clone(),
        Source::Laptop => "192.168.1.10".into(),
    };
    // A node IP: NodePorts, and Traefik on 80.
    let node = world.store().list(Kind::Node, None).find_map(|o| match o {
        Object::Node(n)
            if n.status.as_ref().and_then(|s| s.addresses.as_ref()).is_some_and(|a| a.iter().any(|x| x.address == ip)) =>
        {
            n.metadata.name.clone()
        }
        _ => None,
    });
    if let Some(node) = node {
        let req = Req { host: &host, port, path: &path, host_header: &host_hdr, client: &client, headers, proxied: false };
        // A hostPort on that node: a ServiceLB pod forwards to its Service (Traefik's lead to
        // the ingress routing); any other pod answers itself.
        if let Some(p) = host_port_pod(world, &node, port) {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            let svc = labels.get(crate::servicelb::SVC_NAME_LABEL).zip(labels.get(crate::servicelb::SVC_NAMESPACE_LABEL));
            if let Some((name, ns)) = svc {
                if let Some(ctl) = IngressController::fronted_by(ns, name) {
                    return controller_entry(world, t, ctl, &req, headers, https.then_some(tls));
                }
                if https {
                    return Err(CurlError::not_tls());
                }
                let Some(Object::Service(s)) = world.store().get(Kind::Service, ns, name).cloned() else {
                    return Err(CurlError::refused(&host, port));
                };
                let Some(sp) = service_port(&s, port).cloned() else { return Err(CurlError::refused(&host, port)) };
                return via_service(world, t, &s, &sp, &req);
            }
            let container_port = p
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|cp| cp.host_port == Some(i32::from(port)))
                .map(|cp| cp.container_port)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(port);
            let p = p.clone();
            return to_pod(world, t, &p, &req, container_port);
        }
        if let Some((s, sp)) = node_port_service(world, port) {
            // The ingress controller's own NodePorts lead to its routing.
            let (ns, name) = (s.metadata.namespace.clone().unwrap_or_default(), s.metadata.name.clone().unwrap_or_default());
            if let Some(ctl) = IngressController::fronted_by(&ns, &name) {
                let entry = Req { port: u16::try_from(sp.port).unwrap_or(port), ..req };
                return controller_entry(world, t, ctl, &entry, headers, https.then_some(tls));
            }
            if https {
                // kube-proxy refuses a Service without endpoints before any handshake.
                if !has_ready_endpoint(world, &s, &sp) {
                    return Err(CurlError::refused(&host, port));
                }
                return Err(CurlError::not_tls());
            }
            return via_service(world, t, &s, &sp, &req);
        }
        return Err(CurlError::refused(&host, port));
    }
    if let Some((_, _, home)) = PUBLIC_SITES.iter().find(|(_, a, _)| *a == ip) {
        if https || port != 80 {
            return Err(CurlError::timeout(&host, port));
        }
        return Ok(match path.as_str() {
            "/" | "" => Response { status: 200, body: home.to_string(), pod: None },
            _ => Response { status: 404, body: NOT_FOUND_APACHE.replace("{path}", &path), pod: None },
        });
    }
    if matches!(from, Source::Laptop) && (ip == "127.0.0.1" || ip == "::1") {
        // The laptop's own ports: a `kubectl port-forward` listening there streams the
        // connection to its pod's port; a port nothing listens on refuses it.
        let req = Req { host: &host, port, path: &path, host_header: &host_hdr, client: "127.0.0.1", headers, proxied: false };
        return forwarded(world, t, &req, https);
    }
    if matches!(from, Source::Laptop) {
        // Cluster IPs and pod IPs are not routable from outside.
        return Err(CurlError::timeout(&host, port));
    }
    if https {
        // Inside the cluster, only the ingress controllers' Services speak TLS here.
        let svc = world.store().list(Kind::Service, None).find_map(|o| match o {
            Object::Service(s) if s.spec.as_ref().and_then(|x| x.cluster_ip.as_deref()) == Some(ip.as_str()) => Some(s.clone()),
            _ => None,
        });
        let ctl = svc.as_ref().and_then(|s| {
            IngressController::fronted_by(s.metadata.namespace.as_deref().unwrap_or(""), s.metadata.name.as_deref().unwrap_or(""))
        });
        return match ctl {
            Some(ctl) if port == 443 => {
                let req =
                    Req { host: &host, port, path: &path, host_header: &host_hdr, client: &client, headers, proxied: false };
                controller_entry(world, t, ctl, &req, headers, Some(tls))
            }
            _ => match svc.as_ref().and_then(|s| service_port(s, port).map(|sp| (s, sp))) {
                Some((s, sp)) if !has_ready_endpoint(world, s, sp) => Err(CurlError::refused(&host, port)),
                _ => Err(CurlError::not_tls()),
            },
        };
    }
    // A Service's cluster IP.
    let svc = world.store().list(Kind::Service, None).find_map(|o| match o {
        Object::Service(s) if s.spec.as_ref().and_then(|x| x.cluster_ip.as_deref()) == Some(ip.as_str()) => Some(s.clone()),
        _ => None,
    });
    if let Some(s) = svc {
        let Some(sp) = service_port(&s, port).cloned() else {
            // No rule for this port: the connection times out.
            return Err(CurlError::timeout(&host, port));
        };
        let req = Req { host: &host, port, path: &path, host_header: &host_hdr, client: &client, headers, proxied: false };
        return via_service(world, t, &s, &sp, &req);
    }
    let req = Req { host: &host, port, path: &path, host_header: &host_hdr, client: &client, headers, proxied: false };
    match pod_by_ip(world, &ip) {
        Some(p) => to_pod(world, t, p, &req, port),
        None => Err(CurlError::timeout(&host, port)),
    }
}

/// A connection to the laptop's `req.port`: through the port-forward listening there to its
/// pod, or refused. A forward whose pod is gone has ended (kubectl exits with "lost
/// connection to pod"); a pod port nothing listens on ends the forward's stream with an
/// empty reply.
fn forwarded(world: &World, t: &mut Traffic, req: &Req<'_>, https: bool) -> Result<Response, CurlError> {
    let refused = || CurlError::refused(req.host, req.port);
    let Some(f) = world.port_forwards.get(&req.port) else { return Err(refused()) };
    // The forward still listens after its pod is gone: the connection fails when kubectl
    // asks for the pod's stream.
    let p = match world.store().get(Kind::Pod, &f.namespace, &f.pod) {
        Some(Object::Pod(p)) if p.metadata.uid.as_deref() == Some(f.uid.as_str()) => p,
        _ => return Err(CurlError::empty_reply()),
    };
    let p = p.clone();
    match to_pod(world, t, &p, req, f.remote) {
        Ok(_) if https => Err(CurlError::not_tls()),
        Ok(r) => Ok(r),
        Err(_) => Err(CurlError::empty_reply()),
    }
}

/// Whether a connection to the laptop's `port` would be taken by a port-forward (kubectl
/// prints `Handling connection for PORT` for it, even when its pod has gone).
pub fn forward_handles(world: &World, url: &str) -> Option<u16> {
    let (host, port, _) = parse_url(url).ok()?;
    let local = host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
    world.port_forwards.get(&port).filter(|_| local).map(|_| port)
}

/// The target port number a Service port resolves to on a pod (numbers or names).
pub fn target_port(sp: &core::ServicePort) -> Option<i32> {
    match sp.target_port.as_ref()? {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(_) => None,
    }
}

/// ServiceLB and Traefik status: a Service goes to the service controller and ServiceLB
/// (`servicelb`); an Ingress of class traefik gets the addresses Traefik's own LoadBalancer
/// Service has (Traefik publishes `kube-system/traefik`'s status).
pub fn reconcile_status(world: &World, r: &ObjRef) -> crate::world::Outcome {
    use crate::world::Write;
    if r.kind == Kind::Service {
        return crate::servicelb::reconcile(world, r);
    }
    let mut out = crate::world::Outcome::default();
    // The controller publishes its own Service's load-balancer addresses.
    let ips_of = |ctl: IngressController| -> Vec<String> {
        let (ns, name) = ctl.service();
        match world.store().get(Kind::Service, ns, name) {
            Some(Object::Service(t)) => t
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|i| i.iter().filter_map(|x| x.ip.clone()).collect())
                .unwrap_or_default(),
            _ => vec![],
        }
    };
    let ctl = match world.store().get_ref(r) {
        Some(Object::Ingress(i)) => [IngressController::Traefik, IngressController::Nginx].into_iter().find(|c| served_by(i, *c)),
        _ => None,
    };
    if let (Some(Object::Ingress(i)), Some(ctl)) = (world.store().get_ref(r), ctl) {
        let ips = ips_of(ctl);
        let want = k8s_openapi::api::networking::v1::IngressStatus {
            load_balancer: Some(k8s_openapi::api::networking::v1::IngressLoadBalancerStatus {
                ingress: (!ips.is_empty()).then(|| {
                    ips.iter()
                        .map(|ip| k8s_openapi::api::networking::v1::IngressLoadBalancerIngress {
                            ip: Some(ip.clone()),
                            ..Default::default()
                        })
                        .collect()
                }),
            }),
        };
        if i.status.as_ref() != Some(&want) {
            let mut next = i.clone();
            next.status = Some(want);
            out.writes.push(Write::UpdateStatus(Object::Ingress(next)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_on_the_traffic_state_leave_the_world_and_match_requests_on_a_clone() {
        let mut w = World::new(3);
        for m in [
            serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "nodePort": 31080}]}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "sticky"},
                "spec": {"type": "NodePort", "selector": {"app": "web"}, "sessionAffinity": "ClientIP", "ports": [{"port": 80, "nodePort": 31081}]}}),
        ] {
            w.apply(&m).unwrap();
        }
        w.run_until_settled(100_000);
        let before = w.state_hash();
        let mut on_clone = w.clone();
        let mut t = w.traffic();
        let mut pods = std::collections::BTreeSet::new();
        for port in [31080, 31081, 31080] {
            let url = format!("http://{}:{port}/", w.node_ip("k3s-server"));
            for _ in 0..40 {
                let a = http_request_with(&w, &mut t, &Source::Laptop, &url, &[]).unwrap();
                let b = http_request(&mut on_clone, &Source::Laptop, &url, &[]).unwrap();
                assert_eq!((a.status, &a.pod, &a.body), (b.status, &b.pod, &b.body));
                assert_eq!(a.status, 200);
                pods.extend(a.pod);
            }
        }
        assert_eq!(pods.len(), 3, "the requests spread over the three pods");
        assert_eq!(w.state_hash(), before, "the judged world is unchanged");
        assert_ne!(on_clone.state_hash(), before, "requests on a world do change its RNG");
    }

    #[test]
    fn ingress_path_table_from_the_docs() {
        // (type, rule path, request path, matches)
        let table = [
            ("Prefix", "/", "/anything", true),
            ("Exact", "/foo", "/foo", true),
            ("Exact", "/foo", "/bar", false),
            ("Exact", "/foo", "/foo/", false),
            ("Exact", "/foo/", "/foo", false),
            ("Prefix", "/foo", "/foo", true),
            ("Prefix", "/foo", "/foo/", true),
            ("Prefix", "/foo/", "/foo", true),
            ("Prefix", "/foo/", "/foo/", true),
            ("Prefix", "/aaa/bb", "/aaa/bbb", false),
            ("Prefix", "/aaa/bbb", "/aaa/bbb", true),
            ("Prefix", "/aaa/bbb/", "/aaa/bbb", true),
            ("Prefix", "/aaa/bbb", "/aaa/bbb/", true),
            ("Prefix", "/aaa/bbb", "/aaa/bbb/ccc", true),
            ("Prefix", "/aaa/bbb", "/aaa/bbbxyz", false),
            ("Prefix", "/aaa", "/ccc", false),
        ];
        for (t, rule, req, want) in table {
            assert_eq!(path_matches(t, rule, req), want, "{t} {rule} vs {req}");
        }
    }

    #[test]
    fn wildcard_hosts_cover_one_label() {
        assert!(host_matches("*.foo.com", "bar.foo.com"));
        assert!(!host_matches("*.foo.com", "baz.bar.foo.com"));
        assert!(!host_matches("*.foo.com", "foo.com"));
        assert!(host_matches("foo.bar.com", "foo.bar.com:80"));
    }
}
