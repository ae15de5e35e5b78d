//! Executes parsed kubectl commands against the world: the verbs, resource resolution,
//! and kubectl's error and success wording.

use crate::args::Args;
use crate::printers;
use crate::table;
use crate::{Env, Output};
use kubeplay_sim::decode::{self, DecodeError};
use kubeplay_sim::selectors::{FieldSelector, Selector};
use kubeplay_sim::{ApiError, DeleteOptions, Kind, ObjRef, Object, Propagation, Reason, World};
use std::fmt::Write as _;

/// Runs `kubectl <words>`.
pub fn kubectl(world: &mut World, words: &[String], env: &Env<'_>) -> Output {
    let words = &crate::args::verb_first(words)[..];
    let Some(verb) = words.first() else {
        return Output::ok(HELP.into());
    };
    let mut args = match Args::parse(&words[1..], verb) {
        Ok(a) => a,
        Err(e) => return Output::err(format!("error: {e}\nSee '{} --help' for usage.\n", command_path(words))),
    };
    // `-k DIR`: the kustomization is built here, and the verb reads its output as the file
    // named DIR (so messages name the directory, as kubectl's do).
    if let Some(dir) = args.value("kustomize").map(String::from) {
        if !args.all("filename").is_empty() {
            return Output::err("error: only one of -f or -k can be specified\n".into());
        }
        let (warnings, built) = crate::kustomize::build(env.files, &dir);
        let docs = match built {
            Ok(d) => d,
            Err(e) => return Output { warnings, ..Output::err(format!("error: {e}\n")) },
        };
        let rendered = crate::kustomize::render(&docs);
        let files = Kustomized { dir: &dir, text: &rendered, inner: env.files };
        let inner = Env { files: &files, stdin: env.stdin };
        args.values.remove("kustomize");
        args.values.insert("filename", vec![dir.clone()]);
        let mut out = kubectl_parsed(world, verb, words, args, &inner);
        out.warnings.insert_str(0, &warnings);
        return out;
    }
    kubectl_parsed(world, verb, words, args, env)
}

/// The output of a kustomization, readable as the file its directory names.
struct Kustomized<'a> {
    dir: &'a str,
    text: &'a str,
    inner: &'a dyn crate::Files,
}

impl crate::Files for Kustomized<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        if path == self.dir {
            Ok(self.text.to_string())
        } else {
            self.inner.read(path)
        }
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        if dir == self.dir {
            None
        } else {
            self.inner.list(dir)
        }
    }
}

/// Whether `-f` or `-k` names manifests.
pub(crate) fn has_sources(args: &Args) -> bool {
    !args.all("filename").is_empty() || !args.all("kustomize").is_empty()
}

/// The head of a klog line (`E1128 05:40:00.123000`), at the virtual clock's time.
pub(crate) fn klog_stamp(world: &World, level: char) -> String {
    let t = world.now_ms();
    let dt = kubeplay_sim::world::time_at(t).0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC).datetime();
    format!(
        "{level}{:02}{:02} {:02}:{:02}:{:02}.{:06}",
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        (t % 1000) * 1000
    )
}

/// `kubectl kustomize [DIR]`: the built kustomization as YAML. Its errors come through
/// cobra's RunE, which kubectl logs as klog does.
fn kustomize(world: &World, args: &Args, env: &Env<'_>) -> Output {
    let dir = args.positional.first().map_or(".", String::as_str);
    let (warnings, built) = crate::kustomize::build(env.files, dir);
    match built {
        Ok(docs) => Output { warnings, stdout: crate::kustomize::render(&docs), ..Output::default() },
        Err(e) => {
            let stamp = klog_stamp(world, 'E');
            // klog quotes a one-line error, and sets a multi-line one off in a block.
            let err = if e.contains('\n') {
                format!("<\n\t{}\n >", e.trim_end().replace('\n', "\n\t"))
            } else {
                serde_json::to_string(&e).unwrap_or_default()
            };
            Output { warnings, ..Output::err(format!("{stamp}       1 run.go:72] \"command failed\" err={err}\n")) }
        }
    }
}

/// The command a flag error names (cobra's `CommandPath`): `kubectl create deployment`,
/// `kubectl rollout status`, `kubectl create secret generic`; aliases become the command's
/// name.
fn command_path(words: &[String]) -> String {
    const SUBCOMMANDS: &[(&str, &[(&str, &str)])] = &[
        (
            "create",
            &[
                ("clusterrole", "clusterrole"),
                ("clusterrolebinding", "clusterrolebinding"),
                ("configmap", "configmap"),
                ("cm", "configmap"),
                ("cronjob", "cronjob"),
                ("cj", "cronjob"),
                ("deployment", "deployment"),
                ("deploy", "deployment"),
                ("ingress", "ingress"),
                ("ing", "ingress"),
                ("job", "job"),
                ("namespace", "namespace"),
                ("ns", "namespace"),
                ("poddisruptionbudget", "poddisruptionbudget"),
                ("pdb", "poddisruptionbudget"),
                ("priorityclass", "priorityclass"),
                ("pc", "priorityclass"),
                ("quota", "quota"),
                ("resourcequota", "quota"),
                ("role", "role"),
                ("rolebinding", "rolebinding"),
                ("secret", "secret"),
                ("service", "service"),
                ("svc", "service"),
                ("serviceaccount", "serviceaccount"),
                ("sa", "serviceaccount"),
                ("token", "token"),
            ],
        ),
        ("secret", &[("docker-registry", "docker-registry"), ("generic", "generic"), ("tls", "tls")]),
        (
            "service",
            &[
                ("clusterip", "clusterip"),
                ("externalname", "externalname"),
                ("loadbalancer", "loadbalancer"),
                ("nodeport", "nodeport"),
            ],
        ),
        (
            "rollout",
            &[
                ("history", "history"),
                ("pause", "pause"),
                ("restart", "restart"),
                ("resume", "resume"),
                ("status", "status"),
                ("undo", "undo"),
            ],
        ),
        (
            "set",
            &[
                ("env", "env"),
                ("image", "image"),
                ("resources", "resources"),
                ("selector", "selector"),
                ("serviceaccount", "serviceaccount"),
                ("sa", "serviceaccount"),
                ("subject", "subject"),
            ],
        ),
        (
            "config",
            &[
                ("current-context", "current-context"),
                ("delete-context", "delete-context"),
                ("get-contexts", "get-contexts"),
                ("rename-context", "rename-context"),
                ("set-context", "set-context"),
                ("use-context", "use-context"),
                ("use", "use-context"),
                ("view", "view"),
            ],
        ),
        ("top", &[("node", "node"), ("nodes", "node"), ("no", "node"), ("pod", "pod"), ("pods", "pod"), ("po", "pod")]),
        ("auth", &[("can-i", "can-i"), ("whoami", "whoami"), ("reconcile", "reconcile")]),
    ];
    let mut path = format!("kubectl {}", words[0]);
    let mut parent = words[0].as_str();
    for w in &words[1..] {
        let Some((_, subs)) = SUBCOMMANDS.iter().find(|(p, _)| *p == parent) else { break };
        let Some((_, name)) = subs.iter().find(|(alias, _)| alias == w) else { break };
        path.push(' ');
        path.push_str(name);
        parent = name;
    }
    path
}

fn kubectl_parsed(world: &mut World, verb: &str, words: &[String], mut args: Args, env: &Env<'_>) -> Output {
    // The context's namespace is the default for `-n`.
    args.explicit_namespace = args.value("namespace").is_some();
    // `--context NAME` picks the context (and so the namespace) for this command only. A
    // context that does not exist, or names no cluster, leaves kubectl without a server.
    let context = args.value("context").map(String::from);
    if verb != "config" {
        let kc = &world.kubeconfig;
        let name = context.clone().unwrap_or_else(|| kc.current.clone());
        match kc.contexts.get(&name) {
            None if name.is_empty() => {}
            None if context.is_some() && args.explicit_namespace => {
                return Output::err(format!("error: context {name:?} does not exist\n"));
            }
            None => return Output::err(format!("Error in configuration: context was not found for specified context: {name}\n")),
            Some(c) if c.cluster.is_empty() => {
                return Output::err(
                    "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n".into(),
                )
            }
            Some(_) => {}
        }
    }
    if let (false, Some(ns)) = (args.explicit_namespace, world.kubeconfig.namespace_of(context.as_deref())) {
        args.values.insert("namespace", vec![ns]);
    }
    // `get -f FILE` / `describe -f FILE`: the objects the manifests name.
    if matches!(verb, "get" | "describe") && has_sources(&args) {
        match objects_named_by_files(&args, env) {
            Ok((targets, ns)) => {
                args.positional = targets;
                args.values.remove("filename");
                args.values.remove("kustomize");
                if let Some(ns) = ns {
                    args.values.insert("namespace", vec![ns]);
                }
            }
            Err(e) => return Output::err(e),
        }
    }
    if verb != "auth" && (args.value("as").is_some() || !args.all("as-group").is_empty()) {
        return Output::err(
            "error: kubeplay simulates impersonation (--as, --as-group) only for `kubectl auth can-i` and `kubectl auth whoami`: RBAC is not enforced on other commands, which run as the cluster admin\n"
                .into(),
        );
    }
    // A dry run of a command that changes objects in place: the command runs on a copy of
    // the world (the server admits the change and keeps nothing), and each line says so.
    let dry = args.value("dry-run").filter(|m| *m != "none").map(String::from);
    let out = match dry.as_deref() {
        Some(mode)
            if DRY_RUN_SUFFIXED_VERBS.contains(&verb)
                || (verb == "rollout"
                    && args.positional.first().is_some_and(|s| matches!(s.as_str(), "restart" | "pause" | "resume"))) =>
        {
            if mode != "client" && mode != "server" {
                return Output::err(format!(
                    "error: Invalid dry-run value ({mode}). Must be \"none\", \"server\", or \"client\".\n"
                ));
            }
            let mut scratch = world.clone();
            scratch.take_warnings();
            let mut out = dispatch(&mut scratch, verb, words, &args, env);
            // The server's admission warnings, which a server dry run still returns.
            if mode == "server" {
                for w in scratch.take_warnings() {
                    out.warnings.push_str(&format!("Warning: {w}\n"));
                }
            }
            // With `-o name`, or a patch printing the object, no suffix.
            let printed = args.value("output") == Some("name") || (verb == "patch" && args.value("output").is_some());
            let suffix = match (printed, mode) {
                (true, _) => "",
                (false, "server") => " (server dry run)",
                (false, _) => " (dry run)",
            };
            let mut stdout = String::new();
            for l in out.stdout.lines() {
                // A drain's dry run evicts nothing; its warnings are not operations.
                if verb == "drain" && l.ends_with(" evicted") {
                    continue;
                }
                if l.is_empty() || l.starts_with("Warning:") || l.starts_with("WARNING:") {
                    stdout.push_str(l);
                } else {
                    stdout.push_str(&format!("{l}{suffix}"));
                }
                stdout.push('\n');
            }
            Output { stdout, ..out }
        }
        _ => dispatch(world, verb, words, &args, env),
    };
    // `-o name` on a command that changes objects: kubectl's NamePrinter prints each object
    // as `resource.group/name`, without the operation (`created`, `scaled`, `deleted`...).
    let attached = verb == "run" && (args.flag("stdin") || args.flag("rm") || args.flag("attach") || args.flag("tty"));
    let reports = verb == "rollout" && args.positional.first().is_some_and(|s| matches!(s.as_str(), "history" | "status"));
    if args.value("output") == Some("name") && NAME_PRINTING_VERBS.contains(&verb) && !attached && !reports {
        return Output { stdout: names_only(&out.stdout), ..out };
    }
    out
}

/// The commands whose dry run this layer makes (on a copy of the world): the others (apply,
/// create, replace, label, annotate, set, run, expose, autoscale, rollout undo) print their
/// own dry-run output, objects included.
const DRY_RUN_SUFFIXED_VERBS: &[&str] = &["patch", "scale", "delete", "taint", "cordon", "uncordon", "drain"];

/// The commands whose `-o name` drops the operation from what they print.
const NAME_PRINTING_VERBS: &[&str] = &[
    "apply",
    "create",
    "replace",
    "delete",
    "run",
    "expose",
    "scale",
    "autoscale",
    "rollout",
    "taint",
    "patch",
    "label",
    "annotate",
    "set",
];

/// `deployment.apps/web created` → `deployment.apps/web`; delete's
/// `deployment.apps "web" deleted from default namespace` → `deployment.apps/web`. Lines of
/// another shape are kept.
fn names_only(stdout: &str) -> String {
    let mut out = String::new();
    for line in stdout.lines() {
        let name = match line.split_once(' ') {
            Some((first, _)) if first.contains('/') => first.to_string(),
            Some((res, rest)) if rest.starts_with('"') && (rest.contains("\" deleted") || rest.contains("\" force deleted")) => {
                let name = rest[1..].split('"').next().unwrap_or_default();
                format!("{res}/{name}")
            }
            _ => line.to_string(),
        };
        out.push_str(&name);
        out.push('\n');
    }
    out
}

fn dispatch(world: &mut World, verb: &str, words: &[String], args: &Args, env: &Env<'_>) -> Output {
    match verb {
        "get" => get(world, args, env),
        "top" => crate::top::top(world, args),
        "apply" => apply_or_create(world, args, env, true),
        "diff" => crate::diff::diff(world, args, env),
        "auth" => crate::auth::auth(world, args),
        "replace" => replace(world, args, env),
        "create" => apply_or_create(world, args, env, false),
        "delete" => delete(world, args, env),
        "label" => label_or_annotate(world, args, env, true),
        "annotate" => label_or_annotate(world, args, env, false),
        "describe" => crate::describe::describe(world, args),
        "run" => crate::create::run_pod(world, args),
        "rollout" => crate::rollout::rollout(world, args),
        "scale" => crate::rollout::scale(world, args),
        "set" => crate::set::set(world, args, env),
        "logs" => crate::rollout::logs(world, args),
        "expose" => crate::rollout::expose(world, args),
        "cordon" => crate::rollout::cordon(world, args, true),
        "uncordon" => crate::rollout::cordon(world, args, false),
        "drain" => crate::rollout::drain(world, args),
        "taint" => crate::rollout::taint(world, args),
        "wait" => crate::rollout::wait(world, args),
        "patch" => crate::rollout::patch(world, args, env.files),
        "exec" => crate::net::exec(world, args),
        "debug" => crate::debug::debug(world, args),
        "attach" => crate::debug::attach(world, args),
        "port-forward" => crate::portforward::port_forward(world, args, &format!("kubectl {}", words.join(" "))),
        "autoscale" => crate::rollout::autoscale(world, args),
        "edit" => Output::err("error: kubectl edit needs an interactive editor; in kubeplay, change the YAML in the editor and apply it (kubectl apply -f -)\n".into()),
        "version" => version(args),
        "kustomize" => kustomize(world, args, env),
        "help" | "--help" | "-h" => Output::ok(HELP.into()),
        "config" => config(world, args),
        "api-resources" => api_resources(args),
        "api-versions" => api_versions(),
        "events" => events(world, args),
        "cluster-info" if args.positional.is_empty() => Output::ok(cluster_info(world)),
        other if UNSIMULATED.contains(&other) || other == "cluster-info" => Output::err(format!(
            "error: kubeplay does not simulate `kubectl {}` yet; the commands it knows are listed by `kubectl help`\n",
            words.join(" ")
        )),
        other => {
            let close = suggestions(other);
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("\nDid you mean this?\n{}", close.iter().map(|v| format!("\t{v}\n")).collect::<String>())
            };
            Output::err(format!("error: unknown command {other:?} for \"kubectl\"\n{hint}\nRun 'kubectl --help' for usage.\n"))
        }
    }
}

/// `kubectl version [--client] [-o yaml|json]`. The structured form carries the version
/// fields kubeplay knows; a real binary also prints its build date, git commit and Go
/// version, which a simulation has none of.
fn version(args: &Args) -> Output {
    let client = args.flag("client");
    let info = |git: &str| serde_json::json!({"compiler": "gc", "gitTreeState": "clean", "gitVersion": git, "major": "1", "minor": "35", "platform": "linux/amd64"});
    let mut v = serde_json::json!({"clientVersion": info("v1.35.0"), "kustomizeVersion": "v5.7.1"});
    if !client {
        v["serverVersion"] = info("v1.35.0+k3s1");
    }
    match args.value("output") {
        None => Output::ok(format!(
            "Client Version: v1.35.0\nKustomize Version: v5.7.1\n{}",
            if client { "" } else { "Server Version: v1.35.0+k3s1\n" }
        )),
        Some("yaml") => Output::ok(crate::yaml::to_yaml(&v)),
        Some("json") => Output::ok(format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())),
        Some(_) => Output::err("error: --output must be 'yaml' or 'json'\n".into()),
    }
}

/// `kubectl api-resources [--namespaced=true|false] [-o name]`: the kinds this cluster
/// serves (kubeplay's, so fewer than a real API server lists), core group first, then by
/// group, each by name.
fn api_resources(args: &Args) -> Output {
    let namespaced = args.bools.get("namespaced").copied().or_else(|| args.value("namespaced").map(|v| v == "true"));
    let mut kinds: Vec<&kubeplay_sim::kinds::KindInfo> =
        Kind::ALL.iter().map(|k| k.info()).filter(|i| namespaced.is_none_or(|n| n == i.namespaced)).collect();
    kinds.sort_by(|a, b| (!a.group.is_empty(), a.group, a.plural).cmp(&(!b.group.is_empty(), b.group, b.plural)));
    if args.value("output") == Some("name") {
        let names: String = kinds
            .iter()
            .map(|i| if i.group.is_empty() { format!("{}\n", i.plural) } else { format!("{}.{}\n", i.plural, i.group) })
            .collect();
        return Output::ok(names);
    }
    let mut rows = vec![vec!["NAME".to_string(), "SHORTNAMES".into(), "APIVERSION".into(), "NAMESPACED".into(), "KIND".into()]];
    for i in kinds {
        rows.push(vec![i.plural.into(), i.short.join(","), i.api_version(), i.namespaced.to_string(), i.kind.into()]);
    }
    Output { stdout: table::render(&rows), notes: vec![SERVED_GROUPS_NOTE.into()], ..Output::default() }
}

/// `kubectl api-versions`: the group versions this cluster serves
/// (`kinds::served_group_versions`). A real k3s lists more groups (CRDs, flowcontrol and
/// others kubeplay does not serve); the note says so.
fn api_versions() -> Output {
    Output {
        stdout: kubeplay_sim::kinds::served_group_versions().iter().map(|v| format!("{v}\n")).collect(),
        notes: vec![SERVED_GROUPS_NOTE.into()],
        ..Output::default()
    }
}

/// kubeplay's remark beside `api-resources` and `api-versions`.
const SERVED_GROUPS_NOTE: &str = "kubeplay serves only the kinds it simulates: a real k3s server also lists its add-ons' groups (Traefik's and Helm's custom resources) and API groups kubeplay does not model.";

/// `kubectl events [--for KIND/NAME] [--types T,...] [-A] [--no-headers]`: kubectl's event
/// printer, oldest first (by last timestamp), `Kind/name` objects, and `AGE (xN over AGE)`
/// for repeated events.
fn events(world: &World, args: &Args) -> Output {
    if args.bools.contains_key("watch") {
        return Output::err(
            "error: kubeplay does not simulate `kubectl events --watch` yet; use `kubectl get events -w`\n".into(),
        );
    }
    let all = args.flag("all-namespaces");
    let ns = namespace(args);
    let target = match args.value("for") {
        Some(f) => {
            let Some((kind, name)) = f.split_once('/') else {
                return Output::err("error: --for must be in resource/name form\n".to_string());
            };
            let Some(k) = Kind::from_resource_name(kind) else {
                return Output::err(format!("error: the server doesn't have a resource type \"{kind}\"\n"));
            };
            Some((k.info().kind, name.to_string()))
        }
        None => None,
    };
    let types: Vec<String> =
        args.value("types").map(|t| t.split(',').map(|x| x.trim().to_string()).collect()).unwrap_or_default();
    for t in &types {
        if t != "Normal" && t != "Warning" {
            return Output::err(format!("error: valid --types are Normal or Warning, got {t}\n"));
        }
    }
    let now = world.now_ms();
    let mut evs: Vec<&k8s_openapi::api::core::v1::Event> = world
        .store()
        .list(Kind::Event, if all { None } else { Some(ns.as_str()) })
        .filter_map(|o| match o {
            Object::Event(e) => Some(&**e),
            _ => None,
        })
        .filter(|e| {
            target.as_ref().is_none_or(|(k, n)| {
                e.involved_object.kind.as_deref() == Some(*k) && e.involved_object.name.as_deref() == Some(n.as_str())
            })
        })
        .filter(|e| types.is_empty() || types.iter().any(|t| e.type_.as_deref() == Some(t.as_str())))
        .collect();
    let last = |e: &k8s_openapi::api::core::v1::Event| {
        e.last_timestamp.clone().or(e.first_timestamp.clone()).or(e.metadata.creation_timestamp.clone())
    };
    evs.sort_by_key(|e| last(e));
    if evs.is_empty() {
        return Output::ok(if all { "No events found.\n".into() } else { format!("No events found in {ns} namespace.\n") });
    }
    let mut rows = Vec::new();
    if !args.flag("no-headers") {
        let mut h: Vec<String> = if all { vec!["NAMESPACE".into()] } else { vec![] };
        h.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
        rows.push(h);
    }
    for e in evs {
        let first = e.first_timestamp.as_ref().or(e.metadata.creation_timestamp.as_ref());
        let count = e.count.unwrap_or(1);
        let interval = if count > 1 {
            format!("{} (x{count} over {})", crate::printers::age(last(e).as_ref(), now), crate::printers::age(first, now))
        } else {
            crate::printers::age(first, now)
        };
        let mut r: Vec<String> = if all { vec![e.metadata.namespace.clone().unwrap_or_default()] } else { vec![] };
        r.extend([
            interval,
            e.type_.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            ),
            e.message.clone().unwrap_or_default().trim().to_string(),
        ]);
        rows.push(r);
    }
    Output::ok(table::render(&rows))
}

/// Real kubectl commands kubeplay does not simulate: they get a clear message, not
/// "unknown command".
const UNSIMULATED: &[&str] = &["explain", "proxy", "cp", "certificate", "plugin", "completion", "alpha"];

/// A string slice as Go's `%v` prints it: `[a b]`.
fn go_string_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Where kubectl reads k3s's kubeconfig from (`k3s kubectl`, or KUBECONFIG pointing there).
const KUBECONFIG_PATH: &str = "/etc/rancher/k3s/k3s.yaml";

/// `kubectl config view [--minify] [-o yaml|json|jsonpath=...]`: the kubeconfig, with its
/// keys and certificates shown as DATA+OMITTED as kubectl does without --raw. Contexts are
/// listed by name, and each one's keys in order (sigs.k8s.io/yaml sorts them).
fn config_view(kc: &kubeplay_sim::world::Kubeconfig, minify: bool, output: Option<&str>) -> Output {
    let contexts: Vec<serde_json::Value> = kc
        .contexts
        .iter()
        .filter(|(name, _)| !minify || **name == kc.current)
        .map(|(name, c)| {
            let mut context = serde_json::Map::new();
            context.insert("cluster".into(), serde_json::json!(c.cluster));
            if let Some(n) = &c.namespace {
                context.insert("namespace".into(), serde_json::json!(n));
            }
            context.insert("user".into(), serde_json::json!(c.user));
            serde_json::json!({"context": context, "name": name})
        })
        .collect();
    let config = serde_json::json!({
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": "https://127.0.0.1:6443"}, "name": "default"}],
        "contexts": contexts,
        "current-context": kc.current,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": "default", "user": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}}],
    });
    match output.unwrap_or("yaml") {
        "yaml" => Output::ok(crate::yaml::to_yaml(&config)),
        "kyaml" => Output::ok(crate::yaml::to_kyaml(&config)),
        "json" => Output::ok(format!("{}\n", crate::to_json(&config))),
        other => match other.strip_prefix("jsonpath=") {
            Some(tpl) => match crate::jsonpath::render(tpl, &config) {
                Ok(s) => Output::ok(s),
                Err(e) => Output::err(format!("error: error parsing jsonpath {tpl}, {e}\n")),
            },
            None => {
                Output::err(format!("error: kubeplay's `kubectl config view` prints yaml, json or jsonpath, not {other:?}\n"))
            }
        },
    }
}

/// `kubectl config`: the kubeconfig's contexts (k3s's `default`, and the learner's own),
/// with the one cluster and user k3s writes.
fn config(world: &mut World, args: &Args) -> Output {
    let arg = |i: usize| args.positional.get(i).map(String::as_str);
    let kc = &mut world.kubeconfig;
    match arg(0) {
        Some("view") => config_view(kc, args.flag("minify"), args.value("output")),
        Some("current-context") if kc.current.is_empty() => Output::err("error: current-context is not set\n".into()),
        Some("current-context") => Output::ok(format!("{}\n", kc.current)),
        Some("get-contexts") => {
            let names: Vec<&String> = match arg(1) {
                Some(n) => match kc.contexts.get_key_value(n) {
                    Some((k, _)) => vec![k],
                    None => return Output::err(format!("error: context {n} not found\n")),
                },
                None => kc.contexts.keys().collect(),
            };
            if args.value("output") == Some("name") {
                return Output::ok(names.iter().map(|n| format!("{n}\n")).collect());
            }
            // kubectl's tabwriter pads every tab-terminated cell, so AUTHINFO keeps its
            // padding even when NAMESPACE is empty.
            let mut rows: Vec<[String; 5]> = Vec::new();
            if !args.flag("no-headers") {
                rows.push(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].map(String::from));
            }
            for n in names {
                let c = &kc.contexts[n];
                let current = if *n == kc.current { "*" } else { "" };
                rows.push([current.into(), n.clone(), c.cluster.clone(), c.user.clone(), c.namespace.clone().unwrap_or_default()]);
            }
            let mut widths = [0usize; 4];
            for r in &rows {
                for (w, cell) in widths.iter_mut().zip(r.iter()) {
                    *w = (*w).max(cell.len());
                }
            }
            let mut out = String::new();
            for r in &rows {
                for (w, cell) in widths.iter().zip(r.iter()) {
                    let _ = write!(out, "{cell:<w$}   ", w = *w);
                }
                out.push_str(&r[4]);
                out.push('\n');
            }
            Output::ok(out)
        }
        Some("get-clusters") => Output::ok("NAME\ndefault\n".into()),
        Some("get-users") => Output::ok("NAME\ndefault\n".into()),
        Some("use-context" | "use") => match arg(1) {
            Some(n) if kc.contexts.contains_key(n) => {
                kc.current = n.to_string();
                Output::ok(format!("Switched to context {n:?}.\n"))
            }
            Some(n) => Output::err(format!("error: no context exists with the name: {n:?}\n")),
            None => Output::err("error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples\n".into()),
        },
        Some("set-context") => {
            let name = match (arg(1), args.flag("current")) {
                (Some(_), true) => {
                    return Output::err("error: you cannot specify both a context name and --current\n".into());
                }
                (Some(n), false) => n.to_string(),
                (None, true) if kc.current.is_empty() => return Output::err("error: no current context is set\n".into()),
                (None, true) => kc.current.clone(),
                (None, false) => return Output::err("error: you must specify a non-empty context name or --current\n".into()),
            };
            let exists = kc.contexts.contains_key(&name);
            let c = kc.contexts.entry(name.clone()).or_default();
            if let Some(v) = args.value("cluster") {
                c.cluster = v.to_string();
            }
            if let Some(v) = args.value("user") {
                c.user = v.to_string();
            }
            // `--namespace` was filled from the context when not given: only an explicit
            // flag on this command counts. An empty one unsets it.
            if let Some(n) = args.value("namespace").filter(|_| args.explicit_namespace) {
                c.namespace = (!n.is_empty()).then(|| n.to_string());
            }
            Output::ok(format!("Context {name:?} {}.\n", if exists { "modified" } else { "created" }))
        }
        Some("delete-context") if args.positional.len() > 2 => Output::err(format!(
            "error: Unexpected args: {}\nSee 'kubectl config delete-context -h' for help and examples\n",
            go_string_list(&args.positional[1..])
        )),
        Some("delete-context") => match arg(1) {
            Some(n) if kc.contexts.remove(n).is_some() => {
                let mut out = Output::default();
                if kc.current == n {
                    out.stderr.push_str("warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n");
                }
                out.stdout = format!("deleted context {n} from {KUBECONFIG_PATH}\n");
                out
            }
            Some(n) => Output::err(format!("error: cannot delete context {n}, not in {KUBECONFIG_PATH}\n")),
            None => Output::ok("Delete the specified context from the kubeconfig.\n\nExamples:\n  # Delete the context for the minikube cluster\n  kubectl config delete-context minikube\n\nUsage:\n  kubectl config delete-context CONTEXT_NAME [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n".into()),
        },
        Some("rename-context") => match (arg(1), arg(2)) {
            (Some(old), Some(new)) => {
                if !kc.contexts.contains_key(old) {
                    return Output::err(format!("error: cannot rename the context {old:?}, it's not in {KUBECONFIG_PATH}\n"));
                }
                if kc.contexts.contains_key(new) {
                    return Output::err(format!("error: cannot rename the context {old:?}, the context {new:?} already exists in {KUBECONFIG_PATH}\n"));
                }
                if let Some(c) = kc.contexts.remove(old) {
                    kc.contexts.insert(new.to_string(), c);
                }
                if kc.current == old {
                    kc.current = new.to_string();
                }
                Output::ok(format!("Context {old:?} renamed to {new:?}.\n"))
            }
            _ => Output::err(format!(
                "error: Unexpected args: {}\nSee 'kubectl config rename-context -h' for help and examples\n",
                go_string_list(&args.positional[1..])
            )),
        },
        Some(sub) => Output::err(format!("error: kubeplay does not simulate `kubectl config {sub}`\n")),
        None => Output::err(
            "error: specify a subcommand: view, current-context, get-contexts, use-context, set-context, delete-context, rename-context\n".into(),
        ),
    }
}

/// Commands close to a mistyped one, as cobra suggests them (distance 2 or a prefix).
fn suggestions(s: &str) -> Vec<&'static str> {
    // Cobra lists commands sorted by name, simulated or not.
    let mut all: Vec<&'static str> = VERBS.iter().chain(UNSIMULATED).copied().collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter().filter(|v| edit_distance(s, v) <= 2 || (s.len() > 1 && v.starts_with(s))).collect()
}

/// `kubectl cluster-info`: the control plane, then kube-system's cluster services with
/// their API-server proxy links.
fn cluster_info(world: &World) -> String {
    let host = "https://127.0.0.1:6443";
    let mut out = format!("Kubernetes control plane is running at {host}\n");
    for o in world.store().list(Kind::Service, Some("kube-system")) {
        let Object::Service(s) = o else { continue };
        let labels = s.metadata.labels.clone().unwrap_or_default();
        if labels.get("kubernetes.io/cluster-service").map(String::as_str) != Some("true") {
            continue;
        }
        let name = s.metadata.name.clone().unwrap_or_default();
        let title = labels.get("kubernetes.io/name").cloned().unwrap_or_else(|| name.clone());
        let port = s.spec.as_ref().and_then(|sp| sp.ports.as_ref()).and_then(|p| p.first());
        let path = match port {
            Some(p) => {
                let pname = p.name.clone().unwrap_or_default();
                let scheme = if pname == "https" || p.port == 443 { "https:" } else { "" };
                format!("{scheme}{name}:{pname}")
            }
            None => name,
        };
        out.push_str(&format!("{title} is running at {host}/api/v1/namespaces/kube-system/services/{path}/proxy\n"));
    }
    out.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    out
}

pub(crate) const VERBS: &[&str] = &[
    "get",
    "top",
    "apply",
    "diff",
    "create",
    "delete",
    "label",
    "annotate",
    "describe",
    "run",
    "version",
    "kustomize",
    "rollout",
    "scale",
    "set",
    "logs",
    "expose",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "wait",
    "patch",
    "exec",
    "replace",
    "config",
    "cluster-info",
    "autoscale",
    "edit",
    "events",
    "api-resources",
    "api-versions",
    "auth",
];

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager.\n\nBasic Commands:\n  create        Create a resource from a file or from stdin\n  get           Display one or many resources\n  delete        Delete resources by file names, stdin, resources and names, or by resources and label selector\n\nTroubleshooting and Debugging Commands:\n  describe      Show details of a specific resource or group of resources\n\nAdvanced Commands:\n  diff          Diff the live version against a would-be applied version\n  apply         Apply a configuration to a resource by file name or stdin\n\nSettings Commands:\n  label         Update the labels on a resource\n  annotate      Update the annotations on a resource\n\nUse \"kubectl <command> --help\" for more information about a given command.\n";

/// The namespace a command works in: `-n`, else `default`.
pub fn namespace(args: &Args) -> String {
    args.value("namespace").unwrap_or("default").to_string()
}

/// kubectl's text for an API error (`Error from server (NotFound): ...`).
pub fn api_error_text(e: &ApiError) -> String {
    if e.reason == Reason::Invalid {
        let kind = e.kind.map_or("", |k| k.info().kind);
        let prefix = format!("The {kind} {:?} is invalid: ", e.name);
        return match e.causes.len() {
            0 => format!("{prefix}{}\n", e.message),
            1 => format!("{prefix}{}\n", e.causes[0]),
            _ => {
                let mut s = format!("{prefix}\n");
                for c in &e.causes {
                    let _ = writeln!(s, "* {c}");
                }
                s
            }
        };
    }
    format!("Error from server ({}): {}\n", e.reason.text(), e.message)
}

fn with_source(e: &ApiError, verb: &str, source: &str) -> String {
    if e.reason == Reason::Invalid || source.is_empty() {
        return api_error_text(e);
    }
    let mut e2 = e.clone();
    e2.message = format!("error when {verb} {source:?}: {}", e.message);
    api_error_text(&e2)
}

/// Resolves a resource type as typed (`po`, `deployments.apps`), or kubectl's error.
pub fn resolve_kind(name: &str) -> Result<Kind, String> {
    Kind::from_resource_name(name).ok_or_else(|| format!("error: the server doesn't have a resource type {name:?}\n"))
}

/// `pod/web` or `deployment.apps/web`.
pub fn qualified_name(kind: Kind, name: &str) -> String {
    format!("{}/{name}", kind.info().singular_group())
}

/// The objects a command names: `TYPE NAME...`, `TYPE/NAME...`, or `TYPE` with `-l`/`--all`.
pub enum Targets {
    Named(Vec<(Kind, String)>),
    Listed(Vec<Kind>),
}

/// The kinds in the `all` category, in the order kubectl lists them.
const ALL_KINDS: &[Kind] = &[
    Kind::Pod,
    Kind::ReplicationController,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
    Kind::HorizontalPodAutoscaler,
    Kind::CronJob,
    Kind::Job,
];

pub fn targets(positional: &[String]) -> Result<Targets, String> {
    let Some(first) = positional.first() else {
        return Err("error: You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into());
    };
    if first.contains('/') {
        let mut named = Vec::new();
        for p in positional {
            let Some((t, n)) = p.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
            };
            named.push((resolve_kind(t)?, n.to_string()));
        }
        return Ok(Targets::Named(named));
    }
    let mut kinds = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            kinds.extend_from_slice(ALL_KINDS);
        } else {
            kinds.push(resolve_kind(t)?);
        }
    }
    if positional.len() > 1 {
        // `deployments,svc my-nginx`: every named type with every name.
        return Ok(Targets::Named(kinds.iter().flat_map(|k| positional[1..].iter().map(move |n| (*k, n.clone()))).collect()));
    }
    Ok(Targets::Listed(kinds))
}

fn field_value(obj: &Object, field: &str) -> Option<String> {
    let m = obj.meta();
    match (obj, field) {
        (_, "metadata.name") => m.name.clone(),
        (_, "metadata.namespace") => m.namespace.clone(),
        // The fields the API server's field sets fill from unset values, and renamed ones.
        (Object::Pod(p), "spec.hostNetwork") => Some(p.spec.as_ref().and_then(|s| s.host_network).unwrap_or(false).to_string()),
        (Object::Node(n), "spec.unschedulable") => {
            Some(n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false).to_string())
        }
        (Object::Event(e), "source") => Some(e.source.as_ref().and_then(|s| s.component.clone()).unwrap_or_default()),
        _ => {
            let v = obj.to_value();
            let mut cur = &v;
            for part in field.split('.') {
                cur = cur.get(part)?;
            }
            Some(match cur {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        }
    }
}

/// The label keys of `-L key1,key2` (the flag may repeat).
fn label_columns(args: &Args) -> Vec<String> {
    args.all("label-columns").iter().flat_map(|v| v.split(',')).filter(|k| !k.is_empty()).map(String::from).collect()
}

/// A JSON value as Go's `%v` prints it, which is how custom-columns shows non-strings:
/// `[map[ip:10.42.0.2]]`.
fn go_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            format!("map[{}]", m.iter().map(|(k, x)| format!("{k}:{}", go_value(x))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// What `kubectl get` found: objects grouped by kind, NotFound errors, and whether several
/// kinds were asked for (rows then show `kind/name`).
struct Found {
    groups: Vec<(Kind, Vec<Object>)>,
    errors: String,
    multi_kind: bool,
}

/// The objects a `kubectl get` names or selects, as they are now.
fn collect(world: &World, args: &Args, targets: &Targets) -> Result<Found, String> {
    let all_ns = args.flag("all-namespaces");
    let ns = namespace(args);
    let selector = args.value("selector").map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
    let fsel = args.value("field-selector").map(FieldSelector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
    // The API server refuses a field it cannot select on (kubectl adds what it asked for).
    if let (Some(f), Targets::Listed(kinds)) = (&fsel, targets) {
        for kind in kinds {
            if let Some(msg) = f.0.iter().find_map(|(label, _, _)| kind.field_selector_error(label)) {
                let i = kind.info();
                return Err(format!(
                    "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector {:?}, field selector {:?}: {msg}\n",
                    i.group,
                    i.version,
                    i.plural,
                    args.value("selector").unwrap_or(""),
                    args.value("field-selector").unwrap_or("")
                ));
            }
        }
    }
    let mut errors = String::new();
    let mut groups: Vec<(Kind, Vec<Object>)> = Vec::new();
    let multi_kind;
    match &targets {
        Targets::Named(items) => {
            multi_kind = items.iter().any(|(k, _)| *k != items[0].0)
                || args.positional[0].contains('/') && items.len() > 1 && items.iter().any(|(k, _)| *k != items[0].0);
            for (kind, name) in items {
                let obj_ns = if kind.info().namespaced { ns.as_str() } else { "" };
                match world.get(*kind, obj_ns, name) {
                    Some(o) => match groups.iter_mut().find(|(k, _)| k == kind) {
                        Some((_, v)) => v.push(o.clone()),
                        None => groups.push((*kind, vec![o.clone()])),
                    },
                    None => errors.push_str(&api_error_text(&ApiError::not_found(*kind, name))),
                }
            }
        }
        Targets::Listed(kinds) => {
            multi_kind = kinds.len() > 1;
            for kind in kinds {
                let scope = if kind.info().namespaced && !all_ns { Some(ns.as_str()) } else { None };
                let items: Vec<Object> = world
                    .store()
                    .list(*kind, scope)
                    .filter(|o| {
                        selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref().unwrap_or(&Default::default())))
                    })
                    .filter(|o| fsel.as_ref().is_none_or(|f| f.matches(|field| field_value(o, field))))
                    .cloned()
                    .collect();
                groups.push((*kind, items));
            }
        }
    }
    Ok(Found { groups, errors, multi_kind })
}

/// One table row of `kubectl get`, with the namespace, `-L` and `--show-labels` columns.
fn table_row(o: &Object, kind: Kind, args: &Args, now: u64, wide: bool, multi_kind: bool) -> Vec<String> {
    let show_ns = args.flag("all-namespaces") && kind.info().namespaced;
    let mut r = printers::row(o, now, wide);
    if multi_kind && kind != Kind::Event {
        r[0] = qualified_name(kind, &r[0]);
    }
    if show_ns {
        r.insert(0, o.meta().namespace.clone().unwrap_or_default());
    }
    for key in label_columns(args) {
        r.push(o.meta().labels.as_ref().and_then(|l| l.get(&key)).cloned().unwrap_or_default());
    }
    if args.flag("show-labels") {
        r.push(printers::format_map(o.meta().labels.as_ref()));
    }
    r
}

/// What `-o jsonpath` and `-o go-template` render against: the object itself when one was
/// named, otherwise a `List` of the objects found.
fn template_data(groups: &[(Kind, Vec<Object>)], targets: &Targets) -> serde_json::Value {
    let objs: Vec<&Object> = groups.iter().flat_map(|(_, v)| v.iter()).collect();
    let single = matches!(targets, Targets::Named(n) if n.len() == 1);
    if single && objs.len() == 1 {
        objs[0].to_value()
    } else {
        serde_json::json!({"apiVersion": "v1", "items": objs.iter().map(|o| o.to_value()).collect::<Vec<_>>(), "kind": "List", "metadata": {"resourceVersion": ""}})
    }
}

/// `--sort-by=FIELD` (kubectl's RuntimeSort over unstructured objects): the first value the
/// JSONPath finds in each object; numbers by value, strings that are both quantities by
/// quantity, other strings in natural order (digit runs by number), objects without the
/// field first. A path no object has is kubectl's error.
fn sort_by_field(items: &mut [Object], field: &str) -> Result<(), String> {
    let braced = if field.starts_with('{') { field.to_string() } else { format!("{{{field}}}") };
    let keys: Vec<Option<serde_json::Value>> = items
        .iter()
        .map(|o| crate::jsonpath::values(field, &o.to_value()).map(|v| v.first().map(|x| (*x).clone())))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("error: {e}\n"))?;
    if !items.is_empty() && keys.iter().all(Option::is_none) {
        return Err(format!("error: couldn't find any field with path {braced:?} in the list of objects\n"));
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare_field(keys[a].as_ref(), keys[b].as_ref()));
    let sorted: Vec<Object> = order.iter().map(|&i| items[i].clone()).collect();
    items.clone_from_slice(&sorted);
    Ok(())
}

fn compare_field(a: Option<&serde_json::Value>, b: Option<&serde_json::Value>) -> std::cmp::Ordering {
    use serde_json::Value;
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => {
            match (kubeplay_sim::quantity::parse(x), kubeplay_sim::quantity::parse(y)) {
                (Some(p), Some(q)) => p.cmp(&q),
                _ => natural_cmp(x, y),
            }
        }
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => natural_cmp(&x.to_string(), &y.to_string()),
    }
}

/// Natural order (github.com/fvbommel/sortorder): runs of digits compare by value.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let i = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let j = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (nx, ny) = (&x[..i], &y[..j]);
                let tx = nx.iter().skip_while(|c| **c == b'0').count();
                let ty = ny.iter().skip_while(|c| **c == b'0').count();
                let ord = tx.cmp(&ty).then_with(|| nx[i - tx..].cmp(&ny[j - ty..])).then_with(|| i.cmp(&j));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                x = &x[i..];
                y = &y[j..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// What `kubectl get clusterroles|clusterrolebindings` adds, as kubeplay lists none of
/// k3s's own.
const BOOTSTRAP_RBAC_NOTE: &str = "kubeplay: the cluster's built-in ClusterRoles and ClusterRoleBindings (cluster-admin, admin, edit, view, system:*) are not modelled; only ones you create are listed\n";

fn get(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    if let Some(path) = args.value("raw") {
        if !args.positional.is_empty() {
            return Output::err("error: arguments may not be passed when --raw is specified\n".into());
        }
        // kubectl's GetOptions.Validate.
        if args.flag("watch") || args.flag("watch-only") || args.value("selector").is_some() {
            return Output::err(
                "error: --raw may not be specified with other flags that filter the server request or alter the output\n".into(),
            );
        }
        if args.value("output").is_some_and(|o| !o.is_empty()) {
            return Output::err("error: --raw and --output are mutually exclusive\n".into());
        }
        return crate::raw::get_raw(world, path);
    }
    let targets = match targets(&args.positional) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let Found { mut groups, errors, multi_kind } = match collect(world, args, &targets) {
        Ok(f) => f,
        Err(e) => return Output::err(e),
    };
    if let Some(field) = args.value("sort-by") {
        for (_, items) in groups.iter_mut() {
            if let Err(e) = sort_by_field(items, field) {
                return Output::err(e);
            }
        }
    }
    let all_ns = args.flag("all-namespaces");
    let ns = namespace(args);
    // A `--template` without `-o` means go-template (kubectl's PrintFlags).
    let output = match (args.value("output"), args.value("template")) {
        (None, Some(_)) => "go-template",
        (Some("template"), _) => "go-template",
        (Some(o), _) => o.strip_prefix("template=").map_or(o, |_| o),
        (None, None) => "",
    };
    let mut templated = args.value("output").and_then(|o| o.strip_prefix("template=")).map(|t| format!("go-template={t}"));
    // A template in a file (`-o go-template-file=F`, `templatefile=F`, `jsonpath-file=F`).
    for (file_format, format) in
        [("go-template-file=", "go-template="), ("templatefile=", "go-template="), ("jsonpath-file=", "jsonpath=")]
    {
        if let Some(path) = output.strip_prefix(file_format) {
            match env.files.read(path) {
                Ok(text) => templated = Some(format!("{format}{text}")),
                Err(_) => {
                    return Output::err(format!(
                        "error: error reading --template {path}, open {path}: no such file or directory\n"
                    ))
                }
            }
        }
    }
    let output = templated.as_deref().unwrap_or(output);
    let now = world.now_ms();
    let mut out = String::new();
    // kubectl 1.33+ relays the API server's deprecation warning for v1 Endpoints.
    let mut warning = String::new();
    if groups.iter().any(|(k, _)| *k == Kind::Endpoints) {
        warning.push_str("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    }
    match output {
        "" | "wide" => {
            let wide = output == "wide";
            let mut first = true;
            for (kind, items) in &groups {
                if items.is_empty() {
                    continue;
                }
                if !first {
                    out.push('\n');
                }
                first = false;
                let show_ns = all_ns && kind.info().namespaced;
                let mut rows: Vec<Vec<String>> = Vec::new();
                if !args.flag("no-headers") {
                    let mut h: Vec<String> = printers::headers(*kind, wide).into_iter().map(String::from).collect();
                    if show_ns {
                        h.insert(0, "NAMESPACE".into());
                    }
                    for key in label_columns(args) {
                        h.push(key.rsplit('/').next().unwrap_or(&key).to_uppercase());
                    }
                    if args.flag("show-labels") {
                        h.push("LABELS".into());
                    }
                    rows.push(h);
                }
                for o in items {
                    rows.push(table_row(o, *kind, args, now, wide, multi_kind));
                }
                out.push_str(&table::render(&rows));
            }
        }
        o if o == "go-template" || o.starts_with("go-template=") => {
            let Some(tpl) = o.strip_prefix("go-template=").or(args.value("template")) else {
                return Output::err("error: template format specified but no template given\n".into());
            };
            // Nothing found: kubectl prints only the errors.
            let nothing = groups.iter().all(|(_, v)| v.is_empty()) && !errors.is_empty();
            if !nothing {
                let printed = crate::gotemplate::output(tpl, &template_data(&groups, &targets), args);
                if printed.exit_code != 0 {
                    return Output { stderr: errors.clone() + &printed.stderr, ..printed };
                }
                out = printed.stdout;
            }
        }
        o if o.starts_with("custom-columns=") => {
            let spec = &o["custom-columns=".len()..];
            let mut cols = Vec::new();
            for c in spec.split(',') {
                match c.split_once(':') {
                    Some((h, path)) if !h.is_empty() => cols.push((h.to_string(), path.to_string())),
                    _ => {
                        return Output::err(format!("error: expected <header>:<json-path-expr> for custom-columns, got {c:?}\n"))
                    }
                }
            }
            let mut rows: Vec<Vec<String>> = Vec::new();
            if !args.flag("no-headers") {
                rows.push(cols.iter().map(|(h, _)| h.clone()).collect());
            }
            for o in groups.iter().flat_map(|(_, v)| v.iter()) {
                let v = o.to_value();
                let mut row = Vec::new();
                for (_, path) in &cols {
                    match crate::jsonpath::values(path, &v) {
                        Ok(found) if found.is_empty() => row.push("<none>".to_string()),
                        Ok(found) => row.push(found.iter().map(|x| go_value(x)).collect::<Vec<_>>().join(",")),
                        Err(e) => return Output::err(format!("error: {e}\n")),
                    }
                }
                rows.push(row);
            }
            out.push_str(&table::render(&rows));
        }
        "name" => {
            for (kind, items) in &groups {
                for o in items {
                    let _ = writeln!(out, "{}", qualified_name(*kind, o.meta().name.as_deref().unwrap_or("")));
                }
            }
        }
        "yaml" | "json" | "kyaml" => {
            let objs: Vec<&Object> = groups.iter().flat_map(|(_, v)| v.iter()).collect();
            let single = matches!(targets, Targets::Named(ref n) if n.len() == 1);
            let value = if single && objs.len() == 1 {
                kubeplay_sim::api::sort_keys(&objs[0].to_value())
            } else {
                let items: Vec<serde_json::Value> = objs.iter().map(|o| kubeplay_sim::api::sort_keys(&o.to_value())).collect();
                if items.is_empty() && !errors.is_empty() {
                    return Output { stderr: errors, exit_code: 1, ..Output::default() };
                }
                serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
            };
            if output == "json" {
                out = crate::to_json(&value);
                out.push('\n');
            } else if output == "kyaml" {
                out = crate::yaml::to_kyaml(&value);
            } else {
                out = crate::yaml::to_yaml(&value);
            }
        }
        // A template format with no template (kubectl's JSONPath and Go-template print flags).
        // `-o jsonpath --template=...`: the template from its own flag.
        "jsonpath" if args.value("template").is_some() => {
            let tpl = args.value("template").unwrap_or_default();
            match crate::jsonpath::render(tpl, &template_data(&groups, &targets)) {
                Ok(s) => out = s,
                Err(e) => return Output::err(format!("error: error parsing jsonpath {tpl}, {e}\n")),
            }
        }
        "jsonpath" | "jsonpath-as-json" | "jsonpath-file" | "go-template-file" | "templatefile" => {
            return Output::err("error: template format specified but no template given\n".into());
        }
        // `-o jsonpath=` with nothing after it: no template either.
        "jsonpath=" | "jsonpath-as-json=" => {
            return Output::err("error: template format specified but no template given\n".into());
        }
        other => {
            if let Some(tpl) = other.strip_prefix("jsonpath-as-json=") {
                // The results as one JSON array, indented by four spaces.
                let data = template_data(&groups, &targets);
                match crate::jsonpath::values(tpl, &data) {
                    Ok(found) => {
                        let array = serde_json::Value::Array(found.into_iter().cloned().collect());
                        let mut buf = Vec::new();
                        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                        let _ = serde::Serialize::serialize(&array, &mut ser);
                        out = String::from_utf8(buf).unwrap_or_default();
                        out.push('\n');
                    }
                    Err(e) => return Output::err(format!("error: error parsing jsonpath {tpl}, {e}\n")),
                }
            } else if let Some(tpl) = other.strip_prefix("jsonpath=") {
                match crate::jsonpath::render(tpl, &template_data(&groups, &targets)) {
                    Ok(s) => out = s,
                    Err(e) => return Output::err(format!("error: error parsing jsonpath {tpl}, {e}\n")),
                }
            } else {
                return Output::err(format!(
                    "error: unable to match a printer suitable for the output format {other:?}, allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml\n"
                ));
            }
        }
    }
    // A real cluster lists its bootstrap RBAC objects here; kubeplay does not model them.
    let mut errors = errors;
    let mut errors_note = None;
    if matches!(&targets, Targets::Listed(k) if k.iter().any(|k| matches!(k, Kind::ClusterRole | Kind::ClusterRoleBinding))) {
        errors_note = Some(BOOTSTRAP_RBAC_NOTE);
    }
    let empty = groups.iter().all(|(_, v)| v.is_empty());
    if empty
        && errors.is_empty()
        && matches!(targets, Targets::Listed(_))
        && (output.is_empty() || output == "wide" || output == "name")
        && !args.flag("watch")
    {
        let cluster_scoped = matches!(&targets, Targets::Listed(k) if k.iter().all(|k| !k.info().namespaced));
        let msg = if all_ns || cluster_scoped {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
        let msg = format!("{msg}{}", errors_note.unwrap_or(""));
        return Output { warnings: warning, stderr: msg, exit_code: 0, ..Output::default() };
    }
    let exit_code = i32::from(!errors.is_empty());
    if let Some(note) = errors_note {
        errors.push_str(note);
    }
    let first = Output { warnings: warning, stdout: out, stderr: errors, exit_code, ..Output::default() };
    if args.flag("watch") && exit_code == 0 && (output.is_empty() || output == "wide") {
        return watch(world, args, &targets, groups, first);
    }
    first
}

/// `kubectl get -w`: after the table, a row (no header) for every change to a listed object,
/// as virtual time advances, until nothing more is due within the settle window. kubectl
/// would keep watching until interrupted; kubeplay says where it stopped.
fn watch(world: &mut World, args: &Args, targets: &Targets, groups: Vec<(Kind, Vec<Object>)>, mut out: Output) -> Output {
    let wide = args.value("output") == Some("wide");
    let key = |o: &Object| ObjRef::of(o);
    let mut seen: std::collections::BTreeMap<ObjRef, (Kind, Object)> =
        groups.into_iter().flat_map(|(k, v)| v.into_iter().map(move |o| (key(&o), (k, o)))).collect();
    // The first table's column widths stay the minimum for the rows that follow.
    let first_kind = match targets {
        Targets::Listed(k) => k.first().copied(),
        Targets::Named(n) => n.first().map(|(k, _)| *k),
    };
    let mut header_shown = !seen.is_empty();
    let mut widths: Vec<usize> = Vec::new();
    {
        let now = world.now_ms();
        let multi = seen.values().map(|(k, _)| *k).collect::<std::collections::BTreeSet<_>>().len() > 1;
        let mut initial: Vec<Vec<String>> = Vec::new();
        if let Some(k) = first_kind {
            if !args.flag("no-headers") {
                initial.push(printers::headers(k, wide).into_iter().map(String::from).collect());
            }
        }
        initial.extend(seen.values().map(|(k, o)| table_row(o, *k, args, now, wide, multi)));
        let _ = table::render_remembered(&initial, &mut widths);
    }
    let deadline = world.now_ms() + WATCH_BOUND_MS;
    let mut steps = 0u32;
    loop {
        match world.next_deadline() {
            Some(t) if t <= world.now_ms() + kubeplay_sim::world::SETTLE_QUIET_MS && t <= deadline && steps < 200_000 => {
                world.step();
                steps += 1;
            }
            _ => break,
        }
        let Ok(found) = collect(world, args, targets) else { break };
        let now = world.now_ms();
        let mut current: std::collections::BTreeMap<ObjRef, (Kind, Object)> = Default::default();
        for (k, items) in found.groups {
            for o in items {
                current.insert(key(&o), (k, o));
            }
        }
        let mut rows = Vec::new();
        for (r, (k, o)) in &current {
            let changed = seen.get(r).is_none_or(|(_, old)| old.meta().resource_version != o.meta().resource_version);
            if changed {
                rows.push(table_row(o, *k, args, now, wide, found.multi_kind));
            }
        }
        // A deleted object's last state is printed once more, as the watch's DELETED event.
        for (r, (k, o)) in &seen {
            if !current.contains_key(r) {
                rows.push(table_row(o, *k, args, now, wide, found.multi_kind));
            }
        }
        if !rows.is_empty() && !header_shown && !args.flag("no-headers") {
            // An empty list printed nothing: the header comes with the first row.
            if let Some(k) = first_kind {
                let h: Vec<String> = printers::headers(k, wide).into_iter().map(String::from).collect();
                rows.insert(0, h);
            }
            header_shown = true;
        }
        if !rows.is_empty() {
            out.stdout.push_str(&table::render_remembered(&rows, &mut widths));
        }
        seen = current;
    }
    out.stderr.push_str("kubeplay: nothing more will change soon; stopped watching (kubectl would watch until interrupted)\n");
    out
}

/// The longest a `get -w` follows changes, in virtual ms.
const WATCH_BOUND_MS: u64 = 600_000;

/// The `TYPE/NAME`s of the objects in the `-f` manifests, and their namespace if they name
/// one.
fn objects_named_by_files(args: &Args, env: &Env<'_>) -> Result<(Vec<String>, Option<String>), String> {
    let mut targets = Vec::new();
    let mut ns = None;
    for (name, text) in read_sources(args, env)? {
        let docs = decode::parse_manifests(&text).map_err(|e| {
            format!(
                "error: error parsing {}: error converting YAML to JSON: {e}
",
                source_label(&name)
            )
        })?;
        for doc in docs {
            let (obj_name, obj_ns) = decode::manifest_name(&doc.value);
            let kind = decode::manifest_kind(&doc.value).map_err(|_| {
                format!(
                    "error: unable to decode {name:?}
"
                )
            })?;
            targets.push(format!("{}/{obj_name}", kind.info().resource_group()));
            if !obj_ns.is_empty() {
                ns = Some(obj_ns);
            }
        }
    }
    Ok((targets, ns))
}

/// Reads the manifests named by `-f` (files, or `-` for stdin).
fn read_sources(args: &Args, env: &Env<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for f in args.all("filename") {
        if f == "-" {
            match env.stdin {
                Some(s) => out.push(("STDIN".to_string(), s.to_string())),
                None => return Err("error: no objects passed to apply\n".into()),
            }
        } else if crate::examples::is_url(f) {
            match crate::examples::fetch(f) {
                Ok(text) => out.push((f.clone(), text.to_string())),
                Err(e) => return Err(format!("error: {e}\n")),
            }
        } else if let Some(names) = env.files.list(f) {
            directory_sources(env, f, args.flag("recursive"), names, &mut out)?;
        } else {
            match env.files.read(f) {
                Ok(text) => out.push((f.clone(), text)),
                Err(e) => return Err(format!("error: {e}\n")),
            }
        }
    }
    Ok(out)
}

/// `-f DIR`: the directory's .json, .yaml and .yml files in lexical order, and with `-R`
/// those of its subdirectories too (kubectl's FilenameParam visitor).
fn directory_sources(
    env: &Env<'_>,
    dir: &str,
    recursive: bool,
    names: Vec<String>,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    for name in names {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        if let Some(inner) = env.files.list(&path) {
            if recursive {
                directory_sources(env, &path, true, inner, out)?;
            }
        } else if [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e)) {
            out.push((path.clone(), env.files.read(&path).map_err(|e| format!("error: {e}\n"))?));
        }
    }
    Ok(())
}

fn source_label(name: &str) -> String {
    if name == "STDIN" {
        "STDIN".into()
    } else {
        name.to_string()
    }
}

/// The API server's limit on a request body (`apiserver.MaxRequestBodyBytes`, 3 MiB).
const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;
/// The most text kubeplay parses from one `-f` source, so a huge paste cannot hang the page.
const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

/// `kubectl apply view-last-applied (TYPE NAME | TYPE/NAME | -f FILE) [-o yaml|json]`: the
/// last-applied-configuration annotation, as YAML (default) or JSON. It reads; it never
/// applies. The other `apply` subcommands are not simulated and say so.
fn apply_subcommand(world: &mut World, args: &Args, env: &Env<'_>, sub: &str) -> Output {
    if sub != "view-last-applied" {
        return Output::err(format!("kubeplay: kubectl apply {sub} is not simulated (only view-last-applied is)\n"));
    }
    let mut refs: Vec<ObjRef> = Vec::new();
    if has_sources(args) {
        let sources = match read_sources(args, env) {
            Ok(s) => s,
            Err(e) => return Output::err(e),
        };
        for (_, text) in sources {
            let Ok(docs) = decode::parse_manifests(&text) else { continue };
            for doc in docs {
                let Ok(kind) = decode::manifest_kind(&doc.value) else { continue };
                refs.push(manifest_ref(args, kind, &doc.value));
            }
        }
    } else {
        let words = &args.positional[1..];
        let (kind, name) = match words {
            [tn] if tn.contains('/') => {
                let (t, n) = tn.split_once('/').unwrap_or((tn, ""));
                (t.to_string(), n.to_string())
            }
            [t, n, ..] => (t.clone(), n.clone()),
            _ => return Output::err("error: required resource not specified\n".into()),
        };
        let kind = match resolve_kind(&kind) {
            Ok(k) => k,
            Err(e) => return Output::err(e),
        };
        let ns = if kind.info().namespaced { namespace(args) } else { String::new() };
        refs.push(ObjRef::new(kind, &ns, &name));
    }
    let json = args.value("output") == Some("json");
    let mut out = String::new();
    for r in &refs {
        let Some(obj) = world.store().get_ref(r) else {
            return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
        };
        let Some(text) = obj.meta().annotations.as_ref().and_then(|a| a.get(kubeplay_sim::api::LAST_APPLIED)) else {
            return Output::err(format!("error: no last-applied-configuration annotation found on resource: {}\n", r.name));
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return Output::err("error: the last-applied-configuration annotation is not valid JSON\n".into());
        };
        if json {
            out.push_str(&crate::to_json(&v));
            out.push('\n');
        } else {
            out.push_str(&crate::yaml::to_yaml(&v));
        }
    }
    Output::ok(out)
}

fn apply_or_create(world: &mut World, args: &Args, env: &Env<'_>, apply: bool) -> Output {
    if apply {
        if let Some(sub) = args
            .positional
            .first()
            .filter(|w| ["view-last-applied", "edit-last-applied", "set-last-applied"].contains(&w.as_str()))
        {
            return apply_subcommand(world, args, env, &sub.clone());
        }
    }
    if !apply && !has_sources(args) {
        return crate::create::create_subcommand(world, args, env.files);
    }
    if !has_sources(args) {
        return Output::err("error: must specify one of -f and -k\n".into());
    }
    let cmd_ns = args.value("namespace").map(String::from);
    let mut out = String::new();
    let mut errs = String::new();
    let mut diags: Vec<crate::Diagnostic> = Vec::new();
    let mut warnings = String::new();
    // kubeplay notes for kinds stored but not acted on, once per command.
    let mut notes: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut image_notes: Vec<String> = Vec::new();
    let pruner = match crate::prune::from_args(args, true) {
        Ok(p) => p.filter(|_| apply),
        Err(e) => return Output::err(e),
    };
    let mut visited = crate::prune::Visited::default();
    let (docs, any) = match manifest_docs(args, env, apply, &mut errs, &mut diags) {
        Ok(d) => d,
        Err(e) => return Output::err(e),
    };
    // kubectl refuses an empty apply before it applies or prunes anything.
    if !any && errs.is_empty() {
        return Output::err(
            if apply { "error: no objects passed to apply\n" } else { "error: no objects passed to create\n" }.into(),
        );
    }
    // kubectl's apply counts a namespace given with -n as visited.
    if let (true, Some(ns)) = (args.explicit_namespace, &cmd_ns) {
        visited.namespaces.insert(ns.clone());
    }
    for ManifestDoc { label, doc, kind, value, obj_name, obj_ns } in docs {
        if let Some(mode) = args.value("dry-run").filter(|m| *m != "none") {
            let show = crate::create::Show {
                dry_run: Some(mode.to_string()),
                namespace_given: value.pointer("/metadata/namespace").is_some(),
                ..crate::create::Show::from_args(args, false)
            };
            // An apply dry run says `configured` for an object that exists, `created` for a new one.
            let target = manifest_ref(args, kind, &value);
            let live = world.store().get_ref(&target);
            let exists = live.is_some();
            visited.mark(kind, live.and_then(|o| o.meta().uid.as_deref()), Some(target.namespace.as_str()));
            if apply && exists && mode == "server" {
                // The server runs the whole update (its validation included) and keeps
                // nothing: here, on a copy of the world.
                let mut scratch = world.clone();
                scratch.take_warnings();
                let applied = scratch.apply(&value);
                for w in scratch.take_warnings() {
                    let _ = writeln!(warnings, "Warning: {w}");
                }
                match applied {
                    Ok((o, r)) => {
                        let verb = match r.verb() {
                            "unchanged" => "unchanged",
                            _ => "configured",
                        };
                        let name = qualified_name(kind, o.meta().name.as_deref().unwrap_or(""));
                        match show.output.as_deref() {
                            Some("yaml") => out.push_str(&crate::yaml::to_yaml(&o.to_value())),
                            Some("kyaml") => out.push_str(&crate::yaml::to_kyaml(&o.to_value())),
                            Some("json") => {
                                let _ = writeln!(out, "{}", crate::to_json(&o.to_value()));
                            }
                            Some("name") => {
                                let _ = writeln!(out, "{name}");
                            }
                            _ => {
                                let _ = writeln!(out, "{name} {verb} (server dry run)");
                            }
                        }
                    }
                    Err(e) => errs.push_str(&with_source(&e, "applying patch", &label)),
                }
                continue;
            }
            let mut server_created = None;
            if mode == "server" && !exists {
                match crate::create::server_dry_create(world, &value) {
                    Ok((w, created)) => {
                        warnings.push_str(&w);
                        server_created = Some(created);
                    }
                    Err(e) => {
                        errs.push_str(&with_source(&e, "creating", &label));
                        continue;
                    }
                }
            }
            let o = if let Some(created) = server_created {
                show.print(kind, &created, "created (server dry run)")
            } else {
                crate::create::create_value_with(world, kind, value, &show)
            };
            if o.exit_code == 0 {
                let text = if apply && exists { o.stdout.replace(" created (", " configured (") } else { o.stdout };
                out.push_str(&text);
            } else {
                errs.push_str(&o.stderr);
            }
            continue;
        }
        if apply {
            // kubectl warns before patching in the annotation an imperative create left out.
            let (n, ons) = decode::manifest_name(&value);
            let lns = if kind.info().namespaced { obj_ns_or(&ons, &cmd_ns).to_string() } else { String::new() };
            let missing = world
                .get(kind, &lns, &n)
                .is_some_and(|o| o.meta().annotations.as_ref().is_none_or(|a| !a.contains_key(kubeplay_sim::api::LAST_APPLIED)));
            if missing {
                let _ = writeln!(
                    warnings,
                    "Warning: resource {}/{n} is missing the {} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                    kind.info().plural,
                    kubeplay_sim::api::LAST_APPLIED
                );
            }
        }
        let result = if apply {
            world.apply(&value).map(|(o, r)| (o, r.verb()))
        } else {
            kubeplay_sim::api::decode_for_server(&value).and_then(|o| world.create(o)).map(|o| (o, "created"))
        };
        match result {
            Ok((o, verb)) => {
                visited.mark(kind, o.meta().uid.as_deref(), o.meta().namespace.as_deref());
                let _ = writeln!(out, "{} {verb}", qualified_name(kind, o.meta().name.as_deref().unwrap_or("")));
                if let Some(note) = Kind::note_for(&o) {
                    notes.insert(note);
                }
                for n in crate::create::image_notes(&value) {
                    if !image_notes.contains(&n) {
                        image_notes.push(n);
                    }
                }
            }
            Err(e) => {
                diags.extend(locate_error(&e, &doc));
                let exists =
                    world.get(kind, if kind.info().namespaced { obj_ns_or(&obj_ns, &cmd_ns) } else { "" }, &obj_name).is_some();
                let verb = if apply && exists { "applying patch" } else { "creating" };
                errs.push_str(&with_source(&e, verb, &label));
            }
        }
    }
    // kubectl prunes only after every object applied.
    if let Some(p) = pruner.as_ref().filter(|_| errs.is_empty()) {
        warnings.push_str(&p.deprecation(world));
        let mode = args.value("dry-run").filter(|m| *m != "none");
        for r in p.candidates(world, &visited) {
            let name = qualified_name(r.kind, &r.name);
            match mode {
                Some(m) => {
                    let _ = writeln!(out, "{name} pruned ({})", if m == "server" { "server dry run" } else { "dry run" });
                }
                None => {
                    match world.delete(&r, DeleteOptions { propagation: Propagation::Background, grace_period_seconds: None }) {
                        Ok(_) => {
                            let _ = writeln!(out, "{name} pruned");
                        }
                        Err(e) => errs.push_str(&api_error_text(&e)),
                    }
                }
            }
        }
    }
    let exit_code = i32::from(!errs.is_empty());
    // Notes follow kubectl's own output, and are not errors.
    for note in notes {
        let _ = writeln!(errs, "{note}");
    }
    Output { stdout: out, exit_code, stderr: errs, diagnostics: diags, warnings, notes: image_notes, ..Output::default() }
}

/// One object of the `-f`/`-k` manifests, checked as kubectl checks it before sending it.
pub(crate) struct ManifestDoc {
    pub label: String,
    pub doc: decode::Manifest,
    pub kind: Kind,
    /// The manifest, with `-n`'s namespace filled in.
    pub value: serde_json::Value,
    pub obj_name: String,
    pub obj_ns: String,
}

/// The objects `-f`/`-k` name, for apply, create and diff: kubectl's errors for a source
/// that cannot be read, parsed, mapped to a kind or sent (pushed to `errs`, the objects
/// beside them kept), and with `-l` only the objects whose labels match. Also whether the
/// sources held any document.
pub(crate) fn manifest_docs(
    args: &Args,
    env: &Env<'_>,
    apply: bool,
    errs: &mut String,
    diags: &mut Vec<crate::Diagnostic>,
) -> Result<(Vec<ManifestDoc>, bool), String> {
    let sources = read_sources(args, env)?;
    let selector = args.value("selector").map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
    let cmd_ns = args.value("namespace").map(String::from);
    let mut any = false;
    let mut docs_out = Vec::new();
    for (name, text) in sources {
        let label = source_label(&name);
        if text.len() > MAX_SOURCE_BYTES {
            errs.push_str(&format!(
                "error: {label} is {} bytes; kubeplay reads at most {MAX_SOURCE_BYTES} bytes from one -f source (a limit of the simulation, not of kubectl)\n",
                text.len()
            ));
            continue;
        }
        let docs = match decode::parse_manifests(&text) {
            Ok(d) => d,
            Err(e) => {
                diags.push(crate::Diagnostic { line: e.line, column: e.column, message: e.problem.clone() });
                errs.push_str(&format!("error: error parsing {label}: error converting YAML to JSON: {e}\n"));
                continue;
            }
        };
        for doc in docs {
            any = true;
            let mut value = doc.value.clone();
            let (obj_name, obj_ns) = decode::manifest_name(&value);
            let kind = match decode::manifest_kind(&value) {
                Ok(k) => k,
                Err(DecodeError::NoMatch { kind, api_version }) => {
                    errs.push_str(&format!(
                        "error: resource mapping not found for name: {obj_name:?} namespace: {obj_ns:?} from {label:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first\n"
                    ));
                    continue;
                }
                Err(DecodeError::MissingTypeInfo { missing }) => {
                    let what: Vec<String> = missing.iter().map(|m| format!("{m} not set")).collect();
                    errs.push_str(&format!(
                        "error: error validating {label:?}: error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false\n",
                        what.join(", ")
                    ));
                    continue;
                }
                Err(e) => {
                    errs.push_str(&format!("error: {e:?}\n"));
                    continue;
                }
            };
            // The selector drops objects before anything else looks at them.
            if let Some(sel) = &selector {
                let labels: std::collections::BTreeMap<String, String> =
                    value.pointer("/metadata/labels").and_then(|l| serde_json::from_value(l.clone()).ok()).unwrap_or_default();
                if !sel.matches(&labels) {
                    continue;
                }
            }
            if kind.info().namespaced {
                if let Some(cns) = &cmd_ns {
                    if !obj_ns.is_empty() && &obj_ns != cns {
                        errs.push_str(&format!(
                            "error: the namespace from the provided object {obj_ns:?} does not match the namespace {cns:?}. You must pass '--namespace={obj_ns}' to perform this operation.\n"
                        ));
                        continue;
                    }
                    if let Some(m) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                        m.insert("namespace".into(), serde_json::Value::String(cns.clone()));
                    }
                }
            }
            // The API server refuses request bodies over 3 MiB (kubectl sends each object as JSON).
            let body = serde_json::to_vec(&value).map_or(0, |b| b.len());
            if body > MAX_REQUEST_BYTES {
                let verb = if apply { "applying" } else { "creating" };
                errs.push_str(&format!(
                    "Error from server (RequestEntityTooLarge): error when {verb} {label:?}: Request entity too large: limit is {MAX_REQUEST_BYTES}\n"
                ));
                continue;
            }
            docs_out.push(ManifestDoc { label: label.clone(), doc, kind, value, obj_name, obj_ns });
        }
    }
    // With -l, objects the selector leaves out were not passed at all.
    let any = any && (selector.is_none() || !docs_out.is_empty());
    Ok((docs_out, any))
}

/// Where an API error's fields are in the manifest's text.
fn locate_error(e: &ApiError, doc: &decode::Manifest) -> Vec<crate::Diagnostic> {
    let at = |field: &str, message: String| {
        let (l, c) = decode::locate(&doc.source, field).unwrap_or((1, 1));
        crate::Diagnostic { line: doc.line + l - 1, column: c, message }
    };
    if !e.causes.is_empty() {
        return e.causes.iter().map(|c| at(&c.field, c.to_string())).collect();
    }
    if let Err(DecodeError::UnknownFields { fields, .. }) = decode::decode_object(&doc.value) {
        return fields.iter().map(|f| at(f, format!("unknown field {f:?}"))).collect();
    }
    vec![at("", e.message.clone())]
}

/// `kubectl replace -f FILE`: a PUT of each object. A resourceVersion in the file must
/// match the stored one (optimistic concurrency); without one, the object is replaced.
fn replace(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    if !has_sources(args) {
        return Output::err("error: must specify --filename to replace\n".into());
    }
    let sources = match read_sources(args, env) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let mut out = String::new();
    let mut errs = String::new();
    for (name, text) in sources {
        let label = source_label(&name);
        if text.len() > MAX_SOURCE_BYTES {
            errs.push_str(&format!(
                "error: {label} is {} bytes; kubeplay reads at most {MAX_SOURCE_BYTES} bytes from one -f source (a limit of the simulation, not of kubectl)\n",
                text.len()
            ));
            continue;
        }
        let docs = match decode::parse_manifests(&text) {
            Ok(d) => d,
            Err(e) => {
                errs.push_str(&format!("error: error parsing {label}: error converting YAML to JSON: {e}\n"));
                continue;
            }
        };
        for doc in docs {
            let mut value = doc.value.clone();
            if let (Some(ns), Some(m)) = (args.value("namespace"), value.get_mut("metadata").and_then(|m| m.as_object_mut())) {
                m.entry("namespace").or_insert(serde_json::Value::String(ns.to_string()));
            }
            // `--force`: kubectl's forceReplace deletes the object, waits for it to be gone,
            // then creates it from the manifest.
            let result = if args.flag("force") {
                kubeplay_sim::api::decode_for_server(&value).and_then(|mut o| {
                    let r = manifest_ref(args, o.kind(), &value);
                    if r.kind.info().namespaced {
                        o.meta_mut().namespace = Some(r.namespace.clone());
                    }
                    match world.delete(&r, DeleteOptions { propagation: Propagation::Background, grace_period_seconds: None }) {
                        Ok(_) => {
                            out.push_str(&deleted_line(&r, "deleted"));
                            crate::wait_until_gone(world, std::slice::from_ref(&r));
                        }
                        Err(e) if e.reason == Reason::NotFound => {}
                        Err(e) => return Err(e),
                    }
                    o.meta_mut().resource_version = None;
                    world.create(o)
                })
            } else {
                kubeplay_sim::api::decode_for_server(&value).and_then(|o| world.update(o))
            };
            match result {
                Ok(o) => {
                    let _ = writeln!(out, "{} replaced", qualified_name(o.kind(), o.meta().name.as_deref().unwrap_or("")));
                }
                Err(e) => errs.push_str(&with_source(&e, "replacing", &label)),
            }
        }
    }
    Output { stdout: out, exit_code: i32::from(!errs.is_empty()), stderr: errs, ..Output::default() }
}

fn obj_ns_or<'a>(obj_ns: &'a str, cmd_ns: &'a Option<String>) -> &'a str {
    if !obj_ns.is_empty() {
        obj_ns
    } else {
        cmd_ns.as_deref().unwrap_or("default")
    }
}

/// kubectl delete's line for one object: `pod "web" deleted from default namespace`
/// (`force deleted` without a grace period), or without the namespace for a cluster-scoped
/// kind.
fn deleted_line(r: &ObjRef, verb: &str) -> String {
    let what = format!("{} {:?} {verb}", r.kind.info().singular_group(), r.name);
    if r.kind.info().namespaced {
        format!("{what} from {} namespace\n", r.namespace)
    } else {
        format!("{what}\n")
    }
}

fn delete(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    // kubectl's GetCascadingStrategy warns about the old boolean values first.
    let replacement = match args.value("cascade") {
        Some("false") => Some("orphan"),
        Some("true") => Some("background"),
        _ => None,
    };
    let mut out = delete_objects(world, args, env);
    if let (Some(with), Some(old)) = (replacement, args.value("cascade")) {
        out.warnings.insert_str(
            0,
            &format!("warning: --cascade={old} is deprecated (boolean value) and can be replaced with --cascade={with}.\n"),
        );
    }
    out
}

fn delete_objects(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    let propagation = match args.value("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => {
            return Output::err(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"\n"
            ))
        }
    };
    // kubectl's DeleteOptions.Complete and Validate: --grace-period=0 without --force means
    // 1; --force alone means 0, and deletes at once with a warning.
    let force = args.flag("force");
    let given = match args.value("grace-period").map(str::parse::<i64>) {
        Some(Ok(g)) if g >= 0 => Some(g),
        _ => None,
    };
    if args.flag("now") && given.is_some() {
        return Output::err("error: --now and --grace-period cannot be specified together\n".into());
    }
    let grace = match (args.flag("now"), given) {
        (true, _) => Some(1),
        (false, Some(0)) if !force => Some(1),
        (false, None) if force => Some(0),
        (false, g) => g,
    };
    if force && grace.is_some_and(|g| g > 0) {
        return Output::err("error: --force and --grace-period greater than 0 cannot be specified together\n".into());
    }
    let forced = grace == Some(0);
    let warning = if forced {
        "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n"
    } else {
        ""
    };
    let opts = DeleteOptions { propagation, grace_period_seconds: grace };
    let ns = namespace(args);
    let mut refs: Vec<ObjRef> = Vec::new();
    let mut errs = String::new();
    if has_sources(args) {
        let sources = match read_sources(args, env) {
            Ok(s) => s,
            Err(e) => return Output::err(e),
        };
        for (name, text) in sources {
            match decode::parse_manifests(&text) {
                Ok(docs) => {
                    for d in docs {
                        match decode::manifest_kind(&d.value) {
                            Ok(kind) => {
                                let (n, ons) = decode::manifest_name(&d.value);
                                let ons = if kind.info().namespaced {
                                    if ons.is_empty() {
                                        ns.clone()
                                    } else {
                                        ons
                                    }
                                } else {
                                    String::new()
                                };
                                refs.push(ObjRef::new(kind, &ons, &n));
                            }
                            Err(_) => errs.push_str(&format!("error: unable to decode {name:?}\n")),
                        }
                    }
                }
                Err(e) => errs.push_str(&format!("error: error parsing {name}: error converting YAML to JSON: {e}\n")),
            }
        }
    } else {
        let targets = match targets(&args.positional) {
            Ok(t) => t,
            Err(e) => return Output::err(e.replace("to get", "to delete")),
        };
        match targets {
            Targets::Named(items) => {
                for (k, n) in items {
                    refs.push(ObjRef::new(k, if k.info().namespaced { &ns } else { "" }, &n));
                }
            }
            Targets::Listed(kinds) => {
                let sel = match args.value("selector").map(Selector::parse).transpose() {
                    Ok(s) => s,
                    Err(e) => return Output::err(format!("error: {e}\n")),
                };
                if sel.is_none() && !args.flag("all") {
                    return Output::err(
                        "error: resource(s) were provided, but no name, label selector, or --all flag specified\n".into(),
                    );
                }
                let all_ns = args.flag("all-namespaces");
                for k in kinds {
                    let scope = if k.info().namespaced && !all_ns { Some(ns.as_str()) } else { None };
                    for o in world.store().list(k, scope) {
                        if sel.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref().unwrap_or(&Default::default()))) {
                            refs.push(ObjRef::of(o));
                        }
                    }
                }
                if refs.is_empty() {
                    return Output { stderr: "No resources found\n".into(), exit_code: 0, ..Output::default() };
                }
            }
        }
    }
    let mut out = String::new();
    let mut deleted = Vec::new();
    for r in refs {
        match world.delete(&r, opts) {
            Ok(_) => {
                out.push_str(&deleted_line(&r, if forced { "force deleted" } else { "deleted" }));
                deleted.push(r);
            }
            Err(e) if e.reason == Reason::NotFound && args.flag("ignore-not-found") => {}
            Err(e) => errs.push_str(&api_error_text(&e)),
        }
    }
    // kubectl waits for the objects to be gone (--wait=true): advance virtual time until
    // they are, bounded by the default grace period plus slack.
    if args.flag_or("wait", true) {
        crate::wait_until_gone(world, &deleted);
    }
    Output { warnings: warning.into(), stdout: out, exit_code: i32::from(!errs.is_empty()), stderr: errs, ..Output::default() }
}

/// The objects a command names: `kind/name` items, or every object of the listed kinds
/// matching `-l` (or `--all`), in the command's namespace.
pub fn object_refs(world: &World, args: &Args, targets: Targets) -> Result<Vec<ObjRef>, String> {
    let ns = namespace(args);
    Ok(match targets {
        Targets::Named(items) => {
            items.into_iter().map(|(k, n)| ObjRef::new(k, if k.info().namespaced { &ns } else { "" }, &n)).collect()
        }
        Targets::Listed(kinds) => {
            let sel = args.value("selector").map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
            if sel.is_none() && !args.flag("all") {
                return Err("error: resource(s) were provided, but no name, label selector, or --all flag specified\n".into());
            }
            kinds
                .into_iter()
                .flat_map(|k| {
                    let scope = if k.info().namespaced { Some(ns.clone()) } else { None };
                    world
                        .store()
                        .list(k, scope.as_deref())
                        .filter(|o| {
                            sel.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref().unwrap_or(&Default::default())))
                        })
                        .map(ObjRef::of)
                        .collect::<Vec<_>>()
                })
                .collect()
        }
    })
}

fn label_or_annotate(world: &mut World, args: &Args, env: &Env<'_>, label: bool) -> Output {
    let (what, one) = if label { ("labels", "label") } else { ("annotations", "annotation") };
    // kubectl's GetResourcesAndPairs: `KEY=VALUE` and `KEY-` are changes (keys may hold a
    // `/`, as in kubernetes.io/change-cause); the rest name the objects.
    let (objs, pairs): (Vec<&String>, Vec<&String>) = args.positional.iter().partition(|p| !p.contains('=') && !p.ends_with('-'));
    let names: Vec<String> = objs.into_iter().cloned().collect();
    let list = args.flag("list");
    if pairs.is_empty() && !list {
        return Output::err(format!("error: at least one {one} update is required\n"));
    }
    let mut set: std::collections::BTreeMap<String, String> = Default::default();
    let mut remove: Vec<String> = Vec::new();
    for p in &pairs {
        match p.split_once('=') {
            Some((k, v)) => {
                if label && v.contains('=') {
                    return Output::err(format!("error: invalid label spec: {p}\n"));
                }
                set.insert(k.to_string(), v.to_string());
            }
            None => remove.push(p.trim_end_matches('-').to_string()),
        }
    }
    let both: Vec<&str> = remove.iter().filter(|k| set.contains_key(*k)).map(String::as_str).collect();
    if !both.is_empty() {
        return Output::err(if label {
            "error: can not both modify and remove a label in the same command\n".to_string()
        } else {
            format!(
                "error: can not both modify and remove the following annotation(s) in the same command: {}\n",
                both.join(", ")
            )
        });
    }
    if list && args.value("output").is_some() {
        return Output::err("error: --list and --output may not be specified together\n".into());
    }
    if let Err(e) = crate::local::check_output(args) {
        return Output::err(e);
    }
    let (subjects, mut errs) = match crate::local::subjects(world, args, env, &names, if label { "label" } else { "annotate" }) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    // kubectl's IntoSingleItemImplied: one object named, or one from the files.
    let single = if names.is_empty() {
        subjects.len() == 1
    } else {
        matches!(targets(&names), Ok(Targets::Named(items)) if items.len() == 1)
    };
    let (client_only, dry) = (crate::local::client_only(args), crate::local::no_write(args));
    let mut out = String::new();
    let mut warnings = String::new();
    let mut printed = 0;
    for subject in subjects {
        let (kind, name) = (subject.kind(), subject.name());
        let r_name = name.clone();
        let mut value = subject.value();
        let meta = value.pointer("/metadata").cloned().unwrap_or_default();
        // `--resource-version`: the change is sent with that version, so the API server
        // refuses it when the object has moved on.
        if !client_only
            && args.value("resource-version").is_some_and(|v| meta.get("resourceVersion").and_then(|x| x.as_str()) != Some(v))
        {
            errs.push_str(&api_error_text(&ApiError::conflict(kind, &name)));
            continue;
        }
        let current: std::collections::BTreeMap<String, String> =
            meta.get(what).and_then(|m| serde_json::from_value(m.clone()).ok()).unwrap_or_default();
        if label && !list && !client_only {
            for k in remove.iter().filter(|k| !current.contains_key(*k)) {
                let _ = writeln!(out, "label {k:?} not found.");
            }
        }
        // kubectl's validateNoOverwrites (label: one error per key) and
        // validateNoAnnotationOverwrites (one error; the change-cause annotation may always
        // be overwritten).
        if !args.flag("overwrite") {
            let clashes: Vec<String> = set
                .iter()
                .filter(|(k, _)| label || k.as_str() != "kubernetes.io/change-cause")
                .filter_map(|(k, v)| {
                    current.get(k).filter(|old| *old != v).map(|old| format!("'{k}' already has a value ({old})"))
                })
                .collect();
            if !clashes.is_empty() {
                if label {
                    for c in clashes {
                        let _ = writeln!(errs, "error: {c}, and --overwrite is false");
                    }
                } else {
                    let _ = writeln!(
                        errs,
                        "error: --overwrite is false but found the following declared annotation(s): {}",
                        clashes.join("; ")
                    );
                }
                continue;
            }
        }
        let mut updated = current.clone();
        for (k, v) in &set {
            updated.insert(k.clone(), v.clone());
        }
        for k in &remove {
            updated.remove(k);
        }
        if list {
            // `--list` shows the object's labels (annotations) with the changes applied
            // locally; nothing is written.
            let indent = if single { "" } else { " " };
            if !single {
                let info = kind.info();
                let _ = writeln!(out, "Listing {what} for {}.{}/{}:", info.kind, info.group, r_name);
            }
            for (k, v) in &updated {
                let _ = writeln!(out, "{indent}{k}={v}");
            }
            continue;
        }
        // kubectl's updateDataChangeMsg for labels; annotate always says "annotated".
        let message = if label {
            let unlabeled = current.keys().any(|k| !updated.contains_key(k));
            let labeled = updated.iter().any(|(k, v)| current.get(k) != Some(v));
            match (labeled, unlabeled) {
                (true, true) => "label(s) changed",
                (true, false) => "labeled",
                (false, true) => "unlabeled",
                (false, false) => "not labeled",
            }
        } else {
            "annotated"
        };
        if let Some(m) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            if updated.is_empty() {
                m.shift_remove(what);
            } else {
                m.insert(what.to_string(), serde_json::to_value(&updated).unwrap_or_default());
            }
        }
        if updated != current && !client_only {
            let r = ObjRef::new(kind, meta.get("namespace").and_then(|n| n.as_str()).unwrap_or(""), &name);
            let patch: serde_json::Map<String, serde_json::Value> = set
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .chain(remove.iter().filter(|k| current.contains_key(*k)).map(|k| (k.clone(), serde_json::Value::Null)))
                .collect();
            let body = serde_json::json!({"metadata": {what: serde_json::Value::Object(patch)}});
            // A server dry run: the server admits the change (and may warn) and keeps
            // nothing; here, on a copy of the world.
            let result = if dry {
                let mut scratch = world.clone();
                let result = scratch.merge_patch(&r, &body);
                for w in scratch.take_warnings() {
                    let _ = writeln!(warnings, "Warning: {w}");
                }
                result
            } else {
                world.merge_patch(&r, &body)
            };
            if let Err(e) = result {
                errs.push_str(&api_error_text(&e));
                continue;
            }
        }
        // annotate reuses one YAML printer, which separates documents; label makes one
        // printer per object.
        if !label && printed > 0 && args.value("output") == Some("yaml") {
            out.push_str("---\n");
        }
        match crate::local::printed(args, kind, &value, message) {
            Ok(text) => out.push_str(&text),
            Err(e) => return Output::err(e),
        }
        printed += 1;
    }
    Output { warnings, stdout: out, exit_code: i32::from(!errs.is_empty()), stderr: errs, ..Output::default() }
}

/// The object a manifest names: its namespace, or the command's for a namespaced kind
/// without one, none for a cluster-scoped kind.
pub(crate) fn manifest_ref(args: &Args, kind: Kind, value: &serde_json::Value) -> ObjRef {
    let (name, ns) = decode::manifest_name(value);
    let ns = match kind.info().namespaced {
        true if ns.is_empty() => namespace(args),
        true => ns,
        false => String::new(),
    };
    ObjRef::new(kind, &ns, &name)
}
