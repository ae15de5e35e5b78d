//! `kubeplay lesson verify`: every reference solution passes, and every known-wrong answer
//! fails with its feedback in the verdict. Teams run it in their own CI.

use crate::engine::check;
use crate::format::Lesson;

/// The outcome of verifying lessons: one line per answer checked, and the failures.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub lines: Vec<String>,
    pub failures: Vec<String>,
    pub answers_checked: u32,
}

/// Verifies every step of every lesson.
pub fn verify(lessons: &[Lesson]) -> Report {
    let mut r = Report::default();
    for l in lessons {
        for (i, s) in l.steps.iter().enumerate() {
            for (j, sol) in s.solutions.iter().enumerate() {
                r.answers_checked += 1;
                let v = check(l, i, sol, None);
                let name = format!("{} step {} ({}) solution {}", l.id, i + 1, s.id, j + 1);
                if v.passed {
                    r.lines.push(format!("ok   {name}"));
                } else {
                    let failed: Vec<String> =
                        v.checks.iter().filter(|c| !c.pass).map(|c| format!("{}: {}", c.description, c.explanation)).collect();
                    r.lines.push(format!("FAIL {name}"));
                    r.failures.push(format!("{name} does not pass: {}\n{}", failed.join("; "), v.transcript));
                }
            }
            for (j, w) in s.wrong.iter().enumerate() {
                r.answers_checked += 1;
                let v = check(l, i, &w.answer, None);
                let name = format!("{} step {} ({}) wrong answer {}", l.id, i + 1, s.id, j + 1);
                let said: Vec<String> =
                    v.checks.iter().filter(|c| !c.pass).map(|c| format!("{} — {}", c.description, c.explanation)).collect();
                let all = said.join("\n");
                if v.passed {
                    r.lines.push(format!("FAIL {name}"));
                    r.failures.push(format!("{name} passes, but it must fail"));
                } else if !all.contains(&w.feedback) {
                    r.lines.push(format!("FAIL {name}"));
                    r.failures.push(format!("{name} fails without the expected feedback {:?}; it said:\n{all}", w.feedback));
                } else {
                    r.lines.push(format!("ok   {name}"));
                }
            }
        }
    }
    r
}
