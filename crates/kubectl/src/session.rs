//! Interactive container shells: `kubectl exec -it POD -- sh`, `kubectl run -it NAME
//! --image=busybox`, `kubectl attach -it POD`. The terminal (or a script's following lines)
//! then talks to the container's shell, one line at a time, until `exit`: each line runs in
//! kubeplay's container shell (`kubeplay_sim::shell`) with the variables and working
//! directory the previous lines left, and the prompt is the shell's own
//! (`root@shell-demo:/# `, `/ # `).

use std::collections::BTreeMap;

/// How the session began, which decides what ending it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// `kubectl exec -it`: a new process beside the container's own; ending it ends only
    /// that process (kubectl reports a non-zero exit code).
    Exec,
    /// `kubectl run -it` or `kubectl attach -it`: the shell is the container's main
    /// process, so `exit` ends the container (the kubelet restarts it by the pod's policy).
    Attach {
        /// `kubectl run --rm`: the pod is deleted when the session ends.
        rm: bool,
        /// `--quiet`: no reattach message.
        quiet: bool,
        /// `kubectl run` (not attach or debug): a pod that does not restart is waited for,
        /// and kubectl exits with its container's code.
        run: bool,
    },
}

/// Which shell reads the lines, for its prompt and its error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// GNU bash, with Debian's `PS1` (`\u@\h:\w\$ `).
    Bash,
    /// Debian's dash as `sh`: `# ` or `$ `.
    Dash,
    /// busybox ash (busybox, alpine): `\w \$ `.
    Ash,
}

/// An open interactive shell in a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub namespace: String,
    pub pod: String,
    /// The pod's UID: a pod recreated under the same name is another pod.
    pub uid: String,
    pub container: String,
    /// The container's ID when the shell started: a restarted container is another one,
    /// and the shell went with the old.
    pub container_id: String,
    /// The shell as it was started (`/bin/sh`), as `ps` shows it.
    pub program: String,
    pub flavour: Flavour,
    /// `-t`: a terminal, so a prompt.
    pub tty: bool,
    /// The shell's variables (the container's environment to begin with).
    pub vars: BTreeMap<String, String>,
    pub cwd: String,
    /// The directory the prompt abbreviates to `~` (empty: none).
    pub home: String,
    /// The user name bash shows (`root`, or bash's "I have no name!" for a UID the image's
    /// /etc/passwd lacks).
    pub user: String,
    pub root: bool,
    pub hostname: String,
    pub kind: SessionKind,
    /// The last line's exit status (`$?`; a bare `exit` exits with it).
    pub status: i32,
    /// Lines read so far (dash numbers its errors by them).
    pub lines: u32,
}

impl Session {
    /// The shell's prompt, as the terminal shows it before each line (empty without `-t`:
    /// a shell reading a pipe prints none).
    pub fn prompt(&self) -> String {
        if !self.tty {
            return String::new();
        }
        let sigil = if self.root { '#' } else { '$' };
        let dir = if !self.home.is_empty() && self.cwd == self.home {
            "~".to_string()
        } else {
            match self.cwd.strip_prefix(&format!("{}/", self.home)) {
                Some(rest) if !self.home.is_empty() && self.home != "/" => format!("~/{rest}"),
                _ => self.cwd.clone(),
            }
        };
        match self.flavour {
            Flavour::Bash => format!("{}@{}:{dir}{sigil} ", self.user, self.hostname),
            Flavour::Dash => format!("{sigil} "),
            Flavour::Ash => format!("{dir} {sigil} "),
        }
    }

    /// The shell's name as its error messages start (`sh: x: not found`).
    pub fn shell_name(&self) -> &'static str {
        match self.flavour {
            Flavour::Bash => "bash",
            Flavour::Dash | Flavour::Ash => "sh",
        }
    }
}

/// Rewrites kubeplay's container-shell errors into bash's wording: `bash: x: command not
/// found` for busybox's `sh: x: not found`.
pub(crate) fn bash_errors(stderr: &str) -> String {
    stderr
        .split_inclusive('\n')
        .map(|l| {
            let body = l.trim_end_matches('\n');
            match body.strip_prefix("sh: ").and_then(|r| r.strip_suffix(": not found")) {
                Some(cmd) if !cmd.contains(' ') => format!("bash: {cmd}: command not found\n"),
                _ => match body.strip_prefix("sh: ") {
                    // busybox's `cd: can't cd to x: No such file or directory`.
                    Some(rest) => format!(
                        "bash: {}{}",
                        rest.strip_prefix("cd: can't cd to ").map_or(rest.to_string(), |r| format!("cd: {r}")),
                        if l.ends_with('\n') { "\n" } else { "" }
                    ),
                    None => l.to_string(),
                },
            }
        })
        .collect()
}

/// Rewrites kubeplay's container-shell errors into dash's wording, which numbers them by
/// the input line: `sh: 3: x: not found`, `sh: 3: cd: can't cd to /x`.
pub(crate) fn dash_errors(stderr: &str, line: u32) -> String {
    stderr
        .split_inclusive('\n')
        .map(|l| match l.strip_prefix("sh: ") {
            Some(rest) => {
                let rest = match rest.strip_prefix("cd: can't cd to ") {
                    Some(dir) => format!("cd: can't cd to {}", dir.replace(": No such file or directory", "")),
                    None => rest.to_string(),
                };
                format!("sh: {line}: {rest}")
            }
            None => l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(flavour: Flavour, root: bool, home: &str, cwd: &str) -> Session {
        Session {
            namespace: "default".into(),
            pod: "shell-demo".into(),
            uid: String::new(),
            container: "nginx".into(),
            container_id: String::new(),
            program: "sh".into(),
            flavour,
            tty: true,
            vars: BTreeMap::new(),
            cwd: cwd.into(),
            home: home.into(),
            user: if root { "root".into() } else { "I have no name!".into() },
            root,
            hostname: "shell-demo".into(),
            kind: SessionKind::Exec,
            status: 0,
            lines: 0,
        }
    }

    #[test]
    fn prompts_follow_each_shell() {
        assert_eq!(session(Flavour::Bash, true, "/root", "/").prompt(), "root@shell-demo:/# ");
        assert_eq!(session(Flavour::Bash, true, "/root", "/root").prompt(), "root@shell-demo:~# ");
        assert_eq!(session(Flavour::Bash, true, "/root", "/root/x").prompt(), "root@shell-demo:~/x# ");
        assert_eq!(session(Flavour::Bash, false, "", "/data").prompt(), "I have no name!@shell-demo:/data$ ");
        assert_eq!(session(Flavour::Bash, false, "", "/").prompt(), "I have no name!@shell-demo:/$ ");
        assert_eq!(session(Flavour::Ash, true, "/root", "/").prompt(), "/ # ");
        // A UID busybox's /etc/passwd lacks has no home to abbreviate.
        assert_eq!(session(Flavour::Ash, false, "", "/").prompt(), "/ $ ");
        assert_eq!(session(Flavour::Ash, false, "", "/data/demo").prompt(), "/data/demo $ ");
        assert_eq!(session(Flavour::Dash, true, "/root", "/usr").prompt(), "# ");
        let mut s = session(Flavour::Ash, true, "/root", "/");
        s.tty = false;
        assert_eq!(s.prompt(), "");
    }

    /// A session through the learner's shell: lines go to the container until `exit`, the
    /// shell keeps its directory and `$?`, and a pod deleted under it ends it with 137.
    #[test]
    fn a_session_runs_until_exit_or_its_pod_goes() {
        use crate::shell::Shell;
        use crate::{Env, NoFiles};
        let mut world = kubeplay_sim::World::new(1);
        let env = Env { files: &NoFiles, stdin: None };
        let mut sh = Shell::default();
        sh.run(&mut world, "kubectl run b --image=busybox:1.36 -- sleep 1d", &env);
        world.run_for(30_000, 100_000);
        let o = sh.run(&mut world, "kubectl exec -it b -- sh", &env);
        assert_eq!(o.combined(), "");
        assert_eq!(sh.prompt(), "/ # ");
        sh.run(&mut world, "cd /tmp && echo hi > f", &env);
        assert_eq!(sh.prompt(), "/tmp # ");
        assert_eq!(sh.run(&mut world, "cat f; false", &env).stdout, "hi\n");
        assert_eq!(sh.run(&mut world, "echo $?", &env).stdout, "1\n");
        // `kubectl` is not in the container.
        assert_eq!(sh.run(&mut world, "kubectl get pods", &env).stderr, "sh: kubectl: not found\n");
        let o = sh.run(&mut world, "exit 4", &env);
        assert_eq!((o.stderr.as_str(), o.exit_code), ("command terminated with exit code 4\n", 4));
        assert!(sh.session.is_none());
        assert_eq!(sh.prompt(), "$ ");
        // The file stayed in the container.
        assert_eq!(sh.run(&mut world, "kubectl exec b -- cat /tmp/f", &env).stdout, "hi\n");

        sh.run(&mut world, "kubectl exec -it b -- sh", &env);
        let r = kubeplay_sim::ObjRef::new(kubeplay_sim::Kind::Pod, "default", "b");
        world.delete(&r, kubeplay_sim::DeleteOptions::default()).expect("delete");
        world.run_for(60_000, 100_000);
        let o = sh.run(&mut world, "echo gone?", &env);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.exit_code), ("", "command terminated with exit code 137\n", 137));
        assert!(sh.session.is_none());
    }

    #[test]
    fn dash_numbers_its_errors_by_line() {
        assert_eq!(dash_errors("sh: nope: not found\n", 3), "sh: 3: nope: not found\n");
        assert_eq!(dash_errors("sh: cd: can't cd to /x: No such file or directory\n", 1), "sh: 1: cd: can't cd to /x\n");
        assert_eq!(dash_errors("cat: f: No such file or directory\n", 2), "cat: f: No such file or directory\n");
    }

    #[test]
    fn bash_words_its_errors() {
        assert_eq!(bash_errors("sh: kubectl: not found\n"), "bash: kubectl: command not found\n");
        assert_eq!(
            bash_errors("sh: cd: can't cd to x: No such file or directory\nother\n"),
            "bash: cd: x: No such file or directory\nother\n"
        );
    }
}
