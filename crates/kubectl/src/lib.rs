//! kubeplay-kubectl: kubectl for the simulated cluster. It parses real kubectl command lines,
//! runs them against a `kubeplay_sim::World`, and prints exactly what kubectl prints. The
//! browser terminal and the native CLI both go through `run`.

pub mod duration;
mod exec;
pub mod table;

use kubeplay_sim::World;

/// The most tasks run after a command to let controllers react (see `run`).
pub const REACTION_BOUND: u64 = 200_000;

/// What a command printed, and its exit code, as a shell would see them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Warnings kubectl writes to stderr before anything else (`Warning: ...`).
    pub warnings: String,
    /// Where in the `-f` text each error is (beyond kubectl: for editor markers).
    pub diagnostics: Vec<Diagnostic>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// The pods that answered HTTP requests the command sent (`curl`, `traffic`), for the
    /// page to show where the requests went.
    pub hits: Vec<String>,
    /// kubeplay's own remarks on where the simulation departs from a real cluster for this
    /// command's objects (an image the catalog does not have). Not kubectl's output: the
    /// page shows them as notes, `why` repeats them, and transcripts leave them out.
    pub notes: Vec<String>,
    /// An interactive container shell the command opened (`kubectl exec -it POD -- sh`):
    /// the terminal's next lines go to it (see [`shell::Shell`]).
    pub session: Option<Box<session::Session>>,
}

impl Output {
    pub fn ok(stdout: String) -> Output {
        Output { stdout, ..Output::default() }
    }

    pub fn err(stderr: String) -> Output {
        Output { stderr, exit_code: 1, ..Output::default() }
    }

    /// Warnings, stdout, then stderr, as a terminal shows a command's output.
    pub fn combined(&self) -> String {
        format!("{}{}{}", self.warnings, self.stdout, self.stderr)
    }
}

/// An error located in manifest text: 1-based line and column, and the message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// What a command can read besides the cluster: files named by `-f`, and standard input.
pub trait Files {
    /// The text of `path`, or an error message (kubectl's `the path "x" does not exist`).
    fn read(&self, path: &str) -> Result<String, String>;
    /// The names in directory `dir`, or `None` when it is not a directory.
    fn list(&self, _dir: &str) -> Option<Vec<String>> {
        None
    }
}

/// No files at all: `-f FILE` fails with kubectl's message.
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("the path {path:?} does not exist"))
    }
}

/// Context for one command.
pub struct Env<'a> {
    pub files: &'a dyn Files,
    /// Text for `-f -`.
    pub stdin: Option<&'a str>,
}

/// Runs one command line (`kubectl get pods -o wide`). A leading `kubectl` is required;
/// `k` is accepted as the common alias.
pub fn run(world: &mut World, line: &str, env: &Env<'_>) -> Output {
    let Some(stages) = pipe::split(line) else { return run_stage(world, line, env) };
    // Each stage reads the previous one's standard output: `cat <<EOF | kubectl apply -f -`
    // passes the heredoc on; a kubectl stage after a pipe reads it as `-f -`.
    let mut out = Output::default();
    let mut stdin = env.stdin.map(str::to_string);
    for (i, stage) in stages.iter().enumerate() {
        let first_word = stage.split_whitespace().next().unwrap_or("");
        let next = match first_word {
            "cat" if stage.trim() == "cat" => Output::ok(stdin.clone().unwrap_or_default()),
            "kubectl" | "k" | "curl" | "traffic" => {
                let env = Env { files: env.files, stdin: stdin.as_deref() };
                run_stage(world, stage, &env)
            }
            _ if i == 0 => run_stage(world, stage, env),
            _ => pipe::filter(stage, stdin.as_deref().unwrap_or("")),
        };
        out.warnings.push_str(&next.warnings);
        out.stderr.push_str(&next.stderr);
        out.diagnostics.extend(next.diagnostics);
        out.hits.extend(next.hits);
        out.notes.extend(next.notes);
        out.exit_code = next.exit_code;
        stdin = Some(next.stdout);
    }
    out.stdout = stdin.unwrap_or_default();
    out
}

/// One stage of a pipeline: `2>&1` at its end sends its standard error down the pipe too.
fn run_stage(world: &mut World, stage: &str, env: &Env<'_>) -> Output {
    match stage.trim_end().strip_suffix("2>&1") {
        Some(rest) => {
            let mut o = run_one(world, rest, env);
            let err = std::mem::take(&mut o.stderr);
            o.stdout.push_str(&err);
            o
        }
        None => run_one(world, stage, env),
    }
}

/// Runs one command without pipes.
fn run_one(world: &mut World, line: &str, env: &Env<'_>) -> Output {
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(_) => return Output::err("error: unterminated quote in command line\n".into()),
    };
    // `CMD &`: kubeplay runs the command now (a port-forward then keeps listening).
    let mut words = words;
    let background = words.len() > 1 && words.last().is_some_and(|w| w == "&");
    // A port-forward keeps its `&` (it decides whether it is one of the shell's jobs).
    if background && !words.iter().any(|w| w == "port-forward") {
        words.pop();
    }
    match words.first().map(String::as_str) {
        Some("kubectl") | Some("k") => {
            world.take_warnings();
            let mut out = exec::kubectl(world, &words[1..], env);
            // The API server's warnings (admission's), which kubectl prints to stderr.
            for w in world.take_warnings() {
                out.warnings.push_str(&format!("Warning: {w}\n"));
            }
            // kubectl prints each distinct server warning once per command (the dry runs'
            // scratch worlds add theirs to `out.warnings` directly).
            let mut seen = std::collections::BTreeSet::new();
            out.warnings = out
                .warnings
                .split_inclusive('\n')
                .filter(|l| !l.starts_with("Warning: ") || seen.insert(l.to_string()))
                .collect();
            // Controllers react to a request within milliseconds; let what is due now run
            // before the next command, without moving the clock.
            world.run_due(REACTION_BOUND);
            out
        }
        Some("jobs") => portforward::jobs(world),
        Some("kill") => portforward::kill(world, &words[1..]),
        Some("curl") => {
            let out = net::curl_from_laptop(world, &words[1..], env.files);
            world.run_due(REACTION_BOUND);
            out
        }
        Some("traffic") => net::traffic(world, &words[1..]),
        Some("echo") => {
            let (newline, words) = match words.get(1).map(String::as_str) {
                Some("-n") => (false, &words[2..]),
                _ => (true, &words[1..]),
            };
            Output::ok(format!("{}{}", words.join(" "), if newline { "\n" } else { "" }))
        }
        Some("fault") => fault(world, &words[1..]),
        Some("why") => why::why(world, &words[1..]),
        // `cat FILE...`: files on the learner's machine (written by `> FILE`, or the
        // lesson's and script's files).
        Some("cat") => {
            let mut o = Output::default();
            if words.len() == 1 {
                o.stdout = env.stdin.unwrap_or("").to_string();
            }
            for f in &words[1..] {
                match env.files.read(f) {
                    Ok(t) => o.stdout.push_str(&t),
                    Err(_) => {
                        o.stderr.push_str(&format!("cat: {f}: No such file or directory\n"));
                        o.exit_code = 1;
                    }
                }
            }
            o
        }
        // `ls [DIR|FILE]...`: the learner's files, one name per line (GNU ls writes one
        // per line into a pipe or a transcript).
        Some("ls") => {
            let mut o = Output::default();
            let targets: Vec<&String> = words[1..].iter().filter(|w| !w.starts_with('-')).collect();
            let targets: Vec<String> =
                if targets.is_empty() { vec![".".to_string()] } else { targets.into_iter().cloned().collect() };
            let many = targets.len() > 1;
            for (k, t) in targets.iter().enumerate() {
                let dir = t.trim_end_matches('/');
                let dir = if dir.is_empty() { "." } else { dir };
                if let Some(names) = env.files.list(dir) {
                    if many {
                        o.stdout.push_str(&format!("{}{t}:\n", if k > 0 { "\n" } else { "" }));
                    }
                    for n in names {
                        o.stdout.push_str(&format!("{n}\n"));
                    }
                } else if env.files.read(t).is_ok() {
                    o.stdout.push_str(&format!("{t}\n"));
                } else {
                    o.stderr.push_str(&format!("ls: cannot access '{t}': No such file or directory\n"));
                    o.exit_code = 2;
                }
            }
            o
        }
        Some("seq") => seq(&words[1..]),
        Some("base64") => pipe::base64(&words[1..], env.stdin.unwrap_or("")),
        Some("true") => Output::default(),
        Some("false") => Output { exit_code: 1, ..Output::default() },
        Some(other) => Output { stderr: format!("{other}: command not found\n"), exit_code: 127, ..Output::default() },
        None => Output::default(),
    }
}

mod args;
mod auth;
pub mod complete;
mod create;
mod debug;
mod describe;
mod diff;
mod examples;
mod gotemplate;
pub mod jsonpath;
pub mod kustomize;
mod local;
mod net;
mod pipe;
mod portforward;
mod printers;
mod prune;
pub mod random_session;
mod raw;
mod rbac;
mod rollout;
pub mod session;
mod set;
pub mod shell;
mod top;
pub mod why;
pub mod yaml;

pub use printers::{age, pod_status};

pub use kubeplay_sim::shell::{base64_decode, base64_encode};

/// JSON as `kubectl -o json` prints it: indented by four spaces (Go's `MarshalIndent`).
pub fn to_json(v: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    match v.serialize(&mut ser) {
        Ok(()) => String::from_utf8(buf).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// `fault stop-node NODE` / `fault start-node NODE` / `fault kill POD`: kubeplay's fault
/// injection (not a kubectl command): a stopped node's kubelet goes silent, as in a power
/// cut; a killed container exits 137.
fn fault(world: &mut World, args: &[String]) -> Output {
    let usage = "usage: fault stop-node NODE | fault start-node NODE | fault kill POD [-c CONTAINER] [-n NAMESPACE]\n       fault crash-image IMAGE | fault heal-image IMAGE | fault unready POD [-n NAMESPACE] | fault ready POD [-n NAMESPACE]\n";
    match (args.first().map(String::as_str), args.get(1)) {
        (Some("crash-image"), Some(image)) => {
            return match world.crash_image(image) {
                Ok(full) => Output::ok(format!(
                    "image {full}: every new container of it now exits 1 a second after it starts (fault heal-image {image} ends it); running ones are untouched\n"
                )),
                Err(e) => Output::err(format!("{e}\n")),
            };
        }
        (Some("heal-image"), Some(image)) => {
            return match world.heal_image(image) {
                Ok(full) => Output::ok(format!("image {full}: new containers start normally again\n")),
                Err(e) => Output::err(format!("{e}\n")),
            };
        }
        (Some(verb @ ("unready" | "ready")), Some(_)) => {
            let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
            let ns = value("-n").or_else(|| world.context_namespace()).unwrap_or_else(|| "default".into());
            let pods: Vec<&String> = args[1..]
                .iter()
                .enumerate()
                .filter(|(i, a)| *a != "-n" && (*i == 0 || args[*i] != "-n"))
                .map(|(_, a)| a)
                .collect();
            let [pod] = pods.as_slice() else { return Output::err(usage.into()) };
            let pod = pod.trim_start_matches("pod/");
            let r = kubeplay_sim::ObjRef::new(kubeplay_sim::Kind::Pod, &ns, pod);
            let result = world.set_unready(&r, verb == "unready");
            world.run_due(REACTION_BOUND);
            return match result {
                Ok(()) if verb == "unready" => Output::ok(format!(
                    "pod/{pod} fails its readiness now (as a failing readiness probe would): it leaves its Services' endpoints; fault ready {pod} ends it\n"
                )),
                Ok(()) => Output::ok(format!("pod/{pod} passes its readiness again\n")),
                Err(e) => Output::err(format!("{e}\n")),
            };
        }
        _ => {}
    }
    if args.first().map(String::as_str) == Some("kill") {
        let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
        let ns = value("-n").or_else(|| world.context_namespace()).unwrap_or_else(|| "default".into());
        let container = value("-c");
        let mut skip = false;
        let mut pods = Vec::new();
        for a in &args[1..] {
            if skip {
                skip = false;
            } else if a == "-n" || a == "-c" {
                skip = true;
            } else {
                pods.push(a.trim_start_matches("pod/").to_string());
            }
        }
        let [pod] = pods.as_slice() else { return Output::err(usage.into()) };
        let r = kubeplay_sim::ObjRef::new(kubeplay_sim::Kind::Pod, &ns, pod);
        let result = world.kill_container(&r, container.as_deref());
        world.run_due(REACTION_BOUND);
        return match result {
            Ok(c) => Output::ok(format!(
                "container {c} in pod/{pod} killed (exit code 137): its restartPolicy decides what happens next\n"
            )),
            Err(e) => Output::err(format!("{e}\n")),
        };
    }
    let (Some(verb), Some(node), None) = (args.first(), args.get(1), args.get(2)) else {
        return Output::err(usage.into());
    };
    let result = match verb.as_str() {
        "stop-node" => world.stop_node(node).map(|()| {
            format!(
                "node/{node} stopped: its kubelet no longer reports; the node controller marks it NotReady after {}s and evicts its pods when their tolerations run out (300s by default)\n",
                kubeplay_sim::nodes::NODE_MONITOR_GRACE_MS / 1000
            )
        }),
        "start-node" => world.start_node(node).map(|()| format!("node/{node} started: its kubelet reports again\n")),
        _ => return Output::err(usage.into()),
    };
    world.run_due(REACTION_BOUND);
    match result {
        Ok(msg) => Output::ok(msg),
        Err(e) => Output::err(format!("{e}\n")),
    }
}

/// `seq LAST`, `seq FIRST LAST` or `seq FIRST STEP LAST`, one number a line.
fn seq(args: &[String]) -> Output {
    let nums: Option<Vec<i64>> = args.iter().map(|a| a.parse().ok()).collect();
    let (first, step, last) = match nums.as_deref() {
        Some([l]) => (1, 1, *l),
        Some([f, l]) => (*f, 1, *l),
        Some([f, s, l]) if *s != 0 => (*f, *s, *l),
        _ => return Output::err(format!("seq: invalid arguments: {}\n", args.join(" "))),
    };
    let mut out = String::new();
    let mut n = first;
    let mut count = 0;
    while (step > 0 && n <= last) || (step < 0 && n >= last) {
        out.push_str(&format!("{n}\n"));
        n += step;
        count += 1;
        if count >= 10_000 {
            break;
        }
    }
    Output::ok(out)
}

/// Advances virtual time until none of `refs` exists (kubectl's `--wait`), bounded by ten
/// virtual minutes.
pub fn wait_until_gone(world: &mut World, refs: &[kubeplay_sim::ObjRef]) {
    let deadline = world.now_ms() + 600_000;
    let mut steps = 0u32;
    while refs.iter().any(|r| world.store().get_ref(r).is_some()) && world.now_ms() < deadline && steps < 100_000 {
        match world.next_deadline() {
            Some(t) if t <= deadline => {
                world.step();
            }
            _ => break,
        }
        steps += 1;
    }
}
