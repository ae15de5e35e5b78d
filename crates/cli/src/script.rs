//! Scripts: lines of kubectl commands, `sleep`, `settle` and comments, run against one
//! world. The transcript shows each command after `$ ` and what it printed.

use kubeplay_kubectl::{Env, Files};
use kubeplay_sim::World;
use std::path::{Path, PathBuf};

/// How a script's cluster starts.
#[derive(Clone, Debug)]
pub struct Options {
    pub seed: u64,
    /// Number of nodes; 1 is a single k3s server.
    pub nodes: u32,
    /// The ingress controller (k3s's Traefik by default).
    pub ingress: kubeplay_sim::topology::IngressController,
}

impl Default for Options {
    fn default() -> Options {
        Options { seed: 1, nodes: 1, ingress: Default::default() }
    }
}

/// What running a script produced.
pub struct ScriptResult {
    pub transcript: String,
    pub hash: u64,
}

/// Reads a script file (or standard input for `-`), returning its text and the directory
/// `-f` paths are relative to.
pub fn read_script(file: &str) -> Result<(String, PathBuf), String> {
    if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("kubeplay: cannot read standard input: {e}\n"))?;
        return Ok((s, std::env::current_dir().unwrap_or_default()));
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("kubeplay: cannot read {file}: {e}\n"))?;
    let base = Path::new(file).parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((text, base))
}

struct DirFiles<'a>(&'a Path);

impl Files for DirFiles<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = self.0.join(path);
        std::fs::read_to_string(&p).map_err(|_| format!("the path {path:?} does not exist"))
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.0.join(dir)).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Some(names)
    }
}

pub use kubeplay_sim::world::parse_duration;

/// The most events `settle` and `sleep` run before reporting that the bound was hit.
pub use kubeplay_kubectl::shell::SETTLE_BOUND;

/// Runs a script on a fresh world.
pub fn run_script(text: &str, base: &Path, opts: &Options) -> ScriptResult {
    let mut world =
        World::with_topology(opts.seed, &kubeplay_sim::topology::Topology::of_size(opts.nodes).with_ingress(opts.ingress));
    let files = DirFiles(base);
    let mut out = String::new();
    let mut shell = kubeplay_kubectl::shell::Shell::default();
    for step in kubeplay_kubectl::shell::script_lines(text) {
        out.push_str(&format!("{}{}\n", shell.prompt(), step.command));
        let env = Env { files: &files, stdin: step.stdin.as_deref() };
        out.push_str(&shell.run(&mut world, &step.command, &env).combined());
    }
    ScriptResult { hash: world.state_hash(), transcript: out }
}
