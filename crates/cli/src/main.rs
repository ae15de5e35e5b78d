//! The native `kubeplay` command: runs scripts of kubectl commands against a simulated
//! cluster and prints kubectl's output, prints state hashes, and (later) lesson tools.

use std::process::ExitCode;

/// mimalloc for the native command: the simulator allocates and frees many small objects
/// (k8s-openapi structs and their strings), where glibc's malloc spent a fifth of the
/// benchmark's time. The browser build keeps Rust's default allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kubeplay_cli::script;

const USAGE: &str = "usage:
  kubeplay script FILE|- [--seed N] [--nodes N] [--ingress traefik|nginx]
                                                  run a script, printing each command and its output
  kubeplay hash FILE|- [--seed N] [--nodes N] [--ingress traefik|nginx]
                                                  run a script silently, then print the state hash

  kubeplay lesson verify PATH                    check every reference solution passes and every
                                                 known-wrong answer fails with its feedback
  kubeplay lesson check DIR --step N [--file answer.yaml] [--commands cmds.txt] [--seed N]
                                                 judge an answer to one step and print the verdict
  kubeplay demo check FILE...                    rehearse demo scripts: report every step that
                                                 fails or misses its `expect`, and the state hash
  kubeplay demo run FILE                         print a demo's transcript

A script line is a command as the browser terminal takes it (`kubectl ...`), `sleep 30s`
(advance virtual time), `settle` (run until nothing changes), or a `# comment`.
`kubectl apply -f - <<EOF` takes the lines up to `EOF` as standard input.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let Some(cmd) = args.first() else {
        return Err(USAGE.into());
    };
    if cmd == "lesson" {
        return lesson(&args[1..]);
    }
    if cmd == "demo" {
        return demo(&args[1..]);
    }
    if cmd == "bench" {
        // kubeplay bench NODES PODS: one timed run, as a JSON line for `cargo xtask bench`.
        let nodes: u32 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(100);
        let pods: u32 = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1000);
        let r = kubeplay_cli::bench::run(nodes, pods);
        return Ok(format!(
            "{{\"nodes\":{},\"pods\":{},\"boot_seconds\":{:.4},\"seconds\":{:.4},\"events\":{},\"running\":{},\"pods_per_second\":{:.1},\"peak_rss_mib\":{:.1}}}\n",
            r.nodes,
            r.pods,
            r.boot_seconds,
            r.seconds,
            r.events,
            r.running,
            f64::from(r.pods) / r.seconds.max(1e-9),
            peak_rss_mib()
        ));
    }
    if cmd == "bench-lessons" {
        // Verdict latency for every bundled lesson step's first solution.
        let path = args.get(1).map(String::as_str).unwrap_or("lessons");
        let lessons = kubeplay_lessons::load::load(std::path::Path::new(path)).map_err(|e| format!("{e:?}\n"))?;
        let mut ms = kubeplay_cli::bench::lesson_latencies(&lessons);
        ms.sort_by(f64::total_cmp);
        let pick = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        return Ok(format!(
            "{{\"steps\":{},\"p50_ms\":{:.2},\"p95_ms\":{:.2},\"max_ms\":{:.2}}}\n",
            ms.len(),
            pick(0.5),
            pick(0.95),
            pick(1.0)
        ));
    }
    let mut opts = script::Options::default();
    let mut file = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        let mut value = |name: &str| -> Result<u64, String> {
            i += 1;
            args.get(i).and_then(|v| v.parse().ok()).ok_or_else(|| format!("kubeplay: {name} needs a whole number\n"))
        };
        match a.as_str() {
            "--seed" => opts.seed = value("--seed")?,
            "--nodes" => opts.nodes = u32::try_from(value("--nodes")?).map_err(|_| "kubeplay: --nodes is too large\n")?,
            "--ingress" => {
                i += 1;
                let v = args.get(i).map(String::as_str).unwrap_or("");
                opts.ingress = kubeplay_sim::topology::IngressController::parse(v)
                    .ok_or_else(|| format!("kubeplay: --ingress takes traefik or nginx, not {v:?}\n"))?;
            }
            "-h" | "--help" => return Ok(USAGE.into()),
            other if file.is_none() => file = Some(other.to_string()),
            other => return Err(format!("kubeplay: unexpected argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    match cmd.as_str() {
        "script" | "hash" => {
            let file = file.ok_or_else(|| format!("kubeplay: {cmd} needs a FILE (or - for standard input)\n"))?;
            let (text, base) = script::read_script(&file)?;
            let result = script::run_script(&text, &base, &opts);
            if cmd == "hash" {
                Ok(format!("{:016x}\n", result.hash))
            } else {
                Ok(result.transcript)
            }
        }
        "-h" | "--help" | "help" => Ok(USAGE.into()),
        other => Err(format!("kubeplay: unknown command {other:?}\n{USAGE}")),
    }
}

/// The process's peak resident memory (VmHWM), in MiB; 0 where /proc is not available.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `kubeplay demo check FILE...` / `kubeplay demo run FILE`.
fn demo(args: &[String]) -> Result<String, String> {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let files = &args[1.min(args.len())..];
    if !matches!(sub, "check" | "run") || files.is_empty() {
        return Err(format!("kubeplay demo: expected `check FILE...` or `run FILE`\n{USAGE}"));
    }
    let mut out = String::new();
    let mut failed = 0;
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("kubeplay: cannot read {f}: {e}\n"))?;
        let d = kubeplay_lessons::demo::parse(&text).map_err(|e| format!("{f}: {e}\n"))?;
        let r = kubeplay_lessons::demo::rehearse(&d);
        if sub == "run" {
            out.push_str(&r.transcript);
            continue;
        }
        if r.problems.is_empty() {
            out.push_str(&format!("ok   {f}: {} steps, state hash {:016x}\n", d.steps.len(), r.hash));
        } else {
            failed += 1;
            for p in &r.problems {
                out.push_str(&format!("FAIL {f} step {} `{}`: {}\n", p.step, p.line, p.message));
            }
        }
    }
    if sub == "run" {
        return Ok(out);
    }
    let summary = format!("demos: {} passed, {failed} failed\n", files.len() - failed);
    if failed > 0 {
        return Err(format!("{out}{summary}"));
    }
    Ok(format!("{out}{summary}"))
}

/// `kubeplay lesson verify|check ...`.
fn lesson(args: &[String]) -> Result<String, String> {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let path = args.get(1).ok_or_else(|| format!("kubeplay lesson {sub}: a PATH is required\n{USAGE}"))?;
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let lessons = kubeplay_lessons::load::load(std::path::Path::new(path)).map_err(|errs| {
        let mut s = format!("kubeplay: {path} is not a valid lesson or pack:\n");
        for e in errs {
            s.push_str(&format!("  - {e}\n"));
        }
        s
    })?;
    match sub {
        "verify" => {
            let report = kubeplay_lessons::verify::verify(&lessons);
            let mut out = String::new();
            for l in &report.lines {
                out.push_str(l);
                out.push('\n');
            }
            for f in &report.failures {
                out.push_str(&format!("\n{f}\n"));
            }
            let failed = report.lines.iter().filter(|l| l.starts_with("FAIL")).count();
            out.push_str(&format!("lessons: {} passed, {failed} failed\n", report.lines.len() - failed));
            if failed > 0 {
                Err(out)
            } else {
                Ok(out)
            }
        }
        "check" => {
            let lesson = lessons.first().ok_or("no lesson")?;
            let step: usize = flag("--step")
                .and_then(|s| s.parse().ok())
                .filter(|s: &usize| *s >= 1)
                .ok_or("kubeplay lesson check: --step N (from 1) is required\n")?;
            let read = |p: Option<String>| -> Result<Option<String>, String> {
                match p {
                    Some(p) => std::fs::read_to_string(&p).map(Some).map_err(|e| format!("kubeplay: cannot read {p}: {e}\n")),
                    None => Ok(None),
                }
            };
            let yaml = read(flag("--file"))?;
            let commands: Vec<String> =
                read(flag("--commands"))?.map(|t| t.lines().map(String::from).collect()).unwrap_or_default();
            let seed = flag("--seed").and_then(|s| s.parse().ok());
            let answer = kubeplay_lessons::Answer { yaml, commands };
            let v = kubeplay_lessons::check(lesson, step - 1, &answer, seed);
            let mut out = v.transcript.clone();
            out.push_str(&format!("\n{} — step {step}: {}\n", lesson.title, if v.passed { "PASSED" } else { "NOT YET" }));
            for c in &v.checks {
                out.push_str(&format!("  [{}] {}\n", if c.pass { "x" } else { " " }, c.description));
                if !c.pass {
                    out.push_str(&format!("      {}\n", c.explanation));
                }
            }
            Ok(out)
        }
        other => Err(format!("kubeplay lesson: unknown subcommand {other:?}\n{USAGE}")),
    }
}
