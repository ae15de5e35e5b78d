//! `kubeplay bench`: how fast the simulator creates, schedules and starts pods, natively.
//! Wall-clock timing lives here at the edge; the simulation itself never reads a clock.

/// One measured run.
pub struct Run {
    pub nodes: u32,
    pub pods: u32,
    /// Booting the cluster: its nodes and k3s's system pods, settled.
    pub boot_seconds: f64,
    /// From applying the Deployments to every pod Running.
    pub seconds: f64,
    pub events: u64,
    pub running: usize,
}

/// Creates `pods` pods through Deployments of 100 replicas on `nodes` nodes and runs the
/// cluster until every pod is Running (`kubeplay_sim::bench`), timing that apart from the
/// cluster's boot.
#[allow(clippy::disallowed_methods)] // wall-clock timing is the point of a benchmark
pub fn run(nodes: u32, pods: u32) -> Run {
    let boot = std::time::Instant::now();
    let mut world = kubeplay_sim::bench::cluster(nodes);
    let boot_seconds = boot.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    kubeplay_sim::bench::apply_workload(&mut world, pods);
    let events = kubeplay_sim::bench::run_to_completion(&mut world);
    let seconds = start.elapsed().as_secs_f64();
    Run { nodes, pods, boot_seconds, seconds, events, running: kubeplay_sim::bench::running(&world) }
}

/// Milliseconds to judge each lesson step's first reference solution (the verdict a learner
/// waits for, after the step's cluster was prepared on opening it), natively.
#[allow(clippy::disallowed_methods)] // wall-clock timing is the point of a benchmark
pub fn lesson_latencies(lessons: &[kubeplay_lessons::Lesson]) -> Vec<f64> {
    let mut out = Vec::new();
    for l in lessons {
        for (i, s) in l.steps.iter().enumerate() {
            if let Some(sol) = s.solutions.first() {
                // The page prepares a step's cluster when the step opens (the learner is
                // reading the task then); the verdict the learner waits for comes after.
                let _ = kubeplay_lessons::engine::prepare(l, i, None);
                let t = std::time::Instant::now();
                let _ = kubeplay_lessons::check(l, i, sol, None);
                out.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    out
}
