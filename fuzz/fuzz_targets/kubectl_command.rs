//! Arbitrary terminal lines (kubectl, the learner shell's commands, pipes, heredocs) run one
//! after another on a cluster with objects in it, with virtual time passing between them.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else { return };
    let mut w = common::base();
    let mut shell = kubeplay_kubectl::shell::Shell::default();
    for line in text.lines().take(24) {
        let out = common::run_line(&mut w, &mut shell, line, Some(text));
        // The page prints these; they must be whole strings (no invalid slicing above).
        let _ = (out.stdout.len(), out.stderr.len());
        w.run_for(2_000, common::SETTLE_BOUND);
    }
});
