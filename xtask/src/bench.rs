//! `cargo xtask bench`: prints the performance figures beside their anchors and writes them
//! to target/bench.json. Each figure is the median of several runs. Benchmarks report; they
//! never fail on time.

use crate::tools;
use std::process::Command;

/// Builds dist/, serves it on localhost and runs `tests/e2e/bench.cjs` in headless
/// Chromium: cold load, and the page's wasm bench mode for each size and the lessons.
fn browser(sizes: &[(u32, u32)], runs: usize) -> Result<Vec<serde_json::Value>, String> {
    let tc = tools::ensure(tools::Need::All)?;
    crate::web::build(&tc)?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let dir = tools::root().join("dist");
    std::thread::spawn(move || crate::serve::serve_forever(&listener, &dir));
    let spec: Vec<String> = sizes.iter().map(|(n, p)| format!("{n},{p}")).collect();
    let out = Command::new("node")
        .arg(tools::root().join("tests/e2e/bench.cjs"))
        .arg(format!("http://127.0.0.1:{port}/"))
        .arg(runs.to_string())
        .arg(spec.join(";"))
        .env("PATH", &tc.path)
        .env("NODE_PATH", tools::root().join("tools/node_modules"))
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("bench.cjs failed").to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn kubeplay(args: &[&str]) -> Result<serde_json::Value, String> {
    let out = Command::new(tools::root().join("target/release/kubeplay"))
        .args(args)
        .current_dir(tools::root())
        .output()
        .map_err(|e| format!("running kubeplay {args:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("kubeplay {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("kubeplay {args:?} printed no JSON: {e}"))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let full = args.iter().any(|a| a == "--full");
    let runs = 3;
    eprintln!("xtask: building the native CLI (release)");
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "-p", "kubeplay-cli"])
        .current_dir(tools::root())
        .env_remove("RUSTUP_TOOLCHAIN")
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building kubeplay failed".into());
    }
    let mut sizes: Vec<(u32, u32)> = vec![(100, 1_000), (1_000, 10_000)];
    if full {
        sizes.push((5_000, 100_000));
    }
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut json = serde_json::Map::new();
    for (nodes, pods) in &sizes {
        let mut rates = Vec::new();
        let mut mem = Vec::new();
        let mut boots = Vec::new();
        let mut totals = Vec::new();
        for _ in 0..runs {
            let v = kubeplay(&["bench", &nodes.to_string(), &pods.to_string()])?;
            rates.push(v["pods_per_second"].as_f64().unwrap_or(0.0));
            mem.push(v["peak_rss_mib"].as_f64().unwrap_or(0.0));
            let boot = v["boot_seconds"].as_f64().unwrap_or(0.0);
            boots.push(boot);
            totals.push(boot + v["seconds"].as_f64().unwrap_or(0.0));
        }
        let (r, m, boot, total) = (median(rates), median(mem), median(boots), median(totals));
        rows.push((
            format!("(a) native: {nodes} nodes / {pods} pods (Deployments)"),
            format!("{r:.0} pods/s after a {boot:.2} s boot ({total:.2} s in all), peak {m:.0} MiB"),
            "target ≥ 50,000 pods/s; kube-scheduler 680–1,100 pods/s".into(),
        ));
        json.insert(
            format!("native_{nodes}_{pods}"),
            serde_json::json!({"pods_per_second": r, "boot_seconds": boot, "total_seconds": total, "peak_rss_mib": m}),
        );
    }
    if !full {
        rows.push((
            "(a) native: 5000 nodes / 100000 pods".into(),
            "not run by default (minutes); `cargo xtask bench --full`".into(),
            "KWOK: 1k nodes / 100k pods at ~20 objects/s".into(),
        ));
    }
    let mut lat = Vec::new();
    for _ in 0..runs {
        lat.push(kubeplay(&["bench-lessons", "lessons"])?);
    }
    let p50 = median(lat.iter().map(|v| v["p50_ms"].as_f64().unwrap_or(0.0)).collect());
    let p95 = median(lat.iter().map(|v| v["p95_ms"].as_f64().unwrap_or(0.0)).collect());
    let steps = lat[0]["steps"].as_u64().unwrap_or(0);
    rows.push((
        format!("(c) lesson verdict, native ({steps} steps)"),
        format!("p50 {p50:.1} ms, p95 {p95:.1} ms"),
        "target p95 ≤ 20 ms (in wasm)".into(),
    ));
    json.insert("lesson_verdict_native_ms".into(), serde_json::json!({"p50": p50, "p95": p95, "steps": steps}));
    // The browser figures build dist/ first, so the sizes below are this build's.
    let browser_figures = browser(&sizes, runs);
    match crate::web::sizes() {
        Ok(files) => {
            let raw: usize = files.iter().map(|f| f.1).sum();
            let gz: usize = files.iter().map(|f| f.2).sum();
            rows.push((
                "(d) dist/".into(),
                format!("{} KiB raw, {} KiB gzipped", raw / 1024, gz / 1024),
                "target ≤ 400 KB gzipped; Webernetes ~140 KiB".into(),
            ));
            json.insert("dist_bytes".into(), serde_json::json!({"raw": raw, "gzip": gz}));
        }
        Err(_) => rows.push(("(d) dist/".into(), "not built (run cargo xtask dist)".into(), "target ≤ 400 KB gzipped".into())),
    }
    match browser_figures {
        Ok(lines) => {
            for v in lines {
                match v["kind"].as_str() {
                    Some("load") => {
                        let ms = median(v["ms"].as_array().into_iter().flatten().filter_map(|x| x.as_f64()).collect());
                        rows.push((
                            "(e) cold load to interactive, Chromium, localhost".into(),
                            format!("{ms:.0} ms (load + first kubectl answer)"),
                            "target ≤ 500 ms".into(),
                        ));
                        json.insert("cold_load_ms".into(), serde_json::json!(ms));
                    }
                    Some("pods") => {
                        let res = v["results"].as_array().cloned().unwrap_or_default();
                        let r = median(res.iter().filter_map(|x| x["pods_per_second"].as_f64()).collect());
                        let mem = median(res.iter().filter_map(|x| x["memory_bytes"].as_f64()).collect()) / 1_048_576.0;
                        let boot = median(res.iter().filter_map(|x| x["boot_seconds"].as_f64()).collect());
                        let total = median(
                            res.iter().filter_map(|x| Some(x["boot_seconds"].as_f64()? + x["seconds"].as_f64()?)).collect(),
                        );
                        let spec = v["spec"].as_str().unwrap_or("").replace(',', " nodes / ");
                        rows.push((
                            format!("(b) wasm in Chromium: {spec} pods"),
                            format!("{r:.0} pods/s after a {boot:.2} s boot ({total:.2} s in all); (f) wasm memory {mem:.0} MiB"),
                            "target ≥ 20,000 pods/s; 5k/100k ≤ 5 s, ≤ 400 MB".into(),
                        ));
                        json.insert(
                            format!("wasm_{}", v["spec"].as_str().unwrap_or("").replace(',', "_")),
                            serde_json::json!({"pods_per_second": r, "boot_seconds": boot, "total_seconds": total, "memory_mib": mem}),
                        );
                    }
                    Some("lessons") => {
                        let res = v["results"].as_array().cloned().unwrap_or_default();
                        let p50 = median(res.iter().filter_map(|x| x["p50_ms"].as_f64()).collect());
                        let p95 = median(res.iter().filter_map(|x| x["p95_ms"].as_f64()).collect());
                        let steps = res.first().and_then(|x| x["steps"].as_u64()).unwrap_or(0);
                        rows.push((
                            format!("(c) lesson verdict, wasm in Chromium ({steps} steps)"),
                            format!("p50 {p50:.1} ms, p95 {p95:.1} ms"),
                            "target p95 ≤ 20 ms".into(),
                        ));
                        json.insert("lesson_verdict_wasm_ms".into(), serde_json::json!({"p50": p50, "p95": p95, "steps": steps}));
                    }
                    _ => {}
                }
            }
        }
        Err(e) => rows.push(("(b)(c)(e)(f) in Chromium".into(), format!("not measured: {e}"), String::new())),
    }
    println!("{:<52} {:<44} anchor", "figure", "kubeplay");
    for (a, b, c) in &rows {
        println!("{a:<52} {b:<44} {c}");
    }
    let path = tools::root().join("target/bench.json");
    let _ = std::fs::create_dir_all(tools::root().join("target"));
    std::fs::write(&path, serde_json::to_string_pretty(&serde_json::Value::Object(json)).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    println!("written: {}", path.display());
    Ok(())
}
