//! Workload verbs: `rollout status|history|undo|pause|resume|restart`, `scale`,
//! `logs`, `expose`, `cordon`/`uncordon`/`drain` and `autoscale`, with
//! kubectl's output. Waiting verbs advance virtual time, as a real terminal would wait.

use crate::args::Args;
use crate::exec::{api_error_text, namespace, qualified_name, resolve_kind};
use crate::Output;
use kubeplay_sim::deployment::{is_skipped_annotation, HASH_LABEL, REVISION};
use kubeplay_sim::{ApiError, Kind, ObjRef, Object, World};
use std::fmt::Write as _;

/// `TYPE/NAME` or `TYPE NAME` from the positional words starting at `from`.
fn one_target(args: &Args, from: usize, ns: &str) -> Result<ObjRef, String> {
    let words = &args.positional[from.min(args.positional.len())..];
    let (kind, name) = match words {
        [tn] if tn.contains('/') => {
            let (t, n) = tn.split_once('/').unwrap_or((tn, ""));
            (resolve_kind(t)?, n.to_string())
        }
        [t, n, ..] => (resolve_kind(t)?, n.clone()),
        // The resource builder: a type and no name.
        [t] => {
            resolve_kind(t)?;
            return Err("error: resource(s) were provided, but no name, label selector, or --all flag specified\n".into());
        }
        [] => return Err("error: required resource not specified\n".into()),
    };
    Ok(ObjRef::new(kind, if kind.info().namespaced { ns } else { "" }, &name))
}

/// `--timeout` in ms (`default` when absent, `negative` for a negative one), or pflag's
/// error for a bad duration.
fn timeout_flag(args: &Args, default: u64, negative: u64) -> Result<u64, String> {
    match args.value("timeout") {
        None => Ok(default),
        Some(t) => match kubeplay_sim::world::parse_go_duration(t) {
            Ok(ns) if ns < 0 => Ok(negative),
            // Rounded up to whole milliseconds, so a tiny timeout is not "none".
            Ok(ns) => Ok((ns as u64).div_ceil(1_000_000)),
            Err(e) => Err(format!("error: invalid argument {t:?} for \"--timeout\" flag: {e}\n")),
        },
    }
}

fn get_deployment(world: &World, r: &ObjRef) -> Result<k8s_openapi::api::apps::v1::Deployment, String> {
    match world.store().get_ref(r) {
        Some(Object::Deployment(d)) => Ok((**d).clone()),
        _ => Err(api_error_text(&ApiError::not_found(r.kind, &r.name))),
    }
}

/// The status line kubectl's DeploymentStatusViewer prints, and whether the rollout is done.
fn deployment_status(d: &k8s_openapi::api::apps::v1::Deployment) -> Result<(String, bool), String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    if d.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let timed_out = st
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded"));
    if timed_out {
        return Err(format!("error: deployment {name:?} exceeded its progress deadline\n"));
    }
    let updated = st.updated_replicas.unwrap_or(0);
    let replicas = st.replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    if updated < want {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated...\n"
            ),
            false,
        ));
    }
    if replicas > updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
                replicas - updated
            ),
            false,
        ));
    }
    if available < updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n"
            ),
            false,
        ));
    }
    Ok((format!("deployment {name:?} successfully rolled out\n"), true))
}

/// The status line of kubectl's status viewer for a workload, and whether it is done.
fn status_line(obj: &Object) -> Result<(String, bool), String> {
    match obj {
        Object::Deployment(d) => deployment_status(d),
        Object::DaemonSet(ds) => {
            let name = ds.metadata.name.clone().unwrap_or_default();
            let spec = ds.spec.clone().unwrap_or_default();
            if spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) == Some("OnDelete") {
                return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
            }
            let st = ds.status.clone().unwrap_or_default();
            if ds.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
                return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
            }
            let (updated, desired, available) =
                (st.updated_number_scheduled.unwrap_or(0), st.desired_number_scheduled, st.number_available.unwrap_or(0));
            if updated < desired {
                return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated...\n"), false));
            }
            if available < desired {
                return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available...\n"), false));
            }
            Ok((format!("daemon set {name:?} successfully rolled out\n"), true))
        }
        Object::StatefulSet(sts) => {
            let spec = sts.spec.clone().unwrap_or_default();
            if spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) == Some("OnDelete") {
                return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
            }
            let st = sts.status.clone().unwrap_or_default();
            let observed = st.observed_generation.unwrap_or(0);
            if observed == 0 || sts.metadata.generation.unwrap_or(0) > observed {
                return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
            }
            let want = spec.replicas.unwrap_or(1);
            let ready = st.ready_replicas.unwrap_or(0);
            if ready < want {
                return Ok((format!("Waiting for {} pods to be ready...\n", want - ready), false));
            }
            // kubectl takes the partitioned branch whenever rollingUpdate is set, and the API
            // server defaults it (`partition: 0`) for the RollingUpdate strategy.
            let rolling =
                spec.update_strategy.as_ref().filter(|u| u.type_.as_deref().unwrap_or("RollingUpdate") == "RollingUpdate");
            let updated = st.updated_replicas.unwrap_or(0);
            if let Some(r) = rolling.and_then(|u| u.rolling_update.as_ref()) {
                let partition = r.partition.filter(|_| spec.replicas.is_some());
                if let Some(partition) = partition.filter(|p| updated < want - p) {
                    return Ok((
                        format!(
                            "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n",
                            want - partition
                        ),
                        false,
                    ));
                }
                return Ok((format!("partitioned roll out complete: {updated} new pods have been updated...\n"), true));
            }
            let (cur, upd) = (st.current_revision.clone().unwrap_or_default(), st.update_revision.clone().unwrap_or_default());
            if cur != upd {
                return Ok((
                    format!("waiting for statefulset rolling update to complete {updated} pods at revision {upd}...\n"),
                    false,
                ));
            }
            Ok((
                format!("statefulset rolling update complete {} pods at revision {cur}...\n", st.current_replicas.unwrap_or(0)),
                true,
            ))
        }
        _ => Err("error: no status viewer for this kind\n".into()),
    }
}

/// `kubectl rollout status`: prints the status on every change of the object, advancing
/// virtual time as kubectl's watch waits, until done.
fn rollout_status(world: &mut World, r: &ObjRef, timeout: Option<u64>) -> Output {
    let mut out = String::new();
    let mut last_rv = String::new();
    let deadline = world.now_ms() + timeout.unwrap_or(3_600_000);
    let mut steps = 0u32;
    loop {
        let Some(obj) = world.store().get_ref(r).cloned() else {
            return Output {
                stdout: out,
                stderr: api_error_text(&ApiError::not_found(r.kind, &r.name)),
                exit_code: 1,
                ..Output::default()
            };
        };
        let rv = obj.meta().resource_version.clone().unwrap_or_default();
        if rv != last_rv {
            last_rv = rv;
            match status_line(&obj) {
                Ok((line, done)) => {
                    out.push_str(&line);
                    if done {
                        return Output::ok(out);
                    }
                }
                Err(e) => return Output { stdout: out, stderr: e, exit_code: 1, ..Output::default() },
            }
        }
        match world.next_deadline() {
            Some(t) if t <= deadline && steps < 200_000 => {
                world.step();
                steps += 1;
            }
            Some(_) | None if timeout.is_some() => {
                // --timeout: the time passes, then kubectl gives up.
                let now = world.now_ms();
                if deadline > now {
                    world.run_for(deadline - now, 200_000);
                }
                return Output {
                    stdout: out,
                    stderr: "error: timed out waiting for the condition\n".into(),
                    exit_code: 1,
                    ..Output::default()
                };
            }
            _ => {
                out.push_str("kubeplay: nothing more will change; stopped waiting (kubectl would wait until interrupted)\n");
                return Output { stdout: out, exit_code: 1, ..Output::default() };
            }
        }
    }
}

/// `kubectl rollout ...`.
pub fn rollout(world: &mut World, args: &Args) -> Output {
    let Some(sub) = args.positional.first().cloned() else {
        return Output::err("error: Required subcommand: one of history, pause, restart, resume, status, undo\n".into());
    };
    let ns = namespace(args);
    // A type alone means every object of that type (ResourceTypeOrNameArgs(true, ...)):
    // `kubectl rollout restart deployment` restarts them all, one after another.
    if let [_, t] = args.positional.as_slice() {
        if !t.contains('/') && !t.contains(',') {
            let kind = match resolve_kind(t) {
                Ok(k) => k,
                Err(e) => return Output::err(e),
            };
            let names: Vec<String> = world
                .store()
                .list(kind, if kind.info().namespaced { Some(ns.as_str()) } else { None })
                .filter_map(|o| o.meta().name.clone())
                .collect();
            if names.is_empty() {
                return Output { stderr: format!("No resources found in {ns} namespace.\n"), ..Output::default() };
            }
            if sub == "status" && names.len() != 1 {
                return Output::err(format!(
                    "error: rollout status is only supported on individual resources and resource collections, but {} resources were found\n",
                    names.len()
                ));
            }
            let mut out = Output::default();
            for n in names {
                let mut a = args.clone();
                a.positional = vec![sub.clone(), t.clone(), n];
                let o = rollout(world, &a);
                out.stdout.push_str(&o.stdout);
                out.stderr.push_str(&o.stderr);
                out.exit_code = out.exit_code.max(o.exit_code);
            }
            return out;
        }
    }
    let r = match one_target(args, 1, &ns) {
        Ok(r) => r,
        Err(e) => return Output::err(e),
    };
    if sub == "status" && matches!(r.kind, Kind::DaemonSet | Kind::StatefulSet | Kind::Deployment) {
        // `--watch=false`: one status line, exit 0 whatever it says.
        if args.bools.get("watch") == Some(&false) {
            let Some(obj) = world.store().get_ref(&r).cloned() else {
                return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
            };
            return match status_line(&obj) {
                Ok((line, _)) => Output::ok(line),
                Err(e) => Output::err(e),
            };
        }
        let timeout = match timeout_flag(args, 0, 0) {
            Ok(t) => Some(t).filter(|t| *t > 0),
            Err(e) => return Output::err(e),
        };
        return rollout_status(world, &r, timeout);
    }
    if matches!(r.kind, Kind::StatefulSet | Kind::DaemonSet) && (sub == "history" || sub == "undo") {
        return revision_history(world, &r, &sub, args);
    }
    if r.kind != Kind::Deployment {
        // What kubectl's polymorphic helpers answer for kinds they do not handle, once the
        // object is found.
        if world.store().get_ref(&r).is_none() {
            return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
        }
        let i = r.kind.info();
        let gk = if i.group.is_empty() { i.kind.to_string() } else { format!("{}.{}", i.kind, i.group) };
        let unsupported =
            |what: &str| Output::err(format!("error: {} \"{}\" {what} is not supported\n", i.resource_group(), r.name));
        return match sub.as_str() {
            "status" => Output::err(format!("error: no status viewer has been implemented for {gk}\n")),
            "history" => Output::err(format!("error: no history viewer has been implemented for \"{gk}\"\n")),
            "undo" => Output::err(format!("error: no rollbacker has been implemented for \"{gk}\"\n")),
            "pause" => unsupported("pausing"),
            "resume" => unsupported("resuming"),
            "restart" if !matches!(r.kind, Kind::StatefulSet | Kind::DaemonSet) => unsupported("restarting"),
            _ => Output::err(format!(
                "error: kubeplay simulates `rollout {sub}` for deployments; for {} it is not simulated yet\n",
                i.plural
            )),
        };
    }
    let d = match get_deployment(world, &r) {
        Ok(d) => d,
        Err(e) => return Output::err(e),
    };
    let qn = qualified_name(Kind::Deployment, &r.name);
    match sub.as_str() {
        "status" => rollout_status(world, &r, None),
        "history" => history(world, &d, args),
        "undo" => undo(world, &d, args),
        "pause" | "resume" => {
            let pause = sub == "pause";
            if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) == pause {
                return Output::err(format!(
                    "error: {} {:?} is {}\n",
                    Kind::Deployment.info().resource_group(),
                    r.name,
                    if pause { "already paused" } else { "not paused" }
                ));
            }
            let patch = serde_json::json!({"spec": {"paused": if pause { serde_json::Value::Bool(true) } else { serde_json::Value::Null }}});
            match world.merge_patch(&r, &patch) {
                Ok(_) => Output::ok(format!("{qn} {}\n", if pause { "paused" } else { "resumed" })),
                Err(e) => Output::err(api_error_text(&e)),
            }
        }
        "restart" => {
            if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
                return Output::err("error: can't restart paused deployment (run rollout resume first)\n".to_string());
            }
            let at = world.now_time().0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": at}}}}});
            match world.merge_patch(&r, &patch) {
                Ok(_) => Output::ok(format!("{qn} restarted\n")),
                Err(e) => Output::err(api_error_text(&e)),
            }
        }
        other => Output::err(format!("error: unknown command {other:?} for \"kubectl rollout\"\n")),
    }
}

fn owned_replicasets(world: &World, d: &k8s_openapi::api::apps::v1::Deployment) -> Vec<k8s_openapi::api::apps::v1::ReplicaSet> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    world
        .store()
        .dependents_of(&uid)
        .filter_map(|r| match world.store().get_ref(r) {
            Some(Object::ReplicaSet(rs)) => Some((**rs).clone()),
            _ => None,
        })
        .collect()
}

fn rs_revision(rs: &k8s_openapi::api::apps::v1::ReplicaSet) -> i64 {
    rs.metadata.annotations.as_ref().and_then(|a| a.get(REVISION)).and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn history(world: &World, d: &k8s_openapi::api::apps::v1::Deployment, args: &Args) -> Output {
    let name = d.metadata.name.clone().unwrap_or_default();
    let mut rss = owned_replicasets(world, d);
    rss.sort_by_key(rs_revision);
    if let Some(rev) = args.value("revision").and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0) {
        let Some(rs) = rss.iter().find(|rs| rs_revision(rs) == rev) else {
            return Output::err("error: unable to find the specified revision\n".to_string());
        };
        // kubectl shows the ReplicaSet's template (its pod-template-hash label too), with the
        // revision's change-cause among the annotations.
        let mut t = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        if let Some(cause) = rs.metadata.annotations.as_ref().and_then(|a| a.get("kubernetes.io/change-cause")) {
            t.metadata
                .get_or_insert_with(Default::default)
                .annotations
                .get_or_insert_with(Default::default)
                .insert("kubernetes.io/change-cause".into(), cause.clone());
        }
        let mut d2 = crate::describe::Doc::default();
        crate::describe::pod_template_section(&mut d2, &t, false);
        // kubectl's printTemplate: a PrefixWriter over a plain buffer, so tabs stay raw.
        return Output::ok(format!("deployment.apps/{name} with revision #{rev}\n{}\n", d2.raw()));
    }
    let mut tw = String::from("REVISION\tCHANGE-CAUSE\n");
    for rs in &rss {
        let cause = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kubernetes.io/change-cause"))
            .cloned()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let _ = writeln!(tw, "{}\t{cause}", rs_revision(rs));
    }
    Output::ok(format!("deployment.apps/{name} \n{}\n", crate::describe::tabbed(&tw)))
}

/// `rollout history|undo` for StatefulSets and DaemonSets, from their ControllerRevisions.
fn revision_history(world: &mut World, r: &ObjRef, sub: &str, args: &Args) -> Output {
    let Some(obj) = world.store().get_ref(r).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
    };
    let uid = obj.meta().uid.clone().unwrap_or_default();
    let history = kubeplay_sim::workloads::revisions(world, &uid);
    let qname = qualified_name(r.kind, &r.name);
    let wanted =
        args.value(if sub == "undo" { "to-revision" } else { "revision" }).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    if sub == "history" {
        if wanted > 0 {
            let Some(t) = history.iter().find(|c| c.revision == wanted).and_then(kubeplay_sim::workloads::revision_template)
            else {
                return Output::err("error: unable to find the specified revision\n".to_string());
            };
            let mut d2 = crate::describe::Doc::default();
            crate::describe::pod_template_section(&mut d2, &t, false);
            return Output::ok(format!("{qname} with revision #{wanted}\n{}\n", d2.raw()));
        }
        let mut tw = String::from("REVISION\tCHANGE-CAUSE\n");
        for c in &history {
            let cause = c
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/change-cause"))
                .cloned()
                .unwrap_or_else(|| "<none>".into());
            let _ = writeln!(tw, "{}\t{cause}", c.revision);
        }
        // kubectl prints `NAME <operation>`, the operation being a newline and the table.
        return Output::ok(format!("{qname} \n{}\n", crate::describe::tabbed(&tw)));
    }
    // undo: the previous revision, or the one named.
    let target = if wanted > 0 {
        history.iter().find(|c| c.revision == wanted)
    } else if history.len() >= 2 {
        history.get(history.len() - 2)
    } else {
        // kubectl's DaemonSetRollbacker / StatefulSetRollbacker.
        return Output::err("error: no last revision to roll back to\n".into());
    };
    let Some(t) = target.and_then(kubeplay_sim::workloads::revision_template) else {
        return Output::err(format!("error: unable to find specified revision {wanted} in history\n"));
    };
    // A client dry run prints the revision's template (printPodTemplate).
    if args.value("dry-run") == Some("client") {
        let mut doc = crate::describe::Doc::default();
        crate::describe::pod_template_section(&mut doc, &t, false);
        return Output::ok(format!("{qname} will roll back to {} (dry run)\n", doc.raw()));
    }
    let current: Option<k8s_openapi::api::core::v1::PodTemplateSpec> =
        obj.to_value().pointer("/spec/template").and_then(|v| serde_json::from_value(v.clone()).ok());
    if current.as_ref() == Some(&t) {
        return Output::ok(format!("{qname} skipped rollback (current template already matches revision {wanted})\n"));
    }
    if args.value("dry-run") == Some("server") {
        return Output::ok(format!("{qname} rolled back (server dry run)\n"));
    }
    let mut v = obj.to_value();
    if let Some(spec) = v.get_mut("spec").and_then(|s| s.as_object_mut()) {
        spec.insert("template".into(), serde_json::to_value(&t).unwrap_or_default());
    }
    match kubeplay_sim::api::decode_for_server(&v).and_then(|mut o| {
        o.meta_mut().resource_version = None;
        world.update(o)
    }) {
        Ok(_) => Output::ok(format!("{qname} rolled back\n")),
        Err(e) => Output::err(api_error_text(&e)),
    }
}

fn undo(world: &mut World, d: &k8s_openapi::api::apps::v1::Deployment, args: &Args) -> Output {
    let name = d.metadata.name.clone().unwrap_or_default();
    let mut rss = owned_replicasets(world, d);
    rss.sort_by_key(rs_revision);
    let to = args.value("to-revision").and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let dry_run = args.value("dry-run").filter(|m| *m != "none");
    let target = if to == 0 {
        if rss.len() < 2 {
            return Output::err(format!("error: no rollout history found for deployment {name:?}\n"));
        }
        rss.get(rss.len() - 2).cloned()
    } else {
        rss.iter().find(|rs| rs_revision(rs) == to).cloned()
    };
    let Some(rs) = target else {
        return Output::err(format!("error: unable to find specified revision {to} in history\n"));
    };
    // kubectl's DeploymentRollbacker: a client dry run prints the revision's template
    // (described, tabs unaligned) before any other check; then the paused refusal.
    if dry_run == Some("client") {
        let mut doc = crate::describe::Doc::default();
        crate::describe::pod_template_section(
            &mut doc,
            rs.spec.as_ref().and_then(|s| s.template.as_ref()).unwrap_or(&Default::default()),
            false,
        );
        return Output::ok(format!("deployment.apps/{name} {} (dry run)\n", doc.raw()));
    }
    if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
        return Output::err(format!(
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again\n"
        ));
    }
    let mut t = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(HASH_LABEL);
    }
    let current = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    if t == current {
        return Output::ok(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {})\n",
            rs_revision(&rs)
        ));
    }
    if dry_run.is_some() {
        return Output::ok(format!("deployment.apps/{name} rolled back (server dry run)\n"));
    }
    // kubectl's DeploymentRollbacker: the Deployment keeps its skipped annotations
    // (revision, last-applied) and takes the rest from the revision's ReplicaSet, so
    // `rollout history` shows that revision's change-cause again.
    let keep = d.metadata.annotations.iter().flatten().filter(|(k, _)| is_skipped_annotation(k));
    let from_rs = rs.metadata.annotations.iter().flatten().filter(|(k, _)| !is_skipped_annotation(k));
    let annotations: std::collections::BTreeMap<String, String> =
        keep.chain(from_rs).map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut next = d.clone();
    if let Some(s) = next.spec.as_mut() {
        s.template = t;
    }
    next.metadata.annotations = (!annotations.is_empty()).then_some(annotations);
    next.metadata.resource_version = None;
    match world.update(Object::from(next)) {
        Ok(_) => Output::ok(format!("deployment.apps/{name} rolled back\n")),
        Err(e) => Output::err(api_error_text(&e)),
    }
}

/// The replicas a scalable object asks for (the API default, 1, when unset).
fn spec_replicas(obj: &Object) -> i64 {
    let r = match obj {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicaSet(rs) => rs.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicationController(rc) => rc.spec.as_ref().and_then(|s| s.replicas),
        Object::StatefulSet(s) => s.spec.as_ref().and_then(|s| s.replicas),
        _ => None,
    };
    i64::from(r.unwrap_or(1))
}

/// `kubectl scale TYPE NAME --replicas=N [--current-replicas=N] [--resource-version=V]`.
pub fn scale(world: &mut World, args: &Args) -> Output {
    let Some(n) = args.value("replicas") else {
        return Output::err("error: required flag(s) \"replicas\" not set\n".into());
    };
    let Ok(n) = n.parse::<i64>() else {
        return Output::err(format!(
            "error: invalid argument {n:?} for \"--replicas\" flag: strconv.ParseInt: parsing {n:?}: invalid syntax\n"
        ));
    };
    if n < 0 {
        return Output::err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n".into(),
        );
    }
    // kubectl's ScalePrecondition: --current-replicas (-1: none) and --resource-version.
    let current = match args.value("current-replicas").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(c)) => c,
        Some(Err(_)) => {
            let v = args.value("current-replicas").unwrap_or_default();
            return Output::err(format!(
                "error: invalid argument {v:?} for \"--current-replicas\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax\n"
            ));
        }
    };
    if current < -1 {
        return Output::err("error: The --current-replicas must specify an integer of -1 or greater\n".into());
    }
    let version = args.value("resource-version").filter(|v| !v.is_empty());
    let ns = namespace(args);
    // `TYPE NAME...` or `TYPE/NAME...`: every one named is scaled, in order.
    let named = match crate::exec::targets(&args.positional) {
        Ok(crate::exec::Targets::Named(n)) => n,
        Ok(crate::exec::Targets::Listed(_)) => match one_target(args, 0, &ns) {
            Ok(r) => vec![(r.kind, r.name)],
            Err(e) => return Output::err(e),
        },
        Err(e) => return Output::err(e),
    };
    let mut out = Output::default();
    for (kind, name) in named {
        let r = ObjRef::new(kind, if kind.info().namespaced { &ns } else { "" }, &name);
        if !matches!(r.kind, Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::StatefulSet) {
            return Output::err(format!(
                "error: no scaler has been implemented for {{\"{}\" \"{}\"}}\n",
                r.kind.info().group,
                r.kind.info().kind
            ));
        }
        let Some(obj) = world.store().get_ref(&r) else {
            out.stderr.push_str(&api_error_text(&ApiError::not_found(r.kind, &r.name)));
            out.exit_code = 1;
            continue;
        };
        let (replicas, rv) = (spec_replicas(obj), obj.meta().resource_version.clone().unwrap_or_default());
        if current != -1 && replicas != current {
            out.stderr.push_str(&format!("error: Expected replicas to be {current}, was {replicas}\n"));
            out.exit_code = 1;
            return out;
        }
        if let Some(v) = version.filter(|v| *v != rv) {
            out.stderr.push_str(&format!("error: Expected resource version to be {v}, was {rv}\n"));
            out.exit_code = 1;
            return out;
        }
        match world.scale(&r, n) {
            Ok(_) => out.stdout.push_str(&format!("{} scaled\n", qualified_name(r.kind, &r.name))),
            Err(e) => {
                out.stderr.push_str(&api_error_text(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `kubectl logs POD|TYPE/NAME [-c C] [-p] [--tail N]`.
pub fn logs(world: &mut World, args: &Args) -> Output {
    // pflag parses a duration before kubectl looks anything up.
    if let Some(since) = args.value("since") {
        if let Err(e) = kubeplay_sim::world::parse_go_duration(since) {
            return Output::err(format!("error: invalid argument {since:?} for \"--since\" flag: {e}\n"));
        }
    }
    let ns = namespace(args);
    if let Some(sel) = args.value("selector") {
        // `kubectl logs -l SELECTOR`: the logs of each matching pod, one after another.
        let selector = match kubeplay_sim::selectors::Selector::parse(sel) {
            Ok(s) => s,
            Err(e) => return Output::err(format!("error: {e}\n")),
        };
        let names: Vec<String> = world
            .store()
            .list(Kind::Pod, Some(&ns))
            .filter(|o| selector.matches(o.meta().labels.as_ref().unwrap_or(&Default::default())))
            .filter_map(|o| o.meta().name.clone())
            .collect();
        if names.is_empty() {
            return Output { stderr: format!("No resources found in {ns} namespace.\n"), ..Output::default() };
        }
        // Following opens a stream per pod, at most --max-log-requests (5) of them.
        let max = args.value("max-log-requests").and_then(|m| m.parse::<usize>().ok()).unwrap_or(5);
        if args.flag("follow") && names.len() > max {
            return Output::err(format!(
                "error: you are attempting to follow {} log streams, but maximum allowed concurrency is {max}, use --max-log-requests to increase the limit\n",
                names.len()
            ));
        }
        // A named container every selected pod must have: kubectl checks them all first.
        if let Some(c) = args.value("container").filter(|_| !args.flag("all-containers")) {
            for n in &names {
                if let Some(Object::Pod(p)) = world.get(Kind::Pod, &ns, n) {
                    let spec = p.spec.as_ref();
                    let has = spec.is_some_and(|s| {
                        s.containers.iter().chain(s.init_containers.iter().flatten()).any(|x| x.name == c)
                            || s.ephemeral_containers.iter().flatten().any(|x| x.name == c)
                    });
                    if !has {
                        return Output::err(format!("error: container {c} is not valid for pod {n}\n"));
                    }
                }
            }
        }
        let mut out = Output::default();
        for n in &names {
            let mut a = args.clone();
            a.values.remove("selector");
            // With a selector, kubectl shows each pod's last 10 lines unless --tail is set.
            if args.value("tail").is_none() {
                a.values.insert("tail", vec!["10".to_string()]);
            }
            a.positional = vec![n.clone()];
            let o = logs(world, &a);
            out.stdout.push_str(&o.stdout);
            out.stderr.push_str(&o.stderr);
            out.exit_code = out.exit_code.max(o.exit_code);
        }
        return out;
    }
    let Some(first) = args.positional.first() else {
        return Output::err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into());
    };
    // Resolve the pod: a name, or TYPE/NAME of a workload (its first pod; kubectl's
    // `logsForObject` says which it picked when there are several).
    let mut found = String::new();
    let pod = if let Some((t, n)) = first.split_once('/') {
        let kind = match resolve_kind(t) {
            Ok(k) => k,
            Err(e) => return Output::err(e),
        };
        if kind == Kind::Pod {
            world.get(Kind::Pod, &ns, n).cloned()
        } else {
            let Some(owner) = world.get(kind, &ns, n).cloned() else {
                return Output::err(api_error_text(&ApiError::not_found(kind, n)));
            };
            let pods = pods_of(world, &owner);
            if let (Some(p), true) = (pods.first(), pods.len() > 1) {
                found = format!("Found {} pods, using pod/{}\n", pods.len(), p.meta().name.as_deref().unwrap_or_default());
            }
            pods.into_iter().next()
        }
    } else {
        world.get(Kind::Pod, &ns, first).cloned()
    };
    let Some(Object::Pod(p)) = pod else {
        let name = first.rsplit('/').next().unwrap_or(first);
        return Output::err(api_error_text(&ApiError::not_found(Kind::Pod, name)));
    };
    let pname = p.metadata.name.clone().unwrap_or_default();
    let spec = p.spec.clone().unwrap_or_default();
    let names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    // `--all-containers`: each container's log in turn, init containers first; kubectl
    // stops at the first container that has none to give.
    if args.flag("all-containers") {
        let mut out = Output::default();
        for c in spec.init_containers.iter().flatten().map(|c| c.name.clone()).chain(names.iter().cloned()) {
            let mut a = args.clone();
            a.bools.remove("all-containers");
            a.positional = vec![pname.clone()];
            a.values.insert("container", vec![c]);
            let o = logs(world, &a);
            out.stdout.push_str(&o.stdout);
            if o.exit_code != 0 {
                out.stderr = o.stderr;
                out.exit_code = o.exit_code;
                break;
            }
        }
        return out;
    }
    let mut notice = String::new();
    let container = match args.value("container").map(String::from).or_else(|| args.positional.get(1).cloned()) {
        Some(c) => c,
        None => {
            let (c, n) = default_container(&p);
            notice = n;
            c
        }
    };
    let all: Vec<String> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| c.name.clone())
        .chain(names.iter().cloned())
        .chain(spec.ephemeral_containers.iter().flatten().map(|c| c.name.clone()))
        .collect();
    if !all.contains(&container) {
        return Output::err(format!("error: container {container} is not valid for pod {pname}\n"));
    }
    let previous = args.flag("previous");
    let r = ObjRef::new(Kind::Pod, &ns, &pname);
    let cs = kubeplay_sim::kubelet::pod_container_status(&p, &container);
    let waiting = cs.and_then(|c| c.state.as_ref()).and_then(|s| s.waiting.as_ref()).and_then(|w| w.reason.clone());
    let started_once = cs
        .is_some_and(|c| c.restart_count > 0 || c.state.as_ref().is_some_and(|s| s.running.is_some() || s.terminated.is_some()));
    if previous && cs.is_none_or(|c| c.restart_count == 0) {
        // The defaulted-container notice comes first: kubectl prints it before the request.
        return Output::err(format!(
            "{notice}{}",
            api_error_text(&ApiError::bad_request(format!(
                "previous terminated container {container:?} in pod {pname:?} not found"
            )))
        ));
    }
    if !previous && !started_once {
        let why = match waiting.as_deref() {
            Some("ErrImagePull") | Some("ImagePullBackOff") => "trying and failing to pull image".to_string(),
            Some(r) => r.to_string(),
            None => "ContainerCreating".to_string(),
        };
        return Output::err(format!(
            "{notice}{}",
            api_error_text(&ApiError::bad_request(format!(
                "container {container:?} in pod {pname:?} is waiting to start: {why}"
            )))
        ));
    }
    // `-f`: stay attached while the container runs, as virtual time passes, until it ends
    // (a Job's pod, a crashing container) or the follow bound is reached.
    // A server that never exits is not followed through time: the log so far is shown.
    let mut still_following = false;
    if args.flag("follow") && !previous && cs.is_some_and(|c| c.state.as_ref().is_some_and(|s| s.running.is_some())) {
        let restarts = cs.map_or(0, |c| c.restart_count);
        let exits = world.runtime(&r).and_then(|rt| rt.containers.get(&container)).is_some_and(|c| c.program.exit.is_some());
        still_following = !exits || !follow(world, &r, &container, restarts);
    }
    let mut lines = kubeplay_sim::kubelet::logs_timed(world, &r, &container, previous).unwrap_or_default();
    // `--since=DURATION` / `--since-time=RFC3339`: only lines written from then on.
    if let Some(since) = args.value("since") {
        // pflag parses the value first; then kubectl's own checks.
        let ns = match kubeplay_sim::world::parse_go_duration(since) {
            Ok(ns) => ns,
            Err(e) => return Output::err(format!("error: invalid argument {since:?} for \"--since\" flag: {e}\n")),
        };
        if args.value("since-time").is_some() && ns != 0 {
            return Output::err("error: at most one of `sinceTime` or `sinceSeconds` may be specified\n".into());
        }
        if ns < 0 {
            return Output::err("error: --since must be greater than 0\n".into());
        }
        // 0 means unset; kubectl sends whole seconds (rounded, at least one).
        if ns > 0 {
            let secs = ((ns as u64).saturating_add(500_000_000) / 1_000_000_000).max(1);
            let from = world.now_ms().saturating_sub(secs * 1000);
            lines.retain(|(t, _)| *t >= from);
        }
    }
    if let Some(at) = args.value("since-time") {
        let Some(from) = kubeplay_sim::world::parse_time(at) else {
            return Output::err(format!("error: {at} is not a valid RFC3339 time\n"));
        };
        lines.retain(|(t, _)| *t >= from);
    }
    let lines: Vec<(u64, String)> = match args.value("tail").and_then(|t| t.parse::<i64>().ok()) {
        Some(n) if n >= 0 => lines.iter().skip(lines.len().saturating_sub(n as usize)).cloned().collect(),
        _ => lines,
    };
    let stamps = args.flag("timestamps");
    // `--prefix`: each line names its source.
    let prefix = if args.flag("prefix") { format!("[pod/{pname}/{container}] ") } else { String::new() };
    let mut out = String::new();
    for (t, l) in lines {
        out.push_str(&prefix);
        if stamps {
            // The runtime's RFC 3339 time with nanoseconds (trailing zeros trimmed).
            out.push_str(&kubeplay_sim::world::rfc3339_nano(t));
            out.push(' ');
        }
        out.push_str(&l);
        out.push('\n');
    }
    // `--limit-bytes=N`: the log is cut after N bytes.
    if let Some(limit) = args.value("limit-bytes") {
        match limit.parse::<usize>() {
            // 0 is no limit.
            Ok(0) => {}
            Ok(n) => {
                if out.len() > n {
                    let mut cut = n;
                    while !out.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    out.truncate(cut);
                }
            }
            Err(_) if limit.starts_with('-') => return Output::err("error: --limit-bytes must be greater than 0\n".into()),
            Err(_) => {
                return Output::err(format!(
                    "error: invalid argument {limit:?} for \"--limit-bytes\" flag: strconv.ParseInt: parsing {limit:?}: invalid syntax\n"
                ))
            }
        }
    }
    // kubectl says which container it defaulted to before the log; kubeplay's note on
    // following comes after it.
    let after = if still_following {
        "kubeplay: that is the log so far; kubectl -f would keep following until interrupted\n".to_string()
    } else {
        String::new()
    };
    Output { warnings: found + &notice, stdout: out, stderr: after, exit_code: 0, ..Output::default() }
}

/// How long `kubectl logs -f` follows a container that will exit, in virtual ms.
const FOLLOW_BOUND_MS: u64 = 300_000;

/// Runs the world until `container` of pod `r` stops running (it ended, or restarted after
/// `restarts`), or the follow bound passes. Returns whether it stopped.
fn follow(world: &mut World, r: &ObjRef, container: &str, restarts: i32) -> bool {
    let ended = |world: &World| match world.store().get_ref(r) {
        Some(Object::Pod(p)) => p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .chain(p.status.as_ref().and_then(|s| s.init_container_statuses.as_ref()).into_iter().flatten())
            .find(|c| c.name == container)
            .is_none_or(|c| c.restart_count != restarts || c.state.as_ref().is_none_or(|s| s.running.is_none())),
        _ => true,
    };
    let deadline = world.now_ms() + FOLLOW_BOUND_MS;
    let mut steps = 0u32;
    while !ended(world) && steps < 200_000 {
        match world.next_deadline() {
            Some(t) if t <= deadline => {
                world.step();
                steps += 1;
            }
            _ => break,
        }
    }
    ended(world)
}

pub(crate) fn first_pod_of(world: &World, owner: &Object) -> Option<Object> {
    pods_of(world, owner).into_iter().next()
}

/// The pods a workload owns (through its ReplicaSets or Jobs), in the order kubectl picks
/// one (`attach_rank`).
pub(crate) fn pods_of(world: &World, owner: &Object) -> Vec<Object> {
    let uid = owner.meta().uid.clone().unwrap_or_default();
    let mut pods: Vec<Object> = Vec::new();
    let mut frontier = vec![uid];
    for _ in 0..3 {
        let mut next = Vec::new();
        for u in &frontier {
            for r in world.store().dependents_of(u) {
                if let Some(o) = world.store().get_ref(r) {
                    if r.kind == Kind::Pod {
                        pods.push(o.clone());
                    } else {
                        next.push(o.meta().uid.clone().unwrap_or_default());
                    }
                }
            }
        }
        frontier = next;
    }
    pods.sort_by_key(attach_rank);
    pods
}

/// The order kubectl picks a pod to attach or exec into (`GetFirstPod` with
/// `sort.Reverse(podutils.ActivePods)`): assigned before unassigned, Running before Unknown
/// before Pending, ready before not, ready for longer first, fewer restarts, older first; the
/// name breaks what is left of ties.
pub(crate) fn attach_rank(o: &Object) -> (bool, u8, bool, (bool, String), i32, String, String) {
    let Object::Pod(p) = o else { return (true, 3, true, (true, String::new()), 0, String::new(), String::new()) };
    let assigned = p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
    let st = p.status.as_ref();
    let phase = match st.and_then(|s| s.phase.as_deref()) {
        Some("Running") => 0,
        Some("Unknown") => 1,
        Some("Pending") => 2,
        _ => 3,
    };
    let ready = st.and_then(|s| s.conditions.as_ref()).and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    let is_ready = ready.is_some_and(|c| c.status == "True");
    // Ready since: earlier first; a ready pod without a time sorts last among the ready.
    let since = ready.filter(|_| is_ready).and_then(|c| c.last_transition_time.as_ref()).map(|t| t.0.to_string());
    let restarts =
        st.and_then(|s| s.container_statuses.as_ref()).map_or(0, |cs| cs.iter().map(|c| c.restart_count).max().unwrap_or(0));
    let created = p.metadata.creation_timestamp.as_ref().map_or_else(|| "~".to_string(), |t| t.0.to_string());
    (
        !assigned,
        phase,
        !is_ready,
        (since.is_none(), since.unwrap_or_default()),
        restarts,
        created,
        p.metadata.name.clone().unwrap_or_default(),
    )
}

/// `kubectl expose TYPE NAME --port=P [--target-port] [--type] [--name]`.
pub fn expose(world: &mut World, args: &Args) -> Output {
    // `expose` has no --node-port (that is `create service nodeport`'s).
    if args.value("node-port").is_some() {
        return Output::err("error: unknown flag: --node-port\nSee 'kubectl expose --help' for usage.\n".into());
    }
    let ns = namespace(args);
    let r = match one_target(args, 0, &ns) {
        Ok(r) => r,
        Err(e) => return Output::err(e),
    };
    let Some(obj) = world.store().get_ref(&r).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
    };
    let (selector, ports): (std::collections::BTreeMap<String, String>, Vec<i32>) = match &obj {
        Object::Deployment(d) => (
            d.spec.as_ref().and_then(|s| s.selector.match_labels.clone()).unwrap_or_default(),
            d.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(container_ports).unwrap_or_default(),
        ),
        Object::ReplicaSet(rs) => (
            rs.spec.as_ref().and_then(|s| s.selector.match_labels.clone()).unwrap_or_default(),
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .map(container_ports)
                .unwrap_or_default(),
        ),
        Object::ReplicationController(rc) => (
            rc.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default(),
            rc.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .map(container_ports)
                .unwrap_or_default(),
        ),
        Object::Pod(p) => {
            (p.metadata.labels.clone().unwrap_or_default(), p.spec.as_ref().map(container_ports).unwrap_or_default())
        }
        Object::Service(s) => (s.spec.as_ref().and_then(|x| x.selector.clone()).unwrap_or_default(), vec![]),
        _ => return Output::err(format!("error: cannot expose a {}\n", obj.kind().info().kind)),
    };
    if selector.is_empty() {
        return Output::err("error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\n".into());
    }
    let port = match args.value("port").and_then(|p| p.parse::<i32>().ok()).or_else(|| ports.first().copied()) {
        Some(p) => p,
        None => {
            return Output::err(
                "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n"
                    .into(),
            )
        }
    };
    let name = args.value("name").unwrap_or(&r.name).to_string();
    // Without --target-port, expose's generator sets the target port to the port.
    let mut port_v = serde_json::json!({"port": port, "protocol": args.value("protocol").unwrap_or("TCP"), "targetPort": port});
    if let Some(tp) = args.value("target-port") {
        port_v["targetPort"] =
            tp.parse::<i64>().map(serde_json::Value::from).unwrap_or_else(|_| serde_json::Value::String(tp.to_string()));
    }
    let mut spec = serde_json::json!({"ports": [port_v], "selector": selector});
    if let Some(t) = args.value("type") {
        spec["type"] = serde_json::Value::String(t.to_string());
    }
    let svc = serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns, "labels": obj.meta().labels.clone()}, "spec": spec});
    let show = crate::create::Show::from_args(args, false);
    let mut out = crate::create::create_value_with(world, Kind::Service, svc, &show);
    if out.exit_code == 0 && show.output.is_none() && show.go_template.is_none() {
        out.stdout = out.stdout.replacen(" created", " exposed", 1);
    }
    out
}

fn container_ports(spec: &k8s_openapi::api::core::v1::PodSpec) -> Vec<i32> {
    spec.containers.iter().flat_map(|c| c.ports.iter().flatten().map(|p| p.container_port)).collect()
}

/// `kubectl cordon|uncordon NODE...`: every named node, in order (kubectl's builder takes
/// several names).
pub fn cordon(world: &mut World, args: &Args, on: bool) -> Output {
    if args.positional.is_empty() {
        return Output::err(format!("error: USAGE: {} NODE [flags]\n", if on { "cordon" } else { "uncordon" }));
    }
    // Every name must exist before any node changes, as kubectl resolves them all first.
    for node in &args.positional {
        if world.store().get(Kind::Node, "", node).is_none() {
            return Output::err(api_error_text(&ApiError::not_found(Kind::Node, node)));
        }
    }
    let mut out = Output::ok(String::new());
    for node in &args.positional {
        let one = cordon_one(world, node, on);
        out.stdout.push_str(&one.stdout);
        out.stderr.push_str(&one.stderr);
        if one.exit_code != 0 {
            out.exit_code = one.exit_code;
        }
    }
    out
}

fn cordon_one(world: &mut World, node: &str, on: bool) -> Output {
    let r = ObjRef::new(Kind::Node, "", node);
    let Some(Object::Node(n)) = world.store().get_ref(&r).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(Kind::Node, node)));
    };
    let was = n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
    let verb = if on { "cordoned" } else { "uncordoned" };
    if was == on {
        return Output::ok(format!("node/{node} already {verb}\n"));
    }
    let patch =
        serde_json::json!({"spec": {"unschedulable": if on { serde_json::Value::Bool(true) } else { serde_json::Value::Null }}});
    match world.merge_patch(&r, &patch) {
        Ok(_) => Output::ok(format!("node/{node} {verb}\n")),
        Err(e) => Output::err(api_error_text(&e)),
    }
}

/// `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`.
pub fn drain(world: &mut World, args: &Args) -> Output {
    // A bad flag fails before anything is done, as pflag's parse does.
    let timeout_ms = match timeout_flag(args, 0, 0) {
        Ok(ms) => ms,
        Err(e) => return Output::err(e),
    };
    let mut out = cordon(world, args, true);
    if out.exit_code != 0 {
        return out;
    }
    let node = args.positional[0].clone();
    let pods: Vec<Object> = world.store().pods_on_node(&node).cloned().collect();
    // kubectl's drain filters, in its order: DaemonSet-managed, unreplicated, local storage.
    let (mut ds_block, mut ds_warn, mut bare_block, mut bare_warn, mut local_block, mut local_warn) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut evict = Vec::new();
    for p in &pods {
        let m = p.meta();
        if m.deletion_timestamp.is_some() {
            continue;
        }
        let owner = m.owner_references.iter().flatten().find(|o| o.controller == Some(true));
        let name = format!("{}/{}", m.namespace.clone().unwrap_or_default(), m.name.clone().unwrap_or_default());
        if owner.is_some_and(|o| o.kind == "DaemonSet") {
            if args.flag("ignore-daemonsets") {
                ds_warn.push(name);
            } else {
                ds_block.push(name);
            }
            continue;
        }
        if owner.is_none() {
            if args.flag("force") {
                bare_warn.push(name.clone());
            } else {
                bare_block.push(name.clone());
                continue;
            }
        }
        let empty_dir = matches!(p, Object::Pod(pod) if pod.spec.as_ref().and_then(|s| s.volumes.as_ref()).is_some_and(|vs| vs.iter().any(|v| v.empty_dir.is_some())));
        if empty_dir {
            if args.flag("delete-emptydir-data") {
                local_warn.push(name);
            } else {
                local_block.push(name);
                continue;
            }
        }
        evict.push(ObjRef::of(p));
    }
    let mut errors = Vec::new();
    for (pods, msg) in [
        (&ds_block, "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"),
        (&bare_block, "cannot delete Pods that declare no controller (use --force to override)"),
        (&local_block, "cannot delete Pods with local storage (use --delete-emptydir-data to override)"),
    ] {
        if !pods.is_empty() {
            errors.push(format!("{msg}: {}", pods.join(", ")));
        }
    }
    if !errors.is_empty() {
        // An aggregate of one error prints bare; of several, in brackets.
        let all = if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
        out.stderr = format!(
            "error: unable to drain node {node:?} due to error: {all}, continuing command...\nThere are pending nodes to be drained:\n {node}\n"
        );
        // The command's own error, an aggregate: kubectl prints each on a line of its own.
        for e in &errors {
            let _ = writeln!(out.stderr, "{e}");
        }
        out.exit_code = 1;
        return out;
    }
    let mut warnings = Vec::new();
    for (pods, msg) in [
        (&ds_warn, "ignoring DaemonSet-managed Pods"),
        (&bare_warn, "deleting Pods that declare no controller"),
        (&local_warn, "deleting Pods with local storage"),
    ] {
        if !pods.is_empty() {
            warnings.push(format!("{msg}: {}", pods.join(", ")));
        }
    }
    if !warnings.is_empty() {
        // On stderr in kubectl, between "cordoned" and the evictions; kept in that order here.
        let _ = writeln!(out.stdout, "Warning: {}", warnings.join("; "));
    }
    let failures = evict_pods(world, &evict, timeout_ms, &mut out);
    if failures.is_empty() {
        let _ = writeln!(out.stdout, "node/{node} drained");
        return out;
    }
    if failures == [String::new()] {
        // Stopped like a Ctrl-C: no --timeout, and the budget never allowed it.
        out.exit_code = 130;
        return out;
    }
    // Aggregates of one error print bare, of several in brackets.
    let all = if failures.len() == 1 { failures[0].clone() } else { format!("[{}]", failures.join(", ")) };
    let _ = writeln!(out.stderr, "There are pending pods in node {node:?} when an error occurred: {all}");
    for r in evict.iter().filter(|r| world.store().get_ref(r).is_some()) {
        let _ = writeln!(out.stderr, "pod/{}", r.name);
    }
    let _ = writeln!(out.stderr, "error: unable to drain node {node:?} due to error: {all}, continuing command...");
    let _ = writeln!(out.stderr, "There are pending nodes to be drained:\n {node}");
    for f in &failures {
        let _ = writeln!(out.stderr, "{f}");
    }
    out.exit_code = 1;
    out
}

/// How long a `kubectl drain` without `--timeout` keeps retrying refused evictions here
/// before kubeplay stops it (kubectl would retry until interrupted).
const DRAIN_RETRY_CAP_MS: u64 = 60 * 1000;

/// kubectl drain's `evictPods`, in virtual time: each pod is evicted through the eviction
/// subresource; an eviction its PodDisruptionBudget refuses (429) is retried every 5 s
/// while the cluster runs, and an evicted pod is reported once it is gone (or replaced by
/// a pod of the same name). Returns the errors of the pods that failed; `[""]` when the
/// retries were stopped at kubeplay's cap. kubectl prints the retry errors on stderr; they
/// are written in order with the other lines here.
fn evict_pods(world: &mut World, pods: &[ObjRef], timeout_ms: u64, out: &mut Output) -> Vec<String> {
    use kubeplay_sim::disruption::EvictionRefused;
    const RETRY_MS: u64 = 5_000;
    let start = world.now_ms();
    let uid = |world: &World, r: &ObjRef| world.store().get_ref(r).and_then(|o| o.meta().uid.clone());
    // Per pod: Some(uid) once evicted (waiting for it to go), the next attempt time otherwise.
    let mut evicted: Vec<Option<Option<String>>> = vec![None; pods.len()];
    let mut next_attempt: Vec<Option<u64>> = vec![Some(start); pods.len()];
    let mut reported = vec![false; pods.len()];
    let mut failures = Vec::new();
    loop {
        let now = world.now_ms();
        let due: Vec<usize> = (0..pods.len()).filter(|&i| next_attempt[i].is_some_and(|t| t <= now)).collect();
        // kubectl's goroutines announce their attempts at once; the answers follow.
        for &i in &due {
            let _ = writeln!(out.stdout, "evicting pod {}/{}", pods[i].namespace, pods[i].name);
        }
        for &i in &due {
            let r = &pods[i];
            if timeout_ms > 0 && now - start >= timeout_ms {
                failures.push(format!(
                    "error when evicting pods/{:?} -n {:?}: global timeout reached: {}",
                    r.name,
                    r.namespace,
                    kubeplay_sim::world::go_duration(timeout_ms)
                ));
                next_attempt[i] = None;
                continue;
            }
            let before = uid(world, r);
            match world.evict(r, kubeplay_sim::DeleteOptions::default()) {
                Ok(()) => {
                    evicted[i] = Some(before);
                    next_attempt[i] = None;
                }
                Err(EvictionRefused::Api(e)) if e.reason == kubeplay_sim::Reason::NotFound => {
                    next_attempt[i] = None;
                    reported[i] = true;
                }
                Err(e @ EvictionRefused::TooManyRequests { .. }) => {
                    let _ = writeln!(
                        out.stdout,
                        "error when evicting pods/{:?} -n {:?} (will retry after 5s): {}",
                        r.name,
                        r.namespace,
                        e.message()
                    );
                    next_attempt[i] = Some(now + RETRY_MS);
                }
                Err(e) => {
                    failures.push(format!("error when evicting pods/{:?} -n {:?}: {}", r.name, r.namespace, e.message()));
                    next_attempt[i] = None;
                }
            }
        }
        // Evicted pods are reported once gone.
        for (i, r) in pods.iter().enumerate() {
            if let (Some(before), false) = (&evicted[i], reported[i]) {
                if uid(world, r) != *before || world.store().get_ref(r).is_none() {
                    let _ = writeln!(out.stdout, "pod/{} evicted", r.name);
                    reported[i] = true;
                }
            }
        }
        let waiting = (0..pods.len()).any(|i| next_attempt[i].is_some() || (evicted[i].is_some() && !reported[i]));
        if !waiting {
            return failures;
        }
        let elapsed = world.now_ms() - start;
        if timeout_ms == 0 && elapsed >= DRAIN_RETRY_CAP_MS {
            let _ = writeln!(
                out.stderr,
                "kubeplay: kubectl drain retries until it is interrupted (it has no --timeout); kubeplay stopped it after {} of simulated time, as Ctrl-C would",
                kubeplay_sim::world::go_duration(elapsed)
            );
            return vec![String::new()];
        }
        if timeout_ms > 0 && elapsed >= timeout_ms && next_attempt.iter().all(Option::is_none) {
            // Only deletions are left to wait for, past the deadline.
            for (i, r) in pods.iter().enumerate() {
                if evicted[i].is_some() && !reported[i] {
                    failures.push(format!(
                        "error when waiting for pod {:?} in namespace {:?} to terminate: context deadline exceeded",
                        r.name, r.namespace
                    ));
                }
            }
            return failures;
        }
        // kubectl polls deletions every second.
        world.run_for(1_000, 100_000);
    }
}

/// `kubectl autoscale TYPE NAME --max=N [--min=N] [--cpu=50%|500m] [--memory=..]
/// [--cpu-percent=N] [--name=NAME]`: an autoscaling/v2 HorizontalPodAutoscaler for a
/// Deployment, ReplicaSet or StatefulSet, built as kubectl 1.35 builds it.
pub fn autoscale(world: &mut World, args: &Args) -> Output {
    let ns = namespace(args);
    let target = match one_target(args, 0, &ns) {
        Ok(r) => r,
        Err(e) => return Output::err(e),
    };
    if !matches!(target.kind, Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::StatefulSet) {
        let i = target.kind.info();
        return Output::err(format!(
            "error: cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information\n",
            i.kind, i.group, i.version, i.plural
        ));
    }
    let int_flag = |name: &str| -> Result<i32, String> {
        match args.value(name) {
            None => Ok(-1),
            Some(v) => v.parse::<i32>().map_err(|_| {
                format!("error: invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax\n")
            }),
        }
    };
    let (min, max, cpu_percent) = match (int_flag("min"), int_flag("max"), int_flag("cpu-percent")) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Output::err(e),
    };
    if args.value("max").is_none() {
        return Output::err("error: required flag(s) \"max\" not set\n".into());
    }
    let mut warnings = String::new();
    if args.value("cpu-percent").is_some() {
        warnings.push_str("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n");
    }
    let fail = |e: String| {
        let mut o = Output::err(e);
        o.stderr = format!("{warnings}{}", o.stderr);
        o
    };
    if max < 1 {
        return fail(format!("error: --max=MAXPODS is required and must be at least 1, max: {max}\n"));
    }
    if max < min {
        return fail(format!("error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}\n"));
    }
    let cpu = args.value("cpu").filter(|v| !v.is_empty());
    if cpu_percent > 0 && cpu.is_some() {
        return fail("error: --cpu-percent and --cpu are mutually exclusive\n".into());
    }
    let mut metrics = Vec::new();
    if cpu_percent > 0 {
        metrics.push(serde_json::json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu_percent}}}));
    }
    // parseResourceInput: `N%` is a utilization, a quantity an average value (a bare
    // number gets the resource's default unit).
    for (resource, value, unit) in [("cpu", cpu, "m"), ("memory", args.value("memory").filter(|v| !v.is_empty()), "Mi")] {
        let Some(v) = value else { continue };
        let target = if let Some(pct) = v.strip_suffix('%') {
            match pct.parse::<i32>() {
                Ok(n) => serde_json::json!({"type": "Utilization", "averageUtilization": n}),
                Err(_) => return fail(format!("error: invalid percentage value: {pct}\n")),
            }
        } else {
            let q = if v.bytes().all(|b| b.is_ascii_digit()) { format!("{v}{unit}") } else { v.to_string() };
            if kubeplay_sim::quantity::parse(&q).is_none() {
                return fail(format!("error: invalid resource {resource} value: {v}\n"));
            }
            serde_json::json!({"type": "AverageValue", "averageValue": q})
        };
        metrics.push(serde_json::json!({"type": "Resource", "resource": {"name": resource, "target": target}}));
    }
    if world.store().get_ref(&target).is_none() {
        return fail(api_error_text(&ApiError::not_found(target.kind, &target.name)));
    }
    let name = args.value("name").map(str::to_string).unwrap_or_else(|| target.name.clone());
    let info = target.kind.info();
    let mut spec = serde_json::json!({
        "scaleTargetRef": {"apiVersion": info.api_version(), "kind": info.kind, "name": target.name},
        "maxReplicas": max,
    });
    if min > 0 {
        spec["minReplicas"] = serde_json::json!(min);
    }
    if !metrics.is_empty() {
        spec["metrics"] = serde_json::Value::Array(metrics);
    }
    let v = serde_json::json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name, "namespace": ns}, "spec": spec});
    let show = crate::create::Show::from_args(args, false);
    let dry = show.dry_run.as_deref().is_some_and(|m| m != "none");
    let exists = world.store().get(Kind::HorizontalPodAutoscaler, &ns, &name).is_some();
    let mut out = crate::create::create_value_with(world, Kind::HorizontalPodAutoscaler, v, &show);
    if exists && !dry && cpu.is_none() {
        // kubectl falls back to autoscaling/v1 after any v2 failure, and that fallback
        // cannot express a missing --cpu (kubernetes/kubernetes#135356).
        out.stderr =
            "error: failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: empty input\n"
                .into();
    }
    if out.exit_code == 0 && show.output.is_none() && show.go_template.is_none() {
        out.stdout = out.stdout.replacen(" created", " autoscaled", 1);
    }
    // pflag prints a deprecated flag's notice while parsing, before anything else.
    out.warnings = format!("{warnings}{}", out.warnings);
    out
}

/// `kubectl patch TYPE NAME -p PATCH [--type merge|strategic|json]`. A strategic patch
/// merges keyed lists (containers by name, ...) element by element; `retainKeys` and the
/// other patch directives besides `$patch: delete` are not simulated.
pub fn patch(world: &mut World, args: &Args, files: &dyn crate::Files) -> Output {
    let ns = namespace(args);
    let r = match one_target(args, 0, &ns) {
        Ok(r) => r,
        Err(e) => return Output::err(e),
    };
    // --patch-file reads the patch from a file (kubectl 1.22+).
    let from_file = match args.value("patch-file") {
        Some(f) => match files.read(f) {
            Ok(t) => Some(t),
            Err(e) => return Output::err(format!("error: unable to read patch file: {e}\n")),
        },
        None => None,
    };
    let Some(text) = args.value("patch").or(from_file.as_deref()) else {
        return Output::err("error: must specify --patch or --patch-file containing the contents of the patch\n".into());
    };
    let body: serde_json::Value = match serde_json::from_str(text).or_else(|_| serde_yaml::from_str::<serde_json::Value>(text)) {
        Ok(v) => v,
        Err(e) => return Output::err(format!("error: unable to parse {text:?}: {e}\n")),
    };
    let Some(obj) = world.store().get_ref(&r).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(r.kind, &r.name)));
    };
    let scalable = matches!(r.kind, Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::StatefulSet);
    // The server answers a scale patch with the Scale object: kubectl names that.
    let qn = if args.value("subresource") == Some("scale") && scalable {
        format!("scale.autoscaling/{}", r.name)
    } else {
        qualified_name(r.kind, &r.name)
    };
    let resize = args.value("subresource") == Some("resize") && r.kind == Kind::Pod;
    // `--subresource=scale`: the patch is to the object's Scale, whose only writable field
    // is spec.replicas.
    let body = match args.value("subresource") {
        None => body,
        // In-place resize (kubectl 1.32+ sends any subresource; pods serve `resize`).
        Some("resize") if resize => body,
        Some("scale") if scalable => {
            if args.value("type") == Some("json") {
                return Output::err("error: kubeplay patches the scale subresource with --type merge or strategic\n".into());
            }
            match body.pointer("/spec/replicas") {
                Some(n) => serde_json::json!({"spec": {"replicas": n}}),
                None => return Output::ok(format!("{qn} patched (no change)\n")),
            }
        }
        Some("status") => {
            return Output::err(
                "error: kubeplay does not simulate patching the status subresource: its controllers own status\n".into(),
            )
        }
        // kubectl 1.32+ passes any subresource to the server: one this kind does not serve
        // (scale of a Pod, resize of a Deployment, or an unknown name) is not found.
        Some(_) => {
            let info = r.kind.info();
            let resource =
                if info.group.is_empty() { info.plural.to_string() } else { format!("{}.{}", info.plural, info.group) };
            return Output::err(format!(
                "Error from server (NotFound): the server could not find the requested resource (patch {resource} {})\n",
                r.name
            ));
        }
    };
    let mut v = obj.to_value();
    match args.value("type").unwrap_or("strategic") {
        "merge" => kubeplay_sim::api::json_merge_patch(&mut v, &body),
        "strategic" => kubeplay_sim::api::strategic_merge_patch(&mut v, &body),
        "json" => {
            match json_patch(&mut v, &body) {
                Ok(()) => {}
                // A patch that is well formed but does not apply is the API server's 422
                // (its detail is only in the status causes kubectl does not print).
                Err(e) if e.applies => {
                    return Output::err(
                        "The request is invalid: the server rejected our request due to an error in our request\n".into(),
                    )
                }
                Err(e) => return Output::err(format!("{}\n", e.message)),
            }
        }
        other => return Output::err(format!("error: --type must be one of [json merge strategic], not {other:?}\n")),
    }
    let result = kubeplay_sim::api::decode_for_server(&v).and_then(|mut next| {
        if resize {
            // The resize names the pod by its URL: a patched name or namespace changes nothing.
            next.meta_mut().name = Some(r.name.clone());
            next.meta_mut().namespace = Some(r.namespace.clone());
            world.resize_pod(next)
        } else {
            next.meta_mut().resource_version = None;
            world.update(next)
        }
    });
    // `-o yaml|json|jsonpath=...`: the patched object.
    if let (Ok(after), Some(_)) = (&result, args.value("output").filter(|o| *o != "name")) {
        return match crate::local::printed(args, r.kind, &after.to_value(), "patched") {
            Ok(text) => Output::ok(text),
            Err(e) => Output::err(e),
        };
    }
    match result {
        // (An object whose last finalizer the patch removed is gone: that was a change.)
        Ok(after) if after.meta().resource_version == obj.meta().resource_version && world.store().get_ref(&r).is_some() => {
            Output::ok(format!("{qn} patched (no change)\n"))
        }
        Ok(_) => Output::ok(format!("{qn} patched\n")),
        Err(e) => Output::err(api_error_text(&e)),
    }
}

/// Why a JSON patch failed: malformed (kubectl's or the decoder's error), or well formed
/// but not applicable to the object (`applies`: the API server's 422).
struct PatchError {
    applies: bool,
    message: String,
}

/// RFC 6902 JSON patch: add, remove, replace, test.
fn json_patch(doc: &mut serde_json::Value, ops: &serde_json::Value) -> Result<(), PatchError> {
    let bad = |m: &str| PatchError { applies: true, message: m.to_string() };
    let malformed = |m: &str| PatchError { applies: false, message: m.to_string() };
    // Only a body that is not a list fails to decode (a 400); a bad operation fails when
    // the server applies it (the 422).
    let json_type = match ops {
        serde_json::Value::Object(_) => "object",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "bool",
        _ => "null",
    };
    let ops = ops.as_array().ok_or_else(|| {
        malformed(&format!(
            "Error from server (BadRequest): json: cannot unmarshal {json_type} into Go value of type jsonpatch.Patch"
        ))
    })?;
    for op in ops {
        let kind = op.get("op").and_then(|v| v.as_str()).ok_or_else(|| bad("operation has no op"))?;
        let path = op.get("path").and_then(|v| v.as_str()).ok_or_else(|| bad("operation has no path"))?;
        let (parent, last) = path.rsplit_once('/').ok_or_else(|| bad(&format!("invalid path {path:?}")))?;
        let last = last.replace("~1", "/").replace("~0", "~");
        match kind {
            "test" => {
                if doc.pointer(path) != op.get("value") {
                    return Err(bad(&format!("testing value {path} failed")));
                }
            }
            "remove" => {
                let p = doc.pointer_mut(parent).ok_or_else(|| bad(&format!("doc is missing path: {path}")))?;
                let removed = match p {
                    serde_json::Value::Object(m) => m.shift_remove(&last).is_some(),
                    serde_json::Value::Array(a) => {
                        last.parse::<usize>().ok().filter(|i| *i < a.len()).map(|i| a.remove(i)).is_some()
                    }
                    _ => false,
                };
                if !removed {
                    return Err(bad(&format!("unable to remove nonexistent key: {last}: missing value")));
                }
            }
            "add" | "replace" => {
                let value = op.get("value").cloned().ok_or_else(|| bad("operation has no value"))?;
                let p = doc.pointer_mut(parent).ok_or_else(|| bad(&format!("doc is missing path: {path}")))?;
                match p {
                    serde_json::Value::Object(m) => {
                        if kind == "replace" && !m.contains_key(&last) {
                            return Err(bad(&format!("replace operation does not apply: doc is missing key: {path}")));
                        }
                        m.insert(last, value);
                    }
                    serde_json::Value::Array(a) => {
                        if last == "-" {
                            a.push(value);
                        } else {
                            let i = last.parse::<usize>().map_err(|_| bad(&format!("invalid index {last:?}")))?;
                            if kind == "replace" && i < a.len() {
                                a[i] = value;
                            } else if i <= a.len() {
                                a.insert(i, value);
                            } else {
                                return Err(bad(&format!("index {i} out of bounds")));
                            }
                        }
                    }
                    _ => return Err(bad(&format!("doc is missing path: {path}"))),
                }
            }
            other => return Err(bad(&format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

/// One `kubectl taint` argument: `key[=value]:Effect` adds, `key[:Effect]-` removes.
enum TaintSpec {
    Add(k8s_openapi::api::core::v1::Taint),
    Remove { key: String, effect: Option<String> },
}

fn parse_taint(spec: &str) -> Result<TaintSpec, String> {
    const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    if let Some(rest) = spec.strip_suffix('-') {
        let (key, effect) = match rest.split_once(':') {
            Some((k, e)) => (k, Some(e.to_string())),
            None => (rest, None),
        };
        // `key1=value1:NoSchedule-` (the Taints page's form) removes by key and effect.
        let key = key.split_once('=').map_or(key, |(k, _)| k);
        if key.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if let Some(e) = effect.as_deref().filter(|e| !EFFECTS.contains(e)) {
            return Err(format!("invalid taint effect: {e}, unsupported taint effect"));
        }
        return Ok(TaintSpec::Remove { key: key.to_string(), effect });
    }
    let Some((kv, effect)) = spec.split_once(':') else { return Err(format!("invalid taint spec: {spec}")) };
    if !EFFECTS.contains(&effect) {
        return Err(format!("invalid taint effect: {effect}, unsupported taint effect"));
    }
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_string()).filter(|v| !v.is_empty())),
        None => (kv, None),
    };
    if key.is_empty() {
        return Err(format!("invalid taint spec: {spec}"));
    }
    Ok(TaintSpec::Add(k8s_openapi::api::core::v1::Taint {
        key: key.to_string(),
        value,
        effect: effect.to_string(),
        time_added: None,
    }))
}

/// `kubectl taint nodes NAME key=value:Effect [key:Effect-] [--overwrite]`.
pub fn taint(world: &mut World, args: &Args) -> Output {
    let usage = "error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples\n";
    let (node, specs): (String, &[String]) = match args.positional.as_slice() {
        [kind, rest @ ..] if kind.contains('/') => {
            let (k, n) = kind.split_once('/').unwrap_or_default();
            if !matches!(k, "node" | "nodes" | "no") {
                return Output::err(format!("error: invalid resource type {k}, only node types are supported\n"));
            }
            (n.to_string(), rest)
        }
        [kind, name, rest @ ..] if matches!(kind.as_str(), "node" | "nodes" | "no") => (name.clone(), rest),
        [kind, ..] if !matches!(kind.as_str(), "node" | "nodes" | "no") => {
            return Output::err(format!("error: invalid resource type {kind}, only node types are supported\n"))
        }
        _ => return Output::err(usage.into()),
    };
    if specs.is_empty() {
        return Output::err(usage.into());
    }
    let parsed: Result<Vec<TaintSpec>, String> = specs.iter().map(|s| parse_taint(s)).collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let r = ObjRef::new(Kind::Node, "", &node);
    let Some(Object::Node(n)) = world.store().get_ref(&r).cloned() else {
        return Output::err(api_error_text(&ApiError::not_found(Kind::Node, &node)));
    };
    let mut taints = n.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    let (mut added, mut removed) = (false, false);
    for p in parsed {
        match p {
            TaintSpec::Add(mut t) => {
                // A NoExecute taint records when it was added: tolerationSeconds count from it.
                if t.effect == "NoExecute" {
                    t.time_added = Some(world.now_time());
                }
                if let Some(existing) = taints.iter_mut().find(|e| e.key == t.key && e.effect == t.effect) {
                    if !args.flag("overwrite") {
                        return Output::err(format!(
                            "error: node {node} already has {} taint(s) with same effect(s) and --overwrite is false\n",
                            t.key
                        ));
                    }
                    *existing = t.clone();
                } else {
                    taints.push(t.clone());
                }
                added = true;
            }
            TaintSpec::Remove { key, effect } => {
                let before = taints.len();
                taints.retain(|t| !(t.key == key && effect.as_deref().is_none_or(|e| e == t.effect)));
                if taints.len() == before {
                    let shown = match &effect {
                        Some(e) => format!("{key}:{e}"),
                        None => key.clone(),
                    };
                    return Output::err(format!("error: taint {shown:?} not found\n"));
                }
                removed = true;
            }
        }
    }
    let value = if taints.is_empty() { serde_json::Value::Null } else { serde_json::to_value(&taints).unwrap_or_default() };
    match world.merge_patch(&r, &serde_json::json!({"spec": {"taints": value}})) {
        Ok(_) => {
            let verb = if added && removed {
                "modified"
            } else if added {
                "tainted"
            } else {
                "untainted"
            };
            Output::ok(format!("node/{node} {verb}\n"))
        }
        Err(e) => Output::err(api_error_text(&e)),
    }
}

/// What `kubectl wait --for=...` waits for.
enum WaitFor {
    /// `condition=Ready` (or `condition=Ready=false`): a status condition's status.
    Condition { kind: String, status: String },
    /// `jsonpath={.status.phase}=Running`.
    JsonPath { template: String, value: String },
    /// `delete`: the object is gone.
    Delete,
}

fn parse_wait_for(s: &str) -> Result<WaitFor, String> {
    if s == "delete" {
        return Ok(WaitFor::Delete);
    }
    if let Some(rest) = s.strip_prefix("condition=") {
        let (kind, status) = match rest.split_once('=') {
            Some((k, v)) => (k, v.to_string()),
            None => (rest, "true".to_string()),
        };
        return Ok(WaitFor::Condition { kind: kind.to_string(), status });
    }
    if let Some(rest) = s.strip_prefix("jsonpath=") {
        // `{.status.phase}=Running`: the template ends at its last closing brace.
        let Some(close) = rest.rfind('}') else { return Err(format!("unrecognized condition: {s:?}")) };
        let (template, value) = rest.split_at(close + 1);
        let value = value.strip_prefix('=').unwrap_or("");
        if value.is_empty() {
            return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3".into());
        }
        return Ok(WaitFor::JsonPath { template: template.to_string(), value: value.to_string() });
    }
    Err(format!("unrecognized condition: {s:?}"))
}

fn wait_met(obj: Option<&Object>, cond: &WaitFor) -> bool {
    match (cond, obj) {
        (WaitFor::Delete, o) => o.is_none(),
        (_, None) => false,
        (WaitFor::Condition { kind, status }, Some(o)) => {
            let v = o.to_value();
            v.pointer("/status/conditions").and_then(|c| c.as_array()).into_iter().flatten().any(|c| {
                c.get("type").and_then(|t| t.as_str()).is_some_and(|t| t.eq_ignore_ascii_case(kind))
                    && c.get("status").and_then(|s| s.as_str()).is_some_and(|s| s.eq_ignore_ascii_case(status))
            })
        }
        (WaitFor::JsonPath { template, value }, Some(o)) => {
            crate::jsonpath::render(template, &o.to_value()).is_ok_and(|got| got.trim() == value.as_str())
        }
    }
}

/// `kubectl wait (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) --for=... [--timeout=30s]`:
/// advances virtual time until each object meets the condition, or the timeout passes.
pub fn wait(world: &mut World, args: &Args) -> Output {
    let Some(for_text) = args.value("for") else {
        return Output::err("error: --for must be specified\n".into());
    };
    let cond = match parse_wait_for(for_text) {
        Ok(c) => c,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let timeout_ms = match timeout_flag(args, 30_000, 7 * 24 * 3_600_000) {
        Ok(ms) => ms,
        Err(e) => return Output::err(e),
    };
    let targets = match crate::exec::targets(&args.positional) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let refs = match crate::exec::object_refs(world, args, targets) {
        Ok(r) => r,
        Err(e) => return Output::err(e),
    };
    if refs.is_empty() {
        return Output::err("error: no matching resources found\n".into());
    }
    if !matches!(cond, WaitFor::Delete) {
        if let Some(missing) = refs.iter().find(|r| world.store().get_ref(r).is_none()) {
            return Output::err(api_error_text(&ApiError::not_found(missing.kind, &missing.name)));
        }
    }
    // Objects are waited for one after another, as kubectl does, sharing one deadline.
    let deadline = world.now_ms().saturating_add(timeout_ms);
    let mut out = String::new();
    for r in &refs {
        let mut steps = 0u32;
        while !wait_met(world.store().get_ref(r), &cond) {
            match world.next_deadline() {
                Some(t) if t <= deadline && steps < 200_000 => {
                    world.step();
                    steps += 1;
                }
                _ => {
                    world.run_for(deadline.saturating_sub(world.now_ms()), 200_000);
                    return Output {
                        stdout: out,
                        stderr: format!("error: timed out waiting for the condition on {}/{}\n", r.kind.info().plural, r.name),
                        exit_code: 1,
                        ..Output::default()
                    };
                }
            }
        }
        // kubectl prints `condition met` for every kind of wait, deletion included.
        let _ = writeln!(out, "{} condition met", qualified_name(r.kind, &r.name));
    }
    Output::ok(out)
}

/// The container kubectl picks when none is named (`FindOrDefaultContainerByName`): the one
/// the `kubectl.kubernetes.io/default-container` annotation names, else the first; and the
/// `Defaulted container ...` notice it prints when the pod has others to choose from.
pub fn default_container(pod: &k8s_openapi::api::core::v1::Pod) -> (String, String) {
    let spec = pod.spec.clone().unwrap_or_default();
    let annotated = pod.metadata.annotations.as_ref().and_then(|a| a.get("kubectl.kubernetes.io/default-container"));
    let all = spec.containers.iter().map(|c| &c.name).chain(spec.init_containers.iter().flatten().map(|c| &c.name));
    if let Some(name) = annotated.filter(|n| all.clone().any(|c| c == *n)) {
        return (name.clone(), String::new());
    }
    let first = spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
    let ephemeral = spec.ephemeral_containers.as_ref().map_or(0, Vec::len);
    let inits = spec.init_containers.as_ref().map_or(0, Vec::len);
    if spec.containers.len() > 1 || inits > 0 || ephemeral > 0 {
        let names: Vec<String> = spec
            .containers
            .iter()
            .map(|c| c.name.clone())
            .chain(spec.ephemeral_containers.iter().flatten().map(|c| format!("{} (ephem)", c.name)))
            .chain(spec.init_containers.iter().flatten().map(|c| format!("{} (init)", c.name)))
            .collect();
        return (first.clone(), format!("Defaulted container {first:?} out of: {}\n", names.join(", ")));
    }
    (first, String::new())
}
