//! A pflag-like parser for kubectl arguments: `--flag=v`, `--flag v`, `-n v`, `-nv`,
//! repeated flags, booleans (`--all`, `--wait=false`) and `--` for exec.

use std::collections::BTreeMap;

/// Flags that take a value, by every name they may be written with, mapped to one name.
const VALUE_FLAGS: &[(&str, &str)] = &[
    ("-n", "namespace"),
    ("--namespace", "namespace"),
    ("-l", "selector"),
    ("--selector", "selector"),
    ("-o", "output"),
    ("--output", "output"),
    ("-f", "filename"),
    ("--filename", "filename"),
    ("-k", "kustomize"),
    ("--kustomize", "kustomize"),
    ("--field-selector", "field-selector"),
    ("--image", "image"),
    ("--replicas", "replicas"),
    ("--port", "port"),
    ("--target-port", "target-port"),
    ("--type", "type"),
    ("--name", "name"),
    ("--grace-period", "grace-period"),
    ("--cascade", "cascade"),
    ("--to-revision", "to-revision"),
    ("--revision", "revision"),
    ("-c", "container"),
    ("--container", "container"),
    ("--tail", "tail"),
    ("--max-log-requests", "max-log-requests"),
    ("--dry-run", "dry-run"),
    ("--from-literal", "from-literal"),
    ("--from-file", "from-file"),
    ("--from-env-file", "from-env-file"),
    ("--docker-server", "docker-server"),
    ("--verb", "verb"),
    ("--resource", "resource"),
    ("--resource-name", "resource-name"),
    ("--non-resource-url", "non-resource-url"),
    ("--role", "role"),
    ("--clusterrole", "clusterrole"),
    ("--user", "user"),
    ("--group", "group"),
    ("--serviceaccount", "serviceaccount"),
    ("--docker-username", "docker-username"),
    ("--docker-password", "docker-password"),
    ("--docker-email", "docker-email"),
    ("--from", "from"),
    ("--prefix", "prefix"),
    ("--schedule", "schedule"),
    ("--restart", "restart"),
    ("--labels", "labels"),
    ("--hard", "hard"),
    ("--min-available", "min-available"),
    ("--max-unavailable", "max-unavailable"),
    ("--namespaced", "namespaced"),
    ("--overrides", "overrides"),
    ("--image-pull-policy", "image-pull-policy"),
    ("--env", "env"),
    ("--timeout", "timeout"),
    ("--address", "address"),
    ("--pod-running-timeout", "pod-running-timeout"),
    ("--for", "for"),
    ("--template", "template"),
    ("--sort-by", "sort-by"),
    ("--protocol", "protocol"),
    ("--node-port", "node-port"),
    ("--tcp", "tcp"),
    ("--external-name", "external-name"),
    ("--clusterip", "clusterip"),
    ("--min", "min"),
    ("--max", "max"),
    ("--cpu-percent", "cpu-percent"),
    ("--cpu", "cpu"),
    ("--memory", "memory"),
    ("--since", "since"),
    ("--context", "context"),
    ("--cluster", "cluster"),
    ("--duration", "duration"),
    ("--audience", "audience"),
    ("--bound-object-kind", "bound-object-kind"),
    ("--bound-object-name", "bound-object-name"),
    ("--bound-object-uid", "bound-object-uid"),
    ("--current-replicas", "current-replicas"),
    ("--resource-version", "resource-version"),
    ("--subresource", "subresource"),
    ("--type", "type"),
    ("--patch", "patch"),
    ("--patch-file", "patch-file"),
    ("-p", "patch"),
    ("--for", "for"),
    ("--request", "request"),
    ("--requests", "requests"),
    ("--limits", "limits"),
    ("--class", "class"),
    ("--rule", "rule"),
    ("--default-backend", "default-backend"),
    ("--annotation", "annotation"),
    ("-L", "label-columns"),
    ("--label-columns", "label-columns"),
    ("--types", "types"),
    ("--cert", "cert"),
    ("--key", "key"),
    ("--copy-to", "copy-to"),
    ("--set-image", "set-image"),
    ("--target", "target"),
    ("--profile", "profile"),
    ("--value", "value"),
    ("--description", "description"),
    ("--preemption-policy", "preemption-policy"),
    ("--prune-allowlist", "prune-allowlist"),
    ("--concurrency", "concurrency"),
    ("--field-manager", "field-manager"),
    ("--as", "as"),
    ("--as-group", "as-group"),
    ("--raw", "raw"),
    ("--scopes", "scopes"),
    ("--limit-bytes", "limit-bytes"),
    ("--since-time", "since-time"),
];

/// Boolean flags, by every name, mapped to one name.
const BOOL_FLAGS: &[(&str, &str)] = &[
    ("--timestamps", "timestamps"),
    ("-A", "all-namespaces"),
    ("--all-namespaces", "all-namespaces"),
    ("--all", "all"),
    ("--containers", "containers"),
    ("--current", "current"),
    ("--list", "list"),
    ("--show-labels", "show-labels"),
    ("-w", "watch"),
    ("--watch", "watch"),
    ("--no-headers", "no-headers"),
    ("--now", "now"),
    ("--force", "force"),
    ("--overwrite", "overwrite"),
    ("-i", "stdin"),
    ("--stdin", "stdin"),
    ("-t", "tty"),
    ("--tty", "tty"),
    ("--rm", "rm"),
    ("--leave-stdin-open", "leave-stdin-open"),
    ("--previous", "previous"),
    ("--wait", "wait"),
    ("--ignore-not-found", "ignore-not-found"),
    ("--record", "record"),
    ("--follow", "follow"),
    ("--expose", "expose"),
    ("--ignore-daemonsets", "ignore-daemonsets"),
    ("--delete-emptydir-data", "delete-emptydir-data"),
    ("--recursive", "recursive"),
    ("-R", "recursive"),
    ("--local", "local"),
    ("--short", "short"),
    ("--client", "client"),
    ("--minify", "minify"),
    ("--all-containers", "all-containers"),
    ("-q", "quiet"),
    ("--command", "command-flag"),
    ("--quiet", "quiet"),
    ("--share-processes", "share-processes"),
    ("--attach", "attach"),
    ("--keep-labels", "keep-labels"),
    ("--keep-annotations", "keep-annotations"),
    ("--keep-liveness", "keep-liveness"),
    ("--keep-readiness", "keep-readiness"),
    ("--keep-startup", "keep-startup"),
    ("--keep-init-containers", "keep-init-containers"),
    ("--arguments-only", "arguments-only"),
    ("--replace", "replace"),
    ("--privileged", "privileged"),
    ("--same-node", "same-node"),
    ("--global-default", "global-default"),
    ("--prune", "prune"),
    ("--allow-missing-template-keys", "allow-missing-template-keys"),
];

/// kubectl's global flags may come before the verb (`kubectl -n dev get pods`): the words
/// with the verb moved first, the flags (and their values) after it.
pub fn verb_first(words: &[String]) -> Vec<String> {
    let mut i = 0;
    while i < words.len() && words[i].starts_with('-') && words[i] != "-" && words[i] != "--" {
        let w = &words[i];
        i += 1;
        let takes_value = !w.contains('=') && VALUE_FLAGS.iter().any(|(n, _)| n == w);
        if takes_value {
            i += 1;
        }
    }
    if i == 0 || i >= words.len() {
        return words.to_vec();
    }
    let mut out = vec![words[i].clone()];
    out.extend_from_slice(&words[..i]);
    out.extend_from_slice(&words[i + 1..]);
    out
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    pub values: BTreeMap<&'static str, Vec<String>>,
    pub bools: BTreeMap<&'static str, bool>,
    /// Words after `--`.
    pub rest: Vec<String>,
    /// `-n`/`--namespace` was on the command line (not filled in from the context).
    pub explicit_namespace: bool,
}

impl Args {
    /// Parses `words` (after the verb). `-p` means `--previous` for logs and `--patch` for
    /// patch; `-f` means `--follow` for logs: `verb` decides.
    pub fn parse(words: &[String], verb: &str) -> Result<Args, String> {
        let mut a = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            i += 1;
            if w == "--" {
                a.rest = words[i..].to_vec();
                break;
            }
            if !w.starts_with('-') || w == "-" {
                a.positional.push(w.clone());
                continue;
            }
            // `-it`: pflag's combined shorthands, stdin and a terminal.
            if w == "-it" || w == "-ti" {
                a.bools.insert("stdin", true);
                a.bools.insert("tty", true);
                continue;
            }
            if verb == "logs" && (w == "-p" || w == "-f") {
                a.bools.insert(if w == "-p" { "previous" } else { "follow" }, true);
                continue;
            }
            // `logs --prefix` is a boolean (`set env --prefix=X` takes a value).
            if verb == "logs" && (w == "--prefix" || w.starts_with("--prefix=")) {
                let v = match w.strip_prefix("--prefix=") {
                    None | Some("true") => true,
                    Some("false") => false,
                    Some(other) => {
                        return Err(format!(
                        "invalid argument {other:?} for \"--prefix\" flag: strconv.ParseBool: parsing {other:?}: invalid syntax"
                    ))
                    }
                };
                a.bools.insert("prefix", v);
                continue;
            }
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (w.clone(), None),
            };
            if let Some((_, canon)) = BOOL_FLAGS.iter().find(|(n, _)| *n == name) {
                let v = match inline.as_deref() {
                    None | Some("true") => true,
                    Some("false") => false,
                    Some(other) => {
                        return Err(format!(
                            "invalid argument {other:?} for {name:?} flag: strconv.ParseBool: parsing {other:?}: invalid syntax"
                        ))
                    }
                };
                a.bools.insert(canon, v);
                continue;
            }
            if let Some((_, canon)) = VALUE_FLAGS.iter().find(|(n, _)| *n == name) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        if i >= words.len() {
                            // pflag's ValueRequiredError.
                            return Err(match name.strip_prefix("--") {
                                Some(long) => format!("flag needs an argument: --{long}"),
                                None => {
                                    let short = name.trim_start_matches('-');
                                    format!("flag needs an argument: '{}' in -{short}", short.chars().next().unwrap_or('?'))
                                }
                            });
                        }
                        i += 1;
                        words[i - 1].clone()
                    }
                };
                a.values.entry(canon).or_default().push(v);
                continue;
            }
            // Short flag with the value glued on: -ndefault, -owide, -lapp=web,
            // -ojsonpath={.x} (pflag: everything after the letter, a leading `=` dropped).
            if !w.starts_with("--") && w.len() > 2 && w.is_char_boundary(2) {
                let (flag, v) = w.split_at(2);
                if let Some((_, canon)) = VALUE_FLAGS.iter().find(|(n, _)| *n == flag) {
                    a.values.entry(canon).or_default().push(v.strip_prefix('=').unwrap_or(v).to_string());
                    continue;
                }
            }
            let shown = name.trim_start_matches('-');
            return Err(if name.starts_with("--") {
                format!("unknown flag: --{shown}")
            } else {
                format!("unknown shorthand flag: '{}' in {w}", shown.chars().next().unwrap_or('?'))
            });
        }
        Ok(a)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn flag(&self, name: &str) -> bool {
        self.bools.get(name).copied().unwrap_or(false)
    }

    /// A boolean flag whose default is true (`--wait`).
    pub fn flag_or(&self, name: &str, default: bool) -> bool {
        self.bools.get(name).copied().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::Args;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn global_flags_may_precede_the_verb() {
        assert_eq!(super::verb_first(&w("-n dev get pods")), w("get -n dev pods"));
        assert_eq!(super::verb_first(&w("--namespace=dev delete pod,svc --all")), w("delete --namespace=dev pod,svc --all"));
        assert_eq!(super::verb_first(&w("get pods -n dev")), w("get pods -n dev"));
        assert_eq!(super::verb_first(&w("-n dev")), w("-n dev"));
        let a = Args::parse(&w("pods -lapp=web -ojsonpath={.items} -o=name"), "get").unwrap();
        assert_eq!(a.value("selector"), Some("app=web"));
        assert_eq!(a.all("output"), ["jsonpath={.items}".to_string(), "name".to_string()]);
    }

    #[test]
    fn parses_pflag_forms() {
        let a = Args::parse(&w("pods -n kube-system -owide --selector=app=web -A"), "get").unwrap();
        assert_eq!(a.positional, vec!["pods"]);
        assert_eq!(a.value("namespace"), Some("kube-system"));
        assert_eq!(a.value("output"), Some("wide"));
        assert_eq!(a.value("selector"), Some("app=web"));
        assert!(a.flag("all-namespaces"));
        assert_eq!(Args::parse(&w("--bogus"), "get").unwrap_err(), "unknown flag: --bogus");
        let a = Args::parse(&w("web -- ls /"), "exec").unwrap();
        assert_eq!(a.rest, vec!["ls", "/"]);
    }
}
