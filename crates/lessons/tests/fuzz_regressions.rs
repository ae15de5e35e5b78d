//! Inputs the fuzzers found (`fuzz/regressions/`), kept as tests.

use kubeplay_lessons::{engine, load};
use kubeplay_sim::kinds::Kind;

/// lesson_pack, a timeout: a CronJob whose pods crash under `restartPolicy: OnFailure`.
/// Its Jobs reached FailureTarget, deleted their pod, then (the deleted pod's restarts no
/// longer counted) started a new one, forever: after `sleep 65m` the cluster held Jobs
/// stuck in FailureTarget and settling took minutes. Now each fails, and the CronJob's
/// history limit keeps one.
#[test]
fn a_crashing_onfailure_cronjob_does_not_pile_up_jobs() {
    let text = include_str!("../../../fuzz/regressions/lesson_pack/cronjob-onfailure-timeout.yaml");
    let pack = load::parse_pack(text).expect("the found pack parses");
    let lesson = &pack.lessons[0];
    // Step 3's world: step 1's (mutated) solution, then step 2's `sleep 65m`.
    let world = engine::prepare(lesson, 2, Some(1));
    let jobs: Vec<(String, String)> = world
        .store()
        .list(Kind::Job, Some("default"))
        .map(|j| {
            let conds = match j {
                kubeplay_sim::kinds::Object::Job(j) => j
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .map(|c| c.iter().filter(|c| c.status == "True").map(|c| c.type_.clone()).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (j.meta().name.clone().unwrap_or_default(), conds)
        })
        .collect();
    assert!(jobs.len() <= 2, "{jobs:?}");
    assert!(jobs.iter().all(|(_, c)| c.is_empty() || c == "FailureTarget,Failed"), "{jobs:?}");
}
