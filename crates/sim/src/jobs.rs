//! The Job and CronJob controllers (`pkg/controller/job`, `pkg/controller/cronjob`): Jobs run
//! pods to `completions` with `parallelism`, retry failures with exponential back-off up to
//! `backoffLimit`, honour `activeDeadlineSeconds` and `ttlSecondsAfterFinished`, and report
//! SuccessCriteriaMet/Complete or FailureTarget/Failed. CronJobs create Jobs on a 5-field
//! cron schedule (parsed by croner), with concurrency policies and history limits.

use crate::events::EventType;
use crate::kinds::{Kind, Object};
use crate::replicaset::{controlled_pods, controller_ref, pod_ready};
use crate::store::ObjRef;
use crate::world::{ms_of, time_at, Outcome, World, Write};
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

const BACKOFF_START_MS: u64 = 10_000;
const BACKOFF_MAX_MS: u64 = 360_000;

fn has_condition(j: &batch::Job, ty: &str) -> bool {
    j.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|c| c.iter().any(|c| c.type_ == ty && c.status == "True"))
}

/// Whether a Job has finished (Complete or Failed).
pub fn finished(j: &batch::Job) -> Option<&'static str> {
    if has_condition(j, "Complete") {
        Some("Complete")
    } else if has_condition(j, "Failed") {
        Some("Failed")
    } else {
        None
    }
}

fn condition(ty: &str, reason: &str, message: &str, world: &World) -> batch::JobCondition {
    batch::JobCondition {
        type_: ty.into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_probe_time: Some(world.now_time()),
        last_transition_time: Some(world.now_time()),
    }
}

fn phase(p: &core::Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
}

/// The labels the API server gives a Job's selector and template (manualSelector unset).
pub fn job_labels(name: &str, uid: &str) -> BTreeMap<String, String> {
    [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Compresses sorted indexes into `0-2,5` form.
fn index_ranges(mut v: Vec<i64>) -> String {
    v.sort_unstable();
    v.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let start = v[i];
        let mut end = start;
        while i + 1 < v.len() && v[i + 1] == end + 1 {
            i += 1;
            end = v[i];
        }
        parts.push(if start == end { start.to_string() } else { format!("{start}-{end}") });
        i += 1;
    }
    parts.join(",")
}

/// `0,2-3` → [0, 2, 3] (the index-set syntax of `completedIndexes` and successPolicy).
fn parse_index_ranges(s: &str) -> Vec<i64> {
    let mut v = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
                    // Bounded: an index set never spans more than the Job's completions.
                    v.extend((a..=b).take(100_000));
                }
            }
            None => v.extend(part.parse::<i64>().ok()),
        }
    }
    v
}

/// The first pod failure policy rule a failed pod matches: its index, action and what
/// matched (`Container main for pod default/x failed with exit code 42`).
fn pod_failure_rule(policy: &k8s_openapi::api::batch::v1::PodFailurePolicy, p: &core::Pod) -> Option<(usize, String, String)> {
    let pod_name =
        format!("{}/{}", p.metadata.namespace.clone().unwrap_or_default(), p.metadata.name.clone().unwrap_or_default());
    let terminated: Vec<(String, i32)> = p
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|c| c.state.as_ref().and_then(|s| s.terminated.as_ref()).map(|t| (c.name.clone(), t.exit_code)))
        .collect();
    for (i, rule) in policy.rules.iter().enumerate() {
        if let Some(req) = &rule.on_exit_codes {
            let hit = terminated.iter().find(|(name, code)| {
                let name_ok = req.container_name.as_deref().is_none_or(|n| n == name);
                let in_set = req.values.contains(code);
                // Containers that succeeded are not considered.
                name_ok && *code != 0 && if req.operator == "In" { in_set } else { !in_set }
            });
            if let Some((name, code)) = hit {
                return Some((
                    i,
                    rule.action.clone(),
                    format!("Container {name} for pod {pod_name} failed with exit code {code}"),
                ));
            }
        }
        for pc in rule.on_pod_conditions.iter().flatten() {
            let has =
                p.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|cs| {
                    cs.iter().any(|c| c.type_ == pc.type_ && pc.status.as_deref().is_none_or(|s| s == c.status))
                });
            if has {
                return Some((i, rule.action.clone(), format!("Pod {pod_name} has condition {}", pc.type_)));
            }
        }
    }
    None
}

pub fn reconcile_job(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj @ Object::Job(job)) = world.store().get_ref(r) else { return out };
    if job.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let now = world.now_ms();
    let spec = job.spec.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    // Finished: only the TTL remains.
    if finished(job).is_some() {
        if let Some(ttl) = spec.ttl_seconds_after_finished {
            let done = job
                .status
                .as_ref()
                .and_then(|s| {
                    s.completion_time.as_ref().or(s
                        .conditions
                        .as_ref()
                        .and_then(|c| c.last())
                        .and_then(|c| c.last_transition_time.as_ref()))
                })
                .map_or(now, ms_of);
            let due = done + (ttl.max(0) as u64) * 1000;
            if now >= due {
                out.writes.push(Write::Delete(r.clone(), crate::api::Propagation::Background));
            } else {
                out.requeue_after_ms = Some(due - now);
            }
        }
        return out;
    }
    let pods = controlled_pods(world, &uid);
    let active: Vec<&core::Pod> = pods
        .iter()
        .copied()
        .filter(|p| p.metadata.deletion_timestamp.is_none() && phase(p) != "Succeeded" && phase(p) != "Failed")
        .collect();
    let terminating = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_some() && phase(p) != "Succeeded" && phase(p) != "Failed")
        .count() as i32;
    let succeeded_pods: Vec<&core::Pod> = pods.iter().copied().filter(|p| phase(p) == "Succeeded").collect();
    let failed_pods: Vec<&core::Pod> = pods.iter().copied().filter(|p| phase(p) == "Failed").collect();
    let restarts: i32 = pods
        .iter()
        .map(|p| {
            p.status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .map_or(0, |c| c.iter().map(|c| c.restart_count).sum::<i32>())
        })
        .sum();
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    let index_of = |p: &core::Pod| {
        p.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("batch.kubernetes.io/job-completion-index"))
            .and_then(|i| i.parse::<i64>().ok())
    };
    let succeeded_indexes: Vec<i64> = succeeded_pods.iter().filter_map(|p| index_of(p)).collect();
    let succeeded = if indexed {
        let mut s = succeeded_indexes.clone();
        s.sort_unstable();
        s.dedup();
        s.len() as i32
    } else {
        succeeded_pods.len() as i32
    };
    // The pod failure policy: the first rule a failed pod matches decides whether it fails
    // the Job, is ignored, or counts towards the backoff limit.
    let mut policy_failure: Option<String> = None;
    let mut ignored = 0i32;
    if let Some(policy) = &spec.pod_failure_policy {
        for p in &failed_pods {
            match pod_failure_rule(policy, p) {
                Some((i, action, detail)) if action == "FailJob" => {
                    policy_failure.get_or_insert(format!("{detail} matching FailJob rule at index {i}"));
                }
                Some((_, action, _)) if action == "Ignore" => ignored += 1,
                _ => {}
            }
        }
    }
    let failed = failed_pods.len() as i32 + restarts - ignored;
    // backoffLimitPerIndex: an index whose pods failed more than the limit is failed for
    // good (status.failedIndexes) and not retried.
    let per_index = spec.backoff_limit_per_index.filter(|_| indexed);
    let mut index_failures: BTreeMap<i64, i32> = BTreeMap::new();
    for p in &failed_pods {
        if let Some(i) = index_of(p) {
            *index_failures.entry(i).or_default() += 1;
        }
    }
    let failed_indexes: Vec<i64> = match per_index {
        Some(limit) => {
            index_failures.iter().filter(|(i, n)| **n > limit && !succeeded_indexes.contains(i)).map(|(i, _)| *i).collect()
        }
        None => vec![],
    };
    let mut st = job.status.clone().unwrap_or_default();
    if st.start_time.is_none() && spec.suspend != Some(true) {
        st.start_time = Some(world.now_time());
    }
    let start = st.start_time.as_ref().map_or(now, ms_of);
    let mut conds = st.conditions.clone().unwrap_or_default();
    let completions = spec.completions;
    let parallelism = spec.parallelism.unwrap_or(1).max(0);
    let name = r.name.clone();
    // Once decided, a Job's fate stays decided: FailureTarget / SuccessCriteriaMet hold
    // while its pods terminate, even when deleting them lowers the counts that decided it
    // (a restartPolicy: OnFailure pod takes its restarts with it).
    let decided: Option<(&str, String, String)> = conds.iter().filter(|c| c.status == "True").find_map(|c| {
        match c.type_.as_str() {
            "FailureTarget" => Some("Failed"),
            "SuccessCriteriaMet" => Some("Complete"),
            _ => None,
        }
        .map(|ty| (ty, c.reason.clone().unwrap_or_default(), c.message.clone().unwrap_or_default()))
    });
    let mut finish: Option<(&str, &str, String)> = decided.as_ref().map(|(ty, reason, msg)| (*ty, reason.as_str(), msg.clone()));
    if let Some(msg) = policy_failure.filter(|_| finish.is_none()) {
        finish = Some(("Failed", "PodFailurePolicy", msg));
    }
    if let Some(deadline) = spec.active_deadline_seconds.filter(|_| finish.is_none()) {
        let due = start + (deadline.max(0) as u64) * 1000;
        if now >= due {
            finish = Some(("Failed", "DeadlineExceeded", "Job was active longer than specified deadline".into()));
        } else {
            out.requeue_after_ms = Some(due - now);
        }
    }
    if let Some(max) = spec.max_failed_indexes.filter(|_| per_index.is_some() && finish.is_none()) {
        if failed_indexes.len() as i32 > max {
            finish = Some((
                "Failed",
                "MaxFailedIndexesExceeded",
                "Job has exceeded the specified maximal number of failed indexes".into(),
            ));
        }
    }
    if finish.is_none() && failed > spec.backoff_limit.unwrap_or(6) {
        finish = Some(("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit".into()));
    }
    // successPolicy (Indexed Jobs): the first rule the succeeded indexes satisfy.
    if let Some(rules) = spec.success_policy.as_ref().map(|p| &p.rules).filter(|_| indexed && finish.is_none()) {
        for (i, rule) in rules.iter().enumerate() {
            let met = match (&rule.succeeded_indexes, rule.succeeded_count) {
                (Some(set), count) => {
                    let wanted = parse_index_ranges(set);
                    let done = wanted.iter().filter(|w| succeeded_indexes.contains(w)).count() as i32;
                    match count {
                        Some(c) => done >= c,
                        None => !wanted.is_empty() && done == wanted.len() as i32,
                    }
                }
                (None, Some(c)) => succeeded >= c,
                (None, None) => false,
            };
            if met {
                finish = Some(("Complete", "SuccessPolicy", format!("Matched rules at index {i}")));
                break;
            }
        }
    }
    let complete = match completions {
        Some(c) => succeeded >= c,
        None => succeeded >= 1 && active.is_empty(),
    };
    if finish.is_none() && complete {
        finish = Some(("Complete", "CompletionsReached", "Reached expected number of succeeded pods".into()));
    }
    // Every index succeeded or failed, some failed: the Job fails.
    if finish.is_none()
        && !failed_indexes.is_empty()
        && active.is_empty()
        && completions.is_some_and(|c| succeeded + failed_indexes.len() as i32 >= c)
    {
        finish = Some(("Failed", "FailedIndexes", "Job has failed indexes".into()));
    }
    if let Some((ty, reason, message)) = finish {
        let message = message.as_str();
        for p in &active {
            out.writes.push(Write::Delete(ObjRef::of_pod(p), crate::api::Propagation::Background));
        }
        let interim = if ty == "Complete" { "SuccessCriteriaMet" } else { "FailureTarget" };
        if !conds.iter().any(|c| c.type_ == interim) {
            conds.push(condition(interim, reason, message, world));
        }
        // The terminal condition repeats the interim one's reason and message.
        let (reason, message) = conds
            .iter()
            .find(|c| c.type_ == interim)
            .map(|c| (c.reason.clone().unwrap_or_default(), c.message.clone().unwrap_or_default()))
            .unwrap_or_else(|| (reason.to_string(), message.to_string()));
        let (reason, message) = (reason.as_str(), message.as_str());
        // The terminal condition waits until every pod has terminated (Kubernetes 1.31+:
        // FailureTarget / SuccessCriteriaMet first, then Failed / Complete).
        if active.is_empty() && terminating == 0 && !conds.iter().any(|c| c.type_ == ty) {
            conds.push(condition(ty, reason, message, world));
            if ty == "Complete" {
                st.completion_time = Some(world.now_time());
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Normal,
                    reason: "Completed".into(),
                    message: "Job completed".into(),
                    component: "job-controller".into(),
                });
            } else {
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Warning,
                    reason: reason.into(),
                    message: message.into(),
                    component: "job-controller".into(),
                });
            }
            if let Some(ttl) = spec.ttl_seconds_after_finished {
                out.requeue_after_ms = Some((ttl.max(0) as u64) * 1000);
            }
        }
    } else if spec.suspend == Some(true) {
        for p in &active {
            out.writes.push(Write::Delete(ObjRef::of_pod(p), crate::api::Propagation::Background));
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Normal,
                reason: "SuccessfulDelete".into(),
                message: format!("Deleted pod: {}", p.metadata.name.clone().unwrap_or_default()),
                component: "job-controller".into(),
            });
        }
        if !conds.iter().any(|c| c.type_ == "Suspended" && c.status == "True") {
            conds.retain(|c| c.type_ != "Suspended");
            conds.push(condition("Suspended", "JobSuspended", "Job suspended", world));
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Normal,
                reason: "Suspended".into(),
                message: "Job suspended".into(),
                component: "job-controller".into(),
            });
        }
    } else {
        // Resumed: the Suspended condition stays, now False, and the clock starts again.
        // Its event follows the pods' creation (syncJob's manageJob runs first).
        let mut resumed_event = None;
        if let Some(c) = conds.iter_mut().find(|c| c.type_ == "Suspended" && c.status == "True") {
            c.status = "False".into();
            c.reason = Some("JobResumed".into());
            c.message = Some("Job resumed".into());
            c.last_transition_time = Some(world.now_time());
            c.last_probe_time = Some(world.now_time());
            st.start_time = Some(world.now_time());
            resumed_event = Some(Write::Event {
                about: r.clone(),
                ty: EventType::Normal,
                reason: "Resumed".into(),
                message: "Job resumed".into(),
                component: "job-controller".into(),
            });
        }
        let remaining = match completions {
            Some(c) => (c - succeeded - active.len() as i32 - failed_indexes.len() as i32).max(0),
            None => {
                if succeeded > 0 {
                    0
                } else {
                    parallelism - active.len() as i32
                }
            }
        };
        let want_new = (parallelism - active.len() as i32).min(remaining).max(0);
        // Back-off after failures: 10 s doubling, capped at 6 min, from the last failure.
        let last_failure = failed_pods
            .iter()
            .filter_map(|p| {
                p.status
                    .as_ref()
                    .and_then(|s| s.container_statuses.as_ref())
                    .and_then(|c| c.first())
                    .and_then(|c| c.state.as_ref())
                    .and_then(|s| s.terminated.as_ref())
                    .and_then(|t| t.finished_at.as_ref())
                    .map(ms_of)
            })
            .max();
        // With backoffLimitPerIndex the delay counts the failures of the index to retry.
        let next_index = (0..i64::from(completions.unwrap_or(1))).find(|i| {
            !active.iter().any(|p| index_of(p) == Some(*i)) && !succeeded_indexes.contains(i) && !failed_indexes.contains(i)
        });
        let failures = match (per_index, next_index) {
            (Some(_), Some(i)) => index_failures.get(&i).copied().unwrap_or(0) as usize,
            _ => failed_pods.len(),
        };
        let wait_until = match (failures, last_failure) {
            (0, _) | (_, None) => now,
            (n, Some(t)) => t + (BACKOFF_START_MS << (n - 1).min(6) as u32).min(BACKOFF_MAX_MS),
        };
        if want_new > 0 && now < wait_until {
            out.requeue_after_ms = Some(wait_until - now);
        } else if want_new > 0 {
            let mut taken: Vec<i64> = active
                .iter()
                .filter_map(|p| index_of(p))
                .chain(succeeded_indexes.iter().copied())
                .chain(failed_indexes.iter().copied())
                .collect();
            taken.sort_unstable();
            let template = spec.template.clone();
            for _ in 0..want_new {
                let mut pod = crate::replicaset::pod_from_template(obj, &template, &format!("{name}-"));
                if indexed {
                    let idx = (0..i64::from(completions.unwrap_or(1))).find(|i| !taken.contains(i)).unwrap_or(0);
                    taken.push(idx);
                    pod.metadata.generate_name = Some(format!("{name}-{idx}-"));
                    pod.metadata
                        .annotations
                        .get_or_insert_with(BTreeMap::new)
                        .insert("batch.kubernetes.io/job-completion-index".into(), idx.to_string());
                    pod.metadata
                        .labels
                        .get_or_insert_with(BTreeMap::new)
                        .insert("batch.kubernetes.io/job-completion-index".into(), idx.to_string());
                    if let Some(s) = pod.spec.as_mut() {
                        s.hostname = Some(format!("{name}-{idx}"));
                        // The job controller's addCompletionIndexEnvVariables: init containers
                        // and containers read the index from the pod's annotation (unless they
                        // define the variable themselves).
                        for c in s.init_containers.iter_mut().flatten().chain(s.containers.iter_mut()) {
                            let env = c.env.get_or_insert_with(Vec::new);
                            if env.iter().any(|e| e.name == "JOB_COMPLETION_INDEX") {
                                continue;
                            }
                            env.push(core::EnvVar {
                                name: "JOB_COMPLETION_INDEX".into(),
                                value: None,
                                value_from: Some(core::EnvVarSource {
                                    field_ref: Some(core::ObjectFieldSelector {
                                        api_version: Some("v1".into()),
                                        field_path: "metadata.annotations['batch.kubernetes.io/job-completion-index']".into(),
                                    }),
                                    ..Default::default()
                                }),
                            });
                        }
                    }
                }
                out.writes.push(Write::CreateAndRecord {
                    obj: Object::from(pod),
                    about: r.clone(),
                    reason: "SuccessfulCreate".into(),
                    message_prefix: "Created pod: ".into(),
                    message_suffix: String::new(),
                    failure_prefix: "Error creating: ".into(),
                    component: "job-controller".into(),
                });
            }
        }
        out.writes.extend(resumed_event);
    }
    st.active = Some(active.len() as i32).filter(|x| *x > 0);
    st.succeeded = Some(succeeded).filter(|x| *x > 0);
    st.failed = Some(failed).filter(|x| *x > 0);
    st.ready = Some(active.iter().filter(|p| pod_ready(p)).count() as i32);
    st.terminating = Some(terminating);
    st.uncounted_terminated_pods = Some(Default::default());
    if indexed && !succeeded_indexes.is_empty() {
        st.completed_indexes = Some(index_ranges(succeeded_indexes));
    }
    if per_index.is_some() {
        st.failed_indexes = Some(index_ranges(failed_indexes));
    }
    st.conditions = if conds.is_empty() { None } else { Some(conds) };
    if job.status.as_ref() != Some(&st) {
        let mut next = job.clone();
        next.status = Some(st);
        out.writes.push(Write::UpdateStatus(Object::Job(next)));
    }
    out
}

/// A parsed CronJob schedule: a cron expression, or robfig/cron's `@every DURATION`.
#[derive(Clone, Debug)]
pub enum Schedule {
    Cron(Box<croner::Cron>),
    /// `@every 15m`: a constant delay, in ms.
    Every(u64),
}

/// robfig/cron reads `N/step` as `N-max/step`; croner wants the range spelled out.
fn expand_single_steps(fields: &[&str]) -> String {
    const MAX: [u32; 5] = [59, 23, 31, 12, 6];
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.split(',')
                .map(|part| match part.split_once('/') {
                    Some((start, step)) if !start.contains('-') && start != "*" && start.parse::<u32>().is_ok() => {
                        format!("{start}-{}/{step}", MAX[i.min(4)])
                    }
                    _ => part.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a CronJob schedule as robfig/cron's ParseStandard does: 5 fields, names, ranges,
/// steps (`N/step` included), @-macros and `@every DURATION`. Errors use robfig/cron's
/// words where kubeplay can match them (the field count), as the API server quotes them.
pub fn parse_schedule(s: &str) -> Result<Schedule, String> {
    let t = s.trim();
    if let Some(d) = t.strip_prefix("@every ") {
        // robfig/cron's Every: delays under a second become a second.
        return match crate::world::parse_duration(d.trim()) {
            Some(ms) => Ok(Schedule::Every(ms.max(1000))),
            None => Err(format!("failed to parse duration {t}: time: invalid duration \"{}\"", d.trim())),
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if !t.starts_with('@') && fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    let text = if t.starts_with('@') { t.to_string() } else { expand_single_steps(&fields) };
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Disallowed)
        .build()
        .parse(&text)
        .map(|c| Schedule::Cron(Box::new(c)))
        .map_err(|e| e.to_string())
}

fn civil(ms: u64) -> k8s_openapi::jiff::civil::DateTime {
    time_at(ms).0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC).datetime()
}

fn civil_ms(dt: &k8s_openapi::jiff::civil::DateTime) -> Option<u64> {
    let ts = dt.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC).ok()?.timestamp();
    u64::try_from(ts.as_millisecond() - crate::world::EPOCH_UNIX_MS).ok()
}

/// The next scheduled time strictly after `after_ms`, in virtual ms.
pub fn next_after(schedule: &Schedule, after_ms: u64) -> Option<u64> {
    match schedule {
        Schedule::Cron(cron) => {
            let t = cron.find_next_occurrence(&civil(after_ms), false).ok()?;
            civil_ms(&t)
        }
        // ConstantDelaySchedule: the time rounded down to the second, plus the delay.
        Schedule::Every(ms) => Some(after_ms / 1000 * 1000 + ms),
    }
}

pub fn reconcile_cronjob(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(obj @ Object::CronJob(cj)) = world.store().get_ref(r) else { return out };
    if cj.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let now = world.now_ms();
    let spec = cj.spec.clone().unwrap_or_default();
    let uid = cj.metadata.uid.clone().unwrap_or_default();
    let mut st = cj.status.clone().unwrap_or_default();
    let jobs: Vec<&batch::Job> = world
        .store()
        .dependents_of(&uid)
        .filter(|x| x.kind == Kind::Job)
        .filter_map(|x| match world.store().get_ref(x) {
            Some(Object::Job(j)) => Some(&**j),
            _ => None,
        })
        .collect();
    let active: Vec<&batch::Job> =
        jobs.iter().copied().filter(|j| finished(j).is_none() && j.metadata.deletion_timestamp.is_none()).collect();
    // Finished jobs leave the active list; the newest success is recorded.
    for j in &jobs {
        if let Some(how) = finished(j) {
            let jname = j.metadata.name.clone().unwrap_or_default();
            let was_active = st.active.iter().flatten().any(|a| a.name.as_deref() == Some(jname.as_str()));
            if was_active {
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Normal,
                    reason: "SawCompletedJob".into(),
                    message: format!("Saw completed job: {jname}, condition: {how}"),
                    component: "cronjob-controller".into(),
                });
                if how == "Complete" {
                    st.last_successful_time = j.status.as_ref().and_then(|s| s.completion_time.clone());
                }
            }
        }
    }
    // History limits: oldest finished jobs beyond 3 successful / 1 failed go.
    for (how, limit) in
        [("Complete", spec.successful_jobs_history_limit.unwrap_or(3)), ("Failed", spec.failed_jobs_history_limit.unwrap_or(1))]
    {
        let mut done: Vec<&batch::Job> =
            jobs.iter().copied().filter(|j| finished(j) == Some(how) && j.metadata.deletion_timestamp.is_none()).collect();
        done.sort_by_key(|j| (j.status.as_ref().and_then(|s| s.start_time.as_ref()).map_or(0, ms_of), j.metadata.name.clone()));
        let extra = done.len().saturating_sub(limit.max(0) as usize);
        for j in done.into_iter().take(extra) {
            let jname = j.metadata.name.clone().unwrap_or_default();
            out.writes.push(Write::Delete(ObjRef::new(Kind::Job, &r.namespace, &jname), crate::api::Propagation::Background));
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Normal,
                reason: "SuccessfulDelete".into(),
                message: format!("Deleted job {jname}"),
                component: "cronjob-controller".into(),
            });
        }
    }
    let cron = match parse_schedule(&spec.schedule) {
        Ok(c) => c,
        Err(e) => {
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Warning,
                reason: "UnparseableSchedule".into(),
                message: format!("unparseable schedule: {:?} : {e}", spec.schedule),
                component: "cronjob-controller".into(),
            });
            return out;
        }
    };
    if spec.time_zone.as_deref().is_some_and(|z| z != "UTC" && z != "Etc/UTC") {
        out.writes.push(Write::Event {
            about: r.clone(),
            ty: EventType::Warning,
            reason: "TimeZoneNotSimulated".into(),
            message: format!(
                "kubeplay runs CronJob schedules in UTC; time zone {:?} is not simulated",
                spec.time_zone.clone().unwrap_or_default()
            ),
            component: "kubeplay".into(),
        });
    }
    st.active = if active.is_empty() {
        None
    } else {
        Some(
            active
                .iter()
                .map(|j| core::ObjectReference {
                    api_version: Some("batch/v1".into()),
                    kind: Some("Job".into()),
                    name: j.metadata.name.clone(),
                    namespace: j.metadata.namespace.clone(),
                    uid: j.metadata.uid.clone(),
                    resource_version: j.metadata.resource_version.clone(),
                    field_path: None,
                })
                .collect(),
        )
    };
    let since =
        st.last_schedule_time.as_ref().map(ms_of).unwrap_or_else(|| cj.metadata.creation_timestamp.as_ref().map_or(now, ms_of));
    // The most recent missed time (≤ now), counting how many were missed.
    let mut scheduled = None;
    let mut missed = 0u32;
    let mut t = since;
    while let Some(n) = next_after(&cron, t) {
        if n > now {
            break;
        }
        scheduled = Some(n);
        missed += 1;
        t = n;
        if missed > 100 {
            break;
        }
    }
    if let Some(next) = next_after(&cron, now) {
        out.requeue_after_ms = Some(next - now);
    }
    if let Some(sched) = scheduled.filter(|_| !spec.suspend.unwrap_or(false)) {
        let too_late = spec.starting_deadline_seconds.is_some_and(|d| now > sched + (d.max(0) as u64) * 1000);
        if missed > 100 && spec.starting_deadline_seconds.is_none() {
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Warning,
                reason: "TooManyMissedTimes".into(),
                message: "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".into(),
                component: "cronjob-controller".into(),
            });
        } else if too_late {
            out.writes.push(Write::Event {
                about: r.clone(),
                ty: EventType::Warning,
                reason: "MissSchedule".into(),
                message: format!("Missed scheduled time to start a job: {}", time_at(sched).0.strftime("%Y-%m-%dT%H:%M:%SZ")),
                component: "cronjob-controller".into(),
            });
            st.last_schedule_time = Some(time_at(sched));
        } else {
            let policy = spec.concurrency_policy.clone().unwrap_or_else(|| "Allow".into());
            if policy == "Forbid" && !active.is_empty() {
                out.writes.push(Write::Event {
                    about: r.clone(),
                    ty: EventType::Normal,
                    reason: "JobAlreadyActive".into(),
                    message: "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                    component: "cronjob-controller".into(),
                });
                st.last_schedule_time = Some(time_at(sched));
            } else {
                if policy == "Replace" {
                    for j in &active {
                        let jname = j.metadata.name.clone().unwrap_or_default();
                        out.writes.push(Write::Delete(
                            ObjRef::new(Kind::Job, &r.namespace, &jname),
                            crate::api::Propagation::Background,
                        ));
                        out.writes.push(Write::Event {
                            about: r.clone(),
                            ty: EventType::Normal,
                            reason: "SuccessfulDelete".into(),
                            message: format!("Deleted job {jname}"),
                            component: "cronjob-controller".into(),
                        });
                    }
                }
                let jname = format!("{}-{}", r.name, (crate::world::EPOCH_UNIX_MS as u64 + sched) / 60_000);
                let jt = spec.job_template.clone();
                let jm = jt.metadata.clone().unwrap_or_default();
                let mut ann = jm.annotations.clone().unwrap_or_default();
                ann.insert(
                    "batch.kubernetes.io/cronjob-scheduled-timestamp".into(),
                    time_at(sched).0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                );
                let job = batch::Job {
                    metadata: ObjectMeta {
                        name: Some(jname.clone()),
                        namespace: Some(r.namespace.clone()),
                        labels: jm.labels.clone(),
                        annotations: Some(ann),
                        owner_references: Some(vec![controller_ref(obj)]),
                        ..Default::default()
                    },
                    spec: jt.spec.clone(),
                    status: None,
                };
                if world.store().get(Kind::Job, &r.namespace, &jname).is_none() {
                    out.writes.push(Write::Create(Object::from(job)));
                    out.writes.push(Write::Event {
                        about: r.clone(),
                        ty: EventType::Normal,
                        reason: "SuccessfulCreate".into(),
                        message: format!("Created job {jname}"),
                        component: "cronjob-controller".into(),
                    });
                }
                st.last_schedule_time = Some(time_at(sched));
            }
        }
    }
    if cj.status.as_ref() != Some(&st) {
        let mut next = cj.clone();
        next.status = Some(st);
        out.writes.push(Write::UpdateStatus(Object::CronJob(next)));
    }
    out
}
