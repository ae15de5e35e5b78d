//! A lesson pack from a file or URL: parse and validate it, then do what the page does when
//! a learner opens its steps (prepare the world, render the prose, evaluate the checks,
//! build the goal view) and what "check" does with the step's reference answer.
#![no_main]
mod common;

use kubeplay_lessons::{engine, load, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else { return };
    let Ok(pack) = load::parse_pack(text) else { return };
    for lesson in pack.lessons.iter().take(2) {
        markdown::to_html(&lesson.body);
        for (i, step) in lesson.steps.iter().enumerate().take(3) {
            markdown::to_html(&step.task);
            let world = engine::prepare(lesson, i, Some(1));
            engine::evaluate(&world, step);
            engine::goal(&world, step);
            if let Some(answer) = step.solutions.first() {
                engine::check(lesson, i, answer, Some(1));
            }
        }
    }
});
