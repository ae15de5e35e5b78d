//! What the fuzz targets share: a settled cluster with objects in it (booted once, cloned
//! per input, as the page's snapshots are), and the bounds the page itself uses.
#![allow(dead_code)]

use kubeplay_kubectl::{shell::Shell, Env, NoFiles, Output};
use kubeplay_sim::World;
use std::sync::OnceLock;

/// Events the page lets one run take before it yields (`TICK_EVENT_BOUND` × 50 in
/// `src/state.rs`); the fuzzers settle within a tenth of that to keep inputs fast.
pub const SETTLE_BOUND: u64 = 100_000;

const SEED_YAML: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
";

/// The cluster every input starts from.
pub fn base() -> World {
    static BASE: OnceLock<World> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut w = World::new(7);
        let env = Env { files: &NoFiles, stdin: Some(SEED_YAML) };
        kubeplay_kubectl::run(&mut w, "kubectl apply -f -", &env);
        kubeplay_kubectl::run(&mut w, "kubectl create configmap cfg --from-literal=a=b", &env);
        w.run_until_settled(SETTLE_BOUND);
        w
    })
    .clone()
}

/// Runs one terminal line as the page does (the learner shell, then kubectl).
pub fn run_line(world: &mut World, shell: &mut Shell, line: &str, stdin: Option<&str>) -> Output {
    let env = Env { files: &NoFiles, stdin };
    shell.run(world, line, &env)
}

/// Text from fuzzer bytes: the page only ever hands the core valid UTF-8.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
