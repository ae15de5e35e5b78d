//! `kubectl create <resource>` generators and `kubectl run`: the objects kubectl builds
//! from flags, field for field as kubectl's generators build them.

use crate::args::Args;
use crate::exec::{api_error_text, namespace, qualified_name};
use crate::Output;
use kubeplay_sim::errors::ApiError;
use kubeplay_sim::{Kind, ObjRef, Object, World};
use serde_json::{json, Value};

fn create_value(world: &mut World, kind: Kind, v: Value) -> Output {
    create_value_with(world, kind, v, &DRY)
}

/// How `--dry-run` and `-o` ask a generator's object to be shown instead of created.
pub struct Show {
    pub dry_run: Option<String>,
    pub output: Option<String>,
    /// Whether `-n` was given (a client-side dry run only shows a namespace then).
    pub namespace_given: bool,
    /// `kubectl create <generator>`: API errors come wrapped as that generator words them
    /// (`error: failed to create configmap: ...`).
    pub generator: bool,
    /// The Go template to print with (`-o go-template=T`, `--template T`).
    pub go_template: Option<String>,
    /// `--allow-missing-template-keys` (default true).
    pub allow_missing_keys: bool,
}

const DRY: Show =
    Show { dry_run: None, output: None, namespace_given: false, generator: false, go_template: None, allow_missing_keys: true };

impl Show {
    /// What the command's flags ask for.
    pub fn from_args(args: &Args, generator: bool) -> Show {
        Show {
            dry_run: args.value("dry-run").map(String::from),
            output: args.value("output").map(String::from),
            namespace_given: args.value("namespace").is_some(),
            generator,
            go_template: crate::local::go_template_of(args).map(String::from),
            allow_missing_keys: args.flag_or("allow-missing-template-keys", true),
        }
    }

    /// The object as `-o` asks for it, else `KIND/NAME VERB`.
    pub fn print(&self, kind: Kind, value: &Value, verb: &str) -> Output {
        let name = value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        if let Some(tpl) = &self.go_template {
            return crate::gotemplate::printed(tpl, value, self.allow_missing_keys);
        }
        match self.output.as_deref() {
            Some("yaml") => Output::ok(crate::yaml::to_yaml(value)),
            Some("kyaml") => Output::ok(crate::yaml::to_kyaml(value)),
            Some("json") => Output::ok(format!("{}\n", crate::to_json(value))),
            Some("name") => Output::ok(format!("{}\n", qualified_name(kind, name))),
            Some(o) if o.starts_with("jsonpath=") => match crate::jsonpath::render(&o["jsonpath=".len()..], value) {
                Ok(s) => Output::ok(s),
                Err(e) => Output::err(format!("error: error parsing jsonpath {}, {e}\n", &o["jsonpath=".len()..])),
            },
            _ => Output::ok(format!("{} {verb}\n", qualified_name(kind, name))),
        }
    }
}

/// Creates a generated object, or with `--dry-run=client` prints it (`-o yaml|json|name`).
pub fn create_value_with(world: &mut World, kind: Kind, v: Value, show: &Show) -> Output {
    // kubectl builds its printer first: a template that does not parse creates nothing.
    if let Some(tpl) = &show.go_template {
        if let Err(crate::gotemplate::Failure::Parse(e)) = crate::gotemplate::check(tpl) {
            return Output::err(format!("error: error parsing template {tpl}, {e}\n"));
        }
    }
    if let Some(mode) = show.dry_run.as_deref().filter(|m| *m != "none") {
        if mode != "server" {
            return dry_run_printed(kind, &v, show);
        }
        return match server_dry_create(world, &v) {
            // The server's answer: the object as it would have been stored.
            Ok((warnings, created)) => Output { warnings, ..show.print(kind, &created, "created (server dry run)") },
            Err(e) => create_error(kind, &v, show, &e),
        };
    }
    match kubeplay_sim::api::decode_for_server(&v).and_then(|o| world.create(o)) {
        // `-o yaml` and kin print the object the server created.
        Ok(o) => Output { notes: image_notes(&v), ..show.print(kind, &kubeplay_sim::api::sort_keys(&o.to_value()), "created") },
        Err(e) => create_error(kind, &v, show, &e),
    }
}

/// A refused create, in the words of the command that sent it.
fn create_error(kind: Kind, v: &Value, show: &Show, e: &ApiError) -> Output {
    match generator_prefix(kind, v).filter(|_| show.generator) {
        // kubectl's generators wrap the server's error in their own words.
        // `fmt.Errorf("...: %v", err)`: the server's message as it is, with the
        // group-qualified kind of an Invalid error.
        Some(prefix) => Output::err(format!("error: {prefix}{e}\n")),
        None => Output::err(api_error_text(e)),
    }
}

/// A create with `--dry-run=server`: the API server validates and admits it (and may warn)
/// but keeps nothing; here, on a copy of the world. Answers the warnings, as kubectl prints them.
pub fn server_dry_create(world: &World, v: &Value) -> Result<(String, Value), ApiError> {
    let obj = kubeplay_sim::api::decode_for_server(v)?;
    let mut scratch = world.clone();
    scratch.take_warnings();
    let created = scratch.create(obj)?;
    let warnings = scratch.take_warnings().iter().map(|w| format!("Warning: {w}\n")).collect();
    let mut value = created.to_value();
    // Nothing was stored, so nothing has a resourceVersion (DryRunnableStorage copies the
    // object out before etcd would version it).
    if let Some(m) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        m.shift_remove("resourceVersion");
    }
    Ok((warnings, kubeplay_sim::api::sort_keys(&value)))
}

/// What a dry run prints of the object to create (the server's dry run is admitted first).
pub fn dry_run_printed(kind: Kind, v: &Value, show: &Show) -> Output {
    let mode = show.dry_run.as_deref().unwrap_or("client");
    let obj = match kubeplay_sim::api::decode_for_server(v) {
        Ok(o) => o,
        Err(e) => return Output::err(api_error_text(&e)),
    };
    let mut value = obj.to_value();
    // A client-side dry run shows the object as sent: no server fields. Since 1.33 a
    // zero creationTimestamp is omitted (kubernetes#130989); a kind whose Go type has a
    // status struct still prints `status: {}`.
    if let Some(m) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        if !show.namespace_given {
            m.shift_remove("namespace");
        }
    }
    let mut value = kubeplay_sim::api::sort_keys(&value);
    if let Some(m) = value.as_object_mut() {
        empty_status(kind, m);
    }
    show.print(kind, &value, if mode == "server" { "created (server dry run)" } else { "created (dry run)" })
}

/// kubeplay's notes for the images of an object's containers (any pod spec in it) that
/// the image catalog cannot supply, each once, in order (`images::catalog_note`).
pub(crate) fn image_notes(v: &Value) -> Vec<String> {
    fn walk(v: &Value, images: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if matches!(k.as_str(), "containers" | "initContainers" | "ephemeralContainers") {
                        for c in x.as_array().into_iter().flatten() {
                            if let Some(i) = c.get("image").and_then(Value::as_str) {
                                if !images.iter().any(|s| s == i) {
                                    images.push(i.to_string());
                                }
                            }
                        }
                    } else {
                        walk(x, images);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, images)),
            _ => {}
        }
    }
    let mut images = Vec::new();
    walk(v, &mut images);
    images.iter().filter_map(|i| kubeplay_sim::images::catalog_note(i)).collect()
}

/// How `kubectl create <generator>` words a failed create (`create_configmap.go` and kin).
fn generator_prefix(kind: Kind, v: &Value) -> Option<String> {
    Some(match kind {
        Kind::ConfigMap => "failed to create configmap: ".into(),
        Kind::Secret => "failed to create secret ".into(),
        Kind::Deployment => "failed to create deployment: ".into(),
        Kind::Job => "failed to create job: ".into(),
        Kind::CronJob => "failed to create cronjob: ".into(),
        Kind::Ingress => "failed to create ingress: ".into(),
        Kind::ResourceQuota => "failed to create quota: ".into(),
        Kind::PriorityClass => "failed to create priorityclass: ".into(),
        Kind::Service => {
            format!("failed to create {} service: ", v.pointer("/spec/type").and_then(Value::as_str).unwrap_or("ClusterIP"))
        }
        _ => return None,
    })
}

/// The data of `kubectl create configmap|secret` from `--from-file`, `--from-literal` and
/// `--from-env-file`, in kubectl's order, with its errors.
fn data_sources(args: &Args, files: &dyn crate::Files, owner: &str, name: &str) -> Result<Vec<(String, String)>, String> {
    let mut data: Vec<(String, String)> = Vec::new();
    let env_files = args.all("from-env-file");
    if !env_files.is_empty() && (!args.all("from-file").is_empty() || !args.all("from-literal").is_empty()) {
        return Err("error: from-env-file cannot be combined with from-file or from-literal\n".into());
    }
    let add = |data: &mut Vec<(String, String)>, key: &str, value: String| -> Result<(), String> {
        let bad = kubeplay_sim::names::config_map_key(key);
        if !bad.is_empty() {
            return Err(format!("error: {key:?} is not a valid key name for a {owner}: {}\n", bad.join(",")));
        }
        if data.iter().any(|(k, _)| k == key) {
            return Err(format!(
                "error: cannot add key {key:?}, another key by that name already exists in Data for {owner} {name:?}\n"
            ));
        }
        data.push((key.to_string(), value));
        Ok(())
    };
    for src in args.all("from-file") {
        let (key, path) = match src.split_once('=') {
            Some((k, p)) => (Some(k.to_string()), p.to_string()),
            None => (None, src.clone()),
        };
        let base = |p: &str| p.trim_end_matches('/').rsplit('/').next().unwrap_or(p).to_string();
        match (files.read(&path), files.list(&path)) {
            (Ok(text), _) => add(&mut data, &key.unwrap_or_else(|| base(&path)), text)?,
            (Err(_), Some(entries)) => {
                if key.is_some() {
                    return Err("error: cannot give a key name for a directory path\n".into());
                }
                for e in entries {
                    let item = format!("{}/{e}", path.trim_end_matches('/'));
                    if let Ok(text) = files.read(&item) {
                        add(&mut data, &e, text)?;
                    }
                }
            }
            (Err(_), None) => return Err(format!("error: error reading {path}: no such file or directory\n")),
        }
    }
    for lit in args.all("from-literal") {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(format!("error: invalid literal source {lit}, expected key=value\n"));
        };
        add(&mut data, k, v.to_string())?;
    }
    for path in env_files {
        let text = match files.read(path) {
            Ok(t) => t,
            Err(_) if files.list(path).is_some() => return Err("error: env config file cannot be a directory\n".into()),
            Err(_) => return Err(format!("error: error reading {path}: no such file or directory\n")),
        };
        for line in text.trim_start_matches('\u{feff}').lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            let bad = kubeplay_sim::names::env_var_name(key);
            if !bad.is_empty() {
                return Err(format!("error: {key:?} is not a valid key name: {}\n", bad.join(";")));
            }
            // Later files override earlier keys, as kubectl merges them.
            data.retain(|(k, _)| k != key);
            add(&mut data, key, value.to_string())?;
        }
    }
    Ok(data)
}

/// The container name kubectl derives from an image: its last path element, without tag
/// or digest.
pub fn container_name_for_image(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last).to_string()
}

/// The verbs `kubectl create role` accepts for resources.
const RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// A value list flag as kubectl reads it: repeated, or comma-separated.
fn list_flag(args: &Args, flag: &str) -> Vec<String> {
    args.all(flag).iter().flat_map(|v| v.split(',')).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The rules of `kubectl create role|clusterrole`: one rule per API group (in group order)
/// holding that group's resources (short names resolved to plurals), with the verbs and
/// resource names given; a ClusterRole may also allow non-resource URLs.
fn role_rules(args: &Args, cluster: bool) -> Result<Vec<Value>, String> {
    let verbs = list_flag(args, "verb");
    let resources = list_flag(args, "resource");
    let names = list_flag(args, "resource-name");
    let urls = if cluster { list_flag(args, "non-resource-url") } else { vec![] };
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified\n".into());
    }
    if resources.is_empty() && urls.is_empty() {
        return Err(if cluster {
            "error: one of resource or nonResourceURL must be specified\n".into()
        } else {
            "error: at least one resource must be specified\n".into()
        });
    }
    if !resources.is_empty() {
        if let Some(v) = verbs.iter().find(|v| !RESOURCE_VERBS.contains(&v.as_str())) {
            return Err(format!("error: invalid verb: '{v}'\n"));
        }
    }
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for r in &resources {
        let (base, sub) = match r.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (r.as_str(), None),
        };
        let (group, plural) = if base == "*" {
            (String::new(), "*".to_string())
        } else {
            let Some(kind) = Kind::from_resource_name(base) else {
                return Err(format!("error: the server doesn't have a resource type {base:?}\n"));
            };
            (kind.info().group.to_string(), kind.info().plural.to_string())
        };
        let full = match sub {
            Some(s) => format!("{plural}/{s}"),
            None => plural,
        };
        let list = groups.entry(group).or_default();
        if !list.contains(&full) {
            list.push(full);
        }
    }
    let mut rules: Vec<Value> = groups
        .into_iter()
        .map(|(g, res)| {
            let mut rule = json!({"apiGroups": [g], "resources": res, "verbs": verbs});
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect();
    if !urls.is_empty() {
        rules.push(json!({"nonResourceURLs": urls, "verbs": verbs}));
    }
    Ok(rules)
}

/// `kubectl create poddisruptionbudget`'s spec, checked as kubectl's `Validate` does.
fn pdb_spec(args: &Args) -> Result<Value, String> {
    let (min, max) = (args.value("min-available").unwrap_or(""), args.value("max-unavailable").unwrap_or(""));
    let selector = args.value("selector").unwrap_or("");
    if selector.is_empty() {
        return Err("error: a selector must be specified\n".into());
    }
    if min.is_empty() && max.is_empty() {
        return Err("error: one of min-available or max-unavailable must be specified\n".into());
    }
    if !min.is_empty() && !max.is_empty() {
        return Err("error: min-available and max-unavailable cannot be both specified\n".into());
    }
    // kubectl's `^[0-9]+%?$`: a count or a percentage.
    let well_formed = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    for (flag, v) in [("min-available", min), ("max-unavailable", max)] {
        if !v.is_empty() && !well_formed(v) {
            return Err(format!("error: invalid format specified for {flag}\n"));
        }
    }
    let sel =
        label_selector_value(selector).map_err(|e| format!("error: couldn't parse the selector string {selector:?}: {e}\n"))?;
    // intstr.Parse: a number is an int, anything else a string.
    let value = |v: &str| v.parse::<i32>().map(Value::from).unwrap_or_else(|_| Value::String(v.into()));
    let mut spec = json!({"selector": sel});
    if !min.is_empty() {
        spec["minAvailable"] = value(min);
    } else {
        spec["maxUnavailable"] = value(max);
    }
    Ok(spec)
}

/// A `-l`-syntax selector as a LabelSelector (`metav1.ParseToLabelSelector`): equalities
/// become matchLabels, everything else matchExpressions.
fn label_selector_value(s: &str) -> Result<Value, String> {
    use kubeplay_sim::selectors::{Requirement, Selector};
    let mut labels = serde_json::Map::new();
    let mut exprs = Vec::new();
    for r in Selector::parse(s)?.0 {
        match r {
            Requirement::Equals(k, v) => {
                labels.insert(k, Value::String(v));
            }
            Requirement::NotEquals(k, v) => exprs.push(json!({"key": k, "operator": "NotIn", "values": [v]})),
            Requirement::In(k, vs) => exprs.push(json!({"key": k, "operator": "In", "values": vs})),
            Requirement::NotIn(k, vs) => exprs.push(json!({"key": k, "operator": "NotIn", "values": vs})),
            Requirement::Exists(k) => exprs.push(json!({"key": k, "operator": "Exists"})),
            Requirement::DoesNotExist(k) => exprs.push(json!({"key": k, "operator": "DoesNotExist"})),
        }
    }
    let mut sel = serde_json::Map::new();
    if !labels.is_empty() {
        sel.insert("matchLabels".into(), Value::Object(labels));
    }
    if !exprs.is_empty() {
        sel.insert("matchExpressions".into(), Value::Array(exprs));
    }
    Ok(Value::Object(sel))
}

/// What an object the server has just created (nothing has acted on it yet) shows of its
/// status: `status: {}` for a kind whose Go type has a status struct, and the counts Go does
/// not omit when empty.
pub(crate) fn empty_status(kind: Kind, m: &mut serde_json::Map<String, Value>) {
    let has_status = !matches!(
        kind,
        Kind::ConfigMap
            | Kind::Secret
            | Kind::ServiceAccount
            | Kind::Endpoints
            | Kind::EndpointSlice
            | Kind::Event
            | Kind::StorageClass
            | Kind::IngressClass
            | Kind::ControllerRevision
            | Kind::Role
            | Kind::ClusterRole
            | Kind::RoleBinding
            | Kind::ClusterRoleBinding
            | Kind::NetworkPolicy
            | Kind::LimitRange
            | Kind::PriorityClass
    );
    if kind == Kind::Namespace {
        m.entry("spec").or_insert(json!({}));
    }
    if kind == Kind::PodDisruptionBudget {
        // Its status's counts are not omitempty in Go.
        m.entry("status")
            .or_insert(json!({"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}));
    } else if matches!(kind, Kind::Service | Kind::Ingress) {
        // Their status holds a load-balancer struct, which Go's omitempty never omits.
        m.entry("status").or_insert(json!({"loadBalancer": {}}));
    } else if kind == Kind::HorizontalPodAutoscaler {
        m.entry("status").or_insert(json!({"currentMetrics": null, "desiredReplicas": 0}));
    } else if has_status {
        m.entry("status").or_insert(json!({}));
    }
}

/// Adds the kubeplay note for a kind the simulation stores but does not act on.
fn with_note(kind: Kind, dry_run: bool, mut out: Output) -> Output {
    if out.exit_code == 0 && !dry_run {
        if let Some(note) = kind.not_enforced() {
            out.stderr.push_str(note);
            out.stderr.push('\n');
        }
    }
    out
}

/// `kubectl create <what> ...` without `-f`.
pub fn create_subcommand(world: &mut World, args: &Args, files: &dyn crate::Files) -> Output {
    let show = Show::from_args(args, true);
    let create_value = |world: &mut World, kind: Kind, v: Value| create_value_with(world, kind, v, &show);
    let ns = namespace(args);
    let pos = &args.positional;
    let Some(what) = pos.first() else {
        return Output::err("error: must specify one of -f and -k\n".into());
    };
    let name = pos.get(1).cloned();
    let need_name = |n: &Option<String>| n.clone().ok_or_else(|| "error: exactly one NAME is required, got 0\n".to_string());
    match what.as_str() {
        "namespace" | "ns" => match need_name(&name) {
            Ok(n) => {
                create_value(world, Kind::Namespace, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}))
            }
            Err(e) => Output::err(e),
        },
        // The TokenRequest API: a token for the ServiceAccount (an hour unless --duration).
        "token" => {
            let Some(sa) = name.filter(|_| pos.len() == 2) else {
                return Output::err(format!(
                    "error: exactly one NAME is required, got {}\nSee 'kubectl create token -h' for help and examples\n",
                    pos.len() - 1
                ));
            };
            // kubectl's own checks of --duration, then the API's (after it finds the account).
            let seconds = match args.value("duration").map(|d| (d, kubeplay_sim::world::parse_go_duration(d))) {
                None => 0,
                Some((d, Err(e))) => return Output::err(format!("error: invalid argument {d:?} for \"--duration\" flag: {e}\n")),
                Some((_, Ok(ns))) if ns < 0 => {
                    return Output::err("error: --duration must be greater than or equal to 0\n".into())
                }
                Some((_, Ok(ns))) if ns % 1_000_000_000 != 0 => {
                    return Output::err("error: --duration cannot be expressed in units less than seconds\n".into())
                }
                Some((_, Ok(ns))) => ns as u64 / 1_000_000_000,
            };
            if world.store().get(Kind::ServiceAccount, &ns, &sa).is_none() {
                return Output::err(format!("error: failed to create token: serviceaccounts {sa:?} not found\n"));
            }
            let invalid = |detail: &str| {
                Output::err(format!(
                    "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: {detail}\n"
                ))
            };
            if seconds != 0 && seconds < 600 {
                return invalid("may not specify a duration less than 10 minutes");
            }
            if seconds > 1 << 32 {
                return invalid("may not specify a duration larger than 2^32 seconds");
            }
            // Unset, the API server's default: an hour.
            let seconds = if seconds == 0 { 3600 } else { seconds };
            match kubeplay_sim::tokens::request(world, &ns, &sa, seconds) {
                Ok(t) => Output::ok(format!("{t}\n")),
                Err(e) => Output::err(format!("error: failed to create token: {}\n", e.message)),
            }
        }
        "serviceaccount" | "sa" => match need_name(&name) {
            Ok(n) => create_value(
                world,
                Kind::ServiceAccount,
                json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": n, "namespace": ns}}),
            ),
            Err(e) => Output::err(e),
        },
        "deployment" | "deploy" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let images = args.all("image");
            if images.is_empty() {
                return Output::err("error: required flag(s) \"image\" not set\n".into());
            }
            let replicas: i64 = match args.value("replicas").map(str::parse).transpose() {
                Ok(r) => r.unwrap_or(1),
                Err(_) => return Output::err("error: invalid argument for \"--replicas\" flag\n".into()),
            };
            let containers: Vec<Value> = images
                .iter()
                .map(|img| {
                    // kubectl's sanitizeAndUniquify: `_` and `.` become `-`, plus a random suffix.
                    let mut name = container_name_for_image(img);
                    if name.contains(['_', '.']) {
                        name = format!("{}-{}", name.replace(['_', '.'], "-"), world.random_suffix(5));
                    }
                    let mut c = json!({"name": name, "image": img, "resources": {}});
                    if !args.rest.is_empty() {
                        c["command"] = Value::Array(args.rest.iter().map(|s| Value::String(s.clone())).collect());
                    }
                    if let Some(p) = args.value("port").and_then(|p| p.parse::<i64>().ok()) {
                        c["ports"] = json!([{"containerPort": p}]);
                    }
                    c
                })
                .collect();
            create_value(
                world,
                Kind::Deployment,
                json!({
                    "apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": n, "namespace": ns, "labels": {"app": n}},
                    "spec": {
                        "replicas": replicas,
                        "selector": {"matchLabels": {"app": n}},
                        "strategy": {},
                        "template": {"metadata": {"labels": {"app": n}}, "spec": {"containers": containers}}
                    }
                }),
            )
        }
        "configmap" | "cm" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let data = match data_sources(args, files, "ConfigMap", &n) {
                Ok(d) => d,
                Err(e) => return Output::err(e),
            };
            let data: serde_json::Map<String, Value> = data.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
            let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n, "namespace": ns}});
            // An empty map is left out (Go's omitempty), so the ConfigMap has no data at all.
            if !data.is_empty() {
                cm["data"] = Value::Object(data);
            }
            create_value(world, Kind::ConfigMap, cm)
        }
        "secret" if pos.get(1).map(String::as_str) == Some("tls") => {
            let Some(n) = pos.get(2).cloned() else {
                return Output::err("error: exactly one NAME is required, got 0\n".into());
            };
            let (Some(cert), Some(key)) = (args.value("cert"), args.value("key")) else {
                let missing: Vec<&str> = ["cert", "key"]
                    .into_iter()
                    .filter(|f| args.value(f).is_none())
                    .map(|f| if f == "cert" { "\"cert\"" } else { "\"key\"" })
                    .collect();
                return Output::err(format!("error: required flag(s) {} not set\n", missing.join(", ")));
            };
            let read = |path: &str| files.read(path).map_err(|_| format!("error: open {path}: no such file or directory\n"));
            let (cert_pem, key_pem) = match (read(cert), read(key)) {
                (Ok(c), Ok(k)) => (c, k),
                (Err(e), _) | (_, Err(e)) => return Output::err(e),
            };
            // kubectl parses the pair with Go's tls.X509KeyPair; kubeplay checks the PEM blocks.
            if !cert_pem.contains("-----BEGIN CERTIFICATE-----") {
                return Output::err("error: tls: failed to find any PEM data in certificate input\n".into());
            }
            if !key_pem.contains("PRIVATE KEY-----") {
                return Output::err("error: tls: failed to find any PEM data in key input\n".into());
            }
            create_value(
                world,
                Kind::Secret,
                json!({
                    "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                    "metadata": {"name": n, "namespace": ns},
                    "data": {
                        "tls.crt": crate::base64_encode(cert_pem.as_bytes()),
                        "tls.key": crate::base64_encode(key_pem.as_bytes())
                    }
                }),
            )
        }
        "secret" if pos.get(1).map(String::as_str) == Some("docker-registry") => {
            let Some(n) = pos.get(2).cloned() else {
                return Output::err("error: exactly one NAME is required, got 0\n".into());
            };
            let data = if args.all("from-file").is_empty() {
                let (user, password) = (args.value("docker-username").unwrap_or(""), args.value("docker-password").unwrap_or(""));
                let server = args.value("docker-server").unwrap_or("https://index.docker.io/v1/");
                if user.is_empty() || password.is_empty() || server.is_empty() {
                    return Output::err(
                        "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n"
                            .into(),
                    );
                }
                let json = docker_config_json(server, user, password, args.value("docker-email").unwrap_or(""));
                let mut m = serde_json::Map::new();
                m.insert(".dockerconfigjson".into(), Value::String(crate::base64_encode(json.as_bytes())));
                m
            } else {
                match data_sources(args, files, "Secret", &n) {
                    Ok(d) => d.into_iter().map(|(k, v)| (k, Value::String(crate::base64_encode(v.as_bytes())))).collect(),
                    Err(e) => return Output::err(e),
                }
            };
            create_value(
                world,
                Kind::Secret,
                json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "metadata": {"name": n, "namespace": ns}, "data": data}),
            )
        }
        "secret" => {
            if pos.get(1).map(String::as_str) != Some("generic") {
                return Output::err(format!(
                    "error: unknown command {:?}\nSee 'kubectl create secret -h' for help and examples\n",
                    pos[1..].join(" ")
                ));
            }
            let Some(n) = pos.get(2).cloned() else {
                return Output::err("error: exactly one NAME is required, got 0\n".into());
            };
            let data = match data_sources(args, files, "Secret", &n) {
                Ok(d) => d,
                Err(e) => return Output::err(e),
            };
            let data: serde_json::Map<String, Value> =
                data.into_iter().map(|(k, v)| (k, Value::String(crate::base64_encode(v.as_bytes())))).collect();
            let ty = args.value("type").unwrap_or("Opaque");
            let mut secret = json!({"apiVersion": "v1", "kind": "Secret", "type": ty, "metadata": {"name": n, "namespace": ns}});
            if !data.is_empty() {
                secret["data"] = Value::Object(data);
            }
            create_value(world, Kind::Secret, secret)
        }
        "role" | "clusterrole" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let cluster = what == "clusterrole";
            match role_rules(args, cluster) {
                Ok(rules) => {
                    let kind = if cluster { Kind::ClusterRole } else { Kind::Role };
                    let mut meta = json!({"name": n});
                    if !cluster {
                        meta["namespace"] = json!(ns);
                    }
                    with_note(
                        kind,
                        show.dry_run.as_deref().is_some_and(|m| m != "none"),
                        create_value(
                            world,
                            kind,
                            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind.info().kind, "metadata": meta, "rules": rules}),
                        ),
                    )
                }
                Err(e) => Output::err(e),
            }
        }
        "rolebinding" | "clusterrolebinding" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let cluster = what == "clusterrolebinding";
            let (role, clusterrole) = (args.value("role"), args.value("clusterrole"));
            let role_ref = match (role, clusterrole) {
                (None, Some(c)) => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": c}),
                (Some(r), None) if !cluster => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": r}),
                _ if cluster => return Output::err("error: clusterrole must be specified\n".into()),
                _ => return Output::err("error: exactly one of clusterrole or role must be specified\n".into()),
            };
            let mut subjects = Vec::new();
            for u in args.all("user").iter().flat_map(|v| v.split(',')) {
                subjects.push(json!({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": u}));
            }
            for g in args.all("group").iter().flat_map(|v| v.split(',')) {
                subjects.push(json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": g}));
            }
            for sa in args.all("serviceaccount").iter().flat_map(|v| v.split(',')) {
                match sa.split(':').collect::<Vec<_>>().as_slice() {
                    [sns, sname] if !sname.is_empty() => {
                        subjects.push(json!({"kind": "ServiceAccount", "namespace": sns, "name": sname}))
                    }
                    _ => return Output::err("error: serviceaccount must be <namespace>:<name>\n".into()),
                }
            }
            let kind = if cluster { Kind::ClusterRoleBinding } else { Kind::RoleBinding };
            let mut v = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind.info().kind, "metadata": {"name": n}, "roleRef": role_ref});
            if !cluster {
                v["metadata"]["namespace"] = json!(ns);
            }
            if !subjects.is_empty() {
                v["subjects"] = Value::Array(subjects);
            }
            with_note(kind, show.dry_run.as_deref().is_some_and(|m| m != "none"), create_value(world, kind, v))
        }
        "poddisruptionbudget" | "pdb" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(format!("{e}See 'kubectl create poddisruptionbudget -h' for help and examples\n")),
            };
            match pdb_spec(args) {
                Ok(spec) => create_value(
                    world,
                    Kind::PodDisruptionBudget,
                    json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": n, "namespace": ns}, "spec": spec}),
                ),
                Err(e) => Output::err(e),
            }
        }
        "priorityclass" | "pc" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let value = match args.value("value").map(str::parse::<i32>) {
                None => 0,
                Some(Ok(v)) => v,
                Some(Err(_)) => {
                    return Output::err(format!(
                        "error: invalid argument {:?} for \"--value\" flag: strconv.ParseInt: parsing {:?}: invalid syntax\n",
                        args.value("value").unwrap_or(""),
                        args.value("value").unwrap_or("")
                    ))
                }
            };
            // kubectl sends the policy always (its flag defaults to PreemptLowerPriority).
            let mut pc = json!({
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": n},
                "value": value,
                "globalDefault": args.flag("global-default"),
                "preemptionPolicy": args.value("preemption-policy").unwrap_or("PreemptLowerPriority"),
            });
            if let Some(d) = args.value("description") {
                pc["description"] = json!(d);
            }
            create_value(world, Kind::PriorityClass, pc)
        }
        "quota" | "resourcequota" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let mut hard = serde_json::Map::new();
            for pair in args.value("hard").unwrap_or("").split(',').filter(|p| !p.is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return Output::err(format!("error: invalid argument {pair:?}; expected key=value\n"));
                };
                hard.insert(k.trim().into(), Value::String(v.trim().into()));
            }
            let mut spec = json!({"hard": hard});
            let scopes: Vec<&str> =
                args.value("scopes").unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            if !scopes.is_empty() {
                spec["scopes"] = json!(scopes);
            }
            create_value(
                world,
                Kind::ResourceQuota,
                json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": n, "namespace": ns}, "spec": spec}),
            )
        }
        "service" | "svc" => {
            let ty = match pos.get(1).map(String::as_str) {
                Some("clusterip") => "ClusterIP",
                Some("nodeport") => "NodePort",
                Some("loadbalancer") => "LoadBalancer",
                Some("externalname") => "ExternalName",
                _ => {
                    return Output::err(
                        "error: kubectl create service needs one of clusterip, nodeport, loadbalancer, externalname\n".into(),
                    )
                }
            };
            let Some(n) = pos.get(2).cloned() else {
                return Output::err("error: exactly one NAME is required, got 0\n".into());
            };
            // kubectl's ServiceOptions.Validate.
            let headless = args.value("clusterip") == Some("None");
            if headless && ty != "ClusterIP" {
                return Output::err("error: ClusterIP=None can only be used with ClusterIP service type\n".into());
            }
            if !headless && args.all("tcp").is_empty() && ty != "ExternalName" {
                return Output::err("error: at least one tcp port specifier must be provided\n".into());
            }
            let mut ports = Vec::new();
            for spec in args.all("tcp") {
                let (p, t) = spec.split_once(':').unwrap_or((spec, spec));
                let Ok(p) = p.parse::<i64>() else {
                    return Output::err(format!("error: invalid port spec {spec:?}\n"));
                };
                // The target port is a number or a container port's name (`parsePorts`).
                let target = match t.parse::<i64>() {
                    Ok(n) if !(1..=65535).contains(&n) => {
                        return Output::err("error: must be between 1 and 65535, inclusive\n".into())
                    }
                    Ok(n) => json!(n),
                    Err(_) => match port_name_errors(t) {
                        errs if errs.is_empty() => json!(t),
                        errs => return Output::err(format!("error: {}\n", errs.join(","))),
                    },
                };
                // Named by the spec's parts joined with `-`: `80` for `--tcp=80`, `80-8080`.
                let name = spec.split(':').collect::<Vec<_>>().join("-");
                let mut port = json!({"name": name, "port": p, "protocol": "TCP", "targetPort": target});
                if let Some(np) = args.value("node-port").and_then(|v| v.parse::<i64>().ok()) {
                    port["nodePort"] = json!(np);
                }
                ports.push(port);
            }
            let mut spec = json!({"type": ty, "selector": {"app": n}});
            if ty == "ExternalName" {
                spec = json!({"type": ty, "externalName": args.value("external-name").unwrap_or("")});
            } else if !ports.is_empty() {
                // `ports` is omitempty: a headless Service without --tcp has none.
                spec["ports"] = Value::Array(ports);
            }
            if args.value("clusterip") == Some("None") {
                spec["clusterIP"] = json!("None");
            }
            create_value(
                world,
                Kind::Service,
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": n, "namespace": ns, "labels": {"app": n}}, "spec": spec}),
            )
        }
        "job" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            if let Some(from) = args.value("from") {
                return job_from_cronjob(world, &ns, &n, from);
            }
            let Some(image) = args.value("image") else {
                return Output::err("error: either --image or --from must be specified\n".into());
            };
            let mut c = json!({"name": n, "image": image, "resources": {}});
            let cmd: Vec<Value> = args.rest.iter().map(|s| Value::String(s.clone())).collect();
            if !cmd.is_empty() {
                c["command"] = Value::Array(cmd);
            }
            create_value(
                world,
                Kind::Job,
                json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": n, "namespace": ns},
                    "spec": {"template": {"metadata": {}, "spec": {"containers": [c], "restartPolicy": "Never"}}}}),
            )
        }
        "cronjob" | "cj" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            let Some(image) = args.value("image") else {
                return Output::err("error: required flag(s) \"image\" not set\n".into());
            };
            let Some(schedule) = args.value("schedule") else {
                return Output::err("error: required flag(s) \"schedule\" not set\n".into());
            };
            let mut c = json!({"name": n, "image": image, "resources": {}});
            let cmd: Vec<Value> = args.rest.iter().map(|s| Value::String(s.clone())).collect();
            if !cmd.is_empty() {
                c["command"] = Value::Array(cmd);
            }
            let restart = args.value("restart").unwrap_or("OnFailure");
            create_value(
                world,
                Kind::CronJob,
                json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": n, "namespace": ns},
                    "spec": {"schedule": schedule, "jobTemplate": {"metadata": {"name": n}, "spec": {"template": {"metadata": {}, "spec": {"containers": [c], "restartPolicy": restart}}}}}}),
            )
        }
        "ingress" | "ing" => {
            let n = match need_name(&name) {
                Ok(n) => n,
                Err(e) => return Output::err(e),
            };
            match ingress_value(args, &n, &ns) {
                Ok(v) => create_value(world, Kind::Ingress, v),
                Err(e) => Output::err(e),
            }
        }
        other => Output::err(format!("error: unknown resource for create: {other:?}\n")),
    }
}

/// `kubectl create job NAME --from=cronjob/CJ`: a Job from a CronJob's template, annotated
/// `cronjob.kubernetes.io/instantiate: manual`.
fn job_from_cronjob(world: &mut World, ns: &str, name: &str, from: &str) -> Output {
    let Some((kind, cj_name)) = from.split_once('/') else {
        return Output::err(format!("error: from must be of the form <resource>/<name>, got {from:?}\n"));
    };
    if Kind::from_resource_name(kind) != Some(Kind::CronJob) {
        return Output::err(format!("error: unknown object type {kind}\n"));
    }
    let Some(kubeplay_sim::Object::CronJob(cj)) = world.get(Kind::CronJob, ns, cj_name).cloned() else {
        return Output::err(api_error_text(&kubeplay_sim::ApiError::not_found(Kind::CronJob, cj_name)));
    };
    let jt = cj.spec.clone().unwrap_or_default().job_template;
    let mut ann = jt.metadata.as_ref().and_then(|m| m.annotations.clone()).unwrap_or_default();
    ann.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
    let owner = json!({"apiVersion": "batch/v1", "kind": "CronJob", "name": cj_name, "uid": cj.metadata.uid, "controller": true, "blockOwnerDeletion": true});
    let job = json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": ns, "annotations": ann, "labels": jt.metadata.as_ref().and_then(|m| m.labels.clone()), "ownerReferences": [owner]},
        "spec": jt.spec});
    create_value(world, Kind::Job, job)
}

/// `kubectl run NAME --image=IMAGE`: a bare pod labelled `run=NAME`.
pub fn run_pod(world: &mut World, args: &Args) -> Output {
    let show = Show::from_args(args, false);
    let create_value = |world: &mut World, kind: Kind, v: Value| create_value_with(world, kind, v, &show);
    // kubectl 1.24 removed run's --requests and --limits (`kubectl set resources` has them).
    if let Some(flag) = ["requests", "limits"].into_iter().find(|f| args.value(f).is_some()) {
        return Output::err(format!("error: unknown flag: --{flag}\nSee 'kubectl run --help' for usage.\n"));
    }
    let Some(name) = args.positional.first().cloned() else {
        return Output::err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n".into());
    };
    let Some(image) = args.value("image") else {
        return Output::err("error: required flag(s) \"image\" not set\n".into());
    };
    let mut labels = serde_json::Map::new();
    match args.value("labels") {
        Some(l) => {
            for pair in l.split(',') {
                if let Some((k, v)) = pair.split_once('=') {
                    labels.insert(k.into(), Value::String(v.into()));
                }
            }
        }
        None => {
            labels.insert("run".into(), Value::String(name.clone()));
        }
    }
    let mut container = json!({"name": name, "image": image, "resources": {}});
    if let Some(policy) = args.value("image-pull-policy") {
        container["imagePullPolicy"] = Value::String(policy.to_string());
    }
    if let Some(p) = args.value("port").and_then(|p| p.parse::<i64>().ok()) {
        container["ports"] = json!([{"containerPort": p}]);
    }
    let env: Vec<Value> =
        args.all("env").iter().filter_map(|e| e.split_once('=').map(|(k, v)| json!({"name": k, "value": v}))).collect();
    if !env.is_empty() {
        container["env"] = Value::Array(env);
    }
    if args.flag("privileged") {
        container["securityContext"] = json!({"privileged": true});
    }
    // run.go: -t needs -i; the container keeps stdin open for the attach (once, unless
    // --leave-stdin-open) and gets a terminal.
    if args.flag("tty") && !args.flag("stdin") {
        return Output::err(
            "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n"
                .into(),
        );
    }
    if args.flag("stdin") {
        container["stdin"] = Value::Bool(true);
        container["stdinOnce"] = Value::Bool(!args.flag("leave-stdin-open"));
    }
    if args.flag("tty") {
        container["tty"] = Value::Bool(true);
    }
    let cmd: Vec<Value> = args.positional[1..].iter().chain(args.rest.iter()).map(|s| Value::String(s.clone())).collect();
    if !cmd.is_empty() {
        let key = if args.flag("command-flag") { "command" } else { "args" };
        container[key] = Value::Array(cmd);
    }
    let restart = args.value("restart").unwrap_or("Always");
    let mut pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace(args), "labels": labels.clone()},
        "spec": {"containers": [container], "restartPolicy": restart, "dnsPolicy": "ClusterFirst"}
    });
    // `--expose`: a ClusterIP Service named after the pod, selecting its labels, on --port.
    let port = args.value("port").and_then(|p| p.parse::<i64>().ok());
    if args.flag("expose") && port.is_none() {
        return Output::err(
            "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n".into(),
        );
    }
    // run.go's checks in its order: --expose needs --port, --rm needs an attached
    // container, and attaching excludes a dry run; --overrides is applied after.
    let attached = args.flag("stdin") || args.flag("tty") || args.flag("attach");
    if args.flag("rm") && !attached {
        return Output::err(
            "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n".into(),
        );
    }
    if attached && args.value("dry-run").is_some_and(|d| d != "none") {
        return Output::err(
            "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n"
                .into(),
        );
    }
    // `--overrides` is a JSON merge patch over the generated pod (kubectl's cmdutil.Merge).
    if let Some(o) = args.value("overrides") {
        match serde_json::from_str::<Value>(o) {
            Ok(patch) if patch.is_object() => kubeplay_sim::api::json_merge_patch(&mut pod, &patch),
            _ => return Output::err(format!("error: unable to parse --overrides {o:?}: it must be a JSON object\n")),
        }
    }
    let created = create_value(world, Kind::Pod, pod);
    let created = match port.filter(|_| args.flag("expose") && created.exit_code == 0) {
        // kubectl creates the pod first and prints the Service first.
        Some(p) => {
            let service = json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": name, "namespace": namespace(args), "labels": labels.clone()},
                "spec": {"ports": [{"port": p, "protocol": "TCP", "targetPort": p}], "selector": labels}
            });
            let mut out = create_value(world, Kind::Service, service);
            out.stdout.push_str(&created.stdout);
            out
        }
        None => created,
    };
    if !attached || created.exit_code != 0 {
        return created;
    }
    run_attached(world, args, &name)
}

/// `kubectl run -i [--rm] ... -- COMMAND`: kubectl attaches to the container, so its output
/// appears instead of `pod/NAME created`; with `--rm` the pod is deleted when it ends.
/// Interactive shells (no command, or one that never ends) are not simulated: kubeplay says
/// so and points to `kubectl exec`.
fn run_attached(world: &mut World, args: &Args, name: &str) -> Output {
    let ns = namespace(args);
    let r = ObjRef::new(Kind::Pod, &ns, name);
    // podRunningAndReady: kubectl attaches once the pod runs (or gives up when it ended).
    let running = |world: &World| match world.store().get_ref(&r) {
        Some(Object::Pod(p)) => p.status.as_ref().and_then(|s| s.phase.as_deref()).is_some_and(|ph| ph != "Pending"),
        _ => true,
    };
    let finished = |world: &World| match world.store().get_ref(&r) {
        Some(Object::Pod(p)) => {
            let st = p.status.as_ref();
            matches!(st.and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
                || st.and_then(|s| s.container_statuses.as_ref()).into_iter().flatten().any(|c| {
                    c.state.as_ref().and_then(|s| s.terminated.as_ref()).is_some()
                        || c.last_state.as_ref().and_then(|s| s.terminated.as_ref()).is_some()
                })
        }
        _ => true,
    };
    // Without a command the image's own program (often a shell) reads the terminal.
    let interactive = args.positional.len() <= 1 && args.rest.is_empty();
    let shell = args.flag("stdin") && shell_container(world, &r);
    if interactive || shell {
        // handleAttachPod: wait (--pod-running-timeout, 1m) for the pod to run.
        let deadline = world.now_ms() + 60_000;
        let mut steps = 0u32;
        while !running(world) && steps < 200_000 {
            match world.next_deadline() {
                Some(t) if t <= deadline => {
                    world.step();
                    steps += 1;
                }
                _ => break,
            }
        }
    }
    if shell {
        let quiet = args.flag("quiet");
        let kind = crate::session::SessionKind::Attach { rm: args.flag("rm"), quiet, run: !args.flag("leave-stdin-open") };
        if let Some(session) = crate::net::attach_session(world, &r, name, args.flag("tty"), kind) {
            return Output {
                warnings: if quiet { String::new() } else { crate::debug::ATTACH_BANNER.to_string() },
                session: Some(Box::new(session)),
                ..Output::default()
            };
        }
    }
    let deadline = world.now_ms() + ATTACH_BOUND_MS;
    let mut steps = 0u32;
    while !interactive && !shell && !finished(world) && steps < 200_000 {
        match world.next_deadline() {
            Some(t) if t <= deadline => {
                world.step();
                steps += 1;
            }
            _ => break,
        }
    }
    let pending = matches!(world.store().get_ref(&r), Some(Object::Pod(p)) if p.status.as_ref().and_then(|s| s.phase.as_deref()).is_none_or(|ph| ph == "Pending"));
    // How the container ended, when it failed: kubectl exits with its code (run.go).
    let failure = match world.store().get_ref(&r) {
        Some(Object::Pod(p)) if p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Failed") => p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|c| c.first())
            .and_then(|c| c.state.as_ref())
            .and_then(|s| s.terminated.as_ref())
            .map(|t| (t.exit_code, t.reason.clone().unwrap_or_default(), t.message.clone().unwrap_or_default())),
        _ => None,
    };
    // What attach prints before it connects (kubectl waits for the pod to run, then
    // attaches), unless --quiet.
    let banner = if args.flag("quiet") { "" } else { crate::debug::ATTACH_BANNER };
    let mut out = if !interactive && finished(world) {
        let words = vec![name.to_string(), format!("--namespace={ns}")];
        let mut logs = match Args::parse(&words, "logs") {
            Ok(a) => crate::rollout::logs(world, &a),
            Err(e) => Output::err(format!("error: {e}\n")),
        };
        logs.warnings.insert_str(0, banner);
        logs
    } else if pending {
        // kubectl waits --pod-running-timeout (1m) for the pod to run, then gives up.
        Output::err("error: timed out waiting for the condition\n".into())
    } else {
        Output {
            warnings: banner.to_string(),
            stderr: if args.flag("rm") {
                "kubeplay: interactive terminals are not simulated; start the pod without --rm and run commands in it with `kubectl exec NAME -- COMMAND`\n".to_string()
            } else {
                format!("kubeplay: interactive terminals are not simulated; run commands with `kubectl exec {name} -- COMMAND`\n")
            },
            ..Output::default()
        }
    };
    if args.flag("rm") {
        let _ = world.delete(&r, kubeplay_sim::DeleteOptions::default());
        crate::wait_until_gone(world, std::slice::from_ref(&r));
        out.stdout.push_str(&format!("pod \"{name}\" deleted from {ns} namespace\n"));
    }
    if let Some((code, reason, message)) = failure.filter(|(code, ..)| *code != 0 && !interactive) {
        out.stderr.push_str(&format!("pod {ns}/{name} terminated ({reason})\n{message}"));
        if !out.stderr.ends_with('\n') {
            out.stderr.push('\n');
        }
        out.exit_code = code;
    }
    out
}

/// Whether the pod `kubectl run -it NAME --image=busybox [-- sh]` made runs a shell in its
/// container: with stdin open it reads the terminal's next lines (an interactive session).
fn shell_container(world: &World, r: &ObjRef) -> bool {
    let Some(Object::Pod(p)) = world.store().get_ref(r) else { return false };
    let Some(c) = p.spec.as_ref().and_then(|s| s.containers.first()) else { return false };
    let family = kubeplay_sim::images::lookup(c.image.as_deref().unwrap_or("")).map(|i| i.family).unwrap_or("");
    kubeplay_sim::kubelet::interactive_shell(
        c.command.as_deref().unwrap_or_default(),
        c.args.as_deref().unwrap_or_default(),
        family,
    )
    .is_some()
}

/// How long `kubectl run -i` waits, in virtual ms, for a container to finish before
/// treating it as an interactive session.
const ATTACH_BOUND_MS: u64 = 300_000;

/// An Ingress backend for `service:port` (a number, or a port name).
fn ingress_backend(target: &str) -> Result<Value, String> {
    let (svc, port) = target.split_once(':').filter(|(s, p)| !s.is_empty() && !p.is_empty()).ok_or_else(|| {
        format!("error: rule {target} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n")
    })?;
    let port = match port.parse::<i64>() {
        Ok(num) => json!({"number": num}),
        Err(_) => json!({"name": port}),
    };
    Ok(json!({"service": {"name": svc, "port": port}}))
}

/// The Ingress `kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]]
/// [--class=C] [--annotation=k=v] [--default-backend=svc:port]` builds. A path ending in `*`
/// is a Prefix match (without the `*`); any other path is Exact.
fn ingress_value(args: &Args, name: &str, ns: &str) -> Result<Value, String> {
    let mut rules: Vec<(String, Vec<Value>)> = Vec::new();
    let mut tls: Vec<(String, Option<String>)> = Vec::new();
    for rule in args.all("rule") {
        let (main, tls_part) = match rule.split_once(",tls") {
            Some((m, t)) => (m, Some(t.strip_prefix('=').map(str::to_string))),
            None => (rule.as_str(), None),
        };
        let (hostpath, target) = main.split_once('=').ok_or_else(|| {
            format!("error: rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n")
        })?;
        let (host, path) = match hostpath.find('/') {
            Some(i) => (&hostpath[..i], &hostpath[i..]),
            None => (hostpath, "/"),
        };
        let (path, path_type) = match path.strip_suffix('*') {
            Some(p) => (if p.is_empty() { "/" } else { p }, "Prefix"),
            None => (path, "Exact"),
        };
        let entry = json!({"backend": ingress_backend(target)?, "path": path, "pathType": path_type});
        match rules.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => rules.push((host.to_string(), vec![entry])),
        }
        if let Some(secret) = tls_part {
            tls.push((host.to_string(), secret.filter(|s| !s.is_empty())));
        }
    }
    let mut spec = serde_json::Map::new();
    if let Some(class) = args.value("class") {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if let Some(d) = args.value("default-backend") {
        spec.insert("defaultBackend".into(), ingress_backend(d)?);
    }
    if rules.is_empty() && !spec.contains_key("defaultBackend") {
        return Err("error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n".into());
    }
    if !rules.is_empty() {
        let rs: Vec<Value> = rules
            .into_iter()
            .map(|(host, paths)| {
                let mut r = json!({"http": {"paths": paths}});
                if !host.is_empty() {
                    r["host"] = json!(host);
                }
                r
            })
            .collect();
        spec.insert("rules".into(), Value::Array(rs));
    }
    if !tls.is_empty() {
        let t: Vec<Value> = tls
            .into_iter()
            .map(|(host, secret)| {
                let mut e = json!({});
                if !host.is_empty() {
                    e["hosts"] = json!([host]);
                }
                if let Some(s) = secret {
                    e["secretName"] = json!(s);
                }
                e
            })
            .collect();
        spec.insert("tls".into(), Value::Array(t));
    }
    let mut annotations = serde_json::Map::new();
    for a in args.all("annotation") {
        let (k, v) = a.split_once('=').ok_or_else(|| format!("error: invalid annotation format: {a}\n"))?;
        annotations.insert(k.into(), json!(v));
    }
    let mut meta = json!({"name": name, "namespace": ns});
    if !annotations.is_empty() {
        meta["annotations"] = Value::Object(annotations);
    }
    Ok(json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": Value::Object(spec)}))
}

/// The `.dockerconfigjson` kubectl writes for `create secret docker-registry`: Go's
/// `json.Marshal` of `{"auths": {SERVER: {username, password, email, auth}}}`, empty fields
/// omitted, `auth` the base64 of `user:password`.
fn docker_config_json(server: &str, user: &str, password: &str, email: &str) -> String {
    let mut entry = String::from("{");
    let auth = crate::base64_encode(format!("{user}:{password}").as_bytes());
    let mut first = true;
    for (k, v) in [("username", user), ("password", password), ("email", email), ("auth", auth.as_str())] {
        if v.is_empty() {
            continue;
        }
        if !first {
            entry.push(',');
        }
        first = false;
        crate::kustomize::go_json_string(k, &mut entry);
        entry.push(':');
        crate::kustomize::go_json_string(v, &mut entry);
    }
    entry.push('}');
    let mut out = String::from("{\"auths\":{");
    crate::kustomize::go_json_string(server, &mut out);
    out.push(':');
    out.push_str(&entry);
    out.push_str("}}");
    out
}

/// apimachinery's `IsValidPortName` (an IANA_SVC_NAME): its messages, in its order.
fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}
