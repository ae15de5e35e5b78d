//! `kubectl set image|env|resources|selector`: on live objects (by name or by `-f`), or
//! with `--local` on the `-f` manifests themselves, printed as `-o` asks.

use crate::args::Args;
use crate::exec::{api_error_text, namespace};
use crate::local::{printed, subjects, Subject};
use crate::{Env, Output};
use kubeplay_sim::errors::ApiError;
use kubeplay_sim::{Kind, World};
use std::fmt::Write as _;

/// `kubectl set SUB ...`.
pub fn set(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    if let Err(e) = crate::local::check_output(args) {
        return Output::err(e);
    }
    match args.positional.first().map(String::as_str) {
        Some("image") => set_image(world, args, env),
        Some("env") => set_env(world, args, env),
        Some("resources") => set_resources(world, args, env),
        Some("selector") => set_selector(world, args, env),
        _ => Output::err(
            "error: kubeplay supports `kubectl set image`, `set env`, `set resources` and `set selector` (other set subcommands are not simulated yet)\n"
                .into(),
        ),
    }
}

/// The objects `kubectl set SUB ...` changes, and its change words: those that contain `=`
/// (or end in `-`, for `set env KEY-`); for `set selector`, the last word. A named object
/// that does not exist is reported in the third value.
fn set_subjects(world: &World, args: &Args, env: &Env<'_>) -> Result<(Vec<Subject>, Vec<String>, String), String> {
    let mut rest: Vec<String> = args.positional[1..].to_vec();
    let (pairs, names) = if args.positional[0] == "selector" {
        let last = rest.pop().map(|l| vec![l]).unwrap_or_default();
        (last, rest)
    } else {
        // `KEY=VALUE` and `KEY-` are changes; anything else names the object.
        let is_change = |w: &String| w.contains('=') || (w.ends_with('-') && !w.contains('/'));
        rest.into_iter().partition(is_change)
    };
    let (found, missing) = subjects(world, args, env, &names, "set")?;
    Ok((found, pairs, missing))
}

/// How kubectl's set commands treat their objects.
struct Rules {
    /// What the printer says of a changed object (`image updated`).
    message: &'static str,
    /// image, env and resources skip an object the change leaves as it was (an empty
    /// patch), in every mode; selector prints it all the same.
    skip_unchanged: bool,
    /// selector's visitor stops at the first error; the others report it and go on.
    stop_on_error: bool,
    /// What image, env and resources say before the API server's refusal of their patch
    /// (`failed to patch image update to pod template: `); selector prints the API error.
    patch_failed: Option<&'static str>,
}

/// The rules of image, env and resources, which compute a patch per object.
fn patching(message: &'static str, patch_failed: &'static str) -> Rules {
    Rules { message, skip_unchanged: true, stop_on_error: false, patch_failed: Some(patch_failed) }
}

/// Applies `change` to each object, then writes the live ones back (unless `--local` or a
/// dry run) and prints each as kubectl does (`KIND/NAME MESSAGE`, or `-o`, YAML documents
/// separated as one reused printer separates them).
fn each(
    world: &mut World,
    args: &Args,
    (items, missing): (Vec<Subject>, String),
    rules: Rules,
    change: &dyn Fn(&World, Kind, &mut serde_json::Value) -> Result<(), String>,
) -> Output {
    let dry = crate::local::no_write(args);
    let mut out = Output { stderr: missing, ..Output::default() };
    let mut refused: Vec<String> = Vec::new();
    let mut shown = 0;
    for item in items {
        let kind = item.kind();
        let before = item.value();
        let mut v = before.clone();
        if let Err(e) = change(world, kind, &mut v) {
            out.stderr.push_str(&e);
            if rules.stop_on_error {
                break;
            }
            continue;
        }
        if rules.skip_unchanged && v == before {
            continue;
        }
        if !item.is_local() && !dry {
            if let Err(e) = write_back(world, &v) {
                match rules.patch_failed {
                    Some(prefix) => refused.push(format!("{prefix}{}", e.message)),
                    None => out.stderr.push_str(&api_error_text(&e)),
                }
                continue;
            }
            if rules.message == "image updated" {
                out.notes.extend(crate::create::image_notes(&v));
            }
        }
        if shown > 0 && args.value("output") == Some("yaml") {
            out.stdout.push_str("---\n");
        }
        match printed(args, kind, &v, rules.message) {
            Ok(text) => out.stdout.push_str(&text),
            Err(e) => out.stderr.push_str(&e),
        }
        shown += 1;
    }
    // kubectl's aggregate of errors: one is printed as `error: ...`, several one per line.
    match refused.as_slice() {
        [one] if out.stderr.is_empty() => out.stderr = format!("error: {one}\n"),
        all => {
            for e in all {
                let _ = writeln!(out.stderr, "{e}");
            }
        }
    }
    if !out.stderr.is_empty() {
        out.exit_code = 1;
    }
    out
}

/// `kubectl set selector (-f FILE | TYPE NAME) EXPRESSIONS`: a Service's `spec.selector`
/// becomes exactly the given labels (kubectl sets selectors on Services only).
fn set_selector(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    let expr = match args.positional.get(1..).and_then(<[String]>::last) {
        Some(e) if args.positional.len() > 1 => e.clone(),
        _ => return Output::err("error: one selector is required\n".into()),
    };
    let selector = match kubeplay_sim::selectors::Selector::parse(&expr) {
        Ok(s) => s,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    // metav1.ParseToLabelSelector: equalities become matchLabels, the rest matchExpressions,
    // which a Service's selector cannot hold (printed as Go prints the requirement structs).
    let mut labels = std::collections::BTreeMap::new();
    let mut expressions = Vec::new();
    for req in selector.0 {
        use kubeplay_sim::selectors::Requirement as R;
        let (key, op, values) = match req {
            R::Equals(k, v) => {
                labels.insert(k, v);
                continue;
            }
            R::NotEquals(k, v) => (k, "NotIn", vec![v]),
            R::In(k, vs) => (k, "In", vs),
            R::NotIn(k, vs) => (k, "NotIn", vs),
            R::Exists(k) => (k, "Exists", vec![]),
            R::DoesNotExist(k) => (k, "DoesNotExist", vec![]),
        };
        expressions.push(format!("{{{key} {op} [{}]}}", values.join(" ")));
    }
    let targets = match set_subjects(world, args, env) {
        Ok((items, _, missing)) => (items, missing),
        Err(e) => return Output::err(e),
    };
    let rules = Rules { message: "selector updated", skip_unchanged: false, stop_on_error: true, patch_failed: None };
    each(world, args, targets, rules, &|_, kind, v| {
        if kind != Kind::Service {
            return Err("error: setting a selector is only supported for Services\n".into());
        }
        if !expressions.is_empty() {
            return Err(format!("error: match expression [{}] not supported on this object\n", expressions.join(" ")));
        }
        v["spec"]["selector"] = serde_json::to_value(&labels).unwrap_or_default();
        Ok(())
    })
}

/// `kubectl set resources TYPE/NAME [-c CONTAINER] --limits=cpu=200m,memory=512Mi
/// --requests=...`: every container (or the one named) gets those values.
fn set_resources(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    let parse = |flag: &str| -> Result<serde_json::Map<String, serde_json::Value>, String> {
        let mut m = serde_json::Map::new();
        for pair in args.value(flag).unwrap_or("").split(',').filter(|p| !p.is_empty()) {
            let (k, v) =
                pair.split_once('=').ok_or_else(|| format!("error: invalid argument {pair:?}; expected name=quantity\n"))?;
            if kubeplay_sim::quantity::parse(v).is_none() {
                return Err(
                    "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n".into(),
                );
            }
            m.insert(k.to_string(), serde_json::Value::String(v.to_string()));
        }
        Ok(m)
    };
    let (limits, requests) = match (parse("limits"), parse("requests")) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return Output::err(e),
    };
    if limits.is_empty() && requests.is_empty() {
        return Output::err(
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n".into(),
        );
    }
    let only = args.value("container");
    let targets = match set_subjects(world, args, env) {
        Ok((items, _, missing)) => (items, missing),
        Err(e) => return Output::err(e),
    };
    each(
        world,
        args,
        targets,
        patching("resource requirements updated", "failed to patch resources update to pod template "),
        &|_, kind, v| {
            let spec = pod_spec_mut(kind, v)?;
            let mut found = false;
            if let Some(cs) = spec.get_mut("containers").and_then(|c| c.as_array_mut()) {
                for c in cs {
                    if only.is_some_and(|n| c["name"] != n) {
                        continue;
                    }
                    found = true;
                    for (key, vals) in [("limits", &limits), ("requests", &requests)] {
                        for (k, q) in vals {
                            c["resources"][key][k] = q.clone();
                        }
                    }
                }
            }
            if !found {
                return Err(format!("error: unable to find container named {}\n", only.unwrap_or("")));
            }
            Ok(())
        },
    )
}

/// The pod spec inside an object's JSON (the object itself for a Pod).
/// kubectl's error for another kind (polymorphichelpers' UpdatePodSpecForObject, prefixed
/// with the object's name as set's patch errors are).
fn pod_spec_mut(kind: Kind, v: &mut serde_json::Value) -> Result<&mut serde_json::Value, String> {
    match kind {
        Kind::Pod => Ok(&mut v["spec"]),
        Kind::CronJob => Ok(&mut v["spec"]["jobTemplate"]["spec"]["template"]["spec"]),
        Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::StatefulSet | Kind::DaemonSet | Kind::Job => {
            Ok(&mut v["spec"]["template"]["spec"])
        }
        _ => {
            let name = v.pointer("/metadata/name").and_then(serde_json::Value::as_str).unwrap_or_default();
            Err(format!(
                "error: {}/{name} the object is not a pod or does not have a pod template: *{}.{}\n",
                kind.info().plural,
                kind.info().api_version().rsplit('/').next().unwrap_or("v1"),
                kind.info().kind
            ))
        }
    }
}

/// Writes an edited object back (an unchanged spec leaves the generation as it was, so no
/// rollout starts; kubectl still reports the object as updated).
fn write_back(world: &mut World, v: &serde_json::Value) -> Result<(), ApiError> {
    let mut next = kubeplay_sim::api::decode_for_server(v)?;
    next.meta_mut().resource_version = None;
    world.update(next).map(|_| ())
}

/// `kubectl set image TYPE/NAME CONTAINER=IMAGE ...` (`*` for every container).
fn set_image(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    let (items, pairs, missing) = match set_subjects(world, args, env) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    each(
        world,
        args,
        (items, missing),
        patching("image updated", "failed to patch image update to pod template: "),
        &|_, kind, v| {
            let spec = pod_spec_mut(kind, v)?;
            for pair in &pairs {
                let (cname, image) = pair.split_once('=').unwrap_or((pair, ""));
                let mut found = false;
                for list in ["initContainers", "containers"] {
                    if let Some(cs) = spec.get_mut(list).and_then(|c| c.as_array_mut()) {
                        for c in cs {
                            if cname == "*" || c["name"] == cname {
                                c["image"] = serde_json::Value::String(image.to_string());
                                found = true;
                            }
                        }
                    }
                }
                if !found {
                    return Err(format!("error: unable to find container named {cname:?}\n"));
                }
            }
            Ok(())
        },
    )
}

/// `kubectl set env TYPE/NAME KEY=VALUE ... KEY- [-c CONTAINER] [--list]`.
fn set_env(world: &mut World, args: &Args, env: &Env<'_>) -> Output {
    let (items, pairs, missing) = match set_subjects(world, args, env) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    // `--from=secret/NAME|configmap/NAME [--prefix=P]`: one variable per key, read from the
    // object (valueFrom), named as kubectl names them (upper case, `_` for other characters).
    let mut from_vars: Vec<serde_json::Value> = Vec::new();
    if let Some(from) = args.value("from") {
        let ns = namespace(args);
        let (kind, name) = match from.split_once('/') {
            Some((k, n)) => (crate::exec::resolve_kind(k), n.to_string()),
            None => return Output::err(format!("error: --from must be TYPE/NAME, not {from:?}\n")),
        };
        let prefix = args.value("prefix").unwrap_or("");
        let env_name = |key: &str| {
            let cleaned: String = key.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '_' { ch } else { '_' }).collect();
            format!("{prefix}{}", cleaned.to_uppercase())
        };
        match kind {
            Ok(Kind::Secret) => {
                match world.store().get(Kind::Secret, &ns, &name) {
                    Some(kubeplay_sim::Object::Secret(sec)) => {
                        for key in sec.data.clone().unwrap_or_default().keys() {
                            from_vars.push(serde_json::json!({"name": env_name(key), "valueFrom": {"secretKeyRef": {"name": name, "key": key}}}));
                        }
                    }
                    _ => return Output::err(format!("Error from server (NotFound): secrets \"{name}\" not found\n")),
                }
            }
            Ok(Kind::ConfigMap) => match world.store().get(Kind::ConfigMap, &ns, &name) {
                Some(kubeplay_sim::Object::ConfigMap(cm)) => {
                    for key in cm.data.clone().unwrap_or_default().keys() {
                        from_vars.push(serde_json::json!({"name": env_name(key), "valueFrom": {"configMapKeyRef": {"name": name, "key": key}}}));
                    }
                }
                _ => return Output::err(format!("Error from server (NotFound): configmaps \"{name}\" not found\n")),
            },
            Ok(_) => return Output::err("error: --from must name a secret or a configmap\n".into()),
            Err(e) => return Output::err(e),
        }
    }
    let only = args.value("container").map(str::to_string);
    let selected = |c: &serde_json::Value| only.as_deref().is_none_or(|n| n == "*" || c["name"] == n);
    if args.flag("list") {
        let mut out = String::new();
        for item in &items {
            let mut v = item.value();
            let containers = match pod_spec_mut(item.kind(), &mut v) {
                Ok(spec) => spec["containers"].as_array().cloned().unwrap_or_default(),
                Err(e) => return Output::err(e),
            };
            list_env(&mut out, item, containers.iter().filter(|c| selected(c)));
        }
        return Output { stdout: out, exit_code: i32::from(!missing.is_empty()), stderr: missing, ..Output::default() };
    }
    if pairs.is_empty() && from_vars.is_empty() {
        return Output::err("error: at least one environment variable must be provided\n".into());
    }
    each(world, args, (items, missing), patching("env updated", "failed to patch env update to pod template: "), &|_, kind, v| {
        let spec = pod_spec_mut(kind, v)?;
        let Some(containers) = spec.get_mut("containers").and_then(|c| c.as_array_mut()) else {
            return Err("error: the object has no containers\n".into());
        };
        if !containers.iter().any(selected) {
            return Err(format!("error: unable to find container named {:?}\n", only.clone().unwrap_or_default()));
        }
        for c in containers.iter_mut().filter(|c| selected(c)) {
            let mut vars: Vec<serde_json::Value> = c.get("env").and_then(|e| e.as_array()).cloned().unwrap_or_default();
            for var in &from_vars {
                match vars.iter_mut().find(|e| e["name"] == var["name"]) {
                    Some(e) => *e = var.clone(),
                    None => vars.push(var.clone()),
                }
            }
            for pair in &pairs {
                match pair.split_once('=') {
                    Some((k, val)) => match vars.iter_mut().find(|e| e["name"] == k) {
                        Some(e) => *e = serde_json::json!({"name": k, "value": val}),
                        None => vars.push(serde_json::json!({"name": k, "value": val})),
                    },
                    None => {
                        let k = pair.trim_end_matches('-');
                        vars.retain(|e| e["name"] != k);
                    }
                }
            }
            c["env"] = if vars.is_empty() { serde_json::Value::Null } else { serde_json::Value::Array(vars) };
        }
        Ok(())
    })
}

/// `set env --list`: each container's variables, those from a source as kubectl words them.
fn list_env<'a>(out: &mut String, item: &Subject, containers: impl Iterator<Item = &'a serde_json::Value>) {
    let kind_word = item.kind().info().singular;
    {
        for c in containers {
            let _ = writeln!(out, "# {kind_word} {}, container {}", item.name(), c["name"].as_str().unwrap_or(""));
            for e in c.get("env").and_then(|e| e.as_array()).into_iter().flatten() {
                let name = e["name"].as_str().unwrap_or("");
                match e.get("value").and_then(|x| x.as_str()) {
                    Some(val) => {
                        let _ = writeln!(out, "{name}={val}");
                    }
                    None if e.get("valueFrom").is_some() => {
                        // kubectl's wording per source.
                        let vf = &e["valueFrom"];
                        let text = if let Some(r) = vf.get("secretKeyRef") {
                            format!("secret {}, key {}", r["name"].as_str().unwrap_or(""), r["key"].as_str().unwrap_or(""))
                        } else if let Some(r) = vf.get("configMapKeyRef") {
                            format!("configmap {}, key {}", r["name"].as_str().unwrap_or(""), r["key"].as_str().unwrap_or(""))
                        } else if let Some(r) = vf.get("fieldRef") {
                            format!("field path {}", r["fieldPath"].as_str().unwrap_or(""))
                        } else if let Some(r) = vf.get("resourceFieldRef") {
                            format!("resource field {}", r["resource"].as_str().unwrap_or(""))
                        } else {
                            vf.to_string()
                        };
                        let _ = writeln!(out, "# {name} from {text}");
                    }
                    None => {
                        let _ = writeln!(out, "{name}=");
                    }
                }
            }
        }
    }
}
