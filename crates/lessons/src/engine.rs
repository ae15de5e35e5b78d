//! The lesson engine: (lesson, step, learner input, seed) → verdict. It builds the starting
//! cluster, replays the earlier steps' reference solutions, applies the learner's input,
//! lets the cluster settle within the step's virtual-time bound, and judges the converged
//! state with the step's checks, explaining each failure in the learner's terms.

use crate::format::{Answer, Check, Lesson, Step};
use kubeplay_kubectl::{Env, Files};
use kubeplay_sim::selectors::Selector;
use kubeplay_sim::{Kind, ObjRef, Object, World};
use std::collections::BTreeMap;

/// The result of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    pub description: String,
    pub pass: bool,
    /// Why it failed, with the likely cause when one can be seen.
    pub explanation: String,
}

/// The verdict on a learner's answer.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub passed: bool,
    pub checks: Vec<CheckResult>,
    /// What the learner's commands printed.
    pub transcript: String,
    /// The settled cluster, for display.
    pub world: World,
}

/// The most simulation events a step may take to settle.
const EVENT_BOUND: u64 = 2_000_000;

struct LessonFiles<'a>(&'a BTreeMap<String, String>);

impl Files for LessonFiles<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path.trim_start_matches("./")).cloned().ok_or_else(|| format!("the path {path:?} does not exist"))
    }
}

pub use kubeplay_sim::world::parse_duration;

/// Runs terminal lines (`kubectl ...`, `sleep 30s`, `settle`) and returns the transcript.
pub fn run_lines(world: &mut World, lines: &[String], yaml: Option<&str>, files: &BTreeMap<String, String>) -> String {
    let mut shell = kubeplay_kubectl::shell::Shell::default();
    run_lines_in(&mut shell, world, lines, yaml, files)
}

/// [`run_lines`] in a given shell, whose variables and open container session (`kubectl
/// exec -it POD -- sh`) carry over from the lines before.
fn run_lines_in(
    shell: &mut kubeplay_kubectl::shell::Shell,
    world: &mut World,
    lines: &[String],
    yaml: Option<&str>,
    files: &BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let files = LessonFiles(files);
    for line in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push_str(&format!("{}{line}\n", shell.prompt()));
        let env = Env { files: &files, stdin: yaml };
        out.push_str(&shell.run(world, line, &env).combined());
    }
    out
}

/// Applies an answer: its YAML (as `kubectl apply -f -`), then its commands.
pub fn apply_answer(world: &mut World, answer: &Answer, files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    if let Some(y) = &answer.yaml {
        out.push_str(&run_lines(world, &["kubectl apply -f -".to_string()], Some(y), files));
    }
    out.push_str(&run_lines(world, &answer.commands, answer.yaml.as_deref(), files));
    out
}

type PreparedKey = (String, usize, u64, u64);

thread_local! {
    /// Prepared worlds by (lesson id, step, seed, lesson fingerprint). Preparing is a pure
    /// function of those, so a clone of a cached world is the same world, bit for bit; the
    /// cache only saves re-running boot, setup and earlier steps on every check.
    static PREPARED: std::cell::RefCell<BTreeMap<PreparedKey, World>> = const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// How many prepared worlds are kept.
const PREPARED_CAP: usize = 24;

/// The cluster as the learner finds it at `step`: setup run, earlier steps solved.
pub fn prepare(lesson: &Lesson, step: usize, seed: Option<u64>) -> World {
    let seed_v = seed.unwrap_or(lesson.cluster.seed);
    let fingerprint = {
        use std::hash::Hasher;
        let mut h = fnv::FnvHasher::default();
        h.write(format!("{lesson:?}").as_bytes());
        h.finish()
    };
    let key = (lesson.id.clone(), step, seed_v, fingerprint);
    if let Some(w) = PREPARED.with(|c| c.borrow().get(&key).cloned()) {
        return w;
    }
    let world = prepare_uncached(lesson, step, seed);
    PREPARED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= PREPARED_CAP {
            c.clear();
        }
        c.insert(key, world.clone());
    });
    world
}

fn prepare_uncached(lesson: &Lesson, step: usize, seed: Option<u64>) -> World {
    let topo = kubeplay_sim::topology::Topology::of_size(lesson.cluster.nodes).with_ingress(lesson.cluster.ingress.controller());
    let mut world = World::with_topology(seed.unwrap_or(lesson.cluster.seed), &topo);
    run_lines(&mut world, &lesson.setup, None, &lesson.files);
    world.run_until_settled(EVENT_BOUND);
    for s in lesson.steps.iter().take(step) {
        if let Some(sol) = s.solutions.first() {
            apply_answer(&mut world, sol, &lesson.files);
            world.run_until_settled(EVENT_BOUND);
        }
    }
    world
}

/// Lets the cluster settle within `bound_ms` of virtual time. Returns whether it did.
pub fn settle_within(world: &mut World, bound_ms: u64) -> bool {
    let end = world.now_ms() + bound_ms;
    let mut n = 0;
    while n < EVENT_BOUND {
        match world.next_deadline() {
            Some(t) if t <= world.now_ms() + kubeplay_sim::world::SETTLE_QUIET_MS => {
                if t > end {
                    return false;
                }
                world.step();
                n += 1;
            }
            _ => return true,
        }
    }
    false
}

/// Judges what a learner did in the playground: terminal lines in order, each with the
/// editor text it could read as `-f -`.
pub fn check_recorded(lesson: &Lesson, step: usize, lines: &[(String, Option<String>)], seed: Option<u64>) -> Verdict {
    let mut world = prepare(lesson, step, seed);
    let mut transcript = String::new();
    let mut shell = kubeplay_kubectl::shell::Shell::default();
    for (line, stdin) in lines {
        transcript.push_str(&run_lines_in(&mut shell, &mut world, std::slice::from_ref(line), stdin.as_deref(), &lesson.files));
    }
    judge(lesson, step, world, transcript)
}

fn judge(lesson: &Lesson, step: usize, mut world: World, transcript: String) -> Verdict {
    let Some(s) = lesson.steps.get(step) else {
        return Verdict {
            passed: false,
            checks: vec![CheckResult {
                description: format!("step {} exists", step + 1),
                pass: false,
                explanation: "no such step".into(),
            }],
            transcript,
            world,
        };
    };
    let bound = s.settle.as_deref().and_then(parse_duration).unwrap_or(300_000);
    let settled = settle_within(&mut world, bound);
    let mut checks = evaluate(&world, s);
    if !settled {
        checks.push(CheckResult {
            description: format!("the cluster settles within {}", s.settle.clone().unwrap_or_else(|| "5m".into())),
            pass: false,
            explanation: "the cluster was still changing when time ran out: something keeps restarting or waiting".into(),
        });
    }
    let passed = checks.iter().all(|c| c.pass);
    Verdict { passed, checks, transcript, world }
}

/// Judges `answer` for `lesson`'s step `step`.
pub fn check(lesson: &Lesson, step: usize, answer: &Answer, seed: Option<u64>) -> Verdict {
    let mut world = prepare(lesson, step, seed);
    let transcript = apply_answer(&mut world, answer, &lesson.files);
    judge(lesson, step, world, transcript)
}

fn kind_of(name: &str) -> Option<Kind> {
    Kind::from_resource_name(name)
}

/// Evaluates a step's checks against a (settled) world.
pub fn evaluate(world: &World, step: &Step) -> Vec<CheckResult> {
    step.checks.iter().map(|c| evaluate_one(world, c)).collect()
}

/// One line of a step's goal, judged against the live cluster as the learner works.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalItem {
    pub description: String,
    /// `None` for checks that send traffic (a live view would send hundreds of requests a
    /// second); they are judged by "Check".
    pub pass: Option<bool>,
    pub explanation: String,
}

/// The step's goal against the live (unsettled) cluster: the state checks judged now,
/// the traffic checks described and left to "Check". This is what the page shows beside
/// the cluster, so what is missing is visible before the learner asks.
pub fn goal(world: &World, step: &Step) -> Vec<GoalItem> {
    step.checks
        .iter()
        .map(|c| match c {
            Check::Share(s) => GoalItem { description: share_description(s), pass: None, explanation: String::new() },
            Check::Http(h) => GoalItem { description: http_description(h), pass: None, explanation: String::new() },
            other => {
                let r = evaluate_one(world, other);
                GoalItem { description: r.description, pass: Some(r.pass), explanation: r.explanation }
            }
        })
        .collect()
}

fn http_description(h: &crate::format::HttpCheck) -> String {
    format!("GET {}{} answers {}", h.url, headers_text(&h.host, &h.headers), h.status)
}

fn share_description(c: &crate::format::ShareCheck) -> String {
    format!(
        "{}% to {}% of GET {}{} are answered by pods with {}",
        percent_text(c.min_percent),
        percent_text(c.max_percent),
        c.url,
        headers_text(&c.host, &c.headers),
        c.selector
    )
}

/// One step of a field path: a key, or a list index.
#[derive(Debug, PartialEq, Eq)]
enum PathPart {
    Key(String),
    Index(usize),
}

/// Splits a field path: `spec.containers[0].image`, and keys that contain dots in brackets,
/// `metadata.annotations[nginx.ingress.kubernetes.io/canary-weight]` (quotes optional).
fn parse_path(path: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut name = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' | '[' => {
                if !name.is_empty() {
                    parts.push(PathPart::Key(std::mem::take(&mut name)));
                }
                if c == '[' {
                    let inner: String = chars.by_ref().take_while(|&x| x != ']').collect();
                    let inner = inner.trim().trim_matches(|x| x == '"' || x == '\'');
                    parts.push(match inner.parse::<usize>() {
                        Ok(i) => PathPart::Index(i),
                        Err(_) => PathPart::Key(inner.to_string()),
                    });
                }
            }
            _ => name.push(c),
        }
    }
    if !name.is_empty() {
        parts.push(PathPart::Key(name));
    }
    parts
}

fn get_field<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    parse_path(path).iter().try_fold(v, |cur, part| match part {
        PathPart::Key(k) => cur.get(k.as_str()),
        PathPart::Index(i) => cur.get(i),
    })
}

/// A check's request headers: `Host` (when given), then the others.
fn request_headers(host: &Option<String>, headers: &BTreeMap<String, String>) -> Vec<(String, String)> {
    host.iter().map(|h| ("Host".to_string(), h.clone())).chain(headers.iter().map(|(k, v)| (k.clone(), v.clone()))).collect()
}

/// `host` and extra headers, as a check's description shows them: ` (Host: a, X-Canary: always)`.
fn headers_text(host: &Option<String>, headers: &BTreeMap<String, String>) -> String {
    let all: Vec<String> = request_headers(host, headers).iter().map(|(k, v)| format!("{k}: {v}")).collect();
    if all.is_empty() {
        String::new()
    } else {
        format!(" ({})", all.join(", "))
    }
}

/// An answer's body as a verdict quotes it: an HTML error page (nginx's) by its title.
fn body_text(body: &str) -> &str {
    body.split_once("<title>").and_then(|(_, rest)| rest.split_once("</title>")).map_or(body.trim(), |(title, _)| title.trim())
}

/// A percentage without a needless `.0`: `10`, `9.5`.
fn percent_text(p: f64) -> String {
    let t = format!("{p:.1}");
    t.strip_suffix(".0").map(str::to_string).unwrap_or(t)
}

fn yaml_to_json(v: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn values_equal(actual: &serde_json::Value, expected: &serde_json::Value) -> bool {
    match (actual, expected) {
        (serde_json::Value::String(a), serde_json::Value::Number(b))
        | (serde_json::Value::Number(b), serde_json::Value::String(a)) => *a == b.to_string(),
        _ => actual == expected,
    }
}

pub use kubeplay_kubectl::why::diagnose_pod;
use kubeplay_kubectl::why::labels_text;

/// The pods in `ns` matching a lesson's label selector, not terminating.
fn selected_pods<'a>(world: &'a World, ns: &'a str, selector: &str) -> Result<Vec<&'a k8s_openapi::api::core::v1::Pod>, String> {
    let sel = Selector::parse(selector).map_err(|e| format!("bad selector in lesson: {e}"))?;
    Ok(world
        .store()
        .list(Kind::Pod, Some(ns))
        .filter_map(|o| match o {
            Object::Pod(x)
                if x.metadata.deletion_timestamp.is_none()
                    && sel.matches(x.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())) =>
            {
                Some(&**x)
            }
            _ => None,
        })
        .collect())
}

fn evaluate_one(world: &World, c: &Check) -> CheckResult {
    let ns_of = |n: &Option<String>| n.clone().unwrap_or_else(|| "default".into());
    match c {
        Check::Exists(o) => {
            let desc = format!("{} {} exists", o.kind.to_lowercase(), o.name);
            let Some(kind) = kind_of(&o.kind) else {
                return CheckResult { description: desc, pass: false, explanation: format!("unknown kind {}", o.kind) };
            };
            let ns = if kind.info().namespaced { ns_of(&o.namespace) } else { String::new() };
            let Some(obj) = world.get(kind, &ns, &o.name) else {
                let others: Vec<String> = world
                    .store()
                    .list(kind, if kind.info().namespaced { Some(ns.as_str()) } else { None })
                    .filter_map(|x| x.meta().name.clone())
                    .collect();
                let hint = if others.is_empty() { String::new() } else { format!(" (found: {})", others.join(", ")) };
                return CheckResult {
                    description: desc,
                    pass: false,
                    explanation: format!("there is no {} named {}{hint}", o.kind.to_lowercase(), o.name),
                };
            };
            let v = obj.to_value();
            let mut problems = Vec::new();
            for (path, want) in &o.fields {
                let want = yaml_to_json(want);
                match get_field(&v, path) {
                    Some(got) if values_equal(got, &want) => {}
                    Some(got) => problems.push(format!("{path} is {got}, expected {want}")),
                    None => problems.push(format!("{path} is not set, expected {want}")),
                }
            }
            let desc = if o.fields.is_empty() {
                desc
            } else {
                let f: Vec<String> = o.fields.iter().map(|(k, v)| format!("{k} = {}", yaml_to_json(v))).collect();
                format!("{desc} with {}", f.join(", "))
            };
            CheckResult {
                description: desc,
                pass: problems.is_empty(),
                explanation: format!("{} {}: {}", o.kind.to_lowercase(), o.name, problems.join("; ")),
            }
        }
        Check::Absent(o) => {
            let desc = format!("{} {} is gone", o.kind.to_lowercase(), o.name);
            let kind = kind_of(&o.kind);
            let ns = ns_of(&o.namespace);
            let present = kind.is_some_and(|k| world.get(k, if k.info().namespaced { &ns } else { "" }, &o.name).is_some());
            CheckResult {
                description: desc,
                pass: !present,
                explanation: format!("{} {} still exists", o.kind.to_lowercase(), o.name),
            }
        }
        Check::Pods(p) => {
            let ns = ns_of(&p.namespace);
            let mut desc = String::new();
            if let Some(n) = p.count {
                desc.push_str(&format!("{n} pod(s)"));
            }
            if let Some(n) = p.running {
                desc.push_str(&format!("{}{n} Running", if desc.is_empty() { "" } else { ", " }));
            }
            if let Some(n) = p.ready {
                desc.push_str(&format!("{}{n} Ready", if desc.is_empty() { "" } else { ", " }));
            }
            if let (Some(s), Some(n)) = (&p.status, p.status_count) {
                desc.push_str(&format!("{}{n} {s}", if desc.is_empty() { "" } else { ", " }));
            }
            desc.push_str(&format!(" with {}", p.selector));
            if let Some(img) = &p.image {
                desc.push_str(&format!(" running {img}"));
            }
            let pods = match selected_pods(world, &ns, &p.selector) {
                Ok(pods) => pods,
                Err(e) => return CheckResult { description: desc, pass: false, explanation: e },
            };
            let now = world.now_ms();
            let statuses: Vec<(String, String)> = pods
                .iter()
                .map(|x| {
                    let (ready, status, _) = kubeplay_kubectl::pod_status(x, now);
                    (ready, status)
                })
                .collect();
            let running = statuses.iter().filter(|(_, s)| s == "Running").count() as u32;
            let ready =
                statuses.iter().filter(|(r, _)| r.split_once('/').is_some_and(|(a, b)| a == b && a != "0")).count() as u32;
            let with_status = p.status.as_ref().map(|s| statuses.iter().filter(|(_, x)| x == s).count() as u32);
            let mut problems = Vec::new();
            if let Some(n) = p.count {
                if pods.len() as u32 != n {
                    problems.push(format!("{} pod(s) match {}, expected {n}", pods.len(), p.selector));
                }
            }
            if let Some(n) = p.running {
                if running != n {
                    problems.push(format!("{running} Running, expected {n}"));
                }
            }
            if let Some(n) = p.ready {
                if ready != n {
                    problems.push(format!("{ready} Ready, expected {n}"));
                }
            }
            if let (Some(s), Some(n), Some(got)) = (&p.status, p.status_count, with_status) {
                if got != n {
                    problems.push(format!("{got} {s}, expected {n}"));
                }
            }
            if let Some(img) = &p.image {
                let wrong: Vec<String> = pods
                    .iter()
                    .filter(|x| {
                        x.spec.as_ref().is_some_and(|s| s.containers.iter().any(|c| c.image.as_deref() != Some(img.as_str())))
                    })
                    .filter_map(|x| x.metadata.name.clone())
                    .collect();
                if !wrong.is_empty() {
                    problems.push(format!("pods not running {img}: {}", wrong.join(", ")));
                }
            }
            if !problems.is_empty() {
                // Likely causes: pods that exist but are unhealthy, or labels that differ.
                for x in &pods {
                    let (r, s, _) = kubeplay_kubectl::pod_status(x, now);
                    let healthy = s == "Running" && r.split_once('/').is_some_and(|(a, b)| a == b);
                    if !healthy && s != "Completed" {
                        problems.push(diagnose_pod(world, x));
                    }
                }
                if pods.is_empty() {
                    let others: Vec<String> = world
                        .store()
                        .list(Kind::Pod, Some(&ns))
                        .map(|o| {
                            format!("{} ({})", o.meta().name.clone().unwrap_or_default(), labels_text(o.meta().labels.as_ref()))
                        })
                        .collect();
                    if !others.is_empty() {
                        problems.push(format!("no pod is labelled {}; the pods here are: {}", p.selector, others.join(", ")));
                    }
                }
            }
            CheckResult { description: desc, pass: problems.is_empty(), explanation: problems.join("; ") }
        }
        Check::RolloutComplete(o) => {
            let ns = ns_of(&o.namespace);
            let desc = format!("deployment {} has rolled out", o.name);
            let Some(Object::Deployment(d)) = world.get(Kind::Deployment, &ns, &o.name) else {
                return CheckResult {
                    description: desc,
                    pass: false,
                    explanation: format!("there is no deployment named {}", o.name),
                };
            };
            let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            let st = d.status.clone().unwrap_or_default();
            let done = st.updated_replicas.unwrap_or(0) == want
                && st.replicas.unwrap_or(0) == want
                && st.available_replicas.unwrap_or(0) == want;
            let mut why = format!(
                "{} of {want} replicas updated, {} available",
                st.updated_replicas.unwrap_or(0),
                st.available_replicas.unwrap_or(0)
            );
            if !done {
                let sel = Selector::from_label_selector(&d.spec.clone().unwrap_or_default().selector);
                for o in world.store().list(Kind::Pod, Some(&ns)) {
                    if let Object::Pod(x) = o {
                        let (r, s, _) = kubeplay_kubectl::pod_status(x, world.now_ms());
                        if sel.matches(x.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))
                            && !(s == "Running" && r.split_once('/').is_some_and(|(a, b)| a == b))
                        {
                            why.push_str("; ");
                            why.push_str(&diagnose_pod(world, x));
                        }
                    }
                }
            }
            CheckResult { description: desc, pass: done, explanation: why }
        }
        Check::Endpoints(e) => {
            let ns = ns_of(&e.namespace);
            let desc = format!("service {} has {} ready endpoint(s)", e.service, e.ready);
            let Some(Object::Service(svc)) = world.get(Kind::Service, &ns, &e.service) else {
                return CheckResult {
                    description: desc,
                    pass: false,
                    explanation: format!("there is no service named {}", e.service),
                };
            };
            let eps = kubeplay_sim::endpoints::service_endpoints(world, svc);
            let ready = eps.iter().filter(|x| x.ready).count() as u32;
            let mut why = format!("service {} has {ready} ready endpoint(s)", e.service);
            if ready != e.ready && eps.is_empty() {
                why = kubeplay_kubectl::why::service_without_endpoints(world, svc);
            }
            CheckResult { description: desc, pass: ready == e.ready, explanation: why }
        }
        Check::Event(ev) => {
            let ns = ns_of(&ev.namespace);
            let desc = match &ev.object {
                Some(o) => format!("an event {} about {o}", ev.reason),
                None => format!("an event {}", ev.reason),
            };
            let found = world.store().list(Kind::Event, Some(&ns)).any(|o| match o {
                Object::Event(e) => {
                    e.reason.as_deref() == Some(ev.reason.as_str())
                        && ev.object.as_ref().is_none_or(|name| {
                            let io = &e.involved_object;
                            let full = format!(
                                "{}/{}",
                                io.kind.clone().unwrap_or_default().to_lowercase(),
                                io.name.clone().unwrap_or_default()
                            );
                            io.name.as_deref() == Some(name.as_str()) || full == *name
                        })
                }
                _ => false,
            });
            CheckResult { description: desc, pass: found, explanation: format!("no {} event was recorded", ev.reason) }
        }
        Check::Http(h) => {
            let desc = http_description(h);
            // Requests draw from the RNG: judge with a copy of the traffic state only (see
            // `net::Traffic`), leaving the settled world as is.
            let mut t = world.traffic();
            let n = h.requests.unwrap_or(1).clamp(1, 1000);
            let headers = request_headers(&h.host, &h.headers);
            let mut pods = std::collections::BTreeSet::new();
            let mut problems = Vec::new();
            for _ in 0..n {
                match kubeplay_sim::net::http_request_with(world, &mut t, &kubeplay_sim::net::Source::Laptop, &h.url, &headers) {
                    Ok(r) => {
                        if r.status != h.status {
                            problems.push(format!("got HTTP {}: {}", r.status, body_text(&r.body)));
                            break;
                        }
                        if let Some(want) = &h.body_contains {
                            if !r.body.contains(want.as_str()) {
                                problems.push(format!("the answer does not contain {want:?}"));
                                break;
                            }
                        }
                        if let Some(p) = r.pod {
                            pods.insert(p);
                        }
                    }
                    Err(e) => {
                        problems.push(format!("curl: ({}) {}", e.code, e.message));
                        break;
                    }
                }
            }
            if let Some(min) = h.min_pods {
                if problems.is_empty() && (pods.len() as u32) < min {
                    problems.push(format!("{n} requests were answered by {} pod(s), expected at least {min}", pods.len()));
                }
            }
            CheckResult { description: desc, pass: problems.is_empty(), explanation: problems.join("; ") }
        }
        Check::Share(c) => {
            let ns = ns_of(&c.namespace);
            let desc = share_description(c);
            let sel = match Selector::parse(&c.selector) {
                Ok(s) => s,
                Err(e) => {
                    return CheckResult { description: desc, pass: false, explanation: format!("bad selector in lesson: {e}") }
                }
            };
            // Requests draw from the RNG: judge with a copy of the traffic state only (see
            // `net::Traffic`), leaving the settled world as is.
            let mut t = world.traffic();
            let n = c.requests.unwrap_or(400).clamp(1, 5000);
            let headers = request_headers(&c.host, &c.headers);
            let (mut hits, mut failed, mut first_failure) = (0u32, 0u32, None);
            for _ in 0..n {
                match kubeplay_sim::net::http_request_with(world, &mut t, &kubeplay_sim::net::Source::Laptop, &c.url, &headers) {
                    // A pod answered (with whatever status): count it if it is selected.
                    Ok(kubeplay_sim::net::Response { pod: Some(p), .. }) => {
                        let matches = world
                            .get(Kind::Pod, &ns, &p)
                            .is_some_and(|p| sel.matches(p.meta().labels.as_ref().unwrap_or(&BTreeMap::new())));
                        hits += u32::from(matches);
                    }
                    // The ingress controller answered itself (404, 502, 503).
                    Ok(r) => {
                        failed += 1;
                        first_failure.get_or_insert(format!("HTTP {}", r.status));
                    }
                    Err(e) => {
                        failed += 1;
                        first_failure.get_or_insert(format!("curl: ({}) {}", e.code, e.message));
                    }
                }
            }
            let share = f64::from(hits) * 100.0 / f64::from(n);
            let pass = share >= c.min_percent && share <= c.max_percent;
            let mut why = format!(
                "{hits} of {n} requests ({}%) were answered by pods with {}, expected {}% to {}%",
                percent_text(share),
                c.selector,
                percent_text(c.min_percent),
                percent_text(c.max_percent)
            );
            if let Some(f) = first_failure {
                why.push_str(&format!("; {failed} request(s) failed, the first with {f}"));
            }
            if hits == 0 && selected_pods(world, &ns, &c.selector).is_ok_and(|p| p.is_empty()) {
                why.push_str(&format!("; no pod is labelled {}", c.selector));
            }
            CheckResult { description: desc, pass, explanation: why }
        }
        Check::File(f) => {
            let ns = ns_of(&f.namespace);
            let desc = match &f.contains {
                Some(t) => format!("{} in the pods with {} contains {t:?}", f.path, f.selector),
                None => format!("{} exists in the pods with {}", f.path, f.selector),
            };
            let pods = match selected_pods(world, &ns, &f.selector) {
                Ok(pods) => pods,
                Err(e) => return CheckResult { description: desc, pass: false, explanation: e },
            };
            if pods.is_empty() {
                return CheckResult { description: desc, pass: false, explanation: format!("no pod matches {}", f.selector) };
            }
            for p in pods {
                let name = p.metadata.name.clone().unwrap_or_default();
                let container = f
                    .container
                    .clone()
                    .or_else(|| p.spec.as_ref().and_then(|s| s.containers.first()).map(|c| c.name.clone()))
                    .unwrap_or_default();
                let text = kubeplay_sim::files::read(world, p, &container, &f.path);
                let ok = match (&text, &f.contains) {
                    (Some(t), Some(want)) => t.contains(want.as_str()),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if !ok {
                    let why = match kubeplay_sim::files::locate(world, p, &container, &f.path) {
                        Ok(kubeplay_sim::files::Location::Store { root: None, .. }) => ". If it was written in an earlier pod: no volume is mounted there, so it lived in the container's own filesystem, which is lost when the container restarts or the pod is replaced".to_string(),
                        Ok(kubeplay_sim::files::Location::Store { key, .. }) if key.contains("/emptydir/") => {
                            ". If it was written in an earlier pod: it is on an emptyDir volume, which lives only as long as its pod".to_string()
                        }
                        _ => String::new(),
                    };
                    let what = match (&text, &f.contains) {
                        (Some(_), Some(want)) => format!("{} in pod {name} does not contain {want:?}", f.path),
                        _ => format!("pod {name} has no file {}{why}", f.path),
                    };
                    return CheckResult { description: desc, pass: false, explanation: what };
                }
            }
            CheckResult { description: desc, pass: true, explanation: String::new() }
        }
        Check::Logs(l) => {
            let ns = ns_of(&l.namespace);
            let (who, pods): (String, Vec<&k8s_openapi::api::core::v1::Pod>) = match (&l.pod, &l.selector) {
                (Some(name), None) => (
                    name.clone(),
                    match world.get(Kind::Pod, &ns, name) {
                        Some(Object::Pod(p)) => vec![p],
                        _ => vec![],
                    },
                ),
                (None, Some(sel)) => match selected_pods(world, &ns, sel) {
                    Ok(p) => (format!("the pods with {sel}"), p),
                    Err(e) => {
                        return CheckResult { description: format!("logs contain {:?}", l.contains), pass: false, explanation: e }
                    }
                },
                _ => {
                    return CheckResult {
                        description: format!("logs contain {:?}", l.contains),
                        pass: false,
                        explanation: "bad check in lesson: a logs check names a pod or a selector, not both".into(),
                    }
                }
            };
            let desc = format!("the logs of {who} contain {:?}", l.contains);
            let pass = pods.iter().any(|p| {
                let r = ObjRef::of_pod(p);
                let container =
                    l.container.clone().or_else(|| p.spec.as_ref().and_then(|s| s.containers.first()).map(|c| c.name.clone()));
                container
                    .and_then(|c| kubeplay_sim::kubelet::logs(world, &r, &c, false))
                    .is_some_and(|lines| lines.iter().any(|x| x.contains(&l.contains)))
            });
            let explanation = match (&l.selector, pods.is_empty()) {
                (Some(sel), true) => format!("no pod matches {sel}"),
                (Some(_), false) => format!("{who} have not logged {:?}", l.contains),
                (None, _) => format!("pod {who} has not logged {:?}", l.contains),
            };
            CheckResult { description: desc, pass, explanation }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{HttpCheck, ShareCheck};

    /// Recorded lines are judged one at a time in one shell, so a container session the
    /// learner opened (`kubectl exec -it POD -- sh`) takes the lines up to its `exit`.
    #[test]
    fn recorded_lines_share_one_shell_and_its_session() {
        let mut world = World::new(1);
        let files = BTreeMap::new();
        let mut shell = kubeplay_kubectl::shell::Shell::default();
        let mut transcript = String::new();
        for line in
            ["kubectl run b --image=busybox:1.36 -- sleep 1d", "settle", "kubectl exec -it b -- sh", "echo $HOSTNAME", "exit"]
        {
            transcript.push_str(&run_lines_in(&mut shell, &mut world, &[line.to_string()], None, &files));
        }
        assert!(transcript.contains("/ # echo $HOSTNAME\nb\n/ # exit\n"), "{transcript}");
        assert!(shell.session.is_none());
    }

    #[test]
    fn field_paths_take_indexes_and_bracketed_keys() {
        let v = serde_json::json!({
            "metadata": {"annotations": {"nginx.ingress.kubernetes.io/canary-weight": "10"}},
            "spec": {"containers": [{"image": "a"}, {"image": "b"}]}
        });
        assert_eq!(get_field(&v, "spec.containers[1].image"), Some(&serde_json::json!("b")));
        assert_eq!(
            get_field(&v, "metadata.annotations[nginx.ingress.kubernetes.io/canary-weight]"),
            Some(&serde_json::json!("10"))
        );
        assert_eq!(
            get_field(&v, "metadata.annotations[\"nginx.ingress.kubernetes.io/canary-weight\"]"),
            Some(&serde_json::json!("10"))
        );
        assert_eq!(get_field(&v, "metadata.annotations.nginx.ingress.kubernetes.io/canary-weight"), None);
        assert_eq!(get_field(&v, "spec.containers[2]"), None);
    }

    /// A shop on ingress-nginx: 2 stable pods, 1 canary pod, and a canary Ingress with
    /// `weight` and canary-by-header X-Canary.
    fn canary_world(weight: u32) -> World {
        let topo = kubeplay_sim::topology::Topology::of_size(1).with_ingress(kubeplay_sim::topology::IngressController::Nginx);
        let mut world = World::with_topology(1, &topo);
        let lines: Vec<String> = [
            "kubectl create deployment shop --image=gcr.io/google-samples/hello-app:1.0 --replicas=2",
            "kubectl expose deployment shop --port=80 --target-port=8080",
            "kubectl create deployment shop-canary --image=gcr.io/google-samples/hello-app:2.0",
            "kubectl expose deployment shop-canary --port=80 --target-port=8080",
            "kubectl create ingress shop --class=nginx --rule=shop.example.com/*=shop:80",
            &format!("kubectl create ingress shop-canary --class=nginx --rule=shop.example.com/*=shop-canary:80 --annotation=nginx.ingress.kubernetes.io/canary=true --annotation=nginx.ingress.kubernetes.io/canary-weight={weight} --annotation=nginx.ingress.kubernetes.io/canary-by-header=X-Canary"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        run_lines(&mut world, &lines, None, &BTreeMap::new());
        world.run_until_settled(EVENT_BOUND);
        world
    }

    fn share(min: f64, max: f64, headers: &[(&str, &str)]) -> Check {
        Check::Share(ShareCheck {
            url: "http://10.0.0.2/".into(),
            host: Some("shop.example.com".into()),
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            requests: Some(1000),
            selector: "app=shop-canary".into(),
            namespace: None,
            min_percent: min,
            max_percent: max,
        })
    }

    #[test]
    fn the_goal_is_judged_live_and_leaves_traffic_to_check() {
        let step: Step = serde_yaml::from_str(
            "id: s\ntask: t\ninput: commands\nchecks:\n  - pods: { selector: app=shop, count: 2, ready: 2 }\n  - share: { url: 'http://10.0.0.2/', selector: app=shop, min_percent: 50, max_percent: 100 }\nsolutions: []\n",
        )
        .expect("step");
        let mut world = World::new(1);
        let before = goal(&world, &step);
        assert_eq!(before[0].pass, Some(false), "{before:?}");
        assert_eq!(before[1].pass, None);
        assert!(before[1].description.contains("50% to 100% of GET http://10.0.0.2/"), "{}", before[1].description);
        run_lines(&mut world, &["kubectl create deployment shop --image=nginx --replicas=2".to_string()], None, &BTreeMap::new());
        world.run_until_settled(EVENT_BOUND);
        assert_eq!(goal(&world, &step)[0].pass, Some(true));
    }

    #[test]
    fn share_counts_the_selected_pods_answers() {
        let world = canary_world(20);
        let ok = evaluate_one(&world, &share(15.0, 25.0, &[]));
        assert!(ok.pass, "{ok:?}");
        // Deterministic: the same world gives the same count.
        assert_eq!(evaluate_one(&world, &share(15.0, 25.0, &[])), ok);
        let low = evaluate_one(&world, &share(40.0, 60.0, &[]));
        assert!(!low.pass);
        assert!(low.explanation.contains("of 1000 requests") && low.explanation.contains("expected 40% to 60%"), "{low:?}");
        // The header overrides the weight.
        assert!(evaluate_one(&world, &share(100.0, 100.0, &[("X-Canary", "always")])).pass);
        assert!(evaluate_one(&world, &share(0.0, 0.0, &[("X-Canary", "never")])).pass);
    }

    #[test]
    fn share_reports_failed_requests_and_missing_pods() {
        let world = canary_world(20);
        let mut c = share(10.0, 30.0, &[]);
        if let Check::Share(s) = &mut c {
            s.host = Some("nope.example.com".into());
            s.selector = "track=canary".into();
        }
        let r = evaluate_one(&world, &c);
        assert!(!r.pass);
        assert!(r.explanation.contains("1000 request(s) failed, the first with HTTP 404"), "{r:?}");
        assert!(r.explanation.contains("no pod is labelled track=canary"), "{r:?}");
    }

    #[test]
    fn http_sends_headers() {
        let world = canary_world(0);
        let check = |value: &str, body: &str| {
            evaluate_one(
                &world,
                &Check::Http(HttpCheck {
                    url: "http://10.0.0.2/".into(),
                    host: Some("shop.example.com".into()),
                    headers: [("X-Canary".to_string(), value.to_string())].into(),
                    status: 200,
                    body_contains: Some(body.into()),
                    requests: Some(20),
                    min_pods: None,
                }),
            )
        };
        let r = check("always", "Version: 2.0.0");
        assert!(r.pass, "{r:?}");
        assert!(r.description.contains("(Host: shop.example.com, X-Canary: always)"), "{r:?}");
        assert!(!check("never", "Version: 2.0.0").pass);
    }

    #[test]
    fn html_error_pages_are_quoted_by_their_title() {
        assert_eq!(body_text("404 page not found\n"), "404 page not found");
        assert_eq!(
            body_text(&kubeplay_sim::net::NGINX_50X.replace("Error", "503 Service Temporarily Unavailable")),
            "503 Service Temporarily Unavailable"
        );
    }
}
