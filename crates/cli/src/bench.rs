//! `kubeplay bench`: how fast the simulator creates, schedules and starts pods, natively.
//! Wall-clock timing lives here at the edge; the simulation itself never reads a clock.

use kubeplay_sim::topology::Topology;
use kubeplay_sim::World;

/// One measured run.
pub struct Run {
    pub nodes: u32,
    pub pods: u32,
    pub seconds: f64,
    pub events: u64,
    pub running: usize,
}

fn deployment(name: &str, replicas: u32) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "hashicorp/http-echo:1.0", "args": ["-text=hi"],
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}
        }
    })
}

/// Creates `pods` pods through Deployments of 100 replicas on `nodes` nodes and runs the
/// cluster until every pod is Running.
#[allow(clippy::disallowed_methods)] // wall-clock timing is the point of a benchmark
pub fn run(nodes: u32, pods: u32) -> Run {
    let topo = Topology::new(1, nodes.saturating_sub(1));
    let start = std::time::Instant::now();
    let mut world = World::with_topology(1, &topo);
    let per = 100;
    let mut left = pods;
    let mut i = 0;
    while left > 0 {
        let n = left.min(per);
        let _ = world.apply(&deployment(&format!("app-{i}"), n));
        left -= n;
        i += 1;
    }
    let mut events = 0u64;
    loop {
        match world.run_until_settled(5_000_000) {
            kubeplay_sim::Settled::Settled { events: e } => {
                events += e;
                break;
            }
            kubeplay_sim::Settled::Bounded { events: e } => events += e,
        }
        if events > 200_000_000 {
            break;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let running = world
        .store()
        .list(kubeplay_sim::Kind::Pod, None)
        .filter(|o| matches!(o, kubeplay_sim::Object::Pod(p) if p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")))
        .count();
    Run { nodes, pods, seconds, events, running }
}

/// Milliseconds to judge each lesson step's first reference solution (the verdict a learner
/// waits for), natively.
#[allow(clippy::disallowed_methods)] // wall-clock timing is the point of a benchmark
pub fn lesson_latencies(lessons: &[kubeplay_lessons::Lesson]) -> Vec<f64> {
    let mut out = Vec::new();
    for l in lessons {
        for (i, s) in l.steps.iter().enumerate() {
            if let Some(sol) = s.solutions.first() {
                let t = std::time::Instant::now();
                let _ = kubeplay_lessons::check(l, i, sol, None);
                out.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    out
}
