//! The native `kubeplay` command: runs scripts of kubectl commands against a simulated
//! cluster and prints kubectl's output, prints state hashes, and (later) lesson tools.

use std::process::ExitCode;

use kubeplay_cli::script;

const USAGE: &str = "usage:
  kubeplay script FILE|- [--seed N] [--nodes N]   run a script, printing each command and its output
  kubeplay hash FILE|- [--seed N] [--nodes N]     run a script silently, then print the state hash

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
