//! Demo scripts for speakers: a titled sequence of steps (apply YAML, run a command, let time
//! pass, inject a fault, show a pane, caption), played one key press at a time in the
//! page's presenter mode and rehearsed natively with `kubeplay demo check`. A demo runs on a
//! fresh world from its seed, so the same script always gives the same screens.

use kubeplay_kubectl::shell::Shell;
use kubeplay_kubectl::{Env, Output};
use kubeplay_sim::World;
use serde::Deserialize;

/// A demo script (YAML; see `demos/README.md`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Demo {
    pub title: String,
    #[serde(default = "one")]
    pub seed: u64,
    /// 1 = one k3s server; N = one server and N-1 agents.
    #[serde(default = "one_u32")]
    pub nodes: u32,
    pub steps: Vec<DemoStep>,
}

fn one() -> u64 {
    1
}

fn one_u32() -> u32 {
    1
}

/// One key press of a demo: at most one action, with an optional caption and pane.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DemoStep {
    /// Text shown under the stage while this step is current.
    #[serde(default)]
    pub caption: Option<String>,
    /// A terminal line: kubectl, curl, traffic, fault, sleep, settle, or shell glue.
    #[serde(default)]
    pub run: Option<String>,
    /// YAML put in the editor and applied (`kubectl apply -f -`).
    #[serde(default)]
    pub apply: Option<String>,
    /// Virtual time to let pass (`30s`, `5m`).
    #[serde(default)]
    pub wait: Option<String>,
    /// The pane to bring forward: `terminal`, `map`, `editor`.
    #[serde(default)]
    pub show: Option<String>,
    /// Text the step's output must contain (checked by `kubeplay demo check`).
    #[serde(default)]
    pub expect: Option<String>,
    /// The command is meant to fail (a demo of an error); `check` then wants a non-zero exit.
    #[serde(default)]
    pub fails: bool,
}

impl DemoStep {
    /// The terminal line this step runs, if any (`apply` is `kubectl apply -f -`).
    pub fn line(&self) -> Option<String> {
        if let Some(r) = &self.run {
            return Some(r.clone());
        }
        if self.apply.is_some() {
            return Some("kubectl apply -f -".into());
        }
        self.wait.as_ref().map(|w| format!("sleep {w}"))
    }
}

/// Parses a demo, with every step checked for shape: at most one action, a known pane.
pub fn parse(text: &str) -> Result<Demo, String> {
    checked(serde_yaml::from_str(text).map_err(|e| format!("demo: {e}"))?)
}

/// A demo that build tooling converted from YAML to JSON (the page's bundled demos, read at
/// start, where serde_json is much faster than the YAML parser). Same checks as `parse`.
pub fn from_json(value: serde_json::Value) -> Result<Demo, String> {
    checked(serde_json::from_value(value).map_err(|e| format!("demo: {e}"))?)
}

fn checked(demo: Demo) -> Result<Demo, String> {
    if demo.steps.is_empty() {
        return Err("demo: it has no steps".into());
    }
    if demo.nodes == 0 || demo.nodes > 50 {
        return Err(format!("demo: nodes must be 1 to 50, not {}", demo.nodes));
    }
    for (i, s) in demo.steps.iter().enumerate() {
        let actions = [s.run.is_some(), s.apply.is_some(), s.wait.is_some()].iter().filter(|b| **b).count();
        if actions > 1 {
            return Err(format!("demo: step {} has more than one of run, apply and wait", i + 1));
        }
        if actions == 0 && s.caption.is_none() && s.show.is_none() {
            return Err(format!("demo: step {} does nothing (give it a run, apply, wait, caption or show)", i + 1));
        }
        if let Some(p) = &s.show {
            if !matches!(p.as_str(), "terminal" | "map" | "editor") {
                return Err(format!("demo: step {}: show must be terminal, map or editor, not {p:?}", i + 1));
            }
        }
        if let Some(w) = &s.wait {
            if kubeplay_sim::world::parse_duration(w).is_none() {
                return Err(format!("demo: step {}: wait {w:?} is not a duration like 30s or 5m", i + 1));
            }
        }
    }
    Ok(demo)
}

/// The world a demo starts from.
pub fn start(demo: &Demo) -> World {
    World::with_topology(demo.seed, &kubeplay_sim::topology::Topology::of_size(demo.nodes))
}

/// Runs one step on `world` with `shell`, returning what the terminal shows.
pub fn run_step(world: &mut World, shell: &mut Shell, step: &DemoStep) -> Option<Output> {
    let line = step.line()?;
    let env = Env { files: &kubeplay_kubectl::NoFiles, stdin: step.apply.as_deref() };
    Some(shell.run(world, &line, &env))
}

/// A step that did not go as the script says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based.
    pub step: usize,
    pub line: String,
    pub message: String,
}

/// What rehearsing a demo found: the transcript, the problems and the final state hash.
pub struct Rehearsal {
    pub transcript: String,
    pub problems: Vec<Problem>,
    pub hash: u64,
}

/// Runs a whole demo natively, as `kubeplay demo check` does.
pub fn rehearse(demo: &Demo) -> Rehearsal {
    let mut world = start(demo);
    let mut shell = Shell::default();
    let mut transcript = String::new();
    let mut problems = Vec::new();
    for (i, step) in demo.steps.iter().enumerate() {
        if let Some(c) = &step.caption {
            transcript.push_str(&format!("# {c}\n"));
        }
        let Some(out) = run_step(&mut world, &mut shell, step) else { continue };
        let line = step.line().unwrap_or_default();
        transcript.push_str(&format!("$ {line}\n{}", out.combined()));
        let failed = out.exit_code != 0;
        if failed != step.fails {
            let message = if failed {
                format!("exited {}: {}", out.exit_code, out.combined().lines().last().unwrap_or("").trim())
            } else {
                "was expected to fail but succeeded".to_string()
            };
            problems.push(Problem { step: i + 1, line: line.clone(), message });
        }
        if let Some(want) = &step.expect {
            if !out.combined().contains(want.as_str()) {
                problems.push(Problem { step: i + 1, line, message: format!("output does not contain {want:?}") });
            }
        }
    }
    Rehearsal { transcript, problems, hash: world.state_hash() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title: Self-healing
nodes: 2
steps:
  - caption: A Deployment keeps its replicas.
    apply: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: nginx}]}
  - run: settle
  - run: kubectl get deploy web
    expect: "2/2"
  - run: kubectl get pod nope
    fails: true
  - wait: 30s
    show: map
"#;

    #[test]
    fn a_demo_rehearses_the_same_way_twice() {
        let demo = parse(GOOD).expect("parses");
        let a = rehearse(&demo);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert!(a.transcript.contains("deployment.apps/web created"));
        assert_eq!(rehearse(&demo).hash, a.hash, "the same script gives the same world");
    }

    #[test]
    fn problems_name_their_step() {
        let demo = parse(&GOOD.replace("expect: \"2/2\"", "expect: \"3/3\"").replace("fails: true", "fails: false")).unwrap();
        let r = rehearse(&demo);
        let steps: Vec<usize> = r.problems.iter().map(|p| p.step).collect();
        assert_eq!(steps, vec![3, 4]);
        assert!(r.problems[1].message.contains("NotFound"));
    }

    #[test]
    fn malformed_demos_are_refused_with_a_reason() {
        assert!(parse("title: x\nsteps: []\n").unwrap_err().contains("no steps"));
        assert!(parse("title: x\nsteps:\n  - run: a\n    wait: 5s\n").unwrap_err().contains("more than one"));
        assert!(parse("title: x\nsteps:\n  - show: stage\n").unwrap_err().contains("show must be"));
        assert!(parse("title: x\nsteps:\n  - wait: soon\n").unwrap_err().contains("not a duration"));
        assert!(parse("title: x\nsteps:\n  - runn: a\n").unwrap_err().contains("unknown field"));
    }
}
