//! Property tests: arbitrary YAML and arbitrary command lines never panic, and a request the
//! API server rejects leaves the cluster exactly as it was (same state hash).

use kubeplay_kubectl::{run, Env, NoFiles};
use kubeplay_sim::World;
use proptest::prelude::*;

const VALID: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
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
";

/// A settled world with some objects in it, so requests have things to hit.
fn world() -> World {
    let mut w = World::new(7);
    let env = Env { files: &NoFiles, stdin: Some(VALID) };
    run(&mut w, "kubectl apply -f -", &env);
    run(&mut w, "kubectl create configmap cfg --from-literal=a=b", &env);
    w.run_until_settled(100_000);
    w
}

/// Lines of the valid manifest with some mutated: dropped, duplicated, re-indented, or
/// with their value replaced by odd YAML.
fn mutated_manifest() -> impl Strategy<Value = String> {
    let lines: Vec<String> = VALID.lines().map(String::from).collect();
    let n = lines.len();
    proptest::collection::vec((0..n, 0u8..6, "[a-zA-Z0-9:{}\\[\\]\\-_ ,.'\"#&*!|>%@]{0,12}"), 0..6).prop_map(move |muts| {
        let mut ls = lines.clone();
        for (i, op, junk) in muts {
            if i >= ls.len() {
                continue;
            }
            match op {
                0 => {
                    ls.remove(i);
                }
                1 => {
                    let l = ls[i].clone();
                    ls.insert(i, l);
                }
                2 => ls[i] = format!(" {}", ls[i]),
                3 => {
                    if let Some((k, _)) = ls[i].split_once(':') {
                        ls[i] = format!("{k}: {junk}");
                    }
                }
                4 => ls[i] = junk,
                _ => ls[i] = ls[i].trim_start().to_string(),
            }
        }
        ls.join("\n")
    })
}

fn command_line() -> impl Strategy<Value = String> {
    let words = prop_oneof![
        Just("get".to_string()),
        Just("apply".to_string()),
        Just("create".to_string()),
        Just("delete".to_string()),
        Just("describe".to_string()),
        Just("label".to_string()),
        Just("scale".to_string()),
        Just("rollout".to_string()),
        Just("logs".to_string()),
        Just("set".to_string()),
        Just("expose".to_string()),
        Just("pods".to_string()),
        Just("deploy".to_string()),
        Just("deployment/web".to_string()),
        Just("web".to_string()),
        Just("-f".to_string()),
        Just("-".to_string()),
        Just("-n".to_string()),
        Just("-o".to_string()),
        Just("yaml".to_string()),
        Just("jsonpath={.items[*].metadata.name}".to_string()),
        Just("-l".to_string()),
        Just("app=web".to_string()),
        Just("--replicas=-3".to_string()),
        Just("--replicas=5".to_string()),
        Just("image".to_string()),
        Just("web=nginx:1.26".to_string()),
        Just("status".to_string()),
        Just("undo".to_string()),
        Just("--to-revision=9".to_string()),
        Just("-A".to_string()),
        Just("--all".to_string()),
        "[a-z0-9=/.,:{}()\\[\\]\\-]{1,10}",
    ];
    proptest::collection::vec(words, 0..7).prop_map(|w| format!("kubectl {}", w.join(" ")))
}

/// The number of cases: the default, or `KUBEPLAY_PROPTEST_CASES` for a longer hunt.
fn cases(default: u32) -> u32 {
    std::env::var("KUBEPLAY_PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(192), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let mut w = world();
        let env = Env { files: &NoFiles, stdin: Some(&text) };
        let _ = run(&mut w, "kubectl apply -f -", &env);
        let _ = run(&mut w, "kubectl create -f -", &env);
        let _ = run(&mut w, "kubectl delete -f -", &env);
    }

    #[test]
    fn rejected_manifests_leave_the_state_unchanged(text in mutated_manifest()) {
        let mut w = world();
        let before = w.state_hash();
        let env = Env { files: &NoFiles, stdin: Some(&text) };
        let out = run(&mut w, "kubectl apply -f -", &env);
        if out.exit_code != 0 && out.stdout.is_empty() {
            prop_assert_eq!(before, w.state_hash(), "rejected apply changed the state: {}", out.stderr);
        }
    }

    #[test]
    fn arbitrary_command_lines_never_panic(line in command_line(), raw in "\\PC{0,60}") {
        let mut w = world();
        let env = Env { files: &NoFiles, stdin: Some(VALID) };
        let before = w.state_hash();
        let out = run(&mut w, &line, &env);
        // A read-only verb never changes anything.
        let verb = line.split_whitespace().nth(1).unwrap_or("");
        if verb == "get" || verb == "describe" || verb == "logs" {
            prop_assert_eq!(before, w.state_hash(), "{} changed the state", line);
        }
        let _ = out;
        let _ = run(&mut w, &format!("kubectl {raw}"), &env);
        let _ = run(&mut w, &raw, &env);
    }
}

/// Shell-level lines: lists, loops, redirects, pipes, substitutions, kubeplay's own commands
/// and scripts run inside pods, built from fragments that stress the parsers.
fn shell_line() -> impl Strategy<Value = String> {
    let frag = prop_oneof![
        Just("kubectl get pods".to_string()),
        Just(
            "kubectl exec deploy/web -- sh -c 'echo $(hostname) > /usr/share/nginx/html/x; cat /usr/share/nginx/html/x'"
                .to_string()
        ),
        Just("kubectl exec deploy/web -- ls /usr/share/nginx/html /nope".to_string()),
        Just("for i in {1..3}; do echo $i; done".to_string()),
        Just("for i in $(seq 2); do kubectl get pod p$i".to_string()),
        Just("done".to_string()),
        Just("while true; do".to_string()),
        Just(";".to_string()),
        Just("&&".to_string()),
        Just("||".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just(">>".to_string()),
        Just("2>&1".to_string()),
        Just("out.yaml".to_string()),
        Just("cat out.yaml".to_string()),
        Just("base64 -d".to_string()),
        Just("fault kill".to_string()),
        Just("fault stop-node k3s-server".to_string()),
        Just("why pod/".to_string()),
        Just("kubectl top pods".to_string()),
        Just("sleep 1s".to_string()),
        Just("X=$(kubectl get pods -o name)".to_string()),
        Just("echo \"$X\" '$X' ${X}".to_string()),
        "\\PC{0,12}",
    ];
    proptest::collection::vec(frag, 0..8).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(160), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_shell_lines_never_panic(line in shell_line()) {
        let mut w = world();
        let mut sh = kubeplay_kubectl::shell::Shell::default();
        let env = Env { files: &NoFiles, stdin: Some(VALID) };
        let _ = sh.run(&mut w, &line, &env);
        let _ = sh.run(&mut w, &line, &env);
        let _ = kubeplay_kubectl::complete::complete(&w, &line);
    }
}

#[test]
fn validation_errors_carry_source_positions() {
    let mut w = World::new(1);
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: other\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
    let env = Env { files: &NoFiles, stdin: Some(text) };
    let out = run(&mut w, "kubectl apply -f -", &env);
    assert_eq!(out.stdout, "configmap/ok created\n");
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!((d.line, d.column), (16, 7), "{d:?}");
    assert!(d.message.contains("`selector` does not match template `labels`"));
    let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    imagee: nginx\n";
    let env = Env { files: &NoFiles, stdin: Some(bad) };
    let out = run(&mut w, "kubectl apply -f -", &env);
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!((out.diagnostics[0].line, out.diagnostics[0].column), (8, 5));
}

#[test]
fn oversized_requests_are_refused_as_the_api_server_does_and_change_nothing() {
    let mut w = world();
    let before = w.state_hash();
    let big =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {}\n", "x".repeat(4 * 1024 * 1024));
    let env = Env { files: &NoFiles, stdin: Some(&big) };
    let out = run(&mut w, "kubectl apply -f -", &env);
    assert_eq!(
        out.stderr,
        "Error from server (RequestEntityTooLarge): error when applying \"STDIN\": Request entity too large: limit is 3145728\n"
    );
    assert_eq!(out.exit_code, 1);
    assert_eq!(before, w.state_hash());
    // Text beyond what kubeplay parses is refused before parsing.
    let huge = "#".repeat(9 * 1024 * 1024);
    let env = Env { files: &NoFiles, stdin: Some(&huge) };
    let out = run(&mut w, "kubectl create -f -", &env);
    assert!(out.stderr.starts_with("error: STDIN is 9437184 bytes; kubeplay reads at most"), "{}", out.stderr);
    assert_eq!(before, w.state_hash());
}
