//! Tab completion for the terminal, as kubectl's shell completion behaves: commands, verbs,
//! resource types, `TYPE/NAME`, and the names of objects in the namespace (`-n` honoured).
//! Completion works on the end of the line.

use kubeplay_sim::{Kind, World};

/// What Tab does to a line: the new line, and the candidates when they are several.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub candidates: Vec<String>,
}

const COMMANDS: &[&str] = &["kubectl", "curl", "traffic", "fault", "why", "sleep", "settle", "clear", "echo"];

/// Verbs whose arguments are `TYPE [NAME]` or `TYPE/NAME`.
const TYPED: &[&str] =
    &["get", "describe", "delete", "edit", "label", "annotate", "patch", "scale", "expose", "wait", "autoscale"];

const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

fn verbs() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = crate::exec::VERBS.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// The resource type names kubectl accepts: plurals, and short names.
fn resource_types() -> Vec<String> {
    let mut v: Vec<String> = Kind::ALL
        .iter()
        .flat_map(|k| {
            let i = k.info();
            std::iter::once(i.plural.to_string()).chain(i.short.iter().map(|s| s.to_string()))
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

fn names(world: &World, kind: Kind, namespace: &str) -> Vec<String> {
    let ns = if kind.info().namespaced { Some(namespace) } else { None };
    let mut v: Vec<String> = world.store().list(kind, ns).filter_map(|o| o.meta().name.clone()).collect();
    v.sort();
    v
}

fn common_prefix(items: &[String]) -> String {
    let Some(first) = items.first() else { return String::new() };
    let mut end = first.len();
    for i in &items[1..] {
        end = end.min(first.bytes().zip(i.bytes()).take_while(|(a, b)| a == b).count());
    }
    while !first.is_char_boundary(end) {
        end -= 1;
    }
    first[..end].to_string()
}

/// Completes the last word of `line`.
pub fn complete(world: &World, line: &str) -> Completion {
    // Any whitespace ends a word (split_whitespace splits on all of it, e.g. U+2009).
    let ends_with_space = line.is_empty() || line.ends_with(char::is_whitespace);
    let words: Vec<&str> = line.split_whitespace().collect();
    let (done, partial): (&[&str], &str) =
        if ends_with_space { (&words[..], "") } else { (&words[..words.len() - 1], words[words.len() - 1]) };
    // The namespace: `-n X` / `--namespace X` / `--namespace=X` anywhere before.
    let mut namespace = world.context_namespace().unwrap_or_else(|| "default".into());
    for (i, w) in done.iter().enumerate() {
        if (*w == "-n" || *w == "--namespace") && i + 1 < done.len() {
            namespace = done[i + 1].to_string();
        } else if let Some(ns) = w.strip_prefix("--namespace=") {
            namespace = ns.to_string();
        }
    }
    // Positional words after the command (flags and their values dropped).
    let mut pos: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in done.iter().skip(1) {
        if skip {
            skip = false;
            continue;
        }
        if *w == "-n" || *w == "--namespace" || *w == "-c" || *w == "--container" || *w == "-o" || *w == "-l" {
            skip = true;
            continue;
        }
        if w.starts_with('-') {
            continue;
        }
        pos.push(w);
    }
    let candidates: Vec<String> = if partial.starts_with('-') {
        Vec::new()
    } else if done.is_empty() {
        COMMANDS.iter().map(|c| c.to_string()).collect()
    } else if !matches!(done[0], "kubectl" | "k") {
        match done[0] {
            "fault" if pos.is_empty() => vec!["kill".into(), "start-node".into(), "stop-node".into()],
            "fault" if pos.first() == Some(&"kill") => names(world, Kind::Pod, &namespace),
            "fault" if pos.len() == 1 => names(world, Kind::Node, ""),
            _ => Vec::new(),
        }
    } else {
        match pos.as_slice() {
            [] => verbs().iter().map(|v| v.to_string()).collect(),
            ["rollout"] => ROLLOUT.iter().map(|v| v.to_string()).collect(),
            ["rollout", _] => typed_or_names(world, &["deployments", "daemonsets", "statefulsets"], partial, &namespace),
            ["rollout", t, ..] => kind_names(world, t, &namespace),
            ["logs" | "exec" | "port-forward" | "attach"] => {
                let mut v = names(world, Kind::Pod, &namespace);
                if partial.contains('/') {
                    v = typed(world, partial, &namespace);
                }
                v
            }
            ["cordon" | "uncordon" | "drain" | "taint"] => names(world, Kind::Node, ""),
            ["create"] => ["configmap", "cronjob", "deployment", "ingress", "job", "namespace", "secret", "service"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ["set"] => ["env", "image", "resources"].iter().map(|s| s.to_string()).collect(),
            ["set", _] => typed_or_names(world, &["deployments", "daemonsets", "statefulsets", "pods"], partial, &namespace),
            [v] if TYPED.contains(v) => {
                if partial.contains('/') {
                    typed(world, partial, &namespace)
                } else {
                    resource_types()
                }
            }
            [v, t, ..] if TYPED.contains(v) && !t.contains('/') => kind_names(world, t, &namespace),
            _ => Vec::new(),
        }
    };
    let matching: Vec<String> = candidates.into_iter().filter(|c| c.starts_with(partial)).collect();
    let head = line.strip_suffix(partial).unwrap_or(line);
    match matching.len() {
        0 => Completion { line: line.to_string(), candidates: Vec::new() },
        1 => Completion { line: format!("{head}{} ", matching[0]), candidates: Vec::new() },
        _ => {
            let prefix = common_prefix(&matching);
            Completion {
                line: format!("{head}{}", if prefix.len() > partial.len() { &prefix } else { partial }),
                candidates: matching,
            }
        }
    }
}

/// `TYPE/NAME` candidates for a partial `TYPE/...`.
fn typed(world: &World, partial: &str, namespace: &str) -> Vec<String> {
    let Some((t, _)) = partial.split_once('/') else { return Vec::new() };
    kind_names(world, t, namespace).into_iter().map(|n| format!("{t}/{n}")).collect()
}

fn typed_or_names(world: &World, types: &[&str], partial: &str, namespace: &str) -> Vec<String> {
    if partial.contains('/') {
        typed(world, partial, namespace)
    } else {
        types.iter().map(|t| t.to_string()).collect()
    }
}

fn kind_names(world: &World, t: &str, namespace: &str) -> Vec<String> {
    match Kind::from_resource_name(t) {
        Some(k) => names(world, k, namespace),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_verbs_types_and_names() {
        let mut w = World::new(1);
        let env = crate::Env { files: &crate::NoFiles, stdin: None };
        crate::run(&mut w, "kubectl create deployment web --image=nginx", &env);
        crate::run(&mut w, "kubectl create deployment worker --image=nginx", &env);
        assert_eq!(complete(&w, "kub").line, "kubectl ");
        assert_eq!(complete(&w, "kubectl desc").line, "kubectl describe ");
        assert_eq!(complete(&w, "kubectl get deploym").line, "kubectl get deployments ");
        let c = complete(&w, "kubectl get deployments w");
        assert_eq!(c.candidates, vec!["web".to_string(), "worker".to_string()]);
        assert_eq!(c.line, "kubectl get deployments w");
        assert_eq!(complete(&w, "kubectl get deployments wo").line, "kubectl get deployments worker ");
        assert_eq!(complete(&w, "kubectl describe deploy/we").line, "kubectl describe deploy/web ");
        assert_eq!(complete(&w, "kubectl rollout st").line, "kubectl rollout status ");
        assert_eq!(complete(&w, "kubectl rollout status deployment/wo").line, "kubectl rollout status deployment/worker ");
        assert_eq!(
            complete(&w, "kubectl get pods -n kube-system cored")
                .line
                .split_whitespace()
                .last()
                .map(|s| s.starts_with("coredns-")),
            Some(true)
        );
        assert_eq!(complete(&w, "kubectl cordon k3s").line, "kubectl cordon k3s-server ");
        assert_eq!(complete(&w, "fault st").candidates, vec!["start-node".to_string(), "stop-node".to_string()]);
        assert_eq!(complete(&w, "fault ki").line, "fault kill ");
        // Nothing to offer: the line is unchanged.
        assert_eq!(complete(&w, "kubectl get pods --wat").line, "kubectl get pods --wat");
        assert_eq!(complete(&w, "kubectl get zzz").candidates, Vec::<String>::new());
        // A line ending in whitespace other than a space (a thin space, a tab) starts a new
        // word; found by the robustness proptest, which once sliced inside U+2009.
        let c = complete(&w, "fault stop-node k3s-server \\ \u{2009}");
        assert_eq!(c.line, "fault stop-node k3s-server \\ \u{2009}");
        assert_eq!(complete(&w, "kubectl\tdesc").line, "kubectl\tdescribe ");
        assert!(!complete(&w, "kubectl get\t").candidates.is_empty());
    }
}
