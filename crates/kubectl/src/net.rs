//! Traffic commands: `curl` from the learner's laptop, `kubectl exec POD -- CMD` (curl,
//! wget, nslookup, env, hostname, cat, echo) inside a pod, and `traffic`, kubeplay's own
//! command that sends N requests and counts the answers by pod.

use crate::args::Args;
use crate::exec::{api_error_text, namespace};
use crate::Output;
use kubeplay_sim::net::{http_request, Source};
use kubeplay_sim::ObjRef;
use kubeplay_sim::{ApiError, Kind, Object, World};
use std::collections::BTreeMap;

struct CurlOpts {
    url: Option<String>,
    host: Option<String>,
    /// Other request headers (`-H`, and `-b` as a Cookie header).
    headers: Vec<(String, String)>,
    /// `-k` / `--insecure`.
    insecure: bool,
    /// `--cacert FILE`.
    cacert: Option<String>,
    /// The TLS server name, when `--resolve` put an address in the URL.
    sni: Option<String>,
    write_out: Option<String>,
    silent: bool,
    /// `-S`: errors are shown even when silent.
    show_error: bool,
    head_only: bool,
    /// `--resolve HOST:PORT:ADDR`.
    resolve: Option<(String, String, String)>,
}

impl CurlOpts {
    /// The headers sent: Host (when given) first, then the others.
    fn request_headers(&self) -> Vec<(String, String)> {
        let host = self.host.iter().map(|h| ("Host".to_string(), h.clone()));
        host.chain(kubeplay_sim::net::curl_headers(&self.headers)).collect()
    }
}

fn parse_curl(words: &[String]) -> Result<CurlOpts, String> {
    let mut o = CurlOpts {
        url: None,
        host: None,
        headers: Vec::new(),
        insecure: false,
        cacert: None,
        sni: None,
        write_out: None,
        silent: false,
        show_error: false,
        head_only: false,
        resolve: None,
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        i += 1;
        match w {
            "-k" | "--insecure" | "-sk" | "-ks" => {
                o.insecure = true;
                o.silent |= w.contains('s');
            }
            "--cacert" => {
                o.cacert = words.get(i).cloned();
                i += 1;
            }
            "-s" | "--silent" | "-S" | "-sS" | "-Ss" | "--show-error" | "-L" | "--location" | "-f" | "-q" => {
                o.silent |= w.contains('s') && w != "--show-error";
                o.show_error |= w.contains('S') || w == "--show-error";
            }
            "-I" | "--head" => o.head_only = true,
            "-H" | "--header" => {
                let h = words.get(i).cloned().unwrap_or_default();
                i += 1;
                if let Some((k, v)) = h.split_once(':') {
                    if k.trim().eq_ignore_ascii_case("host") {
                        o.host = Some(v.trim().to_string());
                    } else {
                        o.headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
            }
            "-b" | "--cookie" => {
                let c = words.get(i).cloned().unwrap_or_default();
                i += 1;
                o.headers.push(("Cookie".into(), c));
            }
            "-w" | "--write-out" => {
                o.write_out = words.get(i).cloned();
                i += 1;
            }
            "-o" | "--output" => {
                // Only /dev/null is meaningful here: the body is dropped.
                if words.get(i).map(String::as_str) == Some("/dev/null") {
                    o.head_only = true;
                }
                i += 1;
            }
            "--resolve" => {
                // `--resolve HOST:PORT:ADDR`: connect to ADDR for HOST, sending `Host: HOST`.
                let spec = words.get(i).cloned().unwrap_or_default();
                i += 1;
                let mut parts = spec.splitn(3, ':');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(h), Some(p), Some(a)) if !h.is_empty() && p.parse::<u16>().is_ok() && !a.is_empty() => {
                        o.resolve = Some((h.to_string(), p.to_string(), a.to_string()));
                    }
                    _ => return Err(format!("curl: option --resolve: bad argument {spec:?}\ncurl: try 'curl --help' or 'curl --manual' for more information\n")),
                }
            }
            "-m" | "--max-time" | "--connect-timeout" => i += 1,
            other if other.starts_with('-') => {
                return Err(format!(
                    "curl: option {other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
                ))
            }
            url => o.url = Some(url.to_string()),
        }
    }
    if let (Some((host, port, addr)), Some(url)) = (o.resolve.clone(), o.url.clone()) {
        let scheme_rest = url.split_once("://");
        let (scheme, rest) = scheme_rest.unwrap_or(("http", url.as_str()));
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (url_host, url_port) = match authority.split_once(':') {
            Some((h, p)) => (h, p.to_string()),
            None => (authority, if scheme == "https" { "443".to_string() } else { "80".to_string() }),
        };
        if url_host == host && url_port == port {
            o.url = Some(format!("{scheme}://{addr}:{port}{path}"));
            o.sni = Some(host.clone());
            o.host.get_or_insert(host);
        }
    }
    Ok(o)
}

/// Runs curl's words from `from`, reading `--cacert` files from `files`. Returns (stdout,
/// stderr, exit code).
fn curl(world: &mut World, from: &Source, words: &[String], files: Option<&dyn crate::Files>) -> Output {
    let o = match parse_curl(words) {
        Ok(o) => o,
        Err(e) => return Output { stderr: e, exit_code: 2, ..Output::default() },
    };
    let ca = match (&o.cacert, files) {
        (Some(path), Some(f)) => match f.read(path) {
            Ok(text) => Some(text),
            Err(_) => {
                return Output {
                    stderr: format!("curl: (77) error setting certificate file: {path}\n"),
                    exit_code: 77,
                    ..Output::default()
                }
            }
        },
        _ => None,
    };
    let tls = kubeplay_sim::net::Tls { insecure: o.insecure, ca, sni: o.sni.clone() };
    let Some(url) = o.url.clone() else {
        return Output {
            stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n".into(),
            exit_code: 2,
            ..Output::default()
        };
    };
    match kubeplay_sim::net::request(world, from, &url, &o.request_headers(), &tls) {
        Ok(r) => {
            let mut out = String::new();
            if !o.head_only {
                out.push_str(&r.body);
            }
            if let Some(w) = &o.write_out {
                out.push_str(&w.replace("%{http_code}", &r.status.to_string()).replace("\\n", "\n"));
            }
            Output { stdout: out, hits: r.pod.into_iter().collect(), ..Output::default() }
        }
        Err(e) => {
            // `-s` silences the error message too, unless `-S` asks for it.
            let mut stderr =
                if o.silent && !o.show_error { String::new() } else { format!("curl: ({}) {}\n", e.code, e.message) };
            if e.code == 6 {
                let host = kubeplay_sim::net::parse_url(&url).map(|u| u.0).unwrap_or_default();
                stderr.push_str(&kubeplay_sim::net::offline_note(&host).unwrap_or_default());
            }
            Output { stderr, exit_code: i32::from(e.code), ..Output::default() }
        }
    }
}

/// `curl ...` typed at the top level: from the learner's laptop.
pub fn curl_from_laptop(world: &mut World, words: &[String], files: &dyn crate::Files) -> Output {
    // A port-forward on the laptop prints a line for each connection it takes, in the same
    // terminal (it runs in the background there): before curl's own output.
    let handled = parse_curl(words).ok().and_then(|o| o.url).and_then(|u| kubeplay_sim::net::forward_handles(world, &u));
    let mut out = curl(world, &Source::Laptop, words, Some(files));
    if let Some(port) = handled {
        let mut lines = format!("Handling connection for {port}\n");
        // Nothing listens on the pod's port: the stream fails, and kubectl gives up the
        // whole forward.
        if out.exit_code == 52 {
            lines.push_str(&crate::portforward::lost_connection(world, port));
        }
        out.warnings.insert_str(0, &lines);
    }
    out
}

/// `traffic -n N [-H 'Host: x'] URL`: N requests from the laptop, answers counted by pod.
pub fn traffic(world: &mut World, words: &[String]) -> Output {
    let mut n = 100u32;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "-n" {
            n = words.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(100).min(10_000);
            i += 2;
        } else {
            rest.push(words[i].clone());
            i += 1;
        }
    }
    let o = match parse_curl(&rest) {
        Ok(o) => o,
        Err(e) => return Output { stderr: e, exit_code: 2, ..Output::default() },
    };
    let Some(url) = o.url.clone() else {
        return Output::err("usage: traffic -n N [-H 'Host: NAME'] URL\n".into());
    };
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for _ in 0..n {
        let key = match http_request(world, &Source::Laptop, &url, &o.request_headers()) {
            Ok(r) => match r.pod {
                Some(p) => p,
                None => format!("HTTP {}", r.status),
            },
            Err(e) => format!("curl: ({})", e.code),
        };
        *counts.entry(key).or_default() += 1;
    }
    let mut out = format!("{n} requests to {url}\n");
    let width = counts.keys().map(String::len).max().unwrap_or(0);
    for (k, c) in &counts {
        out.push_str(&format!("{k:<width$}  {c:>5}  {:>5.1}%\n", f64::from(*c) * 100.0 / f64::from(n)));
    }
    let hits = counts.keys().filter(|k| !k.starts_with("HTTP ") && !k.starts_with("curl: ")).cloned().collect();
    Output { stdout: out, hits, ..Output::default() }
}

/// The pod that `exec` and `attach` reach for `POD`, `pod/NAME` or `TYPE/NAME` (a workload's
/// first pod), or kubectl's error text.
pub fn target_pod(world: &World, ns: &str, target: &str) -> Result<k8s_openapi::api::core::v1::Pod, String> {
    let pod = match target.split_once('/') {
        Some((t, n)) => match crate::exec::resolve_kind(t)? {
            Kind::Pod => world.get(Kind::Pod, ns, n).cloned(),
            k => match world.get(k, ns, n).cloned() {
                Some(owner) => crate::rollout::first_pod_of(world, &owner),
                None => return Err(api_error_text(&ApiError::not_found(k, n))),
            },
        },
        None => world.get(Kind::Pod, ns, target).cloned(),
    };
    match pod {
        Some(Object::Pod(p)) => Ok(*p),
        _ => Err(api_error_text(&ApiError::not_found(Kind::Pod, target.rsplit('/').next().unwrap_or(target)))),
    }
}

/// `kubectl exec POD [-c C] [-it] -- CMD ARGS...`.
pub fn exec(world: &mut World, args: &Args) -> Output {
    let ns = namespace(args);
    let Some(target) = args.positional.first() else {
        return Output::err("error: pod, type/name or --filename must be specified\n".into());
    };
    let p = match target_pod(world, &ns, target) {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let name = p.metadata.name.clone().unwrap_or_default();
    let name = name.as_str();
    let cmd: Vec<String> = args.rest.clone();
    if args.positional.len() > 1 {
        return Output::err(
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"
                .into(),
        );
    }
    if cmd.is_empty() {
        return Output::err("error: you must specify at least one command for the container\n".into());
    }
    let phase = p.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return Output::err(format!("error: cannot exec into a container in a completed pod; current phase is {phase}\n"));
    }
    let spec = p.spec.clone().unwrap_or_default();
    let mut notice = String::new();
    let container = match args.value("container") {
        Some(c) => c.to_string(),
        None => {
            let (c, n) = crate::rollout::default_container(&p);
            if !args.flag("quiet") {
                notice = n;
            }
            c
        }
    };
    // Any of the pod's containers: regular, init or ephemeral (podcmd.FindContainerByName).
    let Some(c) = kubeplay_sim::kubelet::pod_container(&spec, &container) else {
        return Output::err(format!("error: container {container} not found in pod {name}\n"));
    };
    let c = &c;
    let running = kubeplay_sim::kubelet::pod_container_status(&p, &container)
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
    if !running {
        let mut out = Output::err(format!("error: unable to upgrade connection: container not found ({container:?})\n"));
        out.warnings = notice;
        return out;
    }
    let ip = p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    let from = Source::Pod { namespace: ns.clone(), ip };
    let image = c.image.clone().unwrap_or_default();
    let family = kubeplay_sim::images::lookup(&image).map(|i| i.family).unwrap_or("");
    // The environment the container started with (Service links included).
    let env = world
        .runtime(&ObjRef::of_pod(&p))
        .and_then(|rt| rt.containers.get(&container))
        .map(|crt| crt.env.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| kubeplay_sim::kubelet::container_env(world, &p, c).unwrap_or_default());
    let normalized = kubeplay_sim::images::normalize(&image);
    let tag = kubeplay_sim::images::tool_tag(&normalized);
    let at = InPod {
        pod: ObjRef::of_pod(&p),
        container: &container,
        family,
        image_tag: tag,
        via_shell: false,
        shell: None,
        attached: false,
        // `kubectl exec -it POD -- ls`: the program writes to a terminal.
        tty: args.flag("tty") && args.flag("stdin"),
    };
    // `kubectl exec -it POD -- sh`: the shell reads the terminal until `exit`; without -i
    // it reads nothing, so it ends at once.
    let program = cmd[0].rsplit('/').next().unwrap_or(&cmd[0]);
    if cmd.len() == 1 && matches!(program, "sh" | "bash" | "ash") && kubeplay_sim::images::has_tool(family, program) {
        let mut out = Output { warnings: notice, ..Output::default() };
        if args.flag("stdin") {
            let s = open_session(&p, c, &cmd[0], family, env, args.flag("tty"), crate::session::SessionKind::Exec);
            out.session = Some(Box::new(s));
        }
        return out;
    }
    let mut out = run_in_container(world, &from, &at, &env, &cmd);
    out.warnings = format!("{notice}{}", out.warnings);
    if out.exit_code != 0 && !out.stderr.starts_with("error:") {
        out.stderr.push_str(&format!("command terminated with exit code {}\n", out.exit_code));
    }
    out
}

/// An interactive shell in container `c` of pod `p`, as it starts: the container's
/// environment (and HOME), its working directory, and who it runs as.
pub(crate) fn open_session(
    p: &k8s_openapi::api::core::v1::Pod,
    c: &k8s_openapi::api::core::v1::Container,
    program: &str,
    family: &str,
    mut vars: BTreeMap<String, String>,
    tty: bool,
    kind: crate::session::SessionKind,
) -> crate::session::Session {
    use crate::session::Flavour;
    let user = kubeplay_sim::kubelet::container_user(p, c);
    let root = user.uid == 0;
    let env_home = vars.get("HOME").cloned().unwrap_or_else(|| if root { "/root".into() } else { "/".into() });
    vars.entry("HOME".into()).or_insert_with(|| env_home.clone());
    let flavour = match program.rsplit('/').next().unwrap_or(program) {
        "bash" => Flavour::Bash,
        _ if kubeplay_sim::images::shell_is_dash(family) => Flavour::Dash,
        _ => Flavour::Ash,
    };
    // The directory the prompt shows as `~`: bash's $HOME (unless it is `/`); busybox ash
    // takes the user's home from /etc/passwd, where only root (/root) is.
    let home = match flavour {
        Flavour::Bash if env_home.len() > 1 => env_home,
        Flavour::Ash if root => "/root".to_string(),
        _ => String::new(),
    };
    let name = p.metadata.name.clone().unwrap_or_default();
    let hostname = p.spec.as_ref().and_then(|s| s.hostname.clone()).unwrap_or_else(|| name.clone());
    let container_id =
        kubeplay_sim::kubelet::pod_container_status(p, &c.name).and_then(|s| s.container_id.clone()).unwrap_or_default();
    crate::session::Session {
        container_id,
        namespace: p.metadata.namespace.clone().unwrap_or_default(),
        pod: name,
        uid: p.metadata.uid.clone().unwrap_or_default(),
        container: c.name.clone(),
        program: program.to_string(),
        flavour,
        tty,
        vars,
        cwd: kubeplay_sim::kubelet::container_workdir(c, family),
        home,
        user: if root { "root".into() } else { "I have no name!".into() },
        root,
        hostname,
        kind,
        status: 0,
        lines: 0,
    }
}

/// `kubectl attach -it` (and `run -it`, `debug -it`) to a running container whose main
/// process is a shell reading stdin (`stdin: true`, and a bare shell for its command):
/// the session with that shell. None for any other program.
pub(crate) fn attach_session(
    world: &World,
    r: &ObjRef,
    container: &str,
    tty: bool,
    kind: crate::session::SessionKind,
) -> Option<crate::session::Session> {
    let Some(Object::Pod(p)) = world.store().get_ref(r) else { return None };
    let spec = p.spec.as_ref()?;
    let c = kubeplay_sim::kubelet::pod_container(spec, container)?;
    let running = kubeplay_sim::kubelet::pod_container_status(p, container)
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
    if c.stdin != Some(true) || !running {
        return None;
    }
    let family = kubeplay_sim::images::lookup(c.image.as_deref().unwrap_or("")).map(|i| i.family).unwrap_or("");
    let program = kubeplay_sim::kubelet::interactive_shell(
        c.command.as_deref().unwrap_or_default(),
        c.args.as_deref().unwrap_or_default(),
        family,
    )?;
    let env = world
        .runtime(r)
        .and_then(|rt| rt.containers.get(container))
        .map(|crt| crt.env.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| kubeplay_sim::kubelet::container_env(world, p, &c).unwrap_or_default());
    Some(open_session(p, &c, &program, family, env, tty, kind))
}

/// Runs one line typed into an interactive container shell. Returns what it printed and
/// whether the session is over (`exit`, or the container is gone).
pub(crate) fn session_line(
    world: &mut World,
    s: &mut crate::session::Session,
    line: &str,
    stdin: Option<&str>,
) -> (Output, bool) {
    let r = ObjRef::new(Kind::Pod, &s.namespace, &s.pod);
    let Some(pod) = session_pod(world, s) else {
        return (end_session(world, s, 137, false), true);
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let Some(c) = kubeplay_sim::kubelet::pod_container(&spec, &s.container) else {
        return (end_session(world, s, 137, false), true);
    };
    let image = c.image.clone().unwrap_or_default();
    let family = kubeplay_sim::images::lookup(&image).map(|i| i.family).unwrap_or("");
    let normalized = kubeplay_sim::images::normalize(&image);
    let tag = kubeplay_sim::images::tool_tag(&normalized);
    let ip = pod.status.as_ref().and_then(|st| st.pod_ip.clone()).unwrap_or_default();
    let from = Source::Pod { namespace: s.namespace.clone(), ip };
    // `ps` shows the session's shell beside the container's processes (an attached
    // session's shell is the main process, listed already).
    let shell = (s.kind == crate::session::SessionKind::Exec).then_some(s.program.as_str());
    let attached = s.kind != crate::session::SessionKind::Exec;
    let at =
        InPod { pod: r.clone(), container: &s.container, family, image_tag: tag, via_shell: true, shell, attached, tty: s.tty };
    let vars = std::mem::take(&mut s.vars);
    let (mut out, run) = script_in(world, &from, &at, &vars, (Some(&s.cwd), s.status, s.tty, stdin.unwrap_or("")), line);
    s.vars = run.vars;
    s.status = out.exit_code;
    if !run.cwd.is_empty() {
        s.cwd = run.cwd;
    }
    s.lines = s.lines.saturating_add(1);
    match s.flavour {
        crate::session::Flavour::Bash => out.stderr = crate::session::bash_errors(&out.stderr),
        crate::session::Flavour::Dash => out.stderr = crate::session::dash_errors(&out.stderr, s.lines),
        crate::session::Flavour::Ash => {}
    }
    world.run_due(crate::REACTION_BOUND);
    if !run.exited {
        // The line stopped the container (`kill 1` to a server that ends on SIGTERM): its
        // processes, this shell among them, are gone.
        if session_pod(world, s).is_none() {
            let end = end_session(world, s, 137, false);
            out.stderr.push_str(&end.stderr);
            out.stdout.push_str(&end.stdout);
            out.exit_code = end.exit_code;
            return (out, true);
        }
        return (out, false);
    }
    // An interactive bash says `exit` as it leaves.
    if s.flavour == crate::session::Flavour::Bash && s.tty {
        out.stdout.push_str("exit\n");
    }
    let end = end_session(world, s, out.exit_code, true);
    out.stdout.push_str(&end.stdout);
    out.stderr.push_str(&end.stderr);
    out.exit_code = end.exit_code;
    (out, true)
}

/// The end of a session whose container stopped (or pod went) while the cluster ran,
/// as kubectl reports it; None while the shell still runs.
pub(crate) fn session_gone(world: &mut World, s: &crate::session::Session) -> Option<Output> {
    match session_pod(world, s) {
        Some(_) => None,
        None => Some(end_session(world, s, 137, false)),
    }
}

/// The session's pod while the container the shell runs in is still the one it started
/// in (the same pod UID and container ID, running); None once it stopped or restarted.
fn session_pod(world: &World, s: &crate::session::Session) -> Option<k8s_openapi::api::core::v1::Pod> {
    let r = ObjRef::new(Kind::Pod, &s.namespace, &s.pod);
    let Some(Object::Pod(p)) = world.store().get_ref(&r) else { return None };
    if p.metadata.uid.as_deref() != Some(s.uid.as_str()) {
        return None;
    }
    let st = kubeplay_sim::kubelet::pod_container_status(p, &s.container)?;
    let running = st.state.as_ref().is_some_and(|st| st.running.is_some());
    (running && st.container_id.clone().unwrap_or_default() == s.container_id).then(|| (**p).clone())
}

/// What kubectl does when an interactive shell ends with `code`: `kubectl exec` exits with
/// it (saying so when it is not 0); after `run -it` or `attach -it` the container's main
/// process has ended, kubectl says how to reattach (a pod that restarts it), and `run --rm`
/// deletes the pod.
fn end_session(world: &mut World, s: &crate::session::Session, code: i32, exited: bool) -> Output {
    let mut out = Output { exit_code: code, ..Output::default() };
    let r = ObjRef::new(Kind::Pod, &s.namespace, &s.pod);
    match &s.kind {
        crate::session::SessionKind::Exec => {
            if code != 0 {
                out.stderr = format!("command terminated with exit code {code}\n");
            }
        }
        crate::session::SessionKind::Attach { rm, quiet, run } => {
            if exited {
                let _ = world.end_process(&r, &s.container, code);
                world.run_due(crate::REACTION_BOUND);
            }
            out.exit_code = 0;
            // run.go: a pod that does not restart is waited for, and kubectl exits with its
            // container's code.
            let failed = match world.store().get_ref(&r) {
                Some(Object::Pod(p))
                    if *run
                        && p.spec.as_ref().and_then(|sp| sp.restart_policy.as_deref()) == Some("Never")
                        && p.status.as_ref().and_then(|st| st.phase.as_deref()) == Some("Failed") =>
                {
                    p.status
                        .as_ref()
                        .and_then(|st| st.container_statuses.as_ref())
                        .and_then(|c| c.first())
                        .and_then(|c| c.state.as_ref())
                        .and_then(|st| st.terminated.as_ref())
                        .map(|t| (t.exit_code, t.reason.clone().unwrap_or_default(), t.message.clone().unwrap_or_default()))
                }
                _ => None,
            };
            let always = match world.store().get_ref(&r) {
                Some(Object::Pod(p)) => {
                    p.spec.as_ref().and_then(|sp| sp.restart_policy.as_deref()).unwrap_or("Always") == "Always"
                }
                _ => false,
            };
            let ephemeral = match world.store().get_ref(&r) {
                Some(Object::Pod(p)) => p
                    .spec
                    .as_ref()
                    .and_then(|sp| sp.ephemeral_containers.as_ref())
                    .is_some_and(|e| e.iter().any(|c| c.name == s.container)),
                _ => false,
            };
            // attach.go's reattachMessage: only for a terminal, and a pod that restarts.
            if !quiet && s.tty && always {
                out.stdout.push_str(&if ephemeral {
                    format!(
                        "Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach {} -c {} -i -t' if it is still running\n",
                        s.pod, s.container
                    )
                } else {
                    format!(
                        "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running\n",
                        s.pod, s.container
                    )
                });
            }
            if *rm {
                let _ = world.delete(&r, kubeplay_sim::DeleteOptions::default());
                crate::wait_until_gone(world, std::slice::from_ref(&r));
                out.stdout.push_str(&format!("pod \"{}\" deleted from {} namespace\n", s.pod, s.namespace));
            }
            if let Some((code, reason, message)) = failed.filter(|(code, ..)| *code != 0) {
                out.stderr.push_str(&format!("pod {}/{} terminated ({reason})\n{message}", s.namespace, s.pod));
                if !out.stderr.ends_with('\n') {
                    out.stderr.push('\n');
                }
                out.exit_code = code;
            }
        }
    }
    out
}

/// `cat`, `touch`, `rm` and `mkdir` over the container's files, with busybox's or GNU
/// coreutils' error texts.
fn files_tool(world: &mut World, at: &InPod<'_>, tool: &str, args: &[String]) -> Output {
    let busybox = matches!(at.family, "busybox" | "alpine" | "curl");
    let Some(Object::Pod(pod)) = world.store().get_ref(&at.pod).cloned() else {
        return Output::err(format!("error: pod {} is gone\n", at.pod.name));
    };
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut out = Output::default();
    let fail = |out: &mut Output, msg: String| {
        out.stderr.push_str(&msg);
        out.exit_code = 1;
    };
    match tool {
        "cat" => {
            for p in paths {
                match kubeplay_sim::files::read(world, &pod, at.container, p) {
                    Some(text) => out.stdout.push_str(&text),
                    None if busybox => fail(&mut out, format!("cat: can't open '{p}': No such file or directory\n")),
                    None => fail(&mut out, format!("cat: {p}: No such file or directory\n")),
                }
            }
        }
        "touch" => {
            for p in paths {
                if let Err(e) = world.write_file(&at.pod, at.container, p, "", true) {
                    fail(&mut out, format!("touch: {e}\n"));
                }
            }
        }
        "rm" => {
            for p in paths {
                match world.remove_file(&at.pod, at.container, p) {
                    Ok(true) => {}
                    Ok(false) if args.iter().any(|a| a.starts_with('-') && a.contains('f')) => {}
                    Ok(false) if busybox => fail(&mut out, format!("rm: can't remove '{p}': No such file or directory\n")),
                    Ok(false) => fail(&mut out, format!("rm: cannot remove '{p}': No such file or directory\n")),
                    Err(e) => fail(&mut out, format!("rm: {e}\n")),
                }
            }
        }
        // Directories exist implicitly, as the paths of the files in them.
        _ => {}
    }
    out
}

/// A process a container sees (`ps`, `kill`): its PID, uid and command line, and the
/// container whose main process (or worker, `main: false`) it is.
struct Proc {
    pid: u32,
    uid: i64,
    cmd: String,
    container: Option<String>,
    main: bool,
    family: &'static str,
    /// On a terminal: a container with `tty: true`, or the exec session's.
    tty: bool,
    /// The parent's PID (0 for a container's first process).
    ppid: u32,
}

/// The processes `at`'s container sees. Without `shareProcessNamespace` its main process is
/// PID 1; with it the pod's `/pause` is, followed by every running container's main
/// process. kubeplay numbers the processes itself, so PIDs other than 1 differ from a real
/// node's. The second value is the uid the exec'd command runs as.
fn process_table(world: &World, at: &InPod<'_>) -> Option<(Vec<Proc>, i64)> {
    let Some(Object::Pod(pod)) = world.store().get_ref(&at.pod) else {
        return None;
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let shared = spec.share_process_namespace == Some(true);
    let mut procs: Vec<Proc> = Vec::new();
    if shared {
        // k3s's pause image runs as 65535.
        procs.push(Proc {
            pid: 1,
            uid: 65535,
            cmd: "/pause".into(),
            container: None,
            main: true,
            family: "pause",
            tty: false,
            ppid: 0,
        });
    }
    let rt = world.runtime(&at.pod);
    let running = |name: &str| {
        rt.and_then(|r| r.containers.get(name)).is_some_and(|c| matches!(c.state, kubeplay_sim::kubelet::CState::Running { .. }))
    };
    // Ephemeral containers (kubectl debug) join the pod's namespace as well; one with a
    // target joins that container's.
    let ephemeral = spec.ephemeral_containers.iter().flatten().map(kubeplay_sim::kubelet::ephemeral_as_container);
    let all: Vec<k8s_openapi::api::core::v1::Container> = spec.containers.iter().cloned().chain(ephemeral).collect();
    let target = spec
        .ephemeral_containers
        .iter()
        .flatten()
        .find(|e| e.name == at.container)
        .and_then(|e| e.target_container_name.clone())
        .filter(|t| !t.is_empty());
    for c in &all {
        let seen = shared || c.name == at.container || target.as_deref() == Some(c.name.as_str());
        if !seen || !running(&c.name) {
            continue;
        }
        let uid = kubeplay_sim::kubelet::container_user(pod, c).uid;
        let family = c.image.as_deref().and_then(|i| kubeplay_sim::images::lookup(i).ok()).map_or("", |i| i.family);
        let mut master = 0;
        for (worker, cmd) in main_processes(family, c).into_iter().enumerate() {
            let pid = if procs.is_empty() { 1 } else { 1 + 6 * u32::try_from(procs.len()).unwrap_or(0) };
            if worker == 0 {
                master = pid;
            }
            procs.push(Proc {
                tty: c.tty == Some(true),
                ppid: if worker == 0 { 0 } else { master },
                pid,
                // nginx's workers run as its `nginx` user (101).
                uid: if worker > 0 && family.starts_with("nginx") { 101 } else { uid },
                cmd,
                container: Some(c.name.clone()),
                main: worker == 0,
                family,
            });
        }
    }
    let me = all.iter().find(|c| c.name == at.container).map_or(0, |c| kubeplay_sim::kubelet::container_user(pod, c).uid);
    Some((procs, me))
}

/// busybox `ps`: the processes the container sees, in busybox's default columns (`PID
/// USER TIME COMMAND`), the `ps` itself last. kubeplay models no CPU time: TIME is 0:00.
fn ps(world: &World, at: &InPod<'_>, args: &[String]) -> Output {
    if let Some(o) = args.iter().find(|a| a.starts_with("-o") || a.starts_with("--")) {
        return Output {
            stderr: format!("kubeplay: busybox `ps {o}` is not simulated; plain `ps` (and `ps aux`) is\n"),
            exit_code: 1,
            ..Output::default()
        };
    }
    let Some((mut procs, me)) = process_table(world, at) else {
        return Output::err(format!("error: pod {} is gone\n", at.pod.name));
    };
    let mut cmd = String::from("ps");
    for a in args {
        cmd.push(' ');
        cmd.push_str(a);
    }
    let mut ppid = 0;
    if let Some(shell) = at.shell {
        let pid = 1 + 6 * u32::try_from(procs.len()).unwrap_or(0);
        procs.push(Proc { pid, uid: me, cmd: shell.to_string(), container: None, main: false, family: "", tty: true, ppid: 0 });
        ppid = pid;
    }
    if at.attached {
        // The container's own shell is the parent, on this terminal.
        if let Some(p) = procs.iter_mut().find(|p| p.main && p.container.as_deref() == Some(at.container)) {
            p.tty = true;
            ppid = p.pid;
        }
    }
    let pid = 1 + 6 * u32::try_from(procs.len()).unwrap_or(0);
    let tty = at.shell.is_some() || at.attached;
    procs.push(Proc { pid, uid: me, cmd, container: None, main: false, family: "", tty, ppid });
    if at.family == "ubuntu" {
        return procps(world, &procs, args);
    }
    let user_name = |uid: i64| match uid {
        0 => "root".to_string(),
        65534 => "nobody".to_string(),
        n => n.to_string(),
    };
    let mut out = String::from("PID   USER     TIME  COMMAND\n");
    for p in &procs {
        out.push_str(&format!("{:>5} {:<8} {:>5} {}\n", p.pid, user_name(p.uid), "0:00", p.cmd));
    }
    Output::ok(out)
}

/// procps-ng's `ps` (Ubuntu): the default (this terminal's processes: `PID TTY TIME CMD`),
/// BSD `x`/`ax` (`PID TTY STAT TIME COMMAND`) and `-e`/`-ef`. kubeplay models no CPU
/// time; the last process is the `ps` itself.
fn procps(world: &World, procs: &[Proc], args: &[String]) -> Output {
    let flags: String = args.concat();
    let user_name = |uid: i64| match uid {
        0 => "root".to_string(),
        65534 => "nobody".to_string(),
        n => n.to_string(),
    };
    let tty = |p: &Proc| if p.tty { "pts/0" } else { "?" };
    let ps_itself = |p: &Proc| p.container.is_none() && p.family.is_empty() && p.ppid != 0;
    // The terminal ps runs on, and so the processes plain `ps` shows: the ps's parent
    // (the session's shell) and the ps.
    let parent = procs.last().map_or(0, |p| p.ppid);
    let stat = |p: &Proc| {
        if ps_itself(p) {
            // In the foreground of its terminal, or leading its own session.
            if p.tty {
                "R+"
            } else {
                "Rs"
            }
        } else if p.ppid == 0 {
            // A session leader; `+` while it holds its terminal's foreground.
            if p.tty && p.container.is_some() && p.pid != parent {
                "Ss+"
            } else {
                "Ss"
            }
        } else {
            "S"
        }
    };
    let mut out = String::new();
    match flags.trim_start_matches('-') {
        "" => {
            out.push_str("    PID TTY          TIME CMD\n");
            for p in procs.iter().filter(|p| ps_itself(p) || (parent != 0 && p.pid == parent)) {
                let name = p.cmd.split_whitespace().next().unwrap_or("").rsplit('/').next().unwrap_or("");
                out.push_str(&format!("{:>7} {:<8} 00:00:00 {name}\n", p.pid, tty(p)));
            }
        }
        "x" | "ax" | "xa" => {
            out.push_str("    PID TTY      STAT   TIME COMMAND\n");
            for p in procs {
                out.push_str(&format!("{:>7} {:<8} {:<4}   0:00 {}\n", p.pid, tty(p), stat(p), p.cmd));
            }
        }
        "e" | "A" | "ef" | "eF" if !flags.contains('F') => {
            let full = flags.contains('f');
            let stime = kubeplay_sim::world::time_at(world.now_ms()).0.strftime("%H:%M").to_string();
            if full {
                out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            } else {
                out.push_str("    PID TTY          TIME CMD\n");
            }
            for p in procs {
                if full {
                    out.push_str(&format!(
                        "{:<8} {:>7} {:>7}  0 {stime} {:<8} 00:00:00 {}\n",
                        user_name(p.uid),
                        p.pid,
                        p.ppid,
                        tty(p),
                        p.cmd
                    ));
                } else {
                    let name = p.cmd.split_whitespace().next().unwrap_or("").rsplit('/').next().unwrap_or("");
                    out.push_str(&format!("{:>7} {:<8} 00:00:00 {name}\n", p.pid, tty(p)));
                }
            }
        }
        _ => {
            return Output {
                stderr: format!(
                    "kubeplay: procps `ps {}` is not simulated; `ps`, `ps x`, `ps ax`, `ps -e` and `ps -ef` are\n",
                    args.join(" ")
                ),
                exit_code: 1,
                ..Output::default()
            }
        }
    }
    Output::ok(out)
}

/// The command lines `ps` shows for a container's main process (and its workers): the
/// container's command and args, with a `sh -c` of one simple command shown as that
/// command (the shell execs it), else what the image runs.
fn main_processes(family: &str, c: &k8s_openapi::api::core::v1::Container) -> Vec<String> {
    let argv: Vec<String> = c.command.iter().flatten().chain(c.args.iter().flatten()).cloned().collect();
    if c.command.is_some() {
        let shell = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a));
        if matches!(shell, Some("sh" | "ash" | "bash")) && argv.get(1).map(String::as_str) == Some("-c") {
            let script = argv.get(2).cloned().unwrap_or_default();
            let simple = !script.contains([';', '&', '|', '\n', '$', '(', '`', '>', '<']);
            return vec![if simple { script.trim().to_string() } else { argv.join(" ") }];
        }
        return vec![argv.join(" ")];
    }
    let args = argv.join(" ");
    match family {
        "nginx" | "nginx-slim" => vec!["nginx: master process nginx -g daemon off;".into(), "nginx: worker process".into()],
        "busybox" | "alpine" | "curl" | "bash" => vec![if args.is_empty() { "sh".into() } else { args }],
        "redis" | "gb-redis-follower" => vec!["redis-server *:6379".into()],
        "wordpress" | "gb-frontend" => vec!["apache2 -DFOREGROUND".into()],
        "mongo" => vec!["mongod --bind_ip_all".into()],
        "pause" => vec!["/pause".into()],
        // hello-app's Dockerfile: `WORKDIR /app`, `CMD ["./hello-app"]`.
        "hello-app" | "hello-app-2" => vec!["./hello-app".into()],
        "ubuntu" | "debian" => vec![if args.is_empty() { "/bin/bash".into() } else { args }],
        other => vec![if args.is_empty() { other.to_string() } else { format!("{other} {args}") }],
    }
}

/// The container a command runs in.
pub struct InPod<'a> {
    pub pod: ObjRef,
    pub container: &'a str,
    pub family: &'a str,
    pub image_tag: &'a str,
    /// The command comes from a shell script (`sh -c`), not straight from `kubectl exec`.
    pub via_shell: bool,
    /// The interactive shell (`kubectl exec -it POD -- sh`) the command was typed into.
    pub shell: Option<&'a str>,
    /// Typed into the container's own shell (`kubectl run -it`, `attach -it`), on its
    /// terminal.
    pub attached: bool,
    /// Its standard output is a terminal (`-it`): `ls` lists in columns.
    pub tty: bool,
}

/// What a script run through `kubectl exec` sees: the container's files, and the world's
/// network for `curl`, `wget` and `nslookup`.
struct ExecHost<'a, 'b> {
    world: &'a mut World,
    from: &'a Source,
    at: &'a InPod<'b>,
    env: &'a BTreeMap<String, String>,
    pod: k8s_openapi::api::core::v1::Pod,
}

impl kubeplay_sim::shell::Host for ExecHost<'_, '_> {
    fn image_tag(&self) -> &str {
        self.at.image_tag
    }
    fn read(&self, path: &str) -> Option<String> {
        kubeplay_sim::files::read(self.world, &self.pod, self.at.container, path)
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        kubeplay_sim::files::list(self.world, &self.pod, self.at.container, dir)
    }
    fn has_wget(&self) -> bool {
        kubeplay_sim::images::has_tool(self.at.family, "wget")
    }
    fn http_get(&mut self, url: &str) -> Result<kubeplay_sim::shell::HttpAnswer, String> {
        // busybox wget's request headers.
        let headers = [("User-Agent".to_string(), "Wget".to_string()), ("Connection".to_string(), "close".to_string())];
        let got = http_request(self.world, self.from, url, &headers);
        kubeplay_sim::net::wget_answer(self.world, self.from, url, got)
    }
    fn partial(&self, dir: &str) -> bool {
        kubeplay_sim::files::listing_is_partial(self.world, &self.pod, self.at.container, dir)
    }
    fn stat(&self, path: &str) -> Option<kubeplay_sim::files::Stat> {
        kubeplay_sim::files::stat(self.world, &self.pod, self.at.container, path)
    }
    fn external(&mut self, argv: &[String], _stdin: &str) -> Option<(String, String, i32)> {
        let at = InPod {
            pod: self.at.pod.clone(),
            container: self.at.container,
            family: self.at.family,
            image_tag: self.at.image_tag,
            via_shell: true,
            shell: self.at.shell,
            attached: self.at.attached,
            tty: self.at.tty,
        };
        let o = run_in_container(self.world, self.from, &at, self.env, argv);
        Some((o.stdout, o.stderr, o.exit_code))
    }
    fn kill_main(&mut self, sigkill: bool) -> Result<(), String> {
        self.world.signal_main(&self.at.pod, self.at.container, sigkill)
    }
    fn kill_pid(&mut self, pid: u32, signal: &str) -> Option<Result<(), String>> {
        let (procs, _) = process_table(self.world, self.at)?;
        let p = procs.into_iter().find(|p| p.pid == pid)?;
        // In its own namespace PID 1 is the container's main process, as before.
        let container = p.container.filter(|_| pid != 1)?;
        if !p.main {
            // A worker: its master starts another.
            return Some(Ok(()));
        }
        let nginx = p.family.starts_with("nginx");
        // Signals outside PID 1 take their default action: the process ends with 128+N,
        // except that nginx reloads on HUP (and QUIT is its graceful stop), and servers
        // shut down cleanly on TERM.
        let code = match signal {
            "HUP" if nginx => return Some(Ok(())),
            "QUIT" if nginx => 0,
            "TERM" if kubeplay_sim::images::exits_cleanly_on_term(p.family) => 0,
            "HUP" => 129,
            "INT" => 130,
            "QUIT" => 131,
            "KILL" => 137,
            "USR1" => 138,
            "USR2" => 140,
            "TERM" => 143,
            // CHLD, WINCH, CONT, ... are ignored by default.
            _ => return Some(Ok(())),
        };
        Some(self.world.end_process(&self.at.pod, &container, code).map_err(|e| format!("can't kill pid {pid}: {e}")))
    }
}

/// A shell script in a container (`sh -c '...'`), run by kubeplay's shell (`shell.rs`);
/// the files it writes are stored in the container's filesystem or volumes afterwards.
fn run_script(world: &mut World, from: &Source, at: &InPod<'_>, env: &BTreeMap<String, String>, script: &str) -> Output {
    script_in(world, from, at, env, (None, 0, at.tty, ""), script).0
}

/// [`run_script`] from working directory `cwd` (else the container's), also returning
/// the shell's state at the end, for an interactive session's next line.
fn script_in(
    world: &mut World,
    from: &Source,
    at: &InPod<'_>,
    env: &BTreeMap<String, String>,
    (cwd, last_status, tty, stdin): (Option<&str>, i32, bool, &str),
    script: &str,
) -> (Output, kubeplay_sim::shell::ScriptRun) {
    let Some(Object::Pod(pod)) = world.store().get_ref(&at.pod).cloned() else {
        return (Output::err(format!("error: pod {} is gone\n", at.pod.name)), Default::default());
    };
    let start_unix_ms = kubeplay_sim::world::EPOCH_UNIX_MS.saturating_add(i64::try_from(world.now_ms()).unwrap_or(0));
    let c = pod
        .spec
        .as_ref()
        .and_then(|s| s.containers.iter().chain(s.init_containers.iter().flatten()).find(|c| c.name == at.container));
    let ctx = kubeplay_sim::shell::Ctx {
        env,
        start_unix_ms,
        dash: kubeplay_sim::images::shell_is_dash(at.family),
        user: c.map(|c| kubeplay_sim::kubelet::container_user(&pod, c)).unwrap_or_default(),
        workdir: match cwd {
            Some(d) => d.to_string(),
            None => c.map(|c| kubeplay_sim::kubelet::container_workdir(c, at.family)).unwrap_or_default(),
        },
        tty,
    };
    let mut run = {
        let mut host = ExecHost { world, from, at, env, pod: *pod };
        kubeplay_sim::shell::run_line(script, &ctx, &mut host, last_status, stdin)
    };
    let mut out = Output {
        stdout: std::mem::take(&mut run.stdout),
        stderr: std::mem::take(&mut run.stderr),
        exit_code: run.status,
        ..Output::default()
    };
    for (path, text) in std::mem::take(&mut run.writes) {
        let stored = match &text {
            Some(t) => world.write_file(&at.pod, at.container, &path, t, false),
            None => world.remove_file(&at.pod, at.container, &path).map(|_| ()),
        };
        if let Err(e) = stored {
            out.stderr.push_str(&format!("sh: {e}\n"));
            out.exit_code = 1;
        }
    }
    (out, run)
}

/// containerd's error when the program to exec is not in the image: runc looks a bare name
/// up in $PATH and stats an absolute path; the message names the exec's 64-hex ID.
fn not_in_image(world: &World, at: &InPod<'_>, argv0: &str) -> Output {
    let id = kubeplay_sim::images::container_id(&format!("exec/{}/{}/{}/{argv0}", at.pod.name, at.container, world.now_ms()));
    let id = id.trim_start_matches("containerd://");
    Output::err(format!(
        "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec {id:?}: OCI runtime exec failed: exec failed: unable to start container process: {}: unknown\n",
        kubeplay_sim::images::exec_not_found(argv0)
    ))
}

/// Runs one command line inside a container.
pub fn run_in_container(
    world: &mut World,
    from: &Source,
    at: &InPod<'_>,
    env: &BTreeMap<String, String>,
    cmd: &[String],
) -> Output {
    let (family, image_tag, pod) = (at.family, at.image_tag, at.pod.name.as_str());
    let shell = cmd[0].rsplit('/').next().unwrap_or(&cmd[0]);
    if matches!(shell, "sh" | "ash" | "bash") && cmd.get(1).map(String::as_str) == Some("-c") {
        if !kubeplay_sim::images::has_tool(family, shell) {
            return not_in_image(world, at, &cmd[0]);
        }
        let script = cmd.get(2).cloned().unwrap_or_default();
        return run_script(world, from, at, env, &script);
    }
    let tool = cmd[0].rsplit('/').next().unwrap_or(&cmd[0]).to_string();
    // `kubectl exec -it POD -- sh`: a shell reading the keyboard, which kubeplay has not.
    if matches!(tool.as_str(), "sh" | "ash" | "bash") && cmd.len() == 1 && kubeplay_sim::images::has_tool(family, &tool) {
        return Output {
            stderr: format!(
                "kubeplay: interactive shells are not simulated; run one command at a time: kubectl exec {pod} -- {tool} -c 'COMMAND'\n"
            ),
            exit_code: 0,
            ..Output::default()
        };
    }
    let shell_program = (kubeplay_sim::shell::PROGRAMS.contains(&tool.as_str()) || tool == "wget")
        && kubeplay_sim::images::has_tool(family, "sh")
        && (tool != "wget" || kubeplay_sim::images::has_tool(family, "wget"));
    if !kubeplay_sim::images::has_tool(family, &tool) && !shell_program {
        // Inside a shell script the shell says so; a direct exec fails in the runtime.
        if !kubeplay_sim::images::knows_tool(&tool) && kubeplay_sim::shell::UNSIMULATED_TOOLS.contains(&tool.as_str()) {
            // A real program kubeplay does not model: say so rather than claim it is missing.
            return Output {
                stderr: format!("kubeplay: `{tool}` inside a container is not simulated yet\n"),
                exit_code: 1,
                ..Output::default()
            };
        }
        if at.via_shell {
            return Output { stderr: format!("sh: {tool}: not found\n"), exit_code: 127, ..Output::default() };
        }
        return not_in_image(world, at, &cmd[0]);
    }
    let rest = &cmd[1..];
    // Programs the container shell implements as busybox or coreutils do: run them there.
    let direct =
        matches!(tool.as_str(), "curl" | "nslookup" | "printenv" | "env" | "echo" | "date" | "cat" | "touch" | "rm" | "mkdir");
    // `ls` is the shell's applet in every image that has one (`-l` included); the shell
    // also answers `nginx -v`, `-t` and `-s`.
    if (shell_program || tool == "ls" || tool == "nginx") && !direct {
        let line: Vec<String> =
            std::iter::once(tool.clone()).chain(rest.iter().map(|w| format!("'{}'", w.replace('\'', "'\\''")))).collect();
        return run_script(world, from, at, env, &line.join(" "));
    }
    match tool.as_str() {
        "curl" => curl(world, from, rest, None),
        "nslookup" => {
            let name = rest.first().cloned().unwrap_or_default();
            let (text, code) =
                kubeplay_sim::net::nslookup(world, from, &name, kubeplay_sim::images::nslookup_style(family, image_tag));
            Output { stdout: text, exit_code: code, ..Output::default() }
        }
        "printenv" if !rest.is_empty() => {
            let vals: Vec<String> = rest.iter().filter_map(|k| env.get(k).cloned()).collect();
            if vals.is_empty() {
                return Output { exit_code: 1, ..Output::default() };
            }
            Output::ok(vals.iter().map(|v| format!("{v}\n")).collect())
        }
        "env" | "printenv" => Output::ok(kubeplay_sim::images::environ(env)),
        "hostname" => Output::ok(format!("{pod}\n")),
        "echo" => {
            // The shell expands $VAR and ${VAR} from the container's environment.
            let words: Vec<String> = rest.iter().map(|w| kubeplay_sim::images::shell_expand(w, env)).collect();
            Output::ok(format!("{}\n", words.join(" ")))
        }
        "date" => {
            Output::ok(format!("{}\n", kubeplay_sim::world::time_at(world.now_ms()).0.strftime("%a %b %e %H:%M:%S UTC %Y")))
        }
        "cat" | "touch" | "rm" | "mkdir" => files_tool(world, at, &tool, rest),
        "ps" => ps(world, at, rest),
        other => Output {
            stderr: format!("kubeplay: `{other}` inside a container is not simulated yet\n"),
            exit_code: 1,
            ..Output::default()
        },
    }
}
