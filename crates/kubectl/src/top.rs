//! `kubectl top pod|node`: usage from the simulated metrics-server (`kubeplay_sim::metrics`,
//! modelled figures), printed as kubectl's metrics printer does: every cell tab-terminated,
//! so every column, the last included, is padded.

use crate::args::Args;
use crate::Output;
use kubeplay_sim::metrics::{self, Usage};
use kubeplay_sim::selectors::Selector;
use kubeplay_sim::{Kind, Object, World};
use std::collections::BTreeMap;

/// Pads every cell, the last one too (each is tab-terminated in kubectl's metrics printer).
fn render(rows: &[Vec<String>]) -> String {
    crate::table::render_cells(rows, true)
}

fn cpu(u: &Usage) -> String {
    format!("{}m", u.cpu_m)
}

fn mem(u: &Usage) -> String {
    format!("{}Mi", u.memory / (1024 * 1024))
}

/// `kubectl top pod [NAME] [-n NS | -A] [-l SELECTOR] [--containers] [--sort-by=cpu|memory]`.
pub fn top(world: &World, args: &Args) -> Output {
    let Some(what) = args.positional.first().map(String::as_str) else {
        return Output::err("error: Required resource not specified.\nUse \"kubectl top --help\" for usage.\n".into());
    };
    if !metrics::api_available(world) {
        return Output::err("error: Metrics API not available\n".into());
    }
    match what {
        "pod" | "pods" | "po" => pods(world, args),
        "node" | "nodes" | "no" => nodes(world, args),
        other => Output::err(format!("error: unknown command \"{other}\" for \"kubectl top\"\n")),
    }
}

fn sort(rows: &mut [(Vec<String>, Usage)], args: &Args) -> Result<(), String> {
    match args.value("sort-by") {
        None => {}
        Some("cpu") => rows.sort_by_key(|r| std::cmp::Reverse(r.1.cpu_m)),
        Some("memory") => rows.sort_by_key(|r| std::cmp::Reverse(r.1.memory)),
        Some(other) => return Err(format!("error: --sort-by accepts only cpu or memory, not {other:?}\n")),
    }
    Ok(())
}

fn pods(world: &World, args: &Args) -> Output {
    let all = args.flag("all-namespaces");
    let ns = crate::exec::namespace(args);
    let sel = match args.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let name = args.positional.get(1);
    let mut found: Vec<&k8s_openapi::api::core::v1::Pod> = world
        .store()
        .list(Kind::Pod, if all { None } else { Some(ns.as_str()) })
        .filter_map(|o| match o {
            Object::Pod(p) => Some(&**p),
            _ => None,
        })
        .filter(|p| name.is_none_or(|n| p.metadata.name.as_ref() == Some(n)))
        .filter(|p| sel.as_ref().is_none_or(|s| s.matches(p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))))
        .collect();
    found.retain(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"));
    // A named pod's metrics come from the metrics API (PodMetricses(ns).Get(name)): until
    // metrics-server has scraped it, that is the API's NotFound.
    let no_metrics = |n: &str| {
        let pns = if all { "default" } else { ns.as_str() };
        Output::err(format!("Error from server (NotFound): podmetrics.metrics.k8s.io \"{pns}/{n}\" not found\n"))
    };
    if let Some(n) = name {
        if found.is_empty() {
            return no_metrics(n);
        }
    }
    let containers = args.flag("containers");
    let mut rows: Vec<(Vec<String>, Usage)> = Vec::new();
    for p in &found {
        let pname = p.metadata.name.clone().unwrap_or_default();
        let pns = p.metadata.namespace.clone().unwrap_or_default();
        let Some(cs) = metrics::containers(world, p) else {
            if let Some(n) = name {
                return no_metrics(n);
            }
            continue;
        };
        let lead = |mut v: Vec<String>| {
            if all {
                v.insert(0, pns.clone());
            }
            v
        };
        if containers {
            for (c, u) in cs {
                rows.push((lead(vec![pname.clone(), c, cpu(&u), mem(&u)]), u));
            }
        } else {
            let u = cs.iter().fold(Usage::default(), |a, (_, u)| Usage { cpu_m: a.cpu_m + u.cpu_m, memory: a.memory + u.memory });
            rows.push((lead(vec![pname, cpu(&u), mem(&u)]), u));
        }
    }
    if rows.is_empty() {
        return if all {
            Output::err("No resources found\n".into())
        } else {
            Output::err(format!("No resources found in {ns} namespace.\n"))
        };
    }
    if let Err(e) = sort(&mut rows, args) {
        return Output::err(e);
    }
    let mut header: Vec<String> =
        if containers { vec!["POD", "NAME"] } else { vec!["NAME"] }.into_iter().map(String::from).collect();
    header.extend(["CPU(cores)".to_string(), "MEMORY(bytes)".to_string()]);
    if all {
        header.insert(0, "NAMESPACE".into());
    }
    let mut table = vec![header];
    table.extend(rows.into_iter().map(|(r, _)| r));
    Output::ok(render(&table))
}

fn nodes(world: &World, args: &Args) -> Output {
    let name = args.positional.get(1);
    let sel = match args.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let mut rows: Vec<(Vec<String>, Usage)> = Vec::new();
    let mut matched = 0;
    for o in world.store().list(Kind::Node, None) {
        let Object::Node(n) = o else { continue };
        let nname = n.metadata.name.clone().unwrap_or_default();
        if name.is_some_and(|x| *x != nname) {
            continue;
        }
        if sel.as_ref().is_some_and(|s| !s.matches(n.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))) {
            continue;
        }
        matched += 1;
        let (alloc, _) = kubeplay_sim::scheduler::parse_allocatable(n);
        match metrics::node(world, n) {
            Some(u) => {
                let pct = |v: u64, of: i64| if of <= 0 { 0 } else { v * 100 / of as u64 };
                rows.push((
                    vec![
                        nname,
                        cpu(&u),
                        format!("{}%", pct(u.cpu_m, alloc.cpu_m)),
                        mem(&u),
                        format!("{}%", pct(u.memory, alloc.mem)),
                    ],
                    u,
                ));
            }
            // A node the metrics API has nothing for.
            None => rows.push((
                vec![nname, "<unknown>".into(), "<unknown>".into(), "<unknown>".into(), "<unknown>".into()],
                Usage::default(),
            )),
        }
    }
    if let Some(n) = name {
        if matched == 0 {
            return Output::err(format!("Error from server (NotFound): nodes \"{n}\" not found\n"));
        }
    }
    // kubectl's top node: no node metrics at all (metrics-server's first scrape is still to
    // come) is an error; nodes missing among others show <unknown>.
    if matched > 0 && rows.iter().all(|(r, _)| r[1] == "<unknown>") {
        return Output::err("error: metrics not available yet\n".into());
    }
    if let Err(e) = sort(&mut rows, args) {
        return Output::err(e);
    }
    let mut table = vec![["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"].iter().map(|s| s.to_string()).collect()];
    table.extend(rows.into_iter().map(|(r, _)| r));
    Output::ok(render(&table))
}
