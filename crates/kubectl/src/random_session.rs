//! Random sessions for the determinism tests: from one number, a cluster (seed, size,
//! ingress controller) and a sequence of terminal lines and waits drawn from what learners
//! do — manifests applied, scaling, image changes, Services, Jobs, rollbacks, node
//! stops and starts, kills, crash faults, cordons, curl. [`play`] runs a session and records
//! a [`Trace`]: after each input, the state hash and every store write it caused. Two traces
//! of the same session must be equal, natively and in wasm; [`first_difference`] names the
//! first write where they are not.
//!
//! The generator is plain splitmix64 over the session number, so a session is the same on
//! every platform and in every version of the dependencies.

use crate::{shell::Shell, Env, NoFiles};
use kubeplay_sim::topology::{IngressController, Topology};
use kubeplay_sim::World;

/// One thing the learner does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A terminal line, with the editor text `-f -` reads.
    Line(String, Option<String>),
    /// Virtual time passing (ms).
    Wait(u64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub seed: u64,
    pub nodes: u32,
    pub nginx: bool,
    pub inputs: Vec<Input>,
}

/// After one input: the store writes it caused (`rv TYPE Kind ns/name`) and the state hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepTrace {
    pub input: String,
    pub writes: Vec<String>,
    pub hash: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub steps: Vec<StepTrace>,
}

impl Trace {
    pub fn final_hash(&self) -> u64 {
        self.steps.last().map_or(0, |s| s.hash)
    }
}

/// SplitMix64: the sessions' choices, and the other seeded numbers kubectl makes up
/// (`kubectl diff`'s temporary directory names).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const NAMES: [&str; 3] = ["web", "api", "db"];
const IMAGES: [&str; 8] =
    ["nginx:1.25", "nginx:1.27", "httpd:2.4", "traefik/whoami", "redis:7", "hashicorp/http-echo", "nginx:no-such-tag", "busybox"];

fn deployment_yaml(r: &mut Rng, name: &str) -> String {
    let image = r.pick(&IMAGES);
    let replicas = r.below(5);
    let cpu = r.pick(&["50m", "250m", "900m", "1500m"]);
    let command = match image {
        "busybox" => format!("\n        command: [\"sh\", \"-c\", \"sleep {}; exit {}\"]", r.below(20), r.below(2)),
        "hashicorp/http-echo" => "\n        args: [\"-text=hello\"]".to_string(),
        _ => String::new(),
    };
    let probe = if r.below(3) == 0 {
        format!("\n        readinessProbe:\n          httpGet:\n            path: {}\n            port: 80\n          periodSeconds: 5", r.pick(&["/", "/healthz"]))
    } else {
        String::new()
    };
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: {image}{command}\n        resources:\n          requests:\n            cpu: {cpu}\n        ports:\n        - containerPort: 80{probe}\n"
    )
}

/// Session number `n`: the same on every platform.
pub fn generate(n: u64) -> Session {
    let mut r = Rng(n ^ 0x6b75_6265_706c_6179);
    let seed = r.next() % 1_000_000;
    let nodes = 1 + r.below(3) as u32;
    let nginx = r.below(8) == 0;
    let mut inputs = Vec::new();
    let count = 4 + r.below(6);
    let line = |s: String| Input::Line(s, None);
    // Mostly act on Deployments the session made, sometimes on ones it did not (errors are
    // inputs too); the first input makes one.
    let mut made: Vec<&str> = Vec::new();
    for k in 0..count {
        let name = if !made.is_empty() && r.below(5) != 0 { made[r.below(made.len() as u64) as usize] } else { r.pick(&NAMES) };
        let node = format!("NODE{}", r.below(u64::from(nodes)));
        let what = if k == 0 { 0 } else { r.below(16) };
        if what <= 3 && !made.contains(&name) {
            made.push(name);
        }
        let input = match what {
            0..=3 => Input::Line("kubectl apply -f -".into(), Some(deployment_yaml(&mut r, name))),
            4 => line(format!("kubectl scale deployment {name} --replicas={}", r.below(6))),
            5 => line(format!("kubectl set image deployment/{name} app={}", r.pick(&IMAGES))),
            6 => line(format!(
                "kubectl expose deployment {name} --port=80 --type={}",
                r.pick(&["ClusterIP", "NodePort", "LoadBalancer"])
            )),
            7 => line(match r.below(3) {
                0 => format!("kubectl delete deployment {name}"),
                1 => format!("kubectl delete service {name}"),
                _ => format!("kubectl delete pod -l app={name}"),
            }),
            8 => line(format!(
                "kubectl create job {name}-job-{} --image=busybox -- sh -c \"sleep {}; exit {}\"",
                r.below(100),
                r.below(30),
                r.below(2)
            )),
            9 => line(format!("kubectl rollout undo deployment/{name}")),
            10 => line(format!("fault {} {node}", r.pick(&["stop-node", "start-node"]))),
            11 => line(format!("kubectl {} {node}", r.pick(&["cordon", "uncordon", "drain --ignore-daemonsets --force"]))),
            12 => line(format!("fault {} {}", r.pick(&["crash-image", "heal-image"]), r.pick(&IMAGES))),
            13 => line(format!("curl -s http://{name}.default.svc.cluster.local/")),
            14 => line(format!("kubectl rollout restart deployment/{name}")),
            _ => line(format!("kubectl label deployment {name} tier={} --overwrite", r.pick(&["a", "b"]))),
        };
        inputs.push(input);
        inputs.push(Input::Wait(500 + r.below(60_000)));
    }
    Session { seed, nodes, nginx, inputs }
}

/// Events one wait or command may take: far beyond what these sessions need, so hitting it
/// is itself a difference the trace shows (time would stop short).
const BOUND: u64 = 200_000;

/// Runs a session on a fresh cluster and records what each input did.
pub fn play(s: &Session) -> Trace {
    let mut topology = Topology::of_size(s.nodes);
    if s.nginx {
        topology = topology.with_ingress(IngressController::Nginx);
    }
    let node_names: Vec<String> = topology.nodes.iter().map(|n| n.name.clone()).collect();
    let mut world = World::with_topology(s.seed, &topology);
    let mut shell = Shell::default();
    let mut seen = world.store().resource_version();
    let mut steps = Vec::new();
    for input in &s.inputs {
        let label = match input {
            Input::Line(l, stdin) => {
                let mut l = l.clone();
                for (i, n) in node_names.iter().enumerate() {
                    l = l.replace(&format!("NODE{i}"), n);
                }
                let env = Env { files: &NoFiles, stdin: stdin.as_deref() };
                let out = shell.run(&mut world, &l, &env);
                format!("{l} (exit {})", out.exit_code)
            }
            Input::Wait(ms) => {
                world.run_for(*ms, BOUND);
                format!("wait {ms} ms")
            }
        };
        let writes: Vec<String> = world
            .store()
            .change_log()
            .filter(|c| c.resource_version > seen)
            .map(|c| {
                format!("rv {} {:?} {:?} {}/{}", c.resource_version, c.change, c.object.kind, c.object.namespace, c.object.name)
            })
            .collect();
        seen = world.store().resource_version();
        steps.push(StepTrace { input: label, writes, hash: world.state_hash() });
    }
    Trace { steps }
}

/// The first place two traces of one session differ, in words; `None` when equal.
pub fn first_difference(a: &Trace, b: &Trace) -> Option<String> {
    for (i, (x, y)) in a.steps.iter().zip(&b.steps).enumerate() {
        if x.input != y.input {
            return Some(format!("input {i}: `{}` vs `{}`", x.input, y.input));
        }
        for (k, (wx, wy)) in x.writes.iter().zip(&y.writes).enumerate() {
            if wx != wy {
                return Some(format!("after input {i} (`{}`), write {k}: `{wx}` vs `{wy}`", x.input));
            }
        }
        if x.writes.len() != y.writes.len() {
            let (longer, n) =
                if x.writes.len() > y.writes.len() { (&x.writes, y.writes.len()) } else { (&y.writes, x.writes.len()) };
            return Some(format!(
                "after input {i} (`{}`): {} vs {} writes; the first extra is `{}`",
                x.input,
                x.writes.len(),
                y.writes.len(),
                longer[n]
            ));
        }
        if x.hash != y.hash {
            return Some(format!(
                "after input {i} (`{}`): the same writes, but state hashes {:016x} vs {:016x} (an object's content, the queue or the runtime differ)",
                x.input, x.hash, y.hash
            ));
        }
    }
    (a.steps.len() != b.steps.len()).then(|| format!("{} vs {} inputs", a.steps.len(), b.steps.len()))
}

/// A trace as one fixture line: the session number, then per input its hash and a digest of
/// its writes (FNV-1a 32), so a wasm run can say at which input it first differs.
pub fn fixture_line(n: u64, t: &Trace) -> String {
    let mut s = format!("{n}");
    for st in &t.steps {
        let mut h: u32 = 0x811c_9dc5;
        for w in &st.writes {
            for b in w.bytes().chain([0]) {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
        }
        s.push_str(&format!(" {:016x}:{h:08x}:{}", st.hash, st.writes.len()));
    }
    s
}

/// Compares a trace with its fixture line; `None` when they agree, else the first input
/// where they do not, with that input's writes as this platform saw them.
pub fn check_fixture(expected: &str, n: u64, t: &Trace) -> Option<String> {
    let got = fixture_line(n, t);
    if got == expected {
        return None;
    }
    let want: Vec<&str> = expected.split(' ').skip(1).collect();
    for (i, (g, w)) in got.split(' ').skip(1).zip(&want).enumerate() {
        if g != *w {
            let st = &t.steps[i];
            return Some(format!(
                "session {n} first differs after input {i} (`{}`): expected {w}, got {g} (hash:writes-digest:count); this platform's writes then:\n  {}",
                st.input,
                st.writes.join("\n  ")
            ));
        }
    }
    Some(format!("session {n}: {} inputs here, {} in the fixture", t.steps.len(), want.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_fixed_by_their_number_and_vary_between_numbers() {
        assert_eq!(generate(3), generate(3));
        assert_ne!(generate(3), generate(4));
        let lines: Vec<String> = (0..200)
            .flat_map(|n| generate(n).inputs)
            .filter_map(|i| match i {
                Input::Line(l, _) => Some(l),
                Input::Wait(_) => None,
            })
            .collect();
        // Every kind of input appears somewhere in the first 200 sessions.
        for word in [
            "apply",
            "scale",
            "set image",
            "expose",
            "delete",
            "create job",
            "undo",
            "stop-node",
            "cordon",
            "crash-image",
            "curl",
            "restart",
            "label",
        ] {
            assert!(lines.iter().any(|l| l.contains(word)), "{word}");
        }
    }

    #[test]
    fn a_difference_is_named_at_its_first_write() {
        let t = play(&generate(1));
        assert!(first_difference(&t, &t).is_none());
        let mut u = t.clone();
        let i = u.steps.iter().position(|s| !s.writes.is_empty()).expect("some input writes");
        u.steps[i].writes[0].push_str(" (changed)");
        let msg = first_difference(&t, &u).expect("differs");
        assert!(msg.starts_with(&format!("after input {i} ")) && msg.contains("write 0"), "{msg}");
        let line = fixture_line(1, &t);
        assert!(check_fixture(&line, 1, &t).is_none());
        let msg = check_fixture(&line, 1, &u).expect("differs");
        assert!(msg.contains(&format!("after input {i} ")), "{msg}");
    }
}
