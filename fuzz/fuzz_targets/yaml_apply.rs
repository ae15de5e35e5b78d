//! `kubectl apply -f -` with arbitrary YAML, on a cluster with objects in it, then a bounded
//! settle. Beyond not panicking: a request that changed nothing (error, nothing printed)
//! leaves the state hash as it was, and the world stays deterministic.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(yaml) = common::text(data) else { return };
    let mut w = common::base();
    let before = w.state_hash();
    let env = kubeplay_kubectl::Env { files: &kubeplay_kubectl::NoFiles, stdin: Some(yaml) };
    let out = kubeplay_kubectl::run(&mut w, "kubectl apply -f -", &env);
    if out.exit_code != 0 && out.stdout.is_empty() {
        assert_eq!(before, w.state_hash(), "a rejected apply changed the cluster: {}", out.stderr);
    }
    w.run_until_settled(common::SETTLE_BOUND);
    // Reading back what was made must work too.
    for line in ["kubectl get all -A", "kubectl describe pods", "kubectl get events"] {
        kubeplay_kubectl::run(&mut w, line, &env);
    }
});
