//! A shared link's fragment: decode it and, when it is a session, replay it on a fresh
//! sandbox cluster as the page does (bounded runs between commands).
#![no_main]
mod common;

#[path = "../../src/share.rs"]
#[allow(dead_code)]
mod share;

use libfuzzer_sys::fuzz_target;

/// `TICK_EVENT_BOUND * 50` in `src/state.rs`; `#step` and `#steps N` are its `STEP_LINE` and
/// `STEPS_PREFIX`.
const REPLAY_BOUND: u64 = 20_000 * 50;

fuzz_target!(|data: &[u8]| {
    let Some(frag) = common::text(data) else { return };
    let Ok(Some(sh)) = share::decode(frag) else { return };
    let mut w = kubeplay_sim::World::new(1);
    let mut shell = kubeplay_kubectl::shell::Shell::default();
    for e in sh.log.iter().take(16) {
        let now = w.now_ms();
        if e.t > now {
            w.run_for(e.t - now, REPLAY_BOUND);
        }
        if e.line == "#step" {
            w.step();
        } else if let Some(n) = e.line.strip_prefix("#steps ").and_then(|n| n.parse::<u64>().ok()) {
            for _ in 0..n.min(REPLAY_BOUND) {
                w.step();
            }
        } else {
            common::run_line(&mut w, &mut shell, &e.line, sh.stdin_of(e));
        }
    }
    // Re-encoding what was decoded must work (the page shares on from a replayed link).
    let _ = share::encode(&sh);
});
