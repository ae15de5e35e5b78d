//! Determinism across runs and platforms.
//! - 1,000 random sessions (random clusters, seeds, manifests, commands, faults and waits;
//!   `random_session.rs`) each run twice on fresh clusters must give identical traces: the
//!   same store writes in the same order and the same state hash after every input.
//! - The fixture `tests/fixtures/determinism.txt` holds the traces of sessions 0..50, which
//!   the wasm test (`tests/web.rs`) replays in headless Chromium; here they are checked
//!   natively. `KUBEPLAY_BLESS=1` rewrites the fixture after an intended change.
//!
//! Any divergence prints the first differing write.

use kubeplay_kubectl::random_session::{check_fixture, first_difference, fixture_line, generate, play};

/// How many sessions the property runs (each twice).
const SESSIONS: u64 = 1_000;
/// How many sessions the fixture pins for the wasm comparison.
pub const FIXED: u64 = 50;

#[test]
fn a_thousand_random_sessions_run_twice_give_identical_traces() {
    // Sessions are independent: spread them over the machine's cores.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4)) as u64;
    let results: Vec<(Vec<String>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    let (mut differing, mut writes) = (Vec::new(), 0usize);
                    for n in (w..SESSIONS).step_by(workers as usize) {
                        let s = generate(n);
                        let (a, b) = (play(&s), play(&s));
                        writes += a.steps.iter().map(|s| s.writes.len()).sum::<usize>();
                        if let Some(d) = first_difference(&a, &b) {
                            differing.push(format!("session {n}: {d}"));
                        }
                    }
                    (differing, writes)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a session panicked")).collect()
    });
    let differing: Vec<String> = results.iter().flat_map(|r| r.0.clone()).collect();
    let writes: usize = results.iter().map(|r| r.1).sum();
    assert!(differing.is_empty(), "{} of {SESSIONS} sessions diverged:\n{}", differing.len(), differing.join("\n"));
    // The sessions do real work: on average dozens of writes each.
    assert!(writes as u64 > SESSIONS * 20, "only {writes} writes in {SESSIONS} sessions");
}

#[test]
fn the_fixed_sessions_match_the_fixture() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/determinism.txt");
    let lines: Vec<String> = (0..FIXED).map(|n| fixture_line(n, &play(&generate(n)))).collect();
    if std::env::var_os("KUBEPLAY_BLESS").is_some() {
        std::fs::write(path, lines.join("\n") + "\n").expect("write fixture");
        return;
    }
    let fixture = std::fs::read_to_string(path).expect("fixture (KUBEPLAY_BLESS=1 writes it)");
    let expected: Vec<&str> = fixture.lines().collect();
    assert_eq!(expected.len() as u64, FIXED);
    for n in 0..FIXED {
        let t = play(&generate(n));
        if let Some(d) = check_fixture(expected[n as usize], n, &t) {
            panic!("{d}\n(after an intended change, rewrite the fixture with KUBEPLAY_BLESS=1)");
        }
    }
}
