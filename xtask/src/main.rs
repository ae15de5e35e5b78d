//! `cargo xtask`: kubeplay's build and test orchestration. `serve` builds and serves the
//! page, `test` runs every test (native, wasm in Chromium, end-to-end), `dist` builds the
//! release bundle and prints its sizes. The first run installs missing tools (`tools.rs`).

mod bench;
mod fuzz;
mod serve;
mod test;
mod tools;
mod web;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

  serve   build the release bundle and serve it on http://127.0.0.1:8080
  test    run every test: native, wasm (headless Chromium), end-to-end (headless Chromium)
  dist    build dist/ and print each file's raw and gzipped size
  e2e     build dist/ and run only the end-to-end tests
  bench   print performance figures beside their anchors (target/bench.json); --full adds 5k/100k
  fuzz    run the cargo-fuzz targets, --seconds N each (default 60); findings in target/fuzz/artifacts
  setup   install the tools the other commands need (they call it themselves)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("dist") => web::dist().map(|_| ()),
        Some("e2e") => test::e2e_only(),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("setup") => tools::ensure(tools::Need::All).map(|_| ()),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
